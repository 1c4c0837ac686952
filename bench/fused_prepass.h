/* fused_prepass.h — EXPERIMENT (issue 13 lead): sanitize and depth check in one pass, see fused_prepass.c. */
#ifndef EWS_BENCH_FUSED_PREPASS_H
#define EWS_BENCH_FUSED_PREPASS_H

#include <stddef.h>

/* ews_xml_sanitize(buf, len) and ews_xml_depth_exceeds(result, max_depth) in one pass: returns the new length,
 * *too_deep = whether the nesting exceeds max_depth. */
size_t fused_sanitize_depth(char *buf, size_t len, int max_depth, int *too_deep);

#endif
