/* ews_namespaces.c — the XML namespace table every libews gSOAP context uses.
 *
 * gSOAP's engine (libgsoapssl) refers to a global `namespaces` table, so the library defines it. The first
 * column is what we emit: always the http:// URIs real Exchange servers use. The third column is a pattern
 * accepted on input: the Exchange reference pages (and the seeds) show https:// for the types and messages
 * namespaces, so both are accepted. The SOAP envelope namespace cannot be widened this way (gSOAP only
 * recognises the two exact SOAP URIs); ews_xml_sanitize() rewrites an https envelope URI before parsing.
 */
#include <stdsoap2.h>

#include "ews_internal.h"

SOAP_NMAC struct Namespace namespaces[] = {
	{ "SOAP-ENV", "http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/*/soap-envelope", NULL },
	{ "SOAP-ENC", "http://schemas.xmlsoap.org/soap/encoding/", "http://www.w3.org/*/soap-encoding", NULL },
	{ "xsi", "http://www.w3.org/2001/XMLSchema-instance", "http://www.w3.org/*/XMLSchema-instance", NULL },
	{ "xsd", "http://www.w3.org/2001/XMLSchema", "http://www.w3.org/*/XMLSchema", NULL },
	{ "ewsmsg", EWS_NS_MESSAGES, "http*://schemas.microsoft.com/exchange/services/2006/messages", NULL },
	{ "ewstype", EWS_NS_TYPES, "http*://schemas.microsoft.com/exchange/services/2006/types", NULL },
	{ "ewserr", EWS_NS_ERRORS, "http*://schemas.microsoft.com/exchange/services/2006/errors", NULL },
	{ NULL, NULL, NULL, NULL }
};
