/* ews/mime.h — create an item from an RFC 5322 message (an .eml file): CreateItem with MimeContent.
 *
 *   char *id = NULL, *ck = NULL;
 *   st = ews_create_item_from_mime_file(c, "item.eml", &(ews_mime_create_options){ .folder = "inbox" }, &id, &ck);
 *   if (ews_ok(st)) printf("%s\n", id);
 *   free(id), free(ck);
 *
 * The server reads Subject, From, To, Cc, the body and the attachments from the MIME and keeps the bytes: GetItem
 * with IncludeMimeContent (ews-get-item --mime) gives them back as they were (Exchange and ewsd).
 * Memory: the file is read in chunks straight into its base64 form, so only that text (4/3 of the file) is held,
 * never the file's bytes beside it.
 */
#ifndef EWS_MIME_H
#define EWS_MIME_H

#include <stddef.h>

#include "ews/client.h"
#include "ews/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ews_mime_create_options {
	const char *folder;                 /* SavedItemFolderId: a distinguished name ("inbox", "archiveinbox" ...)
	                                       or a folder id; NULL: "drafts"                                      */
	const char *mailbox;                /* the mailbox of a distinguished folder (NULL: the client's own)       */
	size_t max_bytes;                   /* the largest MIME accepted, in bytes (0: 64 MiB)                      */
} ews_mime_create_options;

/* Create one item from the MIME message in `path` (borrowed). opt may be NULL. On success *item_id and
 * *change_key (each may be NULL when not wanted) are malloc'd strings the caller frees with free(); on error
 * they are left NULL. Errors: EWS_ERR_ARGUMENT (NULL client or path, an empty folder name); EWS_ERR_NOT_FOUND
 * (no such file), EWS_ERR_FILE (not a regular file, unreadable), EWS_ERR_FORMAT (an empty file: no message),
 * EWS_ERR_TOO_LARGE (larger than max_bytes) — each before anything is sent; EWS_ERR_RESPONSE with the
 * server's code ("ErrorMimeContentInvalid", "ErrorFolderNotFound" ...); transport and authentication errors as
 * every call; EWS_ERR_XML when the answer names no item; EWS_ERR_NOMEM. */
ews_status ews_create_item_from_mime_file(ews_client *c, const char *path, const ews_mime_create_options *opt,
                                          char **item_id, char **change_key);

/* The same from `len` bytes in memory (borrowed; len 0 is EWS_ERR_FORMAT). */
ews_status ews_create_item_from_mime(ews_client *c, const void *mime, size_t len, const ews_mime_create_options *opt,
                                     char **item_id, char **change_key);

#ifdef __cplusplus
}
#endif
#endif
