/* test_ewsd_invitations.c — mail and meetings reach the mailboxes of users who never logged in (Exchange delivers
 * to every mailbox of its directory; ewsd used to deliver only to mailboxes already in its store), and a meeting
 * created with SendMeetingInvitations goes to its attendees: a meeting request in the Inbox, the meeting in the
 * Calendar (answered by AcceptItem), the request in the organizer's Sent Items with SendToAllAndSaveCopy; with
 * SendToNone nothing is sent. Found by running ews-javascript-api 0.15.3 against ewsd. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;
#define ORG "org@example.com"

static char *post(const char *user, const char *body) { return ews_post_body(&srv, user, "Exchange2013_SP1", body); }

/* Subjects of a distinguished folder's items, "|"-joined, oldest last (malloc'd), and their ItemClasses. */
static char *subjects_in(const char *user, const char *folder, char **classes)
{
	char body[1024];
	snprintf(body, sizeof body, "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
		 "<t:AdditionalProperties><t:FieldURI FieldURI=\"item:Subject\"/><t:FieldURI FieldURI=\"item:ItemClass\"/>"
		 "</t:AdditionalProperties></m:ItemShape><m:ParentFolderIds><t:DistinguishedFolderId Id=\"%s\"/>"
		 "</m:ParentFolderIds></m:FindItem>", folder);
	char *r = post(user, body);
	size_t cap = 4096;
	char *out = calloc(1, cap), *cls = calloc(1, cap);
	for (int i = 0; r && out && cls; i++) {
		char *s = xml_text(r, "Subject", i), *c = xml_text(r, "ItemClass", i);
		if (!s) {
			free(c);
			break;
		}
		if (strlen(out) + strlen(s) + 2 < cap)
			strcat(strcat(out, *out ? "|" : ""), s);
		if (c && strlen(cls) + strlen(c) + 2 < cap)
			strcat(strcat(cls, *cls ? "|" : ""), c);
		free(s), free(c);
	}
	free(r);
	if (classes)
		*classes = cls;
	else
		free(cls);
	return out;
}

static void mail_reaches_a_user_who_never_logged_in_once(void)
{
	char *r = post(ORG, "<m:CreateItem MessageDisposition=\"SendAndSaveCopy\"><m:Items><t:Message><t:Subject>hello"
		       "</t:Subject><t:ToRecipients><t:Mailbox><t:EmailAddress>fresh@example.com</t:EmailAddress>"
		       "</t:Mailbox></t:ToRecipients><t:CcRecipients><t:Mailbox><t:EmailAddress>Fresh@example.com"
		       "</t:EmailAddress></t:Mailbox></t:CcRecipients></t:Message></m:Items></m:CreateItem>");
	char *code = r ? xml_text(r, "ResponseCode", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(code ? code : "", "NoError");
	free(code), free(r);
	char *s = subjects_in("fresh@example.com", "inbox", NULL);
	CU_ASSERT_STRING_EQUAL(s ? s : "", "hello");        /* once, though named in To and Cc */
	free(s);
}

static void a_meeting_goes_to_its_attendees_and_is_answered(void)
{
	char *r = post(ORG, "<m:CreateItem SendMeetingInvitations=\"SendToAllAndSaveCopy\"><m:Items><t:CalendarItem>"
		       "<t:Subject>plan</t:Subject><t:Start>2026-12-10T10:00:00Z</t:Start><t:End>2026-12-10T11:00:00Z"
		       "</t:End><t:RequiredAttendees><t:Attendee><t:Mailbox><t:EmailAddress>att@example.com"
		       "</t:EmailAddress></t:Mailbox></t:Attendee></t:RequiredAttendees></t:CalendarItem></m:Items>"
		       "</m:CreateItem>");
	char *code = r ? xml_text(r, "ResponseCode", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(code ? code : "", "NoError");
	free(code), free(r);

	char *cls = NULL, *s = subjects_in("att@example.com", "inbox", &cls);
	CU_ASSERT_STRING_EQUAL(s ? s : "", "plan");
	CU_ASSERT_STRING_EQUAL(cls ? cls : "", "IPM.Schedule.Meeting.Request");
	free(s), free(cls);
	s = subjects_in("att@example.com", "calendar", &cls);
	CU_ASSERT_STRING_EQUAL(s ? s : "", "plan");
	CU_ASSERT_STRING_EQUAL(cls ? cls : "", "IPM.Appointment");
	free(s), free(cls);
	s = subjects_in(ORG, "sentitems", &cls);
	CU_ASSERT(s && strstr(s, "plan") != NULL);
	CU_ASSERT(cls && strstr(cls, "IPM.Schedule.Meeting.Request") != NULL);
	free(s), free(cls);

	/* the attendee accepts the request: the organizer gets the response */
	r = post("att@example.com", "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
		 "</m:ItemShape><m:ParentFolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:ParentFolderIds></m:FindItem>");
	char *id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(r);
	CU_ASSERT_FATAL(id != NULL);
	char body[1024];
	snprintf(body, sizeof body, "<m:CreateItem MessageDisposition=\"SendAndSaveCopy\"><m:Items><t:AcceptItem>"
		 "<t:ReferenceItemId Id=\"%s\"/></t:AcceptItem></m:Items></m:CreateItem>", id);
	free(id);
	r = post("att@example.com", body);
	code = r ? xml_text(r, "ResponseCode", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(code ? code : "", "NoError");
	free(code), free(r);
	s = subjects_in(ORG, "inbox", &cls);
	CU_ASSERT_STRING_EQUAL(s ? s : "", "Accepted: plan");
	CU_ASSERT_STRING_EQUAL(cls ? cls : "", "IPM.Schedule.Meeting.Resp.Pos");
	free(s), free(cls);
}

static void send_to_none_sends_nothing(void)
{
	char *r = post(ORG, "<m:CreateItem SendMeetingInvitations=\"SendToNone\"><m:Items><t:CalendarItem>"
		       "<t:Subject>private plan</t:Subject><t:Start>2026-12-11T10:00:00Z</t:Start><t:End>2026-12-11T11:00:00Z"
		       "</t:End><t:RequiredAttendees><t:Attendee><t:Mailbox><t:EmailAddress>quiet@example.com"
		       "</t:EmailAddress></t:Mailbox></t:Attendee></t:RequiredAttendees></t:CalendarItem></m:Items>"
		       "</m:CreateItem>");
	free(r);
	char *s = subjects_in("quiet@example.com", "inbox", NULL);
	CU_ASSERT_STRING_EQUAL(s ? s : "(none)", "");
	free(s);
	s = subjects_in("quiet@example.com", "calendar", NULL);
	CU_ASSERT_STRING_EQUAL(s ? s : "(none)", "");
	free(s);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "mail reaches a user who never logged in, once", mail_reaches_a_user_who_never_logged_in_once },
		{ "a meeting goes to its attendees and is answered", a_meeting_goes_to_its_attendees_and_is_answered },
		{ "SendToNone sends nothing", send_to_none_sends_nothing },
		{ NULL, NULL }
	};
	static const char *const users[] = { "user " ORG " secret", "user fresh@example.com secret",
					     "user att@example.com secret", "user quiet@example.com secret", NULL };
	if (ewsd_start_with_users(&srv, users)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd delivery and meeting invitations", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
