/* test_ewsd_respond.c — response objects in CreateItem against a running ewsd: replies and forwards (recipients,
 * "RE: "/"FW: " before the normalized subject, the original quoted after NewBodyContent, SaveOnly drafts,
 * SendAndSaveCopy delivery), meeting responses (the organizer answered, the attendee's calendar updated, the
 * request moved to Deleted Items), CancelCalendarItem, and the refusals the CreateItem pages list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;

static char *post_as(const char *user, const char *body) { return ews_post_body(&srv, user, "Exchange2013", body); }


/* CreateItem of one item; returns the response. */
static char *create(const char *user, const char *disposition, const char *folder, const char *item_xml)
{
	char body[8192], to[256] = "";
	if (folder)
		snprintf(to, sizeof to, "<m:SavedItemFolderId><t:DistinguishedFolderId Id=\"%s\"/></m:SavedItemFolderId>",
			 folder);
	snprintf(body, sizeof body, "<m:CreateItem MessageDisposition=\"%s\">%s<m:Items>%s</m:Items></m:CreateItem>",
		 disposition, to, item_xml);
	return post_as(user, body);
}

/* Id of the nth item in a folder, oldest first (FindItem sorts newest first by default). */
static char *first_id(const char *user, const char *folder)
{
	char body[1024];
	snprintf(body, sizeof body, "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
		 "</m:ItemShape><m:ParentFolderIds><t:DistinguishedFolderId Id=\"%s\"/></m:ParentFolderIds></m:FindItem>",
		 folder);
	char *r = post_as(user, body), *id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(r);
	return id;
}

static int count_in(const char *user, const char *folder)
{
	char body[512];
	snprintf(body, sizeof body, "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
		 "</m:ItemShape><m:ParentFolderIds><t:DistinguishedFolderId Id=\"%s\"/></m:ParentFolderIds></m:FindItem>",
		 folder);
	char *r = post_as(user, body), *t = r ? xml_attr(r, "RootFolder", "TotalItemsInView", 0) : NULL;
	int n = t ? atoi(t) : -1;
	free(t), free(r);
	return n;
}

/* GetItem AllProperties of the newest item of a folder (plus MyResponseType). */
static char *newest(const char *user, const char *folder)
{
	char *id = first_id(user, folder), body[2048];
	if (!id)
		return NULL;
	snprintf(body, sizeof body, "<m:GetItem><m:ItemShape><t:BaseShape>AllProperties</t:BaseShape>"
		 "<t:AdditionalProperties><t:FieldURI FieldURI=\"calendar:MyResponseType\"/></t:AdditionalProperties>"
		 "</m:ItemShape><m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", id);
	free(id);
	return post_as(user, body);
}

static void text_is(const char *r, const char *elem, const char *want)
{
	char *v = r ? xml_text(r, elem, 0) : NULL;
	if (!v || strcmp(v, want))
		fprintf(stderr, "\n  %s: %s, expected %s\n", elem, v ? v : "(none)", want);
	CU_ASSERT_STRING_EQUAL(v ? v : "", want);
	free(v);
}

/* The item's t:Body text (xml_text would find s:Body first). */
static char *item_body(const char *r)
{
	const char *b = r ? strstr(r, "<t:Body") : NULL, *gt = b ? strchr(b, '>') : NULL;
	const char *end = gt ? strstr(gt, "</t:Body>") : NULL;
	return end ? strndup(gt + 1, (size_t)(end - gt - 1)) : NULL;
}

#define MBX(a) "<t:Mailbox><t:EmailAddress>" a "</t:EmailAddress></t:Mailbox>"

/* alice sends `subject` to the given recipients (To xml, Cc xml). */
static void alice_sends(const char *subject, const char *to, const char *cc)
{
	char item[4096];
	snprintf(item, sizeof item, "<t:Message><t:Subject>%s</t:Subject><t:Body BodyType=\"Text\">original text</t:Body>"
		 "<t:ToRecipients>%s</t:ToRecipients>%s%s%s</t:Message>", subject, to, cc ? "<t:CcRecipients>" : "",
		 cc ? cc : "", cc ? "</t:CcRecipients>" : "");
	char *r = create("alice@example.com", "SendAndSaveCopy", NULL, item);
	ewsd_code_is(r, 0, "NoError");
	free(r);
}

static char *respond(const char *user, const char *disposition, const char *element, const char *ref_id,
		     const char *extra)
{
	char item[4096];
	/* the schema's order: Subject, Body, recipients, ReferenceItemId, NewBodyContent */
	int after = extra && strstr(extra, "NewBodyContent");
	snprintf(item, sizeof item, "<t:%s>%s<t:ReferenceItemId Id=\"%s\"/>%s</t:%s>", element,
		 extra && !after ? extra : "", ref_id, after ? extra : "", element);
	return create(user, disposition, NULL, item);
}

static void a_reply_goes_to_the_sender_with_re_and_the_original_quoted(void)
{
	CU_ASSERT_EQUAL(count_in("bob@example.com", "inbox"), 0);      /* bob's mailbox exists before alice sends */
	alice_sends("Lunch", MBX("bob@example.com"), NULL);
	char *ref = first_id("bob@example.com", "inbox");
	CU_ASSERT_PTR_NOT_NULL_FATAL(ref);
	char *r = respond("bob@example.com", "SendAndSaveCopy", "ReplyToItem", ref,
			  "<t:NewBodyContent BodyType=\"Text\">Yes, noon.</t:NewBodyContent>");
	ewsd_code_is(r, 0, "NoError");
	free(r), free(ref);
	CU_ASSERT_EQUAL(count_in("bob@example.com", "sentitems"), 1);
	CU_ASSERT_EQUAL(count_in("alice@example.com", "inbox"), 1);
	r = newest("alice@example.com", "inbox");
	text_is(r, "Subject", "RE: Lunch");
	char *body = item_body(r);
	CU_ASSERT(body && !strncmp(body, "Yes, noon.", 10));
	CU_ASSERT(body && strstr(body, "Subject: Lunch") && strstr(body, "original text"));
	CU_ASSERT(r && strstr(r, "bob@example.com"));      /* From: the replier */
	free(body), free(r);
}

static void a_reply_to_a_reply_keeps_one_prefix_and_a_forward_says_fw(void)
{
	CU_ASSERT_EQUAL(count_in("erin@example.com", "inbox"), 0);
	alice_sends("RE: Budget", MBX("erin@example.com"), NULL);
	char *ref = first_id("erin@example.com", "inbox");
	CU_ASSERT_PTR_NOT_NULL_FATAL(ref);
	char *r = respond("erin@example.com", "SaveOnly", "ReplyToItem", ref, NULL);
	ewsd_code_is(r, 0, "NoError");
	CU_ASSERT(r && xml_count(r, "ItemId") == 1);     /* a saved draft: its id */
	free(r);
	r = newest("erin@example.com", "drafts");
	text_is(r, "Subject", "RE: Budget");
	CU_ASSERT(r && strstr(r, "alice@example.com"));
	free(r);
	r = respond("erin@example.com", "SaveOnly", "ForwardItem", ref,
		    "<t:ToRecipients>" MBX("frank@example.com") "</t:ToRecipients>");
	ewsd_code_is(r, 0, "NoError");
	free(r);
	r = newest("erin@example.com", "drafts");
	text_is(r, "Subject", "FW: Budget");
	CU_ASSERT(r && strstr(r, "frank@example.com") && !strstr(r, "<t:EmailAddress>alice@example.com"));
	free(r);
	/* a Subject the client gives is kept */
	r = respond("erin@example.com", "SaveOnly", "ReplyToItem", ref, "<t:Subject>My own</t:Subject>");
	ewsd_code_is(r, 0, "NoError");
	free(r);
	r = newest("erin@example.com", "drafts");
	text_is(r, "Subject", "My own");
	free(r), free(ref);
}

static void reply_all_answers_everyone_but_oneself(void)
{
	CU_ASSERT_EQUAL(count_in("gina@example.com", "inbox"), 0);
	alice_sends("Plan", MBX("gina@example.com") MBX("hank@example.com"), MBX("ivy@example.com"));
	char *ref = first_id("gina@example.com", "inbox");
	CU_ASSERT_PTR_NOT_NULL_FATAL(ref);
	char *r = respond("gina@example.com", "SaveOnly", "ReplyAllToItem", ref, NULL);
	ewsd_code_is(r, 0, "NoError");
	free(r), free(ref);
	r = newest("gina@example.com", "drafts");
	char *to = r ? strstr(r, "ToRecipients>") : NULL, *cc = r ? strstr(r, "CcRecipients>") : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(to);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cc);
	char *to_end = strstr(to + 13, "ToRecipients>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(to_end);
	*to_end = '\0';
	CU_ASSERT(strstr(to, "alice@example.com") && strstr(to, "hank@example.com") && !strstr(to, "gina@example.com"));
	CU_ASSERT(strstr(cc, "ivy@example.com") != NULL);
	free(r);
}

static void responses_without_a_fitting_reference_are_refused(void)
{
	char *r = create("judy@example.com", "SaveOnly", NULL,
			 "<t:ReplyToItem><t:Subject>x</t:Subject></t:ReplyToItem>"
			 "<t:Message><t:Subject>plain</t:Subject></t:Message>");
	ewsd_code_is(r, 0, "ErrorMissingInformationReferenceItemId");
	ewsd_code_is(r, 1, "NoError");      /* the rest of the batch still goes */
	free(r);
	char *msg = first_id("judy@example.com", "drafts");
	CU_ASSERT_PTR_NOT_NULL_FATAL(msg);
	r = respond("judy@example.com", "SendAndSaveCopy", "AcceptItem", msg, NULL);
	ewsd_code_is(r, 0, "ErrorInvalidReferenceItem");
	free(r);
	r = respond("judy@example.com", "SendAndSaveCopy", "ForwardItem", msg, NULL);     /* nobody to send to */
	ewsd_code_is(r, 0, "ErrorInvalidRecipients");
	free(r), free(msg);
	r = create("judy@example.com", "SaveOnly", NULL,
		   "<t:CalendarItem><t:Subject>mine</t:Subject><t:Start>2030-01-01T10:00:00Z</t:Start>"
		   "<t:End>2030-01-01T11:00:00Z</t:End></t:CalendarItem>");
	free(r);
	char *cal = first_id("judy@example.com", "calendar");
	CU_ASSERT_PTR_NOT_NULL_FATAL(cal);
	r = respond("judy@example.com", "SendAndSaveCopy", "AcceptItem", cal, NULL);
	ewsd_code_is(r, 0, "ErrorCalendarIsOrganizerForAccept");
	free(r);
	r = respond("judy@example.com", "SendAndSaveCopy", "DeclineItem", cal, NULL);
	ewsd_code_is(r, 0, "ErrorCalendarIsOrganizerForDecline");
	free(r), free(cal);
	r = respond("judy@example.com", "SaveOnly", "ReplyToItem", "AAMkAGnope", NULL);
	ewsd_code_is(r, 0, "ErrorInvalidIdMalformed");
	free(r);
}

/* A meeting request from kim in the attendee's inbox, as Exchange delivers one. */
static char *request_for(const char *attendee, const char *subject)
{
	char item[2048];
	snprintf(item, sizeof item, "<t:MeetingRequest><t:Subject>%s</t:Subject><t:From>" MBX("kim@example.com")
		 "</t:From><t:Start>2030-02-01T09:00:00Z</t:Start><t:End>2030-02-01T10:00:00Z</t:End>"
		 "</t:MeetingRequest>", subject);
	char *r = create(attendee, "SaveOnly", "inbox", item);
	ewsd_code_is(r, 0, "NoError");
	char *id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(r);
	return id;
}

static void accepting_a_request_puts_it_in_the_calendar_and_answers_the_organizer(void)
{
	CU_ASSERT_EQUAL(count_in("kim@example.com", "inbox"), 0);
	char *req = request_for("lee@example.com", "Sync");
	CU_ASSERT_PTR_NOT_NULL_FATAL(req);
	char *r = respond("lee@example.com", "SendAndSaveCopy", "AcceptItem", req,
			  "<t:Body BodyType=\"Text\">See you there</t:Body>");
	ewsd_code_is(r, 0, "NoError");
	free(r), free(req);
	CU_ASSERT_EQUAL(count_in("lee@example.com", "inbox"), 0);          /* the request went to Deleted Items */
	CU_ASSERT_EQUAL(count_in("lee@example.com", "deleteditems"), 1);
	CU_ASSERT_EQUAL(count_in("lee@example.com", "calendar"), 1);
	CU_ASSERT_EQUAL(count_in("lee@example.com", "sentitems"), 1);
	r = newest("lee@example.com", "calendar");
	text_is(r, "Subject", "Sync");
	text_is(r, "MyResponseType", "Accept");
	text_is(r, "Start", "2030-02-01T09:00:00Z");
	free(r);
	r = newest("kim@example.com", "inbox");
	text_is(r, "Subject", "Accepted: Sync");
	text_is(r, "ItemClass", "IPM.Schedule.Meeting.Resp.Pos");
	char *b = item_body(r);
	CU_ASSERT_STRING_EQUAL(b ? b : "", "See you there");
	free(b);
	free(r);
	/* a second answer from the calendar item changes it there */
	char *cal = first_id("lee@example.com", "calendar");
	r = respond("lee@example.com", "SendOnly", "TentativelyAcceptItem", cal, NULL);
	ewsd_code_is(r, 0, "NoError");
	CU_ASSERT(r && xml_count(r, "ItemId") == 0);      /* SendOnly keeps no copy */
	free(r), free(cal);
	r = newest("lee@example.com", "calendar");
	text_is(r, "MyResponseType", "Tentative");
	free(r);
	CU_ASSERT_EQUAL(count_in("kim@example.com", "inbox"), 2);
	r = newest("kim@example.com", "inbox");
	text_is(r, "Subject", "Tentative: Sync");
	text_is(r, "ItemClass", "IPM.Schedule.Meeting.Resp.Tent");
	free(r);
}

static void declining_removes_the_meeting_from_the_calendar(void)
{
	char *req = request_for("lou@example.com", "Retro");
	CU_ASSERT_PTR_NOT_NULL_FATAL(req);
	int cal = count_in("lou@example.com", "calendar"), del = count_in("lou@example.com", "deleteditems");
	char *r = respond("lou@example.com", "SendAndSaveCopy", "TentativelyAcceptItem", req, NULL);
	ewsd_code_is(r, 0, "NoError");
	free(r), free(req);
	CU_ASSERT_EQUAL(count_in("lou@example.com", "calendar"), cal + 1);
	char *id = first_id("lou@example.com", "calendar");
	r = respond("lou@example.com", "SendAndSaveCopy", "DeclineItem", id, NULL);
	ewsd_code_is(r, 0, "NoError");
	free(r), free(id);
	CU_ASSERT_EQUAL(count_in("lou@example.com", "calendar"), cal);
	CU_ASSERT_EQUAL(count_in("lou@example.com", "deleteditems"), del + 2);
	r = newest("kim@example.com", "inbox");
	text_is(r, "Subject", "Declined: Retro");
	text_is(r, "ItemClass", "IPM.Schedule.Meeting.Resp.Neg");
	free(r);
}

static void cancelling_a_meeting_tells_the_attendees_and_removes_it(void)
{
	CU_ASSERT_EQUAL(count_in("nia@example.com", "inbox"), 0);
	char *r = create("mo@example.com", "SaveOnly", NULL,
			 "<t:CalendarItem><t:Subject>Offsite</t:Subject><t:Start>2030-03-01T09:00:00Z</t:Start>"
			 "<t:End>2030-03-01T17:00:00Z</t:End><t:RequiredAttendees><t:Attendee>" MBX("nia@example.com")
			 "</t:Attendee></t:RequiredAttendees></t:CalendarItem>");
	ewsd_code_is(r, 0, "NoError");
	free(r);
	char *cal = first_id("mo@example.com", "calendar");
	CU_ASSERT_PTR_NOT_NULL_FATAL(cal);
	r = respond("mo@example.com", "SendAndSaveCopy", "CancelCalendarItem", cal,
		    "<t:NewBodyContent BodyType=\"HTML\">Hailstorms.</t:NewBodyContent>");
	ewsd_code_is(r, 0, "NoError");
	free(r), free(cal);
	CU_ASSERT_EQUAL(count_in("mo@example.com", "calendar"), 0);
	CU_ASSERT_EQUAL(count_in("mo@example.com", "deleteditems"), 1);
	r = newest("nia@example.com", "inbox");
	text_is(r, "Subject", "Canceled: Offsite");
	text_is(r, "ItemClass", "IPM.Schedule.Meeting.Canceled");
	CU_ASSERT(r && strstr(r, "Hailstorms."));
	free(r);
	/* an attendee cannot cancel: lee's accepted meeting belongs to kim */
	char *req = request_for("lee@example.com", "Planning");
	r = respond("lee@example.com", "SendOnly", "AcceptItem", req, NULL);
	free(r), free(req);
	char *lees = first_id("lee@example.com", "calendar");
	r = respond("lee@example.com", "SendOnly", "CancelCalendarItem", lees, NULL);
	ewsd_code_is(r, 0, "ErrorCalendarIsNotOrganizer");
	free(r), free(lees);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "a reply goes to the sender with RE: and the original quoted",
		  a_reply_goes_to_the_sender_with_re_and_the_original_quoted },
		{ "a reply to a reply keeps one prefix and a forward says FW:",
		  a_reply_to_a_reply_keeps_one_prefix_and_a_forward_says_fw },
		{ "reply all answers everyone but oneself", reply_all_answers_everyone_but_oneself },
		{ "responses without a fitting reference are refused", responses_without_a_fitting_reference_are_refused },
		{ "accepting a request puts it in the calendar and answers the organizer",
		  accepting_a_request_puts_it_in_the_calendar_and_answers_the_organizer },
		{ "declining removes the meeting from the calendar", declining_removes_the_meeting_from_the_calendar },
		{ "cancelling a meeting tells the attendees and removes it",
		  cancelling_a_meeting_tells_the_attendees_and_removes_it },
		{ NULL, NULL }
	};
	if (ewsd_start(&srv, NULL, NULL)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd response objects", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
