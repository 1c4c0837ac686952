/* ews/sanitize.h — repair what real EWS responses contain and gSOAP's parser mishandles, before parsing. */
#ifndef EWS_SANITIZE_H
#define EWS_SANITIZE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Rewrite an XML message in place, never growing it, so that gSOAP decodes it faithfully:
 *  - numeric character references to characters XML forbids (&#x0; &#x1A; lone surrogates, U+FFFE/FFFF, beyond
 *    U+10FFFF) become U+FFFD: gSOAP would cut a string at &#x0; and keep control bytes;
 *  - valid references >= U+0080 become raw UTF-8 (gSOAP keeps a stray ';' after references longer than 7 chars);
 *  - over-long references to ASCII characters are shortened to &#N; (same bug);
 *  - the SOAP envelope namespace written with https:// becomes http:// (gSOAP only knows the exact URI).
 * CDATA sections and comments are copied unchanged. buf must hold len + 1 bytes: the result is NUL-terminated.
 * Returns the new length (<= len). */
size_t ews_xml_sanitize(char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
