/* <DESC> ews-upload-items: UploadItems a directory written by ews-export-items back into a folder </DESC>
 *
 *   ews-upload-items --dir DIR --folder NAME|ID [--create-new | --update | --update-or-create] [--batch N] [--json]
 *
 * Reads DIR/manifest.tsv and sends each listed file's bytes as the item Data. CreateNew makes new items (new
 * ids); Update overwrites the item with the id recorded in the manifest; UpdateOrCreate does whichever applies.
 * Prints the resulting item id per file; per-item errors do not stop the batch. ews/export.h does the work.
 * Build alone: cc upload-items.c $(pkg-config --cflags --libs libews)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews/ews.h"
#include "ews/cli.h"
#include "ews/export.h"

static void usage(FILE *f)
{
	fputs("usage: ews-upload-items --dir DIR --folder NAME|ID [options]\n"
	      "Upload the items of an ews-export-items directory into a folder (UploadItems).\n\n"
	      "  --dir DIR             directory with manifest.tsv and the item files\n"
	      "  --folder NAME|ID      target folder (distinguished name or folder id)\n"
	      "  --create-new          new items (default)\n"
	      "  --update              overwrite the items whose ids the manifest records\n"
	      "  --update-or-create    update when the item still exists, else create\n"
	      "  --batch N             items per UploadItems call (default 20)\n\n"
	      "example: ews-upload-items --dir backup/inbox --folder inbox --update-or-create\n\n", f);
	fputs(EWS_CLI_COMMON_HELP, f);
}

int main(int argc, char **argv)
{
	ews_upload_action action = EWS_UPLOAD_CREATE_NEW;
	const char *dir = NULL, *folder = NULL;
	int batch = 20, rc, failed = 0, uploaded = 0;
	char path[4200], line[8192];
	ews_cli cli;
	ews_client *c;
	ews_status st = ews_cli_init(&cli, "ews-upload-items");

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
		} else if (!strcmp(a, "--dir") && v) {
			dir = argv[++i];
		} else if (!strcmp(a, "--folder") && v) {
			folder = argv[++i];
		} else if (!strcmp(a, "--create-new")) {
			action = EWS_UPLOAD_CREATE_NEW;
		} else if (!strcmp(a, "--update")) {
			action = EWS_UPLOAD_UPDATE;
		} else if (!strcmp(a, "--update-or-create")) {
			action = EWS_UPLOAD_UPDATE_OR_CREATE;
		} else if (!strcmp(a, "--batch") && v && (batch = atoi(argv[++i])) >= 1 && batch <= 500) {
		} else {
			fprintf(stderr, "ews-upload-items: bad option or value: %s\n", a);
			usage(stderr);
			return EWS_EXIT_USAGE;
		}
	}
	if (!dir || !folder) {
		fprintf(stderr, "ews-upload-items: --dir DIR and --folder NAME|ID are required\n");
		return EWS_EXIT_USAGE;
	}
	snprintf(path, sizeof path, "%s/manifest.tsv", dir);
	FILE *mf = fopen(path, "r");
	if (!mf)
		return ews_cli_error(&cli, path, ews_status_make(EWS_ERR_NOT_FOUND, "no manifest (is this an "
									   "ews-export-items directory?)"));
	if ((rc = ews_cli_connect(&cli, &c))) {
		fclose(mf);
		return rc;
	}
	ews_upload_item *items = calloc((size_t)batch, sizeof *items);
	char *names[500];
	for (int eof = 0, n = 0; !eof && !rc && items;) {
		/* a batch from the manifest: FILE \t ITEM ID \t CHANGE KEY \t BYTES */
		while (n < batch && !(eof = !fgets(line, sizeof line, mf))) {
			char *id = strchr(line, '\t'), *end;
			if (line[0] == '#' || !id)
				continue;
			*id++ = '\0';
			if ((end = strchr(id, '\t')))
				*end = '\0';
			names[n] = malloc(strlen(dir) + strlen(line) + 2);
			items[n].item_id = strdup(id);
			if (!names[n] || !items[n].item_id) {
				free(names[n]);
				rc = ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
				break;
			}
			sprintf(names[n], "%s/%s", dir, line);
			items[n].path = names[n];
			items[n].parent_folder_id = folder;     /* a distinguished name is resolved by the helper */
			items[n].action = action;
			n++;
		}
		ews_transfer_result *res = NULL;
		if (n && !rc) {
			st = ews_upload_items_from_files(c, items, (size_t)n, &(ews_transfer_options){ .batch_size = n }, &res);
			/* per-item failures are reported per item; a failure of the whole request once, then stop */
			int whole = !ews_ok(st) && st.code != EWS_ERR_RESPONSE && st.code != EWS_ERR_IO &&
				    st.code != EWS_ERR_NOT_FOUND && st.code != EWS_ERR_TOO_LARGE;
			for (int k = 0; res && k < n; k++) {
				const char *file = strrchr(names[k], '/') + 1;
				if (!ews_ok(res[k].status)) {
					failed++;
					whole |= res[k].status.code == EWS_ERR_CANCELLED;   /* not attempted */
					if (!whole)
						ews_cli_error(&cli, file, res[k].status);
				} else if (uploaded++, cli.json) {
					printf("{\"type\":\"uploaded\",\"ok\":true,\"file\":\"%s\",\"id\":", file);
					ews_cli_json_string(stdout, res[k].id);
					printf("}\n");
				} else {
					printf("%s -> %s\n", file, res[k].id ? res[k].id : "(no id returned)");
				}
			}
			ews_transfer_results_free(res, (size_t)n);
			if (whole)
				rc = ews_cli_error(&cli, "stopped", st);
			else if (!uploaded && failed == n && n > 1)   /* a wrong --folder or server: no point going on */
				rc = ews_cli_error(&cli, "stopped: no item of the first batch went in", st);
		}
		for (int k = 0; k < n; k++) {
			free(names[k]);
			free((char *)items[k].item_id);
		}
		n = 0;
	}
	if (!items)
		rc = ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
	free(items);
	fclose(mf);
	if (cli.json)
		printf("{\"type\":\"summary\",\"ok\":%s,\"uploaded\":%d,\"failed\":%d}\n", rc || failed ? "false" : "true",
		       uploaded, failed);
	else
		printf("%d uploaded, %d failed\n", uploaded, failed);
	ews_client_free(c);
	return rc ? rc : failed ? EWS_EXIT_PARTIAL : EWS_EXIT_OK;
}
