/* ews_autodiscover_http.c — one HTTP exchange of autodiscover on a connection of its own: a client of its own
 * (ews_http_exchange.h) with the caller's credentials and CA settings, so that Basic, Bearer, NTLM and Negotiate
 * (Kerberos, with its NTLM fallback) run exactly the handshakes of EWS calls, credentials over https only;
 * redirects reported (never followed here), and the CURLOPT_RESOLVE-like host overrides of
 * ews_autodiscover_options.resolve with the certificate still checked against the host name of the URL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <stdsoap2.h>

#include "ews_autodiscover_internal.h"
#include "ews_http_exchange.h"
#include "ews_internal.h"

#define MAX_ANSWER (1024 * 1024)   /* an autodiscover answer is a few KiB */

/* What the connect and header hooks need: a gSOAP plugin of the exchange's context (soap->user is the client's). */
struct hook {
	const ews_ad_run *run;
	SOAP_SOCKET (*orig_fopen)(struct soap *, const char *, const char *, int);
	int (*orig_fparsehdr)(struct soap *, const char *, const char *);
	int verify;                 /* the certificate must verify */
	char bad_host[256];         /* an overridden connection whose certificate does not name this host */
	char location[1024];
};

static const char hook_id[] = "ews-autodiscover";

static void hook_plugin_delete(struct soap *soap, struct soap_plugin *p)
{
	(void)soap, (void)p;
}

static int hook_plugin(struct soap *soap, struct soap_plugin *p, void *arg)
{
	(void)soap;
	p->id = hook_id;
	p->data = arg;      /* the exchange's own, on its stack: nothing to copy or free */
	p->fcopy = NULL;
	p->fdelete = hook_plugin_delete;
	return SOAP_OK;
}

static struct hook *hook_of(struct soap *soap)
{
	return soap_lookup_plugin(soap, hook_id);
}

/* "HOST:PORT:ADDRESS[:PORT2]" for host:port -> address and port. */
static int override_for(const char *const *list, const char *host, int port, char *addr, size_t cap, int *to_port)
{
	for (; list && *list; list++) {
		const char *e = *list, *c1 = strchr(e, ':'), *c2, *c3;
		size_t hl, al;
		if (!c1 || !(c2 = strchr(c1 + 1, ':')))
			continue;
		hl = (size_t)(c1 - e);
		if (hl != strlen(host) || strncasecmp(e, host, hl) || atoi(c1 + 1) != port)
			continue;
		c3 = strchr(c2 + 1, ':');
		al = c3 ? (size_t)(c3 - c2 - 1) : strlen(c2 + 1);
		if (al == 0 || al >= cap)
			continue;
		memcpy(addr, c2 + 1, al);
		addr[al] = '\0';
		*to_port = c3 ? atoi(c3 + 1) : port;
		return 1;
	}
	return 0;
}

static SOAP_SOCKET connect_hook(struct soap *soap, const char *endpoint, const char *host, int port)
{
	struct hook *h = hook_of(soap);
	char addr[256];
	int to_port;
	unsigned short flags = soap->ssl_flags;
	SOAP_SOCKET s;

	if (!override_for(h->run->opt->resolve, host, port, addr, sizeof addr, &to_port))
		return h->orig_fopen(soap, endpoint, host, port);
	ews_ad_log(h->run, EWS_LOG_DEBUG, "autodiscover: %s:%d resolved to %s:%d (override)", host, port, addr, to_port);
	/* gSOAP checks the certificate against the name it connects to: connect to the address without its host
	 * check, then check the name of the URL here */
	soap->ssl_flags |= SOAP_SSL_SKIP_HOST_CHECK;
	s = h->orig_fopen(soap, endpoint, addr, to_port);
	soap->ssl_flags = flags;
	if (soap_valid_socket(s) && soap->ssl && h->verify) {
		X509 *peer = SSL_get1_peer_certificate(soap->ssl);
		int ok = peer && (X509_check_host(peer, host, 0, 0, NULL) == 1 || X509_check_ip_asc(peer, host, 0) == 1);
		X509_free(peer);
		if (!ok) {
			snprintf(h->bad_host, sizeof h->bad_host, "%s", host);
			soap->fclosesocket(soap, s);
			soap->socket = SOAP_INVALID_SOCKET;
			soap->error = SOAP_SSL_ERROR;
			return SOAP_INVALID_SOCKET;
		}
	}
	return s;
}

static int header_hook(struct soap *soap, const char *key, const char *val)
{
	struct hook *h = hook_of(soap);
	if (key && val && !strcasecmp(key, "Location"))
		snprintf(h->location, sizeof h->location, "%s", val);
	return h->orig_fparsehdr(soap, key, val);
}

static ews_status transport_failure(struct soap *t, const struct hook *h, const char *url)
{
	if (h->bad_host[0])
		return ews_status_make(EWS_ERR_TLS, "autodiscover: the certificate of %s is not valid for the name %s",
				       url, h->bad_host);
	if (t->error == SOAP_SSL_ERROR)
		return ews_status_make(EWS_ERR_TLS, "autodiscover: TLS failure with %s: the certificate does not verify "
				       "(untrusted issuer or another host name; --ca-file / ca_file adds a CA)", url);
	if (t->error == SOAP_TCP_ERROR)
		return ews_status_make(EWS_ERR_CONNECT, "autodiscover: cannot connect to %s%s%s", url,
				       t->errnum ? ": " : " (the name does not resolve)", t->errnum ? strerror(t->errnum) : "");
	if (t->error == SOAP_EOF)
		return ews_status_make(EWS_ERR_IO, "autodiscover: %s closed the connection without an answer", url);
	if (t->error == SOAP_EOM)
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	return ews_status_make(EWS_ERR_HTTP, "autodiscover: %s: broken HTTP answer (gSOAP error %d)", url, t->error);
}

/* The client's log, as autodiscover's: its handshake steps at their level, its warnings as information, as
 * autodiscover reports each failure itself (a refused password would otherwise be told twice). */
static void client_log(void *arg, ews_log_level level, const char *message)
{
	const ews_ad_run *run = arg;
	ews_ad_log(run, level > EWS_LOG_INFO ? EWS_LOG_INFO : level, "%s", message);
}

ews_status ews_ad_http_exchange(const ews_ad_run *run, const char *method, const char *url, const char *ctype,
				const char *action, const char *body, int with_credentials, ews_ad_http *out)
{
	const ews_options *o = run->opt->client;
	ews_client *c = NULL;
	ews_options copy;
	ews_http_answer a;
	struct hook h;
	ews_status st;
	int https = !strncasecmp(url, "https://", 8);

	memset(out, 0, sizeof *out);
	memset(&h, 0, sizeof h);
	h.run = run;
	h.verify = !(o && o->insecure);
	if (o)
		copy = *o;
	else
		ews_options_init(&copy);
	copy.url = NULL;
	copy.server_version = copy.impersonate = copy.culture = copy.timezone = NULL;   /* for EWS calls only */
	if (!with_credentials || !https) {
		/* credentials never travel in clear text, and never to the unauthenticated redirect probe */
		copy.auth = EWS_AUTH_NONE;
		copy.user = copy.password = copy.domain = copy.token = NULL;
	}
	copy.io_timeout_s = o && o->io_timeout_s > 0 ? o->io_timeout_s : 60;
	copy.deadline_s = copy.io_timeout_s * 2;
	copy.max_response_bytes = MAX_ANSWER;
	st = ews_http_client_new(url, &copy, &c);
	if (!ews_ok(st))
		return ews_status_make(st.code, "autodiscover: %s", st.message);
	ews_client_set_log(c, client_log, (void *)run);
	if (soap_register_plugin_arg(c->soap, hook_plugin, &h)) {
		ews_client_free(c);
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	}
	h.orig_fopen = c->soap->fopen;
	c->soap->fopen = connect_hook;
	/* before the client's own header hook; the client lives for this exchange only, so no setter re-wraps it */
	h.orig_fparsehdr = c->soap->fparsehdr;
	c->soap->fparsehdr = header_hook;

	st = ews_http_exchange(c, "autodiscover", method, ctype, action, body, &a);
	if (!ews_ok(st)) {
		int broke = c->soap->error;
		/* autodiscover's words, naming the URL, for a connection that broke; the client's for the rest */
		if (h.bad_host[0] || ((st.code == EWS_ERR_CONNECT || st.code == EWS_ERR_TLS || st.code == EWS_ERR_IO) &&
				      (broke == SOAP_TCP_ERROR || broke == SOAP_SSL_ERROR || broke == SOAP_EOF)))
			st = transport_failure(c->soap, &h, url);
	} else {
		out->status = a.status;
		out->body = a.body;
		out->len = a.len;
		snprintf(out->location, sizeof out->location, "%s", h.location);
		if (with_credentials && o && (o->auth == EWS_AUTH_NTLM || o->auth == EWS_AUTH_NEGOTIATE))
			snprintf(out->auth_detail, sizeof out->auth_detail, "%s", a.auth_detail);
	}
	memset(c->soap->buf, 0, sizeof c->soap->buf);  /* it held the request with its Authorization header */
	ews_client_free(c);
	return st;
}

void ews_ad_http_free(ews_ad_http *h)
{
	if (h) {
		free(h->body);
		h->body = NULL;
		h->len = 0;
	}
}
