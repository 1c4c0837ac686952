/* oauth_endpoint.h — ewsd's OAuth2 endpoint for tests and the demo: the device authorization grant (RFC 8628)
 * and refresh-token rotation (RFC 6749 section 6); the access tokens it issues are accepted as Bearer. */
#ifndef EWSD_OAUTH_ENDPOINT_H
#define EWSD_OAUTH_ENDPOINT_H

#include <stddef.h>

/* 1 when path (without query) is one of the endpoint's: /oauth2/devicecode, /oauth2/token, /oauth2/verify,
 * /oauth2/polls. */
int ewsd_oauth_path(const char *path);

/* Answer one request. method "GET"/"POST", path with its query, body the form (may be NULL), origin the
 * request's "http://host:port" (for verification_uri). *status, *ctype (static) and *answer (malloc'd, *len
 * bytes) to send; -1 when out of memory. */
int ewsd_oauth_handle(const char *method, const char *path, const char *body, size_t body_len, const char *origin,
                      int *status, const char **ctype, char **answer, size_t *len);

/* A Bearer token this endpoint issued and that is still valid: 0 and the mailbox in user; -1 otherwise. */
int ewsd_oauth_token_user(const char *token, char *user, size_t n);

/* Switches from /ewsd/control ("oauth_slow_down=2" ...): 0 ok, -1 unknown. reply gets the settings. */
int ewsd_oauth_set(const char *key, const char *value);

#endif
