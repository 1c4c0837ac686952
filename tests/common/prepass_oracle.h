/* prepass_oracle.h — the pre-issue-13 passes over a response, kept as the oracle (see prepass_oracle.c). */
#ifndef EWS_TEST_PREPASS_ORACLE_H
#define EWS_TEST_PREPASS_ORACLE_H

#include <stddef.h>

/* What ews_xml_sanitize() did: rewrite buf[0..len) in place, return the new length. */
size_t oracle_xml_sanitize(char *buf, size_t len);
/* What ews_xml_depth_exceeds() did: 1 when elements in s[0..len) nest deeper than max_depth. */
int oracle_xml_depth_exceeds(const char *s, size_t len, int max_depth);
/* What ews_xml_mixed_content() did: offset of the first text before a start tag in the same parent, or -1. */
long oracle_xml_mixed_content(const char *s, size_t len);

#endif
