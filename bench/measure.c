/* measure.c — client-side measurement for the bench programs: CPU of this process (not wall, not the server),
 * peak RSS from the kernel's high-water mark. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench.h"

double bench_cpu_seconds(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return 0;
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

double bench_wall_seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* A "Name:   N kB" line of /proc/self/status, -1 when missing. */
static long status_kib(const char *name)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	size_t len = strlen(name);
	long kib = -1;

	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, name, len)) {
			kib = strtol(line + len, NULL, 10);
			break;
		}
	if (f)
		fclose(f);
	return kib;
}

long bench_peak_rss_kib(void)
{
	return status_kib("VmHWM:");
}

long bench_rss_kib(void)
{
	return status_kib("VmRSS:");
}

void bench_report(long items, long requests, double cpu, double wall, long long data_bytes)
{
	printf("RESULT items=%ld requests=%ld cpu=%.6f wall=%.6f hwm_kib=%ld data_bytes=%lld\n", items, requests, cpu,
	       wall, bench_peak_rss_kib(), data_bytes);
	fflush(stdout);
}

unsigned long long bench_digest(unsigned long long h, const char *s)
{
	const unsigned long long prime = 1099511628211ULL;
	size_t n = s ? strlen(s) : 0;
	uint64_t w = 0;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * prime;
	}
	w = 0;
	if (n)
		memcpy(&w, s, n);
	h = (h ^ w ^ (uint64_t)n << 56) * prime;
	return (h ^ 0xFF) * prime;
}
