/* <DESC> ews-find-folders: paged FindFolder, Shallow or Deep </DESC>
 *
 *   ews-find-folders [--folder NAME|ID] [--deep] [--page-size N] [--json]
 *
 * Lists the folders under a folder, IndexedPageFolderView pages of N until IncludesLastItemInRange.
 * Build alone: cc find-folders.c $(pkg-config --cflags --libs libews)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews/ews.h"
#include "ews/cli.h"

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

	struct soap *a = ews_client_arena(c);
	struct ewsmsg__FindFolderType *req = soap_new_ewsmsg__FindFolderType(a, 1);
	struct ewstype__IndexedPageViewType *view = soap_new_ewstype__IndexedPageViewType(a, 1);
	if (!req || !view || !(req->FolderShape = soap_new_ewstype__FolderResponseShapeType(a, 1)) ||
	    !(view->MaxEntriesReturned = soap_new_int(a, 1)) || !(req->ParentFolderIds = ews_cli_folder_ids(a, folder))) {
		ews_client_free(c);
		return ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
	}
	req->FolderShape->BaseShape = ewstype__DefaultShapeNamesType__Default;
	req->Traversal = deep ? ewstype__FolderQueryTraversalType__Deep : ewstype__FolderQueryTraversalType__Shallow;
	req->__union_FindFolderType = SOAP_UNION__ewsmsg__union_FindFolderType_IndexedPageFolderView;
	req->union_FindFolderType.IndexedPageFolderView = view;
	*view->MaxEntriesReturned = page_size;

	for (int last = 0; !last;) {
		struct __ewsmsg__FindFolderResponse resp;
		ews_response_message m;

		st = ews_find_folder(c, req, &resp);
		if (!ews_ok(st) || ews_response_messages_get(ews_response_messages_of("FindFolder", &resp), 0, &m)) {
			rc = ews_cli_error(&cli, NULL, ews_ok(st) ? ews_status_make(EWS_ERR_XML, "no response") : st);
			break;
		}
		const struct ewstype__FindFolderParentType *root =
			((const struct ewsmsg__FindFolderResponseMessageType *)m.message)->RootFolder;
		const struct ewstype__ArrayOfFoldersType *folders = root ? root->Folders : NULL;
		int n = folders ? folders->__size_ArrayOfFoldersType : 0;
		for (int k = 0; k < n; k++, count++) {
			/* CalendarFolder, ContactsFolder ... all start with FolderType's members */
			const struct ewstype__FolderType *f =
				folders->__union_ArrayOfFoldersType[k].union_ArrayOfFoldersType.Folder;
			if (cli.json) {
				printf("{\"type\":\"folder\",\"id\":");
				ews_cli_json_string(stdout, f->FolderId ? f->FolderId->Id : NULL);
				printf(",\"name\":");
				ews_cli_json_string(stdout, f->DisplayName);
				printf(",\"class\":");
				ews_cli_json_string(stdout, f->FolderClass);
				printf(",\"total\":%d,\"children\":%d}\n", f->TotalCount ? *f->TotalCount : -1,
				       f->ChildFolderCount ? *f->ChildFolderCount : -1);
			} else {
				printf("%-28s %-16s %6d items %3d subfolders\n", f->DisplayName ? f->DisplayName : "?",
				       f->FolderClass ? f->FolderClass : "", f->TotalCount ? *f->TotalCount : 0,
				       f->ChildFolderCount ? *f->ChildFolderCount : 0);
			}
		}
		last = !root || !root->IncludesLastItemInRange || *root->IncludesLastItemInRange == xsd__boolean__true_ ||
		       n == 0;
		view->Offset = root && root->IndexedPagingOffset ? *root->IndexedPagingOffset : view->Offset + n;
	}
	if (!rc) {
		if (cli.json)
			printf("{\"type\":\"summary\",\"folders\":%d}\n", count);
		else
			printf("%d folder%s\n", count, count == 1 ? "" : "s");
	}
	ews_client_free(c);
	return rc;
}
