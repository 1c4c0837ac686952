/* test_decode.c — decoding hostile and broken input: invalid character references, truncation, garbage,
 * depth; the sanitizer alone; and the ews-decode command's output and exit codes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "soapH.h"
#include "ews/codec.h"
#include "ews/response.h"
#include "ews/sanitize.h"
#include "ews_test.h"

static struct soap *ctx;

/* A GetItem response whose message Subject is `subject` (raw XML text, may hold references). */
static char *getitem_response(const char *subject)
{
	static const char fmt[] =
		"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">\n"
		"<s:Header><h:ServerVersionInfo MajorVersion=\"15\" MinorVersion=\"1\" MajorBuildNumber=\"2507\""
		" MinorBuildNumber=\"6\" Version=\"V2017_07_11\""
		" xmlns:h=\"http://schemas.microsoft.com/exchange/services/2006/types\"/></s:Header>\n"
		"<s:Body><m:GetItemResponse xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\""
		" xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\">\n"
		"<m:ResponseMessages><m:GetItemResponseMessage ResponseClass=\"Success\">\n"
		"<m:ResponseCode>NoError</m:ResponseCode><m:Items><t:Message>\n"
		"<t:ItemId Id=\"AAMkAD=\" ChangeKey=\"CQAAAB==\"/><t:Subject>%s</t:Subject>\n"
		"</t:Message></m:Items></m:GetItemResponseMessage></m:ResponseMessages>\n"
		"</m:GetItemResponse></s:Body></s:Envelope>\n";
	size_t n = sizeof fmt + strlen(subject);
	char *out = malloc(n);
	snprintf(out, n, fmt, subject);
	return out;
}

static const char *decoded_subject(const char *xml, ews_status *st)
{
	ews_decoded_message m;
	ews_response_message rm;
	const struct ewsmsg__ItemInfoResponseMessageType *info;

	*st = ews_message_decode(ctx, xml, strlen(xml), &m);
	if (!ews_ok(*st))
		return NULL;
	if (ews_response_messages_get(ews_response_messages_of("GetItem", m.body), 0, &rm))
		return NULL;
	info = rm.message;
	if (!info->Items || info->Items->__size_ArrayOfRealItemsType != 1)
		return NULL;
	return info->Items->__union_ArrayOfRealItemsType[0].union_ArrayOfRealItemsType.Message->Subject;
}

static void invalid_character_references_become_replacement_characters(void)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "Hello&#x0;World", "Hello\xEF\xBF\xBDWorld" },
		{ "Hello&#0;World", "Hello\xEF\xBF\xBDWorld" },
		{ "A&#x1A;B&#x0;C", "A\xEF\xBF\xBD" "B\xEF\xBF\xBD" "C" },
		{ "X&#xD800;Y", "X\xEF\xBF\xBDY" },
		{ "E&#x1F600;F", "E\xF0\x9F\x98\x80" "F" },          /* no stray ';' (gSOAP's long-reference bug) */
		{ "&#128512;&#xE9;", "\xF0\x9F\x98\x80\xC3\xA9" },
		{ "tab&#9;kept &amp; &lt;ok&gt;", "tab\tkept & <ok>" },
		{ "Gr\xC3\xBC\xC3\x9F" "e \xE6\x97\xA5\xE6\x9C\xAC", "Gr\xC3\xBC\xC3\x9F" "e \xE6\x97\xA5\xE6\x9C\xAC" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *xml = getitem_response(cases[i].in);
		ews_status st;
		const char *s = decoded_subject(xml, &st);
		CU_ASSERT_TRUE(ews_ok(st));
		CU_ASSERT_PTR_NOT_NULL(s);
		if (s)
			CU_ASSERT_STRING_EQUAL(s, cases[i].out);
		free(xml);
	}
}

static void sanitizer_never_grows_and_leaves_cdata_and_comments_alone(void)
{
	char buf[] = "<a><![CDATA[&#x0;]]><!-- &#x1A; -->&#x0;&#x41;&#65;"
		     "<s:E xmlns:s=\"https://schemas.xmlsoap.org/soap/envelope/\"/>&#x;&#xZZ;&#1</a>";
	size_t n = ews_xml_sanitize(buf, strlen(buf));
	buf[n] = '\0';
	CU_ASSERT_STRING_EQUAL(buf, "<a><![CDATA[&#x0;]]><!-- &#x1A; -->\xEF\xBF\xBD&#x41;&#65;"
				    "<s:E xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"/>&#x;&#xZZ;&#1</a>");
}

static void sanitizer_handles_references_cut_at_the_end(void)
{
	const char *tails[] = { "&", "&#", "&#x", "&#x1", "&#x1A", "&#99999999999999999999999;" };
	for (size_t i = 0; i < sizeof tails / sizeof *tails; i++) {
		char buf[64];
		size_t n;
		snprintf(buf, sizeof buf, "%s", tails[i]);
		n = ews_xml_sanitize(buf, strlen(buf));
		CU_ASSERT_TRUE(n <= strlen(tails[i]));
	}
}

static void truncated_message_fails_with_a_line_number(void)
{
	char *xml = getitem_response("fine");
	ews_decoded_message m;
	ews_status st;
	size_t cut = strstr(xml, "<t:Subject>") - xml;

	st = ews_message_decode(ctx, xml, cut, &m);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_XML);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "line "));
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "GetItemResponse"));
	free(xml);
}

static void garbage_and_unknown_operations_are_refused_clearly(void)
{
	ews_decoded_message m;
	ews_status st;
	static const char nul[] = "<a>x\0y</a>";

	st = ews_message_decode(ctx, "hello, world", 12, &m);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_XML);
	st = ews_message_decode(ctx, "", 0, &m);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_XML);
	st = ews_message_decode(ctx, nul, sizeof nul - 1, &m);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_XML);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "NUL"));
	st = ews_message_decode(ctx, "<m:FrobnicateItems xmlns:m=\"urn:x\"/>", 36, &m);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_UNSUPPORTED);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "FrobnicateItems"));
	st = ews_message_decode(ctx, "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body></s:Body>"
				     "</s:Envelope>", 95, &m);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_XML);
	CU_ASSERT_EQUAL(ews_message_decode(NULL, "x", 1, &m).code, EWS_ERR_ARGUMENT);
}

static void deeply_nested_document_is_refused(void)
{
	const int depth = 5000;
	size_t cap = (size_t)depth * 16 + 512, o = 0;
	char *xml = malloc(cap);
	ews_decoded_message m;
	ews_status st;

	o += (size_t)sprintf(xml + o, "<m:FindItem xmlns:m=\"%s\" xmlns:t=\"%s\"><m:Restriction>",
			     "http://schemas.microsoft.com/exchange/services/2006/messages",
			     "http://schemas.microsoft.com/exchange/services/2006/types");
	for (int i = 0; i < depth; i++)
		o += (size_t)sprintf(xml + o, "<t:Not>");
	xml[o] = '\0';
	st = ews_message_decode(ctx, xml, o, &m);
	CU_ASSERT_FALSE(ews_ok(st));
	CU_ASSERT_TRUE(st.code == EWS_ERR_TOO_LARGE || st.code == EWS_ERR_XML);
	free(xml);
}

/* Servers add enumeration values over time; one unknown value must not cost the whole response. */
static void unknown_enum_values_decode_as_minus_one_and_unknown_classes_as_errors(void)
{
	char *xml = getitem_response("Still here"), *p;
	ews_decoded_message m;
	ews_response_message rm;
	const struct ewstype__MessageType *msg;
	ews_status st;

	/* <t:Importance>Critical</t:Importance> after the subject; ResponseClass="Maybe" */
	p = strstr(xml, "</t:Subject>") + strlen("</t:Subject>");
	{
		char *fixed = malloc(strlen(xml) + 64);
		sprintf(fixed, "%.*s<t:Importance>Critical</t:Importance>%s", (int)(p - xml), xml, p);
		free(xml);
		xml = fixed;
	}
	st = ews_message_decode(ctx, xml, strlen(xml), &m);
	CU_ASSERT_TRUE_FATAL(ews_ok(st));
	CU_ASSERT_EQUAL_FATAL(ews_response_messages_get(ews_response_messages_of("GetItem", m.body), 0, &rm), 0);
	msg = ((const struct ewsmsg__ItemInfoResponseMessageType *)rm.message)->Items->__union_ArrayOfRealItemsType[0]
		.union_ArrayOfRealItemsType.Message;
	CU_ASSERT_STRING_EQUAL(msg->Subject, "Still here");
	CU_ASSERT_PTR_NOT_NULL_FATAL(msg->Importance);
	CU_ASSERT_EQUAL((int)*msg->Importance, -1);
	CU_ASSERT_EQUAL(rm.response_class, EWS_RESPONSE_SUCCESS);

	memcpy(strstr(xml, "ResponseClass=\"Success\""), "ResponseClass=\"Maybe!!\"", 23);
	st = ews_message_decode(ctx, xml, strlen(xml), &m);
	CU_ASSERT_TRUE_FATAL(ews_ok(st));
	CU_ASSERT_EQUAL_FATAL(ews_response_messages_get(ews_response_messages_of("GetItem", m.body), 0, &rm), 0);
	CU_ASSERT_EQUAL(rm.response_class, EWS_RESPONSE_ERROR);
	free(xml);
}

static int run(const char *cmd, char *out, size_t cap)
{
	FILE *p = popen(cmd, "r");
	size_t n;
	int rc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	n = fread(out, 1, cap - 1, p);
	out[n] = '\0';
	rc = pclose(p);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void decode_command_reports_file_and_line_and_exit_codes(void)
{
	char cmd[4096], out[65536], good[] = "/tmp/ews-decode-test-XXXXXX";
	int fd = mkstemp(good);
	char *xml = getitem_response("A&#x0;B");
	FILE *f = fdopen(fd, "w");

	fputs(xml, f);
	fclose(f);
	free(xml);
	snprintf(cmd, sizeof cmd, "%s/bin/ews-decode %s 2>&1", ews_test_build_dir(), good);
	CU_ASSERT_EQUAL(run(cmd, out, sizeof out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "GetItem response, 1 response message"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Subject: A\xEF\xBF\xBD" "B"));
	snprintf(cmd, sizeof cmd, "%s/bin/ews-decode --json %s 2>&1", ews_test_build_dir(), good);
	CU_ASSERT_EQUAL(run(cmd, out, sizeof out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"operation\":\"GetItem\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"code\":\"NoError\""));

	snprintf(cmd, sizeof cmd, "head -c 600 %s > %s.cut; %s/bin/ews-decode %s.cut 2>&1", good, good,
		 ews_test_build_dir(), good);
	CU_ASSERT_EQUAL(run(cmd, out, sizeof out), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, ".cut: truncated at line "));

	snprintf(cmd, sizeof cmd, "%s/bin/ews-decode 2>&1", ews_test_build_dir());
	CU_ASSERT_EQUAL(run(cmd, out, sizeof out), 2);
	snprintf(cmd, sizeof cmd, "%s/bin/ews-decode --help", ews_test_build_dir());
	CU_ASSERT_EQUAL(run(cmd, out, sizeof out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "usage: ews-decode"));
	snprintf(cmd, sizeof cmd, "rm -f %s %s.cut", good, good);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/* A GetFolder request, the message after the request lines below. */
#define GETFOLDER_BODY                                                                                         \
	"<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" " \
	"xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" "                            \
	"xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\"><s:Body><m:GetFolder><m:FolderShape>" \
	"<t:BaseShape>IdOnly</t:BaseShape></m:FolderShape><m:FolderIds><t:DistinguishedFolderId Id=\"inbox\"/>"     \
	"</m:FolderIds></m:GetFolder></s:Body></s:Envelope>"

/* ews_message_decode of `text` into *m with stdout sent to a file: what the library wrote there (its size; -1 when
 * stdout could not be redirected). */
static long decode_stdout_bytes(struct soap *soap, const char *text, ews_decoded_message *m, ews_status *st)
{
	char path[] = "/tmp/ews-test-stdout-XXXXXX";
	int fd = mkstemp(path), saved = dup(1);
	struct stat sb;
	long n = -1;

	if (fd < 0 || saved < 0)
		return -1;
	fflush(stdout);
	dup2(fd, 1);
	*st = ews_message_decode(soap, text, strlen(text), m);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	if (fstat(fd, &sb) == 0)
		n = (long)sb.st_size;
	close(fd);
	unlink(path);
	return n;
}

/* gSOAP answers a HEAD or OPTIONS request with an empty "200 OK" on its output: decoding such a captured request
 * printed "Status: 200 OK" and headers to the program's stdout (the decode fuzz target's log). Now it is refused,
 * printing nothing, as GET already was. */
static void decoding_a_head_or_options_request_writes_nothing_and_fails(void)
{
	/* (the fuzz input's shape: a request line the tool would not take for HTTP, with a message after it) */
	static const char *const requests[] = {
		"OPTIONS ps://outlook.office365.com/EWS/Exchange.asmx HTTP/4\nContent-Type: text/xml\n\n" GETFOLDER_BODY,
		"HEAD /EWS/Exchange.asmx HTTP/1.1\r\nContent-Type: text/xml\r\n\r\n" GETFOLDER_BODY,
		"OPTIONS /EWS/Exchange.asmx HTTP/1.1\r\nContent-Type: text/xml\r\n\r\n" GETFOLDER_BODY,
		"GET /EWS/Exchange.asmx HTTP/1.1\r\nContent-Type: text/xml\r\n\r\n" GETFOLDER_BODY,
	};
	struct soap *soap = ews_codec_context_new();

	CU_ASSERT_PTR_NOT_NULL_FATAL(soap);
	for (size_t k = 0; k < sizeof requests / sizeof requests[0]; k++) {
		ews_decoded_message m;
		ews_status st;
		CU_ASSERT_EQUAL(decode_stdout_bytes(soap, requests[k], &m, &st), 0);
		CU_ASSERT_NOT_EQUAL(st.code, EWS_OK);
	}
	ews_codec_context_free(soap);
}

/* gSOAP answers "Expect: 100-continue" by writing "HTTP/1.1 100 Continue" to its output: decoding a captured
 * request (as clients send them) wrote it to the program's stdout. The library never prints. */
static void decoding_a_captured_request_that_expects_100_continue_writes_nothing(void)
{
	static const char http[] =
		"POST /EWS/Exchange.asmx HTTP/1.1\r\nContent-Type: text/xml; charset=utf-8\r\nExpect: 100-continue\r\n"
		"Content-Length: 300\r\n\r\n" GETFOLDER_BODY;
	struct soap *soap = ews_codec_context_new();
	ews_decoded_message m;
	ews_status st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(soap);
	CU_ASSERT_EQUAL(decode_stdout_bytes(soap, http, &m, &st), 0);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL(m.kind, EWS_MESSAGE_REQUEST);
	ews_codec_context_free(soap);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "invalid character references become U+FFFD, the rest survives", invalid_character_references_become_replacement_characters },
		{ "the sanitizer never grows and leaves CDATA and comments alone", sanitizer_never_grows_and_leaves_cdata_and_comments_alone },
		{ "the sanitizer handles references cut at the end", sanitizer_handles_references_cut_at_the_end },
		{ "a truncated message fails with a line number", truncated_message_fails_with_a_line_number },
		{ "garbage and unknown operations are refused clearly", garbage_and_unknown_operations_are_refused_clearly },
		{ "a deeply nested document is refused", deeply_nested_document_is_refused },
		{ "unknown enum values decode as -1; an unknown ResponseClass is an error", unknown_enum_values_decode_as_minus_one_and_unknown_classes_as_errors },
		{ "ews-decode reports file and line and uses its exit codes", decode_command_reports_file_and_line_and_exit_codes },
		{ "decoding a captured request that expects 100-continue writes nothing",
		  decoding_a_captured_request_that_expects_100_continue_writes_nothing },
		{ "decoding a HEAD or OPTIONS request writes nothing and fails",
		  decoding_a_head_or_options_request_writes_nothing_and_fails },
		{ NULL, NULL }
	};
	int rc;

	ctx = ews_codec_context_new();
	rc = ews_test_run("decode", cases);
	ews_codec_context_free(ctx);
	return rc;
}
