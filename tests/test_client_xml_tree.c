/* test_client_xml_tree.c — the client's response context runs in gSOAP's SOAP_XML_TREE mode: EWS never uses
 * SOAP-encoding id/href multi-references, and without the flag gSOAP keeps per-element pointer bookkeeping for them
 * on every decode (bench/README.md: -14% paging, -19% sync client CPU, the same decoded values). Checked after
 * ews_client_new has configured the transport. Decoding staying identical is what the
 * corpus and captured-traffic suites check. */
#include "soapH.h"
#include "ews/ews.h"
#include "ews_test.h"

static void the_client_context_decodes_in_xml_tree_mode(void)
{
	ews_client *c = NULL;
	ews_options o = { 0 };
	ews_status st = ews_client_new("http://127.0.0.1:1/EWS/Exchange.asmx", &o, &c);
	CU_ASSERT_TRUE_FATAL(ews_ok(st));
	struct soap *s = ews_client_soap(c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_TRUE(s->mode & SOAP_XML_TREE);
	CU_ASSERT_TRUE(s->imode & SOAP_XML_TREE);
	CU_ASSERT_TRUE(s->imode & SOAP_C_UTFSTRING);   /* and still UTF-8 strings as UTF-8 */
	ews_client_free(c);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "the client context decodes in SOAP_XML_TREE mode (no id/href bookkeeping)",
		  the_client_context_decodes_in_xml_tree_mode },
		{ NULL, NULL }
	};
	return ews_test_run("client xml tree", cases);
}
