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

ews_status ews_client_fault(ews_client *c, ews_fault *out)
{
	struct SOAP_ENV__Fault *f;
	const struct SOAP_ENV__Detail *d;
	const char *colon;

	if (!c || !out)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_client_fault: NULL argument");
	memset(out, 0, sizeof *out);
	f = c->last_was_fault ? c->soap->fault : NULL;
	if (!f)
		return ews_status_make(EWS_ERR_NOT_FOUND, "the last response was not a SOAP fault");
	/* SOAP 1.1 faultcode; a SOAP 1.2 sender would fill Code/Reason instead */
	out->faultcode = f->faultcode ? f->faultcode
	                              : (f->SOAP_ENV__Code && f->SOAP_ENV__Code->SOAP_ENV__Value ? f->SOAP_ENV__Code->SOAP_ENV__Value : "");
	colon = strrchr(out->faultcode, ':');
	out->code = colon ? colon + 1 : out->faultcode;
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
	st = ews_status_make(code, "%s: %s: %s", operation, f.response_code, f.message);
	snprintf(st.response_code, sizeof st.response_code, "%s", f.response_code);
	*backoff_ms = ews_parse_backoff_ms(ews_fault_value(&f, "BackOffMilliseconds"));
	return st;
}
