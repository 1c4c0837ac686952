/* fuzz_ewsd_parsers.c — ewsd's small parsers of client input that requests carry: its EwsIds
 * (ewsd_id_parse, ewsd_id_convert between the ConvertId formats), xs:dateTime normalization (restrictions,
 * CalendarView) and the ExportItems/UploadItems Data blob (ewsd_import_blob).
 *   byte 0 % 3 == 0: an id; byte 1 picks the ConvertId source and target formats. A parsed id made again
 *                    (ewsd_id_make) parses to the same id.
 *   byte 0 % 3 == 1: a date.
 *   byte 0 % 3 == 2: an export blob body, given the blob's checksum here so the field reader is reached; an
 *                    imported item exported again imports to the same export. */
#include <openssl/sha.h>

#include "fuzz.h"
#include "ewsd.h"

static struct soap *soap;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	soap = soap_new1(SOAP_C_UTFSTRING);
	return 0;
}

static void id(const uint8_t *p, size_t n)
{
	struct ewsd_id a, b;
	char *text, *made;

	if (n < 1 || !(text = fuzz_strndup(p + 1, n - 1)))
		return;
	if (ewsd_id_parse(soap, text, &a) == 0) {
		made = ewsd_id_make(soap, &a);
		FUZZ_CHECK(made && ewsd_id_parse(soap, made, &b) == 0, "id %s made again does not parse", text);
		FUZZ_CHECK(a.kind == b.kind && a.folder == b.folder && a.item == b.item &&
			   !strcmp(a.mailbox_guid, b.mailbox_guid), "id %s changed through ewsd_id_make: %s", text, made);
	}
	(void)ewsd_id_convert(soap, text, (enum ewsd_id_format)(p[0] % 7), (enum ewsd_id_format)(p[0] / 7 % 7),
			      "fuzz@example.com");
	free(text);
}

static void date(const uint8_t *p, size_t n)
{
	char *text = fuzz_strndup(p, n), *norm;
	if (text && (norm = ewsd_norm_date(soap, text)) != NULL)
		FUZZ_CHECK(*norm && norm[strlen(norm) - 1] == 'Z', "\"%s\" normalized to \"%s\"", text, norm);
	free(text);
}

static void blob(const uint8_t *p, size_t n)
{
	unsigned char md[SHA256_DIGEST_LENGTH], *b = malloc(n + 8), *out, *again;
	size_t out_n, again_n;
	struct ewsd_item it, it2;

	if (!b)
		return;
	memcpy(b, p, n);
	SHA256(b, n, md);
	memcpy(b + n, md, 8);
	if (ewsd_import_blob(soap, b, n + 8, &it) == 0) {
		out = ewsd_export_blob(soap, &it, &out_n);
		FUZZ_CHECK(out && ewsd_import_blob(soap, out, out_n, &it2) == 0, "exported item does not import");
		again = ewsd_export_blob(soap, &it2, &again_n);
		FUZZ_CHECK(again && again_n == out_n && !memcmp(out, again, out_n), "export/import not stable");
	}
	free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0: id(data + 1, size - 1); break;
	case 1: date(data + 1, size - 1); break;
	default: blob(data + 1, size - 1);
	}
	soap_end(soap);
	return 0;
}
