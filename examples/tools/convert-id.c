/* <DESC> ews-convert-id: convert item/folder ids between the six EWS formats, through the server (ConvertId) or
 * offline, with the public-folder id fix </DESC>
 *
 *   ews-convert-id [--from FORMAT] --to FORMAT [--mailbox SMTP|GUID] [--offline] [--fix-public-folder] [--json] ID...
 *
 * Formats: EwsId, EwsLegacyId, EntryId, HexEntryId, StoreId, OwaId. Offline conversion decodes the id locally
 * (ews/ids.h); it needs the mailbox GUID to write an EwsId unless the source id carries it. Through the server,
 * ews_convert_ids (ews/convert.h) sends one ConvertId for all ids and gives one result each.
 * Build alone: cc convert-id.c $(pkg-config --cflags --libs libews)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews/ews.h"
#include "ews/cli.h"
#include "ews/convert.h"

static void usage(FILE *f)
{
	fputs("usage: ews-convert-id [--from FORMAT] --to FORMAT [options] ID...\n"
	      "Convert ids: EwsId, EwsLegacyId, EntryId, HexEntryId, StoreId, OwaId.\n\n"
	      "  --from FORMAT        format of the given ids (default EwsId)\n"
	      "  --to FORMAT          wanted format\n"
	      "  --mailbox SMTP|GUID  the mailbox the ids belong to (server: SMTP, default --user;\n"
	      "                       offline: GUID for EwsId, SMTP for EwsLegacyId)\n"
	      "  --offline            convert locally, no server needed\n"
	      "  --fix-public-folder  apply the ConvertId public-folder fix to the result (EntryId, HexEntryId,\n"
	      "                       StoreId: message type 7 -> public message 9, public store GUID)\n\n"
	      "examples: ews-convert-id --offline --to HexEntryId AAMkAGI3...\n"
	      "          ews-convert-id --to OwaId --mailbox me@example.com AAMkAGI3...\n\n", f);
	fputs(EWS_CLI_COMMON_HELP, f);
}

static void print_result(const ews_cli *cli, const char *in, const char *out, ews_id_format to, int fixed)
{
	if (cli->json) {
		printf("{\"type\":\"id\",\"ok\":true,\"source\":");
		ews_cli_json_string(stdout, in);
		printf(",\"format\":\"%s\",\"id\":", ews_id_format_name(to));
		ews_cli_json_string(stdout, out);
		printf(",\"public_folder_fixed\":%s}\n", fixed ? "true" : "false");
	} else {
		printf("%s\n", out);
	}
}

/* The fix, when asked for and applicable; takes ownership of *id (malloc'd). */
static ews_status maybe_fix(int fix, ews_id_format to, char **id, int *fixed)
{
	char *out;
	ews_status st;
	*fixed = 0;
	if (!fix)
		return ews_status_ok();
	st = ews_id_fix_public_folder_entry_id(*id, to, &out, fixed);
	if (ews_ok(st)) {
		free(*id);
		*id = out;
	}
	return st;
}

int main(int argc, char **argv)
{
	const char *from_name = "EwsId", *to_name = NULL, *mailbox = NULL;
	int offline = 0, fix = 0, nids = 0, rc, failed = 0;
	ews_id_format from, to;
	ews_cli cli;
	ews_client *c = NULL;
	ews_status st = ews_cli_init(&cli, "ews-convert-id");

	if (!ews_ok(st))
		return ews_cli_error(&cli, "environment", st);
	const ews_cli_opt opts[] = { { "--from", .value = &from_name }, { "--to", .value = &to_name },
				     { "--mailbox", .value = &mailbox }, { "--offline", .on = &offline, .set = 1 },
				     { "--fix-public-folder", .on = &fix, .set = 1 }, { NULL } };
	if ((rc = ews_cli_parse(&cli, argc, argv, opts, usage, &nids)) >= 0)
		return rc;
	if (!nids || !to_name || !ews_ok(ews_id_format_from_name(from_name, &from)) ||
	    !ews_ok(ews_id_format_from_name(to_name, &to))) {
		return ews_cli_usage_error(&cli, "give --to FORMAT and ids; formats are EwsId, EwsLegacyId, EntryId, "
					   "HexEntryId, StoreId, OwaId (exact case)");
	}

	if (offline) {
		for (int k = 0; k < nids; k++) {
			char *out = NULL;
			int fixed = 0;
			st = ews_id_convert(argv[k], from, to, mailbox, &out);
			if (ews_ok(st))
				st = maybe_fix(fix, to, &out, &fixed);
			if (ews_ok(st))
				print_result(&cli, argv[k], out, to, fixed);
			else
				failed++, ews_cli_error(&cli, argv[k], st);
			free(out);
		}
		return failed ? EWS_EXIT_PARTIAL : EWS_EXIT_OK;
	}

	if (!mailbox)
		mailbox = cli.opt.impersonate ? cli.opt.impersonate : cli.opt.user;
	if (!mailbox || !strchr(mailbox, '@')) {
		fprintf(stderr, "ews-convert-id: ConvertId needs the mailbox's SMTP address: --mailbox SMTP\n");
		return EWS_EXIT_USAGE;
	}
	if ((rc = ews_cli_connect(&cli, &c)))
		return rc;
	ews_alternate_id *src = calloc((size_t)nids, sizeof *src);
	ews_convert_result *res = NULL;
	if (!src) {
		ews_client_free(c);
		return ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
	}
	for (int k = 0; k < nids; k++)
		src[k] = (ews_alternate_id){ .id = argv[k], .format = from, .mailbox = mailbox, .public_folder = fix };
	st = ews_convert_ids(c, src, (size_t)nids, to, &res);
	if (!ews_ok(st) && st.code != EWS_ERR_RESPONSE) {
		rc = ews_cli_error(&cli, NULL, st);        /* the request failed as a whole */
	} else {
		for (int k = 0; res && k < nids; k++) {
			if (ews_ok(res[k].status))
				print_result(&cli, argv[k], res[k].id, to, res[k].fixed);
			else
				failed++, ews_cli_error(&cli, argv[k], res[k].status);
		}
		rc = failed ? EWS_EXIT_PARTIAL : EWS_EXIT_OK;
	}
	ews_convert_results_free(res, (size_t)nids);
	free(src);
	ews_client_free(c);
	return rc;
}
