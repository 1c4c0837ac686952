/* <DESC> ews-sync-folder-items: incremental SyncFolderItems with the SyncState kept in a file </DESC>
 *
 *   ews-sync-folder-items --state FILE [--folder FOLDER] [--max-changes N] [--reset] [--json]
 *
 * The first run lists every item as a create; later runs print only what changed since: creates, updates,
 * deletes and read-flag changes. ews/sync.h does the calls; the state file is replaced atomically after every
 * batch of changes printed, so an interrupted run (Ctrl-C, crash) resumes from the last batch it finished.
 * Build alone: cc sync-folder-items.c $(pkg-config --cflags --libs libews)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews/ews.h"
#include "ews/cli.h"
#include "ews/sync.h"

static void usage(FILE *f)
{
	fputs("usage: ews-sync-folder-items --state FILE [options]\n"
	      "Print the changes to a folder's items since the last run (SyncFolderItems).\n\n"
	      "  --state FILE       where the SyncState is kept (created on the first run)\n"
	      "  --folder FOLDER    folder to sync: distinguished name, display-name path or id (default inbox)\n"
	      "  --max-changes N    changes per call, 1..512 (default 512)\n"
	      "  --reset            ignore the saved state: start over with a full listing\n\n"
	      "example: ews-sync-folder-items --folder inbox --state ~/.cache/inbox.sync\n\n", f);
	fputs(EWS_CLI_ARCHIVE_HELP, f);
	fputs(EWS_CLI_COMMON_HELP, f);
}

static void print_change(const ews_cli *cli, const ews_sync_change *ch)
{
	static const char *const kinds[] = { "done", "create", "update", "delete", "read" };
	const ews_item_view *it = &ch->item;
	if (cli->json) {
		printf("{\"type\":\"change\",\"ok\":true,\"change\":\"%s\",\"id\":", kinds[ch->kind]);
		ews_cli_json_string(stdout, it->id);
		if (ch->kind == EWS_SYNC_CREATE || ch->kind == EWS_SYNC_UPDATE) {
			printf(",\"element\":");   /* "Message" ...; also item types libews has no kind for */
			ews_cli_json_string(stdout, it->element);
			printf(",\"class\":");
			ews_cli_json_string(stdout, it->item_class);
			printf(",\"subject\":");
			ews_cli_json_string(stdout, it->subject);
		}
		if (ch->kind == EWS_SYNC_READ_FLAG)
			printf(",\"is_read\":%s", ch->is_read ? "true" : "false");
		printf("}\n");
	} else if (ch->kind == EWS_SYNC_CREATE || ch->kind == EWS_SYNC_UPDATE) {
		/* An item type the bindings or views do not know (t:SharingMessage ...) still comes, named. */
		printf("%-6s  %-16s %s%s%s%s\n", kinds[ch->kind], it->item_class ? it->item_class : "",
		       it->subject ? it->subject : "", it->kind == EWS_ITEM_OTHER ? "  [" : "",
		       it->kind == EWS_ITEM_OTHER ? it->element : "", it->kind == EWS_ITEM_OTHER ? "]" : "");
	} else {
		printf("%-6s  %s%s\n", kinds[ch->kind], it->id ? it->id : "?",
		       ch->kind == EWS_SYNC_READ_FLAG ? (ch->is_read ? "  read" : "  unread") : "");
	}
}

int main(int argc, char **argv)
{
	const char *folder = "inbox", *state_file = NULL;
	int reset = 0, rc, count[5] = { 0 }, calls = 0, nargs;
	long max_changes = 512;
	char *saved = NULL;
	int saving = 0;         /* st is about the state file, not the server */
	ews_cli cli;
	ews_client *c;
	ews_status st = ews_cli_init(&cli, "ews-sync-folder-items");

	if (!ews_ok(st))
		return ews_cli_error(&cli, "environment", st);
	const ews_cli_opt opts[] = { { "--state", .value = &state_file }, EWS_CLI_ARCHIVE_OPT(cli),
				     { "--folder", .value = &folder },
				     { "--max-changes", .number = &max_changes, .lo = 1, .hi = 512 },
				     { "--reset", .on = &reset, .set = 1 }, { NULL } };
	if ((rc = ews_cli_parse(&cli, argc, argv, opts, usage, &nargs)) >= 0 ||
	    (rc = ews_cli_no_operands(&cli, nargs, argv)) >= 0)
		return rc;
	if (!state_file)
		return ews_cli_usage_error(&cli, "--state FILE is required");
	/* No state file (or --reset): a full sync. Otherwise continue from the saved SyncState. */
	st = reset ? ews_status_make(EWS_ERR_NOT_FOUND, "reset") : ews_sync_state_read(state_file, &saved);
	if (st.code == EWS_ERR_SYNC_STATE)
		fprintf(stderr, "ews-sync-folder-items: %s is not a sync state: run again with --reset\n", state_file);
	if (!ews_ok(st) && st.code != EWS_ERR_NOT_FOUND)
		return ews_cli_file_error(&cli, state_file, st);
	if ((rc = ews_cli_connect(&cli, &c)) || (folder && (rc = ews_cli_resolve_folder(&cli, c, folder, &folder)))) {
		free(saved);
		ews_client_free(c);
		return rc;
	}
	volatile int *stop = ews_cli_catch_interrupts();
	ews_sync *s = NULL;
	ews_sync_change ch;
	int batch = 1;
	st = ews_sync_new_items(c, folder, saved, &(ews_sync_options){ .max_changes = (int)max_changes }, &s);
	free(saved);
	while (ews_ok(st) && !*stop && ews_ok(st = ews_sync_next(s, &ch))) {
		/* A new batch (or the end): everything before it is printed, so its state can be saved. */
		if (ch.kind == EWS_SYNC_DONE || ch.batch != batch) {
			if (!ews_ok(st = ews_cli_stdout_done()))
				break;   /* not delivered: the state stays before it */
			saving = 1;
			if (!ews_ok(st = ews_sync_state_save(state_file, ews_sync_state(s))) || ch.kind == EWS_SYNC_DONE)
				break;
			saving = 0;
			batch = ch.batch;
		}
		count[ch.kind]++;
		print_change(&cli, &ch);
	}
	if (st.code == EWS_ERR_SYNC_STATE)
		fprintf(stderr, "ews-sync-folder-items: the saved state in %s is no longer valid: run again with "
				"--reset for a full sync\n", state_file);
	if (!ews_ok(st)) {
		rc = saving ? ews_cli_file_error(&cli, state_file, st) : ews_cli_error(&cli, NULL, st);
	} else if (*stop) {   /* what was printed is saved; the rest of this batch comes again next time */
		if (!ews_ok(st = ews_cli_stdout_done()))
			rc = ews_cli_error(&cli, NULL, st);   /* not delivered: the state stays before this batch */
		else if (!ews_ok(st = ews_sync_state_save(state_file, ews_sync_state(s))))
			rc = ews_cli_file_error(&cli, state_file, st);
		else {
			fprintf(stderr, "ews-sync-folder-items: interrupted; state saved, run again to continue\n");
			rc = EWS_EXIT_PARTIAL;
		}
	}
	calls = s ? ews_sync_batches(s) : 0;
	if (cli.json)
		ews_cli_json_summary(stdout, !rc, (const ews_cli_field[]){
			EWS_CLI_COUNT("creates", count[1]), EWS_CLI_COUNT("updates", count[2]),
			EWS_CLI_COUNT("deletes", count[3]), EWS_CLI_COUNT("read_flag_changes", count[4]),
			EWS_CLI_COUNT("calls", calls), { 0 } });
	else
		printf("%d created, %d updated, %d deleted, %d read-flag changes (%d call%s)\n", count[1], count[2],
		       count[3], count[4], calls, calls == 1 ? "" : "s");
	ews_sync_free(s);
	ews_client_free(c);
	return rc;
}
