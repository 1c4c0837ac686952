/* fuzz_ewsd_syncstate.c — ewsd's opaque SyncState (server/op_sync.c: base64 of a versioned body and an
 * HMAC-SHA256 tag under the store's secret), three ways:
 *   byte 0 % 3 == 0: the rest is the SyncState text a client sends (almost all fail the tag: the outer checks);
 *   byte 0 % 3 == 1: the rest is a state body, signed here with the store's secret, so the checks behind the
 *                    tag (version, length, kind, mailbox, folder, pass bounds) are reached; what parses must
 *                    say what the body says;
 *   byte 0 % 3 == 2: a state made by ewsd_syncstate_make from input numbers parses back to them.
 * Bit 2 of byte 0 selects hierarchy (SyncFolderHierarchy) states. */
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "fuzz.h"
#include "ewsd.h"
#include "ewsd_env.h"

static struct soap *soap;
static struct ewsd_request rq;
static unsigned char secret[32];   /* the store's, read once: signing a body here costs no query per input */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	rq.db = fuzz_ewsd_store();
	FUZZ_CHECK(ewsd_store_secret(rq.db, secret) == 0, "no store secret");
	soap = soap_new1(SOAP_C_UTFSTRING);
	soap->user = &rq;
	return 0;
}

static uint64_t be(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* mailbox and folder the parser is asked to accept: taken from the body when there is one, so matches happen */
static void signed_body(const uint8_t *body, size_t n, int hierarchy)
{
	unsigned char mac[EVP_MAX_MD_SIZE], buf[256];
	unsigned int maclen = 0;
	int64_t mailbox = n >= 6 ? (int64_t)be(body + 2, 4) : 1, folder = n >= 10 ? (int64_t)be(body + 6, 4) : 1, seq;

	if (n > sizeof buf - 16)
		return;
	HMAC(EVP_sha256(), secret, 32, body, n, mac, &maclen);
	memcpy(buf, body, n);
	memcpy(buf + n, mac, 16);
	if (ewsd_syncstate_parse(soap, ewsd_b64(soap, buf, n + 16), hierarchy, mailbox, folder, &seq) == 0) {
		FUZZ_CHECK(n >= 18 && body[1] == hierarchy, "accepted a body of %zu bytes / kind %d", n, body[1]);
		FUZZ_CHECK(seq == (int64_t)be(body + 10, 8), "seq %lld is not the body's", (long long)seq);
	}
}

static void made_state(const uint8_t *p, size_t n, int hierarchy)
{
	int64_t mailbox, folder, seq, back = -1;
	char *state;

	if (n < 16)
		return;
	mailbox = (int64_t)be(p, 4);
	folder = (int64_t)be(p + 4, 4);
	seq = (int64_t)be(p + 8, 8);
	state = ewsd_syncstate_make(soap, hierarchy, mailbox, folder, seq);
	FUZZ_CHECK(state != NULL, "no state made");
	FUZZ_CHECK(ewsd_syncstate_parse(soap, state, hierarchy, mailbox, folder, &back) == 0 && back == seq,
		   "state %s for seq %lld does not parse back", state, (long long)seq);
	FUZZ_CHECK(ewsd_syncstate_parse(soap, state, !hierarchy, mailbox, folder, &back) != 0,
		   "a %s state was accepted for the other sync", hierarchy ? "hierarchy" : "item");
	FUZZ_CHECK(ewsd_syncstate_parse(soap, state, hierarchy, mailbox + 1, folder, &back) != 0,
		   "a state was accepted for another mailbox");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t seq;
	int hierarchy;
	char *text;

	if (size < 1)
		return 0;
	hierarchy = (data[0] >> 2) & 1;
	switch (data[0] % 3) {
	case 0:
		if ((text = fuzz_strndup(data + 1, size - 1)) != NULL) {
			(void)ewsd_syncstate_parse(soap, text, hierarchy, 1, 1, &seq);
			free(text);
		}
		break;
	case 1:
		signed_body(data + 1, size - 1, hierarchy);
		break;
	default:
		made_state(data + 1, size - 1, hierarchy);
	}
	soap_end(soap);
	fuzz_ewsd_store_reset(rq.db);
	return 0;
}
