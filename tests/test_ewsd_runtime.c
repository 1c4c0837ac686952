/* test_ewsd_runtime.c — the libews runtime against ewsd: NTLM login, typed FindItem paging (15 items by pages of
 * 10, as the paged-search page), ServerVersionInfo, retries on injected ErrorServerBusy, SyncFolderItems with an
 * invalid state reported as EWS_ERR_SYNC_STATE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/client.h"
#include "ews_operations.h"
#include "ews_test.h"
#include "ewsd_harness.h"
#include "soapH.h"

static struct ewsd_proc srv;
static ews_client *client;
static int sleeps;
static long slept_ms;

static void count_sleep(void *arg, long ms)
{
	(void)arg;
	sleeps++;
	slept_ms += ms;
}

static void raw_post(const char *body)
{
	struct http_resp r;
	ews_post(&srv, "alice@example.com", "Exchange2013", NULL, body, &r);
	http_resp_free(&r);
}

static struct ewsmsg__FindItemType *find_request(struct soap *a, int max, int offset)
{
	struct ewsmsg__FindItemType *req = soap_new_ewsmsg__FindItemType(a, -1);
	req->Traversal = ewstype__ItemQueryTraversalType__Shallow;
	req->ItemShape = soap_new_ewstype__ItemResponseShapeType(a, -1);
	req->ItemShape->BaseShape = ewstype__DefaultShapeNamesType__Default;
	req->__union_FindItemType = SOAP_UNION__ewsmsg__union_FindItemType_IndexedPageItemView;
	req->union_FindItemType.IndexedPageItemView = soap_new_ewstype__IndexedPageViewType(a, -1);
	req->union_FindItemType.IndexedPageItemView->MaxEntriesReturned = soap_malloc(a, sizeof(int));
	*req->union_FindItemType.IndexedPageItemView->MaxEntriesReturned = max;
	req->union_FindItemType.IndexedPageItemView->Offset = offset;
	req->union_FindItemType.IndexedPageItemView->BasePoint = ewstype__IndexBasePointType__Beginning;
	req->ParentFolderIds = soap_new_ewstype__NonEmptyArrayOfBaseFolderIdsType(a, -1);
	req->ParentFolderIds->__size_NonEmptyArrayOfBaseFolderIdsType = 1;
	req->ParentFolderIds->__union_NonEmptyArrayOfBaseFolderIdsType =
		soap_new___ewstype__union_NonEmptyArrayOfBaseFolderIdsType(a, 1);
	req->ParentFolderIds->__union_NonEmptyArrayOfBaseFolderIdsType[0].__union_NonEmptyArrayOfBaseFolderIdsType =
		SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseFolderIdsType_DistinguishedFolderId;
	struct ewstype__DistinguishedFolderIdType *d = soap_new_ewstype__DistinguishedFolderIdType(a, -1);
	soap_s2ewstype__DistinguishedFolderIdNameType(a, "inbox", &d->Id);
	req->ParentFolderIds->__union_NonEmptyArrayOfBaseFolderIdsType[0].union_NonEmptyArrayOfBaseFolderIdsType
		.DistinguishedFolderId = d;
	return req;
}

static struct ewstype__FindItemParentType *root_of(struct __ewsmsg__FindItemResponse *resp)
{
	if (!resp->ewsmsg__FindItemResponse || !resp->ewsmsg__FindItemResponse->ResponseMessages ||
	    resp->ewsmsg__FindItemResponse->ResponseMessages->__size_ArrayOfResponseMessagesType < 1)
		return NULL;
	struct ewsmsg__FindItemResponseMessageType *m = resp->ewsmsg__FindItemResponse->ResponseMessages
		->__union_ArrayOfResponseMessagesType[0].union_ArrayOfResponseMessagesType.FindItemResponseMessage;
	return m ? m->RootFolder : NULL;
}

static void ntlm_login_and_typed_paging(void)
{
	char body[4096];
	size_t k = (size_t)snprintf(body, sizeof body, "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:SavedItemFolderId>"
				    "<t:DistinguishedFolderId Id=\"inbox\"/></m:SavedItemFolderId><m:Items>");
	for (int i = 0; i < 15; i++)
		k += (size_t)snprintf(body + k, sizeof body - k, "<t:Message><t:Subject>R%d</t:Subject></t:Message>", i);
	snprintf(body + k, sizeof body - k, "</m:Items></m:CreateItem>");
	raw_post(body);

	struct soap *a = ews_client_arena(client);
	int offsets[] = { 0, 10 }, counts[] = { 10, 5 }, next[] = { 10, 15 }, last[] = { 0, 1 };
	for (int p = 0; p < 2; p++) {
		struct __ewsmsg__FindItemResponse resp;
		ews_status st = ews_find_item(client, find_request(a, 10, offsets[p]), &resp);
		CU_ASSERT_EQUAL_FATAL(st.code, EWS_OK);
		struct ewstype__FindItemParentType *root = root_of(&resp);
		CU_ASSERT_PTR_NOT_NULL_FATAL(root);
		CU_ASSERT_EQUAL(*root->TotalItemsInView, 15);
		CU_ASSERT_EQUAL(*root->IndexedPagingOffset, next[p]);
		CU_ASSERT_EQUAL(*root->IncludesLastItemInRange == xsd__boolean__true_, last[p]);
		CU_ASSERT_EQUAL(root->union_FindItemParentType.Items->__size_ArrayOfRealItemsType, counts[p]);
	}
	ews_server_version v;
	CU_ASSERT_EQUAL(ews_client_server_version(client, &v).code, EWS_OK);
	CU_ASSERT_EQUAL(v.major, 15);
	CU_ASSERT_STRING_EQUAL(v.version, "V2018_01_08");
}

static void retries_injected_server_busy(void)
{
	struct http_resp r;
	/* alice holds the control grant; Basic alice@example.com:secret */
	http_request(&srv, "GET", "/ewsd/control?throttle=2&backoff=40",
		     "Authorization: Basic YWxpY2VAZXhhbXBsZS5jb206c2VjcmV0\r\n", NULL, 0, &r);
	CU_ASSERT_EQUAL(r.status, 200);
	http_resp_free(&r);
	sleeps = 0, slept_ms = 0;
	struct __ewsmsg__FindItemResponse resp;
	ews_status st = ews_find_item(client, find_request(ews_client_arena(client), 5, 0), &resp);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL(sleeps, 2);
	CU_ASSERT(slept_ms >= 80);
}

static void invalid_sync_state_is_reported(void)
{
	struct soap *a = ews_client_arena(client);
	struct ewsmsg__SyncFolderItemsType *req = soap_new_ewsmsg__SyncFolderItemsType(a, -1);
	req->ItemShape = soap_new_ewstype__ItemResponseShapeType(a, -1);
	req->ItemShape->BaseShape = ewstype__DefaultShapeNamesType__IdOnly;
	req->SyncFolderId = soap_new_ewstype__TargetFolderIdType(a, -1);
	req->SyncFolderId->__union_TargetFolderIdType = SOAP_UNION__ewstype__union_TargetFolderIdType_DistinguishedFolderId;
	req->SyncFolderId->union_TargetFolderIdType.DistinguishedFolderId = soap_new_ewstype__DistinguishedFolderIdType(a, -1);
	soap_s2ewstype__DistinguishedFolderIdNameType(a, "inbox", &req->SyncFolderId->union_TargetFolderIdType.DistinguishedFolderId->Id);
	req->SyncState = soap_strdup(a, "AEbJ94eMOAAA=");
	req->MaxChangesReturned = 100;
	struct __ewsmsg__SyncFolderItemsResponse resp;
	ews_status st = ews_sync_folder_items(client, req, &resp);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_SYNC_STATE);
	CU_ASSERT_STRING_EQUAL(st.response_code, "ErrorInvalidSyncStateData");
	req->SyncState = NULL;
	st = ews_sync_folder_items(client, req, &resp);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "NTLM login and typed FindItem paging (15 items by 10)", ntlm_login_and_typed_paging },
		{ "the client retries injected ErrorServerBusy with the announced back-off", retries_injected_server_busy },
		{ "an invalid SyncState is EWS_ERR_SYNC_STATE", invalid_sync_state_is_reported },
		{ NULL, NULL }
	};
	char dir[] = "/tmp/ewsd-rt.XXXXXX", users[300];
	if (!mkdtemp(dir))
		return 1;
	snprintf(users, sizeof users, "%s/users", dir);
	FILE *f = fopen(users, "w");
	fprintf(f, "user alice@example.com secret\ncontrol alice@example.com\n");
	fclose(f);
	const char *args[] = { "--users", users, NULL };
	ews_options opt;
	ews_options_init(&opt);
	if (ewsd_start(&srv, dir, args) || !ews_ok(ews_client_new(srv.url, &opt, &client)) ||
	    !ews_ok(ews_client_set_ntlm_auth(client, "alice", "EXAMPLE", "secret"))) {
		fprintf(stderr, "cannot start ewsd or the client\n");
		return 1;
	}
	ews_client_set_sleep(client, count_sleep, NULL);
	int rc = ews_test_run("ewsd via the runtime", cases);
	ews_client_free(client);
	ewsd_stop(&srv, 0);
	return rc;
}
