/* <DESC> ews-export-items: ExportItems a folder (or given ids) into a directory, one file per item plus a
 * manifest; resumable, changed items exported again, deleted ones flagged, per-item errors reported </DESC>
 *
 *   ews-export-items --dir DIR [--folder FOLDER] [--batch N] [--batch-kib N] [--prune-deleted] [--pack] [--json]
 *                    [ID...]
 *
 * DIR/manifest.tsv (format version 2, or 3 with --pack; see ews/export.h) names the mailbox and folder and lists each exported item
 * (file, id, change key, bytes, state). Running the same command again skips items whose change key is the same,
 * exports changed ones again and marks items gone from the server "deleted" (their files are kept unless
 * --prune-deleted). --pack: a new directory keeps the items' data in one pack file (manifest version 3) instead of
 * a file each. A directory holding another folder's or mailbox's export is refused. Files are made durable
 * before their manifest lines, once per batch; Ctrl-C/SIGTERM stop after the batch in flight. All of this is
 * ews_export_to_dir (ews/export.h); this program parses flags and prints.
 * Build alone: cc export-items.c $(pkg-config --cflags --libs libews)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews/ews.h"
#include "ews/cli.h"
#include "ews/export.h"

static void usage(FILE *f)
{
	fputs("usage: ews-export-items --dir DIR [--folder FOLDER] [--batch N] [--batch-kib N] [--prune-deleted]\n"
	      "                        [--pack] [--one-connection] [ID...]\n"
	      "Export items (ExportItems) into DIR: one .ews file per item and DIR/manifest.tsv.\n"
	      "Run it again after an interruption or later: unchanged items are skipped, changed ones exported\n"
	      "again, items deleted on the server marked \"deleted\" in the manifest (files kept).\n\n"
	      "  --dir DIR          target directory (created once the server has answered)\n"
	      "  --folder FOLDER    export every item of this folder: distinguished name, display-name path or id\n"
	      "                     (default inbox, unless ids are given)\n"
	      "  --batch N          items per ExportItems call at most, 1..1000 (default 256)\n"
	      "  --batch-kib N      a folder's batch ends before its items' sizes (as the listing says them) pass\n"
	      "                     N KiB, so that a batch of large items takes no more memory than one of small\n"
	      "                     ones (default 2048; 0: --batch items a batch, whatever their size; ids given\n"
	      "                     have no size: --batch of them a batch)\n"
	      "  --prune-deleted    remove the files of items deleted on the server (default: keep, flag)\n"
	      "  --pack             a new DIR holds the items in one pack file (DIR/items-N.pack, manifest version 3)\n"
	      "                     instead of a file each: ~20 us less kernel CPU per item; ews-upload-items and\n"
	      "                     ews_manifest_read_item read it; an existing DIR keeps its layout\n"
	      "  --one-connection   fetch each batch after the last is written (default: the next two are fetched,\n"
	      "                     on two connections, while one is written)\n"
	      "  ID...              export these items instead of a folder\n\n"
	      "example: ews-export-items --folder inbox --dir backup/inbox && ews-upload-items --dir backup/inbox "
	      "--folder inbox\n\n", f);
	fputs(EWS_CLI_ARCHIVE_HELP, f);
	fputs(EWS_CLI_COMMON_HELP, f);
}

struct out {
	ews_cli *cli;
};

/* One line per item, as it happens (its manifest line is durable by then). */
static void on_item(void *arg, const ews_item_event *ev)
{
	struct out *o = arg;
	if (ev->kind == EWS_ITEM_FAILED) {
		ews_cli_item_error(o->cli, ev->id, ev->status);
		return;
	}
	if (!o->cli->json)
		return;
	printf("{\"type\":\"%s\",\"ok\":true,\"file\":\"%s\",\"bytes\":%lld,%s\"id\":",
	       ev->kind == EWS_ITEM_DELETED ? "deleted" : "exported", ev->file, ev->bytes,
	       ev->changed ? "\"changed\":true," : "");
	ews_cli_json_string(stdout, ev->id);
	printf("}\n");
}

static int progress(void *arg, long done, long total)
{
	struct out *o = arg;
	ews_cli_progress(o->cli, done, total, "exporting");
	return 0;
}

int main(int argc, char **argv)
{
	const char *folder = NULL, *dir = NULL;
	int rc, prune = 0, one = 0, pack = 0, nids;
	long batch = 256, batch_kib = 2048;
	ews_cli cli;
	ews_client *c, *ahead = NULL;
	ews_status st = ews_cli_init(&cli, "ews-export-items");

	if (!ews_ok(st))
		return ews_cli_error(&cli, "environment", st);
	const ews_cli_opt opts[] = { { "--dir", .value = &dir }, EWS_CLI_ARCHIVE_OPT(cli),
				     { "--folder", .value = &folder }, { "--batch", .number = &batch, .lo = 1, .hi = 1000 },
				     { "--batch-kib", .number = &batch_kib, .lo = 0, .hi = 1024 * 1024 },
				     { "--prune-deleted", .on = &prune, .set = 1 }, { "--one-connection", .on = &one, .set = 1 },
				     { "--pack", .on = &pack, .set = 1 }, { NULL } };
	if ((rc = ews_cli_parse(&cli, argc, argv, opts, usage, &nids)) >= 0)    /* ids collected in place */
		return rc;
	if (!dir || strlen(dir) > 4000)
		return ews_cli_usage_error(&cli, "--dir DIR is required");
	if ((rc = ews_cli_require_ops(&cli, (const char *const[]){ "ExportItems", NULL })) ||
	    (rc = ews_cli_connect(&cli, &c)))
		return rc;
	if (!nids && (rc = ews_cli_resolve_folder(&cli, c, folder ? folder : "inbox", &folder))) {
		ews_client_free(c);
		return rc;
	}
	if (!one && (rc = ews_cli_connect_another(&cli, &ahead))) {
		ews_client_free(c);
		return rc;
	}
	struct out o = { &cli };
	ews_transfer_summary s;
	/* the mailbox the manifest names: the one acted as */
	const char *mailbox = cli.opt.impersonate ? cli.opt.impersonate : cli.opt.user ? cli.opt.user : "";
	st = ews_export_to_dir(c, dir, &(ews_export_dir_options){
		.mailbox = mailbox, .folder = folder, .ids = (const char *const *)argv, .n_ids = (size_t)nids,
		.batch_size = (int)batch, .batch_bytes = (size_t)batch_kib * 1024, .deleted = prune ? EWS_EXPORT_DELETED_PRUNE : EWS_EXPORT_DELETED_KEEP,
		.stop = ews_cli_catch_interrupts(), .on_item = on_item, .progress = progress, .arg = &o,
		.fetch_client = ahead, .pack = pack }, &s);
	ews_cli_progress(&cli, -1, 0, NULL);
	ews_cli_item_errors_end(&cli);
	/* per-item failures were printed as they came; what stopped the run is printed once */
	if (!ews_ok(st) && !(s.failed && (st.code == EWS_ERR_RESPONSE || st.code == EWS_ERR_XML) && !s.not_attempted))
		rc = st.code == EWS_ERR_FORMAT || st.code == EWS_ERR_FILE ? ews_cli_file_error(&cli, dir, st)
		                                                        : ews_cli_error(&cli, folder ? folder : NULL, st);
	if (s.interrupted && !rc)
		fprintf(stderr, "ews-export-items: interrupted; %ld items not attempted: run the same command again to "
				"continue\n", s.not_attempted);
	if (cli.json)
		ews_cli_json_summary(stdout, !rc && !s.failed && !s.not_attempted, (const ews_cli_field[]){
			EWS_CLI_COUNT("total", s.total), EWS_CLI_COUNT("attempted", s.attempted),
			EWS_CLI_COUNT("exported", s.done), EWS_CLI_COUNT("skipped", s.skipped),
			EWS_CLI_COUNT("changed", s.changed), EWS_CLI_COUNT("failed", s.failed),
			EWS_CLI_COUNT("not_attempted", s.not_attempted), EWS_CLI_COUNT("deleted", s.deleted),
			EWS_CLI_FLAG("interrupted", s.interrupted), { 0 } });
	else
		printf("%ld exported (%ld changed), %ld already done, %ld failed, %ld not attempted, %ld deleted on the "
		       "server%s -> %s\n", s.done, s.changed, s.skipped, s.failed, s.not_attempted, s.deleted,
		       s.interrupted ? ", interrupted" : "", dir);
	ews_client_free(c);
	ews_client_free(ahead);
	ews_cli_release_memory();
	return rc ? rc : s.failed || s.not_attempted ? EWS_EXIT_PARTIAL : EWS_EXIT_OK;
}
