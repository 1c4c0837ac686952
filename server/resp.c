/* resp.c — building EWS responses from store rows: result codes, ids, items, folders, shapes, id resolution. */
#include <string.h>

#include "ewsd.h"
#include "ews_internal.h"

void *ewsd_zalloc(struct soap *soap, size_t n)
{
	void *p = soap_malloc(soap, n);
	if (p)
		memset(p, 0, n);
	return p;
}

/* The MessageText Exchange sends with each ResponseCode we produce. */
static const struct {
	const char *code, *text;
} error_texts[] = {
	{ "ErrorItemNotFound", "The specified object was not found in the store." },
	{ "ErrorFolderNotFound", "The specified folder could not be found in the store." },
	{ "ErrorInvalidChangeKey", "The change key is invalid." },
	{ "ErrorNonExistentMailbox", "No mailbox with such guid." },
	{ "ErrorInvalidIdMalformed", "Id is malformed." },
	{ "ErrorInvalidSyncStateData", "Synchronization state data is corrupt or otherwise invalid." },
	{ "ErrorServerBusy", "The server cannot service this request right now. Try again later." },
	{ "ErrorInvalidSmtpAddress", "The SMTP address has no mailbox associated with it." },
	{ "ErrorInvalidPropertyRequest", "The property request is invalid." },
	{ "ErrorUnsupportedPathForQuery", "The property path is not supported for the query." },
	{ "ErrorInvalidOperation", "The operation is invalid." },
	{ "ErrorDeleteDistinguishedFolder", "Distinguished folders cannot be deleted." },
	{ "ErrorFolderExists", "A folder with the specified name already exists." },
	{ "ErrorInvalidRequest", "The request is invalid." },
	{ "ErrorInvalidIdEmpty", "Id must be non-empty." },
	{ "ErrorIrresolvableConflict", "The send or update operation could not be performed because the change key "
				       "passed in the request does not match the current change key for the item." },
	{ "ErrorInvalidPagingMaxRows", "The specified value for MaxEntriesReturned or MaxChangesReturned is invalid." },
	{ "ErrorInvalidOffset", "The offset is invalid." },
	{ "ErrorCorruptData", "The data is corrupt." },
	{ "ErrorInternalServerError", "An internal server error occurred. The operation failed." },
	{ "ErrorImpersonationDenied", "The account does not have permission to impersonate the requested user." },
	{ "ErrorInvalidIdNotAnItemAttachmentId", "The Id is invalid." },
	{ "ErrorMoveCopyFailed", "The move or copy operation failed." },
	{ "ErrorInvalidValueForProperty", "The value is invalid for property." },
	{ "ErrorObjectTypeChanged", "The object type changed." },
	{ "ErrorDataSizeLimitExceeded", "The data is larger than the maximum size allowed for this property." },
	{ "ErrorMoveDistinguishedFolder", "Cannot move distinguished folder." },
	{ "ErrorCannotEmptyFolder", "The folder cannot be emptied." },
	{ "ErrorIncorrectUpdatePropertyCount", "An object within a change description must contain one and only one "
					       "property to modify." },
	{ "ErrorInvalidPropertySet", "Set action is invalid for property." },
	{ "ErrorInvalidPropertyDelete", "Delete action is invalid for property." },
	{ "ErrorInvalidPropertyAppend", "Append action is invalid for property." },
	{ "ErrorInvalidFolderName", "The folder name is invalid." },
	{ "ErrorInvalidRecipients", "At least one recipient isn't valid." },
	{ "ErrorInvalidScheduledOofDuration", "The scheduled Out of Office duration is invalid." },
	{ "ErrorMailRecipientNotFound", "The recipient could not be found." },
	{ "ErrorAccessDenied", "Access is denied. Check credentials and try again." },
	{ "ErrorInvalidParameter", "The parameter is invalid." },
	{ "ErrorInvalidItemForOperationSendItem", "The item is invalid for this operation." },
	{ "ErrorMissingInformationReferenceItemId", "The ReferenceItemId is missing." },
	{ "ErrorInvalidReferenceItem", "The reference item does not support the requested operation." },
	{ "ErrorCalendarIsOrganizerForAccept", "The organizer cannot accept the calendar item." },
	{ "ErrorCalendarIsOrganizerForTentative", "The organizer cannot tentatively accept the calendar item." },
	{ "ErrorCalendarIsOrganizerForDecline", "The organizer cannot decline the calendar item." },
	{ "ErrorCalendarIsNotOrganizer", "The user is not the organizer of the calendar item." },
	{ "ErrorCalendarIsCancelledForAccept", "A cancelled calendar item cannot be accepted." },
	{ "ErrorSubscriptionNotFound", "The specified subscription was not found." },
	{ "ErrorSubscriptionAccessDenied", "Access is denied. Only the subscription owner may access the subscription." },
	{ "ErrorInvalidWatermark", "The watermark used for creating this subscription was not found." },
	{ "ErrorInvalidSubscriptionRequest", "The subscription request is invalid." },
	{ "ErrorRequiredPropertyMissing", "Required property is missing." },
	{ "ErrorAttachmentSizeLimitExceeded", "The attachment could not be created because it is too large." },
	{ "ErrorInvalidAttachmentId", "The attachment id is invalid." },
	{ "ErrorMissingItemForCreateItemAttachment", "An item must be specified when creating an item attachment." },
	{ "ErrorItemSave", "The item could not be saved: an object of that name already exists." },
	{ "ErrorNameResolutionNoResults", "No results were found." },
	{ "ErrorNameResolutionMultipleResults", "Multiple results were found." },
	{ "ErrorResolveNamesInvalidFolderType", "Only contacts folders can be searched by ResolveNames." },
	{ "ErrorResolveNamesOnlyOneContactsFolderAllowed", "Only one contacts folder can be searched by ResolveNames." },
	{ "ErrorInvalidItemForOperationExpandDL", "The item is invalid for this operation." },
	/* recurring calendar items (recurrence.c) */
	{ "ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange", "The occurrence index is out of the recurrence range." },
	{ "ErrorCalendarOccurrenceIsDeletedFromRecurrence", "The occurrence was deleted from the recurrence." },
	{ "ErrorCalendarInvalidRecurrence", "The recurrence pattern is invalid." },
	{ "ErrorCalendarInvalidDayForWeeklyRecurrence", "Invalid day for weekly recurrence." },
	{ "ErrorRecurrenceHasNoOccurrence", "The recurrence pattern has no occurrence in its range." },
	{ "ErrorRecurrenceEndDateTooBig", "The recurrence end date is too far in the future." },
	{ "ErrorCalendarCannotUseIdForOccurrenceId", "The id cannot be used as the id of an occurrence." },
	{ "ErrorCalendarCannotUseIdForRecurringMasterId", "The id cannot be used as the id of a recurring master." },
	{ "ErrorCalendarCannotMoveOrCopyOccurrence", "An occurrence of a recurring series cannot be moved or copied." },
	{ "ErrorCalendarEndDateIsEarlierThanStartDate", "The end date is earlier than the start date." },
	{ "ErrorCalendarViewRangeTooBig", "The calendar view range is too big." },
	/* ArchiveItem (op_archive.c), GetSearchableMailboxes (op_discovery.c) */
	{ "ErrorCannotArchiveItemsInArchiveMailbox", "Items in the archive mailbox cannot be archived." },
	{ "ErrorCannotArchiveItemsInPublicFolders", "Items in public folders cannot be archived." },
	{ "ErrorInvalidItemForOperationArchiveItem", "The item is invalid for this operation." },
	{ "ErrorInvalidManagementRoleHeader", "The ManagementRole header is invalid." },
	{ "ErrorInvalidArgument", "The argument is invalid." },
	/* FindPeople, GetPersona (op_persona.c) */
	{ "ErrorInvalidIndexedPagingParameters", "The indexed paging parameters are invalid." },
	{ "ErrorUnsupportedPathForSortGroup", "The property path is not supported for a sort or group by." },
	{ "ErrorInvalidFolderTypeForOperation", "The folder type is invalid for this operation." },
	{ "ErrorUnsupportedQueryFilter", "The query filter is not supported." },
	/* delegates (op_delegate.c); the first two as the AddDelegate and UpdateDelegate pages show them */
	{ "ErrorDelegateAlreadyExists", "The user is already a delegate for the mailbox." },
	{ "ErrorNotDelegate", "The user is not a delegate for the mailbox." },
	{ "ErrorDelegateNoUser", "The delegate does not map to a user in the directory." },
	{ "ErrorDelegateCannotAddOwner", "The mailbox owner cannot be added as a delegate of the mailbox." },
	{ "ErrorDelegateValidationFailed", "Only a delegate with Editor permission on the calendar can receive copies of meeting messages." },
	{ "ErrorInvalidUserInfo", "The user information is invalid: the UserId names no user." },
	{ "ErrorInvalidDelegatePermission", "The delegate permission level Custom cannot be set." },
	{ "ErrorInvalidPermissionSettings", "The permission settings are invalid: a level other than Custom, for a user other than the owner." },
};

const char *ewsd_error_text(const char *code)
{
	for (size_t i = 0; i < sizeof error_texts / sizeof error_texts[0]; i++)
		if (!strcmp(error_texts[i].code, code))
			return error_texts[i].text;
	return "The request failed.";
}

void ewsd_fill_result(struct soap *soap, enum ewstype__ResponseClassType *cls, char **text, char **code, int **link,
		      const char *response_code)
{
	*code = soap_strdup(soap, response_code);
	if (!strcmp(response_code, "NoError")) {
		*cls = ewstype__ResponseClassType__Success;
		return;
	}
	*cls = ewstype__ResponseClassType__Error;
	*text = soap_strdup(soap, ewsd_error_text(response_code));
	*link = soap_malloc(soap, sizeof **link);
	**link = 0;
}

struct soap_dom_element *ewsd_value_dom(struct soap *soap, const char *name, const char *value)
{
	struct soap_dom_element *e = soap_elt_new(soap, EWS_NS_TYPES, "Value");
	soap_att_text(soap_att(e, NULL, "Name"), name);
	soap_elt_text(e, value);
	return e;
}

struct ewsmsg__ArrayOfResponseMessagesType *ewsd_messages(struct soap *soap, int n)
{
	struct ewsmsg__ArrayOfResponseMessagesType *a = EWSD_NEW(soap, struct ewsmsg__ArrayOfResponseMessagesType);
	a->__size_ArrayOfResponseMessagesType = n;
	a->__union_ArrayOfResponseMessagesType =
		ewsd_zalloc(soap, sizeof *a->__union_ArrayOfResponseMessagesType * (size_t)(n ? n : 1));
	return a;
}

/* ---- property selection ---- */

static const struct {
	const char *uri;
	unsigned prop;
} field_props[] = {
	{ "item:ItemId", EWSD_P_ID }, { "item:ParentFolderId", EWSD_P_PARENT }, { "item:ItemClass", EWSD_P_CLASS },
	{ "item:Subject", EWSD_P_SUBJECT }, { "item:Body", EWSD_P_BODY }, { "item:DateTimeReceived", EWSD_P_RECEIVED },
	{ "item:Size", EWSD_P_SIZE }, { "item:Importance", EWSD_P_IMPORTANCE }, { "message:IsRead", EWSD_P_READ },
	{ "message:From", EWSD_P_FROM }, { "message:Sender", EWSD_P_FROM }, { "message:ToRecipients", EWSD_P_TO },
	{ "message:CcRecipients", EWSD_P_CC }, { "item:DateTimeSent", EWSD_P_SENT },
	{ "item:DateTimeCreated", EWSD_P_CREATED }, { "calendar:Start", EWSD_P_START }, { "calendar:End", EWSD_P_END },
	{ "calendar:Location", EWSD_P_LOCATION }, { "calendar:Organizer", EWSD_P_ORGANIZER },
	/* a meeting keeps its attendees where a message keeps its recipients */
	{ "calendar:RequiredAttendees", EWSD_P_TO }, { "calendar:OptionalAttendees", EWSD_P_CC },
	{ "calendar:Resources", EWSD_P_RESOURCES },
	{ "contacts:GivenName", EWSD_P_CONTACT }, { "contacts:Surname", EWSD_P_CONTACT },
	{ "contacts:DisplayName", EWSD_P_CONTACT }, { "contacts:EmailAddresses", EWSD_P_CONTACT },
	{ "contacts:CompanyName", EWSD_P_CONTACT }, { "task:DueDate", EWSD_P_TASK }, { "task:Status", EWSD_P_TASK },
	{ "item:Categories", EWSD_P_CATEGORIES }, { "item:IsAssociated", EWSD_P_ASSOC },
	{ "item:HasAttachments", EWSD_P_HASATT }, { "item:Attachments", EWSD_P_ATTACH },
	{ "distributionlist:Members", EWSD_P_CONTACT },
	{ "folder:DisplayName", EWSD_P_F_NAME },
	{ "folder:FolderClass", EWSD_P_F_CLASS }, { "folder:TotalCount", EWSD_P_F_COUNTS },
	{ "folder:UnreadCount", EWSD_P_F_COUNTS }, { "folder:ChildFolderCount", EWSD_P_F_COUNTS },
	{ "folder:PermissionSet", EWSD_P_F_PERMS },
	{ "folder:FolderId", EWSD_P_ID }, { "folder:ParentFolderId", EWSD_P_PARENT },
};

unsigned ewsd_field_prop(const char *uri)
{
	for (size_t i = 0; uri && i < sizeof field_props / sizeof field_props[0]; i++)
		if (!strcmp(field_props[i].uri, uri))
			return field_props[i].prop;
	return 0;
}

static unsigned additional(struct soap *soap, struct ewstype__NonEmptyArrayOfPathsToElementType *a)
{
	unsigned p = 0;
	for (int i = 0; a && i < a->__size_NonEmptyArrayOfPathsToElementType; i++) {
		struct __ewstype__union_NonEmptyArrayOfPathsToElementType *u =
			&a->__union_NonEmptyArrayOfPathsToElementType[i];
		if (u->__union_NonEmptyArrayOfPathsToElementType ==
			    SOAP_UNION__ewstype__union_NonEmptyArrayOfPathsToElementType_FieldURI &&
		    u->union_NonEmptyArrayOfPathsToElementType.FieldURI)
			p |= ewsd_field_prop(soap_ewstype__UnindexedFieldURIType2s(
				soap, u->union_NonEmptyArrayOfPathsToElementType.FieldURI->FieldURI));
	}
	return p;
}

unsigned ewsd_item_props(struct soap *soap, struct ewstype__ItemResponseShapeType *shape, int for_get)
{
	unsigned p = EWSD_P_ID;
	if (!shape)
		return p;
	if (shape->BaseShape == ewstype__DefaultShapeNamesType__Default ||
	    shape->BaseShape == ewstype__DefaultShapeNamesType__AllProperties)
		p |= EWSD_P_PARENT | EWSD_P_CLASS | EWSD_P_SUBJECT | EWSD_P_RECEIVED | EWSD_P_SIZE | EWSD_P_IMPORTANCE |
		     EWSD_P_READ | EWSD_P_FROM | EWSD_P_START | EWSD_P_END | EWSD_P_LOCATION | EWSD_P_ORGANIZER |
		     EWSD_P_CONTACT | EWSD_P_TASK | EWSD_P_HASATT;
	if (shape->BaseShape == ewstype__DefaultShapeNamesType__Default && for_get)
		p |= EWSD_P_BODY | EWSD_P_TO | EWSD_P_CC | EWSD_P_RESOURCES | EWSD_P_ATTACH;
	if (shape->BaseShape == ewstype__DefaultShapeNamesType__AllProperties)
		p |= EWSD_P_TO | EWSD_P_CC | EWSD_P_RESOURCES | EWSD_P_SENT | EWSD_P_CREATED | EWSD_P_CATEGORIES | EWSD_P_ASSOC |
		     (for_get ? EWSD_P_BODY | EWSD_P_ATTACH : 0);
	p |= additional(soap, shape->AdditionalProperties);
	if (!for_get)
		p &= ~(unsigned)(EWSD_P_BODY | EWSD_P_ATTACH);   /* FindItem and sync never return the body (Exchange) */
	return p;
}

unsigned ewsd_folder_props(struct soap *soap, struct ewstype__FolderResponseShapeType *shape)
{
	unsigned p = EWSD_P_ID;
	if (!shape)
		return p;
	if (shape->BaseShape != ewstype__DefaultShapeNamesType__IdOnly)
		p |= EWSD_P_F_NAME | EWSD_P_F_COUNTS | EWSD_P_PARENT;
	if (shape->BaseShape == ewstype__DefaultShapeNamesType__AllProperties)
		p |= EWSD_P_F_CLASS | EWSD_P_F_PERMS;
	return p | additional(soap, shape->AdditionalProperties);
}

/* ---- ids ---- */

void ewsd_object_guid(struct soap *soap, int64_t mailbox_id, int64_t folder_id, char out[37])
{
	struct ewsd_mailbox m;
	out[0] = '\0';
	if (mailbox_id == ewsd_req(soap)->mailbox_id)   /* the usual case, without a query */
		memcpy(out, ewsd_req(soap)->mailbox_guid, 37);
	else if (ewsd_mailbox_by_id(ewsd_req(soap)->db, mailbox_id, &m) == 0)
		memcpy(out, m.guid, 37);
	if (out[0] && ewsd_folder_in_archive(ewsd_req(soap)->db, folder_id)) {
		char owner[37];
		memcpy(owner, out, sizeof owner);
		ewsd_archive_guid(owner, out);
	}
}

struct ewstype__ItemIdType *ewsd_item_id(struct soap *soap, const struct ewsd_item *it)
{
	struct ewstype__ItemIdType *id = EWSD_NEW(soap, struct ewstype__ItemIdType);
	struct ewsd_id v = { EWSD_ID_ITEM, "", it->folder_id, it->id };
	ewsd_object_guid(soap, it->mailbox_id, it->folder_id, v.mailbox_guid);
	id->Id = ewsd_id_make(soap, &v);
	id->ChangeKey = ewsd_changekey(soap, it->kind, it->change_num);
	return id;
}

static char *folder_id_string(struct soap *soap, int64_t mailbox_id, int64_t folder)
{
	struct ewsd_id v = { EWSD_ID_FOLDER, "", folder, 0 };
	ewsd_object_guid(soap, mailbox_id, folder, v.mailbox_guid);
	return ewsd_id_make(soap, &v);
}

struct ewstype__FolderIdType *ewsd_folder_id(struct soap *soap, const struct ewsd_folder *f)
{
	struct ewstype__FolderIdType *id = EWSD_NEW(soap, struct ewstype__FolderIdType);
	id->Id = folder_id_string(soap, f->mailbox_id, f->id);
	id->ChangeKey = ewsd_changekey(soap, -1, f->change_num);
	return id;
}

/* ---- items ---- */

static enum xsd__boolean *boolp(struct soap *soap, int v)
{
	enum xsd__boolean *b = soap_malloc(soap, sizeof *b);
	*b = v ? xsd__boolean__true_ : xsd__boolean__false_;
	return b;
}

/* Text as stored, or with the injected invalid character references (fault injection): a marker the send hook
 * (main.c) turns into the references, since gSOAP never writes invalid ones itself. */
static char *text(struct soap *soap, const char *s)
{
	if (!s)
		return NULL;
	if (ewsd_req(soap)->bad_chars) {
		size_t n = strlen(s);
		char *t = soap_malloc(soap, n + 32);
		snprintf(t, n + 32, "%s@@EWSDBAD@@", s);   /* same length as the replacement "&#x0;&#x1A;" */
		return t;
	}
	return soap_strdup(soap, s);
}

static struct ewstype__EmailAddressType *mailbox_of(struct soap *soap, const char *name, const char *addr)
{
	struct ewstype__EmailAddressType *m = EWSD_NEW(soap, struct ewstype__EmailAddressType);
	m->Name = soap_strdup(soap, name && *name ? name : addr);
	m->EmailAddress = soap_strdup(soap, addr);
	m->RoutingType = soap_strdup(soap, "SMTP");
	return m;
}

static struct ewstype__SingleRecipientType *single(struct soap *soap, const char *name, const char *addr)
{
	struct ewstype__SingleRecipientType *r;
	if (!addr || !*addr)
		return NULL;
	r = EWSD_NEW(soap, struct ewstype__SingleRecipientType);
	r->__union_SingleRecipientType = SOAP_UNION__ewstype__union_SingleRecipientType_Mailbox;
	r->union_SingleRecipientType.Mailbox = mailbox_of(soap, name, addr);
	return r;
}

/* "Name <addr>;addr2" -> ArrayOfRecipients */
static struct ewstype__ArrayOfRecipientsType *recipients(struct soap *soap, const char *list)
{
	struct ewstype__ArrayOfRecipientsType *a;
	int n = 0, cap;
	char *copy, *save = NULL;
	if (!list || !*list)
		return NULL;
	cap = 1;
	for (const char *c = list; *c; c++)
		cap += *c == ';';
	a = EWSD_NEW(soap, struct ewstype__ArrayOfRecipientsType);
	a->__union_ArrayOfRecipientsType = ewsd_zalloc(soap, sizeof *a->__union_ArrayOfRecipientsType * (size_t)cap);
	copy = soap_strdup(soap, list);
	for (char *tok = strtok_r(copy, ";", &save); tok && n < cap; tok = strtok_r(NULL, ";", &save)) {
		char *lt = strchr(tok, '<'), *name = tok, *addr = tok;
		while (*name == ' ')
			name++;
		if (lt) {
			char *gt = strchr(lt, '>');
			if (gt)
				*gt = '\0';
			addr = lt + 1;
			*lt = '\0';
			for (char *e = lt - 1; e >= name && *e == ' '; e--)
				*e = '\0';
		} else {
			name = NULL;
		}
		a->__union_ArrayOfRecipientsType[n].__union_ArrayOfRecipientsType =
			SOAP_UNION__ewstype__union_ArrayOfRecipientsType_Mailbox;
		a->__union_ArrayOfRecipientsType[n].union_ArrayOfRecipientsType.Mailbox = mailbox_of(soap, name, addr);
		n++;
	}
	a->__size_ArrayOfRecipientsType = n;
	return a;
}

static struct ewstype__ArrayOfStringsType *strings(struct soap *soap, const char *list)
{
	struct ewstype__ArrayOfStringsType *a;
	char *copy, *save = NULL;
	int cap = 1;
	if (!list || !*list)
		return NULL;
	for (const char *c = list; *c; c++)
		cap += *c == ';';
	a = EWSD_NEW(soap, struct ewstype__ArrayOfStringsType);
	a->String = ewsd_zalloc(soap, sizeof *a->String * (size_t)cap);
	copy = soap_strdup(soap, list);
	for (char *tok = strtok_r(copy, ";", &save); tok; tok = strtok_r(NULL, ";", &save))
		a->String[a->__sizeString++] = tok;
	return a;
}

static const char *const item_classes[] = { "IPM.Note", "IPM.Appointment", "IPM.Schedule.Meeting.Request",
					    "IPM.Contact", "IPM.Task", "IPM.DistList" };

/* Members every item type has (they all start with ItemType's members under wsdl2h -F). */
/* ItemType's IsAssociated came with Exchange 2010: an Exchange2007_SP1 item has no such member to answer */
#ifdef EWS_HAS_ewstype__ItemType_IsAssociated
#define FILL_ASSOCIATED(soap, p, it, props) \
	do { \
		if ((props) & EWSD_P_ASSOC) \
			(p)->IsAssociated = boolp((soap), (it)->is_associated); \
	} while (0)
#else
#define FILL_ASSOCIATED(soap, p, it, props) ((void)0)
#endif

#define FILL_COMMON(soap, p, it, props) \
	do { \
		if ((props) & EWSD_P_ID) \
			(p)->ItemId = ewsd_item_id((soap), (it)); \
		if ((props) & EWSD_P_PARENT) { \
			(p)->ParentFolderId = EWSD_NEW((soap), struct ewstype__FolderIdType); \
			(p)->ParentFolderId->Id = folder_id_string((soap), (it)->mailbox_id, (it)->folder_id); \
		} \
		if ((props) & EWSD_P_CLASS) \
			(p)->ItemClass = soap_strdup((soap), (it)->item_class ? (it)->item_class \
									      : item_classes[(it)->kind]); \
		if ((props) & EWSD_P_SUBJECT) \
			(p)->Subject = text((soap), (it)->subject ? (it)->subject : ""); \
		if (((props) & EWSD_P_BODY) && (it)->body) { \
			(p)->Body = EWSD_NEW((soap), struct ewstype__BodyType); \
			(p)->Body->__item = text((soap), (it)->body); \
			(p)->Body->BodyType = (it)->body_html ? ewstype__BodyTypeType__HTML : ewstype__BodyTypeType__Text; \
		} \
		if ((props) & EWSD_P_RECEIVED) \
			(p)->DateTimeReceived = soap_strdup((soap), (it)->received); \
		if ((props) & EWSD_P_SIZE) { \
			(p)->Size = soap_malloc((soap), sizeof(int)); \
			*(p)->Size = (int)(it)->size; \
		} \
		if ((props) & EWSD_P_IMPORTANCE) { \
			(p)->Importance = soap_malloc((soap), sizeof *(p)->Importance); \
			*(p)->Importance = (it)->importance == 0   ? ewstype__ImportanceChoicesType__Low \
					   : (it)->importance == 2 ? ewstype__ImportanceChoicesType__High \
								   : ewstype__ImportanceChoicesType__Normal; \
		} \
		if ((props) & EWSD_P_CATEGORIES) \
			(p)->Categories = strings((soap), (it)->categories); \
		if ((props) & EWSD_P_SENT) \
			(p)->DateTimeSent = soap_strdup((soap), (it)->sent); \
		if ((props) & EWSD_P_CREATED) \
			(p)->DateTimeCreated = soap_strdup((soap), (it)->created); \
		if ((props) & EWSD_P_ATTACH) \
			(p)->Attachments = ewsd_attach_item_list((soap), (it)); \
		if ((props) & EWSD_P_HASATT) \
			(p)->HasAttachments = boolp((soap), ewsd_attach_exists(ewsd_req(soap)->db, (it)->id)); \
		FILL_ASSOCIATED(soap, p, it, props); \
	} while (0)

#define FILL_MESSAGE(soap, p, it, props) \
	do { \
		if ((props) & EWSD_P_FROM) { \
			(p)->From = single((soap), (it)->from_name, (it)->from_addr); \
			(p)->Sender = single((soap), (it)->from_name, (it)->from_addr); \
		} \
		if ((props) & EWSD_P_TO) \
			(p)->ToRecipients = recipients((soap), (it)->to_list); \
		if ((props) & EWSD_P_CC) \
			(p)->CcRecipients = recipients((soap), (it)->cc_list); \
		if ((props) & EWSD_P_READ) \
			(p)->IsRead = boolp((soap), (it)->is_read); \
	} while (0)

#define FILL_CALENDAR(soap, p, it, props) \
	do { \
		if ((props) & EWSD_P_START) \
			(p)->Start = soap_strdup((soap), (it)->start); \
		if ((props) & EWSD_P_END) \
			(p)->End = soap_strdup((soap), (it)->end); \
		if ((props) & EWSD_P_LOCATION) \
			(p)->Location = text((soap), (it)->location); \
		if ((props) & EWSD_P_ORGANIZER) \
			(p)->Organizer = single((soap), (it)->from_name, (it)->from_addr); \
		if ((props) & EWSD_P_TO) /* the attendees, with their responses (attendees.c) */ \
			(p)->RequiredAttendees = ewsd_attendees_out((soap), ewsd_req(soap)->db, (it)->id, (it)->to_list, \
								   (it)->from_addr); \
		if ((props) & EWSD_P_CC) \
			(p)->OptionalAttendees = ewsd_attendees_out((soap), ewsd_req(soap)->db, (it)->id, (it)->cc_list, \
								   (it)->from_addr); \
		if (((props) & EWSD_P_RESOURCES) && (it)->id) \
			(p)->Resources = ewsd_attendees_out((soap), ewsd_req(soap)->db, (it)->id, \
							    ewsd_resources_stored((soap), ewsd_req(soap)->db, (it)->id), \
							    (it)->from_addr); \
	} while (0)

void ewsd_put_item(struct soap *soap, const struct ewsd_item *it, unsigned props, int *selector, void **slot,
		   const int sels[6])
{
	switch (it->kind) {
	case EWSD_CALENDAR: {
		struct ewstype__CalendarItemType *p = EWSD_NEW(soap, struct ewstype__CalendarItemType);
		FILL_COMMON(soap, p, it, props);
		FILL_CALENDAR(soap, p, it, props);
		*slot = p;
		break;
	}
	case EWSD_MEETING_REQUEST: {
		struct ewstype__MeetingRequestMessageType *p = EWSD_NEW(soap, struct ewstype__MeetingRequestMessageType);
		FILL_COMMON(soap, p, it, props);
		FILL_MESSAGE(soap, p, it, props);
		FILL_CALENDAR(soap, p, it, props);
		*slot = p;
		break;
	}
	case EWSD_CONTACT: {
		struct ewstype__ContactItemType *p = EWSD_NEW(soap, struct ewstype__ContactItemType);
		FILL_COMMON(soap, p, it, props);
		if (props & EWSD_P_CONTACT) {
			char dn[512];
			snprintf(dn, sizeof dn, "%s%s%s", it->given_name ? it->given_name : "",
				 it->given_name && it->surname ? " " : "", it->surname ? it->surname : "");
			/* a contact named only by DisplayName keeps it as its Subject */
			p->DisplayName = text(soap, *dn ? dn : it->subject);
			p->GivenName = text(soap, it->given_name);
			p->Surname = text(soap, it->surname);
			p->CompanyName = text(soap, it->company);
			if (it->email && *it->email) {
				p->EmailAddresses = EWSD_NEW(soap, struct ewstype__EmailAddressDictionaryType);
				p->EmailAddresses->__sizeEntry = 1;
				p->EmailAddresses->Entry = EWSD_NEW(soap, struct ewstype__EmailAddressDictionaryEntryType);
				p->EmailAddresses->Entry->Key = ewstype__EmailAddressKeyType__EmailAddress1;
				p->EmailAddresses->Entry->__item = soap_strdup(soap, it->email);
			}
		}
		*slot = p;
		break;
	}
	case EWSD_TASK: {
		struct ewstype__TaskType *p = EWSD_NEW(soap, struct ewstype__TaskType);
		FILL_COMMON(soap, p, it, props);
		if (props & EWSD_P_TASK) {
			static const enum ewstype__TaskStatusType st[] = {
				ewstype__TaskStatusType__NotStarted, ewstype__TaskStatusType__InProgress,
				ewstype__TaskStatusType__Completed, ewstype__TaskStatusType__WaitingOnOthers,
				ewstype__TaskStatusType__Deferred };
			p->DueDate = soap_strdup(soap, it->due);
			p->Status = soap_malloc(soap, sizeof *p->Status);
			*p->Status = st[it->status >= 0 && it->status < 5 ? it->status : 0];
		}
		*slot = p;
		break;
	}
	case EWSD_DISTLIST: {
		/* the list's name is its Subject and DisplayName (and FileAs); Members are added by ewsd_dl_attach */
		struct ewstype__DistributionListType *p = EWSD_NEW(soap, struct ewstype__DistributionListType);
		FILL_COMMON(soap, p, it, props);
		if (props & EWSD_P_CONTACT) {
			p->DisplayName = text(soap, it->subject ? it->subject : "");
			p->FileAs = text(soap, it->subject ? it->subject : "");
		}
		*slot = p;
		break;
	}
	default: {
		struct ewstype__MessageType *p = EWSD_NEW(soap, struct ewstype__MessageType);
		FILL_COMMON(soap, p, it, props);
		FILL_MESSAGE(soap, p, it, props);
		*slot = p;
		break;
	}
	}
	*selector = sels[it->kind >= 0 && it->kind < 6 ? it->kind : 0];
}

struct ewstype__FolderType *ewsd_make_folder(struct soap *soap, const struct ewsd_folder *f, unsigned props)
{
	struct ewstype__FolderType *p = EWSD_NEW(soap, struct ewstype__FolderType);
	if (props & EWSD_P_ID)
		p->FolderId = ewsd_folder_id(soap, f);
	if ((props & EWSD_P_PARENT) && f->parent_id) {
		p->ParentFolderId = EWSD_NEW(soap, struct ewstype__FolderIdType);
		p->ParentFolderId->Id = folder_id_string(soap, f->mailbox_id, f->parent_id);
	}
	if ((props & EWSD_P_F_CLASS) && f->folder_class)
		p->FolderClass = soap_strdup(soap, f->folder_class);
	if (props & EWSD_P_F_NAME)
		p->DisplayName = soap_strdup(soap, f->display_name);
	struct ewsd_folder c = *f;
	if ((props & EWSD_P_F_COUNTS) && !ewsd_folder_counts(ewsd_req(soap)->db, &c)) {
		p->TotalCount = soap_malloc(soap, sizeof(int));
		*p->TotalCount = c.total;
		p->ChildFolderCount = soap_malloc(soap, sizeof(int));
		*p->ChildFolderCount = c.child_count;
		p->UnreadCount = soap_malloc(soap, sizeof(int));
		*p->UnreadCount = c.unread;
	}
	return p;
}

/* ---- request -> row ---- */

static void recipients_in(struct soap *soap, struct ewstype__ArrayOfRecipientsType *a, const char **out)
{
	size_t cap = 1, len = 0;
	char *s;
	if (!a || a->__size_ArrayOfRecipientsType <= 0)
		return;
	for (int i = 0; i < a->__size_ArrayOfRecipientsType; i++) {
		struct ewstype__EmailAddressType *m = a->__union_ArrayOfRecipientsType[i].union_ArrayOfRecipientsType.Mailbox;
		if (m)
			cap += (m->Name ? strlen(m->Name) : 0) + (m->EmailAddress ? strlen(m->EmailAddress) : 0) + 5;
	}
	s = soap_malloc(soap, cap);
	s[0] = '\0';
	for (int i = 0; i < a->__size_ArrayOfRecipientsType; i++) {
		struct ewstype__EmailAddressType *m = a->__union_ArrayOfRecipientsType[i].union_ArrayOfRecipientsType.Mailbox;
		if (!m || !m->EmailAddress)
			continue;
		len += (size_t)snprintf(s + len, cap - len, "%s%s%s<%s>", len ? ";" : "", m->Name ? m->Name : "",
					m->Name ? " " : "", m->EmailAddress);
	}
	*out = s;
}

static void attendees_in(struct soap *soap, struct ewstype__NonEmptyArrayOfAttendeesType *a, const char **out)
{
	const char *list = NULL;
	for (int i = 0; a && i < a->__sizeAttendee; i++) {
		struct ewstype__EmailAddressType *m = a->Attendee[i].Mailbox;
		if (!m || !m->EmailAddress)
			continue;
		size_t n = (list ? strlen(list) : 0) + (m->Name ? strlen(m->Name) : 0) + strlen(m->EmailAddress) + 5;
		char *s = soap_malloc(soap, n);
		snprintf(s, n, "%s%s%s%s<%s>", list ? list : "", list ? ";" : "", m->Name ? m->Name : "",
			 m->Name ? " " : "", m->EmailAddress);
		list = s;
	}
	if (list)
		*out = list;
}

void ewsd_recipients_in(struct soap *soap, struct ewstype__ArrayOfRecipientsType *a, const char **out)
{
	recipients_in(soap, a, out);
}

static void single_in(struct ewstype__SingleRecipientType *r, const char **name, const char **addr)
{
	if (r && r->union_SingleRecipientType.Mailbox) {
		*name = r->union_SingleRecipientType.Mailbox->Name;
		*addr = r->union_SingleRecipientType.Mailbox->EmailAddress;
	}
}

/* Dates are kept in UTC, as Exchange answers them, so that they compare as text in queries. */
static const char *utc(struct soap *soap, const char *s)
{
	const char *z = ewsd_norm_date(soap, s);
	return z ? z : s;
}

#define TAKE_COMMON(soap, p, it) \
	do { \
		if ((p)->ItemClass) \
			(it)->item_class = (p)->ItemClass; \
		if ((p)->Subject) \
			(it)->subject = (p)->Subject; \
		if ((p)->Body) { \
			(it)->body = (p)->Body->__item ? (p)->Body->__item : ""; \
			(it)->body_html = (p)->Body->BodyType == ewstype__BodyTypeType__HTML; \
		} \
		if ((p)->Importance) \
			(it)->importance = *(p)->Importance == ewstype__ImportanceChoicesType__Low    ? 0 \
					   : *(p)->Importance == ewstype__ImportanceChoicesType__High ? 2 \
												      : 1; \
		if ((p)->Categories) { \
			size_t n = 1; \
			for (int i = 0; i < (p)->Categories->__sizeString; i++) \
				n += strlen((p)->Categories->String[i]) + 1; \
			char *c = soap_malloc((soap), n); \
			c[0] = '\0'; \
			for (int i = 0; i < (p)->Categories->__sizeString; i++) { \
				if (i) \
					strcat(c, ";"); \
				strcat(c, (p)->Categories->String[i]); \
			} \
			(it)->categories = c; \
		} \
		if ((p)->DateTimeReceived) \
			(it)->received = utc((soap), (p)->DateTimeReceived); \
	} while (0)

#define TAKE_MESSAGE(soap, p, it) \
	do { \
		single_in((p)->From, &(it)->from_name, &(it)->from_addr); \
		recipients_in((soap), (p)->ToRecipients, &(it)->to_list); \
		recipients_in((soap), (p)->CcRecipients, &(it)->cc_list); \
		if ((p)->IsRead) \
			(it)->is_read = *(p)->IsRead == xsd__boolean__true_; \
	} while (0)

#define TAKE_CALENDAR(soap, p, it) \
	do { \
		if ((p)->Start) \
			(it)->start = utc((soap), (p)->Start); \
		if ((p)->End) \
			(it)->end = utc((soap), (p)->End); \
		if ((p)->Location) \
			(it)->location = (p)->Location; \
	} while (0)

/* s cut to at most max characters (UTF-8 code points, never inside one); s itself when it is shorter. */
static const char *truncate_chars(struct soap *soap, const char *s, size_t max)
{
	size_t chars = 0, i = 0;
	if (!s)
		return s;
	for (; s[i]; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && ++chars > max)
			break;
	if (!s[i])
		return s;
	char *t = soap_malloc(soap, i + 1);
	if (!t)
		return s;
	memcpy(t, s, i);
	t[i] = '\0';
	return t;
}

int ewsd_item_from_request(struct soap *soap, int selector, void *ptr, const int sels[7], struct ewsd_item *it)
{
	if (!ptr)
		return -1;
	if (selector == sels[EWSD_MESSAGE]) {
		struct ewstype__MessageType *p = ptr;
		it->kind = EWSD_MESSAGE;
		TAKE_COMMON(soap, p, it);
		TAKE_MESSAGE(soap, p, it);
	} else if (selector == sels[EWSD_CALENDAR]) {
		struct ewstype__CalendarItemType *p = ptr;
		it->kind = EWSD_CALENDAR;
		TAKE_COMMON(soap, p, it);
		TAKE_CALENDAR(soap, p, it);
		/* the attendees, kept where a message keeps its recipients: CancelCalendarItem writes to them */
		attendees_in(soap, p->RequiredAttendees, &it->to_list);
		attendees_in(soap, p->OptionalAttendees, &it->cc_list);
	} else if (selector == sels[EWSD_MEETING_REQUEST]) {
		struct ewstype__MeetingRequestMessageType *p = ptr;
		it->kind = EWSD_MEETING_REQUEST;
		TAKE_COMMON(soap, p, it);
		TAKE_MESSAGE(soap, p, it);
		TAKE_CALENDAR(soap, p, it);
	} else if (selector == sels[EWSD_CONTACT]) {
		struct ewstype__ContactItemType *p = ptr;
		it->kind = EWSD_CONTACT;
		TAKE_COMMON(soap, p, it);
		if (p->GivenName)
			it->given_name = p->GivenName;
		if (p->Surname)
			it->surname = p->Surname;
		if (p->CompanyName)
			it->company = p->CompanyName;
		if (p->EmailAddresses && p->EmailAddresses->__sizeEntry > 0)
			it->email = p->EmailAddresses->Entry[0].__item;
		if (!it->subject && p->DisplayName)   /* the contact's name, when it has no Subject of its own */
			it->subject = p->DisplayName;
		if (!it->subject && (p->GivenName || p->Surname)) {
			char dn[512];
			snprintf(dn, sizeof dn, "%s%s%s", p->GivenName ? p->GivenName : "",
				 p->GivenName && p->Surname ? " " : "", p->Surname ? p->Surname : "");
			it->subject = soap_strdup(soap, dn);
		}
	} else if (selector == sels[EWSD_TASK]) {
		struct ewstype__TaskType *p = ptr;
		it->kind = EWSD_TASK;
		TAKE_COMMON(soap, p, it);
		if (p->DueDate)
			it->due = utc(soap, p->DueDate);
		if (p->Status)
			it->status = *p->Status == ewstype__TaskStatusType__InProgress        ? 1
				     : *p->Status == ewstype__TaskStatusType__Completed       ? 2
				     : *p->Status == ewstype__TaskStatusType__WaitingOnOthers ? 3
				     : *p->Status == ewstype__TaskStatusType__Deferred        ? 4
											      : 0;
	} else if (sels[EWSD_DISTLIST] >= 0 && selector == sels[EWSD_DISTLIST]) {
		/* members are not columns: CreateItem and UpdateItem take them with dl.c */
		struct ewstype__DistributionListType *p = ptr;
		it->kind = EWSD_DISTLIST;
		TAKE_COMMON(soap, p, it);
		if (p->DisplayName)
			it->subject = p->DisplayName;
	} else if (selector == sels[6]) {
		struct ewstype__ItemType *p = ptr;
		TAKE_COMMON(soap, p, it);
	} else {
		return -1;
	}
	if (!it->item_class)
		it->item_class = item_classes[it->kind];
	it->subject = truncate_chars(soap, it->subject, EWSD_MAX_SUBJECT);
	it->size = (int64_t)(200 + (it->subject ? strlen(it->subject) : 0) + (it->body ? strlen(it->body) : 0));
	return 0;
}

/* ---- resolving references ---- */

/* A folder of another mailbox of the store, reached through the folder permissions the user acting has there
 * (permissions.c): NULL when they cover what the operation does with it (target: puts something into it),
 * ErrorAccessDenied when they do not, none_code when the user has no rights there at all. */
static const char *foreign_folder(struct soap *soap, const struct ewsd_folder *f, int target, const char *none_code)
{
	struct ewsd_request *rq = ewsd_req(soap);
	if (!ewsd_perm_rights(rq->db, f->id, rq->mailbox_smtp))
		return none_code;
	return ewsd_perm_allows(rq->db, f->id, rq->mailbox_smtp, rq->op, target) ? NULL : "ErrorAccessDenied";
}

static const char *resolve_folder_as(struct soap *soap, struct ewstype__FolderIdType *fid,
				     struct ewstype__DistinguishedFolderIdType *did, struct ewsd_folder *out, int target)
{
	struct ewsd_request *rq = ewsd_req(soap);
	if (did) {
		const char *name = soap_ewstype__DistinguishedFolderIdNameType2s(soap, did->Id);
		int64_t mbx = rq->mailbox_id;
		if (did->Mailbox && did->Mailbox->EmailAddress) {
			struct ewsd_mailbox m;
			if (strcasecmp(did->Mailbox->EmailAddress, rq->mailbox_smtp)) {
				if (ewsd_mailbox_by_smtp(rq->db, did->Mailbox->EmailAddress, &m))
					return "ErrorNonExistentMailbox";
				mbx = m.id;
				/* an impersonating account reaches its own mailbox; anybody else needs folder permissions */
				if (strcasecmp(m.smtp, rq->user)) {
					if (!name || !strcmp(name, "publicfoldersroot") ||
					    ewsd_folder_distinguished(soap, rq->db, mbx, name, out))
						return "ErrorAccessDenied";
					return foreign_folder(soap, out, target, "ErrorAccessDenied");
				}
			}
		}
		if (name && !strcmp(name, "publicfoldersroot"))     /* the domain's public-folder mailbox (public.c) */
			return ewsd_public_root(soap, out);
		return ewsd_folder_distinguished(soap, rq->db, mbx, name, out) ? "ErrorFolderNotFound" : NULL;
	}
	if (fid) {
		struct ewsd_id id;
		int64_t mbx = rq->mailbox_id;
		const char *route = NULL;
		if (!fid->Id || !*fid->Id)
			return "ErrorInvalidIdEmpty";
		if (ewsd_id_parse(soap, fid->Id, &id) || id.kind != EWSD_ID_FOLDER)
			return "ErrorInvalidIdMalformed";
		/* the archive's GUID names a folder of the archive tree (ids ewsd gave before the archive had a GUID
		 * of its own, with the owner's, still resolve) */
		int archive = strcmp(id.mailbox_guid, rq->mailbox_guid) && ewsd_guid_is_archive_of(id.mailbox_guid, rq->mailbox_guid);
		if (strcmp(id.mailbox_guid, rq->mailbox_guid) && !archive &&
		    !ewsd_public_reach(soap, id.mailbox_guid, &mbx, &route)) {
			/* another mailbox of the store: its folder is reached through the folder permissions */
			struct ewsd_mailbox m;
			if (ewsd_mailbox_by_guid(rq->db, id.mailbox_guid, &m) || ewsd_folder_get(soap, rq->db, id.folder, out) ||
			    out->mailbox_id != m.id)
				return "ErrorFolderNotFound";
			return foreign_folder(soap, out, target, "ErrorFolderNotFound");
		}
		if (route)
			return route;
		if (ewsd_folder_get(soap, rq->db, id.folder, out) || out->mailbox_id != mbx ||
		    (archive && !ewsd_folder_in_archive(rq->db, out->id)))
			return "ErrorFolderNotFound";
		return NULL;
	}
	return "ErrorInvalidRequest";
}

const char *ewsd_resolve_folder(struct soap *soap, struct ewstype__FolderIdType *fid,
				struct ewstype__DistinguishedFolderIdType *did, struct ewsd_folder *out)
{
	return resolve_folder_as(soap, fid, did, out, 0);
}

const char *ewsd_resolve_target(struct soap *soap, struct ewstype__TargetFolderIdType *t, struct ewsd_folder *out)
{
	if (!t)
		return "ErrorInvalidRequest";
	if (t->__union_TargetFolderIdType == SOAP_UNION__ewstype__union_TargetFolderIdType_FolderId)
		return resolve_folder_as(soap, t->union_TargetFolderIdType.FolderId, NULL, out, 1);
	if (t->__union_TargetFolderIdType == SOAP_UNION__ewstype__union_TargetFolderIdType_DistinguishedFolderId)
		return resolve_folder_as(soap, NULL, t->union_TargetFolderIdType.DistinguishedFolderId, out, 1);
	return "ErrorInvalidRequest";
}

const char *ewsd_resolve_item(struct soap *soap, const char *id, const char *ck, int check_ck, struct ewsd_item *out,
			      const char **guid_out)
{
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewsd_id v;
	if (!id || !*id)
		return "ErrorInvalidIdEmpty";
	if (ewsd_id_parse(soap, id, &v) || v.kind != EWSD_ID_ITEM)
		return "ErrorInvalidIdMalformed";
	/* a ChangeKey that is not one is refused even where a stale one is accepted (DeleteItem, MoveItem ...) */
	if (ck && !ewsd_changekey_wellformed(soap, ck))
		return "ErrorInvalidChangeKey";
	int64_t mbx = rq->mailbox_id;
	const char *route = NULL;
	int archive = strcmp(v.mailbox_guid, rq->mailbox_guid) && ewsd_guid_is_archive_of(v.mailbox_guid, rq->mailbox_guid);
	if (strcmp(v.mailbox_guid, rq->mailbox_guid) && !archive &&
	    !ewsd_public_reach(soap, v.mailbox_guid, &mbx, &route)) {
		/* another mailbox of the store: its item is reached through the folder permissions on its folder */
		struct ewsd_mailbox m;
		struct ewsd_folder f;
		if (!ewsd_mailbox_by_guid(rq->db, v.mailbox_guid, &m) && !ewsd_item_get(soap, rq->db, v.item, out) &&
		    out->mailbox_id == m.id && out->folder_id == v.folder && !ewsd_folder_get(soap, rq->db, v.folder, &f) &&
		    ewsd_perm_rights(rq->db, f.id, rq->mailbox_smtp)) {
			if (!ewsd_perm_allows(rq->db, f.id, rq->mailbox_smtp, rq->op, 0))
				return "ErrorAccessDenied";
			goto change_key;
		}
		if (guid_out)
			*guid_out = soap_strdup(soap, v.mailbox_guid);
		return "ErrorNonExistentMailbox";
	}
	if (route)
		return route;
	if (ewsd_item_get(soap, rq->db, v.item, out) || out->mailbox_id != mbx || out->folder_id != v.folder ||
	    (archive && !ewsd_folder_in_archive(rq->db, out->folder_id)))
		return "ErrorItemNotFound";
change_key:
	if (check_ck && ck) {
		const char *cur = ewsd_changekey(soap, out->kind, out->change_num);
		if (strcmp(cur, ck))
			return "ErrorInvalidChangeKey";
	}
	return NULL;
}

const char *ewsd_resolve_listed_item(struct soap *soap, struct __ewstype__union_NonEmptyArrayOfBaseItemIdsType *u,
				     struct ewsd_item *out, const char **guid_out)
{
	if (u->__union_NonEmptyArrayOfBaseItemIdsType != SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseItemIdsType_ItemId ||
	    !u->union_NonEmptyArrayOfBaseItemIdsType.ItemId)
		return "ErrorInvalidIdMalformed";
	struct ewstype__ItemIdType *id = u->union_NonEmptyArrayOfBaseItemIdsType.ItemId;
	return ewsd_resolve_item(soap, id->Id, id->ChangeKey, 0, out, guid_out);
}
