/* ews_negotiate.c — HTTP Negotiate (RFC 4559) client side: a Kerberos ticket from the user's credential cache,
 * wrapped in SPNEGO through GSSAPI (MIT krb5), with the server's final token checked (mutual authentication).
 *
 * Every request carries a fresh token (a new security context): nothing ties a kept-alive connection to the
 * user, so a reconnect, a second server behind a balancer or a server that does not keep connections
 * authenticated all work the same. The ticket for HTTP/host comes from the KDC once and is cached in the
 * credential cache like any other service ticket.
 *
 * When no usable Kerberos ticket exists (no credential cache, expired, unknown service principal, KDC out of
 * reach) and the client has a user and a password, the NTLM fallback Negotiate allows takes over (ews_auth.c
 * runs the NTLM handshake inside "Negotiate" headers, or under "NTLM" when the server offers only that). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>
#include <krb5.h>

#include "ews/base64.h"
#include "ews_internal.h"

/* A Negotiate token is one HTTP header; Kerberos tickets with large PACs reach ~12 KB (MS's MaxTokenSize 48 KB). */
#define MAX_TOKEN_BYTES 65536

static gss_OID_desc spnego_oid = { 6, (void *)"\x2b\x06\x01\x05\x05\x02" };  /* 1.3.6.1.5.5.2 */

/* "major text; minor text" of a GSSAPI failure into buf. */
static void gss_text(OM_uint32 major, OM_uint32 minor, char *buf, size_t n)
{
	OM_uint32 ctx = 0, m;
	gss_buffer_desc s;
	size_t used = 0;
	int first = 1;

	buf[0] = '\0';
	do {
		if (GSS_ERROR(gss_display_status(&m, major, GSS_C_GSS_CODE, GSS_C_NO_OID, &ctx, &s)))
			break;
		used += (size_t)snprintf(buf + used, used < n ? n - used : 0, "%s%.*s", first ? "" : ", ", (int)s.length,
		                         (const char *)s.value);
		first = 0;
		gss_release_buffer(&m, &s);
	} while (ctx && used < n);
	ctx = 0;
	if (minor)
		do {
			if (GSS_ERROR(gss_display_status(&m, minor, GSS_C_MECH_CODE, GSS_C_NO_OID, &ctx, &s)))
				break;
			used += (size_t)snprintf(buf + used, used < n ? n - used : 0, "%s%.*s", first ? "" : ": ",
			                         (int)s.length, (const char *)s.value);
			first = 0;
			gss_release_buffer(&m, &s);
		} while (ctx && used < n);
}

/* The host of the endpoint URL, without port, brackets or user info: the service principal is HTTP/<host>. */
static int url_host(const char *url, char *out, size_t n)
{
	const char *p = strstr(url, "://"), *end, *at;
	size_t len;

	if (!p)
		return -1;
	p += 3;
	end = p + strcspn(p, "/?#");
	at = memchr(p, '@', (size_t)(end - p));
	if (at)
		p = at + 1;
	if (*p == '[') {
		const char *rb = memchr(p, ']', (size_t)(end - p));
		if (!rb)
			return -1;
		p++;
		end = rb;
	} else {
		const char *colon = memchr(p, ':', (size_t)(end - p));
		if (colon)
			end = colon;
	}
	len = (size_t)(end - p);
	if (!len || len >= n)
		return -1;
	memcpy(out, p, len);
	out[len] = '\0';
	return 0;
}

void ews_negotiate_reset(ews_client *c)
{
	OM_uint32 minor;
	gss_ctx_id_t ctx = (gss_ctx_id_t)c->gss_ctx;

	if (ctx != GSS_C_NO_CONTEXT)
		gss_delete_sec_context(&minor, &ctx, GSS_C_NO_BUFFER);
	c->gss_ctx = NULL;
	c->nego_step = 0;
	free(c->nego_token);
	c->nego_token = NULL;
}

/* The principal of the default credential cache ("alice@EXAMPLE.COM"), or "" (GSSAPI names nobody once the
 * ticket has expired, and that is when the user most needs to know whose ticket it was). */
static void ccache_principal(char *out, size_t n)
{
	krb5_context k = NULL;
	krb5_ccache cc = NULL;
	krb5_principal p = NULL;
	char *name = NULL;

	out[0] = '\0';
	if (krb5_init_context(&k))
		return;
	if (!krb5_cc_default(k, &cc) && !krb5_cc_get_principal(k, cc, &p) && !krb5_unparse_name(k, p, &name))
		snprintf(out, n, "%s", name);
	krb5_free_unparsed_name(k, name);
	krb5_free_principal(k, p);
	if (cc)
		krb5_cc_close(k, cc);
	krb5_free_context(k);
}

/* Whether the default credential cache holds a Kerberos ticket that has not expired. On failure, the reason
 * (for the user: what to run) in why. */
static int have_ticket(char *why, size_t n)
{
	OM_uint32 major, minor, lifetime = 0, m;
	gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
	gss_OID_set_desc krb5 = { 1, (gss_OID)gss_mech_krb5 };
	const char *cc = getenv("KRB5CCNAME");
	char text[512];
	int ok = 0;

	major = gss_acquire_cred(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, &krb5, GSS_C_INITIATE, &cred, NULL, NULL);
	if (GSS_ERROR(major)) {
		gss_text(major, minor, text, sizeof text);
		snprintf(why, n, "no Kerberos ticket in the credential cache %s (run kinit USER@REALM first): %s",
		         cc ? cc : "(the default one)", text);
		return 0;
	}
	major = gss_inquire_cred(&minor, cred, NULL, &lifetime, NULL, NULL);
	if (major == GSS_S_CREDENTIALS_EXPIRED || (!GSS_ERROR(major) && lifetime == 0)) {
		char who[256];
		ccache_principal(who, sizeof who);
		snprintf(why, n, "the Kerberos ticket of %s in %s has expired (run kinit again)", who[0] ? who : "the user",
		         cc ? cc : "the default credential cache");
	} else if (GSS_ERROR(major)) {
		gss_text(major, minor, text, sizeof text);
		snprintf(why, n, "cannot read the Kerberos credential cache %s: %s", cc ? cc : "(the default one)", text);
	} else
		ok = 1;
	gss_release_cred(&m, &cred);
	return ok;
}

/* The service name HTTP@host of the endpoint, imported; GSS_C_NO_NAME on failure. */
static gss_name_t target_name(const char *host)
{
	OM_uint32 minor;
	gss_name_t target = GSS_C_NO_NAME;
	char spn[300];
	gss_buffer_desc b;

	snprintf(spn, sizeof spn, "HTTP@%s", host);
	b.value = spn;
	b.length = strlen(spn);
	if (GSS_ERROR(gss_import_name(&minor, &b, GSS_C_NT_HOSTBASED_SERVICE, &target)))
		return GSS_C_NO_NAME;
	return target;
}

ews_status ews_negotiate_token(ews_client *c, const char *operation, char **header, int *fallback)
{
	OM_uint32 major, minor, m;
	gss_name_t target = GSS_C_NO_NAME;
	gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
	gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
	char host[256], why[1024], text[512];
	char *b64 = NULL;
	ews_status st;

	*header = NULL;
	*fallback = 0;
	ews_negotiate_reset(c);
	if (url_host(c->url, host, sizeof host))
		return ews_status_make(EWS_ERR_ARGUMENT, "%s: Negotiate: no host name in the URL %s", operation, c->url);
	if (!have_ticket(why, sizeof why))
		goto no_kerberos;
	target = target_name(host);
	if (target == GSS_C_NO_NAME)
		return ews_status_make(EWS_ERR_ARGUMENT, "%s: Negotiate: bad service name HTTP@%s", operation, host);
	major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &ctx, target, &spnego_oid,
	                             GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG, GSS_C_INDEFINITE,
	                             GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_BUFFER, NULL, &out, NULL, NULL);
	gss_release_name(&m, &target);
	if (GSS_ERROR(major)) {
		gss_text(major, minor, text, sizeof text);
		if (ctx != GSS_C_NO_CONTEXT)
			gss_delete_sec_context(&m, &ctx, GSS_C_NO_BUFFER);
		gss_release_buffer(&m, &out);
		if (strstr(text, "not found in Kerberos database"))
			snprintf(why, sizeof why, "the KDC does not know the service principal HTTP/%s (the server's SPN "
			         "must match the host name in the URL): %s", host, text);
		else
			snprintf(why, sizeof why, "cannot get a Kerberos ticket for HTTP/%s: %s", host, text);
		goto no_kerberos;
	}
	if (out.length == 0 || out.length > MAX_TOKEN_BYTES) {
		gss_delete_sec_context(&m, &ctx, GSS_C_NO_BUFFER);
		gss_release_buffer(&m, &out);
		return ews_status_make(EWS_ERR_AUTH, "%s: Negotiate: GSSAPI produced no usable token", operation);
	}
	st = ews_base64_encode(out.value, out.length, &b64);
	gss_release_buffer(&m, &out);
	if (!ews_ok(st) || !(*header = malloc(strlen(b64) + 11))) {
		free(b64);
		gss_delete_sec_context(&m, &ctx, GSS_C_NO_BUFFER);
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	}
	sprintf(*header, "Negotiate %s", b64);
	free(b64);
	c->gss_ctx = ctx;
	c->nego_step = major == GSS_S_COMPLETE ? 2 : 1;    /* 1: the server's answer completes the context */
	ews_log(c, EWS_LOG_DEBUG, "Negotiate: sending a Kerberos ticket for HTTP/%s", host);
	return ews_status_ok();

no_kerberos:
	if (c->user && c->password) {
		*fallback = 1;
		ews_log(c, EWS_LOG_INFO, "Negotiate: %s; falling back to NTLM", why);
		return ews_status_ok();
	}
	return ews_status_make(EWS_ERR_AUTH, "%s: Negotiate: %s", operation, why);
}

/* Feed the server's token into the context in flight. GSS_S_COMPLETE (the server proved who it is), else the
 * reason in why. */
static int finish_context(ews_client *c, char *why, size_t n)
{
	OM_uint32 major, minor, m;
	gss_ctx_id_t ctx = (gss_ctx_id_t)c->gss_ctx;
	gss_buffer_desc in, out = GSS_C_EMPTY_BUFFER;
	gss_name_t target;
	unsigned char *raw = NULL;
	size_t len = 0;
	char text[512], host[256];

	if (!ews_ok(ews_base64_decode(c->nego_token, MAX_TOKEN_BYTES, &raw, &len)) || len == 0) {
		snprintf(why, n, "the server's Negotiate token is not base64");
		return 0;
	}
	if (url_host(c->url, host, sizeof host) || (target = target_name(host)) == GSS_C_NO_NAME) {
		free(raw);
		snprintf(why, n, "no service name for the URL's host");
		return 0;
	}
	in.value = raw;
	in.length = len;
	/* the continuation names the same target as the first call (MIT's mechglue insists) */
	major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &ctx, target, &spnego_oid,
	                             GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG, GSS_C_INDEFINITE,
	                             GSS_C_NO_CHANNEL_BINDINGS, &in, NULL, &out, NULL, NULL);
	gss_release_name(&m, &target);
	c->gss_ctx = ctx;
	free(raw);
	gss_release_buffer(&m, &out);
	if (major == GSS_S_COMPLETE)
		return 1;
	if (GSS_ERROR(major)) {
		gss_text(major, minor, text, sizeof text);
		snprintf(why, n, "%s", text);
	} else
		snprintf(why, n, "the server's token does not complete the exchange");
	return 0;
}

ews_status ews_negotiate_on_response(ews_client *c, const char *operation)
{
	char why[600];
	int step = c->nego_step;

	if (!step)
		return ews_status_ok();
	if (step == 1 && c->nego_token && !finish_context(c, why, sizeof why)) {
		ews_negotiate_reset(c);
		return ews_status_make(EWS_ERR_AUTH, "%s: Negotiate: the server's answer failed mutual authentication "
		                       "(it may not be the server the ticket was for): %s", operation, why);
	}
	if (step == 1 && !c->nego_token)
		ews_log(c, EWS_LOG_WARNING, "Negotiate: the server accepted the ticket but sent no token proving its "
		        "own identity (no mutual authentication)");
	else
		ews_log(c, EWS_LOG_DEBUG, "Negotiate: authenticated with Kerberos, server identity verified");
	ews_negotiate_reset(c);
	return ews_status_ok();
}

ews_status ews_negotiate_on_401(ews_client *c, const char *operation, int *retry)
{
	const char *offers = c->resp_auth_schemes[0] ? c->resp_auth_schemes : "nothing";
	int negotiate = strstr(c->resp_auth_schemes, "Negotiate") != NULL;
	int ntlm = strstr(c->resp_auth_schemes, "NTLM") != NULL;
	char host[256] = "?";

	*retry = 0;
	url_host(c->url, host, sizeof host);
	ews_negotiate_reset(c);
	if (!negotiate && ntlm && c->user && c->password) {
		/* a server that speaks NTLM but not Negotiate: what Negotiate falls back to */
		*retry = 1;
		c->nego_ntlm_scheme = "NTLM";
		ews_log(c, EWS_LOG_INFO, "Negotiate: the server offers NTLM, not Negotiate; falling back to NTLM");
		return ews_status_make(EWS_ERR_AUTH, "%s: the server offers NTLM only", operation);
	}
	if (!negotiate)
		return ews_status_make(EWS_ERR_AUTH, "%s: HTTP 401: the server does not offer Negotiate (it offers: %s)%s",
		                       operation, offers, ntlm ? "; give a user and a password for the NTLM fallback" : "");
	return ews_status_make(EWS_ERR_AUTH, "%s: HTTP 401: the server refused the Kerberos ticket for HTTP/%s (its "
	                       "keytab lacks that principal's current key, the clocks differ by more than 5 minutes, "
	                       "or the user maps to no mailbox)", operation, host);
}
