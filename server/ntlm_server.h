/* ntlm_server.h — NTLMv2 HTTP authentication, server side (MS-NLMP 3.2.5): ewsd's, not libews's. The message
 * codecs and crypto it shares with the client come from libews (ews/ntlm.h, runtime/core/ews_ntlm_internal.h). */
#ifndef EWSD_NTLM_SERVER_H
#define EWSD_NTLM_SERVER_H

#include <stddef.h>

#include "ews/ntlm.h"

/* One NTLM handshake in progress on one connection. Not thread-safe; one per connection. */
typedef struct ews_ntlm_server ews_ntlm_server;

/* nb_domain and nb_computer (UTF-8, non-empty, copied) name the server in the CHALLENGE (MsvAvNbDomainName,
 * MsvAvNbComputerName; the target name is nb_domain). hooks (copied; may be NULL) supply the server challenge
 * and MsvAvTimestamp. *out is allocated; caller frees with ews_ntlm_server_free(). */
ews_status ews_ntlm_server_new(const char *nb_domain, const char *nb_computer, const ews_ntlm_hooks *hooks,
                               ews_ntlm_server **out);
/* Wipes the pending challenge and frees. NULL is fine. */
void ews_ntlm_server_free(ews_ntlm_server *srv);

/* Answer a client's NEGOTIATE header value ("NTLM <base64>" of a type 1 message; EWS_ERR_FORMAT if it is not
 * one) with a fresh CHALLENGE: the WWW-Authenticate value in *out_header (malloc'd; caller frees with
 * ews_ntlm_free()). A new challenge replaces any pending one. */
ews_status ews_ntlm_server_challenge(ews_ntlm_server *srv, const char *negotiate_header, char **out_header);

/* Looks up the password of user in domain (both UTF-8 as the client sent them; NTLMv2 hashes the user name
 * upper-cased, so match it case-insensitively). Copy it NUL-terminated into password (capacity cap) and
 * return 0; return non-zero for an unknown user. The server wipes the buffer after use. */
typedef int (*ews_ntlm_password_lookup)(void *arg, const char *user, const char *domain, char *password,
                                        size_t cap);

/* Verify the client's AUTHENTICATE header value against the pending challenge: recompute NTProofStr from the
 * client's blob with NTOWFv2(password, user, domain) and compare in constant time. The challenge is used up
 * whatever the outcome (a replay fails). On success the user and domain names the client sent are written to
 * user_out/domain_out (NUL-terminated UTF-8; domain_out may be NULL). Errors: EWS_ERR_AUTH (unknown user,
 * wrong password, anonymous), EWS_ERR_UNSUPPORTED (an NTLMv1/LM-only response), EWS_ERR_FORMAT (malformed
 * message), EWS_ERR_ARGUMENT (no pending challenge, output buffer too small). session_base_key (may be NULL)
 * receives the SessionBaseKey on success. */
ews_status ews_ntlm_server_verify(ews_ntlm_server *srv, const char *authenticate_header,
                                  ews_ntlm_password_lookup lookup, void *lookup_arg,
                                  char *user_out, size_t user_cap, char *domain_out, size_t domain_cap,
                                  unsigned char session_base_key[16]);

#endif
