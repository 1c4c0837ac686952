/* cputime.c — bench-cputime: run a command N times and report the median CPU (user + system) and the largest
 * peak RSS of the child processes (wait4's rusage), e.g. the cost of one `ews-decode` over a captured response.
 *
 *   bench-cputime N COMMAND [ARG...]      (the command's stdout goes to /dev/null)
 *
 * Prints "RESULT runs=N cpu=S maxrss_kib=K"; exit 1 when a run fails. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[1]) : 0;
	double *cpu = n > 0 ? calloc((size_t)n, sizeof *cpu) : NULL;
	long maxrss = 0;

	if (!cpu) {
		fprintf(stderr, "usage: bench-cputime N COMMAND [ARG...]\n");
		return 2;
	}
	for (int k = 0; k < n; k++) {
		struct rusage ru;
		int status;
		pid_t pid = fork();
		if (pid == 0) {
			int fd = open("/dev/null", O_WRONLY);
			if (fd >= 0)
				dup2(fd, 1);
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		if (pid < 0 || wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "bench-cputime: %s failed\n", argv[2]);
			return 1;
		}
		cpu[k] = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
		if (ru.ru_maxrss > maxrss)
			maxrss = ru.ru_maxrss;
	}
	qsort(cpu, (size_t)n, sizeof *cpu, cmp_double);
	printf("RESULT runs=%d cpu=%.6f maxrss_kib=%ld\n", n, cpu[n / 2], maxrss);
	return 0;
}
