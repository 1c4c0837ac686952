/* op_folder.c — GetFolder, CreateFolder, DeleteFolder. */
#include <string.h>

#include "ewsd.h"

static const char *folder_ref(struct soap *soap, struct __ewstype__union_NonEmptyArrayOfBaseFolderIdsType *u,
			      struct ewsd_folder *f)
{
	if (u->__union_NonEmptyArrayOfBaseFolderIdsType == SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseFolderIdsType_FolderId)
		return ewsd_resolve_folder(soap, u->union_NonEmptyArrayOfBaseFolderIdsType.FolderId, NULL, f);
	if (u->__union_NonEmptyArrayOfBaseFolderIdsType ==
	    SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseFolderIdsType_DistinguishedFolderId)
		return ewsd_resolve_folder(soap, NULL, u->union_NonEmptyArrayOfBaseFolderIdsType.DistinguishedFolderId, f);
	return "ErrorInvalidRequest";
}

static struct ewstype__ArrayOfFoldersType *one_folder(struct soap *soap, const struct ewsd_folder *f, unsigned props)
{
	struct ewstype__ArrayOfFoldersType *a = EWSD_NEW(soap, struct ewstype__ArrayOfFoldersType);
	a->__union_ArrayOfFoldersType = EWSD_NEW(soap, struct __ewstype__union_ArrayOfFoldersType);
	a->__size_ArrayOfFoldersType = 1;
	a->__union_ArrayOfFoldersType[0].__union_ArrayOfFoldersType = SOAP_UNION__ewstype__union_ArrayOfFoldersType_Folder;
	a->__union_ArrayOfFoldersType[0].union_ArrayOfFoldersType.Folder = ewsd_make_folder(soap, f, props);
	return a;
}

static struct ewsmsg__FolderInfoResponseMessageType *info_message(struct soap *soap,
								   struct ewsmsg__ArrayOfResponseMessagesType *msgs,
								   int i, int selector)
{
	struct ewsmsg__FolderInfoResponseMessageType *m = EWSD_NEW(soap, struct ewsmsg__FolderInfoResponseMessageType);
	msgs->__union_ArrayOfResponseMessagesType[i].__union_ArrayOfResponseMessagesType = selector;
	msgs->__union_ArrayOfResponseMessagesType[i].union_ArrayOfResponseMessagesType.GetFolderResponseMessage = m;
	return m;
}

int __ewsmsg__GetFolder(struct soap *soap, struct ewsmsg__GetFolderType *req, struct __ewsmsg__GetFolderResponse *resp)
{
	int rc = ewsd_begin_op(soap, "GetFolder", req);
	if (rc)
		return rc;
	int n = req->FolderIds ? req->FolderIds->__size_NonEmptyArrayOfBaseFolderIdsType : 0;
	unsigned props = ewsd_folder_props(soap, req->FolderShape);
	resp->ewsmsg__GetFolderResponse = EWSD_NEW(soap, struct ewsmsg__GetFolderResponseType);
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, n);
	resp->ewsmsg__GetFolderResponse->ResponseMessages = msgs;
	for (int i = 0; i < n; i++) {
		struct ewsmsg__FolderInfoResponseMessageType *m =
			info_message(soap, msgs, i, SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_GetFolderResponseMessage);
		struct ewsd_folder f;
		const char *err = folder_ref(soap, &req->FolderIds->__union_NonEmptyArrayOfBaseFolderIdsType[i], &f);
		EWSD_SET_RESULT(soap, m, FolderInfoResponseMessageType, err ? err : "NoError");
		if (!err)
			m->Folders = one_folder(soap, &f, props);
		/* every folder answers as t:Folder, so its permissions are a PermissionSet (a calendar too) */
		if (!err && (props & EWSD_P_F_PERMS))
			m->Folders->__union_ArrayOfFoldersType[0].union_ArrayOfFoldersType.Folder->PermissionSet =
				ewsd_perm_set_of(soap, f.id);
	}
	return SOAP_OK;
}

int __ewsmsg__CreateFolder(struct soap *soap, struct ewsmsg__CreateFolderType *req,
			   struct __ewsmsg__CreateFolderResponse *resp)
{
	int rc = ewsd_begin_op(soap, "CreateFolder", req);
	if (rc)
		return rc;
	struct ewsd_request *rq = ewsd_req(soap);
	int n = req->Folders ? req->Folders->__size_NonEmptyArrayOfFoldersType : 0;
	struct ewsd_folder parent;
	const char *parent_err = ewsd_resolve_target(soap, req->ParentFolderId, &parent);
	resp->ewsmsg__CreateFolderResponse = EWSD_NEW(soap, struct ewsmsg__CreateFolderResponseType);
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, n);
	resp->ewsmsg__CreateFolderResponse->ResponseMessages = msgs;
	for (int i = 0; i < n; i++) {
		struct ewsmsg__FolderInfoResponseMessageType *m = info_message(
			soap, msgs, i, SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_CreateFolderResponseMessage);
		struct __ewstype__union_NonEmptyArrayOfFoldersType *u = &req->Folders->__union_NonEmptyArrayOfFoldersType[i];
		/* every folder type starts like FolderType (wsdl2h -F); read the common members through it */
		struct ewstype__FolderType *in = u->union_NonEmptyArrayOfFoldersType.Folder;
		const char *err = parent_err;
		/* a generic Folder without FolderClass has none in Exchange (clients then treat it as a mail folder) */
		const char *cls = NULL;
		struct ewsd_folder f;
		if (u->__union_NonEmptyArrayOfFoldersType == SOAP_UNION__ewstype__union_NonEmptyArrayOfFoldersType_CalendarFolder)
			cls = "IPF.Appointment";
		else if (u->__union_NonEmptyArrayOfFoldersType == SOAP_UNION__ewstype__union_NonEmptyArrayOfFoldersType_ContactsFolder)
			cls = "IPF.Contact";
		else if (u->__union_NonEmptyArrayOfFoldersType == SOAP_UNION__ewstype__union_NonEmptyArrayOfFoldersType_TasksFolder)
			cls = "IPF.Task";
		if (!err && (!in || !in->DisplayName || !*in->DisplayName))
			err = "ErrorInvalidFolderName";
		if (!err && ewsd_utf8_chars(in->DisplayName) > EWSD_MAX_FOLDER_NAME)
			err = "ErrorDataSizeLimitExceeded";
		if (!err && u->__union_NonEmptyArrayOfFoldersType == SOAP_UNION__ewstype__union_NonEmptyArrayOfFoldersType_Folder &&
		    in->FolderClass)
			cls = in->FolderClass;
		if (!err) {
			sqlite3_stmt *st;
			if (sqlite3_prepare_v2(rq->db, "SELECT 1 FROM folders WHERE parent_id=? AND display_name=? COLLATE NOCASE",
					       -1, &st, NULL) == SQLITE_OK) {
				sqlite3_bind_int64(st, 1, parent.id);
				sqlite3_bind_text(st, 2, in->DisplayName, -1, SQLITE_STATIC);
				if (sqlite3_step(st) == SQLITE_ROW)
					err = "ErrorFolderExists";
				sqlite3_finalize(st);
			}
		}
		if (!err) {
			int64_t id = -1; /* set unless err is */
			if (ewsd_begin(rq->db) ||
			    (id = ewsd_folder_create(rq->db, parent.mailbox_id, parent.id, in->DisplayName, cls, NULL)) < 0 ||
			    ewsd_commit(rq->db) || ewsd_folder_get(soap, rq->db, id, &f)) {
				ewsd_rollback(rq->db);
				err = "ErrorInternalServerError";
			}
			/* a PermissionSet given with the folder is its first one; refused, the folder is not made */
			struct ewstype__UserIdType **users;
			const char **levels;
			int kind = u->__union_NonEmptyArrayOfFoldersType ==
						   SOAP_UNION__ewstype__union_NonEmptyArrayOfFoldersType_CalendarFolder
					   ? EWSD_FOLDER_KIND_CALENDAR
				   : u->__union_NonEmptyArrayOfFoldersType ==
						   SOAP_UNION__ewstype__union_NonEmptyArrayOfFoldersType_ContactsFolder
					   ? EWSD_FOLDER_KIND_CONTACTS
					   : EWSD_FOLDER_KIND_FOLDER;
			int np = err ? -1 : ewsd_perm_from_request(soap, kind, in, &users, &levels);
			if (np >= 0 && (err = ewsd_perm_apply(soap, id, np, users, levels)) != NULL &&
			    (ewsd_begin(rq->db) || ewsd_folder_delete(rq->db, id) || ewsd_commit(rq->db)))
				ewsd_rollback(rq->db);
		}
		EWSD_SET_RESULT(soap, m, FolderInfoResponseMessageType, err ? err : "NoError");
		if (!err)
			m->Folders = one_folder(soap, &f, EWSD_P_ID);
	}
	return SOAP_OK;
}

int __ewsmsg__DeleteFolder(struct soap *soap, struct ewsmsg__DeleteFolderType *req,
			   struct __ewsmsg__DeleteFolderResponse *resp)
{
	int rc = ewsd_begin_op(soap, "DeleteFolder", req);
	if (rc)
		return rc;
	struct ewsd_request *rq = ewsd_req(soap);
	int n = req->FolderIds ? req->FolderIds->__size_NonEmptyArrayOfBaseFolderIdsType : 0;
	/* as DeleteItem: MoveToDeletedItems moves the folder into Deleted Items (a second delete there removes it),
	 * SoftDelete into the dumpster (Recoverable Items\Deletions), HardDelete removes it with its contents */
	struct ewsd_folder deleted, dumpster;
	int have_deleted = !ewsd_folder_distinguished(soap, rq->db, rq->mailbox_id, "deleteditems", &deleted);
	int have_dumpster = !ewsd_folder_distinguished(soap, rq->db, rq->mailbox_id, "recoverableitemsdeletions", &dumpster);
	resp->ewsmsg__DeleteFolderResponse = EWSD_NEW(soap, struct ewsmsg__DeleteFolderResponseType);
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, n);
	resp->ewsmsg__DeleteFolderResponse->ResponseMessages = msgs;
	for (int i = 0; i < n; i++) {
		struct ewsmsg__ResponseMessageType *m = EWSD_NEW(soap, struct ewsmsg__ResponseMessageType);
		struct ewsd_folder f;
		msgs->__union_ArrayOfResponseMessagesType[i].__union_ArrayOfResponseMessagesType =
			SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_DeleteFolderResponseMessage;
		msgs->__union_ArrayOfResponseMessagesType[i].union_ArrayOfResponseMessagesType.DeleteFolderResponseMessage = m;
		const char *err = folder_ref(soap, &req->FolderIds->__union_NonEmptyArrayOfBaseFolderIdsType[i], &f);
		if (!err && f.distinguished)
			err = "ErrorDeleteDistinguishedFolder";
		int64_t to = 0;
		if (!err && req->DeleteType == ewstype__DisposalType__MoveToDeletedItems && have_deleted &&
		    f.parent_id != deleted.id)
			to = deleted.id;
		else if (!err && req->DeleteType == ewstype__DisposalType__SoftDelete && have_dumpster &&
			 f.parent_id != dumpster.id)
			to = dumpster.id;
		if (!err && (ewsd_begin(rq->db) || (to ? ewsd_folder_move(rq->db, f.id, to) : ewsd_folder_delete(rq->db, f.id)) ||
			     ewsd_commit(rq->db))) {
			ewsd_rollback(rq->db);
			err = "ErrorInternalServerError";
		}
		EWSD_SET_RESULT(soap, m, ResponseMessageType, err ? err : "NoError");
	}
	return SOAP_OK;
}
