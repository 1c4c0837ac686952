/* <DESC> ews-move-items: MoveItem in batches, ids from the command line or stdin, the new ids printed </DESC>
 *
 *   ews-find-items --folder inbox --json | ews-move-items --to inbox/Projects
 *   ews-move-items --to inbox/Projects [--batch N] [--json] ID...
 *
 * Build alone: cc move-items.c $(pkg-config --cflags --libs libews)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "soapH.h"
#include "ews/ews.h"
#include "ews/cli.h"

static void usage(FILE *f)
{
	fputs("usage: ews-move-items --to FOLDER [options] [ID...]\n"
	      "Move items to a folder (MoveItem), BATCH ids per call. Without ids on the command line (or with \"-\")\n"
	      "they are read from stdin: one per line, or the JSON lines of ews-find-items --json (their \"id\").\n"
	      "Each item is reported on its own with its new id; one failure does not stop the rest.\n\n"
	      "  --to FOLDER    the destination: distinguished name, display-name path (\"inbox/Projects\") or id\n"
	      "  --batch N      ids per MoveItem call, 1..1000 (default 100)\n\n"
	      "example: ews-find-items --folder inbox --max 10 --json | ews-move-items --to inbox/Projects\n\n", f);
	fputs(EWS_CLI_COMMON_HELP, f);
}

/* The id of the first item in a MoveItem response message (the new id), or NULL when the server sent none. */
static const char *new_id(const ews_response_message *m)
{
	const struct ewstype__ArrayOfRealItemsType *items = ((const struct ewsmsg__ItemInfoResponseMessageType *)m->message)->Items;
	const struct ewstype__ItemType *it;
	if (!items || items->__size_ArrayOfRealItemsType < 1)
		return NULL;
	it = (const struct ewstype__ItemType *)items->__union_ArrayOfRealItemsType[0].union_ArrayOfRealItemsType.Item;
	return it && it->ItemId ? it->ItemId->Id : NULL;
}

/* Report one item's result; returns 1 when it failed. */
static int report(const ews_cli *cli, const char *id, const ews_response_message *m)
{
	int failed = m->response_class == EWS_RESPONSE_ERROR;
	const char *nid = failed ? NULL : new_id(m);
	if (cli->json) {
		printf("{\"type\":\"moved\",\"ok\":%s,\"id\":", failed ? "false" : "true");
		ews_cli_json_string(stdout, id);
		printf(",\"new_id\":");
		ews_cli_json_string(stdout, nid);
		printf(",\"response_code\":");
		ews_cli_json_string(stdout, m->response_code);
		if (failed) {
			printf(",\"message\":");
			ews_cli_json_string(stdout, m->message_text);
		}
		printf("}\n");
	} else if (failed) {
		fprintf(stderr, "ews-move-items: %s: %s [%s]\n", id, m->message_text ? m->message_text : "error",
			m->response_code);
	} else {
		printf("moved %s -> %s\n", id, nid ? nid : "(the server returned no new id)");
	}
	return failed;
}

int main(int argc, char **argv)
{
	const char *to = NULL, *target;
	char **ids = NULL;
	int nids = 0, from_stdin = 0, rc = EWS_EXIT_OK, failed = 0, moved = 0, batches = 0;
	long batch = 100;
	ews_cli cli;
	ews_client *c;
	ews_status st = ews_cli_init(&cli, "ews-move-items");

	if (!ews_ok(st))
		return ews_cli_error(&cli, "environment", st);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int r = ews_cli_flag(&cli, argc, argv, &i);
		if (r != EWS_CLI_NOT_MINE) {
			if (r == EWS_CLI_TAKEN)
				continue;
			return r == EWS_CLI_DONE ? EWS_EXIT_OK : EWS_EXIT_USAGE;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return EWS_EXIT_OK;
		} else if (!strcmp(a, "--to")) {
			if (!(to = ews_cli_value(&cli, argc, argv, &i)))
				return EWS_EXIT_USAGE;
		} else if (!strcmp(a, "--batch")) {
			if (ews_cli_int(&cli, a, i + 1 < argc ? argv[i + 1] : NULL, 1, 1000, &batch))
				return EWS_EXIT_USAGE;
			i++;
		} else if (!strcmp(a, "-")) {
			from_stdin = 1;
		} else if (a[0] == '-') {
			return ews_cli_usage_error(&cli, "unknown option %s", a);
		} else {
			argv[nids++] = argv[i];         /* operands collected in place */
		}
	}
	if (!to)
		return ews_cli_usage_error(&cli, "give the destination folder with --to");
	if (!nids || from_stdin) {
		/* the ids on the command line first, then stdin's */
		char **mine = nids ? calloc((size_t)nids, sizeof *mine) : NULL;
		int n = 0;
		if (nids && !mine)
			return ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
		while (n < nids && (mine[n] = strdup(argv[n])))
			n++;
		if (n < nids)
			st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
		else if (!from_stdin && isatty(STDIN_FILENO))
			st = ews_status_make(EWS_ERR_ARGUMENT, "give item ids, or pipe them in");
		else
			st = ews_cli_read_ids(stdin, 0, &mine, &n);
		if (!ews_ok(st)) {
			ews_cli_free_ids(mine, n);
			return ews_cli_usage_error(&cli, "%s%s", st.code == EWS_ERR_ARGUMENT ? "" : "stdin: ", st.message);
		}
		ids = mine;
		nids = n;
		if (!nids)
			return ews_cli_usage_error(&cli, "no item ids on the command line or stdin");
	}
	const char *const *list = ids ? (const char *const *)ids : (const char *const *)argv;
	if ((rc = ews_cli_connect(&cli, &c))) {
		ews_cli_free_ids(ids, ids ? nids : 0);
		return rc;
	}
	if ((rc = ews_cli_resolve_folder(&cli, c, to, &target))) {
		ews_client_free(c);
		ews_cli_free_ids(ids, ids ? nids : 0);
		return rc;
	}
	char *dest = strdup(target);             /* kept over the arena resets below */
	if (!dest) {
		ews_client_free(c);
		ews_cli_free_ids(ids, ids ? nids : 0);
		return ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
	}
	volatile int *stop = ews_cli_catch_interrupts();

	for (int start = 0; start < nids && !*stop; start += (int)batch) {
		int n = nids - start < batch ? nids - start : (int)batch;
		struct soap *a = ews_client_arena(c);
		ews_client_arena_reset(c);       /* each batch's request is built anew: memory stays flat */
		struct ewsmsg__MoveItemType *req = soap_new_ewsmsg__MoveItemType(a, 1);
		if (!req || !(req->ItemIds = ews_item_ids_new(a, list + start, n)) ||
		    !(req->ToFolderId = ews_cli_target_folder(a, dest)) ||
		    !(req->ReturnNewItemIds = soap_new_xsd__boolean(a, 1))) {
			rc = ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
			break;
		}
		*req->ReturnNewItemIds = xsd__boolean__true_;   /* Exchange 2010 SP1+: the moved item's new id */

		struct __ewsmsg__MoveItemResponse resp = { 0 };
		st = ews_move_item(c, req, &resp);
		batches++;
		if (!ews_ok(st) && st.code != EWS_ERR_RESPONSE) {   /* the whole batch failed: stop, say how far */
			rc = ews_cli_error(&cli, "MoveItem", st);
			break;
		}
		const struct ewsmsg__ArrayOfResponseMessagesType *msgs = ews_response_messages_of("MoveItem", &resp);
		/* one ResponseMessage per id, in order */
		for (int k = 0; k < n; k++) {
			ews_response_message m;
			if (k >= ews_response_messages_count(msgs) || ews_response_messages_get(msgs, k, &m)) {
				m = (ews_response_message){ .response_class = EWS_RESPONSE_ERROR,
							    .response_code = "ErrorInternalServerError",
							    .message_text = "no response message for this id" };
			}
			if (report(&cli, list[start + k], &m))
				failed++;
			else
				moved++;
		}
	}
	int done = moved + failed, interrupted = *stop && done < nids;
	if (cli.json)
		printf("{\"type\":\"summary\",\"ok\":%s,\"moved\":%d,\"failed\":%d,\"not_tried\":%d,\"batches\":%d,"
		       "\"interrupted\":%s}\n", !failed && done == nids ? "true" : "false", moved, failed, nids - done,
		       batches, interrupted ? "true" : "false");
	else
		fprintf(stderr, "ews-move-items: %d moved, %d failed, %d not tried%s\n", moved, failed, nids - done,
			interrupted ? " (interrupted)" : "");
	ews_client_free(c);
	ews_cli_free_ids(ids, ids ? nids : 0);
	free(dest);
	if (rc)
		return rc;
	return failed || done < nids ? EWS_EXIT_PARTIAL : EWS_EXIT_OK;
}
