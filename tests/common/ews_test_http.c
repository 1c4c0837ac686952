/* ews_test_http.c — loopback HTTP(S) listener serving canned replies (see ews_test_http.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "ews_test_http.h"

#define MAX_REPLIES 64
#define MAX_REQUESTS 64
#define MAX_REQUEST_BYTES (8u << 20)
#define MAX_CONNECTIONS 64

struct ews_test_http {
	int listen_fd;
	int stop_pipe[2];
	pthread_t thread;
	pthread_mutex_t lock;
	char url[96];
	char cert_file[64];
	SSL_CTX *ssl_ctx;
	ews_test_reply replies[MAX_REPLIES];
	int nreplies, next_reply;
	char *requests[MAX_REQUESTS];
	int nrequests;
	int nconnections;
	int nclosed;
	int stopping;                   /* atomic */
	ews_test_responder responder;
	void *responder_arg;
	pthread_t conn_threads[MAX_CONNECTIONS];
	int nthreads;
};

/* One accepted connection, plain or TLS, served by its own thread (a client may hold a kept-alive connection
 * open while it opens another, e.g. to fetch an OAuth2 token). */
struct conn {
	ews_test_http *s;
	int id;
	int fd;
	SSL *ssl;
};

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static long conn_read(struct conn *c, char *buf, size_t len)
{
	/* wait in short slices so that stopping the listener ends idle kept-alive connections */
	while (!(c->ssl && SSL_pending(c->ssl))) {
		struct pollfd p = { c->fd, POLLIN, 0 };
		int r = poll(&p, 1, 50);
		if (__atomic_load_n(&c->s->stopping, __ATOMIC_RELAXED))
			return -1;
		if (r > 0)
			break;
		if (r < 0 && errno != EINTR)
			return -1;
	}
	if (c->ssl) {
		int n = SSL_read(c->ssl, buf, (int)len);
		return n > 0 ? n : -1;
	}
	return read(c->fd, buf, len);
}

static int conn_write(struct conn *c, const char *buf, size_t len)
{
	while (len > 0) {
		long n = c->ssl ? SSL_write(c->ssl, buf, (int)len) : send(c->fd, buf, len, MSG_NOSIGNAL);
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static const char *find_header_end(const char *buf, size_t len)
{
	for (size_t i = 0; i + 3 < len; i++)
		if (!memcmp(buf + i, "\r\n\r\n", 4))
			return buf + i + 4;
	return NULL;
}

/* Content-Length of a header block, 0 when absent. */
static size_t content_length(const char *hdr, size_t hdr_len)
{
	const char *p = hdr, *end = hdr + hdr_len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			break;
		if ((size_t)(eol - p) > 15 && !strncasecmp(p, "Content-Length:", 15))
			return (size_t)strtoul(p + 15, NULL, 10);
		p = eol + 1;
	}
	return 0;
}

/* Read one whole request (header + Content-Length body). Returns a malloc'd string or NULL at EOF/error. */
static char *read_request(struct conn *c)
{
	size_t cap = 65536, len = 0, need = 0;
	char *buf = malloc(cap + 1);
	const char *hend = NULL;

	if (!buf)
		return NULL;
	for (;;) {
		long n;
		if (hend && len >= need)
			break;
		if (len == cap) {
			char *g;
			if (cap >= MAX_REQUEST_BYTES || !(g = realloc(buf, cap * 2 + 1)))
				goto fail;
			buf = g;
			cap *= 2;
		}
		n = conn_read(c, buf + len, cap - len);
		if (n <= 0)
			goto fail;
		len += (size_t)n;
		if (!hend && (hend = find_header_end(buf, len)) != NULL)
			need = (size_t)(hend - buf) + content_length(buf, (size_t)(hend - buf));
	}
	buf[len] = '\0';
	return buf;
fail:
	free(buf);
	return NULL;
}

/* Send a reply; returns 1 when the connection must be closed afterwards. */
static int send_reply(struct conn *c, const ews_test_reply *r)
{
	size_t n = r->len;

	if (r->delay_ms)
		sleep_ms(r->delay_ms);
	if (r->drop)
		return 1;
	if (r->truncate_at && r->truncate_at < n)
		n = r->truncate_at;
	if (r->drip_ms) {
		for (size_t i = 0; i < n; i++) {
			if (conn_write(c, r->bytes + i, 1))
				return 1;
			sleep_ms(r->drip_ms);
		}
	} else if (conn_write(c, r->bytes, n)) {
		return 1;
	}
	if (r->tls_ticket_after && c->ssl && SSL_version(c->ssl) == TLS1_3_VERSION) {
		SSL_new_session_ticket(c->ssl);
		SSL_do_handshake(c->ssl); /* sends it now */
	}
	return r->close_after || r->truncate_at;
}

static void serve_connection(ews_test_http *s, struct conn *c)
{
	for (;;) {
		char *req = read_request(c);
		ews_test_reply r;
		int have, dynamic = 0, close_now;

		if (!req)
			return;
		if (s->responder) {
			memset(&r, 0, sizeof r);
			dynamic = s->responder(s->responder_arg, req, c->id, &r) == 0;
		}
		pthread_mutex_lock(&s->lock);
		if (s->nrequests < MAX_REQUESTS)
			s->requests[s->nrequests++] = req;
		else
			free(req);
		have = dynamic || s->next_reply < s->nreplies;
		if (have && !dynamic)
			r = s->replies[s->next_reply++];
		pthread_mutex_unlock(&s->lock);
		if (!have) {
			static const char none[] = "HTTP/1.1 503 No canned reply\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
			conn_write(c, none, sizeof none - 1);
			return;
		}
		if (dynamic && !r.len && r.bytes)
			r.len = strlen(r.bytes);
		close_now = send_reply(c, &r);
		if (dynamic)
			free((char *)r.bytes);
		if (close_now)
			return;
	}
}

static void *connection_main(void *arg)
{
	struct conn *c = arg;

	if (c->s->ssl_ctx) {
		c->ssl = SSL_new(c->s->ssl_ctx);
		if (c->ssl) {
			SSL_set_fd(c->ssl, c->fd);
			if (SSL_accept(c->ssl) == 1)
				serve_connection(c->s, c);
			else
				ERR_clear_error();
			SSL_shutdown(c->ssl);
			SSL_free(c->ssl);
		}
	} else {
		serve_connection(c->s, c);
	}
	close(c->fd);
	pthread_mutex_lock(&c->s->lock);
	c->s->nclosed++;
	pthread_mutex_unlock(&c->s->lock);
	free(c);
	return NULL;
}

static void *server_main(void *arg)
{
	ews_test_http *s = arg;

	for (;;) {
		struct pollfd p[2] = { { s->listen_fd, POLLIN, 0 }, { s->stop_pipe[0], POLLIN, 0 } };
		struct conn *c;
		int fd;

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents)
			break;
		if (!(p[0].revents & POLLIN))
			continue;
		fd = accept(s->listen_fd, NULL, NULL);
		if (fd < 0)
			continue;
		c = calloc(1, sizeof *c);
		pthread_mutex_lock(&s->lock);
		s->nconnections++;
		if (!c || s->nthreads == MAX_CONNECTIONS) {
			pthread_mutex_unlock(&s->lock);
			close(fd);
			free(c);
			continue;
		}
		c->s = s;
		c->id = s->nconnections - 1;
		c->fd = fd;
		if (pthread_create(&s->conn_threads[s->nthreads], NULL, connection_main, c) == 0)
			s->nthreads++;
		else {
			close(fd);
			free(c);
		}
		pthread_mutex_unlock(&s->lock);
	}
	return NULL;
}

/* A self-signed P-256 certificate (subject CN `cn`, subjectAltName `san`), written (PEM) to s->cert_file and
 * loaded into s->ssl_ctx. */
static int setup_tls(ews_test_http *s, const char *san, const char *cn)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *name;
	X509_EXTENSION *ext;
	X509V3_CTX v3;
	FILE *f;
	int fd, ok = 0;

	if (!key || !x)
		goto out;
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), (long)time(NULL));
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_set_pubkey(x, key);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, name);
	X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, san);
	if (!ext)
		goto out;
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	ext = X509V3_EXT_conf_nid(NULL, &v3, NID_basic_constraints, "critical,CA:TRUE");
	if (ext) {
		X509_add_ext(x, ext, -1);
		X509_EXTENSION_free(ext);
	}
	if (!X509_sign(x, key, EVP_sha256()))
		goto out;
	strcpy(s->cert_file, "/tmp/ews-test-cert.XXXXXX");
	fd = mkstemp(s->cert_file);
	if (fd < 0 || !(f = fdopen(fd, "w")))
		goto out;
	PEM_write_X509(f, x);
	fclose(f);
	s->ssl_ctx = SSL_CTX_new(TLS_server_method());
	ok = s->ssl_ctx && SSL_CTX_use_certificate(s->ssl_ctx, x) == 1 && SSL_CTX_use_PrivateKey(s->ssl_ctx, key) == 1;
out:
	X509_free(x);
	EVP_PKEY_free(key);
	return ok ? 0 : -1;
}

ews_test_http *ews_test_http_start(int tls)
{
	return tls ? ews_test_http_start_tls("IP:127.0.0.1", "127.0.0.1") : ews_test_http_start_tls(NULL, NULL);
}

ews_test_http *ews_test_http_start_tls(const char *san, const char *cn)
{
	int tls = san != NULL;
	ews_test_http *s = calloc(1, sizeof *s);
	struct sockaddr_in a;
	socklen_t alen = sizeof a;
	int one = 1;

	if (!s)
		return NULL;
	signal(SIGPIPE, SIG_IGN); /* SSL_write to a client that went away must fail, not kill the test */
	s->listen_fd = -1;
	s->stop_pipe[0] = s->stop_pipe[1] = -1;
	pthread_mutex_init(&s->lock, NULL);
	if (tls && setup_tls(s, san, cn))
		goto fail;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = 0;
	s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	if (s->listen_fd < 0 || setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
	    bind(s->listen_fd, (struct sockaddr *)&a, sizeof a) || listen(s->listen_fd, 8) ||
	    getsockname(s->listen_fd, (struct sockaddr *)&a, &alen) || pipe(s->stop_pipe))
		goto fail;
	snprintf(s->url, sizeof s->url, "%s://127.0.0.1:%u/EWS/Exchange.asmx", tls ? "https" : "http",
	         (unsigned)ntohs(a.sin_port));
	if (pthread_create(&s->thread, NULL, server_main, s))
		goto fail;
	return s;
fail:
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	if (s->stop_pipe[0] >= 0) {
		close(s->stop_pipe[0]);
		close(s->stop_pipe[1]);
	}
	if (s->ssl_ctx)
		SSL_CTX_free(s->ssl_ctx);
	if (s->cert_file[0])
		unlink(s->cert_file);
	pthread_mutex_destroy(&s->lock);
	free(s);
	return NULL;
}

void ews_test_http_stop(ews_test_http *s)
{
	if (!s)
		return;
	__atomic_store_n(&s->stopping, 1, __ATOMIC_RELAXED);
	if (write(s->stop_pipe[1], "x", 1) != 1) {
		/* the thread would never end; nothing else to do in a test */
	}
	pthread_join(s->thread, NULL);
	for (int i = 0; i < s->nthreads; i++)
		pthread_join(s->conn_threads[i], NULL);
	close(s->listen_fd);
	close(s->stop_pipe[0]);
	close(s->stop_pipe[1]);
	for (int i = 0; i < s->nreplies; i++)
		free((char *)s->replies[i].bytes);
	for (int i = 0; i < s->nrequests; i++)
		free(s->requests[i]);
	if (s->ssl_ctx)
		SSL_CTX_free(s->ssl_ctx);
	if (s->cert_file[0])
		unlink(s->cert_file);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

int ews_test_http_queue(ews_test_http *s, const ews_test_reply *r)
{
	ews_test_reply copy = *r;
	char *bytes;

	if (!copy.len && copy.bytes)
		copy.len = strlen(copy.bytes);
	bytes = malloc(copy.len + 1);
	if (!bytes)
		return -1;
	if (copy.len)
		memcpy(bytes, r->bytes, copy.len);
	bytes[copy.len] = '\0';
	copy.bytes = bytes;
	pthread_mutex_lock(&s->lock);
	if (s->nreplies == MAX_REPLIES) {
		pthread_mutex_unlock(&s->lock);
		free(bytes);
		return -1;
	}
	s->replies[s->nreplies++] = copy;
	pthread_mutex_unlock(&s->lock);
	return 0;
}

static const char *reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	default: return "Status";
	}
}

char *ews_test_http_response(int status, const char *extra_headers, const char *body, size_t *len)
{
	size_t blen = body ? strlen(body) : 0, cap = blen + (extra_headers ? strlen(extra_headers) : 0) + 256;
	char *buf = malloc(cap);
	int n;

	if (!buf)
		return NULL;
	n = snprintf(buf, cap, "HTTP/1.1 %d %s\r\nContent-Type: text/xml; charset=utf-8\r\n%sContent-Length: %zu\r\n\r\n",
	             status, reason(status), extra_headers ? extra_headers : "", blen);
	if (blen)
		memcpy(buf + n, body, blen);
	buf[(size_t)n + blen] = '\0';
	if (len)
		*len = (size_t)n + blen;
	return buf;
}

int ews_test_http_queue_simple(ews_test_http *s, int status, const char *extra_headers, const char *body)
{
	ews_test_reply r;
	int rc;

	memset(&r, 0, sizeof r);
	r.bytes = ews_test_http_response(status, extra_headers, body, &r.len);
	if (!r.bytes)
		return -1;
	rc = ews_test_http_queue(s, &r);
	free((char *)r.bytes);
	return rc;
}

void ews_test_http_set_responder(ews_test_http *s, ews_test_responder fn, void *arg)
{
	pthread_mutex_lock(&s->lock);
	s->responder = fn;
	s->responder_arg = arg;
	pthread_mutex_unlock(&s->lock);
}

void ews_test_http_set_tls_max_version(ews_test_http *s, int max_version)
{
	if (!s->ssl_ctx)
		return;
	SSL_CTX_set_security_level(s->ssl_ctx, 0);
	SSL_CTX_set_cipher_list(s->ssl_ctx, "DEFAULT@SECLEVEL=0");
	SSL_CTX_set_min_proto_version(s->ssl_ctx, TLS1_VERSION);
	SSL_CTX_set_max_proto_version(s->ssl_ctx, max_version);
}

const char *ews_test_http_url(const ews_test_http *s)
{
	return s->url;
}

const char *ews_test_http_cert_file(const ews_test_http *s)
{
	return s->cert_file[0] ? s->cert_file : NULL;
}

int ews_test_http_request_count(ews_test_http *s)
{
	int n;
	pthread_mutex_lock(&s->lock);
	n = s->nrequests;
	pthread_mutex_unlock(&s->lock);
	return n;
}

int ews_test_http_connection_count(ews_test_http *s)
{
	int n;
	pthread_mutex_lock(&s->lock);
	n = s->nconnections;
	pthread_mutex_unlock(&s->lock);
	return n;
}

int ews_test_http_closed_count(ews_test_http *s)
{
	int n;
	pthread_mutex_lock(&s->lock);
	n = s->nclosed;
	pthread_mutex_unlock(&s->lock);
	return n;
}

char *ews_test_http_request(ews_test_http *s, int i)
{
	char *copy = NULL;
	pthread_mutex_lock(&s->lock);
	if (i >= 0 && i < s->nrequests)
		copy = strdup(s->requests[i]);
	pthread_mutex_unlock(&s->lock);
	return copy;
}

char *ews_test_http_request_header(ews_test_http *s, int i, const char *name)
{
	char *req = ews_test_http_request(s, i), *p, *end, *val = NULL;
	size_t nlen = strlen(name);

	if (!req)
		return NULL;
	end = strstr(req, "\r\n\r\n");
	for (p = strstr(req, "\r\n"); p && end && p < end; p = strstr(p, "\r\n")) {
		p += 2;
		if (!strncasecmp(p, name, nlen) && p[nlen] == ':') {
			char *v = p + nlen + 1, *e = strstr(v, "\r\n");
			while (*v == ' ')
				v++;
			val = strndup(v, (size_t)(e - v));
			break;
		}
	}
	free(req);
	return val;
}

char *ews_test_soap_envelope(const char *header_xml, const char *body_xml)
{
	static const char fmt[] =
		"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
		"<s:Header>%s</s:Header><s:Body>%s</s:Body></s:Envelope>";
	size_t cap = sizeof fmt + (header_xml ? strlen(header_xml) : 0) + strlen(body_xml);
	char *out = malloc(cap);
	if (out)
		snprintf(out, cap, fmt, header_xml ? header_xml : "", body_xml);
	return out;
}
