/* qname.c — schema names to C names: QName resolution, gSOAP prefixes, case conversions.
 *
 * The prefixes gSOAP puts in front of every name (ewsmsg__, ewstype__) are the ones typemap.dat binds to the
 * EWS namespaces: they are read from there, so the C names below and wsdl2h's agree by construction. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ewsgen.h"

qname qname_resolve(xmlNodePtr n, const char *value)
{
	qname q = { 0 };
	const char *colon = strchr(value, ':');
	char *prefix = colon ? strndup(value, (size_t)(colon - value)) : NULL;
	xmlNsPtr ns = xmlSearchNs(n->doc, n, (const xmlChar *)prefix);

	if (!ns)
		die("%s line %ld: prefix of '%s' is not declared", n->doc->URL ? (const char *)n->doc->URL : "?",
		    xmlGetLineNo(n), value);
	free(prefix);
	q.ns = xstrdup((const char *)ns->href);
	q.local = xstrdup(colon ? colon + 1 : value);
	return q;
}

void qname_free(qname *q)
{
	free(q->ns);
	free(q->local);
	q->ns = q->local = NULL;
}

#define MAX_PREFIXES 32
static struct {
	char *prefix, *ns;
} prefixes[MAX_PREFIXES];
static int nprefixes;

/* typemap.dat lines of the form `prefix = "namespace URI"` (the other entries are type mappings). */
void prefixes_load(const char *typemap_path)
{
	size_t len;
	char *text = (char *)read_file(typemap_path, &len), *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *p = line, *name, *q, *end;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!isalpha((unsigned char)*p))
			continue;
		name = p;
		while (isalnum((unsigned char)*p) || *p == '_')
			p++;
		end = p;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '=')
			continue;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '"' || !(q = strchr(p + 1, '"')))
			continue;
		if (nprefixes == MAX_PREFIXES)
			die("%s: too many namespace prefixes", typemap_path);
		*end = 0;
		*q = 0;
		prefixes[nprefixes].prefix = xstrdup(name);
		prefixes[nprefixes].ns = xstrdup(p + 1);
		nprefixes++;
	}
	free(text);
	if (!nprefixes)
		die("%s binds no namespace prefix (expected lines like: ewsmsg = \"http://...\")", typemap_path);
}

const char *prefix_of(const char *ns)
{
	for (int i = 0; i < nprefixes; i++)
		if (!strcmp(prefixes[i].ns, ns))
			return prefixes[i].prefix;
	die("namespace %s has no prefix in typemap.dat: the generated C names would be gSOAP's ns1__, ns2__", ns);
}

char *c_name(const char *ns, const char *local)
{
	/* gSOAP rewrites characters C identifiers cannot hold (_USCORE, _x002d ...); EWS names are plain
	 * letters and digits. Anything else is refused rather than guessed. */
	for (const char *p = local; *p; p++)
		if (!isalnum((unsigned char)*p))
			die("schema name '%s' has a character this generator does not map to C ('%c')", local, *p);
	return xasprintf("%s__%s", prefix_of(ns), local);
}

char *snake_case(const char *name)
{
	size_t n = strlen(name);
	char *out = xmalloc(2 * n + 1), *o = out;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i], next = (unsigned char)name[i + 1];
		unsigned char prev = i ? (unsigned char)name[i - 1] : 0;

		if (i && isupper(c) && ((islower(prev) || isdigit(prev)) || (isupper(prev) && islower(next))))
			*o++ = '_';
		*o++ = (char)tolower(c);
	}
	*o = 0;
	return out;
}

char *upper_case(const char *name)
{
	char *out = xstrdup(name);

	for (char *p = out; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return out;
}
