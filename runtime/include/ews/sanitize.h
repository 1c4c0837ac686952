/* ews/sanitize.h — make real-world EWS XML safe for gSOAP's parser before decoding. */
#ifndef EWS_SANITIZE_H
#define EWS_SANITIZE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Rewrite buf[0..len) in place and return the new length (never larger; line breaks are kept, so line numbers
 * of later errors still match the input):
 *  - numeric character references to code points XML forbids (&#x0;, &#x1A;, surrogates, FFFE/FFFF, > 10FFFF)
 *    become U+FFFD. Exchange emits them inside item text; gSOAP would cut the string at &#x0; and keep 0x1A.
 *  - valid references >= U+0080 become raw UTF-8 (gSOAP 2.8.124 keeps a stray ';' after long references);
 *    long references to ASCII characters ("&#x0003C;") are shortened ("&#60;") for the same reason.
 *  - an https:// SOAP envelope namespace (seen in reference pages) becomes http://, the only form gSOAP knows.
 * Comments and CDATA sections are left alone. The function cannot fail. */
size_t ews_xml_sanitize(char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
