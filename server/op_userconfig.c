/* op_userconfig.c — Create/Get/Update/DeleteUserConfiguration (MS-OXWSUSRCFG): named settings a client keeps on a
 * folder. As in Exchange, a user configuration object is an associated (FAI) item of that folder whose item class
 * is IPM.Configuration.<Name>; FindItem with Traversal="Associated" lists it. Its three parts are kept beside the
 * item in item_props: the typed dictionary (encoded below), the XML data and the binary data, as bytes.
 *
 * Exchange's rules, as its reference pages and clients show them: a name of 1-236 characters from A-Z, a-z, 0-9 and
 * "." that does not start with "IPM.Configuration"; one object per name and folder (a second CreateUserConfiguration
 * is ErrorItemSave); a name the folder does not hold is ErrorItemNotFound; UpdateUserConfiguration replaces the
 * parts it sends and keeps the others; GetUserConfiguration returns the parts UserConfigurationProperties names. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ewsd.h"

/* The four UserConfiguration operations came with Exchange 2010: an Exchange2007_SP1 set has none of them */
#ifdef SOAP_TYPE_ewsmsg__GetUserConfigurationType

#define CLASS_PREFIX "IPM.Configuration."
#define PROP_DICT "UserConfiguration.Dictionary"
#define PROP_XML "UserConfiguration.XmlData"
#define PROP_BIN "UserConfiguration.BinaryData"

/* ---- the name and the folder ---- */

static int name_valid(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > 236 || !strncasecmp(name, "IPM.Configuration", 17))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '.')
			return 0;
	return 1;
}

/* The folder the name points at, and the object's item id there (0 when there is none). NULL or an error code. */
static const char *locate(struct soap *soap, struct ewstype__UserConfigurationNameType *un, struct ewsd_folder *folder,
			  int64_t *item)
{
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewstype__TargetFolderIdType target;
	sqlite3_stmt *st;
	const char *err;

	*item = 0;
	if (!un || !name_valid(un->Name))
		return "ErrorInvalidRequest";
	/* the name's folder choice is TargetFolderIdType's, in a union type of its own */
	memset(&target, 0, sizeof target);
	switch (un->__union_UserConfigurationNameType) {
	case SOAP_UNION__ewstype__union_UserConfigurationNameType_FolderId:
		target.__union_TargetFolderIdType = SOAP_UNION__ewstype__union_TargetFolderIdType_FolderId;
		target.union_TargetFolderIdType.FolderId = un->union_UserConfigurationNameType.FolderId;
		break;
	case SOAP_UNION__ewstype__union_UserConfigurationNameType_DistinguishedFolderId:
		target.__union_TargetFolderIdType = SOAP_UNION__ewstype__union_TargetFolderIdType_DistinguishedFolderId;
		target.union_TargetFolderIdType.DistinguishedFolderId =
			un->union_UserConfigurationNameType.DistinguishedFolderId;
		break;
	default:
		return "ErrorInvalidRequest";   /* an address list holds no configuration objects */
	}
	if ((err = ewsd_resolve_target(soap, &target, folder)))
		return err;
	if (sqlite3_prepare_v2(rq->db, "SELECT id FROM items WHERE folder_id=? AND is_associated=1 AND "
				       "item_class=? COLLATE NOCASE", -1, &st, NULL) != SQLITE_OK)
		return "ErrorInternalServerError";
	sqlite3_bind_int64(st, 1, folder->id);
	char *cls = soap_malloc(soap, sizeof CLASS_PREFIX + strlen(un->Name));
	sprintf(cls, "%s%s", CLASS_PREFIX, un->Name);
	sqlite3_bind_text(st, 2, cls, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		*item = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return NULL;
}

/* ---- the dictionary, kept as netstrings ("LEN:BYTES,") so that any text survives: per entry the key's type,
 * its value count and values, then "1" for a nil value or "0" followed by the value's type, count and values ---- */

struct buf {
	char *p;
	size_t len, cap;
	int oom;
};

static void put(struct buf *b, const char *s, size_t n)
{
	char head[24];
	int h = snprintf(head, sizeof head, "%zu:", n);
	size_t need = b->len + (size_t)h + n + 1;
	if (b->oom)
		return;
	if (need > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		while (cap < need)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->oom = 1;
			return;
		}
		b->p = p, b->cap = cap;
	}
	memcpy(b->p + b->len, head, (size_t)h);
	memcpy(b->p + b->len + h, s, n);
	b->len += (size_t)h + n;
	b->p[b->len++] = ',';
}

static void put_str(struct buf *b, const char *s)
{
	put(b, s ? s : "", s ? strlen(s) : 0);
}

static void put_object(struct soap *soap, struct buf *b, const struct ewstype__UserConfigurationDictionaryObjectType *o)
{
	char count[16];
	put_str(b, soap_ewstype__UserConfigurationDictionaryObjectTypesType2s(soap, o->Type));
	snprintf(count, sizeof count, "%d", o->__sizeValue);
	put_str(b, count);
	for (int i = 0; i < o->__sizeValue; i++)
		put_str(b, o->Value[i]);
}

/* Read one netstring at *p (below end) into soap memory; NULL when the bytes are not one. */
static char *take(struct soap *soap, const char **p, const char *end)
{
	char *colon;
	unsigned long n = strtoul(*p, &colon, 10);
	if (colon >= end || *colon != ':' || n > (unsigned long)(end - colon - 2) || colon[1 + n] != ',')
		return NULL;
	char *s = soap_malloc(soap, n + 1);
	if (!s)
		return NULL;
	memcpy(s, colon + 1, n);
	s[n] = '\0';
	*p = colon + 2 + n;
	return s;
}

static struct ewstype__UserConfigurationDictionaryObjectType *take_object(struct soap *soap, const char **p,
									   const char *end)
{
	struct ewstype__UserConfigurationDictionaryObjectType *o =
		EWSD_NEW(soap, struct ewstype__UserConfigurationDictionaryObjectType);
	char *type = take(soap, p, end), *count = type ? take(soap, p, end) : NULL;
	if (!count || soap_s2ewstype__UserConfigurationDictionaryObjectTypesType(soap, type, &o->Type))
		return NULL;
	o->__sizeValue = atoi(count);
	if (o->__sizeValue < 0 || o->__sizeValue > end - *p)
		return NULL;
	o->Value = soap_malloc(soap, sizeof(char *) * (size_t)(o->__sizeValue ? o->__sizeValue : 1));
	for (int i = 0; i < o->__sizeValue; i++)
		if (!(o->Value[i] = take(soap, p, end)))
			return NULL;
	return o;
}

static struct ewstype__UserConfigurationDictionaryType *dictionary_read(struct soap *soap, const char *p, size_t n)
{
	struct ewstype__UserConfigurationDictionaryType *d = EWSD_NEW(soap, struct ewstype__UserConfigurationDictionaryType);
	const char *end = p + n;
	int cap = 0;
	while (p < end) {
		if (d->__sizeDictionaryEntry == cap) {
			struct ewstype__UserConfigurationDictionaryEntryType *grown =
				soap_malloc(soap, sizeof *grown * (size_t)(cap = cap ? cap * 2 : 8));
			if (!grown)
				return NULL;
			if (d->__sizeDictionaryEntry)
				memcpy(grown, d->DictionaryEntry, sizeof *grown * (size_t)d->__sizeDictionaryEntry);
			d->DictionaryEntry = grown;
		}
		struct ewstype__UserConfigurationDictionaryEntryType *e = &d->DictionaryEntry[d->__sizeDictionaryEntry];
		memset(e, 0, sizeof *e);
		char *nil;
		if (!(e->DictionaryKey = take_object(soap, &p, end)) || !(nil = take(soap, &p, end)))
			return NULL;
		if (strcmp(nil, "1") && !(e->DictionaryValue = take_object(soap, &p, end)))
			return NULL;
		d->__sizeDictionaryEntry++;
	}
	return d;
}

/* ---- storage of the three parts ---- */

static int prop_put(sqlite3 *db, int64_t item, const char *name, const void *data, size_t n)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO item_props(item_id,name,value) VALUES(?,?,?)", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, item);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, n ? data : "", (int)n, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The part's bytes (soap memory, NUL-terminated) in *data and *n; 0 found, 1 not kept, -1 store failure. */
static int prop_get(struct soap *soap, sqlite3 *db, int64_t item, const char *name, unsigned char **data, int *n)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(db, "SELECT value FROM item_props WHERE item_id=? AND name=?", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, item);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*n = sqlite3_column_bytes(st, 0);
		*data = soap_malloc(soap, (size_t)*n + 1);
		if (*data) {
			memcpy(*data, sqlite3_column_blob(st, 0), (size_t)*n);
			(*data)[*n] = '\0';
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? (*data ? 0 : -1) : rc == SQLITE_DONE ? 1 : -1;
}

/* Store the parts the request carries; the others stay as they are. */
static int store_parts(struct soap *soap, sqlite3 *db, int64_t item, const struct ewstype__UserConfigurationType *uc)
{
	if (uc->Dictionary) {
		struct buf b = { 0 };
		for (int i = 0; i < uc->Dictionary->__sizeDictionaryEntry; i++) {
			const struct ewstype__UserConfigurationDictionaryEntryType *e = &uc->Dictionary->DictionaryEntry[i];
			if (e->DictionaryKey)
				put_object(soap, &b, e->DictionaryKey);
			put_str(&b, e->DictionaryValue ? "0" : "1");
			if (e->DictionaryValue)
				put_object(soap, &b, e->DictionaryValue);
		}
		int rc = b.oom ? -1 : prop_put(db, item, PROP_DICT, b.p, b.len);
		free(b.p);
		if (rc)
			return -1;
	}
	if (uc->XmlData && prop_put(db, item, PROP_XML, uc->XmlData->__ptr, (size_t)uc->XmlData->__size))
		return -1;
	if (uc->BinaryData && prop_put(db, item, PROP_BIN, uc->BinaryData->__ptr, (size_t)uc->BinaryData->__size))
		return -1;
	return 0;
}

/* A request's dictionary entries each need a key (the schema's minOccurs="1"; gSOAP outside strict mode lets a
 * missing one through) — and Exchange refuses a key twice. */
static const char *dictionary_check(const struct ewstype__UserConfigurationType *uc)
{
	const struct ewstype__UserConfigurationDictionaryType *d = uc->Dictionary;
	for (int i = 0; d && i < d->__sizeDictionaryEntry; i++) {
		const struct ewstype__UserConfigurationDictionaryObjectType *k = d->DictionaryEntry[i].DictionaryKey;
		if (!k || k->__sizeValue < 1)
			return "ErrorSchemaValidation";
		for (int j = 0; j < i; j++) {
			const struct ewstype__UserConfigurationDictionaryObjectType *o = d->DictionaryEntry[j].DictionaryKey;
			int same = o->Type == k->Type && o->__sizeValue == k->__sizeValue;
			for (int v = 0; same && v < k->__sizeValue; v++)
				same = !strcmp(o->Value[v] ? o->Value[v] : "", k->Value[v] ? k->Value[v] : "");
			if (same)
				return "ErrorInvalidRequest";
		}
	}
	return NULL;
}

/* ---- the operations ---- */

static const char *create_one(struct soap *soap, struct ewstype__UserConfigurationType *uc)
{
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewsd_folder folder;
	struct ewsd_item it;
	int64_t existing;
	const char *err;

	if (!uc || !uc->UserConfigurationName)
		return "ErrorSchemaValidation";
	if ((err = locate(soap, uc->UserConfigurationName, &folder, &existing)) || (err = dictionary_check(uc)))
		return err;
	if (existing)
		return "ErrorItemSave";
	memset(&it, 0, sizeof it);
	it.mailbox_id = folder.mailbox_id;
	it.folder_id = folder.id;
	it.kind = EWSD_MESSAGE;
	char *cls = soap_malloc(soap, sizeof CLASS_PREFIX + strlen(uc->UserConfigurationName->Name));
	sprintf(cls, "%s%s", CLASS_PREFIX, uc->UserConfigurationName->Name);
	it.item_class = cls;
	it.subject = "";
	it.body = "";
	char *now = soap_malloc(soap, 32);
	ewsd_now(now);
	it.received = it.sent = it.created = now;
	it.importance = 1;
	it.is_read = 1;
	it.is_associated = 1;
	if (ewsd_begin(rq->db))
		return "ErrorInternalServerError";
	if (ewsd_item_insert(rq->db, &it) || store_parts(soap, rq->db, it.id, uc) || ewsd_commit(rq->db)) {
		ewsd_rollback(rq->db);
		return "ErrorInternalServerError";
	}
	return NULL;
}

static const char *update_one(struct soap *soap, struct ewstype__UserConfigurationType *uc)
{
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewsd_folder folder;
	struct ewsd_item it;
	int64_t item;
	const char *err;

	if (!uc || !uc->UserConfigurationName)
		return "ErrorSchemaValidation";
	if ((err = locate(soap, uc->UserConfigurationName, &folder, &item)) || (err = dictionary_check(uc)))
		return err;
	if (!item)
		return "ErrorItemNotFound";
	if (ewsd_begin(rq->db))
		return "ErrorInternalServerError";
	/* a new change number: the object's ChangeKey moves and SyncFolderItems (associated) reports the update */
	if (ewsd_item_get(soap, rq->db, item, &it) || ewsd_item_update(rq->db, &it, 0) ||
	    store_parts(soap, rq->db, item, uc) || ewsd_commit(rq->db)) {
		ewsd_rollback(rq->db);
		return "ErrorInternalServerError";
	}
	return NULL;
}

static const char *delete_one(struct soap *soap, struct ewstype__UserConfigurationNameType *un)
{
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewsd_folder folder;
	int64_t item;
	const char *err;

	if ((err = locate(soap, un, &folder, &item)))
		return err;
	if (!item)
		return "ErrorItemNotFound";
	if (ewsd_begin(rq->db))
		return "ErrorInternalServerError";
	if (ewsd_item_delete(rq->db, item) || ewsd_commit(rq->db)) {
		ewsd_rollback(rq->db);
		return "ErrorInternalServerError";
	}
	return NULL;
}

static struct xsd__base64Binary *bytes(struct soap *soap, unsigned char *data, int n)
{
	struct xsd__base64Binary *b = EWSD_NEW(soap, struct xsd__base64Binary);
	b->__ptr = data;
	b->__size = n;
	return b;
}

static const char *get_one(struct soap *soap, struct ewsmsg__GetUserConfigurationType *req,
			   struct ewstype__UserConfigurationType **out)
{
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewsd_folder folder;
	int64_t item;
	const char *err;
	unsigned char *data;
	int n, rc;
	LONG64 want = req->UserConfigurationProperties;

	if ((err = locate(soap, req->UserConfigurationName, &folder, &item)))
		return err;
	if (!item)
		return "ErrorItemNotFound";
	if (want & ewstype__UserConfigurationPropertyType__All)
		want |= ewstype__UserConfigurationPropertyType__Id | ewstype__UserConfigurationPropertyType__Dictionary |
			ewstype__UserConfigurationPropertyType__XmlData | ewstype__UserConfigurationPropertyType__BinaryData;
	struct ewstype__UserConfigurationType *uc = EWSD_NEW(soap, struct ewstype__UserConfigurationType);
	uc->UserConfigurationName = req->UserConfigurationName;
	if (want & ewstype__UserConfigurationPropertyType__Id) {
		struct ewsd_item it;
		if (ewsd_item_get(soap, rq->db, item, &it))
			return "ErrorInternalServerError";
		uc->ItemId = ewsd_item_id(soap, &it);
	}
	if (want & ewstype__UserConfigurationPropertyType__Dictionary) {
		if ((rc = prop_get(soap, rq->db, item, PROP_DICT, &data, &n)) < 0)
			return "ErrorInternalServerError";
		/* an object created without a dictionary has an empty one, as Exchange answers */
		uc->Dictionary = rc ? EWSD_NEW(soap, struct ewstype__UserConfigurationDictionaryType)
				    : dictionary_read(soap, (const char *)data, (size_t)n);
		if (!uc->Dictionary)
			return "ErrorCorruptData";
	}
	if (want & ewstype__UserConfigurationPropertyType__XmlData) {
		if ((rc = prop_get(soap, rq->db, item, PROP_XML, &data, &n)) < 0)
			return "ErrorInternalServerError";
		uc->XmlData = rc ? NULL : bytes(soap, data, n);
	}
	if (want & ewstype__UserConfigurationPropertyType__BinaryData) {
		if ((rc = prop_get(soap, rq->db, item, PROP_BIN, &data, &n)) < 0)
			return "ErrorInternalServerError";
		uc->BinaryData = rc ? NULL : bytes(soap, data, n);
	}
	*out = uc;
	return NULL;
}

/* One response message of the generic ResponseMessageType in arm `sel` of the response's array. */
static struct ewsmsg__ArrayOfResponseMessagesType *one_result(struct soap *soap, int sel, const char *err)
{
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, 1);
	struct ewsmsg__ResponseMessageType *m = EWSD_NEW(soap, struct ewsmsg__ResponseMessageType);
	EWSD_SET_RESULT(soap, m, ResponseMessageType, err ? err : "NoError");
	msgs->__union_ArrayOfResponseMessagesType[0].__union_ArrayOfResponseMessagesType = sel;
	/* the three generic arms share ResponseMessageType: any of them holds the pointer */
	msgs->__union_ArrayOfResponseMessagesType[0].union_ArrayOfResponseMessagesType.CreateUserConfigurationResponseMessage = m;
	return msgs;
}

int __ewsmsg__CreateUserConfiguration(struct soap *soap, struct ewsmsg__CreateUserConfigurationType *req,
				      struct __ewsmsg__CreateUserConfigurationResponse *resp)
{
	int rc = ewsd_begin_op(soap, "CreateUserConfiguration", req);
	if (rc)
		return rc;
	resp->ewsmsg__CreateUserConfigurationResponse = EWSD_NEW(soap, struct ewsmsg__CreateUserConfigurationResponseType);
	resp->ewsmsg__CreateUserConfigurationResponse->ResponseMessages = one_result(
		soap, SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_CreateUserConfigurationResponseMessage,
		create_one(soap, req->UserConfiguration));
	return SOAP_OK;
}

int __ewsmsg__UpdateUserConfiguration(struct soap *soap, struct ewsmsg__UpdateUserConfigurationType *req,
				      struct __ewsmsg__UpdateUserConfigurationResponse *resp)
{
	int rc = ewsd_begin_op(soap, "UpdateUserConfiguration", req);
	if (rc)
		return rc;
	resp->ewsmsg__UpdateUserConfigurationResponse = EWSD_NEW(soap, struct ewsmsg__UpdateUserConfigurationResponseType);
	resp->ewsmsg__UpdateUserConfigurationResponse->ResponseMessages = one_result(
		soap, SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_UpdateUserConfigurationResponseMessage,
		update_one(soap, req->UserConfiguration));
	return SOAP_OK;
}

int __ewsmsg__DeleteUserConfiguration(struct soap *soap, struct ewsmsg__DeleteUserConfigurationType *req,
				      struct __ewsmsg__DeleteUserConfigurationResponse *resp)
{
	int rc = ewsd_begin_op(soap, "DeleteUserConfiguration", req);
	if (rc)
		return rc;
	resp->ewsmsg__DeleteUserConfigurationResponse = EWSD_NEW(soap, struct ewsmsg__DeleteUserConfigurationResponseType);
	resp->ewsmsg__DeleteUserConfigurationResponse->ResponseMessages = one_result(
		soap, SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_DeleteUserConfigurationResponseMessage,
		delete_one(soap, req->UserConfigurationName));
	return SOAP_OK;
}

int __ewsmsg__GetUserConfiguration(struct soap *soap, struct ewsmsg__GetUserConfigurationType *req,
				   struct __ewsmsg__GetUserConfigurationResponse *resp)
{
	int rc = ewsd_begin_op(soap, "GetUserConfiguration", req);
	if (rc)
		return rc;
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, 1);
	struct ewsmsg__GetUserConfigurationResponseMessageType *m =
		EWSD_NEW(soap, struct ewsmsg__GetUserConfigurationResponseMessageType);
	struct ewstype__UserConfigurationType *uc = NULL;
	const char *err = get_one(soap, req, &uc);
	EWSD_SET_RESULT(soap, m, GetUserConfigurationResponseMessageType, err ? err : "NoError");
	m->UserConfiguration = err ? NULL : uc;
	msgs->__union_ArrayOfResponseMessagesType[0].__union_ArrayOfResponseMessagesType =
		SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_GetUserConfigurationResponseMessage;
	msgs->__union_ArrayOfResponseMessagesType[0].union_ArrayOfResponseMessagesType.GetUserConfigurationResponseMessage = m;
	resp->ewsmsg__GetUserConfigurationResponse = EWSD_NEW(soap, struct ewsmsg__GetUserConfigurationResponseType);
	resp->ewsmsg__GetUserConfigurationResponse->ResponseMessages = msgs;
	return SOAP_OK;
}

#endif /* SOAP_TYPE_ewsmsg__GetUserConfigurationType */
