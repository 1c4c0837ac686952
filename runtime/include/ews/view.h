/* ews/view.h — borrowed, flat views of one item or folder as FindItem/FindFolder/Sync* return them, plus the
 * progress callback the workflow helpers (pager, sync, export) share.
 *
 * A view copies nothing: every pointer points into the page or batch the helper holds and is valid until that
 * helper's next step (ews_pager_next, ews_sync_next ...) or its free. The helpers keep their page out of the
 * client's response memory, so other calls on the same client in between (a GetItem per item ...) are fine.
 * Copy (strdup) what you keep longer. Members the server did not send are NULL / -1.
 * For everything else, use the typed gSOAP struct in `typed` (selected by `kind`), e.g.
 *
 *   if (it.kind == EWS_ITEM_MESSAGE && it.typed.message->ToRecipients) ...
 *
 * Item and folder types these views have no kind for are never dropped: they come as EWS_ITEM_OTHER /
 * EWS_FOLDER_OTHER with their element name, id, change key, the common members found in them, their XML and a DOM
 * tree. That covers an element the bindings do not know at all (t:SharingMessage with the default schema: the
 * generator keeps it as DOM) and one they know that has no kind here (t:Person with V2018 bindings).
 */
#ifndef EWS_VIEW_H
#define EWS_VIEW_H

#ifdef __cplusplus
extern "C" {
#endif

struct ewstype__ItemType;
struct ewstype__MessageType;
struct ewstype__CalendarItemType;
struct ewstype__ContactItemType;
struct ewstype__DistributionListType;
struct ewstype__MeetingMessageType;
struct ewstype__MeetingRequestMessageType;
struct ewstype__MeetingResponseMessageType;
struct ewstype__MeetingCancellationMessageType;
struct ewstype__TaskType;
struct ewstype__PostItemType;
struct ewstype__FolderType;
struct ewstype__CalendarFolderType;
struct ewstype__ContactsFolderType;
struct ewstype__SearchFolderType;
struct ewstype__TasksFolderType;
struct soap_dom_element;

/* Which element the item came as (t:Message, t:CalendarItem ...). EWS_ITEM_NONE: only an id is known
 * (sync Delete / ReadFlagChange) or the view is empty (end of a pager). */
typedef enum ews_item_kind {
	EWS_ITEM_NONE = 0,
	EWS_ITEM_GENERIC = 1,               /* t:Item */
	EWS_ITEM_MESSAGE = 2,
	EWS_ITEM_CALENDAR = 3,
	EWS_ITEM_CONTACT = 4,
	EWS_ITEM_DISTRIBUTION_LIST = 5,
	EWS_ITEM_MEETING_MESSAGE = 6,
	EWS_ITEM_MEETING_REQUEST = 7,
	EWS_ITEM_MEETING_RESPONSE = 8,
	EWS_ITEM_MEETING_CANCELLATION = 9,
	EWS_ITEM_TASK = 10,
	EWS_ITEM_POST = 11,
	EWS_ITEM_OTHER = 12                 /* any other item element: see `element`, `xml`, `dom`              */
} ews_item_kind;

typedef struct ews_item_view {
	const char *id;                     /* ItemId/@Id; NULL marks "no item" (end of a pager)              */
	const char *change_key;             /* ItemId/@ChangeKey                                              */
	const char *parent_folder_id;
	const char *item_class;             /* "IPM.Note" ...                                                  */
	const char *subject;
	const char *received;               /* DateTimeReceived, xs:dateTime text (ews/datetime.h parses it)  */
	const char *sent;                   /* DateTimeSent                                                   */
	const char *created;                /* DateTimeCreated                                                */
	const char *modified;               /* LastModifiedTime                                               */
	long long size;                     /* Size in bytes, -1 when absent                                  */
	int is_read;                        /* messages: 0/1; -1 when absent or not a message                 */
	int has_attachments;                /* 0/1, -1 when absent                                            */
	const char *from_name;              /* messages: From/Mailbox/Name, else NULL                          */
	const char *from_address;           /* messages: From/Mailbox/EmailAddress                             */
	const char *internet_message_id;    /* messages and posts: InternetMessageId                          */
	const char *start, *end, *location; /* calendar items (incl. meeting requests where sent)             */
	const char *element;                /* local name of the element: "Message", "SharingMessage" ...;
	                                       NULL for EWS_ITEM_NONE                                         */
	const char *xml;                    /* EWS_ITEM_OTHER: the element as XML text, namespaces declared     */
	const struct soap_dom_element *dom; /* EWS_ITEM_OTHER: the element as a DOM tree (gSOAP's dom.h)       */
	ews_item_kind kind;
	union {                             /* the decoded element, by kind; NULL for EWS_ITEM_NONE           */
		const void *any;
		const struct ewstype__ItemType *item;
		const struct ewstype__MessageType *message;
		const struct ewstype__CalendarItemType *calendar;
		const struct ewstype__ContactItemType *contact;
		const struct ewstype__DistributionListType *distribution_list;
		const struct ewstype__MeetingMessageType *meeting_message;
		const struct ewstype__MeetingRequestMessageType *meeting_request;
		const struct ewstype__MeetingResponseMessageType *meeting_response;
		const struct ewstype__MeetingCancellationMessageType *meeting_cancellation;
		const struct ewstype__TaskType *task;
		const struct ewstype__PostItemType *post;
	} typed;                            /* EWS_ITEM_OTHER: the bindings' struct when they know the type,
	                                       else the DOM element                                           */
} ews_item_view;

typedef enum ews_folder_kind {
	EWS_FOLDER_NONE = 0,                /* only an id is known (sync Delete) or the view is empty         */
	EWS_FOLDER_GENERIC = 1,             /* t:Folder */
	EWS_FOLDER_CALENDAR = 2,
	EWS_FOLDER_CONTACTS = 3,
	EWS_FOLDER_SEARCH = 4,
	EWS_FOLDER_TASKS = 5,
	EWS_FOLDER_OTHER = 6                /* any other folder element: see `element`, `xml`, `dom`            */
} ews_folder_kind;

typedef struct ews_folder_view {
	const char *id;                     /* FolderId/@Id; NULL marks "no folder" (end of a pager)          */
	const char *change_key;
	const char *parent_folder_id;
	const char *display_name;
	const char *folder_class;           /* "IPF.Note" ...                                                  */
	int total_count;                    /* -1 when absent                                                 */
	int child_folder_count;             /* -1 when absent                                                 */
	int unread_count;                   /* -1 when absent or not a mail folder                            */
	const char *element;                /* local name of the element: "Folder", "CalendarFolder" ...      */
	const char *xml;                    /* EWS_FOLDER_OTHER: the element as XML text                      */
	const struct soap_dom_element *dom; /* EWS_FOLDER_OTHER: the element as a DOM tree                    */
	ews_folder_kind kind;
	union {
		const void *any;
		const struct ewstype__FolderType *folder;
		const struct ewstype__CalendarFolderType *calendar;
		const struct ewstype__ContactsFolderType *contacts;
		const struct ewstype__SearchFolderType *search;
		const struct ewstype__TasksFolderType *tasks;
	} typed;
} ews_folder_view;

/* Progress of long work (pages fetched, sync batches, exported/uploaded items). `done` and `total` count the
 * helper's unit (items or changes); total is -1 when unknown. Return 0 to go on, non-zero to stop: the helper
 * then returns EWS_ERR_CANCELLED. Called on the caller's thread, between requests. */
typedef int (*ews_progress_fn)(void *arg, long done, long total);

#ifdef __cplusplus
}
#endif
#endif
