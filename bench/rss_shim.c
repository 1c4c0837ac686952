/* rss_shim.c — bench-rss.so, preloaded (LD_PRELOAD) into the clients bench/transfer.sh measures, to say what
 * their peak resident set over "start" is made of.
 *
 *   BENCH_PREFAULT=1       at load, every file-backed mapping of the process (the program's and its libraries'
 *                          code and read-only data) is mapped in at once (MADV_POPULATE_READ, Linux 5.14). The
 *                          peak over start then counts the memory the run takes, not the first touches of
 *                          program text (~1 MiB of the ExportItems path's code, the same for any batch size and
 *                          shared with every process running it), which otherwise land after start.
 *   BENCH_RSS_START=FILE   the resident set (KiB) just before the process's first connect(), written to FILE
 *                          once: a tool's "start", as the bench programs print theirs before their first
 *                          request (its clients made, nothing asked yet).
 *   BENCH_PEAK_MAPS=FILE   what the peak over that start is made of: each mapping's resident KiB at the first
 *                          connect() and at the highest resident set a thread sampling every 2 ms saw, written
 *                          to FILE at exit, one line per mapping that grew ("KIND NAME START PEAK"; KIND code
 *                          for a file's mapping, anon for memory). For diagnosis: the sampling costs CPU, and
 *                          its thread (a stack, a malloc arena for its reads) adds a little to the peak.
 * Nothing here changes what the client does; it is never linked into libews or a tool. */
#define _GNU_SOURCE /* RTLD_NEXT */
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"   /* bench_rss_kib (measure.c, linked in with hidden visibility: only connect is exported) */

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif

__attribute__((constructor)) static void prefault(void)
{
	const char *on = getenv("BENCH_PREFAULT");
	if (!on || strcmp(on, "1"))
		return;
	FILE *f = fopen("/proc/self/maps", "r");
	char line[600];
	while (f && fgets(line, sizeof line, f)) {
		unsigned long a, b;
		char path[512] = "";
		if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %511s", &a, &b, path) == 3 && path[0] == '/')
			madvise((void *)a, b - a, MADV_POPULATE_READ); /* (a mapping it cannot populate is left) */
	}
	if (f)
		fclose(f);
}

/* ---- BENCH_PEAK_MAPS: the mappings at start and at the peak (static tables: the sampler allocates nothing) ---- */
#define MAPS 1024
struct map_rss {
	unsigned long addr;
	long kib;
	char name[96];
};
static struct map_rss at_start[MAPS], at_peak[MAPS], scratch[MAPS];
static int n_start, n_peak;
static long peak_kib;

/* The process's mappings with their resident KiB, from /proc/self/smaps; returns how many. */
static int read_maps(struct map_rss *m)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[600];
	int n = -1;
	while (f && fgets(line, sizeof line, f)) {
		unsigned long a, b;
		char name[512] = "";
		long kib;
		/* a mapping's first line starts with its address (lower-case hex); its fields, with a capital */
		if (((line[0] >= '0' && line[0] <= '9') || (line[0] >= 'a' && line[0] <= 'f')) &&
		    sscanf(line, "%lx-%lx %*s %*s %*s %*s %511s", &a, &b, name) >= 2) {
			if (++n == MAPS)
				break;
			m[n].addr = a;
			m[n].kib = 0;
			snprintf(m[n].name, sizeof m[n].name, "%s", name[0] ? name : "[anon]");
		} else if (n >= 0 && sscanf(line, "Rss: %ld", &kib) == 1) {
			m[n].kib = kib;
		}
	}
	if (f)
		fclose(f);
	return n < 0 ? 0 : n == MAPS ? MAPS : n + 1;
}

static void *sample_peak(void *arg)
{
	(void)arg;
	for (;;) {
		long now = bench_rss_kib();
		if (now > peak_kib) {
			int n = read_maps(scratch);
			memcpy(at_peak, scratch, (size_t)n * sizeof *scratch);
			n_peak = n;
			peak_kib = now;
		}
		usleep(2000);
	}
	return NULL;
}

static void write_peak_maps(void)
{
	FILE *out = fopen(getenv("BENCH_PEAK_MAPS"), "w");
	if (!out)
		return;
	fprintf(out, "# peak %ld KiB; mappings that grew after the first connect(): KIND NAME START PEAK (KiB)\n",
	        peak_kib);
	for (int i = 0; i < n_peak; i++) {
		long before = 0;
		for (int j = 0; j < n_start; j++)
			if (at_start[j].addr == at_peak[i].addr)
				before = at_start[j].kib;
		if (at_peak[i].kib > before)
			fprintf(out, "%s %s %ld %ld\n", at_peak[i].name[0] == '/' ? "code" : "anon", at_peak[i].name, before,
			        at_peak[i].kib);
	}
	fclose(out);
}

static void start_peak_maps(void)
{
	pthread_t t;
	const char *file = getenv("BENCH_PEAK_MAPS");
	if (!file || !*file)
		return;
	n_start = read_maps(at_start);
	if (!pthread_create(&t, NULL, sample_peak, NULL))
		atexit(write_peak_maps);
}

__attribute__((visibility("default"))) int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	static atomic_int noted, sampled;
	if (!atomic_exchange(&sampled, 1))
		start_peak_maps();
	int (*real)(int, const struct sockaddr *, socklen_t) =
		(int (*)(int, const struct sockaddr *, socklen_t))dlsym(RTLD_NEXT, "connect");
	const char *file = getenv("BENCH_RSS_START");
	if (file && *file && !atomic_exchange(&noted, 1)) {
		int out = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (out >= 0) {
			char buf[32];
			int n = snprintf(buf, sizeof buf, "%ld\n", bench_rss_kib());
			if (write(out, buf, (size_t)n) != n)
				unlink(file);
			close(out);
		}
	}
	return real ? real(fd, addr, len) : -1;
}
