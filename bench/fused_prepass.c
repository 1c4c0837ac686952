/* fused_prepass.c — EXPERIMENT for issue 13's lead "one pass for sanitizing and depth" (not used by libews):
 * ews_xml_sanitize() and ews_xml_depth_exceeds() folded into one in-place pass that skips ordinary bytes with a
 * per-state table instead of copying them one by one. Same output bytes and the same verdict as the two library
 * passes (bench-prepass checks that on every recorded body before timing). The depth is tracked on the input
 * bytes: sanitizing never adds, removes or moves '<', '>', quotes or a final '/', so it is the depth of the
 * sanitized text the library measures today. One rare shape (a comment or CDATA opener inside a tag, where the
 * two passes disagree on what is verbatim) falls back to sanitizing the rest and measuring the output again. */
#define _GNU_SOURCE /* memmem */
#include <string.h>

#include "ews/sanitize.h"
#include "ews_internal.h"

#include "fused_prepass.h"

static int xml_forbids(unsigned long c)
{
	return (c < 0x20 && c != 0x9 && c != 0xA && c != 0xD) || (c >= 0xD800 && c <= 0xDFFF) ||
	       c == 0xFFFE || c == 0xFFFF || c > 0x10FFFF;
}

static size_t put_utf8(char *p, unsigned long v)
{
	if (v < 0x800) {
		p[0] = (char)(0xC0 | v >> 6);
		p[1] = (char)(0x80 | (v & 0x3F));
		return 2;
	}
	if (v < 0x10000) {
		p[0] = (char)(0xE0 | v >> 12);
		p[1] = (char)(0x80 | (v >> 6 & 0x3F));
		p[2] = (char)(0x80 | (v & 0x3F));
		return 3;
	}
	p[0] = (char)(0xF0 | v >> 18);
	p[1] = (char)(0x80 | (v >> 12 & 0x3F));
	p[2] = (char)(0x80 | (v >> 6 & 0x3F));
	p[3] = (char)(0x80 | (v & 0x3F));
	return 4;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = (char)(ch | 0x20);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

static size_t parse_charref(const char *s, size_t avail, unsigned long *cp)
{
	size_t i = 2, digits = 0;
	int hex = 0;
	unsigned long v = 0;

	if (avail < 4 || s[0] != '&' || s[1] != '#')
		return 0;
	if (s[2] == 'x' || s[2] == 'X') {
		hex = 1;
		i = 3;
	}
	for (; i < avail && i < 64; i++, digits++) {
		int d = hex ? hexval(s[i]) : (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);
		if (d < 0)
			break;
		if (v <= 0x10FFFF)
			v = v * (hex ? 16 : 10) + (unsigned long)d;
	}
	if (!digits || i >= avail || s[i] != ';')
		return 0;
	*cp = v;
	return i + 1;
}

/* A character reference at buf[i]: rewritten into buf[o...] as ews_xml_sanitize does. Returns the input bytes
 * consumed (0: not rewritten, copy the '&' as it is); *wrote = output bytes. */
static size_t rewrite_ref(char *buf, size_t i, size_t len, size_t o, size_t *wrote)
{
	unsigned long cp = 0;
	size_t n = parse_charref(buf + i, len - i, &cp);

	if (n && xml_forbids(cp)) {
		memcpy(buf + o, "\xEF\xBF\xBD", 3);
		*wrote = 3;
		return n;
	}
	if (n && cp >= 0x80) {
		*wrote = put_utf8(buf + o, cp);
		return n;
	}
	if (n > 6) {
		char dec[3];
		int nd = 0;
		size_t w = o;
		do
			dec[nd++] = (char)('0' + cp % 10);
		while ((cp /= 10) != 0);
		buf[w++] = '&';
		buf[w++] = '#';
		while (nd)
			buf[w++] = dec[--nd];
		buf[w++] = ';';
		*wrote = w - o;
		return n;
	}
	return 0;
}

static const char https_env[] = "https://schemas.xmlsoap.org/soap/envelope/";
static const char http_env[] = "http://schemas.xmlsoap.org/soap/envelope/";

enum mode { TEXT = 0, START_TAG = 1, SKIP_TO_GT = 2 };

/* Bytes that need a look in each mode; everything else is copied in runs. */
static unsigned char special[3][256];

static void init_tables(void)
{
	static int done;
	if (done)
		return;
	for (int m = 0; m < 3; m++)
		special[m]['&'] = special[m]['h'] = special[m]['<'] = 1;
	special[START_TAG]['>'] = special[START_TAG]['"'] = special[START_TAG]['\''] = 1;
	special[SKIP_TO_GT]['>'] = 1;
	done = 1;
}

size_t fused_sanitize_depth(char *buf, size_t len, int max_depth, int *too_deep)
{
	size_t i = 0, o = 0;
	int depth = 0, quote = 0, deep = 0;
	enum mode mode = TEXT;
	char prev = 0;

	init_tables();
	while (i < len) {
		size_t j = i;
		const unsigned char *tab = special[mode];
		char ch;

		while (j < len && !tab[(unsigned char)buf[j]])
			j++;
		if (j > i) {
			if (o != i)
				memmove(buf + o, buf + i, j - i);
			o += j - i;
			if (mode == START_TAG)
				prev = buf[o - 1];
			i = j;
			if (i >= len)
				break;
		}
		ch = buf[i];
		if (ch == '<' && ((len - i >= 9 && !memcmp(buf + i, "<![CDATA[", 9)) ||
		                  (len - i >= 4 && !memcmp(buf + i, "<!--", 4)))) {
			int cdata = buf[i + 2] == '[';
			const char *end = cdata ? memmem(buf + i, len - i, "]]>", 3) : memmem(buf + i, len - i, "-->", 3);
			size_t n = end ? (size_t)(end - (buf + i)) + 3 : len - i;
			if (mode != TEXT) {
				/* the passes disagree on what is verbatim here: do what the library does */
				size_t rest = ews_xml_sanitize(buf + i, len - i);
				memmove(buf + o, buf + i, rest);
				o += rest;
				goto fallback;
			}
			memmove(buf + o, buf + i, n);
			i += n, o += n;
			continue;
		}
		if (ch == '&') {
			size_t wrote = 0, n = rewrite_ref(buf, i, len, o, &wrote);
			if (n) {
				i += n, o += wrote;
				prev = ';';
				continue;
			}
		} else if (ch == 'h') {
			if (len - i >= sizeof https_env - 1 && !memcmp(buf + i, https_env, sizeof https_env - 1)) {
				memcpy(buf + o, http_env, sizeof http_env - 1);
				o += sizeof http_env - 1, i += sizeof https_env - 1;
				prev = '/';
				continue;
			}
		} else if (ch == '<' && mode == TEXT) {
			if (len - i >= 2 && (buf[i + 1] == '?' || buf[i + 1] == '!' || buf[i + 1] == '/')) {
				if (buf[i + 1] == '/')
					depth--;
				buf[o++] = buf[i++];
				buf[o++] = buf[i++];
				mode = SKIP_TO_GT;
				continue;
			}
			mode = START_TAG;
			quote = 0;
			prev = 0;
			buf[o++] = buf[i++];
			continue;
		} else if (ch == '>' && mode == SKIP_TO_GT) {
			mode = TEXT;
		} else if (ch == '>' && mode == START_TAG && !quote) {
			if (prev != '/' && ++depth > max_depth)
				deep = 1;
			mode = TEXT;
		} else if (mode == START_TAG && (ch == '"' || ch == '\'')) {
			if (!quote)
				quote = ch;
			else if (ch == quote)
				quote = 0;
		}
		if (mode == START_TAG)
			prev = ch;
		buf[o++] = buf[i++];
	}
	if (mode == START_TAG && prev != '/' && ++depth > max_depth)
		deep = 1; /* an unterminated start tag counts, as in ews_xml_depth_exceeds */
	*too_deep = deep;
	return o;

fallback:
	*too_deep = ews_xml_depth_exceeds(buf, o, max_depth);
	return o;
}
