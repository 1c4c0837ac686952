/* auth.h — ewsd's authentication: users file, credential checks, impersonation grants. */
#ifndef EWSD_AUTH_H
#define EWSD_AUTH_H

#include <stddef.h>

struct soap;

/* What the HTTP header hook saw of authentication on this request. */
struct ewsd_http_auth {
	char ntlm_user[256];        /* set once an NTLM handshake on this connection verified a user */
	int accept_gzip;
	char *ntlm_header;          /* "NTLM <base64>" / "Negotiate <base64>" Authorization value, malloc'd */
	char gss_user[256];         /* this request's Kerberos (Negotiate) ticket mapped to a mailbox */
	char *gss_reply;            /* "Negotiate <base64>" proving the server's identity in the answer, malloc'd */
};

/* What to do with an NTLM Authorization header (see ewsd_ntlm_step). */
enum ewsd_ntlm_result { EWSD_NTLM_NONE, EWSD_NTLM_CHALLENGE, EWSD_NTLM_OK, EWSD_NTLM_FAILED };
struct ews_ntlm_server;
/* One NTLM step on a connection: a NEGOTIATE gets a CHALLENGE (*challenge: WWW-Authenticate value, free with
 * free()), an AUTHENTICATE is verified against the users file (open mode: any password) and sets
 * h->ntlm_user. *srv is the connection's handshake state (created on demand; freed with ewsd_ntlm_end). */
enum ewsd_ntlm_result ewsd_ntlm_step(struct ews_ntlm_server **srv, struct ewsd_http_auth *h, char **challenge);
void ewsd_ntlm_end(struct ews_ntlm_server **srv);
/* A "Negotiate" header with a Kerberos (SPNEGO) token: NONE when it is not one (NTLM, no header), OK when the
 * ticket is good and its principal maps to a mailbox (h->gss_user, h->gss_reply set), FAILED otherwise (the
 * reason logged). */
enum ewsd_ntlm_result ewsd_kerberos_step(struct ewsd_http_auth *h, const char *peer);
/* Whether --auth-schemes lets this scheme in (EWSD_AUTH_*). */
int ewsd_scheme_allowed(unsigned scheme);
/* Parse --auth-schemes "negotiate,ntlm,basic,bearer" into *out; -1 for an unknown name. */
int ewsd_parse_auth_schemes(const char *list, unsigned *out);

/* Load the users file; 0 ok, -1 unreadable or invalid (the reason, with FILE:LINE, printed on stderr). */
int ewsd_users_load(const char *path);
int ewsd_user_known(const char *smtp);                  /* a user or token entry names this mailbox */
int ewsd_may_control(const char *user);                 /* a control grant (always in open mode) */
const char *ewsd_user_password(const char *smtp);       /* borrowed; NULL when unknown */
int ewsd_may_impersonate(const char *user);
/* A discovery grant: the user holds the Discovery Management role (always in open mode). */
int ewsd_may_discover(const char *user);
/* 0 and the mailbox address in user when the request's credentials are good (or in open mode). */
int ewsd_authenticate(struct soap *soap, const struct ewsd_http_auth *h, char *user, size_t n);
/* The mailbox address of users-file entry i (user and token lines; "" for grants), NULL past the last entry:
 * with the store's mailboxes, the directory ResolveNames searches (op_people.c). Borrowed. */
const char *ewsd_users_smtp(int i);

#endif
