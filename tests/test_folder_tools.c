/* test_folder_tools.c — ews-get-folder, ews-create-folder, ews-delete-folder, ews-move-items and ews-copy-items run
 * as a user would against a seeded ewsd; what they report is compared with what an independent client (raw SOAP
 * through the harness) sees in the same mailbox. Bad input too: a missing folder in the middle of a path, a
 * malformed id in a batch, deleting inbox. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ews_schema_members.h"
#include "ews_test.h"
#include "ews_test_cli.h"
#include "ewsd_harness.h"
#include "ews/cli.h"

#define MAILBOX "folders@example.com"

static struct ewsd_proc srv;
static char tmp[64];
static struct ews_test_cli_run r;

/* ---- the independent client: raw SOAP ---- */

static char *post(const char *body)
{
	struct http_resp h;
	if (ews_post(&srv, MAILBOX, "Exchange2013", NULL, body, &h) || h.status != 200) {
		http_resp_free(&h);
		return NULL;
	}
	free(h.headers);
	return h.body;
}

/* GetFolder (AllProperties) of a folder given as XML (<t:DistinguishedFolderId Id="inbox"/> ...): the answer. */
static char *get_folder_xml(const char *folder_xml)
{
	char body[1024];
	snprintf(body, sizeof body, "<m:GetFolder><m:FolderShape><t:BaseShape>AllProperties</t:BaseShape></m:FolderShape>"
		 "<m:FolderIds>%s</m:FolderIds></m:GetFolder>", folder_xml);
	return post(body);
}

/* TotalCount of a folder by id or distinguished name as the server reports it; -1 when it has no such folder. */
static int server_total(const char *folder)
{
	char ref[600];
	if (strlen(folder) > 40)
		snprintf(ref, sizeof ref, "<t:FolderId Id=\"%s\"/>", folder);
	else
		snprintf(ref, sizeof ref, "<t:DistinguishedFolderId Id=\"%s\"/>", folder);
	char *xml = get_folder_xml(ref), *t = xml ? xml_text(xml, "TotalCount", 0) : NULL;
	int n = t ? atoi(t) : -1;
	free(t);
	free(xml);
	return n;
}

/* The ParentFolderId of an item, as GetItem answers it (NULL when there is no such item). */
static char *server_item_parent(const char *item_id)
{
	char body[1024];
	snprintf(body, sizeof body, "<m:GetItem><m:ItemShape><t:BaseShape>AllProperties</t:BaseShape></m:ItemShape>"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", item_id);
	char *xml = post(body), *parent = xml ? xml_attr(xml, "ParentFolderId", "Id", 0) : NULL;
	free(xml);
	return parent;
}

/* ---- helpers over the tools ---- */

/* The id of a folder path as ews-get-folder prints it (malloc'd), NULL when it fails. */
static char *folder_id(const char *path)
{
	if (ews_test_cli_run(&r, tmp, "ews-get-folder --json '%s'", path) != 0)
		return NULL;
	return ews_test_json_field(r.out, "folder", 0, "id");
}

/* n item ids of a folder (from ews-find-items --json) into ids[]; returns how many. */
static int item_ids(const char *folder, int n, char **ids)
{
	int k = 0;
	if (ews_test_cli_run(&r, tmp, "ews-find-items --folder '%s' --max %d --json", folder, n) != 0)
		return 0;
	while (k < n && (ids[k] = ews_test_json_field(r.out, "item", k, "id")))
		k++;
	return k;
}

static void free_ids(char **ids, int n)
{
	for (int k = 0; k < n; k++)
		free(ids[k]);
}

/* ---- the cases ---- */

static void each_tool_has_help_version_and_one_line_usage_errors(void)
{
	static const char *const tools[] = { "get-folder", "create-folder", "delete-folder", "move-items", "copy-items" };
	for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++) {
		CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-%s --help", tools[i]), 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "usage: ews-"));
		CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "example"));
		CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "exit status"));
		CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "[EWS_URL]"));
		CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-%s --version", tools[i]), 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "libews " EWS_CLI_LIBRARY_VERSION));
		CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-%s --no-such-flag", tools[i]), 2);
		CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "--no-such-flag (see --help)\n"));
		CU_ASSERT_PTR_NOT_NULL(strchr(r.err, '\n'));
		CU_ASSERT_STRING_EQUAL(strchr(r.err, '\n') ? strchr(r.err, '\n') + 1 : "", "");   /* one line */
		/* nothing to work on: one line, exit 2, no request sent */
		CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-%s </dev/null", tools[i]), 2);
		CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "(see --help)"));
	}
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-move-items --help"), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "1..1000"));
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-copy-items --to inbox --batch 0 x"), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "--batch must be a whole number from 1 to 1000"));
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-move-items AAAA"), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "--to"));
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-delete-folder --mode gone inbox/X"), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "hard, soft or move"));
}

static void get_folder_shows_what_an_independent_client_sees(void)
{
	CU_ASSERT_EQUAL_FATAL(ews_test_cli_run(&r, tmp, "ews-get-folder --json inbox Drafts"), 0);
	CU_ASSERT_EQUAL(ews_test_json_lines(r.out, "folder", 1), 2);
	const char *names[] = { "inbox", "drafts" };
	for (int k = 0; k < 2; k++) {
		char ref[128], *xml, *want, *got;
		snprintf(ref, sizeof ref, "<t:DistinguishedFolderId Id=\"%s\"/>", names[k]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(xml = get_folder_xml(ref));
		static const char *const pairs[][2] = { { "TotalCount", "total" }, { "UnreadCount", "unread" },
							{ "ChildFolderCount", "children" }, { "DisplayName", "name" } };
		for (size_t p = 0; p < sizeof pairs / sizeof pairs[0]; p++) {
			want = xml_text(xml, pairs[p][0], 0);
			got = ews_test_json_field(r.out, "folder", k, pairs[p][1]);
			CU_ASSERT_PTR_NOT_NULL(want);
			CU_ASSERT_PTR_NOT_NULL(got);
			if (want && got)
				CU_ASSERT_STRING_EQUAL(got, want);
			free(want);
			free(got);
		}
		want = xml_attr(xml, "FolderId", "Id", 0);
		got = ews_test_json_field(r.out, "folder", k, "id");
		CU_ASSERT(want && got && !strcmp(want, got));
		free(want);
		free(got);
		free(xml);
	}
	CU_ASSERT(server_total("inbox") > 0);       /* the seed put mail there: the counts compared are not all 0 */
	/* text output names the folder and the counts */
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-get-folder INBOX"), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "Inbox\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "total"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "unread"));
}

static void an_unknown_folder_in_the_middle_of_a_path_names_that_part(void)
{
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-create-folder --parents inbox/Known"), 0);
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-get-folder inbox/Known/NoSuchPart/Leaf"), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "no folder named \"NoSuchPart\" in Known"));
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-create-folder inbox/Known/NoSuchPart/Leaf"), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "no folder named \"NoSuchPart\" in Known"));
	CU_ASSERT_PTR_NULL(strstr(r.out, "created"));
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-delete-folder inbox/NoSuchPart/Known"), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "no folder named \"NoSuchPart\" in inbox"));
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-move-items --to inbox/Known/NoSuchPart AAAA"), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "\"NoSuchPart\""));
}

static void create_folder_makes_a_path_with_parents_and_existing_is_an_error_without(void)
{
	char *first, *leaf, *xml, ref[600];

	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-create-folder inbox/Tree/2025"), 2);   /* no Tree yet */
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "\"Tree\""));
	CU_ASSERT_EQUAL_FATAL(ews_test_cli_run(&r, tmp, "ews-create-folder --parents --json inbox/Tree/2025"), 0);
	CU_ASSERT_EQUAL(ews_test_json_lines(r.out, "created", 1), 2);
	first = ews_test_json_field(r.out, "created", 0, "id");
	leaf = ews_test_json_field(r.out, "created", 1, "id");
	CU_ASSERT_PTR_NOT_NULL_FATAL(first);
	CU_ASSERT_PTR_NOT_NULL_FATAL(leaf);
	/* the server has it: named 2025, under Tree, under Inbox */
	snprintf(ref, sizeof ref, "<t:FolderId Id=\"%s\"/>", leaf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(xml = get_folder_xml(ref));
	char *name = xml_text(xml, "DisplayName", 0), *parent = xml_attr(xml, "ParentFolderId", "Id", 0);
	char *cls = xml_text(xml, "FolderClass", 0);
	CU_ASSERT(name && !strcmp(name, "2025"));
	CU_ASSERT(parent && !strcmp(parent, first));
	CU_ASSERT(cls && !strcmp(cls, "IPF.Note"));   /* the default class, as --help says: a mail folder */
	free(cls);
	free(name);
	free(parent);
	free(xml);
	/* again with --parents: found, the same ids, not an error */
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-create-folder -p --json inbox/tree/2025"), 0);
	CU_ASSERT_EQUAL(ews_test_json_lines(r.out, "exists", 1), 2);
	CU_ASSERT_EQUAL(ews_test_json_lines(r.out, "created", -1), 0);
	char *again = ews_test_json_field(r.out, "exists", 1, "id");
	CU_ASSERT(again && !strcmp(again, leaf));
	free(again);
	/* without: Exchange's ErrorFolderExists, exit 1, nothing created */
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-create-folder inbox/Tree/2025"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "ErrorFolderExists"));
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-create-folder inbox"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "ErrorFolderExists"));
	/* a new sibling under an existing parent, text output with the id */
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-create-folder inbox/Tree/2026"), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "created inbox/Tree/2026 "));
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-get-folder --json inbox/Tree"), 0);
	char *children = ews_test_json_field(r.out, "folder", 0, "children");
	CU_ASSERT(children && !strcmp(children, "2"));
	free(children);
	free(first);
	free(leaf);
}

static void move_items_takes_find_items_json_in_batches_and_prints_new_ids(void)
{
	char *to, *ids[5] = { 0 };
	int inbox_before = server_total("inbox"), n;

	CU_ASSERT_EQUAL_FATAL(ews_test_cli_run(&r, tmp, "ews-create-folder --parents inbox/Moved"), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(to = folder_id("inbox/Moved"));
	CU_ASSERT_EQUAL_FATAL(n = item_ids("inbox", 5, ids), 5);
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-find-items --folder inbox --max 5 --json | "
					 "ews-move-items --to inbox/Moved --batch 2 --json"), 0);
	CU_ASSERT_EQUAL(ews_test_json_lines(r.out, "moved", 1), 5);
	char *batches = ews_test_json_field(r.out, "summary", 0, "batches");
	CU_ASSERT(batches && !strcmp(batches, "3"));
	free(batches);
	for (int k = 0; k < 5; k++) {
		char *old = ews_test_json_field(r.out, "moved", k, "id"), *nid = ews_test_json_field(r.out, "moved", k, "new_id");
		CU_ASSERT(old && !strcmp(old, ids[k]));          /* in order, the ids find-items printed */
		CU_ASSERT_PTR_NOT_NULL(nid);
		if (nid) {
			char *parent = server_item_parent(nid);      /* the new id is the item, in the target */
			CU_ASSERT(parent && !strcmp(parent, to));
			free(parent);
		}
		free(old);
		free(nid);
	}
	CU_ASSERT_EQUAL(server_total("inbox"), inbox_before - 5);
	CU_ASSERT_EQUAL(server_total(to), 5);
	free_ids(ids, n);
	free(to);
}

static void a_malformed_id_in_a_batch_fails_alone_and_the_others_still_move(void)
{
	char *to, *ids[3] = { 0 };
	int inbox_before = server_total("inbox"), n;

	CU_ASSERT_EQUAL_FATAL(ews_test_cli_run(&r, tmp, "ews-create-folder --parents inbox/Batch"), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(to = folder_id("inbox/Batch"));
	CU_ASSERT_EQUAL_FATAL(n = item_ids("inbox", 3, ids), 3);
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-move-items --to inbox/Batch --batch 2 %s not-an-id %s %s",
					 ids[0], ids[1], ids[2]), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "not-an-id: "));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "[ErrorInvalidIdMalformed]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "3 moved, 1 failed"));
	CU_ASSERT_EQUAL(server_total("inbox"), inbox_before - 3);
	CU_ASSERT_EQUAL(server_total(to), 3);
	/* the same in --json: one line per id, the bad one ok:false with the server's code */
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "printf '%%s\\n' bad-one | ews-move-items --to inbox --json -"), 1);
	CU_ASSERT_EQUAL(ews_test_json_lines(r.out, "moved", 0), 1);
	char *code = ews_test_json_field(r.out, "moved", 0, "response_code");
	CU_ASSERT(code && !strcmp(code, "ErrorInvalidIdMalformed"));
	free(code);
	free_ids(ids, n);
	free(to);
}

static void copy_items_copies_ids_from_stdin_and_the_originals_stay(void)
{
	char *to, *ids[3] = { 0 };
	int inbox_before = server_total("inbox"), n;

	CU_ASSERT_EQUAL_FATAL(ews_test_cli_run(&r, tmp, "ews-create-folder --parents inbox/Copies"), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(to = folder_id("inbox/Copies"));
	CU_ASSERT_EQUAL_FATAL(n = item_ids("inbox", 3, ids), 3);
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "printf '%%s\\n\\n  %%s  \\n%%s\\n' %s %s %s | ews-copy-items --to '%s'",
					 ids[0], ids[1], ids[2], to), 0);   /* by id, blank line and spaces ignored */
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "copied "));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "3 copied, 0 failed"));
	CU_ASSERT_EQUAL(server_total("inbox"), inbox_before);
	CU_ASSERT_EQUAL(server_total(to), 3);
	for (int k = 0; k < n; k++) {
		char *parent = server_item_parent(ids[k]);              /* the original is where it was */
		CU_ASSERT_PTR_NOT_NULL(parent);
		CU_ASSERT_PTR_NOT_NULL(strstr(r.out, ids[k]));
		free(parent);
	}
	free_ids(ids, n);
	free(to);
}

static void delete_folder_refuses_inbox_and_deletes_moves_or_soft_deletes_a_path(void)
{
	char *tree;

	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-delete-folder inbox"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "[ErrorDeleteDistinguishedFolder]"));
	CU_ASSERT(server_total("inbox") >= 0);                     /* still there */
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-delete-folder --json Inbox"), 1);
	CU_ASSERT_EQUAL(ews_test_json_lines(r.out, "deleted", 0), 1);
	CU_ASSERT_EQUAL_FATAL(ews_test_cli_run(&r, tmp, "ews-create-folder -p inbox/Gone/Sub"), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tree = folder_id("inbox/Gone"));
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-delete-folder --mode hard --json inbox/Gone"), 0);
	CU_ASSERT_EQUAL(ews_test_json_lines(r.out, "deleted", 1), 1);
	CU_ASSERT_EQUAL(server_total(tree), -1);                   /* gone for the server too */
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-get-folder inbox/Gone"), 2);
	free(tree);

	/* MoveToDeletedItems moves the folder (still there, under Deleted Items); deleting it there removes it */
	CU_ASSERT_EQUAL_FATAL(ews_test_cli_run(&r, tmp, "ews-create-folder -p inbox/Binned"), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tree = folder_id("inbox/Binned"));
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-delete-folder --mode move inbox/Binned"), 0);
	CU_ASSERT_EQUAL(server_total(tree), 0);                    /* the server still has it */
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-get-folder inbox/Binned"), 2);
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-get-folder deleteditems/Binned"), 0);
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-delete-folder --mode move deleteditems/Binned"), 0);
	CU_ASSERT_EQUAL(server_total(tree), -1);
	free(tree);
	/* SoftDelete: out of every normal view, into the dumpster */
	CU_ASSERT_EQUAL_FATAL(ews_test_cli_run(&r, tmp, "ews-create-folder -p inbox/Soft"), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tree = folder_id("inbox/Soft"));
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-delete-folder --mode soft inbox/Soft"), 0);
	CU_ASSERT_EQUAL(server_total(tree), 0);
	/* into the dumpster, a distinguished folder since Exchange 2010 */
	if (ews_test_needs(EWS_TEST_DEFINED(EWS_HAS_ewstype__DistinguishedFolderIdNameType_recoverableitemsdeletions),
			   "distinguished folder recoverableitemsdeletions", "a soft-deleted folder is in the dumpster"))
		CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-get-folder recoverableitemsdeletions/Soft"), 0);
	free(tree);
}

static void json_lines_on_stdin_give_only_the_top_level_id(void)
{
	static char text[] =
		"{\"type\":\"item\",\"ok\":true,\"parent_id\":\"P\",\"subject\":\"say \\\"id\\\":\\\"X\\\"\",\"id\":\"REAL\"}\n"
		"\n"
		"   plain-id   \n"
		"{\"type\":\"summary\",\"ok\":true,\"items\":1}\n"
		"{ \"id\" : \"spaced\", \"x\": {\"id\":\"inner\"} }\n"
		"{\"subject\":\"id\",\"x\":{\"id\":\"inner\"},\"id\":\"outer\"}\n";   /* a value "id", a nested one */
	char **ids = NULL;
	int n = 0;
	FILE *f = fmemopen(text, strlen(text), "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	ews_status st = ews_cli_read_ids(f, 0, &ids, &n);
	fclose(f);
	CU_ASSERT_TRUE(ews_ok(st));
	CU_ASSERT_EQUAL_FATAL(n, 4);
	CU_ASSERT_STRING_EQUAL(ids[0], "REAL");
	CU_ASSERT_STRING_EQUAL(ids[1], "plain-id");
	CU_ASSERT_STRING_EQUAL(ids[2], "spaced");
	CU_ASSERT_STRING_EQUAL(ids[3], "outer");
	ews_cli_free_ids(ids, n);

	static char bad[] = "a\n{\"type\":\"item\",\"id\":42}\n";
	ids = NULL;
	n = 0;
	f = fmemopen(bad, strlen(bad), "r");
	st = ews_cli_read_ids(f, 0, &ids, &n);
	fclose(f);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_FORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "line 2"));
	ews_cli_free_ids(ids, n);

	static char many[] = "a\nb\nc\n";
	ids = NULL;
	n = 0;
	f = fmemopen(many, strlen(many), "r");
	st = ews_cli_read_ids(f, 2, &ids, &n);
	fclose(f);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_TOO_LARGE);
	ews_cli_free_ids(ids, n);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "each folder tool has --help, --version and one-line usage errors",
		  each_tool_has_help_version_and_one_line_usage_errors },
		{ "get-folder shows the names, counts and ids an independent client sees",
		  get_folder_shows_what_an_independent_client_sees },
		{ "an unknown folder in the middle of a path names that part (exit 2)",
		  an_unknown_folder_in_the_middle_of_a_path_names_that_part },
		{ "create-folder makes a path with --parents; an existing folder is an error only without it",
		  create_folder_makes_a_path_with_parents_and_existing_is_an_error_without },
		{ "move-items takes find-items --json in batches and prints the new ids",
		  move_items_takes_find_items_json_in_batches_and_prints_new_ids },
		{ "a malformed id in a batch fails alone; the others still move (exit 1)",
		  a_malformed_id_in_a_batch_fails_alone_and_the_others_still_move },
		{ "copy-items copies ids from stdin and the originals stay",
		  copy_items_copies_ids_from_stdin_and_the_originals_stay },
		{ "delete-folder refuses inbox (ErrorDeleteDistinguishedFolder), deletes, moves to Deleted Items or soft-deletes a path",
		  delete_folder_refuses_inbox_and_deletes_moves_or_soft_deletes_a_path },
		{ "JSON lines on stdin give only the top-level id", json_lines_on_stdin_give_only_the_top_level_id },
		{ NULL, NULL }
	};
	char dir[64] = "/tmp/ews-folders-XXXXXX";

	snprintf(tmp, sizeof tmp, "/tmp/ews-folders-out-XXXXXX");
	if (!mkdtemp(tmp) || !mkdtemp(dir) || ewsd_seed(dir, MAILBOX, 40, 7) || ewsd_start(&srv, dir, NULL)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	/* only these settings: nothing from the caller's environment */
	static const char *const unset[] = { "EWS_TOKEN", "EWS_AUTH", "EWS_VERSION", "EWS_IMPERSONATE", "EWS_CA_FILE",
					     "EWS_INSECURE" };
	for (size_t k = 0; k < sizeof unset / sizeof unset[0]; k++)
		unsetenv(unset[k]);
	setenv("EWS_URL", srv.url, 1);
	setenv("EWS_USER", MAILBOX, 1);
	setenv("EWS_PASSWORD", "x", 1);
	int rc = ews_test_run("folder tools", cases);
	ewsd_stop(&srv, 0);
	ews_test_cli_run_free(&r);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
	if (system(cmd) != 0)
		rc = rc ? rc : 1;
	rmdir(dir);
	return rc;
}
