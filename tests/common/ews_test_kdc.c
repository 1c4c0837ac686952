/* ews_test_kdc.c — a throw-away MIT KDC on loopback for the Negotiate suites (see ews_test_kdc.h). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ews_test_kdc.h"

static const char *const env_names[] = { "KRB5_CONFIG", "KRB5_KDC_PROFILE", "KRB5CCNAME", "KRB5_KTNAME",
	                                 "KRB5RCACHEDIR", "KRB5_CLIENT_KTNAME" };

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Wait up to timeout_ms for pid; its status, or -1 after killing it. */
static int wait_bounded(pid_t pid, int timeout_ms)
{
	int status = 0;
	for (int waited = 0; waited <= timeout_ms; waited += 10) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		if (r < 0)
			return -1;
		sleep_ms(10);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

static pid_t spawn(struct ews_test_kdc *k, const char *const *argv, int in_fd)
{
	char log[400];
	pid_t pid;
	int out;

	snprintf(log, sizeof log, "%s/commands.log", k->dir);
	out = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (out < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);   /* no KDC outlives a crashed test */
		dup2(in_fd, 0);
		dup2(out, 1);
		dup2(out, 2);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(out);
	return pid;
}

int ews_test_kdc_run(struct ews_test_kdc *k, const char *const *argv, const char *input, int timeout_ms)
{
	int in[2];
	pid_t pid;

	if (pipe2(in, O_CLOEXEC))
		return -1;
	pid = spawn(k, argv, in[0]);
	close(in[0]);
	if (pid < 0) {
		close(in[1]);
		return -1;
	}
	signal(SIGPIPE, SIG_IGN);
	if (input && write(in[1], input, strlen(input)) < 0) {
		/* the program did not read it: its exit status tells */
	}
	close(in[1]);
	return wait_bounded(pid, timeout_ms);
}

/* A port free for both TCP and UDP on 127.0.0.1 (the KDC listens on both). */
static int free_port(void)
{
	for (int tries = 0; tries < 20; tries++) {
		struct sockaddr_in a = { .sin_family = AF_INET };
		socklen_t len = sizeof a;
		int t = socket(AF_INET, SOCK_STREAM, 0), u = socket(AF_INET, SOCK_DGRAM, 0), port = 0;
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (t >= 0 && u >= 0 && !bind(t, (struct sockaddr *)&a, sizeof a) &&
		    !getsockname(t, (struct sockaddr *)&a, &len) && !bind(u, (struct sockaddr *)&a, sizeof a))
			port = ntohs(a.sin_port);
		if (t >= 0)
			close(t);
		if (u >= 0)
			close(u);
		if (port)
			return port;
	}
	return -1;
}

static int write_file(const char *dir, const char *name, const char *text)
{
	char path[400];
	FILE *f;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static int kdc_answers(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
	int s = socket(AF_INET, SOCK_STREAM, 0), ok;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = s >= 0 && !connect(s, (struct sockaddr *)&a, sizeof a);
	if (s >= 0)
		close(s);
	return ok;
}

static int kadmin(struct ews_test_kdc *k, const char *query)
{
	const char *argv[] = { "kadmin.local", "-r", EWS_TEST_REALM, "-q", query, NULL };
	return ews_test_kdc_run(k, argv, NULL, 20000);
}

int ews_test_kdc_start(struct ews_test_kdc *k, const char *service_host)
{
	char text[2048], path[400], query[512];
	int rc;

	memset(k, 0, sizeof *k);
	snprintf(k->dir, sizeof k->dir, "/tmp/ews-kdc-XXXXXX");
	if (!mkdtemp(k->dir)) {
		fprintf(stderr, "kdc: mkdtemp: %s\n", strerror(errno));
		return -1;
	}
	snprintf(k->keytab, sizeof k->keytab, "%s/http.keytab", k->dir);
	snprintf(k->ccache, sizeof k->ccache, "FILE:%s/ccache", k->dir);
	for (int attempt = 0; attempt < 3; attempt++) {
		k->port = free_port();
		if (k->port < 0)
			return -1;
		/* dns_canonicalize_hostname/rdns off: HTTP@127.0.0.1 is HTTP/127.0.0.1, whatever the resolver says */
		snprintf(text, sizeof text,
		         "[libdefaults]\n default_realm = %s\n dns_lookup_kdc = false\n dns_lookup_realm = false\n"
		         " dns_canonicalize_hostname = false\n rdns = false\n udp_preference_limit = 1\n"
		         "[realms]\n %s = {\n  kdc = 127.0.0.1:%d\n }\n"
		         "[domain_realm]\n 127.0.0.1 = %s\n localhost = %s\n",
		         EWS_TEST_REALM, EWS_TEST_REALM, k->port, EWS_TEST_REALM, EWS_TEST_REALM);
		if (write_file(k->dir, "krb5.conf", text))
			return -1;
		snprintf(text, sizeof text,
		         "[kdcdefaults]\n kdc_listen = 127.0.0.1:%d\n kdc_tcp_listen = 127.0.0.1:%d\n"
		         "[realms]\n %s = {\n  database_name = %s/principal\n  key_stash_file = %s/stash\n"
		         "  acl_file = %s/kadm5.acl\n  max_life = 10h\n  supported_enctypes = aes256-cts-hmac-sha1-96:normal\n }\n"
		         "[logging]\n kdc = FILE:%s/kdc.log\n",
		         k->port, k->port, EWS_TEST_REALM, k->dir, k->dir, k->dir, k->dir);
		if (write_file(k->dir, "kdc.conf", text) || write_file(k->dir, "kadm5.acl", ""))
			return -1;
		snprintf(path, sizeof path, "%s/krb5.conf", k->dir);
		setenv("KRB5_CONFIG", path, 1);
		snprintf(path, sizeof path, "%s/kdc.conf", k->dir);
		setenv("KRB5_KDC_PROFILE", path, 1);
		setenv("KRB5CCNAME", k->ccache, 1);
		snprintf(path, sizeof path, "FILE:%s", k->keytab);
		setenv("KRB5_KTNAME", path, 1);
		setenv("KRB5RCACHEDIR", k->dir, 1);
		snprintf(path, sizeof path, "FILE:%s/no-client.keytab", k->dir);
		setenv("KRB5_CLIENT_KTNAME", path, 1);      /* never a client keytab of the machine */
		if (attempt == 0) {
			const char *create[] = { "kdb5_util", "create", "-s", "-r", EWS_TEST_REALM, "-P", "ews-test-master",
				                 NULL };
			if ((rc = ews_test_kdc_run(k, create, NULL, 30000))) {
				fprintf(stderr, "kdc: kdb5_util create failed (%d; is krb5-kdc installed? see %s/commands.log)\n",
				        rc, k->dir);
				return -1;
			}
			snprintf(query, sizeof query, "addprinc -randkey HTTP/%s", service_host);
			if (kadmin(k, query))
				return -1;
			snprintf(query, sizeof query, "ktadd -k %s HTTP/%s", k->keytab, service_host);
			if (kadmin(k, query)) {
				fprintf(stderr, "kdc: kadmin.local failed (is krb5-admin-server installed?)\n");
				return -1;
			}
		}
		{
			const char *argv[] = { "krb5kdc", "-n", "-r", EWS_TEST_REALM, NULL };
			int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
			k->pid = spawn(k, argv, devnull);
			close(devnull);
		}
		if (k->pid < 0)
			return -1;
		for (int waited = 0; waited < 10000; waited += 20) {
			int status;
			if (kdc_answers(k->port))
				return 0;
			if (waitpid(k->pid, &status, WNOHANG) == k->pid) {
				k->pid = 0;     /* it exited: the port was taken after all; another one */
				break;
			}
			sleep_ms(20);
		}
		if (k->pid > 0) {
			kill(k->pid, SIGKILL);
			waitpid(k->pid, NULL, 0);
			k->pid = 0;
		}
	}
	fprintf(stderr, "kdc: krb5kdc did not start (see %s/kdc.log)\n", k->dir);
	return -1;
}

int ews_test_kdc_add_service(struct ews_test_kdc *k, const char *host)
{
	char query[512];
	snprintf(query, sizeof query, "addprinc -randkey HTTP/%s", host);
	if (kadmin(k, query))
		return -1;
	snprintf(query, sizeof query, "ktadd -k %s HTTP/%s", k->keytab, host);
	return kadmin(k, query);
}

int ews_test_kdc_add_user(struct ews_test_kdc *k, const char *name, const char *password)
{
	char query[512];
	snprintf(query, sizeof query, "addprinc -pw %s %s", password, name);
	return kadmin(k, query);
}

int ews_test_kdc_kinit(struct ews_test_kdc *k, const char *name, const char *password, const char *lifetime)
{
	char input[256];
	const char *argv[] = { "kinit", "-l", lifetime ? lifetime : "1h", name, NULL };
	snprintf(input, sizeof input, "%s\n", password);
	return ews_test_kdc_run(k, argv, input, 20000);
}

void ews_test_kdc_kdestroy(struct ews_test_kdc *k)
{
	const char *argv[] = { "kdestroy", NULL };
	ews_test_kdc_run(k, argv, NULL, 10000);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

void ews_test_kdc_stop(struct ews_test_kdc *k)
{
	if (k->pid > 0) {
		kill(k->pid, SIGTERM);
		if (wait_bounded(k->pid, 5000) == -1)
			fprintf(stderr, "kdc: krb5kdc did not stop on SIGTERM within 5 s; killed\n");
		k->pid = 0;
	}
	if (k->dir[0] && !getenv("EWS_KEEP_KDC"))
		nftw(k->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	k->dir[0] = '\0';
	for (size_t i = 0; i < sizeof env_names / sizeof env_names[0]; i++)
		unsetenv(env_names[i]);
}
