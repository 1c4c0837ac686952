/* fuzz_ntlm_server.c — the server side of NTLM (server/ntlm_server.c) on what a client sends: a NEGOTIATE
 * (ews_ntlm_server_challenge) or an AUTHENTICATE verified against a pending challenge (ews_ntlm_server_verify).
 * Input: byte 0 picks the message: 0 NEGOTIATE, 1 AUTHENTICATE, 2 AUTHENTICATE with the user name and
 * password taken from the input and built by the client code (the round trip must verify); then the raw
 * message bytes, sent base64-encoded in an "NTLM " header value as a client would. */
#include "fuzz.h"
#include "ntlm_server.h"

static int fixed_random(void *arg, unsigned char *buf, size_t len)
{
	(void)arg;
	memset(buf, 0x55, len);
	return 0;
}

static uint64_t fixed_time(void *arg)
{
	(void)arg;
	return 0x01d1e1f0a0b0c0d0ULL;
}

static const ews_ntlm_hooks hooks = { fixed_random, fixed_time, NULL };
static const char *password = "Password";
static int too_long;     /* the last lookup's password did not fit the server's buffer */

/* As ewsd's own lookup (server/auth.c): a password that does not fit the server's buffer (cap) is refused, not
 * cut: a cut one would be a different password. */
static int lookup(void *arg, const char *user, const char *domain, char *out, size_t cap)
{
	(void)arg;
	(void)domain;
	too_long = 0;
	if (!user || !*user)
		return 1;
	if (strlen(password) + 1 > cap) {
		too_long = 1;
		return 1;
	}
	memcpy(out, password, strlen(password) + 1);
	return 0;
}

/* A valid NEGOTIATE gets a challenge: the raw CHALLENGE bytes in *raw (malloc'd). */
static ews_ntlm_server *server_with_challenge(unsigned char **raw, size_t *raw_len)
{
	ews_ntlm_server *srv = NULL;
	char *neg = NULL, *chal = NULL;

	FUZZ_CHECK(ews_ok(ews_ntlm_server_new("DOMAIN", "SERVER", &hooks, &srv)), "server_new");
	FUZZ_CHECK(ews_ok(ews_ntlm_negotiate_header(&neg)), "negotiate_header");
	FUZZ_CHECK(ews_ok(ews_ntlm_server_challenge(srv, neg, &chal)), "our NEGOTIATE refused");
	FUZZ_CHECK(ews_ok(ews_ntlm_header_decode(chal, raw, raw_len)), "our CHALLENGE does not decode");
	ews_ntlm_free(neg);
	ews_ntlm_free(chal);
	return srv;
}

/* The client's AUTHENTICATE for user/pass (from the input) must verify, and say who logged in: any password the
 * client accepts must fit the server's lookup buffer. */
static void round_trip(const uint8_t *data, size_t size)
{
	unsigned char *chal = NULL, *auth = NULL;
	size_t chal_len = 0, auth_len = 0, half = size / 2;
	char *user = fuzz_strndup(data, half), *pass = fuzz_strndup(data + half, size - half), *hdr = NULL;
	char who[1100], dom[1100];
	ews_ntlm_server *srv = server_with_challenge(&chal, &chal_len);
	ews_ntlm_credentials cred = { user, "Domain", pass, "WS" };
	ews_status st;

	password = pass;
	if (user && pass && ews_ok(ews_ntlm_build_authenticate(chal, chal_len, &cred, &hooks, &auth, &auth_len, NULL))) {
		FUZZ_CHECK(ews_ok(ews_ntlm_header_encode(auth, auth_len, &hdr)), "header_encode");
		st = ews_ntlm_server_verify(srv, hdr, lookup, NULL, who, sizeof who, dom, sizeof dom, NULL);
		FUZZ_CHECK(!too_long, "a %zu-byte password the client accepts does not fit the server's buffer",
		           strlen(pass));
		FUZZ_CHECK(ews_ok(st), "client AUTHENTICATE for user \"%s\" refused: %s", user, st.message);
		FUZZ_CHECK(!strcmp(who, user), "verified user \"%s\" is not \"%s\"", who, user);
	}
	password = "Password";
	ews_ntlm_free(hdr);
	ews_ntlm_free(auth);
	ews_ntlm_free(chal);
	ews_ntlm_server_free(srv);
	free(user);
	free(pass);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *hdr = NULL, *out = NULL, user[256], domain[256];
	unsigned char *chal = NULL;
	size_t chal_len = 0;
	ews_ntlm_server *srv = NULL;

	if (size < 1)
		return 0;
	if (data[0] % 3 == 2) {
		round_trip(data + 1, size - 1);
		return 0;
	}
	if (!ews_ok(ews_ntlm_header_encode(data + 1, size - 1, &hdr)))
		return 0;
	if (data[0] % 3 == 0) {
		FUZZ_CHECK(ews_ok(ews_ntlm_server_new("DOMAIN", "SERVER", &hooks, &srv)), "server_new");
		if (ews_ok(ews_ntlm_server_challenge(srv, hdr, &out)))
			FUZZ_CHECK(out && !strncmp(out, "NTLM ", 5), "WWW-Authenticate value malformed");
	} else {
		srv = server_with_challenge(&chal, &chal_len);
		(void)ews_ntlm_server_verify(srv, hdr, lookup, NULL, user, sizeof user, domain, sizeof domain, NULL);
	}
	ews_ntlm_free(out);
	ews_ntlm_free(chal);
	ews_ntlm_free(hdr);
	ews_ntlm_server_free(srv);
	return 0;
}
