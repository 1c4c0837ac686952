/* op_sync.c — SyncFolderItems and SyncFolderHierarchy over the store's change log, with signed opaque SyncStates.
 *
 * A SyncState is base64(version, kind, mailbox, folder, change seq, HMAC-SHA256/128 with the store's secret):
 * a state of another folder, mailbox, store, or a modified one fails the HMAC and gets ErrorInvalidSyncStateData,
 * answered exactly like the SyncFolderItems reference page's error example.
 *
 * One call covers the change-log window (S, T]: records are read in seq order until MaxChangesReturned distinct
 * items are covered; each item's net effect over the window decides Create / Update / ReadFlagChange / Delete.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "ewsd.h"


static void put_be(unsigned char *p, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)(v & 0xff);
}

static uint64_t get_be(const unsigned char *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* body: version(1) kind(1) mailbox(4) folder(4) seq(8) [pass start(8) pass head(8)], then 16 bytes of HMAC.
 * Version 1 (18-byte body) has no pass fields; version 2 (34-byte body) carries where the current pass of
 * SyncFolderItems calls began and the change-log head at that moment (see skip_delivered below). */
#define STATE_V1_BODY 18
#define STATE_V2_BODY 34

static int sign(sqlite3 *db, const unsigned char *body, size_t len, unsigned char mac[16])
{
	unsigned char key[32], full[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	if (ewsd_store_secret(db, key) || !HMAC(EVP_sha256(), key, 32, body, len, full, &n))
		return -1;
	memcpy(mac, full, 16);
	return 0;
}

static char *syncstate_make(struct soap *soap, int hierarchy, int64_t mailbox_id, int64_t folder_id,
			    const struct ewsd_sync_pos *pos)
{
	unsigned char b[STATE_V2_BODY + 16];
	size_t body = hierarchy ? STATE_V1_BODY : STATE_V2_BODY;
	b[0] = hierarchy ? 1 : 2;
	b[1] = (unsigned char)hierarchy;
	put_be(b + 2, (uint64_t)mailbox_id, 4);
	put_be(b + 6, (uint64_t)folder_id, 4);
	put_be(b + 10, (uint64_t)pos->seq, 8);
	if (!hierarchy) {
		put_be(b + 18, (uint64_t)pos->pass_start, 8);
		put_be(b + 26, (uint64_t)pos->pass_head, 8);
	}
	if (sign(ewsd_req(soap)->db, b, body, b + body))
		return NULL;
	return ewsd_b64(soap, b, body + 16);
}

char *ewsd_syncstate_make(struct soap *soap, int hierarchy, int64_t mailbox_id, int64_t folder_id, int64_t seq)
{
	struct ewsd_sync_pos pos = { seq, seq, seq };
	return syncstate_make(soap, hierarchy, mailbox_id, folder_id, &pos);
}

static int syncstate_parse(struct soap *soap, const char *s, int hierarchy, int64_t mailbox_id, int64_t folder_id,
			   struct ewsd_sync_pos *pos)
{
	size_t n, body;
	unsigned char *b, mac[16];
	if (!s || strlen(s) > 200 || !(b = ewsd_unb64(soap, s, &n)) || n < STATE_V1_BODY + 16 || b[1] != hierarchy)
		return -1;
	body = n - 16;
	if (!((b[0] == 1 && body == STATE_V1_BODY) || (b[0] == 2 && body == STATE_V2_BODY && !hierarchy)))
		return -1;
	if (sign(ewsd_req(soap)->db, b, body, mac) || CRYPTO_memcmp(mac, b + body, 16))
		return -1;
	if ((int64_t)get_be(b + 2, 4) != mailbox_id || (int64_t)get_be(b + 6, 4) != folder_id)
		return -1;
	pos->seq = pos->pass_start = pos->pass_head = (int64_t)get_be(b + 10, 8);
	if (b[0] == 2) {
		pos->pass_start = (int64_t)get_be(b + 18, 8);
		pos->pass_head = (int64_t)get_be(b + 26, 8);
		if (pos->pass_start > pos->seq || pos->pass_head < pos->pass_start)
			return -1;
	}
	return 0;
}

int ewsd_syncstate_parse(struct soap *soap, const char *s, int hierarchy, int64_t mailbox_id, int64_t folder_id,
			 int64_t *seq)
{
	struct ewsd_sync_pos pos;
	if (syncstate_parse(soap, s, hierarchy, mailbox_id, folder_id, &pos))
		return -1;
	*seq = pos.seq;
	return 0;
}

static enum xsd__boolean *boolp(struct soap *soap, int v)
{
	enum xsd__boolean *b = soap_malloc(soap, sizeof *b);
	*b = v ? xsd__boolean__true_ : xsd__boolean__false_;
	return b;
}

/* Net effect of one object's records inside the window. */
struct net {
	int64_t obj;
	int64_t creation;           /* seq the object was created with (in this folder) */
	int last_op;
	int only_readflag;
	int64_t parent;             /* hierarchy: parent folder of the record */
};

static int find_net(struct net *v, int n, int64_t obj)
{
	for (int i = n - 1; i >= 0; i--)
		if (v[i].obj == obj)
			return i;
	return -1;
}

/* One SyncFolderItems pass is the chain of calls from a complete state to the next IncludesLastItemInRange.
 * Each call reports the objects of a change-log window (seq, T] with their CURRENT properties, so an object
 * reported earlier in the pass already carried every change made before the pass began (pass_head). Its
 * records up to pass_head in later windows are therefore skipped: without this, small MaxChangesReturned
 * values reported an item created and then updated before the sync as a Create and again as an Update. */
static int delivered_earlier(sqlite3_stmt *q, int64_t folder, int64_t obj, const struct ewsd_sync_pos *pos,
			     int64_t seq)
{
	int hit;
	if (pos->seq <= pos->pass_start || seq > pos->pass_head)
		return 0;
	sqlite3_reset(q);
	sqlite3_bind_int64(q, 1, folder);
	sqlite3_bind_int64(q, 2, obj);
	sqlite3_bind_int64(q, 3, pos->pass_start);
	sqlite3_bind_int64(q, 4, pos->seq);
	hit = sqlite3_step(q) == SQLITE_ROW;
	return hit;
}

/* Read the window: returns the number of objects, sets *window_end and *more. */
static int read_window(sqlite3 *db, sqlite3_stmt *st, int64_t folder, const struct ewsd_sync_pos *pos, int max,
		       struct net *v, int64_t *window_end, int *more)
{
	int n = 0;
	sqlite3_stmt *q = NULL;
	*more = 0;
	if (pos->seq > pos->pass_start &&
	    sqlite3_prepare_v2(db, "SELECT 1 FROM changes WHERE folder_id=? AND is_folder=0 AND obj_id=? AND seq>? "
				   "AND seq<=? LIMIT 1", -1, &q, NULL) != SQLITE_OK)
		q = NULL;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t seq = sqlite3_column_int64(st, 0), obj = sqlite3_column_int64(st, 1);
		int op = sqlite3_column_int(st, 2);
		int64_t created = sqlite3_column_int64(st, 3);
		int i = find_net(v, n, obj);
		if (i < 0 && q && delivered_earlier(q, folder, obj, pos, seq)) {
			*window_end = seq;   /* consumed: the earlier report already showed this change */
			continue;
		}
		if (i < 0) {
			if (n == max) {
				*more = 1;
				break;
			}
			i = n++;
			v[i].obj = obj;
			v[i].creation = op == EWSD_OP_CREATE ? seq : created;
			v[i].only_readflag = 1;
			v[i].parent = sqlite3_column_int64(st, 4);
		}
		if (op == EWSD_OP_CREATE)
			v[i].creation = seq;
		v[i].last_op = op;
		if (op != EWSD_OP_READFLAG)
			v[i].only_readflag = 0;
		*window_end = seq;
	}
	sqlite3_finalize(q);
	return n;
}

static void invalid_state(struct soap *soap, struct ewsmsg__SyncFolderItemsResponseMessageType *m)
{
	EWSD_SET_RESULT(soap, m, SyncFolderItemsResponseMessageType, "ErrorInvalidSyncStateData");
	m->SyncState = soap_strdup(soap, "");
	m->IncludesLastItemInRange = boolp(soap, 1);
}

static int ignored(struct soap *soap, struct ewstype__ArrayOfBaseItemIdsType *ign, int64_t item)
{
	for (int i = 0; ign && i < ign->__size_ArrayOfBaseItemIdsType; i++) {
		struct ewstype__ItemIdType *id = ign->__union_ArrayOfBaseItemIdsType[i].union_ArrayOfBaseItemIdsType.ItemId;
		struct ewsd_id v;
		if (id && !ewsd_id_parse(soap, id->Id, &v) && v.kind == EWSD_ID_ITEM && v.item == item)
			return 1;
	}
	return 0;
}

int __ewsmsg__SyncFolderItems(struct soap *soap, struct ewsmsg__SyncFolderItemsType *req,
			      struct __ewsmsg__SyncFolderItemsResponse *resp)
{
	int rc = ewsd_begin_op(soap, "SyncFolderItems", req);
	if (rc)
		return rc;
	struct ewsd_request *rq = ewsd_req(soap);
	if (req->MaxChangesReturned < 1 || req->MaxChangesReturned > 512)
		return ewsd_schema_fault(soap, "The 'MaxChangesReturned' element is invalid - the value must be between 1 and 512.");
	resp->ewsmsg__SyncFolderItemsResponse = EWSD_NEW(soap, struct ewsmsg__SyncFolderItemsResponseType);
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, 1);
	resp->ewsmsg__SyncFolderItemsResponse->ResponseMessages = msgs;
	struct ewsmsg__SyncFolderItemsResponseMessageType *m =
		EWSD_NEW(soap, struct ewsmsg__SyncFolderItemsResponseMessageType);
	msgs->__union_ArrayOfResponseMessagesType[0].__union_ArrayOfResponseMessagesType =
		SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_SyncFolderItemsResponseMessage;
	msgs->__union_ArrayOfResponseMessagesType[0].union_ArrayOfResponseMessagesType.SyncFolderItemsResponseMessage = m;

	struct ewsd_folder f;
	const char *err = ewsd_resolve_target(soap, req->SyncFolderId, &f);
	if (err) {
		EWSD_SET_RESULT(soap, m, SyncFolderItemsResponseMessageType, err);
		return SOAP_OK;
	}
	if (rq->fault_busy_msg) {
		char ms[32];
		snprintf(ms, sizeof ms, "%d", ewsd_fault_get(&ewsd_faults.backoff_ms));
		EWSD_SET_RESULT(soap, m, SyncFolderItemsResponseMessageType, "ErrorServerBusy");
		EWSD_SET_VALUE(soap, m, SyncFolderItemsResponseMessageType, "BackOffMilliseconds", ms);
		return SOAP_OK;
	}
	struct ewsd_sync_pos pos = { 0, 0, 0 };
	if (req->SyncState && *req->SyncState &&
	    syncstate_parse(soap, req->SyncState, 0, rq->mailbox_id, f.id, &pos)) {
		invalid_state(soap, m);
		return SOAP_OK;
	}
	int64_t since = pos.seq;
	int max = req->MaxChangesReturned;
#ifdef EWS_HAS_ewsmsg__SyncFolderItemsType_SyncScope     /* Exchange 2010 */
	int assoc = req->SyncScope && soap_ewstype__SyncFolderItemsScopeType2s(soap, *req->SyncScope) &&
		    !strcmp(soap_ewstype__SyncFolderItemsScopeType2s(soap, *req->SyncScope), "NormalAndAssociatedItems");
#else
	int assoc = 0;
#endif
	struct net *v = soap_malloc(soap, sizeof *v * (size_t)max);
	sqlite3_stmt *st;
	int64_t end = since;
	int more = 0, n;
	/* a read snapshot: the window and the rows it refers to must agree */
	sqlite3_exec(rq->db, "BEGIN", NULL, NULL, NULL);
	if (sqlite3_prepare_v2(rq->db, "SELECT seq,obj_id,op,created_seq,folder_id FROM changes WHERE folder_id=? AND "
				       "is_folder=0 AND seq>? ORDER BY seq", -1, &st, NULL) != SQLITE_OK) {
		sqlite3_exec(rq->db, "ROLLBACK", NULL, NULL, NULL);
		EWSD_SET_RESULT(soap, m, SyncFolderItemsResponseMessageType, "ErrorInternalServerError");
		return SOAP_OK;
	}
	sqlite3_bind_int64(st, 1, f.id);
	sqlite3_bind_int64(st, 2, since);
	if (pos.seq == pos.pass_start) {   /* a new pass begins: remember how far the change log reaches now */
		sqlite3_stmt *h;
		if (sqlite3_prepare_v2(rq->db, "SELECT COALESCE(MAX(seq),0) FROM changes", -1, &h, NULL) == SQLITE_OK &&
		    sqlite3_step(h) == SQLITE_ROW)
			pos.pass_head = sqlite3_column_int64(h, 0);
		sqlite3_finalize(h);
	}
	n = read_window(rq->db, st, f.id, &pos, max, v, &end, &more);
	sqlite3_finalize(st);

	unsigned props = ewsd_item_props(soap, req->ItemShape, 0);
	static const int sels[6] = { SOAP_UNION__ewstype__union_SyncFolderItemsCreateOrUpdateType_Message,
				     SOAP_UNION__ewstype__union_SyncFolderItemsCreateOrUpdateType_CalendarItem,
				     SOAP_UNION__ewstype__union_SyncFolderItemsCreateOrUpdateType_MeetingRequest,
				     SOAP_UNION__ewstype__union_SyncFolderItemsCreateOrUpdateType_Contact,
				     SOAP_UNION__ewstype__union_SyncFolderItemsCreateOrUpdateType_Task,
				     SOAP_UNION__ewstype__union_SyncFolderItemsCreateOrUpdateType_DistributionList };
	struct ewstype__SyncFolderItemsChangesType *changes = EWSD_NEW(soap, struct ewstype__SyncFolderItemsChangesType);
	changes->__union_SyncFolderItemsChangesType =
		ewsd_zalloc(soap, sizeof *changes->__union_SyncFolderItemsChangesType * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++) {
		int existed = v[i].creation <= since, exists = v[i].last_op != EWSD_OP_DELETE;
		struct ewsd_item it;
		struct __ewstype__union_SyncFolderItemsChangesType *c =
			&changes->__union_SyncFolderItemsChangesType[changes->__size_SyncFolderItemsChangesType];
		if ((!existed && !exists) || ignored(soap, req->Ignore, v[i].obj))
			continue;
		if (existed && !exists) {
			struct ewsd_item gone = { .id = v[i].obj, .mailbox_id = rq->mailbox_id, .folder_id = f.id };
			struct ewstype__ItemIdType *id = ewsd_item_id(soap, &gone);
			id->ChangeKey = NULL;
			c->__union_SyncFolderItemsChangesType = SOAP_UNION__ewstype__union_SyncFolderItemsChangesType_Delete;
			c->union_SyncFolderItemsChangesType.Delete = EWSD_NEW(soap, struct ewstype__SyncFolderItemsDeleteType);
			c->union_SyncFolderItemsChangesType.Delete->ItemId = id;
			changes->__size_SyncFolderItemsChangesType++;
			continue;
		}
		if (ewsd_item_get(soap, rq->db, v[i].obj, &it) || it.folder_id != f.id)
			continue;   /* gone after the window: its Delete comes with the next call */
		if (it.is_associated && !assoc)
			continue;
		if (existed && v[i].only_readflag) {
			c->__union_SyncFolderItemsChangesType = SOAP_UNION__ewstype__union_SyncFolderItemsChangesType_ReadFlagChange;
			c->union_SyncFolderItemsChangesType.ReadFlagChange = EWSD_NEW(soap, struct ewstype__SyncFolderItemsReadFlagType);
			c->union_SyncFolderItemsChangesType.ReadFlagChange->ItemId = ewsd_item_id(soap, &it);
			c->union_SyncFolderItemsChangesType.ReadFlagChange->IsRead = it.is_read ? xsd__boolean__true_
												 : xsd__boolean__false_;
		} else {
			struct ewstype__SyncFolderItemsCreateOrUpdateType *cu =
				EWSD_NEW(soap, struct ewstype__SyncFolderItemsCreateOrUpdateType);
			ewsd_put_item(soap, &it, props, &cu->__union_SyncFolderItemsCreateOrUpdateType,
				      (void **)&cu->union_SyncFolderItemsCreateOrUpdateType.Message, sels);
			c->__union_SyncFolderItemsChangesType = existed ? SOAP_UNION__ewstype__union_SyncFolderItemsChangesType_Update
									: SOAP_UNION__ewstype__union_SyncFolderItemsChangesType_Create;
			c->union_SyncFolderItemsChangesType.Create = cu;
		}
		changes->__size_SyncFolderItemsChangesType++;
	}
	sqlite3_exec(rq->db, "COMMIT", NULL, NULL, NULL);
	EWSD_SET_RESULT(soap, m, SyncFolderItemsResponseMessageType, "NoError");
	/* mid-pass: keep the pass start and head; at the end of the pass the next call starts a new one */
	struct ewsd_sync_pos next = { end, more ? pos.pass_start : end, more ? pos.pass_head : end };
	m->SyncState = syncstate_make(soap, 0, rq->mailbox_id, f.id, &next);
	m->IncludesLastItemInRange = boolp(soap, !more);
	m->Changes = changes;
	return SOAP_OK;
}

/* ---- SyncFolderHierarchy ---- */

int __ewsmsg__SyncFolderHierarchy(struct soap *soap, struct ewsmsg__SyncFolderHierarchyType *req,
				  struct __ewsmsg__SyncFolderHierarchyResponse *resp)
{
	int rc = ewsd_begin_op(soap, "SyncFolderHierarchy", req);
	if (rc)
		return rc;
	struct ewsd_request *rq = ewsd_req(soap);
	resp->ewsmsg__SyncFolderHierarchyResponse = EWSD_NEW(soap, struct ewsmsg__SyncFolderHierarchyResponseType);
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, 1);
	resp->ewsmsg__SyncFolderHierarchyResponse->ResponseMessages = msgs;
	struct ewsmsg__SyncFolderHierarchyResponseMessageType *m =
		EWSD_NEW(soap, struct ewsmsg__SyncFolderHierarchyResponseMessageType);
	msgs->__union_ArrayOfResponseMessagesType[0].__union_ArrayOfResponseMessagesType =
		SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_SyncFolderHierarchyResponseMessage;
	msgs->__union_ArrayOfResponseMessagesType[0].union_ArrayOfResponseMessagesType.SyncFolderHierarchyResponseMessage = m;

	struct ewsd_folder top;
	const char *err = req->SyncFolderId ? ewsd_resolve_target(soap, req->SyncFolderId, &top)
					    : (ewsd_folder_distinguished(soap, rq->db, rq->mailbox_id, "msgfolderroot", &top)
						       ? "ErrorFolderNotFound" : NULL);
	if (err) {
		EWSD_SET_RESULT(soap, m, SyncFolderHierarchyResponseMessageType, err);
		return SOAP_OK;
	}
	int64_t since = 0;
	if (req->SyncState && *req->SyncState &&
	    ewsd_syncstate_parse(soap, req->SyncState, 1, rq->mailbox_id, top.id, &since)) {
		EWSD_SET_RESULT(soap, m, SyncFolderHierarchyResponseMessageType, "ErrorInvalidSyncStateData");
		m->SyncState = soap_strdup(soap, "");
		m->IncludesLastFolderInRange = boolp(soap, 1);
		return SOAP_OK;
	}
	int64_t *sub = NULL;
	int nsub = ewsd_folder_children(rq->db, top.id, 1, &sub);
	if (nsub < 0)
		nsub = 0;
	sqlite3_exec(rq->db, "BEGIN", NULL, NULL, NULL);
	sqlite3_stmt *st;
	int cap = 64, n = 0, more = 0;
	int64_t end = since;
	struct net *v = NULL;
	if (sqlite3_prepare_v2(rq->db, "SELECT seq,obj_id,op,created_seq,folder_id FROM changes WHERE mailbox_id=? AND "
				       "is_folder=1 AND seq>? ORDER BY seq", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, rq->mailbox_id);
		sqlite3_bind_int64(st, 2, since);
		for (;;) {
			v = soap_malloc(soap, sizeof *v * (size_t)cap);
			struct ewsd_sync_pos whole = { since, since, since };   /* hierarchy syncs are never split */
			n = read_window(rq->db, st, top.id, &whole, cap, v, &end, &more);
			if (!more)
				break;
			/* no MaxChanges for hierarchy: re-read with room for everything */
			sqlite3_reset(st);
			cap *= 4;
			end = since;
		}
		sqlite3_finalize(st);
	}
	struct ewstype__SyncFolderHierarchyChangesType *changes =
		EWSD_NEW(soap, struct ewstype__SyncFolderHierarchyChangesType);
	changes->__union_SyncFolderHierarchyChangesType =
		ewsd_zalloc(soap, sizeof *changes->__union_SyncFolderHierarchyChangesType * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++) {
		int in_tree = 0;
		for (int k = 0; k < nsub && !in_tree; k++)
			in_tree = sub[k] == v[i].obj || sub[k] == v[i].parent || v[i].parent == top.id;
		if (!in_tree || v[i].obj == top.id)
			continue;
		int existed = v[i].creation <= since, exists = v[i].last_op != EWSD_OP_DELETE;
		struct __ewstype__union_SyncFolderHierarchyChangesType *c =
			&changes->__union_SyncFolderHierarchyChangesType[changes->__size_SyncFolderHierarchyChangesType];
		struct ewsd_folder fo;
		if (!existed && !exists)
			continue;
		if (!exists) {
			struct ewsd_folder gone = { .id = v[i].obj, .mailbox_id = rq->mailbox_id };
			struct ewstype__FolderIdType *id = ewsd_folder_id(soap, &gone);
			id->ChangeKey = NULL;
			c->__union_SyncFolderHierarchyChangesType = SOAP_UNION__ewstype__union_SyncFolderHierarchyChangesType_Delete;
			c->union_SyncFolderHierarchyChangesType.Delete = EWSD_NEW(soap, struct ewstype__SyncFolderHierarchyDeleteType);
			c->union_SyncFolderHierarchyChangesType.Delete->FolderId = id;
		} else {
			if (ewsd_folder_get(soap, rq->db, v[i].obj, &fo))
				continue;
			struct ewstype__SyncFolderHierarchyCreateOrUpdateType *cu =
				EWSD_NEW(soap, struct ewstype__SyncFolderHierarchyCreateOrUpdateType);
			cu->__union_SyncFolderHierarchyCreateOrUpdateType =
				SOAP_UNION__ewstype__union_SyncFolderHierarchyCreateOrUpdateType_Folder;
			cu->union_SyncFolderHierarchyCreateOrUpdateType.Folder =
				ewsd_make_folder(soap, &fo, ewsd_folder_props(soap, req->FolderShape) | EWSD_P_PARENT |
								    EWSD_P_F_NAME | EWSD_P_F_CLASS);
			c->__union_SyncFolderHierarchyChangesType = existed
				? SOAP_UNION__ewstype__union_SyncFolderHierarchyChangesType_Update
				: SOAP_UNION__ewstype__union_SyncFolderHierarchyChangesType_Create;
			c->union_SyncFolderHierarchyChangesType.Create = cu;
		}
		changes->__size_SyncFolderHierarchyChangesType++;
	}
	sqlite3_exec(rq->db, "COMMIT", NULL, NULL, NULL);
	free(sub);
	EWSD_SET_RESULT(soap, m, SyncFolderHierarchyResponseMessageType, "NoError");
	m->SyncState = ewsd_syncstate_make(soap, 1, rq->mailbox_id, top.id, end);
	m->IncludesLastFolderInRange = boolp(soap, 1);
	m->Changes = changes;
	return SOAP_OK;
}
