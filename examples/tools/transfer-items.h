/* transfer-items.h — what ews-move-items and ews-copy-items share: MoveItem and CopyItem take the same request
 * (ItemIds, ToFolderId, ReturnNewItemIds) and answer the same messages, so one loop serves both; each tool
 * supplies its names and the typed call (examples/tools/move-items.c, examples/tools/copy-items.c). Included once per tool. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "soapH.h"
#include "ews_schema.h"
#include "ews_schema_members.h"
#include "ews/ews.h"
#include "ews/cli.h"

/* Ask for the new ids (ReturnNewItemIds true): nonzero, or 0 when out of memory. The element came with Exchange
 * 2010 SP1: bindings from an older set (Exchange2007_SP1) cannot send it, and print a new id only when the server
 * sends one anyway. MoveItem and CopyItem share it (BaseMoveCopyItemType). */
#ifdef EWS_HAS_ewsmsg__BaseMoveCopyItemType_ReturnNewItemIds
#define EWS_TRANSFER_ASK_NEW_IDS(arena, req) \
	(((req)->ReturnNewItemIds = soap_new_xsd__boolean((arena), 1)) && (*(req)->ReturnNewItemIds = xsd__boolean__true_, 1))
#else
#define EWS_TRANSFER_ASK_NEW_IDS(arena, req) 1
#endif

struct transfer_kind {
	const char *prog;       /* "ews-move-items"                                          */
	const char *verb;       /* "Move", for the help                                     */
	const char *done;       /* "moved": output lines, JSON type and summary key         */
	const char *operation;  /* "MoveItem"                                                */
	const char *note;       /* appended to the help's "one failure does not stop the rest" */
	/* One batch: ids to the folder, with ReturnNewItemIds where the bindings have it; *msgs the response messages. */
	ews_status (*call)(ews_client *c, struct soap *arena, struct ewstype__NonEmptyArrayOfBaseItemIdsType *ids,
			   struct ewstype__TargetFolderIdType *to, const struct ewsmsg__ArrayOfResponseMessagesType **msgs);
};

static void usage(const struct transfer_kind *k, FILE *f)
{
	fprintf(f, "usage: %s --to FOLDER [options] [ID...]\n"
		"%s items to a folder (%s), BATCH ids per call. Without ids on the command line (or with \"-\")\n"
		"they are read from stdin: one per line, or the JSON lines of ews-find-items --json (their \"id\").\n"
		"Each item is reported on its own with its new id; one failure does not stop the rest%s.\n\n"
		"  --to FOLDER    the destination: distinguished name, display-name path (\"inbox/Projects\") or id\n"
		"  --batch N      ids per %s call, 1..1000 (default 100)\n\n"
		"example: ews-find-items --folder inbox --max 10 --json | %s --to inbox/Projects\n\n",
		k->prog, k->verb, k->operation, k->note, k->operation, k->prog);
	fputs(EWS_CLI_COMMON_HELP, f);
}

/* ews_cli_parse's --help takes only the stream: the tool's kind is set before it is called */
static const struct transfer_kind *the_kind;
static void usage_of_the_kind(FILE *f)
{
	usage(the_kind, f);
}

/* The id of the first item in a MoveItem/CopyItem response message (the new id), or NULL when the server sent none. */
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
static int report(const struct transfer_kind *k, const ews_cli *cli, const char *id, const ews_response_message *m)
{
	int failed = m->response_class == EWS_RESPONSE_ERROR;
	const char *nid = failed ? NULL : new_id(m);
	if (cli->json) {
		printf("{\"type\":\"%s\",\"ok\":%s,\"id\":", k->done, failed ? "false" : "true");
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
		fprintf(stderr, "%s: %s: %s [%s]\n", k->prog, id, m->message_text ? m->message_text : "error",
			m->response_code);
	} else {
		printf("%s %s -> %s\n", k->done, id, nid ? nid : "(the server returned no new id)");
	}
	return failed;
}

static int transfer_main(const struct transfer_kind *k, int argc, char **argv)
{
	const char *to = NULL, *target;
	char **ids = NULL;
	int nids = 0, nargs, from_stdin = 0, rc = EWS_EXIT_OK, failed = 0, moved = 0, batches = 0;  /* moved: or copied */
	long batch = 100;
	ews_cli cli;
	ews_client *c;
	ews_status st = ews_cli_init(&cli, k->prog);

	if (!ews_ok(st))
		return ews_cli_error(&cli, "environment", st);
	the_kind = k;
	const ews_cli_opt opts[] = { { "--to", .value = &to }, { "--batch", .number = &batch, .lo = 1, .hi = 1000 },
				     { NULL } };
	if ((rc = ews_cli_parse(&cli, argc, argv, opts, usage_of_the_kind, &nargs)) >= 0)
		return rc;
	for (int i = 0; i < nargs; i++)         /* ids collected in place; "-" is stdin's */
		if (!strcmp(argv[i], "-"))
			from_stdin = 1;
		else
			argv[nids++] = argv[i];
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
		struct ewstype__NonEmptyArrayOfBaseItemIdsType *item_ids = ews_item_ids_new(a, list + start, n);
		struct ewstype__TargetFolderIdType *to_folder = ews_cli_target_folder(a, dest);
		const struct ewsmsg__ArrayOfResponseMessagesType *msgs = NULL;
		if (!item_ids || !to_folder) {
			rc = ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
			break;
		}
		st = k->call(c, a, item_ids, to_folder, &msgs);
		batches++;
		if (!ews_ok(st) && st.code != EWS_ERR_RESPONSE) {   /* the whole batch failed: stop, say how far */
			rc = ews_cli_error(&cli, k->operation, st);
			break;
		}
		/* one ResponseMessage per id, in order */
		for (int i = 0; i < n; i++) {
			ews_response_message m;
			if (i >= ews_response_messages_count(msgs) || ews_response_messages_get(msgs, i, &m)) {
				m = (ews_response_message){ .response_class = EWS_RESPONSE_ERROR,
							    .response_code = "ErrorInternalServerError",
							    .message_text = "no response message for this id" };
			}
			if (report(k, &cli, list[start + i], &m))
				failed++;
			else
				moved++;
		}
	}
	int done = moved + failed, interrupted = *stop && done < nids;
	if (cli.json)
		printf("{\"type\":\"summary\",\"ok\":%s,\"%s\":%d,\"failed\":%d,\"not_tried\":%d,\"batches\":%d,"
		       "\"interrupted\":%s}\n", !failed && done == nids ? "true" : "false", k->done, moved, failed, nids - done,
		       batches, interrupted ? "true" : "false");
	else
		fprintf(stderr, "%s: %d %s, %d failed, %d not tried%s\n", k->prog, moved, k->done, failed, nids - done,
			interrupted ? " (interrupted)" : "");
	ews_client_free(c);
	ews_cli_free_ids(ids, ids ? nids : 0);
	free(dest);
	if (rc)
		return rc;
	return failed || done < nids ? EWS_EXIT_PARTIAL : EWS_EXIT_OK;
}
