/* How ewsd decodes requests: one policy for the server and for tests/fuzz's request harness. */
#include "ewsd.h"

/* Strict decoding (SOAP_XML_STRICT) checks every required attribute and element of the schema, as Exchange's
 * schema validation does; with this hook set, elements our subset schema does not model are skipped instead of
 * refused (Exchange knows them, so requests using them are valid). */
static int skip_unknown_element(struct soap *soap, const char *tag)
{
	(void)soap;
	(void)tag;
	return SOAP_OK;
}

/* Exchange validates requests against its schema: an enumeration value it does not know is a schema error.
 * The bindings accept unknown values (as -1) unless this hook refuses them (see generator/enum_patch.c). */
static int refuse_unknown_enums(struct soap *soap, const char *pattern, const char *value)
{
	(void)value;
	return pattern && !strcmp(pattern, "libews:unknown-enum") ? (soap->error = SOAP_TYPE) : SOAP_OK;
}

/* SOAP_XML_STRICT: a missing required attribute or element is ErrorSchemaValidation, as Exchange answers,
 * so no handler ever sees a NULL where the schema promises a value. Elements outside our subset schema are
 * still skipped (fignore), unknown enumeration values refused (fsvalidate). Every operation, UploadItems
 * included (libews sends ParentFolderId on CreateAction="Update" too, as the schema requires). */
void ewsd_decoding_init(struct soap *soap)
{
	soap_set_imode(soap, SOAP_XML_STRICT);
	soap->fignore = skip_unknown_element;
	soap->fsvalidate = refuse_unknown_enums;
}

/* The per-operation hook, after the envelope and header are read: no operation is decoded leniently any more
 * (UploadItems was, while libews omitted ParentFolderId on Update); kept so one could be, with its reason. */
void ewsd_decoding_for_operation(struct soap *soap)
{
	(void)soap;
}
