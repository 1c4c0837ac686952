/* op_archive.c — ArchiveItem (MS-OXWSARCH, Exchange 2013+): items of a folder of the primary mailbox move into the
 * archive mailbox. MS-OXWSARCH 1.3: archiving "preserves the folder hierarchy of the items", so an item lands in the
 * archive folder at the source folder's path below the top of the information store (Inbox -> archiveinbox,
 * Inbox/Projects -> the archive's Inbox/Projects), folders on that path that the archive lacks being made with the
 * source folders' names and classes. As on the reference page, one ArchiveItemResponseMessage per item, each with
 * an empty Items (Exchange does not name the archived copies); a mailbox without an archive answers every item
 * ErrorInvalidOperation "Archive mailbox is not enabled for this user." (the page's error example). */
#include <string.h>

#include "ewsd.h"

/* ArchiveItem came with Exchange 2013: older sets (Exchange2010_SP2) have no such operation to serve */
#ifdef SOAP_TYPE_ewsmsg__ArchiveItemType

#define ARCHIVE_NOT_ENABLED "Archive mailbox is not enabled for this user."
#define MAX_DEPTH 64     /* folder nesting walked; deeper trees are refused rather than looped over */

/* The archive folder mirroring src (made where missing), in the caller's transaction: NULL or the ResponseCode. */
static const char *mirror_folder(struct soap *soap, const struct ewsd_folder *src, const struct ewsd_folder *aroot,
				 int64_t *out)
{
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewsd_folder chain[MAX_DEPTH], f = *src;
	int n = 0;
	/* the source's path up to (not including) msgfolderroot */
	while (!(f.distinguished && !strcmp(f.distinguished, "msgfolderroot"))) {
		if (n == MAX_DEPTH || !f.parent_id)
			return "ErrorInvalidOperation";         /* outside the IPM subtree (Recoverable Items ...) */
		chain[n++] = f;
		if (ewsd_folder_get(soap, rq->db, f.parent_id, &f))
			return "ErrorInvalidOperation";
	}
	int64_t at = aroot->id;
	for (int k = n - 1; k >= 0; k--) {
		sqlite3_stmt *st = ewsd_stmt(rq->db, "SELECT id FROM folders WHERE parent_id=? AND display_name=? COLLATE NOCASE");
		int64_t next = 0;
		if (!st)
			return "ErrorInternalServerError";
		sqlite3_bind_int64(st, 1, at);
		sqlite3_bind_text(st, 2, chain[k].display_name, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			next = sqlite3_column_int64(st, 0);
		ewsd_stmt_done(rq->db, st);
		if (!next)
			next = ewsd_folder_create(rq->db, rq->mailbox_id, at, chain[k].display_name, chain[k].folder_class, NULL);
		if (next <= 0)
			return "ErrorInternalServerError";
		at = next;
	}
	*out = at;
	return NULL;
}

static const char *archive_one(struct soap *soap, struct __ewstype__union_NonEmptyArrayOfBaseItemIdsType *u,
			       const struct ewsd_folder *src, const struct ewsd_folder *aroot, const char **guid)
{
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewsd_item it;
	if (u->__union_NonEmptyArrayOfBaseItemIdsType != SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseItemIdsType_ItemId ||
	    !u->union_NonEmptyArrayOfBaseItemIdsType.ItemId)
		return "ErrorInvalidIdMalformed";
	struct ewstype__ItemIdType *id = u->union_NonEmptyArrayOfBaseItemIdsType.ItemId;
	const char *err = ewsd_resolve_item(soap, id->Id, id->ChangeKey, 0, &it, guid);
	if (err)
		return err;
	if (it.mailbox_id != rq->mailbox_id)
		return "ErrorCannotArchiveItemsInPublicFolders";
	if (ewsd_folder_in_archive(rq->db, it.folder_id))
		return "ErrorCannotArchiveItemsInArchiveMailbox";
	if (it.folder_id != src->id)
		return "ErrorItemNotFound";            /* ArchiveSourceFolderId names the folder the items are in */
	if (it.is_associated)
		return "ErrorInvalidItemForOperationArchiveItem";   /* folder-associated items stay with their folder */
	int64_t to, new_id;
	if (ewsd_begin(rq->db))
		return "ErrorInternalServerError";
	err = mirror_folder(soap, src, aroot, &to);
	if (!err && ewsd_item_move(rq->db, it.id, to, &new_id))
		err = "ErrorInternalServerError";
	if (err || ewsd_commit(rq->db)) {
		ewsd_rollback(rq->db);
		return err ? err : "ErrorInternalServerError";
	}
	return NULL;
}

int __ewsmsg__ArchiveItem(struct soap *soap, struct ewsmsg__ArchiveItemType *req, struct __ewsmsg__ArchiveItemResponse *resp)
{
	int rc = ewsd_begin_op(soap, "ArchiveItem", req);
	if (rc)
		return rc;
	struct ewsd_request *rq = ewsd_req(soap);
	int n = req->ItemIds ? req->ItemIds->__size_NonEmptyArrayOfBaseItemIdsType : 0;
	struct ewsd_folder src, aroot;
	const char *all_err = NULL, *all_text = NULL;
	if (ewsd_folder_distinguished(soap, rq->db, rq->mailbox_id, "archivemsgfolderroot", &aroot))
		all_err = "ErrorInvalidOperation", all_text = ARCHIVE_NOT_ENABLED;
	else if ((all_err = ewsd_resolve_target(soap, req->ArchiveSourceFolderId, &src)) == NULL) {
		if (src.mailbox_id != rq->mailbox_id)
			all_err = "ErrorCannotArchiveItemsInPublicFolders";
		else if (ewsd_folder_in_archive(rq->db, src.id))
			all_err = "ErrorCannotArchiveItemsInArchiveMailbox";
	}
	resp->ewsmsg__ArchiveItemResponse = EWSD_NEW(soap, struct ewsmsg__ArchiveItemResponseType);
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, n);
	resp->ewsmsg__ArchiveItemResponse->ResponseMessages = msgs;
	for (int i = 0; i < n; i++) {
		struct ewsmsg__ItemInfoResponseMessageType *m = EWSD_NEW(soap, struct ewsmsg__ItemInfoResponseMessageType);
		msgs->__union_ArrayOfResponseMessagesType[i].__union_ArrayOfResponseMessagesType =
			SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_ArchiveItemResponseMessage;
		msgs->__union_ArrayOfResponseMessagesType[i].union_ArrayOfResponseMessagesType.ArchiveItemResponseMessage = m;
		const char *guid = NULL;
		const char *err = all_err ? all_err
					  : archive_one(soap, &req->ItemIds->__union_NonEmptyArrayOfBaseItemIdsType[i], &src,
							&aroot, &guid);
		EWSD_SET_RESULT(soap, m, ItemInfoResponseMessageType, err ? err : "NoError");
		if (err && all_text)
			m->__ItemInfoResponseMessageType_sequence->MessageText = (char *)all_text;
		if (err && guid)
			EWSD_SET_VALUE(soap, m, ItemInfoResponseMessageType, "MailboxGuid", guid);
		m->Items = EWSD_NEW(soap, struct ewstype__ArrayOfRealItemsType);    /* <m:Items/>, as the page shows */
	}
	return SOAP_OK;
}
#endif
