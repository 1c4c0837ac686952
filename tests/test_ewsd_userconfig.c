/* test_ewsd_userconfig.c — Create/Get/Update/DeleteUserConfiguration against a running ewsd, as the reference
 * pages and an established client's own tests use them: a configuration object kept on a folder with a typed
 * dictionary, XML data and binary data; one per name and folder (ErrorItemSave for a second); ErrorItemNotFound on
 * another folder or after deletion; Update replaces only the parts it sends; Get returns only the parts asked for;
 * the object is an associated item of its folder (IPM.Configuration.<Name>). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews_operations.h"
#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;
static const char *const me = "config@example.com";

static char *post(const char *body) { return ews_post_body(&srv, me, "Exchange2013", body); }

/* The first ResponseCode of the answer to body (malloc'd; "" when there is none). */
static char *code_of(const char *body)
{
	char *r = post(body), *c = r ? xml_text(r, "ResponseCode", 0) : NULL;
	free(r);
	return c ? c : strdup("");
}

#define NAME_IN(folder, name) "<t:UserConfigurationName Name=\"" name "\"><t:DistinguishedFolderId Id=\"" folder \
			      "\"/></t:UserConfigurationName>"

/* "<foo>bar</foo>" and the bytes 00 01 fe ff 41, in base64 */
/* the harness's envelope declares s, m and t only */
#define XSI "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""

#define XML_B64 "PGZvbz5iYXI8L2Zvbz4="
#define BIN_B64 "AAH+/0E="

static const char create_full[] =
	"<m:CreateUserConfiguration><m:UserConfiguration>" NAME_IN("drafts", "Test.Config1") "<t:Dictionary>"
	"<t:DictionaryEntry><t:DictionaryKey><t:Type>String</t:Type><t:Value>PhoneNumber</t:Value></t:DictionaryKey>"
	"<t:DictionaryValue><t:Type>String</t:Type><t:Value>555-555-1111</t:Value></t:DictionaryValue></t:DictionaryEntry>"
	"<t:DictionaryEntry><t:DictionaryKey><t:Type>Integer32</t:Type><t:Value>-42</t:Value></t:DictionaryKey>"
	"<t:DictionaryValue><t:Type>Boolean</t:Type><t:Value>true</t:Value></t:DictionaryValue></t:DictionaryEntry>"
	"<t:DictionaryEntry><t:DictionaryKey><t:Type>StringArray</t:Type><t:Value>a</t:Value><t:Value>b,c</t:Value>"
	"<t:Value>1:x,</t:Value></t:DictionaryKey><t:DictionaryValue><t:Type>DateTime</t:Type>"
	"<t:Value>2026-03-29T01:30:00Z</t:Value></t:DictionaryValue></t:DictionaryEntry>"
	"<t:DictionaryEntry><t:DictionaryKey><t:Type>ByteArray</t:Type><t:Value>AAEC</t:Value></t:DictionaryKey>"
	"<t:DictionaryValue " XSI " xsi:nil=\"true\"/></t:DictionaryEntry>"
	"</t:Dictionary><t:XmlData>" XML_B64 "</t:XmlData><t:BinaryData>" BIN_B64 "</t:BinaryData>"
	"</m:UserConfiguration></m:CreateUserConfiguration>";

static char *get(const char *folder, const char *name, const char *props)
{
	char body[1024];
	snprintf(body, sizeof body, "<m:GetUserConfiguration><m:UserConfigurationName Name=\"%s\"><t:DistinguishedFolderId "
		 "Id=\"%s\"/></m:UserConfigurationName><m:UserConfigurationProperties>%s</m:UserConfigurationProperties>"
		 "</m:GetUserConfiguration>", name, folder, props);
	return post(body);
}

static void expect_text(const char *xml, const char *elem, int nth, const char *want)
{
	char *got = xml ? xml_text(xml, elem, nth) : NULL;
	CU_ASSERT_STRING_EQUAL(got ? got : "(none)", want);
	free(got);
}

static void a_configuration_comes_back_with_its_dictionary_xml_and_binary_data(void)
{
	char *c = code_of(create_full);
	CU_ASSERT_STRING_EQUAL(c, "NoError");
	free(c);
	char *r = get("drafts", "Test.Config1", "All");
	expect_text(r, "ResponseCode", 0, "NoError");
	CU_ASSERT(r && xml_count(r, "DictionaryEntry") == 4);
	/* every Value in document order: keys and values, types kept, text byte for byte */
	static const char *const values[] = { "PhoneNumber", "555-555-1111", "-42", "true", "a", "b,c", "1:x,",
					      "2026-03-29T01:30:00Z", "AAEC" };
	static const char *const types[] = { "String", "String", "Integer32", "Boolean", "StringArray", "DateTime",
					     "ByteArray" };
	for (int i = 0; i < 9; i++)
		expect_text(r, "Value", i, values[i]);
	for (int i = 0; i < 7; i++)
		expect_text(r, "Type", i, types[i]);
	CU_ASSERT(r && xml_count(r, "Value") == 9);
	CU_ASSERT(r && strstr(r, "DictionaryValue xsi:nil=\"true\""));
	expect_text(r, "XmlData", 0, XML_B64);
	expect_text(r, "BinaryData", 0, BIN_B64);
	char *name = r ? xml_attr(r, "UserConfigurationName", "Name", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(name ? name : "", "Test.Config1");
	CU_ASSERT(r && xml_count(r, "ItemId") == 1);
	free(name), free(r);
}

static void a_second_one_of_that_name_is_error_item_save_and_another_folder_has_none(void)
{
	char *c = code_of("<m:CreateUserConfiguration><m:UserConfiguration>" NAME_IN("drafts", "Second")
			  "</m:UserConfiguration></m:CreateUserConfiguration>");
	CU_ASSERT_STRING_EQUAL(c, "NoError");
	free(c);
	c = code_of("<m:CreateUserConfiguration><m:UserConfiguration>" NAME_IN("drafts", "SECOND")
		    "</m:UserConfiguration></m:CreateUserConfiguration>");
	CU_ASSERT_STRING_EQUAL(c, "ErrorItemSave");           /* names compare without case, as Exchange's */
	free(c);
	char *r = get("inbox", "Second", "All");
	expect_text(r, "ResponseCode", 0, "ErrorItemNotFound");
	CU_ASSERT(r && xml_count(r, "UserConfiguration") == 0);
	free(r);
	/* the same name on another folder is another object */
	c = code_of("<m:CreateUserConfiguration><m:UserConfiguration>" NAME_IN("inbox", "Second")
		    "</m:UserConfiguration></m:CreateUserConfiguration>");
	CU_ASSERT_STRING_EQUAL(c, "NoError");
	free(c);
	/* one created without a dictionary answers an empty one */
	r = get("drafts", "Second", "Dictionary");
	expect_text(r, "ResponseCode", 0, "NoError");
	CU_ASSERT(r && xml_count(r, "Dictionary") == 1 && xml_count(r, "DictionaryEntry") == 0);
	free(r);
}

static void an_update_replaces_the_parts_it_sends_and_keeps_the_others(void)
{
	char *c = code_of("<m:CreateUserConfiguration><m:UserConfiguration>" NAME_IN("drafts", "Upd") "<t:Dictionary>"
			  "<t:DictionaryEntry><t:DictionaryKey><t:Type>String</t:Type><t:Value>k</t:Value>"
			  "</t:DictionaryKey><t:DictionaryValue><t:Type>String</t:Type><t:Value>old</t:Value>"
			  "</t:DictionaryValue></t:DictionaryEntry></t:Dictionary><t:XmlData>" XML_B64 "</t:XmlData>"
			  "</m:UserConfiguration></m:CreateUserConfiguration>");
	CU_ASSERT_STRING_EQUAL(c, "NoError");
	free(c);
	char *before = get("drafts", "Upd", "Id"), *id0 = before ? xml_attr(before, "ItemId", "ChangeKey", 0) : NULL;
	c = code_of("<m:UpdateUserConfiguration><m:UserConfiguration>" NAME_IN("drafts", "Upd") "<t:Dictionary>"
		    "<t:DictionaryEntry><t:DictionaryKey><t:Type>String</t:Type><t:Value>bar</t:Value></t:DictionaryKey>"
		    "<t:DictionaryValue><t:Type>String</t:Type><t:Value>foo</t:Value></t:DictionaryValue>"
		    "</t:DictionaryEntry></t:Dictionary><t:BinaryData>WVlZ</t:BinaryData>"
		    "</m:UserConfiguration></m:UpdateUserConfiguration>");
	CU_ASSERT_STRING_EQUAL(c, "NoError");
	free(c);
	char *r = get("drafts", "Upd", "All"), *id1 = r ? xml_attr(r, "ItemId", "ChangeKey", 0) : NULL;
	CU_ASSERT(r && xml_count(r, "DictionaryEntry") == 1);
	expect_text(r, "Value", 0, "bar");
	expect_text(r, "Value", 1, "foo");
	expect_text(r, "XmlData", 0, XML_B64);               /* not sent: kept */
	expect_text(r, "BinaryData", 0, "WVlZ");             /* "YYY" */
	CU_ASSERT(id0 && id1 && strcmp(id0, id1));            /* a new ChangeKey */
	free(r), free(before), free(id0), free(id1);
	c = code_of("<m:UpdateUserConfiguration><m:UserConfiguration>" NAME_IN("drafts", "NoSuchConfig")
		    "</m:UserConfiguration></m:UpdateUserConfiguration>");
	CU_ASSERT_STRING_EQUAL(c, "ErrorItemNotFound");
	free(c);
}

static void only_the_parts_asked_for_are_returned(void)
{
	char *r = get("drafts", "Test.Config1", "XmlData");
	expect_text(r, "XmlData", 0, XML_B64);
	CU_ASSERT(r && xml_count(r, "Dictionary") == 0 && xml_count(r, "BinaryData") == 0 && xml_count(r, "ItemId") == 0);
	free(r);
	r = get("drafts", "Test.Config1", "Id BinaryData");
	CU_ASSERT(r && xml_count(r, "ItemId") == 1 && xml_count(r, "BinaryData") == 1 && xml_count(r, "XmlData") == 0);
	free(r);
}

static void a_deleted_configuration_is_gone(void)
{
	char *c = code_of("<m:CreateUserConfiguration><m:UserConfiguration>" NAME_IN("drafts", "Gone")
			  "</m:UserConfiguration></m:CreateUserConfiguration>");
	CU_ASSERT_STRING_EQUAL(c, "NoError");
	free(c);
	static const char del[] = "<m:DeleteUserConfiguration><m:UserConfigurationName Name=\"Gone\"><t:DistinguishedFolderId "
				  "Id=\"drafts\"/></m:UserConfigurationName></m:DeleteUserConfiguration>";
	c = code_of(del);
	CU_ASSERT_STRING_EQUAL(c, "NoError");
	free(c);
	char *r = get("drafts", "Gone", "All");
	expect_text(r, "ResponseCode", 0, "ErrorItemNotFound");
	free(r);
	c = code_of(del);
	CU_ASSERT_STRING_EQUAL(c, "ErrorItemNotFound");
	free(c);
}

static void names_outside_exchanges_rules_are_refused(void)
{
	char long_name[240], body[1024];
	memset(long_name, 'a', 237);
	long_name[237] = '\0';
	const char *bad[] = { "has space", "IPM.Configuration.X", "semi;colon", long_name };
	for (int i = 0; i < 4; i++) {
		snprintf(body, sizeof body, "<m:CreateUserConfiguration><m:UserConfiguration><t:UserConfigurationName "
			 "Name=\"%s\"><t:DistinguishedFolderId Id=\"drafts\"/></t:UserConfigurationName>"
			 "</m:UserConfiguration></m:CreateUserConfiguration>", bad[i]);
		char *c = code_of(body);
		CU_ASSERT_STRING_EQUAL(c, "ErrorInvalidRequest");
		free(c);
	}
	long_name[236] = '\0';                                /* 236 characters are allowed */
	snprintf(body, sizeof body, "<m:CreateUserConfiguration><m:UserConfiguration><t:UserConfigurationName Name=\"%s\">"
		 "<t:DistinguishedFolderId Id=\"drafts\"/></t:UserConfigurationName></m:UserConfiguration>"
		 "</m:CreateUserConfiguration>", long_name);
	char *c = code_of(body);
	CU_ASSERT_STRING_EQUAL(c, "NoError");
	free(c);
	/* a key twice in one dictionary */
	c = code_of("<m:CreateUserConfiguration><m:UserConfiguration>" NAME_IN("drafts", "Twice") "<t:Dictionary>"
		    "<t:DictionaryEntry><t:DictionaryKey><t:Type>String</t:Type><t:Value>k</t:Value></t:DictionaryKey>"
		    "<t:DictionaryValue " XSI " xsi:nil=\"true\"/></t:DictionaryEntry>"
		    "<t:DictionaryEntry><t:DictionaryKey><t:Type>String</t:Type><t:Value>k</t:Value></t:DictionaryKey>"
		    "<t:DictionaryValue " XSI " xsi:nil=\"true\"/></t:DictionaryEntry></t:Dictionary>"
		    "</m:UserConfiguration></m:CreateUserConfiguration>");
	CU_ASSERT_STRING_EQUAL(c, "ErrorInvalidRequest");
	free(c);
	c = code_of("<m:CreateUserConfiguration><m:UserConfiguration><t:UserConfigurationName Name=\"X\"><t:FolderId "
		    "Id=\"AAMkAGbad\"/></t:UserConfigurationName></m:UserConfiguration></m:CreateUserConfiguration>");
	CU_ASSERT_STRING_EQUAL(c, "ErrorInvalidIdMalformed");
	free(c);
}

static void it_is_an_associated_item_of_its_folder(void)
{
	static const char find[] = "<m:FindItem Traversal=\"%s\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
				   "<t:AdditionalProperties><t:FieldURI FieldURI=\"item:ItemClass\"/>"
				   "</t:AdditionalProperties></m:ItemShape><m:ParentFolderIds><t:DistinguishedFolderId "
				   "Id=\"drafts\"/></m:ParentFolderIds></m:FindItem>";
	char body[1024];
	snprintf(body, sizeof body, find, "Associated");
	char *r = post(body);
	CU_ASSERT(r && strstr(r, ">IPM.Configuration.Test.Config1<"));
	free(r);
	snprintf(body, sizeof body, find, "Shallow");
	r = post(body);
	CU_ASSERT(r && !strstr(r, "IPM.Configuration."));
	free(r);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "a configuration comes back with its dictionary, XML and binary data",
		  a_configuration_comes_back_with_its_dictionary_xml_and_binary_data },
		{ "a second one of that name is ErrorItemSave, and another folder has none",
		  a_second_one_of_that_name_is_error_item_save_and_another_folder_has_none },
		{ "an update replaces the parts it sends and keeps the others",
		  an_update_replaces_the_parts_it_sends_and_keeps_the_others },
		{ "only the parts asked for are returned", only_the_parts_asked_for_are_returned },
		{ "a deleted configuration is gone", a_deleted_configuration_is_gone },
		{ "names outside Exchange's rules are refused", names_outside_exchanges_rules_are_refused },
		{ "it is an associated item of its folder", it_is_an_associated_item_of_its_folder },
		{ NULL, NULL }
	};
	if (!ews_operation_find("GetUserConfiguration")) {
		printf("ewsd user configurations: skipped: the bindings' schema has no GetUserConfiguration\n");
		return 0;
	}
	if (ewsd_start(&srv, NULL, NULL)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd user configurations", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
