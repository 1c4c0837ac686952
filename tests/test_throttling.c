/* test_throttling.c — ErrorServerBusy: waiting BackOffMilliseconds, retrying, caps and the retry budget. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/ews.h"
#include "ews_test.h"
#include "ews_test_ews.h"

#define BACKOFF(ms) "<t:Value Name=\"BackOffMilliseconds\">" #ms "</t:Value>"

static void queue_busy_fault(ews_test_http *s, const char *message_xml)
{
	char *f = ews_test_fault("ErrorServerBusy", "The server cannot service this request right now. Try again later.",
	                         message_xml);
	ews_test_queue_body(s, 500, f);
	free(f);
}

static void queue_ok(ews_test_http *s)
{
	char *b = ews_test_getfolder_response("Success", "NoError", NULL, NULL);
	ews_test_queue_body(s, 200, b);
	free(b);
}

static void a_busy_fault_waits_the_back_off_then_succeeds(void)
{
	ews_test_http *s = ews_test_http_start(0);
	ews_client *c = ews_test_client(s);
	struct __ewsmsg__GetFolderResponse r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	queue_busy_fault(s, BACKOFF(1200));
	queue_ok(s);
	CU_ASSERT_EQUAL(ews_test_get_folder(c, &r).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_test_http_request_count(s), 2);
	CU_ASSERT_EQUAL(ews_test_sleep_count(), 1);
	CU_ASSERT_EQUAL(ews_test_slept_ms(), 1200);
	CU_ASSERT_PTR_NOT_NULL(strstr(ews_test_log_text(), "GetFolder: ErrorServerBusy; retrying in 1200 ms (attempt 2 of 5)"));
	ews_client_free(c);
	ews_test_http_stop(s);
}

static void a_spent_budget_gives_throttled(void)
{
	ews_test_http *s = ews_test_http_start(0);
	ews_client *c = ews_test_client(s);
	struct __ewsmsg__GetFolderResponse r;
	ews_status st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(ews_client_set_retry(c, 10, 60000, 3000).code, EWS_OK);
	for (int i = 0; i < 4; i++)
		queue_busy_fault(s, BACKOFF(2000));
	st = ews_test_get_folder(c, &r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_THROTTLED);
	CU_ASSERT_STRING_EQUAL(st.response_code, "ErrorServerBusy");
	CU_ASSERT_EQUAL(st.http_status, 500);
	CU_ASSERT_STRING_EQUAL(st.message, "GetFolder: the server is busy (ErrorServerBusy); gave up after 2 attempts and "
	                                   "2000 ms of waiting");
	CU_ASSERT_EQUAL(ews_test_http_request_count(s), 2);
	CU_ASSERT_EQUAL(ews_test_slept_ms(), 2000);
	ews_client_free(c);
	ews_test_http_stop(s);
}

static void attempts_are_capped(void)
{
	ews_test_http *s = ews_test_http_start(0);
	ews_client *c = ews_test_client(s);
	struct __ewsmsg__GetFolderResponse r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(ews_client_set_retry(c, 3, 60000, 600000).code, EWS_OK);
	for (int i = 0; i < 5; i++)
		queue_busy_fault(s, BACKOFF(10));
	CU_ASSERT_EQUAL(ews_test_get_folder(c, &r).code, EWS_ERR_THROTTLED);
	CU_ASSERT_EQUAL(ews_test_http_request_count(s), 3);
	CU_ASSERT_EQUAL(ews_test_sleep_count(), 2);
	ews_client_free(c);
	ews_test_http_stop(s);
}

static void each_wait_is_capped(void)
{
	ews_test_http *s = ews_test_http_start(0);
	ews_client *c = ews_test_client(s);
	struct __ewsmsg__GetFolderResponse r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(ews_client_set_retry(c, 5, 5000, 600000).code, EWS_OK);
	queue_busy_fault(s, BACKOFF(178510));
	queue_ok(s);
	CU_ASSERT_EQUAL(ews_test_get_folder(c, &r).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_test_slept_ms(), 5000);
	ews_client_free(c);
	ews_test_http_stop(s);
}

static void a_busy_fault_without_back_off_uses_a_default_wait(void)
{
	ews_test_http *s = ews_test_http_start(0);
	ews_client *c = ews_test_client(s);
	struct __ewsmsg__GetFolderResponse r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	queue_busy_fault(s, NULL);
	queue_ok(s);
	CU_ASSERT_EQUAL(ews_test_get_folder(c, &r).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_test_sleep_count(), 1);
	CU_ASSERT_EQUAL(ews_test_slept_ms(), 500);
	ews_client_free(c);
	ews_test_http_stop(s);
}

static void a_busy_response_message_is_retried_with_its_back_off(void)
{
	ews_test_http *s = ews_test_http_start(0);
	ews_client *c = ews_test_client(s);
	struct __ewsmsg__GetFolderResponse r;
	char *b = ews_test_getfolder_response("Error", "ErrorServerBusy", "The server cannot service this request right now.",
	                                      BACKOFF(750));
	ews_response_message m;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	ews_test_queue_body(s, 200, b);
	ews_test_queue_body(s, 200, b);
	queue_ok(s);
	CU_ASSERT_EQUAL(ews_test_get_folder(c, &r).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_test_http_request_count(s), 3);
	CU_ASSERT_EQUAL(ews_test_slept_ms(), 1500);
	/* the view of such a message exposes the value too */
	CU_ASSERT_EQUAL(ews_client_set_retry(c, 1, 0, 0).code, EWS_OK);
	ews_test_queue_body(s, 200, b);
	CU_ASSERT_EQUAL(ews_test_get_folder(c, &r).code, EWS_ERR_THROTTLED);
	CU_ASSERT_EQUAL_FATAL(ews_response_messages_get(ews_messages_of_GetFolder(&r), 0, &m), 0);
	CU_ASSERT_STRING_EQUAL(ews_message_xml_value(&m, "BackOffMilliseconds"), "750");
	CU_ASSERT_PTR_NULL(ews_message_xml_value(&m, "MailboxGuid"));
	free(b);
	ews_client_free(c);
	ews_test_http_stop(s);
}

static void a_partly_busy_batch_is_not_resent_by_a_non_idempotent_call(void)
{
	ews_test_http *s = ews_test_http_start(0);
	ews_client *c = ews_test_client(s);
	struct __ewsmsg__GetFolderResponse r;
	char *one = ews_test_getfolder_response("Success", "NoError", NULL, NULL);
	char *busy = ews_test_getfolder_response("Error", "ErrorServerBusy", "busy", BACKOFF(100));
	/* splice the busy message after the successful one: two messages in one response */
	const char *m2 = strstr(busy, "<m:GetFolderResponseMessage"), *m2end = strstr(busy, "</m:ResponseMessages>");
	char *at = strstr(one, "</m:ResponseMessages>");
	size_t head = (size_t)(at - one), mid = (size_t)(m2end - m2);
	char *both = malloc(strlen(one) + mid + 1);
	ews_status st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	memcpy(both, one, head);
	memcpy(both + head, m2, mid);
	strcpy(both + head + mid, at);
	ews_test_queue_body(s, 200, both);
	st = ews_test_get_folder_flags(c, 0, &r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_RESPONSE);
	CU_ASSERT_STRING_EQUAL(st.message, "GetFolder: ErrorServerBusy: busy (message 2 of 2; 1 error)");
	CU_ASSERT_EQUAL(ews_test_http_request_count(s), 1);
	free(one);
	free(busy);
	free(both);
	ews_client_free(c);
	ews_test_http_stop(s);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "a busy fault waits its BackOffMilliseconds, then the retry succeeds",
		  a_busy_fault_waits_the_back_off_then_succeeds },
		{ "a spent wait budget gives EWS_ERR_THROTTLED", a_spent_budget_gives_throttled },
		{ "attempts are capped", attempts_are_capped },
		{ "each wait is capped", each_wait_is_capped },
		{ "a busy fault without BackOffMilliseconds uses a default wait",
		  a_busy_fault_without_back_off_uses_a_default_wait },
		{ "a busy response message is retried with its back-off", a_busy_response_message_is_retried_with_its_back_off },
		{ "a partly busy batch is not resent by a non-idempotent call",
		  a_partly_busy_batch_is_not_resent_by_a_non_idempotent_call },
		{ NULL, NULL }
	};
	return ews_test_run("throttling", cases);
}
