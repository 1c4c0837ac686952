/* test_proxy.c — requests through an HTTP proxy (the loopback listener plays the proxy). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/ews.h"
#include "ews_test.h"
#include "ews_test_ews.h"

static void a_request_goes_through_the_proxy_with_its_credentials(void)
{
	ews_test_http *proxy = ews_test_http_start(0);
	struct __ewsmsg__GetFolderResponse r;
	char *b = ews_test_getfolder_response("Success", "NoError", NULL, NULL), *req, *pauth, spec[64];
	ews_options o;
	ews_client *c = NULL;
	unsigned port = 0;
	static const char line[] = "POST http://ews.example.invalid:8080/EWS/Exchange.asmx HTTP/1.1\r\n";

	CU_ASSERT_PTR_NOT_NULL_FATAL(proxy);
	sscanf(ews_test_http_url(proxy), "http://127.0.0.1:%u/", &port);
	snprintf(spec, sizeof spec, "http://127.0.0.1:%u/", port);
	ews_options_init(&o);
	o.auth = EWS_AUTH_BASIC;
	o.user = "alice";
	o.password = "secret";
	o.proxy = spec;
	o.proxy_user = "proxyuser";
	o.proxy_password = "proxypass";
	o.io_timeout_s = 5;
	CU_ASSERT_EQUAL_FATAL(ews_client_new("http://ews.example.invalid:8080/EWS/Exchange.asmx", &o, &c).code, EWS_OK);
	ews_test_queue_body(proxy, 200, b);
	CU_ASSERT_EQUAL(ews_test_get_folder(c, &r).code, EWS_OK);
	req = ews_test_http_request(proxy, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(req);
	CU_ASSERT_EQUAL(strncmp(req, line, strlen(line)), 0);
	pauth = ews_test_http_request_header(proxy, 0, "Proxy-Authorization");
	CU_ASSERT_STRING_EQUAL(pauth, "Basic cHJveHl1c2VyOnByb3h5cGFzcw=="); /* proxyuser:proxypass */
	free(pauth);
	free(req);
	free(b);
	ews_client_free(c);
	ews_test_http_stop(proxy);
}

static void malformed_proxy_settings_are_refused(void)
{
	ews_client *c = NULL;

	CU_ASSERT_EQUAL_FATAL(ews_client_new("http://127.0.0.1:1/EWS/Exchange.asmx", NULL, &c).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_client_set_proxy(c, ":8080", NULL, NULL).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_client_set_proxy(c, "proxy:0", NULL, NULL).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_client_set_proxy(c, "proxy:80x", NULL, NULL).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_client_set_proxy(c, "prox y:80", NULL, NULL).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_client_set_proxy(c, "proxy.corp", NULL, NULL).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_client_set_proxy(c, NULL, NULL, NULL).code, EWS_OK);
	ews_client_free(c);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "a request goes through the proxy with its credentials",
		  a_request_goes_through_the_proxy_with_its_credentials },
		{ "malformed proxy settings are refused", malformed_proxy_settings_are_refused },
		{ NULL, NULL }
	};
	return ews_test_run("proxy", cases);
}
