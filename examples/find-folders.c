/* <DESC> ews-find-folders: paged FindFolder, Shallow or Deep </DESC>
 *
 *   ews-find-folders [--folder NAME|ID] [--deep] [--page-size N] [--json]
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
	      "  --folder NAME|ID   where to start: distinguished name or folder id (default msgfolderroot)\n"
	      "  --deep             the whole subtree (Traversal Deep); default: direct children only\n"
	      "  --page-size N      folders per FindFolder call (default 50)\n\n"
	      "example: ews-find-folders --deep --url http://127.0.0.1:8080/EWS/Exchange.asmx --user me@example.com\n\n",
	      f);
	fputs(EWS_CLI_COMMON_HELP, f);
}

int main(int argc, char **argv)
{
	const char *folder = "msgfolderroot";
	int deep = 0, page_size = 50, rc, count = 0;
	ews_cli cli;
	ews_client *c;
	ews_status st = ews_cli_init(&cli, "ews-find-folders");

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
		} else if (!strcmp(a, "--folder") && v) {
			folder = argv[++i];
		} else if (!strcmp(a, "--deep")) {
			deep = 1;
		} else if (!strcmp(a, "--page-size") && v && (page_size = atoi(argv[++i])) > 0 && page_size <= 1000) {
		} else {
			fprintf(stderr, "ews-find-folders: bad option or value: %s\n", a);
			usage(stderr);
			return EWS_EXIT_USAGE;
		}
	}
	if ((rc = ews_cli_connect(&cli, &c)))
		return rc;

	ews_pager *p = NULL;
	ews_folder_view f;
	st = ews_pager_new_folders(c, &(ews_pager_options){ .folder = folder, .deep = deep, .page_size = page_size }, &p);
	while (ews_ok(st) && ews_ok(st = ews_pager_next_folder(p, &f)) && f.id) {
		count++;
		if (cli.json) {
			printf("{\"type\":\"folder\",\"id\":");
			ews_cli_json_string(stdout, f.id);
			printf(",\"name\":");
			ews_cli_json_string(stdout, f.display_name);
			printf(",\"class\":");
			ews_cli_json_string(stdout, f.folder_class);
			printf(",\"total\":%d,\"children\":%d,\"unread\":%d}\n", f.total_count, f.child_folder_count,
			       f.unread_count);
		} else {
			printf("%-28s %6d items %3d subfolders\n", f.display_name ? f.display_name : "?",
			       f.total_count > 0 ? f.total_count : 0, f.child_folder_count > 0 ? f.child_folder_count : 0);
		}
	}
	if (!ews_ok(st))
		rc = ews_cli_error(&cli, NULL, st);
	else if (cli.json)
		printf("{\"type\":\"summary\",\"folders\":%d,\"pages\":%d}\n", count, ews_pager_pages(p));
	else
		printf("%d folder%s\n", count, count == 1 ? "" : "s");
	ews_pager_free(p);
	ews_client_free(c);
	return rc;
}
