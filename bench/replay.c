/* replay.c — bench-replay: records the exact HTTP exchanges between a client and ewsd, and serves them back, so
 * the client can be measured against canned responses (ewsd's own CPU then shares nothing with the client's
 * measurement, and every run parses the very same bytes that the bare libxml2 pass parses).
 *
 *   bench-replay record HOST:PORT DIR    proxy to ewsd at HOST:PORT, writing DIR/NNNNNN.req (request body),
 *                                        .resp (the raw HTTP response) and .body (its body as XML: de-chunked,
 *                                        and inflated when the response was gzip-encoded)
 *   bench-replay serve DIR               answer request k with response k (in order, wrapping around to the
 *                                        first after the last); a request whose body differs from the recorded
 *                                        one gets HTTP 500 and a line on stderr, so a wrong replay is loud
 *
 * Both listen on 127.0.0.1, print the port on the first line of stdout, and serve one connection at a time
 * (the client keeps one) until SIGTERM. Responses with "Connection: close" close the connection as ewsd did.
 * Bounded: messages over 256 MiB are refused. */
#define _GNU_SOURCE /* strcasestr */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <zlib.h>

#define MAX_MESSAGE (256u << 20)

typedef struct buf {
	char *p;
	size_t len, cap;
} buf;

typedef struct conn {
	int fd;
	buf in;   /* bytes read and not yet consumed */
	size_t pos;
} conn;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void buf_add(buf *b, const char *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;
		while (cap < b->len + n + 1)
			cap *= 2;
		if (!(b->p = realloc(b->p, cap)))
			die("realloc");
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* Make at least `need` unconsumed bytes available; 0 on EOF/error first. */
static int fill(conn *c, size_t need)
{
	char tmp[65536];

	while (c->in.len - c->pos < need) {
		ssize_t r = read(c->fd, tmp, sizeof tmp);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return 0;
		buf_add(&c->in, tmp, (size_t)r);
	}
	return 1;
}

/* Take n bytes into raw (and body, when given). */
static int take(conn *c, size_t n, buf *raw, buf *body)
{
	if (!fill(c, n))
		return 0;
	buf_add(raw, c->in.p + c->pos, n);
	if (body)
		buf_add(body, c->in.p + c->pos, n);
	c->pos += n;
	if (c->pos == c->in.len)
		c->pos = c->in.len = 0;
	return 1;
}

/* One line ending in CRLF (included) into raw; its text without CRLF in line. */
static int take_line(conn *c, buf *raw, char *line, size_t size)
{
	char *nl;
	size_t n;

	for (;;) {
		nl = c->in.len > c->pos ? memchr(c->in.p + c->pos, '\n', c->in.len - c->pos) : NULL;
		if (nl)
			break;
		if (c->in.len - c->pos > 65536 || !fill(c, c->in.len - c->pos + 1))
			return 0;
	}
	n = (size_t)(nl - (c->in.p + c->pos)) + 1;
	snprintf(line, size, "%.*s", (int)(n > 1 && nl[-1] == '\r' ? n - 2 : n - 1), c->in.p + c->pos);
	return take(c, n, raw, NULL);
}

/* One HTTP message (request or response): raw = its bytes as sent, body = the decoded body. `close` is set when
 * it says "Connection: close". 0 at EOF or on a malformed message. */
static int read_message(conn *c, buf *raw, buf *body, int *close, int *gzip)
{
	char line[8192];
	unsigned long long length = 0;
	int chunked = 0, first = 1;

	raw->len = body->len = 0;
	*close = *gzip = 0;
	for (;;) {
		if (!take_line(c, raw, line, sizeof line))
			return 0;
		if (!*line && first)
			continue; /* a stray CRLF between messages */
		if (!*line)
			break;
		first = 0;
		if (!strncasecmp(line, "Content-Length:", 15))
			length = strtoull(line + 15, NULL, 10);
		else if (!strncasecmp(line, "Transfer-Encoding:", 18) && strcasestr(line, "chunked"))
			chunked = 1;
		else if (!strncasecmp(line, "Connection:", 11) && strcasestr(line, "close"))
			*close = 1;
		else if (!strncasecmp(line, "Content-Encoding:", 17) && strcasestr(line, "gzip"))
			*gzip = 1;
	}
	if (!chunked)
		return length <= MAX_MESSAGE && take(c, (size_t)length, raw, body);
	for (;;) {
		unsigned long n;
		if (!take_line(c, raw, line, sizeof line))
			return 0;
		n = strtoul(line, NULL, 16);
		if (n > MAX_MESSAGE || body->len + n > MAX_MESSAGE)
			return 0;
		if (n == 0) {
			while (take_line(c, raw, line, sizeof line) && *line) /* trailers */
				;
			return 1;
		}
		if (!take(c, n, raw, body) || !take_line(c, raw, line, sizeof line))
			return 0;
	}
}

/* The gzip body `in` inflated into `out`; 0 when it is corrupt. */
static int gunzip(const buf *in, buf *out)
{
	z_stream z = { 0 };
	char tmp[65536];
	int rc = Z_OK;

	out->len = 0;
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return 0;
	z.next_in = (unsigned char *)in->p;
	z.avail_in = (unsigned)in->len;
	while (rc == Z_OK) {
		z.next_out = (unsigned char *)tmp;
		z.avail_out = sizeof tmp;
		rc = inflate(&z, Z_NO_FLUSH);
		if (rc == Z_OK || rc == Z_STREAM_END)
			buf_add(out, tmp, sizeof tmp - z.avail_out);
	}
	inflateEnd(&z);
	return rc == Z_STREAM_END;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return 0;
		p += w;
		n -= (size_t)w;
	}
	return 1;
}

static int listen_loopback(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t n = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
	    bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 16) || getsockname(fd, (struct sockaddr *)&a, &n))
		die("listen");
	printf("%d\n", ntohs(a.sin_port));
	fflush(stdout);
	return fd;
}

static int accept_one(int lfd)
{
	int fd, one = 1;

	while ((fd = accept(lfd, NULL, NULL)) < 0)
		if (errno != EINTR)
			die("accept");
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

static int connect_upstream(const char *hostport)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	char host[256];
	const char *colon = strrchr(hostport, ':');
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (!colon || (size_t)(colon - hostport) >= sizeof host)
		return -1;
	snprintf(host, sizeof host, "%.*s", (int)(colon - hostport), hostport);
	a.sin_port = htons((unsigned short)atoi(colon + 1));
	if (fd < 0 || inet_pton(AF_INET, host, &a.sin_addr) != 1 || connect(fd, (struct sockaddr *)&a, sizeof a)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

static void save(const char *dir, long k, const char *ext, const buf *b)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%06ld.%s", dir, k, ext);
	if (!(f = fopen(path, "wb")) || fwrite(b->p ? b->p : "", 1, b->len, f) != b->len || fclose(f))
		die(path);
}

static int load(const char *dir, long k, const char *ext, buf *b)
{
	char path[4096], tmp[65536];
	FILE *f;
	size_t r;

	snprintf(path, sizeof path, "%s/%06ld.%s", dir, k, ext);
	if (!(f = fopen(path, "rb")))
		return 0;
	while ((r = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_add(b, tmp, r);
	fclose(f);
	if (!b->p)
		buf_add(b, "", 0);
	return 1;
}

static void __attribute__((noreturn)) record(const char *upstream, const char *dir)
{
	int lfd = listen_loopback();
	long k = 0;
	buf req = { 0 }, req_body = { 0 }, resp = { 0 }, resp_body = { 0 }, xml = { 0 };

	for (;;) {
		conn cl = { .fd = accept_one(lfd) }, up = { .fd = connect_upstream(upstream) };
		int close_req, close_resp, gz;

		if (up.fd < 0) {
			fprintf(stderr, "bench-replay: cannot connect to %s\n", upstream);
			close(cl.fd);
			continue;
		}
		while (read_message(&cl, &req, &req_body, &close_req, &gz)) {
			if (!write_all(up.fd, req.p, req.len) || !read_message(&up, &resp, &resp_body, &close_resp, &gz))
				break;
			if (gz && !gunzip(&resp_body, &xml)) {
				fprintf(stderr, "bench-replay: response %ld: corrupt gzip body\n", k);
				break;
			}
			save(dir, k, "req", &req_body);
			save(dir, k, "resp", &resp);
			save(dir, k, "body", gz ? &xml : &resp_body);
			k++;
			if (!write_all(cl.fd, resp.p, resp.len) || close_req || close_resp)
				break;
		}
		close(up.fd);
		close(cl.fd);
		free(cl.in.p);
		free(up.in.p);
	}
}

static int same(const buf *a, const buf *b)
{
	return a->len == b->len && (!a->len || !memcmp(a->p, b->p, a->len));
}

static void __attribute__((noreturn)) serve(const char *dir)
{
	int lfd = listen_loopback();
	long n = 0, cursor = 0;
	buf *reqs = NULL, *resps = NULL, req = { 0 }, body = { 0 };
	int *closes = NULL;

	for (;; n++) {
		buf q = { 0 }, r = { 0 };
		if (!load(dir, n, "req", &q) || !load(dir, n, "resp", &r)) {
			free(q.p);
			free(r.p);
			break;
		}
		if (!(reqs = realloc(reqs, (n + 1) * sizeof *reqs)) || !(resps = realloc(resps, (n + 1) * sizeof *resps)) ||
		    !(closes = realloc(closes, (n + 1) * sizeof *closes)))
			die("realloc");
		reqs[n] = q;
		resps[n] = r;
		{
			/* "Connection: close" among the headers (before the blank line) */
			char *end = strstr(r.p, "\r\n\r\n");
			char *hit = strcasestr(r.p, "\nConnection: close");
			closes[n] = hit && end && hit < end;
		}
	}
	if (!n) {
		fprintf(stderr, "bench-replay: no recording in %s\n", dir);
		exit(1);
	}
	for (;;) {
		conn cl = { .fd = accept_one(lfd) };
		int close_req, gz;

		while (read_message(&cl, &req, &body, &close_req, &gz)) {
			if (!same(&body, &reqs[cursor]) && same(&body, &reqs[0]))
				cursor = 0; /* a new run starting over (the previous one failed part-way) */
			if (!same(&body, &reqs[cursor])) {
				static const char err[] = "HTTP/1.1 500 Replay Mismatch\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
				fprintf(stderr, "bench-replay: request %ld differs from the recording (%zu vs %zu bytes)\n",
				        cursor, body.len, reqs[cursor].len);
				write_all(cl.fd, err, sizeof err - 1);
				break;
			}
			if (!write_all(cl.fd, resps[cursor].p, resps[cursor].len))
				break;
			close_req |= closes[cursor];
			cursor = (cursor + 1) % n;
			if (close_req)
				break;
		}
		close(cl.fd);
		free(cl.in.p);
	}
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	if (argc == 4 && !strcmp(argv[1], "record"))
		record(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "serve"))
		serve(argv[2]);
	fprintf(stderr, "usage: bench-replay record HOST:PORT DIR | bench-replay serve DIR\n");
	return 2;
}
