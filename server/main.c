/* main.c — ewsd: a local Exchange-compatible EWS server on SQLite (command line, accept loop, HTTP front end).
 *
 * One thread per connection, each with its own soap_copy() and SQLite connection. HTTP hooks around gSOAP's
 * parser do what the generated dispatcher cannot: GET of the WSDL/XSD files, the /ewsd/control endpoint,
 * authentication before the body is read (NTLM handshakes send empty bodies), fault injection, and turning
 * parse errors into the ErrorSchemaValidation fault Exchange sends.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ewsd.h"
#include "auth.h"
#include "gss_server.h"
#include "oauth_endpoint.h"
#include "ews_internal.h"
#include "ews_wire.h"
#include "stream.h"

struct ewsd_config ewsd_cfg = { .max_page = 1000, .gzip = 1, .max_attachment = EWSD_MAX_ATTACHMENT };

/* Our namespace table: the library's plus "a" for the types namespace, because Exchange's fault codes are
 * written "a:ErrorServerBusy" (the prefix must be declared on the envelope). Input matching finds ewstype first. */
extern struct Namespace namespaces[];
static struct Namespace server_namespaces[16];

static void make_namespaces(void)
{
	int n = 0;
	while (namespaces[n].id && n < 14) {
		server_namespaces[n] = namespaces[n];
		n++;
	}
	server_namespaces[n].id = "a";
	server_namespaces[n].ns = EWS_NS_TYPES;
}

static volatile sig_atomic_t stopping;
static int exit_on_stdin_eof;   /* test harnesses: stop when the parent's end of our stdin closes */
static int max_connections = 64;    /* connections served at once; more wait in the listen backlog */
static char realm[256] = "127.0.0.1";   /* Basic realm: the host we listen on, as Exchange names its host */
static pthread_mutex_t active_lock = PTHREAD_MUTEX_INITIALIZER;
static int active_connections;

/* Per-connection state; the request part must come first (soap->user points at it). */
struct conn {
	struct ewsd_request rq;
	struct ewsd_http_auth auth;
	struct soap *soap;
	int (*orig_fparse)(struct soap *);
	int (*orig_fparsehdr)(struct soap *, const char *, const char *);
	int (*orig_fposthdr)(struct soap *, const char *, const char *);
	int (*orig_fsend)(struct soap *, const char *, size_t);
	size_t (*orig_frecv)(struct soap *, char *, size_t);
	long long body_left;        /* request body bytes not yet read (Content-Length), -1 unknown */
	int check_utf8;             /* the body is being checked for invalid UTF-8 (not when compressed) */
	struct ewsd_utf8 utf8;
	int got_request;            /* an HTTP request line was read on this round */
	int responded;              /* a raw answer (GET, control, 401, 404) was sent */
	int status;                 /* HTTP status answered, for the log */
	int truncate;               /* cut this response short */
	size_t sent;
	char hold[16];              /* tail of the last send that may start the bad-character marker */
	size_t nhold;
	struct ews_ntlm_server *ntlm;   /* NTLM handshake state of this connection */
	char *ntlm_challenge;       /* WWW-Authenticate value for the pending 401 */
	char *fbuf;                 /* output filter buffer (see filter_empty) */
	size_t fcap, fhold;
	char peer[64];
	char method[8];
	char path[256];
};

static struct conn *conn_of(struct soap *soap) { return (struct conn *)soap->user; }

/* ---- raw HTTP answers (bypassing the SOAP writer) ---- */

static void send_raw(struct soap *soap, int status, const char *reason, const char *ctype, const char *extra,
		     const char *body, size_t n)
{
	struct conn *c = conn_of(soap);
	/* Negotiate's final token on a success: the server proves its identity (mutual authentication) */
	const char *gss = c->auth.gss_reply && status < 300 ? c->auth.gss_reply : NULL;
	size_t cap = 256 + strlen(reason) + strlen(ctype) + (extra ? strlen(extra) : 0) + (gss ? strlen(gss) + 24 : 0);
	char *head = malloc(cap);
	int k;

	c->status = status;
	c->responded = 1;
	if (!head)
		return;
	/* the whole head in one send: a client that looks for the blank line in what one read brought (libews
	 * keeping a 401's connection for NTLM) must find it there */
	k = snprintf(head, cap, "HTTP/1.1 %d %s\r\nServer: ewsd\r\n%s%s%s%sContent-Type: %s\r\nContent-Length: %zu\r\n\r\n",
		     status, reason, extra ? extra : "", gss ? "WWW-Authenticate: " : "", gss ? gss : "", gss ? "\r\n" : "",
		     ctype, n);
	if (k > 0 && (size_t)k < cap)
		c->orig_fsend(soap, head, (size_t)k);
	free(head);
	if (n)
		c->orig_fsend(soap, body, n);
}

static int drain_body(struct soap *soap)
{
	size_t n = 0;
	if (soap->length > 0 || (soap->imode & SOAP_IO) == SOAP_IO_CHUNK)
		(void)soap_http_get_body(soap, &n);
	return SOAP_OK;
}

static int form_unauthorized(struct soap *soap)
{
	char hdr[512];
	drain_body(soap);
	/* Exchange offers Negotiate, NTLM and Basic; ewsd verifies all three (and Bearer), or what --auth-schemes
	 * names (a Bearer-only server answers "Bearer", as Exchange Online does). */
	snprintf(hdr, sizeof hdr, "%s%s%s%.200s%s%s", ewsd_scheme_allowed(EWSD_AUTH_NEGOTIATE) ?
		 "WWW-Authenticate: Negotiate\r\n" : "", ewsd_scheme_allowed(EWSD_AUTH_NTLM) ? "WWW-Authenticate: NTLM\r\n" : "",
		 ewsd_scheme_allowed(EWSD_AUTH_BASIC) ? "WWW-Authenticate: Basic realm=\"" : "",
		 ewsd_scheme_allowed(EWSD_AUTH_BASIC) ? realm : "", ewsd_scheme_allowed(EWSD_AUTH_BASIC) ? "\"\r\n" : "",
		 ewsd_cfg.auth_schemes == EWSD_AUTH_BEARER ? "WWW-Authenticate: Bearer\r\n" : "");
	send_raw(soap, 401, "Unauthorized", "text/html", hdr, "", 0);
	return SOAP_OK;
}

static int form_ntlm_challenge(struct soap *soap)
{
	struct conn *c = conn_of(soap);
	char hdr[2048];
	drain_body(soap);
	snprintf(hdr, sizeof hdr, "WWW-Authenticate: %.2000s\r\n", c->ntlm_challenge ? c->ntlm_challenge : "NTLM");
	send_raw(soap, 401, "Unauthorized", "text/html", hdr, "", 0);
	free(c->ntlm_challenge);
	c->ntlm_challenge = NULL;
	return SOAP_OK;
}

static int form_not_found(struct soap *soap)
{
	drain_body(soap);
	send_raw(soap, 404, "Not Found", "text/plain", NULL, "not found\n", 10);
	return SOAP_OK;
}

/* An authenticated autodiscover POST (autodiscover.c writes the answer), or the configured 302. */
static int form_autodiscover(struct soap *soap)
{
	struct conn *c = conn_of(soap);
	char path[256], loc[800], hdr[900], *q;
	size_t n = 0, len = 0;
	char *body = NULL, *answer;

	snprintf(path, sizeof path, "%s", c->path);
	if ((q = strchr(path, '?')))
		*q = '\0';
	if (ewsd_autodiscover_302(path, loc, sizeof loc)) {
		drain_body(soap);
		snprintf(hdr, sizeof hdr, "Location: %s\r\n", loc);
		send_raw(soap, 302, "Found", "text/html", hdr, "", 0);
		return SOAP_OK;
	}
	if (soap->length > 0 || (soap->imode & SOAP_IO) == SOAP_IO_CHUNK)
		body = soap_http_get_body(soap, &n);
	answer = ewsd_autodiscover_answer(soap, path, body, &len);
	if (!answer) {
		send_raw(soap, 500, "Internal Server Error", "text/plain", NULL, "", 0);
		return SOAP_OK;
	}
	send_raw(soap, 200, "OK", "text/xml; charset=utf-8", NULL, answer, len);
	free(answer);
	return SOAP_OK;
}

/* The OAuth2 endpoint (oauth_endpoint.c): unauthenticated by nature, like Entra ID's login host. */
static int form_oauth(struct soap *soap)
{
	struct conn *c = conn_of(soap);
	const char *e = soap->endpoint, *ctype = "text/plain";
	char origin[300];
	char *body = NULL, *answer = NULL;
	size_t n = 0, len = 0, skip = strstr(e, "://") ? (size_t)(strstr(e, "://") - e) + 3 : 0;
	int status = 500;

	snprintf(origin, sizeof origin, "%.*s", (int)(skip + strcspn(e + skip, "/?#\"<> ")), e);
	if (!strcmp(c->method, "POST") && (soap->length > 0 || (soap->imode & SOAP_IO) == SOAP_IO_CHUNK))
		body = soap_http_get_body(soap, &n);
	else
		drain_body(soap);
	if (ewsd_oauth_handle(c->method, c->path, body, n, origin, &status, &ctype, &answer, &len)) {
		send_raw(soap, 500, "Internal Server Error", "text/plain", NULL, "", 0);
		return SOAP_OK;
	}
	/* RFC 6749 section 5.1: token answers are never cached */
	send_raw(soap, status, status == 200 ? "OK" : status == 400 ? "Bad Request" : "Error", ctype,
	         "Cache-Control: no-store\r\nPragma: no-cache\r\n", answer, len);
	free(answer);
	return SOAP_OK;
}

/* /ewsd/control changes how the server treats everybody's requests: with --users only a user holding a
 * `control` grant may use it (Basic or Bearer credentials); others get 401 (no or bad credentials) or 403. */
static int control_refused(struct soap *soap)
{
	struct conn *c = conn_of(soap);
	char user[256];
	if (!ewsd_cfg.users_file)
		return 0;
	if (ewsd_authenticate(soap, &c->auth, user, sizeof user)) {
		form_unauthorized(soap);
		return 1;
	}
	snprintf(c->rq.user, sizeof c->rq.user, "%s", user);
	if (!ewsd_may_control(user)) {
		drain_body(soap);
		send_raw(soap, 403, "Forbidden", "text/plain", NULL, "no control grant\n", 17);
		return 1;
	}
	return 0;
}

static int form_control(struct soap *soap)
{
	char reply[256];
	if (control_refused(soap))
		return SOAP_OK;
	const char *q = strchr(soap->path, '?');
	size_t n = 0;
	char *body = NULL;
	if (!q && (soap->length > 0 || (soap->imode & SOAP_IO) == SOAP_IO_CHUNK))
		body = soap_http_get_body(soap, &n);   /* POST body "throttle=2&backoff=100" */
	else
		drain_body(soap);
	if (ewsd_control(q ? q + 1 : body, reply, sizeof reply))
		send_raw(soap, 400, "Bad Request", "text/plain", NULL, reply, strlen(reply));
	else
		send_raw(soap, 200, "OK", "text/plain", NULL, reply, strlen(reply));
	return SOAP_OK;
}

static int get_handler(struct soap *soap)
{
	const char *name = strrchr(soap->path, '/');
	struct conn *c = conn_of(soap);

	snprintf(c->method, sizeof c->method, "GET");
	snprintf(c->path, sizeof c->path, "%.255s", soap->path);
	if (!strncmp(soap->path, "/ewsd/control", 13))
		return form_control(soap);
	if (ewsd_oauth_path(soap->path))
		return form_oauth(soap);
	if (ewsd_autodiscover_kind(soap->path) == 1) {
		/* the unauthenticated redirect probe (MS-OXDSCLI step 3): a 302 when told to, else nothing here */
		char loc[800], hdr[900];
		if (ewsd_autodiscover_302(soap->path, loc, sizeof loc)) {
			snprintf(hdr, sizeof hdr, "Location: %s\r\n", loc);
			send_raw(soap, 302, "Found", "text/html", hdr, "", 0);
			return SOAP_OK;
		}
	}
	if (name && !strncasecmp(soap->path, "/EWS/", 5) && !strchr(name, '?')) {
		char path[4096];
		FILE *f = NULL;
		size_t len;
		const char *embedded = ewsd_schema_file(name + 1, &len);
		/* --schema-dir overrides the files built into the binary */
		if (ewsd_cfg.schema_dir && embedded) {
			snprintf(path, sizeof path, "%s/%s", ewsd_cfg.schema_dir, name + 1);
			f = fopen(path, "rb");
			if (!f && !strcasecmp(name + 1, "services.wsdl")) {
				snprintf(path, sizeof path, "%s/services.wsdl", ewsd_cfg.schema_dir);
				f = fopen(path, "rb");
			}
		}
		if (f) {
			char *buf = NULL;
			long n = -1;
			if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
			    (buf = malloc((size_t)n + 1)) && fread(buf, 1, (size_t)n, f) == (size_t)n)
				send_raw(soap, 200, "OK", "text/xml; charset=utf-8", NULL, buf, (size_t)n);
			else
				send_raw(soap, 500, "Internal Server Error", "text/plain", NULL, "", 0);
			free(buf);
			fclose(f);
			return SOAP_OK;
		}
		if (embedded) {
			send_raw(soap, 200, "OK", "text/xml; charset=utf-8", NULL, embedded, len);
			return SOAP_OK;
		}
	}
	send_raw(soap, 404, "Not Found", "text/plain", NULL, "not found\n", 10);
	return SOAP_OK;
}

/* ---- HTTP hooks ---- */

static int parse_header(struct soap *soap, const char *key, const char *val)
{
	struct conn *c = conn_of(soap);
	if (!strcasecmp(key, "Accept-Encoding") && val && strstr(val, "gzip"))
		c->auth.accept_gzip = 1;
	if (!strcasecmp(key, "X-PublicFolderMailbox") && val)       /* public-folder routing (public.c) */
		snprintf(c->rq.public_folder_mailbox, sizeof c->rq.public_folder_mailbox, "%s", val);
	if (!strcasecmp(key, "Authorization") && val && (!strncasecmp(val, "NTLM ", 5) || !strncasecmp(val, "Negotiate ", 10))) {
		free(c->auth.ntlm_header);
		c->auth.ntlm_header = strdup(val);
		return SOAP_OK;     /* gSOAP does not know these schemes */
	}
	return c->orig_fparsehdr(soap, key, val);
}

/* The SOAP answer's headers: Negotiate's final token goes in before the blank line that ends them. */
static int post_header(struct soap *soap, const char *key, const char *val)
{
	struct conn *c = conn_of(soap);
	if (!key && c->auth.gss_reply) {
		int err = c->orig_fposthdr(soap, "WWW-Authenticate", c->auth.gss_reply);
		if (err)
			return err;
	}
	return c->orig_fposthdr(soap, key, val);
}

static int parse_http(struct soap *soap)
{
	struct conn *c = conn_of(soap);
	int err = c->orig_fparse(soap);
	char path[256], *q;

	c->got_request = 1;
	if (ewsd_http_length_refused(soap)) {     /* as IIS: over maxAllowedContentLength (or not a length) */
		static const char msg[] = "the request's Content-Length is over the limit or not a length\n";
		soap->length = 0;
		soap->keep_alive = 0;
		send_raw(soap, 413, "Request Entity Too Large", "text/plain", NULL, msg, sizeof msg - 1);
		return soap->error = SOAP_STOP;
	}
	if (err)
		return err;
	/* gSOAP parses XML until the document ends, so a truncated body would wait for the receive timeout;
	 * Exchange answers at once. Stop reading at Content-Length: what is buffered counts already. */
	if (soap->length > 0) {
		long long buffered = (long long)(soap->buflen - soap->bufidx);
		c->body_left = (long long)soap->length > buffered ? (long long)soap->length - buffered : 0;
	}
	snprintf(c->path, sizeof c->path, "%.255s", soap->path);
	snprintf(path, sizeof path, "%.255s", soap->path);
	if ((q = strchr(path, '?')))
		*q = '\0';
	if (soap->status != SOAP_POST)
		return SOAP_OK;     /* GET goes to fget */
	snprintf(c->method, sizeof c->method, "POST");
	if (ewsd_fault_take(&ewsd_faults.drop)) {
		c->status = 0;
		return soap->error = SOAP_EOF;  /* dropped: closed without an answer */
	}
	int latency_ms = ewsd_fault_get(&ewsd_faults.latency_ms);
	if (latency_ms > 0)
		usleep((useconds_t)latency_ms * 1000);
	if (!strcmp(path, "/ewsd/control")) {
		soap->fform = form_control;
		return SOAP_OK;
	}
	if (ewsd_oauth_path(path)) {
		soap->fform = form_oauth;
		return SOAP_OK;
	}
	if (strcasecmp(path, "/EWS/Exchange.asmx") && !ewsd_autodiscover_kind(path)) {
		soap->fform = form_not_found;
		return SOAP_OK;
	}
	enum ewsd_ntlm_result kerberos = ewsd_kerberos_step(&c->auth, c->peer);
	if (kerberos == EWSD_NTLM_FAILED) {
		soap->fform = form_unauthorized;
		return SOAP_OK;
	}
	switch (kerberos == EWSD_NTLM_OK ? EWSD_NTLM_NONE : ewsd_ntlm_step(&c->ntlm, &c->auth, &c->ntlm_challenge)) {
	case EWSD_NTLM_CHALLENGE:
		soap->fform = form_ntlm_challenge;
		return SOAP_OK;
	case EWSD_NTLM_FAILED:
		c->auth.ntlm_user[0] = '\0';
		soap->fform = form_unauthorized;
		return SOAP_OK;
	default:
		break;
	}
	if (ewsd_authenticate(soap, &c->auth, c->rq.user, sizeof c->rq.user)) {
		soap->fform = form_unauthorized;
		return SOAP_OK;
	}
	if (ewsd_autodiscover_kind(path)) {
		soap->fform = form_autodiscover;    /* authenticated as for EWS */
		return SOAP_OK;
	}
	if (ewsd_cfg.gzip && c->auth.accept_gzip) {
		soap->omode |= SOAP_ENC_ZLIB;
		/* deflate level 1, as web servers compress dynamic responses (IIS's default is the low end too):
		 * gSOAP's default 6 spent 45% of ewsd's CPU on an ExportItems batch for 10-20% smaller bodies */
		soap->z_level = 1;
	} else
		soap->omode &= ~SOAP_ENC_ZLIB;
	c->truncate = ewsd_fault_take(&ewsd_faults.truncate);
	c->rq.bad_chars = ewsd_fault_take(&ewsd_faults.bad_chars);
	/* check the body's UTF-8 from here on: the part already buffered now, the rest in recv_limited; the parser
	 * sees the body end at the first invalid byte, and send_error names it */
	if (soap->zlib_in == SOAP_ZLIB_NONE && (soap->imode & SOAP_IO) != SOAP_IO_CHUNK) {  /* raw bytes = body */
		size_t have = soap->buflen - soap->bufidx, ok;
		if (soap->length > 0 && (ULONG64)have > soap->length)
			have = (size_t)soap->length;    /* the rest is a pipelined next request */
		c->check_utf8 = 1;
		ok = ewsd_utf8_feed(&c->utf8, (const unsigned char *)soap->buf + soap->bufidx, have);
		if (ok < have) {
			soap->buflen = soap->bufidx + ok;
			c->body_left = 0;
		}
	}
	return SOAP_OK;
}

static size_t recv_limited(struct soap *soap, char *buf, size_t n)
{
	struct conn *c = conn_of(soap);
	size_t got;
	if (c->body_left == 0)
		return 0;
	if (c->body_left > 0 && (long long)n > c->body_left)
		n = (size_t)c->body_left;
	got = c->orig_frecv(soap, buf, n);
	if (c->body_left > 0)
		c->body_left -= (long long)got;
	if (c->check_utf8 && got) {
		size_t ok = ewsd_utf8_feed(&c->utf8, (const unsigned char *)buf, got);
		if (ok < got) {
			got = ok;
			c->body_left = 0;   /* the parser stops here */
		}
	}
	return got;
}

/* soap_begin_serve() without its built-in fault: parse errors in the envelope and headers get the fault
 * Exchange sends (send_error), like errors in the body. */
static int begin_serve(struct soap *soap)
{
	soap_begin(soap);
	if (soap_begin_recv(soap) || soap_envelope_begin_in(soap) || soap_recv_header(soap) || soap_body_begin_in(soap))
		return soap->error ? soap->error : SOAP_EOF;
	return SOAP_OK;
}

/* Output filter: the bad-character marker becomes raw invalid character references (same length, so the
 * Content-Length stays right), and truncation cuts the body. */
static const char bad_marker[] = "@@EWSDBAD@@";
static const char bad_refs[] = "&#x0;&#x1A;";

static int send_filtered(struct soap *soap, const char *s, size_t n)
{
	struct conn *c = conn_of(soap);
	if (c->truncate) {
		int truncate_at = ewsd_fault_get(&ewsd_faults.truncate_at);
		size_t at = truncate_at > 0 ? (size_t)truncate_at : 300;
		if (c->sent >= at)
			return SOAP_EOF;
		size_t room = at - c->sent;
		c->sent += n;
		if (n > room) {
			c->orig_fsend(soap, s, room);
			shutdown(soap->socket, SHUT_RDWR);
			return SOAP_EOF;
		}
		return c->orig_fsend(soap, s, n);
	}
	if (!c->rq.bad_chars)
		return c->orig_fsend(soap, s, n);
	/* join the held tail with this chunk, replace markers, hold back a possible marker prefix */
	char *buf = malloc(c->nhold + n);
	size_t len = c->nhold + n, keep = 0;
	int rc;
	if (!buf)
		return SOAP_EOM;
	memcpy(buf, c->hold, c->nhold);
	memcpy(buf + c->nhold, s, n);
	for (char *p = buf; (p = memmem(p, len - (size_t)(p - buf), bad_marker, 11)); p += 11)
		memcpy(p, bad_refs, 11);
	for (size_t k = 10; k > 0; k--)
		if (len >= k && !memcmp(buf + len - k, bad_marker, k)) {
			keep = k;
			break;
		}
	memcpy(c->hold, buf + len - keep, keep);
	c->nhold = keep;
	rc = c->orig_fsend(soap, buf, len - keep);
	free(buf);
	return rc;
}

/* gSOAP writes optional non-pointer base64Binary members (ExportItems' Data on an error, ConversationIndex)
 * as empty elements, which Exchange never sends; and the schema's required Persona of GetPersona's answer as an
 * empty one on an error, where Exchange (the GetPersona page) sends none. This send filter drops them. gSOAP runs it in the counting
 * pass as well as the sending pass, so Content-Length stays right; a possible start of a pattern is held back
 * until the next piece decides it (a message never ends inside one). */
static const char *const empty_elements[] = { "<ewsmsg:Data></ewsmsg:Data>",
					      "<ewstype:ConversationIndex></ewstype:ConversationIndex>",
					      "<ewsmsg:Persona></ewsmsg:Persona>", "<ewsmsg:Persona/>" };

/* A piece with no '<' that begins one of them (whole, or cut short by the piece's end) and nothing held back: the
 * filter would hand it on unchanged, so it goes as it is, without the copies (most pieces are text, base64 and
 * the other elements' tags; the copying path cost a tenth of ewsd's CPU for ExportItems). */
static int piece_is_plain(const char *s, size_t n)
{
	for (const char *p = memchr(s, '<', n); p; p = memchr(p + 1, '<', n - (size_t)(p + 1 - s))) {
		size_t left = n - (size_t)(p - s);
		for (size_t i = 0; i < sizeof empty_elements / sizeof empty_elements[0]; i++) {
			size_t pl = strlen(empty_elements[i]);
			if (!memcmp(p, empty_elements[i], left < pl ? left : pl))
				return 0;
		}
	}
	return 1;
}

static int filter_empty(struct soap *soap, const char **s, size_t *n)
{
	struct conn *c = conn_of(soap);
	if (!c->fhold && piece_is_plain(*s, *n))
		return SOAP_OK;
	size_t len = c->fhold + *n;
	if (len + 1 > c->fcap) {
		char *g = realloc(c->fbuf, len * 2 + 64);
		if (!g)
			return SOAP_EOM;
		c->fbuf = g;
		c->fcap = len * 2 + 64;
	}
	memcpy(c->fbuf + c->fhold, *s, *n);
	for (size_t i = 0; i < sizeof empty_elements / sizeof empty_elements[0]; i++) {
		size_t pl = strlen(empty_elements[i]);
		char *p;
		while ((p = memmem(c->fbuf, len, empty_elements[i], pl))) {
			memmove(p, p + pl, len - (size_t)(p - c->fbuf) - pl);
			len -= pl;
		}
	}
	size_t keep = 0;
	for (size_t start = len > 64 ? len - 64 : 0; start < len && !keep; start++) {
		if (c->fbuf[start] != '<')
			continue;
		for (size_t i = 0; i < sizeof empty_elements / sizeof empty_elements[0]; i++) {
			size_t pl = strlen(empty_elements[i]);
			if (len - start < pl && !memcmp(c->fbuf + start, empty_elements[i], len - start)) {
				keep = len - start;
				break;
			}
		}
	}
	/* the held tail moves to the front on the next call: emit the rest from a copy */
	size_t emit = len - keep;
	char *out = soap_malloc(soap, emit ? emit : 1);
	if (!out)
		return SOAP_EOM;
	memcpy(out, c->fbuf, emit);
	memmove(c->fbuf, c->fbuf + emit, keep);
	c->fhold = keep;
	*s = out;
	*n = emit;
	return SOAP_OK;
}

/* ---- SOAP errors -> Exchange faults ---- */

/* A fault on a kept-alive connection. soap_send_fault() always closes it, which costs an NTLM client a new
 * handshake per throttled attempt; Exchange (IIS) keeps the connection after a 500. Only for faults raised by
 * an operation, after the whole request was read. */
static int send_fault_keep_alive(struct soap *soap)
{
	int keep = soap->keep_alive;
	soap->error = SOAP_OK;
	soap->encodingStyle = NULL;
	soap_serializeheader(soap);
	soap_serializefault(soap);
	if (soap_begin_count(soap))
		return soap->error;
	if ((soap->mode & SOAP_IO_LENGTH) &&
	    (soap_envelope_begin_out(soap) || soap_putheader(soap) || soap_body_begin_out(soap) || soap_putfault(soap) ||
	     soap_body_end_out(soap) || soap_envelope_end_out(soap)))
		return soap->error;
	if (soap_end_count(soap) || soap_response(soap, SOAP_FAULT) || soap_envelope_begin_out(soap) ||
	    soap_putheader(soap) || soap_body_begin_out(soap) || soap_putfault(soap) || soap_body_end_out(soap) ||
	    soap_envelope_end_out(soap) || soap_end_send(soap))
		return soap->error;
	soap->keep_alive = keep;
	return SOAP_OK;
}

/* The local name of the element gSOAP read last (where a parse error was found), for the Violation text. */
static const char *last_element(struct soap *soap)
{
	const char *colon = strrchr(soap->tag, ':');
	return colon ? colon + 1 : soap->tag;
}

/* Read and discard the rest of a request body whose parse failed, so the connection can serve the next request
 * (Exchange keeps the connection after a schema fault). Only with a Content-Length and no compression: anything
 * else cannot be resynchronised and the connection is closed. Returns 1 when the body was consumed. */
static int discard_rest_of_body(struct soap *soap)
{
	struct conn *c = conn_of(soap);
	char buf[4096];
	if (soap->zlib_in != SOAP_ZLIB_NONE)
		return 0;
	if (c->body_left < 0 && (soap->mode & SOAP_IO) == SOAP_IO_CHUNK) {
		/* chunked: gSOAP's decoder returns EOF at the last (zero-size) chunk, where the next request starts;
		 * bounded by the body limit so a client streaming forever gets the connection closed */
		int clean;
		soap->error = SOAP_OK;
		for (long long n = 0; n < (1LL << 30); n++)
			if ((int)soap_getchar(soap) == EOF) {
				clean = soap->error == SOAP_OK;     /* a broken connection sets an error */
				return clean;
			}
		return 0;
	}
	if (c->body_left < 0)
		return 0;
	soap->bufidx = soap->buflen = 0;    /* the buffered part of the body (recv_limited never reads beyond it) */
	while (c->body_left > 0)
		if (recv_limited(soap, buf, sizeof buf) == 0)
			return 0;
	return 1;
}

/* A request gSOAP could not decode -> the text of the ErrorSchemaValidation Violation, or NULL when the error
 * is not the client's (out of memory, a broken connection). */
static const char *parse_error_text(struct soap *soap, int e)
{
	static __thread char text[320];
	switch (e) {
	case SOAP_TAG_MISMATCH:
		if (!soap->tag[0])
			return "An element or attribute was not expected at this position.";
		snprintf(text, sizeof text, "The element '%.200s' was not expected at this position.", last_element(soap));
		return text;
	case SOAP_NO_TAG: return "A required element is missing.";
	case SOAP_TYPE: return "A value is invalid according to its datatype.";
	case SOAP_SYNTAX_ERROR: return "The request is not well-formed XML.";
	case SOAP_NO_METHOD: {
		/* Exchange's words for an operation element its schema does not have */
		const char *ns = soap_current_namespace_tag(soap, soap->tag);
		snprintf(text, sizeof text, "The element 'Body' in namespace 'http://schemas.xmlsoap.org/soap/envelope/' "
			 "has invalid child element '%.100s' in namespace '%.100s'.", last_element(soap), ns ? ns : "");
		return text;
	}
	case SOAP_MUSTUNDERSTAND: return "A header marked mustUnderstand is not understood.";
	case SOAP_VERSIONMISMATCH: return "The SOAP envelope namespace is not supported.";
	case SOAP_NAMESPACE: return "An element is in an unexpected namespace.";
	case SOAP_OCCURS:
		/* strict decoding: gSOAP stops at the end tag of the element whose content is incomplete */
		snprintf(text, sizeof text, "The element '%.200s' has incomplete content: a required child element is "
			 "missing or an element occurs too often.", last_element(soap));
		return text;
	case SOAP_REQUIRED:
		snprintf(text, sizeof text, "The element '%.200s' lacks a required attribute.", last_element(soap));
		return text;
	case SOAP_LENGTH: return "A value is too long.";
	case SOAP_UTF_ERROR: return "The request contains invalid UTF-8.";
	case SOAP_LEVEL: return "The request is nested too deeply.";
	case SOAP_EOF: return "The request ended unexpectedly.";
	case SOAP_NO_DATA: return "The request has no SOAP body.";
	case SOAP_PROHIBITED: return "An attribute or element is not allowed here.";
	case SOAP_NULL: return "An element that is not nillable is nil.";
	case SOAP_END_TAG: return "An element has unexpected text content.";
	case SOAP_EOM: case SOAP_TCP_ERROR: case SOAP_SSL_ERROR: case SOAP_ZLIB_ERROR: return NULL;
	default: {
		/* any other parse failure: gSOAP's own description of it */
		const char **fs;
		soap_set_fault(soap);
		fs = soap_faultstring(soap);
		snprintf(text, sizeof text, "%s", fs && *fs ? *fs : "The request does not match the schema.");
		return text;
	}
	}
}

static void send_error(struct soap *soap)
{
	int e = soap->error;
	conn_of(soap)->status = 500;
	if (e == SOAP_FAULT) {          /* raised by an operation: the request was read completely */
		if (!soap->header || !soap->header->ewstype__ServerVersionInfo)
			ewsd_server_version_header(soap);   /* operations we do not implement fault before begin_op */
		send_fault_keep_alive(soap);
		return;
	}
	const char *why;
	char utf8_text[160];
	if (conn_of(soap)->utf8.bad) {
		/* whatever gSOAP made of the cut-off body, the cause is the invalid byte */
		e = SOAP_UTF_ERROR;
		snprintf(utf8_text, sizeof utf8_text, "The request is not valid UTF-8: byte 0x%02X at offset %lld of the "
			 "body.", conn_of(soap)->utf8.bad_byte, conn_of(soap)->utf8.bad_offset);
		why = utf8_text;
	} else {
		why = parse_error_text(soap, e);
	}
	/* Keep the connection when the rest of the request can be skipped; a broken one is closed. */
	/* Exchange (IIS) keeps the connection after every 500 it answers; clients take "Connection: close" on a fault
	 * for a transient failure and retry, so malformed XML with a known length is skipped too */
	int keep = why && e != SOAP_EOF && e != SOAP_UTF_ERROR && discard_rest_of_body(soap);
	soap->error = SOAP_OK;
	if (why)
		ewsd_schema_fault(soap, why);
	else
		soap_receiver_fault(soap, "An internal server error occurred. The operation failed.", NULL);
	if (soap->version <= 0)
		soap->version = 1;      /* no envelope was read: answer in SOAP 1.1, as Exchange does */
	ewsd_server_version_header(soap);
	if (!keep)
		soap->keep_alive = 0;
	send_fault_keep_alive(soap);
}

/* ---- connection threads ---- */

static sqlite3 *open_db(void);

static void reset_request(struct conn *c)
{
	sqlite3 *db = c->rq.db;
	char keep_ntlm[sizeof c->auth.ntlm_user];
	memcpy(keep_ntlm, c->auth.ntlm_user, sizeof keep_ntlm);
	memset(&c->rq, 0, sizeof c->rq);
	free(c->auth.ntlm_header);
	free(c->auth.gss_reply);
	memset(&c->auth, 0, sizeof c->auth);
	memcpy(c->auth.ntlm_user, keep_ntlm, sizeof keep_ntlm);
	c->rq.db = db;
	c->got_request = 0;
	c->responded = 0;
	c->body_left = -1;
	c->check_utf8 = 0;
	memset(&c->utf8, 0, sizeof c->utf8);
	c->status = 200;
	c->truncate = 0;
	c->sent = 0;
	c->nhold = 0;
	c->fhold = 0;
	c->method[0] = c->path[0] = '\0';
	c->soap->fform = NULL;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void serve_connection(struct conn *c)
{
	struct soap *soap = c->soap;
	soap->keep_alive = soap->max_keep_alive + 1;
	do {
		double t0;
		if (soap->keep_alive > 0 && soap->max_keep_alive > 0)
			soap->keep_alive--;
		reset_request(c);
		t0 = now_ms();
		if (begin_serve(soap)) {
			/* gSOAP stops with codes >= SOAP_STOP both after our GET/form handlers answered and for a POST
			 * body it does not take for SOAP at all; the latter gets the schema fault */
			if (soap->error >= SOAP_STOP && !c->responded && c->method[0] && !strcmp(c->method, "POST"))
				soap->error = SOAP_SYNTAX_ERROR;
			if (soap->error >= SOAP_STOP) {
				ewsd_log("%s %s %s %s - %d %.1fms", c->peer, c->method, c->path, c->rq.user, c->status,
					 now_ms() - t0);
				continue;
			}
			if (!c->got_request || !c->method[0] || c->status == 0 || soap->error == SOAP_TCP_ERROR ||
			    (soap->error == SOAP_EOF && c->body_left < 0)) {
				if (c->got_request && c->method[0])
					ewsd_log("%s %s %s %s dropped", c->peer, c->method, c->path, c->rq.user);
				break;
			}
			send_error(soap);
			ewsd_log("%s %s %s %s - %d %.1fms", c->peer, c->method, c->path, c->rq.user, c->status,
				 now_ms() - t0);
			if (!soap->keep_alive)
				break;
			/* a schema fault in the envelope or header whose body was skipped: serve the next request */
			soap_destroy(soap);
			soap_end(soap);
			continue;
		}
		ewsd_decoding_for_operation(soap);
		/* the store is opened only once a request is authenticated (a failed login never reaches here) */
		if (!c->rq.db && !(c->rq.db = open_db())) {
			soap->error = SOAP_EOM;
			send_error(soap);
			break;
		}
		if (soap_serve_request(soap) && soap->error && soap->error < SOAP_STOP) {
			if (c->truncate) {
				ewsd_log("%s POST %s %s %s truncated", c->peer, c->path, c->rq.user, soap->tag);
				break;
			}
			send_error(soap);
		}
		ewsd_log("%s %s %s %s %s %d %.1fms", c->peer, c->method, c->path, c->rq.user,
			 c->rq.op[0] ? c->rq.op : "-", c->status, now_ms() - t0);
		soap_destroy(soap);
		soap_end(soap);
		if (c->truncate)
			break;
	} while (soap->keep_alive && !__atomic_load_n(&stopping, __ATOMIC_RELAXED)); /* (set by a signal on main) */
	soap_destroy(soap);
	soap_end(soap);
}

static void *connection_thread(void *arg)
{
	struct conn *c = arg;
	struct soap *soap = c->soap;

	if (ewsd_cfg.tls && soap_ssl_accept(soap)) {
		soap_destroy(soap);
		soap_end(soap);
	} else {
		serve_connection(c);    /* opens the store on the first authenticated request */
		if (c->rq.db)
			ewsd_store_close(c->rq.db);
	}
	soap_free(soap);
	ewsd_ntlm_end(&c->ntlm);
	free(c->ntlm_challenge);
	free(c->auth.ntlm_header);
	free(c->auth.gss_reply);
	free(c->fbuf);
	free(c);
	pthread_mutex_lock(&active_lock);
	active_connections--;
	pthread_mutex_unlock(&active_lock);
	return NULL;
}

static sqlite3 *open_db(void)
{
	return ewsd_store_open(ewsd_cfg.data_dir);
}

static void on_signal(int sig)
{
	(void)sig;
	__atomic_store_n(&stopping, 1, __ATOMIC_RELAXED); /* (read by the connection threads) */
}

/* ---- TLS: a self-signed certificate made on first start ---- */

static int ensure_certificate(const char *dir, char *pem, size_t n)
{
	struct stat st;
	char key[4096], crt[4096];
	snprintf(pem, n, "%s/ewsd.pem", dir);
	if (stat(pem, &st) == 0)
		return 0;
	snprintf(key, sizeof key, "%s/ewsd.key", dir);
	snprintf(crt, sizeof crt, "%s/ewsd.crt", dir);
	char *argv[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", crt,
			 "-days", "3650", "-subj", "/CN=localhost", "-addext",
			 "subjectAltName=DNS:localhost,IP:127.0.0.1", NULL };
	pid_t pid;
	int status, rc_spawn;
	extern char **environ;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	rc_spawn = posix_spawnp(&pid, "openssl", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc_spawn || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	FILE *out = fopen(pem, "w"), *a = fopen(key, "r"), *b = fopen(crt, "r");
	int rc = out && a && b ? 0 : -1;
	char buf[4096];
	size_t k;
	while (rc == 0 && (k = fread(buf, 1, sizeof buf, a)) > 0)
		fwrite(buf, 1, k, out);
	while (rc == 0 && (k = fread(buf, 1, sizeof buf, b)) > 0)
		fwrite(buf, 1, k, out);
	if (out)
		fclose(out);
	if (a)
		fclose(a);
	if (b)
		fclose(b);
	chmod(pem, 0600);
	return rc;
}

/* ---- command line ---- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ewsd --listen HOST:PORT --data DIR [options]\n"
		"       ewsd seed --data DIR --mailbox SMTP --items N [--seed S] [--archive-items A]\n"
		"\n"
		"A local Exchange-compatible EWS server on SQLite. Port 0 picks a free port; the endpoint URL\n"
		"(http://HOST:PORT/EWS/Exchange.asmx) is printed on stdout as the first line.\n"
		"\n"
		"  --listen HOST:PORT   address to listen on (default 127.0.0.1:0)\n"
		"  --data DIR           store directory (ewsd.sqlite, TLS certificate)\n"
		"  --users FILE         credentials: 'user SMTP PASSWORD', 'token TOKEN SMTP', 'impersonate SMTP',\n"
		"                       'control SMTP' (may use /ewsd/control; nobody may without such a line).\n"
		"                       WITHOUT --users ewsd runs OPEN: any credentials are accepted, the mailbox is the\n"
		"                       Basic user name (user@example.com without credentials) - for demos and tests only.\n"
		"  --schema-dir DIR     serve services.wsdl, messages.xsd, types.xsd (GET /EWS/...) from DIR instead of\n"
		"                       the copies built into ewsd\n"
		"  --max-page N         cap on MaxEntriesReturned (default 1000, as Exchange)\n"
		"  --max-attachment N   largest attachment in bytes (default 35 MiB, Exchange Online's limit); a\n"
		"                       larger one is ErrorAttachmentSizeLimitExceeded\n"
		"  --max-connections N  connections served at once (1-10000, default 64); more wait in the listen\n"
		"                       backlog until one ends\n"
		"  --log FILE           request log (default stderr), one line per request\n"
		"  --tls                HTTPS with a self-signed certificate created in DIR on first start\n"
		"  --keytab FILE        verify Negotiate (Kerberos/SPNEGO) tokens with this keytab's HTTP/host key\n"
		"                       (also when KRB5_KTNAME is set); the client principal NAME@REALM is the user\n"
		"                       whose address' local part is NAME, or as a users-file 'principal P SMTP' says\n"
		"  --auth-schemes LIST  schemes offered and accepted, of negotiate,ntlm,basic,bearer (default all)\n"
		"  --no-gzip            never compress responses (default: gzip when the client accepts it)\n"
		"  --no-archive         mailboxes made from now on get no archive mailbox (archive* folders are\n"
		"                       then ErrorFolderNotFound, as where no archive is enabled)\n"
		"  autodiscover (POST /autodiscover/autodiscover.xml and .svc; also /ewsd/control?ad_redirect_url=...):\n"
		"  --autodiscover-ews-url URL          the EwsUrl announced (default: this request's origin + /EWS/...)\n"
		"  --autodiscover-redirect-addr A=B    answer redirectAddr B for address A (repeatable)\n"
		"  --autodiscover-redirect-url ORIGIN  answer every request with redirectUrl ORIGIN + its path\n"
		"  --autodiscover-302 ORIGIN           answer every request (and the GET probe) with a 302 there\n"
		"  OAuth2 (RFC 8628 device flow, refresh-token rotation; issued access tokens are accepted as Bearer):\n"
		"    POST /oauth2/devicecode, POST /oauth2/token, POST /oauth2/verify user_code=C&action=approve|deny&user=SMTP\n"
		"    switches: /ewsd/control?oauth_slow_down=N&oauth_interval=S&oauth_code_lifetime=S&oauth_token_lifetime=S\n"
		"    &oauth_revoke_refresh&oauth_revoke_access&oauth_reset\n"
		"  --exit-on-stdin-eof  stop when stdin reaches end of file (for test harnesses)\n"
		"  fault injection (also GET/POST /ewsd/control?throttle=2&backoff=100 ...):\n"
		"  --throttle N --throttle-msg N --backoff MS --latency MS --drop N --truncate N --bad-chars N\n"
		"  --export-corrupt N   the next N ExportItems answer ErrorCorruptData for their first item\n"
		"  --upload-stamp 1     items UploadItems writes get a property of their own: their export is not the\n"
		"                       uploaded data (as Exchange's is not)\n");
}

int main(int argc, char **argv)
{
	const char *listen_at = "127.0.0.1:0";
	char host[256];
	int port;
	struct soap *master;

	/* no allocation statistics: SQLite otherwise takes a global mutex around every malloc (7% of ewsd's CPU
	 * serving ExportItems); ewsd never asks for them */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	/* memory freed after a request stays for the next one: glibc otherwise hands a connection thread's free heap
	 * top back (madvise, with a TLB flush on every core) and maps large blocks anew each time, and the next
	 * request faults all of it in again: 17% of ewsd's CPU serving ExportItems batches on a virtual machine */
	mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
	mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
	if (argc > 1 && !strcmp(argv[1], "seed"))
		return ewsd_seed_main(argc - 1, argv + 1);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
#define OPT(name) (!strcmp(a, name) && v && (i++, 1))
		if (OPT("--listen"))
			listen_at = v;
		else if (OPT("--data"))
			ewsd_cfg.data_dir = v;
		else if (OPT("--users"))
			ewsd_cfg.users_file = v;
		else if (OPT("--schema-dir"))
			ewsd_cfg.schema_dir = v;
		else if (OPT("--max-page"))
			ewsd_cfg.max_page = atoi(v);
		else if (OPT("--max-attachment"))
			ewsd_cfg.max_attachment = atoll(v) > 0 ? atoll(v) : EWSD_MAX_ATTACHMENT;
		else if (OPT("--max-connections")) {
			char *end;
			long n = strtol(v, &end, 10);
			if (*v == '\0' || *end || n < 1 || n > 10000) {
				fprintf(stderr, "ewsd: --max-connections wants a number from 1 to 10000, not '%s'\n", v);
				return 2;
			}
			max_connections = (int)n;
		}
		else if (OPT("--log")) {
			ewsd_cfg.log = fopen(v, "a");
			if (!ewsd_cfg.log) {
				fprintf(stderr, "ewsd: cannot open log %s: %s\n", v, strerror(errno));
				return 2;
			}
		} else if (OPT("--throttle"))
			ewsd_faults.throttle = atoi(v);
		else if (OPT("--throttle-msg"))
			ewsd_faults.throttle_msg = atoi(v);
		else if (OPT("--backoff"))
			ewsd_faults.backoff_ms = atoi(v);
		else if (OPT("--latency"))
			ewsd_faults.latency_ms = atoi(v);
		else if (OPT("--drop"))
			ewsd_faults.drop = atoi(v);
		else if (OPT("--truncate"))
			ewsd_faults.truncate = atoi(v);
		else if (OPT("--bad-chars"))
			ewsd_faults.bad_chars = atoi(v);
		else if (OPT("--export-corrupt"))
			ewsd_faults.export_corrupt = atoi(v);
		else if (OPT("--upload-stamp"))
			ewsd_faults.upload_stamp = atoi(v);
		else if (OPT("--autodiscover-ews-url") || OPT("--autodiscover-redirect-addr") ||
			 OPT("--autodiscover-redirect-url") || OPT("--autodiscover-302")) {
			static const char *const keys[][2] = {
				{ "--autodiscover-ews-url", "ad_ews_url" }, { "--autodiscover-redirect-addr", "ad_redirect_addr" },
				{ "--autodiscover-redirect-url", "ad_redirect_url" }, { "--autodiscover-302", "ad_redirect_302" } };
			for (size_t k = 0; k < 4; k++)
				if (!strcmp(a, keys[k][0]) && ewsd_autodiscover_set(keys[k][1], v)) {
					fprintf(stderr, "ewsd: %s: bad value '%s'\n", a, v);
					return 2;
				}
		} else if (OPT("--keytab")) {
			char why[512];
			if (ewsd_gss_configure(v, why, sizeof why)) {
				fprintf(stderr, "ewsd: --keytab: %s\n", why);
				return 2;
			}
			ewsd_cfg.kerberos = 1;
		} else if (OPT("--auth-schemes")) {
			if (ewsd_parse_auth_schemes(v, &ewsd_cfg.auth_schemes)) {
				fprintf(stderr, "ewsd: --auth-schemes wants a list of negotiate, ntlm, basic, bearer, not '%s'\n", v);
				return 2;
			}
		} else if (!strcmp(a, "--tls"))
			ewsd_cfg.tls = 1;
		else if (!strcmp(a, "--no-archive"))
			ewsd_cfg.no_archive = 1;
		else if (!strcmp(a, "--no-gzip"))
			ewsd_cfg.gzip = 0;
		else if (!strcmp(a, "--exit-on-stdin-eof"))
			exit_on_stdin_eof = 1;
		else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
#undef OPT
	}
	if (!ewsd_cfg.data_dir) {
		usage(stderr);
		return 2;
	}
	if (ewsd_cfg.max_page <= 0)
		ewsd_cfg.max_page = 1000;
	if (getenv("KRB5_KTNAME") && *getenv("KRB5_KTNAME"))
		ewsd_cfg.kerberos = 1;      /* GSSAPI reads the keytab named there */
	if (ewsd_cfg.users_file && ewsd_users_load(ewsd_cfg.users_file))
		return 2;           /* the reason, with FILE:LINE, is printed */
	const char *colon = strrchr(listen_at, ':');
	if (!colon || colon == listen_at || colon - listen_at >= (long)sizeof host) {
		fprintf(stderr, "ewsd: --listen wants HOST:PORT, not '%s'\n", listen_at);
		return 2;
	}
	snprintf(host, sizeof host, "%.*s", (int)(colon - listen_at), listen_at);
	{
		/* port 0 picks a free port; anything else must be a TCP port (gSOAP would truncate 99999 to 34463) */
		char *end;
		long p = strtol(colon + 1, &end, 10);
		if (colon[1] == '\0' || *end || p < 0 || p > 65535) {
			fprintf(stderr, "ewsd: --listen %s: the port must be 1-65535 (0: any free port)\n", listen_at);
			return 2;
		}
		port = (int)p;
	}
	snprintf(realm, sizeof realm, "%s", host);

	ewsd_stream_configure(max_connections, &stopping);   /* GetStreamingEvents: half the connections at most */
	sqlite3 *db = ewsd_store_open(ewsd_cfg.data_dir);   /* creates the schema once, before any thread */
	if (!db)
		return 1;
	ewsd_store_close(db);

	signal(SIGPIPE, SIG_IGN);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	soap_ssl_init();
	master = soap_new1(SOAP_IO_KEEPALIVE | SOAP_C_UTFSTRING);
	make_namespaces();
	soap_set_namespaces(master, server_namespaces);
	master->bind_flags = SO_REUSEADDR;
	master->accept_timeout = 1;       /* wake up every second to notice SIGTERM */
	master->send_timeout = master->recv_timeout = 60;
	master->recv_maxlength = 64 * 1024 * 1024;
	master->max_keep_alive = 1000;
	master->fget = get_handler;
	ewsd_decoding_init(master);   /* copied to every connection by soap_copy() */
	if (ewsd_cfg.tls) {
		static char pem[4096];  /* gSOAP keeps the pointer for the context's lifetime */
		if (ensure_certificate(ewsd_cfg.data_dir, pem, sizeof pem) ||
		    soap_ssl_server_context(master, SOAP_SSL_DEFAULT | SOAP_TLSv1_2 | SOAP_TLSv1_3, pem, NULL,
					    NULL, NULL, NULL, NULL, "ewsd")) {
			fprintf(stderr, "ewsd: TLS setup failed (certificate %s)\n", pem);
			soap_end(master);
			soap_free(master);
			return 1;
		}
	}
	if (!soap_valid_socket(soap_bind(master, host, port, 100))) {
		/* one line with the system's reason, not gSOAP's fault dump */
		fprintf(stderr, "ewsd: cannot listen on %s: %s\n", listen_at,
			master->errnum ? strerror(master->errnum) : "the host name does not resolve");
		soap_end(master);
		soap_free(master);
		return 1;
	}
	{
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		getsockname(master->master, (struct sockaddr *)&ss, &sl);
		port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
						      : ((struct sockaddr_in *)&ss)->sin_port);
	}
	printf("%s://%s:%d/EWS/Exchange.asmx\n", ewsd_cfg.tls ? "https" : "http", host, port);
	fflush(stdout);
	ewsd_log("ewsd listening on %s:%d, data %s, %s", host, port, ewsd_cfg.data_dir,
		 ewsd_cfg.users_file ? "users file" : "OPEN mode (any credentials)");

	while (!stopping) {
		if (exit_on_stdin_eof) {
			struct pollfd pfd = { 0, POLLIN, 0 };
			char ch;
			if (poll(&pfd, 1, 0) > 0 && read(0, &ch, 1) <= 0)
				break;
		}
		/* at the connection limit, accept nothing: further clients wait in the kernel's listen backlog (no
		 * thread, no store connection each) until a connection ends */
		pthread_mutex_lock(&active_lock);
		int busy = active_connections >= max_connections;
		pthread_mutex_unlock(&active_lock);
		if (busy) {
			usleep(5000);
			continue;
		}
		SOAP_SOCKET s = soap_accept(master);
		if (!soap_valid_socket(s)) {
			if (master->errnum && !stopping && master->error != SOAP_OK)
				usleep(1000);
			continue;
		}
		struct conn *c = calloc(1, sizeof *c);
		struct soap *copy = c ? soap_copy(master) : NULL;
		pthread_t tid;
		pthread_attr_t attr;
		if (!copy) {
			free(c);
			soap_force_closesock(master);
			continue;
		}
		c->soap = copy;
		copy->user = c;
		snprintf(c->peer, sizeof c->peer, "%.63s", copy->host);
		c->orig_fparse = copy->fparse;
		copy->fparse = parse_http;
		c->orig_fparsehdr = copy->fparsehdr;
		copy->fparsehdr = parse_header;
		c->orig_fsend = copy->fsend;
		copy->fsend = send_filtered;
		c->orig_fposthdr = copy->fposthdr;
		copy->fposthdr = post_header;
		copy->ffiltersend = filter_empty;
		if (ews_wire_attach(copy, EWS_WIRE_RESPONSE) != SOAP_OK) {  /* Exchange's prefixes, after filter_empty */
			soap_force_closesock(copy);
			soap_free(copy);
			free(c);
			continue;
		}
		c->orig_frecv = copy->frecv;
		copy->frecv = recv_limited;
		pthread_mutex_lock(&active_lock);
		active_connections++;
		pthread_mutex_unlock(&active_lock);
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		if (pthread_create(&tid, &attr, connection_thread, c)) {
			pthread_mutex_lock(&active_lock);
			active_connections--;
			pthread_mutex_unlock(&active_lock);
			soap_free(copy);
			free(c);
		}
		pthread_attr_destroy(&attr);
	}
	/* clean shutdown: stop accepting, give running requests a moment, checkpoint the WAL */
	soap_closesock(master);
	for (int i = 0; i < 50; i++) {
		int n;
		pthread_mutex_lock(&active_lock);
		n = active_connections;
		pthread_mutex_unlock(&active_lock);
		if (!n)
			break;
		usleep(100000);
	}
	db = ewsd_store_open(ewsd_cfg.data_dir);
	if (db) {
		sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
		ewsd_store_close(db);
	}
	ewsd_log("ewsd stopped");
	soap_destroy(master);
	soap_end(master);
	soap_free(master);
	return 0;
}

