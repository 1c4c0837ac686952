/* ews_autodiscover.c — the discovery sequence of ews/autodiscover.h: candidate URLs in order, the two protocols,
 * redirects with a hop limit and the trust rule, the cache. The HTTP exchange, the messages, the cache file and
 * the SRV lookup are in ews_autodiscover_{http,xml,cache,srv}.c. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ews_autodiscover_internal.h"

#define POX_PATH "/autodiscover/autodiscover.xml"
#define SOAP_PATH "/autodiscover/autodiscover.svc"

void ews_autodiscover_options_init(ews_autodiscover_options *opt)
{
	if (opt)
		memset(opt, 0, sizeof *opt);
}

void ews_ad_log(const ews_ad_run *run, ews_log_level level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (!run->opt->log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	run->opt->log(run->opt->log_arg, level, line);
}

static int weight(ews_code c)
{
	switch (c) {
	case EWS_ERR_AUTH: return 6;
	case EWS_ERR_TLS: return 5;
	case EWS_ERR_HTTP: return 4;
	case EWS_ERR_XML: return 3;
	case EWS_ERR_NOT_FOUND: return 2;
	default: return 1;
	}
}

void ews_ad_note_failure(ews_ad_run *run, ews_status st)
{
	ews_ad_log(run, EWS_LOG_INFO, "%s", st.message);
	if (!run->have_failure || weight(st.code) > weight(run->failure.code)) {
		run->failure = st;
		run->have_failure = 1;
	}
}

/* The host of an http(s) URL, lower-cased, without port or brackets; "" when there is none. */
static void url_host(const char *url, char *host, size_t cap)
{
	const char *p = strstr(url, "://"), *e;
	size_t n;

	host[0] = '\0';
	if (!p)
		return;
	p += 3;
	if (*p == '[') {
		e = strchr(++p, ']');
	} else {
		e = p + strcspn(p, ":/?#");
	}
	if (!e || (n = (size_t)(e - p)) == 0 || n >= cap)
		return;
	for (size_t i = 0; i < n; i++)
		host[i] = (char)tolower((unsigned char)p[i]);
	host[n] = '\0';
}

/* "https://host[:port]" of an URL, for the other protocol's path on the same host. */
static void url_origin(const char *url, char *out, size_t cap)
{
	const char *p = strstr(url, "://");
	size_t n = p ? strcspn(p + 3, "/?#") + (size_t)(p + 3 - url) : 0;
	snprintf(out, cap, "%.*s", (int)n, url);
}

/* The trust rule for hosts from unauthenticated sources (HTTP redirect probe, SRV): DOMAIN and names under it
 * are trusted; anything else only when confirm_redirect says so. */
static int trusted(ews_ad_run *run, const char *domain, const char *why, const char *url)
{
	char host[256];
	size_t hl, dl = strlen(domain);

	url_host(url, host, sizeof host);
	hl = strlen(host);
	if (hl && (!strcasecmp(host, domain) || (hl > dl + 1 && host[hl - dl - 1] == '.' &&
						 !strcasecmp(host + hl - dl, domain))))
		return 1;
	if (run->opt->confirm_redirect && run->opt->confirm_redirect(run->opt->confirm_arg, why, url)) {
		ews_ad_log(run, EWS_LOG_INFO, "autodiscover: %s to %s confirmed", why, url);
		return 1;
	}
	ews_ad_note_failure(run, ews_status_make(EWS_ERR_HTTP, "autodiscover: not trusted: the %s points outside %s, "
						 "to %s (confirm_redirect / --trust-host allows it)", why, domain,
						 url));
	return 0;
}

static int hop(ews_ad_run *run, const char *what, const char *to)
{
	if (++run->hops > run->max_hops) {
		run->failure = ews_status_make(EWS_ERR_HTTP, "autodiscover: more than %d redirects (a redirect loop?): "
					       "the last was %s to %.300s", run->max_hops, what, to);
		run->have_failure = 1;
		return 0;
	}
	ews_ad_log(run, EWS_LOG_INFO, "autodiscover: %s to %s (hop %d of %d)", what, to, run->hops, run->max_hops);
	return 1;
}

/* What the NTLM or Negotiate handshake made of a 401 when it says more than "refused" (the scheme the server
 * offers instead, the Kerberos ticket it refused), without its "autodiscover: HTTP 401: " lead; "" otherwise. */
static const char *refusal_detail(const char *detail)
{
	static const char *const leads[] = { "autodiscover: ", "HTTP 401: ", "HTTP 403: " };

	for (size_t i = 0; i < sizeof leads / sizeof leads[0]; i++)
		if (!strncmp(detail, leads[i], strlen(leads[i])))
			detail += strlen(leads[i]);
	return strncmp(detail, "the server refused the credentials", 34) ? detail : "";
}

/* What one candidate came to. */
enum outcome { GOT_SETTINGS, GOT_ADDRESS, FAILED, STOP };

/* Ask `url` with protocol `proto`, following URL redirects. GOT_ADDRESS leaves the new address in addr_out. */
static enum outcome ask_url(ews_ad_run *run, int proto, const char *first_url, const char *email,
			    ews_autodiscover_result *out, char *addr_out, size_t addr_cap)
{
	char url[1024];

	snprintf(url, sizeof url, "%s", first_url);
	for (;;) {
		ews_ad_http h;
		ews_ad_answer a;
		ews_status st;
		char *req = proto == EWS_AUTODISCOVER_SOAP ? ews_ad_soap_request(email, url) : ews_ad_pox_request(email);

		if (!req) {
			ews_ad_note_failure(run, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
			return STOP;
		}
		ews_ad_log(run, EWS_LOG_INFO, "autodiscover: asking %s (%s) for %s", url,
			   proto == EWS_AUTODISCOVER_SOAP ? "SOAP" : "POX", email);
		st = ews_ad_http_exchange(run, "POST", url, "text/xml; charset=utf-8",
					  proto == EWS_AUTODISCOVER_SOAP ? "http://schemas.microsoft.com/exchange/2010/"
					  "Autodiscover/Autodiscover/GetUserSettings" : NULL, req, 1, &h);
		free(req);
		if (!ews_ok(st)) {
			ews_ad_note_failure(run, st);
			/* the same on every candidate: out of memory, or credentials the client cannot use at all */
			return st.code == EWS_ERR_NOMEM || st.code == EWS_ERR_ARGUMENT ? STOP : FAILED;
		}
		if (h.status == 401 || h.status == 403) {
			const char *why = refusal_detail(h.auth_detail);
			st = ews_status_make(EWS_ERR_AUTH, "autodiscover: %s refused the credentials%s%s (HTTP %d)%s%.300s",
					     url, run->opt->client && run->opt->client->user ? " of " : "",
					     run->opt->client && run->opt->client->user ? run->opt->client->user : "",
					     h.status, *why ? ": " : "", why);
			st.http_status = h.status;
			ews_ad_http_free(&h);
			ews_ad_note_failure(run, st);
			return FAILED;
		}
		if (h.status == 301 || h.status == 302 || h.status == 307 || h.status == 308) {
			if (strncasecmp(h.location, "https://", 8)) {
				ews_ad_note_failure(run, ews_status_make(EWS_ERR_HTTP, "autodiscover: %s redirects to a "
									 "non-https URL (%.300s): not followed", url,
									 h.location[0] ? h.location : "no Location"));
				ews_ad_http_free(&h);
				return FAILED;
			}
			snprintf(url, sizeof url, "%s", h.location);
			ews_ad_http_free(&h);
			if (!hop(run, "HTTP redirect", url))
				return STOP;
			continue;
		}
		if (h.status != 200 && !(proto == EWS_AUTODISCOVER_SOAP && h.status == 500 && h.body)) {
			st = ews_status_make(EWS_ERR_NOT_FOUND, "autodiscover: %s answered HTTP %d", url, h.status);
			st.http_status = h.status;
			ews_ad_http_free(&h);
			ews_ad_note_failure(run, st);
			return FAILED;
		}
		st = proto == EWS_AUTODISCOVER_SOAP ? ews_ad_parse_soap(h.body, h.len, &a) : ews_ad_parse_pox(h.body, h.len, &a);
		ews_ad_http_free(&h);
		if (!ews_ok(st)) {
			ews_status named = ews_status_make(st.code, "%.200s (%.170s)", st.message, url);
			ews_ad_note_failure(run, named);
			return FAILED;
		}
		switch (a.kind) {
		case EWS_AD_ERROR:
			ews_ad_note_failure(run, ews_status_make(EWS_ERR_NOT_FOUND, "autodiscover: %s does not know %s: %s",
								 url, email, a.error));
			return FAILED;
		case EWS_AD_REDIRECT_URL:
			if (strncasecmp(a.target, "https://", 8)) {
				ews_ad_note_failure(run, ews_status_make(EWS_ERR_HTTP, "autodiscover: %s redirects to a "
									 "non-https URL (%.300s): not followed", url,
									 a.target));
				return FAILED;
			}
			snprintf(url, sizeof url, "%s", a.target);
			if (!hop(run, "redirectUrl", url))
				return STOP;
			continue;
		case EWS_AD_REDIRECT_ADDR:
			if (!strchr(a.target, '@') || strpbrk(a.target, " \t\r\n")) {
				ews_ad_note_failure(run, ews_status_make(EWS_ERR_XML, "autodiscover: %s redirects to a "
									 "malformed address", url));
				return FAILED;
			}
			if (strlen(a.target) >= addr_cap) {
				ews_ad_note_failure(run, ews_status_make(EWS_ERR_XML, "autodiscover: %s redirects to an "
									 "address too long", url));
				return FAILED;
			}
			memcpy(addr_out, a.target, strlen(a.target) + 1);
			return hop(run, "redirectAddr", a.target) ? GOT_ADDRESS : STOP;
		case EWS_AD_SETTINGS:
			break;
		}
		snprintf(out->ews_url, sizeof out->ews_url, "%s", a.internal_url[0] ? a.internal_url : a.external_url);
		snprintf(out->external_ews_url, sizeof out->external_ews_url, "%s", a.external_url);
		snprintf(out->autodiscover_url, sizeof out->autodiscover_url, "%s", url);
		snprintf(out->smtp_address, sizeof out->smtp_address, "%s", email);
		out->major = a.major;
		out->minor = a.minor;
		out->build = a.build;
		out->revision = a.revision;
		{
			const char *v = ews_autodiscover_version_name(a.major, a.minor, a.build);
			snprintf(out->version, sizeof out->version, "%s", v ? v : "");
		}
		out->protocol = proto;
		return GOT_SETTINGS;
	}
}

/* Both protocols (as the options allow) on the host of `origin` ("https://host[:port]"). */
static enum outcome ask_host(ews_ad_run *run, const char *origin, const char *email, ews_autodiscover_result *out,
			     char *addr_out, size_t cap)
{
	int protos = run->opt->protocols ? run->opt->protocols : EWS_AUTODISCOVER_SOAP | EWS_AUTODISCOVER_POX;
	char url[1100];
	enum outcome o = FAILED;

	if (protos & EWS_AUTODISCOVER_SOAP) {
		snprintf(url, sizeof url, "%s" SOAP_PATH, origin);
		if ((o = ask_url(run, EWS_AUTODISCOVER_SOAP, url, email, out, addr_out, cap)) != FAILED)
			return o;
	}
	if (protos & EWS_AUTODISCOVER_POX) {
		snprintf(url, sizeof url, "%s" POX_PATH, origin);
		o = ask_url(run, EWS_AUTODISCOVER_POX, url, email, out, addr_out, cap);
	}
	return o;
}

/* Steps 1-4 for one address. */
static enum outcome discover_address(ews_ad_run *run, const char *email, ews_autodiscover_result *out,
				     char *addr_out, size_t cap)
{
	const char *domain = strrchr(email, '@') + 1;
	char origin[600], url[1100];
	enum outcome o;

	snprintf(origin, sizeof origin, "https://%s", domain);
	if ((o = ask_host(run, origin, email, out, addr_out, cap)) != FAILED)
		return o;
	snprintf(origin, sizeof origin, "https://autodiscover.%s", domain);
	if ((o = ask_host(run, origin, email, out, addr_out, cap)) != FAILED)
		return o;
	if (!run->opt->skip_http_redirect) {
		ews_ad_http h;
		ews_status st;
		snprintf(url, sizeof url, "http://autodiscover.%s" POX_PATH, domain);
		ews_ad_log(run, EWS_LOG_INFO, "autodiscover: probing %s for a redirect (no credentials)", url);
		st = ews_ad_http_exchange(run, "GET", url, NULL, NULL, NULL, 0, &h);
		if (!ews_ok(st)) {
			ews_ad_note_failure(run, st);
		} else if (h.status < 301 || h.status > 308 || !h.location[0]) {
			ews_ad_log(run, EWS_LOG_INFO, "autodiscover: %s answered HTTP %d, no redirect", url, h.status);
		} else if (strncasecmp(h.location, "https://", 8)) {
			ews_ad_note_failure(run, ews_status_make(EWS_ERR_HTTP, "autodiscover: %s redirects to a non-https "
								 "URL (%.300s): not followed", url, h.location));
		} else if (trusted(run, domain, "http-redirect", h.location) && hop(run, "HTTP redirect", h.location)) {
			url_origin(h.location, origin, sizeof origin);
			ews_ad_http_free(&h);
			if ((o = ask_host(run, origin, email, out, addr_out, cap)) != FAILED)
				return o;
		} else if (run->hops > run->max_hops) {
			ews_ad_http_free(&h);
			return STOP;
		}
		ews_ad_http_free(&h);
	}
	if (!run->opt->skip_srv) {
		char name[600], target[256];
		int port = 443;
		ews_autodiscover_srv_fn fn = run->opt->srv_lookup ? run->opt->srv_lookup : ews_ad_srv_default;
		snprintf(name, sizeof name, "_autodiscover._tcp.%s", domain);
		target[0] = '\0';
		if (fn(run->opt->srv_arg, name, target, sizeof target, &port) == 0 && target[0]) {
			size_t n = strlen(target);
			if (target[n - 1] == '.')
				target[n - 1] = '\0';
			if (port == 443)
				snprintf(origin, sizeof origin, "https://%s", target);
			else
				snprintf(origin, sizeof origin, "https://%s:%d", target, port);
			ews_ad_log(run, EWS_LOG_INFO, "autodiscover: SRV %s names %s", name, origin);
			snprintf(url, sizeof url, "%s" POX_PATH, origin);
			if (trusted(run, domain, "srv", url) && (o = ask_host(run, origin, email, out, addr_out, cap)) != FAILED)
				return o;
		} else {
			ews_ad_log(run, EWS_LOG_INFO, "autodiscover: no SRV record %s", name);
		}
	}
	return FAILED;
}

static ews_status check_email(const char *email)
{
	const char *at = email ? strrchr(email, '@') : NULL;
	if (!email || !at || at == email || !at[1] || strlen(email) >= 320 || strpbrk(email, " \t\r\n/\\?#:<>\"") ||
	    strchr(email, '@') != at)
		return ews_status_make(EWS_ERR_ARGUMENT, "autodiscover: '%.200s' is not an email address (user@domain)",
				       email ? email : "(null)");
	return ews_status_ok();
}

ews_status ews_autodiscover(const char *email, const ews_autodiscover_options *opt, ews_autodiscover_result *out)
{
	ews_ad_run run;
	char current[320], next[320];
	ews_status st;

	if (!out || !opt)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_autodiscover: options and result are required");
	memset(out, 0, sizeof *out);
	out->major = out->minor = out->build = out->revision = -1;
	if (!ews_ok(st = check_email(email)))
		return st;
	if (opt->client && (opt->client->auth == EWS_AUTH_OAUTH2 || opt->client->auth == EWS_AUTH_OAUTH2_DEVICE))
		return ews_status_make(EWS_ERR_UNSUPPORTED, "autodiscover: OAuth2 tokens are not fetched by autodiscover "
				       "(give --url, or a token with --token)");
	memset(&run, 0, sizeof run);
	run.opt = opt;
	run.max_hops = opt->max_hops > 0 ? opt->max_hops : 10;
	if (!opt->refresh && ews_ad_cache_get(&run, email, out)) {
		ews_ad_log(&run, EWS_LOG_INFO, "autodiscover: %s from the cache: %s", email, out->ews_url);
		return ews_status_ok();
	}
	snprintf(current, sizeof current, "%s", email);
	for (;;) {
		enum outcome o = discover_address(&run, current, out, next, sizeof next);
		if (o == GOT_SETTINGS)
			break;
		if (o == GOT_ADDRESS && ews_ok(check_email(next))) {
			snprintf(current, sizeof current, "%s", next);
			continue;
		}
		if (o == GOT_ADDRESS)
			ews_ad_note_failure(&run, check_email(next));
		if (!run.have_failure || (o != STOP && run.failure.code == EWS_ERR_CONNECT))
			run.failure = ews_status_make(EWS_ERR_NOT_FOUND, "autodiscover: no autodiscover service answered for "
						      "%s (tried https://%s, https://autodiscover.%s, the HTTP redirect and "
						      "the SRV record; the most telling failure: %.150s)", current,
						      strrchr(current, '@') + 1, strrchr(current, '@') + 1,
						      run.have_failure ? run.failure.message : "none");
		memset(out, 0, sizeof *out);
		out->major = out->minor = out->build = out->revision = -1;
		return run.failure;
	}
	out->hops = run.hops;
	ews_ad_log(&run, EWS_LOG_INFO, "autodiscover: %s -> %s (%s)", email, out->ews_url,
		   out->version[0] ? out->version : "version unknown");
	st = ews_ad_cache_put(&run, email, out);
	if (!ews_ok(st))
		ews_ad_log(&run, EWS_LOG_WARNING, "%s", st.message);   /* the answer stands; only reuse is lost */
	return ews_status_ok();
}
