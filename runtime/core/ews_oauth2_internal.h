/* ews_oauth2_internal.h — OAuth2 pieces shared by the grants (client credentials, device code, refresh) and the
 * token cache file; internal. */
#ifndef EWS_OAUTH2_INTERNAL_H
#define EWS_OAUTH2_INTERNAL_H

#include <stddef.h>
#include <time.h>

#include "ews/client.h"
#include "ews/status.h"
#include "ews_json.h"

/* Refresh this long before a token expires, so a call never starts with a token about to lapse. */
#define EWS_OAUTH2_REFRESH_MARGIN_S 300

/* application/x-www-form-urlencoded name=value appended to buf (cap includes the NUL); -1 when it does not fit. */
int ews_oauth2_form_append(char *buf, size_t cap, size_t *used, const char *name, const char *s);

/* POST form[0..len) to url (https://, or http:// to loopback) with c's TLS, proxy and timeouts. `what` names the
 * endpoint in messages ("the token endpoint"). OK when an answer with status 200, 400 or 401 arrived: *http_status,
 * and *body (malloc'd, NUL-terminated, *body_len bytes; free with ews_oauth2_free_body, it may hold tokens).
 * Other statuses and transport failures are errors. Never logs or returns the form or the body. */
ews_status ews_oauth2_post(ews_client *c, const char *what, const char *url, const char *form, size_t len,
                           int *http_status, char **body, size_t *body_len);
void ews_oauth2_free_body(char *body, size_t len);

/* ": error: error_description" of an endpoint's JSON error answer (one line, no secrets), or "". */
void ews_oauth2_describe_error(const char *body, size_t len, char *out, size_t cap);

/* The tokens of a delegated sign-in, as kept in the token cache file. Strings malloc'd, wiped when freed. */
typedef struct ews_oauth2_tokens {
	char *access_token;
	char *refresh_token;        /* NULL when the endpoint issued none */
	time_t expires_at;          /* when the access token lapses (0: unknown, treated as lapsed) */
} ews_oauth2_tokens;

void ews_oauth2_tokens_clear(ews_oauth2_tokens *t);

/* Read the cache file. EWS_ERR_NOT_FOUND when it does not exist; EWS_ERR_AUTH when group or others may read
 * or write it, or another user owns it (as ssh refuses a private key others can read); EWS_ERR_FORMAT when it
 * is not a token cache. Messages name the path, never a token. */
ews_status ews_oauth2_store_load(const char *path, ews_oauth2_tokens *out);
/* Write the cache file atomically: a 0600 temporary file in the same directory, fsync, rename over path. A
 * crash leaves the old file or the new one, never a mix, and the tokens are never readable by others. */
ews_status ews_oauth2_store_save(const char *path, const ews_oauth2_tokens *t);

/* Delegated OAuth2 (ews_oauth2_device.c): a valid access token in c->oauth2_access_token, from the cache file,
 * a refresh, or (with a prompt callback) a device-code sign-in. force_refresh: the server refused the current one. */
ews_status ews_oauth2_device_ensure_token(ews_client *c, int force_refresh);

#endif
