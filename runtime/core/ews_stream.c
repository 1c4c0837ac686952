/* ews_stream.c — reading a response as it arrives, and cutting it into envelopes (ews_stream.h). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <stdsoap2.h>

#include "ews_internal.h"
#include "ews_stream.h"

/* ---- the connection ---- */

ews_status ews_stream_open(ews_stream_conn *s, ews_client *c, const ews_operation *op, const void *request,
                           int idle_timeout_s)
{
	struct soap *soap;
	struct ews_sigpipe_guard guard;
	ews_status st;
	int rc;

	memset(s, 0, sizeof *s);
	if (!c || !op || !op->send || !op->binding || !request || idle_timeout_s < 1)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_stream_open: bad argument");
	soap = c->soap;
	s->c = c;
	ews_client_release(c);
	if (!ews_transport_idle_connection_usable(c))
		c->ntlm_connection_ok = 0;
	c->current_flags = op->flags;
	c->binding = op->binding;
	c->last_was_fault = 0;
	c->auth_retry = 0;
	clock_gettime(CLOCK_MONOTONIC, &c->attempt_started);
	ews_transport_reset_headers(c);
	if (!ews_ok(st = ews_headers_prepare(c)) || !ews_ok(st = ews_auth_prepare(c, op->name)))
		return st;
	soap->http_extra_header = c->extra_headers && *c->extra_headers ? c->extra_headers : NULL;
	/* a stream is slow by design: no whole-message deadline, no low-speed cut-off; idle_timeout_s per read */
	s->saved_recv_timeout = soap->recv_timeout;
	s->saved_transfer_timeout = soap->transfer_timeout;
	s->saved_low_speed = c->low_speed_limit;
	s->saved_maxlength = soap->recv_maxlength;
	s->idle_timeout_s = idle_timeout_s;
	soap->recv_timeout = idle_timeout_s;
	soap->transfer_timeout = 0;
	soap->recv_maxlength = 0;   /* a stream's total is unbounded; each message is bounded by the splitter */
	c->low_speed_limit = 0;
	s->open = 1;
	ews_sigpipe_block(&guard);
	c->sent_bytes = 0;
	rc = op->send(soap, c->url, NULL, request);
	soap->header = NULL;
	if (rc) {
		st = ews_transport_error(c, op->name, "sending the request");
		ews_sigpipe_restore(&guard);
		ews_stream_close(s);
		return st;
	}
	ews_transport_low_speed_reset(c);
	rc = soap_begin_recv(soap);
	ews_sigpipe_restore(&guard);
	if (rc == 401 || rc == 403) {
		st = ews_status_make(EWS_ERR_AUTH, "%s: the server refused the credentials (HTTP %d)", op->name, rc);
		st.http_status = rc;
		ews_stream_close(s);
		return st;
	}
	if (rc) {
		st = ews_transport_error(c, op->name, "receiving the response");
		ews_stream_close(s);
		return st;
	}
	/* the server's final authentication token (Negotiate's mutual authentication) is checked as for any call */
	if (!ews_ok(st = ews_auth_on_response(c, op->name))) {
		ews_stream_close(s);
		return st;
	}
	return ews_status_ok();
}

long ews_stream_read(ews_stream_conn *s, char *buf, size_t cap, ews_status *st)
{
	struct soap *soap;
	size_t n;

	*st = ews_status_ok();
	if (!s->open)
		return 0;
	soap = s->c->soap;
	if (soap->bufidx >= soap->buflen) {
		struct ews_sigpipe_guard guard;
		struct timespec t0, t1;
		int rc;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		ews_sigpipe_block(&guard);
		rc = soap_recv(soap);
		ews_sigpipe_restore(&guard);
		if (rc) {
			/* gSOAP reports the end of a chunked body, a closed connection and an idle timeout alike as an end
			 * of input: an end that took the whole idle timeout is the timeout; the caller's protocol judges the
			 * others (a Closed status before it, or not) */
			clock_gettime(CLOCK_MONOTONIC, &t1);
			long ms = (long)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
			if (ms >= s->idle_timeout_s * 1000L - 500) {
				*st = ews_status_make(EWS_ERR_TIMEOUT, "GetStreamingEvents: nothing arrived for %d s (not even a "
				                      "keep-alive): the connection is taken for dropped", s->idle_timeout_s);
				return -1;
			}
			return 0;
		}
	}
	n = soap->buflen - soap->bufidx;
	if (n > cap)
		n = cap;
	memcpy(buf, soap->buf + soap->bufidx, n);
	soap->bufidx += n;
	return (long)n;
}

void ews_stream_close(ews_stream_conn *s)
{
	struct soap *soap;

	if (!s || !s->open || !s->c)
		return;
	soap = s->c->soap;
	soap->keep_alive = 0;       /* the body was not read to its end: the connection cannot carry another call */
	soap_closesock(soap);
	s->c->ntlm_connection_ok = 0;
	soap->recv_timeout = s->saved_recv_timeout;
	soap->transfer_timeout = s->saved_transfer_timeout;
	s->c->low_speed_limit = s->saved_low_speed;
	soap->recv_maxlength = s->saved_maxlength;
	soap->error = SOAP_OK;
	s->open = 0;
}

/* ---- the splitter ---- */

void ews_envelope_init(ews_envelope_splitter *sp, size_t max)
{
	memset(sp, 0, sizeof *sp);
	sp->max = max;
}

/* Drop the element handed out last (its bytes come first). */
static void drop_taken(ews_envelope_splitter *sp)
{
	if (!sp->taken)
		return;
	memmove(sp->buf, sp->buf + sp->taken + 1, sp->len - sp->taken);   /* the NUL written after it was a copy */
	sp->len -= sp->taken;
	sp->scan -= sp->taken;
	sp->taken = 0;
}

ews_status ews_envelope_feed(ews_envelope_splitter *sp, const char *p, size_t n)
{
	drop_taken(sp);
	if (sp->len + n > sp->max + 64 * 1024 || (sp->depth > 0 && sp->len - sp->start + n > sp->max))
		return ews_status_make(EWS_ERR_TOO_LARGE, "a streamed message exceeds %zu bytes", sp->max);
	if (sp->len + n + 2 > sp->cap) {
		size_t cap = sp->cap ? sp->cap : 16384;
		while (cap < sp->len + n + 2)
			cap *= 2;
		char *g = realloc(sp->buf, cap);
		if (!g)
			return ews_status_make(EWS_ERR_NOMEM, "out of memory");
		sp->buf = g;
		sp->cap = cap;
	}
	memcpy(sp->buf + sp->len, p, n);
	sp->len += n;
	return ews_status_ok();
}

/* The end of the construct that starts with "<" at i (one past its last byte), or 0 when it is not complete yet.
 * *kind: 'e' end tag, 's' start tag, 'x' empty-element tag, 'o' other (declaration, PI, comment, CDATA). */
static size_t construct_end(const char *b, size_t i, size_t len, char *kind)
{
	const char *end;
	if (i + 1 >= len)
		return 0;
	if (b[i + 1] == '?') {
		*kind = 'o';
		end = memmem(b + i + 2, len - i - 2, "?>", 2);
		return end ? (size_t)(end - b) + 2 : 0;
	}
	if (b[i + 1] == '!') {
		*kind = 'o';
		if (i + 4 > len)
			return 0;
		if (!memcmp(b + i, "<!--", 4)) {
			end = i + 4 <= len ? memmem(b + i + 4, len - i - 4, "-->", 3) : NULL;
			return end ? (size_t)(end - b) + 3 : 0;
		}
		if (i + 9 > len)
			return 0;
		if (!memcmp(b + i, "<![CDATA[", 9)) {
			end = memmem(b + i + 9, len - i - 9, "]]>", 3);
			return end ? (size_t)(end - b) + 3 : 0;
		}
		end = memchr(b + i, '>', len - i);
		return end ? (size_t)(end - b) + 1 : 0;
	}
	*kind = b[i + 1] == '/' ? 'e' : 's';
	char quote = 0;
	for (size_t k = i + 1; k < len; k++) {
		if (quote) {
			if (b[k] == quote)
				quote = 0;
		} else if (b[k] == '"' || b[k] == '\'') {
			quote = b[k];
		} else if (b[k] == '>') {
			if (*kind == 's' && b[k - 1] == '/')
				*kind = 'x';
			return k + 1;
		}
	}
	return 0;
}

int ews_envelope_next(ews_envelope_splitter *sp, char **xml, size_t *len)
{
	drop_taken(sp);
	while (sp->scan < sp->len) {
		char *lt = memchr(sp->buf + sp->scan, '<', sp->len - sp->scan);
		if (!lt) {
			sp->scan = sp->len;     /* text (or blanks between elements): nothing to keep an eye on */
			break;
		}
		size_t i = (size_t)(lt - sp->buf), end;
		char kind = 0;
		if (!(end = construct_end(sp->buf, i, sp->len, &kind))) {
			sp->scan = i;           /* wait for the rest of this construct */
			break;
		}
		sp->scan = end;
		if (kind == 'o')
			continue;
		if (sp->depth == 0) {
			if (kind == 'e')
				continue;           /* a stray end tag between documents: not ours to judge */
			sp->start = i;
			/* what came before the element (declaration, blanks) is dropped now */
			memmove(sp->buf, sp->buf + sp->start, sp->len - sp->start);
			sp->len -= sp->start;
			sp->scan -= sp->start;
			end -= sp->start;
			sp->start = 0;
		}
		sp->depth += kind == 's' ? 1 : kind == 'e' ? -1 : 0;
		if (sp->depth <= 0) {
			sp->depth = 0;
			/* the element is [0, end): NUL-terminate it in a copy of the byte after it */
			memmove(sp->buf + end + 1, sp->buf + end, sp->len - end);
			sp->buf[end] = '\0';
			sp->taken = end;
			sp->scan = end;
			*xml = sp->buf;
			*len = end;
			return 1;
		}
	}
	if (sp->depth == 0 && sp->scan == sp->len) {
		sp->len = sp->scan = 0;     /* only blanks or finished constructs: nothing to keep */
	}
	return 0;
}

void ews_envelope_reset(ews_envelope_splitter *sp)
{
	sp->len = sp->scan = sp->start = sp->taken = 0;
	sp->depth = 0;
}

void ews_envelope_free(ews_envelope_splitter *sp)
{
	free(sp->buf);
	memset(sp, 0, sizeof *sp);
}
