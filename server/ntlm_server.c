/* ntlm_server.c — NTLMv2 server side (MS-NLMP 3.2.5): issue a CHALLENGE, verify the AUTHENTICATE. */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ews_ntlm_internal.h"
#include "ntlm_server.h"

#define CHALLENGE_HEADER_LEN 56     /* fixed part with the (zero) Version field (MS-NLMP 2.2.1.2) */
#define AUTH_MIN_LEN 64             /* through NegotiateFlags (2.2.1.3) */
#define BLOB_FIXED_LEN 28           /* NTLMv2_CLIENT_CHALLENGE before its AvPairs (2.2.2.7) */
#define MAX_NAME_BYTES (EWS_NTLM_MAX_NAME_UNITS * 2)
/* Every password the client side accepts (EWS_NTLM_MAX_PASSWORD_UNITS UTF-16 code units) fits, whatever its
 * script: a code unit comes from at most 3 bytes of UTF-8. (It was 1024 bytes: a 600-character non-ASCII
 * password was cut mid-character and refused, found by tests/fuzz ntlm_server.) */
#define PASSWORD_CAP (EWS_NTLM_MAX_PASSWORD_UNITS * 3 + 1)

struct ews_ntlm_server {
	char *nb_domain;
	char *nb_computer;
	ews_ntlm_hooks hooks;
	int has_hooks;
	int pending;                    /* a challenge was sent and not yet used */
	unsigned char server_challenge[8];
};

ews_status ews_ntlm_server_new(const char *nb_domain, const char *nb_computer, const ews_ntlm_hooks *hooks,
                               ews_ntlm_server **out)
{
	ews_ntlm_server *srv;

	if (!out)
		return ews_status_make(EWS_ERR_ARGUMENT, "NTLM: no output pointer");
	*out = NULL;
	if (!nb_domain || !nb_domain[0] || !nb_computer || !nb_computer[0])
		return ews_status_make(EWS_ERR_ARGUMENT, "NTLM: server domain and computer names are required");
	srv = calloc(1, sizeof *srv);
	if (!srv)
		return ews_status_make(EWS_ERR_NOMEM, "NTLM: out of memory");
	srv->nb_domain = strdup(nb_domain);
	srv->nb_computer = strdup(nb_computer);
	if (!srv->nb_domain || !srv->nb_computer) {
		ews_ntlm_server_free(srv);
		return ews_status_make(EWS_ERR_NOMEM, "NTLM: out of memory");
	}
	if (hooks) {
		srv->hooks = *hooks;
		srv->has_hooks = 1;
	}
	*out = srv;
	return ews_status_ok();
}

void ews_ntlm_server_free(ews_ntlm_server *srv)
{
	if (!srv)
		return;
	free(srv->nb_domain);
	free(srv->nb_computer);
	OPENSSL_cleanse(srv, sizeof *srv);
	free(srv);
}

static void put_av(unsigned char *p, size_t *pos, uint16_t id, const unsigned char *v, size_t len)
{
	ews_put16(p + *pos, id);
	ews_put16(p + *pos + 2, (uint32_t)len);
	if (len)
		memcpy(p + *pos + 4, v, len);
	*pos += 4 + len;
}

ews_status ews_ntlm_server_challenge(ews_ntlm_server *srv, const char *negotiate_header, char **out_header)
{
	unsigned char *neg = NULL, *dom = NULL, *comp = NULL, *tname = NULL, *msg = NULL, stamp[8];
	size_t neglen = 0, domlen = 0, complen = 0, tnamelen = 0, tilen, total, pos;
	const ews_ntlm_hooks *hooks;
	uint32_t cflags, flags;
	ews_status st;

	if (!out_header)
		return ews_status_make(EWS_ERR_ARGUMENT, "NTLM: no output pointer");
	*out_header = NULL;
	if (!srv)
		return ews_status_make(EWS_ERR_ARGUMENT, "NTLM: no server state");
	hooks = srv->has_hooks ? &srv->hooks : NULL;
	srv->pending = 0;
	st = ews_ntlm_decode_message(negotiate_header, 1, 16, &neg, &neglen);
	if (!ews_ok(st))
		return st;
	cflags = ews_le32(neg + 12);
	free(neg);

	/* Unicode when the client offers it, else OEM (3.2.5.1.1); NTLM with target info, so NTLMv2 follows. */
	flags = EWS_NTLM_NEGOTIATE_NTLM | EWS_NTLM_REQUEST_TARGET | EWS_NTLM_TARGET_TYPE_DOMAIN |
	        EWS_NTLM_NEGOTIATE_TARGET_INFO |
	        (cflags & (EWS_NTLM_NEGOTIATE_ALWAYS_SIGN | EWS_NTLM_NEGOTIATE_EXTENDED_SESSIONSECURITY |
	                   EWS_NTLM_NEGOTIATE_128 | EWS_NTLM_NEGOTIATE_56));
	flags |= (cflags & EWS_NTLM_NEGOTIATE_UNICODE) ? EWS_NTLM_NEGOTIATE_UNICODE : EWS_NTLM_NEGOTIATE_OEM;

	st = ews_ntlm_utf16le(srv->nb_domain, 0, EWS_NTLM_MAX_NAME_UNITS, "server domain", &dom, &domlen);
	if (ews_ok(st))
		st = ews_ntlm_utf16le(srv->nb_computer, 0, EWS_NTLM_MAX_NAME_UNITS, "server computer name", &comp,
		                      &complen);
	if (ews_ok(st) && (flags & EWS_NTLM_NEGOTIATE_UNICODE)) {
		tname = malloc(domlen ? domlen : 1);
		if (tname) {
			memcpy(tname, dom, domlen);
			tnamelen = domlen;
		}
	} else if (ews_ok(st)) {
		tname = malloc(domlen / 2 + 1);     /* OEM target name: only when the domain is ASCII */
		for (size_t i = 0; tname && i < domlen; i += 2) {
			if (ews_le16(dom + i) > 0x7f) {
				tnamelen = 0;
				break;
			}
			tname[tnamelen++] = dom[i];
		}
	}
	if (ews_ok(st) && !tname)
		st = ews_status_make(EWS_ERR_NOMEM, "NTLM: out of memory");
	if (ews_ok(st))
		st = ews_ntlm_random(hooks, srv->server_challenge, sizeof srv->server_challenge);
	if (!ews_ok(st))
		goto done;

	/* TargetInfo: MsvAvNbDomainName, MsvAvNbComputerName, MsvAvTimestamp, MsvAvEOL. */
	tilen = 4 + domlen + 4 + complen + 4 + 8 + 4;
	total = CHALLENGE_HEADER_LEN + tnamelen + tilen;
	msg = calloc(1, total);
	if (!msg) {
		st = ews_status_make(EWS_ERR_NOMEM, "NTLM: out of memory");
		goto done;
	}
	memcpy(msg, EWS_NTLM_SIGNATURE, 8);
	ews_put32(msg + 8, 2);
	ews_put16(msg + 12, (uint32_t)tnamelen);
	ews_put16(msg + 14, (uint32_t)tnamelen);
	ews_put32(msg + 16, CHALLENGE_HEADER_LEN);
	ews_put32(msg + 20, flags);
	memcpy(msg + 24, srv->server_challenge, 8);
	ews_put16(msg + 40, (uint32_t)tilen);
	ews_put16(msg + 42, (uint32_t)tilen);
	ews_put32(msg + 44, (uint32_t)(CHALLENGE_HEADER_LEN + tnamelen));
	pos = CHALLENGE_HEADER_LEN;
	if (tnamelen)
		memcpy(msg + pos, tname, tnamelen);
	pos += tnamelen;
	ews_put64(stamp, ews_ntlm_now(hooks));
	put_av(msg, &pos, EWS_NTLM_AV_NB_DOMAIN_NAME, dom, domlen);
	put_av(msg, &pos, EWS_NTLM_AV_NB_COMPUTER_NAME, comp, complen);
	put_av(msg, &pos, EWS_NTLM_AV_TIMESTAMP, stamp, 8);
	put_av(msg, &pos, EWS_NTLM_AV_EOL, NULL, 0);
	st = ews_ntlm_header_encode(msg, total, out_header);
	if (ews_ok(st))
		srv->pending = 1;
done:
	free(dom);
	free(comp);
	free(tname);
	free(msg);
	return st;
}

/* A name from the AUTHENTICATE payload as UTF-8, per the message's character set. */
static ews_status decode_name(const unsigned char *p, size_t len, int unicode, const char *what, char **out)
{
	if (len > MAX_NAME_BYTES)
		return ews_status_make(EWS_ERR_FORMAT, "NTLM: the %s is too long", what);
	return unicode ? ews_ntlm_from_utf16le(p, len, what, out) : ews_ntlm_from_oem(p, len, out);
}

static ews_status copy_out(const char *s, char *dst, size_t cap, const char *what)
{
	size_t n = strlen(s);

	if (!dst)
		return ews_status_ok();
	if (n >= cap)
		return ews_status_make(EWS_ERR_ARGUMENT, "NTLM: the %s does not fit the output buffer", what);
	memcpy(dst, s, n + 1);
	return ews_status_ok();
}

ews_status ews_ntlm_server_verify(ews_ntlm_server *srv, const char *authenticate_header,
                                  ews_ntlm_password_lookup lookup, void *lookup_arg,
                                  char *user_out, size_t user_cap, char *domain_out, size_t domain_cap,
                                  unsigned char session_base_key[16])
{
	unsigned char *msg = NULL, server_challenge[8], key[16], proof[16];
	const unsigned char *lm, *nt, *dom, *usr, *ws, *sk;
	size_t len = 0, lmlen, ntlen, domlen, usrlen, wslen, sklen;
	char *user = NULL, *domain = NULL, *password = NULL;
	int unicode;
	ews_status st;

	if (!srv || !lookup || !user_out || !user_cap)
		return ews_status_make(EWS_ERR_ARGUMENT, "NTLM: missing server state, lookup or user buffer");
	if (!srv->pending)
		return ews_status_make(EWS_ERR_ARGUMENT, "NTLM: no challenge is pending on this connection");
	/* The challenge is good for one answer, right or wrong: a replayed AUTHENTICATE finds none. */
	memcpy(server_challenge, srv->server_challenge, 8);
	OPENSSL_cleanse(srv->server_challenge, sizeof srv->server_challenge);
	srv->pending = 0;

	st = ews_ntlm_decode_message(authenticate_header, 3, AUTH_MIN_LEN, &msg, &len);
	if (ews_ok(st))
		st = ews_ntlm_field(msg, len, 12, "LM response", &lm, &lmlen);
	if (ews_ok(st))
		st = ews_ntlm_field(msg, len, 20, "NT response", &nt, &ntlen);
	if (ews_ok(st))
		st = ews_ntlm_field(msg, len, 28, "domain", &dom, &domlen);
	if (ews_ok(st))
		st = ews_ntlm_field(msg, len, 36, "user name", &usr, &usrlen);
	if (ews_ok(st))
		st = ews_ntlm_field(msg, len, 44, "workstation", &ws, &wslen);
	if (ews_ok(st))
		st = ews_ntlm_field(msg, len, 52, "session key", &sk, &sklen);
	if (!ews_ok(st))
		goto done;
	unicode = (ews_le32(msg + 60) & EWS_NTLM_NEGOTIATE_UNICODE) != 0;

	if (usrlen == 0 || ntlen == 0) {
		st = ntlen == 0 && lmlen > 1
		     ? ews_status_make(EWS_ERR_UNSUPPORTED, "NTLM: LM-only response; this server requires NTLMv2")
		     : ews_status_make(EWS_ERR_AUTH, "NTLM: anonymous logins are not accepted");
		goto done;
	}
	if (ntlen == 24) {
		st = ews_status_make(EWS_ERR_UNSUPPORTED, "NTLM: NTLMv1 response; this server requires NTLMv2");
		goto done;
	}
	if (ntlen < 16 + BLOB_FIXED_LEN || nt[16] != 1 || nt[17] != 1) {
		st = ews_status_make(EWS_ERR_FORMAT, "NTLM: malformed NTLMv2 response");
		goto done;
	}
	st = decode_name(usr, usrlen, unicode, "user name", &user);
	if (ews_ok(st))
		st = decode_name(dom, domlen, unicode, "domain", &domain);
	if (!ews_ok(st))
		goto done;
	password = calloc(1, PASSWORD_CAP);
	if (!password) {
		st = ews_status_make(EWS_ERR_NOMEM, "NTLM: out of memory");
		goto done;
	}
	if (lookup(lookup_arg, user, domain, password, PASSWORD_CAP) != 0) {
		st = ews_status_make(EWS_ERR_AUTH, "NTLM: unknown user or wrong password");
		goto done;
	}
	password[PASSWORD_CAP - 1] = '\0';
	/* NTProofStr = HMAC_MD5(NTOWFv2, ServerChallenge || temp), temp being the client's blob (3.3.2). */
	st = ews_ntlm_ntowfv2(password, user, domain, key);
	if (ews_ok(st))
		st = ews_ntlm_hmac_md5(key, server_challenge, 8, nt + 16, ntlen - 16, proof);
	if (!ews_ok(st))
		goto done;
	if (CRYPTO_memcmp(proof, nt, 16) != 0) {
		st = ews_status_make(EWS_ERR_AUTH, "NTLM: unknown user or wrong password");
		goto done;
	}
	if (session_base_key) {
		st = ews_ntlm_hmac_md5(key, proof, 16, NULL, 0, session_base_key);
		if (!ews_ok(st))
			goto done;
	}
	st = copy_out(user, user_out, user_cap, "user name");
	if (ews_ok(st))
		st = copy_out(domain, domain_out, domain_cap, "domain");
done:
	if (password) {
		OPENSSL_cleanse(password, PASSWORD_CAP);
		free(password);
	}
	OPENSSL_cleanse(key, sizeof key);
	OPENSSL_cleanse(server_challenge, sizeof server_challenge);
	free(user);
	free(domain);
	free(msg);
	return st;
}
