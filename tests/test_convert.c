/* test_convert.c — ews/convert.h against ewsd: one item id through all six formats and back, server and local
 * conversions agreeing, per-id errors in a batch (malformed id, bad SMTP address), the public-folder fix-up. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews_test.h"
#include "ews_test_wf.h"

static struct ewsd_proc srv;
static ews_client *c;
static char *item_id;            /* an EwsId of a message in the mailbox */
#define MAILBOX "convert@example.com"

static void setup_item(void)
{
	char *folder = NULL, **ids = NULL;
	CU_ASSERT_EQUAL_FATAL(wf_create_folder(c, "inbox", "Convert", &folder).code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(wf_create_messages(c, folder, "Id", 1, 1, 900, &ids).code, EWS_OK);
	item_id = strdup(ids[0]);
	wf_free_ids(ids, 1);
	free(folder);
}

static void an_ews_id_round_trips_through_all_six_formats(void)
{
	static const ews_id_format all[] = { EWS_ID_EWS_LEGACY_ID, EWS_ID_EWS_ID, EWS_ID_ENTRY_ID, EWS_ID_HEX_ENTRY_ID,
	                                     EWS_ID_STORE_ID, EWS_ID_OWA_ID };
	if (!item_id)
		setup_item();
	CU_ASSERT_PTR_NOT_NULL_FATAL(item_id);
	for (size_t f = 0; f < sizeof all / sizeof all[0]; f++) {
		ews_convert_result *r = NULL, *back = NULL;
		ews_alternate_id src = { .id = item_id, .format = EWS_ID_EWS_ID, .mailbox = MAILBOX };
		ews_status st = ews_convert_ids(c, &src, 1, all[f], &r);
		CU_ASSERT_EQUAL(st.code, EWS_OK);
		CU_ASSERT_PTR_NOT_NULL_FATAL(r);
		CU_ASSERT_EQUAL(r[0].status.code, EWS_OK);
		CU_ASSERT_EQUAL(r[0].format, all[f]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(r[0].id);
		CU_ASSERT_STRING_EQUAL(r[0].mailbox ? r[0].mailbox : "", MAILBOX);
		/* The local conversion agrees with the server's (the EwsLegacyId needs the SMTP address). */
		char *local = NULL;
		CU_ASSERT_EQUAL(ews_id_convert(item_id, EWS_ID_EWS_ID, all[f], MAILBOX, &local).code, EWS_OK);
		CU_ASSERT_STRING_EQUAL(local ? local : "", r[0].id);
		free(local);
		/* ... and back to the EwsId we started from. */
		ews_alternate_id again = { .id = r[0].id, .format = all[f], .mailbox = MAILBOX };
		st = ews_convert_ids(c, &again, 1, EWS_ID_EWS_ID, &back);
		CU_ASSERT_EQUAL(st.code, EWS_OK);
		CU_ASSERT_STRING_EQUAL(back && back[0].id ? back[0].id : "", item_id);
		ews_convert_results_free(r, 1);
		ews_convert_results_free(back, 1);
	}
}

static void a_batch_reports_each_id(void)
{
	if (!item_id)
		setup_item();
	ews_alternate_id src[4] = {
		{ .id = item_id, .format = EWS_ID_EWS_ID, .mailbox = MAILBOX },
		{ .id = "AAMkAGZhN2IxYTA0LWNiNzItN=", .format = EWS_ID_EWS_ID, .mailbox = MAILBOX },   /* the page's shortened id */
		{ .id = item_id, .format = EWS_ID_EWS_ID, .mailbox = "not an address" },
		{ .id = item_id, .format = EWS_ID_EWS_ID, .mailbox = MAILBOX },
	};
	ews_convert_result *r = NULL;
	ews_status st = ews_convert_ids(c, src, 4, EWS_ID_HEX_ENTRY_ID, &r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_RESPONSE);
	CU_ASSERT_STRING_EQUAL(st.response_code, "ErrorInvalidIdMalformed");
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "id 2"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(r[0].status.code, EWS_OK);
	CU_ASSERT_EQUAL(r[1].status.code, EWS_ERR_RESPONSE);
	CU_ASSERT_STRING_EQUAL(r[1].status.response_code, "ErrorInvalidIdMalformed");
	CU_ASSERT_PTR_NULL(r[1].id);
	CU_ASSERT_EQUAL(r[2].status.code, EWS_ERR_RESPONSE);
	CU_ASSERT_STRING_EQUAL(r[2].status.response_code, "ErrorInvalidSmtpAddress");
	CU_ASSERT_EQUAL(r[3].status.code, EWS_OK);
	CU_ASSERT_STRING_EQUAL(r[0].id ? r[0].id : "x", r[3].id ? r[3].id : "y");
	/* HexEntryId: upper-case hex of a 70-byte message ENTRYID. */
	CU_ASSERT_EQUAL(r[0].id ? strlen(r[0].id) : 0, 140);
	ews_convert_results_free(r, 4);

	/* One id, the convenience form: the malformed one is a status with the response code. */
	char *out = (char *)"x";
	st = ews_convert_one_id(c, "not-an-id", EWS_ID_EWS_ID, MAILBOX, EWS_ID_OWA_ID, &out);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_RESPONSE);
	CU_ASSERT_STRING_EQUAL(st.response_code, "ErrorInvalidIdMalformed");
	CU_ASSERT_PTR_NULL(out);
	CU_ASSERT_EQUAL(ews_convert_one_id(c, item_id, EWS_ID_EWS_ID, MAILBOX, EWS_ID_STORE_ID, &out).code, EWS_OK);
	CU_ASSERT_PTR_NOT_NULL(out);
	free(out);
}

static void the_public_folder_fix_is_applied_on_request(void)
{
	if (!item_id)
		setup_item();
	ews_alternate_id src[2] = {
		{ .id = item_id, .format = EWS_ID_EWS_ID, .mailbox = MAILBOX },
		{ .id = item_id, .format = EWS_ID_EWS_ID, .mailbox = MAILBOX, .public_folder = 1 },
	};
	ews_convert_result *r = NULL;
	CU_ASSERT_EQUAL_FATAL(ews_convert_ids(c, src, 2, EWS_ID_ENTRY_ID, &r).code, EWS_OK);
	ews_id *plain = NULL, *fixed = NULL;
	CU_ASSERT_EQUAL_FATAL(ews_id_parse(r[0].id, EWS_ID_ENTRY_ID, &plain).code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(ews_id_parse(r[1].id, EWS_ID_ENTRY_ID, &fixed).code, EWS_OK);
	/* As Exchange 2013+ returns public-folder items: typed private message (7); fixed: public message (9) with the
	 * public store GUID 1A447390AA6611CD9BC800AA002FC45A at bytes 4..19. */
	CU_ASSERT_EQUAL(plain->kind, EWS_ENTRY_PRIVATE_MESSAGE);
	CU_ASSERT_EQUAL(r[0].fixed, 0);
	CU_ASSERT_EQUAL(r[1].fixed, 1);
	CU_ASSERT_EQUAL(fixed->kind, EWS_ENTRY_PUBLIC_MESSAGE);
	static const unsigned char guid[16] = { 0x1A, 0x44, 0x73, 0x90, 0xAA, 0x66, 0x11, 0xCD,
	                                        0x9B, 0xC8, 0x00, 0xAA, 0x00, 0x2F, 0xC4, 0x5A };
	CU_ASSERT_EQUAL(memcmp(fixed->entry_id + 4, guid, 16), 0);
	CU_ASSERT_EQUAL(memcmp(fixed->entry_id + 22, plain->entry_id + 22, plain->entry_id_len - 22), 0);
	ews_id_free(plain);
	ews_id_free(fixed);
	ews_convert_results_free(r, 2);

	/* Not for formats without an ENTRYID inside: an EwsId stays as the server sent it. */
	src[1].public_folder = 1;
	CU_ASSERT_EQUAL_FATAL(ews_convert_ids(c, &src[1], 1, EWS_ID_EWS_ID, &r).code, EWS_OK);
	CU_ASSERT_EQUAL(r[0].fixed, 0);
	CU_ASSERT_STRING_EQUAL(r[0].id, item_id);
	ews_convert_results_free(r, 1);
}

static void bad_arguments_are_refused_before_any_request(void)
{
	ews_convert_result *r = (ews_convert_result *)1;
	ews_alternate_id src = { .id = "x", .format = EWS_ID_EWS_ID, .mailbox = MAILBOX };
	CU_ASSERT_EQUAL(ews_convert_ids(c, &src, 0, EWS_ID_EWS_ID, &r).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_PTR_NULL(r);
	CU_ASSERT_EQUAL(ews_convert_ids(c, &src, 1, (ews_id_format)9, &r).code, EWS_ERR_ARGUMENT);
	src.format = (ews_id_format)-3;
	CU_ASSERT_EQUAL(ews_convert_ids(c, &src, 1, EWS_ID_EWS_ID, &r).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_convert_ids(NULL, &src, 1, EWS_ID_EWS_ID, &r).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_convert_one_id(c, "x", EWS_ID_EWS_ID, MAILBOX, EWS_ID_EWS_ID, NULL).code, EWS_ERR_ARGUMENT);
	ews_convert_results_free(NULL, 4);
}

int main(void)
{
	if (wf_start(&srv, NULL, 0)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	c = wf_client(&srv, MAILBOX);
	if (!c) {
		ewsd_stop(&srv, 0);
		return 1;
	}
	static const struct ews_test_case cases[] = {
		{ "an EwsId round-trips through all six formats", an_ews_id_round_trips_through_all_six_formats },
		{ "a batch reports each id (malformed id, bad address)", a_batch_reports_each_id },
		{ "the public-folder fix is applied on request", the_public_folder_fix_is_applied_on_request },
		{ "bad arguments are refused before any request", bad_arguments_are_refused_before_any_request },
		{ NULL, NULL }
	};
	int rc = ews_test_run("convert", cases);
	free(item_id);
	ews_client_free(c);
	ewsd_stop(&srv, 0);
	return rc;
}
