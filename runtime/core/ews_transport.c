/* ews_transport.c — gSOAP's HTTP client set up for EWS: TLS, timeouts, limits, proxy; whole-body receive. */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <stdsoap2.h>

#include "ews_internal.h"

static pthread_once_t ssl_once = PTHREAD_ONCE_INIT;

void ews_sigpipe_block(struct ews_sigpipe_guard *g)
{
	sigset_t pending;

	/* A peer that closes a TLS connection makes OpenSSL's write() raise SIGPIPE, whose default action ends the
	 * process. The library must not touch process-wide handlers, so SIGPIPE is blocked for this thread during
	 * the call, and one raised meanwhile is consumed afterwards. */
	sigemptyset(&g->pipe);
	sigaddset(&g->pipe, SIGPIPE);
	g->was_pending = sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &g->pipe, &g->old);
}

void ews_sigpipe_restore(struct ews_sigpipe_guard *g)
{
	sigset_t pending;

	if (!g->was_pending && sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE)) {
		static const struct timespec zero = { 0, 0 };
		sigtimedwait(&g->pipe, NULL, &zero);
	}
	pthread_sigmask(SIG_SETMASK, &g->old, NULL);
}

/* gSOAP's soap_init() seeds OpenSSL from /dev/urandom in every process that makes a context (soap_ssl_init):
 * that brings up OpenSSL's random generator, providers and configuration, 2.3 MiB of resident memory (a paging
 * client's peak 9.5 -> 7.4 MiB, issue 13) and some CPU, in a program that may never open a TLS connection (an
 * http:// endpoint such as a loopback ewsd, a decoder, a codec). OpenSSL >= 1.1 initializes itself when first
 * used and seeds its generator from the operating system, so libews tells gSOAP to skip it before its first
 * context, and OpenSSL is set up at the first TLS client context (configure_tls) or NTLM's first digest. */
static pthread_once_t defer_once = PTHREAD_ONCE_INIT;

/* gSOAP's own reader of HTTP headers (the same function in every context), taken from each new context before
 * libews replaces it: no context of its own just to read it, since freeing any context makes OpenSSL load its
 * error strings (gSOAP's soap_done clears OpenSSL's error queue: 1.3 MiB of resident memory, issue 13), which a
 * program that never opens a TLS connection then pays only when it frees its first context. Atomic: every thread
 * stores the same value. */
typedef int (*parse_header_fn)(struct soap *, const char *, const char *);
static _Atomic(parse_header_fn) gsoap_parse_header;

/* Nothing libews reads makes gSOAP write. On "Expect: 100-continue" gSOAP (a server's reflex) writes "HTTP/1.1 100
 * Continue" to its output: stdout for a decoding context (ews_message_decode of a captured HTTP request printed
 * it; the decode fuzz target's log filled with it), the connection for a client reading a response. A decoder or
 * a client reading a response has nothing to continue: the header is dropped. */
static int drop_expect(struct soap *soap, const char *key, const char *val)
{
	if (key && !strcasecmp(key, "Expect"))
		return SOAP_OK;
	parse_header_fn gsoap = atomic_load(&gsoap_parse_header);

	return gsoap ? gsoap(soap, key, val) : SOAP_OK;
}

/* Likewise a HEAD or OPTIONS request line (a captured request, or a hostile server's "response"): gSOAP answers it
 * with an empty "200 OK", on stdout for a decoding context (the decode fuzz target's log filled with "Status: 200
 * OK"). Refused instead, as gSOAP refuses GET, PUT and DELETE, which it answers with nothing. */
static int refuse_method(struct soap *soap)
{
	return soap->error = SOAP_HTTP_METHOD;
}

static void first_context(void)
{
	soap_ssl_noinit();
}

struct soap *ews_soap_new(int mode)
{
	struct soap *soap;

	pthread_once(&defer_once, first_context);
	if ((soap = soap_new1((soap_mode)mode)) != NULL) {
		if (soap->fparsehdr) {
			atomic_store(&gsoap_parse_header, soap->fparsehdr);
			soap->fparsehdr = drop_expect;
		}
		soap->fhead = refuse_method;
		soap->fopt = refuse_method;
	}
	return soap;
}

/* Freeing a gSOAP context clears OpenSSL's error queue (soap_done), and OpenSSL 3 loads all of libcrypto's error
 * strings the first time a thread touches that queue: 1.3 MiB of resident memory (a paging client's peak 7.5 ->
 * 8.7 MiB, issue 13) for text that only a TLS failure can show. OpenSSL decides once per process whether those
 * strings load, so the first context libews frees decides: when TLS was set up before (ssl_init_once), they are
 * loaded already and this changes nothing; otherwise they never load. A TLS connection made later still has
 * libssl's strings (handshake and certificate failures read as before), and a libcrypto error reads as its
 * library and code ("PEM routines::reason(108)"). */
static pthread_once_t err_strings_once = PTHREAD_ONCE_INIT;

static void decide_err_strings(void)
{
	OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS, NULL);
}

void ews_soap_free(struct soap *soap)
{
	if (!soap)
		return;
	pthread_once(&err_strings_once, decide_err_strings);
	soap_destroy(soap);
	soap_end(soap);
	soap_free(soap);
}

static void ssl_init_once(void)
{
	/* once per process, before TLS contexts exist in several threads; error strings for ews_status messages */
	OPENSSL_init_ssl(OPENSSL_INIT_LOAD_SSL_STRINGS | OPENSSL_INIT_LOAD_CRYPTO_STRINGS, NULL);
}

static ews_client *client_of(struct soap *soap)
{
	return (ews_client *)soap->user;
}

/* Watches response headers: Content-Length/-Encoding (truncation check), WWW-Authenticate (401 messages, NTLM
 * challenge). Then lets gSOAP handle the header as usual. */
static int parse_header_hook(struct soap *soap, const char *key, const char *val)
{
	ews_client *c = client_of(soap);

	if (c && key && val) {
		if (!strcasecmp(key, "Content-Length")) {
			c->resp_content_length = strtoull(val, NULL, 10);
			/* over the cap: refused once the head is read (receive_body), and not told to gSOAP, which would
			 * allocate that much at once for an error status's body (a hostile "Content-Length: 4359999999"
			 * asked for 4 GB: tests/fuzz's response target); without it gSOAP reads no such body */
			if (c->resp_content_length > c->max_response_bytes)
				return SOAP_OK;
		} else if (!strcasecmp(key, "Transfer-Encoding")) {
			c->resp_chunked = strcasecmp(val, "identity") != 0;
		} else if (!strcasecmp(key, "Content-Encoding")) {
			c->resp_encoded = strcasecmp(val, "identity") != 0;
			if (c->own_inflate && !strcasecmp(val, "gzip") && ews_body_inflates_gzip()) {
				c->resp_gzip = 1;
				return SOAP_OK; /* not told to gSOAP: it delivers the compressed bytes, inflated whole later */
			}
		} else if (!strcasecmp(key, "WWW-Authenticate")) {
			size_t n = strcspn(val, " ");
			size_t used = strlen(c->resp_auth_schemes);
			if (used + n + 3 < sizeof c->resp_auth_schemes && n > 0) {
				snprintf(c->resp_auth_schemes + used, sizeof c->resp_auth_schemes - used, "%s%.*s",
				         used ? ", " : "", (int)n, val);
			}
			if (n == 4 && !strncasecmp(val, "NTLM", 4) && val[4] == ' ' && val[5] && strlen(val) < 8192)
				ews_strdup_into(&c->ntlm_challenge, val); /* "NTLM <base64 challenge>" */
			else if (n == 9 && !strncasecmp(val, "Negotiate", 9) && val[9] == ' ' && val[10] && strlen(val) < 90000) {
				const char *tok = val + 10 + strspn(val + 10, " ");
				if (!strncmp(tok, "TlRMTVNT", 8) && strlen(tok) < 8192) {
					/* an NTLM challenge inside Negotiate (the fallback): to the NTLM handshake as "NTLM <...>" */
					char *ch = malloc(strlen(tok) + 6);
					if (ch) {
						sprintf(ch, "NTLM %s", tok);
						free(c->ntlm_challenge);
						c->ntlm_challenge = ch;
					}
				} else
					ews_strdup_into(&c->nego_token, tok); /* Kerberos/SPNEGO: the server's token */
			}
		}
	}
	/* gSOAP takes a WWW-Authenticate realm from val + 6 (past "Basic "/"Digest"): for a shorter value, a bare
	 * "NTLM" or "Basic", that reads beyond the string's end (valgrind, test_negotiate). Such a value has no realm. */
	if (key && val && (!strcasecmp(key, "WWW-Authenticate") || !strcasecmp(key, "Proxy-Authenticate")) &&
	    strlen(val) < 6)
		return SOAP_OK;
	return c && c->orig_fparsehdr ? c->orig_fparsehdr(soap, key, val) : SOAP_OK;
}

/* Counts the request bytes the connection accepted: a send that failed before the first one provably never
 * reached the server, so it may be resent whatever the operation. */
static int send_hook(struct soap *soap, const char *s, size_t n)
{
	ews_client *c = client_of(soap);
	int rc = c && c->orig_fsend ? c->orig_fsend(soap, s, n) : SOAP_EOF;
	if (c && rc == SOAP_OK)
		c->sent_bytes += n;
	return rc;
}

static long ms_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)((now.tv_sec - t->tv_sec) * 1000 + (now.tv_nsec - t->tv_nsec) / 1000000);
}

void ews_transport_low_speed_reset(ews_client *c)
{
	c->ls_active = 0;
	c->ls_window_bytes = 0;
	c->low_speed_tripped = 0;
}

/* The low-speed cut-off (curl's LOW_SPEED_LIMIT/TIME) around gSOAP's receive. The clock starts at the first
 * byte of a response (the wait before it is the I/O timeout's business: a server may think long before it
 * answers). Then the time is cut into windows of low_speed_time_s; a window that brings less than
 * low_speed_limit * low_speed_time_s bytes ends the receive as if the peer had closed, flagged, so that the
 * error says why. While a window is short of bytes, one receive waits at most for the rest of that window,
 * so a server that falls silent is cut off as surely as one that drips. */
static size_t recv_hook(struct soap *soap, char *s, size_t n)
{
	ews_client *c = client_of(soap);
	unsigned long long need;
	long window_ms, left_ms;
	int saved_timeout;
	size_t r;

	if (!c || !c->orig_frecv)
		return 0;
	if (c->low_speed_tripped)
		return 0;
	if (c->gate_due && c->read_gate) {   /* the answer is read when its turn comes (ews/client.h) */
		c->gate_due = 0;
		c->read_gate(c->read_gate_arg);
	}
	if (!c->low_speed_limit || !c->ls_active)
		r = c->orig_frecv(soap, s, n);
	else {
		window_ms = c->low_speed_time_s * 1000L;
		need = (unsigned long long)c->low_speed_limit * (unsigned long long)c->low_speed_time_s;
		left_ms = window_ms - ms_since(&c->ls_window_start);
		saved_timeout = soap->recv_timeout;
		if (c->ls_window_bytes < need && left_ms < c->io_timeout_s * 1000L)
			soap->recv_timeout = left_ms > 0 ? (int)-(left_ms * 1000) : -1000; /* negative: microseconds */
		r = c->orig_frecv(soap, s, n);
		soap->recv_timeout = saved_timeout;
	}
	if (!r)
		c->recv_ended = 1;
	else if (!c->first_byte_at.tv_sec && !c->first_byte_at.tv_nsec)
		clock_gettime(CLOCK_MONOTONIC, &c->first_byte_at); /* ews_client_last_timing's wait ends here */
	if (!c->low_speed_limit)
		return r;
	if (r > 0 && !c->ls_active) {
		c->ls_active = 1;
		clock_gettime(CLOCK_MONOTONIC, &c->ls_window_start);
		c->ls_window_bytes = 0;
	}
	if (!c->ls_active)
		return r;
	c->ls_window_bytes += r;
	/* a window is over (a receive cut short by its end comes back empty a moment before it: allow 50 ms) */
	if (ms_since(&c->ls_window_start) >= c->low_speed_time_s * 1000L - (r ? 0 : 50)) {
		if (c->ls_window_bytes < (unsigned long long)c->low_speed_limit * (unsigned long long)c->low_speed_time_s) {
			c->low_speed_tripped = 1;
			return 0;
		}
		clock_gettime(CLOCK_MONOTONIC, &c->ls_window_start);
		c->ls_window_bytes = 0;
	}
	return r;
}

/* Readable TLS on an idle connection is not always the end: a TLS 1.3 server may send session tickets after
 * its answer. Let OpenSSL read what is there without blocking: no application byte and no close_notify
 * means the connection is still good. */
static int tls_idle_record_only(struct soap *soap)
{
	int fl = fcntl(soap->socket, F_GETFL), n, err;
	char b;

	if (fl < 0 || fcntl(soap->socket, F_SETFL, fl | O_NONBLOCK))
		return 0;
	ERR_clear_error();
	n = SSL_peek(soap->ssl, &b, 1);
	err = n > 0 ? SSL_ERROR_NONE : SSL_get_error(soap->ssl, n);
	fcntl(soap->socket, F_SETFL, fl);
	ERR_clear_error();
	return n <= 0 && err == SSL_ERROR_WANT_READ;
}

int ews_transport_idle_connection_usable(ews_client *c)
{
	struct soap *soap = c->soap;
	struct pollfd p;

	if (!soap->keep_alive || !soap_valid_socket(soap->socket))
		return 1; /* nothing kept: the next send connects anyway */
	p.fd = soap->socket;
	p.events = POLLIN;
	p.revents = 0;
	/* an idle HTTP connection has nothing to say: any readable byte, EOF, reset or error means it is gone */
	if (poll(&p, 1, 0) == 0 && !(soap->ssl && SSL_pending(soap->ssl)))
		return 1;
	if (soap->ssl && !(p.revents & (POLLERR | POLLHUP | POLLNVAL)) && tls_idle_record_only(soap))
		return 1;
	soap->keep_alive = 0;
	soap_closesock(soap);
	return 0;
}

/* The text gSOAP has for its current error (no credentials in there: it describes sockets, TLS, XML). gSOAP keeps
 * it in its fault struct, which is the schema's: read through the binding of the call (a TLS setup before the
 * first call has none yet: then OpenSSL's own reason, which is what gSOAP would have quoted). */
static const char *soap_error_text(ews_client *c)
{
	ews_soap_fault_parts p;
	const char *s;
	unsigned long e;

	soap_set_fault(c->soap);
	if (c->binding && c->binding->get_fault(c->soap, &p)) {
		s = p.faultstring ? p.faultstring : p.reason;
		return s && *s ? s : "unknown error";
	}
	e = ERR_peek_last_error();
	if (!e)
		return "unknown error";
	if (ERR_reason_error_string(e))
		return ERR_reason_error_string(e);
	ERR_error_string_n(e, c->tls_error, sizeof c->tls_error);   /* no string loaded: library and code */
	return c->tls_error;
}

static ews_status configure_tls(ews_client *c)
{
	struct soap *soap = c->soap;
	unsigned short flags = SOAP_TLSv1_2 | SOAP_TLSv1_3;

	if (c->tls_configured)
		return ews_status_ok();
	pthread_once(&ssl_once, ssl_init_once);
	if (soap->ctx) {
		/* settings changed: start from a fresh OpenSSL context and connection */
		soap_closesock(soap);
		soap->keep_alive = 0;
		SSL_CTX_free(soap->ctx);
		soap->ctx = NULL;
	}
	flags |= c->insecure ? SOAP_SSL_NO_AUTHENTICATION : SOAP_SSL_REQUIRE_SERVER_AUTHENTICATION;
	if (soap_ssl_client_context(soap, flags, NULL, NULL, c->ca_file, c->ca_dir, NULL)) {
		const char *s = soap_error_text(c);
		return ews_status_make(EWS_ERR_TLS, "TLS setup failed (CA file '%s'): %s", c->ca_file ? c->ca_file : "-", s);
	}
	c->tls_configured = 1;
	return ews_status_ok();
}

ews_status ews_transport_configure(ews_client *c)
{
	struct soap *soap = c->soap;

	soap->connect_timeout = c->connect_timeout_s;
	soap->send_timeout = c->io_timeout_s;
	soap->recv_timeout = c->io_timeout_s;
	soap->transfer_timeout = c->deadline_s; /* the whole message: defeats servers that drip bytes */
	/* recv_maxlength counts the whole message after decompression, headers included */
	soap->recv_maxlength = (ULONG64)c->max_response_bytes + 16384;
	soap->maxlevel = (unsigned int)c->max_depth;
	soap->socket_flags = MSG_NOSIGNAL; /* plain sockets: EPIPE instead of SIGPIPE */
	soap->proxy_host = c->proxy_host;
	soap->proxy_port = c->proxy_port;
	soap->proxy_userid = c->proxy_user;
	soap->proxy_passwd = c->proxy_password;
	if (soap->fparsehdr != parse_header_hook) {
		c->orig_fparsehdr = soap->fparsehdr;
		soap->fparsehdr = parse_header_hook;
	}
	if (soap->frecv != recv_hook) {
		c->orig_frecv = soap->frecv;
		soap->frecv = recv_hook;
	}
	if (soap->fsend != send_hook) {
		c->orig_fsend = soap->fsend;
		soap->fsend = send_hook;
	}
	if (!strncmp(c->url, "https://", 8))
		return configure_tls(c);
	return ews_status_ok();
}

void ews_transport_reset_headers(ews_client *c)
{
	if (c->extra_headers)
		c->extra_headers[0] = '\0';
	c->soap->http_extra_header = NULL;
}

ews_status ews_transport_add_header(ews_client *c, const char *name, const char *value)
{
	size_t used = c->extra_headers ? strlen(c->extra_headers) : 0;
	size_t need = used + strlen(name) + strlen(value) + 5;

	for (const char *p = value; *p; p++)
		if (*p == '\r' || *p == '\n')
			return ews_status_make(EWS_ERR_ARGUMENT, "HTTP header %s: line breaks are not allowed", name);
	if (need > c->extra_headers_cap) {
		/* grow by copying, so a secret (bearer token) never lingers in freed memory */
		size_t cap = need + 256;
		char *grown = malloc(cap);
		if (!grown)
			return ews_status_make(EWS_ERR_NOMEM, "out of memory");
		memcpy(grown, c->extra_headers ? c->extra_headers : "", used + 1);
		ews_free_secret(c->extra_headers);
		c->extra_headers = grown;
		c->extra_headers_cap = cap;
	}
	/* gSOAP writes the string and then one CRLF: separate several headers by CRLF, no trailing one */
	snprintf(c->extra_headers + used, c->extra_headers_cap - used, "%s%s: %s", used ? "\r\n" : "", name, value);
	return ews_status_ok();
}

static int exceeded_size(const ews_client *c)
{
	ULONG64 max = c->soap->recv_maxlength;
	return (c->resp_content_length && c->resp_content_length > c->max_response_bytes) ||
	       (max && c->soap->count > max);
}

long ews_elapsed_ms(const ews_client *c)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)((now.tv_sec - c->attempt_started.tv_sec) * 1000 +
	              (now.tv_nsec - c->attempt_started.tv_nsec) / 1000000);
}

int ews_transport_deadline_passed(const ews_client *c)
{
	/* gSOAP ends a message at its transfer_timeout as if the peer had closed (or mid-header, as a syntax
	 * error): tell them apart by the clock. gSOAP counts whole seconds, so it may stop up to 1 s early. */
	long elapsed = ews_elapsed_ms(c);
	return elapsed >= c->deadline_s * 1000L - 1000 || elapsed >= c->io_timeout_s * 1000L - 1000;
}

ews_status ews_transport_error(ews_client *c, const char *operation, const char *stage)
{
	struct soap *soap = c->soap;
	int err = soap->error;
	ews_status st;

	if (c->low_speed_tripped) {
		st = ews_status_make(EWS_ERR_TIMEOUT, "%s: the server sent less than %ld bytes/s for %d s while %s "
		                     "(low-speed limit; a stalled or dripping connection)", operation, c->low_speed_limit,
		                     c->low_speed_time_s, stage);
	} else if ((err == SOAP_EOF || err == SOAP_ZLIB_ERROR) && exceeded_size(c)) {
		st = ews_status_make(EWS_ERR_TOO_LARGE, "%s: the response exceeds the size cap of %zu bytes", operation,
		                     c->max_response_bytes);
	} else if (err == SOAP_EOF && ews_transport_deadline_passed(c)) {
		st = ews_status_make(EWS_ERR_TIMEOUT, "%s: timed out while %s (%ld ms)", operation, stage,
		                     ews_elapsed_ms(c));
	} else if (err == SOAP_EOF) {
		st = ews_status_make(EWS_ERR_IO, "%s: the connection was closed while %s", operation, stage);
	} else if (err == SOAP_EOM) {
		st = ews_status_make(EWS_ERR_NOMEM, "%s: out of memory while %s", operation, stage);
	} else if (err == SOAP_TCP_ERROR) {
		st = ews_status_make(EWS_ERR_CONNECT, "%s: cannot connect to %s: %s", operation, c->url,
		                     soap_error_text(c));
	} else if (err == SOAP_SSL_ERROR) {
		st = ews_status_make(EWS_ERR_TLS, "%s: TLS failure with %s: %s", operation, c->url, soap_error_text(c));
	} else if (err == SOAP_LEVEL || err == SOAP_OCCURS || err == SOAP_LENGTH) {
		st = ews_status_make(EWS_ERR_TOO_LARGE, "%s: the response exceeds a cap (nesting %d): %s", operation,
		                     c->max_depth, soap_error_text(c));
	} else if (err == SOAP_ZLIB_ERROR && soap->d_stream && soap->d_stream->total_out >= SOAP_MAXINFLATESIZE) {
		/* gSOAP's guard: past 1 MiB, data that inflates over 1000-fold is refused as a compression bomb */
		st = ews_status_make(EWS_ERR_TOO_LARGE, "%s: the compressed response inflates too far (compression bomb?)",
		                     operation);
	} else if (err == SOAP_ZLIB_ERROR && c->recv_ended && !(soap->d_stream && soap->d_stream->msg &&
	                                                        *soap->d_stream->msg)) {
		/* zlib names what it finds wrong; out of input, with the connection at its end, it names nothing */
		st = ews_status_make(EWS_ERR_IO, "%s: the connection closed before the whole answer: it was cut off "
		                     "inside the compressed response, while %s", operation, stage);
	} else if (err == SOAP_ZLIB_ERROR) {
		st = ews_status_make(EWS_ERR_XML, "%s: the compressed response is corrupt: %s", operation,
		                     soap_error_text(c));
	} else if (err >= 100 && err < 600) {
		st = ews_status_make(EWS_ERR_HTTP, "%s: the server answered HTTP %d", operation, err);
		st.http_status = err;
	} else if (err == SOAP_HTTP_ERROR) {
		st = ews_status_make(EWS_ERR_HTTP, "%s: malformed HTTP response: %s", operation, soap_error_text(c));
	} else {
		st = ews_status_make(EWS_ERR_XML, "%s: malformed response (gSOAP error %d): %s", operation, err,
		                     soap_error_text(c));
	}
	if (!st.http_status)
		st.http_status = soap->status >= 100 && soap->status < 600 ? soap->status : 0;
	return st;
}

/* Read and drop the body of a 401/403 so the kept-alive connection stays usable (NTLM authenticates the
 * connection). gSOAP stops at the headers of such a status, marks its whole buffer consumed and reports no
 * body length. So: the Content-Length seen by the header hook, minus the body bytes already in gSOAP's buffer
 * (after the blank line that ends the headers), is read from the connection and dropped. Without a length,
 * with chunking, or when large, the connection is closed instead. */
static void discard_body(ews_client *c)
{
	struct soap *soap = c->soap;
	unsigned long long want = c->resp_content_length;
	const char *end = NULL;
	char tmp[4096];

	soap->error = SOAP_OK;
	for (size_t i = 0; i + 3 < soap->buflen; i++)
		if (!memcmp(soap->buf + i, "\r\n\r\n", 4)) {
			end = soap->buf + i + 4;
			break;
		}
	if (c->resp_chunked || want > 65536 || !end) {
		soap->keep_alive = 0;
		soap_closesock(soap);
		return;
	}
	want = (size_t)(soap->buf + soap->buflen - end) >= want ? 0 : want - (size_t)(soap->buf + soap->buflen - end);
	while (want > 0) {
		size_t n = soap->frecv(soap, tmp, want < sizeof tmp ? (size_t)want : sizeof tmp);
		if (!n) {
			soap->keep_alive = 0;
			soap_closesock(soap);
			return;
		}
		want -= n;
	}
	soap->bufidx = soap->buflen = 0;
	soap->keep_alive = -1;
}

/* An answer refused after its head or body: the connection goes with it (what is left of the answer is not
 * read), st is returned. */
static ews_status close_refusing(ews_client *c, ews_status st)
{
	c->soap->keep_alive = 0;
	soap_closesock(c->soap);
	return st;
}

/* A gzip body received whole (its length, its last chunk), inflated in one go (ews_body_inflate). */
static ews_status inflate_body(ews_client *c, const char *operation, char **body, size_t *len)
{
	struct soap *soap = c->soap;
	ews_body_failure why;
	size_t raw = *len;
	char *in = ews_body_inflate(c, *body, raw, len, &why);
	ews_status st;

	if (in) {
		*body = in;
		return ews_status_ok();
	}
	if (why == EWS_BODY_TOO_LARGE)
		st = ews_status_make(EWS_ERR_TOO_LARGE, "%s: the response exceeds the size cap of %zu bytes once "
		                     "inflated", operation, c->max_response_bytes);
	else if (why == EWS_BODY_NOMEM)
		st = ews_status_make(EWS_ERR_NOMEM, "%s: out of memory while inflating the response", operation);
	else if (c->recv_ended)
		st = ews_status_make(EWS_ERR_IO, "%s: the connection closed before the whole answer: it was cut off "
		                     "inside the compressed response (%zu bytes arrived)", operation, raw);
	else
		st = ews_status_make(EWS_ERR_XML, "%s: the compressed response is corrupt (gzip, %zu bytes)", operation,
		                     raw);
	st.http_status = soap->status;
	*body = NULL;
	*len = 0;
	return close_refusing(c, st);
}

ews_status ews_transport_receive_body(ews_client *c, const char *operation, char **body, size_t *len)
{
	struct soap *soap = c->soap;
	int rc;

	*body = NULL;
	*len = 0;
	c->resp_content_length = 0;
	c->resp_encoded = 0;
	c->resp_chunked = 0;
	c->resp_gzip = 0;
	c->resp_auth_schemes[0] = '\0';
	free(c->ntlm_challenge); /* only a challenge of this very response counts */
	c->ntlm_challenge = NULL;
	free(c->nego_token);
	c->nego_token = NULL;
	ews_transport_low_speed_reset(c);
	c->recv_ended = 0;
	c->own_inflate = 1;
	rc = soap_begin_recv(soap);
	c->own_inflate = 0;
	if (rc && c->recv_ended && (rc < 100 || rc >= 600) && rc != SOAP_EOM && rc != SOAP_SSL_ERROR &&
	    !c->low_speed_tripped)
		rc = soap->error = SOAP_EOF; /* a head cut short reads as a syntax error: it is the connection's end */
	c->resp_nothing = rc == SOAP_EOF && soap->count == 0 && soap->buflen == 0;
	/* gSOAP accepts 200 (and 400/500 with a body, for faults); any other status comes back as the error */
	if (rc == 401 || rc == 403) {
		ews_status st;
		int retry = 0;
		discard_body(c);
		st = ews_auth_on_http_error(c, operation, rc, &retry);
		st.http_status = rc;
		if (retry)
			c->auth_retry = 1;
		return st;
	}
	if (rc == SOAP_OK && c->resp_content_length > c->max_response_bytes)
		return close_refusing(c, ews_status_make(EWS_ERR_TOO_LARGE, "%s: the response (%llu bytes) exceeds the "
		                                         "size cap of %zu bytes", operation,
		                                         (unsigned long long)c->resp_content_length,
		                                         c->max_response_bytes));
	if (rc == SOAP_OK) {
		*body = ews_body_read(c, len);
		if (*body && *len > c->max_response_bytes) {
			*body = NULL;
			return close_refusing(c, ews_status_make(EWS_ERR_TOO_LARGE, "%s: the response exceeds the size cap "
			                                         "of %zu bytes", operation, c->max_response_bytes));
		}
		if (*body && !soap_end_recv(soap)) {
			if (c->resp_content_length && (!c->resp_encoded || c->resp_gzip) && *len < c->resp_content_length) {
				ews_status st = c->low_speed_tripped
				                        ? ews_transport_error(c, operation, "receiving the response")
				                        : ews_transport_deadline_passed(c)
				                        ? ews_status_make(EWS_ERR_TIMEOUT, "%s: the response did not arrive within "
				                                          "the deadline (%zu of %llu bytes)", operation, *len,
				                                          (unsigned long long)c->resp_content_length)
				                        : ews_status_make(EWS_ERR_IO, "%s: the connection closed before the whole "
				                                          "answer: it was cut off (%zu of %llu bytes)", operation,
				                                          *len, (unsigned long long)c->resp_content_length);
				st.http_status = soap->status;
				return close_refusing(c, st);
			}
			if (c->resp_gzip && *len) /* (an empty one stays empty: judged as any empty answer) */
				return inflate_body(c, operation, body, len);
			return ews_status_ok();
		}
		if (!*body && !soap->error)
			soap->error = SOAP_EOM;
	}
	{
		ews_status st = ews_transport_error(c, operation, "receiving the response");
		if (st.code != EWS_ERR_TIMEOUT && st.code != EWS_ERR_TOO_LARGE && st.code != EWS_ERR_TLS &&
		    ews_transport_deadline_passed(c)) {
			int http = st.http_status;
			st = ews_status_make(EWS_ERR_TIMEOUT, "%s: the response did not arrive within the deadline (%ld ms)",
			                     operation, ews_elapsed_ms(c));
			st.http_status = http;
		}
		soap->keep_alive = 0;
		soap_closesock(soap);
		*body = NULL;
		*len = 0;
		return st;
	}
}
