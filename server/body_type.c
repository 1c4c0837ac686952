#define _GNU_SOURCE     /* strcasestr */
/* body_type.c — a body in the type a request asks for (BodyType Text / HTML / Best): HTML to text by dropping the
 * markup (block ends become line breaks, the common character references decoded), text to HTML escaped in a
 * minimal document. */
#include <string.h>
#include <strings.h>

#include "ewsd.h"

static const char *html_to_text(struct soap *soap, const char *h)
{
	size_t n = strlen(h);
	char *out = soap_malloc(soap, n + 1), *o = out;
	static const struct { const char *ref, *ch; } refs[] = {
		{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" }, { "&#39;", "'" }, { "&nbsp;", " " },
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
