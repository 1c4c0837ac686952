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
	if ((v = env("EWS_PROXY")))
		o->proxy = v; /* checked when a client is created */
	if ((v = env("EWS_PROXY_USER")))
		o->proxy_user = v;
	if ((v = env("EWS_PROXY_PASSWORD")))
		o->proxy_password = v;
	if ((v = env("EWS_TIMEOUT")) && parse_int(v, 1, INT_MAX, &o->io_timeout_s))
		return ews_status_make(EWS_ERR_ARGUMENT, "EWS_TIMEOUT must be a number of seconds");
	if ((v = env("EWS_LOW_SPEED_LIMIT"))) {
		int bps;
		if (parse_int(v, 0, INT_MAX, &bps))
			return ews_status_make(EWS_ERR_ARGUMENT, "EWS_LOW_SPEED_LIMIT must be a number of bytes per second "
			                       "(0 turns the cut-off off)");
		o->low_speed_limit = bps ? bps : -1;
	}
	if ((v = env("EWS_LOW_SPEED_TIME")) && parse_int(v, 1, 86400, &o->low_speed_time_s))
		return ews_status_make(EWS_ERR_ARGUMENT, "EWS_LOW_SPEED_TIME must be 1..86400 seconds");
	if ((v = env("EWS_MAX_RESPONSE_BYTES"))) {
		int max;
		if (parse_int(v, 4096, INT_MAX, &max))
			return ews_status_make(EWS_ERR_ARGUMENT, "EWS_MAX_RESPONSE_BYTES must be a number of bytes, 4096..%d",
			                       INT_MAX);
		o->max_response_bytes = (size_t)max;
	}

	if ((v = env("EWS_AUTH"))) {
		if (!strcasecmp(v, "basic"))
			o->auth = EWS_AUTH_BASIC;
		else if (!strcasecmp(v, "bearer"))
			o->auth = EWS_AUTH_BEARER;
		else if (!strcasecmp(v, "ntlm"))
			o->auth = EWS_AUTH_NTLM;
		else if (!strcasecmp(v, "oauth2"))
			o->auth = EWS_AUTH_OAUTH2;
		else if (!strcasecmp(v, "device"))
			o->auth = EWS_AUTH_OAUTH2_DEVICE;   /* ews_client_set_oauth2_device (the tools' --auth device) */
		else if (!strcasecmp(v, "negotiate"))
			o->auth = EWS_AUTH_NEGOTIATE;
		else if (!strcasecmp(v, "none"))
			o->auth = EWS_AUTH_NONE;
		else
			return ews_status_make(EWS_ERR_ARGUMENT, "EWS_AUTH must be basic, bearer, ntlm, oauth2, device, negotiate or none");
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
