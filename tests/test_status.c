/* test_status.c — ews_status values and their descriptions. */
#include <string.h>

#include "ews/status.h"
#include "ews_test.h"

static void ok_status_is_all_zero(void)
{
	ews_status st = ews_status_ok();
	CU_ASSERT_TRUE(ews_ok(st));
	CU_ASSERT_EQUAL(st.http_status, 0);
	CU_ASSERT_STRING_EQUAL(st.message, "");
	CU_ASSERT_STRING_EQUAL(st.response_code, "");
}

static void make_formats_and_truncates_the_message(void)
{
	char big[1000];
	ews_status st = ews_status_make(EWS_ERR_FORMAT, "bad id '%s' at %d", "xyz", 7);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_FORMAT);
	CU_ASSERT_FALSE(ews_ok(st));
	CU_ASSERT_STRING_EQUAL(st.message, "bad id 'xyz' at 7");
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	st = ews_status_make(EWS_ERR_IO, "%s", big);
	CU_ASSERT_EQUAL(strlen(st.message), sizeof st.message - 1);
}

static void every_code_has_a_distinct_description(void)
{
	for (int a = 0; a < EWS_CODE_LAST; a++) {
		CU_ASSERT_STRING_NOT_EQUAL(ews_strerror((ews_code)a), "unknown error");
		for (int b = a + 1; b < EWS_CODE_LAST; b++)
			CU_ASSERT_STRING_NOT_EQUAL(ews_strerror((ews_code)a), ews_strerror((ews_code)b));
	}
	CU_ASSERT_STRING_EQUAL(ews_strerror(EWS_CODE_LAST), "unknown error");
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "an ok status is all zero", ok_status_is_all_zero },
		{ "make formats and truncates the message", make_formats_and_truncates_the_message },
		{ "every code has a distinct description", every_code_has_a_distinct_description },
		{ NULL, NULL }
	};
	return ews_test_run("status", cases);
}
