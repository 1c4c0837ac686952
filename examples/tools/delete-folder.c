/* <DESC> ews-delete-folder: DeleteFolder (hard, soft, or to Deleted Items) for one or more folders </DESC>
 *
 *   ews-delete-folder [--mode hard|soft|move] [--json] FOLDER...
 *
 * Build alone: cc delete-folder.c $(pkg-config --cflags --libs libews)
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "soapH.h"
#include "ews/ews.h"
#include "ews/cli.h"

static void usage(FILE *f)
{
	fputs("usage: ews-delete-folder [--mode hard|soft|move] FOLDER...\n"
	      "Delete folders with everything in them (DeleteFolder). FOLDER: a display-name path\n"
	      "(\"inbox/Projects\") or a folder id. A distinguished folder (inbox, calendar ...) cannot be deleted:\n"
	      "the server refuses it (ErrorDeleteDistinguishedFolder). Each folder is reported on its own.\n\n"
	      "  --mode MODE   hard: HardDelete, gone for good (default, as ews-delete-item)\n"
	      "                soft: SoftDelete, recoverable\n"
	      "                move: MoveToDeletedItems\n\n"
	      "example: ews-delete-folder --mode move inbox/Projects/2025\n\n", f);
	fputs(EWS_CLI_COMMON_HELP, f);
}

int main(int argc, char **argv)
{
	static const struct { const char *name; enum ewstype__DisposalType type; } modes[] = {
		{ "hard", ewstype__DisposalType__HardDelete },
		{ "soft", ewstype__DisposalType__SoftDelete },
		{ "move", ewstype__DisposalType__MoveToDeletedItems } };
	enum ewstype__DisposalType how = ewstype__DisposalType__HardDelete;
	int n = 0, rc, failed = 0;
	ews_cli cli;
	ews_client *c;
	ews_status st = ews_cli_init(&cli, "ews-delete-folder");

	if (!ews_ok(st))
		return ews_cli_error(&cli, "environment", st);
	const char *mode = NULL;
	const ews_cli_opt opts[] = { { "--mode", .value = &mode }, { NULL } };
	if ((rc = ews_cli_parse(&cli, argc, argv, opts, usage, &n)) >= 0)    /* operands collected in place */
		return rc;
	if (mode) {
		size_t k;
		for (k = 0; k < sizeof modes / sizeof modes[0] && strcasecmp(mode, modes[k].name); k++)
			;
		if (k == sizeof modes / sizeof modes[0])
			return ews_cli_usage_error(&cli, "--mode must be hard, soft or move");
		how = modes[k].type;
	}
	if (!n)
		return ews_cli_usage_error(&cli, "give the folders to delete (a path such as inbox/Projects, or an id)");
	if ((rc = ews_cli_connect(&cli, &c)))
		return rc;

	struct soap *a = ews_client_arena(c);
	const char **resolved = soap_malloc(a, (size_t)n * sizeof *resolved);
	if (!resolved) {
		ews_client_free(c);
		return ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
	}
	for (int k = 0; k < n; k++)              /* all resolved before anything is deleted */
		if ((rc = ews_cli_resolve_folder(&cli, c, argv[k], &resolved[k]))) {
			ews_client_free(c);
			return rc;
		}

	struct ewsmsg__DeleteFolderType *req = soap_new_ewsmsg__DeleteFolderType(a, 1);
	if (!req || !(req->FolderIds = ews_cli_folder_ids_n(a, resolved, n))) {
		ews_client_free(c);
		return ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
	}
	req->DeleteType = how;

	struct __ewsmsg__DeleteFolderResponse resp = { 0 };
	st = ews_delete_folder(c, req, &resp);
	if (!ews_ok(st) && st.code != EWS_ERR_RESPONSE) {
		rc = ews_cli_error(&cli, NULL, st);
		ews_client_free(c);
		return rc;
	}
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs = ews_response_messages_of("DeleteFolder", &resp);
	for (int k = 0; k < n; k++) {
		ews_response_message m;
		int bad;
		if (k >= ews_response_messages_count(msgs) || ews_response_messages_get(msgs, k, &m))
			m = (ews_response_message){ .response_class = EWS_RESPONSE_ERROR, .response_code = "ErrorInternalServerError",
						    .message_text = "no response message for this folder" };
		bad = m.response_class == EWS_RESPONSE_ERROR;
		failed += bad;
		if (cli.json) {
			printf("{\"type\":\"deleted\",\"ok\":%s,\"folder\":", bad ? "false" : "true");
			ews_cli_json_string(stdout, argv[k]);
			printf(",\"id\":");
			ews_cli_json_string(stdout, resolved[k]);
			printf(",\"response_code\":");
			ews_cli_json_string(stdout, m.response_code);
			if (bad) {
				printf(",\"message\":");
				ews_cli_json_string(stdout, m.message_text);
			}
			printf("}\n");
		} else if (bad) {
			fprintf(stderr, "ews-delete-folder: %s: %s [%s]\n", argv[k], m.message_text ? m.message_text : "error",
				m.response_code);
		} else {
			printf("deleted %s\n", argv[k]);
		}
	}
	ews_client_free(c);
	return failed ? EWS_EXIT_PARTIAL : EWS_EXIT_OK;
}
