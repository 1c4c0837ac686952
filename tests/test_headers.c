/* test_headers.c — SOAP headers (RequestServerVersion, ExchangeImpersonation, MailboxCulture, TimeZoneContext) and
 * the routing HTTP headers that go with impersonation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/ews.h"
#include "ews_test.h"
#include "ews_test_ews.h"

static ews_test_http *srv;
static ews_client *cli;

static void setup(void)
{
	srv = ews_test_http_start(0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(srv);
	cli = ews_test_client(srv);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cli);
}

static void teardown(void)
{
	ews_client_free(cli);
	ews_test_http_stop(srv);
}

/* Make one call and return the raw request (malloc'd). */
static char *one_call(void)
{
	struct __ewsmsg__GetFolderResponse r;
	char *b = ews_test_getfolder_response("Success", "NoError", NULL, NULL);
	int n = ews_test_http_request_count(srv);
	ews_test_queue_body(srv, 200, b);
	free(b);
	CU_ASSERT_EQUAL(ews_test_get_folder(cli, &r).code, EWS_OK);
	return ews_test_http_request(srv, n);
}

static void impersonation_by_smtp_sends_the_header_and_routing_hints(void)
{
	char *req, *anchor, *affinity;

	setup();
	CU_ASSERT_EQUAL(ews_client_set_impersonation(cli, EWS_IMPERSONATE_SMTP, "bob@contoso.com").code, EWS_OK);
	req = one_call();
	CU_ASSERT_PTR_NOT_NULL_FATAL(req);
	CU_ASSERT_PTR_NOT_NULL(strstr(req, "<t:ExchangeImpersonation><t:ConnectingSID><t:PrimarySmtpAddress>"
	                                   "bob@contoso.com</t:PrimarySmtpAddress></t:ConnectingSID>"
	                                   "</t:ExchangeImpersonation>"));
	anchor = ews_test_http_request_header(srv, 0, "X-AnchorMailbox");
	affinity = ews_test_http_request_header(srv, 0, "X-PreferServerAffinity");
	CU_ASSERT_STRING_EQUAL(anchor, "bob@contoso.com");
	CU_ASSERT_STRING_EQUAL(affinity, "true");
	free(anchor);
	free(affinity);
	free(req);
	/* cleared again: neither header nor hints */
	CU_ASSERT_EQUAL(ews_client_set_impersonation(cli, EWS_IMPERSONATE_SMTP, NULL).code, EWS_OK);
	req = one_call();
	CU_ASSERT_PTR_NULL(strstr(req, "ExchangeImpersonation"));
	anchor = ews_test_http_request_header(srv, 1, "X-AnchorMailbox");
	CU_ASSERT_PTR_NULL(anchor);
	free(anchor);
	free(req);
	teardown();
}

static void impersonation_by_sid_and_principal_name(void)
{
	char *req, *anchor;

	setup();
	CU_ASSERT_EQUAL(ews_client_set_impersonation(cli, EWS_IMPERSONATE_SID, "S-1-5-21-1-2-3-1104").code, EWS_OK);
	req = one_call();
	CU_ASSERT_PTR_NOT_NULL(strstr(req, "<t:ConnectingSID><t:SID>S-1-5-21-1-2-3-1104</t:SID>"));
	anchor = ews_test_http_request_header(srv, 0, "X-AnchorMailbox");
	CU_ASSERT_PTR_NULL(anchor); /* a SID is no mailbox address */
	free(anchor);
	free(req);
	CU_ASSERT_EQUAL(ews_client_set_impersonation(cli, EWS_IMPERSONATE_PRINCIPAL_NAME, "bob@corp.contoso.com").code, EWS_OK);
	req = one_call();
	CU_ASSERT_PTR_NOT_NULL(strstr(req, "<t:PrincipalName>bob@corp.contoso.com</t:PrincipalName>"));
	free(req);
	CU_ASSERT_EQUAL(ews_client_set_impersonation(cli, (ews_impersonation)9, "x").code, EWS_ERR_ARGUMENT);
	teardown();
}

static void culture_and_time_zone_are_sent(void)
{
	char *req;

	setup();
	CU_ASSERT_EQUAL(ews_client_set_culture(cli, "en-GB").code, EWS_OK);
	CU_ASSERT_EQUAL(ews_client_set_timezone(cli, "W. Europe Standard Time").code, EWS_OK);
	req = one_call();
	CU_ASSERT_PTR_NOT_NULL(strstr(req, "<t:MailboxCulture>en-GB</t:MailboxCulture>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(req, "<t:TimeZoneContext><t:TimeZoneDefinition "
	                                   "Id=\"W. Europe Standard Time\""));
	free(req);
	teardown();
}

static void a_version_override_applies_to_the_next_call_only(void)
{
	char *req;

	setup();
	CU_ASSERT_EQUAL(ews_client_set_server_version(cli, "Exchange2010_SP2").code, EWS_OK);
	CU_ASSERT_EQUAL(ews_client_set_next_call_server_version(cli, "V2017_07_11").code, EWS_OK);
	req = one_call();
	CU_ASSERT_PTR_NOT_NULL(strstr(req, "RequestServerVersion Version=\"V2017_07_11\""));
	free(req);
	req = one_call();
	CU_ASSERT_PTR_NOT_NULL(strstr(req, "RequestServerVersion Version=\"Exchange2010_SP2\""));
	free(req);
	teardown();
}

static void invalid_header_values_are_refused(void)
{
	setup();
	CU_ASSERT_EQUAL(ews_client_set_server_version(cli, "Exchange2013 SP1").code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_client_set_server_version(cli, "Office365").code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_client_set_next_call_server_version(cli, "\"><x").code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_client_set_impersonation(cli, EWS_IMPERSONATE_SMTP, "").code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_client_set_anchor_mailbox(cli, "a@b\r\nX-Evil: 1").code, EWS_ERR_ARGUMENT);
	teardown();
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "impersonation by SMTP address sends the header, X-AnchorMailbox and X-PreferServerAffinity",
		  impersonation_by_smtp_sends_the_header_and_routing_hints },
		{ "impersonation by SID and by principal name", impersonation_by_sid_and_principal_name },
		{ "culture and time zone are sent", culture_and_time_zone_are_sent },
		{ "a version override applies to the next call only", a_version_override_applies_to_the_next_call_only },
		{ "invalid header values are refused", invalid_header_values_are_refused },
		{ NULL, NULL }
	};
	return ews_test_run("headers", cases);
}
