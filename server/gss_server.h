/* gss_server.h — ewsd's Negotiate (Kerberos/SPNEGO) acceptor through GSSAPI and a keytab. */
#ifndef EWSD_GSS_SERVER_H
#define EWSD_GSS_SERVER_H

#include <stddef.h>

/* Use `keytab` (a path, or "FILE:path"; NULL: KRB5_KTNAME or the system default) for accepting. 0 ok, -1 with
 * the reason in why. Called once, at startup. */
int ewsd_gss_configure(const char *keytab, char *why, size_t n);

/* Accept one client token (base64 of the "Negotiate" header). 0: the client is `principal` ("user@REALM"), and
 * *reply is the base64 token that proves the server's identity (malloc'd, may be NULL when the mechanism sends
 * none). -1: refused, the reason (GSSAPI's words, never a secret) in why. One context per token: each request
 * authenticates on its own. */
int ewsd_gss_accept(const char *token_b64, char *principal, size_t pn, char **reply, char *why, size_t wn);

#endif
