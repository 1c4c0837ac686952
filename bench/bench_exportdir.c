/* bench_exportdir.c — scenario "export directory": ews_export_to_dir (ews/export.h) of the ids in a file into a
 * fresh directory, with its manifest (one syncfs + one manifest append per batch): what `ews-export-items --dir`
 * and each folder of `ews-backup` do per item.
 *
 *   bench-exportdir URL MAILBOX IDS-FILE OUT-DIR [--batch N] [--fetch-ahead] [--pack]
 *
 * --fetch-ahead: a second client fetches the next batch while one is written (ews_export_dir_options.fetch_client).
 * --pack: a packed directory (ews_export_dir_options.pack: one pack file, one fdatasync a batch; ews-backup's way).
 *
 * Prints "INFO base_kib=K" (resident set before the first request) and one RESULT line (bench.h); data_bytes =
 * the item Data written. OUT-DIR must not hold another export. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/export.h"

#include "bench.h"

static void count_bytes(void *arg, const ews_item_event *ev)
{
	if (ev->kind == EWS_ITEM_EXPORTED)
		*(long long *)arg += ev->bytes;
}

int main(int argc, char **argv)
{
	int batch = 50, ahead = 0, pack = 0;
	char **ids = NULL, line[1024];
	size_t n = 0, cap = 0;
	FILE *f;

	if (argc < 5 || !(f = fopen(argv[3], "r"))) {
		fprintf(stderr, "usage: bench-exportdir URL MAILBOX IDS-FILE OUT-DIR [--batch N] [--fetch-ahead] [--pack]\n");
		return 2;
	}
	for (int i = 5; i < argc; i++)
		if (!strcmp(argv[i], "--batch") && i + 1 < argc)
			batch = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--fetch-ahead"))
			ahead = 1;
		else if (!strcmp(argv[i], "--pack"))
			pack = 1;
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
	ews_client *c = bench_client_new(argv[1], argv[2], 0), *c2 = ahead ? bench_client_new(argv[1], argv[2], 0) : NULL;
	ews_transfer_summary s;
	long long data = 0;
	printf("INFO base_kib=%ld\n", bench_rss_kib());
	double cpu0 = bench_cpu_seconds(), wall0 = bench_wall_seconds();
	/* the item data summed as the items are recorded (re-reading the manifest afterwards would put its size
	 * into the peak RSS reported below) */
	ews_status st = ews_export_to_dir(c, argv[4], &(ews_export_dir_options){ .mailbox = argv[2],
		.ids = (const char *const *)ids, .n_ids = n, .batch_size = batch, .on_item = count_bytes, .arg = &data,
		.fetch_client = c2, .pack = pack },
		&s);
	double cpu = bench_cpu_seconds() - cpu0, wall = bench_wall_seconds() - wall0;
	if (!ews_ok(st) || s.done != (long)n) {
		fprintf(stderr, "bench-exportdir: %ld of %zu exported: %s\n", s.done, n, st.message);
		return 1;
	}
	/* freed before the report: the peak RSS printed covers the client's whole life, its cleanup included */
	ews_client_free(c);
	ews_client_free(c2);
	bench_report(s.done, (long)((n + (size_t)batch - 1) / (size_t)batch), cpu, wall, data);
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	return 0;
}
