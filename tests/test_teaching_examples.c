/* test_teaching_examples.c — the short programs of examples/ (learn-*.c, builder-*.c) run as a reader would run
 * them, against a seeded ewsd, and what they did checked on the server with raw EWS requests: the created message
 * has both recipients, the appointment its times and place, the updated subject is the new one, the counts and
 * listings match the mailbox, the exported file is the server's export, the converted id converts back.
 * builder-subscribe-events and builder-resolve-names exist with official bindings only (ewsd does not serve
 * Subscribe/ResolveNames): there they run against canned answers, and the requests they sent are validated with
 * xmllint against the official messages.xsd. */
#define _GNU_SOURCE
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ews_schema.h"
#include "ews/base64.h"
#include "ews_test.h"
#include "ews_test_http.h"
#include "ewsd_harness.h"

#define MAILBOX "tester@example.com"
#define VERSION "Exchange2013_SP1"

static struct ewsd_proc srv;
static char tmp[64] = "/tmp/ews-teach-XXXXXX";
static char *out, *err;   /* stdout and stderr of the last run() */

/* Run a shell command line with $BUILD/examples first in PATH; its exit status, stdout in `out`, stderr in `err`. */
static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
	char cmd[8192], line[9000], path[128];
	va_list ap;
	int status;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	snprintf(line, sizeof line, "PATH=%s/examples:$PATH; { %s\n} >%s/out 2>%s/err", ews_test_build_dir(), cmd, tmp, tmp);
	status = system(line);
	free(out);
	free(err);
	snprintf(path, sizeof path, "%s/out", tmp);
	out = ews_test_read_file(path, NULL);
	snprintf(path, sizeof path, "%s/err", tmp);
	err = ews_test_read_file(path, NULL);
	out = out ? out : strdup("");
	err = err ? err : strdup("");
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A raw request to ewsd; the response body (malloc'd) or NULL. */
static char *post(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *post(const char *fmt, ...)
{
	char body[8192];
	struct http_resp r = { 0 };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(body, sizeof body, fmt, ap);
	va_end(ap);
	if (ews_post(&srv, MAILBOX, VERSION, NULL, body, &r) || r.status != 200) {
		http_resp_free(&r);
		return NULL;
	}
	char *b = r.body;
	r.body = NULL;
	http_resp_free(&r);
	return b;
}

/* The ids of the items of a distinguished folder whose subject is exactly `subject` (n of them; malloc'd). */
static int find_subject(const char *folder, const char *subject, char **first_id)
{
	char *b = post("<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>"
		       "<m:Restriction><t:IsEqualTo><t:FieldURI FieldURI=\"item:Subject\"/><t:FieldURIOrConstant>"
		       "<t:Constant Value=\"%s\"/></t:FieldURIOrConstant></t:IsEqualTo></m:Restriction>"
		       "<m:ParentFolderIds><t:DistinguishedFolderId Id=\"%s\"/></m:ParentFolderIds></m:FindItem>",
		       subject, folder);
	int n = b ? xml_count(b, "ItemId") : -1;
	if (first_id)
		*first_id = n > 0 ? xml_attr(b, "ItemId", "Id", 0) : NULL;
	free(b);
	return n;
}

static char *get_item(const char *id)
{
	return post("<m:GetItem><m:ItemShape><t:BaseShape>AllProperties</t:BaseShape></m:ItemShape>"
		    "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", id);
}

/* The subjects of every item of the inbox (FindItem, one page); their number, -1 on error. */
static int inbox_subjects(char ***subjects)
{
	char *b = post("<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
		       "<t:AdditionalProperties><t:FieldURI FieldURI=\"item:Subject\"/></t:AdditionalProperties></m:ItemShape>"
		       "<m:IndexedPageItemView MaxEntriesReturned=\"1000\" Offset=\"0\" BasePoint=\"Beginning\"/>"
		       "<m:ParentFolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:ParentFolderIds></m:FindItem>");
	int n = b ? xml_count(b, "Subject") : -1;
	*subjects = n > 0 ? calloc((size_t)n, sizeof **subjects) : NULL;
	for (int i = 0; i < n && *subjects; i++)
		(*subjects)[i] = xml_text(b, "Subject", i);
	free(b);
	return n;
}

static void free_all(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int count_lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* ---- the builder programs ---- */

static void builder_create_message_saves_a_draft_with_both_recipients(void)
{
	char *id = NULL;
	CU_ASSERT_EQUAL(run("builder-create-message 'Lunch plans 41' alice@example.com bob@example.com"), 0);
	CU_ASSERT_STRING_EQUAL(out, "created\n");
	CU_ASSERT_EQUAL_FATAL(find_subject("drafts", "Lunch plans 41", &id), 1);
	char *item = get_item(id), *to = item ? xml_element(item, "ToRecipients", 0) : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(to);
	CU_ASSERT_EQUAL(xml_count(to, "Mailbox"), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(to, "alice@example.com"));
	CU_ASSERT_PTR_NOT_NULL(strstr(to, "bob@example.com"));
	free(to), free(item), free(id);
}

static void builder_create_message_without_its_arguments_says_how_to_use_it(void)
{
	CU_ASSERT_EQUAL(run("builder-create-message 'only a subject'"), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "usage: builder-create-message SUBJECT TO1 TO2"));
	CU_ASSERT_EQUAL(find_subject("drafts", "only a subject", NULL), 0);
}

static void builder_calendar_item_creates_an_appointment_with_its_times_and_place(void)
{
	char *id = NULL;
	CU_ASSERT_EQUAL(run("builder-calendar-item 'Design review' 2026-12-07T09:00:00Z 2026-12-07T10:30:00Z 'Room 4'"), 0);
	CU_ASSERT_STRING_EQUAL(out, "created\n");
	CU_ASSERT_EQUAL_FATAL(find_subject("calendar", "Design review", &id), 1);
	char *item = get_item(id);
	char *start = item ? xml_text(item, "Start", 0) : NULL, *end = item ? xml_text(item, "End", 0) : NULL;
	char *where = item ? xml_text(item, "Location", 0) : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(start);
	CU_ASSERT_PTR_NOT_NULL_FATAL(end);
	CU_ASSERT_PTR_NOT_NULL_FATAL(where);
	CU_ASSERT_EQUAL(strncmp(start, "2026-12-07T09:00:00", 19), 0);
	CU_ASSERT_EQUAL(strncmp(end, "2026-12-07T10:30:00", 19), 0);
	CU_ASSERT_STRING_EQUAL(where, "Room 4");
	free(start), free(end), free(where), free(item), free(id);
}

static void builder_update_item_sets_the_subject_of_an_existing_message(void)
{
	char *id = NULL, *after = NULL;
	CU_ASSERT_EQUAL_FATAL(run("builder-create-message 'Old subject 77' carol@example.com dan@example.com"), 0);
	CU_ASSERT_EQUAL_FATAL(find_subject("drafts", "Old subject 77", &id), 1);
	CU_ASSERT_EQUAL(run("builder-update-item '%s' 'New subject 77'", id), 0);
	CU_ASSERT_STRING_EQUAL(out, "updated\n");
	CU_ASSERT_EQUAL(find_subject("drafts", "Old subject 77", NULL), 0);
	CU_ASSERT_EQUAL_FATAL(find_subject("drafts", "New subject 77", &after), 1);
	CU_ASSERT_STRING_EQUAL(after, id);
	/* an id the server does not know: its error, exit status 1 */
	CU_ASSERT_EQUAL(run("builder-update-item AAMkNotAnItem 'x'"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Error"));
	free(after), free(id);
}

/* Two words of a seeded subject; the program's count must be the number of inbox subjects holding both
 * (Contains with Substring, ignoring case: ewsd's default comparison). */
static void builder_find_restriction_counts_the_inbox_items_whose_subject_has_every_word(void)
{
	char **subjects = NULL, w1[64] = "", w2[64] = "";
	int n = inbox_subjects(&subjects), expect = 0;
	CU_ASSERT_FATAL(n > 0);
	/* the first subject with two words of 3+ letters */
	for (int i = 0; i < n && !w2[0]; i++) {
		char copy[512], *save = NULL;
		snprintf(copy, sizeof copy, "%s", subjects[i] ? subjects[i] : "");
		w1[0] = w2[0] = 0;
		for (char *t = strtok_r(copy, " ,.:;!?()[]\"'", &save); t && !w2[0]; t = strtok_r(NULL, " ,.:;!?()[]\"'", &save))
			if (strlen(t) >= 3 && strlen(t) < sizeof w1)
				strcpy(w1[0] ? w2 : w1, t);
	}
	CU_ASSERT_FATAL(w2[0] != 0);
	for (int i = 0; i < n; i++)
		expect += subjects[i] && strcasestr(subjects[i], w1) && strcasestr(subjects[i], w2);
	CU_ASSERT(expect >= 1);
	CU_ASSERT_EQUAL(run("builder-find-restriction '%s' '%s'", w1, w2), 0);
	CU_ASSERT_EQUAL(atoi(out), expect);
	CU_ASSERT_EQUAL(run("builder-find-restriction '%s' zqxjkv", w1), 0);
	CU_ASSERT_STRING_EQUAL(out, "0\n");
	free_all(subjects, n);
}

/* ---- the teaching programs ---- */

static void learn_paged_search_lists_every_inbox_item_once_in_pages_of_ten(void)
{
	char **subjects = NULL, summary[128];
	int n = inbox_subjects(&subjects);
	CU_ASSERT_FATAL(n > 10);
	CU_ASSERT_EQUAL(run("learn-paged-search inbox"), 0);
	CU_ASSERT_EQUAL(count_lines(out), n + 1);
	snprintf(summary, sizeof summary, "%d items in %d pages\n", n, (n + 9) / 10);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, summary));
	for (int i = 0; i < n; i++)     /* every subject is listed */
		CU_ASSERT_PTR_NOT_NULL(subjects[i] ? strstr(out, subjects[i]) : out);
	free_all(subjects, n);
}

static void learn_incremental_sync_reports_everything_once_then_only_what_changed(void)
{
	char state[128], line[256];
	snprintf(state, sizeof state, "%s/drafts.state", tmp);
	CU_ASSERT_EQUAL(run("learn-incremental-sync drafts %s", state), 0);
	int first = count_lines(out) - 1;
	char last[64];
	snprintf(last, sizeof last, "%d changes\n", first);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, last));
	CU_ASSERT(access(state, R_OK) == 0);
	CU_ASSERT_EQUAL(run("learn-incremental-sync drafts %s", state), 0);
	CU_ASSERT_STRING_EQUAL(out, "0 changes\n");
	CU_ASSERT_EQUAL_FATAL(run("builder-create-message 'Sync me 5' erin@example.com frank@example.com"), 0);
	char *id = NULL;
	CU_ASSERT_EQUAL_FATAL(find_subject("drafts", "Sync me 5", &id), 1);
	CU_ASSERT_EQUAL(run("learn-incremental-sync drafts %s", state), 0);
	snprintf(line, sizeof line, "create %s Sync me 5\n1 changes\n", id);
	CU_ASSERT_STRING_EQUAL(out, line);
	free(id);
}

static void learn_export_item_writes_what_the_server_exports(void)
{
	char *id = NULL, path[128];
	CU_ASSERT_EQUAL_FATAL(run("builder-create-message 'Export me 9' gina@example.com hal@example.com"), 0);
	CU_ASSERT_EQUAL_FATAL(find_subject("drafts", "Export me 9", &id), 1);
	snprintf(path, sizeof path, "%s/one.ews", tmp);
#ifndef EWS_HAVE_OP_EXPORT_ITEMS
	/* bindings without ExportItems (Exchange2007_SP1): the helper answers EWS_ERR_UNSUPPORTED, and the program
	 * says so, with no file */
	CU_ASSERT_EQUAL(run("learn-export-item '%s' %s", id, path), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "ExportItems"));
	CU_ASSERT(access(path, F_OK) != 0);
	ews_test_needs(0, "operation ExportItems", "learn-export-item writes what the server exports");
	free(id);
	return;
#endif
	CU_ASSERT_EQUAL(run("learn-export-item '%s' %s", id, path), 0);
	size_t len = 0, want_len = 0;
	char *file = ews_test_read_file(path, &len);
	char *b = post("<m:ExportItems><m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:ExportItems>", id);
	char *data = b ? xml_text(b, "Data", 0) : NULL;
	unsigned char *want = NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(file);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	CU_ASSERT_FATAL(ews_ok(ews_base64_decode(data, 1 << 26, &want, &want_len)));
	CU_ASSERT(len > 0);
	CU_ASSERT_EQUAL(len, want_len);
	CU_ASSERT(len == want_len && !memcmp(file, want, len));
	char bytes[160];
	snprintf(bytes, sizeof bytes, "%zu bytes -> %s\n", len, path);
	CU_ASSERT_STRING_EQUAL(out, bytes);
	/* an unknown item: the server's code, no file */
	snprintf(path, sizeof path, "%s/none.ews", tmp);
	CU_ASSERT_EQUAL(run("learn-export-item AAMkNotAnItem %s", path), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "Error"));
	CU_ASSERT(access(path, F_OK) != 0);
	free(want), free(data), free(b), free(file), free(id);
}

static void learn_convert_id_gives_an_owa_id_that_converts_back(void)
{
	char *id = NULL;
	CU_ASSERT_EQUAL_FATAL(run("builder-create-message 'Convert me 3' ian@example.com jo@example.com"), 0);
	CU_ASSERT_EQUAL_FATAL(find_subject("drafts", "Convert me 3", &id), 1);
	CU_ASSERT_EQUAL_FATAL(run("learn-convert-id '%s' " MAILBOX, id), 0);
	CU_ASSERT_FATAL(count_lines(out) == 1 && strlen(out) > 2);
	out[strlen(out) - 1] = 0;
	CU_ASSERT_STRING_NOT_EQUAL(out, id);
	char *b = post("<m:ConvertId DestinationFormat=\"EwsId\"><m:SourceIds><t:AlternateId Format=\"OwaId\" Id=\"%s\" "
		       "Mailbox=\"" MAILBOX "\"/></m:SourceIds></m:ConvertId>", out);
	char *back = b ? xml_attr(b, "AlternateId", "Id", 0) : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(back);
	CU_ASSERT_STRING_EQUAL(back, id);
	CU_ASSERT_EQUAL(run("learn-convert-id '%s' " MAILBOX " NoSuchFormat", id), 1);
	CU_ASSERT(err[0] != 0);
	free(back), free(b), free(id);
}

static void learn_decode_file_names_the_operation_and_each_response_message(void)
{
	char path[128];
	char *b = post("<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>"
		       "<m:ParentFolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:ParentFolderIds></m:FindItem>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	snprintf(path, sizeof path, "%s/finditem.xml", tmp);
	FILE *f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(b, f);
	fclose(f);
	CU_ASSERT_EQUAL(run("learn-decode-file %s", path), 0);
	CU_ASSERT_STRING_EQUAL(out, "FindItem response\n  FindItemResponseMessage Success NoError\n");
	/* the same file cut in the middle: an error that says where, exit status 1 */
	CU_ASSERT_EQUAL(truncate(path, (off_t)(strlen(b) / 2)), 0);
	CU_ASSERT_EQUAL(run("learn-decode-file %s", path), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "learn-decode-file: "));
	CU_ASSERT_EQUAL(run("learn-decode-file %s/no-such-file", tmp), 2);
	free(b);
}

/* ---- official bindings only: Subscribe + GetEvents, ResolveNames ---- */

#if defined(EWS_HAVE_OP_SUBSCRIBE) && defined(EWS_HAVE_OP_GET_EVENTS) && defined(EWS_HAVE_OP_RESOLVE_NAMES)
#define HAVE_OFFICIAL_OPS 1

#define NS_DECL "xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" " \
		"xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\""

/* A canned answer per request, chosen by the operation the request names. */
static int canned(void *arg, const char *request, int connection, ews_test_reply *reply)
{
	const char *body;
	if (strstr(request, "Subscribe>") || strstr(request, "Subscribe "))
		body = "<m:SubscribeResponse " NS_DECL "><m:ResponseMessages><m:SubscribeResponseMessage ResponseClass=\"Success\">"
		       "<m:ResponseCode>NoError</m:ResponseCode><m:SubscriptionId>sub-1</m:SubscriptionId>"
		       "<m:Watermark>wm-1</m:Watermark></m:SubscribeResponseMessage></m:ResponseMessages></m:SubscribeResponse>";
	else if (strstr(request, "GetEvents"))
		body = "<m:GetEventsResponse " NS_DECL "><m:ResponseMessages><m:GetEventsResponseMessage ResponseClass=\"Success\">"
		       "<m:ResponseCode>NoError</m:ResponseCode><m:Notification><t:SubscriptionId>sub-1</t:SubscriptionId>"
		       "<t:PreviousWatermark>wm-1</t:PreviousWatermark><t:MoreEvents>false</t:MoreEvents><t:StatusEvent>"
		       "<t:Watermark>wm-2</t:Watermark></t:StatusEvent></m:Notification></m:GetEventsResponseMessage>"
		       "</m:ResponseMessages></m:GetEventsResponse>";
	else
		body = "<m:ResolveNamesResponse " NS_DECL "><m:ResponseMessages><m:ResolveNamesResponseMessage "
		       "ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode><m:ResolutionSet TotalItemsInView=\"1\" "
		       "IncludesLastItemInRange=\"true\"><t:Resolution><t:Mailbox><t:Name>Alice Example</t:Name>"
		       "<t:EmailAddress>alice@example.com</t:EmailAddress></t:Mailbox></t:Resolution></m:ResolutionSet>"
		       "</m:ResolveNamesResponseMessage></m:ResponseMessages></m:ResolveNamesResponse>";
	char *env = ews_test_soap_envelope(NULL, body);
	reply->bytes = env ? ews_test_http_response(200, NULL, env, &reply->len) : NULL;
	free(env);
	return reply->bytes ? 0 : -1;
}

/* xmllint: every request body `server` received validates against the official messages.xsd (wrapped in a SOAP
 * envelope schema whose Body must hold an element of the messages namespace, checked strictly). */
static int requests_validate(ews_test_http *server, int expect)
{
	char messages[PATH_MAX], path[PATH_MAX + 64], cmd[2 * PATH_MAX + 256];
	if (!realpath(ews_test_shared_path("ews-schemas/V2018_01_08/messages.xsd"), messages))
		return -1;
	snprintf(path, sizeof path, "%s/xml.xsd", tmp);
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fputs("<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" targetNamespace=\"http://www.w3.org/XML/1998/namespace\">"
	      "<xs:attribute name=\"lang\" type=\"xs:language\"/></xs:schema>\n", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/envelope.xsd", tmp);
	if (!(f = fopen(path, "w")))
		return -1;
	fprintf(f, "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" elementFormDefault=\"qualified\" "
		   "targetNamespace=\"http://schemas.xmlsoap.org/soap/envelope/\">"
		   "<xs:import namespace=\"http://www.w3.org/XML/1998/namespace\" schemaLocation=\"xml.xsd\"/>"
		   "<xs:import namespace=\"http://schemas.microsoft.com/exchange/services/2006/messages\" schemaLocation=\"file://%s\"/>"
		   "<xs:element name=\"Envelope\"><xs:complexType><xs:sequence>"
		   "<xs:element name=\"Header\" minOccurs=\"0\"><xs:complexType><xs:sequence><xs:any namespace=\"##other\" "
		   "processContents=\"lax\" minOccurs=\"0\" maxOccurs=\"unbounded\"/></xs:sequence></xs:complexType></xs:element>"
		   "<xs:element name=\"Body\"><xs:complexType><xs:sequence><xs:any "
		   "namespace=\"http://schemas.microsoft.com/exchange/services/2006/messages\" processContents=\"strict\"/>"
		   "</xs:sequence></xs:complexType></xs:element></xs:sequence><xs:anyAttribute processContents=\"lax\"/>"
		   "</xs:complexType></xs:element></xs:schema>\n", messages);
	fclose(f);
	int n = ews_test_http_request_count(server), valid = 0;
	for (int i = 0; i < n; i++) {
		char *req = ews_test_http_request(server, i), *body = req ? strstr(req, "\r\n\r\n") : NULL;
		snprintf(path, sizeof path, "%s/request-%d.xml", tmp, i);
		if (body && (f = fopen(path, "w"))) {
			fputs(body + 4, f);
			fclose(f);
			snprintf(cmd, sizeof cmd, "xmllint --noout --nonet --schema %s/envelope.xsd %s", tmp, path);
			if (system(cmd) == 0)
				valid++;
		}
		free(req);
	}
	return n == expect ? valid : -1;
}
#endif

static void official_builder_programs_send_requests_the_official_schema_accepts(void)
{
#ifdef HAVE_OFFICIAL_OPS
	ews_test_http *server = ews_test_http_start(0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(server);
	ews_test_http_set_responder(server, canned, NULL);
	CU_ASSERT_EQUAL(run("EWS_URL=%s builder-subscribe-events", ews_test_http_url(server)), 0);
	CU_ASSERT_STRING_EQUAL(out, "subscription sub-1 watermark wm-1\n");
	CU_ASSERT_EQUAL(run("EWS_URL=%s builder-resolve-names alice", ews_test_http_url(server)), 0);
	CU_ASSERT_STRING_EQUAL(out, "Alice Example <alice@example.com>\n");
	char *sub = ews_test_http_request(server, 0), *res = ews_test_http_request(server, 2);
	CU_ASSERT_PTR_NOT_NULL(sub && strstr(sub, "NewMailEvent") && strstr(sub, "CreatedEvent") ? sub : NULL);
	CU_ASSERT_PTR_NOT_NULL(res && strstr(res, "alice</") && strstr(res, "contacts") ? res : NULL);
	CU_ASSERT_EQUAL(requests_validate(server, 3), 3);
	free(sub), free(res);
	ews_test_http_stop(server);
#else
	ews_test_needs(0, "operation Subscribe, GetEvents or ResolveNames", "builder-subscribe-events and "
		       "builder-resolve-names (built and checked with official bindings, make check-official)");
#endif
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "builder-create-message saves a draft with both recipients", builder_create_message_saves_a_draft_with_both_recipients },
		{ "builder-create-message without its arguments says how to use it", builder_create_message_without_its_arguments_says_how_to_use_it },
		{ "builder-calendar-item creates an appointment with its times and place", builder_calendar_item_creates_an_appointment_with_its_times_and_place },
		{ "builder-update-item sets the subject of an existing message", builder_update_item_sets_the_subject_of_an_existing_message },
		{ "builder-find-restriction counts the inbox items whose subject has every word", builder_find_restriction_counts_the_inbox_items_whose_subject_has_every_word },
		{ "learn-paged-search lists every inbox item once, in pages of ten", learn_paged_search_lists_every_inbox_item_once_in_pages_of_ten },
		{ "learn-incremental-sync reports everything once, then only what changed", learn_incremental_sync_reports_everything_once_then_only_what_changed },
		{ "learn-export-item writes what the server exports", learn_export_item_writes_what_the_server_exports },
		{ "learn-convert-id gives an OwaId that converts back", learn_convert_id_gives_an_owa_id_that_converts_back },
		{ "learn-decode-file names the operation and each response message", learn_decode_file_names_the_operation_and_each_response_message },
		{ "the official-only builder programs send requests the official schema accepts", official_builder_programs_send_requests_the_official_schema_accepts },
		{ NULL, NULL }
	};
	char dir[64] = "/tmp/ews-teach-data-XXXXXX";

	if (!mkdtemp(tmp) || !mkdtemp(dir) || ewsd_seed(dir, MAILBOX, 40, 7) || ewsd_start(&srv, dir, NULL)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	setenv("EWS_URL", srv.url, 1);
	setenv("EWS_USER", MAILBOX, 1);
	setenv("EWS_PASSWORD", "any", 1);
	unsetenv("EWS_AUTH");
	int rc = ews_test_run("teaching examples", cases);
	ewsd_stop(&srv, 0);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
	if (system(cmd) != 0)
		rc = rc ? rc : 1;
	free(out);
	free(err);
	return rc;
}
