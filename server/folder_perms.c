/* folder_perms.c — a folder's permissions on the wire: the PermissionSet GetFolder answers (folder:PermissionSet,
 * as the folder-permissions how-to page shows it: Default, Anonymous, then each user, every flag of the level
 * spelled out) and the one UpdateFolder's SetFolderField or CreateFolder sets (the whole set is replaced).
 * The rows are permissions.c's; Default and Anonymous are rows named "Default" and "Anonymous" (Default is the
 * level of every user without an entry of its own, see ewsd_perm_rights). A set is given by PermissionLevel;
 * Custom (its own flags) is not kept: ErrorInvalidPermissionSettings. */
#include <string.h>
#include <strings.h>

#include "ewsd.h"

/* The flags of each level, as the PermissionLevel reference page tabulates them. */
static const struct level_flags {
	const char *level;
	int create, subfolders, owner, visible, contact;
	int edit, del;              /* PermissionActionType: 0 None, 1 Owned, 2 All */
	int read;                   /* 0 None, 1 FullDetails */
} flags[] = {
	{ "None", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "Owner", 1, 1, 1, 1, 1, 2, 2, 1 },
	{ "PublishingEditor", 1, 1, 0, 1, 0, 2, 2, 1 },
	{ "Editor", 1, 0, 0, 1, 0, 2, 2, 1 },
	{ "PublishingAuthor", 1, 1, 0, 1, 0, 1, 1, 1 },
	{ "Author", 1, 0, 0, 1, 0, 1, 1, 1 },
	{ "NoneditingAuthor", 1, 0, 0, 1, 0, 0, 1, 1 },
	{ "Reviewer", 0, 0, 0, 1, 0, 0, 0, 1 },
	{ "Contributor", 1, 0, 0, 1, 0, 0, 0, 0 },
};

static enum xsd__boolean *boolean(struct soap *soap, int v)
{
	enum xsd__boolean *b = EWSD_NEW(soap, enum xsd__boolean);
	*b = v ? xsd__boolean__true_ : xsd__boolean__false_;
	return b;
}

static enum ewstype__PermissionActionType *action(struct soap *soap, int v)
{
	enum ewstype__PermissionActionType *a = EWSD_NEW(soap, enum ewstype__PermissionActionType);
	*a = v == 2 ? ewstype__PermissionActionType__All : v == 1 ? ewstype__PermissionActionType__Owned
								 : ewstype__PermissionActionType__None;
	return a;
}

static void fill(struct soap *soap, struct ewstype__PermissionType *p, const char *level)
{
	const struct level_flags *f = &flags[0];
	for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
		if (!strcmp(flags[i].level, level))
			f = &flags[i];
	p->CanCreateItems = boolean(soap, f->create);
	p->CanCreateSubFolders = boolean(soap, f->subfolders);
	p->IsFolderOwner = boolean(soap, f->owner);
	p->IsFolderVisible = boolean(soap, f->visible);
	p->IsFolderContact = boolean(soap, f->contact);
	p->EditItems = action(soap, f->edit);
	p->DeleteItems = action(soap, f->del);
	p->ReadItems = EWSD_NEW(soap, enum ewstype__PermissionReadAccessType);
	*p->ReadItems = f->read ? ewstype__PermissionReadAccessType__FullDetails : ewstype__PermissionReadAccessType__None;
	/* a level a Folder cannot name (a calendar's FreeBusy ones, kept from elsewhere) reads as Custom */
	if (soap_s2ewstype__PermissionLevelType(soap, level, &p->PermissionLevel))
		p->PermissionLevel = ewstype__PermissionLevelType__Custom;
	soap->error = SOAP_OK;
}

struct ewstype__PermissionSetType *ewsd_perm_set_of(struct soap *soap, int64_t folder_id)
{
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewstype__PermissionSetType *set = EWSD_NEW(soap, struct ewstype__PermissionSetType);
	struct ewstype__ArrayOfPermissionsType *a = EWSD_NEW(soap, struct ewstype__ArrayOfPermissionsType);
	sqlite3_stmt *st;
	int n = 2, cap = 2;
	set->Permissions = a;
	if (sqlite3_prepare_v2(rq->db, "SELECT count(*) FROM folder_permissions WHERE folder_id=?"
				       " AND smtp NOT IN ('Default','Anonymous')", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, folder_id);
		if (sqlite3_step(st) == SQLITE_ROW)
			cap += sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	a->__union_ArrayOfPermissionsType = ewsd_zalloc(soap, sizeof *a->__union_ArrayOfPermissionsType * (size_t)cap);
	for (int k = 0; k < 2; k++) {
		struct ewstype__PermissionType *p = EWSD_NEW(soap, struct ewstype__PermissionType);
		char level[64] = "None";
		p->UserId = EWSD_NEW(soap, struct ewstype__UserIdType);
		p->UserId->DistinguishedUser = EWSD_NEW(soap, enum ewstype__DistinguishedUserType);
		*p->UserId->DistinguishedUser = k ? ewstype__DistinguishedUserType__Anonymous
						  : ewstype__DistinguishedUserType__Default;
		ewsd_perm_get(rq->db, folder_id, k ? "Anonymous" : "Default", level, sizeof level);
		fill(soap, p, level);
		a->__union_ArrayOfPermissionsType[k].__union_ArrayOfPermissionsType =
			SOAP_UNION__ewstype__union_ArrayOfPermissionsType_Permission;
		a->__union_ArrayOfPermissionsType[k].union_ArrayOfPermissionsType.Permission = p;
	}
	if (sqlite3_prepare_v2(rq->db, "SELECT smtp, level FROM folder_permissions WHERE folder_id=?"
				       " AND smtp NOT IN ('Default','Anonymous') ORDER BY rowid", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, folder_id);
		while (n < cap && sqlite3_step(st) == SQLITE_ROW) {
			struct ewsd_mailbox m;
			if (ewsd_mailbox_by_smtp(rq->db, (const char *)sqlite3_column_text(st, 0), &m))
				continue;
			struct ewstype__PermissionType *p = EWSD_NEW(soap, struct ewstype__PermissionType);
			p->UserId = ewsd_user_id(soap, &m);
			fill(soap, p, (const char *)sqlite3_column_text(st, 1));
			a->__union_ArrayOfPermissionsType[n].__union_ArrayOfPermissionsType =
				SOAP_UNION__ewstype__union_ArrayOfPermissionsType_Permission;
			a->__union_ArrayOfPermissionsType[n++].union_ArrayOfPermissionsType.Permission = p;
		}
		sqlite3_finalize(st);
	}
	a->__size_ArrayOfPermissionsType = n;
	return set;
}

const char *ewsd_perm_apply(struct soap *soap, int64_t folder_id, int n, struct ewstype__UserIdType *const *users,
			    const char *const *levels)
{
	struct ewsd_request *rq = ewsd_req(soap);
	const char **who = ewsd_zalloc(soap, sizeof *who * (size_t)(n ? n : 1));
	/* every entry is checked before anything changes */
	for (int i = 0; i < n; i++) {
		const struct ewstype__UserIdType *u = users[i];
		struct ewsd_mailbox m;
		if (!levels[i] || !strcmp(levels[i], "Custom"))
			return "ErrorInvalidPermissionSettings";
		if (u && u->DistinguishedUser) {
			who[i] = *u->DistinguishedUser == ewstype__DistinguishedUserType__Anonymous ? "Anonymous" : "Default";
			continue;
		}
		const char *err = ewsd_user_resolve(soap, u, &m);
		if (err)
			return "ErrorInvalidUserInfo";   /* Exchange's code for a permission naming nobody */
		if (m.id == rq->mailbox_id)
			return "ErrorInvalidPermissionSettings";   /* the owner's own rights are not an entry */
		who[i] = soap_strdup(soap, m.smtp);
	}
	sqlite3_stmt *st;
	if (ewsd_begin(rq->db))
		return "ErrorInternalServerError";
	if (sqlite3_prepare_v2(rq->db, "DELETE FROM folder_permissions WHERE folder_id=?", -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, folder_id);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		goto fail;
	for (int i = 0; i < n; i++)
		if (ewsd_perm_set(rq->db, folder_id, who[i], levels[i]))
			goto fail;
	if (ewsd_commit(rq->db))
		goto fail;
	return NULL;
fail:
	ewsd_rollback(rq->db);
	return "ErrorInternalServerError";
}

int ewsd_perm_from_request(struct soap *soap, int kind, void *folder, struct ewstype__UserIdType ***users,
			   const char ***levels)
{
	struct ewstype__PermissionSetType *set = NULL;
	struct ewstype__CalendarPermissionSetType *cal = NULL;
	int n = 0;
	if (!folder)
		return -1;
	/* the kinds lay PermissionSet out differently: read each through its own type */
	if (kind == EWSD_FOLDER_KIND_CALENDAR)
		cal = ((struct ewstype__CalendarFolderType *)folder)->PermissionSet;
	else if (kind == EWSD_FOLDER_KIND_CONTACTS)
		set = ((struct ewstype__ContactsFolderType *)folder)->PermissionSet;
	else
		set = ((struct ewstype__FolderType *)folder)->PermissionSet;   /* Folder, SearchFolder, TasksFolder */
	if (!set && !cal)
		return -1;
	n = set ? (set->Permissions ? set->Permissions->__size_ArrayOfPermissionsType : 0)
		: (cal->CalendarPermissions ? cal->CalendarPermissions->__size_ArrayOfCalendarPermissionsType : 0);
	*users = ewsd_zalloc(soap, sizeof **users * (size_t)(n ? n : 1));
	*levels = ewsd_zalloc(soap, sizeof **levels * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++) {
		if (set) {
			struct ewstype__PermissionType *p = set->Permissions->__union_ArrayOfPermissionsType[i]
								    .union_ArrayOfPermissionsType.Permission;
			if (!p)
				continue;
			(*users)[i] = p->UserId;
			(*levels)[i] = soap_ewstype__PermissionLevelType2s(soap, p->PermissionLevel);
		} else {
			struct ewstype__CalendarPermissionType *p = cal->CalendarPermissions->__union_ArrayOfCalendarPermissionsType[i]
									    .union_ArrayOfCalendarPermissionsType.CalendarPermission;
			if (!p)
				continue;
			(*users)[i] = p->UserId;
			(*levels)[i] = soap_ewstype__CalendarPermissionLevelType2s(soap, p->CalendarPermissionLevel);
		}
		(*levels)[i] = soap_strdup(soap, (*levels)[i]);   /* the 2s converters share one buffer */
	}
	return n;
}
