/* ews/ids.h — Exchange item/folder id formats (EwsId, EwsLegacyId, EntryId, HexEntryId, StoreId, OwaId):
 * parse, build, convert locally (no server round trip), and the ConvertId public-folder fix-up.
 *
 * Layouts (see MS-OXCDATA 2.2.4, MS-OXCEXT 2.2.6.1 / 3.1.4.5 and the team notes on ids):
 *   EntryId     base64(ENTRYID); folder 46 bytes, message 70 bytes (other sizes are carried opaquely)
 *   HexEntryId  hex(ENTRYID), upper case when written, any case when read
 *   StoreId     base64(len:u8 || ENTRYID || object type:u8)
 *   OwaId       the StoreId bytes, base64, '+' '/' '=' percent-encoded (Exchange 2007/2010 OWA only)
 *   EwsId       base64(compression:u8 || payload); compression 0 none, 1 RLE; payload =
 *               storage:u8 then, for storage 3/4/6: u16le len + mailbox GUID text, instruction:u8,
 *               u16le len + ENTRYID (6: then u16le len + InternetMessageId); 0: the same with an SMTP
 *               address instead of the GUID (that is the EwsLegacyId); 1, 5: u16le len + ENTRYID;
 *               2: instruction:u8, u16le len + item ENTRYID, u16le len + folder ENTRYID.
 *   EwsLegacyId the EwsId container with storage type 0 and an SMTP moniker (Exchange 2007 RTM).
 * Numbers of ews_id_format match the EWS Managed API IdFormat enum. Nothing here talks to a server. */
#ifndef EWS_IDS_H
#define EWS_IDS_H

#include <stddef.h>
#include <stdint.h>

#include "ews/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ews_id_format {
	EWS_ID_EWS_LEGACY_ID = 0,   /* "EwsLegacyId" */
	EWS_ID_EWS_ID = 1,          /* "EwsId"       */
	EWS_ID_ENTRY_ID = 2,        /* "EntryId"     */
	EWS_ID_HEX_ENTRY_ID = 3,    /* "HexEntryId"  */
	EWS_ID_STORE_ID = 4,        /* "StoreId"     */
	EWS_ID_OWA_ID = 5           /* "OwaId"       */
} ews_id_format;

/* The exact EWS name ("EwsId" ...), static storage; NULL for a value outside the enum. */
const char *ews_id_format_name(ews_id_format format);

/* Exact, case-sensitive EWS name -> enum (EWS compares these names exactly). EWS_ERR_ARGUMENT if unknown. */
ews_status ews_id_format_from_name(const char *name, ews_id_format *out);

/* The type word at offset 20 of a long-term EntryID (MS-OXCDATA 2.2.4). */
typedef enum ews_entry_kind {
	EWS_ENTRY_OTHER = 0,                /* not a 46-byte folder / 70-byte message long-term EntryID */
	EWS_ENTRY_PRIVATE_FOLDER = 0x0001,  /* eitLTPrivateFolder  */
	EWS_ENTRY_PUBLIC_FOLDER = 0x0003,   /* eitLTPublicFolder   */
	EWS_ENTRY_WACKY_FOLDER = 0x0005,    /* eitLTWackyFolder    */
	EWS_ENTRY_PRIVATE_MESSAGE = 0x0007, /* eitLTPrivateMessage */
	EWS_ENTRY_PUBLIC_MESSAGE = 0x0009,  /* eitLTPublicMessage  */
	EWS_ENTRY_WACKY_MESSAGE = 0x000B    /* eitLTWackyMessage   */
} ews_entry_kind;

/* IdStorageType, the first payload byte of an EwsId / EwsLegacyId. */
typedef enum ews_id_storage {
	EWS_ID_STORAGE_NONE = -1,                 /* the id was not an EwsId/EwsLegacyId */
	EWS_ID_STORAGE_SMTP_MAILBOX = 0,          /* MailboxItemSmtpAddressBased (EwsLegacyId) */
	EWS_ID_STORAGE_PUBLIC_FOLDER = 1,         /* PublicFolder */
	EWS_ID_STORAGE_PUBLIC_FOLDER_ITEM = 2,    /* PublicFolderItem */
	EWS_ID_STORAGE_GUID_MAILBOX = 3,          /* MailboxItemMailboxGuidBased (the usual EwsId) */
	EWS_ID_STORAGE_CONVERSATION = 4,          /* ConversationIdMailboxGuidBased */
	EWS_ID_STORAGE_AD_OBJECT = 5,             /* ActiveDirectoryObject (2013+) */
	EWS_ID_STORAGE_GUID_MAILBOX_FALLBACK = 6  /* MailboxItemMailboxGuidBasedWithFallback (2016+) */
} ews_id_storage;

/* IdProcessingInstruction of an EwsId. */
typedef enum ews_id_instruction {
	EWS_ID_INSTR_NONE = -1,      /* not present in this format */
	EWS_ID_INSTR_NORMAL = 0,
	EWS_ID_INSTR_RECURRENCE = 1, /* an occurrence: the store id is not a plain ENTRYID (layout unspecified) */
	EWS_ID_INSTR_SERIES = 2,
	EWS_ID_INSTR_MULTIPLE = 3    /* several counted contents (layout unspecified) */
} ews_id_instruction;

/* StoreId/OwaId trailing object-type byte. Not publicly specified: these values follow Exchange's internal
 * StoreObjectType numbering as far as it can be checked against published ids (folder 0x01 observed in a
 * real StoreId; 0x11 for a contact in a published OWA id; message 0x09 is an inference from that numbering). */
#define EWS_STORE_OBJECT_FOLDER  0x01
#define EWS_STORE_OBJECT_MESSAGE 0x09
#define EWS_STORE_OBJECT_CONTACT 0x11

#define EWS_FOLDER_ENTRY_ID_LEN 46
#define EWS_MESSAGE_ENTRY_ID_LEN 70
/* Bounds applied while parsing: the id text, and any decoded or decompressed payload. EWS ids are at most
 * 512 base64 characters (MS-OXWSCORE); the bounds leave room and still stop hostile input early. */
#define EWS_ID_MAX_TEXT 8192
#define EWS_ID_MAX_BYTES 4096

/* One parsed id. Every pointer member is owned by the struct (freed by ews_id_free). */
typedef struct ews_id {
	ews_id_format source_format;    /* the format it was parsed from */
	unsigned char *entry_id;        /* the MAPI ENTRYID (for EwsIds: the item's store id bytes); never NULL */
	size_t entry_id_len;
	ews_entry_kind kind;            /* from entry_id; EWS_ENTRY_OTHER unless a 46/70-byte long-term id */
	int is_folder;                  /* 1 for the folder kinds */
	int is_message;                 /* 1 for the message kinds */
	int is_public;                  /* 1 for eitLTPublicFolder / eitLTPublicMessage */
	ews_id_storage storage;         /* EwsId/EwsLegacyId storage type, else EWS_ID_STORAGE_NONE */
	ews_id_instruction instruction; /* EwsId processing instruction, else EWS_ID_INSTR_NONE */
	int compressed;                 /* 1 when the EwsId used RLE (CompressionType 1) */
	char *moniker;                  /* mailbox GUID text (storage 3, 4, 6) or SMTP address (storage 0); else NULL */
	char *internet_message_id;      /* storage 6 only, else NULL */
	unsigned char *folder_entry_id; /* storage 2 only (the public folder's ENTRYID), else NULL */
	size_t folder_entry_id_len;
	int object_type;                /* StoreId/OwaId trailing byte 0..255, else -1 */
} ews_id;

/* Releases the id and everything it owns. Accepts NULL. */
void ews_id_free(ews_id *id);

/* Parse `text` in format `from`. On success *out is a new ews_id the caller frees with ews_id_free();
 * on error *out is NULL. EWS_ERR_FORMAT (with the reason in the message) for malformed input: bad base64/hex
 * or percent escapes, wrong lengths, truncated payloads, unknown compression/storage type/instruction,
 * a moniker or store id longer than the payload, trailing bytes, text or payload beyond EWS_ID_MAX_*.
 * EwsLegacyId and EwsId share one container, so either name parses either storage type. */
ews_status ews_id_parse(const char *text, ews_id_format from, ews_id **out);

/* Write `id` as format `to`. `mailbox` (may be NULL) is a mailbox GUID ("26db0cae-0544-4aab-a42f-a20baee96c6b")
 * or an SMTP address; when it is NULL or of the wrong kind, the id's own moniker is used if it has the right
 * kind. EwsId needs a mailbox GUID (public-folder entry ids need none: storage type 1/2 is written);
 * EwsLegacyId needs an SMTP address; StoreId/OwaId write id->object_type, or EWS_STORE_OBJECT_FOLDER /
 * EWS_STORE_OBJECT_MESSAGE when the source had none. EwsIds are written uncompressed with the id's
 * instruction (Normal when none). EWS_ERR_UNSUPPORTED (saying what is missing) when the target needs
 * information that is not there; EWS_ERR_ARGUMENT for a `mailbox` that is neither a GUID nor an address.
 * On success *out is a NUL-terminated string the caller frees with free(); on error *out is NULL. */
ews_status ews_id_write(const ews_id *id, ews_id_format to, const char *mailbox, char **out);

/* ews_id_parse + ews_id_write. *out: caller frees with free(); NULL on error. */
ews_status ews_id_convert(const char *id, ews_id_format from, ews_id_format to, const char *mailbox, char **out);

/* The ConvertId page's public-folder workaround, done locally. Exchange 2013+/Online return a public-folder
 * EntryId/StoreId whose ENTRYID is typed private message (type byte 7) with a mailbox provider UID. This:
 * decodes `id` (format EWS_ID_ENTRY_ID, EWS_ID_HEX_ENTRY_ID or EWS_ID_STORE_ID; for a StoreId the ENTRYID
 * starts after the leading length byte), requires the first 4 bytes to be zero, and when the type byte
 * (offset 20 of the ENTRYID) is 7 overwrites offsets 4..19 with the public store GUID
 * 1A447390AA6611CD9BC800AA002FC45A, sets the type byte to 9 and re-encodes in the same format (hex upper case,
 * base64 canonical). When the type byte is not 7 the id is returned unchanged (as given) with EWS_OK, *changed
 * = 0, and the status message saying why (e.g. "type byte is 9 (already public message): left unchanged").
 * Folders (type 1) are not touched: Microsoft documents the fix for type 7 only.
 * *out: caller frees with free(); NULL on error. `changed` may be NULL. EWS_ERR_FORMAT for undecodable ids,
 * ids shorter than 22 bytes, non-zero flags; EWS_ERR_ARGUMENT for another format. */
ews_status ews_id_fix_public_folder_entry_id(const char *id, ews_id_format format, char **out, int *changed);

/* ---- Builders (for servers such as ewsd that mint Exchange-shaped ids) ---- */

/* A 6-byte global counter from the low 48 bits of `value`, big-endian as Exchange stores it, written into the
 * caller's `out`. EWS_ERR_ARGUMENT when out is NULL. */
ews_status ews_global_counter_from_u64(uint64_t value, unsigned char out[6]);

/* A 46-byte folder ENTRYID: flags 0, provider_uid, type 1 (private) or 3 (public), database_guid,
 * global_counter, pad. All inputs borrowed; writes into the caller's `out`. EWS_ERR_ARGUMENT on NULL. */
ews_status ews_entry_id_make_folder(const unsigned char provider_uid[16], const unsigned char database_guid[16],
                                    const unsigned char global_counter[6], int is_public,
                                    unsigned char out[EWS_FOLDER_ENTRY_ID_LEN]);

/* A 70-byte message ENTRYID: flags 0, provider_uid, type 7 (private) or 9 (public), the folder's database
 * GUID and global counter, pad, the message's database GUID and global counter, pad. Inputs borrowed. */
ews_status ews_entry_id_make_message(const unsigned char provider_uid[16],
                                     const unsigned char folder_database_guid[16],
                                     const unsigned char folder_global_counter[6],
                                     const unsigned char message_database_guid[16],
                                     const unsigned char message_global_counter[6], int is_public,
                                     unsigned char out[EWS_MESSAGE_ENTRY_ID_LEN]);

/* The EwsId Exchange writes for an ENTRYID in a mailbox: uncompressed, storage type 3, the mailbox GUID
 * (lower-cased) as moniker, instruction Normal. 113 bytes / 152 characters for a message, 89 / 120 for a
 * folder. EWS_ERR_ARGUMENT for a mailbox_guid that is not 8-4-4-4-12 hex or an entry_len of 0 or > 65535.
 * *out: caller frees with free(). */
ews_status ews_id_make_ews_id(const unsigned char *entry_id, size_t entry_len, const char *mailbox_guid,
                              char **out);

/* 1 when `text` is a GUID in "D" form (8-4-4-4-12 hex digits, any case), else 0. NULL gives 0. */
int ews_id_is_guid(const char *text);

/* RLE of MS-OXCEXT 3.1.4.5: a run of n >= 2 equal bytes b is written "b b (n-2)" (runs longer than 257
 * split), single bytes copied. Compress never fails on valid arguments; decompress gives EWS_ERR_FORMAT for a
 * run marker without its count and EWS_ERR_TOO_LARGE past `max_len` (0 = EWS_ID_MAX_BYTES).
 * *out: malloc'd, caller frees with free(); NULL on error. */
ews_status ews_id_rle_compress(const unsigned char *in, size_t len, unsigned char **out, size_t *out_len);
ews_status ews_id_rle_decompress(const unsigned char *in, size_t len, size_t max_len, unsigned char **out,
                                 size_t *out_len);

#ifdef __cplusplus
}
#endif
#endif
