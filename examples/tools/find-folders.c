/* <DESC> ews-find-folders: paged FindFolder, Shallow or Deep </DESC>
 *
 *   ews-find-folders [--folder FOLDER] [--deep] [--page-size N] [--json]
 *
 * Lists the folders under a folder, IndexedPageFolderView pages of N (ews/pager.h does the paging).
 * Build alone: cc find-folders.c $(pkg-config --cflags --libs libews)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews/ews.h"
#include "ews/cli.h"
#include "ews/pager.h"

static void usage(FILE *f)
{
	fputs("usage: ews-find-folders [options]\n"
	      "List the folders under a folder (FindFolder with IndexedPageFolderView).\n\n"
	      "  --folder FOLDER    where to start: distinguished name, display-name path (\"Inbox/Projects\") or\n"
	      "                     folder id (default msgfolderroot, the top of the mailbox)\n"
	      "  --deep             the whole subtree (Traversal Deep); default: direct children only\n"
	      "  --page-size N      folders per FindFolder call, 1..1000 (default 50)\n\n"
	      "example: ews-find-folders --deep --url http://127.0.0.1:8080/EWS/Exchange.asmx --user me@example.com\n\n",
	      f);
	fputs(EWS_CLI_ARCHIVE_HELP, f);
	fputs(EWS_CLI_COMMON_HELP, f);
}

/* A count the server may leave out (-1): null in JSON, never a made-up number. */
static void json_count(const char *key, int n)
{
	if (n < 0)
		printf("%snull", key);
	else
		printf("%s%d", key, n);
}

int main(int argc, char **argv)
{
	const char *folder = "msgfolderroot";
	int deep = 0, page_size = 50, rc, count = 0;
	long n;
	ews_cli cli;
	ews_client *c;
	ews_status st = ews_cli_init(&cli, "ews-find-folders");

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
		} else if (ews_cli_archive_flag(&cli, a)) {
			;
		} else if (!strcmp(a, "--folder")) {
			if (!(folder = ews_cli_value(&cli, argc, argv, &i)))
				return EWS_EXIT_USAGE;
		} else if (!strcmp(a, "--deep")) {
			deep = 1;
		} else if (!strcmp(a, "--page-size")) {
			if (ews_cli_int(&cli, a, v, 1, 1000, &n))
				return EWS_EXIT_USAGE;
			page_size = (int)n;
			i++;
		} else {
			return ews_cli_usage_error(&cli, "%s %s", a[0] == '-' ? "unknown option" : "unexpected operand", a);
		}
	}
	if ((rc = ews_cli_connect(&cli, &c)))
		return rc;
	if ((rc = ews_cli_resolve_folder(&cli, c, folder, &folder))) {
		ews_client_free(c);
		return rc;
	}

	ews_pager *p = NULL;
	ews_folder_view f;
	st = ews_pager_new_folders(c, &(ews_pager_options){ .folder = folder, .deep = deep, .page_size = page_size }, &p);
	while (ews_ok(st) && ews_ok(st = ews_pager_next_folder(p, &f)) && f.id) {
		count++;
		if (cli.json) {
			printf("{\"type\":\"folder\",\"ok\":true,\"id\":");
			ews_cli_json_string(stdout, f.id);
			printf(",\"name\":");
			ews_cli_json_string(stdout, f.display_name);
			printf(",\"class\":");
			ews_cli_json_string(stdout, f.folder_class);
			json_count(",\"total\":", f.total_count);
			json_count(",\"children\":", f.child_folder_count);
			json_count(",\"unread\":", f.unread_count);
			printf("}\n");
		} else {
			printf("%-28s %6d items %3d subfolders\n", f.display_name ? f.display_name : "?",
			       f.total_count > 0 ? f.total_count : 0, f.child_folder_count > 0 ? f.child_folder_count : 0);
		}
	}
	if (!ews_ok(st))
		rc = ews_cli_error(&cli, NULL, st);
	else if (cli.json)
		printf("{\"type\":\"summary\",\"ok\":true,\"folders\":%d,\"pages\":%d}\n", count, ews_pager_pages(p));
	else
		printf("%d folder%s\n", count, count == 1 ? "" : "s");
	ews_pager_free(p);
	ews_client_free(c);
	return rc;
}
