/* ews/fault.h — the SOAP fault of the last call: faultcode, faultstring and EWS's detail (ResponseCode, Message,
 * MessageXml with BackOffMilliseconds or the schema violation's LineNumber/LinePosition/Violation). */
#ifndef EWS_FAULT_H
#define EWS_FAULT_H

#include "ews/client.h"
#include "ews/status.h"

#ifdef __cplusplus
extern "C" {
#endif

struct soap_dom_element;

/* A borrowed view: every pointer is valid until the next call on the client or ews_client_release(). */
typedef struct ews_fault {
	const char *faultcode;          /* as decoded, prefix normalised by gSOAP: "ewstype:ErrorServerBusy"     */
	const char *code;               /* its local part: "ErrorServerBusy"                                     */
	const char *faultstring;        /* "" when absent                                                        */
	const char *response_code;      /* e:ResponseCode of the detail, else `code`                             */
	const char *message;            /* e:Message of the detail, else faultstring                             */
	int detail_count;               /* children of <detail>                                                  */
	const struct soap_dom_element *detail;        /* array of detail_count elements, or NULL                 */
	const struct soap_dom_element *message_xml;   /* the detail's t:MessageXml element, or NULL             */
} ews_fault;

/* The fault of the last response on c. EWS_ERR_NOT_FOUND when that response was no fault (or was released). */
ews_status ews_client_fault(ews_client *c, ews_fault *out);

/* In the fault's MessageXml: the text of <t:Value Name="name"> (BackOffMilliseconds ...) or of a child element
 * with that local name (LineNumber, LinePosition, Violation). Borrowed like the fault; NULL when absent. */
const char *ews_fault_value(const ews_fault *f, const char *name);

#ifdef __cplusplus
}
#endif
#endif
