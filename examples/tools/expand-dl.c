/* <DESC> ews-expand-dl: list the members of a distribution list (ExpandDL), by address or by the ItemId of a
 * private list </DESC>
 *
 *   ews-expand-dl [--json] ADDRESS
 *   ews-expand-dl [--json] --id ITEM_ID
 *
 * One line per member (name, address, mailbox type); nested lists are members, not expanded (as Exchange).
 * ews_dl_expand (ews/people.h) does the work.
 * Build alone: cc expand-dl.c $(pkg-config --cflags --libs libews)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews/ews.h"
#include "ews/cli.h"
#include "ews/people.h"

static void usage(FILE *f)
{
	fputs("usage: ews-expand-dl [options] ADDRESS | --id ITEM_ID\n"
	      "List the members of a distribution list (ExpandDL).\n\n"
	      "  --id ITEM_ID         a private distribution list of the mailbox, by its ItemId\n\n"
	      "examples: ews-expand-dl team@example.com\n"
	      "          ews-expand-dl --json --id AAMkAGI3...\n\n", f);
	fputs(EWS_CLI_COMMON_HELP, f);
}

static void json_field(const char *key, const char *v)
{
	if (!v)
		return;
	printf(",\"%s\":", key);
	ews_cli_json_string(stdout, v);
}

int main(int argc, char **argv)
{
	const char *address = NULL, *id = NULL;
	int rc;
	ews_cli cli;
	ews_client *c = NULL;
	ews_status st = ews_cli_init(&cli, "ews-expand-dl");

	if (!ews_ok(st))
		return ews_cli_error(&cli, "environment", st);
	const ews_cli_opt opts[] = { { "--id", .value = &id }, { NULL } };
	int n;
	if ((rc = ews_cli_parse(&cli, argc, argv, opts, usage, &n)) >= 0)
		return rc;
	if (n > 1)
		return ews_cli_usage_error(&cli, "one list at a time");
	if (n == 1)
		address = argv[0];
	if (!address == !id)
		return ews_cli_usage_error(&cli, "give an ADDRESS or --id ITEM_ID");
	if ((rc = ews_cli_connect(&cli, &c)))
		return rc;
	ews_dl_expansion *x = NULL;
	st = ews_dl_expand(c, address, id, &x);
	if (!ews_ok(st)) {
		rc = ews_cli_error(&cli, id ? id : address, st);
		ews_client_free(c);
		return rc;
	}
	for (size_t i = 0; i < x->n; i++) {
		const ews_mailbox_view *m = &x->members[i];
		if (!cli.json) {
			printf("%s\t%s\t%s\n", m->name ? m->name : "", m->email ? m->email : "",
			       m->mailbox_type ? m->mailbox_type : "");
			continue;
		}
		printf("{\"type\":\"member\"");
		json_field("name", m->name);
		json_field("email", m->email);
		json_field("routing_type", m->routing_type);
		json_field("mailbox_type", m->mailbox_type);
		json_field("item_id", m->item_id);
		printf("}\n");
	}
	if (cli.json)
		printf("{\"type\":\"summary\",\"members\":%zu,\"total\":%d,\"includes_last\":%s}\n", x->n, x->total,
		       x->includes_last ? "true" : "false");
	ews_dl_expansion_free(x);
	ews_client_free(c);
	return EWS_EXIT_OK;
}
