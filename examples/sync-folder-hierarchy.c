/* <DESC> ews-sync-folder-hierarchy: incremental SyncFolderHierarchy with the SyncState kept in a file </DESC>
 *
 *   ews-sync-folder-hierarchy --state FILE [--folder NAME|ID] [--reset] [--json]
 *
 * The first run lists every folder as a create; later runs print only folders created, updated (renamed,
 * counts changed ...) or deleted since. The state file is replaced atomically after every response.
 * Build alone: cc sync-folder-hierarchy.c $(pkg-config --cflags --libs libews)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews/ews.h"
#include "ews/cli.h"

static void usage(FILE *f)
{
	fputs("usage: ews-sync-folder-hierarchy --state FILE [options]\n"
	      "Print the folders created, updated or deleted since the last run (SyncFolderHierarchy).\n\n"
	      "  --state FILE       where the SyncState is kept (created on the first run)\n"
	      "  --folder NAME|ID   root of the synced tree (default: the whole mailbox)\n"
	      "  --reset            ignore the saved state: start over with a full listing\n\n"
	      "example: ews-sync-folder-hierarchy --state ~/.cache/folders.sync --json\n\n", f);
	fputs(EWS_CLI_COMMON_HELP, f);
}

int main(int argc, char **argv)
{
	static const char *const kinds[] = { "?", "create", "update", "delete" };
	const char *folder = NULL, *state_file = NULL;
	int reset = 0, rc, count[4] = { 0 };
	char *saved = NULL;
	size_t len;
	ews_cli cli;
	ews_client *c;
	ews_status st = ews_cli_init(&cli, "ews-sync-folder-hierarchy");

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
		} else if (!strcmp(a, "--reset")) {
			reset = 1;
		} else {
			fprintf(stderr, "ews-sync-folder-hierarchy: bad option or value: %s\n", a);
			usage(stderr);
			return EWS_EXIT_USAGE;
		}
	}
	if (!state_file) {
		fprintf(stderr, "ews-sync-folder-hierarchy: --state FILE is required\n");
		return EWS_EXIT_USAGE;
	}
	st = reset ? ews_status_make(EWS_ERR_NOT_FOUND, "reset") : ews_cli_read_file(state_file, 1 << 20, &saved, &len);
	if (!ews_ok(st) && st.code != EWS_ERR_NOT_FOUND)
		return ews_cli_error(&cli, "state file", st);
	if (saved && strcspn(saved, "\r\n") < len)
		saved[strcspn(saved, "\r\n")] = '\0';
	if ((rc = ews_cli_connect(&cli, &c))) {
		free(saved);
		return rc;
	}

	struct soap *a = ews_client_arena(c);
	struct ewsmsg__SyncFolderHierarchyType *req = soap_new_ewsmsg__SyncFolderHierarchyType(a, 1);
	if (!req || !(req->FolderShape = soap_new_ewstype__FolderResponseShapeType(a, 1)) ||
	    (folder && !(req->SyncFolderId = ews_cli_target_folder(a, folder))) ||
	    (saved && !(req->SyncState = soap_strdup(a, saved)))) {
		free(saved);
		ews_client_free(c);
		return ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
	}
	free(saved);
	req->FolderShape->BaseShape = ewstype__DefaultShapeNamesType__Default;

	for (int last = 0; !last;) {
		struct __ewsmsg__SyncFolderHierarchyResponse resp;
		ews_response_message m;

		st = ews_sync_folder_hierarchy(c, req, &resp);
		if (st.code == EWS_ERR_SYNC_STATE)
			fprintf(stderr, "ews-sync-folder-hierarchy: the saved state in %s is no longer valid: run again "
					"with --reset for a full sync\n", state_file);
		if (!ews_ok(st) || ews_response_messages_get(ews_response_messages_of("SyncFolderHierarchy", &resp), 0, &m)) {
			rc = ews_cli_error(&cli, NULL, ews_ok(st) ? ews_status_make(EWS_ERR_XML, "no response") : st);
			break;
		}
		const struct ewsmsg__SyncFolderHierarchyResponseMessageType *sm = m.message;
		const struct ewstype__SyncFolderHierarchyChangesType *ch = sm->Changes;
		for (int k = 0; ch && k < ch->__size_SyncFolderHierarchyChangesType; k++) {
			const struct __ewstype__union_SyncFolderHierarchyChangesType *u =
				&ch->__union_SyncFolderHierarchyChangesType[k];
			int kind = u->__union_SyncFolderHierarchyChangesType;
			const struct ewstype__FolderType *f = NULL;   /* every folder type starts with FolderType's members */
			const struct ewstype__FolderIdType *id;
			if (kind < 1 || kind > 3)
				continue;
			count[kind]++;
			if (kind == SOAP_UNION__ewstype__union_SyncFolderHierarchyChangesType_Delete)
				id = u->union_SyncFolderHierarchyChangesType.Delete->FolderId;
			else
				id = (f = u->union_SyncFolderHierarchyChangesType.Create
						  ->union_SyncFolderHierarchyCreateOrUpdateType.Folder) ? f->FolderId : NULL;
			if (cli.json) {
				printf("{\"type\":\"change\",\"change\":\"%s\",\"id\":", kinds[kind]);
				ews_cli_json_string(stdout, id ? id->Id : NULL);
				printf(",\"name\":");
				ews_cli_json_string(stdout, f ? f->DisplayName : NULL);
				printf("}\n");
			} else {
				printf("%-6s  %s\n", kinds[kind], f && f->DisplayName ? f->DisplayName : id ? id->Id : "?");
			}
		}
		if (!sm->SyncState || !(req->SyncState = soap_strdup(a, sm->SyncState))) {
			rc = ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_XML, "the response has no SyncState"));
			break;
		}
		if (!ews_ok(st = ews_cli_write_file(state_file, req->SyncState, strlen(req->SyncState)))) {
			rc = ews_cli_error(&cli, "state file", st);
			break;
		}
		last = !sm->IncludesLastFolderInRange || *sm->IncludesLastFolderInRange == xsd__boolean__true_;
	}
	if (cli.json)
		printf("{\"type\":\"summary\",\"ok\":%s,\"creates\":%d,\"updates\":%d,\"deletes\":%d}\n",
		       rc ? "false" : "true", count[1], count[2], count[3]);
	else
		printf("%d created, %d updated, %d deleted\n", count[1], count[2], count[3]);
	ews_client_free(c);
	return rc;
}
