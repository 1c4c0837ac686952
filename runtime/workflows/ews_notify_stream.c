/* ews_notify_stream.c — the streaming mode of ews_watch (ews/notify.h): a streaming subscription read over
 * GetStreamingEvents as the events arrive, reconciled with the iterator's pull subscription whenever a stream
 * ends, so that a drop loses nothing (the protocol is in ews/notify.h).
 *
 * Reading: ews_stream_open() sends the request and reads the HTTP head; the body's bytes go through an
 * ews_envelope_splitter as they arrive; each complete envelope is decoded by the generated receive half from
 * memory, in a context of its own that is emptied before the next one. Memory: the splitter's buffer (the
 * largest envelope, capped at STREAM_ENVELOPE_MAX), one decoded envelope + two fingerprint rings of
 * FP_RING entries: flat however many events pass.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ews/response.h"
#include "ews_notify_internal.h"
#include "ews_operations.h"
#include "ews_stream.h"
#include "ews_workflow.h"

#if defined(EWS_HAVE_OP_GET_STREAMING_EVENTS) && defined(EWS_HAVE_OP_SUBSCRIBE) && defined(EWS_HAVE_OP_GET_EVENTS)

#define STREAM_ENVELOPE_MAX (4u << 20)  /* one streamed envelope at most (bytes)                             */
#define FP_RING 16384                    /* events remembered per direction between two reconciliations       */
#define READ_BYTES 16384                 /* one read from the connection                                      */

/* A multiset of event fingerprints, bounded: the oldest entry is overwritten when full (then an event may be
 * handed out twice, never lost). 0 marks an empty slot. */
struct fp_ring {
	uint64_t v[FP_RING];
	size_t head;
};

static void ring_add(struct fp_ring *r, uint64_t fp)
{
	r->v[r->head] = fp;
	r->head = (r->head + 1) % FP_RING;
}

/* 1 when fp was there (one occurrence removed). */
static int ring_take(struct fp_ring *r, uint64_t fp)
{
	for (size_t i = 0; i < FP_RING; i++)
		if (r->v[i] == fp) {
			r->v[i] = 0;
			return 1;
		}
	return 0;
}

static void ring_clear(struct fp_ring *r) { memset(r, 0, sizeof *r); }

static void fnv(uint64_t *h, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
		*h = (*h ^ *p) * 1099511628211ULL;
	*h = (*h ^ 0xff) * 1099511628211ULL;   /* a separator: ("ab","c") differs from ("a","bc") */
}

/* What identifies one event in both a GetEvents answer and a stream: kind, object, where, when. */
static uint64_t fingerprint(const ews_event *e)
{
	uint64_t h = 1469598103934665603ULL;
	char k[8];
	snprintf(k, sizeof k, "%d%d", (int)e->kind, e->is_folder);
	fnv(&h, k);
	fnv(&h, e->id);
	fnv(&h, e->old_id);
	fnv(&h, e->parent_folder_id);
	fnv(&h, e->timestamp);
	return h ? h : 1;
}

enum sw_state {
	SW_SUBSCRIBE,   /* make a (new) streaming subscription, then reconcile                                       */
	SW_DRAIN,       /* GetEvents until caught up, skipping what the stream already handed out                   */
	SW_OPEN,        /* open GetStreamingEvents                                                                  */
	SW_STREAM       /* read the stream                                                                          */
};

struct ews_stream_watch {
	ews_client *c;                      /* borrowed */
	struct soap *req_soap;              /* owns the Subscribe request (kept)                                 */
	struct soap *tmp;                   /* owns one GetStreamingEvents / Unsubscribe request (emptied after)  */
	struct soap *dec;                   /* owns the envelope whose events are being handed out                */
	struct ewsmsg__SubscribeType *sreq;
	char *sub_id;                       /* the streaming subscription; NULL: none yet                        */
	int minutes, idle_s;
	long backoff_max_ms;
	int failures;                       /* consecutive failures to subscribe or open: the back-off exponent   */
	struct timespec next_try;           /* no attempt before this (CLOCK_MONOTONIC)                           */
	enum sw_state state;
	ews_stream_conn conn;
	ews_envelope_splitter sp;
	struct __ewsmsg__GetStreamingEventsResponse resp;
	const struct ewstype__NotificationType *notes;   /* this envelope's notifications (in dec) */
	int nnotes, note_i, ev_i;
	int closed;                         /* the stream said ConnectionStatus Closed                           */
	int reconnected;                    /* report on the next event                                          */
	struct fp_ring seen_pull;           /* handed out from GetEvents, not seen on the stream yet              */
	struct fp_ring seen_stream;         /* handed out from the stream, not seen in GetEvents yet              */
	long streams, stream_events;
};

static ews_status nomem(void) { return ews_status_make(EWS_ERR_NOMEM, "out of memory"); }

static long ms_until(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)((t->tv_sec - now.tv_sec) * 1000 + (t->tv_nsec - now.tv_nsec) / 1000000);
}

/* One more failure: the next attempt waits 100 ms, 200 ms, 400 ms ... up to backoff_max_ms. */
static void schedule_retry(struct ews_stream_watch *sw)
{
	long ms = 100;
	for (int i = 1; i < sw->failures && ms < sw->backoff_max_ms; i++)
		ms *= 2;
	if (ms > sw->backoff_max_ms)
		ms = sw->backoff_max_ms;
	sw->failures++;
	clock_gettime(CLOCK_MONOTONIC, &sw->next_try);
	sw->next_try.tv_sec += ms / 1000;
	sw->next_try.tv_nsec += (ms % 1000) * 1000000L;
	if (sw->next_try.tv_nsec >= 1000000000L) {
		sw->next_try.tv_sec++;
		sw->next_try.tv_nsec -= 1000000000L;
	}
}

static void wait_retry(const struct ews_stream_watch *sw)
{
	long ms = ms_until(&sw->next_try);
	if (ms <= 0)
		return;
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static void close_stream(struct ews_stream_watch *sw)
{
	ews_stream_close(&sw->conn);
	ews_envelope_reset(&sw->sp);
	sw->notes = NULL;
	sw->nnotes = sw->note_i = sw->ev_i = 0;
	soap_destroy(sw->dec);
	soap_end(sw->dec);
}

static void unsubscribe(struct ews_stream_watch *sw)
{
#ifdef EWS_HAVE_OP_UNSUBSCRIBE
	struct ewsmsg__UnsubscribeType *req = sw->sub_id ? soap_new_ewsmsg__UnsubscribeType(sw->tmp, -1) : NULL;
	struct __ewsmsg__UnsubscribeResponse resp = { 0 };
	if (req) {
		req->SubscriptionId = sw->sub_id;
		(void)ews_unsubscribe(sw->c, req, &resp);   /* best effort: it expires anyway */
	}
	soap_end(sw->tmp);
#endif
	free(sw->sub_id);
	sw->sub_id = NULL;
}

/* A new streaming subscription (the old one, if any, ended first). */
static ews_status subscribe(struct ews_stream_watch *sw)
{
	struct __ewsmsg__SubscribeResponse resp = { 0 };
	ews_response_message m;
	unsubscribe(sw);
	ews_status st = ews_subscribe(sw->c, sw->sreq, &resp);
	if (!ews_ok(st))
		return st;
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs =
		resp.ewsmsg__SubscribeResponse ? resp.ewsmsg__SubscribeResponse->ResponseMessages : NULL;
	if (!ews_ok(st = ews_wf_message_status(msgs, 0)))
		return st;
	if (ews_response_messages_get(msgs, 0, &m) || !m.message)
		return ews_status_make(EWS_ERR_XML, "Subscribe (streaming): expected one response message");
	const struct ewsmsg__SubscribeResponseMessageType *sm = m.message;
	if (!sm->SubscriptionId || !*sm->SubscriptionId || strlen(sm->SubscriptionId) > 4096)
		return ews_status_make(EWS_ERR_XML, "Subscribe (streaming): no usable SubscriptionId in the answer");
	if (!(sw->sub_id = strdup(sm->SubscriptionId)))
		return nomem();
	return ews_status_ok();
}

static ews_status open_stream(struct ews_stream_watch *sw)
{
	struct ewsmsg__GetStreamingEventsType *req = soap_new_ewsmsg__GetStreamingEventsType(sw->tmp, -1);
	struct ewstype__NonEmptyArrayOfSubscriptionIdsType *ids =
		soap_new_ewstype__NonEmptyArrayOfSubscriptionIdsType(sw->tmp, -1);
	if (!req || !ids)
		return nomem();
	ids->__sizeSubscriptionId = 1;
	ids->SubscriptionId = &sw->sub_id;
	req->SubscriptionIds = ids;
	req->ConnectionTimeout = sw->minutes;
	ews_envelope_reset(&sw->sp);
	sw->closed = 0;
	ews_status st = ews_stream_open(&sw->conn, sw->c, &ews_op_GetStreamingEvents, req, sw->idle_s);
	soap_end(sw->tmp);   /* the request is on the wire */
	if (ews_ok(st))
		sw->streams++;
	return st;
}

/* The next envelope of the stream, decoded into sw->resp (in sw->dec): 1, 0 at the end of the body, -1 and *st
 * on a failure. */
static int read_envelope(struct ews_stream_watch *sw, ews_status *st)
{
	char buf[READ_BYTES], *xml;
	size_t len;
	*st = ews_status_ok();
	for (;;) {
		if (ews_envelope_next(&sw->sp, &xml, &len)) {
			soap_destroy(sw->dec);
			soap_end(sw->dec);
			memset(&sw->resp, 0, sizeof sw->resp);
			sw->dec->is = xml;
			int rc = soap_recv___ewsmsg__GetStreamingEvents(sw->dec, &sw->resp);
			sw->dec->is = NULL;
			if (rc) {
				*st = ews_status_make(rc == SOAP_FAULT ? EWS_ERR_FAULT : EWS_ERR_XML,
						      "GetStreamingEvents: a streamed message does not decode (gSOAP error %d)", rc);
				return -1;
			}
			return 1;
		}
		long n = ews_stream_read(&sw->conn, buf, sizeof buf, st);
		if (n <= 0)
			return (int)n;
		if (!ews_ok(*st = ews_envelope_feed(&sw->sp, buf, (size_t)n)))
			return -1;
	}
}

/* The streamed message's meaning. 0: events or keep-alive (sw->notes set); 1: the subscription is gone (a new
 * one is needed); -1 and *st: another error (the stream is retried after a back-off). */
static int take_message(struct ews_stream_watch *sw, ews_status *st)
{
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs =
		sw->resp.ewsmsg__GetStreamingEventsResponse ? sw->resp.ewsmsg__GetStreamingEventsResponse->ResponseMessages
							    : NULL;
	ews_response_message m;
	sw->notes = NULL;
	sw->nnotes = sw->note_i = sw->ev_i = 0;
	if (ews_response_messages_get(msgs, 0, &m) || !m.message) {
		*st = ews_status_make(EWS_ERR_XML, "GetStreamingEvents: a streamed message without a response message");
		return -1;
	}
	const struct ewsmsg__GetStreamingEventsResponseMessageType *gm = m.message;
	if (gm->ConnectionStatus && *gm->ConnectionStatus == ewstype__ConnectionStatusType__Closed)
		sw->closed = 1;
	*st = ews_wf_message_status(msgs, 0);
	if (!ews_ok(*st)) {
		int ours = 0;
		for (int i = 0; gm->ErrorSubscriptionIds && i < gm->ErrorSubscriptionIds->__sizeSubscriptionId; i++)
			ours |= gm->ErrorSubscriptionIds->SubscriptionId[i] &&
				!strcmp(gm->ErrorSubscriptionIds->SubscriptionId[i], sw->sub_id);
		const char *code = st->response_code;
		if (ours || !strcmp(code, "ErrorSubscriptionNotFound") || !strcmp(code, "ErrorInvalidSubscription") ||
		    !strcmp(code, "ErrorMissedNotificationEvents") || !strcmp(code, "ErrorSubscriptionUnsubscribed") ||
		    !strcmp(code, "ErrorExpiredSubscription"))
			return 1;
		return -1;
	}
	if (gm->Notifications) {
		sw->notes = gm->Notifications->Notification;
		sw->nnotes = gm->Notifications->__sizeNotification > 0 ? gm->Notifications->__sizeNotification : 0;
	}
	return 0;
}

/* The next event of the current envelope that belongs to our subscription: 1 with *out, 0 when none is left. */
static int next_streamed(struct ews_stream_watch *sw, ews_event *out)
{
	while (sw->notes && sw->note_i < sw->nnotes) {
		const struct ewstype__NotificationType *n = &sw->notes[sw->note_i];
		if (!n->SubscriptionId || strcmp(n->SubscriptionId, sw->sub_id) || sw->ev_i >= n->__size_NotificationType ||
		    !n->__union_NotificationType) {
			sw->note_i++;
			sw->ev_i = 0;
			continue;
		}
		memset(out, 0, sizeof *out);
		out->unread_count = -1;
		if (ews_wf_event_from_notification(&n->__union_NotificationType[sw->ev_i++], out))
			return 1;
	}
	return 0;
}

ews_status ews_wf_stream_next(struct ews_stream_watch *sw, ews_watch *w, ews_event *out)
{
	ews_status st;
	/* bounded: each round either hands something out, changes state or consumes a message */
	for (int rounds = 0; rounds < 100000; rounds++) {
		switch (sw->state) {
		case SW_SUBSCRIBE:
			wait_retry(sw);
			if (!ews_ok(st = subscribe(sw))) {
				schedule_retry(sw);
				return st;
			}
			sw->state = SW_DRAIN;
			continue;
		case SW_DRAIN:
			if (!ews_ok(st = ews_wf_watch_pull_next(w, out))) {
				schedule_retry(sw);
				return st;
			}
			if (out->kind == EWS_EVENT_NONE) {
				sw->state = SW_OPEN;
				continue;
			}
			if (ring_take(&sw->seen_stream, fingerprint(out)))
				continue;   /* the stream handed it out already */
			ring_add(&sw->seen_pull, fingerprint(out));
			out->reconnected = sw->reconnected;
			sw->reconnected = 0;
			return ews_status_ok();
		case SW_OPEN:
			wait_retry(sw);
			/* everything the stream handed out has been through GetEvents now (matched, or never coming) */
			ring_clear(&sw->seen_stream);
			if (!ews_ok(st = open_stream(sw))) {
				schedule_retry(sw);
				sw->state = SW_DRAIN;   /* the next call catches up by GetEvents first, then tries again */
				return st;
			}
			sw->state = SW_STREAM;
			continue;
		case SW_STREAM: {
			if (next_streamed(sw, out)) {
				uint64_t fp = fingerprint(out);
				if (ring_take(&sw->seen_pull, fp))
					continue;   /* GetEvents handed it out already (the overlap after a reconnection) */
				ring_add(&sw->seen_stream, fp);
				out->from_stream = 1;
				out->reconnected = sw->reconnected;
				sw->reconnected = 0;
				sw->stream_events++;
				return ews_status_ok();
			}
			int r = read_envelope(sw, &st);
			if (r <= 0) {
				/* the end of the body: after Closed, the stream's normal end; otherwise a drop (or a
				 * timeout, an undecodable message). Either way GetEvents catches up before it reopens. */
				if (r < 0 || !sw->closed)
					sw->reconnected = 1;
				close_stream(sw);
				sw->state = SW_DRAIN;
				continue;
			}
			sw->failures = 0;   /* a message came: the connection works */
			int k = take_message(sw, &st);
			if (k == 1) {
				close_stream(sw);
				sw->reconnected = 1;
				sw->state = SW_SUBSCRIBE;   /* a new subscription first, then GetEvents covers the gap */
				continue;
			}
			if (k < 0) {
				close_stream(sw);
				schedule_retry(sw);
				sw->state = SW_DRAIN;
				return st;
			}
			if (!sw->nnotes) {
				/* a keep-alive (ConnectionStatus OK) or the Closed message: nothing new now */
				memset(out, 0, sizeof *out);
				out->kind = EWS_EVENT_NONE;
				out->unread_count = -1;
				out->from_stream = 1;
				return ews_status_ok();
			}
			continue;
		}
		}
	}
	return ews_status_make(EWS_ERR_RESPONSE, "GetStreamingEvents: no progress after 100000 steps");
}

ews_status ews_wf_stream_new(ews_client *c, ews_watch *w, const ews_watch_options *opt, struct ews_stream_watch **out)
{
	*out = NULL;
	int minutes = opt->connection_timeout_minutes ? opt->connection_timeout_minutes : 30;
	int idle = opt->idle_timeout_s ? opt->idle_timeout_s : 120;
	long backoff = opt->backoff_max_ms ? opt->backoff_max_ms : 30000;
	if (minutes < 1 || minutes > 30)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_watch_new: connection_timeout_minutes %d is not within 1..30",
				       minutes);
	if (idle < 1 || idle > 3600 || backoff < 1 || backoff > 3600000)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_watch_new: idle_timeout_s or backoff_max_ms out of range");
	struct ews_stream_watch *sw = calloc(1, sizeof *sw);
	if (!sw || !(sw->req_soap = ews_wf_soap_new()) || !(sw->dec = ews_wf_soap_new()) || !(sw->tmp = ews_wf_soap_new())) {
		ews_wf_stream_free(sw);
		return nomem();
	}
	sw->c = c;
	sw->minutes = minutes;
	sw->idle_s = idle;
	sw->backoff_max_ms = backoff;
	ews_envelope_init(&sw->sp, STREAM_ENVELOPE_MAX);
	/* the pull request's folders and event types, shared (w owns them and outlives sw) */
	const struct ewstype__PullSubscriptionRequestType *p = ews_wf_watch_request(w);
	struct ewstype__StreamingSubscriptionRequestType *s = soap_new_ewstype__StreamingSubscriptionRequestType(sw->req_soap, -1);
	sw->sreq = s ? soap_new_ewsmsg__SubscribeType(sw->req_soap, -1) : NULL;
	if (!sw->sreq) {
		ews_wf_stream_free(sw);
		return nomem();
	}
	s->FolderIds = p->FolderIds;
	s->EventTypes = p->EventTypes;
	s->SubscribeToAllFolders = p->SubscribeToAllFolders;
	sw->sreq->__union_SubscribeType = SOAP_UNION__ewsmsg__union_SubscribeType_StreamingSubscriptionRequest;
	sw->sreq->union_SubscribeType.StreamingSubscriptionRequest = s;
	/* the streaming subscription now, so that the first GetEvents catch-up covers everything before it */
	ews_status st = subscribe(sw);
	if (!ews_ok(st)) {
		ews_wf_stream_free(sw);
		return st;
	}
	sw->state = SW_DRAIN;
	*out = sw;
	return ews_status_ok();
}

void ews_wf_stream_reset(struct ews_stream_watch *sw)
{
	if (!sw)
		return;
	close_stream(sw);
	ring_clear(&sw->seen_pull);
	ring_clear(&sw->seen_stream);
	sw->failures = 0;
	sw->state = SW_SUBSCRIBE;
}

long ews_wf_stream_count(const struct ews_stream_watch *sw, int which)
{
	return !sw ? 0 : which ? sw->stream_events : sw->streams;
}

void ews_wf_stream_free(struct ews_stream_watch *sw)
{
	if (!sw)
		return;
	if (sw->dec)
		close_stream(sw);
	if (sw->c && sw->tmp)
		unsubscribe(sw);
	ews_envelope_free(&sw->sp);
	ews_wf_soap_free(sw->req_soap);
	ews_wf_soap_free(sw->dec);
	ews_wf_soap_free(sw->tmp);
	free(sw->sub_id);
	free(sw);
}

#else
/* bindings from a schema without streaming notifications */
ews_status ews_wf_stream_new(ews_client *c, ews_watch *w, const ews_watch_options *opt, struct ews_stream_watch **out)
{
	*out = NULL;
	return ews_status_make(EWS_ERR_UNSUPPORTED, "GetStreamingEvents is not an operation of the schema " EWS_SCHEMA_NAME);
}
ews_status ews_wf_stream_next(struct ews_stream_watch *sw, ews_watch *w, ews_event *out)
{
	return ews_status_make(EWS_ERR_UNSUPPORTED, "GetStreamingEvents is not an operation of the schema " EWS_SCHEMA_NAME);
}
void ews_wf_stream_reset(struct ews_stream_watch *sw) { }
long ews_wf_stream_count(const struct ews_stream_watch *sw, int which) { return 0; }
void ews_wf_stream_free(struct ews_stream_watch *sw) { }
#endif
