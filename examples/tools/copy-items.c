/* <DESC> ews-copy-items: CopyItem in batches, ids from the command line or stdin, the new ids printed </DESC>
 *
 *   ews-find-items --folder inbox --json | ews-copy-items --to inbox/Projects
 *   ews-copy-items --to inbox/Projects [--batch N] [--json] ID...
 *
 * The batch loop, input and output are shared with ews-move-items (transfer-items.h); this file is
 * the CopyItem call itself. Build alone: cc copy-items.c $(pkg-config --cflags --libs libews)
 */
#include "transfer-items.h"

static ews_status call_copy(ews_client *c, struct soap *arena, struct ewstype__NonEmptyArrayOfBaseItemIdsType *ids,
			   struct ewstype__TargetFolderIdType *to, const struct ewsmsg__ArrayOfResponseMessagesType **msgs)
{
	struct ewsmsg__CopyItemType *req = soap_new_ewsmsg__CopyItemType(arena, 1);
	struct __ewsmsg__CopyItemResponse resp = { 0 };
	if (!req || !EWS_TRANSFER_ASK_NEW_IDS(arena, req))
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	req->ItemIds = ids;
	req->ToFolderId = to;
	ews_status st = ews_copy_item(c, req, &resp);
	*msgs = ews_ok(st) || st.code == EWS_ERR_RESPONSE ? ews_response_messages_of("CopyItem", &resp) : NULL;
	return st;
}

int main(int argc, char **argv)
{
	static const struct transfer_kind kind = { "ews-copy-items", "Copy", "copied", "CopyItem", "; the originals stay", call_copy };
	return transfer_main(&kind, argc, argv);
}
