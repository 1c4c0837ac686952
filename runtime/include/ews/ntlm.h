/* ews/ntlm.h — NTLMv2 HTTP authentication (MS-NLMP), client side, on plain buffers and header values.
 * (The server side is ewsd's, not the library's: server/ntlm_server.h.) */
#ifndef EWS_NTLM_H
#define EWS_NTLM_H

#include <stddef.h>
#include <stdint.h>

#include "ews/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The HTTP exchange (one keep-alive connection; NTLM authenticates the connection, not the request):
 *   client -> request                                        server -> 401, WWW-Authenticate: NTLM
 *   client -> Authorization: ews_ntlm_negotiate_header()     server -> 401, WWW-Authenticate: ews_ntlm_server_challenge()
 *   client -> Authorization: ews_ntlm_authenticate_header()  server -> ews_ntlm_server_verify() -> 200 or 401
 * Header values are "NTLM <base64>", the part after "Authorization: " / "WWW-Authenticate: ".
 * Only NTLMv2 is produced and accepted (no LM, no NTLMv1, no signing/sealing: HTTP needs none of them).
 * All strings in and out are UTF-8; invalid UTF-8 is refused with EWS_ERR_ARGUMENT.
 * Nothing here logs, and no status message ever contains a password, hash or response.
 */

/* NegotiateFlags (MS-NLMP 2.2.2.5). */
#define EWS_NTLM_NEGOTIATE_UNICODE            0x00000001u
#define EWS_NTLM_NEGOTIATE_OEM                0x00000002u
#define EWS_NTLM_REQUEST_TARGET               0x00000004u
#define EWS_NTLM_NEGOTIATE_SIGN               0x00000010u
#define EWS_NTLM_NEGOTIATE_SEAL               0x00000020u
#define EWS_NTLM_NEGOTIATE_NTLM               0x00000200u
#define EWS_NTLM_NEGOTIATE_ALWAYS_SIGN        0x00008000u
#define EWS_NTLM_TARGET_TYPE_DOMAIN           0x00010000u
#define EWS_NTLM_TARGET_TYPE_SERVER           0x00020000u
#define EWS_NTLM_NEGOTIATE_EXTENDED_SESSIONSECURITY 0x00080000u
#define EWS_NTLM_NEGOTIATE_TARGET_INFO        0x00800000u
#define EWS_NTLM_NEGOTIATE_VERSION            0x02000000u
#define EWS_NTLM_NEGOTIATE_128                0x20000000u
#define EWS_NTLM_NEGOTIATE_KEY_EXCH           0x40000000u
#define EWS_NTLM_NEGOTIATE_56                 0x80000000u

/* AV_PAIR ids in a CHALLENGE's TargetInfo (MS-NLMP 2.2.2.1). */
#define EWS_NTLM_AV_EOL                0
#define EWS_NTLM_AV_NB_COMPUTER_NAME   1
#define EWS_NTLM_AV_NB_DOMAIN_NAME     2
#define EWS_NTLM_AV_DNS_COMPUTER_NAME  3
#define EWS_NTLM_AV_DNS_DOMAIN_NAME    4
#define EWS_NTLM_AV_DNS_TREE_NAME      5
#define EWS_NTLM_AV_FLAGS              6
#define EWS_NTLM_AV_TIMESTAMP          7

/* Where randomness and time come from. Pass NULL for the defaults (OpenSSL RAND_bytes, the system clock);
 * tests pass fixed values to reproduce the MS-NLMP section 4.2 examples. */
typedef struct ews_ntlm_hooks {
	/* Fill buf with len random bytes; return 0 on success. NULL: RAND_bytes. */
	int (*random)(void *arg, unsigned char *buf, size_t len);
	/* Now as a Windows FILETIME (100 ns ticks since 1601-01-01 UTC). NULL: the system clock. */
	uint64_t (*filetime)(void *arg);
	void *arg;
} ews_ntlm_hooks;

/* Who the client authenticates as. All UTF-8, borrowed for the duration of the call. */
typedef struct ews_ntlm_credentials {
	const char *user;           /* required, non-empty; see ews_ntlm_split_user for "DOMAIN\user" */
	const char *domain;         /* NULL or "" for none */
	const char *password;       /* required (may be "") */
	const char *workstation;    /* NULL or "" for none */
} ews_ntlm_credentials;

/* ---- helpers ---- */

/* Split a login "DOMAIN\user" or "user@domain" (a plain "user" gives domain ""). Writes NUL-terminated
 * strings into the caller's buffers; EWS_ERR_ARGUMENT if a part is empty or does not fit. */
ews_status ews_ntlm_split_user(const char *login, char *user, size_t user_cap, char *domain, size_t domain_cap);

/* "NTLM " + base64(msg). *out_header is malloc'd; caller frees with ews_ntlm_free(). */
ews_status ews_ntlm_header_encode(const unsigned char *msg, size_t len, char **out_header);

/* Decode a header value "NTLM <base64>" (scheme case-insensitive, surrounding blanks ignored). Strict
 * base64 (padding required, no stray characters); EWS_ERR_FORMAT otherwise, also for a bare "NTLM".
 * *out_msg is malloc'd (caller frees with ews_ntlm_free()), *out_len its length. */
ews_status ews_ntlm_header_decode(const char *header_value, unsigned char **out_msg, size_t *out_len);

/* Free anything this module returned through an out-parameter. NULL is fine. */
void ews_ntlm_free(void *p);

/* NTOWFv2 = HMAC_MD5(MD4(UTF-16LE(password)), UTF-16LE(Uppercase(user) + domain)) (MS-NLMP 3.3.2),
 * also LMOWFv2. Writes 16 bytes into out. */
ews_status ews_ntlm_ntowfv2(const char *password, const char *user, const char *domain, unsigned char out[16]);

/* ---- client side ---- */

/* A CHALLENGE_MESSAGE (type 2), parsed. Strings are UTF-8 (NULL when absent); all owned by the struct. */
typedef struct ews_ntlm_challenge {
	uint32_t flags;
	unsigned char server_challenge[8];
	char *target_name;
	unsigned char *target_info;     /* raw AV_PAIR list, validated and ending with MsvAvEOL */
	size_t target_info_len;
	char *nb_computer, *nb_domain, *dns_computer, *dns_domain;
	int has_timestamp;              /* MsvAvTimestamp present */
	uint64_t timestamp;             /* its FILETIME value */
} ews_ntlm_challenge;

/* Parse a raw CHALLENGE_MESSAGE; every offset and length is checked against len (EWS_ERR_FORMAT).
 * *out is allocated; caller frees with ews_ntlm_challenge_free(). */
ews_status ews_ntlm_parse_challenge(const unsigned char *msg, size_t len, ews_ntlm_challenge **out);
void ews_ntlm_challenge_free(ews_ntlm_challenge *ch);

/* The NEGOTIATE_MESSAGE (type 1) value for the first Authorization header: "NTLM TlRMTVNTUAAB...".
 * *out_header is malloc'd; caller frees with ews_ntlm_free(). */
ews_status ews_ntlm_negotiate_header(char **out_header);

/* Build a raw AUTHENTICATE_MESSAGE (type 3) answering a raw CHALLENGE_MESSAGE with an NTLMv2 response:
 * NTProofStr + blob (time from MsvAvTimestamp if present, else hooks/clock; 8-byte client challenge from
 * hooks/RAND_bytes; the server's TargetInfo copied), and the LMv2 response (24 zero bytes when the challenge
 * carried MsvAvTimestamp, MS-NLMP 3.3.2). hooks may be NULL. *out_msg is malloc'd (caller frees with
 * ews_ntlm_free()); session_base_key (may be NULL) receives the 16-byte SessionBaseKey. */
ews_status ews_ntlm_build_authenticate(const unsigned char *challenge, size_t challenge_len,
                                       const ews_ntlm_credentials *cred, const ews_ntlm_hooks *hooks,
                                       unsigned char **out_msg, size_t *out_len,
                                       unsigned char session_base_key[16]);

/* The same from and to header values: challenge_header is the server's "NTLM <base64>" WWW-Authenticate value.
 * *out_header is malloc'd; caller frees with ews_ntlm_free(). hooks may be NULL. */
ews_status ews_ntlm_authenticate_header(const char *challenge_header, const ews_ntlm_credentials *cred,
                                        const ews_ntlm_hooks *hooks, char **out_header);

#ifdef __cplusplus
}
#endif
#endif
