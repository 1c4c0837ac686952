/* test_oauth_device.c — delegated OAuth2 against ewsd's RFC 8628 endpoint: sign-in through every answer of the
 * token endpoint (authorization_pending, slow_down, access_denied, expired_token), the private token cache,
 * refresh before expiry and on a 401, refresh-token rotation persisted, invalid_grant, and no secret in the log. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ews/ews.h"
#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;
static char dir[] = "/tmp/ews-oauth-device.XXXXXX";
static char origin[200], device_url[240], token_url[240], cache[300];

/* What the prompt saw and what the "user" does during the client's waits. */
static struct {
	char user_code[32], uri[256], uri_complete[256];
	long interval, expires_in;
	int prompts;
	int sleeps;
	int act_at;                 /* on this sleep (1-based) the user acts */
	const char *action;         /* "approve", "deny", or a /ewsd/control query ("oauth_expire_codes") */
} u;
static char log_text[16384];

static void record_log(void *arg, ews_log_level level, const char *message)
{
	size_t used = strlen(log_text);
	(void)arg, (void)level;
	snprintf(log_text + used, sizeof log_text - used, "%s\n", message);
}

static void prompt(void *arg, const ews_oauth2_device_prompt *p)
{
	(void)arg;
	u.prompts++;
	snprintf(u.user_code, sizeof u.user_code, "%s", p->user_code);
	snprintf(u.uri, sizeof u.uri, "%s", p->verification_uri);
	snprintf(u.uri_complete, sizeof u.uri_complete, "%s", p->verification_uri_complete ? p->verification_uri_complete : "");
	u.interval = p->interval;
	u.expires_in = p->expires_in;
}

static int control(const char *query)
{
	char path[300];
	struct http_resp r;
	int status;
	snprintf(path, sizeof path, "/ewsd/control?%s", query);
	/* alice holds the control grant */
	if (http_request(&srv, "GET", path, "Authorization: Basic YWxpY2VAZXhhbXBsZS5jb206c2VjcmV0\r\n", NULL, 0, &r))
		return -1;
	status = r.status;
	http_resp_free(&r);
	return status == 200 ? 0 : -1;
}

static void user_acts(void)
{
	char body[200];
	struct http_resp r;
	if (strcmp(u.action, "approve") && strcmp(u.action, "deny")) {
		CU_ASSERT_EQUAL(control(u.action), 0);
		return;
	}
	snprintf(body, sizeof body, "user_code=%s&action=%s&user=alice%%40example.com", u.user_code, u.action);
	CU_ASSERT_EQUAL_FATAL(http_request(&srv, "POST", "/oauth2/verify",
	                                   "Content-Type: application/x-www-form-urlencoded\r\n", body, strlen(body), &r), 0);
	CU_ASSERT_EQUAL(r.status, 200);
	http_resp_free(&r);
}

/* A real wait (the endpoint measures the gaps between polls), and the user's action when its turn comes. */
static void sleep_and_act(void *arg, long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	(void)arg;
	CU_ASSERT(ms <= 20000);     /* never a runaway wait */
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	if (++u.sleeps == u.act_at && u.action)
		user_acts();
}

static void reset(int act_at, const char *action)
{
	memset(&u, 0, sizeof u);
	u.act_at = act_at;
	u.action = action;
	log_text[0] = '\0';
	unlink(cache);
	CU_ASSERT_EQUAL(control("oauth_reset"), 0);
}

static ews_status new_client(ews_oauth2_prompt_fn p, ews_client **out)
{
	ews_options o;
	ews_oauth2_device_options d;
	ews_status st;

	ews_options_init(&o);
	o.io_timeout_s = 10;
	o.connect_timeout_s = 5;
	st = ews_client_new(srv.url, &o, out);
	if (!ews_ok(st))
		return st;
	ews_client_set_sleep(*out, sleep_and_act, NULL);
	ews_client_set_log(*out, record_log, NULL);
	memset(&d, 0, sizeof d);
	d.device_url = device_url;
	d.token_url = token_url;
	d.client_id = "libews-test";
	d.token_cache = cache;
	d.prompt = p;
	st = ews_client_set_oauth2_device(*out, &d);
	if (!ews_ok(st)) {
		ews_client_free(*out);
		*out = NULL;
	}
	return st;
}

static ews_status get_inbox(ews_client *c)
{
	struct soap *a = ews_client_arena(c);
	struct ewsmsg__GetFolderType *req = soap_new_ewsmsg__GetFolderType(a, -1);
	struct __ewsmsg__GetFolderResponse resp;
	struct ewstype__DistinguishedFolderIdType *d = soap_new_ewstype__DistinguishedFolderIdType(a, -1);

	req->FolderShape = soap_new_ewstype__FolderResponseShapeType(a, -1);
	req->FolderShape->BaseShape = ewstype__DefaultShapeNamesType__IdOnly;
	req->FolderIds = soap_new_ewstype__NonEmptyArrayOfBaseFolderIdsType(a, -1);
	req->FolderIds->__size_NonEmptyArrayOfBaseFolderIdsType = 1;
	req->FolderIds->__union_NonEmptyArrayOfBaseFolderIdsType = soap_new___ewstype__union_NonEmptyArrayOfBaseFolderIdsType(a, 1);
	req->FolderIds->__union_NonEmptyArrayOfBaseFolderIdsType[0].__union_NonEmptyArrayOfBaseFolderIdsType =
		SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseFolderIdsType_DistinguishedFolderId;
	soap_s2ewstype__DistinguishedFolderIdNameType(a, "inbox", &d->Id);
	req->FolderIds->__union_NonEmptyArrayOfBaseFolderIdsType[0].union_NonEmptyArrayOfBaseFolderIdsType
		.DistinguishedFolderId = d;
	return ews_get_folder(c, req, &resp);
}

/* The value of `name` in the cache file (malloc'd) or NULL. */
static char *cache_field(const char *name)
{
	char *text = ews_test_read_file(cache, NULL), *p, *v = NULL;
	size_t n = strlen(name);
	for (p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, name, n) && p[n] == ' ') {
			v = strndup(p + n + 1, strcspn(p + n + 1, "\n"));
			break;
		}
	free(text);
	return v;
}

static int polls_of(const char *user_code, long long *first_gap, int *interval)
{
	char path[100];
	struct http_resp r;
	int polls = -1;
	snprintf(path, sizeof path, "/oauth2/polls?user_code=%s", user_code);
	*first_gap = -1;
	if (http_request(&srv, "GET", path, NULL, NULL, 0, &r))
		return -1;
	if (r.status == 200 && sscanf(r.body, "polls %d gaps_ms %lld", &polls, first_gap) < 1)
		polls = -1;
	const char *iv = strstr(r.body, "interval ");
	*interval = iv ? atoi(iv + 9) : -1;
	http_resp_free(&r);
	return polls;
}

/* A token request as another client would send it (to check what the endpoint still accepts). */
static int refresh_status(const char *refresh_token, char *error, size_t cap)
{
	char body[300];
	struct http_resp r;
	int status;
	snprintf(body, sizeof body, "grant_type=refresh_token&refresh_token=%s&client_id=libews-test", refresh_token);
	if (http_request(&srv, "POST", "/oauth2/token", "Content-Type: application/x-www-form-urlencoded\r\n", body,
	                 strlen(body), &r))
		return -1;
	status = r.status;
	snprintf(error, cap, "%s", r.body ? r.body : "");
	http_resp_free(&r);
	return status;
}

static ews_client *signed_in_client(void)
{
	ews_client *c = NULL;
	CU_ASSERT_FATAL(ews_ok(new_client(prompt, &c)));
	CU_ASSERT_EQUAL_FATAL(ews_client_oauth2_login(c).code, EWS_OK);
	return c;
}

static void signs_in_after_authorization_pending_and_keeps_the_tokens_0600(void)
{
	ews_client *c = NULL;
	struct stat sb;
	long long gap;
	int interval;
	ews_status st;

	reset(2, "approve");
	umask(0); /* the cache must be private whatever the umask */
	CU_ASSERT_FATAL(ews_ok(new_client(prompt, &c)));
	st = get_inbox(c); /* no cache: the first call signs in */
	umask(022);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL(u.prompts, 1);
	CU_ASSERT_EQUAL(strlen(u.user_code), 9);
	CU_ASSERT_EQUAL(strncmp(u.uri, origin, strlen(origin)), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(u.uri_complete, u.user_code));
	CU_ASSERT_EQUAL(u.interval, 1);
	/* poll 1 was authorization_pending, poll 2 (after the approval) got the tokens */
	CU_ASSERT_EQUAL(polls_of(u.user_code, &gap, &interval), 2);
	CU_ASSERT(gap >= 900);
	CU_ASSERT_EQUAL_FATAL(stat(cache, &sb), 0);
	CU_ASSERT_EQUAL(sb.st_mode & 0777, 0600);
	char *access = cache_field("access_token"), *refresh = cache_field("refresh_token");
	CU_ASSERT_PTR_NOT_NULL(access);
	CU_ASSERT_PTR_NOT_NULL(refresh);
	CU_ASSERT_PTR_NULL(strstr(log_text, access ? access : "-"));
	CU_ASSERT_PTR_NULL(strstr(log_text, refresh ? refresh : "-"));
	CU_ASSERT_PTR_NULL(strstr(log_text, u.user_code));
	free(access);
	free(refresh);
	ews_client_free(c);
}

static void slow_down_adds_five_seconds_to_every_later_poll(void)
{
	ews_client *c = NULL;
	long long gap;
	int interval;

	reset(2, "approve");
	CU_ASSERT_EQUAL(control("oauth_slow_down=1"), 0);
	CU_ASSERT_FATAL(ews_ok(new_client(prompt, &c)));
	CU_ASSERT_EQUAL(ews_client_oauth2_login(c).code, EWS_OK);
	/* measured by the endpoint: the poll after slow_down came interval + 5 s later (1 s + 5 s), and the
	 * endpoint saw no poll too soon (which would have grown its interval again) */
	CU_ASSERT_EQUAL(polls_of(u.user_code, &gap, &interval), 2);
	CU_ASSERT(gap >= 5900 && gap < 9000);
	CU_ASSERT_EQUAL(interval, 6);
	CU_ASSERT_PTR_NOT_NULL(strstr(log_text, "polling every 6 s"));
	ews_client_free(c);
}

static void access_denied_is_its_own_error_and_stores_nothing(void)
{
	ews_client *c = NULL;
	ews_status st;

	reset(1, "deny");
	CU_ASSERT_FATAL(ews_ok(new_client(prompt, &c)));
	st = ews_client_oauth2_login(c);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_AUTH);
	CU_ASSERT_STRING_EQUAL(st.response_code, "access_denied");
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "declined"));
	CU_ASSERT_NOT_EQUAL(access(cache, F_OK), 0);
	ews_client_free(c);
}

static void expired_token_from_the_endpoint_ends_the_sign_in(void)
{
	ews_client *c = NULL;
	ews_status st;
	long long gap;
	int interval;

	reset(1, "oauth_expire_codes");
	CU_ASSERT_FATAL(ews_ok(new_client(prompt, &c)));
	st = ews_client_oauth2_login(c);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_AUTH);
	CU_ASSERT_STRING_EQUAL(st.response_code, "expired_token");
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "start the sign-in again"));
	CU_ASSERT_EQUAL(polls_of(u.user_code, &gap, &interval), 1); /* the endpoint said so on the first poll */
	CU_ASSERT_NOT_EQUAL(access(cache, F_OK), 0);
	ews_client_free(c);
}

static void the_client_stops_polling_when_the_code_expires(void)
{
	ews_client *c = NULL;
	ews_status st;
	time_t t0 = time(NULL);

	reset(0, NULL);
	CU_ASSERT_EQUAL(control("oauth_code_lifetime=3"), 0);
	CU_ASSERT_FATAL(ews_ok(new_client(prompt, &c)));
	st = ews_client_oauth2_login(c);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_AUTH);
	CU_ASSERT_STRING_EQUAL(st.response_code, "expired_token");
	CU_ASSERT_EQUAL(u.expires_in, 3);
	CU_ASSERT(time(NULL) - t0 <= 6);
	CU_ASSERT(u.sleeps <= 3);
	ews_client_free(c);
}

static void a_token_near_expiry_is_refreshed_and_the_rotated_refresh_token_persisted(void)
{
	ews_client *c;
	char *old_refresh, *new_refresh, *old_access, *new_access, err[256];

	reset(1, "approve");
	/* 200 s: within the 300 s margin, so the next call refreshes although the token still works */
	CU_ASSERT_EQUAL(control("oauth_token_lifetime=200"), 0);
	c = signed_in_client();
	old_refresh = cache_field("refresh_token");
	old_access = cache_field("access_token");
	CU_ASSERT_EQUAL(get_inbox(c).code, EWS_OK);
	new_refresh = cache_field("refresh_token");
	new_access = cache_field("access_token");
	CU_ASSERT_PTR_NOT_NULL_FATAL(old_refresh);
	CU_ASSERT_PTR_NOT_NULL_FATAL(new_refresh);
	CU_ASSERT_STRING_NOT_EQUAL(old_refresh, new_refresh);
	CU_ASSERT_STRING_NOT_EQUAL(old_access, new_access);
	/* the endpoint rotated: the old refresh token is spent, the stored one works */
	CU_ASSERT_EQUAL(refresh_status(old_refresh, err, sizeof err), 400);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "invalid_grant"));
	CU_ASSERT_EQUAL(u.prompts, 1);
	CU_ASSERT_PTR_NULL(strstr(log_text, new_refresh));
	CU_ASSERT_PTR_NULL(strstr(log_text, new_access));
	free(old_refresh);
	free(new_refresh);
	free(old_access);
	free(new_access);
	ews_client_free(c);
}

static void a_later_run_reuses_the_cache_without_signing_in(void)
{
	ews_client *c;

	reset(1, "approve");
	c = signed_in_client();
	ews_client_free(c);
	/* no prompt: a later run must not need one; refresh tokens revoked: it must not need a refresh either */
	CU_ASSERT_EQUAL(control("oauth_revoke_refresh"), 0);
	CU_ASSERT_FATAL(ews_ok(new_client(NULL, &c)));
	CU_ASSERT_EQUAL(get_inbox(c).code, EWS_OK);
	CU_ASSERT_EQUAL(u.prompts, 1);
	ews_client_free(c);
}

static void a_refused_access_token_is_refreshed_once(void)
{
	ews_client *c;
	char *before, *after;

	reset(1, "approve");
	c = signed_in_client();
	before = cache_field("refresh_token");
	CU_ASSERT_EQUAL(control("oauth_revoke_access"), 0); /* ewsd now answers 401 to the stored token */
	CU_ASSERT_EQUAL(get_inbox(c).code, EWS_OK);
	after = cache_field("refresh_token");
	CU_ASSERT_PTR_NOT_NULL_FATAL(after);
	CU_ASSERT_STRING_NOT_EQUAL(before, after);
	CU_ASSERT_PTR_NOT_NULL(strstr(log_text, "refused the access token"));
	free(before);
	free(after);
	ews_client_free(c);
}

static void invalid_grant_tells_to_sign_in_again_and_drops_the_cache(void)
{
	ews_client *c;
	ews_status st;

	reset(1, "approve");
	c = signed_in_client();
	CU_ASSERT_EQUAL(control("oauth_revoke_refresh&oauth_revoke_access"), 0);
	st = get_inbox(c);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_AUTH);
	CU_ASSERT_STRING_EQUAL(st.response_code, "invalid_grant");
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "sign in again"));
	CU_ASSERT_EQUAL(u.prompts, 1); /* an error, not a surprise prompt in the middle of a call */
	CU_ASSERT_NOT_EQUAL(access(cache, F_OK), 0); /* the next run signs in instead of failing the same way */
	ews_client_free(c);
}

static void a_cache_others_can_read_is_refused(void)
{
	ews_client *c = NULL;
	ews_status st;
	FILE *f;

	reset(0, NULL);
	f = fopen(cache, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f, "access_token Aabc\nrefresh_token Rdef\nexpires_at %lld\n", (long long)time(NULL) + 3600);
	fclose(f);
	CU_ASSERT_EQUAL(chmod(cache, 0644), 0);
	st = new_client(prompt, &c);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_AUTH);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "accessible by others"));
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "0644"));
	CU_ASSERT_PTR_NULL(strstr(st.message, "Rdef"));
	CU_ASSERT_EQUAL(chmod(cache, 0640), 0);
	CU_ASSERT_EQUAL(new_client(prompt, &c).code, EWS_ERR_AUTH);
	CU_ASSERT_EQUAL(chmod(cache, 0600), 0);
	CU_ASSERT_EQUAL(new_client(prompt, &c).code, EWS_OK);
	ews_client_free(c);
	/* a damaged cache is a clear error too */
	f = fopen(cache, "w");
	fprintf(f, "garbage\n");
	fclose(f);
	chmod(cache, 0600);
	c = NULL;
	st = new_client(prompt, &c);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_FORMAT);
	ews_client_free(c);
}

static void no_cache_and_no_prompt_is_a_clear_error(void)
{
	ews_client *c = NULL;
	ews_status st;

	reset(0, NULL);
	CU_ASSERT_FATAL(ews_ok(new_client(NULL, &c)));
	st = get_inbox(c);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_AUTH);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "sign in"));
	ews_client_free(c);
}

static void endpoints_must_be_https_unless_loopback(void)
{
	ews_client *c = NULL;
	ews_options o;
	ews_oauth2_device_options d;
	ews_status st;

	ews_options_init(&o);
	CU_ASSERT_FATAL(ews_ok(ews_client_new(srv.url, &o, &c)));
	memset(&d, 0, sizeof d);
	d.device_url = "http://login.example.com/common/oauth2/v2.0/devicecode";
	d.token_url = token_url;
	d.client_id = "x";
	d.token_cache = cache;
	st = ews_client_set_oauth2_device(c, &d);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_ARGUMENT);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "device authorization URL"));
	d.device_url = device_url;
	d.token_url = "http://login.example.com/common/oauth2/v2.0/token";
	CU_ASSERT_EQUAL(ews_client_set_oauth2_device(c, &d).code, EWS_ERR_ARGUMENT);
	d.token_url = token_url;
	d.token_cache = NULL;
	CU_ASSERT_EQUAL(ews_client_set_oauth2_device(c, &d).code, EWS_ERR_ARGUMENT);
	ews_client_free(c);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "signs in after authorization_pending and keeps the tokens in a 0600 file", signs_in_after_authorization_pending_and_keeps_the_tokens_0600 },
		{ "slow_down adds five seconds to every later poll (measured by the endpoint)", slow_down_adds_five_seconds_to_every_later_poll },
		{ "access_denied is its own error and stores nothing", access_denied_is_its_own_error_and_stores_nothing },
		{ "expired_token from the endpoint ends the sign-in", expired_token_from_the_endpoint_ends_the_sign_in },
		{ "the client stops polling when the code expires", the_client_stops_polling_when_the_code_expires },
		{ "a token near expiry is refreshed and the rotated refresh token persisted", a_token_near_expiry_is_refreshed_and_the_rotated_refresh_token_persisted },
		{ "a later run reuses the cache without signing in", a_later_run_reuses_the_cache_without_signing_in },
		{ "a refused access token is refreshed once", a_refused_access_token_is_refreshed_once },
		{ "invalid_grant tells to sign in again and drops the cache", invalid_grant_tells_to_sign_in_again_and_drops_the_cache },
		{ "a cache others can read is refused", a_cache_others_can_read_is_refused },
		{ "no cache and no prompt is a clear error", no_cache_and_no_prompt_is_a_clear_error },
		{ "endpoints must be https unless loopback", endpoints_must_be_https_unless_loopback },
		{ NULL, NULL }
	};
	char users[300];
	FILE *f;
	int rc;

	if (!mkdtemp(dir))
		return 1;
	snprintf(users, sizeof users, "%s/users", dir);
	snprintf(cache, sizeof cache, "%s/tokens", dir);
	f = fopen(users, "w");
	if (!f)
		return 1;
	/* a users file: only the tokens the endpoint issued (and has not revoked) get in as Bearer */
	fprintf(f, "user alice@example.com secret\ncontrol alice@example.com\n");
	fclose(f);
	const char *args[] = { "--users", users, NULL };
	if (ewsd_start(&srv, NULL, args)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	snprintf(origin, sizeof origin, "%.*s", (int)(strstr(srv.url, "/EWS/") - srv.url), srv.url);
	snprintf(device_url, sizeof device_url, "%s/oauth2/devicecode", origin);
	snprintf(token_url, sizeof token_url, "%s/oauth2/token", origin);
	rc = ews_test_run("delegated OAuth2 (device code, refresh, token cache)", cases);
	ewsd_stop(&srv, 0);
	unlink(cache);
	unlink(users);
	rmdir(dir);
	return rc;
}
