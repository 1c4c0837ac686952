/* bench_wire.c — bench-wire: what the wire filter (runtime/core/ews_wire.c: Exchange's prefixes, issue 18) costs.
 *
 *   bench-wire [ITEMS [RUNS]]      (default 1000 items, 200 runs)
 *
 * Serializes one FindItem response of ITEMS messages (ItemId + Subject, what ewsd writes for a 1000-item page)
 * RUNS times through ews_message_encode with the filter and RUNS times with it switched off, alternating, and
 * prints the CPU per encode of each, the difference, and the bytes of each form. The filter runs on every
 * request libews sends and every answer ewsd writes; ewsd's answers are where it has the most bytes to see. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "soapH.h"
#include "ews/codec.h"

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *find_response(int items)
{
	size_t cap = (size_t)items * 220 + 1024, o = 0;
	char *x = malloc(cap);
	if (!x)
		return NULL;
	o += (size_t)snprintf(x + o, cap - o, "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
			      "<m:FindItemResponse xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" "
			      "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\"><m:ResponseMessages>"
			      "<m:FindItemResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode>"
			      "<m:RootFolder IndexedPagingOffset=\"%d\" TotalItemsInView=\"%d\" "
			      "IncludesLastItemInRange=\"false\"><t:Items>", items, items * 10);
	for (int i = 0; i < items; i++)
		o += (size_t)snprintf(x + o, cap - o, "<t:Message><t:ItemId Id=\"AAMkADk0N2Y1ZWZiLTVmNjctNDhkZi04YjYxLTM1"
				      "ZGQ4MjQ1NjI4NgBGAAAAAABmbX%06d\" ChangeKey=\"CQAAABYAAAA%06d\"/><t:Subject>Message "
				      "number %d of the page</t:Subject></t:Message>", i, i, i);
	snprintf(x + o, cap - o, "</t:Items></m:RootFolder></m:FindItemResponseMessage></m:ResponseMessages>"
		 "</m:FindItemResponse></s:Body></s:Envelope>");
	return x;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int items = argc > 1 ? atoi(argv[1]) : 1000, runs = argc > 2 ? atoi(argv[2]) : 200;
	char *xml = find_response(items);
	struct soap *soap = ews_codec_context_new();
	ews_decoded_message m;
	const char *out;
	double *with = calloc((size_t)runs, sizeof *with), *without = calloc((size_t)runs, sizeof *without);
	size_t bytes_with = 0, bytes_without = 0;
	int (*filter)(struct soap *, const char **, size_t *);

	if (items < 1 || runs < 1 || !xml || !soap || !with || !without ||
	    !ews_ok(ews_message_decode(soap, xml, strlen(xml), &m))) {
		fprintf(stderr, "bench-wire: setup failed\n");
		return 1;
	}
	if (!ews_ok(ews_message_encode(soap, &m, &out)))    /* attaches the filter */
		return 1;
	filter = soap->ffiltersend;
	for (int r = 0; r < runs; r++) {
		for (int k = 0; k < 2; k++) {
			int pass = (k + r) & 1;     /* which one goes first alternates too */
			soap->ffiltersend = pass ? NULL : filter;
			double t0 = cpu_now();
			if (!ews_ok(ews_message_encode(soap, &m, &out)))
				return 1;
			double dt = cpu_now() - t0;
			if (pass) {
				without[r] = dt;
				bytes_without = strlen(out);
			} else {
				with[r] = dt;
				bytes_with = strlen(out);
			}
		}
	}
	qsort(with, (size_t)runs, sizeof *with, cmp_double);
	qsort(without, (size_t)runs, sizeof *without, cmp_double);
	double a = with[runs / 2], b = without[runs / 2];
	printf("FindItem response, %d items, median of %d encodes\n", items, runs);
	printf("  gSOAP form   %8zu bytes  %8.3f ms\n", bytes_without, b * 1e3);
	printf("  wire form    %8zu bytes  %8.3f ms   difference %+.3f ms (%+.1f%%)\n", bytes_with, a * 1e3,
	       (a - b) * 1e3, b > 0 ? (a - b) / b * 100 : 0);
	free(with);
	free(without);
	free(xml);
	ews_codec_context_free(soap);
	return 0;
}
