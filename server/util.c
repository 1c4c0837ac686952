/* util.c — small helpers of ewsd: logging, base64, time stamps, address checks. */
#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "ewsd.h"

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void ewsd_log(const char *fmt, ...)
{
	va_list ap;
	char ts[32];
	FILE *f = ewsd_cfg.log ? ewsd_cfg.log : stderr;

	ewsd_now(ts);
	pthread_mutex_lock(&log_lock);
	fprintf(f, "%s ", ts);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fflush(f);
	pthread_mutex_unlock(&log_lock);
}

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *ewsd_b64(struct soap *soap, const unsigned char *p, size_t n)
{
	char *out = soap_malloc(soap, (n + 2) / 3 * 4 + 1), *o = out;
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i + 2 < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
		*o++ = b64chars[v >> 18];
		*o++ = b64chars[(v >> 12) & 63];
		*o++ = b64chars[(v >> 6) & 63];
		*o++ = b64chars[v & 63];
	}
	if (i < n) {
		unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0);
		*o++ = b64chars[v >> 18];
		*o++ = b64chars[(v >> 12) & 63];
		*o++ = i + 1 < n ? b64chars[(v >> 6) & 63] : '=';
		*o++ = '=';
	}
	*o = '\0';
	return out;
}

unsigned char *ewsd_unb64(struct soap *soap, const char *s, size_t *n)
{
	size_t len, k = 0;
	unsigned char *out;
	unsigned v = 0;
	int bits = 0, pad = 0;

	if (!s)
		return NULL;
	len = strlen(s);
	out = soap_malloc(soap, len / 4 * 3 + 3);
	if (!out)
		return NULL;
	for (const char *c = s; *c; c++) {
		const char *pos;
		if (isspace((unsigned char)*c))
			continue;
		if (*c == '=') {
			pad++;
			continue;
		}
		if (pad || !(pos = strchr(b64chars, *c)) || !*c)
			return NULL;
		v = v << 6 | (unsigned)(pos - b64chars);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[k++] = (unsigned char)(v >> bits);
		}
	}
	if (pad > 2 || bits >= 6)
		return NULL;
	*n = k;
	return out;
}

void ewsd_now(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* local@domain with a dot in the domain, printable characters only: the format check ConvertId does. */
const char *ewsd_smtp_problem(const char *s)
{
	const char *at;
	size_t n;

	if (!s || (n = strlen(s)) < 3)
		return "too short for an SMTP address";
	if (n > 320)
		return "longer than an SMTP address may be (320 characters)";
	at = strchr(s, '@');
	if (!at || at == s || !at[1])
		return "an SMTP address is local-part@domain";
	if (strchr(at + 1, '@'))
		return "more than one '@'";
	if (!strchr(at + 1, '.') || at[1] == '.' || s[n - 1] == '.')
		return "the domain needs a dot between labels (example.com)";
	for (const char *c = s; *c; c++)
		if ((unsigned char)*c <= ' ' || *c == '<' || *c == '>' || *c == ',' || *c == ';' || *c == '"' ||
		    (unsigned char)*c >= 0x7f)
			return "blanks, control or non-ASCII characters and <>,;\" are not allowed";
	return NULL;
}

int ewsd_valid_smtp(const char *s)
{
	return ewsd_smtp_problem(s) == NULL;
}

size_t ewsd_utf8_chars(const char *s)
{
	size_t n = 0;
	for (; s && *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

int ewsd_http_length_refused(const struct soap *soap)
{
	return soap->recv_maxlength && soap->length > (ULONG64)soap->recv_maxlength;
}

char *ewsd_list_entry_addr(char *entry)
{
	char *addr = strchr(entry, '<') ? strchr(entry, '<') + 1 : entry;
	char *gt = strchr(addr, '>');
	if (gt)
		*gt = '\0';
	addr += strspn(addr, " ");
	for (char *e = addr + strlen(addr); e > addr && e[-1] == ' '; e--)
		e[-1] = '\0';
	return addr;
}
