/* prepass_oracle.c — the three passes libews ran over a response before gSOAP until issue 13 (ews_sanitize.c,
 * ews_xml_depth.c, ews_xml_mixed.c), unchanged but for their names (and the quote rule of the mixed-content scan's last fix — a quote opens a
 * value only after '=' — which the depth scan now shares): the oracle test_prepass.c holds the one pass
 * (runtime/core/ews_xml_prepass.c) to, and the baseline bench/bench_prepass.c measures it against. */
#define _GNU_SOURCE /* memmem */
#include <string.h>

#include "prepass_oracle.h"

static int old_blank(char c);


static int old_xml_forbids(unsigned long c)
{
	return (c < 0x20 && c != 0x9 && c != 0xA && c != 0xD) || (c >= 0xD800 && c <= 0xDFFF) ||
	       c == 0xFFFE || c == 0xFFFF || c > 0x10FFFF;
}

static size_t old_put_utf8(char *p, unsigned long v)
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

static int old_hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = (char)(ch | 0x20);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

static size_t old_parse_charref(const char *s, size_t avail, unsigned long *cp)
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
		int d = hex ? old_hexval(s[i]) : (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);
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

static const char old_https_env[] = "https://schemas.xmlsoap.org/soap/envelope/";

size_t oracle_xml_sanitize(char *buf, size_t len)
{
	size_t i = 0, o = 0;

	while (i < len) {
		char ch = buf[i];
		if (ch == '<' && len - i >= 9 && !memcmp(buf + i, "<![CDATA[", 9)) {
			const char *end = memmem(buf + i, len - i, "]]>", 3);
			size_t n = end ? (size_t)(end - (buf + i)) + 3 : len - i;
			memmove(buf + o, buf + i, n);
			i += n, o += n;
			continue;
		}
		if (ch == '<' && len - i >= 4 && !memcmp(buf + i, "<!--", 4)) {
			const char *end = memmem(buf + i, len - i, "-->", 3);
			size_t n = end ? (size_t)(end - (buf + i)) + 3 : len - i;
			memmove(buf + o, buf + i, n);
			i += n, o += n;
			continue;
		}
		if (ch == '&') {
			unsigned long cp = 0;
			size_t n = old_parse_charref(buf + i, len - i, &cp);
			if (n && old_xml_forbids(cp)) {
				memcpy(buf + o, "\xEF\xBF\xBD", 3);
				o += 3, i += n;
				continue;
			}
			if (n && cp >= 0x80) {
				o += old_put_utf8(buf + o, cp);
				i += n;
				continue;
			}
			if (n > 6) {
				char dec[3];
				int nd = 0;
				do
					dec[nd++] = (char)('0' + cp % 10);
				while ((cp /= 10) != 0);
				buf[o++] = '&';
				buf[o++] = '#';
				while (nd)
					buf[o++] = dec[--nd];
				buf[o++] = ';';
				i += n;
				continue;
			}
		}
		if (ch == 'h' && len - i >= sizeof old_https_env - 1 &&
		    !memcmp(buf + i, old_https_env, sizeof old_https_env - 1)) {
			static const char http_env[] = "http://schemas.xmlsoap.org/soap/envelope/";
			memcpy(buf + o, http_env, sizeof http_env - 1);
			o += sizeof http_env - 1, i += sizeof old_https_env - 1;
			continue;
		}
		buf[o++] = buf[i++];
	}
	return o;
}

static size_t old_skip_past(const char *s, size_t i, size_t len, const char *end)
{
	size_t n = strlen(end);
	for (; i + n <= len; i++)
		if (!memcmp(s + i, end, n))
			return i + n;
	return len;
}

int oracle_xml_depth_exceeds(const char *s, size_t len, int max_depth)
{
	int depth = 0;
	size_t i = 0;

	while (i < len) {
		if (s[i] != '<') {
			i++;
			continue;
		}
		if (len - i >= 4 && !memcmp(s + i, "<!--", 4)) {
			i = old_skip_past(s, i + 4, len, "-->");
		} else if (len - i >= 9 && !memcmp(s + i, "<![CDATA[", 9)) {
			i = old_skip_past(s, i + 9, len, "]]>");
		} else if (len - i >= 2 && (s[i + 1] == '?' || s[i + 1] == '!')) {
			i = old_skip_past(s, i + 2, len, ">");
		} else if (len - i >= 2 && s[i + 1] == '/') {
			depth--;
			i = old_skip_past(s, i + 2, len, ">");
		} else {
			char quote = 0, prev = 0;
			int after_eq = 0;
			for (i++; i < len; i++) {
				char ch = s[i];
				if (quote) {
					if (ch == quote)
						quote = 0;
				} else if ((ch == '"' || ch == '\'') && after_eq) {
					quote = ch;
				} else if (ch == '>') {
					break;
				}
				if (!old_blank(ch))
					after_eq = !quote && ch == '=';
				prev = ch;
			}
			i++;
			if (prev != '/' && ++depth > max_depth)
				return 1;
		}
	}
	return 0;
}

static int old_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int old_any_content(const char *s, size_t i, size_t len)
{
	static const char *const names[] = { "detail", "MessageXml" };
	size_t start = i, end;
	for (end = i; end < len && s[end] != ' ' && s[end] != '>' && s[end] != '/' && s[end] != '\t' &&
	              s[end] != '\r' && s[end] != '\n'; end++)
		if (s[end] == ':')
			start = end + 1;
	for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
		if (end - start == strlen(names[k]) && !memcmp(s + start, names[k], end - start))
			return 1;
	return 0;
}

long oracle_xml_mixed_content(const char *s, size_t len)
{
	int depth = 0, any_parent = 0;
	long text_at = -1;
	size_t i = 0;

	while (i < len) {
		if (s[i] != '<') {
			if (!old_blank(s[i]) && text_at < 0 && depth > 0 && !(any_parent && depth > any_parent))
				text_at = (long)i;
			i++;
			continue;
		}
		if (len - i >= 4 && !memcmp(s + i, "<!--", 4)) {
			i = old_skip_past(s, i + 4, len, "-->");
		} else if (len - i >= 9 && !memcmp(s + i, "<![CDATA[", 9)) {
			size_t end = old_skip_past(s, i + 9, len, "]]>");
			if (text_at < 0 && depth > 0 && !(any_parent && depth > any_parent) && end - i > 12)
				text_at = (long)i;
			i = end;
		} else if (len - i >= 2 && (s[i + 1] == '?' || s[i + 1] == '!')) {
			i = old_skip_past(s, i + 2, len, ">");
		} else if (len - i >= 2 && s[i + 1] == '/') {
			if (depth-- == any_parent)
				any_parent = 0;
			text_at = -1;
			i = old_skip_past(s, i + 2, len, ">");
		} else {
			char quote = 0, prev = 0;
			int after_eq = 0;
			size_t name = i + 1;
			if (text_at >= 0)
				return text_at;
			for (i++; i < len; i++) {
				char ch = s[i];
				if (quote) {
					if (ch == quote)
						quote = 0;
				} else if ((ch == '"' || ch == '\'') && after_eq) {
					quote = ch;
				} else if (ch == '>') {
					break;
				}
				if (!old_blank(ch))
					after_eq = !quote && ch == '=';
				prev = ch;
			}
			i++;
			if (prev != '/' && ++depth && !any_parent && old_any_content(s, name, len))
				any_parent = depth;
		}
	}
	return -1;
}
