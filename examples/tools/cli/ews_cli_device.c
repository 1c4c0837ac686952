/* ews_cli_device.c — --auth device for the ews-* commands: delegated OAuth2 through the device-code sign-in
 * (ews/oauth2.h). The code and URL go to stderr; the tokens to a private cache file that later runs reuse and
 * refresh silently. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ews/cli.h"
#include "ews/ews.h"

/* The library never prints: the command shows the code, on stderr so that stdout stays the command's output. */
static void show_code(void *arg, const ews_oauth2_device_prompt *p)
{
	const ews_cli *cli = arg;
	fprintf(stderr, "%s: to sign in, open %s and enter the code %s (valid %ld min)\n", cli->prog,
	        p->verification_uri, p->user_code, (p->expires_in + 59) / 60);
	if (p->verification_uri_complete)
		fprintf(stderr, "%s: or open %s\n", cli->prog, p->verification_uri_complete);
	fprintf(stderr, "%s: waiting for the sign-in ...\n", cli->prog);
}

/* "$XDG_CACHE_HOME/libews/tokens" or "~/.cache/libews/tokens", the directories made 0700. */
static int default_cache(char *out, size_t cap)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char base[1024];
	if (xdg && *xdg == '/')
		snprintf(base, sizeof base, "%s", xdg);
	else if (home && *home)
		snprintf(base, sizeof base, "%s/.cache", home);
	else
		return -1;
	if (mkdir(base, 0700) && errno != EEXIST)
		return -1;
	if ((size_t)snprintf(out, cap, "%s/libews", base) >= cap || (mkdir(out, 0700) && errno != EEXIST))
		return -1;
	return (size_t)snprintf(out, cap, "%s/libews/tokens", base) >= cap ? -1 : 0;
}

int ews_cli_device_auth(ews_cli *cli, ews_client *c)
{
	ews_oauth2_device_options d;
	char cache[1100], device_url[2048];
	const char *token_url = cli->opt.oauth2_token_url;
	ews_status st;

	memset(&d, 0, sizeof d);
	if (!token_url || !*token_url || !cli->opt.oauth2_client_id || !*cli->opt.oauth2_client_id)
		return ews_cli_usage_error(cli, "--auth device needs the token URL (EWS_OAUTH2_TOKEN_URL or "
		                           "--oauth2-token-url) and the app's client id (EWS_OAUTH2_CLIENT_ID or --client-id)");
	if (cli->device_url)
		snprintf(device_url, sizeof device_url, "%s", cli->device_url);
	else {
		/* Entra ID (and ewsd) name them .../token and .../devicecode */
		size_t n = strlen(token_url);
		if (n < 6 || strcmp(token_url + n - 6, "/token") || n + 5 >= sizeof device_url)
			return ews_cli_usage_error(cli, "--auth device: give the device authorization URL "
			                           "(--oauth2-device-url or EWS_OAUTH2_DEVICE_URL)");
		snprintf(device_url, sizeof device_url, "%.*s/devicecode", (int)(n - 6), token_url);
	}
	if (cli->token_cache)
		snprintf(cache, sizeof cache, "%s", cli->token_cache);
	else if (default_cache(cache, sizeof cache))
		return ews_cli_usage_error(cli, "--auth device: no place for the token cache (set --token-cache FILE)");
	d.device_url = device_url;
	d.token_url = token_url;
	d.client_id = cli->opt.oauth2_client_id;
	d.scope = cli->opt.oauth2_scope;
	d.token_cache = cache;
	d.prompt = show_code;
	d.prompt_arg = cli;
	st = ews_client_set_oauth2_device(c, &d);
	if (!ews_ok(st))
		return ews_cli_error(cli, "configuration", st);
	return EWS_EXIT_OK;
}
