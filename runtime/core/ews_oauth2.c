/* ews_oauth2.c — OAuth2 client-credentials grant: fetch an access token, cache it, refresh it before expiry. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <stdsoap2.h>

#include "ews_internal.h"
#include "ews_json.h"

/* Refresh this long before the token expires, so a call never starts with a token about to lapse. */
#define REFRESH_MARGIN_S 300
#define MAX_TOKEN_RESPONSE (256u << 10)

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

/* application/x-www-form-urlencoded encoding of s, appended to buf (cap includes the NUL). */
static int form_append(char *buf, size_t cap, size_t *used, const char *name, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = *used;

	if (o && o + 1 < cap)
		buf[o++] = '&';
	for (const char *n = name; *n; n++) {
		if (o + 1 >= cap)
			return -1;
		buf[o++] = *n;
	}
	if (o + 1 >= cap)
		return -1;
	buf[o++] = '=';
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (o + 4 >= cap)
			return -1;
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		    *p == '.' || *p == '_' || *p == '~') {
			buf[o++] = (char)*p;
		} else {
			buf[o++] = '%';
			buf[o++] = hex[*p >> 4];
			buf[o++] = hex[*p & 15];
		}
	}
	buf[o] = '\0';
	*used = o;
	return 0;
}

/* A short, secret-free description of a token endpoint's error answer ("invalid_client: AADSTS7000215 ..."). */
static void describe_error(const char *body, size_t len, char *out, size_t cap)
{
	char *err = NULL, *desc = NULL;
	out[0] = '\0';
	if (body && ews_json_member(body, len, "error", &err, NULL) == EWS_JSON_STRING) {
		ews_json_member(body, len, "error_description", &desc, NULL);
		snprintf(out, cap, ": %.60s%s%.160s", err, desc ? ": " : "", desc ? desc : "");
		/* keep the message on one line */
		for (char *p = out; *p; p++)
			if (*p == '\r' || *p == '\n')
				*p = ' ';
	}
	free(err);
	free(desc);
}

static ews_status fetch_token(ews_client *c)
{
	struct soap *t;
	size_t cap, used = 0, len = 0;
	char *form = NULL, *body, *token = NULL;
	long expires_in = -1;
	ews_status st;
	char why[256];

	st = ews_oauth2_check_token_url(c->oauth2_token_url);
	if (!ews_ok(st)) {
		st.code = EWS_ERR_AUTH; /* refused before anything was sent */
		return st;
	}
	t = soap_new1(SOAP_C_UTFSTRING);
	if (!t)
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	t->connect_timeout = c->connect_timeout_s;
	t->send_timeout = t->recv_timeout = c->io_timeout_s;
	t->transfer_timeout = c->deadline_s;
	t->recv_maxlength = MAX_TOKEN_RESPONSE;
	t->proxy_host = c->proxy_host;
	t->proxy_port = c->proxy_port;
	t->proxy_userid = c->proxy_user;
	t->proxy_passwd = c->proxy_password;
	if (!strncasecmp(c->oauth2_token_url, "https://", 8) &&
	    soap_ssl_client_context(t, (c->insecure ? SOAP_SSL_NO_AUTHENTICATION : SOAP_SSL_REQUIRE_SERVER_AUTHENTICATION) |
	                                   SOAP_TLSv1_2 | SOAP_TLSv1_3,
	                            NULL, NULL, c->ca_file, c->ca_dir, NULL)) {
		st = ews_status_make(EWS_ERR_TLS, "OAuth2: TLS setup failed");
		goto out;
	}
	cap = strlen(c->oauth2_client_id) * 3 + strlen(c->oauth2_client_secret) * 3 + strlen(c->oauth2_scope) * 3 + 128;
	form = malloc(cap);
	if (!form) {
		st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
		goto out;
	}
	form[0] = '\0';
	if (form_append(form, cap, &used, "grant_type", "client_credentials") ||
	    form_append(form, cap, &used, "client_id", c->oauth2_client_id) ||
	    form_append(form, cap, &used, "client_secret", c->oauth2_client_secret) ||
	    form_append(form, cap, &used, "scope", c->oauth2_scope)) {
		st = ews_status_make(EWS_ERR_INTERNAL, "OAuth2: form buffer too small");
		goto out;
	}
	ews_log(c, EWS_LOG_INFO, "OAuth2: requesting an access token from %s", c->oauth2_token_url);
	if (soap_POST(t, c->oauth2_token_url, NULL, "application/x-www-form-urlencoded") ||
	    soap_send_raw(t, form, used) || soap_end_send(t)) {
		st = t->error == SOAP_SSL_ERROR ? ews_status_make(EWS_ERR_TLS, "OAuth2: TLS failure with the token endpoint")
		                                : ews_status_make(EWS_ERR_CONNECT, "OAuth2: cannot reach the token endpoint");
		goto out;
	}
	if (soap_begin_recv(t) && t->error != 400 && t->error != 401) {
		st = ews_status_make(t->error >= 100 && t->error < 600 ? EWS_ERR_AUTH : EWS_ERR_IO,
		                     "OAuth2: the token endpoint answered %s %d", t->error < 600 ? "HTTP" : "error",
		                     t->error);
		st.http_status = t->status;
		goto out;
	}
	t->error = SOAP_OK;
	body = soap_http_get_body(t, &len);
	soap_end_recv(t);
	if (t->status != 200) {
		describe_error(body, len, why, sizeof why);
		st = ews_status_make(EWS_ERR_AUTH, "OAuth2: the token endpoint refused the client credentials (HTTP %d%s)",
		                     t->status, why);
		st.http_status = t->status;
		goto out;
	}
	st = ews_oauth2_parse_token_response(body ? body : "", len, &token, &expires_in);
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
	if (form) {
		memset(form, 0, cap); /* it held the client secret */
		free(form);
	}
	if (t->buf[0]) /* gSOAP's buffer held the request */
		memset(t->buf, 0, sizeof t->buf);
	soap_destroy(t);
	soap_end(t);
	soap_free(t);
	return st;
}

ews_status ews_oauth2_ensure_token(ews_client *c)
{
	if (c->oauth2_access_token && time(NULL) < c->oauth2_expires_at)
		return ews_status_ok();
	c->oauth2_fresh = 1;
	return fetch_token(c);
}
