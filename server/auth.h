/* auth.h — ewsd's authentication: users file, credential checks, impersonation grants. */
#ifndef EWSD_AUTH_H
#define EWSD_AUTH_H

#include <stddef.h>

struct soap;

/* What the HTTP header hook saw of authentication on this request. */
struct ewsd_http_auth {
	char ntlm_user[256];        /* set once an NTLM handshake on this connection verified a user */
	int accept_gzip;
};

int ewsd_users_load(const char *path);                  /* 0 ok, -1 unreadable */
const char *ewsd_user_password(const char *smtp);       /* borrowed; NULL when unknown */
int ewsd_may_impersonate(const char *user);
/* 0 and the mailbox address in user when the request's credentials are good (or in open mode). */
int ewsd_authenticate(struct soap *soap, const struct ewsd_http_auth *h, char *user, size_t n);

#endif
