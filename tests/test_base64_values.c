/* test_base64_values.c — an xs:base64Binary element whose text is not base64 fails the decode with a status naming
 * the element; it is never dropped, and its response message never skipped as unknown (issue 10, fuzz finding
 * invalid-base64: gSOAP's reader failed, then its MTOM check overwrote the error with "no tag", which the enclosing
 * element took for the end of its content). Forms gSOAP read leniently, losing data, are refused too ("QUJD=REVG"
 * read as "ABC", a lone trailing character dropped). Valid base64 as Exchange sends it (76-character lines, CRLF,
 * indentation, character references) still decodes byte for byte.
 *
 * Covers every base64Binary element of our schema (t:Content, t:ConversationIndex of an item, m:Data of
 * ExportItems, t:Data of UploadItems) through the decoder, and a client call (ews_export_items_to_files). Runs
 * against whatever bindings were generated: all share the one generated reader (generator/strict-base64.sh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "soapH.h"
#include "ews_schema.h"
#include "ews/base64.h"
#include "ews/codec.h"
#include "ews/ews.h"
#include "ews/export.h"
#include "ews/response.h"
#include "ews_internal.h"
#include "ews_test.h"
#include "ews_workflow.h"
#include "ews_test_ews.h"
#include "ews_test_wf.h"

#define NS_M "http://schemas.microsoft.com/exchange/services/2006/messages"
#define NS_T "http://schemas.microsoft.com/exchange/services/2006/types"

static struct soap *ctx;

static void reset(void)
{
	ctx->header = NULL;
	soap_destroy(ctx);
	soap_end(ctx);
}

/* A GetAttachment response whose one FileAttachment has this Content text (as is: may hold markup); malloc'd. */
static char *get_attachment_response(const char *content)
{
	size_t n = strlen(content) + 2048;
	char *body = malloc(n), *env;
	snprintf(body, n,
	         "<m:GetAttachmentResponse xmlns:m=\"" NS_M "\" xmlns:t=\"" NS_T "\"><m:ResponseMessages>"
	         "<m:GetAttachmentResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode>"
	         "<m:Attachments><t:FileAttachment><t:AttachmentId Id=\"ATT1==\"/><t:Name>photo.jpg</t:Name>"
	         "<t:Content>%s</t:Content></t:FileAttachment></m:Attachments></m:GetAttachmentResponseMessage>"
	         "</m:ResponseMessages></m:GetAttachmentResponse>", content);
	env = ews_test_soap_envelope(ews_test_server_version_header, body);
	free(body);
	return env;
}

/* An ExportItems response of three messages, the second holding data2 as its Data; malloc'd. */
static char *export_response(const char *data2)
{
	size_t n = strlen(data2) + 2048;
	char *body = malloc(n), *env;
	snprintf(body, n,
	         "<m:ExportItemsResponse xmlns:m=\"" NS_M "\" xmlns:t=\"" NS_T "\"><m:ResponseMessages>"
	         "<m:ExportItemsResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode>"
	         "<m:ItemId Id=\"ITEM1==\" ChangeKey=\"CK1\"/><m:Data>QUJD</m:Data></m:ExportItemsResponseMessage>"
	         "<m:ExportItemsResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode>"
	         "<m:ItemId Id=\"ITEM2==\" ChangeKey=\"CK2\"/><m:Data>%s</m:Data></m:ExportItemsResponseMessage>"
	         "<m:ExportItemsResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode>"
	         "<m:ItemId Id=\"ITEM3==\" ChangeKey=\"CK3\"/><m:Data>REVG</m:Data></m:ExportItemsResponseMessage>"
	         "</m:ResponseMessages></m:ExportItemsResponse>", data2);
	env = ews_test_soap_envelope(ews_test_server_version_header, body);
	free(body);
	return env;
}

/* Decode xml; on failure the status must name element and say "not base64". Returns 1 when it failed so. */
static int refused_naming(const char *xml, const char *element)
{
	ews_decoded_message m;
	ews_status st = ews_message_decode(ctx, xml, strlen(xml), &m);
	char quoted[64];
	int ok;

	snprintf(quoted, sizeof quoted, "'%s'", element);
	ok = !ews_ok(st) && st.code == EWS_ERR_XML && strstr(st.message, quoted) && strstr(st.message, "not base64");
	if (!ok)
		fprintf(stderr, "\n    expected a failure naming %s, got: %s\n", element,
			ews_ok(st) ? "success" : st.message);
	reset();
	return ok;
}

/* The Content bytes of the GetAttachment response xml, or NULL when it does not decode (*len then -1). */
static const unsigned char *decoded_content(const char *xml, int *len)
{
	ews_decoded_message m;
	ews_response_message r;
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs;
	const struct ewstype__ArrayOfAttachmentsType *a;

	*len = -1;
	if (!ews_ok(ews_message_decode(ctx, xml, strlen(xml), &m)) ||
	    !(msgs = ews_response_messages_of("GetAttachment", m.body)) || ews_response_messages_get(msgs, 0, &r) ||
	    !(a = ((const struct ewsmsg__AttachmentInfoResponseMessageType *)r.message)->Attachments) ||
	    a->__size_ArrayOfAttachmentsType != 1 ||
	    a->__union_ArrayOfAttachmentsType[0].__union_ArrayOfAttachmentsType !=
	            SOAP_UNION__ewstype__union_ArrayOfAttachmentsType_FileAttachment)
		return NULL;
	const struct ewstype__FileAttachmentType *f =
		a->__union_ArrayOfAttachmentsType[0].union_ArrayOfAttachmentsType.FileAttachment;
	if (!f->Content)
		return NULL;
	*len = f->Content->__size;
	return f->Content->__ptr;
}

static void an_attachment_content_that_is_not_base64_fails_the_decode_naming_the_element(void)
{
	/* the reference page's placeholder: decoded "successfully" with the Content gone before */
	char *xml = get_attachment_response("/9j/4AAQSkZJRgABAQEAYABgAAD/2wBDAAg...D//2Q==");
	ews_decoded_message m;
	ews_status st = ews_message_decode(ctx, xml, strlen(xml), &m);

	CU_ASSERT_FALSE(ews_ok(st));
	CU_ASSERT_EQUAL(st.code, EWS_ERR_XML);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "'t:Content'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "not base64"));
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "'.'"));   /* the offending character */
	reset();
	free(xml);
}

static void an_export_data_that_is_not_base64_fails_instead_of_skipping_its_message(void)
{
	if (!ews_test_needs(EWS_TEST_DEFINED(EWS_HAVE_OP_EXPORT_ITEMS), "operation ExportItems",
			    "an ExportItems Data that is not base64 fails the decode"))
		return;
	char *good = export_response("QUJD"), *bad = export_response("QUJD!REVG");
	ews_decoded_message m;
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs;

	/* the control: all three messages */
	CU_ASSERT_TRUE_FATAL(ews_ok(ews_message_decode(ctx, good, strlen(good), &m)));
	msgs = ews_response_messages_of("ExportItems", m.body);
	CU_ASSERT_EQUAL(ews_response_messages_count(msgs), 3);
	reset();
	/* before: two messages and success, the second one skipped as unknown */
	CU_ASSERT_TRUE(refused_naming(bad, "m:Data"));
	free(good);
	free(bad);
}

static void base64_that_gsoap_read_leniently_losing_data_is_refused(void)
{
	static const char *const bad[] = {
		"QUJD=REVG",          /* gSOAP: "ABC", the rest after '=' skipped */
		"Q",                  /* gSOAP: nothing, the character dropped */
		"QUJDR",              /* one character of a group */
		"QR==",               /* nonzero bits after the last byte: gSOAP read "A" */
		"QQ==QUJD",           /* data after the padding */
		"QQ== !",             /* text after the padding */
		"QQ=",                /* half the padding */
		"QQ=A",               /* '=' inside a group */
		"Q===",               /* too much padding */
		"=QUJD",              /* padding first */
		"QUI",                /* the last group without its padding (XSD base64Binary requires it) */
		"QU JD\tRE-G",        /* a character of the URL-safe alphabet */
		"QUJD&#46;",          /* a '.' as a character reference */
		"QUJD&quot;",         /* gSOAP ended the value at a quote */
		"QUJD&gt;REVG",       /* ... or at '>' */
		"\xC3\xA9QUJD",       /* non-ASCII */
		"<t:Gizmo/>QUJD",     /* a child element: gSOAP skipped it and the text after it */
		"<t:Gizmo>QUJD</t:Gizmo>",
		"...",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *xml = get_attachment_response(bad[i]);
		if (!refused_naming(xml, "t:Content"))
			fprintf(stderr, "    (Content %s)\n", bad[i]);
		CU_ASSERT_TRUE(refused_naming(xml, "t:Content"));
		free(xml);
	}
}

/* base64 of data as Exchange writes long values: 76-character lines ending in eol, the whole indented. */
static char *wrapped_base64(const unsigned char *data, size_t n, const char *eol, const char *indent)
{
	char *plain = NULL, *out;
	size_t len, o = 0;

	if (!ews_ok(ews_base64_encode(data, n, &plain)))
		return NULL;
	len = strlen(plain);
	out = malloc(len + (len / 76 + 2) * (strlen(eol) + strlen(indent)) + 16);
	o += (size_t)sprintf(out + o, "%s%s", eol, indent);
	for (size_t i = 0; i < len; i += 76)
		o += (size_t)sprintf(out + o, "%.76s%s%s", plain + i, eol, indent);
	free(plain);
	return out;
}

static void valid_base64_as_exchange_sends_it_decodes_byte_exact(void)
{
	/* lengths around the padding cases and the reader's 4096-byte blocks */
	static const size_t sizes[] = { 0, 1, 2, 3, 4, 5, 57, 4095, 4096, 4097, 12289, 100000 };
	static const char *const eols[] = { "\n", "\r\n", "&#13;&#10;", " " };
	unsigned char *data = malloc(100000);
	unsigned int seed = 12345;

	for (size_t i = 0; i < 100000; i++) {
		seed = seed * 1103515245u + 12345u;
		data[i] = (unsigned char)(seed >> 16);
	}
	for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
		for (size_t e = 0; e < sizeof eols / sizeof *eols; e++) {
			char *text = wrapped_base64(data, sizes[s], eols[e], e == 3 ? "" : "            ");
			char *xml = get_attachment_response(text);
			int len;
			const unsigned char *got = decoded_content(xml, &len);
			CU_ASSERT_EQUAL(len, (int)sizes[s]);
			CU_ASSERT_TRUE(got && len == (int)sizes[s] && !memcmp(got, data, sizes[s]));
			if (!got || len != (int)sizes[s])
				fprintf(stderr, "\n    %zu bytes, line end %zu: decoded %d bytes\n", sizes[s], e, len);
			reset();
			free(xml);
			free(text);
		}
	/* character references and CDATA are text like any other */
	{
		char *xml = get_attachment_response("QU&#74;D<![CDATA[REVG]]>");
		int len;
		const unsigned char *got = decoded_content(xml, &len);
		CU_ASSERT_TRUE(got && len == 6 && !memcmp(got, "ABCDEF", 6));
		reset();
		free(xml);
	}
	free(data);
}

static void an_empty_base64_element_is_an_empty_value(void)
{
	static const char *const empty[] = { "", "  \r\n  " };
	for (size_t i = 0; i < 2; i++) {
		char *xml = get_attachment_response(empty[i]);
		int len;
		const unsigned char *got = decoded_content(xml, &len);
		CU_ASSERT_PTR_NOT_NULL(got);
		CU_ASSERT_EQUAL(len, 0);
		reset();
		free(xml);
	}
}

static void every_base64_element_of_the_schema_refuses_text_that_is_not_base64(void)
{
	char body[2048], *xml;

	/* t:ConversationIndex of an item (an optional element of a type deep inside a GetItem answer) */
	snprintf(body, sizeof body,
	         "<m:GetItemResponse xmlns:m=\"" NS_M "\" xmlns:t=\"" NS_T "\"><m:ResponseMessages>"
	         "<m:GetItemResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode>"
	         "<m:Items><t:Message><t:ItemId Id=\"M1==\" ChangeKey=\"CK\"/><t:Subject>s</t:Subject>"
	         "<t:ConversationIndex>AQHX*ABC</t:ConversationIndex></t:Message>"
	         "<t:Message><t:ItemId Id=\"M2==\" ChangeKey=\"CK\"/></t:Message></m:Items>"
	         "</m:GetItemResponseMessage></m:ResponseMessages></m:GetItemResponse>");
	xml = ews_test_soap_envelope(ews_test_server_version_header, body);
	CU_ASSERT_TRUE(refused_naming(xml, "t:ConversationIndex"));
	free(xml);
#ifdef EWS_HAVE_OP_UPLOAD_ITEMS
	/* t:Data of an UploadItems request (a required, non-pointer member) */
	snprintf(body, sizeof body,
	         "<m:UploadItems xmlns:m=\"" NS_M "\" xmlns:t=\"" NS_T "\"><m:Items>"
	         "<t:Item CreateAction=\"CreateNew\"><t:ParentFolderId Id=\"F1==\"/><t:Data>QUJD...</t:Data></t:Item>"
	         "<t:Item CreateAction=\"CreateNew\"><t:ParentFolderId Id=\"F1==\"/><t:Data>QUJD</t:Data></t:Item>"
	         "</m:Items></m:UploadItems>");
	xml = ews_test_soap_envelope(NULL, body);
	CU_ASSERT_TRUE(refused_naming(xml, "t:Data"));
	free(xml);
#else
	ews_test_needs(0, "operation UploadItems", "t:Data of an UploadItems request");
#endif
	/* t:Content and m:Data: the tests above */
}

#ifdef EWS_HAVE_OP_EXPORT_ITEMS
static void an_export_call_whose_data_is_not_base64_fails_and_writes_no_file(void)
{
	ews_test_http *s = ews_test_http_start(0);
	ews_client *c = ews_test_client(s);
	const char *dir = wf_tmpdir(1);
	char p[3][256];
	const char *paths[3] = { p[0], p[1], p[2] };
	ews_item_ref items[3] = { { "ITEM1==", NULL }, { "ITEM2==", NULL }, { "ITEM3==", NULL } };
	ews_transfer_result *r = NULL;
	char *body = export_response("QUJD...REVG");
	struct stat sb;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	for (int i = 0; i < 3; i++)
		snprintf(p[i], sizeof p[i], "%s/item%d.ewsx", dir, i);
	ews_test_queue_body(s, 200, body);
	ews_status st = ews_export_items_to_files(c, items, paths, 3, NULL, &r);
	CU_ASSERT_FALSE(ews_ok(st));
	CU_ASSERT_EQUAL(st.code, EWS_ERR_XML);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "'m:Data'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "not base64"));
	for (int i = 0; i < 3; i++) {
		CU_ASSERT_NOT_EQUAL(stat(p[i], &sb), 0);
		CU_ASSERT_TRUE(r && !ews_ok(r[i].status));
	}
	ews_transfer_results_free(r, 3);
	free(body);
	wf_rmdir(dir);
	ews_client_free(c);
	ews_test_http_stop(s);
}
#endif

#ifdef EWS_HAVE_OP_EXPORT_ITEMS
/* An ExportItems response of n messages (ITEM1== ...) with these Data texts; malloc'd. */
static char *export_response_n(const char *const *d, int n)
{
	size_t len = 2048;
	for (int i = 0; i < n; i++)
		len += strlen(d[i]) + 256;
	char *body = malloc(len), *env;
	size_t o = (size_t)sprintf(body, "<m:ExportItemsResponse xmlns:m=\"" NS_M "\" xmlns:t=\"" NS_T "\">"
	                                 "<m:ResponseMessages>");
	for (int i = 0; i < n; i++)
		o += (size_t)sprintf(body + o, "<m:ExportItemsResponseMessage ResponseClass=\"Success\"><m:ResponseCode>"
		                     "NoError</m:ResponseCode><m:ItemId Id=\"ITEM%d==\" ChangeKey=\"CK%d\"/><m:Data>%s"
		                     "</m:Data></m:ExportItemsResponseMessage>", i + 1, i + 1, d[i]);
	sprintf(body + o, "</m:ResponseMessages></m:ExportItemsResponse>");
	env = ews_test_soap_envelope(ews_test_server_version_header, body);
	free(body);
	return env;
}

static char *export_response3(const char *d1, const char *d2, const char *d3)
{
	const char *d[3] = { d1, d2, d3 };
	return export_response_n(d, 3);
}

/* Export n items through a call answered with body; 1 when every file holds want[i] (len[i] bytes). */
static int exported_as(ews_test_http *srv, ews_client *c, const char *dir, const char *body, int n,
                       const unsigned char *const *want, const size_t *len)
{
	char p[8][256], idv[8][16];
	const char *paths[8];
	ews_item_ref items[8];
	ews_transfer_result *r = NULL;
	int ok = 1;
	for (int i = 0; i < n; i++) {
		snprintf(p[i], sizeof p[i], "%s/x%d.ewsx", dir, i);
		snprintf(idv[i], sizeof idv[i], "ITEM%d==", i + 1);
		paths[i] = p[i];
		items[i] = (ews_item_ref){ idv[i], NULL };
	}
	ews_test_queue_body(srv, 200, body);
	ews_status st = ews_export_items_to_files(c, items, paths, (size_t)n, NULL, &r);
	ok = ews_ok(st) && c->inplace.written;
	if (!ews_ok(st))
		fprintf(stderr, "\n    %s\n", st.message);
	for (int i = 0; i < n; i++) {
		size_t got_len = 0;
		char *got = ews_test_read_file(p[i], &got_len);
		if (!got || got_len != len[i] || memcmp(got, want[i], len[i]))
			ok = 0;
		free(got);
		remove(p[i]);
	}
	ews_transfer_results_free(r, (size_t)n);
	return ok;
}

/* A call decodes base64 values into the response's own text (ews/call.h: ews_inplace), each value's bytes
 * written where its characters were, never ahead of the reading: values of every size and wrapping, one after
 * the other in one body, come out byte-exact, and a second call on the same client (its body buffer reused)
 * too. */
static void values_decoded_in_place_by_a_call_are_byte_exact(void)
{
	static const size_t sizes[] = { 100000, 4097, 1, 2, 57, 12289 };
	static const char *const eols[] = { "\r\n", "&#13;&#10;", " ", "\n", "\n", "\r\n" };
	unsigned char *data = malloc(100000);
	unsigned int seed = 4242;
	for (size_t i = 0; i < 100000; i++) {
		seed = seed * 1103515245u + 12345u;
		data[i] = (unsigned char)(seed >> 16);
	}
	ews_test_http *srv = ews_test_http_start(0);
	ews_client *c = ews_test_client(srv);
	const char *dir = wf_tmpdir(1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	for (int call = 0; call < 2; call++) {
		/* call 0: 100000, 4097 and 1 bytes (data from offsets 0, 1, 2); call 1: 2, 57, 12289 */
		char *text[3], p[3][256];
		const char *paths[3] = { p[0], p[1], p[2] };
		ews_item_ref items[3] = { { "ITEM1==", NULL }, { "ITEM2==", NULL }, { "ITEM3==", NULL } };
		ews_transfer_result *r = NULL;
		for (int i = 0; i < 3; i++) {
			size_t k = (size_t)call * 3 + (size_t)i;
			text[i] = wrapped_base64(data + i, sizes[k], eols[k], i == 1 ? "" : "      ");
			snprintf(p[i], sizeof p[i], "%s/call%d-item%d.ewsx", dir, call, i);
		}
		char *body = export_response3(text[0], text[1], text[2]);
		ews_test_queue_body(srv, 200, body);
		ews_status st = ews_export_items_to_files(c, items, paths, 3, NULL, &r);
		CU_ASSERT_EQUAL(st.code, EWS_OK);
		CU_ASSERT_EQUAL(c->inplace.written, 1);   /* decoded into the body, not into copies */
		for (int i = 0; i < 3; i++) {
			size_t k = (size_t)call * 3 + (size_t)i, len = 0;
			unsigned char *got = (unsigned char *)ews_test_read_file(p[i], &len);
			CU_ASSERT_TRUE(got && len == sizes[k] && !memcmp(got, data + i, sizes[k]));
			if (!got || len != sizes[k])
				fprintf(stderr, "\n    call %d, item %d: %zu bytes, wanted %zu\n", call, i, len, sizes[k]);
			free(got);
			free(text[i]);
		}
		ews_transfer_results_free(r, 3);
		free(body);
	}
	/* references and CDATA in a value decoded in place, between two that were */
	{
		char p[3][256];
		const char *paths[3] = { p[0], p[1], p[2] };
		static const char *const want[3] = { "ABC", "ABCDEF", "DEF" };
		ews_item_ref items[3] = { { "ITEM1==", NULL }, { "ITEM2==", NULL }, { "ITEM3==", NULL } };
		ews_transfer_result *r = NULL;
		char *body = export_response3("QUJD", "QU&#74;D<![CDATA[REVG]]>", "REVG");
		for (int i = 0; i < 3; i++)
			snprintf(p[i], sizeof p[i], "%s/ref%d.ewsx", dir, i);
		ews_test_queue_body(srv, 200, body);
		CU_ASSERT_EQUAL(ews_export_items_to_files(c, items, paths, 3, NULL, &r).code, EWS_OK);
		for (int i = 0; i < 3; i++) {
			size_t len = 0;
			char *got = ews_test_read_file(p[i], &len);
			CU_ASSERT_TRUE(got && len == strlen(want[i]) && !memcmp(got, want[i], len));
			free(got);
		}
		ews_transfer_results_free(r, 3);
		free(body);
	}
	free(data);
	wf_rmdir(dir);
	ews_client_free(c);
	ews_test_http_stop(srv);
}
#endif

#ifdef EWS_HAVE_OP_EXPORT_ITEMS
/* base64 of data written as a server might: white space anywhere between characters, character references for
 * some of them, runs in CDATA sections; malloc'd. */
static char *scrambled_base64(const unsigned char *data, size_t n, unsigned int *seed)
{
	char *plain = NULL;
	if (!ews_ok(ews_base64_encode(data, n, &plain)))
		return NULL;
	size_t len = strlen(plain), o = 0;
	char *out = malloc(len * 16 + 16);
	static const char *const spaces[] = { " ", "\n", "\r\n", "\t", "&#13;&#10;", "&#32;" };
	for (size_t i = 0; i < len; i++) {
		*seed = *seed * 1103515245u + 12345u;
		unsigned r = (*seed >> 16) % 100;
		if (r < 3)
			o += (size_t)sprintf(out + o, "%s", spaces[r * 2 + (*seed >> 8) % 2]);
		if (r >= 97) {                              /* a CDATA section of the next characters */
			size_t k = 1 + (*seed >> 4) % 9;
			if (k > len - i)
				k = len - i;
			o += (size_t)sprintf(out + o, "<![CDATA[%.*s]]>", (int)k, plain + i);
			i += k - 1;
		} else if (r >= 93) {
			o += (size_t)sprintf(out + o, "&#%d;", plain[i]);
		} else {
			out[o++] = plain[i];
		}
	}
	out[o] = '\0';
	free(plain);
	return out;
}

/* A response's Data, whichever way the bindings declare the member (a pointer or a struct). */
#define EXPORT_DATA(m) _Generic((m)->Data, struct xsd__base64Binary *: (m)->Data, default: &(m)->Data)

/* Message i's Data of an ExportItems response is `want` (NUL-terminated text). */
static int export_data_is(const struct __ewsmsg__ExportItemsResponse *r, int i, const char *want)
{
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs =
		r->ewsmsg__ExportItemsResponse ? r->ewsmsg__ExportItemsResponse->ResponseMessages : NULL;
	ews_response_message m;
	if (ews_response_messages_get(msgs, i, &m) || !m.message)
		return 0;
	const struct xsd__base64Binary *d = EXPORT_DATA((const struct ewsmsg__ExportItemsResponseMessageType *)m.message);
	return d && d->__ptr && d->__size == (int)strlen(want) && !memcmp(d->__ptr, want, strlen(want));
}

/* The values of a response live in its body: a response moved out of the client (a pager's page, a sync batch,
 * an export batch fetched ahead: ews_wf_keep_response) takes its body along, so the client's next calls do not
 * overwrite them (they did: ews-export-items fetching ahead wrote the next batch's base64 text into files now
 * and then); the body is freed with the response, wherever it went. */
static void a_kept_response_keeps_its_values_while_the_client_makes_other_calls(void)
{
	ews_test_http *srv = ews_test_http_start(0);
	ews_client *c = ews_test_client(srv);
	struct soap *keep = ews_wf_soap_new(), *a;
	long live = ews_body_live();
	char *b1 = export_response3("QUJD", "REVG", "R0hJ"), *b2 = export_response3("WFla", "WFla", "WFla");
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	a = ews_client_arena(c);
	struct ewsmsg__ExportItemsType *req = soap_new_ewsmsg__ExportItemsType(a, -1);
	req->ItemIds = soap_new_ewstype__NonEmptyArrayOfItemIdsType(a, -1);
	req->ItemIds->ItemId = soap_new_ewstype__ItemIdType(a, 3);
	req->ItemIds->__sizeItemId = 3;
	req->ItemIds->ItemId[0].Id = "ITEM1==", req->ItemIds->ItemId[1].Id = "ITEM2==", req->ItemIds->ItemId[2].Id = "ITEM3==";
	struct __ewsmsg__ExportItemsResponse r1, r2;
	memset(&r1, 0, sizeof r1);
	memset(&r2, 0, sizeof r2);
	ews_test_queue_body(srv, 200, b1);
	ews_test_queue_body(srv, 200, b2);
	CU_ASSERT_EQUAL_FATAL(ews_export_items(c, req, &r1).code, EWS_OK);
	CU_ASSERT_EQUAL(c->inplace.written, 1);
	ews_wf_keep_response(c, keep);
	long kept_live = ews_body_live();   /* the kept response's body (and the fast reader's scratch, if it read it) */
	CU_ASSERT_TRUE(kept_live > live);
	CU_ASSERT_EQUAL_FATAL(ews_export_items(c, req, &r2).code, EWS_OK);
	CU_ASSERT_TRUE(export_data_is(&r2, 0, "XYZ"));
	CU_ASSERT_TRUE(export_data_is(&r1, 0, "ABC") && export_data_is(&r1, 1, "DEF") && export_data_is(&r1, 2, "GHI"));
	ews_client_release(c);   /* the second response and its body */
	CU_ASSERT_EQUAL(ews_body_live(), kept_live);
	CU_ASSERT_TRUE(export_data_is(&r1, 0, "ABC") && export_data_is(&r1, 2, "GHI"));
	ews_wf_soap_end(keep);   /* the kept one and its body */
	CU_ASSERT_EQUAL(ews_body_live(), live);
	ews_wf_soap_free(keep);
	free(b1);
	free(b2);
	ews_client_free(c);
	ews_test_http_stop(srv);
}

/* A freed body's mapping serves the next body (a fresh mapping is faulted in page by page: on a virtual machine
 * that was a quarter of an ExportItems loop's CPU); the next, shorter answer reads its own bytes only. */
static void a_freed_body_s_memory_serves_the_next_body(void)
{
	ews_test_http *srv = ews_test_http_start(0);
	ews_client *c = ews_test_client(srv);
	char *b1 = export_response3("QUJD", "REVG", "R0hJ"), *b2 = export_response3("WFla", "WFla", "WFla");
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	struct soap *a = ews_client_arena(c);
	struct ewsmsg__ExportItemsType *req = soap_new_ewsmsg__ExportItemsType(a, -1);
	req->ItemIds = soap_new_ewstype__NonEmptyArrayOfItemIdsType(a, -1);
	req->ItemIds->ItemId = soap_new_ewstype__ItemIdType(a, 3);
	req->ItemIds->__sizeItemId = 3;
	req->ItemIds->ItemId[0].Id = "ITEM1==", req->ItemIds->ItemId[1].Id = "ITEM2==", req->ItemIds->ItemId[2].Id = "ITEM3==";
	struct __ewsmsg__ExportItemsResponse r;
	ews_test_queue_body(srv, 200, b1);
	ews_test_queue_body(srv, 200, b2);
	memset(&r, 0, sizeof r);
	CU_ASSERT_EQUAL_FATAL(ews_export_items(c, req, &r).code, EWS_OK);
	CU_ASSERT_TRUE(export_data_is(&r, 0, "ABC") && export_data_is(&r, 2, "GHI"));
	ews_client_release(c);
	int kept = ews_body_kept();
	long live = ews_body_live();
	CU_ASSERT_TRUE(kept >= 1);
	memset(&r, 0, sizeof r);
	CU_ASSERT_EQUAL_FATAL(ews_export_items(c, req, &r).code, EWS_OK);
	/* every mapping of the second response (its body, the fast reader's scratch) taken, none mapped anew */
	CU_ASSERT_TRUE(ews_body_live() > live);
	CU_ASSERT_EQUAL(ews_body_kept(), kept - (int)(ews_body_live() - live));
	CU_ASSERT_TRUE(export_data_is(&r, 0, "XYZ") && export_data_is(&r, 1, "XYZ") && export_data_is(&r, 2, "XYZ"));
	ews_client_release(c);
	CU_ASSERT_EQUAL(ews_body_kept(), kept);
	free(b1);
	free(b2);
	ews_client_free(c);
	ews_test_http_stop(srv);
}

/* Freed mappings are kept only within the most ever held at once: two responses' mappings of 128 KiB held
 * together, then one that grows to 512 KiB alone: once it is freed, the 512 KiB one is kept and the other small
 * one let go (keeping both would hold 640 KiB where 512 was ever needed). In a child, from no kept mapping. */
static void kept_mappings_never_exceed_the_most_held_at_once(void)
{
	pid_t pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		struct soap *a = soap_new(), *b = soap_new();
		size_t got, k = 1024;
		int bad = 0;
		ews_release_cached_memory();   /* (the tests before left theirs) */
		bad |= !ews_body_scratch(a, 100 * k, &got) || got != 128 * k;
		bad |= !ews_body_scratch(b, 100 * k, &got) || got != 128 * k;
		soap_destroy(a);
		soap_destroy(b);
		bad |= (ews_body_kept_bytes() != 256 * k) << 1;        /* both kept: 256 KiB were held at once */
		bad |= (!ews_body_scratch(a, 400 * k, &got) || got != 512 * k) << 2; /* a kept one, grown */
		soap_destroy(a);
		bad |= (ews_body_kept_bytes() != 512 * k || ews_body_peak_bytes() != 512 * k) << 3;
		bad |= (ews_body_kept() != 1) << 4;
		soap_free(a);
		soap_free(b);
		if (bad && getenv("EWS_TEST_VERBOSE")) fprintf(stderr, "bad=%d kept=%zu peak=%zu n=%d\n", bad, ews_body_kept_bytes(), ews_body_peak_bytes(), ews_body_kept());
		_exit(bad);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	CU_ASSERT_TRUE(WIFEXITED(status));
	CU_ASSERT_EQUAL(WEXITSTATUS(status), 0);
}

/* Random responses of 1-8 values of random sizes and writing, decoded in place one after another by one
 * client: every value byte-exact (the invariant that the writing never overtakes the reading, tried where
 * references, CDATA and white space move the reading ahead of three bytes per four characters, and where
 * gSOAP's 64 KiB input buffer is refilled in the middle of a value). */
static void random_values_decoded_in_place_are_byte_exact(void)
{
	unsigned char *data = malloc(140000);
	unsigned int seed = 777;
	for (size_t i = 0; i < 140000; i++) {
		seed = seed * 1103515245u + 12345u;
		data[i] = (unsigned char)(seed >> 16);
	}
	ews_test_http *srv = NULL;
	ews_client *c = NULL;
	const char *dir = wf_tmpdir(1);
	int failed = 0;
	for (int round = 0; round < 120 && failed < 3; round++) {
		if (round % 40 == 0) { /* a canned server answers up to 64 requests */
			ews_client_free(c);
			if (srv)
				ews_test_http_stop(srv);
			srv = ews_test_http_start(0);
			c = ews_test_client(srv);
			CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		}
		seed = seed * 1103515245u + 12345u;
		int n = 1 + (int)((seed >> 16) % 8);
		char *text[8];
		const unsigned char *want[8];
		size_t len[8];
		for (int i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			len[i] = 1 + (seed >> 8) % (round % 10 ? 3000 : 40000);
			want[i] = data + (seed >> 4) % (140000 - len[i]);
			text[i] = scrambled_base64(want[i], len[i], &seed);
		}
		char *body = export_response_n((const char *const *)text, n);
		if (!exported_as(srv, c, dir, body, n, want, len)) {
			fprintf(stderr, "\n    round %d (%d values) not byte-exact\n", round, n);
			failed++;
		}
		free(body);
		for (int i = 0; i < n; i++)
			free(text[i]);
	}
	CU_ASSERT_EQUAL(failed, 0);
	free(data);
	wf_rmdir(dir);
	ews_client_free(c);
	ews_test_http_stop(srv);
	CU_ASSERT_EQUAL(ews_body_live(), 0);   /* every body freed with its response */
}
#endif

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "an attachment's Content that is not base64 fails the decode, naming the element",
		  an_attachment_content_that_is_not_base64_fails_the_decode_naming_the_element },
		{ "an ExportItems Data that is not base64 fails the decode instead of skipping its message",
		  an_export_data_that_is_not_base64_fails_instead_of_skipping_its_message },
		{ "base64 that gSOAP read leniently, losing data, is refused",
		  base64_that_gsoap_read_leniently_losing_data_is_refused },
		{ "valid base64 as Exchange sends it (line breaks, indentation, references) decodes byte-exact",
		  valid_base64_as_exchange_sends_it_decodes_byte_exact },
		{ "an empty base64 element is an empty value", an_empty_base64_element_is_an_empty_value },
		{ "every base64Binary element of the schema refuses text that is not base64",
		  every_base64_element_of_the_schema_refuses_text_that_is_not_base64 },
#ifdef EWS_HAVE_OP_EXPORT_ITEMS
		{ "an export whose Data is not base64 fails with a status naming m:Data and writes no file",
		  an_export_call_whose_data_is_not_base64_fails_and_writes_no_file },
		{ "values decoded in place by a call are byte-exact", values_decoded_in_place_by_a_call_are_byte_exact },
		{ "random values decoded in place are byte-exact", random_values_decoded_in_place_are_byte_exact },
		{ "a freed body's memory serves the next body", a_freed_body_s_memory_serves_the_next_body },
		{ "kept mappings never exceed the most held at once", kept_mappings_never_exceed_the_most_held_at_once },
		{ "a kept response keeps its values while the client makes other calls",
		  a_kept_response_keeps_its_values_while_the_client_makes_other_calls },
#else
		EWS_TEST_NEEDS_MISSING("an export whose Data is not base64 fails with a status naming m:Data and writes no file",
				       "operation ExportItems"),
		EWS_TEST_NEEDS_MISSING("values decoded in place by a call are byte-exact", "operation ExportItems"),
		EWS_TEST_NEEDS_MISSING("random values decoded in place are byte-exact", "operation ExportItems"),
		EWS_TEST_NEEDS_MISSING("a kept response keeps its values while the client makes other calls",
		                       "operation ExportItems"),
#endif
		{ NULL, NULL }
	};
	int rc;

	ctx = ews_codec_context_new();
	rc = ews_test_run("base64 values", cases);
	ews_codec_context_free(ctx);
	return rc;
}
