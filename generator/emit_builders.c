/* emit_builders.c — ews_builders.[ch]: typed constructors for the schema's choices and repeated elements.
 *
 * gSOAP stores an xs:choice (and an element that stands for a substitution group, t:Path, t:SearchExpression)
 * as a variant selector plus a C union, a repeated one as `__size_X` + an array of such pairs, and a repeated
 * element as `__sizeX` + an array. Building a request by hand means knowing those names, the SOAP_UNION_...
 * selectors, and growing arrays. This emitter reads the content models from the XSD (libxml2, never gSOAP's
 * output) and writes, for every named complex type T of the set:
 *   - each alternative E of a choice of T, repeated:  struct E *ews_T_add_E(ews_client *c, struct T **owner)
 *   - each alternative E of a single choice of T:     struct E *ews_T_set_E(ews_client *c, struct T **owner)
 *   - each repeated element E of T:                    struct E *ews_T_add_E(ews_client *c, struct T **owner)
 * String alternatives/elements take the value (copied into the arena) and return the copy; enumerations take
 * the value and return where it is stored. *owner is created when NULL, so `ews_CreateItemType_set_...(c, &req)`
 * works on an empty request. All memory lives in the client's arena (ews_client_arena).
 *
 * The C names follow wsdl2h's rules (wsdl2h -c -F -d): the members of a derived type's base come first, the
 * unions of a type are named union_T, union_T_, union_T__ ... in content order, whatever type declared them, and
 * the union of a substitution group lists its members, not the head. A content model this emitter does not map
 * (optional or repeated sequences and groups, nested choices, anonymous types, other simple types) gets no
 * builder; the build compiles every emitted builder against gSOAP's soapStub.h, so a wrong guess fails loudly. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ewsgen.h"

typedef enum { V_NONE, V_STRUCT, V_STRING, V_ENUM } value_kind;

typedef struct builders {
	const schema_set *s;
	outfile h, c;
	xmlHashTablePtr fn_names;   /* emitted function names: a clash gets a numeric suffix */
	xmlHashTablePtr str_types;  /* C type names typemap.dat maps to char * */
	xmlHashTablePtr reach;      /* (local, namespace) of the types a request can contain */
	int nfuncs, nskipped;
} builders;

/* One named complex type being walked: its names and the union counter wsdl2h keeps per struct. */
typedef struct owner {
	const char *local;          /* CreateItemType */
	const char *ns;
	char *cname;                /* ewsmsg__CreateItemType */
	const char *prefix;         /* ewsmsg */
	int unions;                 /* unions named so far (suffix "_" per earlier one) */
	int commented;
} owner;

/* The C type of an element's values, when builders can handle it: a named complex type (a struct), a string
 * (xs:string and kin, simple types restricting them, typemap.dat's char * types) or an enumeration. */
static value_kind classify(builders *b, xmlNodePtr el, char **ctype)
{
	char *t = attr(el, "type");
	value_kind k = V_NONE;
	qname q;

	*ctype = NULL;
	if (!t)
		return V_NONE;          /* anonymous type */
	q = qname_resolve(el, t);
	free(t);
	for (int depth = 0; depth < 16 && k == V_NONE; depth++) {
		xmlNodePtr def, r;
		char *base;

		if (!strcmp(q.ns, NS_XSD)) {
			static const char *strings[] = { "string", "anyURI", "token", "normalizedString", "dateTime",
							 "language", "NCName", "Name", NULL };
			for (int i = 0; strings[i]; i++)
				if (!strcmp(q.local, strings[i]))
					k = V_STRING;
			break;
		}
		def = schema_type(b->s, (const xmlChar *)q.ns, (const xmlChar *)q.local);
		if (!def || !prefix_of(q.ns) || !xsd_is_ident(q.local))
			break;
		if (!*ctype) {
			*ctype = c_name(q.ns, q.local);
			if (xmlHashLookup(b->str_types, (const xmlChar *)*ctype)) {
				k = V_STRING;
				break;
			}
		}
		if (!strcmp((const char *)def->name, "complexType")) {
			k = V_STRUCT;
			break;
		}
		/* a simple type: an enumeration, or a restriction whose base we follow */
		if (!(r = first_child(def, NS_XSD, "restriction")))
			break;
		if (first_child(r, NS_XSD, "enumeration")) {
			k = V_ENUM;
			break;
		}
		if (!(base = attr(r, "base")))
			break;
		qname_free(&q);
		q = qname_resolve(r, base);
		free(base);
	}
	qname_free(&q);
	if (k == V_NONE || (k == V_STRUCT && !*ctype)) {
		free(*ctype);
		*ctype = NULL;
		return V_NONE;
	}
	return k;
}

static char *fn_name(builders *b, const owner *o, const char *verb, const char *member)
{
	char *n = xasprintf("ews_%s_%s_%s", o->local, verb, member);

	for (int i = 2; xmlHashLookup(b->fn_names, (const xmlChar *)n); i++) {
		free(n);
		n = xasprintf("ews_%s_%s_%s_%d", o->local, verb, member, i);
	}
	xmlHashAddEntry(b->fn_names, (const xmlChar *)n, (void *)1);
	return n;
}

static void owner_comment(builders *b, owner *o)
{
	if (o->commented)
		return;
	o->commented = 1;
	fprintf(b->h.f, "\n/* %s (struct %s): *owner is created in the client's arena when NULL. */\n", o->local, o->cname);
}

/* Prototype + body of one builder. kind: how the value is held; arr/cnt: the array member and its counter when the
 * value is appended (NULL: set in the owner itself, elem_t being its type); sel: C that sets the union's selector,
 * ending in ", " (NULL for a plain element);
 * slot: where the value goes, as C on the new slot `x` (NULL: the array holds the structs themselves, x is the
 * new one). */
static void emit_one(builders *b, owner *o, const char *verb, const char *member, value_kind kind, const char *ctype,
		     const char *arr, const char *cnt, const char *elem_t, const char *sel, const char *slot)
{
	char *fn = fn_name(b, o, verb, member);
	char *ret, *params;

	owner_comment(b, o);
	if (kind == V_STRUCT) {
		ret = xasprintf("struct %s *", ctype);
		params = xasprintf("ews_client *c, struct %s **owner", o->cname);
	} else if (kind == V_STRING) {
		ret = xstrdup("char *");
		params = xasprintf("ews_client *c, struct %s **owner, const char *value", o->cname);
	} else {
		ret = xasprintf("enum %s *", ctype);
		params = xasprintf("ews_client *c, struct %s **owner, enum %s value", o->cname, ctype);
	}
	fprintf(b->h.f, "%s%s(%s);\n", ret, fn, params);
	fprintf(b->c.f, "%s%s(%s)\n{\n\tOWNER(%s);", ret, fn, params, o->cname);
	if (kind == V_STRUCT && slot)
		fprintf(b->c.f, " NEW(%s);", ctype);
	else if (kind == V_STRING)
		fputs(" COPY();", b->c.f);
	if (arr)
		fprintf(b->c.f, "\n\tGROW(%s, %s, %s);", elem_t, arr, cnt);
	else
		fprintf(b->c.f, " %s*x = o;", elem_t);
	if (!slot)     /* a struct held in the array itself */
		fprintf(b->c.f, "\n\tsoap_default_%s(a, x);\n\treturn x;\n}\n", ctype);
	else if (kind == V_ENUM)
		fprintf(b->c.f, "\n\t%s%s = value;\n\treturn &%s;\n}\n", sel ? sel : "", slot, slot);
	else
		fprintf(b->c.f, "\n\t%s%s = v;\n\treturn v;\n}\n", sel ? sel : "", slot);
	b->nfuncs++;
	free(fn);
	free(ret);
	free(params);
}

/* A union slot of the owner (an xs:choice, or a ref to a substitution group head): one builder per alternative.
 * alts/nalts: the alternatives' element declarations. */
static void emit_union(builders *b, owner *o, int many, xmlNodePtr *alts, int nalts)
{
	char uname[512], arr[600], cnt[600], wrap[700];
	int n = o->unions++;

	snprintf(uname, sizeof uname, "union_%s", o->local);
	for (int i = 0; i < n && strlen(uname) + 2 < sizeof uname; i++)
		strcat(uname, "_");
	snprintf(arr, sizeof arr, "__%s", uname);
	snprintf(cnt, sizeof cnt, "__size_%s", uname + 6);
	snprintf(wrap, sizeof wrap, "struct __%s__%s ", o->prefix, uname);
	for (int i = 0; i < nalts; i++) {
		char *member, *ctype, *sel, *slot;
		xmlNodePtr d = xsd_element_decl(b->s, o->ns, alts[i], &member);
		value_kind k = d && member ? classify(b, d, &ctype) : V_NONE;

		if (k == V_NONE || xsd_max_occurs_many(alts[i])) {
			if (k != V_NONE)
				free(ctype);
			b->nskipped++;
			free(member);
			continue;
		}
		/* x->__union_B = SOAP_UNION__<prefix>__union_B_<member>, x->union_B.<member> */
		sel = xasprintf("SEL(%s, %s, %s), ", o->prefix, uname + 6, member);
		slot = xasprintf("x->%s.%s", uname, member);
		if (many)
			emit_one(b, o, "add", member, k, ctype, arr, cnt, wrap, sel, slot);
		else {
			char *self = xasprintf("struct %s ", o->cname);
			emit_one(b, o, "set", member, k, ctype, NULL, NULL, self, sel, slot);
			free(self);
		}
		free(sel);
		free(slot);
		free(member);
		free(ctype);
	}
}

/* A choice: an alternative that refers to a substitution group head stands for the group's members (wsdl2h
 * lists them in the union in its place). */
static void emit_choice(builders *b, owner *o, int many, xmlNodePtr *alts, int nalts)
{
	xmlNodePtr *all;
	int n = xsd_choice_alternatives(b->s, o->ns, alts, nalts, &all);

	emit_union(b, o, many, all, n);
	free(all);
}

static void walk_particle(builders *b, owner *o, xmlNodePtr p);

static void walk_children(builders *b, owner *o, xmlNodePtr parent)
{
	for (xmlNodePtr p = first_child(parent, NS_XSD, NULL); p; p = next_sibling(p, NS_XSD, NULL))
		walk_particle(b, o, p);
}

static void walk_particle(builders *b, owner *o, xmlNodePtr p)
{
	const char *kind = (const char *)p->name;

	if (!strcmp(kind, "sequence") || !strcmp(kind, "all")) {
		/* an optional or repeated sequence becomes a struct of its own (__T_sequence): not mapped */
		if (!xsd_min_occurs_zero(p) && !xsd_max_occurs_many(p))
			walk_children(b, o, p);
	} else if (!strcmp(kind, "group")) {
		char *ref = attr(p, "ref");
		xmlNodePtr g = ref ? xsd_find_group(b->s, p, ref) : NULL;
		if (g && !xsd_min_occurs_zero(p) && !xsd_max_occurs_many(p))
			walk_children(b, o, g);
		free(ref);
	} else if (!strcmp(kind, "choice")) {
		xmlNodePtr alts[256];
		int n = xsd_plain_choice(p, alts, 256);
		if (n >= 0)
			emit_choice(b, o, xsd_max_occurs_many(p), alts, n);
		else
			o->unions++, b->nskipped += -1 - n;   /* nested particles: wsdl2h's layout is not mapped here */
	} else if (!strcmp(kind, "element")) {
		char *member, *ctype, *ref = attr(p, "ref");
		xmlNodePtr d = xsd_element_decl(b->s, o->ns, p, &member), *subs = NULL;
		int nsubs = ref && d ? xsd_substitution_members(b->s, d, &subs) : 0;

		if (nsubs) {
			emit_union(b, o, xsd_max_occurs_many(p), subs, nsubs);
		} else if (xsd_max_occurs_many(p) && d && member) {
			value_kind k = classify(b, d, &ctype);
			if (k != V_NONE) {
				char *arr = xasprintf("%s", member), *cnt = xasprintf("__size%s", member);
				char *et = k == V_STRUCT ? xasprintf("struct %s ", ctype) : k == V_ENUM ?
					xasprintf("enum %s ", ctype) : xstrdup("char *");
				/* the array holds the values themselves: a struct is the new slot (valid until the next
				 * add to the same owner moves the array: fill it first), a string or enumeration goes in it */
				emit_one(b, o, "add", member, k, ctype, arr, cnt, et, NULL, k == V_STRUCT ? NULL : "*x");
				free(arr), free(cnt), free(et), free(ctype);
			} else {
				b->nskipped++;
			}
		}
		free(subs);
		free(member);
		free(ref);
	}
}

/* The content of a complex type in wsdl2h's order: an extension's base first. */
static void walk_type(builders *b, owner *o, xmlNodePtr type, int depth)
{
	for (xmlNodePtr p = first_child(type, NS_XSD, NULL); p && depth < 32; p = next_sibling(p, NS_XSD, NULL)) {
		if (is_elem(p, NS_XSD, "complexContent")) {
			xmlNodePtr ext = first_child(p, NS_XSD, "extension"), res = first_child(p, NS_XSD, "restriction");
			if (ext) {
				char *base = attr(ext, "base");
				if (base) {
					qname q = qname_resolve(ext, base);
					xmlNodePtr bt = schema_type(b->s, (const xmlChar *)q.ns, (const xmlChar *)q.local);
					if (bt)
						walk_type(b, o, bt, depth + 1);
					qname_free(&q);
					free(base);
				}
				walk_children(b, o, ext);
			} else if (res) {
				walk_children(b, o, res);
			}
		} else if (!is_elem(p, NS_XSD, "simpleContent")) {
			walk_particle(b, o, p);
		}
	}
}

/* The request types of the operations, what they contain, and the types derived from any of those (a request
 * may hold a derived type where its base is declared). */
static void reach_requests(builders *b, const op_model *m)
{
	for (int i = 0; i < m->nops; i++) {
		xmlNodePtr el = schema_element(b->s, (const xmlChar *)m->messages_ns, (const xmlChar *)m->ops[i].request_element);
		char *t = el ? attr(el, "type") : NULL;
		if (t)
			xsd_reach_type(b->s, b->reach, el, t);
		free(t);
	}
	xsd_reach_derived(b->s, b->reach);
}

void emit_builders(const schema_set *s, const op_model *m, const char *typemap_path, const char *dir)
{
	builders b = { .s = s };
	const schema_file *files[] = { &s->messages, &s->types };

	b.fn_names = xmlHashCreate(4096);
	b.str_types = xmlHashCreate(64);
	b.reach = xmlHashCreate(1024);
	typemap_string_types(typemap_path, b.str_types);
	reach_requests(&b, m);
	out_open(&b.h, dir, "ews_builders.h");
	out_open(&b.c, dir, "ews_builders.c");
	fputs("/* Generated by libews generator (ewsgen) from the schema's XSD. DO NOT EDIT. */\n"
	      "/* Typed builders: fill the schema's choices and repeated elements without gSOAP's unions, selectors,\n"
	      " * __size_ counters or casts (see runtime/README.md, \"Building requests\").\n"
	      " *   ews_T_add_E(c, &owner)  appends a new E to owner's list of choices or repeated E (T is owner's schema\n"
	      " *                           type); ews_T_set_E(c, &owner) makes E owner's single choice.\n"
	      " * Ownership: everything, *owner included (created when NULL), is allocated in the client's arena\n"
	      " * (ews_client_arena(c)) and freed by ews_client_arena_reset(c) or ews_client_free(c). Each returns the new\n"
	      " * element (a string: the arena copy of value; an enumeration: where it is stored), NULL when out of memory. */\n"
	      "#ifndef EWS_BUILDERS_H\n#define EWS_BUILDERS_H\n\n"
	      SOAPH_INCLUDE "#include \"ews/client.h\"\n\n"
	      "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
	      "/* A new, default-initialised T (a gSOAP C type name: ewsmsg__CreateItemType) in the client's arena.\n"
	      " * NULL when out of memory. */\n#define EWS_NEW(c, T) soap_new_##T(ews_client_arena(c), 1)\n"
	      "/* A new T holding value (for optional enumerations and numbers: EWS_BOX(c, ewstype__MessageDispositionType,\n"
	      " * ewstype__MessageDispositionType__SaveOnly)), in the client's arena; NULL when out of memory. */\n"
	      "#define EWS_BOX(c, T, value) __extension__({ __auto_type ews_box_ = soap_new_##T(ews_client_arena(c), 1); \\\n"
	      "\tif (ews_box_) { *ews_box_ = (value); } ews_box_; })\n", b.h.f);
	fputs("/* Generated by libews generator (ewsgen) from the schema's XSD. DO NOT EDIT. */\n"
	      "#include <string.h>\n#include \"ews_builders.h\"\n\n"
	      "/* *owner, created (default-initialised, in the arena) when NULL. */\n"
	      "#define builder_owner(a, owner, make) (!(owner) ? NULL : *(owner) ? *(owner) : (*(owner) = make((a), 1)))\n"
	      "/* The parts every builder shares: the owner o, a new struct v, a copy v of a string, a new slot x at the\n"
	      " * end of array member ARR counted by CNT, the selector of union union_B set to its member M. */\n"
	      "#define OWNER(O) struct soap *a = ews_client_arena(c); \\\n"
	      "\tstruct O *o = builder_owner(a, owner, soap_new_##O); if (!o) return NULL\n"
	      "#define NEW(T) struct T *v = soap_new_##T(a, 1); if (!v) return NULL\n"
	      "#define COPY() char *v = value ? soap_strdup(a, value) : NULL; if (value && !v) return NULL\n"
	      "#define GROW(T, ARR, CNT) T *x = builder_grow(a, o->ARR, o->CNT, sizeof *x); if (!x) return NULL; \\\n"
	      "\to->ARR = x; x += o->CNT++\n"
	      "#define SEL(P, B, M) x->__union_##B = SOAP_UNION__##P##__union_##B##_##M\n\n"
	      "/* A copy of an arena array of n elements of size sz with one more, zeroed, at the end (the old copy stays\n"
	      " * in the arena until it is reset). Arrays stay exact-sized, as the serializers expect. */\n"
	      "static void *builder_grow(struct soap *a, const void *old, int n, size_t sz)\n{\n"
	      "\tchar *p = n >= 0 && (size_t)n < ((size_t)-1) / sz - 1 ? soap_malloc(a, (size_t)(n + 1) * sz) : NULL;\n"
	      "\tif (!p)\n\t\treturn NULL;\n\tif (n && old)\n\t\tmemcpy(p, old, (size_t)n * sz);\n"
	      "\tmemset(p + (size_t)n * sz, 0, sz);\n\treturn p;\n}\n\n", b.c.f);
	for (int f = 0; f < 2; f++) {
		xmlNodePtr root = xmlDocGetRootElement(files[f]->doc);
		char *tns = attr(root, "targetNamespace");
		for (xmlNodePtr t = first_child(root, NS_XSD, "complexType"); t; t = next_sibling(t, NS_XSD, "complexType")) {
			char *local = attr(t, "name");
			if (tns && xsd_is_ident(local) && xmlHashLookup2(b.reach, (const xmlChar *)local, (const xmlChar *)tns)) {
				owner o = { .local = local, .ns = tns, .cname = c_name(tns, local), .prefix = prefix_of(tns) };
				walk_type(&b, &o, t, 0);
				free(o.cname);
			}
			free(local);
		}
		free(tns);
	}
	fputs("\n#ifdef __cplusplus\n}\n#endif\n\n#endif\n", b.h.f);
	out_close(&b.h);
	out_close(&b.c);
	xmlHashFree(b.fn_names, NULL);
	xmlHashFree(b.str_types, NULL);
	xmlHashFree(b.reach, NULL);
	printf("ewsgen: %d builders for the %d types requests can hold (%d choice alternatives or repeated elements of types builders do not map)\n",
	       b.nfuncs, xmlHashSize(b.reach), b.nskipped);
}
