/* auth.c — who is calling: Basic and Bearer against the --users file (or open mode), impersonation grants,
 * and the 401 challenge Exchange sends. */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ewsd.h"
#include "auth.h"
#include "ntlm_server.h"
#include "gss_server.h"
#include "oauth_endpoint.h"

struct user_entry {
	char kind;                  /* 'u' user+password, 't' bearer token, 'i' impersonation grant, 'c' control grant,
	                             * 'p' Kerberos principal, 'd' discovery grant */
	char *a, *b;                /* user/password, token/user, user/-, user/-, principal/user */
};

static struct user_entry *users;
static int nusers;

/* Format, one entry a line, '#' comments, fields separated by blanks:
 *   user SMTP PASSWORD       Basic (and NTLM) credentials; the mailbox is SMTP
 *   token TOKEN SMTP         Bearer token acting as SMTP
 *   impersonate SMTP         SMTP may use ExchangeImpersonation (for mailboxes that exist)
 *   control SMTP             SMTP may use /ewsd/control (fault injection)
 *   principal NAME@REALM SMTP   a Kerberos (Negotiate) client acting as SMTP (without such a line, the
 *                            principal's name matches a user entry as an NTLM user name does)
 *   discovery SMTP           SMTP holds the Discovery Management role (eDiscovery: GetSearchableMailboxes)
 * Anything else (an unknown keyword, a missing or an extra field) stops the load with FILE:LINE on stderr: a
 * typo must never turn into a grant nobody meant. */
static const struct {
	const char *keyword;
	char kind;
	int fields;
} keywords[] = { { "user", 'u', 2 }, { "token", 't', 2 }, { "impersonate", 'i', 1 }, { "control", 'c', 1 },
                { "principal", 'p', 2 }, { "discovery", 'd', 1 } };

int ewsd_users_load(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	int lineno = 0, rc = 0;
	if (!f) {
		fprintf(stderr, "ewsd: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (rc == 0 && fgets(line, sizeof line, f)) {
		char *save = NULL, *kw, *field[3];
		int nf = 0, k;
		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			fprintf(stderr, "ewsd: %s:%d: line longer than %zu characters\n", path, lineno, sizeof line - 2);
			rc = -1;
			break;
		}
		kw = strtok_r(line, " \t\r\n", &save);
		if (!kw || *kw == '#')
			continue;
		while (nf < 3 && (field[nf] = strtok_r(NULL, " \t\r\n", &save)))
			nf++;
		for (k = 0; k < (int)(sizeof keywords / sizeof keywords[0]); k++)
			if (!strcmp(kw, keywords[k].keyword))
				break;
		if (k == (int)(sizeof keywords / sizeof keywords[0])) {
			fprintf(stderr, "ewsd: %s:%d: unknown keyword '%.100s' (user, token, impersonate, control, principal, discovery)\n", path,
				lineno, kw);
			rc = -1;
		} else if (nf != keywords[k].fields) {
			fprintf(stderr, "ewsd: %s:%d: '%s' takes %d field%s, found %d%s\n", path, lineno, kw,
				keywords[k].fields, keywords[k].fields > 1 ? "s" : "", nf == 3 ? 3 : nf,
				nf == 3 ? " or more" : "");
			rc = -1;
		} else {
			struct user_entry *g = realloc(users, sizeof *users * (size_t)(nusers + 1));
			if (!g) {
				rc = -1;
				break;
			}
			users = g;
			users[nusers].kind = keywords[k].kind;
			users[nusers].a = strdup(field[0]);
			users[nusers].b = nf > 1 ? strdup(field[1]) : NULL;
			nusers++;
		}
	}
	fclose(f);
	return rc;
}

int ewsd_user_known(const char *smtp)
{
	for (int i = 0; i < nusers; i++)
		if ((users[i].kind == 'u' && !strcasecmp(users[i].a, smtp)) ||
		    (users[i].kind == 't' && !strcasecmp(users[i].b, smtp)))
			return 1;
	return 0;
}

int ewsd_may_control(const char *user)
{
	if (!ewsd_cfg.users_file)
		return 1;           /* open mode: the control endpoint is open too */
	for (int i = 0; i < nusers; i++)
		if (users[i].kind == 'c' && !strcasecmp(users[i].a, user))
			return 1;
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

int ewsd_may_discover(const char *user)
{
	if (!ewsd_cfg.users_file)
		return 1;           /* open mode: everyone holds every role */
	for (int i = 0; i < nusers; i++)
		if (users[i].kind == 'd' && !strcasecmp(users[i].a, user))
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
	if (h->gss_user[0]) {
		snprintf(user, n, "%s", h->gss_user);   /* mapped (and refused when unmapped) by ewsd_kerberos_step */
		return 0;
	}
	if (soap->userid && !ewsd_scheme_allowed(EWSD_AUTH_BASIC))
		return -1;
	if (soap->bearer && !ewsd_scheme_allowed(EWSD_AUTH_BEARER))
		return -1;
	if (!ewsd_cfg.users_file) {
		/* open mode: any credentials; the mailbox is the Basic user, else the default one */
		if (soap->userid && *soap->userid)
			user_to_smtp(soap->userid, user, n);
		else if (soap->bearer && !ewsd_oauth_token_user(soap->bearer, user, n))
			return 0;   /* a token of the OAuth2 endpoint acts as the user who approved its sign-in */
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
		/* an access token ewsd's own OAuth2 endpoint issued (and has not expired or revoked) */
		return ewsd_oauth_token_user(soap->bearer, user, n);
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

static enum ewsd_ntlm_result ntlm_message(struct ews_ntlm_server **srv, struct ewsd_http_auth *h, const char *v,
                                          unsigned char type, int in_negotiate, char **challenge);

enum ewsd_ntlm_result ewsd_ntlm_step(struct ews_ntlm_server **srv, struct ewsd_http_auth *h, char **challenge)
{
	const char *v = h->ntlm_header, *b64;
	unsigned char type = 0;
	*challenge = NULL;
	if (!v)
		return EWSD_NTLM_NONE;
	int in_negotiate = 0;
	if (!strncasecmp(v, "NTLM ", 5))
		b64 = v + 5;
	else if (!strncasecmp(v, "Negotiate ", 10))
		b64 = v + 10, in_negotiate = 1;
	else
		return EWSD_NTLM_NONE;
	if (!ewsd_scheme_allowed(in_negotiate ? EWSD_AUTH_NEGOTIATE : EWSD_AUTH_NTLM))
		return EWSD_NTLM_FAILED;
	/* the message type is the little-endian word after "NTLMSSP\0": base64 chars 11..15 hold byte 8 */
	if (strlen(b64) >= 16 && !strncmp(b64, "TlRMTVNTUAAB", 12))
		type = 1;
	else if (strlen(b64) >= 16 && !strncmp(b64, "TlRMTVNTUAAD", 12))
		type = 3;
	else
		return EWSD_NTLM_FAILED;    /* Kerberos SPNEGO tokens are not supported */
	if (!*srv && !ews_ok(ews_ntlm_server_new("EWSD", "EWSD", NULL, srv)))
		return EWSD_NTLM_FAILED;
	char *as_ntlm = NULL;   /* the NTLM server side reads "NTLM <base64>": the same message under NTLM's name */
	if (in_negotiate) {
		if (!(as_ntlm = malloc(strlen(b64) + 6)))
			return EWSD_NTLM_FAILED;
		sprintf(as_ntlm, "NTLM %s", b64);
		v = as_ntlm;
	}
	enum ewsd_ntlm_result r = ntlm_message(srv, h, v, type, in_negotiate, challenge);
	free(as_ntlm);
	return r;
}

static enum ewsd_ntlm_result ntlm_message(struct ews_ntlm_server **srv, struct ewsd_http_auth *h, const char *v,
                                          unsigned char type, int in_negotiate, char **challenge)
{
	if (type == 1) {
		char *hdr = NULL;
		if (!ews_ok(ews_ntlm_server_challenge(*srv, v, &hdr)))
			return EWSD_NTLM_FAILED;
		if (in_negotiate && !strncmp(hdr, "NTLM ", 5)) {
			/* answer in the scheme the client used (RFC 4559: NTLM messages inside Negotiate) */
			*challenge = malloc(strlen(hdr) + 6);
			if (*challenge)
				sprintf(*challenge, "Negotiate %s", hdr + 5);
		} else
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

int ewsd_scheme_allowed(unsigned scheme)
{
	return !ewsd_cfg.auth_schemes || (ewsd_cfg.auth_schemes & scheme);
}

int ewsd_parse_auth_schemes(const char *list, unsigned *out)
{
	static const struct { const char *name; unsigned bit; } names[] = {
		{ "negotiate", EWSD_AUTH_NEGOTIATE }, { "ntlm", EWSD_AUTH_NTLM }, { "basic", EWSD_AUTH_BASIC },
		{ "bearer", EWSD_AUTH_BEARER } };
	unsigned set = 0;
	const char *p = list;

	while (*p) {
		size_t len = strcspn(p, ","), k;
		for (k = 0; k < sizeof names / sizeof names[0]; k++)
			if (strlen(names[k].name) == len && !strncasecmp(p, names[k].name, len))
				break;
		if (k == sizeof names / sizeof names[0])
			return -1;
		set |= names[k].bit;
		p += len;
		if (*p == ',')
			p++;
	}
	if (!set)
		return -1;
	*out = set;
	return 0;
}

/* The mailbox of a Kerberos principal: a 'principal' line, else its name (before '@') as an NTLM user name
 * matches a user entry (the local part of its address); in open mode the name's address at example.com. */
static int principal_smtp(const char *principal, char *out, size_t n)
{
	char name[256];
	size_t len = strcspn(principal, "@");

	for (int i = 0; i < nusers; i++)
		if (users[i].kind == 'p' && !strcasecmp(users[i].a, principal)) {
			snprintf(out, n, "%s", users[i].b);
			return 0;
		}
	if (len == 0 || len >= sizeof name || memchr(principal, '/', len))
		return -1;      /* service principals (name/instance) are not mailbox users */
	memcpy(name, principal, len);
	name[len] = '\0';
	if (!ewsd_cfg.users_file) {
		user_to_smtp(name, out, n);
		return 0;
	}
	for (int i = 0; i < nusers; i++) {
		const char *at = strchr(users[i].a, '@');
		size_t local = at ? (size_t)(at - users[i].a) : strlen(users[i].a);
		if (users[i].kind == 'u' && strlen(name) == local && !strncasecmp(users[i].a, name, local)) {
			snprintf(out, n, "%s", users[i].a);
			return 0;
		}
	}
	return -1;
}

enum ewsd_ntlm_result ewsd_kerberos_step(struct ewsd_http_auth *h, const char *peer)
{
	const char *v = h->ntlm_header, *tok;
	char principal[512], why[768];
	char *reply = NULL;

	if (!v || strncasecmp(v, "Negotiate ", 10))
		return EWSD_NTLM_NONE;
	tok = v + 10 + strspn(v + 10, " ");
	if (!strncmp(tok, "TlRMTVNT", 8))
		return EWSD_NTLM_NONE;      /* NTLM inside Negotiate: ewsd_ntlm_step */
	if (!ewsd_scheme_allowed(EWSD_AUTH_NEGOTIATE))
		return EWSD_NTLM_FAILED;
	if (!ewsd_cfg.kerberos) {
		ewsd_log("%s Negotiate: a Kerberos token, but ewsd has no keytab (--keytab or KRB5_KTNAME)", peer);
		return EWSD_NTLM_FAILED;
	}
	if (ewsd_gss_accept(tok, principal, sizeof principal, &reply, why, sizeof why)) {
		ewsd_log("%s Negotiate: %s", peer, why);
		return EWSD_NTLM_FAILED;
	}
	if (principal_smtp(principal, h->gss_user, sizeof h->gss_user)) {
		ewsd_log("%s Negotiate: the Kerberos principal %s maps to no mailbox (add 'principal %s SMTP' to the "
		         "users file)", peer, principal, principal);
		h->gss_user[0] = '\0';
		free(reply);
		return EWSD_NTLM_FAILED;
	}
	free(h->gss_reply);
	h->gss_reply = NULL;
	if (reply) {
		h->gss_reply = malloc(strlen(reply) + 11);
		if (h->gss_reply)
			sprintf(h->gss_reply, "Negotiate %s", reply);
		free(reply);
	}
	return EWSD_NTLM_OK;
}

void ewsd_ntlm_end(struct ews_ntlm_server **srv)
{
	ews_ntlm_server_free(*srv);
	*srv = NULL;
}

const char *ewsd_users_smtp(int i)
{
	if (i < 0 || i >= nusers)
		return NULL;
	if (users[i].kind == 'u')
		return users[i].a;
	return users[i].kind == 't' ? users[i].b : "";
}
