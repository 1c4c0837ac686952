/* bench_sax.c — the practical limit: a bare libxml2 SAX2 pass (namespaces on, callbacks that only count
 * elements) over the very response bodies a scenario received, read from its recording into memory first, so
 * only parsing is timed.
 *
 *   bench-sax DIR [--passes N]      DIR: a bench-replay recording (NNNNNN.body files)
 *
 * Prints one RESULT line (bench.h) with the median CPU of N passes (default 5) over all bodies; items = the
 * elements seen in one pass, data_bytes = the bytes parsed in one pass. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "bench.h"

static void count_element(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
                          int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
                          const xmlChar **attributes)
{
	(*(long *)ctx)++;
}

static void ignore_text(void *ctx, const xmlChar *ch, int len)
{
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static char *load(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET) && (p = malloc((size_t)n + 1)) &&
	    fread(p, 1, (size_t)n, f) == (size_t)n) {
		*len = (size_t)n;
	} else {
		free(p);
		p = NULL;
	}
	fclose(f);
	return p;
}

int main(int argc, char **argv)
{
	xmlSAXHandler sax;
	char **bodies = NULL;
	size_t *lens = NULL, n = 0;
	long long bytes = 0;
	int passes = argc > 3 && !strcmp(argv[2], "--passes") ? atoi(argv[3]) : 5;
	double *cpu;
	long elements = 0;

	if (argc < 2 || passes < 1 || !(cpu = calloc((size_t)passes, sizeof *cpu))) {
		fprintf(stderr, "usage: bench-sax DIR [--passes N]\n");
		return 2;
	}
	for (;; n++) {
		char path[4096];
		size_t len;
		char *p;
		snprintf(path, sizeof path, "%s/%06zu.body", argv[1], n);
		if (!(p = load(path, &len)))
			break;
		if (!(bodies = realloc(bodies, (n + 1) * sizeof *bodies)) || !(lens = realloc(lens, (n + 1) * sizeof *lens)))
			return 1;
		bodies[n] = p;
		lens[n] = len;
		bytes += (long long)len;
	}
	if (!n) {
		fprintf(stderr, "bench-sax: no recorded bodies in %s\n", argv[1]);
		return 1;
	}
	memset(&sax, 0, sizeof sax);
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = count_element;
	sax.characters = ignore_text;
	xmlInitParser();
	for (int k = 0; k < passes; k++) {
		double t0 = bench_cpu_seconds();
		elements = 0;
		for (size_t i = 0; i < n; i++)
			if (xmlSAXUserParseMemory(&sax, &elements, bodies[i], (int)lens[i])) {
				fprintf(stderr, "bench-sax: %s/%06zu.body does not parse\n", argv[1], i);
				return 1;
			}
		cpu[k] = bench_cpu_seconds() - t0;
	}
	qsort(cpu, (size_t)passes, sizeof *cpu, cmp_double);
	bench_report(elements, (long)n, cpu[passes / 2], 0, bytes);
	return 0;
}
