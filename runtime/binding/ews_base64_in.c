/* ews_base64_in.c — the text of an xs:base64Binary element, read strictly: every generated deserializer of such an
 * element (Content, Data, MimeContent's siblings, ConversationIndex, ...) reads through here
 * (generator/strict-base64.sh edits gSOAP's soap_in_xsd__base64Binary to call it).
 *
 * Why not gSOAP's soap_getbase64: it is lenient where leniency loses data without a word — it ends the value at
 * the first '=' and skips whatever follows ("QUJD=REVG" decodes as "ABC"), drops a lone trailing character ("Q"
 * decodes as nothing), ends at a quote or '>' the same way, and ignores nonzero bits after the last byte. And when
 * it does refuse a character (the reference page's "...D//2Q=="), the generated code that called it then peeks
 * for an MTOM xop:Include, which overwrites the SOAP_TYPE error with SOAP_NO_TAG: the enclosing element takes
 * that for the end of its content and the value is dropped, or a whole response message skipped, with success.
 *
 * Accepted: the base64 alphabet (RFC 4648 section 4) in groups of four, '=' padding only to complete the last group,
 * XML white space (space, tab, CR, LF) anywhere (Exchange breaks long values into lines), character references
 * (&#43; is '+'). Anything else fails the decode with SOAP_TYPE and a fault string naming the element. A child
 * element is refused too: EWS has no MTOM, and gSOAP would skip the element and the text after it.
 *
 * Hand-written, part of the generated layer: names gSOAP's API only. */
#include <stdio.h>
#include <string.h>

#include "stdsoap2.h"

/* also declared by the edit in the generated soapC file that calls it */
unsigned char *ews_soap_getbase64(struct soap *soap, int *n);

/* What gSOAP's soap_get() returns for markup instead of a character (stdsoap2.c keeps these private; the values
 * are those of every 2.8 release): '<' of a start tag, "</" of an end tag, '>', '"', '\''; below SOAP_AP, a character that came
 * from a reference, with the top bit set. */
#define EWS_SOAP_LT ((soap_wchar)(-2))
#define EWS_SOAP_TT ((soap_wchar)(-3))
#define EWS_SOAP_GT ((soap_wchar)(-4))
#define EWS_SOAP_QT ((soap_wchar)(-5))
#define EWS_SOAP_AP ((soap_wchar)(-6))

#define CHUNK 4096 /* bytes per gSOAP block; the blocks are joined into one value at the end */

static int alphabet_value(soap_wchar c)
{
	if (c >= 'A' && c <= 'Z')
		return (int)(c - 'A');
	if (c >= 'a' && c <= 'z')
		return (int)(c - 'a') + 26;
	if (c >= '0' && c <= '9')
		return (int)(c - '0') + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Fail the element's decode: SOAP_TYPE (ewsd answers ErrorSchemaValidation), with a fault string that names the
 * element and says what is wrong (libews reports it as the status message). */
static unsigned char *refuse(struct soap *soap, struct soap_blist *b, const char *why, soap_wchar c)
{
	char what[40] = "", msg[sizeof soap->tag + 200];

	soap_end_block(soap, b);
	if (c == EWS_SOAP_QT || c == EWS_SOAP_GT)
		c = c == EWS_SOAP_QT ? '"' : '>';
	if (c >= 0x21 && c < 0x7F)
		snprintf(what, sizeof what, ": '%c'", (int)c);
	else if (c > 0x7F)
		snprintf(what, sizeof what, ": byte 0x%02lX", (unsigned long)c & 0xFF); /* of a UTF-8 sequence */
	snprintf(msg, sizeof msg, "Validation constraint violation: the value of element '%s' is not base64: %s%s",
		 *soap->tag ? soap->tag : "?", why, what);
	soap_set_sender_error(soap, soap_strdup(soap, msg), NULL, SOAP_TYPE);
	return NULL;
}

unsigned char *ews_soap_getbase64(struct soap *soap, int *n)
{
	struct soap_blist *b;
	unsigned char *out = NULL, *p;
	size_t room = 0, total = 0;
	unsigned long m = 0;   /* the bits of the group read so far */
	int j = 0;             /* characters of the current group (0..3) */
	int pad = 0;           /* 0: in the data; 1: after "xx=", a second '=' must follow; 2: done, only space */

	if (n)
		*n = 0;
#ifdef WITH_DOM
	if ((soap->mode & SOAP_XML_DOM) && soap->dom)
		return soap_getbase64(soap, n, 0); /* deserializing into a DOM tree: gSOAP keeps the text itself */
#endif
	if (!(b = soap_alloc_block(soap)))
		return NULL;
	for (;;) {
		soap_wchar c = soap_get(soap);
		int v, bytes = 0;
		unsigned char group[3];

		if (c < EWS_SOAP_AP)
			c &= 0x7FFFFFFF; /* a character or entity reference: the character it stands for */
		if (c == EWS_SOAP_TT || (int)c == EOF) {
			/* the end of the element (EOF: the end tag is missing, which soap_element_end_in reports) */
			if (pad == 1)
				return refuse(soap, b, "the padding ends after one '=' (\"xx=\" needs a second)", 0);
			if (j)
				return refuse(soap, b, j == 1 ? "the text ends with one character of a group of four" :
					      "the text ends inside a group of four characters without its '=' padding", 0);
			soap_unget(soap, c);
			break;
		}
		if (c == EWS_SOAP_LT)
			return refuse(soap, b, "it holds a child element (a base64Binary value is text only)", 0);
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (pad == 2)
			return refuse(soap, b, "text after the '=' padding", c);
		if (c == '=') {
			if (pad == 1) {
				pad = 2;
				continue;
			}
			if (j < 2)
				return refuse(soap, b, "'=' where no padding can be (the group has fewer than two characters)", 0);
			if (j == 2 && (m & 0xF))
				return refuse(soap, b, "nonzero bits after the last byte (not the canonical encoding)", 0);
			if (j == 3 && (m & 0x3))
				return refuse(soap, b, "nonzero bits after the last byte (not the canonical encoding)", 0);
			if (j == 2)
				group[0] = (unsigned char)(m >> 4), bytes = 1, pad = 1;
			else
				group[0] = (unsigned char)(m >> 10), group[1] = (unsigned char)(m >> 2), bytes = 2, pad = 2;
			j = 0;
		} else if (pad == 1) {
			return refuse(soap, b, "the padding ends after one '=' (\"xx=\" needs a second)", c);
		} else if ((v = alphabet_value(c)) < 0) {
			return refuse(soap, b, "a character outside the base64 alphabet", c);
		} else {
			m = m << 6 | (unsigned long)v;
			if (++j < 4)
				continue;
			group[0] = (unsigned char)(m >> 16), group[1] = (unsigned char)(m >> 8), group[2] = (unsigned char)m;
			bytes = 3, j = 0, m = 0;
		}
		if (soap->maxlength > 0 && total + (size_t)bytes > (size_t)soap->maxlength) {
			soap_end_block(soap, b);
			soap->error = SOAP_LENGTH;
			return NULL;
		}
		for (int k = 0; k < bytes; k++) {
			if (!room) {
				if (!(out = soap_push_block(soap, b, CHUNK))) {
					soap_end_block(soap, b);
					return NULL;
				}
				room = CHUNK;
			}
			*out++ = group[k];
			room--;
			total++;
		}
	}
	if (total > (size_t)0x7FFFFFFF) {
		soap_end_block(soap, b);
		soap->error = SOAP_LENGTH;
		return NULL;
	}
	soap_size_block(soap, b, CHUNK - room); /* the last block holds only what was written */
	/* an empty value is a zero-length value, not an absent one (as gSOAP's reader returns it) */
	p = total ? (unsigned char *)soap_save_block(soap, b, NULL, 0) : (soap_end_block(soap, b), soap_malloc(soap, 1));
	if (!p)
		return NULL;
	if (n)
		*n = (int)total;
	return p;
}
