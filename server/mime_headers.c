/* mime_headers.c — reading an imported message's header values as the item's properties (CreateItem with
 * MimeContent, mime.c): RFC 2047 encoded words (Subject, display names), the RFC 5322 Date, Importance. */
#define _GNU_SOURCE     /* strptime, tm_gmtoff */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ewsd.h"

static int hexval(int ch)
{
	return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
	     : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* One encoded word's text ("=?cs?B?...?=" without the markers) decoded into out (UTF-8); the byte count or -1. */
static long decode_word(const char *cs, size_t csl, char enc, const char *t, size_t tl, char *out)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned char raw[1024];
	size_t n = 0;
	int latin1 = (csl == 10 && !strncasecmp(cs, "iso-8859-1", 10)) || (csl == 12 && !strncasecmp(cs, "windows-1252", 12));
	if (!latin1 && !(csl == 5 && !strncasecmp(cs, "utf-8", 5)) && !(csl == 8 && !strncasecmp(cs, "us-ascii", 8)))
		return -1;                              /* a character set we do not convert: keep the word as it is */
	if (tl > sizeof raw)
		return -1;
	if (enc == 'B' || enc == 'b') {
		unsigned v = 0;
		int bits = 0;
		for (size_t i = 0; i < tl && t[i] != '='; i++) {
			const char *p = memchr(b64, t[i], 64);
			if (!p)
				return -1;
			v = v << 6 | (unsigned)(p - b64);
			if ((bits += 6) >= 8)
				raw[n++] = (unsigned char)(v >> (bits -= 8));
		}
	} else {
		for (size_t i = 0; i < tl; i++) {
			if (t[i] == '_')
				raw[n++] = ' ';
			else if (t[i] == '=' && i + 2 < tl && hexval(t[i + 1]) >= 0 && hexval(t[i + 2]) >= 0)
				raw[n++] = (unsigned char)(hexval(t[i + 1]) * 16 + hexval(t[i + 2])), i += 2;
			else
				raw[n++] = (unsigned char)t[i];
		}
	}
	long o = 0;
	for (size_t i = 0; i < n; i++) {
		if (latin1 && raw[i] >= 0x80) {
			out[o++] = (char)(0xc0 | raw[i] >> 6);
			out[o++] = (char)(0x80 | (raw[i] & 0x3f));
		} else {
			out[o++] = (char)raw[i];
		}
	}
	return o;
}

char *ewsd_mime_decode_words(struct soap *soap, const char *v)
{
	if (!v || !strstr(v, "=?"))
		return (char *)v;
	size_t len = strlen(v);
	char *out = soap_malloc(soap, len * 2 + 1), *o = out;
	const char *p = v, *last_word_end = NULL;
	if (!out)
		return (char *)v;
	while (*p) {
		const char *q1, *q2, *end;
		if (p[0] == '=' && p[1] == '?' && (q1 = strchr(p + 2, '?')) && q1[1] && q1[2] == '?' &&
		    (end = strstr(q1 + 3, "?=")) && (q2 = q1 + 2)) {
			/* whitespace between two encoded words is not part of the text (RFC 2047 6.2) */
			if (last_word_end) {
				const char *w = last_word_end;
				while (w < p && (*w == ' ' || *w == '\t' || *w == '\r' || *w == '\n'))
					w++;
				if (w == p)
					o -= p - last_word_end;
			}
			long k = decode_word(p + 2, (size_t)(q1 - (p + 2)), q1[1], q2 + 1, (size_t)(end - (q2 + 1)), o);
			if (k >= 0) {
				o += k;
				p = end + 2;
				last_word_end = p;
				continue;
			}
		}
		*o++ = *p++;
	}
	*o = '\0';
	return out;
}

const char *ewsd_mime_date(struct soap *soap, const char *v)
{
	struct tm tm;
	const char *p = v, *rest;
	if (!v)
		return NULL;
	while (*p == ' ' || *p == '\t')
		p++;
	if (isalpha((unsigned char)*p)) {                 /* "Mon, " */
		const char *comma = strchr(p, ',');
		if (!comma)
			return NULL;
		p = comma + 1;
	}
	memset(&tm, 0, sizeof tm);
	if (!(rest = strptime(p, " %d %b %Y %H:%M", &tm)))
		return NULL;
	if (*rest == ':')
		rest = strptime(rest, ":%S", &tm);
	if (!rest)
		return NULL;
	while (*rest == ' ')
		rest++;
	long off = 0;                                   /* "+0200", "-0700"; obsolete zone names count as UTC */
	if ((*rest == '+' || *rest == '-') && isdigit((unsigned char)rest[1]) && isdigit((unsigned char)rest[2]) &&
	    isdigit((unsigned char)rest[3]) && isdigit((unsigned char)rest[4]))
		off = (*rest == '-' ? -1 : 1) *
		      (((rest[1] - '0') * 10 + (rest[2] - '0')) * 3600L + ((rest[3] - '0') * 10 + (rest[4] - '0')) * 60L);
	time_t t = timegm(&tm) - off;
	char *out = soap_malloc(soap, 32);
	if (!out || !gmtime_r(&t, &tm))
		return NULL;
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return out;
}

int ewsd_mime_importance(const char *importance, const char *x_priority)
{
	if (importance)
		return !strncasecmp(importance, "high", 4) ? 2 : !strncasecmp(importance, "low", 3) ? 0 : 1;
	if (x_priority && *x_priority >= '1' && *x_priority <= '5')
		return *x_priority <= '2' ? 2 : *x_priority >= '4' ? 0 : 1;
	return 1;
}
