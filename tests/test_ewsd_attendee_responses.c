/* test_ewsd_attendee_responses.c — an attendee's meeting response is recorded on the organizer's calendar item
 * (issue 19): each Attendee of RequiredAttendees / OptionalAttendees shows ResponseType Unknown until that attendee
 * sends a response, then Accept / Tentative / Decline with a LastResponseTime, a later response replacing the
 * earlier; the organizer's MyResponseType stays Organizer, the attendee's copy has NoResponseReceived, then its
 * answer. A response only saved does not reach the organizer; UpdateItem of the attendee lists keeps the responses
 * of the attendees that stay and starts a new (or re-added) one at Unknown; ExportItems/UploadItems keep them.
 * The organizer's meeting and the attendees' copies share the calendar:UID made at CreateItem (or given there), by
 * which a response finds the organizer's meeting after its subject or start changed (ewsd used to match subject
 * and start, and lost such responses); meetings without one are still matched by subject and start.
 * ewsd used to send the "Accepted: ..." message and leave the organizer's item without any response. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;
#define ORG "org@example.com"
#define ALICE "alice@example.com"
#define BOB "bob@example.com"
#define CAROL "carol@example.com"
#define ROOM "room@example.com"
#define ROOM2 "room2@example.com"

static char *post(const char *user, const char *body) { return ews_post_body(&srv, user, "Exchange2013_SP1", body); }

static char *code_of(char *r)
{
	char *code = r ? xml_text(r, "ResponseCode", 0) : NULL;
	free(r);
	return code ? code : strdup("(no answer)");
}

/* The organizer sends a meeting (SendToAllAndSaveCopy) to one required and one optional attendee; its ItemId. */
static char *send_meeting(const char *subject, const char *start, const char *required, const char *optional)
{
	char body[2048];
	snprintf(body, sizeof body, "<m:CreateItem SendMeetingInvitations=\"SendToAllAndSaveCopy\"><m:Items>"
		 "<t:CalendarItem><t:Subject>%s</t:Subject><t:Start>%s</t:Start><t:End>%s</t:End>"
		 "<t:RequiredAttendees><t:Attendee><t:Mailbox><t:Name>Required One</t:Name><t:EmailAddress>%s"
		 "</t:EmailAddress></t:Mailbox></t:Attendee></t:RequiredAttendees><t:OptionalAttendees><t:Attendee>"
		 "<t:Mailbox><t:EmailAddress>%s</t:EmailAddress></t:Mailbox></t:Attendee></t:OptionalAttendees>"
		 "</t:CalendarItem></m:Items></m:CreateItem>", subject, start, start, required, optional);
	char *r = post(ORG, body);
	char *id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(r);
	return id;
}

/* The ItemId of the item with this subject in a distinguished folder of user's, or NULL. */
static char *find_in(const char *user, const char *folder, const char *subject)
{
	char body[1024];
	snprintf(body, sizeof body, "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
		 "<t:AdditionalProperties><t:FieldURI FieldURI=\"item:Subject\"/></t:AdditionalProperties></m:ItemShape>"
		 "<m:ParentFolderIds><t:DistinguishedFolderId Id=\"%s\"/></m:ParentFolderIds></m:FindItem>", folder);
	char *r = post(user, body), *id = NULL;
	for (int i = 0; r && !id; i++) {
		char *s = xml_text(r, "Subject", i);
		if (!s)
			break;
		if (!strcmp(s, subject))
			id = xml_attr(r, "ItemId", "Id", i);
		free(s);
	}
	free(r);
	return id;
}

/* user answers the item id with a response object (AcceptItem ...) under a MessageDisposition; the ResponseCode. */
static char *respond(const char *user, const char *object, const char *id, const char *disposition)
{
	char body[1024];
	snprintf(body, sizeof body, "<m:CreateItem MessageDisposition=\"%s\"><m:Items><t:%s><t:ReferenceItemId Id=\"%s\"/>"
		 "</t:%s></m:Items></m:CreateItem>", disposition, object, id ? id : "", object);
	return code_of(post(user, body));
}

static char *get_meeting(const char *user, const char *id)
{
	char body[1024];
	snprintf(body, sizeof body, "<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties>"
		 "<t:FieldURI FieldURI=\"calendar:RequiredAttendees\"/><t:FieldURI FieldURI=\"calendar:OptionalAttendees\"/>"
		 "<t:FieldURI FieldURI=\"calendar:MyResponseType\"/><t:FieldURI FieldURI=\"calendar:Resources\"/>"
		 "</t:AdditionalProperties></m:ItemShape><m:ItemIds>"
		 "<t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", id ? id : "");
	return post(user, body);
}

/* The ResponseType of addr's Attendee in list (RequiredAttendees / OptionalAttendees) of a GetItem answer, "+time"
 * appended when it has a LastResponseTime ("Accept+time"); "(absent)" when the list does not name addr. Malloc'd. */
static char *response_in(const char *xml, const char *list, const char *addr)
{
	char *l = xml ? xml_element(xml, list, 0) : NULL, *out = NULL;
	for (int i = 0; l && !out; i++) {
		char *a = xml_element(l, "Attendee", i);
		if (!a)
			break;
		char *e = xml_text(a, "EmailAddress", 0);
		if (e && !strcmp(e, addr)) {
			char *t = xml_text(a, "ResponseType", 0), *when = xml_text(a, "LastResponseTime", 0);
			size_t n = (t ? strlen(t) : 6) + 8;
			out = malloc(n);
			snprintf(out, n, "%s%s", t ? t : "(none)", when && strlen(when) == 20 ? "+time" : "");
			free(t), free(when);
		}
		free(e), free(a);
	}
	free(l);
	return out ? out : strdup("(absent)");
}

#define ASSERT_RESPONSE(xml, list, addr, want) \
	do { \
		char *got_ = response_in((xml), (list), (addr)); \
		CU_ASSERT_STRING_EQUAL(got_, (want)); \
		free(got_); \
	} while (0)

static void assert_my_response(const char *xml, const char *want)
{
	char *m = xml ? xml_text(xml, "MyResponseType", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(m ? m : "(none)", want);
	free(m);
}

static void the_organizers_meeting_records_each_attendees_latest_response(void)
{
	char *meeting = send_meeting("review", "2026-12-14T10:00:00Z", ALICE, BOB);
	CU_ASSERT_FATAL(meeting != NULL);
	char *r = get_meeting(ORG, meeting);
	ASSERT_RESPONSE(r, "RequiredAttendees", ALICE, "Unknown");
	ASSERT_RESPONSE(r, "OptionalAttendees", BOB, "Unknown");
	char *name = r ? xml_text(r, "Name", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(name ? name : "", "Required One");
	free(name);
	assert_my_response(r, "Organizer");
	free(r);

	/* the attendee's meeting has not been answered yet */
	char *alice_cal = find_in(ALICE, "calendar", "review");
	r = get_meeting(ALICE, alice_cal);
	assert_my_response(r, "NoResponseReceived");
	free(r);

	char *req = find_in(ALICE, "inbox", "review"), *code = respond(ALICE, "AcceptItem", req, "SendAndSaveCopy");
	CU_ASSERT_STRING_EQUAL(code, "NoError");
	free(code), free(req);
	req = find_in(BOB, "inbox", "review");
	code = respond(BOB, "DeclineItem", req, "SendOnly");
	CU_ASSERT_STRING_EQUAL(code, "NoError");
	free(code), free(req);

	r = get_meeting(ORG, meeting);
	ASSERT_RESPONSE(r, "RequiredAttendees", ALICE, "Accept+time");
	ASSERT_RESPONSE(r, "OptionalAttendees", BOB, "Decline+time");
	assert_my_response(r, "Organizer");      /* the organizer's own answer is not an attendee's */
	free(r);
	free(alice_cal);
	alice_cal = find_in(ALICE, "calendar", "review");
	r = get_meeting(ALICE, alice_cal);
	assert_my_response(r, "Accept");
	free(r), free(alice_cal);

	/* bob changes his mind: the request (now in his Deleted Items) answered again replaces the decline */
	req = find_in(BOB, "deleteditems", "review");
	CU_ASSERT_FATAL(req != NULL);
	code = respond(BOB, "TentativelyAcceptItem", req, "SendAndSaveCopy");
	CU_ASSERT_STRING_EQUAL(code, "NoError");
	free(code), free(req);
	r = get_meeting(ORG, meeting);
	ASSERT_RESPONSE(r, "RequiredAttendees", ALICE, "Accept+time");
	ASSERT_RESPONSE(r, "OptionalAttendees", BOB, "Tentative+time");
	assert_my_response(r, "Organizer");
	free(r), free(meeting);
}

static void a_response_only_saved_does_not_reach_the_organizer(void)
{
	char *meeting = send_meeting("draft answer", "2026-12-15T10:00:00Z", ALICE, BOB);
	CU_ASSERT_FATAL(meeting != NULL);
	char *req = find_in(ALICE, "inbox", "draft answer"), *code = respond(ALICE, "AcceptItem", req, "SaveOnly");
	CU_ASSERT_STRING_EQUAL(code, "NoError");
	free(code), free(req);
	char *r = get_meeting(ORG, meeting);
	ASSERT_RESPONSE(r, "RequiredAttendees", ALICE, "Unknown");
	free(r), free(meeting);
}

static void an_answer_from_the_calendar_reaches_the_organizer_who_is_organizer_among_attendees(void)
{
	/* the organizer lists itself as an optional attendee: its own entry answers Organizer */
	char *meeting = send_meeting("own entry", "2026-12-18T09:00:00Z", ALICE, ORG);
	CU_ASSERT_FATAL(meeting != NULL);
	char *r = get_meeting(ORG, meeting);
	ASSERT_RESPONSE(r, "OptionalAttendees", ORG, "Organizer");
	free(r);
	/* alice answers from her calendar item rather than the request */
	char *cal = find_in(ALICE, "calendar", "own entry"), *code = respond(ALICE, "DeclineItem", cal, "SendOnly");
	CU_ASSERT_STRING_EQUAL(code, "NoError");
	free(code), free(cal);
	r = get_meeting(ORG, meeting);
	ASSERT_RESPONSE(r, "RequiredAttendees", ALICE, "Decline+time");
	ASSERT_RESPONSE(r, "OptionalAttendees", ORG, "Organizer");
	free(r), free(meeting);
}

static char *update_attendees(const char *id, const char *uri, const char *list_elem, const char *a, const char *b)
{
	char body[2048], *r = get_meeting(ORG, id), *ck = r ? xml_attr(r, "ItemId", "ChangeKey", 0) : NULL;
	free(r);
	snprintf(body, sizeof body, "<m:UpdateItem ConflictResolution=\"AlwaysOverwrite\" SendMeetingInvitationsOrCancellations="
		 "\"SendToNone\"><m:ItemChanges><t:ItemChange><t:ItemId Id=\"%s\" ChangeKey=\"%s\"/><t:Updates>"
		 "<t:SetItemField><t:FieldURI FieldURI=\"%s\"/><t:CalendarItem><t:%s><t:Attendee><t:Mailbox><t:EmailAddress>"
		 "%s</t:EmailAddress></t:Mailbox></t:Attendee><t:Attendee><t:Mailbox><t:EmailAddress>%s</t:EmailAddress>"
		 "</t:Mailbox></t:Attendee></t:%s></t:CalendarItem></t:SetItemField></t:Updates></t:ItemChange>"
		 "</m:ItemChanges></m:UpdateItem>", id, ck ? ck : "", uri, list_elem, a, b, list_elem);
	free(ck);
	return code_of(post(ORG, body));
}

static void responses_follow_updateitem_of_the_attendee_lists(void)
{
	char *meeting = send_meeting("standup", "2026-12-16T09:00:00Z", ALICE, BOB);
	CU_ASSERT_FATAL(meeting != NULL);
	char *req = find_in(ALICE, "inbox", "standup"), *code = respond(ALICE, "AcceptItem", req, "SendOnly");
	CU_ASSERT_STRING_EQUAL(code, "NoError");
	free(code), free(req);
	req = find_in(BOB, "inbox", "standup");
	code = respond(BOB, "DeclineItem", req, "SendOnly");
	CU_ASSERT_STRING_EQUAL(code, "NoError");
	free(code), free(req);

	/* alice stays, carol is new, bob (optional) is dropped from the optional attendees */
	code = update_attendees(meeting, "calendar:RequiredAttendees", "RequiredAttendees", ALICE, CAROL);
	CU_ASSERT_STRING_EQUAL(code, "NoError");
	free(code);
	code = update_attendees(meeting, "calendar:OptionalAttendees", "OptionalAttendees", CAROL, "dave@example.com");
	CU_ASSERT_STRING_EQUAL(code, "NoError");
	free(code);
	char *r = get_meeting(ORG, meeting);
	ASSERT_RESPONSE(r, "RequiredAttendees", ALICE, "Accept+time");
	ASSERT_RESPONSE(r, "RequiredAttendees", CAROL, "Unknown");
	ASSERT_RESPONSE(r, "OptionalAttendees", BOB, "(absent)");
	free(r);

	/* bob added back starts over: his earlier decline went with him */
	code = update_attendees(meeting, "calendar:OptionalAttendees", "OptionalAttendees", BOB, CAROL);
	CU_ASSERT_STRING_EQUAL(code, "NoError");
	free(code);
	r = get_meeting(ORG, meeting);
	ASSERT_RESPONSE(r, "OptionalAttendees", BOB, "Unknown");
	ASSERT_RESPONSE(r, "RequiredAttendees", ALICE, "Accept+time");
	free(r), free(meeting);
}

/* Resources have no column of their own: they are kept beside the item, invited, answered and updated alike */
static void a_resource_is_invited_and_its_response_recorded(void)
{
	char body[2048];
	snprintf(body, sizeof body, "<m:CreateItem SendMeetingInvitations=\"SendToAllAndSaveCopy\"><m:Items>"
		 "<t:CalendarItem><t:Subject>booked</t:Subject><t:Start>2026-12-19T09:00:00Z</t:Start>"
		 "<t:End>2026-12-19T10:00:00Z</t:End><t:RequiredAttendees><t:Attendee><t:Mailbox><t:EmailAddress>%s"
		 "</t:EmailAddress></t:Mailbox></t:Attendee></t:RequiredAttendees><t:Resources><t:Attendee><t:Mailbox>"
		 "<t:Name>Room 1</t:Name><t:EmailAddress>%s</t:EmailAddress></t:Mailbox></t:Attendee></t:Resources>"
		 "</t:CalendarItem></m:Items></m:CreateItem>", ALICE, ROOM);
	char *r = post(ORG, body), *meeting = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(r);
	CU_ASSERT_FATAL(meeting != NULL);
	r = get_meeting(ORG, meeting);
	ASSERT_RESPONSE(r, "Resources", ROOM, "Unknown");
	free(r);
	/* the room (a user who never logged in) got the invitation, which lists it, and accepts it */
	char *req = find_in(ROOM, "inbox", "booked");
	r = get_meeting(ROOM, req);
	ASSERT_RESPONSE(r, "Resources", ROOM, "Unknown");
	free(r);
	char *code = respond(ROOM, "AcceptItem", req, "SendOnly");
	CU_ASSERT_STRING_EQUAL(code, "NoError");
	free(code), free(req);
	r = get_meeting(ORG, meeting);
	ASSERT_RESPONSE(r, "Resources", ROOM, "Accept+time");
	ASSERT_RESPONSE(r, "RequiredAttendees", ALICE, "Unknown");
	free(r);

	/* another room instead: it starts Unknown, the first one's acceptance goes with it */
	code = update_attendees(meeting, "calendar:Resources", "Resources", ROOM2, ALICE);
	CU_ASSERT_STRING_EQUAL(code, "NoError");
	free(code);
	r = get_meeting(ORG, meeting);
	ASSERT_RESPONSE(r, "Resources", ROOM2, "Unknown");
	ASSERT_RESPONSE(r, "Resources", ROOM, "(absent)");
	free(r);
	code = update_attendees(meeting, "calendar:Resources", "Resources", ROOM, ROOM2);
	CU_ASSERT_STRING_EQUAL(code, "NoError");
	free(code);
	r = get_meeting(ORG, meeting);
	ASSERT_RESPONSE(r, "Resources", ROOM, "Unknown");
	free(r);

	/* DeleteItemField removes them */
	r = get_meeting(ORG, meeting);
	char *ck = r ? xml_attr(r, "ItemId", "ChangeKey", 0) : NULL;
	free(r);
	snprintf(body, sizeof body, "<m:UpdateItem ConflictResolution=\"AlwaysOverwrite\" SendMeetingInvitationsOrCancellations="
		 "\"SendToNone\"><m:ItemChanges><t:ItemChange><t:ItemId Id=\"%s\" ChangeKey=\"%s\"/><t:Updates>"
		 "<t:DeleteItemField><t:FieldURI FieldURI=\"calendar:Resources\"/></t:DeleteItemField></t:Updates>"
		 "</t:ItemChange></m:ItemChanges></m:UpdateItem>", meeting, ck ? ck : "");
	free(ck);
	code = code_of(post(ORG, body));
	CU_ASSERT_STRING_EQUAL(code, "NoError");
	free(code);
	r = get_meeting(ORG, meeting);
	CU_ASSERT_EQUAL(r ? xml_count(r, "Resources") : -1, 0);
	free(r), free(meeting);
}

/* The UID of an item as GetItem returns it with AdditionalProperties calendar:UID (all_props: with AllProperties);
 * "(none)" when it has none. Malloc'd. */
static char *uid_of(const char *user, const char *id, int all_props)
{
	char body[1024];
	snprintf(body, sizeof body, "<m:GetItem><m:ItemShape><t:BaseShape>%s</t:BaseShape>%s</m:ItemShape><m:ItemIds>"
		 "<t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", all_props ? "AllProperties" : "IdOnly",
		 all_props ? "" : "<t:AdditionalProperties><t:FieldURI FieldURI=\"calendar:UID\"/></t:AdditionalProperties>",
		 id ? id : "");
	char *r = post(user, body), *uid = r ? xml_text(r, "UID", 0) : NULL;
	free(r);
	return uid ? uid : strdup("(none)");
}

static void export_and_upload_keep_the_responses(void)
{
	if (!ews_test_have_op("ExportItems", "ExportItems and UploadItems keep the responses"))
		return;
	char *meeting = send_meeting("carried", "2026-12-17T09:00:00Z", ALICE, BOB);
	CU_ASSERT_FATAL(meeting != NULL);
	char *req = find_in(BOB, "inbox", "carried"), *code = respond(BOB, "TentativelyAcceptItem", req, "SendOnly");
	CU_ASSERT_STRING_EQUAL(code, "NoError");
	free(code), free(req);

	char body[4096];
	snprintf(body, sizeof body, "<m:ExportItems><m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:ExportItems>", meeting);
	char *r = post(ORG, body), *data = r ? xml_text(r, "Data", 0) : NULL;
	free(r);
	r = post(ORG, "<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape><m:FolderIds>"
		      "<t:DistinguishedFolderId Id=\"calendar\"/></m:FolderIds></m:GetFolder>");
	char *cal = r ? xml_attr(r, "FolderId", "Id", 0) : NULL;
	free(r);
	CU_ASSERT_FATAL(data != NULL && cal != NULL);
	size_t n = strlen(data) + strlen(cal) + 512;
	char *up = malloc(n);
	snprintf(up, n, "<m:UploadItems><m:Items><t:Item CreateAction=\"CreateNew\"><t:ParentFolderId Id=\"%s\"/>"
		 "<t:Data>%s</t:Data></t:Item></m:Items></m:UploadItems>", cal, data);
	r = post(ORG, up);
	char *copy = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(r), free(up), free(data), free(cal);
	CU_ASSERT_FATAL(copy != NULL);
	r = get_meeting(ORG, copy);
	ASSERT_RESPONSE(r, "RequiredAttendees", ALICE, "Unknown");
	ASSERT_RESPONSE(r, "OptionalAttendees", BOB, "Tentative+time");
	free(r);
	char *uid = uid_of(ORG, meeting, 0), *copied = uid_of(ORG, copy, 0);     /* and the meeting's UID */
	CU_ASSERT_STRING_NOT_EQUAL(uid, "(none)");
	CU_ASSERT_STRING_EQUAL(copied, uid);
	free(uid), free(copied), free(copy), free(meeting);
}

/* UpdateItem of the organizer's meeting (SendToNone: the attendees' copies keep what they had) with these
 * Updates; the ResponseCode. */
static char *update_meeting(const char *id, const char *updates)
{
	char body[4096], *r = get_meeting(ORG, id), *ck = r ? xml_attr(r, "ItemId", "ChangeKey", 0) : NULL;
	free(r);
	snprintf(body, sizeof body, "<m:UpdateItem ConflictResolution=\"AlwaysOverwrite\" SendMeetingInvitationsOrCancellations="
		 "\"SendToNone\"><m:ItemChanges><t:ItemChange><t:ItemId Id=\"%s\" ChangeKey=\"%s\"/><t:Updates>%s"
		 "</t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>", id, ck ? ck : "", updates);
	free(ck);
	return code_of(post(ORG, body));
}

static void a_response_after_the_organizer_changed_subject_and_start_reaches_its_meeting(void)
{
	char *meeting = send_meeting("planning", "2026-12-21T09:00:00Z", ALICE, BOB);
	CU_ASSERT_FATAL(meeting != NULL);
	char *code = update_meeting(meeting, "<t:SetItemField><t:FieldURI FieldURI=\"item:Subject\"/><t:CalendarItem>"
				    "<t:Subject>planning (moved)</t:Subject></t:CalendarItem></t:SetItemField>"
				    "<t:SetItemField><t:FieldURI FieldURI=\"calendar:Start\"/><t:CalendarItem>"
				    "<t:Start>2026-12-22T14:00:00Z</t:Start></t:CalendarItem></t:SetItemField>"
				    "<t:SetItemField><t:FieldURI FieldURI=\"calendar:End\"/><t:CalendarItem>"
				    "<t:End>2026-12-22T15:00:00Z</t:End></t:CalendarItem></t:SetItemField>");
	CU_ASSERT_STRING_EQUAL(code, "NoError");
	free(code);
	/* alice answers the request as it reached her, bob from his calendar */
	char *req = find_in(ALICE, "inbox", "planning");
	code = respond(ALICE, "AcceptItem", req, "SendOnly");
	CU_ASSERT_STRING_EQUAL(code, "NoError");
	free(code), free(req);
	char *cal = find_in(BOB, "calendar", "planning");
	code = respond(BOB, "TentativelyAcceptItem", cal, "SendOnly");
	CU_ASSERT_STRING_EQUAL(code, "NoError");
	free(code), free(cal);
	char *r = get_meeting(ORG, meeting);
	ASSERT_RESPONSE(r, "RequiredAttendees", ALICE, "Accept+time");
	ASSERT_RESPONSE(r, "OptionalAttendees", BOB, "Tentative+time");
	free(r), free(meeting);
}

static int is_encoded_global_id(const char *uid)
{
	/* MS-OXCICAL: ByteArrayID, instance date, creation FILETIME, padding, data size 16, 16 bytes of data */
	if (strlen(uid) != 112 || strncmp(uid, "040000008200E00074C5B7101A82E00800000000", 40) ||
	    strncmp(uid + 56, "000000000000000010000000", 24))
		return 0;
	for (const char *c = uid; *c; c++)
		if (!strchr("0123456789ABCDEF", *c))
			return 0;
	return 1;
}

static void the_organizers_meeting_and_the_attendees_copies_share_one_uid(void)
{
	char *meeting = send_meeting("shared id", "2026-12-23T09:00:00Z", ALICE, BOB);
	CU_ASSERT_FATAL(meeting != NULL);
	char *uid = uid_of(ORG, meeting, 0), *all = uid_of(ORG, meeting, 1);
	CU_ASSERT_TRUE(is_encoded_global_id(uid));
	CU_ASSERT_STRING_EQUAL(all, uid);
	free(all);
	char *other = send_meeting("another id", "2026-12-23T09:00:00Z", ALICE, BOB), *other_uid = uid_of(ORG, other, 0);
	CU_ASSERT_TRUE(is_encoded_global_id(other_uid));
	CU_ASSERT_STRING_NOT_EQUAL(other_uid, uid);
	free(other), free(other_uid);

	const struct { const char *user, *folder; } copies[] = {
		{ ALICE, "inbox" }, { ALICE, "calendar" }, { BOB, "inbox" }, { BOB, "calendar" }, { ORG, "sentitems" },
	};
	for (size_t i = 0; i < sizeof copies / sizeof copies[0]; i++) {
		char *id = find_in(copies[i].user, copies[i].folder, "shared id");
		CU_ASSERT_PTR_NOT_NULL(id);
		char *got = uid_of(copies[i].user, id, 0);
		CU_ASSERT_STRING_EQUAL(got, uid);
		free(got);
		got = uid_of(copies[i].user, id, 1);
		CU_ASSERT_STRING_EQUAL(got, uid);
		free(got), free(id);
	}
	/* FindItem returns it when asked */
	char *r = post(ALICE, "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
			      "<t:AdditionalProperties><t:FieldURI FieldURI=\"item:Subject\"/><t:FieldURI FieldURI=\"calendar:UID\"/>"
			      "</t:AdditionalProperties></m:ItemShape><m:ParentFolderIds><t:DistinguishedFolderId Id=\"calendar\"/>"
			      "</m:ParentFolderIds></m:FindItem>");
	int seen = 0;
	for (int i = 0; r; i++) {
		char *item = xml_element(r, "CalendarItem", i);
		if (!item)
			break;
		char *s = xml_text(item, "Subject", 0), *u = xml_text(item, "UID", 0);
		if (s && !strcmp(s, "shared id")) {
			seen++;
			CU_ASSERT_STRING_EQUAL(u ? u : "(none)", uid);
		}
		free(s), free(u), free(item);
	}
	CU_ASSERT_EQUAL(seen, 1);
	free(r);

	/* answering the request keeps it on alice's meeting */
	char *req = find_in(ALICE, "inbox", "shared id"), *code = respond(ALICE, "AcceptItem", req, "SendOnly");
	CU_ASSERT_STRING_EQUAL(code, "NoError");
	free(code), free(req);
	char *cal = find_in(ALICE, "calendar", "shared id"), *got = uid_of(ALICE, cal, 0);
	CU_ASSERT_STRING_EQUAL(got, uid);
	free(got), free(cal), free(uid), free(meeting);
}

static void a_uid_given_at_createitem_is_kept_and_sent(void)
{
	char body[2048];
	snprintf(body, sizeof body, "<m:CreateItem SendMeetingInvitations=\"SendOnlyToAll\"><m:Items><t:CalendarItem>"
		 "<t:Subject>given id</t:Subject><t:UID>meeting-42@example.org</t:UID><t:Start>2026-12-24T09:00:00Z"
		 "</t:Start><t:End>2026-12-24T10:00:00Z</t:End><t:RequiredAttendees><t:Attendee><t:Mailbox>"
		 "<t:EmailAddress>%s</t:EmailAddress></t:Mailbox></t:Attendee></t:RequiredAttendees></t:CalendarItem>"
		 "</m:Items></m:CreateItem>", ALICE);
	char *r = post(ORG, body), *meeting = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(r);
	CU_ASSERT_FATAL(meeting != NULL);
	char *uid = uid_of(ORG, meeting, 0);
	CU_ASSERT_STRING_EQUAL(uid, "meeting-42@example.org");
	free(uid);
	char *req = find_in(ALICE, "inbox", "given id");
	uid = uid_of(ALICE, req, 0);
	CU_ASSERT_STRING_EQUAL(uid, "meeting-42@example.org");
	free(uid);
	char *code = respond(ALICE, "DeclineItem", req, "SendOnly");
	CU_ASSERT_STRING_EQUAL(code, "NoError");
	free(code), free(req);
	r = get_meeting(ORG, meeting);
	ASSERT_RESPONSE(r, "RequiredAttendees", ALICE, "Decline+time");
	free(r), free(meeting);
}

static void meetings_without_a_uid_are_still_found_by_subject_and_start(void)
{
	/* as from a store made before ewsd kept UIDs: neither the organizer's meeting nor the attendee's copy has one */
	char *meeting = send_meeting("old meeting", "2026-12-28T09:00:00Z", ALICE, BOB);
	CU_ASSERT_FATAL(meeting != NULL);
	char *code = update_meeting(meeting, "<t:DeleteItemField><t:FieldURI FieldURI=\"calendar:UID\"/></t:DeleteItemField>");
	CU_ASSERT_STRING_EQUAL(code, "NoError");
	free(code);
	char *uid = uid_of(ORG, meeting, 0);
	CU_ASSERT_STRING_EQUAL(uid, "(none)");
	free(uid);
	char *cal = find_in(ALICE, "calendar", "old meeting"), *r = get_meeting(ALICE, cal);
	char *ck = r ? xml_attr(r, "ItemId", "ChangeKey", 0) : NULL, body[2048];
	free(r);
	snprintf(body, sizeof body, "<m:UpdateItem ConflictResolution=\"AlwaysOverwrite\" SendMeetingInvitationsOrCancellations="
		 "\"SendToNone\"><m:ItemChanges><t:ItemChange><t:ItemId Id=\"%s\" ChangeKey=\"%s\"/><t:Updates>"
		 "<t:DeleteItemField><t:FieldURI FieldURI=\"calendar:UID\"/></t:DeleteItemField></t:Updates>"
		 "</t:ItemChange></m:ItemChanges></m:UpdateItem>", cal ? cal : "", ck ? ck : "");
	free(ck);
	code = code_of(post(ALICE, body));
	CU_ASSERT_STRING_EQUAL(code, "NoError");
	free(code);
	code = respond(ALICE, "AcceptItem", cal, "SendOnly");
	CU_ASSERT_STRING_EQUAL(code, "NoError");
	free(code), free(cal);
	r = get_meeting(ORG, meeting);
	ASSERT_RESPONSE(r, "RequiredAttendees", ALICE, "Accept+time");
	free(r), free(meeting);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "the organizer's meeting records each attendee's latest response",
		  the_organizers_meeting_records_each_attendees_latest_response },
		{ "a response only saved does not reach the organizer", a_response_only_saved_does_not_reach_the_organizer },
		{ "an answer from the calendar reaches the organizer, who is Organizer among the attendees",
		  an_answer_from_the_calendar_reaches_the_organizer_who_is_organizer_among_attendees },
		{ "responses follow UpdateItem of the attendee lists", responses_follow_updateitem_of_the_attendee_lists },
		{ "a resource is invited and its response recorded", a_resource_is_invited_and_its_response_recorded },
		{ "ExportItems and UploadItems keep the responses", export_and_upload_keep_the_responses },
		{ "a response after the organizer changed subject and start reaches its meeting",
		  a_response_after_the_organizer_changed_subject_and_start_reaches_its_meeting },
		{ "the organizer's meeting and the attendees' copies share one UID",
		  the_organizers_meeting_and_the_attendees_copies_share_one_uid },
		{ "a UID given at CreateItem is kept and sent", a_uid_given_at_createitem_is_kept_and_sent },
		{ "meetings without a UID are still found by subject and start",
		  meetings_without_a_uid_are_still_found_by_subject_and_start },
		{ NULL, NULL }
	};
	static const char *const users[] = { "user " ORG " secret", "user " ALICE " secret", "user " BOB " secret",
					     "user " CAROL " secret", "user " ROOM " secret", "user " ROOM2 " secret", NULL };
	if (ewsd_start_with_users(&srv, users)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd attendees' meeting responses", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
