/* oauth_endpoint.c — an OAuth2 authorization server that follows RFC 8628 to the letter, so that libews's
 * device flow is tested against the protocol and not against itself:
 *
 *   POST /oauth2/devicecode  client_id, scope        -> device_code, user_code, verification_uri(_complete),
 *                                                       expires_in, interval (section 3.2)
 *   POST /oauth2/token       grant_type=urn:ietf:params:oauth:grant-type:device_code, device_code, client_id
 *                            -> authorization_pending / slow_down / access_denied / expired_token (section 3.5)
 *                               or the tokens; grant_type=refresh_token rotates the refresh token (an old one
 *                               is then invalid_grant)
 *   GET  /oauth2/verify                              -> the "page" telling what to POST
 *   POST /oauth2/verify      user_code, action=approve|deny, user=SMTP   (what a user's browser would do)
 *   GET  /oauth2/polls?user_code=X                   -> "polls N gaps_ms a,b,c interval S" (tests measure
 *                                                       the client's polling here, on the endpoint's clock)
 *
 * A client that polls sooner than the interval gets slow_down and the interval grows by 5 s, as the RFC lets
 * a server do. Switches (/ewsd/control): oauth_slow_down=N (the next N polls answer slow_down),
 * oauth_interval=S, oauth_code_lifetime=S, oauth_expire_codes (every device code expires now), oauth_token_lifetime=S, oauth_revoke_refresh (every refresh token
 * becomes invalid_grant), oauth_revoke_access (every access token is refused), oauth_reset. */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include "oauth_endpoint.h"
#include "auth.h"
#include "ewsd.h"

#define MAX_DEVICES 64
#define MAX_TOKENS 256
#define MAX_GAPS 16
#define SLOW_DOWN_STEP_S 5

struct device {
	char device_code[44], user_code[10], client_id[128], user[256];
	time_t expires_at;
	int interval;               /* seconds; grows by 5 with every slow_down */
	int state;                  /* 0 pending, 1 approved, 2 denied, 3 tokens issued */
	long long last_poll_ms;     /* 0: not polled yet */
	int polls, ngaps;
	long long gaps_ms[MAX_GAPS];
};

struct token {
	char value[44], user[256];
	char kind;                  /* 'a' access, 'r' refresh */
	time_t expires_at;          /* access tokens only */
	int valid;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct device devices[MAX_DEVICES];
static int ndevices;
static struct token tokens[MAX_TOKENS];
static int ntokens;
static struct {
	int slow_down;              /* answer the next N polls with slow_down */
	int interval;               /* announced interval, seconds */
	int code_lifetime;          /* device code expires_in */
	int token_lifetime;         /* access token expires_in */
} sw = { 0, 1, 600, 3600 };

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void random_text(char *out, size_t n, const char *alphabet)
{
	unsigned char r[64];
	size_t k = strlen(alphabet);
	if (n > sizeof r + 1)
		n = sizeof r + 1;
	if (getrandom(r, n - 1, 0) != (ssize_t)(n - 1))
		for (size_t i = 0; i < n - 1; i++)
			r[i] = (unsigned char)rand();
	for (size_t i = 0; i + 1 < n; i++)
		out[i] = alphabet[r[i] % k];
	out[n - 1] = '\0';
}

int ewsd_oauth_path(const char *path)
{
	static const char *const paths[] = { "/oauth2/devicecode", "/oauth2/token", "/oauth2/verify", "/oauth2/polls" };
	size_t n = strcspn(path, "?");
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		if (strlen(paths[i]) == n && !strncmp(path, paths[i], n))
			return 1;
	return 0;
}

/* The url-decoded value of `name` in a form or query string ("a=1&b=x%20y"); 0 found, -1 absent or too long. */
static int form_value(const char *form, const char *name, char *out, size_t cap)
{
	size_t nl = strlen(name);
	const char *p = form;
	while (p && *p) {
		const char *end = p + strcspn(p, "&");
		if ((size_t)(end - p) > nl && !strncmp(p, name, nl) && p[nl] == '=') {
			size_t o = 0;
			for (const char *q = p + nl + 1; q < end; q++) {
				int c = (unsigned char)*q;
				if (c == '+')
					c = ' ';
				else if (c == '%' && q + 2 < end + 0 + 1 && isxdigit((unsigned char)q[1]) &&
				         isxdigit((unsigned char)q[2])) {
					char h[3] = { q[1], q[2], 0 };
					c = (int)strtol(h, NULL, 16);
					q += 2;
				}
				if (o + 1 >= cap)
					return -1;
				out[o++] = (char)c;
			}
			out[o] = '\0';
			return 0;
		}
		p = *end ? end + 1 : NULL;
	}
	return -1;
}

static char *json_answer(size_t *len, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *json_answer(size_t *len, const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	*len = (size_t)n;
	return s;
}

static char *error_answer(int *status, size_t *len, const char *error, const char *description)
{
	*status = 400;  /* RFC 6749 section 5.2 */
	return json_answer(len, "{\"error\":\"%s\",\"error_description\":\"%s\"}", error, description);
}

/* New token of `kind` for user (lock held); NULL when the table is full. */
static struct token *issue(char kind, const char *user)
{
	struct token *t = NULL;
	for (int i = 0; i < ntokens; i++)
		if (!tokens[i].valid) {
			t = &tokens[i];
			break;
		}
	if (!t && ntokens < MAX_TOKENS)
		t = &tokens[ntokens++];
	if (!t)
		return NULL;
	memset(t, 0, sizeof *t);
	random_text(t->value, 33, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
	t->value[0] = kind == 'a' ? 'A' : 'R';
	t->kind = kind;
	t->valid = 1;
	t->expires_at = time(NULL) + sw.token_lifetime;
	snprintf(t->user, sizeof t->user, "%s", user);
	return t;
}

static char *token_answer(int *status, size_t *len, const char *user)
{
	struct token *a = issue('a', user), *r = a ? issue('r', user) : NULL;
	if (!r) {
		if (a)
			a->valid = 0;
		*status = 503;
		return json_answer(len, "{\"error\":\"temporarily_unavailable\"}");
	}
	*status = 200;
	return json_answer(len, "{\"token_type\":\"Bearer\",\"scope\":\"EWS.AccessAsUser.All\",\"expires_in\":%d,"
	                   "\"access_token\":\"%s\",\"refresh_token\":\"%s\"}", sw.token_lifetime, a->value, r->value);
}

static char *device_code(const char *form, const char *origin, int *status, size_t *len)
{
	struct device *d = NULL;
	char client_id[128];

	if (form_value(form, "client_id", client_id, sizeof client_id) || !*client_id)
		return error_answer(status, len, "invalid_request", "client_id is missing");
	for (int i = 0; i < ndevices; i++)
		if (devices[i].state == 3 || time(NULL) > devices[i].expires_at + 60) {
			d = &devices[i];    /* done with: reuse the slot */
			break;
		}
	if (!d && ndevices < MAX_DEVICES)
		d = &devices[ndevices++];
	if (!d) {
		*status = 503;
		return json_answer(len, "{\"error\":\"temporarily_unavailable\"}");
	}
	memset(d, 0, sizeof *d);
	random_text(d->device_code, 41, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
	/* section 6.1: a short code from an alphabet without look-alikes, shown with a dash */
	random_text(d->user_code, 10, "BCDFGHJKLMNPQRSTVWXZ");
	d->user_code[4] = '-';
	snprintf(d->client_id, sizeof d->client_id, "%s", client_id);
	d->interval = sw.interval;
	d->expires_at = time(NULL) + sw.code_lifetime;
	*status = 200;
	return json_answer(len, "{\"device_code\":\"%s\",\"user_code\":\"%s\",\"verification_uri\":\"%s/oauth2/verify\","
	                   "\"verification_uri_complete\":\"%s/oauth2/verify?user_code=%s\",\"expires_in\":%d,"
	                   "\"interval\":%d}", d->device_code, d->user_code, origin, origin, d->user_code, sw.code_lifetime,
	                   d->interval);
}

static struct device *find_device(const char *field, const char *value)
{
	for (int i = 0; i < ndevices; i++) {
		const char *v = !strcmp(field, "device_code") ? devices[i].device_code : devices[i].user_code;
		if (*value && !strcmp(v, value))
			return &devices[i];
	}
	return NULL;
}

static char *poll_device(const char *form, int *status, size_t *len)
{
	char code[64], client_id[128];
	struct device *d;
	long long t = now_ms();

	if (form_value(form, "device_code", code, sizeof code) || !(d = find_device("device_code", code)) ||
	    d->state == 3)
		return error_answer(status, len, "invalid_grant", "unknown or used device_code");
	if (form_value(form, "client_id", client_id, sizeof client_id) || strcmp(client_id, d->client_id))
		return error_answer(status, len, "invalid_client", "client_id does not match the device code's");
	d->polls++;
	if (d->last_poll_ms && d->ngaps < MAX_GAPS)
		d->gaps_ms[d->ngaps++] = t - d->last_poll_ms;
	/* sooner than the interval (with 250 ms for scheduling): the RFC's remedy for a client that polls too fast */
	int too_soon = d->last_poll_ms && t - d->last_poll_ms < (long long)d->interval * 1000 - 250;
	d->last_poll_ms = t;
	if (time(NULL) >= d->expires_at)
		return error_answer(status, len, "expired_token", "the device_code has expired");
	if (d->state == 2)
		return error_answer(status, len, "access_denied", "the user declined the sign-in");
	if (too_soon || sw.slow_down > 0) {
		if (sw.slow_down > 0)
			sw.slow_down--;
		d->interval += SLOW_DOWN_STEP_S;
		return error_answer(status, len, "slow_down", "polling too fast; interval increased by 5 seconds");
	}
	if (d->state == 0)
		return error_answer(status, len, "authorization_pending", "the user has not approved yet");
	d->state = 3;   /* a device code buys one set of tokens */
	return token_answer(status, len, d->user);
}

static char *refresh(const char *form, int *status, size_t *len)
{
	char value[64], user[256];
	for (int i = 0; i < ntokens; i++)
		if (tokens[i].valid && tokens[i].kind == 'r' && !form_value(form, "refresh_token", value, sizeof value) &&
		    !strcmp(tokens[i].value, value)) {
			tokens[i].valid = 0;    /* rotation: the old refresh token is spent */
			snprintf(user, sizeof user, "%s", tokens[i].user);
			return token_answer(status, len, user);
		}
	return error_answer(status, len, "invalid_grant", "the refresh token is invalid, expired or revoked");
}

static char *verify(const char *method, const char *form, int *status, size_t *len)
{
	char code[16], action[16], user[256];
	struct device *d;

	if (!strcmp(method, "GET")) {
		*status = 200;
		return json_answer(len, "ewsd sign-in: POST user_code=CODE&action=approve|deny&user=SMTP to /oauth2/verify\n");
	}
	if (form_value(form, "user_code", code, sizeof code) || !(d = find_device("user_code", code))) {
		*status = 404;
		return json_answer(len, "unknown user_code\n");
	}
	if (form_value(form, "action", action, sizeof action))
		snprintf(action, sizeof action, "approve");
	if (form_value(form, "user", user, sizeof user) || !*user)
		snprintf(user, sizeof user, "user@example.com");
	if (ewsd_cfg.users_file && !ewsd_user_known(user)) {
		*status = 403;
		return json_answer(len, "no such user\n");
	}
	if (d->state != 0 || time(NULL) >= d->expires_at) {
		*status = 409;
		return json_answer(len, "this code is no longer pending\n");
	}
	if (!strcmp(action, "deny"))
		d->state = 2;
	else if (!strcmp(action, "approve")) {
		d->state = 1;
		snprintf(d->user, sizeof d->user, "%s", user);
	} else {
		*status = 400;
		return json_answer(len, "action is approve or deny\n");
	}
	*status = 200;
	return json_answer(len, "%s\n", d->state == 1 ? "approved" : "denied");
}

static char *polls(const char *query, int *status, size_t *len)
{
	char code[16], gaps[MAX_GAPS * 12 + 1] = "";
	struct device *d;
	size_t o = 0;
	if (form_value(query, "user_code", code, sizeof code) || !(d = find_device("user_code", code))) {
		*status = 404;
		return json_answer(len, "unknown user_code\n");
	}
	for (int i = 0; i < d->ngaps; i++)
		o += (size_t)snprintf(gaps + o, sizeof gaps - o, "%s%lld", i ? "," : "", d->gaps_ms[i]);
	*status = 200;
	return json_answer(len, "polls %d gaps_ms %s interval %d\n", d->polls, o ? gaps : "-", d->interval);
}

int ewsd_oauth_handle(const char *method, const char *path, const char *body, size_t body_len, const char *origin,
                      int *status, const char **ctype, char **answer, size_t *len)
{
	const char *query = strchr(path, '?');
	char *form = NULL, grant[96];
	size_t n = strcspn(path, "?");

	/* a form is text: copy it NUL-terminated */
	if (!(form = malloc(body_len + 1)))
		return -1;
	if (body_len)
		memcpy(form, body, body_len);
	form[body_len] = '\0';
	*ctype = "application/json";
	*len = 0;
	pthread_mutex_lock(&lock);
	if (!strncmp(path, "/oauth2/verify", n)) {
		*ctype = "text/plain";
		*answer = verify(method, query && !strcmp(method, "GET") ? query + 1 : form, status, len);
	} else if (!strncmp(path, "/oauth2/polls", n)) {
		*ctype = "text/plain";
		*answer = polls(query ? query + 1 : "", status, len);
	} else if (strcmp(method, "POST")) {
		*status = 405;
		*answer = json_answer(len, "{\"error\":\"invalid_request\",\"error_description\":\"POST only\"}");
	} else if (!strncmp(path, "/oauth2/devicecode", n)) {
		*answer = device_code(form, origin, status, len);
	} else if (form_value(form, "grant_type", grant, sizeof grant)) {
		*answer = error_answer(status, len, "invalid_request", "grant_type is missing");
	} else if (!strcmp(grant, "urn:ietf:params:oauth:grant-type:device_code")) {
		*answer = poll_device(form, status, len);
	} else if (!strcmp(grant, "refresh_token")) {
		*answer = refresh(form, status, len);
	} else {
		*answer = error_answer(status, len, "unsupported_grant_type", "device_code and refresh_token only");
	}
	pthread_mutex_unlock(&lock);
	memset(form, 0, body_len);
	free(form);
	return *answer ? 0 : -1;
}

int ewsd_oauth_token_user(const char *token, char *user, size_t n)
{
	int rc = -1;
	pthread_mutex_lock(&lock);
	for (int i = 0; i < ntokens; i++)
		if (tokens[i].valid && tokens[i].kind == 'a' && !strcmp(tokens[i].value, token)) {
			if (time(NULL) < tokens[i].expires_at) {
				snprintf(user, n, "%s", tokens[i].user);
				rc = 0;
			}
			break;
		}
	pthread_mutex_unlock(&lock);
	return rc;
}

int ewsd_oauth_set(const char *key, const char *value)
{
	int v = *value ? atoi(value) : 1, rc = 0;
	pthread_mutex_lock(&lock);
	if (!strcmp(key, "oauth_slow_down"))
		sw.slow_down = v;
	else if (!strcmp(key, "oauth_interval") && v >= 0)
		sw.interval = v;
	else if (!strcmp(key, "oauth_code_lifetime") && v > 0)
		sw.code_lifetime = v;
	else if (!strcmp(key, "oauth_token_lifetime") && v > 0)
		sw.token_lifetime = v;
	else if (!strcmp(key, "oauth_revoke_refresh") || !strcmp(key, "oauth_revoke_access")) {
		char kind = key[13] == 'r' ? 'r' : 'a';
		for (int i = 0; i < ntokens; i++)
			if (tokens[i].kind == kind)
				tokens[i].valid = 0;
	} else if (!strcmp(key, "oauth_expire_codes")) {
		for (int i = 0; i < ndevices; i++)
			devices[i].expires_at = time(NULL) - 1;     /* the next poll of each is expired_token */
	} else if (!strcmp(key, "oauth_reset")) {
		sw.slow_down = 0;
		sw.interval = 1;
		sw.code_lifetime = 600;
		sw.token_lifetime = 3600;
	} else
		rc = -1;
	pthread_mutex_unlock(&lock);
	return rc;
}
