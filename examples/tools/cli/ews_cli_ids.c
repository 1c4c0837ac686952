/* ews_cli_ids.c — item ids for the batch commands (ews-move-items, ews-copy-items) read from stdin: plain lines, or
 * the JSON lines another ews-* command printed, so `ews-find-items --json | ews-move-items --to X` works. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/cli.h"

/* The string value of the top-level key "id" in one JSON object line: malloc'd in *out (NULL when the object has
 * no "id", e.g. a summary line). -1 when "id" is there but is not a string. Keys are recognised only where a key
 * can start (after '{' or ','), so "parent_id" or a subject containing "id": does not match. */
static int json_id(const char *line, char **out)
{
	int depth = 0, in_string = 0;
	const char *p;

	*out = NULL;
	for (p = line; *p; p++) {
		if (in_string) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '"')
				in_string = 0;
			continue;
		}
		if (*p == '{' || *p == '[')
			depth++;
		else if (*p == '}' || *p == ']')
			depth--;
		else if (*p == '"') {
			const char *q = p;
			while (q > line && isspace((unsigned char)q[-1]))
				q--;
			if (depth == 1 && q > line && (q[-1] == '{' || q[-1] == ',') && !strncmp(p, "\"id\"", 4)) {
				const char *v = p + 4;
				while (isspace((unsigned char)*v))
					v++;
				if (*v++ != ':')
					return -1;
				while (isspace((unsigned char)*v))
					v++;
				if (*v != '"')
					return -1;
				char *s = malloc(strlen(v)), *w = s;
				if (!s)
					return -2;
				for (v++; *v && *v != '"'; v++) {
					if (*v == '\\' && v[1])
						v++;          /* ids are base64: \" \\ \/ are all they could hold */
					*w++ = *v;
				}
				*w = '\0';
				if (*v != '"') {
					free(s);
					return -1;
				}
				*out = s;
				return 0;
			}
			in_string = 1;
		}
	}
	return 0;
}

ews_status ews_cli_read_ids(FILE *in, long max, char ***ids, int *n)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;
	int room = *n;
	ews_status st = ews_status_ok();

	if (max <= 0)
		max = 1000000;
	while ((len = getline(&line, &cap, in)) >= 0) {
		char *s = line, *id = NULL;
		lineno++;
		while (len > 0 && isspace((unsigned char)s[len - 1]))
			s[--len] = '\0';
		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			continue;
		if (*s == '{') {
			int r = json_id(s, &id);
			if (r == -2) {
				st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
				break;
			}
			if (r < 0) {
				st = ews_status_make(EWS_ERR_FORMAT, "line %ld: \"id\" is not a JSON string", lineno);
				break;
			}
			if (!id)
				continue;
		} else if (!(id = strdup(s))) {
			st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
			break;
		}
		if (*n >= max) {
			free(id);
			st = ews_status_make(EWS_ERR_TOO_LARGE, "more than %ld ids", max);
			break;
		}
		if (*n >= room) {
			int more = room ? room * 2 : 256;
			char **grown = realloc(*ids, (size_t)more * sizeof **ids);
			if (!grown) {
				free(id);
				st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
				break;
			}
			*ids = grown;
			room = more;
		}
		(*ids)[(*n)++] = id;
	}
	if (ews_ok(st) && ferror(in))
		st = ews_status_make(EWS_ERR_FILE, "reading the ids failed");
	free(line);
	return st;
}

void ews_cli_free_ids(char **ids, int n)
{
	for (int k = 0; ids && k < n; k++)
		free(ids[k]);
	free(ids);
}
