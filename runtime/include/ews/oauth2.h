/* ews/oauth2.h — delegated OAuth2 for a user (Exchange Online "EWS.AccessAsUser.All"): the device authorization
 * grant (RFC 8628) to sign in, refresh tokens to stay signed in, and a private token cache file.
 *
 * App-only access (client credentials) is ews_client_set_oauth2() in ews/client.h. Typical delegated use:
 *
 *   static void show(void *arg, const ews_oauth2_device_prompt *p)
 *   {   fprintf(stderr, "open %s and enter %s\n", p->verification_uri, p->user_code); }
 *
 *   ews_oauth2_device_options d = { 0 };
 *   d.device_url = "https://login.microsoftonline.com/organizations/oauth2/v2.0/devicecode";
 *   d.token_url = "https://login.microsoftonline.com/organizations/oauth2/v2.0/token";
 *   d.client_id = "YOUR-APP-ID";
 *   d.token_cache = "/home/me/.cache/libews/tokens";
 *   d.prompt = show;                                   // NULL: never sign in interactively
 *   st = ews_client_set_oauth2_device(c, &d);          // reads the cache (refuses one others can read)
 *   ... calls: the first signs in when the cache has no usable token, later ones (and later runs) refresh
 *   silently before the access token expires or when the server refuses it ...
 *
 * The library never prints: the user code and URL go to the prompt callback. Tokens, refresh tokens and device
 * codes never appear in logs or status messages.
 */
#ifndef EWS_OAUTH2_H
#define EWS_OAUTH2_H

#include "ews/client.h"
#include "ews/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the user must be shown (RFC 8628 section 3.3). All borrowed, valid only during the callback. */
typedef struct ews_oauth2_device_prompt {
	const char *user_code;                  /* "WDJB-MJHT"                                             */
	const char *verification_uri;           /* where to enter it: "https://microsoft.com/devicelogin"   */
	const char *verification_uri_complete;  /* the URI with the code in it (for a QR code), or NULL     */
	const char *message;                    /* the endpoint's own instructions (Azure sends one), or NULL */
	long expires_in;                        /* seconds the code stays valid                             */
	long interval;                          /* seconds between the library's polls                     */
} ews_oauth2_device_prompt;

typedef void (*ews_oauth2_prompt_fn)(void *arg, const ews_oauth2_device_prompt *prompt);

/* Scope asked for when options.scope is NULL: EWS as the user, and a refresh token. */
#define EWS_OAUTH2_DELEGATED_SCOPE "https://outlook.office365.com/EWS.AccessAsUser.All offline_access"

/* Strings are borrowed: ews_client_set_oauth2_device copies them. */
typedef struct ews_oauth2_device_options {
	const char *device_url;     /* device authorization endpoint (https://, or http:// to loopback only)      */
	const char *token_url;      /* token endpoint (same rule)                                                 */
	const char *client_id;      /* a public client (no secret), "Allow public client flows" in Entra ID       */
	const char *scope;          /* NULL: EWS_OAUTH2_DELEGATED_SCOPE                                           */
	const char *token_cache;    /* the file tokens are kept in: created 0600, replaced atomically; required   */
	ews_oauth2_prompt_fn prompt;    /* shows the user code; NULL: no interactive sign-in (cache/refresh only) */
	void *prompt_arg;
} ews_oauth2_device_options;

/* Select delegated OAuth2 on c (auth EWS_AUTH_OAUTH2_DEVICE). Reads the token cache now: a missing file is fine
 * (the first call signs in through the prompt); a file group or others may read, or another user's, is refused
 * with EWS_ERR_AUTH (as ssh refuses such a key), a damaged one with EWS_ERR_FORMAT. EWS_ERR_ARGUMENT for
 * missing fields or an http:// endpoint that is not loopback. Polling waits with the client's sleep function
 * (ews_client_set_sleep). */
ews_status ews_client_set_oauth2_device(ews_client *c, const ews_oauth2_device_options *o);

/* Sign in now with the device flow (even when the cache holds tokens) and store the tokens. Errors, all
 * EWS_ERR_AUTH with status.response_code set to the endpoint's error name:
 *   "access_denied"  the user declined;
 *   "expired_token"  the code expired before the user approved (also when expires_in passed without an answer);
 *   others (invalid_client, unauthorized_client ...) with the endpoint's description.
 * "authorization_pending" keeps polling; "slow_down" adds 5 seconds to the interval for all later polls. */
ews_status ews_client_oauth2_login(ews_client *c);

/* Refresh the access token now (grant_type=refresh_token) and store the rotated tokens. A refused refresh
 * token is EWS_ERR_AUTH with response_code "invalid_grant" and a message telling to sign in again. The client
 * does this by itself before the token expires and when the server answers 401. */
ews_status ews_client_oauth2_refresh(ews_client *c);

#ifdef __cplusplus
}
#endif
#endif
