/* op_stream.c — GetStreamingEvents (MS-OXWSNTIF 3.1.4.2): the streaming subscriptions named by the request are
 * served over one long-lived HTTP response (Transfer-Encoding: chunked) whose every chunk is a complete SOAP
 * envelope holding one GetStreamingEventsResponse, as Exchange sends them:
 *
 *   - events: ResponseCode NoError and Notifications, one Notification per subscription with new events (no
 *     Watermark: Exchange sends none on a stream);
 *   - keep-alive: NoError with ConnectionStatus OK, after EWSD_STREAM_KEEPALIVE_MS without a chunk;
 *   - end: NoError with ConnectionStatus Closed once ConnectionTimeout minutes have passed (or the server stops,
 *     or no subscription is left), then the terminating zero-size chunk; the connection stays usable.
 *
 * Errors. Every id unknown, expired, another user's (ErrorSubscriptionNotFound / ErrorSubscriptionAccessDenied)
 * or a pull subscription's (ErrorInvalidSubscription): one ordinary response, ResponseClass Error, the ids in
 * ErrorSubscriptionIds, ConnectionStatus Closed. Only some of them: the stream opens with such an error chunk
 * (ConnectionStatus OK) and serves the rest. A subscription removed while streamed (Unsubscribe elsewhere, expiry)
 * gets an error chunk ErrorSubscriptionNotFound; one whose next events were dropped from the log (older than the
 * events kept) ErrorMissedNotificationEvents, and it is removed (the client subscribes again and resynchronises).
 * More concurrent streams than stream.h allows: ErrorExceededConnectionCount, not streamed.
 *
 * Resources. A stream holds its connection's thread and store connection for at most ConnectionTimeout (1..30
 * minutes), counts against --max-connections like any connection, and streams are limited to half of them
 * (stream.h). The store is read in short transactions every EWSD_STREAM_POLL_MS; each chunk is built in a
 * context of its own that is emptied after sending, so memory stays flat however long the stream and however many
 * events pass. A peer that closes is noticed at the next poll (or failed write).
 *
 * Test knobs (environment): EWSD_STREAM_MINUTE_MS (length of a ConnectionTimeout minute, default 60000),
 * EWSD_STREAM_KEEPALIVE_MS (default 30000), EWSD_STREAM_POLL_MS (default 200).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "ewsd.h"
#include "ews_wire.h"
#include "notify.h"
#include "stream.h"

/* GetStreamingEvents came with Exchange 2010 SP1: older sets have no such operation to serve */
#ifdef SOAP_TYPE_ewsmsg__GetStreamingEventsType

#define STREAM_MAX_IDS 200          /* subscriptions one request may name (ErrorInvalidRequest beyond)          */
#define STREAM_ROWS 100             /* event rows read per round: a chunk holds at most this many events        */
#define STREAM_REFRESH_MS 10000     /* how often (at most) the subscriptions' existence and expiry are checked  */

static long env_ms(const char *name, long dflt, long min, long max)
{
	const char *v = getenv(name);
	char *end;
	long n = v ? strtol(v, &end, 10) : dflt;
	if (!v || *end || n < min || n > max)
		return dflt;
	return n;
}

static double mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

struct stream_sub {
	const char *id;             /* the request's string */
	struct ewsd_sub s;
	int gone;                   /* refused or removed: not streamed */
	const char *err;            /* refused at the start: the ResponseCode (reported in the first chunk) */
	struct __ewstype__union_NotificationType *ev;   /* this round's events (chunk context) */
	int nev;
};

struct stream {
	struct soap *srv;           /* the connection's context (owns the request) */
	struct soap *w;             /* one chunk's context: emptied after every chunk */
	struct stream_sub *subs;
	int nsubs, live;
	int peer_gone;
};

/* ---- one chunk ---- */

static struct ewsmsg__GetStreamingEventsResponseMessageType *new_message(struct soap *w, const char *code)
{
	struct ewsmsg__GetStreamingEventsResponseMessageType *m =
		EWSD_NEW(w, struct ewsmsg__GetStreamingEventsResponseMessageType);
	EWSD_SET_RESULT(w, m, GetStreamingEventsResponseMessageType, code);
	return m;
}

static void set_status(struct soap *w, struct ewsmsg__GetStreamingEventsResponseMessageType *m,
		       enum ewstype__ConnectionStatusType cs)
{
	m->ConnectionStatus = soap_malloc(w, sizeof *m->ConnectionStatus);
	*m->ConnectionStatus = cs;
}

static void set_error_ids(struct soap *w, struct ewsmsg__GetStreamingEventsResponseMessageType *m, const char **ids,
			  int n)
{
	m->ErrorSubscriptionIds = EWSD_NEW(w, struct ewstype__NonEmptyArrayOfSubscriptionIdsType);
	m->ErrorSubscriptionIds->__sizeSubscriptionId = n;
	m->ErrorSubscriptionIds->SubscriptionId = soap_malloc(w, sizeof(char *) * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++)
		m->ErrorSubscriptionIds->SubscriptionId[i] = soap_strdup(w, ids[i]);
}

static struct ewsmsg__GetStreamingEventsResponseType *wrap(struct soap *soap,
							   struct ewsmsg__GetStreamingEventsResponseMessageType *m)
{
	struct ewsmsg__GetStreamingEventsResponseType *r = EWSD_NEW(soap, struct ewsmsg__GetStreamingEventsResponseType);
	r->ResponseMessages = ewsd_messages(soap, 1);
	r->ResponseMessages->__union_ArrayOfResponseMessagesType[0].__union_ArrayOfResponseMessagesType =
		SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_GetStreamingEventsResponseMessage;
	r->ResponseMessages->__union_ArrayOfResponseMessagesType[0].union_ArrayOfResponseMessagesType
		.GetStreamingEventsResponseMessage = m;
	return r;
}

/* Serializes m as one envelope and sends it as one HTTP chunk; empties the chunk context. 0, or -1 when the
 * peer is gone or the envelope could not be written. */
static int send_chunk(struct stream *st, struct ewsmsg__GetStreamingEventsResponseMessageType *m)
{
	struct soap *w = st->w;
	struct __ewsmsg__GetStreamingEventsResponse r = { wrap(w, m) };
	const char *xml = NULL;
	int rc = -1;
	w->header = st->srv->header;            /* ServerVersionInfo, as on every answer */
	w->encodingStyle = NULL;
	ews_wire_forget_attributes(w);
	soap_serializeheader(w);
	soap_serialize___ewsmsg__GetStreamingEventsResponse(w, &r);
	w->os = &xml;
	if (!soap_begin_send(w) && !soap_envelope_begin_out(w) && !soap_putheader(w) && !soap_body_begin_out(w) &&
	    !soap_put___ewsmsg__GetStreamingEventsResponse(w, &r, "-ewsmsg:GetStreamingEventsResponse", "") &&
	    !soap_body_end_out(w) && !soap_envelope_end_out(w) && !soap_end_send(w) && xml) {
		char head[24];
		size_t n = strlen(xml);
		int k = snprintf(head, sizeof head, "%zx\r\n", n);
		rc = ewsd_stream_send(st->srv, head, (size_t)k) || ewsd_stream_send(st->srv, xml, n) ||
		     ewsd_stream_send(st->srv, "\r\n", 2) ? -1 : 0;
		if (rc)
			st->peer_gone = 1;
	}
	w->os = NULL;
	w->header = NULL;
	soap_destroy(w);
	soap_end(w);
	return rc;
}

/* ---- the store ---- */

static void save_cursor(sqlite3 *db, const char *id, int64_t cursor)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, "UPDATE streaming_subscriptions SET cursor=? WHERE id=?", -1, &q, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(q, 1, cursor);
	sqlite3_bind_text(q, 2, id, -1, SQLITE_TRANSIENT);
	sqlite3_step(q);
	sqlite3_finalize(q);
}

/* 1 while the subscription row exists; its expiry clock restarts (a connected stream keeps it alive). */
static int touch(sqlite3 *db, const char *id)
{
	sqlite3_stmt *q;
	int n = 0;
	if (sqlite3_prepare_v2(db, "UPDATE subscriptions SET last_poll=((julianday('now')-2440587.5)*86400.0) WHERE id=?",
			       -1, &q, NULL) != SQLITE_OK)
		return 1;   /* a busy store is no reason to drop a subscription */
	sqlite3_bind_text(q, 1, id, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(q) == SQLITE_DONE)
		n = sqlite3_changes(db);
	else
		n = 1;
	sqlite3_finalize(q);
	return n > 0;
}

/* Subscriptions removed or behind the events kept get their error chunk; 0, or -1 when the peer is gone. */
static int refresh(struct stream *st)
{
	sqlite3 *db = ewsd_req(st->srv)->db;
	int64_t dropped = ewsd_notify_dropped(db);
	for (int i = 0; i < st->nsubs; i++) {
		struct stream_sub *x = &st->subs[i];
		const char *code = NULL;
		if (x->gone)
			continue;
		if (!touch(db, x->id))
			code = "ErrorSubscriptionNotFound";
		else if (x->s.cursor < dropped) {
			code = "ErrorMissedNotificationEvents";
			ewsd_notify_remove(db, x->id);
		}
		if (!code)
			continue;
		x->gone = 1;
		st->live--;
		struct ewsmsg__GetStreamingEventsResponseMessageType *m = new_message(st->w, code);
		set_error_ids(st->w, m, &x->id, 1);
		set_status(st->w, m, ewstype__ConnectionStatusType__OK);
		if (send_chunk(st, m))
			return -1;
	}
	return 0;
}

/* One round: the events after the lowest cursor, each to the subscriptions that select it, in one chunk.
 * Returns the number of event rows read (STREAM_ROWS: more may wait), or -1 when the peer is gone. */
static int deliver(struct stream *st)
{
	struct ewsd_request *rq = ewsd_req(st->srv);
	struct soap *w = st->w;
	int64_t from = -1, last = -1;
	int rows = 0, any = 0;
	sqlite3_stmt *q;
	for (int i = 0; i < st->nsubs; i++)
		if (!st->subs[i].gone && (from < 0 || st->subs[i].s.cursor < from))
			from = st->subs[i].s.cursor;
	if (from < 0)
		return 0;
	for (int i = 0; i < st->nsubs; i++) {
		st->subs[i].nev = 0;
		st->subs[i].ev = NULL;
	}
	w->user = st->srv->user;    /* ewsd_req() in the event builders */
	sqlite3_exec(rq->db, "BEGIN", NULL, NULL, NULL);   /* the events and the rows they name, from one snapshot */
	if (sqlite3_prepare_v2(rq->db, "SELECT seq,type,is_folder,obj_id,parent_id,old_obj_id,old_parent_id,ts FROM "
				       "events WHERE mailbox_id=? AND seq>? ORDER BY seq LIMIT ?", -1, &q, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(q, 1, rq->mailbox_id);
		sqlite3_bind_int64(q, 2, from);
		sqlite3_bind_int(q, 3, STREAM_ROWS);
		while (sqlite3_step(q) == SQLITE_ROW) {
			struct ewsd_ev e = { sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 3), sqlite3_column_int64(q, 4),
					     sqlite3_column_int64(q, 5), sqlite3_column_int64(q, 6), sqlite3_column_int(q, 1),
					     sqlite3_column_int(q, 2), (const char *)sqlite3_column_text(q, 7) };
			rows++;
			last = e.seq;
			for (int i = 0; i < st->nsubs; i++) {
				struct stream_sub *x = &st->subs[i];
				if (x->gone || e.seq <= x->s.cursor || !ewsd_notify_selects(&x->s, &e))
					continue;
				if (!x->ev)
					x->ev = ewsd_zalloc(w, sizeof *x->ev * STREAM_ROWS);
				ewsd_notify_put_event(w, rq->mailbox_id, &e, 0, &x->ev[x->nev++]);
				any = 1;
			}
		}
		sqlite3_finalize(q);
	}
	sqlite3_exec(rq->db, "COMMIT", NULL, NULL, NULL);
	/* every live subscription is past the rows read, stored before the chunk goes out: a crash or a write
	 * that fails after this loses those events from the stream (the client's GetEvents reconciliation brings
	 * them back: a stream has no replay, as Exchange's), but never sends them twice */
	for (int i = 0; rows && i < st->nsubs; i++) {
		struct stream_sub *x = &st->subs[i];
		if (!x->gone && x->s.cursor < last) {
			x->s.cursor = last;
			save_cursor(rq->db, x->id, last);
		}
	}
	if (any) {
		struct ewsmsg__GetStreamingEventsResponseMessageType *m = new_message(w, "NoError");
		int k = 0;
		m->Notifications = EWSD_NEW(w, struct ewstype__NonEmptyArrayOfNotificationsType);
		m->Notifications->Notification = ewsd_zalloc(w, sizeof *m->Notifications->Notification * (size_t)st->nsubs);
		for (int i = 0; i < st->nsubs; i++) {
			struct stream_sub *x = &st->subs[i];
			if (!x->nev)
				continue;
			struct ewstype__NotificationType *n = &m->Notifications->Notification[k++];
			n->SubscriptionId = soap_strdup(w, x->id);
			n->__size_NotificationType = x->nev;
			n->__union_NotificationType = x->ev;
		}
		m->Notifications->__sizeNotification = k;
		if (send_chunk(st, m))
			return -1;
	} else {
		soap_destroy(w);
		soap_end(w);
	}
	return rows;
}

/* 1 when the peer closed its end (or the socket failed); waits up to ms for it. */
static int peer_closed(struct soap *soap, int ms)
{
	struct pollfd p = { .fd = soap->socket, .events = POLLIN };
	char b;
	if (soap->socket < 0)
		return 1;
	int n = poll(&p, 1, ms);
	if (n <= 0)
		return 0;
	if (p.revents & (POLLERR | POLLNVAL))
		return 1;
	ssize_t r = recv(soap->socket, &b, 1, MSG_PEEK | MSG_DONTWAIT);
	if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
		return 1;
	if (r > 0) {    /* the client sent something while the stream is open: not ours to read; just wait */
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
		nanosleep(&ts, NULL);
	}
	return 0;
}

static void stream_run(struct stream *st, int minutes)
{
	long minute_ms = env_ms("EWSD_STREAM_MINUTE_MS", 60000, 1, 3600000);
	long keep_ms = env_ms("EWSD_STREAM_KEEPALIVE_MS", 30000, 1, 3600000);
	long poll_ms = env_ms("EWSD_STREAM_POLL_MS", 200, 1, 60000);
	double start = mono_ms(), deadline = start + (double)minutes * (double)minute_ms;
	double last_chunk = start, last_refresh = start;
	static const char head[] = "HTTP/1.1 200 OK\r\nServer: ewsd\r\nCache-Control: private\r\n"
				   "Content-Type: text/xml; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n";
	if (ewsd_stream_send(st->srv, head, sizeof head - 1)) {
		st->peer_gone = 1;
		return;
	}
	/* ids refused at the start: reported first, the stream goes on with the rest */
	const char **bad = soap_malloc(st->srv, sizeof(char *) * (size_t)st->nsubs);
	const char *bad_code = NULL;
	int nbad = 0;
	for (int i = 0; i < st->nsubs; i++)
		if (st->subs[i].err) {
			bad[nbad++] = st->subs[i].id;
			if (!bad_code)
				bad_code = st->subs[i].err;
		}
	if (nbad) {
		struct ewsmsg__GetStreamingEventsResponseMessageType *m = new_message(st->w, bad_code);
		set_error_ids(st->w, m, bad, nbad);
		set_status(st->w, m, ewstype__ConnectionStatusType__OK);
		if (send_chunk(st, m))
			return;
	}
	if (refresh(st))
		return;
	while (st->live > 0 && !ewsd_stream_stopping() && mono_ms() < deadline) {
		int rows = deliver(st);
		if (rows < 0)
			return;
		double now = mono_ms();
		if (rows > 0) {
			last_chunk = now;   /* events sent, or all filtered out: either way the stream is alive */
			if (rows == STREAM_ROWS)
				continue;   /* more wait: no pause */
		}
		if (now - last_refresh >= (keep_ms < STREAM_REFRESH_MS ? keep_ms : STREAM_REFRESH_MS)) {
			last_refresh = now;
			if (refresh(st))
				return;
		}
		if (now - last_chunk >= keep_ms) {
			struct ewsmsg__GetStreamingEventsResponseMessageType *m = new_message(st->w, "NoError");
			set_status(st->w, m, ewstype__ConnectionStatusType__OK);
			if (send_chunk(st, m))
				return;
			last_chunk = now;
		}
		double left = deadline - now;
		int wait = (int)(left < poll_ms ? (left > 0 ? left : 0) : poll_ms);
		if (peer_closed(st->srv, wait)) {
			st->peer_gone = 1;
			return;
		}
	}
	/* ConnectionTimeout reached (or server stopping, or nothing left to stream): Closed, then the last chunk */
	for (int i = 0; i < st->nsubs; i++)
		if (!st->subs[i].gone)
			touch(ewsd_req(st->srv)->db, st->subs[i].id);
	struct ewsmsg__GetStreamingEventsResponseMessageType *m = new_message(st->w, "NoError");
	set_status(st->w, m, ewstype__ConnectionStatusType__Closed);
	if (send_chunk(st, m) == 0 && ewsd_stream_send(st->srv, "0\r\n\r\n", 5))
		st->peer_gone = 1;
}

/* An ordinary (not streamed) answer: one message with code, the ids concerned, ConnectionStatus Closed. */
static int answer_error(struct soap *soap, struct __ewsmsg__GetStreamingEventsResponse *resp, const char *code,
			const char **ids, int n)
{
	struct ewsmsg__GetStreamingEventsResponseMessageType *m = new_message(soap, code);
	if (n)
		set_error_ids(soap, m, ids, n);
	set_status(soap, m, ewstype__ConnectionStatusType__Closed);
	resp->ewsmsg__GetStreamingEventsResponse = wrap(soap, m);
	return SOAP_OK;
}

int __ewsmsg__GetStreamingEvents(struct soap *soap, struct ewsmsg__GetStreamingEventsType *req,
				 struct __ewsmsg__GetStreamingEventsResponse *resp)
{
	int rc = ewsd_begin_op(soap, "GetStreamingEvents", req);
	if (rc)
		return rc;
	int n = req->SubscriptionIds ? req->SubscriptionIds->__sizeSubscriptionId : 0;
	if (n < 1)
		return ewsd_schema_fault(soap, "The element 'SubscriptionIds' has incomplete content. List of possible "
					       "elements expected: 'SubscriptionId'.");
	if (req->ConnectionTimeout < 1 || req->ConnectionTimeout > 30)
		return ewsd_schema_fault(soap, "The 'ConnectionTimeout' element is invalid - the value must be between 1 "
					       "and 30.");
	if (n > STREAM_MAX_IDS)
		return answer_error(soap, resp, "ErrorInvalidRequest", NULL, 0);

	struct stream st = { .srv = soap, .nsubs = n };
	st.subs = ewsd_zalloc(soap, sizeof *st.subs * (size_t)n);
	const char **bad = soap_malloc(soap, sizeof(char *) * (size_t)n);
	const char *bad_code = NULL;
	int nbad = 0;
	for (int i = 0; i < n; i++) {
		struct stream_sub *x = &st.subs[i];
		x->id = req->SubscriptionIds->SubscriptionId[i] ? req->SubscriptionIds->SubscriptionId[i] : "";
		const char *err = ewsd_notify_find(soap, x->id, &x->s);
		if (!err && !x->s.streaming)
			err = "ErrorInvalidSubscription";   /* a pull subscription's events come by GetEvents */
		for (int j = 0; !err && j < i; j++)
			if (!st.subs[j].gone && !strcmp(st.subs[j].id, x->id))
				err = "ErrorInvalidSubscription";    /* named twice */
		if (err) {
			x->gone = 1;
			x->err = err;
			bad[nbad++] = x->id;
			if (!bad_code)
				bad_code = err;
		} else {
			st.live++;
		}
	}
	if (!st.live)
		return answer_error(soap, resp, bad_code, bad, nbad);
	if (ewsd_stream_enter())
		return answer_error(soap, resp, "ErrorExceededConnectionCount", NULL, 0);
	if (!(st.w = soap_new1(soap->omode & ~(SOAP_IO | SOAP_ENC_ZLIB)))) {
		ewsd_stream_leave();
		return answer_error(soap, resp, "ErrorInternalServerError", NULL, 0);
	}
	soap_set_namespaces(st.w, soap->namespaces);
	soap_set_version(st.w, 1);
	st.w->user = soap->user;
	if (ews_wire_attach(st.w, EWS_WIRE_RESPONSE) == SOAP_OK)
		stream_run(&st, req->ConnectionTimeout);
	else
		st.peer_gone = 1;
	soap_destroy(st.w);
	soap_end(st.w);
	soap_free(st.w);
	ewsd_stream_leave();
	if (st.peer_gone)
		soap->keep_alive = 0;
	/* answered on the wire already: gSOAP must not write a response of its own */
	return SOAP_STOP;
}

#endif /* SOAP_TYPE_ewsmsg__GetStreamingEventsType */
