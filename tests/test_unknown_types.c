/* test_unknown_types.c — element types the bindings do not know are never lost: an unknown item, folder or
 * attachment type in a list (t:SharingMessage with the default schema, an invented t:FutureItem with any schema)
 * is kept as a generic element with its name, ItemId, ChangeKey and XML, and every sibling after it survives; an
 * unknown element inside any other single choice drops only itself; the sync iterator hands unknown item types out
 * as EWS_ITEM_OTHER and refuses (without moving the SyncState) a batch holding a change it cannot deliver; the
 * pager delivers unknown types too; ews-sync-folder-items prints them, and keeps its state file on such a batch.
 *
 * Runs against whatever bindings were generated (ours or an official set): t:SharingMessage is unknown to ours and
 * known to V2018, t:FutureItem / t:FutureFolder / t:CloudAttachment are unknown to every set. Both must come out
 * the same way. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "soapH.h"
#include "ews/codec.h"
#include "ews/ews.h"
#include "ews/pager.h"
#include "ews/response.h"
#include "ews/sync.h"
#include "ews_dom.h"
#include "ews_test.h"
#include "ews_test_ews.h"
#include "ews_view_internal.h"

#define NS_M "http://schemas.microsoft.com/exchange/services/2006/messages"
#define NS_T "http://schemas.microsoft.com/exchange/services/2006/types"

static struct soap *ctx;

static const char sharing_message[] =
	"<t:SharingMessage><t:ItemId Id=\"SHARE1==\" ChangeKey=\"CKshare\"/>"
	"<t:Subject>Alice wants to share her calendar</t:Subject>"
	"<t:SharingMessageAction><t:Action>Request</t:Action></t:SharingMessageAction></t:SharingMessage>";
static const char future_item[] =
	"<t:FutureItem><t:ItemId Id=\"FUTURE1==\" ChangeKey=\"CKfuture\"/><t:ItemClass>IPM.Future</t:ItemClass>"
	"<t:Subject>from 2030</t:Subject><t:Size>1234</t:Size><t:IsRead>true</t:IsRead>"
	"<t:Gizmo><t:Part>x &amp; y</t:Part></t:Gizmo></t:FutureItem>";

static char *message_xml(const char *id, const char *subject)
{
	char *out = malloc(512);
	snprintf(out, 512, "<t:Message><t:ItemId Id=\"%s\" ChangeKey=\"CK%s\"/><t:Subject>%s</t:Subject></t:Message>",
	         id, id, subject);
	return out;
}

/* A SyncFolderItems response envelope around `changes` (the content of m:Changes). malloc'd. */
static char *sync_items_response(const char *state, const char *changes)
{
	size_t n = strlen(changes) + 2048;
	char *body = malloc(n), *env;
	snprintf(body, n,
	         "<m:SyncFolderItemsResponse xmlns:m=\"" NS_M "\" xmlns:t=\"" NS_T "\"><m:ResponseMessages>"
	         "<m:SyncFolderItemsResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode>"
	         "<m:SyncState>%s</m:SyncState><m:IncludesLastItemInRange>true</m:IncludesLastItemInRange>"
	         "<m:Changes>%s</m:Changes></m:SyncFolderItemsResponseMessage></m:ResponseMessages>"
	         "</m:SyncFolderItemsResponse>", state, changes);
	env = ews_test_soap_envelope(ews_test_server_version_header, body);
	free(body);
	return env;
}

/* The reproducer: Message, SharingMessage, FutureItem, Message creates, then a Delete. */
static char *mixed_changes(void)
{
	char *m1 = message_xml("MSG1==", "first"), *m3 = message_xml("MSG3==", "third");
	char *out = malloc(4096);
	snprintf(out, 4096, "<t:Create>%s</t:Create><t:Create>%s</t:Create><t:Create>%s</t:Create>"
	                    "<t:Create>%s</t:Create><t:Delete><t:ItemId Id=\"DEL1==\" ChangeKey=\"CKdel\"/></t:Delete>",
	         m1, sharing_message, future_item, m3);
	free(m1);
	free(m3);
	return out;
}

static const struct ewsmsg__SyncFolderItemsResponseMessageType *decode_sync(const char *xml)
{
	ews_decoded_message m;
	ews_response_message rm;
	ews_status st = ews_message_decode(ctx, xml, strlen(xml), &m);
	CU_ASSERT_EQUAL_FATAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(ews_response_messages_get(ews_response_messages_of("SyncFolderItems", m.body), 0, &rm), 0);
	return rm.message;
}

static void check_sharing_view(const ews_item_view *v)
{
	CU_ASSERT_EQUAL(v->kind, EWS_ITEM_OTHER);
	CU_ASSERT_STRING_EQUAL(v->element ? v->element : "", "SharingMessage");
	CU_ASSERT_STRING_EQUAL(v->id ? v->id : "", "SHARE1==");
	CU_ASSERT_STRING_EQUAL(v->change_key ? v->change_key : "", "CKshare");
	CU_ASSERT_STRING_EQUAL(v->subject ? v->subject : "", "Alice wants to share her calendar");
	CU_ASSERT_PTR_NOT_NULL(v->dom);
	CU_ASSERT_PTR_NOT_NULL(v->typed.any);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v->xml);
	CU_ASSERT_PTR_NOT_NULL(strstr(v->xml, "SharingMessage"));
	CU_ASSERT_PTR_NOT_NULL(strstr(v->xml, "Alice wants to share her calendar"));
	CU_ASSERT_PTR_NOT_NULL(strstr(v->xml, "=\"" NS_T "\""));    /* namespace-complete */
}

static void check_future_view(const ews_item_view *v)
{
	CU_ASSERT_EQUAL(v->kind, EWS_ITEM_OTHER);
	CU_ASSERT_STRING_EQUAL(v->element ? v->element : "", "FutureItem");
	CU_ASSERT_STRING_EQUAL(v->id ? v->id : "", "FUTURE1==");
	CU_ASSERT_STRING_EQUAL(v->change_key ? v->change_key : "", "CKfuture");
	CU_ASSERT_STRING_EQUAL(v->item_class ? v->item_class : "", "IPM.Future");
	CU_ASSERT_EQUAL(v->size, 1234);
	CU_ASSERT_EQUAL(v->is_read, 1);
	CU_ASSERT_EQUAL(v->has_attachments, -1);
	CU_ASSERT_PTR_EQUAL(v->typed.any, v->dom);                  /* unknown to every schema: the DOM itself */
	CU_ASSERT_PTR_NOT_NULL_FATAL(v->xml);
	CU_ASSERT_PTR_NOT_NULL(strstr(v->xml, "x &amp; y"));
	CU_ASSERT_PTR_NOT_NULL(strstr(v->dom->name, "FutureItem"));
	CU_ASSERT_STRING_EQUAL(ews_dom_child_text(ews_dom_child(v->dom, "Gizmo"), "Part"), "x & y");
}

/* The case at the decoder: 5 changes in, 5 changes out, in order, with the Delete after them. */
static void an_unknown_item_type_in_a_sync_batch_keeps_every_change(void)
{
	char *changes = mixed_changes(), *xml = sync_items_response("STATE2==", changes);
	const struct ewsmsg__SyncFolderItemsResponseMessageType *sm = decode_sync(xml);
	const struct __ewstype__union_SyncFolderItemsChangesType *ch;
	ews_item_view v;

	CU_ASSERT_STRING_EQUAL(sm->SyncState, "STATE2==");
	CU_ASSERT_PTR_NOT_NULL_FATAL(sm->IncludesLastItemInRange);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sm->Changes);
	CU_ASSERT_EQUAL_FATAL(sm->Changes->__size_SyncFolderItemsChangesType, 5);
	ch = sm->Changes->__union_SyncFolderItemsChangesType;
	for (int i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(ch[i].__union_SyncFolderItemsChangesType,
		                SOAP_UNION__ewstype__union_SyncFolderItemsChangesType_Create);
	CU_ASSERT_EQUAL(ch[4].__union_SyncFolderItemsChangesType, SOAP_UNION__ewstype__union_SyncFolderItemsChangesType_Delete);
	CU_ASSERT_STRING_EQUAL(ch[4].union_SyncFolderItemsChangesType.Delete->ItemId->Id, "DEL1==");

	CU_ASSERT_EQUAL(ews_view_sync_item(ctx, ch[0].union_SyncFolderItemsChangesType.Create, &v).code, EWS_OK);
	CU_ASSERT_EQUAL(v.kind, EWS_ITEM_MESSAGE);
	CU_ASSERT_STRING_EQUAL(v.element, "Message");
	CU_ASSERT_STRING_EQUAL(v.id, "MSG1==");
	CU_ASSERT_PTR_NULL(v.xml);
	CU_ASSERT_EQUAL(ews_view_sync_item(ctx, ch[1].union_SyncFolderItemsChangesType.Create, &v).code, EWS_OK);
	check_sharing_view(&v);
	CU_ASSERT_EQUAL(ews_view_sync_item(ctx, ch[2].union_SyncFolderItemsChangesType.Create, &v).code, EWS_OK);
	check_future_view(&v);
	CU_ASSERT_EQUAL(ews_view_sync_item(ctx, ch[3].union_SyncFolderItemsChangesType.Create, &v).code, EWS_OK);
	CU_ASSERT_STRING_EQUAL(v.subject, "third");
	free(changes);
	free(xml);
}

/* An Update whose item type is unknown, as the first change and as the last. */
static void an_update_with_an_unknown_type_is_kept(void)
{
	char changes[4096], *xml;
	const struct ewsmsg__SyncFolderItemsResponseMessageType *sm;
	ews_item_view v;

	snprintf(changes, sizeof changes, "<t:Update>%s</t:Update><t:ReadFlagChange><t:ItemId Id=\"R==\"/>"
	         "<t:IsRead>true</t:IsRead></t:ReadFlagChange><t:Update>%s</t:Update>", future_item, sharing_message);
	xml = sync_items_response("S3==", changes);
	sm = decode_sync(xml);
	CU_ASSERT_EQUAL_FATAL(sm->Changes->__size_SyncFolderItemsChangesType, 3);
	CU_ASSERT_EQUAL(sm->Changes->__union_SyncFolderItemsChangesType[1].__union_SyncFolderItemsChangesType,
	                SOAP_UNION__ewstype__union_SyncFolderItemsChangesType_ReadFlagChange);
	CU_ASSERT_EQUAL(ews_view_sync_item(ctx, sm->Changes->__union_SyncFolderItemsChangesType[0]
	                                               .union_SyncFolderItemsChangesType.Update, &v).code, EWS_OK);
	check_future_view(&v);
	CU_ASSERT_EQUAL(ews_view_sync_item(ctx, sm->Changes->__union_SyncFolderItemsChangesType[2]
	                                               .union_SyncFolderItemsChangesType.Update, &v).code, EWS_OK);
	check_sharing_view(&v);
	free(xml);
}

/* An item list (GetItem Items): unknown types between known ones, and the response's later parts intact. */
static void an_item_list_keeps_unknown_types_in_place(void)
{
	char body[8192], *env, *m1 = message_xml("A==", "one");
	ews_decoded_message m;
	ews_response_message rm;
	const struct ewsmsg__ItemInfoResponseMessageType *info;
	ews_item_view v;

	snprintf(body, sizeof body,
	         "<m:GetItemResponse xmlns:m=\"" NS_M "\" xmlns:t=\"" NS_T "\"><m:ResponseMessages>"
	         "<m:GetItemResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode>"
	         "<m:Items>%s%s%s<t:CalendarItem><t:ItemId Id=\"CAL==\"/><t:Start>2030-01-01T10:00:00Z</t:Start>"
	         "</t:CalendarItem></m:Items></m:GetItemResponseMessage>"
	         "<m:GetItemResponseMessage ResponseClass=\"Error\"><m:MessageText>gone</m:MessageText>"
	         "<m:ResponseCode>ErrorItemNotFound</m:ResponseCode></m:GetItemResponseMessage>"
	         "</m:ResponseMessages></m:GetItemResponse>", m1, future_item, sharing_message);
	env = ews_test_soap_envelope(ews_test_server_version_header, body);
	CU_ASSERT_EQUAL_FATAL(ews_message_decode(ctx, env, strlen(env), &m).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_response_messages_count(ews_response_messages_of("GetItem", m.body)), 2);
	CU_ASSERT_EQUAL_FATAL(ews_response_messages_get(ews_response_messages_of("GetItem", m.body), 0, &rm), 0);
	info = rm.message;
	CU_ASSERT_PTR_NOT_NULL_FATAL(info->Items);
	CU_ASSERT_EQUAL_FATAL(info->Items->__size_ArrayOfRealItemsType, 4);
	CU_ASSERT_EQUAL(ews_view_real_item(ctx, &info->Items->__union_ArrayOfRealItemsType[1], &v).code, EWS_OK);
	check_future_view(&v);
	CU_ASSERT_EQUAL(ews_view_real_item(ctx, &info->Items->__union_ArrayOfRealItemsType[2], &v).code, EWS_OK);
	check_sharing_view(&v);
	CU_ASSERT_EQUAL(ews_view_real_item(ctx, &info->Items->__union_ArrayOfRealItemsType[3], &v).code, EWS_OK);
	CU_ASSERT_EQUAL(v.kind, EWS_ITEM_CALENDAR);
	CU_ASSERT_STRING_EQUAL(v.start, "2030-01-01T10:00:00Z");
	CU_ASSERT_EQUAL_FATAL(ews_response_messages_get(ews_response_messages_of("GetItem", m.body), 1, &rm), 0);
	CU_ASSERT_STRING_EQUAL(rm.response_code, "ErrorItemNotFound");
	free(m1);
	free(env);
}

static const char future_folder[] =
	"<t:FutureFolder><t:FolderId Id=\"FF==\" ChangeKey=\"CKff\"/><t:DisplayName>Holo-notes</t:DisplayName>"
	"<t:TotalCount>7</t:TotalCount></t:FutureFolder>";

/* A folder list (FindFolder) and a hierarchy sync batch with an unknown folder type. */
static void folder_lists_keep_unknown_folder_types(void)
{
	char body[8192], *env;
	ews_decoded_message m;
	ews_response_message rm;
	const struct ewsmsg__FindFolderResponseMessageType *ff;
	const struct ewsmsg__SyncFolderHierarchyResponseMessageType *sh;
	ews_folder_view v;

	snprintf(body, sizeof body,
	         "<m:FindFolderResponse xmlns:m=\"" NS_M "\" xmlns:t=\"" NS_T "\"><m:ResponseMessages>"
	         "<m:FindFolderResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode>"
	         "<m:RootFolder TotalItemsInView=\"3\" IncludesLastItemInRange=\"true\"><t:Folders>"
	         "<t:Folder><t:FolderId Id=\"F1==\"/><t:DisplayName>One</t:DisplayName></t:Folder>%s"
	         "<t:CalendarFolder><t:FolderId Id=\"C1==\"/><t:DisplayName>Cal</t:DisplayName></t:CalendarFolder>"
	         "</t:Folders></m:RootFolder></m:FindFolderResponseMessage></m:ResponseMessages></m:FindFolderResponse>",
	         future_folder);
	env = ews_test_soap_envelope(NULL, body);
	CU_ASSERT_EQUAL_FATAL(ews_message_decode(ctx, env, strlen(env), &m).code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(ews_response_messages_get(ews_response_messages_of("FindFolder", m.body), 0, &rm), 0);
	ff = rm.message;
	CU_ASSERT_PTR_NOT_NULL_FATAL(ff->RootFolder->Folders);
	CU_ASSERT_EQUAL_FATAL(ff->RootFolder->Folders->__size_ArrayOfFoldersType, 3);
	CU_ASSERT_EQUAL(ews_view_folder(ctx, &ff->RootFolder->Folders->__union_ArrayOfFoldersType[1], &v).code, EWS_OK);
	CU_ASSERT_EQUAL(v.kind, EWS_FOLDER_OTHER);
	CU_ASSERT_STRING_EQUAL(v.element, "FutureFolder");
	CU_ASSERT_STRING_EQUAL(v.id, "FF==");
	CU_ASSERT_STRING_EQUAL(v.change_key, "CKff");
	CU_ASSERT_STRING_EQUAL(v.display_name, "Holo-notes");
	CU_ASSERT_EQUAL(v.total_count, 7);
	CU_ASSERT_EQUAL(v.unread_count, -1);
	CU_ASSERT_PTR_NOT_NULL(v.xml && strstr(v.xml, "Holo-notes"));
	CU_ASSERT_EQUAL(ews_view_folder(ctx, &ff->RootFolder->Folders->__union_ArrayOfFoldersType[2], &v).code, EWS_OK);
	CU_ASSERT_EQUAL(v.kind, EWS_FOLDER_CALENDAR);
	CU_ASSERT_STRING_EQUAL(v.element, "CalendarFolder");
	free(env);

	snprintf(body, sizeof body,
	         "<m:SyncFolderHierarchyResponse xmlns:m=\"" NS_M "\" xmlns:t=\"" NS_T "\"><m:ResponseMessages>"
	         "<m:SyncFolderHierarchyResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode>"
	         "<m:SyncState>H1==</m:SyncState><m:IncludesLastFolderInRange>true</m:IncludesLastFolderInRange>"
	         "<m:Changes><t:Create>%s</t:Create><t:Create><t:Folder><t:FolderId Id=\"F2==\"/></t:Folder></t:Create>"
	         "<t:Delete><t:FolderId Id=\"GONE==\"/></t:Delete></m:Changes>"
	         "</m:SyncFolderHierarchyResponseMessage></m:ResponseMessages></m:SyncFolderHierarchyResponse>",
	         future_folder);
	env = ews_test_soap_envelope(NULL, body);
	CU_ASSERT_EQUAL_FATAL(ews_message_decode(ctx, env, strlen(env), &m).code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(ews_response_messages_get(ews_response_messages_of("SyncFolderHierarchy", m.body), 0, &rm), 0);
	sh = rm.message;
	CU_ASSERT_PTR_NOT_NULL_FATAL(sh->Changes);
	CU_ASSERT_EQUAL_FATAL(sh->Changes->__size_SyncFolderHierarchyChangesType, 3);
	CU_ASSERT_EQUAL(ews_view_sync_folder(ctx, sh->Changes->__union_SyncFolderHierarchyChangesType[0]
	                                                 .union_SyncFolderHierarchyChangesType.Create, &v).code, EWS_OK);
	CU_ASSERT_EQUAL(v.kind, EWS_FOLDER_OTHER);
	CU_ASSERT_STRING_EQUAL(v.id, "FF==");
	CU_ASSERT_STRING_EQUAL(sh->Changes->__union_SyncFolderHierarchyChangesType[2]
	                               .union_SyncFolderHierarchyChangesType.Delete->FolderId->Id, "GONE==");
	free(env);
}

/* Attachments: an unknown attachment type between two known ones; the item's members after the list survive. */
static void attachment_lists_keep_unknown_attachment_types(void)
{
	char body[8192], *env;
	ews_decoded_message m;
	ews_response_message rm;
	const struct ewsmsg__ItemInfoResponseMessageType *info;
	const struct ewstype__MessageType *msg;
	const struct ewstype__NonEmptyArrayOfAttachmentsType *att;

	snprintf(body, sizeof body,
	         "<m:GetItemResponse xmlns:m=\"" NS_M "\" xmlns:t=\"" NS_T "\"><m:ResponseMessages>"
	         "<m:GetItemResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode><m:Items>"
	         "<t:Message><t:ItemId Id=\"WITHATT==\"/><t:Subject>three attachments</t:Subject><t:Attachments>"
	         "<t:FileAttachment><t:AttachmentId Id=\"AT1\"/><t:Name>a.txt</t:Name></t:FileAttachment>"
	         "<t:CloudAttachment><t:AttachmentId Id=\"AT2\"/><t:Name>b.holo</t:Name><t:Url>https://x/</t:Url>"
	         "</t:CloudAttachment>"
	         "<t:ItemAttachment><t:AttachmentId Id=\"AT3\"/><t:Name>fwd</t:Name></t:ItemAttachment>"
	         "</t:Attachments><t:DateTimeReceived>2030-02-02T02:02:02Z</t:DateTimeReceived><t:Size>4242</t:Size>"
	         "</t:Message></m:Items></m:GetItemResponseMessage></m:ResponseMessages></m:GetItemResponse>");
	env = ews_test_soap_envelope(NULL, body);
	CU_ASSERT_EQUAL_FATAL(ews_message_decode(ctx, env, strlen(env), &m).code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(ews_response_messages_get(ews_response_messages_of("GetItem", m.body), 0, &rm), 0);
	info = rm.message;
	CU_ASSERT_EQUAL_FATAL(info->Items->__union_ArrayOfRealItemsType[0].__union_ArrayOfRealItemsType,
	                      SOAP_UNION__ewstype__union_ArrayOfRealItemsType_Message);
	msg = info->Items->__union_ArrayOfRealItemsType[0].union_ArrayOfRealItemsType.Message;
	CU_ASSERT_STRING_EQUAL(msg->DateTimeReceived ? msg->DateTimeReceived : "", "2030-02-02T02:02:02Z");
	CU_ASSERT_PTR_NOT_NULL_FATAL(msg->Size);
	CU_ASSERT_EQUAL(*msg->Size, 4242);
	att = msg->Attachments;
	CU_ASSERT_PTR_NOT_NULL_FATAL(att);
	CU_ASSERT_EQUAL_FATAL(att->__size_NonEmptyArrayOfAttachmentsType, 3);
	CU_ASSERT_EQUAL(att->__union_NonEmptyArrayOfAttachmentsType[0].__union_NonEmptyArrayOfAttachmentsType,
	                SOAP_UNION__ewstype__union_NonEmptyArrayOfAttachmentsType_FileAttachment);
	CU_ASSERT_EQUAL_FATAL(att->__union_NonEmptyArrayOfAttachmentsType[1].__union_NonEmptyArrayOfAttachmentsType,
	                      SOAP_UNION__ewstype__union_NonEmptyArrayOfAttachmentsType___any);
	{
		const struct soap_dom_element *d =
			att->__union_NonEmptyArrayOfAttachmentsType[1].union_NonEmptyArrayOfAttachmentsType.__any;
		CU_ASSERT_STRING_EQUAL(ews_dom_local_name(d->name), "CloudAttachment");
		CU_ASSERT_STRING_EQUAL(ews_dom_attr(ews_dom_child(d, "AttachmentId"), "Id"), "AT2");
		CU_ASSERT_STRING_EQUAL(ews_dom_child_text(d, "Url"), "https://x/");
	}
	CU_ASSERT_EQUAL(att->__union_NonEmptyArrayOfAttachmentsType[2].__union_NonEmptyArrayOfAttachmentsType,
	                SOAP_UNION__ewstype__union_NonEmptyArrayOfAttachmentsType_ItemAttachment);
	free(env);
}

/* Any other single choice (From holds one recipient choice): an unknown alternative drops only itself. */
static void an_unknown_element_in_a_single_choice_drops_only_itself(void)
{
	char body[8192], *env;
	ews_decoded_message m;
	ews_response_message rm;
	const struct ewsmsg__ItemInfoResponseMessageType *info;
	const struct ewstype__MessageType *msg;

	snprintf(body, sizeof body,
	         "<m:GetItemResponse xmlns:m=\"" NS_M "\" xmlns:t=\"" NS_T "\"><m:ResponseMessages>"
	         "<m:GetItemResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode><m:Items>"
	         "<t:Message><t:ItemId Id=\"M1==\"/><t:Subject>s</t:Subject>"
	         "<t:From><t:HoloPerson><t:Name>Zed</t:Name><t:Mailbox><t:Name>inner</t:Name></t:Mailbox></t:HoloPerson>"
	         "</t:From><t:IsRead>true</t:IsRead></t:Message>"
	         "<t:Message><t:ItemId Id=\"M2==\"/><t:From></t:From><t:IsRead>false</t:IsRead></t:Message>"
	         "<t:Message><t:ItemId Id=\"M3==\"/></t:Message>"
	         "</m:Items></m:GetItemResponseMessage></m:ResponseMessages></m:GetItemResponse>");
	env = ews_test_soap_envelope(NULL, body);
	CU_ASSERT_EQUAL_FATAL(ews_message_decode(ctx, env, strlen(env), &m).code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(ews_response_messages_get(ews_response_messages_of("GetItem", m.body), 0, &rm), 0);
	info = rm.message;
	CU_ASSERT_EQUAL_FATAL(info->Items->__size_ArrayOfRealItemsType, 3);
	msg = info->Items->__union_ArrayOfRealItemsType[0].union_ArrayOfRealItemsType.Message;
	CU_ASSERT_PTR_NOT_NULL_FATAL(msg->From);
	CU_ASSERT_EQUAL(msg->From->__union_SingleRecipientType, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(msg->IsRead);
	CU_ASSERT_EQUAL(*msg->IsRead, xsd__boolean__true_);
	msg = info->Items->__union_ArrayOfRealItemsType[1].union_ArrayOfRealItemsType.Message;
	CU_ASSERT_STRING_EQUAL(msg->ItemId->Id, "M2==");
	CU_ASSERT_PTR_NOT_NULL_FATAL(msg->IsRead);
	CU_ASSERT_EQUAL(*msg->IsRead, xsd__boolean__false_);
	CU_ASSERT_STRING_EQUAL(info->Items->__union_ArrayOfRealItemsType[2].union_ArrayOfRealItemsType.Message->ItemId->Id,
	                       "M3==");
	free(env);
}

/* The same messages are refused in strict mode: leniency is a choice of the context, not of the bindings. */
static void strict_contexts_still_refuse_unknown_choices(void)
{
	const char *xml =
		"<m:GetItemResponse xmlns:m=\"" NS_M "\" xmlns:t=\"" NS_T "\"><m:ResponseMessages>"
		"<m:GetItemResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode><m:Items>"
		"<t:Message><t:ItemId Id=\"M1==\"/><t:From><t:HoloPerson/></t:From></t:Message>"
		"</m:Items></m:GetItemResponseMessage></m:ResponseMessages></m:GetItemResponse>";
	struct soap *strict = ews_codec_context_new();
	ews_decoded_message m;

	CU_ASSERT_PTR_NOT_NULL_FATAL(strict);
	soap_set_imode(strict, SOAP_XML_STRICT);
	CU_ASSERT_NOT_EQUAL(ews_message_decode(strict, xml, strlen(xml), &m).code, EWS_OK);
	ews_codec_context_free(strict);
	CU_ASSERT_EQUAL(ews_message_decode(ctx, xml, strlen(xml), &m).code, EWS_OK);
}

/* ---- the sync iterator and the pager over HTTP ---- */

static ews_test_http *srv;
static ews_client *cli;

static void start(void)
{
	srv = ews_test_http_start(0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(srv);
	cli = ews_test_client(srv);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cli);
}

static void stop(void)
{
	ews_client_free(cli);
	ews_test_http_stop(srv);
	cli = NULL;
	srv = NULL;
}

static void the_sync_iterator_hands_out_unknown_item_types(void)
{
	char *changes = mixed_changes(), *xml = sync_items_response("AFTER1==", changes);
	const char *want_elements[] = { "Message", "SharingMessage", "FutureItem", "Message" };
	ews_sync *s;
	ews_sync_change ch;
	ews_status st;
	int n = 0;

	start();
	ews_test_queue_body(srv, 200, xml);
	CU_ASSERT_EQUAL_FATAL(ews_sync_new_items(cli, "inbox", "BEFORE==", NULL, &s).code, EWS_OK);
	while (ews_ok(st = ews_sync_next(s, &ch)) && ch.kind != EWS_SYNC_DONE) {
		if (n < 4) {
			CU_ASSERT_EQUAL(ch.kind, EWS_SYNC_CREATE);
			CU_ASSERT_STRING_EQUAL(ch.item.element ? ch.item.element : "", want_elements[n]);
			if (n == 1)
				check_sharing_view(&ch.item);
			if (n == 2)
				check_future_view(&ch.item);
		} else {
			CU_ASSERT_EQUAL(ch.kind, EWS_SYNC_DELETE);
			CU_ASSERT_STRING_EQUAL(ch.item.id, "DEL1==");
		}
		CU_ASSERT_STRING_EQUAL(ews_sync_state(s), "BEFORE==");
		n++;
	}
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL(n, 5);
	CU_ASSERT_STRING_EQUAL(ews_sync_state(s), "AFTER1==");
	ews_sync_free(s);
	stop();
	free(changes);
	free(xml);
}

/* A Create the bindings could not read at all (empty choice): no change of the batch is handed out, the state
 * stays, and the next call asks again from the same state. */
static void a_change_that_cannot_be_delivered_does_not_advance_the_state(void)
{
	char *m1 = message_xml("OK1==", "fine"), changes[2048], *bad, *good, *req;
	ews_sync *s;
	ews_sync_change ch;
	ews_status st;

	snprintf(changes, sizeof changes, "<t:Create>%s</t:Create><t:Create></t:Create>"
	         "<t:Delete><t:ItemId Id=\"D==\"/></t:Delete>", m1);
	bad = sync_items_response("SKIPPED==", changes);
	snprintf(changes, sizeof changes, "<t:Create>%s</t:Create>", m1);
	good = sync_items_response("NEXT==", changes);
	start();
	ews_test_queue_body(srv, 200, bad);
	ews_test_queue_body(srv, 200, good);
	CU_ASSERT_EQUAL_FATAL(ews_sync_new_items(cli, "inbox", "BEFORE==", NULL, &s).code, EWS_OK);
	st = ews_sync_next(s, &ch);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_XML);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "change 2"));
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "not advanced"));
	CU_ASSERT_EQUAL(ch.kind, EWS_SYNC_DONE);
	CU_ASSERT_EQUAL(ews_sync_changes(s), 0);
	CU_ASSERT_STRING_EQUAL(ews_sync_state(s), "BEFORE==");
	/* calling again retries from the same state */
	CU_ASSERT_EQUAL(ews_sync_next(s, &ch).code, EWS_OK);
	CU_ASSERT_EQUAL(ch.kind, EWS_SYNC_CREATE);
	CU_ASSERT_STRING_EQUAL(ch.item.id, "OK1==");
	req = ews_test_http_request(srv, 1);
	CU_ASSERT_PTR_NOT_NULL(req && strstr(req, ">BEFORE==<"));
	free(req);
	CU_ASSERT_EQUAL(ews_sync_next(s, &ch).code, EWS_OK);
	CU_ASSERT_EQUAL(ch.kind, EWS_SYNC_DONE);
	CU_ASSERT_STRING_EQUAL(ews_sync_state(s), "NEXT==");
	ews_sync_free(s);
	stop();
	free(m1);
	free(bad);
	free(good);
}

static void the_pager_delivers_unknown_item_and_folder_types(void)
{
	char body[8192], *env, *m1 = message_xml("P1==", "one");
	ews_pager *p;
	ews_item_view it;
	ews_folder_view fv;
	const char *want[] = { "P1==", "FUTURE1==", "SHARE1==" };
	int n = 0;
	ews_status st;

	start();
	/* Unknown types last, so one of them is also the page's anchor candidate. */
	snprintf(body, sizeof body,
	         "<m:FindItemResponse xmlns:m=\"" NS_M "\" xmlns:t=\"" NS_T "\"><m:ResponseMessages>"
	         "<m:FindItemResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode>"
	         "<m:RootFolder IndexedPagingOffset=\"3\" TotalItemsInView=\"3\" IncludesLastItemInRange=\"true\">"
	         "<t:Items>%s%s%s</t:Items></m:RootFolder></m:FindItemResponseMessage></m:ResponseMessages>"
	         "</m:FindItemResponse>", m1, future_item, sharing_message);
	env = ews_test_soap_envelope(NULL, body);
	ews_test_queue_body(srv, 200, env);
	free(env);
	CU_ASSERT_EQUAL_FATAL(ews_pager_new_items(cli, &(ews_pager_options){ .page_size = 10 }, &p).code, EWS_OK);
	while (ews_ok(st = ews_pager_next(p, &it)) && it.id) {
		CU_ASSERT_FATAL(n < 3);
		CU_ASSERT_STRING_EQUAL(it.id, want[n]);
		if (n == 1)
			check_future_view(&it);
		if (n == 2)
			check_sharing_view(&it);
		n++;
	}
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL(n, 3);
	ews_pager_free(p);

	snprintf(body, sizeof body,
	         "<m:FindFolderResponse xmlns:m=\"" NS_M "\" xmlns:t=\"" NS_T "\"><m:ResponseMessages>"
	         "<m:FindFolderResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode>"
	         "<m:RootFolder TotalItemsInView=\"2\" IncludesLastItemInRange=\"true\"><t:Folders>%s"
	         "<t:Folder><t:FolderId Id=\"F9==\"/></t:Folder></t:Folders></m:RootFolder></m:FindFolderResponseMessage>"
	         "</m:ResponseMessages></m:FindFolderResponse>", future_folder);
	env = ews_test_soap_envelope(NULL, body);
	ews_test_queue_body(srv, 200, env);
	free(env);
	CU_ASSERT_EQUAL_FATAL(ews_pager_new_folders(cli, NULL, &p).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_pager_next_folder(p, &fv).code, EWS_OK);
	CU_ASSERT_EQUAL(fv.kind, EWS_FOLDER_OTHER);
	CU_ASSERT_STRING_EQUAL(fv.id ? fv.id : "", "FF==");
	CU_ASSERT_EQUAL(ews_pager_next_folder(p, &fv).code, EWS_OK);
	CU_ASSERT_STRING_EQUAL(fv.id ? fv.id : "", "F9==");
	CU_ASSERT_EQUAL(ews_pager_next_folder(p, &fv).code, EWS_OK);
	CU_ASSERT_PTR_NULL(fv.id);
	ews_pager_free(p);
	stop();
	free(m1);
}

/* Run a command; its standard output into out. Returns the exit status. */
static int run(const char *cmd, char *out, size_t cap)
{
	FILE *p = popen(cmd, "r");
	size_t n;
	int rc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	n = fread(out, 1, cap - 1, p);
	out[n] = '\0';
	rc = pclose(p);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* ews-sync-folder-items prints the unknown types and saves the state; with an undeliverable change it fails and
 * the state file keeps the old state. */
static void ews_sync_folder_items_prints_unknown_types_and_keeps_the_state_when_it_must(void)
{
	char *changes = mixed_changes(), *good = sync_items_response("AFTER1==", changes), *bad, *m1 = message_xml("X==", "x");
	char state[] = "/tmp/ews-unknown-state-XXXXXX", cmd[2048], out[65536], bad_changes[2048];
	char *saved;
	int fd = mkstemp(state);

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(write(fd, "BEFORE==\n", 9), 9);
	close(fd);
	snprintf(bad_changes, sizeof bad_changes, "<t:Create>%s</t:Create><t:Create></t:Create>", m1);
	bad = sync_items_response("SKIPPED==", bad_changes);
	start();
	ews_test_queue_body(srv, 200, good);
	ews_test_queue_body(srv, 200, bad);
	snprintf(cmd, sizeof cmd, "env -u EWS_TOKEN -u EWS_AUTH %s/bin/ews-sync-folder-items --url %s --auth none "
	         "--attempts 1 --state %s --json 2>/dev/null", ews_test_build_dir(), ews_test_http_url(srv), state);
	CU_ASSERT_EQUAL(run(cmd, out, sizeof out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"element\":\"SharingMessage\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"element\":\"FutureItem\",\"class\":\"IPM.Future\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"creates\":4,\"updates\":0,\"deletes\":1"));
	saved = ews_test_read_file(state, NULL);
	CU_ASSERT_STRING_EQUAL(saved ? saved : "", "AFTER1==\n");
	free(saved);

	CU_ASSERT_NOT_EQUAL(run(cmd, out, sizeof out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"ok\":false"));
	saved = ews_test_read_file(state, NULL);
	CU_ASSERT_STRING_EQUAL(saved ? saved : "", "AFTER1==\n");
	free(saved);
	stop();
	unlink(state);
	free(changes);
	free(good);
	free(bad);
	free(m1);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "an unknown item type in a sync batch keeps every change, in order", an_unknown_item_type_in_a_sync_batch_keeps_every_change },
		{ "an Update with an unknown item type is kept", an_update_with_an_unknown_type_is_kept },
		{ "an item list keeps unknown types in place", an_item_list_keeps_unknown_types_in_place },
		{ "folder lists keep unknown folder types", folder_lists_keep_unknown_folder_types },
		{ "attachment lists keep unknown attachment types", attachment_lists_keep_unknown_attachment_types },
		{ "an unknown element in a single choice drops only itself", an_unknown_element_in_a_single_choice_drops_only_itself },
		{ "strict contexts still refuse unknown choices", strict_contexts_still_refuse_unknown_choices },
		{ "the sync iterator hands out unknown item types as EWS_ITEM_OTHER", the_sync_iterator_hands_out_unknown_item_types },
		{ "a change that cannot be delivered does not advance the state", a_change_that_cannot_be_delivered_does_not_advance_the_state },
		{ "the pager delivers unknown item and folder types", the_pager_delivers_unknown_item_and_folder_types },
		{ "ews-sync-folder-items prints unknown types, and keeps the state when a change cannot be delivered", ews_sync_folder_items_prints_unknown_types_and_keeps_the_state_when_it_must },
		{ NULL, NULL }
	};
	int rc;

	ctx = ews_codec_context_new();
	rc = ews_test_run("unknown_types", cases);
	ews_codec_context_free(ctx);
	return rc;
}
