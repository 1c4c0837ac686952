/* op_send.c — SendItem: send messages already in the mailbox (drafts), as the SendItem reference page describes.
 *
 * Each message is stamped as sent by the mailbox (From, DateTimeSent, read), delivered to the To recipients whose
 * mailbox is in this store (their Inbox), and then either saved — to SavedItemFolderId, else Sent Items, as a new
 * item (a move gives a new id in Exchange too) — or removed (SaveItemToFolder="false"). Only messages can be sent
 * (ErrorInvalidItemForOperationSendItem); one without recipients is ErrorInvalidRecipients. One response message
 * per item; the others of the call still go out. */
#include <string.h>

#include "ewsd.h"

static const char *send_one(struct soap *soap, struct __ewstype__union_NonEmptyArrayOfBaseItemIdsType *u, int save,
			    const struct ewsd_folder *saved_to, const char **guid)
{
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewsd_item it;
	char now[32];
	const char *err = ewsd_resolve_listed_item(soap, u, &it, guid);
	if (err)
		return err;
	if (it.kind != EWSD_MESSAGE)
		return "ErrorInvalidItemForOperationSendItem";
	if ((!it.to_list || !*it.to_list) && (!it.cc_list || !*it.cc_list))
		return "ErrorInvalidRecipients";
	ewsd_now(now);
	it.sent = soap_strdup(soap, now);
	it.from_addr = rq->mailbox_smtp;
	if (!it.from_name)
		it.from_name = rq->mailbox_smtp;
	it.is_read = 1;
	int64_t old = it.id, new_id;
	ewsd_deliver_prepare(soap, &it);
	if (ewsd_begin(rq->db))
		return "ErrorInternalServerError";
	int bad = ewsd_item_update(rq->db, &it, 0);
	if (!bad)
		ewsd_deliver_local(soap, &it);
	if (!bad && save)
		bad = it.folder_id == saved_to->id ? 0 : ewsd_item_move(rq->db, old, saved_to->id, &new_id);
	else if (!bad)
		bad = ewsd_item_delete(rq->db, old);
	if (bad || ewsd_commit(rq->db)) {
		ewsd_rollback(rq->db);
		return "ErrorInternalServerError";
	}
	return NULL;
}

int __ewsmsg__SendItem(struct soap *soap, struct ewsmsg__SendItemType *req, struct __ewsmsg__SendItemResponse *resp)
{
	int rc = ewsd_begin_op(soap, "SendItem", req);
	if (rc)
		return rc;
	struct ewsd_request *rq = ewsd_req(soap);
	int n = req->ItemIds ? req->ItemIds->__size_NonEmptyArrayOfBaseItemIdsType : 0;
	int save = req->SaveItemToFolder == xsd__boolean__true_;
	struct ewsd_folder saved_to;
	const char *target_err = NULL;
	if (save && req->SavedItemFolderId)
		target_err = ewsd_resolve_target(soap, req->SavedItemFolderId, &saved_to);
	else if (save && ewsd_folder_distinguished(soap, rq->db, rq->mailbox_id, "sentitems", &saved_to))
		target_err = "ErrorFolderNotFound";
	resp->ewsmsg__SendItemResponse = EWSD_NEW(soap, struct ewsmsg__SendItemResponseType);
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, n);
	resp->ewsmsg__SendItemResponse->ResponseMessages = msgs;
	for (int i = 0; i < n; i++) {
		struct ewsmsg__ResponseMessageType *m = EWSD_NEW(soap, struct ewsmsg__ResponseMessageType);
		msgs->__union_ArrayOfResponseMessagesType[i].__union_ArrayOfResponseMessagesType =
			SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_SendItemResponseMessage;
		msgs->__union_ArrayOfResponseMessagesType[i].union_ArrayOfResponseMessagesType.SendItemResponseMessage = m;
		const char *guid = NULL;
		const char *err = target_err ? target_err
					     : send_one(soap, &req->ItemIds->__union_NonEmptyArrayOfBaseItemIdsType[i], save,
							&saved_to, &guid);
		EWSD_SET_RESULT(soap, m, ResponseMessageType, err ? err : "NoError");
		if (err && guid)
			EWSD_SET_VALUE(soap, m, ResponseMessageType, "MailboxGuid", guid);
	}
	return SOAP_OK;
}
