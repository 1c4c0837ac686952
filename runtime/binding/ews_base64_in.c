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
 * Speed: a character at a time through soap_get() was a fifth of an export's client CPU (bench/README.md). Where
 * soap_get() would hand back the very bytes of its input buffer (no character pushed back, not in CDATA, an
 * alphabet character or white space: nothing it translates), they are read straight from soap->buf in a run,
 * four at a time where no white space interrupts; everything else ('=', '<', '&', other bytes, the buffer's end)
 * still goes through soap_get() and the checks below, one character at a time, so the values and the errors are
 * those of the character-at-a-time reading.
 *
 * Hand-written, part of the generated layer: names gSOAP's API only. */
#include <stdio.h>
#include <string.h>

#include "stdsoap2.h"

#include "ews/call.h"

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

/* For the run reader: 1 + the value of a base64 alphabet byte, RUN_SPACE for XML white space, 0 for any other byte
 * (it ends the run: soap_get() and the checks take it). */
#define RUN_SPACE 65
static const unsigned char run_class[256] = {
	['A'] = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
	['a'] = 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52,
	['0'] = 53, 54, 55, 56, 57, 58, 59, 60, 61, 62,
	['+'] = 63, ['/'] = 64,
	[' '] = RUN_SPACE, ['\t'] = RUN_SPACE, ['\r'] = RUN_SPACE, ['\n'] = RUN_SPACE,
};

/* The decoded value being built: gSOAP blocks of CHUNK bytes (b), or in place in the input (b NULL, see
 * in_place_start); the group of four characters in progress. */
struct b64_out {
	struct soap_blist *b;
	unsigned char *out;    /* where the next byte goes in the current block */
	size_t room;           /* bytes left in it */
	size_t total;
	unsigned long m;       /* the bits of the group read so far */
	int j;                 /* characters of the current group (0..3) */
};

/* Append bytes (1..3) of a completed group. 0, or the gSOAP error (SOAP_LENGTH past soap->maxlength, no memory):
 * the caller ends the block and returns NULL. */
static int emit(struct soap *soap, struct b64_out *o, const unsigned char *group, int bytes)
{
	if (soap->maxlength > 0 && o->total + (size_t)bytes > (size_t)soap->maxlength)
		return soap->error = SOAP_LENGTH;
	if (o->room >= (size_t)bytes) {          /* the common case: the block has room for the group */
		memcpy(o->out, group, (size_t)bytes);
		o->out += bytes, o->room -= (size_t)bytes, o->total += (size_t)bytes;
		return 0;
	}
	for (int k = 0; k < bytes; k++) {
		if (!o->room) {
			if (!(o->out = soap_push_block(soap, o->b, CHUNK)))
				return soap->error ? soap->error : (soap->error = SOAP_EOM);
			o->room = CHUNK;
		}
		*o->out++ = group[k];
		o->room--;
		o->total++;
	}
	return 0;
}

/* Read the run of alphabet and white-space bytes at soap->buf[soap->bufidx] (only when soap_get() would return
 * them unchanged: nothing pushed back, not in CDATA), up to the first other byte or the buffer's end. */
static int read_run(struct soap *soap, struct b64_out *o)
{
	const unsigned char *s = (const unsigned char *)soap->buf + soap->bufidx;
	const unsigned char *e = (const unsigned char *)soap->buf + soap->buflen;
	int err = 0;

	while (s < e) {
		unsigned t;
		if (o->j == 0) {
			/* whole groups without white space (the usual case), straight into the block while it has room
			 * and the value stays within soap->maxlength */
			size_t groups = o->room / 3;
			unsigned char *out = o->out;
			if (soap->maxlength > 0) {
				size_t left = (size_t)soap->maxlength > o->total ? ((size_t)soap->maxlength - o->total) / 3 : 0;
				groups = left < groups ? left : groups;
			}
			while (groups && e - s >= 4) {
				unsigned a = run_class[s[0]] - 1u, b = run_class[s[1]] - 1u, c = run_class[s[2]] - 1u,
				         d = run_class[s[3]] - 1u;
				if ((a | b | c | d) >= 64)   /* white space (64) or a byte that ends the run (~0) */
					break;
				out[0] = (unsigned char)(a << 2 | b >> 4);
				out[1] = (unsigned char)(b << 4 | c >> 2);
				out[2] = (unsigned char)(c << 6 | d);
				out += 3, s += 4, groups--;
			}
			o->room -= (size_t)(out - o->out);
			o->total += (size_t)(out - o->out);
			o->out = out;
			if (s >= e)
				break;
		}
		/* one character: white space, a group split by it, a full block, the length cap */
		if (!(t = run_class[*s]))
			break;
		s++;
		if (t == RUN_SPACE)
			continue;
		o->m = o->m << 6 | (unsigned long)(t - 1);
		if (++o->j < 4)
			continue;
		unsigned char group[3] = { (unsigned char)(o->m >> 16), (unsigned char)(o->m >> 8), (unsigned char)o->m };
		o->j = 0, o->m = 0;
		if ((err = emit(soap, o, group, 3)))
			break;
	}
	soap->bufidx = (size_t)(s - (const unsigned char *)soap->buf);
	return err;
}

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

/* The value's blocks, if any, given back (a failed value). */
static void drop(struct soap *soap, struct b64_out *o)
{
	if (o->b)
		soap_end_block(soap, o->b);
	o->b = NULL;
}

/* Where the value can be decoded in place (ews/call.h: ews_inplace): the place in the input buffer of the next
 * byte gSOAP will read, when the input is the writable buffer the driver registered; else NULL. Everything before
 * that place has been read already (into soap->buf, or it is the one character pushed back, soap->ahead), and
 * each group of four characters read yields at most three bytes: written from there on, the value never
 * overtakes the reading. Values decoded earlier end before it, so none is overwritten. */
static unsigned char *in_place_start(struct soap *soap)
{
	ews_inplace *ip = (ews_inplace *)soap_lookup_plugin(soap, EWS_INPLACE_PLUGIN);
	const char *at;

	if (!ip || !ip->begin || !soap->is || soap->is < ip->begin || soap->is > ip->end ||
	    soap->buflen < soap->bufidx || (size_t)(soap->is - ip->begin) < soap->buflen - soap->bufidx)
		return NULL;
	at = soap->is - (soap->buflen - soap->bufidx);
	ip->written = 1;   /* (from here on: the driver reads the body no more as it arrived) */
	return (unsigned char *)ip->begin + (at - ip->begin); /* the driver's buffer is writable */
}

/* Fail the element's decode: SOAP_TYPE (ewsd answers ErrorSchemaValidation), with a fault string that names the
 * element and says what is wrong (libews reports it as the status message). */
static unsigned char *refuse(struct soap *soap, struct b64_out *o, const char *why, soap_wchar c)
{
	char what[40] = "", msg[sizeof soap->tag + 200];

	drop(soap, o);
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
	struct b64_out o = { 0 };
	unsigned char *p;
	int pad = 0;           /* 0: in the data; 1: after "xx=", a second '=' must follow; 2: done, only space */

	if (n)
		*n = 0;
#ifdef WITH_DOM
	if ((soap->mode & SOAP_XML_DOM) && soap->dom)
		return soap_getbase64(soap, n, 0); /* deserializing into a DOM tree: gSOAP keeps the text itself */
#endif
	unsigned char *in_place = in_place_start(soap);
	if (in_place) {
		/* no block: the bytes go where their text was (room: the invariant above, not a count) */
		o.out = in_place;
		o.room = (size_t)-1 / 4;
	} else if (!(o.b = soap_alloc_block(soap))) {
		return NULL;
	}
	for (;;) {
		soap_wchar c;
		int v, bytes = 0;
		unsigned char group[3];

		if (!pad && !soap->ahead && !soap->cdata && read_run(soap, &o)) {
			drop(soap, &o);
			return NULL;
		}
		c = soap_get(soap);
		if (c < EWS_SOAP_AP)
			c &= 0x7FFFFFFF; /* a character or entity reference: the character it stands for */
		if (c == EWS_SOAP_TT || (int)c == EOF) {
			/* the end of the element (EOF: the end tag is missing, which soap_element_end_in reports) */
			if (pad == 1)
				return refuse(soap, &o, "the padding ends after one '=' (\"xx=\" needs a second)", 0);
			if (o.j)
				return refuse(soap, &o, o.j == 1 ? "the text ends with one character of a group of four" :
					      "the text ends inside a group of four characters without its '=' padding", 0);
			soap_unget(soap, c);
			break;
		}
		if (c == EWS_SOAP_LT)
			return refuse(soap, &o, "it holds a child element (a base64Binary value is text only)", 0);
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (pad == 2)
			return refuse(soap, &o, "text after the '=' padding", c);
		if (c == '=') {
			if (pad == 1) {
				pad = 2;
				continue;
			}
			if (o.j < 2)
				return refuse(soap, &o, "'=' where no padding can be (the group has fewer than two characters)", 0);
			if (o.j == 2 && (o.m & 0xF))
				return refuse(soap, &o, "nonzero bits after the last byte (not the canonical encoding)", 0);
			if (o.j == 3 && (o.m & 0x3))
				return refuse(soap, &o, "nonzero bits after the last byte (not the canonical encoding)", 0);
			if (o.j == 2)
				group[0] = (unsigned char)(o.m >> 4), bytes = 1, pad = 1;
			else
				group[0] = (unsigned char)(o.m >> 10), group[1] = (unsigned char)(o.m >> 2), bytes = 2, pad = 2;
			o.j = 0;
		} else if (pad == 1) {
			return refuse(soap, &o, "the padding ends after one '=' (\"xx=\" needs a second)", c);
		} else if ((v = alphabet_value(c)) < 0) {
			return refuse(soap, &o, "a character outside the base64 alphabet", c);
		} else {
			o.m = o.m << 6 | (unsigned long)v;
			if (++o.j < 4)
				continue;
			group[0] = (unsigned char)(o.m >> 16), group[1] = (unsigned char)(o.m >> 8), group[2] = (unsigned char)o.m;
			bytes = 3, o.j = 0, o.m = 0;
		}
		if (emit(soap, &o, group, bytes)) {
			drop(soap, &o);
			return NULL;
		}
	}
	if (o.total > (size_t)0x7FFFFFFF) {
		drop(soap, &o);
		soap->error = SOAP_LENGTH;
		return NULL;
	}
	/* an empty value is a zero-length value, not an absent one (as gSOAP's reader returns it) */
	if (in_place) {
		p = in_place;
	} else {
		soap_size_block(soap, o.b, CHUNK - o.room); /* the last block holds only what was written */
		p = o.total ? (unsigned char *)soap_save_block(soap, o.b, NULL, 0)
		            : (soap_end_block(soap, o.b), soap_malloc(soap, 1));
	}
	if (!p)
		return NULL;
	if (n)
		*n = (int)o.total;
	return p;
}
