/* ews_schema_check.c — refuse a client to a program compiled against another schema's headers.
 *
 * ews_client_new() is a macro (ews/client.h) passing the identity of the bindings the program was compiled
 * against; this file is compiled with this library's own bindings, so EWS_SCHEMA_* here are the library's.
 * The bindings hash covers the schema's three files, the typemap, the fix-ups and the gSOAP version: everything
 * that decides the generated structs' layouts. It sits above the generated layer (it reads ews_schema.h) and
 * below nothing: core's ews_client_new stays schema-blind. */
#include <string.h>

#include "ews/client.h"
#include "ews_schema.h"

/* the first 12 hex digits identify a build well enough for a person; the comparison uses all 64 */
#define SHORT_HASH 12

ews_status ews_client_new_for_schema(const char *schema_name, const char *bindings_hash, size_t options_size,
                                     const char *url, const ews_options *opt, ews_client **out)
{
	if (out)
		*out = NULL;
	if (!schema_name || !bindings_hash)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_client_new_for_schema: schema name or hash is NULL");
	if (strcmp(bindings_hash, EWS_SCHEMA_BINDINGS_HASH))
		return ews_status_make(EWS_ERR_SCHEMA_MISMATCH,
		                       "this program was compiled against the libews headers of schema '%.64s' (bindings "
		                       "%.*s), but the libews it runs with was built from schema '%s' (bindings %.*s): "
		                       "their structs differ; rebuild the program against this library's headers "
		                       "(pkg-config --cflags --libs %s) or run it with the library it was built for",
		                       schema_name, SHORT_HASH, bindings_hash, EWS_SCHEMA_NAME, SHORT_HASH,
		                       EWS_SCHEMA_BINDINGS_HASH, EWS_SCHEMA_PKG_NAME);
	if (options_size != sizeof(ews_options))
		return ews_status_make(EWS_ERR_SCHEMA_MISMATCH,
		                       "this program was compiled with an ews_options of %zu bytes, this libews has %zu: "
		                       "its headers come from another libews version; rebuild the program",
		                       options_size, sizeof(ews_options));
	return (ews_client_new)(url, opt, out);
}
