/* test_options.c — client options from the environment, and creating clients from them. */
#include <stdlib.h>
#include <string.h>

#include "ews/ews.h"
#include "ews_test.h"

static void clear_env(void)
{
	static const char *vars[] = { "EWS_URL", "EWS_AUTH", "EWS_USER", "EWS_PASSWORD", "EWS_DOMAIN", "EWS_TOKEN",
	                              "EWS_OAUTH2_TOKEN_URL", "EWS_OAUTH2_CLIENT_ID", "EWS_OAUTH2_CLIENT_SECRET",
	                              "EWS_OAUTH2_SCOPE", "EWS_VERSION", "EWS_IMPERSONATE", "EWS_CULTURE", "EWS_TIMEZONE",
	                              "EWS_CA_FILE", "EWS_CA_DIR", "EWS_INSECURE", "EWS_PROXY", "EWS_PROXY_USER",
	                              "EWS_PROXY_PASSWORD", "EWS_TIMEOUT" };
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
		unsetenv(vars[i]);
}

static void every_variable_is_read(void)
{
	ews_options o;

	clear_env();
	setenv("EWS_URL", "https://mail.contoso.com/EWS/Exchange.asmx", 1);
	setenv("EWS_AUTH", "NTLM", 1);
	setenv("EWS_USER", "CONTOSO\\bob", 1);
	setenv("EWS_PASSWORD", "pw", 1);
	setenv("EWS_VERSION", "Exchange2016", 1);
	setenv("EWS_IMPERSONATE", "alice@contoso.com", 1);
	setenv("EWS_CA_FILE", "/etc/ca.pem", 1);
	setenv("EWS_INSECURE", "1", 1);
	setenv("EWS_PROXY", "http://proxy.contoso.com:3128/", 1);
	setenv("EWS_TIMEOUT", "45", 1);
	setenv("EWS_CULTURE", "de-DE", 1);
	setenv("EWS_TIMEZONE", "W. Europe Standard Time", 1);
	ews_options_init(&o);
	CU_ASSERT_EQUAL_FATAL(ews_options_from_env(&o).code, EWS_OK);
	CU_ASSERT_STRING_EQUAL(o.url, "https://mail.contoso.com/EWS/Exchange.asmx");
	CU_ASSERT_EQUAL(o.auth, EWS_AUTH_NTLM);
	CU_ASSERT_STRING_EQUAL(o.user, "CONTOSO\\bob");
	CU_ASSERT_STRING_EQUAL(o.password, "pw");
	CU_ASSERT_STRING_EQUAL(o.server_version, "Exchange2016");
	CU_ASSERT_STRING_EQUAL(o.impersonate, "alice@contoso.com");
	CU_ASSERT_STRING_EQUAL(o.ca_file, "/etc/ca.pem");
	CU_ASSERT_EQUAL(o.insecure, 1);
	CU_ASSERT_STRING_EQUAL(o.proxy, "http://proxy.contoso.com:3128/");
	CU_ASSERT_EQUAL(o.io_timeout_s, 45);
	CU_ASSERT_STRING_EQUAL(o.culture, "de-DE");
	CU_ASSERT_STRING_EQUAL(o.timezone, "W. Europe Standard Time");
	clear_env();
}

static void the_method_is_guessed_when_unset(void)
{
	ews_options o;

	clear_env();
	setenv("EWS_USER", "bob", 1);
	setenv("EWS_PASSWORD", "pw", 1);
	ews_options_init(&o);
	CU_ASSERT_EQUAL(ews_options_from_env(&o).code, EWS_OK);
	CU_ASSERT_EQUAL(o.auth, EWS_AUTH_BASIC);
	setenv("EWS_TOKEN", "eyJ0", 1);
	ews_options_init(&o);
	CU_ASSERT_EQUAL(ews_options_from_env(&o).code, EWS_OK);
	CU_ASSERT_EQUAL(o.auth, EWS_AUTH_BEARER);
	clear_env();
	setenv("EWS_OAUTH2_CLIENT_ID", "id", 1);
	setenv("EWS_OAUTH2_CLIENT_SECRET", "s", 1);
	ews_options_init(&o);
	CU_ASSERT_EQUAL(ews_options_from_env(&o).code, EWS_OK);
	CU_ASSERT_EQUAL(o.auth, EWS_AUTH_OAUTH2);
	clear_env();
}

static void bad_values_are_refused(void)
{
	ews_options o;

	clear_env();
	setenv("EWS_AUTH", "kerberos", 1);
	ews_options_init(&o);
	CU_ASSERT_EQUAL(ews_options_from_env(&o).code, EWS_ERR_ARGUMENT);
	clear_env();
	setenv("EWS_TIMEOUT", "10s", 1);
	CU_ASSERT_EQUAL(ews_options_from_env(&o).code, EWS_ERR_ARGUMENT);
	clear_env();
	setenv("EWS_PROXY", "proxy:99999", 1);
	setenv("EWS_URL", "http://127.0.0.1:1/EWS/Exchange.asmx", 1);
	ews_options_init(&o);
	CU_ASSERT_EQUAL(ews_options_from_env(&o).code, EWS_OK);
	{
		ews_client *c = NULL;
		CU_ASSERT_EQUAL(ews_client_new(NULL, &o, &c).code, EWS_ERR_ARGUMENT); /* port out of range */
		CU_ASSERT_PTR_NULL(c);
	}
	clear_env();
	CU_ASSERT_EQUAL(ews_options_from_env(NULL).code, EWS_ERR_ARGUMENT);
}

static void a_client_is_created_from_the_environment(void)
{
	ews_options o;
	ews_client *c = NULL;

	clear_env();
	setenv("EWS_URL", "http://127.0.0.1:1/EWS/Exchange.asmx", 1);
	setenv("EWS_USER", "bob", 1);
	setenv("EWS_PASSWORD", "pw", 1);
	setenv("EWS_VERSION", "Exchange2010_SP2", 1);
	ews_options_init(&o);
	CU_ASSERT_EQUAL_FATAL(ews_options_from_env(&o).code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(ews_client_new(NULL, &o, &c).code, EWS_OK);
	CU_ASSERT_STRING_EQUAL(ews_client_url(c), "http://127.0.0.1:1/EWS/Exchange.asmx");
	CU_ASSERT_PTR_NOT_NULL(ews_client_soap(c));
	CU_ASSERT_PTR_NOT_NULL(ews_client_arena(c));
	CU_ASSERT_PTR_NOT_EQUAL(ews_client_soap(c), ews_client_arena(c));
	ews_client_free(c);
	/* a bad version or half-given credentials fail creation */
	o.server_version = "Exchange 2010";
	CU_ASSERT_EQUAL(ews_client_new(NULL, &o, &c).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_PTR_NULL(c);
	o.server_version = NULL;
	o.password = NULL;
	CU_ASSERT_EQUAL(ews_client_new(NULL, &o, &c).code, EWS_ERR_ARGUMENT);
	clear_env();
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "every variable is read", every_variable_is_read },
		{ "the method is guessed when EWS_AUTH is unset", the_method_is_guessed_when_unset },
		{ "bad values are refused", bad_values_are_refused },
		{ "a client is created from the environment", a_client_is_created_from_the_environment },
		{ NULL, NULL }
	};
	return ews_test_run("options", cases);
}
