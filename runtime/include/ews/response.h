/* ews/response.h — one uniform view of the ResponseMessages of any operation. */
#ifndef EWS_RESPONSE_H
#define EWS_RESPONSE_H

#include "ews/status.h"

#ifdef __cplusplus
extern "C" {
#endif

struct soap_dom_element;
struct ewsmsg__ArrayOfResponseMessagesType;

typedef enum ews_response_class {
	EWS_RESPONSE_SUCCESS = 0,
	EWS_RESPONSE_WARNING = 1,
	EWS_RESPONSE_ERROR = 2
} ews_response_class;

/* A borrowed view of one ResponseMessage: every pointer points into the decoded response and is valid as long as
 * that response is (until the next call on the client, or soap_end() on the context that decoded it). */
typedef struct ews_response_message {
	const char *element;            /* "GetItemResponseMessage", "ExportItemsResponseMessage" ...          */
	ews_response_class response_class;
	const char *response_code;      /* "NoError", "ErrorItemNotFound" ...; "NoError" when absent         */
	const char *message_text;       /* NULL when absent                                                   */
	int has_descriptive_link_key;
	int descriptive_link_key;
	int message_xml_count;          /* children of MessageXml (t:Value, t:LineNumber ...)                */
	const struct soap_dom_element *message_xml;   /* array of message_xml_count elements, or NULL         */
	const void *message;            /* the typed message, e.g. struct ewsmsg__ItemInfoResponseMessageType * */
	int variant;                    /* gSOAP's union selector (SOAP_UNION__ewsmsg__union_..._<element>)      */
} ews_response_message;

/* Number of ResponseMessages (0 for NULL). */
int ews_response_messages_count(const struct ewsmsg__ArrayOfResponseMessagesType *messages);

/* Fill *out with message i (0-based). Returns 0, or -1 when i is out of range or the variant is unknown.
 * Generated per schema (generated/ews_operations.c): every response message element of the schema is known. */
int ews_response_messages_get(const struct ewsmsg__ArrayOfResponseMessagesType *messages, int i,
                              ews_response_message *out);

/* In the message's MessageXml: the text of <t:Value Name="name"> (MailboxGuid, BackOffMilliseconds ...) or of
 * a child element with that local name (LineNumber ...). Borrowed like the message; NULL when absent. */
const char *ews_message_xml_value(const ews_response_message *m, const char *name);

/* The same over any DOM element array (count elements), e.g. a MessageXml of a typed message. */
const char *ews_dom_array_value(const struct soap_dom_element *elements, int count, const char *name);

/* "Success", "Warning", "Error". */
const char *ews_response_class_name(ews_response_class rc);

/* The ResponseMessages of a decoded response wrapper (struct __ewsmsg__<operation>Response *), found by the
 * operation's EWS name; NULL when the operation has none. Generated per schema. Borrowed from the response. */
const struct ewsmsg__ArrayOfResponseMessagesType *ews_response_messages_of(const char *operation,
                                                                           const void *response);

#ifdef __cplusplus
}
#endif
#endif
