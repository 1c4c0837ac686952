/* ews_cli_autodiscover.c — `--email ADDRESS` for every ews-* command: the URL found by autodiscover (see
 * ews/cli.h, ews_cli_autodiscover) with the command's credentials, TLS settings and log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "ews/autodiscover.h"
#include "ews/cli.h"

#define MAX_RESOLVE 16

static void log_line(void *arg, ews_log_level level, const char *message)
{
	const ews_cli *cli = arg;
	if (cli->verbose || level >= EWS_LOG_WARNING)
		fprintf(stderr, "%s: %s\n", cli->prog, message);
}

/* --trust-host: the host of url is in the comma-separated list. */
static int confirm(void *arg, const char *why, const char *url)
{
	const ews_cli *cli = arg;
	const char *h = strstr(url, "://"), *list = cli->trust_hosts;
	size_t hl;

	(void)why;
	if (!h || !list)
		return 0;
	h += 3;
	hl = strcspn(h, ":/");
	while (*list) {
		size_t n = strcspn(list, ",");
		if (n == hl && !strncasecmp(list, h, n))
			return 1;
		list += n + (list[n] == ',');
	}
	return 0;
}

/* EWS_AUTODISCOVER_SRV for tests: "none" (no record) or "TARGET:PORT". */
static int env_srv(void *arg, const char *name, char *target, size_t cap, int *port)
{
	const char *v = arg, *colon = strrchr(v, ':');
	(void)name;
	if (!strcmp(v, "none") || !colon || (size_t)(colon - v) >= cap)
		return -1;
	memcpy(target, v, (size_t)(colon - v));
	target[colon - v] = '\0';
	*port = atoi(colon + 1);
	return 0;
}

static const char *cache_path(char *buf, size_t cap)
{
	const char *env = getenv("EWS_AUTODISCOVER_CACHE"), *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	struct stat sb;

	if (env)
		return *env ? env : NULL;
	if (xdg && *xdg)
		snprintf(buf, cap, "%s", xdg);
	else if (home && *home)
		snprintf(buf, cap, "%s/.cache", home);
	else
		return NULL;
	if (stat(buf, &sb) || !S_ISDIR(sb.st_mode))
		return NULL;    /* no cache directory: nothing is created behind the user's back */
	strncat(buf, "/ews-autodiscover", cap - strlen(buf) - 1);
	return buf;
}

int ews_cli_autodiscover(ews_cli *cli)
{
	static char resolve_buf[4096], cache_buf[1024];
	static const char *resolve[MAX_RESOLVE + 1];
	ews_autodiscover_options ao;
	ews_autodiscover_result r;
	const char *env_resolve = getenv("EWS_AUTODISCOVER_RESOLVE"), *srv = getenv("EWS_AUTODISCOVER_SRV");
	ews_status st;
	int rc;

	/* the address is the user name when none is given (Exchange accepts the UPN/SMTP address) */
	if (!cli->opt.user && cli->opt.password)
		cli->opt.user = cli->email;
	if (cli->opt.auth == EWS_AUTH_NONE && cli->opt.user && cli->opt.password && !cli->auth_flag)
		cli->opt.auth = EWS_AUTH_BASIC;
	ews_autodiscover_options_init(&ao);
	ao.client = &cli->opt;
	ao.log = log_line;
	ao.log_arg = cli;
	ao.confirm_redirect = confirm;
	ao.confirm_arg = cli;
	ao.cache_file = cache_path(cache_buf, sizeof cache_buf);
	if (env_resolve && *env_resolve) {
		int n = 0;
		snprintf(resolve_buf, sizeof resolve_buf, "%s", env_resolve);
		for (char *save = NULL, *e = strtok_r(resolve_buf, ",", &save); e && n < MAX_RESOLVE;
		     e = strtok_r(NULL, ",", &save))
			resolve[n++] = e;
		resolve[n] = NULL;
		ao.resolve = resolve;
	}
	if (srv && *srv) {
		ao.srv_lookup = env_srv;
		ao.srv_arg = (void *)srv;
	}
	st = ews_autodiscover(cli->email, &ao, &r);
	if (!ews_ok(st)) {
		rc = st.code == EWS_ERR_AUTH ? EWS_EXIT_AUTH
		   : st.code == EWS_ERR_ARGUMENT || st.code == EWS_ERR_UNSUPPORTED ? EWS_EXIT_USAGE : EWS_EXIT_CONNECT;
		ews_cli_report(cli, NULL, st, rc);   /* the message starts with "autodiscover:" */
		if (rc == EWS_EXIT_CONNECT && !cli->json)
			fprintf(stderr, "%s: autodiscover found no EWS URL for %s: check the address, or give --url "
					"https://HOST/EWS/Exchange.asmx\n", cli->prog, cli->email);
		return rc;
	}
	snprintf(cli->url, sizeof cli->url, "%s", r.ews_url);
	cli->opt.url = cli->url;
	if (!cli->opt.server_version && r.version[0]) {
		snprintf(cli->version, sizeof cli->version, "%s", r.version);
		cli->opt.server_version = cli->version;
	}
	if (cli->verbose)
		fprintf(stderr, "%s: autodiscover: %s uses %s (%s%s, %s answer from %s%s)\n", cli->prog, cli->email,
			r.ews_url, r.version[0] ? "server version " : "server version unknown", r.version,
			r.protocol == EWS_AUTODISCOVER_SOAP ? "SOAP" : "POX", r.autodiscover_url,
			r.from_cache ? ", cached" : "");
	return EWS_EXIT_OK;
}
