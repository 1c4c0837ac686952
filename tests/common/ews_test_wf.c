/* ews_test_wf.c — workflow suite fixtures: ewsd + a libews client, items made through the typed calls. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ews_test_wf.h"

int wf_start(struct ewsd_proc *srv, const char *seed_mailbox, int seed_items)
{
	if (seed_items > 0) {
		static char dir[64];
		snprintf(dir, sizeof dir, "/tmp/ews-wf-seed-XXXXXX");
		if (!mkdtemp(dir) || ewsd_seed(dir, seed_mailbox, seed_items, 7))
			return -1;
		return ewsd_start(srv, dir, NULL);
	}
	return ewsd_start(srv, NULL, NULL);
}

ews_client *wf_client(const struct ewsd_proc *srv, const char *mailbox)
{
	ews_options o;
	ews_client *c = NULL;
	ews_options_init(&o);
	o.auth = EWS_AUTH_BASIC;
	o.user = mailbox;
	o.password = "secret";
	if (!ews_ok(ews_client_new(srv->url, &o, &c)))
		return NULL;
	return c;
}

static struct ewstype__TargetFolderIdType *target(struct soap *a, const char *folder)
{
	struct ewstype__TargetFolderIdType *t = soap_new_ewstype__TargetFolderIdType(a, -1);
	enum ewstype__DistinguishedFolderIdNameType name;
	/* Exact names only: the generated s2 function maps unknown strings to -1 rather than failing. */
	if (soap_s2ewstype__DistinguishedFolderIdNameType(a, folder, &name) == SOAP_OK && (int)name >= 0 &&
	    !strcmp(soap_ewstype__DistinguishedFolderIdNameType2s(a, name), folder)) {
		t->__union_TargetFolderIdType = SOAP_UNION__ewstype__union_TargetFolderIdType_DistinguishedFolderId;
		t->union_TargetFolderIdType.DistinguishedFolderId = soap_new_ewstype__DistinguishedFolderIdType(a, -1);
		t->union_TargetFolderIdType.DistinguishedFolderId->Id = name;
	} else {
		t->__union_TargetFolderIdType = SOAP_UNION__ewstype__union_TargetFolderIdType_FolderId;
		t->union_TargetFolderIdType.FolderId = soap_new_ewstype__FolderIdType(a, -1);
		t->union_TargetFolderIdType.FolderId->Id = soap_strdup(a, folder);
	}
	a->error = SOAP_OK;
	return t;
}

ews_status wf_create_folder(ews_client *c, const char *parent, const char *name, char **id)
{
	struct soap *a = ews_client_arena(c);
	struct ewsmsg__CreateFolderType *req = soap_new_ewsmsg__CreateFolderType(a, -1);
	struct __ewsmsg__CreateFolderResponse resp;
	*id = NULL;
	req->ParentFolderId = target(a, parent);
	req->Folders = soap_new_ewstype__NonEmptyArrayOfFoldersType(a, -1);
	req->Folders->__size_NonEmptyArrayOfFoldersType = 1;
	req->Folders->__union_NonEmptyArrayOfFoldersType = soap_new___ewstype__union_NonEmptyArrayOfFoldersType(a, 1);
	req->Folders->__union_NonEmptyArrayOfFoldersType[0].__union_NonEmptyArrayOfFoldersType =
		SOAP_UNION__ewstype__union_NonEmptyArrayOfFoldersType_Folder;
	struct ewstype__FolderType *f = soap_new_ewstype__FolderType(a, -1);
	f->DisplayName = soap_strdup(a, name);
	req->Folders->__union_NonEmptyArrayOfFoldersType[0].union_NonEmptyArrayOfFoldersType.Folder = f;
	memset(&resp, 0, sizeof resp);
	ews_status st = ews_create_folder(c, req, &resp);
	ews_client_arena_reset(c);
	if (!ews_ok(st)) {
		fprintf(stderr, "CreateFolder: %s\n", st.message);
		return st;
	}
	ews_response_message m;
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs =
		resp.ewsmsg__CreateFolderResponse ? resp.ewsmsg__CreateFolderResponse->ResponseMessages : NULL;
	if (ews_response_messages_get(msgs, 0, &m) || !m.message)
		return ews_status_make(EWS_ERR_XML, "CreateFolder: no message");
	const struct ewsmsg__FolderInfoResponseMessageType *fm = m.message;
	if (!fm->Folders || fm->Folders->__size_ArrayOfFoldersType < 1)
		return ews_status_make(EWS_ERR_XML, "CreateFolder: no folder");
	const struct ewstype__FolderType *made = fm->Folders->__union_ArrayOfFoldersType[0].union_ArrayOfFoldersType.Folder;
	if (!made || !made->FolderId || !made->FolderId->Id)
		return ews_status_make(EWS_ERR_XML, "CreateFolder: no folder id");
	*id = strdup(made->FolderId->Id);
	return ews_status_ok();
}

ews_status wf_create_messages(ews_client *c, const char *folder_id, const char *prefix, int first, int n,
                              int newest_minute, char ***ids)
{
	struct soap *a = ews_client_arena(c);
	struct ewsmsg__CreateItemType *req = soap_new_ewsmsg__CreateItemType(a, -1);
	struct __ewsmsg__CreateItemResponse resp;
	if (ids)
		*ids = NULL;
	req->SavedItemFolderId = target(a, folder_id);
	req->MessageDisposition = soap_malloc(a, sizeof *req->MessageDisposition);
	*req->MessageDisposition = ewstype__MessageDispositionType__SaveOnly;
	req->Items = soap_new_ewstype__NonEmptyArrayOfAllItemsType(a, -1);
	req->Items->__size_NonEmptyArrayOfAllItemsType = n;
	req->Items->__union_NonEmptyArrayOfAllItemsType = soap_new___ewstype__union_NonEmptyArrayOfAllItemsType(a, n);
	for (int i = 0; i < n; i++) {
		struct ewstype__MessageType *msg = soap_new_ewstype__MessageType(a, -1);
		char buf[128];
		int minute = newest_minute - i;
		snprintf(buf, sizeof buf, "%s %d", prefix, first + i);
		msg->Subject = soap_strdup(a, buf);
		msg->Body = soap_new_ewstype__BodyType(a, -1);
		msg->Body->BodyType = ewstype__BodyTypeType__Text;
		snprintf(buf, sizeof buf, "body of %s %d", prefix, first + i);
		msg->Body->__item = soap_strdup(a, buf);
		snprintf(buf, sizeof buf, "2024-01-%02dT%02d:%02d:00Z", 1 + minute / 1440, (minute / 60) % 24, minute % 60);
		msg->DateTimeReceived = soap_strdup(a, buf);
		req->Items->__union_NonEmptyArrayOfAllItemsType[i].__union_NonEmptyArrayOfAllItemsType =
			SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_Message;
		req->Items->__union_NonEmptyArrayOfAllItemsType[i].union_NonEmptyArrayOfAllItemsType.Message = msg;
	}
	memset(&resp, 0, sizeof resp);
	ews_status st = ews_create_item(c, req, &resp);
	ews_client_arena_reset(c);
	if (!ews_ok(st)) {
		fprintf(stderr, "CreateItem: %s\n", st.message);
		return st;
	}
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs =
		resp.ewsmsg__CreateItemResponse ? resp.ewsmsg__CreateItemResponse->ResponseMessages : NULL;
	if (ews_response_messages_count(msgs) != n)
		return ews_status_make(EWS_ERR_XML, "CreateItem: %d messages for %d items", ews_response_messages_count(msgs), n);
	if (!ids)
		return st;
	*ids = calloc((size_t)n, sizeof **ids);
	for (int i = 0; i < n; i++) {
		ews_response_message m;
		ews_response_messages_get(msgs, i, &m);
		const struct ewsmsg__ItemInfoResponseMessageType *im = m.message;
		const struct ewstype__MessageType *made = im && im->Items && im->Items->__size_ArrayOfRealItemsType > 0
			? im->Items->__union_ArrayOfRealItemsType[0].union_ArrayOfRealItemsType.Message : NULL;
		(*ids)[i] = made && made->ItemId ? strdup(made->ItemId->Id) : NULL;
	}
	return st;
}

void wf_free_ids(char **ids, int n)
{
	for (int i = 0; ids && i < n; i++)
		free(ids[i]);
	free(ids);
}

static ews_status update_field(ews_client *c, const char *id, enum ewstype__UnindexedFieldURIType field,
                               struct ewstype__MessageType *msg)
{
	struct soap *a = ews_client_arena(c);
	struct ewsmsg__UpdateItemType *req = soap_new_ewsmsg__UpdateItemType(a, -1);
	struct __ewsmsg__UpdateItemResponse resp;
	req->ConflictResolution = ewstype__ConflictResolutionType__AlwaysOverwrite;
	req->MessageDisposition = soap_malloc(a, sizeof *req->MessageDisposition);
	*req->MessageDisposition = ewstype__MessageDispositionType__SaveOnly;
	req->ItemChanges = soap_new_ewstype__NonEmptyArrayOfItemChangesType(a, -1);
	req->ItemChanges->__sizeItemChange = 1;
	req->ItemChanges->ItemChange = soap_new_ewstype__ItemChangeType(a, 1);
	struct ewstype__ItemChangeType *ch = req->ItemChanges->ItemChange;
	ch->__union_ItemChangeType = SOAP_UNION__ewstype__union_ItemChangeType_ItemId;
	ch->union_ItemChangeType.ItemId = soap_new_ewstype__ItemIdType(a, -1);
	ch->union_ItemChangeType.ItemId->Id = soap_strdup(a, id);
	ch->Updates = soap_new_ewstype__NonEmptyArrayOfItemChangeDescriptionsType(a, -1);
	ch->Updates->__size_NonEmptyArrayOfItemChangeDescriptionsType = 1;
	ch->Updates->__union_NonEmptyArrayOfItemChangeDescriptionsType =
		soap_new___ewstype__union_NonEmptyArrayOfItemChangeDescriptionsType(a, 1);
	ch->Updates->__union_NonEmptyArrayOfItemChangeDescriptionsType[0].__union_NonEmptyArrayOfItemChangeDescriptionsType =
		SOAP_UNION__ewstype__union_NonEmptyArrayOfItemChangeDescriptionsType_SetItemField;
	struct ewstype__SetItemFieldType *set = soap_new_ewstype__SetItemFieldType(a, -1);
	ch->Updates->__union_NonEmptyArrayOfItemChangeDescriptionsType[0].union_NonEmptyArrayOfItemChangeDescriptionsType
		.SetItemField = set;
	set->__union_SetItemFieldType = SOAP_UNION__ewstype__union_SetItemFieldType_FieldURI;
	set->union_SetItemFieldType.FieldURI = soap_new_ewstype__PathToUnindexedFieldType(a, -1);
	set->union_SetItemFieldType.FieldURI->FieldURI = field;
	set->__union_SetItemFieldType_ = SOAP_UNION__ewstype__union_SetItemFieldType__Message;
	set->union_SetItemFieldType_.Message = msg;
	memset(&resp, 0, sizeof resp);
	ews_status st = ews_update_item(c, req, &resp);
	ews_client_arena_reset(c);
	return st;
}

ews_status wf_set_subject(ews_client *c, const char *id, const char *subject)
{
	struct soap *a = ews_client_arena(c);
	struct ewstype__MessageType *msg = soap_new_ewstype__MessageType(a, -1);
	msg->Subject = soap_strdup(a, subject);
	return update_field(c, id, ewstype__UnindexedFieldURIType__item_x003aSubject, msg);
}

ews_status wf_set_read(ews_client *c, const char *id, int is_read)
{
	struct soap *a = ews_client_arena(c);
	struct ewstype__MessageType *msg = soap_new_ewstype__MessageType(a, -1);
	msg->IsRead = soap_malloc(a, sizeof *msg->IsRead);
	*msg->IsRead = is_read ? xsd__boolean__true_ : xsd__boolean__false_;
	return update_field(c, id, ewstype__UnindexedFieldURIType__message_x003aIsRead, msg);
}

ews_status wf_delete_item(ews_client *c, const char *id)
{
	struct soap *a = ews_client_arena(c);
	struct ewsmsg__DeleteItemType *req = soap_new_ewsmsg__DeleteItemType(a, -1);
	struct __ewsmsg__DeleteItemResponse resp;
	req->DeleteType = ewstype__DisposalType__HardDelete;
	req->ItemIds = ews_item_ids_new(a, &id, 1);
	memset(&resp, 0, sizeof resp);
	ews_status st = ews_delete_item(c, req, &resp);
	ews_client_arena_reset(c);
	return st;
}

ews_status wf_change_key(ews_client *c, const char *id, char **ck)
{
	struct soap *a = ews_client_arena(c);
	struct ewsmsg__GetItemType *req = soap_new_ewsmsg__GetItemType(a, -1);
	struct __ewsmsg__GetItemResponse resp;
	*ck = NULL;
	req->ItemShape = soap_new_ewstype__ItemResponseShapeType(a, -1);
	req->ItemShape->BaseShape = ewstype__DefaultShapeNamesType__IdOnly;
	req->ItemIds = ews_item_ids_new(a, &id, 1);
	memset(&resp, 0, sizeof resp);
	ews_status st = ews_get_item(c, req, &resp);
	ews_client_arena_reset(c);
	if (!ews_ok(st))
		return st;
	ews_response_message m;
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs =
		resp.ewsmsg__GetItemResponse ? resp.ewsmsg__GetItemResponse->ResponseMessages : NULL;
	if (ews_response_messages_get(msgs, 0, &m) || !m.message)
		return ews_status_make(EWS_ERR_XML, "GetItem: no message");
	const struct ewsmsg__ItemInfoResponseMessageType *im = m.message;
	if (!im->Items || im->Items->__size_ArrayOfRealItemsType < 1)
		return ews_status_make(EWS_ERR_XML, "GetItem: no item");
	const struct __ewstype__union_ArrayOfRealItemsType *u = &im->Items->__union_ArrayOfRealItemsType[0];
	const void *typed = u->union_ArrayOfRealItemsType.Message;
	if (u->__union_ArrayOfRealItemsType != SOAP_UNION__ewstype__union_ArrayOfRealItemsType_Message || !typed)
		return ews_status_make(EWS_ERR_XML, "GetItem: not a message");
	const struct ewstype__MessageType *msg = typed;
	*ck = msg->ItemId && msg->ItemId->ChangeKey ? strdup(msg->ItemId->ChangeKey) : NULL;
	return *ck ? st : ews_status_make(EWS_ERR_XML, "GetItem: no change key");
}

const char *wf_tmpdir(int slot)
{
	static char dirs[4][64];
	slot &= 3;
	snprintf(dirs[slot], sizeof dirs[slot], "/tmp/ews-wf-XXXXXX");
	return mkdtemp(dirs[slot]);
}

void wf_rmdir(const char *dir)
{
	char cmd[160];
	if (!dir || strncmp(dir, "/tmp/ews-wf-", 12))
		return;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

ews_status wf_delete_folder(ews_client *c, const char *id)
{
	struct soap *a = ews_client_arena(c);
	struct ewsmsg__DeleteFolderType *req = soap_new_ewsmsg__DeleteFolderType(a, -1);
	struct __ewsmsg__DeleteFolderResponse resp;
	req->DeleteType = ewstype__DisposalType__HardDelete;
	req->FolderIds = soap_new_ewstype__NonEmptyArrayOfBaseFolderIdsType(a, -1);
	req->FolderIds->__size_NonEmptyArrayOfBaseFolderIdsType = 1;
	req->FolderIds->__union_NonEmptyArrayOfBaseFolderIdsType = soap_new___ewstype__union_NonEmptyArrayOfBaseFolderIdsType(a, 1);
	req->FolderIds->__union_NonEmptyArrayOfBaseFolderIdsType[0].__union_NonEmptyArrayOfBaseFolderIdsType =
		SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseFolderIdsType_FolderId;
	struct ewstype__FolderIdType *fid = soap_new_ewstype__FolderIdType(a, -1);
	fid->Id = soap_strdup(a, id);
	req->FolderIds->__union_NonEmptyArrayOfBaseFolderIdsType[0].union_NonEmptyArrayOfBaseFolderIdsType.FolderId = fid;
	memset(&resp, 0, sizeof resp);
	ews_status st = ews_delete_folder(c, req, &resp);
	ews_client_arena_reset(c);
	return st;
}
