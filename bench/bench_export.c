/* bench_export.c — scenario "export": ExportItems of every item listed in an ids file (bench-paging --ids-out)
 * into files of a directory, through ews/export.h (ews_export_items_to_files), in batches.
 *
 *   bench-export URL MAILBOX IDS-FILE OUT-DIR [--batch N] [--xml-tree]
 *
 * Prints "INFO base_kib=K" (resident set before the first request) and one RESULT line (bench.h);
 * data_bytes = the item Data written. OUT-DIR must exist. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/export.h"

#include "bench.h"

/* The ids file as item refs (the strings live in one buffer that is never freed: the process ends). */
static size_t read_ids(const char *path, ews_item_ref **out)
{
	FILE *f = fopen(path, "r");
	size_t n = 0, cap = 1024;
	ews_item_ref *refs = malloc(cap * sizeof *refs);
	char line[1024];

	while (f && refs && fgets(line, sizeof line, f)) {
		char *tab = strchr(line, '\t'), *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (tab)
			*tab = '\0';
		if (!*line)
			continue;
		if (n == cap && !(refs = realloc(refs, (cap *= 2) * sizeof *refs)))
			break;
		refs[n].id = strdup(line);
		refs[n].change_key = tab && tab[1] ? strdup(tab + 1) : NULL;
		n++;
	}
	if (f)
		fclose(f);
	*out = refs;
	return refs ? n : 0;
}

int main(int argc, char **argv)
{
	ews_transfer_options opt = { .batch_size = 50 };
	ews_transfer_result *res = NULL;
	ews_item_ref *refs;
	const char **paths;
	long long data = 0;
	int xml_tree = 0;
	size_t n;
	ews_status st;
	ews_client *c;
	double cpu0, wall0;

	if (argc < 5) {
		fprintf(stderr, "usage: bench-export URL MAILBOX IDS-FILE OUT-DIR [--batch N] [--xml-tree]\n");
		return 2;
	}
	for (int i = 5; i < argc; i++) {
		if (!strcmp(argv[i], "--xml-tree"))
			xml_tree = 1;
		else if (!strcmp(argv[i], "--batch") && i + 1 < argc)
			opt.batch_size = atoi(argv[++i]);
	}
	if (!(n = read_ids(argv[3], &refs)) || !(paths = calloc(n, sizeof *paths))) {
		fprintf(stderr, "bench-export: no ids in %s\n", argv[3]);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		char *p = malloc(strlen(argv[4]) + 32);
		if (!p)
			return 1;
		sprintf(p, "%s/%06zu.ewsx", argv[4], i);
		paths[i] = p;
	}
	c = bench_client_new(argv[1], argv[2], xml_tree);
	printf("INFO base_kib=%ld\n", bench_rss_kib());
	cpu0 = bench_cpu_seconds();
	wall0 = bench_wall_seconds();
	st = ews_export_items_to_files(c, refs, paths, n, &opt, &res);
	if (!ews_ok(st)) {
		fprintf(stderr, "bench-export: %s\n", st.message);
		return 1;
	}
	for (size_t i = 0; i < n; i++)
		data += res[i].bytes;
	double cpu = bench_cpu_seconds() - cpu0, wall = bench_wall_seconds() - wall0;
	/* freed before the report: the peak RSS printed covers the client's whole life, its cleanup included */
	ews_transfer_results_free(res, n);
	ews_client_free(c);
	bench_report((long)n, (long)((n + (size_t)opt.batch_size - 1) / (size_t)opt.batch_size), cpu, wall, data);
	return 0;
}
