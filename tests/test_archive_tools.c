/* test_archive_tools.c — the client side of issue 14's archive and .eml parts against a seeded ewsd:
 * ews_create_item_from_mime(_file) (an .eml round-trips byte for byte through GetItem IncludeMimeContent; bad
 * files and arguments fail before anything is sent), ews-create-item --mime | ews-get-item --mime, and --archive on
 * the folder tools (names map to the archive's, paths start at archivemsgfolderroot, a name without a counterpart
 * is a usage error). Checks that need a name the bindings' schema lacks (Exchange2010_SP2: archiveinbox) are
 * skipped, saying so. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "soapH.h"
#include "ews/ews.h"
#include "ews/base64.h"
#include "ews_schema.h"
#include "ews_test.h"
#include "ews_test_cli.h"
#include "ewsd_harness.h"
#include "ews_schema_members.h"

/* The archive mailbox's distinguished folders (archiveroot, archivemsgfolderroot ...) came with Exchange 2010 SP1:
 * with bindings from an older set (Exchange2007_SP1) the archive's checks are skipped, saying so. */
#define HAVE_ARCHIVE EWS_TEST_DEFINED(EWS_HAS_ewstype__DistinguishedFolderIdNameType_archivemsgfolderroot)
#define ARCHIVE_FOLDERS "distinguished folder archivemsgfolderroot (the archive mailbox)"

#define MAILBOX "keeper@example.com"

static struct ewsd_proc srv;
static ews_client *client;
static char tmp[64];
static struct ews_test_cli_run r;

/* A message with a multipart body, an attachment, folded and encoded headers: what a real .eml looks like. */
static const char eml[] =
	"Return-Path: <ann@example.com>\r\n"
	"From: \"Ann Example\" <ann@example.com>\r\n"
	"To: Keeper <keeper@example.com>\r\n"
	"Subject: =?utf-8?B?UXVhcnRlcmx5IHJlcG9ydCDigJMgZmluYWw=?=\r\n"
	"Date: Tue, 04 Jun 2024 16:20:00 -0400\r\n"
	"Message-ID: <report-7@example.com>\r\n"
	"X-Custom: kept\r\n"
	" as folded\r\n"
	"MIME-Version: 1.0\r\n"
	"Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
	"\r\n"
	"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe numbers are in.\r\n"
	"--b1\r\nContent-Type: application/octet-stream; name=\"q.bin\"\r\nContent-Transfer-Encoding: base64\r\n"
	"Content-Disposition: attachment; filename=\"q.bin\"\r\n\r\nAAECAwQFBgcICf8=\r\n--b1--\r\n";

static int write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(data, 1, n, f) == n;
	if (f)
		ok = fclose(f) == 0 && ok;
	return ok ? 0 : -1;
}

/* The item's MIME as the server gives it (GetItem IncludeMimeContent, raw SOAP), decoded; malloc'd. */
static unsigned char *server_mime(const char *id, size_t *n)
{
	char body[1024];
	struct http_resp h;
	unsigned char *raw = NULL;
	*n = 0;
	snprintf(body, sizeof body, "<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:IncludeMimeContent>"
		 "true</t:IncludeMimeContent></m:ItemShape><m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", id);
	if (ews_post(&srv, MAILBOX, "Exchange2016", NULL, body, &h) == 0) {
		char *b64 = xml_text(h.body, "MimeContent", 0);
		if (b64 && !ews_ok(ews_base64_decode(b64, strlen(b64), &raw, n)))
			raw = NULL;
		free(b64);
	}
	http_resp_free(&h);
	return raw;
}

/* The ParentFolderId of an item and the id of a distinguished folder, from the server. */
static char *server_field(const char *body, const char *elem)
{
	struct http_resp h;
	char *v = NULL;
	if (ews_post(&srv, MAILBOX, "Exchange2016", NULL, body, &h) == 0)
		v = xml_attr(h.body, elem, "Id", 0);
	http_resp_free(&h);
	return v;
}

static char *item_parent(const char *id)
{
	char body[1024];
	snprintf(body, sizeof body, "<m:GetItem><m:ItemShape><t:BaseShape>AllProperties</t:BaseShape></m:ItemShape>"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", id);
	return server_field(body, "ParentFolderId");
}

static char *distinguished_id(const char *name)
{
	char body[512];
	snprintf(body, sizeof body, "<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape>"
		 "<m:FolderIds><t:DistinguishedFolderId Id=\"%s\"/></m:FolderIds></m:GetFolder>", name);
	return server_field(body, "FolderId");
}

static int schema_has(const char *name)
{
	struct soap *s = soap_new();
	enum ewstype__DistinguishedFolderIdNameType v;
	int yes = soap_s2ewstype__DistinguishedFolderIdNameType(s, name, &v) == SOAP_OK && (int)v >= 0 &&
		  !strcmp(soap_ewstype__DistinguishedFolderIdNameType2s(s, v), name);
	soap_destroy(s), soap_end(s), soap_free(s);
	if (!yes)
		printf("\n  skipped: the checks with %s (the schema set %s has no such distinguished folder)\n", name,
		       EWS_SCHEMA_NAME);
	return yes;
}

/* ---- the library ---- */

static void an_eml_file_round_trips_byte_for_byte(void)
{
	char path[128], *id = NULL, *ck = NULL;
	snprintf(path, sizeof path, "%s/report.eml", tmp);
	CU_ASSERT_EQUAL_FATAL(write_file(path, eml, sizeof eml - 1), 0);
	ews_status st = ews_create_item_from_mime_file(client, path, &(ews_mime_create_options){ .folder = "inbox" },
						       &id, &ck);
	CU_ASSERT_EQUAL_FATAL(st.code, EWS_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	CU_ASSERT_PTR_NOT_NULL(ck);
	size_t n;
	unsigned char *back = server_mime(id, &n);
	CU_ASSERT_EQUAL(n, sizeof eml - 1);
	CU_ASSERT(back && !memcmp(back, eml, sizeof eml - 1));
	char *parent = item_parent(id), *inbox = distinguished_id("inbox");
	CU_ASSERT(parent && inbox && !strcmp(parent, inbox));
	free(back), free(parent), free(inbox), free(id), free(ck);
}

static void a_large_eml_goes_through_in_chunks(void)
{
	/* larger than one read chunk (48 KiB) and not a multiple of 3: every chunk boundary and the padding */
	size_t n = 200001, hdr;
	char *big = malloc(n), path[128], *id = NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	hdr = (size_t)snprintf(big, n, "From: a@example.com\r\nSubject: big\r\nMIME-Version: 1.0\r\n"
			       "Content-Type: text/plain\r\n\r\n");
	for (size_t k = hdr; k < n; k++)
		big[k] = (k % 78 == 77) ? '\n' : (char)('a' + k % 26);
	snprintf(path, sizeof path, "%s/big.eml", tmp);
	CU_ASSERT_EQUAL_FATAL(write_file(path, big, n), 0);
	ews_status st = ews_create_item_from_mime_file(client, path, NULL, &id, NULL);
	CU_ASSERT_EQUAL_FATAL(st.code, EWS_OK);
	size_t m;
	unsigned char *back = server_mime(id, &m);
	CU_ASSERT_EQUAL(m, n);
	CU_ASSERT(back && !memcmp(back, big, n));
	/* the same bytes from memory give the same MIME */
	char *id2 = NULL;
	CU_ASSERT_EQUAL(ews_create_item_from_mime(client, big, n, NULL, &id2, NULL).code, EWS_OK);
	size_t m2;
	unsigned char *back2 = id2 ? server_mime(id2, &m2) : NULL;
	CU_ASSERT(back2 && m2 == n && !memcmp(back2, big, n));
	free(big), free(back), free(back2), free(id), free(id2);
}

static void bad_files_and_arguments_fail_before_anything_is_sent(void)
{
	char path[128], empty[128], *id = (char *)"stale";
	snprintf(path, sizeof path, "%s/missing.eml", tmp);
	snprintf(empty, sizeof empty, "%s/empty.eml", tmp);
	CU_ASSERT_EQUAL_FATAL(write_file(empty, "", 0), 0);
	CU_ASSERT_EQUAL(ews_create_item_from_mime_file(client, path, NULL, &id, NULL).code, EWS_ERR_NOT_FOUND);
	CU_ASSERT_PTR_NULL(id);
	CU_ASSERT_EQUAL(ews_create_item_from_mime_file(client, empty, NULL, &id, NULL).code, EWS_ERR_FORMAT);
	CU_ASSERT_EQUAL(ews_create_item_from_mime_file(client, tmp, NULL, &id, NULL).code, EWS_ERR_FILE);  /* a directory */
	snprintf(path, sizeof path, "%s/report.eml", tmp);
	CU_ASSERT_EQUAL(ews_create_item_from_mime_file(client, path, &(ews_mime_create_options){ .max_bytes = 100 },
						       &id, NULL).code, EWS_ERR_TOO_LARGE);
	CU_ASSERT_EQUAL(ews_create_item_from_mime_file(NULL, path, NULL, &id, NULL).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_create_item_from_mime_file(client, NULL, NULL, &id, NULL).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_create_item_from_mime_file(client, path, &(ews_mime_create_options){ .folder = "" }, &id,
						       NULL).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_create_item_from_mime(client, "x", 0, NULL, &id, NULL).code, EWS_ERR_FORMAT);
	CU_ASSERT_PTR_NULL(id);
}

static void a_server_refusal_is_a_response_error(void)
{
	char path[128], *id = NULL;
	snprintf(path, sizeof path, "%s/report.eml", tmp);
	/* a folder id of no folder: the server's code comes back */
	ews_status st = ews_create_item_from_mime_file(client, path, &(ews_mime_create_options){
		.folder = "AAMkAGFlMDg3MmM2LTk3M2EtNDljMC05ZGRiLTBjMzMzODRhYTlhZAAuAAAAAADGcgiuOpfASZ3bDDM4SqmtAQBOIWqcHVNLfpowXBHoYg/UAAAAAAAAAAA=" },
		&id, NULL);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_RESPONSE);
	CU_ASSERT(strstr(st.message, "ErrorFolderNotFound") != NULL || strstr(st.message, "ErrorInvalidIdMalformed") != NULL);
	CU_ASSERT_PTR_NULL(id);
}

/* ---- the tools ---- */

static void create_item_mime_and_get_item_mime_round_trip(void)
{
	char in[128], out[128];
	snprintf(in, sizeof in, "%s/report.eml", tmp);
	snprintf(out, sizeof out, "%s/back.eml", tmp);
	CU_ASSERT_EQUAL_FATAL(ews_test_cli_run(&r, tmp, "ews-create-item --json --mime '%s'", in), 0);
	char *id = ews_test_json_field(r.out, "created", 0, "id");
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-get-item --mime '%s' > '%s' && cmp '%s' '%s'", id, out, in, out), 0);
	/* saved to drafts by default */
	char *parent = item_parent(id), *drafts = distinguished_id("drafts");
	CU_ASSERT(parent && drafts && !strcmp(parent, drafts));
	free(id), free(parent), free(drafts);
}

static void create_item_mime_refuses_bad_use(void)
{
	char in[128];
	snprintf(in, sizeof in, "%s/report.eml", tmp);
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-create-item --mime '%s' --subject x", in), 2);
	CU_ASSERT(strstr(r.err, "--mime takes the item from the file") != NULL);
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-create-item --mime '%s/none.eml'", tmp), 1);
	CU_ASSERT(strstr(r.err, "none.eml") != NULL);
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-create-item --mime '%s/empty.eml'", tmp), 1);
	CU_ASSERT(strstr(r.err, "empty") != NULL);
}

static void archive_flag_lists_the_archive_tree(void)
{
	if (!ews_test_needs(HAVE_ARCHIVE, ARCHIVE_FOLDERS, "--archive lists the archive tree"))
		return;
	CU_ASSERT_EQUAL_FATAL(ews_test_cli_run(&r, tmp, "ews-find-folders --json --deep --archive"), 0);
	CU_ASSERT_EQUAL(ews_test_json_lines(r.out, "folder", 1), 3);     /* Inbox, Deleted Items, 2023 */
	char *names[3] = { ews_test_json_field(r.out, "folder", 0, "name"), ews_test_json_field(r.out, "folder", 1, "name"),
			   ews_test_json_field(r.out, "folder", 2, "name") };
	int inbox = 0, deleted = 0, y2023 = 0;
	for (int k = 0; k < 3; k++) {
		inbox += names[k] && !strcmp(names[k], "Inbox");
		deleted += names[k] && !strcmp(names[k], "Deleted Items");
		y2023 += names[k] && !strcmp(names[k], "2023");
		free(names[k]);
	}
	CU_ASSERT(inbox == 1 && deleted == 1 && y2023 == 1);
	/* a path from the archive's top, and the items there (4 seeded archive items: 2 in 2023) */
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-find-items --json --archive --folder 2023"), 0);
	CU_ASSERT_EQUAL(ews_test_json_lines(r.out, "item", 1), 2);
	/* without --archive the same path is not there */
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-find-items --json --folder 2023"), 2);
}

static void archive_flag_maps_names_and_refuses_those_without_a_counterpart(void)
{
	if (!ews_test_needs(HAVE_ARCHIVE, ARCHIVE_FOLDERS, "--archive maps names"))
		return;
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-find-items --archive --folder sentitems"), 2);
	CU_ASSERT(strstr(r.err, "the archive mailbox has no sentitems") != NULL);
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-get-folder --json --archive deleteditems"), 0);
	char *name = ews_test_json_field(r.out, "folder", 0, "name"), *id = ews_test_json_field(r.out, "folder", 0, "id");
	char *want = distinguished_id("archivedeleteditems");
	CU_ASSERT_STRING_EQUAL(name ? name : "", "Deleted Items");
	CU_ASSERT(id && want && !strcmp(id, want));
	free(name), free(id), free(want);
	if (!schema_has("archiveinbox")) {
		CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-find-items --archive --folder inbox"), 2);
		CU_ASSERT(strstr(r.err, "not a distinguished folder of this build's schema") != NULL);
		return;
	}
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-find-items --json --archive --folder Inbox"), 0);
	CU_ASSERT_EQUAL(ews_test_json_lines(r.out, "item", 1), 2);
	/* an .eml into the archive: its inbox by default */
	char in[128];
	snprintf(in, sizeof in, "%s/report.eml", tmp);
	CU_ASSERT_EQUAL_FATAL(ews_test_cli_run(&r, tmp, "ews-create-item --json --archive --mime '%s'", in), 0);
	char *made = ews_test_json_field(r.out, "created", 0, "id");
	char *parent = made ? item_parent(made) : NULL, *ainbox = distinguished_id("archiveinbox");
	CU_ASSERT(parent && ainbox && !strcmp(parent, ainbox));
	free(made), free(parent), free(ainbox);
}

static void archive_hierarchy_sync_tool_syncs_the_archive(void)
{
	if (!ews_test_needs(HAVE_ARCHIVE, ARCHIVE_FOLDERS, "sync-folder-hierarchy --archive"))
		return;
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-sync-folder-hierarchy --json --archive --state '%s/a.state'", tmp), 0);
	CU_ASSERT(strstr(r.out, "\"Inbox\"") != NULL && strstr(r.out, "\"2023\"") != NULL);
	CU_ASSERT(strstr(r.out, "\"Sent Items\"") == NULL);
	/* a second run: nothing new */
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-sync-folder-hierarchy --json --archive --state '%s/a.state'", tmp), 0);
	CU_ASSERT(strstr(r.out, "\"Inbox\"") == NULL);
}

/* ---- ews-backup: the archive mailbox too ---- */

static long json_num(const char *key)
{
	char *v = ews_test_json_field(r.out, "summary", 0, key);
	long n = v ? (!strcmp(v, "true") ? 1 : !strcmp(v, "false") ? 0 : atol(v)) : -1;
	free(v);
	return n;
}

static int archive_items(const char *user)
{
	if (ews_test_cli_run(&r, tmp, "EWS_USER=%s ews-find-items --json --archive --folder inbox", user) != 0)
		return -1;
	int n = ews_test_json_lines(r.out, "item", 1);
	if (ews_test_cli_run(&r, tmp, "EWS_USER=%s ews-find-items --json --archive --folder 2023", user) != 0)
		return n;
	return n + ews_test_json_lines(r.out, "item", 1);
}

static void backup_takes_the_archive_and_restore_maps_it_back(void)
{
	if (!ews_test_needs(HAVE_ARCHIVE, ARCHIVE_FOLDERS, "backup takes the archive"))
		return;
	if (!schema_has("archiveinbox"))
		return;
	int source = archive_items(MAILBOX);
	CU_ASSERT(source >= 4);
	CU_ASSERT_EQUAL_FATAL(ews_test_cli_run(&r, tmp, "ews-backup --json --dir '%s/bk'", tmp), 0);
	CU_ASSERT_EQUAL(json_num("archive"), 1);
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "grep -c '\tarchivemsgfolderroot$' '%s/bk/backup.tsv'", tmp), 0);
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "grep -c '\tarchiveinbox$' '%s/bk/backup.tsv'", tmp), 0);
	/* a second run: only sync calls, nothing exported */
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-backup --json --dir '%s/bk'", tmp), 0);
	CU_ASSERT_EQUAL(json_num("exported"), 0);
	/* restore into another mailbox: its archive gets the archive's items, in the same folders */
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "EWS_USER=heir@example.com ews-backup restore --json --dir '%s/bk'",
					 tmp), 0);
	CU_ASSERT_EQUAL(archive_items("heir@example.com"), source);
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "EWS_USER=heir@example.com ews-find-items --json --folder inbox"), 0);
	int heir_inbox = ews_test_json_lines(r.out, "item", 1);
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "ews-find-items --json --folder inbox"), 0);
	CU_ASSERT_EQUAL(heir_inbox, ews_test_json_lines(r.out, "item", 1));      /* nothing of the archive there */
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "EWS_USER=heir@example.com ews-backup verify --json --dir '%s/bk'",
					 tmp), 0);
	CU_ASSERT_EQUAL(json_num("differences"), 0);
}

static void a_mailbox_without_an_archive_backs_up_and_restores_without_one(void)
{
	if (!ews_test_needs(HAVE_ARCHIVE, ARCHIVE_FOLDERS, "a mailbox without an archive backs up"))
		return;
	if (!schema_has("archiveinbox"))
		return;
	/* ewsd again on the same store, making mailboxes without an archive from now on */
	static const char *const extra[] = { "--no-archive", NULL };
	char dir[256];
	snprintf(dir, sizeof dir, "%s", srv.dir);
	CU_ASSERT_EQUAL_FATAL(ewsd_stop(&srv, 1) >= -1, 1);
	CU_ASSERT_EQUAL_FATAL(ewsd_start(&srv, dir, extra), 0);
	setenv("EWS_URL", srv.url, 1);
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "EWS_USER=plain@example.com ews-backup --json --dir '%s/bk-plain'",
					 tmp), 0);
	CU_ASSERT_EQUAL(json_num("archive"), 0);
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "grep -c archive '%s/bk-plain/backup.tsv' || true", tmp), 0);
	/* the mailbox's own Archive folder (a distinguished folder since Exchange 2016's schema), nothing of an
	 * archive mailbox */
	CU_ASSERT_EQUAL(atoi(r.out), EWS_TEST_DEFINED(EWS_HAS_ewstype__DistinguishedFolderIdNameType_archive));
	/* the archive's backup into it: said, not an error; the rest restored */
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "EWS_USER=plain@example.com ews-backup restore --json --dir '%s/bk'",
					 tmp), 0);
	CU_ASSERT(strstr(r.err, "holds an archive mailbox and plain@example.com has none") != NULL);
	CU_ASSERT(json_num("uploaded") > 0);
	/* and no archive folder was made up in the mailbox itself */
	CU_ASSERT_EQUAL(ews_test_cli_run(&r, tmp, "EWS_USER=plain@example.com ews-find-folders --json --deep"), 0);
	CU_ASSERT_PTR_NULL(strstr(r.out, "Top of Information Store"));
	CU_ASSERT_PTR_NULL(strstr(r.out, "\"2023\""));
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "an .eml file round-trips byte for byte", an_eml_file_round_trips_byte_for_byte },
		{ "a large .eml goes through in chunks", a_large_eml_goes_through_in_chunks },
		{ "bad files and arguments fail before anything is sent", bad_files_and_arguments_fail_before_anything_is_sent },
		{ "a server refusal is a response error", a_server_refusal_is_a_response_error },
		{ "create-item --mime and get-item --mime round-trip", create_item_mime_and_get_item_mime_round_trip },
		{ "create-item --mime refuses bad use", create_item_mime_refuses_bad_use },
		{ "--archive lists the archive tree", archive_flag_lists_the_archive_tree },
		{ "--archive maps names and refuses those without a counterpart",
		  archive_flag_maps_names_and_refuses_those_without_a_counterpart },
		{ "sync-folder-hierarchy --archive syncs the archive", archive_hierarchy_sync_tool_syncs_the_archive },
		{ "backup takes the archive and restore maps it back", backup_takes_the_archive_and_restore_maps_it_back },
		{ "a mailbox without an archive backs up and restores without one",
		  a_mailbox_without_an_archive_backs_up_and_restores_without_one },
		{ NULL, NULL }
	};
	char dir[64] = "/tmp/ews-archive-XXXXXX";
	snprintf(tmp, sizeof tmp, "/tmp/ews-archive-out-XXXXXX");
	if (!mkdtemp(tmp) || !mkdtemp(dir)) {
		fprintf(stderr, "cannot make temporary directories\n");
		return 1;
	}
	char cmd[512];
	snprintf(cmd, sizeof cmd, "\"${EWS_BUILD:-build}/bin/ewsd\" seed --data %s --mailbox %s --items 10 --archive-items 4 "
		 ">/dev/null", dir, MAILBOX);
	ews_options opt;
	ews_options_init(&opt);
	if (system(cmd) != 0 || ewsd_start(&srv, dir, NULL) || !ews_ok(ews_client_new(srv.url, &opt, &client)) ||
	    !ews_ok(ews_client_set_basic_auth(client, MAILBOX, "x"))) {
		fprintf(stderr, "cannot seed or start ewsd, or make the client\n");
		return 1;
	}
	static const char *const unset[] = { "EWS_TOKEN", "EWS_AUTH", "EWS_VERSION", "EWS_IMPERSONATE", "EWS_CA_FILE",
					     "EWS_INSECURE", "EWS_EMAIL" };
	for (size_t k = 0; k < sizeof unset / sizeof unset[0]; k++)
		unsetenv(unset[k]);
	setenv("EWS_URL", srv.url, 1);
	setenv("EWS_USER", MAILBOX, 1);
	setenv("EWS_PASSWORD", "x", 1);
	int rc = ews_test_run("archive, .eml and --archive", cases);
	ews_client_free(client);
	ewsd_stop(&srv, 0);
	ews_test_cli_run_free(&r);
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
	if (system(cmd) != 0)
		rc = rc ? rc : 1;
	return rc;
}
