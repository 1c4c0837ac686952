/* op_export.c — ExportItems and UploadItems with an opaque, versioned, byte-exact item serialization.
 *
 * Data = "EWSX" | version 1 | kind | fields in a fixed order (strings: u32 BE length, 0xFFFFFFFF = absent;
 * numbers: i64 BE) | first 8 bytes of SHA-256 over everything before. Exporting the same item twice gives the
 * same bytes, and an uploaded copy exports identically. Ids are not part of the data (UploadItems decides them).
 * Version 2 (items with attachments only, so other items keep their version 1 bytes): after is_associated,
 * the attachments' part of attach.c as u32 BE length + bytes.
 */
#include <string.h>

#include <openssl/sha.h>

#include "ewsd.h"

#define EXPORT_MAGIC "EWSX"
#define EXPORT_VERSION 1
#define EXPORT_VERSION_ATTACHMENTS 2

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
	if (att >= 0 && !b.failed) {
		SHA256(b.p, b.n, md);
		ewsd_buf_put(&b, md, 8);
	}
	if (att < 0 || b.failed) {
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
	    (p[4] != EXPORT_VERSION && p[4] != EXPORT_VERSION_ATTACHMENTS) || p[5] > EWSD_DISTLIST)
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
	if (p[4] == EXPORT_VERSION_ATTACHMENTS && !r.bad) {
		size_t alen = r.at + 4 <= r.n ? ((size_t)p[r.at] << 24 | (size_t)p[r.at + 1] << 16 |
						 (size_t)p[r.at + 2] << 8 | p[r.at + 3]) : 0;
		if (r.at + 4 > r.n || alen == 0 || alen > r.n - r.at - 4)
			return -1;
		it->att_data = p + r.at + 4;
		it->att_len = alen;
		r.at += 4 + alen;
	}
	return r.bad || r.at != r.n ? -1 : 0;
}

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
			if (ewsd_begin(rq->db) || (update ? ewsd_item_update(rq->db, &data, 0) : ewsd_item_insert(rq->db, &data)) ||
			    ewsd_attach_replace(rq->db, data.id, atts, natts) || ewsd_commit(rq->db)) {
				ewsd_rollback(rq->db);
				err = "ErrorInternalServerError";
			}
		}
		EWSD_SET_RESULT(soap, m, UploadItemsResponseMessageType, err ? err : "NoError");
		if (!err)
			m->ItemId = ewsd_item_id(soap, &data);
		else if (guid)
			EWSD_SET_VALUE(soap, m, UploadItemsResponseMessageType, "MailboxGuid", guid);
	}
	return SOAP_OK;
}
