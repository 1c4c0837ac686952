/* ews_oauth2_http.c — one form POST to an OAuth2 endpoint (token, device authorization) with the client's TLS,
 * proxy and timeout settings; shared by the client-credentials grant, the device flow and refresh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <stdsoap2.h>

#include "ews_internal.h"
#include "ews_oauth2_internal.h"

#define MAX_TOKEN_RESPONSE (256u << 10)

int ews_oauth2_form_append(char *buf, size_t cap, size_t *used, const char *name, const char *s)
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

ews_status ews_oauth2_post(ews_client *c, const char *what, const char *url, const char *form, size_t len, int *http_status,
                           char **body, size_t *body_len)
{
	struct soap *t;
	ews_status st = ews_status_ok();
	size_t n = 0;
	char *b;

	*http_status = 0;
	*body = NULL;
	*body_len = 0;
	st = ews_oauth2_check_token_url(url);
	if (!ews_ok(st)) {
		st.code = EWS_ERR_AUTH; /* refused before anything was sent */
		return st;
	}
	t = ews_soap_new(SOAP_C_UTFSTRING);
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
	if (!strncasecmp(url, "https://", 8) &&
	    soap_ssl_client_context(t, (c->insecure ? SOAP_SSL_NO_AUTHENTICATION : SOAP_SSL_REQUIRE_SERVER_AUTHENTICATION) |
	                                   SOAP_TLSv1_2 | SOAP_TLSv1_3,
	                            NULL, NULL, c->ca_file, c->ca_dir, NULL)) {
		st = ews_status_make(EWS_ERR_TLS, "OAuth2: TLS setup failed");
		goto out;
	}
	if (soap_POST(t, url, NULL, "application/x-www-form-urlencoded") || soap_send_raw(t, form, len) ||
	    soap_end_send(t)) {
		st = t->error == SOAP_SSL_ERROR ? ews_status_make(EWS_ERR_TLS, "OAuth2: TLS failure with %s", what)
		                                : ews_status_make(EWS_ERR_CONNECT, "OAuth2: cannot reach %s", what);
		goto out;
	}
	/* OAuth2 endpoints answer errors with 400 (RFC 6749 section 5.2) or 401 and a JSON body worth reading */
	if (soap_begin_recv(t) && t->error != 400 && t->error != 401) {
		st = ews_status_make(t->error >= 100 && t->error < 600 ? EWS_ERR_AUTH : EWS_ERR_IO,
		                     "OAuth2: %s answered %s %d", what, t->error < 600 ? "HTTP" : "error", t->error);
		st.http_status = t->status;
		goto out;
	}
	t->error = SOAP_OK;
	b = soap_http_get_body(t, &n);
	soap_end_recv(t);
	*http_status = t->status;
	*body = malloc(n + 1);
	if (!*body) {
		st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
		goto out;
	}
	if (n)
		memcpy(*body, b, n);
	(*body)[n] = '\0';
	*body_len = n;
	if (b) /* it held tokens */
		memset(b, 0, n);
out:
	/* gSOAP's buffer held the request (a secret, a refresh token or a device code) */
	memset(t->buf, 0, sizeof t->buf);
	ews_soap_free(t);
	return st;
}

void ews_oauth2_describe_error(const char *body, size_t len, char *out, size_t cap)
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

void ews_oauth2_free_body(char *body, size_t len)
{
	if (body)
		memset(body, 0, len);
	free(body);
}
