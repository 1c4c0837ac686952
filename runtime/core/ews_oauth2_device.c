/* ews_oauth2_device.c — delegated OAuth2: the device authorization grant (RFC 8628), refresh tokens (RFC 6749
 * section 6) and the token cache, behind EWS_AUTH_OAUTH2_DEVICE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ews_internal.h"
#include "ews_oauth2_internal.h"

#define DEVICE_GRANT "urn:ietf:params:oauth:grant-type:device_code"
/* RFC 8628 section 3.5: "slow_down ... the interval MUST be increased by 5 seconds for this and all subsequent
 * requests"; section 3.2: 5 seconds when the endpoint names no interval */
#define SLOW_DOWN_STEP_S 5
#define DEFAULT_INTERVAL_S 5
#define MAX_INTERVAL_S 300
#define MAX_DEVICE_LIFETIME_S 86400

static ews_status nomem(void)
{
	return ews_status_make(EWS_ERR_NOMEM, "out of memory");
}

/* A form of name/value pairs (NULL-terminated list); *form malloc'd, wiped by free_form. */
static ews_status make_form(char **form, size_t *cap, size_t *used, const char *const *pairs)
{
	size_t n = 16;
	for (int i = 0; pairs[i]; i += 2)
		n += strlen(pairs[i]) + strlen(pairs[i + 1]) * 3 + 2;
	*cap = n;
	*used = 0;
	if (!(*form = malloc(n)))
		return nomem();
	(*form)[0] = '\0';
	for (int i = 0; pairs[i]; i += 2)
		if (ews_oauth2_form_append(*form, n, used, pairs[i], pairs[i + 1]))
			return ews_status_make(EWS_ERR_INTERNAL, "OAuth2: form buffer too small");
	return ews_status_ok();
}

static void free_form(char *form, size_t cap)
{
	if (form)
		memset(form, 0, cap);
	free(form);
}

static long json_long(const char *body, size_t len, const char *key, long fallback)
{
	char *s = NULL;
	double num = 0;
	enum ews_json_kind k = ews_json_member(body, len, key, &s, &num);
	if (k == EWS_JSON_STRING) { /* some endpoints send numbers as strings */
		char *end;
		num = strtod(s, &end);
		if (*end || end == s)
			k = EWS_JSON_ABSENT;
	}
	free(s);
	if ((k == EWS_JSON_NUMBER || k == EWS_JSON_STRING) && num >= 0 && num < 1e9)
		return (long)num;
	return fallback;
}

/* The endpoint's "error" member (malloc'd) or NULL. */
static char *json_error(const char *body, size_t len)
{
	char *err = NULL;
	if (ews_json_member(body, len, "error", &err, NULL) != EWS_JSON_STRING) {
		free(err);
		return NULL;
	}
	return err;
}

/* st with the endpoint's error name ("access_denied") as its response_code, for callers to tell them apart. */
static ews_status with_code(ews_status st, const char *err)
{
	snprintf(st.response_code, sizeof st.response_code, "%s", err ? err : "");
	return st;
}

/* Take the tokens of a 200 token answer into c and write them to the cache. */
static ews_status accept_tokens(ews_client *c, const char *body, size_t len)
{
	char *access = NULL, *refresh = NULL;
	long expires_in = -1;
	ews_oauth2_tokens t;
	ews_status st = ews_oauth2_parse_token_response(body, len, &access, &expires_in);

	if (!ews_ok(st))
		return st;
	if (ews_json_member(body, len, "refresh_token", &refresh, NULL) == EWS_JSON_STRING && *refresh) {
		for (const char *p = refresh; *p; p++)
			if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7F) {
				ews_free_secret(access);
				ews_free_secret(refresh);
				return ews_status_make(EWS_ERR_FORMAT, "the refresh_token contains spaces or control characters");
			}
		ews_free_secret(c->oauth2_refresh_token);
		c->oauth2_refresh_token = refresh; /* rotated: the old one may already be void */
	} else
		ews_free_secret(refresh); /* none (or empty) issued: the old one stays valid (RFC 6749 section 6) */
	ews_free_secret(c->oauth2_access_token);
	c->oauth2_access_token = access;
	c->oauth2_token_expiry = time(NULL) + (expires_in >= 0 ? expires_in : 3600);
	c->oauth2_fresh = 1;
	ews_log(c, EWS_LOG_INFO, "OAuth2: got an access token valid for %ld s%s", expires_in >= 0 ? expires_in : 3600,
	        c->oauth2_refresh_token ? " and a refresh token" : "");
	t.access_token = c->oauth2_access_token;
	t.refresh_token = c->oauth2_refresh_token;
	t.expires_at = c->oauth2_token_expiry;
	st = ews_oauth2_store_save(c->oauth2_cache_file, &t);
	if (!ews_ok(st))
		ews_log(c, EWS_LOG_WARNING, "OAuth2: %s", st.message);
	return st;
}

ews_status ews_client_oauth2_refresh(ews_client *c)
{
	const char *pairs[] = { "grant_type", "refresh_token", "refresh_token", NULL, "client_id", NULL, "scope", NULL,
		                NULL };
	char *form = NULL, *body = NULL, *err;
	size_t cap = 0, used = 0, len = 0;
	int status = 0;
	char why[256];
	ews_status st;

	if (!c || c->auth != EWS_AUTH_OAUTH2_DEVICE)
		return ews_status_make(EWS_ERR_ARGUMENT, "OAuth2 refresh: the client does not use delegated OAuth2");
	if (!c->oauth2_refresh_token)
		return with_code(ews_status_make(EWS_ERR_AUTH, "OAuth2: no refresh token in %.200s: sign in again "
		                                 "(device code)", c->oauth2_cache_file), "invalid_grant");
	pairs[3] = c->oauth2_refresh_token;
	pairs[5] = c->oauth2_client_id;
	pairs[7] = c->oauth2_scope;
	st = make_form(&form, &cap, &used, pairs);
	if (ews_ok(st)) {
		ews_log(c, EWS_LOG_INFO, "OAuth2: refreshing the access token at %s", c->oauth2_token_url);
		st = ews_oauth2_post(c, "the token endpoint", c->oauth2_token_url, form, used, &status, &body, &len);
	}
	free_form(form, cap);
	if (!ews_ok(st))
		return st;
	if (status == 200) {
		st = accept_tokens(c, body, len);
	} else {
		err = json_error(body, len);
		ews_oauth2_describe_error(body, len, why, sizeof why);
		if (err && !strcmp(err, "invalid_grant")) {
			/* revoked, expired or already rotated away: only a new sign-in helps. The cache goes too, so the next
			 * run signs in instead of failing the same way. */
			ews_free_secret(c->oauth2_refresh_token);
			c->oauth2_refresh_token = NULL;
			ews_free_secret(c->oauth2_access_token);
			c->oauth2_access_token = NULL;
			unlink(c->oauth2_cache_file);
			st = with_code(ews_status_make(EWS_ERR_AUTH, "OAuth2: the refresh token was refused (HTTP %d%s): the "
			                               "sign-in has expired or was revoked; sign in again (device code, e.g. "
			                               "--auth device)", status, why), err);
		} else {
			st = with_code(ews_status_make(EWS_ERR_AUTH, "OAuth2: the token endpoint refused the refresh (HTTP "
			                               "%d%s)", status, why), err);
		}
		st.http_status = status;
		free(err);
	}
	ews_oauth2_free_body(body, len);
	return st;
}

/* The device authorization answer (RFC 8628 section 3.2). */
struct device_auth {
	char *device_code, *user_code, *verification_uri, *verification_uri_complete, *message;
	long expires_in, interval;
};

static void device_auth_free(struct device_auth *d)
{
	ews_free_secret(d->device_code);
	free(d->user_code);
	free(d->verification_uri);
	free(d->verification_uri_complete);
	free(d->message);
	memset(d, 0, sizeof *d);
}

static char *json_string(const char *body, size_t len, const char *key)
{
	char *s = NULL;
	if (ews_json_member(body, len, key, &s, NULL) != EWS_JSON_STRING || !*s) {
		free(s);
		return NULL;
	}
	return s;
}

static ews_status parse_device_auth(const char *body, size_t len, struct device_auth *d)
{
	char *probe = NULL;
	if (ews_json_member(body, len, "device_code", &probe, NULL) == EWS_JSON_INVALID)
		return ews_status_make(EWS_ERR_FORMAT, "the device authorization answer is not a JSON object");
	free(probe);
	d->device_code = json_string(body, len, "device_code");
	d->user_code = json_string(body, len, "user_code");
	d->verification_uri = json_string(body, len, "verification_uri");
	if (!d->verification_uri) /* the draft's (and Google's) name */
		d->verification_uri = json_string(body, len, "verification_url");
	d->verification_uri_complete = json_string(body, len, "verification_uri_complete");
	d->message = json_string(body, len, "message");
	d->expires_in = json_long(body, len, "expires_in", -1);
	d->interval = json_long(body, len, "interval", DEFAULT_INTERVAL_S);
	if (!d->device_code || !d->user_code || !d->verification_uri || d->expires_in <= 0)
		return ews_status_make(EWS_ERR_FORMAT, "the device authorization answer lacks %s",
		                       !d->device_code ? "device_code" : !d->user_code ? "user_code"
		                       : !d->verification_uri ? "verification_uri" : "expires_in");
	for (const char *p = d->device_code; *p; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7F)
			return ews_status_make(EWS_ERR_FORMAT, "the device_code contains control characters");
	if (d->expires_in > MAX_DEVICE_LIFETIME_S)
		d->expires_in = MAX_DEVICE_LIFETIME_S;
	if (d->interval < 1)
		d->interval = 1;
	if (d->interval > MAX_INTERVAL_S)
		d->interval = MAX_INTERVAL_S;
	return ews_status_ok();
}

static ews_status request_device_code(ews_client *c, struct device_auth *d)
{
	const char *pairs[] = { "client_id", c->oauth2_client_id, "scope", c->oauth2_scope, NULL };
	char *form = NULL, *body = NULL;
	size_t cap = 0, used = 0, len = 0;
	int status = 0;
	char why[256];
	ews_status st = make_form(&form, &cap, &used, pairs);

	if (ews_ok(st)) {
		ews_log(c, EWS_LOG_INFO, "OAuth2: asking %s for a device code", c->oauth2_device_url);
		st = ews_oauth2_post(c, "the device authorization endpoint", c->oauth2_device_url, form, used, &status,
		                     &body, &len);
	}
	free_form(form, cap);
	if (!ews_ok(st))
		return st;
	if (status != 200) {
		char *err = json_error(body, len);
		ews_oauth2_describe_error(body, len, why, sizeof why);
		st = with_code(ews_status_make(EWS_ERR_AUTH, "OAuth2: the device authorization endpoint refused the "
		                               "request (HTTP %d%s)", status, why), err);
		st.http_status = status;
		free(err);
	} else
		st = parse_device_auth(body, len, d);
	ews_oauth2_free_body(body, len);
	return st;
}

/* One token request with the device code: 1 and the tokens taken (or *st an error) when done, 0 to poll again. */
static int poll_once(ews_client *c, const struct device_auth *d, long *interval, ews_status *st)
{
	const char *pairs[] = { "grant_type", DEVICE_GRANT, "device_code", d->device_code, "client_id",
		                c->oauth2_client_id, NULL };
	char *form = NULL, *body = NULL, *err = NULL;
	size_t cap = 0, used = 0, len = 0;
	int status = 0, done = 1;
	char why[256];

	*st = make_form(&form, &cap, &used, pairs);
	if (ews_ok(*st))
		*st = ews_oauth2_post(c, "the token endpoint", c->oauth2_token_url, form, used, &status, &body, &len);
	free_form(form, cap);
	if (!ews_ok(*st))
		return 1;
	if (status == 200) {
		*st = accept_tokens(c, body, len);
		goto out;
	}
	err = json_error(body, len);
	ews_oauth2_describe_error(body, len, why, sizeof why);
	if (err && !strcmp(err, "authorization_pending")) {
		done = 0;
	} else if (err && !strcmp(err, "slow_down")) {
		*interval += SLOW_DOWN_STEP_S;
		if (*interval > MAX_INTERVAL_S)
			*interval = MAX_INTERVAL_S;
		ews_log(c, EWS_LOG_INFO, "OAuth2: the token endpoint asks to slow down; polling every %ld s", *interval);
		done = 0;
	} else if (err && !strcmp(err, "access_denied")) {
		*st = with_code(ews_status_make(EWS_ERR_AUTH, "OAuth2: the sign-in was declined (access_denied); nothing "
		                                "was stored"), err);
	} else if (err && !strcmp(err, "expired_token")) {
		*st = with_code(ews_status_make(EWS_ERR_AUTH, "OAuth2: the device code expired before the sign-in was "
		                                "approved (expired_token); start the sign-in again"), err);
	} else {
		*st = with_code(ews_status_make(EWS_ERR_AUTH, "OAuth2: the token endpoint refused the device code (HTTP "
		                                "%d%s)", status, why), err);
	}
	if (done)
		st->http_status = status;
out:
	free(err);
	ews_oauth2_free_body(body, len);
	return done;
}

ews_status ews_client_oauth2_login(ews_client *c)
{
	struct device_auth d;
	ews_oauth2_device_prompt p;
	ews_status st;
	time_t start;
	long interval, waited = 0;

	if (!c || c->auth != EWS_AUTH_OAUTH2_DEVICE)
		return ews_status_make(EWS_ERR_ARGUMENT, "OAuth2 sign-in: the client does not use delegated OAuth2");
	if (!c->oauth2_prompt)
		return ews_status_make(EWS_ERR_AUTH, "OAuth2: no usable token in %.200s and no way to show a sign-in code "
		                       "(no prompt callback): sign in interactively first", c->oauth2_cache_file);
	memset(&d, 0, sizeof d);
	st = request_device_code(c, &d);
	if (!ews_ok(st)) {
		device_auth_free(&d);
		return st;
	}
	start = time(NULL);
	interval = d.interval;
	memset(&p, 0, sizeof p);
	p.user_code = d.user_code;
	p.verification_uri = d.verification_uri;
	p.verification_uri_complete = d.verification_uri_complete;
	p.message = d.message;
	p.expires_in = d.expires_in;
	p.interval = d.interval;
	c->oauth2_prompt(c->oauth2_prompt_arg, &p);
	/* Bounded: every round waits at least a second (by the clock, or by the sleep function's count when a test
	 * replaces it) and the loop ends when the code's lifetime has passed. */
	for (;;) {
		long elapsed = (long)(time(NULL) - start);
		if (waited > elapsed)
			elapsed = waited;
		if (elapsed + interval > d.expires_in) {
			st = with_code(ews_status_make(EWS_ERR_AUTH, "OAuth2: the device code expired (after %ld s) before "
			                               "the sign-in was approved (expired_token); start the sign-in again",
			                               d.expires_in), "expired_token");
			break;
		}
		c->sleep_fn(c->sleep_arg, interval * 1000);
		waited += interval;
		if (poll_once(c, &d, &interval, &st))
			break;
	}
	if (ews_ok(st))
		ews_log(c, EWS_LOG_INFO, "OAuth2: signed in; tokens stored in %s", c->oauth2_cache_file);
	device_auth_free(&d);
	return st;
}

ews_status ews_oauth2_device_ensure_token(ews_client *c, int force_refresh)
{
	time_t now = time(NULL);

	if (!force_refresh && c->oauth2_access_token && now + EWS_OAUTH2_REFRESH_MARGIN_S < c->oauth2_token_expiry)
		return ews_status_ok();
	if (c->oauth2_refresh_token)
		return ews_client_oauth2_refresh(c); /* invalid_grant: an error telling to sign in again, not a prompt */
	if (!force_refresh && c->oauth2_access_token && now < c->oauth2_token_expiry) {
		return ews_status_ok(); /* no refresh token: use the access token while it lasts */
	}
	return ews_client_oauth2_login(c);
}

static ews_status check_endpoint(const char *what, const char *url)
{
	ews_status st = ews_oauth2_check_token_url(url);
	/* the check's words are about "the OAuth2 token URL": say which of the two it is about */
	return ews_ok(st) ? st : ews_status_make(EWS_ERR_ARGUMENT, "%s: %s", what, st.message);
}

ews_status ews_client_set_oauth2_device(ews_client *c, const ews_oauth2_device_options *o)
{
	ews_oauth2_tokens t;
	ews_status st;

	if (!c || !o || !o->device_url || !o->token_url || !o->client_id || !*o->client_id || !o->token_cache ||
	    !*o->token_cache)
		return ews_status_make(EWS_ERR_ARGUMENT, "delegated OAuth2 needs a device authorization URL, a token URL, "
		                       "a client id and a token cache file");
	if (!ews_ok(st = check_endpoint("device authorization URL", o->device_url)) ||
	    !ews_ok(st = check_endpoint("token URL", o->token_url)))
		return st;
	st = ews_oauth2_store_load(o->token_cache, &t);
	if (!ews_ok(st) && st.code != EWS_ERR_NOT_FOUND)
		return st;
	if (ews_strdup_into(&c->oauth2_device_url, o->device_url) ||
	    ews_strdup_into(&c->oauth2_token_url, o->token_url) || ews_strdup_into(&c->oauth2_client_id, o->client_id) ||
	    ews_strdup_into(&c->oauth2_scope, o->scope ? o->scope : EWS_OAUTH2_DELEGATED_SCOPE) ||
	    ews_strdup_into(&c->oauth2_cache_file, o->token_cache)) {
		ews_oauth2_tokens_clear(&t);
		return nomem();
	}
	ews_auth_reset(c);
	c->auth = EWS_AUTH_OAUTH2_DEVICE;
	c->oauth2_prompt = o->prompt;
	c->oauth2_prompt_arg = o->prompt_arg;
	c->oauth2_access_token = t.access_token;   /* NULL when there was no cache */
	c->oauth2_refresh_token = t.refresh_token;
	c->oauth2_token_expiry = t.expires_at;
	return ews_status_ok();
}
