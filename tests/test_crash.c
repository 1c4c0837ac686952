/* test_crash.c — kill -9 campaign: ews-export-items, ews-upload-items and ews-sync-folder-items are killed with
 * SIGKILL at random moments against a seeded ewsd that answers slowly (so kills land mid-batch, mid-request; the
 * upload's runs also meet answers cut anywhere and requests dropped),
 * then run again to the end; after every cycle: 0 items lost, 0 duplicated (counted in the directory and on the
 * server, byte for byte) and every manifest / journal / state file readable.
 *
 * EWS_CRASH_CYCLES (default 3: a few seconds in `make check`; `make check-crash` runs 100) cycles per tool;
 * EWS_CRASH_SEED makes a campaign repeatable (the seed used is printed). */
#define _GNU_SOURCE
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ews_schema.h"
#include "ews_test.h"
#include "ews_test_wf.h"
#include "ews/export.h"
#include "ews/pager.h"
#include "ews/sync.h"

#define MAILBOX "crash@example.com"
#define LATENCY_MS 15

static struct ewsd_proc srv;
static ews_client *c;
static int cycles = 3;
static char ref[300];           /* the inbox exported once, undisturbed: what every copy must equal */
static size_t nref;

static void control(const char *query)
{
	struct http_resp r;
	char path[128];
	snprintf(path, sizeof path, "/ewsd/control?%s", query);
	CU_ASSERT_EQUAL_FATAL(http_request(&srv, "GET", path, NULL, NULL, 0, &r), 0);
	http_resp_free(&r);
}

static pid_t spawn(char *const argv[], const char *out)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (!freopen(out ? out : "/dev/null", "a", stdout) || !freopen("/dev/null", "w", stderr))
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

static int landed, missed;      /* kills that hit a running tool / came after it had finished */
static int recovered;           /* upload: items found on the server after a kill instead of sent again */

/* Kill the tool at a random moment of its run (it may have finished already: that is a cycle too). */
static void run_and_kill(char *const argv[], const char *out, int max_ms)
{
	int status;
	pid_t pid = spawn(argv, out);
	struct timespec ts = { 0, (long)(rand() % max_ms) * 1000000L };
	nanosleep(&ts, NULL);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status))
		landed++;
	else
		missed++;
}

static int run_to_end(char *const argv[], const char *out)
{
	int status;
	pid_t pid = spawn(argv, out);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void tool(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/bin/ews-%s", ews_test_build_dir(), name);
}

/* FNV-1a 64 of each *.ews file of a directory (a packed one: of each live entry's data, read through its
 * manifest), sorted: the multiset of item data. */
static int cmp_u64(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;
	return x < y ? -1 : x > y;
}

static unsigned long long fnv(const unsigned char *data, size_t len)
{
	unsigned long long h = 1469598103934665603ULL;
	for (size_t i = 0; data && i < len; i++)
		h = (h ^ data[i]) * 1099511628211ULL;
	return h;
}

static size_t packed_hashes(ews_manifest *m, unsigned long long **out)
{
	size_t n = 0, cap = ews_manifest_count(m) + 1;
	*out = malloc(cap * sizeof **out);
	for (size_t i = 0; *out && i < ews_manifest_count(m); i++) {
		const ews_manifest_entry *e = ews_manifest_entry_at(m, i);
		unsigned char *data = NULL;
		size_t len = 0;
		CU_ASSERT_PTR_NOT_NULL_FATAL(e);
		if (e->deleted)
			continue;
		CU_ASSERT_EQUAL(ews_manifest_read_item(m, e, 1 << 24, &data, &len).code, EWS_OK);
		(*out)[n++] = fnv(data, len);
		free(data);
	}
	qsort(*out, n, sizeof **out, cmp_u64);
	return n;
}

static size_t data_hashes(const char *dir, unsigned long long **out)
{
	ews_manifest *m = NULL;
	if (ews_ok(ews_manifest_open(dir, NULL, NULL, &m)) && ews_manifest_version(m) == 3) {
		size_t n = packed_hashes(m, out);
		ews_manifest_close(m);
		return n;
	}
	ews_manifest_close(m);
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0, cap = 0;
	*out = NULL;
	while (d && (e = readdir(d))) {
		size_t l = strlen(e->d_name), len;
		if (l < 5 || strcmp(e->d_name + l - 4, ".ews"))
			continue;
		char path[600];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		char *data = ews_test_read_file(path, &len);
		unsigned long long h = fnv((const unsigned char *)data, len);
		free(data);
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			*out = realloc(*out, cap * sizeof **out);
		}
		(*out)[n++] = h;
	}
	if (d)
		closedir(d);
	qsort(*out, n, sizeof **out, cmp_u64);
	return n;
}

static int same_data(const char *a, const char *b)
{
	unsigned long long *x, *y;
	size_t nx = data_hashes(a, &x), ny = data_hashes(b, &y);
	int same = nx == ny && (nx == 0 || !memcmp(x, y, nx * sizeof *x));
	free(x);
	free(y);
	return same;
}

static int count_items(const char *folder)
{
	ews_pager *p;
	ews_item_view it;
	int n = 0;
	ews_status st = ews_pager_new_items(c, &(ews_pager_options){ .folder = folder, .shape = "IdOnly", .no_anchor = 1 },
	                                    &p);
	while (ews_ok(st) && ews_ok(st = ews_pager_next(p, &it)) && it.id)
		n++;
	ews_pager_free(p);
	return ews_ok(st) ? n : -1;
}

/* ExportItems and UploadItems came with Exchange 2010 SP1: bindings from an older set have neither, ews-export-items
 * and ews-upload-items then say so and do nothing; their campaigns are skipped, saying so. */
#define HAVE_TRANSFER (EWS_TEST_DEFINED(EWS_HAVE_OP_EXPORT_ITEMS) && EWS_TEST_DEFINED(EWS_HAVE_OP_UPLOAD_ITEMS))
#define TRANSFER_OPS "operation ExportItems or UploadItems"

static void export_survives_kill_9_at_any_point(void)
{
	char bin[512], dir[300];
	if (!ews_test_needs(HAVE_TRANSFER, TRANSFER_OPS, "export survives kill -9"))
		return;
	const char *tmp = wf_tmpdir(1);
	tool(bin, sizeof bin, "export-items");
	for (int k = 0; k < cycles; k++) {
		snprintf(dir, sizeof dir, "%s/e%d", tmp, k);
		/* every other cycle a packed directory (one pack file, manifest version 3) */
		char *argv[] = { bin, "--folder", "inbox", "--dir", dir, "--batch", "2", k % 2 ? "--pack" : NULL, NULL };
		control("latency=15");
		for (int kills = 1 + rand() % 2; kills > 0; kills--)
			run_and_kill(argv, NULL, 20 * LATENCY_MS + 60);
		control("latency=0");
		CU_ASSERT_EQUAL(run_to_end(argv, NULL), 0);
		/* the manifest is ours, readable, one entry per inbox item, each file the item's data */
		ews_manifest *m = NULL;
		CU_ASSERT_EQUAL_FATAL(ews_manifest_open(dir, MAILBOX, NULL, &m).code, EWS_OK);
		CU_ASSERT_EQUAL(ews_manifest_count(m), nref);
		ews_manifest_close(m);
		CU_ASSERT(same_data(dir, ref));
		wf_rmdir(dir);
	}
	wf_rmdir(tmp);
}

/* The fingerprints of a folder's items (ews_item_fingerprint), sorted, and of a manifest's entries. */
static size_t folder_fingerprints(const char *folder, char (**out)[EWS_FINGERPRINT_LEN + 1])
{
	ews_pager *p;
	ews_item_view it;
	size_t n = 0;
	*out = NULL;
	ews_status st = ews_pager_new_items(c, &(ews_pager_options){ .folder = folder, .shape = "IdOnly", .no_anchor = 1,
	                                                            .properties = ews_fingerprint_fields }, &p);
	while (ews_ok(st) && ews_ok(st = ews_pager_next(p, &it)) && it.id) {
		*out = realloc(*out, (n + 1) * sizeof **out);
		ews_item_fingerprint(&it, (*out)[n++]);
	}
	ews_pager_free(p);
	qsort(*out, n, sizeof **out, (int (*)(const void *, const void *))strcmp);
	return n;
}

static size_t manifest_fingerprints(const char *dir, char (**out)[EWS_FINGERPRINT_LEN + 1])
{
	ews_manifest *m = NULL;
	size_t n = 0;
	*out = NULL;
	if (!ews_ok(ews_manifest_open(dir, NULL, NULL, &m)))
		return 0;
	*out = calloc(ews_manifest_count(m) + 1, sizeof **out);
	for (; n < ews_manifest_count(m); n++)
		snprintf((*out)[n], sizeof (*out)[n], "%s", ews_manifest_entry_at(m, n)->fingerprint);
	ews_manifest_close(m);
	qsort(*out, n, sizeof **out, (int (*)(const void *, const void *))strcmp);
	return n;
}

/* 1 when folder holds one item of each of dir's fingerprints, and nothing else. */
static int same_fingerprints(const char *folder, const char *dir)
{
	char (*x)[EWS_FINGERPRINT_LEN + 1], (*y)[EWS_FINGERPRINT_LEN + 1];
	size_t nx = folder_fingerprints(folder, &x), ny = manifest_fingerprints(dir, &y);
	int same = nx == ny && nx && !memcmp(x, y, nx * sizeof *x) && *y[0];
	free(x);
	free(y);
	return same;
}

static void upload_survives_kill_9_at_any_point_exactly_once(void)
{
	char bin[512], name[64], *folder = NULL, out[300];
	if (!ews_test_needs(HAVE_TRANSFER, TRANSFER_OPS, "upload survives kill -9"))
		return;
	const char *tmp = wf_tmpdir(1);
	tool(bin, sizeof bin, "upload-items");
	for (int k = 0; k < cycles; k++) {
		snprintf(name, sizeof name, "Crash%d", k);
		CU_ASSERT_EQUAL_FATAL(wf_create_folder(c, "msgfolderroot", name, &folder).code, EWS_OK);
		/* --settle 1: a batch the kill interrupted is created within the injected latency, not 30 s later */
		char *argv[] = { bin, "--dir", ref, "--folder", folder, "--batch", "2", "--json", "--settle", "1", NULL };
		/* every run's lines in one log: items found again are printed "recovered":true (flushed per item) */
		snprintf(out, sizeof out, "%s/runs.json", tmp);
		unlink(out);
		/* every other cycle the copies export differently from their files, as Exchange's do: the items of a
		 * batch a kill interrupted are found by the fingerprints the reference's manifest records */
		int stamped = k % 2;
		control(stamped ? "latency=15&upload_stamp=1" : "latency=15");
		for (int kills = 1 + rand() % 3; kills > 0; kills--) {
			/* now and then the connection fails too: an answer cut anywhere (its status line, its head, its
			 * body) or a request dropped unanswered, the server having carried it out or not */
			char fault[64];
			int f = rand() % 4;
			if (f == 1)
				snprintf(fault, sizeof fault, "truncate=1&truncate_at=%d", 1 + rand() % 400);
			else if (f == 2)
				snprintf(fault, sizeof fault, "drop=1");
			if (f == 1 || f == 2)
				control(fault);
			run_and_kill(argv, out, 20 * LATENCY_MS + 60);
		}
		control(stamped ? "reset=1&upload_stamp=1" : "reset=1");
		CU_ASSERT_EQUAL(run_to_end(argv, out), 0);
		control("upload_stamp=0");
		char *log = ews_test_read_file(out, NULL);
		for (const char *p = log; p && (p = strstr(p, "\"recovered\":true")); p++)
			recovered++;
		free(log);
		/* on the server: as many items as files, and the same data (each once); stamped copies: the same
		 * fingerprints (each once) */
		CU_ASSERT_EQUAL(count_items(folder), (int)nref);
		snprintf(out, sizeof out, "%s/check%d", tmp, k);
		ews_transfer_summary s;
		if (stamped) {
			CU_ASSERT(same_fingerprints(folder, ref));
		} else {
			CU_ASSERT_EQUAL(ews_export_to_dir(c, out, &(ews_export_dir_options){ .folder = folder }, &s).code,
			                EWS_OK);
			CU_ASSERT(same_data(out, ref));
			wf_rmdir(out);
		}
		/* the journal is readable and complete: one more run sends nothing */
		snprintf(out, sizeof out, "%s/again.json", tmp);
		unlink(out);
		CU_ASSERT_EQUAL(run_to_end(argv, out), 0);
		char *json = ews_test_read_file(out, NULL);
		CU_ASSERT_PTR_NOT_NULL(json ? strstr(json, "\"attempted\":0,\"uploaded\":0") : NULL);
		free(json);
		free(folder);
		folder = NULL;
	}
	wf_rmdir(tmp);
}

/* Items created between runs are each printed by some run (the state is saved only after what it covers was
 * printed); after the campaign the state is readable and a further run reports nothing new. */
static void sync_survives_kill_9_and_loses_no_change(void)
{
	char bin[512], state[300], out[300], **ids = NULL;
	const char *tmp = wf_tmpdir(1);
	tool(bin, sizeof bin, "sync-folder-items");
	snprintf(state, sizeof state, "%s/inbox.sync", tmp);
	snprintf(out, sizeof out, "%s/sync.json", tmp);
	char *argv[] = { bin, "--state", state, "--max-changes", "3", "--json", NULL };
	CU_ASSERT_EQUAL(run_to_end(argv, NULL), 0);
	for (int k = 0; k < cycles; k++) {
		CU_ASSERT_EQUAL_FATAL(wf_create_messages(c, "inbox", "Sync", 100 * k, 4, 600, &ids).code, EWS_OK);
		unlink(out);
		control("latency=15");
		run_and_kill(argv, out, 3 * LATENCY_MS + 30);
		control("latency=0");
		CU_ASSERT_EQUAL(run_to_end(argv, out), 0);
		char *json = ews_test_read_file(out, NULL);
		for (int i = 0; i < 4; i++)
			CU_ASSERT_PTR_NOT_NULL(json ? strstr(json, ids[i]) : NULL);
		free(json);
		wf_free_ids(ids, 4);
		char *saved = NULL;
		CU_ASSERT_EQUAL(ews_sync_state_read(state, &saved).code, EWS_OK);
		free(saved);
	}
	unlink(out);
	CU_ASSERT_EQUAL(run_to_end(argv, out), 0);
	char *json = ews_test_read_file(out, NULL);
	CU_ASSERT_PTR_NOT_NULL(json ? strstr(json, "\"creates\":0") : NULL);
	free(json);
	wf_rmdir(tmp);
}

int main(void)
{
	const char *n = getenv("EWS_CRASH_CYCLES"), *seed = getenv("EWS_CRASH_SEED");
	unsigned s = seed ? (unsigned)strtoul(seed, NULL, 10) : (unsigned)time(NULL) ^ (unsigned)getpid();
	if (n && atoi(n) > 0)
		cycles = atoi(n) > 1000 ? 1000 : atoi(n);
	srand(s);
	fprintf(stderr, "crash campaign: %d cycles per tool, EWS_CRASH_SEED=%u\n", cycles, s);
	if (wf_start(&srv, MAILBOX, 60)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	c = wf_client(&srv, MAILBOX);
	setenv("EWS_URL", srv.url, 1);
	setenv("EWS_USER", MAILBOX, 1);
	setenv("EWS_PASSWORD", "x", 1);
	unsetenv("EWS_IMPERSONATE");
	char top[256];
	snprintf(top, sizeof top, "%s", wf_tmpdir(0));
	snprintf(ref, sizeof ref, "%s/reference", top);
	ews_transfer_summary sum = { 0 };
	if (!c || (HAVE_TRANSFER &&
	           (!ews_ok(ews_export_to_dir(c, ref, &(ews_export_dir_options){ .mailbox = MAILBOX, .folder = "inbox" },
	                                      &sum)) || sum.done < 10))) {
		fprintf(stderr, "cannot export the reference copy of the inbox\n");
		ewsd_stop(&srv, 0);
		return 1;
	}
	nref = (size_t)sum.done;
	static const struct ews_test_case cases[] = {
		{ "export survives kill -9 at any point: every item once, files intact", export_survives_kill_9_at_any_point },
		{ "upload survives kill -9 at any point: every item created exactly once",
		  upload_survives_kill_9_at_any_point_exactly_once },
		{ "sync survives kill -9 and loses no change", sync_survives_kill_9_and_loses_no_change },
		{ NULL, NULL }
	};
	int rc = ews_test_run("crash", cases);
	fprintf(stderr, "crash campaign: %zu items, %d kills landed mid-run, %d came after the end, %d uploaded items "
	        "whose answer a kill had lost were found on the server\n", nref, landed, missed, recovered);
	wf_rmdir(top);
	ews_client_free(c);
	ewsd_stop(&srv, 0);
	return rc;
}
