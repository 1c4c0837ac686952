/* ews_fault.c — reading EWS SOAP faults: faultcode/faultstring and the detail's ResponseCode, Message, MessageXml. */
#include <stdlib.h>
#include <string.h>

#include "soapH.h"

#include "ews/fault.h"
#include "ews_dom.h"
#include "ews_internal.h"

/* Trimmed text of a detail child with this local name (e:ResponseCode, e:Message), else NULL. */
static const char *detail_text(const struct SOAP_ENV__Detail *d, const char *local)
{
	for (int i = 0; d && i < d->__size; i++) {
		const struct soap_dom_element *e = &d->__any[i];
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
static const char *first_detail_text(const struct SOAP_ENV__Detail *d)
{
	for (int i = 0; d && i < d->__size; i++) {
		const char *t = d->__any[i].text;
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
	struct SOAP_ENV__Fault *f;

	if (!root || !root->name || strcmp(ews_dom_local_name(root->name), "Envelope") || !soap_envelope_ns(root->nstr))
		return 0;
	body = dom_child(root, "Body");
	fault = body ? dom_child(body, "Fault") : NULL;
	if (!fault || !soap_envelope_ns(fault->nstr) || !(f = soap_malloc(soap, sizeof *f)))
		return 0;
	memset(f, 0, sizeof *f);
	/* SOAP 1.1 */
	f->faultcode = dom_text(dom_child(fault, "faultcode"));
	f->faultstring = dom_text(dom_child(fault, "faultstring"));
	f->faultactor = dom_text(dom_child(fault, "faultactor"));
	/* SOAP 1.2: Code/Value (+ Subcode/Value), the first Reason/Text (one per language may follow) */
	if ((code = dom_child(fault, "Code")) && (f->SOAP_ENV__Code = soap_malloc(soap, sizeof *f->SOAP_ENV__Code))) {
		const struct soap_dom_element *sub = dom_child(code, "Subcode");
		memset(f->SOAP_ENV__Code, 0, sizeof *f->SOAP_ENV__Code);
		f->SOAP_ENV__Code->SOAP_ENV__Value = dom_text(dom_child(code, "Value"));
		if (sub && (f->SOAP_ENV__Code->SOAP_ENV__Subcode = soap_malloc(soap, sizeof *f->SOAP_ENV__Code))) {
			memset(f->SOAP_ENV__Code->SOAP_ENV__Subcode, 0, sizeof *f->SOAP_ENV__Code);
			f->SOAP_ENV__Code->SOAP_ENV__Subcode->SOAP_ENV__Value = dom_text(dom_child(sub, "Value"));
		}
	}
	if ((reason = dom_child(fault, "Reason")) &&
	    (f->SOAP_ENV__Reason = soap_malloc(soap, sizeof *f->SOAP_ENV__Reason)))
		f->SOAP_ENV__Reason->SOAP_ENV__Text = dom_text(dom_child(reason, "Text"));
	detail = dom_child(fault, "detail");
	if (!detail)
		detail = dom_child(fault, "Detail");
	if (detail) {
		struct SOAP_ENV__Detail *d = soap_malloc(soap, sizeof *d);
		int n = 0;
		if (!d)
			return 0;
		memset(d, 0, sizeof *d);
		for (const struct soap_dom_element *k = detail->elts; k; k = k->next)
			n++;
		d->__any = n ? soap_malloc(soap, (size_t)n * sizeof *d->__any) : NULL;
		if (d->__any)
			for (const struct soap_dom_element *k = detail->elts; k; k = k->next)
				d->__any[d->__size++] = *k; /* read-only copies; their children stay shared */
		if (dom_child(fault, "detail"))
			f->detail = d;
		else
			f->SOAP_ENV__Detail = d;
	}
	soap->fault = f;
	return 1;
}

ews_status ews_client_fault(ews_client *c, ews_fault *out)
{
	struct SOAP_ENV__Fault *f;
	const struct SOAP_ENV__Detail *d;

	if (!c || !out)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_client_fault: NULL argument");
	memset(out, 0, sizeof *out);
	f = c->last_was_fault ? c->soap->fault : NULL;
	if (!f)
		return ews_status_make(EWS_ERR_NOT_FOUND, "the last response was not a SOAP fault");
	/* SOAP 1.1 faultcode; a SOAP 1.2 sender fills Code/Reason instead, its application code (if any) in the
	 * Subcode of a standard Sender/Receiver Value */
	out->faultcode = f->faultcode ? f->faultcode
	                              : (f->SOAP_ENV__Code && f->SOAP_ENV__Code->SOAP_ENV__Value ? f->SOAP_ENV__Code->SOAP_ENV__Value : "");
	if (!strncmp(out->faultcode, "\"\":", 3)) /* gSOAP's form of a QName without a namespace */
		out->faultcode += 3;
	out->code = local_part(out->faultcode);
	if (!f->faultcode && f->SOAP_ENV__Code && f->SOAP_ENV__Code->SOAP_ENV__Subcode &&
	    f->SOAP_ENV__Code->SOAP_ENV__Subcode->SOAP_ENV__Value && *f->SOAP_ENV__Code->SOAP_ENV__Subcode->SOAP_ENV__Value)
		out->code = local_part(f->SOAP_ENV__Code->SOAP_ENV__Subcode->SOAP_ENV__Value);
	out->faultstring = f->faultstring ? f->faultstring
	                                  : (f->SOAP_ENV__Reason && f->SOAP_ENV__Reason->SOAP_ENV__Text ? f->SOAP_ENV__Reason->SOAP_ENV__Text : "");
	d = f->detail ? f->detail : f->SOAP_ENV__Detail;
	if (d && d->__size > 0 && d->__any) {
		out->detail = d->__any;
		out->detail_count = d->__size;
		for (int i = 0; i < d->__size; i++)
			if (d->__any[i].name && !strcmp(ews_dom_local_name(d->__any[i].name), "MessageXml"))
				out->message_xml = &d->__any[i];
	}
	out->response_code = detail_text(d, "ResponseCode");
	if (!out->response_code || !*out->response_code)
		out->response_code = out->code;
	out->message = detail_text(d, "Message");
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
		const struct SOAP_ENV__Fault *sf = c->soap->fault;
		const char *detail = first_detail_text(sf->detail ? sf->detail : sf->SOAP_ENV__Detail);
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
