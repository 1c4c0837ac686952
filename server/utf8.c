/* utf8.c — incremental UTF-8 validation of request bodies. gSOAP passes invalid bytes through in text
 * (SOAP_C_UTFSTRING) and trips over them elsewhere with an unrelated error ("ended unexpectedly"); Exchange
 * refuses such a request as not well-formed. The body is checked as it is received, across read boundaries. */
#include "ewsd.h"

size_t ewsd_utf8_feed(struct ewsd_utf8 *u, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char b = p[i];
		if (u->bad)
			return i;
		if (u->need) {
			if (b < u->lo || b > u->hi) {
				u->bad = 1;
				u->bad_byte = b;
				u->bad_offset = u->offset + (long long)i;
				return i;
			}
			u->lo = 0x80, u->hi = 0xBF;
			u->need--;
			continue;
		}
		if (b < 0x80)
			continue;
		/* the first continuation byte's range excludes overlong forms, surrogates and code points > U+10FFFF */
		if (b >= 0xC2 && b <= 0xDF)
			u->need = 1, u->lo = 0x80, u->hi = 0xBF;
		else if (b == 0xE0)
			u->need = 2, u->lo = 0xA0, u->hi = 0xBF;
		else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF)
			u->need = 2, u->lo = 0x80, u->hi = 0xBF;
		else if (b == 0xED)
			u->need = 2, u->lo = 0x80, u->hi = 0x9F;
		else if (b == 0xF0)
			u->need = 3, u->lo = 0x90, u->hi = 0xBF;
		else if (b >= 0xF1 && b <= 0xF3)
			u->need = 3, u->lo = 0x80, u->hi = 0xBF;
		else if (b == 0xF4)
			u->need = 3, u->lo = 0x80, u->hi = 0x8F;
		else {
			u->bad = 1;
			u->bad_byte = b;
			u->bad_offset = u->offset + (long long)i;
			return i;
		}
	}
	u->offset += (long long)n;
	return n;
}
