/* builder-update-item ITEM_ID NEW_SUBJECT — UpdateItem: one ItemChange with a SetItemField that sets the
 * message's Subject, built with the typed builders. Server: EWS_URL, EWS_USER ...
 * (Out-of-memory checks on the builders' results are left out for brevity.) */
#include <stdio.h>
#include "ews/ews.h"

int main(int argc, char **argv)
{
	ews_options o;
	ews_client *c = NULL;
	ews_options_init(&o);
	ews_status st = ews_options_from_env(&o);
	if (argc != 3 || !ews_ok(st) || !ews_ok(st = ews_client_new(NULL, &o, &c)))
		return fprintf(stderr, "usage: builder-update-item ITEM_ID NEW_SUBJECT (%s)\n", st.message), 2;
	struct ewsmsg__UpdateItemType *req = EWS_NEW(c, ewsmsg__UpdateItemType);
	struct ewstype__ItemChangeType *change = ews_NonEmptyArrayOfItemChangesType_add_ItemChange(c, &req->ItemChanges);
	ews_ItemChangeType_set_ItemId(c, &change)->Id = argv[1];
	struct ewstype__SetItemFieldType *set = ews_NonEmptyArrayOfItemChangeDescriptionsType_add_SetItemField(c, &change->Updates);
	ews_SetItemFieldType_set_FieldURI(c, &set)->FieldURI = ewstype__UnindexedFieldURIType__item_x003aSubject;
	ews_SetItemFieldType_set_Message(c, &set)->Subject = argv[2];
	req->ConflictResolution = ewstype__ConflictResolutionType__AlwaysOverwrite;
	req->MessageDisposition = EWS_BOX(c, ewstype__MessageDispositionType, ewstype__MessageDispositionType__SaveOnly);
	struct __ewsmsg__UpdateItemResponse resp;
	printf("%s\n", ews_ok(st = ews_update_item(c, req, &resp)) ? "updated" : st.message);
	ews_client_free(c);
	return ews_ok(st) ? 0 : 1;
}
