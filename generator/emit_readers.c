/* emit_readers.c — ews_readers.c: the fast response reader's tables (ews/reader.h), from the XSD.
 *
 * For every named complex type a response can hold (what the operations' response elements reach, and the
 * types derived from those), one table: its attributes and its elements in content order (an extension's base
 * first, as wsdl2h -F copies a base's members into the struct), each with where gSOAP keeps it in the C struct
 * and how. Then, per operation, a document (ews_rd_doc_<Operation>): the SOAP header's ServerVersionInfo and the
 * body's wrapper struct. The C names follow wsdl2h's rules (see emit_builders.c: unions union_T, union_T_ ... in
 * content order, an optional sequence __T_sequence); every member is written as offsetof() and its kind as a
 * compile-time test of the member's C type (__builtin_types_compatible_p), so a member whose C type is not the
 * one expected becomes EWS_RD_NONE (the reader leaves such an element to gSOAP) rather than a wrong fill, and a
 * wrong name fails the build. What is not mapped at all (anonymous types, lists, other XSD built-ins, choices
 * nested in choices, a second optional sequence, attribute groups) is named as EWS_RD_NONE or not at all:
 * the reader gives up when it meets it. */
#include <stdlib.h>
#include <string.h>

#include "ewsgen.h"

typedef enum { K_NONE, K_STRUCT, K_STRING, K_TOKEN, K_ENUM, K_BOOL, K_INT, K_BASE64 } vkind;

typedef struct readers {
	const schema_set *s;
	const char *types_ns, *messages_ns;
	xmlHashTablePtr reach;        /* (local, namespace) -> named complex type */
	xmlHashTablePtr str_types;    /* typemap.dat's char * types */
	xmlHashTablePtr convs;        /* converter wrappers written: C value type -> 1 */
	FILE *head, *body;            /* converters and init wrappers; tables */
	char *head_buf, *body_buf;
	size_t head_len, body_len;
	int nalts;                    /* alternatives arrays written (their names' counter) */
	int ntypes, nmapped, nnone;
} readers;

/* The struct being described: where its members live and how wsdl2h names its unions and sequences. */
typedef struct owner {
	const char *ns;               /* the owner type's namespace (member names of refs) */
	const char *local;            /* ItemType: unions are union_ItemType, union_ItemType_ ... */
	const char *prefix;           /* ewstype */
	const char *cstruct;          /* "struct ewstype__ItemType": the C struct the members are in */
	int unions;                   /* unions named so far */
	int sequences;                /* optional sequences met so far */
	int lost_count;               /* a union's name can no longer be told: later choices unmapped */
	FILE *m;                      /* the member initializers */
	char *m_buf;
	size_t m_len;
	int n;
	xmlHashTablePtr names;        /* member names given so far (a clash: wsdl2h renames, so unmapped) */
} owner;

static int ns_index(const readers *r, const char *ns)
{
	return !ns ? 0 : !strcmp(ns, r->types_ns) ? 1 : !strcmp(ns, r->messages_ns) ? 2 : -1;
}

/* The namespace a local element declaration's name is in: its schema's target namespace when qualified. */
static char *element_ns(xmlNodePtr decl)
{
	xmlNodePtr root = decl && decl->doc ? xmlDocGetRootElement(decl->doc) : NULL;
	char *form = root ? attr(root, "elementFormDefault") : NULL, *tns = NULL;
	int top = decl && decl->parent == root;

	if (root && (top || (form && !strcmp(form, "qualified"))))
		tns = attr(root, "targetNamespace");
	free(form);
	return tns;
}

/* How values of the type named on node n (attribute "type" or a restriction's "base") are held in C. *ctype:
 * the enumeration's or struct's C name (caller frees). */
static vkind classify(readers *r, xmlNodePtr n, const char *type_value, char **ctype)
{
	qname q;
	vkind k = K_NONE;

	*ctype = NULL;
	if (!type_value)
		return K_NONE;
	q = qname_resolve(n, type_value);
	for (int depth = 0; depth < 16; depth++) {
		xmlNodePtr def, res;
		char *base, *cn;

		if (!strcmp(q.ns, NS_XSD)) {
			static const char *tokens[] = { "anyURI", "token", "normalizedString", "dateTime", "language", "NCName",
							"Name", NULL };
			if (!strcmp(q.local, "string"))
				k = K_STRING;
			else if (!strcmp(q.local, "boolean") && depth == 0)
				k = K_BOOL;
			else if (!strcmp(q.local, "int") && depth == 0)
				k = K_INT;
			else if (!strcmp(q.local, "base64Binary") && depth == 0)
				k = K_BASE64;
			for (int i = 0; tokens[i]; i++)
				if (!strcmp(q.local, tokens[i]))
					k = K_TOKEN;
			break;
		}
		def = schema_type(r->s, (const xmlChar *)q.ns, (const xmlChar *)q.local);
		if (!def || !prefix_of(q.ns) || !xsd_is_ident(q.local))
			break;
		cn = c_name(q.ns, q.local);
		if (xmlHashLookup(r->str_types, (const xmlChar *)cn)) {
			free(cn);
			k = K_TOKEN;
			break;
		}
		if (!strcmp((const char *)def->name, "complexType")) {
			if (depth == 0 && xmlHashLookup2(r->reach, (const xmlChar *)q.local, (const xmlChar *)q.ns)) {
				k = K_STRUCT;
				*ctype = cn;
			} else {
				free(cn);
			}
			break;
		}
		res = first_child(def, NS_XSD, "restriction");
		if (!res) {
			free(cn);
			break;            /* a list or a union */
		}
		if (first_child(res, NS_XSD, "enumeration")) {
			if (depth == 0) {
				k = K_ENUM;
				*ctype = cn;
			} else {
				free(cn);
			}
			break;
		}
		free(cn);
		if (!(base = attr(res, "base")))
			break;
		qname_free(&q);
		q = qname_resolve(res, base);
		free(base);
	}
	qname_free(&q);
	return k;
}

/* The C type of a value kind (for the member test and the converter). */
static char *value_ctype(vkind k, const char *ctype)
{
	return k == K_ENUM ? xasprintf("enum %s", ctype) : k == K_BOOL ? xstrdup("enum xsd__boolean") : xstrdup("int");
}

/* The converter wrapper of a value type: rd_conv_<name>, written once. */
static char *converter(readers *r, vkind k, const char *ctype)
{
	const char *name = k == K_ENUM ? ctype : k == K_BOOL ? "xsd__boolean" : "int";
	char *fn = xasprintf("rd_conv_%s", name), *vt = value_ctype(k, ctype);

	if (!xmlHashLookup(r->convs, (const xmlChar *)name)) {
		xmlHashAddEntry(r->convs, (const xmlChar *)name, (void *)1);
		fprintf(r->head, "static int %s(struct soap *soap, const char *s, void *v)\n{\n\treturn soap_s2%s(soap, s, (%s *)v);\n}\n\n",
			fn, name, vt);
	}
	free(vt);
	return fn;
}

static void member_open(owner *o)
{
	o->m = open_memstream(&o->m_buf, &o->m_len);
	if (!o->m)
		die("out of memory");
}

/* A name the owner gave already (base and derived both declaring it, or an attribute named as an element):
 * wsdl2h renames the second, which this emitter does not follow. */
static int name_taken(owner *o, const char *name)
{
	if (xmlHashLookup(o->names, (const xmlChar *)name))
		return 1;
	xmlHashAddEntry(o->names, (const xmlChar *)name, (void *)1);
	return 0;
}

/* The initializer of one member or alternative holding a value of kind k: `slot` is the C struct or union it is
 * in, `member` its C name, xml_name/ns what the XML says. */
static void put_value(readers *r, FILE *f, const char *slot, const char *member, const char *xml_name, int ns,
		      int attribute, vkind k, const char *ctype, const char *selector)
{
	fprintf(f, "\t{ .name = \"%s\", .ns = %d, .attribute = %d, ", xml_name, ns < 0 ? 0 : ns, attribute);
	if (selector && k != K_NONE && ns >= 0)
		fprintf(f, ".selector = %s, ", selector);
	if (k == K_NONE || ns < 0) {
		fputs(".kind = EWS_RD_NONE },\n", f);
		r->nnone++;
		return;
	}
	r->nmapped++;
	if (k == K_STRING || k == K_TOKEN) {
		fprintf(f, ".kind = IS(%s, %s, char *) ? %s : EWS_RD_NONE, .offset = offsetof(%s, %s) },\n", slot, member,
			k == K_STRING ? "EWS_RD_STRING" : "EWS_RD_TOKEN", slot, member);
	} else if (k == K_BASE64) {
		fprintf(f, ".kind = IS(%s, %s, struct xsd__base64Binary *) ? EWS_RD_BASE64_PTR : IS(%s, %s, struct "
			"xsd__base64Binary) ? EWS_RD_BASE64 : EWS_RD_NONE, .offset = offsetof(%s, %s), .value_size = "
			"sizeof(struct xsd__base64Binary), .ptr_offset = offsetof(struct xsd__base64Binary, __ptr), "
			".size_offset = offsetof(struct xsd__base64Binary, __size) },\n", slot, member, slot, member, slot, member);
	} else if (k == K_STRUCT) {
		fprintf(f, ".kind = IS(%s, %s, struct %s *) ? EWS_RD_STRUCT_PTR : EWS_RD_NONE, .offset = offsetof(%s, %s), "
			".type = &rd_%s },\n", slot, member, ctype, slot, member, ctype);
	} else {
		char *vt = value_ctype(k, ctype), *fn = converter(r, k, ctype);
		fprintf(f, ".kind = IS(%s, %s, %s *) ? EWS_RD_VALUE_PTR : IS(%s, %s, %s) ? EWS_RD_VALUE : EWS_RD_NONE, "
			".offset = offsetof(%s, %s), .value_size = sizeof(%s), .conv = %s },\n", slot, member, vt, slot, member,
			vt, slot, member, vt, fn);
		free(vt);
		free(fn);
	}
}

/* An element particle of the owner: a single or repeated element of its own. */
static void put_element(readers *r, owner *o, xmlNodePtr p, int many)
{
	char *member, *ctype = NULL, *type, *ns;
	xmlNodePtr d = xsd_element_decl(r->s, o->ns, p, &member);
	char *xml_name = d ? attr(d, "name") : NULL;
	vkind k;

	if (!d || !member || !xml_name) {
		free(member), free(xml_name);
		return;
	}
	type = attr(d, "type");
	ns = element_ns(d);
	k = type ? classify(r, d, type, &ctype) : K_NONE;
	if (name_taken(o, member))
		k = K_NONE;
	if (many || xsd_max_occurs_many(p)) {
		int idx = ns_index(r, ns);
		fprintf(o->m, "\t{ .name = \"%s\", .ns = %d, ", xml_name, idx < 0 ? 0 : idx);
		if (idx >= 0 && k == K_STRUCT) {
			fprintf(o->m, ".kind = IS(%s, %s, struct %s *) && IS(%s, __size%s, int) ? EWS_RD_STRUCT_ARRAY : EWS_RD_NONE, "
				".offset = offsetof(%s, %s), .count_offset = offsetof(%s, __size%s), .elem_size = sizeof(struct %s), "
				".type = &rd_%s },\n", o->cstruct, member, ctype, o->cstruct, member, o->cstruct, member, o->cstruct,
				member, ctype, ctype);
			r->nmapped++;
		} else if (idx >= 0 && k == K_STRING) {
			fprintf(o->m, ".kind = IS(%s, %s, char **) && IS(%s, __size%s, int) ? EWS_RD_STRING_ARRAY : EWS_RD_NONE, "
				".offset = offsetof(%s, %s), .count_offset = offsetof(%s, __size%s), .elem_size = sizeof(char *) },\n",
				o->cstruct, member, o->cstruct, member, o->cstruct, member, o->cstruct, member);
			r->nmapped++;
		} else {
			fputs(".kind = EWS_RD_NONE },\n", o->m);
			r->nnone++;
		}
	} else {
		put_value(r, o->m, o->cstruct, member, xml_name, ns_index(r, ns), 0, k, ctype, NULL);
	}
	o->n++;
	free(member), free(ctype), free(type), free(ns), free(xml_name);
}

/* A union of the owner (an xs:choice, or an element standing for a substitution group): alternatives alts. */
static void put_choice(readers *r, owner *o, int many, xmlNodePtr *alts, int nalts)
{
	char uname[512], *alts_name;
	int n = o->unions++;
	FILE *f;

	snprintf(uname, sizeof uname, "union_%s", o->local);
	for (int i = 0; i < n && strlen(uname) + 2 < sizeof uname; i++)
		strcat(uname, "_");
	if (o->lost_count) {
		fputs("\t{ .kind = EWS_RD_NONE },\n", o->m);
		o->n++;
		r->nnone++;
		return;
	}
	alts_name = xasprintf("rd_alts_%d", r->nalts++);
	f = r->body;
	fprintf(f, "static const ews_rd_member %s[] = {\n", alts_name);
	for (int i = 0; i < nalts; i++) {
		char *member, *ctype = NULL, *type, *ns, *xml_name, *slot, *sel;
		xmlNodePtr d = xsd_element_decl(r->s, o->ns, alts[i], &member);
		vkind k;

		xml_name = d ? attr(d, "name") : NULL;
		if (!d || !member || !xml_name) {
			free(member), free(xml_name);
			continue;
		}
		type = attr(d, "type");
		ns = element_ns(d);
		k = type && !xsd_max_occurs_many(alts[i]) ? classify(r, d, type, &ctype) : K_NONE;
		slot = xasprintf("union _%s__%s", o->prefix, uname);
		sel = xasprintf("SOAP_UNION__%s__%s_%s", o->prefix, uname, member);
		put_value(r, f, slot, member, xml_name, ns_index(r, ns), 0, k, ctype, sel);
		free(sel);
		free(member), free(ctype), free(type), free(ns), free(xml_name), free(slot);
	}
	fputs("};\n\n", f);
	if (many)
		fprintf(o->m, "\t{ .kind = IS(%s, __size_%s, int) ? EWS_RD_CHOICE_ARRAY : EWS_RD_NONE, .offset = offsetof(%s, __%s), "
			".count_offset = offsetof(%s, __size_%s), .elem_size = sizeof(struct __%s__%s), "
			".sel_offset = offsetof(struct __%s__%s, __%s), .union_offset = offsetof(struct __%s__%s, %s), "
			".alts = %s, .nalts = (int)(sizeof %s / sizeof *%s) },\n",
			o->cstruct, uname + 6, o->cstruct, uname, o->cstruct, uname + 6, o->prefix, uname, o->prefix, uname, uname,
			o->prefix, uname, uname, alts_name, alts_name, alts_name);
	else
		fprintf(o->m, "\t{ .kind = IS(%s, __%s, int) ? EWS_RD_CHOICE : EWS_RD_NONE, .sel_offset = offsetof(%s, __%s), "
			".union_offset = offsetof(%s, %s), .alts = %s, .nalts = (int)(sizeof %s / sizeof *%s) },\n",
			o->cstruct, uname, o->cstruct, uname, o->cstruct, uname, alts_name, alts_name, alts_name);
	o->n++;
	free(alts_name);
}

static void walk_particle(readers *r, owner *o, xmlNodePtr p);

static int attr_present(xmlNodePtr n, const char *name)
{
	char *v = attr(n, name);
	free(v);
	return v != NULL;
}
static void emit_struct(readers *r, const char *cname, const char *cstruct, owner *o);

static void walk_children(readers *r, owner *o, xmlNodePtr parent)
{
	for (xmlNodePtr p = first_child(parent, NS_XSD, NULL); p; p = next_sibling(p, NS_XSD, NULL))
		walk_particle(r, o, p);
}

/* A choice, or an element standing for a substitution group: the alternatives as wsdl2h lists them (a
 * substitution group's members in its head's place). */
static void choice(readers *r, owner *o, int many, xmlNodePtr *alts, int nalts)
{
	xmlNodePtr *all;
	int n = xsd_choice_alternatives(r->s, o->ns, alts, nalts, &all);

	put_choice(r, o, many, all, n);
	free(all);
}

/* An optional sequence: gSOAP keeps its elements in a struct of their own, __<prefix>__<Owner>_sequence, pointed
 * to by the owner's member __<Owner>_sequence (the first such sequence of an owner; later ones are not mapped). */
static void optional_sequence(readers *r, owner *o, xmlNodePtr seq)
{
	char *cname, *cstruct, *member;
	/* (within it, choices and sequences of its own are not mapped: their names are not told here) */
	owner so = { .ns = o->ns, .local = o->local, .prefix = o->prefix, .lost_count = 1, .sequences = 1 };

	if (o->sequences++ || xsd_max_occurs_many(seq)) {
		fputs("\t{ .kind = EWS_RD_NONE },\n", o->m);
		o->n++;
		o->lost_count = 1;     /* unions after it: their names are not told here */
		return;
	}
	cname = xasprintf("__%s__%s_sequence", o->prefix, o->local);
	cstruct = xasprintf("struct %s", cname);
	member = xasprintf("__%s_sequence", o->local);
	so.cstruct = cstruct;
	so.names = o->names;
	member_open(&so);
	walk_children(r, &so, seq);
	emit_struct(r, cname, cstruct, &so);
	fprintf(o->m, "\t{ .kind = IS(%s, %s, %s *) ? EWS_RD_SEQUENCE : EWS_RD_NONE, .offset = offsetof(%s, %s), "
		".type = &rd_%s },\n", o->cstruct, member, cstruct, o->cstruct, member, cname);
	o->n++;
	free(cname), free(cstruct), free(member);
}

static void walk_particle(readers *r, owner *o, xmlNodePtr p)
{
	const char *kind = (const char *)p->name;

	if (!strcmp(kind, "sequence") || !strcmp(kind, "all")) {
		if (!xsd_min_occurs_zero(p) && !xsd_max_occurs_many(p))
			walk_children(r, o, p);
		else
			optional_sequence(r, o, p);
	} else if (!strcmp(kind, "group")) {
		char *ref = attr(p, "ref");
		xmlNodePtr g = ref ? xsd_find_group(r->s, p, ref) : NULL;
		if (g && !xsd_min_occurs_zero(p) && !xsd_max_occurs_many(p))
			walk_children(r, o, g);
		else
			o->lost_count = 1;
		free(ref);
	} else if (!strcmp(kind, "choice")) {
		xmlNodePtr alts[256];
		int n = xsd_plain_choice(p, alts, 256), plain = n >= 0;
		if (plain && n == 1 && xsd_max_occurs_many(alts[0]) && !attr_present(alts[0], "ref")) {
			/* a choice of one repeated element: wsdl2h makes an array of it, no union (whether it counts
			 * one is not told: later choices of the owner unmapped) */
			put_element(r, o, alts[0], 1);
			o->lost_count = 1;
		} else if (plain) {
			choice(r, o, xsd_max_occurs_many(p), alts, n);
		} else {
			o->unions++;         /* nested particles: wsdl2h's layout is not mapped here */
			fputs("\t{ .kind = EWS_RD_NONE },\n", o->m);
			o->n++;
		}
	} else if (!strcmp(kind, "element")) {
		char *ref = attr(p, "ref"), *member = NULL;
		xmlNodePtr d = ref ? xsd_element_decl(r->s, o->ns, p, &member) : NULL, *subs = NULL;
		int nsubs = d ? xsd_substitution_members(r->s, d, &subs) : 0;

		if (nsubs)
			put_choice(r, o, xsd_max_occurs_many(p), subs, nsubs);
		else
			put_element(r, o, p, 0);
		free(subs), free(ref), free(member);
	}
}

/* The attributes of a complex type's content node (the type itself, an extension), after its elements: an
 * attribute named as an element member is renamed by wsdl2h, so left unmapped. */
static void walk_attributes(readers *r, owner *o, xmlNodePtr n)
{
	for (xmlNodePtr g = first_child(n, NS_XSD, "attributeGroup"); g; g = next_sibling(g, NS_XSD, "attributeGroup")) {
		char *ref = attr(g, "ref");
		xmlNodePtr def = ref ? xsd_find_named(r->s, g, ref, "attributeGroup") : NULL;
		if (def && def != n)
			walk_attributes(r, o, def);   /* wsdl2h copies a group's attributes into the struct */
		free(ref);
	}
	for (xmlNodePtr a = first_child(n, NS_XSD, "attribute"); a; a = next_sibling(a, NS_XSD, "attribute")) {
		char *name = attr(a, "name"), *type = attr(a, "type"), *ctype = NULL;
		vkind k = name && type && xsd_is_ident(name) ? classify(r, a, type, &ctype) : K_NONE;

		if (name && xsd_is_ident(name)) {
			if (k == K_STRUCT || k == K_BASE64 || name_taken(o, name))
				k = K_NONE;
			put_value(r, o->m, o->cstruct, name, name, 0, 1, k, ctype, NULL);
			o->n++;
		}
		free(name), free(type), free(ctype);
	}
}

/* The content of a complex type in wsdl2h's order: an extension's base first. Attributes after all elements. */
static void walk_type(readers *r, owner *o, xmlNodePtr type, int depth, int attributes)
{
	for (xmlNodePtr p = first_child(type, NS_XSD, NULL); p && depth < 32; p = next_sibling(p, NS_XSD, NULL)) {
		xmlNodePtr ext = first_child(p, NS_XSD, "extension"), res = first_child(p, NS_XSD, "restriction");
		if (is_elem(p, NS_XSD, "complexContent")) {
			if (ext) {
				char *base = attr(ext, "base");
				if (base) {
					qname q = qname_resolve(ext, base);
					xmlNodePtr bt = schema_type(r->s, (const xmlChar *)q.ns, (const xmlChar *)q.local);
					if (bt)
						walk_type(r, o, bt, depth + 1, attributes);
					qname_free(&q);
					free(base);
				}
				if (attributes)
					walk_attributes(r, o, ext);
				else
					walk_children(r, o, ext);
			} else if (res && !attributes) {
				walk_children(r, o, res);
			}
		} else if (is_elem(p, NS_XSD, "simpleContent")) {
			/* text with attributes: char *__item when the text is a string */
			char *base = ext ? attr(ext, "base") : NULL, *ctype = NULL;
			vkind k = base ? classify(r, ext, base, &ctype) : K_NONE;
			if (!attributes && k == K_STRING && !name_taken(o, "__item")) {
				fprintf(o->m, "\t{ .kind = IS(%s, __item, char *) ? EWS_RD_TEXT : EWS_RD_NONE, "
					".offset = offsetof(%s, __item) },\n", o->cstruct, o->cstruct);
				o->n++;
				r->nmapped++;
			}
			if (attributes && ext)
				walk_attributes(r, o, ext);
			free(base), free(ctype);
		} else if (!attributes) {
			walk_particle(r, o, p);
		}
	}
	if (attributes)
		walk_attributes(r, o, type);
}

/* The table of one struct whose members o->m holds: written, with its init wrapper. */
static void emit_struct(readers *r, const char *cname, const char *cstruct, owner *o)
{
	fclose(o->m);
	fprintf(r->head, "static void rd_init_%s(struct soap *soap, void *v)\n{\n\tsoap_default_%s(soap, (%s *)v);\n}\n\n",
		cname, cname, cstruct);
	/* (a last, empty member: no type has an empty array) */
	fprintf(r->body, "static const ews_rd_member rd_m_%s[] = {\n%s\t{ .kind = EWS_RD_NONE }\n};\n", cname, o->m_buf);
	fprintf(r->body, "static const ews_rd_type rd_%s = { \"%s\", sizeof(%s), rd_init_%s, rd_m_%s, %d };\n\n", cname, cname,
		cstruct, cname, cname, o->n);
	fprintf(r->head, "static const ews_rd_type rd_%s;\n", cname);
	free(o->m_buf);
	r->ntypes++;
}

/* A complex type's table: cname its C name, def its definition (named, or a top-level element's anonymous one). */
static void emit_type(readers *r, const char *cname, const char *local, const char *ns, xmlNodePtr def)
{
	char *cstruct = xasprintf("struct %s", cname);
	owner o = { .ns = ns, .local = local, .prefix = prefix_of(ns), .cstruct = cstruct, .names = xmlHashCreate(64) };

	member_open(&o);
	walk_type(r, &o, def, 0, 0);
	walk_type(r, &o, def, 0, 1);
	emit_struct(r, cname, cstruct, &o);
	xmlHashFree(o.names, NULL);
	free(cstruct);
}

/* The tables of the reached named complex types, in document order (the output is the same on every run). */
static void emit_reached(readers *r)
{
	for (int f = 0; f < 2; f++) {
		xmlNodePtr root = xmlDocGetRootElement(f ? r->s->types.doc : r->s->messages.doc);
		char *tns = attr(root, "targetNamespace");
		for (xmlNodePtr t = first_child(root, NS_XSD, "complexType"); t && tns; t = next_sibling(t, NS_XSD, "complexType")) {
			char *local = attr(t, "name");
			if (xsd_is_ident(local) && prefix_of(tns) &&
			    xmlHashLookup2(r->reach, (const xmlChar *)local, (const xmlChar *)tns) == t) {
				char *cname = c_name(tns, local);
				emit_type(r, cname, local, tns, t);
				free(cname);
			}
			free(local);
		}
		free(tns);
	}
}

void emit_readers(const schema_set *s, const op_model *m, const char *typemap_path, const char *dir)
{
	readers r = { .s = s, .messages_ns = m->messages_ns };
	xmlNodePtr svi;
	int header = 0, docs = 0;
	outfile c;

	r.types_ns = (const char *)xmlGetNoNsProp(xmlDocGetRootElement(s->types.doc), (const xmlChar *)"targetNamespace");
	if (!r.types_ns)
		die("types.xsd has no targetNamespace");
	r.reach = xmlHashCreate(1024);
	r.str_types = xmlHashCreate(64);
	r.convs = xmlHashCreate(256);
	typemap_string_types(typemap_path, r.str_types);
	for (int i = 0; i < m->nops; i++) {
		xmlNodePtr el = schema_element(s, (const xmlChar *)m->messages_ns, (const xmlChar *)m->ops[i].response_element);
		char *t = el ? attr(el, "type") : NULL;
		if (t)
			xsd_reach_type(s, r.reach, el, t);
		free(t);
	}
	xsd_reach_derived(s, r.reach);
	if (!(r.head = open_memstream(&r.head_buf, &r.head_len)) || !(r.body = open_memstream(&r.body_buf, &r.body_len)))
		die("out of memory");
	emit_reached(&r);

	/* the header: ServerVersionInfo, a top-level element of an anonymous type */
	svi = schema_element(s, (const xmlChar *)r.types_ns, (const xmlChar *)"ServerVersionInfo");
	if (svi && first_child(svi, NS_XSD, "complexType")) {
		char *plain = c_name(r.types_ns, "ServerVersionInfo"), *cname = xasprintf("_%s", plain);
		emit_type(&r, cname, "ServerVersionInfo", r.types_ns, first_child(svi, NS_XSD, "complexType"));
		fprintf(r.body, "static const ews_rd_member rd_m_header[] = {\n\t{ .name = \"ServerVersionInfo\", .ns = 1, "
			".kind = IS(struct SOAP_ENV__Header, %s__ServerVersionInfo, struct %s *) ? EWS_RD_STRUCT_PTR : EWS_RD_NONE, "
			".offset = offsetof(struct SOAP_ENV__Header, %s__ServerVersionInfo), .type = &rd_%s },\n};\n"
			"static void rd_init_header(struct soap *soap, void *v)\n{\n\tsoap_default_SOAP_ENV__Header(soap, v);\n}\n"
			"static const ews_rd_type rd_header = { \"SOAP_ENV__Header\", sizeof(struct SOAP_ENV__Header), "
			"rd_init_header, rd_m_header, 1 };\n\n", prefix_of(r.types_ns), cname, prefix_of(r.types_ns), cname);
		free(cname), free(plain);
		header = 1;
	}
	fprintf(r.body, "static const char *const rd_namespaces[] = { \"\", \"%s\", \"%s\" };\n\n", r.types_ns, r.messages_ns);
	for (int i = 0; i < m->nops; i++) {
		const operation *o = &m->ops[i];
		xmlNodePtr el = schema_element(s, (const xmlChar *)m->messages_ns, (const xmlChar *)o->response_element);
		char *t = el ? attr(el, "type") : NULL, *ctype = NULL, *wrap;

		if (!t || classify(&r, el, t, &ctype) != K_STRUCT) {
			/* no table: gSOAP alone reads this response */
			fprintf(r.body, "const ews_rd_document ews_rd_doc_%s = { NULL, 0, NULL, NULL };\n\n", o->name);
			free(t), free(ctype);
			continue;
		}
		wrap = xasprintf("__%s__%sResponse", o->wsdl_prefix, o->name);
		fprintf(r.head, "static void rd_init_%s(struct soap *soap, void *v)\n{\n\tsoap_default_%s(soap, (struct %s *)v);\n}\n\n",
			wrap, wrap, wrap);
		fprintf(r.body, "static const ews_rd_member rd_m_%s[] = {\n\t{ .name = \"%s\", .ns = 2, "
			".kind = IS(struct %s, %s, struct %s *) ? EWS_RD_STRUCT_PTR : EWS_RD_NONE, .offset = offsetof(struct %s, %s), "
			".type = &rd_%s },\n};\n", wrap, o->response_element, wrap, o->response_member, ctype, wrap,
			o->response_member, ctype);
		fprintf(r.body, "static const ews_rd_type rd_%s = { \"%s\", sizeof(struct %s), rd_init_%s, rd_m_%s, 1 };\n", wrap,
			wrap, wrap, wrap, wrap);
		fprintf(r.body, "const ews_rd_document ews_rd_doc_%s = { rd_namespaces, 3, %s, &rd_%s };\n\n", o->name,
			header ? "&rd_header" : "NULL", wrap);
		docs++;
		free(t), free(ctype), free(wrap);
	}
	fclose(r.head);
	fclose(r.body);
	out_open(&c, dir, "ews_readers.c");
	fputs("/* Generated by libews generator (ewsgen) from the schema's XSD. DO NOT EDIT. */\n"
	      "/* The fast response reader's tables (ews/reader.h; generator/emit_readers.c says how they are made). */\n"
	      "#include <stddef.h>\n\n" SOAPH_INCLUDE "#include \"ews/reader.h\"\n\n"
	      "/* 1 when member M of struct or union S has C type T (else the member is left to gSOAP) */\n"
	      "#define IS(S, M, T) __builtin_types_compatible_p(__typeof__(((S *)0)->M), T)\n\n", c.f);
	fwrite(r.head_buf, 1, r.head_len, c.f);
	fputs("\n", c.f);
	fwrite(r.body_buf, 1, r.body_len, c.f);
	out_close(&c);
	printf("ewsgen: reader tables for %d types, %d operations (%d members mapped, %d left to gSOAP)\n", r.ntypes, docs,
	       r.nmapped, r.nnone);
	free(r.head_buf), free(r.body_buf);
	xmlFree((xmlChar *)r.types_ns);
	xmlHashFree(r.reach, NULL);
	xmlHashFree(r.str_types, NULL);
	xmlHashFree(r.convs, NULL);
}
