/* emit_members.c — ews_schema_members.h: which members and enumeration values the set's types have.
 *
 * Code written once for every schema set (the runtime's workflows, ewsd, the tools) reads struct members and
 * enumeration values that came with a later Exchange version: IsInline on attachments (2010),
 * ContactDataShape on ResolveNames (2010 SP2), Traversal="Associated" (2010). gSOAP's output says which types
 * exist (SOAP_TYPE_*) and which choice alternatives (SOAP_UNION_*), but nothing about a member or an
 * enumeration value, so such code had to guess from a type that came at about the same time. This file says
 * it exactly, from the schema itself:
 *
 *   EWS_HAS_<prefix>__<Type>_<Member>   the complex type declares element or attribute <Member>, itself or in a
 *                                       base it extends (wsdl2h -F copies a base's members into the struct)
 *   EWS_HAS_<prefix>__<Type>_<Value>    the simple type's enumeration has <Value> (characters other than
 *                                       letters, digits and '_' written as '_')
 *
 * <prefix>__<Type> is the C name of the struct or enum (ewstype__FileAttachmentType). Test with #ifdef. */
#include <string.h>

#include "ewsgen.h"

/* A name as an identifier part: anything but [A-Za-z0-9_] made '_'. */
static void put_ident(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ? *s : '_', f);
}

static void put_macro(FILE *f, const char *ctype, const char *member)
{
	fprintf(f, "#define EWS_HAS_%s_", ctype);
	put_ident(f, member);
	fputs(" 1\n", f);
}

/* The local part of a QName's text (EWS declares every group and member once per namespace). */
static const char *local_part(const char *qname_text)
{
	const char *colon = strchr(qname_text, ':');
	return colon ? colon + 1 : qname_text;
}

/* A top-level xs:group or xs:attributeGroup named by a ref="" on n, in the document of n. */
static xmlNodePtr find_group(xmlNodePtr n, const char *kind, const char *ref)
{
	xmlNodePtr found = NULL, schema = xmlDocGetRootElement(n->doc);

	for (xmlNodePtr g = first_child(schema, NS_XSD, kind); g && !found; g = next_sibling(g, NS_XSD, kind)) {
		char *name = attr(g, "name");
		if (name && !strcmp(name, local_part(ref)))
			found = g;
		free(name);
	}
	return found;
}

/* The members of a content model: element and attribute names (local part of a ref), into groups and a
 * complex type's base, but not into an element's own anonymous type (a struct of its own). depth bounds a
 * hostile schema's cycles. */
static void walk(const schema_set *s, FILE *f, const char *ctype, xmlNodePtr n, int depth)
{
	if (depth > 32)
		die("%s: types nested or derived more than 32 deep (a cycle?)", ctype);
	for (xmlNodePtr c = first_child(n, NS_XSD, NULL); c; c = next_sibling(c, NS_XSD, NULL)) {
		const char *kind = (const char *)c->name;
		char *name = attr(c, "name"), *ref = attr(c, "ref"), *base;

		if (!strcmp(kind, "element") || !strcmp(kind, "attribute")) {
			if (name)
				put_macro(f, ctype, name);
			else if (ref)
				put_macro(f, ctype, local_part(ref));
		} else if ((!strcmp(kind, "group") || !strcmp(kind, "attributeGroup")) && ref) {
			xmlNodePtr g = find_group(c, kind, ref);
			if (g)
				walk(s, f, ctype, g, depth + 1);
		} else if (!strcmp(kind, "extension") && (base = attr(c, "base"))) {
			qname q = qname_resolve(c, base);
			xmlNodePtr t = schema_type(s, (const xmlChar *)q.ns, (const xmlChar *)q.local);
			if (t && !strcmp((const char *)t->name, "complexType"))
				walk(s, f, ctype, t, depth + 1);
			qname_free(&q);
			free(base);
			walk(s, f, ctype, c, depth + 1);
		} else if (strcmp(kind, "annotation") && strcmp(kind, "simpleType")) {
			walk(s, f, ctype, c, depth + 1);   /* sequence, choice, all, complexContent, simpleContent, ... */
		}
		free(name);
		free(ref);
	}
}

static void enumeration(FILE *f, const char *ctype, xmlNodePtr simple)
{
	for (xmlNodePtr r = first_child(simple, NS_XSD, "restriction"); r; r = next_sibling(r, NS_XSD, "restriction"))
		for (xmlNodePtr e = first_child(r, NS_XSD, "enumeration"); e; e = next_sibling(e, NS_XSD, "enumeration")) {
			char *v = attr(e, "value");
			if (v)
				put_macro(f, ctype, v);
			free(v);
		}
}

static void one_schema(const schema_set *s, FILE *f, xmlNodePtr schema)
{
	char *tns = attr(schema, "targetNamespace");

	for (xmlNodePtr t = first_child(schema, NS_XSD, NULL); t; t = next_sibling(t, NS_XSD, NULL)) {
		char *name = attr(t, "name"), *ctype;
		int complex = !strcmp((const char *)t->name, "complexType");

		if (!name || (!complex && strcmp((const char *)t->name, "simpleType"))) {
			free(name);
			continue;
		}
		ctype = c_name(tns ? tns : "", name);
		fprintf(f, "/* %s */\n", name);
		if (complex)
			walk(s, f, ctype, t, 0);
		else
			enumeration(f, ctype, t);
		free(ctype);
		free(name);
	}
	free(tns);
}

void emit_members(const schema_set *s, const char *dir)
{
	outfile h;

	out_open(&h, dir, "ews_schema_members.h");
	fprintf(h.f, "/* Generated by libews generator (ewsgen) from the schema's WSDL/XSD. DO NOT EDIT. */\n"
		     "/* Which members (elements, attributes) each complex type has and which values each enumeration has,\n"
		     " * for code that compiles against any schema set: #ifdef EWS_HAS_ewstype__FileAttachmentType_IsInline.\n"
		     " * See generator/emit_members.c. */\n"
		     "#ifndef EWS_SCHEMA_MEMBERS_H\n#define EWS_SCHEMA_MEMBERS_H\n\n");
	one_schema(s, h.f, xmlDocGetRootElement(s->messages.doc));
	one_schema(s, h.f, xmlDocGetRootElement(s->types.doc));
	fputs("\n#endif\n", h.f);
	out_close(&h);
}
