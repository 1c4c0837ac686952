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

/* An item id with its optional change key (borrowed). */
typedef struct ews_item_ref {
	const char *id;
	const char *change_key;             /* NULL: any version */
} ews_item_ref;

/* The outcome for one item. Owned by the results array (ews_transfer_results_free). */
typedef struct ews_transfer_result {
	ews_status status;                  /* EWS_OK; EWS_ERR_RESPONSE with response_code ("ErrorInvalidChangeKey",
	                                       "ErrorItemNotFound" ...); EWS_ERR_IO / EWS_ERR_NOT_FOUND /
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
	ews_progress_fn progress;           /* after each batch: done = items handled, total = n                */
	void *progress_arg;
} ews_transfer_options;

/* Export items[i] into the file paths[i] (created or replaced: written to a temporary name in the same directory,
 * then renamed, so a file is never left half-written). `opt` may be NULL. On return *results is an array of n
 * results the caller frees with ews_transfer_results_free(*results, n) (also on error, unless NULL).
 * Returns EWS_OK when every item was exported; else, when the requests went through, the first failing item's
 * status ("item 3: ErrorInvalidChangeKey: ..." as EWS_ERR_RESPONSE, or EWS_ERR_IO for its file; every item's is
 * in its result); a transport/auth/... status when a whole request failed (that batch's items carry it, later
 * ones EWS_ERR_CANCELLED). EWS_ERR_ARGUMENT for NULL arrays, n == 0, an item without id or path. */
ews_status ews_export_items_to_files(ews_client *c, const ews_item_ref *items, const char *const *paths, size_t n,
                                     const ews_transfer_options *opt, ews_transfer_result **results);

/* UploadItems CreateAction. */
typedef enum ews_upload_action {
	EWS_UPLOAD_CREATE_NEW = 0,          /* a new item in parent_folder_id                                     */
	EWS_UPLOAD_UPDATE = 1,              /* overwrite item_id (ErrorItemNotFound when it is gone)              */
	EWS_UPLOAD_UPDATE_OR_CREATE = 2     /* overwrite item_id, or create in parent_folder_id when it is gone   */
} ews_upload_action;

/* One item to upload; all strings borrowed for the duration of the call. */
typedef struct ews_upload_item {
	const char *path;                   /* the Data file (as ews_export_items_to_files wrote it)             */
	const char *parent_folder_id;       /* CreateNew / UpdateOrCreate: folder id, or a distinguished name
	                                       ("inbox") that is resolved once with GetFolder                    */
	const char *item_id;                /* Update / UpdateOrCreate                                          */
	const char *change_key;             /* optional, with item_id                                           */
	ews_upload_action action;
	int is_associated;                  /* 1: an associated (folder-associated information) item            */
} ews_upload_item;

/* Upload items[i] from their files. Same results and return convention as ews_export_items_to_files; a file
 * that cannot be read fails only its own item (it is not sent). */
ews_status ews_upload_items_from_files(ews_client *c, const ews_upload_item *items, size_t n,
                                       const ews_transfer_options *opt, ews_transfer_result **results);

/* Free a results array and the strings it owns. Accepts NULL. */
void ews_transfer_results_free(ews_transfer_result *results, size_t n);

#ifdef __cplusplus
}
#endif
#endif
