/* auth.c — who is calling: Basic and Bearer against the --users file (or open mode), impersonation grants,
 * and the 401 challenge Exchange sends. */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ewsd.h"
#include "auth.h"
#include "ews/ntlm.h"

struct user_entry {
	char kind;                  /* 'u' user+password, 't' bearer token, 'i' impersonation grant */
	char *a, *b;                /* user/password, token/user, user/- */
};

static struct user_entry *users;
static int nusers;

/* Format, one entry a line, '#' comments:
 *   user SMTP PASSWORD       Basic (and NTLM) credentials; the mailbox is SMTP
 *   token TOKEN SMTP         Bearer token acting as SMTP
 *   impersonate SMTP         SMTP may use ExchangeImpersonation for any mailbox */
int ewsd_users_load(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f)) {
		char *save = NULL, *kw = strtok_r(line, " \t\r\n", &save), *a, *b;
		if (!kw || *kw == '#')
			continue;
		a = strtok_r(NULL, " \t\r\n", &save);
		b = strtok_r(NULL, " \t\r\n", &save);
		if (!a)
			continue;
		struct user_entry *g = realloc(users, sizeof *users * (size_t)(nusers + 1));
		if (!g)
			break;
		users = g;
		users[nusers].kind = !strcmp(kw, "user") ? 'u' : !strcmp(kw, "token") ? 't' : 'i';
		users[nusers].a = strdup(a);
		users[nusers].b = b ? strdup(b) : NULL;
		if ((users[nusers].kind == 'u' || users[nusers].kind == 't') && !users[nusers].b)
			continue;
		nusers++;
	}
	fclose(f);
	return 0;
}

const char *ewsd_user_password(const char *user)
{
	for (int i = 0; i < nusers; i++)
		if (users[i].kind == 'u' && !strcasecmp(users[i].a, user))
			return users[i].b;
	return NULL;
}

int ewsd_may_impersonate(const char *user)
{
	if (!ewsd_cfg.users_file)
		return 1;           /* open mode: everyone may */
	for (int i = 0; i < nusers; i++)
		if (users[i].kind == 'i' && !strcasecmp(users[i].a, user))
			return 1;
	return 0;
}

/* Constant-time comparison so that response timing does not leak how much of a secret matched. */
static int secret_eq(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	unsigned char d = (unsigned char)(na != nb);
	for (size_t i = 0; i < na && i < nb; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

/* Map a Basic user name ("alice", "DOMAIN\alice", "alice@example.com") to a mailbox address. */
static void user_to_smtp(const char *user, char *out, size_t n)
{
	const char *bs = strrchr(user, '\\');
	if (bs)
		user = bs + 1;
	if (strchr(user, '@'))
		snprintf(out, n, "%s", user);
	else
		snprintf(out, n, "%s@example.com", user);
	for (char *c = out; *c; c++)
		*c = (char)tolower((unsigned char)*c);
}

int ewsd_authenticate(struct soap *soap, const struct ewsd_http_auth *h, char *user, size_t n)
{
	if (!ewsd_cfg.users_file) {
		/* open mode: any credentials; the mailbox is the Basic user, else the default one */
		if (soap->userid && *soap->userid)
			user_to_smtp(soap->userid, user, n);
		else if (h->ntlm_user[0])
			user_to_smtp(h->ntlm_user, user, n);
		else
			snprintf(user, n, "user@example.com");
		return 0;
	}
	if (soap->userid && soap->passwd) {
		char smtp[256];
		user_to_smtp(soap->userid, smtp, sizeof smtp);
		const char *pw = ewsd_user_password(smtp);
		if (pw && secret_eq(pw, soap->passwd)) {
			snprintf(user, n, "%s", smtp);
			return 0;
		}
		return -1;
	}
	if (soap->bearer) {
		for (int i = 0; i < nusers; i++)
			if (users[i].kind == 't' && secret_eq(users[i].a, soap->bearer)) {
				snprintf(user, n, "%s", users[i].b);
				return 0;
			}
		return -1;
	}
	if (h->ntlm_user[0]) {
		user_to_smtp(h->ntlm_user, user, n);
		return 0;
	}
	return -1;
}

/* NTLM: users are looked up by full address or by local part ("alice" or "alice@example.com", any domain). */
static int ntlm_lookup(void *arg, const char *user, const char *domain, char *password, size_t cap)
{
	(void)arg, (void)domain;
	if (!ewsd_cfg.users_file) {
		/* open mode: no passwords to check against; any user name logs in with an empty password */
		if (cap)
			password[0] = '\0';
		return 0;
	}
	for (int i = 0; i < nusers; i++) {
		if (users[i].kind != 'u')
			continue;
		const char *at = strchr(users[i].a, '@');
		size_t local = at ? (size_t)(at - users[i].a) : strlen(users[i].a);
		if (!strcasecmp(users[i].a, user) || (strlen(user) == local && !strncasecmp(users[i].a, user, local))) {
			if (strlen(users[i].b) + 1 > cap)
				return -1;
			memcpy(password, users[i].b, strlen(users[i].b) + 1);
			return 0;
		}
	}
	return -1;
}

/* The SMTP address of the users-file entry an NTLM user name matched (local part or full address). */
static void ntlm_user_smtp(const char *user, char *out, size_t n)
{
	for (int i = 0; i < nusers; i++) {
		const char *at = strchr(users[i].a, '@');
		size_t local = at ? (size_t)(at - users[i].a) : strlen(users[i].a);
		if (users[i].kind == 'u' &&
		    (!strcasecmp(users[i].a, user) || (strlen(user) == local && !strncasecmp(users[i].a, user, local)))) {
			snprintf(out, n, "%s", users[i].a);
			return;
		}
	}
	user_to_smtp(user, out, n);
}

enum ewsd_ntlm_result ewsd_ntlm_step(struct ews_ntlm_server **srv, struct ewsd_http_auth *h, char **challenge)
{
	const char *v = h->ntlm_header, *b64;
	unsigned char type = 0;
	*challenge = NULL;
	if (!v)
		return EWSD_NTLM_NONE;
	if (!strncasecmp(v, "NTLM ", 5))
		b64 = v + 5;
	else if (!strncasecmp(v, "Negotiate ", 10))
		b64 = v + 10;
	else
		return EWSD_NTLM_NONE;
	/* the message type is the little-endian word after "NTLMSSP\0": base64 chars 11..15 hold byte 8 */
	if (strlen(b64) >= 16 && !strncmp(b64, "TlRMTVNTUAAB", 12))
		type = 1;
	else if (strlen(b64) >= 16 && !strncmp(b64, "TlRMTVNTUAAD", 12))
		type = 3;
	else
		return EWSD_NTLM_FAILED;    /* Kerberos SPNEGO tokens are not supported */
	if (!*srv && !ews_ok(ews_ntlm_server_new("EWSD", "EWSD", NULL, srv)))
		return EWSD_NTLM_FAILED;
	if (type == 1) {
		char *hdr = NULL;
		if (!ews_ok(ews_ntlm_server_challenge(*srv, v, &hdr)))
			return EWSD_NTLM_FAILED;
		*challenge = strdup(hdr);
		ews_ntlm_free(hdr);
		return *challenge ? EWSD_NTLM_CHALLENGE : EWSD_NTLM_FAILED;
	}
	char user[256], domain[256];
	if (!ews_ok(ews_ntlm_server_verify(*srv, v, ntlm_lookup, NULL, user, sizeof user, domain, sizeof domain, NULL)))
		return EWSD_NTLM_FAILED;
	if (ewsd_cfg.users_file)
		ntlm_user_smtp(user, h->ntlm_user, sizeof h->ntlm_user);
	else
		user_to_smtp(user, h->ntlm_user, sizeof h->ntlm_user);
	return EWSD_NTLM_OK;
}

void ewsd_ntlm_end(struct ews_ntlm_server **srv)
{
	ews_ntlm_server_free(*srv);
	*srv = NULL;
}
