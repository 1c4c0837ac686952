/* test_ewsd_find.c — ewsd FindItem/FindFolder/GetItem/GetFolder/CreateItem over HTTP: the paged-search reference
 * page replayed step by step (15 items by pages of 10; its own 8-item FindItem requests by pages of 6, offset 5),
 * the anchor check, BasePoint End, the page cap, sort orders, restrictions and shapes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/sanitize.h"
#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;
static char paging_folder[512];

static char *post(const char *user, const char *body)
{
	struct http_resp r;
	if (ews_post(&srv, user, "Exchange2013", NULL, body, &r) || r.status != 200) {
		fprintf(stderr, "HTTP %d: %s\n", r.status, r.body ? r.body : "");
		http_resp_free(&r);
		return NULL;
	}
	free(r.headers);
	return r.body;
}

/* n messages "Item 1".."Item n" received at base, base-1min, ... into folder (FolderId) */
static int create_items(const char *user, const char *folder_xml, int first, int n, int newest_minute)
{
	size_t cap = 1024 + (size_t)n * 400;
	char *body = malloc(cap);
	size_t k = (size_t)snprintf(body, cap, "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:SavedItemFolderId>%s"
				    "</m:SavedItemFolderId><m:Items>", folder_xml);
	for (int i = 0; i < n; i++)
		k += (size_t)snprintf(body + k, cap - k, "<t:Message><t:Subject>Item %d</t:Subject>"
				      "<t:Body BodyType=\"Text\">body %d</t:Body>"
				      "<t:DateTimeReceived>2024-01-01T10:%02d:00Z</t:DateTimeReceived></t:Message>",
				      first + i, first + i, newest_minute - i);
	snprintf(body + k, cap - k, "</m:Items></m:CreateItem>");
	char *r = post(user, body);
	free(body);
	int ok = r && xml_count(r, "CreateItemResponseMessage") == n && !strstr(r, "ResponseClass=\"Error\"");
	free(r);
	return ok ? 0 : -1;
}

static char *find_page(const char *folder_xml, int max, int offset, const char *base)
{
	char body[2048];
	snprintf(body, sizeof body,
		 "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
		 "<t:AdditionalProperties><t:FieldURI FieldURI=\"item:Subject\"/></t:AdditionalProperties></m:ItemShape>"
		 "<m:IndexedPageItemView MaxEntriesReturned=\"%d\" Offset=\"%d\" BasePoint=\"%s\"/>"
		 "<m:ParentFolderIds>%s</m:ParentFolderIds></m:FindItem>", max, offset, base, folder_xml);
	return post(NULL, body);
}

static void check_root(const char *r, const char *offset, const char *total, const char *last)
{
	char *a = xml_attr(r, "RootFolder", "IndexedPagingOffset", 0);
	char *b = xml_attr(r, "RootFolder", "TotalItemsInView", 0);
	char *c = xml_attr(r, "RootFolder", "IncludesLastItemInRange", 0);
	CU_ASSERT_STRING_EQUAL(a ? a : "", offset);
	CU_ASSERT_STRING_EQUAL(b ? b : "", total);
	CU_ASSERT_STRING_EQUAL(c ? c : "", last);
	free(a), free(b), free(c);
}

static void setup_paging_folder(void)
{
	char *r = post(NULL, "<m:CreateFolder><m:ParentFolderId><t:DistinguishedFolderId Id=\"inbox\"/></m:ParentFolderId>"
			     "<m:Folders><t:Folder><t:DisplayName>Paging</t:DisplayName></t:Folder></m:Folders>"
			     "</m:CreateFolder>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	char *id = xml_attr(r, "FolderId", "Id", 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	snprintf(paging_folder, sizeof paging_folder, "<t:FolderId Id=\"%s\"/>", id);
	free(id);
	free(r);
	CU_ASSERT_EQUAL_FATAL(create_items(NULL, paging_folder, 1, 15, 30), 0);
}

/* Figures 1 and 2: 15 items, pages of 10 from the beginning. */
static void fifteen_items_by_pages_of_ten(void)
{
	setup_paging_folder();
	char *r = find_page(paging_folder, 10, 0, "Beginning");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(xml_count(r, "Message"), 10);
	check_root(r, "10", "15", "false");
	char *s = xml_text(r, "Subject", 0);   /* newest first */
	CU_ASSERT_STRING_EQUAL(s ? s : "", "Item 1");
	free(s);
	free(r);
	r = find_page(paging_folder, 10, 10, "Beginning");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(xml_count(r, "Message"), 5);
	check_root(r, "15", "15", "true");
	s = xml_text(r, "Subject", 4);
	CU_ASSERT_STRING_EQUAL(s ? s : "", "Item 15");
	free(s);
	free(r);
}

/* Figures 3/4 and the anchor item: a new newest item shifts the window by one, which the anchor detects. */
static void new_item_shifts_the_window_and_the_anchor_sees_it(void)
{
	char *r = find_page(paging_folder, 11, 0, "Beginning");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	char *anchor = xml_attr(r, "ItemId", "Id", 10);
	free(r);
	r = find_page(paging_folder, 11, 10, "Beginning");
	char *first = xml_attr(r, "ItemId", "Id", 0);
	CU_ASSERT(anchor && first && !strcmp(anchor, first));   /* unchanged: the anchor matches */
	free(first), free(r);
	CU_ASSERT_EQUAL_FATAL(create_items(NULL, paging_folder, 0, 1, 59), 0);  /* newest: goes first */
	r = find_page(paging_folder, 10, 10, "Beginning");
	CU_ASSERT_EQUAL(xml_count(r, "Message"), 6);
	check_root(r, "16", "16", "true");
	first = xml_attr(r, "ItemId", "Id", 0);
	CU_ASSERT(anchor && first && strcmp(anchor, first));   /* shifted: the anchor no longer matches */
	free(first), free(anchor), free(r);
}

static void base_point_end_pages_from_the_end(void)
{
	char *r = find_page(paging_folder, 4, 0, "End");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(xml_count(r, "Message"), 4);
	char *s = xml_text(r, "Subject", 3);
	CU_ASSERT_STRING_EQUAL(s ? s : "", "Item 15");  /* the oldest is the last in the list */
	check_root(r, "4", "16", "false");
	free(s), free(r);
	r = find_page(paging_folder, 10, 10, "End");
	CU_ASSERT_EQUAL(xml_count(r, "Message"), 6);
	check_root(r, "16", "16", "true");
	s = xml_text(r, "Subject", 0);
	CU_ASSERT_STRING_EQUAL(s ? s : "", "Item 0");
	free(s), free(r);
}

/* The page's own FindItem requests (8 inbox items, pages of 6, then offset 5), posted as written; the answers
 * must carry the page's paging attributes and subjects in the page's order. */
static void reference_page_requests_replayed(void)
{
	static const char *const subjects[] = { "Query", "Update", "Planning resources", "Timeline", "For your perusal",
						"meeting notes", "Meeting notes", "This cat is hilarious!" };
	char body[4096];
	size_t k = (size_t)snprintf(body, sizeof body, "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:SavedItemFolderId>"
				    "<t:DistinguishedFolderId Id=\"inbox\"/></m:SavedItemFolderId><m:Items>");
	for (int i = 0; i < 8; i++)
		k += (size_t)snprintf(body + k, sizeof body - k, "<t:Message><t:Subject>%s</t:Subject>"
				      "<t:DateTimeReceived>2024-02-01T10:%02d:00Z</t:DateTimeReceived></t:Message>",
				      subjects[i], 50 - i);
	snprintf(body + k, sizeof body - k, "</m:Items></m:CreateItem>");
	free(post(NULL, body));

	char *page = ews_test_read_file(ews_test_shared_path("seeds/003_c2c2f96142824243.txt"), NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(page);
	char **blocks;
	int nb = ews_test_xml_blocks(page, &blocks);
	CU_ASSERT_EQUAL_FATAL(nb, 4);
	for (int step = 0; step < 2; step++) {
		char *req = blocks[2 * step], *expect = blocks[2 * step + 1];
		struct http_resp r;
		/* the page shows an https:// envelope namespace (a documentation artifact): same fix as the client */
		size_t n = ews_xml_sanitize(req, strlen(req));
		CU_ASSERT_EQUAL_FATAL(http_request(&srv, "POST", "/EWS/Exchange.asmx", NULL, req, n, &r), 0);
		CU_ASSERT_EQUAL(r.status, 200);
		const char *attrs[] = { "IndexedPagingOffset", "TotalItemsInView", "IncludesLastItemInRange" };
		for (int a = 0; a < 3; a++) {
			char *want = xml_attr(expect, "RootFolder", attrs[a], 0), *got = xml_attr(r.body, "RootFolder", attrs[a], 0);
			CU_ASSERT(want && got && !strcmp(want, got));
			free(want), free(got);
		}
		int ne = xml_count(expect, "Message");
		CU_ASSERT_EQUAL(xml_count(r.body, "Message"), ne);
		for (int i = 0; i < ne; i++) {
			char *want = xml_text(expect, "Subject", i), *got = xml_text(r.body, "Subject", i);
			CU_ASSERT(want && got && !strcmp(want, got));
			free(want), free(got);
		}
		/* ServerVersionInfo on every response */
		CU_ASSERT_EQUAL(xml_count(r.body, "ServerVersionInfo"), 1);
		http_resp_free(&r);
	}
	ews_test_free_blocks(blocks, nb);
	free(page);
}

static int values_ordered(const char *r, const char *elem, int numeric, int descending)
{
	int n = xml_count(r, elem), ok = n > 1;
	for (int i = 1; i < n && ok; i++) {
		char *a = xml_text(r, elem, i - 1), *b = xml_text(r, elem, i);
		int c = numeric ? (atol(a) > atol(b)) - (atol(a) < atol(b)) : strcmp(a, b);
		ok = descending ? c >= 0 : c <= 0;
		free(a), free(b);
	}
	return ok;
}

static char *find_seeded(const char *extra)
{
	char body[4096];
	snprintf(body, sizeof body,
		 "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>Default</t:BaseShape>"
		 "<t:AdditionalProperties><t:FieldURI FieldURI=\"item:Size\"/></t:AdditionalProperties></m:ItemShape>"
		 "<m:IndexedPageItemView MaxEntriesReturned=\"1000\" Offset=\"0\" BasePoint=\"Beginning\"/>%s"
		 "<m:ParentFolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:ParentFolderIds></m:FindItem>", extra);
	return post("seeded@example.com", body);
}

static int total_of(const char *r)
{
	char *t = xml_attr(r, "RootFolder", "TotalItemsInView", 0);
	int n = t ? atoi(t) : -1;
	free(t);
	return n;
}

static void sort_orders_subject_size_received(void)
{
	char *r = find_seeded("<m:SortOrder><t:FieldOrder Order=\"Ascending\"><t:FieldURI FieldURI=\"item:Subject\"/>"
			      "</t:FieldOrder></m:SortOrder>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT(total_of(r) > 100);
	CU_ASSERT(values_ordered(r, "Subject", 0, 0));
	free(r);
	r = find_seeded("<m:SortOrder><t:FieldOrder Order=\"Descending\"><t:FieldURI FieldURI=\"item:Size\"/>"
			"</t:FieldOrder></m:SortOrder>");
	CU_ASSERT(values_ordered(r, "Size", 1, 1));
	free(r);
	r = find_seeded("<m:SortOrder><t:FieldOrder Order=\"Ascending\"><t:FieldURI FieldURI=\"item:DateTimeReceived\"/>"
			"</t:FieldOrder></m:SortOrder>");
	CU_ASSERT(values_ordered(r, "DateTimeReceived", 0, 0));
	free(r);
}

static void restrictions_filter_and_combine(void)
{
	char *all = find_seeded(""), *unread, *read, *r;
	int total = total_of(all);
	free(all);
	unread = find_seeded("<m:Restriction><t:IsEqualTo><t:FieldURI FieldURI=\"message:IsRead\"/>"
			     "<t:FieldURIOrConstant><t:Constant Value=\"false\"/></t:FieldURIOrConstant></t:IsEqualTo>"
			     "</m:Restriction>");
	read = find_seeded("<m:Restriction><t:Not><t:IsEqualTo><t:FieldURI FieldURI=\"message:IsRead\"/>"
			   "<t:FieldURIOrConstant><t:Constant Value=\"false\"/></t:FieldURIOrConstant></t:IsEqualTo>"
			   "</t:Not></m:Restriction>");
	int nu = total_of(unread), nr = total_of(read);
	CU_ASSERT(nu > 0 && nr > 0);
	CU_ASSERT_EQUAL(nu + nr, total);
	CU_ASSERT(!strstr(unread, "<t:IsRead>true"));
	CU_ASSERT(!strstr(read, "<t:IsRead>false"));
	free(unread), free(read);

	r = find_seeded("<m:Restriction><t:Contains ContainmentMode=\"Substring\" ContainmentComparison=\"IgnoreCase\">"
			"<t:FieldURI FieldURI=\"item:Subject\"/><t:Constant Value=\"BUDGET\"/></t:Contains></m:Restriction>");
	int nb = xml_count(r, "Subject");
	CU_ASSERT(nb > 0 && nb < total);
	for (int i = 0; i < nb; i++) {
		char *s = xml_text(r, "Subject", i);
		CU_ASSERT(s && strstr(s, "Budget"));
		free(s);
	}
	free(r);

	r = find_seeded("<m:Restriction><t:And><t:IsGreaterThanOrEqualTo><t:FieldURI FieldURI=\"item:Size\"/>"
			"<t:FieldURIOrConstant><t:Constant Value=\"5000\"/></t:FieldURIOrConstant></t:IsGreaterThanOrEqualTo>"
			"<t:IsLessThan><t:FieldURI FieldURI=\"item:DateTimeReceived\"/><t:FieldURIOrConstant>"
			"<t:Constant Value=\"2024-05-25T00:00:00Z\"/></t:FieldURIOrConstant></t:IsLessThan></t:And>"
			"</m:Restriction>");
	int n = xml_count(r, "Size");
	CU_ASSERT(n > 0);
	for (int i = 0; i < n; i++) {
		char *s = xml_text(r, "Size", i), *d = xml_text(r, "DateTimeReceived", i);
		CU_ASSERT(s && atol(s) >= 5000);
		CU_ASSERT(d && strcmp(d, "2024-05-25T00:00:00Z") < 0);
		free(s), free(d);
	}
	free(r);

	/* Or of complementary conditions = everything; Exists calendar:Start = the meeting requests */
	r = find_seeded("<m:Restriction><t:Or><t:IsGreaterThan><t:FieldURI FieldURI=\"item:Size\"/><t:FieldURIOrConstant>"
			"<t:Constant Value=\"3000\"/></t:FieldURIOrConstant></t:IsGreaterThan><t:IsLessThanOrEqualTo>"
			"<t:FieldURI FieldURI=\"item:Size\"/><t:FieldURIOrConstant><t:Constant Value=\"3000\"/>"
			"</t:FieldURIOrConstant></t:IsLessThanOrEqualTo></t:Or></m:Restriction>");
	CU_ASSERT_EQUAL(total_of(r), total);
	free(r);
	r = find_seeded("<m:Restriction><t:Exists><t:FieldURI FieldURI=\"calendar:Start\"/></t:Exists></m:Restriction>");
	CU_ASSERT(total_of(r) > 0);
	CU_ASSERT_EQUAL(xml_count(r, "MeetingRequest"), total_of(r) < 12 ? total_of(r) : 12);   /* --max-page 12 */
	CU_ASSERT_EQUAL(xml_count(r, "Message"), 0);
	free(r);
	r = find_seeded("<m:Restriction><t:IsNotEqualTo><t:FieldURI FieldURI=\"item:ItemClass\"/><t:FieldURIOrConstant>"
			"<t:Constant Value=\"IPM.Note\"/></t:FieldURIOrConstant></t:IsNotEqualTo></m:Restriction>");
	CU_ASSERT(total_of(r) > 0);
	CU_ASSERT_EQUAL(xml_count(r, "Message"), 0);
	CU_ASSERT_EQUAL(xml_count(r, "MeetingRequest"), total_of(r) < 12 ? total_of(r) : 12);
	free(r);
}

static void page_cap_limits_entries(void)
{
	char *r = find_page(paging_folder, 1000, 0, "Beginning");   /* server runs with --max-page 12 */
	CU_ASSERT_EQUAL(xml_count(r, "Message"), 12);
	check_root(r, "12", "16", "false");
	free(r);
}

static void shapes_and_getitem_body(void)
{
	char *r = find_page(paging_folder, 1, 0, "Beginning");
	char *id = xml_attr(r, "ItemId", "Id", 0);
	CU_ASSERT(!strstr(r, "<t:ItemClass>"));   /* IdOnly + Subject */
	free(r);
	char body[2048];
	snprintf(body, sizeof body, "<m:GetItem><m:ItemShape><t:BaseShape>AllProperties</t:BaseShape></m:ItemShape>"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", id);
	r = post(NULL, body);
	char *msg = xml_element(r, "Message", 0);   /* scoped: the envelope has a Body too */
	CU_ASSERT_PTR_NOT_NULL_FATAL(msg);
	char *b = xml_text(msg, "Body", 0), *s = xml_text(msg, "Subject", 0), *bt = xml_attr(msg, "Body", "BodyType", 0);
	free(msg);
	CU_ASSERT_STRING_EQUAL(s ? s : "", "Item 0");
	CU_ASSERT_STRING_EQUAL(b ? b : "", "body 0");
	CU_ASSERT_STRING_EQUAL(bt ? bt : "", "Text");
	free(b), free(s), free(bt), free(r);
	snprintf(body, sizeof body, "<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/><t:ItemId Id=\"AAMkAGQ2bogus\"/></m:ItemIds></m:GetItem>", id);
	r = post(NULL, body);
	CU_ASSERT_EQUAL(xml_count(r, "GetItemResponseMessage"), 2);
	CU_ASSERT_EQUAL(xml_count(r, "Body"), 1);   /* only the SOAP Body */
	char *c0 = xml_text(r, "ResponseCode", 0), *c1 = xml_text(r, "ResponseCode", 1);
	CU_ASSERT_STRING_EQUAL(c0 ? c0 : "", "NoError");
	CU_ASSERT_STRING_EQUAL(c1 ? c1 : "", "ErrorInvalidIdMalformed");
	free(c0), free(c1), free(r), free(id);
}

static void findfolder_shallow_deep_paged_and_getfolder(void)
{
	const char *fmt = "<m:FindFolder Traversal=\"%s\"><m:FolderShape><t:BaseShape>Default</t:BaseShape></m:FolderShape>"
			  "%s<m:ParentFolderIds><t:DistinguishedFolderId Id=\"msgfolderroot\"/></m:ParentFolderIds>"
			  "</m:FindFolder>";
	char body[1024];
	snprintf(body, sizeof body, fmt, "Shallow", "");
	char *r = post(NULL, body);
	int shallow = total_of(r);
	CU_ASSERT_EQUAL(shallow, 19);   /* inbox .. syncissues directly under the top of the store, as in Exchange */
	CU_ASSERT_EQUAL(xml_count(r, "Folder"), 12);   /* --max-page 12 */
	check_root(r, "", "19", "false");
	free(r);
	snprintf(body, sizeof body, fmt, "Deep", "");
	r = post(NULL, body);
	/* + conflicts/local/server failures, recipient cache and quick contacts + "Paging" */
	CU_ASSERT_EQUAL(total_of(r), 19 + 3 + 2 + 1);
	free(r);
	snprintf(body, sizeof body, fmt, "Deep", "<m:Restriction><t:IsEqualTo><t:FieldURI FieldURI=\"folder:DisplayName\"/>"
		 "<t:FieldURIOrConstant><t:Constant Value=\"Paging\"/></t:FieldURIOrConstant></t:IsEqualTo></m:Restriction>");
	r = post(NULL, body);
	CU_ASSERT_EQUAL(total_of(r), 1);
	CU_ASSERT(strstr(r, "<t:DisplayName>Paging</t:DisplayName>") != NULL);
	free(r);
	snprintf(body, sizeof body, fmt, "Deep", "<m:IndexedPageFolderView MaxEntriesReturned=\"5\" Offset=\"22\" BasePoint=\"Beginning\"/>");
	r = post(NULL, body);
	CU_ASSERT_EQUAL(xml_count(r, "Folder"), 3);
	check_root(r, "25", "25", "true");
	free(r);
	r = post(NULL, "<m:GetFolder><m:FolderShape><t:BaseShape>Default</t:BaseShape></m:FolderShape><m:FolderIds>"
		       "<t:DistinguishedFolderId Id=\"inbox\"/></m:FolderIds></m:GetFolder>");
	char *name = xml_text(r, "DisplayName", 0), *cc = xml_text(r, "ChildFolderCount", 0), *tc = xml_text(r, "TotalCount", 0);
	CU_ASSERT_STRING_EQUAL(name ? name : "", "Inbox");
	CU_ASSERT_STRING_EQUAL(cc ? cc : "", "1");
	CU_ASSERT_STRING_EQUAL(tc ? tc : "", "8");
	free(name), free(cc), free(tc), free(r);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "15 items by pages of 10 (paging page, figures 1-2)", fifteen_items_by_pages_of_ten },
		{ "a new item shifts the window and the anchor sees it (figures 3-4)",
		  new_item_shifts_the_window_and_the_anchor_sees_it },
		{ "BasePoint End pages from the end", base_point_end_pages_from_the_end },
		{ "the paging page's FindItem requests replayed (8 items, 6 per page, offset 5)",
		  reference_page_requests_replayed },
		{ "sort orders by subject, size, received", sort_orders_subject_size_received },
		{ "restrictions filter and combine", restrictions_filter_and_combine },
		{ "--max-page caps MaxEntriesReturned", page_cap_limits_entries },
		{ "shapes: IdOnly vs AllProperties; GetItem per-item errors", shapes_and_getitem_body },
		{ "FindFolder shallow, deep, paged; GetFolder counts", findfolder_shallow_deep_paged_and_getfolder },
		{ NULL, NULL }
	};
	char dir[] = "/tmp/ewsd-find.XXXXXX";
	const char *args[] = { "--max-page", "12", NULL };
	if (!mkdtemp(dir) || ewsd_seed(dir, "seeded@example.com", 400, 7) || ewsd_start(&srv, dir, args)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd find/get/create", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
