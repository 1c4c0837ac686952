/* ews_stream.h — an operation whose response is read as it arrives (internal to libews).
 *
 * Exchange answers GetStreamingEvents with one HTTP response that stays open for up to 30 minutes, its body a
 * series of complete SOAP envelopes (one per chunk of Transfer-Encoding: chunked). gSOAP's generated receive half
 * reads a body to its end, so ews_call_operation() cannot deliver them as they come. These functions send the
 * request as a call does (SOAP headers, the client's authentication), read the response's HTTP head, and then hand
 * out the decoded body bytes (de-chunked, inflated) as they arrive; ews_envelope_splitter cuts them into
 * envelopes, which the caller decodes with the generated deserializer. Core layer: no generated name here.
 *
 * While a stream is open the client's whole-message deadline and low-speed cut-off are off (a stream is slow by
 * design) and idle_timeout_s bounds the wait for the next byte; ews_stream_close() puts them back. The client
 * must not be used for other calls while its stream is open.
 */
#ifndef EWS_STREAM_H
#define EWS_STREAM_H

#include <stddef.h>

#include "ews/call.h"
#include "ews/client.h"
#include "ews/status.h"

typedef struct ews_stream_conn {
	ews_client *c;              /* borrowed */
	int open;
	int saved_recv_timeout, saved_transfer_timeout;
	long saved_low_speed;
	unsigned long long saved_maxlength;
	int idle_timeout_s;
} ews_stream_conn;

/* Send op's request and read the response head. EWS_ERR_AUTH on 401/403 (with NTLM the connection must have
 * been authenticated by an ordinary call first: the stream does not run a handshake), EWS_ERR_HTTP on another
 * status without a body, transport errors as a call reports them. On success s->open is 1. */
ews_status ews_stream_open(ews_stream_conn *s, ews_client *c, const ews_operation *op, const void *request,
                           int idle_timeout_s);

/* Up to cap bytes of the body into buf, waiting for at least one: the count, 0 at the end of the body (clean or
 * not: the caller's protocol says whether it expected more), or -1 with *st on a failure (idle timeout included). */
long ews_stream_read(ews_stream_conn *s, char *buf, size_t cap, ews_status *st);

/* Close the connection (the rest of the body is not read) and restore the client's timeouts. Accepts a closed
 * stream. */
void ews_stream_close(ews_stream_conn *s);

/* ---- cutting a byte stream into XML documents ---- */

/* Bytes go in (ews_envelope_feed), complete top-level elements come out (ews_envelope_next), in order. What lies
 * between them (XML declarations, comments, blanks) is skipped. Memory is the largest element plus one read:
 * an element longer than max bytes is an error (EWS_ERR_TOO_LARGE), never buffered whole. */
typedef struct ews_envelope_splitter {
	char *buf;                  /* owned */
	size_t len, cap, max;
	size_t scan;                /* where scanning resumes */
	size_t start;               /* the current element's first byte (valid while depth > 0) */
	size_t taken;               /* bytes of the element handed out by the last ews_envelope_next */
	int depth;
} ews_envelope_splitter;

void ews_envelope_init(ews_envelope_splitter *sp, size_t max);
/* Append n bytes. EWS_ERR_NOMEM, or EWS_ERR_TOO_LARGE when an element grows past max. */
ews_status ews_envelope_feed(ews_envelope_splitter *sp, const char *p, size_t n);
/* 1 and *xml and *len (NUL-terminated, borrowed until the next feed/next call) for the next complete element;
 * 0 when more bytes are needed. */
int ews_envelope_next(ews_envelope_splitter *sp, char **xml, size_t *len);
/* Forget any partial element (after a reconnect). */
void ews_envelope_reset(ews_envelope_splitter *sp);
void ews_envelope_free(ews_envelope_splitter *sp);

#endif
