/* test_faults.c — SOAP faults: faultcode, faultstring and EWS's detail (ResponseCode, Message, MessageXml). */
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

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "a schema validation fault keeps all three detail children",
		  a_schema_validation_fault_keeps_all_three_detail_children },
		{ "a fault without detail uses faultcode and faultstring", a_fault_without_detail_uses_faultcode_and_faultstring },
		{ "there is no fault after a successful call", there_is_no_fault_after_a_successful_call },
		{ "an invalid sync state fault maps to its own code", an_invalid_sync_state_fault_maps_to_its_own_code },
		{ NULL, NULL }
	};
	return ews_test_run("faults", cases);
}
