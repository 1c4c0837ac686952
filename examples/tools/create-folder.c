/* <DESC> ews-create-folder: CreateFolder for a path of display names, missing parents too with --parents </DESC>
 *
 *   ews-create-folder [--parents] [--class CLASS] [--json] PATH...
 *
 * Build alone: cc create-folder.c $(pkg-config --cflags --libs libews)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews/ews.h"
#include "ews/cli.h"

static void usage(FILE *f)
{
	fputs("usage: ews-create-folder [options] PATH...\n"
	      "Create folders (CreateFolder) and print their ids. PATH is a path of display names as ews-find-folders\n"
	      "prints them: a first part that is a distinguished name (inbox, calendar ...) starts there, else at the\n"
	      "top of the mailbox (msgfolderroot). Without --parents the parent must exist and the folder must not\n"
	      "(ErrorFolderExists).\n\n"
	      "  --parents, -p   create missing parents too; a folder that exists is not an error (its id is printed)\n"
	      "  --class CLASS   FolderClass of the new folders (default IPF.Note, mail)\n\n"
	      "example: ews-create-folder --parents inbox/Projects/2025\n\n", f);
	fputs(EWS_CLI_COMMON_HELP, f);
}

struct job {
	ews_cli *cli;
	ews_client *c;
	const char *cls;
	int parents;
};

/* Print one folder of the path: created or (with --parents) already there. */
static void report(const ews_cli *cli, const char *type, const char *path, size_t len, const char *id)
{
	if (cli->json) {
		char *p = strndup(path, len);
		printf("{\"type\":\"%s\",\"ok\":true,\"path\":", type);
		ews_cli_json_string(stdout, p ? p : path);
		printf(",\"id\":");
		ews_cli_json_string(stdout, id);
		printf("}\n");
		free(p);
	} else {
		printf("%-7s %.*s %s\n", type, (int)len, path, id);
	}
}

/* CreateFolder `name` (len bytes) under `parent`. 0 with *id (arena copy) set; 1 when it exists
 * (ErrorFolderExists); otherwise the printed error's exit code. */
static int create_one(struct job *j, const char *parent, const char *name, size_t len, const char **id)
{
	struct soap *a = ews_client_arena(j->c);
	struct ewsmsg__CreateFolderType *req = EWS_NEW(j->c, ewsmsg__CreateFolderType);
	struct ewstype__FolderType *folder = req ? ews_NonEmptyArrayOfFoldersType_add_Folder(j->c, &req->Folders) : NULL;
	ews_response_message m;

	*id = NULL;
	if (!folder || !(req->ParentFolderId = ews_cli_target_folder(a, parent)) ||
	    !(folder->DisplayName = soap_strdup(a, name)) || (j->cls && !(folder->FolderClass = soap_strdup(a, j->cls))))
		return ews_cli_error(j->cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
	folder->DisplayName[len] = '\0';

	struct __ewsmsg__CreateFolderResponse resp = { 0 };
	ews_status st = ews_create_folder(j->c, req, &resp);
	if (!ews_ok(st) && st.code != EWS_ERR_RESPONSE)
		return ews_cli_error(j->cli, NULL, st);
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs = ews_response_messages_of("CreateFolder", &resp);
	if (ews_response_messages_get(msgs, 0, &m))
		return ews_cli_error(j->cli, NULL, ews_status_make(EWS_ERR_XML, "CreateFolder: no response message"));
	if (m.response_class == EWS_RESPONSE_ERROR) {
		if (!strcmp(m.response_code, "ErrorFolderExists"))
			return 1;
		ews_status e = ews_status_make(EWS_ERR_RESPONSE, "%s: %s", folder->DisplayName,
					       m.message_text ? m.message_text : m.response_code);
		snprintf(e.response_code, sizeof e.response_code, "%s", m.response_code);
		return ews_cli_error(j->cli, NULL, e);
	}
	const struct ewstype__ArrayOfFoldersType *fs = ((const struct ewsmsg__FolderInfoResponseMessageType *)m.message)->Folders;
	const struct ewstype__FolderType *f = fs && fs->__size_ArrayOfFoldersType > 0
		? fs->__union_ArrayOfFoldersType[0].union_ArrayOfFoldersType.Folder : NULL;
	if (!f || !f->FolderId || !f->FolderId->Id)
		return ews_cli_error(j->cli, NULL, ews_status_make(EWS_ERR_XML, "CreateFolder: the answer has no folder id"));
	if (!(*id = soap_strdup(a, f->FolderId->Id)))    /* the response is gone at the next call */
		return ews_cli_error(j->cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
	return 0;
}

/* The whole of one PATH operand. Returns an exit code. */
static int create_path(struct job *j, const char *path)
{
	struct soap *a = ews_client_arena(j->c);
	const char *parent = "msgfolderroot", *part = path, *last = NULL, *id;
	size_t len;
	int rc;

	while (*part == '/')
		part++;
	len = strcspn(part, "/");
	if (len < 128) {                        /* a distinguished first part starts there (as --folder paths) */
		char first[128];
		memcpy(first, part, len);
		first[len] = '\0';
		const char *dn = ews_cli_distinguished_name(a, first);
		if (dn) {
			parent = dn;
			part += len;
		}
	}
	/* the last non-empty part is the folder to create; "inbox" alone has none */
	for (const char *p = part; *p; p += strcspn(p, "/")) {
		while (*p == '/')
			p++;
		if (*p)
			last = p;
		else
			break;
	}
	if (!last) {
		if (!j->parents) {
			ews_status e = ews_status_make(EWS_ERR_RESPONSE, "%s: a distinguished folder, it exists", path);
			snprintf(e.response_code, sizeof e.response_code, "ErrorFolderExists");
			return ews_cli_error(j->cli, NULL, e);
		}
		report(j->cli, "exists", path, strlen(path), parent);
		return EWS_EXIT_OK;
	}
	if (!j->parents) {
		/* the parent must exist: resolved like any --folder path (the error names the missing part) */
		if (last > part) {
			char *prefix = strndup(path, (size_t)(last - path));
			if (!prefix)
				return ews_cli_error(j->cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
			for (size_t e = strlen(prefix); e > 1 && prefix[e - 1] == '/'; e--)
				prefix[e - 1] = '\0';          /* "inbox/Projects", as the user wrote it */
			rc = ews_cli_resolve_folder(j->cli, j->c, prefix, &parent);
			free(prefix);
			if (rc)
				return rc;
		}
		len = strcspn(last, "/");
		if ((rc = create_one(j, parent, last, len, &id)) == 1) {
			ews_status e = ews_status_make(EWS_ERR_RESPONSE, "%s: a folder with that name exists there (--parents "
							     "accepts it)", path);
			snprintf(e.response_code, sizeof e.response_code, "ErrorFolderExists");
			return ews_cli_error(j->cli, NULL, e);
		}
		if (rc)
			return rc;
		report(j->cli, "created", path, (size_t)(last - path) + len, id);
		return EWS_EXIT_OK;
	}
	/* --parents: each level created, or found when it exists */
	for (int depth = 0; *part; depth++) {
		while (*part == '/')
			part++;
		if (!*part)
			break;
		if (depth > 64)
			return ews_cli_usage_error(j->cli, "%s: the path is too deep", path);
		len = strcspn(part, "/");
		size_t upto = (size_t)(part - path) + len;
		rc = create_one(j, parent, part, len, &id);
		if (rc == 1) {
			char *prefix = strndup(path, upto);
			if (!prefix)
				return ews_cli_error(j->cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
			rc = ews_cli_resolve_folder(j->cli, j->c, prefix, &id);
			free(prefix);
			if (rc)
				return rc;
			report(j->cli, "exists", path, upto, id);
		} else if (rc) {
			return rc;
		} else {
			report(j->cli, "created", path, upto, id);
		}
		parent = id;
		part += len;
	}
	return EWS_EXIT_OK;
}

int main(int argc, char **argv)
{
	int n = 0, rc = EWS_EXIT_OK;
	struct job j = { 0 };
	ews_cli cli;
	ews_status st = ews_cli_init(&cli, "ews-create-folder");

	if (!ews_ok(st))
		return ews_cli_error(&cli, "environment", st);
	const ews_cli_opt opts[] = { { "--parents", .on = &j.parents, .set = 1 }, { "-p", .on = &j.parents, .set = 1 },
				     { "--class", .value = &j.cls }, { NULL } };
	if ((rc = ews_cli_parse(&cli, argc, argv, opts, usage, &n)) >= 0)    /* paths collected in place */
		return rc;
	for (int i = 0; i < n; i++)
		if (!*argv[i] || !argv[i][strspn(argv[i], "/")])
			return ews_cli_usage_error(&cli, "\"%s\" is not a folder path (e.g. inbox/Projects)", argv[i]);
	if (!n)
		return ews_cli_usage_error(&cli, "give the path of the folder to create (e.g. inbox/Projects/2025)");
	if (!j.cls)
		j.cls = "IPF.Note";   /* as Outlook makes a mail folder: without a class, clients cannot tell what it holds */
	if ((rc = ews_cli_connect(&cli, &j.c)))
		return rc;
	j.cli = &cli;
	/* each path on its own: the first failure's code, the others still tried */
	for (int k = 0; k < n; k++) {
		int r = create_path(&j, argv[k]);
		if (r && !rc)
			rc = r;
	}
	ews_client_free(j.c);
	return rc;
}
