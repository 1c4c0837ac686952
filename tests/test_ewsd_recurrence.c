/* test_ewsd_recurrence.c — recurring calendar items against a running ewsd: the reference page's weekly series
 * (created in Pacific time through TimeZoneContext, compared value for value with the page's GetItem answer,
 * across the March 2014 daylight-saving change), every pattern's occurrence dates, a European series across both
 * of 2026's changes, CalendarView expansion with an exception and a deletion, GetItem/UpdateItem/DeleteItem by
 * OccurrenceItemId, RecurringMasterItemId and an occurrence's own id, UpdateItem of the pattern, and the error
 * codes. Each case works in a mailbox of its own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;
static const char *me = "recur@example.com";

static char *post_h(const char *header, const char *body)
{
	struct http_resp r;
	if (ews_post(&srv, me, "Exchange2016", header, body, &r)) {
		http_resp_free(&r);
		return NULL;
	}
	free(r.headers);
	return r.body;
}

static char *post(const char *body)
{
	return post_h(NULL, body);
}



/* CreateItem of a CalendarItem (inner XML) with an optional SOAP header; the new id (malloc'd) or NULL, and the
 * ResponseCode must be `want`. */
static char *create(const char *header, const char *inner, const char *want)
{
	size_t n = strlen(inner) + 256;
	char *body = malloc(n);
	snprintf(body, n, "<m:CreateItem SendMeetingInvitations=\"SendToNone\"><m:Items><t:CalendarItem>%s"
		 "</t:CalendarItem></m:Items></m:CreateItem>", inner);
	char *r = post_h(header, body), *id = NULL;
	ewsd_code_is(r, 0, want);
	if (r && !strcmp(want, "NoError"))
		id = xml_attr(r, "ItemId", "Id", 0);
	free(body), free(r);
	return id;
}

static char *series(const char *start, const char *end, const char *recurrence)
{
	char inner[2048];
	snprintf(inner, sizeof inner, "<t:Subject>Series</t:Subject><t:Start>%s</t:Start><t:End>%s</t:End>"
		 "<t:Location>Room 1</t:Location><t:Recurrence>%s</t:Recurrence>", start, end, recurrence);
	return create(NULL, inner, "NoError");
}

#define SHAPE "<m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties>" \
	"<t:FieldURI FieldURI=\"item:Subject\"/><t:FieldURI FieldURI=\"calendar:Start\"/>" \
	"<t:FieldURI FieldURI=\"calendar:End\"/><t:FieldURI FieldURI=\"calendar:CalendarItemType\"/>" \
	"</t:AdditionalProperties></m:ItemShape>"

/* GetItem of occurrences first..last of master `id` in one request. */
static char *occurrences(const char *id, int first, int last)
{
	size_t n = strlen(id) * (size_t)(last - first + 1) + 1024;
	char *body = malloc(n), *p = body;
	p += sprintf(p, "<m:GetItem>" SHAPE "<m:ItemIds>");
	for (int i = first; i <= last; i++)
		p += sprintf(p, "<t:OccurrenceItemId RecurringMasterId=\"%s\" InstanceIndex=\"%d\"/>", id, i);
	sprintf(p, "</m:ItemIds></m:GetItem>");
	char *r = post(body);
	free(body);
	return r;
}

/* The occurrences' starts, compared with want[] (NULL-terminated). */
static void starts_are(const char *id, const char *const *want)
{
	int n = 0;
	while (want[n])
		n++;
	char *r = occurrences(id, 1, n);
	for (int i = 0; i < n; i++) {
		ewsd_code_is(r, i, "NoError");
		ewsd_text_is(r, "Start", i, want[i]);
	}
	free(r);
}

static char *master_props(const char *id)
{
	char body[2048];
	snprintf(body, sizeof body, "<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties>"
		 "<t:FieldURI FieldURI=\"item:Subject\"/><t:FieldURI FieldURI=\"calendar:CalendarItemType\"/>"
		 "<t:FieldURI FieldURI=\"calendar:Recurrence\"/><t:FieldURI FieldURI=\"calendar:FirstOccurrence\"/>"
		 "<t:FieldURI FieldURI=\"calendar:LastOccurrence\"/><t:FieldURI FieldURI=\"calendar:ModifiedOccurrences\"/>"
		 "<t:FieldURI FieldURI=\"calendar:DeletedOccurrences\"/></t:AdditionalProperties></m:ItemShape>"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", id);
	return post(body);
}

static char *calendar_view(const char *from, const char *to)
{
	char body[1024];
	snprintf(body, sizeof body, "<m:FindItem Traversal=\"Shallow\">" SHAPE "<m:CalendarView StartDate=\"%s\" "
		 "EndDate=\"%s\"/><m:ParentFolderIds><t:DistinguishedFolderId Id=\"calendar\"/></m:ParentFolderIds>"
		 "</m:FindItem>", from, to);
	return post(body);
}

/* The first element `elem` of the file's text, or NULL (malloc'd). */
static char *corpus_text(const char *file, const char *scope, int nth, const char *elem)
{
	FILE *f = fopen(ews_test_shared_path(file), "rb");
	if (!f)
		return NULL;
	char *buf = calloc(1, 1 << 16);
	size_t n = fread(buf, 1, (1 << 16) - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *part = scope ? xml_element(buf, scope, nth) : NULL;
	char *v = xml_text(part ? part : buf, elem, 0);
	free(part), free(buf);
	return v;
}

#define PAGE "ews-corpus/docs/how-to-create-a-recurring-series-by-using-ews-in-exchange/"

static const char pacific[] =
	"<t:TimeZoneContext><t:TimeZoneDefinition Id=\"Pacific Standard Time\"/></t:TimeZoneContext>";

static void the_reference_page_s_series_matches_its_getitem_answer(void)
{
	me = "page@example.com";
	/* the page's CreateItem: Saturdays from 2014-03-08 13:21:32.868 Pacific, ten of them */
	char *id = create(pacific,
			  "<t:Subject>Weekly Update Meeting</t:Subject><t:Start>2014-03-08T13:21:32.868-08:00</t:Start>"
			  "<t:End>2014-03-08T14:21:32.868-08:00</t:End><t:Location>Contoso Main Gallery</t:Location>"
			  "<t:Recurrence><t:WeeklyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Saturday</t:DaysOfWeek>"
			  "</t:WeeklyRecurrence><t:NumberedRecurrence><t:StartDate>2014-03-08-08:00</t:StartDate>"
			  "<t:NumberOfOccurrences>10</t:NumberOfOccurrences></t:NumberedRecurrence></t:Recurrence>",
			  "NoError");
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char *r = master_props(id);
	ewsd_code_is(r, 0, "NoError");
	ewsd_text_is(r, "CalendarItemType", 0, "RecurringMaster");
	ewsd_text_is(r, "DaysOfWeek", 0, "Saturday");
	ewsd_text_is(r, "StartDate", 0, "2014-03-08-08:00");
	ewsd_text_is(r, "NumberOfOccurrences", 0, "10");
	/* the first occurrence in standard time, the last in daylight time: an hour earlier in UTC */
	static const char *const fields[] = { "Start", "End", "OriginalStart" };
	for (int scope = 0; scope < 2; scope++) {
		const char *el = scope ? "LastOccurrence" : "FirstOccurrence";
		char *mine = r ? xml_element(r, el, 0) : NULL;
		CU_ASSERT_PTR_NOT_NULL(mine);
		for (size_t k = 0; k < 3; k++) {
			char *page = corpus_text(PAGE "04-response.xml", el, 0, fields[k]);
			if (!page)      /* without the shared corpus: the page's values */
				page = strdup(scope ? (k == 1 ? "2014-05-10T21:21:00Z" : "2014-05-10T20:21:00Z")
						    : (k == 1 ? "2014-03-08T22:21:00Z" : "2014-03-08T21:21:00Z"));
			ewsd_text_is(mine, fields[k], 0, page);
			free(page);
		}
		free(mine);
	}
	CU_ASSERT_EQUAL(r ? xml_count(r, "ModifiedOccurrences") : -1, 0);
	CU_ASSERT_EQUAL(r ? xml_count(r, "DeletedOccurrences") : -1, 0);
	free(r);
	/* the page's access example: the first occurrence by index */
	r = occurrences(id, 1, 1);
	ewsd_code_is(r, 0, "NoError");
	ewsd_text_is(r, "CalendarItemType", 0, "Occurrence");
	ewsd_text_is(r, "Start", 0, "2014-03-08T21:21:00Z");
	free(r);
	free(id);
}

static void a_european_series_keeps_its_wall_clock_time_across_both_changes(void)
{
	me = "berlin@example.com";
	/* 09:00 in Berlin every day from Friday 2026-0327: summer time starts Sunday 03-29, ends Sunday 10-25 */
	char *id = create("<t:TimeZoneContext><t:TimeZoneDefinition Id=\"W. Europe Standard Time\"/></t:TimeZoneContext>",
			  "<t:Subject>Standup</t:Subject><t:Start>2026-03-27T09:00:00+01:00</t:Start>"
			  "<t:End>2026-03-27T09:15:00+01:00</t:End><t:Recurrence><t:DailyRecurrence><t:Interval>1"
			  "</t:Interval></t:DailyRecurrence><t:EndDateRecurrence><t:StartDate>2026-03-27</t:StartDate>"
			  "<t:EndDate>2026-10-27</t:EndDate></t:EndDateRecurrence></t:Recurrence>", "NoError");
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	static const char *const march[] = { "2026-03-27T08:00:00Z", "2026-03-28T08:00:00Z", "2026-03-29T07:00:00Z",
					     "2026-03-30T07:00:00Z", NULL };
	starts_are(id, march);
	/* occurrences 212..215 are 2026-10-24 .. 10-27 */
	char *r = occurrences(id, 212, 215);
	ewsd_text_is(r, "Start", 0, "2026-10-24T07:00:00Z");
	ewsd_text_is(r, "Start", 1, "2026-10-25T08:00:00Z");
	ewsd_text_is(r, "End", 1, "2026-10-25T08:15:00Z");
	ewsd_text_is(r, "Start", 3, "2026-10-27T08:00:00Z");
	free(r);
	r = occurrences(id, 216, 216);          /* the range ends on 10-27 */
	ewsd_code_is(r, 0, "ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange");
	free(r);
	r = master_props(id);
	ewsd_text_is(r, "Start", 1, "2026-10-27T08:00:00Z");      /* LastOccurrence (after FirstOccurrence) */
	free(r);
	free(id);
}

static void every_pattern_gives_its_occurrence_dates(void)
{
	me = "patterns@example.com";
	struct {
		const char *recurrence;
		const char *starts[5];
	} cases[] = {
		{ "<t:DailyRecurrence><t:Interval>2</t:Interval></t:DailyRecurrence><t:NumberedRecurrence><t:StartDate>"
		  "2026-01-01</t:StartDate><t:NumberOfOccurrences>3</t:NumberOfOccurrences></t:NumberedRecurrence>",
		  { "2026-01-01T10:00:00Z", "2026-01-03T10:00:00Z", "2026-01-05T10:00:00Z" } },
		/* every other week, Mondays and Wednesdays, weeks starting on Sunday */
		{ "<t:WeeklyRecurrence><t:Interval>2</t:Interval><t:DaysOfWeek>Monday Wednesday</t:DaysOfWeek>"
		  "</t:WeeklyRecurrence><t:EndDateRecurrence><t:StartDate>2026-01-05</t:StartDate><t:EndDate>2026-01-31"
		  "</t:EndDate></t:EndDateRecurrence>",
		  { "2026-01-05T10:00:00Z", "2026-01-07T10:00:00Z", "2026-01-19T10:00:00Z", "2026-01-21T10:00:00Z" } },
		/* day 31: the last day of shorter months */
		{ "<t:AbsoluteMonthlyRecurrence><t:Interval>1</t:Interval><t:DayOfMonth>31</t:DayOfMonth>"
		  "</t:AbsoluteMonthlyRecurrence><t:NumberedRecurrence><t:StartDate>2026-01-01</t:StartDate>"
		  "<t:NumberOfOccurrences>4</t:NumberOfOccurrences></t:NumberedRecurrence>",
		  { "2026-01-31T10:00:00Z", "2026-02-28T10:00:00Z", "2026-03-31T10:00:00Z", "2026-04-30T10:00:00Z" } },
		{ "<t:RelativeMonthlyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Tuesday</t:DaysOfWeek>"
		  "<t:DayOfWeekIndex>Second</t:DayOfWeekIndex></t:RelativeMonthlyRecurrence><t:NumberedRecurrence>"
		  "<t:StartDate>2026-01-01</t:StartDate><t:NumberOfOccurrences>3</t:NumberOfOccurrences></t:NumberedRecurrence>",
		  { "2026-01-13T10:00:00Z", "2026-02-10T10:00:00Z", "2026-03-10T10:00:00Z" } },
		{ "<t:RelativeMonthlyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Weekday</t:DaysOfWeek>"
		  "<t:DayOfWeekIndex>Last</t:DayOfWeekIndex></t:RelativeMonthlyRecurrence><t:NumberedRecurrence>"
		  "<t:StartDate>2026-01-01</t:StartDate><t:NumberOfOccurrences>3</t:NumberOfOccurrences></t:NumberedRecurrence>",
		  { "2026-01-30T10:00:00Z", "2026-02-27T10:00:00Z", "2026-03-31T10:00:00Z" } },
		{ "<t:AbsoluteYearlyRecurrence><t:DayOfMonth>15</t:DayOfMonth><t:Month>March</t:Month>"
		  "</t:AbsoluteYearlyRecurrence><t:NumberedRecurrence><t:StartDate>2026-01-01</t:StartDate>"
		  "<t:NumberOfOccurrences>3</t:NumberOfOccurrences></t:NumberedRecurrence>",
		  { "2026-03-15T10:00:00Z", "2027-03-15T10:00:00Z", "2028-03-15T10:00:00Z" } },
		/* the fourth Thursday of November */
		{ "<t:RelativeYearlyRecurrence><t:DaysOfWeek>Thursday</t:DaysOfWeek><t:DayOfWeekIndex>Fourth"
		  "</t:DayOfWeekIndex><t:Month>November</t:Month></t:RelativeYearlyRecurrence><t:NoEndRecurrence>"
		  "<t:StartDate>2026-01-01</t:StartDate></t:NoEndRecurrence>",
		  { "2026-11-26T10:00:00Z", "2027-11-25T10:00:00Z", "2028-11-23T10:00:00Z" } },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *id = series("2026-01-01T10:00:00Z", "2026-01-01T11:00:00Z", cases[i].recurrence);
		CU_ASSERT_PTR_NOT_NULL(id);
		if (!id)
			continue;
		starts_are(id, cases[i].starts);
		/* the master moved to its first occurrence; a numbered or dated range has a last one, NoEnd none */
		char *r = master_props(id);
		ewsd_text_is(r, "Start", 0, cases[i].starts[0]);
		CU_ASSERT_EQUAL(r ? xml_count(r, "LastOccurrence") : -1, strstr(cases[i].recurrence, "NoEnd") ? 0 : 1);
		free(r);
		free(id);
	}
}

static void a_calendar_view_expands_a_series_with_an_exception_and_a_deletion(void)
{
	me = "view@example.com";
	char *id = series("2026-06-01T09:00:00Z", "2026-06-01T10:00:00Z",
			  "<t:WeeklyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Monday</t:DaysOfWeek>"
			  "</t:WeeklyRecurrence><t:NoEndRecurrence><t:StartDate>2026-06-01</t:StartDate></t:NoEndRecurrence>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char *single = create(NULL, "<t:Subject>Lunch</t:Subject><t:Start>2026-06-09T12:00:00Z</t:Start>"
			      "<t:End>2026-06-09T13:00:00Z</t:End>", "NoError");
	/* the second Monday moves to Tuesday afternoon with a new subject; the third is deleted */
	char body[4096];
	snprintf(body, sizeof body, "<m:UpdateItem ConflictResolution=\"AlwaysOverwrite\" "
		 "SendMeetingInvitationsOrCancellations=\"SendToNone\"><m:ItemChanges><t:ItemChange><t:OccurrenceItemId "
		 "RecurringMasterId=\"%s\" InstanceIndex=\"2\"/><t:Updates><t:SetItemField><t:FieldURI FieldURI=\"item:Subject\"/>"
		 "<t:CalendarItem><t:Subject>Moved</t:Subject></t:CalendarItem></t:SetItemField><t:SetItemField><t:FieldURI "
		 "FieldURI=\"calendar:Start\"/><t:CalendarItem><t:Start>2026-06-09T15:00:00Z</t:Start></t:CalendarItem>"
		 "</t:SetItemField><t:SetItemField><t:FieldURI FieldURI=\"calendar:End\"/><t:CalendarItem><t:End>"
		 "2026-06-09T16:30:00Z</t:End></t:CalendarItem></t:SetItemField></t:Updates></t:ItemChange></m:ItemChanges>"
		 "</m:UpdateItem>", id);
	char *r = post(body);
	ewsd_code_is(r, 0, "NoError");
	char *exception_id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(r);
	snprintf(body, sizeof body, "<m:DeleteItem DeleteType=\"MoveToDeletedItems\" SendMeetingCancellations=\"SendToNone\">"
		 "<m:ItemIds><t:OccurrenceItemId RecurringMasterId=\"%s\" InstanceIndex=\"3\"/></m:ItemIds></m:DeleteItem>", id);
	r = post(body);
	ewsd_code_is(r, 0, "NoError");
	free(r);

	/* June 2026: Mondays 1, (8 moved to the 9th), (15 deleted), 22, 29; the single lunch on the 9th */
	r = calendar_view("2026-06-01T00:00:00Z", "2026-07-01T00:00:00Z");
	ewsd_code_is(r, 0, "NoError");
	char *total = r ? xml_attr(r, "RootFolder", "TotalItemsInView", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(total ? total : "", "5");
	static const char *const starts[] = { "2026-06-01T09:00:00Z", "2026-06-09T12:00:00Z", "2026-06-09T15:00:00Z",
					      "2026-06-22T09:00:00Z", "2026-06-29T09:00:00Z" };
	static const char *const types[] = { "Occurrence", "Single", "Exception", "Occurrence", "Occurrence" };
	static const char *const subjects[] = { "Series", "Lunch", "Moved", "Series", "Series" };
	for (int i = 0; i < 5; i++) {
		ewsd_text_is(r, "Start", i, starts[i]);
		ewsd_text_is(r, "CalendarItemType", i, types[i]);
		ewsd_text_is(r, "Subject", i, subjects[i]);
	}
	ewsd_text_is(r, "End", 2, "2026-06-09T16:30:00Z");
	/* the exception's id in the view is the one UpdateItem answered */
	char *view_exception_id = r ? xml_attr(r, "ItemId", "Id", 2) : NULL;
	CU_ASSERT_STRING_EQUAL(view_exception_id ? view_exception_id : "", exception_id ? exception_id : "-");
	char *occ_id = r ? xml_attr(r, "ItemId", "Id", 3) : NULL;
	free(r), free(total), free(view_exception_id);

	/* the master lists both */
	r = master_props(id);
	char *mod = r ? xml_element(r, "ModifiedOccurrences", 0) : NULL;
	ewsd_text_is(mod, "Start", 0, "2026-06-09T15:00:00Z");
	ewsd_text_is(mod, "End", 0, "2026-06-09T16:30:00Z");
	ewsd_text_is(mod, "OriginalStart", 0, "2026-06-08T09:00:00Z");
	char *del = r ? xml_element(r, "DeletedOccurrences", 0) : NULL;
	ewsd_text_is(del, "Start", 0, "2026-06-15T09:00:00Z");
	CU_ASSERT_EQUAL(del ? xml_count(del, "DeletedOccurrence") : -1, 1);
	free(mod), free(del), free(r);

	/* an occurrence's own id: GetItem answers it; RecurringMasterItemId of it names the master */
	snprintf(body, sizeof body, "<m:GetItem>" SHAPE "<m:ItemIds><t:ItemId Id=\"%s\"/><t:RecurringMasterItemId "
		 "OccurrenceId=\"%s\"/></m:ItemIds></m:GetItem>", occ_id ? occ_id : "x", occ_id ? occ_id : "x");
	r = post(body);
	ewsd_code_is(r, 0, "NoError");
	ewsd_code_is(r, 1, "NoError");
	ewsd_text_is(r, "Start", 0, "2026-06-22T09:00:00Z");
	ewsd_text_is(r, "CalendarItemType", 0, "Occurrence");
	ewsd_text_is(r, "CalendarItemType", 1, "RecurringMaster");
	char *master = r ? xml_attr(r, "ItemId", "Id", 1) : NULL;
	CU_ASSERT_STRING_EQUAL(master ? master : "", id);
	free(master), free(r);
	/* deleting the occurrence by its own id; the view then has four */
	snprintf(body, sizeof body, "<m:DeleteItem DeleteType=\"HardDelete\" SendMeetingCancellations=\"SendToNone\">"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:DeleteItem>", occ_id ? occ_id : "x");
	r = post(body);
	ewsd_code_is(r, 0, "NoError");
	free(r);
	r = calendar_view("2026-06-01T00:00:00Z", "2026-07-01T00:00:00Z");
	total = r ? xml_attr(r, "RootFolder", "TotalItemsInView", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(total ? total : "", "4");
	free(total), free(r);
	/* its id no longer names anything */
	snprintf(body, sizeof body, "<m:GetItem>" SHAPE "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>",
		 occ_id ? occ_id : "x");
	r = post(body);
	ewsd_code_is(r, 0, "ErrorItemNotFound");
	free(r);
	free(occ_id), free(exception_id), free(single), free(id);
}

static void the_pattern_can_be_set_and_removed_by_updateitem(void)
{
	me = "update@example.com";
	char *id = create(NULL, "<t:Subject>Once</t:Subject><t:Start>2026-02-02T08:00:00Z</t:Start>"
			  "<t:End>2026-02-02T08:30:00Z</t:End>", "NoError");
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char body[4096];
	snprintf(body, sizeof body, "<m:UpdateItem ConflictResolution=\"AlwaysOverwrite\" "
		 "SendMeetingInvitationsOrCancellations=\"SendToNone\"><m:ItemChanges><t:ItemChange><t:ItemId Id=\"%s\"/>"
		 "<t:Updates><t:SetItemField><t:FieldURI FieldURI=\"calendar:Recurrence\"/><t:CalendarItem><t:Recurrence>"
		 "<t:WeeklyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Tuesday</t:DaysOfWeek></t:WeeklyRecurrence>"
		 "<t:NumberedRecurrence><t:StartDate>2026-02-02</t:StartDate><t:NumberOfOccurrences>2</t:NumberOfOccurrences>"
		 "</t:NumberedRecurrence></t:Recurrence></t:CalendarItem></t:SetItemField></t:Updates></t:ItemChange>"
		 "</m:ItemChanges></m:UpdateItem>", id);
	char *r = post(body);
	ewsd_code_is(r, 0, "NoError");
	free(r);
	static const char *const tuesdays[] = { "2026-02-03T08:00:00Z", "2026-02-10T08:00:00Z", NULL };
	starts_are(id, tuesdays);
	snprintf(body, sizeof body, "<m:UpdateItem ConflictResolution=\"AlwaysOverwrite\" "
		 "SendMeetingInvitationsOrCancellations=\"SendToNone\"><m:ItemChanges><t:ItemChange><t:ItemId Id=\"%s\"/>"
		 "<t:Updates><t:DeleteItemField><t:FieldURI FieldURI=\"calendar:Recurrence\"/></t:DeleteItemField>"
		 "</t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>", id);
	r = post(body);
	ewsd_code_is(r, 0, "NoError");
	free(r);
	r = master_props(id);
	ewsd_text_is(r, "CalendarItemType", 0, "Single");
	CU_ASSERT_EQUAL(r ? xml_count(r, "Recurrence") : -1, 0);
	free(r);
	free(id);
}

static void bad_patterns_and_bad_occurrence_references_get_exchange_s_codes(void)
{
	me = "errors@example.com";
	static const struct {
		const char *recurrence, *code;
	} bad[] = {
		{ "<t:DailyRecurrence><t:Interval>0</t:Interval></t:DailyRecurrence><t:NoEndRecurrence><t:StartDate>"
		  "2026-01-01</t:StartDate></t:NoEndRecurrence>", "ErrorCalendarInvalidRecurrence" },
		{ "<t:WeeklyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Weekday</t:DaysOfWeek></t:WeeklyRecurrence>"
		  "<t:NoEndRecurrence><t:StartDate>2026-01-01</t:StartDate></t:NoEndRecurrence>",
		  "ErrorCalendarInvalidDayForWeeklyRecurrence" },
		{ "<t:AbsoluteMonthlyRecurrence><t:Interval>1</t:Interval><t:DayOfMonth>32</t:DayOfMonth>"
		  "</t:AbsoluteMonthlyRecurrence><t:NoEndRecurrence><t:StartDate>2026-01-01</t:StartDate></t:NoEndRecurrence>",
		  "ErrorCalendarInvalidRecurrence" },
		{ "<t:DailyRecurrence><t:Interval>1</t:Interval></t:DailyRecurrence><t:NumberedRecurrence><t:StartDate>"
		  "2026-01-01</t:StartDate><t:NumberOfOccurrences>0</t:NumberOfOccurrences></t:NumberedRecurrence>",
		  "ErrorCalendarInvalidRecurrence" },
		{ "<t:DailyRecurrence><t:Interval>1</t:Interval></t:DailyRecurrence><t:EndDateRecurrence><t:StartDate>"
		  "2026-02-01</t:StartDate><t:EndDate>2026-01-01</t:EndDate></t:EndDateRecurrence>",
		  "ErrorRecurrenceHasNoOccurrence" },
		/* the fifth of... no: February 30 never comes */
		{ "<t:AbsoluteYearlyRecurrence><t:DayOfMonth>30</t:DayOfMonth><t:Month>February</t:Month>"
		  "</t:AbsoluteYearlyRecurrence><t:NoEndRecurrence><t:StartDate>2026-01-01</t:StartDate></t:NoEndRecurrence>",
		  "ErrorCalendarInvalidRecurrence" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char inner[2048];
		snprintf(inner, sizeof inner, "<t:Subject>Bad</t:Subject><t:Start>2026-01-01T10:00:00Z</t:Start>"
			 "<t:End>2026-01-01T11:00:00Z</t:End><t:Recurrence>%s</t:Recurrence>", bad[i].recurrence);
		free(create(NULL, inner, bad[i].code));
	}
	/* nothing was stored by the refused requests */
	char *r = calendar_view("2025-12-01T00:00:00Z", "2026-03-01T00:00:00Z");
	char *total = r ? xml_attr(r, "RootFolder", "TotalItemsInView", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(total ? total : "", "0");
	free(total), free(r);

	char *id = series("2026-01-01T10:00:00Z", "2026-01-01T11:00:00Z",
			  "<t:DailyRecurrence><t:Interval>1</t:Interval></t:DailyRecurrence><t:NumberedRecurrence>"
			  "<t:StartDate>2026-01-01</t:StartDate><t:NumberOfOccurrences>5</t:NumberOfOccurrences>"
			  "</t:NumberedRecurrence>");
	char *single = create(NULL, "<t:Subject>One</t:Subject><t:Start>2026-01-01T10:00:00Z</t:Start>"
			      "<t:End>2026-01-01T11:00:00Z</t:End>", "NoError");
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(single);
	r = occurrences(id, 0, 6);
	ewsd_code_is(r, 0, "ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange");
	ewsd_code_is(r, 5, "NoError");
	ewsd_code_is(r, 6, "ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange");
	free(r);
	char body[2048];
	snprintf(body, sizeof body, "<m:DeleteItem DeleteType=\"HardDelete\" SendMeetingCancellations=\"SendToNone\">"
		 "<m:ItemIds><t:OccurrenceItemId RecurringMasterId=\"%s\" InstanceIndex=\"4\"/></m:ItemIds></m:DeleteItem>", id);
	free(post(body));
	r = occurrences(id, 4, 4);
	ewsd_code_is(r, 0, "ErrorCalendarOccurrenceIsDeletedFromRecurrence");
	free(r);
	r = occurrences(single, 1, 1);
	ewsd_code_is(r, 0, "ErrorCalendarCannotUseIdForOccurrenceId");
	free(r);
	snprintf(body, sizeof body, "<m:GetItem>" SHAPE "<m:ItemIds><t:RecurringMasterItemId OccurrenceId=\"%s\"/>"
		 "</m:ItemIds></m:GetItem>", single);
	r = post(body);
	ewsd_code_is(r, 0, "ErrorCalendarCannotUseIdForRecurringMasterId");
	free(r);
	/* occurrences stay with their series */
	r = occurrences(id, 2, 2);
	char *occ = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(r);
	snprintf(body, sizeof body, "<m:MoveItem><m:ToFolderId><t:DistinguishedFolderId Id=\"deleteditems\"/></m:ToFolderId>"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:MoveItem>", occ ? occ : "x");
	r = post(body);
	ewsd_code_is(r, 0, "ErrorCalendarCannotMoveOrCopyOccurrence");
	free(r), free(occ), free(single), free(id);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "the reference page's series matches its GetItem answer",
		  the_reference_page_s_series_matches_its_getitem_answer },
		{ "a European series keeps its wall-clock time across both changes",
		  a_european_series_keeps_its_wall_clock_time_across_both_changes },
		{ "every pattern gives its occurrence dates", every_pattern_gives_its_occurrence_dates },
		{ "a calendar view expands a series with an exception and a deletion",
		  a_calendar_view_expands_a_series_with_an_exception_and_a_deletion },
		{ "the pattern can be set and removed by UpdateItem", the_pattern_can_be_set_and_removed_by_updateitem },
		{ "bad patterns and bad occurrence references get Exchange's codes",
		  bad_patterns_and_bad_occurrence_references_get_exchange_s_codes },
		{ NULL, NULL }
	};
	if (ewsd_start(&srv, NULL, NULL)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd recurrence", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
