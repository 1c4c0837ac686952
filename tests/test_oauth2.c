/* test_oauth2.c — OAuth2 client-credentials grant: the token request, caching, refresh, errors, JSON parsing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/ews.h"
#include "ews_internal.h"
#include "ews_test.h"
#include "ews_test_ews.h"

static void queue_ok(ews_test_http *s)
{
	char *b = ews_test_getfolder_response("Success", "NoError", NULL, NULL);
	ews_test_queue_body(s, 200, b);
	free(b);
}

static void queue_token(ews_test_http *s, const char *token, int expires_in)
{
	char body[512];
	snprintf(body, sizeof body, "{\"token_type\":\"Bearer\",\"expires_in\":%d,\"ext_expires_in\":%d,"
	         "\"access_token\":\"%s\"}", expires_in, expires_in, token);
	ews_test_http_queue_simple(s, 200, "Cache-Control: no-store\r\n", body);
}

static ews_client *oauth_client(ews_test_http *s)
{
	ews_client *c = ews_test_client(s);
	char url[128];
	snprintf(url, sizeof url, "%s", ews_test_http_url(s));
	strcpy(strstr(url, "/EWS/"), "/tenant/oauth2/v2.0/token");
	if (c && !ews_ok(ews_client_set_oauth2(c, url, "app id", "s3cr&t=", NULL))) {
		ews_client_free(c);
		return NULL;
	}
	return c;
}

static void the_token_is_fetched_once_and_sent_as_bearer(void)
{
	ews_test_http *s = ews_test_http_start(0);
	ews_client *c = oauth_client(s);
	struct __ewsmsg__GetFolderResponse r;
	char *req, *ctype, *auth;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	queue_token(s, "eyJ0eXAi.first", 3599);
	queue_ok(s);
	queue_ok(s);
	CU_ASSERT_EQUAL(ews_test_get_folder(c, &r).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_test_get_folder(c, &r).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_test_http_request_count(s), 3);
	req = ews_test_http_request(s, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(req);
	CU_ASSERT_EQUAL(strncmp(req, "POST /tenant/oauth2/v2.0/token HTTP/1.1\r\n", 41), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(req, "\r\n\r\ngrant_type=client_credentials&client_id=app%20id&client_secret=s3cr%26t%3D"
	                                   "&scope=https%3A%2F%2Foutlook.office365.com%2F.default"));
	ctype = ews_test_http_request_header(s, 0, "Content-Type");
	CU_ASSERT_STRING_EQUAL(ctype, "application/x-www-form-urlencoded");
	for (int i = 1; i < 3; i++) {
		auth = ews_test_http_request_header(s, i, "Authorization");
		CU_ASSERT_STRING_EQUAL(auth, "Bearer eyJ0eXAi.first");
		free(auth);
	}
	CU_ASSERT_PTR_NULL(strstr(ews_test_log_text(), "s3cr"));
	CU_ASSERT_PTR_NULL(strstr(ews_test_log_text(), "eyJ0eXAi"));
	free(req);
	free(ctype);
	ews_client_free(c);
	ews_test_http_stop(s);
}

static void a_token_about_to_expire_is_refreshed_before_the_call(void)
{
	ews_test_http *s = ews_test_http_start(0);
	ews_client *c = oauth_client(s);
	struct __ewsmsg__GetFolderResponse r;
	char *auth;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	queue_token(s, "short.lived", 1); /* refreshed at half its life: at once */
	queue_ok(s);
	queue_token(s, "second.token", 3600);
	queue_ok(s);
	CU_ASSERT_EQUAL(ews_test_get_folder(c, &r).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_test_get_folder(c, &r).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_test_http_request_count(s), 4);
	auth = ews_test_http_request_header(s, 3, "Authorization");
	CU_ASSERT_STRING_EQUAL(auth, "Bearer second.token");
	free(auth);
	ews_client_free(c);
	ews_test_http_stop(s);
}

static void a_refused_cached_token_is_replaced_once(void)
{
	ews_test_http *s = ews_test_http_start(0);
	ews_client *c = oauth_client(s);
	struct __ewsmsg__GetFolderResponse r;
	char *auth;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	queue_token(s, "revoked.token", 3600);
	queue_ok(s);
	ews_test_http_queue_simple(s, 401, "WWW-Authenticate: Bearer\r\n", NULL);
	queue_token(s, "fresh.token", 3600);
	queue_ok(s);
	CU_ASSERT_EQUAL(ews_test_get_folder(c, &r).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_test_get_folder(c, &r).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_test_http_request_count(s), 5);
	auth = ews_test_http_request_header(s, 4, "Authorization");
	CU_ASSERT_STRING_EQUAL(auth, "Bearer fresh.token");
	free(auth);
	ews_client_free(c);
	ews_test_http_stop(s);
}

static void a_fresh_token_refused_is_an_auth_error(void)
{
	ews_test_http *s = ews_test_http_start(0);
	ews_client *c = oauth_client(s);
	struct __ewsmsg__GetFolderResponse r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	queue_token(s, "useless.token", 3600);
	ews_test_http_queue_simple(s, 401, "WWW-Authenticate: Bearer\r\n", NULL);
	queue_token(s, "never.fetched", 3600);
	CU_ASSERT_EQUAL(ews_test_get_folder(c, &r).code, EWS_ERR_AUTH);
	CU_ASSERT_EQUAL(ews_test_http_request_count(s), 2);
	ews_client_free(c);
	ews_test_http_stop(s);
}

static void the_token_endpoint_refusing_gives_its_error_but_no_secret(void)
{
	ews_test_http *s = ews_test_http_start(0);
	ews_client *c = oauth_client(s);
	struct __ewsmsg__GetFolderResponse r;
	ews_status st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	ews_test_http_queue_simple(s, 400, NULL, "{\"error\":\"invalid_client\",\"error_description\":"
	                           "\"AADSTS7000215: Invalid client secret provided.\",\"error_codes\":[7000215]}");
	st = ews_test_get_folder(c, &r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_AUTH);
	CU_ASSERT_EQUAL(st.http_status, 400);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "invalid_client: AADSTS7000215"));
	CU_ASSERT_PTR_NULL(strstr(st.message, "s3cr"));
	CU_ASSERT_EQUAL(ews_test_http_request_count(s), 1);
	ews_client_free(c);
	ews_test_http_stop(s);
}

static void token_answers_are_parsed_strictly(void)
{
	static const char *good = "{ \"token_type\" : \"Bearer\", \"scope\":\"x\", \"nested\": {\"a\":[1,2,{\"b\":null}]},"
	                          " \"expires_in\": \"3599\", \"access_token\": \"ab\\/c\\u00e9\" }";
	static const char *bad[] = {
		"", "[]", "{", "{\"access_token\":\"x\"", "{\"access_token\":\"x\"} trailing", "{\"access_token\":1}",
		"{\"access_token\":\"\"}", "{\"access_token\":\"a\\u0000b\"}", "{\"access_token\":\"a b\"}",
		"{\"access_token\":\"x\",\"token_type\":\"mac\"}", "{\"access_token\":\"\\ud800\"}",
		"{'access_token':'x'}", "{\"access_token\":\"x\",}",
	};
	char *token = NULL;
	long expires = 0;
	ews_status st = ews_oauth2_parse_token_response(good, strlen(good), &token, &expires);
	char deep[200];

	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_STRING_EQUAL(token, "ab/c\xC3\xA9");
	CU_ASSERT_EQUAL(expires, 3599);
	free(token);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		st = ews_oauth2_parse_token_response(bad[i], strlen(bad[i]), &token, &expires);
		CU_ASSERT_NOT_EQUAL(st.code, EWS_OK);
		CU_ASSERT_PTR_NULL(token);
	}
	/* nesting beyond the cap is refused, not recursed into */
	memset(deep, '[', sizeof deep);
	memcpy(deep, "{\"a\":", 5);
	st = ews_oauth2_parse_token_response(deep, sizeof deep, &token, &expires);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_FORMAT);
}

/* The client secret goes in the form body: over http:// anyone on the path reads it. Only loopback (a local test
 * endpoint) may be plain http; the check looks at the real host, not at a user-info part before '@'. */
static void a_client_secret_is_never_sent_to_a_plain_http_token_url(void)
{
	static const char *const refused[] = {
		"http://login.example.com/tenant/oauth2/v2.0/token",
		"HTTP://login.example.com/token",
		"http://127.0.0.1@evil.example/token",
		"http://localhost.evil.example/token",
		"http://128.0.0.1/token",
		"http://[::2]/token",
		"http://[::1/token",
		"http:///token",
		"ftp://login.example.com/token",
		"login.example.com/token",
	};
	static const char *const accepted[] = {
		"https://login.microsoftonline.com/tenant/oauth2/v2.0/token",
		"HTTPS://login.example.com/token",
		"http://localhost:8080/token",
		"http://LOCALHOST./token",
		"http://127.0.0.1/token",
		"http://127.8.9.10:99/token",
		"http://user@[::1]:8443/token",
		"http://[::1]/token",
	};
	ews_test_http *s = ews_test_http_start(0);
	ews_client *c = ews_test_client(s);
	ews_options o;
	ews_client *other = NULL;
	ews_status st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
		st = ews_client_set_oauth2(c, refused[i], "app", "top-secret-value", NULL);
		CU_ASSERT_EQUAL(st.code, EWS_ERR_ARGUMENT);
		CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "https://"));
		CU_ASSERT_PTR_NULL(strstr(st.message, "top-secret-value"));
		if (st.code != EWS_ERR_ARGUMENT)
			fprintf(stderr, "accepted: %s\n", refused[i]);
	}
	for (size_t i = 0; i < sizeof accepted / sizeof *accepted; i++) {
		st = ews_client_set_oauth2(c, accepted[i], "app", "top-secret-value", NULL);
		CU_ASSERT_EQUAL(st.code, EWS_OK);
		if (st.code != EWS_OK)
			fprintf(stderr, "refused: %s: %s\n", accepted[i], st.message);
	}
	/* through the options, the client is not created at all */
	ews_options_init(&o);
	o.url = ews_test_http_url(s);
	o.auth = EWS_AUTH_OAUTH2;
	o.oauth2_token_url = "http://login.example.com/token";
	o.oauth2_client_id = "app";
	o.oauth2_client_secret = "top-secret-value";
	st = ews_client_new(NULL, &o, &other);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_ARGUMENT);
	CU_ASSERT_PTR_NULL(other);
	ews_client_free(other);
	CU_ASSERT_EQUAL(ews_test_http_request_count(s), 0);
	ews_client_free(c);
	ews_test_http_stop(s);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "the token is fetched once and sent as bearer", the_token_is_fetched_once_and_sent_as_bearer },
		{ "a token about to expire is refreshed before the call", a_token_about_to_expire_is_refreshed_before_the_call },
		{ "a refused cached token is replaced once", a_refused_cached_token_is_replaced_once },
		{ "a freshly fetched token that is refused is an auth error", a_fresh_token_refused_is_an_auth_error },
		{ "the token endpoint refusing gives its error but no secret",
		  the_token_endpoint_refusing_gives_its_error_but_no_secret },
		{ "token answers are parsed strictly", token_answers_are_parsed_strictly },
		{ "a client secret is never sent to a plain http token URL",
		  a_client_secret_is_never_sent_to_a_plain_http_token_url },
		{ NULL, NULL }
	};
	return ews_test_run("oauth2", cases);
}
