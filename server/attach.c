/* attach.c — attachments stored with their item: the `attachments` table, Exchange-format attachment ids, the
 * attachment structs of responses, and the attachments' part of the ExportItems data.
 *
 * A file attachment keeps its name, content type, content id, inline and contact-photo flags, last-modified time
 * and content bytes; an item attachment keeps the embedded item as an EWSX blob (op_export.c), so every property
 * an item can have survives being attached. Rows are in creation order (row id), which is the order GetItem lists.
 *
 * Attachment ids have Exchange's layout: the root item's EwsId payload followed by one attachment level,
 * count:u8 = 1, u16le length 18, then u16le 16 and a 16-byte attachment key (10 fixed bytes and the row id as a
 * 6-byte big-endian global counter). So an attachment id starts with its item's id, as in Exchange.
 */
#include <string.h>
#include <strings.h>

#include "ewsd.h"

static const unsigned char key_prefix[10] = { 0x5a, 0x1e, 0x7c, 0x33, 0x90, 0x4b, 0x11, 0xe6, 0xa5, 0x02 };
#define LEVEL_BYTES 21          /* count, u16 length, u16 key length, 16-byte key */

/* ---- store ---- */

#define COLS "id,item_id,is_item,name,content_type,content_id,is_inline,is_contact_photo,last_modified,size"
static const char cols[] = COLS;

static const char *col_text(struct soap *soap, sqlite3_stmt *st, int c)
{
	const unsigned char *t = sqlite3_column_text(st, c);
	return t ? soap_strdup(soap, (const char *)t) : NULL;
}

static void from_row(struct soap *soap, sqlite3_stmt *st, int with_content, struct ewsd_attachment *a)
{
	memset(a, 0, sizeof *a);
	a->id = sqlite3_column_int64(st, 0);
	a->item_id = sqlite3_column_int64(st, 1);
	a->is_item = sqlite3_column_int(st, 2);
	a->name = col_text(soap, st, 3);
	a->content_type = col_text(soap, st, 4);
	a->content_id = col_text(soap, st, 5);
	a->is_inline = sqlite3_column_int(st, 6);
	a->is_contact_photo = sqlite3_column_int(st, 7);
	a->last_modified = col_text(soap, st, 8);
	a->size = sqlite3_column_int64(st, 9);
	if (with_content) {
		const void *p = sqlite3_column_blob(st, 10);
		int n = sqlite3_column_bytes(st, 10);
		unsigned char *q = soap_malloc(soap, n > 0 ? (size_t)n : 1);
		if (q && n > 0)
			memcpy(q, p, (size_t)n);
		a->content = q;
		a->content_len = n > 0 ? (size_t)n : 0;
	}
}

int ewsd_attach_insert(sqlite3 *db, struct ewsd_attachment *a)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(db, "INSERT INTO attachments(item_id,is_item,name,content_type,content_id,is_inline,"
				   "is_contact_photo,last_modified,size,content) VALUES(?,?,?,?,?,?,?,?,?,?)",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, a->item_id);
	sqlite3_bind_int(st, 2, a->is_item);
	sqlite3_bind_text(st, 3, a->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, a->content_type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, a->content_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, a->is_inline);
	sqlite3_bind_int(st, 7, a->is_contact_photo);
	sqlite3_bind_text(st, 8, a->last_modified, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, a->size);
	sqlite3_bind_blob64(st, 10, a->content_len ? (const void *)a->content : "", a->content_len, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return -1;
	a->id = sqlite3_last_insert_rowid(db);
	return 0;
}

int ewsd_attach_get(struct soap *soap, sqlite3 *db, int64_t id, int with_content, struct ewsd_attachment *out)
{
	char sql[256];
	sqlite3_stmt *st;
	int rc;
	snprintf(sql, sizeof sql, "SELECT %s%s FROM attachments WHERE id=?", cols, with_content ? ",content" : "");
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		from_row(soap, st, with_content, out);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

int ewsd_attach_list(struct soap *soap, sqlite3 *db, int64_t item_id, int with_content, struct ewsd_attachment **out)
{
	/* kept prepared (ewsd_stmt): ExportItems asks for every item */
	static const char sql_meta[] = "SELECT " COLS " FROM attachments WHERE item_id=? ORDER BY id",
			  sql_content[] = "SELECT " COLS ",content FROM attachments WHERE item_id=? ORDER BY id";
	sqlite3_stmt *st = ewsd_stmt(db, with_content ? sql_content : sql_meta);
	int n = 0, cap = 0, rc;
	*out = NULL;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, item_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			struct ewsd_attachment *p = soap_malloc(soap, sizeof *p * (size_t)(cap = cap ? cap * 2 : 4));
			if (!p)
				break;
			if (n)
				memcpy(p, *out, sizeof *p * (size_t)n);
			*out = p;
		}
		from_row(soap, st, with_content, &(*out)[n++]);
	}
	ewsd_stmt_done(db, st);
	return rc == SQLITE_DONE ? n : -1;
}

/* sql: a string literal (the statement is kept prepared per its address, stmt.c: an uploaded item's attachments
 * are replaced with two of these). */
static int exec1(sqlite3 *db, const char *sql, int64_t a, int64_t b)
{
	sqlite3_stmt *st = ewsd_stmt(db, sql);
	int rc;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, a);
	if (sqlite3_bind_parameter_count(st) > 1)
		sqlite3_bind_int64(st, 2, b);
	rc = sqlite3_step(st);
	ewsd_stmt_done(db, st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* An item attachment's embedded item keeps its properties in item_props under the negated attachment id
 * (ewsd_attach_props_id): they are deleted and copied with the attachment row. */
int ewsd_attach_delete(sqlite3 *db, int64_t id)
{
	return exec1(db, "DELETE FROM item_props WHERE item_id=?", ewsd_attach_props_id(id), 0) ||
	       exec1(db, "DELETE FROM attachments WHERE id=?", id, 0) ? -1 : 0;
}

int ewsd_attach_delete_item(sqlite3 *db, int64_t item_id)
{
	return exec1(db, "DELETE FROM item_props WHERE item_id IN (SELECT -id FROM attachments WHERE item_id=?)",
		     item_id, 0) ||
	       exec1(db, "DELETE FROM attachments WHERE item_id=?", item_id, 0) ? -1 : 0;
}

int ewsd_attach_copy(sqlite3 *db, int64_t from_item, int64_t to_item)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(db, "SELECT id FROM attachments WHERE item_id=? ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, from_item);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t old = sqlite3_column_int64(st, 0);
		if (exec1(db, "INSERT INTO attachments(item_id,is_item,name,content_type,content_id,is_inline,"
			      "is_contact_photo,last_modified,size,content) SELECT ?,is_item,name,content_type,content_id,"
			      "is_inline,is_contact_photo,last_modified,size,content FROM attachments WHERE id=?",
			  to_item, old) ||
		    exec1(db, "INSERT INTO item_props(item_id,name,value) SELECT ?,name,value FROM item_props WHERE item_id=?",
			  ewsd_attach_props_id(sqlite3_last_insert_rowid(db)), ewsd_attach_props_id(old))) {
			rc = SQLITE_ERROR;
			break;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int ewsd_attach_exists(sqlite3 *db, int64_t item_id)
{
	sqlite3_stmt *st;
	int rc;
	if (!item_id || sqlite3_prepare_v2(db, "SELECT 1 FROM attachments WHERE item_id=? LIMIT 1", -1, &st, NULL) !=
				SQLITE_OK)
		return 0;
	sqlite3_bind_int64(st, 1, item_id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW;
}

/* ---- ids ---- */

char *ewsd_attach_id_make(struct soap *soap, const struct ewsd_item *root, int64_t att_id)
{
	struct ewstype__ItemIdType *iid = ewsd_item_id(soap, root);
	size_t n;
	unsigned char *item = iid && iid->Id ? ewsd_unb64(soap, iid->Id, &n) : NULL;
	unsigned char *b;
	if (!item)
		return NULL;
	b = soap_malloc(soap, n + LEVEL_BYTES);
	memcpy(b, item, n);
	b[n] = 1;
	b[n + 1] = 18, b[n + 2] = 0;
	b[n + 3] = 16, b[n + 4] = 0;
	memcpy(b + n + 5, key_prefix, sizeof key_prefix);
	for (int i = 0; i < 6; i++)
		b[n + 5 + 10 + i] = (unsigned char)((uint64_t)att_id >> (8 * (5 - i)));
	return ewsd_b64(soap, b, n + LEVEL_BYTES);
}

/* Split an attachment id into its root item id text and the attachment row id. 0, or -1 when it is not one. */
static int attach_id_parse(struct soap *soap, const char *text, char **item_id, int64_t *att_id)
{
	size_t n;
	unsigned char *b = text ? ewsd_unb64(soap, text, &n) : NULL;
	const unsigned char *lv;
	if (!b || n <= LEVEL_BYTES + 4)
		return -1;
	lv = b + n - LEVEL_BYTES;
	if (lv[0] != 1 || lv[1] != 18 || lv[2] || lv[3] != 16 || lv[4] || memcmp(lv + 5, key_prefix, sizeof key_prefix))
		return -1;
	*att_id = 0;
	for (int i = 0; i < 6; i++)
		*att_id = (*att_id << 8) | lv[15 + i];
	*item_id = ewsd_b64(soap, b, n - LEVEL_BYTES);
	return *item_id ? 0 : -1;
}

const char *ewsd_attach_resolve(struct soap *soap, const char *id, struct ewsd_item *root,
				struct ewsd_attachment *att, int with_content, const char **guid)
{
	char *item_id;
	int64_t att_id;
	if (!id || !*id)
		return "ErrorInvalidIdEmpty";
	if (attach_id_parse(soap, id, &item_id, &att_id))
		return "ErrorInvalidIdMalformed";
	const char *err = ewsd_resolve_item(soap, item_id, NULL, 0, root, guid);
	if (err)
		return err;
	int rc = ewsd_attach_get(soap, ewsd_req(soap)->db, att_id, with_content, att);
	if (rc < 0)
		return "ErrorInternalServerError";
	if (rc || att->item_id != root->id)
		return "ErrorInvalidAttachmentId";   /* deleted, or an attachment of another item */
	return NULL;
}

/* ---- response structs ---- */

/* ItemAttachmentType has no DistributionList: an embedded list goes out (and comes in) as its generic Item */
static const int embedded_sels[6] = { SOAP_UNION__ewstype__union_ItemAttachmentType_Message,
				      SOAP_UNION__ewstype__union_ItemAttachmentType_CalendarItem,
				      SOAP_UNION__ewstype__union_ItemAttachmentType_MeetingRequest,
				      SOAP_UNION__ewstype__union_ItemAttachmentType_Contact,
				      SOAP_UNION__ewstype__union_ItemAttachmentType_Task,
				      SOAP_UNION__ewstype__union_ItemAttachmentType_Item };
static const int embedded_in_sels[7] = { SOAP_UNION__ewstype__union_ItemAttachmentType_Message,
					 SOAP_UNION__ewstype__union_ItemAttachmentType_CalendarItem,
					 SOAP_UNION__ewstype__union_ItemAttachmentType_MeetingRequest,
					 SOAP_UNION__ewstype__union_ItemAttachmentType_Contact,
					 SOAP_UNION__ewstype__union_ItemAttachmentType_Task, -1,
					 SOAP_UNION__ewstype__union_ItemAttachmentType_Item };

/* AttachmentType's Size, LastModifiedTime and IsInline and FileAttachmentType's IsContactPhoto came with Exchange
 * 2010: an Exchange2007_SP1 attachment has none of them to read or answer */
#ifdef EWS_HAS_ewstype__AttachmentType_IsInline
static enum xsd__boolean *boolp(struct soap *soap, int v)
{
	enum xsd__boolean *b = soap_malloc(soap, sizeof *b);
	*b = v ? xsd__boolean__true_ : xsd__boolean__false_;
	return b;
}

#define FILL_ATTACHMENT_2010(soap, p, a) \
	do { \
		(p)->Size = soap_malloc((soap), sizeof(int)); \
		*(p)->Size = (int)(a)->size; \
		if ((a)->last_modified) \
			(p)->LastModifiedTime = soap_strdup((soap), (a)->last_modified); \
		(p)->IsInline = boolp((soap), (a)->is_inline); \
	} while (0)
#define REQUEST_FLAG(p, member) ((p)->member && *(p)->member == xsd__boolean__true_)
#else
#define FILL_ATTACHMENT_2010(soap, p, a) ((void)0)
#define REQUEST_FLAG(p, member) 0
#endif

/* The common AttachmentType part; FileAttachmentType and ItemAttachmentType start with the same members. */
#define FILL_ATTACHMENT(soap, p, a, idtext, full) \
	do { \
		(p)->AttachmentId = EWSD_NEW((soap), struct ewstype__AttachmentIdType); \
		(p)->AttachmentId->Id = (idtext); \
		(p)->Name = soap_strdup((soap), (a)->name ? (a)->name : ""); \
		if ((a)->content_type) \
			(p)->ContentType = soap_strdup((soap), (a)->content_type); \
		if ((a)->content_id) \
			(p)->ContentId = soap_strdup((soap), (a)->content_id); \
		FILL_ATTACHMENT_2010(soap, p, a); \
	} while (0)

void ewsd_attach_put(struct soap *soap, const struct ewsd_item *root, const struct ewsd_attachment *a, int full,
		     int *selector, void **slot, int sel_item, int sel_file)
{
	char *id = ewsd_attach_id_make(soap, root, a->id);
	if (!a->is_item) {
		struct ewstype__FileAttachmentType *p = EWSD_NEW(soap, struct ewstype__FileAttachmentType);
		FILL_ATTACHMENT(soap, p, a, id, full);
#ifdef EWS_HAS_ewstype__FileAttachmentType_IsContactPhoto     /* Exchange 2010 */
		p->IsContactPhoto = boolp(soap, a->is_contact_photo);
#endif
		if (full) {
			p->Content = EWSD_NEW(soap, struct xsd__base64Binary);
			p->Content->__ptr = (unsigned char *)a->content;
			p->Content->__size = (int)a->content_len;
		}
		*selector = sel_file;
		*slot = p;
		return;
	}
	struct ewstype__ItemAttachmentType *p = EWSD_NEW(soap, struct ewstype__ItemAttachmentType);
	FILL_ATTACHMENT(soap, p, a, id, full);
	struct ewsd_item emb;
	if (full && !ewsd_import_blob(soap, a->content, a->content_len, &emb)) {
		/* the embedded item has no id of its own and no attachments of its own (none are kept) */
		unsigned props = (EWSD_P_CLASS | EWSD_P_SUBJECT | EWSD_P_BODY | EWSD_P_RECEIVED | EWSD_P_SIZE |
				  EWSD_P_IMPORTANCE | EWSD_P_READ | EWSD_P_FROM | EWSD_P_TO | EWSD_P_CC | EWSD_P_SENT |
				  EWSD_P_CREATED | EWSD_P_START | EWSD_P_END | EWSD_P_LOCATION | EWSD_P_ORGANIZER |
				  EWSD_P_CONTACT | EWSD_P_TASK | EWSD_P_CATEGORIES | EWSD_P_HASATT);
		emb.id = 0;
		if (emb.kind == EWSD_DISTLIST)   /* goes out as the generic Item: only ItemType's members */
			emb.kind = EWSD_MESSAGE;
		emb.mailbox_id = root->mailbox_id;
		ewsd_put_item(soap, &emb, props, &p->__union_ItemAttachmentType,
			      (void **)&p->union_ItemAttachmentType.Message, embedded_sels);
	}
	*selector = sel_item;
	*slot = p;
}

struct ewstype__NonEmptyArrayOfAttachmentsType *ewsd_attach_item_list(struct soap *soap, const struct ewsd_item *it)
{
	struct ewsd_attachment *a;
	int n = it->id ? ewsd_attach_list(soap, ewsd_req(soap)->db, it->id, 0, &a) : 0;
	if (n <= 0)
		return NULL;
	struct ewstype__NonEmptyArrayOfAttachmentsType *arr = EWSD_NEW(soap, struct ewstype__NonEmptyArrayOfAttachmentsType);
	arr->__size_NonEmptyArrayOfAttachmentsType = n;
	arr->__union_NonEmptyArrayOfAttachmentsType =
		ewsd_zalloc(soap, sizeof *arr->__union_NonEmptyArrayOfAttachmentsType * (size_t)n);
	for (int i = 0; i < n; i++)
		ewsd_attach_put(soap, it, &a[i], 0,
				&arr->__union_NonEmptyArrayOfAttachmentsType[i].__union_NonEmptyArrayOfAttachmentsType,
				(void **)&arr->__union_NonEmptyArrayOfAttachmentsType[i]
					.union_NonEmptyArrayOfAttachmentsType.FileAttachment,
				SOAP_UNION__ewstype__union_NonEmptyArrayOfAttachmentsType_ItemAttachment,
				SOAP_UNION__ewstype__union_NonEmptyArrayOfAttachmentsType_FileAttachment);
	return arr;
}

/* CreateItem's answer names each attachment it stored by its AttachmentId alone (the add-attachments page's
 * response): a client matches them to the attachments it sent, in order. NULL when the item has none. */
struct ewstype__NonEmptyArrayOfAttachmentsType *ewsd_attach_id_list(struct soap *soap, const struct ewsd_item *it)
{
	struct ewstype__NonEmptyArrayOfAttachmentsType *arr = ewsd_attach_item_list(soap, it);
	for (int i = 0; arr && i < arr->__size_NonEmptyArrayOfAttachmentsType; i++) {
		struct __ewstype__union_NonEmptyArrayOfAttachmentsType *u = &arr->__union_NonEmptyArrayOfAttachmentsType[i];
		if (u->__union_NonEmptyArrayOfAttachmentsType == SOAP_UNION__ewstype__union_NonEmptyArrayOfAttachmentsType_FileAttachment) {
			struct ewstype__FileAttachmentType *f = EWSD_NEW(soap, struct ewstype__FileAttachmentType);
			f->AttachmentId = u->union_NonEmptyArrayOfAttachmentsType.FileAttachment->AttachmentId;
			u->union_NonEmptyArrayOfAttachmentsType.FileAttachment = f;
		} else {
			struct ewstype__ItemAttachmentType *t = EWSD_NEW(soap, struct ewstype__ItemAttachmentType);
			t->AttachmentId = u->union_NonEmptyArrayOfAttachmentsType.ItemAttachment->AttachmentId;
			u->union_NonEmptyArrayOfAttachmentsType.ItemAttachment = t;
		}
	}
	return arr;
}

/* ---- requests ---- */

/* The content type Exchange gives a file attachment created without one: from the name's extension. */
static const char *type_from_name(const char *name)
{
	static const struct { const char *ext, *type; } map[] = {
		{ ".txt", "text/plain" }, { ".htm", "text/html" }, { ".html", "text/html" }, { ".csv", "text/csv" },
		{ ".xml", "text/xml" }, { ".png", "image/png" }, { ".jpg", "image/jpeg" }, { ".jpeg", "image/jpeg" },
		{ ".gif", "image/gif" }, { ".pdf", "application/pdf" }, { ".zip", "application/x-zip-compressed" },
		{ ".eml", "message/rfc822" }, { ".ics", "text/calendar" },
	};
	const char *dot = name ? strrchr(name, '.') : NULL;
	for (size_t i = 0; dot && i < sizeof map / sizeof map[0]; i++)
		if (!strcasecmp(dot, map[i].ext))
			return map[i].type;
	return "application/octet-stream";
}

const char *ewsd_attach_from_request(struct soap *soap, int is_item, void *ptr, struct ewsd_attachment *a,
				     const char **field)
{
	char now[32];
	*field = NULL;
	memset(a, 0, sizeof *a);
	ewsd_now(now);
	a->last_modified = soap_strdup(soap, now);
	if (!is_item) {
		struct ewstype__FileAttachmentType *f = ptr;
		if (!f || !f->Name || !*f->Name)
			return *field = "attachment:Name", "ErrorRequiredPropertyMissing";
		if (!f->Content)
			return *field = "attachment:Content", "ErrorRequiredPropertyMissing";
		a->name = f->Name;
		a->content_type = f->ContentType ? f->ContentType : type_from_name(f->Name);
		a->content_id = f->ContentId;
		a->is_inline = REQUEST_FLAG(f, IsInline);
		a->is_contact_photo = REQUEST_FLAG(f, IsContactPhoto);
		a->content = f->Content->__ptr;
		a->content_len = f->Content->__size > 0 ? (size_t)f->Content->__size : 0;
		a->size = (int64_t)a->content_len;
	} else {
		struct ewstype__ItemAttachmentType *ia = ptr;
		struct ewsd_item emb;
		size_t n;
		if (!ia || !ia->Name || !*ia->Name)
			return *field = "attachment:Name", "ErrorRequiredPropertyMissing";
		memset(&emb, 0, sizeof emb);
		emb.importance = 1;
		if (!ia->__union_ItemAttachmentType)
			return "ErrorMissingItemForCreateItemAttachment";
		if (ewsd_item_from_request(soap, ia->__union_ItemAttachmentType, ia->union_ItemAttachmentType.Message,
					   embedded_in_sels, &emb))
			return "ErrorInvalidItemForOperationCreateItemAttachment";
		/* its kept properties (Sensitivity, Culture, reminders, extended ones ...), stored beside the attachment */
		struct ewsd_prop_changes *pc = EWSD_NEW(soap, struct ewsd_prop_changes);
		if (!pc)
			return "ErrorInternalServerError";
		ewsd_props_from_item(soap, ia->union_ItemAttachmentType.Message,
				     ia->__union_ItemAttachmentType == SOAP_UNION__ewstype__union_ItemAttachmentType_CalendarItem,
				     pc);
		if (ia->__union_ItemAttachmentType == SOAP_UNION__ewstype__union_ItemAttachmentType_Contact)
			ewsd_contact_props_from_item(soap, ia->union_ItemAttachmentType.Contact, pc);
		a->embedded_props = pc->n ? pc : NULL;
		if (!emb.created)
			emb.created = a->last_modified;
		a->is_item = 1;
		a->name = ia->Name;
		a->content_type = ia->ContentType;
		a->content_id = ia->ContentId;
		a->is_inline = REQUEST_FLAG(ia, IsInline);
		if (!(a->content = ewsd_export_blob(soap, &emb, &n)))
			return "ErrorInternalServerError";
		a->content_len = n;
		a->size = (int64_t)n;
	}
	if (a->size > ewsd_cfg.max_attachment)
		return "ErrorAttachmentSizeLimitExceeded";
	return NULL;
}

const char *ewsd_attach_add(struct soap *soap, struct ewsd_item *root, struct ewsd_attachment *a)
{
	sqlite3 *db = ewsd_req(soap)->db;
	a->item_id = root->id;
	root->size += a->size;
	if (ewsd_attach_insert(db, a) || ewsd_item_update(db, root, 0) ||
	    (a->embedded_props && ewsd_prop_changes_apply(db, ewsd_attach_props_id(a->id), a->embedded_props)))
		return "ErrorInternalServerError";
	return NULL;
}

/* ---- ExportItems data: the attachments after the item's properties ---- */

int ewsd_attach_blob_put(struct soap *soap, int64_t item_id, struct ewsd_buf *b)
{
	struct ewsd_attachment *a;
	int k = item_id ? ewsd_attach_list(soap, ewsd_req(soap)->db, item_id, 1, &a) : 0;
	if (k <= 0)
		return k < 0 ? -1 : 0;
	size_t at = b->n;
	ewsd_buf_put_u32(b, 0); /* the part's length, filled in below */
	ewsd_buf_put_u32(b, (uint32_t)k);
	for (int i = 0; i < k; i++) {
		ewsd_buf_put_u32(b, (uint32_t)a[i].is_item);
		ewsd_buf_put_str(b, a[i].name);
		ewsd_buf_put_str(b, a[i].content_type);
		ewsd_buf_put_str(b, a[i].content_id);
		ewsd_buf_put_u32(b, (uint32_t)a[i].is_inline);
		ewsd_buf_put_u32(b, (uint32_t)a[i].is_contact_photo);
		ewsd_buf_put_str(b, a[i].last_modified);
		ewsd_buf_put_bytes(b, a[i].content, a[i].content_len, 0);
	}
	if (b->failed)
		return -1;
	size_t len = b->n - at - 4;
	b->p[at] = (unsigned char)(len >> 24), b->p[at + 1] = (unsigned char)(len >> 16);
	b->p[at + 2] = (unsigned char)(len >> 8), b->p[at + 3] = (unsigned char)len;
	return 1;
}

struct areader {
	const unsigned char *p;
	size_t n, at;
	int bad;
};

static uint32_t get_u32(struct areader *r)
{
	uint32_t v;
	if (r->at + 4 > r->n) {
		r->bad = 1;
		return 0;
	}
	v = (uint32_t)r->p[r->at] << 24 | (uint32_t)r->p[r->at + 1] << 16 | (uint32_t)r->p[r->at + 2] << 8 |
	    r->p[r->at + 3];
	r->at += 4;
	return v;
}

static const unsigned char *get_bytes(struct soap *soap, struct areader *r, size_t *len, int text)
{
	uint32_t n = get_u32(r);
	unsigned char *s;
	*len = 0;
	if (r->bad || n == 0xffffffffu)
		return NULL;
	if (n > r->n - r->at || (text && memchr(r->p + r->at, 0, n))) {
		r->bad = 1;
		return NULL;
	}
	s = soap_malloc(soap, (size_t)n + 1);
	memcpy(s, r->p + r->at, n);
	s[n] = '\0';
	r->at += n;
	*len = n;
	return s;
}

static const char *get_str(struct soap *soap, struct areader *r)
{
	size_t n;
	return (const char *)get_bytes(soap, r, &n, 1);
}

int ewsd_attach_parse(struct soap *soap, const unsigned char *p, size_t n, struct ewsd_attachment **out, int *count)
{
	struct areader r = { p, n, 0, 0 };
	uint32_t k = get_u32(&r);
	*out = NULL;
	*count = 0;
	if (r.bad || k > n / 16)
		return -1;
	struct ewsd_attachment *a = ewsd_zalloc(soap, sizeof *a * (k ? k : 1));
	for (uint32_t i = 0; i < k && !r.bad; i++) {
		a[i].is_item = get_u32(&r) != 0;
		a[i].name = get_str(soap, &r);
		a[i].content_type = get_str(soap, &r);
		a[i].content_id = get_str(soap, &r);
		a[i].is_inline = get_u32(&r) != 0;
		a[i].is_contact_photo = get_u32(&r) != 0;
		a[i].last_modified = get_str(soap, &r);
		a[i].content = get_bytes(soap, &r, &a[i].content_len, 0);
		a[i].size = (int64_t)a[i].content_len;
		if (!a[i].content && !r.bad)
			r.bad = 1;
	}
	if (r.bad || r.at != r.n)
		return -1;
	*out = a;
	*count = (int)k;
	return 0;
}

int ewsd_attach_replace(sqlite3 *db, int64_t item_id, struct ewsd_attachment *a, int count)
{
	if (ewsd_attach_delete_item(db, item_id))
		return -1;
	for (int i = 0; i < count; i++) {
		a[i].item_id = item_id;
		if (ewsd_attach_insert(db, &a[i]))
			return -1;
	}
	return 0;
}
