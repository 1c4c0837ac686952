/* ews_oauth2_store.c — the token cache file of a delegated sign-in: private (0600, refused otherwise, as ssh
 * refuses a readable private key) and replaced atomically (a refresh rotates the refresh token, and losing the
 * new one to a crash would force a new sign-in).
 *
 * Format, one "name value" a line: access_token, refresh_token, expires_at (Unix seconds); '#' lines comments. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ews_fd.h"
#include "ews_internal.h"
#include "ews_oauth2_internal.h"

#define MAX_CACHE_FILE (64u << 10)

void ews_oauth2_tokens_clear(ews_oauth2_tokens *t)
{
	ews_free_secret(t->access_token);
	ews_free_secret(t->refresh_token);
	t->access_token = t->refresh_token = NULL;
	t->expires_at = 0;
}

/* A token goes into an HTTP header or form: printable ASCII without blanks. */
static int token_text_ok(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7F)
			return 0;
	return 1;
}

static ews_status parse_cache(const char *path, char *text, ews_oauth2_tokens *out)
{
	char *save = NULL;
	int lineno = 0;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *value, **slot = NULL;
		size_t n = strlen(line);
		lineno++;
		if (n && line[n - 1] == '\r')
			line[--n] = '\0';
		if (!n || line[0] == '#')
			continue;
		value = strchr(line, ' ');
		if (!value)
			return ews_status_make(EWS_ERR_FORMAT, "%.200s:%d: not a libews token cache line", path, lineno);
		*value++ = '\0';
		if (!strcmp(line, "access_token"))
			slot = &out->access_token;
		else if (!strcmp(line, "refresh_token"))
			slot = &out->refresh_token;
		else if (!strcmp(line, "expires_at")) {
			char *end;
			long long v = strtoll(value, &end, 10);
			if (*end || end == value || v < 0)
				return ews_status_make(EWS_ERR_FORMAT, "%.200s:%d: expires_at is not a time", path, lineno);
			out->expires_at = (time_t)v;
			continue;
		} else
			continue; /* a later version's field */
		if (!token_text_ok(value))
			return ews_status_make(EWS_ERR_FORMAT, "%.200s:%d: %s has spaces or control characters", path, lineno,
			                       line);
		ews_free_secret(*slot);
		if (!(*slot = strdup(value)))
			return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	}
	if (!out->access_token && !out->refresh_token)
		return ews_status_make(EWS_ERR_FORMAT, "%.200s holds no token: sign in again", path);
	return ews_status_ok();
}

ews_status ews_oauth2_store_load(const char *path, ews_oauth2_tokens *out)
{
	struct stat sb;
	char *text = NULL;
	ssize_t got;
	size_t len = 0;
	ews_status st;
	int fd;

	memset(out, 0, sizeof *out);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT)
			return ews_status_make(EWS_ERR_NOT_FOUND, "no token cache %.200s: sign in first", path);
		return ews_status_make(EWS_ERR_FILE, "cannot open the token cache %.200s: %s", path, strerror(errno));
	}
	/* checked on the open file, so nothing can swap it between the check and the read */
	if (fstat(fd, &sb)) {
		st = ews_status_make(EWS_ERR_FILE, "cannot stat the token cache %.200s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(sb.st_mode)) {
		st = ews_status_make(EWS_ERR_FORMAT, "the token cache %.200s is not a regular file", path);
		goto out;
	}
	if (sb.st_uid != geteuid()) {
		st = ews_status_make(EWS_ERR_AUTH, "the token cache %.200s belongs to another user; refusing to use it", path);
		goto out;
	}
	if (sb.st_mode & 077) {
		st = ews_status_make(EWS_ERR_AUTH, "the token cache %.200s is accessible by others (mode %04o); refusing to "
		                     "use it: chmod 600 it, and sign in again if others may have read it",
		                     path, (unsigned)(sb.st_mode & 07777));
		goto out;
	}
	if ((size_t)sb.st_size > MAX_CACHE_FILE) {
		st = ews_status_make(EWS_ERR_FORMAT, "the token cache %.200s is larger than %u bytes", path, MAX_CACHE_FILE);
		goto out;
	}
	text = malloc((size_t)sb.st_size + 1);
	if (!text) {
		st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
		goto out;
	}
	while (len < (size_t)sb.st_size && (got = read(fd, text + len, (size_t)sb.st_size - len)) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			st = ews_status_make(EWS_ERR_FILE, "cannot read the token cache %.200s: %s", path, strerror(errno));
			goto out;
		}
		len += (size_t)got;
	}
	text[len] = '\0';
	if (memchr(text, '\0', len)) {
		st = ews_status_make(EWS_ERR_FORMAT, "the token cache %.200s is not text", path);
		goto out;
	}
	st = parse_cache(path, text, out);
out:
	if (text) {
		memset(text, 0, len);
		free(text);
	}
	close(fd);
	if (!ews_ok(st))
		ews_oauth2_tokens_clear(out);
	return st;
}

ews_status ews_oauth2_store_save(const char *path, const ews_oauth2_tokens *t)
{
	size_t cap = strlen(path) + 16, len;
	char *tmp = malloc(cap), *text = NULL;
	ews_status st = ews_status_ok();
	int fd = -1, n;

	if (!tmp)
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	snprintf(tmp, cap, "%s.XXXXXX", path);
	len = 160 + (t->access_token ? strlen(t->access_token) : 0) + (t->refresh_token ? strlen(t->refresh_token) : 0);
	if (!(text = malloc(len))) {
		free(tmp);
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	}
	n = snprintf(text, len, "# libews OAuth2 token cache: secrets, keep it private (0600)\n%s%s%s%s%s%s"
	             "expires_at %lld\n", t->access_token ? "access_token " : "", t->access_token ? t->access_token : "",
	             t->access_token ? "\n" : "", t->refresh_token ? "refresh_token " : "",
	             t->refresh_token ? t->refresh_token : "", t->refresh_token ? "\n" : "", (long long)t->expires_at);
	/* mkstemp creates the file 0600 whatever the umask: the tokens are never readable by others, not even
	 * for a moment */
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		st = ews_status_make(EWS_ERR_FILE, "cannot create the token cache %.200s: %s", tmp, strerror(errno));
		tmp[0] = '\0'; /* nothing was created */
		goto out;
	}
	if (n < 0 || (size_t)n >= len || fchmod(fd, 0600) || ews_fd_write_all(fd, text, (size_t)n) || fsync(fd)) {
		st = ews_status_make(EWS_ERR_FILE, "cannot write the token cache %.200s: %s", tmp, strerror(errno));
		goto out;
	}
	if (close(fd)) {
		fd = -1;
		st = ews_status_make(EWS_ERR_FILE, "cannot write the token cache %.200s: %s", tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path)) {
		st = ews_status_make(EWS_ERR_FILE, "cannot replace the token cache %.200s: %s", path, strerror(errno));
		goto out;
	}
	tmp[0] = '\0'; /* renamed: nothing to remove */
out:
	if (fd >= 0)
		close(fd);
	if (tmp[0])
		unlink(tmp);
	memset(text, 0, len);
	free(text);
	free(tmp);
	return st;
}
