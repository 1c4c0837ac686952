/* builder-find-restriction WORD... — FindItem in the Inbox built with the typed builders (OOM checks left out):
 * Restriction And(Contains(item:Subject, WORD), ...), shape IdOnly + Subject; prints how many items match. */
#include <stdio.h>
#include "ews/ews.h"
int main(int argc, char **argv)
{
	ews_options o; ews_client *c = NULL;
	ews_options_init(&o);
	ews_status st = ews_options_from_env(&o);   /* the server: EWS_URL, EWS_USER, EWS_PASSWORD ... */
	if (argc < 2 || !ews_ok(st) || !ews_ok(st = ews_client_new(NULL, &o, &c)))
		return fprintf(stderr, "usage: builder-find-restriction WORD... (%s)\n", st.message), 2;
	struct ewsmsg__FindItemType *req = EWS_NEW(c, ewsmsg__FindItemType);
	(req->ItemShape = EWS_NEW(c, ewstype__ItemResponseShapeType))->BaseShape = ewstype__DefaultShapeNamesType__IdOnly;
	ews_NonEmptyArrayOfPathsToElementType_add_FieldURI(c, &req->ItemShape->AdditionalProperties)->FieldURI = ewstype__UnindexedFieldURIType__item_x003aSubject;
	ews_NonEmptyArrayOfBaseFolderIdsType_add_DistinguishedFolderId(c, &req->ParentFolderIds)->Id = ewstype__DistinguishedFolderIdNameType__inbox;
	struct ewstype__AndType *and = ews_RestrictionType_set_And(c, &req->Restriction);
	for (int i = 1; i < argc; i++) {
		struct ewstype__ContainsExpressionType *has = ews_AndType_add_Contains(c, &and);
		ews_ContainsExpressionType_set_FieldURI(c, &has)->FieldURI = ewstype__UnindexedFieldURIType__item_x003aSubject;
		(has->Constant = EWS_NEW(c, ewstype__ConstantValueType))->Value = argv[i];
		has->ContainmentMode = EWS_BOX(c, ewstype__ContainmentModeType, ewstype__ContainmentModeType__Substring);
	}
	struct __ewsmsg__FindItemResponse resp; ews_response_message m;
	const struct ewsmsg__FindItemResponseMessageType *found = NULL;
	if (ews_ok(st = ews_find_item(c, req, &resp)) && !ews_response_messages_get(ews_response_messages_of("FindItem", &resp), 0, &m))
		found = m.message;
	printf("%d\n", found && found->RootFolder && found->RootFolder->TotalItemsInView ? *found->RootFolder->TotalItemsInView : -1);
	ews_client_free(c);
	return ews_ok(st) ? 0 : (fprintf(stderr, "%s\n", st.message), 1);
}
