/* test_ewsd_send.c — SendItem against a running ewsd: a draft sent with SaveItemToFolder lands in Sent Items (or
 * the folder named) stamped as sent and read, the recipient's local mailbox gets it unread in its Inbox, the draft
 * is gone; SaveItemToFolder="false" keeps no copy; what cannot be sent is refused per item. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;

static char *post_as(const char *user, const char *body) { return ews_post_body(&srv, user, "Exchange2013", body); }

static char *draft(const char *user, const char *folder, const char *item_xml)
{
	char body[4096];
	snprintf(body, sizeof body, "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:SavedItemFolderId>"
		 "<t:DistinguishedFolderId Id=\"%s\"/></m:SavedItemFolderId><m:Items>%s</m:Items></m:CreateItem>", folder,
		 item_xml);
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

static char *send_items(const char *user, const char *save, const char *saved_to, const char *ids_xml)
{
	char body[8192], to[256] = "";
	if (saved_to)
		snprintf(to, sizeof to, "<m:SavedItemFolderId><t:DistinguishedFolderId Id=\"%s\"/></m:SavedItemFolderId>",
			 saved_to);
	snprintf(body, sizeof body, "<m:SendItem SaveItemToFolder=\"%s\"><m:ItemIds>%s</m:ItemIds>%s</m:SendItem>", save,
		 ids_xml, to);
	return post_as(user, body);
}


static void a_sent_draft_goes_to_sent_items_and_the_recipient(void)
{
	const char *me = "sender@example.com", *you = "receiver@example.com";
	CU_ASSERT_EQUAL(count_in(you, "inbox"), 0);             /* makes the recipient's mailbox */
	char *id = draft(me, "drafts", "<t:Message><t:Subject>hello</t:Subject><t:ToRecipients><t:Mailbox>"
				       "<t:EmailAddress>receiver@example.com</t:EmailAddress></t:Mailbox></t:ToRecipients>"
				       "</t:Message>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char ids[1024];
	snprintf(ids, sizeof ids, "<t:ItemId Id=\"%s\"/>", id);
	char *r = send_items(me, "true", NULL, ids);
	ewsd_code_is(r, 0, "NoError");
	CU_ASSERT(r && xml_count(r, "SendItemResponseMessage") == 1);
	free(r);
	CU_ASSERT_EQUAL(count_in(me, "drafts"), 0);
	CU_ASSERT_EQUAL(count_in(me, "sentitems"), 1);
	CU_ASSERT_EQUAL(count_in(you, "inbox"), 1);
	r = post_as(me, "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>AllProperties</t:BaseShape>"
			"</m:ItemShape><m:ParentFolderIds><t:DistinguishedFolderId Id=\"sentitems\"/></m:ParentFolderIds>"
			"</m:FindItem>");
	char *read = r ? xml_text(r, "IsRead", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(read ? read : "", "true");
	CU_ASSERT(r && strstr(r, "DateTimeSent"));
	free(read), free(r);
	r = post_as(you, "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>AllProperties</t:BaseShape>"
			 "</m:ItemShape><m:ParentFolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:ParentFolderIds>"
			 "</m:FindItem>");
	read = r ? xml_text(r, "IsRead", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(read ? read : "", "false");
	CU_ASSERT(r && strstr(r, "sender@example.com"));
	free(read), free(r), free(id);
}

static void save_item_to_folder_false_keeps_no_copy(void)
{
	const char *me = "nocopy@example.com";
	char *id = draft(me, "drafts", "<t:Message><t:Subject>gone</t:Subject><t:ToRecipients><t:Mailbox><t:EmailAddress>"
				       "someone@elsewhere.example</t:EmailAddress></t:Mailbox></t:ToRecipients></t:Message>");
	char ids[1024];
	snprintf(ids, sizeof ids, "<t:ItemId Id=\"%s\"/>", id);
	char *r = send_items(me, "false", NULL, ids);
	ewsd_code_is(r, 0, "NoError");
	free(r);
	CU_ASSERT_EQUAL(count_in(me, "drafts"), 0);
	CU_ASSERT_EQUAL(count_in(me, "sentitems"), 0);
	/* SavedItemFolderId names where the copy goes */
	free(id);
	id = draft(me, "drafts", "<t:Message><t:Subject>kept</t:Subject><t:ToRecipients><t:Mailbox><t:EmailAddress>"
				 "someone@elsewhere.example</t:EmailAddress></t:Mailbox></t:ToRecipients></t:Message>");
	snprintf(ids, sizeof ids, "<t:ItemId Id=\"%s\"/>", id);
	r = send_items(me, "true", "junkemail", ids); /* a distinguished folder every schema set names */
	ewsd_code_is(r, 0, "NoError");
	free(r), free(id);
	CU_ASSERT_EQUAL(count_in(me, "junkemail"), 1);
	CU_ASSERT_EQUAL(count_in(me, "sentitems"), 0);
}

static void what_cannot_be_sent_is_refused_per_item(void)
{
	const char *me = "refused@example.com";
	char *norcpt = draft(me, "drafts", "<t:Message><t:Subject>nobody</t:Subject></t:Message>");
	char *cal = draft(me, "calendar", "<t:CalendarItem><t:Subject>meet</t:Subject><t:Start>2024-01-01T10:00:00Z"
					  "</t:Start><t:End>2024-01-01T11:00:00Z</t:End></t:CalendarItem>");
	char *ok = draft(me, "drafts", "<t:Message><t:Subject>fine</t:Subject><t:ToRecipients><t:Mailbox><t:EmailAddress>"
				       "x@elsewhere.example</t:EmailAddress></t:Mailbox></t:ToRecipients></t:Message>");
	CU_ASSERT_FATAL(norcpt && cal && ok);
	char ids[4096];
	snprintf(ids, sizeof ids, "<t:ItemId Id=\"%s\"/><t:ItemId Id=\"%s\"/><t:ItemId Id=\"%s\" ChangeKey=\"x\"/>"
		 "<t:ItemId Id=\"%s\"/>", norcpt, cal, ok, ok);
	char *r = send_items(me, "true", NULL, ids);
	ewsd_code_is(r, 0, "ErrorInvalidRecipients");
	ewsd_code_is(r, 1, "ErrorInvalidItemForOperationSendItem");
	ewsd_code_is(r, 2, "ErrorInvalidChangeKey");
	ewsd_code_is(r, 3, "NoError");
	free(r), free(norcpt), free(cal), free(ok);
	CU_ASSERT_EQUAL(count_in(me, "drafts"), 1);
	CU_ASSERT_EQUAL(count_in(me, "sentitems"), 1);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "a sent draft goes to Sent Items and the recipient", a_sent_draft_goes_to_sent_items_and_the_recipient },
		{ "SaveItemToFolder false keeps no copy", save_item_to_folder_false_keeps_no_copy },
		{ "what cannot be sent is refused per item", what_cannot_be_sent_is_refused_per_item },
		{ NULL, NULL }
	};
	if (ewsd_start(&srv, NULL, NULL)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd SendItem", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
