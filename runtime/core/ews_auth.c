/* ews_auth.c — HTTP authentication per request: Basic, Bearer (any length), OAuth2 client credentials, NTLM,
 * Negotiate (Kerberos through ews_negotiate.c, NTLM as its fallback). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdsoap2.h>

#include "ews_internal.h"
#include "ews_oauth2_internal.h"

#if defined(__has_include)
#if __has_include("ews/ntlm.h")
#include "ews/ntlm.h"
#define EWS_HAVE_NTLM 1
#endif
#endif

static const char *auth_name(ews_auth a)
{
	switch (a) {
	case EWS_AUTH_NONE: return "no authentication";
	case EWS_AUTH_BASIC: return "Basic";
	case EWS_AUTH_BEARER: return "Bearer token";
	case EWS_AUTH_NTLM: return "NTLM";
	case EWS_AUTH_OAUTH2: return "OAuth2 token";
	case EWS_AUTH_NEGOTIATE: return "Negotiate";
	case EWS_AUTH_OAUTH2_DEVICE: return "delegated OAuth2 token";
	}
	return "?";
}

void ews_auth_reset(ews_client *c)
{
	c->ntlm_connection_ok = 0;
	c->ntlm_step = 0;
	free(c->ntlm_challenge);
	c->ntlm_challenge = NULL;
	ews_free_secret(c->oauth2_access_token);
	c->oauth2_access_token = NULL;
	c->oauth2_expires_at = 0;
	ews_free_secret(c->oauth2_refresh_token);
	c->oauth2_refresh_token = NULL;
	c->oauth2_token_expiry = 0;
	ews_negotiate_reset(c);
	c->nego_ntlm_scheme = NULL;
}

/* NTLM under the Negotiate fallback: the same handshake as the NTLM scheme, with the scheme name of the fallback. */
static int ntlm_in_use(const ews_client *c)
{
	return c->auth == EWS_AUTH_NTLM || (c->auth == EWS_AUTH_NEGOTIATE && c->nego_ntlm_scheme);
}

/* "Authorization: <scheme> <secret>" as an extra header: gSOAP's own bearer field truncates at ~2 KB. */
static ews_status add_authorization(ews_client *c, const char *scheme, const char *secret)
{
	size_t n = strlen(scheme) + strlen(secret) + 2;
	char *value = malloc(n);
	ews_status st;

	if (!value)
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	snprintf(value, n, "%s %s", scheme, secret);
	st = ews_transport_add_header(c, "Authorization", value);
	ews_free_secret(value);
	return st;
}

#ifdef EWS_HAVE_NTLM
static ews_status ntlm_prepare(ews_client *c)
{
	char user[256], domain[256];
	ews_ntlm_credentials cred;
	char *header = NULL;
	ews_status st;

	if (c->ntlm_challenge) {
		/* second leg: answer the challenge of the 401 that just arrived on this connection */
		memset(&cred, 0, sizeof cred);
		cred.password = c->password;
		if (c->domain) {
			cred.user = c->user;
			cred.domain = c->domain;
		} else {
			st = ews_ntlm_split_user(c->user, user, sizeof user, domain, sizeof domain);
			if (!ews_ok(st))
				return st;
			cred.user = user;
			cred.domain = domain;
		}
		st = ews_ntlm_authenticate_header(c->ntlm_challenge, &cred, NULL, &header);
		free(c->ntlm_challenge);
		c->ntlm_challenge = NULL;
		if (!ews_ok(st))
			return ews_status_make(st.code, "NTLM: cannot answer the server's challenge: %s", st.message);
		c->ntlm_step = 3;
		ews_log(c, EWS_LOG_DEBUG, "NTLM: answering the server's challenge");
	} else if (c->ntlm_connection_ok) {
		c->ntlm_step = 0; /* the kept-alive connection is already authenticated */
		return ews_status_ok();
	} else {
		st = ews_ntlm_negotiate_header(&header);
		if (!ews_ok(st))
			return st;
		c->ntlm_step = 1;
		ews_log(c, EWS_LOG_DEBUG, "NTLM: starting the handshake");
	}
	if (c->auth == EWS_AUTH_NEGOTIATE && !strcmp(c->nego_ntlm_scheme, "Negotiate") && !strncmp(header, "NTLM ", 5)) {
		/* Windows' fallback: the raw NTLM messages in "Negotiate" headers (RFC 4559 section 4) */
		st = add_authorization(c, "Negotiate", header + 5);
		ews_ntlm_free(header);
		return st;
	}
	st = ews_transport_add_header(c, "Authorization", header);
	ews_ntlm_free(header);
	return st;
}
#endif

static ews_status negotiate_prepare(ews_client *c, const char *operation)
{
	char *header = NULL;
	int fallback = 0;
	ews_status st;

	if (!c->nego_ntlm_scheme) {
		st = ews_negotiate_token(c, operation, &header, &fallback);
		if (!ews_ok(st))
			return st;
		if (!fallback) {
			st = ews_transport_add_header(c, "Authorization", header);
			free(header);
			return st;
		}
		c->nego_ntlm_scheme = "Negotiate";
	}
#ifdef EWS_HAVE_NTLM
	return ntlm_prepare(c);
#else
	return ews_status_make(EWS_ERR_UNSUPPORTED, "%s: the NTLM fallback of Negotiate is not built into this libews",
	                       operation);
#endif
}

ews_status ews_auth_incomplete(const char *operation)
{
	ews_status st = ews_status_make(EWS_ERR_AUTH, "%s: authentication did not complete after %d round trips",
	                                operation, EWS_MAX_AUTH_ROUND_TRIPS);
	st.http_status = 401;
	return st;
}

ews_status ews_auth_prepare(ews_client *c, const char *operation)
{
	struct soap *soap = c->soap;
	ews_status st;

	soap->userid = NULL;
	soap->passwd = NULL;
	soap->bearer = NULL;
	switch (c->auth) {
	case EWS_AUTH_NONE:
		return ews_status_ok();
	case EWS_AUTH_BASIC:
		soap->userid = c->user; /* gSOAP resets these after each request */
		soap->passwd = c->password;
		return ews_status_ok();
	case EWS_AUTH_BEARER:
		return add_authorization(c, "Bearer", c->token);
	case EWS_AUTH_OAUTH2:
	case EWS_AUTH_OAUTH2_DEVICE:
		st = c->auth == EWS_AUTH_OAUTH2 ? ews_oauth2_ensure_token(c) : ews_oauth2_device_ensure_token(c, 0);
		if (!ews_ok(st)) {
			ews_status named = ews_status_make(st.code, "%s: %s", operation, st.message);
			named.http_status = st.http_status;
			/* the OAuth2 error name ("invalid_grant") tells a caller what to do */
			memcpy(named.response_code, st.response_code, sizeof named.response_code);
			return named;
		}
		return add_authorization(c, "Bearer", c->oauth2_access_token);
	case EWS_AUTH_NTLM:
#ifdef EWS_HAVE_NTLM
		return ntlm_prepare(c);
#else
		return ews_status_make(EWS_ERR_UNSUPPORTED, "%s: NTLM is not built into this libews", operation);
#endif
	case EWS_AUTH_NEGOTIATE:
		return negotiate_prepare(c, operation);
	}
	return ews_status_make(EWS_ERR_INTERNAL, "unknown authentication method");
}

ews_status ews_auth_on_response(ews_client *c, const char *operation)
{
	if (ntlm_in_use(c) && c->ntlm_step == 3) {
		c->ntlm_connection_ok = 1;
		ews_log(c, EWS_LOG_DEBUG, "NTLM: the connection is authenticated");
	}
	if (c->auth == EWS_AUTH_NEGOTIATE && !c->nego_ntlm_scheme)
		return ews_negotiate_on_response(c, operation);
	return ews_status_ok();
}

ews_status ews_auth_on_http_error(ews_client *c, const char *operation, int http_status, int *retry)
{
	const char *offers = c->resp_auth_schemes[0] ? c->resp_auth_schemes : "nothing";

	*retry = 0;
	if (http_status == 403)
		return ews_status_make(EWS_ERR_AUTH, "%s: HTTP 403: the account may not use EWS or this mailbox "
		                       "(impersonation rights?)", operation);
	if (c->auth == EWS_AUTH_NEGOTIATE && !c->nego_ntlm_scheme)
		return ews_negotiate_on_401(c, operation, retry);
	if (ntlm_in_use(c)) {
		if (c->auth == EWS_AUTH_NEGOTIATE && c->ntlm_step == 1 && !c->ntlm_challenge &&
		    !strcmp(c->nego_ntlm_scheme, "Negotiate") && !strstr(c->resp_auth_schemes, "Negotiate") &&
		    strstr(c->resp_auth_schemes, "NTLM")) {
			/* NTLM inside Negotiate, to a server that speaks NTLM only under its own name */
			c->nego_ntlm_scheme = "NTLM";
			*retry = 1;
			ews_log(c, EWS_LOG_INFO, "Negotiate: the server offers NTLM, not Negotiate; NTLM under its own name");
			return ews_status_make(EWS_ERR_AUTH, "%s: the server offers NTLM only", operation);
		}
		if (c->ntlm_step == 1 && c->ntlm_challenge) {
			*retry = 1;
			return ews_status_make(EWS_ERR_AUTH, "%s: NTLM challenge received", operation);
		}
		if (c->ntlm_step == 0 && c->ntlm_connection_ok) {
			/* a new connection, or the server forgot the old one: authenticate again */
			c->ntlm_connection_ok = 0;
			*retry = 1;
			ews_log(c, EWS_LOG_DEBUG, "NTLM: the connection is no longer authenticated; new handshake");
			return ews_status_make(EWS_ERR_AUTH, "%s: NTLM connection not authenticated", operation);
		}
		c->ntlm_connection_ok = 0;
		free(c->ntlm_challenge);
		c->ntlm_challenge = NULL;
		if (c->ntlm_step == 1)
			return ews_status_make(EWS_ERR_AUTH, "%s: HTTP 401: the server did not answer the NTLM negotiation "
			                       "(it offers: %s)", operation, offers);
	}
	if (c->auth == EWS_AUTH_OAUTH2_DEVICE && !c->oauth2_fresh && http_status == 401) {
		/* the server refused an access token that should still be good (revoked, clock skew): refresh once;
		 * no access token makes the next prepare refresh (or sign in) */
		ews_free_secret(c->oauth2_access_token);
		c->oauth2_access_token = NULL;
		*retry = 1;
		ews_log(c, EWS_LOG_INFO, "OAuth2: the server refused the access token; refreshing it");
		return ews_status_make(EWS_ERR_AUTH, "%s: the server refused the OAuth2 access token", operation);
	}
	if (c->auth == EWS_AUTH_OAUTH2 && !c->oauth2_fresh) {
		/* a cached token the server no longer accepts (revoked, clock skew): fetch one new token, once */
		ews_free_secret(c->oauth2_access_token);
		c->oauth2_access_token = NULL;
		*retry = 1;
		ews_log(c, EWS_LOG_INFO, "OAuth2: the server refused the cached token; fetching a new one");
		return ews_status_make(EWS_ERR_AUTH, "%s: the server refused the cached OAuth2 token", operation);
	}
	ews_log(c, EWS_LOG_WARNING, "%s: HTTP 401 with %s", operation, auth_name(c->auth));
	return ews_status_make(EWS_ERR_AUTH, "%s: HTTP 401: the server refused the credentials (%s); it offers: %s",
	                       operation, auth_name(c->auth), offers);
}
