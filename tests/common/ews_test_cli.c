/* ews_test_cli.c — see ews_test_cli.h. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "ews_test.h"
#include "ews_test_cli.h"

void ews_test_cli_run_free(struct ews_test_cli_run *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

int ews_test_cli_run(struct ews_test_cli_run *r, const char *tmpdir, const char *fmt, ...)
{
	char cmd[16384], path[512];
	char *line = NULL;
	va_list ap;
	int status;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	ews_test_cli_run_free(r);
	if (asprintf(&line, "PATH=%s/bin:$PATH; { %s\n} >%s/cli.out 2>%s/cli.err", ews_test_build_dir(), cmd, tmpdir,
		     tmpdir) < 0)
		return r->status = -1;
	status = system(line);
	free(line);
	snprintf(path, sizeof path, "%s/cli.out", tmpdir);
	r->out = ews_test_read_file(path, NULL);
	snprintf(path, sizeof path, "%s/cli.err", tmpdir);
	r->err = ews_test_read_file(path, NULL);
	if (!r->out)
		r->out = strdup("");
	if (!r->err)
		r->err = strdup("");
	return r->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The line [p, eol) as its own string. */
static char *line_at(const char *p, const char **eol)
{
	*eol = strchr(p, '\n');
	if (!*eol)
		*eol = p + strlen(p);
	return strndup(p, (size_t)(*eol - p));
}

char *ews_test_json_field(const char *text, const char *type, int nth, const char *key)
{
	char t[128], k[128];
	const char *p = text, *eol;

	snprintf(t, sizeof t, "\"type\":\"%s\"", type);
	snprintf(k, sizeof k, "\"%s\":", key);
	for (; p && *p; p = *eol ? eol + 1 : eol) {
		char *line = line_at(p, &eol), *v;
		if (!line)
			return NULL;
		if (!strstr(line, t) || !(v = strstr(line, k)) || nth-- > 0) {
			free(line);
			continue;
		}
		v += strlen(k);
		char *val;
		if (*v == '"') {
			char *w = val = malloc(strlen(v));
			for (v++; val && *v && *v != '"'; v++) {
				if (*v == '\\' && v[1])
					v++;
				*w++ = *v;
			}
			if (val)
				*w = '\0';
		} else {
			val = strndup(v, strcspn(v, ",}"));
		}
		free(line);
		return val;
	}
	return NULL;
}

int ews_test_json_lines(const char *text, const char *type, int ok)
{
	char t[128];
	const char *p = text, *eol;
	int n = 0;

	snprintf(t, sizeof t, "\"type\":\"%s\"", type);
	for (; p && *p; p = *eol ? eol + 1 : eol) {
		char *line = line_at(p, &eol);
		if (line && strstr(line, t) &&
		    (ok < 0 || strstr(line, ok ? "\"ok\":true" : "\"ok\":false")))
			n++;
		free(line);
	}
	return n;
}
