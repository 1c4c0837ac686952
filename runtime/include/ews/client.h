/* ews/client.h — an EWS client: endpoint, credentials, transport settings, SOAP headers, retry policy.
 *
 * One ews_client owns one gSOAP context and one (keep-alive) connection. It is NOT thread-safe: use one client
 * per thread (ews_pool.h hands out clients for many mailboxes). Typical use:
 *
 *   ews_options o;
 *   ews_options_init(&o);
 *   ews_status st = ews_options_from_env(&o);          // EWS_URL, EWS_USER, EWS_PASSWORD, EWS_AUTH ...
 *   ews_client *c;
 *   if (ews_ok(st)) st = ews_client_new(NULL, &o, &c);  // NULL url: o.url
 *   ... ews_find_item(c, &req, &resp) ...              // generated wrappers, see ews/call.h
 *   ews_client_free(c);
 */
#ifndef EWS_CLIENT_H
#define EWS_CLIENT_H

#include <stddef.h>

#include "ews/status.h"

#ifdef __cplusplus
extern "C" {
#endif

struct soap;
typedef struct ews_client ews_client;

typedef enum ews_auth {
	EWS_AUTH_NONE = 0,
	EWS_AUTH_BASIC = 1,         /* user + password, HTTP Basic                                                */
	EWS_AUTH_BEARER = 2,        /* a ready OAuth2 access token (any length)                                    */
	EWS_AUTH_NTLM = 3,          /* user (+ domain) + password, NTLMv2 on a kept-alive connection               */
	EWS_AUTH_OAUTH2 = 4,        /* client-credentials grant: token fetched, cached and refreshed by the client */
	EWS_AUTH_NEGOTIATE = 5,     /* HTTP Negotiate: a Kerberos ticket from the credential cache (kinit; KRB5CCNAME)
	                             * for HTTP/<URL host>, through GSSAPI/SPNEGO, server identity checked; with
	                             * user + password, NTLM when no ticket is usable or the server offers only NTLM */
	EWS_AUTH_OAUTH2_DEVICE = 6  /* delegated OAuth2: device-code sign-in, refresh tokens, a token cache file;
	                             * set with ews_client_set_oauth2_device (ews/oauth2.h)                       */
} ews_auth;

typedef enum ews_impersonation {
	EWS_IMPERSONATE_SMTP = 0,           /* PrimarySmtpAddress; also sets X-AnchorMailbox                        */
	EWS_IMPERSONATE_SID = 1,            /* SID "S-1-5-..."                                                     */
	EWS_IMPERSONATE_PRINCIPAL_NAME = 2  /* UPN "user@corp.example"                                             */
} ews_impersonation;

typedef enum ews_log_level { EWS_LOG_DEBUG = 0, EWS_LOG_INFO = 1, EWS_LOG_WARNING = 2 } ews_log_level;

/* Receives retries, back-offs, authentication steps and security warnings. Never receives credentials or
 * tokens. `message` is only valid during the call. */
typedef void (*ews_log_fn)(void *arg, ews_log_level level, const char *message);

/* Waits `ms` milliseconds between retries; replaceable for tests (ews_client_set_sleep). */
typedef void (*ews_sleep_fn)(void *arg, long ms);

/* Everything a client can be created with. All strings are borrowed: ews_client_new copies them. Zero/NULL
 * fields mean "default"; start from ews_options_init(). */
typedef struct ews_options {
	const char *url;                 /* endpoint, e.g. https://mail.example.com/EWS/Exchange.asmx             */
	ews_auth auth;
	const char *user;                /* Basic, NTLM ("DOMAIN\\user" or "user@domain" also accepted for NTLM)  */
	const char *password;
	const char *domain;              /* NTLM domain (optional)                                                */
	const char *token;               /* Bearer                                                                */
	const char *oauth2_token_url;    /* OAuth2: https://login.microsoftonline.com/TENANT/oauth2/v2.0/token     */
	const char *oauth2_client_id;
	const char *oauth2_client_secret;
	const char *oauth2_scope;        /* default "https://outlook.office365.com/.default"                      */
	const char *server_version;      /* RequestServerVersion, default "Exchange2013_SP1" (the bindings' newest
	                                    version when their schema is older: "Exchange2010_SP2" ...)          */
	const char *impersonate;         /* SMTP address to impersonate (ews_client_set_impersonation for more)   */
	const char *culture;             /* MailboxCulture, e.g. "en-US"                                          */
	const char *timezone;            /* TimeZoneContext TimeZoneDefinition Id, e.g. "W. Europe Standard Time" */
	const char *ca_file;             /* PEM CA bundle trusted in addition to the system store                 */
	const char *ca_dir;
	int insecure;                    /* 1: skip certificate and host verification (logs a warning)            */
	const char *proxy;               /* HTTP proxy "host:port" or "http://host:port/" (CONNECT for https)    */
	const char *proxy_user;
	const char *proxy_password;
	int connect_timeout_s;           /* default 30                                                            */
	int io_timeout_s;                /* each send/receive, default 120                                         */
	int deadline_s;                  /* whole response, default 600 (a server dripping bytes is cut off)      */
	size_t max_response_bytes;       /* default 64 MiB (after decompression)                                   */
	int max_depth;                   /* XML nesting cap, default 200                                          */
	int max_attempts;                /* per call, including the first; default 5                              */
	long max_backoff_ms;             /* cap of one wait, default 60000                                        */
	long retry_budget_ms;            /* total waiting per call, default 300000                                */
	/* Low-speed cut-off (curl's LOW_SPEED_LIMIT/TIME): once the response has started, a receive slower than
	 * low_speed_limit bytes/s over low_speed_time_s seconds ends the call with EWS_ERR_TIMEOUT (not retried).
	 * Waiting for the first byte is the I/O timeout's business, so a server that thinks long is not hurt. */
	long low_speed_limit;            /* bytes per second, default 100; -1 turns the cut-off off              */
	int low_speed_time_s;            /* default 30 (a 1-byte-every-2-s drip is cut ~30 s after it starts)     */
} ews_options;

/* The version the server reported in its last ServerVersionInfo header. */
typedef struct ews_server_version {
	int major, minor, major_build, minor_build;   /* -1 when not reported */
	char version[64];                             /* "V2018_01_08", "Exchange2013_SP1" ... or "" */
} ews_server_version;

/* Set every field to its default (zero/NULL). */
void ews_options_init(ews_options *opt);

/* Fill opt from the environment: EWS_URL, EWS_AUTH (basic|bearer|ntlm|oauth2|negotiate; guessed from the other variables
 * when unset), EWS_USER, EWS_PASSWORD, EWS_DOMAIN, EWS_TOKEN, EWS_OAUTH2_TOKEN_URL, EWS_OAUTH2_CLIENT_ID,
 * EWS_OAUTH2_CLIENT_SECRET, EWS_OAUTH2_SCOPE, EWS_VERSION, EWS_IMPERSONATE, EWS_CULTURE, EWS_TIMEZONE,
 * EWS_CA_FILE, EWS_CA_DIR, EWS_INSECURE=1, EWS_PROXY (host:port or http://host:port), EWS_PROXY_USER,
 * EWS_PROXY_PASSWORD, EWS_TIMEOUT (seconds, per send/receive), EWS_LOW_SPEED_LIMIT (bytes/s, 0 = off),
 * EWS_LOW_SPEED_TIME (seconds) and EWS_MAX_RESPONSE_BYTES (the response cap, after inflating; default 64 MiB:
 * an exported item with large attachments may need more). Variables that are unset leave fields as they
 * are. Strings point into the environment (borrowed: do not change it while they are used). EWS_ERR_ARGUMENT
 * for an unknown EWS_AUTH or a bad number. */
ews_status ews_options_from_env(ews_options *opt);

/* Create a client for `url` (NULL: opt->url) with `opt` (NULL: defaults). On success *out is the client; the
 * caller frees it with ews_client_free(). EWS_ERR_ARGUMENT for a missing/invalid URL, version or auth setup. */
ews_status ews_client_new(const char *url, const ews_options *opt, ews_client **out);

/* Schema identity. A libews build is generated from one schema set, and the generated structs' layouts differ
 * between sets (an ItemType is 392 bytes with ours, 672 with V2018_01_08's): a program compiled against one
 * build's headers must not run against another build's library. So when the bindings' ews_schema.h is on the
 * include path (pkg-config's Cflags put it there), ews_client_new() is this macro: it hands the library the
 * identity of the headers the program was compiled with, and the library refuses a client with
 * EWS_ERR_SCHEMA_MISMATCH, naming both schemas, when they are not its own. Define EWS_NO_SCHEMA_CHECK before
 * including to get the unchecked function. */
ews_status ews_client_new_for_schema(const char *schema_name, const char *bindings_hash, size_t options_size,
                                     const char *url, const ews_options *opt, ews_client **out);
#if !defined(EWS_NO_SCHEMA_CHECK) && defined(__has_include)
#if __has_include("ews_schema.h")
#include "ews_schema.h"
#endif
#endif
#if !defined(EWS_NO_SCHEMA_CHECK) && defined(EWS_SCHEMA_BINDINGS_HASH)
#define ews_client_new(url, opt, out) \
	ews_client_new_for_schema(EWS_SCHEMA_NAME, EWS_SCHEMA_BINDINGS_HASH, sizeof(ews_options), (url), (opt), (out))
#endif

/* Free the client, its responses and its connection. Accepts NULL. */
void ews_client_free(ews_client *c);

/* Free the memory of the last decoded response (it is also freed by the next call). Accepts NULL. */
void ews_client_release(ews_client *c);

/* Where to build requests: a gSOAP context used only for allocation, never freed by calls, so a request (and
 * its paging state) survives retries and later calls:
 *   struct ewsmsg__FindItemType *req = soap_new_ewsmsg__FindItemType(ews_client_arena(c), -1);
 * Borrowed, valid until ews_client_free(); its memory is freed by ews_client_arena_reset() or ews_client_free(). */
struct soap *ews_client_arena(ews_client *c);
void ews_client_arena_reset(ews_client *c);

/* The gSOAP context responses are decoded into, for advanced use (DOM helpers, soap_print_fault). Its managed
 * memory is freed at the start of every call: do NOT build requests in it (use ews_client_arena). Borrowed,
 * valid until ews_client_free(). Do not change its I/O callbacks or free it. */
struct soap *ews_client_soap(ews_client *c);

/* The endpoint URL. Borrowed, valid until ews_client_free(). */
const char *ews_client_url(const ews_client *c);

/* Credentials (copied; the previous ones are wiped). Each selects the matching ews_auth. */
ews_status ews_client_set_basic_auth(ews_client *c, const char *user, const char *password);
ews_status ews_client_set_bearer_token(ews_client *c, const char *token);
ews_status ews_client_set_ntlm_auth(ews_client *c, const char *user, const char *domain, const char *password);
/* Negotiate (Kerberos). user/password may both be NULL (Kerberos only); when given they serve the NTLM
 * fallback (no usable ticket, or a server that offers only NTLM). The ticket is never asked for here: it is
 * read from the credential cache on each request, so a kinit between calls is picked up. */
ews_status ews_client_set_negotiate_auth(ews_client *c, const char *user, const char *domain, const char *password);
ews_status ews_client_set_oauth2(ews_client *c, const char *token_url, const char *client_id,
                                 const char *client_secret, const char *scope);

/* SOAP headers sent with every call. NULL clears. The version must be an ExchangeVersionType name
 * ("Exchange2010_SP2", "Exchange2013_SP1", "V2018_01_08" ...): EWS_ERR_ARGUMENT otherwise. */
ews_status ews_client_set_server_version(ews_client *c, const char *version);
/* Override RequestServerVersion for the next call only (e.g. an operation that needs a newer version). */
ews_status ews_client_set_next_call_server_version(ews_client *c, const char *version);
ews_status ews_client_set_impersonation(ews_client *c, ews_impersonation kind, const char *value);
ews_status ews_client_set_culture(ews_client *c, const char *culture);
ews_status ews_client_set_timezone(ews_client *c, const char *timezone_id);
/* X-AnchorMailbox without impersonation (e.g. delegate access in Exchange Online). NULL clears. */
ews_status ews_client_set_anchor_mailbox(ews_client *c, const char *smtp);

/* Transport. Seconds; 0 keeps the current value. */
ews_status ews_client_set_timeouts(ews_client *c, int connect_s, int io_s, int deadline_s);
ews_status ews_client_set_limits(ews_client *c, size_t max_response_bytes, int max_depth);
/* Low-speed cut-off: less than bytes_per_s bytes/s (0 turns it off) for `seconds` (>= 1) while receiving a
 * started response ends the call with EWS_ERR_TIMEOUT. Defaults 100 bytes/s over 30 s. */
ews_status ews_client_set_low_speed(ews_client *c, long bytes_per_s, int seconds);
ews_status ews_client_set_tls(ews_client *c, const char *ca_file, const char *ca_dir, int insecure);
/* proxy: "host:port", "host" (port 8080) or "http://host:port/"; NULL for none. */
ews_status ews_client_set_proxy(ews_client *c, const char *proxy, const char *user, const char *password);

/* Throttling: attempts per call (>= 1), cap of one wait, total wait budget per call (ms). */
ews_status ews_client_set_retry(ews_client *c, int max_attempts, long max_backoff_ms, long budget_ms);
/* Replace the sleep between retries (NULL: nanosleep). */
void ews_client_set_sleep(ews_client *c, ews_sleep_fn fn, void *arg);
/* Log callback (NULL: no logging). */
void ews_client_set_log(ews_client *c, ews_log_fn fn, void *arg);

/* Send a printf-style message to the client's log callback (for code built on the client, e.g. workflow
 * helpers reporting progress). Never pass credentials. Does nothing without a callback. */
void ews_client_logf(ews_client *c, ews_log_level level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The ServerVersionInfo of the last response that carried one. EWS_ERR_NOT_FOUND before any. */
ews_status ews_client_server_version(const ews_client *c, ews_server_version *out);

/* The status of the last call on this client (what that call returned). */
ews_status ews_client_last_status(const ews_client *c);

/* Where the last call's time went, in microseconds (as curl's CURLINFO_*_TIME_T): its last attempt's phases, and
 * the call as a whole. wait_us is what a caller can hide by having the next request in flight meanwhile (on
 * another client): the round trip and the server's work. Phases an attempt did not reach are 0. */
typedef struct ews_call_timing {
	long long total_us;   /* the whole call: every attempt, the waits between them (back-off) and the decoding   */
	long long send_us;    /* the last attempt: connecting when needed, and sending the request                  */
	long long wait_us;    /* then until the answer's first byte                                                  */
	long long receive_us; /* the first byte to the last (inflating included)                                     */
	long long decode_us;  /* the answer decoded into the response structure                                      */
	int attempts;         /* requests sent, authentication steps included                                       */
} ews_call_timing;
/* Fills *out (all zero before the first call); EWS_ERR_ARGUMENT for a NULL argument. */
ews_status ews_client_last_timing(const ews_client *c, ews_call_timing *out);

/* A gate before each answer is read: with it, a program that asks for something ahead of its turn (on a client of
 * its own, on a thread) lets the server prepare the answer while it works, and holds it decoded only when it wants
 * it. gate(arg) is called on the calling thread once per call, after the request went out and before the first
 * byte of the first answer is read; until it returns the answer waits in the connection's buffers (the kernel's,
 * not the program's memory; a server blocks when they are full). Keep the wait short (the time to finish one piece
 * of work): a server may drop a connection that does not read. The authentication steps and retries that follow
 * pass without it. The wait counts in ews_call_timing's wait_us. NULL: none (the default). arg is borrowed. Set
 * it while no call runs on c (ews_export_to_dir sets its own on both its clients for its calls ahead, and puts
 * yours back). */
typedef void (*ews_read_gate_fn)(void *arg);
void ews_client_set_read_gate(ews_client *c, ews_read_gate_fn gate, void *arg);

/* The memory libews keeps for the next responses given back to the system now: the mappings of freed response
 * bodies, shared by every client of the process (up to 6 MiB; kept because a fresh mapping's pages are faulted in
 * one by one, dear on a virtual machine). For a program about to exit, or to sit idle for long, as
 * curl_global_cleanup frees curl's caches; later responses map afresh. Thread-safe; clients stay usable. */
void ews_release_cached_memory(void);

#ifdef __cplusplus
}
#endif
#endif
