/* ews_cli.c — the shared command-line conventions of the ews-* commands (see ews/cli.h): flags over the
 * environment, exit codes, messages, files, progress. Folder arguments are in ews_cli_folder.c. */
#include <ctype.h>
#include <limits.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "soapH.h"
#include "ews/cli.h"
#include "ews_operations.h"     /* generated: ews_operation_find, for ews_cli_require_ops */
#include "ews_schema.h"         /* generated: the schema set the bindings come from (name, identity hash) */

/* A tool started with stdin, stdout or stderr closed (`>&-`) would get that number for the next file or socket
 * it opens, and its printing would go there: into a manifest, a journal, the connection to the server. Each
 * closed one is opened on /dev/null first, as robust command-line programs do. */
static void std_fds_open(void)
{
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
			int n = open("/dev/null", fd ? O_WRONLY : O_RDONLY);
			if (n >= 0 && n != fd)   /* (the lowest free number: fd itself, unless a lower one was closed too) */
				close(n);
		}
}

/* The tools that fetch ahead (ews-backup, ews-export-items) run a thread per batch asked for, a recording thread and
 * a sync thread, and glibc gives threads malloc arenas of their own: what one thread allocates and another frees
 * (a sync batch's ids, a batch's records) stayed resident in each arena, ~0.3 MiB apiece, a quarter of ews-backup's
 * peak over its start with batches of 256. The threads mostly wait on the network: two arenas took that memory off
 * and cost no CPU measurable against ewsd (bench/README.md, twenty-third session). A tool's choice, not libews's:
 * the library leaves its callers' allocator alone. */
static void few_malloc_arenas(void)
{
#if defined(__GLIBC__) && defined(M_ARENA_MAX)
	if (!getenv("MALLOC_ARENA_MAX"))   /* (the user's setting wins) */
		mallopt(M_ARENA_MAX, 2);
#endif
}

void ews_cli_release_memory(void)
{
	ews_release_cached_memory();
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

ews_status ews_cli_init(ews_cli *cli, const char *prog)
{
	std_fds_open();
	few_malloc_arenas();
	if (!cli)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_cli_init: cli is NULL");
	memset(cli, 0, sizeof *cli);
	cli->prog = prog ? prog : "ews";
	ews_options_init(&cli->opt);
	cli->auth_env = getenv("EWS_AUTH") && *getenv("EWS_AUTH");
	cli->email = getenv("EWS_EMAIL");
	cli->trust_hosts = getenv("EWS_TRUST_HOST");
	return ews_options_from_env(&cli->opt);
}

int ews_cli_usage_error(const ews_cli *cli, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", cli && cli->prog ? cli->prog : "ews");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see --help)\n", stderr);
	return EWS_EXIT_USAGE;
}

const char *ews_cli_value(const ews_cli *cli, int argc, char **argv, int *i)
{
	if (*i + 1 >= argc) {
		ews_cli_usage_error(cli, "%s needs a value", argv[*i]);
		return NULL;
	}
	return argv[++*i];
}

int ews_cli_int(const ews_cli *cli, const char *flag, const char *value, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = value ? strtol(value, &end, 10) : 0;
	if (!value || errno || end == value || *end || v < lo || v > hi) {
		if (hi == LONG_MAX)
			ews_cli_usage_error(cli, "%s must be a whole number from %ld up", flag, lo);
		else
			ews_cli_usage_error(cli, "%s must be a whole number from %ld to %ld", flag, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

void ews_cli_print_version(const ews_cli *cli, FILE *f)
{
	fprintf(f, "%s (libews %s)\nbindings: schema %s (identity %s%s), gSOAP %d.%d.%d\n",
		cli && cli->prog ? cli->prog : "ews", EWS_CLI_LIBRARY_VERSION, EWS_SCHEMA_NAME, EWS_SCHEMA_HASH,
		EWS_SCHEMA_IS_DEFAULT ? ", libews's own" : "", GSOAP_VERSION / 10000, GSOAP_VERSION / 100 % 100,
		GSOAP_VERSION % 100);
}

int ews_cli_require_ops(const ews_cli *cli, const char *const *ops)
{
	for (; *ops; ops++)
		if (!ews_operation_find(*ops))
			return ews_cli_error(cli, *ops, ews_status_make(EWS_ERR_UNSUPPORTED, "not an operation of the "
					     "bindings' schema set %s (%d operations): this build of %s cannot do it; "
					     "build libews from a newer set (make generate SCHEMA_DIR=...)", EWS_SCHEMA_NAME,
					     EWS_SCHEMA_OPERATIONS, cli->prog));
	return EWS_EXIT_OK;
}

static int parse_auth(const char *v, ews_auth *out)
{
	if (!strcasecmp(v, "device")) {
		*out = EWS_AUTH_OAUTH2_DEVICE;
		return 0;
	}
	static const struct { const char *name; ews_auth auth; } names[] = {
		{ "basic", EWS_AUTH_BASIC }, { "ntlm", EWS_AUTH_NTLM }, { "bearer", EWS_AUTH_BEARER },
		{ "oauth2", EWS_AUTH_OAUTH2 }, { "none", EWS_AUTH_NONE }, { "negotiate", EWS_AUTH_NEGOTIATE } };
	for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
		if (!strcasecmp(v, names[k].name)) {
			*out = names[k].auth;
			return 0;
		}
	return -1;
}

int ews_cli_flag(ews_cli *cli, int argc, char **argv, int *i)
{
	static const char *const valued[] = { "--url", "--user", "--password", "--token", "--auth", "--server-version",
					      "--impersonate", "--ca-file", "--attempts", "--email", "--trust-host",
					      "--token-cache", "--client-id", "--oauth2-token-url", "--oauth2-device-url" };
	const char *a = argv[*i], *v;
	size_t k;
	long n;

	if (!strcmp(a, "--json")) {
		cli->json = 1;
		return EWS_CLI_TAKEN;
	}
	if (!strcmp(a, "--insecure")) {
		cli->opt.insecure = 1;
		return EWS_CLI_TAKEN;
	}
	if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
		cli->verbose = 1;
		return EWS_CLI_TAKEN;
	}
	if (!strcmp(a, "--version")) {
		ews_cli_print_version(cli, stdout);
		return EWS_CLI_DONE;
	}
	for (k = 0; k < sizeof valued / sizeof valued[0] && strcmp(a, valued[k]); k++)
		;
	if (k == sizeof valued / sizeof valued[0])
		return EWS_CLI_NOT_MINE;
	if (*i + 1 >= argc) {
		ews_cli_usage_error(cli, "%s needs a value", a);
		return EWS_CLI_BAD;
	}
	v = argv[++*i];
	switch (k) {
	case 0: cli->opt.url = v; break;
	case 1: cli->opt.user = v; cli->cred_flags |= EWS_CLI_CRED_PASSWORD; break;
	case 2: cli->opt.password = v; cli->cred_flags |= EWS_CLI_CRED_PASSWORD; break;
	case 3: cli->opt.token = v; cli->cred_flags |= EWS_CLI_CRED_TOKEN; break;
	case 4:
		if (parse_auth(v, &cli->opt.auth)) {
			ews_cli_usage_error(cli, "--auth must be basic, ntlm, negotiate, bearer, oauth2, device or none");
			return EWS_CLI_BAD;
		}
		cli->auth_flag = 1;
		break;
	case 5: cli->opt.server_version = v; break;
	case 6: cli->opt.impersonate = v; break;
	case 7: cli->opt.ca_file = v; break;
	case 9: cli->email = v; cli->email_flag = 1; break;
	case 10: cli->trust_hosts = v; break;
	case 11: cli->token_cache = v; break;
	case 12: cli->opt.oauth2_client_id = v; break;
	case 13: cli->opt.oauth2_token_url = v; break;
	case 14: cli->device_url = v; break;
	default:
		if (ews_cli_int(cli, "--attempts", v, 1, 100, &n))
			return EWS_CLI_BAD;
		cli->opt.max_attempts = (int)n;
	}
	return EWS_CLI_TAKEN;
}

int ews_cli_exit_code(ews_status st)
{
	switch (st.code) {
	case EWS_OK:
		return EWS_EXIT_OK;
	case EWS_ERR_AUTH:
		return EWS_EXIT_AUTH;
	case EWS_ERR_CONNECT:
	case EWS_ERR_TLS:
	case EWS_ERR_TIMEOUT:
	case EWS_ERR_IO:               /* the connection broke (a local file's failure is EWS_ERR_FILE: exit 1) */
	case EWS_ERR_OUTCOME_UNKNOWN:  /* sent whole, the answer lost or cut: not a partial success */
	case EWS_ERR_XML:              /* a garbled answer (one cut in transit is EWS_ERR_IO; a proxy that cuts and
	                                * re-frames it leaves XML that ends early): the connection's trouble too */
		return EWS_EXIT_CONNECT;
	case EWS_ERR_HTTP:             /* a gateway in front of the server is the network's trouble, 404 the URL's */
		return st.http_status >= 502 && st.http_status <= 504 ? EWS_EXIT_CONNECT : EWS_EXIT_NOT_EWS;
	case EWS_ERR_ARGUMENT:
		return EWS_EXIT_USAGE;
	default:
		return EWS_EXIT_PARTIAL;
	}
}

void ews_cli_json_string(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

int ews_cli_report(const ews_cli *cli, const char *what, ews_status st, int rc)
{
	if (cli && cli->json) {
		printf("{\"type\":\"error\",\"ok\":false,\"error\":");
		ews_cli_json_string(stdout, ews_strerror(st.code));
		printf(",\"message\":");
		ews_cli_json_string(stdout, st.message);
		printf(",\"response_code\":");
		ews_cli_json_string(stdout, st.response_code[0] ? st.response_code : NULL);
		if (what) {
			printf(",\"what\":");
			ews_cli_json_string(stdout, what);
		}
		printf(",\"exit\":%d}\n", rc);
		fflush(stdout);
		return rc;
	}
	fprintf(stderr, "%s: %s%s%s%s%s%s\n", cli ? cli->prog : "ews", what ? what : "", what ? ": " : "",
		st.message[0] ? st.message : ews_strerror(st.code), st.response_code[0] ? " [" : "",
		st.response_code, st.response_code[0] ? "]" : "");
	if (st.code == EWS_ERR_AUTH && cli && cli->opt.auth == EWS_AUTH_NEGOTIATE)
		fprintf(stderr, "%s: check the Kerberos ticket (klist; kinit USER@REALM) or --user/--password for the NTLM "
				"fallback\n", cli->prog);
	else if (st.code == EWS_ERR_AUTH && cli && cli->opt.auth == EWS_AUTH_OAUTH2_DEVICE)
		fprintf(stderr, "%s: run the command again to sign in with a new code (the tokens are kept in --token-cache "
				"FILE, default ~/.cache/libews/tokens)\n", cli->prog);
	else if (st.code == EWS_ERR_AUTH)
		fprintf(stderr, "%s: check --user/--password (EWS_USER, EWS_PASSWORD) or --token (EWS_TOKEN)\n",
			cli ? cli->prog : "ews");
	else if (rc == EWS_EXIT_NOT_EWS)
		fprintf(stderr, "%s: this does not look like an EWS endpoint: check --url (EWS_URL), usually "
				"https://HOST/EWS/Exchange.asmx\n", cli ? cli->prog : "ews");
	return rc;
}

int ews_cli_error(const ews_cli *cli, const char *what, ews_status st)
{
	return ews_cli_report(cli, what, st, ews_cli_exit_code(st));
}

void ews_cli_item_error(ews_cli *cli, const char *what, ews_status st)
{
	if (!cli->json && st.code == EWS_ERR_FILE && cli->fold.code == EWS_ERR_FILE &&
	    !strcmp(cli->fold.message, st.message)) {
		cli->folded++;
		return;
	}
	ews_cli_item_errors_end(cli);
	ews_cli_error(cli, what, st);
	if (st.code == EWS_ERR_FILE)
		cli->fold = st;
}

void ews_cli_item_errors_end(ews_cli *cli)
{
	if (cli->folded)
		fprintf(stderr, "%s: ... and %ld more item%s: the same error\n", cli->prog, cli->folded,
		        cli->folded == 1 ? "" : "s");
	cli->folded = 0;
	cli->fold = ews_status_ok();
}

int ews_cli_file_error(const ews_cli *cli, const char *path, ews_status st)
{
	return ews_cli_report(cli, path, st, ews_ok(st) ? EWS_EXIT_OK : EWS_EXIT_PARTIAL);
}

/* Library log lines on stderr: retries and warnings always (a user waiting on a refused connection should see
 * why), the rest (authentication steps, debug) with --verbose. Never credentials: the library leaves them out. */
static void log_line(void *arg, ews_log_level level, const char *message)
{
	const ews_cli *cli = arg;
	const char *colon = strstr(message, ": ");
	size_t op = colon ? (size_t)(colon - message) + 2 : 0;
	if (!cli->verbose && level < EWS_LOG_WARNING && !strstr(message, "retrying in"))
		return;
	/* "FindItem: FindItem: cannot connect": the retry line quotes a status that already names the operation */
	if (op && op < 64 && !strncmp(message + op, message, op))
		message += op;
	fprintf(stderr, "%s: %s\n", cli->prog, message);
}

/* An explicit credential flag beats every environment credential of another kind: --user/--password drop an
 * EWS_TOKEN and OAuth2 client credentials from the environment, --token drops EWS_USER/EWS_PASSWORD, and an
 * EWS_AUTH that names the other kind gives way (an --auth flag always wins). */
static void flags_over_environment(ews_cli *cli)
{
	int pw = cli->cred_flags & EWS_CLI_CRED_PASSWORD, tok = cli->cred_flags & EWS_CLI_CRED_TOKEN;
	ews_auth a = cli->opt.auth;

	if (pw && !tok) {
		cli->opt.token = NULL;
		cli->opt.oauth2_client_id = cli->opt.oauth2_client_secret = NULL;
		if (cli->auth_env && a != EWS_AUTH_BASIC && a != EWS_AUTH_NTLM && a != EWS_AUTH_NEGOTIATE)
			cli->auth_env = 0;
	} else if (tok && !pw) {
		cli->opt.user = cli->opt.password = NULL;
		cli->opt.oauth2_client_id = cli->opt.oauth2_client_secret = NULL;
		if (cli->auth_env && a != EWS_AUTH_BEARER)
			cli->auth_env = 0;
	}
	if (cli->auth_flag || cli->auth_env)
		return;
	/* ews_options_from_env guessed the method from the environment alone; guess again now flags are in */
	if (cli->opt.token)
		cli->opt.auth = EWS_AUTH_BEARER;
	else if (cli->opt.oauth2_client_id && cli->opt.oauth2_client_secret)
		cli->opt.auth = EWS_AUTH_OAUTH2;
	else if (cli->opt.user && cli->opt.password)
		cli->opt.auth = EWS_AUTH_BASIC;
	else
		cli->opt.auth = EWS_AUTH_NONE;
}

/* URL schemes are case-insensitive (RFC 3986 3.1): "HTTP://host" is http://host. */
static void lower_scheme(ews_cli *cli)
{
	const char *u = cli->opt.url;
	size_t n = strlen(u), k;
	if (n >= sizeof cli->url || !strstr(u, "://") || u == cli->url)
		return;
	memcpy(cli->url, u, n + 1);
	for (k = 0; cli->url[k] && cli->url[k] != ':'; k++)
		cli->url[k] = (char)tolower((unsigned char)cli->url[k]);
	cli->opt.url = cli->url;
}

int ews_cli_connect_another(ews_cli *cli, ews_client **out)
{
	const char *email = cli->email;
	cli->email = NULL;   /* the URL autodiscover found is in cli->opt.url */
	int rc = ews_cli_connect(cli, out);
	cli->email = email;
	return rc;
}

int ews_cli_connect(ews_cli *cli, ews_client **out)
{
	ews_status st;

	*out = NULL;
	if (cli->email && *cli->email && (!cli->opt.url || !*cli->opt.url || cli->email_flag)) {
		int rc;
		flags_over_environment(cli);
		if ((rc = ews_cli_autodiscover(cli)) != EWS_EXIT_OK)
			return rc;
	}
	if (!cli->opt.url || !*cli->opt.url) {
		fprintf(stderr, "%s: no server: give --url URL or --email ADDRESS, or set EWS_URL (see --help)\n",
			cli->prog);
		return EWS_EXIT_USAGE;
	}
	lower_scheme(cli);
	flags_over_environment(cli);
	if (cli->opt.auth == EWS_AUTH_OAUTH2_DEVICE) {
		int rc;
		ews_options o = cli->opt;
		o.auth = EWS_AUTH_NONE; /* set below: it takes a prompt and a cache, not ews_options fields */
		st = ews_client_new(NULL, &o, out);
		if (!ews_ok(st))
			return ews_cli_error(cli, "configuration", st);
		ews_client_set_log(*out, log_line, cli);
		if (!cli->device_url && getenv("EWS_OAUTH2_DEVICE_URL") && *getenv("EWS_OAUTH2_DEVICE_URL"))
			cli->device_url = getenv("EWS_OAUTH2_DEVICE_URL");
		if ((rc = ews_cli_device_auth(cli, *out)) != EWS_EXIT_OK) {
			ews_client_free(*out);
			*out = NULL;
		}
		return rc;
	}
	st = ews_client_new(NULL, &cli->opt, out);
	if (!ews_ok(st))
		return ews_cli_error(cli, "configuration", st);
	ews_client_set_log(*out, log_line, cli);
	return EWS_EXIT_OK;
}

void ews_cli_progress(const ews_cli *cli, long done, long total, const char *label)
{
	enum { WIDTH = 30 };
	char bar[WIDTH + 1];
	int fill;

	if (!cli || cli->json || !isatty(STDERR_FILENO))
		return;
	if (done < 0) {
		fputs("\r\033[K", stderr);
		return;
	}
	fill = total > 0 ? (int)(done * WIDTH / total) : 0;
	if (fill > WIDTH)
		fill = WIDTH;
	memset(bar, '#', (size_t)fill);
	memset(bar + fill, '.', (size_t)(WIDTH - fill));
	bar[WIDTH] = '\0';
	fprintf(stderr, "\r[%s] %ld/%ld %.40s\033[K", bar, done, total, label ? label : "");
}

ews_status ews_cli_stdout_done(void)
{
	static int first_errno;   /* why the first write failed: a later check may find only the error flag */
	errno = 0;
	if (!fflush(stdout) && !ferror(stdout))
		return ews_status_ok();
	if (!first_errno)
		first_errno = errno;
	return ews_status_make(EWS_ERR_FILE, "standard output: %s", first_errno ? strerror(first_errno) : "a write failed");
}

ews_status ews_cli_read_file(const char *path, size_t max, char **data, size_t *len)
{
	FILE *f;
	struct stat sb;
	char *buf;

	*data = NULL;
	*len = 0;
	if (!max)
		max = 256u << 20;
	if (!(f = fopen(path, "rb")))
		return ews_status_make(errno == ENOENT ? EWS_ERR_NOT_FOUND : EWS_ERR_FILE, "%s: %s", path, strerror(errno));
	if (fstat(fileno(f), &sb) || !S_ISREG(sb.st_mode)) {
		fclose(f);
		return ews_status_make(EWS_ERR_FILE, "%s: not a regular file", path);
	}
	if ((size_t)sb.st_size > max) {
		fclose(f);
		return ews_status_make(EWS_ERR_TOO_LARGE, "%s: larger than %zu bytes", path, max);
	}
	if (!(buf = malloc((size_t)sb.st_size + 1))) {
		fclose(f);
		return ews_status_make(EWS_ERR_NOMEM, "%s: out of memory", path);
	}
	*len = fread(buf, 1, (size_t)sb.st_size, f);
	if (ferror(f) || *len != (size_t)sb.st_size) {
		free(buf);
		fclose(f);
		return ews_status_make(EWS_ERR_FILE, "%s: read error", path);
	}
	fclose(f);
	buf[*len] = '\0';
	*data = buf;
	return ews_status_ok();
}

ews_status ews_cli_write_file(const char *path, const void *data, size_t len)
{
	char tmp[4096];
	int fd;
	const char *p = data;

	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
		return ews_status_make(EWS_ERR_ARGUMENT, "path too long");
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
		return ews_status_make(EWS_ERR_FILE, "%s: %s", tmp, strerror(errno));
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = errno;
			close(fd);
			unlink(tmp);
			return ews_status_make(EWS_ERR_FILE, "%s: %s", tmp, strerror(e));
		}
		p += w;
		len -= (size_t)w;
	}
	int e = fsync(fd) ? errno : 0;   /* (closed whatever fsync said: no descriptor left behind) */
	if (close(fd) && !e)
		e = errno;
	if (!e && rename(tmp, path))
		e = errno;
	if (e) {
		unlink(tmp);
		return ews_status_make(EWS_ERR_FILE, "%s: %s", path, strerror(e));
	}
	return ews_status_ok();
}

static volatile int interrupted;

static void on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

volatile int *ews_cli_catch_interrupts(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_interrupt;
	sa.sa_flags = SA_RESTART;       /* the call in flight completes; the batch checks the flag between steps */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	return &interrupted;
}
