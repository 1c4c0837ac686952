/* ews_noidref.c — the one callback gSOAP's library needs that the serializers no longer define.
 *
 * The generated serializers are compiled with WITH_NOIDREF (Makefile, GEN_CFLAGS): EWS is document/literal and
 * never uses SOAP encoding's id/href multi-references, so the code that marks shared pointers on output and
 * resolves href="#id" on input is left out (a sixth of the serializers' code and compile). Reading never needed
 * it: libews's contexts read with SOAP_XML_TREE, and so does ewsd (server/decoding.c), which makes gSOAP ignore
 * id/href attributes as Exchange does. Writing document/literal never marks anything either (gSOAP's
 * soap_reference returns at once without an encoding style).
 *
 * Debian's libgsoapssl is built without WITH_NOIDREF and still calls soap_markelement() back by name when it
 * serializes a DOM node (xsd:anyType); the generated code defines it only without the flag. Here it is, doing
 * what the flag makes every generated soap_serialize_*() do: nothing.
 *
 * Hand-written, part of the generated layer: names gSOAP's API only. */
#include "stdsoap2.h"

void soap_markelement(struct soap *soap, const void *ptr, int type);

void soap_markelement(struct soap *soap, const void *ptr, int type)
{
	(void)soap, (void)ptr, (void)type;
}
