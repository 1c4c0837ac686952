/* ews_manifest_internal.h — what the export and upload of directories share beyond ews/export.h. */
#ifndef EWS_MANIFEST_INTERNAL_H
#define EWS_MANIFEST_INTERNAL_H

#include <stdint.h>

#include "ews/export.h"

const char *ews_manifest_dir(const ews_manifest *m);
/* 1 when s is what a manifest line's fingerprint column holds: 16 lowercase hex digits (ews_item_fingerprint's). */
int ews_manifest_is_fingerprint(const char *s);
/* FNV-1a 64 of an item id: the number in its file name (ews_manifest_file_name) and the manifest's key. */
uint64_t ews_manifest_id_hash(const char *id);
/* Lock m's directory against other writers and uploads (ews_wf_lock_dir) when it exists; a missing one is locked
 * when ews_manifest_record makes it. A writer's ews_manifest_open (mailbox or folder given) does this already.
 * EWS_ERR_BUSY when another run holds it. */
ews_status ews_manifest_lock(ews_manifest *m);
/* 1 when m was opened for dir with this mailbox and folder (what its header says or will say). */
int ews_manifest_is_for(const ews_manifest *m, const char *dir, const char *mailbox, const char *folder);
/* Deleted detection: look the ids the folder still has up with this (ews_manifest_find that also marks the entry
 * seen, in the same lookup), then ask per entry. */
const ews_manifest_entry *ews_manifest_find_seen(ews_manifest *m, const char *id);
/* Every entry seen (1) or not (0). */
void ews_manifest_set_all_seen(ews_manifest *m, int seen);
void ews_manifest_unmark_seen(ews_manifest *m, const char *id);
int ews_manifest_seen(const ews_manifest *m, size_t i);
/* Entry i's "deleted" state, without reading its line back. */
int ews_manifest_deleted_at(const ews_manifest *m, size_t i);

/* Packed directories (version 3, ews/export.h): a manifest not yet written is made version 3 at its first record
 * (no effect on one that exists: a directory keeps its layout); whether m is or will be packed; n items' data
 * (at most 1024) appended to the pack in one pwritev, all or none (offsets[i]: where item i starts, -1 for all
 * on failure; not durable until the next ews_manifest_record, which fdatasyncs the pack before it appends the
 * lines). One thread may write the pack while another records. */
struct iovec;
void ews_manifest_want_pack(ews_manifest *m);
int ews_manifest_packed(const ews_manifest *m);
ews_status ews_manifest_pack_write(ews_manifest *m, const struct iovec *iov, int n, long long *offsets);
/* Test hook: a repack once the dead data is over `bytes` (and over half the pack); 0: the default, 1 MiB. */
void ews_manifest_set_repack_min(uint64_t bytes);
/* Test hook: hash tables larger than n slots place entries by their whole hash, read back from their lines (as
 * tables over 4 Mi slots do); 0: the default. */
void ews_manifest_set_tag_slots(size_t n);

/* The fingerprints (ews_item_fingerprint) of n items given by id, asked of the server: fp[i] is set where it
 * answers for item i, left as it is otherwise (gone, not an item). A whole request's failure is returned (the
 * fingerprints of the calls before it are kept). */
ews_status ews_fingerprints_ask(ews_client *c, const char *const *ids, size_t n,
                                char (*fp)[EWS_FINGERPRINT_LEN + 1]);

/* Test hook: ews_export_to_dir lists and exports a folder this many items to export at a time; 0: the default. */
void ews_export_dir_set_chunk(size_t n);

/* A distinguished folder name -> its FolderId (GetFolder IdOnly); any other string is returned as it is.
 * *out is malloc'd (caller frees). */
ews_status ews_export_folder_id(ews_client *c, const char *folder, char **out);

/* One item's outcome in an exported batch: what ews_transfer_result says, the status kept only for a failure (a
 * 456-byte ews_status an item was most of what a batch's bookkeeping took: 245 KiB for ews_export_to_dir's two
 * batches of 256). Zeroed: not delivered yet, no failure. */
typedef struct ews_export_outcome {
	char *id, *change_key;              /* the exported item's (malloc'd), NULL until it is written            */
	long long bytes;                    /* its Data's                                                          */
	ews_status *fail;                   /* NULL: no failure; else it (malloc'd, or a shared out-of-memory one)  */
} ews_export_outcome;
/* o's status becomes st (an OK st clears a failure). */
void ews_outcome_set(ews_export_outcome *o, ews_status st);
/* o's status: its failure, or OK. */
ews_status ews_outcome_status(const ews_export_outcome *o);
/* o's strings and failure freed, o zeroed. */
void ews_outcome_clear(ews_export_outcome *o);

/* One ExportItems batch in two halves, so that the next batch can be fetched on a second client while one is
 * written (ews_export_to_dir's fetch_client), for a caller that keeps its arenas and the files' directory `dir`
 * across batches. The fetch sends the request for items[0..k) (built in memory of its own, freed on return) and
 * leaves the answer in c's memory (f->msgs; f->st is its whole-request failure, after which nothing is left).
 * The delivery writes the items as ews_export_items_to_files writes them (not durable, no manifest) into r (k
 * zeroed outcomes, filled; the caller clears them), but stops at a file it cannot write (the files share one
 * directory: a full disk fails every later one too; they are EWS_ERR_CANCELLED, not attempted), and frees the answer; it returns the request's failure (every result has it), else the
 * first item's failure with its position, else OK. A fetched batch that will not be written is freed with
 * ews_export_batch_discard. When the answer was moved into a (ews_wf_keep_response, fetching ahead), the delivery
 * and the discard are given c = NULL: then only a is freed, and c may be fetching another batch meanwhile. A caller
 * that keeps no answer gives them a = NULL. */
struct soap;
struct ews_wf_dir;
typedef struct ews_export_fetched {
	ews_status st;
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs;
} ews_export_fetched;
ews_status ews_export_batch_fetch(ews_client *c, const ews_item_ref *items, size_t k, ews_export_fetched *f);
/* The same into m's pack (ews_manifest_pack_write): offsets[i] gets item i's offset (-1 when it failed). */
ews_status ews_export_pack_deliver(ews_client *c, struct soap *a, const ews_export_fetched *f, ews_manifest *m,
                                   size_t k, ews_export_outcome *r, long long *offsets);
ews_status ews_export_files_deliver(ews_client *c, struct soap *a, const ews_export_fetched *f, struct ews_wf_dir *dir,
                                    const char *const *paths, size_t k, ews_export_outcome *r);
void ews_export_batch_discard(ews_client *c, struct soap *a);
/* A batch whose fetch was over the client's response cap (f->st EWS_ERR_TOO_LARGE) fetched again on c in halves,
 * each delivered as ews_export_pack_deliver (m given) or ews_export_files_deliver would, down to an item too large
 * alone, which fails on its own (r[i]'s failure, offsets[i] = -1). c must be idle: the fetches are made here. */
ews_status ews_export_split_deliver(ews_client *c, const ews_item_ref *items, size_t k, ews_manifest *m,
                                    struct ews_wf_dir *dir, const char *const *paths, ews_export_outcome *r,
                                    long long *offsets);

#endif
