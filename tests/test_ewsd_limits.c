/* test_ewsd_limits.c — Exchange's limits and comparisons as ewsd reproduces them: a Subject longer than 255
 * characters is cut to 255 (CreateItem and UpdateItem, counted in characters, not bytes), category filters match
 * one whole category case-insensitively, and a CalendarView keeps an item that ends exactly at its StartDate but
 * not one that starts exactly at its EndDate. Every test uses its own mailbox. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;

static char *post_as(const char *user, const char *body) { return ews_post_body(&srv, user, "Exchange2013", body); }

static char *create_in(const char *user, const char *folder, const char *item_xml)
{
	size_t n = strlen(item_xml) + 512;
	char *body = malloc(n);
	snprintf(body, n, "<m:CreateItem MessageDisposition=\"SaveOnly\" SendMeetingInvitations=\"SendToNone\">"
		 "<m:SavedItemFolderId><t:DistinguishedFolderId Id=\"%s\"/></m:SavedItemFolderId><m:Items>%s</m:Items>"
		 "</m:CreateItem>", folder, item_xml);
	char *r = post_as(user, body), *id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(r), free(body);
	return id;
}

static char *subject_of(const char *user, const char *id)
{
	char body[1024];
	snprintf(body, sizeof body, "<m:GetItem><m:ItemShape><t:BaseShape>AllProperties</t:BaseShape></m:ItemShape>"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", id);
	char *r = post_as(user, body), *s = r ? xml_text(r, "Subject", 0) : NULL;
	free(r);
	return s;
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; s && *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void a_long_subject_is_cut_to_255_characters(void)
{
	const char *u = "subject@example.com";
	char *longsub = malloc(4001), item[4200];
	memset(longsub, 'a', 4000);
	longsub[4000] = '\0';
	snprintf(item, sizeof item, "<t:Message><t:Subject>%s</t:Subject></t:Message>", longsub);
	char *id = create_in(u, "drafts", item), *s = id ? subject_of(u, id) : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	CU_ASSERT_EQUAL(s ? strlen(s) : 0, 255);
	free(s);
	/* characters, not bytes: 300 two-byte characters keep 255 of them */
	char body[4096], wide[700] = "";
	for (int i = 0; i < 300; i++)
		strcat(wide, "\xc3\xa9");
	snprintf(body, sizeof body, "<m:UpdateItem ConflictResolution=\"AlwaysOverwrite\" MessageDisposition=\"SaveOnly\">"
		 "<m:ItemChanges><t:ItemChange><t:ItemId Id=\"%s\"/><t:Updates><t:SetItemField><t:FieldURI "
		 "FieldURI=\"item:Subject\"/><t:Message><t:Subject>%s</t:Subject></t:Message></t:SetItemField>"
		 "</t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>", id, wide);
	char *r = post_as(u, body), *code = r ? xml_text(r, "ResponseCode", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(code ? code : "", "NoError");
	free(code), free(r);
	s = subject_of(u, id);
	CU_ASSERT_EQUAL(utf8_chars(s), 255);
	CU_ASSERT_EQUAL(s ? strlen(s) : 0, 510);
	/* a short one is kept as it is */
	free(s), free(id);
	id = create_in(u, "drafts", "<t:Message><t:Subject>short</t:Subject></t:Message>");
	s = id ? subject_of(u, id) : NULL;
	CU_ASSERT_STRING_EQUAL(s ? s : "", "short");
	free(s), free(id), free(longsub);
}

static int count_matching(const char *user, const char *folder, const char *restriction)
{
	char body[2048];
	snprintf(body, sizeof body, "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
		 "</m:ItemShape><m:Restriction>%s</m:Restriction><m:ParentFolderIds><t:DistinguishedFolderId Id=\"%s\"/>"
		 "</m:ParentFolderIds></m:FindItem>", restriction, folder);
	char *r = post_as(user, body), *t = r ? xml_attr(r, "RootFolder", "TotalItemsInView", 0) : NULL;
	int n = t ? atoi(t) : -1;
	free(t), free(r);
	return n;
}

static void category_filters_ignore_case_and_match_whole_categories(void)
{
	const char *u = "cats@example.com";
	free(create_in(u, "inbox", "<t:Message><t:Subject>tagged</t:Subject><t:Categories><t:String>Red Category"
			       "</t:String><t:String>Project X</t:String></t:Categories></t:Message>"));
	free(create_in(u, "inbox", "<t:Message><t:Subject>plain</t:Subject></t:Message>"));
	const char *eq = "<t:IsEqualTo><t:FieldURI FieldURI=\"item:Categories\"/><t:FieldURIOrConstant><t:Constant "
			 "Value=\"%s\"/></t:FieldURIOrConstant></t:IsEqualTo>";
	const char *ne = "<t:IsNotEqualTo><t:FieldURI FieldURI=\"item:Categories\"/><t:FieldURIOrConstant><t:Constant "
			 "Value=\"%s\"/></t:FieldURIOrConstant></t:IsNotEqualTo>";
	char x[512];
	snprintf(x, sizeof x, eq, "red category");
	CU_ASSERT_EQUAL(count_matching(u, "inbox", x), 1);
	snprintf(x, sizeof x, eq, "PROJECT X");
	CU_ASSERT_EQUAL(count_matching(u, "inbox", x), 1);
	snprintf(x, sizeof x, eq, "Red");                       /* a whole category, not a part of one */
	CU_ASSERT_EQUAL(count_matching(u, "inbox", x), 0);
	snprintf(x, sizeof x, ne, "red CATEGORY");
	CU_ASSERT_EQUAL(count_matching(u, "inbox", x), 1);      /* only the untagged one */
}

static char *appointment(const char *subject, const char *start, const char *end)
{
	static char xml[512];
	snprintf(xml, sizeof xml, "<t:CalendarItem><t:Subject>%s</t:Subject><t:Start>%s</t:Start><t:End>%s</t:End>"
		 "</t:CalendarItem>", subject, start, end);
	return xml;
}

static void a_calendar_view_keeps_an_item_ending_at_its_start(void)
{
	const char *u = "view@example.com";
	free(create_in(u, "calendar", appointment("ends at start", "2024-03-01T10:00:00Z", "2024-03-01T11:00:00Z")));
	free(create_in(u, "calendar", appointment("inside", "2024-03-01T11:15:00Z", "2024-03-01T11:45:00Z")));
	free(create_in(u, "calendar", appointment("starts at end", "2024-03-01T12:00:00Z", "2024-03-01T13:00:00Z")));
	free(create_in(u, "calendar", appointment("ends before", "2024-03-01T09:00:00Z", "2024-03-01T10:59:59Z")));
	char *r = post_as(u, "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>Default</t:BaseShape>"
			     "</m:ItemShape><m:CalendarView StartDate=\"2024-03-01T11:00:00Z\" EndDate=\"2024-03-01T12:00:00Z\"/>"
			     "<m:ParentFolderIds><t:DistinguishedFolderId Id=\"calendar\"/></m:ParentFolderIds></m:FindItem>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT(strstr(r, ">ends at start<") != NULL);
	CU_ASSERT(strstr(r, ">inside<") != NULL);
	CU_ASSERT(strstr(r, ">starts at end<") == NULL);
	CU_ASSERT(strstr(r, ">ends before<") == NULL);
	CU_ASSERT_EQUAL(xml_count(r, "CalendarItem"), 2);
	free(r);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "a long Subject is cut to 255 characters", a_long_subject_is_cut_to_255_characters },
		{ "category filters ignore case and match whole categories",
		  category_filters_ignore_case_and_match_whole_categories },
		{ "a CalendarView keeps an item ending at its start", a_calendar_view_keeps_an_item_ending_at_its_start },
		{ NULL, NULL }
	};
	if (ewsd_start(&srv, NULL, NULL)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd limits", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
