/* op_junk.c — MarkAsJunk, as its reference page describes: IsJunk says whether the items are junk, MoveItem
 * whether they move — junk ones to Junk Email, the others back to the Inbox — and each response message carries
 * the MovedItemId of a moved item (a move gives a new id, as MoveItem's). An item already where it would go stays
 * and keeps its id. One response message per item; the others of the call still go on. */
#include <string.h>

#include "ewsd.h"

/* MarkAsJunk came with Exchange 2013: older sets (Exchange2010_SP2) have no such operation to serve */
#ifdef SOAP_TYPE_ewsmsg__MarkAsJunkType

static const char *mark_one(struct soap *soap, struct __ewstype__union_NonEmptyArrayOfBaseItemIdsType *u, int move,
			    const struct ewsd_folder *to, struct ewstype__ItemIdType **moved, const char **guid)
{
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewsd_item it;
	const char *err = ewsd_resolve_listed_item(soap, u, &it, guid);
	if (err)
		return err;
	if (!move)
		return NULL;
	if (it.folder_id == to->id) {           /* already there: nothing moves */
		*moved = ewsd_item_id(soap, &it);
		return NULL;
	}
	int64_t new_id;
	if (ewsd_begin(rq->db))
		return "ErrorInternalServerError";
	if (ewsd_item_move(rq->db, it.id, to->id, &new_id) || ewsd_commit(rq->db)) {
		ewsd_rollback(rq->db);
		return "ErrorInternalServerError";
	}
	struct ewsd_item moved_item;
	if (ewsd_item_get(soap, rq->db, new_id, &moved_item))
		return "ErrorInternalServerError";
	*moved = ewsd_item_id(soap, &moved_item);
	return NULL;
}

int __ewsmsg__MarkAsJunk(struct soap *soap, struct ewsmsg__MarkAsJunkType *req, struct __ewsmsg__MarkAsJunkResponse *resp)
{
	int rc = ewsd_begin_op(soap, "MarkAsJunk", req);
	if (rc)
		return rc;
	struct ewsd_request *rq = ewsd_req(soap);
	int n = req->ItemIds ? req->ItemIds->__size_NonEmptyArrayOfBaseItemIdsType : 0;
	int junk = req->IsJunk == xsd__boolean__true_, move = req->MoveItem == xsd__boolean__true_;
	struct ewsd_folder to;
	const char *target_err = NULL;
	if (move && ewsd_folder_distinguished(soap, rq->db, rq->mailbox_id, junk ? "junkemail" : "inbox", &to))
		target_err = "ErrorFolderNotFound";
	resp->ewsmsg__MarkAsJunkResponse = EWSD_NEW(soap, struct ewsmsg__MarkAsJunkResponseType);
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, n);
	resp->ewsmsg__MarkAsJunkResponse->ResponseMessages = msgs;
	for (int i = 0; i < n; i++) {
		struct ewsmsg__MarkAsJunkResponseMessageType *m = EWSD_NEW(soap, struct ewsmsg__MarkAsJunkResponseMessageType);
		msgs->__union_ArrayOfResponseMessagesType[i].__union_ArrayOfResponseMessagesType =
			SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_MarkAsJunkResponseMessage;
		msgs->__union_ArrayOfResponseMessagesType[i].union_ArrayOfResponseMessagesType.MarkAsJunkResponseMessage = m;
		const char *guid = NULL;
		struct ewstype__ItemIdType *moved = NULL;
		const char *err = target_err ? target_err
					     : mark_one(soap, &req->ItemIds->__union_NonEmptyArrayOfBaseItemIdsType[i], move,
							&to, &moved, &guid);
		EWSD_SET_RESULT(soap, m, MarkAsJunkResponseMessageType, err ? err : "NoError");
		if (err && guid)
			EWSD_SET_VALUE(soap, m, MarkAsJunkResponseMessageType, "MailboxGuid", guid);
		m->MovedItemId = moved;
	}
	return SOAP_OK;
}
#endif
