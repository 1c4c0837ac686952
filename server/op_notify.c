/* op_notify.c — pull notifications (MS-OXWSNTIF): Subscribe (PullSubscriptionRequest), GetEvents, Unsubscribe,
 * over the store's event log (table `events`, one row per change, written by store.c).
 *
 * A watermark is base64(version 1, mailbox id (4), event seq (8), HMAC-SHA256/128 with the store's secret): a
 * watermark of another mailbox or store, or a modified one, is ErrorInvalidWatermark; so is one older than the
 * events kept (EWSD_EVENT_DAYS: older events are dropped, as Exchange's event queue drops them).
 * Subscriptions live in the store (every connection's thread sees them) and expire when no GetEvents came for
 * their Timeout minutes (ErrorSubscriptionNotFound afterwards, as for an unknown id). GetEvents answers the events
 * after the watermark that the subscription's folders and event types select, at most EWSD_EVENTS_PAGE a call
 * (MoreEvents), or one StatusEvent when there is none; each event carries the watermark just past it.
 * Subscribe also makes streaming subscriptions (StreamingSubscriptionRequest: an id, no watermark), served by
 * op_stream.c; GetEvents refuses them (ErrorInvalidPullSubscriptionId), Unsubscribe ends either kind.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "ewsd.h"
#include "notify.h"

#define EWSD_EVENTS_PAGE 50          /* events per GetEvents answer; the rest is announced by MoreEvents */
#define EWSD_EVENTS_SCAN 5000        /* event rows looked at per call (filtered-out ones included)        */
#define EWSD_EVENT_DAYS 30           /* events older than this are dropped; watermarks before them are stale */
#define WM_BODY 13

static int wm_sign(sqlite3 *db, const unsigned char *b, unsigned char mac[16])
{
	unsigned char key[32], full[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	if (ewsd_store_secret(db, key) || !HMAC(EVP_sha256(), key, 32, b, WM_BODY, full, &n))
		return -1;
	memcpy(mac, full, 16);
	return 0;
}

static char *wm_make(struct soap *soap, int64_t mailbox_id, int64_t seq)
{
	unsigned char b[WM_BODY + 16];
	uint64_t v = (uint64_t)seq;
	b[0] = 1;
	for (int i = 0; i < 4; i++)
		b[1 + i] = (unsigned char)((uint64_t)mailbox_id >> (8 * (3 - i)));
	for (int i = 0; i < 8; i++)
		b[5 + i] = (unsigned char)(v >> (8 * (7 - i)));
	if (wm_sign(ewsd_req(soap)->db, b, b + WM_BODY))
		return NULL;
	return ewsd_b64(soap, b, sizeof b);
}

/* 0 and *seq on a watermark of this mailbox signed by this store; -1 otherwise. */
static int wm_parse(struct soap *soap, const char *s, int64_t mailbox_id, int64_t *seq)
{
	size_t n;
	unsigned char *b, mac[16];
	uint64_t mbx = 0, v = 0;
	if (!s || strlen(s) > 100 || !(b = ewsd_unb64(soap, s, &n)) || n != WM_BODY + 16 || b[0] != 1)
		return -1;
	if (wm_sign(ewsd_req(soap)->db, b, mac) || CRYPTO_memcmp(mac, b + WM_BODY, 16))
		return -1;
	for (int i = 0; i < 4; i++)
		mbx = mbx << 8 | b[1 + i];
	for (int i = 0; i < 8; i++)
		v = v << 8 | b[5 + i];
	if ((int64_t)mbx != mailbox_id)
		return -1;
	*seq = (int64_t)v;
	return 0;
}

static int64_t query_i64(sqlite3 *db, const char *sql, int64_t a)
{
	sqlite3_stmt *st;
	int64_t v = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, a);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Drop events older than EWSD_EVENT_DAYS, remembering (meta "events-dropped") the last seq dropped: a watermark
 * before it may have missed events and is stale. */
int64_t ewsd_notify_dropped(sqlite3 *db)
{
	char cut[32];
	time_t t = time(NULL) - (time_t)EWSD_EVENT_DAYS * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(cut, sizeof cut, "%Y-%m-%dT%H:%M:%SZ", &tm);
	sqlite3_stmt *st;
	int64_t last = 0;
	int old = 0;
	/* the oldest event first (one row by the primary key): the scan below runs only when there is work */
	if (sqlite3_prepare_v2(db, "SELECT ts<? FROM events ORDER BY seq LIMIT 1", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, cut, -1, SQLITE_TRANSIENT);
		old = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	if (old && sqlite3_prepare_v2(db, "SELECT MAX(seq) FROM events WHERE ts<?", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, cut, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) == SQLITE_ROW)
			last = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	if (last > 0 && ewsd_begin(db) == 0) {
		char v[32];
		snprintf(v, sizeof v, "%lld", (long long)last);
		if (sqlite3_prepare_v2(db, "DELETE FROM events WHERE seq<=?", -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_int64(st, 1, last);
			sqlite3_step(st);
			sqlite3_finalize(st);
		}
		if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta(k,v) VALUES('events-dropped',?)", -1, &st, NULL) ==
		    SQLITE_OK) {
			sqlite3_bind_text(st, 1, v, -1, SQLITE_TRANSIENT);
			sqlite3_step(st);
			sqlite3_finalize(st);
		}
		if (ewsd_commit(db))
			ewsd_rollback(db);
	}
	return query_i64(db, "SELECT COALESCE(CAST(v AS INT),0) FROM meta WHERE k='events-dropped'", 0);
}

int64_t ewsd_notify_last_seq(sqlite3 *db)
{
	return query_i64(db, "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name='events'),0)", 0);
}

/* A watermark the request may resume from: ours, and no event after it dropped. */
static const char *check_watermark(struct soap *soap, const char *wm, int64_t *seq)
{
	struct ewsd_request *rq = ewsd_req(soap);
	if (wm_parse(soap, wm, rq->mailbox_id, seq))
		return "ErrorInvalidWatermark";
	if (*seq < ewsd_notify_dropped(rq->db) || *seq > query_i64(rq->db, "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name='events'),0)", 0))
		return "ErrorInvalidWatermark";
	return NULL;
}

static void *response_slot(struct soap *soap, struct ewsmsg__ArrayOfResponseMessagesType **out, int selector,
			   size_t size)
{
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, 1);
	void *m = ewsd_zalloc(soap, size);
	msgs->__union_ArrayOfResponseMessagesType[0].__union_ArrayOfResponseMessagesType = selector;
	/* every member of the union is a pointer to a response message */
	msgs->__union_ArrayOfResponseMessagesType[0].union_ArrayOfResponseMessagesType.SubscribeResponseMessage = m;
	*out = msgs;
	return m;
}

/* ---- Subscribe ---- */

/* The folders and event types of a subscription request (pull and streaming share them). NULL, or the
 * ResponseCode. */
static const char *parse_scope(struct soap *soap, struct ewstype__NonEmptyArrayOfBaseFolderIdsType *ids,
			       enum xsd__boolean *all_folders, struct ewstype__NonEmptyArrayOfNotificationEventTypesType *types,
			       int *all, char **folders, int *mask)
{
	struct ewsd_request *rq = ewsd_req(soap);
	int nf = ids ? ids->__size_NonEmptyArrayOfBaseFolderIdsType : 0;
	const char *err = NULL;
	*all = all_folders && *all_folders == xsd__boolean__true_;
	/* folders or all folders, not both and not neither (Exchange: ErrorInvalidSubscriptionRequest) */
	if (*all == (nf > 0))
		err = "ErrorInvalidSubscriptionRequest";
	*folders = soap_strdup(soap, ",");
	for (int i = 0; !err && i < nf; i++) {
		struct __ewstype__union_NonEmptyArrayOfBaseFolderIdsType *u = &ids->__union_NonEmptyArrayOfBaseFolderIdsType[i];
		struct ewsd_folder f;
		err = ewsd_resolve_folder(soap,
			u->__union_NonEmptyArrayOfBaseFolderIdsType == SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseFolderIdsType_FolderId
				? u->union_NonEmptyArrayOfBaseFolderIdsType.FolderId : NULL,
			u->__union_NonEmptyArrayOfBaseFolderIdsType == SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseFolderIdsType_DistinguishedFolderId
				? u->union_NonEmptyArrayOfBaseFolderIdsType.DistinguishedFolderId : NULL, &f);
		if (!err && f.mailbox_id != rq->mailbox_id)
			err = "ErrorInvalidSubscriptionRequest";   /* one subscription, one mailbox */
		if (!err) {
			size_t len = strlen(*folders) + 24;
			char *g = soap_malloc(soap, len);
			snprintf(g, len, "%s%lld,", *folders, (long long)f.id);
			*folders = g;
		}
	}
	*mask = 0;
	for (int i = 0; types && i < types->__size_NonEmptyArrayOfNotificationEventTypesType; i++) {
		int t = (int)types->__union_NonEmptyArrayOfNotificationEventTypesType[i]
				.union_NonEmptyArrayOfNotificationEventTypesType.EventType;
		if (t >= 0 && t < 31)
			*mask |= 1 << t;
	}
	if (!err && !*mask)
		err = "ErrorInvalidSubscriptionRequest";
	return err;
}

static int exec_text(sqlite3 *db, const char *sql, const char *a)
{
	sqlite3_stmt *st;
	int ok = sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK;
	if (ok) {
		sqlite3_bind_text(st, 1, a, -1, SQLITE_TRANSIENT);
		ok = sqlite3_step(st) == SQLITE_DONE;
		sqlite3_finalize(st);
	}
	return ok ? 0 : -1;
}

void ewsd_notify_remove(sqlite3 *db, const char *id)
{
	exec_text(db, "DELETE FROM subscriptions WHERE id=?", id);
	exec_text(db, "DELETE FROM streaming_subscriptions WHERE id=?", id);
}

/* A new subscription row: 0, or -1 on a store error. A streaming one starts at start and expires as Exchange's
 * do, 30 minutes after its last connection (op_stream.c keeps last_poll fresh while one is open). */
static int store_sub(struct soap *soap, const char *id, int all, const char *folders, int mask, int timeout,
		     int streaming, int64_t start)
{
	struct ewsd_request *rq = ewsd_req(soap);
	sqlite3_stmt *st;
	if (ewsd_begin(rq->db))
		return -1;
	int ok = sqlite3_prepare_v2(rq->db, "INSERT INTO subscriptions(id,mailbox_id,owner,all_folders,folders,mask,"
					    "timeout_min,last_poll) VALUES(?,?,?,?,?,?,?,((julianday('now')-2440587.5)*86400.0))",
				    -1, &st, NULL) == SQLITE_OK;
	if (ok) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, rq->mailbox_id);
		sqlite3_bind_text(st, 3, rq->user, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(st, 4, all);
		sqlite3_bind_text(st, 5, folders, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(st, 6, mask);
		sqlite3_bind_int(st, 7, timeout);
		ok = sqlite3_step(st) == SQLITE_DONE;
		sqlite3_finalize(st);
	}
	if (ok && streaming &&
	    (ok = sqlite3_prepare_v2(rq->db, "INSERT INTO streaming_subscriptions(id,cursor) VALUES(?,?)", -1, &st,
				     NULL) == SQLITE_OK)) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, start);
		ok = sqlite3_step(st) == SQLITE_DONE;
		sqlite3_finalize(st);
	}
	if (ok && ewsd_commit(rq->db) == 0)
		return 0;
	ewsd_rollback(rq->db);
	return -1;
}

/* SubscribeToAllFolders came with Exchange 2010: an older set's pull subscription names its folders */
#ifdef EWS_HAS_ewstype__PullSubscriptionRequestType_SubscribeToAllFolders
#define PULL_ALL_FOLDERS(p) ((p)->SubscribeToAllFolders)
#else
#define PULL_ALL_FOLDERS(p) ((enum xsd__boolean *)NULL)
#endif

int __ewsmsg__Subscribe(struct soap *soap, struct ewsmsg__SubscribeType *req, struct __ewsmsg__SubscribeResponse *resp)
{
	int rc = ewsd_begin_op(soap, "Subscribe", req);
	if (rc)
		return rc;
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewstype__PullSubscriptionRequestType *pull =
		req->__union_SubscribeType == SOAP_UNION__ewsmsg__union_SubscribeType_PullSubscriptionRequest
			? req->union_SubscribeType.PullSubscriptionRequest : NULL;
#ifdef SOAP_TYPE_ewstype__StreamingSubscriptionRequestType     /* streaming came with Exchange 2010 SP1 */
	struct ewstype__StreamingSubscriptionRequestType *stream =
		req->__union_SubscribeType == SOAP_UNION__ewsmsg__union_SubscribeType_StreamingSubscriptionRequest
			? req->union_SubscribeType.StreamingSubscriptionRequest : NULL;
#else
	void *stream = NULL;
#endif
	if (!pull && !stream)
		return ewsd_choice_missing_fault(soap, "Subscribe");
	if (pull && (pull->Timeout < 1 || pull->Timeout > 1440))
		return ewsd_schema_fault(soap, "The 'Timeout' element is invalid - the value must be between 1 and 1440.");
	resp->ewsmsg__SubscribeResponse = EWSD_NEW(soap, struct ewsmsg__SubscribeResponseType);
	struct ewsmsg__SubscribeResponseMessageType *m =
		response_slot(soap, &resp->ewsmsg__SubscribeResponse->ResponseMessages,
			      SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_SubscribeResponseMessage, sizeof *m);

	int all = 0, mask = 0;
	char *folders = NULL;
#ifdef SOAP_TYPE_ewstype__StreamingSubscriptionRequestType
	const char *err = pull ? parse_scope(soap, pull->FolderIds, PULL_ALL_FOLDERS(pull), pull->EventTypes, &all,
					     &folders, &mask)
			       : parse_scope(soap, stream->FolderIds, stream->SubscribeToAllFolders, stream->EventTypes,
					     &all, &folders, &mask);
#else
	const char *err = parse_scope(soap, pull->FolderIds, PULL_ALL_FOLDERS(pull), pull->EventTypes, &all, &folders,
				      &mask);
#endif
	int64_t start = 0;
	if (!err && pull && pull->Watermark)
		err = check_watermark(soap, pull->Watermark, &start);
	else if (!err)
		start = ewsd_notify_last_seq(rq->db);
	if (err) {
		EWSD_SET_RESULT(soap, m, SubscribeResponseMessageType, err);
		return SOAP_OK;
	}
	unsigned char r[16];
	char id[40];
	if (RAND_bytes(r, sizeof r) != 1) {
		EWSD_SET_RESULT(soap, m, SubscribeResponseMessageType, "ErrorInternalServerError");
		return SOAP_OK;
	}
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40), r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);   /* a v4 UUID */
	snprintf(id, sizeof id, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2],
		 r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15]);
	int ok = store_sub(soap, id, all, folders, mask, pull ? pull->Timeout : 30, stream != NULL, start) == 0;
	EWSD_SET_RESULT(soap, m, SubscribeResponseMessageType, ok ? "NoError" : "ErrorInternalServerError");
	if (ok) {
		m->SubscriptionId = soap_strdup(soap, id);
		if (pull)   /* a streaming subscription has no watermark (as Exchange answers) */
			m->Watermark = wm_make(soap, rq->mailbox_id, start);
	}
	return SOAP_OK;
}

/* ---- the subscription of a GetEvents / Unsubscribe ---- */

const char *ewsd_notify_find(struct soap *soap, const char *id, struct ewsd_sub *out)
{
	struct ewsd_request *rq = ewsd_req(soap);
	sqlite3_stmt *st;
	const char *err = "ErrorSubscriptionNotFound";
	int expired = 0;
	memset(out, 0, sizeof *out);
	if (!id || sqlite3_prepare_v2(rq->db, "SELECT s.mailbox_id,s.owner,s.all_folders,s.folders,s.mask,"
					      "((julianday('now')-2440587.5)*86400.0)-s.last_poll>s.timeout_min*60.0,"
					      "t.cursor IS NOT NULL,COALESCE(t.cursor,0) FROM subscriptions s "
					      "LEFT JOIN streaming_subscriptions t ON t.id=s.id WHERE s.id=?",
				      -1, &st, NULL) != SQLITE_OK)
		return err;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW) {
		expired = sqlite3_column_int(st, 5);
		out->mailbox_id = sqlite3_column_int64(st, 0);
		out->all = sqlite3_column_int(st, 2);
		out->folders = soap_strdup(soap, (const char *)sqlite3_column_text(st, 3));
		out->mask = sqlite3_column_int(st, 4);
		out->streaming = sqlite3_column_int(st, 6);
		out->cursor = sqlite3_column_int64(st, 7);
		if (expired)
			err = "ErrorSubscriptionNotFound";
		else if (strcasecmp((const char *)sqlite3_column_text(st, 1), rq->user) ||
			 out->mailbox_id != rq->mailbox_id)
			err = "ErrorSubscriptionAccessDenied";
		else
			err = NULL;
	}
	sqlite3_finalize(st);
	if (expired)
		ewsd_notify_remove(rq->db, id);
	return err;
}

static int in_set(const char *folders, int64_t id)
{
	char k[32];
	snprintf(k, sizeof k, ",%lld,", (long long)id);
	return id > 0 && folders && strstr(folders, k) != NULL;
}

int ewsd_notify_selects(const struct ewsd_sub *s, const struct ewsd_ev *e)
{
	if (!(s->mask & (1 << e->type)))
		return 0;
	return s->all || in_set(s->folders, e->parent) || in_set(s->folders, e->old_parent) ||
	       (e->is_folder && in_set(s->folders, e->obj));
}

/* ---- GetEvents ---- */

static struct ewstype__FolderIdType *folder_ref(struct soap *soap, int64_t mailbox_id, int64_t id)
{
	struct ewsd_folder f;
	if (ewsd_folder_get(soap, ewsd_req(soap)->db, id, &f) == 0)
		return ewsd_folder_id(soap, &f);
	struct ewsd_folder gone = { .id = id, .mailbox_id = mailbox_id };   /* deleted since: the id, no ChangeKey */
	struct ewstype__FolderIdType *fid = ewsd_folder_id(soap, &gone);
	fid->ChangeKey = NULL;
	return fid;
}

static struct ewstype__ItemIdType *item_ref(struct soap *soap, int64_t mailbox_id, int64_t id, int64_t folder)
{
	struct ewsd_item it;
	if (ewsd_item_get(soap, ewsd_req(soap)->db, id, &it) == 0 && it.folder_id == folder)
		return ewsd_item_id(soap, &it);
	struct ewsd_item gone = { .id = id, .mailbox_id = mailbox_id, .folder_id = folder };
	struct ewstype__ItemIdType *iid = ewsd_item_id(soap, &gone);
	iid->ChangeKey = NULL;
	return iid;
}

void ewsd_notify_put_event(struct soap *soap, int64_t mailbox_id, const struct ewsd_ev *e, int with_watermark,
			   struct __ewstype__union_NotificationType *u)
{
	char *wm = with_watermark ? wm_make(soap, mailbox_id, e->seq) : NULL;
	char *ts = soap_strdup(soap, e->ts);
	struct ewstype__FolderIdType *parent = folder_ref(soap, mailbox_id, e->parent);
	struct ewstype__FolderIdType *fid = e->is_folder ? folder_ref(soap, mailbox_id, e->obj) : NULL;
	struct ewstype__ItemIdType *iid = e->is_folder ? NULL : item_ref(soap, mailbox_id, e->obj, e->parent);
	if (e->type == EWSD_EV_MOVED || e->type == EWSD_EV_COPIED) {
		struct ewstype__MovedCopiedEventType *x = EWSD_NEW(soap, struct ewstype__MovedCopiedEventType);
		x->Watermark = wm, x->TimeStamp = ts, x->ParentFolderId = parent;
		if (e->is_folder) {
			x->__union_MovedCopiedEventType = SOAP_UNION__ewstype__union_MovedCopiedEventType_FolderId;
			x->union_MovedCopiedEventType.FolderId = fid;
			x->__union_MovedCopiedEventType_ = SOAP_UNION__ewstype__union_MovedCopiedEventType__OldFolderId;
			x->union_MovedCopiedEventType_.OldFolderId = folder_ref(soap, mailbox_id, e->old_obj);
		} else {
			x->__union_MovedCopiedEventType = SOAP_UNION__ewstype__union_MovedCopiedEventType_ItemId;
			x->union_MovedCopiedEventType.ItemId = iid;
			x->__union_MovedCopiedEventType_ = SOAP_UNION__ewstype__union_MovedCopiedEventType__OldItemId;
			x->union_MovedCopiedEventType_.OldItemId = item_ref(soap, mailbox_id, e->old_obj, e->old_parent);
		}
		x->OldParentFolderId = folder_ref(soap, mailbox_id, e->old_parent);
		u->__union_NotificationType = e->type == EWSD_EV_MOVED ? SOAP_UNION__ewstype__union_NotificationType_MovedEvent
								       : SOAP_UNION__ewstype__union_NotificationType_CopiedEvent;
		u->union_NotificationType.MovedEvent = x;
		return;
	}
	if (e->type == EWSD_EV_MODIFIED) {
		struct ewstype__ModifiedEventType *x = EWSD_NEW(soap, struct ewstype__ModifiedEventType);
		x->Watermark = wm, x->TimeStamp = ts, x->ParentFolderId = parent;
		if (e->is_folder) {
			struct ewsd_folder f;
			x->__union_ModifiedEventType = SOAP_UNION__ewstype__union_ModifiedEventType_FolderId;
			x->union_ModifiedEventType.FolderId = fid;
			if (ewsd_folder_get(soap, ewsd_req(soap)->db, e->obj, &f) == 0 &&
			    ewsd_folder_counts(ewsd_req(soap)->db, &f) == 0) {   /* as Exchange: the count now */
				x->UnreadCount = soap_malloc(soap, sizeof *x->UnreadCount);
				*x->UnreadCount = f.unread;
			}
		} else {
			x->__union_ModifiedEventType = SOAP_UNION__ewstype__union_ModifiedEventType_ItemId;
			x->union_ModifiedEventType.ItemId = iid;
		}
		u->__union_NotificationType = SOAP_UNION__ewstype__union_NotificationType_ModifiedEvent;
		u->union_NotificationType.ModifiedEvent = x;
		return;
	}
	struct ewstype__BaseObjectChangedEventType *x = EWSD_NEW(soap, struct ewstype__BaseObjectChangedEventType);
	x->Watermark = wm, x->TimeStamp = ts, x->ParentFolderId = parent;
	if (e->is_folder) {
		x->__union_BaseObjectChangedEventType = SOAP_UNION__ewstype__union_BaseObjectChangedEventType_FolderId;
		x->union_BaseObjectChangedEventType.FolderId = fid;
	} else {
		x->__union_BaseObjectChangedEventType = SOAP_UNION__ewstype__union_BaseObjectChangedEventType_ItemId;
		x->union_BaseObjectChangedEventType.ItemId = iid;
	}
	u->__union_NotificationType = e->type == EWSD_EV_CREATED   ? SOAP_UNION__ewstype__union_NotificationType_CreatedEvent
				      : e->type == EWSD_EV_DELETED ? SOAP_UNION__ewstype__union_NotificationType_DeletedEvent
#ifdef EWS_HAS_ewstype__NotificationType_FreeBusyChangedEvent
				      : e->type == EWSD_EV_NEWMAIL ? SOAP_UNION__ewstype__union_NotificationType_NewMailEvent
								   : SOAP_UNION__ewstype__union_NotificationType_FreeBusyChangedEvent;
#else
	/* FreeBusyChangedEvent came with Exchange 2010: an older set's EventTypes cannot ask for it (ewsd_notify_selects
	 * never passes one), so what is left is NewMail */
								   : SOAP_UNION__ewstype__union_NotificationType_NewMailEvent;
#endif
	u->union_NotificationType.CreatedEvent = x;
}

/* NotificationType's MoreEvents: optional (a pointer) since Exchange 2010, a required value in Exchange 2007 SP1. */
static void more_events_optional(struct soap *soap, enum xsd__boolean **slot, int more)
{
	*slot = soap_malloc(soap, sizeof **slot);
	**slot = more ? xsd__boolean__true_ : xsd__boolean__false_;
}
static void more_events_required(struct soap *soap, enum xsd__boolean *slot, int more)
{
	*slot = more ? xsd__boolean__true_ : xsd__boolean__false_;
}
#define SET_MORE_EVENTS(soap, n, more) \
	_Generic(&(n)->MoreEvents, enum xsd__boolean **: more_events_optional, default: more_events_required)( \
		(soap), &(n)->MoreEvents, (more))

int __ewsmsg__GetEvents(struct soap *soap, struct ewsmsg__GetEventsType *req, struct __ewsmsg__GetEventsResponse *resp)
{
	int rc = ewsd_begin_op(soap, "GetEvents", req);
	if (rc)
		return rc;
	struct ewsd_request *rq = ewsd_req(soap);
	resp->ewsmsg__GetEventsResponse = EWSD_NEW(soap, struct ewsmsg__GetEventsResponseType);
	struct ewsmsg__GetEventsResponseMessageType *m =
		response_slot(soap, &resp->ewsmsg__GetEventsResponse->ResponseMessages,
			      SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_GetEventsResponseMessage, sizeof *m);
	struct ewsd_sub s;
	int64_t since = 0;
	const char *err = ewsd_notify_find(soap, req->SubscriptionId, &s);
	if (!err && s.streaming)
		err = "ErrorInvalidPullSubscriptionId";   /* a streaming subscription's events come by GetStreamingEvents */
	if (!err)
		err = check_watermark(soap, req->Watermark, &since);
	if (err) {
		EWSD_SET_RESULT(soap, m, GetEventsResponseMessageType, err);
		return SOAP_OK;
	}
	/* polled: the Timeout starts again */
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(rq->db, "UPDATE subscriptions SET last_poll=((julianday('now')-2440587.5)*86400.0) WHERE id=?", -1, &st,
			       NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, req->SubscriptionId, -1, SQLITE_TRANSIENT);
		sqlite3_step(st);
		sqlite3_finalize(st);
	}
	struct ewstype__NotificationType *n = EWSD_NEW(soap, struct ewstype__NotificationType);
	n->SubscriptionId = soap_strdup(soap, req->SubscriptionId);
	n->PreviousWatermark = soap_strdup(soap, req->Watermark);
	n->__union_NotificationType = ewsd_zalloc(soap, sizeof *n->__union_NotificationType * EWSD_EVENTS_PAGE);
	int64_t scanned_to = since;
	int more = 0, rows = 0;
	sqlite3_exec(rq->db, "BEGIN", NULL, NULL, NULL);   /* the events and the rows they name, from one snapshot */
	if (sqlite3_prepare_v2(rq->db, "SELECT seq,type,is_folder,obj_id,parent_id,old_obj_id,old_parent_id,ts FROM "
				       "events WHERE mailbox_id=? AND seq>? ORDER BY seq LIMIT ?", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, rq->mailbox_id);
		sqlite3_bind_int64(st, 2, since);
		sqlite3_bind_int(st, 3, EWSD_EVENTS_SCAN + 1);
		while (sqlite3_step(st) == SQLITE_ROW) {
			struct ewsd_ev e = { sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 4),
					sqlite3_column_int64(st, 5), sqlite3_column_int64(st, 6), sqlite3_column_int(st, 1),
					sqlite3_column_int(st, 2), (const char *)sqlite3_column_text(st, 7) };
			if (++rows > EWSD_EVENTS_SCAN || n->__size_NotificationType == EWSD_EVENTS_PAGE) {
				more = 1;
				break;
			}
			scanned_to = e.seq;
			if (!ewsd_notify_selects(&s, &e))
				continue;
			ewsd_notify_put_event(soap, rq->mailbox_id, &e, 1,
					      &n->__union_NotificationType[n->__size_NotificationType++]);
		}
		sqlite3_finalize(st);
	}
	sqlite3_exec(rq->db, "COMMIT", NULL, NULL, NULL);
	if (n->__size_NotificationType == 0) {
		/* nothing new: one StatusEvent whose watermark is past what was looked at (filtered-out events too) */
		struct ewstype__BaseNotificationEventType *x = EWSD_NEW(soap, struct ewstype__BaseNotificationEventType);
		x->Watermark = wm_make(soap, rq->mailbox_id, scanned_to);
		n->__union_NotificationType[0].__union_NotificationType = SOAP_UNION__ewstype__union_NotificationType_StatusEvent;
		n->__union_NotificationType[0].union_NotificationType.StatusEvent = x;
		n->__size_NotificationType = 1;
	}
	SET_MORE_EVENTS(soap, n, more);
	EWSD_SET_RESULT(soap, m, GetEventsResponseMessageType, "NoError");
	m->Notification = n;
	return SOAP_OK;
}

/* ---- Unsubscribe ---- */

int __ewsmsg__Unsubscribe(struct soap *soap, struct ewsmsg__UnsubscribeType *req,
			  struct __ewsmsg__UnsubscribeResponse *resp)
{
	int rc = ewsd_begin_op(soap, "Unsubscribe", req);
	if (rc)
		return rc;
	resp->ewsmsg__UnsubscribeResponse = EWSD_NEW(soap, struct ewsmsg__UnsubscribeResponseType);
	struct ewsmsg__ResponseMessageType *m =
		response_slot(soap, &resp->ewsmsg__UnsubscribeResponse->ResponseMessages,
			      SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_UnsubscribeResponseMessage, sizeof *m);
	struct ewsd_sub s;
	const char *err = ewsd_notify_find(soap, req->SubscriptionId, &s);
	if (!err)
		ewsd_notify_remove(ewsd_req(soap)->db, req->SubscriptionId);
	EWSD_SET_RESULT(soap, m, ResponseMessageType, err ? err : "NoError");
	return SOAP_OK;
}
