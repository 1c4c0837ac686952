/* ews_id_text.c — the text encodings of id bytes: base64, hex, percent-encoded base64 and the StoreId wrapping. */
#include <stdlib.h>
#include <string.h>

#include "ews/base64.h"
#include "ews_ids_internal.h"

static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* Strict hex: an even number of hex digits, nothing else (HexEntryId values never contain spaces). */
static ews_status hex_decode(const char *text, size_t n, unsigned char **out, size_t *out_len)
{
	unsigned char *buf;

	if (n % 2)
		return ews_status_make(EWS_ERR_FORMAT, "invalid HexEntryId: odd number of hex digits (%zu)", n);
	for (size_t i = 0; i < n; i++)
		if (hex_value((unsigned char)text[i]) < 0)
			return ews_status_make(EWS_ERR_FORMAT, "invalid HexEntryId: character 0x%02X at offset %zu is not "
			                       "a hex digit", (unsigned char)text[i], i);
	buf = malloc(n / 2 + 1);
	if (!buf)
		return ews_status_make(EWS_ERR_NOMEM, "out of memory decoding a HexEntryId");
	for (size_t i = 0; i < n / 2; i++)
		buf[i] = (unsigned char)(hex_value((unsigned char)text[2 * i]) << 4 |
		                         hex_value((unsigned char)text[2 * i + 1]));
	*out = buf;
	*out_len = n / 2;
	return ews_status_ok();
}

/* OwaIds are base64 placed in URLs: undo %XX escapes (strictly: two hex digits must follow every '%'). */
static ews_status percent_decode(const char *text, size_t n, char **out)
{
	char *s = malloc(n + 1);
	size_t o = 0;

	if (!s)
		return ews_status_make(EWS_ERR_NOMEM, "out of memory decoding an OwaId");
	for (size_t i = 0; i < n; i++) {
		if (text[i] != '%') {
			s[o++] = text[i];
			continue;
		}
		if (i + 2 >= n || hex_value((unsigned char)text[i + 1]) < 0 ||
		    hex_value((unsigned char)text[i + 2]) < 0) {
			free(s);
			return ews_status_make(EWS_ERR_FORMAT, "invalid OwaId: truncated or bad %%-escape at offset %zu", i);
		}
		s[o++] = (char)(hex_value((unsigned char)text[i + 1]) << 4 | hex_value((unsigned char)text[i + 2]));
		i += 2;
		if (s[o - 1] == '\0') {
			free(s);
			return ews_status_make(EWS_ERR_FORMAT, "invalid OwaId: %%00 at offset %zu", i - 2);
		}
	}
	s[o] = '\0';
	*out = s;
	return ews_status_ok();
}

ews_status ews_ids_decode_text(const char *text, ews_id_format format, unsigned char **out, size_t *out_len)
{
	const char *name = ews_id_format_name(format);
	ews_status st;
	size_t n;

	*out = NULL;
	*out_len = 0;
	if (!text || !name)
		return ews_status_make(EWS_ERR_ARGUMENT, "id decode: NULL id or unknown format %d", (int)format);
	n = strnlen(text, EWS_ID_MAX_TEXT + 1);
	if (n > EWS_ID_MAX_TEXT)
		return ews_status_make(EWS_ERR_FORMAT, "%s: longer than %d characters", name, EWS_ID_MAX_TEXT);
	if (n == 0)
		return ews_status_make(EWS_ERR_FORMAT, "%s: empty id", name);

	if (format == EWS_ID_HEX_ENTRY_ID) {
		st = hex_decode(text, n, out, out_len);
	} else if (format == EWS_ID_OWA_ID) {
		char *plain = NULL;
		st = percent_decode(text, n, &plain);
		if (!ews_ok(st))
			return st;
		st = ews_base64_decode(plain, EWS_ID_MAX_BYTES, out, out_len);
		free(plain);
	} else {
		st = ews_base64_decode(text, EWS_ID_MAX_BYTES, out, out_len);
	}
	/* An id too large to be real is a malformed id, whatever the codec calls it. */
	if (!ews_ok(st))
		return ews_status_make(st.code == EWS_ERR_TOO_LARGE ? EWS_ERR_FORMAT : st.code, "%s: %s", name,
		                       st.message);
	if (*out_len == 0) {
		free(*out);
		*out = NULL;
		return ews_status_make(EWS_ERR_FORMAT, "%s: no data (only whitespace)", name);
	}
	return st;
}

ews_status ews_ids_encode_text(const unsigned char *data, size_t len, ews_id_format format, char **out)
{
	static const char digits[] = "0123456789ABCDEF";
	ews_status st;
	char *b64, *s;
	size_t o = 0;

	*out = NULL;
	if (format == EWS_ID_HEX_ENTRY_ID) {
		s = malloc(2 * len + 1);
		if (!s)
			return ews_status_make(EWS_ERR_NOMEM, "out of memory writing a HexEntryId");
		for (size_t i = 0; i < len; i++) {
			s[2 * i] = digits[data[i] >> 4];
			s[2 * i + 1] = digits[data[i] & 15];
		}
		s[2 * len] = '\0';
		*out = s;
		return ews_status_ok();
	}
	st = ews_base64_encode(data, len, &b64);
	if (!ews_ok(st) || format != EWS_ID_OWA_ID) {
		*out = ews_ok(st) ? b64 : NULL;
		return st;
	}
	/* OwaId: escape the three base64 characters that mean something in a URL. */
	s = malloc(3 * strlen(b64) + 1);
	if (!s) {
		free(b64);
		return ews_status_make(EWS_ERR_NOMEM, "out of memory writing an OwaId");
	}
	for (const char *p = b64; *p; p++) {
		if (*p == '+' || *p == '/' || *p == '=') {
			s[o++] = '%';
			s[o++] = digits[(unsigned char)*p >> 4];
			s[o++] = digits[*p & 15];
		} else {
			s[o++] = *p;
		}
	}
	s[o] = '\0';
	free(b64);
	*out = s;
	return ews_status_ok();
}

ews_status ews_ids_unwrap_store_id(const unsigned char *data, size_t len, const unsigned char **entry,
                                   size_t *entry_len, int *object_type)
{
	if (len < 3)
		return ews_status_make(EWS_ERR_FORMAT, "StoreId: %zu bytes is too short (length byte, ENTRYID, type byte)",
		                       len);
	if (data[0] == 0)
		return ews_status_make(EWS_ERR_FORMAT, "StoreId: length byte is 0 (no ENTRYID)");
	if ((size_t)data[0] + 2 > len)
		return ews_status_make(EWS_ERR_FORMAT, "StoreId: length byte %u points past the end (%zu bytes)",
		                       data[0], len);
	if ((size_t)data[0] + 2 < len)
		return ews_status_make(EWS_ERR_FORMAT, "StoreId: %zu unexpected bytes after the type byte",
		                       len - data[0] - 2);
	*entry = data + 1;
	*entry_len = data[0];
	*object_type = data[len - 1];
	return ews_status_ok();
}
