/* ews_call.c — ews_call_operation: one EWS operation with headers, auth, whole-body receive, sanitizing, decoding,
 * ServerVersionInfo capture, ResponseMessage summary, and retries (throttling, idempotent transport failures).
 * Everything schema-specific comes from the operation's descriptor (ews/call.h): no generated name here. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <stdsoap2.h>

#include "ews/call.h"
#include "ews/sanitize.h"
#include "ews_dom.h"
#include "ews_internal.h"

/* What one attempt says about retrying. */
enum retry_kind {
	RETRY_NO = 0,
	RETRY_BUSY,      /* ErrorServerBusy: wait as told */
	RETRY_TRANSPORT, /* a transport failure: idempotent operations (and unreachable servers) only */
	RETRY_AUTH,      /* an authentication step */
	RETRY_UNSENT,    /* the server cannot have acted on it (not one byte sent, or only an NTLM negotiate): resend
	                  * at once, once, for any operation */
	RETRY_STALE      /* an idempotent request on a kept-alive connection got no byte back: resend at once */
};

/* The local port of a connected socket (0 if unknown): tells a kept-alive connection from a new one that got
 * the same descriptor number. */
static unsigned local_port(SOAP_SOCKET fd)
{
	struct sockaddr_storage a;
	socklen_t n = sizeof a;

	if (!soap_valid_socket(fd) || getsockname(fd, (struct sockaddr *)&a, &n))
		return 0;
	if (a.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&a)->sin_port);
	if (a.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&a)->sin6_port);
	return 0;
}

/* Parse the sanitized body with the operation's generated receive half. gSOAP's receive also closes the
 * connection unless told otherwise, so the socket is detached while parsing from memory and put back after. */
static int decode_body(ews_client *c, const char *body, ews_recv_fn recv, void *response)
{
	struct soap *soap = c->soap;
	SOAP_SOCKET sock = soap->socket;
	SSL *ssl = soap->ssl;
	int keep_alive = soap->keep_alive, rc;
	long low_speed = c->low_speed_limit;

	/* gSOAP parses HTTP headers unless the text starts with '<': skip a byte-order mark and blanks, and
	 * refuse anything else (an HTML error page would be mistaken for HTTP) */
	if (!strncmp(body, "\xEF\xBB\xBF", 3))
		body += 3;
	while (*body == ' ' || *body == '\t' || *body == '\r' || *body == '\n')
		body++;
	if (*body != '<')
		return soap->error = SOAP_SYNTAX_ERROR;
	soap->socket = SOAP_INVALID_SOCKET;
	soap->ssl = NULL;
	soap->is = body;
	c->low_speed_limit = 0; /* reading from memory is no network speed */
	rc = recv(soap, response);
	c->low_speed_limit = low_speed;
	soap->is = NULL;
	soap->socket = sock;
	soap->ssl = ssl;
	soap->keep_alive = keep_alive;
	return rc;
}

/* 1 when the decode stopped at a SOAP fault it parsed. gSOAP returns SOAP_FAULT only for an application
 * faultcode (a:ErrorServerBusy); a standard one comes back as its own code: Client/Sender as SOAP_CLI_FAULT,
 * Server/Receiver as SOAP_SVR_FAULT, MustUnderstand, VersionMismatch, DataEncodingUnknown (SOAP 1.1 and 1.2).
 * Those numbers also mean other things (a mustUnderstand header we do not know), so only a decoded Fault
 * element counts: soap->fault is cleared before every attempt (ews_client_release) and set by the parser. */
static int parsed_fault(const struct soap *soap, int rc)
{
	const struct SOAP_ENV__Fault *f = soap->fault;

	switch (rc) {
	case SOAP_FAULT:
	case SOAP_CLI_FAULT:
	case SOAP_SVR_FAULT:
	case SOAP_MUSTUNDERSTAND:
	case SOAP_VERSIONMISMATCH:
	case SOAP_DATAENCODINGUNKNOWN:
		return f != NULL;
	default:
		return 0;
	}
}

static int read_dom(struct soap *soap, void *root)
{
	soap_default_xsd__anyType(soap, (struct soap_dom_element *)root);
	if (soap_begin_recv(soap) || !soap_in_xsd__anyType(soap, NULL, (struct soap_dom_element *)root, NULL) ||
	    soap_end_recv(soap))
		return soap->error;
	return SOAP_OK;
}

/* A body gSOAP did not decode may still be a SOAP fault it could not fit into its fault structure: read it as
 * a DOM and take the fault from there, so that its text is never lost. */
static int fault_from_body(ews_client *c, const char *body)
{
	struct soap_dom_element *root;
	int error = c->soap->error; /* what the typed decode said, for the error report when this is no fault */

	if (!strstr(body, "Fault") || !(root = soap_malloc(c->soap, sizeof *root)))
		return 0;
	/* the failed parse left unread input in gSOAP's buffer: start over from the body */
	c->soap->bufidx = c->soap->buflen = 0;
	c->soap->ahead = 0;
	if (!decode_body(c, body, read_dom, root) && ews_fault_from_dom(c, root)) {
		c->soap->error = SOAP_OK;
		return 1;
	}
	c->soap->error = error;
	return 0;
}

static int transport_retryable(ews_code code, int http_status)
{
	return code == EWS_ERR_CONNECT || code == EWS_ERR_IO || code == EWS_ERR_TIMEOUT ||
	       (code == EWS_ERR_HTTP && (http_status == 502 || http_status == 503 || http_status == 504));
}

/* The whole request went out and the connection closed before a whole answer came back (none at all, part of
 * its head, part of its body). The server may have carried it out (committed a CreateItem, then dropped the
 * connection) or never seen it: nothing here tells which, and resending could do it twice. Not EWS_ERR_IO or
 * EWS_ERR_XML: callers read them as "not done", and an upload that took it so sent its batch again on the next
 * run. A connection that had closed while idle was already replaced before
 * sending; this is the case that remains. */
static ews_status outcome_unknown(ews_client *c, const char *operation, ews_status cause)
{
	ews_status st = ews_status_make(EWS_ERR_OUTCOME_UNKNOWN, "%s: the request was sent, then the connection "
	                                "closed before %s answer: it may or may not have been carried out; not resent "
	                                "(check the mailbox before trying again)", operation,
	                                c->resp_nothing ? "any" : "the whole");
	st.http_status = cause.http_status;
	return st;
}

static ews_status attempt(ews_client *c, const ews_operation *op, const void *request, void *response,
                          enum retry_kind *retry, long *backoff_ms)
{
	const char *operation = op->name;
	struct soap *soap = c->soap;
	char *body = NULL;
	size_t len = 0;
	ews_xml_prepass_result pre;
	ews_status st;
	int rc, http_status, reused;
	SOAP_SOCKET before;
	unsigned before_port;

	*retry = RETRY_NO;
	*backoff_ms = -1;
	ews_client_release(c);
	if (!ews_transport_idle_connection_usable(c)) {
		/* the server closed the kept-alive connection while it was idle: detected before anything is sent,
		 * so the request goes out once, on a new connection (NTLM then authenticates that one) */
		c->ntlm_connection_ok = 0;
		ews_log(c, EWS_LOG_DEBUG, "%s: the server closed the idle kept-alive connection; opening a new one",
		        operation);
	}
	c->last_was_fault = 0;
	c->auth_retry = 0;
	c->sent_at = c->first_byte_at = c->received_at = (struct timespec){ 0 };
	clock_gettime(CLOCK_MONOTONIC, &c->attempt_started);
	ews_transport_reset_headers(c);
	if (!ews_ok(st = ews_headers_prepare(c)) || !ews_ok(st = ews_auth_prepare(c, operation)))
		return st;
	soap->http_extra_header = c->extra_headers && *c->extra_headers ? c->extra_headers : NULL;

	before = soap->keep_alive ? soap->socket : SOAP_INVALID_SOCKET;
	before_port = local_port(before);
	c->sent_bytes = 0;
	rc = op->send(soap, c->url, NULL, request);
	if (!rc)
		clock_gettime(CLOCK_MONOTONIC, &c->sent_at);
	soap->header = NULL; /* the request header; the response brings its own */
	reused = before_port && soap->socket == before && local_port(soap->socket) == before_port;
	if (rc) {
		st = ews_transport_error(c, operation, "sending the request");
		soap->keep_alive = 0;
		soap_closesock(soap);
		if (st.code == EWS_ERR_IO && c->sent_bytes == 0)
			*retry = RETRY_UNSENT; /* nothing of it left this machine */
		else if (transport_retryable(st.code, st.http_status))
			*retry = RETRY_TRANSPORT;
		return st;
	}
	st = ews_transport_receive_body(c, operation, &body, &len);
	clock_gettime(CLOCK_MONOTONIC, &c->received_at);
	if (!ews_ok(st)) {
		if (c->auth_retry) {
			*retry = RETRY_AUTH;
		} else if (st.code == EWS_ERR_IO && c->resp_nothing && c->ntlm_step == 1 &&
		           (c->auth == EWS_AUTH_NTLM || (c->auth == EWS_AUTH_NEGOTIATE && c->nego_ntlm_scheme))) {
			/* it carried only an NTLM negotiate: unauthenticated, the server cannot have acted on it */
			*retry = RETRY_UNSENT;
		} else if (st.code == EWS_ERR_IO && !(c->current_flags & EWS_OP_IDEMPOTENT)) {
			st = outcome_unknown(c, operation, st);
		} else if (st.code == EWS_ERR_IO && reused && c->resp_nothing) {
			/* idempotent, on a kept-alive connection the server may have closed just as it was reused */
			*retry = RETRY_STALE;
		} else if (c->low_speed_tripped) {
			/* a server that drips or stalls will do it again: resending would multiply the wait */
		} else if (transport_retryable(st.code, st.http_status)) {
			*retry = RETRY_TRANSPORT;
		}
		return st;
	}
	if (!ews_ok(st = ews_auth_on_response(c, operation)))
		return st;
	http_status = soap->status; /* decoding from memory resets it */
	/* (and ends with a receive that comes back empty, at the end of the body in memory: taken now). Cut: the
	 * connection ended before the framing did, or before a byte of body came (a head cut before its blank line
	 * reads as a whole head and an empty body) */
	int cut = c->recv_ended && (c->resp_chunked || c->resp_content_length || len == 0);

	/* The fast reader first (ews/reader.h), on the body as it came: it takes only what the pre-pass would leave
	 * unchanged and find nothing wrong with. Whatever it leaves, the pre-pass and gSOAP take from the untouched
	 * body. */
	char *as_read = NULL; /* (tests comparing the reader with gSOAP: the body before base64 decoded in place) */
	if (op->reader && ews_reader_check() && (as_read = malloc(len + 1)) != NULL)
		memcpy(as_read, body, len + 1);
	int wrote = 0;
	rc = op->reader ? ews_reader_decode(soap, op->reader, body, len, c->max_depth, &wrote, response)
	                : EWS_READER_FALLBACK;
	if (rc == SOAP_OK) {
		pre = (ews_xml_prepass_result){ .deep_at = -1, .mixed_at = -1, .malformed_at = -1 };
		if (wrote)
			c->inplace.written = 1; /* base64 values decoded into the body itself (ews/call.h: ews_inplace) */
		if (ews_reader_check())
			ews_reader_check()(op->name, as_read ? as_read : body, len, response, soap->header);
		free(as_read);
	} else {
		free(as_read);
		if (op->reader && ews_reader_check())
			ews_reader_check()(op->name, body, len, NULL, NULL);   /* left to gSOAP */
		len = ews_xml_prepass(body, len, c->max_depth, &pre); /* sanitized, depth and mixed content measured */
		body[len] = '\0'; /* it never grows; gSOAP reads soap->is up to the NUL */
		if (pre.too_deep) {
			st = ews_status_make(EWS_ERR_TOO_LARGE, "%s: the response nests elements deeper than %d levels "
			                     "(nesting cap)", operation, c->max_depth);
			st.http_status = http_status;
			return st;
		}
		if (pre.malformed_at >= 0) {
			/* e.g. gSOAP would end the tag at a '/' and take the next byte for its '>' (ews_xml_prepass.c) */
			st = ews_status_make(EWS_ERR_XML, "%s: the response has %s (offset %ld): malformed XML, not decoded, "
			                     "as %s", operation, pre.malformed_what, pre.malformed_at, pre.malformed_loss);
			st.http_status = http_status;
			return st;
		}
		if (pre.mixed_at >= 0) {
			/* lenient gSOAP would silently drop the elements after the text (ews_xml_prepass.c) */
			st = ews_status_make(EWS_ERR_XML, "%s: the response has text before an element inside an element "
			                     "that holds only elements (mixed content): not decoded, as the elements after "
			                     "it would be lost", operation);
			st.http_status = http_status;
			return st;
		}
		ews_body_decoding(c, body, len); /* base64 values decoded into the body itself (ews/call.h: ews_inplace) */
		rc = decode_body(c, body, op->recv, response);
		ews_body_decoding(c, NULL, 0);
	}
	if (!rc && pre.unfinished)
		rc = SOAP_EOF; /* decoded, leniently, from a document cut short: what it lacks would go unnoticed */
	ews_headers_capture_server_version(c);
	/* a failed decode is read once more as a fault, unless values were decoded into the body: a fault has none,
	 * and the body no longer reads as it arrived */
	if (parsed_fault(soap, rc) || (rc && rc != SOAP_LEVEL && !ews_transport_deadline_passed(c) &&
	                               !c->inplace.written && fault_from_body(c, body))) {
		c->last_was_fault = 1;
		st = ews_fault_status(c, operation, backoff_ms);
		if (!strcmp(st.response_code, "ErrorServerBusy"))
			*retry = RETRY_BUSY;
	} else if (rc && ews_transport_deadline_passed(c)) {
		/* gSOAP ends a message cut by its transfer deadline as if it were complete: what is left does not parse */
		st = ews_status_make(EWS_ERR_TIMEOUT, "%s: the response did not arrive within the deadline (%ld ms)",
		                     operation, ews_elapsed_ms(c));
	} else if (rc && rc != SOAP_LEVEL && http_status != 200) {
		/* an error status whose body is no SOAP message (an IIS or proxy error page); none at all: not HTTP (an
		 * SSH or SMTP banner on the port), which gSOAP reads as a headless body */
		if (http_status)
			st = ews_status_make(EWS_ERR_HTTP, "%s: the server answered HTTP %d without a SOAP message",
			                     operation, http_status);
		else
			st = ews_status_make(EWS_ERR_HTTP, "%s: the server's answer is not HTTP (no status line)", operation);
	} else if (rc && cut) {
		/* The connection ended before the answer's framing did (its last chunk, its length) or before its body:
		 * what arrived is a part, whatever gSOAP made of it (premature end, a syntax error, a required element
		 * missing). A body that ends with the connection by design (no length, not chunked) cannot tell: unless
		 * empty, judged as XML below. */
		st = ews_status_make(EWS_ERR_IO, "%s: the connection closed before the whole answer: the response was cut "
		                     "off (%zu bytes arrived)", operation, len);
		st.http_status = http_status;
		if (!(c->current_flags & EWS_OP_IDEMPOTENT))
			return outcome_unknown(c, operation, st);
		*retry = RETRY_TRANSPORT;
		return st;
	} else if (rc == SOAP_EOF) {
		/* the answer arrived whole as far as its framing says, and its XML is incomplete */
		st = ews_status_make(EWS_ERR_XML, "%s: the response XML ends prematurely", operation);
	} else if (rc) {
		st = ews_transport_error(c, operation, "decoding the response");
	} else if (op->message_count && op->message_get) {
		int busy, all_busy;
		st = ews_response_summarize(op, response, &busy, &all_busy, backoff_ms);
		if (busy && (all_busy || c->current_flags & EWS_OP_IDEMPOTENT))
			*retry = RETRY_BUSY;
	}
	st.http_status = http_status;
	return st;
}

static long long us_between(const struct timespec *a, const struct timespec *b)
{
	if (!a->tv_sec && !a->tv_nsec)
		return 0;
	if (!b->tv_sec && !b->tv_nsec)
		return 0;
	return (long long)(b->tv_sec - a->tv_sec) * 1000000 + (b->tv_nsec - a->tv_nsec) / 1000;
}

/* ews_client_last_timing: the call from `start` to now, its last attempt by the marks attempt() left. */
static void note_timing(ews_client *c, const struct timespec *start, int attempts)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	c->last_timing = (ews_call_timing){
		.total_us = us_between(start, &now),
		.send_us = us_between(&c->attempt_started, &c->sent_at),
		.wait_us = us_between(&c->sent_at, &c->first_byte_at),
		.receive_us = us_between(&c->first_byte_at, &c->received_at),
		.decode_us = c->first_byte_at.tv_sec || c->first_byte_at.tv_nsec ? us_between(&c->received_at, &now) : 0,
		.attempts = attempts,
	};
}

/* How long to wait before retry number `n` (1-based) when the server gave no BackOffMilliseconds. */
static long default_backoff(int n)
{
	long ms = 500;
	while (--n > 0 && ms < 60000)
		ms *= 2;
	return ms;
}

ews_status ews_call_operation(ews_client *c, const ews_operation *op, const void *request, void *response)
{
	const char *operation = op ? op->name : NULL;
	int flags = op ? op->flags : 0;
	ews_status st;
	long waited = 0;
	int attempts = 0, auth_round_trips = 0, stale_retried = 0, unsent_retried = 0;
	struct ews_sigpipe_guard pipe_guard;

	if (!c || !operation || !op->send || !op->recv || !op->binding || !response)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_call_operation: NULL argument");
	if (c->insecure && !c->insecure_warned && !strncmp(c->url, "https://", 8)) {
		ews_log(c, EWS_LOG_WARNING, "TLS certificate and host name verification is OFF for %s", c->url);
		c->insecure_warned = 1;
	}
	c->current_flags = flags;
	c->gate_due = 1;   /* (the first answer read, whatever attempt brings it) */
	c->binding = op->binding;
	c->oauth2_fresh = 0;
	ews_sigpipe_block(&pipe_guard);
	struct timespec start;
	int sent = 0;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		enum retry_kind retry;
		long backoff, wait;

		attempts++;
		st = attempt(c, op, request, response, &retry, &backoff);
		sent += c->sent_at.tv_sec || c->sent_at.tv_nsec;
		if (ews_ok(st) || retry == RETRY_NO)
			break;
		if (retry == RETRY_UNSENT && !unsent_retried) {
			unsent_retried = 1;
			attempts--;
			ews_log(c, EWS_LOG_DEBUG, "%s: the connection failed before the request could be carried out (not one "
			        "byte of it sent, or only an NTLM negotiate); sending it on a new one", operation);
			continue;
		}
		if (retry == RETRY_STALE && !stale_retried) {
			stale_retried = 1;
			attempts--;
			ews_log(c, EWS_LOG_DEBUG, "%s: the kept-alive connection was closed by the server; retrying on a new one",
			        operation);
			continue;
		}
		if (retry == RETRY_UNSENT || retry == RETRY_STALE)
			retry = RETRY_TRANSPORT; /* a second time: an ordinary transport failure */
		if (retry == RETRY_AUTH) {
			/* an authentication step, not a failure: does not count as an attempt, but is bounded */
			attempts--;
			if (++auth_round_trips > EWS_MAX_AUTH_ROUND_TRIPS) {
				st = ews_auth_incomplete(operation);
				break;
			}
			continue;
		}
		if (retry == RETRY_TRANSPORT && !(flags & EWS_OP_IDEMPOTENT) && st.code != EWS_ERR_CONNECT)
			break; /* the server may have acted on it: resending could do it twice (not so when unreachable) */
		wait = retry == RETRY_BUSY && backoff >= 0 ? backoff : default_backoff(attempts);
		if (wait > c->max_backoff_ms)
			wait = c->max_backoff_ms;
		if (attempts >= c->max_attempts || waited + wait > c->retry_budget_ms) {
			if (retry == RETRY_BUSY) {
				int http = st.http_status;
				st = ews_status_make(EWS_ERR_THROTTLED, "%s: the server is busy (ErrorServerBusy); gave up after "
				                     "%d attempt%s and %ld ms of waiting", operation, attempts,
				                     attempts == 1 ? "" : "s", waited);
				snprintf(st.response_code, sizeof st.response_code, "ErrorServerBusy");
				st.http_status = http;
			}
			break;
		}
		ews_log(c, EWS_LOG_INFO, "%s: %s; retrying in %ld ms (attempt %d of %d)", operation,
		        retry == RETRY_BUSY ? "ErrorServerBusy" : st.message, wait, attempts + 1, c->max_attempts);
		c->sleep_fn(c->sleep_arg, wait);
		waited += wait;
	}
	ews_sigpipe_restore(&pipe_guard);
	note_timing(c, &start, sent);
	const ews_call_timing *t = &c->last_timing;
	ews_log(c, EWS_LOG_DEBUG, "%s: %s in %.1f ms (last request: send %.1f, wait %.1f, receive %.1f, decode %.1f ms; "
	        "%d request%s)", operation, ews_ok(st) ? "answered" : "failed", t->total_us / 1e3, t->send_us / 1e3,
	        t->wait_us / 1e3, t->receive_us / 1e3, t->decode_us / 1e3, t->attempts, t->attempts == 1 ? "" : "s");
	free(c->next_version); /* a one-call override */
	c->next_version = NULL;
	c->last_status = st;
	return st;
}
