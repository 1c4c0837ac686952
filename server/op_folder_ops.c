/* op_folder_ops.c — UpdateFolder, EmptyFolder, MoveFolder, CopyFolder: the folder operations after Get/Create/
 * Delete (op_folder.c), one response message per folder, as the Exchange reference pages of each describe.
 *
 * - UpdateFolder: SetFolderField on folder:DisplayName, folder:FolderClass and folder:PermissionSet (the whole
 *   set replaced, folder_perms.c), DeleteFolderField on folder:FolderClass; all changes of one FolderChange apply together or not at all; a refusal names the field
 *   in MessageXml (<t:FieldURI FieldURI="..."/>), as Exchange's property errors do.
 * - EmptyFolder: the folder's (non-associated) items, and its subfolders when DeleteSubFolders, by DeleteType.
 * - MoveFolder keeps the folder's id (Exchange folder ids survive a move; the ChangeKey changes), CopyFolder makes
 *   a new folder with copies of the items and subfolders. Distinguished folders cannot be moved; a folder cannot
 *   go into itself or its own subtree (ErrorMoveCopyFailed). */
#include <stdlib.h>
#include <string.h>

#include "ewsd.h"
#include "ews_internal.h"

/* ---- shared helpers ---- */

static const char *folder_ref(struct soap *soap, struct __ewstype__union_NonEmptyArrayOfBaseFolderIdsType *u,
			      struct ewsd_folder *f)
{
	if (u->__union_NonEmptyArrayOfBaseFolderIdsType == SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseFolderIdsType_FolderId) {
		struct ewstype__FolderIdType *fid = u->union_NonEmptyArrayOfBaseFolderIdsType.FolderId;
		if (fid && fid->ChangeKey && !ewsd_changekey_wellformed(soap, fid->ChangeKey))
			return "ErrorInvalidChangeKey";
		return ewsd_resolve_folder(soap, fid, NULL, f);
	}
	if (u->__union_NonEmptyArrayOfBaseFolderIdsType ==
	    SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseFolderIdsType_DistinguishedFolderId)
		return ewsd_resolve_folder(soap, NULL, u->union_NonEmptyArrayOfBaseFolderIdsType.DistinguishedFolderId, f);
	return "ErrorInvalidRequest";
}

static struct ewsmsg__FolderInfoResponseMessageType *folder_message(struct soap *soap,
								     struct ewsmsg__ArrayOfResponseMessagesType *msgs,
								     int i, int selector)
{
	struct ewsmsg__FolderInfoResponseMessageType *m = EWSD_NEW(soap, struct ewsmsg__FolderInfoResponseMessageType);
	msgs->__union_ArrayOfResponseMessagesType[i].__union_ArrayOfResponseMessagesType = selector;
	/* every FolderInfo member of the union is the same pointer type */
	msgs->__union_ArrayOfResponseMessagesType[i].union_ArrayOfResponseMessagesType.UpdateFolderResponseMessage = m;
	return m;
}

/* Folders/Folder/FolderId of a folder re-read from the store (its ChangeKey is the new one). */
static struct ewstype__ArrayOfFoldersType *folder_id_only(struct soap *soap, int64_t id)
{
	struct ewsd_folder f;
	if (ewsd_folder_get(soap, ewsd_req(soap)->db, id, &f))
		return NULL;
	struct ewstype__ArrayOfFoldersType *a = EWSD_NEW(soap, struct ewstype__ArrayOfFoldersType);
	a->__union_ArrayOfFoldersType = EWSD_NEW(soap, struct __ewstype__union_ArrayOfFoldersType);
	a->__size_ArrayOfFoldersType = 1;
	a->__union_ArrayOfFoldersType[0].__union_ArrayOfFoldersType = SOAP_UNION__ewstype__union_ArrayOfFoldersType_Folder;
	a->__union_ArrayOfFoldersType[0].union_ArrayOfFoldersType.Folder = ewsd_make_folder(soap, &f, EWSD_P_ID);
	return a;
}

/* A sibling of that name under parent (Exchange compares folder names case-insensitively), other than self. */
static int name_taken(sqlite3 *db, int64_t parent, const char *name, int64_t self)
{
	sqlite3_stmt *st;
	int taken = 0;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM folders WHERE parent_id=? AND display_name=? COLLATE NOCASE AND id<>?",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int64(st, 1, parent);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, self);
	taken = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return taken;
}

/* 1 when folder `id` is `ancestor` or lies below it. */
static int within(sqlite3 *db, int64_t id, int64_t ancestor)
{
	struct ewsd_folder f;
	for (int depth = 0; id && depth < 10000; depth++) {
		if (id == ancestor)
			return 1;
		if (ewsd_folder_get(NULL, db, id, &f))
			return 0;
		free((void *)f.distinguished), free((void *)f.display_name), free((void *)f.folder_class);
		id = f.parent_id;
	}
	return 0;
}

/* The ids of a folder's items (associated ones too when with_associated); *ids malloc'd; count or -1. */
static int folder_items(sqlite3 *db, int64_t folder, int with_associated, int64_t **ids)
{
	sqlite3_stmt *st;
	int n = 0, cap = 0;
	int64_t *v = NULL;
	if (sqlite3_prepare_v2(db, with_associated ? "SELECT id FROM items WHERE folder_id=? ORDER BY id"
						 : "SELECT id FROM items WHERE folder_id=? AND is_associated=0 ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, folder);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == cap) {
			int64_t *g = realloc(v, sizeof *g * (size_t)(cap = cap ? cap * 2 : 64));
			if (!g) {
				n = -1;
				break;
			}
			v = g;
		}
		v[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (n < 0)
		free(v), v = NULL;
	*ids = v;
	return n;
}

/* ---- UpdateFolder ---- */

/* MessageXml <t:FieldURI FieldURI="uri"/>: the property a refusal is about. */
static void name_field(struct soap *soap, struct ewsmsg__FolderInfoResponseMessageType *m, const char *uri)
{
	struct soap_dom_element *e = soap_elt_new(soap, EWS_NS_TYPES, "FieldURI");
	soap_att_text(soap_att(e, NULL, "FieldURI"), uri);
	m->__FolderInfoResponseMessageType_sequence->MessageXml =
		EWSD_NEW(soap, struct _ewsmsg__FolderInfoResponseMessageType_MessageXml);
	m->__FolderInfoResponseMessageType_sequence->MessageXml->__size = 1;
	m->__FolderInfoResponseMessageType_sequence->MessageXml->__any = e;
}

/* The path of a change as a FieldURI string, or NULL for indexed/extended paths (not stored by ewsd). */
static const char *change_uri(struct soap *soap, int selector, struct ewstype__PathToUnindexedFieldType *p)
{
	if (selector != 1 || !p)   /* 1 = FieldURI in all three change description unions */
		return NULL;
	return soap_ewstype__UnindexedFieldURIType2s(soap, p->FieldURI);
}

/* Apply one FolderChange's updates to *name / *cls. Returns NULL or the ResponseCode; *bad_uri the field. */
/* The kind of a SetFolderField's folder element, for ewsd_perm_from_request. */
static int set_field_kind(int selector)
{
	return selector == SOAP_UNION__ewstype__union_SetFolderFieldType__CalendarFolder   ? EWSD_FOLDER_KIND_CALENDAR
	       : selector == SOAP_UNION__ewstype__union_SetFolderFieldType__ContactsFolder ? EWSD_FOLDER_KIND_CONTACTS
											   : EWSD_FOLDER_KIND_FOLDER;
}

/* A permission set to write (folder:PermissionSet), -1 entries when none. */
struct perm_change {
	int n;
	struct ewstype__UserIdType **users;
	const char **levels;
};

static const char *apply_folder_changes(struct soap *soap, struct ewstype__NonEmptyArrayOfFolderChangeDescriptionsType *u,
					const char **name, const char **cls, struct perm_change *perms,
					const char **bad_uri)
{
	int n = u ? u->__size_NonEmptyArrayOfFolderChangeDescriptionsType : 0;
	if (n == 0)
		return "ErrorInvalidRequest";
	for (int k = 0; k < n; k++) {
		struct __ewstype__union_NonEmptyArrayOfFolderChangeDescriptionsType *d =
			&u->__union_NonEmptyArrayOfFolderChangeDescriptionsType[k];
		if (d->__union_NonEmptyArrayOfFolderChangeDescriptionsType ==
		    SOAP_UNION__ewstype__union_NonEmptyArrayOfFolderChangeDescriptionsType_SetFolderField) {
			struct ewstype__SetFolderFieldType *s = d->union_NonEmptyArrayOfFolderChangeDescriptionsType.SetFolderField;
			const char *uri = change_uri(soap, s->__union_SetFolderFieldType, s->union_SetFolderFieldType.FieldURI);
			/* every folder kind starts like FolderType (wsdl2h -F): read DisplayName / FolderClass through it */
			struct ewstype__FolderType *in = s->union_SetFolderFieldType_.Folder;
			*bad_uri = uri;
			if (!s->__union_SetFolderFieldType_ || !in)
				return "ErrorIncorrectUpdatePropertyCount";
			if (uri && !strcmp(uri, "folder:DisplayName")) {
				if (!in->DisplayName)
					return "ErrorIncorrectUpdatePropertyCount";
				if (!*in->DisplayName)
					return "ErrorInvalidFolderName";
				if (ewsd_utf8_chars(in->DisplayName) > EWSD_MAX_FOLDER_NAME)
					return "ErrorDataSizeLimitExceeded";
				*name = in->DisplayName;
			} else if (uri && !strcmp(uri, "folder:FolderClass")) {
				if (!in->FolderClass)
					return "ErrorIncorrectUpdatePropertyCount";
				*cls = in->FolderClass;
			} else if (uri && !strcmp(uri, "folder:PermissionSet")) {
				perms->n = ewsd_perm_from_request(soap, set_field_kind(s->__union_SetFolderFieldType_), in,
								  &perms->users, &perms->levels);
				if (perms->n < 0)
					return "ErrorIncorrectUpdatePropertyCount";
			} else {
				return "ErrorInvalidPropertySet";
			}
		} else if (d->__union_NonEmptyArrayOfFolderChangeDescriptionsType ==
			   SOAP_UNION__ewstype__union_NonEmptyArrayOfFolderChangeDescriptionsType_DeleteFolderField) {
			struct ewstype__DeleteFolderFieldType *x =
				d->union_NonEmptyArrayOfFolderChangeDescriptionsType.DeleteFolderField;
			const char *uri = change_uri(soap, x->__union_DeleteFolderFieldType,
						     x->union_DeleteFolderFieldType.FieldURI);
			*bad_uri = uri;
			if (uri && !strcmp(uri, "folder:FolderClass"))
				*cls = NULL;
			else
				return "ErrorInvalidPropertyDelete";
		} else if (d->__union_NonEmptyArrayOfFolderChangeDescriptionsType ==
			   SOAP_UNION__ewstype__union_NonEmptyArrayOfFolderChangeDescriptionsType_AppendToFolderField) {
			struct ewstype__AppendToFolderFieldType *x =
				d->union_NonEmptyArrayOfFolderChangeDescriptionsType.AppendToFolderField;
			*bad_uri = change_uri(soap, x->__union_AppendToFolderFieldType,
					      x->union_AppendToFolderFieldType.FieldURI);
			return "ErrorInvalidPropertyAppend";
		} else {
			return "ErrorInvalidRequest";
		}
	}
	*bad_uri = NULL;
	return NULL;
}

int __ewsmsg__UpdateFolder(struct soap *soap, struct ewsmsg__UpdateFolderType *req,
			   struct __ewsmsg__UpdateFolderResponse *resp)
{
	int rc = ewsd_begin_op(soap, "UpdateFolder", req);
	if (rc)
		return rc;
	struct ewsd_request *rq = ewsd_req(soap);
	int n = req->FolderChanges ? req->FolderChanges->__sizeFolderChange : 0;
	resp->ewsmsg__UpdateFolderResponse = EWSD_NEW(soap, struct ewsmsg__UpdateFolderResponseType);
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, n);
	resp->ewsmsg__UpdateFolderResponse->ResponseMessages = msgs;
	for (int i = 0; i < n; i++) {
		struct ewstype__FolderChangeType *ch = &req->FolderChanges->FolderChange[i];
		struct ewsmsg__FolderInfoResponseMessageType *m = folder_message(
			soap, msgs, i, SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_UpdateFolderResponseMessage);
		struct ewsd_folder f;
		const char *err = NULL, *bad_uri = NULL;
		if (ch->__union_FolderChangeType == SOAP_UNION__ewstype__union_FolderChangeType_FolderId) {
			struct ewstype__FolderIdType *fid = ch->union_FolderChangeType.FolderId;
			if (fid && fid->ChangeKey && !ewsd_changekey_wellformed(soap, fid->ChangeKey))
				err = "ErrorInvalidChangeKey";
			else
				err = ewsd_resolve_folder(soap, fid, NULL, &f);
		} else if (ch->__union_FolderChangeType == SOAP_UNION__ewstype__union_FolderChangeType_DistinguishedFolderId) {
			err = ewsd_resolve_folder(soap, NULL, ch->union_FolderChangeType.DistinguishedFolderId, &f);
		} else {
			return ewsd_choice_missing_fault(soap, "FolderChange");
		}
		const char *name = NULL, *cls = NULL;
		struct perm_change perms = { -1, NULL, NULL };
		if (!err) {
			name = f.display_name, cls = f.folder_class;
			err = apply_folder_changes(soap, ch->Updates, &name, &cls, &perms, &bad_uri);
		}
		if (!err && name_taken(rq->db, f.parent_id, name, f.id))
			err = "ErrorFolderExists";
		/* the permissions first: they are checked before anything is written, so a refusal changes nothing */
		if (!err && perms.n >= 0 && (err = ewsd_perm_apply(soap, f.id, perms.n, perms.users, perms.levels)))
			bad_uri = "folder:PermissionSet";
		if (!err && (ewsd_begin(rq->db) || ewsd_folder_update(rq->db, f.id, name, cls) || ewsd_commit(rq->db))) {
			ewsd_rollback(rq->db);
			err = "ErrorInternalServerError";
		}
		EWSD_SET_RESULT(soap, m, FolderInfoResponseMessageType, err ? err : "NoError");
		if (err && bad_uri)
			name_field(soap, m, bad_uri);
		if (!err)
			m->Folders = folder_id_only(soap, f.id);
	}
	return SOAP_OK;
}

/* ---- EmptyFolder ---- */

/* EmptyFolder came with Exchange 2010 SP1: older sets have no such operation to serve */
#ifdef SOAP_TYPE_ewsmsg__EmptyFolderType

/* Where DeleteType sends what is removed from `from`: 0 = removed for good. */
static int64_t disposal_target(struct soap *soap, enum ewstype__DisposalType type, int64_t from)
{
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewsd_folder t;
	const char *to = type == ewstype__DisposalType__MoveToDeletedItems ? "deleteditems"
			 : type == ewstype__DisposalType__SoftDelete       ? "recoverableitemsdeletions"
									   : NULL;
	if (to && !ewsd_folder_distinguished(soap, rq->db, rq->mailbox_id, to, &t) && t.id != from) {
		/* emptying Deleted Items "to Deleted Items" goes to the dumpster, as DeleteItem does */
		return t.id;
	}
	if (to && !strcmp(to, "deleteditems") &&
	    !ewsd_folder_distinguished(soap, rq->db, rq->mailbox_id, "recoverableitemsdeletions", &t) && t.id != from)
		return t.id;
	return 0;
}

static int empty_one(struct soap *soap, const struct ewsd_folder *f, enum ewstype__DisposalType type, int subfolders)
{
	sqlite3 *db = ewsd_req(soap)->db;
	int64_t to = disposal_target(soap, type, f->id), *ids = NULL, new_id;
	int n = folder_items(db, f->id, 0, &ids), rc = n < 0 ? -1 : 0;
	for (int k = 0; k < n && !rc; k++)
		rc = to ? ewsd_item_move(db, ids[k], to, &new_id) : ewsd_item_delete(db, ids[k]);
	free(ids);
	if (rc || !subfolders)
		return rc;
	n = ewsd_folder_children(db, f->id, 0, &ids);
	rc = n < 0 ? -1 : 0;
	for (int k = 0; k < n && !rc; k++) {
		struct ewsd_folder c;
		if (ewsd_folder_get(soap, db, ids[k], &c))
			continue;
		if (c.distinguished)        /* well-known folders stay (they cannot be deleted either) */
			continue;
		rc = to ? ewsd_folder_move(db, c.id, to) : ewsd_folder_delete(db, c.id);
	}
	free(ids);
	return rc;
}

int __ewsmsg__EmptyFolder(struct soap *soap, struct ewsmsg__EmptyFolderType *req,
			  struct __ewsmsg__EmptyFolderResponse *resp)
{
	int rc = ewsd_begin_op(soap, "EmptyFolder", req);
	if (rc)
		return rc;
	struct ewsd_request *rq = ewsd_req(soap);
	int n = req->FolderIds ? req->FolderIds->__size_NonEmptyArrayOfBaseFolderIdsType : 0;
	resp->ewsmsg__EmptyFolderResponse = EWSD_NEW(soap, struct ewsmsg__EmptyFolderResponseType);
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, n);
	resp->ewsmsg__EmptyFolderResponse->ResponseMessages = msgs;
	for (int i = 0; i < n; i++) {
		struct ewsmsg__ResponseMessageType *m = EWSD_NEW(soap, struct ewsmsg__ResponseMessageType);
		msgs->__union_ArrayOfResponseMessagesType[i].__union_ArrayOfResponseMessagesType =
			SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_EmptyFolderResponseMessage;
		msgs->__union_ArrayOfResponseMessagesType[i].union_ArrayOfResponseMessagesType.EmptyFolderResponseMessage = m;
		struct ewsd_folder f;
		const char *err = folder_ref(soap, &req->FolderIds->__union_NonEmptyArrayOfBaseFolderIdsType[i], &f);
		if (!err && (ewsd_begin(rq->db) ||
			     empty_one(soap, &f, req->DeleteType, req->DeleteSubFolders == xsd__boolean__true_) ||
			     ewsd_commit(rq->db))) {
			ewsd_rollback(rq->db);
			err = "ErrorCannotEmptyFolder";
		}
		EWSD_SET_RESULT(soap, m, ResponseMessageType, err ? err : "NoError");
	}
	return SOAP_OK;
}

#endif /* SOAP_TYPE_ewsmsg__EmptyFolderType */

/* ---- MoveFolder / CopyFolder ---- */

/* Copy folder src (its items, associated ones too, and its subtree) under parent; *new_id the copy. */
static int copy_tree(struct soap *soap, int64_t src, int64_t parent, int64_t *new_id, int depth)
{
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewsd_folder f;
	int64_t *ids = NULL, id, item;
	if (depth > 300 || ewsd_folder_get(soap, rq->db, src, &f))
		return -1;
	/* the copy is an ordinary folder: the distinguished name stays with the original */
	if ((id = ewsd_folder_create(rq->db, rq->mailbox_id, parent, f.display_name, f.folder_class, NULL)) < 0)
		return -1;
	int n = folder_items(rq->db, src, 1, &ids), rc = n < 0 ? -1 : 0;
	for (int k = 0; k < n && !rc; k++)
		rc = ewsd_item_copy(rq->db, ids[k], id, &item);
	free(ids);
	ids = NULL;
	n = rc ? 0 : ewsd_folder_children(rq->db, src, 0, &ids);
	rc = rc || n < 0 ? -1 : 0;
	for (int k = 0; k < n && !rc; k++) {
		int64_t sub;
		rc = copy_tree(soap, ids[k], id, &sub, depth + 1);
	}
	free(ids);
	*new_id = id;
	return rc;
}

static int move_or_copy_folders(struct soap *soap, struct ewsmsg__BaseMoveCopyFolderType *req, int copy,
				struct ewsmsg__ArrayOfResponseMessagesType **out)
{
	struct ewsd_request *rq = ewsd_req(soap);
	int n = req->FolderIds ? req->FolderIds->__size_NonEmptyArrayOfBaseFolderIdsType : 0;
	struct ewsd_folder to;
	const char *to_err = ewsd_resolve_target(soap, req->ToFolderId, &to);
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, n);
	*out = msgs;
	for (int i = 0; i < n; i++) {
		struct ewsmsg__FolderInfoResponseMessageType *m = folder_message(
			soap, msgs, i,
			copy ? SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_CopyFolderResponseMessage
			     : SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_MoveFolderResponseMessage);
		struct ewsd_folder f;
		int64_t result = 0;
		const char *err = to_err;
		if (!err)
			err = folder_ref(soap, &req->FolderIds->__union_NonEmptyArrayOfBaseFolderIdsType[i], &f);
		if (!err && !copy && f.distinguished)
			err = "ErrorMoveDistinguishedFolder";
		if (!err && within(rq->db, to.id, f.id))
			err = "ErrorMoveCopyFailed";
		if (!err && name_taken(rq->db, to.id, f.display_name, copy ? 0 : f.id))
			err = "ErrorFolderExists";
		if (!err) {
			int bad = ewsd_begin(rq->db);
			if (!bad && copy)
				bad = copy_tree(soap, f.id, to.id, &result, 0);
			else if (!bad)
				bad = ewsd_folder_move(rq->db, f.id, to.id), result = f.id;
			if (bad || ewsd_commit(rq->db)) {
				ewsd_rollback(rq->db);
				err = "ErrorMoveCopyFailed";
			}
		}
		EWSD_SET_RESULT(soap, m, FolderInfoResponseMessageType, err ? err : "NoError");
		if (!err)
			m->Folders = folder_id_only(soap, result);
	}
	return SOAP_OK;
}

int __ewsmsg__MoveFolder(struct soap *soap, struct ewsmsg__MoveFolderType *req, struct __ewsmsg__MoveFolderResponse *resp)
{
	int rc = ewsd_begin_op(soap, "MoveFolder", req);
	if (rc)
		return rc;
	struct ewsmsg__BaseMoveCopyFolderType base = { req->ToFolderId, req->FolderIds, NULL, NULL };
	resp->ewsmsg__MoveFolderResponse = EWSD_NEW(soap, struct ewsmsg__MoveFolderResponseType);
	return move_or_copy_folders(soap, &base, 0, &resp->ewsmsg__MoveFolderResponse->ResponseMessages);
}

int __ewsmsg__CopyFolder(struct soap *soap, struct ewsmsg__CopyFolderType *req, struct __ewsmsg__CopyFolderResponse *resp)
{
	int rc = ewsd_begin_op(soap, "CopyFolder", req);
	if (rc)
		return rc;
	struct ewsmsg__BaseMoveCopyFolderType base = { req->ToFolderId, req->FolderIds, NULL, NULL };
	resp->ewsmsg__CopyFolderResponse = EWSD_NEW(soap, struct ewsmsg__CopyFolderResponseType);
	return move_or_copy_folders(soap, &base, 1, &resp->ewsmsg__CopyFolderResponse->ResponseMessages);
}
