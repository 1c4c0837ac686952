/* test_ewsd_items.c — ewsd item and folder operations beyond paging: MoveItem/CopyItem (new ids, as Exchange),
 * DeleteItem to Deleted Items vs hard delete, SendAndSaveCopy delivering to a local mailbox, UpdateItem
 * DeleteItemField, the item classes (calendar, contact, task) round-tripping their properties, and the seeder
 * (deterministic per --seed, all item kinds). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews_schema_members.h"
#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;

static char *post_as(const char *user, const char *body) { return ews_post_body(&srv, user, "Exchange2013", body); }

static char *post(const char *body) { return post_as(NULL, body); }

static int count_in(const char *user, const char *folder)
{
	char body[512];
	snprintf(body, sizeof body, "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
		 "</m:ItemShape><m:ParentFolderIds><t:DistinguishedFolderId Id=\"%s\"/></m:ParentFolderIds></m:FindItem>",
		 folder);
	char *r = post_as(user, body), *t = r ? xml_attr(r, "RootFolder", "TotalItemsInView", 0) : NULL;
	int n = t ? atoi(t) : -1;
	free(t), free(r);
	return n;
}

static char *create_in(const char *folder, const char *item_xml)
{
	char body[4096];
	snprintf(body, sizeof body, "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:SavedItemFolderId>"
		 "<t:DistinguishedFolderId Id=\"%s\"/></m:SavedItemFolderId><m:Items>%s</m:Items></m:CreateItem>",
		 folder, item_xml);
	char *r = post(body), *id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(r);
	return id;
}

static char *code_of(const char *r, int nth) { return r ? xml_text(r, "ResponseCode", nth) : NULL; }

static void move_and_copy_give_new_ids(void)
{
	char *id = create_in("drafts", "<t:Message><t:Subject>mover</t:Subject></t:Message>");
	char body[2048];
	snprintf(body, sizeof body, "<m:CopyItem><m:ToFolderId><t:DistinguishedFolderId Id=\"junkemail\"/></m:ToFolderId>"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:CopyItem>", id);
	char *r = post(body), *copy = xml_attr(r, "ItemId", "Id", 0), *c = code_of(r, 0);
	CU_ASSERT_STRING_EQUAL(c ? c : "", "NoError");
	CU_ASSERT(copy && strcmp(copy, id));
	free(r), free(c);
	snprintf(body, sizeof body, "<m:MoveItem><m:ToFolderId><t:DistinguishedFolderId Id=\"inbox\"/></m:ToFolderId>"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:MoveItem>", id);
	r = post(body);
	char *moved = xml_attr(r, "ItemId", "Id", 0);
	CU_ASSERT(moved && strcmp(moved, id));
	free(r);
	CU_ASSERT_EQUAL(count_in(NULL, "drafts"), 0);
	CU_ASSERT_EQUAL(count_in(NULL, "inbox"), 1);
	CU_ASSERT_EQUAL(count_in(NULL, "junkemail"), 1);
	/* the old id is gone */
	snprintf(body, sizeof body, "<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:ItemIds>"
		 "<t:ItemId Id=\"%s\"/><t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", id, moved);
	r = post(body);
	char *c0 = code_of(r, 0), *c1 = code_of(r, 1);
	CU_ASSERT_STRING_EQUAL(c0 ? c0 : "", "ErrorItemNotFound");
	CU_ASSERT_STRING_EQUAL(c1 ? c1 : "", "NoError");
	free(c0), free(c1), free(r);
	/* MoveToDeletedItems; SoftDelete of the copy */
	snprintf(body, sizeof body, "<m:DeleteItem DeleteType=\"MoveToDeletedItems\"><m:ItemIds><t:ItemId Id=\"%s\"/>"
		 "</m:ItemIds></m:DeleteItem>", moved);
	free(post(body));
	CU_ASSERT_EQUAL(count_in(NULL, "inbox"), 0);
	CU_ASSERT_EQUAL(count_in(NULL, "deleteditems"), 1);
	snprintf(body, sizeof body, "<m:DeleteItem DeleteType=\"SoftDelete\"><m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds>"
		 "</m:DeleteItem>", copy);
	r = post(body);
	c = code_of(r, 0);
	CU_ASSERT_STRING_EQUAL(c ? c : "", "NoError");
	free(c), free(r);
	CU_ASSERT_EQUAL(count_in(NULL, "junkemail"), 0);
	/* soft-deleted: in the dumpster, a distinguished folder since Exchange 2010 */
	if (ews_test_needs(EWS_TEST_DEFINED(EWS_HAS_ewstype__DistinguishedFolderIdNameType_recoverableitemsdeletions),
			   "distinguished folder recoverableitemsdeletions", "a soft-deleted item is in the dumpster"))
		CU_ASSERT_EQUAL(count_in(NULL, "recoverableitemsdeletions"), 1);
	free(id), free(copy), free(moved);
}

static void send_and_save_copy_delivers_locally(void)
{
	CU_ASSERT_EQUAL(count_in("bob@example.com", "inbox"), 0);    /* creates bob's mailbox */
	char *r = post("<m:CreateItem MessageDisposition=\"SendAndSaveCopy\"><m:SavedItemFolderId><t:DistinguishedFolderId "
		       "Id=\"sentitems\"/></m:SavedItemFolderId><m:Items><t:Message><t:Subject>hello bob</t:Subject>"
		       "<t:Body BodyType=\"Text\">hi</t:Body><t:ToRecipients><t:Mailbox><t:Name>Bob</t:Name><t:EmailAddress>"
		       "bob@example.com</t:EmailAddress></t:Mailbox></t:ToRecipients></t:Message></m:Items></m:CreateItem>");
	char *c = code_of(r, 0);
	CU_ASSERT_STRING_EQUAL(c ? c : "", "NoError");
	free(c), free(r);
	CU_ASSERT_EQUAL(count_in(NULL, "sentitems"), 1);
	CU_ASSERT_EQUAL(count_in("bob@example.com", "inbox"), 1);
	r = post_as("bob@example.com", "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>Default</t:BaseShape>"
		    "</m:ItemShape><m:ParentFolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:ParentFolderIds></m:FindItem>");
	char *from = xml_text(r, "EmailAddress", 0), *read = xml_text(r, "IsRead", 0);
	CU_ASSERT_STRING_EQUAL(from ? from : "", "user@example.com");
	CU_ASSERT_STRING_EQUAL(read ? read : "", "false");
	free(from), free(read), free(r);
}

static void item_classes_keep_their_properties(void)
{
	char *cal = create_in("calendar", "<t:CalendarItem><t:Subject>Standup</t:Subject><t:Start>2024-03-01T09:00:00Z"
			      "</t:Start><t:End>2024-03-01T09:15:00Z</t:End><t:Location>Room 7</t:Location></t:CalendarItem>");
	char *con = create_in("contacts", "<t:Contact><t:GivenName>Ada</t:GivenName><t:CompanyName>Analytical"
			      "</t:CompanyName><t:EmailAddresses><t:Entry Key=\"EmailAddress1\">ada@example.com</t:Entry>"
			      "</t:EmailAddresses><t:Surname>Lovelace</t:Surname></t:Contact>");
	char *task = create_in("tasks", "<t:Task><t:Subject>File report</t:Subject><t:DueDate>2024-04-01T00:00:00Z"
			       "</t:DueDate><t:Status>InProgress</t:Status></t:Task>");
	CU_ASSERT_FATAL(cal && con && task);
	char body[4096];
	snprintf(body, sizeof body, "<m:GetItem><m:ItemShape><t:BaseShape>AllProperties</t:BaseShape></m:ItemShape>"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/><t:ItemId Id=\"%s\"/><t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>",
		 cal, con, task);
	char *r = post(body);
	char *ci = xml_element(r, "CalendarItem", 0), *co = xml_element(r, "Contact", 0), *ta = xml_element(r, "Task", 0);
	CU_ASSERT_FATAL(ci && co && ta);
	struct { const char *xml, *elem, *want; } checks[] = {
		{ ci, "Start", "2024-03-01T09:00:00Z" }, { ci, "End", "2024-03-01T09:15:00Z" }, { ci, "Location", "Room 7" },
		{ ci, "ItemClass", "IPM.Appointment" }, { co, "DisplayName", "Ada Lovelace" }, { co, "Surname", "Lovelace" },
		{ co, "CompanyName", "Analytical" }, { co, "Entry", "ada@example.com" }, { co, "ItemClass", "IPM.Contact" },
		{ ta, "DueDate", "2024-04-01T00:00:00Z" }, { ta, "Status", "InProgress" }, { ta, "ItemClass", "IPM.Task" },
	};
	for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
		char *v = xml_text(checks[i].xml, checks[i].elem, 0);
		CU_ASSERT_STRING_EQUAL(v ? v : "", checks[i].want);
		free(v);
	}
	free(ci), free(co), free(ta), free(r);
	/* DeleteItemField removes a property; the ChangeKey moves on */
	snprintf(body, sizeof body, "<m:UpdateItem ConflictResolution=\"AlwaysOverwrite\"><m:ItemChanges><t:ItemChange>"
		 "<t:ItemId Id=\"%s\"/><t:Updates><t:DeleteItemField><t:FieldURI FieldURI=\"calendar:Location\"/>"
		 "</t:DeleteItemField></t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>", cal);
	r = post(body);
	char *c = code_of(r, 0);
	CU_ASSERT_STRING_EQUAL(c ? c : "", "NoError");
	free(c), free(r);
	snprintf(body, sizeof body, "<m:GetItem><m:ItemShape><t:BaseShape>AllProperties</t:BaseShape></m:ItemShape>"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", cal);
	r = post(body);
	CU_ASSERT_EQUAL(xml_count(r, "Location"), 0);
	free(r), free(cal), free(con), free(task);
}

static void calendar_fractional_and_contacts_views(void)
{
	char *a = create_in("calendar", "<t:CalendarItem><t:Subject>Jan 2</t:Subject><t:Start>2025-01-02T09:00:00Z</t:Start>"
			    "<t:End>2025-01-02T10:00:00Z</t:End></t:CalendarItem>");
	char *b = create_in("calendar", "<t:CalendarItem><t:Subject>Jan 1</t:Subject><t:Start>2025-01-01T09:00:00+01:00"
			    "</t:Start><t:End>2025-01-01T10:00:00+01:00</t:End></t:CalendarItem>");
	char *c = create_in("calendar", "<t:CalendarItem><t:Subject>Jan 5</t:Subject><t:Start>2025-01-05T09:00:00Z</t:Start>"
			    "<t:End>2025-01-05T10:00:00Z</t:End></t:CalendarItem>");
	free(a), free(b), free(c);
	const char *fmt = "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>Default</t:BaseShape></m:ItemShape>"
			  "%s<m:ParentFolderIds><t:DistinguishedFolderId Id=\"%s\"/></m:ParentFolderIds></m:FindItem>";
	char body[1024];
	snprintf(body, sizeof body, fmt, "<m:CalendarView StartDate=\"2025-01-01T00:00:00Z\" EndDate=\"2025-01-03T00:00:00Z\"/>",
		 "calendar");
	char *r = post(body);
	CU_ASSERT_EQUAL(xml_count(r, "CalendarItem"), 2);
	char *s0 = xml_text(r, "Subject", 0), *s1 = xml_text(r, "Subject", 1), *st = xml_text(r, "Start", 0);
	CU_ASSERT_STRING_EQUAL(s0 ? s0 : "", "Jan 1");
	CU_ASSERT_STRING_EQUAL(s1 ? s1 : "", "Jan 2");
	CU_ASSERT_STRING_EQUAL(st ? st : "", "2025-01-01T08:00:00Z");   /* kept and answered in UTC */
	free(s0), free(s1), free(st), free(r);
	snprintf(body, sizeof body, fmt, "<m:CalendarView MaxEntriesReturned=\"1\" StartDate=\"2025-01-01T00:00:00Z\" "
		 "EndDate=\"2025-01-31T00:00:00Z\"/>", "calendar");
	r = post(body);
	char *last = xml_attr(r, "RootFolder", "IncludesLastItemInRange", 0), *tot = xml_attr(r, "RootFolder", "TotalItemsInView", 0);
	CU_ASSERT_EQUAL(xml_count(r, "CalendarItem"), 1);
	CU_ASSERT_STRING_EQUAL(last ? last : "", "false");
	CU_ASSERT_STRING_EQUAL(tot ? tot : "", "3");
	free(last), free(tot), free(r);
	/* fractional: half-way through the calendar's 4 items */
	snprintf(body, sizeof body, fmt, "<m:FractionalPageItemView MaxEntriesReturned=\"10\" Numerator=\"1\" "
		 "Denominator=\"2\"/>", "calendar");
	r = post(body);
	char *num = xml_attr(r, "RootFolder", "NumeratorOffset", 0), *den = xml_attr(r, "RootFolder", "AbsoluteDenominator", 0);
	CU_ASSERT_EQUAL(xml_count(r, "CalendarItem"), 2);
	CU_ASSERT_STRING_EQUAL(num ? num : "", "4");
	CU_ASSERT_STRING_EQUAL(den ? den : "", "4");
	free(num), free(den), free(r);
	/* contacts by name range */
	snprintf(body, sizeof body, fmt, "<m:ContactsView InitialName=\"A\" FinalName=\"B\"/>", "contacts");
	r = post(body);
	CU_ASSERT_EQUAL(xml_count(r, "Contact"), 1);   /* Ada Lovelace */
	free(r);
}

static char *seeded_subjects(const char *dir, int seed)
{
	struct ewsd_proc p;
	ewsd_seed(dir, "seed@example.com", 300, seed);
	if (ewsd_start(&p, dir, NULL))
		return NULL;
	struct http_resp r;
	ews_post(&p, "seed@example.com", "Exchange2013", NULL, "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>"
		 "Default</t:BaseShape></m:ItemShape><m:ParentFolderIds><t:DistinguishedFolderId Id=\"inbox\"/>"
		 "<t:DistinguishedFolderId Id=\"calendar\"/><t:DistinguishedFolderId Id=\"contacts\"/>"
		 "<t:DistinguishedFolderId Id=\"tasks\"/><t:DistinguishedFolderId Id=\"sentitems\"/></m:ParentFolderIds>"
		 "</m:FindItem>", &r);
	ewsd_stop(&p, 0);
	/* strip ids (GUIDs differ per store): keep subjects, dates and classes */
	size_t cap = r.len + 1, k = 0;
	char *out = calloc(1, cap);
	for (int i = 0; out; i++) {
		char *s = xml_text(r.body, "Subject", i), *d = xml_text(r.body, "DateTimeReceived", i);
		if (!s) {
			free(d);
			break;
		}
		k += (size_t)snprintf(out + k, cap - k, "%s|%s\n", s, d ? d : "");
		free(s), free(d);
	}
	int kinds = (xml_count(r.body, "CalendarItem") > 0) + (xml_count(r.body, "Contact") > 0) +
		    (xml_count(r.body, "Task") > 0) + (xml_count(r.body, "MeetingRequest") > 0) +
		    (xml_count(r.body, "Message") > 0);
	CU_ASSERT_EQUAL(kinds, 5);
	http_resp_free(&r);
	return out;
}

static void seeding_is_deterministic(void)
{
	char d1[] = "/tmp/ewsd-seed1.XXXXXX", d2[] = "/tmp/ewsd-seed2.XXXXXX", d3[] = "/tmp/ewsd-seed3.XXXXXX";
	CU_ASSERT_FATAL(mkdtemp(d1) && mkdtemp(d2) && mkdtemp(d3));
	char *a = seeded_subjects(d1, 42), *b = seeded_subjects(d2, 42), *c = seeded_subjects(d3, 43);
	CU_ASSERT_FATAL(a && b && c);
	CU_ASSERT(strlen(a) > 1000);
	CU_ASSERT_STRING_EQUAL(a, b);
	CU_ASSERT_STRING_NOT_EQUAL(a, c);
	free(a), free(b), free(c);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "MoveItem and CopyItem give new ids; delete to Deleted Items, soft delete to the dumpster", move_and_copy_give_new_ids },
		{ "SendAndSaveCopy keeps a copy and delivers to a local mailbox", send_and_save_copy_delivers_locally },
		{ "calendar items, contacts and tasks keep their properties; DeleteItemField",
		  item_classes_keep_their_properties },
		{ "CalendarView, FractionalPageItemView, ContactsView", calendar_fractional_and_contacts_views },
		{ "seeding is deterministic per --seed and makes every item kind", seeding_is_deterministic },
		{ NULL, NULL }
	};
	if (ewsd_start(&srv, NULL, NULL)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd items and folders", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
