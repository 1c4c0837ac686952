/* test_schema_identity.c — a client refuses a program compiled against another schema's headers.
 *
 * ews_client_new() is a macro (ews/client.h) passing the identity of the bindings this file was compiled
 * against; these tests call the checked entry point directly with the identity of some other build, as a program
 * compiled against that build's headers would. (tests/schema/identity.sh does it for real: a program built
 * against these headers, run with a library generated from an official schema set.) */
#include <string.h>

#include "ews/client.h"
#include "ews_schema.h"
#include "ews_test.h"

#define URL "http://127.0.0.1:1/EWS/Exchange.asmx"
/* the bindings hash of a build this library is not */
#define OTHER_HASH "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void the_headers_of_this_build_get_a_client(void)
{
	ews_client *c = NULL;
	ews_status st = ews_client_new(URL, NULL, &c);   /* the macro: this build's identity */

	CU_ASSERT_TRUE_FATAL(ews_ok(st));
	CU_ASSERT_PTR_NOT_NULL(c);
	ews_client_free(c);
}

static void another_schemas_headers_get_a_schema_mismatch_naming_both(void)
{
	ews_client *c = (ews_client *)&c;
	ews_status st = ews_client_new_for_schema("V2018_01_08", OTHER_HASH, sizeof(ews_options), URL, NULL, &c);

	CU_ASSERT_EQUAL(st.code, EWS_ERR_SCHEMA_MISMATCH);
	CU_ASSERT_PTR_NULL(c);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "'V2018_01_08'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "'" EWS_SCHEMA_NAME "'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "0123456789ab"));
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, EWS_SCHEMA_PKG_NAME));
}

static void the_same_schema_name_with_other_bindings_is_refused(void)
{
	/* a set that kept its directory name but changed (a server's newer schema, another typemap) */
	ews_client *c = NULL;
	ews_status st = ews_client_new_for_schema(EWS_SCHEMA_NAME, OTHER_HASH, sizeof(ews_options), URL, NULL, &c);

	CU_ASSERT_EQUAL(st.code, EWS_ERR_SCHEMA_MISMATCH);
	CU_ASSERT_PTR_NULL(c);
}

static void another_libews_versions_options_are_refused(void)
{
	ews_client *c = NULL;
	ews_status st = ews_client_new_for_schema(EWS_SCHEMA_NAME, EWS_SCHEMA_BINDINGS_HASH, sizeof(ews_options) - 8,
	                                          URL, NULL, &c);

	CU_ASSERT_EQUAL(st.code, EWS_ERR_SCHEMA_MISMATCH);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "ews_options"));
	CU_ASSERT_PTR_NULL(c);
}

static void the_identity_check_comes_before_argument_checks_and_keeps_them(void)
{
	ews_client *c = NULL;
	ews_status st = ews_client_new_for_schema(EWS_SCHEMA_NAME, EWS_SCHEMA_BINDINGS_HASH, sizeof(ews_options),
	                                          "ftp://x", NULL, &c);

	CU_ASSERT_EQUAL(st.code, EWS_ERR_ARGUMENT);
	st = ews_client_new_for_schema(EWS_SCHEMA_NAME, EWS_SCHEMA_BINDINGS_HASH, sizeof(ews_options), URL, NULL, NULL);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_ARGUMENT);
	st = ews_client_new_for_schema(NULL, NULL, sizeof(ews_options), URL, NULL, &c);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_ARGUMENT);
}

static void the_library_name_says_which_schema(void)
{
	/* libews for our own set, libews-<set> for any other: what the Makefile installs and pkg-config finds */
	if (EWS_SCHEMA_IS_DEFAULT) {
		CU_ASSERT_STRING_EQUAL(EWS_SCHEMA_PKG_NAME, "libews");
	} else {
		CU_ASSERT_STRING_EQUAL(EWS_SCHEMA_PKG_NAME, "libews-" EWS_SCHEMA_NAME);
	}
	CU_ASSERT_EQUAL(strlen(EWS_SCHEMA_BINDINGS_HASH), 64);
	CU_ASSERT_STRING_NOT_EQUAL(EWS_SCHEMA_BINDINGS_HASH, EWS_SCHEMA_HASH);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "the headers of this build get a client", the_headers_of_this_build_get_a_client },
		{ "another schema's headers get a schema mismatch naming both",
		  another_schemas_headers_get_a_schema_mismatch_naming_both },
		{ "the same schema name with other bindings is refused", the_same_schema_name_with_other_bindings_is_refused },
		{ "another libews version's options are refused", another_libews_versions_options_are_refused },
		{ "the identity check keeps the argument checks", the_identity_check_comes_before_argument_checks_and_keeps_them },
		{ "the library name says which schema", the_library_name_says_which_schema },
		{ NULL, NULL }
	};
	return ews_test_run("schema identity", cases);
}
