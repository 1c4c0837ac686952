/* fuzz_ids.c — every id parser of ews/ids.h: ews_id_parse in each format, then the round trip through every
 * format it can be written in (the ENTRYID survives; writing the re-parsed id gives the same text), the
 * public-folder fix-up, the format names and the GUID check.
 * Input: byte 0 picks the source format (mod 6) and the mailbox hint, the rest is the id text. */
#include "fuzz.h"
#include "ews/ids.h"

static const char *const mailboxes[] = { NULL, "26db0cae-0544-4aab-a42f-a20baee96c6b", "user@example.com" };

static void round_trip(const ews_id *id, ews_id_format to, const char *mailbox)
{
	char *text = NULL, *again = NULL;
	ews_id *back = NULL;
	ews_status st = ews_id_write(id, to, mailbox, &text);

	if (!ews_ok(st)) {
		FUZZ_CHECK(text == NULL, "failed write left output");
		return;
	}
	FUZZ_CHECK(text != NULL, "write succeeded without output");
	st = ews_id_parse(text, to, &back);
	FUZZ_CHECK(ews_ok(st), "%s written as %s does not parse back: %s", text, ews_id_format_name(to), st.message);
	FUZZ_CHECK(back->entry_id_len == id->entry_id_len && !memcmp(back->entry_id, id->entry_id, id->entry_id_len),
		   "ENTRYID changed through %s (%s)", ews_id_format_name(to), text);
	st = ews_id_write(back, to, mailbox, &again);
	FUZZ_CHECK(ews_ok(st) && !strcmp(text, again), "%s not stable through %s: %s", text, ews_id_format_name(to),
		   again ? again : st.message);
	free(again);
	ews_id_free(back);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ews_id_format from, named;
	ews_id *id = NULL;
	char *text, *fixed = NULL;
	const char *mailbox;
	int changed = -1;

	if (size < 1)
		return 0;
	from = (ews_id_format)(data[0] % 6);
	mailbox = mailboxes[(data[0] / 6) % 3];
	if (!(text = fuzz_strndup(data + 1, size - 1)))
		return 0;

	(void)ews_id_is_guid(text);
	if (ews_ok(ews_id_format_from_name(text, &named)))
		FUZZ_CHECK(!strcmp(ews_id_format_name(named), text), "format name %s does not round-trip", text);

	if (ews_ok(ews_id_parse(text, from, &id))) {
		FUZZ_CHECK(id->entry_id != NULL, "parsed id without ENTRYID");
		for (int to = EWS_ID_EWS_LEGACY_ID; to <= EWS_ID_OWA_ID; to++)
			round_trip(id, (ews_id_format)to, mailbox);
		ews_id_free(id);
	} else {
		FUZZ_CHECK(id == NULL, "failed parse left an id");
	}

	if (from == EWS_ID_ENTRY_ID || from == EWS_ID_HEX_ENTRY_ID || from == EWS_ID_STORE_ID) {
		if (ews_ok(ews_id_fix_public_folder_entry_id(text, from, &fixed, &changed)))
			FUZZ_CHECK(fixed && (changed == 0 || changed == 1), "fix-up succeeded without output");
		free(fixed);
	}
	free(text);
	return 0;
}
