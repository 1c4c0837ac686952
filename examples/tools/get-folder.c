/* <DESC> ews-get-folder: GetFolder for one or more folders: name, class, counts, id </DESC>
 *
 *   ews-get-folder [--json] FOLDER...
 *
 * Build alone: cc get-folder.c $(pkg-config --cflags --libs libews)
 */
#include <stdio.h>
#include <string.h>

#include "soapH.h"
#include "ews/ews.h"
#include "ews/cli.h"

static void usage(FILE *f)
{
	fputs("usage: ews-get-folder [options] FOLDER...\n"
	      "Show folders (GetFolder, AllProperties): display name, class, TotalCount, UnreadCount,\n"
	      "ChildFolderCount, id and parent id. FOLDER: a distinguished name (inbox ...), a display-name path\n"
	      "(\"inbox/Projects/2025\") or a folder id. Each folder is reported on its own.\n\n"
	      "example: ews-get-folder inbox inbox/Projects --json\n\n", f);
	fputs(EWS_CLI_ARCHIVE_HELP, f);
	fputs(EWS_CLI_COMMON_HELP, f);
}

/* A count the server may leave out: null in JSON (never a made-up number), "-" in text. */
static void count(const ews_cli *cli, const char *key, const int *n)
{
	if (cli->json)
		n ? printf(",\"%s\":%d", key, *n) : printf(",\"%s\":null", key);
	else
		n ? printf("  %-9s %d\n", key, *n) : printf("  %-9s -\n", key);
}

static void show(const ews_cli *cli, const char *arg, const struct __ewstype__union_ArrayOfFoldersType *u)
{
	/* every folder type starts with the members of FolderType up to ChildFolderCount (wsdl2h -F flattens the
	 * base); UnreadCount is FolderType's own (and its derived Search/Tasks folders'), not a calendar's */
	const struct ewstype__FolderType *f = u->union_ArrayOfFoldersType.Folder;
	int mail_like = u->__union_ArrayOfFoldersType == SOAP_UNION__ewstype__union_ArrayOfFoldersType_Folder ||
			u->__union_ArrayOfFoldersType == SOAP_UNION__ewstype__union_ArrayOfFoldersType_SearchFolder ||
			u->__union_ArrayOfFoldersType == SOAP_UNION__ewstype__union_ArrayOfFoldersType_TasksFolder;
	const char *id = f->FolderId ? f->FolderId->Id : NULL;
	const char *parent = f->ParentFolderId ? f->ParentFolderId->Id : NULL;

	if (cli->json) {
		printf("{\"type\":\"folder\",\"ok\":true,\"folder\":");
		ews_cli_json_string(stdout, arg);
		printf(",\"id\":");
		ews_cli_json_string(stdout, id);
		printf(",\"name\":");
		ews_cli_json_string(stdout, f->DisplayName);
		printf(",\"class\":");
		ews_cli_json_string(stdout, f->FolderClass);
		printf(",\"parent_id\":");
		ews_cli_json_string(stdout, parent);
	} else {
		printf("%s\n", f->DisplayName ? f->DisplayName : arg);
		printf("  %-9s %s\n", "class", f->FolderClass ? f->FolderClass : "-");
	}
	count(cli, "total", f->TotalCount);
	count(cli, "unread", mail_like ? f->UnreadCount : NULL);
	count(cli, "children", f->ChildFolderCount);
	if (cli->json) {
		printf("}\n");
	} else {
		printf("  %-9s %s\n", "id", id ? id : "-");
		printf("  %-9s %s\n", "parent", parent ? parent : "-");
	}
}

int main(int argc, char **argv)
{
	int n = 0, rc, failed = 0;
	ews_cli cli;
	ews_client *c;
	ews_status st = ews_cli_init(&cli, "ews-get-folder");

	if (!ews_ok(st))
		return ews_cli_error(&cli, "environment", st);
	const ews_cli_opt opts[] = { EWS_CLI_ARCHIVE_OPT(cli), { NULL } };
	if ((rc = ews_cli_parse(&cli, argc, argv, opts, usage, &n)) >= 0)    /* operands collected in place */
		return rc;
	if (!n)
		return ews_cli_usage_error(&cli, "give one or more folders (inbox, inbox/Projects, a folder id)");
	if ((rc = ews_cli_connect(&cli, &c)))
		return rc;

	struct soap *a = ews_client_arena(c);
	const char **resolved = soap_malloc(a, (size_t)n * sizeof *resolved);
	if (!resolved) {
		ews_client_free(c);
		return ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
	}
	for (int k = 0; k < n; k++)              /* paths to ids first: a missing folder is a usage error (2) */
		if ((rc = ews_cli_resolve_folder(&cli, c, argv[k], &resolved[k]))) {
			ews_client_free(c);
			return rc;
		}

	struct ewsmsg__GetFolderType *req = soap_new_ewsmsg__GetFolderType(a, 1);
	if (!req || !(req->FolderShape = soap_new_ewstype__FolderResponseShapeType(a, 1)) ||
	    !(req->FolderIds = ews_cli_folder_ids_n(a, resolved, n))) {
		ews_client_free(c);
		return ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
	}
	req->FolderShape->BaseShape = ewstype__DefaultShapeNamesType__AllProperties;

	struct __ewsmsg__GetFolderResponse resp = { 0 };
	st = ews_get_folder(c, req, &resp);
	if (!ews_ok(st) && st.code != EWS_ERR_RESPONSE) {   /* resp holds nothing to read then */
		rc = ews_cli_error(&cli, NULL, st);
		ews_client_free(c);
		return rc;
	}
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs = ews_response_messages_of("GetFolder", &resp);
	/* one ResponseMessage per folder, in order */
	for (int k = 0; k < n; k++) {
		ews_response_message m;
		const struct ewstype__ArrayOfFoldersType *folders;
		if (k >= ews_response_messages_count(msgs) || ews_response_messages_get(msgs, k, &m)) {
			ews_cli_error(&cli, argv[k], ews_status_make(EWS_ERR_XML, "no response message for this folder"));
			failed++;
			continue;
		}
		if (m.response_class == EWS_RESPONSE_ERROR) {
			ews_status e = ews_status_make(EWS_ERR_RESPONSE, "%s", m.message_text ? m.message_text : m.response_code);
			snprintf(e.response_code, sizeof e.response_code, "%s", m.response_code);
			ews_cli_error(&cli, argv[k], e);
			failed++;
			continue;
		}
		folders = ((const struct ewsmsg__FolderInfoResponseMessageType *)m.message)->Folders;
		for (int j = 0; folders && j < folders->__size_ArrayOfFoldersType; j++)
			show(&cli, argv[k], &folders->__union_ArrayOfFoldersType[j]);
	}
	ews_client_free(c);
	return failed ? EWS_EXIT_PARTIAL : EWS_EXIT_OK;
}
