/* ews/base64.h — strict, bounded base64 (RFC 4648) without OpenSSL: ids, attachments, sync states. */
#ifndef EWS_BASE64_H
#define EWS_BASE64_H

#include <stddef.h>

#include "ews/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Encode `len` bytes (data may be NULL when len is 0) with the standard alphabet and '=' padding.
 * On success *out is a NUL-terminated string the caller frees with free(); on error *out is NULL.
 * Errors: EWS_ERR_ARGUMENT (NULL out, or NULL data with len > 0), EWS_ERR_TOO_LARGE (len would overflow),
 * EWS_ERR_NOMEM. */
ews_status ews_base64_encode(const unsigned char *data, size_t len, char **out);

/* Decode `text` (NUL-terminated). Accepts the standard ('+' '/') and the URL-safe ('-' '_') alphabets, with or
 * without '=' padding; ASCII whitespace anywhere is ignored. Rejected with EWS_ERR_FORMAT: any other
 * character, '=' anywhere but at the end, a wrong amount of padding, a dangling single character, non-zero
 * unused bits (non-canonical input). Empty input decodes to 0 bytes. `max_len` bounds the decoded size
 * (0 = no bound beyond memory); larger input gives EWS_ERR_TOO_LARGE before allocating.
 * On success *out is a malloc'd buffer of *out_len bytes (plus a NUL byte not counted, so text can be used as a
 * C string) that the caller frees with free(); on error *out is NULL and *out_len 0. */
ews_status ews_base64_decode(const char *text, size_t max_len, unsigned char **out, size_t *out_len);

#ifdef __cplusplus
}
#endif
#endif
