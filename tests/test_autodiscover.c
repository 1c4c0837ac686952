/* test_autodiscover.c — the real discovery sequence (ews_autodiscover) against ewsd over TLS on loopback: the
 * candidate hosts are mapped to ewsd's ports with the resolve overrides (nothing asks the machine's resolver:
 * every candidate the sequence tries is mapped, unused ones to a closed port), the SRV step goes through a hook.
 * The certificate is made at test time with openssl for example.com, autodiscover.example.com, mail.example.com
 * and other.test. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "ews/ews.h"
#include "ews_test.h"
#include "ews_test_cli.h"
#include "ewsd_harness.h"

static char certdir[64];        /* ca.pem (the self-signed certificate) and server.pem (key + certificate) */
static char log_text[16384];

static void on_log(void *arg, ews_log_level level, const char *message)
{
	size_t used = strlen(log_text);
	(void)arg;
	(void)level;
	if (used + strlen(message) + 2 < sizeof log_text)
		snprintf(log_text + used, sizeof log_text - used, "%s\n", message);
}

static int make_cert(void)
{
	char cmd[1024];
	snprintf(certdir, sizeof certdir, "/tmp/ews-adcert.XXXXXX");
	if (!mkdtemp(certdir))
		return -1;
	snprintf(cmd, sizeof cmd, "cd %s && openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out ca.pem "
		 "-days 2 -subj /CN=example.com -addext 'subjectAltName=DNS:example.com,DNS:autodiscover.example.com,"
		 "DNS:mail.example.com,DNS:other.test,IP:127.0.0.1' >/dev/null 2>&1 && cat key.pem ca.pem > server.pem",
		 certdir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *ca_file(void)
{
	static char path[128];
	snprintf(path, sizeof path, "%s/ca.pem", certdir);
	return path;
}

/* ewsd over TLS with our certificate (own_cert 0: ewsd's own, made for localhost only) and users alice, bob. */
static int start_tls(struct ewsd_proc *p, int own_cert, const char *const *extra)
{
	char dir[64], cmd[512], users[128];
	const char *args[24];
	int n = 0;
	FILE *f;

	snprintf(dir, sizeof dir, "/tmp/ewsd-ad.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	if (own_cert) {
		snprintf(cmd, sizeof cmd, "cp %s/server.pem %s/ewsd.pem", certdir, dir);
		if (system(cmd))
			return -1;
	}
	snprintf(users, sizeof users, "%s/users", dir);
	if (!(f = fopen(users, "w")))
		return -1;
	fprintf(f, "user alice@example.com secret\nuser alice@other.test secret\nuser bob@example.com pw2\n"
		   "control alice@example.com\n");
	fclose(f);
	static char users_arg[128];
	snprintf(users_arg, sizeof users_arg, "%s", users);
	args[n++] = "--tls";
	args[n++] = "--users";
	args[n++] = users_arg;
	for (int i = 0; extra && extra[i] && n < 22; i++)
		args[n++] = extra[i];
	args[n] = NULL;
	return ewsd_start(p, dir, args);
}

/* A plain-HTTP ewsd (the target of the step-3 probe). */
static int start_plain(struct ewsd_proc *p, const char *const *extra)
{
	return ewsd_start(p, NULL, extra);
}

/* Resolve entries: "HOST:PORT:127.0.0.1:TO" */
struct map {
	char e[8][300];
	const char *list[9];
	int n;
};

static void map_add(struct map *m, const char *host, int port, int to)
{
	snprintf(m->e[m->n], sizeof m->e[0], "%s:%d:127.0.0.1:%d", host, port, to);
	m->list[m->n] = m->e[m->n];
	m->list[++m->n] = NULL;
}

/* Every candidate of example.com closed (port 1) unless mapped afterwards: the map is searched in order, so
 * entries added first win; call this last. */
static void map_close_rest(struct map *m, const char *domain)
{
	char h[128];
	map_add(m, domain, 443, 1);
	snprintf(h, sizeof h, "autodiscover.%s", domain);
	map_add(m, h, 443, 1);
	map_add(m, h, 80, 1);
}

static int no_srv(void *arg, const char *name, char *target, size_t cap, int *port)
{
	(void)arg, (void)name, (void)target, (void)cap, (void)port;
	return -1;
}

struct srv_answer {
	const char *want_name, *target;
	int port, asked;
};

static int fake_srv(void *arg, const char *name, char *target, size_t cap, int *port)
{
	struct srv_answer *a = arg;
	a->asked++;
	if (strcmp(name, a->want_name))
		return -1;
	snprintf(target, cap, "%s", a->target);
	*port = a->port;
	return 0;
}

static void setup(ews_options *o, ews_autodiscover_options *ao, struct map *m, const char *user, const char *pw)
{
	ews_options_init(o);
	o->auth = EWS_AUTH_BASIC;
	o->user = user;
	o->password = pw;
	o->ca_file = ca_file();
	o->connect_timeout_s = 5;
	o->io_timeout_s = 10;
	ews_autodiscover_options_init(ao);
	ao->client = o;
	ao->resolve = m->list;
	ao->srv_lookup = no_srv;
	ao->log = on_log;
	log_text[0] = '\0';
}

/* One test's discovery set-up: its ewsd, the resolve map, and the options and result of ews_autodiscover. */
struct fixture {
	struct ewsd_proc p;
	struct map m;
	ews_options o;
	ews_autodiscover_options ao;
	ews_autodiscover_result r;
};

/* ewsd over TLS (own_cert: with our certificate) with the extra arguments, and an empty map. 0 or -1. */
static int fixture_start(struct fixture *f, int own_cert, const char *const *extra)
{
	memset(f, 0, sizeof *f);
	return start_tls(&f->p, own_cert, extra);
}

/* The options of user (again: a fresh set and log for a second attempt in the same test). */
static void fixture_options(struct fixture *f, const char *user, const char *password)
{
	setup(&f->o, &f->ao, &f->m, user, password);
}

/* After the test's own map entries: every other candidate of example.com closed, and the options of user. */
static void fixture_ready(struct fixture *f, const char *user, const char *password)
{
	map_close_rest(&f->m, "example.com");
	fixture_options(f, user, password);
}

/* The usual case: ewsd with our certificate answering for example.com, every other candidate closed, alice's
 * options (with password). 0 or -1. */
static int fixture_example_com(struct fixture *f, const char *const *extra, const char *password)
{
	if (fixture_start(f, 1, extra))
		return -1;
	map_add(&f->m, "example.com", 443, f->p.port);
	fixture_ready(f, "alice@example.com", password);
	return 0;
}

static void the_pox_protocol_finds_the_ews_url_and_server_version(void)
{
	struct fixture f;
	ews_status st;

	CU_ASSERT_FATAL(fixture_example_com(&f, NULL, "secret") == 0);
	f.ao.protocols = EWS_AUTODISCOVER_POX;
	st = ews_autodiscover("alice@example.com", &f.ao, &f.r);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	if (!ews_ok(st))
		fprintf(stderr, "\n  %s\n%s", st.message, log_text);
	CU_ASSERT_STRING_EQUAL(f.r.ews_url, "https://example.com/EWS/Exchange.asmx");
	CU_ASSERT_STRING_EQUAL(f.r.autodiscover_url, "https://example.com/autodiscover/autodiscover.xml");
	CU_ASSERT_EQUAL(f.r.protocol, EWS_AUTODISCOVER_POX);
	CU_ASSERT(f.r.major == 15 && f.r.minor == 2 && f.r.build == 1118);
	CU_ASSERT_STRING_EQUAL(f.r.version, "Exchange2016");
	CU_ASSERT_EQUAL(f.r.hops, 0);
	ewsd_stop(&f.p, 0);
}

static void the_soap_protocol_finds_the_ews_url_and_server_version(void)
{
	struct fixture f;
	ews_status st;

	CU_ASSERT_FATAL(fixture_example_com(&f, NULL, "secret") == 0);
	st = ews_autodiscover("alice@example.com", &f.ao, &f.r);     /* both protocols: SOAP is asked first */
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL(f.r.protocol, EWS_AUTODISCOVER_SOAP);
	CU_ASSERT_STRING_EQUAL(f.r.ews_url, "https://example.com/EWS/Exchange.asmx");
	CU_ASSERT_STRING_EQUAL(f.r.autodiscover_url, "https://example.com/autodiscover/autodiscover.svc");
	CU_ASSERT(f.r.major == 15 && f.r.minor == 2 && f.r.build == 1118 && f.r.revision == 7);
	ewsd_stop(&f.p, 0);
}

static void the_second_candidate_autodiscover_domain_is_tried_when_the_first_is_down(void)
{
	struct fixture f;
	ews_status st;

	CU_ASSERT_FATAL(fixture_start(&f, 1, NULL) == 0);
	map_add(&f.m, "autodiscover.example.com", 443, f.p.port);
	fixture_ready(&f, "alice@example.com", "secret");
	f.ao.protocols = EWS_AUTODISCOVER_POX;
	st = ews_autodiscover("alice@example.com", &f.ao, &f.r);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_STRING_EQUAL(f.r.autodiscover_url, "https://autodiscover.example.com/autodiscover/autodiscover.xml");
	CU_ASSERT_PTR_NOT_NULL(strstr(log_text, "cannot connect to https://example.com/autodiscover/autodiscover.xml"));
	ewsd_stop(&f.p, 0);
}

static void a_redirect_to_another_address_starts_over_for_its_domain(void)
{
	static const char *const extra[] = { "--autodiscover-redirect-addr", "alice@example.com=alice@other.test", NULL };
	struct fixture f;
	ews_status st;

	CU_ASSERT_FATAL(fixture_start(&f, 1, extra) == 0);
	map_add(&f.m, "example.com", 443, f.p.port);
	map_add(&f.m, "other.test", 443, f.p.port);
	fixture_ready(&f, "alice@example.com", "secret");
	for (int proto = EWS_AUTODISCOVER_SOAP; proto <= EWS_AUTODISCOVER_POX; proto++) {
		fixture_options(&f, "alice@example.com", "secret");
		f.ao.protocols = proto;
		st = ews_autodiscover("alice@example.com", &f.ao, &f.r);
		CU_ASSERT_EQUAL(st.code, EWS_OK);
		CU_ASSERT_STRING_EQUAL(f.r.smtp_address, "alice@other.test");
		CU_ASSERT_EQUAL(f.r.hops, 1);
		CU_ASSERT_PTR_NOT_NULL(strstr(f.r.autodiscover_url, "https://other.test/autodiscover/"));
		CU_ASSERT_PTR_NOT_NULL(strstr(log_text, "redirectAddr to alice@other.test (hop 1 of 10)"));
	}
	ewsd_stop(&f.p, 0);
}

static void a_redirect_to_another_url_is_followed_over_https(void)
{
	struct fixture f;               /* f.p: the target, mail.example.com */
	struct ewsd_proc front;
	ews_status st;
	static const char *const extra[] = { "--autodiscover-redirect-url", "https://mail.example.com", NULL };

	CU_ASSERT_FATAL(fixture_start(&f, 1, NULL) == 0);
	CU_ASSERT_FATAL(start_tls(&front, 1, extra) == 0);
	map_add(&f.m, "example.com", 443, front.port);
	map_add(&f.m, "mail.example.com", 443, f.p.port);
	fixture_ready(&f, "alice@example.com", "secret");
	for (int proto = EWS_AUTODISCOVER_SOAP; proto <= EWS_AUTODISCOVER_POX; proto++) {
		fixture_options(&f, "alice@example.com", "secret");
		f.ao.protocols = proto;
		st = ews_autodiscover("alice@example.com", &f.ao, &f.r);
		CU_ASSERT_EQUAL(st.code, EWS_OK);
		CU_ASSERT_PTR_NOT_NULL(strstr(f.r.autodiscover_url, "https://mail.example.com/autodiscover/autodiscover."));
		CU_ASSERT_STRING_EQUAL(f.r.ews_url, "https://mail.example.com/EWS/Exchange.asmx");
		CU_ASSERT_EQUAL(f.r.hops, 1);
	}
	ewsd_stop(&front, 0);
	ewsd_stop(&f.p, 0);
}

static void an_http_302_to_the_post_is_followed(void)
{
	struct fixture f;               /* f.p: the target, mail.example.com */
	struct ewsd_proc front;
	ews_status st;
	static const char *const extra[] = { "--autodiscover-302", "https://mail.example.com", NULL };

	CU_ASSERT_FATAL(fixture_start(&f, 1, NULL) == 0);
	CU_ASSERT_FATAL(start_tls(&front, 1, extra) == 0);
	map_add(&f.m, "example.com", 443, front.port);
	map_add(&f.m, "mail.example.com", 443, f.p.port);
	fixture_ready(&f, "alice@example.com", "secret");
	f.ao.protocols = EWS_AUTODISCOVER_POX;
	st = ews_autodiscover("alice@example.com", &f.ao, &f.r);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_STRING_EQUAL(f.r.autodiscover_url, "https://mail.example.com/autodiscover/autodiscover.xml");
	CU_ASSERT_EQUAL(f.r.hops, 1);
	ewsd_stop(&front, 0);
	ewsd_stop(&f.p, 0);
}

static void a_redirect_loop_stops_at_the_hop_limit(void)
{
	static const char *const extra[] = { "--autodiscover-redirect-addr", "alice@example.com=bob@example.com",
					     "--autodiscover-redirect-addr", "bob@example.com=alice@example.com", NULL };
	struct fixture f;
	ews_status st;

	CU_ASSERT_FATAL(fixture_example_com(&f, extra, "secret") == 0);
	f.ao.max_hops = 5;
	st = ews_autodiscover("alice@example.com", &f.ao, &f.r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_HTTP);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "more than 5 redirects (a redirect loop?)"));
	CU_ASSERT_STRING_EQUAL(f.r.ews_url, "");
	ewsd_stop(&f.p, 0);
}

static void a_url_redirect_to_itself_stops_at_the_default_limit_of_ten(void)
{
	struct fixture f;
	ews_status st;
	static const char *const extra[] = { "--autodiscover-redirect-url", "https://example.com", NULL };

	CU_ASSERT_FATAL(fixture_example_com(&f, extra, "secret") == 0);
	f.ao.protocols = EWS_AUTODISCOVER_POX;
	st = ews_autodiscover("alice@example.com", &f.ao, &f.r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_HTTP);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "more than 10 redirects"));
	ewsd_stop(&f.p, 0);
}

static void a_wrong_password_is_a_clear_authentication_error(void)
{
	struct fixture f;
	ews_status st;

	CU_ASSERT_FATAL(fixture_example_com(&f, NULL, "wrong") == 0);
	st = ews_autodiscover("alice@example.com", &f.ao, &f.r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_AUTH);
	CU_ASSERT_EQUAL(st.http_status, 401);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "refused the credentials of alice@example.com (HTTP 401)"));
	CU_ASSERT_PTR_NULL(strstr(st.message, "wrong"));
	CU_ASSERT_PTR_NULL(strstr(log_text, "wrong"));
	ewsd_stop(&f.p, 0);
}

static void a_certificate_for_another_host_is_refused(void)
{
	struct fixture f;
	ews_status st;

	CU_ASSERT_FATAL(fixture_start(&f, 0, NULL) == 0);     /* ewsd's own certificate: localhost */
	map_add(&f.m, "example.com", 443, f.p.port);
	fixture_ready(&f, "alice@example.com", "secret");
	st = ews_autodiscover("alice@example.com", &f.ao, &f.r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_TLS);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "https://example.com/autodiscover/"));
	ewsd_stop(&f.p, 0);
}

static void an_untrusted_issuer_is_refused_and_the_host_check_holds_with_overrides(void)
{
	struct fixture f;
	ews_status st;

	CU_ASSERT_FATAL(fixture_start(&f, 1, NULL) == 0);
	/* right issuer, but the name asked for is not in the certificate */
	map_add(&f.m, "example.net", 443, f.p.port);
	map_add(&f.m, "autodiscover.example.net", 443, 1);
	map_add(&f.m, "autodiscover.example.net", 80, 1);
	fixture_options(&f, "alice@example.net", "secret");
	st = ews_autodiscover("alice@example.net", &f.ao, &f.r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_TLS);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "is not valid for the name example.net"));
	/* the name is right but the issuer is not trusted */
	f.m.n = 0;
	map_add(&f.m, "example.com", 443, f.p.port);
	fixture_ready(&f, "alice@example.com", "secret");
	f.o.ca_file = NULL;
	st = ews_autodiscover("alice@example.com", &f.ao, &f.r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_TLS);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "does not verify"));
	ewsd_stop(&f.p, 0);
}

static void the_unauthenticated_http_redirect_is_followed_within_the_domain(void)
{
	struct fixture f;               /* f.p: the TLS server, mail.example.com */
	struct ewsd_proc probe;
	ews_status st;
	static const char *const extra[] = { "--autodiscover-302", "https://mail.example.com", NULL };

	CU_ASSERT_FATAL(fixture_start(&f, 1, NULL) == 0);
	CU_ASSERT_FATAL(start_plain(&probe, extra) == 0);
	map_add(&f.m, "autodiscover.example.com", 80, probe.port);
	map_add(&f.m, "mail.example.com", 443, f.p.port);
	fixture_ready(&f, "alice@example.com", "secret");
	f.ao.protocols = EWS_AUTODISCOVER_POX;
	st = ews_autodiscover("alice@example.com", &f.ao, &f.r);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_STRING_EQUAL(f.r.autodiscover_url, "https://mail.example.com/autodiscover/autodiscover.xml");
	CU_ASSERT_EQUAL(f.r.hops, 1);
	ewsd_stop(&probe, 0);
	ewsd_stop(&f.p, 0);
}

static int confirm_count;
static int confirm_yes(void *arg, const char *why, const char *url)
{
	(void)arg;
	confirm_count++;
	return !strcmp(why, "http-redirect") && !strncmp(url, "https://other.test", 18);
}

static void an_http_redirect_outside_the_domain_needs_confirmation(void)
{
	struct fixture f;               /* f.p: the TLS server, other.test */
	struct ewsd_proc probe;
	ews_status st;
	static const char *const extra[] = { "--autodiscover-302", "https://other.test", NULL };
	char log_lines[4096];

	CU_ASSERT_FATAL(fixture_start(&f, 1, NULL) == 0);
	CU_ASSERT_FATAL(start_plain(&probe, extra) == 0);
	map_add(&f.m, "autodiscover.example.com", 80, probe.port);
	map_add(&f.m, "other.test", 443, f.p.port);
	fixture_ready(&f, "alice@example.com", "secret");
	st = ews_autodiscover("alice@example.com", &f.ao, &f.r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_HTTP);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "not trusted: the http-redirect points outside example.com, to "
					 "https://other.test/autodiscover/autodiscover.xml"));
	snprintf(log_lines, sizeof log_lines, "%.*s", (int)sizeof log_lines - 1, log_text);
	CU_ASSERT_PTR_NULL(strstr(log_lines, "asking https://other.test"));     /* no credentials went there */
	confirm_count = 0;
	fixture_options(&f, "alice@example.com", "secret");
	f.ao.confirm_redirect = confirm_yes;
	st = ews_autodiscover("alice@example.com", &f.ao, &f.r);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL(confirm_count, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(f.r.autodiscover_url, "https://other.test/autodiscover/"));
	ewsd_stop(&probe, 0);
	ewsd_stop(&f.p, 0);
}

static void the_srv_record_is_the_last_step(void)
{
	struct fixture f;
	ews_status st;
	struct srv_answer srv = { "_autodiscover._tcp.example.com", "mail.example.com.", 8443, 0 };

	CU_ASSERT_FATAL(fixture_start(&f, 1, NULL) == 0);
	map_add(&f.m, "mail.example.com", 8443, f.p.port);
	fixture_ready(&f, "alice@example.com", "secret");
	f.ao.srv_lookup = fake_srv;
	f.ao.srv_arg = &srv;
	st = ews_autodiscover("alice@example.com", &f.ao, &f.r);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL(srv.asked, 1);
	CU_ASSERT_STRING_EQUAL(f.r.autodiscover_url, "https://mail.example.com:8443/autodiscover/autodiscover.svc");
	CU_ASSERT_STRING_EQUAL(f.r.ews_url, "https://mail.example.com:8443/EWS/Exchange.asmx");
	/* a target outside the domain is not asked without confirmation */
	srv.target = "other.test";
	map_add(&f.m, "other.test", 8443, f.p.port);
	fixture_options(&f, "alice@example.com", "secret");
	f.ao.srv_lookup = fake_srv;
	f.ao.srv_arg = &srv;
	st = ews_autodiscover("alice@example.com", &f.ao, &f.r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_HTTP);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "the srv points outside example.com"));
	ewsd_stop(&f.p, 0);
}

static void an_unknown_address_gets_the_servers_error(void)
{
	struct fixture f;
	ews_status st;

	CU_ASSERT_FATAL(fixture_example_com(&f, NULL, "secret") == 0);
	f.ao.protocols = EWS_AUTODISCOVER_POX;
	st = ews_autodiscover("nobody@example.com", &f.ao, &f.r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_NOT_FOUND);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "does not know nobody@example.com: 500 The e-mail address cannot "
					 "be found."));
	f.ao.protocols = EWS_AUTODISCOVER_SOAP;
	st = ews_autodiscover("nobody@example.com", &f.ao, &f.r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_NOT_FOUND);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "InvalidUser"));
	ewsd_stop(&f.p, 0);
}

static void the_answer_is_cached_in_a_private_file_until_it_expires(void)
{
	struct fixture f;
	ews_status st;
	char cache[128];
	struct stat sb;

	snprintf(cache, sizeof cache, "%s/cache", certdir);
	unlink(cache);
	CU_ASSERT_FATAL(fixture_example_com(&f, NULL, "secret") == 0);
	f.ao.cache_file = cache;
	f.ao.cache_ttl_s = 600;
	time_t asked = time(NULL);   /* the ttl counts from here, however slowly the rest runs (valgrind) */
	st = ews_autodiscover("alice@example.com", &f.ao, &f.r);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL(f.r.from_cache, 0);
	CU_ASSERT_FATAL(stat(cache, &sb) == 0);
	CU_ASSERT_EQUAL(sb.st_mode & 0777, 0600);
	ewsd_stop(&f.p, 0);
	/* the server is gone: the cache answers */
	st = ews_autodiscover("ALICE@example.com", &f.ao, &f.r);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL(f.r.from_cache, 1);
	CU_ASSERT_STRING_EQUAL(f.r.ews_url, "https://example.com/EWS/Exchange.asmx");
	CU_ASSERT_STRING_EQUAL(f.r.version, "Exchange2016");
	CU_ASSERT_EQUAL(f.r.major, 15);
	/* a cache file others may write is not trusted */
	chmod(cache, 0622);
	st = ews_autodiscover("alice@example.com", &f.ao, &f.r);
	CU_ASSERT_NOT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(log_text, "ignoring the cache"));
	chmod(cache, 0600);
	/* expired (the expiry field, the second, set in the past): asked again, and the server is gone */
	{
		char *text = ews_test_read_file(cache, NULL), *tab1 = text ? strchr(text, '\t') : NULL;
		char *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
		FILE *fp;
		CU_ASSERT_FATAL(tab2 != NULL);
		CU_ASSERT(strtoll(tab1 + 1, NULL, 10) >= (long long)asked + 600);   /* the ttl given */
		fp = fopen(cache, "w");
		CU_ASSERT_FATAL(fp != NULL);
		fprintf(fp, "%.*s\t1%s", (int)(tab1 - text), text, tab2);
		fclose(fp);
		free(text);
	}
	st = ews_autodiscover("alice@example.com", &f.ao, &f.r);
	CU_ASSERT_NOT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(log_text, "has expired"));
	unlink(cache);
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

static void a_tool_given_only_an_email_address_finds_ewsd(void)
{
	struct ewsd_proc p;
	struct ews_test_cli_run run = { 0 };
	char listen[64], ews_url[128], env[1024], want[512];
	int port = free_port();
	const char *extra[] = { "--listen", listen, "--autodiscover-ews-url", ews_url, NULL };

	CU_ASSERT_FATAL(port > 0);
	snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
	snprintf(ews_url, sizeof ews_url, "https://127.0.0.1:%d/EWS/Exchange.asmx", port);
	CU_ASSERT_FATAL(start_tls(&p, 1, extra) == 0);
	snprintf(env, sizeof env, "EWS_URL= EWS_USER= EWS_TOKEN= EWS_AUTH= EWS_AUTODISCOVER_CACHE= EWS_AUTODISCOVER_SRV=none "
		 "EWS_AUTODISCOVER_RESOLVE=example.com:443:127.0.0.1:%d,autodiscover.example.com:443:127.0.0.1:1,"
		 "autodiscover.example.com:80:127.0.0.1:1", p.port);
	ews_test_cli_run(&run, certdir, "%s EWS_PASSWORD=secret ews-find-folders --email alice@example.com --ca-file %s -v",
			 env, ca_file());
	CU_ASSERT_EQUAL(run.status, 0);
	snprintf(want, sizeof want, "ews-find-folders: autodiscover: alice@example.com uses %s (server version "
		 "Exchange2016, SOAP answer from https://example.com/autodiscover/autodiscover.svc)", ews_url);
	CU_ASSERT_PTR_NOT_NULL(strstr(run.err, want));
	if (run.status || !strstr(run.err, want))
		fprintf(stderr, "\n%s\n%s\n", run.out, run.err);
	CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "Inbox"));
	/* a wrong password: exit 3 and the autodiscover step named */
	ews_test_cli_run(&run, certdir, "%s EWS_PASSWORD=nope ews-find-folders --email alice@example.com --ca-file %s",
			 env, ca_file());
	CU_ASSERT_EQUAL(run.status, 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "ews-find-folders: autodiscover: https://example.com/"
					 "autodiscover/autodiscover.svc refused the credentials of alice@example.com (HTTP 401)"));
	/* no CA: the certificate is refused, exit 4 */
	ews_test_cli_run(&run, certdir, "%s EWS_PASSWORD=secret ews-find-folders --email alice@example.com", env);
	CU_ASSERT_EQUAL(run.status, 4);
	CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "the certificate does not verify"));
	CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "autodiscover found no EWS URL for alice@example.com"));
	ews_test_cli_run_free(&run);
	ewsd_stop(&p, 0);
}

static void a_tool_follows_a_redirect_outside_the_domain_only_to_a_trusted_host(void)
{
	struct ewsd_proc tls, probe;
	struct ews_test_cli_run run = { 0 };
	char listen[64], ews_url[128], env[1024];
	int port = free_port();
	const char *extra[] = { "--listen", listen, "--autodiscover-ews-url", ews_url, NULL };
	static const char *const probe_extra[] = { "--autodiscover-302", "https://other.test", NULL };

	CU_ASSERT_FATAL(port > 0);
	snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
	snprintf(ews_url, sizeof ews_url, "https://127.0.0.1:%d/EWS/Exchange.asmx", port);
	CU_ASSERT_FATAL(start_tls(&tls, 1, extra) == 0);
	CU_ASSERT_FATAL(start_plain(&probe, probe_extra) == 0);
	snprintf(env, sizeof env, "EWS_URL= EWS_USER= EWS_TOKEN= EWS_AUTH= EWS_TRUST_HOST= EWS_AUTODISCOVER_CACHE= "
		 "EWS_AUTODISCOVER_SRV=none EWS_AUTODISCOVER_RESOLVE=example.com:443:127.0.0.1:1,"
		 "autodiscover.example.com:443:127.0.0.1:1,autodiscover.example.com:80:127.0.0.1:%d,"
		 "other.test:443:127.0.0.1:%d", probe.port, tls.port);
	ews_test_cli_run(&run, certdir, "%s EWS_PASSWORD=secret ews-find-folders --email alice@example.com --ca-file %s",
			 env, ca_file());
	CU_ASSERT_EQUAL(run.status, 4);
	CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "not trusted: the http-redirect points outside example.com, to "
					 "https://other.test/autodiscover/autodiscover.xml"));
	ews_test_cli_run(&run, certdir, "%s EWS_PASSWORD=secret ews-find-folders --email alice@example.com --ca-file %s "
			 "--trust-host mail.example.net,other.test", env, ca_file());
	CU_ASSERT_EQUAL(run.status, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "Inbox"));
	ews_test_cli_run_free(&run);
	ewsd_stop(&probe, 0);
	ewsd_stop(&tls, 0);
}

static void ewsd_is_told_to_redirect_through_its_control_endpoint(void)
{
	struct ewsd_proc p;
	struct http_resp r;

	CU_ASSERT_FATAL(start_plain(&p, NULL) == 0);
	CU_ASSERT_EQUAL(http_request(&p, "GET", "/autodiscover/autodiscover.xml", NULL, NULL, 0, &r), 0);
	CU_ASSERT_EQUAL(r.status, 404);
	http_resp_free(&r);
	CU_ASSERT_EQUAL(http_request(&p, "GET", "/ewsd/control?ad_redirect_302=https%3A%2F%2Fmail.example.com", NULL,
				     NULL, 0, &r), 0);
	CU_ASSERT_EQUAL(r.status, 200);
	http_resp_free(&r);
	CU_ASSERT_EQUAL(http_request(&p, "GET", "/autodiscover/autodiscover.xml", NULL, NULL, 0, &r), 0);
	CU_ASSERT_EQUAL(r.status, 302);
	CU_ASSERT_PTR_NOT_NULL(r.headers &&
			       strstr(r.headers, "Location: https://mail.example.com/autodiscover/autodiscover.xml"));
	http_resp_free(&r);
	CU_ASSERT_EQUAL(http_request(&p, "GET", "/ewsd/control?ad_bogus=1", NULL, NULL, 0, &r), 0);
	CU_ASSERT_EQUAL(r.status, 400);
	http_resp_free(&r);
	CU_ASSERT_EQUAL(http_request(&p, "GET", "/ewsd/control?ad_reset", NULL, NULL, 0, &r), 0);
	http_resp_free(&r);
	CU_ASSERT_EQUAL(http_request(&p, "GET", "/autodiscover/autodiscover.xml", NULL, NULL, 0, &r), 0);
	CU_ASSERT_EQUAL(r.status, 404);
	http_resp_free(&r);
	ewsd_stop(&p, 0);
}

static void bad_arguments_are_refused_before_anything_is_sent(void)
{
	ews_autodiscover_options ao;
	ews_autodiscover_result r;
	ews_options o;
	ews_status st;

	ews_autodiscover_options_init(&ao);
	CU_ASSERT_EQUAL(ews_autodiscover("no-at-sign", &ao, &r).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_autodiscover("a@b@c", &ao, &r).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_autodiscover("a@host/path", &ao, &r).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_autodiscover(NULL, &ao, &r).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_autodiscover("a@b.c", NULL, &r).code, EWS_ERR_ARGUMENT);
	ews_options_init(&o);
	o.auth = EWS_AUTH_OAUTH2_DEVICE;     /* NTLM and Negotiate: test_autodiscover_auth.c */
	ao.client = &o;
	st = ews_autodiscover("a@b.c", &ao, &r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_UNSUPPORTED);
}

static void the_pox_server_version_is_decoded(void)
{
	int ma, mi, b;
	CU_ASSERT_EQUAL(ews_autodiscover_decode_server_version("738180DA", &ma, &mi, &b).code, EWS_OK);
	CU_ASSERT(ma == 14 && mi == 1 && b == 218);
	CU_ASSERT_EQUAL(ews_autodiscover_decode_server_version("73C2845E", &ma, &mi, &b).code, EWS_OK);
	CU_ASSERT(ma == 15 && mi == 2 && b == 1118);
	CU_ASSERT_EQUAL(ews_autodiscover_decode_server_version("738180D", &ma, &mi, &b).code, EWS_ERR_FORMAT);
	CU_ASSERT_EQUAL(ews_autodiscover_decode_server_version("738180DX", &ma, &mi, &b).code, EWS_ERR_FORMAT);
	CU_ASSERT_STRING_EQUAL(ews_autodiscover_version_name(14, 1, 218), "Exchange2010_SP1");
	CU_ASSERT_STRING_EQUAL(ews_autodiscover_version_name(15, 0, 847), "Exchange2013_SP1");
	CU_ASSERT_STRING_EQUAL(ews_autodiscover_version_name(15, 0, 516), "Exchange2013");
	CU_ASSERT_PTR_NULL(ews_autodiscover_version_name(-1, -1, -1));
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "the POX protocol finds the EWS URL and server version",
		  the_pox_protocol_finds_the_ews_url_and_server_version },
		{ "the SOAP protocol finds the EWS URL and server version",
		  the_soap_protocol_finds_the_ews_url_and_server_version },
		{ "the second candidate autodiscover.DOMAIN is tried when the first is down",
		  the_second_candidate_autodiscover_domain_is_tried_when_the_first_is_down },
		{ "a redirect to another address starts over for its domain",
		  a_redirect_to_another_address_starts_over_for_its_domain },
		{ "a redirect to another URL is followed over https", a_redirect_to_another_url_is_followed_over_https },
		{ "an HTTP 302 to the POST is followed", an_http_302_to_the_post_is_followed },
		{ "a redirect loop stops at the hop limit", a_redirect_loop_stops_at_the_hop_limit },
		{ "a URL redirect to itself stops at the default limit of ten",
		  a_url_redirect_to_itself_stops_at_the_default_limit_of_ten },
		{ "a wrong password is a clear authentication error", a_wrong_password_is_a_clear_authentication_error },
		{ "a certificate for another host is refused", a_certificate_for_another_host_is_refused },
		{ "an untrusted issuer is refused and the host check holds with overrides",
		  an_untrusted_issuer_is_refused_and_the_host_check_holds_with_overrides },
		{ "the unauthenticated HTTP redirect is followed within the domain",
		  the_unauthenticated_http_redirect_is_followed_within_the_domain },
		{ "an HTTP redirect outside the domain needs confirmation",
		  an_http_redirect_outside_the_domain_needs_confirmation },
		{ "the SRV record is the last step", the_srv_record_is_the_last_step },
		{ "an unknown address gets the server's error", an_unknown_address_gets_the_servers_error },
		{ "the answer is cached in a private file until it expires",
		  the_answer_is_cached_in_a_private_file_until_it_expires },
		{ "a tool given only an email address finds ewsd", a_tool_given_only_an_email_address_finds_ewsd },
		{ "a tool follows a redirect outside the domain only to a trusted host",
		  a_tool_follows_a_redirect_outside_the_domain_only_to_a_trusted_host },
		{ "ewsd is told to redirect through its control endpoint",
		  ewsd_is_told_to_redirect_through_its_control_endpoint },
		{ "bad arguments are refused before anything is sent", bad_arguments_are_refused_before_anything_is_sent },
		{ "the POX server version is decoded", the_pox_server_version_is_decoded },
		{ NULL, NULL }
	};
	int rc;
	char cmd[128];

	if (make_cert()) {
		fprintf(stderr, "cannot make a test certificate with openssl\n");
		return 1;
	}
	rc = ews_test_run("autodiscover against ewsd", cases);
	snprintf(cmd, sizeof cmd, "rm -rf %s", certdir);
	if (system(cmd))
		rc = rc ? rc : 1;
	return rc;
}
