/* ews_cli.c — the shared command-line conventions of the ews-* commands (see ews/cli.h). */
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

ews_status ews_cli_init(ews_cli *cli, const char *prog)
{
	if (!cli)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_cli_init: cli is NULL");
	memset(cli, 0, sizeof *cli);
	cli->prog = prog ? prog : "ews";
	ews_options_init(&cli->opt);
	cli->auth_set = getenv("EWS_AUTH") && *getenv("EWS_AUTH");
	return ews_options_from_env(&cli->opt);
}

static int parse_auth(const char *v, ews_auth *out)
{
	static const struct { const char *name; ews_auth auth; } names[] = {
		{ "basic", EWS_AUTH_BASIC }, { "ntlm", EWS_AUTH_NTLM }, { "bearer", EWS_AUTH_BEARER },
		{ "oauth2", EWS_AUTH_OAUTH2 }, { "none", EWS_AUTH_NONE } };
	for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
		if (!strcasecmp(v, names[k].name)) {
			*out = names[k].auth;
			return 0;
		}
	return -1;
}

int ews_cli_flag(ews_cli *cli, int argc, char **argv, int *i)
{
	static const char *const valued[] = { "--url", "--user", "--password", "--token", "--auth", "--version",
					      "--impersonate", "--ca-file", "--attempts" };
	const char *a = argv[*i], *v;
	size_t k;

	if (!strcmp(a, "--json")) {
		cli->json = 1;
		return 1;
	}
	if (!strcmp(a, "--insecure")) {
		cli->opt.insecure = 1;
		return 1;
	}
	for (k = 0; k < sizeof valued / sizeof valued[0] && strcmp(a, valued[k]); k++)
		;
	if (k == sizeof valued / sizeof valued[0])
		return 0;
	if (*i + 1 >= argc) {
		fprintf(stderr, "%s: %s needs a value (see --help)\n", cli->prog, a);
		return -1;
	}
	v = argv[++*i];
	switch (k) {
	case 0: cli->opt.url = v; break;
	case 1: cli->opt.user = v; break;
	case 2: cli->opt.password = v; break;
	case 3: cli->opt.token = v; break;
	case 4:
		if (parse_auth(v, &cli->opt.auth)) {
			fprintf(stderr, "%s: --auth must be basic, ntlm, bearer, oauth2 or none\n", cli->prog);
			return -1;
		}
		cli->auth_set = 1;
		break;
	case 5: cli->opt.server_version = v; break;
	case 6: cli->opt.impersonate = v; break;
	case 7: cli->opt.ca_file = v; break;
	default:
		if ((cli->opt.max_attempts = atoi(v)) < 1 || cli->opt.max_attempts > 100) {
			fprintf(stderr, "%s: --attempts must be 1..100\n", cli->prog);
			return -1;
		}
	}
	return 1;
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
		return EWS_EXIT_CONNECT;
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

int ews_cli_error(const ews_cli *cli, const char *what, ews_status st)
{
	int rc = ews_cli_exit_code(st);
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
	if (st.code == EWS_ERR_AUTH)
		fprintf(stderr, "%s: check --user/--password (EWS_USER, EWS_PASSWORD) or --token (EWS_TOKEN)\n",
			cli ? cli->prog : "ews");
	return rc;
}

int ews_cli_connect(ews_cli *cli, ews_client **out)
{
	ews_status st;

	*out = NULL;
	if (!cli->opt.url || !*cli->opt.url) {
		fprintf(stderr, "%s: no server: give --url URL or set EWS_URL (see --help)\n", cli->prog);
		return EWS_EXIT_USAGE;
	}
	/* ews_options_from_env guessed the method from the environment alone; guess again now flags are in */
	if (!cli->auth_set) {
		if (cli->opt.token)
			cli->opt.auth = EWS_AUTH_BEARER;
		else if (cli->opt.oauth2_client_id && cli->opt.oauth2_client_secret)
			cli->opt.auth = EWS_AUTH_OAUTH2;
		else if (cli->opt.user && cli->opt.password)
			cli->opt.auth = EWS_AUTH_BASIC;
	}
	st = ews_client_new(NULL, &cli->opt, out);
	if (!ews_ok(st))
		return ews_cli_error(cli, "configuration", st);
	return EWS_EXIT_OK;
}

/* A distinguished name when it is one of the schema's names exactly, else a FolderId. The parser alone is not
 * enough: the bindings decode unknown enum values (and numbers) leniently. */
static int distinguished(struct soap *soap, const char *folder, enum ewstype__DistinguishedFolderIdNameType *out)
{
	int ok = soap_s2ewstype__DistinguishedFolderIdNameType(soap, folder, out) == SOAP_OK && (int)*out >= 0;
	const char *back = ok ? soap_ewstype__DistinguishedFolderIdNameType2s(soap, *out) : NULL;
	soap->error = SOAP_OK;
	return back && !strcmp(back, folder);
}

static int folder_choice(struct soap *soap, const char *folder, struct ewstype__FolderIdType **fid,
			 struct ewstype__DistinguishedFolderIdType **did)
{
	enum ewstype__DistinguishedFolderIdNameType name;
	if (distinguished(soap, folder, &name)) {
		if (!(*did = soap_new_ewstype__DistinguishedFolderIdType(soap, 1)))
			return -1;
		(*did)->Id = name;
		return 1;
	}
	if (!(*fid = soap_new_ewstype__FolderIdType(soap, 1)) || !((*fid)->Id = soap_strdup(soap, folder)))
		return -1;
	return 0;
}

struct ewstype__NonEmptyArrayOfBaseFolderIdsType *ews_cli_folder_ids(struct soap *soap, const char *folder)
{
	struct ewstype__NonEmptyArrayOfBaseFolderIdsType *ids;
	struct __ewstype__union_NonEmptyArrayOfBaseFolderIdsType *u;
	struct ewstype__FolderIdType *fid = NULL;
	struct ewstype__DistinguishedFolderIdType *did = NULL;
	int kind;

	if (!soap || !folder || (kind = folder_choice(soap, folder, &fid, &did)) < 0)
		return NULL;
	ids = soap_new_ewstype__NonEmptyArrayOfBaseFolderIdsType(soap, 1);
	u = soap_new___ewstype__union_NonEmptyArrayOfBaseFolderIdsType(soap, 1);
	if (!ids || !u)
		return NULL;
	if (kind) {
		u->__union_NonEmptyArrayOfBaseFolderIdsType =
			SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseFolderIdsType_DistinguishedFolderId;
		u->union_NonEmptyArrayOfBaseFolderIdsType.DistinguishedFolderId = did;
	} else {
		u->__union_NonEmptyArrayOfBaseFolderIdsType = SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseFolderIdsType_FolderId;
		u->union_NonEmptyArrayOfBaseFolderIdsType.FolderId = fid;
	}
	ids->__size_NonEmptyArrayOfBaseFolderIdsType = 1;
	ids->__union_NonEmptyArrayOfBaseFolderIdsType = u;
	return ids;
}

struct ewstype__TargetFolderIdType *ews_cli_target_folder(struct soap *soap, const char *folder)
{
	struct ewstype__TargetFolderIdType *t;
	struct ewstype__FolderIdType *fid = NULL;
	struct ewstype__DistinguishedFolderIdType *did = NULL;
	int kind;

	if (!soap || !folder || (kind = folder_choice(soap, folder, &fid, &did)) < 0)
		return NULL;
	if (!(t = soap_new_ewstype__TargetFolderIdType(soap, 1)))
		return NULL;
	if (kind) {
		t->__union_TargetFolderIdType = SOAP_UNION__ewstype__union_TargetFolderIdType_DistinguishedFolderId;
		t->union_TargetFolderIdType.DistinguishedFolderId = did;
	} else {
		t->__union_TargetFolderIdType = SOAP_UNION__ewstype__union_TargetFolderIdType_FolderId;
		t->union_TargetFolderIdType.FolderId = fid;
	}
	return t;
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
		return ews_status_make(errno == ENOENT ? EWS_ERR_NOT_FOUND : EWS_ERR_IO, "%s: %s", path, strerror(errno));
	if (fstat(fileno(f), &sb) || !S_ISREG(sb.st_mode)) {
		fclose(f);
		return ews_status_make(EWS_ERR_IO, "%s: not a regular file", path);
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
		return ews_status_make(EWS_ERR_IO, "%s: read error", path);
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
		return ews_status_make(EWS_ERR_IO, "%s: %s", tmp, strerror(errno));
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = errno;
			close(fd);
			unlink(tmp);
			return ews_status_make(EWS_ERR_IO, "%s: %s", tmp, strerror(e));
		}
		p += w;
		len -= (size_t)w;
	}
	if (fsync(fd) || close(fd) || rename(tmp, path)) {
		int e = errno;
		unlink(tmp);
		return ews_status_make(EWS_ERR_IO, "%s: %s", path, strerror(e));
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
