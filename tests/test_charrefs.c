/* test_charrefs.c — character references in item text, end to end: invalid ones become U+FFFD with the text
 * around them intact, valid ones decode without gSOAP's stray ';'. */
#include <stdlib.h>
#include <string.h>

#include "ews/ews.h"
#include "ews_test.h"
#include "ews_test_ews.h"

/* The Subject of the first item of a GetItem response whose Subject element holds `subject_xml`. */
static char *subject_after_call(const char *subject_xml)
{
	ews_test_http *s = ews_test_http_start(0);
	ews_client *c = ews_test_client(s);
	struct __ewsmsg__GetItemResponse r;
	struct ewsmsg__GetItemType *req;
	char body[4096], *env, *subject = NULL;
	ews_status st;

	if (!s || !c)
		return NULL;
	snprintf(body, sizeof body,
	         "<m:GetItemResponse xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" "
	         "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\"><m:ResponseMessages>"
	         "<m:GetItemResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode><m:Items>"
	         "<t:Message><t:ItemId Id=\"AAMkAD\" ChangeKey=\"CQAAAB\"/><t:Subject>%s</t:Subject></t:Message>"
	         "</m:Items></m:GetItemResponseMessage></m:ResponseMessages></m:GetItemResponse>", subject_xml);
	env = ews_test_soap_envelope(ews_test_server_version_header, body);
	ews_test_queue_body(s, 200, env);
	req = soap_new_ewsmsg__GetItemType(ews_client_arena(c), -1);
	st = ews_get_item(c, req, &r);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	if (ews_ok(st)) {
		ews_response_message m;
		const struct ewsmsg__ItemInfoResponseMessageType *im;
		if (!ews_response_messages_get(ews_messages_of_GetItem(&r), 0, &m) && (im = m.message) != NULL &&
		    im->Items && im->Items->__size_ArrayOfRealItemsType == 1 &&
		    im->Items->__union_ArrayOfRealItemsType[0].__union_ArrayOfRealItemsType ==
		            SOAP_UNION__ewstype__union_ArrayOfRealItemsType_Message) {
			const char *sub = im->Items->__union_ArrayOfRealItemsType[0].union_ArrayOfRealItemsType.Message->Subject;
			subject = sub ? strdup(sub) : NULL;
		}
	}
	free(env);
	ews_client_free(c);
	ews_test_http_stop(s);
	return subject;
}

static void a_nul_reference_becomes_a_replacement_character(void)
{
	char *sub = subject_after_call("Hello&#x0;World");
	CU_ASSERT_PTR_NOT_NULL_FATAL(sub);
	CU_ASSERT_STRING_EQUAL(sub, "Hello\xEF\xBF\xBDWorld");
	free(sub);
}

static void a_control_character_reference_becomes_a_replacement_character(void)
{
	char *sub = subject_after_call("Invoice&#x1A;2024 &#26; &#0; end");
	CU_ASSERT_PTR_NOT_NULL_FATAL(sub);
	CU_ASSERT_STRING_EQUAL(sub, "Invoice\xEF\xBF\xBD" "2024 \xEF\xBF\xBD \xEF\xBF\xBD end");
	free(sub);
}

static void valid_references_decode_without_a_stray_semicolon(void)
{
	char *sub = subject_after_call("caf&#xE9; &#x1F600; &#128512; &#x0003C;tag&#x0003E; &amp; &#9;x");
	CU_ASSERT_PTR_NOT_NULL_FATAL(sub);
	CU_ASSERT_STRING_EQUAL(sub, "caf\xC3\xA9 \xF0\x9F\x98\x80 \xF0\x9F\x98\x80 <tag> & \tx");
	free(sub);
}

static void surrogate_and_out_of_range_references_are_replaced(void)
{
	char *sub = subject_after_call("a&#xD800;b&#x110000;c&#xFFFE;d&#99999999999999999999;e");
	CU_ASSERT_PTR_NOT_NULL_FATAL(sub);
	CU_ASSERT_STRING_EQUAL(sub, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD" "d\xEF\xBF\xBD" "e");
	free(sub);
}

static void cdata_is_left_alone(void)
{
	char *sub = subject_after_call("<![CDATA[x&#x0;y]]>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(sub);
	CU_ASSERT_STRING_EQUAL(sub, "x&#x0;y");
	free(sub);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "a NUL reference in a Subject becomes U+FFFD and the text around it survives",
		  a_nul_reference_becomes_a_replacement_character },
		{ "a control character reference (&#x1A;) becomes U+FFFD",
		  a_control_character_reference_becomes_a_replacement_character },
		{ "valid references decode without a stray semicolon", valid_references_decode_without_a_stray_semicolon },
		{ "surrogate and out-of-range references are replaced", surrogate_and_out_of_range_references_are_replaced },
		{ "CDATA is left alone", cdata_is_left_alone },
		{ NULL, NULL }
	};
	return ews_test_run("charrefs", cases);
}
