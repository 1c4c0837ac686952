/* ews/attachments.h — save every attachment of an item to files in a directory.
 *
 *   ews_saved_attachment *a; size_t n;
 *   st = ews_save_item_attachments(c, item_id, "out", NULL, &a, &n);   // EWS_ERR_RESPONSE: see a[i].status
 *   for (size_t i = 0; i < n; i++) printf("%s %lld\n", a[i].path, a[i].size);
 *   ews_saved_attachments_free(a, n);
 *
 * One GetItem lists the item's attachments (item:Attachments), then one GetAttachment per attachment fetches it.
 * Memory: a file attachment's Content is written to its file straight from the decoded response (never copied)
 * and that response is released before the next attachment is fetched, so the largest attachment is held once,
 * alone. Files: a file attachment goes to DIR/NAME (its Name made safe: no '/', no control characters, no leading
 * '.'; "attachment" when empty; "NAME (2).EXT" ... when an earlier attachment of the call took the name or a file
 * of that name exists); an item attachment to DIR/NAME.xml, the ItemAttachment element with its item as the
 * server sent it. Each file is written to a temporary name in DIR and renamed: a failure never leaves a partial
 * file, and an existing file is only replaced by a complete one.
 */
#ifndef EWS_ATTACHMENTS_H
#define EWS_ATTACHMENTS_H

#include <stddef.h>

#include "ews/client.h"
#include "ews/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One attachment of the item and what became of it. Strings owned by the array (ews_saved_attachments_free). */
typedef struct ews_saved_attachment {
	ews_status status;                  /* EWS_OK; EWS_ERR_RESPONSE (response_code "ErrorInvalidAttachmentId" ...)
	                                       from GetAttachment; EWS_ERR_FILE for the file; EWS_ERR_UNSUPPORTED for a
	                                       ReferenceAttachment (a link, no content); EWS_ERR_CANCELLED when not
	                                       attempted (a whole request failed before it)                       */
	char *id;                           /* the AttachmentId                                                   */
	char *name;                         /* Name as the server gave it ("" when none)                          */
	char *content_type;                 /* NULL when the server sent none                                     */
	char *content_id;                   /* NULL when none                                                     */
	int is_inline;
	int is_item;                        /* 1: an item attachment (saved as NAME.xml)                          */
	char *path;                         /* the file written (DIR/...); NULL unless status is EWS_OK           */
	long long size;                     /* bytes written                                                      */
} ews_saved_attachment;

typedef struct ews_attachment_save_options {
	int durable;                        /* fsync each file before its rename and the directory after          */
	int skip_inline;                    /* 1: leave inline attachments (embedded images) out                  */
} ews_attachment_save_options;

/* Save every attachment of item_id (borrowed) into dir (an existing directory). opt may be NULL. On return
 * *out is an array of *n results (one per attachment, in the item's order) the caller frees with
 * ews_saved_attachments_free(*out, *n), also on error (unless NULL). Returns EWS_OK when every attachment was
 * saved (an item without attachments: *n = 0); else the first failing attachment's status, prefixed
 * "attachment 2: ", when the item could be listed; a GetItem failure (EWS_ERR_RESPONSE with "ErrorItemNotFound"
 * ...; transport, auth ...) as is with *n = 0. EWS_ERR_ARGUMENT for a NULL client/item_id/dir/out/n, EWS_ERR_FILE
 * when dir is not a writable directory, EWS_ERR_UNSUPPORTED when the bindings have no GetAttachment. */
ews_status ews_save_item_attachments(ews_client *c, const char *item_id, const char *dir,
                                     const ews_attachment_save_options *opt, ews_saved_attachment **out, size_t *n);

/* Free a results array and the strings it owns. Accepts NULL. */
void ews_saved_attachments_free(ews_saved_attachment *a, size_t n);

/* The file name ews_save_item_attachments gives an attachment named `name` (without the (2) suffix), into out
 * (NUL-terminated, cut to outsz - 1 bytes at a UTF-8 character boundary). Pure function, for tools and tests. */
void ews_attachment_file_name(const char *name, int is_item, char *out, size_t outsz);

#ifdef __cplusplus
}
#endif
#endif
