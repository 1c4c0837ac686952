/* schema_files.c — the project's wsdl/ files embedded in the ewsd binary at build time, so that an installed
 * ewsd serves GET /EWS/Services.wsdl, messages.xsd and types.xsd without the source tree. (The Makefile compiles
 * from the top directory, where the .incbin paths resolve; server objects are rebuilt when wsdl/ changes.) */
#include <stddef.h>
#include <strings.h>

#include "ewsd.h"

#define EMBED(sym, path) \
	__asm__(".section .rodata\n" \
		".global " #sym "_start\n" #sym "_start:\n" \
		".incbin \"" path "\"\n" \
		".global " #sym "_end\n" #sym "_end:\n" \
		".byte 0\n" \
		".previous\n")

EMBED(ewsd_services_wsdl, "wsdl/services.wsdl");
EMBED(ewsd_messages_xsd, "wsdl/messages.xsd");
EMBED(ewsd_types_xsd, "wsdl/types.xsd");

extern const char ewsd_services_wsdl_start[], ewsd_services_wsdl_end[];
extern const char ewsd_messages_xsd_start[], ewsd_messages_xsd_end[];
extern const char ewsd_types_xsd_start[], ewsd_types_xsd_end[];

const char *ewsd_schema_file(const char *name, size_t *len)
{
	if (!strcasecmp(name, "services.wsdl")) {
		*len = (size_t)(ewsd_services_wsdl_end - ewsd_services_wsdl_start);
		return ewsd_services_wsdl_start;
	}
	if (!strcasecmp(name, "messages.xsd")) {
		*len = (size_t)(ewsd_messages_xsd_end - ewsd_messages_xsd_start);
		return ewsd_messages_xsd_start;
	}
	if (!strcasecmp(name, "types.xsd")) {
		*len = (size_t)(ewsd_types_xsd_end - ewsd_types_xsd_start);
		return ewsd_types_xsd_start;
	}
	return NULL;
}
