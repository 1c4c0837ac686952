/* ews_body.c — a response body read whole into memory of its own (ews_internal.h: ews_body_read).
 *
 * gSOAP's soap_http_get_body collects a compressed or chunked body (the normal case: Exchange and ewsd answer
 * gzip) in blocks of 256 bytes, one allocation each, and joins them into one copy at the end: for that moment the
 * body is in memory twice (an ExportItems batch of 500 KiB: 1.1 MB of a client's peak). Here the body goes into
 * one mapping of anonymous memory that grows by mremap (pages moved, nothing copied). The reading itself is
 * gSOAP's: soap_recv delivers the de-chunked, inflated bytes and ends at the body's end (Content-Length, the
 * last chunk, or the connection's close) exactly as for soap_http_get_body, whose choices this mirrors.
 *
 * While a response is decoded from the body, base64 values are decoded into it in place (ews/call.h:
 * ews_inplace, registered here as a plugin of the client's context), so the body must live exactly as long as
 * the decoded response, wherever that goes: it is linked into the context's cleanup list (soap_link), which
 * soap_destroy empties (ews_client_release) and soap_delegate_deletion hands on with the rest of the response
 * (ews_wf_keep_response: a pager's page, a sync batch, an export batch fetched ahead). A context that receives
 * a response that way must therefore be ended with soap_destroy before soap_end (ews_wf_soap_end).
 *
 * A gzip body is inflated here too, whole (ews_body_inflate, with libdeflate), when libews is built with it:
 * gSOAP is then not told of the encoding (ews_transport.c's header hook) and delivers the compressed bytes.
 *
 * The fast reader (ews_reader.c) takes the memory of the structs it fills the same way (ews_body_scratch): it
 * lives as long as the response, moves with it, and is kept for the next response when freed.
 *
 * A freed body's mapping is kept for the next body (a few, SPARE_TOTAL_BYTES in all): a fresh mapping's
 * pages are faulted in one by one as they are first written, and on a virtual machine a page fault is dear (an
 * ExportItems loop, 500 KiB batches: ~75 faults a batch, and more than half of the client's CPU went to them:
 * 0.62 -> 0.25 s for 20 000 items once the mappings were kept). A kept
 * mapping is never handed out while a response still uses it: it is kept only once its body is freed. */
#define _GNU_SOURCE /* mremap */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <stdsoap2.h>

/* libdeflate inflates a whole gzip body 3-4x faster than zlib's stream gSOAP feeds 64 KiB at a time (an ExportItems
 * batch: a third of the client's CPU was zlib's); built with it when its header is there (Debian's libdeflate-dev,
 * which the Makefile installs when it can), else gSOAP inflates as before. */
#if defined(__has_include) && !defined(EWS_NO_LIBDEFLATE)
#if __has_include(<libdeflate.h>)
#include <libdeflate.h>
#define INFLATE_WHOLE 1
#endif
#endif
#ifndef INFLATE_WHOLE
#define INFLATE_WHOLE 0
#endif

#include "ews_internal.h"

#define FIRST_BYTES ((size_t)64 * 1024)
#define BODY_TYPE (-1000)   /* the cleanup entry's type: no generated type has a negative one */
#define SCRATCH_TYPE (-1001) /* the fast reader's scratch (ews_body_scratch) */

static atomic_long live;    /* bodies (and reader scratch) mapped and not yet unmapped (ews_body_live: tests
                             * check none is lost) */

/* A body's mapping, as its cleanup entry holds it (the entry's own size field is an int). */
struct mapping {
	void *p;
	size_t cap;
};

/* Freed mappings kept for the next bodies (see the top), shared by every client of the process: at most SPARES
 * of them and SPARE_TOTAL_BYTES in all (what a process keeps resident for this after its calls: two clients'
 * ExportItems batches of 50, a compressed and an inflated body each, take ~1.3 MiB; a page of 1000 items, its
 * body and the reader's scratch chunks of 256 KiB, 512 KiB and 1 MiB, ~2 MiB in four mappings; a 35 MB
 * attachment's mapping goes back to the kernel). */
#define SPARES 8
#define SPARE_TOTAL_BYTES ((size_t)6 * 1024 * 1024)
static struct mapping spare[SPARES];
static size_t spare_bytes;
/* The bytes of the mappings responses hold now, and the most they held at once. Kept mappings never make the
 * process hold more than that most (in use + kept <= in_use_peak): what a program needs at its busiest moment is
 * kept for the next one, and no more. Without the bound, responses of different sizes that are never alive
 * together (ews-backup: a SyncFolderItems answer, then ExportItems batches) each left their own mappings
 * resident, ~0.5 MiB beyond what any one moment needed. */
static size_t in_use_bytes, in_use_peak;
static pthread_mutex_t spare_lock = PTHREAD_MUTEX_INITIALIZER;

/* bytes more held by responses (a mapping taken, made or grown); under spare_lock */
static void in_use_add(size_t bytes)
{
	in_use_bytes += bytes;
	if (in_use_bytes > in_use_peak)
		in_use_peak = in_use_bytes;
}

/* A kept mapping for a body that needs `need` bytes: the smallest that holds them, else the largest (grown by
 * the caller); {NULL, 0} when none is kept. */
static struct mapping take_spare(size_t need)
{
	struct mapping m = { NULL, 0 };
	int best = -1;
	pthread_mutex_lock(&spare_lock);
	for (int i = 0; i < SPARES; i++) {
		if (!spare[i].p)
			continue;
		if (best < 0 ||
		    (spare[i].cap >= need ? spare[best].cap < need || spare[i].cap < spare[best].cap
		                          : spare[best].cap < need && spare[i].cap > spare[best].cap))
			best = i;
	}
	if (best >= 0) {
		m = spare[best];
		spare_bytes -= m.cap;
		in_use_add(m.cap);
		spare[best].p = NULL;
		spare[best].cap = 0;
	}
	pthread_mutex_unlock(&spare_lock);
	return m;
}

/* m no longer held by a response: kept for a later body when there is a place and room within the total, and in
 * use + kept stays within the most ever in use (see in_use_peak); smaller kept mappings are let go to make that
 * room (a larger one serves their sizes too). 0 when kept. */
static int keep_spare(struct mapping *m)
{
	struct mapping gone[SPARES];
	int kept = 0, ngone = 0;
	pthread_mutex_lock(&spare_lock);
	in_use_bytes -= m->cap;
	size_t room = in_use_peak - in_use_bytes, larger = 0;
	int nlarger = 0;
	if (room > SPARE_TOTAL_BYTES)
		room = SPARE_TOTAL_BYTES;
	for (int i = 0; i < SPARES; i++)
		if (spare[i].p && spare[i].cap >= m->cap) {
			larger += spare[i].cap;
			nlarger++;
		}
	/* kept only if it fits beside the kept mappings that are not smaller (so no smaller one goes for nothing) */
	int fits = nlarger < SPARES && larger + m->cap <= room;
	while (fits && !kept) {
		int freeslot = -1, smallest = -1;
		for (int i = 0; i < SPARES; i++) {
			if (!spare[i].p)
				freeslot = freeslot < 0 ? i : freeslot;
			else if (spare[i].cap < m->cap && (smallest < 0 || spare[i].cap < spare[smallest].cap))
				smallest = i;
		}
		if (freeslot >= 0 && spare_bytes + m->cap <= room) {
			spare[freeslot] = *m;
			spare_bytes += m->cap;
			kept = 1;
		} else { /* a smaller one lets go (one is there: see fits) */
			gone[ngone++] = spare[smallest];
			spare_bytes -= spare[smallest].cap;
			spare[smallest].p = NULL;
			spare[smallest].cap = 0;
		}
	}
	pthread_mutex_unlock(&spare_lock);
	for (int i = 0; i < ngone; i++)
		munmap(gone[i].p, gone[i].cap);
	return kept ? 0 : -1;
}

/* Room for `need` bytes in *m; 0, or -1 when the memory is not there (or need is absurd). */
static int reserve(struct mapping *m, size_t need)
{
	size_t cap;
	void *p;
	if (need <= m->cap)
		return 0;
	if (!m->p) {
		*m = take_spare(need);
		if (m->p)
			atomic_fetch_add(&live, 1);
		if (need <= m->cap)
			return 0;
	}
	cap = m->cap ? m->cap : FIRST_BYTES;
	while (cap < need) {
		if (cap > ((size_t)-1) / 4)
			return -1;
		cap *= 2;
	}
	p = m->p ? mremap(m->p, m->cap, cap, MREMAP_MAYMOVE)
	         : mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	if (!m->p)
		atomic_fetch_add(&live, 1);
	pthread_mutex_lock(&spare_lock);
	in_use_add(cap - m->cap);
	pthread_mutex_unlock(&spare_lock);
	m->p = p;
	m->cap = cap;
	return 0;
}

static void unmap(struct mapping *m)
{
	if (m->p) {
		if (keep_spare(m))
			munmap(m->p, m->cap);
		atomic_fetch_sub(&live, 1);
	}
	m->p = NULL;
	m->cap = 0;
}

/* soap_destroy of whichever context holds the response now */
static int body_delete(struct soap *soap, struct soap_clist *cp)
{
	(void)soap;
	unmap(cp->ptr);
	free(cp->ptr);
	return SOAP_OK;
}

/* The body's mapping (or scratch: type) into soap's cleanup list; 0, or -1 (then it is unmapped here). */
static int link_body(struct soap *soap, struct mapping *m, int type)
{
	struct mapping *keep = malloc(sizeof *keep);
	struct soap_clist *cp = keep ? soap_link(soap, type, 1, body_delete) : NULL;
	if (!cp) {
		free(keep);
		unmap(m);
		return -1;
	}
	*keep = *m;
	cp->ptr = keep;
	return 0;
}

void *ews_body_scratch(struct soap *soap, size_t need, size_t *got)
{
	struct mapping m = { NULL, 0 };

	if (reserve(&m, need) || link_body(soap, &m, SCRATCH_TYPE))
		return NULL;
	*got = m.cap;
	return m.p;
}

void ews_body_scratch_drop(struct soap *soap)
{
	struct soap_clist **pp = &soap->clist;

	while (*pp) {
		struct soap_clist *cp = *pp;
		if (cp->type == SCRATCH_TYPE) {
			*pp = cp->next;
			body_delete(soap, cp);
			SOAP_FREE(soap, cp);   /* as soap_destroy frees an entry soap_link made */
		} else {
			pp = &cp->next;
		}
	}
}

long ews_body_live(void)
{
	return atomic_load(&live);
}

/* ews/client.h; the most held at once starts again from what is held now. */
void ews_release_cached_memory(void)
{
	struct mapping gone[SPARES];
	int n = 0;
	pthread_mutex_lock(&spare_lock);
	for (int i = 0; i < SPARES; i++)
		if (spare[i].p) {
			gone[n++] = spare[i];
			spare[i].p = NULL;
			spare[i].cap = 0;
		}
	spare_bytes = 0;
	in_use_peak = in_use_bytes;
	pthread_mutex_unlock(&spare_lock);
	for (int i = 0; i < n; i++)
		munmap(gone[i].p, gone[i].cap);
}

size_t ews_body_kept_bytes(void)
{
	pthread_mutex_lock(&spare_lock);
	size_t n = spare_bytes;
	pthread_mutex_unlock(&spare_lock);
	return n;
}

size_t ews_body_peak_bytes(void)
{
	pthread_mutex_lock(&spare_lock);
	size_t n = in_use_peak;
	pthread_mutex_unlock(&spare_lock);
	return n;
}

int ews_body_kept(void)
{
	int n = 0;
	pthread_mutex_lock(&spare_lock);
	for (int i = 0; i < SPARES; i++)
		n += spare[i].p != NULL;
	pthread_mutex_unlock(&spare_lock);
	return n;
}

char *ews_body_read(ews_client *c, size_t *len)
{
	struct soap *soap = c->soap;
	struct mapping m = { NULL, 0 };
	ULONG64 k = soap->length;
	size_t n = 0;
	/* stop reading a little past the cap: the caller refuses a body longer than it */
	size_t limit = c->max_response_bytes < ((size_t)-1) / 2 ? c->max_response_bytes + 1 : (size_t)-1 / 2;
	char *b;

	*len = 0;
	if (reserve(&m, 1)) {
		soap->error = SOAP_EOM;
		return NULL;
	}
	b = m.p;
	/* no body (no Content-Length, not chunked, not compressed), or attachments soap_end_recv reads: empty, as
	 * soap_http_get_body answers */
	if ((!k && !(soap->mode & SOAP_ENC_PLAIN) && !(soap->mode & SOAP_ENC_ZLIB) &&
	     (soap->mode & SOAP_IO) != SOAP_IO_CHUNK) ||
	    (soap->mode & SOAP_ENC_DIME) || (soap->mode & SOAP_ENC_MIME)) {
		limit = 0;
	} else if (k && !(soap->mode & SOAP_ENC_ZLIB)) {
		soap->length = 0; /* read here to its end, as soap_http_get_body does */
		if (k < limit)
			limit = (size_t)k;
	}
	if (soap->ahead && limit) { /* a character gSOAP read ahead while parsing the head */
		b[n++] = (char)soap->ahead;
		soap->ahead = 0;
	}
	while (n < limit) {
		size_t got;
		if (soap->bufidx >= soap->buflen && soap_recv(soap))
			break; /* the end (or what cut it: soap->error, which soap_end_recv reports) */
		got = soap->buflen - soap->bufidx;
		if (got > limit - n)
			got = limit - n;
		if (reserve(&m, n + got + 1)) {
			unmap(&m);
			soap->error = SOAP_EOM;
			return NULL;
		}
		b = m.p;
		memcpy(b + n, soap->buf + soap->bufidx, got);
		soap->bufidx += got;
		n += got;
	}
	b[n] = '\0';
	if (link_body(soap, &m, BODY_TYPE)) {
		soap->error = SOAP_EOM;
		return NULL;
	}
	*len = n;
	return b;
}

int ews_body_inflates_gzip(void)
{
	return INFLATE_WHOLE;
}

char *ews_body_inflate(ews_client *c, char *raw, size_t n, size_t *len, ews_body_failure *why)
{
	*len = 0;
	*why = EWS_BODY_CORRUPT;
#if INFLATE_WHOLE
	struct soap *soap = c->soap;
	struct soap_clist *cp = soap->clist; /* the body's entry (ews_body_read linked it last: first in the list) */
	while (cp && !(cp->type == BODY_TYPE && ((struct mapping *)cp->ptr)->p == raw))
		cp = cp->next;
	struct mapping *keep = cp ? cp->ptr : NULL, out = { NULL, 0 };
	const unsigned char *p = (const unsigned char *)raw;
	struct libdeflate_decompressor *d;
	size_t isize, used_in = 0, used_out = 0;
	enum libdeflate_result r;

	if (!keep || n < 18) /* (18: a gzip header and trailer around nothing) */
		return NULL;
	/* the trailer's size (mod 2^32) sizes the output; a trailer over the cap (a bomb, or bytes of a cut stream)
	 * gets room for the cap and one byte more, touched only as far as it inflates: past the cap it is too large,
	 * else corrupt. libdeflate checks the trailer's size and CRC against what it inflated. */
	isize = (size_t)p[n - 4] | (size_t)p[n - 3] << 8 | (size_t)p[n - 2] << 16 | (size_t)p[n - 1] << 24;
	size_t room = isize <= c->max_response_bytes ? isize : c->max_response_bytes + 1;
	if (reserve(&out, room + 1) || !(d = libdeflate_alloc_decompressor())) {
		unmap(&out);
		*why = EWS_BODY_NOMEM;
		return NULL;
	}
	r = libdeflate_gzip_decompress_ex(d, p, n, out.p, room, &used_in, &used_out);
	libdeflate_free_decompressor(d);
	if (r != LIBDEFLATE_SUCCESS || used_in != n || used_out != isize) {
		unmap(&out);
		if (r == LIBDEFLATE_INSUFFICIENT_SPACE && room > c->max_response_bytes)
			*why = EWS_BODY_TOO_LARGE;
		return NULL; /* corrupt, cut, or more than one member (no HTTP server sends that) */
	}
	((char *)out.p)[isize] = '\0';
	unmap(keep);          /* the compressed bytes go, the entry holds the inflated ones */
	*keep = out;
	*len = isize;
	return out.p;
#else
	(void)c, (void)raw, (void)n;
	return NULL;
#endif
}

/* gSOAP plugin callbacks: the data is the owner's ews_inplace (nothing to free, not copied). */
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

int ews_inplace_attach(struct soap *soap, ews_inplace *ip)
{
	return soap_register_plugin_arg(soap, inplace_plugin, ip) ? SOAP_EOM : SOAP_OK;
}

int ews_body_attach(ews_client *c)
{
	return ews_inplace_attach(c->soap, &c->inplace);
}

void ews_body_decoding(ews_client *c, char *body, size_t len)
{
	c->inplace.begin = body;
	c->inplace.end = body ? body + len : NULL;
	if (body)
		c->inplace.written = 0;
}
