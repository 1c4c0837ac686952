/* test_tls_error_strings.c — OpenSSL's libcrypto error strings (1.3 MiB resident) stay unloaded in a process
 * that frees a context before any TLS, and TLS failures set up later still read as text. The tests run in order
 * in one process: the first context freed decides for the process (runtime/core/ews_transport.c). */
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include "ews/ews.h"
#include "ews_test.h"
#include "ews_test_ews.h"

static void a_client_freed_before_any_tls_leaves_libcrypto_error_strings_unloaded(void)
{
	ews_client *c = NULL;
	ews_options o;

	ews_options_init(&o);
	CU_ASSERT_EQUAL_FATAL(ews_client_new("http://127.0.0.1:1/EWS/Exchange.asmx", &o, &c).code, EWS_OK);
	ews_client_free(c);
	CU_ASSERT_PTR_NULL(ERR_reason_error_string(ERR_PACK(ERR_LIB_PEM, 0, PEM_R_NO_START_LINE)));
}

static void an_untrusted_certificate_set_up_later_still_names_the_failure(void)
{
	ews_test_http *s = ews_test_http_start(1);
	ews_client *c;
	struct __ewsmsg__GetFolderResponse r;
	ews_status st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c = ews_test_client(s));
	CU_ASSERT_EQUAL(ews_client_set_retry(c, 1, 0, 0).code, EWS_OK);
	st = ews_test_get_folder(c, &r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_TLS);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "certificate verify failed"));
	CU_ASSERT_EQUAL(ews_test_http_request_count(s), 0);
	ews_client_free(c);
	ews_test_http_stop(s);
	CU_ASSERT_STRING_EQUAL(ERR_reason_error_string(ERR_PACK(ERR_LIB_SSL, 0, SSL_R_CERTIFICATE_VERIFY_FAILED)),
	                       "certificate verify failed");
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "a client freed before any TLS leaves libcrypto's error strings unloaded",
		  a_client_freed_before_any_tls_leaves_libcrypto_error_strings_unloaded },
		{ "an untrusted certificate set up later still names the failure",
		  an_untrusted_certificate_set_up_later_still_names_the_failure },
		{ NULL, NULL }
	};
	return ews_test_run("tls error strings", cases);
}
