/* test_limits.c — hostile sizes: responses over the size cap (plain, chunked, gzip bomb), deep nesting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "ews/ews.h"
#include "ews_test.h"
#include "ews_test_ews.h"

static ews_test_http *srv;
static ews_client *cli;

static void setup(size_t max_bytes, int max_depth)
{
	srv = ews_test_http_start(0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(srv);
	cli = ews_test_client(srv);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cli);
	CU_ASSERT_EQUAL(ews_client_set_limits(cli, max_bytes, max_depth).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_client_set_retry(cli, 1, 0, 0).code, EWS_OK);
}

static void teardown_checking_the_client_still_works(void)
{
	struct __ewsmsg__GetFolderResponse r;
	char *b = ews_test_getfolder_response("Success", "NoError", NULL, NULL);
	ews_test_queue_body(srv, 200, b);
	CU_ASSERT_EQUAL(ews_test_get_folder(cli, &r).code, EWS_OK);
	free(b);
	ews_client_free(cli);
	ews_test_http_stop(srv);
}

/* A GetFolder response padded with an ignorable element to about `size` bytes of body. */
static char *padded_response(size_t size)
{
	char *b = ews_test_getfolder_response("Success", "NoError", NULL, NULL);
	char *at = strstr(b, "<m:ResponseMessages>");
	size_t head = (size_t)(at - b), n = strlen(b);
	char *out = malloc(n + size + 64);
	size_t o = head;

	memcpy(out, b, head);
	o += (size_t)sprintf(out + o, "<m:Padding>");
	memset(out + o, 'x', size);
	o += size;
	o += (size_t)sprintf(out + o, "</m:Padding>");
	strcpy(out + o, at);
	free(b);
	return out;
}

static void a_response_over_the_size_cap_is_too_large(void)
{
	struct __ewsmsg__GetFolderResponse r;
	char *b;
	ews_status st;

	setup(10000, 0);
	b = padded_response(50000);
	ews_test_queue_body(srv, 200, b);
	st = ews_test_get_folder(cli, &r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_TOO_LARGE);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "10000"));
	free(b);
	teardown_checking_the_client_still_works();
}

static void a_chunked_response_over_the_size_cap_is_too_large(void)
{
	struct __ewsmsg__GetFolderResponse r;
	char *b, *full;
	ews_test_reply rep;
	size_t n;

	setup(10000, 0);
	b = padded_response(50000);
	n = strlen(b);
	full = malloc(n + 200);
	sprintf(full, "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n%zx\r\n%s\r\n0\r\n\r\n", n, b);
	memset(&rep, 0, sizeof rep);
	rep.bytes = full;
	ews_test_http_queue(srv, &rep);
	CU_ASSERT_EQUAL(ews_test_get_folder(cli, &r).code, EWS_ERR_TOO_LARGE);
	free(full);
	free(b);
	teardown_checking_the_client_still_works();
}

static void a_gzip_bomb_is_too_large(void)
{
	struct __ewsmsg__GetFolderResponse r;
	char *b, *z, *full;
	size_t zl, hl;
	z_stream zs;
	ews_test_reply rep;
	char head[160];

	setup(100000, 0);
	b = padded_response(4u << 20); /* 4 MiB of 'x' inflate from a few KiB */
	z = malloc(strlen(b) / 100 + 65536);
	memset(&zs, 0, sizeof zs);
	deflateInit2(&zs, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
	zs.next_in = (Bytef *)b;
	zs.avail_in = (uInt)strlen(b);
	zs.next_out = (Bytef *)z;
	zs.avail_out = (uInt)(strlen(b) / 100 + 65536);
	CU_ASSERT_EQUAL(deflate(&zs, Z_FINISH), Z_STREAM_END);
	zl = zs.total_out;
	deflateEnd(&zs);
	hl = (size_t)snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Encoding: gzip\r\n"
	                      "Content-Length: %zu\r\n\r\n", zl);
	full = malloc(hl + zl);
	memcpy(full, head, hl);
	memcpy(full + hl, z, zl);
	memset(&rep, 0, sizeof rep);
	rep.bytes = full;
	rep.len = hl + zl;
	ews_test_http_queue(srv, &rep);
	CU_ASSERT_TRUE(zl < 100000);
	{
		ews_status st = ews_test_get_folder(cli, &r);
		CU_ASSERT_EQUAL(st.code, EWS_ERR_TOO_LARGE);
	}
	free(full);
	free(z);
	free(b);
	teardown_checking_the_client_still_works();
}

static void a_deeply_nested_document_is_too_large(void)
{
	struct __ewsmsg__GetFolderResponse r;
	char *b = ews_test_getfolder_response("Success", "NoError", NULL, NULL);
	char *at = strstr(b, "<m:ResponseMessages>");
	size_t head = (size_t)(at - b), o = head;
	char *deep = malloc(strlen(b) + 5000 * 12 + 64);
	ews_status st;

	setup(0, 100);
	memcpy(deep, b, head);
	for (int i = 0; i < 5000; i++)
		o += (size_t)sprintf(deep + o, "<m:a>");
	for (int i = 0; i < 5000; i++)
		o += (size_t)sprintf(deep + o, "</m:a>");
	strcpy(deep + o, at);
	ews_test_queue_body(srv, 200, deep);
	st = ews_test_get_folder(cli, &r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_TOO_LARGE);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "nesting"));
	free(deep);
	free(b);
	teardown_checking_the_client_still_works();
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "a response over the size cap is too large", a_response_over_the_size_cap_is_too_large },
		{ "a chunked response over the size cap is too large", a_chunked_response_over_the_size_cap_is_too_large },
		{ "a gzip bomb is too large", a_gzip_bomb_is_too_large },
		{ "a deeply nested document is too large", a_deeply_nested_document_is_too_large },
		{ NULL, NULL }
	};
	return ews_test_run("limits", cases);
}
