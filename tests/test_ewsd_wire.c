/* test_ewsd_wire.c — ewsd answers in Exchange's wire form. Every request of the shared corpus (Microsoft's pages)
 * and of the seeds that has Exchange's answer beside it is posted to ewsd, and the two answers are compared in
 * shape and prefixes: the envelope's prefix, the header element (h:ServerVersionInfo and its declarations), the
 * declarations on s:Body, the message element with its declarations, the names two levels below it, the prefix
 * of each EWS namespace and of xsi:type values. The data differ (ewsd's mailbox is not the page's), so values and
 * ResponseClass are not compared. Pages in the Exchange 2007 form (soap:, default namespaces) are compared by
 * local names only; the differences left on purpose are listed below and in server/README.md. Also: requests
 * written with odd prefixes and default namespaces are understood. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/codec.h"
#include "ews/sanitize.h"
#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;

/* ---- the shape of an answer ---- */

struct shape {
	char root[96];
	char header_child[96], header_decls[256];
	char body_decls[256];
	char message[96], message_decls[256];
	char below1[96], below2[96];      /* local names one and two levels under the message element */
	char m_prefix[40], t_prefix[40];  /* "(default)" for a default namespace, "" when unused */
	char xsi_type_prefix[64];
	int fault;
};

struct decl {
	char prefix[32];
	char uri[160];
	int depth;
};

static const char *local_of(const char *qname)
{
	const char *c = strchr(qname, ':');
	return c ? c + 1 : qname;
}

static int is_ews_ns(const char *uri, const char *which)
{
	const char *p = !strncmp(uri, "https://", 8) ? uri + 8 : !strncmp(uri, "http://", 7) ? uri + 7 : NULL;
	char want[128];
	snprintf(want, sizeof want, "schemas.microsoft.com/exchange/services/2006/%s", which);
	return p && !strcmp(p, want);
}

/* Sorted, space-separated names of the xmlns attributes: Exchange's order of them varies between pages. */
static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void sorted_decls(char names[][40], int n, char *out, size_t cap)
{
	char *ptr[24];
	size_t o = 0;
	for (int i = 0; i < n && i < 24; i++)
		ptr[i] = names[i];
	qsort(ptr, (size_t)(n < 24 ? n : 24), sizeof ptr[0], cmp_str);
	out[0] = '\0';
	for (int i = 0; i < n && i < 24; i++)
		o += (size_t)snprintf(out + o, o < cap ? cap - o : 0, "%s%s", i ? " " : "", ptr[i]);
}

/* Reads start and end tags of xml (well-formed pages only) into *s. Returns 0, -1 when the markup is cut. */
static int shape_of(const char *xml, struct shape *s)
{
	struct decl decls[64];
	int ndecl = 0, depth = 0, header_depth = 0, body_depth = 0, message_depth = 0;
	memset(s, 0, sizeof *s);
	for (const char *p = strchr(xml, '<'); p; p = strchr(p, '<')) {
		if (!strncmp(p, "<!--", 4)) {
			p = strstr(p, "-->");
			continue;
		}
		if (p[1] == '?' || p[1] == '!') {
			p = strchr(p, '>');
			continue;
		}
		if (p[1] == '/') {
			while (ndecl && decls[ndecl - 1].depth >= depth)
				ndecl--;
			depth--;
			p++;
			continue;
		}
		char name[96], attr_names[24][40];
		int nattr = 0, self_closing = 0;
		size_t k = 0;
		p++;
		while (*p && !strchr(" \t\r\n/>", *p))
			if (k + 1 < sizeof name)
				name[k++] = *p++;
			else
				p++;
		name[k] = '\0';
		depth++;
		char xsi_type[64] = "";
		for (;;) {     /* attributes */
			while (*p && strchr(" \t\r\n", *p))
				p++;
			if (!*p)
				return -1;
			if (*p == '/') {
				self_closing = 1;
				p++;
				continue;
			}
			if (*p == '>')
				break;
			const char *a = p, *eq = strchr(p, '=');
			if (!eq)
				return -1;
			const char *q = eq + 1;
			while (*q == ' ')
				q++;
			char quote = *q;
			const char *v = q + 1, *ve = strchr(v, quote);
			if (!ve)
				return -1;
			size_t an = (size_t)(eq - a);
			while (an && strchr(" \t\r\n", a[an - 1]))
				an--;
			if (an >= 5 && !strncmp(a, "xmlns", 5) && (an == 5 || a[5] == ':')) {
				if (nattr < 24)
					snprintf(attr_names[nattr++], 40, "%.*s", (int)an, a);
				if (ndecl < 64) {
					snprintf(decls[ndecl].prefix, sizeof decls[ndecl].prefix, "%.*s", an > 6 ? (int)(an - 6) : 0,
						 a + 6);
					snprintf(decls[ndecl].uri, sizeof decls[ndecl].uri, "%.*s", (int)(ve - v), v);
					decls[ndecl++].depth = depth;
				}
			} else if (an >= 5 && !strncmp(a + an - 5, ":type", 5)) {
				snprintf(xsi_type, sizeof xsi_type, "%.*s", (int)(ve - v), v);
			}
			p = ve + 1;
		}
		/* the namespace of the element, through the declarations in scope */
		const char *colon = strchr(name, ':');
		char prefix[32];
		snprintf(prefix, sizeof prefix, "%.*s", colon ? (int)(colon - name) : 0, name);
		for (int i = ndecl - 1; i >= 0; i--)
			if (!strcmp(decls[i].prefix, prefix)) {
				const char *shown = *prefix ? prefix : "(default)";
				if (is_ews_ns(decls[i].uri, "messages") && !s->m_prefix[0])
					snprintf(s->m_prefix, sizeof s->m_prefix, "%s", shown);
				if (is_ews_ns(decls[i].uri, "types") && !s->t_prefix[0] && depth != header_depth + 1)
					snprintf(s->t_prefix, sizeof s->t_prefix, "%s", shown);
				break;
			}
		if (xsi_type[0] && !s->xsi_type_prefix[0]) {
			const char *c = strchr(xsi_type, ':');
			snprintf(s->xsi_type_prefix, sizeof s->xsi_type_prefix, "%.*s", c ? (int)(c - xsi_type) : 0, xsi_type);
		}
		char decl_list[256];
		sorted_decls(attr_names, nattr, decl_list, sizeof decl_list);
		if (depth == 1)
			snprintf(s->root, sizeof s->root, "%s", name);
		else if (depth == 2 && !strcmp(local_of(name), "Header"))
			header_depth = depth;
		else if (depth == 2 && !strcmp(local_of(name), "Body")) {
			body_depth = depth;
			snprintf(s->body_decls, sizeof s->body_decls, "%s", decl_list);
		} else if (header_depth && depth == header_depth + 1 && !s->header_child[0]) {
			snprintf(s->header_child, sizeof s->header_child, "%s", name);
			snprintf(s->header_decls, sizeof s->header_decls, "%s", decl_list);
		} else if (body_depth && depth == body_depth + 1 && !s->message[0]) {
			message_depth = depth;
			snprintf(s->message, sizeof s->message, "%s", name);
			snprintf(s->message_decls, sizeof s->message_decls, "%s", decl_list);
			s->fault = !strcmp(local_of(name), "Fault");
		} else if (message_depth && depth == message_depth + 1 && !s->below1[0]) {
			snprintf(s->below1, sizeof s->below1, "%s", local_of(name));
		} else if (message_depth && depth == message_depth + 2 && !s->below2[0]) {
			snprintf(s->below2, sizeof s->below2, "%s", local_of(name));
		}
		if (self_closing) {
			while (ndecl && decls[ndecl - 1].depth >= depth)
				ndecl--;
			depth--;
		}
	}
	return s->root[0] ? 0 : -1;
}

/* ---- the comparison ---- */

/* Differences left on purpose: the field, Exchange's value on the page, and why (also in server/README.md).
 * ewsd writes what the majority of the pages in the current form show (Exchange 2013 and later). */
static const struct {
	const char *field, *exchange, *why;
} on_purpose[] = {
	{ "header_child", "t:ServerVersionInfo", "Exchange 2010's prefix for it; ewsd answers as 15.2, which writes h:" },
	{ "header_decls", "xmlns xmlns:t xmlns:xsd xmlns:xsi", "the same, with Exchange 2010's t:" },
	{ "header_decls", "", "Exchange 2010 pages declaring nothing on t:ServerVersionInfo" },
	{ "header_child", "ServerVersionInfo", "pages that shortened it to a default namespace" },
	{ "header_decls", "xmlns:h xmlns:xsd xmlns:xsi", "pages that dropped xmlns=\"types\" (3 answers of one page)" },
	{ "header_decls", "xmlns xmlns:h", "a page that dropped the xsd/xsi declarations" },
	{ "body_decls", "", "a page that dropped the xsd/xsi declarations of s:Body" },
	/* The GetMailTips page (MS-OXWMT, Exchange 2010's MailTips service) writes its message in a default namespace. */
	{ "message", "GetMailTipsResponse", "the MailTips page's message element without a prefix" },
	{ "message_decls", "xmlns", "the same page: xmlns=\"messages\" on the message element" },
	{ "m_prefix", "(default)", "the same page: messages in the default namespace" },
	/* The room pages (MS-OXWSROOM) are written the same way. */
	{ "message", "GetRoomListsResponse", "the GetRoomLists page's message element without a prefix" },
	{ "message", "GetRoomsResponse", "the GetRooms page's message element without a prefix" },
	{ "message", "GetSearchableMailboxesResponse", "the GetSearchableMailboxes page (MS-OXWSMTGT) writes it so too" },
	{ "message", "ExpandDLResponse", "the ExpandDL how-to page's answer, written with default namespaces" },
	/* The People pages (MS-OXWSFINDPPL, MS-OXWSPSNTIR) too: FindPeople's own page and the AddEntityFeedback page's
	 * FindPeople answer; the latter also declares xsd/xsi on the message. */
	{ "message", "FindPeopleResponse", "the FindPeople answers' message element without a prefix" },
	{ "message", "GetPersonaResponseMessage", "the GetPersona page's message element without a prefix" },
	{ "message_decls", "xmlns xmlns:xsd xmlns:xsi", "the AddEntityFeedback page's FindPeople answer" },
	{ "message_decls", "xmlns:xsd xmlns:xsi", "the same page: xsd/xsi on the message, no m:/t:" },
};
static int allowed(const char *field, const char *exchange)
{
	for (size_t i = 0; i < sizeof on_purpose / sizeof on_purpose[0]; i++)
		if (!strcmp(on_purpose[i].field, field) && !strcmp(on_purpose[i].exchange, exchange))
			return 1;
	return 0;
}

static int compared, modern, same_op, old_style, skipped, differences, kept_on_purpose;

static void differ(const char *where, const char *field, const char *exchange, const char *ewsd)
{
	if (!strcmp(exchange, ewsd))
		return;
	if (allowed(field, exchange)) {
		kept_on_purpose++;
		return;
	}
	differences++;
	printf("\n    %s: %s: Exchange '%s', ewsd '%s'", where, field, exchange, ewsd);
}

static void compare(const char *where, const char *request, size_t n, const char *exchange_answer)
{
	struct shape ex, ed;
	struct http_resp r;
	char *xml = malloc(n + 1);
	if (!xml)
		return;
	memcpy(xml, request, n);
	n = ews_xml_sanitize(xml, n);
	if (shape_of(exchange_answer, &ex) || http_request(&srv, "POST", "/EWS/Exchange.asmx", NULL, xml, n, &r) ||
	    !r.body) {
		skipped++;
		free(xml);
		return;
	}
	free(xml);
	if (shape_of(r.body, &ed)) {
		skipped++;
		http_resp_free(&r);
		return;
	}
	compared++;
	/* the same operation answered (not a fault for an operation ewsd does not offer, or for ids it lacks) */
	int same_message = !strcmp(local_of(ex.message), local_of(ed.message));
	/* An answer that is itself the response message (GetRooms, GetMailTips, the delegate operations ...) starts
	 * with MessageText when it is an error and with ResponseCode when not: ewsd's store lacking the page's data
	 * (a room list, the page's users) is not a difference of form. */
	int error_for_success = !strcmp(ed.below1, "MessageText") && !strcmp(ex.below1, "ResponseCode");
	if (strcmp(ex.root, "s:Envelope")) {    /* Exchange 2007's pages: soap:, default namespaces */
		old_style++;
		if (same_message && !error_for_success)
			differ(where, "below1 (local name)", ex.below1, ed.below1);
		http_resp_free(&r);
		return;
	}
	modern++;
	differ(where, "root", ex.root, ed.root);
	if (ex.header_child[0] && strcmp(ex.header_child, "a:Action")) {   /* a:Action: Autodiscover's SOAP service */
		differ(where, "header_child", ex.header_child, ed.header_child);
		differ(where, "header_decls", ex.header_decls, ed.header_decls);
	}
	if (same_message) {
		same_op++;
		differ(where, "body_decls", ex.body_decls, ed.body_decls);
		differ(where, "message", ex.message, ed.message);
		differ(where, "message_decls", ex.message_decls, ed.message_decls);
		if (!ex.fault && ex.below1[0] && !error_for_success)
			differ(where, "below1", ex.below1, ed.below1);
		if (!ex.fault && ex.below2[0] && ed.below2[0] && !error_for_success)
			differ(where, "below2", ex.below2, ed.below2);
		if (ex.m_prefix[0] && ed.m_prefix[0])
			differ(where, "m_prefix", ex.m_prefix, ed.m_prefix);
		if (ex.t_prefix[0] && ed.t_prefix[0])
			differ(where, "t_prefix", ex.t_prefix, ed.t_prefix);
		if (ex.xsi_type_prefix[0] && ed.xsi_type_prefix[0])
			differ(where, "xsi_type_prefix", ex.xsi_type_prefix, ed.xsi_type_prefix);
	}
	http_resp_free(&r);
}

/* MANIFEST.tsv: each well-formed request, with the first well-formed answer after it on the same page. */
static void every_corpus_answer_has_exchanges_shape(void)
{
	char *manifest = ews_test_read_file(ews_test_shared_path("ews-corpus/MANIFEST.tsv"), NULL);
	char pending[512] = "", pending_dir[512] = "";
	CU_ASSERT_PTR_NOT_NULL_FATAL(manifest);
	for (char *save = NULL, *line = strtok_r(manifest, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[8] = { 0 }, *s2 = NULL;
		int k = 0;
		for (char *c = strtok_r(line, "\t", &s2); c && k < 8; c = strtok_r(NULL, "\t", &s2))
			f[k++] = c;
		if (k < 7 || strcmp(f[6], "yes"))
			continue;
		char dir[512];
		snprintf(dir, sizeof dir, "%.*s", (int)(strrchr(f[0], '/') - f[0]), f[0]);
		if (!strcmp(f[5], "request")) {
			snprintf(pending, sizeof pending, "%s", f[0]);
			snprintf(pending_dir, sizeof pending_dir, "%s", dir);
		} else if ((!strcmp(f[5], "response") || !strcmp(f[5], "error")) && pending[0] &&
			   !strcmp(dir, pending_dir)) {
			char rq_path[600], an_path[600];
			size_t n;
			snprintf(rq_path, sizeof rq_path, "ews-corpus/%s", pending);
			snprintf(an_path, sizeof an_path, "ews-corpus/%s", f[0]);
			char *rq = ews_test_read_file(ews_test_shared_path(rq_path), &n);
			char *an = ews_test_read_file(ews_test_shared_path(an_path), NULL);
			if (rq && an)
				compare(f[0], rq, n, an);
			free(rq);
			free(an);
			pending[0] = '\0';
		}
	}
	free(manifest);
	printf("\n    corpus pairs: %d compared (%d in Exchange's current form, %d of them the same operation answered; "
	       "%d in the 2007 form), %d skipped, %d differences listed on purpose, %d others\n", compared, modern,
	       same_op, old_style, skipped, kept_on_purpose, differences);
	CU_ASSERT(modern > 20);
	CU_ASSERT(same_op > 20);
	CU_ASSERT_EQUAL(differences, 0);
}

/* The seeds: each request block with the answer block after it. */
static void every_seed_answer_has_exchanges_shape(void)
{
	static const char *const seeds[] = { "seeds/000_c52bdbea72ec81bf.txt", "seeds/002_8593fce4c3fbae08.txt",
					     "seeds/003_c2c2f96142824243.txt", "seeds/004_6562b5982873c079.txt" };
	struct soap *ctx = ews_codec_context_new();
	int before = compared, diff_before = differences;
	CU_ASSERT_PTR_NOT_NULL_FATAL(ctx);
	for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
		char *page = ews_test_read_file(ews_test_shared_path(seeds[i]), NULL), **blocks = NULL;
		int n = page ? ews_test_xml_blocks(page, &blocks) : 0;
		const char *request = NULL;
		for (int b = 0; b < n; b++) {
			ews_decoded_message m;
			if (!ews_ok(ews_message_decode(ctx, blocks[b], strlen(blocks[b]), &m)))
				continue;
			if (m.kind == EWS_MESSAGE_REQUEST && m.has_envelope) {
				request = blocks[b];
			} else if (request && m.has_envelope) {
				char where[64];
				snprintf(where, sizeof where, "%s block %d", seeds[i], b);
				compare(where, request, strlen(request), blocks[b]);
				request = NULL;
			}
		}
		ews_test_free_blocks(blocks, n);
		free(page);
	}
	ews_codec_context_free(ctx);
	printf("\n    seed pairs compared: %d\n", compared - before);
	CU_ASSERT(compared - before >= 4);
	CU_ASSERT_EQUAL(differences, diff_before);
}

/* Requests in any prefixes, default namespaces and https:// namespaces are answered like the usual ones. */
static void requests_with_odd_prefixes_are_understood(void)
{
	static const char odd[] =
		"<?xml version=\"1.0\"?><X:Envelope xmlns:X=\"http://schemas.xmlsoap.org/soap/envelope/\">"
		"<X:Header><RequestServerVersion xmlns=\"https://schemas.microsoft.com/exchange/services/2006/types\" "
		"Version=\"Exchange2013\"/></X:Header><X:Body><GetFolder xmlns=\"http://schemas.microsoft.com/exchange/"
		"services/2006/messages\" xmlns:Q=\"https://schemas.microsoft.com/exchange/services/2006/types\">"
		"<FolderShape><Q:BaseShape>IdOnly</Q:BaseShape></FolderShape><FolderIds><Q:DistinguishedFolderId "
		"Id=\"inbox\"/></FolderIds></GetFolder></X:Body></X:Envelope>";
	struct http_resp r;
	CU_ASSERT_EQUAL_FATAL(http_request(&srv, "POST", "/EWS/Exchange.asmx", NULL, odd, strlen(odd), &r), 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_PTR_NOT_NULL(r.body && strstr(r.body, "<m:GetFolderResponseMessage ResponseClass=\"Success\">"));
	CU_ASSERT_PTR_NOT_NULL(r.body && strstr(r.body, "<t:FolderId Id=\""));
	http_resp_free(&r);
}

/* The answer issue 18 was about: ews-javascript-api strips a literal "t:" from AlternateId's xsi:type. */
static void convert_id_answers_with_t_in_xsi_type(void)
{
	struct http_resp r;
	char body[1024], *id;
	ews_post(&srv, NULL, "Exchange2013", NULL, "<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape>"
		 "</m:FolderShape><m:FolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:FolderIds></m:GetFolder>", &r);
	id = xml_attr(r.body, "FolderId", "Id", 0);
	http_resp_free(&r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	snprintf(body, sizeof body, "<m:ConvertId DestinationFormat=\"HexEntryId\"><m:SourceIds><t:AlternateId "
		 "Format=\"EwsId\" Id=\"%s\" Mailbox=\"user@example.com\"/></m:SourceIds></m:ConvertId>", id);
	ews_post(&srv, NULL, "Exchange2013", NULL, body, &r);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_PTR_NOT_NULL(r.body && strstr(r.body, "<m:AlternateId xsi:type=\"t:AlternateIdType\" "
						      "Format=\"HexEntryId\" Id=\""));
	CU_ASSERT_PTR_NOT_NULL(r.body && strstr(r.body, "<s:Body xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""));
	http_resp_free(&r);
	free(id);
}

static void faults_have_exchanges_shape(void)
{
	struct http_resp r;
	CU_ASSERT_EQUAL_FATAL(http_request(&srv, "POST", "/EWS/Exchange.asmx", NULL, "<bad", 4, &r), 0);
	CU_ASSERT_EQUAL(r.status, 500);
	CU_ASSERT_PTR_NOT_NULL(r.body && strstr(r.body, "</s:Header><s:Body><s:Fault><faultcode xmlns:a=\"http://schemas."
						      "microsoft.com/exchange/services/2006/types\">a:ErrorSchemaValidation"
						      "</faultcode><faultstring xml:lang=\"en-US\">"));
	CU_ASSERT_PTR_NOT_NULL(r.body && strstr(r.body, "<detail><e:ResponseCode xmlns:e=\"http://schemas.microsoft.com/"
						      "exchange/services/2006/errors\">ErrorSchemaValidation</e:ResponseCode>"
						      "<e:Message xmlns:e="));
	CU_ASSERT_PTR_NOT_NULL(r.body && strstr(r.body, "<t:MessageXml xmlns:t=\"http://schemas.microsoft.com/exchange/"
						      "services/2006/types\"><t:Violation>"));
	http_resp_free(&r);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "every corpus answer has Exchange's shape", every_corpus_answer_has_exchanges_shape },
		{ "every seed answer has Exchange's shape", every_seed_answer_has_exchanges_shape },
		{ "requests with odd prefixes are understood", requests_with_odd_prefixes_are_understood },
		{ "ConvertId answers with t: in xsi:type", convert_id_answers_with_t_in_xsi_type },
		{ "faults have Exchange's shape", faults_have_exchanges_shape },
		{ NULL, NULL }
	};
	if (ewsd_start(&srv, NULL, NULL)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd wire form", cases);
	if (ewsd_stop(&srv, 0) != 0) {
		fprintf(stderr, "ewsd did not exit cleanly\n");
		rc = 1;
	}
	return rc;
}
