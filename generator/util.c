/* util.c — the generator's small helpers: fatal errors, allocation, whole files, SHA-256, libxml2 navigation.
 * The generator is a build tool: any failure stops it with a message naming what failed (never a partial set). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "ewsgen.h"

void die(const char *fmt, ...)
{
	va_list ap;

	fputs("ewsgen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void *xmalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (!p)
		die("out of memory");
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");

	if (!p)
		die("out of memory");
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("out of memory");
	return p;
}

unsigned char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		die("cannot read %s: %s", path, strerror(errno));
	for (;;) {
		if (n + 65536 + 1 > cap) {
			cap = (n + 65536 + 1) * 2;
			if (!(buf = realloc(buf, cap)))
				die("out of memory reading %s", path);
		}
		size_t r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f))
		die("error reading %s", path);
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
}

void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		die("cannot write %s: %s", path, strerror(errno));
}

void sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (!EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) || n != 32)
		die("SHA-256 failed");
	for (unsigned i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
	out[64] = 0;
}

void out_open(outfile *o, const char *dir, const char *name)
{
	o->path = xasprintf("%s/%s", dir, name);
	if (!(o->f = fopen(o->path, "w")))
		die("cannot write %s: %s", o->path, strerror(errno));
}

void out_close(outfile *o)
{
	if (ferror(o->f) | (fclose(o->f) != 0))
		die("error writing %s", o->path);
	free(o->path);
	o->f = NULL;
	o->path = NULL;
}

char *attr(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	char *s;

	if (!v)
		return NULL;
	s = xstrdup((const char *)v);
	xmlFree(v);
	return s;
}

int is_elem(xmlNodePtr n, const char *ns, const char *local)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns && !strcmp((const char *)n->ns->href, ns) &&
	       (!local || !strcmp((const char *)n->name, local));
}

xmlNodePtr next_sibling(xmlNodePtr n, const char *ns, const char *local)
{
	for (n = n ? n->next : NULL; n; n = n->next)
		if (is_elem(n, ns, local))
			return n;
	return NULL;
}

xmlNodePtr first_child(xmlNodePtr parent, const char *ns, const char *local)
{
	xmlNodePtr n = parent ? parent->children : NULL;

	if (n && is_elem(n, ns, local))
		return n;
	return n ? next_sibling(n, ns, local) : NULL;
}
