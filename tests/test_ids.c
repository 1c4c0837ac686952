/* test_ids.c — the id formats: verified real samples, round trips, RLE, the public-folder fix, hostile input. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/base64.h"
#include "ews/ids.h"
#include "ews_test.h"

/* [DEVHIDE] a real item EwsId; the notes decode it (VERIFIED) and compare with the HexEntryId Exchange returned. */
static const char devhide_ews_id[] =
	"AAMkADI2ZGIwY2FlLTA1NDQtNGFhYi1hNDJmLWEyMGJhZWU5NmM2YgBGAAAAAACrxyqss0H/T5iGuqwSXncoBwB1kc8DNbIxRK3H/"
	"NcbpuL8AAAAAAENAAB1kc8DNbIxRK3H/NcbpuL8AAJ2Kv4fAAA=";
static const char devhide_guid[] = "26db0cae-0544-4aab-a42f-a20baee96c6b";
/* The HexEntryId prefix as printed in the notes (Exchange's answer), and the full 70 bytes as decoded by an
 * independent decoder (Python's base64 module). */
static const char devhide_hex_prefix[] = "00000000ABC72AACB341FF4F9886BAAC125E772807007591CF03";
static const char devhide_hex[] =
	"00000000ABC72AACB341FF4F9886BAAC125E772807007591CF0335B23144ADC7FCD71BA6E2FC00000000010D00007591CF0335B2"
	"3144ADC7FCD71BA6E2FC0002762AFE1F0000";
static const char devhide_entry_b64[] =
	"AAAAAKvHKqyzQf9PmIa6rBJedygHAHWRzwM1sjFErcf81xum4vwAAAAAAQ0AAHWRzwM1sjFErcf81xum4vwAAnYq/h8AAA==";
/* [MICHEV] a real folder StoreId. */
static const char michev_store_id[] = "LgAAAAChKSJAhlnUTIHtKSso30ThAQBIPfDMxyP/RYhY8M8xmAPVAAS8XYoAAAAB";
static const char michev_hex[] =
	"00000000A12922408659D44C81ED292B28DF44E10100483DF0CCC723FF458858F0CF319803D50004BC5D8A000000";

static unsigned char *from_hex(const char *hex, size_t *len)
{
	ews_id *id = NULL;
	unsigned char *b;
	ews_status st = ews_id_parse(hex, EWS_ID_HEX_ENTRY_ID, &id);
	CU_ASSERT_FATAL(ews_ok(st));
	b = id->entry_id;
	*len = id->entry_id_len;
	id->entry_id = NULL;
	ews_id_free(id);
	return b;
}

static void expect_format_error(const char *text, ews_id_format from, const char *needle)
{
	ews_id *id = (ews_id *)1;
	ews_status st = ews_id_parse(text, from, &id);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_FORMAT);
	CU_ASSERT_PTR_NULL(id);
	CU_ASSERT_NOT_EQUAL(st.message[0], '\0');
	if (needle && !strstr(st.message, needle)) {
		fprintf(stderr, "\n  message \"%s\" lacks \"%s\"\n", st.message, needle);
		CU_FAIL("error message does not say why");
	}
	ews_id_free(st.code == EWS_OK ? id : NULL);
}

static char *b64(const unsigned char *data, size_t len)
{
	char *s = NULL;
	CU_ASSERT_FATAL(ews_ok(ews_base64_encode(data, len, &s)));
	return s;
}

/* ---- names ---- */

static void format_names_are_the_exact_ews_names(void)
{
	static const char *names[] = { "EwsLegacyId", "EwsId", "EntryId", "HexEntryId", "StoreId", "OwaId" };
	ews_id_format f;

	for (int i = 0; i < 6; i++) {
		CU_ASSERT_STRING_EQUAL(ews_id_format_name((ews_id_format)i), names[i]);
		CU_ASSERT_TRUE(ews_ok(ews_id_format_from_name(names[i], &f)));
		CU_ASSERT_EQUAL((int)f, i);
	}
	CU_ASSERT_EQUAL(EWS_ID_OWA_ID, 5); /* IdFormat numbering of the Managed API */
	CU_ASSERT_PTR_NULL(ews_id_format_name((ews_id_format)6));
	CU_ASSERT_EQUAL(ews_id_format_from_name("ewsid", &f).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_id_format_from_name("EwsId ", &f).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_id_format_from_name(NULL, &f).code, EWS_ERR_ARGUMENT);
}

/* ---- base64 ---- */

static void base64_follows_rfc4648_and_rejects_garbage(void)
{
	static const char *plain[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *enc[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };
	unsigned char *out;
	size_t n;
	char *s;

	for (int i = 0; i < 7; i++) {
		CU_ASSERT_TRUE(ews_ok(ews_base64_encode((const unsigned char *)plain[i], strlen(plain[i]), &s)));
		CU_ASSERT_STRING_EQUAL(s, enc[i]);
		free(s);
		CU_ASSERT_TRUE(ews_ok(ews_base64_decode(enc[i], 0, &out, &n)));
		CU_ASSERT_EQUAL(n, strlen(plain[i]));
		CU_ASSERT_EQUAL(memcmp(out, plain[i], n), 0);
		free(out);
	}
	/* whitespace ignored, padding optional, URL-safe alphabet accepted */
	CU_ASSERT_TRUE(ews_ok(ews_base64_decode(" Zm9v\r\nYmE= \t", 0, &out, &n)));
	CU_ASSERT_EQUAL(n, 5);
	CU_ASSERT_EQUAL(memcmp(out, "fooba", 5), 0);
	free(out);
	CU_ASSERT_TRUE(ews_ok(ews_base64_decode("Zm9vYmE", 0, &out, &n)));
	CU_ASSERT_EQUAL(n, 5);
	free(out);
	CU_ASSERT_TRUE(ews_ok(ews_base64_decode("-_-_", 0, &out, &n)));
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_EQUAL(out[0], 0xFB);
	CU_ASSERT_EQUAL(out[1], 0xFF);
	CU_ASSERT_EQUAL(out[2], 0xBF);
	free(out);
	/* garbage */
	CU_ASSERT_EQUAL(ews_base64_decode("Zm9v!", 0, &out, &n).code, EWS_ERR_FORMAT);
	CU_ASSERT_PTR_NULL(out);
	CU_ASSERT_EQUAL(ews_base64_decode("Zm=9v", 0, &out, &n).code, EWS_ERR_FORMAT);
	CU_ASSERT_EQUAL(ews_base64_decode("Zm9vY", 0, &out, &n).code, EWS_ERR_FORMAT);
	CU_ASSERT_EQUAL(ews_base64_decode("Zg===", 0, &out, &n).code, EWS_ERR_FORMAT);
	CU_ASSERT_EQUAL(ews_base64_decode("Zm9=", 0, &out, &n).code, EWS_ERR_FORMAT); /* non-zero unused bits */
	CU_ASSERT_EQUAL(ews_base64_decode("Zm8", 0, &out, &n).code, EWS_OK);
	free(out);
	CU_ASSERT_EQUAL(ews_base64_decode("Zm9vYmFy", 5, &out, &n).code, EWS_ERR_TOO_LARGE);
	CU_ASSERT_EQUAL(ews_base64_decode(NULL, 0, &out, &n).code, EWS_ERR_ARGUMENT);
}

/* ---- the verified samples ---- */

static void devhide_ews_id_decodes_to_the_hex_entry_id(void)
{
	ews_id *id = NULL;
	unsigned char *want;
	size_t want_len;
	char *hex = NULL;

	CU_ASSERT_EQUAL(strlen(devhide_ews_id), 152);
	CU_ASSERT_FATAL(ews_ok(ews_id_parse(devhide_ews_id, EWS_ID_EWS_ID, &id)));
	CU_ASSERT_EQUAL(id->source_format, EWS_ID_EWS_ID);
	CU_ASSERT_EQUAL(id->compressed, 0);
	CU_ASSERT_EQUAL(id->storage, EWS_ID_STORAGE_GUID_MAILBOX);
	CU_ASSERT_STRING_EQUAL(id->moniker, devhide_guid);
	CU_ASSERT_EQUAL(id->instruction, EWS_ID_INSTR_NORMAL);
	CU_ASSERT_EQUAL(id->object_type, -1);
	CU_ASSERT_PTR_NULL(id->folder_entry_id);
	CU_ASSERT_EQUAL(id->entry_id_len, 70);
	CU_ASSERT_EQUAL(id->kind, EWS_ENTRY_PRIVATE_MESSAGE);
	CU_ASSERT_TRUE(id->is_message);
	CU_ASSERT_FALSE(id->is_folder);
	CU_ASSERT_FALSE(id->is_public);
	want = from_hex(devhide_hex, &want_len);
	CU_ASSERT_EQUAL_FATAL(want_len, 70);
	CU_ASSERT_EQUAL(memcmp(id->entry_id, want, 70), 0);
	/* folder global counter as the notes observed it */
	CU_ASSERT_EQUAL(memcmp(id->entry_id + 38, "\0\0\0\0\x01\x0d", 6), 0);
	CU_ASSERT_TRUE(ews_ok(ews_id_write(id, EWS_ID_HEX_ENTRY_ID, NULL, &hex)));
	CU_ASSERT_STRING_EQUAL(hex, devhide_hex);
	CU_ASSERT_EQUAL(strncmp(hex, devhide_hex_prefix, strlen(devhide_hex_prefix)), 0);
	free(hex);
	free(want);
	ews_id_free(id);
}

static void michev_store_id_is_a_folder_with_trailing_01(void)
{
	static const unsigned char gc[6] = { 0x00, 0x04, 0xBC, 0x5D, 0x8A, 0x00 };
	unsigned char *raw;
	size_t n;
	ews_id *id = NULL;
	char *s = NULL;

	CU_ASSERT_FATAL(ews_ok(ews_base64_decode(michev_store_id, 0, &raw, &n)));
	CU_ASSERT_EQUAL(n, 48);
	CU_ASSERT_EQUAL(raw[0], 46);
	CU_ASSERT_EQUAL(raw[47], 0x01);
	free(raw);
	CU_ASSERT_FATAL(ews_ok(ews_id_parse(michev_store_id, EWS_ID_STORE_ID, &id)));
	CU_ASSERT_EQUAL(id->entry_id_len, 46);
	CU_ASSERT_EQUAL(id->kind, EWS_ENTRY_PRIVATE_FOLDER);
	CU_ASSERT_TRUE(id->is_folder);
	CU_ASSERT_FALSE(id->is_public);
	CU_ASSERT_EQUAL(id->object_type, 0x01);
	CU_ASSERT_EQUAL(id->storage, EWS_ID_STORAGE_NONE);
	CU_ASSERT_PTR_NULL(id->moniker);
	CU_ASSERT_EQUAL(memcmp(id->entry_id + 38, gc, 6), 0);
	CU_ASSERT_TRUE(ews_ok(ews_id_write(id, EWS_ID_HEX_ENTRY_ID, NULL, &s)));
	CU_ASSERT_STRING_EQUAL(s, michev_hex);
	free(s);
	CU_ASSERT_TRUE(ews_ok(ews_id_write(id, EWS_ID_STORE_ID, NULL, &s)));
	CU_ASSERT_STRING_EQUAL(s, michev_store_id);
	free(s);
	ews_id_free(id);
}

/* ---- round trips ---- */

static void ews_id_entry_id_hex_store_owa_round_trip(void)
{
	char *entry = NULL, *hex = NULL, *store = NULL, *owa = NULL, *back = NULL;
	ews_id *id = NULL;

	CU_ASSERT_TRUE(ews_ok(ews_id_convert(devhide_ews_id, EWS_ID_EWS_ID, EWS_ID_ENTRY_ID, NULL, &entry)));
	CU_ASSERT_STRING_EQUAL(entry, devhide_entry_b64);
	CU_ASSERT_TRUE(ews_ok(ews_id_convert(entry, EWS_ID_ENTRY_ID, EWS_ID_HEX_ENTRY_ID, NULL, &hex)));
	CU_ASSERT_STRING_EQUAL(hex, devhide_hex);
	CU_ASSERT_TRUE(ews_ok(ews_id_convert(hex, EWS_ID_HEX_ENTRY_ID, EWS_ID_STORE_ID, NULL, &store)));
	/* 0x46 length byte, the ENTRYID, and the message object type 0x09 */
	CU_ASSERT_STRING_EQUAL(store, "RgAAAACrxyqss0H/T5iGuqwSXncoBwB1kc8DNbIxRK3H/NcbpuL8AAAAAAENAAB1kc8DNbIxRK3H/"
	                              "NcbpuL8AAJ2Kv4fAAAJ");
	CU_ASSERT_TRUE(ews_ok(ews_id_convert(store, EWS_ID_STORE_ID, EWS_ID_OWA_ID, NULL, &owa)));
	CU_ASSERT_STRING_EQUAL(owa, "RgAAAACrxyqss0H%2FT5iGuqwSXncoBwB1kc8DNbIxRK3H%2FNcbpuL8AAAAAAENAAB1kc8DNbIxRK3H%2F"
	                            "NcbpuL8AAJ2Kv4fAAAJ");
	CU_ASSERT_TRUE(ews_ok(ews_id_parse(owa, EWS_ID_OWA_ID, &id)));
	CU_ASSERT_EQUAL(id->object_type, EWS_STORE_OBJECT_MESSAGE);
	CU_ASSERT_EQUAL(id->kind, EWS_ENTRY_PRIVATE_MESSAGE);
	ews_id_free(id);
	/* back to an EwsId: needs the mailbox GUID, upper case given, lower case written like Exchange */
	CU_ASSERT_TRUE(ews_ok(ews_id_convert(owa, EWS_ID_OWA_ID, EWS_ID_EWS_ID, "26DB0CAE-0544-4AAB-A42F-A20BAEE96C6B",
	                                     &back)));
	CU_ASSERT_STRING_EQUAL(back, devhide_ews_id);
	free(back);
	/* lower-case hex and the URL-safe base64 alphabet are read too */
	{
		char lower[sizeof devhide_hex];
		for (size_t i = 0; i < sizeof lower; i++)
			lower[i] = (char)(devhide_hex[i] >= 'A' && devhide_hex[i] <= 'F' ? devhide_hex[i] + 32 : devhide_hex[i]);
		CU_ASSERT_TRUE(ews_ok(ews_id_convert(lower, EWS_ID_HEX_ENTRY_ID, EWS_ID_EWS_ID, devhide_guid, &back)));
		CU_ASSERT_STRING_EQUAL(back, devhide_ews_id);
		free(back);
	}
	CU_ASSERT_TRUE(ews_ok(ews_id_convert("RgAAAACrxyqss0H_T5iGuqwSXncoBwB1kc8DNbIxRK3H_NcbpuL8AAAAAAENAAB1kc8DNbIxRK3H_"
	                                     "NcbpuL8AAJ2Kv4fAAAJ", EWS_ID_OWA_ID, EWS_ID_HEX_ENTRY_ID, NULL, &back)));
	CU_ASSERT_STRING_EQUAL(back, devhide_hex);
	free(back);
	/* a StoreId's object type survives a StoreId -> StoreId rewrite (contact 0x11 stays 0x11) */
	store[strlen(store) - 1] = 'R';
	CU_ASSERT_TRUE(ews_ok(ews_id_convert(store, EWS_ID_STORE_ID, EWS_ID_STORE_ID, NULL, &back)));
	CU_ASSERT_STRING_EQUAL(back, store);
	free(back);
	free(entry);
	free(hex);
	free(store);
	free(owa);
}

static void converting_to_ews_id_without_the_guid_says_what_is_missing(void)
{
	char *out = (char *)1;
	ews_status st = ews_id_convert(devhide_entry_b64, EWS_ID_ENTRY_ID, EWS_ID_EWS_ID, NULL, &out);

	CU_ASSERT_EQUAL(st.code, EWS_ERR_UNSUPPORTED);
	CU_ASSERT_PTR_NULL(out);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "mailbox GUID"));
	st = ews_id_convert(devhide_entry_b64, EWS_ID_ENTRY_ID, EWS_ID_EWS_ID, "user1@example.com", &out);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_UNSUPPORTED);
	st = ews_id_convert(devhide_entry_b64, EWS_ID_ENTRY_ID, EWS_ID_EWS_LEGACY_ID, NULL, &out);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_UNSUPPORTED);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "SMTP address"));
	st = ews_id_convert(devhide_ews_id, EWS_ID_EWS_ID, EWS_ID_EWS_LEGACY_ID, NULL, &out);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_UNSUPPORTED); /* a GUID moniker is not an SMTP address */
	st = ews_id_convert(devhide_entry_b64, EWS_ID_ENTRY_ID, EWS_ID_EWS_ID, "not a mailbox", &out);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_ARGUMENT);
	CU_ASSERT_PTR_NULL(out);
	/* a 10-byte ENTRYID is neither folder nor message: a StoreId would need a type byte we cannot know */
	st = ews_id_convert("00000000000000000001", EWS_ID_HEX_ENTRY_ID, EWS_ID_STORE_ID, NULL, &out);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_UNSUPPORTED);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "object type"));
	/* ... but EntryId/HexEntryId carry it opaquely */
	CU_ASSERT_TRUE(ews_ok(ews_id_convert("00000000000000000001", EWS_ID_HEX_ENTRY_ID, EWS_ID_ENTRY_ID, NULL, &out)));
	CU_ASSERT_STRING_EQUAL(out, "AAAAAAAAAAAAAQ==");
	free(out);
}

/* ---- RLE ---- */

static void rle_compressed_ews_id_decodes(void)
{
	/* Built independently: payload = storage 3, GUID 00000000-0000-0000-0000-000000000001, Normal, and a folder
	 * ENTRYID with provider 11..11, database GUID zero, counter 1; RLE per MS-OXCEXT 3.1.4.5. */
	static const char aq[] = "AQMkADAwBi0wMAItMDACLTAwAi0wMAkxAC4AAAMREQ4BAAAUAQAAAA==";
	static const char aa[] = "AAMkADAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMQAuAAAAAAARERERERERERERERERERER"
	                         "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAABAAA=";
	static const char entry_hex[] = "000000001111111111111111111111111111111101000000000000000000000000000000000000"
	                                "00000000010000";
	ews_id *a = NULL, *b = NULL;
	unsigned char *raw, *packed;
	size_t raw_len, packed_len;
	char *s = NULL;

	CU_ASSERT_FATAL(ews_ok(ews_id_parse(aq, EWS_ID_EWS_ID, &a)));
	CU_ASSERT_FATAL(ews_ok(ews_id_parse(aa, EWS_ID_EWS_ID, &b)));
	CU_ASSERT_EQUAL(a->compressed, 1);
	CU_ASSERT_EQUAL(b->compressed, 0);
	CU_ASSERT_STRING_EQUAL(a->moniker, "00000000-0000-0000-0000-000000000001");
	CU_ASSERT_EQUAL(a->kind, EWS_ENTRY_PRIVATE_FOLDER);
	CU_ASSERT_EQUAL_FATAL(a->entry_id_len, b->entry_id_len);
	CU_ASSERT_EQUAL(memcmp(a->entry_id, b->entry_id, a->entry_id_len), 0);
	CU_ASSERT_TRUE(ews_ok(ews_id_write(a, EWS_ID_HEX_ENTRY_ID, NULL, &s)));
	CU_ASSERT_STRING_EQUAL(s, entry_hex);
	free(s);
	/* written uncompressed, as Exchange does */
	CU_ASSERT_TRUE(ews_ok(ews_id_write(a, EWS_ID_EWS_ID, NULL, &s)));
	CU_ASSERT_STRING_EQUAL(s, aa);
	free(s);
	/* and the encoder reproduces the compressed bytes */
	CU_ASSERT_FATAL(ews_ok(ews_base64_decode(aa, 0, &raw, &raw_len)));
	CU_ASSERT_TRUE(ews_ok(ews_id_rle_compress(raw + 1, raw_len - 1, &packed, &packed_len)));
	raw[0] = 1;
	memcpy(raw + 1, packed, packed_len);
	s = b64(raw, packed_len + 1);
	CU_ASSERT_STRING_EQUAL(s, aq);
	free(s);
	free(packed);
	free(raw);
	ews_id_free(a);
	ews_id_free(b);
}

static void rle_runs_split_and_bounds_hold(void)
{
	static const unsigned char small[] = { 0x41, 0x41, 0x41, 0x42, 0x43, 0x43 };
	static const unsigned char small_rle[] = { 0x41, 0x41, 0x01, 0x42, 0x43, 0x43, 0x00 };
	unsigned char big[600], *c, *d;
	size_t cn, dn;

	CU_ASSERT_TRUE(ews_ok(ews_id_rle_compress(small, sizeof small, &c, &cn)));
	CU_ASSERT_EQUAL(cn, sizeof small_rle);
	CU_ASSERT_EQUAL(memcmp(c, small_rle, cn), 0);
	free(c);
	/* 300 x 0x00 then 0x07: 257 + 43 */
	memset(big, 0, 300);
	big[300] = 7;
	CU_ASSERT_TRUE(ews_ok(ews_id_rle_compress(big, 301, &c, &cn)));
	CU_ASSERT_EQUAL(cn, 7);
	CU_ASSERT_EQUAL(c[2], 255);
	CU_ASSERT_EQUAL(c[5], 41);
	CU_ASSERT_EQUAL(c[6], 7);
	CU_ASSERT_TRUE(ews_ok(ews_id_rle_decompress(c, cn, 0, &d, &dn)));
	CU_ASSERT_EQUAL(dn, 301);
	CU_ASSERT_EQUAL(memcmp(d, big, 301), 0);
	free(d);
	/* over the bound */
	CU_ASSERT_EQUAL(ews_id_rle_decompress(c, cn, 300, &d, &dn).code, EWS_ERR_TOO_LARGE);
	CU_ASSERT_PTR_NULL(d);
	free(c);
	/* a run marker without its count */
	CU_ASSERT_EQUAL(ews_id_rle_decompress(small, 2, 0, &d, &dn).code, EWS_ERR_FORMAT);
}

/* ---- EwsLegacyId ---- */

static void ews_legacy_id_carries_the_smtp_moniker(void)
{
	static const char legacy[] = "AAARAHVzZXIxQGV4YW1wbGUuY29tAEYAAAAAAKvHKqyzQf9PmIa6rBJedygHAHWRzwM1sjFErcf81xum4vwA"
	                             "AAAAAQ0AAHWRzwM1sjFErcf81xum4vwAAnYq/h8AAA==";
	char *s = NULL;
	ews_id *id = NULL;

	CU_ASSERT_TRUE(ews_ok(ews_id_convert(devhide_ews_id, EWS_ID_EWS_ID, EWS_ID_EWS_LEGACY_ID, "user1@example.com",
	                                     &s)));
	CU_ASSERT_STRING_EQUAL(s, legacy);
	CU_ASSERT_EQUAL(strncmp(s, "AAA", 3), 0);
	free(s);
	CU_ASSERT_FATAL(ews_ok(ews_id_parse(legacy, EWS_ID_EWS_LEGACY_ID, &id)));
	CU_ASSERT_EQUAL(id->storage, EWS_ID_STORAGE_SMTP_MAILBOX);
	CU_ASSERT_STRING_EQUAL(id->moniker, "user1@example.com");
	CU_ASSERT_EQUAL(id->instruction, EWS_ID_INSTR_NORMAL);
	CU_ASSERT_EQUAL(id->kind, EWS_ENTRY_PRIVATE_MESSAGE);
	/* the SMTP moniker is reused when no mailbox is given; EwsId still needs the GUID */
	CU_ASSERT_TRUE(ews_ok(ews_id_write(id, EWS_ID_EWS_LEGACY_ID, NULL, &s)));
	CU_ASSERT_STRING_EQUAL(s, legacy);
	free(s);
	CU_ASSERT_EQUAL(ews_id_write(id, EWS_ID_EWS_ID, NULL, &s).code, EWS_ERR_UNSUPPORTED);
	CU_ASSERT_TRUE(ews_ok(ews_id_write(id, EWS_ID_EWS_ID, devhide_guid, &s)));
	CU_ASSERT_STRING_EQUAL(s, devhide_ews_id);
	free(s);
	ews_id_free(id);
}

/* ---- public folders ---- */

static void public_folder_fix_turns_type_7_into_9(void)
{
	static const char fixed_b64[] =
		"AAAAABpEc5CqZhHNm8gAqgAvxFoJAHWRzwM1sjFErcf81xum4vwAAAAAAQ0AAHWRzwM1sjFErcf81xum4vwAAnYq/h8AAA==";
	static const char fixed_hex[] =
		"000000001A447390AA6611CD9BC800AA002FC45A09007591CF0335B23144ADC7FCD71BA6E2FC00000000010D00007591CF0335B2"
		"3144ADC7FCD71BA6E2FC0002762AFE1F0000";
	static const char store[] =
		"RgAAAACrxyqss0H/T5iGuqwSXncoBwB1kc8DNbIxRK3H/NcbpuL8AAAAAAENAAB1kc8DNbIxRK3H/NcbpuL8AAJ2Kv4fAAAJ";
	static const char fixed_store[] =
		"RgAAAAAaRHOQqmYRzZvIAKoAL8RaCQB1kc8DNbIxRK3H/NcbpuL8AAAAAAENAAB1kc8DNbIxRK3H/NcbpuL8AAJ2Kv4fAAAJ";
	char *out = NULL;
	int changed = -1;
	ews_status st;
	ews_id *id = NULL;

	st = ews_id_fix_public_folder_entry_id(devhide_entry_b64, EWS_ID_ENTRY_ID, &out, &changed);
	CU_ASSERT_TRUE(ews_ok(st));
	CU_ASSERT_EQUAL(changed, 1);
	CU_ASSERT_STRING_EQUAL(out, fixed_b64);
	CU_ASSERT_FATAL(ews_ok(ews_id_parse(out, EWS_ID_ENTRY_ID, &id)));
	CU_ASSERT_EQUAL(id->kind, EWS_ENTRY_PUBLIC_MESSAGE);
	CU_ASSERT_TRUE(id->is_public);
	CU_ASSERT_EQUAL(memcmp(id->entry_id + 4, "\x1A\x44\x73\x90\xAA\x66\x11\xCD\x9B\xC8\x00\xAA\x00\x2F\xC4\x5A", 16),
	                0);
	CU_ASSERT_EQUAL(id->entry_id[20], 9);
	ews_id_free(id);
	free(out);
	st = ews_id_fix_public_folder_entry_id(devhide_hex, EWS_ID_HEX_ENTRY_ID, &out, &changed);
	CU_ASSERT_TRUE(ews_ok(st));
	CU_ASSERT_STRING_EQUAL(out, fixed_hex);
	free(out);
	st = ews_id_fix_public_folder_entry_id(store, EWS_ID_STORE_ID, &out, &changed);
	CU_ASSERT_TRUE(ews_ok(st));
	CU_ASSERT_EQUAL(changed, 1);
	CU_ASSERT_STRING_EQUAL(out, fixed_store); /* offsets shifted by the length byte; type byte kept */
	free(out);
}

static void public_folder_fix_leaves_other_types_alone_and_says_so(void)
{
	char *out = NULL, bad[sizeof devhide_hex];
	int changed = -1;
	ews_status st;

	st = ews_id_fix_public_folder_entry_id("AAAAABpEc5CqZhHNm8gAqgAvxFoJAHWRzwM1sjFErcf81xum4vwAAAAAAQ0AAHWRzwM1sjFErc"
	                                       "f81xum4vwAAnYq/h8AAA==", EWS_ID_ENTRY_ID, &out, &changed);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL(changed, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "type byte is 9"));
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "unchanged"));
	CU_ASSERT_STRING_EQUAL(out, "AAAAABpEc5CqZhHNm8gAqgAvxFoJAHWRzwM1sjFErcf81xum4vwAAAAAAQ0AAHWRzwM1sjFErcf81xum"
	                            "4vwAAnYq/h8AAA==");
	free(out);
	/* a private folder (MICHEV): not documented, not touched */
	st = ews_id_fix_public_folder_entry_id(michev_store_id, EWS_ID_STORE_ID, &out, &changed);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL(changed, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "type byte is 1 (private folder)"));
	CU_ASSERT_STRING_EQUAL(out, michev_store_id);
	free(out);
	/* non-zero flags, too short, an EwsId, garbage */
	memcpy(bad, devhide_hex, sizeof bad);
	bad[7] = '1';
	CU_ASSERT_EQUAL(ews_id_fix_public_folder_entry_id(bad, EWS_ID_HEX_ENTRY_ID, &out, &changed).code,
	                EWS_ERR_FORMAT);
	CU_ASSERT_PTR_NULL(out);
	CU_ASSERT_EQUAL(ews_id_fix_public_folder_entry_id("0000000000", EWS_ID_HEX_ENTRY_ID, &out, &changed).code,
	                EWS_ERR_FORMAT);
	CU_ASSERT_EQUAL(ews_id_fix_public_folder_entry_id(devhide_ews_id, EWS_ID_EWS_ID, &out, &changed).code,
	                EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_id_fix_public_folder_entry_id("Rg$$", EWS_ID_STORE_ID, &out, &changed).code, EWS_ERR_FORMAT);
	CU_ASSERT_EQUAL(changed, 0);
}

static void public_entry_ids_become_storage_type_1_and_2_ews_ids(void)
{
	unsigned char *e;
	size_t n;
	char *s = NULL, *fixed = NULL;
	ews_id *id = NULL;

	/* the MICHEV folder made public (provider 1A447390..., type 3) */
	e = from_hex(michev_hex, &n);
	memcpy(e + 4, "\x1A\x44\x73\x90\xAA\x66\x11\xCD\x9B\xC8\x00\xAA\x00\x2F\xC4\x5A", 16);
	e[20] = 3;
	s = b64(e, n);
	free(e);
	CU_ASSERT_TRUE(ews_ok(ews_id_convert(s, EWS_ID_ENTRY_ID, EWS_ID_EWS_ID, NULL, &fixed)));
	/* 00 01 2E00 ENTRYID: the familiar "AAEuAAAAAAAaRHOQqmYRzZvIAKoAL8Ra..." public folder id */
	CU_ASSERT_STRING_EQUAL(fixed, "AAEuAAAAAAAaRHOQqmYRzZvIAKoAL8RaAwBIPfDMxyP/RYhY8M8xmAPVAAS8XYoAAAA=");
	CU_ASSERT_TRUE(ews_ok(ews_id_parse(fixed, EWS_ID_EWS_ID, &id)));
	CU_ASSERT_EQUAL(id->storage, EWS_ID_STORAGE_PUBLIC_FOLDER);
	CU_ASSERT_EQUAL(id->kind, EWS_ENTRY_PUBLIC_FOLDER);
	CU_ASSERT_PTR_NULL(id->moniker);
	ews_id_free(id);
	free(fixed);
	free(s);
	/* a public message: storage 2 with its parent folder's ENTRYID derived from the message's folder part */
	CU_ASSERT_TRUE(ews_ok(ews_id_fix_public_folder_entry_id(devhide_entry_b64, EWS_ID_ENTRY_ID, &fixed, NULL)));
	CU_ASSERT_TRUE(ews_ok(ews_id_convert(fixed, EWS_ID_ENTRY_ID, EWS_ID_EWS_ID, NULL, &s)));
	CU_ASSERT_FATAL(ews_ok(ews_id_parse(s, EWS_ID_EWS_ID, &id)));
	CU_ASSERT_EQUAL(id->storage, EWS_ID_STORAGE_PUBLIC_FOLDER_ITEM);
	CU_ASSERT_EQUAL(id->instruction, EWS_ID_INSTR_NORMAL);
	CU_ASSERT_EQUAL(id->kind, EWS_ENTRY_PUBLIC_MESSAGE);
	CU_ASSERT_EQUAL_FATAL(id->folder_entry_id_len, 46);
	CU_ASSERT_EQUAL(id->folder_entry_id[20], 3);
	CU_ASSERT_EQUAL(memcmp(id->folder_entry_id + 22, id->entry_id + 22, 22), 0);
	free(s);
	CU_ASSERT_TRUE(ews_ok(ews_id_write(id, EWS_ID_ENTRY_ID, NULL, &s)));
	CU_ASSERT_STRING_EQUAL(s, fixed);
	free(s);
	ews_id_free(id);
	free(fixed);
}

/* ---- builders for ewsd ---- */

static void builders_reproduce_the_verified_layouts(void)
{
	static const unsigned char provider[16] = { 0xAB, 0xC7, 0x2A, 0xAC, 0xB3, 0x41, 0xFF, 0x4F,
	                                            0x98, 0x86, 0xBA, 0xAC, 0x12, 0x5E, 0x77, 0x28 };
	static const unsigned char db[16] = { 0x75, 0x91, 0xCF, 0x03, 0x35, 0xB2, 0x31, 0x44,
	                                      0xAD, 0xC7, 0xFC, 0xD7, 0x1B, 0xA6, 0xE2, 0xFC };
	static const unsigned char mprov[16] = { 0xA1, 0x29, 0x22, 0x40, 0x86, 0x59, 0xD4, 0x4C,
	                                         0x81, 0xED, 0x29, 0x2B, 0x28, 0xDF, 0x44, 0xE1 };
	static const unsigned char mdb[16] = { 0x48, 0x3D, 0xF0, 0xCC, 0xC7, 0x23, 0xFF, 0x45,
	                                       0x88, 0x58, 0xF0, 0xCF, 0x31, 0x98, 0x03, 0xD5 };
	unsigned char fgc[6], mgc[6], msg[EWS_MESSAGE_ENTRY_ID_LEN], folder[EWS_FOLDER_ENTRY_ID_LEN], *want;
	size_t want_len;
	char *s = NULL;

	CU_ASSERT_TRUE(ews_ok(ews_global_counter_from_u64(0x10D, fgc)));
	CU_ASSERT_EQUAL(ews_global_counter_from_u64(1, NULL).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(memcmp(fgc, "\0\0\0\0\x01\x0D", 6), 0);
	ews_global_counter_from_u64(0xFFFF0002762AFE1FULL, mgc); /* only the low 48 bits count */
	CU_ASSERT_EQUAL(memcmp(mgc, "\x00\x02\x76\x2A\xFE\x1F", 6), 0);
	CU_ASSERT_TRUE(ews_ok(ews_entry_id_make_message(provider, db, fgc, db, mgc, 0, msg)));
	want = from_hex(devhide_hex, &want_len);
	CU_ASSERT_EQUAL(memcmp(msg, want, sizeof msg), 0);
	free(want);
	CU_ASSERT_TRUE(ews_ok(ews_id_make_ews_id(msg, sizeof msg, devhide_guid, &s)));
	CU_ASSERT_EQUAL(strlen(s), 152);
	CU_ASSERT_STRING_EQUAL(s, devhide_ews_id);
	free(s);

	ews_global_counter_from_u64(0x0004BC5D8A00ULL, fgc);
	CU_ASSERT_TRUE(ews_ok(ews_entry_id_make_folder(mprov, mdb, fgc, 0, folder)));
	want = from_hex(michev_hex, &want_len);
	CU_ASSERT_EQUAL(memcmp(folder, want, sizeof folder), 0);
	free(want);
	CU_ASSERT_TRUE(ews_ok(ews_id_make_ews_id(folder, sizeof folder, devhide_guid, &s)));
	CU_ASSERT_EQUAL(strlen(s), 120);
	CU_ASSERT_STRING_EQUAL(s, "AAMkADI2ZGIwY2FlLTA1NDQtNGFhYi1hNDJmLWEyMGJhZWU5NmM2YgAuAAAAAAChKSJAhlnUTIHtKSso30Th"
	                          "AQBIPfDMxyP/RYhY8M8xmAPVAAS8XYoAAAA=");
	free(s);
	CU_ASSERT_TRUE(ews_ok(ews_entry_id_make_folder(mprov, mdb, fgc, 1, folder)));
	CU_ASSERT_EQUAL(folder[20], 3);
	CU_ASSERT_EQUAL(ews_id_make_ews_id(folder, sizeof folder, "26db0cae-0544-4aab-a42f-a20baee96c6", &s).code,
	                EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_id_make_ews_id(folder, 0, devhide_guid, &s).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_entry_id_make_folder(NULL, mdb, fgc, 0, folder).code, EWS_ERR_ARGUMENT);
}

/* ---- other storage types and instructions ---- */

static void recurrence_and_fallback_ids_are_parsed_honestly(void)
{
	unsigned char buf[256], *e;
	size_t n, o = 0;
	char *s, *out = NULL;
	ews_id *id = NULL;

	e = from_hex(devhide_hex, &n);
	/* storage 6 with an Internet message id after the store id */
	buf[o++] = 0;
	buf[o++] = 6;
	buf[o++] = 36;
	buf[o++] = 0;
	memcpy(buf + o, devhide_guid, 36);
	o += 36;
	buf[o++] = 0;
	buf[o++] = 70;
	buf[o++] = 0;
	memcpy(buf + o, e, 70);
	o += 70;
	buf[o++] = 7;
	buf[o++] = 0;
	memcpy(buf + o, "<a@b.c>", 7);
	o += 7;
	s = b64(buf, o);
	CU_ASSERT_FATAL(ews_ok(ews_id_parse(s, EWS_ID_EWS_ID, &id)));
	CU_ASSERT_EQUAL(id->storage, EWS_ID_STORAGE_GUID_MAILBOX_FALLBACK);
	CU_ASSERT_STRING_EQUAL(id->internet_message_id, "<a@b.c>");
	CU_ASSERT_TRUE(ews_ok(ews_id_write(id, EWS_ID_EWS_ID, NULL, &out)));
	CU_ASSERT_STRING_EQUAL(out, s);
	free(out);
	ews_id_free(id);
	free(s);
	/* the same as a Recurrence (instruction 1): an EwsId still, but no plain ENTRYID */
	buf[1] = 3;
	buf[40] = 1;
	s = b64(buf, o - 9);
	CU_ASSERT_FATAL(ews_ok(ews_id_parse(s, EWS_ID_EWS_ID, &id)));
	CU_ASSERT_EQUAL(id->instruction, EWS_ID_INSTR_RECURRENCE);
	ews_status st = ews_id_write(id, EWS_ID_ENTRY_ID, NULL, &out);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_UNSUPPORTED);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "Recurrence"));
	CU_ASSERT_TRUE(ews_ok(ews_id_write(id, EWS_ID_EWS_ID, NULL, &out)));
	CU_ASSERT_STRING_EQUAL(out, s);
	free(out);
	ews_id_free(id);
	free(s);
	free(e);
}

/* ---- the ConvertId reference page ---- */

/* The value of attribute `name` in the first tag containing `after`, copied into out; 0 if absent. */
static int attribute_after(const char *xml, const char *after, const char *name, char *out, size_t cap)
{
	const char *p = strstr(xml, after), *end;
	char key[64];

	if (!p)
		return 0;
	snprintf(key, sizeof key, " %s=\"", name);
	p = strstr(p, key);
	if (!p)
		return 0;
	p += strlen(key);
	end = strchr(p, '"');
	if (!end || (size_t)(end - p) >= cap)
		return 0;
	memcpy(out, p, (size_t)(end - p));
	out[end - p] = '\0';
	return 1;
}

static void convert_id_page_examples_decode_to_what_they_show(void)
{
	char *page = ews_test_read_file(ews_test_shared_path("seeds/004_6562b5982873c079.txt"), NULL);
	char **blocks = NULL, id_text[128], fmt[32], mailbox[128], *s = NULL;
	unsigned char *raw;
	size_t n;
	ews_id_format f;
	ews_status st;
	int count;

	CU_ASSERT_PTR_NOT_NULL_FATAL(page);
	count = ews_test_xml_blocks(page, &blocks);
	CU_ASSERT_EQUAL_FATAL(count, 3);

	/* Request: an EwsId to convert to OwaId, for user1@example.com. */
	CU_ASSERT_TRUE_FATAL(attribute_after(blocks[0], "<ConvertId", "DestinationFormat", fmt, sizeof fmt));
	CU_ASSERT_TRUE(ews_ok(ews_id_format_from_name(fmt, &f)));
	CU_ASSERT_EQUAL(f, EWS_ID_OWA_ID);
	CU_ASSERT_TRUE_FATAL(attribute_after(blocks[0], "<t:AlternateId", "Format", fmt, sizeof fmt));
	CU_ASSERT_TRUE(ews_ok(ews_id_format_from_name(fmt, &f)));
	CU_ASSERT_EQUAL(f, EWS_ID_EWS_ID);
	CU_ASSERT_TRUE_FATAL(attribute_after(blocks[0], "<t:AlternateId", "Id", id_text, sizeof id_text));
	CU_ASSERT_TRUE_FATAL(attribute_after(blocks[0], "<t:AlternateId", "Mailbox", mailbox, sizeof mailbox));
	CU_ASSERT_STRING_EQUAL(mailbox, "user1@example.com");
	/* The page says the id "has been shortened": as given it is not even valid base64 ... */
	expect_format_error(id_text, f, "base64");
	/* ... but its whole quanta are the head of a real mailbox EwsId: uncompressed, storage type 3, a 36-byte
	 * GUID moniker starting "fa7b1a04-cb72-", and the payload ends inside that moniker. */
	id_text[strlen(id_text) - 2] = '\0';
	CU_ASSERT_EQUAL(strlen(id_text), 24);
	CU_ASSERT_FATAL(ews_ok(ews_base64_decode(id_text, 0, &raw, &n)));
	CU_ASSERT_EQUAL_FATAL(n, 18);
	CU_ASSERT_EQUAL(raw[0], 0);
	CU_ASSERT_EQUAL(raw[1], EWS_ID_STORAGE_GUID_MAILBOX);
	CU_ASSERT_EQUAL(raw[2] | raw[3] << 8, 36);
	CU_ASSERT_EQUAL(memcmp(raw + 4, "fa7b1a04-cb72-", 14), 0);
	free(raw);
	expect_format_error(id_text, EWS_ID_EWS_ID, "mailbox GUID moniker of 36 bytes but only 14 bytes remain");

	/* Response: the OwaId, shortened in the middle of a %-escape. */
	CU_ASSERT_TRUE_FATAL(attribute_after(blocks[1], "<AlternateId", "Format", fmt, sizeof fmt));
	CU_ASSERT_TRUE(ews_ok(ews_id_format_from_name(fmt, &f)));
	CU_ASSERT_EQUAL(f, EWS_ID_OWA_ID);
	CU_ASSERT_TRUE_FATAL(attribute_after(blocks[1], "<AlternateId", "Id", id_text, sizeof id_text));
	CU_ASSERT_STRING_EQUAL(id_text, "RgAAAAAS2%2");
	expect_format_error(id_text, f, "escape");
	/* Its head is the StoreId layout: length byte 0x46 = a 70-byte message ENTRYID with zero flags ... */
	CU_ASSERT_FATAL(ews_ok(ews_base64_decode("RgAAAAAS", 0, &raw, &n)));
	CU_ASSERT_EQUAL(raw[0], EWS_MESSAGE_ENTRY_ID_LEN);
	CU_ASSERT_EQUAL(memcmp(raw + 1, "\0\0\0\0", 4), 0);
	free(raw);
	/* ... which the parser reports as a length pointing past the end. */
	expect_format_error("RgAAAAAS", EWS_ID_OWA_ID, "length byte 70 points past the end");

	/* The error example: ErrorInvalidIdMalformed is what a server answers for such ids. */
	CU_ASSERT_PTR_NOT_NULL(strstr(blocks[2], "ErrorInvalidIdMalformed"));

	/* What the request asked for, done locally on a complete id of the same shape, for that mailbox: */
	st = ews_id_convert(devhide_ews_id, EWS_ID_EWS_ID, EWS_ID_OWA_ID, mailbox, &s);
	CU_ASSERT_TRUE(ews_ok(st));
	CU_ASSERT_EQUAL(strncmp(s, "RgAAAA", 6), 0); /* same head as the page's answer */
	free(s);
	ews_test_free_blocks(blocks, count);
	free(page);
}

/* ---- hostile input ---- */

static void hostile_inputs_are_format_errors(void)
{
	static const ews_id_format all[] = { EWS_ID_EWS_LEGACY_ID, EWS_ID_EWS_ID, EWS_ID_ENTRY_ID, EWS_ID_HEX_ENTRY_ID,
	                                     EWS_ID_STORE_ID, EWS_ID_OWA_ID };
	unsigned char buf[200], *e;
	char *huge, *s;
	size_t n;

	for (int i = 0; i < 6; i++) {
		expect_format_error("", all[i], "empty");
		expect_format_error("A", all[i], NULL);
		expect_format_error("   ", all[i], NULL);
		expect_format_error("@@@@", all[i], NULL);
	}
	huge = malloc(100001);
	CU_ASSERT_PTR_NOT_NULL_FATAL(huge);
	memset(huge, 'A', 100000);
	huge[100000] = '\0';
	for (int i = 0; i < 6; i++)
		expect_format_error(huge, all[i], "longer than");
	free(huge);

	expect_format_error("0G", EWS_ID_HEX_ENTRY_ID, "not a hex digit");
	expect_format_error("000", EWS_ID_HEX_ENTRY_ID, "odd");
	expect_format_error("AAMk$ADI2", EWS_ID_EWS_ID, "base64");
	expect_format_error("AA==", EWS_ID_EWS_ID, "storage type missing");       /* 1 byte: compression only */
	expect_format_error("Ag==", EWS_ID_EWS_ID, "compression type 2");
	expect_format_error("AAk=", EWS_ID_EWS_ID, "unknown storage type 9");
	expect_format_error("AAP//w==", EWS_ID_EWS_ID, "65535 bytes but only 0");  /* moniker length past the end */
	expect_format_error("AQMD", EWS_ID_EWS_ID, "no count byte");              /* RLE run without its count */
	expect_format_error("AQAA/wAA/wAA/wAA/wAA/wAA/wAA/wAA/wAA/wAA/wAA/wAA/wAA/wAA/wAA/wAA/wAA/w==", EWS_ID_EWS_ID,
	                    "expands beyond");
	expect_format_error("/wAB", EWS_ID_STORE_ID, "length byte 255 points past the end");
	expect_format_error("AQABAA==", EWS_ID_STORE_ID, "unexpected bytes");
	expect_format_error("AAAB", EWS_ID_STORE_ID, "length byte is 0");
	expect_format_error("Rg%2", EWS_ID_OWA_ID, "escape");
	expect_format_error("Rg%00AA", EWS_ID_OWA_ID, "%00");

	/* the DEVHIDE payload cut at every length, and with bytes appended */
	CU_ASSERT_FATAL(ews_ok(ews_base64_decode(devhide_ews_id, 0, &e, &n)));
	CU_ASSERT_EQUAL_FATAL(n, 113);
	for (size_t k = 1; k < n; k++) {
		s = b64(e, k);
		expect_format_error(s, EWS_ID_EWS_ID, k < 2 ? "storage type" : "EwsId");
		free(s);
	}
	memcpy(buf, e, n);
	buf[n] = 0;
	s = b64(buf, n + 1);
	expect_format_error(s, EWS_ID_EWS_ID, "unexpected bytes after the id");
	free(s);
	/* an unknown processing instruction, a NUL inside the moniker, a zero-length store id */
	memcpy(buf, e, n);
	buf[40] = 4;
	s = b64(buf, n);
	expect_format_error(s, EWS_ID_EWS_ID, "processing instruction 4");
	free(s);
	memcpy(buf, e, n);
	buf[10] = 0;
	s = b64(buf, n);
	expect_format_error(s, EWS_ID_EWS_ID, "NUL byte");
	free(s);
	memcpy(buf, e, 41);
	buf[41] = buf[42] = 0;
	s = b64(buf, 43);
	expect_format_error(s, EWS_ID_EWS_ID, "empty store id");
	free(s);
	free(e);

	/* pseudo-random bytes in every format: any outcome but a crash, and never an odd status */
	uint32_t x = 12345;
	for (int round = 0; round < 2000; round++) {
		size_t len = 1 + round % 150;
		for (size_t k = 0; k < len; k++) {
			x = x * 1103515245u + 12345u;
			buf[k] = (unsigned char)(x >> 16);
		}
		if (round % 3 == 0)
			buf[0] = (unsigned char)(round % 2); /* look like an EwsId more often */
		s = b64(buf, len);
		for (int i = 0; i < 6; i++) {
			ews_id *id = NULL;
			ews_status st = ews_id_parse(s, all[i], &id);
			CU_ASSERT(st.code == EWS_OK || st.code == EWS_ERR_FORMAT);
			if (ews_ok(st)) {
				for (int j = 0; j < 6; j++) {
					char *out = NULL;
					ews_status wst = ews_id_write(id, all[j], devhide_guid, &out);
					CU_ASSERT(wst.code == EWS_OK || wst.code == EWS_ERR_UNSUPPORTED);
					CU_ASSERT((out != NULL) == ews_ok(wst));
					free(out);
				}
			}
			ews_id_free(id);
		}
		free(s);
	}
	ews_id_free(NULL);
	CU_ASSERT_EQUAL(ews_id_parse(NULL, EWS_ID_EWS_ID, &(ews_id *){ NULL }).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_id_parse("AAAA", (ews_id_format)9, &(ews_id *){ NULL }).code, EWS_ERR_ARGUMENT);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "format names are the exact EWS names", format_names_are_the_exact_ews_names },
		{ "base64 follows RFC 4648 and rejects garbage", base64_follows_rfc4648_and_rejects_garbage },
		{ "the DEVHIDE EwsId decodes to its HexEntryId", devhide_ews_id_decodes_to_the_hex_entry_id },
		{ "the MICHEV StoreId is a folder with trailing 01", michev_store_id_is_a_folder_with_trailing_01 },
		{ "EwsId, EntryId, HexEntryId, StoreId and OwaId round trip", ews_id_entry_id_hex_store_owa_round_trip },
		{ "converting without the mailbox says what is missing",
		  converting_to_ews_id_without_the_guid_says_what_is_missing },
		{ "an RLE-compressed EwsId decodes", rle_compressed_ews_id_decodes },
		{ "RLE runs split and bounds hold", rle_runs_split_and_bounds_hold },
		{ "an EwsLegacyId carries the SMTP moniker", ews_legacy_id_carries_the_smtp_moniker },
		{ "the public-folder fix turns type 7 into 9", public_folder_fix_turns_type_7_into_9 },
		{ "the public-folder fix leaves other types alone and says so",
		  public_folder_fix_leaves_other_types_alone_and_says_so },
		{ "public entry ids become storage type 1 and 2 EwsIds", public_entry_ids_become_storage_type_1_and_2_ews_ids },
		{ "builders reproduce the verified layouts", builders_reproduce_the_verified_layouts },
		{ "recurrence and fallback ids are parsed honestly", recurrence_and_fallback_ids_are_parsed_honestly },
		{ "the ConvertId page's examples decode to what they show",
		  convert_id_page_examples_decode_to_what_they_show },
		{ "hostile inputs are format errors", hostile_inputs_are_format_errors },
		{ NULL, NULL }
	};
	return ews_test_run("ids", cases);
}
