/* ews_ntlm_internal.h — text codecs and crypto helpers shared by the NTLM client and server; not public API. */
#ifndef EWS_NTLM_INTERNAL_H
#define EWS_NTLM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ews/ntlm.h"

#define EWS_NTLM_SIGNATURE "NTLMSSP"          /* 8 bytes with its NUL (MS-NLMP 2.2.1) */
#define EWS_NTLM_MAX_HEADER 65536             /* longest header value we decode; messages are far smaller */
#define EWS_NTLM_MAX_NAME_UNITS 256           /* user, domain, workstation: UTF-16 code units */
#define EWS_NTLM_MAX_PASSWORD_UNITS 1024

/* UTF-8 -> UTF-16LE, strict (no overlongs, surrogates, > U+10FFFF, truncation: EWS_ERR_ARGUMENT). With upper,
 * applies the simple upper-case mapping NTOWFv2 needs. At most max_units code units (EWS_ERR_ARGUMENT).
 * *out is malloc'd (never NULL on success, even for ""), *out_len in bytes. `what` names the input in errors. */
ews_status ews_ntlm_utf16le(const char *s, int upper, size_t max_units, const char *what,
                            unsigned char **out, size_t *out_len);

/* UTF-16LE -> UTF-8 (odd length or unpaired surrogate: EWS_ERR_FORMAT). *out malloc'd, NUL-terminated. */
ews_status ews_ntlm_from_utf16le(const unsigned char *p, size_t len, const char *what, char **out);

/* OEM (taken as Latin-1, the ASCII superset every client sends in practice) -> UTF-8. *out malloc'd. */
ews_status ews_ntlm_from_oem(const unsigned char *p, size_t len, char **out);

/* Upper-case one code point for NTOWFv2: the simple Unicode mapping of the basic letters of ASCII, Latin-1,
 * Latin Extended-A, Greek and Cyrillic; everything else unchanged. Client and server here use the same
 * function, so only names outside those letters could disagree with a Windows peer. */
uint32_t ews_ntlm_upper(uint32_t cp);

/* Standard base64 with padding. *out malloc'd, NUL-terminated. */
ews_status ews_ntlm_base64_encode(const unsigned char *p, size_t len, char **out);
/* Strict decode of exactly len characters. *out malloc'd (at least 1 byte). */
ews_status ews_ntlm_base64_decode(const char *s, size_t len, unsigned char **out, size_t *out_len);

/* HMAC-MD5 with a 16-byte key over the concatenation a || b (either may be empty). */
ews_status ews_ntlm_hmac_md5(const unsigned char key[16], const unsigned char *a, size_t alen,
                             const unsigned char *b, size_t blen, unsigned char out[16]);

/* Random bytes and the current FILETIME, from the hooks when given, else RAND_bytes and the clock. */
ews_status ews_ntlm_random(const ews_ntlm_hooks *hooks, unsigned char *buf, size_t len);
uint64_t ews_ntlm_now(const ews_ntlm_hooks *hooks);

/* Little-endian integer access. */
static inline uint16_t ews_le16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t ews_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t ews_le64(const unsigned char *p) { return ews_le32(p) | (uint64_t)ews_le32(p + 4) << 32; }
static inline void ews_put16(unsigned char *p, uint32_t v) { p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8); }
static inline void ews_put32(unsigned char *p, uint32_t v)
{
	ews_put16(p, v);
	ews_put16(p + 2, v >> 16);
}
static inline void ews_put64(unsigned char *p, uint64_t v)
{
	ews_put32(p, (uint32_t)v);
	ews_put32(p + 4, (uint32_t)(v >> 32));
}

/* A security buffer (len, maxlen, offset) at `at` in msg, checked against msglen: *p, *plen. EWS_ERR_FORMAT
 * when the descriptor or the data it points at lies outside the message. */
ews_status ews_ntlm_field(const unsigned char *msg, size_t msglen, size_t at, const char *what,
                          const unsigned char **p, size_t *plen);

/* Decode a header value "NTLM <b64>" and check signature and message type (1, 2 or 3) and minimum length. */
ews_status ews_ntlm_decode_message(const char *header_value, uint32_t type, size_t min_len,
                                   unsigned char **msg, size_t *len);

#endif
