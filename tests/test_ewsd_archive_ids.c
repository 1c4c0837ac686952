/* test_ewsd_archive_ids.c — the archive mailbox's ids carry a mailbox GUID of its own, as Exchange's (the archive
 * is a mailbox apart from its owner's): every archive folder and item id names the same archive GUID, never the
 * owner's; ConvertId through HexEntryId keeps it (the EntryID's ProviderUID is the archive's); ids with it
 * resolve to the archive and never to the owner's own folders; each mailbox's archive has another GUID;
 * autodiscover's GetUserSettings AlternateMailboxes lists the archive (Type Archive) with that GUID, and none for
 * a mailbox without an archive. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/ews.h"
#include "ews/ids.h"
#include "ews_test.h"
#include "ewsd_harness.h"
#include "ews_schema_members.h"

/* The archive mailbox's distinguished folders (archiveroot, archivemsgfolderroot ...) came with Exchange 2010 SP1:
 * with bindings from an older set (Exchange2007_SP1) the archive's checks are skipped, saying so. */
#define HAVE_ARCHIVE EWS_TEST_DEFINED(EWS_HAS_ewstype__DistinguishedFolderIdNameType_archivemsgfolderroot)
#define ARCHIVE_FOLDERS "distinguished folder archivemsgfolderroot (the archive mailbox)"

static struct ewsd_proc srv;
static const char *me = "arcids@example.com";

static char *post(const char *body)
{
	struct http_resp r;
	if (ews_post(&srv, me, "Exchange2016", NULL, body, &r)) {
		http_resp_free(&r);
		return NULL;
	}
	free(r.headers);
	return r.body;
}

static void code_is(const char *r, const char *want)
{
	char *c = r ? xml_text(r, "ResponseCode", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(c ? c : "", want);
	free(c);
}

/* The mailbox GUID an EwsId names (malloc'd), or NULL. */
static char *guid_of(const char *id)
{
	ews_id *p = NULL;
	char *g = NULL;
	if (id && ews_ok(ews_id_parse(id, EWS_ID_EWS_ID, &p)) && p->moniker)
		g = strdup(p->moniker);
	ews_id_free(p);
	return g;
}

static char *folder_id(const char *name)
{
	char body[512];
	snprintf(body, sizeof body, "<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape>"
		 "<m:FolderIds><t:DistinguishedFolderId Id=\"%s\"/></m:FolderIds></m:GetFolder>", name);
	char *r = post(body), *id = r ? xml_attr(r, "FolderId", "Id", 0) : NULL;
	free(r);
	return id;
}

static char *archive_item(void)
{
	char *r = post("<m:CreateItem MessageDisposition=\"SaveOnly\"><m:SavedItemFolderId><t:DistinguishedFolderId "
		       "Id=\"archivedeleteditems\"/></m:SavedItemFolderId><m:Items><t:Message><t:Subject>kept</t:Subject>"
		       "</t:Message></m:Items></m:CreateItem>");
	char *id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(r);
	return id;
}

static char *get_item_code(const char *id)
{
	char body[1024];
	snprintf(body, sizeof body, "<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:ItemIds>"
		 "<t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", id);
	char *r = post(body), *c = r ? xml_text(r, "ResponseCode", 0) : NULL;
	free(r);
	return c;
}

static void archive_ids_carry_the_archive_s_own_mailbox_guid(void)
{
	if (!ews_test_needs(HAVE_ARCHIVE, ARCHIVE_FOLDERS, "archive ids carry the archive's GUID"))
		return;
	me = "arcids1@example.com";
	char *inbox = folder_id("inbox"), *top = folder_id("archivemsgfolderroot"), *deleted = folder_id("archivedeleteditems");
	char *item = archive_item();
	char *g_inbox = guid_of(inbox), *g_top = guid_of(top), *g_deleted = guid_of(deleted), *g_item = guid_of(item);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g_inbox);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g_top);
	CU_ASSERT(ews_id_is_guid(g_top));
	CU_ASSERT(strcmp(g_top, g_inbox) != 0);
	CU_ASSERT_STRING_EQUAL(g_deleted ? g_deleted : "", g_top);
	CU_ASSERT_STRING_EQUAL(g_item ? g_item : "", g_top);
	/* and they resolve: the folder by its id, the item by its id */
	char body[1024];
	snprintf(body, sizeof body, "<m:GetFolder><m:FolderShape><t:BaseShape>Default</t:BaseShape></m:FolderShape>"
		 "<m:FolderIds><t:FolderId Id=\"%s\"/></m:FolderIds></m:GetFolder>", deleted ? deleted : "x");
	char *r = post(body);
	code_is(r, "NoError");
	CU_ASSERT(r && strstr(r, "<t:DisplayName>Deleted Items</t:DisplayName>") != NULL);
	free(r);
	char *c = item ? get_item_code(item) : NULL;
	CU_ASSERT_STRING_EQUAL(c ? c : "", "NoError");
	free(c);
	free(inbox), free(top), free(deleted), free(item), free(g_inbox), free(g_top), free(g_deleted), free(g_item);
}

static char *convert(const char *id, const char *from, const char *to)
{
	char body[2048];
	snprintf(body, sizeof body, "<m:ConvertId DestinationFormat=\"%s\"><m:SourceIds><t:AlternateId Format=\"%s\" "
		 "Id=\"%s\" Mailbox=\"%s\"/></m:SourceIds></m:ConvertId>", to, from, id, me);
	char *r = post(body), *out = r ? xml_attr(r, "AlternateId", "Id", 0) : NULL;
	free(r);
	return out;
}

static void convertid_through_an_entry_id_keeps_the_archive_mailbox(void)
{
	if (!ews_test_needs(HAVE_ARCHIVE, ARCHIVE_FOLDERS, "ConvertId keeps the archive mailbox"))
		return;
	me = "arcids2@example.com";
	char *item = archive_item(), *g_item = guid_of(item);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g_item);
	char *hex = convert(item, "EwsId", "HexEntryId"), *back = hex ? convert(hex, "HexEntryId", "EwsId") : NULL;
	char *g_back = guid_of(back);
	CU_ASSERT_STRING_EQUAL(g_back ? g_back : "", g_item);
	char *c = back ? get_item_code(back) : NULL;
	CU_ASSERT_STRING_EQUAL(c ? c : "", "NoError");
	free(c), free(item), free(g_item), free(hex), free(back), free(g_back);
}

/* GUID text to its 16 bytes as an EntryID's ProviderUID holds them (the first three fields little-endian). */
static void guid_bytes(const char *g, unsigned char out[16])
{
	static const int order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
	unsigned v[16];
	sscanf(g, "%2x%2x%2x%2x-%2x%2x-%2x%2x-%2x%2x-%2x%2x%2x%2x%2x%2x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
	       &v[6], &v[7], &v[8], &v[9], &v[10], &v[11], &v[12], &v[13], &v[14], &v[15]);
	for (int i = 0; i < 16; i++)
		out[order[i]] = (unsigned char)v[i];
}

static void the_archive_guid_does_not_name_the_owner_s_own_folders(void)
{
	if (!ews_test_needs(HAVE_ARCHIVE, ARCHIVE_FOLDERS, "the archive GUID and the owner's folders"))
		return;
	me = "arcids3@example.com";
	char *inbox = folder_id("inbox"), *top = folder_id("archivemsgfolderroot"), *g_top = guid_of(top);
	ews_id *p = NULL;
	char *forged = NULL;
	CU_ASSERT_FATAL(inbox && g_top && ews_ok(ews_id_parse(inbox, EWS_ID_EWS_ID, &p)));
	/* the owner's Inbox EntryID, its ProviderUID and moniker made the archive's */
	unsigned char eid[128];
	CU_ASSERT_FATAL(p->entry_id_len <= sizeof eid);
	memcpy(eid, p->entry_id, p->entry_id_len);
	guid_bytes(g_top, eid + 4);
	CU_ASSERT_FATAL(ews_ok(ews_id_make_ews_id(eid, p->entry_id_len, g_top, &forged)));
	char body[1024];
	snprintf(body, sizeof body, "<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape>"
		 "<m:FolderIds><t:FolderId Id=\"%s\"/></m:FolderIds></m:GetFolder>", forged);
	char *r = post(body);
	code_is(r, "ErrorFolderNotFound");
	free(r), free(forged), ews_id_free(p), free(inbox), free(top), free(g_top);
}

static void each_mailbox_s_archive_has_a_guid_of_its_own(void)
{
	if (!ews_test_needs(HAVE_ARCHIVE, ARCHIVE_FOLDERS, "each archive's own GUID"))
		return;
	me = "arcids4@example.com";
	char *a = folder_id("archiveroot"), *ga = guid_of(a), *own = folder_id("root"), *gown = guid_of(own);
	me = "arcids5@example.com";
	char *b = folder_id("archiveroot"), *gb = guid_of(b);
	CU_ASSERT_FATAL(ga && gb && gown);
	CU_ASSERT(strcmp(ga, gb) != 0);
	CU_ASSERT(strcmp(ga, gown) != 0);
	free(a), free(ga), free(b), free(gb), free(own), free(gown);
}

/* GetUserSettings AlternateMailboxes for `user` (its Basic credentials in auth) from server p. */
static void alternate_mailboxes(struct ewsd_proc *p, const char *user, const char *auth, struct http_resp *r)
{
	char body[1024], hdr[256];
	snprintf(body, sizeof body, "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:a=\"http://schemas."
		 "microsoft.com/exchange/2010/Autodiscover\" xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">"
		 "<soap:Header><a:RequestedServerVersion>Exchange2013</a:RequestedServerVersion></soap:Header><soap:Body>"
		 "<a:GetUserSettingsRequestMessage><a:Request><a:Users><a:User><a:Mailbox>%s</a:Mailbox></a:User>"
		 "</a:Users><a:RequestedSettings><a:Setting>AlternateMailboxes</a:Setting></a:RequestedSettings>"
		 "</a:Request></a:GetUserSettingsRequestMessage></soap:Body></soap:Envelope>", user);
	snprintf(hdr, sizeof hdr, "Authorization: Basic %s\r\nContent-Type: text/xml; charset=utf-8\r\n", auth);
	memset(r, 0, sizeof *r);
	CU_ASSERT_EQUAL(http_request(p, "POST", "/autodiscover/autodiscover.svc", hdr, body, strlen(body), r), 0);
	CU_ASSERT_EQUAL(r->status, 200);
}

static void autodiscover_lists_the_archive_with_its_guid(void)
{
	if (!ews_test_needs(HAVE_ARCHIVE, ARCHIVE_FOLDERS, "autodiscover lists the archive with its GUID"))
		return;
	me = "arcids6@example.com";
	struct http_resp r;
	alternate_mailboxes(&srv, me, "YXJjaWRzNkBleGFtcGxlLmNvbTpzZWNyZXQ=", &r);
	char *type = r.body ? xml_text(r.body, "Type", 0) : NULL, *server = r.body ? xml_text(r.body, "Server", 0) : NULL;
	char *smtp = r.body ? xml_text(r.body, "SmtpAddress", 0) : NULL, *dn = r.body ? xml_text(r.body, "LegacyDN", 0) : NULL;
	char *name = r.body ? xml_text(r.body, "DisplayName", 0) : NULL;
	CU_ASSERT(r.body && strstr(r.body, "i:type=\"AlternateMailboxCollectionSetting\"") != NULL);
	CU_ASSERT_STRING_EQUAL(type ? type : "", "Archive");
	CU_ASSERT_STRING_EQUAL(name ? name : "", "In-Place Archive - arcids6@example.com");
	/* the GUID the archive's ids carry */
	char *root = folder_id("archiveroot"), *g = guid_of(root), want[128];
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	snprintf(want, sizeof want, "%s@example.com", g);
	CU_ASSERT_STRING_EQUAL(server ? server : "", want);
	CU_ASSERT_STRING_EQUAL(smtp ? smtp : "", want);
	CU_ASSERT(dn && strstr(dn, g) != NULL);
	free(type), free(server), free(smtp), free(dn), free(name), free(root), free(g);
	http_resp_free(&r);
}

static void autodiscover_lists_no_archive_for_a_mailbox_without_one(void)
{
	struct ewsd_proc bare;
	static const char *const extra[] = { "--no-archive", NULL };
	CU_ASSERT_EQUAL_FATAL(ewsd_start(&bare, NULL, extra), 0);
	struct http_resp r;
	alternate_mailboxes(&bare, "noarc@example.com", "bm9hcmNAZXhhbXBsZS5jb206c2VjcmV0", &r);
	CU_ASSERT(r.body && strstr(r.body, "<Name>AlternateMailboxes</Name><AlternateMailboxes />") != NULL);
	CU_ASSERT(r.body && xml_count(r.body, "AlternateMailbox") == 0);
	http_resp_free(&r);
	ewsd_stop(&bare, 0);
}

/* The mailbox GUID of the first item a libews pager finds in FOLDER (malloc'd), or NULL: the pager's client keeps
 * its connection, so ewsd serves each such call on the same thread. */
static char *first_item_guid(ews_client *c, const char *folder)
{
	ews_pager *p = NULL;
	ews_item_view it;
	char *g = NULL;
	if (ews_ok(ews_pager_new_items(c, &(ews_pager_options){ .folder = folder, .shape = "IdOnly" }, &p)) &&
	    ews_ok(ews_pager_next(p, &it)) && it.id)
		g = guid_of(it.id);
	ews_pager_free(p);
	return g;
}

/* ewsd remembers per thread whether a folder is in the archive while nothing changed the store (store.c): a folder
 * moved there answers with the archive's GUID at once, and its items with it, also on a connection that asked
 * about the folder before another connection moved it. */
static void a_folder_moved_into_the_archive_takes_the_archive_s_guid(void)
{
	if (!ews_test_needs(HAVE_ARCHIVE, ARCHIVE_FOLDERS, "a folder moved into the archive takes its GUID"))
		return;
	me = "arcids5@example.com";
	char *top = folder_id("archivemsgfolderroot"), *g_top = guid_of(top), *root = folder_id("msgfolderroot");
	char body[2048];
	CU_ASSERT_PTR_NOT_NULL_FATAL(g_top);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	snprintf(body, sizeof body, "<m:CreateFolder><m:ParentFolderId><t:FolderId Id=\"%s\"/></m:ParentFolderId>"
		 "<m:Folders><t:Folder><t:DisplayName>Moving</t:DisplayName></t:Folder></m:Folders></m:CreateFolder>", root);
	char *r = post(body), *f = r ? xml_attr(r, "FolderId", "Id", 0) : NULL;
	free(r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	snprintf(body, sizeof body, "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:SavedItemFolderId><t:FolderId "
		 "Id=\"%s\"/></m:SavedItemFolderId><m:Items><t:Message><t:Subject>along</t:Subject></t:Message></m:Items>"
		 "</m:CreateItem>", f);
	r = post(body);
	char *item = r ? xml_attr(r, "ItemId", "Id", 0) : NULL, *g_item = guid_of(item);
	free(r);
	CU_ASSERT(g_item && strcmp(g_item, g_top) != 0);
	ews_options opt;
	ews_client *c = NULL;
	ews_options_init(&opt);
	CU_ASSERT_FATAL(ews_ok(ews_client_new(srv.url, &opt, &c)) && ews_ok(ews_client_set_basic_auth(c, me, "secret")));
	char *g_before = first_item_guid(c, f);
	CU_ASSERT_STRING_EQUAL(g_before ? g_before : "", g_item ? g_item : "-");
	snprintf(body, sizeof body, "<m:MoveFolder><m:ToFolderId><t:FolderId Id=\"%s\"/></m:ToFolderId><m:FolderIds>"
		 "<t:FolderId Id=\"%s\"/></m:FolderIds></m:MoveFolder>", top, f);
	r = post(body);
	code_is(r, "NoError");
	char *moved = r ? xml_attr(r, "FolderId", "Id", 0) : NULL, *g_moved = guid_of(moved);
	free(r);
	CU_ASSERT_STRING_EQUAL(g_moved ? g_moved : "", g_top);
	snprintf(body, sizeof body, "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
		 "</m:ItemShape><m:ParentFolderIds><t:FolderId Id=\"%s\"/></m:ParentFolderIds></m:FindItem>",
		 moved ? moved : "x");
	r = post(body);
	code_is(r, "NoError");
	char *found = r ? xml_attr(r, "ItemId", "Id", 0) : NULL, *g_found = guid_of(found);
	free(r);
	CU_ASSERT_STRING_EQUAL(g_found ? g_found : "", g_top);
	char *g_after = moved ? first_item_guid(c, moved) : NULL;
	CU_ASSERT_STRING_EQUAL(g_after ? g_after : "", g_top);
	ews_client_free(c);
	free(top), free(g_top), free(root), free(f), free(item), free(g_item), free(moved), free(g_moved);
	free(found), free(g_found), free(g_before), free(g_after);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "archive ids carry the archive's own mailbox GUID", archive_ids_carry_the_archive_s_own_mailbox_guid },
		{ "ConvertId through an EntryId keeps the archive mailbox", convertid_through_an_entry_id_keeps_the_archive_mailbox },
		{ "the archive GUID does not name the owner's own folders", the_archive_guid_does_not_name_the_owner_s_own_folders },
		{ "each mailbox's archive has a GUID of its own", each_mailbox_s_archive_has_a_guid_of_its_own },
		{ "autodiscover lists the archive with its GUID", autodiscover_lists_the_archive_with_its_guid },
		{ "autodiscover lists no archive for a mailbox without one",
		  autodiscover_lists_no_archive_for_a_mailbox_without_one },
		{ "a folder moved into the archive takes the archive's GUID",
		  a_folder_moved_into_the_archive_takes_the_archive_s_guid },
		{ NULL, NULL }
	};
	if (ewsd_start(&srv, NULL, NULL)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd archive mailbox ids", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
