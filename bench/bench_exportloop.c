/* bench_exportloop.c — scenario "plain ExportItems loop": what a program without ews/export.h writes, the
 * yardstick of the export rows. The ids in batches, one generated ews_export_items() call each, the Data sizes
 * summed and the response released; nothing written to disk.
 *
 *   bench-exportloop URL MAILBOX IDS-FILE [--batch N]
 *
 * Prints "INFO base_kib=K" (resident set before the first request) and one RESULT line (bench.h);
 * data_bytes = the item Data decoded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews/ews.h"

#include "bench.h"

/* Our schema makes ExportItems' Data optional (a pointer), the official one required (embedded). */
#define EXPORT_DATA(m) _Generic((m)->Data, struct xsd__base64Binary *: (m)->Data, default: &(m)->Data)

int main(int argc, char **argv)
{
	int batch = 50;
	char **ids = NULL, line[1024];
	size_t n = 0, cap = 0;
	long long data = 0;
	long requests = 0;
	FILE *f;

	if (argc < 4 || !(f = fopen(argv[3], "r"))) {
		fprintf(stderr, "usage: bench-exportloop URL MAILBOX IDS-FILE [--batch N]\n");
		return 2;
	}
	for (int i = 4; i < argc; i++)
		if (!strcmp(argv[i], "--batch") && i + 1 < argc)
			batch = atoi(argv[++i]);
	if (batch < 1 || batch > 1000)
		batch = 50;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\t\n")] = '\0';
		if (!*line)
			continue;
		if (n == cap && !(ids = realloc(ids, (cap = cap ? cap * 2 : 1024) * sizeof *ids)))
			return 1;
		if (!(ids[n++] = strdup(line)))
			return 1;
	}
	fclose(f);
	ews_client *c = bench_client_new(argv[1], argv[2], 0);
	struct soap *a = ews_client_arena(c);
	printf("INFO base_kib=%ld\n", bench_rss_kib());
	double cpu0 = bench_cpu_seconds(), wall0 = bench_wall_seconds();
	for (size_t start = 0; start < n; start += (size_t)batch) {
		int k = n - start < (size_t)batch ? (int)(n - start) : batch;
		struct ewsmsg__ExportItemsType *req = soap_new_ewsmsg__ExportItemsType(a, -1);
		struct __ewsmsg__ExportItemsResponse resp;
		req->ItemIds = soap_new_ewstype__NonEmptyArrayOfItemIdsType(a, -1);
		req->ItemIds->ItemId = soap_new_ewstype__ItemIdType(a, k);
		req->ItemIds->__sizeItemId = k;
		for (int i = 0; i < k; i++)
			req->ItemIds->ItemId[i].Id = ids[start + (size_t)i];
		memset(&resp, 0, sizeof resp);
		ews_status st = ews_export_items(c, req, &resp);
		if (!ews_ok(st)) {
			fprintf(stderr, "bench-exportloop: %s\n", st.message);
			return 1;
		}
		const struct ewsmsg__ArrayOfResponseMessagesType *msgs = resp.ewsmsg__ExportItemsResponse->ResponseMessages;
		for (int i = 0; i < ews_response_messages_count(msgs); i++) {
			ews_response_message m;
			if (!ews_response_messages_get(msgs, i, &m) && m.message) {
				const struct xsd__base64Binary *d = EXPORT_DATA((const struct ewsmsg__ExportItemsResponseMessageType *)m.message);
				data += d && d->__ptr ? d->__size : 0;
			}
		}
		requests++;
		ews_client_release(c);
		ews_client_arena_reset(c);
	}
	double cpu = bench_cpu_seconds() - cpu0, wall = bench_wall_seconds() - wall0;
	/* freed before the report: the peak RSS printed covers the client's whole life, its cleanup included */
	ews_client_free(c);
	bench_report((long)n, requests, cpu, wall, data);
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	return 0;
}
