/* builder-subscribe-events — (official bindings) pull Subscribe to the Inbox (NewMail, Created), then GetEvents,
 * with the typed builders; prints the subscription id and watermark (OOM checks left out). */
#include <stdio.h>
#include "ews/ews.h"
int main(void)
{
	ews_options o; ews_client *c = NULL;
	ews_options_init(&o);
	ews_status st = ews_options_from_env(&o);   /* the server: EWS_URL, EWS_USER, EWS_PASSWORD ... */
	if (!ews_ok(st) || !ews_ok(st = ews_client_new(NULL, &o, &c)))
		return fprintf(stderr, "builder-subscribe-events: %s\n", st.message), 2;
	struct ewsmsg__SubscribeType *sub = NULL;
	struct ewstype__PullSubscriptionRequestType *pull = ews_SubscribeType_set_PullSubscriptionRequest(c, &sub);
	ews_NonEmptyArrayOfBaseFolderIdsType_add_DistinguishedFolderId(c, &pull->FolderIds)->Id = ewstype__DistinguishedFolderIdNameType__inbox;
	ews_NonEmptyArrayOfNotificationEventTypesType_add_EventType(c, &pull->EventTypes, ewstype__NotificationEventTypeType__NewMailEvent);
	ews_NonEmptyArrayOfNotificationEventTypesType_add_EventType(c, &pull->EventTypes, ewstype__NotificationEventTypeType__CreatedEvent);
	pull->Timeout = 10;                         /* minutes without GetEvents before the server drops it */
	struct __ewsmsg__SubscribeResponse sresp; struct __ewsmsg__GetEventsResponse gresp; ews_response_message m;
	const struct ewsmsg__SubscribeResponseMessageType *made = ews_ok(st = ews_subscribe(c, sub, &sresp)) &&
		!ews_response_messages_get(ews_response_messages_of("Subscribe", &sresp), 0, &m) ? m.message : NULL;
	if (made && made->SubscriptionId && made->Watermark) {   /* copied: the response goes with the next call */
		struct ewsmsg__GetEventsType *get = EWS_NEW(c, ewsmsg__GetEventsType);
		get->SubscriptionId = soap_strdup(ews_client_arena(c), made->SubscriptionId);
		get->Watermark = soap_strdup(ews_client_arena(c), made->Watermark);
		printf("subscription %s watermark %s\n", get->SubscriptionId, get->Watermark);
		st = ews_get_events(c, get, &gresp);    /* the response names the events since the watermark */
	}
	ews_client_free(c);
	return ews_ok(st) && made ? 0 : (fprintf(stderr, "builder-subscribe-events: %s\n", st.message), 1);
}
