/* schema_diff.c — `ewsgen schema-diff OLD_DIR NEW_DIR`: what changed between two EWS schema sets.
 *
 * Reports operations (of every WSDL port type), named types, top-level elements, and every element name used
 * anywhere, added or removed; and, for those present in both, the ones whose definition changed (an
 * operation's input/output messages, a type's or element's content; documentation and layout ignored). The
 * files are read with libxml2, so any well-formed spelling counts (`name ="FindConversation"` included). */
#include <stdlib.h>
#include <string.h>

#include "ewsgen.h"

typedef struct entry {
	char *name;
	char *content;          /* canonical definition, for "changed" */
} entry;

typedef struct entries {
	entry *v;
	int n, cap;
} entries;

static void add(entries *e, const char *name, char *content)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 256;
		if (!(e->v = realloc(e->v, (size_t)e->cap * sizeof *e->v)))
			die("out of memory");
	}
	e->v[e->n].name = xstrdup(name);
	e->v[e->n].content = content ? content : xstrdup("");
	e->n++;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const entry *)a)->name, ((const entry *)b)->name);
}

/* sort and drop duplicate names (element names repeat across types) */
static void finish(entries *e)
{
	int k = 0;

	qsort(e->v, (size_t)e->n, sizeof *e->v, by_name);
	for (int i = 0; i < e->n; i++) {
		if (k && !strcmp(e->v[k - 1].name, e->v[i].name)) {
			free(e->v[i].name);
			free(e->v[i].content);
			continue;
		}
		e->v[k++] = e->v[i];
	}
	e->n = k;
}

/* ---- canonical text of a definition: elements, attributes sorted, QName values resolved, no annotations ---- */

typedef struct sbuf {
	char *p;
	size_t n, cap;
} sbuf;

static void put(sbuf *b, const char *s)
{
	size_t l = strlen(s);

	if (b->n + l + 1 > b->cap) {
		b->cap = (b->n + l + 1) * 2;
		if (!(b->p = realloc(b->p, b->cap)))
			die("out of memory");
	}
	memcpy(b->p + b->n, s, l + 1);
	b->n += l;
}

static int is_qname_attr(const char *a)
{
	return !strcmp(a, "type") || !strcmp(a, "base") || !strcmp(a, "ref") || !strcmp(a, "itemType") ||
	       !strcmp(a, "element") || !strcmp(a, "message");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void canon(sbuf *b, xmlNodePtr n)
{
	char *attrs[64];
	int na = 0;

	put(b, "<");
	if (n->ns) {
		put(b, "{");
		put(b, (const char *)n->ns->href);
		put(b, "}");
	}
	put(b, (const char *)n->name);
	for (xmlAttrPtr a = n->properties; a && na < 64; a = a->next) {
		xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
		const char *an = (const char *)a->name;
		if (is_qname_attr(an) && v && strchr((char *)v, ':')) {
			qname q = qname_resolve(n, (const char *)v);
			attrs[na++] = xasprintf(" %s={%s}%s", an, q.ns, q.local);
			qname_free(&q);
		} else {
			attrs[na++] = xasprintf(" %s=\"%s\"", an, v ? (const char *)v : "");
		}
		xmlFree(v);
	}
	qsort(attrs, (size_t)na, sizeof *attrs, cmp_str);
	for (int i = 0; i < na; i++) {
		put(b, attrs[i]);
		free(attrs[i]);
	}
	put(b, ">");
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE) {
			if (is_elem(c, NS_XSD, "annotation") || is_elem(c, NS_WSDL, "documentation"))
				continue;
			canon(b, c);
		} else if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			const char *t = (const char *)c->content;
			if (t && t[strspn(t, " \t\r\n")])
				put(b, t);
		}
	}
	put(b, "</>");
}

static char *canonical(xmlNodePtr n)
{
	sbuf b = { 0 };

	canon(&b, n);
	return b.p;
}

/* ---- one set ---- */

typedef struct set_view {
	entries ops, types, elements, element_names;
} set_view;

static void collect_names(xmlNodePtr n, entries *names)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (is_elem(n, NS_XSD, "element")) {
			char *name = attr(n, "name");
			if (name)
				add(names, name, NULL);
			free(name);
		}
		collect_names(n->children, names);
	}
}

static void collect_schema(xmlNodePtr schema, set_view *v)
{
	for (xmlNodePtr n = first_child(schema, NS_XSD, NULL); n; n = next_sibling(n, NS_XSD, NULL)) {
		char *name = attr(n, "name");
		if (!name)
			continue;
		if (!strcmp((const char *)n->name, "complexType") || !strcmp((const char *)n->name, "simpleType"))
			add(&v->types, name, canonical(n));
		else if (!strcmp((const char *)n->name, "element"))
			add(&v->elements, name, canonical(n));
		free(name);
	}
	collect_names(schema->children, &v->element_names);
}

/* An operation's definition: its port type entry with the messages it names expanded. */
static char *operation_content(xmlNodePtr root, xmlNodePtr op)
{
	sbuf b = { 0 };

	put(&b, "");
	for (xmlNodePtr io = first_child(op, NS_WSDL, NULL); io; io = next_sibling(io, NS_WSDL, NULL)) {
		char *m = attr(io, "message"), *text;
		if (!m)
			continue;
		qname q = qname_resolve(io, m);
		put(&b, (const char *)io->name);
		put(&b, "=");
		for (xmlNodePtr msg = first_child(root, NS_WSDL, "message"); msg; msg = next_sibling(msg, NS_WSDL, "message")) {
			char *name = attr(msg, "name");
			if (name && !strcmp(name, q.local)) {
				text = canonical(msg);
				put(&b, text);
				free(text);
			}
			free(name);
		}
		qname_free(&q);
		free(m);
	}
	return b.p;
}

static void view_load(set_view *v, schema_set *s, const char *dir)
{
	xmlNodePtr root;

	memset(v, 0, sizeof *v);
	schema_find(s, dir);
	schema_parse(s);
	root = xmlDocGetRootElement(s->wsdl.doc);
	for (xmlNodePtr pt = first_child(root, NS_WSDL, "portType"); pt; pt = next_sibling(pt, NS_WSDL, "portType"))
		for (xmlNodePtr op = first_child(pt, NS_WSDL, "operation"); op; op = next_sibling(op, NS_WSDL, "operation")) {
			char *name = attr(op, "name");
			if (!name || !*name)
				die("%s line %ld: a port type operation without a name", s->wsdl.path, xmlGetLineNo(op));
			add(&v->ops, name, operation_content(root, op));
			free(name);
		}
	for (xmlNodePtr t = first_child(root, NS_WSDL, "types"); t; t = next_sibling(t, NS_WSDL, "types"))
		for (xmlNodePtr sc = first_child(t, NS_XSD, "schema"); sc; sc = next_sibling(sc, NS_XSD, "schema"))
			collect_schema(sc, v);
	collect_schema(xmlDocGetRootElement(s->messages.doc), v);
	collect_schema(xmlDocGetRootElement(s->types.doc), v);
	finish(&v->ops);
	finish(&v->types);
	finish(&v->elements);
	finish(&v->element_names);
}

static void entries_free(entries *e)
{
	for (int i = 0; i < e->n; i++) {
		free(e->v[i].name);
		free(e->v[i].content);
	}
	free(e->v);
}

static void report(const char *title, const entries *a, const entries *b, int show_changed)
{
	int i = 0, j = 0, changed = 0;

	printf("%s: %d -> %d\n", title, a->n, b->n);
	while (i < a->n || j < b->n) {
		int c = i == a->n ? 1 : j == b->n ? -1 : strcmp(a->v[i].name, b->v[j].name);
		if (c < 0)
			printf("  - %s\n", a->v[i++].name);
		else if (c > 0)
			printf("  + %s\n", b->v[j++].name);
		else {
			changed += strcmp(a->v[i].content, b->v[j].content) != 0;
			i++, j++;
		}
	}
	if (!show_changed)
		return;
	printf("%s present in both whose definition changed: %d\n", title, changed);
	for (i = j = 0; i < a->n && j < b->n;) {
		int c = strcmp(a->v[i].name, b->v[j].name);
		if (c < 0)
			i++;
		else if (c > 0)
			j++;
		else {
			if (strcmp(a->v[i].content, b->v[j].content))
				printf("  ~ %s\n", a->v[i].name);
			i++, j++;
		}
	}
}

int schema_diff(const char *old_dir, const char *new_dir)
{
	schema_set a, b;
	set_view va, vb;

	view_load(&va, &a, old_dir);
	view_load(&vb, &b, new_dir);
	printf("schema-diff %s -> %s\n", old_dir, new_dir);
	report("operations", &va.ops, &vb.ops, 1);
	report("types", &va.types, &vb.types, 1);
	report("top-level elements", &va.elements, &vb.elements, 1);
	report("element names", &va.element_names, &vb.element_names, 0);
	entries_free(&va.ops), entries_free(&va.types), entries_free(&va.elements), entries_free(&va.element_names);
	entries_free(&vb.ops), entries_free(&vb.types), entries_free(&vb.elements), entries_free(&vb.element_names);
	schema_free(&a);
	schema_free(&b);
	return 0;
}
