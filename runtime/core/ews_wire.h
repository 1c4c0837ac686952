/* ews_wire.h — write Exchange's XML prefixes on the wire (internal to libews and ewsd).
 *
 * The generated bindings name everything with gSOAP's prefixes (SOAP-ENV, ewsmsg, ewstype: they are also the C
 * prefixes of the public API, so they stay), and gSOAP writes those prefixes literally and declares its whole
 * namespace table on the root element. Exchange and the clients in the field write s:, m: and t: and declare
 * only what is used; some clients match those prefixes literally (ews-javascript-api strips "t:" from xsi:type
 * values). ews_wire_attach() installs a streaming send filter (gSOAP's ffiltersend: it runs in the counting
 * pass too, so Content-Length stays right) that renames the prefixes of element names, attribute names and
 * xsi:type values — never text content — and replaces gSOAP's declarations by Exchange's.
 */
#ifndef EWS_WIRE_H
#define EWS_WIRE_H

struct soap;

enum ews_wire_shape {
	EWS_WIRE_REQUEST,   /* what clients send: s, m, t declared on the root (as exchangelib, the Managed API) */
	EWS_WIRE_RESPONSE   /* what Exchange answers: h:ServerVersionInfo, xsi/xsd on s:Body, m/t on the message */
};

/* Installs the filter on soap (after any ffiltersend already set, which still sees gSOAP's own output) and sets
 * Exchange's XML declaration; on a context that has it, only changes the shape. Copies of the context made with
 * soap_copy() keep it. SOAP_OK or SOAP_EOM. */
int ews_wire_attach(struct soap *soap, enum ews_wire_shape shape);

/* Empties gSOAP's list of attribute names, whose order (names read from earlier messages first) is the order
 * attributes are written in. The filter does it before each message that gSOAP counts; one-pass writers (to a
 * string) call it themselves before serializing, so an element's attributes come in schema order. */
void ews_wire_forget_attributes(struct soap *soap);

#endif
