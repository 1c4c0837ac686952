/* builder-create-message SUBJECT TO1 TO2 — CreateItem of a Message with two recipients, saved in Drafts, built
 * with the typed builders (ews_builders.h): no gSOAP union, counter or cast. Server: EWS_URL, EWS_USER ...
 * (Out-of-memory checks on the builders' results are left out to keep the idea visible.) */
#include <stdio.h>
#include "ews/ews.h"

int main(int argc, char **argv)
{
	ews_options o;
	ews_client *c = NULL;
	ews_options_init(&o);
	ews_status st = ews_options_from_env(&o);
	if (argc != 4 || !ews_ok(st) || !ews_ok(st = ews_client_new(NULL, &o, &c)))
		return fprintf(stderr, "usage: builder-create-message SUBJECT TO1 TO2 (%s)\n", st.message), 2;
	struct ewsmsg__CreateItemType *req = EWS_NEW(c, ewsmsg__CreateItemType);
	struct ewstype__MessageType *m = ews_NonEmptyArrayOfAllItemsType_add_Message(c, &req->Items);
	m->Subject = argv[1];
	ews_ArrayOfRecipientsType_add_Mailbox(c, &m->ToRecipients)->EmailAddress = argv[2];
	ews_ArrayOfRecipientsType_add_Mailbox(c, &m->ToRecipients)->EmailAddress = argv[3];
	ews_TargetFolderIdType_set_DistinguishedFolderId(c, &req->SavedItemFolderId)->Id =
		ewstype__DistinguishedFolderIdNameType__drafts;
	req->MessageDisposition = EWS_BOX(c, ewstype__MessageDispositionType, ewstype__MessageDispositionType__SaveOnly);
	struct __ewsmsg__CreateItemResponse resp;
	st = ews_create_item(c, req, &resp);
	printf("%s\n", ews_ok(st) ? "created" : st.message);
	ews_client_free(c);
	return ews_ok(st) ? 0 : 1;
}
