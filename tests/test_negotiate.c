/* test_negotiate.c — HTTP Negotiate (Kerberos through GSSAPI/SPNEGO, NTLM as its fallback) between libews, ewsd
 * and curl, with tickets from a real MIT KDC the suite starts on loopback (tests/common/ews_test_kdc.c): the
 * realm EWS.TEST, the user alice, the service principal HTTP/127.0.0.1 whose keytab ewsd verifies tokens with.
 * Nothing here reads or writes the machine's own Kerberos configuration. */
#define _GNU_SOURCE /* strcasestr */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ews/ews.h"
#include "ews_builders.h"
#include "ews_test.h"
#include "ews_test_cli.h"
#include "ews_test_ews.h"
#include "ews_test_http.h"
#include "ews_test_kdc.h"
#include "ewsd_harness.h"

#define ALICE_PW "Kerb-alice-7x!"       /* alice's Kerberos password */
#define ALICE_NTLM_PW "ntlm-secret-42"  /* alice's password in ewsd's users file (the NTLM fallback) */
#define WRONG_PW "not-alices-pw-9"
#define BOB_PW "Kerb-bob-3y!"           /* bob has a Kerberos principal but no mailbox */

static struct ews_test_kdc kdc;
static int kdc_up;
static char users_file[512];
static char log_text[16384];

static void record_log(void *arg, ews_log_level level, const char *message)
{
	size_t used = strlen(log_text);
	(void)arg, (void)level;
	snprintf(log_text + used, sizeof log_text - used, "%s\n", message);
}

static int setup(void)
{
	FILE *f;
	if (ews_test_kdc_start(&kdc, "127.0.0.1"))
		return -1;
	kdc_up = 1;
	if (ews_test_kdc_add_user(&kdc, "alice", ALICE_PW) || ews_test_kdc_add_user(&kdc, "bob", BOB_PW))
		return -1;
	snprintf(users_file, sizeof users_file, "%s/users", kdc.dir);
	f = fopen(users_file, "w");
	if (!f)
		return -1;
	fprintf(f, "user alice@example.com %s\n", ALICE_NTLM_PW);
	return fclose(f);
}

/* ewsd with the users file, the keytab and the schemes given ("negotiate", "ntlm", ...). */
static int start_ewsd(struct ewsd_proc *p, const char *schemes)
{
	const char *extra[] = { "--users", users_file, "--keytab", kdc.keytab, "--auth-schemes", schemes, NULL };
	return ewsd_start(p, NULL, extra);
}

/* A Negotiate client for ewsd (user/password: the NTLM fallback, or NULL). */
static ews_client *negotiate_client(const struct ewsd_proc *p, const char *user, const char *password)
{
	ews_options o;
	ews_client *c = NULL;
	ews_options_init(&o);
	o.auth = EWS_AUTH_NEGOTIATE;
	o.user = user;
	o.password = password;
	o.io_timeout_s = o.connect_timeout_s = 10;
	o.max_attempts = 1;
	if (!ews_ok(ews_client_new(p->url, &o, &c)))
		return NULL;
	log_text[0] = '\0';
	ews_client_set_log(c, record_log, NULL);
	return c;
}

/* GetFolder of the inbox: one authenticated EWS call. */
static ews_status get_inbox(ews_client *c)
{
	struct ewsmsg__GetFolderType *req = EWS_NEW(c, ewsmsg__GetFolderType);
	struct __ewsmsg__GetFolderResponse resp;
	struct ewstype__DistinguishedFolderIdType *id;

	if (!req || !(req->FolderShape = EWS_NEW(c, ewstype__FolderResponseShapeType)) ||
	    !(id = ews_NonEmptyArrayOfBaseFolderIdsType_add_DistinguishedFolderId(c, &req->FolderIds)))
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	req->FolderShape->BaseShape = ewstype__DefaultShapeNamesType__IdOnly;
	id->Id = ewstype__DistinguishedFolderIdNameType__inbox;
	return ews_get_folder(c, req, &resp);
}

static char *ewsd_log_text(const struct ewsd_proc *p)
{
	char path[512];
	snprintf(path, sizeof path, "%s/ewsd.log", p->dir);
	return ews_test_read_file(path, NULL);
}

static void libews_logs_in_to_a_negotiate_only_ewsd_with_a_kerberos_ticket(void)
{
	struct ewsd_proc p;
	ews_client *c;
	char *log;

	CU_ASSERT_EQUAL_FATAL(ews_test_kdc_kinit(&kdc, "alice", ALICE_PW, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(start_ewsd(&p, "negotiate"), 0);
	c = negotiate_client(&p, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	for (int i = 0; i < 2; i++) {   /* a fresh token each request, on the kept-alive connection */
		ews_status st = get_inbox(c);
		CU_ASSERT_TRUE(ews_ok(st));
		if (!ews_ok(st))
			fprintf(stderr, "\n  %s\n  log: %s\n", st.message, log_text);
	}
	/* the server's final token was checked */
	CU_ASSERT_PTR_NOT_NULL(strstr(log_text, "server identity verified"));
	CU_ASSERT_PTR_NULL(strstr(log_text, "NTLM"));
	ews_client_free(c);
	ewsd_stop(&p, 1);
	log = ewsd_log_text(&p);
	CU_ASSERT_PTR_NOT_NULL(log && strstr(log, "alice@example.com"));     /* the principal's mailbox */
	if (!log || !strstr(log, "alice@example.com"))
		fprintf(stderr, "\n  ewsd log:\n%s\n", log ? log : "(none)");
	free(log);
	ewsd_stop(&p, 0);
}

static void curl_negotiate_with_a_ticket_from_the_test_kdc_logs_in_to_ewsd(void)
{
	struct ewsd_proc p;
	struct ews_test_cli_run r = { 0 };
	char body_path[512];
	FILE *f;

	CU_ASSERT_EQUAL_FATAL(ews_test_kdc_kinit(&kdc, "alice", ALICE_PW, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(start_ewsd(&p, "negotiate"), 0);
	snprintf(body_path, sizeof body_path, "%s/getfolder.xml", kdc.dir);
	f = fopen(body_path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope "
	      "xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" "
	      "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\" "
	      "xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\"><soap:Header>"
	      "<t:RequestServerVersion Version=\"Exchange2013_SP1\"/></soap:Header><soap:Body><m:GetFolder>"
	      "<m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape><m:FolderIds>"
	      "<t:DistinguishedFolderId Id=\"inbox\"/></m:FolderIds></m:GetFolder></soap:Body></soap:Envelope>", f);
	fclose(f);
	/* without credentials: 401 offering Negotiate only */
	ews_test_cli_run(&r, kdc.dir, "curl -s -S -m 20 -o /dev/null -D - -H 'Content-Type: text/xml' --data-binary @%s %s",
	                 body_path, p.url);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, " 401 "));
	CU_ASSERT_PTR_NOT_NULL(strcasestr(r.out, "WWW-Authenticate: Negotiate"));
	CU_ASSERT_PTR_NULL(strcasestr(r.out, "WWW-Authenticate: NTLM"));
	CU_ASSERT_PTR_NULL(strcasestr(r.out, "WWW-Authenticate: Basic"));
	/* curl's own GSSAPI, with the ticket from the test KDC */
	ews_test_cli_run(&r, kdc.dir, "curl -s -S -m 20 --negotiate -u : -D - -H 'Content-Type: text/xml' "
	                 "--data-binary @%s %s", body_path, p.url);
	CU_ASSERT_EQUAL(r.status, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "HTTP/1.1 200"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "ResponseClass=\"Success\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "GetFolderResponseMessage"));
	/* and the 200 carries the mutual-authentication token */
	CU_ASSERT_PTR_NOT_NULL(strcasestr(r.out, "\r\nWWW-Authenticate: Negotiate "));
	if (!strstr(r.out, "ResponseClass=\"Success\""))
		fprintf(stderr, "\n  curl: %d\n%s\n%s\n", r.status, r.out, r.err);
	ews_test_cli_run_free(&r);
	ewsd_stop(&p, 0);
}

static void without_a_ticket_after_a_wrong_password_libews_says_to_run_kinit(void)
{
	struct ewsd_proc p;
	ews_client *c;
	ews_status st;

	ews_test_kdc_kdestroy(&kdc);
	CU_ASSERT_NOT_EQUAL(ews_test_kdc_kinit(&kdc, "alice", WRONG_PW, NULL), 0);   /* the KDC refuses it */
	CU_ASSERT_EQUAL_FATAL(start_ewsd(&p, "negotiate"), 0);
	c = negotiate_client(&p, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	st = get_inbox(c);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_AUTH);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "Negotiate: no Kerberos ticket in the credential cache"));
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "run kinit"));
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, kdc.ccache));
	CU_ASSERT_PTR_NULL(strstr(st.message, WRONG_PW));
	CU_ASSERT_PTR_NULL(strstr(log_text, WRONG_PW));
	ews_client_free(c);
	ewsd_stop(&p, 0);
}

static void an_expired_ticket_gets_a_clear_error_and_no_secret_is_logged(void)
{
	struct ewsd_proc p;
	ews_client *c;
	ews_status st;

	CU_ASSERT_EQUAL_FATAL(ews_test_kdc_kinit(&kdc, "alice", ALICE_PW, "2s"), 0);
	sleep(3);
	CU_ASSERT_EQUAL_FATAL(start_ewsd(&p, "negotiate"), 0);
	c = negotiate_client(&p, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	st = get_inbox(c);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_AUTH);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "the Kerberos ticket of alice@" EWS_TEST_REALM));
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "has expired (run kinit again)"));
	if (!strstr(st.message, "the Kerberos ticket of alice@"))
		fprintf(stderr, "\n  %s\n", st.message);
	CU_ASSERT_PTR_NULL(strstr(st.message, ALICE_PW));
	CU_ASSERT_PTR_NULL(strstr(log_text, ALICE_PW));
	ews_client_free(c);
	ewsd_stop(&p, 0);
}

static void a_principal_without_a_mailbox_is_refused_with_a_401_naming_the_ticket(void)
{
	struct ewsd_proc p;
	ews_client *c;
	ews_status st;
	char *log;

	CU_ASSERT_EQUAL_FATAL(ews_test_kdc_kinit(&kdc, "bob", BOB_PW, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(start_ewsd(&p, "negotiate"), 0);
	c = negotiate_client(&p, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	st = get_inbox(c);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_AUTH);
	CU_ASSERT_EQUAL(st.http_status, 401);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "HTTP 401: the server refused the Kerberos ticket for HTTP/127.0.0.1"));
	ews_client_free(c);
	ewsd_stop(&p, 1);
	log = ewsd_log_text(&p);
	CU_ASSERT_PTR_NOT_NULL(log && strstr(log, "principal bob@" EWS_TEST_REALM " maps to no mailbox"));
	free(log);
	ewsd_stop(&p, 0);
}

static void a_url_host_without_a_service_principal_says_which_spn_the_kdc_lacks(void)
{
	struct ewsd_proc p;
	ews_options o;
	ews_client *c = NULL;
	char url[300];
	ews_status st;

	CU_ASSERT_EQUAL_FATAL(ews_test_kdc_kinit(&kdc, "alice", ALICE_PW, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(start_ewsd(&p, "negotiate"), 0);
	/* the realm has HTTP/127.0.0.1, not HTTP/localhost: the name in the URL is the name of the ticket asked for */
	snprintf(url, sizeof url, "http://localhost:%d/EWS/Exchange.asmx", p.port);
	ews_options_init(&o);
	o.auth = EWS_AUTH_NEGOTIATE;
	o.max_attempts = 1;
	CU_ASSERT_TRUE_FATAL(ews_ok(ews_client_new(url, &o, &c)));
	st = get_inbox(c);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_AUTH);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "Negotiate: the KDC does not know the service principal "
	                                          "HTTP/localhost (the server's SPN must match the host name in the URL)"));
	if (st.code != EWS_ERR_AUTH || !strstr(st.message, "HTTP/localhost"))
		fprintf(stderr, "\n  %s\n", st.message);
	ews_client_free(c);
	ewsd_stop(&p, 0);
}

static void without_a_ticket_the_password_logs_in_with_ntlm_inside_negotiate(void)
{
	struct ewsd_proc p;
	ews_client *c;
	ews_status st;

	ews_test_kdc_kdestroy(&kdc);
	CU_ASSERT_EQUAL_FATAL(start_ewsd(&p, "negotiate"), 0);   /* offers Negotiate only, accepts NTLM inside it */
	c = negotiate_client(&p, "alice", ALICE_NTLM_PW);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	st = get_inbox(c);
	CU_ASSERT_TRUE(ews_ok(st));
	if (!ews_ok(st))
		fprintf(stderr, "\n  %s\n  log: %s\n", st.message, log_text);
	CU_ASSERT_PTR_NOT_NULL(strstr(log_text, "no Kerberos ticket"));
	CU_ASSERT_PTR_NOT_NULL(strstr(log_text, "falling back to NTLM"));
	CU_ASSERT_PTR_NULL(strstr(log_text, ALICE_NTLM_PW));
	ews_client_free(c);
	ewsd_stop(&p, 0);
}

static void a_server_that_offers_only_ntlm_gets_the_ntlm_fallback(void)
{
	struct ewsd_proc p;
	ews_client *c;
	ews_status st;

	CU_ASSERT_EQUAL_FATAL(ews_test_kdc_kinit(&kdc, "alice", ALICE_PW, NULL), 0);  /* a ticket it cannot use */
	CU_ASSERT_EQUAL_FATAL(start_ewsd(&p, "ntlm"), 0);
	c = negotiate_client(&p, "alice", ALICE_NTLM_PW);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	for (int i = 0; i < 2; i++) {
		st = get_inbox(c);
		CU_ASSERT_TRUE(ews_ok(st));
		if (!ews_ok(st))
			fprintf(stderr, "\n  %s\n  log: %s\n", st.message, log_text);
	}
	CU_ASSERT_PTR_NOT_NULL(strstr(log_text, "the server offers NTLM, not Negotiate; falling back to NTLM"));
	ews_client_free(c);
	/* without a password there is nothing to fall back to: the error says what the server offers */
	c = negotiate_client(&p, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	st = get_inbox(c);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_AUTH);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "the server does not offer Negotiate (it offers: NTLM)"));
	ews_client_free(c);
	ewsd_stop(&p, 0);
}

/* A server whose 200 carries a Negotiate token that is not the answer to ours: not the server the ticket is for. */
static void a_final_token_that_fails_mutual_authentication_is_an_error(void)
{
	ews_test_http *s = ews_test_http_start(0);
	char *ok = ews_test_getfolder_response("Success", "NoError", NULL, NULL), *auth;
	ews_client *c;
	ews_status st;

	CU_ASSERT_EQUAL_FATAL(ews_test_kdc_kinit(&kdc, "alice", ALICE_PW, NULL), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	/* a SPNEGO NegTokenResp "accept-completed" carrying a bogus Kerberos AP-REP */
	ews_test_http_queue_simple(s, 200, "WWW-Authenticate: Negotiate oRQwEqADCgEAoQsGCSqGSIb3EgECAqIAAA==\r\n", ok);
	c = ews_test_client(s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_TRUE_FATAL(ews_ok(ews_client_set_negotiate_auth(c, NULL, NULL, NULL)));
	ews_client_set_retry(c, 1, 0, 0);
	st = get_inbox(c);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_AUTH);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "failed mutual authentication"));
	auth = ews_test_http_request_header(s, 0, "Authorization");
	CU_ASSERT_PTR_NOT_NULL(auth && !strncmp(auth, "Negotiate YII", 13));   /* SPNEGO's [APPLICATION 0] */
	free(auth);
	free(ok);
	ews_client_free(c);
	ews_test_http_stop(s);
}

static void bad_negotiate_tokens_get_a_401_and_ewsd_keeps_serving(void)
{
	static const char *const tokens[] = {
		"Negotiate", "Negotiate ", "Negotiate !!!notbase64", "Negotiate YIIBAAAA", "Negotiate YA==",
		"Negotiate oRQwEqADCgEAoQsGCSqGSIb3EgECAqIAAA==", "Negotiate TlRMTVNTUAAD", NULL };
	struct ewsd_proc p;
	struct http_resp r;
	char hdr[256];

	CU_ASSERT_EQUAL_FATAL(start_ewsd(&p, "negotiate"), 0);
	for (int i = 0; tokens[i]; i++) {
		snprintf(hdr, sizeof hdr, "Authorization: %s\r\nContent-Type: text/xml\r\n", tokens[i]);
		CU_ASSERT_EQUAL(http_request(&p, "POST", "/EWS/Exchange.asmx", hdr, "<x/>", 4, &r), 0);
		CU_ASSERT_EQUAL(r.status, 401);
		CU_ASSERT_PTR_NOT_NULL(r.headers && strcasestr(r.headers, "WWW-Authenticate: Negotiate"));
		http_resp_free(&r);
	}
	/* still serving: a good ticket logs in afterwards */
	CU_ASSERT_EQUAL_FATAL(ews_test_kdc_kinit(&kdc, "alice", ALICE_PW, NULL), 0);
	ews_client *c = negotiate_client(&p, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_TRUE(ews_ok(get_inbox(c)));
	ews_client_free(c);
	CU_ASSERT_EQUAL(ewsd_stop(&p, 0), 0);
}

static void ews_auth_negotiate_selects_negotiate_and_a_half_credential_is_refused(void)
{
	ews_options o;
	ews_client *c = NULL;
	ews_options_init(&o);
	setenv("EWS_AUTH", "negotiate", 1);
	CU_ASSERT_TRUE(ews_ok(ews_options_from_env(&o)));
	CU_ASSERT_EQUAL(o.auth, EWS_AUTH_NEGOTIATE);
	unsetenv("EWS_AUTH");
	o.url = "http://127.0.0.1:1/EWS/Exchange.asmx";
	o.user = "alice";   /* a user without a password: the NTLM fallback could never work */
	ews_status st = ews_client_new(NULL, &o, &c);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_ARGUMENT);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "both a user and a password"));
	CU_ASSERT_PTR_NULL(c);
}

static void a_tool_logs_in_with_auth_negotiate_and_explains_a_missing_ticket(void)
{
	struct ewsd_proc p;
	struct ews_test_cli_run r = { 0 };

	CU_ASSERT_EQUAL_FATAL(ews_test_kdc_kinit(&kdc, "alice", ALICE_PW, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(start_ewsd(&p, "negotiate"), 0);
	ews_test_cli_run(&r, kdc.dir, "env -u EWS_USER -u EWS_PASSWORD -u EWS_TOKEN %s/bin/ews-get-folder --url %s "
	                 "--auth negotiate inbox", ews_test_build_dir(), p.url);
	CU_ASSERT_EQUAL(r.status, 0);
	if (r.status)
		fprintf(stderr, "\n  %s%s\n", r.out, r.err);
	ews_test_kdc_kdestroy(&kdc);
	ews_test_cli_run(&r, kdc.dir, "env -u EWS_USER -u EWS_PASSWORD -u EWS_TOKEN %s/bin/ews-get-folder --url %s "
	                 "--auth negotiate inbox", ews_test_build_dir(), p.url);
	CU_ASSERT_NOT_EQUAL(r.status, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "no Kerberos ticket in the credential cache"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "kinit"));
	ews_test_cli_run_free(&r);
	ewsd_stop(&p, 0);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "libews logs in to a Negotiate-only ewsd with a Kerberos ticket",
		  libews_logs_in_to_a_negotiate_only_ewsd_with_a_kerberos_ticket },
		{ "curl --negotiate with a ticket from the test KDC logs in to ewsd",
		  curl_negotiate_with_a_ticket_from_the_test_kdc_logs_in_to_ewsd },
		{ "without a ticket (after a wrong password) libews says to run kinit",
		  without_a_ticket_after_a_wrong_password_libews_says_to_run_kinit },
		{ "an expired ticket gets a clear error and no secret is logged",
		  an_expired_ticket_gets_a_clear_error_and_no_secret_is_logged },
		{ "a principal without a mailbox is refused with a 401 naming the ticket",
		  a_principal_without_a_mailbox_is_refused_with_a_401_naming_the_ticket },
		{ "a URL host without a service principal says which SPN the KDC lacks",
		  a_url_host_without_a_service_principal_says_which_spn_the_kdc_lacks },
		{ "without a ticket the password logs in with NTLM inside Negotiate",
		  without_a_ticket_the_password_logs_in_with_ntlm_inside_negotiate },
		{ "a server that offers only NTLM gets the NTLM fallback", a_server_that_offers_only_ntlm_gets_the_ntlm_fallback },
		{ "a final token that fails mutual authentication is an error",
		  a_final_token_that_fails_mutual_authentication_is_an_error },
		{ "bad Negotiate tokens get a 401 and ewsd keeps serving", bad_negotiate_tokens_get_a_401_and_ewsd_keeps_serving },
		{ "EWS_AUTH=negotiate selects Negotiate and a half credential is refused",
		  ews_auth_negotiate_selects_negotiate_and_a_half_credential_is_refused },
		{ "a tool logs in with --auth negotiate and explains a missing ticket",
		  a_tool_logs_in_with_auth_negotiate_and_explains_a_missing_ticket },
		{ NULL, NULL } };
	int rc;

	if (setup()) {
		fprintf(stderr, "test_negotiate: the test KDC could not be set up (krb5-kdc, krb5-admin-server, krb5-user "
		        "installed? `make deps`)\n");
		if (kdc_up)
			ews_test_kdc_stop(&kdc);
		return 1;
	}
	rc = ews_test_run("negotiate", cases);
	ews_test_kdc_stop(&kdc);
	return rc;
}
