/* bench_prepass.c — issue 13's lead "one pass for sanitizing and depth", applied: the CPU of the three passes
 * libews ran before gSOAP until then (sanitize, depth, mixed content: tests/common/prepass_oracle.c keeps them)
 * against the one that replaced them, ews_xml_prepass() (runtime/core/ews_xml_prepass.c), over the same bodies,
 * after checking that both give the same bytes and verdicts on every body.
 *
 *   bench-prepass DIR [--passes N] [FILE...]    DIR: a bench-replay recording; FILEs: more XML to check only
 *
 * Prints "RESULT three_pass=S one_pass=S bytes=B" (median CPU seconds of N passes over all bodies). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/sanitize.h"
#include "ews_internal.h"

#include "bench.h"
#include "prepass_oracle.h"

static char *load(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET) && (p = malloc((size_t)n + 1)) &&
	    fread(p, 1, (size_t)n, f) == (size_t)n)
		*len = (size_t)n;
	else {
		free(p);
		p = NULL;
	}
	fclose(f);
	return p;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Both ways on copies of p; 0 when they differ. */
static int same_result(const char *p, size_t len, int max_depth)
{
	char *a = malloc(len + 1), *b = malloc(len + 1);
	ews_xml_prepass_result r;
	size_t la, lb;
	int da, ok;
	long ma;

	if (!a || !b)
		return 0;
	memcpy(a, p, len);
	memcpy(b, p, len);
	la = oracle_xml_sanitize(a, len);
	da = oracle_xml_depth_exceeds(a, la, max_depth);
	ma = oracle_xml_mixed_content(a, la);
	lb = ews_xml_prepass(b, len, max_depth, &r);
	ok = la == lb && !memcmp(a, b, la) && da == r.too_deep && ma == r.mixed_at;
	free(a);
	free(b);
	return ok;
}

int main(int argc, char **argv)
{
	char **bodies = NULL, **work;
	size_t *lens = NULL, n = 0;
	long long bytes = 0;
	int passes = 5, sink = 0;
	double *t2, *t1;

	if (argc < 2) {
		fprintf(stderr, "usage: bench-prepass DIR [--passes N] [FILE...]\n");
		return 2;
	}
	for (;; n++) {
		char path[4096];
		size_t len;
		char *p;
		snprintf(path, sizeof path, "%s/%06zu.body", argv[1], n);
		if (!(p = load(path, &len)))
			break;
		bodies = realloc(bodies, (n + 1) * sizeof *bodies);
		lens = realloc(lens, (n + 1) * sizeof *lens);
		if (!bodies || !lens)
			return 1;
		bodies[n] = p;
		lens[n] = len;
		bytes += (long long)len;
	}
	for (int i = 2; i < argc; i++) {
		size_t len;
		char *p;
		if (!strcmp(argv[i], "--passes") && i + 1 < argc) {
			passes = atoi(argv[++i]);
			continue;
		}
		if (!(p = load(argv[i], &len)))
			continue;
		/* also with a tight cap, so the depth verdict is exercised both ways */
		if (!same_result(p, len, 200) || !same_result(p, len, 6)) {
			fprintf(stderr, "bench-prepass: the one pass and the three differ on %s\n", argv[i]);
			return 1;
		}
		free(p);
	}
	if (!n || passes < 1 || !(work = calloc(n, sizeof *work)) || !(t2 = calloc((size_t)passes, sizeof *t2)) ||
	    !(t1 = calloc((size_t)passes, sizeof *t1)))
		return 1;
	for (size_t i = 0; i < n; i++)
		if (!same_result(bodies[i], lens[i], 200) || !same_result(bodies[i], lens[i], 6) ||
		    !(work[i] = malloc(lens[i] + 1))) {
			fprintf(stderr, "bench-prepass: the one pass and the three differ on body %zu\n", i);
			return 1;
		}
	for (int k = 0; k < passes; k++) {
		double t0;
		ews_xml_prepass_result r;
		for (size_t i = 0; i < n; i++)
			memcpy(work[i], bodies[i], lens[i]);
		t0 = bench_cpu_seconds();
		for (size_t i = 0; i < n; i++) {
			size_t l = oracle_xml_sanitize(work[i], lens[i]);
			sink += oracle_xml_depth_exceeds(work[i], l, 200);
			sink += oracle_xml_mixed_content(work[i], l) >= 0;
		}
		t2[k] = bench_cpu_seconds() - t0;
		for (size_t i = 0; i < n; i++)
			memcpy(work[i], bodies[i], lens[i]);
		t0 = bench_cpu_seconds();
		for (size_t i = 0; i < n; i++) {
			ews_xml_prepass(work[i], lens[i], 200, &r);
			sink += r.too_deep + (r.mixed_at >= 0);
		}
		t1[k] = bench_cpu_seconds() - t0;
	}
	qsort(t2, (size_t)passes, sizeof *t2, cmp_double);
	qsort(t1, (size_t)passes, sizeof *t1, cmp_double);
	printf("RESULT three_pass=%.6f one_pass=%.6f bytes=%lld found=%d\n", t2[passes / 2], t1[passes / 2], bytes, sink);
	return 0;
}
