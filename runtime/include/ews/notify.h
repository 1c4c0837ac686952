/* ews/notify.h — mailbox events from a pull subscription, as an iterator: Subscribe, then GetEvents whenever the
 * events handed out are consumed, with a watermark that only moves past events the caller has consumed, saved
 * (like a SyncState: temporary file, fsync, rename) so that a restart resumes where it stopped, and a new
 * subscription from that watermark when the server dropped the old one (Timeout passed, server restarted).
 *
 *   ews_watch *w; ews_event ev; ews_status st;
 *   st = ews_watch_new(c, &(ews_watch_options){ .folders = (const char *[]){ "inbox", NULL },
 *                                               .state_path = "inbox.watermark" }, &w);
 *   while (ews_ok(st) && !stop) {
 *           if (!ews_ok(st = ews_watch_next(w, &ev))) break;
 *           if (ev.kind == EWS_EVENT_NONE) { sleep(5); continue; }   // caught up: poll again later
 *           handle(&ev);                                             // Created, NewMail, Moved ...
 *   }
 *   if (st.code == EWS_ERR_RESPONSE && !strcmp(st.response_code, "ErrorInvalidWatermark"))
 *           ...  // the saved watermark is too old or not this mailbox's: events may be lost; ews_watch_reset()
 *   ews_watch_free(w);                                               // saves the watermark, unsubscribes
 *
 * Watermark hand-over: ews_watch_watermark() covers the events handed out *and consumed*: an event counts as
 * consumed once ews_watch_next is called again (or ews_watch_save is called). The state file is written when
 * a GetEvents answer has been consumed whole (before the next GetEvents), when ews_watch_next reports
 * EWS_EVENT_NONE, by ews_watch_save() and by ews_watch_free(). A crash between two saves replays at most the
 * events of one answer (at least once, never lost).
 *
 * Streaming mode (.streaming = 1): events arrive as they happen on one long GetStreamingEvents response
 * (Exchange 2010 SP1 and later), read incrementally: ews_watch_next blocks until the next event or keep-alive
 * (then EWS_EVENT_NONE), at most idle_timeout_s. A stream carries no watermarks, so it cannot be resumed
 * after a drop by itself; the iterator keeps the pull subscription above beside it as its durable position:
 *
 *   1. subscribe pull (from the saved watermark) and streaming; 2. GetEvents until caught up (the events since
 *   the saved watermark, handed out first); 3. read the stream, handing out each event as it arrives;
 *   4. when the stream ends (ConnectionStatus Closed after connection_timeout_minutes, a dropped connection, an
 *   idle timeout, a subscription the server lost) GetEvents again: the events the stream already handed out
 *   are recognised (kind, ids, time stamp) and skipped, the ones it lost are handed out; the watermark, now past
 *   everything handed out, is saved; then the stream is reopened (a new streaming subscription first, when the
 *   old one is gone), with exponential back-off while it fails.
 *
 * So nothing is lost across drops, expiry and restarts; an event may be handed out twice when more than 16384
 * streamed events pass between two reconciliations or when the process stops before one (at least once). The
 * watermark saved is the pull subscription's: it covers the events up to the last reconciliation.
 */
#ifndef EWS_NOTIFY_H
#define EWS_NOTIFY_H

#include "ews/client.h"
#include "ews/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ews_watch ews_watch;

/* Event kinds; the values 1..7 follow the schema's NotificationEventTypeType order plus one. */
typedef enum ews_event_kind {
	EWS_EVENT_NONE = 0,                 /* nothing new now (a StatusEvent): call ews_watch_next again later */
	EWS_EVENT_COPIED = 1,
	EWS_EVENT_CREATED = 2,
	EWS_EVENT_DELETED = 3,
	EWS_EVENT_MODIFIED = 4,
	EWS_EVENT_MOVED = 5,
	EWS_EVENT_NEW_MAIL = 6,
	EWS_EVENT_FREE_BUSY_CHANGED = 7
} ews_event_kind;

#define EWS_EVENT_BIT(kind) (1u << (kind))
/* Copied, Created, Deleted, Modified, Moved, NewMail (FreeBusyChanged only when asked for) */
#define EWS_EVENTS_DEFAULT 0x7Eu

/* One event, borrowed: valid until the next ews_watch_next / ews_watch_reset / ews_watch_free. Absent strings
 * are NULL. */
typedef struct ews_event {
	ews_event_kind kind;
	int is_folder;                      /* 1: id names a folder; 0: an item                          */
	const char *id, *change_key;        /* the item or folder (after the event: the new id of a move) */
	const char *parent_folder_id;
	const char *old_id;                 /* Moved/Copied: the id before                               */
	const char *old_parent_folder_id;   /* Moved/Copied: the folder it came from                     */
	const char *timestamp;              /* xs:dateTime as sent                                      */
	const char *watermark;              /* this event's own watermark                               */
	int unread_count;                   /* Modified folder: its UnreadCount; else -1                */
	int resubscribed;                   /* 1 when a new subscription was made before this event      */
	int reconnected;                    /* streaming: the stream was reopened (after a drop, a Closed, a lost
	                                       subscription) before this event                              */
	int from_stream;                    /* streaming: 1 when it came on the stream, 0 from GetEvents        */
} ews_event;

/* All members optional. Strings borrowed for the duration of ews_watch_new only. */
typedef struct ews_watch_options {
	const char *const *folders;         /* NULL-terminated distinguished names ("inbox") or folder ids; NULL or
	                                       empty: every folder of the mailbox (SubscribeToAllFolders)         */
	unsigned events;                    /* EWS_EVENT_BIT()s; 0 = EWS_EVENTS_DEFAULT                          */
	int timeout_minutes;                /* Timeout of the subscription, 1..1440; 0 = 10                     */
	const char *mailbox;                /* SMTP of another mailbox for distinguished folders                 */
	const char *state_path;             /* where the watermark is kept; NULL: not saved                      */
	const char *watermark;              /* start from here (overrides the state file); NULL: the state file,
	                                       else now                                                           */
	int streaming;                      /* 1: streaming mode (above)                                         */
	int connection_timeout_minutes;     /* streaming: ConnectionTimeout of each stream, 1..30; 0 = 30        */
	int idle_timeout_s;                 /* streaming: no byte for this long = a dropped connection; 0 = 120   */
	long backoff_max_ms;                /* streaming: longest wait between reconnection attempts; 0 = 30000  */
} ews_watch_options;

/* Subscribe (or, with a saved watermark, resubscribe from it). The caller frees *out with ews_watch_free().
 * EWS_ERR_ARGUMENT for NULL c/out, a bad option; the Subscribe call's errors (EWS_ERR_RESPONSE with
 * response_code "ErrorInvalidWatermark" when the saved watermark can no longer be used: ews_watch_reset() or
 * delete the state file to start from now, accepting that events in between are lost). A state file that is
 * not a watermark is EWS_ERR_FORMAT. */
ews_status ews_watch_new(ews_client *c, const ews_watch_options *opt, ews_watch **out);

/* The next event, or kind EWS_EVENT_NONE when there is nothing new (no waiting inside: the caller decides how
 * often to poll). A subscription the server no longer knows (ErrorSubscriptionNotFound: expired or server
 * restarted) is replaced by a new one from the consumed watermark, without losing an event (ev.resubscribed).
 * ErrorInvalidWatermark (the server dropped events after the watermark) is returned, never hidden. Other errors
 * leave the iterator where it was: calling again retries. */
ews_status ews_watch_next(ews_watch *w, ews_event *out);

/* The watermark covering every event handed out and consumed. Borrowed, valid until the next call on w. */
const char *ews_watch_watermark(const ews_watch *w);
/* The subscription id in use (borrowed, as above). */
const char *ews_watch_subscription(const ews_watch *w);

/* The caller is done with every event handed out, the last one included: the watermark moves past it and is
 * written to the state file now (nothing is written without a state_path). EWS_ERR_FILE on failure. */
ews_status ews_watch_save(ews_watch *w);

/* Forget the watermark: a new subscription from now (events since the last one consumed are skipped). */
ews_status ews_watch_reset(ews_watch *w);

/* Events handed out, GetEvents calls and subscriptions made so far. */
long ews_watch_events(const ews_watch *w);
long ews_watch_polls(const ews_watch *w);
int ews_watch_subscriptions(const ews_watch *w);
/* Streaming mode: GetStreamingEvents responses opened, and events handed out from them; 0 in pull mode. */
long ews_watch_streams(const ews_watch *w);
long ews_watch_stream_events(const ews_watch *w);

/* Save the watermark, Unsubscribe (best effort), free. Accepts NULL. Not the client. */
void ews_watch_free(ews_watch *w);

#ifdef __cplusplus
}
#endif
#endif
