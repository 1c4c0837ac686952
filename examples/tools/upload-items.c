/* <DESC> ews-upload-items: UploadItems a directory written by ews-export-items back into a folder, exactly once
 * across reruns </DESC>
 *
 *   ews-upload-items --dir DIR --folder FOLDER [--create-new | --update | --update-or-create] [--batch N]
 *                    [--journal FILE] [--again] [--json]
 *
 * Reads DIR/manifest.tsv and sends each listed file's bytes as the item Data. CreateNew makes new items (new
 * ids); Update overwrites the item with the id recorded in the manifest; UpdateOrCreate does whichever applies.
 * A journal (DIR/upload-HASH.journal) records each item's new id durably before it is printed, so a run that
 * was interrupted in any way (Ctrl-C, SIGTERM, kill -9, a lost connection) and is run again uploads only the
 * rest, and looks up items whose answer was lost instead of sending them twice (ews_upload_dir, ews/export.h).
 * Ctrl-C/SIGTERM stop after the batch in flight, with the summary.
 * Build alone: cc upload-items.c $(pkg-config --cflags --libs libews)
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
	fputs("usage: ews-upload-items --dir DIR --folder FOLDER [options]\n"
	      "Upload the items of an ews-export-items directory into a folder (UploadItems).\n"
	      "Ctrl-C stops after the batch in flight and prints the summary (exit 1, interrupted); running the\n"
	      "same command again uploads the rest: every item goes in exactly once (see the journal).\n\n"
	      "  --dir DIR             directory with manifest.tsv and the item files\n"
	      "  --folder FOLDER       target folder: distinguished name, display-name path or folder id\n"
	      "  --create-new          new items (default)\n"
	      "  --update              overwrite the items whose ids the manifest records\n"
	      "  --update-or-create    update when the item still exists, else create\n"
	      "  --batch N             items per UploadItems call, 1..500 (default 20)\n"
	      "  --journal FILE        where to record what went in (default DIR/upload-HASH.journal, HASH naming\n"
	      "                        the target mailbox, folder and action)\n"
	      "  --again               start a new journal: upload another copy on purpose\n"
	      "  --settle SECONDS      after a kill, how long the server may still be creating the batch that was\n"
	      "                        in flight: items not found are looked for until found or that long\n"
	      "                        (default 30); they are found by the fingerprints the export recorded\n"
	      "                        (ItemClass, Subject, sent and received times, InternetMessageId), else\n"
	      "                        by their data\n\n"
	      "example: ews-upload-items --dir backup/inbox --folder inbox --update-or-create\n\n", f);
	fputs(EWS_CLI_ARCHIVE_HELP, f);
	fputs(EWS_CLI_COMMON_HELP, f);
}

struct out {
	ews_cli *cli;
};

/* One line per item once its journal line is durable. */
static void on_item(void *arg, const ews_item_event *ev)
{
	struct out *o = arg;
	if (ev->kind == EWS_ITEM_FAILED) {
		ews_cli_item_error(o->cli, ev->file, ev->status);
	} else if (o->cli->json) {
		printf("{\"type\":\"uploaded\",\"ok\":true,%s\"file\":",
		       ev->kind == EWS_ITEM_RECOVERED ? "\"recovered\":true," : "");
		ews_cli_json_string(stdout, ev->file);   /* the manifest's name: any text */
		printf(",\"id\":");
		ews_cli_json_string(stdout, ev->id);
		printf("}\n");
	} else {
		printf("%s -> %s%s\n", ev->file, ev->id ? ev->id : "(no id returned)",
		       ev->kind == EWS_ITEM_RECOVERED ? " (found on the server: it went in before the interruption)" : "");
	}
	fflush(stdout);
}

static int progress(void *arg, long done, long total)
{
	struct out *o = arg;
	ews_cli_progress(o->cli, done, total, "uploading");
	return 0;
}

int main(int argc, char **argv)
{
	int action = EWS_UPLOAD_CREATE_NEW;      /* an ews_upload_action */
	const char *dir = NULL, *folder = NULL, *journal = NULL;
	int rc, again = 0, nargs;
	long batch = 20, settle = -1;           /* --settle SECONDS; -1 not given */
	char path[4200];
	ews_cli cli;
	ews_client *c;
	ews_status st = ews_cli_init(&cli, "ews-upload-items");

	if (!ews_ok(st))
		return ews_cli_error(&cli, "environment", st);
	const ews_cli_opt opts[] = { { "--dir", .value = &dir }, EWS_CLI_ARCHIVE_OPT(cli),
				     { "--folder", .value = &folder }, { "--journal", .value = &journal },
				     { "--again", .on = &again, .set = 1 },
				     { "--create-new", .on = &action, .set = EWS_UPLOAD_CREATE_NEW },
				     { "--update", .on = &action, .set = EWS_UPLOAD_UPDATE },
				     { "--update-or-create", .on = &action, .set = EWS_UPLOAD_UPDATE_OR_CREATE },
				     { "--batch", .number = &batch, .lo = 1, .hi = 500 },
				     { "--settle", .number = &settle, .lo = 0, .hi = 3600 }, { NULL } };
	if ((rc = ews_cli_parse(&cli, argc, argv, opts, usage, &nargs)) >= 0 ||
	    (rc = ews_cli_no_operands(&cli, nargs, argv)) >= 0)
		return rc;
	/* the library's settle_ms: 0 its default, -1 none */
	long settle_ms = settle < 0 ? 0 : settle ? settle * 1000 : -1;
	if (!dir || !folder)
		return ews_cli_usage_error(&cli, "--dir DIR and --folder FOLDER are required");
	if (snprintf(path, sizeof path, "%s/manifest.tsv", dir) >= (int)sizeof path)
		return ews_cli_usage_error(&cli, "--dir: path too long");
	if ((rc = ews_cli_require_ops(&cli, (const char *const[]){ "UploadItems", NULL })))
		return rc;
	/* checked before connecting: a wrong --dir is told at once */
	ews_manifest *m;
	if (!ews_ok(st = ews_manifest_open(dir, NULL, NULL, &m)))
		return ews_cli_file_error(&cli, path, st);
	int have = ews_manifest_version(m) != 0;
	ews_manifest_close(m);
	if (!have)
		return ews_cli_file_error(&cli, path, ews_status_make(EWS_ERR_NOT_FOUND, "no manifest (is this an "
									       "ews-export-items directory?)"));
	if ((rc = ews_cli_connect(&cli, &c)) || (rc = ews_cli_resolve_folder(&cli, c, folder, &folder))) {
		ews_client_free(c);
		return rc;
	}
	struct out o = { &cli };
	ews_transfer_summary s;
	const char *mailbox = cli.opt.impersonate ? cli.opt.impersonate : cli.opt.user ? cli.opt.user : "";
	st = ews_upload_dir(c, dir, &(ews_upload_dir_options){
		.folder = folder, .mailbox = mailbox, .action = (ews_upload_action)action, .journal = journal,
		.again = again, .batch_size = (int)batch, .settle_ms = settle_ms, .stop = ews_cli_catch_interrupts(),
		.on_item = on_item, .progress = progress, .arg = &o }, &s);
	ews_cli_progress(&cli, -1, 0, NULL);
	ews_cli_item_errors_end(&cli);
	if (!ews_ok(st) && !(s.failed && (st.code == EWS_ERR_RESPONSE || st.code == EWS_ERR_NOT_FOUND ||
	                                   st.code == EWS_ERR_FILE || st.code == EWS_ERR_TOO_LARGE ||
	                                   st.code == EWS_ERR_FORMAT) && !s.not_attempted))
		rc = st.code == EWS_ERR_FORMAT || (st.code == EWS_ERR_FILE && !s.attempted)
		     ? ews_cli_file_error(&cli, dir, st)
		     : ews_cli_error(&cli, s.failed && !s.done ? "stopped: no item of the first batch went in" : "stopped", st);
	if (st.code == EWS_ERR_OUTCOME_UNKNOWN) /* (the library's "check the mailbox" is this tool's job) */
		fprintf(stderr, "ews-upload-items: the same command run again looks for that batch's items on the "
				"server first and sends only those it does not find\n");
	if (s.interrupted && !rc)
		fprintf(stderr, "ews-upload-items: interrupted; %ld of %ld items not attempted: run the same command "
				"again to continue\n", s.not_attempted, s.total);
	if (cli.json)
		ews_cli_json_summary(stdout, !rc && !s.failed && !s.unknown && !s.not_attempted, (const ews_cli_field[]){
			EWS_CLI_COUNT("total", s.total), EWS_CLI_COUNT("attempted", s.attempted),
			EWS_CLI_COUNT("uploaded", s.done), EWS_CLI_COUNT("recovered", s.recovered),
			EWS_CLI_COUNT("skipped", s.skipped), EWS_CLI_COUNT("failed", s.failed),
			EWS_CLI_COUNT("unknown", s.unknown), EWS_CLI_COUNT("not_attempted", s.not_attempted),
			EWS_CLI_FLAG("interrupted", s.interrupted), { 0 } });
	else
		printf("%ld uploaded, %ld found already uploaded, %ld done before, %ld failed, %ld sent with their answer "
		       "lost, %ld not attempted%s\n", s.done, s.recovered, s.skipped, s.failed, s.unknown,
		       s.not_attempted, s.interrupted ? ", interrupted" : "");
	ews_client_free(c);
	return rc ? rc : s.failed || s.unknown || s.not_attempted ? EWS_EXIT_PARTIAL : EWS_EXIT_OK;
}
