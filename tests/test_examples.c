/* test_examples.c — every ews-* example run as a user would, against a seeded ewsd, asserting on its output and
 * exit status: paging with the anchor check, sync runs, export/upload round trips with an interruption, ids,
 * errors (wrong password, unknown folder, malformed id, server down), and the demo script in --check mode. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ews_test.h"
#include "ewsd_harness.h"

#define MAILBOX "tester@example.com"

static struct ewsd_proc srv;
static char tmp[64];
static char *out, *err;   /* stdout and stderr of the last run() */
static int inbox_count;

/* Run a shell command line (formatted) with the build's bin/ first in PATH; returns its exit status and keeps
 * its stdout/stderr in `out`/`err`. */
static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
	char cmd[16384], line[17000], path[128];
	va_list ap;
	int status;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	snprintf(line, sizeof line, "PATH=%s/bin:$PATH; { %s\n} >%s/out 2>%s/err", ews_test_build_dir(), cmd, tmp, tmp);
	status = system(line);
	free(out);
	free(err);
	snprintf(path, sizeof path, "%s/out", tmp);
	out = ews_test_read_file(path, NULL);
	snprintf(path, sizeof path, "%s/err", tmp);
	err = ews_test_read_file(path, NULL);
	if (!out)
		out = strdup("");
	if (!err)
		err = strdup("");
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The value of "key":"..." or "key":N in the nth line of `text` holding `type` ("type":"item" ...); malloc'd. */
static char *json_value(const char *text, const char *type, int nth, const char *key)
{
	char t[64], k[64];
	const char *p = text;
	snprintf(t, sizeof t, "\"type\":\"%s\"", type);
	snprintf(k, sizeof k, "\"%s\":", key);
	while ((p = strstr(p, t))) {
		const char *eol = strchr(p, '\n'), *v = strstr(p, k);
		if (!eol)
			eol = p + strlen(p);
		if (v && v < eol && nth-- == 0) {
			v += strlen(k);
			if (*v == '"')
				return strndup(v + 1, strcspn(v + 1, "\""));
			return strndup(v, strcspn(v, ",}"));
		}
		p = eol;
	}
	return NULL;
}

static int json_int(const char *text, const char *type, const char *key)
{
	char *v = json_value(text, type, 0, key);
	int n = v ? atoi(v) : -1;
	free(v);
	return n;
}

static int count_lines(const char *text, const char *needle)
{
	int n = 0;
	for (const char *p = text; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void every_command_has_help_with_an_example(void)
{
	static const char *const cmds[] = { "find-items", "find-folders", "get-item", "create-item", "update-item",
					    "delete-item", "sync-folder-items", "sync-folder-hierarchy", "export-items",
					    "upload-items", "convert-id", "decode" };
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		CU_ASSERT_EQUAL(run("ews-%s --help", cmds[i]), 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(out, "usage: ews-"));
		CU_ASSERT_PTR_NOT_NULL(strstr(out, "example"));
		CU_ASSERT_PTR_NOT_NULL(strstr(out, "exit status"));
		CU_ASSERT_EQUAL(run("ews-%s --no-such-flag", cmds[i]), 2);
	}
}

static void find_items_pages_with_the_anchor_and_filters(void)
{
	CU_ASSERT_EQUAL_FATAL(run("ews-find-items --page-size 4 --json"), 0);
	inbox_count = json_int(out, "summary", "total_in_view");
	CU_ASSERT(inbox_count > 8);
	CU_ASSERT_EQUAL(count_lines(out, "\"type\":\"item\""), inbox_count);
	/* page k asks for 5 at offset 4k; the page reaching the end delivers its fifth item too */
	CU_ASSERT_EQUAL(json_int(out, "summary", "pages"), (inbox_count - 1 + 3) / 4);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"changed\":false"));

	CU_ASSERT_EQUAL(run("ews-find-items --page-size 3 --max 5"), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "5 items in 2 pages"));

	CU_ASSERT_EQUAL(run("ews-find-items --subject-contains BUDGET --sort item:Subject:asc --json"), 0);
	int n = count_lines(out, "\"type\":\"item\"");
	CU_ASSERT(n > 0 && n < inbox_count);
	char *prev = NULL;
	for (int i = 0; i < n; i++) {
		char *s = json_value(out, "item", i, "subject");
		CU_ASSERT_PTR_NOT_NULL_FATAL(s);
		CU_ASSERT_PTR_NOT_NULL(strcasestr(s, "budget"));
		if (prev)
			CU_ASSERT(strcmp(prev, s) <= 0);
		free(prev);
		prev = s;
	}
	free(prev);
	CU_ASSERT_EQUAL(run("ews-find-items --sort item:NoSuchField"), 2);
}

/* A second ewsd answering slowly, so an item can be created while ews-find-items is between pages. */
static void find_items_reports_a_result_set_changing_while_paging(void)
{
	struct ewsd_proc slow;
	char dir[] = "/tmp/ews-ex-slow.XXXXXX";
	const char *extra[] = { "--latency", "150", NULL };
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	CU_ASSERT_EQUAL_FATAL(ewsd_seed(dir, MAILBOX, 60, 3), 0);
	CU_ASSERT_EQUAL_FATAL(ewsd_start(&slow, dir, extra), 0);
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s/bin/ews-find-items --url %s --page-size 2 --json > %s/paging 2>&1", ews_test_build_dir(),
		 slow.url, tmp);
	pid_t pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	struct timespec ts = { 0, 600 * 1000000L };
	nanosleep(&ts, NULL);
	/* newest item: sorts first (DateTimeReceived descending) and shifts every later page by one */
	CU_ASSERT_EQUAL(run("ews-create-item --url %s --folder inbox --subject 'arrives while paging'", slow.url), 0);
	int status;
	waitpid(pid, &status, 0);
	CU_ASSERT_EQUAL(WEXITSTATUS(status), 1);
	char path[128];
	snprintf(path, sizeof path, "%s/paging", tmp);
	char *paging = ews_test_read_file(path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(paging);
	CU_ASSERT_PTR_NOT_NULL(strstr(paging, "the folder changed while paging"));
	CU_ASSERT_PTR_NOT_NULL(strstr(paging, "\"changed\":true"));
	free(paging);
	ewsd_stop(&slow, 0);
}

static void find_folders_shallow_and_deep(void)
{
	CU_ASSERT_EQUAL(run("ews-find-folders --json"), 0);
	int shallow = json_int(out, "summary", "folders");
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"name\":\"Inbox\""));
	CU_ASSERT_EQUAL(run("ews-find-folders --deep --page-size 2 --json"), 0);
	int deep = json_int(out, "summary", "folders");
	CU_ASSERT(shallow >= 10);
	CU_ASSERT(deep > shallow);          /* Sync Issues has subfolders */
	CU_ASSERT_EQUAL(count_lines(out, "\"type\":\"folder\""), deep);
}

static void create_get_update_delete_each_item_type(void)
{
	static const char *const types[] = { "message", "calendar", "contact", "task" };
	static const char *const classes[] = { "IPM.Note", "IPM.Appointment", "IPM.Contact", "IPM.Task" };
	for (int i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL_FATAL(run("ews-create-item --json --type %s --subject 'T %s' --body 'b %s' --to x@example.com "
					  "--start 2024-06-03T09:00:00Z --end 2024-06-03T10:00:00Z --location R1 "
					  "--given Ann --surname Lee --email ann@example.com --due 2024-06-09T00:00:00Z",
					  types[i], types[i], types[i]), 0);
		char *id = json_value(out, "created", 0, "id");
		CU_ASSERT_PTR_NOT_NULL_FATAL(id);
		CU_ASSERT_EQUAL(run("ews-update-item --subject 'T %s renamed' %s", types[i], id), 0);
		CU_ASSERT_EQUAL(run("ews-get-item --json %s", id), 0);
		char *cls = json_value(out, "item", 0, "class"), *subj = json_value(out, "item", 0, "subject");
		char *body = json_value(out, "item", 0, "body");
		CU_ASSERT_STRING_EQUAL(cls ? cls : "", classes[i]);
		CU_ASSERT(subj && strstr(subj, "renamed"));
		CU_ASSERT(body && !strncmp(body, "b ", 2));
		if (i == 1)
			CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"location\":\"R1\""));
		if (i == 2)
			CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"email\":\"ann@example.com\""));
		if (i == 0) {
			CU_ASSERT_EQUAL(run("ews-update-item --unread %s", id), 0);
			CU_ASSERT_EQUAL(run("ews-get-item --json %s", id), 0);
			CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"read\":\"false\""));
		}
		if (i == 3)   /* tasks have no read flag: refused before any change */
			CU_ASSERT_EQUAL(run("ews-update-item --read %s", id), 1);
		CU_ASSERT_EQUAL(run("ews-delete-item --json %s", id), 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"ok\":true"));
		CU_ASSERT_EQUAL(run("ews-get-item --json %s", id), 1);
		CU_ASSERT_PTR_NOT_NULL(strstr(out, "ErrorItemNotFound"));
		free(id), free(cls), free(subj), free(body);
	}
}

static void sync_prints_only_what_changed_since_the_last_run(void)
{
	CU_ASSERT_EQUAL_FATAL(run("ews-sync-folder-items --state %s/inbox.sync --max-changes 7 --json", tmp), 0);
	CU_ASSERT_EQUAL(json_int(out, "summary", "creates"), inbox_count);
	CU_ASSERT_EQUAL(count_lines(out, "\"change\":\"create\""), inbox_count);
	CU_ASSERT(json_int(out, "summary", "calls") >= inbox_count / 7);
	CU_ASSERT_EQUAL(run("ews-sync-folder-items --state %s/inbox.sync --json", tmp), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"creates\":0,\"updates\":0,\"deletes\":0,\"read_flag_changes\":0"));

	CU_ASSERT_EQUAL_FATAL(run("ews-sync-folder-items --folder drafts --state %s/drafts.sync --json", tmp), 0);
	CU_ASSERT_EQUAL(run("ews-sync-folder-items --folder drafts --state %s/drafts.sync --json", tmp), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"creates\":0,\"updates\":0,\"deletes\":0,\"read_flag_changes\":0"));

	CU_ASSERT_EQUAL_FATAL(run("ews-create-item --json --subject 'sync me'"), 0);   /* drafts */
	char *id = json_value(out, "created", 0, "id");
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	CU_ASSERT_EQUAL(run("ews-sync-folder-items --folder drafts --state %s/drafts.sync --json", tmp), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"creates\":1,\"updates\":0,\"deletes\":0,\"read_flag_changes\":0"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, id));
	CU_ASSERT_EQUAL(run("ews-update-item --unread %s && ews-delete-item %s", id, id), 0);
	CU_ASSERT_EQUAL(run("ews-sync-folder-items --folder drafts --state %s/drafts.sync", tmp), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0 created, 0 updated, 1 deleted, 0 read-flag changes"));
	free(id);

	/* a damaged state file: a clear message, exit 1, and --reset recovers */
	CU_ASSERT_EQUAL(run("echo garbage > %s/bad.sync && ews-sync-folder-items --state %s/bad.sync", tmp, tmp), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "--reset"));
	CU_ASSERT_EQUAL(run("ews-sync-folder-items --state %s/bad.sync --reset --json", tmp), 0);
	CU_ASSERT_EQUAL(json_int(out, "summary", "creates"), inbox_count + 0);

	CU_ASSERT_EQUAL(run("ews-sync-folder-hierarchy --state %s/tree.sync --json", tmp), 0);
	CU_ASSERT(json_int(out, "summary", "creates") >= 10);
	CU_ASSERT_EQUAL(run("ews-sync-folder-hierarchy --state %s/tree.sync --json", tmp), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"creates\":0,\"updates\":0,\"deletes\":0"));
}

/* Export, interrupt, resume, then upload into another folder and export that: the same bytes. */
static void export_resumes_after_an_interruption_and_round_trips(void)
{
	char bin[512], dir[128];
	struct http_resp r;
	int status;
	snprintf(bin, sizeof bin, "%s/bin/ews-export-items", ews_test_build_dir());
	snprintf(dir, sizeof dir, "%s/exp", tmp);
	/* slow the server down (40 ms a request) so Ctrl-C lands in the middle of the batches */
	CU_ASSERT_EQUAL_FATAL(http_request(&srv, "GET", "/ewsd/control?latency=40", NULL, NULL, 0, &r), 0);
	http_resp_free(&r);
	pid_t pid = fork();
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
			_exit(126);
		execl(bin, bin, "--folder", "inbox", "--dir", dir, "--batch", "1", (char *)NULL);
		_exit(127);
	}
	struct timespec ts = { 0, 800 * 1000000L };
	nanosleep(&ts, NULL);
	kill(pid, SIGINT);
	waitpid(pid, &status, 0);
	CU_ASSERT_EQUAL_FATAL(http_request(&srv, "GET", "/ewsd/control?latency=0", NULL, NULL, 0, &r), 0);
	http_resp_free(&r);
	CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 1);   /* interrupted: partial */

	CU_ASSERT_EQUAL(run("ews-export-items --folder inbox --dir %s/exp --json", tmp), 0);
	int exported = json_int(out, "summary", "exported"), skipped = json_int(out, "summary", "skipped");
	CU_ASSERT_EQUAL(exported + skipped, inbox_count);
	CU_ASSERT(skipped > 0 && exported > 0);      /* the first run did some, the second the rest */
	CU_ASSERT_EQUAL(run("grep -vc '^#' %s/exp/manifest.tsv; ls %s/exp | grep -c ews$; "
			    "cut -f2 %s/exp/manifest.tsv | sort | uniq -d | wc -l", tmp, tmp, tmp), 0);
	char expect[64];
	snprintf(expect, sizeof expect, "%d\n%d\n0\n", inbox_count, inbox_count);
	CU_ASSERT_STRING_EQUAL(out, expect);

	/* per-item errors do not stop the batch */
	CU_ASSERT_EQUAL(run("ews-export-items --dir %s/exp2 --json AAMkAGbad $(sed -n 2p %s/exp/manifest.tsv | cut -f2)",
			    tmp, tmp), 1);
	CU_ASSERT_EQUAL(json_int(out, "summary", "exported"), 1);
	CU_ASSERT_EQUAL(json_int(out, "summary", "failed"), 1);

	CU_ASSERT_EQUAL(run("ews-upload-items --dir %s/exp --folder archive --json", tmp), 0);
	CU_ASSERT_EQUAL(json_int(out, "summary", "uploaded"), inbox_count);
	CU_ASSERT_EQUAL(run("ews-export-items --folder archive --dir %s/arc", tmp), 0);
	/* every inbox file has a byte-identical twin among the archive's files */
	CU_ASSERT_EQUAL(run("cd %s && (cd exp && sha256sum *.ews | cut -c1-64 | sort) > a && "
			    "(cd arc && sha256sum *.ews | cut -c1-64 | sort) > b && comm -23 a b | wc -l", tmp), 0);
	CU_ASSERT_STRING_EQUAL(out, "0\n");

	/* Update overwrites the recorded items in place: same ids */
	CU_ASSERT_EQUAL(run("ews-upload-items --dir %s/exp --folder inbox --update --json", tmp), 0);
	char *first = json_value(out, "uploaded", 0, "id");
	CU_ASSERT_PTR_NOT_NULL_FATAL(first);
	CU_ASSERT_EQUAL(run("grep -c '%s' %s/exp/manifest.tsv", first, tmp), 0);
	free(first);
	CU_ASSERT_EQUAL(run("ews-upload-items --dir %s/nothing --folder inbox", tmp), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "manifest"));
}

static void convert_id_server_and_offline_agree(void)
{
	static const char *const formats[] = { "EntryId", "HexEntryId", "StoreId", "OwaId", "EwsLegacyId" };
	CU_ASSERT_EQUAL_FATAL(run("ews-find-items --max 1 --json"), 0);
	char *id = json_value(out, "item", 0, "id");
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	for (int i = 0; i < 5; i++) {
		CU_ASSERT_EQUAL(run("a=$(ews-convert-id --to %s '%s') && b=$(ews-convert-id --offline --mailbox %s --to %s '%s') "
				    "&& [ \"$a\" = \"$b\" ] && [ -n \"$a\" ]", formats[i], id, MAILBOX, formats[i], id), 0);
	}
	CU_ASSERT_EQUAL(run("ews-convert-id --from HexEntryId --to EwsId $(ews-convert-id --to HexEntryId '%s')", id), 0);
	CU_ASSERT(!strncmp(out, id, strlen(id)));
	CU_ASSERT_EQUAL(run("ews-convert-id --offline --to HexEntryId --fix-public-folder --json '%s'", id), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "1A447390AA6611CD9BC800AA002FC45A09"));
	CU_ASSERT_EQUAL(run("ews-convert-id --to EntryId not-an-id"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "ErrorInvalidIdMalformed"));
	CU_ASSERT_EQUAL(run("ews-convert-id --offline --to EntryId not-an-id"), 1);
	CU_ASSERT_EQUAL(run("ews-convert-id --to entryid x"), 2);        /* names are exact */
	free(id);
}

static void errors_are_clear_with_their_exit_codes(void)
{
	CU_ASSERT_EQUAL(run("ews-find-items --folder no-such-folder"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "ErrorInvalidIdMalformed"));
	CU_ASSERT_EQUAL(run("ews-get-item --json AAMkAGbad"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"type\":\"error\""));
	CU_ASSERT_EQUAL(run("ews-find-items --attempts 1 --url http://127.0.0.1:1/EWS/Exchange.asmx"), 4);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "Connection refused"));
	CU_ASSERT_EQUAL(run("EWS_URL= ews-find-items"), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "EWS_URL"));
	CU_ASSERT_EQUAL(run("EWS_AUTH=kerberos ews-find-items"), 2);
	CU_ASSERT_EQUAL(run("ews-sync-folder-items"), 2);

	/* a server with a users file: the wrong password is exit 3, the right one works */
	struct ewsd_proc locked;
	char users[128], arg[140];
	snprintf(users, sizeof users, "%s/users", tmp);
	FILE *f = fopen(users, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f, "user alice@example.com s3cret\n");
	fclose(f);
	snprintf(arg, sizeof arg, "%s", users);
	const char *extra[] = { "--users", arg, NULL };
	CU_ASSERT_EQUAL_FATAL(ewsd_start(&locked, NULL, extra), 0);
	CU_ASSERT_EQUAL(run("ews-find-folders --url %s --user alice@example.com --password wrong", locked.url), 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "401"));
	CU_ASSERT_PTR_NULL(strstr(err, "wrong"));   /* never echo the password */
	CU_ASSERT_EQUAL(run("EWS_PASSWORD=s3cret ews-find-folders --url %s --user alice@example.com", locked.url), 0);
	ewsd_stop(&locked, 0);
}

static void the_demo_passes_in_check_mode(void)
{
	CU_ASSERT_EQUAL(run("examples/demo.sh --check %s", ews_test_build_dir()), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "steps passed"));
	CU_ASSERT_PTR_NULL(strstr(out, "FAILED"));
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "every command has --help with an example; unknown flags are exit 2", every_command_has_help_with_an_example },
		{ "find-items pages with the anchor, filters and sorts", find_items_pages_with_the_anchor_and_filters },
		{ "find-items reports a result set changing while paging", find_items_reports_a_result_set_changing_while_paging },
		{ "find-folders lists shallow and deep", find_folders_shallow_and_deep },
		{ "create, get, update, delete each item type", create_get_update_delete_each_item_type },
		{ "sync prints only what changed since the last run", sync_prints_only_what_changed_since_the_last_run },
		{ "export resumes after an interruption; upload and export again give the same bytes",
		  export_resumes_after_an_interruption_and_round_trips },
		{ "convert-id: the server and offline agree; round trip; public-folder fix",
		  convert_id_server_and_offline_agree },
		{ "errors are clear, with their exit codes (auth 3, connection 4, usage 2)",
		  errors_are_clear_with_their_exit_codes },
		{ "the demo passes in check mode", the_demo_passes_in_check_mode },
		{ NULL, NULL }
	};
	char dir[] = "/tmp/ews-ex-data.XXXXXX";
	snprintf(tmp, sizeof tmp, "/tmp/ews-ex-test.XXXXXX");
	if (!mkdtemp(tmp) || !mkdtemp(dir) || ewsd_seed(dir, MAILBOX, 120, 11) || ewsd_start(&srv, dir, NULL)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	setenv("EWS_URL", srv.url, 1);
	setenv("EWS_USER", MAILBOX, 1);
	setenv("EWS_PASSWORD", "any", 1);
	unsetenv("EWS_AUTH");
	int rc = ews_test_run("examples", cases);
	ewsd_stop(&srv, 0);
	free(out);
	free(err);
	char rm[128];
	snprintf(rm, sizeof rm, "rm -rf %s", tmp);
	if (system(rm))
		rc = rc ? rc : 1;
	return rc;
}
