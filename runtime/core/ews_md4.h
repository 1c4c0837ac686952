/* ews_md4.h — MD4 (RFC 1320), internal: NTLM's NT hash needs it and OpenSSL 3 hides it in the legacy provider. */
#ifndef EWS_MD4_H
#define EWS_MD4_H

#include <stddef.h>
#include <stdint.h>

typedef struct ews_md4_ctx {
	uint32_t state[4];
	uint64_t total;             /* bytes hashed so far */
	unsigned char block[64];    /* pending partial block */
	size_t used;                /* bytes pending in block */
} ews_md4_ctx;

void ews_md4_init(ews_md4_ctx *ctx);
void ews_md4_update(ews_md4_ctx *ctx, const void *data, size_t len);
/* Writes the 16-byte digest and wipes the context. */
void ews_md4_final(ews_md4_ctx *ctx, unsigned char digest[16]);

/* One-shot MD4 of len bytes. */
void ews_md4(const void *data, size_t len, unsigned char digest[16]);

#endif
