/* ews_ids_internal.h — helpers shared by the id modules (text codecs of the byte formats); not public API. */
#ifndef EWS_IDS_INTERNAL_H
#define EWS_IDS_INTERNAL_H

#include <stddef.h>

#include "ews/ids.h"

/* The raw bytes of an EntryId / HexEntryId / StoreId / OwaId / EwsId text: base64, hex or percent-encoded
 * base64 decoded, bounded by EWS_ID_MAX_TEXT / EWS_ID_MAX_BYTES. For StoreId/OwaId these are the wrapped
 * bytes (length byte, ENTRYID, object type). Empty input is EWS_ERR_FORMAT. *out: malloc'd, caller frees. */
ews_status ews_ids_decode_text(const char *text, ews_id_format format, unsigned char **out, size_t *out_len);

/* The inverse: base64 (EntryId, StoreId, EwsId), upper-case hex (HexEntryId), percent-encoded base64 (OwaId).
 * *out: malloc'd string, caller frees. */
ews_status ews_ids_encode_text(const unsigned char *data, size_t len, ews_id_format format, char **out);

/* Check a StoreId's wrapping (len:u8 || ENTRYID || type:u8) and point *entry (entry_len bytes) into `data`. */
ews_status ews_ids_unwrap_store_id(const unsigned char *data, size_t len, const unsigned char **entry,
                                   size_t *entry_len, int *object_type);

#endif
