/* test_ewsd_delegate.c — GetDelegate, AddDelegate, UpdateDelegate, RemoveDelegate against ewsd, value for value as
 * their reference pages answer (shared/ews-corpus/docs/ (the four delegate operation pages)), and what the delegate's folder
 * permissions let it do in the owner's mailbox: a Reviewer on the calendar finds and reads there and cannot create,
 * an Editor creates, a folder without permission is ErrorAccessDenied, a removed delegate loses its access.
 * The cases build on each other, in order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews_operations.h"
#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;
#define OWNER "owner@dlg.example.com"
#define ALICE "alice@dlg.example.com"
#define BOB "bob@dlg.example.com"
static char alice_sid[128];

static char *post_as(const char *user, const char *body)
{
	struct http_resp r;
	if (ews_post(&srv, user, "Exchange2013", NULL, body, &r)) {
		http_resp_free(&r);
		return NULL;
	}
	free(r.headers);
	return r.body;
}



/* The nth DelegateUserResponseMessageType of an answer (malloc'd), "" when there is none. */
static char *message(const char *xml, int nth)
{
	char *m = xml ? xml_element(xml, "DelegateUserResponseMessageType", nth) : NULL;
	return m ? m : strdup("");
}

#define MAILBOX "<m:Mailbox><t:EmailAddress>" OWNER "</t:EmailAddress></m:Mailbox>"
#define USER(smtp) "<t:UserId><t:PrimarySmtpAddress>" smtp "</t:PrimarySmtpAddress></t:UserId>"

static char *get_delegates(const char *user, int with_permissions, const char *user_ids)
{
	char body[2048];
	snprintf(body, sizeof body, "<m:GetDelegate IncludePermissions=\"%s\">" MAILBOX "%s%s%s</m:GetDelegate>",
		 with_permissions ? "true" : "false", user_ids ? "<m:UserIds>" : "", user_ids ? user_ids : "",
		 user_ids ? "</m:UserIds>" : "");
	return post_as(user, body);
}

static void a_mailbox_without_delegates_has_none(void)
{
	char *r = get_delegates(OWNER, 1, NULL);
	ewsd_attr_is(r, "GetDelegateResponse", "ResponseClass", 0, "Success");
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	CU_ASSERT(r && xml_count(r, "DelegateUserResponseMessageType") == 0);
	ewsd_text_is(r, "DeliverMeetingRequests", 0, "DelegatesAndSendInformationToMe");
	free(r);
}

static void two_delegates_are_added(void)
{
	char *r = post_as(OWNER, "<m:AddDelegate>" MAILBOX "<m:DelegateUsers>"
			  "<t:DelegateUser>" USER("Alice@dlg.example.com") "<t:DelegatePermissions>"
			  "<t:CalendarFolderPermissionLevel>Reviewer</t:CalendarFolderPermissionLevel>"
			  "<t:ContactsFolderPermissionLevel>Reviewer</t:ContactsFolderPermissionLevel>"
			  "</t:DelegatePermissions><t:ReceiveCopiesOfMeetingMessages>false</t:ReceiveCopiesOfMeetingMessages>"
			  "<t:ViewPrivateItems>false</t:ViewPrivateItems></t:DelegateUser>"
			  "<t:DelegateUser>" USER(BOB) "<t:DelegatePermissions>"
			  "<t:CalendarFolderPermissionLevel>Editor</t:CalendarFolderPermissionLevel>"
			  "<t:InboxFolderPermissionLevel>Author</t:InboxFolderPermissionLevel>"
			  "<t:NotesFolderPermissionLevel>None</t:NotesFolderPermissionLevel>"
			  "</t:DelegatePermissions><t:ReceiveCopiesOfMeetingMessages>true</t:ReceiveCopiesOfMeetingMessages>"
			  "<t:ViewPrivateItems>true</t:ViewPrivateItems></t:DelegateUser>"
			  "</m:DelegateUsers><m:DeliverMeetingRequests>DelegatesAndMe</m:DeliverMeetingRequests></m:AddDelegate>");
	ewsd_attr_is(r, "AddDelegateResponse", "ResponseClass", 0, "Success");
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	CU_ASSERT(r && xml_count(r, "DelegateUserResponseMessageType") == 2);
	char *a = message(r, 0), *b = message(r, 1);
	ewsd_attr_is(a, "DelegateUserResponseMessageType", "ResponseClass", 0, "Success");
	ewsd_text_is(a, "ResponseCode", 0, "NoError");
	ewsd_text_is(a, "PrimarySmtpAddress", 0, ALICE);       /* the directory's address, not the request's spelling */
	ewsd_text_is(a, "DisplayName", 0, "alice");
	char *sid = xml_text(a, "SID", 0);
	CU_ASSERT(sid && !strncmp(sid, "S-1-5-21-", 9));
	snprintf(alice_sid, sizeof alice_sid, "%s", sid ? sid : "");
	free(sid);
	/* the AddDelegate page's answer: no permissions, the two options */
	CU_ASSERT(xml_count(a, "DelegatePermissions") == 0);
	ewsd_text_is(a, "ReceiveCopiesOfMeetingMessages", 0, "false");
	ewsd_text_is(a, "ViewPrivateItems", 0, "false");
	ewsd_text_is(b, "PrimarySmtpAddress", 0, BOB);
	ewsd_text_is(b, "ReceiveCopiesOfMeetingMessages", 0, "true");
	ewsd_text_is(b, "ViewPrivateItems", 0, "true");
	char *bsid = xml_text(b, "SID", 0);
	CU_ASSERT(bsid && strcmp(bsid, alice_sid));       /* one SID per user */
	free(bsid), free(a), free(b), free(r);
}

static void get_with_permissions_lists_the_levels_set(void)
{
	char *r = get_delegates(OWNER, 1, NULL);
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	CU_ASSERT(r && xml_count(r, "DelegateUserResponseMessageType") == 2);
	char *a = message(r, 0), *b = message(r, 1);
	ewsd_text_is(a, "PrimarySmtpAddress", 0, ALICE);
	ewsd_text_is(a, "CalendarFolderPermissionLevel", 0, "Reviewer");
	ewsd_text_is(a, "ContactsFolderPermissionLevel", 0, "Reviewer");
	CU_ASSERT(xml_count(a, "TasksFolderPermissionLevel") == 0);    /* None: left out, as the page shows */
	ewsd_text_is(b, "CalendarFolderPermissionLevel", 0, "Editor");
	ewsd_text_is(b, "InboxFolderPermissionLevel", 0, "Author");
	CU_ASSERT(xml_count(b, "NotesFolderPermissionLevel") == 0);
	/* after the messages, as on the GetDelegate page */
	ewsd_text_is(r, "DeliverMeetingRequests", 0, "DelegatesAndMe");
	CU_ASSERT(r && strstr(r, "</m:ResponseMessages>") && strstr(r, "DeliverMeetingRequests") > strstr(r, "</m:ResponseMessages>"));
	free(a), free(b), free(r);
}

static void get_without_permissions_leaves_them_out(void)
{
	char *r = get_delegates(OWNER, 0, NULL);
	CU_ASSERT(r && xml_count(r, "DelegateUserResponseMessageType") == 2);
	CU_ASSERT(r && xml_count(r, "DelegatePermissions") == 0);
	ewsd_text_is(r, "ViewPrivateItems", 1, "true");
	free(r);
}

static void get_finds_users_by_sid_and_display_name(void)
{
	char ids[512];
	snprintf(ids, sizeof ids, "<t:UserId><t:SID>%s</t:SID></t:UserId><t:UserId><t:DisplayName>bob</t:DisplayName>"
		 "</t:UserId>" USER("owner@dlg.example.com"), alice_sid);
	char *r = get_delegates(OWNER, 0, ids);
	CU_ASSERT(r && xml_count(r, "DelegateUserResponseMessageType") == 3);
	char *a = message(r, 0), *b = message(r, 1), *c = message(r, 2);
	ewsd_text_is(a, "PrimarySmtpAddress", 0, ALICE);
	ewsd_text_is(b, "PrimarySmtpAddress", 0, BOB);
	/* a user who is not a delegate, as the UpdateDelegate page's error */
	ewsd_attr_is(c, "DelegateUserResponseMessageType", "ResponseClass", 0, "Error");
	ewsd_text_is(c, "ResponseCode", 0, "ErrorNotDelegate");
	ewsd_text_is(c, "MessageText", 0, "The user is not a delegate for the mailbox.");
	free(a), free(b), free(c), free(r);
}

static void update_changes_only_what_it_names(void)
{
	char *r = post_as(OWNER, "<m:UpdateDelegate>" MAILBOX "<m:DelegateUsers>"
			  "<t:DelegateUser>" USER(BOB) "<t:DelegatePermissions>"
			  "<t:TasksFolderPermissionLevel>Reviewer</t:TasksFolderPermissionLevel>"
			  "<t:InboxFolderPermissionLevel>None</t:InboxFolderPermissionLevel>"
			  "</t:DelegatePermissions><t:ViewPrivateItems>false</t:ViewPrivateItems></t:DelegateUser>"
			  "</m:DelegateUsers><m:DeliverMeetingRequests>DelegatesOnly</m:DeliverMeetingRequests>"
			  "</m:UpdateDelegate>");
	ewsd_attr_is(r, "UpdateDelegateResponse", "ResponseClass", 0, "Success");
	ewsd_text_is(r, "ResponseCode", 1, "NoError");
	ewsd_text_is(r, "PrimarySmtpAddress", 0, BOB);
	ewsd_text_is(r, "ReceiveCopiesOfMeetingMessages", 0, "true");   /* kept */
	ewsd_text_is(r, "ViewPrivateItems", 0, "false");
	CU_ASSERT(r && xml_count(r, "DelegatePermissions") == 0);
	free(r);
	r = get_delegates(OWNER, 1, USER(BOB));
	ewsd_text_is(r, "CalendarFolderPermissionLevel", 0, "Editor");
	ewsd_text_is(r, "TasksFolderPermissionLevel", 0, "Reviewer");
	CU_ASSERT(r && xml_count(r, "InboxFolderPermissionLevel") == 0);
	ewsd_text_is(r, "DeliverMeetingRequests", 0, "DelegatesOnly");
	free(r);
}

static void meeting_copies_need_editor_on_the_calendar(void)
{
	char *r = post_as(OWNER, "<m:UpdateDelegate>" MAILBOX "<m:DelegateUsers>"
			  "<t:DelegateUser>" USER(ALICE) "<t:ReceiveCopiesOfMeetingMessages>true"
			  "</t:ReceiveCopiesOfMeetingMessages></t:DelegateUser></m:DelegateUsers></m:UpdateDelegate>");
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	ewsd_text_is(r, "ResponseCode", 1, "ErrorDelegateValidationFailed");
	CU_ASSERT(r && xml_count(r, "DelegateUser") == 0);
	free(r);
	r = get_delegates(OWNER, 0, USER(ALICE));
	ewsd_text_is(r, "ReceiveCopiesOfMeetingMessages", 0, "false");    /* nothing changed */
	free(r);
}

static void adding_a_delegate_twice_is_refused(void)
{
	char *r = post_as(OWNER, "<m:AddDelegate>" MAILBOX "<m:DelegateUsers><t:DelegateUser>" USER(ALICE)
			  "</t:DelegateUser></m:DelegateUsers></m:AddDelegate>");
	/* the AddDelegate page's error, value for value */
	ewsd_attr_is(r, "AddDelegateResponse", "ResponseClass", 0, "Success");
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	ewsd_attr_is(r, "DelegateUserResponseMessageType", "ResponseClass", 0, "Error");
	ewsd_text_is(r, "MessageText", 0, "The user is already a delegate for the mailbox.");
	ewsd_text_is(r, "ResponseCode", 1, "ErrorDelegateAlreadyExists");
	ewsd_text_is(r, "DescriptiveLinkKey", 0, "0");
	free(r);
}

static void unknown_users_and_the_owner_cannot_be_added(void)
{
	char *r = post_as(OWNER, "<m:AddDelegate>" MAILBOX "<m:DelegateUsers>"
			  "<t:DelegateUser>" USER("nobody@dlg.example.com") "</t:DelegateUser>"
			  "<t:DelegateUser><t:UserId><t:SID>S-1-5-21-1-2-3-4</t:SID></t:UserId></t:DelegateUser>"
			  "<t:DelegateUser><t:UserId></t:UserId></t:DelegateUser>"
			  "<t:DelegateUser>" USER(OWNER) "</t:DelegateUser>"
			  "<t:DelegateUser>" USER("dave@dlg.example.com") "<t:DelegatePermissions>"
			  "<t:CalendarFolderPermissionLevel>Custom</t:CalendarFolderPermissionLevel></t:DelegatePermissions>"
			  "</t:DelegateUser></m:DelegateUsers></m:AddDelegate>");
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	ewsd_text_is(r, "ResponseCode", 1, "ErrorDelegateNoUser");
	ewsd_text_is(r, "ResponseCode", 2, "ErrorDelegateNoUser");
	ewsd_text_is(r, "ResponseCode", 3, "ErrorInvalidUserInfo");
	ewsd_text_is(r, "ResponseCode", 4, "ErrorDelegateCannotAddOwner");
	ewsd_text_is(r, "ResponseCode", 5, "ErrorInvalidDelegatePermission");
	free(r);
	r = get_delegates(OWNER, 0, NULL);
	CU_ASSERT(r && xml_count(r, "DelegateUserResponseMessageType") == 2);
	free(r);
}

static void a_user_who_is_not_a_delegate_cannot_be_removed_or_updated(void)
{
	char *r = post_as(OWNER, "<m:RemoveDelegate>" MAILBOX "<m:UserIds>" USER("dave@dlg.example.com")
			  "</m:UserIds></m:RemoveDelegate>");
	/* the RemoveDelegate page's error */
	ewsd_attr_is(r, "RemoveDelegateResponse", "ResponseClass", 0, "Success");
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	ewsd_attr_is(r, "DelegateUserResponseMessageType", "ResponseClass", 0, "Error");
	ewsd_text_is(r, "MessageText", 0, "The user is not a delegate for the mailbox.");
	ewsd_text_is(r, "ResponseCode", 1, "ErrorNotDelegate");
	free(r);
	r = post_as(OWNER, "<m:UpdateDelegate>" MAILBOX "<m:DelegateUsers><t:DelegateUser>"
		    USER("dave@dlg.example.com") "</t:DelegateUser></m:DelegateUsers></m:UpdateDelegate>");
	ewsd_text_is(r, "ResponseCode", 1, "ErrorNotDelegate");
	free(r);
}

static void only_the_owner_manages_its_delegates(void)
{
	char *r = get_delegates(ALICE, 1, NULL);
	ewsd_attr_is(r, "GetDelegateResponse", "ResponseClass", 0, "Error");
	ewsd_text_is(r, "ResponseCode", 0, "ErrorAccessDenied");
	CU_ASSERT(r && xml_count(r, "ResponseMessages") == 0);
	free(r);
}

#define IN_OWNERS(folder) "<t:DistinguishedFolderId Id=\"" folder "\"><t:Mailbox><t:EmailAddress>" OWNER \
	"</t:EmailAddress></t:Mailbox></t:DistinguishedFolderId>"

static char *find_in(const char *user, const char *folder_xml)
{
	char body[1024];
	snprintf(body, sizeof body, "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
		 "</m:ItemShape><m:ParentFolderIds>%s</m:ParentFolderIds></m:FindItem>", folder_xml);
	return post_as(user, body);
}

static char *create_meeting_in_owners_calendar(const char *user)
{
	return post_as(user, "<m:CreateItem SendMeetingInvitations=\"SendToNone\"><m:SavedItemFolderId>"
		       IN_OWNERS("calendar") "</m:SavedItemFolderId><m:Items><t:CalendarItem><t:Subject>Planned by a "
		       "delegate</t:Subject><t:Start>2026-12-10T10:00:00Z</t:Start><t:End>2026-12-10T11:00:00Z</t:End>"
		       "</t:CalendarItem></m:Items></m:CreateItem>");
}

static void a_reviewer_reads_the_calendar_and_cannot_create(void)
{
	char *own = find_in(OWNER, "<t:DistinguishedFolderId Id=\"calendar\"/>");
	char *r = find_in(ALICE, IN_OWNERS("calendar"));
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	char *total = own ? xml_attr(own, "RootFolder", "TotalItemsInView", 0) : NULL;
	CU_ASSERT_PTR_NOT_NULL(total);
	ewsd_attr_is(r, "RootFolder", "TotalItemsInView", 0, total ? total : "?");
	CU_ASSERT(total && atoi(total) > 0);
	/* one of them by its id */
	char *id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char body[1024];
	snprintf(body, sizeof body, "<m:GetItem><m:ItemShape><t:BaseShape>Default</t:BaseShape></m:ItemShape>"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", id);
	char *got = post_as(ALICE, body);
	ewsd_text_is(got, "ResponseCode", 0, "NoError");
	CU_ASSERT(got && xml_count(got, "CalendarItem") == 1);
	/* a Reviewer cannot change or delete it */
	snprintf(body, sizeof body, "<m:DeleteItem DeleteType=\"HardDelete\" SendMeetingCancellations=\"SendToNone\">"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:DeleteItem>", id);
	char *del = post_as(ALICE, body);
	ewsd_text_is(del, "ResponseCode", 0, "ErrorAccessDenied");
	char *c = create_meeting_in_owners_calendar(ALICE);
	ewsd_text_is(c, "ResponseCode", 0, "ErrorAccessDenied");
	free(own), free(r), free(total), free(id), free(got), free(del), free(c);
}

static void a_folder_without_permission_is_denied(void)
{
	char *r = find_in(ALICE, IN_OWNERS("inbox"));
	ewsd_attr_is(r, "FindItemResponseMessage", "ResponseClass", 0, "Error");
	ewsd_text_is(r, "ResponseCode", 0, "ErrorAccessDenied");
	free(r);
	/* bob's Inbox level was set back to None */
	r = find_in(BOB, IN_OWNERS("inbox"));
	ewsd_text_is(r, "ResponseCode", 0, "ErrorAccessDenied");
	free(r);
}

static void an_editor_creates_in_the_owners_calendar(void)
{
	char *before = find_in(OWNER, "<t:DistinguishedFolderId Id=\"calendar\"/>");
	char *c = create_meeting_in_owners_calendar(BOB);
	ewsd_text_is(c, "ResponseCode", 0, "NoError");
	char *after = find_in(OWNER, "<t:DistinguishedFolderId Id=\"calendar\"/>");
	char *n0 = before ? xml_attr(before, "RootFolder", "TotalItemsInView", 0) : NULL;
	char *n1 = after ? xml_attr(after, "RootFolder", "TotalItemsInView", 0) : NULL;
	CU_ASSERT(n0 && n1 && atoi(n1) == atoi(n0) + 1);       /* in the owner's calendar, not bob's */
	free(before), free(c), free(after), free(n0), free(n1);
}

static void an_editor_uploads_into_the_owners_calendar(void)
{
	if (!ews_test_have_op("UploadItems", "an editor uploads into the owner's calendar"))
		return;
	/* UploadItems names its folder as a ParentFolderId: putting items there needs the create right */
	char *own = find_in(OWNER, "<t:DistinguishedFolderId Id=\"calendar\"/>");
	char *iid = own ? xml_attr(own, "ItemId", "Id", 0) : NULL;
	char *fold = post_as(OWNER, "<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape>"
			     "<m:FolderIds><t:DistinguishedFolderId Id=\"calendar\"/></m:FolderIds></m:GetFolder>");
	char *fid = fold ? xml_attr(fold, "FolderId", "Id", 0) : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(iid);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fid);
	char body[1024];
	snprintf(body, sizeof body, "<m:ExportItems><m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:ExportItems>", iid);
	char *ex = post_as(OWNER, body);
	char *data = ex ? xml_text(ex, "Data", 0) : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	size_t n = strlen(data) + strlen(fid) + 256;
	char *up = malloc(n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(up);
	snprintf(up, n, "<m:UploadItems><m:Items><t:Item CreateAction=\"CreateNew\"><t:ParentFolderId Id=\"%s\"/>"
		 "<t:Data>%s</t:Data></t:Item></m:Items></m:UploadItems>", fid, data);
	char *r = post_as(BOB, up);
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	free(r);
	r = post_as("dave@dlg.example.com", up);       /* no entry on the calendar */
	ewsd_text_is(r, "ResponseCode", 0, "ErrorFolderNotFound");
	free(r), free(up), free(data), free(ex), free(fid), free(fold), free(iid), free(own);
}

static void a_removed_delegate_loses_its_access(void)
{
	char ids[512];
	snprintf(ids, sizeof ids, "<m:RemoveDelegate>" MAILBOX "<m:UserIds><t:UserId><t:SID>%s</t:SID></t:UserId>"
		 "</m:UserIds></m:RemoveDelegate>", alice_sid);
	char *r = post_as(OWNER, ids);
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	ewsd_text_is(r, "ResponseCode", 1, "NoError");
	CU_ASSERT(r && xml_count(r, "DelegateUser") == 0);     /* as the RemoveDelegate page */
	free(r);
	r = find_in(ALICE, IN_OWNERS("calendar"));
	ewsd_text_is(r, "ResponseCode", 0, "ErrorAccessDenied");
	free(r);
	r = get_delegates(OWNER, 1, NULL);
	CU_ASSERT(r && xml_count(r, "DelegateUserResponseMessageType") == 1);
	ewsd_text_is(r, "PrimarySmtpAddress", 0, BOB);
	free(r);
}

/* ---- folder permissions (folder:PermissionSet), as the folder-permissions how-to page ---- */

static char *permissions_of(const char *folder)
{
	char body[512];
	snprintf(body, sizeof body, "<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties>"
		 "<t:FieldURI FieldURI=\"folder:PermissionSet\"/></t:AdditionalProperties></m:FolderShape><m:FolderIds>"
		 "<t:DistinguishedFolderId Id=\"%s\"/></m:FolderIds></m:GetFolder>", folder);
	return post_as(OWNER, body);
}

/* The nth Permission element (malloc'd), "" when there is none. */
static char *permission(const char *xml, int nth)
{
	char *p = xml ? xml_element(xml, "Permission", nth) : NULL;
	return p ? p : strdup("");
}

static void expect_flags(const char *p, const char *create, const char *sub, const char *owner, const char *visible,
			 const char *contact, const char *edit, const char *del, const char *read, const char *level)
{
	ewsd_text_is(p, "CanCreateItems", 0, create);
	ewsd_text_is(p, "CanCreateSubFolders", 0, sub);
	ewsd_text_is(p, "IsFolderOwner", 0, owner);
	ewsd_text_is(p, "IsFolderVisible", 0, visible);
	ewsd_text_is(p, "IsFolderContact", 0, contact);
	ewsd_text_is(p, "EditItems", 0, edit);
	ewsd_text_is(p, "DeleteItems", 0, del);
	ewsd_text_is(p, "ReadItems", 0, read);
	ewsd_text_is(p, "PermissionLevel", 0, level);
}

static void a_folder_without_entries_has_default_and_anonymous(void)
{
	char *r = permissions_of("sentitems");
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	CU_ASSERT(r && xml_count(r, "Permission") == 2);
	char *d = permission(r, 0), *a = permission(r, 1);
	ewsd_text_is(d, "DistinguishedUser", 0, "Default");
	expect_flags(d, "false", "false", "false", "false", "false", "None", "None", "None", "None");
	ewsd_text_is(a, "DistinguishedUser", 0, "Anonymous");
	expect_flags(a, "false", "false", "false", "false", "false", "None", "None", "None", "None");
	CU_ASSERT(r && xml_count(r, "DisplayName") == 0);     /* IdOnly + the set only */
	free(d), free(a), free(r);
}

static void a_delegates_level_is_a_permission_of_the_folder(void)
{
	char *r = permissions_of("calendar");
	CU_ASSERT(r && xml_count(r, "Permission") == 3);
	char *b = permission(r, 2);
	ewsd_text_is(b, "PrimarySmtpAddress", 0, BOB);
	ewsd_text_is(b, "DisplayName", 0, "bob");
	expect_flags(b, "true", "false", "false", "true", "false", "All", "All", "FullDetails", "Editor");
	free(b), free(r);
}

#define SET_PERMISSIONS(folder, entries) "<m:UpdateFolder><m:FolderChanges><t:FolderChange>" \
	"<t:DistinguishedFolderId Id=\"" folder "\"/><t:Updates><t:SetFolderField>" \
	"<t:FieldURI FieldURI=\"folder:PermissionSet\"/><t:Folder><t:PermissionSet><t:Permissions>" entries \
	"</t:Permissions></t:PermissionSet></t:Folder></t:SetFolderField></t:Updates></t:FolderChange>" \
	"</m:FolderChanges></m:UpdateFolder>"
#define ENTRY(user, level) "<t:Permission><t:UserId>" user "</t:UserId><t:PermissionLevel>" level \
	"</t:PermissionLevel></t:Permission>"
#define DEFAULT_NONE ENTRY("<t:DistinguishedUser>Default</t:DistinguishedUser>", "None") \
	ENTRY("<t:DistinguishedUser>Anonymous</t:DistinguishedUser>", "None")

static void update_folder_sets_the_permission_set(void)
{
	char *r = post_as(OWNER, SET_PERMISSIONS("sentitems", DEFAULT_NONE
			  ENTRY("<t:PrimarySmtpAddress>dave@dlg.example.com</t:PrimarySmtpAddress>", "Editor")));
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	free(r);
	r = permissions_of("sentitems");
	CU_ASSERT(r && xml_count(r, "Permission") == 3);
	char *p = permission(r, 2);
	ewsd_text_is(p, "PrimarySmtpAddress", 0, "dave@dlg.example.com");
	expect_flags(p, "true", "false", "false", "true", "false", "All", "All", "FullDetails", "Editor");
	free(p), free(r);
	/* the entry lets dave in */
	r = find_in("dave@dlg.example.com", IN_OWNERS("sentitems"));
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	free(r);
	/* the page's second update: Default and Anonymous only, which takes dave's entry away */
	r = post_as(OWNER, SET_PERMISSIONS("sentitems", DEFAULT_NONE));
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	free(r);
	r = permissions_of("sentitems");
	CU_ASSERT(r && xml_count(r, "Permission") == 2);
	free(r);
	r = find_in("dave@dlg.example.com", IN_OWNERS("sentitems"));
	ewsd_text_is(r, "ResponseCode", 0, "ErrorAccessDenied");
	free(r);
}

static void the_default_entry_is_every_users_level(void)
{
	char *r = post_as(OWNER, SET_PERMISSIONS("notes", ENTRY("<t:DistinguishedUser>Default</t:DistinguishedUser>",
								 "Reviewer")));
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	free(r);
	r = find_in("dave@dlg.example.com", IN_OWNERS("notes"));
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	free(r);
}

static void a_permission_set_that_cannot_be_kept_is_refused(void)
{
	char *r = post_as(OWNER, SET_PERMISSIONS("sentitems", DEFAULT_NONE
			  ENTRY("<t:PrimarySmtpAddress>dave@dlg.example.com</t:PrimarySmtpAddress>", "Custom")));
	ewsd_text_is(r, "ResponseCode", 0, "ErrorInvalidPermissionSettings");
	ewsd_attr_is(r, "FieldURI", "FieldURI", 0, "folder:PermissionSet");
	free(r);
	r = post_as(OWNER, SET_PERMISSIONS("sentitems", DEFAULT_NONE
			  ENTRY("<t:PrimarySmtpAddress>nobody@dlg.example.com</t:PrimarySmtpAddress>", "Editor")));
	ewsd_text_is(r, "ResponseCode", 0, "ErrorInvalidUserInfo");
	free(r);
	r = permissions_of("sentitems");
	CU_ASSERT(r && xml_count(r, "Permission") == 2);     /* nothing changed */
	free(r);
}

static void create_folder_takes_a_permission_set(void)
{
	char *r = post_as(OWNER, "<m:CreateFolder><m:ParentFolderId><t:DistinguishedFolderId Id=\"inbox\"/>"
			  "</m:ParentFolderId><m:Folders><t:Folder><t:DisplayName>Shared with dave</t:DisplayName>"
			  "<t:PermissionSet><t:Permissions>" DEFAULT_NONE
			  ENTRY("<t:PrimarySmtpAddress>dave@dlg.example.com</t:PrimarySmtpAddress>", "Reviewer")
			  "</t:Permissions></t:PermissionSet></t:Folder></m:Folders></m:CreateFolder>");
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	char *id = r ? xml_attr(r, "FolderId", "Id", 0) : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char folder[600];
	snprintf(folder, sizeof folder, "<t:FolderId Id=\"%s\"/>", id);
	char *found = find_in("dave@dlg.example.com", folder);     /* by its FolderId, in another mailbox */
	ewsd_text_is(found, "ResponseCode", 0, "NoError");
	free(found), free(id), free(r);
	/* refused: the folder is not made */
	r = post_as(OWNER, "<m:CreateFolder><m:ParentFolderId><t:DistinguishedFolderId Id=\"inbox\"/>"
		    "</m:ParentFolderId><m:Folders><t:Folder><t:DisplayName>Custom for dave</t:DisplayName>"
		    "<t:PermissionSet><t:Permissions>"
		    ENTRY("<t:PrimarySmtpAddress>dave@dlg.example.com</t:PrimarySmtpAddress>", "Custom")
		    "</t:Permissions></t:PermissionSet></t:Folder></m:Folders></m:CreateFolder>");
	ewsd_text_is(r, "ResponseCode", 0, "ErrorInvalidPermissionSettings");
	free(r);
	r = post_as(OWNER, "<m:FindFolder Traversal=\"Shallow\"><m:FolderShape><t:BaseShape>Default</t:BaseShape>"
		    "</m:FolderShape><m:ParentFolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:ParentFolderIds>"
		    "</m:FindFolder>");
	CU_ASSERT(r && strstr(r, "Shared with dave") && !strstr(r, "Custom for dave"));
	free(r);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "a mailbox without delegates has none", a_mailbox_without_delegates_has_none },
		{ "two delegates are added", two_delegates_are_added },
		{ "get with permissions lists the levels set", get_with_permissions_lists_the_levels_set },
		{ "get without permissions leaves them out", get_without_permissions_leaves_them_out },
		{ "get finds users by SID and display name", get_finds_users_by_sid_and_display_name },
		{ "update changes only what it names", update_changes_only_what_it_names },
		{ "meeting copies need Editor on the calendar", meeting_copies_need_editor_on_the_calendar },
		{ "adding a delegate twice is refused", adding_a_delegate_twice_is_refused },
		{ "unknown users and the owner cannot be added", unknown_users_and_the_owner_cannot_be_added },
		{ "a user who is not a delegate cannot be removed or updated",
		  a_user_who_is_not_a_delegate_cannot_be_removed_or_updated },
		{ "only the owner manages its delegates", only_the_owner_manages_its_delegates },
		{ "a reviewer reads the calendar and cannot create", a_reviewer_reads_the_calendar_and_cannot_create },
		{ "a folder without permission is denied", a_folder_without_permission_is_denied },
		{ "an editor creates in the owner's calendar", an_editor_creates_in_the_owners_calendar },
		{ "an editor uploads into the owner's calendar", an_editor_uploads_into_the_owners_calendar },
		{ "a removed delegate loses its access", a_removed_delegate_loses_its_access },
		{ "a folder without entries has Default and Anonymous", a_folder_without_entries_has_default_and_anonymous },
		{ "a delegate's level is a permission of the folder", a_delegates_level_is_a_permission_of_the_folder },
		{ "UpdateFolder sets the permission set", update_folder_sets_the_permission_set },
		{ "the Default entry is every user's level", the_default_entry_is_every_users_level },
		{ "a permission set that cannot be kept is refused", a_permission_set_that_cannot_be_kept_is_refused },
		{ "CreateFolder takes a permission set", create_folder_takes_a_permission_set },
		{ NULL, NULL }
	};
	char dir[] = "/tmp/ewsd-delegate.XXXXXX";
	if (!ews_operation_find("AddDelegate")) {
		printf("ewsd delegate: skipped: the bindings' schema has no AddDelegate\n");
		return 0;
	}
	if (!mkdtemp(dir) || ewsd_seed(dir, OWNER, 40, 1) || ewsd_start(&srv, dir, NULL)) {
		fprintf(stderr, "cannot seed or start ewsd\n");
		return 1;
	}
	/* open mode makes a mailbox on a user's first request: alice, bob and dave exist, nobody@ never asks */
	free(find_in(ALICE, "<t:DistinguishedFolderId Id=\"inbox\"/>"));
	free(find_in(BOB, "<t:DistinguishedFolderId Id=\"inbox\"/>"));
	free(find_in("dave@dlg.example.com", "<t:DistinguishedFolderId Id=\"inbox\"/>"));
	int rc = ews_test_run("ewsd delegate", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
