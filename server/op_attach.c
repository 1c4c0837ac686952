/* op_attach.c — CreateAttachment, GetAttachment, DeleteAttachment, and CreateItem's attachments.
 *
 * As Exchange answers them (the operation pages and their examples in shared/ews-corpus): one response message
 * per attachment, each failing on its own; CreateAttachment answers each new attachment's AttachmentId with
 * RootItemId and the root item's new RootItemChangeKey (every attachment added is a save of the item), an error
 * message keeps an empty Attachments element; DeleteAttachment answers RootItemId with the new ChangeKey;
 * GetAttachment answers the attachment with its content (a file's bytes, an item attachment's item).
 */
#include <string.h>

#include "ewsd.h"

/* A response message of the attachment operations in slot i. */
static void *attach_message(struct soap *soap, struct ewsmsg__ArrayOfResponseMessagesType *msgs, int i, int selector,
			    size_t size)
{
	void *m = ewsd_zalloc(soap, size);
	msgs->__union_ArrayOfResponseMessagesType[i].__union_ArrayOfResponseMessagesType = selector;
	/* every member of the union is a pointer to a response message type */
	msgs->__union_ArrayOfResponseMessagesType[i].union_ArrayOfResponseMessagesType.GetItemResponseMessage = m;
	return m;
}

/* <t:ExceptionFieldURI FieldURI="..."/> as Exchange names a missing property in MessageXml. */
static void field_uri_xml(struct soap *soap, struct ewsmsg__AttachmentInfoResponseMessageType *m, const char *uri)
{
	struct soap_dom_element *e =
		soap_elt_new(soap, "http://schemas.microsoft.com/exchange/services/2006/types", "ExceptionFieldURI");
	soap_att_text(soap_att(e, NULL, "FieldURI"), uri);
	m->__AttachmentInfoResponseMessageType_sequence->MessageXml =
		EWSD_NEW(soap, struct _ewsmsg__AttachmentInfoResponseMessageType_MessageXml);
	m->__AttachmentInfoResponseMessageType_sequence->MessageXml->__size = 1;
	m->__AttachmentInfoResponseMessageType_sequence->MessageXml->__any = e;
}

static struct ewstype__ArrayOfAttachmentsType *one_attachment(struct soap *soap, const struct ewsd_item *root,
							     const struct ewsd_attachment *a, int full)
{
	struct ewstype__ArrayOfAttachmentsType *arr = EWSD_NEW(soap, struct ewstype__ArrayOfAttachmentsType);
	arr->__size_ArrayOfAttachmentsType = 1;
	arr->__union_ArrayOfAttachmentsType = EWSD_NEW(soap, struct __ewstype__union_ArrayOfAttachmentsType);
	ewsd_attach_put(soap, root, a, full, &arr->__union_ArrayOfAttachmentsType->__union_ArrayOfAttachmentsType,
			(void **)&arr->__union_ArrayOfAttachmentsType->union_ArrayOfAttachmentsType.FileAttachment,
			SOAP_UNION__ewstype__union_ArrayOfAttachmentsType_ItemAttachment,
			SOAP_UNION__ewstype__union_ArrayOfAttachmentsType_FileAttachment);
	return arr;
}

/* CreateAttachment's answer for a new attachment: only its AttachmentId, with the root item and its ChangeKey. */
static struct ewstype__ArrayOfAttachmentsType *created(struct soap *soap, const struct ewsd_item *root,
						       const struct ewsd_attachment *a)
{
	struct ewstype__ArrayOfAttachmentsType *arr = EWSD_NEW(soap, struct ewstype__ArrayOfAttachmentsType);
	struct ewstype__AttachmentIdType *id = EWSD_NEW(soap, struct ewstype__AttachmentIdType);
	struct ewstype__ItemIdType *rid = ewsd_item_id(soap, root);
	id->Id = ewsd_attach_id_make(soap, root, a->id);
	id->RootItemId = rid->Id;
	id->RootItemChangeKey = rid->ChangeKey;
	arr->__size_ArrayOfAttachmentsType = 1;
	arr->__union_ArrayOfAttachmentsType = EWSD_NEW(soap, struct __ewstype__union_ArrayOfAttachmentsType);
	if (a->is_item) {
		struct ewstype__ItemAttachmentType *p = EWSD_NEW(soap, struct ewstype__ItemAttachmentType);
		p->AttachmentId = id;
		arr->__union_ArrayOfAttachmentsType->__union_ArrayOfAttachmentsType =
			SOAP_UNION__ewstype__union_ArrayOfAttachmentsType_ItemAttachment;
		arr->__union_ArrayOfAttachmentsType->union_ArrayOfAttachmentsType.ItemAttachment = p;
	} else {
		struct ewstype__FileAttachmentType *p = EWSD_NEW(soap, struct ewstype__FileAttachmentType);
		p->AttachmentId = id;
		arr->__union_ArrayOfAttachmentsType->__union_ArrayOfAttachmentsType =
			SOAP_UNION__ewstype__union_ArrayOfAttachmentsType_FileAttachment;
		arr->__union_ArrayOfAttachmentsType->union_ArrayOfAttachmentsType.FileAttachment = p;
	}
	return arr;
}

/* Which request attachment a union entry is: 0 file, 1 item, -1 neither (a ReferenceAttachment or unknown). */
static int request_kind(int selector, int sel_item, int sel_file)
{
	return selector == sel_file ? 0 : selector == sel_item ? 1 : -1;
}

int __ewsmsg__CreateAttachment(struct soap *soap, struct ewsmsg__CreateAttachmentType *req,
			       struct __ewsmsg__CreateAttachmentResponse *resp)
{
	int rc = ewsd_begin_op(soap, "CreateAttachment", req);
	if (rc)
		return rc;
	struct ewsd_request *rq = ewsd_req(soap);
	int n = req->Attachments ? req->Attachments->__size_NonEmptyArrayOfAttachmentsType : 0;
	struct ewsd_item root;
	const char *guid = NULL;
	const char *root_err = !req->ParentItemId ? "ErrorInvalidIdEmpty"
						  : ewsd_resolve_item(soap, req->ParentItemId->Id, NULL, 0, &root, &guid);
	resp->ewsmsg__CreateAttachmentResponse = EWSD_NEW(soap, struct ewsmsg__CreateAttachmentResponseType);
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, n);
	resp->ewsmsg__CreateAttachmentResponse->ResponseMessages = msgs;
	for (int i = 0; i < n; i++) {
		struct ewsmsg__AttachmentInfoResponseMessageType *m = attach_message(
			soap, msgs, i, SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_CreateAttachmentResponseMessage,
			sizeof *m);
		struct __ewstype__union_NonEmptyArrayOfAttachmentsType *u =
			&req->Attachments->__union_NonEmptyArrayOfAttachmentsType[i];
		struct ewsd_attachment a;
		const char *field = NULL, *err = root_err;
		int kind = request_kind(u->__union_NonEmptyArrayOfAttachmentsType,
					SOAP_UNION__ewstype__union_NonEmptyArrayOfAttachmentsType_ItemAttachment,
					SOAP_UNION__ewstype__union_NonEmptyArrayOfAttachmentsType_FileAttachment);
		if (!err && kind < 0)
			err = "ErrorInvalidRequest";     /* ReferenceAttachment: no cloud storage here */
		if (!err)
			err = ewsd_attach_from_request(soap, kind, u->union_NonEmptyArrayOfAttachmentsType.FileAttachment, &a,
						       &field);
		if (!err) {
			if (ewsd_begin(rq->db))
				err = "ErrorInternalServerError";
			else if ((err = ewsd_attach_add(soap, &root, &a)) || ewsd_commit(rq->db)) {
				ewsd_rollback(rq->db);
				err = err ? err : "ErrorInternalServerError";
			}
		}
		EWSD_SET_RESULT(soap, m, AttachmentInfoResponseMessageType, err ? err : "NoError");
		if (err) {
			m->Attachments = EWSD_NEW(soap, struct ewstype__ArrayOfAttachmentsType);   /* <m:Attachments/> */
			if (field)
				field_uri_xml(soap, m, field);
			else if (guid)
				EWSD_SET_VALUE(soap, m, AttachmentInfoResponseMessageType, "MailboxGuid", guid);
		} else {
			m->Attachments = created(soap, &root, &a);
		}
	}
	return SOAP_OK;
}

/* What GetAttachment or DeleteAttachment does with one attachment id once it is resolved: fill its response
 * message m (err: the code resolving gave, or NULL; guid: the other mailbox's GUID of ErrorNonExistentMailbox). */
typedef void per_attachment_fn(struct soap *soap, const void *ctx, void *m, const char *err, struct ewsd_item *root,
			       struct ewsd_attachment *a, const char *guid);

/* The per-id loop the two operations share: a response message of `selector` per id, the id resolved
 * (`content`: with the attachment's bytes), then the operation's own step. */
static void each_attachment_id(struct soap *soap, const struct ewstype__NonEmptyArrayOfRequestAttachmentIdsType *ids,
			       struct ewsmsg__ArrayOfResponseMessagesType *msgs, int selector, size_t size, int content,
			       per_attachment_fn *step, const void *ctx)
{
	int n = ids ? ids->__size_NonEmptyArrayOfRequestAttachmentIdsType : 0;
	for (int i = 0; i < n; i++) {
		void *m = attach_message(soap, msgs, i, selector, size);
		struct ewstype__RequestAttachmentIdType *rid =
			ids->__union_NonEmptyArrayOfRequestAttachmentIdsType[i].union_NonEmptyArrayOfRequestAttachmentIdsType.AttachmentId;
		struct ewsd_item root;
		struct ewsd_attachment a;
		const char *guid = NULL;
		const char *err = ewsd_attach_resolve(soap, rid ? rid->Id : NULL, &root, &a, content, &guid);
		step(soap, ctx, m, err, &root, &a, guid);
	}
}

/* The FieldURIs of AdditionalProperties an embedded item answers besides the columns ewsd_field_prop knows and the
 * kept properties (ewsd_prop_known): what ewsd_props_attach fills (a calendar item's series, a contact's
 * dictionaries) and item:MimeContent. */
static int embedded_field(const char *uri)
{
	static const char *const extra[] = {
		"item:MimeContent", "calendar:CalendarItemType", "calendar:IsRecurring", "calendar:Recurrence",
		"calendar:FirstOccurrence", "calendar:LastOccurrence", "calendar:ModifiedOccurrences",
		"calendar:DeletedOccurrences", "contacts:EmailAddresses", "contacts:PhysicalAddresses",
		"contacts:PhoneNumbers",
	};
	if (!uri || !strncmp(uri, "folder:", 7))
		return 0;
	if (ewsd_field_prop(uri) || ewsd_prop_known(uri))
		return 1;
	for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
		if (!strcmp(extra[i], uri))
			return 1;
	return 0;
}

/* The first path of AdditionalProperties an item attachment's item cannot answer (its FieldURI, soap-managed),
 * or NULL. Extended properties are answered from what the embedded item keeps; indexed paths are not. */
static const char *unsupported_path(struct soap *soap, const struct ewstype__NonEmptyArrayOfPathsToElementType *a)
{
	for (int i = 0; a && i < a->__size_NonEmptyArrayOfPathsToElementType; i++) {
		const struct __ewstype__union_NonEmptyArrayOfPathsToElementType *u =
			&a->__union_NonEmptyArrayOfPathsToElementType[i];
		const char *uri = NULL;
		switch (u->__union_NonEmptyArrayOfPathsToElementType) {
		case SOAP_UNION__ewstype__union_NonEmptyArrayOfPathsToElementType_FieldURI:
			if (u->union_NonEmptyArrayOfPathsToElementType.FieldURI)
				uri = soap_ewstype__UnindexedFieldURIType2s(
					soap, u->union_NonEmptyArrayOfPathsToElementType.FieldURI->FieldURI);
			if (!embedded_field(uri))
				return uri ? uri : "";
			break;
		case SOAP_UNION__ewstype__union_NonEmptyArrayOfPathsToElementType_IndexedFieldURI:
			if (u->union_NonEmptyArrayOfPathsToElementType.IndexedFieldURI)
				uri = soap_ewstype__DictionaryURIType2s(
					soap, u->union_NonEmptyArrayOfPathsToElementType.IndexedFieldURI->FieldURI);
			return uri ? uri : "";
		default:
			break;
		}
	}
	return NULL;
}

/* 1 when AdditionalProperties names item:MimeContent. */
static int names_mime(struct soap *soap, const struct ewstype__NonEmptyArrayOfPathsToElementType *a)
{
	for (int i = 0; a && i < a->__size_NonEmptyArrayOfPathsToElementType; i++) {
		const struct __ewstype__union_NonEmptyArrayOfPathsToElementType *u =
			&a->__union_NonEmptyArrayOfPathsToElementType[i];
		if (u->__union_NonEmptyArrayOfPathsToElementType ==
			    SOAP_UNION__ewstype__union_NonEmptyArrayOfPathsToElementType_FieldURI &&
		    u->union_NonEmptyArrayOfPathsToElementType.FieldURI) {
			const char *f = soap_ewstype__UnindexedFieldURIType2s(
				soap, u->union_NonEmptyArrayOfPathsToElementType.FieldURI->FieldURI);
			if (f && !strcmp(f, "item:MimeContent"))
				return 1;
		}
	}
	return 0;
}

/* The ewsd_kind of an embedded item by its ItemAttachmentType selector (a list goes out as the generic Item). */
static int embedded_kind(int selector)
{
	switch (selector) {
	case SOAP_UNION__ewstype__union_ItemAttachmentType_CalendarItem: return EWSD_CALENDAR;
	case SOAP_UNION__ewstype__union_ItemAttachmentType_MeetingRequest: return EWSD_MEETING_REQUEST;
	case SOAP_UNION__ewstype__union_ItemAttachmentType_Contact: return EWSD_CONTACT;
	case SOAP_UNION__ewstype__union_ItemAttachmentType_Task: return EWSD_TASK;
	default: return EWSD_MESSAGE;
	}
}

/* AttachmentShape on an item attachment's item, as ItemShape on GetItem's: BodyType (Text/HTML converted, Best as
 * stored), IncludeMimeContent or item:MimeContent (the embedded item's RFC 5322 form), and AdditionalProperties
 * through GetItem's own shape handling (ewsd_props_attach) on the properties the embedded item keeps (its kept
 * and extended properties, stored under ewsd_attach_props_id). File attachments have no such parts. */
static void apply_shape(struct soap *soap, struct ewstype__ArrayOfAttachmentsType *arr, const struct ewsd_item *root,
			const struct ewsd_attachment *a, const struct ewstype__AttachmentResponseShapeType *shape)
{
	struct ewstype__ItemAttachmentType *ia =
		shape && a->is_item && arr->__union_ArrayOfAttachmentsType->__union_ArrayOfAttachmentsType ==
			SOAP_UNION__ewstype__union_ArrayOfAttachmentsType_ItemAttachment
			? arr->__union_ArrayOfAttachmentsType->union_ArrayOfAttachmentsType.ItemAttachment : NULL;
	/* every item type begins with ItemType's members (wsdl2h -F flattens the base) */
	struct ewstype__ItemType *item = ia && ia->__union_ItemAttachmentType
		? (struct ewstype__ItemType *)ia->union_ItemAttachmentType.Message : NULL;
	if (!item)
		return;
	if (shape->BodyType && *shape->BodyType != ewstype__BodyTypeResponseType__Best && item->Body && item->Body->__item) {
		int want_html = *shape->BodyType == ewstype__BodyTypeResponseType__HTML;
		item->Body->__item = (char *)ewsd_body_as(soap, item->Body->__item,
							  item->Body->BodyType == ewstype__BodyTypeType__HTML, want_html);
		item->Body->BodyType = want_html ? ewstype__BodyTypeType__HTML : ewstype__BodyTypeType__Text;
	}
	if (shape->AdditionalProperties) {
		struct ewstype__ItemResponseShapeType ishape;
		memset(&ishape, 0, sizeof ishape);
		ishape.BaseShape = ewstype__DefaultShapeNamesType__IdOnly;     /* only what is named */
		ishape.AdditionalProperties = shape->AdditionalProperties;
		ewsd_props_attach(soap, ewsd_req(soap)->db, ewsd_attach_props_id(a->id),
				  embedded_kind(ia->__union_ItemAttachmentType), item, &ishape);
	}
	struct ewsd_item emb;
	if (((shape->IncludeMimeContent && *shape->IncludeMimeContent == xsd__boolean__true_) ||
	     names_mime(soap, shape->AdditionalProperties)) &&
	    !ewsd_import_blob(soap, a->content, a->content_len, &emb)) {
		emb.id = 0;         /* no row of its own: the MIME is built from its properties */
		emb.mailbox_id = root->mailbox_id;
		item->MimeContent = EWSD_NEW(soap, struct ewstype__MimeContentType);
		item->MimeContent->__item = ewsd_mime_content(soap, &emb);
		item->MimeContent->CharacterSet = soap_strdup(soap, "UTF-8");
	}
}

static void get_one(struct soap *soap, const void *ctx, void *msg, const char *err, struct ewsd_item *root,
		    struct ewsd_attachment *a, const char *guid)
{
	const struct ewstype__AttachmentResponseShapeType *shape = ctx;
	struct ewsmsg__AttachmentInfoResponseMessageType *m = msg;
	/* a path the embedded item cannot answer is refused, naming it, as Exchange refuses a property request */
	const char *bad = !err && a->is_item && shape ? unsupported_path(soap, shape->AdditionalProperties) : NULL;
	if (ewsd_req(soap)->fault_busy_msg)
		err = "ErrorServerBusy";
	else if (bad)
		err = "ErrorInvalidPropertyRequest";
	EWSD_SET_RESULT(soap, m, AttachmentInfoResponseMessageType, err ? err : "NoError");
	if (err) {
		m->Attachments = EWSD_NEW(soap, struct ewstype__ArrayOfAttachmentsType);
		if (bad)
			field_uri_xml(soap, m, bad);
		else if (guid)
			EWSD_SET_VALUE(soap, m, AttachmentInfoResponseMessageType, "MailboxGuid", guid);
		return;
	}
	m->Attachments = one_attachment(soap, root, a, 1);
	apply_shape(soap, m->Attachments, root, a, shape);
}

int __ewsmsg__GetAttachment(struct soap *soap, struct ewsmsg__GetAttachmentType *req,
			    struct __ewsmsg__GetAttachmentResponse *resp)
{
	int rc = ewsd_begin_op(soap, "GetAttachment", req);
	if (rc)
		return rc;
	int n = req->AttachmentIds ? req->AttachmentIds->__size_NonEmptyArrayOfRequestAttachmentIdsType : 0;
	resp->ewsmsg__GetAttachmentResponse = EWSD_NEW(soap, struct ewsmsg__GetAttachmentResponseType);
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, n);
	resp->ewsmsg__GetAttachmentResponse->ResponseMessages = msgs;
	each_attachment_id(soap, req->AttachmentIds, msgs,
			   SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_GetAttachmentResponseMessage,
			   sizeof(struct ewsmsg__AttachmentInfoResponseMessageType), 1, get_one, req->AttachmentShape);
	return SOAP_OK;
}

static void delete_one(struct soap *soap, const void *ctx, void *msg, const char *err, struct ewsd_item *root,
		       struct ewsd_attachment *a, const char *guid)
{
	struct ewsmsg__DeleteAttachmentResponseMessageType *m = msg;
	struct ewsd_request *rq = ewsd_req(soap);
	if (!err) {
		root->size = root->size > a->size ? root->size - a->size : 0;
		if (ewsd_begin(rq->db))
			err = "ErrorInternalServerError";
		else if (ewsd_attach_delete(rq->db, a->id) || ewsd_item_update(rq->db, root, 0) || ewsd_commit(rq->db)) {
			ewsd_rollback(rq->db);
			err = "ErrorInternalServerError";
		}
	}
	EWSD_SET_RESULT(soap, m, DeleteAttachmentResponseMessageType, err ? err : "NoError");
	if (err) {
		if (guid)
			EWSD_SET_VALUE(soap, m, DeleteAttachmentResponseMessageType, "MailboxGuid", guid);
		return;
	}
	struct ewstype__ItemIdType *iid = ewsd_item_id(soap, root);
	m->RootItemId = EWSD_NEW(soap, struct ewstype__RootItemIdType);
	m->RootItemId->RootItemId = iid->Id;
	m->RootItemId->RootItemChangeKey = iid->ChangeKey;
}

int __ewsmsg__DeleteAttachment(struct soap *soap, struct ewsmsg__DeleteAttachmentType *req,
			       struct __ewsmsg__DeleteAttachmentResponse *resp)
{
	int rc = ewsd_begin_op(soap, "DeleteAttachment", req);
	if (rc)
		return rc;
	int n = req->AttachmentIds ? req->AttachmentIds->__size_NonEmptyArrayOfRequestAttachmentIdsType : 0;
	resp->ewsmsg__DeleteAttachmentResponse = EWSD_NEW(soap, struct ewsmsg__DeleteAttachmentResponseType);
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, n);
	resp->ewsmsg__DeleteAttachmentResponse->ResponseMessages = msgs;
	each_attachment_id(soap, req->AttachmentIds, msgs,
			   SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_DeleteAttachmentResponseMessage,
			   sizeof(struct ewsmsg__DeleteAttachmentResponseMessageType), 0, delete_one, NULL);
	return SOAP_OK;
}

const char *ewsd_attach_create_item(struct soap *soap, struct ewsd_item *root, const void *item, const char **field)
{
	const struct ewstype__ItemType *it = item;
	const struct ewstype__NonEmptyArrayOfAttachmentsType *arr = it ? it->Attachments : NULL;
	*field = NULL;
	for (int i = 0; arr && i < arr->__size_NonEmptyArrayOfAttachmentsType; i++) {
		const struct __ewstype__union_NonEmptyArrayOfAttachmentsType *u = &arr->__union_NonEmptyArrayOfAttachmentsType[i];
		struct ewsd_attachment a;
		int kind = request_kind(u->__union_NonEmptyArrayOfAttachmentsType,
					SOAP_UNION__ewstype__union_NonEmptyArrayOfAttachmentsType_ItemAttachment,
					SOAP_UNION__ewstype__union_NonEmptyArrayOfAttachmentsType_FileAttachment);
		const char *err = kind < 0 ? "ErrorInvalidRequest"
					   : ewsd_attach_from_request(soap, kind, u->union_NonEmptyArrayOfAttachmentsType.FileAttachment,
								      &a, field);
		if (!err)
			err = ewsd_attach_add(soap, root, &a);
		if (err)
			return err;
	}
	return NULL;
}
