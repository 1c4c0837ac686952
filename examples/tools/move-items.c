/* <DESC> ews-move-items: MoveItem in batches, ids from the command line or stdin, the new ids printed </DESC>
 *
 *   ews-find-items --folder inbox --json | ews-move-items --to inbox/Projects
 *   ews-move-items --to inbox/Projects [--batch N] [--json] ID...
 *
 * The batch loop, input and output are shared with ews-copy-items (transfer-items.h); this file is
 * the MoveItem call itself. Build alone: cc move-items.c $(pkg-config --cflags --libs libews)
 */
#include "transfer-items.h"

static ews_status call_move(ews_client *c, struct soap *arena, struct ewstype__NonEmptyArrayOfBaseItemIdsType *ids,
			   struct ewstype__TargetFolderIdType *to, const struct ewsmsg__ArrayOfResponseMessagesType **msgs)
{
	struct ewsmsg__MoveItemType *req = soap_new_ewsmsg__MoveItemType(arena, 1);
	struct __ewsmsg__MoveItemResponse resp = { 0 };
	if (!req || !EWS_TRANSFER_ASK_NEW_IDS(arena, req))
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	req->ItemIds = ids;
	req->ToFolderId = to;
	ews_status st = ews_move_item(c, req, &resp);
	*msgs = ews_ok(st) || st.code == EWS_ERR_RESPONSE ? ews_response_messages_of("MoveItem", &resp) : NULL;
	return st;
}

int main(int argc, char **argv)
{
	static const struct transfer_kind kind = { "ews-move-items", "Move", "moved", "MoveItem", "", call_move };
	return transfer_main(&kind, argc, argv);
}
