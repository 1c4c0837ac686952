/* <DESC> ews-get-attachments: save every attachment of one or more items to files in a directory </DESC>
 *
 *   ews-get-attachments --dir DIR [--skip-inline] [--durable] [--json] ID...
 *
 * File attachments are written under their names (made safe, "NAME (2).EXT" when a name repeats or the file
 * exists), item attachments as NAME.xml. Each file is written to a temporary name and renamed, so nothing
 * half-written is ever left; a large attachment is held in memory once. All of this is ews_save_item_attachments
 * (ews/attachments.h); this program parses flags and prints.
 * Build alone: cc get-attachments.c $(pkg-config --cflags --libs libews)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ews/ews.h"
#include "ews/attachments.h"
#include "ews/cli.h"

static void usage(FILE *f)
{
	fputs("usage: ews-get-attachments --dir DIR [--skip-inline] [--durable] ID...\n"
	      "Save every attachment of the items ID... (GetItem, then one GetAttachment each) into DIR.\n"
	      "A file attachment keeps its name (characters a file name cannot have become '_'; \"NAME (2).EXT\" when\n"
	      "the name is taken); an item attachment is saved as NAME.xml (the attached item as the server sent it).\n"
	      "Each attachment is reported on its own; one failure does not stop the rest.\n\n"
	      "  --dir DIR        target directory (created when missing)\n"
	      "  --skip-inline    leave inline attachments (images embedded in the body) out\n"
	      "  --durable        fsync each file and the directory\n"
	      "  ID...            item ids (ews-find-items prints them)\n\n"
	      "example: ews-get-attachments --dir saved AAMkAGI3...\n\n", f);
	fputs(EWS_CLI_COMMON_HELP, f);
}

/* One line per attachment: "saved PATH (N bytes)" or JSON. */
static int report(const ews_cli *cli, const char *item, const ews_saved_attachment *a)
{
	if (!ews_ok(a->status) && !cli->json) {
		char what[512];
		snprintf(what, sizeof what, "%s: attachment '%s'", item, a->name);
		ews_cli_error(cli, what, a->status);
		return 1;
	}
	if (cli->json) {
		printf("{\"type\":\"attachment\",\"ok\":%s,\"item\":", ews_ok(a->status) ? "true" : "false");
		ews_cli_json_string(stdout, item);
		printf(",\"name\":");
		ews_cli_json_string(stdout, a->name);
		printf(",\"path\":");
		ews_cli_json_string(stdout, a->path);
		printf(",\"bytes\":%lld,\"inline\":%s,\"item_attachment\":%s,\"content_type\":", a->size,
		       a->is_inline ? "true" : "false", a->is_item ? "true" : "false");
		ews_cli_json_string(stdout, a->content_type);
		printf(",\"content_id\":");
		ews_cli_json_string(stdout, a->content_id);
		if (!ews_ok(a->status)) {
			printf(",\"error\":");
			ews_cli_json_string(stdout, a->status.message);
			printf(",\"response_code\":");
			ews_cli_json_string(stdout, a->status.response_code[0] ? a->status.response_code : NULL);
		}
		printf("}\n");
		return !ews_ok(a->status);
	}
	if (a->path)
		printf("saved %s (%lld bytes)\n", a->path, a->size);
	return 0;
}

int main(int argc, char **argv)
{
	const char *dir = NULL;
	int nids = 0, rc, failed = 0;
	ews_attachment_save_options opt = { 0 };
	ews_cli cli;
	ews_client *c;
	ews_status st = ews_cli_init(&cli, "ews-get-attachments");

	if (!ews_ok(st))
		return ews_cli_error(&cli, "environment", st);
	const ews_cli_opt opts[] = { { "--dir", .value = &dir }, { "--skip-inline", .on = &opt.skip_inline, .set = 1 },
				     { "--durable", .on = &opt.durable, .set = 1 }, { NULL } };
	if ((rc = ews_cli_parse(&cli, argc, argv, opts, usage, &nids)) >= 0)
		return rc;
	if (!dir || !*dir)
		return ews_cli_usage_error(&cli, "--dir DIR is required");
	if (!nids)
		return ews_cli_usage_error(&cli, "give the ids of the items whose attachments to save");
	if ((rc = ews_cli_connect(&cli, &c)))
		return rc;
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		rc = ews_cli_file_error(&cli, dir, ews_status_make(EWS_ERR_FILE, "cannot create the directory: %s",
								  strerror(errno)));
		ews_client_free(c);
		return rc;
	}
	for (int k = 0; k < nids; k++) {
		ews_saved_attachment *a = NULL;
		size_t n = 0;
		st = ews_save_item_attachments(c, argv[k], dir, &opt, &a, &n);
		for (size_t i = 0; i < n; i++)
			failed += report(&cli, argv[k], &a[i]);
		if (!ews_ok(st) && n == 0) {
			/* the item itself could not be listed, or the directory is unusable */
			rc = st.code == EWS_ERR_FILE ? ews_cli_file_error(&cli, dir, st) : ews_cli_error(&cli, argv[k], st);
			failed++;
			if (st.code != EWS_ERR_RESPONSE) {   /* the next item would fail the same way */
				ews_saved_attachments_free(a, n);
				break;
			}
		} else if (!ews_ok(st) && st.code != EWS_ERR_RESPONSE && st.code != EWS_ERR_FILE &&
			   st.code != EWS_ERR_UNSUPPORTED && st.code != EWS_ERR_XML) {
			ews_saved_attachments_free(a, n);
			rc = ews_cli_error(&cli, argv[k], st);
			break;
		}
		if (cli.json && n == 0 && ews_ok(st)) {
			printf("{\"type\":\"item\",\"ok\":true,\"attachments\":0,\"item\":");
			ews_cli_json_string(stdout, argv[k]);
			printf("}\n");
		}
		ews_saved_attachments_free(a, n);
	}
	ews_client_free(c);
	return rc ? rc : failed ? EWS_EXIT_PARTIAL : EWS_EXIT_OK;
}
