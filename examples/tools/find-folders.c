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
	int deep = 0, rc, count = 0, nargs;
	long page_size = 50;
	ews_cli cli;
	ews_client *c;
	ews_status st = ews_cli_init(&cli, "ews-find-folders");

	if (!ews_ok(st))
		return ews_cli_error(&cli, "environment", st);
	const ews_cli_opt opts[] = { EWS_CLI_ARCHIVE_OPT(cli), { "--folder", .value = &folder },
				     { "--deep", .on = &deep, .set = 1 },
				     { "--page-size", .number = &page_size, .lo = 1, .hi = 1000 }, { NULL } };
	if ((rc = ews_cli_parse(&cli, argc, argv, opts, usage, &nargs)) >= 0 ||
	    (rc = ews_cli_no_operands(&cli, nargs, argv)) >= 0)
		return rc;
	if ((rc = ews_cli_connect(&cli, &c)))
		return rc;
	if ((rc = ews_cli_resolve_folder(&cli, c, folder, &folder))) {
		ews_client_free(c);
		return rc;
	}

	ews_pager *p = NULL;
	ews_folder_view f;
	st = ews_pager_new_folders(c, &(ews_pager_options){ .folder = folder, .deep = deep, .page_size = (int)page_size }, &p);
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
