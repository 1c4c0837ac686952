/* xsd_walk.c — what the emitters that follow wsdl2h's C layout share: occurrence of a particle, the element a
 * particle names (and its C member name), substitution groups, groups, and which types a set of roots reaches.
 * Used by emit_builders.c (requests) and emit_readers.c (responses). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ewsgen.h"

int xsd_is_ident(const char *s)
{
	if (!s || !*s || !(isalpha((unsigned char)*s) || *s == '_'))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

int xsd_max_occurs_many(xmlNodePtr n)
{
	char *m = attr(n, "maxOccurs");
	int many = m && (!strcmp(m, "unbounded") || atoi(m) > 1);
	free(m);
	return many;
}

int xsd_min_occurs_zero(xmlNodePtr n)
{
	char *m = attr(n, "minOccurs");
	int zero = m && atoi(m) == 0;
	free(m);
	return zero;
}

xmlNodePtr xsd_element_decl(const schema_set *s, const char *owner_ns, xmlNodePtr el, char **member_name)
{
	char *ref = attr(el, "ref"), *name;

	*member_name = NULL;
	if (!ref) {
		name = attr(el, "name");
		if (xsd_is_ident(name))
			*member_name = name;
		else
			free(name);
		return el;
	}
	qname q = qname_resolve(el, ref);
	xmlNodePtr d = schema_element(s, (const xmlChar *)q.ns, (const xmlChar *)q.local);
	free(ref);
	if (d && xsd_is_ident(q.local))
		*member_name = strcmp(q.ns, owner_ns) ? xasprintf("%s__%s", prefix_of(q.ns), q.local) : xstrdup(q.local);
	qname_free(&q);
	return d;
}

int xsd_substitution_members(const schema_set *s, xmlNodePtr head, xmlNodePtr **out)
{
	const schema_file *files[] = { &s->types, &s->messages };
	char *hname = attr(head, "name");
	xmlChar *hns = head->doc && xmlDocGetRootElement(head->doc)
		? xmlGetNoNsProp(xmlDocGetRootElement(head->doc), (const xmlChar *)"targetNamespace") : NULL;
	int n = 0;

	*out = NULL;
	for (int f = 0; f < 2; f++)
		for (xmlNodePtr e = first_child(xmlDocGetRootElement(files[f]->doc), NS_XSD, "element"); e;
		     e = next_sibling(e, NS_XSD, "element")) {
			char *sg = attr(e, "substitutionGroup");
			if (sg) {
				qname q = qname_resolve(e, sg);
				if (hname && !strcmp(q.local, hname) && hns && !strcmp(q.ns, (const char *)hns)) {
					*out = realloc(*out, (size_t)(n + 1) * sizeof **out);
					if (!*out)
						die("out of memory");
					(*out)[n++] = e;
				}
				qname_free(&q);
				free(sg);
			}
		}
	free(hname);
	xmlFree(hns);
	return n;
}

xmlNodePtr xsd_find_named(const schema_set *s, xmlNodePtr ref_node, const char *ref, const char *kind)
{
	qname q = qname_resolve(ref_node, ref);
	const schema_file *files[] = { &s->types, &s->messages };
	xmlNodePtr found = NULL;

	for (int f = 0; f < 2 && !found; f++) {
		xmlNodePtr root = xmlDocGetRootElement(files[f]->doc);
		xmlChar *tns = xmlGetNoNsProp(root, (const xmlChar *)"targetNamespace");
		if (tns && !strcmp((const char *)tns, q.ns))
			for (xmlNodePtr g = first_child(root, NS_XSD, kind); g && !found; g = next_sibling(g, NS_XSD, kind)) {
				char *name = attr(g, "name");
				if (name && !strcmp(name, q.local))
					found = g;
				free(name);
			}
		xmlFree(tns);
	}
	qname_free(&q);
	return found;
}

xmlNodePtr xsd_find_group(const schema_set *s, xmlNodePtr ref_node, const char *ref)
{
	return xsd_find_named(s, ref_node, ref, "group");
}

int xsd_choice_alternatives(const schema_set *s, const char *owner_ns, xmlNodePtr *alts, int nalts, xmlNodePtr **out)
{
	xmlNodePtr *all = NULL;
	int n = 0;

	for (int i = 0; i < nalts; i++) {
		char *ref = attr(alts[i], "ref"), *member = NULL;
		xmlNodePtr d = ref ? xsd_element_decl(s, owner_ns, alts[i], &member) : NULL, *subs = NULL;
		int nsubs = d ? xsd_substitution_members(s, d, &subs) : 0;

		all = realloc(all, (size_t)(n + (nsubs ? nsubs : 1)) * sizeof *all);
		if (!all)
			die("out of memory");
		if (nsubs) {
			memcpy(all + n, subs, (size_t)nsubs * sizeof *subs);
			n += nsubs;
		} else {
			all[n++] = alts[i];
		}
		free(subs), free(ref), free(member);
	}
	*out = all;
	return n;
}

/* Everything a type's content names: element types, refs (and their substitution groups), bases, groups. */
static void reach_content(const schema_set *s, xmlHashTablePtr reach, xmlNodePtr n, int depth)
{
	for (xmlNodePtr p = first_child(n, NS_XSD, NULL); p && depth < 64; p = next_sibling(p, NS_XSD, NULL)) {
		char *t = attr(p, "type"), *ref = attr(p, "ref"), *base = attr(p, "base");

		if (is_elem(p, NS_XSD, "element") && t)
			xsd_reach_type(s, reach, p, t);
		if (is_elem(p, NS_XSD, "element") && ref) {
			char *member;
			xmlNodePtr d = xsd_element_decl(s, "", p, &member), *subs = NULL;
			char *dt = d ? attr(d, "type") : NULL;
			int nsubs = d ? xsd_substitution_members(s, d, &subs) : 0;
			if (dt)
				xsd_reach_type(s, reach, d, dt);
			for (int i = 0; i < nsubs; i++) {
				char *st = attr(subs[i], "type");
				if (st)
					xsd_reach_type(s, reach, subs[i], st);
				free(st);
			}
			free(dt), free(subs), free(member);
		}
		if (is_elem(p, NS_XSD, "group") && ref) {
			xmlNodePtr g = xsd_find_group(s, p, ref);
			if (g)
				reach_content(s, reach, g, depth + 1);
		}
		if (base)
			xsd_reach_type(s, reach, p, base);
		reach_content(s, reach, p, depth + 1);
		free(t), free(ref), free(base);
	}
}

void xsd_reach_type(const schema_set *s, xmlHashTablePtr reach, xmlNodePtr n, const char *value)
{
	qname q = qname_resolve(n, value);
	xmlNodePtr def = strcmp(q.ns, NS_XSD) ? schema_type(s, (const xmlChar *)q.ns, (const xmlChar *)q.local) : NULL;

	if (def && !xmlHashLookup2(reach, (const xmlChar *)q.local, (const xmlChar *)q.ns)) {
		xmlHashAddEntry2(reach, (const xmlChar *)q.local, (const xmlChar *)q.ns, def);
		reach_content(s, reach, def, 0);
	}
	qname_free(&q);
}

void xsd_reach_derived(const schema_set *s, xmlHashTablePtr reach)
{
	int grew = 1;

	while (grew) {
		grew = 0;
		for (int f = 0; f < 2; f++) {
			xmlNodePtr root = xmlDocGetRootElement(f ? s->types.doc : s->messages.doc);
			char *tns = attr(root, "targetNamespace");
			for (xmlNodePtr t = first_child(root, NS_XSD, "complexType"); t && tns; t = next_sibling(t, NS_XSD, "complexType")) {
				xmlNodePtr cc = first_child(t, NS_XSD, "complexContent"), ext = first_child(cc, NS_XSD, "extension");
				char *name = attr(t, "name"), *base = ext ? attr(ext, "base") : NULL;
				if (name && base && !xmlHashLookup2(reach, (const xmlChar *)name, (const xmlChar *)tns)) {
					qname q = qname_resolve(ext, base);
					if (xmlHashLookup2(reach, (const xmlChar *)q.local, (const xmlChar *)q.ns)) {
						xmlHashAddEntry2(reach, (const xmlChar *)name, (const xmlChar *)tns, t);
						reach_content(s, reach, t, 0);
						grew = 1;
					}
					qname_free(&q);
				}
				free(name), free(base);
			}
			free(tns);
		}
	}
}

void typemap_string_types(const char *typemap_path, xmlHashTablePtr out)
{
	size_t len;
	char *data = (char *)read_file(typemap_path, &len), *line, *save = NULL;

	/* lines `ewstype__X = typedef char *ewstype__X; | ...`: the type is a C string, whatever the schema says */
	for (line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[256];
		if (sscanf(line, "%255[A-Za-z0-9_] = typedef char *", name) == 1 && strstr(line, "= typedef char *"))
			xmlHashAddEntry(out, (const xmlChar *)name, (void *)1);
	}
	free(data);
}

int xsd_plain_choice(xmlNodePtr choice, xmlNodePtr *alts, int max)
{
	int n = 0, plain = 1;

	for (xmlNodePtr a = first_child(choice, NS_XSD, NULL); a; a = next_sibling(a, NS_XSD, NULL)) {
		if (is_elem(a, NS_XSD, "element") && n < max)
			alts[n++] = a;
		else if (!is_elem(a, NS_XSD, "any") && !is_elem(a, NS_XSD, "annotation"))
			plain = 0;
	}
	return plain ? n : -1 - n;
}
