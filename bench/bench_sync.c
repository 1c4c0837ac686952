/* bench_sync.c — scenario "sync": a full SyncFolderItems of a folder from no state through ews/sync.h, 512
 * changes a call, IdOnly + Subject.
 *
 *   bench-sync URL MAILBOX [--xml-tree] [--batches P]
 *
 * Prints one RESULT line (bench.h). --batches stops after P responses (server-side measurement). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/sync.h"

#include "bench.h"


int main(int argc, char **argv)
{
	static const char *const props[] = { "item:Subject", NULL };
	long items = 0;
	unsigned long long h = 14695981039346656037ULL;
	ews_sync *s;
	ews_sync_change ch;
	ews_status st;
	ews_client *c;
	double cpu0, wall0;
	int xml_tree = 0, batches = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: bench-sync URL MAILBOX [--xml-tree] [--batches P]\n");
		return 2;
	}
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--xml-tree"))
			xml_tree = 1;
		else if (!strcmp(argv[i], "--batches") && i + 1 < argc)
			batches = atoi(argv[++i]);
	}
	c = bench_client_new(argv[1], argv[2], xml_tree);
	cpu0 = bench_cpu_seconds();
	wall0 = bench_wall_seconds();
	st = ews_sync_new_items(c, "inbox", NULL, &(ews_sync_options){ .max_changes = 512, .shape = "IdOnly",
	                                                                .properties = props }, &s);
	/* a batch delivers 512 changes until the last: stopping after P * 512 stops before batch P + 1 is asked */
	while (ews_ok(st) && (!batches || items < batches * 512L) && ews_ok(st = ews_sync_next(s, &ch)) &&
	       ch.kind != EWS_SYNC_DONE) {
		items++;
		h = bench_digest(bench_digest(h, ch.item.id), ch.item.subject);
	}
	if (!ews_ok(st)) {
		fprintf(stderr, "bench-sync: %s\n", st.message);
		return 1;
	}
	printf("INFO digest=%016llx\n", h);
	double cpu = bench_cpu_seconds() - cpu0, wall = bench_wall_seconds() - wall0;
	long batches_done = ews_sync_batches(s);
	/* freed before the report: the peak RSS printed covers the client's whole life, its cleanup included */
	ews_sync_free(s);
	ews_client_free(c);
	bench_report(items, batches_done, cpu, wall, 0);
	return 0;
}
