/* ews_oauth2.c — OAuth2 client-credentials grant: fetch an access token, cache it, refresh it before expiry. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ews_internal.h"
#include "ews_json.h"
#include "ews_oauth2_internal.h"

#define REFRESH_MARGIN_S EWS_OAUTH2_REFRESH_MARGIN_S

ews_status ews_oauth2_parse_token_response(const char *json, size_t len, char **token, long *expires_in)
{
	double num = 0;
	char *type = NULL;
	enum ews_json_kind k;

	*token = NULL;
	*expires_in = -1;
	k = ews_json_member(json, len, "access_token", token, NULL);
	if (k == EWS_JSON_INVALID)
		return ews_status_make(EWS_ERR_FORMAT, "the token endpoint's answer is not a JSON object");
	if (k != EWS_JSON_STRING || !**token) {
		free(*token);
		*token = NULL;
		return ews_status_make(EWS_ERR_FORMAT, "the token endpoint's answer has no access_token");
	}
	for (const char *p = *token; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7F) {
			ews_free_secret(*token);
			*token = NULL;
			return ews_status_make(EWS_ERR_FORMAT, "the access_token contains spaces or control characters");
		}
	if (ews_json_member(json, len, "token_type", &type, NULL) == EWS_JSON_STRING && strcasecmp(type, "Bearer")) {
		ews_status st = ews_status_make(EWS_ERR_UNSUPPORTED, "token_type '%.40s' is not Bearer", type);
		free(type);
		ews_free_secret(*token);
		*token = NULL;
		return st;
	}
	free(type);
	/* expires_in is a number, but some endpoints send it as a string */
	k = ews_json_member(json, len, "expires_in", &type, &num);
	if (k == EWS_JSON_STRING) {
		char *end;
		num = strtod(type, &end);
		if (*end || end == type)
			num = -1;
	}
	free(type);
	if ((k == EWS_JSON_NUMBER || k == EWS_JSON_STRING) && num >= 0 && num < 10 * 365 * 86400.0)
		*expires_in = (long)num;
	return ews_status_ok();
}

/* 1 when the host of an http:// URL is this machine: "localhost", 127.0.0.0/8, ::1 (a test token endpoint). */
static int loopback_host(const char *authority, size_t len)
{
	char host[64];
	const char *at = NULL, *end;
	struct in_addr v4;
	struct in6_addr v6;
	size_t n;

	for (size_t i = 0; i < len; i++) /* user:password@ before the host (the last '@' ends it) */
		if (authority[i] == '@')
			at = authority + i;
	if (at) {
		len -= (size_t)(at + 1 - authority);
		authority = at + 1;
	}
	if (len && authority[0] == '[') { /* [::1]:port */
		end = memchr(authority, ']', len);
		if (!end)
			return 0;
		authority++;
	} else {
		end = memchr(authority, ':', len);
		if (!end)
			end = authority + len;
	}
	n = (size_t)(end - authority);
	if (n == 0 || n >= sizeof host)
		return 0;
	memcpy(host, authority, n);
	host[n] = '\0';
	if (host[n - 1] == '.') /* "localhost." */
		host[n - 1] = '\0';
	if (!strcasecmp(host, "localhost"))
		return 1;
	if (inet_pton(AF_INET, host, &v4) == 1)
		return (ntohl(v4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, host, &v6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&v6);
	return 0;
}

ews_status ews_oauth2_check_token_url(const char *url)
{
	const char *authority;

	if (!strncasecmp(url, "https://", 8))
		return url[8] ? ews_status_ok() : ews_status_make(EWS_ERR_ARGUMENT, "the OAuth2 token URL has no host");
	if (strncasecmp(url, "http://", 7))
		return ews_status_make(EWS_ERR_ARGUMENT, "the OAuth2 token URL must start with https://");
	authority = url + 7;
	if (!loopback_host(authority, strcspn(authority, "/?#")))
		return ews_status_make(EWS_ERR_ARGUMENT, "the OAuth2 token URL must use https:// (the client secret is "
		                       "never sent in clear text; http:// is accepted only for localhost/127.0.0.1/::1)");
	return ews_status_ok();
}

static ews_status fetch_token(ews_client *c)
{
	size_t cap, used = 0, len = 0;
	char *form = NULL, *body = NULL, *token = NULL;
	long expires_in = -1;
	int status = 0;
	ews_status st;
	char why[256];

	cap = strlen(c->oauth2_client_id) * 3 + strlen(c->oauth2_client_secret) * 3 + strlen(c->oauth2_scope) * 3 + 128;
	form = malloc(cap);
	if (!form)
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	form[0] = '\0';
	if (ews_oauth2_form_append(form, cap, &used, "grant_type", "client_credentials") ||
	    ews_oauth2_form_append(form, cap, &used, "client_id", c->oauth2_client_id) ||
	    ews_oauth2_form_append(form, cap, &used, "client_secret", c->oauth2_client_secret) ||
	    ews_oauth2_form_append(form, cap, &used, "scope", c->oauth2_scope)) {
		st = ews_status_make(EWS_ERR_INTERNAL, "OAuth2: form buffer too small");
		goto out;
	}
	ews_log(c, EWS_LOG_INFO, "OAuth2: requesting an access token from %s", c->oauth2_token_url);
	st = ews_oauth2_post(c, "the token endpoint", c->oauth2_token_url, form, used, &status, &body, &len);
	if (!ews_ok(st))
		goto out;
	if (status != 200) {
		ews_oauth2_describe_error(body, len, why, sizeof why);
		st = ews_status_make(EWS_ERR_AUTH, "OAuth2: the token endpoint refused the client credentials (HTTP %d%s)",
		                     status, why);
		st.http_status = status;
		goto out;
	}
	st = ews_oauth2_parse_token_response(body, len, &token, &expires_in);
	if (!ews_ok(st))
		goto out;
	ews_free_secret(c->oauth2_access_token);
	c->oauth2_access_token = token;
	if (expires_in < 0)
		expires_in = 3600; /* the grant's usual lifetime when the endpoint does not say */
	c->oauth2_expires_at = time(NULL) + (expires_in > 2 * REFRESH_MARGIN_S ? expires_in - REFRESH_MARGIN_S
	                                                                       : expires_in / 2);
	ews_log(c, EWS_LOG_INFO, "OAuth2: got an access token valid for %ld s", expires_in);
out:
	memset(form, 0, cap); /* it held the client secret */
	free(form);
	ews_oauth2_free_body(body, len);
	return st;
}

ews_status ews_oauth2_ensure_token(ews_client *c)
{
	if (c->oauth2_access_token && time(NULL) < c->oauth2_expires_at)
		return ews_status_ok();
	c->oauth2_fresh = 1;
	return fetch_token(c);
}
