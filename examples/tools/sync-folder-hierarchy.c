/* <DESC> ews-sync-folder-hierarchy: incremental SyncFolderHierarchy with the SyncState kept in a file </DESC>
 *
 *   ews-sync-folder-hierarchy --state FILE [--folder FOLDER] [--reset] [--json]
 *
 * The first run lists every folder as a create; later runs print only folders created, updated (renamed,
 * counts changed ...) or deleted since (ews/sync.h). The state file is replaced atomically at the end.
 * Build alone: cc sync-folder-hierarchy.c $(pkg-config --cflags --libs libews)
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
	fputs("usage: ews-sync-folder-hierarchy --state FILE [options]\n"
	      "Print the folders created, updated or deleted since the last run (SyncFolderHierarchy).\n\n"
	      "  --state FILE       where the SyncState is kept (created on the first run)\n"
	      "  --folder FOLDER    root of the synced tree: distinguished name, display-name path or id\n"
	      "                     (default: the whole mailbox)\n"
	      "  --reset            ignore the saved state: start over with a full listing\n\n"
	      "example: ews-sync-folder-hierarchy --state ~/.cache/folders.sync --json\n\n", f);
	fputs(EWS_CLI_ARCHIVE_HELP, f);
	fputs(EWS_CLI_COMMON_HELP, f);
}

int main(int argc, char **argv)
{
	static const char *const kinds[] = { "done", "create", "update", "delete" };
	const char *folder = NULL, *state_file = NULL;
	int reset = 0, rc, count[4] = { 0 }, nargs;
	char *saved = NULL;
	ews_cli cli;
	ews_client *c;
	ews_status st = ews_cli_init(&cli, "ews-sync-folder-hierarchy");

	if (!ews_ok(st))
		return ews_cli_error(&cli, "environment", st);
	const ews_cli_opt opts[] = { { "--state", .value = &state_file }, EWS_CLI_ARCHIVE_OPT(cli),
				     { "--folder", .value = &folder }, { "--reset", .on = &reset, .set = 1 }, { NULL } };
	if ((rc = ews_cli_parse(&cli, argc, argv, opts, usage, &nargs)) >= 0 ||
	    (rc = ews_cli_no_operands(&cli, nargs, argv)) >= 0)
		return rc;
	if (!state_file)
		return ews_cli_usage_error(&cli, "--state FILE is required");
	if (cli.archive && !folder)
		folder = "msgfolderroot";       /* the archive's top (archivemsgfolderroot), not the mailbox's */
	st = reset ? ews_status_make(EWS_ERR_NOT_FOUND, "reset") : ews_sync_state_read(state_file, &saved);
	if (st.code == EWS_ERR_SYNC_STATE)
		fprintf(stderr, "ews-sync-folder-hierarchy: %s is not a sync state: run again with --reset\n", state_file);
	if (!ews_ok(st) && st.code != EWS_ERR_NOT_FOUND)
		return ews_cli_file_error(&cli, state_file, st);
	if ((rc = ews_cli_connect(&cli, &c)) || (folder && (rc = ews_cli_resolve_folder(&cli, c, folder, &folder)))) {
		free(saved);
		ews_client_free(c);
		return rc;
	}
	ews_sync *s = NULL;
	ews_sync_change ch;
	st = ews_sync_new_folders(c, folder, saved, NULL, &s);
	free(saved);
	while (ews_ok(st) && ews_ok(st = ews_sync_next(s, &ch)) && ch.kind != EWS_SYNC_DONE) {
		const ews_folder_view *f = &ch.folder;
		if (ch.kind > EWS_SYNC_DELETE)
			continue;
		count[ch.kind]++;
		if (cli.json) {
			printf("{\"type\":\"change\",\"ok\":true,\"change\":\"%s\",\"id\":", kinds[ch.kind]);
			ews_cli_json_string(stdout, f->id);
			printf(",\"name\":");
			ews_cli_json_string(stdout, f->display_name);
			printf("}\n");
		} else {
			printf("%-6s  %s\n", kinds[ch.kind], f->display_name ? f->display_name : f->id);
		}
	}
	if (st.code == EWS_ERR_SYNC_STATE)
		fprintf(stderr, "ews-sync-folder-hierarchy: the saved state in %s is no longer valid: run again with "
				"--reset for a full sync\n", state_file);
	if (!ews_ok(st) || !ews_ok(st = ews_cli_stdout_done()))   /* (not delivered: not saved) */
		rc = ews_cli_error(&cli, NULL, st);
	else if (!ews_ok(st = ews_sync_state_save(state_file, ews_sync_state(s))))   /* all printed: save */
		rc = ews_cli_file_error(&cli, state_file, st);
	if (cli.json)
		printf("{\"type\":\"summary\",\"ok\":%s,\"creates\":%d,\"updates\":%d,\"deletes\":%d}\n",
		       rc ? "false" : "true", count[1], count[2], count[3]);
	else
		printf("%d created, %d updated, %d deleted\n", count[1], count[2], count[3]);
	ews_sync_free(s);
	ews_client_free(c);
	return rc;
}
