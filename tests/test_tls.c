/* test_tls.c — certificate and host name verification on by default, trusted CA files, the insecure opt-out. */
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

static ews_status call_with(ews_test_http *s, const char *ca_file, int insecure, const char **log)
{
	ews_client *c = ews_test_client(s);
	struct __ewsmsg__GetFolderResponse r;
	ews_status st;

	if (!c)
		return ews_status_make(EWS_ERR_INTERNAL, "no client");
	st = ews_client_set_tls(c, ca_file, NULL, insecure);
	if (ews_ok(st))
		st = ews_client_set_retry(c, 1, 0, 0);
	if (ews_ok(st))
		st = ews_test_get_folder(c, &r);
	if (log)
		*log = ews_test_log_text();
	ews_client_free(c);
	return st;
}

static void an_untrusted_certificate_is_rejected_by_default(void)
{
	ews_test_http *s = ews_test_http_start(1);
	ews_status st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(strncmp(ews_test_http_url(s), "https://", 8), 0);
	queue_ok(s);
	st = call_with(s, NULL, 0, NULL);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_TLS);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "TLS"));
	CU_ASSERT_EQUAL(ews_test_http_request_count(s), 0);
	ews_test_http_stop(s);
}

static void the_certificate_is_accepted_when_its_ca_file_is_trusted(void)
{
	ews_test_http *s = ews_test_http_start(1);
	ews_status st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	queue_ok(s);
	st = call_with(s, ews_test_http_cert_file(s), 0, NULL);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL(ews_test_http_request_count(s), 1);
	ews_test_http_stop(s);
}

static void a_trusted_certificate_for_another_host_is_rejected(void)
{
	ews_test_http *s = ews_test_http_start_tls("DNS:mail.example.com", "mail.example.com");
	ews_status st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	queue_ok(s);
	st = call_with(s, ews_test_http_cert_file(s), 0, NULL);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_TLS);
	CU_ASSERT_EQUAL(ews_test_http_request_count(s), 0);
	ews_test_http_stop(s);
}

static void the_insecure_opt_out_accepts_any_certificate_and_warns(void)
{
	ews_test_http *s = ews_test_http_start_tls("DNS:mail.example.com", "mail.example.com");
	const char *log = NULL;
	ews_status st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	queue_ok(s);
	st = call_with(s, NULL, 1, &log);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_PTR_NOT_NULL(log && strstr(log, "verification is OFF"));
	ews_test_http_stop(s);
}

static void an_unreadable_ca_file_is_reported_at_setup(void)
{
	ews_options o;
	ews_client *c = NULL;
	ews_status st;

	ews_options_init(&o);
	o.ca_file = "/nonexistent/ca.pem";
	st = ews_client_new("https://127.0.0.1:1/EWS/Exchange.asmx", &o, &c);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_TLS);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "/nonexistent/ca.pem"));
	CU_ASSERT_PTR_NULL(c);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "an untrusted certificate is rejected by default", an_untrusted_certificate_is_rejected_by_default },
		{ "the certificate is accepted when its CA file is trusted",
		  the_certificate_is_accepted_when_its_ca_file_is_trusted },
		{ "a trusted certificate for another host name is rejected", a_trusted_certificate_for_another_host_is_rejected },
		{ "the insecure opt-out accepts any certificate and logs a warning",
		  the_insecure_opt_out_accepts_any_certificate_and_warns },
		{ "an unreadable CA file is reported at setup", an_unreadable_ca_file_is_reported_at_setup },
		{ NULL, NULL }
	};
	return ews_test_run("tls", cases);
}
