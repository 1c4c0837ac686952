#define _GNU_SOURCE     /* strcasestr */
/* body_type.c — a body in the type a request asks for (BodyType Text / HTML / Best): HTML to text by dropping the
 * markup (block ends become line breaks, the common character references decoded), text to HTML escaped in a
 * minimal document. */
#include <string.h>
#include <strings.h>

#include "ewsd.h"

/* A numeric character reference at p ("&#233;", "&#x20AC;"): its code point, *used its length; *used 0 when p
 * holds none (or one naming no character: NUL, a surrogate, past U+10FFFF), which is then copied as text. */
static unsigned long numeric_ref(const char *p, size_t *used)
{
	const char *q = p + 2;
	int hex = *q == 'x' || *q == 'X';
	unsigned long cp = 0;
	int digits = 0;
	*used = 0;
	if (hex)
		q++;
	for (; digits < 8; q++, digits++) {
		int d = *q >= '0' && *q <= '9' ? *q - '0'
		      : hex && *q >= 'a' && *q <= 'f' ? *q - 'a' + 10
		      : hex && *q >= 'A' && *q <= 'F' ? *q - 'A' + 10 : -1;
		if (d < 0)
			break;
		cp = cp * (hex ? 16 : 10) + (unsigned long)d;
	}
	if (!digits || *q != ';' || !cp || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	*used = (size_t)(q + 1 - p);
	return cp;
}

/* cp as UTF-8 at o (at most 4 bytes; a reference is at least 4 characters, so the text never grows) */
static size_t utf8_put(char *o, unsigned long cp)
{
	if (cp < 0x80)
		return o[0] = (char)cp, 1;
	if (cp < 0x800)
		return o[0] = (char)(0xC0 | cp >> 6), o[1] = (char)(0x80 | (cp & 0x3F)), 2;
	if (cp < 0x10000)
		return o[0] = (char)(0xE0 | cp >> 12), o[1] = (char)(0x80 | (cp >> 6 & 0x3F)), o[2] = (char)(0x80 | (cp & 0x3F)), 3;
	o[0] = (char)(0xF0 | cp >> 18), o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3F)), o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static const char *html_to_text(struct soap *soap, const char *h)
{
	size_t n = strlen(h);
	char *out = soap_malloc(soap, n + 1), *o = out;
	static const struct { const char *ref, *ch; } refs[] = {
		{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" }, { "&#39;", "'" }, { "&apos;", "'" }, { "&nbsp;", " " },
	};
	static const char *const breaks[] = { "br", "/p", "/div", "/tr", "/li", "/h1", "/h2", "/h3" };
	if (!out)
		return h;
	for (const char *p = h; *p;) {
		if (*p == '<') {
			const char *end = strchr(p, '>');
			if (!end)
				break;
			size_t tl = (size_t)(end - p - 1);
			for (size_t k = 0; k < sizeof breaks / sizeof *breaks; k++) {
				size_t bl = strlen(breaks[k]);
				if (tl >= bl && !strncasecmp(p + 1, breaks[k], bl) &&
				    (tl == bl || p[1 + bl] == ' ' || p[1 + bl] == '/')) {
					*o++ = '\n';
					break;
				}
			}
			/* a head, style or script element's content is not text */
			if ((tl >= 4 && !strncasecmp(p + 1, "head", 4)) || (tl >= 5 && !strncasecmp(p + 1, "style", 5)) ||
			    (tl >= 6 && !strncasecmp(p + 1, "script", 6))) {
				const char *name = tl >= 6 && !strncasecmp(p + 1, "script", 6) ? "</script"
						 : tl >= 5 && !strncasecmp(p + 1, "style", 5) ? "</style" : "</head";
				const char *close = strcasestr(end, name);
				end = close ? strchr(close, '>') : NULL;
				if (!end)
					break;
			}
			p = end + 1;
			continue;
		}
		if (*p == '&' && p[1] == '#') {      /* &#233; &#x20AC;: the character, in UTF-8 */
			size_t used;
			unsigned long cp = numeric_ref(p, &used);
			if (used) {
				o += utf8_put(o, cp);
				p += used;
				continue;
			}
		}
		if (*p == '&') {
			size_t k = 0;
			for (; k < sizeof refs / sizeof *refs; k++)
				if (!strncmp(p, refs[k].ref, strlen(refs[k].ref))) {
					*o++ = *refs[k].ch;
					p += strlen(refs[k].ref);
					break;
				}
			if (k < sizeof refs / sizeof *refs)
				continue;
		}
		if (*p != '\r' && *p != '\n')          /* source line breaks are not text breaks in HTML */
			*o++ = *p;
		else if (o > out && o[-1] != ' ' && o[-1] != '\n')
			*o++ = ' ';
		p++;
	}
	*o = '\0';
	return out;
}

static const char *text_to_html(struct soap *soap, const char *t)
{
	static const char head[] = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">"
				   "</head><body>", tail[] = "</body></html>";
	size_t n = strlen(t);
	char *out = soap_malloc(soap, sizeof head + sizeof tail + n * 6 + 1), *o = out;
	if (!out)
		return t;
	o += sprintf(o, "%s", head);
	for (const char *p = t; *p; p++) {
		const char *r = *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : *p == '>' ? "&gt;" : *p == '\n' ? "<br>" : NULL;
		if (r)
			o += sprintf(o, "%s", r);
		else if (*p != '\r')
			*o++ = *p;
	}
	sprintf(o, "%s", tail);
	return out;
}

const char *ewsd_body_as(struct soap *soap, const char *body, int is_html, int want_html)
{
	if (!body || is_html == want_html)
		return body;
	return want_html ? text_to_html(soap, body) : html_to_text(soap, body);
}
