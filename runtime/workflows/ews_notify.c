/* ews_notify.c — pull-notification iterator (ews/notify.h): Subscribe, GetEvents, a consumed watermark saved
 * like a SyncState, resubscription from it when the server forgot the subscription. */
#include <stdlib.h>
#include <string.h>

#include "ews/notify.h"
#include "ews/response.h"
#include "ews/sync.h"
#include "ews_operations.h"
#include "ews_schema_members.h"
#include "ews_notify_internal.h"
#include "ews_workflow.h"

#if !defined(EWS_HAVE_OP_SUBSCRIBE) || !defined(EWS_HAVE_OP_GET_EVENTS)
/* bindings from a schema without pull notifications */
#define NO_NOTIFY "Subscribe/GetEvents are not operations of the schema " EWS_SCHEMA_NAME
ews_status ews_watch_new(ews_client *c, const ews_watch_options *opt, ews_watch **out)
{
	if (out)
		*out = NULL;
	return ews_status_make(EWS_ERR_UNSUPPORTED, "%s", NO_NOTIFY);
}
ews_status ews_watch_next(ews_watch *w, ews_event *out) { return ews_status_make(EWS_ERR_UNSUPPORTED, "%s", NO_NOTIFY); }
const char *ews_watch_watermark(const ews_watch *w) { return ""; }
const char *ews_watch_subscription(const ews_watch *w) { return ""; }
ews_status ews_watch_save(ews_watch *w) { return ews_status_make(EWS_ERR_UNSUPPORTED, "%s", NO_NOTIFY); }
ews_status ews_watch_reset(ews_watch *w) { return ews_status_make(EWS_ERR_UNSUPPORTED, "%s", NO_NOTIFY); }
long ews_watch_events(const ews_watch *w) { return 0; }
long ews_watch_streams(const ews_watch *w) { return 0; }
long ews_watch_stream_events(const ews_watch *w) { return 0; }
long ews_watch_polls(const ews_watch *w) { return 0; }
int ews_watch_subscriptions(const ews_watch *w) { return 0; }
void ews_watch_free(ews_watch *w) { }
#else

#define WATERMARK_MAX 4096                  /* bound on a watermark from the server or a file (bytes) */

struct ews_watch {
	ews_client *c;
	struct soap *soap;                  /* owns the Subscribe request (folders, event types) */
	struct soap *batch_soap;            /* owns the current GetEvents answer */
	struct ewsmsg__SubscribeType *sreq;
	char *state_path;
	char *sub_id;                       /* NULL: subscribe before the next GetEvents */
	char *committed;                    /* watermark covering every consumed event; "" = none yet */
	char *saved;                        /* what the state file holds (avoids rewriting it unchanged) */
	int resubscribed;                   /* report on the next event */

	struct __ewsmsg__GetEventsResponse resp;
	const struct __ewstype__union_NotificationType *ev;
	int n, pos, have_batch, more;
	char *batch_end;                    /* the answer's last watermark (Status included) */

	long events, polls;
	int subscriptions;

	struct ews_stream_watch *sw;        /* streaming mode: the stream beside this pull subscription; NULL: pull */
	long handed;                        /* streaming mode: events handed out (both sources)                  */
};

static const char *event_watermark(const struct __ewstype__union_NotificationType *e);
static ews_status save_committed(ews_watch *w);

static ews_status nomem(void) { return ews_status_make(EWS_ERR_NOMEM, "out of memory"); }

/* NotificationType's MoreEvents: optional (a pointer) since Exchange 2010, required (a value) in 2007 SP1. */
static int more_events_optional(const enum xsd__boolean *v) { return v && *v == xsd__boolean__true_; }
static int more_events_required(enum xsd__boolean v) { return v == xsd__boolean__true_; }
#define more_events(m) _Generic((m), enum xsd__boolean *: more_events_optional, default: more_events_required)(m)

static ews_status set_str(char **dst, const char *src)
{
	char *v = strdup(src ? src : "");
	if (!v)
		return nomem();
	free(*dst);
	*dst = v;
	return ews_status_ok();
}

static ews_status build_request(ews_watch *w, const ews_watch_options *opt)
{
	struct soap *a = w->soap;
	struct ewstype__PullSubscriptionRequestType *p = soap_new_ewstype__PullSubscriptionRequestType(a, -1);
	w->sreq = soap_new_ewsmsg__SubscribeType(a, -1);
	if (!p || !w->sreq)
		return nomem();
	w->sreq->__union_SubscribeType = SOAP_UNION__ewsmsg__union_SubscribeType_PullSubscriptionRequest;
	w->sreq->union_SubscribeType.PullSubscriptionRequest = p;
	int t = opt->timeout_minutes ? opt->timeout_minutes : 10;
	/* streaming: GetEvents runs once per stream (at most ConnectionTimeout apart): outlive it */
	if (opt->streaming && !opt->timeout_minutes)
		t = (opt->connection_timeout_minutes > 0 ? opt->connection_timeout_minutes : 30) + 10;
	if (t < 1 || t > 1440)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_watch_new: timeout_minutes %d is not within 1..1440", t);
	p->Timeout = t;
	unsigned mask = opt->events ? opt->events : EWS_EVENTS_DEFAULT;
	if (mask & ~0xFEu)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_watch_new: unknown event bits 0x%x", mask & ~0xFEu);
#ifndef EWS_HAS_ewstype__NotificationEventTypeType_FreeBusyChangedEvent   /* Exchange 2010 */
	if (mask & EWS_EVENT_BIT(EWS_EVENT_FREE_BUSY_CHANGED))
		return ews_status_make(EWS_ERR_UNSUPPORTED, "ews_watch_new: these bindings (%s) have no FreeBusyChangedEvent "
				       "(it came with Exchange 2010)", EWS_SCHEMA_NAME);
#endif
	int n = 0;
	for (int k = 1; k <= 7; k++)
		n += !!(mask & EWS_EVENT_BIT(k));
	p->EventTypes = soap_new_ewstype__NonEmptyArrayOfNotificationEventTypesType(a, -1);
	struct __ewstype__union_NonEmptyArrayOfNotificationEventTypesType *u =
		soap_new___ewstype__union_NonEmptyArrayOfNotificationEventTypesType(a, n);
	if (!p->EventTypes || !u)
		return nomem();
	n = 0;
	for (int k = 1; k <= 7; k++)
		if (mask & EWS_EVENT_BIT(k)) {
			u[n].__union_NonEmptyArrayOfNotificationEventTypesType =
				SOAP_UNION__ewstype__union_NonEmptyArrayOfNotificationEventTypesType_EventType;
			u[n++].union_NonEmptyArrayOfNotificationEventTypesType.EventType = (enum ewstype__NotificationEventTypeType)(k - 1);
		}
	p->EventTypes->__size_NonEmptyArrayOfNotificationEventTypesType = n;
	p->EventTypes->__union_NonEmptyArrayOfNotificationEventTypesType = u;
	int nf = 0;
	while (opt->folders && opt->folders[nf])
		if (++nf > 1000)
			return ews_status_make(EWS_ERR_ARGUMENT, "ews_watch_new: more than 1000 folders");
	if (nf == 0) {
#ifndef EWS_HAS_ewstype__PullSubscriptionRequestType_SubscribeToAllFolders   /* Exchange 2010 */
		return ews_status_make(EWS_ERR_UNSUPPORTED, "ews_watch_new: these bindings (%s) cannot subscribe to all "
				       "folders (SubscribeToAllFolders came with Exchange 2010): name the folders",
				       EWS_SCHEMA_NAME);
#else
		p->SubscribeToAllFolders = soap_malloc(a, sizeof *p->SubscribeToAllFolders);
		if (!p->SubscribeToAllFolders)
			return nomem();
		*p->SubscribeToAllFolders = xsd__boolean__true_;
		return ews_status_ok();
#endif
	}
	/* one folder at a time through the shared helper, then the entries gathered in one array */
	struct __ewstype__union_NonEmptyArrayOfBaseFolderIdsType *all =
		soap_new___ewstype__union_NonEmptyArrayOfBaseFolderIdsType(a, nf);
	if (!all)
		return nomem();
	for (int i = 0; i < nf; i++) {
		struct ewstype__NonEmptyArrayOfBaseFolderIdsType *one = NULL;
		ews_status st = ews_wf_folder_ids(a, opt->folders[i], opt->mailbox, &one);
		if (!ews_ok(st))
			return st;
		all[i] = one->__union_NonEmptyArrayOfBaseFolderIdsType[0];
	}
	p->FolderIds = soap_new_ewstype__NonEmptyArrayOfBaseFolderIdsType(a, -1);
	if (!p->FolderIds)
		return nomem();
	p->FolderIds->__size_NonEmptyArrayOfBaseFolderIdsType = nf;
	p->FolderIds->__union_NonEmptyArrayOfBaseFolderIdsType = all;
	return ews_status_ok();
}

/* Subscribe from the committed watermark (or from now when there is none). */
static ews_status subscribe(ews_watch *w)
{
	struct __ewsmsg__SubscribeResponse resp = { 0 };
	struct ewstype__PullSubscriptionRequestType *p = w->sreq->union_SubscribeType.PullSubscriptionRequest;
	ews_response_message m;
	p->Watermark = *w->committed ? w->committed : NULL;
	ews_status st = ews_subscribe(w->c, w->sreq, &resp);
	p->Watermark = NULL;
	if (!ews_ok(st))
		return st;
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs =
		resp.ewsmsg__SubscribeResponse ? resp.ewsmsg__SubscribeResponse->ResponseMessages : NULL;
	if (!ews_ok(st = ews_wf_message_status(msgs, 0))) {
		if (!strcmp(st.response_code, "ErrorInvalidWatermark"))
			snprintf(st.message, sizeof st.message, "ErrorInvalidWatermark: the server no longer has the events "
				 "after the saved watermark (too old, or another mailbox's): events may have been lost; "
				 "reset to watch from now");
		return st;
	}
	if (ews_response_messages_get(msgs, 0, &m) || !m.message)
		return ews_status_make(EWS_ERR_XML, "Subscribe: expected one response message");
	const struct ewsmsg__SubscribeResponseMessageType *sm = m.message;
	if (!sm->SubscriptionId || !*sm->SubscriptionId || !sm->Watermark || !*sm->Watermark ||
	    strlen(sm->Watermark) > WATERMARK_MAX || strlen(sm->SubscriptionId) > WATERMARK_MAX)
		return ews_status_make(EWS_ERR_XML, "Subscribe: no usable SubscriptionId and Watermark in the answer");
	if (!ews_ok(st = set_str(&w->sub_id, sm->SubscriptionId)) || !ews_ok(st = set_str(&w->committed, sm->Watermark)))
		return st;
	w->subscriptions++;
	return save_committed(w);   /* from now on a restart resumes here */
}

static ews_status save_committed(ews_watch *w)
{
	if (!w->state_path || !*w->committed || (w->saved && !strcmp(w->saved, w->committed)))
		return ews_status_ok();
	ews_status st = ews_sync_state_save(w->state_path, w->committed);
	if (ews_ok(st))
		st = set_str(&w->saved, w->committed);
	return st;
}

ews_status ews_watch_save(ews_watch *w)
{
	if (!w)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_watch_save: NULL");
	/* the caller says it is done with everything handed out, the last event included */
	if (w->have_batch && w->pos > 0) {
		ews_status st = set_str(&w->committed, event_watermark(&w->ev[w->pos - 1]));
		if (!ews_ok(st))
			return st;
	}
	return save_committed(w);
}

static void drop_batch(ews_watch *w)
{
	w->have_batch = 0;
	w->n = w->pos = 0;
	w->ev = NULL;
	free(w->batch_end);
	w->batch_end = NULL;
	ews_wf_soap_end(w->batch_soap);
}

ews_status ews_watch_new(ews_client *c, const ews_watch_options *opt, ews_watch **out)
{
	ews_watch_options dflt;
	if (out)
		*out = NULL;
	if (!c || !out)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_watch_new: NULL client or out");
	if (!opt) {
		memset(&dflt, 0, sizeof dflt);
		opt = &dflt;
	}
	ews_watch *w = calloc(1, sizeof *w);
	if (!w || !(w->soap = ews_wf_soap_new()) || !(w->batch_soap = ews_wf_soap_new()) || !(w->committed = strdup("")) ||
	    (opt->state_path && !(w->state_path = strdup(opt->state_path)))) {
		ews_watch_free(w);
		return nomem();
	}
	w->c = c;
	ews_status st = build_request(w, opt);
	if (ews_ok(st) && opt->watermark) {
		if (strlen(opt->watermark) > WATERMARK_MAX)
			st = ews_status_make(EWS_ERR_ARGUMENT, "ews_watch_new: watermark longer than %d bytes", WATERMARK_MAX);
		else
			st = set_str(&w->committed, opt->watermark);
	} else if (ews_ok(st) && w->state_path) {
		char *saved = NULL;
		st = ews_sync_state_read(w->state_path, &saved);
		if (st.code == EWS_ERR_NOT_FOUND)
			st = ews_status_ok();
		else if (st.code == EWS_ERR_SYNC_STATE)
			st = ews_status_make(EWS_ERR_FORMAT, "%.200s does not hold a watermark", w->state_path);
		if (ews_ok(st) && saved && strlen(saved) > WATERMARK_MAX)
			st = ews_status_make(EWS_ERR_FORMAT, "%.200s: watermark longer than %d bytes", w->state_path,
					     WATERMARK_MAX);
		if (ews_ok(st) && saved) {
			st = set_str(&w->committed, saved);
			if (ews_ok(st))
				st = set_str(&w->saved, saved);
		}
		free(saved);
	}
	if (ews_ok(st))
		st = subscribe(w);
	if (ews_ok(st) && opt->streaming)
		st = ews_wf_stream_new(c, w, opt, &w->sw);
	if (!ews_ok(st)) {
		free(w->sub_id);   /* nothing to unsubscribe from on the way out */
		w->sub_id = NULL;
		free(w->state_path);   /* and the state file keeps what it had */
		w->state_path = NULL;
		ews_watch_free(w);
		return st;
	}
	*out = w;
	return ews_status_ok();
}

/* The watermark an event or status element carries. */
static const char *event_watermark(const struct __ewstype__union_NotificationType *e)
{
	const union _ewstype__union_NotificationType *u = &e->union_NotificationType;
	switch (e->__union_NotificationType) {
	case SOAP_UNION__ewstype__union_NotificationType_CopiedEvent: return u->CopiedEvent ? u->CopiedEvent->Watermark : NULL;
	case SOAP_UNION__ewstype__union_NotificationType_MovedEvent: return u->MovedEvent ? u->MovedEvent->Watermark : NULL;
	case SOAP_UNION__ewstype__union_NotificationType_ModifiedEvent:
		return u->ModifiedEvent ? u->ModifiedEvent->Watermark : NULL;
	case SOAP_UNION__ewstype__union_NotificationType_StatusEvent:
		return u->StatusEvent ? u->StatusEvent->Watermark : NULL;
	case SOAP_UNION__ewstype__union_NotificationType_CreatedEvent:
	case SOAP_UNION__ewstype__union_NotificationType_DeletedEvent:
	case SOAP_UNION__ewstype__union_NotificationType_NewMailEvent:
#ifdef SOAP_UNION__ewstype__union_NotificationType_FreeBusyChangedEvent
	case SOAP_UNION__ewstype__union_NotificationType_FreeBusyChangedEvent:
#endif
		return u->CreatedEvent ? u->CreatedEvent->Watermark : NULL;   /* all BaseObjectChangedEventType */
	default:
		return NULL;
	}
}

/* One GetEvents call from the committed watermark; resubscribes once when the subscription is gone. */
static ews_status fetch(ews_watch *w)
{
	ews_status st;
	drop_batch(w);
	if (!ews_ok(st = save_committed(w)))   /* the previous answer is consumed: make it durable first */
		return st;
	for (int attempt = 0; attempt < 2; attempt++) {
		if (!w->sub_id) {
			if (!ews_ok(st = subscribe(w)))
				return st;
			w->resubscribed = 1;
		}
		struct ewsmsg__GetEventsType *req = soap_new_ewsmsg__GetEventsType(w->soap, -1);
		if (!req)
			return nomem();
		req->SubscriptionId = w->sub_id;
		req->Watermark = w->committed;
		memset(&w->resp, 0, sizeof w->resp);
		st = ews_get_events(w->c, req, &w->resp);
		const struct ewsmsg__ArrayOfResponseMessagesType *msgs = NULL;
		if (ews_ok(st)) {
			w->polls++;
			ews_wf_keep_response(w->c, w->batch_soap);
			msgs = w->resp.ewsmsg__GetEventsResponse ? w->resp.ewsmsg__GetEventsResponse->ResponseMessages : NULL;
			st = ews_wf_message_status(msgs, 0);
		}
		/* the typed call may report an error ResponseMessage itself: both ways end here */
		if (st.code == EWS_ERR_RESPONSE && !strcmp(st.response_code, "ErrorSubscriptionNotFound")) {
			free(w->sub_id);   /* expired or the server restarted: a new one from the same watermark */
			w->sub_id = NULL;
			ews_wf_soap_end(w->batch_soap);
			continue;
		}
		if (st.code == EWS_ERR_RESPONSE && !strcmp(st.response_code, "ErrorInvalidWatermark"))
			snprintf(st.message, sizeof st.message, "ErrorInvalidWatermark: the server no longer has the events "
				 "after the watermark: events may have been lost; reset to watch from now");
		if (!ews_ok(st))
			return st;
		ews_response_message m;
		if (ews_response_messages_get(msgs, 0, &m) || !m.message)
			return ews_status_make(EWS_ERR_XML, "GetEvents: expected one response message");
		const struct ewsmsg__GetEventsResponseMessageType *gm = m.message;
		const struct ewstype__NotificationType *n = gm->Notification;
		if (!n || n->__size_NotificationType < 0 || (n->__size_NotificationType > 0 && !n->__union_NotificationType))
			return ews_status_make(EWS_ERR_XML, "GetEvents: no Notification in the answer");
		/* every element must carry a watermark before any is handed out: the position must never skip one */
		const char *last = NULL;
		for (int i = 0; i < n->__size_NotificationType; i++) {
			const char *wm = event_watermark(&n->__union_NotificationType[i]);
			if (!wm || !*wm || strlen(wm) > WATERMARK_MAX)
				return ews_status_make(EWS_ERR_XML, "GetEvents: event %d has no usable watermark (an element "
						       "these bindings cannot decode?); the watermark is not advanced", i + 1);
			last = wm;
		}
		if (last && !(w->batch_end = strdup(last)))
			return nomem();
		w->ev = n->__union_NotificationType;
		w->n = n->__size_NotificationType;
		w->more = more_events(n->MoreEvents);
		w->have_batch = 1;
		return ews_status_ok();
	}
	return ews_status_make(EWS_ERR_RESPONSE, "GetEvents: the server forgot the subscription again at once");
}

static void fill(ews_event *out, int kind, const void *changed, int modified, int moved)
{
	/* the three event structs share their leading members in the same order, but are distinct C types */
	if (moved) {
		const struct ewstype__MovedCopiedEventType *e = changed;
		out->timestamp = e->TimeStamp;
		out->is_folder = e->__union_MovedCopiedEventType == SOAP_UNION__ewstype__union_MovedCopiedEventType_FolderId;
		const struct ewstype__FolderIdType *f = out->is_folder ? e->union_MovedCopiedEventType.FolderId : NULL;
		const struct ewstype__ItemIdType *i = out->is_folder ? NULL : e->union_MovedCopiedEventType.ItemId;
		out->id = f ? f->Id : i ? i->Id : NULL;
		out->change_key = f ? f->ChangeKey : i ? i->ChangeKey : NULL;
		if (e->__union_MovedCopiedEventType_ == SOAP_UNION__ewstype__union_MovedCopiedEventType__OldFolderId)
			out->old_id = e->union_MovedCopiedEventType_.OldFolderId ? e->union_MovedCopiedEventType_.OldFolderId->Id : NULL;
		else if (e->__union_MovedCopiedEventType_ == SOAP_UNION__ewstype__union_MovedCopiedEventType__OldItemId)
			out->old_id = e->union_MovedCopiedEventType_.OldItemId ? e->union_MovedCopiedEventType_.OldItemId->Id : NULL;
		out->parent_folder_id = e->ParentFolderId ? e->ParentFolderId->Id : NULL;
		out->old_parent_folder_id = e->OldParentFolderId ? e->OldParentFolderId->Id : NULL;
	} else if (modified) {
		const struct ewstype__ModifiedEventType *e = changed;
		out->timestamp = e->TimeStamp;
		out->is_folder = e->__union_ModifiedEventType == SOAP_UNION__ewstype__union_ModifiedEventType_FolderId;
		const struct ewstype__FolderIdType *f = out->is_folder ? e->union_ModifiedEventType.FolderId : NULL;
		const struct ewstype__ItemIdType *i = out->is_folder ? NULL : e->union_ModifiedEventType.ItemId;
		out->id = f ? f->Id : i ? i->Id : NULL;
		out->change_key = f ? f->ChangeKey : i ? i->ChangeKey : NULL;
		out->parent_folder_id = e->ParentFolderId ? e->ParentFolderId->Id : NULL;
		out->unread_count = e->UnreadCount ? *e->UnreadCount : -1;
	} else {
		const struct ewstype__BaseObjectChangedEventType *e = changed;
		out->timestamp = e->TimeStamp;
		out->is_folder = e->__union_BaseObjectChangedEventType ==
				 SOAP_UNION__ewstype__union_BaseObjectChangedEventType_FolderId;
		const struct ewstype__FolderIdType *f = out->is_folder ? e->union_BaseObjectChangedEventType.FolderId : NULL;
		const struct ewstype__ItemIdType *i = out->is_folder ? NULL : e->union_BaseObjectChangedEventType.ItemId;
		out->id = f ? f->Id : i ? i->Id : NULL;
		out->change_key = f ? f->ChangeKey : i ? i->ChangeKey : NULL;
		out->parent_folder_id = e->ParentFolderId ? e->ParentFolderId->Id : NULL;
	}
	out->kind = (ews_event_kind)kind;
}

int ews_wf_event_from_notification(const struct __ewstype__union_NotificationType *e, ews_event *out)
{
	const union _ewstype__union_NotificationType *u = &e->union_NotificationType;
	int kind;
	out->watermark = event_watermark(e);
	switch (e->__union_NotificationType) {
	case SOAP_UNION__ewstype__union_NotificationType_CopiedEvent:
		if (!u->CopiedEvent)
			return 0;
		fill(out, EWS_EVENT_COPIED, u->CopiedEvent, 0, 1);
		return 1;
	case SOAP_UNION__ewstype__union_NotificationType_MovedEvent:
		if (!u->MovedEvent)
			return 0;
		fill(out, EWS_EVENT_MOVED, u->MovedEvent, 0, 1);
		return 1;
	case SOAP_UNION__ewstype__union_NotificationType_ModifiedEvent:
		if (!u->ModifiedEvent)
			return 0;
		fill(out, EWS_EVENT_MODIFIED, u->ModifiedEvent, 1, 0);
		return 1;
	case SOAP_UNION__ewstype__union_NotificationType_CreatedEvent: kind = EWS_EVENT_CREATED; break;
	case SOAP_UNION__ewstype__union_NotificationType_DeletedEvent: kind = EWS_EVENT_DELETED; break;
	case SOAP_UNION__ewstype__union_NotificationType_NewMailEvent: kind = EWS_EVENT_NEW_MAIL; break;
#ifdef SOAP_UNION__ewstype__union_NotificationType_FreeBusyChangedEvent
	case SOAP_UNION__ewstype__union_NotificationType_FreeBusyChangedEvent: kind = EWS_EVENT_FREE_BUSY_CHANGED; break;
#endif
	default:
		return 0;   /* a StatusEvent */
	}
	if (!u->CreatedEvent)   /* the four are all BaseObjectChangedEventType */
		return 0;
	fill(out, kind, u->CreatedEvent, 0, 0);
	return 1;
}

ews_status ews_wf_watch_pull_next(ews_watch *w, ews_event *out)
{
	memset(out, 0, sizeof *out);
	out->unread_count = -1;
	for (int rounds = 0; rounds < 1000; rounds++) {
		/* the element handed out last time is consumed now: the watermark moves past it */
		if (w->have_batch && w->pos > 0) {
			ews_status st = set_str(&w->committed, event_watermark(&w->ev[w->pos - 1]));
			if (!ews_ok(st))
				return st;
		}
		while (w->have_batch && w->pos < w->n) {
			const struct __ewstype__union_NotificationType *e = &w->ev[w->pos++];
			if (!ews_wf_event_from_notification(e, out)) {
				/* a StatusEvent: nothing to hand out, consumed */
				ews_status st = set_str(&w->committed, event_watermark(e));
				if (!ews_ok(st))
					return st;
				continue;
			}
			out->resubscribed = w->resubscribed;
			w->resubscribed = 0;
			w->events++;
			return ews_status_ok();
		}
		/* the answer is consumed: its last watermark (a Status one included) is where the next call starts */
		if (w->have_batch && w->batch_end) {
			ews_status st = set_str(&w->committed, w->batch_end);
			if (!ews_ok(st))
				return st;
		}
		if (w->have_batch && !w->more) {
			drop_batch(w);
			memset(out, 0, sizeof *out);
			out->unread_count = -1;
			out->kind = EWS_EVENT_NONE;
			out->watermark = w->committed;
			return save_committed(w);
		}
		ews_status st = fetch(w);
		if (!ews_ok(st))
			return st;
	}
	return ews_status_make(EWS_ERR_RESPONSE, "GetEvents: MoreEvents without end (1000 calls)");
}

ews_status ews_watch_next(ews_watch *w, ews_event *out)
{
	if (!w || !out)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_watch_next: NULL");
	if (!w->sw)
		return ews_wf_watch_pull_next(w, out);
	ews_status st = ews_wf_stream_next(w->sw, w, out);
	if (ews_ok(st) && out->kind != EWS_EVENT_NONE)
		w->handed++;
	return st;
}

const struct ewstype__PullSubscriptionRequestType *ews_wf_watch_request(const ews_watch *w)
{
	return w->sreq->union_SubscribeType.PullSubscriptionRequest;
}

const char *ews_watch_watermark(const ews_watch *w) { return w && w->committed ? w->committed : ""; }
const char *ews_watch_subscription(const ews_watch *w) { return w && w->sub_id ? w->sub_id : ""; }
long ews_watch_events(const ews_watch *w) { return w ? (w->sw ? w->handed : w->events) : 0; }
long ews_watch_streams(const ews_watch *w) { return w && w->sw ? ews_wf_stream_count(w->sw, 0) : 0; }
long ews_watch_stream_events(const ews_watch *w) { return w && w->sw ? ews_wf_stream_count(w->sw, 1) : 0; }
long ews_watch_polls(const ews_watch *w) { return w ? w->polls : 0; }
int ews_watch_subscriptions(const ews_watch *w) { return w ? w->subscriptions : 0; }

static void unsubscribe(ews_watch *w)
{
#ifdef EWS_HAVE_OP_UNSUBSCRIBE
	struct ewsmsg__UnsubscribeType *req = w->sub_id ? soap_new_ewsmsg__UnsubscribeType(w->soap, -1) : NULL;
	struct __ewsmsg__UnsubscribeResponse resp = { 0 };
	if (req) {
		req->SubscriptionId = w->sub_id;
		(void)ews_unsubscribe(w->c, req, &resp);   /* best effort: it expires anyway */
	}
#endif
	free(w->sub_id);
	w->sub_id = NULL;
}

ews_status ews_watch_reset(ews_watch *w)
{
	if (!w)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_watch_reset: NULL");
	drop_batch(w);
	unsubscribe(w);
	ews_status st = set_str(&w->committed, "");
	if (ews_ok(st))
		st = subscribe(w);
	if (ews_ok(st) && w->sw)
		ews_wf_stream_reset(w->sw);   /* a new stream subscription too, and nothing remembered */
	return st;
}

void ews_watch_free(ews_watch *w)
{
	if (!w)
		return;
	ews_wf_stream_free(w->sw);   /* the stream closed and its subscription ended before the pull one */
	w->sw = NULL;
	if (w->c && w->committed && w->sreq) {
		/* the event handed out last is not counted as consumed (no ews_watch_next after it): a restart sees it
		 * again rather than never */
		(void)save_committed(w);
		unsubscribe(w);
	}
	if (w->batch_soap)
		drop_batch(w);
	ews_wf_soap_free(w->soap);
	ews_wf_soap_free(w->batch_soap);
	free(w->state_path);
	free(w->sub_id);
	free(w->committed);
	free(w->saved);
	free(w->batch_end);
	free(w);
}
#endif
