/* test_autodiscover_auth.c — autodiscover with the credentials of an on-premises Exchange: NTLM against an ewsd
 * that offers only NTLM, Negotiate (Kerberos) with tickets from a real MIT KDC on loopback (tests/common/
 * ews_test_kdc.c: realm EWS.TEST, service principals HTTP/example.com for autodiscover and HTTP/127.0.0.1 for
 * the EWS URL ewsd announces), and the rule that no credential goes over plain HTTP. ewsd runs over TLS with a
 * certificate made here for example.com and 127.0.0.1; the candidate hosts are mapped to it with the resolve
 * overrides, so the machine's resolver is never asked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "ews/ews.h"
#include "ews_test.h"
#include "ews_test_cli.h"
#include "ews_test_http.h"
#include "ews_test_kdc.h"
#include "ewsd_harness.h"

#define ALICE_PW "ad-secret-4u"         /* alice's password in ewsd's users file (NTLM) */
#define ALICE_KRB_PW "Kerb-alice-8z!"   /* alice's Kerberos password */
#define WRONG_PW "not-alices-pw-5"

static struct ews_test_kdc kdc;
static int kdc_up;
static char certdir[64];                /* ca.pem; server.pem (key + certificate) */
static char log_text[32768];

static void on_log(void *arg, ews_log_level level, const char *message)
{
	size_t used = strlen(log_text);
	(void)arg, (void)level;
	if (used + strlen(message) + 2 < sizeof log_text)
		snprintf(log_text + used, sizeof log_text - used, "%s\n", message);
}

static int make_cert(void)
{
	char cmd[1024];
	snprintf(certdir, sizeof certdir, "/tmp/ews-adauth.XXXXXX");
	if (!mkdtemp(certdir))
		return -1;
	snprintf(cmd, sizeof cmd, "cd %s && openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out ca.pem "
		 "-days 2 -subj /CN=example.com -addext 'subjectAltName=DNS:example.com,DNS:autodiscover.example.com,"
		 "IP:127.0.0.1' >/dev/null 2>&1 && cat key.pem ca.pem > server.pem", certdir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *ca_file(void)
{
	static char path[128];
	snprintf(path, sizeof path, "%s/ca.pem", certdir);
	return path;
}

/* A free loopback port (bound and released), so that ewsd can announce its own EWS URL. */
static int free_port(void)
{
	struct sockaddr_in a;
	socklen_t n = sizeof a;
	int s = socket(AF_INET, SOCK_STREAM, 0), port = 0;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s >= 0 && !bind(s, (struct sockaddr *)&a, sizeof a) && !getsockname(s, (struct sockaddr *)&a, &n))
		port = ntohs(a.sin_port);
	if (s >= 0)
		close(s);
	return port;
}

/* ewsd over TLS with our certificate, alice's mailbox, the keytab, the schemes given ("ntlm", "negotiate" ...),
 * announcing its loopback URL as the EWS URL (the tools go on to it; the request's origin is example.com). */
static int start_ewsd(struct ewsd_proc *p, const char *schemes)
{
	char dir[64], cmd[256], users[128], listen[64], ews_url[128];
	const char *args[16];
	int n = 0, port = free_port();
	FILE *f;

	snprintf(dir, sizeof dir, "/tmp/ewsd-adauth.XXXXXX");
	if (port <= 0 || !mkdtemp(dir))
		return -1;
	snprintf(cmd, sizeof cmd, "cp %s/server.pem %s/ewsd.pem", certdir, dir);
	if (system(cmd))
		return -1;
	snprintf(users, sizeof users, "%s/users", dir);
	if (!(f = fopen(users, "w")))
		return -1;
	fprintf(f, "user alice@example.com %s\n", ALICE_PW);
	fclose(f);
	snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
	snprintf(ews_url, sizeof ews_url, "https://127.0.0.1:%d/EWS/Exchange.asmx", port);
	args[n++] = "--tls";
	args[n++] = "--listen";
	args[n++] = listen;
	args[n++] = "--autodiscover-ews-url";
	args[n++] = ews_url;
	args[n++] = "--users";
	args[n++] = users;
	args[n++] = "--auth-schemes";
	args[n++] = schemes;
	args[n++] = "--keytab";
	args[n++] = kdc.keytab;
	args[n] = NULL;
	return ewsd_start(p, dir, args);
}

/* The resolve map: example.com to ewsd, every other candidate closed. */
struct fixture {
	struct ewsd_proc p;
	char e[3][300];
	const char *list[4];
	ews_options o;
	ews_autodiscover_options ao;
	ews_autodiscover_result r;
};

static int no_srv(void *arg, const char *name, char *target, size_t cap, int *port)
{
	(void)arg, (void)name, (void)target, (void)cap, (void)port;
	return -1;
}

/* example.com:443 to `port`, autodiscover.example.com (443, and 80 for the probe) to `probe_port` (1: closed). */
static void fixture_options(struct fixture *f, int port, int probe_port, ews_auth auth, const char *user,
			    const char *password)
{
	snprintf(f->e[0], sizeof f->e[0], "example.com:443:127.0.0.1:%d", port);
	snprintf(f->e[1], sizeof f->e[1], "autodiscover.example.com:443:127.0.0.1:1");
	snprintf(f->e[2], sizeof f->e[2], "autodiscover.example.com:80:127.0.0.1:%d", probe_port);
	for (int i = 0; i < 3; i++)
		f->list[i] = f->e[i];
	f->list[3] = NULL;
	ews_options_init(&f->o);
	f->o.auth = auth;
	f->o.user = user;
	f->o.password = password;
	f->o.ca_file = ca_file();
	f->o.connect_timeout_s = 5;
	f->o.io_timeout_s = 10;
	ews_autodiscover_options_init(&f->ao);
	f->ao.client = &f->o;
	f->ao.resolve = f->list;
	f->ao.srv_lookup = no_srv;
	f->ao.log = on_log;
	log_text[0] = '\0';
}

static int fixture_start(struct fixture *f, const char *schemes)
{
	memset(f, 0, sizeof *f);
	return start_ewsd(&f->p, schemes);
}

static void ntlm_against_an_ntlm_only_ewsd_finds_the_ews_url(void)
{
	struct fixture f;
	ews_status st;

	CU_ASSERT_EQUAL_FATAL(fixture_start(&f, "ntlm"), 0);
	fixture_options(&f, f.p.port, 1, EWS_AUTH_NTLM, "alice@example.com", ALICE_PW);
	st = ews_autodiscover("alice@example.com", &f.ao, &f.r);
	CU_ASSERT_TRUE(ews_ok(st));
	if (!ews_ok(st))
		fprintf(stderr, "\n  %s\n  log: %s\n", st.message, log_text);
	CU_ASSERT_EQUAL(f.r.protocol, EWS_AUTODISCOVER_SOAP);
	CU_ASSERT_PTR_NOT_NULL(strstr(f.r.ews_url, "https://127.0.0.1:"));
	CU_ASSERT_STRING_EQUAL(f.r.autodiscover_url, "https://example.com/autodiscover/autodiscover.svc");
	/* the handshake of EWS calls: negotiate, the server's challenge, the answer on the same connection */
	CU_ASSERT_PTR_NOT_NULL(strstr(log_text, "NTLM: starting the handshake"));
	CU_ASSERT_PTR_NOT_NULL(strstr(log_text, "NTLM: answering the server's challenge"));
	CU_ASSERT_PTR_NOT_NULL(strstr(log_text, "NTLM: the connection is authenticated"));
	CU_ASSERT_PTR_NULL(strstr(log_text, ALICE_PW));
	/* POX as well */
	fixture_options(&f, f.p.port, 1, EWS_AUTH_NTLM, "alice@example.com", ALICE_PW);
	f.ao.protocols = EWS_AUTODISCOVER_POX;
	st = ews_autodiscover("alice@example.com", &f.ao, &f.r);
	CU_ASSERT_TRUE(ews_ok(st));
	CU_ASSERT_EQUAL(f.r.protocol, EWS_AUTODISCOVER_POX);
	ewsd_stop(&f.p, 0);
}

static void a_wrong_ntlm_password_is_the_clear_401_message(void)
{
	struct fixture f;
	ews_status st;

	CU_ASSERT_EQUAL_FATAL(fixture_start(&f, "ntlm"), 0);
	fixture_options(&f, f.p.port, 1, EWS_AUTH_NTLM, "alice@example.com", WRONG_PW);
	st = ews_autodiscover("alice@example.com", &f.ao, &f.r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_AUTH);
	CU_ASSERT_EQUAL(st.http_status, 401);
	CU_ASSERT_STRING_EQUAL(st.message, "autodiscover: https://example.com/autodiscover/autodiscover.svc refused "
				"the credentials of alice@example.com (HTTP 401)");
	CU_ASSERT_PTR_NULL(strstr(log_text, WRONG_PW));
	/* the handshake went as far as the answer to the challenge: the password was tried, not the scheme refused */
	CU_ASSERT_PTR_NOT_NULL(strstr(log_text, "NTLM: answering the server's challenge"));
	ewsd_stop(&f.p, 0);
}

static void ntlm_to_a_server_without_ntlm_says_what_it_offers(void)
{
	struct fixture f;
	ews_status st;

	CU_ASSERT_EQUAL_FATAL(fixture_start(&f, "basic"), 0);
	fixture_options(&f, f.p.port, 1, EWS_AUTH_NTLM, "alice@example.com", ALICE_PW);
	st = ews_autodiscover("alice@example.com", &f.ao, &f.r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_AUTH);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "refused the credentials of alice@example.com (HTTP 401): the server "
					  "did not answer the NTLM negotiation (it offers: Basic)"));
	if (!strstr(st.message, "it offers: Basic"))
		fprintf(stderr, "\n  %s\n", st.message);
	ewsd_stop(&f.p, 0);
}

static void negotiate_with_a_kerberos_ticket_finds_the_ews_url_with_mutual_authentication(void)
{
	struct fixture f;
	ews_status st;

	CU_ASSERT_EQUAL_FATAL(ews_test_kdc_kinit(&kdc, "alice", ALICE_KRB_PW, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(fixture_start(&f, "negotiate"), 0);
	fixture_options(&f, f.p.port, 1, EWS_AUTH_NEGOTIATE, NULL, NULL);
	st = ews_autodiscover("alice@example.com", &f.ao, &f.r);
	CU_ASSERT_TRUE(ews_ok(st));
	if (!ews_ok(st))
		fprintf(stderr, "\n  %s\n  log: %s\n", st.message, log_text);
	CU_ASSERT_PTR_NOT_NULL(strstr(f.r.ews_url, "https://127.0.0.1:"));
	/* the ticket for the autodiscover host's own principal, and the server's final token checked */
	CU_ASSERT_PTR_NOT_NULL(strstr(log_text, "Negotiate: sending a Kerberos ticket for HTTP/example.com"));
	CU_ASSERT_PTR_NOT_NULL(strstr(log_text, "Negotiate: authenticated with Kerberos, server identity verified"));
	CU_ASSERT_PTR_NULL(strstr(log_text, "NTLM"));
	ewsd_stop(&f.p, 0);
}

static void negotiate_without_a_ticket_says_to_run_kinit_and_falls_back_to_ntlm_with_a_password(void)
{
	struct fixture f;
	ews_status st;

	ews_test_kdc_kdestroy(&kdc);
	CU_ASSERT_EQUAL_FATAL(fixture_start(&f, "negotiate"), 0);
	fixture_options(&f, f.p.port, 1, EWS_AUTH_NEGOTIATE, NULL, NULL);
	st = ews_autodiscover("alice@example.com", &f.ao, &f.r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_AUTH);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "autodiscover: Negotiate: no Kerberos ticket in the credential cache"));
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "run kinit"));
	/* with a password, NTLM inside Negotiate (as Windows does) */
	fixture_options(&f, f.p.port, 1, EWS_AUTH_NEGOTIATE, "alice@example.com", ALICE_PW);
	st = ews_autodiscover("alice@example.com", &f.ao, &f.r);
	CU_ASSERT_TRUE(ews_ok(st));
	if (!ews_ok(st))
		fprintf(stderr, "\n  %s\n  log: %s\n", st.message, log_text);
	CU_ASSERT_PTR_NOT_NULL(strstr(log_text, "falling back to NTLM"));
	CU_ASSERT_PTR_NULL(strstr(log_text, ALICE_PW));
	ewsd_stop(&f.p, 0);
}

/* The unauthenticated probe of step 3 is the one plain-HTTP request: a listener that records it sees no
 * Authorization header, whatever the scheme (a Kerberos ticket in the cache, NTLM and Basic passwords). */
static void no_credential_goes_over_plain_http(void)
{
	static const ews_auth schemes[] = { EWS_AUTH_NTLM, EWS_AUTH_NEGOTIATE, EWS_AUTH_BASIC };
	ews_test_http *probe;
	const char *u;
	int port;

	CU_ASSERT_EQUAL_FATAL(ews_test_kdc_kinit(&kdc, "alice", ALICE_KRB_PW, NULL), 0);
	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
		struct fixture f;
		ews_status st;
		char *auth, *req;

		probe = ews_test_http_start(0);
		CU_ASSERT_PTR_NOT_NULL_FATAL(probe);
		u = strstr(ews_test_http_url(probe), "127.0.0.1:");
		port = u ? atoi(u + 10) : 0;
		CU_ASSERT_FATAL(port > 0);
		/* a redirect to a plain-HTTP URL: must not be followed either */
		ews_test_http_queue_simple(probe, 302, "Location: http://example.com/autodiscover/autodiscover.xml\r\n", NULL);
		memset(&f, 0, sizeof f);
		fixture_options(&f, 1, port, schemes[i], "alice@example.com", ALICE_PW);
		st = ews_autodiscover("alice@example.com", &f.ao, &f.r);
		CU_ASSERT_FALSE(ews_ok(st));
		CU_ASSERT_EQUAL(ews_test_http_request_count(probe), 1);
		req = ews_test_http_request(probe, 0);
		CU_ASSERT_PTR_NOT_NULL(req && !strncmp(req, "GET /autodiscover/autodiscover.xml", 34));
		auth = ews_test_http_request_header(probe, 0, "Authorization");
		CU_ASSERT_PTR_NULL(auth);
		CU_ASSERT_PTR_NULL(req ? strstr(req, ALICE_PW) : NULL);
		CU_ASSERT_PTR_NOT_NULL(strstr(log_text, "redirects to a non-https URL"));
		free(auth);
		free(req);
		ews_test_http_stop(probe);
	}
}

/* The tools: --auth ntlm / --auth negotiate with --email, end to end (autodiscover, then the EWS call). */
static void a_tool_finds_ewsd_with_auth_ntlm_and_auth_negotiate_and_exits_3_on_a_wrong_password(void)
{
	struct ewsd_proc p;
	struct ews_test_cli_run run = { 0 };
	char env[1024];

	CU_ASSERT_EQUAL_FATAL(start_ewsd(&p, "ntlm"), 0);
	snprintf(env, sizeof env, "EWS_URL= EWS_USER= EWS_TOKEN= EWS_AUTH= EWS_AUTODISCOVER_CACHE= EWS_AUTODISCOVER_SRV=none "
		 "EWS_AUTODISCOVER_RESOLVE=example.com:443:127.0.0.1:%d,autodiscover.example.com:443:127.0.0.1:1,"
		 "autodiscover.example.com:80:127.0.0.1:1", p.port);
	ews_test_cli_run(&run, certdir, "%s EWS_PASSWORD=%s ews-find-folders --auth ntlm --email alice@example.com "
			 "--ca-file %s -v", env, ALICE_PW, ca_file());
	CU_ASSERT_EQUAL(run.status, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "Inbox"));
	CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "SOAP answer from https://example.com/autodiscover/autodiscover.svc"));
	if (run.status)
		fprintf(stderr, "\n%s\n%s\n", run.out, run.err);
	ews_test_cli_run(&run, certdir, "%s EWS_PASSWORD=%s ews-find-folders --auth ntlm --email alice@example.com "
			 "--ca-file %s", env, WRONG_PW, ca_file());
	CU_ASSERT_EQUAL(run.status, 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "ews-find-folders: autodiscover: https://example.com/autodiscover/"
					 "autodiscover.svc refused the credentials of alice@example.com (HTTP 401)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "check --user/--password"));
	CU_ASSERT_PTR_NULL(strstr(run.err, WRONG_PW));
	ewsd_stop(&p, 0);

	CU_ASSERT_EQUAL_FATAL(ews_test_kdc_kinit(&kdc, "alice", ALICE_KRB_PW, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(start_ewsd(&p, "negotiate"), 0);
	snprintf(env, sizeof env, "EWS_URL= EWS_USER= EWS_PASSWORD= EWS_TOKEN= EWS_AUTH= EWS_AUTODISCOVER_CACHE= "
		 "EWS_AUTODISCOVER_SRV=none EWS_AUTODISCOVER_RESOLVE=example.com:443:127.0.0.1:%d,"
		 "autodiscover.example.com:443:127.0.0.1:1,autodiscover.example.com:80:127.0.0.1:1", p.port);
	ews_test_cli_run(&run, certdir, "%s ews-find-folders --auth negotiate --email alice@example.com --ca-file %s -v",
			 env, ca_file());
	CU_ASSERT_EQUAL(run.status, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "Inbox"));
	CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "Negotiate: sending a Kerberos ticket for HTTP/example.com"));
	if (run.status)
		fprintf(stderr, "\n%s\n%s\n", run.out, run.err);
	/* no ticket: exit 3 and the tools' Kerberos hint */
	ews_test_kdc_kdestroy(&kdc);
	ews_test_cli_run(&run, certdir, "%s ews-find-folders --auth negotiate --email alice@example.com --ca-file %s",
			 env, ca_file());
	CU_ASSERT_EQUAL(run.status, 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "ews-find-folders: autodiscover: Negotiate: no Kerberos ticket in the "
					 "credential cache"));
	CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "check the Kerberos ticket (klist; kinit USER@REALM)"));
	ews_test_cli_run_free(&run);
	ewsd_stop(&p, 0);
}

static void oauth2_and_unusable_credentials_are_refused_before_anything_is_sent(void)
{
	ews_autodiscover_options ao;
	ews_autodiscover_result r;
	ews_options o;
	ews_status st;

	ews_autodiscover_options_init(&ao);
	ews_options_init(&o);
	ao.client = &o;
	ao.srv_lookup = no_srv;
	ao.skip_http_redirect = 1;
	o.auth = EWS_AUTH_OAUTH2;
	st = ews_autodiscover("a@example.invalid", &ao, &r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_UNSUPPORTED);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "OAuth2 tokens are not fetched by autodiscover"));
	/* NTLM without a password: the client's own complaint, once, not a network failure */
	o.auth = EWS_AUTH_NTLM;
	o.user = "alice";
	st = ews_autodiscover("a@example.invalid", &ao, &r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_ARGUMENT);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "autodiscover: "));
	if (st.code != EWS_ERR_ARGUMENT)
		fprintf(stderr, "\n  %s\n", st.message);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "NTLM against an NTLM-only ewsd finds the EWS URL", ntlm_against_an_ntlm_only_ewsd_finds_the_ews_url },
		{ "a wrong NTLM password is the clear 401 message", a_wrong_ntlm_password_is_the_clear_401_message },
		{ "NTLM to a server without NTLM says what it offers", ntlm_to_a_server_without_ntlm_says_what_it_offers },
		{ "Negotiate with a Kerberos ticket finds the EWS URL with mutual authentication",
		  negotiate_with_a_kerberos_ticket_finds_the_ews_url_with_mutual_authentication },
		{ "Negotiate without a ticket says to run kinit, and falls back to NTLM with a password",
		  negotiate_without_a_ticket_says_to_run_kinit_and_falls_back_to_ntlm_with_a_password },
		{ "no credential goes over plain HTTP", no_credential_goes_over_plain_http },
		{ "a tool finds ewsd with --auth ntlm and --auth negotiate and exits 3 on a wrong password",
		  a_tool_finds_ewsd_with_auth_ntlm_and_auth_negotiate_and_exits_3_on_a_wrong_password },
		{ "OAuth2 and unusable credentials are refused before anything is sent",
		  oauth2_and_unusable_credentials_are_refused_before_anything_is_sent },
		{ NULL, NULL }
	};
	char cmd[128];
	int rc;

	if (make_cert()) {
		fprintf(stderr, "cannot make a test certificate with openssl\n");
		return 1;
	}
	if (ews_test_kdc_start(&kdc, "example.com") || (kdc_up = 1, 0) ||
	    ews_test_kdc_add_service(&kdc, "127.0.0.1") || ews_test_kdc_add_user(&kdc, "alice", ALICE_KRB_PW)) {
		fprintf(stderr, "test_autodiscover_auth: the test KDC could not be set up (krb5-kdc, krb5-admin-server, "
			"krb5-user installed? `make deps`)\n");
		if (kdc_up)
			ews_test_kdc_stop(&kdc);
		return 1;
	}
	rc = ews_test_run("autodiscover with NTLM and Negotiate", cases);
	ews_test_kdc_stop(&kdc);
	snprintf(cmd, sizeof cmd, "rm -rf %s", certdir);
	if (system(cmd))
		rc = rc ? rc : 1;
	return rc;
}
