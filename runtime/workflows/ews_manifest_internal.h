/* ews_manifest_internal.h — what the export and upload of directories share beyond ews/export.h. */
#ifndef EWS_MANIFEST_INTERNAL_H
#define EWS_MANIFEST_INTERNAL_H

#include "ews/export.h"

const char *ews_manifest_dir(const ews_manifest *m);
/* 1 when m was opened for dir with this mailbox and folder (what its header says or will say). */
int ews_manifest_is_for(const ews_manifest *m, const char *dir, const char *mailbox, const char *folder);
/* Deleted detection: mark the ids the folder still has, then ask per entry. */
void ews_manifest_mark_seen(ews_manifest *m, const char *id);
/* Every entry seen (1) or not (0). */
void ews_manifest_set_all_seen(ews_manifest *m, int seen);
void ews_manifest_unmark_seen(ews_manifest *m, const char *id);
int ews_manifest_seen(const ews_manifest *m, size_t i);

/* A distinguished folder name -> its FolderId (GetFolder IdOnly); any other string is returned as it is.
 * *out is malloc'd (caller frees). */
ews_status ews_export_folder_id(ews_client *c, const char *folder, char **out);

/* ExportItems of ids[0..n) in batches, handing each item's Data to `fn` (borrowed for the call; data NULL with
 * a failed status for an item that failed). Returns a whole-request failure (then stops), else OK. */
typedef ews_status (*ews_export_data_fn)(void *arg, size_t i, ews_status st, const unsigned char *data, size_t len,
                                         const char *id, const char *change_key);
ews_status ews_export_items_each(ews_client *c, const char *const *ids, size_t n, int batch_size,
                                 ews_export_data_fn fn, void *arg);

/* One ExportItems request for items[0..k) written as ews_export_items_to_files writes them (not durable, no
 * manifest), for a caller that keeps its arena `a` and the files' directory `dir` across batches; r: k zeroed
 * results, filled (the caller frees their strings). Returns the request's failure (every result has it), else
 * the first item's failure with its position, else OK. */
struct soap;
struct ews_wf_dir;
ews_status ews_export_files_batch(ews_client *c, struct soap *a, struct ews_wf_dir *dir, const ews_item_ref *items,
                                  const char *const *paths, size_t k, ews_transfer_result *r);

#endif
