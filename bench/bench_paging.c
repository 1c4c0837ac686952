/* bench_paging.c — scenario "paging": every item of a folder through ews/pager.h, FindItem IdOnly + Subject,
 * 1000 a page (MaxEntriesReturned 1000: 999 new items and the pager's anchor item).
 *
 *   bench-paging URL MAILBOX [--xml-tree] [--ids-out FILE] [--offset N] [--pages P]
 *
 * Prints "INFO total=N" (TotalItemsInView) and one RESULT line (bench.h). --ids-out writes "id<TAB>changekey"
 * lines (the export scenario's input). --offset starts there, --pages stops after P pages (the server-side
 * measurement of pages deep into a large mailbox). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/pager.h"

#include "bench.h"


int main(int argc, char **argv)
{
	static const char *const props[] = { "item:Subject", NULL };
	const char *ids_out = NULL;
	int xml_tree = 0, offset = 0, pages = 0;
	FILE *ids = NULL;
	long items = 0;
	unsigned long long h = 14695981039346656037ULL;
	ews_pager *p;
	ews_item_view it;
	ews_status st;
	ews_client *c;
	double cpu0, wall0;

	if (argc < 3) {
		fprintf(stderr, "usage: bench-paging URL MAILBOX [--xml-tree] [--ids-out FILE]\n");
		return 2;
	}
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--xml-tree"))
			xml_tree = 1;
		else if (!strcmp(argv[i], "--ids-out") && i + 1 < argc)
			ids_out = argv[++i];
		else if (!strcmp(argv[i], "--offset") && i + 1 < argc)
			offset = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--pages") && i + 1 < argc)
			pages = atoi(argv[++i]);
	}
	if (ids_out && !(ids = fopen(ids_out, "w"))) {
		perror(ids_out);
		return 1;
	}
	c = bench_client_new(argv[1], argv[2], xml_tree);
	cpu0 = bench_cpu_seconds();
	wall0 = bench_wall_seconds();
	st = ews_pager_new_items(c, &(ews_pager_options){ .folder = "inbox", .page_size = 1000, .shape = "IdOnly",
	                                                  .properties = props, .offset = offset }, &p);
	/* a page delivers 999 new items (MaxEntriesReturned 1000, one is the anchor): stopping after P * 999 items
	 * stops before page P + 1 is requested */
	while (ews_ok(st) && (!pages || items < pages * 999L) && ews_ok(st = ews_pager_next(p, &it)) && it.id) {
		items++;
		h = bench_digest(bench_digest(h, it.id), it.subject);
		if (ids)
			fprintf(ids, "%s\t%s\n", it.id, it.change_key ? it.change_key : "");
	}
	if (!ews_ok(st)) {
		fprintf(stderr, "bench-paging: %s\n", st.message);
		return 1;
	}
	printf("INFO total=%d digest=%016llx\n", ews_pager_total(p), h);
	double cpu = bench_cpu_seconds() - cpu0, wall = bench_wall_seconds() - wall0;
	long pages_done = ews_pager_pages(p);
	/* freed before the report: the peak RSS printed covers the client's whole life, its cleanup included */
	ews_pager_free(p);
	ews_client_free(c);
	bench_report(items, pages_done, cpu, wall, 0);
	if (ids && fclose(ids)) {
		perror(ids_out);
		return 1;
	}
	return 0;
}
