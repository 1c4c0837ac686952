/* ews_xml_dedup.h — repair of one defect in gSOAP's XML output; internal. */
#ifndef EWS_XML_DEDUP_H
#define EWS_XML_DEDUP_H

#include <stddef.h>

/* Drop the second and later occurrences of an attribute within one start tag, in place; returns the new length
 * (xml stays NUL-terminated). Why: a DOM element parsed from <E xmlns="urn:x"> keeps that declaration among its
 * attributes, and gSOAP's DOM writer declares the element's namespace again from the element itself, so the
 * output carries xmlns="urn:x" twice: not well-formed (a fault detail's ErrorCode, MessageXml, unknown item types
 * kept as DOM). The first occurrence is gSOAP's own declaration, from the canonical namespace table; it wins.
 * Works on gSOAP's output: attribute values are quoted and escaped, no comments, CDATA or DOCTYPE. */
size_t ews_xml_drop_duplicate_attributes(char *xml, size_t len);

#endif
