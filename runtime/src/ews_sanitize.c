/* ews_sanitize.c — in-place repair of character references and the envelope URI before gSOAP parses a body. */
#include <string.h>

#include "ews/sanitize.h"

#define HTTPS_ENVELOPE "https://schemas.xmlsoap.org/soap/envelope/"

/* Characters XML 1.0 does not allow, even as references. */
static int forbidden_in_xml(unsigned long c)
{
	return (c < 0x20 && c != 0x9 && c != 0xA && c != 0xD) || (c >= 0xD800 && c <= 0xDFFF) || c == 0xFFFE ||
	       c == 0xFFFF || c > 0x10FFFF;
}

static size_t put_utf8(char *p, unsigned long v)
{
	if (v < 0x80) {
		p[0] = (char)v;
		return 1;
	}
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

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Parse "&#...;" at buf[i]. Returns the reference length including '&' and ';' (0 if not a numeric reference)
 * and the code point in *v; values that overflow are reported as 0x110000 (forbidden). */
static size_t parse_ref(const char *buf, size_t i, size_t len, unsigned long *v)
{
	size_t j = i + 2, digits = 0;
	int hex = 0;

	if (j < len && (buf[j] | 0x20) == 'x') {
		hex = 1;
		j++;
	}
	*v = 0;
	for (; j < len; j++, digits++) {
		int d = hex ? hex_value(buf[j]) : (buf[j] >= '0' && buf[j] <= '9' ? buf[j] - '0' : -1);
		if (d < 0)
			break;
		if (*v <= 0x10FFFF)
			*v = *v * (hex ? 16u : 10u) + (unsigned)d;
	}
	if (!digits || j >= len || buf[j] != ';')
		return 0;
	if (*v > 0x10FFFF)
		*v = 0x110000;
	return j - i + 1;
}

/* Length of a section copied verbatim (CDATA or comment) starting at buf[i], else 0. */
static size_t verbatim_len(const char *buf, size_t i, size_t len)
{
	static const struct { const char *open, *close; } kinds[] = {
		{ "<![CDATA[", "]]>" }, { "<!--", "-->" }
	};
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		size_t ol = strlen(kinds[k].open), cl = strlen(kinds[k].close);
		if (len - i >= ol && !memcmp(buf + i, kinds[k].open, ol)) {
			for (size_t j = i + ol; j + cl <= len; j++)
				if (!memcmp(buf + j, kinds[k].close, cl))
					return j + cl - i;
			return len - i; /* unterminated: the parser will complain; leave it alone */
		}
	}
	return 0;
}

size_t ews_xml_sanitize(char *buf, size_t len)
{
	static const size_t env_len = sizeof HTTPS_ENVELOPE - 1;
	size_t i = 0, o = 0;

	if (!buf)
		return 0;
	while (i < len) {
		char c = buf[i];
		if (c == '<') {
			size_t n = verbatim_len(buf, i, len);
			if (n) {
				memmove(buf + o, buf + i, n);
				o += n;
				i += n;
				continue;
			}
		} else if (c == '&' && i + 1 < len && buf[i + 1] == '#') {
			unsigned long v;
			size_t n = parse_ref(buf, i, len, &v);
			if (n) {
				if (forbidden_in_xml(v)) {
					/* n >= 4 ("&#0;"), U+FFFD takes 3 bytes: never grows */
					memcpy(buf + o, "\xEF\xBF\xBD", 3);
					o += 3;
					i += n;
					continue;
				}
				if (v >= 0x80) {
					/* "&#128;" (6) -> 2 bytes, "&#2048;" -> 3, "&#65536;" -> 4: never grows */
					o += put_utf8(buf + o, v);
					i += n;
					continue;
				}
				if (n > 6) {
					/* ASCII, so at most "&#127;" (6 bytes) */
					char tmp[8];
					size_t k = 0, t = 0;
					tmp[t++] = '&';
					tmp[t++] = '#';
					if (v >= 100)
						tmp[t++] = (char)('0' + v / 100);
					if (v >= 10)
						tmp[t++] = (char)('0' + v / 10 % 10);
					tmp[t++] = (char)('0' + v % 10);
					tmp[t++] = ';';
					for (k = 0; k < t; k++)
						buf[o + k] = tmp[k];
					o += t;
					i += n;
					continue;
				}
			}
		} else if (c == 'h' && len - i >= env_len && !memcmp(buf + i, HTTPS_ENVELOPE, env_len)) {
			memmove(buf + o, "http", 4);
			memmove(buf + o + 4, buf + i + 5, env_len - 5);
			o += env_len - 1;
			i += env_len;
			continue;
		}
		buf[o++] = buf[i++];
	}
	buf[o] = '\0';
	return o;
}
