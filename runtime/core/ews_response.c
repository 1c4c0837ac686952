/* ews_response.c — ResponseMessages as one uniform view: MessageXml values, the call's summary (through the
 * operation's descriptor: the generated accessors walk the schema's message types). */
#include <stdio.h>
#include <string.h>

#include <stdsoap2.h>

#include "ews/response.h"
#include "ews_dom.h"
#include "ews_internal.h"

const char *ews_dom_array_value(const struct soap_dom_element *elements, int count, const char *name)
{
	for (int i = 0; elements && i < count; i++) {
		const char *v = ews_dom_value_of(&elements[i], name);
		if (v)
			return v;
	}
	return NULL;
}

const char *ews_message_xml_value(const ews_response_message *m, const char *name)
{
	return m ? ews_dom_array_value(m->message_xml, m->message_xml_count, name) : NULL;
}

const char *ews_response_class_name(ews_response_class rc)
{
	switch (rc) {
	case EWS_RESPONSE_SUCCESS: return "Success";
	case EWS_RESPONSE_WARNING: return "Warning";
	case EWS_RESPONSE_ERROR: return "Error";
	}
	return "?";
}

ews_status ews_response_summarize(const ews_operation *op, const void *response, int *busy, int *all_busy,
                                  long *backoff_ms)
{
	const char *operation = op->name;
	int n = op->message_count(response), errors = 0, busy_errors = 0, first = -1;
	ews_response_message m, first_m;
	ews_status st;

	*busy = 0;
	*all_busy = 0;
	*backoff_ms = -1;
	memset(&first_m, 0, sizeof first_m);
	for (int i = 0; i < n; i++) {
		if (op->message_get(response, i, &m))
			return ews_status_make(EWS_ERR_XML, "%s: response message %d has an unknown type", operation, i + 1);
		if (m.response_class != EWS_RESPONSE_ERROR)
			continue;
		errors++;
		if (m.response_code && !strcmp(m.response_code, "ErrorServerBusy")) {
			busy_errors++;
			if (*backoff_ms < 0)
				*backoff_ms = ews_parse_backoff_ms(ews_message_xml_value(&m, "BackOffMilliseconds"));
		}
		if (first < 0) {
			first = i;
			first_m = m;
		}
	}
	if (!errors)
		return ews_status_ok();
	*busy = busy_errors > 0;
	*all_busy = busy_errors == n;
	st = ews_status_make(first_m.response_code && !strcmp(first_m.response_code, "ErrorInvalidSyncStateData")
	                             ? EWS_ERR_SYNC_STATE : EWS_ERR_RESPONSE,
	                     "%s: %s: %s", operation, first_m.response_code ? first_m.response_code : "Error",
	                     first_m.message_text ? first_m.message_text : "(no message text)");
	if (n > 1) {
		size_t used = strlen(st.message);
		snprintf(st.message + used, sizeof st.message - used, " (message %d of %d; %d error%s)", first + 1, n,
		         errors, errors == 1 ? "" : "s");
	}
	snprintf(st.response_code, sizeof st.response_code, "%s", first_m.response_code ? first_m.response_code : "");
	return st;
}
