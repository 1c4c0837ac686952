/* <DESC> ews-sync-folder-items: incremental SyncFolderItems with the SyncState kept in a file </DESC>
 *
 *   ews-sync-folder-items --state FILE [--folder NAME|ID] [--max-changes N] [--reset] [--json]
 *
 * The first run lists every item as a create; later runs print only what changed since: creates, updates,
 * deletes and read-flag changes. The state file is replaced atomically after every page, so an interrupted
 * run (Ctrl-C, crash) resumes from the last page it finished.
 * Build alone: cc sync-folder-items.c $(pkg-config --cflags --libs libews)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews/ews.h"
#include "ews/cli.h"

static void usage(FILE *f)
{
	fputs("usage: ews-sync-folder-items --state FILE [options]\n"
	      "Print the changes to a folder's items since the last run (SyncFolderItems).\n\n"
	      "  --state FILE       where the SyncState is kept (created on the first run)\n"
	      "  --folder NAME|ID   folder to sync (default inbox)\n"
	      "  --max-changes N    changes per call, 1..512 (default 512)\n"
	      "  --reset            ignore the saved state: start over with a full listing\n\n"
	      "example: ews-sync-folder-items --folder inbox --state ~/.cache/inbox.sync\n\n", f);
	fputs(EWS_CLI_COMMON_HELP, f);
}

static const char *const kinds[] = { "?", "create", "update", "delete", "read" };

static void print_change(const ews_cli *cli, int kind, const struct ewstype__ItemType *it,
			 const struct ewstype__ItemIdType *id, int is_read)
{
	if (cli->json) {
		printf("{\"type\":\"change\",\"change\":\"%s\",\"id\":", kinds[kind]);
		ews_cli_json_string(stdout, id ? id->Id : NULL);
		if (it) {
			printf(",\"class\":");
			ews_cli_json_string(stdout, it->ItemClass);
			printf(",\"subject\":");
			ews_cli_json_string(stdout, it->Subject);
		}
		if (kind == SOAP_UNION__ewstype__union_SyncFolderItemsChangesType_ReadFlagChange)
			printf(",\"is_read\":%s", is_read ? "true" : "false");
		printf("}\n");
	} else if (it) {
		printf("%-6s  %-16s %s\n", kinds[kind], it->ItemClass ? it->ItemClass : "", it->Subject ? it->Subject : "");
	} else {
		printf("%-6s  %s%s\n", kinds[kind], id && id->Id ? id->Id : "?",
		       kind == SOAP_UNION__ewstype__union_SyncFolderItemsChangesType_ReadFlagChange
			       ? (is_read ? "  read" : "  unread") : "");
	}
}

int main(int argc, char **argv)
{
	const char *folder = "inbox", *state_file = NULL;
	int max_changes = 512, reset = 0, rc, count[5] = { 0 }, calls = 0;
	char *saved = NULL;
	size_t len;
	ews_cli cli;
	ews_client *c;
	ews_status st = ews_cli_init(&cli, "ews-sync-folder-items");

	if (!ews_ok(st))
		return ews_cli_error(&cli, "environment", st);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int r = ews_cli_flag(&cli, argc, argv, &i);
		if (r < 0)
			return EWS_EXIT_USAGE;
		if (r > 0)
			continue;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return EWS_EXIT_OK;
		} else if (!strcmp(a, "--state") && v) {
			state_file = argv[++i];
		} else if (!strcmp(a, "--folder") && v) {
			folder = argv[++i];
		} else if (!strcmp(a, "--max-changes") && v && (max_changes = atoi(argv[++i])) >= 1 && max_changes <= 512) {
		} else if (!strcmp(a, "--reset")) {
			reset = 1;
		} else {
			fprintf(stderr, "ews-sync-folder-items: bad option or value: %s\n", a);
			usage(stderr);
			return EWS_EXIT_USAGE;
		}
	}
	if (!state_file) {
		fprintf(stderr, "ews-sync-folder-items: --state FILE is required\n");
		return EWS_EXIT_USAGE;
	}
	/* No state file (or --reset): a full sync. Otherwise continue from the saved SyncState. */
	st = reset ? ews_status_make(EWS_ERR_NOT_FOUND, "reset") : ews_cli_read_file(state_file, 1 << 20, &saved, &len);
	if (!ews_ok(st) && st.code != EWS_ERR_NOT_FOUND)
		return ews_cli_error(&cli, "state file", st);
	if (saved && strcspn(saved, "\r\n") < len)
		saved[strcspn(saved, "\r\n")] = '\0';
	if ((rc = ews_cli_connect(&cli, &c))) {
		free(saved);
		return rc;
	}
	volatile int *stop = ews_cli_catch_interrupts();

	struct soap *a = ews_client_arena(c);
	struct ewsmsg__SyncFolderItemsType *req = soap_new_ewsmsg__SyncFolderItemsType(a, 1);
	if (!req || !(req->ItemShape = soap_new_ewstype__ItemResponseShapeType(a, 1)) ||
	    !(req->SyncFolderId = ews_cli_target_folder(a, folder)) || (saved && !(req->SyncState = soap_strdup(a, saved)))) {
		free(saved);
		ews_client_free(c);
		return ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
	}
	free(saved);
	req->ItemShape->BaseShape = ewstype__DefaultShapeNamesType__Default;
	req->MaxChangesReturned = max_changes;

	for (int last = 0; !last && !*stop;) {
		struct __ewsmsg__SyncFolderItemsResponse resp;
		ews_response_message m;

		st = ews_sync_folder_items(c, req, &resp);
		if (st.code == EWS_ERR_SYNC_STATE) {
			fprintf(stderr, "ews-sync-folder-items: the saved state in %s is no longer valid: run again with "
					"--reset for a full sync\n", state_file);
			rc = ews_cli_error(&cli, NULL, st);
			break;
		}
		if (!ews_ok(st) || ews_response_messages_get(ews_response_messages_of("SyncFolderItems", &resp), 0, &m)) {
			rc = ews_cli_error(&cli, NULL, ews_ok(st) ? ews_status_make(EWS_ERR_XML, "no response") : st);
			break;
		}
		const struct ewsmsg__SyncFolderItemsResponseMessageType *sm = m.message;
		const struct ewstype__SyncFolderItemsChangesType *ch = sm->Changes;
		calls++;
		for (int k = 0; ch && k < ch->__size_SyncFolderItemsChangesType; k++) {
			const struct __ewstype__union_SyncFolderItemsChangesType *u = &ch->__union_SyncFolderItemsChangesType[k];
			int kind = u->__union_SyncFolderItemsChangesType;
			if (kind < 1 || kind > 4)
				continue;
			count[kind]++;
			if (kind == SOAP_UNION__ewstype__union_SyncFolderItemsChangesType_Delete) {
				print_change(&cli, kind, NULL, u->union_SyncFolderItemsChangesType.Delete->ItemId, 0);
			} else if (kind == SOAP_UNION__ewstype__union_SyncFolderItemsChangesType_ReadFlagChange) {
				const struct ewstype__SyncFolderItemsReadFlagType *rf = u->union_SyncFolderItemsChangesType.ReadFlagChange;
				print_change(&cli, kind, NULL, rf->ItemId, rf->IsRead == xsd__boolean__true_);
			} else {
				/* Create and Update carry the item; every item type starts with ItemType's members */
				const struct ewstype__SyncFolderItemsCreateOrUpdateType *cu = u->union_SyncFolderItemsChangesType.Create;
				const struct ewstype__ItemType *it = cu->union_SyncFolderItemsCreateOrUpdateType.Item;
				print_change(&cli, kind, it, it ? it->ItemId : NULL, 0);
			}
		}
		fflush(stdout);
		/* Save after every page: the next run (or this loop) continues from here. */
		if (!sm->SyncState || !(req->SyncState = soap_strdup(a, sm->SyncState))) {
			rc = ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_XML, "the response has no SyncState"));
			break;
		}
		st = ews_cli_write_file(state_file, req->SyncState, strlen(req->SyncState));
		if (!ews_ok(st)) {
			rc = ews_cli_error(&cli, "state file", st);
			break;
		}
		last = !sm->IncludesLastItemInRange || *sm->IncludesLastItemInRange == xsd__boolean__true_;
	}
	if (!rc && *stop) {
		fprintf(stderr, "ews-sync-folder-items: interrupted; state saved, run again to continue\n");
		rc = EWS_EXIT_PARTIAL;
	}
	if (cli.json)
		printf("{\"type\":\"summary\",\"ok\":%s,\"creates\":%d,\"updates\":%d,\"deletes\":%d,\"read_flag_changes\":%d,"
		       "\"calls\":%d}\n", rc ? "false" : "true", count[1], count[2], count[3], count[4], calls);
	else
		printf("%d created, %d updated, %d deleted, %d read-flag changes (%d call%s)\n", count[1], count[2],
		       count[3], count[4], calls, calls == 1 ? "" : "s");
	ews_client_free(c);
	return rc;
}
