/* fault.c — SOAP faults Exchange sends (ErrorSchemaValidation, ErrorServerBusy, ErrorInvalidServerVersion) and
 * the fault-injection switches tests flip through flags or /ewsd/control. */
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "ewsd.h"
#include "oauth_endpoint.h"
#include "ews_internal.h"

struct ewsd_faults ewsd_faults;
static pthread_mutex_t fault_lock = PTHREAD_MUTEX_INITIALIZER;

int ewsd_fault_take(int *counter)
{
	int taken = 0;
	pthread_mutex_lock(&fault_lock);
	if (*counter > 0) {
		(*counter)--;
		taken = 1;
	}
	pthread_mutex_unlock(&fault_lock);
	return taken;
}

int ewsd_fault_get(const int *setting)
{
	pthread_mutex_lock(&fault_lock);
	int v = *setting;
	pthread_mutex_unlock(&fault_lock);
	return v;
}

/* "throttle=2&backoff=100" ... ; reply gets the resulting settings. 0 ok, -1 unknown key. */
int ewsd_control(const char *query, char *reply, size_t n)
{
	char buf[512];
	char *save = NULL;
	int rc = 0;
	snprintf(buf, sizeof buf, "%s", query ? query : "");
	pthread_mutex_lock(&fault_lock);
	for (char *kv = strtok_r(buf, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(kv, '=');
		int v = eq ? atoi(eq + 1) : 1;
		if (eq)
			*eq = '\0';
		if (!strcmp(kv, "throttle"))
			ewsd_faults.throttle = v;
		else if (!strcmp(kv, "throttle_msg"))
			ewsd_faults.throttle_msg = v;
		else if (!strcmp(kv, "backoff"))
			ewsd_faults.backoff_ms = v;
		else if (!strcmp(kv, "latency"))
			ewsd_faults.latency_ms = v;
		else if (!strcmp(kv, "drop"))
			ewsd_faults.drop = v;
		else if (!strcmp(kv, "truncate"))
			ewsd_faults.truncate = v;
		else if (!strcmp(kv, "truncate_at"))
			ewsd_faults.truncate_at = v;
		else if (!strcmp(kv, "badchars"))
			ewsd_faults.bad_chars = v;
		else if (!strcmp(kv, "export_corrupt"))
			ewsd_faults.export_corrupt = v;
		else if (!strcmp(kv, "upload_stamp"))
			ewsd_faults.upload_stamp = v;
		else if (!strncmp(kv, "ad_", 3))
			rc |= ewsd_autodiscover_set(kv, eq ? eq + 1 : "");    /* autodiscover redirects (autodiscover.c) */
		else if (!strncmp(kv, "oauth_", 6))
			rc |= ewsd_oauth_set(kv, eq ? eq + 1 : "");        /* the OAuth2 endpoint (oauth_endpoint.c) */
		else if (!strcmp(kv, "reset"))
			memset(&ewsd_faults, 0, sizeof ewsd_faults);
		else
			rc = -1;
	}
	snprintf(reply, n, "throttle=%d throttle_msg=%d backoff=%d latency=%d drop=%d truncate=%d truncate_at=%d "
		 "badchars=%d export_corrupt=%d upload_stamp=%d\n", ewsd_faults.throttle, ewsd_faults.throttle_msg,
		 ewsd_faults.backoff_ms, ewsd_faults.latency_ms, ewsd_faults.drop, ewsd_faults.truncate,
		 ewsd_faults.truncate_at, ewsd_faults.bad_chars, ewsd_faults.export_corrupt, ewsd_faults.upload_stamp);
	pthread_mutex_unlock(&fault_lock);
	return rc;
}

static struct soap_dom_element *elt(struct soap *soap, struct soap_dom_element *slot, const char *ns,
				    const char *tag, const char *text)
{
	struct soap_dom_element *e = soap_elt_new(soap, ns, tag);
	if (text)
		soap_elt_text(e, text);
	if (slot) {
		*slot = *e;
		return slot;
	}
	return e;
}

/* An Exchange-style fault: faultcode a:<code> (a = types namespace), detail with e:ResponseCode, e:Message
 * and a t:MessageXml whose children are given as name/value pairs (or Value Name=... when value_attr). */
static int exchange_fault(struct soap *soap, const char *code, const char *faultstring, const char *message,
			  const char *xml_tag, const char *xml_name, const char *xml_value, int extra_n,
			  const char *const *extra)
{
	struct soap_dom_element *d;
	soap_sender_fault(soap, faultstring, NULL);
	soap->fault->faultcode = soap_malloc(soap, strlen(code) + 3);
	sprintf(soap->fault->faultcode, "a:%s", code);
	soap->fault->detail = EWSD_NEW(soap, struct SOAP_ENV__Detail);
	d = soap_malloc(soap, 3 * sizeof *d);
	/* prefixed as Exchange writes them (e:ResponseCode, t:MessageXml), each declaring its prefix */
	elt(soap, &d[0], EWS_NS_ERRORS, "e:ResponseCode", code);
	elt(soap, &d[1], EWS_NS_ERRORS, "e:Message", message);
	elt(soap, &d[2], EWS_NS_TYPES, "t:MessageXml", NULL);
	if (xml_tag) {
		struct soap_dom_element *v = soap_elt(&d[2], EWS_NS_TYPES, xml_tag);
		if (xml_name)
			soap_att_text(soap_att(v, NULL, "Name"), xml_name);
		soap_elt_text(v, xml_value);
	}
	for (int i = 0; i + 1 < extra_n; i += 2)
		soap_elt_text(soap_elt(&d[2], EWS_NS_TYPES, extra[i]), extra[i + 1]);
	soap->fault->detail->__size = 3;
	soap->fault->detail->__any = d;
	return soap->error = SOAP_FAULT;
}

int ewsd_server_busy_fault(struct soap *soap)
{
	char ms[32];
	snprintf(ms, sizeof ms, "%d", ewsd_faults.backoff_ms);
	return exchange_fault(soap, "ErrorServerBusy", "The server cannot service this request right now. Try again later.",
			      "The server cannot service this request right now. Try again later.", "t:Value",
			      "BackOffMilliseconds", ms, 0, NULL);
}

int ewsd_schema_fault(struct soap *soap, const char *violation)
{
	char fs[600];
	const char *extra[2];
	snprintf(fs, sizeof fs, "The request failed schema validation: %s", violation);
	extra[0] = "t:Violation", extra[1] = violation;
	return exchange_fault(soap, "ErrorSchemaValidation", fs, "The request failed schema validation.", NULL, NULL,
			      NULL, 2, extra);
}

int ewsd_choice_missing_fault(struct soap *soap, const char *element)
{
	char v[300];
	snprintf(v, sizeof v, "The element '%.200s' has incomplete content: a required child element is missing.",
		 element);
	return ewsd_schema_fault(soap, v);
}

int ewsd_version_fault(struct soap *soap)
{
	return exchange_fault(soap, "ErrorInvalidServerVersion", "The specified server version is invalid.",
			      "The specified server version is invalid.", NULL, NULL, NULL, 0, NULL);
}

/* An operation of the bindings' schema that ewsd does not implement (the generated default handlers call this):
 * answered as Exchange answers a request it cannot serve, an a:ErrorInvalidRequest fault with Exchange's detail,
 * on a connection that stays open (send_error keeps it for every fault an operation raises). */
int ews_server_unsupported_operation(struct soap *soap, const char *operation)
{
	char fs[200];
	snprintf(fs, sizeof fs, "The request is invalid: the operation %.100s is not supported by this server.", operation);
	ewsd_server_version_header(soap);
	return exchange_fault(soap, "ErrorInvalidRequest", fs, "The request is invalid.", "Value", "Operation",
			      operation, 0, NULL);
}
