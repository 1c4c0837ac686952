/* test_ewsd_find_props.c — FindItem restrictions and sort orders on what Exchange searches beyond the plain
 * columns: extended properties (numeric comparison for integer types, string equality, any value of an array),
 * contacts' dictionaries through IndexedFieldURI (EmailAddress1..3, PhysicalAddress:City ...), first-class
 * properties kept beside the columns (Sensitivity, Normal when never set); a field no item carries matches nothing
 * (NoError, no items), while the streamed ones Exchange refuses stay ErrorUnsupportedPathForQuery. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;

static char *post_as(const char *user, const char *body) { return ews_post_body(&srv, user, "Exchange2013", body); }

static void create(const char *user, const char *folder, const char *items)
{
	char body[16384];
	snprintf(body, sizeof body, "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:SavedItemFolderId><t:DistinguishedFolderId "
		 "Id=\"%s\"/></m:SavedItemFolderId><m:Items>%s</m:Items></m:CreateItem>", folder, items);
	char *r = post_as(user, body);
	CU_ASSERT(r && !strstr(r, "ResponseClass=\"Error\""));
	free(r);
}

/* FindItem with a restriction (and sort order); returns the response. */
static char *find(const char *user, const char *folder, const char *restriction, const char *sort)
{
	char body[8192];
	snprintf(body, sizeof body, "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>Default</t:BaseShape>"
		 "</m:ItemShape>%s%s%s%s%s%s<m:ParentFolderIds><t:DistinguishedFolderId Id=\"%s\"/></m:ParentFolderIds>"
		 "</m:FindItem>", restriction ? "<m:Restriction>" : "", restriction ? restriction : "",
		 restriction ? "</m:Restriction>" : "", sort ? "<m:SortOrder>" : "", sort ? sort : "",
		 sort ? "</m:SortOrder>" : "", folder);
	return post_as(user, body);
}

/* The subjects of the items found, in order, joined by ",". */
static char *subjects(const char *r)
{
	static char out[1024];
	out[0] = '\0';
	for (int i = 0; r; i++) {
		char *s = xml_text(r, "Subject", i);
		if (!s)
			break;
		if (i)
			strcat(out, ",");
		strncat(out, s, sizeof out - strlen(out) - 2);
		free(s);
	}
	return out;
}

static void found_is(const char *r, const char *want)
{
	char *code = r ? xml_text(r, "ResponseCode", 0) : NULL;
	const char *got = subjects(r);
	if (!code || strcmp(code, "NoError") || strcmp(got, want))
		fprintf(stderr, "\n  found %s (%s), expected %s\n", got, code ? code : "no answer", want);
	CU_ASSERT_STRING_EQUAL(code ? code : "", "NoError");
	CU_ASSERT_STRING_EQUAL(got, want);
	free(code);
}

#define RANK "<t:ExtendedFieldURI PropertySetId=\"c11ff724-aa03-4555-9952-8fa248a11c3e\" PropertyName=\"Rank\" " \
	     "PropertyType=\"Integer\"/>"
#define TAGS "<t:ExtendedFieldURI PropertySetId=\"c11ff724-aa03-4555-9952-8fa248a11c3e\" PropertyName=\"Tags\" " \
	     "PropertyType=\"StringArray\"/>"
#define ORIGIN "<t:ExtendedFieldURI PropertyTag=\"0x3FFA\" PropertyType=\"String\"/>"

static void msg(char *out, size_t n, const char *subject, int rank, const char *tags, const char *origin)
{
	char r[512] = "", t[512] = "", o[512] = "";
	if (rank)
		snprintf(r, sizeof r, "<t:ExtendedProperty>" RANK "<t:Value>%d</t:Value></t:ExtendedProperty>", rank);
	if (tags)
		snprintf(t, sizeof t, "<t:ExtendedProperty>" TAGS "<t:Values>%s</t:Values></t:ExtendedProperty>", tags);
	if (origin)
		snprintf(o, sizeof o, "<t:ExtendedProperty>" ORIGIN "<t:Value>%s</t:Value></t:ExtendedProperty>", origin);
	snprintf(out + strlen(out), n - strlen(out), "<t:Message><t:Subject>%s</t:Subject>%s%s%s</t:Message>", subject, r,
		 t, o);
}

static void extended_properties_filter_and_sort_as_their_type(void)
{
	const char *me = "ext@example.com";
	char items[8192] = "";
	msg(items, sizeof items, "ten", 10, "<t:Value>red</t:Value><t:Value>blue</t:Value>", "web");
	msg(items, sizeof items, "two", 2, "<t:Value>green</t:Value>", "mail");
	msg(items, sizeof items, "nine", 9, NULL, "web");
	msg(items, sizeof items, "none", 0, NULL, NULL);
	create(me, "drafts", items);
	/* Integer compares as a number (10 > 9), not as text */
	char *r = find(me, "drafts", "<t:IsGreaterThan>" RANK "<t:FieldURIOrConstant><t:Constant Value=\"5\"/>"
				     "</t:FieldURIOrConstant></t:IsGreaterThan>",
		       "<t:FieldOrder Order=\"Ascending\">" RANK "</t:FieldOrder>");
	found_is(r, "nine,ten");
	free(r);
	/* sorted descending: the item without the property last, as a missing value sorts low */
	r = find(me, "drafts", NULL, "<t:FieldOrder Order=\"Descending\">" RANK "</t:FieldOrder>");
	found_is(r, "ten,nine,two,none");
	free(r);
	r = find(me, "drafts", "<t:IsEqualTo>" ORIGIN "<t:FieldURIOrConstant><t:Constant Value=\"web\"/>"
			       "</t:FieldURIOrConstant></t:IsEqualTo>",
		 "<t:FieldOrder Order=\"Ascending\"><t:FieldURI FieldURI=\"item:Subject\"/></t:FieldOrder>");
	found_is(r, "nine,ten");
	free(r);
	/* an array property equals a constant when one of its values does */
	r = find(me, "drafts", "<t:IsEqualTo>" TAGS "<t:FieldURIOrConstant><t:Constant Value=\"blue\"/>"
			       "</t:FieldURIOrConstant></t:IsEqualTo>", NULL);
	found_is(r, "ten");
	free(r);
	r = find(me, "drafts", "<t:Exists>" RANK "</t:Exists>",
		 "<t:FieldOrder Order=\"Ascending\">" RANK "</t:FieldOrder>");
	found_is(r, "two,nine,ten");
	free(r);
	r = find(me, "drafts", "<t:Not><t:Exists>" ORIGIN "</t:Exists></t:Not>", NULL);
	found_is(r, "none");
	free(r);
	r = find(me, "drafts", "<t:Contains ContainmentMode=\"Prefixed\" ContainmentComparison=\"IgnoreCase\">" ORIGIN
			       "<t:Constant Value=\"MA\"/></t:Contains>", NULL);
	found_is(r, "two");
	free(r);
}

#define CONTACT(given, e1, e2, city, phone) \
	"<t:Contact><t:GivenName>" given "</t:GivenName><t:EmailAddresses><t:Entry Key=\"EmailAddress1\">" e1 \
	"</t:Entry><t:Entry Key=\"EmailAddress2\">" e2 "</t:Entry></t:EmailAddresses><t:PhysicalAddresses>" \
	"<t:Entry Key=\"Business\"><t:Street>1 Main St</t:Street><t:City>" city "</t:City></t:Entry>" \
	"</t:PhysicalAddresses><t:PhoneNumbers><t:Entry Key=\"MobilePhone\">" phone "</t:Entry></t:PhoneNumbers>" \
	"</t:Contact>"

static void contact_dictionaries_are_searched_through_indexed_fields(void)
{
	const char *me = "people@example.com";
	create(me, "contacts", CONTACT("Ada", "ada@work.example", "ada@home.example", "Oslo", "+47 1") CONTACT(
				       "Bo", "bo@work.example", "bo@home.example", "Bergen", "+47 2")
				       CONTACT("Cy", "cy@work.example", "cy@home.example", "Aalborg", "+45 3"));
	char *r = find(me, "contacts", "<t:IsEqualTo><t:IndexedFieldURI FieldURI=\"contacts:PhysicalAddress:City\" "
				       "FieldIndex=\"Business\"/><t:FieldURIOrConstant><t:Constant Value=\"Bergen\"/>"
				       "</t:FieldURIOrConstant></t:IsEqualTo>", NULL);
	found_is(r, "Bo");
	free(r);
	r = find(me, "contacts", "<t:IsEqualTo><t:IndexedFieldURI FieldURI=\"contacts:EmailAddress\" "
				 "FieldIndex=\"EmailAddress2\"/><t:FieldURIOrConstant><t:Constant Value=\"cy@home.example\"/>"
				 "</t:FieldURIOrConstant></t:IsEqualTo>", NULL);
	found_is(r, "Cy");
	free(r);
	r = find(me, "contacts", "<t:Contains ContainmentMode=\"Substring\" ContainmentComparison=\"IgnoreCase\">"
				 "<t:IndexedFieldURI FieldURI=\"contacts:EmailAddress\" FieldIndex=\"EmailAddress1\"/>"
				 "<t:Constant Value=\"ADA@\"/></t:Contains>", NULL);
	found_is(r, "Ada");
	free(r);
	r = find(me, "contacts", "<t:Contains ContainmentMode=\"Prefixed\" ContainmentComparison=\"IgnoreCase\">"
				 "<t:IndexedFieldURI FieldURI=\"contacts:PhoneNumber\" FieldIndex=\"MobilePhone\"/>"
				 "<t:Constant Value=\"+47\"/></t:Contains>",
		 "<t:FieldOrder Order=\"Ascending\"><t:IndexedFieldURI FieldURI=\"contacts:PhysicalAddress:City\" "
		 "FieldIndex=\"Business\"/></t:FieldOrder>");
	found_is(r, "Bo,Ada");
	free(r);
	/* the dictionaries are kept and returned */
	char *id = NULL;
	r = find(me, "contacts", "<t:IsEqualTo><t:FieldURI FieldURI=\"contacts:GivenName\"/><t:FieldURIOrConstant>"
				 "<t:Constant Value=\"Ada\"/></t:FieldURIOrConstant></t:IsEqualTo>", NULL);
	id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char body[2048];
	snprintf(body, sizeof body, "<m:GetItem><m:ItemShape><t:BaseShape>AllProperties</t:BaseShape></m:ItemShape>"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", id);
	r = post_as(me, body);
	CU_ASSERT(r && strstr(r, "<t:Entry Key=\"EmailAddress2\">ada@home.example</t:Entry>"));
	CU_ASSERT(r && strstr(r, "<t:Entry Key=\"Business\"><t:Street>1 Main St</t:Street><t:City>Oslo</t:City></t:Entry>"));
	CU_ASSERT(r && strstr(r, "<t:Entry Key=\"MobilePhone\">+47 1</t:Entry>"));
	free(r), free(id);
}

static void fields_no_item_has_match_nothing_and_streamed_ones_are_refused(void)
{
	const char *me = "odd@example.com";
	create(me, "drafts", "<t:Message><t:Subject>a</t:Subject></t:Message><t:Message><t:Subject>b</t:Subject>"
			     "<t:Sensitivity>Private</t:Sensitivity></t:Message>");
	char *r = find(me, "drafts", "<t:IsLessThan><t:FieldURI FieldURI=\"item:ReminderDueBy\"/><t:FieldURIOrConstant>"
				     "<t:Constant Value=\"2030-01-01T00:00:00Z\"/></t:FieldURIOrConstant></t:IsLessThan>", NULL);
	found_is(r, "");
	CU_ASSERT(r && strstr(r, "TotalItemsInView=\"0\""));
	free(r);
	/* Sensitivity is Normal on an item that never set it */
	r = find(me, "drafts", "<t:IsEqualTo><t:FieldURI FieldURI=\"item:Sensitivity\"/><t:FieldURIOrConstant>"
			       "<t:Constant Value=\"Normal\"/></t:FieldURIOrConstant></t:IsEqualTo>", NULL);
	found_is(r, "a");
	free(r);
	r = find(me, "drafts", NULL, "<t:FieldOrder Order=\"Descending\"><t:FieldURI FieldURI=\"item:Sensitivity\"/>"
				     "</t:FieldOrder>");
	found_is(r, "b,a");
	free(r);
	r = find(me, "drafts", "<t:Exists><t:FieldURI FieldURI=\"item:MimeContent\"/></t:Exists>", NULL);
	char *code = r ? xml_text(r, "ResponseCode", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(code ? code : "", "ErrorUnsupportedPathForQuery");
	free(code), free(r);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "extended properties filter and sort as their type", extended_properties_filter_and_sort_as_their_type },
		{ "contact dictionaries are searched through indexed fields",
		  contact_dictionaries_are_searched_through_indexed_fields },
		{ "fields no item has match nothing and streamed ones are refused",
		  fields_no_item_has_match_nothing_and_streamed_ones_are_refused },
		{ NULL, NULL }
	};
	if (ewsd_start(&srv, NULL, NULL)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd FindItem on extended and indexed fields", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
