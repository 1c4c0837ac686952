/* How ewsd decodes requests: one policy for the server and for tests/fuzz's request harness. */
#include "ewsd.h"

/* Strict decoding (SOAP_XML_STRICT) checks every required attribute and element of the schema, as Exchange's
 * schema validation does. Built from libews's own subset schema (wsdl/), ewsd skips the elements the subset does
 * not model (Exchange knows them, so requests using them are valid). Built from an official set, the bindings
 * hold that version's whole schema, so an element they lack is one Exchange of that version refuses too
 * (ErrorSchemaValidation): FindPeople's ReturnFlattenedResults (V2018) sent to an ewsd built from Exchange2016's
 * set was answered NoError, i.e. silently ignored. gSOAP refuses it by itself under SOAP_XML_STRICT when no
 * hook is set (SOAP_TAG_MISMATCH, soap->tag naming the element). */
#if EWS_SCHEMA_IS_DEFAULT
static int skip_unknown_element(struct soap *soap, const char *tag)
{
	(void)soap;
	(void)tag;
	return SOAP_OK;
}
#endif

/* Exchange validates requests against its schema: an enumeration value it does not know is a schema error.
 * The bindings accept unknown values (as -1) unless this hook refuses them (see generator/enum_patch.c). */
static int refuse_unknown_enums(struct soap *soap, const char *pattern, const char *value)
{
	(void)value;
	return pattern && !strcmp(pattern, "libews:unknown-enum") ? (soap->error = SOAP_TYPE) : SOAP_OK;
}

/* SOAP_XML_STRICT: a missing required attribute or element is ErrorSchemaValidation, as Exchange answers,
 * so no handler ever sees a NULL where the schema promises a value. Elements outside our subset schema are
 * still skipped (fignore; an official set's bindings refuse them), unknown enumeration values refused
 * (fsvalidate). Every operation, UploadItems
 * included (libews sends ParentFolderId on CreateAction="Update" too, as the schema requires). */
void ewsd_decoding_init(struct soap *soap)
{
	/* SOAP_XML_TREE: id/href attributes are not SOAP-encoding references to resolve (Exchange has none; the
	 * serializers are built without that code, runtime/binding/ews_noidref.c) */
	soap_set_imode(soap, SOAP_XML_STRICT | SOAP_XML_TREE);
#if EWS_SCHEMA_IS_DEFAULT
	soap->fignore = skip_unknown_element;
#endif
	soap->fsvalidate = refuse_unknown_enums;
}

/* The per-operation hook, after the envelope and header are read: no operation is decoded leniently any more
 * (UploadItems was, while libews omitted ParentFolderId on Update); kept so one could be, with its reason. */
void ewsd_decoding_for_operation(struct soap *soap)
{
	(void)soap;
}
