/* op_export.c — ExportItems and UploadItems with an opaque, versioned, byte-exact item serialization.
 *
 * Data = "EWSX" | version 1 | kind | fields in a fixed order (strings: u32 BE length, 0xFFFFFFFF = absent;
 * numbers: i64 BE) | first 8 bytes of SHA-256 over everything before. Exporting the same item twice gives the
 * same bytes, and an uploaded copy exports identically. Ids are not part of the data (UploadItems decides them).
 * Version 2 (items with attachments only, so other items keep their version 1 bytes): after is_associated,
 * the attachments' part of attach.c as u32 BE length + bytes.
 * Version 3 (items with kept properties: recurrence, Sensitivity, Culture, extended properties ... of item_props):
 * the attachments' part (length 0 when there are none), then the properties' part: u32 BE length, u32 BE count,
 * name and value strings, by name. Without it an export lost them: a recurring meeting came back single.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/sha.h>

#include "ewsd.h"

#define EXPORT_MAGIC "EWSX"
#define EXPORT_VERSION 1
#define EXPORT_VERSION_ATTACHMENTS 2
#define EXPORT_VERSION_PROPERTIES 3

/* The properties' part of version 3 for a stored item's item_props rows (after an empty attachments' part when
 * there was none): 1 written, 0 the item has none, -1 a store error. */
static int props_put(struct soap *soap, int64_t item_id, int had_attachments, struct ewsd_buf *b)
{
	sqlite3_stmt *st;
	if (item_id <= 0)
		return 0;
	sqlite3 *db = ewsd_req(soap)->db;
	/* once per exported item: kept prepared (stmt.c) */
	if (!(st = ewsd_stmt(db, ewsd_item_props_sql)))
		return -1;
	sqlite3_bind_int64(st, 1, item_id);
	size_t at = 0;
	uint32_t count = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!count) {
			if (!had_attachments)
				ewsd_buf_put_u32(b, 0);           /* an empty attachments' part */
			at = b->n;
			ewsd_buf_put_u32(b, 0);                   /* the part's length, filled in below */
			ewsd_buf_put_u32(b, 0);                   /* the count, likewise */
		}
		ewsd_buf_put_str(b, (const char *)sqlite3_column_text(st, 0));
		ewsd_buf_put_str(b, (const char *)sqlite3_column_text(st, 1));
		count++;
	}
	ewsd_stmt_done(db, st);
	if (rc != SQLITE_DONE || b->failed)
		return -1;
	if (!count)
		return 0;
	size_t len = b->n - at - 4;
	for (int i = 0; i < 4; i++) {
		b->p[at + (size_t)i] = (unsigned char)(len >> (24 - 8 * i));
		b->p[at + 4 + (size_t)i] = (unsigned char)(count >> (24 - 8 * i));
	}
	return 1;
}

unsigned char *ewsd_export_blob(struct soap *soap, const struct ewsd_item *it, size_t *n)
{
	struct ewsd_buf b = { .soap = soap };
	unsigned char v = EXPORT_VERSION, k = (unsigned char)it->kind, md[SHA256_DIGEST_LENGTH];
	/* one allocation for the usual item: the body is most of it */
	ewsd_buf_reserve(&b, (it->body ? strlen(it->body) : 0) + (it->subject ? strlen(it->subject) : 0) + 1024);
	ewsd_buf_put(&b, EXPORT_MAGIC, 4);
	ewsd_buf_put(&b, &v, 1); /* version 2 when the attachments' part follows, set below */
	ewsd_buf_put(&b, &k, 1);
	ewsd_buf_put_str(&b, it->item_class);
	ewsd_buf_put_str(&b, it->subject);
	ewsd_buf_put_str(&b, it->body);
	ewsd_buf_put_i64(&b, it->body_html);
	ewsd_buf_put_str(&b, it->received);
	ewsd_buf_put_str(&b, it->sent);
	ewsd_buf_put_str(&b, it->created);
	ewsd_buf_put_i64(&b, it->size);
	ewsd_buf_put_i64(&b, it->importance);
	ewsd_buf_put_i64(&b, it->is_read);
	ewsd_buf_put_str(&b, it->from_name);
	ewsd_buf_put_str(&b, it->from_addr);
	ewsd_buf_put_str(&b, it->to_list);
	ewsd_buf_put_str(&b, it->cc_list);
	ewsd_buf_put_str(&b, it->start);
	ewsd_buf_put_str(&b, it->end);
	ewsd_buf_put_str(&b, it->location);
	ewsd_buf_put_str(&b, it->given_name);
	ewsd_buf_put_str(&b, it->surname);
	ewsd_buf_put_str(&b, it->email);
	ewsd_buf_put_str(&b, it->company);
	ewsd_buf_put_str(&b, it->due);
	ewsd_buf_put_i64(&b, it->status);
	ewsd_buf_put_str(&b, it->categories);
	ewsd_buf_put_i64(&b, it->is_associated);
	int att = ewsd_attach_blob_put(soap, it->id, &b);
	if (att > 0)
		b.p[4] = EXPORT_VERSION_ATTACHMENTS;
	int props = att >= 0 ? props_put(soap, it->id, att > 0, &b) : 0;
	if (props > 0)
		b.p[4] = EXPORT_VERSION_PROPERTIES;
	if (att >= 0 && !b.failed) {
		SHA256(b.p, b.n, md);
		ewsd_buf_put(&b, md, 8);
	}
	if (att < 0 || props < 0 || b.failed) {
		*n = 0;
		return NULL;
	}
	*n = b.n;
	return b.p;
}

struct reader {
	const unsigned char *p;
	size_t n, at;
	int bad;
};

static int64_t get_num(struct reader *r)
{
	int64_t v = 0;
	if (r->at + 8 > r->n) {
		r->bad = 1;
		return 0;
	}
	for (int i = 0; i < 8; i++)
		v = (int64_t)((uint64_t)v << 8 | r->p[r->at++]);
	return v;
}

static const char *get_str(struct soap *soap, struct reader *r)
{
	uint32_t n;
	char *s;
	if (r->at + 4 > r->n) {
		r->bad = 1;
		return NULL;
	}
	n = (uint32_t)r->p[r->at] << 24 | (uint32_t)r->p[r->at + 1] << 16 | (uint32_t)r->p[r->at + 2] << 8 |
	    r->p[r->at + 3];
	r->at += 4;
	if (n == 0xffffffffu)
		return NULL;
	if (n > r->n - r->at || memchr(r->p + r->at, 0, n)) {
		r->bad = 1;
		return NULL;
	}
	s = soap_malloc(soap, (size_t)n + 1);
	memcpy(s, r->p + r->at, n);
	s[n] = '\0';
	r->at += n;
	return s;
}

int ewsd_import_blob(struct soap *soap, const unsigned char *p, size_t n, struct ewsd_item *it)
{
	struct reader r = { p, n, 6, 0 };
	unsigned char md[SHA256_DIGEST_LENGTH];
	if (!p || n < 6 + 8 || memcmp(p, EXPORT_MAGIC, 4) ||
	    (p[4] != EXPORT_VERSION && p[4] != EXPORT_VERSION_ATTACHMENTS && p[4] != EXPORT_VERSION_PROPERTIES) ||
	    p[5] > EWSD_DISTLIST)
		return -1;
	SHA256(p, n - 8, md);
	if (memcmp(md, p + n - 8, 8))
		return -1;
	r.n = n - 8;
	memset(it, 0, sizeof *it);
	it->kind = p[5];
	it->item_class = get_str(soap, &r);
	it->subject = get_str(soap, &r);
	it->body = get_str(soap, &r);
	it->body_html = (int)get_num(&r);
	it->received = get_str(soap, &r);
	it->sent = get_str(soap, &r);
	it->created = get_str(soap, &r);
	it->size = get_num(&r);
	it->importance = (int)get_num(&r);
	it->is_read = (int)get_num(&r);
	it->from_name = get_str(soap, &r);
	it->from_addr = get_str(soap, &r);
	it->to_list = get_str(soap, &r);
	it->cc_list = get_str(soap, &r);
	it->start = get_str(soap, &r);
	it->end = get_str(soap, &r);
	it->location = get_str(soap, &r);
	it->given_name = get_str(soap, &r);
	it->surname = get_str(soap, &r);
	it->email = get_str(soap, &r);
	it->company = get_str(soap, &r);
	it->due = get_str(soap, &r);
	it->status = (int)get_num(&r);
	it->categories = get_str(soap, &r);
	it->is_associated = (int)get_num(&r);
	if (p[4] >= EXPORT_VERSION_ATTACHMENTS && !r.bad) {
		size_t alen = r.at + 4 <= r.n ? ((size_t)p[r.at] << 24 | (size_t)p[r.at + 1] << 16 |
						 (size_t)p[r.at + 2] << 8 | p[r.at + 3]) : 0;
		/* version 2 has attachments; version 3 may have none (an empty part) */
		if (r.at + 4 > r.n || (alen == 0 && p[4] == EXPORT_VERSION_ATTACHMENTS) || alen > r.n - r.at - 4)
			return -1;
		it->att_data = alen ? p + r.at + 4 : NULL;
		it->att_len = alen;
		r.at += 4 + alen;
	}
	if (p[4] == EXPORT_VERSION_PROPERTIES && !r.bad) {
		size_t plen = r.at + 4 <= r.n ? ((size_t)p[r.at] << 24 | (size_t)p[r.at + 1] << 16 |
						 (size_t)p[r.at + 2] << 8 | p[r.at + 3]) : 0;
		if (r.at + 4 > r.n || plen < 4 || plen > r.n - r.at - 4)
			return -1;
		it->props_data = p + r.at + 4;
		it->props_len = plen;
		/* the part is read whole here, so that a malformed one is refused before anything is stored */
		struct reader pr = { it->props_data, plen, 4, 0 };
		uint32_t count = (uint32_t)pr.p[0] << 24 | (uint32_t)pr.p[1] << 16 | (uint32_t)pr.p[2] << 8 | pr.p[3];
		for (uint32_t i = 0; i < count && !pr.bad; i++) {
			if (!get_str(soap, &pr))              /* a name; its value may be absent */
				pr.bad = 1;
			get_str(soap, &pr);
		}
		if (pr.bad || pr.at != plen || count == 0)
			return -1;
		r.at += 4 + plen;
	}
	return r.bad || r.at != r.n ? -1 : 0;
}

/* ExportItems and UploadItems came with Exchange 2010 SP1: older sets have neither operation (the blobs above
 * still serve attach.c, mime.c and recurrence.c: item attachments and occurrence exceptions are kept in them) */
#ifdef SOAP_TYPE_ewsmsg__UploadItemsType

/* The item's kept properties become the data's (an update replaces them, as UploadItems replaces the item). */
static int props_restore(struct soap *soap, sqlite3 *db, int64_t id, const unsigned char *p, size_t n)
{
	sqlite3_stmt *del, *ins;
	int bad = 0;
	if (sqlite3_prepare_v2(db, "DELETE FROM item_props WHERE item_id=?", -1, &del, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(del, 1, id);
	bad = sqlite3_step(del) != SQLITE_DONE;
	sqlite3_finalize(del);
	if (bad || !p)
		return bad ? -1 : 0;
	if (sqlite3_prepare_v2(db, "INSERT INTO item_props(item_id,name,value) VALUES(?,?,?)", -1, &ins, NULL) != SQLITE_OK)
		return -1;
	struct reader r = { p, n, 4, 0 };
	uint32_t count = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	for (uint32_t i = 0; i < count && !bad; i++) {
		const char *name = get_str(soap, &r), *value = get_str(soap, &r);
		sqlite3_reset(ins);
		sqlite3_bind_int64(ins, 1, id);
		sqlite3_bind_text(ins, 2, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, value, -1, SQLITE_STATIC);
		bad = r.bad || !name || sqlite3_step(ins) != SQLITE_DONE;
	}
	sqlite3_finalize(ins);
	return bad ? -1 : 0;
}

/* Fault injection (upload_stamp): the item gets a property of its own, the time it was written, in nanoseconds,
 * which its export carries (Exchange's export of an uploaded item differs from the uploaded data likewise). */
static int stamp(sqlite3 *db, int64_t id)
{
	struct timespec t;
	char v[32];
	sqlite3_stmt *ins;
	clock_gettime(CLOCK_REALTIME, &t);
	snprintf(v, sizeof v, "%lld%09ld", (long long)t.tv_sec, t.tv_nsec);
	if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO item_props(item_id,name,value) VALUES(?,'UploadStamp',?)", -1,
			       &ins, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(ins, 1, id);
	sqlite3_bind_text(ins, 2, v, -1, SQLITE_TRANSIENT);
	int bad = sqlite3_step(ins) != SQLITE_DONE;
	sqlite3_finalize(ins);
	return bad ? -1 : 0;
}

#endif /* SOAP_TYPE_ewsmsg__UploadItemsType */

#ifdef SOAP_TYPE_ewsmsg__ExportItemsType

int __ewsmsg__ExportItems(struct soap *soap, struct ewsmsg__ExportItemsType *req,
			  struct __ewsmsg__ExportItemsResponse *resp)
{
	int rc = ewsd_begin_op(soap, "ExportItems", req);
	if (rc)
		return rc;
	int n = req->ItemIds ? req->ItemIds->__sizeItemId : 0;
	resp->ewsmsg__ExportItemsResponse = EWSD_NEW(soap, struct ewsmsg__ExportItemsResponseType);
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, n);
	resp->ewsmsg__ExportItemsResponse->ResponseMessages = msgs;
	/* One read transaction for the batch: every item from one snapshot, and SQLite takes its shared lock
	 * (fcntl, fstat, the WAL index check) once instead of twice per item. Without it each query is its own. */
	sqlite3 *db = ewsd_req(soap)->db;
	int in_txn = n > 1 && sqlite3_get_autocommit(db) && sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
	int corrupt = n > 0 && ewsd_fault_take(&ewsd_faults.export_corrupt);   /* fault injection: the first item */
	for (int i = 0; i < n; i++) {
		struct ewstype__ItemIdType *id = &req->ItemIds->ItemId[i];
		struct ewsmsg__ExportItemsResponseMessageType *m =
			EWSD_NEW(soap, struct ewsmsg__ExportItemsResponseMessageType);
		struct ewsd_item it;
		const char *guid = NULL;
		msgs->__union_ArrayOfResponseMessagesType[i].__union_ArrayOfResponseMessagesType =
			SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_ExportItemsResponseMessage;
		msgs->__union_ArrayOfResponseMessagesType[i].union_ArrayOfResponseMessagesType.ExportItemsResponseMessage = m;
		const char *err = ewsd_resolve_item(soap, id->Id, id->ChangeKey, 1, &it, &guid);
		if (!err && corrupt && i == 0)
			err = "ErrorCorruptData";
		EWSD_SET_RESULT(soap, m, ExportItemsResponseMessageType, err ? err : "NoError");
		if (err) {
			if (guid)
				EWSD_SET_VALUE(soap, m, ExportItemsResponseMessageType, "MailboxGuid", guid);
			continue;
		}
		size_t len;
		unsigned char *data = ewsd_export_blob(soap, &it, &len);
		if (!data) {
			EWSD_SET_RESULT(soap, m, ExportItemsResponseMessageType, "ErrorInternalServerError");
			continue;
		}
		m->ItemId = ewsd_item_id(soap, &it);
		m->Data = EWSD_NEW(soap, struct xsd__base64Binary);
		m->Data->__ptr = data;
		m->Data->__size = (int)len;
	}
	if (in_txn)
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL); /* nothing written: ends the read */
	return SOAP_OK;
}

#endif /* SOAP_TYPE_ewsmsg__ExportItemsType */

#ifdef SOAP_TYPE_ewsmsg__UploadItemsType

int __ewsmsg__UploadItems(struct soap *soap, struct ewsmsg__UploadItemsType *req,
			  struct __ewsmsg__UploadItemsResponse *resp)
{
	int rc = ewsd_begin_op(soap, "UploadItems", req);
	if (rc)
		return rc;
	struct ewsd_request *rq = ewsd_req(soap);
	int n = req->Items ? req->Items->__sizeItem : 0;
	resp->ewsmsg__UploadItemsResponse = EWSD_NEW(soap, struct ewsmsg__UploadItemsResponseType);
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, n);
	resp->ewsmsg__UploadItemsResponse->ResponseMessages = msgs;
	/* One transaction for the request (one fsync, not one per item: a restore of 20 000 items took 17 s), each
	 * item in a savepoint of its own, so a failing item is undone alone as before. The answer goes after the
	 * commit; a commit that fails turns every item it held into ErrorInternalServerError. */
	struct ewsmsg__UploadItemsResponseMessageType **done = soap_malloc(soap, sizeof *done * (size_t)(n ? n : 1));
	int in_tx = 0, ndone = 0;
	if (!done)
		return soap->error = SOAP_EOM;
	for (int i = 0; i < n; i++) {
		struct ewstype__UploadItemType *up = &req->Items->Item[i];
		struct ewsmsg__UploadItemsResponseMessageType *m =
			EWSD_NEW(soap, struct ewsmsg__UploadItemsResponseMessageType);
		struct ewsd_item data, cur;
		struct ewsd_folder parent;
		const char *err = NULL, *guid = NULL;
		int update = 0;
		msgs->__union_ArrayOfResponseMessagesType[i].__union_ArrayOfResponseMessagesType =
			SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_UploadItemsResponseMessage;
		msgs->__union_ArrayOfResponseMessagesType[i].union_ArrayOfResponseMessagesType.UploadItemsResponseMessage = m;

		struct ewsd_attachment *atts = NULL;
		int natts = 0;
		if (ewsd_import_blob(soap, up->Data.__ptr, (size_t)(up->Data.__size > 0 ? up->Data.__size : 0), &data) ||
		    (data.att_data && ewsd_attach_parse(soap, data.att_data, data.att_len, &atts, &natts)))
			err = "ErrorCorruptData";
		if (!err && (up->CreateAction == ewstype__CreateActionType__Update ||
			     up->CreateAction == ewstype__CreateActionType__UpdateOrCreate)) {
			if (up->ItemId && up->ItemId->Id) {
				err = ewsd_resolve_item(soap, up->ItemId->Id, up->ItemId->ChangeKey, 1, &cur, &guid);
				if (!err)
					update = 1;
				else if (up->CreateAction == ewstype__CreateActionType__UpdateOrCreate &&
					 !strcmp(err, "ErrorItemNotFound"))
					err = NULL;   /* create it instead */
			} else if (up->CreateAction == ewstype__CreateActionType__Update) {
				err = "ErrorInvalidIdEmpty";
			}
		}
		if (!err && !update) {
			if (!up->ParentFolderId)
				err = "ErrorFolderNotFound";
			else
				err = ewsd_resolve_folder(soap, up->ParentFolderId, NULL, &parent);
		}
		if (!err) {
			data.mailbox_id = rq->mailbox_id;
			if (up->IsAssociated)
				data.is_associated = *up->IsAssociated == xsd__boolean__true_;
			if (update) {
				data.id = cur.id;
				data.folder_id = cur.folder_id;
				data.created_seq = cur.created_seq;
			} else {
				data.folder_id = parent.id;
			}
			if (!in_tx && !ewsd_begin(rq->db))
				in_tx = 1;
			if (!in_tx || ewsd_savepoint(rq->db)) {
				err = "ErrorInternalServerError";
			} else if ((update ? ewsd_item_update(rq->db, &data, 0) : ewsd_item_insert(rq->db, &data)) ||
				   ewsd_attach_replace(rq->db, data.id, atts, natts) ||
				   props_restore(soap, rq->db, data.id, data.props_data, data.props_len) ||
				   (ewsd_fault_get(&ewsd_faults.upload_stamp) && stamp(rq->db, data.id)) ||
				   ewsd_release(rq->db)) {
				ewsd_rollback_to(rq->db);
				err = "ErrorInternalServerError";
			}
		}
		EWSD_SET_RESULT(soap, m, UploadItemsResponseMessageType, err ? err : "NoError");
		if (!err) {
			m->ItemId = ewsd_item_id(soap, &data);
			done[ndone++] = m;
		} else if (guid) {
			EWSD_SET_VALUE(soap, m, UploadItemsResponseMessageType, "MailboxGuid", guid);
		}
	}
	if (in_tx && ewsd_commit(rq->db)) {
		ewsd_rollback(rq->db);
		for (int k = 0; k < ndone; k++) {
			EWSD_SET_RESULT(soap, done[k], UploadItemsResponseMessageType, "ErrorInternalServerError");
			done[k]->ItemId = NULL;
		}
	}
	return SOAP_OK;
}

#endif /* SOAP_TYPE_ewsmsg__UploadItemsType */
