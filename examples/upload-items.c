/* <DESC> ews-upload-items: UploadItems a directory written by ews-export-items back into a folder </DESC>
 *
 *   ews-upload-items --dir DIR --folder NAME|ID [--create-new | --update | --update-or-create] [--batch N] [--json]
 *
 * Reads DIR/manifest.tsv and sends each listed file's bytes as the item Data. CreateNew makes new items (new
 * ids); Update overwrites the item with the id recorded in the manifest; UpdateOrCreate does whichever applies.
 * Prints the resulting item id per file; per-item errors do not stop the batch.
 * Build alone: cc upload-items.c $(pkg-config --cflags --libs libews)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews/ews.h"
#include "ews/cli.h"

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

/* UploadItems wants a real FolderId: GetFolder turns a distinguished name into one. *id: caller frees. */
static ews_status resolve_folder(ews_client *c, const char *folder, char **id)
{
	struct soap *a = ews_client_arena(c);
	struct ewsmsg__GetFolderType *req = soap_new_ewsmsg__GetFolderType(a, 1);
	struct __ewsmsg__GetFolderResponse resp;
	ews_response_message m;
	ews_status st;
	if (!req || !(req->FolderShape = soap_new_ewstype__FolderResponseShapeType(a, 1)) ||
	    !(req->FolderIds = ews_cli_folder_ids(a, folder)))
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	req->FolderShape->BaseShape = ewstype__DefaultShapeNamesType__IdOnly;
	if (!ews_ok(st = ews_get_folder(c, req, &resp)))
		return st;
	if (ews_response_messages_get(ews_response_messages_of("GetFolder", &resp), 0, &m))
		return ews_status_make(EWS_ERR_XML, "GetFolder: no response message");
	const struct ewstype__ArrayOfFoldersType *fs = ((const struct ewsmsg__FolderInfoResponseMessageType *)m.message)->Folders;
	const struct ewstype__FolderType *f = fs && fs->__size_ArrayOfFoldersType > 0
		? fs->__union_ArrayOfFoldersType[0].union_ArrayOfFoldersType.Folder : NULL;
	if (!f || !f->FolderId || !f->FolderId->Id)
		return ews_status_make(EWS_ERR_NOT_FOUND, "GetFolder: %s: no folder id returned", folder);
	return (*id = strdup(f->FolderId->Id)) ? ews_status_ok() : ews_status_make(EWS_ERR_NOMEM, "out of memory");
}

int main(int argc, char **argv)
{
	enum ewstype__CreateActionType action = ewstype__CreateActionType__CreateNew;
	const char *dir = NULL, *folder = NULL;
	int batch = 20, rc, failed = 0, uploaded = 0;
	char path[12400], line[8192], *folder_id = NULL;
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
			action = ewstype__CreateActionType__CreateNew;
		} else if (!strcmp(a, "--update")) {
			action = ewstype__CreateActionType__Update;
		} else if (!strcmp(a, "--update-or-create")) {
			action = ewstype__CreateActionType__UpdateOrCreate;
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
	if (!ews_ok(st = resolve_folder(c, folder, &folder_id))) {
		fclose(mf);
		ews_client_free(c);
		return ews_cli_error(&cli, folder, st);
	}
	struct soap *a = ews_client_arena(c);
	char *names[500];
	int n = 0, eof = 0;
	while (!eof && !rc) {
		/* Each batch is built in a fresh arena: memory stays at one batch, whatever the directory holds. */
		ews_client_arena_reset(c);
		struct ewstype__UploadItemType *items = soap_new_ewstype__UploadItemType(a, batch);
		if (!items) {
			rc = ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
			break;
		}
		/* Fill a batch from the manifest: FILE \t ITEM ID \t CHANGE KEY \t BYTES */
		while (n < batch && !(eof = !fgets(line, sizeof line, mf))) {
			char *f = line, *id = strchr(line, '\t'), *end, *data;
			size_t len;
			if (line[0] == '#' || !id)
				continue;
			*id++ = '\0';
			if ((end = strchr(id, '\t')))
				*end = '\0';
			snprintf(path, sizeof path, "%s/%s", dir, f);
			if (!ews_ok(st = ews_cli_read_file(path, 0, &data, &len))) {
				ews_cli_error(&cli, f, st);
				failed++;
				continue;
			}
			struct ewstype__UploadItemType *u = &items[n];
			memset(u, 0, sizeof *u);
			u->ParentFolderId = soap_new_ewstype__FolderIdType(a, 1);
			u->ItemId = action == ewstype__CreateActionType__CreateNew ? NULL : soap_new_ewstype__ItemIdType(a, 1);
			u->Data.__ptr = soap_malloc(a, len ? len : 1);
			names[n] = soap_strdup(a, f);
			if (!u->ParentFolderId || (action != ewstype__CreateActionType__CreateNew && !u->ItemId) ||
			    !u->Data.__ptr || !names[n]) {
				free(data);
				eof = 1;
				rc = ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
				break;
			}
			memcpy(u->Data.__ptr, data, len);
			free(data);
			u->Data.__size = (int)len;
			u->ParentFolderId->Id = folder_id;
			if (u->ItemId)
				u->ItemId->Id = soap_strdup(a, id);
			u->CreateAction = action;
			n++;
		}
		if (!n || rc)
			break;
		struct ewsmsg__UploadItemsType req = { 0 };
		struct ewstype__NonEmptyArrayOfUploadItemsType arr = { n, items };
		struct __ewsmsg__UploadItemsResponse resp;
		req.Items = &arr;
		st = ews_upload_items(c, &req, &resp);
		const struct ewsmsg__ArrayOfResponseMessagesType *msgs = ews_response_messages_of("UploadItems", &resp);
		if (!ews_ok(st) && (st.code != EWS_ERR_RESPONSE || !msgs)) {
			rc = ews_cli_error(&cli, NULL, st);
			break;
		}
		for (int k = 0; k < n && k < ews_response_messages_count(msgs); k++) {
			ews_response_message m;
			const struct ewsmsg__UploadItemsResponseMessageType *um;
			if (ews_response_messages_get(msgs, k, &m))
				continue;
			um = m.message;
			if (m.response_class == EWS_RESPONSE_ERROR) {
				ews_status e = ews_status_make(EWS_ERR_RESPONSE, "%s", m.message_text ? m.message_text : "error");
				snprintf(e.response_code, sizeof e.response_code, "%s", m.response_code);
				ews_cli_error(&cli, names[k], e);
				failed++;
				continue;
			}
			uploaded++;
			if (cli.json) {
				printf("{\"type\":\"uploaded\",\"ok\":true,\"file\":\"%s\",\"id\":", names[k]);
				ews_cli_json_string(stdout, um->ItemId ? um->ItemId->Id : NULL);
				printf("}\n");
			} else {
				printf("%s -> %s\n", names[k], um->ItemId && um->ItemId->Id ? um->ItemId->Id : "(no id returned)");
			}
		}
		n = 0;
	}
	fclose(mf);
	free(folder_id);
	if (cli.json)
		printf("{\"type\":\"summary\",\"ok\":%s,\"uploaded\":%d,\"failed\":%d}\n", rc || failed ? "false" : "true",
		       uploaded, failed);
	else
		printf("%d uploaded, %d failed\n", uploaded, failed);
	ews_client_free(c);
	return rc ? rc : failed ? EWS_EXIT_PARTIAL : EWS_EXIT_OK;
}
