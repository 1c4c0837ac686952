/* ews_xml_depth.c — the element nesting depth of an XML text, measured before gSOAP parses it.
 *
 * gSOAP enforces soap->maxlevel only for elements it decodes; unknown elements (which EWS clients must skip) are
 * skipped without that check, so a hostile response could nest them arbitrarily deep. One linear pass here
 * bounds the depth of everything. */
#include <string.h>

#include "ews_internal.h"

/* Index just past the first occurrence of `end` at or after i, or len. */
static size_t skip_past(const char *s, size_t i, size_t len, const char *end)
{
	size_t n = strlen(end);
	for (; i + n <= len; i++)
		if (!memcmp(s + i, end, n))
			return i + n;
	return len;
}

int ews_xml_depth_exceeds(const char *s, size_t len, int max_depth)
{
	int depth = 0;
	size_t i = 0;

	while (i < len) {
		if (s[i] != '<') {
			i++;
			continue;
		}
		if (len - i >= 4 && !memcmp(s + i, "<!--", 4)) {
			i = skip_past(s, i + 4, len, "-->");
		} else if (len - i >= 9 && !memcmp(s + i, "<![CDATA[", 9)) {
			i = skip_past(s, i + 9, len, "]]>");
		} else if (len - i >= 2 && (s[i + 1] == '?' || s[i + 1] == '!')) {
			i = skip_past(s, i + 2, len, ">");
		} else if (len - i >= 2 && s[i + 1] == '/') {
			depth--;
			i = skip_past(s, i + 2, len, ">");
		} else {
			char quote = 0, prev = 0;
			for (i++; i < len; i++) {
				char ch = s[i];
				if (quote) {
					if (ch == quote)
						quote = 0;
				} else if (ch == '"' || ch == '\'') {
					quote = ch;
				} else if (ch == '>') {
					break;
				}
				prev = ch;
			}
			i++;
			if (prev != '/' && ++depth > max_depth)
				return 1;
		}
	}
	return 0;
}
