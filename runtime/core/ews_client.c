/* ews_client.c — creating, configuring and freeing an ews_client; logging. */
#define _GNU_SOURCE /* strndup */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>

#include <stdsoap2.h>

#include "ews_internal.h"
#include "ews_wire.h"

extern SOAP_NMAC struct Namespace namespaces[];

static void vlog(ews_client *c, ews_log_level level, const char *fmt, va_list ap)
{
	char msg[512];

	if (!c || !c->log_fn || !fmt)
		return;
	vsnprintf(msg, sizeof msg, fmt, ap);
	c->log_fn(c->log_arg, level, msg);
}

void ews_log(ews_client *c, ews_log_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(c, level, fmt, ap);
	va_end(ap);
}

void ews_client_logf(ews_client *c, ews_log_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(c, level, fmt, ap);
	va_end(ap);
}

void ews_free_secret(char *s)
{
	if (!s)
		return;
	/* volatile: the compiler may not drop the wipe of memory about to be freed */
	for (volatile char *p = s; *p; p++)
		*p = '\0';
	free(s);
}

int ews_strdup_into(char **dst, const char *src)
{
	char *copy = NULL;
	if (src && !(copy = strdup(src)))
		return -1;
	free(*dst);
	*dst = copy;
	return 0;
}

/* Like ews_strdup_into, wiping the old value (a secret). */
static int secret_into(char **dst, const char *src)
{
	char *copy = NULL;
	if (src && !(copy = strdup(src)))
		return -1;
	ews_free_secret(*dst);
	*dst = copy;
	return 0;
}

static void default_sleep(void *arg, long ms)
{
	struct timespec ts;
	(void)arg;
	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

void ews_options_init(ews_options *opt)
{
	if (opt)
		memset(opt, 0, sizeof *opt);
}

static ews_status nomem(void)
{
	return ews_status_make(EWS_ERR_NOMEM, "out of memory");
}

static ews_status apply_auth(ews_client *c, const ews_options *o)
{
	switch (o->auth) {
	case EWS_AUTH_NONE:
		return ews_status_ok();
	case EWS_AUTH_BASIC:
		return ews_client_set_basic_auth(c, o->user, o->password);
	case EWS_AUTH_BEARER:
		return ews_client_set_bearer_token(c, o->token);
	case EWS_AUTH_NTLM:
		return ews_client_set_ntlm_auth(c, o->user, o->domain, o->password);
	case EWS_AUTH_OAUTH2:
		return ews_client_set_oauth2(c, o->oauth2_token_url, o->oauth2_client_id, o->oauth2_client_secret,
		                             o->oauth2_scope);
	case EWS_AUTH_NEGOTIATE:
		return ews_client_set_negotiate_auth(c, o->user, o->domain, o->password);
	case EWS_AUTH_OAUTH2_DEVICE:
		return ews_status_make(EWS_ERR_ARGUMENT, "delegated OAuth2 is set with ews_client_set_oauth2_device() "
		                       "(ews/oauth2.h), not through ews_options");
	}
	return ews_status_make(EWS_ERR_ARGUMENT, "unknown authentication method %d", (int)o->auth);
}

static ews_status apply_options(ews_client *c, const ews_options *o)
{
	ews_status st;

	if (!ews_ok(st = apply_auth(c, o)) ||
	    !ews_ok(st = ews_client_set_server_version(c, o->server_version ? o->server_version
	                                                  : c->binding->default_server_version
	                                                  ? c->binding->default_server_version
	                                                  : EWS_DEFAULT_SERVER_VERSION)) ||
	    (o->impersonate && !ews_ok(st = ews_client_set_impersonation(c, EWS_IMPERSONATE_SMTP, o->impersonate))) ||
	    !ews_ok(st = ews_client_set_culture(c, o->culture)) || !ews_ok(st = ews_client_set_timezone(c, o->timezone)) ||
	    !ews_ok(st = ews_client_set_tls(c, o->ca_file, o->ca_dir, o->insecure)) ||
	    (o->proxy && !ews_ok(st = ews_client_set_proxy(c, o->proxy, o->proxy_user, o->proxy_password))) ||
	    !ews_ok(st = ews_client_set_timeouts(c, o->connect_timeout_s, o->io_timeout_s, o->deadline_s)) ||
	    !ews_ok(st = ews_client_set_limits(c, o->max_response_bytes, o->max_depth)))
		return st;
	if (o->low_speed_limit < -1 || o->low_speed_time_s < 0)
		return ews_status_make(EWS_ERR_ARGUMENT, "low_speed_limit must be >= 0 bytes/s (-1: off) and "
		                       "low_speed_time_s >= 1 s");
	if ((o->low_speed_limit || o->low_speed_time_s) &&
	    !ews_ok(st = ews_client_set_low_speed(c, o->low_speed_limit < 0 ? 0 : o->low_speed_limit ? o->low_speed_limit
	                                                                                        : c->low_speed_limit,
	                                          o->low_speed_time_s ? o->low_speed_time_s : c->low_speed_time_s)))
		return st;
	if (o->max_attempts || o->max_backoff_ms || o->retry_budget_ms)
		st = ews_client_set_retry(c, o->max_attempts ? o->max_attempts : c->max_attempts,
		                          o->max_backoff_ms ? o->max_backoff_ms : c->max_backoff_ms,
		                          o->retry_budget_ms ? o->retry_budget_ms : c->retry_budget_ms);
	return st;
}

ews_status ews_client_new_with_binding(const char *url, const ews_options *opt, const ews_binding *binding,
                                       ews_client **out)
{
	ews_options defaults;
	ews_client *c;
	ews_status st;

	if (!out)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_client_new: out is NULL");
	*out = NULL;
	if (!binding)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_client_new: no schema binding");
	if (!opt) {
		ews_options_init(&defaults);
		opt = &defaults;
	}
	if (!url)
		url = opt->url;
	if (!url || (strncmp(url, "http://", 7) && strncmp(url, "https://", 8)))
		return ews_status_make(EWS_ERR_ARGUMENT, "the EWS URL must start with http:// or https://");
	{
		/* user:password@ in the URL would end up in messages and logs: credentials go through the setters */
		const char *authority = strstr(url, "://") + 3;
		size_t n = strcspn(authority, "/?#");
		if (memchr(authority, '@', n))
			return ews_status_make(EWS_ERR_ARGUMENT, "credentials in the EWS URL are not supported; use the "
			                       "authentication options");
		for (const char *p = url; *p; p++)
			if ((unsigned char)*p <= ' ' || *p == 0x7F)
				return ews_status_make(EWS_ERR_ARGUMENT, "the EWS URL contains spaces or control characters");
	}
	if (!(c = calloc(1, sizeof *c)))
		return nomem();
	c->connect_timeout_s = 30;
	c->io_timeout_s = 120;
	c->deadline_s = 600;
	c->low_speed_limit = 100;
	c->low_speed_time_s = 30;
	c->max_response_bytes = (size_t)64 << 20;
	c->max_depth = 200;
	c->max_attempts = 5;
	c->max_backoff_ms = 60000;
	c->retry_budget_ms = 300000;
	c->sleep_fn = default_sleep;
	c->proxy_port = 8080;
	c->binding = binding;
	/* UTF-8 strings stay UTF-8 (else gSOAP narrows them to Latin-1); one kept-alive connection per client;
	 * SOAP_XML_TREE: EWS never uses SOAP-encoding id/href, and without the flag gSOAP keeps per-element pointer
	 * bookkeeping for them (bench/README.md: -14% paging, -19% sync CPU, the same decoded values) */
	c->soap = ews_soap_new(SOAP_C_UTFSTRING | SOAP_IO_KEEPALIVE | SOAP_XML_TREE);
	c->arena = ews_soap_new(SOAP_C_UTFSTRING);
	if (!c->soap || !c->arena || !(c->url = strdup(url))) {
		ews_client_free(c);
		return nomem();
	}
	soap_set_namespaces(c->soap, namespaces);
	if (ews_wire_attach(c->soap, EWS_WIRE_REQUEST) != SOAP_OK ||   /* Exchange's prefixes: s:, m:, t: */
	    ews_body_attach(c) != SOAP_OK) {
		ews_client_free(c);
		return nomem();
	}
	st = apply_options(c, opt);
	c->soap->user = c; /* from now on, transport setters reconfigure the context at once */
	if (ews_ok(st))
		st = ews_transport_configure(c);
	if (!ews_ok(st)) {
		ews_client_free(c);
		return st;
	}
	*out = c;
	return st;
}

void ews_client_release(ews_client *c)
{
	if (!c || !c->soap)
		return;
	c->soap->header = NULL; /* points into memory soap_end frees */
	c->soap->fault = NULL;
	soap_destroy(c->soap);            /* also the response's body (ews_body.c), unless it was moved out */
	soap_end(c->soap);
}

void ews_client_free(ews_client *c)
{
	if (!c)
		return;
	if (c->soap) {
		c->soap->header = NULL; /* as in ews_client_release: they point into what ews_soap_free's soap_end frees */
		c->soap->fault = NULL;
		soap_closesock(c->soap);
		ews_soap_free(c->soap);
	}
	ews_soap_free(c->arena);
	free(c->url);
	free(c->user);
	ews_free_secret(c->password);
	free(c->domain);
	ews_free_secret(c->token);
	free(c->oauth2_token_url);
	free(c->oauth2_client_id);
	ews_free_secret(c->oauth2_client_secret);
	free(c->oauth2_scope);
	ews_free_secret(c->oauth2_access_token);
	ews_free_secret(c->oauth2_refresh_token);
	free(c->oauth2_device_url);
	free(c->oauth2_cache_file);
	free(c->ntlm_challenge);
	ews_negotiate_reset(c);
	free(c->version);
	free(c->next_version);
	free(c->imp_value);
	free(c->anchor_mailbox);
	free(c->culture);
	free(c->timezone);
	free(c->ca_file);
	free(c->ca_dir);
	free(c->proxy_host);
	free(c->proxy_user);
	ews_free_secret(c->proxy_password);
	ews_free_secret(c->extra_headers);
	free(c);
}

struct soap *ews_client_arena(ews_client *c)
{
	return c ? c->arena : NULL;
}

void ews_client_arena_reset(ews_client *c)
{
	if (c && c->arena) {
		soap_destroy(c->arena);
		soap_end(c->arena);
	}
}

struct soap *ews_client_soap(ews_client *c)
{
	return c ? c->soap : NULL;
}

const char *ews_client_url(const ews_client *c)
{
	return c ? c->url : NULL;
}

static ews_status need_client(const ews_client *c, const char *fn)
{
	return c ? ews_status_ok() : ews_status_make(EWS_ERR_ARGUMENT, "%s: client is NULL", fn);
}

ews_status ews_client_set_basic_auth(ews_client *c, const char *user, const char *password)
{
	if (!c || !user || !password)
		return ews_status_make(EWS_ERR_ARGUMENT, "basic authentication needs a user and a password");
	if (ews_strdup_into(&c->user, user) || secret_into(&c->password, password))
		return nomem();
	ews_auth_reset(c);
	c->auth = EWS_AUTH_BASIC;
	return ews_status_ok();
}

ews_status ews_client_set_bearer_token(ews_client *c, const char *token)
{
	if (!c || !token || !*token)
		return ews_status_make(EWS_ERR_ARGUMENT, "bearer authentication needs a token");
	for (const char *p = token; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7F) /* it goes into an HTTP header line */
			return ews_status_make(EWS_ERR_ARGUMENT, "the bearer token contains spaces or control characters");
	if (secret_into(&c->token, token))
		return nomem();
	ews_auth_reset(c);
	c->auth = EWS_AUTH_BEARER;
	return ews_status_ok();
}

ews_status ews_client_set_ntlm_auth(ews_client *c, const char *user, const char *domain, const char *password)
{
	if (!c || !user || !password)
		return ews_status_make(EWS_ERR_ARGUMENT, "NTLM authentication needs a user and a password");
	if (ews_strdup_into(&c->user, user) || ews_strdup_into(&c->domain, domain) || secret_into(&c->password, password))
		return nomem();
	ews_auth_reset(c);
	c->auth = EWS_AUTH_NTLM;
	return ews_status_ok();
}

ews_status ews_client_set_negotiate_auth(ews_client *c, const char *user, const char *domain, const char *password)
{
	if (!c)
		return ews_status_make(EWS_ERR_ARGUMENT, "Negotiate authentication: client is NULL");
	if ((user != NULL) != (password != NULL))
		return ews_status_make(EWS_ERR_ARGUMENT, "Negotiate authentication: the NTLM fallback needs both a user and "
		                       "a password (or neither: Kerberos only)");
	if (ews_strdup_into(&c->user, user) || ews_strdup_into(&c->domain, domain) || secret_into(&c->password, password))
		return nomem();
	ews_auth_reset(c);
	c->auth = EWS_AUTH_NEGOTIATE;
	return ews_status_ok();
}

ews_status ews_client_set_oauth2(ews_client *c, const char *token_url, const char *client_id,
                                 const char *client_secret, const char *scope)
{
	if (!c || !token_url || !client_id || !client_secret)
		return ews_status_make(EWS_ERR_ARGUMENT, "OAuth2 needs a token URL, a client id and a client secret");
	ews_status st = ews_oauth2_check_token_url(token_url);
	if (!ews_ok(st))
		return st;
	if (ews_strdup_into(&c->oauth2_token_url, token_url) || ews_strdup_into(&c->oauth2_client_id, client_id) ||
	    secret_into(&c->oauth2_client_secret, client_secret) ||
	    ews_strdup_into(&c->oauth2_scope, scope ? scope : EWS_DEFAULT_OAUTH2_SCOPE))
		return nomem();
	ews_auth_reset(c);
	c->auth = EWS_AUTH_OAUTH2;
	return ews_status_ok();
}

ews_status ews_client_set_server_version(ews_client *c, const char *version)
{
	if (!c || !version)
		return ews_status_make(EWS_ERR_ARGUMENT, "a server version is required");
	if (!ews_version_name_valid(version))
		return ews_status_make(EWS_ERR_ARGUMENT, "'%.60s' is not an ExchangeVersionType name", version);
	return ews_strdup_into(&c->version, version) ? nomem() : ews_status_ok();
}

ews_status ews_client_set_next_call_server_version(ews_client *c, const char *version)
{
	if (!c)
		return need_client(c, __func__);
	if (version && !ews_version_name_valid(version))
		return ews_status_make(EWS_ERR_ARGUMENT, "'%.60s' is not an ExchangeVersionType name", version);
	return ews_strdup_into(&c->next_version, version) ? nomem() : ews_status_ok();
}

ews_status ews_client_set_impersonation(ews_client *c, ews_impersonation kind, const char *value)
{
	if (!c)
		return need_client(c, __func__);
	if (kind != EWS_IMPERSONATE_SMTP && kind != EWS_IMPERSONATE_SID && kind != EWS_IMPERSONATE_PRINCIPAL_NAME)
		return ews_status_make(EWS_ERR_ARGUMENT, "unknown impersonation kind %d", (int)kind);
	if (value && !*value)
		return ews_status_make(EWS_ERR_ARGUMENT, "empty impersonation value");
	if (ews_strdup_into(&c->imp_value, value))
		return nomem();
	c->imp_kind = kind;
	return ews_status_ok();
}

static ews_status set_header_string(char **dst, const char *value, const char *what)
{
	if (value)
		for (const char *p = value; *p; p++)
			if ((unsigned char)*p < ' ')
				return ews_status_make(EWS_ERR_ARGUMENT, "%s contains control characters", what);
	return ews_strdup_into(dst, value) ? nomem() : ews_status_ok();
}

ews_status ews_client_set_culture(ews_client *c, const char *culture)
{
	return c ? set_header_string(&c->culture, culture, "the culture") : need_client(c, __func__);
}

ews_status ews_client_set_timezone(ews_client *c, const char *timezone_id)
{
	return c ? set_header_string(&c->timezone, timezone_id, "the time zone id") : need_client(c, __func__);
}

ews_status ews_client_set_anchor_mailbox(ews_client *c, const char *smtp)
{
	return c ? set_header_string(&c->anchor_mailbox, smtp, "the anchor mailbox") : need_client(c, __func__);
}

ews_status ews_client_set_timeouts(ews_client *c, int connect_s, int io_s, int deadline_s)
{
	if (!c || connect_s < 0 || io_s < 0 || deadline_s < 0)
		return ews_status_make(EWS_ERR_ARGUMENT, "timeouts must be >= 0 seconds");
	if (connect_s)
		c->connect_timeout_s = connect_s;
	if (io_s)
		c->io_timeout_s = io_s;
	if (deadline_s)
		c->deadline_s = deadline_s;
	return c->soap && c->soap->user == c ? ews_transport_configure(c) : ews_status_ok();
}

ews_status ews_client_set_low_speed(ews_client *c, long bytes_per_s, int seconds)
{
	if (!c || bytes_per_s < 0 || seconds < 1 || seconds > 86400)
		return ews_status_make(EWS_ERR_ARGUMENT, "low-speed limit: bytes/s must be >= 0 (0: off), seconds 1..86400");
	c->low_speed_limit = bytes_per_s;
	c->low_speed_time_s = seconds;
	return ews_status_ok();
}

ews_status ews_client_set_limits(ews_client *c, size_t max_response_bytes, int max_depth)
{
	if (!c || max_depth < 0)
		return ews_status_make(EWS_ERR_ARGUMENT, "invalid limits");
	if (max_response_bytes)
		c->max_response_bytes = max_response_bytes;
	if (max_depth)
		c->max_depth = max_depth;
	return c->soap && c->soap->user == c ? ews_transport_configure(c) : ews_status_ok();
}

ews_status ews_client_set_tls(ews_client *c, const char *ca_file, const char *ca_dir, int insecure)
{
	if (!c)
		return need_client(c, __func__);
	if (ews_strdup_into(&c->ca_file, ca_file) || ews_strdup_into(&c->ca_dir, ca_dir))
		return nomem();
	c->insecure = insecure != 0;
	c->tls_configured = 0; /* rebuilt by the next ews_transport_configure */
	return c->soap && c->soap->user == c ? ews_transport_configure(c) : ews_status_ok();
}

/* "host:port", "host" or "http://host:port/" into an owned host and a port. */
static int parse_proxy(const char *spec, char **host, int *port)
{
	const char *p = spec, *end, *colon;
	char *h;
	long v = 8080;

	if (!strncmp(p, "http://", 7))
		p += 7;
	end = p + strcspn(p, "/");
	colon = memchr(p, ':', (size_t)(end - p));
	if ((colon ? colon : end) == p || (size_t)((colon ? colon : end) - p) > 255)
		return -1;
	if (colon) {
		char *e;
		v = strtol(colon + 1, &e, 10);
		if (e != end || e == colon + 1 || v < 1 || v > 65535)
			return -1;
	}
	if (!(h = strndup(p, (size_t)((colon ? colon : end) - p))))
		return -2;
	for (char *q = h; *q; q++)
		if ((unsigned char)*q <= ' ') {
			free(h);
			return -1;
		}
	*host = h;
	*port = (int)v;
	return 0;
}

ews_status ews_client_set_proxy(ews_client *c, const char *proxy, const char *user, const char *password)
{
	char *host = NULL;
	int port = 8080, rc;

	if (!c)
		return need_client(c, __func__);
	if (proxy && (rc = parse_proxy(proxy, &host, &port)) != 0)
		return rc == -2 ? nomem() : ews_status_make(EWS_ERR_ARGUMENT, "the proxy must be host:port or http://host:port");
	if (ews_strdup_into(&c->proxy_user, user) || secret_into(&c->proxy_password, password)) {
		free(host);
		return nomem();
	}
	free(c->proxy_host);
	c->proxy_host = host;
	c->proxy_port = port;
	return c->soap && c->soap->user == c ? ews_transport_configure(c) : ews_status_ok();
}

ews_status ews_client_set_retry(ews_client *c, int max_attempts, long max_backoff_ms, long budget_ms)
{
	if (!c || max_attempts < 1 || max_backoff_ms < 0 || budget_ms < 0)
		return ews_status_make(EWS_ERR_ARGUMENT, "invalid retry policy (attempts >= 1, times >= 0)");
	c->max_attempts = max_attempts;
	c->max_backoff_ms = max_backoff_ms;
	c->retry_budget_ms = budget_ms;
	return ews_status_ok();
}

void ews_client_set_sleep(ews_client *c, ews_sleep_fn fn, void *arg)
{
	if (!c)
		return;
	c->sleep_fn = fn ? fn : default_sleep;
	c->sleep_arg = fn ? arg : NULL;
}

void ews_client_set_log(ews_client *c, ews_log_fn fn, void *arg)
{
	if (!c)
		return;
	c->log_fn = fn;
	c->log_arg = arg;
}

ews_status ews_client_server_version(const ews_client *c, ews_server_version *out)
{
	if (!c || !out)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_client_server_version: NULL argument");
	if (!c->has_server_version)
		return ews_status_make(EWS_ERR_NOT_FOUND, "no ServerVersionInfo received yet");
	*out = c->server_version;
	return ews_status_ok();
}

ews_status ews_client_last_status(const ews_client *c)
{
	return c ? c->last_status : ews_status_make(EWS_ERR_ARGUMENT, "client is NULL");
}

ews_status ews_client_last_timing(const ews_client *c, ews_call_timing *out)
{
	if (!c || !out)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_client_last_timing: NULL argument");
	*out = c->last_timing;
	return ews_status_ok();
}

void ews_client_set_read_gate(ews_client *c, ews_read_gate_fn gate, void *arg)
{
	if (!c)
		return;
	c->read_gate = gate;
	c->read_gate_arg = arg;
}
