/* <DESC> ews-upload-items: UploadItems a directory written by ews-export-items back into a folder </DESC>
 *
 *   ews-upload-items --dir DIR --folder FOLDER [--create-new | --update | --update-or-create] [--batch N] [--json]
 *
 * Reads DIR/manifest.tsv and sends each listed file's bytes as the item Data. CreateNew makes new items (new
 * ids); Update overwrites the item with the id recorded in the manifest; UpdateOrCreate does whichever applies.
 * Prints the resulting item id per file; per-item errors do not stop the batch. ews/export.h does the work.
 * On a terminal a progress bar runs on stderr; Ctrl-C stops after the batch in flight, with the summary.
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
	fputs("usage: ews-upload-items --dir DIR --folder FOLDER [options]\n"
	      "Upload the items of an ews-export-items directory into a folder (UploadItems).\n"
	      "Ctrl-C stops after the batch in flight and prints the summary (exit 1, interrupted).\n\n"
	      "  --dir DIR             directory with manifest.tsv and the item files\n"
	      "  --folder FOLDER       target folder: distinguished name, display-name path or folder id\n"
	      "  --create-new          new items (default)\n"
	      "  --update              overwrite the items whose ids the manifest records\n"
	      "  --update-or-create    update when the item still exists, else create\n"
	      "  --batch N             items per UploadItems call, 1..500 (default 20)\n\n"
	      "example: ews-upload-items --dir backup/inbox --folder inbox --update-or-create\n\n", f);
	fputs(EWS_CLI_COMMON_HELP, f);
}

int main(int argc, char **argv)
{
	ews_upload_action action = EWS_UPLOAD_CREATE_NEW;
	const char *dir = NULL, *folder = NULL;
	int batch = 20, rc, failed = 0, uploaded = 0;
	long n_arg, total = 0, done = 0;
	char path[4200], line[8192];
	ews_cli cli;
	ews_client *c;
	ews_status st = ews_cli_init(&cli, "ews-upload-items");

	if (!ews_ok(st))
		return ews_cli_error(&cli, "environment", st);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int r = ews_cli_flag(&cli, argc, argv, &i);
		if (r != EWS_CLI_NOT_MINE) {
			if (r == EWS_CLI_TAKEN)
				continue;
			return r == EWS_CLI_DONE ? EWS_EXIT_OK : EWS_EXIT_USAGE;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return EWS_EXIT_OK;
		} else if (!strcmp(a, "--dir")) {
			if (!(dir = ews_cli_value(&cli, argc, argv, &i)))
				return EWS_EXIT_USAGE;
		} else if (!strcmp(a, "--folder")) {
			if (!(folder = ews_cli_value(&cli, argc, argv, &i)))
				return EWS_EXIT_USAGE;
		} else if (!strcmp(a, "--create-new")) {
			action = EWS_UPLOAD_CREATE_NEW;
		} else if (!strcmp(a, "--update")) {
			action = EWS_UPLOAD_UPDATE;
		} else if (!strcmp(a, "--update-or-create")) {
			action = EWS_UPLOAD_UPDATE_OR_CREATE;
		} else if (!strcmp(a, "--batch")) {
			if (ews_cli_int(&cli, a, v, 1, 500, &n_arg))
				return EWS_EXIT_USAGE;
			batch = (int)n_arg;
			i++;
		} else {
			return ews_cli_usage_error(&cli, "%s %s", a[0] == '-' ? "unknown option" : "unexpected operand", a);
		}
	}
	if (!dir || !folder)
		return ews_cli_usage_error(&cli, "--dir DIR and --folder FOLDER are required");
	if (snprintf(path, sizeof path, "%s/manifest.tsv", dir) >= (int)sizeof path)
		return ews_cli_usage_error(&cli, "--dir: path too long");
	FILE *mf = fopen(path, "r");
	if (!mf)
		return ews_cli_file_error(&cli, path, ews_status_make(EWS_ERR_NOT_FOUND, "no manifest (is this an "
									       "ews-export-items directory?)"));
	/* the progress bar's total: the manifest's item lines */
	while (fgets(line, sizeof line, mf))
		total += line[0] != '#' && strchr(line, '\t');
	rewind(mf);
	if ((rc = ews_cli_connect(&cli, &c)) || (rc = ews_cli_resolve_folder(&cli, c, folder, &folder))) {
		ews_client_free(c);
		fclose(mf);
		return rc;
	}
	volatile int *stop = ews_cli_catch_interrupts();
	ews_upload_item *items = calloc((size_t)batch, sizeof *items);
	char *names[500];
	for (int eof = 0, n = 0; !eof && !rc && items && !*stop;) {
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
					printf("{\"type\":\"uploaded\",\"ok\":true,\"file\":");
					ews_cli_json_string(stdout, file);   /* the manifest's name: any text */
					printf(",\"id\":");
					ews_cli_json_string(stdout, res[k].id);
					printf("}\n");
				} else {
					printf("%s -> %s\n", file, res[k].id ? res[k].id : "(no id returned)");
				}
			}
			ews_transfer_results_free(res, (size_t)n);
			done += n;
			ews_cli_progress(&cli, done, total, "uploading");
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
	ews_cli_progress(&cli, -1, 0, NULL);
	if (!items)
		rc = ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
	free(items);
	fclose(mf);
	/* interrupted only if work was left: a signal after the last batch changes nothing */
	int interrupted = *stop && done < total;
	if (interrupted && !rc)
		fprintf(stderr, "ews-upload-items: interrupted after %ld of %ld items; the rest was not uploaded\n", done,
			total);
	if (cli.json)
		printf("{\"type\":\"summary\",\"ok\":%s,\"uploaded\":%d,\"failed\":%d,\"interrupted\":%s}\n",
		       rc || failed || interrupted ? "false" : "true", uploaded, failed, interrupted ? "true" : "false");
	else
		printf("%d uploaded, %d failed%s\n", uploaded, failed, interrupted ? ", interrupted" : "");
	ews_client_free(c);
	return rc ? rc : failed || interrupted ? EWS_EXIT_PARTIAL : EWS_EXIT_OK;
}
