/* <DESC> ews-resolve-names: look a name or address up in the directory and the contacts folder (ResolveNames);
 * one line per candidate </DESC>
 *
 *   ews-resolve-names [--scope directory|contacts|directory-contacts|contacts-directory] [--folder FOLDER]
 *                     [--no-contact-data] [--shape IdOnly|Default|AllProperties] [--json] NAME...
 *
 * Each NAME is resolved on its own (ews_names_resolve, ews/people.h); "SMTP:addr" matches that address only.
 * Several candidates are all printed (Exchange's ErrorNameResolutionMultipleResults warning: "ambiguous" in
 * --json); no match is an error line. Exit 0 when every name matched, 1 when one did not.
 * Build alone: cc resolve-names.c $(pkg-config --cflags --libs libews)
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
	fputs("usage: ews-resolve-names [options] NAME...\n"
	      "Resolve names or addresses to mailboxes, contacts and distribution lists (ResolveNames).\n\n"
	      "  --scope SCOPE        directory, contacts, directory-contacts (default), contacts-directory\n"
	      "  --folder FOLDER      the contacts folder searched (id or distinguished name; default contacts)\n"
	      "  --no-contact-data    ReturnFullContactData=false: no contact part\n"
	      "  --shape SHAPE        ContactDataShape: IdOnly, Default, AllProperties\n\n"
	      "examples: ews-resolve-names sadie\n"
	      "          ews-resolve-names --json SMTP:user2@example.com\n\n", f);
	fputs(EWS_CLI_COMMON_HELP, f);
}

static void json_field(const char *key, const char *v)
{
	if (!v)
		return;
	printf(",\"%s\":", key);
	ews_cli_json_string(stdout, v);
}

static void print(const ews_cli *cli, const char *name, const ews_resolutions *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const ews_resolution *v = &r->v[i];
		if (!cli->json) {
			printf("%s\t%s\t%s\t%s\n", v->mailbox.name ? v->mailbox.name : "",
			       v->mailbox.email ? v->mailbox.email : "", v->mailbox.mailbox_type ? v->mailbox.mailbox_type : "",
			       v->mailbox.item_id ? v->mailbox.item_id : "");
			continue;
		}
		printf("{\"type\":\"resolution\",\"query\":");
		ews_cli_json_string(stdout, name);
		printf(",\"ambiguous\":%s,\"total\":%d", r->ambiguous ? "true" : "false", r->total);
		json_field("name", v->mailbox.name);
		json_field("email", v->mailbox.email);
		json_field("routing_type", v->mailbox.routing_type);
		json_field("mailbox_type", v->mailbox.mailbox_type);
		json_field("item_id", v->mailbox.item_id);
		if (v->has_contact) {
			printf(",\"contact\":{\"display_name\":");
			ews_cli_json_string(stdout, v->display_name ? v->display_name : "");
			json_field("given_name", v->given_name);
			json_field("surname", v->surname);
			json_field("source", v->contact_source);
			printf(",\"emails\":[");
			for (size_t k = 0; k < v->n_emails; k++) {
				if (k)
					putchar(',');
				ews_cli_json_string(stdout, v->emails[k]);
			}
			printf("]}");
		}
		printf("}\n");
	}
}

int main(int argc, char **argv)
{
	static const char *const scopes[] = { "directory-contacts", "directory", "contacts", "contacts-directory" };
	ews_resolve_options opt = { 0 };
	int n = 0, rc, failed = 0;
	ews_cli cli;
	ews_client *c = NULL;
	ews_status st = ews_cli_init(&cli, "ews-resolve-names");

	if (!ews_ok(st))
		return ews_cli_error(&cli, "environment", st);
	const char *scope = NULL;
	const ews_cli_opt opts[] = { { "--scope", .value = &scope }, { "--folder", .value = &opt.contacts_folder },
				     { "--shape", .value = &opt.contact_shape },
				     { "--no-contact-data", .on = &opt.no_full_contact_data, .set = 1 }, { NULL } };
	if ((rc = ews_cli_parse(&cli, argc, argv, opts, usage, &n)) >= 0)
		return rc;
	if (scope) {
		int k = 0;
		while (k < 4 && strcmp(scopes[k], scope))
			k++;
		if (k == 4)
			return ews_cli_usage_error(&cli, "unknown scope %s (directory, contacts, directory-contacts, "
						   "contacts-directory)", scope);
		opt.scope = (ews_resolve_scope)k;
	}
	if (!n)
		return ews_cli_usage_error(&cli, "give at least one NAME");
	if ((rc = ews_cli_connect(&cli, &c)))
		return rc;
	for (int k = 0; k < n; k++) {
		ews_resolutions *r = NULL;
		st = ews_names_resolve(c, argv[k], &opt, &r);
		if (ews_ok(st)) {
			print(&cli, argv[k], r);
		} else if (st.code == EWS_ERR_RESPONSE) {
			failed++, ews_cli_error(&cli, argv[k], st);
		} else {
			rc = ews_cli_error(&cli, argv[k], st);   /* the exchange itself failed: stop */
			ews_resolutions_free(r);
			ews_client_free(c);
			return rc;
		}
		ews_resolutions_free(r);
	}
	ews_client_free(c);
	return failed ? EWS_EXIT_PARTIAL : EWS_EXIT_OK;
}
