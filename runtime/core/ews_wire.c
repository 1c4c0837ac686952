/* ews_wire.c — the streaming send filter behind ews_wire_attach() (see ews_wire.h for why).
 *
 * gSOAP hands the filter its output in pieces of any size (a tag name, an attribute, a buffer of text), so the
 * filter is a small XML tokenizer that keeps its state between pieces: text passes through untouched up to
 * '<'; element and attribute names are collected, their gSOAP prefix replaced by the wire prefix; an xsi:type
 * value is collected and renamed the same way; gSOAP's xmlns declarations of its own prefixes are dropped, and
 * each start tag gets the declarations of the chosen shape plus any wire prefix it uses that is not in scope.
 * The output of a message depends only on its bytes, so the counting pass and the sending pass agree.
 */
#include <stdlib.h>
#include <string.h>

#include <stdsoap2.h>

#include "ews_internal.h"
#include "ews_wire.h"

#define NS_SOAP "http://schemas.xmlsoap.org/soap/envelope/"
#define NS_XSI "http://www.w3.org/2001/XMLSchema-instance"
#define NS_XSD "http://www.w3.org/2001/XMLSchema"

/* Wire prefixes the filter declares. Index order is the order of lazy declarations. */
enum { P_S, P_M, P_T, P_H, P_E, P_XSI, P_XSD, P_A, P_ENC, P_COUNT };
static const char *const wire_name[P_COUNT] = { "s", "m", "t", "h", "e", "xsi", "xsd", "a", "SOAP-ENC" };
static const char *const wire_uri[P_COUNT] = { NS_SOAP, EWS_NS_MESSAGES, EWS_NS_TYPES, EWS_NS_TYPES,
					       EWS_NS_ERRORS, NS_XSI, NS_XSD, EWS_NS_TYPES,
					       "http://schemas.xmlsoap.org/soap/encoding/" };

/* gSOAP's prefixes (the namespace tables of libews and ewsd) and the wire prefix each becomes. */
static const struct {
	const char *gsoap;
	int wire;
} renames[] = {
	{ "SOAP-ENV", P_S }, { "ewsmsg", P_M }, { "ewstype", P_T }, { "ewserr", P_E },
	{ "xsi", P_XSI }, { "xsd", P_XSD }, { "a", P_A }, { "SOAP-ENC", P_ENC },
};

enum state { ST_TEXT, ST_LT, ST_NAME, ST_TAG, ST_ANAME, ST_AVAL, ST_PASS };

#define NAME_MAX_LEN 256

struct wire {
	enum ews_wire_shape shape;
	int (*prev)(struct soap *, const char **, size_t *);
	int (*prev_init)(struct soap *);
	int armed;                  /* a message is under way: the next piece with soap->ns == 0 starts a new one */
	enum state st;
	int end_tag, self_closing, drop_attr, qname_attr;
	int decl_attr;              /* an xmlns:P of a wire prefix (from DOM content): index+1, decided at its end */
	char aname[NAME_MAX_LEN];   /* that attribute's name and leading whitespace, held until then */
	size_t naname;
	char quote;
	char name[NAME_MAX_LEN];    /* element or attribute name, or xsi:type value, being collected */
	size_t nname;
	char ws[32];                /* whitespace before an attribute that may be dropped */
	size_t nws;
	int depth;                  /* depth of the element whose tag is open or last opened */
	int declared_at[P_COUNT];   /* depth of the element declaring each wire prefix, 0 when not in scope */
	unsigned used;              /* wire prefixes the open start tag uses (bit per index) */
	enum { E_OTHER, E_BODY, E_FAULTCODE, E_FAULTSTRING } elem;  /* the open start tag, by name (w->name is
	                                                               reused for its attributes) */
	int header_depth, body_depth;
	int body_pending;           /* the '>' of <s:Body> is held until its first child shows whether it is a fault */
	int gt_pending;             /* the '>' of a start tag is held: an end tag right after it makes it "/>" */
	int swallow_end;            /* that end tag is being dropped up to its '>' */
	char *out;
	size_t nout, cap;
};

static const char wire_id[] = "ews-wire";

/* ---- output buffer ---- */

static int put(struct wire *w, const char *s, size_t n)
{
	if (w->nout + n > w->cap) {
		size_t cap = (w->nout + n) * 2 + 256;
		char *p = realloc(w->out, cap);
		if (!p)
			return -1;
		w->out = p;
		w->cap = cap;
	}
	memcpy(w->out + w->nout, s, n);
	w->nout += n;
	return 0;
}

static int puts_(struct wire *w, const char *s) { return put(w, s, strlen(s)); }

static int declare(struct wire *w, int p, const char *name)
{
	w->declared_at[p] = w->depth;
	return puts_(w, " xmlns") || (name && (put(w, ":", 1) || puts_(w, name))) || put(w, "=\"", 2) ||
	       puts_(w, wire_uri[p]) || put(w, "\"", 1);
}

static int declare_prefix(struct wire *w, int p)
{
	return w->declared_at[p] ? 0 : declare(w, p, wire_name[p]);
}

/* ---- names ---- */

/* The wire prefix index of a gSOAP prefix of length n, -1 when it is not one of ours. */
static int lookup(const char *prefix, size_t n)
{
	for (size_t i = 0; i < sizeof renames / sizeof renames[0]; i++)
		if (strlen(renames[i].gsoap) == n && !memcmp(renames[i].gsoap, prefix, n))
			return renames[i].wire;
	return -1;
}

/* Writes the collected QName w->name with its prefix renamed (p_override >= 0 forces a wire prefix); returns
 * the wire prefix index or -1 (unknown or no prefix: written as it is). */
static int put_qname(struct wire *w, int p_override, int *err)
{
	const char *colon = memchr(w->name, ':', w->nname);
	int p = colon ? lookup(w->name, (size_t)(colon - w->name)) : -1;
	if (p < 0) {
		*err |= put(w, w->name, w->nname);
		return -1;
	}
	if (p_override >= 0)
		p = p_override;
	*err |= puts_(w, wire_name[p]) || put(w, colon, w->nname - (size_t)(colon - w->name));
	return p;
}

static int local_is(const struct wire *w, const char *local)
{
	const char *colon = memchr(w->name, ':', w->nname);
	const char *l = colon ? colon + 1 : w->name;
	size_t n = w->nname - (size_t)(l - w->name);
	return strlen(local) == n && !memcmp(l, local, n);
}

static int gsoap_prefix_is(const struct wire *w, const char *prefix)
{
	size_t n = strlen(prefix);
	return w->nname > n && w->name[n] == ':' && !memcmp(w->name, prefix, n);
}

/* ---- held '>' ---- */

/* Writes what a start tag held back, now that the next token is known: the body's declarations (its first child
 * shows whether the body is a fault) and the '>'. An end tag right after the start tag (empty_end) makes the
 * start tag "/>": gSOAP writes empty elements as <x></x>, Exchange and its clients as <x/>. */
static int flush_pending(struct wire *w, int is_fault, int empty_end)
{
	int err = 0;
	if (w->body_pending) {
		w->body_pending = 0;
		if (!is_fault) {    /* Exchange's faults have a bare <s:Body> */
			int save = w->depth;
			w->depth = w->body_depth;
			err = declare(w, P_XSI, "xsi") || declare(w, P_XSD, "xsd");
			w->depth = save;
		}
		w->gt_pending = 1;
	}
	if (!w->gt_pending)
		return err;
	w->gt_pending = 0;
	if (empty_end) {
		w->swallow_end = 1;
		return err || put(w, "/>", 2);
	}
	return err || put(w, ">", 1);
}

/* ---- tags ---- */

/* A start tag's name is complete: write "<name" and note what the shape declares on this element. */
static int start_tag(struct wire *w)
{
	int err = 0, p, in_header = w->header_depth && w->depth == w->header_depth;   /* a Header child */
	err |= flush_pending(w, w->body_depth && w->depth == w->body_depth && local_is(w, "Fault"), 0);
	w->depth++;
	w->used = 0;
	err |= put(w, "<", 1);
	p = put_qname(w, w->shape == EWS_WIRE_RESPONSE && in_header && gsoap_prefix_is(w, "ewstype") ? P_H : -1,
		      &err);
	if (p >= 0)
		w->used |= 1u << p;
	if (p == P_S && local_is(w, "Header"))
		w->header_depth = w->depth;
	w->elem = p == P_S && local_is(w, "Body") ? E_BODY
		: w->nname == 9 && !memcmp(w->name, "faultcode", 9) ? E_FAULTCODE
		: w->nname == 11 && !memcmp(w->name, "faultstring", 11) ? E_FAULTSTRING : E_OTHER;
	return err;
}

static int end_tag_name(struct wire *w)
{
	int err = 0, in_header = w->header_depth && w->depth == w->header_depth + 1;
	if (w->gt_pending || w->body_pending)
		return flush_pending(w, 0, 1);  /* the element is empty: its start tag became "<x/>" */
	err |= put(w, "</", 2);
	(void)put_qname(w, w->shape == EWS_WIRE_RESPONSE && in_header && gsoap_prefix_is(w, "ewstype") ? P_H : -1,
			&err);
	return err;
}

/* An element closes: the prefixes it declared go out of scope. */
static void pop(struct wire *w)
{
	for (int p = 0; p < P_COUNT; p++)
		if (w->declared_at[p] >= w->depth)
			w->declared_at[p] = 0;
	if (w->header_depth >= w->depth)
		w->header_depth = 0;
	if (w->body_depth >= w->depth)
		w->body_depth = 0;
	w->depth--;
}

/* The declarations of the start tag being closed: the shape's for this element, then any used prefix that
 * is not in scope. */
static int tag_declarations(struct wire *w, int *hold)
{
	int err = 0;
	*hold = 0;
	if (w->depth == 1) {
		if (w->used & (1u << P_S))
			err |= declare(w, P_S, "s");
		if (w->shape == EWS_WIRE_REQUEST || !(w->used & (1u << P_S)))   /* an envelope, or a bare message */
			err |= declare_prefix(w, P_M) || declare_prefix(w, P_T);
	} else if (w->shape == EWS_WIRE_RESPONSE) {
		if (w->used & (1u << P_H)) {    /* Exchange's ServerVersionInfo, declarations and all */
			err |= declare(w, P_H, "h") || declare(w, P_T, NULL) || declare(w, P_XSD, "xsd") ||
			       declare(w, P_XSI, "xsi");
			w->declared_at[P_T] = 0;    /* that was the default namespace, not t */
		} else if (w->elem == E_BODY && w->depth == 2) {
			w->body_depth = w->depth;
			w->body_pending = 1;
			*hold = 1;
			return err;
		} else if (w->body_depth && w->depth == w->body_depth + 1 && (w->used & (1u << P_M))) {
			err |= declare_prefix(w, P_M) || declare_prefix(w, P_T);
		} else if (w->elem == E_FAULTCODE) {
			err |= declare_prefix(w, P_A);   /* its text is a QName: a:ErrorServerBusy */
		} else if (w->elem == E_FAULTSTRING) {
			err |= puts_(w, " xml:lang=\"en-US\"");    /* Exchange's */
		}
	}
	for (int p = 0; p < P_COUNT; p++)
		if ((w->used & (1u << p)) && !w->declared_at[p])
			err |= declare(w, p, wire_name[p]);
	return err;
}

static int close_start_tag(struct wire *w, int self_closing)
{
	int hold, err = put(w, w->ws, w->nws);
	w->nws = 0;
	err |= tag_declarations(w, &hold);
	if (self_closing) {
		if (hold)
			err |= flush_pending(w, 0, 1);
		else
			err |= put(w, "/>", 2);
		w->swallow_end = 0;
		pop(w);
	} else if (!hold) {
		w->gt_pending = 1;
	}
	return err;
}

static int wire_lookup(const char *name, size_t n)
{
	for (int p = 0; p < P_COUNT; p++)
		if (strlen(wire_name[p]) == n && !memcmp(wire_name[p], name, n))
			return p;
	return -1;
}

/* An attribute name is complete (at '='). */
static int attribute_name(struct wire *w)
{
	int err = 0;
	w->drop_attr = w->decl_attr = 0;
	if (w->nname > 6 && !memcmp(w->name, "xmlns:", 6)) {
		if (lookup(w->name + 6, w->nname - 6) >= 0) {
			w->drop_attr = 1;   /* gSOAP's declaration of its own prefix: the filter declares what is used */
			w->nws = 0;
			return 0;
		}
		int p = wire_lookup(w->name + 6, w->nname - 6);
		if (p >= 0 && w->nws + w->nname + 1 <= sizeof w->aname) {
			/* DOM content declaring a wire prefix itself (t:Value xmlns:t=...): dropped at its end when
			 * the same declaration is in scope, else kept and noted */
			w->decl_attr = p + 1;
			memcpy(w->aname, w->ws, w->nws);
			memcpy(w->aname + w->nws, w->name, w->nname);
			w->aname[w->nws + w->nname] = '=';
			w->naname = w->nws + w->nname + 1;
			w->nws = 0;
			return 0;
		}
	}
	err |= put(w, w->ws, w->nws);
	w->nws = 0;
	w->qname_attr = w->nname == 8 && !memcmp(w->name, "xsi:type", 8);
	int p = put_qname(w, -1, &err);
	if (p >= 0)
		w->used |= 1u << p;
	return err || put(w, "=", 1);
}

static int attribute_value_end(struct wire *w)
{
	int err = 0;
	if (w->drop_attr)
		return 0;
	if (w->decl_attr) {
		int p = w->decl_attr - 1, same = strlen(wire_uri[p]) == w->nname && !memcmp(wire_uri[p], w->name, w->nname);
		w->decl_attr = 0;
		if (same && w->declared_at[p])
			return 0;
		if (same)
			w->declared_at[p] = w->depth;
		return put(w, w->aname, w->naname) || put(w, &w->quote, 1) || put(w, w->name, w->nname) ||
		       put(w, &w->quote, 1);
	}
	if (w->qname_attr) {
		int p = put_qname(w, -1, &err);
		if (p >= 0)
			w->used |= 1u << p;
	}
	return err || put(w, &w->quote, 1);
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Runs the bytes through the tokenizer, appending the rewritten form to w->out. */
static int feed(struct wire *w, const char *s, size_t n)
{
	int err = 0;
	for (size_t i = 0; i < n && !err; i++) {
		char c = s[i];
		switch (w->st) {
		case ST_TEXT: {
			size_t j = i;
			while (j < n && s[j] != '<')
				j++;
			if (j > i) {
				err |= flush_pending(w, 0, 0) || put(w, s + i, j - i);
				i = j - 1;
			} else {
				w->st = ST_LT;
			}
			break;
		}
		case ST_LT:
			if (c == '?' || c == '!') {
				err |= flush_pending(w, 0, 0) || put(w, "<", 1) || put(w, &c, 1);
				w->st = ST_PASS;
			} else {
				w->end_tag = c == '/';
				w->nname = 0;
				if (!w->end_tag)
					w->name[w->nname++] = c;
				w->st = ST_NAME;
			}
			break;
		case ST_NAME:
			if (is_space(c) || c == '/' || c == '>') {
				err |= w->end_tag ? end_tag_name(w) : start_tag(w);
				w->st = ST_TAG;
				i--;    /* the delimiter again, in ST_TAG */
			} else if (w->nname < sizeof w->name) {    /* the name up to its end, at once */
				size_t k = i;
				while (k < n && w->nname < sizeof w->name && !is_space(s[k]) && s[k] != '/' && s[k] != '>')
					w->name[w->nname++] = s[k++];
				i = k - 1;
			} else {    /* not a name gSOAP writes: pass the rest of the tag through */
				err |= flush_pending(w, 0, 0) || put(w, w->end_tag ? "</" : "<", w->end_tag ? 2 : 1) || put(w, w->name, w->nname) ||
				       put(w, &c, 1);
				if (!w->end_tag)
					w->depth++;
				w->st = ST_PASS;
			}
			break;
		case ST_TAG:
			if (is_space(c)) {
				if (w->nws < sizeof w->ws)
					w->ws[w->nws++] = c;
				else
					err |= put(w, w->ws, w->nws) || put(w, &c, 1), w->nws = 0;
			} else if (c == '>') {
				if (w->end_tag) {
					if (!w->swallow_end)
						err |= put(w, w->ws, w->nws) || put(w, ">", 1);
					w->swallow_end = 0;
					w->nws = 0;
					pop(w);
				} else {
					err |= close_start_tag(w, w->self_closing);
				}
				w->self_closing = 0;
				w->st = ST_TEXT;
			} else if (c == '/') {
				w->self_closing = 1;
			} else {
				w->nname = 0;
				w->name[w->nname++] = c;
				w->st = ST_ANAME;
			}
			break;
		case ST_ANAME:
			if (c == '=') {
				err |= attribute_name(w);
				w->quote = 0;
				w->st = ST_AVAL;
			} else if (w->nname < sizeof w->name) {
				w->name[w->nname++] = c;
			} else {
				err |= put(w, w->ws, w->nws) || put(w, w->name, w->nname) || put(w, &c, 1);
				w->nws = 0;
				w->st = ST_PASS;
			}
			break;
		case ST_AVAL:
			if (!w->quote) {
				w->quote = c;
				w->nname = 0;
				if (!w->drop_attr && !w->decl_attr)
					err |= put(w, &c, 1);
			} else if (c == w->quote) {
				err |= attribute_value_end(w);
				w->st = ST_TAG;
			} else if (w->drop_attr) {
				;
			} else if (!w->qname_attr && !w->decl_attr) {     /* a plain value: up to its quote at once */
				const char *q = memchr(s + i, w->quote, n - i);
				size_t k = q ? (size_t)(q - (s + i)) : n - i;
				err |= put(w, s + i, k);
				i += k - 1;
			} else if (w->nname < sizeof w->name) {
				w->name[w->nname++] = c;
			} else {
				if (w->decl_attr) {     /* not one of our URIs: written as it is */
					err |= put(w, w->aname, w->naname) || put(w, &w->quote, 1);
					w->decl_attr = 0;
				}
				if (w->qname_attr || w->nname) {    /* too long for a QName: written as it is */
					err |= put(w, w->name, w->nname);
					w->qname_attr = 0;
					w->nname = 0;
				}
				err |= put(w, &c, 1);
			}
			break;
		case ST_PASS:   /* a declaration, a comment or something gSOAP does not write: unchanged to '>' */
			err |= put(w, &c, 1);
			if (c == '>')
				w->st = ST_TEXT;
			break;
		}
	}
	return err;
}

static void reset(struct wire *w)
{
	w->st = ST_TEXT;
	w->end_tag = w->self_closing = w->drop_attr = w->qname_attr = w->decl_attr = 0;
	w->nname = w->nws = 0;
	w->depth = w->header_depth = w->body_depth = w->body_pending = w->gt_pending = w->swallow_end = 0;
	memset(w->declared_at, 0, sizeof w->declared_at);
	w->used = 0;
}

static int filter_send(struct soap *soap, const char **s, size_t *n)
{
	struct wire *w = (struct wire *)soap_lookup_plugin(soap, wire_id);
	if (!w)
		return SOAP_OK;
	if (w->prev) {
		int rc = w->prev(soap, s, n);
		if (rc)
			return rc;
	}
	/* gSOAP starts every message (counting pass, sending pass) with soap->ns = 0 until the root's tag is out */
	if (!soap->ns) {
		if (w->armed)
			reset(w);
		w->armed = 0;
	} else {
		w->armed = 1;
	}
	/* text with nothing held back (most of a large body): passed on as it is, without a copy */
	if (w->st == ST_TEXT && !w->gt_pending && !w->body_pending && !memchr(*s, '<', *n))
		return SOAP_OK;
	w->nout = 0;
	if (feed(w, *s, *n))
		return soap->error = SOAP_EOM;
	*s = w->out;
	*n = w->nout;
	return SOAP_OK;
}

/* gSOAP keeps one list of attribute names per context and writes an element's attributes in the list's order;
 * names read from the last message enter it first (a request's Version put ServerVersionInfo's Version before
 * MajorVersion). Emptied before each message, the list takes each element's own (schema) order, Exchange's. */
void ews_wire_forget_attributes(struct soap *soap)
{
	while (soap->attributes) {
		struct soap_attribute *next = soap->attributes->next;
		free(soap->attributes->value);
		free(soap->attributes);
		soap->attributes = next;
	}
}

/* gSOAP calls this before serializing a message that has a counting pass (HTTP with Content-Length) */
static int forget_attributes(struct soap *soap)
{
	struct wire *w = (struct wire *)soap_lookup_plugin(soap, wire_id);
	ews_wire_forget_attributes(soap);
	return w && w->prev_init ? w->prev_init(soap) : SOAP_OK;
}

/* ---- plugin bookkeeping: per-context state that soap_copy() duplicates and soap_done() frees ---- */

static void wire_delete(struct soap *soap, struct soap_plugin *p)
{
	(void)soap;
	if (p->data)
		free(((struct wire *)p->data)->out);
	free(p->data);
}

static int wire_copy(struct soap *soap, struct soap_plugin *dst, struct soap_plugin *src)
{
	(void)soap;
	const struct wire *from = (const struct wire *)src->data;
	struct wire *w = calloc(1, sizeof *w);
	if (!w)
		return SOAP_EOM;
	w->shape = from->shape;
	w->prev = from->prev;
	w->prev_init = from->prev_init;
	dst->data = w;
	return SOAP_OK;
}

struct wire_arg {
	enum ews_wire_shape shape;
	int (*prev)(struct soap *, const char **, size_t *);
	int (*prev_init)(struct soap *);
};

static int wire_plugin(struct soap *soap, struct soap_plugin *p, void *arg)
{
	(void)soap;
	const struct wire_arg *a = (const struct wire_arg *)arg;
	struct wire *w = calloc(1, sizeof *w);
	if (!w)
		return SOAP_EOM;
	w->shape = a->shape;
	w->prev = a->prev;
	w->prev_init = a->prev_init;
	p->id = wire_id;
	p->data = w;
	p->fcopy = wire_copy;
	p->fdelete = wire_delete;
	return SOAP_OK;
}

int ews_wire_attach(struct soap *soap, enum ews_wire_shape shape)
{
	struct wire_arg a = { shape, soap->ffiltersend, soap->fprepareinitsend };
	struct wire *w = (struct wire *)soap_lookup_plugin(soap, wire_id);
	if (w) {    /* already attached: another shape for the next messages */
		w->shape = shape;
		return SOAP_OK;
	}
	if (soap_register_plugin_arg(soap, wire_plugin, &a))
		return soap->error = SOAP_EOM;
	soap->ffiltersend = filter_send;
	soap->fprepareinitsend = forget_attributes;
	soap->prolog = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";   /* Exchange's, without gSOAP's newline */
	return SOAP_OK;
}
