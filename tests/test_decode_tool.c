/* test_decode_tool.c — the ews-decode command: only decoded output on standard output (a captured HTTP exchange
 * with "Expect: 100-continue" decodes instead of leaking gSOAP's "HTTP/1.1 100 Continue"), one JSON object per
 * file with --json (an error object for a file that fails), messages that say what is wrong (not XML, truncated at
 * line N, the system's reason for an unreadable file), and well-formed --xml for a fault whose detail child
 * declares its own default namespace. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ews_test.h"

static char dir[] = "/tmp/ews-decode-tool-XXXXXX";

static const char findfolder_request[] =
	"<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
	"<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" "
	"xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" "
	"xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\">\r\n"
	"  <soap:Header><t:RequestServerVersion Version=\"Exchange2013_SP1\" /></soap:Header>\r\n"
	"  <soap:Body>\r\n"
	"    <m:FindFolder Traversal=\"Shallow\">\r\n"
	"      <m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape>\r\n"
	"      <m:ParentFolderIds><t:DistinguishedFolderId Id=\"publicfoldersroot\" /></m:ParentFolderIds>\r\n"
	"    </m:FindFolder>\r\n"
	"  </soap:Body>\r\n"
	"</soap:Envelope>\r\n";

static const char getfolder_response[] =
	"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">\n"
	"<s:Body>\n"
	"<m:GetFolderResponse xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\"\n"
	" xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\">\n"
	"<m:ResponseMessages>\n"
	"<m:GetFolderResponseMessage ResponseClass=\"Success\">\n"
	"<m:ResponseCode>NoError</m:ResponseCode>\n"
	"<m:Folders><t:Folder><t:FolderId Id=\"AQMkAD\"/><t:DisplayName>Inbox</t:DisplayName></t:Folder></m:Folders>\n"
	"</m:GetFolderResponseMessage>\n"
	"</m:ResponseMessages>\n"
	"</m:GetFolderResponse>\n"
	"</s:Body>\n"
	"</s:Envelope>\n";

static const char *write_file(const char *name, const char *text)
{
	static char path[4][512];
	static int k;
	char *p = path[k++ % 4];
	FILE *f;

	snprintf(p, sizeof path[0], "%s/%s", dir, name);
	f = fopen(p, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
	return p;
}

/* Run ews-decode with `args`; its standard output into out, standard error into err. Returns the exit status. */
static int decode(const char *args, char *out, size_t out_cap, char *err, size_t err_cap)
{
	char cmd[4096], err_path[600];
	FILE *p, *e;
	size_t n;
	int rc;

	snprintf(err_path, sizeof err_path, "%s/stderr", dir);
	snprintf(cmd, sizeof cmd, "%s/bin/ews-decode %s 2>%s", ews_test_build_dir(), args, err_path);
	p = popen(cmd, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	n = fread(out, 1, out_cap - 1, p);
	out[n] = '\0';
	rc = pclose(p);
	e = fopen(err_path, "rb");
	n = e ? fread(err, 1, err_cap - 1, e) : 0;
	err[n] = '\0';
	if (e)
		fclose(e);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* Every line of out is one JSON object. */
static int json_lines(const char *out)
{
	int n = 0;
	for (const char *line = out; *line; n++) {
		const char *nl = strchr(line, '\n');
		if (*line != '{' || !nl || nl[-1] != '}')
			return -1;
		line = nl + 1;
	}
	return n;
}

static void a_captured_request_with_expect_100_continue_decodes(void)
{
	char trace[8192], out[65536], err[8192];
	const char *f;

	snprintf(trace, sizeof trace,
	         "POST https://outlook.office365.com/EWS/Exchange.asmx HTTP/1.1\r\n"
	         "Content-Type: text/xml; charset=utf-8\r\n"
	         "Host: outlook.office365.com\r\n"
	         "Content-Length: %zu\r\n"
	         "Expect: 100-continue\r\n"
	         "%s", strlen(findfolder_request), findfolder_request);   /* no blank line: as captures often are */
	f = write_file("request-trace.xml", trace);
	CU_ASSERT_EQUAL(decode(f, out, sizeof out, err, sizeof err), 0);
	CU_ASSERT_PTR_NULL(strstr(out, "HTTP/1.1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "FindFolder request"));
	CU_ASSERT_STRING_EQUAL(err, "");

	char args[1024];
	snprintf(args, sizeof args, "--json %s", f);
	CU_ASSERT_EQUAL(decode(args, out, sizeof out, err, sizeof err), 0);
	CU_ASSERT_EQUAL(json_lines(out), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"ok\":true,\"kind\":\"request\",\"operation\":\"FindFolder\""));
	CU_ASSERT_PTR_NULL(strstr(out, "Continue"));

	/* The reference page's own capture, when the shared corpus is there. */
	snprintf(args, sizeof args, "--json %s",
	         ews_test_shared_path("ews-corpus/docs/how-to-route-public-folder-content-requests/01-request.xml"));
	if (access(args + 7, R_OK) == 0) {
		CU_ASSERT_EQUAL(decode(args, out, sizeof out, err, sizeof err), 0);
		CU_ASSERT_EQUAL(json_lines(out), 1);
		CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"operation\":\"FindFolder\""));
	}
}

static void a_captured_response_after_100_continue_decodes_with_file_line_numbers(void)
{
	char trace[8192], out[65536], err[8192], args[1024];
	const char *f;

	snprintf(trace, sizeof trace,
	         "HTTP/1.1 100 Continue\r\n\r\n"
	         "HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: %zu\r\n\r\n%s",
	         strlen(getfolder_response), getfolder_response);
	f = write_file("response-trace.xml", trace);
	snprintf(args, sizeof args, "--json %s", f);
	CU_ASSERT_EQUAL(decode(args, out, sizeof out, err, sizeof err), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"operation\":\"GetFolder\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"code\":\"NoError\""));

	/* Cut inside <t:DisplayName> (line 9 of the body, line 15 of the file): the line is the file's. */
	trace[strstr(trace, "Inbox") - trace] = '\0';
	f = write_file("response-trace-cut.xml", trace);
	CU_ASSERT_EQUAL(decode(f, out, sizeof out, err, sizeof err), 1);
	CU_ASSERT_STRING_EQUAL(out, "");
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "truncated at line 15"));
}

static void json_mode_prints_an_error_object_for_each_file_that_fails(void)
{
	char out[65536], err[8192], args[2048];
	const char *good = write_file("good.xml", getfolder_response);
	const char *bad = write_file("notxml.xml", "<notxml");

	snprintf(args, sizeof args, "--json %s %s %s/does-not-exist.xml %s", good, bad, dir, good);
	CU_ASSERT_EQUAL(decode(args, out, sizeof out, err, sizeof err), 1);
	CU_ASSERT_EQUAL(json_lines(out), 4);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "notxml.xml\",\"ok\":false,\"line\":1,\"error\":\"not XML\"}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "does-not-exist.xml\",\"ok\":false,\"error\":\"cannot read: No such file or "
	                                   "directory\"}"));
	/* the same reasons, one line each, on standard error */
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "notxml.xml:1: not XML\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "does-not-exist.xml: cannot read: No such file or directory\n"));
}

static void messages_say_what_is_wrong(void)
{
	char out[65536], err[8192], cut[4096], args[1024];
	const char *f;

	snprintf(cut, sizeof cut, "%.*s", (int)(strstr(getfolder_response, "<m:Folders>") - getfolder_response),
	         getfolder_response);
	f = write_file("truncated.xml", cut);       /* ends after line 8 */
	CU_ASSERT_EQUAL(decode(f, out, sizeof out, err, sizeof err), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "truncated at line 9"));
	CU_ASSERT_STRING_EQUAL(out, "");

	f = write_file("notxml.xml", "<notxml");
	CU_ASSERT_EQUAL(decode(f, out, sizeof out, err, sizeof err), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, ": not XML"));
	f = write_file("text.txt", "hello, world\n");
	CU_ASSERT_EQUAL(decode(f, out, sizeof out, err, sizeof err), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, ": not XML"));
	f = write_file("empty.xml", "");
	CU_ASSERT_EQUAL(decode(f, out, sizeof out, err, sizeof err), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "empty file"));

	snprintf(args, sizeof args, "%s/missing.xml", dir);
	CU_ASSERT_EQUAL(decode(args, out, sizeof out, err, sizeof err), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "missing.xml: cannot read: No such file or directory"));
	snprintf(args, sizeof args, "%s", dir);
	CU_ASSERT_EQUAL(decode(args, out, sizeof out, err, sizeof err), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "cannot read: Is a directory"));
	CU_ASSERT_STRING_EQUAL(out, "");
}

/* A fault whose detail child declares xmlns="..." (corpus getuseroofsettings-operation/03-error.xml): --xml used
 * to write that attribute twice. */
static void xml_output_of_a_fault_with_a_default_namespace_in_its_detail_is_well_formed(void)
{
	static const char fault[] =
		"<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n"
		"<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">\n"
		"  <soap:Body>\n"
		"    <soap:Fault>\n"
		"      <faultcode>soap:Client</faultcode>\n"
		"      <faultstring>User is not mailbox owner.</faultstring>\n"
		"      <detail>\n"
		"        <ErrorCode xmlns=\"http://schemas.microsoft.com/exchange/services/2006/messages\">-2146233088</ErrorCode>\n"
		"        <Other xmlns=\"urn:other\" xmlns:x=\"urn:x\" x:a=\"1\"><x:In>t</x:In></Other>\n"
		"      </detail>\n"
		"    </soap:Fault>\n"
		"  </soap:Body>\n"
		"</soap:Envelope>\n";
	char out[65536], err[8192], args[1024], *tag, *tag_end;
	const char *f = write_file("fault.xml", fault);

	snprintf(args, sizeof args, "--xml %s", f);
	CU_ASSERT_EQUAL(decode(args, out, sizeof out, err, sizeof err), 0);
	tag = strstr(out, "<ErrorCode");
	CU_ASSERT_PTR_NOT_NULL_FATAL(tag);
	tag_end = strchr(tag, '>');
	*tag_end = '\0';
	CU_ASSERT_PTR_NOT_NULL(strstr(tag, "xmlns=\"http://schemas.microsoft.com/exchange/services/2006/messages\""));
	CU_ASSERT_PTR_NULL(strstr(strstr(tag, "xmlns=") + 1, "xmlns="));
	*tag_end = '>';
	CU_ASSERT_PTR_NOT_NULL(strstr(out, ">-2146233088</ErrorCode>"));
	/* and the whole output parses again, through ews-decode itself */
	f = write_file("fault-again.xml", out);
	CU_ASSERT_EQUAL(decode(f, out, sizeof out, err, sizeof err), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "ErrorCode: -2146233088"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "In: t"));
	/* with xmllint when it is installed: strict well-formedness and namespaces */
	if (system("command -v xmllint >/dev/null 2>&1") == 0) {
		char cmd[1024];
		snprintf(cmd, sizeof cmd, "%s/bin/ews-decode --xml %s/fault.xml | xmllint --noout - 2>/dev/null",
		         ews_test_build_dir(), dir);
		CU_ASSERT_EQUAL(system(cmd), 0);
	}
}

/* An element the bindings do not know is skipped by the decoder: a note on standard error says which, once. */
static int lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void version_and_usage_errors_are_one_line_each(void)
{
	char out[4096], err[4096];
	CU_ASSERT_EQUAL(decode("--version", out, sizeof out, err, sizeof err), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "ews-decode (libews "));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "bindings: schema "));
	const char *bad[] = { "", "--bogus" };
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		CU_ASSERT_EQUAL(decode(bad[k], out, sizeof out, err, sizeof err), 2);
		CU_ASSERT_STRING_EQUAL(out, "");
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "(see ews-decode --help)\n"));
		CU_ASSERT_EQUAL(lines(err), 1);   /* not the whole help */
	}
}

static void skipped_elements_are_noted_on_stderr_only(void)
{
	char doc[4096], out[65536], err[8192], args[1024];
	const char *at = strstr(getfolder_response, "</t:DisplayName>") + strlen("</t:DisplayName>");
	const char *f;

	snprintf(doc, sizeof doc, "%.*s<t:Frobness>9</t:Frobness><t:Frobness>8</t:Frobness>%s",
	         (int)(at - getfolder_response), getfolder_response, at);
	f = write_file("frob.xml", doc);
	snprintf(args, sizeof args, "--json %s", f);
	CU_ASSERT_EQUAL(decode(args, out, sizeof out, err, sizeof err), 0);
	CU_ASSERT_EQUAL(json_lines(out), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "frob.xml: note: <t:Frobness> is not expected there by these bindings: "
	                                   "skipped\n"));
	CU_ASSERT_PTR_NULL(strstr(strstr(err, "Frobness") + 1, "note:"));      /* once per name */
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "a captured request with Expect: 100-continue decodes, nothing else on stdout", a_captured_request_with_expect_100_continue_decodes },
		{ "a captured response after 100 Continue decodes, with the file's line numbers", a_captured_response_after_100_continue_decodes_with_file_line_numbers },
		{ "--json prints an error object for each file that fails", json_mode_prints_an_error_object_for_each_file_that_fails },
		{ "messages say what is wrong: truncated at line N, not XML, strerror", messages_say_what_is_wrong },
		{ "--xml of a fault whose detail declares a default namespace is well-formed", xml_output_of_a_fault_with_a_default_namespace_in_its_detail_is_well_formed },
		{ "skipped elements are noted on stderr only, once per name", skipped_elements_are_noted_on_stderr_only },
		{ "--version, and usage errors are one line each", version_and_usage_errors_are_one_line_each },
		{ NULL, NULL }
	};
	char cmd[600];
	int rc;

	if (!mkdtemp(dir))
		return 1;
	rc = ews_test_run("decode_tool", cases);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		rc = rc ? rc : 1;
	return rc;
}
