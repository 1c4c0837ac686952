/* ews_cli_folder.c — folder arguments of the ews-* commands (see ews/cli.h): distinguished names in any case,
 * folder ids, and paths of display names resolved with FindFolder, one level at a time. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "soapH.h"
#include "ews/cli.h"
#include "ews/ids.h"
#include "ews/pager.h"

/* The schema's distinguished folder names, in enum order (the generated enum counts from 0 without gaps; past
 * the last name the converter prints the number). NULL past the end. */
static const char *distinguished_name(struct soap *soap, int k)
{
	const char *s = soap_ewstype__DistinguishedFolderIdNameType2s(soap, (enum ewstype__DistinguishedFolderIdNameType)k);
	return s && !isdigit((unsigned char)*s) && *s != '-' ? s : NULL;
}

/* A distinguished name when it is one of the schema's names, ignoring case ("Inbox", "JunkEmail"), else not.
 * The bindings' own parser is not enough: it is exact and decodes unknown values (and numbers) leniently. */
static int distinguished(struct soap *soap, const char *folder, enum ewstype__DistinguishedFolderIdNameType *out)
{
	const char *name;
	for (int k = 0; k < 1000 && (name = distinguished_name(soap, k)); k++)
		if (!strcasecmp(name, folder)) {
			*out = (enum ewstype__DistinguishedFolderIdNameType)k;
			return 1;
		}
	return 0;
}

const char *ews_cli_distinguished_name(struct soap *soap, const char *name)
{
	enum ewstype__DistinguishedFolderIdNameType k;
	return soap && name && distinguished(soap, name, &k) ? distinguished_name(soap, (int)k) : NULL;
}

static int folder_choice(struct soap *soap, const char *folder, struct ewstype__FolderIdType **fid,
			 struct ewstype__DistinguishedFolderIdType **did)
{
	enum ewstype__DistinguishedFolderIdNameType name;
	if (distinguished(soap, folder, &name)) {
		if (!(*did = soap_new_ewstype__DistinguishedFolderIdType(soap, 1)))
			return -1;
		(*did)->Id = name;
		return 1;
	}
	if (!(*fid = soap_new_ewstype__FolderIdType(soap, 1)) || !((*fid)->Id = soap_strdup(soap, folder)))
		return -1;
	return 0;
}

struct ewstype__NonEmptyArrayOfBaseFolderIdsType *ews_cli_folder_ids(struct soap *soap, const char *folder)
{
	struct ewstype__NonEmptyArrayOfBaseFolderIdsType *ids;
	struct __ewstype__union_NonEmptyArrayOfBaseFolderIdsType *u;
	struct ewstype__FolderIdType *fid = NULL;
	struct ewstype__DistinguishedFolderIdType *did = NULL;
	int kind;

	if (!soap || !folder || (kind = folder_choice(soap, folder, &fid, &did)) < 0)
		return NULL;
	ids = soap_new_ewstype__NonEmptyArrayOfBaseFolderIdsType(soap, 1);
	u = soap_new___ewstype__union_NonEmptyArrayOfBaseFolderIdsType(soap, 1);
	if (!ids || !u)
		return NULL;
	if (kind) {
		u->__union_NonEmptyArrayOfBaseFolderIdsType =
			SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseFolderIdsType_DistinguishedFolderId;
		u->union_NonEmptyArrayOfBaseFolderIdsType.DistinguishedFolderId = did;
	} else {
		u->__union_NonEmptyArrayOfBaseFolderIdsType = SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseFolderIdsType_FolderId;
		u->union_NonEmptyArrayOfBaseFolderIdsType.FolderId = fid;
	}
	ids->__size_NonEmptyArrayOfBaseFolderIdsType = 1;
	ids->__union_NonEmptyArrayOfBaseFolderIdsType = u;
	return ids;
}

struct ewstype__NonEmptyArrayOfBaseFolderIdsType *ews_cli_folder_ids_n(struct soap *soap, const char *const *folders,
								       int n)
{
	struct ewstype__NonEmptyArrayOfBaseFolderIdsType *ids;
	struct __ewstype__union_NonEmptyArrayOfBaseFolderIdsType *u;

	if (!soap || !folders || n < 1 || !(ids = soap_new_ewstype__NonEmptyArrayOfBaseFolderIdsType(soap, 1)) ||
	    !(u = soap_new___ewstype__union_NonEmptyArrayOfBaseFolderIdsType(soap, n)))
		return NULL;
	for (int k = 0; k < n; k++) {         /* each entry as ews_cli_folder_ids builds a single one */
		struct ewstype__NonEmptyArrayOfBaseFolderIdsType *one = ews_cli_folder_ids(soap, folders[k]);
		if (!one)
			return NULL;
		u[k] = one->__union_NonEmptyArrayOfBaseFolderIdsType[0];
	}
	ids->__size_NonEmptyArrayOfBaseFolderIdsType = n;
	ids->__union_NonEmptyArrayOfBaseFolderIdsType = u;
	return ids;
}

struct ewstype__TargetFolderIdType *ews_cli_target_folder(struct soap *soap, const char *folder)
{
	struct ewstype__TargetFolderIdType *t;
	struct ewstype__FolderIdType *fid = NULL;
	struct ewstype__DistinguishedFolderIdType *did = NULL;
	int kind;

	if (!soap || !folder || (kind = folder_choice(soap, folder, &fid, &did)) < 0)
		return NULL;
	if (!(t = soap_new_ewstype__TargetFolderIdType(soap, 1)))
		return NULL;
	if (kind) {
		t->__union_TargetFolderIdType = SOAP_UNION__ewstype__union_TargetFolderIdType_DistinguishedFolderId;
		t->union_TargetFolderIdType.DistinguishedFolderId = did;
	} else {
		t->__union_TargetFolderIdType = SOAP_UNION__ewstype__union_TargetFolderIdType_FolderId;
		t->union_TargetFolderIdType.FolderId = fid;
	}
	return t;
}

/* Shaped like an id of some server: base64 (the alphabet, whole 4-character groups), 24 characters or more. Such
 * a string with a '/' may also be a path ("Inbox/Projects/Clients/Acme"): it is tried as one first. */
static int looks_like_id(const char *s)
{
	size_t n = strlen(s), pad = 0;
	if (n < 24 || n % 4)
		return 0;
	for (size_t k = 0; k < n; k++) {
		unsigned char ch = (unsigned char)s[k];
		if (ch == '=' && k + 2 >= n)
			pad++;
		else if (pad || !(isalnum(ch) || ch == '+' || ch == '/' || ch == '-' || ch == '_'))
			return 0;
	}
	return 1;
}

/* An Exchange EwsId (ews/ids.h parses its structure): never a display name. */
static int is_ews_id(const char *s)
{
	ews_id *id = NULL;
	int yes = ews_ok(ews_id_parse(s, EWS_ID_EWS_ID, &id));
	ews_id_free(id);
	return yes;
}

/* "a, b, c" of the distinguished names, for error messages. */
static void list_distinguished(struct soap *soap, FILE *f)
{
	const char *name;
	for (int k = 0; k < 1000 && (name = distinguished_name(soap, k)); k++)
		fprintf(f, "%s%s", k ? ", " : "", name);
}

/* The subfolder of `parent` whose display name is `name` (ignoring case; an exact-case match decides between
 * several). 0 with *id (arena copy) set; 1 when there is none or several (*count says how many matched), with
 * the names that are there in `seen` (malloc'd "a, b, c"; caller frees); an exit code > 1 after printing a
 * server error. */
static int child_named(ews_cli *cli, ews_client *c, const char *parent, const char *name, size_t len,
		       const char **id, int *count, char **seen)
{
	ews_pager *p = NULL;
	ews_folder_view f;
	const char *exact = NULL, *any = NULL;
	int exacts = 0;
	size_t seen_len = 0;
	FILE *names = open_memstream(seen, &seen_len);
	ews_status st = ews_pager_new_folders(c, &(ews_pager_options){ .folder = parent, .page_size = 500,
								       .no_anchor = 1 }, &p);
	*count = 0;
	while (ews_ok(st) && ews_ok(st = ews_pager_next_folder(p, &f)) && f.id) {
		const char *dn = f.display_name ? f.display_name : "";
		if (names)
			fprintf(names, "%s\"%s\"", ftell(names) ? ", " : "", dn);
		if (strlen(dn) != len || strncasecmp(dn, name, len))
			continue;
		++*count;
		if (!any)
			any = soap_strdup(ews_client_arena(c), f.id);
		if (!strncmp(dn, name, len) && !exacts++)
			exact = soap_strdup(ews_client_arena(c), f.id);
	}
	ews_pager_free(p);
	if (names)
		fclose(names);
	if (!ews_ok(st)) {
		free(*seen);
		*seen = NULL;
		return ews_cli_error(cli, parent, st);
	}
	if (*count == 1 || exacts == 1) {
		*id = *count == 1 ? any : exact;
		if (!*id) {
			free(*seen);
			*seen = NULL;
			return ews_cli_error(cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
		}
		return 0;
	}
	return 1;
}

/* The archive mailbox's counterpart of a mailbox distinguished name (schema spelling), or NULL. */
static const char *archive_counterpart(const char *name)
{
	static const char *const map[][2] = {
		{ "root", "archiveroot" }, { "msgfolderroot", "archivemsgfolderroot" }, { "inbox", "archiveinbox" },
		{ "deleteditems", "archivedeleteditems" }, { "recoverableitemsroot", "archiverecoverableitemsroot" },
		{ "recoverableitemsdeletions", "archiverecoverableitemsdeletions" },
		{ "recoverableitemsversions", "archiverecoverableitemsversions" },
		{ "recoverableitemspurges", "archiverecoverableitemspurges" },
		{ "recoverableitemsdiscoveryholds", "archiverecoverableitemsdiscoveryholds" },
	};
	if (!strncmp(name, "archive", 7) && strcmp(name, "archive"))
		return name;                    /* already the archive's ("archive" is the mailbox's Archive folder) */
	for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
		if (!strcmp(map[k][0], name))
			return map[k][1];
	return NULL;
}

/* A distinguished name as --archive reads it: *out the archive's name in the bindings' schema, or an error
 * printed and its exit code returned. */
static int archive_name(ews_cli *cli, struct soap *arena, const char *given, const char *name, const char **out)
{
	enum ewstype__DistinguishedFolderIdNameType k;
	const char *a = archive_counterpart(name);
	if (!a)
		return ews_cli_usage_error(cli, "--archive: the archive mailbox has no %s (it has archiveroot, "
					   "archivemsgfolderroot, archiveinbox, archivedeleteditems, "
					   "archiverecoverableitems*; or give a path or a folder id)", given);
	if (!distinguished(arena, a, &k))
		return ews_cli_usage_error(cli, "--archive: %s is not a distinguished folder of this build's schema "
					   "(Exchange2010_SP2 has no archiveinbox); give a path from "
					   "archivemsgfolderroot or a folder id", a);
	*out = distinguished_name(arena, (int)k);
	return EWS_EXIT_OK;
}

int ews_cli_resolve_folder(ews_cli *cli, ews_client *c, const char *folder, const char **out)
{
	struct soap *arena = c ? ews_client_arena(c) : NULL;
	enum ewstype__DistinguishedFolderIdNameType name;
	const char *parent = "msgfolderroot", *part, *slash, *shown_parent = "the top of the mailbox (msgfolderroot)";

	*out = NULL;
	if (!folder || !*folder || !arena)
		return ews_cli_usage_error(cli, "--folder needs a name, a path or an id");
	if (distinguished(arena, folder, &name)) {
		*out = distinguished_name(arena, (int)name);
		return cli->archive ? archive_name(cli, arena, folder, *out, out) : EWS_EXIT_OK;
	}
	if (cli->archive) {
		int rc = archive_name(cli, arena, folder, "msgfolderroot", &parent);
		if (rc)
			return rc;
		shown_parent = "the top of the archive mailbox (archivemsgfolderroot)";
	}
	if (is_ews_id(folder) || (looks_like_id(folder) && !strchr(folder, '/'))) {
		*out = folder;
		return EWS_EXIT_OK;
	}
	/* a path of display names; a distinguished first part ("inbox/Projects") starts at that folder */
	part = folder;
	while (*part == '/')
		part++;
	slash = strchr(part, '/');
	if (slash) {
		char first[128];
		if ((size_t)(slash - part) < sizeof first) {
			memcpy(first, part, (size_t)(slash - part));
			first[slash - part] = '\0';
			if (distinguished(arena, first, &name)) {
				parent = shown_parent = distinguished_name(arena, (int)name);
				if (cli->archive) {
					int rc = archive_name(cli, arena, first, parent, &parent);
					if (rc)
						return rc;
					shown_parent = parent;
				}
				part = slash + 1;
			}
		}
	}
	for (int depth = 0; *part; depth++) {
		size_t len;
		int count = 0, rc;
		char *seen = NULL;
		const char *id = NULL;
		while (*part == '/')
			part++;
		if (!*part)
			break;
		len = strcspn(part, "/");
		if (depth > 64)
			return ews_cli_usage_error(cli, "--folder %s: the path is too deep", folder);
		rc = child_named(cli, c, parent, part, len, &id, &count, &seen);
		if (rc > 1)
			return rc;
		if (rc == 1 && depth == 0 && !count && looks_like_id(folder)) {
			free(seen);             /* id-shaped, with a '/', and no such folder: an id after all */
			*out = folder;
			return EWS_EXIT_OK;
		}
		if (rc == 1) {
			fprintf(stderr, "%s: --folder %s: %s folder named \"%.*s\" in %s\n", cli->prog, folder,
				count ? "more than one" : "no", (int)len, part, shown_parent);
			fprintf(stderr, "%s: the folders there: %s\n", cli->prog, seen && *seen ? seen : "none");
			fprintf(stderr, "%s: distinguished names (any case): ", cli->prog);
			list_distinguished(arena, stderr);
			fprintf(stderr, "\n%s: or give the folder id (ews-find-folders --json prints ids)\n", cli->prog);
			free(seen);
			return EWS_EXIT_USAGE;
		}
		free(seen);
		parent = id;
		shown_parent = soap_strdup(arena, part);
		if (shown_parent)
			((char *)shown_parent)[len] = '\0';
		else
			shown_parent = "that folder";
		part += len;
	}
	*out = parent;
	return EWS_EXIT_OK;
}
