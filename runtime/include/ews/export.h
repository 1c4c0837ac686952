/* ews/export.h — ExportItems to files and UploadItems from files, in batches, with one result per item: a
 * failing item (stale change key, missing item, unreadable file) is reported and the batch goes on.
 *
 *   ews_item_ref ids[] = { { id1, NULL }, { id2, NULL } };
 *   const char *paths[] = { "a.ewsx", "b.ewsx" };
 *   ews_transfer_result *r;
 *   st = ews_export_items_to_files(c, ids, paths, 2, NULL, &r);     // EWS_ERR_RESPONSE: see r[i].status
 *   ews_transfer_results_free(r, 2);
 *
 *   ews_upload_item up[] = { { .path = "a.ewsx", .parent_folder_id = "drafts" }, ... };
 *   st = ews_upload_items_from_files(c, up, 2, NULL, &r);            // r[i].id: the new item
 *
 * Memory: each Data is written to its file straight from the decoded response (never copied) and the response
 * is released before the next batch, so an export holds at most one batch once. Uploads hold one batch of file
 * contents (bounded by batch_bytes) while it is sent. The files hold the server's opaque Data bytes as they are
 * (base64-decoded): upload them to the same kind of server they came from.
 */
#ifndef EWS_EXPORT_H
#define EWS_EXPORT_H

#include <stddef.h>

#include "ews/client.h"
#include "ews/status.h"
#include "ews/view.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Items per ExportItems call when an options struct's batch_size is 0 (ews_transfer_options,
 * ews_export_dir_options). */
#define EWS_EXPORT_BATCH 50

/* An item id with its optional change key (borrowed). */
typedef struct ews_item_ref {
	const char *id;
	const char *change_key;             /* NULL: any version */
} ews_item_ref;

/* The outcome for one item. Owned by the results array (ews_transfer_results_free). */
typedef struct ews_transfer_result {
	ews_status status;                  /* EWS_OK; EWS_ERR_RESPONSE with response_code ("ErrorInvalidChangeKey",
	                                       "ErrorItemNotFound" ...); EWS_ERR_FILE / EWS_ERR_NOT_FOUND /
	                                       EWS_ERR_TOO_LARGE for the local file; EWS_ERR_CANCELLED when not
	                                       attempted (an earlier batch failed as a whole or progress stopped) */
	char *id;                           /* export: the exported item's id; upload: the created/updated item  */
	char *change_key;                   /* NULL on error                                                    */
	long long bytes;                    /* Data bytes written (export) or sent (upload)                     */
} ews_transfer_result;

typedef struct ews_transfer_options {
	int batch_size;                     /* items per request, default 50 (1..1000)                         */
	size_t batch_bytes;                 /* upload: close a batch before its Data would exceed this, default
	                                       32 MiB (a single larger item still goes, alone)                  */
	size_t max_item_bytes;              /* upload: larger files fail with EWS_ERR_TOO_LARGE, default 256 MiB */
	int durable;                        /* export: fsync each file before its rename (default 0)            */
	int manifest;                       /* export: 1 = also record each exported item in the manifest of the
	                                       files' directory (all paths in one directory; see ews_manifest_*),
	                                       so ews_upload_dir / ews-upload-items can upload them; made durable
	                                       per batch (one syncfs + one fdatasync), `durable` is then not needed */
	ews_progress_fn progress;           /* after each batch: done = items handled, total = n                */
	void *progress_arg;
} ews_transfer_options;

/* Export items[i] into the file paths[i] (created or replaced: written to a temporary name in the same directory,
 * then renamed, so a file is never left half-written). `opt` may be NULL. On return *results is an array of n
 * results the caller frees with ews_transfer_results_free(*results, n) (also on error, unless NULL).
 * Returns EWS_OK when every item was exported; else, when the requests went through, the first failing item's
 * status ("item 3: ErrorInvalidChangeKey: ..." as EWS_ERR_RESPONSE, or EWS_ERR_FILE for its file; every item's is
 * in its result); a transport/auth/... status when a whole request failed (that batch's items carry it, later
 * ones EWS_ERR_CANCELLED). EWS_ERR_ARGUMENT for NULL arrays, n == 0, an item without id or path. */
ews_status ews_export_items_to_files(ews_client *c, const ews_item_ref *items, const char *const *paths, size_t n,
                                     const ews_transfer_options *opt, ews_transfer_result **results);

/* Export items into memory instead of files, for a program that keeps item data its own way (a database, an
 * archive stream, a checksum): fn is called once per item, in order, with i its position in items and either its
 * Data (st EWS_OK; data/len borrowed for the call only: copy what you keep; id and change_key as the server
 * answered them) or its failure (data NULL; st EWS_ERR_RESPONSE with its response_code, e.g.
 * "ErrorItemNotFound"). ExportItems in batches of batch_size (0: 50; at most 1000); one batch's response is in
 * memory at a time, freed before the next is fetched.
 * Returns a whole request's failure (transport, auth ...: the items of that batch and later ones are not
 * delivered), else the first failure fn returned (the export stops after that batch), else EWS_OK.
 * EWS_ERR_ARGUMENT for NULL c/items/fn, an item without id; EWS_ERR_UNSUPPORTED when the bindings' schema has
 * no ExportItems (Exchange 2007). */
typedef ews_status (*ews_export_data_fn)(void *arg, size_t i, ews_status st, const unsigned char *data, size_t len,
                                         const char *id, const char *change_key);
ews_status ews_export_items_each(ews_client *c, const ews_item_ref *items, size_t n, int batch_size,
                                 ews_export_data_fn fn, void *arg);

/* UploadItems CreateAction. */
typedef enum ews_upload_action {
	EWS_UPLOAD_CREATE_NEW = 0,          /* a new item in parent_folder_id                                     */
	EWS_UPLOAD_UPDATE = 1,              /* overwrite item_id (ErrorItemNotFound when it is gone)              */
	EWS_UPLOAD_UPDATE_OR_CREATE = 2     /* overwrite item_id, or create in parent_folder_id when it is gone   */
} ews_upload_action;

/* One item to upload; all strings borrowed for the duration of the call. */
typedef struct ews_upload_item {
	const char *path;                   /* the Data file (as ews_export_items_to_files wrote it)             */
	const unsigned char *data;          /* optional: the Data itself (len bytes, borrowed), sent instead of
	                                       reading path (which then only names the item in messages)         */
	size_t len;
	const char *parent_folder_id;       /* CreateNew / UpdateOrCreate: folder id, or a distinguished name
	                                       ("inbox") that is resolved once with GetFolder                    */
	const char *item_id;                /* Update / UpdateOrCreate                                          */
	                                    /* parent_folder_id is required for Update too: the schema requires
	                                       ParentFolderId on every UploadItem (the item's folder)           */
	const char *change_key;             /* optional, with item_id                                           */
	ews_upload_action action;
	int is_associated;                  /* 1: an associated (folder-associated information) item            */
} ews_upload_item;

/* Upload items[i] from their files. Same results and return convention as ews_export_items_to_files; an item
 * that cannot be sent (file missing/unreadable/empty/too large, or no path, parent folder or item id for its
 * action: EWS_ERR_ARGUMENT) fails only itself and is not sent; the others go on. */
ews_status ews_upload_items_from_files(ews_client *c, const ews_upload_item *items, size_t n,
                                       const ews_transfer_options *opt, ews_transfer_result **results);

/* Free a results array and the strings it owns. Accepts NULL. */
void ews_transfer_results_free(ews_transfer_result *results, size_t n);

/* ---- Item fingerprints (ews_fingerprint.c): an uploaded copy told from its source without their data ----
 *
 * An item uploaded with CreateNew exports byte-identically from ewsd, but not from Exchange, which gives the copy
 * a new entry id, source key, change key and modification time inside the opaque data. What a copy keeps of its
 * source are the properties in the data that the store does not make afresh: ItemClass, Subject, DateTimeSent,
 * DateTimeReceived and InternetMessageId. An item's fingerprint is a hash of them (the times as instants), taken
 * from a listing that asked for ews_fingerprint_fields; an export directory records its items' fingerprints in
 * the manifest, and an upload interrupted with a batch in flight finds that batch's copies by them (below). Two
 * items with the same five properties have the same fingerprint: it names a candidate, not an item, and the
 * upload uses it only where it is unambiguous. */
#define EWS_FINGERPRINT_LEN 16
/* The FieldURIs a listing (FindItem, SyncFolderItems: AdditionalProperties) asks for, NULL-terminated. */
extern const char *const ews_fingerprint_fields[];
/* it's fingerprint, 16 lowercase hex digits, into out; 1, or 0 with out "" when it is no item (NULL, or without
 * an id). An item without any of the five has one too, the same as every such item of its class: "" always means
 * "unknown" (a manifest line of a library before fingerprints). */
int ews_item_fingerprint(const ews_item_view *it, char out[EWS_FINGERPRINT_LEN + 1]);

/* ---- Export directories: manifest, resume, ChangeKey comparison (ews_manifest.c, ews_export_dir.c) ----
 *
 * An export directory holds one file per item (named by ews_manifest_file_name: a pure function of the id, so a
 * rerun overwrites the same file) and DIR/manifest.tsv, format version 2:
 *
 *   # ews-manifest 2 mailbox=MAILBOX folder=FOLDER                     line 1: what this directory is the export of
 *   FILE<TAB>ITEM ID<TAB>CHANGE KEY<TAB>BYTES<TAB>exported|deleted[<TAB>FINGERPRINT]
 *                                                                      one line per item, appended per batch
 *
 * (other lines starting with '#' are comments). FINGERPRINT (ews_item_fingerprint, 16 hex digits) is optional:
 * written when the export knew it (a listing asked for it, or the caller gave it), absent otherwise and in
 * directories of libews before it; readers before it refuse a line that has it (EWS_ERR_FORMAT, nothing lost).
 *
 * FOLDER is the folder id (a distinguished name is resolved with GetFolder first) or empty for an export of given
 * ids; MAILBOX is what the caller names (the tools: --impersonate, else --user). A later line for the same item id
 * replaces an earlier one (a changed item re-exported; "deleted": the item was gone from the server at a later
 * run, its file is kept — the default — or removed with EWS_EXPORT_DELETED_PRUNE); superseded lines are dropped
 * when the run ends (the manifest is rewritten atomically). A torn last line (a crash while appending) is ignored,
 * and cut off by the next writer. The version 1 manifest of older ews-export-items ("# ews-export-items manifest
 * v1", four columns, no mailbox or folder) is read for upload only; an export refuses to resume it.
 *
 * Version 3, a packed directory (ews_export_dir_options.pack; ews-backup's default): the items' data is not a
 * file each but appended to one pack file in the directory, named by the header, and each line says where:
 *
 *   # ews-manifest 3 mailbox=MAILBOX folder=FOLDER pack=items-G.pack
 *   FILE<TAB>ITEM ID<TAB>CHANGE KEY<TAB>BYTES<TAB>exported|deleted<TAB>OFFSET[<TAB>FINGERPRINT]
 *
 * The item's data is BYTES bytes at OFFSET of the pack ("-": none, a deleted item pruned). FILE is still the name
 * ews_manifest_file_name gives (the item's key in an upload journal), but no such file exists: read an item with
 * ews_manifest_read_item. A directory keeps the layout it was made with. Data no line refers to any more (an item
 * exported again, a pruned one, what a crash left after the last line) is dropped when a writer closes the
 * manifest and it is more than half of the pack (and over 1 MiB): the live data is copied into items-G+1.pack,
 * made durable, the manifest rewritten to name it (atomically), and the old pack removed; a crash in between
 * leaves one of the two, and the next writer removes the one its header does not name.
 * Why: creating a file costs ~20 us of kernel CPU on ext4 (bench/README.md), several times what decoding a
 * 3 KB item costs; a pack takes a write per item and one fdatasync per batch.
 *
 * Durability, per batch: the batch's item files are written (temporary name, rename), one syncfs() makes them
 * and their directory entries durable, then their manifest lines are appended and fdatasync()ed (packed: the
 * pack fdatasync()ed instead of the syncfs). So a line is never durable before its data; a crash leaves at worst
 * data without lines, exported again on the rerun. ews_export_to_dir records a batch (the sync and the append)
 * on a thread of its own while it writes the next batch's data, one record at a time and in order. */

typedef struct ews_manifest ews_manifest;

/* One item of a manifest; the strings belong to the manifest. */
typedef struct ews_manifest_entry {
	const char *file;                   /* a name inside the directory                                        */
	const char *id;                     /* the exported item's id                                             */
	const char *change_key;             /* "" when unknown                                                    */
	long long bytes;
	int deleted;                        /* 1: gone from the server at a later run (the file is kept unless pruned) */
	long long offset;                   /* version 3: where the data starts in the pack, -1 for none (pruned);
	                                       versions 1 and 2 (a file per item): -1 when read, ignored when recorded */
	const char *fingerprint;            /* ews_item_fingerprint's, "" when unknown (NULL: unknown, when recorded) */
} ews_manifest_entry;

/* The file name an item's data goes to: 16 hex digits of FNV-1a 64 of the id, ".ews". */
void ews_manifest_file_name(const char *id, char out[32]);

/* Read DIR/manifest.tsv (a missing directory or manifest is an empty manifest: nothing is created until the first
 * ews_manifest_record). `mailbox`/`folder` non-NULL: the manifest must be version 2 and name exactly these, else
 * EWS_ERR_FORMAT saying whose export the directory holds, and the caller is a writer: it locks the directory
 * (see ews_manifest_record; EWS_ERR_BUSY while another run holds it). NULL for both accepts any manifest, and
 * locks nothing (a reader such as upload or verify). A file that is not our manifest is EWS_ERR_FORMAT too;
 * EWS_ERR_FILE for an unreadable one. *out freed by ews_manifest_close. */
ews_status ews_manifest_open(const char *dir, const char *mailbox, const char *folder, ews_manifest **out);

/* The lines stay on disk: m holds ~13 bytes per item id (where its line is), and an entry is read back from the
 * file when asked for, into m's one entry buffer. So a returned entry (and its strings) is valid until the next
 * call on m; copy what must outlive it. Not for two threads at once. */
size_t ews_manifest_count(const ews_manifest *m);
/* Entry i (0..count-1) in first-recorded order, one per item id; NULL when its line cannot be read back (the
 * file changed or failed under the run: ews_manifest_error says how, and ews_manifest_record refuses from then
 * on). Valid until the next call on m. */
const ews_manifest_entry *ews_manifest_entry_at(const ews_manifest *m, size_t i);
/* The entry for an item id, or NULL (none; or unreadable, as above). Valid until the next call on m. */
const ews_manifest_entry *ews_manifest_find(const ews_manifest *m, const char *id);
/* OK, or why an entry could not be read back. */
ews_status ews_manifest_error(const ews_manifest *m);
/* An entry's data (from its file, or from the pack of a version 3 directory) into *data (malloc'd, caller frees;
 * *len bytes). e is an entry of m (ews_manifest_entry_at/find), read before any other call on m. EWS_ERR_NOT_FOUND
 * for a missing file or pruned data, EWS_ERR_TOO_LARGE over max bytes, EWS_ERR_FORMAT for a pack shorter than
 * its line says, EWS_ERR_FILE otherwise. */
ews_status ews_manifest_read_item(ews_manifest *m, const ews_manifest_entry *e, size_t max, unsigned char **data,
                                  size_t *len);
/* "mailbox" / "folder" of the header (versions 2, 3), "" otherwise; the format version (0: no manifest yet). */
const char *ews_manifest_mailbox(const ews_manifest *m);
const char *ews_manifest_folder(const ews_manifest *m);
int ews_manifest_version(const ews_manifest *m);

/* Make the entries' files durable (one syncfs) and then append their lines durably (one fdatasync). Creates the
 * directory (mode 0700) and the manifest with its header on the first call. The files must be written already.
 * One writer per directory: a writer's open (mailbox or folder given), or else the first record, locks the
 * directory (flock, released at close or when the process dies); another run's waits up to a second for it (a
 * rerun right after a kill -9), then gets EWS_ERR_BUSY. (Two writers
 * would lose lines: one's compaction renames the manifest the other appends to.) Readers do not lock. */
ews_status ews_manifest_record(ews_manifest *m, const ews_manifest_entry *entries, size_t n);

/* A writer's manifest (it holds the lock, above) is rewritten without superseded lines when there are any
 * (atomically); then free. Returns that rewrite's status; accepts NULL. */
ews_status ews_manifest_close(ews_manifest *m);

/* One run at a time over `path`, as ews_manifest_record and ews_upload_dir take it, for a program's own files
 * beside them (ews-backup's directory): flock on the directory itself (is_dir) or on the lock file `path`
 * (created when missing, mode 0600, kept: it is the lock's stable name). Held until *fd is closed, or the process
 * ends, also by a kill; a holder that ends within a second is waited for (a rerun right after a kill -9).
 * EWS_ERR_BUSY "PATH is in use by another WHAT: ..." while another run (or another descriptor of this process)
 * holds it; EWS_ERR_NOT_FOUND for a missing directory; EWS_ERR_FILE otherwise (*fd = -1 on any failure).
 * The caller closes *fd. */
ews_status ews_run_lock(const char *path, int is_dir, const char *what, int *fd);

typedef enum ews_export_deleted {
	EWS_EXPORT_DELETED_KEEP = 0,        /* default: keep the file, mark the entry "deleted"                   */
	EWS_EXPORT_DELETED_PRUNE = 1        /* remove the file too (the entry stays, marked "deleted")            */
} ews_export_deleted;

/* What happened to one item, for the caller's output (strings valid during the callback only). */
typedef enum ews_item_event_kind {
	EWS_ITEM_EXPORTED = 0, EWS_ITEM_UPLOADED = 1, EWS_ITEM_RECOVERED = 2, EWS_ITEM_FAILED = 3, EWS_ITEM_DELETED = 4
} ews_item_event_kind;
typedef struct ews_item_event {
	ews_item_event_kind kind;
	const char *file;                   /* the name inside the directory                                      */
	const char *id;                     /* export: the item; upload: the new item (NULL when failed)          */
	long long bytes;
	ews_status status;                  /* EWS_ITEM_FAILED: why                                               */
	int changed;                        /* export: 1 when the item was in the manifest with another change key */
} ews_item_event;
typedef void (*ews_item_event_fn)(void *arg, const ews_item_event *ev);

typedef struct ews_export_dir_options {
	const char *mailbox;                /* recorded in / checked against the manifest header; NULL = ""       */
	const char *folder;                 /* folder id or distinguished name (default "inbox" unless ids)        */
	const char *const *ids;             /* export these ids instead of a folder (n_ids of them)               */
	size_t n_ids;
	int batch_size;                     /* items per ExportItems (at most, with batch_bytes), default 50      */
	ews_export_deleted deleted;
	/* Incremental use (a SyncFolderItems consumer such as ews-backup): with ids, `folder` (a folder id, not
	 * resolved) is what the header names, `force` exports the ids even when the manifest has them (they
	 * changed), and deleted_ids are marked deleted. With n_ids == 0 and n_deleted > 0 only the deletions are
	 * recorded (no request is sent). */
	int force;
	const char *const *deleted_ids;
	size_t n_deleted;
	volatile int *stop;                 /* non-zero: stop before the next batch (a signal handler's flag)     */
	ews_item_event_fn on_item;          /* after an item's manifest line is durable (or it failed)            */
	ews_progress_fn progress;           /* after each batch is recorded: done/total of the items to export;
	                                       stopping here still records the batch written meanwhile (a batch's
	                                       record runs while the next one is written)                        */
	void *arg;                          /* for on_item and progress                                           */
	/* Optional: dir's manifest, opened by the caller (ews_manifest_open(dir, mailbox, folder)) and kept open
	 * across calls, borrowed: used instead of reading dir/manifest.tsv again, left open (the caller closes it).
	 * For a caller exporting one directory in many calls (ews-backup: one per sync batch), which otherwise
	 * re-reads a manifest that grows with every call. */
	ews_manifest *manifest;
	/* Optional: a second client for the same server and mailbox, borrowed. With it the batches are asked for
	 * ahead, from other threads, alternately on c and on it: while one batch is written, the next is asked for on
	 * the other connection, and the one after it as soon as the batch written frees its connection, so the server
	 * always has a request to work on while the client decodes and writes. An answer asked for ahead is read only
	 * when its turn comes (ews_client_set_read_gate; at the latest after 5 s): it waits in the connection's
	 * buffers, so memory holds one decoded batch at a time, as with c alone, and a second connection. Both
	 * clients are then used from other threads than the caller's during the call (their log callbacks run there;
	 * the caller must not use either until the call returns). What is written and recorded, and in which order,
	 * is the same as without it; batches fetched when the run stops (stop, progress, a failure) are dropped
	 * unwritten (ExportItems changes nothing on the server). When a request on fetch_client fails as a whole
	 * (refused, cut, timed out), that batch is fetched again on c and the call goes on with c alone (a warning
	 * through c's log callback). */
	ews_client *fetch_client;
	/* Optional, with ids: each id's change key as a SyncFolderItems change reported it (n_ids of them, borrowed;
	 * an entry may be NULL). An id whose manifest entry is not deleted and has that very change key is skipped
	 * (counted skipped), also with `force`: a sync started over from no state (its state lost or refused as
	 * ErrorInvalidSyncStateData) reports every item again, and only the ones the directory lacks or holds in
	 * another version are exported. NULL entries: as without this array. */
	const char *const *change_keys;
	/* 1: a directory this call creates is packed (version 3, above: one pack file instead of a file per item);
	 * an existing directory keeps the layout it has. */
	int pack;
	/* Optional: batches by size. A batch ends before its items' sizes would pass batch_bytes (at least one item,
	 * at most batch_size), so what a batch holds in memory is about the same whatever the items: 50 mails of
	 * 75 KB make ~5 MB of XML, 50 meeting responses ~0.2 MB, and a budget keeps both near it. The sizes are the
	 * server's (item:Size, the size of the item in the store, close to its export's): a folder's listing asks
	 * for them; with ids, `sizes` gives them (n_ids of them, borrowed; -1 unknown). An item of unknown size
	 * counts as batch_bytes / batch_size. 0 (the default): batch_size items a batch. */
	size_t batch_bytes;
	const long long *sizes;
	/* Fingerprints (above) recorded in the manifest, so that an upload of the directory interrupted against
	 * Exchange finds the copies it made: a folder's listing asks for their fields unless no_fingerprints; with
	 * ids, `fingerprints` gives them (n_ids of them, borrowed; NULL or "" unknown: recorded without), and
	 * without it they are asked of the server (one GetItem a chunk's 250 ids) unless no_fingerprints. */
	int no_fingerprints;
	const char *const *fingerprints;
} ews_export_dir_options;

typedef struct ews_transfer_summary {
	long total;                         /* items the run considered (folder listing / ids / manifest entries) */
	long attempted;                     /* sent to the server this run                                        */
	long done;                          /* exported / uploaded this run                                       */
	long recovered;                     /* upload: found on the server after an interrupted batch (not resent) */
	long changed;                       /* export: of done, items whose change key had changed               */
	long skipped;                       /* already done by an earlier run                                     */
	long failed;
	long not_attempted;                 /* left for a rerun (interrupted, or stopped by an error)             */
	long deleted;                       /* export: newly found gone from the server                           */
	int interrupted;                    /* the stop flag ended the run with work left                         */
	long unknown;                       /* upload: of attempted, sent but the answer was lost
	                                       (EWS_ERR_OUTCOME_UNKNOWN): a rerun looks them up on the server     */
} ews_transfer_summary;

/* Export a folder (or the given ids) into `dir` with its manifest (above): items whose manifest entry has the
 * same change key are skipped, changed ones exported again, ones gone from the folder marked deleted (after a
 * listing that went to the end). A folder is listed and exported a chunk at a time (up to 1000 items to export,
 * then the next page is listed), so memory holds a chunk's ids, not the folder's; a run that stops counts the
 * items it had not listed yet (the folder's TotalItemsInView) in total and not_attempted, and in the progress
 * total. Nothing is created on disk before the server has answered (the folder resolved and its first page
 * listed). Returns EWS_OK when all went,
 * EWS_ERR_FORMAT for a directory holding something else's export or a file that is not our manifest, the first
 * item's error (its items were reported through on_item, the run went on), or what stopped the run (a
 * whole-request or local-disk failure: the rest counted not_attempted). *s is filled in every case. */
ews_status ews_export_to_dir(ews_client *c, const char *dir, const ews_export_dir_options *opt,
                             ews_transfer_summary *s);

/* ---- Exactly-once upload of an export directory (ews_upload_dir.c, ews_upload_journal.c) ----
 *
 * The journal (default DIR/upload-HASH.journal, HASH naming the target mailbox, folder and action) records, each
 * line fdatasync()ed before the program goes on:
 *   # ews-upload-journal 1<TAB>mailbox=M<TAB>folder=F<TAB>action=A     header
 *   P<TAB>FILE<TAB>SENT             before a batch is sent: its items' outcome is unknown from here on
 *                                   (SENT: milliseconds since 1970; journals without it are read too)
 *   U<TAB>FILE<TAB>NEW ID<TAB>CK    the item went in as NEW ID (before it is reported)
 *   E<TAB>FILE<TAB>MESSAGE          it failed; a rerun tries it again
 * A rerun skips the U files. Items left P (killed, or the answer lost: EWS_ERR_OUTCOME_UNKNOWN) are, for
 * CreateNew, looked up before anything is sent: the target folder's items that are not in the journal are
 * listed with their fingerprints (above) and matched with the pending files' (from the manifest) where exactly
 * one pending file has that fingerprint; the others are exported and compared byte for byte with the pending
 * files. A match is recorded U (counted "recovered"), the rest is sent again. A killed client does not stop the
 * server, which may still be creating the batch that was in flight while the rerun looks: while a pending file
 * whose batch was sent less than settle_ms ago is not found, the rerun looks again (after 0.5, 1, 2, 4 s, then
 * every 4 s, a warning through the client's log saying so) until it is found or that time has passed, and only
 * then sends it again. Update is idempotent: pending ones are resent. UpdateOrCreate is looked up too: a pending file whose item (the id it was sent with) the target
 * folder holds was an update and is resent; one whose item it lacks was a creation, looked for as CreateNew's.
 * A look costs one FindItem of the target folder and one ExportItems of its items not in the journal, not
 * compared by an earlier look and not ruled out by their fingerprints (when every pending file has one, an item
 * whose fingerprint is none of theirs is no copy of them: a folder of many other items is listed, not exported),
 * and happens only when a previous run left items pending.
 * What this guarantees: against ewsd (an uploaded item exports byte-identically) every item is created exactly
 * once. Against Exchange, whose export of an uploaded item is not byte-identical to the uploaded data, the copies
 * of a batch in flight when the answer was lost (or the client killed) are found by their fingerprints, when the
 * manifest has them (export directories of this library record them) and no two pending files share one: items
 * alike in ItemClass, Subject, DateTimeSent, DateTimeReceived and InternetMessageId within that one batch, or a
 * directory without fingerprints, are sent again (a duplicate, never a loss). Ctrl-C/SIGTERM (the batch in
 * flight finishes first) and failures before/after a request never duplicate. A target folder that already holds
 * copies not made through this journal (byte-identical, or of the same fingerprint) can absorb a pending item by
 * mistake: upload a second copy into a folder that is empty of them (or accept that risk for the one pending
 * batch).
 * One run per journal: the run locks JOURNAL.lock (a file beside it, kept) and a second run of the same upload
 * started meanwhile gets EWS_ERR_BUSY before it sends anything; uploads of one directory into other folders or
 * mailboxes run side by side. */
#define EWS_UPLOAD_SETTLE_MS 30000L
typedef struct ews_upload_dir_options {
	const char *folder;                 /* the target folder: id or distinguished name (required)             */
	const char *mailbox;                /* recorded in the journal header; NULL = ""                          */
	ews_upload_action action;
	const char *journal;                /* NULL: DIR/upload-HASH.journal                                      */
	int again;                          /* 1: start a new journal (upload another copy on purpose)            */
	int batch_size;                     /* items per UploadItems, default 20                                  */
	int include_deleted;                /* 1: also entries marked deleted (gone from the server when exported
	                                       again); default: they are not uploaded                          */
	long settle_ms;                     /* CreateNew rerun: how long a server may still be creating a batch its
	                                       client was killed during; 0: EWS_UPLOAD_SETTLE_MS, -1: do not wait */
	volatile int *stop;
	ews_item_event_fn on_item;          /* after the item's journal line is durable                           */
	ews_progress_fn progress;
	void *arg;
} ews_upload_dir_options;

/* Upload the items of an export directory (its manifest, version 1, 2 or 3) into opt->folder, exactly once across
 * reruns (above). Return convention as ews_export_to_dir; EWS_ERR_NOT_FOUND when DIR has no manifest. */
ews_status ews_upload_dir(ews_client *c, const char *dir, const ews_upload_dir_options *opt,
                          ews_transfer_summary *s);

#ifdef __cplusplus
}
#endif
#endif
