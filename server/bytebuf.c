/* bytebuf.c — the byte-buffer writer of ewsd's binary formats (ExportItems data in op_export.c, its
 * attachments' part in attach.c): big-endian numbers and length-prefixed strings appended to a buffer in the
 * request's soap arena (freed with the request, never by hand). */
#include <string.h>

#include "ewsd.h"

void ewsd_buf_reserve(struct ewsd_buf *b, size_t more)
{
	if (b->failed || b->n + more <= b->cap)
		return;
	size_t cap = (b->n + more) * 2 + 64;
	unsigned char *q = soap_malloc(b->soap, cap);
	if (!q) {
		b->failed = 1;
		return;
	}
	if (b->n)
		memcpy(q, b->p, b->n);
	b->p = q;
	b->cap = cap;
}

void ewsd_buf_put(struct ewsd_buf *b, const void *d, size_t n)
{
	ewsd_buf_reserve(b, n);
	if (b->failed || !n)
		return;
	memcpy(b->p + b->n, d, n);
	b->n += n;
}

void ewsd_buf_put_u32(struct ewsd_buf *b, uint32_t v)
{
	unsigned char x[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
			       (unsigned char)v };
	ewsd_buf_put(b, x, 4);
}

void ewsd_buf_put_i64(struct ewsd_buf *b, int64_t v)
{
	unsigned char x[8];
	for (int i = 7; i >= 0; i--, v >>= 8)
		x[i] = (unsigned char)(v & 0xff);
	ewsd_buf_put(b, x, 8);
}

void ewsd_buf_put_bytes(struct ewsd_buf *b, const void *p, size_t n, int absent)
{
	ewsd_buf_put_u32(b, absent ? 0xffffffffu : (uint32_t)n);
	if (!absent)
		ewsd_buf_put(b, p, n);
}

void ewsd_buf_put_str(struct ewsd_buf *b, const char *s)
{
	ewsd_buf_put_bytes(b, s, s ? strlen(s) : 0, !s);
}
