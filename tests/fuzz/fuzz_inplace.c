/* fuzz_inplace.c — base64 values decoded in place (ews/call.h: ews_inplace) against the same values decoded into
 * copies: a differential target. The input becomes a response (byte 0 picks the operation: GetAttachment, whose
 * FileAttachment Content is base64, or ExportItems where the bindings have it, whose Data are; the rest is the
 * text of up to eight values, split at 0xFF bytes, put into a template; or, when it starts with '<', the whole
 * XML as it is). It goes through the pre-pass as a call's body does, then is decoded twice by the operation's
 * generated receive half: once from a writable copy registered as the in-place buffer (values written over their
 * own text), once from another copy with nothing registered (values in gSOAP blocks, the reader's other path).
 * Invariant: both decodes succeed or fail alike, and what they decoded encodes to the same bytes. A reader that
 * wrote ahead of what gSOAP had read would corrupt the text still to be parsed, and the two would differ. */
#include "fuzz.h"
#include "soapH.h"
#include "ews/call.h"
#include "ews/codec.h"
#include "ews_internal.h"
#include "ews_operations.h"

static struct soap *ctx[2];     /* [0]: in place (the plugin registered), [1]: into copies */
static ews_inplace region;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	for (int i = 0; i < 2; i++)
		ctx[i] = ews_codec_context_new();
	if (ews_inplace_attach(ctx[0], &region))   /* the plugin a client registers (runtime/core/ews_body.c) */
		abort();
	return 0;
}

#define NS "xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" " \
	   "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\""

/* The response XML for the input (malloc'd), and the operation it answers. */
static char *response_of(const uint8_t *data, size_t size, const char **opname)
{
#ifdef EWS_HAVE_OP_EXPORT_ITEMS
	*opname = size && data[0] & 1 ? "ExportItems" : "GetAttachment";
#else
	*opname = "GetAttachment";
#endif
	if (size > 1 && data[1] == '<')
		return fuzz_strndup(data + 1, size - 1);
	size_t cap = size * 2 + 4096, o = 0;
	char *x = malloc(cap);
	if (!x)
		return NULL;
	int export = !strcmp(*opname, "ExportItems");
	o += (size_t)sprintf(x + o, "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
	                            "<m:%sResponse " NS "><m:ResponseMessages>", *opname);
	size_t at = size ? 1 : 0;
	for (int k = 0; k < 8 && (k == 0 || at < size); k++) {
		size_t end = at;
		while (end < size && data[end] != 0xFF)
			end++;
		if (export)
			o += (size_t)sprintf(x + o, "<m:ExportItemsResponseMessage ResponseClass=\"Success\"><m:ResponseCode>"
			                     "NoError</m:ResponseCode><m:ItemId Id=\"I%d==\" ChangeKey=\"C\"/><m:Data>", k);
		else
			o += (size_t)sprintf(x + o, "<m:GetAttachmentResponseMessage ResponseClass=\"Success\"><m:ResponseCode>"
			                     "NoError</m:ResponseCode><m:Attachments><t:FileAttachment><t:AttachmentId "
			                     "Id=\"A%d==\"/><t:Name>n</t:Name><t:Content>", k);
		memcpy(x + o, data + at, end - at);
		o += end - at;
		o += (size_t)sprintf(x + o, export ? "</m:Data></m:ExportItemsResponseMessage>"
		                                   : "</t:Content></t:FileAttachment></m:Attachments>"
		                                     "</m:GetAttachmentResponseMessage>");
		at = end + 1;
	}
	sprintf(x + o, "</m:ResponseMessages></m:%sResponse></s:Body></s:Envelope>", *opname);
	return x;
}

/* Decode buf (len bytes after the pre-pass, NUL-terminated) in ctx[i]; the encoding of what it decoded, or NULL
 * when the decode failed. */
static const char *decode(int i, const ews_operation *op, const ews_operation_codec *codec, char *buf, size_t len,
                          int *rc)
{
	struct soap *soap = ctx[i];
	void *response = soap_malloc(soap, 4096); /* larger than any __ewsmsg__*Response wrapper (one pointer) */
	const char *xml = NULL;
	if (!response)
		abort();
	memset(response, 0, 4096);
	if (i == 0) {
		region.begin = buf;
		region.end = buf + len;
		region.written = 0;
	}
	soap->is = buf;
	*rc = op->recv(soap, response);
	soap->is = NULL;
	region.begin = region.end = NULL;
	if (*rc)
		return NULL;
	ews_decoded_message m = { .kind = EWS_MESSAGE_RESPONSE, .op = codec, .body = response,
	                          .header = soap->header, .has_envelope = 1 };
	if (!ews_ok(ews_message_encode(soap, &m, &xml)))
		return "(does not encode)";   /* compared as an outcome too */
	return xml;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *opname;
	char *xml = response_of(data, size, &opname), *copy[2];
	const ews_operation *op = ews_operation_find(opname);
	const ews_operation_codec *codec = ews_operation_codec_find(opname);
	if (!xml || !op || !codec)
		abort();
	size_t n = strlen(xml);
	ews_xml_prepass_result pre;
	n = ews_xml_prepass(xml, n, 200, &pre);   /* as a call's body: sanitized in place, never longer */
	xml[n] = '\0';
	if (pre.too_deep || pre.malformed_at >= 0 || pre.mixed_at >= 0) {   /* a call refuses these before decoding */
		free(xml);
		return 0;
	}
	const char *enc[2];
	int rc[2];
	for (int i = 0; i < 2; i++) {
		if (!(copy[i] = malloc(n + 1)))
			abort();
		memcpy(copy[i], xml, n + 1);
		enc[i] = decode(i, op, codec, copy[i], n, &rc[i]);
	}
	FUZZ_CHECK(!rc[0] == !rc[1], "in place: %s (%d), into copies: %s (%d)", rc[0] ? "failed" : "decoded", rc[0],
	           rc[1] ? "failed" : "decoded", rc[1]);
	if (!rc[0])
		FUZZ_CHECK(!strcmp(enc[0], enc[1]), "values decoded in place differ from the same decoded into copies");
	for (int i = 0; i < 2; i++) {
		soap_destroy(ctx[i]);
		soap_end(ctx[i]);
		free(copy[i]);
	}
	free(xml);
	return 0;
}
