/* ews_body.c — a response body read whole into the client's own buffer (ews_internal.h: ews_body_read).
 *
 * gSOAP's soap_http_get_body collects a compressed or chunked body (the normal case: Exchange and ewsd answer
 * gzip) in blocks of 256 bytes, one allocation each, and joins them into one copy at the end: for that moment the
 * body is in memory twice (an ExportItems batch of 500 KiB: 1.1 MB of a client's peak). Here the body goes into
 * one buffer of anonymous memory that grows by mremap (pages moved, nothing copied), kept by the client for the
 * next response while it stays at most KEEP_BYTES, so a run of calls allocates it once. The reading itself is
 * gSOAP's: soap_recv delivers the de-chunked, inflated bytes and ends at the body's end (Content-Length, the
 * last chunk, or the connection's close) exactly as for soap_http_get_body, whose choices this mirrors.
 * While a response is decoded from the buffer, base64 values are decoded into it in place (ews/call.h:
 * ews_inplace, registered here as a plugin of the client's context). */
#define _GNU_SOURCE /* mremap */
#include <string.h>
#include <sys/mman.h>

#include <stdsoap2.h>

#include "ews_internal.h"

#define FIRST_BYTES ((size_t)64 * 1024)
#define KEEP_BYTES ((size_t)1024 * 1024)

/* Room for `need` bytes; 0, or -1 when the memory is not there (or need is absurd). */
static int reserve(ews_client *c, size_t need)
{
	size_t cap = c->body_cap ? c->body_cap : FIRST_BYTES;
	void *p;
	if (need <= c->body_cap)
		return 0;
	while (cap < need) {
		if (cap > ((size_t)-1) / 4)
			return -1;
		cap *= 2;
	}
	p = c->body ? mremap(c->body, c->body_cap, cap, MREMAP_MAYMOVE)
	            : mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	c->body = p;
	c->body_cap = cap;
	return 0;
}

char *ews_body_read(ews_client *c, size_t *len)
{
	struct soap *soap = c->soap;
	ULONG64 k = soap->length;
	size_t n = 0;
	/* stop reading a little past the cap: the caller refuses a body longer than it */
	size_t limit = c->max_response_bytes < ((size_t)-1) / 2 ? c->max_response_bytes + 1 : (size_t)-1 / 2;

	*len = 0;
	if (reserve(c, 1)) {
		soap->error = SOAP_EOM;
		return NULL;
	}
	/* no body (no Content-Length, not chunked, not compressed), or attachments soap_end_recv reads: empty, as
	 * soap_http_get_body answers */
	if ((!k && !(soap->mode & SOAP_ENC_PLAIN) && !(soap->mode & SOAP_ENC_ZLIB) &&
	     (soap->mode & SOAP_IO) != SOAP_IO_CHUNK) ||
	    (soap->mode & SOAP_ENC_DIME) || (soap->mode & SOAP_ENC_MIME)) {
		c->body[0] = '\0';
		return c->body;
	}
	if (k && !(soap->mode & SOAP_ENC_ZLIB)) {
		soap->length = 0; /* read here to its end, as soap_http_get_body does */
		if (k < limit)
			limit = (size_t)k;
	} else {
		k = 0; /* to the end of the chunks or the inflated stream */
	}
	if (soap->ahead && limit) { /* a character gSOAP read ahead while parsing the head */
		c->body[n++] = (char)soap->ahead;
		soap->ahead = 0;
	}
	while (n < limit) {
		size_t m;
		if (soap->bufidx >= soap->buflen && soap_recv(soap))
			break; /* the end (or what cut it: soap->error, which soap_end_recv reports) */
		m = soap->buflen - soap->bufidx;
		if (m > limit - n)
			m = limit - n;
		if (reserve(c, n + m + 1)) {
			soap->error = SOAP_EOM;
			return NULL;
		}
		memcpy(c->body + n, soap->buf + soap->bufidx, m);
		soap->bufidx += m;
		n += m;
	}
	c->body[n] = '\0';
	*len = n;
	return c->body;
}

/* gSOAP plugin callbacks: the data is the client's own ews_inplace (nothing to free, not copied). */
static void inplace_delete(struct soap *soap, struct soap_plugin *p)
{
	(void)soap, (void)p;
}

static int inplace_plugin(struct soap *soap, struct soap_plugin *p, void *arg)
{
	(void)soap;
	p->id = EWS_INPLACE_PLUGIN;
	p->data = arg;
	p->fcopy = NULL;
	p->fdelete = inplace_delete;
	return SOAP_OK;
}

int ews_body_attach(ews_client *c)
{
	return soap_register_plugin_arg(c->soap, inplace_plugin, &c->inplace) ? SOAP_EOM : SOAP_OK;
}

void ews_body_decoding(ews_client *c, int on, size_t len)
{
	c->inplace.begin = on && c->body ? c->body : NULL;
	c->inplace.end = on && c->body ? c->body + len : NULL;
	if (on)
		c->inplace.written = 0;
}

void ews_body_release(ews_client *c)
{
	if (c->body_cap > KEEP_BYTES)
		ews_body_free(c);
}

void ews_body_free(ews_client *c)
{
	if (c->body)
		munmap(c->body, c->body_cap);
	c->body = NULL;
	c->body_cap = 0;
}
