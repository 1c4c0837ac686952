/* test_ntlm_transport.c — NTLM over the client's kept-alive connection, against a listener that verifies the
 * handshake with the library's own NTLM server side (ews/ntlm.h). */
#define _GNU_SOURCE /* strcasestr */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ews/ews.h"
#include "ntlm_server.h"
#include "ews_test.h"
#include "ews_test_ews.h"

#define MAX_CONN 16

struct ntlm_site {
	ews_ntlm_server *srv[MAX_CONN];
	int authed[MAX_CONN];
	int close_after_success;    /* drop the connection after the first authenticated answer */
	int handshakes;
};

static int lookup(void *arg, const char *user, const char *domain, char *password, size_t cap)
{
	(void)arg;
	if (strcasecmp(user, "bob") || strcasecmp(domain, "CONTOSO"))
		return -1;
	snprintf(password, cap, "Passw0rd!");
	return 0;
}

static char *authorization_of(const char *req)
{
	const char *p = strcasestr(req, "\r\nAuthorization: "), *e;
	if (!p)
		return NULL;
	p += 17;
	e = strstr(p, "\r\n");
	return e ? strndup(p, (size_t)(e - p)) : NULL;
}

static int respond(void *arg, const char *req, int conn, ews_test_reply *reply)
{
	struct ntlm_site *site = arg;
	char *auth = authorization_of(req), *hdr = NULL, extra[2048];
	static const char page[] = "<html><body>401 - Unauthorized: Access is denied due to invalid credentials.</body></html>";

	if (conn >= MAX_CONN)
		return -1;
	if (site->authed[conn]) {
		char *ok = ews_test_getfolder_response("Success", "NoError", NULL, NULL);
		reply->bytes = ews_test_http_response(200, NULL, ok, &reply->len);
		free(ok);
		free(auth);
		return 0;
	}
	if (!site->srv[conn])
		ews_ntlm_server_new("CONTOSO", "EXCH01", NULL, &site->srv[conn]);
	/* "NTLM TlRMTVNTUAAB..." is a NEGOTIATE_MESSAGE; anything else goes to verification (a failed
	 * ews_ntlm_server_challenge would drop the pending challenge) */
	if (auth && !strncmp(auth, "NTLM TlRMTVNTUAAB", 17) &&
	    ews_ok(ews_ntlm_server_challenge(site->srv[conn], auth, &hdr))) {
		snprintf(extra, sizeof extra, "WWW-Authenticate: %s\r\n", hdr);
		ews_ntlm_free(hdr);
		reply->bytes = ews_test_http_response(401, extra, page, &reply->len);
		site->handshakes++;
	} else if (auth && ews_ok(ews_ntlm_server_verify(site->srv[conn], auth, lookup, NULL, extra, 64, NULL, 0, NULL))) {
		char *ok = ews_test_getfolder_response("Success", "NoError", NULL, NULL);
		site->authed[conn] = 1;
		reply->bytes = ews_test_http_response(200, NULL, ok, &reply->len);
		reply->close_after = site->close_after_success;
		site->close_after_success = 0;
		free(ok);
	} else {
		reply->bytes = ews_test_http_response(401, "WWW-Authenticate: Negotiate\r\nWWW-Authenticate: NTLM\r\n", page,
		                                      &reply->len);
	}
	free(auth);
	return 0;
}

static void site_free(struct ntlm_site *site)
{
	for (int i = 0; i < MAX_CONN; i++)
		ews_ntlm_server_free(site->srv[i]);
}

static void one_handshake_authenticates_the_kept_alive_connection(void)
{
	struct ntlm_site site;
	ews_test_http *s = ews_test_http_start(0);
	ews_client *c = ews_test_client(s);
	struct __ewsmsg__GetFolderResponse r;
	char *a0, *a1, *a2;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	memset(&site, 0, sizeof site);
	ews_test_http_set_responder(s, respond, &site);
	CU_ASSERT_EQUAL_FATAL(ews_client_set_ntlm_auth(c, "CONTOSO\\bob", NULL, "Passw0rd!").code, EWS_OK);
	CU_ASSERT_EQUAL(ews_test_get_folder(c, &r).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_test_get_folder(c, &r).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_test_http_request_count(s), 3);
	CU_ASSERT_EQUAL(ews_test_http_connection_count(s), 1);
	a0 = ews_test_http_request_header(s, 0, "Authorization");
	a1 = ews_test_http_request_header(s, 1, "Authorization");
	a2 = ews_test_http_request_header(s, 2, "Authorization");
	CU_ASSERT_PTR_NOT_NULL(a0 && !strncmp(a0, "NTLM TlRMTVNTUAAB", 17)); /* NEGOTIATE_MESSAGE */
	CU_ASSERT_PTR_NOT_NULL(a1 && !strncmp(a1, "NTLM TlRMTVNTUAAD", 17)); /* AUTHENTICATE_MESSAGE */
	CU_ASSERT_PTR_NULL(a2); /* the connection is authenticated: nothing to send */
	CU_ASSERT_EQUAL(ews_test_sleep_count(), 0);
	CU_ASSERT_PTR_NULL(strstr(ews_test_log_text(), "Passw0rd"));
	free(a0);
	free(a1);
	free(a2);
	ews_client_free(c);
	ews_test_http_stop(s);
	site_free(&site);
}

static void a_wrong_password_is_an_auth_error_after_one_handshake(void)
{
	struct ntlm_site site;
	ews_test_http *s = ews_test_http_start(0);
	ews_client *c = ews_test_client(s);
	struct __ewsmsg__GetFolderResponse r;
	ews_status st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	memset(&site, 0, sizeof site);
	ews_test_http_set_responder(s, respond, &site);
	CU_ASSERT_EQUAL_FATAL(ews_client_set_ntlm_auth(c, "bob", "CONTOSO", "wrong").code, EWS_OK);
	st = ews_test_get_folder(c, &r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_AUTH);
	CU_ASSERT_EQUAL(st.http_status, 401);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "NTLM"));
	CU_ASSERT_PTR_NULL(strstr(st.message, "wrong"));
	CU_ASSERT_EQUAL(ews_test_http_request_count(s), 2);
	CU_ASSERT_EQUAL(site.handshakes, 1);
	ews_client_free(c);
	ews_test_http_stop(s);
	site_free(&site);
}

static void a_new_connection_is_authenticated_again(void)
{
	struct ntlm_site site;
	ews_test_http *s = ews_test_http_start(0);
	ews_client *c = ews_test_client(s);
	struct __ewsmsg__GetFolderResponse r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	memset(&site, 0, sizeof site);
	site.close_after_success = 1;
	ews_test_http_set_responder(s, respond, &site);
	CU_ASSERT_EQUAL_FATAL(ews_client_set_ntlm_auth(c, "bob", "CONTOSO", "Passw0rd!").code, EWS_OK);
	CU_ASSERT_EQUAL(ews_test_get_folder(c, &r).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_test_get_folder(c, &r).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_test_http_connection_count(s), 2);
	CU_ASSERT_EQUAL(site.handshakes, 2);
	ews_client_free(c);
	ews_test_http_stop(s);
	site_free(&site);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "one handshake authenticates the kept-alive connection",
		  one_handshake_authenticates_the_kept_alive_connection },
		{ "a wrong password is an auth error after one handshake", a_wrong_password_is_an_auth_error_after_one_handshake },
		{ "a new connection is authenticated again", a_new_connection_is_authenticated_again },
		{ NULL, NULL }
	};
	return ews_test_run("ntlm transport", cases);
}
