/* ewsd.h — declarations shared by the ewsd server's modules (store, ids, operations, HTTP front end). */
#ifndef EWSD_H
#define EWSD_H

#include <stdint.h>
#include <stdio.h>
#include <sqlite3.h>

#include "soapH.h"
#include "ews_schema.h"           /* EWS_HAVE_OP_*: the set's operations */
#include "ews_schema_members.h"   /* EWS_HAS_*: the members and enumeration values of its types */

/* ---- configuration and per-connection state ---- */

struct ewsd_config {
	const char *data_dir;
	const char *schema_dir;     /* where Services.wsdl, messages.xsd, types.xsd are served from */
	const char *users_file;     /* NULL: open mode (any credentials, mailbox from the Basic user name) */
	int max_page;               /* cap on MaxEntriesReturned (Exchange: 1000) */
	int gzip;                   /* compress responses when the client accepts gzip */
	int tls;
	FILE *log;
	long long max_attachment;   /* largest attachment in bytes (--max-attachment) */
	int kerberos;               /* Negotiate with Kerberos tokens is verified (--keytab, or KRB5_KTNAME set) */
	unsigned auth_schemes;      /* EWSD_AUTH_* offered and accepted (--auth-schemes); 0: all of them */
	int no_archive;             /* --no-archive: mailboxes made from now on get no archive mailbox */
};
/* HTTP authentication schemes (--auth-schemes negotiate,ntlm,basic,bearer). NTLM inside Negotiate counts as
 * Negotiate, as Windows' Negotiate package accepts it. */
#define EWSD_AUTH_NEGOTIATE 1u
#define EWSD_AUTH_NTLM 2u
#define EWSD_AUTH_BASIC 4u
#define EWSD_AUTH_BEARER 8u
extern struct ewsd_config ewsd_cfg;

/* Fault injection, changed by flags or GET/POST /ewsd/control (see fault.c). */
struct ewsd_faults {
	int throttle;               /* next N requests answer ErrorServerBusy as a SOAP fault */
	int throttle_msg;           /* next N requests answer ErrorServerBusy inside the response message */
	int backoff_ms;             /* BackOffMilliseconds announced */
	int latency_ms;             /* added to every request */
	int drop;                   /* next N connections closed without an answer */
	int truncate;               /* next N responses cut in the middle */
	int truncate_at;            /* ... after this many bytes, status line and head included (0: 300) */
	int bad_chars;              /* item text gets &#x0; / &#x1A; character references */
	int export_corrupt;         /* next N ExportItems answer ErrorCorruptData for their first item (a damaged
	                             * item, as Exchange reports one it cannot read) */
	int upload_stamp;           /* setting: items UploadItems writes get a property of their own (a time), so their
	                             * export is not the uploaded data (as Exchange's, which stamps a new entry id,
	                             * source key and change key): what an upload finds its copies by must not be
	                             * the data's bytes */
};

/* What one request runs as: the authenticated user and the mailbox it acts on. */
struct ewsd_request {
	sqlite3 *db;                /* this thread's connection */
	char user[256];             /* authenticated user (SMTP address) */
	int64_t mailbox_id;         /* mailbox acted on (the user's, or the impersonated one) */
	char mailbox_guid[37];
	char mailbox_smtp[256];
	int version;                /* index of RequestServerVersion, see ewsd_version_* */
	int fault_busy_msg;         /* answer ErrorServerBusy inside the response message */
	int bad_chars;
	char op[32];                /* operation name, for the log */
	char tz_context[128];       /* the TimeZoneContext header's TimeZoneDefinition Id, "" when none */
	char public_folder_mailbox[256];    /* the X-PublicFolderMailbox header, or "" (public.c) */
};

/* The request state hangs off soap->user. */
static inline struct ewsd_request *ewsd_req(struct soap *soap) { return (struct ewsd_request *)soap->user; }

/* ---- store.c: SQLite mailbox store ---- */

/* EWSD_DISTLIST: a private distribution list (IPM.DistList) in a contacts folder; members in item_props (dl.c) */
enum ewsd_kind { EWSD_MESSAGE = 0, EWSD_CALENDAR = 1, EWSD_MEETING_REQUEST = 2, EWSD_CONTACT = 3, EWSD_TASK = 4,
		 EWSD_DISTLIST = 5 };
enum ewsd_change_op { EWSD_OP_CREATE = 1, EWSD_OP_UPDATE = 2, EWSD_OP_DELETE = 3, EWSD_OP_READFLAG = 4 };

/* Notification event types, in the order of the schema's NotificationEventTypeType (a subscription's mask has
 * bit 1 << type); Status is never stored. */
enum ewsd_event_type { EWSD_EV_COPIED = 0, EWSD_EV_CREATED, EWSD_EV_DELETED, EWSD_EV_MODIFIED, EWSD_EV_MOVED,
		       EWSD_EV_NEWMAIL, EWSD_EV_FREEBUSY };

/* One item row. Strings are owned by whoever filled the struct (soap-managed in operations). */
struct ewsd_item {
	int64_t id, mailbox_id, folder_id;
	int kind;
	const char *item_class, *subject, *body;
	int body_html;
	const char *received, *sent, *created;   /* xs:dateTime, UTC, "YYYY-MM-DDThh:mm:ssZ" */
	int64_t size;
	int importance;             /* 0 Low, 1 Normal, 2 High */
	int is_read;
	const char *from_name, *from_addr;
	const char *to_list, *cc_list;          /* "Name <addr>" separated by ";" */
	const char *start, *end, *location;
	const char *given_name, *surname, *email, *company;
	const char *due;
	int status;                 /* task: 0 NotStarted .. 4 Deferred (TaskStatusType order) */
	const char *categories;     /* ";"-separated */
	int is_associated;
	int64_t change_num, created_seq;
	/* ExportItems data version 2: the attachments' part (attach.c) as read by ewsd_import_blob, else NULL */
	const unsigned char *att_data;
	size_t att_len;
	/* ExportItems data version 3: the kept properties' part (item_props rows), else NULL */
	const unsigned char *props_data;
	size_t props_len;
};

struct ewsd_folder {
	int64_t id, mailbox_id, parent_id;
	const char *distinguished;  /* "inbox" ... or NULL */
	const char *display_name, *folder_class;
	int64_t change_num, created_seq;
	int total, unread, child_count;   /* -1 until ewsd_folder_counts (counting a large folder's items is not free) */
};

struct ewsd_mailbox {
	int64_t id;
	char smtp[256];
	char guid[37];
};

/* Open (creating if needed) DIR/ewsd.sqlite in WAL mode. Returns NULL and prints to stderr on failure. */
sqlite3 *ewsd_store_open(const char *dir);
void ewsd_store_close(sqlite3 *db);
/* stmt.c: a prepared statement of db for sql (a string literal: cached by its address, per thread), kept for
 * the next call; NULL when it does not prepare. Borrowed: hand it back with ewsd_stmt_done (reset, bindings
 * cleared) once its rows are read, never finalize it. ewsd_store_close forgets db's. */
sqlite3_stmt *ewsd_stmt(sqlite3 *db, const char *sql);
/* statements kept per thread: room for every one ewsd keeps (about 40: 20 call sites, and the per-item writes'
 * literals through exec1/exec_i64), since a full cache prepares each further statement per call again and a
 * connection's first requests must not decide which stay fast */
#define EWSD_STMT_SLOTS 64
/* An item's item_props rows by name (item_props.c): one text, so one kept statement, for FindItem/GetItem's
 * properties and ExportItems' data. */
extern const char ewsd_item_props_sql[];
void ewsd_stmt_done(sqlite3 *db, sqlite3_stmt *st);
void ewsd_stmt_forget(sqlite3 *db);
/* The per-store secret used to sign SyncStates (32 bytes, made on first use). */
int ewsd_store_secret(sqlite3 *db, unsigned char out[32]);

/* Find or create a mailbox (with all distinguished folders). 0 on success. */
int ewsd_mailbox_ensure(sqlite3 *db, const char *smtp, struct ewsd_mailbox *out);
/* Insert a mailbox row (new GUID) without folders; *out filled. 0 on success. In the caller's transaction. */
int ewsd_mailbox_insert(sqlite3 *db, const char *smtp, struct ewsd_mailbox *out);
int ewsd_mailbox_by_smtp(sqlite3 *db, const char *smtp, struct ewsd_mailbox *out);
int ewsd_mailbox_by_guid(sqlite3 *db, const char *guid, struct ewsd_mailbox *out);
int ewsd_mailbox_by_id(sqlite3 *db, int64_t id, struct ewsd_mailbox *out);

/* Folders. Loaders fill *out with soap-managed strings (soap may be NULL: malloc'd, leaked by design only
 * in the seeder). Return 0 found, 1 not found, -1 error. */
int ewsd_folder_get(struct soap *soap, sqlite3 *db, int64_t id, struct ewsd_folder *out);
/* total, unread and child_count of f (counted now, once: -1 before); 0, or -1 on a database error. Asked only
 * where an answer shows them: resolving a folder for every uploaded or paged item counted its items each time
 * (a restore of 20 000 items into one folder: quadratic). */
int ewsd_folder_counts(sqlite3 *db, struct ewsd_folder *f);
int ewsd_folder_distinguished(struct soap *soap, sqlite3 *db, int64_t mailbox_id, const char *name,
			      struct ewsd_folder *out);
int64_t ewsd_folder_create(sqlite3 *db, int64_t mailbox_id, int64_t parent_id, const char *name,
			   const char *folder_class, const char *distinguished);
int ewsd_folder_delete(sqlite3 *db, int64_t id);
/* Re-parent a folder (with its subtree and items), logged as an Update of the folder for hierarchy sync. */
int ewsd_folder_move(sqlite3 *db, int64_t id, int64_t new_parent_id);
/* Rename / reclass a folder (NULL class: none), logged as an Update for hierarchy sync. */
int ewsd_folder_update(sqlite3 *db, int64_t id, const char *name, const char *folder_class);
/* 1 when the folder is in the archive mailbox's tree (its top is archiveroot), else 0. */
int ewsd_folder_in_archive(sqlite3 *db, int64_t id);
/* Child folder ids (Deep: the whole subtree), in creation order; *ids malloc'd. Returns the count or -1. */
int ewsd_folder_children(sqlite3 *db, int64_t id, int deep, int64_t **ids);

/* Items. */
int ewsd_item_get(struct soap *soap, sqlite3 *db, int64_t id, struct ewsd_item *out);
/* Insert; sets it->id, change_num, created_seq. Logs a Create. */
int ewsd_item_insert(sqlite3 *db, struct ewsd_item *it);
/* Rewrite every column of an existing item; bumps change_num; logs Update (or ReadFlagChange when
 * readflag_only). */
int ewsd_item_update(sqlite3 *db, struct ewsd_item *it, int readflag_only);
/* Delete the row; logs a Delete in its folder. */
int ewsd_item_delete(sqlite3 *db, int64_t id);
/* Move = a new item (new id, as Exchange) in the target folder; *new_id set. */
int ewsd_item_move(sqlite3 *db, int64_t id, int64_t folder_id, int64_t *new_id);
int ewsd_item_copy(sqlite3 *db, int64_t id, int64_t folder_id, int64_t *new_id);

/* Append a notification event (every store change logs its own; callers add NewMail). Returns its seq or -1. */
int64_t ewsd_event_log(sqlite3 *db, int64_t mailbox_id, int type, int is_folder, int64_t obj_id, int64_t parent_id,
		       int64_t old_obj_id, int64_t old_parent_id);

int ewsd_begin(sqlite3 *db);        /* BEGIN IMMEDIATE */
int ewsd_commit(sqlite3 *db);
void ewsd_rollback(sqlite3 *db);
/* Inside a transaction: one item's changes, undone alone (ROLLBACK TO) when it fails, kept (RELEASE) when not. */
int ewsd_savepoint(sqlite3 *db);
int ewsd_release(sqlite3 *db);
void ewsd_rollback_to(sqlite3 *db);

/* Read every column of the current row of a "SELECT ITEM_COLS ..." statement. */
#define EWSD_ITEM_COLS "id,mailbox_id,folder_id,kind,item_class,subject,body,body_html,received,sent,created," \
	"size,importance,is_read,from_name,from_addr,to_list,cc_list,start,end_,location,given_name,surname,email," \
	"company,due,status,categories,is_associated,change_num,created_seq"
void ewsd_item_from_row(struct soap *soap, sqlite3_stmt *st, int col0, struct ewsd_item *it);

/* ---- ids.c: Exchange-format ids (EwsId around MAPI EntryIDs), ChangeKeys, ConvertId formats ---- */

enum ewsd_id_kind { EWSD_ID_FOLDER = 1, EWSD_ID_ITEM = 2 };
struct ewsd_id {
	int kind;
	char mailbox_guid[37];
	int64_t folder;             /* folder global counter (our folder row id) */
	int64_t item;               /* message global counter (our item row id), 0 for folders */
};
/* Formats, in the IdFormatType order of the schema. */
enum ewsd_id_format { EWSD_FMT_EWSLEGACY, EWSD_FMT_EWS, EWSD_FMT_ENTRY, EWSD_FMT_HEXENTRY, EWSD_FMT_STORE,
		      EWSD_FMT_OWA, EWSD_FMT_INVALID };
enum ewsd_id_format ewsd_id_format_parse(const char *name);
const char *ewsd_id_format_name(enum ewsd_id_format f);

char *ewsd_id_make(struct soap *soap, const struct ewsd_id *id);        /* EwsId, soap-managed */
int ewsd_id_parse(struct soap *soap, const char *text, struct ewsd_id *out);     /* 0 ok, -1 malformed */
char *ewsd_changekey(struct soap *soap, int kind, int64_t change_num);  /* kind: ewsd_kind or -1 folder */
/* The GUID of the archive mailbox of the mailbox owner_guid (derived from it: the archive's folders live in the
 * owner's mailbox row, its ids carry this GUID as Exchange's carry the archive's own); and whether guid is it. */
void ewsd_archive_guid(const char *owner_guid, char out[37]);
int ewsd_guid_is_archive_of(const char *guid, const char *owner_guid);
/* 1 when ck has the ChangeKey structure (base64: type, length, that many bytes), stale or not. */
int ewsd_changekey_wellformed(struct soap *soap, const char *ck);
/* Convert `src` in format `from` to format `to`. smtp is the AlternateId Mailbox (needed for EwsLegacyId).
 * Returns a soap-managed string or NULL when the id is malformed. */
char *ewsd_id_convert(struct soap *soap, const char *src, enum ewsd_id_format from, enum ewsd_id_format to,
		      const char *smtp);

/* ---- util.c ---- */
void ewsd_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *ewsd_b64(struct soap *soap, const unsigned char *p, size_t n);
unsigned char *ewsd_unb64(struct soap *soap, const char *s, size_t *n);   /* NULL when not base64 */
void ewsd_now(char out[32]);                                             /* current UTC xs:dateTime */
int ewsd_valid_smtp(const char *s);
const char *ewsd_smtp_problem(const char *s);   /* why s is not an SMTP address we accept, or NULL */
size_t ewsd_utf8_chars(const char *s);      /* characters (code points) of a UTF-8 string */
/* The address of one entry of a stored "Name <addr>;addr2;..." list ("Name <addr>" or a bare "addr"), cut out of
 * entry in place, without surrounding blanks. */
char *ewsd_list_entry_addr(char *entry);
/* 1 when the request's Content-Length, as gSOAP read it, is over the receive limit: refuse it before gSOAP reads
 * the body. A negative one ("-200") reads as nearly 2^64, and gSOAP would allocate that plus its prefix, wrapped
 * around, to keep an error status's body (the ewsd_request fuzz target's finding). */
int ewsd_http_length_refused(const struct soap *soap);
/* Longest folder DisplayName: Exchange keeps folder names to 256 characters (PR_DISPLAY_NAME of a folder; folder
 * properties are not streamed, so a longer value is ErrorDataSizeLimitExceeded, see "EWS property-related
 * errors"). */
#define EWSD_MAX_FOLDER_NAME 256
/* Longest Subject: Exchange keeps the first 255 characters of a longer one (CreateItem and UpdateItem succeed). */
#define EWSD_MAX_SUBJECT 255

/* ---- utf8.c ---- */
struct ewsd_utf8 {
	int need;                   /* continuation bytes still expected */
	unsigned char lo, hi;       /* allowed range of the next continuation byte */
	int bad;                    /* an invalid sequence was seen */
	unsigned char bad_byte;
	long long offset;           /* bytes checked so far */
	long long bad_offset;       /* where the invalid byte is, from the start of the body */
};
/* Check n more bytes; returns how many of them are a valid continuation (n unless u->bad is now set). */
size_t ewsd_utf8_feed(struct ewsd_utf8 *u, const unsigned char *p, size_t n);

/* ---- resp.c: response building ---- */
/* Fill a response message's common part. T is the message type name without ewsmsg__, e.g.
 * FindItemResponseMessageType. code "NoError" -> Success. */
#define EWSD_SET_RESULT(soap, msg, T, code) \
	do { \
		(msg)->__##T##_sequence = soap_malloc((soap), sizeof *(msg)->__##T##_sequence); \
		memset((msg)->__##T##_sequence, 0, sizeof *(msg)->__##T##_sequence); \
		ewsd_fill_result((soap), &(msg)->ResponseClass, &(msg)->__##T##_sequence->MessageText, \
				 &(msg)->__##T##_sequence->ResponseCode, \
				 &(msg)->__##T##_sequence->DescriptiveLinkKey, (code)); \
	} while (0)
/* Attach MessageXml <t:Value Name="name">value</t:Value> to a response message set with EWSD_SET_RESULT. */
#define EWSD_SET_VALUE(soap, msg, T, name, value) \
	do { \
		(msg)->__##T##_sequence->MessageXml = soap_malloc((soap), sizeof *(msg)->__##T##_sequence->MessageXml); \
		(msg)->__##T##_sequence->MessageXml->__size = 1; \
		(msg)->__##T##_sequence->MessageXml->__any = ewsd_value_dom((soap), (name), (value)); \
	} while (0)

void ewsd_fill_result(struct soap *soap, enum ewstype__ResponseClassType *cls, char **text, char **code,
		      int **link, const char *response_code);
const char *ewsd_error_text(const char *response_code);
struct soap_dom_element *ewsd_value_dom(struct soap *soap, const char *name, const char *value);
void *ewsd_zalloc(struct soap *soap, size_t n);
#define EWSD_NEW(soap, T) ((T *)ewsd_zalloc((soap), sizeof(T)))

/* The ResponseMessages array of n entries. */
struct ewsmsg__ArrayOfResponseMessagesType *ewsd_messages(struct soap *soap, int n);

/* Property selection for items/folders from a response shape. */
enum {
	EWSD_P_ID = 1 << 0, EWSD_P_PARENT = 1 << 1, EWSD_P_CLASS = 1 << 2, EWSD_P_SUBJECT = 1 << 3,
	EWSD_P_BODY = 1 << 4, EWSD_P_RECEIVED = 1 << 5, EWSD_P_SIZE = 1 << 6, EWSD_P_IMPORTANCE = 1 << 7,
	EWSD_P_READ = 1 << 8, EWSD_P_FROM = 1 << 9, EWSD_P_TO = 1 << 10, EWSD_P_CC = 1 << 11,
	EWSD_P_SENT = 1 << 12, EWSD_P_CREATED = 1 << 13, EWSD_P_START = 1 << 14, EWSD_P_END = 1 << 15,
	EWSD_P_LOCATION = 1 << 16, EWSD_P_CONTACT = 1 << 17, EWSD_P_TASK = 1 << 18, EWSD_P_CATEGORIES = 1 << 19,
	EWSD_P_ASSOC = 1 << 20, EWSD_P_HASATT = 1 << 21, EWSD_P_ORGANIZER = 1 << 22,
	EWSD_P_ATTACH = 1 << 23,
	EWSD_P_F_NAME = 1 << 24, EWSD_P_F_CLASS = 1 << 25, EWSD_P_F_COUNTS = 1 << 26,
	EWSD_P_F_PERMS = 1 << 27,       /* GetFolder only (op_folder.c): PermissionSet */
	EWSD_P_RESOURCES = 1 << 28,     /* a meeting's Resources (attendees.c) */
};
unsigned ewsd_item_props(struct soap *soap, struct ewstype__ItemResponseShapeType *shape, int for_get);
unsigned ewsd_folder_props(struct soap *soap, struct ewstype__FolderResponseShapeType *shape);
unsigned ewsd_field_prop(const char *field_uri);

/* Fill one entry of an item union array (ArrayOfRealItems / Sync Create) from a row: *slot gets the typed item,
 * *selector the union's selector value from sels (Message, CalendarItem, MeetingRequest, Contact, Task,
 * DistributionList — a union without DistributionList passes its generic Item there). */
void ewsd_put_item(struct soap *soap, const struct ewsd_item *it, unsigned props, int *selector, void **slot,
		   const int sels[6]);
struct ewstype__FolderType *ewsd_make_folder(struct soap *soap, const struct ewsd_folder *f, unsigned props);
struct ewstype__ItemIdType *ewsd_item_id(struct soap *soap, const struct ewsd_item *it);
/* The mailbox GUID the ids of an object in folder_id of mailbox_id carry: the mailbox's, or its archive's
 * (ewsd_archive_guid) for a folder of the archive tree. */
void ewsd_object_guid(struct soap *soap, int64_t mailbox_id, int64_t folder_id, char out[37]);
struct ewstype__FolderIdType *ewsd_folder_id(struct soap *soap, const struct ewsd_folder *f);
/* Fill an item row from a request item (CreateItem, the Set fields of UpdateItem). sels: the union's selector
 * values for Message, CalendarItem, MeetingRequest, Contact, Task, DistributionList (-1 when the union has none),
 * and the generic Item (its common properties only; the kind is kept, or Message for a new row). */
int ewsd_item_from_request(struct soap *soap, int selector, void *ptr, const int sels[7], struct ewsd_item *it);

/* Resolve a folder reference (FolderId or DistinguishedFolderId) in the request's mailbox.
 * Returns NULL on success or the EWS ResponseCode of the failure. */
const char *ewsd_resolve_folder(struct soap *soap, struct ewstype__FolderIdType *fid,
				struct ewstype__DistinguishedFolderIdType *did, struct ewsd_folder *out);
const char *ewsd_resolve_target(struct soap *soap, struct ewstype__TargetFolderIdType *t, struct ewsd_folder *out);
/* Resolve an ItemId of the request's mailbox; checks the ChangeKey when given (check_ck).
 * Returns NULL or the ResponseCode; *guid_out gets the foreign mailbox GUID for ErrorNonExistentMailbox. */
const char *ewsd_resolve_item(struct soap *soap, const char *id, const char *ck, int check_ck, struct ewsd_item *out,
			      const char **guid_out);
/* One entry of an ItemIds list that must be a plain ItemId (not an occurrence): ErrorInvalidIdMalformed
 * otherwise, then ewsd_resolve_item without the ChangeKey check (a stale ChangeKey is accepted, a malformed one not). */
const char *ewsd_resolve_listed_item(struct soap *soap, struct __ewstype__union_NonEmptyArrayOfBaseItemIdsType *u,
				     struct ewsd_item *out, const char **guid_out);

/* Recipients of a request as a stored list ("Name <addr>;..."); *out untouched when there are none. */
void ewsd_recipients_in(struct soap *soap, struct ewstype__ArrayOfRecipientsType *a, const char **out);

/* ---- op_respond.c: response objects in CreateItem (ReplyToItem ... CancelCalendarItem) ---- */
/* What a response object does to the mailbox besides creating its message, done once the message is stored. */
struct ewsd_response_effect {
	int kind;                   /* 0 none, 'A' accept, 'T' tentative, 'D' decline, 'C' cancel */
	int sent;                   /* the response is sent (not only saved): the organizer's item records it */
	struct ewsd_item ref;       /* the referenced item */
};
/* 1 when the CreateItem union selector is a response object ewsd makes. */
int ewsd_is_response_object(int selector);
/* Fill *it with the message the response object makes (subject prefix, recipients, body with the original quoted);
 * NULL or the ResponseCode refusing it. send: the disposition sends it. */
const char *ewsd_response_object(struct soap *soap, int selector, void *obj, int send, struct ewsd_item *it,
				 struct ewsd_response_effect *fx);
/* Apply the effect inside the caller's transaction: 0 or -1. */
int ewsd_response_effect_apply(struct soap *soap, const struct ewsd_response_effect *fx);

/* ---- attendees.c: per-attendee responses of a meeting (item_props rows "a:<address>") ---- */
struct ewsd_prop_changes;       /* item_props.c, below */
/* The attendees of a stored list ("Name <addr>;...") as Attendee elements, each with the response recorded on the
 * item (ResponseType Unknown — Organizer for the organizer's address, may be NULL — and no LastResponseTime until
 * one is); NULL for an empty list. Soap-managed. */
struct ewstype__NonEmptyArrayOfAttendeesType *ewsd_attendees_out(struct soap *soap, sqlite3 *db, int64_t item_id,
								  const char *list, const char *organizer);
/* Record addr's response (a ResponseTypeType name) at when on the item, replacing an earlier one. 0 or -1. */
int ewsd_attendee_response_put(struct soap *soap, sqlite3 *db, int64_t item_id, const char *addr, const char *type,
			       const char *when);
/* Drop the responses of addresses in neither list (UpdateItem of the attendees). 0 or -1. In the caller's
 * transaction. */
int ewsd_attendees_prune(struct soap *soap, sqlite3 *db, int64_t item_id, const char *to_list, const char *cc_list);
/* The request's mailbox sent the response type to the meeting (its copy): the organizer's calendar item, when the
 * organizer's mailbox is in this store and lists the attendee, records it. 0 (also when there is none to update)
 * or -1 (store error). In the caller's transaction. */
int ewsd_attendee_response_deliver(struct soap *soap, const struct ewsd_item *meeting, const char *type);
/* A meeting's Resources (no column: item_props row "Resources", a stored list). The stored list of item_id, or NULL
 * (soap-managed); the list of a CreateItem CalendarItem into *pc; SetItemField (NULL, or the ResponseCode refusing
 * it) and DeleteItemField of calendar:Resources. */
const char *ewsd_resources_stored(struct soap *soap, sqlite3 *db, int64_t item_id);
void ewsd_resources_from_item(struct soap *soap, const struct ewstype__CalendarItemType *cal,
			      struct ewsd_prop_changes *pc);
const char *ewsd_resources_set(struct soap *soap, const struct ewstype__CalendarItemType *cal,
			       struct ewsd_prop_changes *pc);
void ewsd_resources_delete(struct ewsd_prop_changes *pc);
/* item_props.c: a new calendar:UID (MS-OXCICAL's EncodedGlobalId in hex, as Exchange makes them), and the UID an
 * item keeps (soap-managed), NULL when it has none (a store made before ewsd kept them) */
char *ewsd_uid_new(struct soap *soap);
const char *ewsd_item_uid(struct soap *soap, sqlite3 *db, int64_t item_id);

/* ---- deliver.c ---- */
/* Before the sending transaction: make the mailboxes of users-file users among the To/Cc recipients. */
void ewsd_deliver_prepare(struct soap *soap, const struct ewsd_item *sent);
/* Deliver a sent message to the To and Cc recipients whose mailbox is in this store (their Inbox, unread), once each. */
void ewsd_deliver_local(struct soap *soap, const struct ewsd_item *sent);
/* A meeting sent to its attendees (SendMeetingInvitations SendOnlyToAll / SendToAllAndSaveCopy): each local attendee
 * gets an IPM.Schedule.Meeting.Request in the Inbox and the meeting in the Calendar; save_copy: the request in the
 * organizer's Sent Items. */
void ewsd_deliver_meeting(struct soap *soap, const struct ewsd_item *meeting, int save_copy);

/* ---- item_props.c: properties kept beside the item columns (Sensitivity, Culture, extended properties ...) ---- */
struct ewsd_prop_changes {
	int n;
	struct { const char *name, *value; } v[64];      /* value NULL: delete */
};
int ewsd_prop_known(const char *field_uri);
/* The stored name of an extended property path, or NULL when it names none (soap-managed). */
char *ewsd_prop_ext_key(struct soap *soap, const struct ewstype__PathToExtendedFieldType *p);
void ewsd_prop_changes_add(struct ewsd_prop_changes *pc, const char *name, const char *value);
int ewsd_prop_changes_apply(sqlite3 *db, int64_t item_id, const struct ewsd_prop_changes *pc);
/* Collect the kept properties a request item carries (CreateItem). item: any item type; calendar: a CalendarItem. */
void ewsd_props_from_item(struct soap *soap, const void *item, int calendar, struct ewsd_prop_changes *pc);
/* SetItemField / DeleteItemField of a kept property (uri) or an extended one (ext): NULL or the ResponseCode. */
const char *ewsd_prop_set_field(struct soap *soap, const char *uri, const struct ewstype__PathToExtendedFieldType *ext,
				const void *item, int calendar, struct ewsd_prop_changes *pc);
const char *ewsd_prop_delete_field(struct soap *soap, const char *uri, const struct ewstype__PathToExtendedFieldType *ext,
				   struct ewsd_prop_changes *pc);
/* Add the kept properties the shape asks for to a response item (typed item of the row's kind). */
void ewsd_props_attach(struct soap *soap, sqlite3 *db, int64_t item_id, int kind, void *item,
		       struct ewstype__ItemResponseShapeType *shape);
/* Only the rows of item_id named prefix + a kept property's name (an exception's, recurrence.c), put over what
 * ewsd_props_attach gave, as the shape asks. */
void ewsd_props_attach_overlay(struct soap *soap, sqlite3 *db, int64_t item_id, const char *prefix, int kind,
			       void *item, struct ewstype__ItemResponseShapeType *shape);

/* Contacts' EmailAddresses (2, 3), PhysicalAddresses and PhoneNumbers, kept as "d:<DictionaryURI>|<FieldIndex>" rows. */
void ewsd_contact_props_from_item(struct soap *soap, const struct ewstype__ContactItemType *c, struct ewsd_prop_changes *pc);
void ewsd_contact_props_attach(struct soap *soap, sqlite3 *db, int64_t item_id, struct ewstype__ContactItemType *c,
			       struct ewstype__ItemResponseShapeType *shape);

/* ---- op_people.c: the lookups ResolveNames makes, shared with FindPeople and GetPersona (op_persona.c) ---- */
/* The directory's entries (users file first, then the store's mailboxes; one per address, compared without case)
 * whose name or address query begins (ewsd_name_matches); every entry when query is NULL. *names (the entry's
 * display name: its address's local part) and *addrs are soap-managed arrays; returns how many. */
int ewsd_directory_lookup(struct soap *soap, const char *query, const char ***names, const char ***addrs);
/* 1 when query (not empty) begins, without case, the display name or one of its words, the given name, the
 * surname or the address (any of them may be NULL): ResolveNames' ambiguous name resolution. */
int ewsd_name_matches(const char *query, const char *display, const char *given, const char *surname,
		      const char *addr);

/* ---- permissions.c: folder permissions (table folder_permissions) ---- */
enum ewsd_right { EWSD_RIGHT_READ = 1, EWSD_RIGHT_CREATE = 2, EWSD_RIGHT_EDIT = 4, EWSD_RIGHT_DELETE = 8,
		  EWSD_RIGHT_OWNER = 16 };
/* The rights (ewsd_right mask) of a permission level named as the schema names it; 0 for an unknown name. */
int ewsd_perm_level_rights(const char *level);
/* smtp's level on the folder into level (n bytes): 0 found, 1 no entry, -1 store error. */
int ewsd_perm_get(sqlite3 *db, int64_t folder_id, const char *smtp, char *level, size_t n);
/* Give smtp the level on the folder (NULL or "None" removes the entry). 0 or -1. In the caller's transaction. */
int ewsd_perm_set(sqlite3 *db, int64_t folder_id, const char *smtp, const char *level);
/* smtp's rights on the folder: its entry's, else the Default entry's, else 0. */
int ewsd_perm_rights(sqlite3 *db, int64_t folder_id, const char *smtp);
/* The right operation op needs on another mailbox's folder it reads from (target 0) or puts into (target 1). */
int ewsd_perm_needed(const char *op, int target);
/* 1 when smtp's rights on the folder cover what op needs there (ewsd_perm_needed), else 0. */
int ewsd_perm_allows(sqlite3 *db, int64_t folder_id, const char *smtp, const char *op, int target);
/* 1 when op is one of the n names of list. */
int ewsd_op_in(const char *op, const char *const *list, size_t n);

/* ---- users.c: UserId <-> the store's mailboxes ---- */
/* The mailbox a UserId names (*m): NULL, or ErrorDelegateNoUser / ErrorInvalidUserInfo. May make the mailbox of a
 * user of the --users file (its own transaction: call it outside one). */
const char *ewsd_user_resolve(struct soap *soap, const struct ewstype__UserIdType *u, struct ewsd_mailbox *m);
/* The UserId Exchange answers for a user: SID, PrimarySmtpAddress, DisplayName (soap-managed). */
struct ewstype__UserIdType *ewsd_user_id(struct soap *soap, const struct ewsd_mailbox *m);
/* The PermissionSet of a folder as GetFolder answers it (soap-managed): Default and Anonymous, then each user. */
struct ewstype__PermissionSetType *ewsd_perm_set_of(struct soap *soap, int64_t folder_id);
/* Replace every entry of the folder (Default and Anonymous too) by the n given ones (ewsd_perm_from_request):
 * NULL or the ResponseCode (ErrorInvalidPermissionSettings for Custom or the owner, ErrorInvalidUserInfo for a
 * UserId naming nobody); nothing changes on an error. Opens its own transaction: call it outside one. */
enum { EWSD_FOLDER_KIND_FOLDER = 0, EWSD_FOLDER_KIND_CALENDAR, EWSD_FOLDER_KIND_CONTACTS };
/* The entries of the PermissionSet (or CalendarPermissionSet) a request's folder element of that kind carries:
 * their number with *users and *levels (soap-managed, a NULL user where an entry is empty), -1 without one. */
int ewsd_perm_from_request(struct soap *soap, int kind, void *folder, struct ewstype__UserIdType ***users,
			   const char ***levels);
const char *ewsd_perm_apply(struct soap *soap, int64_t folder_id, int n, struct ewstype__UserIdType *const *users,
			    const char *const *levels);

/* ---- op_rooms.c ---- */
/* Add the room list roomlist@DOMAIN ("Room List") with two rooms, room01@ and room02@DOMAIN, unless it is there.
 * For `ewsd seed`; 0 or -1 (sqlite3_errmsg says why). */
int ewsd_rooms_seed(sqlite3 *db, const char *domain);

/* ---- op_oof.c ---- */
/* 1 when the mailbox's automatic reply is on now (Enabled, or Scheduled with now in its Duration): *reply the
 * internal reply, *start and *end the Duration of a scheduled one, else NULL (soap-managed). For GetMailTips. */
int ewsd_oof_active_reply(struct soap *soap, sqlite3 *db, int64_t mailbox, const char **reply, const char **start,
			  const char **end);
/* ---- dl.c: members of private distribution lists (item_props "DLMembers") ---- */
struct ewsd_dl_member {
	const char *key, *name, *addr, *routing, *item_id;   /* item_id: EwsId of a Contact / PrivateDL member */
	int status;                 /* MemberStatusType order */
	int mailbox_type;           /* MailboxTypeType order */
};
#ifdef EWS_HAS_ewstype__DistributionListType_Members    /* a list's Members came with Exchange 2010 */
/* The request's Members, resolved (ItemId references read from the store) and encoded after `existing` (NULL:
 * none, Append passes what is stored); *out soap-managed. NULL or the ResponseCode refusing a member. */
const char *ewsd_dl_members_in(struct soap *soap, const struct ewstype__MembersListType *ml, const char *existing,
			       const char **out);
#endif
/* The stored encoding of a list's members, or NULL (soap-managed). */
const char *ewsd_dl_stored(struct soap *soap, sqlite3 *db, int64_t item_id);
/* Queue the new encoding (NULL or "": no members) as a kept-property change. */
void ewsd_dl_members_change(struct ewsd_prop_changes *pc, const char *encoded);
/* A list's members in order; *out soap-managed. Returns the count (0 on none or error). */
int ewsd_dl_members_load(struct soap *soap, sqlite3 *db, int64_t item_id, struct ewsd_dl_member **out);
/* The EmailAddressType a member is answered with (Name, EmailAddress, RoutingType, MailboxType, ItemId). */
struct ewstype__EmailAddressType *ewsd_dl_member_mailbox(struct soap *soap, const struct ewsd_dl_member *m);
#ifdef EWS_HAS_ewstype__DistributionListType_Members
/* GetItem: the list's Members (an empty Members element when it has none, as Exchange). */
void ewsd_dl_attach(struct soap *soap, sqlite3 *db, int64_t item_id, struct ewstype__DistributionListType *dl);
#endif

/* ---- restrict.c: Restriction and SortOrder -> SQL ---- */
/* Append " AND (...)" for the restriction to sql (a soap-managed growing string), collecting bind values.
 * Returns 0 or -1 (unsupported field: the caller answers ErrorUnsupportedPathForQuery). */
struct ewsd_sql {
	struct soap *soap;
	char *buf;
	size_t len, cap;
	const char *binds[64];
	int nbinds;
	int folders;                /* fields map to the folders table */
};
void ewsd_sql_add(struct ewsd_sql *q, const char *s);
int ewsd_sql_restriction(struct ewsd_sql *q, struct ewstype__RestrictionType *r);
int ewsd_sql_order(struct ewsd_sql *q, struct ewstype__NonEmptyArrayOfFieldOrdersType *o);
/* xs:dateTime with any offset -> UTC "YYYY-MM-DDThh:mm:ssZ" (soap-managed); NULL when not a date. */
char *ewsd_norm_date(struct soap *soap, const char *s);

/* ---- sync.c helpers ---- */
/* Position of a sync: the change seq reached, and for SyncFolderItems the pass it belongs to (op_sync.c). */
struct ewsd_sync_pos {
	int64_t seq, pass_start, pass_head;
};
char *ewsd_syncstate_make(struct soap *soap, int hierarchy, int64_t mailbox_id, int64_t folder_id, int64_t seq);
int ewsd_syncstate_parse(struct soap *soap, const char *s, int hierarchy, int64_t mailbox_id, int64_t folder_id,
			 int64_t *seq);

/* ---- bytebuf.c: the writer of ewsd's binary formats (ExportItems data, its attachments' part) ---- */
/* Bytes appended to a buffer in soap's arena: numbers big-endian, strings and byte runs as u32 length +
 * bytes, 0xFFFFFFFF = absent. Start with { soap } (or with .p/.cap from a sized soap_malloc); an allocation
 * failure sets failed and later puts do nothing. */
struct ewsd_buf {
	struct soap *soap;
	unsigned char *p;
	size_t n, cap;
	int failed;
};
void ewsd_buf_reserve(struct ewsd_buf *b, size_t more);
void ewsd_buf_put(struct ewsd_buf *b, const void *d, size_t n);
void ewsd_buf_put_u32(struct ewsd_buf *b, uint32_t v);
void ewsd_buf_put_i64(struct ewsd_buf *b, int64_t v);
void ewsd_buf_put_bytes(struct ewsd_buf *b, const void *p, size_t n, int absent);
void ewsd_buf_put_str(struct ewsd_buf *b, const char *s);

/* ---- export.c ---- */
unsigned char *ewsd_export_blob(struct soap *soap, const struct ewsd_item *it, size_t *n);
int ewsd_import_blob(struct soap *soap, const unsigned char *p, size_t n, struct ewsd_item *it);

/* ---- attach.c: attachments stored with their item ---- */
/* Exchange Online's default message size limit; ewsd refuses a larger attachment (ErrorAttachmentSizeLimitExceeded). */
#define EWSD_MAX_ATTACHMENT (35LL * 1024 * 1024)
struct ewsd_attachment {
	int64_t id, item_id;
	int is_item;                /* 0 file attachment; 1 item attachment: content = the embedded item's EWSX blob */
	const char *name, *content_type, *content_id, *last_modified;
	int is_inline, is_contact_photo;
	int64_t size;
	const unsigned char *content;
	size_t content_len;
	/* an item attachment's kept properties (Sensitivity, extended ones ...; item_props.c) from the request, stored
	 * under the negated attachment id (ewsd_attach_props_id) by ewsd_attach_add; NULL: none */
	const struct ewsd_prop_changes *embedded_props;
};
/* The item_props item_id an item attachment's embedded item keeps its properties under: -(attachment row id),
 * never an item row's. They go with the attachment (deleted, copied with it). */
static inline int64_t ewsd_attach_props_id(int64_t att_id) { return -att_id; }
int ewsd_attach_insert(sqlite3 *db, struct ewsd_attachment *a);          /* sets a->id */
/* 0 found, 1 not found, -1 error; strings and content soap-managed. */
int ewsd_attach_get(struct soap *soap, sqlite3 *db, int64_t id, int with_content, struct ewsd_attachment *out);
/* An item's attachments in creation order; *out soap-managed. Returns the count or -1. */
int ewsd_attach_list(struct soap *soap, sqlite3 *db, int64_t item_id, int with_content, struct ewsd_attachment **out);
int ewsd_attach_delete(sqlite3 *db, int64_t id);
int ewsd_attach_delete_item(sqlite3 *db, int64_t item_id);
int ewsd_attach_copy(sqlite3 *db, int64_t from_item, int64_t to_item);
int ewsd_attach_exists(sqlite3 *db, int64_t item_id);
char *ewsd_attach_id_make(struct soap *soap, const struct ewsd_item *root, int64_t att_id);
/* Resolve an attachment id of the request's mailbox: NULL or the ResponseCode (*guid as ewsd_resolve_item). */
const char *ewsd_attach_resolve(struct soap *soap, const char *id, struct ewsd_item *root,
				struct ewsd_attachment *att, int with_content, const char **guid);
/* A response FileAttachment/ItemAttachment into a union slot; full: with Content / the embedded item. */
void ewsd_attach_put(struct soap *soap, const struct ewsd_item *root, const struct ewsd_attachment *a, int full,
		     int *selector, void **slot, int sel_item, int sel_file);
/* GetItem's Attachments (without content), NULL when the item has none. */
struct ewstype__NonEmptyArrayOfAttachmentsType *ewsd_attach_item_list(struct soap *soap, const struct ewsd_item *it);
/* The same list with AttachmentIds only, as CreateItem answers. */
struct ewstype__NonEmptyArrayOfAttachmentsType *ewsd_attach_id_list(struct soap *soap, const struct ewsd_item *it);
/* A request attachment (FileAttachmentType, or ItemAttachmentType when is_item) to a row: NULL or the
 * ResponseCode, *field the FieldURI for MessageXml when one is missing. */
const char *ewsd_attach_from_request(struct soap *soap, int is_item, void *ptr, struct ewsd_attachment *a,
				     const char **field);
/* Store a to root (inside a transaction): root's size grows, it gets a new ChangeKey. NULL or the ResponseCode. */
const char *ewsd_attach_add(struct soap *soap, struct ewsd_item *root, struct ewsd_attachment *a);
/* The attachments' part of ExportItems data appended to b as u32 BE length + bytes: 1 when written, 0 when the
 * item has none (nothing appended), -1 on failure; its parser, and the upload side. */
int ewsd_attach_blob_put(struct soap *soap, int64_t item_id, struct ewsd_buf *b);
int ewsd_attach_parse(struct soap *soap, const unsigned char *p, size_t n, struct ewsd_attachment **out, int *count);
int ewsd_attach_replace(sqlite3 *db, int64_t item_id, struct ewsd_attachment *a, int count);
/* op_attach.c: store the Attachments of a CreateItem request item (any item type) with the inserted root,
 * inside CreateItem's transaction. NULL or the ResponseCode of the first refused attachment. */
const char *ewsd_attach_create_item(struct soap *soap, struct ewsd_item *root, const void *item, const char **field);
/* mime.c: an item's MimeContent as base64 (the bytes it was created from, else RFC 5322 built from its stored
 * properties and attachments), soap-managed. */
char *ewsd_mime_content(struct soap *soap, const struct ewsd_item *it);
/* CreateItem from MimeContent: Subject/From/To/Cc (and a single-part text body) read from the headers into *it
 * where the request item has none, the bytes kept in pc. NULL or "ErrorMimeContentInvalid". */
const char *ewsd_mime_take(struct soap *soap, const struct ewstype__MimeContentType *mc, struct ewsd_item *it,
			   struct ewsd_prop_changes *pc);

/* ---- fault.c ---- */
extern struct ewsd_faults ewsd_faults;
int ewsd_fault_take(int *counter);  /* atomically decrement a counter > 0; 1 when taken */
int ewsd_fault_get(const int *setting); /* a setting read under the lock /ewsd/control writes it under */
int ewsd_server_busy_fault(struct soap *soap);
int ewsd_schema_fault(struct soap *soap, const char *violation);
int ewsd_version_fault(struct soap *soap);
/* The answer of every operation ewsd does not implement (called by the generated default handlers). */
int ews_server_unsupported_operation(struct soap *soap, const char *operation);
/* ErrorSchemaValidation for a required xs:choice left empty: gSOAP's strict decoding checks required elements
 * and attributes but not choices, so handlers call this where the schema requires one (selector 0). */
int ewsd_choice_missing_fault(struct soap *soap, const char *element);
int ewsd_version_index(const char *name);
int ewsd_control(const char *query, char *reply, size_t n);

/* ---- decoding.c ---- */
/* Strict schema decoding with unknown elements skipped and unknown enum values refused (a listening context). */
void ewsd_decoding_init(struct soap *soap);
/* Per request, after the envelope and header are read: the hook for an operation decoded leniently (none now). */
void ewsd_decoding_for_operation(struct soap *soap);

/* ---- schema_files.c ---- */
/* An embedded schema file by name (services.wsdl, messages.xsd, types.xsd; any case), or NULL. */
const char *ewsd_schema_file(const char *name, size_t *len);

/* ---- autodiscover.c: POX and SOAP autodiscover for our mailboxes ---- */
/* 1 for /autodiscover/autodiscover.xml (POX), 2 for /autodiscover/autodiscover.svc (SOAP), else 0 (any case). */
int ewsd_autodiscover_kind(const char *path);
/* The answer to an authenticated POST of `body` to `path`, malloc'd (*len bytes); NULL when out of memory. */
char *ewsd_autodiscover_answer(struct soap *soap, const char *path, const char *body, size_t *len);
/* 1 and the Location (the configured origin + path) when requests are to be answered with a 302. */
int ewsd_autodiscover_302(const char *path, char *loc, size_t cap);
/* Settings (flags and /ewsd/control): ad_redirect_addr=FROM=TO (added), ad_redirect_url=ORIGIN,
 * ad_redirect_302=ORIGIN, ad_ews_url=URL, ad_reset; the value %-decoded. 0, or -1 for a bad key or value. */
int ewsd_autodiscover_set(const char *key, const char *value);

/* ---- seed.c ---- */
int ewsd_seed_main(int argc, char **argv);

/* Common preamble of every operation: the request itself present (an operation element sent as xsi:nil reaches
 * the handler as NULL: ErrorSchemaValidation, as for any missing required part), version check,
 * ServerVersionInfo header, injected faults. Returns SOAP_OK to go on, or an error the handler returns as is. */
int ewsd_begin_op(struct soap *soap, const char *op, const void *req);
/* Replace the response header by one carrying only ServerVersionInfo (every answer, faults included). */
void ewsd_server_version_header(struct soap *soap);

/* ---- op_tz.c: wall-clock conversions in the zones GetServerTimeZones knows (seconds since 1970; a local value
 * is the wall-clock reading counted alike). An unknown zone id converts as UTC. ---- */
int ewsd_tz_known(const char *id);
int64_t ewsd_tz_to_local(const char *id, int64_t utc);
int64_t ewsd_tz_to_utc(const char *id, int64_t local);

/* ---- ids.c: occurrence ids (instruction Recurrence around the master's EntryID + original start) ---- */
char *ewsd_id_make_occurrence(struct soap *soap, const struct ewsd_id *master, int64_t original_start);
int ewsd_id_parse_occurrence(const char *text, struct ewsd_id *master, int64_t *original_start);   /* 0 or -1 */

/* ---- recurrence.c: recurring masters, their occurrences, exceptions and deletions ---- */
/* What an item id of a request names: a row, or one occurrence of a recurring master row. */
struct ewsd_item_ref {
	struct ewsd_item item;      /* the row (for an occurrence: its master) */
	int is_occurrence;
	int index;                  /* the occurrence's InstanceIndex, 1-based */
	int64_t original;           /* its original start, UTC seconds */
};
enum ewsd_ref_kind { EWSD_REF_ITEM_ID, EWSD_REF_OCCURRENCE, EWSD_REF_MASTER };
/* Resolve an ItemId (a row's or an occurrence's), an OccurrenceItemId (id = RecurringMasterId, instance) or a
 * RecurringMasterItemId (id = OccurrenceId). NULL or the ResponseCode; *guid as ewsd_resolve_item. */
const char *ewsd_recur_resolve(struct soap *soap, enum ewsd_ref_kind kind, const char *id, const char *ck,
			       int instance, struct ewsd_item_ref *out, const char **guid);
/* CreateItem: a CalendarItem's Recurrence (validated; the row's Start/End become the first occurrence's), kept
 * in pc. NULL or the ResponseCode. */
const char *ewsd_recur_take(struct soap *soap, const struct ewstype__CalendarItemType *cal, struct ewsd_item *it,
			    struct ewsd_prop_changes *pc);
/* UpdateItem fields ewsd_recur handles (calendar:Recurrence, calendar:StartTimeZone, calendar:MeetingTimeZone):
 * 1 when uri is one of them. Set (cal = the change's CalendarItem, may be NULL) / delete: NULL or ResponseCode. */
int ewsd_recur_field(const char *uri);
const char *ewsd_recur_set_field(struct soap *soap, const char *uri, const struct ewstype__CalendarItemType *cal,
				 struct ewsd_item *it, struct ewsd_prop_changes *pc);
const char *ewsd_recur_delete_field(struct soap *soap, const char *uri, struct ewsd_item *it,
				    struct ewsd_prop_changes *pc);
/* The row an occurrence reads as (its master's, with the occurrence's times and an exception's changes). */
void ewsd_recur_occurrence_row(struct soap *soap, const struct ewsd_item_ref *ref, struct ewsd_item *row);
/* UpdateItem of an occurrence: keep the changed row (every column) and its kept-property changes (props, item_props.c
 * names; NULL: none) as an exception of the master (own transaction). */
const char *ewsd_recur_save_exception(struct soap *soap, const struct ewsd_item_ref *ref, const struct ewsd_item *row,
				      const struct ewsd_prop_changes *props);
/* DeleteItem of an occurrence: it joins the master's DeletedOccurrences (own transaction). */
const char *ewsd_recur_delete_occurrence(struct soap *soap, const struct ewsd_item_ref *ref);
/* An occurrence as a response CalendarItem in a union slot (sels as ewsd_put_item). */
void ewsd_recur_put_occurrence(struct soap *soap, const struct ewsd_item_ref *ref, unsigned props,
			       struct ewstype__ItemResponseShapeType *shape, int *selector, void **slot, const int sels[6]);
/* ewsd_props_attach's part for calendar items: CalendarItemType, and a master's Recurrence, First/LastOccurrence,
 * ModifiedOccurrences, DeletedOccurrences, IsRecurring, as the shape asks. */
void ewsd_recur_attach(struct soap *soap, sqlite3 *db, int64_t item_id, struct ewstype__CalendarItemType *cal,
		       int (*names)(struct soap *, struct ewstype__ItemResponseShapeType *, const char *),
		       struct ewstype__ItemResponseShapeType *shape);
/* FindItem's CalendarView of a folder: single items matching where (a " FROM items WHERE ..." clause without
 * masters) and every master's occurrences in the window, in start order. NULL or the ResponseCode. */
const char *ewsd_recur_calendar_view(struct soap *soap, struct ewsmsg__FindItemType *req, const struct ewsd_folder *f,
				     struct ewsd_sql *where, struct ewsmsg__FindItemResponseMessageType *m);
/* ewsd seed: make the inserted calendar item a recurring master (pattern k % 4, in W. Europe time; every other
 * one with an exception and a deleted occurrence). 0 or -1. */
int ewsd_recur_seed(sqlite3 *db, int64_t item_id, long k, const char *start, const char *end, const char *subject);
/* The SQL condition leaving recurring masters out (CalendarView lists their occurrences instead). */
#define EWSD_NOT_MASTER " AND NOT EXISTS (SELECT 1 FROM item_props p WHERE p.item_id=items.id AND p.name='r:rule')"
/* ---- public.c: public folders ---- */

/* The address of the public-folder mailbox of user's domain ("PublicFolders@DOMAIN"; GetUserSettings
 * PublicFolderInformation answers it). */
void ewsd_public_mailbox_smtp(const char *user, char *out, size_t n);
/* That mailbox (made with its publicfoldersroot when create and missing). 0 found, 1 not there, -1 error. */
int ewsd_public_mailbox(sqlite3 *db, const char *user, int create, struct ewsd_mailbox *out);
/* publicfoldersroot for this request's user, or the response code that refuses it. */
const char *ewsd_public_root(struct soap *soap, struct ewsd_folder *out);
/* 1 when guid is the public-folder mailbox's (then *mailbox_id is set, and *err to the response code when the
 * request's routing headers name another mailbox, else NULL); 0 when it is not. */
int ewsd_public_reach(struct soap *soap, const char *guid, int64_t *mailbox_id, const char **err);

/* ---- mime_headers.c: an imported message's header values ---- */

/* RFC 2047 encoded words (UTF-8, US-ASCII, ISO-8859-1/Windows-1252; B and Q) decoded to UTF-8 (soap-managed);
 * v itself when it has none or NULL. Words in other character sets stay as they are. */
char *ewsd_mime_decode_words(struct soap *soap, const char *v);
/* An RFC 5322 date ("Mon, 3 Jun 2024 09:00:00 +0200") as xs:dateTime UTC (soap-managed), NULL if not one. */
const char *ewsd_mime_date(struct soap *soap, const char *v);
/* Importance (0 Low, 1 Normal, 2 High) from the Importance or X-Priority header values (either may be NULL). */
int ewsd_mime_importance(const char *importance, const char *x_priority);

/* ---- text_body.c: the computed bodies TextBody, UniqueBody, NormalizedBody (read-only, Exchange 2013+) ---- */
/* 1 when the shape's AdditionalProperties name one of them (the caller then needs the body). */
int ewsd_text_body_asked(struct soap *soap, const struct ewstype__ItemResponseShapeType *shape);
/* Add those the shape asks for to a response item of any type (TextBody as text, the others as the shape says). */
void ewsd_text_body_attach(struct soap *soap, const struct ewsd_item *it, void *item,
			   const struct ewstype__ItemResponseShapeType *shape);
/* 1 when a request item (any type) sets one of them (CreateItem: ErrorInvalidPropertySet). */
int ewsd_text_body_refused(const void *item);

/* ---- body_type.c ---- */

/* body (is_html: stored as HTML) in the type asked for (want_html), soap-managed; body itself when it already is. */
const char *ewsd_body_as(struct soap *soap, const char *body, int is_html, int want_html);

#endif
