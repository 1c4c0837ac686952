/* test_recurrence_walk.c — ews_recurrence_occurrences and the tools' recurrence options against a running ewsd:
 * a series made by ews-create-item --recur in Berlin time walked in a window across the March 2026 change (the
 * dates asserted), a deleted occurrence skipped, several batches giving the same answer, the errors (a single
 * item, a bad window, the walk limit), ews-find-items --occurrences, and ews-create-item refusing bad options. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ews/client.h"
#include "ews/recurrence.h"
#include "ews_schema_members.h"
#include "ews_test.h"
#include "ews_test_cli.h"
#include "ewsd_harness.h"

#define ME "walk@example.com"
static struct ewsd_proc srv;
static ews_client *client;
static char tmpdir[] = "/tmp/ews-recur-walk.XXXXXX";
/* The series is made in Berlin's time zone (--tz: a calendar item's StartTimeZone, Exchange 2010 and later): with
 * bindings from an older set (Exchange2007_SP1) ews-create-item refuses --tz, saying so (checked), and the walks
 * over the series are skipped, saying so. */
#define HAVE_START_TZ EWS_TEST_DEFINED(EWS_HAS_ewstype__CalendarItemType_StartTimeZone)
#define START_TZ "member StartTimeZone of CalendarItemType"

static struct ews_test_cli_run run;
static char env[512];
static char *series_id;     /* weekly Monday and Wednesday, 6 from 2026-03-23 09:00 Berlin */
static char *single_id;

/* ews-create-item with env and arguments; the new id or NULL. */
static char *tool_create(const char *args)
{
	ews_test_cli_run(&run, tmpdir, "%s ews-create-item --type calendar --json %s", env, args);
	if (run.status)
		fprintf(stderr, "\n  ews-create-item %s: exit %d: %s\n", args, run.status, run.err);
	return ews_test_json_field(run.out, "created", 0, "id");
}

static void make_items(void)
{
	if (series_id)
		return;
	series_id = tool_create("--subject Standup --tz 'W. Europe Standard Time' --start 2026-03-23T09:00:00+01:00 "
				"--end 2026-03-23T09:15:00+01:00 --recur weekly:MO,WE --count 6");
	single_id = tool_create("--subject Once --start 2026-03-24T12:00:00Z --end 2026-03-24T13:00:00Z");
}

static void starts_are(const ews_occurrence *o, size_t n, const int *index, const char *const *start, size_t want)
{
	CU_ASSERT_EQUAL(n, want);
	for (size_t i = 0; i < n && i < want; i++) {
		CU_ASSERT_EQUAL(o[i].index, index[i]);
		CU_ASSERT_STRING_EQUAL(o[i].start ? o[i].start : "", start[i]);
		CU_ASSERT_PTR_NOT_NULL(o[i].item_id);
		CU_ASSERT_STRING_EQUAL(o[i].subject ? o[i].subject : "", "Standup");
	}
}

static void the_walk_gives_the_occurrences_in_the_window_across_the_change(void)
{
	if (!ews_test_needs(HAVE_START_TZ, START_TZ, "the walk across the change"))
		return;
	make_items();
	CU_ASSERT_PTR_NOT_NULL_FATAL(series_id);
	ews_occurrence *o = NULL;
	size_t n = 0;
	/* Berlin's clocks go forward on 2026-03-29: 09:00 is 08:00Z before, 07:00Z after */
	ews_status st = ews_recurrence_occurrences(client, series_id, "2026-03-24T00:00:00Z", "2026-04-02T00:00:00Z",
						   NULL, &o, &n);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	static const int idx[] = { 2, 3, 4 };
	static const char *const when[] = { "2026-03-25T08:00:00Z", "2026-03-30T07:00:00Z", "2026-04-01T07:00:00Z" };
	starts_are(o, n, idx, when, 3);
	CU_ASSERT_STRING_EQUAL(n ? o[0].end : "", "2026-03-25T08:15:00Z");
	ews_occurrences_free(o, n);
	/* in batches of two the walk takes several requests and answers the same */
	st = ews_recurrence_occurrences(client, series_id, "2026-03-24T00:00:00Z", "2026-04-02T00:00:00Z",
					&(ews_recurrence_options){ .batch = 2 }, &o, &n);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	starts_are(o, n, idx, when, 3);
	ews_occurrences_free(o, n);
	/* the whole series: six, the last on 2026-04-08 */
	st = ews_recurrence_occurrences(client, series_id, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", NULL, &o, &n);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL(n, 6);
	CU_ASSERT_STRING_EQUAL(n == 6 ? o[5].start : "", "2026-04-08T07:00:00Z");
	ews_occurrences_free(o, n);
}

static void a_deleted_occurrence_is_skipped(void)
{
	if (!ews_test_needs(HAVE_START_TZ, START_TZ, "a deleted occurrence is skipped"))
		return;
	make_items();
	CU_ASSERT_PTR_NOT_NULL_FATAL(series_id);
	char body[2048];
	struct http_resp r;
	snprintf(body, sizeof body, "<m:DeleteItem DeleteType=\"HardDelete\" SendMeetingCancellations=\"SendToNone\">"
		 "<m:ItemIds><t:OccurrenceItemId RecurringMasterId=\"%s\" InstanceIndex=\"3\"/></m:ItemIds></m:DeleteItem>",
		 series_id);
	CU_ASSERT_EQUAL_FATAL(ews_post(&srv, ME, "Exchange2016", NULL, body, &r), 0);
	CU_ASSERT(strstr(r.body, "NoError") != NULL);
	http_resp_free(&r);
	ews_occurrence *o = NULL;
	size_t n = 0;
	ews_status st = ews_recurrence_occurrences(client, series_id, "2026-03-24T00:00:00Z", "2026-04-02T00:00:00Z",
						   &(ews_recurrence_options){ .batch = 3 }, &o, &n);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	static const int idx[] = { 2, 4 };
	static const char *const when[] = { "2026-03-25T08:00:00Z", "2026-04-01T07:00:00Z" };
	starts_are(o, n, idx, when, 2);
	ews_occurrences_free(o, n);
}

static void the_walk_reports_errors_as_values(void)
{
	if (!ews_test_needs(HAVE_START_TZ, START_TZ, "the walk reports errors"))
		return;
	make_items();
	CU_ASSERT_PTR_NOT_NULL_FATAL(single_id);
	ews_occurrence *o = (ews_occurrence *)1;
	size_t n = 7;
	ews_status st = ews_recurrence_occurrences(client, single_id, "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z",
						   NULL, &o, &n);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_RESPONSE);
	CU_ASSERT_STRING_EQUAL(st.response_code, "ErrorCalendarCannotUseIdForOccurrenceId");
	CU_ASSERT_PTR_NULL(o);
	CU_ASSERT_EQUAL(n, 0);
	st = ews_recurrence_occurrences(client, series_id, "2026-04-01T00:00:00Z", "2026-03-01T00:00:00Z", NULL, &o, &n);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_ARGUMENT);
	st = ews_recurrence_occurrences(client, series_id, "yesterday", "2026-03-01T00:00:00Z", NULL, &o, &n);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_ARGUMENT);
	st = ews_recurrence_occurrences(client, NULL, "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", NULL, &o, &n);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_ARGUMENT);
	/* a series without end walked toward a far window stops at the limit, with what it walked */
	char *endless = tool_create("--subject Daily --start 2026-01-01T09:00:00Z --end 2026-01-01T09:30:00Z --recur daily");
	CU_ASSERT_PTR_NOT_NULL_FATAL(endless);
	st = ews_recurrence_occurrences(client, endless, "2030-01-01T00:00:00Z", "2030-01-02T00:00:00Z",
					&(ews_recurrence_options){ .batch = 10, .max_occurrences = 25 }, &o, &n);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_TOO_LARGE);
	CU_ASSERT_EQUAL(n, 0);
	ews_occurrences_free(o, n);
	/* ... and reaches it with room: 2030-01-01 is occurrence 1462 */
	st = ews_recurrence_occurrences(client, endless, "2030-01-01T00:00:00Z", "2030-01-02T00:00:00Z",
					&(ews_recurrence_options){ .batch = 256 }, &o, &n);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_EQUAL(n ? o[0].index : 0, 1462);
	CU_ASSERT_STRING_EQUAL(n ? o[0].start : "", "2030-01-01T09:00:00Z");
	ews_occurrences_free(o, n);
	free(endless);
}

static void find_items_lists_the_occurrences_of_the_recurring_items(void)
{
	if (!ews_test_needs(HAVE_START_TZ, START_TZ, "find-items lists the occurrences"))
		return;
	make_items();
	ews_test_cli_run(&run, tmpdir, "%s ews-find-items --folder calendar --json --occurrences 2026-03-24T00:00:00Z "
			 "2026-04-02T00:00:00Z", env);
	CU_ASSERT_EQUAL(run.status, 0);
	/* the series' occurrences 2 and 4 (3 was deleted); the single item has none (the daily series of another
	 * case has its own lines) */
	char *starts[4] = { 0 }, *index[4] = { 0 };
	int mine = 0, lines = ews_test_json_lines(run.out, "occurrence", 1);
	for (int i = 0; i < lines; i++) {
		char *master = ews_test_json_field(run.out, "occurrence", i, "master");
		if (master && series_id && !strcmp(master, series_id) && mine < 4) {
			starts[mine] = ews_test_json_field(run.out, "occurrence", i, "start");
			index[mine++] = ews_test_json_field(run.out, "occurrence", i, "index");
		}
		free(master);
	}
	CU_ASSERT_EQUAL(mine, 2);
	CU_ASSERT_STRING_EQUAL(starts[0] ? starts[0] : "", "2026-03-25T08:00:00Z");
	CU_ASSERT_STRING_EQUAL(index[1] ? index[1] : "", "4");
	for (int i = 0; i < 4; i++)
		free(starts[i]), free(index[i]);
}

static void create_item_refuses_bad_recurrence_options(void)
{
	static const char *const bad[] = {
		"--subject x --start 2026-01-01T09:00:00Z --end 2026-01-01T10:00:00Z --recur weekly:XX",
		"--subject x --start 2026-01-01T09:00:00Z --end 2026-01-01T10:00:00Z --recur monthly:32",
		"--subject x --start 2026-01-01T09:00:00Z --end 2026-01-01T10:00:00Z --count 3",
		"--subject x --start 2026-01-01T09:00:00Z --end 2026-01-01T10:00:00Z --recur daily --count 3 --until 2026-02-01",
		"--subject x --recur daily",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ews_test_cli_run(&run, tmpdir, "%s ews-create-item --type calendar %s", env, bad[i]);
		CU_ASSERT_EQUAL(run.status, 2);
		CU_ASSERT(strstr(run.err, "ews-create-item: ") != NULL);
	}
	/* every pattern the help names is accepted and stored */
	static const char *const good[] = { "daily/2", "weekly:MO,WE/2", "monthly:15", "monthly:2TU", "monthly:lastFR",
					    "yearly:03-15", "yearly:4TH-11", "monthly:1WD" };
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		char args[256];
		snprintf(args, sizeof args, "--subject p%zu --start 2026-01-01T09:00:00Z --end 2026-01-01T10:00:00Z "
			 "--recur %s --count 3", i, good[i]);
		char *id = tool_create(args);
		CU_ASSERT_PTR_NOT_NULL(id);
		free(id);
	}
}

#ifndef EWS_HAS_ewstype__CalendarItemType_StartTimeZone
static void create_item_says_the_bindings_have_no_start_time_zone(void)
{
	CU_ASSERT_PTR_NULL(tool_create("--subject Zoned --tz 'W. Europe Standard Time' --start 2026-03-23T09:00:00+01:00 "
				       "--end 2026-03-23T09:15:00+01:00"));
	CU_ASSERT_EQUAL(run.status, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "has no CalendarItem StartTimeZone"));   /* --json: on stdout */
}
#endif

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "the walk gives the occurrences in the window across the change",
		  the_walk_gives_the_occurrences_in_the_window_across_the_change },
		{ "a deleted occurrence is skipped", a_deleted_occurrence_is_skipped },
		{ "the walk reports errors as values", the_walk_reports_errors_as_values },
		{ "find-items lists the occurrences of the recurring items",
		  find_items_lists_the_occurrences_of_the_recurring_items },
		{ "create-item refuses bad recurrence options", create_item_refuses_bad_recurrence_options },
#ifndef EWS_HAS_ewstype__CalendarItemType_StartTimeZone
		{ "create-item says the bindings have no StartTimeZone", create_item_says_the_bindings_have_no_start_time_zone },
#endif
		{ NULL, NULL }
	};
	ews_options opt;
	ews_options_init(&opt);
	if (!mkdtemp(tmpdir) || ewsd_start(&srv, NULL, NULL) || !ews_ok(ews_client_new(srv.url, &opt, &client)) ||
	    !ews_ok(ews_client_set_basic_auth(client, ME, "x"))) {
		fprintf(stderr, "cannot start ewsd or the client\n");
		return 1;
	}
	snprintf(env, sizeof env, "EWS_URL=%s EWS_USER=%s EWS_PASSWORD=x", srv.url, ME);
	int rc = ews_test_run("recurrence walk", cases);
	ews_test_cli_run_free(&run);
	free(series_id), free(single_id);
	ews_client_free(client);
	ewsd_stop(&srv, 0);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	return rc;
}
