/* <DESC> ews-export-items: ExportItems a folder (or given ids) into a directory, one file per item plus a
 * manifest; resumable, per-item errors reported without stopping the batch </DESC>
 *
 *   ews-export-items --dir DIR [--folder FOLDER] [--batch N] [--json] [ID...]
 *
 * DIR/manifest.tsv lists what is done: FILE, ITEM ID, CHANGE KEY, BYTES (tab-separated). Each item file is
 * written atomically before its manifest line, and the manifest is flushed after every batch, so after Ctrl-C
 * (the batch in flight finishes first) or a crash, running the same command again skips what is done.
 * ews-upload-items puts such a directory back into a mailbox. The work is ews/pager.h (listing the folder) and
 * ews/export.h (ExportItems to files); this program adds the manifest, resuming and Ctrl-C.
 * Build alone: cc export-items.c $(pkg-config --cflags --libs libews)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "soapH.h"
#include "ews/ews.h"
#include "ews/cli.h"
#include "ews/export.h"
#include "ews/pager.h"

static void usage(FILE *f)
{
	fputs("usage: ews-export-items --dir DIR [--folder FOLDER] [--batch N] [ID...]\n"
	      "Export items (ExportItems) into DIR: one .ews file per item and DIR/manifest.tsv.\n"
	      "Run it again after an interruption: finished items are skipped.\n\n"
	      "  --dir DIR          target directory (created if missing)\n"
	      "  --folder FOLDER    export every item of this folder: distinguished name, display-name path or id\n"
	      "                     (default inbox, unless ids are given)\n"
	      "  --batch N          items per ExportItems call, 1..1000 (default 50)\n"
	      "  ID...              export these items instead of a folder\n\n"
	      "example: ews-export-items --folder inbox --dir backup/inbox && ews-upload-items --dir backup/inbox "
	      "--folder inbox\n\n", f);
	fputs(EWS_CLI_COMMON_HELP, f);
}

struct list {
	char **v;
	size_t n, cap;
};

static int list_add(struct list *l, const char *s)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		char **v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	return (l->v[l->n] = strdup(s)) ? (int)(l->n++, 0) : -1;
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Ids already in the manifest (its second column), sorted for bsearch. */
static int load_done(const char *manifest, struct list *done)
{
	char line[8192];
	FILE *f = fopen(manifest, "r");
	if (!f)
		return errno == ENOENT ? 0 : -1;
	while (fgets(line, sizeof line, f)) {
		char *id = strchr(line, '\t'), *end;
		if (line[0] == '#' || !id || !(end = strchr(++id, '\t')))
			continue;
		*end = '\0';
		if (list_add(done, id))
			break;
	}
	fclose(f);
	qsort(done->v, done->n, sizeof *done->v, cmp);
	return 0;
}

/* A file name that is a pure function of the id (FNV-1a 64), so a re-run writes the same file. */
static void file_name(const char *id, char out[32])
{
	unsigned long long h = 1469598103934665603ULL;
	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 1099511628211ULL;
	snprintf(out, 32, "%016llx.ews", h);
}

/* Every item id of a folder (FindItem, IdOnly). */
static ews_status list_folder(ews_client *c, const char *folder, struct list *ids)
{
	ews_pager *p;
	ews_item_view it;
	ews_status st = ews_pager_new_items(c, &(ews_pager_options){ .folder = folder, .page_size = 500,
								     .shape = "IdOnly", .no_anchor = 1 }, &p);
	while (ews_ok(st) && ews_ok(st = ews_pager_next(p, &it)) && it.id)
		if (list_add(ids, it.id))
			st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
	ews_pager_free(p);
	return st;
}

int main(int argc, char **argv)
{
	const char *folder = "inbox", *dir = NULL;
	int batch = 50, rc, failed = 0, done_now = 0;
	struct list ids = { 0 }, done = { 0 };
	char manifest[4096];
	long n_arg;
	ews_cli cli;
	ews_client *c;
	ews_status st = ews_cli_init(&cli, "ews-export-items");

	if (!ews_ok(st))
		return ews_cli_error(&cli, "environment", st);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int r = ews_cli_flag(&cli, argc, argv, &i);
		if (r != EWS_CLI_NOT_MINE) {
			if (r == EWS_CLI_TAKEN)
				continue;
			return r == EWS_CLI_DONE ? EWS_EXIT_OK : EWS_EXIT_USAGE;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return EWS_EXIT_OK;
		} else if (!strcmp(a, "--dir")) {
			if (!(dir = ews_cli_value(&cli, argc, argv, &i)))
				return EWS_EXIT_USAGE;
		} else if (!strcmp(a, "--folder")) {
			if (!(folder = ews_cli_value(&cli, argc, argv, &i)))
				return EWS_EXIT_USAGE;
		} else if (!strcmp(a, "--batch")) {
			if (ews_cli_int(&cli, a, v, 1, 1000, &n_arg))
				return EWS_EXIT_USAGE;
			batch = (int)n_arg;
			i++;
		} else if (a[0] == '-') {
			return ews_cli_usage_error(&cli, "unknown option %s", a);
		} else if (list_add(&ids, a)) {
			return ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
		}
	}
	if (!dir || snprintf(manifest, sizeof manifest, "%s/manifest.tsv", dir) >= (int)sizeof manifest)
		return ews_cli_usage_error(&cli, "--dir DIR is required");
	if ((mkdir(dir, 0700) && errno != EEXIST) || load_done(manifest, &done))
		return ews_cli_file_error(&cli, dir, ews_status_make(EWS_ERR_IO, "%s", strerror(errno)));
	if ((rc = ews_cli_connect(&cli, &c)))
		return rc;
	if (!ids.n && (rc = ews_cli_resolve_folder(&cli, c, folder, &folder))) {
		ews_client_free(c);
		return rc;
	}
	if (!ids.n && !ews_ok(st = list_folder(c, folder, &ids))) {
		ews_client_free(c);
		return ews_cli_error(&cli, folder, st);
	}
	/* What is left to do: ids not yet in the manifest. */
	size_t todo = 0, skipped = 0;
	for (size_t k = 0; k < ids.n; k++) {
		if (done.n && bsearch(&ids.v[k], done.v, done.n, sizeof *done.v, cmp)) {
			free(ids.v[k]);
			skipped++;
		} else {
			ids.v[todo++] = ids.v[k];
		}
	}
	FILE *mf = fopen(manifest, "a");
	if (!mf) {
		ews_client_free(c);
		return ews_cli_file_error(&cli, manifest, ews_status_make(EWS_ERR_IO, "%s", strerror(errno)));
	}
	if (ftell(mf) == 0)
		fprintf(mf, "# ews-export-items manifest v1: file, item id, change key, bytes\n");
	volatile int *stop = ews_cli_catch_interrupts();

	ews_item_ref *refs = calloc((size_t)batch, sizeof *refs);
	char **paths = calloc((size_t)batch, sizeof *paths);
	int oom = !refs || !paths;
	for (int k = 0; paths && k < batch; k++)
		oom |= !(paths[k] = malloc(strlen(dir) + 32));
	if (oom)
		rc = ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
	for (size_t first = 0; !rc && first < todo && !*stop; first += (size_t)batch) {
		int n = (int)(todo - first < (size_t)batch ? todo - first : (size_t)batch);
		ews_transfer_result *res = NULL;
		char name[32];
		int whole = 0;          /* items not attempted: the request failed as a whole */
		for (int k = 0; k < n; k++) {
			refs[k].id = ids.v[first + (size_t)k];
			file_name(refs[k].id, name);
			sprintf(paths[k], "%s/%s", dir, name);
		}
		/* one ExportItems call; each item's file is written atomically, each item has its own result */
		st = ews_export_items_to_files(c, refs, (const char *const *)paths, (size_t)n,
					       &(ews_transfer_options){ .batch_size = n, .durable = 1 }, &res);
		for (int k = 0; res && k < n; k++) {
			if (res[k].status.code == EWS_ERR_CANCELLED) {
				whole = 1;              /* not attempted: the request failed as a whole (below) */
				continue;
			}
			if (!ews_ok(res[k].status)) {
				ews_cli_error(&cli, refs[k].id, res[k].status);
				failed++;
				continue;
			}
			file_name(refs[k].id, name);
			fprintf(mf, "%s\t%s\t%s\t%lld\n", name, refs[k].id, res[k].change_key ? res[k].change_key : "",
				res[k].bytes);
			done_now++;
			if (cli.json) {
				printf("{\"type\":\"exported\",\"ok\":true,\"file\":\"%s\",\"bytes\":%lld,\"id\":", name,
				       res[k].bytes);
				ews_cli_json_string(stdout, refs[k].id);
				printf("}\n");
			}
		}
		ews_transfer_results_free(res, (size_t)n);
		/* the whole call failed (IO alone may be one item's file): stop; a re-run resumes */
		if (!ews_ok(st) && (whole || !res || (st.code != EWS_ERR_RESPONSE && st.code != EWS_ERR_IO)))
			rc = ews_cli_error(&cli, NULL, st);
		if (fflush(mf) || fsync(fileno(mf)))
			rc = ews_cli_file_error(&cli, manifest, ews_status_make(EWS_ERR_IO, "%s", strerror(errno)));
		ews_cli_progress(&cli, (long)(first + (size_t)n), (long)todo, "exporting");
	}
	for (int k = 0; paths && k < batch; k++)
		free(paths[k]);
	free(paths);
	free(refs);
	ews_cli_progress(&cli, -1, 0, NULL);
	if (fclose(mf) && !rc)
		rc = ews_cli_file_error(&cli, manifest, ews_status_make(EWS_ERR_IO, "%s", strerror(errno)));
	if (!rc && *stop)
		fprintf(stderr, "ews-export-items: interrupted; what is done is in %s: run the same command again to "
				"continue\n", manifest);
	if (cli.json)
		printf("{\"type\":\"summary\",\"ok\":%s,\"exported\":%d,\"skipped\":%zu,\"failed\":%d,\"interrupted\":%s}\n",
		       rc || failed || *stop ? "false" : "true", done_now, skipped, failed, *stop ? "true" : "false");
	else
		printf("%d exported, %zu already done, %d failed -> %s\n", done_now, skipped, failed, dir);
	for (size_t k = 0; k < todo; k++)
		free(ids.v[k]);
	for (size_t k = 0; k < done.n; k++)
		free(done.v[k]);
	free(ids.v);
	free(done.v);
	ews_client_free(c);
	return rc ? rc : failed || *stop ? EWS_EXIT_PARTIAL : EWS_EXIT_OK;
}
