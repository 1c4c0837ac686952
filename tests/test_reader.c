/* test_reader.c — the fast response reader (ews/reader.h, runtime/core/ews_reader.c) decodes what gSOAP decodes,
 * value for value, or leaves the response to gSOAP: the corpus's responses, and each shape it must leave alone.
 * (Every suite also compares each response its calls decoded fast with gSOAP's decode: tests/common/
 * reader_check.c.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews/codec.h"
#include "ews_internal.h"
#include "ews_operations.h"
#include "ews_test.h"

/* The encodings of xml (a response of operation op) decoded by the reader and by gSOAP; *fast_rc is the reader's
 * verdict. Returns 1 when both decoded and encode alike (the reader both ways: base64 values into memory of their
 * own, the body left as it was; and decoded over their text, as a call does), 0 when the reader left it to gSOAP,
 * -1 when they differ or gSOAP refuses what the reader took. */
static int compare(const char *op, const char *xml, size_t len, int *fast_rc)
{
	const ews_operation *o = ews_operation_find(op);
	struct soap *fast = ews_codec_context_new(), *slow = ews_codec_context_new(), *inplace = ews_codec_context_new();
	char *body = malloc(len + 1), *copy = malloc(len + 1), *third = malloc(len + 1);
	ews_xml_prepass_result pre;
	ews_decoded_message m = { .kind = EWS_MESSAGE_RESPONSE, .has_envelope = 1 }, g;
	const char *a = NULL, *b = NULL, *c = NULL;
	void *response, *response2;
	int verdict = -1, wrote;

	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(body);
	CU_ASSERT_PTR_NOT_NULL_FATAL(third);
	memcpy(body, xml, len);     /* the body as it came: a call runs the reader before the pre-pass */
	body[len] = '\0';
	memcpy(copy, body, len + 1);
	memcpy(third, body, len + 1);
	response = soap_malloc(fast, 4096);
	*fast_rc = ews_reader_decode(fast, o->reader, body, len, 200, NULL, response);
	CU_ASSERT_EQUAL(memcmp(body, copy, len + 1), 0);   /* whatever it did, the body is as it was */
	if (*fast_rc != SOAP_OK) {
		verdict = 0;
		/* and the same verdict in place, the body untouched when it gives up */
		CU_ASSERT_EQUAL(ews_reader_decode(inplace, o->reader, third, len, 200, &wrote, soap_malloc(inplace, 4096)),
		                EWS_READER_FALLBACK);
		CU_ASSERT_EQUAL(memcmp(third, copy, len + 1), 0);
		goto out;
	}
	/* what it took, the pre-pass would leave as it is and find nothing wrong with */
	CU_ASSERT_EQUAL(ews_xml_prepass(copy, len, 200, &pre), len);
	CU_ASSERT_EQUAL(memcmp(body, copy, len), 0);
	CU_ASSERT_TRUE(!pre.too_deep && pre.mixed_at < 0 && pre.malformed_at < 0 && !pre.unfinished);
	m.op = ews_operation_codec_find(op);
	m.body = response;
	m.header = fast->header;
	if (ews_ok(ews_message_decode(slow, body, len, &g)) && ews_ok(ews_message_encode(slow, &g, &a)) &&
	    ews_ok(ews_message_encode(fast, &m, &b)))
		verdict = strcmp(a, b) ? -1 : 1;
	response2 = soap_malloc(inplace, 4096);
	CU_ASSERT_EQUAL(ews_reader_decode(inplace, o->reader, third, len, 200, &wrote, response2), SOAP_OK);
	m.body = response2;
	m.header = inplace->header;
	if (verdict > 0 && (!ews_ok(ews_message_encode(inplace, &m, &c)) || strcmp(a, c)))
		verdict = -1;
	if (verdict < 0)
		fprintf(stderr, "\n    %s: gSOAP: %.300s\n    reader: %.300s\n    in place: %.300s\n", op,
		        a ? a : "(refused)", b ? b : "-", c ? c : "-");
out:
	free(body);
	free(copy);
	free(third);
	fast->header = slow->header = inplace->header = NULL;
	ews_codec_context_free(fast);
	ews_codec_context_free(slow);
	ews_codec_context_free(inplace);
	return verdict;
}

static void corpus_responses_decode_as_gsoap_decodes_them_or_are_left_to_it(void)
{
	char path[4096], line[8192];
	FILE *manifest;
	int fast = 0, left = 0;

	snprintf(path, sizeof path, "%s/ews-corpus/MANIFEST.tsv", ews_test_shared_dir());
	manifest = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(manifest);
	while (fgets(line, sizeof line, manifest)) {
		char *col[8] = { 0 }, *p = line, *xml, file[1024];
		size_t len;
		int n = 0, rc;

		while (n < 8 && (col[n] = strsep(&p, "\t\n")) != NULL)
			n++;
		if (n < 7 || strcmp(col[6], "yes") || strcmp(col[5], "response") || !ews_operation_find(col[4]))
			continue;
		snprintf(file, sizeof file, "%s/ews-corpus/%s", ews_test_shared_dir(), col[0]);
		xml = ews_test_read_file(file, &len);
		CU_ASSERT_PTR_NOT_NULL_FATAL(xml);
		switch (compare(col[4], xml, len, &rc)) {
		case 1:
			fast++;
			break;
		case 0:
			left++;
			break;
		default:
			fprintf(stderr, "    (%s)\n", col[0]);
			CU_FAIL("the reader decoded a corpus response differently from gSOAP");
		}
		free(xml);
	}
	fclose(manifest);
	printf("\n    corpus: %d responses read by the fast reader alike, %d left to gSOAP\n", fast, left);
	CU_ASSERT_TRUE(fast >= 20);
}

#define NS "xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" " \
	   "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\""

/* A FindItem response whose one item is `message` (the inside of t:Message). */
static char *find_item_response(const char *header, const char *message)
{
	static const char fmt[] =
		"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">%s\n"
		"<s:Body><m:FindItemResponse " NS "><m:ResponseMessages>"
		"<m:FindItemResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode>"
		"<m:RootFolder IndexedPagingOffset=\"1\" TotalItemsInView=\"1\" IncludesLastItemInRange=\"true\"><t:Items>"
		"<t:Message>%s</t:Message></t:Items></m:RootFolder></m:FindItemResponseMessage></m:ResponseMessages>"
		"</m:FindItemResponse></s:Body></s:Envelope>\r\n";
	size_t n = sizeof fmt + strlen(header) + strlen(message);
	char *out = malloc(n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	snprintf(out, n, fmt, header, message);
	return out;
}

#define SVI "<s:Header><h:ServerVersionInfo MajorVersion=\"15\" MinorVersion=\"1\" MajorBuildNumber=\"2507\" " \
	    "MinorBuildNumber=\"6\" Version=\"V2017_07_11\" xmlns:h=\"http://schemas.microsoft.com/exchange/services/" \
	    "2006/types\"/></s:Header>"
#define ID "<t:ItemId Id=\"AAMkAD==\" ChangeKey=\"CQAAAB==\"/>"

static int verdict_of(const char *header, const char *message)
{
	char *xml = find_item_response(header, message);
	int rc, v = compare("FindItem", xml, strlen(xml), &rc);
	free(xml);
	return v;
}

static void the_canonical_shape_is_read_fast_and_alike(void)
{
	CU_ASSERT_EQUAL(verdict_of(SVI, ID "<t:Subject>Hello</t:Subject>"), 1);
	CU_ASSERT_EQUAL(verdict_of("", ID "<t:Subject>Hello</t:Subject>"), 1);            /* no header */
	CU_ASSERT_EQUAL(verdict_of("<s:Header/>", ID "<t:Subject>x</t:Subject>"), 1);     /* an empty one */
	/* the five named entities, UTF-8, blanks of a string kept as they are */
	CU_ASSERT_EQUAL(verdict_of(SVI, ID "<t:Subject> Q&amp;A &lt;b&gt; &quot;x&apos; \xc3\xa9\xe2\x82\xac "
	                                   "\xf0\x9f\x98\x80\n\ttab</t:Subject>"), 1);
	/* values gSOAP converts: a boolean, an int, an enumeration, a date */
	CU_ASSERT_EQUAL(verdict_of(SVI, ID "<t:Subject>s</t:Subject><t:Sensitivity>Private</t:Sensitivity>"
	                                   "<t:DateTimeReceived>2024-01-02T03:04:05Z</t:DateTimeReceived>"
	                                   "<t:Size>42</t:Size><t:IsDraft>false</t:IsDraft>"), 1);
	/* base64Binary, on one line and broken into lines, padded both ways */
	CU_ASSERT_EQUAL(verdict_of(SVI, ID "<t:Subject>s</t:Subject><t:ConversationIndex>QUJD\r\nREVG\n R0g=</t:ConversationIndex>"), 1);
	CU_ASSERT_EQUAL(verdict_of(SVI, ID "<t:ConversationIndex>QQ==</t:ConversationIndex>"), 1);
	/* repeated elements and a choice of recipients */
	CU_ASSERT_EQUAL(verdict_of(SVI, ID "<t:Categories><t:String>a</t:String><t:String>b</t:String></t:Categories>"
	                                   "<t:ToRecipients><t:Mailbox><t:EmailAddress>a@x</t:EmailAddress></t:Mailbox>"
	                                   "<t:Mailbox><t:Name>B</t:Name><t:EmailAddress>b@x</t:EmailAddress>"
	                                   "</t:Mailbox></t:ToRecipients><t:IsRead>true</t:IsRead>"), 1);
}

/* Each: a shape whose meaning is gSOAP's lenient parser's to say: left to it, and gSOAP's decode stands. */
static void what_gsoap_must_say_is_left_to_gsoap(void)
{
	static const struct { const char *header, *message, *why; } cases[] = {
		{ SVI, ID "<!-- a comment --><t:Subject>s</t:Subject>", "a comment" },
		{ SVI, ID "<t:Subject><![CDATA[s]]></t:Subject>", "CDATA" },
		{ SVI, ID "<t:Subject>&#65;</t:Subject>", "a character reference" },
		{ SVI, ID "<t:Subject>a\r\nb</t:Subject>", "a carriage return in a value" },
		{ SVI, ID "<t:Subject/>", "an empty value" },
		{ SVI, ID "<t:Subject xsi:nil=\"true\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"/>", "xsi:nil" },
		{ SVI, "<t:Subject>s</t:Subject>" ID, "elements out of schema order" },
		{ SVI, ID "<t:Subject>s</t:Subject><t:Subject>t</t:Subject>", "a single element twice" },
		{ SVI, ID "<t:NoSuchElement>s</t:NoSuchElement>", "an element the type does not have" },
		{ SVI, ID "<t:DateTimeReceived> 2024-01-02T03:04:05Z</t:DateTimeReceived>", "blanks a date would lose" },
		{ SVI, ID "<t:IsDraft> false</t:IsDraft>", "blanks in a boolean" },
		{ SVI, ID "<t:Size>forty</t:Size>", "a value its converter refuses" },
		{ SVI, ID "<t:Subject>s</t:Subjec>", "a mismatched end tag" },
		{ SVI, "<t:ItemId Id=\"a\tb\"/>", "a tab in an attribute value" },
		{ SVI, "<t:ItemId Id=\"a\" Bogus=\"b\"/>", "an attribute the type does not have" },
		{ SVI, "<t:ItemId Id=\"a\" Id=\"b\"/>", "an attribute twice" },
		{ SVI, ID "<t:Subject>\xc3</t:Subject>", "invalid UTF-8" },
		{ SVI, ID "<t:Subject>\xe0\x80\xaf</t:Subject>", "an overlong UTF-8 form" },
		{ "<s:Header><t:Other xmlns:t=\"urn:x\"/></s:Header>", ID, "a header element not mapped" },
		{ SVI, ID "text<t:Subject>s</t:Subject>", "text among elements" },
		{ SVI, ID "<t:Subject>see https://schemas.xmlsoap.org/soap/envelope/</t:Subject>",
		  "the https:// envelope URI, which the pre-pass rewrites even in a value" },
		{ SVI, ID "<t:ConversationIndex>QUJD=REVG</t:ConversationIndex>", "base64 text after its padding" },
		{ SVI, ID "<t:ConversationIndex>QUJ</t:ConversationIndex>", "base64 ending inside a group" },
		{ SVI, ID "<t:ConversationIndex>QR==</t:ConversationIndex>", "base64 with bits after its last byte" },
		{ SVI, ID "<t:ConversationIndex>QU.D</t:ConversationIndex>", "a byte outside the base64 alphabet" },
		{ SVI, ID "<t:ConversationIndex>QU&#74;D</t:ConversationIndex>", "a reference in base64" },
		{ SVI, ID "<t:ConversationIndex/>", "an empty base64 value" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int v = verdict_of(cases[i].header, cases[i].message);
		if (v != 0)
			fprintf(stderr, "\n    %s: %s\n", cases[i].why, v > 0 ? "read fast" : "read differently");
		CU_ASSERT_EQUAL(v, 0);
	}
}

static void a_fault_is_left_to_gsoap(void)
{
	static const char fault[] =
		"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault><faultcode>s:Server"
		"</faultcode><faultstring>no</faultstring></s:Fault></s:Body></s:Envelope>";
	int rc;

	CU_ASSERT_EQUAL(compare("FindItem", fault, strlen(fault), &rc), 0);
	CU_ASSERT_EQUAL(rc, EWS_READER_FALLBACK);
}

/* Cut anywhere, a response is never read fast (gSOAP says what a cut document is). */
static void a_response_cut_anywhere_is_left_to_gsoap(void)
{
	char *xml = find_item_response(SVI, ID "<t:Subject>Hello</t:Subject><t:IsRead>true</t:IsRead>");
	size_t len = strlen(xml);
	int fast = 0;

	while (len > 0 && (xml[len - 1] == '\n' || xml[len - 1] == '\r'))
		len--;
	for (size_t cut = 0; cut < len; cut++) {
		int rc;
		if (compare("FindItem", xml, cut, &rc) != 0)
			fast++;
	}
	CU_ASSERT_EQUAL(fast, 0);
	free(xml);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "corpus responses decode as gSOAP decodes them, or are left to it",
		  corpus_responses_decode_as_gsoap_decodes_them_or_are_left_to_it },
		{ "the canonical shape is read fast and alike", the_canonical_shape_is_read_fast_and_alike },
		{ "what gSOAP must say is left to gSOAP", what_gsoap_must_say_is_left_to_gsoap },
		{ "a fault is left to gSOAP", a_fault_is_left_to_gsoap },
		{ "a response cut anywhere is left to gSOAP", a_response_cut_anywhere_is_left_to_gsoap },
		{ NULL, NULL }
	};
	return ews_test_run("fast reader", cases);
}
