/* op_model.c — the operations of a schema set and the shape of their responses, read from the WSDL and XSD.
 *
 * Operations are those of the SOAP 1.1 binding, in binding order (the order wsdl2h declares them). For each:
 * the body part of its input and output messages (soap:body parts=, else the part no soap:header carries),
 * the element of that part and the element's type. The C names follow from typemap.dat's prefixes
 * (qname.c); when wsdl2h ever names something differently, the generated files do not compile: loud. */
#include <stdlib.h>
#include <string.h>

#include "ewsgen.h"

static xmlNodePtr find_named(xmlNodePtr root, const char *ns, const char *local, const char *name)
{
	for (xmlNodePtr n = first_child(root, ns, local); n; n = next_sibling(n, ns, local)) {
		char *v = attr(n, "name");
		int same = v && !strcmp(v, name);

		free(v);
		if (same)
			return n;
	}
	return NULL;
}

/* The first SOAP 1.1 binding of the WSDL. */
static xmlNodePtr soap_binding(const schema_set *s)
{
	xmlNodePtr root = xmlDocGetRootElement(s->wsdl.doc);

	for (xmlNodePtr b = first_child(root, NS_WSDL, "binding"); b; b = next_sibling(b, NS_WSDL, "binding"))
		if (first_child(b, NS_SOAP11, "binding"))
			return b;
	die("%s has no SOAP 1.1 wsdl:binding", s->wsdl.path);
}

/* The element (QName) of the body part of `message` (a QName on node n) for binding input/output `io`. */
static qname body_element(const schema_set *s, xmlNodePtr n, const char *message, xmlNodePtr io, const char *op)
{
	xmlNodePtr root = xmlDocGetRootElement(s->wsdl.doc), msg, part, body;
	qname mq = qname_resolve(n, message), eq;
	char *parts = NULL, *el;

	if (!(msg = find_named(root, NS_WSDL, "message", mq.local)))
		die("%s: operation %s names message %s, which is not declared", s->wsdl.path, op, mq.local);
	qname_free(&mq);
	if (io && (body = first_child(io, NS_SOAP11, "body")))
		parts = attr(body, "parts");
	for (part = first_child(msg, NS_WSDL, "part"); part; part = next_sibling(part, NS_WSDL, "part")) {
		char *name = attr(part, "name");
		int is_body = 1;

		if (parts)
			is_body = name && !strcmp(name, parts);
		else if (io)
			for (xmlNodePtr h = first_child(io, NS_SOAP11, "header"); h; h = next_sibling(h, NS_SOAP11, "header")) {
				char *hp = attr(h, "part");
				if (hp && name && !strcmp(hp, name))
					is_body = 0;
				free(hp);
			}
		free(name);
		if (is_body)
			break;
	}
	free(parts);
	if (!part || !(el = attr(part, "element")))
		die("%s: operation %s: no body part with an element in its message", s->wsdl.path, op);
	eq = qname_resolve(part, el);
	free(el);
	return eq;
}

/* Does complexType t (or a base it extends) have an element ResponseMessages of ArrayOfResponseMessagesType? */
static int has_response_messages(const schema_set *s, xmlNodePtr t, int depth)
{
	if (!t || depth > 16)
		return 0;
	for (xmlNodePtr n = t->children; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE || !is_elem(n, NS_XSD, NULL))
			continue;
		if (!strcmp((const char *)n->name, "element")) {
			char *name = attr(n, "name"), *type = attr(n, "type");
			int yes = 0;
			if (name && type && !strcmp(name, "ResponseMessages")) {
				qname q = qname_resolve(n, type);
				yes = !strcmp(q.local, "ArrayOfResponseMessagesType");
				qname_free(&q);
			}
			free(name);
			free(type);
			if (yes)
				return 1;
			continue;   /* an element's own anonymous type is not this type's content */
		}
		if (!strcmp((const char *)n->name, "extension") || !strcmp((const char *)n->name, "restriction")) {
			char *base = attr(n, "base");
			if (base) {
				qname q = qname_resolve(n, base);
				int yes = has_response_messages(s, schema_type(s, (xmlChar *)q.ns, (xmlChar *)q.local), depth + 1);
				qname_free(&q);
				free(base);
				if (yes)
					return 1;
			}
		}
		if (has_response_messages(s, n, depth + 1))
			return 1;
	}
	return 0;
}

/* The type of a top-level element: its named type, or NULL and *anonymous set. */
static xmlNodePtr element_type(const schema_set *s, const qname *e, char **ctype, const char *op)
{
	xmlNodePtr el = schema_element(s, (xmlChar *)e->ns, (xmlChar *)e->local), t;
	char *type;

	if (!el)
		die("operation %s: element %s is not declared in the schema", op, e->local);
	if (!(type = attr(el, "type"))) {
		/* wsdl2h names an element's anonymous type _prefix__Element */
		char *c = c_name(e->ns, e->local);
		*ctype = xasprintf("struct _%s", c);
		free(c);
		return first_child(el, NS_XSD, "complexType");
	}
	qname q = qname_resolve(el, type);
	char *c = c_name(q.ns, q.local);
	*ctype = xasprintf("struct %s", c);
	t = schema_type(s, (xmlChar *)q.ns, (xmlChar *)q.local);
	if (!t)
		die("operation %s: type %s of element %s is not declared", op, q.local, e->local);
	free(c);
	free(type);
	qname_free(&q);
	return t;
}

static int is_idempotent(const char *op)
{
	/* reads, safe to resend after a transport failure */
	static const char *const prefixes[] = { "Get", "Find", "Sync", "Export", "ConvertId", "ResolveNames", "ExpandDL" };

	for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
		if (!strncmp(op, prefixes[i], strlen(prefixes[i])))
			return 1;
	return 0;
}

static void build_operation(const schema_set *s, xmlNodePtr bop, xmlNodePtr port_type, const char *wsdl_prefix, operation *o)
{
	char *name = attr(bop, "name"), *in, *out, *rctype = NULL;
	xmlNodePtr pop, pin, pout;
	qname qin, qout;

	if (!name)
		die("%s: a binding operation has no name", s->wsdl.path);
	if (!(pop = find_named(port_type, NS_WSDL, "operation", name)))
		die("%s: binding operation %s is not in the port type", s->wsdl.path, name);
	pin = first_child(pop, NS_WSDL, "input");
	pout = first_child(pop, NS_WSDL, "output");
	if (!pin || !pout || !(in = attr(pin, "message")) || !(out = attr(pout, "message")))
		die("%s: operation %s lacks an input or output message", s->wsdl.path, name);
	qin = body_element(s, pin, in, first_child(bop, NS_WSDL, "input"), name);
	qout = body_element(s, pout, out, first_child(bop, NS_WSDL, "output"), name);

	o->name = name;
	o->snake = snake_case(name);
	o->upper = upper_case(o->snake);
	o->idempotent = is_idempotent(name);
	o->wsdl_prefix = xstrdup(wsdl_prefix);
	element_type(s, &qin, &o->request_ctype, name);
	o->request_element = xstrdup(qin.local);
	o->response_element = xstrdup(qout.local);
	o->response_member = c_name(qout.ns, qout.local);
	o->has_messages = has_response_messages(s, element_type(s, &qout, &rctype, name), 0);
	free(rctype);
	free(in);
	free(out);
	qname_free(&qin);
	qname_free(&qout);
}

/* Is type (ns, local) ResponseMessageType or derived from it by extension? */
static int derives_from_response_message(const schema_set *s, const char *ns, const char *local, int depth)
{
	xmlNodePtr t, cc, ext;
	char *base;
	int yes = 0;

	if (!strcmp(local, "ResponseMessageType"))
		return 1;
	if (depth > 16 || !(t = schema_type(s, (xmlChar *)ns, (xmlChar *)local)))
		return 0;
	if (!(cc = first_child(t, NS_XSD, "complexContent")) || !(ext = first_child(cc, NS_XSD, "extension")) ||
	    !(base = attr(ext, "base")))
		return 0;
	qname q = qname_resolve(ext, base);
	yes = derives_from_response_message(s, q.ns, q.local, depth + 1);
	qname_free(&q);
	free(base);
	return yes;
}

static void build_variants(const schema_set *s, op_model *m)
{
	xmlNodePtr arr = schema_type(s, (xmlChar *)m->messages_ns, (xmlChar *)"ArrayOfResponseMessagesType");
	xmlNodePtr choice, rm, seq, e;
	int cap = 0;

	if (!arr)
		die("%s: no ArrayOfResponseMessagesType (is this an EWS schema?)", s->messages.path);
	if (!(choice = first_child(arr, NS_XSD, "choice")))
		die("%s: ArrayOfResponseMessagesType is not a choice", s->messages.path);
	for (e = first_child(choice, NS_XSD, "element"); e; e = next_sibling(e, NS_XSD, "element"))
		cap++;
	m->variants = xmalloc((size_t)cap * sizeof *m->variants);
	for (e = first_child(choice, NS_XSD, "element"); e; e = next_sibling(e, NS_XSD, "element")) {
		message_variant *v = &m->variants[m->nvariants++];
		char *type = attr(e, "type");
		if (!type)
			die("%s: ResponseMessages element %s has no named type", s->messages.path, attr(e, "name"));
		qname q = qname_resolve(e, type);
		v->element = attr(e, "name");
		v->ctype = c_name(q.ns, q.local);
		v->type_local = xstrdup(q.local);
		v->is_response_message = derives_from_response_message(s, q.ns, q.local, 0);
		qname_free(&q);
		free(type);
	}

	if (!(rm = schema_type(s, (xmlChar *)m->messages_ns, (xmlChar *)"ResponseMessageType")))
		die("%s: no ResponseMessageType", s->messages.path);
	if ((seq = first_child(rm, NS_XSD, "sequence"))) {
		char *min = attr(seq, "minOccurs");
		m->shape.sequence_optional = min && !strcmp(min, "0");
		free(min);
		for (e = first_child(seq, NS_XSD, "element"); e; e = next_sibling(e, NS_XSD, "element")) {
			char *name = attr(e, "name");
			if (!name)
				continue;
			m->shape.has_message_text |= !strcmp(name, "MessageText");
			m->shape.has_response_code |= !strcmp(name, "ResponseCode");
			m->shape.has_descriptive_link_key |= !strcmp(name, "DescriptiveLinkKey");
			m->shape.has_message_xml |= !strcmp(name, "MessageXml");
			free(name);
		}
	}
	for (e = first_child(rm, NS_XSD, "attribute"); e; e = next_sibling(e, NS_XSD, "attribute")) {
		char *name = attr(e, "name"), *use = attr(e, "use");
		if (name && !strcmp(name, "ResponseClass")) {
			if (!use || strcmp(use, "required"))
				die("%s: ResponseMessageType/@ResponseClass is optional here; the generator expects it required",
				    s->messages.path);
			m->shape.has_response_class = 1;
			char *type = attr(e, "type");
			if (!type)
				die("%s: ResponseMessageType/@ResponseClass has no type", s->messages.path);
			qname q = qname_resolve(e, type);
			m->shape.response_class_enum = c_name(q.ns, q.local);
			qname_free(&q);
			free(type);
		}
		free(name);
		free(use);
	}
}

void op_model_build(const schema_set *s, op_model *m)
{
	xmlNodePtr root = xmlDocGetRootElement(s->wsdl.doc), binding = soap_binding(s), port_type, bop;
	char *type = attr(binding, "type"), *tns = attr(root, "targetNamespace");
	xmlNodePtr mroot = xmlDocGetRootElement(s->messages.doc);
	const char *wsdl_prefix;
	qname pt;
	int cap = 0;

	memset(m, 0, sizeof *m);
	if (!tns)
		die("%s: wsdl:definitions has no targetNamespace", s->wsdl.path);
	wsdl_prefix = prefix_of(tns);
	if (!type)
		die("%s: the SOAP binding has no type", s->wsdl.path);
	pt = qname_resolve(binding, type);
	if (!(port_type = find_named(root, NS_WSDL, "portType", pt.local)))
		die("%s: port type %s of the binding is not declared", s->wsdl.path, pt.local);
	m->messages_ns = attr(mroot, "targetNamespace");
	if (!m->messages_ns)
		die("%s: no targetNamespace", s->messages.path);
	for (bop = first_child(binding, NS_WSDL, "operation"); bop; bop = next_sibling(bop, NS_WSDL, "operation"))
		cap++;
	m->ops = xmalloc((size_t)cap * sizeof *m->ops);
	for (bop = first_child(binding, NS_WSDL, "operation"); bop; bop = next_sibling(bop, NS_WSDL, "operation"))
		build_operation(s, bop, port_type, wsdl_prefix, &m->ops[m->nops++]);
	build_variants(s, m);
	qname_free(&pt);
	free(type);
	free(tns);
}

void op_model_free(op_model *m)
{
	for (int i = 0; i < m->nops; i++) {
		operation *o = &m->ops[i];
		free(o->name);
		free(o->snake);
		free(o->upper);
		free(o->wsdl_prefix);
		free(o->request_ctype);
		free(o->request_element);
		free(o->response_element);
		free(o->response_member);
	}
	for (int i = 0; i < m->nvariants; i++) {
		free(m->variants[i].element);
		free(m->variants[i].ctype);
		free(m->variants[i].type_local);
	}
	free(m->ops);
	free(m->variants);
	free(m->messages_ns);
	free(m->shape.response_class_enum);
	memset(m, 0, sizeof *m);
}
