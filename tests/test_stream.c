/* test_stream.c — streaming notifications (issue 15) against ewsd: GetStreamingEvents on the wire (raw HTTP, each
 * chunk read as it comes: events arrive in order while the response is still open, keep-alives, ConnectionStatus
 * Closed at ConnectionTimeout, several subscriptions and scopes on one connection, Exchange's errors), the
 * FreeBusyChangedEvent of calendar changes, the envelope splitter fed byte by byte, and the streaming iterator
 * (ews_watch .streaming): events from the stream as they happen, a killed server (a dropped connection)
 * survived without losing an event, streams reopened at ConnectionTimeout, thousands of events in flat memory.
 * ewsd runs with short "minutes" (EWSD_STREAM_MINUTE_MS) so that a ConnectionTimeout of 1 lasts 1.5 s. */
#define _GNU_SOURCE
#include <malloc.h>
#include <poll.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ews/ews.h"
#include "ews/notify.h"
#include "ews_stream.h"
#include "ews_test.h"
#include "ews_test_wf.h"

#define MINUTE_MS 1500

static struct ewsd_proc srv;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static char *post(const char *user, const char *body) { return ews_post_body(&srv, user, "Exchange2013", body); }

static char *make_item(const char *user, const char *folder, const char *subject)
{
	return ewsd_save_message(&srv, user, "Exchange2013", folder, subject);
}

#define TYPES "<t:EventTypes><t:EventType>CreatedEvent</t:EventType><t:EventType>DeletedEvent</t:EventType>" \
	"<t:EventType>FreeBusyChangedEvent</t:EventType></t:EventTypes>"

/* A streaming (or pull) subscription of folder ("" = all folders); its id (malloc'd). */
static char *subscribe(const char *user, const char *folder, int pull)
{
	char body[2048], fids[256] = "";
	if (*folder)
		snprintf(fids, sizeof fids, "<t:FolderIds><t:DistinguishedFolderId Id=\"%s\"/></t:FolderIds>", folder);
	snprintf(body, sizeof body, "<m:Subscribe><m:%sSubscriptionRequest%s>%s" TYPES "%s</m:%sSubscriptionRequest>"
		 "</m:Subscribe>", pull ? "Pull" : "Streaming", *folder ? "" : " SubscribeToAllFolders=\"true\"", fids,
		 pull ? "<t:Timeout>10</t:Timeout>" : "", pull ? "Pull" : "Streaming");
	char *r = post(user, body);
	char *id = r ? xml_text(r, "SubscriptionId", 0) : NULL;
	if (!id)
		fprintf(stderr, "\n  Subscribe: %s\n", r ? r : "(no answer)");
	free(r);
	return id;
}

/* ---- a raw streaming connection: chunks read one at a time ---- */

struct rawstream {
	int fd;
	char buf[65536];
	size_t len;
	int status;
};

static int fill(struct rawstream *s, int ms)
{
	struct pollfd p = { .fd = s->fd, .events = POLLIN };
	if (s->len == sizeof s->buf || poll(&p, 1, ms) <= 0)
		return -1;
	ssize_t n = recv(s->fd, s->buf + s->len, sizeof s->buf - s->len, 0);
	if (n <= 0)
		return -1;
	s->len += (size_t)n;
	return 0;
}

static void consume(struct rawstream *s, size_t n)
{
	memmove(s->buf, s->buf + n, s->len - n);
	s->len -= n;
}

/* Open GetStreamingEvents for ids (XML of SubscriptionId elements); reads the HTTP head. 0 or -1. */
static int stream_open(struct rawstream *s, const char *user, const char *ids_xml, int minutes)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char cred[300], enc[420], body[4096], head[1024];
	size_t cl = (size_t)snprintf(cred, sizeof cred, "%s:secret", user), e = 0;
	for (size_t i = 0; i < cl; i += 3) {
		unsigned v = (unsigned char)cred[i] << 16 | (i + 1 < cl ? (unsigned char)cred[i + 1] << 8 : 0) |
			     (i + 2 < cl ? (unsigned char)cred[i + 2] : 0);
		enc[e++] = b64[v >> 18];
		enc[e++] = b64[(v >> 12) & 63];
		enc[e++] = i + 1 < cl ? b64[(v >> 6) & 63] : '=';
		enc[e++] = i + 2 < cl ? b64[v & 63] : '=';
	}
	enc[e] = '\0';
	int n = snprintf(body, sizeof body, "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" "
			 "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\" "
			 "xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\"><soap:Header>"
			 "<t:RequestServerVersion Version=\"Exchange2013\"/></soap:Header><soap:Body><m:GetStreamingEvents>"
			 "<m:SubscriptionIds>%s</m:SubscriptionIds><m:ConnectionTimeout>%d</m:ConnectionTimeout>"
			 "</m:GetStreamingEvents></soap:Body></soap:Envelope>", ids_xml, minutes);
	int h = snprintf(head, sizeof head, "POST /EWS/Exchange.asmx HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml; "
			 "charset=utf-8\r\nAuthorization: Basic %s\r\nContent-Length: %d\r\n\r\n", enc, n);
	memset(s, 0, sizeof *s);
	if ((s->fd = ewsd_connect_local(srv.port)) < 0)
		return -1;
	if (ewsd_send_all(s->fd, head, (size_t)h) || ewsd_send_all(s->fd, body, (size_t)n))
		return -1;
	char *end;
	while (!(end = memmem(s->buf, s->len, "\r\n\r\n", 4)))
		if (fill(s, 10000))
			return -1;
	s->status = atoi(s->buf + 9);
	int chunked = memmem(s->buf, (size_t)(end - s->buf), "Transfer-Encoding: chunked", 26) != NULL;
	consume(s, (size_t)(end + 4 - s->buf));
	return chunked ? 0 : 1;    /* 1: an ordinary answer (Content-Length) */
}

/* The next chunk as a string (malloc'd): NULL on the last (zero-size) chunk or a timeout/close (*ended says). */
static char *next_chunk(struct rawstream *s, int ms, int *ended)
{
	char *crlf;
	*ended = 0;
	while (!(crlf = memmem(s->buf, s->len, "\r\n", 2)))
		if (fill(s, ms))
			return NULL;
	size_t size = strtoul(s->buf, NULL, 16), hl = (size_t)(crlf + 2 - s->buf);
	if (size == 0) {
		*ended = 1;
		return NULL;
	}
	while (s->len < hl + size + 2)
		if (fill(s, ms))
			return NULL;
	char *c = malloc(size + 1);
	memcpy(c, s->buf + hl, size);
	c[size] = '\0';
	consume(s, hl + size + 2);
	return c;
}

/* The next chunk that is not a keep-alive (ConnectionStatus OK without anything else). */
static char *next_message(struct rawstream *s, int ms, int *ended)
{
	for (int i = 0; i < 200; i++) {
		char *c = next_chunk(s, ms, ended);
		if (!c)
			return NULL;
		if (strstr(c, "Notification") || strstr(c, "Closed") || strstr(c, "ResponseClass=\"Error\""))
			return c;
		free(c);
	}
	return NULL;
}

static void events_arrive_in_order_while_the_response_is_still_open(void)
{
	if (!ews_test_have_op("GetStreamingEvents", "events arrive in order"))
		return;
	const char *u = "wire@example.com";
	char *id = subscribe(u, "drafts", 0), ids[256];
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	struct rawstream s;
	int ended;
	snprintf(ids, sizeof ids, "<t:SubscriptionId>%s</t:SubscriptionId>", id);
	/* 20 "minutes" (30 s): this is about order, not the timeout; at 1 (1.5 s) a slow ewsd (under valgrind) closed
	 * the stream before the second event */
	CU_ASSERT_EQUAL_FATAL(stream_open(&s, u, ids, 20), 0);
	CU_ASSERT_EQUAL(s.status, 200);
	char *a = make_item(u, "drafts", "first");
	char *m1 = next_message(&s, 3000, &ended);   /* arrives before the next change is even made */
	char *b = make_item(u, "drafts", "second");
	char *m2 = next_message(&s, 3000, &ended);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m2);
	char *id1 = xml_attr(m1, "ItemId", "Id", 0), *id2 = xml_attr(m2, "ItemId", "Id", 0);
	CU_ASSERT_STRING_EQUAL(id1 ? id1 : "", a ? a : "-");
	CU_ASSERT_STRING_EQUAL(id2 ? id2 : "", b ? b : "-");
	/* each chunk is one whole envelope; events carry no watermark on a stream (as Exchange) */
	CU_ASSERT(strstr(m1, "Envelope") && strstr(m1, "</s:Envelope>") && !strstr(m1, "Watermark"));
	char *sid = xml_text(m1, "SubscriptionId", 0);
	CU_ASSERT_STRING_EQUAL(sid ? sid : "", id);
	CU_ASSERT_PTR_NULL(strstr(m1, "Closed"));   /* the response is still open */
	free(sid), free(id1), free(id2), free(m1), free(m2), free(a), free(b), free(id);
	close(s.fd);
}

static void the_stream_closes_at_its_connection_timeout_with_keep_alives_before(void)
{
	if (!ews_test_have_op("GetStreamingEvents", "the stream closes at its ConnectionTimeout"))
		return;
	const char *u = "timeout@example.com";
	char *id = subscribe(u, "", 0), ids[256];
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	struct rawstream s;
	int ended = 0, keepalives = 0, closed = 0;
	snprintf(ids, sizeof ids, "<t:SubscriptionId>%s</t:SubscriptionId>", id);
	double t0 = now_ms();
	CU_ASSERT_EQUAL_FATAL(stream_open(&s, u, ids, 1), 0);
	for (int i = 0; i < 100; i++) {
		char *c = next_chunk(&s, 5000, &ended);
		if (!c)
			break;
		if (strstr(c, "<m:ConnectionStatus>OK"))
			keepalives++;
		if (strstr(c, "<m:ConnectionStatus>Closed"))
			closed++;
		free(c);
	}
	double took = now_ms() - t0;
	CU_ASSERT_TRUE(ended);          /* the terminating zero-size chunk came */
	CU_ASSERT_EQUAL(closed, 1);
	CU_ASSERT(keepalives >= 2);     /* every 300 ms here */
	CU_ASSERT(took >= MINUTE_MS - 100 && took < MINUTE_MS + 2000);
	close(s.fd);
	free(id);
}

static void several_subscriptions_and_scopes_share_one_connection(void)
{
	if (!ews_test_have_op("GetStreamingEvents", "several subscriptions share one connection"))
		return;
	const char *u = "multi@example.com";
	char *inbox = subscribe(u, "inbox", 0), *all = subscribe(u, "", 0), ids[512];
	CU_ASSERT_PTR_NOT_NULL_FATAL(inbox);
	CU_ASSERT_PTR_NOT_NULL_FATAL(all);
	struct rawstream s;
	int ended;
	snprintf(ids, sizeof ids, "<t:SubscriptionId>%s</t:SubscriptionId><t:SubscriptionId>%s</t:SubscriptionId>",
		 inbox, all);
	CU_ASSERT_EQUAL_FATAL(stream_open(&s, u, ids, 1), 0);
	free(make_item(u, "drafts", "only-all"));
	char *m = next_message(&s, 3000, &ended);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(xml_count(m, "Notification"), 1);   /* drafts: only the all-folders one */
	char *sid = xml_text(m, "SubscriptionId", 0);
	CU_ASSERT_STRING_EQUAL(sid ? sid : "", all);
	free(sid), free(m);
	free(make_item(u, "inbox", "both"));
	m = next_message(&s, 3000, &ended);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(xml_count(m, "Notification"), 2);   /* inbox: one Notification per subscription */
	CU_ASSERT_EQUAL(xml_count(m, "CreatedEvent"), 2);
	free(m), free(inbox), free(all);
	close(s.fd);
}

static void errors_are_answered_as_exchange_answers_them(void)
{
	if (!ews_test_have_op("GetStreamingEvents", "streaming errors"))
		return;
	const char *u = "errors@example.com";
	char *pull = subscribe(u, "", 1), *good = subscribe(u, "", 0), ids[512];
	CU_ASSERT_PTR_NOT_NULL_FATAL(pull);
	CU_ASSERT_PTR_NOT_NULL_FATAL(good);
	struct rawstream s;
	int ended;
	/* only unknown ids: one ordinary answer, Error, the ids named, Closed */
	CU_ASSERT_EQUAL_FATAL(stream_open(&s, u, "<t:SubscriptionId>nope</t:SubscriptionId>", 1), 1);
	while (!memmem(s.buf, s.len, "</s:Envelope>", 13) && !fill(&s, 3000))
		;
	s.buf[s.len < sizeof s.buf ? s.len : sizeof s.buf - 1] = '\0';
	char *code = xml_text(s.buf, "ResponseCode", 0), *bad = xml_text(s.buf, "SubscriptionId", 0),
	     *cs = xml_text(s.buf, "ConnectionStatus", 0);
	CU_ASSERT_STRING_EQUAL(code ? code : "", "ErrorSubscriptionNotFound");
	CU_ASSERT_STRING_EQUAL(bad ? bad : "", "nope");
	CU_ASSERT_STRING_EQUAL(cs ? cs : "", "Closed");
	free(code), free(bad), free(cs);
	close(s.fd);
	/* a pull subscription's id: ErrorInvalidSubscription; and GetEvents refuses a streaming one */
	snprintf(ids, sizeof ids, "<t:SubscriptionId>%s</t:SubscriptionId>", pull);
	CU_ASSERT_EQUAL_FATAL(stream_open(&s, u, ids, 1), 1);
	while (!memmem(s.buf, s.len, "</s:Envelope>", 13) && !fill(&s, 3000))
		;
	s.buf[s.len < sizeof s.buf ? s.len : sizeof s.buf - 1] = '\0';
	code = xml_text(s.buf, "ResponseCode", 0);
	CU_ASSERT_STRING_EQUAL(code ? code : "", "ErrorInvalidSubscription");
	free(code);
	close(s.fd);
	char body[512];
	snprintf(body, sizeof body, "<m:GetEvents><m:SubscriptionId>%s</m:SubscriptionId><m:Watermark>AQ==</m:Watermark>"
		 "</m:GetEvents>", good);
	char *r = post(u, body);
	code = r ? xml_text(r, "ResponseCode", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(code ? code : "", "ErrorInvalidPullSubscriptionId");
	free(code), free(r);
	/* some good, some bad: the stream opens with the error for the bad ones, then serves the good one */
	snprintf(ids, sizeof ids, "<t:SubscriptionId>gone</t:SubscriptionId><t:SubscriptionId>%s</t:SubscriptionId>", good);
	CU_ASSERT_EQUAL_FATAL(stream_open(&s, u, ids, 1), 0);
	char *first = next_message(&s, 3000, &ended);
	CU_ASSERT_PTR_NOT_NULL_FATAL(first);
	CU_ASSERT_PTR_NOT_NULL(strstr(first, "ResponseClass=\"Error\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(first, "<t:SubscriptionId>gone</t:SubscriptionId>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(first, "<m:ConnectionStatus>OK"));
	free(first);
	free(make_item(u, "drafts", "still served"));
	char *m = next_message(&s, 3000, &ended);
	CU_ASSERT(m && xml_count(m, "CreatedEvent") == 1);
	free(m);
	/* Unsubscribe while streamed: an error chunk names it, then the stream ends (nothing left) */
	snprintf(body, sizeof body, "<m:Unsubscribe><m:SubscriptionId>%s</m:SubscriptionId></m:Unsubscribe>", good);
	free(post(u, body));
	m = next_message(&s, 15000, &ended);
	CU_ASSERT(m && strstr(m, "ErrorSubscriptionNotFound") && strstr(m, good));
	free(m);
	m = next_message(&s, 3000, &ended);
	CU_ASSERT(m && strstr(m, "<m:ConnectionStatus>Closed"));
	free(m);
	close(s.fd);
	/* ConnectionTimeout outside 1..30: the schema fault */
	CU_ASSERT_EQUAL_FATAL(stream_open(&s, u, "<t:SubscriptionId>x</t:SubscriptionId>", 31), 1);
	CU_ASSERT_EQUAL(s.status, 500);
	close(s.fd);
	free(pull), free(good);
}

/* --max-connections 2: one stream at most, so that streams never take every connection */
static void streams_are_limited_to_half_the_connections(void)
{
	if (!ews_test_have_op("GetStreamingEvents", "streams are limited"))
		return;
	struct ewsd_proc main_srv = srv;
	const char *extra[] = { "--max-connections", "2", NULL };
	CU_ASSERT_EQUAL_FATAL(ewsd_start(&srv, NULL, extra), 0);
	const char *u = "limit@example.com";
	char *id = subscribe(u, "", 0), ids[256];
	CU_ASSERT_PTR_NOT_NULL(id);
	struct rawstream a, b;
	snprintf(ids, sizeof ids, "<t:SubscriptionId>%s</t:SubscriptionId>", id ? id : "-");
	CU_ASSERT_EQUAL(stream_open(&a, u, ids, 1), 0);
	CU_ASSERT_EQUAL(stream_open(&b, u, ids, 1), 1);     /* an ordinary answer, not a stream */
	while (!memmem(b.buf, b.len, "</s:Envelope>", 13) && !fill(&b, 3000))
		;
	b.buf[b.len < sizeof b.buf ? b.len : sizeof b.buf - 1] = '\0';
	char *code = xml_text(b.buf, "ResponseCode", 0);
	CU_ASSERT_STRING_EQUAL(code ? code : "", "ErrorExceededConnectionCount");
	free(code);
	close(b.fd);
	close(a.fd);
	free(id);
	ewsd_stop(&srv, 0);
	srv = main_srv;
}

static void calendar_changes_raise_free_busy_changed_in_pull_and_streaming(void)
{
	if (!ews_test_have_op("GetStreamingEvents", "FreeBusyChanged in pull and streaming"))
		return;
	const char *u = "cal@example.com";
	char *id = subscribe(u, "calendar", 0), ids[256], body[1024];
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	struct rawstream s;
	int ended;
	snprintf(ids, sizeof ids, "<t:SubscriptionId>%s</t:SubscriptionId>", id);
	CU_ASSERT_EQUAL_FATAL(stream_open(&s, u, ids, 1), 0);
	snprintf(body, sizeof body, "<m:CreateItem SendMeetingInvitations=\"SendToNone\"><m:SavedItemFolderId>"
		 "<t:DistinguishedFolderId Id=\"calendar\"/></m:SavedItemFolderId><m:Items><t:CalendarItem><t:Subject>m"
		 "</t:Subject><t:Start>2026-01-05T09:00:00Z</t:Start><t:End>2026-01-05T10:00:00Z</t:End></t:CalendarItem>"
		 "</m:Items></m:CreateItem>");
	char *r = post(u, body);
	char *item = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(item);
	int created = 0, freebusy = 0;
	for (int i = 0; i < 3 && !freebusy; i++) {
		char *m = next_message(&s, 3000, &ended);
		if (m) {
			created += xml_count(m, "CreatedEvent");
			freebusy += xml_count(m, "FreeBusyChangedEvent");
		}
		free(m);
	}
	CU_ASSERT_EQUAL(created, 1);
	CU_ASSERT_EQUAL(freebusy, 1);
	close(s.fd);
	/* pull: a subscription, then deleting the meeting changes free/busy again */
	char *wm = NULL;
	r = post(u, "<m:Subscribe><m:PullSubscriptionRequest><t:FolderIds><t:DistinguishedFolderId Id=\"calendar\"/>"
		    "</t:FolderIds>" TYPES "<t:Timeout>5</t:Timeout></m:PullSubscriptionRequest></m:Subscribe>");
	char *pid = r ? xml_text(r, "SubscriptionId", 0) : NULL;
	wm = r ? xml_text(r, "Watermark", 0) : NULL;
	free(r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pid);
	snprintf(body, sizeof body, "<m:DeleteItem DeleteType=\"HardDelete\" SendMeetingCancellations=\"SendToNone\">"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:DeleteItem>", item);
	free(post(u, body));
	free(make_item(u, "drafts", "not a calendar item"));
	snprintf(body, sizeof body, "<m:GetEvents><m:SubscriptionId>%s</m:SubscriptionId><m:Watermark>%s</m:Watermark>"
		 "</m:GetEvents>", pid, wm);
	r = post(u, body);
	CU_ASSERT(r && xml_count(r, "DeletedEvent") == 1 && xml_count(r, "FreeBusyChangedEvent") == 1);
	free(r), free(pid), free(wm), free(item), free(id);
}

/* ---- the splitter ---- */

static void the_splitter_cuts_envelopes_fed_byte_by_byte(void)
{
	const char *in = "<?xml version=\"1.0\"?>\n<a x=\"1>2\" y='/>'><b/><!-- </a> --><c><![CDATA[</a>]]></c></a>"
			 "  <?xml version=\"1.0\"?><a/>\r\n<s:E xmlns:s=\"u\"><s:B>text &amp; more</s:B></s:E>";
	const char *want[] = { "<a x=\"1>2\" y='/>'><b/><!-- </a> --><c><![CDATA[</a>]]></c></a>", "<a/>",
			       "<s:E xmlns:s=\"u\"><s:B>text &amp; more</s:B></s:E>" };
	ews_envelope_splitter sp;
	int got = 0;
	ews_envelope_init(&sp, 1024);
	for (size_t i = 0; in[i]; i++) {
		CU_ASSERT_TRUE_FATAL(ews_ok(ews_envelope_feed(&sp, in + i, 1)));
		char *x;
		size_t n;
		while (ews_envelope_next(&sp, &x, &n)) {
			CU_ASSERT_TRUE_FATAL(got < 3);
			CU_ASSERT_STRING_EQUAL(x, want[got]);
			CU_ASSERT_EQUAL(n, strlen(want[got]));
			got++;
		}
	}
	CU_ASSERT_EQUAL(got, 3);
	/* an element longer than the cap is refused, not buffered */
	ews_envelope_reset(&sp);
	char big[2048];
	memset(big, 'x', sizeof big);
	CU_ASSERT_TRUE(ews_ok(ews_envelope_feed(&sp, "<a>", 3)));
	char *x;
	size_t n;
	CU_ASSERT_EQUAL(ews_envelope_next(&sp, &x, &n), 0);
	CU_ASSERT_EQUAL(ews_envelope_feed(&sp, big, sizeof big).code, EWS_ERR_TOO_LARGE);
	ews_envelope_free(&sp);
}

/* ---- the streaming iterator ---- */

static ews_status open_watch(ews_client *c, const char *folder, unsigned events, ews_watch **w)
{
	const char *folders[] = { folder, NULL };
	return ews_watch_new(c, &(ews_watch_options){ .folders = folder ? folders : NULL, .events = events,
						     .streaming = 1, .connection_timeout_minutes = 1, .idle_timeout_s = 5,
						     .backoff_max_ms = 400 }, w);
}

/* The next event (skipping keep-alives), at most max_calls calls. 1, or 0 when none came. */
static int next_event(ews_watch *w, ews_event *ev, int max_calls)
{
	for (int i = 0; i < max_calls; i++) {
		ews_status st = ews_watch_next(w, ev);
		if (ews_ok(st) && ev->kind != EWS_EVENT_NONE)
			return 1;
	}
	return 0;
}

static void the_iterator_hands_out_streamed_events_as_they_happen(void)
{
	if (!ews_test_have_op("GetStreamingEvents", "the iterator hands out streamed events"))
		return;
	const char *u = "iter@example.com";
	ews_client *c = wf_client(&srv, u);
	ews_watch *w = NULL;
	ews_event ev;
	CU_ASSERT_TRUE_FATAL(ews_ok(open_watch(c, "drafts", EWS_EVENT_BIT(EWS_EVENT_CREATED), &w)));
	/* caught up (nothing since), the stream is open: a keep-alive comes as EWS_EVENT_NONE */
	CU_ASSERT_TRUE(ews_ok(ews_watch_next(w, &ev)));
	CU_ASSERT_EQUAL(ev.kind, EWS_EVENT_NONE);
	for (int i = 0; i < 3; i++) {
		char subj[16];
		snprintf(subj, sizeof subj, "s%d", i);
		char *id = make_item(u, "drafts", subj);
		CU_ASSERT_TRUE_FATAL(next_event(w, &ev, 20));
		CU_ASSERT_EQUAL(ev.kind, EWS_EVENT_CREATED);
		CU_ASSERT_STRING_EQUAL(ev.id ? ev.id : "", id ? id : "-");
		CU_ASSERT_TRUE(ev.from_stream);
		free(id);
	}
	CU_ASSERT_EQUAL(ews_watch_stream_events(w), 3);
	/* the stream closes every "minute" (1.5 s): it is reopened, events keep coming, none twice; one made
	 * while no stream was being read comes from the GetEvents reconciliation */
	struct timespec ts = { 2, 0 };
	nanosleep(&ts, NULL);
	char *late = make_item(u, "drafts", "after a close");
	CU_ASSERT_TRUE_FATAL(next_event(w, &ev, 40));
	CU_ASSERT_STRING_EQUAL(ev.id ? ev.id : "", late ? late : "-");
	while (ews_ok(ews_watch_next(w, &ev)) && !(ev.kind == EWS_EVENT_NONE && ev.from_stream))
		;   /* until the reopened stream's keep-alive */
	char *live = make_item(u, "drafts", "on the new stream");
	CU_ASSERT_TRUE_FATAL(next_event(w, &ev, 40));
	CU_ASSERT_STRING_EQUAL(ev.id ? ev.id : "", live ? live : "-");
	CU_ASSERT_TRUE(ev.from_stream);
	CU_ASSERT(ews_watch_streams(w) >= 2);
	CU_ASSERT_EQUAL(ews_watch_events(w), 5);
	free(late), free(live);
	ews_watch_free(w);
	ews_client_free(c);
}

static void a_dropped_stream_is_reopened_and_loses_nothing(void)
{
	if (!ews_test_have_op("GetStreamingEvents", "a dropped stream is reopened"))
		return;
	const char *u = "drop@example.com";
	ews_client *c = wf_client(&srv, u);
	ews_watch *w = NULL;
	ews_event ev;
	CU_ASSERT_TRUE_FATAL(ews_ok(open_watch(c, NULL, EWS_EVENT_BIT(EWS_EVENT_CREATED), &w)));
	CU_ASSERT_TRUE(ews_ok(ews_watch_next(w, &ev)) && ev.kind == EWS_EVENT_NONE && ev.from_stream);   /* streaming */
	char *a = make_item(u, "drafts", "before");
	CU_ASSERT_TRUE_FATAL(next_event(w, &ev, 20));
	CU_ASSERT_STRING_EQUAL(ev.id ? ev.id : "", a ? a : "-");
	CU_ASSERT_TRUE(ev.from_stream);
	/* the server dies mid-stream (the connection drops) and comes back on the same port with its store */
	char dir[256], listen[64];
	snprintf(dir, sizeof dir, "%s", srv.dir);
	snprintf(listen, sizeof listen, "127.0.0.1:%d", srv.port);
	ewsd_kill(&srv);
	const char *extra[] = { "--listen", listen, NULL };
	CU_ASSERT_EQUAL_FATAL(ewsd_start(&srv, dir, extra), 0);
	/* changes while the client has not noticed yet: the reconciliation hands them out, each once */
	char *b = make_item(u, "drafts", "during");
	char *d = make_item(u, "inbox", "during 2");
	int seen_b = 0, seen_d = 0, reconnected = 0, others = 0;
	for (int i = 0; i < 60 && !(seen_b && seen_d); i++) {
		ews_status st = ews_watch_next(w, &ev);
		if (!ews_ok(st) || ev.kind == EWS_EVENT_NONE)
			continue;
		reconnected |= ev.reconnected;
		if (ev.id && b && !strcmp(ev.id, b))
			seen_b++;
		else if (ev.id && d && !strcmp(ev.id, d))
			seen_d++;
		else
			others++;
	}
	CU_ASSERT_EQUAL(seen_b, 1);
	CU_ASSERT_EQUAL(seen_d, 1);
	CU_ASSERT_EQUAL(others, 0);       /* "before" was not handed out again */
	CU_ASSERT_TRUE(reconnected);
	/* and the reopened stream delivers live again */
	char *e = make_item(u, "drafts", "after");
	CU_ASSERT_TRUE_FATAL(next_event(w, &ev, 40));
	if (!ev.id || !e || strcmp(ev.id, e))
		fprintf(stderr, "\n  got %s (%s, stream %d) a=%d b=%d d=%d\n", ev.id, ev.timestamp, ev.from_stream,
			ev.id && a && !strcmp(ev.id, a), ev.id && b && !strcmp(ev.id, b), ev.id && d && !strcmp(ev.id, d));
	CU_ASSERT_STRING_EQUAL(ev.id ? ev.id : "", e ? e : "-");
	free(a), free(b), free(d), free(e);
	ews_watch_free(w);
	ews_client_free(c);
}

static size_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();
	return mi.uordblks;
}

static void thousands_of_streamed_events_go_through_in_flat_memory(void)
{
	if (!ews_test_have_op("GetStreamingEvents", "thousands of streamed events"))
		return;
	const char *u = "streamflood@example.com";
	ews_client *c = wf_client(&srv, u), *maker = wf_client(&srv, u);
	ews_watch *w = NULL;
	char *fid = NULL;
	ews_event ev;
	CU_ASSERT_TRUE_FATAL(ews_ok(wf_create_folder(maker, "msgfolderroot", "Flood", &fid)));
	CU_ASSERT_TRUE_FATAL(ews_ok(open_watch(c, fid, EWS_EVENT_BIT(EWS_EVENT_CREATED), &w)));
	CU_ASSERT_TRUE(ews_ok(ews_watch_next(w, &ev)));   /* caught up, streaming */
	/* made by another process while the stream is read, as in life (and out of this heap's count): most come
	 * on the stream, across several streams */
	pid_t pid = fork();
	CU_ASSERT_TRUE_FATAL(pid >= 0);
	if (pid == 0) {
		ews_client *own = wf_client(&srv, u);
		int ok = own != NULL;
		for (int b = 0; b < 60 && ok; b++) {
			struct timespec pause = { 0, 80 * 1000000L };
			ok = ews_ok(wf_create_messages(own, fid, "m", b * 50, 50, 5000, NULL));
			nanosleep(&pause, NULL);
		}
		_exit(ok ? 0 : 1);
	}
	long n = 0;
	size_t at_500 = 0, peak = 0;
	for (int calls = 0; calls < 20000 && n < 3000; calls++) {
		ews_status st = ews_watch_next(w, &ev);
		if (!ews_ok(st) || ev.kind == EWS_EVENT_NONE)
			continue;
		n++;
		if (n == 500)
			at_500 = heap_in_use();
		if (n > 500 && heap_in_use() > peak)
			peak = heap_in_use();
	}
	int status = -1;
	waitpid(pid, &status, 0);
	CU_ASSERT_EQUAL(status, 0);
	CU_ASSERT_EQUAL(n, 3000);
	CU_ASSERT(ews_watch_stream_events(w) > 0 && ews_watch_streams(w) >= 2);
	if (peak > at_500 + 1024 * 1024)
		fprintf(stderr, "\n  heap grew from %zu to %zu bytes\n", at_500, peak);
	CU_ASSERT(peak <= at_500 + 1024 * 1024);
	/* nothing more: none was handed out twice (a GetEvents reconciliation after a Closed included) */
	struct timespec ts = { 2, 0 };
	nanosleep(&ts, NULL);
	for (int i = 0; i < 3; i++) {
		ews_status st = ews_watch_next(w, &ev);
		CU_ASSERT(ews_ok(st) && ev.kind == EWS_EVENT_NONE);
	}
	free(fid);
	ews_watch_free(w);
	ews_client_free(c);
	ews_client_free(maker);
}

static void bad_streaming_options_are_refused(void)
{
	if (!ews_test_have_op("GetStreamingEvents", "bad streaming options are refused"))
		return;
	ews_client *c = wf_client(&srv, "opts@example.com");
	ews_watch *w = (ews_watch *)1;
	CU_ASSERT_EQUAL(ews_watch_new(c, &(ews_watch_options){ .streaming = 1, .connection_timeout_minutes = 31 }, &w).code,
			EWS_ERR_ARGUMENT);
	CU_ASSERT_PTR_NULL(w);
	CU_ASSERT_EQUAL(ews_watch_new(c, &(ews_watch_options){ .streaming = 1, .idle_timeout_s = -1 }, &w).code,
			EWS_ERR_ARGUMENT);
	ews_client_free(c);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "events arrive in order while the response is still open",
		  events_arrive_in_order_while_the_response_is_still_open },
		{ "the stream closes at its ConnectionTimeout with keep-alives before",
		  the_stream_closes_at_its_connection_timeout_with_keep_alives_before },
		{ "several subscriptions and scopes share one connection", several_subscriptions_and_scopes_share_one_connection },
		{ "errors are answered as Exchange answers them", errors_are_answered_as_exchange_answers_them },
		{ "calendar changes raise FreeBusyChanged in pull and streaming",
		  calendar_changes_raise_free_busy_changed_in_pull_and_streaming },
		{ "streams are limited to half the connections", streams_are_limited_to_half_the_connections },
		{ "the splitter cuts envelopes fed byte by byte", the_splitter_cuts_envelopes_fed_byte_by_byte },
		{ "the iterator hands out streamed events as they happen", the_iterator_hands_out_streamed_events_as_they_happen },
		{ "a dropped stream is reopened and loses nothing", a_dropped_stream_is_reopened_and_loses_nothing },
		{ "thousands of streamed events go through in flat memory",
		  thousands_of_streamed_events_go_through_in_flat_memory },
		{ "bad streaming options are refused", bad_streaming_options_are_refused },
		{ NULL, NULL }
	};
	setenv("EWSD_STREAM_MINUTE_MS", "1500", 1);
	setenv("EWSD_STREAM_KEEPALIVE_MS", "300", 1);
	setenv("EWSD_STREAM_POLL_MS", "50", 1);
	if (wf_start(&srv, NULL, 0)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("stream", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
