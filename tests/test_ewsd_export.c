/* test_ewsd_export.c — ewsd ExportItems/UploadItems (the ExportItems page's error example reproduced: one item
 * exported, one stale ChangeKey, one id of another mailbox) and ConvertId (the ConvertId page's request answered
 * with its error example; every format round-trips). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;

static char *post_v(const char *user, const char *version, const char *body, int *status)
{
	struct http_resp r;
	if (ews_post(&srv, user, version, NULL, body, &r)) {
		http_resp_free(&r);
		return NULL;
	}
	if (status)
		*status = r.status;
	free(r.headers);
	return r.body;
}

static char *post_as(const char *user, const char *body) { return post_v(user, "Exchange2010_SP1", body, NULL); }

static unsigned char *unb64(const char *s, size_t *n)
{
	static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned char *out = malloc(strlen(s) + 1);
	unsigned v = 0;
	int bits = 0;
	*n = 0;
	for (; *s && *s != '='; s++) {
		const char *p = strchr(tbl, *s);
		if (!p)
			continue;
		v = v << 6 | (unsigned)(p - tbl);
		if ((bits += 6) >= 8)
			out[(*n)++] = (unsigned char)(v >> (bits -= 8));
	}
	return out;
}

static char *create_one(const char *user, const char *subject, char **ck)
{
	char body[1024];
	snprintf(body, sizeof body, "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:SavedItemFolderId>"
		 "<t:DistinguishedFolderId Id=\"drafts\"/></m:SavedItemFolderId><m:Items><t:Message><t:Subject>%s"
		 "</t:Subject><t:Body BodyType=\"HTML\">&lt;p&gt;%s&lt;/p&gt;</t:Body><t:ToRecipients><t:Mailbox>"
		 "<t:EmailAddress>bob@example.com</t:EmailAddress></t:Mailbox></t:ToRecipients></t:Message></m:Items>"
		 "</m:CreateItem>", subject, subject);
	char *r = post_as(user, body);
	char *id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	if (ck)
		*ck = r ? xml_attr(r, "ItemId", "ChangeKey", 0) : NULL;
	free(r);
	return id;
}

static char *export_ids(const char *user, const char *ids_xml)
{
	size_t n = strlen(ids_xml) + 64;
	char *body = malloc(n);
	snprintf(body, n, "<m:ExportItems><m:ItemIds>%s</m:ItemIds></m:ExportItems>", ids_xml);
	char *r = post_as(user, body);
	free(body);
	return r;
}

static void export_error_example_reproduced(void)
{
	if (!ews_test_have_op("ExportItems", "the ExportItems page's error example"))
		return;
	char *ck1, *ck2;
	char *id1 = create_one(NULL, "first", &ck1), *id2 = create_one(NULL, "second", &ck2);
	char *foreign = create_one("other@example.com", "not yours", NULL);
	CU_ASSERT_FATAL(id1 && id2 && foreign);
	char ids[4096], stale[64];
	snprintf(stale, sizeof stale, "%s", ck2);
	stale[strlen(stale) - 2] = stale[strlen(stale) - 2] == 'A' ? 'B' : 'A';   /* a change key that is not current */
	snprintf(ids, sizeof ids, "<t:ItemId Id=\"%s\" ChangeKey=\"%s\"/><t:ItemId Id=\"%s\" ChangeKey=\"%s\"/>"
		 "<t:ItemId Id=\"%s\"/>", id1, ck1, id2, stale, foreign);
	char *r = export_ids(NULL, ids);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);

	char *page = ews_test_read_file(ews_test_shared_path("seeds/000_c52bdbea72ec81bf.txt"), NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(page);
	char **b;
	int nb = ews_test_xml_blocks(page, &b);
	CU_ASSERT_EQUAL_FATAL(nb, 3);
	const char *expect = b[2];
	CU_ASSERT_EQUAL(xml_count(r, "ExportItemsResponseMessage"), 3);
	for (int i = 0; i < 3; i++) {
		char *we = xml_element(expect, "ExportItemsResponseMessage", i), *go = xml_element(r, "ExportItemsResponseMessage", i);
		CU_ASSERT_FATAL(we && go);
		char *wc = xml_attr(we, "ExportItemsResponseMessage", "ResponseClass", 0);
		char *gc = xml_attr(go, "ExportItemsResponseMessage", "ResponseClass", 0);
		CU_ASSERT(wc && gc && !strcmp(wc, gc));
		const char *elems[] = { "MessageText", "ResponseCode", "DescriptiveLinkKey" };
		for (int e = 0; e < 3; e++) {
			char *w = xml_text(we, elems[e], 0), *g = xml_text(go, elems[e], 0);
			CU_ASSERT((!w && !g) || (w && g && !strcmp(w, g)));
			free(w), free(g);
		}
		CU_ASSERT_EQUAL(xml_count(go, "Data"), xml_count(we, "Data"));
		CU_ASSERT_EQUAL(xml_count(go, "MessageXml"), xml_count(we, "MessageXml"));
		free(wc), free(gc), free(we), free(go);
	}
	/* the MailboxGuid value is the other mailbox's GUID: the moniker inside its id */
	char *name = xml_attr(r, "Value", "Name", 0), *guid = xml_text(r, "Value", 0);
	size_t n;
	unsigned char *raw = unb64(foreign, &n);
	CU_ASSERT_STRING_EQUAL(name ? name : "", "MailboxGuid");
	CU_ASSERT(guid && n > 40 && !strncmp((char *)raw + 4, guid, 36));
	free(raw), free(name), free(guid), free(r);

	/* a missing item: ErrorItemNotFound, the others in the call still export */
	char body[2048];
	snprintf(body, sizeof body, "<m:DeleteItem DeleteType=\"HardDelete\"><m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds>"
		 "</m:DeleteItem>", id2);
	free(post_as(NULL, body));
	snprintf(ids, sizeof ids, "<t:ItemId Id=\"%s\"/><t:ItemId Id=\"%s\"/>", id2, id1);
	r = export_ids(NULL, ids);
	char *c0 = xml_text(r, "ResponseCode", 0), *c1 = xml_text(r, "ResponseCode", 1);
	CU_ASSERT_STRING_EQUAL(c0 ? c0 : "", "ErrorItemNotFound");
	CU_ASSERT_STRING_EQUAL(c1 ? c1 : "", "NoError");
	free(c0), free(c1), free(r);
	ews_test_free_blocks(b, nb);
	free(page), free(id1), free(id2), free(foreign), free(ck1), free(ck2);
}

static char *upload(const char *item_xml)
{
	char *body = malloc(strlen(item_xml) + 256);
	sprintf(body, "<m:UploadItems><m:Items>%s</m:Items></m:UploadItems>", item_xml);
	char *r = post_as(NULL, body);
	free(body);
	return r;
}

static char *folder_id(const char *name)
{
	char body[512];
	snprintf(body, sizeof body, "<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape>"
		 "<m:FolderIds><t:DistinguishedFolderId Id=\"%s\"/></m:FolderIds></m:GetFolder>", name);
	char *r = post_as(NULL, body), *id = r ? xml_attr(r, "FolderId", "Id", 0) : NULL;
	free(r);
	return id;
}

static void export_upload_round_trip_is_byte_exact(void)
{
	if (!ews_test_have_op("ExportItems", "the export/upload round trip"))
		return;
	char *ck;
	char *id = create_one(NULL, "round trip", &ck);
	char ids[1024];
	snprintf(ids, sizeof ids, "<t:ItemId Id=\"%s\"/>", id);
	char *r = export_ids(NULL, ids);
	char *data = xml_text(r, "Data", 0);
	CU_ASSERT_FATAL(data && strlen(data) > 40);
	free(r);
	r = export_ids(NULL, ids);
	char *again = xml_text(r, "Data", 0);
	CU_ASSERT(again && !strcmp(again, data));          /* deterministic */
	free(again), free(r);

	char *inbox = folder_id("inbox"), *item = malloc(strlen(data) + 1024);
	sprintf(item, "<t:Item CreateAction=\"CreateNew\"><t:ParentFolderId Id=\"%s\"/><t:Data>%s</t:Data></t:Item>",
		inbox, data);
	r = upload(item);
	char *code = xml_text(r, "ResponseCode", 0), *newid = xml_attr(r, "ItemId", "Id", 0);
	CU_ASSERT_STRING_EQUAL(code ? code : "", "NoError");
	CU_ASSERT(newid && strcmp(newid, id));
	free(code), free(r);
	snprintf(ids, sizeof ids, "<t:ItemId Id=\"%s\"/>", newid);
	r = export_ids(NULL, ids);
	char *copy = xml_text(r, "Data", 0);
	CU_ASSERT(copy && !strcmp(copy, data));            /* byte-exact */
	free(copy), free(r);

	/* Update with the current ChangeKey works, a stale one is ErrorInvalidChangeKey */
	sprintf(item, "<t:Item CreateAction=\"Update\"><t:ParentFolderId Id=\"%s\"/><t:ItemId Id=\"%s\" ChangeKey=\"%s\"/>"
		"<t:Data>%s</t:Data></t:Item>", inbox, id, ck, data);
	r = upload(item);
	code = xml_text(r, "ResponseCode", 0);
	CU_ASSERT_STRING_EQUAL(code ? code : "", "NoError");
	char *ck2 = xml_attr(r, "ItemId", "ChangeKey", 0);
	CU_ASSERT(ck2 && strcmp(ck2, ck));
	free(code), free(r), free(ck2);
	r = upload(item);
	code = xml_text(r, "ResponseCode", 0);
	CU_ASSERT_STRING_EQUAL(code ? code : "", "ErrorInvalidChangeKey");
	free(code), free(r);

	/* corrupt data */
	char *bad = strdup(data);
	bad[20] = bad[20] == 'A' ? 'B' : 'A';
	sprintf(item, "<t:Item CreateAction=\"CreateNew\"><t:ParentFolderId Id=\"%s\"/><t:Data>%s</t:Data></t:Item>", inbox, bad);
	r = upload(item);
	code = xml_text(r, "ResponseCode", 0);
	CU_ASSERT_STRING_EQUAL(code ? code : "", "ErrorCorruptData");
	free(code), free(r), free(bad);

	/* UpdateOrCreate of a deleted item creates it; IsAssociated hides it from the normal view */
	char body[1024];
	snprintf(body, sizeof body, "<m:DeleteItem DeleteType=\"HardDelete\"><m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds>"
		 "</m:DeleteItem>", newid);
	free(post_as(NULL, body));
	sprintf(item, "<t:Item CreateAction=\"UpdateOrCreate\" IsAssociated=\"true\"><t:ParentFolderId Id=\"%s\"/>"
		"<t:ItemId Id=\"%s\"/><t:Data>%s</t:Data></t:Item>", inbox, newid, data);
	r = upload(item);
	code = xml_text(r, "ResponseCode", 0);
	CU_ASSERT_STRING_EQUAL(code ? code : "", "NoError");
	free(code), free(r);
	const char *find = "<m:FindItem Traversal=\"%s\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>"
			   "<m:ParentFolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:ParentFolderIds></m:FindItem>";
	snprintf(body, sizeof body, find, "Associated");
	r = post_as(NULL, body);
	char *t = xml_attr(r, "RootFolder", "TotalItemsInView", 0);
	CU_ASSERT_STRING_EQUAL(t ? t : "", "1");
	free(t), free(r);
	snprintf(body, sizeof body, find, "Shallow");
	r = post_as(NULL, body);
	t = xml_attr(r, "RootFolder", "TotalItemsInView", 0);
	CU_ASSERT_STRING_EQUAL(t ? t : "", "0");
	free(t), free(r);
	free(item), free(inbox), free(data), free(newid), free(id), free(ck);
}

/* Kept properties travel in the data (version 3): a weekly meeting marked Private with an extended property,
 * exported and uploaded, is a weekly meeting marked Private with that property again, and exports identically;
 * an item without such properties keeps the version 1 bytes. */
static void kept_properties_travel_in_the_data(void)
{
	if (!ews_test_have_op("ExportItems", "kept properties travel in the data"))
		return;
	char *r = post_v(NULL, "Exchange2013", "<m:CreateItem SendMeetingInvitations=\"SendToNone\"><m:SavedItemFolderId>"
			 "<t:DistinguishedFolderId Id=\"calendar\"/></m:SavedItemFolderId><m:Items><t:CalendarItem>"
			 "<t:Subject>weekly</t:Subject><t:Sensitivity>Private</t:Sensitivity><t:ExtendedProperty>"
			 "<t:ExtendedFieldURI PropertySetId=\"c11ff724-aa03-4555-9952-8fa248a11c3e\" PropertyName=\"Tag\" "
			 "PropertyType=\"String\"/><t:Value>kept</t:Value></t:ExtendedProperty>"
			 "<t:Start>2026-03-02T17:00:00Z</t:Start><t:End>2026-03-02T17:30:00Z</t:End><t:Recurrence>"
			 "<t:WeeklyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Monday</t:DaysOfWeek></t:WeeklyRecurrence>"
			 "<t:NumberedRecurrence><t:StartDate>2026-03-02</t:StartDate><t:NumberOfOccurrences>4"
			 "</t:NumberOfOccurrences></t:NumberedRecurrence></t:Recurrence></t:CalendarItem></m:Items></m:CreateItem>",
			 NULL);
	char *id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(r);
	CU_ASSERT_FATAL(id != NULL);
	char ids[1024];
	snprintf(ids, sizeof ids, "<t:ItemId Id=\"%s\"/>", id);
	r = export_ids(NULL, ids);
	char *data = r ? xml_text(r, "Data", 0) : NULL;
	free(r);
	CU_ASSERT_FATAL(data != NULL);
	size_t n;
	unsigned char *raw = unb64(data, &n);
	CU_ASSERT(raw && n > 6 && raw[4] == 3);
	free(raw);

	char *cal = folder_id("calendar"), *item = malloc(strlen(data) + 1024);
	sprintf(item, "<t:Item CreateAction=\"CreateNew\"><t:ParentFolderId Id=\"%s\"/><t:Data>%s</t:Data></t:Item>",
		cal, data);
	r = upload(item);
	char *newid = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(r), free(item), free(cal);
	CU_ASSERT_FATAL(newid != NULL);
	char body[2048];
	snprintf(body, sizeof body, "<m:GetItem><m:ItemShape><t:BaseShape>AllProperties</t:BaseShape>"
		 "<t:AdditionalProperties><t:FieldURI FieldURI=\"calendar:Recurrence\"/><t:ExtendedFieldURI "
		 "PropertySetId=\"c11ff724-aa03-4555-9952-8fa248a11c3e\" PropertyName=\"Tag\" PropertyType=\"String\"/>"
		 "</t:AdditionalProperties></m:ItemShape><m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", newid);
	r = post_v(NULL, "Exchange2013", body, NULL);
	CU_ASSERT(r && xml_count(r, "WeeklyRecurrence") == 1);
	char *sens = r ? xml_text(r, "Sensitivity", 0) : NULL, *val = r ? xml_text(r, "Value", 0) : NULL;
	char *count = r ? xml_text(r, "NumberOfOccurrences", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(sens ? sens : "", "Private");
	CU_ASSERT_STRING_EQUAL(val ? val : "", "kept");
	CU_ASSERT_STRING_EQUAL(count ? count : "", "4");
	free(sens), free(val), free(count), free(r);

	snprintf(ids, sizeof ids, "<t:ItemId Id=\"%s\"/>", newid);
	r = export_ids(NULL, ids);
	char *again = r ? xml_text(r, "Data", 0) : NULL;
	CU_ASSERT(again && !strcmp(again, data));          /* the copy exports identically */
	free(again), free(r), free(data), free(newid), free(id);

	char *plain = create_one(NULL, "plain", NULL);
	snprintf(ids, sizeof ids, "<t:ItemId Id=\"%s\"/>", plain);
	r = export_ids(NULL, ids);
	data = r ? xml_text(r, "Data", 0) : NULL;
	raw = data ? unb64(data, &n) : NULL;
	CU_ASSERT(raw && n > 6 && raw[4] == 1);
	free(raw), free(data), free(r), free(plain);
}

static void export_needs_exchange2010_sp1(void)
{
	if (!ews_test_have_op("ExportItems", "ExportItems needs Exchange2010_SP1"))
		return;
	int status = 0;
	char *r = post_v(NULL, "Exchange2010", "<m:ExportItems><m:ItemIds><t:ItemId Id=\"AAMk\"/></m:ItemIds></m:ExportItems>",
			 &status);
	char *fc = r ? xml_text(r, "faultcode", 0) : NULL;
	CU_ASSERT_EQUAL(status, 500);
	CU_ASSERT_STRING_EQUAL(fc ? fc : "", "a:ErrorInvalidServerVersion");
	free(fc), free(r);
}

/* ---- ConvertId ---- */

static char *convert(const char *id, const char *from, const char *to, const char *mailbox)
{
	char body[2048];
	snprintf(body, sizeof body, "<m:ConvertId DestinationFormat=\"%s\"><m:SourceIds><t:AlternateId Format=\"%s\" "
		 "Id=\"%s\" Mailbox=\"%s\"/></m:SourceIds></m:ConvertId>", to, from, id, mailbox);
	char *r = post_as(NULL, body), *out = NULL;
	char *code = r ? xml_text(r, "ResponseCode", 0) : NULL;
	if (code && !strcmp(code, "NoError"))
		out = xml_attr(r, "AlternateId", "Id", 0);
	free(code), free(r);
	return out;
}

static void convertid_page_request_gets_the_page_error(void)
{
	char *page = ews_test_read_file(ews_test_shared_path("seeds/004_6562b5982873c079.txt"), NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(page);
	char **b;
	int nb = ews_test_xml_blocks(page, &b);
	CU_ASSERT_EQUAL_FATAL(nb, 3);
	struct http_resp r;
	/* the page shortened its id "to preserve readability": a malformed id, which its error example answers */
	CU_ASSERT_EQUAL_FATAL(http_request(&srv, "POST", "/EWS/Exchange.asmx", NULL, b[0], strlen(b[0]), &r), 0);
	CU_ASSERT_EQUAL(r.status, 200);
	const char *elems[] = { "MessageText", "ResponseCode", "DescriptiveLinkKey" };
	for (int i = 0; i < 3; i++) {
		char *w = xml_text(b[2], elems[i], 0), *g = xml_text(r.body, elems[i], 0);
		CU_ASSERT(w && g && !strcmp(w, g));
		free(w), free(g);
	}
	char *cls = xml_attr(r.body, "ConvertIdResponseMessage", "ResponseClass", 0);
	CU_ASSERT_STRING_EQUAL(cls ? cls : "", "Error");
	free(cls);
	http_resp_free(&r);
	ews_test_free_blocks(b, nb);
	free(page);
}

static void convertid_round_trips_all_formats(void)
{
	char *id = create_one(NULL, "convert me", NULL);
	const char *formats[] = { "EwsLegacyId", "EntryId", "HexEntryId", "StoreId", "OwaId", "EwsId" };
	for (int i = 0; i < 6; i++) {
		char *alt = convert(id, "EwsId", formats[i], "user@example.com");
		CU_ASSERT_PTR_NOT_NULL(alt);
		if (!alt)
			continue;
		char *back = convert(alt, formats[i], "EwsId", "user@example.com");
		CU_ASSERT(back && !strcmp(back, id));
		free(back);
		if (!strcmp(formats[i], "HexEntryId")) {
			CU_ASSERT_EQUAL(strlen(alt), 140);       /* 70-byte message EntryID */
			CU_ASSERT_EQUAL(strspn(alt, "0123456789ABCDEF"), 140);
			CU_ASSERT(!strncmp(alt + 40, "0700", 4)); /* type byte 7 at offset 20: private message */
		}
		if (!strcmp(formats[i], "EntryId")) {
			size_t n;
			unsigned char *raw = unb64(alt, &n);
			CU_ASSERT_EQUAL(n, 70);
			CU_ASSERT(n == 70 && raw[20] == 7 && !raw[0] && !raw[1] && !raw[2] && !raw[3]);
			free(raw);
		}
		if (!strcmp(formats[i], "StoreId"))
			CU_ASSERT(!strncmp(alt, "Rg", 2));        /* leading length byte 0x46 */
		if (!strcmp(formats[i], "OwaId"))
			CU_ASSERT(!strncmp(alt, "Rg", 2) && !strchr(alt, '+') && !strchr(alt, '/') && !strchr(alt, '='));
		if (!strcmp(formats[i], "EwsLegacyId")) {
			size_t n;
			unsigned char *raw = unb64(alt, &n);
			CU_ASSERT(n > 20 && raw[1] == 0 && !memcmp(raw + 4, "user@example.com", 16));
			free(raw);
		}
		free(alt);
	}
	/* folder ids too: 46-byte folder EntryID, type 1 */
	char body[512];
	snprintf(body, sizeof body, "<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape>"
		 "<m:FolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:FolderIds></m:GetFolder>");
	char *r = post_as(NULL, body), *fid = xml_attr(r, "FolderId", "Id", 0);
	free(r);
	char *hex = convert(fid, "EwsId", "HexEntryId", "user@example.com");
	CU_ASSERT(hex && strlen(hex) == 92 && !strncmp(hex + 40, "0100", 4));
	free(hex), free(fid), free(id);
}

static void convertid_checks_smtp_format_only(void)
{
	char *id = create_one(NULL, "smtp", NULL);
	char *ok = convert(id, "EwsId", "HexEntryId", "nobody@nowhere.example");   /* well-formed, no such mailbox */
	CU_ASSERT_PTR_NOT_NULL(ok);
	free(ok);
	char body[1024];
	snprintf(body, sizeof body, "<m:ConvertId DestinationFormat=\"HexEntryId\"><m:SourceIds><t:AlternateId "
		 "Format=\"EwsId\" Id=\"%s\" Mailbox=\"not an address\"/></m:SourceIds></m:ConvertId>", id);
	char *r = post_as(NULL, body), *code = xml_text(r, "ResponseCode", 0);
	CU_ASSERT_STRING_EQUAL(code ? code : "", "ErrorInvalidSmtpAddress");
	free(code), free(r);
	/* garbage in each format is ErrorInvalidIdMalformed */
	const char *formats[] = { "EwsId", "EwsLegacyId", "EntryId", "HexEntryId", "StoreId", "OwaId" };
	for (int i = 0; i < 6; i++) {
		char *bad = convert("AAAAAAAAAAAA", formats[i], "EwsId", "user@example.com");
		CU_ASSERT_PTR_NULL(bad);
		free(bad);
	}
	free(id);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "ExportItems page's error example reproduced (ok, stale ChangeKey, other mailbox)",
		  export_error_example_reproduced },
		{ "export/upload round trip is byte-exact; Update/UpdateOrCreate/IsAssociated; corrupt data",
		  export_upload_round_trip_is_byte_exact },
		{ "kept properties (recurrence, sensitivity, extended) travel in the data", kept_properties_travel_in_the_data },
		{ "ExportItems needs Exchange2010_SP1", export_needs_exchange2010_sp1 },
		{ "ConvertId page's request gets the page's error example", convertid_page_request_gets_the_page_error },
		{ "ConvertId round-trips all six formats", convertid_round_trips_all_formats },
		{ "ConvertId checks the SMTP format only; malformed ids", convertid_checks_smtp_format_only },
		{ NULL, NULL }
	};
	if (ewsd_start(&srv, NULL, NULL)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd export/upload/convert", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
