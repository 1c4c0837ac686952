/* test_ewsd_recurrence_exceptions.c — a modified occurrence keeps any item property, as Exchange keeps an exception
 * as a full item linked to its master: Subject, Body, Importance, Categories, Sensitivity,
 * ReminderMinutesBeforeStart, LegacyFreeBusyStatus, an extended property and a new time, on an occurrence after
 * the spring daylight-saving change of a European series; GetItem of the occurrence, CalendarView and the
 * master's ModifiedOccurrences give the changed values, the other occurrences and the master keep theirs;
 * deleting the modified occurrence removes it; what an occurrence cannot change is refused naming the field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;
static const char *me = "exceptions@example.com";

static const char europe[] =
	"<t:TimeZoneContext><t:TimeZoneDefinition Id=\"W. Europe Standard Time\"/></t:TimeZoneContext>";

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

static char *post(const char *body) { return post_h(NULL, body); }


#define COLOR "<t:ExtendedFieldURI DistinguishedPropertySetId=\"PublicStrings\" PropertyName=\"Color\" " \
	"PropertyType=\"String\"/>"
#define PROPS "<t:AdditionalProperties><t:FieldURI FieldURI=\"item:Subject\"/>" \
	"<t:FieldURI FieldURI=\"calendar:Start\"/><t:FieldURI FieldURI=\"calendar:End\"/>" \
	"<t:FieldURI FieldURI=\"calendar:CalendarItemType\"/><t:FieldURI FieldURI=\"item:Importance\"/>" \
	"<t:FieldURI FieldURI=\"item:Categories\"/><t:FieldURI FieldURI=\"item:Sensitivity\"/>" \
	"<t:FieldURI FieldURI=\"item:ReminderMinutesBeforeStart\"/>" \
	"<t:FieldURI FieldURI=\"calendar:LegacyFreeBusyStatus\"/><t:FieldURI FieldURI=\"calendar:Location\"/>" \
	COLOR "%s</t:AdditionalProperties>"

static char *get_occurrence(const char *master, int index, int with_body)
{
	char body[4096], props[2048];
	snprintf(props, sizeof props, PROPS, with_body ? "<t:FieldURI FieldURI=\"item:Body\"/>" : "");
	snprintf(body, sizeof body, "<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>%s</m:ItemShape>"
		 "<m:ItemIds><t:OccurrenceItemId RecurringMasterId=\"%s\" InstanceIndex=\"%d\"/></m:ItemIds></m:GetItem>",
		 props, master, index);
	return post(body);
}

static char *update_occurrence(const char *master, int index, const char *updates)
{
	size_t n = strlen(updates) + strlen(master) + 1024;
	char *body = malloc(n);
	snprintf(body, n, "<m:UpdateItem ConflictResolution=\"AlwaysOverwrite\" "
		 "SendMeetingInvitationsOrCancellations=\"SendToNone\"><m:ItemChanges><t:ItemChange><t:OccurrenceItemId "
		 "RecurringMasterId=\"%s\" InstanceIndex=\"%d\"/><t:Updates>%s</t:Updates></t:ItemChange></m:ItemChanges>"
		 "</m:UpdateItem>", master, index, updates);
	char *r = post(body);
	free(body);
	return r;
}

#define SET(uri, inner) "<t:SetItemField><t:FieldURI FieldURI=\"" uri "\"/><t:CalendarItem>" inner \
	"</t:CalendarItem></t:SetItemField>"

/* Weekly on Monday 09:00 Berlin time from 2026-03-16 (CET, 08:00Z); the third, 2026-03-30, is after the change
 * (CEST, 07:00Z). Returns the master's id. */
static char *european_series(void)
{
	char *r = post_h(europe, "<m:CreateItem SendMeetingInvitations=\"SendToNone\"><m:Items><t:CalendarItem>"
			 "<t:Subject>Series</t:Subject><t:Body BodyType=\"Text\">agenda</t:Body>"
			 "<t:Start>2026-03-16T08:00:00Z</t:Start><t:End>2026-03-16T09:00:00Z</t:End>"
			 "<t:Location>Room 1</t:Location><t:Recurrence><t:WeeklyRecurrence><t:Interval>1</t:Interval>"
			 "<t:DaysOfWeek>Monday</t:DaysOfWeek></t:WeeklyRecurrence><t:NoEndRecurrence>"
			 "<t:StartDate>2026-03-16</t:StartDate></t:NoEndRecurrence></t:Recurrence>"
			 "</t:CalendarItem></m:Items></m:CreateItem>");
	char *id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(r);
	return id;
}

static const char every_change[] =
	SET("item:Subject", "<t:Subject>Moved review</t:Subject>")
	SET("item:Body", "<t:Body BodyType=\"Text\">new agenda</t:Body>")
	SET("item:Importance", "<t:Importance>High</t:Importance>")
	SET("item:Categories", "<t:Categories><t:String>Red</t:String><t:String>Blue</t:String></t:Categories>")
	SET("item:Sensitivity", "<t:Sensitivity>Private</t:Sensitivity>")
	SET("item:ReminderMinutesBeforeStart", "<t:ReminderMinutesBeforeStart>30</t:ReminderMinutesBeforeStart>")
	SET("calendar:LegacyFreeBusyStatus", "<t:LegacyFreeBusyStatus>Tentative</t:LegacyFreeBusyStatus>")
	SET("calendar:Location", "<t:Location>Room 7</t:Location>")
	SET("calendar:Start", "<t:Start>2026-03-31T12:00:00Z</t:Start>")
	SET("calendar:End", "<t:End>2026-03-31T13:30:00Z</t:End>")
	"<t:SetItemField>" COLOR "<t:CalendarItem><t:ExtendedProperty>" COLOR "<t:Value>teal</t:Value>"
	"</t:ExtendedProperty></t:CalendarItem></t:SetItemField>";

/* The changed values, in a response item (nth CalendarItem's values: the elements' nth occurrences; the
 * properties only the exception has are the first and only ones of the response). */
static void changed_values_are(const char *r, int nth, int with_body)
{
	ewsd_text_is(r, "Subject", nth, "Moved review");
	ewsd_text_is(r, "Start", nth, "2026-03-31T12:00:00Z");
	ewsd_text_is(r, "End", nth, "2026-03-31T13:30:00Z");
	ewsd_text_is(r, "CalendarItemType", nth, "Exception");
	ewsd_text_is(r, "Importance", nth, "High");
	ewsd_text_is(r, "Sensitivity", nth, "Private");
	ewsd_text_is(r, "ReminderMinutesBeforeStart", 0, "30");
	ewsd_text_is(r, "LegacyFreeBusyStatus", 0, "Tentative");
	ewsd_text_is(r, "Location", nth, "Room 7");
	CU_ASSERT(r && xml_count(r, "ReminderMinutesBeforeStart") == 1 && xml_count(r, "LegacyFreeBusyStatus") == 1);
	CU_ASSERT(r && xml_count(r, "Categories") == 1 && xml_count(r, "ExtendedProperty") == 1);
	char *cats = r ? xml_element(r, "Categories", 0) : NULL;
	ewsd_text_is(cats, "String", 0, "Red");
	ewsd_text_is(cats, "String", 1, "Blue");
	free(cats);
	char *ext = r ? xml_element(r, "ExtendedProperty", 0) : NULL;
	ewsd_text_is(ext, "Value", 0, "teal");
	free(ext);
	if (with_body)
		ewsd_text_is(r, "Body", 1, "new agenda");   /* the first element named Body is the SOAP Body */
}

static void untouched_values_are(const char *r, int nth, const char *start)
{
	ewsd_text_is(r, "Subject", nth, "Series");
	ewsd_text_is(r, "Start", nth, start);
	ewsd_text_is(r, "CalendarItemType", nth, "Occurrence");
	ewsd_text_is(r, "Importance", nth, "Normal");
	ewsd_text_is(r, "Sensitivity", nth, "Normal");
	ewsd_text_is(r, "Location", nth, "Room 1");
}

static void a_modified_occurrence_keeps_every_changed_property(void)
{
	me = "exc1@example.com";
	char *id = european_series();
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char *r = update_occurrence(id, 3, every_change);
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	free(r);

	r = get_occurrence(id, 3, 1);
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	changed_values_are(r, 0, 1);
	free(r);
	/* the occurrences before and after the daylight-saving change, and the master, keep the series' values */
	r = get_occurrence(id, 2, 1);
	untouched_values_are(r, 0, "2026-03-23T08:00:00Z");
	ewsd_text_is(r, "Body", 1, "agenda");
	CU_ASSERT(r && xml_count(r, "ExtendedProperty") == 0);
	free(r);
	r = get_occurrence(id, 4, 0);
	untouched_values_are(r, 0, "2026-04-06T07:00:00Z");
	free(r);

	char body[4096], props[2048];
	snprintf(props, sizeof props, PROPS, "<t:FieldURI FieldURI=\"calendar:ModifiedOccurrences\"/>");
	snprintf(body, sizeof body, "<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>%s</m:ItemShape>"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", props, id);
	r = post(body);
	ewsd_text_is(r, "Subject", 0, "Series");
	ewsd_text_is(r, "Sensitivity", 0, "Normal");
	ewsd_text_is(r, "CalendarItemType", 0, "RecurringMaster");
	char *mod = r ? xml_element(r, "ModifiedOccurrences", 0) : NULL;
	CU_ASSERT_EQUAL(mod ? xml_count(mod, "Occurrence") : -1, 1);
	ewsd_text_is(mod, "Start", 0, "2026-03-31T12:00:00Z");
	ewsd_text_is(mod, "End", 0, "2026-03-31T13:30:00Z");
	ewsd_text_is(mod, "OriginalStart", 0, "2026-03-30T07:00:00Z");
	free(mod), free(r);

	/* CalendarView: 16, 23 March (CET), the exception on the 31st, 6 April (CEST) */
	snprintf(props, sizeof props, PROPS, "");
	snprintf(body, sizeof body, "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>%s"
		 "</m:ItemShape><m:CalendarView StartDate=\"2026-03-16T00:00:00Z\" EndDate=\"2026-04-10T00:00:00Z\"/>"
		 "<m:ParentFolderIds><t:DistinguishedFolderId Id=\"calendar\"/></m:ParentFolderIds></m:FindItem>", props);
	r = post(body);
	char *total = r ? xml_attr(r, "RootFolder", "TotalItemsInView", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(total ? total : "", "4");
	untouched_values_are(r, 0, "2026-03-16T08:00:00Z");
	untouched_values_are(r, 1, "2026-03-23T08:00:00Z");
	changed_values_are(r, 2, 0);
	untouched_values_are(r, 3, "2026-04-06T07:00:00Z");
	free(total), free(r), free(id);
}

static void deleting_a_modified_occurrence_removes_it_and_its_changes(void)
{
	me = "exc2@example.com";
	char *id = european_series();
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char *r = update_occurrence(id, 3, every_change);
	char *occ = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(occ);
	char body[4096];
	snprintf(body, sizeof body, "<m:DeleteItem DeleteType=\"HardDelete\" SendMeetingCancellations=\"SendToNone\">"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:DeleteItem>", occ);
	r = post(body);
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	free(r);
	r = get_occurrence(id, 3, 0);
	ewsd_text_is(r, "ResponseCode", 0, "ErrorCalendarOccurrenceIsDeletedFromRecurrence");
	free(r);
	snprintf(body, sizeof body, "<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties>"
		 "<t:FieldURI FieldURI=\"calendar:ModifiedOccurrences\"/><t:FieldURI FieldURI=\"calendar:DeletedOccurrences\"/>"
		 "</t:AdditionalProperties></m:ItemShape><m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", id);
	r = post(body);
	CU_ASSERT(r && xml_count(r, "ModifiedOccurrences") == 0);
	char *del = r ? xml_element(r, "DeletedOccurrences", 0) : NULL;
	ewsd_text_is(del, "Start", 0, "2026-03-30T07:00:00Z");
	free(del), free(r);
	/* the view has the other three, none with the exception's values */
	snprintf(body, sizeof body, "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
		 "<t:AdditionalProperties><t:FieldURI FieldURI=\"item:Subject\"/></t:AdditionalProperties></m:ItemShape>"
		 "<m:CalendarView StartDate=\"2026-03-16T00:00:00Z\" EndDate=\"2026-04-10T00:00:00Z\"/><m:ParentFolderIds>"
		 "<t:DistinguishedFolderId Id=\"calendar\"/></m:ParentFolderIds></m:FindItem>");
	r = post(body);
	char *total = r ? xml_attr(r, "RootFolder", "TotalItemsInView", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(total ? total : "", "3");
	CU_ASSERT(r && !strstr(r, "Moved review"));
	free(total), free(r), free(occ), free(id);
}

static void what_an_occurrence_cannot_change_is_refused_naming_the_field(void)
{
	me = "exc3@example.com";
	char *id = european_series();
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	static const struct { const char *updates, *code, *field; } cases[] = {
		{ SET("calendar:Recurrence", "<t:Recurrence><t:DailyRecurrence><t:Interval>1</t:Interval></t:DailyRecurrence>"
		      "<t:NoEndRecurrence><t:StartDate>2026-03-16</t:StartDate></t:NoEndRecurrence></t:Recurrence>"),
		  "ErrorInvalidPropertySet", "calendar:Recurrence" },
		{ SET("item:Subject", "<t:Subject>not kept</t:Subject>")
		  "<t:DeleteItemField><t:FieldURI FieldURI=\"item:Sensitivity\"/></t:DeleteItemField>",
		  "ErrorInvalidPropertyDelete", "item:Sensitivity" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *r = update_occurrence(id, 2, cases[i].updates);
		ewsd_text_is(r, "ResponseCode", 0, cases[i].code);
		char *uri = r ? xml_attr(r, "FieldURI", "FieldURI", 0) : NULL;
		CU_ASSERT_STRING_EQUAL(uri ? uri : "", cases[i].field);
		free(uri), free(r);
	}
	char *r = get_occurrence(id, 2, 0);
	untouched_values_are(r, 0, "2026-03-23T08:00:00Z");
	free(r), free(id);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "a modified occurrence keeps every changed property", a_modified_occurrence_keeps_every_changed_property },
		{ "deleting a modified occurrence removes it and its changes",
		  deleting_a_modified_occurrence_removes_it_and_its_changes },
		{ "what an occurrence cannot change is refused naming the field",
		  what_an_occurrence_cannot_change_is_refused_naming_the_field },
		{ NULL, NULL }
	};
	if (ewsd_start(&srv, NULL, NULL)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd recurring series exceptions", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
