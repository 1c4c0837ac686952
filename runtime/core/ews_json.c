/* ews_json.c — a small, strict JSON reader for the top-level members of an object (OAuth2 token answers). */
#include <stdlib.h>
#include <string.h>

#include "ews_json.h"

#define MAX_DEPTH 32

struct reader {
	const char *p, *end;
};

static void skip_ws(struct reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static int hex4(const char *p, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (unsigned)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			*v |= (unsigned)((c | 0x20) - 'a' + 10);
		else
			return -1;
	}
	return 0;
}

static size_t put_utf8(char *o, unsigned long v)
{
	if (v < 0x80) {
		o[0] = (char)v;
		return 1;
	}
	if (v < 0x800) {
		o[0] = (char)(0xC0 | v >> 6);
		o[1] = (char)(0x80 | (v & 0x3F));
		return 2;
	}
	if (v < 0x10000) {
		o[0] = (char)(0xE0 | v >> 12);
		o[1] = (char)(0x80 | (v >> 6 & 0x3F));
		o[2] = (char)(0x80 | (v & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | v >> 18);
	o[1] = (char)(0x80 | (v >> 12 & 0x3F));
	o[2] = (char)(0x80 | (v >> 6 & 0x3F));
	o[3] = (char)(0x80 | (v & 0x3F));
	return 4;
}

/* A string at r->p ('"'). With out != NULL, writes the unescaped value there (room: the escaped length + 1 is
 * always enough, escapes never expand). Returns 0 or -1. */
static int read_string(struct reader *r, char *out, size_t *out_len)
{
	size_t o = 0;

	if (r->p >= r->end || *r->p != '"')
		return -1;
	r->p++;
	while (r->p < r->end) {
		unsigned char c = (unsigned char)*r->p++;
		if (c == '"') {
			if (out)
				out[o] = '\0';
			if (out_len)
				*out_len = o;
			return 0;
		}
		if (c < 0x20)
			return -1;
		if (c != '\\') {
			if (out)
				out[o] = (char)c;
			o++;
			continue;
		}
		if (r->p >= r->end)
			return -1;
		c = (unsigned char)*r->p++;
		if (c == 'u') {
			unsigned v, lo;
			unsigned long cp;
			char tmp[4];
			size_t n;
			if (r->end - r->p < 4 || hex4(r->p, &v))
				return -1;
			r->p += 4;
			cp = v;
			if (v >= 0xD800 && v <= 0xDBFF) {
				if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u' || hex4(r->p + 2, &lo) ||
				    lo < 0xDC00 || lo > 0xDFFF)
					return -1;
				r->p += 6;
				cp = 0x10000 + ((unsigned long)(v - 0xD800) << 10) + (lo - 0xDC00);
			} else if ((v >= 0xDC00 && v <= 0xDFFF) || v == 0) {
				return -1; /* lone low surrogate, or NUL (would cut a C string) */
			}
			n = put_utf8(tmp, cp);
			if (out)
				memcpy(out + o, tmp, n);
			o += n;
			continue;
		}
		switch (c) {
		case '"': case '\\': case '/': break;
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		default: return -1;
		}
		if (out)
			out[o] = (char)c;
		o++;
	}
	return -1;
}

static int read_number(struct reader *r, double *num)
{
	const char *s = r->p;
	char buf[64];
	size_t n;

	if (r->p < r->end && *r->p == '-')
		r->p++;
	if (r->p >= r->end || *r->p < '0' || *r->p > '9')
		return -1;
	if (*r->p == '0')
		r->p++;
	else
		while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
			r->p++;
	if (r->p < r->end && *r->p == '.') {
		r->p++;
		if (r->p >= r->end || *r->p < '0' || *r->p > '9')
			return -1;
		while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
			r->p++;
	}
	if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
		r->p++;
		if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
			r->p++;
		if (r->p >= r->end || *r->p < '0' || *r->p > '9')
			return -1;
		while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
			r->p++;
	}
	n = (size_t)(r->p - s);
	if (n >= sizeof buf)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (num)
		*num = strtod(buf, NULL);
	return 0;
}

static int literal(struct reader *r, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n))
		return -1;
	r->p += n;
	return 0;
}

/* Skip any value; validates it. */
static int skip_value(struct reader *r, int depth)
{
	skip_ws(r);
	if (r->p >= r->end || depth > MAX_DEPTH)
		return -1;
	switch (*r->p) {
	case '"':
		return read_string(r, NULL, NULL);
	case 't': return literal(r, "true");
	case 'f': return literal(r, "false");
	case 'n': return literal(r, "null");
	case '{':
	case '[': {
		char close = *r->p == '{' ? '}' : ']';
		int object = close == '}';
		r->p++;
		skip_ws(r);
		if (r->p < r->end && *r->p == close) {
			r->p++;
			return 0;
		}
		for (;;) {
			if (object) {
				skip_ws(r);
				if (read_string(r, NULL, NULL))
					return -1;
				skip_ws(r);
				if (r->p >= r->end || *r->p++ != ':')
					return -1;
			}
			if (skip_value(r, depth + 1))
				return -1;
			skip_ws(r);
			if (r->p >= r->end)
				return -1;
			if (*r->p == ',') {
				r->p++;
				continue;
			}
			if (*r->p++ != close)
				return -1;
			return 0;
		}
	}
	default:
		return read_number(r, NULL);
	}
}

enum ews_json_kind ews_json_member(const char *json, size_t len, const char *key, char **str, double *num)
{
	struct reader r = { json, json + len };
	enum ews_json_kind found = EWS_JSON_ABSENT;

	if (str)
		*str = NULL;
	if (!json || !key)
		return EWS_JSON_INVALID;
	/* validate the whole document first: one object and nothing after it */
	if (skip_value(&r, 0))
		return EWS_JSON_INVALID;
	skip_ws(&r);
	if (r.p != r.end)
		return EWS_JSON_INVALID;
	r.p = json;
	skip_ws(&r);
	if (*r.p != '{')
		return EWS_JSON_INVALID;
	r.p++;
	skip_ws(&r);
	if (*r.p == '}')
		return EWS_JSON_ABSENT;
	for (;;) {
		const char *kstart;
		size_t klen;
		char *name;
		int match;

		skip_ws(&r);
		kstart = r.p;
		if (read_string(&r, NULL, &klen))
			return EWS_JSON_INVALID;
		name = malloc(klen + 1);
		if (!name)
			return EWS_JSON_INVALID;
		r.p = kstart;
		read_string(&r, name, NULL);
		match = strlen(name) == klen && !strcmp(name, key);
		free(name);
		skip_ws(&r);
		r.p++; /* ':' (validated above) */
		skip_ws(&r);
		if (match && found == EWS_JSON_ABSENT) {
			if (*r.p == '"') {
				const char *vstart = r.p;
				size_t vlen;
				read_string(&r, NULL, &vlen);
				found = EWS_JSON_STRING;
				if (str) {
					char *v = malloc((size_t)(r.p - vstart) + 1);
					if (!v)
						return EWS_JSON_INVALID;
					r.p = vstart;
					read_string(&r, v, NULL);
					*str = v;
				}
			} else if (*r.p == '-' || (*r.p >= '0' && *r.p <= '9')) {
				read_number(&r, num);
				found = EWS_JSON_NUMBER;
			} else {
				skip_value(&r, 1);
				found = EWS_JSON_OTHER;
			}
		} else {
			skip_value(&r, 1);
		}
		skip_ws(&r);
		if (*r.p++ == '}')
			return found;
	}
}
