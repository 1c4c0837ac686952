/* ews_autodiscover_cache.c — the answer of autodiscover kept in a file with an expiry, so that a tool started
 * again does not walk the candidate URLs again. One line per address, tab-separated:
 *   ADDRESS EXPIRES EWS_URL EXTERNAL_URL AUTODISCOVER_URL SMTP MAJOR MINOR BUILD REVISION VERSION PROTOCOL
 * The file says where credentials will be sent, so it is written 0600 and a file that someone else owns or may
 * write is not trusted. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ews_autodiscover_internal.h"

#define MAX_CACHE (256 * 1024)

static char *read_all(const ews_ad_run *run, const char *path)
{
	struct stat sb;
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	if (fstat(fileno(f), &sb) || !S_ISREG(sb.st_mode) || sb.st_uid != geteuid() || (sb.st_mode & 022) ||
	    sb.st_size > MAX_CACHE) {
		ews_ad_log(run, EWS_LOG_WARNING, "autodiscover: ignoring the cache %s (not a regular file of ours, "
			   "writable by others, or too large)", path);
		fclose(f);
		return NULL;
	}
	buf = malloc((size_t)sb.st_size + 1);
	n = buf ? fread(buf, 1, (size_t)sb.st_size, f) : 0;
	fclose(f);
	if (buf)
		buf[n] = '\0';
	return buf;
}

/* Split a line into at most max tab-separated fields in place; the count. */
static int split(char *line, char **f, int max)
{
	int n = 0;
	while (n < max) {
		f[n++] = line;
		if (!(line = strchr(line, '\t')))
			break;
		*line++ = '\0';
	}
	return n;
}

int ews_ad_cache_get(const ews_ad_run *run, const char *email, ews_autodiscover_result *out)
{
	char *buf, *save = NULL, *f[12];
	int found = 0;

	if (!run->opt->cache_file || !(buf = read_all(run, run->opt->cache_file)))
		return 0;
	for (char *line = strtok_r(buf, "\n", &save); line && !found; line = strtok_r(NULL, "\n", &save)) {
		if (split(line, f, 12) != 12 || strcasecmp(f[0], email))
			continue;
		if (strtoll(f[1], NULL, 10) <= (long long)time(NULL)) {
			ews_ad_log(run, EWS_LOG_INFO, "autodiscover: the cached answer for %s has expired", email);
			break;
		}
		memset(out, 0, sizeof *out);
		snprintf(out->ews_url, sizeof out->ews_url, "%s", f[2]);
		snprintf(out->external_ews_url, sizeof out->external_ews_url, "%s", f[3]);
		snprintf(out->autodiscover_url, sizeof out->autodiscover_url, "%s", f[4]);
		snprintf(out->smtp_address, sizeof out->smtp_address, "%s", f[5]);
		out->major = atoi(f[6]);
		out->minor = atoi(f[7]);
		out->build = atoi(f[8]);
		out->revision = atoi(f[9]);
		snprintf(out->version, sizeof out->version, "%s", strcmp(f[10], "-") ? f[10] : "");
		out->protocol = atoi(f[11]);
		out->from_cache = 1;
		found = out->ews_url[0] != '\0';
	}
	free(buf);
	return found;
}

static int clean(const char *s)
{
	return !strpbrk(s, "\t\r\n");
}

ews_status ews_ad_cache_put(const ews_ad_run *run, const char *email, const ews_autodiscover_result *r)
{
	const char *path = run->opt->cache_file;
	long ttl = run->opt->cache_ttl_s > 0 ? run->opt->cache_ttl_s : 86400;
	char tmp[4096], *old, *save = NULL;
	FILE *f;
	int fd, bad;

	if (!path)
		return ews_status_ok();
	if (!clean(email) || !clean(r->ews_url) || !clean(r->external_ews_url) || !clean(r->autodiscover_url) ||
	    !clean(r->smtp_address))
		return ews_status_make(EWS_ERR_FORMAT, "autodiscover: the answer has line breaks or tabs: not cached");
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= sizeof tmp)
		return ews_status_make(EWS_ERR_ARGUMENT, "autodiscover: the cache path is too long");
	old = read_all(run, path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		ews_status st = ews_status_make(EWS_ERR_FILE, "autodiscover: cannot write the cache %s: %s", tmp,
						strerror(errno));
		if (fd >= 0)
			close(fd);
		free(old);
		return st;
	}
	/* the other addresses' answers stay */
	for (char *line = old ? strtok_r(old, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
		size_t k = strcspn(line, "\t");
		if (k == strlen(email) && !strncasecmp(line, email, k))
			continue;
		fprintf(f, "%s\n", line);
	}
	free(old);
	fprintf(f, "%s\t%lld\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\t%d\n", email, (long long)time(NULL) + ttl, r->ews_url,
		r->external_ews_url, r->autodiscover_url, r->smtp_address, r->major, r->minor, r->build, r->revision,
		r->version[0] ? r->version : "-", r->protocol);
	bad = fflush(f) != 0 || fsync(fileno(f)) != 0;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path)) {
		ews_status st = ews_status_make(EWS_ERR_FILE, "autodiscover: cannot write the cache %s: %s", path,
						strerror(errno));
		unlink(tmp);
		return st;
	}
	return ews_status_ok();
}
