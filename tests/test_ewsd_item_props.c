/* test_ewsd_item_props.c — the item properties ewsd used to accept and lose: Sensitivity, Culture, InReplyTo,
 * IsAllDayEvent, CalendarItemType and extended properties (by tag, by property set + name, by property set GUID +
 * id, arrays) stored by CreateItem, returned by GetItem/FindItem, changed by UpdateItem's SetItemField and
 * DeleteItemField, kept by CopyItem; UpdateItem refusals name the field in MessageXml and leave the item as it
 * was (Exchange applies an ItemChange whole or not at all). Every test uses its own mailbox. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;

static char *post_as(const char *user, const char *body) { return ews_post_body(&srv, user, "Exchange2013", body); }

static char *create_in(const char *user, const char *folder, const char *item_xml)
{
	char body[4096];
	snprintf(body, sizeof body, "<m:CreateItem MessageDisposition=\"SaveOnly\" SendMeetingInvitations=\"SendToNone\">"
		 "<m:SavedItemFolderId><t:DistinguishedFolderId Id=\"%s\"/></m:SavedItemFolderId><m:Items>%s</m:Items>"
		 "</m:CreateItem>", folder, item_xml);
	char *r = post_as(user, body), *id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	if (!id)
		fprintf(stderr, "\n  CreateItem: %s\n", r ? r : "(no answer)");
	free(r);
	return id;
}

#define TAG_PROP "<t:ExtendedFieldURI PropertyTag=\"0x3A45\" PropertyType=\"String\"/>"
#define NAMED_PROP "<t:ExtendedFieldURI DistinguishedPropertySetId=\"PublicStrings\" PropertyName=\"ewsd-test\" " \
		   "PropertyType=\"String\"/>"
#define ID_PROP "<t:ExtendedFieldURI PropertySetId=\"00062008-0000-0000-C000-000000000046\" PropertyId=\"34051\" " \
		"PropertyType=\"Integer\"/>"
#define ARRAY_PROP "<t:ExtendedFieldURI DistinguishedPropertySetId=\"PublicStrings\" PropertyName=\"Keywords2\" " \
		   "PropertyType=\"StringArray\"/>"

static char *get_item(const char *user, const char *id, const char *shape, const char *additional)
{
	char body[4096];
	snprintf(body, sizeof body, "<m:GetItem><m:ItemShape><t:BaseShape>%s</t:BaseShape>%s%s%s</m:ItemShape><m:ItemIds>"
		 "<t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", shape, additional ? "<t:AdditionalProperties>" : "",
		 additional ? additional : "", additional ? "</t:AdditionalProperties>" : "", id);
	return post_as(user, body);
}

static void assert_text(const char *xml, const char *elem, int nth, const char *want)
{
	char *v = xml ? xml_text(xml, elem, nth) : NULL;
	if (!v || strcmp(v, want))
		fprintf(stderr, "\n  %s[%d]: %s, expected %s\n", elem, nth, v ? v : "(none)", want);
	CU_ASSERT_STRING_EQUAL(v ? v : "", want);
	free(v);
}

static void created_properties_come_back(void)
{
	const char *u = "props@example.com";
	char *id = create_in(u, "drafts", "<t:Message><t:Subject>props</t:Subject><t:Sensitivity>Private</t:Sensitivity>"
				     "<t:InReplyTo>&lt;abc@example.com&gt;</t:InReplyTo>"
				     "<t:ExtendedProperty>" TAG_PROP "<t:Value>tagged</t:Value></t:ExtendedProperty>"
				     "<t:ExtendedProperty>" NAMED_PROP "<t:Value>named</t:Value></t:ExtendedProperty>"
				     "<t:ExtendedProperty>" ID_PROP "<t:Value>42</t:Value></t:ExtendedProperty>"
				     "<t:ExtendedProperty>" ARRAY_PROP "<t:Values><t:Value>one</t:Value><t:Value>two"
				     "</t:Value></t:Values></t:ExtendedProperty><t:Culture>en-GB</t:Culture></t:Message>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char *r = get_item(u, id, "AllProperties", NULL);
	assert_text(r, "Sensitivity", 0, "Private");
	assert_text(r, "Culture", 0, "en-GB");
	assert_text(r, "InReplyTo", 0, "&lt;abc@example.com&gt;");   /* as on the wire */
	CU_ASSERT_EQUAL(xml_count(r, "ExtendedProperty"), 0);     /* extended ones only when asked for */
	free(r);
	/* asked for by tag (written differently), by name, by id, and an array */
	r = get_item(u, id, "IdOnly", "<t:ExtendedFieldURI PropertyTag=\"14917\" PropertyType=\"String\"/>" NAMED_PROP
		     "<t:ExtendedFieldURI PropertySetId=\"00062008-0000-0000-c000-000000000046\" PropertyId=\"34051\" "
		     "PropertyType=\"Integer\"/>" ARRAY_PROP);
	CU_ASSERT_EQUAL(xml_count(r, "ExtendedProperty"), 4);
	CU_ASSERT(r && strstr(r, ">tagged<") && strstr(r, ">named<") && strstr(r, ">42<") && strstr(r, ">one<") &&
		  strstr(r, ">two<"));
	free(r);
	/* FindItem with the same AdditionalProperties */
	r = post_as(u, "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
		       "<t:AdditionalProperties>" NAMED_PROP "<t:FieldURI FieldURI=\"item:Sensitivity\"/>"
		       "</t:AdditionalProperties></m:ItemShape><m:ParentFolderIds><t:DistinguishedFolderId Id=\"drafts\"/>"
		       "</m:ParentFolderIds></m:FindItem>");
	CU_ASSERT(r && strstr(r, ">named<"));
	assert_text(r, "Sensitivity", 0, "Private");
	free(r), free(id);
}

static void calendar_items_keep_all_day_and_report_their_type(void)
{
	const char *u = "cal@example.com";
	char *id = create_in(u, "calendar", "<t:CalendarItem><t:Subject>holiday</t:Subject><t:Start>2024-05-01T00:00:00Z"
					    "</t:Start><t:End>2024-05-02T00:00:00Z</t:End><t:IsAllDayEvent>true"
					    "</t:IsAllDayEvent><t:LegacyFreeBusyStatus>OOF</t:LegacyFreeBusyStatus>"
					    "</t:CalendarItem>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char *r = get_item(u, id, "AllProperties", NULL);
	assert_text(r, "IsAllDayEvent", 0, "true");
	assert_text(r, "LegacyFreeBusyStatus", 0, "OOF");
	assert_text(r, "CalendarItemType", 0, "Single");
	assert_text(r, "Sensitivity", 0, "Normal");                /* what every item has in Exchange */
	free(r), free(id);
}

static char *update(const char *user, const char *id, const char *updates)
{
	char body[4096];
	snprintf(body, sizeof body, "<m:UpdateItem ConflictResolution=\"AlwaysOverwrite\" MessageDisposition=\"SaveOnly\">"
		 "<m:ItemChanges><t:ItemChange><t:ItemId Id=\"%s\"/><t:Updates>%s</t:Updates></t:ItemChange>"
		 "</m:ItemChanges></m:UpdateItem>", id, updates);
	return post_as(user, body);
}

static void update_item_sets_and_deletes_kept_properties(void)
{
	const char *u = "upd-props@example.com";
	char *id = create_in(u, "drafts", "<t:Message><t:Subject>before</t:Subject><t:ExtendedProperty>" TAG_PROP
				     "<t:Value>v1</t:Value></t:ExtendedProperty></t:Message>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char *r = update(u, id, "<t:SetItemField><t:FieldURI FieldURI=\"item:Sensitivity\"/><t:Message><t:Sensitivity>"
			      "Confidential</t:Sensitivity></t:Message></t:SetItemField><t:SetItemField><t:FieldURI "
			      "FieldURI=\"item:Culture\"/><t:Message><t:Culture>de-DE</t:Culture></t:Message>"
			      "</t:SetItemField><t:SetItemField>" TAG_PROP "<t:Message><t:ExtendedProperty>" TAG_PROP
			      "<t:Value>v2</t:Value></t:ExtendedProperty></t:Message></t:SetItemField><t:SetItemField>"
			      NAMED_PROP "<t:Message><t:ExtendedProperty>" NAMED_PROP "<t:Value>new</t:Value>"
			      "</t:ExtendedProperty></t:Message></t:SetItemField>");
	assert_text(r, "ResponseCode", 0, "NoError");
	char *nid = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(r);
	r = get_item(u, nid ? nid : id, "AllProperties", TAG_PROP NAMED_PROP);
	assert_text(r, "Sensitivity", 0, "Confidential");
	assert_text(r, "Culture", 0, "de-DE");
	CU_ASSERT(r && strstr(r, ">v2<") && strstr(r, ">new<") && !strstr(r, ">v1<"));
	free(r);
	r = update(u, id, "<t:DeleteItemField>" TAG_PROP "</t:DeleteItemField><t:DeleteItemField><t:FieldURI "
			  "FieldURI=\"item:Culture\"/></t:DeleteItemField>");
	assert_text(r, "ResponseCode", 0, "NoError");
	free(r);
	r = get_item(u, id, "AllProperties", TAG_PROP NAMED_PROP);
	CU_ASSERT(r && !strstr(r, ">v2<") && strstr(r, ">new<"));
	CU_ASSERT_EQUAL(r ? xml_count(r, "Culture") : -1, 0);
	free(r), free(nid);
	/* CopyItem keeps them */
	char body[2048];
	snprintf(body, sizeof body, "<m:CopyItem><m:ToFolderId><t:DistinguishedFolderId Id=\"inbox\"/></m:ToFolderId>"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:CopyItem>", id);
	r = post_as(u, body);
	char *copy = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
	r = get_item(u, copy, "AllProperties", NAMED_PROP);
	CU_ASSERT(r && strstr(r, ">new<"));
	assert_text(r, "Sensitivity", 0, "Confidential");
	free(r), free(copy), free(id);
}

static void refusals_name_the_field_and_change_nothing(void)
{
	const char *u = "refuse@example.com";
	char *id = create_in(u, "drafts", "<t:Message><t:Subject>kept</t:Subject></t:Message>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	/* a subject change with a property ewsd does not keep: neither is applied */
	char *r = update(u, id, "<t:SetItemField><t:FieldURI FieldURI=\"item:Subject\"/><t:Message><t:Subject>changed"
				"</t:Subject></t:Message></t:SetItemField><t:SetItemField><t:FieldURI "
				"FieldURI=\"message:IsDeliveryReceiptRequested\"/><t:Message>"
				"<t:IsDeliveryReceiptRequested>true</t:IsDeliveryReceiptRequested></t:Message></t:SetItemField>");
	assert_text(r, "ResponseCode", 0, "ErrorInvalidPropertySet");
	char *uri = r ? xml_attr(r, "FieldURI", "FieldURI", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(uri ? uri : "", "message:IsDeliveryReceiptRequested");
	free(uri), free(r);
	r = get_item(u, id, "AllProperties", NULL);
	assert_text(r, "Subject", 0, "kept");
	free(r);
	/* Append on a property that cannot be appended to */
	r = update(u, id, "<t:AppendToItemField><t:FieldURI FieldURI=\"item:Subject\"/><t:Message><t:Subject>x"
			  "</t:Subject></t:Message></t:AppendToItemField>");
	assert_text(r, "ResponseCode", 0, "ErrorInvalidPropertyAppend");
	uri = r ? xml_attr(r, "FieldURI", "FieldURI", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(uri ? uri : "", "item:Subject");
	free(uri), free(r);
	/* a Set whose item lacks the named extended property */
	r = update(u, id, "<t:SetItemField>" TAG_PROP "<t:Message><t:Subject>x</t:Subject></t:Message></t:SetItemField>");
	assert_text(r, "ResponseCode", 0, "ErrorIncorrectUpdatePropertyCount");
	free(r), free(id);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "created properties come back", created_properties_come_back },
		{ "calendar items keep all-day and report their type", calendar_items_keep_all_day_and_report_their_type },
		{ "UpdateItem sets and deletes kept properties", update_item_sets_and_deletes_kept_properties },
		{ "refusals name the field and change nothing", refusals_name_the_field_and_change_nothing },
		{ NULL, NULL }
	};
	if (ewsd_start(&srv, NULL, NULL)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd item properties", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
