/* ews_base64.c — strict, bounded base64 encoder/decoder (RFC 4648, standard and URL-safe alphabets). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ews/base64.h"

static const char b64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

ews_status ews_base64_encode(const unsigned char *data, size_t len, char **out)
{
	size_t i, o = 0, n;
	char *s;

	if (out)
		*out = NULL;
	if (!out || (!data && len))
		return ews_status_make(EWS_ERR_ARGUMENT, "base64 encode: NULL argument");
	if (len > (SIZE_MAX - 1) / 4 * 3 - 3)
		return ews_status_make(EWS_ERR_TOO_LARGE, "base64 encode: %zu bytes is too large", len);
	n = (len + 2) / 3 * 4;
	s = malloc(n + 1);
	if (!s)
		return ews_status_make(EWS_ERR_NOMEM, "base64 encode: out of memory (%zu bytes)", n + 1);
	for (i = 0; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8 | data[i + 2];
		s[o++] = b64_alphabet[v >> 18 & 63];
		s[o++] = b64_alphabet[v >> 12 & 63];
		s[o++] = b64_alphabet[v >> 6 & 63];
		s[o++] = b64_alphabet[v & 63];
	}
	if (i < len) {
		uint32_t v = (uint32_t)data[i] << 16 | (i + 1 < len ? (uint32_t)data[i + 1] << 8 : 0);
		s[o++] = b64_alphabet[v >> 18 & 63];
		s[o++] = b64_alphabet[v >> 12 & 63];
		s[o++] = i + 1 < len ? b64_alphabet[v >> 6 & 63] : '=';
		s[o++] = '=';
	}
	s[o] = '\0';
	*out = s;
	return ews_status_ok();
}

/* 0..63 for an alphabet character (either alphabet), -1 otherwise. */
static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z') return c - 'A';
	if (c >= 'a' && c <= 'z') return c - 'a' + 26;
	if (c >= '0' && c <= '9') return c - '0' + 52;
	if (c == '+' || c == '-') return 62;
	if (c == '/' || c == '_') return 63;
	return -1;
}

static int b64_is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

ews_status ews_base64_decode(const char *text, size_t max_len, unsigned char **out, size_t *out_len)
{
	size_t i, digits = 0, pad = 0, need, o = 0;
	unsigned char *buf;
	uint32_t acc = 0;
	int nacc = 0;

	if (out)
		*out = NULL;
	if (out_len)
		*out_len = 0;
	if (!text || !out || !out_len)
		return ews_status_make(EWS_ERR_ARGUMENT, "base64 decode: NULL argument");

	/* First pass: validate and count, so the buffer is bounded before anything is allocated. */
	for (i = 0; text[i]; i++) {
		unsigned char c = (unsigned char)text[i];
		if (b64_is_space(c))
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		if (b64_value(c) < 0)
			return ews_status_make(EWS_ERR_FORMAT, "invalid base64: character 0x%02X at offset %zu", c, i);
		if (pad)
			return ews_status_make(EWS_ERR_FORMAT, "invalid base64: data after '=' padding at offset %zu", i);
		digits++;
	}
	if (digits % 4 == 1)
		return ews_status_make(EWS_ERR_FORMAT, "invalid base64: %zu characters is one too many or too few",
		                       digits);
	if (pad && (pad > 2 || (digits + pad) % 4 != 0))
		return ews_status_make(EWS_ERR_FORMAT, "invalid base64: wrong padding (%zu characters + %zu '=')",
		                       digits, pad);
	need = digits / 4 * 3 + (digits % 4 ? digits % 4 - 1 : 0);
	if (max_len && need > max_len)
		return ews_status_make(EWS_ERR_TOO_LARGE, "base64 data decodes to %zu bytes, more than the %zu allowed",
		                       need, max_len);
	buf = malloc(need + 1);
	if (!buf)
		return ews_status_make(EWS_ERR_NOMEM, "base64 decode: out of memory (%zu bytes)", need + 1);

	for (i = 0; text[i]; i++) {
		int v = b64_value((unsigned char)text[i]);
		if (v < 0)
			continue; /* whitespace or padding, validated above */
		acc = acc << 6 | (uint32_t)v;
		if (++nacc == 4) {
			buf[o++] = (unsigned char)(acc >> 16);
			buf[o++] = (unsigned char)(acc >> 8);
			buf[o++] = (unsigned char)acc;
			acc = 0;
			nacc = 0;
		}
	}
	if (nacc == 2) {
		if (acc & 0x0F)
			goto noncanonical;
		buf[o++] = (unsigned char)(acc >> 4);
	} else if (nacc == 3) {
		if (acc & 0x03)
			goto noncanonical;
		buf[o++] = (unsigned char)(acc >> 10);
		buf[o++] = (unsigned char)(acc >> 2);
	}
	buf[o] = '\0';
	*out = buf;
	*out_len = o;
	return ews_status_ok();

noncanonical:
	free(buf);
	return ews_status_make(EWS_ERR_FORMAT, "invalid base64: non-zero bits in the last character (truncated or "
	                       "corrupted data)");
}
