/* <DESC> ews-delete-item: DeleteItem for one or more ids (hard, soft, or to Deleted Items) </DESC>
 *
 *   ews-delete-item [--hard | --soft | --trash] [--json] ID...
 *
 * Build alone: cc delete-item.c $(pkg-config --cflags --libs libews)
 */
#include <stdio.h>
#include <string.h>

#include "soapH.h"
#include "ews/ews.h"
#include "ews/cli.h"

static void usage(FILE *f)
{
	fputs("usage: ews-delete-item [--hard | --soft | --trash] ID...\n"
	      "Delete items (DeleteItem). Each id is reported on its own; one failure does not stop the rest.\n\n"
	      "  --hard    remove for good (default)\n"
	      "  --soft    SoftDelete (recoverable items)\n"
	      "  --trash   MoveToDeletedItems\n\n"
	      "example: ews-delete-item --trash AAMkAGI3...\n\n", f);
	fputs(EWS_CLI_COMMON_HELP, f);
}

int main(int argc, char **argv)
{
	int how = ewstype__DisposalType__HardDelete;    /* an enum ewstype__DisposalType */
	int nids = 0, rc, failed = 0;
	ews_cli cli;
	ews_client *c;
	ews_status st = ews_cli_init(&cli, "ews-delete-item");

	if (!ews_ok(st))
		return ews_cli_error(&cli, "environment", st);
	const ews_cli_opt opts[] = { { "--hard", .on = &how, .set = ewstype__DisposalType__HardDelete },
				     { "--soft", .on = &how, .set = ewstype__DisposalType__SoftDelete },
				     { "--trash", .on = &how, .set = ewstype__DisposalType__MoveToDeletedItems }, { NULL } };
	if ((rc = ews_cli_parse(&cli, argc, argv, opts, usage, &nids)) >= 0)    /* ids collected in place */
		return rc;
	if (!nids)
		return ews_cli_usage_error(&cli, "give the ids of the items to delete");
	if ((rc = ews_cli_connect(&cli, &c)))
		return rc;

	struct soap *a = ews_client_arena(c);
	struct ewsmsg__DeleteItemType *req = soap_new_ewsmsg__DeleteItemType(a, 1);
	if (!req || !(req->ItemIds = ews_item_ids_new(a, (const char *const *)argv, nids))) {
		ews_client_free(c);
		return ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
	}
	req->DeleteType = (enum ewstype__DisposalType)how;

	struct __ewsmsg__DeleteItemResponse resp = { 0 };
	st = ews_delete_item(c, req, &resp);
	if (!ews_ok(st) && st.code != EWS_ERR_RESPONSE) {
		rc = ews_cli_error(&cli, NULL, st);
		ews_client_free(c);
		return rc;
	}
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs = ews_response_messages_of("DeleteItem", &resp);
	for (int k = 0; k < ews_response_messages_count(msgs) && k < nids; k++) {
		ews_response_message m;
		if (ews_response_messages_get(msgs, k, &m))
			continue;
		failed += m.response_class == EWS_RESPONSE_ERROR;
		if (cli.json) {
			printf("{\"type\":\"deleted\",\"ok\":%s,\"id\":", m.response_class == EWS_RESPONSE_ERROR ? "false" : "true");
			ews_cli_json_string(stdout, argv[k]);
			printf(",\"response_code\":");
			ews_cli_json_string(stdout, m.response_code);
			printf("}\n");
		} else if (m.response_class == EWS_RESPONSE_ERROR) {
			fprintf(stderr, "ews-delete-item: %s: %s [%s]\n", argv[k], m.message_text ? m.message_text : "error",
				m.response_code);
		} else {
			printf("deleted %s\n", argv[k]);
		}
	}
	ews_client_free(c);
	return failed ? EWS_EXIT_PARTIAL : EWS_EXIT_OK;
}
