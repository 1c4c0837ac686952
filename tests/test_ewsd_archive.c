/* test_ewsd_archive.c — the archive mailbox and public folders of ewsd, value for value: the archive* distinguished
 * folders with Exchange's display names and classes, a tree apart from the mailbox's (FindFolder, hierarchy sync),
 * its own SyncFolderItems and ExportItems; --no-archive answers ErrorFolderNotFound; publicfoldersroot (IPM_SUBTREE)
 * with the seeded public folders, FindFolder/FindItem/GetItem there, X-PublicFolderMailbox routing and
 * GetUserSettings PublicFolderInformation; a message imported from MIME takes its Date, Importance and RFC 2047
 * subject. Names a schema set lacks (Exchange2010_SP2: archiveinbox, archiverecoverableitemsdiscoveryholds) are
 * detected from the bindings and their checks skipped, saying so. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews/base64.h"
#include "ews_schema.h"
#include "ews_test.h"
#include "ewsd_harness.h"
#include "ews_schema_members.h"

/* The archive mailbox's distinguished folders (archiveroot, archivemsgfolderroot ...) came with Exchange 2010 SP1:
 * with bindings from an older set (Exchange2007_SP1) the archive's checks are skipped, saying so. */
#define HAVE_ARCHIVE EWS_TEST_DEFINED(EWS_HAS_ewstype__DistinguishedFolderIdNameType_archivemsgfolderroot)
#define ARCHIVE_FOLDERS "distinguished folder archivemsgfolderroot (the archive mailbox)"

static struct ewsd_proc srv;
#define ME "archive@example.com"

static char *post_as(const char *user, const char *http_headers, const char *body)
{
	struct http_resp r;
	if (ews_post_http(&srv, user, "Exchange2016", NULL, http_headers, body, &r)) {
		http_resp_free(&r);
		return NULL;
	}
	free(r.headers);
	return r.body;
}

static char *post(const char *body) { return post_as(ME, NULL, body); }


/* 1 when the bindings' schema has this DistinguishedFolderId name (ewsd is built from the same bindings). */
static int schema_has(const char *name)
{
	struct soap *s = soap_new();
	enum ewstype__DistinguishedFolderIdNameType v;
	int yes = soap_s2ewstype__DistinguishedFolderIdNameType(s, name, &v) == SOAP_OK && (int)v >= 0 &&
		  !strcmp(soap_ewstype__DistinguishedFolderIdNameType2s(s, v), name);
	soap_destroy(s), soap_end(s), soap_free(s);
	if (!yes)
		printf("\n  skipped: %s (the schema set %s has no such distinguished folder)\n", name, EWS_SCHEMA_NAME);
	return yes;
}

static char *get_folder(const char *user, const char *http_headers, const char *name)
{
	char body[512];
	snprintf(body, sizeof body, "<m:GetFolder><m:FolderShape><t:BaseShape>AllProperties</t:BaseShape></m:FolderShape>"
		 "<m:FolderIds><t:DistinguishedFolderId Id=\"%s\"/></m:FolderIds></m:GetFolder>", name);
	return post_as(user, http_headers, body);
}

static void the_archive_folders_have_exchange_s_names_and_classes(void)
{
	if (!ews_test_needs(HAVE_ARCHIVE, ARCHIVE_FOLDERS, "the archive folders' names and classes"))
		return;
	static const struct { const char *name, *display, *cls; } want[] = {
		{ "archiveroot", "Root", NULL },
		{ "archivemsgfolderroot", "Top of Information Store", NULL },
		{ "archiveinbox", "Inbox", "IPF.Note" },
		{ "archivedeleteditems", "Deleted Items", "IPF.Note" },
		{ "archiverecoverableitemsroot", "Recoverable Items", NULL },
		{ "archiverecoverableitemsdeletions", "Deletions", NULL },
		{ "archiverecoverableitemsversions", "Versions", NULL },
		{ "archiverecoverableitemspurges", "Purges", NULL },
		{ "archiverecoverableitemsdiscoveryholds", "DiscoveryHolds", NULL },
	};
	for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
		if (!schema_has(want[k].name))
			continue;
		char *r = get_folder(ME, NULL, want[k].name);
		ewsd_text_is(r, "ResponseCode", 0, "NoError");
		ewsd_text_is(r, "DisplayName", 0, want[k].display);
		char *cls = r ? xml_text(r, "FolderClass", 0) : NULL;
		CU_ASSERT_STRING_EQUAL(cls ? cls : "(none)", want[k].cls ? want[k].cls : "(none)");
		free(cls), free(r);
	}
}

static char *find_folders(const char *parent, const char *traversal)
{
	char body[512];
	snprintf(body, sizeof body, "<m:FindFolder Traversal=\"%s\"><m:FolderShape><t:BaseShape>Default</t:BaseShape>"
		 "</m:FolderShape><m:ParentFolderIds><t:DistinguishedFolderId Id=\"%s\"/></m:ParentFolderIds>"
		 "</m:FindFolder>", traversal, parent);
	return post(body);
}

static int has_name(const char *xml, const char *name)
{
	int n = xml_count(xml, "DisplayName"), hit = 0;
	for (int k = 0; k < n && !hit; k++) {
		char *v = xml_text(xml, "DisplayName", k);
		hit = v && !strcmp(v, name);
		free(v);
	}
	return hit;
}

static void the_archive_is_a_tree_apart_from_the_mailbox_s(void)
{
	if (!ews_test_needs(HAVE_ARCHIVE, ARCHIVE_FOLDERS, "the archive is a tree apart"))
		return;
	char *mbx = find_folders("root", "Deep"), *arc = find_folders("archiveroot", "Deep");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mbx);
	CU_ASSERT_PTR_NOT_NULL_FATAL(arc);
	ewsd_text_is(arc, "ResponseCode", 0, "NoError");
	/* the archive: its Top of Information Store, Inbox, Deleted Items, Recoverable Items and the 4 dumpster folders */
	CU_ASSERT_EQUAL(xml_count(arc, "DisplayName"), 8);
	CU_ASSERT(has_name(arc, "Top of Information Store") && has_name(arc, "Deleted Items") && has_name(arc, "Purges"));
	/* the mailbox's tree never reaches it: one Deleted Items (the mailbox's), no second Top of Information Store */
	int tops = 0, deleted = 0, n = xml_count(mbx, "DisplayName");
	for (int k = 0; k < n; k++) {
		char *v = xml_text(mbx, "DisplayName", k);
		tops += v && !strcmp(v, "Top of Information Store");
		deleted += v && !strcmp(v, "Deleted Items");
		free(v);
	}
	CU_ASSERT_EQUAL(tops, 1);
	CU_ASSERT_EQUAL(deleted, 1);
	free(mbx), free(arc);
}

static char *sync_hierarchy(const char *folder)
{
	char body[512];
	if (folder)
		snprintf(body, sizeof body, "<m:SyncFolderHierarchy><m:FolderShape><t:BaseShape>AllProperties</t:BaseShape>"
			 "</m:FolderShape><m:SyncFolderId><t:DistinguishedFolderId Id=\"%s\"/></m:SyncFolderId>"
			 "</m:SyncFolderHierarchy>", folder);
	else
		snprintf(body, sizeof body, "<m:SyncFolderHierarchy><m:FolderShape><t:BaseShape>AllProperties"
			 "</t:BaseShape></m:FolderShape></m:SyncFolderHierarchy>");
	return post(body);
}

static void the_archive_hierarchy_syncs_on_its_own(void)
{
	if (!ews_test_needs(HAVE_ARCHIVE, ARCHIVE_FOLDERS, "the archive hierarchy syncs on its own"))
		return;
	char *arc = sync_hierarchy("archivemsgfolderroot"), *mbx = sync_hierarchy(NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(arc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mbx);
	ewsd_text_is(arc, "ResponseCode", 0, "NoError");
	CU_ASSERT_EQUAL(xml_count(arc, "Create"), 2);       /* Inbox and Deleted Items of the archive */
	CU_ASSERT(has_name(arc, "Inbox") && has_name(arc, "Deleted Items"));
	CU_ASSERT(!has_name(arc, "Sent Items"));
	/* the mailbox's sync: its own folders, none of the archive's */
	CU_ASSERT(has_name(mbx, "Sent Items"));
	CU_ASSERT_EQUAL(xml_count(mbx, "Create") > 10, 1);
	int inboxes = 0, n = xml_count(mbx, "DisplayName");
	for (int k = 0; k < n; k++) {
		char *v = xml_text(mbx, "DisplayName", k);
		inboxes += v && !strcmp(v, "Inbox");
		free(v);
	}
	CU_ASSERT_EQUAL(inboxes, 1);
	free(arc), free(mbx);
}

static void archive_items_sync_and_export_on_their_own(void)
{
	if (!ews_test_needs(HAVE_ARCHIVE, ARCHIVE_FOLDERS, "archive items sync and export"))
		return;
	const char *where = schema_has("archiveinbox") ? "archiveinbox" : "archivedeleteditems";
	char body[1024];
	snprintf(body, sizeof body, "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:SavedItemFolderId>"
		 "<t:DistinguishedFolderId Id=\"%s\"/></m:SavedItemFolderId><m:Items><t:Message><t:Subject>Old "
		 "contract</t:Subject></t:Message></m:Items></m:CreateItem>", where);
	char *r = post(body), *id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	snprintf(body, sizeof body, "<m:SyncFolderItems><m:ItemShape><t:BaseShape>Default</t:BaseShape></m:ItemShape>"
		 "<m:SyncFolderId><t:DistinguishedFolderId Id=\"%s\"/></m:SyncFolderId><m:MaxChangesReturned>100"
		 "</m:MaxChangesReturned></m:SyncFolderItems>", where);
	char *s = post(body);
	ewsd_text_is(s, "ResponseCode", 0, "NoError");
	CU_ASSERT_EQUAL(s ? xml_count(s, "Create") : -1, 1);
	ewsd_text_is(s, "Subject", 0, "Old contract");
	/* the mailbox's Inbox does not have it */
	char *in = post("<m:SyncFolderItems><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:SyncFolderId>"
			"<t:DistinguishedFolderId Id=\"inbox\"/></m:SyncFolderId><m:MaxChangesReturned>100"
			"</m:MaxChangesReturned></m:SyncFolderItems>");
	CU_ASSERT(in && !strstr(in, id));
	snprintf(body, sizeof body, "<m:ExportItems><m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:ExportItems>", id);
	char *e = post(body);
	ewsd_text_is(e, "ResponseCode", 0, "NoError");
	char *data = e ? xml_text(e, "Data", 0) : NULL;
	CU_ASSERT(data && strlen(data) > 0);
	free(r), free(id), free(s), free(in), free(e), free(data);
}

static int total_of(const char *name)
{
	char *r = get_folder(ME, NULL, name), *t = r ? xml_text(r, "TotalCount", 0) : NULL;
	int n = t ? atoi(t) : -1;
	free(r), free(t);
	return n;
}

static void a_deleted_archive_item_goes_to_the_archive_s_deleted_items(void)
{
	if (!ews_test_needs(HAVE_ARCHIVE, ARCHIVE_FOLDERS, "a deleted archive item"))
		return;
	char *r = post("<m:CreateItem MessageDisposition=\"SaveOnly\"><m:SavedItemFolderId><t:DistinguishedFolderId "
		       "Id=\"archivemsgfolderroot\"/></m:SavedItemFolderId><m:Items><t:Message><t:Subject>Obsolete"
		       "</t:Subject></t:Message></m:Items></m:CreateItem>");
	char *id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL, body[1024];
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	int archive_deleted = total_of("archivedeleteditems"), mailbox_deleted = total_of("deleteditems");
	snprintf(body, sizeof body, "<m:DeleteItem DeleteType=\"MoveToDeletedItems\"><m:ItemIds><t:ItemId Id=\"%s\"/>"
		 "</m:ItemIds></m:DeleteItem>", id);
	char *d = post(body);
	ewsd_text_is(d, "ResponseCode", 0, "NoError");
	CU_ASSERT_EQUAL(total_of("archivedeleteditems"), archive_deleted + 1);
	CU_ASSERT_EQUAL(total_of("deleteditems"), mailbox_deleted);
	free(r), free(id), free(d);
}

static void without_an_archive_its_folders_are_not_found(void)
{
	if (!ews_test_needs(HAVE_ARCHIVE, ARCHIVE_FOLDERS, "without an archive its folders are not found"))
		return;
	struct ewsd_proc bare;
	static const char *const extra[] = { "--no-archive", NULL };
	CU_ASSERT_EQUAL_FATAL(ewsd_start(&bare, NULL, extra), 0);
	struct http_resp r;
	CU_ASSERT_EQUAL(ews_post(&bare, "plain@example.com", "Exchange2016", NULL,
				 "<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape><m:FolderIds>"
				 "<t:DistinguishedFolderId Id=\"archivemsgfolderroot\"/><t:DistinguishedFolderId Id=\"inbox\"/>"
				 "</m:FolderIds></m:GetFolder>", &r), 0);
	ewsd_text_is(r.body, "ResponseCode", 0, "ErrorFolderNotFound");
	ewsd_text_is(r.body, "ResponseCode", 1, "NoError");
	http_resp_free(&r);
	ewsd_stop(&bare, 0);
}

/* ---- public folders (a seeded store: the domain's public folders) ---- */

static struct ewsd_proc pub;
#define PF_USER "reader@example.com"

static char *post_pub(const char *user, const char *http_headers, const char *body)
{
	struct http_resp r;
	if (ews_post_http(&pub, user, "Exchange2013_SP1", NULL, http_headers, body, &r)) {
		http_resp_free(&r);
		return NULL;
	}
	free(r.headers);
	return r.body;
}

static char *pub_find_folders(const char *user, const char *headers)
{
	return post_pub(user, headers, "<m:FindFolder Traversal=\"Shallow\"><m:FolderShape><t:BaseShape>AllProperties"
			"</t:BaseShape></m:FolderShape><m:IndexedPageFolderView MaxEntriesReturned=\"10\" Offset=\"0\" "
			"BasePoint=\"Beginning\"/><m:ParentFolderIds><t:DistinguishedFolderId Id=\"publicfoldersroot\"/>"
			"</m:ParentFolderIds></m:FindFolder>");
}

static void publicfoldersroot_is_the_ipm_subtree_of_the_domain(void)
{
	struct http_resp r;
	CU_ASSERT_EQUAL_FATAL(ews_post_http(&pub, PF_USER, "Exchange2013_SP1", NULL,
					    "X-AnchorMailbox: PublicFolders@example.com\r\n"
					    "X-PublicFolderMailbox: PublicFolders@example.com\r\n",
					    "<m:GetFolder><m:FolderShape><t:BaseShape>AllProperties</t:BaseShape></m:FolderShape>"
					    "<m:FolderIds><t:DistinguishedFolderId Id=\"publicfoldersroot\"/></m:FolderIds>"
					    "</m:GetFolder>", &r), 0);
	ewsd_text_is(r.body, "ResponseCode", 0, "NoError");
	ewsd_text_is(r.body, "DisplayName", 0, "IPM_SUBTREE");
	ewsd_text_is(r.body, "ChildFolderCount", 0, "3");
	http_resp_free(&r);
}

static void the_seeded_public_folders_are_listed_with_their_classes(void)
{
	char *r = pub_find_folders(PF_USER, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	CU_ASSERT_EQUAL(xml_count(r, "DisplayName"), 3);
	ewsd_text_is(r, "DisplayName", 0, "Company Announcements");
	ewsd_text_is(r, "DisplayName", 1, "Shared Contacts");
	ewsd_text_is(r, "DisplayName", 2, "Team Calendar");
	ewsd_text_is(r, "FolderClass", 0, "IPF.Note");
	ewsd_text_is(r, "FolderClass", 1, "IPF.Contact");
	ewsd_text_is(r, "FolderClass", 2, "IPF.Appointment");
	ewsd_text_is(r, "TotalCount", 0, "3");
	ewsd_text_is(r, "ChildFolderCount", 0, "1");
	/* any user of the domain sees the same tree */
	char *other = pub_find_folders("someone.else@example.com", NULL);
	CU_ASSERT_EQUAL(other ? xml_count(other, "DisplayName") : -1, 3);
	free(r), free(other);
}

static void public_folder_items_are_found_and_read(void)
{
	char *r = pub_find_folders(PF_USER, NULL), *fid = r ? xml_attr(r, "FolderId", "Id", 0) : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(fid);
	char body[2048];
	/* a content request: routed to the content mailbox, as GUID@domain */
	char *root = post_pub(PF_USER, NULL, "<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape>"
			      "</m:FolderShape><m:FolderIds><t:DistinguishedFolderId Id=\"publicfoldersroot\"/>"
			      "</m:FolderIds></m:GetFolder>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	snprintf(body, sizeof body, "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>Default</t:BaseShape>"
		 "</m:ItemShape><m:IndexedPageItemView MaxEntriesReturned=\"10\" Offset=\"0\" BasePoint=\"Beginning\"/>"
		 "<m:SortOrder><t:FieldOrder Order=\"Ascending\"><t:FieldURI FieldURI=\"item:DateTimeReceived\"/>"
		 "</t:FieldOrder></m:SortOrder><m:ParentFolderIds><t:FolderId Id=\"%s\"/></m:ParentFolderIds></m:FindItem>",
		 fid);
	char *items = post_pub(PF_USER, "X-AnchorMailbox: PublicFolders@example.com\r\n", body);
	ewsd_text_is(items, "ResponseCode", 0, "NoError");
	CU_ASSERT_EQUAL(items ? xml_count(items, "Message") : -1, 3);
	ewsd_text_is(items, "Subject", 0, "Welcome to the new intranet");
	ewsd_text_is(items, "Subject", 2, "Quarterly results");
	char *iid = items ? xml_attr(items, "ItemId", "Id", 0) : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(iid);
	snprintf(body, sizeof body, "<m:GetItem><m:ItemShape><t:BaseShape>AllProperties</t:BaseShape></m:ItemShape>"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", iid);
	char *got = post_pub(PF_USER, NULL, body);
	ewsd_text_is(got, "ResponseCode", 0, "NoError");
	ewsd_text_is(got, "Subject", 0, "Welcome to the new intranet");
	ewsd_text_is(got, "DateTimeReceived", 0, "2024-06-03T08:30:00Z");
	/* a user of another domain does not reach them */
	char *foreign = post_pub("outsider@fabrikam.com", NULL, body);
	ewsd_text_is(foreign, "ResponseCode", 0, "ErrorNonExistentMailbox");
	free(r), free(fid), free(root), free(items), free(iid), free(got), free(foreign);
}

static void a_request_routed_to_another_mailbox_is_refused(void)
{
	char *r = pub_find_folders(PF_USER, "X-PublicFolderMailbox: Somebody@example.com\r\n");
	ewsd_text_is(r, "ResponseCode", 0, "ErrorPublicFolderMailboxDiscoveryFailed");
	free(r);
}

static void autodiscover_names_the_public_folder_mailbox(void)
{
	static const char body[] =
		"<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:a=\"http://schemas.microsoft.com/"
		"exchange/2010/Autodiscover\" xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Header>"
		"<a:RequestedServerVersion>Exchange2013</a:RequestedServerVersion></soap:Header><soap:Body>"
		"<a:GetUserSettingsRequestMessage><a:Request><a:Users><a:User><a:Mailbox>reader@example.com</a:Mailbox>"
		"</a:User></a:Users><a:RequestedSettings><a:Setting>PublicFolderInformation</a:Setting>"
		"</a:RequestedSettings></a:Request></a:GetUserSettingsRequestMessage></soap:Body></soap:Envelope>";
	struct http_resp r;
	CU_ASSERT_EQUAL_FATAL(http_request(&pub, "POST", "/autodiscover/autodiscover.svc",
					   "Authorization: Basic cmVhZGVyQGV4YW1wbGUuY29tOnNlY3JldA==\r\n"
					   "Content-Type: text/xml; charset=utf-8\r\n", body, strlen(body), &r), 0);
	CU_ASSERT_EQUAL(r.status, 200);
	ewsd_text_is(r.body, "Name", 0, "PublicFolderInformation");
	ewsd_text_is(r.body, "Value", 0, "PublicFolders@example.com");
	http_resp_free(&r);
}

/* ---- MIME import: the header values become properties ---- */

static void an_imported_message_takes_its_date_importance_and_encoded_subject(void)
{
	static const char eml[] = "From: =?iso-8859-1?Q?Andr=E9?= <andre@example.com>\r\nTo: bob@example.com\r\n"
				  "Subject: =?utf-8?B?Q2Fmw6k=?= =?utf-8?Q?_plans?=\r\n"
				  "Date: Mon, 3 Jun 2024 11:15:00 +0200\r\nImportance: high\r\nMIME-Version: 1.0\r\n"
				  "Content-Type: text/plain; charset=\"utf-8\"\r\n\r\nSee you.\r\n";
	char *b64 = NULL, body[2048];
	CU_ASSERT_FATAL(ews_ok(ews_base64_encode((const unsigned char *)eml, strlen(eml), &b64)));
	snprintf(body, sizeof body, "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:Items><t:Message><t:MimeContent>"
		 "%s</t:MimeContent></t:Message></m:Items></m:CreateItem>", b64);
	char *r = post(body), *id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	snprintf(body, sizeof body, "<m:GetItem><m:ItemShape><t:BaseShape>AllProperties</t:BaseShape></m:ItemShape>"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", id);
	char *g = post(body);
	ewsd_text_is(g, "Subject", 0, "Caf\xc3\xa9 plans");
	ewsd_text_is(g, "DateTimeSent", 0, "2024-06-03T09:15:00Z");
	ewsd_text_is(g, "Importance", 0, "High");
	ewsd_text_is(g, "Name", 0, "Andr\xc3\xa9");
	free(b64), free(r), free(id), free(g);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "the archive folders have Exchange's names and classes",
		  the_archive_folders_have_exchange_s_names_and_classes },
		{ "the archive is a tree apart from the mailbox's", the_archive_is_a_tree_apart_from_the_mailbox_s },
		{ "the archive hierarchy syncs on its own", the_archive_hierarchy_syncs_on_its_own },
		{ "archive items sync and export on their own", archive_items_sync_and_export_on_their_own },
		{ "a deleted archive item goes to the archive's Deleted Items",
		  a_deleted_archive_item_goes_to_the_archive_s_deleted_items },
		{ "without an archive its folders are not found", without_an_archive_its_folders_are_not_found },
		{ "publicfoldersroot is the IPM_SUBTREE of the domain", publicfoldersroot_is_the_ipm_subtree_of_the_domain },
		{ "the seeded public folders are listed with their classes",
		  the_seeded_public_folders_are_listed_with_their_classes },
		{ "public folder items are found and read", public_folder_items_are_found_and_read },
		{ "a request routed to another mailbox is refused", a_request_routed_to_another_mailbox_is_refused },
		{ "autodiscover names the public folder mailbox", autodiscover_names_the_public_folder_mailbox },
		{ "an imported message takes its Date, Importance and encoded subject",
		  an_imported_message_takes_its_date_importance_and_encoded_subject },
		{ NULL, NULL }
	};
	char dir[] = "/tmp/ews-pf-XXXXXX";
	if (!mkdtemp(dir) || ewsd_seed(dir, PF_USER, 5, 1)) {
		fprintf(stderr, "cannot seed a store\n");
		return 1;
	}
	if (ewsd_start(&srv, NULL, NULL) || ewsd_start(&pub, dir, NULL)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd archive mailbox and public folders", cases);
	ewsd_stop(&srv, 0);
	ewsd_stop(&pub, 0);     /* removes dir */
	return rc;
}
