/* ews_notify_internal.h — how the pull iterator (ews_notify.c) and its streaming mode (ews_notify_stream.c)
 * reach each other. Internal to libews. */
#ifndef EWS_NOTIFY_INTERNAL_H
#define EWS_NOTIFY_INTERNAL_H

#include "ews/notify.h"
#include "soapH.h"

struct ews_stream_watch;

/* ---- ews_notify.c ---- */
/* One Notification entry as an event (strings borrowed from e): 1, or 0 for a StatusEvent / an empty entry. */
int ews_wf_event_from_notification(const struct __ewstype__union_NotificationType *e, ews_event *out);
/* The pull iterator's next event (ews_watch_next without the streaming mode). */
ews_status ews_wf_watch_pull_next(ews_watch *w, ews_event *out);
/* The pull Subscribe request (folders, event types): borrowed for w's lifetime. */
const struct ewstype__PullSubscriptionRequestType *ews_wf_watch_request(const ews_watch *w);

/* ---- ews_notify_stream.c ---- */
/* The streaming part of w (already subscribed pull); *out freed with ews_wf_stream_free. */
ews_status ews_wf_stream_new(ews_client *c, ews_watch *w, const ews_watch_options *opt, struct ews_stream_watch **out);
ews_status ews_wf_stream_next(struct ews_stream_watch *sw, ews_watch *w, ews_event *out);
void ews_wf_stream_reset(struct ews_stream_watch *sw);
/* which 0: streams opened; 1: events handed out from streams. */
long ews_wf_stream_count(const struct ews_stream_watch *sw, int which);
/* Closes the stream, unsubscribes (best effort), frees. Accepts NULL. */
void ews_wf_stream_free(struct ews_stream_watch *sw);

#endif
