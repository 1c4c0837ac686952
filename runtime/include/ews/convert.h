/* ews/convert.h — id conversion: ConvertId through the server for a batch of ids (any of the six formats, one
 * result per id), and the local, offline functions of ews/ids.h for when no server is needed.
 *
 *   ews_alternate_id src[] = { { .id = ews_id, .format = EWS_ID_EWS_ID, .mailbox = "user1@example.com" } };
 *   ews_convert_result *r;
 *   st = ews_convert_ids(c, src, 1, EWS_ID_OWA_ID, &r);    // r[0].status, r[0].id
 *   ews_convert_results_free(r, 1);
 *
 * Locally (ews/ids.h, included here):
 *   ews_id_convert(id, EWS_ID_EWS_ID, EWS_ID_HEX_ENTRY_ID, NULL, &out)   any format to any other when the target
 *        needs nothing the id lacks (an EwsId needs the mailbox GUID, an EwsLegacyId the SMTP address);
 *   ews_id_fix_public_folder_entry_id(id, EWS_ID_ENTRY_ID, &out, &changed) the ConvertId page's workaround for
 *        public-folder ids that Exchange 2013+/Online return typed as private messages (type byte 7 -> 9);
 *   ews_id_parse / ews_id_write                           inspect (kind, storage type, mailbox) and rebuild.
 */
#ifndef EWS_CONVERT_H
#define EWS_CONVERT_H

#include <stddef.h>

#include "ews/client.h"
#include "ews/ids.h"
#include "ews/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One source id (t:AlternateId); strings borrowed for the duration of the call. */
typedef struct ews_alternate_id {
	const char *id;
	ews_id_format format;               /* the format `id` is in */
	const char *mailbox;                /* the mailbox's primary SMTP address (ConvertId requires one)      */
	int is_archive;                     /* 1: the id is in the mailbox's archive                            */
	int public_folder;                  /* 1: the item/folder is in a public folder: EntryId, HexEntryId and
	                                       StoreId results get ews_id_fix_public_folder_entry_id applied    */
} ews_alternate_id;

/* One converted id. Owned by the results array. */
typedef struct ews_convert_result {
	ews_status status;                  /* EWS_OK, or EWS_ERR_RESPONSE with response_code
	                                       ("ErrorInvalidIdMalformed", "ErrorInvalidSmtpAddress" ...)       */
	char *id;                           /* the converted id, NULL on error                                   */
	char *mailbox;                      /* the mailbox the server named, or NULL                             */
	ews_id_format format;               /* the format of `id`                                                */
	int fixed;                          /* 1 when the public-folder fix changed the id                      */
} ews_convert_result;

/* ConvertId for n ids (one request; n <= 1000) to `to`. On return *results is an array of n results the caller
 * frees with ews_convert_results_free(*results, n) (also on error, unless NULL). Returns EWS_OK when every id
 * converted; EWS_ERR_RESPONSE when some did not (the first failure's code; each id's in its result); a
 * transport/fault status when the request failed as a whole (every result then carries it).
 * EWS_ERR_ARGUMENT for NULL arguments, n == 0 or n > 1000, a format outside the enum. */
ews_status ews_convert_ids(ews_client *c, const ews_alternate_id *src, size_t n, ews_id_format to,
                           ews_convert_result **results);

/* One id. *out: caller frees with free(); NULL on error. */
ews_status ews_convert_one_id(ews_client *c, const char *id, ews_id_format from, const char *mailbox, ews_id_format to,
                              char **out);

/* Free a results array and its strings. Accepts NULL. */
void ews_convert_results_free(ews_convert_result *results, size_t n);

#ifdef __cplusplus
}
#endif
#endif
