/* test_malformed_start_tag.c — a '/' inside a start tag, outside a quoted value, that is not followed at once by '>'.
 * gSOAP ends the tag at such a '/' and takes the next non-blank byte for its '>', whatever that byte is, so the rest
 * of the tag becomes text of the parent. In a known item (a reference page's typo `ChangeKey="..." /` then a newline
 * and `<t:Subject>`) lenient gSOAP then skipped the Subject and the whole next response message, with success; in an
 * unknown item kept as DOM the text was kept as mixed content that the next decode refused (tests/fuzz's decode
 * target: slash-invalid-utf8, unquoted-value-in-unknown-item). Such a message is now refused, by the decoder
 * (ews_message_decode) and by the call (ews_call), naming the place (runtime/core/ews_xml_prepass.c).
 *
 * Likewise a '<' inside a quoted attribute value, which XML forbids: in a Body's text `<html dir="ltr />` gSOAP reads
 * the quote as text and the Body ends at the next end tag, while the pre-pass took everything up to the next quote
 * for the value, so the mixed content of an unknown item after it went unseen; kept as DOM, it made an encoding the
 * next decode refused (tests/fuzz's decode target: lt-inside-a-quoted-value-hides-mixed-content).
 *
 * And a quote in an element's name (`<t:Message="https://...">`): gSOAP's name runs to the next blank, '/' or '>',
 * while the pre-pass took the quote for a value's; kept as DOM, the name `t:Message="http:` made an encoding the
 * next decode refused (tests/fuzz's decode target: quote-in-an-element-name).
 *
 * And an end tag whose name is not its start tag's: outside strict mode gSOAP takes any end tag for the end of the
 * element it is in, so what follows is read at the wrong level and known elements there are skipped: a
 * GetStreamingEvents lost its ConnectionTimeout behind a stray `</t:SubscriptionId></m:SubscriptionIds>`
 * (tests/fuzz's decode target: end-tag-names-another-element). */
#include "ews/ews.h"
#include "ews/codec.h"
#include "ews_test.h"
#include "ews_test_ews.h"

#define GETFOLDER_HEAD                                                                                          \
	"<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" " \
	"xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" "                            \
	"xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\"><s:Body><m:GetFolderResponse>"   \
	"<m:ResponseMessages><m:GetFolderResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError"   \
	"</m:ResponseCode><m:Folders><t:Folder>"
#define GETFOLDER_TAIL "<t:DisplayName>Inbox</t:DisplayName></t:Folder></m:Folders></m:GetFolderResponseMessage>" \
	"</m:ResponseMessages></m:GetFolderResponse></s:Body></s:Envelope>"

static const char *const slash_then_newline = GETFOLDER_HEAD "<t:FolderId Id=\"AAAA\" /\n" GETFOLDER_TAIL;
static const char *const slash_in_quotes = GETFOLDER_HEAD "<t:FolderId Id=\"AA/A\" ChangeKey='/' />\n" GETFOLDER_TAIL;

/* The finding's shape in a GetFolder: a Folder's DisplayName holding a tag with an unclosed quote, then an unknown
 * element with text before its child; `closed_later`: a quote in a later text closes the value (before, the
 * pre-pass saw one value from `dir="` to there; gSOAP saw the markup in between) */
#define GETFOLDER_QUOTE_HEAD GETFOLDER_HEAD "<t:DisplayName><html dir=\"ltr ></t:DisplayName></t:Folder>"      \
	"<t:Unknown>( <t:Mailbox><t:Name>N</t:Name></t:Mailbox></t:Unknown><t:Folder>"
static const char *const lt_in_open_quote = GETFOLDER_QUOTE_HEAD GETFOLDER_TAIL;
static const char *const lt_in_quote_closed_later =
	GETFOLDER_QUOTE_HEAD "<t:DisplayName>\"</t:DisplayName>" GETFOLDER_TAIL;
static const char *const gt_and_escaped_lt_in_quotes =
	GETFOLDER_HEAD "<t:FolderId Id=\"A>B\" ChangeKey='&lt;C&#60;'/>" GETFOLDER_TAIL;

static const char *const quote_in_name = GETFOLDER_HEAD "<t:Unknown=\"a\">x</t:Unknown>" GETFOLDER_TAIL;
static const char *const quote_after_blank = GETFOLDER_HEAD "<t:FolderId Id = \"a\" ChangeKey\n=\n'b'/>" GETFOLDER_TAIL;

/* the Folder's end tag misspelt: before, gSOAP ended the Folder at </t:FolderX> and read on one level up */
static const char *const end_tag_mismatch = GETFOLDER_HEAD "<t:FolderId Id=\"AAAA\"/><t:DisplayName>x"
					    "</t:DisplayName></t:FolderX><t:Folder>" GETFOLDER_TAIL;
static const char *const end_tags_match = GETFOLDER_HEAD "<t:FolderId Id=\"AAAA\"/>" GETFOLDER_TAIL;

static ews_status decode_file(struct soap *soap, const char *name)
{
	char path[512];
	size_t len;
	char *xml;
	ews_decoded_message m;
	ews_status st;

	snprintf(path, sizeof path, "tests/fuzz/regressions/decode/%s", name);
	xml = ews_test_read_file(path, &len);
	if (!xml)
		return ews_status_make(EWS_ERR_FILE, "cannot read %s", path);
	st = ews_message_decode(soap, xml, len, &m);
	free(xml);
	return st;
}

static ews_status decode(struct soap *soap, const char *xml)
{
	ews_decoded_message m;
	return ews_message_decode(soap, xml, strlen(xml), &m);
}

/* The decode failed as malformed XML, its message saying `words`. */
static void refused(ews_status st, const char *words)
{
	CU_ASSERT_EQUAL(st.code, EWS_ERR_XML);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, words));
}

static void the_decoder_refuses_a_slash_not_before_the_end_of_a_start_tag(void)
{
	struct soap *soap = ews_codec_context_new();

	CU_ASSERT_PTR_NOT_NULL_FATAL(soap);
	/* the reference page's typo: before, the Subject and the second response message were lost, with success */
	refused(decode_file(soap, "slash-before-newline-drops-the-rest-of-the-item.xml"),
		"line 8: cannot decode GetItemResponse: a '/' inside a start tag not followed by '>' (offset ");
	/* the two fuzz findings (unknown items kept as DOM): refused at the first decode, not at the second */
	refused(decode_file(soap, "slash-then-invalid-utf8-in-tag.xml"),
		"line 10: cannot decode GetItemResponse: a '/' inside a start tag");
	refused(decode_file(soap, "unquoted-value-with-request-line-in-unknown-item.xml"),
		"line 9: cannot decode GetItemResponse: an attribute value not in quotes (offset ");
	/* the typo's shape in a GetFolder (before: the DisplayName was lost); a '/' inside quoted values is XML */
	CU_ASSERT_EQUAL(decode(soap, slash_then_newline).code, EWS_ERR_XML);
	CU_ASSERT_EQUAL(decode(soap, slash_in_quotes).code, EWS_OK);
	ews_codec_context_free(soap);
}

static void the_decoder_refuses_a_lt_inside_a_quoted_value(void)
{
	struct soap *soap = ews_codec_context_new();

	CU_ASSERT_PTR_NOT_NULL_FATAL(soap);
	/* the fuzz finding, minimised: before, it decoded, and its encoding did not. Its `<html dir="ltr />` now meets
	 * the "/>" in a quoted value first, just before the '<' */
	refused(decode_file(soap, "lt-inside-a-quoted-value-hides-mixed-content.xml"),
		"line 11: cannot decode GetItemResponse: '/>' inside a quoted attribute value (offset ");
	refused(decode(soap, lt_in_open_quote), "a '<' inside a quoted attribute value");
	CU_ASSERT_EQUAL(decode(soap, lt_in_quote_closed_later).code, EWS_ERR_XML);
	/* '>' inside a value and an escaped '<' are XML */
	CU_ASSERT_EQUAL(decode(soap, gt_and_escaped_lt_in_quotes).code, EWS_OK);
	ews_codec_context_free(soap);
}

static void the_decoder_refuses_a_quote_in_an_element_name(void)
{
	struct soap *soap = ews_codec_context_new();

	CU_ASSERT_PTR_NOT_NULL_FATAL(soap);
	/* the fuzz finding, minimised: before, it decoded, and its encoding did not */
	refused(decode_file(soap, "quote-in-an-element-name.xml"),
		"line 10: cannot decode GetItemResponse: a quote in an element's name (offset ");
	CU_ASSERT_EQUAL(decode(soap, quote_in_name).code, EWS_ERR_XML);
	/* the second finding: gSOAP skips blanks after the '<' and reads the name from there; XML allows none */
	refused(decode_file(soap, "quote-in-a-name-after-blanks.xml"),
		"line 13: cannot decode GetItemResponse: a blank or '%' right after a '<'");
	/* blanks around an attribute's '=' are XML, and its quote opens the value */
	CU_ASSERT_EQUAL(decode(soap, quote_after_blank).code, EWS_OK);
	ews_codec_context_free(soap);
}

static void a_response_with_a_quote_in_an_element_name_is_refused_by_the_call(void)
{
	ews_test_call_refuses_only_the_first(quote_in_name, quote_after_blank,
					     "a quote in an element's name (offset ");
}

static void the_decoder_refuses_an_end_tag_that_does_not_match_its_start_tag(void)
{
	struct soap *soap = ews_codec_context_new();

	CU_ASSERT_PTR_NOT_NULL_FATAL(soap);
	/* the fuzz finding (a request): before, it decoded without its ConnectionTimeout */
	refused(decode_file(soap, "end-tag-names-another-element.xml"),
		"line 9: cannot decode GetStreamingEvents: an end tag that does not match its start tag (offset ");
	CU_ASSERT_EQUAL(decode(soap, end_tag_mismatch).code, EWS_ERR_XML);
	CU_ASSERT_EQUAL(decode(soap, end_tags_match).code, EWS_OK);
	ews_codec_context_free(soap);
}

static void a_response_with_an_end_tag_that_does_not_match_is_refused_by_the_call(void)
{
	ews_test_call_refuses_only_the_first(end_tag_mismatch, end_tags_match,
					     "an end tag that does not match its start tag (offset ");
}

/* An attribute without a name (`<ResolveNames = ReturnFullContactData="true">`): gSOAP's reader of the tag fails
 * (a syntax error). On the operation element that failure was lost: the decoder's own look at it (for xsi:nil)
 * ignored it, and the decode read an operation element with its defaults, attribute and children lost, with
 * success (tests/fuzz's decode target: attribute-without-a-name). Deeper elements failed as they should. */
static void the_decoder_refuses_an_attribute_without_a_name(void)
{
	struct soap *soap = ews_codec_context_new();

	CU_ASSERT_PTR_NOT_NULL_FATAL(soap);
	/* the pre-pass now refuses the finding's shape first: after the '=' comes a name, not a quoted value */
	refused(decode_file(soap, "attribute-without-a-name-on-the-operation-element.xml"),
		"line 5: cannot decode ResolveNames: an attribute value not in quotes (offset ");
	/* without the pre-pass's verdict (a quoted value, no name before its '='), gSOAP's syntax error stands */
	refused(decode(soap, GETFOLDER_HEAD "<t:DisplayName =\"b\">Inbox</t:DisplayName>" GETFOLDER_TAIL),
		"syntax error in element 't:DisplayName'");
	ews_codec_context_free(soap);
}

/* An attribute value not in quotes (`<t:Entry Key=#BusinessPhone">5625550199</t:Entry>`): XML forbids it. gSOAP
 * reads it to a blank, '/' or '>', then (the '>' it gave back being its own token, not the byte) takes the text after
 * the tag for another attribute's name: an unknown item kept as DOM carried an attribute named `5625550199<` into an
 * encoding the next decode refused (tests/fuzz's decode target: unquoted-value-ending-in-a-quote). */
static void the_decoder_refuses_an_attribute_value_not_in_quotes(void)
{
	struct soap *soap = ews_codec_context_new();

	CU_ASSERT_PTR_NOT_NULL_FATAL(soap);
	refused(decode_file(soap, "unquoted-value-ending-in-a-quote.xml"),
		"line 60: cannot decode GetItemResponse: an attribute value not in quotes (offset ");
	refused(decode(soap, GETFOLDER_HEAD "<t:FolderId Id=AAAA/>" GETFOLDER_TAIL), "an attribute value not in quotes");
	refused(decode(soap, GETFOLDER_HEAD "<t:FolderId Id= AAAA />" GETFOLDER_TAIL), "an attribute value not in quotes");
	refused(decode(soap, GETFOLDER_HEAD "<t:FolderId Id=>" GETFOLDER_TAIL), "an attribute value not in quotes");
	/* blanks around '=' are XML, and so are both kinds of quotes */
	CU_ASSERT_EQUAL(decode(soap, GETFOLDER_HEAD "<t:FolderId Id = \"AAAA\" ChangeKey\n=\n'AQ=='/>" GETFOLDER_TAIL).code,
			EWS_OK);
	ews_codec_context_free(soap);
}

/* An '&' that begins no reference (`&amp<![CDATA[;gt;` in an unknown item's Body): gSOAP reads up to 7 bytes or a
 * ';' as the reference's name, so it took `amp<![C` for one and read on as text, while the pre-pass saw a CDATA
 * section covering the rest of the message: the malformed tags after it went unseen and an unknown item kept as DOM
 * carried them into an encoding the next decode refused (tests/fuzz's decode target: amp-swallows-a-cdata-opener). */
static void the_decoder_refuses_an_ampersand_that_begins_no_reference(void)
{
	struct soap *soap = ews_codec_context_new();

	CU_ASSERT_PTR_NOT_NULL_FATAL(soap);
	refused(decode_file(soap, "amp-swallows-a-cdata-opener.xml"),
		"line 22: cannot decode GetItemResponse: an '&' that does not begin a reference (offset ");
	refused(decode(soap, GETFOLDER_HEAD "<t:FolderId Id=\"A&B\" ChangeKey=\"C\"/>" GETFOLDER_TAIL),
		"an '&' that does not begin a reference");
	CU_ASSERT_EQUAL(decode(soap, GETFOLDER_HEAD "<t:FolderId Id=\"A&amp;B&#43;\"/>" GETFOLDER_TAIL).code, EWS_OK);
	ews_codec_context_free(soap);
}

/* A comment gSOAP ends earlier than XML does (at its first "--"), never closed for XML: the scan took the rest of
 * the response for a comment, gSOAP read an unknown item with mixed content after it (tests/fuzz's decode target:
 * comment-ended-early-by-gsoap). Also a DTD, a PI ended by '>' alone or holding a '<', and '< ' (tests/test_prepass.c). */
static void the_decoder_refuses_markup_gsoap_reads_otherwise(void)
{
	struct soap *soap = ews_codec_context_new();

	CU_ASSERT_PTR_NOT_NULL_FATAL(soap);
	refused(decode_file(soap, "comment-ended-early-by-gsoap.xml"),
		"line 13: cannot decode FindItemResponse: a comment with '--' inside it or not closed by '-->' (offset ");
	refused(decode(soap, GETFOLDER_HEAD "<!-- a -- b --><t:FolderId Id=\"AAAA\"/>" GETFOLDER_TAIL),
		"a comment with '--' inside it");
	/* the session's last finding: `<m:Resp<?xml ...?>`, comment and CDATA openers inside start tags */
	refused(decode_file(soap, "mixed-content-behind-markup-inside-a-start-tag.xml"),
		"cannot decode ResolveNamesResponse: a '<' inside a start tag, outside a quoted value (offset ");
	CU_ASSERT_EQUAL(decode(soap, GETFOLDER_HEAD "<!-- a - b --><t:FolderId Id=\"AAAA\"/>" GETFOLDER_TAIL).code, EWS_OK);
	/* a '<' in a PI: after the PI's first '?' gSOAP counts it as an opening and reads past the "?>" to a matching
	 * '>', here over a CDATA opener behind which the scan saw only text and gSOAP an element named "<"
	 * (tests/fuzz's decode target, thirteenth session: lt-inside-a-processing-instruction) */
	refused(decode_file(soap, "lt-inside-a-processing-instruction.xml"),
		"cannot decode GetFolderResponse: a '<' inside a processing instruction (offset ");
	refused(decode(soap, GETFOLDER_HEAD "<?m?<?><t:FolderId Id=\"AAAA\"/>" GETFOLDER_TAIL),
		"a '<' inside a processing instruction");
	refused(decode(soap, GETFOLDER_HEAD "<?m a<b?><t:FolderId Id=\"AAAA\"/>" GETFOLDER_TAIL),
		"a '<' inside a processing instruction");
	CU_ASSERT_EQUAL(decode(soap, GETFOLDER_HEAD "<?m a b?><t:FolderId Id=\"AAAA\"/>" GETFOLDER_TAIL).code, EWS_OK);
	ews_codec_context_free(soap);
}

static void a_response_with_a_slash_not_before_the_end_of_a_start_tag_is_refused_by_the_call(void)
{
	ews_test_call_refuses_only_the_first(slash_then_newline, slash_in_quotes,
					     "a '/' inside a start tag not followed by '>'");
}

static void a_response_with_a_lt_inside_a_quoted_value_is_refused_by_the_call(void)
{
	ews_test_call_refuses_only_the_first(lt_in_quote_closed_later, gt_and_escaped_lt_in_quotes,
					     "a '<' inside a quoted attribute value (offset ");
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "the decoder refuses a slash not before the end of a start tag",
		  the_decoder_refuses_a_slash_not_before_the_end_of_a_start_tag },
		{ "a response with a slash not before the end of a start tag is refused by the call",
		  a_response_with_a_slash_not_before_the_end_of_a_start_tag_is_refused_by_the_call },
		{ "the decoder refuses a lt inside a quoted value", the_decoder_refuses_a_lt_inside_a_quoted_value },
		{ "a response with a lt inside a quoted value is refused by the call",
		  a_response_with_a_lt_inside_a_quoted_value_is_refused_by_the_call },
		{ "the decoder refuses a quote in an element name", the_decoder_refuses_a_quote_in_an_element_name },
		{ "a response with a quote in an element name is refused by the call",
		  a_response_with_a_quote_in_an_element_name_is_refused_by_the_call },
		{ "the decoder refuses an end tag that does not match its start tag",
		  the_decoder_refuses_an_end_tag_that_does_not_match_its_start_tag },
		{ "a response with an end tag that does not match is refused by the call",
		  a_response_with_an_end_tag_that_does_not_match_is_refused_by_the_call },
		{ "the decoder refuses an attribute without a name", the_decoder_refuses_an_attribute_without_a_name },
		{ "the decoder refuses markup gSOAP reads otherwise", the_decoder_refuses_markup_gsoap_reads_otherwise },
		{ "the decoder refuses an attribute value not in quotes", the_decoder_refuses_an_attribute_value_not_in_quotes },
		{ "the decoder refuses an ampersand that begins no reference", the_decoder_refuses_an_ampersand_that_begins_no_reference },
		{ NULL, NULL }
	};
	return ews_test_run("malformed_start_tag", cases);
}
