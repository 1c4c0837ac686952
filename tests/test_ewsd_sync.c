/* test_ewsd_sync.c — ewsd SyncFolderItems/SyncFolderHierarchy: the SyncFolderItems reference page replayed (its
 * request with a foreign SyncState gets its error answer; its meeting request synchronizes from Sent Items as in
 * its success example), paging by MaxChangesReturned, Create/Update/ReadFlagChange/Delete, Ignore, state checks,
 * and sync states surviving a restart and a kill. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;

static char *post_as(const char *user, const char *body, int *status)
{
	struct http_resp r;
	if (ews_post(&srv, user, "Exchange2013", NULL, body, &r)) {
		http_resp_free(&r);
		return NULL;
	}
	if (status)
		*status = r.status;
	free(r.headers);
	return r.body;
}

static char *post(const char *body) { return post_as(NULL, body, NULL); }

/* (not sync(): every suite sees <unistd.h>, through the precompiled soapH.h) */
static char *sync_request(const char *folder, const char *state, int max, const char *ignore)
{
	char *body = malloc(8192);
	char st[1024] = "", ig[2048] = "";
	if (state)
		snprintf(st, sizeof st, "<m:SyncState>%s</m:SyncState>", state);
	if (ignore)
		snprintf(ig, sizeof ig, "<m:Ignore>%s</m:Ignore>", ignore);
	snprintf(body, 8192, "<m:SyncFolderItems><m:ItemShape><t:BaseShape>Default</t:BaseShape></m:ItemShape>"
		 "<m:SyncFolderId>%s</m:SyncFolderId>%s%s<m:MaxChangesReturned>%d</m:MaxChangesReturned>"
		 "</m:SyncFolderItems>", folder, st, ig, max);
	char *r = post(body);
	free(body);
	return r;
}

static const char *const inbox = "<t:DistinguishedFolderId Id=\"inbox\"/>";

static void create_messages(int n, const char *folder)
{
	char body[8192];
	size_t k = (size_t)snprintf(body, sizeof body, "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:SavedItemFolderId>%s"
				    "</m:SavedItemFolderId><m:Items>", folder);
	for (int i = 0; i < n; i++)
		k += (size_t)snprintf(body + k, sizeof body - k, "<t:Message><t:Subject>Sync %d</t:Subject></t:Message>", i);
	snprintf(body + k, sizeof body - k, "</m:Items></m:CreateItem>");
	free(post(body));
}

static char *state_inbox;       /* the state after the full first sync of the inbox */

static void first_sync_pages_by_max_changes(void)
{
	create_messages(12, inbox);
	char *state = NULL;
	int creates = 0, calls = 0;
	for (;;) {
		char *r = sync_request(inbox, state, 5, NULL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(r);
		char *code = xml_text(r, "ResponseCode", 0), *last = xml_text(r, "IncludesLastItemInRange", 0);
		CU_ASSERT_STRING_EQUAL(code ? code : "", "NoError");
		int n = xml_count(r, "Create");
		CU_ASSERT(n <= 5);
		creates += n;
		calls++;
		free(state);
		state = xml_text(r, "SyncState", 0);
		int done = last && !strcmp(last, "true");
		free(code), free(last), free(r);
		if (done || calls > 10)
			break;
	}
	CU_ASSERT_EQUAL(creates, 12);
	CU_ASSERT_EQUAL(calls, 3);      /* 5 + 5 + 2 */
	state_inbox = state;
	/* nothing new: no changes, same answer shape */
	char *r = sync_request(inbox, state_inbox, 100, NULL);
	CU_ASSERT_EQUAL(xml_count(r, "Create") + xml_count(r, "Update") + xml_count(r, "Delete"), 0);
	char *last = xml_text(r, "IncludesLastItemInRange", 0);
	CU_ASSERT_STRING_EQUAL(last ? last : "", "true");
	free(last), free(r);
}

static char *item_id_with_subject(const char *subject, char **ck)
{
	char body[1024];
	snprintf(body, sizeof body, "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
		 "</m:ItemShape><m:Restriction><t:IsEqualTo><t:FieldURI FieldURI=\"item:Subject\"/><t:FieldURIOrConstant>"
		 "<t:Constant Value=\"%s\"/></t:FieldURIOrConstant></t:IsEqualTo></m:Restriction><m:ParentFolderIds>"
		 "<t:DistinguishedFolderId Id=\"inbox\"/></m:ParentFolderIds></m:FindItem>", subject);
	char *r = post(body);
	char *id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	if (ck)
		*ck = r ? xml_attr(r, "ItemId", "ChangeKey", 0) : NULL;
	free(r);
	return id;
}

static void incremental_changes_each_kind(void)
{
	char *ck1, *ck2;
	char *upd = item_id_with_subject("Sync 1", &ck1), *rd = item_id_with_subject("Sync 2", &ck2),
	     *del = item_id_with_subject("Sync 3", NULL), *ign = item_id_with_subject("Sync 4", NULL);
	CU_ASSERT_FATAL(upd && rd && del && ign);
	char body[4096];
	snprintf(body, sizeof body,
		 "<m:UpdateItem ConflictResolution=\"AutoResolve\" MessageDisposition=\"SaveOnly\"><m:ItemChanges>"
		 "<t:ItemChange><t:ItemId Id=\"%s\" ChangeKey=\"%s\"/><t:Updates><t:SetItemField>"
		 "<t:FieldURI FieldURI=\"item:Subject\"/><t:Message><t:Subject>Sync 1 renamed</t:Subject></t:Message>"
		 "</t:SetItemField></t:Updates></t:ItemChange>"
		 "<t:ItemChange><t:ItemId Id=\"%s\" ChangeKey=\"%s\"/><t:Updates><t:SetItemField>"
		 "<t:FieldURI FieldURI=\"message:IsRead\"/><t:Message><t:IsRead>false</t:IsRead></t:Message>"
		 "</t:SetItemField></t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>", upd, ck1, rd, ck2);
	char *r = post(body);
	CU_ASSERT(r && !strstr(r, "ResponseClass=\"Error\""));
	char *newck = r ? xml_attr(r, "ItemId", "ChangeKey", 0) : NULL;
	CU_ASSERT(newck && strcmp(newck, ck1));   /* ChangeKeys change on every update */
	free(newck), free(r);
	/* the stale ChangeKey now conflicts */
	r = post(body);
	char *code = r ? xml_text(r, "ResponseCode", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(code ? code : "", "ErrorIrresolvableConflict");
	free(code), free(r);
	snprintf(body, sizeof body, "<m:DeleteItem DeleteType=\"HardDelete\"><m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds>"
		 "</m:DeleteItem>", del);
	free(post(body));
	snprintf(body, sizeof body, "<m:UpdateItem ConflictResolution=\"AlwaysOverwrite\"><m:ItemChanges><t:ItemChange>"
		 "<t:ItemId Id=\"%s\"/><t:Updates><t:SetItemField><t:FieldURI FieldURI=\"item:Subject\"/><t:Message>"
		 "<t:Subject>ignored change</t:Subject></t:Message></t:SetItemField></t:Updates></t:ItemChange>"
		 "</m:ItemChanges></m:UpdateItem>", ign);
	free(post(body));
	create_messages(1, inbox);

	char ignore[1024];
	snprintf(ignore, sizeof ignore, "<t:ItemId Id=\"%s\"/>", ign);
	r = sync_request(inbox, state_inbox, 100, ignore);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(xml_count(r, "Create"), 1);
	CU_ASSERT_EQUAL(xml_count(r, "Update"), 1);
	CU_ASSERT_EQUAL(xml_count(r, "ReadFlagChange"), 1);
	CU_ASSERT_EQUAL(xml_count(r, "Delete"), 1);
	char *u = xml_element(r, "Update", 0), *d = xml_element(r, "Delete", 0), *f = xml_element(r, "ReadFlagChange", 0);
	char *uid = u ? xml_attr(u, "ItemId", "Id", 0) : NULL, *usub = u ? xml_text(u, "Subject", 0) : NULL;
	char *did = d ? xml_attr(d, "ItemId", "Id", 0) : NULL, *fid = f ? xml_attr(f, "ItemId", "Id", 0) : NULL;
	char *fread = f ? xml_text(f, "IsRead", 0) : NULL;
	CU_ASSERT(uid && !strcmp(uid, upd));
	CU_ASSERT_STRING_EQUAL(usub ? usub : "", "Sync 1 renamed");
	CU_ASSERT(did && !strcmp(did, del));
	CU_ASSERT(fid && !strcmp(fid, rd));
	CU_ASSERT_STRING_EQUAL(fread ? fread : "", "false");
	free(u), free(d), free(f), free(uid), free(usub), free(did), free(fid), free(fread);
	free(r);
	free(upd), free(rd), free(del), free(ign), free(ck1), free(ck2);
}

/* The page's request (Sent Items, SyncState "AEbJ94eMOAAA=", Ignore, MaxChangesReturned 100) posted as written:
 * that state is not ours, so the answer is the page's error example, value for value. */
static void reference_request_gets_the_reference_error(void)
{
	char *page = ews_test_read_file(ews_test_shared_path("seeds/002_8593fce4c3fbae08.txt"), NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(page);
	char **b;
	int nb = ews_test_xml_blocks(page, &b);
	CU_ASSERT_EQUAL_FATAL(nb, 3);
	struct http_resp r;
	CU_ASSERT_EQUAL_FATAL(http_request(&srv, "POST", "/EWS/Exchange.asmx", NULL, b[0], strlen(b[0]), &r), 0);
	CU_ASSERT_EQUAL(r.status, 200);
	const char *elems[] = { "MessageText", "ResponseCode", "DescriptiveLinkKey", "SyncState", "IncludesLastItemInRange" };
	for (int i = 0; i < 5; i++) {
		char *want = xml_text(b[2], elems[i], 0), *got = xml_text(r.body, elems[i], 0);
		CU_ASSERT(want && got && !strcmp(want, got));
		free(want), free(got);
	}
	char *want = xml_attr(b[2], "SyncFolderItemsResponseMessage", "ResponseClass", 0);
	char *got = xml_attr(r.body, "SyncFolderItemsResponseMessage", "ResponseClass", 0);
	CU_ASSERT(want && got && !strcmp(want, got) && !strcmp(got, "Error"));
	free(want), free(got);
	CU_ASSERT_EQUAL(xml_count(r.body, "Changes"), 0);
	http_resp_free(&r);

	/* the page's success example: its meeting request, synchronized from Sent Items on the first sync */
	char *ok = b[1];
	char body[4096];
	char *subject = xml_text(ok, "Subject", 0), *start = xml_text(ok, "Start", 0), *end = xml_text(ok, "End", 0),
	     *loc = xml_text(ok, "Location", 0), *org = xml_text(ok, "Name", 0), *addr = xml_text(ok, "EmailAddress", 0);
	snprintf(body, sizeof body, "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:SavedItemFolderId>"
		 "<t:DistinguishedFolderId Id=\"sentitems\"/></m:SavedItemFolderId><m:Items><t:MeetingRequest>"
		 "<t:Subject>%s</t:Subject><t:From><t:Mailbox><t:Name>%s</t:Name><t:EmailAddress>%s</t:EmailAddress>"
		 "</t:Mailbox></t:From><t:Start>%s</t:Start><t:End>%s</t:End><t:Location>%s</t:Location>"
		 "</t:MeetingRequest></m:Items></m:CreateItem>", subject, org, addr, start, end, loc);
	free(post(body));
	char *rs = sync_request("<t:DistinguishedFolderId Id=\"sentitems\"/>", NULL, 100, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rs);
	char *mr = xml_element(rs, "MeetingRequest", 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mr);
	const char *fields[] = { "Subject", "Start", "End", "Location", "Name", "EmailAddress", "RoutingType" };
	for (int i = 0; i < 7; i++) {
		char *w = xml_text(ok, fields[i], 0), *g = xml_text(mr, fields[i], 0);
		CU_ASSERT(w && g && !strcmp(w, g));
		free(w), free(g);
	}
	char *last = xml_text(rs, "IncludesLastItemInRange", 0);
	CU_ASSERT_STRING_EQUAL(last ? last : "", "true");
	free(last), free(mr), free(rs);
	free(subject), free(start), free(end), free(loc), free(org), free(addr);
	ews_test_free_blocks(b, nb);
	free(page);
}

static void foreign_or_tampered_state_is_invalid(void)
{
	/* the inbox state used on another folder */
	char *r = sync_request("<t:DistinguishedFolderId Id=\"drafts\"/>", state_inbox, 10, NULL);
	char *code = xml_text(r, "ResponseCode", 0);
	CU_ASSERT_STRING_EQUAL(code ? code : "", "ErrorInvalidSyncStateData");
	free(code), free(r);
	/* one character changed */
	char *bad = strdup(state_inbox);
	bad[10] = bad[10] == 'A' ? 'B' : 'A';
	r = sync_request(inbox, bad, 10, NULL);
	code = xml_text(r, "ResponseCode", 0);
	CU_ASSERT_STRING_EQUAL(code ? code : "", "ErrorInvalidSyncStateData");
	free(code), free(r), free(bad);
	r = sync_request(inbox, "not base64 at all!", 10, NULL);
	code = xml_text(r, "ResponseCode", 0);
	CU_ASSERT_STRING_EQUAL(code ? code : "", "ErrorInvalidSyncStateData");
	free(code), free(r);
	/* another user's mailbox: same folder name, state not valid there */
	char body[2048];
	snprintf(body, sizeof body, "<m:SyncFolderItems><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>"
		 "<m:SyncFolderId><t:DistinguishedFolderId Id=\"inbox\"/></m:SyncFolderId><m:SyncState>%s</m:SyncState>"
		 "<m:MaxChangesReturned>10</m:MaxChangesReturned></m:SyncFolderItems>", state_inbox);
	r = post_as("other@example.com", body, NULL);
	code = xml_text(r, "ResponseCode", 0);
	CU_ASSERT_STRING_EQUAL(code ? code : "", "ErrorInvalidSyncStateData");
	free(code), free(r);
}

static void max_changes_out_of_range_fails_validation(void)
{
	int status = 0;
	const char *tpl = "<m:SyncFolderItems><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:SyncFolderId>"
			  "<t:DistinguishedFolderId Id=\"inbox\"/></m:SyncFolderId><m:MaxChangesReturned>%d"
			  "</m:MaxChangesReturned></m:SyncFolderItems>";
	int bad[] = { 0, 513 };
	for (int i = 0; i < 2; i++) {
		char body[1024];
		snprintf(body, sizeof body, tpl, bad[i]);
		char *r = post_as(NULL, body, &status);
		CU_ASSERT_EQUAL(status, 500);
		char *fc = r ? xml_text(r, "faultcode", 0) : NULL;
		CU_ASSERT_STRING_EQUAL(fc ? fc : "", "a:ErrorSchemaValidation");
		free(fc), free(r);
	}
	char body[1024];
	snprintf(body, sizeof body, tpl, 512);
	char *r = post_as(NULL, body, &status);
	CU_ASSERT_EQUAL(status, 200);
	free(r);
}

static void hierarchy_sync_reports_folder_changes(void)
{
	const char *first = "<m:SyncFolderHierarchy><m:FolderShape><t:BaseShape>Default</t:BaseShape></m:FolderShape>"
			    "</m:SyncFolderHierarchy>";
	char *r = post(first);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(xml_count(r, "Create"), 24);   /* every folder under the top of the information store */
	CU_ASSERT(strstr(r, "<t:DisplayName>Inbox</t:DisplayName>") != NULL);
	char *state = xml_text(r, "SyncState", 0);
	free(r);
	r = post("<m:CreateFolder><m:ParentFolderId><t:DistinguishedFolderId Id=\"inbox\"/></m:ParentFolderId><m:Folders>"
		 "<t:Folder><t:DisplayName>Projects</t:DisplayName></t:Folder></m:Folders></m:CreateFolder>");
	char *fid = xml_attr(r, "FolderId", "Id", 0);
	free(r);
	char body[2048];
	snprintf(body, sizeof body, "<m:SyncFolderHierarchy><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape>"
		 "</m:FolderShape><m:SyncState>%s</m:SyncState></m:SyncFolderHierarchy>", state);
	r = post(body);
	CU_ASSERT_EQUAL(xml_count(r, "Create"), 1);
	CU_ASSERT(strstr(r, "Projects") != NULL);
	char *state2 = xml_text(r, "SyncState", 0);
	free(r);
	snprintf(body, sizeof body, "<m:DeleteFolder DeleteType=\"HardDelete\"><m:FolderIds><t:FolderId Id=\"%s\"/>"
		 "</m:FolderIds></m:DeleteFolder>", fid);
	r = post(body);
	char *code = xml_text(r, "ResponseCode", 0);
	CU_ASSERT_STRING_EQUAL(code ? code : "", "NoError");
	free(code), free(r);
	snprintf(body, sizeof body, "<m:SyncFolderHierarchy><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape>"
		 "</m:FolderShape><m:SyncState>%s</m:SyncState></m:SyncFolderHierarchy>", state2);
	r = post(body);
	CU_ASSERT_EQUAL(xml_count(r, "Delete"), 1);
	char *did = xml_attr(r, "FolderId", "Id", 0);
	CU_ASSERT(did && fid && !strcmp(did, fid));
	free(did), free(r), free(fid), free(state), free(state2);
	/* distinguished folders cannot be deleted */
	r = post("<m:DeleteFolder DeleteType=\"HardDelete\"><m:FolderIds><t:DistinguishedFolderId Id=\"inbox\"/>"
		 "</m:FolderIds></m:DeleteFolder>");
	code = xml_text(r, "ResponseCode", 0);
	CU_ASSERT_STRING_EQUAL(code ? code : "", "ErrorDeleteDistinguishedFolder");
	free(code), free(r);
}

static void state_and_data_survive_restart_and_kill(void)
{
	char dir[256];
	snprintf(dir, sizeof dir, "%s", srv.dir);
	CU_ASSERT_EQUAL(ewsd_stop(&srv, 1), 0);               /* SIGTERM: clean exit */
	CU_ASSERT_EQUAL_FATAL(ewsd_start(&srv, dir, NULL), 0);
	char *r = sync_request(inbox, state_inbox, 100, NULL);         /* the old state is still valid */
	char *code = xml_text(r, "ResponseCode", 0);
	CU_ASSERT_STRING_EQUAL(code ? code : "", "NoError");
	CU_ASSERT_EQUAL(xml_count(r, "Create"), 1);
	free(code), free(r);
	create_messages(1, "<t:DistinguishedFolderId Id=\"drafts\"/>");  /* committed ... */
	ewsd_kill(&srv);                                               /* ... then a crash */
	CU_ASSERT_EQUAL_FATAL(ewsd_start(&srv, dir, NULL), 0);
	r = sync_request("<t:DistinguishedFolderId Id=\"drafts\"/>", NULL, 100, NULL);
	CU_ASSERT_EQUAL(xml_count(r, "Create"), 1);
	free(r);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "first sync pages by MaxChangesReturned", first_sync_pages_by_max_changes },
		{ "incremental sync: Create, Update, ReadFlagChange, Delete, Ignore", incremental_changes_each_kind },
		{ "the SyncFolderItems page's request gets its error example; its meeting request syncs",
		  reference_request_gets_the_reference_error },
		{ "a foreign or tampered SyncState is ErrorInvalidSyncStateData", foreign_or_tampered_state_is_invalid },
		{ "MaxChangesReturned outside 1..512 fails schema validation", max_changes_out_of_range_fails_validation },
		{ "SyncFolderHierarchy reports folder creation and deletion", hierarchy_sync_reports_folder_changes },
		{ "sync state and data survive a restart and a kill", state_and_data_survive_restart_and_kill },
		{ NULL, NULL }
	};
	if (ewsd_start(&srv, NULL, NULL)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd sync", cases);
	free(state_inbox);
	ewsd_stop(&srv, 0);
	return rc;
}
