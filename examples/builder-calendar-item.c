/* builder-calendar-item SUBJECT START END LOCATION — CreateItem of a CalendarItem (an appointment, no
 * invitations) in the Calendar, built with the typed builders. START/END: xs:dateTime ("2026-12-07T09:00:00Z").
 * Server: EWS_URL, EWS_USER ... (Out-of-memory checks on the builders' results are left out for brevity.) */
#include <stdio.h>
#include "ews/ews.h"

int main(int argc, char **argv)
{
	ews_options o;
	ews_client *c = NULL;
	ews_options_init(&o);
	ews_status st = ews_options_from_env(&o);
	if (argc != 5 || !ews_ok(st) || !ews_ok(st = ews_client_new(NULL, &o, &c)))
		return fprintf(stderr, "usage: builder-calendar-item SUBJECT START END LOCATION (%s)\n", st.message), 2;
	struct ewsmsg__CreateItemType *req = EWS_NEW(c, ewsmsg__CreateItemType);
	struct ewstype__CalendarItemType *ev = ews_NonEmptyArrayOfAllItemsType_add_CalendarItem(c, &req->Items);
	ev->Subject = argv[1];
	ev->Start = argv[2];
	ev->End = argv[3];
	ev->Location = argv[4];
	ews_TargetFolderIdType_set_DistinguishedFolderId(c, &req->SavedItemFolderId)->Id =
		ewstype__DistinguishedFolderIdNameType__calendar;
	req->SendMeetingInvitations = EWS_BOX(c, ewstype__CalendarItemCreateOrDeleteOperationType,
					      ewstype__CalendarItemCreateOrDeleteOperationType__SendToNone);
	struct __ewsmsg__CreateItemResponse resp;
	printf("%s\n", ews_ok(st = ews_create_item(c, req, &resp)) ? "created" : st.message);
	ews_client_free(c);
	return ews_ok(st) ? 0 : 1;
}
