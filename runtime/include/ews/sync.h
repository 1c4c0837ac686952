/* ews/sync.h — incremental sync as an iterator: SyncFolderItems (a folder's items) and SyncFolderHierarchy
 * (the folder tree), looping until IncludesLastItemInRange, MaxChangesReturned clamped to 1..512, an Ignore
 * list, and a SyncState that only advances once the caller has consumed the batch it belongs to.
 *
 *   ews_sync *s; ews_sync_change ch; ews_status st; char *state = NULL;
 *   st = ews_sync_state_read("inbox.state", &state);       // EWS_ERR_NOT_FOUND: first sync, state stays NULL
 *   st = ews_sync_new_items(c, "inbox", state, &(ews_sync_options){ .max_changes = 512 }, &s);
 *   while (ews_ok(st) && ews_ok(st = ews_sync_next(s, &ch)) && ch.kind != EWS_SYNC_DONE)
 *           handle(&ch);                                    // Create / Update / Delete / ReadFlagChange
 *   if (ews_ok(st)) st = ews_sync_state_save("inbox.state", ews_sync_state(s));   // only after consuming
 *   else if (st.code == EWS_ERR_SYNC_STATE) ...             // the state is unusable: full sync (state NULL)
 *   ews_sync_free(s); free(state);
 *
 * State hand-over: ews_sync_state() is the state *before* the batch being consumed. It moves to a batch's new
 * SyncState only when ews_sync_next is called again after that batch's last change (so the caller has seen the
 * whole batch). Saving it at any time therefore never skips an unprocessed change; a crash in the middle of a
 * batch replays that batch (EWS change handling should be idempotent anyway).
 */
#ifndef EWS_SYNC_H
#define EWS_SYNC_H

#include "ews/client.h"
#include "ews/status.h"
#include "ews/view.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ews_sync ews_sync;

#define EWS_SYNC_MAX_CHANGES 512            /* SyncFolderItems returns at most 512 changes a call */
#define EWS_SYNC_STATE_MAX (16u << 20)      /* bound on a SyncState read from a file or the server (bytes) */

typedef enum ews_sync_kind {
	EWS_SYNC_DONE = 0,                  /* nothing more: the folder is in sync; ews_sync_state() is final */
	EWS_SYNC_CREATE = 1,
	EWS_SYNC_UPDATE = 2,
	EWS_SYNC_DELETE = 3,                /* only the id (item.id / folder.id) is known                     */
	EWS_SYNC_READ_FLAG = 4              /* items only: item.id, item.change_key and is_read              */
} ews_sync_kind;

/* One change, borrowed: valid until the next ews_sync_next / ews_sync_reset / ews_sync_free (other calls on the
 * client in between, e.g. a GetItem for the changed item, are fine). */
typedef struct ews_sync_change {
	ews_sync_kind kind;
	int is_folder;                      /* 1: hierarchy sync, see `folder`; 0: see `item`                 */
	ews_item_view item;                 /* item syncs: Create/Update fully, Delete/ReadFlagChange id only */
	ews_folder_view folder;             /* hierarchy syncs                                                */
	int is_read;                        /* EWS_SYNC_READ_FLAG: the new IsRead; else -1                    */
	int batch;                          /* 1-based number of the SyncFolder* response it came in          */
} ews_sync_change;

/* All members optional. Strings borrowed for the duration of ews_sync_new_* only. */
typedef struct ews_sync_options {
	int max_changes;                    /* MaxChangesReturned; 0 = 512; clamped to 1..512                  */
	const char *const *ignore;          /* item ids to Ignore, NULL-terminated (items only; may be NULL)  */
	const char *shape;                  /* BaseShape "IdOnly", "Default" (default), "AllProperties"        */
	const char *const *properties;      /* more FieldURIs, NULL-terminated; may be NULL                   */
	int associated;                     /* items: SyncScope NormalAndAssociatedItems                      */
	const char *mailbox;                /* SMTP of another mailbox for a distinguished folder             */
	ews_progress_fn progress;           /* after each batch arrives: done = changes received, total = -1;
	                                       non-zero return -> EWS_ERR_CANCELLED (the batch is dropped)      */
	void *progress_arg;
} ews_sync_options;

/* Sync the items of `folder` (distinguished name such as "inbox", or a folder id) from `state` (NULL or "":
 * a full sync from nothing). Copies folder, state and options. No request is sent yet. The caller frees *out
 * with ews_sync_free(). EWS_ERR_ARGUMENT for NULL c/folder/out, an unknown shape, an over-long state. */
ews_status ews_sync_new_items(ews_client *c, const char *folder, const char *state, const ews_sync_options *opt,
                              ews_sync **out);

/* Sync the folder hierarchy under `folder` (NULL: the whole mailbox) from `state`. */
ews_status ews_sync_new_folders(ews_client *c, const char *folder, const char *state, const ews_sync_options *opt,
                                ews_sync **out);

/* The next change; fetches the next batch when the current one is consumed. EWS_SYNC_DONE (with EWS_OK) at the
 * end; later calls return it again. EWS_ERR_SYNC_STATE when the server rejected the state
 * (ErrorInvalidSyncStateData): call ews_sync_reset() (or start over with a NULL state) for a full sync. Other
 * errors leave the iterator where it was: calling again retries the same request with the same state.
 * Item and folder types without a kind in ews/view.h (t:SharingMessage, types newer than the bindings) come as
 * EWS_ITEM_OTHER / EWS_FOLDER_OTHER, never skipped. A batch holding a change that cannot be delivered at all (an
 * element the bindings could not decode) fails with EWS_ERR_XML before any of its changes is handed out, and the
 * state does not move past it. */
ews_status ews_sync_next(ews_sync *s, ews_sync_change *out);

/* Ends the batch being handed out once its last change has been handed out, without asking for the next one:
 * the batch counts as consumed (ews_sync_state() moves to its SyncState, as the next ews_sync_next would move it)
 * and its response is freed, so that a caller that works through a batch's changes (exporting the items, say)
 * does not hold the next response meanwhile. Returns 0 when changes of the batch are left or no batch is held
 * (nothing done), 1 when the batch ended and more may follow (the next ews_sync_next asks for it), 2 when it
 * ended and was the last (the next ews_sync_next says EWS_SYNC_DONE). Changes handed out before are no longer
 * valid after a non-zero return. */
int ews_sync_end_batch(ews_sync *s);

/* The SyncState covering every change handed out *and consumed* so far (see the top of this file). Borrowed:
 * valid until the next ews_sync_next / ews_sync_reset / ews_sync_free. "" when nothing was synced yet and no
 * state was given. */
const char *ews_sync_state(const ews_sync *s);

/* Forget the state: the next ews_sync_next starts a full sync. */
void ews_sync_reset(ews_sync *s);

/* Changes handed out and batches (responses) received so far. */
long ews_sync_changes(const ews_sync *s);
int ews_sync_batches(const ews_sync *s);

/* Free the iterator (not the client). Accepts NULL. */
void ews_sync_free(ews_sync *s);

/* ---- saved states ---- */

/* Read a state saved by ews_sync_state_save. On success *out is the state (caller frees with free()).
 * EWS_ERR_NOT_FOUND (and *out NULL) when the file does not exist: do a full sync. EWS_ERR_SYNC_STATE when the
 * file exists but is not a state (not base64 text, too large, truncated): also a full sync. EWS_ERR_FILE for
 * other read errors. */
ews_status ews_sync_state_read(const char *path, char **out);

/* Convenience: the state in `path`, or NULL when there is none or it is unusable (full sync). Caller frees
 * with free(). */
char *ews_sync_state_load(const char *path);

/* Save `state` to `path` atomically: written to a temporary file in the same directory, fsync'ed, renamed over
 * `path`, and the directory fsync'ed. A crash leaves either the old or the new state, never a mix.
 * An empty or NULL state removes `path`. EWS_ERR_FILE (with errno text) on failure; `path` is then unchanged. */
ews_status ews_sync_state_save(const char *path, const char *state);

#ifdef __cplusplus
}
#endif
#endif
