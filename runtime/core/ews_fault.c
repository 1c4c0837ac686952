/* ews_fault.c — reading EWS SOAP faults: faultcode/faultstring and the detail's ResponseCode, Message, MessageXml.
 * gSOAP's fault struct is generated: the call's binding (ews/call.h) gives it as plain parts. */
#include <stdlib.h>
#include <string.h>

#include <stdsoap2.h>

#include "ews/fault.h"
#include "ews_dom.h"
#include "ews_internal.h"

/* Trimmed text of a detail child with this local name (e:ResponseCode, e:Message), else NULL. */
static const char *detail_text(const ews_soap_fault_parts *p, const char *local)
{
	for (int i = 0; p->detail && i < p->detail_count; i++) {
		const struct soap_dom_element *e = &p->detail[i];
		if (e->name && !strcmp(ews_dom_local_name(e->name), local))
			return e->text ? e->text : "";
	}
	return NULL;
}

/* The local part of a QName ("s:Server" -> "Server"). */
static const char *local_part(const char *qname)
{
	const char *colon = strrchr(qname, ':');
	return colon ? colon + 1 : qname;
}

/* 1 for a faultcode SOAP itself defines (1.1: Client, Server, MustUnderstand, VersionMismatch; 1.2: Sender,
 * Receiver, DataEncodingUnknown), as opposed to an application code such as EWS's a:ErrorServerBusy. */
static int standard_soap_code(const char *local)
{
	static const char *const codes[] = { "Client", "Server", "Sender", "Receiver", "MustUnderstand",
	                                     "VersionMismatch", "DataEncodingUnknown" };
	for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
		if (!strcmp(local, codes[i]))
			return 1;
	return 0;
}

/* Trimmed text of the first detail child that has text (a non-EWS detail, e.g. an exception name). */
static const char *first_detail_text(const ews_soap_fault_parts *p)
{
	for (int i = 0; p->detail && i < p->detail_count; i++) {
		const char *t = p->detail[i].text;
		while (t && (*t == ' ' || *t == '\n' || *t == '\r' || *t == '\t'))
			t++;
		if (t && *t)
			return t;
	}
	return NULL;
}

/* The first element child of e with this local name, else NULL. */
static const struct soap_dom_element *dom_child(const struct soap_dom_element *e, const char *local)
{
	for (const struct soap_dom_element *k = e ? e->elts : NULL; k; k = k->next)
		if (k->name && !strcmp(ews_dom_local_name(k->name), local))
			return k;
	return NULL;
}

static int soap_envelope_ns(const char *ns)
{
	return ns && (!strcmp(ns, "http://schemas.xmlsoap.org/soap/envelope/") ||
	              !strcmp(ns, "http://www.w3.org/2003/05/soap-envelope"));
}

static char *dom_text(const struct soap_dom_element *e)
{
	const char *t = e ? e->text : NULL;
	while (t && (*t == ' ' || *t == '\n' || *t == '\r' || *t == '\t'))
		t++;
	return (char *)t;
}

int ews_fault_from_dom(ews_client *c, const struct soap_dom_element *root)
{
	struct soap *soap = c->soap;
	const struct soap_dom_element *body, *fault, *code, *reason, *detail;
	ews_soap_fault_parts p;

	if (!c->binding || !root || !root->name || strcmp(ews_dom_local_name(root->name), "Envelope") ||
	    !soap_envelope_ns(root->nstr))
		return 0;
	body = dom_child(root, "Body");
	fault = body ? dom_child(body, "Fault") : NULL;
	if (!fault || !soap_envelope_ns(fault->nstr))
		return 0;
	memset(&p, 0, sizeof p);
	/* SOAP 1.1 */
	p.faultcode = dom_text(dom_child(fault, "faultcode"));
	p.faultstring = dom_text(dom_child(fault, "faultstring"));
	p.faultactor = dom_text(dom_child(fault, "faultactor"));
	/* SOAP 1.2: Code/Value (+ Subcode/Value), the first Reason/Text (one per language may follow) */
	if ((code = dom_child(fault, "Code"))) {
		const struct soap_dom_element *sub = dom_child(code, "Subcode");
		p.code = dom_text(dom_child(code, "Value"));
		if (sub)
			p.subcode = dom_text(dom_child(sub, "Value"));
	}
	if ((reason = dom_child(fault, "Reason")))
		p.reason = dom_text(dom_child(reason, "Text"));
	detail = dom_child(fault, "detail");
	p.detail_soap12 = !detail;
	if (!detail)
		detail = dom_child(fault, "Detail");
	if (detail) {
		struct soap_dom_element *copies = NULL;
		int n = 0;
		for (const struct soap_dom_element *k = detail->elts; k; k = k->next)
			n++;
		if (n && !(copies = soap_malloc(soap, (size_t)n * sizeof *copies)))
			return 0;
		n = 0;
		for (const struct soap_dom_element *k = copies ? detail->elts : NULL; k; k = k->next)
			copies[n++] = *k; /* read-only copies; their children stay shared */
		p.has_detail = 1;
		p.detail = copies;
		p.detail_count = n;
	}
	return c->binding->put_fault(soap, &p) == SOAP_OK;
}

ews_status ews_client_fault(ews_client *c, ews_fault *out)
{
	ews_soap_fault_parts p;

	if (!c || !out)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_client_fault: NULL argument");
	memset(out, 0, sizeof *out);
	if (!c->last_was_fault || !c->binding || !c->binding->get_fault(c->soap, &p))
		return ews_status_make(EWS_ERR_NOT_FOUND, "the last response was not a SOAP fault");
	/* SOAP 1.1 faultcode; a SOAP 1.2 sender fills Code/Reason instead, its application code (if any) in the
	 * Subcode of a standard Sender/Receiver Value */
	out->faultcode = p.faultcode ? p.faultcode : (p.code ? p.code : "");
	if (!strncmp(out->faultcode, "\"\":", 3)) /* gSOAP's form of a QName without a namespace */
		out->faultcode += 3;
	out->code = local_part(out->faultcode);
	if (!p.faultcode && p.subcode && *p.subcode)
		out->code = local_part(p.subcode);
	out->faultstring = p.faultstring ? p.faultstring : (p.reason ? p.reason : "");
	if (p.detail_count > 0 && p.detail) {
		out->detail = p.detail;
		out->detail_count = p.detail_count;
		for (int i = 0; i < p.detail_count; i++)
			if (p.detail[i].name && !strcmp(ews_dom_local_name(p.detail[i].name), "MessageXml"))
				out->message_xml = &p.detail[i];
	}
	out->response_code = detail_text(&p, "ResponseCode");
	if (!out->response_code || !*out->response_code)
		out->response_code = out->code;
	out->message = detail_text(&p, "Message");
	if (!out->message || !*out->message)
		out->message = out->faultstring;
	return ews_status_ok();
}

const char *ews_fault_value(const ews_fault *f, const char *name)
{
	return f ? ews_dom_find_child_value(f->message_xml, name) : NULL;
}

/* A millisecond count from MessageXml text, bounded; -1 when absent or not a number. */
long ews_parse_backoff_ms(const char *text)
{
	char *end;
	long v;

	if (!text)
		return -1;
	while (*text == ' ' || *text == '\n' || *text == '\r' || *text == '\t')
		text++;
	v = strtol(text, &end, 10);
	if (end == text || v < 0)
		return -1;
	return v > 24L * 3600 * 1000 ? 24L * 3600 * 1000 : v;
}

ews_status ews_fault_status(ews_client *c, const char *operation, long *backoff_ms)
{
	ews_fault f;
	ews_status st;
	ews_code code = EWS_ERR_FAULT;

	*backoff_ms = -1;
	if (!ews_ok(ews_client_fault(c, &f)))
		return ews_status_make(EWS_ERR_FAULT, "%s: SOAP fault", operation);
	if (!strcmp(f.response_code, "ErrorInvalidSyncStateData"))
		code = EWS_ERR_SYNC_STATE;
	if (!*f.response_code || standard_soap_code(f.response_code)) {
		/* a plain SOAP fault (an IIS/.NET error, a proxy, another SOAP stack): no EWS ResponseCode; keep its
		 * faultstring and the text of its detail, which is all the caller will learn of it */
		ews_soap_fault_parts p;
		const char *detail = c->binding->get_fault(c->soap, &p) ? first_detail_text(&p) : NULL;
		const char *text = *f.message ? f.message : detail;
		int with_detail = detail && text != detail && strcmp(detail, text);
		return ews_status_make(code, "%s: SOAP fault %s: %s%s%s%s", operation, *f.faultcode ? f.faultcode : "(no faultcode)",
		                       text ? text : "(no faultstring)", with_detail ? " (detail: " : "",
		                       with_detail ? detail : "", with_detail ? ")" : "");
	}
	st = ews_status_make(code, "%s: %s: %s", operation, f.response_code, f.message);
	snprintf(st.response_code, sizeof st.response_code, "%s", f.response_code);
	*backoff_ms = ews_parse_backoff_ms(ews_fault_value(&f, "BackOffMilliseconds"));
	return st;
}
