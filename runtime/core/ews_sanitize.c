/* ews_sanitize.c — in-place clean-up of EWS XML before gSOAP parses it (see ews/sanitize.h for the why). */
#define _GNU_SOURCE /* memmem */
#include <string.h>

#include "ews/sanitize.h"

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

/* A reference "&#...;" starting at s[0]. Returns its length (0 if it is not a complete numeric reference) and
 * the code point (saturated, so absurdly long references count as out of range). */
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

static const char https_env[] = "https://schemas.xmlsoap.org/soap/envelope/";

size_t ews_xml_sanitize(char *buf, size_t len)
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
			size_t n = parse_charref(buf + i, len - i, &cp);
			if (n && xml_forbids(cp)) {
				memcpy(buf + o, "\xEF\xBF\xBD", 3);
				o += 3, i += n;
				continue;
			}
			if (n && cp >= 0x80) {
				o += put_utf8(buf + o, cp);
				i += n;
				continue;
			}
			if (n > 6) {
				/* an ASCII character written long ("&#x0003C;"): the same gSOAP bug keeps a stray ';'
				 * after it, so write the short form "&#60;" (at most 6 bytes, never longer) */
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
		if (ch == 'h' && len - i >= sizeof https_env - 1 && !memcmp(buf + i, https_env, sizeof https_env - 1)) {
			static const char http_env[] = "http://schemas.xmlsoap.org/soap/envelope/";
			memcpy(buf + o, http_env, sizeof http_env - 1);
			o += sizeof http_env - 1, i += sizeof https_env - 1;
			continue;
		}
		buf[o++] = buf[i++];
	}
	return o;
}
