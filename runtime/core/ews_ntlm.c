/* ews_ntlm.c — NTLMv2 client side (MS-NLMP): NTOWFv2, NEGOTIATE, CHALLENGE parsing, AUTHENTICATE with NTLMv2. */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ews_md4.h"
#include "ews_ntlm_internal.h"

/* What this client can do over HTTP: no signing, sealing or key exchange, so none of those are asked for. */
#define CLIENT_FLAGS (EWS_NTLM_NEGOTIATE_UNICODE | EWS_NTLM_NEGOTIATE_OEM | EWS_NTLM_REQUEST_TARGET | \
                      EWS_NTLM_NEGOTIATE_NTLM | EWS_NTLM_NEGOTIATE_ALWAYS_SIGN | \
                      EWS_NTLM_NEGOTIATE_EXTENDED_SESSIONSECURITY | EWS_NTLM_NEGOTIATE_128 | EWS_NTLM_NEGOTIATE_56)
#define AUTH_ECHO_FLAGS (EWS_NTLM_NEGOTIATE_UNICODE | EWS_NTLM_REQUEST_TARGET | EWS_NTLM_NEGOTIATE_NTLM | \
                         EWS_NTLM_NEGOTIATE_ALWAYS_SIGN | EWS_NTLM_NEGOTIATE_EXTENDED_SESSIONSECURITY | \
                         EWS_NTLM_NEGOTIATE_TARGET_INFO | EWS_NTLM_NEGOTIATE_128 | EWS_NTLM_NEGOTIATE_56)

#define NEGOTIATE_LEN 40        /* fixed part with the (zero) Version field, no payload (MS-NLMP 2.2.1.1) */
#define CHALLENGE_MIN_LEN 48    /* through TargetInfoFields (2.2.1.2) */
#define AUTH_HEADER_LEN 72      /* fixed part with the (zero) Version field; we send no MIC (2.2.1.3) */
#define BLOB_FIXED_LEN 28       /* NTLMv2_CLIENT_CHALLENGE before its AvPairs (2.2.2.7) */

ews_status ews_ntlm_ntowfv2(const char *password, const char *user, const char *domain, unsigned char out[16])
{
	unsigned char *pw = NULL, *u = NULL, *d = NULL, nthash[16];
	size_t pwlen, ulen, dlen;
	ews_status st;

	if (!out)
		return ews_status_make(EWS_ERR_ARGUMENT, "NTLM: no output buffer");
	st = ews_ntlm_utf16le(password, 0, EWS_NTLM_MAX_PASSWORD_UNITS, "password", &pw, &pwlen);
	if (ews_ok(st))
		st = ews_ntlm_utf16le(user, 1, EWS_NTLM_MAX_NAME_UNITS, "user name", &u, &ulen);
	if (ews_ok(st))
		st = ews_ntlm_utf16le(domain ? domain : "", 0, EWS_NTLM_MAX_NAME_UNITS, "domain", &d, &dlen);
	if (ews_ok(st)) {
		ews_md4(pw, pwlen, nthash);     /* NTOWFv1: MD4 of the UTF-16LE password */
		st = ews_ntlm_hmac_md5(nthash, u, ulen, d, dlen, out);
		OPENSSL_cleanse(nthash, sizeof nthash);
	}
	if (pw)
		OPENSSL_cleanse(pw, pwlen);
	free(pw);
	free(u);
	free(d);
	return st;
}

ews_status ews_ntlm_negotiate_header(char **out_header)
{
	unsigned char msg[NEGOTIATE_LEN] = { 0 };

	if (!out_header)
		return ews_status_make(EWS_ERR_ARGUMENT, "NTLM: no output pointer");
	memcpy(msg, EWS_NTLM_SIGNATURE, 8);
	ews_put32(msg + 8, 1);
	ews_put32(msg + 12, CLIENT_FLAGS);
	/* DomainNameFields and WorkstationFields: empty, pointing at the end of the message. */
	ews_put32(msg + 20, NEGOTIATE_LEN);
	ews_put32(msg + 28, NEGOTIATE_LEN);
	return ews_ntlm_header_encode(msg, sizeof msg, out_header);
}

void ews_ntlm_challenge_free(ews_ntlm_challenge *ch)
{
	if (!ch)
		return;
	free(ch->target_name);
	free(ch->target_info);
	free(ch->nb_computer);
	free(ch->nb_domain);
	free(ch->dns_computer);
	free(ch->dns_domain);
	free(ch);
}

/* Walk the AV_PAIR list: every pair inside the buffer, the list ends with MsvAvEOL; keep the names we show
 * and the timestamp. Sets *used to the length through the EOL pair. */
static ews_status parse_target_info(ews_ntlm_challenge *ch, const unsigned char *p, size_t len, size_t *used)
{
	size_t pos = 0;

	for (;;) {
		uint16_t id, alen;
		char **slot = NULL;

		if (len - pos < 4)
			return ews_status_make(EWS_ERR_FORMAT, "NTLM: target info ends without MsvAvEOL");
		id = ews_le16(p + pos);
		alen = ews_le16(p + pos + 2);
		pos += 4;
		if (alen > len - pos)
			return ews_status_make(EWS_ERR_FORMAT, "NTLM: target info pair %u runs past the end", id);
		if (id == EWS_NTLM_AV_EOL) {
			if (alen != 0)
				return ews_status_make(EWS_ERR_FORMAT, "NTLM: MsvAvEOL with a value");
			*used = pos;
			return ews_status_ok();
		}
		switch (id) {
		case EWS_NTLM_AV_NB_COMPUTER_NAME: slot = &ch->nb_computer; break;
		case EWS_NTLM_AV_NB_DOMAIN_NAME: slot = &ch->nb_domain; break;
		case EWS_NTLM_AV_DNS_COMPUTER_NAME: slot = &ch->dns_computer; break;
		case EWS_NTLM_AV_DNS_DOMAIN_NAME: slot = &ch->dns_domain; break;
		case EWS_NTLM_AV_TIMESTAMP:
			if (alen != 8)
				return ews_status_make(EWS_ERR_FORMAT, "NTLM: MsvAvTimestamp is not 8 bytes");
			if (!ch->has_timestamp) {
				ch->has_timestamp = 1;
				ch->timestamp = ews_le64(p + pos);
			}
			break;
		default:
			break;              /* other pairs travel unread inside the copied target info */
		}
		if (slot && !*slot) {
			ews_status st = ews_ntlm_from_utf16le(p + pos, alen, "target info name", slot);
			if (!ews_ok(st))
				return st;
		}
		pos += alen;
	}
}

ews_status ews_ntlm_parse_challenge(const unsigned char *msg, size_t len, ews_ntlm_challenge **out)
{
	ews_ntlm_challenge *ch;
	const unsigned char *tn, *ti;
	size_t tnlen, tilen, used = 0;
	ews_status st;

	if (!out)
		return ews_status_make(EWS_ERR_ARGUMENT, "NTLM: no output pointer");
	*out = NULL;
	if (!msg)
		return ews_status_make(EWS_ERR_ARGUMENT, "NTLM: no challenge message");
	if (len < CHALLENGE_MIN_LEN || memcmp(msg, EWS_NTLM_SIGNATURE, 8) != 0 || ews_le32(msg + 8) != 2)
		return ews_status_make(EWS_ERR_FORMAT, "NTLM: not a CHALLENGE message (bad signature, type or length)");
	ch = calloc(1, sizeof *ch);
	if (!ch)
		return ews_status_make(EWS_ERR_NOMEM, "NTLM: out of memory");
	ch->flags = ews_le32(msg + 20);
	memcpy(ch->server_challenge, msg + 24, 8);
	st = ews_ntlm_field(msg, len, 12, "target name", &tn, &tnlen);
	if (ews_ok(st))
		st = ews_ntlm_field(msg, len, 40, "target info", &ti, &tilen);
	if (ews_ok(st) && tnlen)
		st = (ch->flags & EWS_NTLM_NEGOTIATE_UNICODE) ? ews_ntlm_from_utf16le(tn, tnlen, "target name", &ch->target_name)
		                                             : ews_ntlm_from_oem(tn, tnlen, &ch->target_name);
	if (ews_ok(st) && tilen) {
		st = parse_target_info(ch, ti, tilen, &used);
		if (ews_ok(st)) {
			ch->target_info = malloc(used);
			if (!ch->target_info)
				st = ews_status_make(EWS_ERR_NOMEM, "NTLM: out of memory");
			else {
				memcpy(ch->target_info, ti, used);
				ch->target_info_len = used;
			}
		}
	}
	if (!ews_ok(st)) {
		ews_ntlm_challenge_free(ch);
		return st;
	}
	*out = ch;
	return ews_status_ok();
}

/* A name for the AUTHENTICATE payload: UTF-16LE, or ASCII when the server did not agree to Unicode. */
static ews_status encode_name(const char *s, int unicode, const char *what, unsigned char **out, size_t *len)
{
	ews_status st = ews_ntlm_utf16le(s ? s : "", 0, EWS_NTLM_MAX_NAME_UNITS, what, out, len);

	if (!ews_ok(st) || unicode)
		return st;
	for (size_t i = 0; i < *len; i += 2) {
		if (ews_le16(*out + i) > 0x7f) {
			free(*out);
			*out = NULL;
			return ews_status_make(EWS_ERR_UNSUPPORTED, "NTLM: the server does not accept Unicode and the %s "
			                       "is not ASCII", what);
		}
		(*out)[i / 2] = (*out)[i];
	}
	*len /= 2;
	return ews_status_ok();
}

/* Append data to the payload at *pos and describe it in the security buffer at `at`. */
static void put_field(unsigned char *msg, size_t at, size_t *pos, const unsigned char *data, size_t len)
{
	ews_put16(msg + at, (uint32_t)len);
	ews_put16(msg + at + 2, (uint32_t)len);
	ews_put32(msg + at + 4, (uint32_t)*pos);
	if (len)
		memcpy(msg + *pos, data, len);
	*pos += len;
}

ews_status ews_ntlm_build_authenticate(const unsigned char *challenge, size_t challenge_len,
                                       const ews_ntlm_credentials *cred, const ews_ntlm_hooks *hooks,
                                       unsigned char **out_msg, size_t *out_len,
                                       unsigned char session_base_key[16])
{
	ews_ntlm_challenge *ch = NULL;
	unsigned char key[16], proof[16], lm[24], client_challenge[8];
	unsigned char *dom = NULL, *usr = NULL, *ws = NULL, *nt = NULL, *msg = NULL;
	size_t domlen = 0, usrlen = 0, wslen = 0, ntlen = 0, total, pos;
	uint32_t flags;
	int unicode;
	ews_status st;

	if (!out_msg || !out_len)
		return ews_status_make(EWS_ERR_ARGUMENT, "NTLM: no output pointer");
	*out_msg = NULL;
	*out_len = 0;
	if (!cred || !cred->user || !cred->user[0] || !cred->password)
		return ews_status_make(EWS_ERR_ARGUMENT, "NTLM: user name and password are required");
	st = ews_ntlm_parse_challenge(challenge, challenge_len, &ch);
	if (!ews_ok(st))
		return st;
	unicode = (ch->flags & EWS_NTLM_NEGOTIATE_UNICODE) != 0;
	flags = (ch->flags & AUTH_ECHO_FLAGS) | (unicode ? 0 : EWS_NTLM_NEGOTIATE_OEM);

	st = ews_ntlm_ntowfv2(cred->password, cred->user, cred->domain, key);
	if (ews_ok(st))
		st = encode_name(cred->domain, unicode, "domain", &dom, &domlen);
	if (ews_ok(st))
		st = encode_name(cred->user, unicode, "user name", &usr, &usrlen);
	if (ews_ok(st))
		st = encode_name(cred->workstation, unicode, "workstation", &ws, &wslen);
	if (ews_ok(st))
		st = ews_ntlm_random(hooks, client_challenge, sizeof client_challenge);
	if (!ews_ok(st))
		goto done;

	/* NtChallengeResponse = NTProofStr || temp, temp = 01 01 Z(6) Time ClientChallenge Z(4) TargetInfo Z(4)
	 * (MS-NLMP 3.3.2); Time is the server's MsvAvTimestamp when it sent one (3.1.5.1.2). */
	ntlen = 16 + BLOB_FIXED_LEN + ch->target_info_len + 4;
	nt = calloc(1, ntlen);
	if (!nt) {
		st = ews_status_make(EWS_ERR_NOMEM, "NTLM: out of memory");
		goto done;
	}
	nt[16] = 1;
	nt[17] = 1;
	ews_put64(nt + 24, ch->has_timestamp ? ch->timestamp : ews_ntlm_now(hooks));
	memcpy(nt + 32, client_challenge, 8);
	if (ch->target_info_len)
		memcpy(nt + 16 + BLOB_FIXED_LEN, ch->target_info, ch->target_info_len);
	st = ews_ntlm_hmac_md5(key, ch->server_challenge, 8, nt + 16, ntlen - 16, proof);
	if (!ews_ok(st))
		goto done;
	memcpy(nt, proof, 16);

	/* LmChallengeResponse: LMv2 = HMAC_MD5(ResponseKeyLM, ServerChallenge || ClientChallenge) || ClientChallenge,
	 * or Z(24) when the server sent MsvAvTimestamp (3.3.2). ResponseKeyLM = LMOWFv2 = NTOWFv2. */
	memset(lm, 0, sizeof lm);
	if (!ch->has_timestamp) {
		st = ews_ntlm_hmac_md5(key, ch->server_challenge, 8, client_challenge, 8, lm);
		if (!ews_ok(st))
			goto done;
		memcpy(lm + 16, client_challenge, 8);
	}
	if (session_base_key) {
		st = ews_ntlm_hmac_md5(key, proof, 16, NULL, 0, session_base_key);
		if (!ews_ok(st))
			goto done;
	}

	total = AUTH_HEADER_LEN + domlen + usrlen + wslen + sizeof lm + ntlen;
	if (ntlen > 0xffff || total > 0xffff) {
		st = ews_status_make(EWS_ERR_ARGUMENT, "NTLM: the server's target info makes the message too long");
		goto done;
	}
	msg = calloc(1, total);
	if (!msg) {
		st = ews_status_make(EWS_ERR_NOMEM, "NTLM: out of memory");
		goto done;
	}
	memcpy(msg, EWS_NTLM_SIGNATURE, 8);
	ews_put32(msg + 8, 3);
	pos = AUTH_HEADER_LEN;
	put_field(msg, 28, &pos, dom, domlen);
	put_field(msg, 36, &pos, usr, usrlen);
	put_field(msg, 44, &pos, ws, wslen);
	put_field(msg, 12, &pos, lm, sizeof lm);
	put_field(msg, 20, &pos, nt, ntlen);
	put_field(msg, 52, &pos, NULL, 0);      /* no EncryptedRandomSessionKey: no key exchange */
	ews_put32(msg + 60, flags);
	*out_msg = msg;
	*out_len = total;
done:
	OPENSSL_cleanse(key, sizeof key);
	free(dom);
	free(usr);
	free(ws);
	free(nt);
	ews_ntlm_challenge_free(ch);
	return st;
}

ews_status ews_ntlm_authenticate_header(const char *challenge_header, const ews_ntlm_credentials *cred,
                                        const ews_ntlm_hooks *hooks, char **out_header)
{
	unsigned char *ch = NULL, *msg = NULL;
	size_t chlen = 0, len = 0;
	ews_status st;

	if (!out_header)
		return ews_status_make(EWS_ERR_ARGUMENT, "NTLM: no output pointer");
	*out_header = NULL;
	st = ews_ntlm_header_decode(challenge_header, &ch, &chlen);
	if (ews_ok(st))
		st = ews_ntlm_build_authenticate(ch, chlen, cred, hooks, &msg, &len, NULL);
	if (ews_ok(st))
		st = ews_ntlm_header_encode(msg, len, out_header);
	free(ch);
	free(msg);
	return st;
}
