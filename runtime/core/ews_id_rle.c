/* ews_id_rle.c — the run-length encoding of compressed EwsIds ("AQ..."), MS-OXCEXT 3.1.4.5. */
#include <stdlib.h>

#include "ews/ids.h"

ews_status ews_id_rle_compress(const unsigned char *in, size_t len, unsigned char **out, size_t *out_len)
{
	unsigned char *buf;
	size_t i = 0, o = 0;

	if (out)
		*out = NULL;
	if (out_len)
		*out_len = 0;
	if (!out || !out_len || (!in && len))
		return ews_status_make(EWS_ERR_ARGUMENT, "RLE compress: NULL argument");
	if (len > EWS_ID_MAX_BYTES)
		return ews_status_make(EWS_ERR_TOO_LARGE, "RLE compress: %zu bytes is more than %d", len, EWS_ID_MAX_BYTES);
	/* Worst case: every byte single, or pairs "b b" growing to "b b 0" (3 for 2). */
	buf = malloc(len + len / 2 + 1);
	if (!buf)
		return ews_status_make(EWS_ERR_NOMEM, "RLE compress: out of memory");
	while (i < len) {
		size_t run = 1;
		while (i + run < len && in[i + run] == in[i] && run < 257)
			run++;
		if (run >= 2) {
			buf[o++] = in[i];
			buf[o++] = in[i];
			buf[o++] = (unsigned char)(run - 2);
		} else {
			buf[o++] = in[i];
		}
		i += run;
	}
	*out = buf;
	*out_len = o;
	return ews_status_ok();
}

ews_status ews_id_rle_decompress(const unsigned char *in, size_t len, size_t max_len, unsigned char **out,
                                 size_t *out_len)
{
	unsigned char *buf;
	size_t i = 0, o = 0;

	if (out)
		*out = NULL;
	if (out_len)
		*out_len = 0;
	if (!out || !out_len || (!in && len))
		return ews_status_make(EWS_ERR_ARGUMENT, "RLE decompress: NULL argument");
	if (!max_len)
		max_len = EWS_ID_MAX_BYTES;
	buf = malloc(max_len + 1);
	if (!buf)
		return ews_status_make(EWS_ERR_NOMEM, "RLE decompress: out of memory");
	while (i < len) {
		size_t n = 1;
		if (i + 1 < len && in[i] == in[i + 1]) {
			if (i + 2 >= len) {
				free(buf);
				return ews_status_make(EWS_ERR_FORMAT, "RLE data truncated: run of 0x%02X at offset %zu has no "
				                       "count byte", in[i], i);
			}
			n = (size_t)in[i + 2] + 2;
		}
		if (n > max_len - o) {
			free(buf);
			return ews_status_make(EWS_ERR_TOO_LARGE, "RLE data expands beyond %zu bytes", max_len);
		}
		for (size_t k = 0; k < n; k++)
			buf[o++] = in[i];
		i += n == 1 ? 1 : 3;
	}
	*out = buf;
	*out_len = o;
	return ews_status_ok();
}
