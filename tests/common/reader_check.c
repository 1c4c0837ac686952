/* reader_check.c — every suite checks libews's fast response reader (ews/reader.h) against gSOAP: each response
 * the reader decoded in a suite's calls is decoded again by gSOAP from the same body, both are serialized by
 * gSOAP's own serializers (ews/codec.h), and the two documents must be byte-equal. A difference fails the running
 * test and prints where the two part. Installed by ews_test_run for every suite. */
#include <stdio.h>
#include <string.h>
#include <CUnit/Basic.h>

#include "soapH.h"
#include "ews/codec.h"
#include "ews_internal.h"
#include "ews_test.h"

static long checked, left;

long ews_test_reader_checked(void)
{
	return __atomic_load_n(&checked, __ATOMIC_RELAXED);
}

long ews_test_reader_left(void)
{
	return __atomic_load_n(&left, __ATOMIC_RELAXED);
}

static void check(const char *operation, const char *body, size_t len, const void *response,
                  const struct SOAP_ENV__Header *header)
{
	struct soap *gsoap, *fast;
	ews_decoded_message by_gsoap, by_reader = { .kind = EWS_MESSAGE_RESPONSE, .has_envelope = 1 };
	const char *a = NULL, *b = NULL;
	ews_status st;

	if (!response) {
		__atomic_fetch_add(&left, 1, __ATOMIC_RELAXED);      /* the reader gave up: gSOAP decodes it as before */
		return;
	}
	gsoap = ews_codec_context_new();
	fast = ews_codec_context_new();
	if (!gsoap || !fast) {
		CU_FAIL("reader check: no memory");
		goto out;
	}
	by_reader.op = ews_operation_codec_find(operation);
	by_reader.body = (void *)response;
	by_reader.header = (struct SOAP_ENV__Header *)header;
	st = ews_message_decode(gsoap, body, len, &by_gsoap);
	if (!ews_ok(st) || !by_reader.op) {
		fprintf(stderr, "\n    reader check: %s: the fast reader decoded what gSOAP does not: %s\n", operation,
		        st.message);
		CU_FAIL("the fast reader decoded a response gSOAP refuses");
		goto out;
	}
	if (!ews_ok(ews_message_encode(gsoap, &by_gsoap, &a)) || !ews_ok(ews_message_encode(fast, &by_reader, &b))) {
		CU_FAIL("reader check: a decoded response does not encode");
		goto out;
	}
	__atomic_fetch_add(&checked, 1, __ATOMIC_RELAXED); /* (calls on several threads: fetching ahead) */
	if (strcmp(a, b)) {
		size_t i = 0;
		while (a[i] && a[i] == b[i])
			i++;
		fprintf(stderr, "\n    reader check: %s decoded differently at byte %zu of the re-encoded response:\n"
		        "      gSOAP: ...%.120s\n      reader: ...%.120s\n", operation, i, a + (i > 60 ? i - 60 : 0),
		        b + (i > 60 ? i - 60 : 0));
		CU_FAIL("the fast reader and gSOAP decoded a response differently");
	}
out:
	if (gsoap) {
		gsoap->header = NULL;
		soap_destroy(gsoap);
		soap_end(gsoap);
		ews_codec_context_free(gsoap);
	}
	if (fast) {
		fast->header = NULL;
		ews_codec_context_free(fast);
	}
}

void ews_test_reader_check_install(void)
{
	ews_reader_set_check(check);
}
