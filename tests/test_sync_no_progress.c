/* test_sync_no_progress.c — the sync iterator against a server whose answers never end the sync: "more to come"
 * with no change and the same SyncState (caught at once), or a new SyncState each time (caught after a bounded
 * run of such answers). Either is a clear EWS_ERR_RESPONSE instead of a loop that never returns; a server that
 * sends some empty answers and then the changes is followed to the end. Canned answers (ews_test_http). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/ews.h"
#include "ews/sync.h"
#include "ews_test.h"
#include "ews_test_ews.h"

#define NS_M "http://schemas.microsoft.com/exchange/services/2006/messages"
#define NS_T "http://schemas.microsoft.com/exchange/services/2006/types"

static ews_test_http *srv;
static ews_client *cli;

static void start(void)
{
	srv = ews_test_http_start(0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(srv);
	cli = ews_test_client(srv);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cli);
}

static void stop(void)
{
	ews_client_free(cli);
	ews_test_http_stop(srv);
	cli = NULL;
	srv = NULL;
}

/* One SyncFolderItems answer queued: its state, whether it is the last, its changes (m:Changes' content). */
static void queue_answer(const char *state, int last, const char *changes)
{
	char body[2048];
	snprintf(body, sizeof body,
	         "<m:SyncFolderItemsResponse xmlns:m=\"" NS_M "\" xmlns:t=\"" NS_T "\"><m:ResponseMessages>"
	         "<m:SyncFolderItemsResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode>"
	         "<m:SyncState>%s</m:SyncState><m:IncludesLastItemInRange>%s</m:IncludesLastItemInRange>"
	         "<m:Changes>%s</m:Changes></m:SyncFolderItemsResponseMessage></m:ResponseMessages>"
	         "</m:SyncFolderItemsResponse>", state, last ? "true" : "false", changes);
	char *env = ews_test_soap_envelope(ews_test_server_version_header, body);
	ews_test_queue_body(srv, 200, env);
	free(env);
}

static void more_to_come_with_no_change_and_the_same_state_is_no_progress(void)
{
	ews_sync *s;
	ews_sync_change ch;

	start();
	queue_answer("SAME==", 0, "");
	queue_answer("SAME==", 0, "");
	CU_ASSERT_EQUAL_FATAL(ews_sync_new_items(cli, "inbox", "SAME==", NULL, &s).code, EWS_OK);
	ews_status st = ews_sync_next(s, &ch);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_RESPONSE);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "no progress"));
	CU_ASSERT_EQUAL(ch.kind, EWS_SYNC_DONE);
	CU_ASSERT_EQUAL(ews_test_http_request_count(srv), 1);
	ews_sync_free(s);
	stop();
}

/* Without the bound, ews_sync_next asked for ever (here: until the canned answers ran out, then a transport
 * error); with it, the run of empty answers ends as no progress, and nothing more is asked. */
static void more_to_come_with_no_change_and_a_new_state_each_time_ends_as_no_progress(void)
{
	ews_sync *s;
	ews_sync_change ch;
	char state[32];

	start();
	for (int i = 0; i < 60; i++) {
		snprintf(state, sizeof state, "S%03d==", i);
		queue_answer(state, 0, "");
	}
	CU_ASSERT_EQUAL_FATAL(ews_sync_new_items(cli, "inbox", NULL, NULL, &s).code, EWS_OK);
	ews_status st = ews_sync_next(s, &ch);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_RESPONSE);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "times in a row (no progress)"));
	CU_ASSERT_EQUAL(ch.kind, EWS_SYNC_DONE);
	int asked = ews_test_http_request_count(srv);
	CU_ASSERT(asked > 8 && asked < 60);
	if (st.code != EWS_ERR_RESPONSE)
		fprintf(stderr, "no progress: %d %s (%d requests)\n", st.code, st.message, asked);
	ews_sync_free(s);
	stop();
}

/* A few empty answers are not an error: the changes after them and the end come through. */
static void a_few_empty_answers_before_the_changes_are_followed_to_the_end(void)
{
	ews_sync *s;
	ews_sync_change ch;
	ews_status st;
	int n = 0;

	start();
	queue_answer("E1==", 0, "");
	queue_answer("E2==", 0, "");
	queue_answer("E3==", 0, "");
	queue_answer("END==", 1, "<t:Create><t:Message><t:ItemId Id=\"M1==\" ChangeKey=\"CK1\"/></t:Message></t:Create>");
	CU_ASSERT_EQUAL_FATAL(ews_sync_new_items(cli, "inbox", NULL, NULL, &s).code, EWS_OK);
	while (ews_ok(st = ews_sync_next(s, &ch)) && ch.kind != EWS_SYNC_DONE) {
		CU_ASSERT_EQUAL(ch.kind, EWS_SYNC_CREATE);
		CU_ASSERT_STRING_EQUAL(ch.item.id ? ch.item.id : "", "M1==");
		n++;
	}
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_STRING_EQUAL(ews_sync_state(s), "END==");
	CU_ASSERT_EQUAL(ews_test_http_request_count(srv), 4);
	ews_sync_free(s);
	stop();
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "more to come with no change and the same state is no progress",
		  more_to_come_with_no_change_and_the_same_state_is_no_progress },
		{ "more to come with no change and a new state each time ends as no progress",
		  more_to_come_with_no_change_and_a_new_state_each_time_ends_as_no_progress },
		{ "a few empty answers before the changes are followed to the end",
		  a_few_empty_answers_before_the_changes_are_followed_to_the_end },
		{ NULL, NULL }
	};
	return ews_test_run("sync_no_progress", cases);
}
