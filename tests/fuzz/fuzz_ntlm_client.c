/* fuzz_ntlm_client.c — the client side of NTLM on what a server sends: a CHALLENGE_MESSAGE parsed
 * (ews_ntlm_parse_challenge) and answered (ews_ntlm_build_authenticate), or a whole WWW-Authenticate value
 * (ews_ntlm_authenticate_header: "NTLM <base64>" decoding first), plus the login splitter.
 * Input: byte 0 even = raw CHALLENGE bytes follow, odd = header text follows. */
#include "fuzz.h"
#include "ews/ntlm.h"

/* Fixed randomness and clock: a finding must replay exactly. */
static int fixed_random(void *arg, unsigned char *buf, size_t len)
{
	(void)arg;
	memset(buf, 0xaa, len);
	return 0;
}

static uint64_t fixed_time(void *arg)
{
	(void)arg;
	return 0x01d1e1f0a0b0c0d0ULL;
}

static const ews_ntlm_hooks hooks = { fixed_random, fixed_time, NULL };
static const ews_ntlm_credentials cred = { "User", "Domain", "Password", "COMPUTER" };

static void raw_challenge(const uint8_t *msg, size_t len)
{
	ews_ntlm_challenge *ch = NULL;
	unsigned char *auth = NULL, key[16];
	size_t auth_len = 0;

	if (ews_ok(ews_ntlm_parse_challenge(msg, len, &ch))) {
		FUZZ_CHECK(ch != NULL, "parsed challenge is NULL");
		FUZZ_CHECK(!ch->target_info_len || ch->target_info, "TargetInfo length without data");
		ews_ntlm_challenge_free(ch);
		if (ews_ok(ews_ntlm_build_authenticate(msg, len, &cred, &hooks, &auth, &auth_len, key)))
			FUZZ_CHECK(auth && auth_len >= 64 && !memcmp(auth, "NTLMSSP", 8), "AUTHENTICATE malformed");
		ews_ntlm_free(auth);
	}
}

static void header(const char *value)
{
	char *out = NULL, user[64], domain[64];

	if (ews_ok(ews_ntlm_authenticate_header(value, &cred, &hooks, &out)))
		FUZZ_CHECK(out && !strncmp(out, "NTLM ", 5), "Authorization value malformed");
	ews_ntlm_free(out);
	if (ews_ok(ews_ntlm_split_user(value, user, sizeof user, domain, sizeof domain)))
		FUZZ_CHECK(strlen(user) < sizeof user && strlen(domain) < sizeof domain, "split overflowed");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;

	if (size < 1)
		return 0;
	if (!(data[0] & 1)) {
		raw_challenge(data + 1, size - 1);
	} else if ((text = fuzz_strndup(data + 1, size - 1)) != NULL) {
		header(text);
		free(text);
	}
	return 0;
}
