/* test_auth.c — HTTP authentication: 401 handling, Basic, Bearer tokens of any length. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/ews.h"
#include "ews_test.h"
#include "ews_test_ews.h"

static void queue_ok(ews_test_http *s)
{
	char *b = ews_test_getfolder_response("Success", "NoError", NULL, NULL);
	ews_test_queue_body(s, 200, b);
	free(b);
}

static void http_401_is_an_auth_error_after_exactly_one_attempt(void)
{
	ews_test_http *s = ews_test_http_start(0);
	ews_client *c = ews_test_client(s);
	struct __ewsmsg__GetFolderResponse r;
	ews_status st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	ews_test_http_queue_simple(s, 401, "WWW-Authenticate: Negotiate\r\nWWW-Authenticate: NTLM\r\n", NULL);
	queue_ok(s); /* must not be asked for */
	st = ews_test_get_folder(c, &r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_AUTH);
	CU_ASSERT_EQUAL(st.http_status, 401);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "HTTP 401"));
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "Basic"));
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "Negotiate, NTLM"));
	CU_ASSERT_PTR_NULL(strstr(st.message, "secret"));
	CU_ASSERT_PTR_NULL(strstr(ews_test_log_text(), "secret"));
	CU_ASSERT_EQUAL(ews_test_http_request_count(s), 1);
	CU_ASSERT_EQUAL(ews_test_sleep_count(), 0);
	ews_client_free(c);
	ews_test_http_stop(s);
}

static void http_403_is_an_auth_error_without_retry(void)
{
	ews_test_http *s = ews_test_http_start(0);
	ews_client *c = ews_test_client(s);
	struct __ewsmsg__GetFolderResponse r;
	ews_status st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	ews_test_http_queue_simple(s, 403, NULL, "<html>Forbidden</html>");
	st = ews_test_get_folder(c, &r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_AUTH);
	CU_ASSERT_EQUAL(st.http_status, 403);
	CU_ASSERT_EQUAL(ews_test_http_request_count(s), 1);
	ews_client_free(c);
	ews_test_http_stop(s);
}

static void a_bearer_token_of_5000_characters_arrives_intact(void)
{
	ews_test_http *s = ews_test_http_start(0);
	ews_client *c = ews_test_client(s);
	struct __ewsmsg__GetFolderResponse r;
	char *token = malloc(5001), *expect = malloc(5100), *got;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	for (int i = 0; i < 5000; i++)
		token[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."[(i * 7 + i / 64) % 65];
	token[5000] = '\0';
	sprintf(expect, "Bearer %s", token);
	CU_ASSERT_EQUAL_FATAL(ews_client_set_bearer_token(c, token).code, EWS_OK);
	queue_ok(s);
	queue_ok(s);
	CU_ASSERT_EQUAL(ews_test_get_folder(c, &r).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_test_get_folder(c, &r).code, EWS_OK); /* sent again on the next call */
	for (int i = 0; i < 2; i++) {
		got = ews_test_http_request_header(s, i, "Authorization");
		CU_ASSERT_PTR_NOT_NULL_FATAL(got);
		CU_ASSERT_EQUAL(strlen(got), 5007);
		CU_ASSERT_STRING_EQUAL(got, expect);
		free(got);
	}
	free(token);
	free(expect);
	ews_client_free(c);
	ews_test_http_stop(s);
}

static void a_bearer_token_with_a_line_break_is_refused(void)
{
	ews_test_http *s = ews_test_http_start(0);
	ews_client *c = ews_test_client(s);

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(ews_client_set_bearer_token(c, "abc\r\nX-Evil: 1").code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_client_set_bearer_token(c, "").code, EWS_ERR_ARGUMENT);
	ews_client_free(c);
	ews_test_http_stop(s);
}

static void no_credentials_send_no_authorization_header(void)
{
	ews_test_http *s = ews_test_http_start(0);
	ews_client *c = NULL;
	struct __ewsmsg__GetFolderResponse r;
	char *auth;

	CU_ASSERT_EQUAL_FATAL(ews_client_new(ews_test_http_url(s), NULL, &c).code, EWS_OK);
	queue_ok(s);
	CU_ASSERT_EQUAL(ews_test_get_folder(c, &r).code, EWS_OK);
	auth = ews_test_http_request_header(s, 0, "Authorization");
	CU_ASSERT_PTR_NULL(auth);
	free(auth);
	ews_client_free(c);
	ews_test_http_stop(s);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "HTTP 401 is an auth error after exactly one attempt, naming the offered schemes",
		  http_401_is_an_auth_error_after_exactly_one_attempt },
		{ "HTTP 403 is an auth error without retry", http_403_is_an_auth_error_without_retry },
		{ "a bearer token of 5000 characters arrives intact", a_bearer_token_of_5000_characters_arrives_intact },
		{ "a bearer token with a line break is refused", a_bearer_token_with_a_line_break_is_refused },
		{ "no credentials send no Authorization header", no_credentials_send_no_authorization_header },
		{ NULL, NULL }
	};
	return ews_test_run("auth", cases);
}
