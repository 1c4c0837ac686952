/* ews_http_exchange.c — plain HTTP exchanges (no EWS operation) through a client's transport and authentication
 * (ews_http_exchange.h): the round trips of a handshake as ews_call_operation makes them, without its SOAP
 * decoding and retries. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <stdsoap2.h>

#include "ews_http_exchange.h"
#include "ews_internal.h"

/* No SOAP operation runs on these clients: no headers to put, no version or fault to read. */
static int no_headers(struct soap *soap, const ews_soap_headers *headers)
{
	(void)soap, (void)headers;
	return SOAP_OK;
}

static int no_server_version(struct soap *soap, struct ews_server_version *out)
{
	(void)soap, (void)out;
	return 0;
}

static int no_fault(struct soap *soap, ews_soap_fault_parts *out)
{
	(void)soap;
	memset(out, 0, sizeof *out);
	return 0;
}

static int no_fault_put(struct soap *soap, const ews_soap_fault_parts *parts)
{
	(void)soap, (void)parts;
	return SOAP_OK;
}

static const ews_binding plain_binding = { no_headers, no_server_version, no_fault, no_fault_put, NULL };

ews_status ews_http_client_new(const char *url, const ews_options *opt, ews_client **out)
{
	ews_status st = ews_client_new_with_binding(url, opt, &plain_binding, out);

	if (ews_ok(st))
		(*out)->soap->ffiltersend = NULL;   /* the body goes out as given: no EWS prefix rewriting (ews_wire) */
	return st;
}

/* One request and its answer. *retry = 1 when the authentication layer asks for another round trip. */
static ews_status round_trip(ews_client *c, const char *operation, const char *method, const char *ctype,
                             const char *action, const char *body, ews_http_answer *out, int *retry)
{
	struct soap *soap = c->soap;
	char *b = NULL;
	size_t n = 0;
	ews_status st;
	int rc;

	*retry = 0;
	ews_client_release(c);
	if (!ews_transport_idle_connection_usable(c))
		c->ntlm_connection_ok = 0;      /* the server closed it: NTLM authenticates the new one */
	c->auth_retry = 0;
	clock_gettime(CLOCK_MONOTONIC, &c->attempt_started);
	ews_transport_reset_headers(c);
	if (!ews_ok(st = ews_auth_prepare(c, operation)))
		return st;
	soap->http_extra_header = c->extra_headers && *c->extra_headers ? c->extra_headers : NULL;
	c->sent_bytes = 0;
	if (!strcmp(method, "GET"))
		rc = soap_GET(soap, c->url, NULL);
	else
		rc = soap_POST(soap, c->url, action, ctype) || soap_send_raw(soap, body, strlen(body)) ||
		     soap_end_send(soap);
	if (rc) {
		st = ews_transport_error(c, operation, "sending the request");
		soap->keep_alive = 0;
		soap_closesock(soap);
		return st;
	}
	st = ews_transport_receive_body(c, operation, &b, &n);
	if (!ews_ok(st)) {
		if (c->auth_retry) {
			*retry = 1;
		} else if (st.code == EWS_ERR_AUTH && (st.http_status == 401 || st.http_status == 403)) {
			/* refused for good: an answer like any other, with the authentication layer's reading of it */
			out->status = st.http_status;
			snprintf(out->auth_detail, sizeof out->auth_detail, "%s", st.message);
			return ews_status_ok();
		} else if (st.code == EWS_ERR_HTTP && soap->error >= 100 && soap->error < 600) {
			out->status = soap->error;   /* a status without a body to read (3xx, 404 ...) */
			return ews_status_ok();
		}
		return st;
	}
	if (!ews_ok(st = ews_auth_on_response(c, operation)))   /* Negotiate: mutual authentication */
		return st;
	out->status = soap->status;
	if (b) {
		if (!(out->body = malloc(n + 1)))
			return ews_status_make(EWS_ERR_NOMEM, "out of memory");
		memcpy(out->body, b, n);
		out->body[n] = '\0';
		out->len = n;
	}
	return ews_status_ok();
}

ews_status ews_http_exchange(ews_client *c, const char *operation, const char *method, const char *ctype,
                             const char *action, const char *body, ews_http_answer *out)
{
	struct ews_sigpipe_guard guard;
	ews_status st;
	int retry, rounds = 0;

	if (!out)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_http_exchange: no answer");
	memset(out, 0, sizeof *out);
	if (!c || !operation || !method || (strcmp(method, "GET") && (!body || !ctype)))
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_http_exchange: bad argument");
	c->oauth2_fresh = 0;
	ews_sigpipe_block(&guard);
	for (;;) {
		st = round_trip(c, operation, method, ctype, action, body, out, &retry);
		if (!retry)
			break;
		if (++rounds > EWS_MAX_AUTH_ROUND_TRIPS) {
			st = ews_auth_incomplete(operation);
			break;
		}
	}
	ews_sigpipe_restore(&guard);
	if (!ews_ok(st)) {
		free(out->body);
		out->body = NULL;
		out->len = 0;
	}
	return st;
}
