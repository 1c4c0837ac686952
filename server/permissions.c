/* permissions.c — folder permissions: who may do what in a folder of another mailbox. One row per folder and
 * user (table folder_permissions) holding a permission level by its schema name (PermissionLevelType /
 * CalendarPermissionLevelType: Owner, Editor, Author, Reviewer ...). Delegates (op_delegate.c) are rows on six of
 * the owner's folders, as Exchange keeps them; GetFolder returns the rows as PermissionSet; the folder and item
 * resolution of every operation (resp.c) asks ewsd_perm_allows before letting a user into another mailbox.
 *
 * Rights of a level, as the PermissionLevel page's table gives them: Reviewer reads; Contributor creates;
 * NoneditingAuthor reads, creates, deletes its own; Author also edits its own; Editor and the Publishing levels
 * read, create, edit and delete every item; Owner also administers the folder. ewsd keeps no item's creator, so
 * "its own" items are never anybody's: an Author cannot edit or delete an item already there. FreeBusy levels
 * grant no item access (free/busy is GetUserAvailability's, outside our schema). */
#include <string.h>
#include <strings.h>

#include "ewsd.h"

static const struct {
	const char *level;
	int rights;
} levels[] = {
	{ "None", 0 },
	{ "Owner", EWSD_RIGHT_READ | EWSD_RIGHT_CREATE | EWSD_RIGHT_EDIT | EWSD_RIGHT_DELETE | EWSD_RIGHT_OWNER },
	{ "PublishingEditor", EWSD_RIGHT_READ | EWSD_RIGHT_CREATE | EWSD_RIGHT_EDIT | EWSD_RIGHT_DELETE },
	{ "Editor", EWSD_RIGHT_READ | EWSD_RIGHT_CREATE | EWSD_RIGHT_EDIT | EWSD_RIGHT_DELETE },
	{ "PublishingAuthor", EWSD_RIGHT_READ | EWSD_RIGHT_CREATE },
	{ "Author", EWSD_RIGHT_READ | EWSD_RIGHT_CREATE },
	{ "NoneditingAuthor", EWSD_RIGHT_READ | EWSD_RIGHT_CREATE },
	{ "Reviewer", EWSD_RIGHT_READ },
	{ "Contributor", EWSD_RIGHT_CREATE },
	{ "FreeBusyTimeOnly", 0 },
	{ "FreeBusyTimeAndSubjectAndLocation", 0 },
	{ "Custom", 0 },
};

int ewsd_perm_level_rights(const char *level)
{
	for (size_t i = 0; level && i < sizeof levels / sizeof *levels; i++)
		if (!strcmp(levels[i].level, level))
			return levels[i].rights;
	return 0;
}

int ewsd_perm_get(sqlite3 *db, int64_t folder_id, const char *smtp, char *level, size_t n)
{
	sqlite3_stmt *st = ewsd_stmt(db, "SELECT level FROM folder_permissions WHERE folder_id=? AND smtp=?");
	int rc;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, folder_id);
	sqlite3_bind_text(st, 2, smtp, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(level, n, "%s", (const char *)sqlite3_column_text(st, 0));
	ewsd_stmt_done(db, st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

int ewsd_perm_set(sqlite3 *db, int64_t folder_id, const char *smtp, const char *level)
{
	/* None is no entry: a user without a row has no rights, and GetDelegate leaves such folders out */
	int remove = !level || !strcmp(level, "None");
	sqlite3_stmt *st = remove ? ewsd_stmt(db, "DELETE FROM folder_permissions WHERE folder_id=? AND smtp=?")
				  : ewsd_stmt(db, "INSERT OR REPLACE INTO folder_permissions(folder_id,smtp,level)"
						  " VALUES(?,?,?)");
	int rc;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, folder_id);
	sqlite3_bind_text(st, 2, smtp, -1, SQLITE_TRANSIENT);
	if (!remove)
		sqlite3_bind_text(st, 3, level, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	ewsd_stmt_done(db, st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int ewsd_perm_rights(sqlite3 *db, int64_t folder_id, const char *smtp)
{
	char level[64];
	/* a user without an entry of its own has the Default entry's level (folder_perms.c), as in Exchange */
	if (!ewsd_perm_get(db, folder_id, smtp, level, sizeof level) ||
	    !ewsd_perm_get(db, folder_id, "Default", level, sizeof level))
		return ewsd_perm_level_rights(level);
	return 0;
}

int ewsd_perm_needed(const char *op, int target)
{
	static const char *const creating[] = { "CreateItem", "UploadItems", "CreateFolder", "MoveItem", "CopyItem",
						"MoveFolder", "CopyFolder", "CreateUserConfiguration" };
	static const char *const editing[] = { "UpdateItem", "CreateAttachment", "DeleteAttachment",
					       "UpdateUserConfiguration" };
	static const char *const deleting[] = { "DeleteItem", "MoveItem", "DeleteUserConfiguration" };
	static const char *const reading[] = { "GetItem", "GetAttachment", "CopyItem", "ExportItems", "FindItem",
					       "FindFolder", "GetFolder", "SyncFolderItems", "SyncFolderHierarchy",
					       "GetUserConfiguration", "ResolveNames", "ExpandDL", "ConvertId" };
#define IN(list) (ewsd_op_in(op, list, sizeof list / sizeof *list))
	/* UploadItems names its folder as a ParentFolderId (resolved as a folder read from), yet puts items there */
	if ((target || !strcmp(op, "UploadItems")) && IN(creating))
		return EWSD_RIGHT_CREATE;
	if (!target && IN(deleting))
		return EWSD_RIGHT_DELETE;
	if (!target && IN(editing))
		return EWSD_RIGHT_EDIT;
	if (IN(reading))
		return EWSD_RIGHT_READ;
#undef IN
	/* everything else on another mailbox's folder (EmptyFolder, UpdateFolder, SendItem, Subscribe ...) is the
	 * owner's: folder administration, sending as the owner, notifications (Exchange refuses delegates those too) */
	return EWSD_RIGHT_OWNER;
}

int ewsd_op_in(const char *op, const char *const *list, size_t n)
{
	for (size_t i = 0; op && i < n; i++)
		if (!strcmp(op, list[i]))
			return 1;
	return 0;
}

int ewsd_perm_allows(sqlite3 *db, int64_t folder_id, const char *smtp, const char *op, int target)
{
	int need = ewsd_perm_needed(op, target);
	return (ewsd_perm_rights(db, folder_id, smtp) & need) == need;
}
