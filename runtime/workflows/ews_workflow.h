/* ews_workflow.h — helpers shared by the workflow modules (pager, sync, export, convert); not public API. */
#ifndef EWS_WORKFLOW_H
#define EWS_WORKFLOW_H

#include <stddef.h>
#include <string.h>

#include "soapH.h"
#include "ews/client.h"
#include "ews/status.h"
#include "ews/view.h"

/* A private gSOAP context used only to allocate requests: the helper owns it, so its requests never depend on
 * (or get freed with) the client's arena. NULL when out of memory. Free with ews_wf_soap_free (accepts NULL). */
struct soap *ews_wf_soap_new(void);
void ews_wf_soap_free(struct soap *soap);

/* Move everything the client's last (successful) response allocated into `keep`, so that the caller's own calls
 * on the client between two iterator steps do not free the page or batch being walked. The client's pointer to
 * the received SOAP header is dropped (its ServerVersionInfo was already captured). The response's body moves
 * too (base64 values were decoded into it): end `keep` with ews_wf_soap_end, not soap_end alone. */
void ews_wf_keep_response(ews_client *c, struct soap *keep);
/* End a context that may hold a kept response: soap_destroy (which frees its bodies) and soap_end. */
void ews_wf_soap_end(struct soap *soap);

/* strdup that accepts NULL (returns NULL). */
char *ews_wf_strdup(const char *s);

/* Exact enum-name lookup. The generated s2 functions accept unknown names as -1 and numbers as values (the decoder
 * must survive newer servers), so a name only counts when it converts back to itself. Clears soap->error. */
#define EWS_WF_ENUM_FROM_NAME(soap, T, name, out)                                                     \
	((name) && soap_s2##T((soap), (name), (out)) == SOAP_OK && (int)*(out) >= 0 &&                    \
	 soap_##T##2s((soap), *(out)) && !strcmp(soap_##T##2s((soap), *(out)), (name))                    \
		 ? ((soap)->error = SOAP_OK, 1) : ((soap)->error = SOAP_OK, 0))

/* 1 when `name` is a DistinguishedFolderIdNameType value ("inbox", "msgfolderroot" ...), filling *out. */
int ews_wf_distinguished_name(struct soap *soap, const char *name, enum ewstype__DistinguishedFolderIdNameType *out);

/* ParentFolderIds / SyncFolderId for `folder`: a distinguished name (with `mailbox` when not NULL) or a folder
 * id. Allocated in soap. EWS_ERR_ARGUMENT for an empty folder, EWS_ERR_NOMEM. */
ews_status ews_wf_folder_ids(struct soap *soap, const char *folder, const char *mailbox,
                             struct ewstype__NonEmptyArrayOfBaseFolderIdsType **out);
ews_status ews_wf_target_folder(struct soap *soap, const char *folder, const char *mailbox,
                                struct ewstype__TargetFolderIdType **out);

/* Item / folder response shapes: BaseShape by name (NULL: "Default") plus FieldURIs (NULL-terminated, may be
 * NULL; `extra` is one more, may be NULL). EWS_ERR_ARGUMENT naming an unknown shape or field. */
ews_status ews_wf_item_shape(struct soap *soap, const char *shape, const char *const *props, const char *extra,
                             struct ewstype__ItemResponseShapeType **out);
ews_status ews_wf_folder_shape(struct soap *soap, const char *shape, const char *const *props,
                               struct ewstype__FolderResponseShapeType **out);

/* Fill a view from a decoded element (NULL typed: an empty view of that kind). */
void ews_wf_item_view(ews_item_view *v, ews_item_kind kind, const void *typed);
void ews_wf_folder_view(ews_folder_view *v, ews_folder_kind kind, const void *typed);

/* The kinds behind gSOAP's union selectors (ArrayOfRealItems, SyncFolderItemsCreateOrUpdate, ArrayOfFolders,
 * SyncFolderHierarchyCreateOrUpdate); EWS_ITEM_NONE / EWS_FOLDER_NONE for an unknown selector. */
ews_item_kind ews_wf_real_item_kind(int selector, const union _ewstype__union_ArrayOfRealItemsType *u,
                                    const void **typed);
ews_item_kind ews_wf_sync_item_kind(int selector, const union _ewstype__union_SyncFolderItemsCreateOrUpdateType *u,
                                    const void **typed);
ews_folder_kind ews_wf_folder_kind(int selector, const union _ewstype__union_ArrayOfFoldersType *u,
                                   const void **typed);
ews_folder_kind ews_wf_sync_folder_kind(int selector,
                                        const union _ewstype__union_SyncFolderHierarchyCreateOrUpdateType *u,
                                        const void **typed);

/* Write len bytes to `path` through a temporary file in the same directory and rename(); durable: fsync the file
 * before and the directory after the rename. EWS_ERR_FILE (errno text) on failure, `path` untouched. */
ews_status ews_wf_write_file_atomic(const char *path, const void *data, size_t len, int durable);
/* The same for content written in pieces: fill writes it to the temporary file's descriptor fd (tmp: its name,
 * for messages) and returns OK or the failure that abandons the write (the target is left as it was). */
typedef ews_status (*ews_wf_fill_fn)(void *arg, int fd, const char *tmp);
ews_status ews_wf_write_file_atomic_with(const char *path, int durable, ews_wf_fill_fn fill, void *arg);

/* ews_wf_write_file_atomic for many files of one directory (an export): the directory stays open in *d between
 * calls, the files are made and named relative to it (no path walk per file), its stale temporary files are
 * looked for once. Init with EWS_WF_DIR_INIT, ews_wf_dir_close at the end; a path in another directory switches
 * *d there. Same results and crash safety as ews_wf_write_file_atomic (which it falls back to when the directory
 * cannot be opened, for its error). */
typedef struct ews_wf_dir {
	int fd;                             /* -1: none open                                                      */
	char *path;                         /* the open directory as the paths name it ("." for none)             */
	size_t len;                         /* its length in the paths (0 for none)                               */
	char cleaned[16];                   /* the extension whose stale temporaries were looked for here          */
} ews_wf_dir;
#define EWS_WF_DIR_INIT { -1, NULL, 0, { 0 } }
ews_status ews_wf_write_file_in(ews_wf_dir *d, const char *path, const void *data, size_t len, int durable);
void ews_wf_dir_close(ews_wf_dir *d);

/* 1 when `name` (a directory entry) is a temporary file ews_wf_write_file_atomic leaves when killed:
 * "<target>.tmp" + exactly 6 mkstemp characters, where <target> is `target` (a file name, no directory) or a
 * sibling with the same extension (".ews", ".state"); `target` itself never counts. */
int ews_wf_is_own_temp_name(const char *name, const char *target);

/* Remove such temporary files from `dir` (NULL/"": the current directory), except those a live writer still
 * holds (locked). Returns how many were removed. ews_wf_write_file_atomic does this once per directory and
 * extension per process, before its first write there. */
int ews_wf_remove_stale_temps(const char *dir, const char *target);

/* Read a whole regular file of at most `max` bytes. *data: malloc'd (plus a NUL), caller frees.
 * EWS_ERR_NOT_FOUND when missing, EWS_ERR_TOO_LARGE beyond max, EWS_ERR_FILE otherwise. */
ews_status ews_wf_read_file(const char *path, size_t max, unsigned char **data, size_t *len);

/* The first error ResponseMessage of `msgs` made into a status (EWS_ERR_RESPONSE, or EWS_ERR_SYNC_STATE for
 * ErrorInvalidSyncStateData) for message i; EWS_OK for Success/Warning. */
ews_status ews_wf_message_status(const struct ewsmsg__ArrayOfResponseMessagesType *msgs, int i);

#endif
