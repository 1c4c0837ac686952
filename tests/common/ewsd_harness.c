/* ewsd_harness.c — spawn/stop build/bin/ewsd, raw HTTP over sockets, XML value picking for the ewsd suites. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ews/base64.h"
#include "ews_test.h"
#include "ewsd_harness.h"

extern char **environ;

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void rm_tree(const char *dir)
{
	if (dir[0])
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* EWSD_WRAPPER (opt-in, e.g. "valgrind -q --log-file=DIR/ewsd.%p.log" from `make check-valgrind`): words put
 * before ewsd's own argv, split at spaces (no quoting), so the server the suites drive is checked too. Unset: ewsd
 * runs directly, as always. Returns the number of words stored in argv (at most max). */
static int wrapper_words(const char *argv[], int max)
{
	static char buf[1024];
	const char *w = getenv("EWSD_WRAPPER");
	int n = 0;
	if (!w || !*w)
		return 0;
	snprintf(buf, sizeof buf, "%s", w);
	for (char *save = NULL, *t = strtok_r(buf, " \t", &save); t && n < max; t = strtok_r(NULL, " \t", &save))
		argv[n++] = t;
	return n;
}

/* A wrapper such as valgrind makes ewsd's exit (the leak check) slow: ewsd_stop waits that much longer. */
static int stop_wait_rounds(void)
{
	const char *w = getenv("EWSD_WRAPPER");
	return w && *w ? 1200 : 100;   /* x 50 ms: 60 s, or 5 s */
}

int ewsd_start(struct ewsd_proc *p, const char *dir, const char *const *extra)
{
	char bin[512], log[300];
	const char *argv[72];
	int pipefd[2], n = 0;
	posix_spawn_file_actions_t fa;

	memset(p, 0, sizeof *p);
	if (dir) {
		snprintf(p->dir, sizeof p->dir, "%s", dir);
	} else {
		snprintf(p->dir, sizeof p->dir, "/tmp/ewsd-test.XXXXXX");
		if (!mkdtemp(p->dir))
			return -1;
	}
	snprintf(bin, sizeof bin, "%s/bin/ewsd", ews_test_build_dir());
	snprintf(log, sizeof log, "%s/ewsd.log", p->dir);
	n = wrapper_words(argv, 30);
	argv[n++] = bin;
	argv[n++] = "--listen";
	argv[n++] = "127.0.0.1:0";
	argv[n++] = "--data";
	argv[n++] = p->dir;
	argv[n++] = "--log";
	argv[n++] = log;
	argv[n++] = "--exit-on-stdin-eof";   /* a crashed test leaves no server behind */
	for (int i = 0; extra && extra[i] && n < 70; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	int inpipe[2];
	if (pipe(pipefd))
		return -1;
	if (pipe(inpipe)) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	posix_spawn_file_actions_addclose(&fa, pipefd[0]);
	posix_spawn_file_actions_adddup2(&fa, inpipe[0], 0);
	posix_spawn_file_actions_addclose(&fa, inpipe[1]);
	if (posix_spawnp(&p->pid, argv[0], &fa, NULL, (char *const *)argv, environ)) {
		posix_spawn_file_actions_destroy(&fa);
		close(pipefd[0]);
		close(pipefd[1]);
		close(inpipe[0]);
		close(inpipe[1]);
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	close(inpipe[0]);
	p->stdin_fd = inpipe[1];     /* closed by ewsd_stop/ewsd_kill, or by the kernel when this process dies */
	fcntl(p->stdin_fd, F_SETFD, FD_CLOEXEC);
	FILE *f = fdopen(pipefd[0], "r");
	if (!f || !fgets(p->url, sizeof p->url, f)) {
		if (f)
			fclose(f);
		ewsd_kill(p);
		return -1;
	}
	fclose(f);
	p->url[strcspn(p->url, "\r\n")] = '\0';
	const char *colon = strrchr(p->url, ':');
	p->port = colon ? atoi(colon + 1) : 0;
	return p->port > 0 ? 0 : -1;
}

int ewsd_stop(struct ewsd_proc *p, int keep_dir)
{
	int status = -1;
	if (p->pid > 0) {
		kill(p->pid, SIGTERM);
		int rounds = stop_wait_rounds();
		for (int i = 0; i < rounds; i++) {
			pid_t r = waitpid(p->pid, &status, WNOHANG);
			if (r == p->pid)
				break;
			if (i == rounds - 1) {
				kill(p->pid, SIGKILL);
				waitpid(p->pid, &status, 0);
				status = -1;
				break;
			}
			usleep(50000);
		}
		p->pid = 0;
	}
	if (p->stdin_fd > 0)
		close(p->stdin_fd);
	p->stdin_fd = 0;
	if (!keep_dir)
		rm_tree(p->dir);
	return status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void ewsd_kill(struct ewsd_proc *p)
{
	if (p->pid > 0) {
		kill(p->pid, SIGKILL);
		waitpid(p->pid, NULL, 0);
		p->pid = 0;
	}
	if (p->stdin_fd > 0)
		close(p->stdin_fd);
	p->stdin_fd = 0;
}

int ewsd_seed(const char *dir, const char *mailbox, int items, int seed)
{
	char bin[512], n[32], s[32];
	pid_t pid;
	int status;
	snprintf(bin, sizeof bin, "%s/bin/ewsd", ews_test_build_dir());
	snprintf(n, sizeof n, "%d", items);
	snprintf(s, sizeof s, "%d", seed);
	const char *own[] = { bin, "seed", "--data", dir, "--mailbox", mailbox, "--items", n, "--seed", s, NULL };
	const char *argv[48];
	int k = wrapper_words(argv, 30);
	for (int i = 0; i < (int)(sizeof own / sizeof *own); i++)
		argv[k++] = own[i];
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	int rc = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* ---- HTTP ---- */

int ewsd_connect_local(int port)
{
	struct sockaddr_in a;
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct timeval tv = { 20, 0 };
	if (s < 0)
		return -1;
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(s, (struct sockaddr *)&a, sizeof a)) {
		close(s);
		return -1;
	}
	return s;
}

int ewsd_send_all(int s, const char *p, size_t n)
{
	while (n) {
		ssize_t k = send(s, p, n, MSG_NOSIGNAL);
		if (k <= 0)
			return -1;
		p += k, n -= (size_t)k;
	}
	return 0;
}

/* Decode a chunked body in place; returns the new length. */
static size_t unchunk(char *b, size_t n)
{
	size_t r = 0, w = 0;
	while (r < n) {
		char *end;
		unsigned long sz = strtoul(b + r, &end, 16);
		char *nl = strstr(b + r, "\r\n");
		if (!nl || end == b + r)
			break;
		r = (size_t)(nl - b) + 2;
		if (sz == 0 || r + sz > n)
			break;
		memmove(b + w, b + r, sz);
		w += sz, r += sz + 2;
	}
	b[w] = '\0';
	return w;
}

int http_request(const struct ewsd_proc *p, const char *method, const char *path, const char *extra_headers,
		 const char *body, size_t len, struct http_resp *out)
{
	char head[4096];
	size_t cap = 65536, n = 0;
	char *buf;
	int s;

	memset(out, 0, sizeof *out);
	out->status = -1;
	if ((s = ewsd_connect_local(p->port)) < 0)
		return -1;
	int k = snprintf(head, sizeof head, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n%s"
			 "Content-Type: text/xml; charset=utf-8\r\nContent-Length: %zu\r\n\r\n", method, path, p->port,
			 extra_headers ? extra_headers : "", body ? len : 0);
	if (ewsd_send_all(s, head, (size_t)k) || (body && len && ewsd_send_all(s, body, len))) {
		close(s);
		return -1;
	}
	buf = malloc(cap + 1);
	for (;;) {
		if (n == cap) {
			char *g = realloc(buf, (cap *= 2) + 1);
			if (!g)
				break;
			buf = g;
		}
		ssize_t r = recv(s, buf + n, cap - n, 0);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(s);
	buf[n] = '\0';
	out->status = 0;
	if (n < 12 || strncmp(buf, "HTTP/1.", 7)) {
		out->body = buf;
		out->headers = strdup("");
		return 0;
	}
	out->status = atoi(buf + 9);
	char *sep = strstr(buf, "\r\n\r\n");
	size_t hl = sep ? (size_t)(sep - buf) + 4 : n;
	out->headers = strndup(buf, hl);
	out->len = n - hl;
	out->body = malloc(out->len + 1);
	memcpy(out->body, buf + hl, out->len);
	out->body[out->len] = '\0';
	free(buf);
	if (strcasestr(out->headers, "Transfer-Encoding: chunked"))
		out->len = unchunk(out->body, out->len);
	return 0;
}

void http_resp_free(struct http_resp *r)
{
	free(r->headers);
	free(r->body);
	r->headers = r->body = NULL;
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int ews_post(const struct ewsd_proc *p, const char *user, const char *version, const char *header_xml,
	     const char *body_xml, struct http_resp *out)
{
	return ews_post_http(p, user, version, header_xml, NULL, body_xml, out);
}

char *ews_post_body(const struct ewsd_proc *p, const char *user, const char *version, const char *body_xml)
{
	struct http_resp r;
	if (ews_post(p, user, version, NULL, body_xml, &r)) {
		http_resp_free(&r);
		return NULL;
	}
	free(r.headers);
	return r.body;
}

char *ewsd_save_message(const struct ewsd_proc *p, const char *user, const char *version, const char *folder,
			const char *subject)
{
	char body[1024];
	snprintf(body, sizeof body, "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:SavedItemFolderId>"
		 "<t:DistinguishedFolderId Id=\"%s\"/></m:SavedItemFolderId><m:Items><t:Message><t:Subject>%s</t:Subject>"
		 "</t:Message></m:Items></m:CreateItem>", folder, subject);
	char *r = ews_post_body(p, user, version, body);
	char *id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(r);
	return id;
}

int ewsd_start_with_users(struct ewsd_proc *p, const char *const *lines)
{
	char dir[] = "/tmp/ewsd-users.XXXXXX", path[300];
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/users", dir);
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	for (int i = 0; lines[i]; i++)
		fprintf(f, "%s\n", lines[i]);
	if (fclose(f))
		return -1;
	const char *args[] = { "--users", path, NULL };
	return ewsd_start(p, dir, args);
}

char *ewsd_post_shared_file(const struct ewsd_proc *p, const char *rel_path, const char *user)
{
	size_t n;
	struct http_resp r;
	char auth[512] = "", cred[300];
	char *rq = ews_test_read_file(ews_test_shared_path(rel_path), &n);
	if (!rq)
		return NULL;
	if (user) {
		char *basic = NULL;
		snprintf(cred, sizeof cred, "%s:secret", user);
		if (!ews_ok(ews_base64_encode((const unsigned char *)cred, strlen(cred), &basic))) {
			free(rq);
			return NULL;
		}
		snprintf(auth, sizeof auth, "Authorization: Basic %s\r\n", basic);
		free(basic);
	}
	int bad = http_request(p, "POST", "/EWS/Exchange.asmx", *auth ? auth : NULL, rq, n, &r);
	free(rq);
	if (bad) {
		http_resp_free(&r);
		return NULL;
	}
	free(r.headers);
	return r.body;
}

int ews_post_http(const struct ewsd_proc *p, const char *user, const char *version, const char *header_xml,
		  const char *http_headers, const char *body_xml, struct http_resp *out)
{
	char auth[1024] = "";
	size_t n = strlen(body_xml) + (header_xml ? strlen(header_xml) : 0) + 1024;
	char *env = malloc(n);
	int rc;
	if (user) {
		/* Basic user:password (password "secret") */
		char cred[300], enc[420];
		size_t cl = (size_t)snprintf(cred, sizeof cred, "%s:secret", user), e = 0;
		for (size_t i = 0; i < cl; i += 3) {
			unsigned v = (unsigned char)cred[i] << 16 | (i + 1 < cl ? (unsigned char)cred[i + 1] << 8 : 0) |
				     (i + 2 < cl ? (unsigned char)cred[i + 2] : 0);
			enc[e++] = b64[v >> 18];
			enc[e++] = b64[(v >> 12) & 63];
			enc[e++] = i + 1 < cl ? b64[(v >> 6) & 63] : '=';
			enc[e++] = i + 2 < cl ? b64[v & 63] : '=';
		}
		enc[e] = '\0';
		snprintf(auth, sizeof auth, "Authorization: Basic %s\r\n", enc);
	}
	if (http_headers)
		snprintf(auth + strlen(auth), sizeof auth - strlen(auth), "%s", http_headers);
	char ver[128] = "";
	if (version)
		snprintf(ver, sizeof ver, "<t:RequestServerVersion Version=\"%s\"/>", version);
	snprintf(env, n,
		 "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		 "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" "
		 "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\" "
		 "xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\">"
		 "<soap:Header>%s%s</soap:Header><soap:Body>%s</soap:Body></soap:Envelope>",
		 ver, header_xml ? header_xml : "", body_xml);
	rc = http_request(p, "POST", "/EWS/Exchange.asmx", auth, env, strlen(env), out);
	free(env);
	return rc;
}

/* ---- XML picking ---- */

/* Start of the nth element with local name `elem`; *open_end set past the start tag's '>'. */
static const char *find_elem(const char *xml, const char *elem, int nth, const char **tag_end)
{
	size_t el = strlen(elem);
	for (const char *p = xml; (p = strchr(p, '<')); p++) {
		const char *name = p + 1, *colon;
		if (*name == '/' || *name == '?' || *name == '!')
			continue;
		const char *stop = name + strcspn(name, " \t\r\n/>");
		colon = memchr(name, ':', (size_t)(stop - name));
		if (colon)
			name = colon + 1;
		if ((size_t)(stop - name) != el || strncmp(name, elem, el))
			continue;
		if (nth-- > 0)
			continue;
		if (tag_end) {
			const char *gt = strchr(stop, '>');
			*tag_end = gt ? gt + 1 : stop;
		}
		return p;
	}
	return NULL;
}

char *xml_attr(const char *xml, const char *elem, const char *attr, int nth)
{
	const char *end, *p = find_elem(xml, elem, nth, &end);
	size_t al = strlen(attr);
	if (!p)
		return NULL;
	for (const char *a = p + 1; a < end; a++) {
		if ((a[-1] == ' ' || a[-1] == '\t' || a[-1] == '\n') && !strncmp(a, attr, al) && a[al] == '=' &&
		    (a[al + 1] == '"' || a[al + 1] == '\'')) {
			const char *v = a + al + 2, *q = strchr(v, a[al + 1]);
			return q ? strndup(v, (size_t)(q - v)) : NULL;
		}
	}
	return NULL;
}

char *xml_text(const char *xml, const char *elem, int nth)
{
	const char *end, *p = find_elem(xml, elem, nth, &end);
	if (!p)
		return NULL;
	if (end[-2] == '/')
		return strdup("");
	const char *lt = strchr(end, '<');
	return lt ? strndup(end, (size_t)(lt - end)) : NULL;
}

int xml_count(const char *xml, const char *elem)
{
	int n = 0;
	while (find_elem(xml, elem, n, NULL))
		n++;
	return n;
}

char *xml_element(const char *xml, const char *elem, int nth)
{
	const char *end, *p = find_elem(xml, elem, nth, &end);
	if (!p)
		return NULL;
	if (end[-2] == '/')
		return strndup(p, (size_t)(end - p));
	/* find the matching close tag of the same local name, counting nesting */
	int depth = 1;
	const char *q = end;
	size_t el = strlen(elem);
	while (depth > 0 && (q = strchr(q, '<'))) {
		int closing = q[1] == '/';
		const char *name = q + 1 + closing, *stop = name + strcspn(name, " \t\r\n/>"), *colon;
		colon = memchr(name, ':', (size_t)(stop - name));
		if (colon)
			name = colon + 1;
		if ((size_t)(stop - name) == el && !strncmp(name, elem, el)) {
			const char *gt = strchr(stop, '>');
			if (!closing && gt && gt[-1] != '/')
				depth++;
			else if (closing)
				depth--;
			if (depth == 0)
				return strndup(p, (size_t)((gt ? gt + 1 : stop) - p));
		}
		q++;
	}
	return NULL;
}
