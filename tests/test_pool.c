/* test_pool.c — a bounded pool of clients for many mailboxes, used from several threads. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/ews.h"
#include "ews_test.h"
#include "ews_test_ews.h"

static ews_test_http *srv;
static ews_pool *pool;

static int always_ok(void *arg, const char *request, int connection, ews_test_reply *reply)
{
	char *b = ews_test_getfolder_response("Success", "NoError", NULL, NULL);
	(void)arg;
	(void)request;
	(void)connection;
	reply->bytes = ews_test_http_response(200, NULL, b, &reply->len);
	free(b);
	return 0;
}

static void *worker(void *arg)
{
	const char *mailbox = arg;
	long failures = 0;

	for (int i = 0; i < 10; i++) {
		struct __ewsmsg__GetFolderResponse r;
		ews_client *c = NULL;
		if (!ews_ok(ews_pool_get(pool, mailbox, -1, &c)) || !ews_ok(ews_test_get_folder(c, &r)))
			failures++;
		ews_pool_put(pool, c);
	}
	return (void *)failures;
}

static void four_threads_share_two_clients(void)
{
	static const char *boxes[] = { "a@contoso.com", "b@contoso.com", "c@contoso.com", "d@contoso.com" };
	pthread_t t[4];
	ews_options o;
	int anchored[4] = { 0 };

	srv = ews_test_http_start(0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(srv);
	ews_test_http_set_responder(srv, always_ok, NULL);
	ews_options_init(&o);
	o.auth = EWS_AUTH_BASIC;
	o.user = "svc";
	o.password = "pw";
	CU_ASSERT_EQUAL_FATAL(ews_pool_new(ews_test_http_url(srv), &o, 2, &pool).code, EWS_OK);
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, worker, (void *)boxes[i]);
	for (int i = 0; i < 4; i++) {
		void *failures;
		pthread_join(t[i], &failures);
		CU_ASSERT_PTR_NULL(failures);
	}
	CU_ASSERT_EQUAL(ews_test_http_request_count(srv), 40);
	CU_ASSERT_TRUE(ews_test_http_connection_count(srv) <= 2);
	for (int i = 0; i < 40; i++) {
		char *anchor = ews_test_http_request_header(srv, i, "X-AnchorMailbox");
		char *req = ews_test_http_request(srv, i);
		for (int k = 0; k < 4; k++)
			if (anchor && !strcmp(anchor, boxes[k])) {
				char sid[96];
				anchored[k]++;
				snprintf(sid, sizeof sid, "<t:PrimarySmtpAddress>%s</t:PrimarySmtpAddress>", boxes[k]);
				CU_ASSERT_PTR_NOT_NULL(strstr(req, sid)); /* header and SOAP header agree */
			}
		free(anchor);
		free(req);
	}
	for (int k = 0; k < 4; k++)
		CU_ASSERT_EQUAL(anchored[k], 10);
	ews_pool_free(pool);
	ews_test_http_stop(srv);
}

static void an_exhausted_pool_times_out(void)
{
	ews_client *a = NULL, *b = NULL;
	ews_status st;

	CU_ASSERT_EQUAL_FATAL(ews_pool_new("http://127.0.0.1:1/EWS/Exchange.asmx", NULL, 1, &pool).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_pool_get(pool, "x@contoso.com", 0, &a).code, EWS_OK);
	st = ews_pool_get(pool, "y@contoso.com", 50, &b);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_TIMEOUT);
	CU_ASSERT_PTR_NULL(b);
	ews_pool_put(pool, a);
	CU_ASSERT_EQUAL(ews_pool_get(pool, "y@contoso.com", 0, &b).code, EWS_OK);
	CU_ASSERT_PTR_EQUAL(a, b); /* the same client, now for another mailbox */
	ews_pool_put(pool, b);
	ews_pool_free(pool);
	CU_ASSERT_EQUAL(ews_pool_new(NULL, NULL, 1, &pool).code, EWS_ERR_ARGUMENT); /* no URL */
	CU_ASSERT_EQUAL(ews_pool_new("http://x/", NULL, 0, &pool).code, EWS_ERR_ARGUMENT);
	ews_pool_free(NULL);
	ews_pool_put(NULL, NULL);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "four threads share two clients, each call routed to its mailbox", four_threads_share_two_clients },
		{ "an exhausted pool times out", an_exhausted_pool_times_out },
		{ NULL, NULL }
	};
	return ews_test_run("pool", cases);
}
