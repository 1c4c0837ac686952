/* ews_autodiscover_internal.h — the parts of autodiscover (ews/autodiscover.h) shared by its modules; internal. */
#ifndef EWS_AUTODISCOVER_INTERNAL_H
#define EWS_AUTODISCOVER_INTERNAL_H

#include <stddef.h>

#include "ews/autodiscover.h"

/* One run of ews_autodiscover(): the options and the log. */
typedef struct ews_ad_run {
	const ews_autodiscover_options *opt;
	int hops, max_hops;
	ews_status failure;         /* the most telling failure so far (see ews_ad_note_failure) */
	int have_failure;
} ews_ad_run;

void ews_ad_log(const ews_ad_run *run, ews_log_level level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Keep st as the run's failure when it says more than the one kept (AUTH > TLS > HTTP > XML > NOT_FOUND > rest). */
void ews_ad_note_failure(ews_ad_run *run, ews_status st);

/* ---- ews_autodiscover_http.c: one HTTP exchange on its own connection ---- */
typedef struct ews_ad_http {
	int status;                 /* HTTP status of the answer */
	char *body;                 /* malloc'd, NUL-terminated (the caller frees); NULL when there was none */
	size_t len;
	char location[1024];        /* Location of a 3xx answer, or "" */
	char auth_detail[512];      /* a 401/403 to NTLM or Negotiate: what the handshake makes of it, or "" */
} ews_ad_http;

/* Send `method` ("GET" or "POST") to url: for POST the body with content type ctype (and SOAPAction `action`
 * when non-NULL), credentials only when with_credentials and the URL is https (any scheme of ews_auth.c but
 * the OAuth2 ones, its handshake included). A received answer of any status is EWS_OK with out->status set; a
 * failure to connect, TLS failure, broken answer or a credential that cannot be used (no Kerberos ticket) is
 * the error. */
ews_status ews_ad_http_exchange(const ews_ad_run *run, const char *method, const char *url, const char *ctype,
				const char *action, const char *body, int with_credentials, ews_ad_http *out);
void ews_ad_http_free(ews_ad_http *h);

/* ---- ews_autodiscover_xml.c: request bodies and answers ---- */
enum ews_ad_answer_kind { EWS_AD_SETTINGS, EWS_AD_REDIRECT_ADDR, EWS_AD_REDIRECT_URL, EWS_AD_ERROR };
typedef struct ews_ad_answer {
	enum ews_ad_answer_kind kind;
	char target[1024];          /* redirect address or URL */
	char error[256];            /* the server's error text (EWS_AD_ERROR) */
	char internal_url[1024], external_url[1024];
	int major, minor, build, revision;
} ews_ad_answer;

/* Request bodies, malloc'd (caller frees); NULL when out of memory. The address is XML-escaped. */
char *ews_ad_pox_request(const char *email);
char *ews_ad_soap_request(const char *email, const char *url);
/* Parse an answer; EWS_ERR_XML when it is no autodiscover response of that protocol. */
ews_status ews_ad_parse_pox(const char *body, size_t len, ews_ad_answer *a);
ews_status ews_ad_parse_soap(const char *body, size_t len, ews_ad_answer *a);

/* ---- ews_autodiscover_cache.c ---- */
/* 1 and *out filled when the cache holds a fresh answer for email; 0 otherwise (missing, stale, unsafe file). */
int ews_ad_cache_get(const ews_ad_run *run, const char *email, ews_autodiscover_result *out);
/* Store the answer for email (replacing an older one); the file is written whole, 0600, then renamed. */
ews_status ews_ad_cache_put(const ews_ad_run *run, const char *email, const ews_autodiscover_result *r);

/* ---- ews_autodiscover_srv.c ---- */
/* The default SRV lookup (res_query); see ews_autodiscover_srv_fn. */
int ews_ad_srv_default(void *arg, const char *name, char *target, size_t cap, int *port);

#endif
