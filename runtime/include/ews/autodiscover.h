/* ews/autodiscover.h — from an email address and credentials to the EWS URL and server version, as Exchange
 * clients find it (MS-OXDSCLI: POX autodiscover.xml; MS-OXWSADISC: SOAP autodiscover.svc GetUserSettings).
 *
 *   ews_options o;                                  // credentials and TLS settings, as for ews_client_new()
 *   ews_options_init(&o);
 *   o.auth = EWS_AUTH_BASIC; o.user = "alice@contoso.com"; o.password = "...";
 *   ews_autodiscover_options ao;
 *   ews_autodiscover_options_init(&ao);
 *   ao.client = &o;
 *   ao.cache_file = "/home/alice/.cache/ews-autodiscover";   // optional
 *   ews_autodiscover_result r;
 *   ews_status st = ews_autodiscover("alice@contoso.com", &ao, &r);
 *   if (ews_ok(st)) { o.url = r.ews_url; o.server_version = r.version; ... ews_client_new(NULL, &o, &c); }
 *
 * The sequence, for DOMAIN the part of the address after '@' (MS-OXDSCLI 3.1.5; the Active Directory SCP
 * lookup of domain-joined machines is not done):
 *   1. https://DOMAIN/autodiscover/autodiscover.{svc,xml}
 *   2. https://autodiscover.DOMAIN/autodiscover/autodiscover.{svc,xml}
 *   3. an unauthenticated GET of http://autodiscover.DOMAIN/autodiscover/autodiscover.xml whose answer is a
 *      redirect (301/302/307/308) to an https URL, which is then asked (POX and SOAP on that host)
 *   4. the DNS SRV record _autodiscover._tcp.DOMAIN: https://TARGET[:PORT]/autodiscover/autodiscover.{svc,xml}
 * On each host the SOAP protocol is asked first, then POX (ews_autodiscover_options.protocols narrows it).
 * The first answer that names an EWS URL wins. Credentials are sent over https only.
 *
 * Redirects and trust. An answer from an https candidate whose certificate verified for its name may redirect:
 *   - to another address (POX Action redirectAddr, SOAP ErrorCode RedirectAddress): discovery starts over for
 *     that address (and its domain), with the same credentials;
 *   - to another URL (POX redirectUrl, SOAP RedirectUrl, or an HTTP 301/302/307/308 to the POST): that URL is
 *     asked. Only https URLs are followed.
 * Every redirect counts one hop; more than max_hops (default 10, as MS-OXDSCLI advises) ends discovery with
 * EWS_ERR_HTTP "redirect limit". Steps 3 and 4 come from unauthenticated sources (plain HTTP, DNS) that an
 * attacker on the network could forge, so MS-OXDSCLI has the client ask the user before it sends credentials
 * there. Here the rule is: such a host is trusted without asking when it is DOMAIN itself or a name under it
 * (mail.DOMAIN); any other host is asked through confirm_redirect, and refused when there is none (the error
 * names the host). A redirect in an answer from a verified https candidate (redirectUrl, redirectAddr, a 302 to
 * the POST) needs no confirmation: a server that proved its certificate for a name of the user's domain (or for
 * a host already trusted) speaks for that domain, as MS-OXDSCLI has clients follow it. It must be https.
 *
 * Errors: EWS_ERR_ARGUMENT (no '@', no options), EWS_ERR_AUTH (a candidate refused the credentials: HTTP 401/
 * 403; reported in preference to other failures), EWS_ERR_TLS (a certificate that does not verify for the host
 * name), EWS_ERR_HTTP (redirect limit, an untrusted or non-https redirect), EWS_ERR_NOT_FOUND (no candidate
 * answered, or the server does not know the address: its message is quoted), EWS_ERR_XML (an answer that is
 * no autodiscover response), EWS_ERR_FILE (the cache file). Nothing is printed; progress goes to `log`. */
#ifndef EWS_AUTODISCOVER_H
#define EWS_AUTODISCOVER_H

#include "ews/client.h"
#include "ews/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Which protocols to ask (a bit set; 0 means both). */
enum { EWS_AUTODISCOVER_SOAP = 1, EWS_AUTODISCOVER_POX = 2 };

/* The SRV lookup of step 4: fill target (a host name, NUL-terminated, at most cap bytes) and *port for `name`
 * ("_autodiscover._tcp.contoso.com") and return 0, or return non-zero when there is no such record. The default
 * (NULL) asks the system's resolver (res_query); tests set their own so that nothing touches the machine's DNS. */
typedef int (*ews_autodiscover_srv_fn)(void *arg, const char *name, char *target, size_t cap, int *port);

/* Asked before credentials go to a host that came from an unauthenticated source (see "Redirects and trust"):
 * `why` is "http-redirect" or "srv", `url` the https URL that would be asked. Return 1 to allow, 0 to refuse. */
typedef int (*ews_autodiscover_confirm_fn)(void *arg, const char *why, const char *url);

/* Everything borrowed: strings and arrays must stay valid during ews_autodiscover(). Start from
 * ews_autodiscover_options_init(). */
typedef struct ews_autodiscover_options {
	const ews_options *client;  /* credentials (auth NONE, BASIC, BEARER, NTLM or NEGOTIATE, with the handshakes
	                             * of EWS calls; over https only), ca_file, ca_dir, insecure, proxy,
	                             * connect_timeout_s, io_timeout_s. The OAuth2 grants are not run by autodiscover
	                             * (EWS_ERR_UNSUPPORTED). NULL: no credentials. */
	int protocols;              /* EWS_AUTODISCOVER_SOAP | EWS_AUTODISCOVER_POX; 0: both, SOAP first */
	int max_hops;               /* redirects followed in all; 0: 10 */
	int skip_srv;               /* 1: leave out step 4 */
	int skip_http_redirect;     /* 1: leave out step 3 */
	/* curl's CURLOPT_RESOLVE / CONNECT_TO for tests: NULL-terminated "HOST:PORT:ADDRESS" or
	 * "HOST:PORT:ADDRESS:PORT2" entries; a connection to HOST:PORT goes to ADDRESS (and PORT2) instead, while the
	 * certificate is still verified for HOST. */
	const char *const *resolve;
	ews_autodiscover_srv_fn srv_lookup;
	void *srv_arg;
	ews_autodiscover_confirm_fn confirm_redirect;
	void *confirm_arg;
	const char *cache_file;     /* NULL: no cache. Created 0600; a file others can write is ignored. */
	long cache_ttl_s;           /* how long an answer is reused; 0: 86400 (one day) */
	int refresh;                /* 1: do not read the cache (the new answer is still written) */
	ews_log_fn log;             /* each step tried and why it failed; never credentials */
	void *log_arg;
} ews_autodiscover_options;

/* The answer. Plain arrays: nothing to free. */
typedef struct ews_autodiscover_result {
	char ews_url[1024];         /* the EWS endpoint to use: the internal EwsUrl (POX EXCH, SOAP InternalEwsUrl)
	                             * when the server names one, else the external one */
	char external_ews_url[1024]; /* POX EXPR / SOAP ExternalEwsUrl, or "" */
	char smtp_address[320];     /* the address the answer is for (the last redirectAddr target) */
	char autodiscover_url[1024]; /* the autodiscover URL that answered */
	int major, minor, build, revision;  /* server version; -1 when the server did not say */
	char version[32];           /* the ExchangeVersionType to request for that version ("Exchange2016" ...),
	                             * "" when unknown */
	int protocol;               /* EWS_AUTODISCOVER_SOAP or EWS_AUTODISCOVER_POX */
	int hops;                   /* redirects followed */
	int from_cache;             /* 1: read from the cache, nothing was asked */
} ews_autodiscover_result;

/* Set every field to its default. */
void ews_autodiscover_options_init(ews_autodiscover_options *opt);

/* Find the EWS URL for `email` (see the top of this file). *out is cleared first and filled on success. */
ews_status ews_autodiscover(const char *email, const ews_autodiscover_options *opt, ews_autodiscover_result *out);

/* The ExchangeVersionType name to request from a server of this version: 8.0 "Exchange2007", 8.1+
 * "Exchange2007_SP1", 14.0 "Exchange2010", 14.1 "Exchange2010_SP1", 14.2+ "Exchange2010_SP2", 15.0 before build
 * 847 "Exchange2013", 15.0 from 847 "Exchange2013_SP1", 15.1+ "Exchange2016"; NULL when unknown. Static. */
const char *ews_autodiscover_version_name(int major, int minor, int build);

/* Decode POX's ServerVersion (8 hex digits: 4 bits ignored, 6 bits major, 6 bits minor, 1 bit ignored, 15 bits
 * build; "738180DA" is 14.1.218). EWS_ERR_FORMAT for anything else. */
ews_status ews_autodiscover_decode_server_version(const char *hex, int *major, int *minor, int *build);

#ifdef __cplusplus
}
#endif
#endif
