/* test_examples.c — every ews-* example run as a user would, against a seeded ewsd, asserting on its output and
 * exit status: paging with the anchor check, sync runs, export/upload round trips with an interruption, ids,
 * errors (wrong password, unknown folder, malformed id, server down), and the demo script in --check mode. */
#define _GNU_SOURCE
#include <dirent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ews_schema.h"
#include "ews_schema_members.h"
#include "ews_test.h"
#include "ewsd_harness.h"

#define MAILBOX "tester@example.com"

/* ExportItems and UploadItems came with Exchange 2010 SP1: with bindings from an older set (Exchange2007_SP1)
 * ews-export-items, ews-upload-items and ews-backup say the set lacks them (checked below) and the checks that
 * export or upload are skipped, saying so. */
#define HAVE_TRANSFER (EWS_TEST_DEFINED(EWS_HAVE_OP_EXPORT_ITEMS) && EWS_TEST_DEFINED(EWS_HAVE_OP_UPLOAD_ITEMS))
#define TRANSFER_OPS "operation ExportItems or UploadItems"

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
		if (strcmp(cmds[i], "decode")) {
			/* one line that says what is wrong and where to look, not the whole help */
			CU_ASSERT_PTR_NOT_NULL(strstr(err, "--no-such-flag"));
			CU_ASSERT_PTR_NOT_NULL(strstr(err, "(see --help)"));
			CU_ASSERT_EQUAL(count_lines(err, "\n"), 1);
			CU_ASSERT_PTR_NULL(strstr(err, "usage:"));
		}
	}
}

/* VERSION of the Makefile and the schema name and identity of the STAMP these binaries were generated with. */
static void build_facts(char *version, size_t vlen, char *schema, size_t slen, char *types, size_t tlen)
{
	char path[512], line[1024];
	FILE *f = fopen("Makefile", "r");
	*version = *schema = *types = '\0';
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "VERSION := %63s", path) == 1)
			snprintf(version, vlen, "%.40s", path);
	if (f)
		fclose(f);
	snprintf(path, sizeof path, "%s/generated/STAMP", ews_test_build_dir());
	if (!(f = fopen(path, "r")))
		f = fopen("generated/STAMP", "r");
	while (f && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "schema-name: ", 13))
			snprintf(schema, slen, "%.400s", line + 13);
		if (!strncmp(line, "schema-hash: ", 13))
			snprintf(types, tlen, "%.30s", line + 13);
	}
	if (f)
		fclose(f);
}

static void version_prints_tool_library_and_schema(void)
{
	static const char *const cmds[] = { "find-items", "find-folders", "get-item", "create-item", "update-item",
					    "delete-item", "sync-folder-items", "sync-folder-hierarchy", "export-items",
					    "upload-items", "convert-id" };
	char version[64], schema[512], types[32], want[700];
	build_facts(version, sizeof version, schema, sizeof schema, types, sizeof types);
	CU_ASSERT_FATAL(*version && *schema && *types);
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		CU_ASSERT_EQUAL(run("ews-%s --version", cmds[i]), 0);
		snprintf(want, sizeof want, "ews-%s (libews %s)", cmds[i], version);
		CU_ASSERT_PTR_NOT_NULL(strstr(out, want));
		snprintf(want, sizeof want, "schema %s (identity %s", schema, types);
		CU_ASSERT_PTR_NOT_NULL(strstr(out, want));
	}
	/* RequestServerVersion moved to --server-version; EWS_VERSION is still read */
	CU_ASSERT_EQUAL(run("ews-find-items --max 1 --server-version Exchange2010_SP2"), 0);
	CU_ASSERT_EQUAL(run("ews-find-items --max 1 --server-version NoSuchVersion"), 2);
	CU_ASSERT_EQUAL(run("EWS_VERSION=NoSuchVersion ews-find-items --max 1"), 2);
	CU_ASSERT_EQUAL(run("ews-find-items --version Exchange2013_SP1"), 0);   /* --version takes no value */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "libews"));
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
					  "--given Ann --surname Lee --contact-email ann@example.com --due 2024-06-09T00:00:00Z",
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
			CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"read\":false"));     /* a JSON boolean */
			CU_ASSERT_PTR_NULL(strstr(out, "\"read\":\""));
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

	/* changes that could not be written out (a full disk: /dev/full) are not taken as delivered: the state is not
	 * saved past them, and the next run prints them (before, the state moved on and they were lost) */
	if (!access("/dev/full", W_OK)) {
		CU_ASSERT_EQUAL(run("ews-sync-folder-items --state %s/full.sync >/dev/full", tmp), 1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "standard output: No space left on device"));
		CU_ASSERT_EQUAL(run("ews-sync-folder-items --state %s/full.sync --json", tmp), 0);
		CU_ASSERT_EQUAL(json_int(out, "summary", "creates"), inbox_count);
		CU_ASSERT_EQUAL(run("ews-sync-folder-hierarchy --state %s/fullh.sync >/dev/full", tmp), 1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "standard output: No space left on device"));
		CU_ASSERT_EQUAL(run("ews-sync-folder-hierarchy --state %s/fullh.sync --json", tmp), 0);
		CU_ASSERT(json_int(out, "summary", "creates") > 5);
	}

	/* started with stdout closed (`>&-`), a tool prints into nothing: not into the state file, its manifest or
	 * the connection to the server that would otherwise take descriptor 1 */
	CU_ASSERT_EQUAL(run("ews-sync-folder-items --state %s/closed.sync --json >&- && "
	                    "ews-sync-folder-items --state %s/closed.sync --json", tmp, tmp), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"creates\":0,\"updates\":0,\"deletes\":0,\"read_flag_changes\":0"));
	CU_ASSERT_EQUAL(run("ews-find-items --folder inbox --json >&-"), 0);
	CU_ASSERT_EQUAL(run("ews-export-items --dir %s/closed --folder inbox >&- && "
	                    "ews-export-items --dir %s/closed --folder inbox --json", tmp, tmp), 0);
	CU_ASSERT_EQUAL(json_int(out, "summary", "skipped"), inbox_count);

	/* ews-watch the same: an event that could not be written out is not consumed, so the saved watermark stays
	 * before it and the next run prints it. A first run saves a watermark (it sees one new item), then an item
	 * is created while nobody watches, and the run that resumes writes to a full disk. */
	if (!access("/dev/full", W_OK)) {
		CU_ASSERT_EQUAL_FATAL(run("ews-create-folder Watched >/dev/null && "
		                          "ews-watch --folder Watched --state %s/full.wm --interval 100 --count 1 --json "
		                          ">%s/w1 2>&1 & p=$!; "
		                          "for i in $(seq 100); do grep -q subscribed %s/w1 && break; sleep 0.1; done; "
		                          "ews-create-item --folder Watched --subject 'watched once' >/dev/null && "
		                          "timeout 20 tail --pid=$p -f /dev/null; wait $p", tmp, tmp, tmp), 0);
		CU_ASSERT_EQUAL_FATAL(run("ews-create-item --folder Watched --subject 'while nobody watched' --json"), 0);
		char *later = json_value(out, "created", 0, "id");
		CU_ASSERT_PTR_NOT_NULL_FATAL(later);
		CU_ASSERT_EQUAL(run("timeout 20 ews-watch --folder Watched --state %s/full.wm --count 1 >/dev/full", tmp), 1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "standard output: No space left on device"));
		if (!strstr(err, "standard output"))
			fprintf(stderr, "ews-watch said: %s\n", err);
		CU_ASSERT_EQUAL(run("timeout 20 ews-watch --folder Watched --state %s/full.wm --count 1 --json", tmp), 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(out, later));
		free(later);
	}

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

/* Whether a directory holds a file whose name ends with suffix (the export's first item file). */
static int dir_has_suffix(const char *path, const char *suffix)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int found = 0;
	size_t ls = strlen(suffix);
	while (d && !found && (e = readdir(d)))
		found = strlen(e->d_name) > ls && !strcmp(e->d_name + strlen(e->d_name) - ls, suffix);
	if (d)
		closedir(d);
	return found;
}

/* Export, interrupt, resume, then upload into another folder and export that: the same bytes. */
static void export_resumes_after_an_interruption_and_round_trips(void)
{
	char bin[512], dir[128];
	struct http_resp r;
	int status;
	if (!ews_test_needs(HAVE_TRANSFER, TRANSFER_OPS, "export resumes; upload and export again"))
		return;
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
	/* Ctrl-C once the first item is on disk (not after a fixed time: under ASan on a loaded machine the tool may
	 * not have started yet, or be done) */
	for (int w = 0; w < 600 && !dir_has_suffix(dir, ".ews"); w++)
		nanosleep(&(struct timespec){ 0, 50 * 1000000L }, NULL);
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

	CU_ASSERT_EQUAL(run("ews-upload-items --dir %s/exp --folder junkemail --json", tmp), 0);
	CU_ASSERT_EQUAL(json_int(out, "summary", "uploaded"), inbox_count);
	CU_ASSERT_EQUAL(run("ews-export-items --folder junkemail --dir %s/arc", tmp), 0);
	/* every inbox file has a byte-identical twin in Junk Email (distinguished in every schema version) */
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

	/* an UploadItems answer that breaks off in its status line: the outcome is unknown, said so, and the rerun
	 * finds that batch on the server instead of sending it again */
	struct http_resp hr;
	char cut_id[200] = "";
	CU_ASSERT_EQUAL(run("ews-create-folder CutUpload"), 0);
	CU_ASSERT_EQUAL_FATAL(sscanf(out, "created CutUpload %199s", cut_id), 1);   /* by id: no look-up first */
	CU_ASSERT_EQUAL_FATAL(http_request(&srv, "GET", "/ewsd/control?truncate=1&truncate_at=10", NULL, NULL, 0, &hr), 0);
	http_resp_free(&hr);
	CU_ASSERT_EQUAL(run("ews-upload-items --dir %s/exp --folder %s --batch 2 --settle 1", tmp, cut_id), 4);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "may or may not have been carried out"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "run again looks for that batch's items"));
	/* the batch was sent: counted as such, not as "not attempted" */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0 uploaded, 0 found already uploaded, 0 done before, 0 failed, "
	                                   "2 sent with their answer lost,"));
	CU_ASSERT_EQUAL_FATAL(http_request(&srv, "GET", "/ewsd/control?reset=1", NULL, NULL, 0, &hr), 0);
	http_resp_free(&hr);
	CU_ASSERT_EQUAL(run("ews-upload-items --dir %s/exp --folder %s --batch 2 --settle 1 --json", tmp, cut_id), 0);
	CU_ASSERT_EQUAL(json_int(out, "summary", "recovered"), 2);
	CU_ASSERT_EQUAL(json_int(out, "summary", "uploaded"), inbox_count - 2);
	CU_ASSERT_EQUAL(run("ews-find-items --folder CutUpload --json | grep -c '\"id\"'"), 0);
	snprintf(expect, sizeof expect, "%d\n", inbox_count);
	CU_ASSERT_STRING_EQUAL(out, expect);

	/* issue 12: items updated after the export are exported again (not "already done" with a stale copy):
	 * the --update upload above changed every inbox item, then one ews-update-item changes one */
	CU_ASSERT_EQUAL(run("ews-export-items --folder inbox --dir %s/exp --json", tmp), 0);
	CU_ASSERT_EQUAL(json_int(out, "summary", "changed"), inbox_count);
	char *id = NULL;
	CU_ASSERT_EQUAL(run("grep -v '^#' %s/exp/manifest.tsv | sed -n 3p | cut -f2", tmp), 0);
	id = strndup(out, strcspn(out, "\n"));
	CU_ASSERT_EQUAL(run("ews-update-item --subject 'CHANGED after backup' %s", id), 0);
	CU_ASSERT_EQUAL(run("ews-export-items --folder inbox --dir %s/exp --json", tmp), 0);
	CU_ASSERT_EQUAL(json_int(out, "summary", "exported"), 1);
	CU_ASSERT_EQUAL(json_int(out, "summary", "changed"), 1);
	CU_ASSERT_EQUAL(json_int(out, "summary", "skipped"), inbox_count - 1);
	CU_ASSERT_EQUAL(run("grep -c 'CHANGED after backup' %s/exp/$(grep -F '%s' %s/exp/manifest.tsv | cut -f1)", tmp, id,
			    tmp), 0);
	free(id);
	/* another folder's export into the same directory is refused, the directory untouched */
	CU_ASSERT_EQUAL(run("ews-export-items --folder sentitems --dir %s/exp", tmp), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "holds an export of folder"));
	/* so is a user's own manifest.tsv */
	CU_ASSERT_EQUAL(run("mkdir -p %s/own && printf 'a\\tb\\n' > %s/own/manifest.tsv && "
			    "ews-export-items --folder inbox --dir %s/own", tmp, tmp, tmp), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "not an ews export manifest"));
	CU_ASSERT_EQUAL(run("ls %s/own", tmp), 0);
	CU_ASSERT_STRING_EQUAL(out, "manifest.tsv\n");
	/* --pack: one pack file instead of a file per item; uploaded from it, every item once */
	CU_ASSERT_EQUAL(run("ews-export-items --folder inbox --dir %s/packed --pack --json", tmp), 0);
	CU_ASSERT_EQUAL(json_int(out, "summary", "exported"), inbox_count);
	CU_ASSERT_EQUAL(run("ls %s/packed", tmp), 0);
	CU_ASSERT_STRING_EQUAL(out, "items-1.pack\nmanifest.tsv\n");
	CU_ASSERT_EQUAL(run("ews-create-folder FromPack"), 0);
	CU_ASSERT_EQUAL(run("ews-upload-items --dir %s/packed --folder FromPack --json", tmp), 0);
	CU_ASSERT_EQUAL(json_int(out, "summary", "uploaded"), inbox_count);
	CU_ASSERT_EQUAL(run("ews-find-items --folder FromPack --json | grep -c '\"id\"'"), 0);
	CU_ASSERT_STRING_EQUAL(out, expect);
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
	CU_ASSERT_EQUAL(run("ews-find-items --folder no-such-folder"), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "no folder named \"no-such-folder\""));
	CU_ASSERT_PTR_NULL(strstr(err, "ErrorInvalidIdMalformed"));
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

/* A server with a users file: alice by password, and a token for her. */
static void start_locked(struct ewsd_proc *locked, const char *const *more)
{
	static char users[128];
	const char *extra[8] = { "--users", users };
	int n = 2;
	snprintf(users, sizeof users, "%s/users2", tmp);
	FILE *f = fopen(users, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f, "user alice@example.com s3cret\ntoken good-token alice@example.com\n");
	fclose(f);
	while (more && *more && n < 7)
		extra[n++] = *more++;
	extra[n] = NULL;
	CU_ASSERT_EQUAL_FATAL(ewsd_start(locked, NULL, extra), 0);
}

static void flags_beat_the_environment_and_url_schemes_ignore_case(void)
{
	struct ewsd_proc locked;
	start_locked(&locked, NULL);
	/* a stale token in the environment does not beat --user/--password on the command line */
	CU_ASSERT_EQUAL(run("EWS_TOKEN=stale ews-find-folders --url %s --user alice@example.com --password s3cret",
			    locked.url), 0);
	CU_ASSERT_EQUAL(run("EWS_TOKEN=stale EWS_AUTH=bearer ews-find-folders --url %s --user alice@example.com "
			    "--password s3cret", locked.url), 0);
	/* nor does a wrong environment password beat --token */
	CU_ASSERT_EQUAL(run("EWS_USER=alice@example.com EWS_PASSWORD=wrong ews-find-folders --url %s --token good-token",
			    locked.url), 0);
	/* the environment alone still counts, and a stale token alone is refused */
	CU_ASSERT_EQUAL(run("EWS_TOKEN=stale ews-find-folders --url %s", locked.url), 3);
	CU_ASSERT_EQUAL(run("EWS_USER=alice@example.com EWS_PASSWORD=s3cret ews-find-folders --url %s", locked.url), 0);
	/* --auth is never second-guessed: bearer with only a password is refused */
	CU_ASSERT_EQUAL(run("ews-find-folders --url %s --user alice@example.com --password s3cret --auth bearer",
			    locked.url), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "token"));

	/* schemes ignore case, as in every URL */
	char upper[600];
	snprintf(upper, sizeof upper, "HTTP%s", locked.url + 4);
	CU_ASSERT_EQUAL(run("ews-find-folders --url %s --user alice@example.com --password s3cret", upper), 0);
	snprintf(upper, sizeof upper, "HtTp%s", locked.url + 4);
	CU_ASSERT_EQUAL(run("EWS_URL=%s ews-find-folders --user alice@example.com --password s3cret", upper), 0);
	CU_ASSERT_EQUAL(run("ews-find-folders --url ftp%s", locked.url + 4), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "http://"));
	ewsd_stop(&locked, 0);
}

static void a_non_ews_answer_is_exit_5_and_a_dropped_connection_exit_4(void)
{
	char base[256], *slash;
	struct http_resp r;
	snprintf(base, sizeof base, "%s", srv.url);
	CU_ASSERT_PTR_NOT_NULL_FATAL(slash = strstr(base, "/EWS/"));
	*slash = '\0';
	/* HTTP 404: the URL is wrong. Its own exit status, never 1 ("partial") */
	CU_ASSERT_EQUAL(run("ews-find-items --url %s/nothing/here.asmx", base), 5);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "404"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "--url"));
	CU_ASSERT_EQUAL(run("ews-get-item --json --url %s/nothing AAMkAGbad", base), 5);   /* crashed: read an unset response */
	CU_ASSERT_EQUAL(json_int(out, "error", "exit"), 5);
	CU_ASSERT_EQUAL(run("ews-create-item --subject x --url %s/nothing", base), 5);

	/* a single-item write whose connection is closed without an answer: connection trouble, 4 */
	CU_ASSERT_EQUAL_FATAL(http_request(&srv, "GET", "/ewsd/control?drop=10", NULL, NULL, 0, &r), 0);
	http_resp_free(&r);
	CU_ASSERT_EQUAL(run("ews-create-item --attempts 1 --subject dropped"), 4);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "closed"));
	CU_ASSERT_EQUAL(run("ews-update-item --attempts 1 --subject dropped AAMkAGbad"), 4);
	CU_ASSERT_EQUAL(run("ews-delete-item --attempts 1 AAMkAGbad"), 4);
	/* ... or cut off in the middle of a compressed answer */
	CU_ASSERT_EQUAL_FATAL(http_request(&srv, "GET", "/ewsd/control?reset=1&truncate=10", NULL, NULL, 0, &r), 0);
	http_resp_free(&r);
	CU_ASSERT_EQUAL(run("ews-create-item --attempts 1 --subject cut"), 4);
	CU_ASSERT_EQUAL(run("ews-get-item --attempts 1 AAMkAGbad"), 4);
	CU_ASSERT_EQUAL_FATAL(http_request(&srv, "GET", "/ewsd/control?reset=1", NULL, NULL, 0, &r), 0);
	http_resp_free(&r);

	/* ... and closed in the middle of the answer (no gzip, so the bytes simply stop) */
	struct ewsd_proc plain;
	char dir[] = "/tmp/ews-ex-trunc.XXXXXX";
	const char *extra[] = { "--no-gzip", "--truncate", "10", NULL };
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	CU_ASSERT_EQUAL_FATAL(ewsd_start(&plain, dir, extra), 0);
	CU_ASSERT_EQUAL(run("ews-create-item --attempts 1 --url %s --subject cut", plain.url), 4);
	CU_ASSERT_EQUAL(run("ews-create-item --attempts 1 --url %s --subject cut --json", plain.url), 4);
	CU_ASSERT_EQUAL(json_int(out, "error", "exit"), 4);
	ewsd_stop(&plain, 0);
}

static void folders_are_names_paths_or_ids_and_a_wrong_one_lists_the_names(void)
{
	char *inbox_id, *junk_id;
	CU_ASSERT_EQUAL_FATAL(run("ews-find-folders --json"), 0);
	/* ids as ews-find-folders prints them, with the display names */
	const char *p = strstr(out, "\"name\":\"Inbox\"");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	while (p > out && p[-1] != '\n')
		p--;
	inbox_id = json_value(p, "folder", 0, "id");
	p = strstr(out, "\"name\":\"Junk Email\"");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	while (p > out && p[-1] != '\n')
		p--;
	junk_id = json_value(p, "folder", 0, "id");
	CU_ASSERT_PTR_NOT_NULL_FATAL(inbox_id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(junk_id);

	/* the display name, any case of the distinguished name, the id, a path: all the inbox */
	static const char *const inbox[] = { "Inbox", "INBOX", "inbox", "/Inbox", "msgfolderroot/Inbox" };
	for (size_t i = 0; i < sizeof inbox / sizeof inbox[0]; i++) {
		CU_ASSERT_EQUAL(run("ews-find-items --json --folder '%s'", inbox[i]), 0);
		CU_ASSERT_EQUAL(json_int(out, "summary", "total_in_view"), inbox_count);
	}
	CU_ASSERT_EQUAL(run("ews-find-items --json --folder '%s'", inbox_id), 0);
	CU_ASSERT_EQUAL(json_int(out, "summary", "total_in_view"), inbox_count);

	/* a display name that is not a distinguished name, and a path below one */
	CU_ASSERT_EQUAL(run("ews-create-item --json --folder 'junk email' --subject 'by display name'"), 0);
	CU_ASSERT_EQUAL(run("ews-find-items --json --folder '%s' --subject-contains 'by display name'", junk_id), 0);
	CU_ASSERT_EQUAL(json_int(out, "summary", "items"), 1);
	CU_ASSERT_EQUAL(run("ews-find-folders --json --folder 'Sync Issues'"), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"name\":\"Conflicts\""));
	CU_ASSERT_EQUAL(run("ews-find-items --json --folder 'sync issues/Local Failures'"), 0);
	CU_ASSERT_EQUAL(run("ews-sync-folder-items --json --folder 'Sync Issues/Conflicts' --state %s/conf.sync", tmp), 0);

	/* a path three levels deep, as in the issue: Inbox/Projects/2025 (made with CreateFolder) */
	struct http_resp r;
	char body[512], *projects;
	CU_ASSERT_EQUAL_FATAL(ews_post(&srv, MAILBOX, "Exchange2013_SP1", NULL, "<m:CreateFolder><m:ParentFolderId>"
				       "<t:DistinguishedFolderId Id=\"inbox\"/></m:ParentFolderId><m:Folders><t:Folder>"
				       "<t:DisplayName>Projects</t:DisplayName></t:Folder></m:Folders></m:CreateFolder>", &r), 0);
	projects = xml_attr(r.body, "FolderId", "Id", 0);
	http_resp_free(&r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(projects);
	snprintf(body, sizeof body, "<m:CreateFolder><m:ParentFolderId><t:FolderId Id=\"%s\"/></m:ParentFolderId>"
		 "<m:Folders><t:Folder><t:DisplayName>2025</t:DisplayName></t:Folder></m:Folders></m:CreateFolder>", projects);
	CU_ASSERT_EQUAL_FATAL(ews_post(&srv, MAILBOX, "Exchange2013_SP1", NULL, body, &r), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "NoError"));
	free(projects);
	projects = xml_attr(r.body, "FolderId", "Id", 0);        /* now 2025's id */
	http_resp_free(&r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(projects);
	/* "inbox/Projects/2025/Quarter1" is shaped like a base64 id (28 characters of its alphabet): a path first */
	snprintf(body, sizeof body, "<m:CreateFolder><m:ParentFolderId><t:FolderId Id=\"%s\"/></m:ParentFolderId>"
		 "<m:Folders><t:Folder><t:DisplayName>Quarter1</t:DisplayName></t:Folder></m:Folders></m:CreateFolder>",
		 projects);
	CU_ASSERT_EQUAL_FATAL(ews_post(&srv, MAILBOX, "Exchange2013_SP1", NULL, body, &r), 0);
	http_resp_free(&r);
	free(projects);
	CU_ASSERT_EQUAL(run("ews-create-item --folder inbox/Projects/2025/Quarter1 --subject 'in Q1'"), 0);
	CU_ASSERT_EQUAL(run("ews-find-items --json --folder inbox/Projects/2025/Quarter1"), 0);
	CU_ASSERT_EQUAL(json_int(out, "summary", "items"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "in Q1"));
	CU_ASSERT_EQUAL(run("ews-create-item --folder inbox/Projects/2025 --subject 'deep down'"), 0);
	CU_ASSERT_EQUAL(run("ews-find-items --json --folder 'Inbox/projects/2025'"), 0);
	CU_ASSERT_EQUAL(json_int(out, "summary", "items"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "deep down"));
	CU_ASSERT_EQUAL(run("ews-find-items --folder inbox/Projects/2026"), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "no folder named \"2026\" in Projects"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "\"2025\""));

	/* a wrong name: exit 2, the part that failed, what is there, the distinguished names; never a bare
	 * ErrorInvalidIdMalformed */
	CU_ASSERT_EQUAL(run("ews-find-items --folder Inbx"), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "no folder named \"Inbx\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "\"Junk Email\""));              /* the folders that are there */
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "inbox, "));                      /* the distinguished names */
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "msgfolderroot"));
	CU_ASSERT_PTR_NULL(strstr(err, "ErrorInvalidIdMalformed"));
	CU_ASSERT_EQUAL(run("ews-find-items --folder 'Sync Issues/Nope/Deeper'"), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "no folder named \"Nope\" in Sync Issues"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "\"Conflicts\""));
	if (ews_test_needs(HAVE_TRANSFER, TRANSFER_OPS, "export-items and upload-items name a wrong folder")) {
		CU_ASSERT_EQUAL(run("ews-export-items --folder 'Nope' --dir %s/nope", tmp), 2);
		CU_ASSERT_EQUAL(run("test -e %s/nope", tmp), 1);      /* an early failure leaves no directory behind */
		CU_ASSERT_EQUAL(run("ews-upload-items --folder 'Nope' --dir %s/exp", tmp), 2);
	}
	CU_ASSERT_EQUAL(run("ews-create-item --folder 'Nope' --subject x"), 2);
	CU_ASSERT_EQUAL(run("ews-sync-folder-hierarchy --folder 'Nope' --state %s/nope.sync", tmp), 2);
	CU_ASSERT_EQUAL(run("ews-find-items --folder ''"), 2);
	free(inbox_id);
	free(junk_id);
}

static void page_size_1000_is_accepted_and_numbers_have_their_range(void)
{
	CU_ASSERT_EQUAL(run("ews-find-items --page-size 1000 --json"), 0);
	CU_ASSERT_EQUAL(count_lines(out, "\"type\":\"item\""), inbox_count);
	CU_ASSERT_EQUAL(json_int(out, "summary", "pages"), 1);
	CU_ASSERT_EQUAL(run("ews-find-folders --deep --page-size 1000 --json"), 0);
	CU_ASSERT_EQUAL(run("ews-find-items --page-size 1001"), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "--page-size must be a whole number from 1 to 1000 (see --help)"));
	CU_ASSERT_EQUAL(count_lines(err, "\n"), 1);
	CU_ASSERT_EQUAL(run("ews-find-items --page-size 10x"), 2);
	CU_ASSERT_EQUAL(run("ews-find-items --page-size"), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "--page-size"));
	CU_ASSERT_EQUAL(run("ews-find-items --max -1"), 2);
	CU_ASSERT_EQUAL(run("ews-export-items --dir %s/x --batch 1001", tmp), 2);
	CU_ASSERT_EQUAL(run("ews-upload-items --dir %s/x --folder inbox --batch 501", tmp), 2);
	CU_ASSERT_EQUAL(run("ews-sync-folder-items --state %s/x --max-changes 513", tmp), 2);
	CU_ASSERT_EQUAL(run("ews-find-items --attempts 0"), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "1 to 100"));

	/* every numeric option's range is in --help */
	static const char *const ranges[][2] = { { "find-items", "1..1000" }, { "find-folders", "1..1000" },
						 { "export-items", "1..1000" }, { "upload-items", "1..500" },
						 { "sync-folder-items", "1..512" }, { "get-item", "1..100" } };
	for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
		CU_ASSERT_EQUAL(run("ews-%s --help", ranges[i][0]), 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(out, ranges[i][1]));
	}

	/* a server whose page cap is below the page size: the pager adapts, nothing is reported as changed */
	struct ewsd_proc capped;
	char dir[] = "/tmp/ews-ex-cap.XXXXXX";
	const char *extra[] = { "--max-page", "7", NULL };
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	CU_ASSERT_EQUAL_FATAL(ewsd_seed(dir, MAILBOX, 40, 5), 0);
	CU_ASSERT_EQUAL_FATAL(ewsd_start(&capped, dir, extra), 0);
	CU_ASSERT_EQUAL(run("ews-find-items --url %s --page-size 1000 --json", capped.url), 0);
	int total = json_int(out, "summary", "total_in_view");
	CU_ASSERT(total > 7);
	CU_ASSERT_EQUAL(count_lines(out, "\"type\":\"item\""), total);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"changed\":false"));
	ewsd_stop(&capped, 0);
}

static void retries_of_a_refused_connection_are_shown(void)
{
	CU_ASSERT_EQUAL(run("ews-find-items --attempts 2 --url http://127.0.0.1:1/EWS/Exchange.asmx"), 4);
	CU_ASSERT_EQUAL(count_lines(err, "retrying in"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "attempt 2 of 2"));
	CU_ASSERT_EQUAL(run("ews-find-items --attempts 1 --url http://127.0.0.1:1/EWS/Exchange.asmx"), 4);
	CU_ASSERT_PTR_NULL(strstr(err, "retrying"));
	/* --json keeps stdout JSON: the retry lines go to stderr */
	CU_ASSERT_EQUAL(run("ews-find-items --json --attempts 2 --url http://127.0.0.1:1/EWS/Exchange.asmx"), 4);
	CU_ASSERT_PTR_NULL(strstr(out, "retrying"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "retrying in"));
}

/* Every line of every tool's --json output is an object with a "type" and a boolean "ok"; no boolean or number
 * is quoted. */
static void check_json_lines(const char *text, const char *what)
{
	static const char *const quoted[] = { "\":\"true\"", "\":\"false\"", "\":-1,", "\":-1}" };
	int lines = 0;
	for (const char *p = text; *p; lines++) {
		const char *eol = strchr(p, '\n');
		char *line = strndup(p, eol ? (size_t)(eol - p) : strlen(p));
		CU_ASSERT_PTR_NOT_NULL_FATAL(line);
		if (line[0] != '{' || line[strlen(line) - 1] != '}' || !strstr(line, "\"type\":\"") ||
		    (!strstr(line, "\"ok\":true") && !strstr(line, "\"ok\":false")))
		{
			fprintf(stderr, "\n%s: not a JSON object with type and ok: %s\n", what, line);
			CU_FAIL("json line");
		}
		for (size_t k = 0; k < sizeof quoted / sizeof quoted[0]; k++)
			if (strstr(line, quoted[k])) {
				fprintf(stderr, "\n%s: %s in %s\n", what, quoted[k], line);
				CU_FAIL("json value");
			}
		free(line);
		p = eol ? eol + 1 : p + strlen(p);
	}
	CU_ASSERT(lines > 0);
}

static void json_is_consistent_across_tools(void)
{
	CU_ASSERT_EQUAL_FATAL(run("ews-create-item --json --subject 'json check' --to a@example.com"), 0);
	check_json_lines(out, "create-item");
	char *id = json_value(out, "created", 0, "id");
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	const char *cmds[] = { "ews-find-items --json --max 3", "ews-find-folders --json --deep",
			       "ews-get-item --json ID", "ews-update-item --json --read ID", "ews-get-item --json ID",
			       "ews-convert-id --json --to HexEntryId ID", "ews-sync-folder-hierarchy --json --state TMP/j1",
			       "ews-sync-folder-items --json --folder drafts --state TMP/j2",
			       "ews-export-items --json --dir TMP/j3 ID", "ews-upload-items --json --dir TMP/j3 --folder drafts",
			       "ews-delete-item --json ID", "ews-get-item --json ID" };
	int transfer = ews_test_needs(HAVE_TRANSFER, TRANSFER_OPS, "JSON of export-items and upload-items");
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		char cmd[2048], *o = cmd;
		if (!transfer && (strstr(cmds[i], "export-items") || strstr(cmds[i], "upload-items")))
			continue;
		for (const char *p = cmds[i]; *p && o < cmd + sizeof cmd - 600; )
			if (!strncmp(p, "ID", 2))
				o += sprintf(o, "'%s'", id), p += 2;
			else if (!strncmp(p, "TMP", 3))
				o += sprintf(o, "%s", tmp), p += 3;
			else
				*o++ = *p++;
		*o = '\0';
		int rc = run("%s", cmd);
		CU_ASSERT(rc == 0 || (rc == 1 && i == sizeof cmds / sizeof cmds[0] - 1));   /* the last: deleted */
		check_json_lines(out, cmd);
	}
	free(id);
}

static void get_item_shows_recipients_without_display_to(void)
{
	CU_ASSERT_EQUAL_FATAL(run("ews-create-item --json --subject 'to two' --to ann@example.com --to bob@example.com"), 0);
	char *id = json_value(out, "created", 0, "id");
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	CU_ASSERT_EQUAL(run("ews-get-item --json '%s'", id), 0);
	char *to = json_value(out, "item", 0, "to");
	CU_ASSERT_STRING_EQUAL(to ? to : "", "ann@example.com; bob@example.com");
	CU_ASSERT_EQUAL(run("ews-get-item '%s'", id), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "ann@example.com; bob@example.com"));
	free(to);
	free(id);
}

static void upload_shows_progress_on_a_terminal_and_stops_cleanly_on_ctrl_c(void)
{
	char dir[128], bin[512];
	struct http_resp r;
	int status;
	snprintf(dir, sizeof dir, "%s/exp", tmp);
	if (!ews_test_needs(HAVE_TRANSFER, TRANSFER_OPS, "upload shows progress"))
		return;
	/* on a terminal (script gives the command one), a bar on stderr; in a pipe, none */
	CU_ASSERT_EQUAL(run("script -qec \"ews-upload-items --dir %s --folder deleteditems --batch 7\" /dev/null", dir), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "uploading"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "] 7/"));
	/* a second copy on purpose (--again: a new journal; without it the rerun would upload nothing) */
	CU_ASSERT_EQUAL(run("ews-upload-items --dir %s --folder deleteditems --batch 7 --again", dir), 0);
	CU_ASSERT_PTR_NULL(strstr(err, "uploading"));

	/* Ctrl-C: the batch in flight finishes, then the summary says interrupted (exit 1) */
	snprintf(bin, sizeof bin, "%s/bin/ews-upload-items", ews_test_build_dir());
	CU_ASSERT_EQUAL_FATAL(http_request(&srv, "GET", "/ewsd/control?latency=40", NULL, NULL, 0, &r), 0);
	http_resp_free(&r);
	char path[160];
	snprintf(path, sizeof path, "%s/upl.json", tmp);
	pid_t pid = fork();
	if (pid == 0) {
		if (!freopen(path, "w", stdout) || !freopen("/dev/null", "w", stderr))
			_exit(126);
		execl(bin, bin, "--dir", dir, "--folder", "deleteditems", "--batch", "1", "--json", "--again", (char *)NULL);
		_exit(127);
	}
	/* Ctrl-C once the first item is reported (a fixed wait fails either way under ASan on a loaded machine) */
	for (int w = 0; w < 600; w++) {
		char *so_far = ews_test_read_file(path, NULL);
		int started = so_far && strstr(so_far, "\"type\":\"uploaded\"");
		free(so_far);
		if (started)
			break;
		nanosleep(&(struct timespec){ 0, 50 * 1000000L }, NULL);
	}
	kill(pid, SIGINT);
	waitpid(pid, &status, 0);
	CU_ASSERT_EQUAL_FATAL(http_request(&srv, "GET", "/ewsd/control?latency=0", NULL, NULL, 0, &r), 0);
	http_resp_free(&r);
	CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 1);
	char *json = ews_test_read_file(path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(json);
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"interrupted\":true"));
	int uploaded = json_int(json, "summary", "uploaded");
	CU_ASSERT(uploaded > 0 && uploaded < inbox_count);
	CU_ASSERT_EQUAL(count_lines(json, "\"type\":\"uploaded\""), uploaded);
	free(json);

	/* issue 12: the same command again (no --again: the journal of the interrupted run) uploads only the rest —
	 * every item once, no duplicates on the server */
	CU_ASSERT_EQUAL(run("ews-find-items --folder deleteditems --json | grep -c '\"type\":\"item\"'"), 0);
	int before = atoi(out);
	CU_ASSERT_EQUAL(run("ews-upload-items --dir %s --folder deleteditems --batch 5 --json", dir), 0);
	CU_ASSERT_EQUAL(json_int(out, "summary", "uploaded"), inbox_count - uploaded);
	CU_ASSERT_EQUAL(json_int(out, "summary", "skipped"), uploaded);
	CU_ASSERT_EQUAL(run("ews-find-items --folder deleteditems --json | grep -c '\"type\":\"item\"'"), 0);
	CU_ASSERT_EQUAL(atoi(out), before + inbox_count - uploaded);
	CU_ASSERT_EQUAL(run("ews-upload-items --dir %s --folder deleteditems --json", dir), 0);
	CU_ASSERT_EQUAL(json_int(out, "summary", "uploaded"), 0);
}

/* Bindings from a set older than the tour (examples/tools/demo.sh) lack some of what it shows: then the tools that
 * need an operation must say so themselves, before connecting, with nothing written (EWS_ERR_UNSUPPORTED, exit 1). */
static void tools_say_when_the_bindings_lack_their_operation(void)
{
	static const struct { const char *cmd, *op; int have; } tools[] = {
		{ "ews-export-items --folder inbox --dir %s/lack-e", "ExportItems",
		  EWS_TEST_DEFINED(EWS_HAVE_OP_EXPORT_ITEMS) },
		{ "ews-upload-items --folder inbox --dir %s/lack-u", "UploadItems",
		  EWS_TEST_DEFINED(EWS_HAVE_OP_UPLOAD_ITEMS) },
		{ "ews-backup --dir %s/lack-b", "ExportItems", EWS_TEST_DEFINED(EWS_HAVE_OP_EXPORT_ITEMS) },
		{ "ews-backup restore --dir %s/lack-b", "UploadItems", EWS_TEST_DEFINED(EWS_HAVE_OP_UPLOAD_ITEMS) },
		{ "ews-watch --streaming --count 1 --state %s/lack-w", "GetStreamingEvents",
		  EWS_TEST_DEFINED(EWS_HAVE_OP_GET_STREAMING_EVENTS) },
	};
	int checked = 0;
	for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++) {
		if (tools[i].have)
			continue;
		checked++;
		CU_ASSERT_EQUAL(run(tools[i].cmd, tmp), 1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "not an operation of the bindings' schema set " EWS_SCHEMA_NAME));
		CU_ASSERT_PTR_NOT_NULL(strstr(err, tools[i].op));
	}
	CU_ASSERT_EQUAL(run("ls -d %s/lack-*", tmp), 2);      /* nothing written */
	if (!checked)
		CU_PASS("the bindings have every operation the tools need: nothing to refuse");
}

/* The tour uses what Exchange 2010 SP1 brought (export/upload, archive, streaming, time zones, list members). */
#define HAVE_TOUR (HAVE_TRANSFER && EWS_TEST_DEFINED(EWS_HAVE_OP_GET_STREAMING_EVENTS) && \
		   EWS_TEST_DEFINED(EWS_HAS_ewstype__DistinguishedFolderIdNameType_archivemsgfolderroot) && \
		   EWS_TEST_DEFINED(EWS_HAS_ewstype__CalendarItemType_StartTimeZone) && \
		   EWS_TEST_DEFINED(EWS_HAS_ewstype__DistributionListType_Members))

static void the_demo_passes_in_check_mode(void)
{
	if (!ews_test_needs(HAVE_TOUR, "operation ExportItems, UploadItems or GetStreamingEvents, archive folders, "
			    "StartTimeZone or DistributionList Members (the tour shows them)", "the demo"))
		return;
	CU_ASSERT_EQUAL(run("examples/tools/demo.sh --check %s", ews_test_build_dir()), 0);
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
		{ "--version prints the tool, library and schema versions; --server-version sets RequestServerVersion",
		  version_prints_tool_library_and_schema },
		{ "flags beat the environment; URL schemes ignore case",
		  flags_beat_the_environment_and_url_schemes_ignore_case },
		{ "a non-EWS answer is exit 5, a dropped connection exit 4",
		  a_non_ews_answer_is_exit_5_and_a_dropped_connection_exit_4 },
		{ "folders are names, paths or ids; a wrong one lists the names",
		  folders_are_names_paths_or_ids_and_a_wrong_one_lists_the_names },
		{ "page size 1000 is accepted; numbers have their range in --help and one-line errors",
		  page_size_1000_is_accepted_and_numbers_have_their_range },
		{ "retries of a refused connection are shown on stderr", retries_of_a_refused_connection_are_shown },
		{ "JSON is consistent across tools: type, boolean ok, unquoted booleans", json_is_consistent_across_tools },
		{ "get-item shows recipients without DisplayTo", get_item_shows_recipients_without_display_to },
		{ "upload shows progress on a terminal and stops cleanly on Ctrl-C",
		  upload_shows_progress_on_a_terminal_and_stops_cleanly_on_ctrl_c },
		{ "tools say when the bindings lack their operation", tools_say_when_the_bindings_lack_their_operation },
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
