/* test_faults.c — SOAP faults: faultcode, faultstring and EWS's detail (ResponseCode, Message, MessageXml). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/ews.h"
#include "ews_test.h"
#include "ews_test_ews.h"

static void a_schema_validation_fault_keeps_all_three_detail_children(void)
{
	ews_test_http *s = ews_test_http_start(0);
	ews_client *c = ews_test_client(s);
	struct __ewsmsg__GetFolderResponse r;
	char *f = ews_test_fault("ErrorSchemaValidation", "The request failed schema validation: The element 'Foo' is invalid.",
	                         "<t:LineNumber>2</t:LineNumber><t:LinePosition>630</t:LinePosition>"
	                         "<t:Violation>The element 'Foo' in namespace 'x' has invalid child element.</t:Violation>");
	ews_fault fault;
	ews_status st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	ews_test_queue_body(s, 500, f);
	st = ews_test_get_folder(c, &r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_FAULT);
	CU_ASSERT_EQUAL(st.http_status, 500);
	CU_ASSERT_STRING_EQUAL(st.response_code, "ErrorSchemaValidation");
	CU_ASSERT_STRING_EQUAL(st.message, "GetFolder: ErrorSchemaValidation: The request failed schema validation: "
	                                   "The element 'Foo' is invalid.");
	CU_ASSERT_EQUAL_FATAL(ews_client_fault(c, &fault).code, EWS_OK);
	CU_ASSERT_EQUAL(fault.detail_count, 3);
	CU_ASSERT_STRING_EQUAL(fault.code, "ErrorSchemaValidation");
	CU_ASSERT_PTR_NOT_NULL(strstr(fault.faultcode, ":ErrorSchemaValidation"));
	CU_ASSERT_STRING_EQUAL(fault.response_code, "ErrorSchemaValidation");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fault.message_xml);
	CU_ASSERT_STRING_EQUAL(ews_fault_value(&fault, "LineNumber"), "2");
	CU_ASSERT_STRING_EQUAL(ews_fault_value(&fault, "LinePosition"), "630");
	CU_ASSERT_STRING_EQUAL(ews_fault_value(&fault, "Violation"),
	                       "The element 'Foo' in namespace 'x' has invalid child element.");
	CU_ASSERT_PTR_NULL(ews_fault_value(&fault, "BackOffMilliseconds"));
	/* not retried: a schema error stays one */
	CU_ASSERT_EQUAL(ews_test_http_request_count(s), 1);
	free(f);
	ews_client_free(c);
	ews_test_http_stop(s);
}

static void a_fault_without_detail_uses_faultcode_and_faultstring(void)
{
	ews_test_http *s = ews_test_http_start(0);
	ews_client *c = ews_test_client(s);
	struct __ewsmsg__GetFolderResponse r;
	char *f = ews_test_soap_envelope(NULL, "<s:Fault><faultcode xmlns:a=\"http://schemas.microsoft.com/exchange/"
	                                 "services/2006/types\">a:ErrorInvalidServerVersion</faultcode><faultstring>"
	                                 "The specified server version is invalid.</faultstring></s:Fault>");
	ews_fault fault;
	ews_status st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	ews_test_queue_body(s, 500, f);
	st = ews_test_get_folder(c, &r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_FAULT);
	CU_ASSERT_STRING_EQUAL(st.response_code, "ErrorInvalidServerVersion");
	CU_ASSERT_STRING_EQUAL(st.message, "GetFolder: ErrorInvalidServerVersion: The specified server version is invalid.");
	CU_ASSERT_EQUAL_FATAL(ews_client_fault(c, &fault).code, EWS_OK);
	CU_ASSERT_EQUAL(fault.detail_count, 0);
	CU_ASSERT_PTR_NULL(fault.message_xml);
	CU_ASSERT_PTR_NULL(ews_fault_value(&fault, "LineNumber"));
	free(f);
	ews_client_free(c);
	ews_test_http_stop(s);
}

static void there_is_no_fault_after_a_successful_call(void)
{
	ews_test_http *s = ews_test_http_start(0);
	ews_client *c = ews_test_client(s);
	struct __ewsmsg__GetFolderResponse r;
	char *f = ews_test_fault("ErrorInternalServerError", "boom", NULL);
	char *ok = ews_test_getfolder_response("Success", "NoError", NULL, NULL);
	ews_fault fault;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(ews_client_fault(c, &fault).code, EWS_ERR_NOT_FOUND);
	ews_test_queue_body(s, 500, f);
	ews_test_queue_body(s, 200, ok);
	CU_ASSERT_EQUAL(ews_test_get_folder(c, &r).code, EWS_ERR_FAULT);
	CU_ASSERT_EQUAL(ews_client_fault(c, &fault).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_test_get_folder(c, &r).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_client_fault(c, &fault).code, EWS_ERR_NOT_FOUND);
	CU_ASSERT_EQUAL(ews_client_fault(NULL, &fault).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_PTR_NULL(ews_fault_value(NULL, "x"));
	free(f);
	free(ok);
	ews_client_free(c);
	ews_test_http_stop(s);
}

static void an_invalid_sync_state_fault_maps_to_its_own_code(void)
{
	ews_test_http *s = ews_test_http_start(0);
	ews_client *c = ews_test_client(s);
	struct __ewsmsg__GetFolderResponse r;
	char *f = ews_test_fault("ErrorInvalidSyncStateData", "Synchronization state data is corrupt or otherwise invalid.",
	                         NULL);

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	ews_test_queue_body(s, 500, f);
	CU_ASSERT_EQUAL(ews_test_get_folder(c, &r).code, EWS_ERR_SYNC_STATE);
	free(f);
	ews_client_free(c);
	ews_test_http_stop(s);
}

/* A SOAP 1.2 envelope around body_xml; malloc'd. */
static char *soap12_envelope(const char *body_xml)
{
	static const char fmt[] = "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
	                          "<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\">"
	                          "<env:Body>%s</env:Body></env:Envelope>";
	size_t cap = sizeof fmt + strlen(body_xml);
	char *out = malloc(cap);
	if (out)
		snprintf(out, cap, fmt, body_xml);
	return out;
}

/* gSOAP decodes a standard faultcode into its own error numbers (SOAP_CLI_FAULT, SOAP_SVR_FAULT,
 * SOAP_MUSTUNDERSTAND, SOAP_VERSIONMISMATCH ...) rather than SOAP_FAULT: each must still be a fault with its text,
 * whatever the HTTP status. */
static void a_standard_soap_fault_code_is_a_fault_with_its_text_and_detail(void)
{
	static const struct {
		int soap12, http;
		const char *fault_xml, *faultcode, *text;
	} cases[] = {
		{ 0, 500, "<s:Fault><faultcode>s:Server</faultcode><faultstring>Server was unable to process request."
		          "</faultstring><detail><ExceptionType>System.NullReferenceException</ExceptionType></detail></s:Fault>",
		  "Server", "GetFolder: SOAP fault SOAP-ENV:Server: Server was unable to process request. (detail: "
		            "System.NullReferenceException)" },
		{ 0, 500, "<s:Fault><faultcode>s:Client</faultcode><faultstring>The request is malformed.</faultstring>"
		          "</s:Fault>",
		  "Client", "GetFolder: SOAP fault SOAP-ENV:Client: The request is malformed." },
		{ 0, 200, "<s:Fault><faultcode>s:Client</faultcode><faultstring>With HTTP 200.</faultstring></s:Fault>",
		  "Client", "GetFolder: SOAP fault SOAP-ENV:Client: With HTTP 200." },
		{ 0, 500, "<s:Fault><faultcode>s:MustUnderstand</faultcode><faultstring>Header not understood."
		          "</faultstring></s:Fault>",
		  "MustUnderstand", "GetFolder: SOAP fault SOAP-ENV:MustUnderstand: Header not understood." },
		{ 0, 500, "<s:Fault><faultcode>s:VersionMismatch</faultcode><faultstring>Wrong envelope.</faultstring>"
		          "</s:Fault>",
		  "VersionMismatch", "GetFolder: SOAP fault SOAP-ENV:VersionMismatch: Wrong envelope." },
		{ 0, 500, "<s:Fault><faultcode>s:Server</faultcode><detail><Reason>only in the detail</Reason></detail>"
		          "</s:Fault>",
		  "Server", "GetFolder: SOAP fault SOAP-ENV:Server: only in the detail" },
		{ 1, 500, "<env:Fault><env:Code><env:Value>env:Receiver</env:Value></env:Code><env:Reason><env:Text "
		          "xml:lang=\"en\">Database offline.</env:Text></env:Reason><env:Detail><Why>maintenance</Why>"
		          "</env:Detail></env:Fault>",
		  "Receiver", "GetFolder: SOAP fault SOAP-ENV:Receiver: Database offline. (detail: maintenance)" },
		{ 1, 400, "<env:Fault><env:Code><env:Value>env:Sender</env:Value></env:Code><env:Reason><env:Text "
		          "xml:lang=\"en\">Bad request.</env:Text></env:Reason></env:Fault>",
		  "Sender", "GetFolder: SOAP fault SOAP-ENV:Sender: Bad request." },
		{ 1, 500, "<env:Fault><env:Code><env:Value>env:MustUnderstand</env:Value></env:Code><env:Reason><env:Text "
		          "xml:lang=\"en\">Not understood.</env:Text></env:Reason></env:Fault>",
		  "MustUnderstand", "GetFolder: SOAP fault SOAP-ENV:MustUnderstand: Not understood." },
		{ 1, 500, "<env:Fault><env:Code><env:Value>env:DataEncodingUnknown</env:Value></env:Code><env:Reason>"
		          "<env:Text xml:lang=\"en\">Unknown encoding.</env:Text></env:Reason></env:Fault>",
		  "DataEncodingUnknown", "GetFolder: SOAP fault SOAP-ENV:DataEncodingUnknown: Unknown encoding." },
		/* what gSOAP's fault structure cannot hold: Reason in two languages, Node and Role */
		{ 1, 500, "<env:Fault><env:Code><env:Value>env:Receiver</env:Value></env:Code><env:Reason><env:Text "
		          "xml:lang=\"en\">Mailbox store offline.</env:Text><env:Text xml:lang=\"de\">Postfach offline."
		          "</env:Text></env:Reason><env:Node>http://node/</env:Node><env:Role>http://role/</env:Role>"
		          "<env:Detail><Why>maintenance</Why></env:Detail></env:Fault>",
		  "Receiver", "GetFolder: SOAP fault env:Receiver: Mailbox store offline. (detail: maintenance)" },
		/* no faultcode at all, and one without a prefix */
		{ 0, 500, "<s:Fault><faultstring>Nothing but a string.</faultstring></s:Fault>",
		  "", "GetFolder: SOAP fault (no faultcode): Nothing but a string." },
		{ 0, 500, "<s:Fault><faultcode>Server</faultcode><faultstring>No prefix.</faultstring></s:Fault>",
		  "Server", "GetFolder: SOAP fault Server: No prefix." },
	};

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		ews_test_http *s = ews_test_http_start(0);
		ews_client *c = ews_test_client(s);
		struct __ewsmsg__GetFolderResponse r;
		char *f = cases[i].soap12 ? soap12_envelope(cases[i].fault_xml)
		                          : ews_test_soap_envelope(NULL, cases[i].fault_xml);
		ews_fault fault;
		ews_status st;

		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		ews_test_http_queue_simple(s, cases[i].http, NULL, f);
		st = ews_test_get_folder(c, &r);
		CU_ASSERT_EQUAL(st.code, EWS_ERR_FAULT);
		CU_ASSERT_EQUAL(st.http_status, cases[i].http);
		CU_ASSERT_STRING_EQUAL(st.message, cases[i].text);
		if (strcmp(st.message, cases[i].text))
			fprintf(stderr, "case %zu: %s\n", i, st.message);
		CU_ASSERT_STRING_EQUAL(st.response_code, ""); /* no EWS ResponseCode was involved */
		CU_ASSERT_EQUAL_FATAL(ews_client_fault(c, &fault).code, EWS_OK);
		CU_ASSERT_STRING_EQUAL(fault.code, cases[i].faultcode);
		CU_ASSERT_EQUAL(fault.detail_count, strstr(cases[i].fault_xml, "etail>") ? 1 : 0);
		/* a server or client error is not retried (only ErrorServerBusy is) */
		CU_ASSERT_EQUAL(ews_test_http_request_count(s), 1);
		free(f);
		ews_client_free(c);
		ews_test_http_stop(s);
	}
}

/* SOAP 1.2 puts the application code in a Subcode of Receiver: ErrorServerBusy there is still throttling. */
static void a_soap12_subcode_carries_the_ews_response_code(void)
{
	ews_test_http *s = ews_test_http_start(0);
	ews_client *c = ews_test_client(s);
	struct __ewsmsg__GetFolderResponse r;
	char *f = soap12_envelope("<env:Fault><env:Code><env:Value>env:Receiver</env:Value><env:Subcode><env:Value "
	                          "xmlns:a=\"http://schemas.microsoft.com/exchange/services/2006/types\">a:ErrorServerBusy"
	                          "</env:Value></env:Subcode></env:Code><env:Reason><env:Text xml:lang=\"en\">The server "
	                          "cannot service this request right now.</env:Text></env:Reason></env:Fault>");
	char *ok = ews_test_getfolder_response("Success", "NoError", NULL, NULL);
	ews_status st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	ews_test_queue_body(s, 500, f);
	ews_test_queue_body(s, 200, ok);
	st = ews_test_get_folder(c, &r);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL(ews_test_http_request_count(s), 2);
	free(f);
	free(ok);
	ews_client_free(c);
	ews_test_http_stop(s);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "a schema validation fault keeps all three detail children",
		  a_schema_validation_fault_keeps_all_three_detail_children },
		{ "a fault without detail uses faultcode and faultstring", a_fault_without_detail_uses_faultcode_and_faultstring },
		{ "there is no fault after a successful call", there_is_no_fault_after_a_successful_call },
		{ "an invalid sync state fault maps to its own code", an_invalid_sync_state_fault_maps_to_its_own_code },
		{ "a standard SOAP fault code is a fault with its text and detail",
		  a_standard_soap_fault_code_is_a_fault_with_its_text_and_detail },
		{ "a SOAP 1.2 subcode carries the EWS response code", a_soap12_subcode_carries_the_ews_response_code },
		{ NULL, NULL }
	};
	return ews_test_run("faults", cases);
}
