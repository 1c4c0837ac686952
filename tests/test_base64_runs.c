/* test_base64_runs.c — the strict base64 reader (runtime/binding/ews_base64_in.c) reads runs of plain alphabet and
 * white-space bytes straight from gSOAP's input buffer, and everything else ('=', references, CDATA, comments,
 * markup, other bytes, the buffer's end) one character at a time through soap_get(). These tests make the two ways
 * meet everywhere: long values (several of gSOAP's 64 KiB input buffers) with interruptions of every kind at random
 * places and at every alignment against the groups of four, which must decode byte for byte as the plain text does;
 * a bad character anywhere is still refused and named; the length cap still holds at the exact byte. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews/base64.h"
#include "ews/codec.h"
#include "ews/ews.h"
#include "ews/response.h"
#include "ews_test.h"
#include "ews_test_ews.h"

#define NS_M "http://schemas.microsoft.com/exchange/services/2006/messages"
#define NS_T "http://schemas.microsoft.com/exchange/services/2006/types"

static struct soap *ctx;
static unsigned int seed = 20261205;

static unsigned int rnd(unsigned int n)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 8) % n;
}

static void reset(void)
{
	ctx->header = NULL;
	soap_destroy(ctx);
	soap_end(ctx);
}

/* A GetAttachment response whose one FileAttachment has this Content text (as is); malloc'd. */
static char *response_with_content(const char *content)
{
	size_t n = strlen(content) + 2048;
	char *body = malloc(n), *env;
	snprintf(body, n,
	         "<m:GetAttachmentResponse xmlns:m=\"" NS_M "\" xmlns:t=\"" NS_T "\"><m:ResponseMessages>"
	         "<m:GetAttachmentResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode>"
	         "<m:Attachments><t:FileAttachment><t:AttachmentId Id=\"ATT1==\"/><t:Name>a.bin</t:Name>"
	         "<t:Content>%s</t:Content></t:FileAttachment></m:Attachments></m:GetAttachmentResponseMessage>"
	         "</m:ResponseMessages></m:GetAttachmentResponse>", content);
	env = ews_test_soap_envelope(ews_test_server_version_header, body);
	free(body);
	return env;
}

/* Decode the response; the Content's bytes (len) or NULL with the status in *st. */
static const unsigned char *decode_content(const char *content, int *len, ews_status *st)
{
	char *xml = response_with_content(content);
	ews_decoded_message m;
	ews_response_message r;
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs;
	const struct ewstype__ArrayOfAttachmentsType *a;
	const unsigned char *out = NULL;

	*len = -1;
	*st = ews_message_decode(ctx, xml, strlen(xml), &m);
	free(xml);
	if (ews_ok(*st) && (msgs = ews_response_messages_of("GetAttachment", m.body)) &&
	    !ews_response_messages_get(msgs, 0, &r) &&
	    (a = ((const struct ewsmsg__AttachmentInfoResponseMessageType *)r.message)->Attachments) &&
	    a->__size_ArrayOfAttachmentsType == 1 &&
	    a->__union_ArrayOfAttachmentsType[0].__union_ArrayOfAttachmentsType ==
	            SOAP_UNION__ewstype__union_ArrayOfAttachmentsType_FileAttachment) {
		const struct ewstype__FileAttachmentType *f =
			a->__union_ArrayOfAttachmentsType[0].union_ArrayOfAttachmentsType.FileAttachment;
		if (f->Content) {
			*len = f->Content->__size;
			out = f->Content->__ptr;
		}
	}
	return out;
}

static unsigned char *random_bytes(size_t n)
{
	unsigned char *d = malloc(n ? n : 1);
	for (size_t i = 0; i < n; i++)
		d[i] = (unsigned char)rnd(256);
	return d;
}

/* The text to put at a place inside the base64 text that does not change its value: white space, or markup that
 * soap_get() takes for nothing (a comment), or the next alphabet character written another way (a character
 * reference, CDATA): *consumed = how many characters of the plain text it stands for. */
static const char *interruption(char next, char *buf, size_t cap, int *consumed)
{
	*consumed = 0;
	if (next && !strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", next))
		next = 0;   /* only alphabet characters are written another way */
	switch (rnd(8)) {
	case 0: return " ";
	case 1: return "\r\n            ";
	case 2: return "\t";
	case 3: return "&#13;&#10;";
	case 4: return "<!-- a comment -->";
	case 5:
		if (!next)
			return "\n";
		snprintf(buf, cap, "&#%d;", next);
		*consumed = 1;
		return buf;
	case 6:
		if (!next)
			return " ";
		snprintf(buf, cap, "&#x%X;", next);
		*consumed = 1;
		return buf;
	default:
		if (!next)
			return "\n";
		snprintf(buf, cap, "<![CDATA[%c]]>", next);
		*consumed = 1;
		return buf;
	}
}

/* plain (the base64 text) with `cuts` interruptions at random places, and `lead` spaces first (which moves the
 * groups of four against the input buffer's boundaries); malloc'd. */
static char *interrupted(const char *plain, int cuts, int lead)
{
	size_t n = strlen(plain), cap = n + (size_t)cuts * 32 + (size_t)lead + 1, o = 0, i = 0;
	size_t *at = malloc(((size_t)cuts + 1) * sizeof *at);
	char *out = malloc(cap), tmp[32];

	for (int k = 0; k < cuts; k++)
		at[k] = rnd((unsigned)n + 1);
	for (int a = 1; a < cuts; a++)   /* sort the places */
		for (int b = a; b > 0 && at[b - 1] > at[b]; b--) {
			size_t t = at[b];
			at[b] = at[b - 1], at[b - 1] = t;
		}
	memset(out, ' ', (size_t)lead);
	o = (size_t)lead;
	for (int k = 0; k < cuts; k++) {
		int consumed;
		const char *s;
		if (at[k] < i)
			continue;   /* that character was written another way already */
		memcpy(out + o, plain + i, at[k] - i);
		o += at[k] - i;
		i = at[k];
		s = interruption(plain[i], tmp, sizeof tmp, &consumed);
		memcpy(out + o, s, strlen(s));
		o += strlen(s);
		i += (size_t)consumed;
	}
	memcpy(out + o, plain + i, n - i + 1);
	free(at);
	return out;
}

static void long_values_with_interruptions_anywhere_decode_byte_exact(void)
{
	/* around gSOAP's 64 KiB input buffer and its multiples, and the reader's 4 KiB output blocks */
	static const size_t sizes[] = { 1, 2, 3, 47, 4096, 49149, 49150, 49151, 98301, 98302, 150001 };
	static const int cuts[] = { 0, 1, 7, 300 };
	int bad = 0;

	for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
		for (size_t c = 0; c < sizeof cuts / sizeof *cuts; c++)
			for (int lead = 0; lead < 4; lead++) {
				unsigned char *data = random_bytes(sizes[s]);
				char *plain = NULL, *text;
				ews_status st;
				int len;
				CU_ASSERT_TRUE_FATAL(ews_ok(ews_base64_encode(data, sizes[s], &plain)));
				text = interrupted(plain, cuts[c], lead);
				const unsigned char *got = decode_content(text, &len, &st);
				if (!got || len != (int)sizes[s] || memcmp(got, data, sizes[s])) {
					if (bad++ < 5)
						fprintf(stderr, "\n    %zu bytes, %d interruptions, %d leading spaces: %s, %d bytes",
						        sizes[s], cuts[c], lead, ews_ok(st) ? "decoded" : st.message, len);
					CU_FAIL("a valid value did not decode byte for byte");
				}
				reset();
				free(text);
				free(plain);
				free(data);
			}
}

static void a_bad_character_anywhere_in_a_long_value_is_refused_and_named(void)
{
	static const char bad_chars[] = { '.', '-', '_', '!', '*', '~', '=' };
	int misses = 0;

	for (int round = 0; round < 80; round++) {
		size_t n = 60000 + rnd(80000);
		unsigned char *data = random_bytes(n);
		char *plain = NULL, *text;
		char c = bad_chars[rnd(sizeof bad_chars)];
		ews_status st;
		int len;
		CU_ASSERT_TRUE_FATAL(ews_ok(ews_base64_encode(data, n, &plain)));
		/* in the data, not in its last group (whose '=' would be padding) */
		size_t at = rnd((unsigned)strlen(plain) - 8);
		plain[at] = c;
		text = interrupted(plain, (int)rnd(40), (int)rnd(4));
		const unsigned char *got = decode_content(text, &len, &st);
		char want[8];
		snprintf(want, sizeof want, "'%c'", c);
		if (got || ews_ok(st) || !strstr(st.message, "not base64") || !strstr(st.message, "'t:Content'") ||
		    (c != '=' && !strstr(st.message, want))) {
			if (misses++ < 5)
				fprintf(stderr, "\n    '%c' at %zu of %zu: %s", c, at, strlen(plain),
				        ews_ok(st) ? "decoded" : st.message);
			CU_FAIL("a bad character was not refused");
		}
		reset();
		free(text);
		free(plain);
		free(data);
	}
}

static void padding_and_text_after_it_are_checked_at_the_end_of_a_long_run(void)
{
	static const char *const tails[][2] = {
		/* tail, "ok" or the refusal expected */
		{ "QQ==", "ok" }, { "QUI=", "ok" }, { "QQ==  \r\n", "ok" }, { "QUI= ", "ok" },
		{ "QQ=", "padding" }, { "QQ==QUJD", "after the '=' padding" }, { "QR==", "nonzero bits" },
		{ "Q", "one character of a group" }, { "QUI", "without its '=' padding" }, { "=", "no padding can be" },
	};
	unsigned char *data = random_bytes(70000);   /* 70000 = 3 * 23333 + 1: not whole groups, hence the tails */
	char *plain = NULL;

	CU_ASSERT_TRUE_FATAL(ews_ok(ews_base64_encode(data, 69999, &plain)));   /* whole groups */
	for (size_t t = 0; t < sizeof tails / sizeof *tails; t++) {
		size_t n = strlen(plain);
		char *text = malloc(n + 32);
		ews_status st;
		int len;
		memcpy(text, plain, n);
		strcpy(text + n, tails[t][0]);
		const unsigned char *got = decode_content(text, &len, &st);
		if (!strcmp(tails[t][1], "ok")) {
			size_t extra = tails[t][0][2] == '=' ? 1 : 2;   /* "QQ==": 'A'; "QUI=": "AB" */
			CU_ASSERT_TRUE(got && len == (int)(69999 + extra) && !memcmp(got, data, 69999) &&
			               !memcmp(got + 69999, "AB", extra));
		} else {
			CU_ASSERT_PTR_NULL(got);
			CU_ASSERT_FALSE(ews_ok(st));
			CU_ASSERT_PTR_NOT_NULL(strstr(st.message, tails[t][1]));
			if (ews_ok(st) || !strstr(st.message, tails[t][1]))
				fprintf(stderr, "\n    tail %s: %s", tails[t][0], ews_ok(st) ? "decoded" : st.message);
		}
		reset();
		free(text);
	}
	free(plain);
	free(data);
}

static void the_length_cap_holds_at_the_exact_byte_inside_a_run(void)
{
	long saved = ctx->maxlength;
	static const long caps[] = { 100, 101, 4095, 4096, 4097, 70000 };   /* (the response's other strings are shorter) */

	for (size_t k = 0; k < sizeof caps / sizeof *caps; k++)
		for (long d = -1; d <= 1; d++) {
			size_t n = (size_t)(caps[k] + d);
			unsigned char *data = random_bytes(n);
			char *plain = NULL, *text;
			ews_status st;
			int len;
			CU_ASSERT_TRUE_FATAL(ews_ok(ews_base64_encode(data, n, &plain)));
			text = interrupted(plain, d == 0 ? 3 : 0, 0);
			ctx->maxlength = caps[k];
			const unsigned char *got = decode_content(text, &len, &st);
			ctx->maxlength = saved;
			if (d <= 0) {
				CU_ASSERT_TRUE(got && len == (int)n && !memcmp(got, data, n));
			} else {
				CU_ASSERT_TRUE(!got && !ews_ok(st));
			}
			reset();
			free(text);
			free(plain);
			free(data);
		}
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "long values with white space, references, CDATA and comments anywhere decode byte-exact",
		  long_values_with_interruptions_anywhere_decode_byte_exact },
		{ "a bad character anywhere in a long value is refused and named",
		  a_bad_character_anywhere_in_a_long_value_is_refused_and_named },
		{ "the padding and text after it are checked at the end of a long run",
		  padding_and_text_after_it_are_checked_at_the_end_of_a_long_run },
		{ "the length cap holds at the exact byte inside a run", the_length_cap_holds_at_the_exact_byte_inside_a_run },
		{ NULL, NULL }
	};
	int rc;

	ctx = ews_codec_context_new();
	rc = ews_test_run("base64 runs", cases);
	ews_codec_context_free(ctx);
	return rc;
}
