/* ews_http_exchange.h — HTTP requests that are no EWS operation (autodiscover's POX and SOAP posts) through a
 * client's transport and authentication: the same TLS set-up and the same handshakes as ews_call_operation
 * (NTLM's negotiate/challenge/authenticate on one kept-alive connection, Negotiate's Kerberos token with the
 * server's final token checked, Basic, Bearer), so that nothing of them is written twice. Internal. */
#ifndef EWS_HTTP_EXCHANGE_H
#define EWS_HTTP_EXCHANGE_H

#include <stddef.h>

#include "ews/client.h"

/* A client for plain HTTP exchanges with url: the options' credentials, TLS settings and timeouts, no schema
 * binding and no rewriting of what is sent (ews_wire). The caller frees it with ews_client_free(). */
ews_status ews_http_client_new(const char *url, const ews_options *opt, ews_client **out);

/* The answer of one exchange. */
typedef struct ews_http_answer {
	int status;                 /* HTTP status of the final answer (after the authentication round trips) */
	char *body;                 /* malloc'd, NUL-terminated copy of a 200/400/500 body (the caller frees); or NULL */
	size_t len;
	char auth_detail[512];      /* with status 401/403: what the authentication layer makes of the refusal */
} ews_http_answer;

/* Send `method` ("GET" or "POST"; POST with body and content type ctype, SOAPAction `action` when non-NULL) to
 * the client's URL, answering authentication challenges (at most 3 extra round trips). Any HTTP answer is
 * EWS_OK with *out filled (a final 401/403 too, with out->auth_detail); a failure before an answer (connect,
 * TLS, broken answer, Kerberos ticket unavailable ...) is the error, c's gSOAP context then says what broke.
 * `operation` names the exchange in messages ("autodiscover"). */
ews_status ews_http_exchange(ews_client *c, const char *operation, const char *method, const char *ctype,
                             const char *action, const char *body, ews_http_answer *out);

#endif
