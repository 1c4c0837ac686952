/* fuzz_reader.c — the fast response reader (ews/reader.h) against gSOAP: a differential target. The input is a
 * response; its operation is the one its first "...Response" element names (else one picked by the input's
 * length among those with reader tables). The fast reader decodes it as a call does, before any pre-pass.
 * Invariants: the reader never changes the body; when it decodes (rather than leaving the response to gSOAP), the
 * pre-pass would have left the body as it is and found nothing wrong with it, gSOAP's own receive half decodes it
 * too, and what the two decoded encodes to the same bytes. */
#include "fuzz.h"
#include "soapH.h"
#include "ews/call.h"
#include "ews/codec.h"
#include "ews/reader.h"
#include "ews_internal.h"
#include "ews_operations.h"

static struct soap *ctx[3];     /* [0]: the fast reader, [1]: gSOAP, [2]: the reader in place */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	for (int i = 0; i < 3; i++)
		ctx[i] = ews_codec_context_new();
	return 0;
}

/* The operation whose response this is: named by the first element "<p:NameResponse", if an operation. */
static const ews_operation *operation_of(const char *xml, size_t len)
{
	const char *p = xml, *end = xml + len;
	int with_tables = 0, pick;

	while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
		const char *name = ++p, *e = p;
		while (e < end && *e != ' ' && *e != '>' && *e != '/' && *e != '\n')
			e++;
		const char *colon = memchr(name, ':', (size_t)(e - name));
		if (colon)
			name = colon + 1;
		if (e - name > 8 && e - name < 80 && !memcmp(e - 8, "Response", 8)) {
			char op[80];
			memcpy(op, name, (size_t)(e - name - 8));
			op[e - name - 8] = '\0';
			if (ews_operation_find(op))
				return ews_operation_find(op);
		}
	}
	for (int i = 0; ews_operations[i]; i++)
		with_tables += ews_operations[i]->reader && ews_operations[i]->reader->body;
	pick = with_tables ? (int)(len % (size_t)with_tables) : 0;
	for (int i = 0; ews_operations[i]; i++)
		if (ews_operations[i]->reader && ews_operations[i]->reader->body && pick-- == 0)
			return ews_operations[i];
	return NULL;
}

static const char *encoded(struct soap *soap, const ews_operation *op, void *response)
{
	ews_decoded_message m = { .kind = EWS_MESSAGE_RESPONSE, .op = ews_operation_codec_find(op->name),
	                          .body = response, .header = soap->header, .has_envelope = 1 };
	const char *xml = NULL;

	if (!m.op || !ews_ok(ews_message_encode(soap, &m, &xml)))
		return "(does not encode)";
	return xml;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *xml = fuzz_strndup(data, size), *copy;
	const ews_operation *op;
	ews_xml_prepass_result pre;
	size_t n;
	int rc, wrote;

	if (!xml || !(copy = malloc(size + 1)))
		abort();
	if (!(op = operation_of(xml, size))) {
		free(xml), free(copy);
		return 0;
	}
	memcpy(copy, xml, size + 1);
	void *fast = soap_malloc(ctx[0], 4096), *slow = soap_malloc(ctx[1], 4096); /* > any response wrapper */
	if (!fast || !slow)
		abort();
	/* as a call does: the reader on the body as it came */
	rc = ews_reader_decode(ctx[0], op->reader, xml, size, 200, NULL, fast);
	FUZZ_CHECK(!memcmp(xml, copy, size + 1), "the fast reader changed the body");
	FUZZ_CHECK(rc == SOAP_OK || rc == EWS_READER_FALLBACK, "the reader returned %d", rc);
	if (rc == SOAP_OK) {
		/* what it took needs no pre-pass: the pre-pass leaves it as it is and finds nothing wrong */
		n = ews_xml_prepass(copy, size, 200, &pre);
		FUZZ_CHECK(n == size && !memcmp(xml, copy, size), "the reader took a body the pre-pass changes");
		FUZZ_CHECK(!pre.too_deep && pre.malformed_at < 0 && pre.mixed_at < 0 && !pre.unfinished,
		           "the reader took a body the pre-pass refuses (deep %d, malformed %ld, mixed %ld, unfinished %d)",
		           pre.too_deep, pre.malformed_at, pre.mixed_at, pre.unfinished);
		const char *a = encoded(ctx[0], op, fast), *b;
		int grc;
		memset(slow, 0, 4096);
		ctx[1]->is = copy;
		grc = op->recv(ctx[1], slow);
		ctx[1]->is = NULL;
		FUZZ_CHECK(grc == SOAP_OK, "%s: the fast reader decoded a response gSOAP refuses (error %d)", op->name, grc);
		b = encoded(ctx[1], op, slow);
		FUZZ_CHECK(!strcmp(a, b), "%s: the fast reader and gSOAP decoded differently:\n  reader: %.400s\n  gSOAP: %.400s",
		           op->name, a, b);
		/* as a call reads it: base64 values decoded over their text once the body is read */
		memcpy(copy, xml, size + 1);
		void *third = soap_malloc(ctx[2], 4096);
		if (!third)
			abort();
		FUZZ_CHECK(ews_reader_decode(ctx[2], op->reader, copy, size, 200, &wrote, third) == SOAP_OK,
		           "the reader took the body, but not in place");
		const char *c = encoded(ctx[2], op, third);
		FUZZ_CHECK(!strcmp(a, c), "%s: the fast reader decoded differently in place:\n  in place: %.400s\n  into "
		           "copies: %.400s", op->name, c, a);
	} else {
		memcpy(copy, xml, size + 1);
		FUZZ_CHECK(ews_reader_decode(ctx[2], op->reader, copy, size, 200, &wrote, soap_malloc(ctx[2], 4096)) ==
		           EWS_READER_FALLBACK && !memcmp(copy, xml, size + 1),
		           "in place, the reader took what it left, or changed the body it left");
	}
	for (int i = 0; i < 3; i++) {
		ctx[i]->header = NULL;
		soap_destroy(ctx[i]);
		soap_end(ctx[i]);
	}
	free(copy);
	free(xml);
	return 0;
}
