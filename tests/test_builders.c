/* test_builders.c — the generated typed builders (ews_builders.h): what they put in gSOAP's unions, selectors
 * and counters, and the XML a request built with them encodes to. No server: the requests are encoded with the
 * codec (ews/codec.h) and the structs read back directly. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/ews.h"
#include "ews/codec.h"
#include "ews_test.h"

static ews_client *c;

/* The request body element as XML (encoded in a fresh codec context; malloc'd copy). */
static char *encode(const char *op, void *wrapper)
{
	struct soap *soap = ews_codec_context_new();
	ews_decoded_message msg = { .kind = EWS_MESSAGE_REQUEST, .op = ews_operation_codec_find(op), .body = wrapper,
				    .has_envelope = 1 };
	const char *xml = NULL;
	char *copy = NULL;
	if (soap && msg.op && ews_ok(ews_message_encode(soap, &msg, &xml)) && xml)
		copy = strdup(xml);
	ews_codec_context_free(soap);
	return copy;
}

/* Where needle occurs in hay after `after` (NULL: not found): for checking element order. */
static const char *after(const char *hay, const char *after_this, const char *needle)
{
	const char *p = hay && after_this ? strstr(hay, after_this) : NULL;
	return p ? strstr(p, needle) : NULL;
}

static void adding_recipients_keeps_each_one_in_order_with_its_selector(void)
{
	struct ewstype__MessageType *m = EWS_NEW(c, ewstype__MessageType);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	const char *who[] = { "ann@example.com", "bob@example.com", "cy@example.com" };
	for (int i = 0; i < 3; i++) {
		struct ewstype__EmailAddressType *mb = ews_ArrayOfRecipientsType_add_Mailbox(c, &m->ToRecipients);
		CU_ASSERT_PTR_NOT_NULL_FATAL(mb);
		mb->EmailAddress = (char *)who[i];
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(m->ToRecipients);
	CU_ASSERT_EQUAL_FATAL(m->ToRecipients->__size_ArrayOfRecipientsType, 3);
	for (int i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(m->ToRecipients->__union_ArrayOfRecipientsType[i].__union_ArrayOfRecipientsType,
				SOAP_UNION__ewstype__union_ArrayOfRecipientsType_Mailbox);
		CU_ASSERT_STRING_EQUAL(m->ToRecipients->__union_ArrayOfRecipientsType[i].union_ArrayOfRecipientsType.Mailbox->EmailAddress,
				       who[i]);
	}
}

static void a_builder_creates_its_owner_when_null_and_reuses_it_after(void)
{
	struct ewsmsg__FindItemType *req = NULL;
	struct ewstype__IndexedPageViewType *view = ews_FindItemType_set_IndexedPageItemView(c, &req);
	CU_ASSERT_PTR_NOT_NULL_FATAL(view);
	CU_ASSERT_PTR_NOT_NULL_FATAL(req);
	CU_ASSERT_EQUAL(req->__union_FindItemType, SOAP_UNION__ewsmsg__union_FindItemType_IndexedPageItemView);
	CU_ASSERT_PTR_EQUAL(req->union_FindItemType.IndexedPageItemView, view);
	/* a second choice of the same type, in its own union; the first stays */
	struct ewsmsg__FindItemType *same = req;
	CU_ASSERT_PTR_NOT_NULL(ews_FindItemType_set_DistinguishedGroupBy(c, &req));
	CU_ASSERT_PTR_EQUAL(req, same);
	CU_ASSERT_EQUAL(req->__union_FindItemType_, SOAP_UNION__ewsmsg__union_FindItemType__DistinguishedGroupBy);
	CU_ASSERT_EQUAL(req->__union_FindItemType, SOAP_UNION__ewsmsg__union_FindItemType_IndexedPageItemView);
	/* setting a single choice again replaces the alternative */
	struct ewstype__RestrictionType *r = NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(ews_RestrictionType_set_Contains(c, &r));
	struct ewstype__RestrictionType *first = r;
	struct ewstype__AndType *and = ews_RestrictionType_set_And(c, &r);
	CU_ASSERT_PTR_EQUAL(r, first);
	CU_ASSERT_EQUAL(r->__union_RestrictionType, SOAP_UNION__ewstype__union_RestrictionType_And);
	CU_ASSERT_PTR_EQUAL(r->union_RestrictionType.And, and);
}

static void a_null_owner_address_gives_null(void)
{
	CU_ASSERT_PTR_NULL(ews_NonEmptyArrayOfAllItemsType_add_Message(c, NULL));
	CU_ASSERT_PTR_NULL(ews_RestrictionType_set_And(c, NULL));
	CU_ASSERT_PTR_NULL(ews_ArrayOfStringsType_add_String(c, NULL, "x"));
}

static void a_repeated_element_grows_by_one_per_add_and_keeps_the_earlier_ones(void)
{
	struct ewstype__NonEmptyArrayOfItemChangesType *changes = NULL;
	const char *ids[] = { "id-0", "id-1", "id-2", "id-3" };
	for (int i = 0; i < 4; i++) {
		struct ewstype__ItemChangeType *ch = ews_NonEmptyArrayOfItemChangesType_add_ItemChange(c, &changes);
		CU_ASSERT_PTR_NOT_NULL_FATAL(ch);
		CU_ASSERT_PTR_NULL(ch->Updates);      /* a fresh, default-initialised entry */
		struct ewstype__ItemIdType *id = ews_ItemChangeType_set_ItemId(c, &ch);
		CU_ASSERT_PTR_NOT_NULL_FATAL(id);
		id->Id = (char *)ids[i];
	}
	CU_ASSERT_EQUAL_FATAL(changes->__sizeItemChange, 4);
	for (int i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL(changes->ItemChange[i].__union_ItemChangeType, SOAP_UNION__ewstype__union_ItemChangeType_ItemId);
		CU_ASSERT_STRING_EQUAL(changes->ItemChange[i].union_ItemChangeType.ItemId->Id, ids[i]);
	}
	/* strings are copied into the arena, in order */
	struct ewstype__ArrayOfStringsType *words = NULL;
	char word[8] = "alpha";
	CU_ASSERT_PTR_NOT_NULL(ews_ArrayOfStringsType_add_String(c, &words, word));
	strcpy(word, "beta");
	CU_ASSERT_PTR_NOT_NULL(ews_ArrayOfStringsType_add_String(c, &words, word));
	CU_ASSERT_EQUAL_FATAL(words->__sizeString, 2);
	CU_ASSERT_STRING_EQUAL(words->String[0], "alpha");
	CU_ASSERT_STRING_EQUAL(words->String[1], "beta");
}

static void a_find_item_built_with_builders_encodes_and_contains_inside_and(void)
{
	struct ewsmsg__FindItemType *req = EWS_NEW(c, ewsmsg__FindItemType);
	CU_ASSERT_PTR_NOT_NULL_FATAL(req);
	CU_ASSERT_PTR_NOT_NULL_FATAL(req->ItemShape = EWS_NEW(c, ewstype__ItemResponseShapeType));
	req->ItemShape->BaseShape = ewstype__DefaultShapeNamesType__IdOnly;
	ews_NonEmptyArrayOfPathsToElementType_add_FieldURI(c, &req->ItemShape->AdditionalProperties)->FieldURI =
		ewstype__UnindexedFieldURIType__item_x003aSubject;
	ews_NonEmptyArrayOfBaseFolderIdsType_add_DistinguishedFolderId(c, &req->ParentFolderIds)->Id =
		ewstype__DistinguishedFolderIdNameType__inbox;
	ews_NonEmptyArrayOfBaseFolderIdsType_add_FolderId(c, &req->ParentFolderIds)->Id = "folder-7";
	struct ewstype__AndType *and = ews_RestrictionType_set_And(c, &req->Restriction);
	const char *words[] = { "budget", "2026" };
	for (int i = 0; i < 2; i++) {
		struct ewstype__ContainsExpressionType *has = ews_AndType_add_Contains(c, &and);
		CU_ASSERT_PTR_NOT_NULL_FATAL(has);
		ews_ContainsExpressionType_set_FieldURI(c, &has)->FieldURI = ewstype__UnindexedFieldURIType__item_x003aSubject;
		CU_ASSERT_PTR_NOT_NULL_FATAL(has->Constant = EWS_NEW(c, ewstype__ConstantValueType));
		has->Constant->Value = (char *)words[i];
		CU_ASSERT_PTR_NOT_NULL(has->ContainmentMode = EWS_BOX(c, ewstype__ContainmentModeType,
								       ewstype__ContainmentModeType__Substring));
	}
	struct __ewsmsg__FindItem w = { .ewsmsg__FindItem = req };
	char *xml = encode("FindItem", &w);
	CU_ASSERT_PTR_NOT_NULL_FATAL(xml);
	/* Restriction > And > Contains(FieldURI, Constant budget), Contains(FieldURI, Constant 2026) */
	const char *and_at = after(xml, "Restriction>", "And>");
	CU_ASSERT_PTR_NOT_NULL(and_at);
	CU_ASSERT_PTR_NOT_NULL(after(and_at, "Contains", "FieldURI=\"item:Subject\""));
	CU_ASSERT_PTR_NOT_NULL(after(after(and_at, "Contains", "Value=\"budget\""), "Contains", "Value=\"2026\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(xml, "ContainmentMode=\"Substring\""));
	/* AdditionalProperties > FieldURI; ParentFolderIds > DistinguishedFolderId inbox, then FolderId folder-7 */
	CU_ASSERT_PTR_NOT_NULL(after(xml, "AdditionalProperties>", "FieldURI=\"item:Subject\""));
	CU_ASSERT_PTR_NOT_NULL(after(after(xml, "ParentFolderIds>", "DistinguishedFolderId Id=\"inbox\""), "inbox",
				     "FolderId Id=\"folder-7\""));
	free(xml);
}

static void a_create_item_built_with_builders_encodes_the_message_and_its_recipients(void)
{
	struct ewsmsg__CreateItemType *req = EWS_NEW(c, ewsmsg__CreateItemType);
	CU_ASSERT_PTR_NOT_NULL_FATAL(req);
	struct ewstype__MessageType *m = ews_NonEmptyArrayOfAllItemsType_add_Message(c, &req->Items);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	m->Subject = "Lunch";
	ews_ArrayOfRecipientsType_add_Mailbox(c, &m->ToRecipients)->EmailAddress = "alice@example.com";
	ews_ArrayOfRecipientsType_add_Mailbox(c, &m->ToRecipients)->EmailAddress = "bob@example.com";
	ews_TargetFolderIdType_set_DistinguishedFolderId(c, &req->SavedItemFolderId)->Id =
		ewstype__DistinguishedFolderIdNameType__drafts;
	CU_ASSERT_PTR_NOT_NULL_FATAL(req->MessageDisposition = EWS_BOX(c, ewstype__MessageDispositionType,
								       ewstype__MessageDispositionType__SaveOnly));
	struct __ewsmsg__CreateItem w = { .ewsmsg__CreateItem = req };
	char *xml = encode("CreateItem", &w);
	CU_ASSERT_PTR_NOT_NULL_FATAL(xml);
	CU_ASSERT_PTR_NOT_NULL(strstr(xml, "MessageDisposition=\"SaveOnly\""));
	CU_ASSERT_PTR_NOT_NULL(after(xml, "SavedItemFolderId>", "DistinguishedFolderId Id=\"drafts\""));
	const char *msg = after(xml, "Items>", "Message>");
	CU_ASSERT_PTR_NOT_NULL(after(msg, "Subject>", "Lunch"));
	CU_ASSERT_PTR_NOT_NULL(after(after(msg, "ToRecipients>", "alice@example.com"), "Mailbox>", "bob@example.com"));
	free(xml);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "adding recipients keeps each one, in order, with its selector", adding_recipients_keeps_each_one_in_order_with_its_selector },
		{ "a builder creates its owner when it is NULL and reuses it after", a_builder_creates_its_owner_when_null_and_reuses_it_after },
		{ "a NULL owner address gives NULL", a_null_owner_address_gives_null },
		{ "a repeated element grows by one per add and keeps the earlier ones", a_repeated_element_grows_by_one_per_add_and_keeps_the_earlier_ones },
		{ "a FindItem built with builders encodes its Contains inside its And", a_find_item_built_with_builders_encodes_and_contains_inside_and },
		{ "a CreateItem built with builders encodes the message and its recipients", a_create_item_built_with_builders_encodes_the_message_and_its_recipients },
		{ NULL, NULL }
	};
	/* a client only for its arena: no request is sent */
	if (!ews_ok(ews_client_new("http://127.0.0.1:9/EWS/Exchange.asmx", NULL, &c)))
		return 1;
	int rc = ews_test_run("builders", cases);
	ews_client_free(c);
	return rc;
}
