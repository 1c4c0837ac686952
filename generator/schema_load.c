/* schema_load.c — find, read, hash and parse an EWS schema set, and index its named types and elements.
 *
 * Servers serve Services.wsdl (capital S) and some copies say services.wsdl: names are matched
 * case-insensitively. A UTF-8 byte-order mark (servers send one) is dropped from what is parsed and copied;
 * the originals are never modified. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <libxml/parser.h>

#include "ewsgen.h"

size_t strip_bom(unsigned char *data, size_t len)
{
	if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF) {
		memmove(data, data + 3, len - 3 + 1);
		return len - 3;
	}
	return len;
}

static char *find_one(const char *dir, const char *name)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *found = NULL;

	if (!d)
		die("schema directory '%s': %s", dir, strerror(errno));
	while ((e = readdir(d))) {
		struct stat st;
		char *p;

		if (strcasecmp(e->d_name, name))
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		if (stat(p, &st) || !S_ISREG(st.st_mode)) {
			free(p);
			continue;
		}
		if (found)
			die("%s has both %s and %s: keep one", dir, found, p);
		found = p;
	}
	closedir(d);
	if (!found)
		die("no %s in %s (a schema set is services.wsdl, messages.xsd and types.xsd, any case)", name, dir);
	return found;
}

static void load_file(schema_file *f, const char *dir, const char *name)
{
	f->name = xstrdup(name);
	f->path = find_one(dir, name);
	f->data = read_file(f->path, &f->len);
	sha256_hex(f->data, f->len, f->sha256);
	f->len = strip_bom(f->data, f->len);
}

void schema_find(schema_set *s, const char *dir)
{
	char *all;

	memset(s, 0, sizeof *s);
	s->dir = xstrdup(dir);
	load_file(&s->wsdl, dir, "services.wsdl");
	load_file(&s->messages, dir, "messages.xsd");
	load_file(&s->types, dir, "types.xsd");
	/* The set's identity: what the three documents say, not how they were saved (a BOM changes nothing). */
	{
		char a[65], b[65], c[65];
		sha256_hex(s->wsdl.data, s->wsdl.len, a);
		sha256_hex(s->messages.data, s->messages.len, b);
		sha256_hex(s->types.data, s->types.len, c);
		all = xasprintf("services.wsdl %s\nmessages.xsd %s\ntypes.xsd %s\n", a, b, c);
	}
	sha256_hex(all, strlen(all), s->hash);
	free(all);
}

/* Index the named types and top-level elements of one xs:schema element. */
static void index_schema(schema_set *s, xmlNodePtr schema)
{
	xmlChar *tns = xmlGetNoNsProp(schema, (const xmlChar *)"targetNamespace");
	const xmlChar *ns = tns ? tns : (const xmlChar *)"";

	for (xmlNodePtr n = first_child(schema, NS_XSD, NULL); n; n = next_sibling(n, NS_XSD, NULL)) {
		xmlChar *name = xmlGetNoNsProp(n, (const xmlChar *)"name");
		xmlHashTablePtr h = NULL;

		if (!name)
			continue;
		if (!strcmp((const char *)n->name, "complexType") || !strcmp((const char *)n->name, "simpleType"))
			h = s->types_by_qname;
		else if (!strcmp((const char *)n->name, "element"))
			h = s->elements_by_qname;
		if (h && xmlHashLookup2(h, name, ns) == NULL)
			xmlHashAddEntry2(h, name, ns, n);
		xmlFree(name);
	}
	xmlFree(tns);
}

static void parse_file(schema_file *f)
{
	f->doc = xmlReadMemory((const char *)f->data, (int)f->len, f->path, NULL, XML_PARSE_NONET);
	if (!f->doc || !xmlDocGetRootElement(f->doc))
		die("%s is not well-formed XML (see the parser's message above)", f->path);
}

void schema_parse(schema_set *s)
{
	xmlNodePtr root, types;

	parse_file(&s->wsdl);
	parse_file(&s->messages);
	parse_file(&s->types);
	s->types_by_qname = xmlHashCreate(4096);
	s->elements_by_qname = xmlHashCreate(4096);
	root = xmlDocGetRootElement(s->wsdl.doc);
	if (!is_elem(root, NS_WSDL, "definitions"))
		die("%s: the root element is not wsdl:definitions", s->wsdl.path);
	/* a WSDL may also declare types inline */
	for (types = first_child(root, NS_WSDL, "types"); types; types = next_sibling(types, NS_WSDL, "types"))
		for (xmlNodePtr sc = first_child(types, NS_XSD, "schema"); sc; sc = next_sibling(sc, NS_XSD, "schema"))
			index_schema(s, sc);
	if (!is_elem(xmlDocGetRootElement(s->messages.doc), NS_XSD, "schema"))
		die("%s: the root element is not xs:schema", s->messages.path);
	if (!is_elem(xmlDocGetRootElement(s->types.doc), NS_XSD, "schema"))
		die("%s: the root element is not xs:schema", s->types.path);
	index_schema(s, xmlDocGetRootElement(s->messages.doc));
	index_schema(s, xmlDocGetRootElement(s->types.doc));
}

xmlNodePtr schema_type(const schema_set *s, const xmlChar *ns, const xmlChar *local)
{
	return xmlHashLookup2(s->types_by_qname, local, ns);
}

xmlNodePtr schema_element(const schema_set *s, const xmlChar *ns, const xmlChar *local)
{
	return xmlHashLookup2(s->elements_by_qname, local, ns);
}

static void file_free(schema_file *f)
{
	free(f->path);
	free(f->name);
	free(f->data);
	if (f->doc)
		xmlFreeDoc(f->doc);
}

void schema_free(schema_set *s)
{
	if (s->types_by_qname)
		xmlHashFree(s->types_by_qname, NULL);
	if (s->elements_by_qname)
		xmlHashFree(s->elements_by_qname, NULL);
	file_free(&s->wsdl);
	file_free(&s->messages);
	file_free(&s->types);
	free(s->dir);
	memset(s, 0, sizeof *s);
}
