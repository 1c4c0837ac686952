/* test_mixed_content.c — text before an element inside an element that holds only elements (mixed content, which no
 * EWS type has). Lenient gSOAP ends the element at the text and skips to its end tag: an ExtendedProperty came out
 * without its Value, a fault detail without its ResponseCode, with success. Such a message is refused, by the call
 * (ews_call) and by the decoder (ews_message_decode); what gSOAP keeps whole is still accepted. */
#include "ews/ews.h"
#include "ews/codec.h"
#include "ews_test.h"
#include "ews_internal.h" /* ews_xml_markup */
#include "ews_test_ews.h"

#define GETFOLDER_HEAD                                                                                          \
	"<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" " \
	"xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" "                            \
	"xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\"><s:Body><m:GetFolderResponse>"   \
	"<m:ResponseMessages><m:GetFolderResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError"   \
	"</m:ResponseCode><m:Folders><t:Folder><t:FolderId Id=\"AAAA\"/><t:DisplayName>Inbox</t:DisplayName>"
#define GETFOLDER_TAIL "</t:Folder></m:Folders></m:GetFolderResponseMessage></m:ResponseMessages></m:GetFolderResponse>" \
	"</s:Body></s:Envelope>"

static const char *const text_first = GETFOLDER_HEAD
	"<t:ExtendedProperty>x<t:ExtendedFieldURI PropertyTag=\"0x10f4\" PropertyType=\"Boolean\"/><t:Value>true"
	"</t:Value></t:ExtendedProperty>" GETFOLDER_TAIL;
static const char *const text_last = GETFOLDER_HEAD
	"<t:ExtendedProperty><t:ExtendedFieldURI PropertyTag=\"0x10f4\" PropertyType=\"Boolean\"/><t:Value>true"
	"</t:Value>x</t:ExtendedProperty>" GETFOLDER_TAIL;

/* the mixed-content offset the one pre-pass finds (ews_xml_prepass.c), or -1 */
static long mixed_at(const char *s, size_t len)
{
	ews_xml_prepass_result r;
	ews_xml_markup(s, len, 1000, &r);
	return r.mixed_at;
}

static void a_response_with_text_before_an_element_is_refused_by_the_call(void)
{
	/* text after the last child loses nothing: accepted, the Value kept */
	ews_test_call_refuses_only_the_first(text_first, text_last, "mixed content");
}

static ews_status decode(struct soap *soap, const char *xml)
{
	ews_decoded_message m;
	return ews_message_decode(soap, xml, strlen(xml), &m);
}

static void the_decoder_refuses_text_before_an_element_but_not_inside_dom_content(void)
{
	struct soap *soap = ews_codec_context_new();
	const char *fault_head = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault>"
				 "<faultcode>s:Client</faultcode><faultstring>x</faultstring><detail>";
	const char *rc = "<e:ResponseCode xmlns:e=\"http://schemas.microsoft.com/exchange/services/2006/errors\">"
			 "ErrorSchemaValidation</e:ResponseCode><e:MessageXml xmlns:e=\"http://schemas.microsoft.com/"
			 "exchange/services/2006/errors\">at<e:Line>11</e:Line></e:MessageXml>";
	char fault[2048];
	ews_status st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(soap);
	st = decode(soap, text_first);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_XML);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "line 1: cannot decode GetFolderResponse: text before an element"));
	CU_ASSERT_EQUAL(decode(soap, text_last).code, EWS_OK);
	/* directly in detail (a sequence of elements): refused; inside one of its elements (DOM): kept */
	snprintf(fault, sizeof fault, "%snote%s</detail></s:Fault></s:Body></s:Envelope>", fault_head, rc);
	CU_ASSERT_EQUAL(decode(soap, fault).code, EWS_ERR_XML);
	snprintf(fault, sizeof fault, "%s%s</detail></s:Fault></s:Body></s:Envelope>", fault_head, rc);
	CU_ASSERT_EQUAL(decode(soap, fault).code, EWS_OK);
	/* comments and blanks are no text */
	CU_ASSERT_EQUAL(mixed_at("<a> <!-- c --> <b/>\n</a>", 24), -1);
	CU_ASSERT_EQUAL(mixed_at("<a>x<b/></a>", 12), 3);
	CU_ASSERT_EQUAL(mixed_at("<a><![CDATA[x]]><b/></a>", 24), 3);
	ews_codec_context_free(soap);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "a response with text before an element is refused by the call",
		  a_response_with_text_before_an_element_is_refused_by_the_call },
		{ "the decoder refuses text before an element, but not inside DOM content",
		  the_decoder_refuses_text_before_an_element_but_not_inside_dom_content },
		{ NULL, NULL }
	};
	return ews_test_run("mixed_content", cases);
}
