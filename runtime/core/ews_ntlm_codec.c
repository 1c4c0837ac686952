/* ews_ntlm_codec.c — the text side of NTLM: UTF-8/UTF-16LE, upper-casing, base64, header values, logins. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "ews_ntlm_internal.h"

void ews_ntlm_free(void *p)
{
	free(p);
}

/* Next code point of strict UTF-8 at s[*i]; -1 on any malformation. */
static long utf8_next(const unsigned char *s, size_t *i)
{
	unsigned char c = s[*i];
	uint32_t cp, min;
	int n;

	if (c < 0x80) {
		(*i)++;
		return c;
	}
	if (c >= 0xc0 && c < 0xe0) {
		n = 1; cp = c & 0x1f; min = 0x80;
	} else if (c >= 0xe0 && c < 0xf0) {
		n = 2; cp = c & 0x0f; min = 0x800;
	} else if (c >= 0xf0 && c < 0xf5) {
		n = 3; cp = c & 0x07; min = 0x10000;
	} else {
		return -1;
	}
	for (int k = 1; k <= n; k++) {
		unsigned char d = s[*i + k];    /* stops at the NUL terminator: NUL is not a continuation byte */
		if ((d & 0xc0) != 0x80)
			return -1;
		cp = cp << 6 | (d & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*i += (size_t)n + 1;
	return (long)cp;
}

uint32_t ews_ntlm_upper(uint32_t c)
{
	if (c >= 'a' && c <= 'z')
		return c - 0x20;
	if (c < 0xe0)
		return c;
	if (c <= 0xfe)
		return c == 0xf7 ? c : c - 0x20;
	if (c == 0xff)
		return 0x178;
	if (c == 0x131)
		return 'I';                     /* dotless i */
	if ((c >= 0x100 && c <= 0x137) || (c >= 0x14a && c <= 0x177))
		return c & ~1u;                 /* pairs: even upper, odd lower */
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
		return (c & 1) ? c : c - 1;     /* pairs: odd upper, even lower */
	if (c == 0x3c2)
		return 0x3a3;                   /* final sigma */
	if (c >= 0x3b1 && c <= 0x3c9)
		return c - 0x20;
	if (c >= 0x430 && c <= 0x44f)
		return c - 0x20;
	if (c >= 0x450 && c <= 0x45f)
		return c - 0x50;
	return c;
}

ews_status ews_ntlm_utf16le(const char *s, int upper, size_t max_units, const char *what,
                            unsigned char **out, size_t *out_len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n = 0, cap;
	unsigned char *buf;

	*out = NULL;
	*out_len = 0;
	if (!s)
		return ews_status_make(EWS_ERR_ARGUMENT, "NTLM: %s is missing", what);
	cap = strnlen(s, max_units * 3 + 1);
	if (cap > max_units * 3)
		return ews_status_make(EWS_ERR_ARGUMENT, "NTLM: %s is too long", what);
	buf = malloc(cap * 2 + 1);  /* each UTF-8 byte gives at most one UTF-16 unit; 4-byte sequences give two */
	if (!buf)
		return ews_status_make(EWS_ERR_NOMEM, "NTLM: out of memory");
	while (u[i]) {
		long cp = utf8_next(u, &i);
		if (cp < 0) {
			free(buf);
			return ews_status_make(EWS_ERR_ARGUMENT, "NTLM: %s is not valid UTF-8", what);
		}
		if (upper)
			cp = (long)ews_ntlm_upper((uint32_t)cp);
		if (cp >= 0x10000) {
			uint32_t v = (uint32_t)cp - 0x10000;
			ews_put16(buf + 2 * n++, 0xd800 | (v >> 10));
			ews_put16(buf + 2 * n++, 0xdc00 | (v & 0x3ff));
		} else {
			ews_put16(buf + 2 * n++, (uint32_t)cp);
		}
	}
	if (n > max_units) {
		OPENSSL_cleanse(buf, n * 2);
		free(buf);
		return ews_status_make(EWS_ERR_ARGUMENT, "NTLM: %s is too long", what);
	}
	*out = buf;
	*out_len = n * 2;
	return ews_status_ok();
}

ews_status ews_ntlm_from_utf16le(const unsigned char *p, size_t len, const char *what, char **out)
{
	char *buf, *w;

	*out = NULL;
	if (len % 2)
		return ews_status_make(EWS_ERR_FORMAT, "NTLM: %s has an odd UTF-16 length", what);
	buf = malloc(len / 2 * 3 + 1);  /* a unit gives at most 3 bytes; a surrogate pair 4 bytes for 2 units */
	if (!buf)
		return ews_status_make(EWS_ERR_NOMEM, "NTLM: out of memory");
	w = buf;
	for (size_t i = 0; i < len; i += 2) {
		uint32_t cp = ews_le16(p + i);
		if (cp >= 0xdc00 && cp <= 0xdfff)
			goto bad;
		if (cp >= 0xd800 && cp <= 0xdbff) {
			uint32_t lo;
			if (i + 4 > len)
				goto bad;
			lo = ews_le16(p + i + 2);
			if (lo < 0xdc00 || lo > 0xdfff)
				goto bad;
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			i += 2;
		}
		if (cp == 0)
			goto bad;               /* would cut the C string short */
		if (cp < 0x80) {
			*w++ = (char)cp;
		} else if (cp < 0x800) {
			*w++ = (char)(0xc0 | cp >> 6);
			*w++ = (char)(0x80 | (cp & 0x3f));
		} else if (cp < 0x10000) {
			*w++ = (char)(0xe0 | cp >> 12);
			*w++ = (char)(0x80 | (cp >> 6 & 0x3f));
			*w++ = (char)(0x80 | (cp & 0x3f));
		} else {
			*w++ = (char)(0xf0 | cp >> 18);
			*w++ = (char)(0x80 | (cp >> 12 & 0x3f));
			*w++ = (char)(0x80 | (cp >> 6 & 0x3f));
			*w++ = (char)(0x80 | (cp & 0x3f));
		}
	}
	*w = '\0';
	*out = buf;
	return ews_status_ok();
bad:
	free(buf);
	return ews_status_make(EWS_ERR_FORMAT, "NTLM: %s is not valid UTF-16", what);
}

ews_status ews_ntlm_from_oem(const unsigned char *p, size_t len, char **out)
{
	char *buf = malloc(len * 2 + 1), *w = buf;

	*out = NULL;
	if (!buf)
		return ews_status_make(EWS_ERR_NOMEM, "NTLM: out of memory");
	for (size_t i = 0; i < len; i++) {
		if (p[i] == 0) {
			free(buf);
			return ews_status_make(EWS_ERR_FORMAT, "NTLM: a name contains a NUL byte");
		}
		if (p[i] < 0x80) {
			*w++ = (char)p[i];
		} else {
			*w++ = (char)(0xc0 | p[i] >> 6);
			*w++ = (char)(0x80 | (p[i] & 0x3f));
		}
	}
	*w = '\0';
	*out = buf;
	return ews_status_ok();
}

static const char b64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

ews_status ews_ntlm_base64_encode(const unsigned char *p, size_t len, char **out)
{
	char *buf, *w;

	*out = NULL;
	if (len > EWS_NTLM_MAX_HEADER)
		return ews_status_make(EWS_ERR_ARGUMENT, "NTLM: message too long to encode");
	buf = malloc((len + 2) / 3 * 4 + 1);
	if (!buf)
		return ews_status_make(EWS_ERR_NOMEM, "NTLM: out of memory");
	w = buf;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		*w++ = b64_alphabet[v >> 18];
		*w++ = b64_alphabet[v >> 12 & 63];
		*w++ = i + 1 < len ? b64_alphabet[v >> 6 & 63] : '=';
		*w++ = i + 2 < len ? b64_alphabet[v & 63] : '=';
	}
	*w = '\0';
	*out = buf;
	return ews_status_ok();
}

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

ews_status ews_ntlm_base64_decode(const char *s, size_t len, unsigned char **out, size_t *out_len)
{
	unsigned char *buf;
	size_t n = 0, pad = 0;

	*out = NULL;
	*out_len = 0;
	if (len == 0 || len % 4)
		return ews_status_make(EWS_ERR_FORMAT, "NTLM: bad base64 length");
	if (s[len - 1] == '=')
		pad = s[len - 2] == '=' ? 2 : 1;
	buf = malloc(len / 4 * 3);
	if (!buf)
		return ews_status_make(EWS_ERR_NOMEM, "NTLM: out of memory");
	for (size_t i = 0; i < len; i += 4) {
		int v[4];
		int last = i + 4 == len;
		for (int k = 0; k < 4; k++) {
			v[k] = b64_value(s[i + k]);
			if (v[k] < 0 && !(last && s[i + k] == '=' && k >= 4 - (int)pad)) {
				free(buf);
				return ews_status_make(EWS_ERR_FORMAT, "NTLM: invalid base64");
			}
			if (v[k] < 0)
				v[k] = 0;
		}
		uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
		buf[n++] = (unsigned char)(w >> 16);
		if (!last || pad < 2)
			buf[n++] = (unsigned char)(w >> 8);
		if (!last || pad < 1)
			buf[n++] = (unsigned char)w;
	}
	*out = buf;
	*out_len = n;
	return ews_status_ok();
}

ews_status ews_ntlm_header_encode(const unsigned char *msg, size_t len, char **out_header)
{
	char *b64, *hdr;
	ews_status st;

	if (!out_header)
		return ews_status_make(EWS_ERR_ARGUMENT, "NTLM: no output pointer");
	*out_header = NULL;
	if (!msg || !len)
		return ews_status_make(EWS_ERR_ARGUMENT, "NTLM: empty message");
	st = ews_ntlm_base64_encode(msg, len, &b64);
	if (!ews_ok(st))
		return st;
	hdr = malloc(strlen(b64) + 6);
	if (!hdr) {
		free(b64);
		return ews_status_make(EWS_ERR_NOMEM, "NTLM: out of memory");
	}
	memcpy(hdr, "NTLM ", 5);
	strcpy(hdr + 5, b64);
	free(b64);
	*out_header = hdr;
	return ews_status_ok();
}

ews_status ews_ntlm_header_decode(const char *v, unsigned char **out_msg, size_t *out_len)
{
	size_t len, start, end;

	if (!out_msg || !out_len)
		return ews_status_make(EWS_ERR_ARGUMENT, "NTLM: no output pointer");
	*out_msg = NULL;
	*out_len = 0;
	if (!v)
		return ews_status_make(EWS_ERR_ARGUMENT, "NTLM: no header value");
	len = strnlen(v, EWS_NTLM_MAX_HEADER + 1);
	if (len > EWS_NTLM_MAX_HEADER)
		return ews_status_make(EWS_ERR_FORMAT, "NTLM: header value too long");
	start = 0;
	while (start < len && (v[start] == ' ' || v[start] == '\t'))
		start++;
	if (len - start < 4 || strncasecmp(v + start, "NTLM", 4) != 0)
		return ews_status_make(EWS_ERR_FORMAT, "NTLM: header value is not of the NTLM scheme");
	start += 4;
	if (start < len && v[start] != ' ' && v[start] != '\t')
		return ews_status_make(EWS_ERR_FORMAT, "NTLM: header value is not of the NTLM scheme");
	while (start < len && (v[start] == ' ' || v[start] == '\t'))
		start++;
	end = len;
	while (end > start && (v[end - 1] == ' ' || v[end - 1] == '\t' || v[end - 1] == '\r' || v[end - 1] == '\n'))
		end--;
	if (end == start)
		return ews_status_make(EWS_ERR_FORMAT, "NTLM: header value carries no NTLM token");
	return ews_ntlm_base64_decode(v + start, end - start, out_msg, out_len);
}

ews_status ews_ntlm_split_user(const char *login, char *user, size_t user_cap, char *domain, size_t domain_cap)
{
	const char *sep, *u, *d;
	size_t ulen, dlen;

	if (!login || !user || !domain || !user_cap || !domain_cap)
		return ews_status_make(EWS_ERR_ARGUMENT, "NTLM: missing login or output buffer");
	if ((sep = strchr(login, '\\')) != NULL) {
		d = login;
		dlen = (size_t)(sep - login);
		u = sep + 1;
		ulen = strlen(u);
		if (dlen == 0)
			return ews_status_make(EWS_ERR_ARGUMENT, "NTLM: empty domain in DOMAIN\\user login");
	} else if ((sep = strrchr(login, '@')) != NULL) {
		u = login;
		ulen = (size_t)(sep - login);
		d = sep + 1;
		dlen = strlen(d);
		if (dlen == 0)
			return ews_status_make(EWS_ERR_ARGUMENT, "NTLM: empty domain in user@domain login");
	} else {
		u = login;
		ulen = strlen(login);
		d = "";
		dlen = 0;
	}
	if (ulen == 0)
		return ews_status_make(EWS_ERR_ARGUMENT, "NTLM: empty user name in login");
	if (ulen >= user_cap || dlen >= domain_cap)
		return ews_status_make(EWS_ERR_ARGUMENT, "NTLM: login part does not fit the buffer");
	memcpy(user, u, ulen);
	user[ulen] = '\0';
	memcpy(domain, d, dlen);
	domain[dlen] = '\0';
	return ews_status_ok();
}

ews_status ews_ntlm_hmac_md5(const unsigned char key[16], const unsigned char *a, size_t alen,
                             const unsigned char *b, size_t blen, unsigned char out[16])
{
	unsigned char *data = malloc(alen + blen + 1);
	unsigned int outlen = 0;
	int ok;

	if (!data)
		return ews_status_make(EWS_ERR_NOMEM, "NTLM: out of memory");
	if (alen)
		memcpy(data, a, alen);
	if (blen)
		memcpy(data + alen, b, blen);
	ok = HMAC(EVP_md5(), key, 16, data, alen + blen, out, &outlen) != NULL && outlen == 16;
	OPENSSL_cleanse(data, alen + blen);
	free(data);
	return ok ? ews_status_ok() : ews_status_make(EWS_ERR_INTERNAL, "NTLM: HMAC-MD5 is unavailable");
}

ews_status ews_ntlm_random(const ews_ntlm_hooks *hooks, unsigned char *buf, size_t len)
{
	if (hooks && hooks->random) {
		if (hooks->random(hooks->arg, buf, len) != 0)
			return ews_status_make(EWS_ERR_INTERNAL, "NTLM: the random hook failed");
		return ews_status_ok();
	}
	if (len > 0x7fffffff || RAND_bytes(buf, (int)len) != 1)
		return ews_status_make(EWS_ERR_INTERNAL, "NTLM: no random bytes available");
	return ews_status_ok();
}

uint64_t ews_ntlm_now(const ews_ntlm_hooks *hooks)
{
	struct timespec ts;

	if (hooks && hooks->filetime)
		return hooks->filetime(hooks->arg);
	clock_gettime(CLOCK_REALTIME, &ts);
	/* 11644473600 s from 1601-01-01 to 1970-01-01; FILETIME ticks are 100 ns. */
	return ((uint64_t)ts.tv_sec + 11644473600ull) * 10000000ull + (uint64_t)ts.tv_nsec / 100;
}

ews_status ews_ntlm_field(const unsigned char *msg, size_t msglen, size_t at, const char *what,
                          const unsigned char **p, size_t *plen)
{
	size_t len, off;

	*p = NULL;
	*plen = 0;
	if (at > msglen || msglen - at < 8)
		return ews_status_make(EWS_ERR_FORMAT, "NTLM: message too short for the %s field", what);
	len = ews_le16(msg + at);
	off = ews_le32(msg + at + 4);
	if (len == 0)
		return ews_status_ok();     /* empty fields' offsets are not always meaningful */
	if (off > msglen || len > msglen - off)
		return ews_status_make(EWS_ERR_FORMAT, "NTLM: %s field points outside the message", what);
	*p = msg + off;
	*plen = len;
	return ews_status_ok();
}

ews_status ews_ntlm_decode_message(const char *header_value, uint32_t type, size_t min_len,
                                   unsigned char **msg, size_t *len)
{
	ews_status st = ews_ntlm_header_decode(header_value, msg, len);

	if (!ews_ok(st))
		return st;
	if (*len < min_len || *len < 12 || memcmp(*msg, EWS_NTLM_SIGNATURE, 8) != 0 || ews_le32(*msg + 8) != type) {
		free(*msg);
		*msg = NULL;
		*len = 0;
		return ews_status_make(EWS_ERR_FORMAT, "NTLM: not an NTLM type %u message (bad signature, type or length)",
		                       (unsigned)type);
	}
	return ews_status_ok();
}
