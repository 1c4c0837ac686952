/* prepass_before.c — the "before" of issue 13's lead "one pass for sanitizing and depth", end to end: the API of
 * runtime/core/ews_xml_prepass.c implemented by the three whole-body passes libews ran until then
 * (tests/common/prepass_oracle.c). Linked ahead of libews.a into build/bench-before/ (make bench-before), it
 * replaces the one pass in otherwise identical clients, so `BENCH_BEFORE=1 make bench` compares the two in one run. */
#include "ews/sanitize.h"
#include "ews_internal.h"
#include "prepass_oracle.h"

size_t ews_xml_sanitize(char *buf, size_t len)
{
	return oracle_xml_sanitize(buf, len);
}

void ews_xml_markup(const char *s, size_t len, int max_depth, ews_xml_prepass_result *r)
{
	r->too_deep = oracle_xml_depth_exceeds(s, len, max_depth);
	r->deep_at = r->too_deep ? 0 : -1;
	r->mixed_at = oracle_xml_mixed_content(s, len);
	r->malformed_at = -1; /* the old passes had no such check */
}

size_t ews_xml_prepass(char *buf, size_t len, int max_depth, ews_xml_prepass_result *r)
{
	len = oracle_xml_sanitize(buf, len);
	ews_xml_markup(buf, len, max_depth, r);
	return len;
}
