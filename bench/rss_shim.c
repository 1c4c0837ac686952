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
 * Nothing here changes what the client does; it is never linked into libews or a tool. */
#define _GNU_SOURCE /* RTLD_NEXT */
#include <dlfcn.h>
#include <fcntl.h>
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

__attribute__((visibility("default"))) int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	static atomic_int noted;
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
