/* ews_options.c — client options from the environment (EWS_URL, EWS_USER, ...). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ews/client.h"

/* The variable's value, or NULL when unset or empty. */
static const char *env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* EWS_PROXY: "host:port", "host" or "http://host:port/". The host part points into a static copy. */
static int parse_proxy(const char *v, ews_options *o)
{
	static char host[256];
	const char *p = v, *colon, *end;
	size_t n;

	if (!strncmp(p, "http://", 7))
		p += 7;
	end = p + strcspn(p, "/");
	colon = memchr(p, ':', (size_t)(end - p));
	n = (size_t)((colon ? colon : end) - p);
	if (!n || n >= sizeof host)
		return -1;
	memcpy(host, p, n);
	host[n] = '\0';
	o->proxy_host = host;
	if (colon) {
		char port[8];
		size_t pl = (size_t)(end - colon - 1);
		if (!pl || pl >= sizeof port)
			return -1;
		memcpy(port, colon + 1, pl);
		port[pl] = '\0';
		if (parse_int(port, 1, 65535, &o->proxy_port))
			return -1;
	}
	return 0;
}

ews_status ews_options_from_env(ews_options *o)
{
	const char *v;

	if (!o)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_options_from_env: options are NULL");
	if ((v = env("EWS_URL")))
		o->url = v;
	if ((v = env("EWS_USER")))
		o->user = v;
	if ((v = env("EWS_PASSWORD")))
		o->password = v;
	if ((v = env("EWS_DOMAIN")))
		o->domain = v;
	if ((v = env("EWS_TOKEN")))
		o->token = v;
	if ((v = env("EWS_OAUTH2_TOKEN_URL")))
		o->oauth2_token_url = v;
	if ((v = env("EWS_OAUTH2_CLIENT_ID")))
		o->oauth2_client_id = v;
	if ((v = env("EWS_OAUTH2_CLIENT_SECRET")))
		o->oauth2_client_secret = v;
	if ((v = env("EWS_OAUTH2_SCOPE")))
		o->oauth2_scope = v;
	if ((v = env("EWS_VERSION")))
		o->server_version = v;
	if ((v = env("EWS_IMPERSONATE")))
		o->impersonate = v;
	if ((v = env("EWS_CULTURE")))
		o->culture = v;
	if ((v = env("EWS_TIMEZONE")))
		o->timezone = v;
	if ((v = env("EWS_CA_FILE")))
		o->ca_file = v;
	if ((v = env("EWS_CA_DIR")))
		o->ca_dir = v;
	if ((v = env("EWS_INSECURE")))
		o->insecure = !strcmp(v, "1") || !strcasecmp(v, "yes") || !strcasecmp(v, "true");
	if ((v = env("EWS_PROXY")) && parse_proxy(v, o))
		return ews_status_make(EWS_ERR_ARGUMENT, "EWS_PROXY must be host:port or http://host:port");
	if ((v = env("EWS_PROXY_USER")))
		o->proxy_user = v;
	if ((v = env("EWS_PROXY_PASSWORD")))
		o->proxy_password = v;
	if ((v = env("EWS_TIMEOUT")) && parse_int(v, 1, INT_MAX, &o->io_timeout_s))
		return ews_status_make(EWS_ERR_ARGUMENT, "EWS_TIMEOUT must be a number of seconds");

	if ((v = env("EWS_AUTH"))) {
		if (!strcasecmp(v, "basic"))
			o->auth = EWS_AUTH_BASIC;
		else if (!strcasecmp(v, "bearer"))
			o->auth = EWS_AUTH_BEARER;
		else if (!strcasecmp(v, "ntlm"))
			o->auth = EWS_AUTH_NTLM;
		else if (!strcasecmp(v, "oauth2"))
			o->auth = EWS_AUTH_OAUTH2;
		else if (!strcasecmp(v, "none"))
			o->auth = EWS_AUTH_NONE;
		else
			return ews_status_make(EWS_ERR_ARGUMENT, "EWS_AUTH must be basic, bearer, ntlm, oauth2 or none");
	} else if (o->auth == EWS_AUTH_NONE) {
		/* guess from what is there: a token means bearer, client credentials OAuth2, a user Basic */
		if (o->token)
			o->auth = EWS_AUTH_BEARER;
		else if (o->oauth2_client_id && o->oauth2_client_secret)
			o->auth = EWS_AUTH_OAUTH2;
		else if (o->user && o->password)
			o->auth = EWS_AUTH_BASIC;
	}
	return ews_status_ok();
}
