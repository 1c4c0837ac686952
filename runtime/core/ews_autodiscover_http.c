/* ews_autodiscover_http.c — one HTTP exchange of autodiscover on a connection of its own: TLS with the client's
 * CA settings, Basic or Bearer credentials (https only), redirects reported (never followed here), and the
 * CURLOPT_RESOLVE-like host overrides of ews_autodiscover_options.resolve with the certificate still checked
 * against the host name of the URL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <stdsoap2.h>

#include "ews_autodiscover_internal.h"
#include "ews_internal.h"

#define MAX_ANSWER (1024 * 1024)   /* an autodiscover answer is a few KiB */

/* What the connect hook needs (soap->user). */
struct hook {
	const ews_ad_run *run;
	SOAP_SOCKET (*orig_fopen)(struct soap *, const char *, const char *, int);
	int (*orig_fparsehdr)(struct soap *, const char *, const char *);
	int verify;                 /* the certificate must verify */
	char bad_host[256];         /* an overridden connection whose certificate does not name this host */
	char location[1024];
};

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
	struct hook *h = soap->user;
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
	struct hook *h = soap->user;
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

ews_status ews_ad_http_exchange(const ews_ad_run *run, const char *method, const char *url, const char *ctype,
				const char *action, const char *body, int with_credentials, ews_ad_http *out)
{
	const ews_options *o = run->opt->client;
	struct soap *t;
	struct hook h;
	ews_status st = ews_status_ok();
	int https = !strncasecmp(url, "https://", 8), rc;
	char auth[8192];

	memset(out, 0, sizeof *out);
	memset(&h, 0, sizeof h);
	h.run = run;
	h.verify = !(o && o->insecure);
	t = soap_new1(SOAP_C_UTFSTRING);
	if (!t)
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	t->user = &h;
	h.orig_fopen = t->fopen;
	t->fopen = connect_hook;
	h.orig_fparsehdr = t->fparsehdr;
	t->fparsehdr = header_hook;
	t->connect_timeout = o && o->connect_timeout_s > 0 ? o->connect_timeout_s : 30;
	t->send_timeout = t->recv_timeout = o && o->io_timeout_s > 0 ? o->io_timeout_s : 60;
	t->transfer_timeout = t->recv_timeout * 2;
	t->recv_maxlength = MAX_ANSWER;
	t->socket_flags = MSG_NOSIGNAL;
	if (https && soap_ssl_client_context(t, (h.verify ? SOAP_SSL_REQUIRE_SERVER_AUTHENTICATION
							  : SOAP_SSL_NO_AUTHENTICATION) | SOAP_TLSv1_2 | SOAP_TLSv1_3,
					     NULL, NULL, o ? o->ca_file : NULL, o ? o->ca_dir : NULL, NULL)) {
		st = ews_status_make(EWS_ERR_TLS, "autodiscover: TLS setup failed (CA file '%s')",
				     o && o->ca_file ? o->ca_file : "-");
		goto out;
	}
	/* credentials never travel in clear text, and never to the unauthenticated redirect probe */
	auth[0] = '\0';
	if (with_credentials && https && o && o->auth == EWS_AUTH_BASIC && o->user && o->password) {
		t->userid = o->user;
		t->passwd = o->password;
	} else if (with_credentials && https && o && o->auth == EWS_AUTH_BEARER && o->token) {
		if (strlen(o->token) + 32 > sizeof auth || strpbrk(o->token, "\r\n")) {
			st = ews_status_make(EWS_ERR_ARGUMENT, "autodiscover: the bearer token is too long or has line breaks");
			goto out;
		}
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", o->token);
		t->http_extra_header = auth;
	}
	if (!strcmp(method, "GET"))
		rc = soap_GET(t, url, NULL);
	else
		rc = soap_POST(t, url, action, ctype) || soap_send_raw(t, body, strlen(body)) || soap_end_send(t);
	if (rc) {
		st = transport_failure(t, &h, url);
		goto out;
	}
	rc = soap_begin_recv(t);
	out->status = t->status;
	snprintf(out->location, sizeof out->location, "%s", h.location);
	if (rc && (t->status < 100 || t->status >= 600)) {
		/* no HTTP status: the exchange broke */
		st = transport_failure(t, &h, url);
		goto out;
	}
	if (rc == SOAP_OK || t->status == 400 || t->status == 500) {
		size_t n = 0;
		char *b;
		t->error = SOAP_OK;
		b = soap_http_get_body(t, &n);
		if (b) {
			out->body = malloc(n + 1);
			if (!out->body) {
				st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
				goto out;
			}
			memcpy(out->body, b, n);
			out->body[n] = '\0';
			out->len = n;
		}
		soap_end_recv(t);
	}
out:
	memset(auth, 0, sizeof auth);
	/* it held the request with its Authorization header. Unconditionally: when the connection failed, nothing
	 * was written there and testing buf[0] first read uninitialised memory (valgrind, test_autodiscover). */
	memset(t->buf, 0, sizeof t->buf);
	t->userid = t->passwd = NULL;
	t->http_extra_header = NULL;
	soap_closesock(t);
	soap_destroy(t);
	soap_end(t);
	soap_free(t);
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
