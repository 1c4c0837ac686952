/* ews_view.c — flat borrowed views (ews/view.h) of the decoded item and folder elements. */
#include <string.h>

#include "ews_view_internal.h"
#include "ews_workflow.h"

/* Element names by kind (the elements the views have kinds for). */
static const char *const item_elements[] = {
	[EWS_ITEM_GENERIC] = "Item", [EWS_ITEM_MESSAGE] = "Message", [EWS_ITEM_CALENDAR] = "CalendarItem",
	[EWS_ITEM_CONTACT] = "Contact", [EWS_ITEM_DISTRIBUTION_LIST] = "DistributionList",
	[EWS_ITEM_MEETING_MESSAGE] = "MeetingMessage", [EWS_ITEM_MEETING_REQUEST] = "MeetingRequest",
	[EWS_ITEM_MEETING_RESPONSE] = "MeetingResponse", [EWS_ITEM_MEETING_CANCELLATION] = "MeetingCancellation",
	[EWS_ITEM_TASK] = "Task", [EWS_ITEM_POST] = "PostItem",
};
static const char *const folder_elements[] = {
	[EWS_FOLDER_GENERIC] = "Folder", [EWS_FOLDER_CALENDAR] = "CalendarFolder",
	[EWS_FOLDER_CONTACTS] = "ContactsFolder", [EWS_FOLDER_SEARCH] = "SearchFolder", [EWS_FOLDER_TASKS] = "TasksFolder",
};

/* gSOAP's -F inheritance repeats the base members in every derived struct, so the same member names work on every
 * item type; a macro (not a cast to ItemType) keeps each access typed. */
#define FILL_ITEM_BASE(v, p) do {                                                                  \
	(v)->id = (p)->ItemId ? (p)->ItemId->Id : NULL;                                                \
	(v)->change_key = (p)->ItemId ? (p)->ItemId->ChangeKey : NULL;                                 \
	(v)->parent_folder_id = (p)->ParentFolderId ? (p)->ParentFolderId->Id : NULL;                  \
	(v)->item_class = (p)->ItemClass;                                                              \
	(v)->subject = (p)->Subject;                                                                   \
	(v)->received = (p)->DateTimeReceived;                                                         \
	(v)->sent = (p)->DateTimeSent;                                                                 \
	(v)->created = (p)->DateTimeCreated;                                                           \
	(v)->modified = (p)->LastModifiedTime;                                                         \
	(v)->size = (p)->Size ? (long long)*(p)->Size : -1;                                            \
	(v)->has_attachments = (p)->HasAttachments ? *(p)->HasAttachments == xsd__boolean__true_ : -1; \
} while (0)

#define FILL_MESSAGE(v, p) do {                                                                    \
	(v)->is_read = (p)->IsRead ? *(p)->IsRead == xsd__boolean__true_ : -1;                         \
	(v)->internet_message_id = (p)->InternetMessageId;                                             \
	if ((p)->From && (p)->From->__union_SingleRecipientType ==                                     \
	    SOAP_UNION__ewstype__union_SingleRecipientType_Mailbox &&                                  \
	    (p)->From->union_SingleRecipientType.Mailbox) {                                            \
		(v)->from_name = (p)->From->union_SingleRecipientType.Mailbox->Name;                   \
		(v)->from_address = (p)->From->union_SingleRecipientType.Mailbox->EmailAddress;        \
	}                                                                                              \
} while (0)

#define FILL_CALENDAR(v, p) do {                                                                   \
	(v)->start = (p)->Start;                                                                       \
	(v)->end = (p)->End;                                                                           \
	(v)->location = (p)->Location;                                                                 \
} while (0)

void ews_wf_item_view(ews_item_view *v, ews_item_kind kind, const void *typed)
{
	memset(v, 0, sizeof *v);
	v->size = -1;
	v->is_read = -1;
	v->has_attachments = -1;
	v->kind = typed ? kind : EWS_ITEM_NONE;
	v->typed.any = typed;
	if (!typed)
		return;
	if (kind > EWS_ITEM_NONE && kind < EWS_ITEM_OTHER)
		v->element = item_elements[kind];
	switch (kind) {
	case EWS_ITEM_NONE:
	case EWS_ITEM_OTHER:            /* only ews_view_other_item() makes these (it needs the DOM) */
		v->kind = EWS_ITEM_NONE;
		v->typed.any = NULL;
		break;
	case EWS_ITEM_GENERIC:
		FILL_ITEM_BASE(v, v->typed.item);
		break;
	case EWS_ITEM_MESSAGE:
		FILL_ITEM_BASE(v, v->typed.message);
		FILL_MESSAGE(v, v->typed.message);
		break;
	case EWS_ITEM_CALENDAR:
		FILL_ITEM_BASE(v, v->typed.calendar);
		FILL_CALENDAR(v, v->typed.calendar);
		break;
	case EWS_ITEM_CONTACT:
		FILL_ITEM_BASE(v, v->typed.contact);
		break;
	case EWS_ITEM_DISTRIBUTION_LIST:
		FILL_ITEM_BASE(v, v->typed.distribution_list);
		break;
	case EWS_ITEM_MEETING_MESSAGE:
		FILL_ITEM_BASE(v, v->typed.meeting_message);
		FILL_MESSAGE(v, v->typed.meeting_message);
		break;
	case EWS_ITEM_MEETING_REQUEST:
		FILL_ITEM_BASE(v, v->typed.meeting_request);
		FILL_MESSAGE(v, v->typed.meeting_request);
		FILL_CALENDAR(v, v->typed.meeting_request);
		break;
	case EWS_ITEM_MEETING_RESPONSE:
		FILL_ITEM_BASE(v, v->typed.meeting_response);
		FILL_MESSAGE(v, v->typed.meeting_response);
		break;
	case EWS_ITEM_MEETING_CANCELLATION:
		FILL_ITEM_BASE(v, v->typed.meeting_cancellation);
		FILL_MESSAGE(v, v->typed.meeting_cancellation);
		break;
	case EWS_ITEM_TASK:
		FILL_ITEM_BASE(v, v->typed.task);
		break;
	case EWS_ITEM_POST:
		FILL_ITEM_BASE(v, v->typed.post);
		FILL_MESSAGE(v, v->typed.post);
		break;
	}
}

#define FILL_FOLDER_BASE(v, p) do {                                                                \
	(v)->id = (p)->FolderId ? (p)->FolderId->Id : NULL;                                            \
	(v)->change_key = (p)->FolderId ? (p)->FolderId->ChangeKey : NULL;                             \
	(v)->parent_folder_id = (p)->ParentFolderId ? (p)->ParentFolderId->Id : NULL;                  \
	(v)->display_name = (p)->DisplayName;                                                          \
	(v)->folder_class = (p)->FolderClass;                                                          \
	(v)->total_count = (p)->TotalCount ? *(p)->TotalCount : -1;                                    \
	(v)->child_folder_count = (p)->ChildFolderCount ? *(p)->ChildFolderCount : -1;                 \
} while (0)

void ews_wf_folder_view(ews_folder_view *v, ews_folder_kind kind, const void *typed)
{
	memset(v, 0, sizeof *v);
	v->total_count = v->child_folder_count = v->unread_count = -1;
	v->kind = typed ? kind : EWS_FOLDER_NONE;
	v->typed.any = typed;
	if (!typed)
		return;
	if (kind > EWS_FOLDER_NONE && kind < EWS_FOLDER_OTHER)
		v->element = folder_elements[kind];
	switch (kind) {
	case EWS_FOLDER_NONE:
	case EWS_FOLDER_OTHER:          /* only ews_view_other_folder() makes these */
		v->kind = EWS_FOLDER_NONE;
		v->typed.any = NULL;
		break;
	case EWS_FOLDER_GENERIC:
		FILL_FOLDER_BASE(v, v->typed.folder);
		v->unread_count = v->typed.folder->UnreadCount ? *v->typed.folder->UnreadCount : -1;
		break;
	case EWS_FOLDER_CALENDAR:
		FILL_FOLDER_BASE(v, v->typed.calendar);
		break;
	case EWS_FOLDER_CONTACTS:
		FILL_FOLDER_BASE(v, v->typed.contacts);
		break;
	case EWS_FOLDER_SEARCH:
		FILL_FOLDER_BASE(v, v->typed.search);
		v->unread_count = v->typed.search->UnreadCount ? *v->typed.search->UnreadCount : -1;
		break;
	case EWS_FOLDER_TASKS:
		FILL_FOLDER_BASE(v, v->typed.tasks);
		v->unread_count = v->typed.tasks->UnreadCount ? *v->typed.tasks->UnreadCount : -1;
		break;
	}
}

/* The four unions list the same element names; each gets its own switch so a schema that renumbers one of them
 * cannot silently mislabel items. */
#define ITEM_CASES(U, u, typed)                                                                    \
	case SOAP_UNION_##U##_Item: *(typed) = (u)->Item; return EWS_ITEM_GENERIC;                   \
	case SOAP_UNION_##U##_Message: *(typed) = (u)->Message; return EWS_ITEM_MESSAGE;             \
	case SOAP_UNION_##U##_CalendarItem: *(typed) = (u)->CalendarItem; return EWS_ITEM_CALENDAR;  \
	case SOAP_UNION_##U##_Contact: *(typed) = (u)->Contact; return EWS_ITEM_CONTACT;             \
	case SOAP_UNION_##U##_DistributionList: *(typed) = (u)->DistributionList;                    \
		return EWS_ITEM_DISTRIBUTION_LIST;                                                     \
	case SOAP_UNION_##U##_MeetingMessage: *(typed) = (u)->MeetingMessage;                        \
		return EWS_ITEM_MEETING_MESSAGE;                                                       \
	case SOAP_UNION_##U##_MeetingRequest: *(typed) = (u)->MeetingRequest;                        \
		return EWS_ITEM_MEETING_REQUEST;                                                       \
	case SOAP_UNION_##U##_MeetingResponse: *(typed) = (u)->MeetingResponse;                      \
		return EWS_ITEM_MEETING_RESPONSE;                                                      \
	case SOAP_UNION_##U##_MeetingCancellation: *(typed) = (u)->MeetingCancellation;              \
		return EWS_ITEM_MEETING_CANCELLATION;                                                  \
	case SOAP_UNION_##U##_Task: *(typed) = (u)->Task; return EWS_ITEM_TASK;                      \
	case SOAP_UNION_##U##_PostItem: *(typed) = (u)->PostItem; return EWS_ITEM_POST;

ews_item_kind ews_wf_real_item_kind(int selector, const union _ewstype__union_ArrayOfRealItemsType *u,
                                    const void **typed)
{
	*typed = NULL;
	switch (selector) {
	ITEM_CASES(_ewstype__union_ArrayOfRealItemsType, u, typed)
	default:
		return EWS_ITEM_NONE;
	}
}

ews_item_kind ews_wf_sync_item_kind(int selector, const union _ewstype__union_SyncFolderItemsCreateOrUpdateType *u,
                                    const void **typed)
{
	*typed = NULL;
	switch (selector) {
	ITEM_CASES(_ewstype__union_SyncFolderItemsCreateOrUpdateType, u, typed)
	default:
		return EWS_ITEM_NONE;
	}
}

#define FOLDER_CASES(U, u, typed)                                                                  \
	case SOAP_UNION_##U##_Folder: *(typed) = (u)->Folder; return EWS_FOLDER_GENERIC;             \
	case SOAP_UNION_##U##_CalendarFolder: *(typed) = (u)->CalendarFolder; return EWS_FOLDER_CALENDAR; \
	case SOAP_UNION_##U##_ContactsFolder: *(typed) = (u)->ContactsFolder; return EWS_FOLDER_CONTACTS; \
	case SOAP_UNION_##U##_SearchFolder: *(typed) = (u)->SearchFolder; return EWS_FOLDER_SEARCH;  \
	case SOAP_UNION_##U##_TasksFolder: *(typed) = (u)->TasksFolder; return EWS_FOLDER_TASKS;

ews_folder_kind ews_wf_folder_kind(int selector, const union _ewstype__union_ArrayOfFoldersType *u,
                                   const void **typed)
{
	*typed = NULL;
	switch (selector) {
	FOLDER_CASES(_ewstype__union_ArrayOfFoldersType, u, typed)
	default:
		return EWS_FOLDER_NONE;
	}
}

ews_folder_kind ews_wf_sync_folder_kind(int selector,
                                        const union _ewstype__union_SyncFolderHierarchyCreateOrUpdateType *u,
                                        const void **typed)
{
	*typed = NULL;
	switch (selector) {
	FOLDER_CASES(_ewstype__union_SyncFolderHierarchyCreateOrUpdateType, u, typed)
	default:
		return EWS_FOLDER_NONE;
	}
}

/* ---- one list entry, whatever it holds (ews_view_internal.h) ---- */

/* The bindings' own writer for a union entry, for elements the views have no kind for. */
struct union_entry {
	int selector;
	const void *u;
};

#define UNION_WRITER(name, U)                                                                      \
	static int name(struct soap *soap, const void *arg)                                        \
	{                                                                                          \
		const struct union_entry *e = arg;                                                 \
		return soap_out_##U(soap, e->selector, e->u);                                      \
	}
UNION_WRITER(write_real_item, _ewstype__union_ArrayOfRealItemsType)
UNION_WRITER(write_sync_item, _ewstype__union_SyncFolderItemsCreateOrUpdateType)
UNION_WRITER(write_folder, _ewstype__union_ArrayOfFoldersType)
UNION_WRITER(write_sync_folder, _ewstype__union_SyncFolderHierarchyCreateOrUpdateType)

/* Selector 0: the generated decoder met an element it could not read (no alternative matched and the list has
 * no xs:any). Nothing to deliver, and saying nothing would lose it. */
static ews_status empty_entry(const char *what)
{
	return ews_status_make(EWS_ERR_XML, "%s holds no element these bindings can decode (an unknown type in a "
	                                    "schema without the libews xs:any fix-up?)", what);
}

/* The xs:any member the generator adds (generator/fixups.sh) to each list; bindings made without it have none:
 * selector -1 never matches, and the member is never named. */
#ifdef SOAP_UNION__ewstype__union_ArrayOfRealItemsType___any
#define REAL_ITEM_ANY(u) SOAP_UNION__ewstype__union_ArrayOfRealItemsType___any, (u)->__any
#else
#define REAL_ITEM_ANY(u) -1, NULL
#endif
#ifdef SOAP_UNION__ewstype__union_SyncFolderItemsCreateOrUpdateType___any
#define SYNC_ITEM_ANY(u) SOAP_UNION__ewstype__union_SyncFolderItemsCreateOrUpdateType___any, (u)->__any
#else
#define SYNC_ITEM_ANY(u) -1, NULL
#endif
#ifdef SOAP_UNION__ewstype__union_ArrayOfFoldersType___any
#define FOLDER_ANY(u) SOAP_UNION__ewstype__union_ArrayOfFoldersType___any, (u)->__any
#else
#define FOLDER_ANY(u) -1, NULL
#endif
#ifdef SOAP_UNION__ewstype__union_SyncFolderHierarchyCreateOrUpdateType___any
#define SYNC_FOLDER_ANY(u) SOAP_UNION__ewstype__union_SyncFolderHierarchyCreateOrUpdateType___any, (u)->__any
#else
#define SYNC_FOLDER_ANY(u) -1, NULL
#endif

/* An entry the views have no kind for: the DOM the bindings kept (xs:any), or the bindings' struct and writer. */
static ews_status other_item(struct soap *soap, ews_item_view *v, int sel, const void *typed, int any_sel,
                             const struct soap_dom_element *any, ews_view_writer write, const struct union_entry *e,
                             const char *what)
{
	if (sel == 0 || !typed) {
		ews_wf_item_view(v, EWS_ITEM_NONE, NULL);
		return empty_entry(what);
	}
	if (sel == any_sel)
		return ews_view_other_item(soap, v, any, NULL, NULL, NULL);
	return ews_view_other_item(soap, v, NULL, typed, write, e);
}

static ews_status other_folder(struct soap *soap, ews_folder_view *v, int sel, const void *typed, int any_sel,
                               const struct soap_dom_element *any, ews_view_writer write,
                               const struct union_entry *e, const char *what)
{
	if (sel == 0 || !typed) {
		ews_wf_folder_view(v, EWS_FOLDER_NONE, NULL);
		return empty_entry(what);
	}
	if (sel == any_sel)
		return ews_view_other_folder(soap, v, any, NULL, NULL, NULL);
	return ews_view_other_folder(soap, v, NULL, typed, write, e);
}

/* Every union member is a pointer; `Item` / `Folder` reads whichever one the selector set. */
#define VIEW_ITEM_ENTRY(soap, v, sel, u, kind_fn, any, writer, what) do {                          \
	const void *typed_;                                                                        \
	ews_item_kind kind_ = kind_fn((sel), (u), &typed_);                                         \
	struct union_entry e_ = { (sel), (u) };                                                    \
	if (kind_ != EWS_ITEM_NONE) {                                                              \
		ews_wf_item_view((v), kind_, typed_);                                              \
		return ews_status_ok();                                                            \
	}                                                                                          \
	return other_item((soap), (v), (sel), (u)->Item, any, writer, &e_, what);                  \
} while (0)

#define VIEW_FOLDER_ENTRY(soap, v, sel, u, kind_fn, any, writer, what) do {                        \
	const void *typed_;                                                                        \
	ews_folder_kind kind_ = kind_fn((sel), (u), &typed_);                                       \
	struct union_entry e_ = { (sel), (u) };                                                    \
	if (kind_ != EWS_FOLDER_NONE) {                                                            \
		ews_wf_folder_view((v), kind_, typed_);                                            \
		return ews_status_ok();                                                            \
	}                                                                                          \
	return other_folder((soap), (v), (sel), (u)->Folder, any, writer, &e_, what);              \
} while (0)

ews_status ews_view_real_item(struct soap *soap, const struct __ewstype__union_ArrayOfRealItemsType *e,
                              ews_item_view *v)
{
	VIEW_ITEM_ENTRY(soap, v, e->__union_ArrayOfRealItemsType, &e->union_ArrayOfRealItemsType, ews_wf_real_item_kind,
	                REAL_ITEM_ANY(&e->union_ArrayOfRealItemsType), write_real_item, "an item list entry");
}

ews_status ews_view_sync_item(struct soap *soap, const struct ewstype__SyncFolderItemsCreateOrUpdateType *cu,
                              ews_item_view *v)
{
	if (!cu) {
		ews_wf_item_view(v, EWS_ITEM_NONE, NULL);
		return empty_entry("a sync Create/Update");
	}
	VIEW_ITEM_ENTRY(soap, v, cu->__union_SyncFolderItemsCreateOrUpdateType, &cu->union_SyncFolderItemsCreateOrUpdateType,
	                ews_wf_sync_item_kind, SYNC_ITEM_ANY(&cu->union_SyncFolderItemsCreateOrUpdateType),
	                write_sync_item, "a sync Create/Update");
}

ews_status ews_view_folder(struct soap *soap, const struct __ewstype__union_ArrayOfFoldersType *e,
                           ews_folder_view *v)
{
	VIEW_FOLDER_ENTRY(soap, v, e->__union_ArrayOfFoldersType, &e->union_ArrayOfFoldersType, ews_wf_folder_kind,
	                  FOLDER_ANY(&e->union_ArrayOfFoldersType), write_folder, "a folder list entry");
}

ews_status ews_view_sync_folder(struct soap *soap, const struct ewstype__SyncFolderHierarchyCreateOrUpdateType *cu,
                                ews_folder_view *v)
{
	if (!cu) {
		ews_wf_folder_view(v, EWS_FOLDER_NONE, NULL);
		return empty_entry("a hierarchy sync Create/Update");
	}
	VIEW_FOLDER_ENTRY(soap, v, cu->__union_SyncFolderHierarchyCreateOrUpdateType,
	                  &cu->union_SyncFolderHierarchyCreateOrUpdateType, ews_wf_sync_folder_kind,
	                  SYNC_FOLDER_ANY(&cu->union_SyncFolderHierarchyCreateOrUpdateType), write_sync_folder,
	                  "a hierarchy sync Create/Update");
}
