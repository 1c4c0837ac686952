/* test_wire.c — what libews puts on the wire: Exchange's prefixes (s:, m:, t:), only the namespaces used, a
 * pager's FindItem request no larger than exchangelib's (935 bytes), measured on the bytes a loopback listener
 * received; the send filter's output does not depend on how gSOAP cuts its output into pieces and leaves text
 * alone; answers with any prefixes (and the https:// namespaces) still decode. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdsoap2.h>

#include "ews/convert.h"
#include "ews/pager.h"
#include "ews_test.h"
#include "ews_test_ews.h"
#include "ews_test_http.h"
#include "ews_wire.h"

#define NS_M "http://schemas.microsoft.com/exchange/services/2006/messages"
#define NS_T "http://schemas.microsoft.com/exchange/services/2006/types"
#define EXCHANGELIB_FINDITEM_BYTES 935      /* exchangelib's FindItem request (issue 18's side-by-side) */

static const char empty_find_response[] =
	"<m:FindItemResponse xmlns:m=\"" NS_M "\" xmlns:t=\"" NS_T "\"><m:ResponseMessages>"
	"<m:FindItemResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode>"
	"<m:RootFolder IndexedPagingOffset=\"0\" TotalItemsInView=\"0\" IncludesLastItemInRange=\"true\"><t:Items/>"
	"</m:RootFolder></m:FindItemResponseMessage></m:ResponseMessages></m:FindItemResponse>";

/* The body of request i as received, and its Content-Length. */
static char *received_body(ews_test_http *s, int i, long *content_length)
{
	char *r = ews_test_http_request(s, i), *cl = ews_test_http_request_header(s, i, "Content-Length");
	char *b = r ? strstr(r, "\r\n\r\n") : NULL, *body = b ? strdup(b + 4) : NULL;
	*content_length = cl ? atol(cl) : -1;
	free(cl);
	free(r);
	return body;
}

/* One pager FindItem against a listener that answers an empty folder; returns the request body as received. */
static char *pager_request(const ews_pager_options *o, long *content_length)
{
	ews_test_http *s = ews_test_http_start(0);
	char *env = ews_test_soap_envelope(NULL, empty_find_response), *body = NULL;
	ews_client *c = s ? ews_test_client(s) : NULL;
	ews_pager *p = NULL;
	ews_item_view it;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	ews_test_http_queue_simple(s, 200, "Content-Type: text/xml; charset=utf-8\r\n", env);
	CU_ASSERT_EQUAL(ews_pager_new_items(c, o, &p).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_pager_next(p, &it).code, EWS_OK);   /* the answer decodes: an empty folder */
	CU_ASSERT_PTR_NULL(it.id);
	CU_ASSERT_EQUAL(ews_test_http_request_count(s), 1);
	body = received_body(s, 0, content_length);
	free(env);
	ews_pager_free(p);
	ews_client_free(c);
	ews_test_http_stop(s);
	return body;
}

static void a_pager_finditem_is_no_larger_than_exchangelibs(void)
{
	static const char *const subject[] = { "item:Subject", NULL };
	long cl;
	char *body = pager_request(&(ews_pager_options){ .folder = "inbox", .page_size = 100 }, &cl);

	CU_ASSERT_PTR_NOT_NULL_FATAL(body);
	printf("\n    pager FindItem request: %zu bytes (exchangelib %d)", strlen(body), EXCHANGELIB_FINDITEM_BYTES);
	CU_ASSERT_EQUAL((long)strlen(body), cl);
	CU_ASSERT(strlen(body) <= EXCHANGELIB_FINDITEM_BYTES);
	/* Exchange's shape: s, m and t declared once on the envelope, nothing else */
	CU_ASSERT_PTR_NOT_NULL(strstr(body, "<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope "
					    "xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:m=\"" NS_M
					    "\" xmlns:t=\"" NS_T "\"><s:Header><t:RequestServerVersion Version="));
	CU_ASSERT_PTR_NOT_NULL(strstr(body, "<s:Body><m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(body, "<t:DistinguishedFolderId Id=\"inbox\"/>"));
	CU_ASSERT_PTR_NULL(strstr(body, "SOAP-E"));
	CU_ASSERT_PTR_NULL(strstr(body, "ews"));
	CU_ASSERT_PTR_NULL(strstr(body, "xmlns:xsd"));
	CU_ASSERT_PTR_NULL(strstr(body, "xmlns:xsi"));
	free(body);

	/* the bench's page: IdOnly + Subject, newest first */
	body = pager_request(&(ews_pager_options){ .folder = "inbox", .page_size = 999, .shape = "IdOnly",
						   .properties = subject, .sort = "item:DateTimeReceived",
						   .descending = 1 }, &cl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(body);
	printf("; IdOnly + Subject, sorted: %zu bytes\n", strlen(body));
	CU_ASSERT_EQUAL((long)strlen(body), cl);
	CU_ASSERT(strlen(body) <= EXCHANGELIB_FINDITEM_BYTES);
	CU_ASSERT_PTR_NOT_NULL(strstr(body, "<t:FieldURI FieldURI=\"item:Subject\"/>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(body, "<m:SortOrder><t:FieldOrder Order=\"Descending\">"));
	free(body);
}

/* ---- the filter alone: bytes written through a context to a string ---- */

static char *through_filter(enum ews_wire_shape shape, const char *const *pieces, int n)
{
	struct soap *soap = soap_new();
	const char *out = NULL;
	char *copy = NULL;
	if (!soap || ews_wire_attach(soap, shape) != SOAP_OK)
		return NULL;
	soap->os = &out;
	if (soap_begin_send(soap) == SOAP_OK) {
		int err = 0;
		for (int i = 0; i < n && !err; i++)
			err = soap_send_raw(soap, pieces[i], strlen(pieces[i]));
		if (!err && soap_end_send(soap) == SOAP_OK && out)
			copy = strdup(out);
	}
	soap->os = NULL;
	soap_end(soap);
	soap_free(soap);
	return copy;
}

/* gSOAP's own form of a response (its prefixes, its whole namespace table on the envelope, <x></x>). */
static const char gsoap_response[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/"
	"envelope/\" xmlns:SOAP-ENC=\"http://schemas.xmlsoap.org/soap/encoding/\" xmlns:xsi=\"http://www.w3.org/2001/"
	"XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:ewsmsg=\"" NS_M "\" xmlns:ewstype=\""
	NS_T "\"><SOAP-ENV:Header><ewstype:ServerVersionInfo MajorVersion=\"15\" Version=\"V2018_01_08\">"
	"</ewstype:ServerVersionInfo></SOAP-ENV:Header><SOAP-ENV:Body><ewsmsg:ConvertIdResponse><ewsmsg:ResponseMessages>"
	"<ewsmsg:ConvertIdResponseMessage ResponseClass=\"Success\"><ewsmsg:ResponseCode>NoError</ewsmsg:ResponseCode>"
	"<ewsmsg:AlternateId xsi:type=\"ewstype:AlternateIdType\" Format=\"EwsId\" Id=\"ewsmsg:x\" Mailbox=\"a@b.c\">"
	"</ewsmsg:AlternateId><ewsmsg:MessageText>ewstype:Text &lt;ewsmsg:Not&gt; a tag</ewsmsg:MessageText>"
	"</ewsmsg:ConvertIdResponseMessage></ewsmsg:ResponseMessages></ewsmsg:ConvertIdResponse></SOAP-ENV:Body>"
	"</SOAP-ENV:Envelope>";

static const char exchange_response[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
	"<s:Header><h:ServerVersionInfo MajorVersion=\"15\" Version=\"V2018_01_08\" xmlns:h=\"" NS_T "\" xmlns=\"" NS_T
	"\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"/>"
	"</s:Header><s:Body xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/"
	"XMLSchema\"><m:ConvertIdResponse xmlns:m=\"" NS_M "\" xmlns:t=\"" NS_T "\"><m:ResponseMessages>"
	"<m:ConvertIdResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode>"
	"<m:AlternateId xsi:type=\"t:AlternateIdType\" Format=\"EwsId\" Id=\"ewsmsg:x\" Mailbox=\"a@b.c\"/>"
	"<m:MessageText>ewstype:Text &lt;ewsmsg:Not&gt; a tag</m:MessageText></m:ConvertIdResponseMessage>"
	"</m:ResponseMessages></m:ConvertIdResponse></s:Body></s:Envelope>";

static void the_filter_writes_exchanges_form_and_leaves_text_and_values_alone(void)
{
	const char *whole[] = { gsoap_response };
	char *out = through_filter(EWS_WIRE_RESPONSE, whole, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_STRING_EQUAL(out, exchange_response);
	free(out);
}

static void the_filter_output_does_not_depend_on_the_pieces(void)
{
	size_t len = strlen(gsoap_response);
	char *a = malloc(len + 1), *b = malloc(len + 1), *out;
	int bad = 0;
	CU_ASSERT_PTR_NOT_NULL_FATAL(a && b);
	for (size_t cut = 1; cut < len; cut++) {     /* every place gSOAP could cut its output in two */
		memcpy(a, gsoap_response, cut);
		a[cut] = '\0';
		strcpy(b, gsoap_response + cut);
		const char *two[] = { a, b };
		out = through_filter(EWS_WIRE_RESPONSE, two, 2);
		if (!out || strcmp(out, exchange_response)) {
			if (!bad++)
				printf("\n    cut at %zu: %s\n", cut, out ? out : "(null)");
		}
		free(out);
	}
	CU_ASSERT_EQUAL(bad, 0);
	/* and byte by byte */
	const char **ones = malloc(len * sizeof *ones);
	char *bytes = malloc(2 * len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ones && bytes);
	for (size_t i = 0; i < len; i++) {
		bytes[2 * i] = gsoap_response[i];
		bytes[2 * i + 1] = '\0';
		ones[i] = bytes + 2 * i;
	}
	out = through_filter(EWS_WIRE_RESPONSE, ones, (int)len);
	CU_ASSERT_PTR_NOT_NULL(out);
	if (out)
		CU_ASSERT_STRING_EQUAL(out, exchange_response);
	free(out);
	free(ones);
	free(bytes);
	free(a);
	free(b);
}

/* The request shape: s, m, t on the root; a prefix used where it is not in scope gets declared there. */
static void the_request_shape_declares_what_is_used(void)
{
	const char *in[] = { "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" "
			     "xmlns:ewserr=\"x\"><SOAP-ENV:Body><ewsmsg:GetItem><ewsmsg:ItemIds><ewstype:ItemId "
			     "xsi:type=\"ewstype:ItemIdType\" Id=\"a\"></ewstype:ItemId></ewsmsg:ItemIds><ewserr:X>"
			     "</ewserr:X></ewsmsg:GetItem></SOAP-ENV:Body></SOAP-ENV:Envelope>" };
	char *out = through_filter(EWS_WIRE_REQUEST, in, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_STRING_EQUAL(out,
		"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:m=\"" NS_M "\" xmlns:t=\"" NS_T
		"\"><s:Body><m:GetItem><m:ItemIds><t:ItemId xsi:type=\"t:ItemIdType\" Id=\"a\" xmlns:xsi=\"http://www.w3.org/"
		"2001/XMLSchema-instance\"/></m:ItemIds><e:X xmlns:e=\"http://schemas.microsoft.com/exchange/services/2006/"
		"errors\"/></m:GetItem></s:Body></s:Envelope>");
	free(out);
}

/* The shape's rules go by the element's name, not by whatever the filter collected last (an xsi:type value). */
static void the_rules_follow_the_element_name(void)
{
	const char *in[] = { "<ewsmsg:R><ewsmsg:Item xsi:type=\"faultstring\"></ewsmsg:Item></ewsmsg:R>" };
	char *out = through_filter(EWS_WIRE_RESPONSE, in, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_STRING_EQUAL(out, "<m:R xmlns:m=\"" NS_M "\" xmlns:t=\"" NS_T "\"><m:Item xsi:type=\"faultstring\" "
				    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"/></m:R>");
	free(out);
}

/* ---- decoding does not care about prefixes ---- */

static void answers_with_any_prefixes_decode(void)
{
	/* odd prefixes, a default namespace, the https:// namespaces of the reference pages, xsi:type in yet
	 * another prefix: what matters is the namespace, never the prefix */
	static const char odd[] =
		"<?xml version=\"1.0\"?><Q:Envelope xmlns:Q=\"http://schemas.xmlsoap.org/soap/envelope/\"><Q:Header>"
		"<ServerVersionInfo xmlns=\"https://schemas.microsoft.com/exchange/services/2006/types\" MajorVersion=\"15\"/>"
		"</Q:Header><Q:Body><ConvertIdResponse xmlns=\"https://schemas.microsoft.com/exchange/services/2006/messages\" "
		"xmlns:I=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:zz=\"https://schemas.microsoft.com/exchange/"
		"services/2006/types\"><ResponseMessages><ConvertIdResponseMessage ResponseClass=\"Success\">"
		"<ResponseCode>NoError</ResponseCode><AlternateId I:type=\"zz:AlternateIdType\" Format=\"HexEntryId\" "
		"Id=\"00AB\" Mailbox=\"odd@example.com\"/></ConvertIdResponseMessage></ResponseMessages></ConvertIdResponse>"
		"</Q:Body></Q:Envelope>";
	ews_test_http *s = ews_test_http_start(0);
	ews_client *c;
	ews_convert_result *r = NULL;
	ews_alternate_id src = { .id = "AAMk", .format = EWS_ID_EWS_ID, .mailbox = "odd@example.com" };

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	ews_test_http_queue_simple(s, 200, "Content-Type: text/xml; charset=utf-8\r\n", odd);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c = ews_test_client(s));
	CU_ASSERT_EQUAL(ews_convert_ids(c, &src, 1, EWS_ID_HEX_ENTRY_ID, &r).code, EWS_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_STRING_EQUAL(r[0].id ? r[0].id : "", "00AB");
	CU_ASSERT_STRING_EQUAL(r[0].mailbox ? r[0].mailbox : "", "odd@example.com");
	ews_convert_results_free(r, 1);
	ews_client_free(c);
	ews_test_http_stop(s);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "a pager FindItem is no larger than exchangelib's", a_pager_finditem_is_no_larger_than_exchangelibs },
		{ "the filter writes Exchange's form and leaves text and values alone",
		  the_filter_writes_exchanges_form_and_leaves_text_and_values_alone },
		{ "the filter output does not depend on the pieces", the_filter_output_does_not_depend_on_the_pieces },
		{ "the request shape declares what is used", the_request_shape_declares_what_is_used },
		{ "the rules follow the element name", the_rules_follow_the_element_name },
		{ "answers with any prefixes decode", answers_with_any_prefixes_decode },
		{ NULL, NULL }
	};
	return ews_test_run("wire form", cases);
}
