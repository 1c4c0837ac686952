/* test_ewsd_archive_item.c — ArchiveItem against a running ewsd, as its reference page (and MS-OXWSARCH) describes:
 * an item of the Inbox moves to the archive's Inbox, an item of a subfolder to the archive folder at the same path
 * (made once, then reused); one ArchiveItemResponseMessage per item with an empty Items; per-item errors leave the
 * rest of the call alone; a mailbox without an archive answers the page's ErrorInvalidOperation "Archive mailbox is
 * not enabled for this user." with DescriptiveLinkKey 0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews_operations.h"
#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;
static const char *const me = "archiver@example.com";

static char *post(const char *body)
{
	struct http_resp r;
	if (ews_post(&srv, me, "Exchange2013", NULL, body, &r)) {
		http_resp_free(&r);
		return NULL;
	}
	free(r.headers);
	return r.body;
}


static void class_is(const char *xml, int nth, const char *want)
{
	char *v = xml ? xml_attr(xml, "ArchiveItemResponseMessage", "ResponseClass", nth) : NULL;
	CU_ASSERT_STRING_EQUAL(v ? v : "(none)", want);
	free(v);
}

/* folder: `<t:DistinguishedFolderId Id="inbox"/>` or `<t:FolderId Id="..."/>` */
static char *create_in(const char *folder, const char *subject)
{
	char body[2048];
	snprintf(body, sizeof body, "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:SavedItemFolderId>%s</m:SavedItemFolderId>"
		 "<m:Items><t:Message><t:Subject>%s</t:Subject></t:Message></m:Items></m:CreateItem>", folder, subject);
	char *r = post(body), *id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(r);
	return id;
}

static char *archive(const char *source, const char *ids)
{
	char body[8192 + 512];
	snprintf(body, sizeof body, "<m:ArchiveItem><m:ArchiveSourceFolderId>%s</m:ArchiveSourceFolderId><m:ItemIds>%s"
		 "</m:ItemIds></m:ArchiveItem>", source, ids);
	return post(body);
}

/* The subjects in a folder, "|"-joined (malloc'd), or NULL when FindItem fails. */
static char *subjects_in(const char *folder)
{
	char body[1024];
	snprintf(body, sizeof body, "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>Default</t:BaseShape>"
		 "</m:ItemShape><m:ParentFolderIds>%s</m:ParentFolderIds></m:FindItem>", folder);
	char *r = post(body), *code = r ? xml_text(r, "ResponseCode", 0) : NULL;
	char *out = NULL;
	if (code && !strcmp(code, "NoError")) {
		size_t n = 1;
		out = calloc(1, strlen(r) + 1);
		for (int k = 0; out && k < xml_count(r, "Subject"); k++) {
			char *s = xml_text(r, "Subject", k);
			n += (size_t)sprintf(out + n - 1, "%s%s", k ? "|" : "", s ? s : "");
			free(s);
		}
	}
	free(code), free(r);
	return out;
}

static void subjects_are(const char *folder, const char *want)
{
	char *got = subjects_in(folder);
	if (!got || strcmp(got, want))
		fprintf(stderr, "\n  %s: [%s], expected [%s]\n", folder, got ? got : "(FindItem failed)", want);
	CU_ASSERT_STRING_EQUAL(got ? got : "(FindItem failed)", want);
	free(got);
}

static void an_inbox_item_moves_to_the_archive_inbox(void)
{
	char *id = create_in("<t:DistinguishedFolderId Id=\"inbox\"/>", "Old report"), ids[1024];
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	snprintf(ids, sizeof ids, "<t:ItemId Id=\"%s\"/>", id);
	char *r = archive("<t:DistinguishedFolderId Id=\"inbox\"/>", ids);
	CU_ASSERT(r && xml_count(r, "ArchiveItemResponseMessage") == 1);
	class_is(r, 0, "Success");
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	/* the page's answer: an empty Items, no MessageText */
	CU_ASSERT(r && xml_count(r, "Items") == 1 && xml_count(r, "ItemId") == 0 && xml_count(r, "MessageText") == 0);
	subjects_are("<t:DistinguishedFolderId Id=\"inbox\"/>", "");
	subjects_are("<t:DistinguishedFolderId Id=\"archiveinbox\"/>", "Old report");
	/* the old id is gone: a second archive of it is ErrorItemNotFound */
	free(r);
	r = archive("<t:DistinguishedFolderId Id=\"inbox\"/>", ids);
	class_is(r, 0, "Error");
	ewsd_text_is(r, "ResponseCode", 0, "ErrorItemNotFound");
	free(r), free(id);
}

static char *make_folder(const char *parent, const char *name)
{
	char body[1024];
	snprintf(body, sizeof body, "<m:CreateFolder><m:ParentFolderId>%s</m:ParentFolderId><m:Folders><t:Folder>"
		 "<t:FolderClass>IPF.Note</t:FolderClass><t:DisplayName>%s</t:DisplayName></t:Folder></m:Folders>"
		 "</m:CreateFolder>", parent, name);
	char *r = post(body), *id = r ? xml_attr(r, "FolderId", "Id", 0) : NULL;
	free(r);
	return id;
}

/* The archive's folders named `name` below archiveinbox (any depth), with their class. */
static int archive_folders_named(const char *name, char **cls)
{
	char *r = post("<m:FindFolder Traversal=\"Deep\"><m:FolderShape><t:BaseShape>AllProperties</t:BaseShape>"
		       "</m:FolderShape><m:ParentFolderIds><t:DistinguishedFolderId Id=\"archivemsgfolderroot\"/>"
		       "</m:ParentFolderIds></m:FindFolder>");
	int n = 0;
	for (int k = 0; r && k < xml_count(r, "DisplayName"); k++) {
		char *d = xml_text(r, "DisplayName", k);
		if (d && !strcmp(d, name)) {
			n++;
			if (cls) {
				char *f = xml_element(r, "Folder", k);
				*cls = f ? xml_text(f, "FolderClass", 0) : NULL;
				free(f);
			}
		}
		free(d);
	}
	free(r);
	return n;
}

static void a_subfolder_item_lands_at_the_same_path_in_the_archive(void)
{
	char *fid = make_folder("<t:DistinguishedFolderId Id=\"inbox\"/>", "Projects"), src[512], ids[2048];
	CU_ASSERT_PTR_NOT_NULL_FATAL(fid);
	snprintf(src, sizeof src, "<t:FolderId Id=\"%s\"/>", fid);
	char *a = create_in(src, "Plan A"), *b = create_in(src, "Plan B");
	CU_ASSERT_FATAL(a && b);
	CU_ASSERT_EQUAL(archive_folders_named("Projects", NULL), 0);
	snprintf(ids, sizeof ids, "<t:ItemId Id=\"%s\"/>", a);
	char *r = archive(src, ids);
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	free(r);
	char *cls = NULL;
	CU_ASSERT_EQUAL(archive_folders_named("Projects", &cls), 1);   /* made, with the source's class */
	CU_ASSERT_STRING_EQUAL(cls ? cls : "(none)", "IPF.Note");
	free(cls);
	/* the second one goes to the same folder: it is not made twice */
	snprintf(ids, sizeof ids, "<t:ItemId Id=\"%s\"/>", b);
	r = archive(src, ids);
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	free(r);
	CU_ASSERT_EQUAL(archive_folders_named("Projects", NULL), 1);
	subjects_are(src, "");
	/* find the archive's Projects by name under archiveinbox */
	r = post("<m:FindFolder Traversal=\"Shallow\"><m:FolderShape><t:BaseShape>Default</t:BaseShape></m:FolderShape>"
		 "<m:ParentFolderIds><t:DistinguishedFolderId Id=\"archiveinbox\"/></m:ParentFolderIds></m:FindFolder>");
	char *afid = r ? xml_attr(r, "FolderId", "Id", 0) : NULL;
	ewsd_text_is(r, "DisplayName", 0, "Projects");
	free(r);
	if (afid) {
		char where[512];
		snprintf(where, sizeof where, "<t:FolderId Id=\"%s\"/>", afid);
		char *got = subjects_in(where);
		/* FindItem's default order is newest first; either order holds both */
		CU_ASSERT(got && (!strcmp(got, "Plan A|Plan B") || !strcmp(got, "Plan B|Plan A")));
		free(got);
	}
	free(afid), free(a), free(b), free(fid);
}

static void each_item_is_answered_on_its_own(void)
{
	char *good = create_in("<t:DistinguishedFolderId Id=\"inbox\"/>", "Keep going");
	char *elsewhere = create_in("<t:DistinguishedFolderId Id=\"drafts\"/>", "A draft");
	char *in_archive = create_in("<t:DistinguishedFolderId Id=\"archiveinbox\"/>", "Already archived");
	CU_ASSERT_FATAL(good && elsewhere && in_archive);
	char ids[8192];
	snprintf(ids, sizeof ids, "<t:ItemId Id=\"%s\"/><t:ItemId Id=\"not-an-id\"/><t:ItemId Id=\"%s\"/>"
		 "<t:ItemId Id=\"%s\"/>", good, elsewhere, in_archive);
	char *r = archive("<t:DistinguishedFolderId Id=\"inbox\"/>", ids);
	CU_ASSERT(r && xml_count(r, "ArchiveItemResponseMessage") == 4 && xml_count(r, "Items") == 4);
	class_is(r, 0, "Success");
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	class_is(r, 1, "Error");
	ewsd_text_is(r, "ResponseCode", 1, "ErrorInvalidIdMalformed");
	ewsd_text_is(r, "ResponseCode", 2, "ErrorItemNotFound");          /* not in ArchiveSourceFolderId */
	ewsd_text_is(r, "ResponseCode", 3, "ErrorCannotArchiveItemsInArchiveMailbox");
	free(r);
	subjects_are("<t:DistinguishedFolderId Id=\"drafts\"/>", "A draft");
	/* the archive as source */
	snprintf(ids, sizeof ids, "<t:ItemId Id=\"%s\"/>", in_archive);
	r = archive("<t:DistinguishedFolderId Id=\"archiveinbox\"/>", ids);
	ewsd_text_is(r, "ResponseCode", 0, "ErrorCannotArchiveItemsInArchiveMailbox");
	free(r), free(good), free(elsewhere), free(in_archive);
}

static void a_mailbox_without_an_archive_is_refused_as_on_the_page(void)
{
	struct ewsd_proc keep = srv;
	static const char *const extra[] = { "--no-archive", NULL };
	if (ewsd_start(&srv, NULL, extra)) {
		CU_FAIL("cannot start ewsd --no-archive");
		srv = keep;
		return;
	}
	char *id = create_in("<t:DistinguishedFolderId Id=\"inbox\"/>", "Nowhere to go"), ids[1024];
	CU_ASSERT_PTR_NOT_NULL(id);
	snprintf(ids, sizeof ids, "<t:ItemId Id=\"%s\"/>", id ? id : "x");
	char *r = archive("<t:DistinguishedFolderId Id=\"inbox\"/>", ids);
	class_is(r, 0, "Error");
	ewsd_text_is(r, "MessageText", 0, "Archive mailbox is not enabled for this user.");
	ewsd_text_is(r, "ResponseCode", 0, "ErrorInvalidOperation");
	ewsd_text_is(r, "DescriptiveLinkKey", 0, "0");
	CU_ASSERT(r && xml_count(r, "Items") == 1);
	free(r);
	subjects_are("<t:DistinguishedFolderId Id=\"inbox\"/>", "Nowhere to go");
	free(id);
	ewsd_stop(&srv, 0);
	srv = keep;
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "an inbox item moves to the archive inbox", an_inbox_item_moves_to_the_archive_inbox },
		{ "a subfolder item lands at the same path in the archive", a_subfolder_item_lands_at_the_same_path_in_the_archive },
		{ "each item is answered on its own", each_item_is_answered_on_its_own },
		{ "a mailbox without an archive is refused as on the page", a_mailbox_without_an_archive_is_refused_as_on_the_page },
		{ NULL, NULL }
	};
	if (!ews_operation_find("ArchiveItem")) {
		printf("ewsd archive item: skipped: the bindings' schema has no ArchiveItem\n");
		return 0;
	}
	if (ewsd_start(&srv, NULL, NULL)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd archive item", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
