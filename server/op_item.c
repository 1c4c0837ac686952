/* op_item.c — GetItem, CreateItem, UpdateItem, DeleteItem, MoveItem, CopyItem: one response message per item,
 * each failing on its own (other items of the same call still succeed), as Exchange answers batches. */
#include <string.h>

#include "ewsd.h"

static const int real_sels[6] = { SOAP_UNION__ewstype__union_ArrayOfRealItemsType_Message,
				  SOAP_UNION__ewstype__union_ArrayOfRealItemsType_CalendarItem,
				  SOAP_UNION__ewstype__union_ArrayOfRealItemsType_MeetingRequest,
				  SOAP_UNION__ewstype__union_ArrayOfRealItemsType_Contact,
				  SOAP_UNION__ewstype__union_ArrayOfRealItemsType_Task,
				  SOAP_UNION__ewstype__union_ArrayOfRealItemsType_DistributionList };

static struct ewstype__ArrayOfRealItemsType *one_item(struct soap *soap, const struct ewsd_item *it, unsigned props)
{
	struct ewstype__ArrayOfRealItemsType *a = EWSD_NEW(soap, struct ewstype__ArrayOfRealItemsType);
	a->__union_ArrayOfRealItemsType = EWSD_NEW(soap, struct __ewstype__union_ArrayOfRealItemsType);
	a->__size_ArrayOfRealItemsType = 1;
	ewsd_put_item(soap, it, props, &a->__union_ArrayOfRealItemsType[0].__union_ArrayOfRealItemsType,
		      (void **)&a->__union_ArrayOfRealItemsType[0].union_ArrayOfRealItemsType.Message, real_sels);
	return a;
}

/* An ItemInfo response message (GetItem/CreateItem/MoveItem/CopyItem share the type) in slot i. */
static struct ewsmsg__ItemInfoResponseMessageType *info_message(struct soap *soap,
								 struct ewsmsg__ArrayOfResponseMessagesType *msgs,
								 int i, int selector)
{
	struct ewsmsg__ItemInfoResponseMessageType *m = EWSD_NEW(soap, struct ewsmsg__ItemInfoResponseMessageType);
	msgs->__union_ArrayOfResponseMessagesType[i].__union_ArrayOfResponseMessagesType = selector;
	/* every member of the union is a pointer to a response message type */
	msgs->__union_ArrayOfResponseMessagesType[i].union_ArrayOfResponseMessagesType.GetItemResponseMessage = m;
	return m;
}

/* An ItemId, OccurrenceItemId or RecurringMasterItemId (recurrence.c). *it gets the row (an occurrence's master);
 * ref, when not NULL, says whether an occurrence was named; without ref an occurrence is refused. */
static const char *item_ref(struct soap *soap, struct __ewstype__union_NonEmptyArrayOfBaseItemIdsType *u,
			    struct ewsd_item *it, const char **guid, struct ewsd_item_ref *ref)
{
	union _ewstype__union_NonEmptyArrayOfBaseItemIdsType *v = &u->union_NonEmptyArrayOfBaseItemIdsType;
	struct ewsd_item_ref own;
	const char *err = "ErrorInvalidIdMalformed";
	if (!ref)
		ref = &own;
	memset(ref, 0, sizeof *ref);
	if (u->__union_NonEmptyArrayOfBaseItemIdsType == SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseItemIdsType_ItemId &&
	    v->ItemId)
		err = ewsd_recur_resolve(soap, EWSD_REF_ITEM_ID, v->ItemId->Id, v->ItemId->ChangeKey, 0, ref, guid);
	else if (u->__union_NonEmptyArrayOfBaseItemIdsType ==
			 SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseItemIdsType_OccurrenceItemId && v->OccurrenceItemId)
		err = ewsd_recur_resolve(soap, EWSD_REF_OCCURRENCE, v->OccurrenceItemId->RecurringMasterId, NULL,
					 v->OccurrenceItemId->InstanceIndex, ref, guid);
	else if (u->__union_NonEmptyArrayOfBaseItemIdsType ==
			 SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseItemIdsType_RecurringMasterItemId &&
		 v->RecurringMasterItemId)
		err = ewsd_recur_resolve(soap, EWSD_REF_MASTER, v->RecurringMasterItemId->OccurrenceId, NULL, 0, ref, guid);
	*it = ref->item;
	if (!err && ref == &own && own.is_occurrence)
		err = "ErrorCalendarCannotMoveOrCopyOccurrence";
	return err;
}

/* IncludeMimeContent="true", or item:MimeContent among the AdditionalProperties: clients ask either way (the
 * EWS Managed API and its ports send the FieldURI), and Exchange answers both with the MimeContent. */
static int wants_mime(struct soap *soap, const struct ewstype__ItemResponseShapeType *shape)
{
	if (!shape)
		return 0;
	if (shape->IncludeMimeContent && *shape->IncludeMimeContent == xsd__boolean__true_)
		return 1;
	const struct ewstype__NonEmptyArrayOfPathsToElementType *a = shape->AdditionalProperties;
	for (int i = 0; a && i < a->__size_NonEmptyArrayOfPathsToElementType; i++) {
		const struct __ewstype__union_NonEmptyArrayOfPathsToElementType *u =
			&a->__union_NonEmptyArrayOfPathsToElementType[i];
		if (u->__union_NonEmptyArrayOfPathsToElementType ==
			    SOAP_UNION__ewstype__union_NonEmptyArrayOfPathsToElementType_FieldURI &&
		    u->union_NonEmptyArrayOfPathsToElementType.FieldURI &&
		    !strcmp(soap_ewstype__UnindexedFieldURIType2s(soap,
				u->union_NonEmptyArrayOfPathsToElementType.FieldURI->FieldURI), "item:MimeContent"))
			return 1;
	}
	return 0;
}

int __ewsmsg__GetItem(struct soap *soap, struct ewsmsg__GetItemType *req, struct __ewsmsg__GetItemResponse *resp)
{
	int rc = ewsd_begin_op(soap, "GetItem", req);
	if (rc)
		return rc;
	int n = req->ItemIds ? req->ItemIds->__size_NonEmptyArrayOfBaseItemIdsType : 0;
	unsigned props = ewsd_item_props(soap, req->ItemShape, 1);
	resp->ewsmsg__GetItemResponse = EWSD_NEW(soap, struct ewsmsg__GetItemResponseType);
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, n);
	resp->ewsmsg__GetItemResponse->ResponseMessages = msgs;
	for (int i = 0; i < n; i++) {
		struct ewsmsg__ItemInfoResponseMessageType *m =
			info_message(soap, msgs, i, SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_GetItemResponseMessage);
		struct ewsd_item it;
		struct ewsd_item_ref ref;
		const char *guid = NULL;
		const char *err = item_ref(soap, &req->ItemIds->__union_NonEmptyArrayOfBaseItemIdsType[i], &it, &guid, &ref);
		if (ewsd_req(soap)->fault_busy_msg)
			err = "ErrorServerBusy";
		EWSD_SET_RESULT(soap, m, ItemInfoResponseMessageType, err ? err : "NoError");
		if (!err && ref.is_occurrence) {
			m->Items = one_item(soap, &it, 0);
			ewsd_recur_put_occurrence(soap, &ref, props, req->ItemShape,
						  &m->Items->__union_ArrayOfRealItemsType[0].__union_ArrayOfRealItemsType,
						  (void **)&m->Items->__union_ArrayOfRealItemsType[0].union_ArrayOfRealItemsType.Message,
						  real_sels);
		} else if (!err) {
			m->Items = one_item(soap, &it, props);
			ewsd_props_attach(soap, ewsd_req(soap)->db, it.id, it.kind,
					  m->Items->__union_ArrayOfRealItemsType[0].union_ArrayOfRealItemsType.Message,
					  req->ItemShape);
			ewsd_text_body_attach(soap, &it, m->Items->__union_ArrayOfRealItemsType[0].union_ArrayOfRealItemsType.Message,
					      req->ItemShape);
#ifdef EWS_HAS_ewstype__DistributionListType_Members      /* Exchange 2010 */
			if (it.kind == EWSD_DISTLIST && (props & EWSD_P_CONTACT))
				ewsd_dl_attach(soap, ewsd_req(soap)->db, it.id,
					       m->Items->__union_ArrayOfRealItemsType[0].union_ArrayOfRealItemsType.DistributionList);
#endif
			if (wants_mime(soap, req->ItemShape)) {
				/* every item type begins with ItemType's members */
				struct ewstype__ItemType *typed =
					(void *)m->Items->__union_ArrayOfRealItemsType[0].union_ArrayOfRealItemsType.Message;
				typed->MimeContent = EWSD_NEW(soap, struct ewstype__MimeContentType);
				typed->MimeContent->CharacterSet = soap_strdup(soap, "UTF-8");
				typed->MimeContent->__item = ewsd_mime_content(soap, &it);
			}
		} else if (!strcmp(err, "ErrorServerBusy")) {
			char ms[32];
			snprintf(ms, sizeof ms, "%d", ewsd_fault_get(&ewsd_faults.backoff_ms));
			EWSD_SET_VALUE(soap, m, ItemInfoResponseMessageType, "BackOffMilliseconds", ms);
		} else if (guid) {
			EWSD_SET_VALUE(soap, m, ItemInfoResponseMessageType, "MailboxGuid", guid);
		}
	}
	return SOAP_OK;
}

/* The folder an item lands in when CreateItem names none. */
static const char *default_folder(int kind, int disposition_save_only)
{
	switch (kind) {
	case EWSD_CALENDAR: return "calendar";
	case EWSD_CONTACT:
	case EWSD_DISTLIST: return "contacts";
	case EWSD_TASK: return "tasks";
	default: return disposition_save_only ? "drafts" : "sentitems";
	}
}

static const int all_sels[7] = { SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_Message,
				 SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_CalendarItem,
				 SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_MeetingRequest,
				 SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_Contact,
				 SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_Task,
				 SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_DistributionList,
				 SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_Item };

/* Deliver a sent message to the recipients' mailboxes that live in this store (their Inbox). */
int __ewsmsg__CreateItem(struct soap *soap, struct ewsmsg__CreateItemType *req,
			 struct __ewsmsg__CreateItemResponse *resp)
{
	int rc = ewsd_begin_op(soap, "CreateItem", req);
	if (rc)
		return rc;
	struct ewsd_request *rq = ewsd_req(soap);
	int n = req->Items ? req->Items->__size_NonEmptyArrayOfAllItemsType : 0;
	int save_only = !req->MessageDisposition || *req->MessageDisposition == ewstype__MessageDispositionType__SaveOnly;
	int send = req->MessageDisposition && *req->MessageDisposition != ewstype__MessageDispositionType__SaveOnly;
	int keep_copy = !req->MessageDisposition || *req->MessageDisposition != ewstype__MessageDispositionType__SendOnly;
	struct ewsd_folder target;
	const char *target_err = NULL;
	if (req->SavedItemFolderId)
		target_err = ewsd_resolve_target(soap, req->SavedItemFolderId, &target);

	resp->ewsmsg__CreateItemResponse = EWSD_NEW(soap, struct ewsmsg__CreateItemResponseType);
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, n);
	resp->ewsmsg__CreateItemResponse->ResponseMessages = msgs;
	for (int i = 0; i < n; i++) {
		struct ewsmsg__ItemInfoResponseMessageType *m = info_message(
			soap, msgs, i, SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_CreateItemResponseMessage);
		struct __ewstype__union_NonEmptyArrayOfAllItemsType *u = &req->Items->__union_NonEmptyArrayOfAllItemsType[i];
		struct ewsd_item it;
		char now[32];
		const char *err = target_err;
		memset(&it, 0, sizeof it);
		ewsd_now(now);
		it.importance = 1;
		it.mailbox_id = rq->mailbox_id;
		struct ewsd_response_effect fx = { 0 };
		int response_object = ewsd_is_response_object(u->__union_NonEmptyArrayOfAllItemsType);
		if (!err && response_object)
			err = ewsd_response_object(soap, u->__union_NonEmptyArrayOfAllItemsType,
						   u->union_NonEmptyArrayOfAllItemsType.Message, send, &it, &fx);
		else if (!err && ewsd_item_from_request(soap, u->__union_NonEmptyArrayOfAllItemsType,
							u->union_NonEmptyArrayOfAllItemsType.Message, all_sels, &it))
			err = "ErrorInvalidRequest";     /* an item class this server does not store */
		if (!err && !response_object && ewsd_text_body_refused(u->union_NonEmptyArrayOfAllItemsType.Message))
			err = "ErrorInvalidPropertySet";     /* TextBody is read-only, as Exchange's computed bodies */
		if (!err && !req->SavedItemFolderId &&
		    ewsd_folder_distinguished(soap, rq->db, rq->mailbox_id, default_folder(it.kind, save_only), &target))
			err = "ErrorFolderNotFound";
		if (!err) {
			it.folder_id = target.id;
			it.mailbox_id = target.mailbox_id;     /* a public folder's items are its mailbox's */
			if (!it.received)
				it.received = soap_strdup(soap, now);
			it.sent = send ? soap_strdup(soap, now) : NULL;
			it.created = soap_strdup(soap, now);
			if (send || save_only)
				it.is_read = 1;
			if (send) {
				it.from_addr = rq->mailbox_smtp;
				if (!it.from_name)
					it.from_name = rq->mailbox_smtp;
			}
			struct ewsd_prop_changes pc = { 0 };
			if (!response_object)   /* a response object's own properties are not an item's */
				ewsd_props_from_item(soap, u->union_NonEmptyArrayOfAllItemsType.Message,
						     u->__union_NonEmptyArrayOfAllItemsType == all_sels[1], &pc);
			if (u->__union_NonEmptyArrayOfAllItemsType == all_sels[EWSD_CONTACT])
				ewsd_contact_props_from_item(soap, u->union_NonEmptyArrayOfAllItemsType.Contact, &pc);
#ifdef EWS_HAS_ewstype__DistributionListType_Members      /* Exchange 2010 */
			if (u->__union_NonEmptyArrayOfAllItemsType == all_sels[EWSD_DISTLIST]) {
				const char *enc = NULL;
				err = ewsd_dl_members_in(soap, u->union_NonEmptyArrayOfAllItemsType.DistributionList->Members,
							 NULL, &enc);
				if (!err)
					ewsd_dl_members_change(&pc, enc);
			}
#endif
			const struct ewstype__MimeContentType *mime = response_object || err ? NULL :
				((const struct ewstype__ItemType *)u->union_NonEmptyArrayOfAllItemsType.Message)->MimeContent;
			if (mime)
				err = ewsd_mime_take(soap, mime, &it, &pc);
			if (!err && !response_object && u->__union_NonEmptyArrayOfAllItemsType == all_sels[EWSD_CALENDAR])
				err = ewsd_recur_take(soap, u->union_NonEmptyArrayOfAllItemsType.CalendarItem, &it, &pc);
			const char *field;
			/* a meeting goes to its attendees as SendMeetingInvitations says (SendToNone: saved only) */
			int invite = !err && it.kind == EWSD_CALENDAR && req->SendMeetingInvitations &&
				     *req->SendMeetingInvitations != ewstype__CalendarItemCreateOrDeleteOperationType__SendToNone &&
				     ((it.to_list && *it.to_list) || (it.cc_list && *it.cc_list));
			if (invite) {
				it.from_addr = rq->mailbox_smtp;        /* the organizer */
				if (!it.from_name)
					it.from_name = rq->mailbox_smtp;
			}
			if (!err && (send || invite))
				ewsd_deliver_prepare(soap, &it);
			for (int k = 0; !err && invite && k < pc.n; k++)
				if (!strcmp(pc.v[k].name, "Resources") && pc.v[k].value) {  /* invited too (deliver.c) */
					struct ewsd_item resources = { .to_list = pc.v[k].value };
					ewsd_deliver_prepare(soap, &resources);
				}
			if (err)
				;       /* the MIME was refused */
			else if (ewsd_begin(rq->db))
				err = "ErrorInternalServerError";
			else if ((keep_copy && (ewsd_item_insert(rq->db, &it) || ewsd_prop_changes_apply(rq->db, it.id, &pc))) ||
				 (keep_copy && !response_object &&
				  (err = ewsd_attach_create_item(soap, &it, u->union_NonEmptyArrayOfAllItemsType.Message, &field))) ||
				 (send && (ewsd_deliver_local(soap, &it), 0)) ||
				 (invite && (ewsd_deliver_meeting(soap, &it, *req->SendMeetingInvitations ==
						ewstype__CalendarItemCreateOrDeleteOperationType__SendToAllAndSaveCopy), 0)) ||
				 ewsd_response_effect_apply(soap, &fx) ||
				 ewsd_commit(rq->db)) {
				ewsd_rollback(rq->db);
				err = err ? err : "ErrorInternalServerError";
			}
		}
		EWSD_SET_RESULT(soap, m, ItemInfoResponseMessageType, err ? err : "NoError");
		if (!err) {
			m->Items = EWSD_NEW(soap, struct ewstype__ArrayOfRealItemsType);
			if (keep_copy) { /* Exchange returns the id only for what it saved, and its attachments' ids */
				m->Items = one_item(soap, &it, EWSD_P_ID);
				((struct ewstype__ItemType *)m->Items->__union_ArrayOfRealItemsType[0]
					 .union_ArrayOfRealItemsType.Message)->Attachments = ewsd_attach_id_list(soap, &it);
			}
		}
	}
	return SOAP_OK;
}

/* ---- UpdateItem ---- */

static const char *field_uri(struct soap *soap, int selector, struct ewstype__PathToUnindexedFieldType *p, int want)
{
	if (selector != want || !p)
		return NULL;
	return soap_ewstype__UnindexedFieldURIType2s(soap, p->FieldURI);
}

/* Clear one property (DeleteItemField). 0 ok, -1 not deletable. */
static int clear_field(struct ewsd_item *it, const char *uri)
{
	if (!uri)
		return -1;
	if (!strcmp(uri, "item:Subject"))
		it->subject = NULL;
	else if (!strcmp(uri, "item:Body"))
		it->body = NULL;
	else if (!strcmp(uri, "item:Categories"))
		it->categories = NULL;
	else if (!strcmp(uri, "message:CcRecipients") || !strcmp(uri, "calendar:OptionalAttendees"))
		it->cc_list = NULL;
	else if (!strcmp(uri, "message:ToRecipients") || !strcmp(uri, "calendar:RequiredAttendees"))
		it->to_list = NULL;
	else if (!strcmp(uri, "calendar:Location"))
		it->location = NULL;
	else if (!strcmp(uri, "contacts:CompanyName"))
		it->company = NULL;
	else if (!strcmp(uri, "task:DueDate"))
		it->due = NULL;
	else
		return -1;
	return 0;
}

static const int set_sels[7] = { SOAP_UNION__ewstype__union_SetItemFieldType__Message,
				 SOAP_UNION__ewstype__union_SetItemFieldType__CalendarItem,
				 SOAP_UNION__ewstype__union_SetItemFieldType__MeetingRequest,
				 SOAP_UNION__ewstype__union_SetItemFieldType__Contact,
				 SOAP_UNION__ewstype__union_SetItemFieldType__Task,
				 SOAP_UNION__ewstype__union_SetItemFieldType__DistributionList,
				 SOAP_UNION__ewstype__union_SetItemFieldType__Item };

/* Apply the updates of one ItemChange to *it (columns) and *pc (kept properties, item_props.c). All or nothing,
 * as Exchange: the first refusal is returned and *bad_uri names its field for MessageXml. */
/* An exception of a recurring series keeps any property of the item (recurrence.c: the whole changed row and its
 * kept properties). What an occurrence cannot change is refused naming the field rather than answered NoError and
 * dropped: the series' own properties (calendar:Recurrence and its time zones belong to the master), and
 * deleting a kept or extended property (an exception stores values over the master's, not their absence).
 * NULL when every change can be kept. */
static const char *occurrence_change_refused(struct soap *soap, const struct ewstype__ItemChangeType *ch,
					     const char **bad_uri)
{
	const struct ewstype__NonEmptyArrayOfItemChangeDescriptionsType *u = ch->Updates;
	*bad_uri = NULL;
	for (int k = 0; u && k < u->__size_NonEmptyArrayOfItemChangeDescriptionsType; k++) {
		const struct __ewstype__union_NonEmptyArrayOfItemChangeDescriptionsType *d =
			&u->__union_NonEmptyArrayOfItemChangeDescriptionsType[k];
		const union _ewstype__union_NonEmptyArrayOfItemChangeDescriptionsType *v =
			&d->union_NonEmptyArrayOfItemChangeDescriptionsType;
		const char *uri = NULL;
		switch (d->__union_NonEmptyArrayOfItemChangeDescriptionsType) {
		case SOAP_UNION__ewstype__union_NonEmptyArrayOfItemChangeDescriptionsType_SetItemField:
			if (v->SetItemField)
				uri = field_uri(soap, v->SetItemField->__union_SetItemFieldType,
						v->SetItemField->union_SetItemFieldType.FieldURI,
						SOAP_UNION__ewstype__union_SetItemFieldType_FieldURI);
			if (ewsd_recur_field(uri))
				return *bad_uri = uri, "ErrorInvalidPropertySet";
			break;
		case SOAP_UNION__ewstype__union_NonEmptyArrayOfItemChangeDescriptionsType_DeleteItemField:
			if (!v->DeleteItemField)
				break;
			uri = field_uri(soap, v->DeleteItemField->__union_DeleteItemFieldType,
					v->DeleteItemField->union_DeleteItemFieldType.FieldURI,
					SOAP_UNION__ewstype__union_DeleteItemFieldType_FieldURI);
			if (v->DeleteItemField->__union_DeleteItemFieldType !=
			    SOAP_UNION__ewstype__union_DeleteItemFieldType_FieldURI)
				return "ErrorInvalidPropertyDelete";    /* an extended or indexed property */
			if (ewsd_recur_field(uri) || ewsd_prop_known(uri))
				return *bad_uri = uri, "ErrorInvalidPropertyDelete";
			break;
		case SOAP_UNION__ewstype__union_NonEmptyArrayOfItemChangeDescriptionsType_AppendToItemField:
			if (v->AppendToItemField)
				uri = field_uri(soap, v->AppendToItemField->__union_AppendToItemFieldType,
						v->AppendToItemField->union_AppendToItemFieldType.FieldURI,
						SOAP_UNION__ewstype__union_AppendToItemFieldType_FieldURI);
			if (ewsd_recur_field(uri))
				return *bad_uri = uri, "ErrorInvalidPropertyAppend";
			break;
		}
	}
	return NULL;
}

static const char *apply_change(struct soap *soap, struct ewstype__ItemChangeType *ch, struct ewsd_item *it,
				int *readflag_only, struct ewsd_prop_changes *pc, const char **bad_uri)
{
	struct ewstype__NonEmptyArrayOfItemChangeDescriptionsType *u = ch->Updates;
	*readflag_only = 1;
	*bad_uri = NULL;
	for (int k = 0; u && k < u->__size_NonEmptyArrayOfItemChangeDescriptionsType; k++) {
		struct __ewstype__union_NonEmptyArrayOfItemChangeDescriptionsType *d =
			&u->__union_NonEmptyArrayOfItemChangeDescriptionsType[k];
		int s = d->__union_NonEmptyArrayOfItemChangeDescriptionsType;
		if (s == SOAP_UNION__ewstype__union_NonEmptyArrayOfItemChangeDescriptionsType_SetItemField) {
			struct ewstype__SetItemFieldType *f = d->union_NonEmptyArrayOfItemChangeDescriptionsType.SetItemField;
			const char *uri;
			if (!f)
				return "ErrorInvalidRequest";
			uri = field_uri(soap, f->__union_SetItemFieldType, f->union_SetItemFieldType.FieldURI,
					SOAP_UNION__ewstype__union_SetItemFieldType_FieldURI);
			*bad_uri = uri;
#ifdef EWS_HAS_ewstype__DistributionListType_Members      /* Exchange 2010 */
			if (uri && !strcmp(uri, "distributionlist:Members")) {
				/* the whole list replaced; only a DistributionList has members */
				const char *enc = NULL, *e;
				if (it->kind != EWSD_DISTLIST ||
				    f->__union_SetItemFieldType_ != SOAP_UNION__ewstype__union_SetItemFieldType__DistributionList)
					return "ErrorInvalidPropertySet";
				if ((e = ewsd_dl_members_in(soap, f->union_SetItemFieldType_.DistributionList->Members, NULL, &enc)))
					return e;
				ewsd_dl_members_change(pc, enc);
				*readflag_only = 0;
				continue;
			}
#endif
			if (uri && !strcmp(uri, "calendar:Resources")) {       /* kept in item_props (attendees.c) */
				const char *e = it->kind != EWSD_CALENDAR ||
							f->__union_SetItemFieldType_ != SOAP_UNION__ewstype__union_SetItemFieldType__CalendarItem
						? "ErrorInvalidPropertySet"
						: ewsd_resources_set(soap, f->union_SetItemFieldType_.CalendarItem, pc);
				if (e)
					return e;
				*readflag_only = 0;
				continue;
			}
			if (ewsd_recur_field(uri)) {    /* the series' pattern and time zone (recurrence.c) */
				const char *e = ewsd_recur_set_field(
					soap, uri, f->__union_SetItemFieldType_ == SOAP_UNION__ewstype__union_SetItemFieldType__CalendarItem
						? f->union_SetItemFieldType_.CalendarItem : NULL, it, pc);
				if (e)
					return e;
				*readflag_only = 0;
				continue;
			}
			if (f->__union_SetItemFieldType == SOAP_UNION__ewstype__union_SetItemFieldType_ExtendedFieldURI ||
			    ewsd_prop_known(uri)) {
				const char *e = ewsd_prop_set_field(
					soap, uri,
					f->__union_SetItemFieldType == SOAP_UNION__ewstype__union_SetItemFieldType_ExtendedFieldURI
						? f->union_SetItemFieldType.ExtendedFieldURI : NULL,
					f->union_SetItemFieldType_.Message,
					f->__union_SetItemFieldType_ == SOAP_UNION__ewstype__union_SetItemFieldType__CalendarItem &&
						it->kind == EWSD_CALENDAR, pc);
				if (e)
					return e;
				*readflag_only = 0;
				continue;
			}
			if (!uri || !ewsd_field_prop(uri))
				return "ErrorInvalidPropertySet";
			if (strcmp(uri, "message:IsRead"))
				*readflag_only = 0;
			int kind = it->kind;
			if (ewsd_item_from_request(soap, f->__union_SetItemFieldType_, f->union_SetItemFieldType_.Message,
						   set_sels, it))
				return "ErrorInvalidRequest";
			/* a Message element may update a meeting request (its base type), nothing else changes type */
			if (it->kind == EWSD_MESSAGE && kind == EWSD_MEETING_REQUEST)
				it->kind = kind;
			if (it->kind != kind) {
				it->kind = kind;
				return "ErrorObjectTypeChanged";
			}
		} else if (s == SOAP_UNION__ewstype__union_NonEmptyArrayOfItemChangeDescriptionsType_DeleteItemField) {
			struct ewstype__DeleteItemFieldType *f = d->union_NonEmptyArrayOfItemChangeDescriptionsType.DeleteItemField;
			*readflag_only = 0;
			if (!f)
				return "ErrorInvalidRequest";
			const char *uri = field_uri(soap, f->__union_DeleteItemFieldType, f->union_DeleteItemFieldType.FieldURI,
						    SOAP_UNION__ewstype__union_DeleteItemFieldType_FieldURI);
			*bad_uri = uri;
			if (uri && !strcmp(uri, "distributionlist:Members") && it->kind == EWSD_DISTLIST) {
				ewsd_dl_members_change(pc, NULL);
				continue;
			}
			if (uri && !strcmp(uri, "calendar:Resources") && it->kind == EWSD_CALENDAR) {
				ewsd_resources_delete(pc);
				continue;
			}
			if (ewsd_recur_field(uri)) {
				const char *e = ewsd_recur_delete_field(soap, uri, it, pc);
				if (e)
					return e;
				continue;
			}
			if (f->__union_DeleteItemFieldType == SOAP_UNION__ewstype__union_DeleteItemFieldType_ExtendedFieldURI ||
			    ewsd_prop_known(uri)) {
				const char *e = ewsd_prop_delete_field(
					soap, uri,
					f->__union_DeleteItemFieldType == SOAP_UNION__ewstype__union_DeleteItemFieldType_ExtendedFieldURI
						? f->union_DeleteItemFieldType.ExtendedFieldURI : NULL, pc);
				if (e)
					return e;
				continue;
			}
			if (clear_field(it, uri))
				return "ErrorInvalidPropertyDelete";
		} else if (s == SOAP_UNION__ewstype__union_NonEmptyArrayOfItemChangeDescriptionsType_AppendToItemField) {
			struct ewstype__AppendToItemFieldType *f = d->union_NonEmptyArrayOfItemChangeDescriptionsType.AppendToItemField;
			*bad_uri = f ? field_uri(soap, f->__union_AppendToItemFieldType, f->union_AppendToItemFieldType.FieldURI,
						 SOAP_UNION__ewstype__union_AppendToItemFieldType_FieldURI) : NULL;
#ifdef EWS_HAS_ewstype__DistributionListType_Members      /* Exchange 2010 */
			/* a list's Members take new members at the end (after any earlier change of this ItemChange) */
			if (f && *bad_uri && !strcmp(*bad_uri, "distributionlist:Members") && it->kind == EWSD_DISTLIST &&
			    f->__union_AppendToItemFieldType_ == SOAP_UNION__ewstype__union_AppendToItemFieldType__DistributionList &&
			    f->union_AppendToItemFieldType_.DistributionList) {
				const char *before = ewsd_dl_stored(soap, ewsd_req(soap)->db, it->id), *enc = NULL, *e;
				for (int j = 0; j < pc->n; j++)
					if (!strcmp(pc->v[j].name, "DLMembers"))
						before = pc->v[j].value;
				if ((e = ewsd_dl_members_in(soap, f->union_AppendToItemFieldType_.DistributionList->Members,
							    before, &enc)))
					return e;
				ewsd_dl_members_change(pc, enc);
				*readflag_only = 0;
				continue;
			}
#endif
			/* none of the other properties ewsd keeps is appendable (Exchange: recipients, attendees, Body) */
			return "ErrorInvalidPropertyAppend";
		} else {
			return "ErrorInvalidRequest";
		}
	}
	return NULL;
}

int __ewsmsg__UpdateItem(struct soap *soap, struct ewsmsg__UpdateItemType *req,
			 struct __ewsmsg__UpdateItemResponse *resp)
{
	int rc = ewsd_begin_op(soap, "UpdateItem", req);
	if (rc)
		return rc;
	struct ewsd_request *rq = ewsd_req(soap);
	int n = req->ItemChanges ? req->ItemChanges->__sizeItemChange : 0;
	/* required choices the decoder does not check: the item id of each change, the path and the item of
	 * each SetItemField, the path of each DeleteItemField */
	for (int i = 0; i < n; i++) {
		struct ewstype__ItemChangeType *ch = &req->ItemChanges->ItemChange[i];
		struct ewstype__NonEmptyArrayOfItemChangeDescriptionsType *u = ch->Updates;
		if (!ch->__union_ItemChangeType)
			return ewsd_choice_missing_fault(soap, "ItemChange");
		for (int k = 0; u && k < u->__size_NonEmptyArrayOfItemChangeDescriptionsType; k++) {
			struct __ewstype__union_NonEmptyArrayOfItemChangeDescriptionsType *d =
				&u->__union_NonEmptyArrayOfItemChangeDescriptionsType[k];
			int s = d->__union_NonEmptyArrayOfItemChangeDescriptionsType;
			struct ewstype__SetItemFieldType *set = d->union_NonEmptyArrayOfItemChangeDescriptionsType.SetItemField;
			struct ewstype__DeleteItemFieldType *del =
				d->union_NonEmptyArrayOfItemChangeDescriptionsType.DeleteItemField;
			if (s == SOAP_UNION__ewstype__union_NonEmptyArrayOfItemChangeDescriptionsType_SetItemField && set &&
			    (!set->__union_SetItemFieldType || !set->__union_SetItemFieldType_))
				return ewsd_choice_missing_fault(soap, "SetItemField");
			if (s == SOAP_UNION__ewstype__union_NonEmptyArrayOfItemChangeDescriptionsType_DeleteItemField &&
			    del && !del->__union_DeleteItemFieldType)
				return ewsd_choice_missing_fault(soap, "DeleteItemField");
		}
	}
	resp->ewsmsg__UpdateItemResponse = EWSD_NEW(soap, struct ewsmsg__UpdateItemResponseType);
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, n);
	resp->ewsmsg__UpdateItemResponse->ResponseMessages = msgs;
	for (int i = 0; i < n; i++) {
		struct ewstype__ItemChangeType *ch = &req->ItemChanges->ItemChange[i];
		struct ewsmsg__UpdateItemResponseMessageType *m = EWSD_NEW(soap, struct ewsmsg__UpdateItemResponseMessageType);
		struct ewsd_item it;
		const char *err = NULL, *guid = NULL;
		int readflag_only = 0;
		msgs->__union_ArrayOfResponseMessagesType[i].__union_ArrayOfResponseMessagesType =
			SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_UpdateItemResponseMessage;
		msgs->__union_ArrayOfResponseMessagesType[i].union_ArrayOfResponseMessagesType.UpdateItemResponseMessage = m;
		/* the three id choices have the same layout as NonEmptyArrayOfBaseItemIds' entries */
		struct __ewstype__union_NonEmptyArrayOfBaseItemIdsType id = { 0 };
		struct ewsd_item_ref ref;
		const char *ck = NULL;
		if (ch->__union_ItemChangeType == SOAP_UNION__ewstype__union_ItemChangeType_ItemId && ch->union_ItemChangeType.ItemId) {
			id.__union_NonEmptyArrayOfBaseItemIdsType = SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseItemIdsType_ItemId;
			id.union_NonEmptyArrayOfBaseItemIdsType.ItemId = ch->union_ItemChangeType.ItemId;
			ck = ch->union_ItemChangeType.ItemId->ChangeKey;
		} else if (ch->__union_ItemChangeType == SOAP_UNION__ewstype__union_ItemChangeType_OccurrenceItemId &&
			   ch->union_ItemChangeType.OccurrenceItemId) {
			id.__union_NonEmptyArrayOfBaseItemIdsType = SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseItemIdsType_OccurrenceItemId;
			id.union_NonEmptyArrayOfBaseItemIdsType.OccurrenceItemId = ch->union_ItemChangeType.OccurrenceItemId;
			ck = ch->union_ItemChangeType.OccurrenceItemId->ChangeKey;
		} else if (ch->__union_ItemChangeType == SOAP_UNION__ewstype__union_ItemChangeType_RecurringMasterItemId &&
			   ch->union_ItemChangeType.RecurringMasterItemId) {
			id.__union_NonEmptyArrayOfBaseItemIdsType = SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseItemIdsType_RecurringMasterItemId;
			id.union_NonEmptyArrayOfBaseItemIdsType.RecurringMasterItemId = ch->union_ItemChangeType.RecurringMasterItemId;
			ck = ch->union_ItemChangeType.RecurringMasterItemId->ChangeKey;
		}
		err = item_ref(soap, &id, &it, &guid, &ref);
		/* a stale ChangeKey is a conflict unless the client asked to overwrite */
		if (!err && ck && req->ConflictResolution != ewstype__ConflictResolutionType__AlwaysOverwrite &&
		    strcmp(ck, ewsd_changekey(soap, it.kind, it.change_num)))
			err = "ErrorIrresolvableConflict";
		struct ewsd_prop_changes pc = { 0 };
		const char *bad_uri = NULL;
		if (!err && ref.is_occurrence)  /* an occurrence changes into an exception of its master */
			err = occurrence_change_refused(soap, ch, &bad_uri);
		if (!err && ref.is_occurrence)
			ewsd_recur_occurrence_row(soap, &ref, &it);
		if (!err)
			err = apply_change(soap, ch, &it, &readflag_only, &pc, &bad_uri);
		if (!err && ref.is_occurrence) {
			if (!(err = ewsd_recur_save_exception(soap, &ref, &it, &pc)) &&
			    ewsd_item_get(soap, rq->db, ref.item.id, &ref.item) == 0) {
				EWSD_SET_RESULT(soap, m, UpdateItemResponseMessageType, "NoError");
				m->Items = one_item(soap, &it, 0);
				ewsd_recur_put_occurrence(soap, &ref, EWSD_P_ID, NULL,
							  &m->Items->__union_ArrayOfRealItemsType[0].__union_ArrayOfRealItemsType,
							  (void **)&m->Items->__union_ArrayOfRealItemsType[0].union_ArrayOfRealItemsType.Message,
							  real_sels);
				m->ConflictResults = EWSD_NEW(soap, struct ewstype__ConflictResultsType);
				continue;
			}
		} else if (!err) {
			/* a meeting's responses follow its attendees: a removed attendee's goes (attendees.c) */
			if (ewsd_begin(rq->db) || ewsd_item_update(rq->db, &it, readflag_only) ||
			    ewsd_prop_changes_apply(rq->db, it.id, &pc) ||
			    (it.kind == EWSD_CALENDAR && ewsd_attendees_prune(soap, rq->db, it.id, it.to_list, it.cc_list)) ||
			    ewsd_commit(rq->db)) {
				ewsd_rollback(rq->db);
				err = "ErrorInternalServerError";
			}
		}
		EWSD_SET_RESULT(soap, m, UpdateItemResponseMessageType, err ? err : "NoError");
		if (!err) {
			m->Items = one_item(soap, &it, EWSD_P_ID);
			m->ConflictResults = EWSD_NEW(soap, struct ewstype__ConflictResultsType);
		} else if (guid) {
			EWSD_SET_VALUE(soap, m, UpdateItemResponseMessageType, "MailboxGuid", guid);
		} else if (bad_uri) {
			/* Exchange names the refused property: <t:FieldURI FieldURI="..."/> */
			struct soap_dom_element *e = soap_elt_new(soap, "http://schemas.microsoft.com/exchange/services/2006/types",
								  "FieldURI");
			soap_att_text(soap_att(e, NULL, "FieldURI"), bad_uri);
			m->__UpdateItemResponseMessageType_sequence->MessageXml =
				EWSD_NEW(soap, struct _ewsmsg__UpdateItemResponseMessageType_MessageXml);
			m->__UpdateItemResponseMessageType_sequence->MessageXml->__size = 1;
			m->__UpdateItemResponseMessageType_sequence->MessageXml->__any = e;
		}
	}
	return SOAP_OK;
}

/* ---- DeleteItem, MoveItem, CopyItem ---- */

/* DeleteItem's response message has its own type since Exchange 2013 schemas (ObjectId...); Exchange 2010 ones
 * use the plain ResponseMessageType. SOAP_TYPE_* says which bindings these are. The SET_ wrappers expand the
 * type-name macro before EWSD_SET_* pastes it. */
#ifdef SOAP_TYPE_ewsmsg__DeleteItemResponseMessageType
typedef struct ewsmsg__DeleteItemResponseMessageType delete_message;
#define DELETE_MESSAGE_T DeleteItemResponseMessageType
#else
typedef struct ewsmsg__ResponseMessageType delete_message;
#define DELETE_MESSAGE_T ResponseMessageType
#endif
#define SET_RESULT(soap, m, T, code) EWSD_SET_RESULT(soap, m, T, code)
#define SET_VALUE(soap, m, T, name, value) EWSD_SET_VALUE(soap, m, T, name, value)

int __ewsmsg__DeleteItem(struct soap *soap, struct ewsmsg__DeleteItemType *req,
			 struct __ewsmsg__DeleteItemResponse *resp)
{
	int rc = ewsd_begin_op(soap, "DeleteItem", req);
	if (rc)
		return rc;
	struct ewsd_request *rq = ewsd_req(soap);
	int n = req->ItemIds ? req->ItemIds->__size_NonEmptyArrayOfBaseItemIdsType : 0;
	struct ewsd_folder deleted, dumpster;
	int have_deleted = !ewsd_folder_distinguished(soap, rq->db, rq->mailbox_id, "deleteditems", &deleted);
	/* SoftDelete goes to the dumpster (Recoverable Items\Deletions), out of every normal view, as Exchange */
	int have_dumpster = !ewsd_folder_distinguished(soap, rq->db, rq->mailbox_id, "recoverableitemsdeletions", &dumpster);
	/* the archive's items go to the archive's Deleted Items and dumpster, as Exchange's archive mailbox does */
	struct ewsd_folder adeleted, adumpster;
	int have_adeleted = !ewsd_folder_distinguished(soap, rq->db, rq->mailbox_id, "archivedeleteditems", &adeleted);
	int have_adumpster = !ewsd_folder_distinguished(soap, rq->db, rq->mailbox_id, "archiverecoverableitemsdeletions",
							&adumpster);
	resp->ewsmsg__DeleteItemResponse = EWSD_NEW(soap, struct ewsmsg__DeleteItemResponseType);
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, n);
	resp->ewsmsg__DeleteItemResponse->ResponseMessages = msgs;
	for (int i = 0; i < n; i++) {
		delete_message *m = EWSD_NEW(soap, delete_message);
		struct ewsd_item it;
		const char *guid = NULL;
		msgs->__union_ArrayOfResponseMessagesType[i].__union_ArrayOfResponseMessagesType =
			SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_DeleteItemResponseMessage;
		msgs->__union_ArrayOfResponseMessagesType[i].union_ArrayOfResponseMessagesType.DeleteItemResponseMessage = m;
		struct ewsd_item_ref ref;
		const char *err = item_ref(soap, &req->ItemIds->__union_NonEmptyArrayOfBaseItemIdsType[i], &it, &guid, &ref);
		if (!err && ref.is_occurrence) {        /* the occurrence joins the master's DeletedOccurrences */
			err = ewsd_recur_delete_occurrence(soap, &ref);
		} else if (!err) {
			int64_t new_id, to = 0;
			int arc = (have_adeleted || have_adumpster) && ewsd_folder_in_archive(rq->db, it.folder_id);
			int hd = arc ? have_adeleted : have_deleted, hs = arc ? have_adumpster : have_dumpster;
			int64_t del = arc ? adeleted.id : deleted.id, dump = arc ? adumpster.id : dumpster.id;
			if (it.mailbox_id != rq->mailbox_id)
				hd = hs = 0;        /* a public folder's item: removed (its folder has no Deleted Items) */
			if (req->DeleteType == ewstype__DisposalType__MoveToDeletedItems && hd && it.folder_id != del)
				to = del;
			else if (req->DeleteType == ewstype__DisposalType__SoftDelete && hs && it.folder_id != dump)
				to = dump;
			if (ewsd_begin(rq->db) ||
			    (to ? ewsd_item_move(rq->db, it.id, to, &new_id) : ewsd_item_delete(rq->db, it.id)) ||
			    ewsd_commit(rq->db)) {
				ewsd_rollback(rq->db);
				err = "ErrorInternalServerError";
			}
		}
		SET_RESULT(soap, m, DELETE_MESSAGE_T, err ? err : "NoError");
		if (err && guid)
			SET_VALUE(soap, m, DELETE_MESSAGE_T, "MailboxGuid", guid);
	}
	return SOAP_OK;
}

/* ReturnNewItemIds came with Exchange 2010 SP1: an older set's requests cannot ask, and get the new ids as
 * Exchange 2007 answered them */
#ifdef EWS_HAS_ewsmsg__BaseMoveCopyItemType_ReturnNewItemIds
#define RETURN_NEW_ITEM_IDS(req) ((req)->ReturnNewItemIds)
#else
#define RETURN_NEW_ITEM_IDS(req) ((enum xsd__boolean *)NULL)
#endif

static int move_or_copy(struct soap *soap, struct ewstype__TargetFolderIdType *to,
			struct ewstype__NonEmptyArrayOfBaseItemIdsType *ids, enum xsd__boolean *return_new, int copy,
			struct ewsmsg__ArrayOfResponseMessagesType **out)
{
	struct ewsd_request *rq = ewsd_req(soap);
	int n = ids ? ids->__size_NonEmptyArrayOfBaseItemIdsType : 0;
	struct ewsd_folder target;
	const char *target_err = ewsd_resolve_target(soap, to, &target);
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, n);
	*out = msgs;
	for (int i = 0; i < n; i++) {
		struct ewsmsg__ItemInfoResponseMessageType *m = info_message(
			soap, msgs, i, copy ? SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_CopyItemResponseMessage
					    : SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_MoveItemResponseMessage);
		struct ewsd_item it;
		const char *guid = NULL;
		int64_t new_id = 0;
		const char *err = target_err;
		if (!err)
			err = item_ref(soap, &ids->__union_NonEmptyArrayOfBaseItemIdsType[i], &it, &guid, NULL);
		if (!err) {
			if (ewsd_begin(rq->db) ||
			    (copy ? ewsd_item_copy(rq->db, it.id, target.id, &new_id)
				  : ewsd_item_move(rq->db, it.id, target.id, &new_id)) ||
			    ewsd_commit(rq->db)) {
				ewsd_rollback(rq->db);
				err = "ErrorMoveCopyFailed";
			}
		}
		EWSD_SET_RESULT(soap, m, ItemInfoResponseMessageType, err ? err : "NoError");
		if (!err) {
			m->Items = EWSD_NEW(soap, struct ewstype__ArrayOfRealItemsType);
			if ((!return_new || *return_new == xsd__boolean__true_) &&
			    ewsd_item_get(soap, rq->db, new_id, &it) == 0)
				m->Items = one_item(soap, &it, EWSD_P_ID);
		} else if (guid) {
			EWSD_SET_VALUE(soap, m, ItemInfoResponseMessageType, "MailboxGuid", guid);
		}
	}
	return SOAP_OK;
}

int __ewsmsg__MoveItem(struct soap *soap, struct ewsmsg__MoveItemType *req, struct __ewsmsg__MoveItemResponse *resp)
{
	int rc = ewsd_begin_op(soap, "MoveItem", req);
	if (rc)
		return rc;
	resp->ewsmsg__MoveItemResponse = EWSD_NEW(soap, struct ewsmsg__MoveItemResponseType);
	return move_or_copy(soap, req->ToFolderId, req->ItemIds, RETURN_NEW_ITEM_IDS(req), 0,
			    &resp->ewsmsg__MoveItemResponse->ResponseMessages);
}

int __ewsmsg__CopyItem(struct soap *soap, struct ewsmsg__CopyItemType *req, struct __ewsmsg__CopyItemResponse *resp)
{
	int rc = ewsd_begin_op(soap, "CopyItem", req);
	if (rc)
		return rc;
	resp->ewsmsg__CopyItemResponse = EWSD_NEW(soap, struct ewsmsg__CopyItemResponseType);
	return move_or_copy(soap, req->ToFolderId, req->ItemIds, RETURN_NEW_ITEM_IDS(req), 1,
			    &resp->ewsmsg__CopyItemResponse->ResponseMessages);
}
