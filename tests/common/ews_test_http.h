/* ews_test_http.h — a tiny loopback HTTP(S) listener that serves canned replies, for transport tests.
 *
 * Listens on 127.0.0.1, port 0 (the kernel picks one), in one thread, one connection at a time. Each request it
 * receives is recorded (raw header + body) and answered with the next queued reply, in order; connections stay
 * open (keep-alive) unless a reply says otherwise. With TLS it uses a self-signed certificate generated at start
 * (CN and SAN = 127.0.0.1), written to a PEM file a client can trust as its CA file.
 */
#ifndef EWS_TEST_HTTP_H
#define EWS_TEST_HTTP_H

#include <stddef.h>

/* One canned answer. `bytes` is the complete raw HTTP response (status line, headers, body); it is copied. */
typedef struct ews_test_reply {
	const char *bytes;
	size_t len;             /* 0: strlen(bytes) */
	size_t truncate_at;     /* send only this many bytes, then close (0: send all) */
	int delay_ms;           /* wait this long before answering */
	int drip_ms;            /* send one byte every drip_ms (slow server) */
	int close_after;        /* close the connection after this reply */
	int drop;               /* close the connection without answering */
	int tls_ticket_after;   /* TLS 1.3: send one more session ticket after the reply (a TLS record that is no
	                         * answer, left on the idle connection) */
} ews_test_reply;

typedef struct ews_test_http ews_test_http;

/* Start a listener; tls = 1 for HTTPS with a fresh self-signed certificate. NULL on failure. */
ews_test_http *ews_test_http_start(int tls);

/* Answers requests dynamically instead of the queue: fill *reply (reply->bytes malloc'd; the listener frees
 * it) and return 0, or return -1 to use the next queued reply. `connection` numbers the connections from 0. */
typedef int (*ews_test_responder)(void *arg, const char *request, int connection, ews_test_reply *reply);
void ews_test_http_set_responder(ews_test_http *s, ews_test_responder fn, void *arg);

/* A malloc'd raw reply: status line for `status`, Content-Type text/xml, extra headers, Content-Length, body. */
char *ews_test_http_response(int status, const char *extra_headers, const char *body, size_t *len);

/* Start an HTTPS listener whose certificate names `san` ("IP:127.0.0.1", "DNS:mail.example.com") and `cn`.
 * san NULL: plain HTTP. */
ews_test_http *ews_test_http_start_tls(const char *san, const char *cn);

/* Limit a TLS listener to protocol versions up to `max_version` (e.g. TLS1_1_VERSION), allowing the old ones
 * OpenSSL refuses by default. Call before the first connection. */
void ews_test_http_set_tls_max_version(ews_test_http *s, int max_version);

/* Stop the thread, close everything, free. Accepts NULL. */
void ews_test_http_stop(ews_test_http *s);

/* Queue a reply (copied). Returns 0, or -1 when the queue is full. */
int ews_test_http_queue(ews_test_http *s, const ews_test_reply *r);

/* Queue a plain reply: `status` with Content-Type text/xml, `extra_headers` ("Name: v\r\n"..., may be NULL) and
 * `body` (may be NULL), with Content-Length. */
int ews_test_http_queue_simple(ews_test_http *s, int status, const char *extra_headers, const char *body);

/* The endpoint URL: "http(s)://127.0.0.1:PORT/EWS/Exchange.asmx" (static per listener). */
const char *ews_test_http_url(const ews_test_http *s);

/* Path of the PEM certificate of a TLS listener (NULL without TLS). */
const char *ews_test_http_cert_file(const ews_test_http *s);

/* Requests received so far, and connections accepted so far. */
int ews_test_http_request_count(ews_test_http *s);
int ews_test_http_connection_count(ews_test_http *s);
/* Connections the listener has closed so far. */
int ews_test_http_closed_count(ews_test_http *s);

/* A malloc'd copy of request i (0-based, NUL-terminated, header and body); NULL when out of range. Caller frees. */
char *ews_test_http_request(ews_test_http *s, int i);

/* The value of header `name` of request i, malloc'd; NULL when absent. Caller frees. */
char *ews_test_http_request_header(ews_test_http *s, int i, const char *name);

/* A whole SOAP 1.1 envelope around `body_xml`, with `header_xml` in the Header (may be NULL): malloc'd. */
char *ews_test_soap_envelope(const char *header_xml, const char *body_xml);

#endif
