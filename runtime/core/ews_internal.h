/* ews_internal.h — declarations shared by the runtime's .c files; not installed, not public API. */
#ifndef EWS_INTERNAL_H
#define EWS_INTERNAL_H

#include <signal.h>
#include <stddef.h>
#include <time.h>

#include "ews/call.h"
#include "ews/client.h"
#include "ews/oauth2.h"
#include "ews/status.h"

#define EWS_NS_MESSAGES "http://schemas.microsoft.com/exchange/services/2006/messages"
#define EWS_NS_TYPES "http://schemas.microsoft.com/exchange/services/2006/types"
#define EWS_NS_ERRORS "http://schemas.microsoft.com/exchange/services/2006/errors"

#define EWS_DEFAULT_SERVER_VERSION "Exchange2013_SP1"
#define EWS_DEFAULT_OAUTH2_SCOPE "https://outlook.office365.com/.default"

/* The client. Strings are owned (malloc'd) unless noted; secrets are wiped before they are freed. */
struct ews_client {
	struct soap *soap;              /* transport and decoded responses (freed per call) */
	struct soap *arena;             /* requests built by the caller (never freed by calls) */
	char *url;

	ews_auth auth;
	char *user, *password, *domain, *token;
	char *oauth2_token_url, *oauth2_client_id, *oauth2_client_secret, *oauth2_scope;
	char *oauth2_access_token;      /* cached token of the client-credentials grant */
	time_t oauth2_expires_at;       /* when to fetch a new one (already minus a safety margin) */
	int oauth2_fresh;               /* the token was fetched during the current call */
	/* delegated OAuth2 (ews_oauth2_device.c); the access token is oauth2_access_token */
	char *oauth2_device_url, *oauth2_cache_file;
	char *oauth2_refresh_token;
	time_t oauth2_token_expiry;     /* when the access token lapses (no margin subtracted; 0 unknown) */
	void (*oauth2_prompt)(void *, const struct ews_oauth2_device_prompt *);
	void *oauth2_prompt_arg;
	int ntlm_step;                  /* what this attempt sent: 0 nothing (connection trusted), 1 type 1, 3 type 3 */
	int ntlm_connection_ok;         /* the kept-alive connection is NTLM-authenticated */
	char *ntlm_challenge;           /* the server's last "WWW-Authenticate: NTLM <...>" value */
	int (*orig_fparsehdr)(struct soap *, const char *, const char *);
	int (*orig_fsend)(struct soap *, const char *, size_t);
	size_t (*orig_frecv)(struct soap *, char *, size_t);
	/* ews_client_set_read_gate: called once a call (gate_due), before its answer's first byte is read */
	void (*read_gate)(void *);
	void *read_gate_arg;
	int gate_due;

	char *version;                  /* RequestServerVersion, "Exchange2013_SP1" */
	char *next_version;             /* NULL, or RequestServerVersion for the next call only */
	ews_impersonation imp_kind;
	char *imp_value, *anchor_mailbox, *culture, *timezone;

	char *ca_file, *ca_dir;
	int insecure;
	int tls_configured;
	char tls_error[256];             /* an OpenSSL error without its string, as "library::reason(N)" */
	char *proxy_host, *proxy_user, *proxy_password;
	int proxy_port;
	int connect_timeout_s, io_timeout_s, deadline_s;
	long low_speed_limit;           /* bytes/s; 0: no low-speed cut-off */
	int low_speed_time_s;
	size_t max_response_bytes;
	int max_depth;

	int max_attempts;
	long max_backoff_ms, retry_budget_ms;
	ews_sleep_fn sleep_fn;
	void *sleep_arg;
	ews_log_fn log_fn;
	void *log_arg;

	char *extra_headers;            /* this request's extra HTTP headers (auth, anchor), rebuilt per attempt */
	size_t extra_headers_cap;

	ews_inplace inplace;            /* base64 values decoded into the body (ews/call.h), a plugin of soap */

	int current_flags;              /* ews_op_flags of the call in progress */
	/* per attempt */
	struct timespec attempt_started; /* CLOCK_MONOTONIC */
	struct timespec sent_at, first_byte_at, received_at; /* this attempt's request sent, answer's first and last
	                                 * byte (CLOCK_MONOTONIC; first_byte_at is zero until a byte came) */
	unsigned long long resp_content_length;
	int resp_encoded;               /* Content-Encoding other than identity */
	int resp_chunked;               /* Transfer-Encoding: chunked */
	int own_inflate;                /* an EWS answer is being received: a gzip body is ews_body_inflate's */
	int resp_gzip;                  /* this answer's gzip body comes compressed, for ews_body_inflate */
	int resp_nothing;               /* the connection ended before a single byte of the response */
	int recv_ended;                 /* a receive of this response came back empty: the connection closed,
	                                 * was reset or timed out (the answer is cut if it is not complete);
	                                 * decoding the body from memory ends that way too: read it before */
	unsigned long long sent_bytes;  /* bytes of this attempt's request the transport accepted */
	int ls_active;                  /* low-speed watch: the response has started (first byte in) */
	struct timespec ls_window_start; /* CLOCK_MONOTONIC start of the current low-speed window */
	unsigned long long ls_window_bytes; /* bytes received in that window */
	int low_speed_tripped;          /* this attempt was cut off by the low-speed limit */
	char resp_auth_schemes[128];    /* schemes offered by WWW-Authenticate, "NTLM, Negotiate" */
	int auth_retry;                 /* the auth layer asks for one more attempt (NTLM step, token refresh) */
	int insecure_warned;
	int last_was_fault;             /* soap->fault belongs to the last response */
	/* Negotiate (ews_negotiate.c) */
	void *gss_ctx;                  /* gss_ctx_id_t of the Kerberos token in flight (its answer completes it) */
	int nego_step;                  /* what this attempt sent: 0 no Kerberos token, 1 one awaiting the server's */
	char *nego_token;               /* base64 of the last response's "WWW-Authenticate: Negotiate <token>" */
	const char *nego_ntlm_scheme;   /* NULL: Kerberos; "Negotiate" or "NTLM": the NTLM fallback, under that scheme */

	const ews_binding *binding;     /* the schema's SOAP headers and faults: from the last call's descriptor */
	int has_server_version;
	ews_server_version server_version;
	ews_status last_status;
	ews_call_timing last_timing;    /* ews_client_last_timing */
};

/* Logging (ews_client.c): printf-style, to the client's callback. Never pass secrets. */
void ews_log(ews_client *c, ews_log_level level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Free a string after overwriting it (for passwords, tokens). Accepts NULL. */
void ews_free_secret(char *s);

/* Replace *dst by a copy of src (NULL allowed). 0, or -1 when out of memory (then *dst is unchanged). */
int ews_strdup_into(char **dst, const char *src);

/* Transport (ews_transport.c). */
struct ews_sigpipe_guard {
	sigset_t pipe, old;
	int was_pending;
};
/* Around a call: SIGPIPE blocked for the calling thread, and one raised during the call swallowed. */
void ews_sigpipe_block(struct ews_sigpipe_guard *g);
void ews_sigpipe_restore(struct ews_sigpipe_guard *g);
/* A gSOAP context as every part of libews makes one: soap_new1(mode), with OpenSSL's set-up left to its first
 * TLS use, and HTTP's "Expect" header ignored when read (see ews_transport.c). NULL when out of memory; the
 * caller frees it with ews_soap_free. */
struct soap *ews_soap_new(int mode);
/* Frees a context of ews_soap_new (soap_destroy, soap_end, soap_free; NULL is ignored), deciding at the first
 * one whether OpenSSL's libcrypto error strings load in this process (ews_transport.c). */
void ews_soap_free(struct soap *soap);
ews_status ews_transport_configure(ews_client *c);
/* After a send: receive the whole (inflated) body into *body (NUL-terminated; it lives as the response does:
 * until ews_client_release, or with the response where ews_wf_keep_response moves it). */
ews_status ews_transport_receive_body(ews_client *c, const char *operation, char **body, size_t *len);
/* ews_body.c: the body of the response whose HTTP head soap_begin_recv read, whole, into memory of its own
 * linked into c->soap's cleanup list (freed by soap_destroy; soap_delegate_deletion moves it with the rest of
 * the response); returns it (NUL-terminated, *len bytes; reading stops one byte past
 * max_response_bytes), or NULL with soap->error SOAP_EOM. A cut or failed read ends the body early with
 * soap->error set, as soap_http_get_body does. */
char *ews_body_read(ews_client *c, size_t *len);
/* 1 when libews inflates gzip bodies itself (built with libdeflate): the header hook then keeps the encoding from
 * gSOAP while an EWS answer is received (c->own_inflate) and marks the answer c->resp_gzip. */
int ews_body_inflates_gzip(void);
typedef enum { EWS_BODY_CORRUPT = 1, EWS_BODY_TOO_LARGE, EWS_BODY_NOMEM } ews_body_failure;
/* The gzip body raw[0..n) that ews_body_read just returned, inflated whole into memory that takes its place (the
 * compressed bytes are freed, the inflated ones live as the response does); NUL-terminated, *len bytes. NULL
 * with *why: not gzip or cut or corrupt, larger than max_response_bytes (inflated no further than that), out of
 * memory; the compressed body then stays as it was. */
char *ews_body_inflate(ews_client *c, char *raw, size_t n, size_t *len, ews_body_failure *why);
/* Memory that lives exactly as long as the response being decoded in soap, as a body does (linked into soap's
 * cleanup list: freed by soap_destroy, handed on by soap_delegate_deletion, then kept for the next): at least need
 * bytes, *got of them. NULL when out of memory. For the fast reader's structs (ews_reader.c). */
void *ews_body_scratch(struct soap *soap, size_t need, size_t *got);
/* All of soap's scratch freed now (the reader gave up: what it made is of no use). */
void ews_body_scratch_drop(struct soap *soap);
/* Bodies (and scratch) mapped and not yet freed, in the whole process (for tests: none may outlive its response). */
long ews_body_live(void);
/* Freed bodies' mappings kept for the next bodies (for tests: a freed body's memory serves the next one). */
int ews_body_kept(void);
/* Their bytes, and the most bytes responses held at once (for tests: kept + in use never exceeds that most). */
size_t ews_body_kept_bytes(void);
size_t ews_body_peak_bytes(void);
/* (ews_release_cached_memory, ews/client.h, unmaps the kept mappings and resets the most held at once to what is
 * held now: tests start from it.) */
/* ews_reader.c: the response body[0..len) read into *response by the tables of doc without gSOAP's parser: SOAP_OK
 * (soap->header set as gSOAP would), or EWS_READER_FALLBACK when the body holds anything the reader leaves to
 * gSOAP (then nothing the caller reads was set: pre-pass the body and decode it with gSOAP; what the reader
 * allocated stays in soap until soap_end). The body is not modified (but see wrote_in_place below) and need not
 * have been pre-passed: the reader takes only what the pre-pass would leave as it is and find nothing wrong with
 * (no character reference, nothing malformed, no element at max_depth or deeper, no mixed content), so a body it
 * takes needs no pre-pass (tests/fuzz/fuzz_reader.c checks that). */
#define EWS_READER_FALLBACK (-1)
struct ews_rd_document;
int ews_reader_decode(struct soap *soap, const struct ews_rd_document *doc, char *body, size_t len,
                      int max_depth, int *wrote_in_place, void *response);
/* wrote_in_place non-NULL: base64Binary values are decoded, once the whole body was read, over their own text in
 * the body (as ews/call.h's ews_inplace does for gSOAP), which is then no longer as it arrived: *wrote_in_place says
 * whether one was. NULL: into memory of their own, and the body is left as it is. */
/* Tests: fn is called after every response the fast reader decoded in the driver (the operation, the body as it
 * was read, the response and header made from it), so a suite can compare them with gSOAP's decode of the same
 * body (tests/common/reader_check.c), and with response NULL for every one it left to gSOAP. Process-wide; NULL:
 * none. Set before any call. */
struct SOAP_ENV__Header;
typedef void (*ews_reader_check_fn)(const char *operation, const char *body, size_t len, const void *response,
                                    const struct SOAP_ENV__Header *header);
void ews_reader_set_check(ews_reader_check_fn fn);
ews_reader_check_fn ews_reader_check(void);
/* Register c->inplace on c->soap (once, at creation): SOAP_OK or SOAP_EOM. */
int ews_body_attach(ews_client *c);
/* The same for any context decoding from a writable buffer it describes in *ip (borrowed for the context's
 * life): the plugin of ews/call.h's ews_inplace contract. */
int ews_inplace_attach(struct soap *soap, ews_inplace *ip);
/* A decode from body[0..len) (a body of ews_body_read) starts, or with body NULL ends: base64 values may be
 * decoded into it while it runs. */
void ews_body_decoding(ews_client *c, char *body, size_t len);
/* Milliseconds since the current attempt started. */
long ews_elapsed_ms(const ews_client *c);
/* 1 when the current attempt ran into its whole-message deadline (or the I/O timeout). */
int ews_transport_deadline_passed(const ews_client *c);
/* Map a gSOAP error of a send/receive to a status. */
ews_status ews_transport_error(ews_client *c, const char *operation, const char *stage);
/* Start watching the receive speed of a new response (the clock starts at its first byte). */
void ews_transport_low_speed_reset(ews_client *c);
/* 1 when the idle kept-alive connection can carry a request: nothing to read on it. Readable means the server
 * closed it (EOF, reset) or sent something unasked (TLS close_notify): then it is closed here, so that the
 * next send opens a new connection instead of writing into a dead one (curl's dead-connection check). */
int ews_transport_idle_connection_usable(ews_client *c);
/* Append an HTTP header line ("Name: value") to this request's extra headers. */
ews_status ews_transport_add_header(ews_client *c, const char *name, const char *value);
void ews_transport_reset_headers(ews_client *c);

/* What ews_xml_prepass() found in a message besides sanitizing it; offsets are in the sanitized text. */
typedef struct {
	int too_deep;   /* elements nest deeper than max_depth */
	long deep_at;   /* offset of the first start tag beyond max_depth, or -1 */
	long mixed_at;  /* offset of the first non-blank text that stands before a start tag inside the same parent
			 * (mixed content, which no EWS type has and lenient gSOAP silently truncates), or -1 */
	long malformed_at; /* offset of the first malformed start tag's defect, or -1: a '/' outside a quoted value
			    * not followed at once by '>' (gSOAP would end the tag there and lose the rest of it), or
			    * a '<' inside a quoted value (gSOAP reads such a quote as a value's or as text depending
			    * on where the tag stands, so the other verdicts may not be those of what gSOAP reads) */
	const char *malformed_what; /* that defect in words ("a '<' inside a quoted attribute value"), or NULL */
	const char *malformed_loss; /* what decoding it anyway would lose or miss, in words, or NULL */
	int unfinished; /* the text ends before its root element or inside an element, a tag, a comment or a PI:
			 * the document is cut short
			 * (gSOAP decodes one cut inside the end tags after its last value as if it were whole, and one
			 * cut just after an item's end tag as if the item were the last) */
} ews_xml_prepass_result;

/* One pass over buf[0..len) before gSOAP parses it (ews_xml_prepass.c): ews_xml_sanitize() in place (returns the
 * new length, never larger), and the nesting depth, mixed content and malformed start tags of the sanitized text
 * into *r. Cannot fail; max_depth INT_MAX when no cap applies. */
size_t ews_xml_prepass(char *buf, size_t len, int max_depth, ews_xml_prepass_result *r);
/* The depth, mixed content and malformed start tags of a text that is already sanitized (a repaired copy),
 * without changing it. */
void ews_xml_markup(const char *s, size_t len, int max_depth, ews_xml_prepass_result *r);

/* Authentication (ews_auth.c): set up credentials for the next request. */
ews_status ews_auth_prepare(ews_client *c, const char *operation);
/* Round trips an authentication handshake may add to one exchange (NTLM: negotiate + authenticate, a
 * re-handshake; Negotiate's NTLM fallback), and the status of an exchange that went past them (HTTP 401). */
#define EWS_MAX_AUTH_ROUND_TRIPS 3
ews_status ews_auth_incomplete(const char *operation);
/* HTTP 401/403 arrived: the status to report; *retry = 1 when one more attempt is warranted (NTLM challenge,
 * OAuth2 token refresh). */
ews_status ews_auth_on_http_error(ews_client *c, const char *operation, int http_status, int *retry);
/* A response other than 401/403 arrived (NTLM: the connection is now authenticated). */
ews_status ews_auth_on_response(ews_client *c, const char *operation);
void ews_auth_reset(ews_client *c);

/* Negotiate (ews_negotiate.c). A "Negotiate <token>" Authorization value for the next request in *header
 * (malloc'd), or *fallback = 1 when no Kerberos ticket is usable and the NTLM fallback should run (the reason
 * logged); an error when neither works. */
ews_status ews_negotiate_token(ews_client *c, const char *operation, char **header, int *fallback);
/* A non-401 answer: checks the server's final token (mutual authentication). */
ews_status ews_negotiate_on_response(ews_client *c, const char *operation);
/* A 401 to a Kerberos token: the error to report; *retry = 1 when the NTLM fallback takes over. */
ews_status ews_negotiate_on_401(ews_client *c, const char *operation, int *retry);
void ews_negotiate_reset(ews_client *c);

/* OAuth2 client-credentials grant (ews_oauth2.c): a valid access token in c->oauth2_access_token. */
ews_status ews_oauth2_ensure_token(ews_client *c);
/* EWS_OK for an https:// token URL, or http:// to loopback only (localhost, 127.0.0.0/8, ::1): the client
 * secret must never cross a network in clear text. EWS_ERR_ARGUMENT otherwise, saying why. */
ews_status ews_oauth2_check_token_url(const char *url);
/* Parse a token endpoint's JSON answer. *token malloc'd (caller frees), *expires_in seconds (or -1). */
ews_status ews_oauth2_parse_token_response(const char *json, size_t len, char **token, long *expires_in);

/* SOAP headers (ews_headers.c). */
ews_status ews_headers_prepare(ews_client *c);
void ews_headers_capture_server_version(ews_client *c);
/* 1 when name looks like an ExchangeVersionType value ("Exchange2013_SP1", "V2017_07_11"). */
int ews_version_name_valid(const char *name);

/* Faults (ews_fault.c): the status of a decoded SOAP fault (response_code from the detail); *backoff_ms is
 * its BackOffMilliseconds or -1. */
ews_status ews_fault_status(ews_client *c, const char *operation, long *backoff_ms);
/* A SOAP fault gSOAP could not decode into its structure (a SOAP 1.2 Reason in several languages, a fault
 * without faultcode ...), rebuilt from the response read as a DOM into c->soap->fault. 1 when root is an
 * Envelope whose Body holds a Fault, else 0. */
struct soap_dom_element;
int ews_fault_from_dom(ews_client *c, const struct soap_dom_element *root);
/* A BackOffMilliseconds text as a bounded number; -1 when absent or not a number. */
long ews_parse_backoff_ms(const char *text);

/* ResponseMessages (ews_response.c): EWS_OK, or the first error as EWS_ERR_RESPONSE / EWS_ERR_SYNC_STATE.
 * *busy = 1 when an error is ErrorServerBusy (then *backoff_ms from its MessageXml, or -1), *all_busy = 1
 * when every message is such an error (a retry then repeats nothing that succeeded). */
ews_status ews_response_summarize(const ews_operation *op, const void *response, int *busy, int *all_busy,
                                  long *backoff_ms);

#endif
