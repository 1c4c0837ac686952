/* test_notify.c — the pull-notification iterator (ews/notify.h) against ewsd: every event type as a plain view,
 * a subscription that expired (its last poll moved back in ewsd's store) replaced from the consumed watermark
 * without losing the events in between, a server restart the same way, a restart of the client from its state
 * file that replays what was not consumed and nothing else, a watermark the server no longer accepts reported
 * as ErrorInvalidWatermark, and thousands of events with flat memory. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "ews/ews.h"
#include "ews/notify.h"
#include "ews_schema_members.h"
#include "ews_test.h"
#include "ews_test_wf.h"

/* Subscribing to every folder (SubscribeToAllFolders) came with Exchange 2010: with bindings from an older set
 * (Exchange2007_SP1) the checks that watch the whole mailbox are skipped, saying so. */
#define HAVE_ALL_FOLDERS EWS_TEST_DEFINED(EWS_HAS_ewstype__PullSubscriptionRequestType_SubscribeToAllFolders)
#define ALL_FOLDERS "member SubscribeToAllFolders of PullSubscriptionRequestType"

static struct ewsd_proc srv;

static int store_exec(const char *sql)
{
	char path[512];
	sqlite3 *db;
	int rc;
	snprintf(path, sizeof path, "%s/ewsd.sqlite", srv.dir);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	sqlite3_busy_timeout(db, 10000);
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
	sqlite3_close(db);
	return rc;
}

static char *post(const char *user, const char *body) { return ews_post_body(&srv, user, "Exchange2013", body); }

/* A message saved in a distinguished folder; its id (malloc'd). */
static char *make_item(const char *user, const char *folder, const char *subject)
{
	return ewsd_save_message(&srv, user, "Exchange2013", folder, subject);
}

/* Up to max events until the iterator reports nothing new; kinds[] and ids[] (malloc'd copies) filled. */
static int drain(ews_watch *w, int max, int *kinds, char **ids, int *resubscribed)
{
	ews_event ev;
	int n = 0;
	while (n < max) {
		ews_status st = ews_watch_next(w, &ev);
		if (!ews_ok(st)) {
			fprintf(stderr, "\n  ews_watch_next: %s\n", st.message);
			return -1;
		}
		if (ev.kind == EWS_EVENT_NONE)
			break;
		if (resubscribed && ev.resubscribed)
			*resubscribed = 1;
		if (kinds)
			kinds[n] = ev.kind;
		if (ids)
			ids[n] = strdup(ev.id ? ev.id : "");
		n++;
	}
	return n;
}

static void free_ids(char **ids, int n)
{
	for (int i = 0; i < n; i++)
		free(ids[i]);
}

static void every_event_type_comes_as_a_plain_view(void)
{
	const char *u = "viewer@example.com";
	ews_client *c = wf_client(&srv, u);
	ews_watch *w = NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	if (!HAVE_ALL_FOLDERS) {   /* the library says so instead */
		ews_status st = ews_watch_new(c, NULL, &w);
		CU_ASSERT_EQUAL(st.code, EWS_ERR_UNSUPPORTED);
		CU_ASSERT_PTR_NULL(w);
		ews_client_free(c);
		ews_test_needs(0, ALL_FOLDERS, "every event type of the whole mailbox comes as a plain view");
		return;
	}
	CU_ASSERT_TRUE_FATAL(ews_ok(ews_watch_new(c, NULL, &w)));
	char *item = make_item(u, "drafts", "d"), body[1024];
	CU_ASSERT_PTR_NOT_NULL_FATAL(item);
	CU_ASSERT_TRUE(ews_ok(wf_set_subject(c, item, "changed")));
	snprintf(body, sizeof body, "<m:CopyItem><m:ToFolderId><t:DistinguishedFolderId Id=\"junkemail\"/></m:ToFolderId>"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:CopyItem>", item);
	free(post(u, body));
	snprintf(body, sizeof body, "<m:MoveItem><m:ToFolderId><t:DistinguishedFolderId Id=\"sentitems\"/></m:ToFolderId>"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:MoveItem>", item);
	char *r = post(u, body), *moved = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(moved);
	CU_ASSERT_TRUE(ews_ok(wf_delete_item(c, moved)));
	free(post(u, "<m:CreateItem MessageDisposition=\"SendAndSaveCopy\"><m:Items><t:Message><t:Subject>m</t:Subject>"
		     "<t:ToRecipients><t:Mailbox><t:EmailAddress>viewer@example.com</t:EmailAddress></t:Mailbox>"
		     "</t:ToRecipients></t:Message></m:Items></m:CreateItem>"));

	int seen[8] = { 0 }, moved_ok = 0, copied_ok = 0;
	ews_event ev;
	for (int i = 0; i < 20; i++) {
		ews_status st = ews_watch_next(w, &ev);
		CU_ASSERT_TRUE_FATAL(ews_ok(st));
		if (ev.kind == EWS_EVENT_NONE)
			break;
		seen[ev.kind]++;
		CU_ASSERT(ev.id && ev.parent_folder_id && ev.timestamp && ev.watermark && !ev.is_folder);
		if (ev.kind == EWS_EVENT_MOVED)
			moved_ok = !strcmp(ev.id, moved) && ev.old_id && !strcmp(ev.old_id, item) && ev.old_parent_folder_id;
		if (ev.kind == EWS_EVENT_COPIED)
			copied_ok = ev.old_id && !strcmp(ev.old_id, item);
	}
	CU_ASSERT_EQUAL(seen[EWS_EVENT_CREATED], 3);   /* the draft, the sent copy, the delivered one */
	CU_ASSERT_EQUAL(seen[EWS_EVENT_MODIFIED], 1);
	CU_ASSERT_EQUAL(seen[EWS_EVENT_COPIED], 1);
	CU_ASSERT_EQUAL(seen[EWS_EVENT_MOVED], 1);
	CU_ASSERT_EQUAL(seen[EWS_EVENT_DELETED], 1);
	CU_ASSERT_EQUAL(seen[EWS_EVENT_NEW_MAIL], 1);
	CU_ASSERT_TRUE(moved_ok);
	CU_ASSERT_TRUE(copied_ok);
	CU_ASSERT_EQUAL(ews_watch_events(w), 8);
	free(item), free(moved);
	ews_watch_free(w);
	ews_client_free(c);
}

static void an_expired_subscription_is_replaced_without_losing_an_event(void)
{
	const char *u = "expire@example.com";
	ews_client *c = wf_client(&srv, u);
	ews_watch *w = NULL;
	const char *inbox[] = { "inbox", NULL };
	CU_ASSERT_TRUE_FATAL(ews_ok(ews_watch_new(c, &(ews_watch_options){ .folders = inbox, .timeout_minutes = 1 }, &w)));
	free(make_item(u, "inbox", "before"));
	CU_ASSERT_EQUAL(drain(w, 10, NULL, NULL, NULL), 1);
	char *first = strdup(ews_watch_subscription(w));
	/* two minutes without a poll (Timeout 1), with two events in between */
	CU_ASSERT_EQUAL(store_exec("UPDATE subscriptions SET last_poll=last_poll-120"), 0);
	free(make_item(u, "inbox", "during 1"));
	free(make_item(u, "inbox", "during 2"));
	int resub = 0;
	CU_ASSERT_EQUAL(drain(w, 10, NULL, NULL, &resub), 2);
	CU_ASSERT_TRUE(resub);
	CU_ASSERT_EQUAL(ews_watch_subscriptions(w), 2);
	CU_ASSERT(strcmp(first, ews_watch_subscription(w)) != 0);
	free(first);
	ews_watch_free(w);
	ews_client_free(c);
}

static void a_restart_from_the_state_file_replays_what_was_not_consumed_and_nothing_else(void)
{
	const char *u = "restart@example.com", *dir = wf_tmpdir(0);
	char state[512], *ids[8] = { 0 };
	snprintf(state, sizeof state, "%s/inbox.watermark", dir);
	ews_client *c = wf_client(&srv, u);
	ews_watch *w = NULL;
	const char *inbox[] = { "inbox", NULL };
	ews_watch_options o = { .folders = inbox, .state_path = state };
	CU_ASSERT_TRUE_FATAL(ews_ok(ews_watch_new(c, &o, &w)));
	CU_ASSERT_EQUAL(access(state, F_OK), 0);   /* saved at once: events from now on are never lost */
	char *a = make_item(u, "inbox", "a"), *b = make_item(u, "inbox", "b"), *d = make_item(u, "inbox", "c");
	ews_event ev;
	CU_ASSERT_TRUE(ews_ok(ews_watch_next(w, &ev)) && ev.kind == EWS_EVENT_CREATED && !strcmp(ev.id, a));
	CU_ASSERT_TRUE(ews_ok(ews_watch_next(w, &ev)) && ev.kind == EWS_EVENT_CREATED && !strcmp(ev.id, b));
	ews_watch_free(w);   /* "a" consumed, "b" handed out but not consumed: a crash while handling it */
	ews_client_free(c);
	char *e = make_item(u, "inbox", "e");

	c = wf_client(&srv, u);
	CU_ASSERT_TRUE_FATAL(ews_ok(ews_watch_new(c, &o, &w)));
	int n = drain(w, 8, NULL, ids, NULL);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT(n == 3 && !strcmp(ids[0], b) && !strcmp(ids[1], d) && !strcmp(ids[2], e));
	free_ids(ids, n > 0 ? n : 0);
	/* everything consumed and saved: a third run has nothing */
	ews_watch_free(w);
	CU_ASSERT_TRUE_FATAL(ews_ok(ews_watch_new(c, &o, &w)));
	CU_ASSERT_EQUAL(drain(w, 8, NULL, NULL, NULL), 0);
	ews_watch_free(w);
	ews_client_free(c);
	free(a), free(b), free(d), free(e);
	wf_rmdir(dir);
}

static void a_server_restart_is_survived_from_the_watermark(void)
{
	if (!ews_test_needs(HAVE_ALL_FOLDERS, ALL_FOLDERS, "a server restart is survived (whole mailbox)"))
		return;
	const char *u = "reboot@example.com";
	ews_client *c = wf_client(&srv, u);
	ews_watch *w = NULL;
	int resub = 0;
	CU_ASSERT_TRUE_FATAL(ews_ok(ews_watch_new(c, NULL, &w)));
	CU_ASSERT_EQUAL(drain(w, 8, NULL, NULL, NULL), 0);
	/* pull subscriptions do not survive a restart of Exchange's mailbox server either: all gone */
	CU_ASSERT_EQUAL(store_exec("DELETE FROM subscriptions"), 0);
	free(make_item(u, "drafts", "x"));
	CU_ASSERT_EQUAL(drain(w, 8, NULL, NULL, &resub), 1);
	CU_ASSERT_TRUE(resub);
	ews_watch_free(w);
	ews_client_free(c);
}

static void a_watermark_the_server_no_longer_accepts_is_reported(void)
{
	if (!ews_test_needs(HAVE_ALL_FOLDERS, ALL_FOLDERS, "a stale watermark is reported (whole mailbox)"))
		return;
	const char *u = "stale@example.com", *dir = wf_tmpdir(1);
	char state[512];
	snprintf(state, sizeof state, "%s/w", dir);
	ews_client *c = wf_client(&srv, u);
	ews_watch *w = NULL;
	CU_ASSERT_TRUE_FATAL(ews_ok(ews_watch_new(c, &(ews_watch_options){ .state_path = state }, &w)));
	ews_watch_free(w);
	free(make_item(u, "inbox", "old"));
	/* ewsd keeps 30 days of events: these are older now, so the saved watermark may have missed some */
	CU_ASSERT_EQUAL(store_exec("UPDATE events SET ts='2000-01-01T00:00:00Z'"), 0);
	ews_status st = ews_watch_new(c, &(ews_watch_options){ .state_path = state }, &w);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_RESPONSE);
	CU_ASSERT_STRING_EQUAL(st.response_code, "ErrorInvalidWatermark");
	CU_ASSERT_PTR_NULL(w);
	/* a state file that is not a watermark */
	FILE *f = fopen(state, "w");
	fputs("not a watermark!\n", f);
	fclose(f);
	st = ews_watch_new(c, &(ews_watch_options){ .state_path = state }, &w);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_FORMAT);
	ews_client_free(c);
	wf_rmdir(dir);
}

static size_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();
	return mi.uordblks;
}

static void thousands_of_events_go_through_in_flat_memory(void)
{
	const char *u = "flood@example.com";
	ews_client *c = wf_client(&srv, u);
	ews_watch *w = NULL;
	char *fid = NULL;
	CU_ASSERT_TRUE_FATAL(ews_ok(wf_create_folder(c, "msgfolderroot", "Flood", &fid)));
	const char *folders[] = { fid, NULL };
	CU_ASSERT_TRUE_FATAL(ews_ok(ews_watch_new(c, &(ews_watch_options){ .folders = folders,
							 .events = EWS_EVENT_BIT(EWS_EVENT_CREATED) }, &w)));
	CU_ASSERT_TRUE_FATAL(ews_ok(wf_create_messages(c, fid, "m", 0, 3000, 5000, NULL)));
	ews_event ev;
	long n = 0;
	size_t at_500 = 0, peak = 0;
	ews_status st;
	while (ews_ok(st = ews_watch_next(w, &ev)) && ev.kind != EWS_EVENT_NONE) {
		n++;
		if (n == 500)
			at_500 = heap_in_use();
		if (n > 500 && heap_in_use() > peak)
			peak = heap_in_use();
	}
	CU_ASSERT_TRUE(ews_ok(st));
	CU_ASSERT_EQUAL(n, 3000);
	CU_ASSERT(ews_watch_polls(w) >= 60);   /* 50 a call, as Exchange pages them */
	/* one answer at a time is held: the heap after 3000 events is what it was after 500, give or take a page */
	if (peak > at_500 + 512 * 1024)
		fprintf(stderr, "\n  heap grew from %zu to %zu bytes\n", at_500, peak);
	CU_ASSERT(peak <= at_500 + 512 * 1024);
	free(fid);
	ews_watch_free(w);
	ews_client_free(c);
}

static void bad_arguments_are_refused_without_a_call(void)
{
	ews_watch *w = (ews_watch *)1;
	ews_client *c = wf_client(&srv, "args@example.com");
	CU_ASSERT_EQUAL(ews_watch_new(NULL, NULL, &w).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_PTR_NULL(w);
	CU_ASSERT_EQUAL(ews_watch_new(c, &(ews_watch_options){ .timeout_minutes = 2000 }, &w).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_watch_new(c, &(ews_watch_options){ .events = 1u << 9 }, &w).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_watch_next(NULL, NULL).code, EWS_ERR_ARGUMENT);
	ews_watch_free(NULL);
	ews_client_free(c);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "every event type comes as a plain view", every_event_type_comes_as_a_plain_view },
		{ "an expired subscription is replaced without losing an event",
		  an_expired_subscription_is_replaced_without_losing_an_event },
		{ "a restart from the state file replays what was not consumed and nothing else",
		  a_restart_from_the_state_file_replays_what_was_not_consumed_and_nothing_else },
		{ "a server restart is survived from the watermark", a_server_restart_is_survived_from_the_watermark },
		{ "a watermark the server no longer accepts is reported", a_watermark_the_server_no_longer_accepts_is_reported },
		{ "thousands of events go through in flat memory", thousands_of_events_go_through_in_flat_memory },
		{ "bad arguments are refused without a call", bad_arguments_are_refused_without_a_call },
		{ NULL, NULL }
	};
	if (wf_start(&srv, NULL, 0)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("pull-notification iterator", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
