/* notify.h — what the pull (op_notify.c) and streaming (op_stream.c) notification modules share: a stored
 * subscription, whether an event of the log is one it selects, and an event as its Notification element. */
#ifndef EWSD_NOTIFY_H
#define EWSD_NOTIFY_H

#include "ewsd.h"

struct ewsd_sub {
	int64_t mailbox_id;
	int all, mask;              /* SubscribeToAllFolders; bit 1 << ewsd_event_type per selected type */
	char *folders;              /* ",id,id," (soap-managed) */
	int streaming;              /* a StreamingSubscriptionRequest's (row in streaming_subscriptions) */
	int64_t cursor;             /* streaming: the last event seq sent */
};

/* One row of the events log. ts borrowed from the statement it was read from. */
struct ewsd_ev {
	int64_t seq, obj, parent, old_obj, old_parent;
	int type, is_folder;
	const char *ts;
};

/* NULL and *out, or the ResponseCode: unknown or expired (not polled for its Timeout; removed then)
 * ErrorSubscriptionNotFound, another user's ErrorSubscriptionAccessDenied. Either kind of subscription. */
const char *ewsd_notify_find(struct soap *soap, const char *id, struct ewsd_sub *out);
/* 1 when the subscription's folders and event types select e. */
int ewsd_notify_selects(const struct ewsd_sub *s, const struct ewsd_ev *e);
/* e as a Notification union entry (allocated in soap); with_watermark 0 for streaming (Exchange sends none). */
void ewsd_notify_put_event(struct soap *soap, int64_t mailbox_id, const struct ewsd_ev *e, int with_watermark,
			   struct __ewstype__union_NotificationType *u);
/* Drops events older than the kept window; returns the last seq dropped (0: none ever). */
int64_t ewsd_notify_dropped(sqlite3 *db);
/* The last seq logged in the store (0: none). */
int64_t ewsd_notify_last_seq(sqlite3 *db);
/* Deletes a subscription (both tables). */
void ewsd_notify_remove(sqlite3 *db, const char *id);

#endif
