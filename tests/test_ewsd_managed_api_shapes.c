/* test_ewsd_managed_api_shapes.c — what clients built on the EWS Managed API's model send and expect (found by
 * running ews-javascript-api 0.15.3, an independent port of it, against ewsd):
 *   - CreateItem of an item with attachments answers the item's id AND each stored attachment's AttachmentId, in
 *     order (the add-attachments reference page's response): the client matches them to the attachments it sent;
 *     without them it keeps its unsaved copies and lists every attachment twice after the next GetItem;
 *   - GetItem asking for item:MimeContent among AdditionalProperties (what Bind with ItemSchema.MimeContent sends)
 *     answers the MimeContent, as IncludeMimeContent does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;
#define ME "shapes@example.com"

static char *post(const char *body) { return ews_post_body(&srv, ME, "Exchange2013_SP1", body); }

static void create_item_answers_each_attachment_s_id(void)
{
	char *r = post("<m:CreateItem MessageDisposition=\"SaveOnly\"><m:SavedItemFolderId><t:DistinguishedFolderId "
		       "Id=\"drafts\"/></m:SavedItemFolderId><m:Items><t:Message><t:Subject>two files</t:Subject>"
		       "<t:Attachments><t:FileAttachment><t:Name>a.txt</t:Name><t:Content>QUJD</t:Content>"
		       "</t:FileAttachment><t:FileAttachment><t:Name>b.txt</t:Name><t:Content>REVG</t:Content>"
		       "</t:FileAttachment></t:Attachments></t:Message></m:Items></m:CreateItem>");
	CU_ASSERT_FATAL(r != NULL);
	char *code = xml_text(r, "ResponseCode", 0);
	CU_ASSERT_STRING_EQUAL(code ? code : "", "NoError");
	CU_ASSERT_EQUAL(xml_count(r, "FileAttachment"), 2);
	CU_ASSERT_EQUAL(xml_count(r, "AttachmentId"), 2);
	CU_ASSERT_EQUAL(xml_count(r, "Name"), 0);              /* ids only, as the page's response */
	char *created[2] = { xml_attr(r, "AttachmentId", "Id", 0), xml_attr(r, "AttachmentId", "Id", 1) };
	char *item = xml_attr(r, "ItemId", "Id", 0);
	free(r), free(code);
	CU_ASSERT_FATAL(item && created[0] && created[1]);

	/* the same ids, in the same order, as GetItem lists them with their names */
	char body[1024];
	snprintf(body, sizeof body, "<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties>"
		 "<t:FieldURI FieldURI=\"item:Attachments\"/></t:AdditionalProperties></m:ItemShape><m:ItemIds>"
		 "<t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", item);
	r = post(body);
	CU_ASSERT_FATAL(r != NULL);
	for (int i = 0; i < 2; i++) {
		char *id = xml_attr(r, "AttachmentId", "Id", i), *name = xml_text(r, "Name", i);
		CU_ASSERT_STRING_EQUAL(id ? id : "", created[i]);
		CU_ASSERT_STRING_EQUAL(name ? name : "", i ? "b.txt" : "a.txt");
		free(id), free(name), free(created[i]);
	}
	free(r), free(item);

	/* an item without attachments has no Attachments element in the answer */
	r = post("<m:CreateItem MessageDisposition=\"SaveOnly\"><m:Items><t:Message><t:Subject>none</t:Subject>"
		 "</t:Message></m:Items></m:CreateItem>");
	CU_ASSERT(r && xml_count(r, "ItemId") == 1 && xml_count(r, "Attachments") == 0);
	free(r);
}

static void mime_content_asked_as_a_field_is_answered(void)
{
	/* "Subject: hello\r\n\r\nbody\r\n" */
	const char *b64 = "U3ViamVjdDogaGVsbG8NCg0KYm9keQ0K";
	char body[1024];
	snprintf(body, sizeof body, "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:Items><t:Message><t:MimeContent "
		 "CharacterSet=\"UTF-8\">%s</t:MimeContent></t:Message></m:Items></m:CreateItem>", b64);
	char *r = post(body), *item = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(r);
	CU_ASSERT_FATAL(item != NULL);
	snprintf(body, sizeof body, "<m:GetItem><m:ItemShape><t:BaseShape>AllProperties</t:BaseShape>"
		 "<t:AdditionalProperties><t:FieldURI FieldURI=\"item:MimeContent\"/></t:AdditionalProperties>"
		 "</m:ItemShape><m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", item);
	r = post(body);
	char *mime = r ? xml_text(r, "MimeContent", 0) : NULL, *subject = r ? xml_text(r, "Subject", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(mime ? mime : "(no MimeContent)", b64);
	CU_ASSERT_STRING_EQUAL(subject ? subject : "", "hello");
	free(mime), free(subject), free(r);

	/* without either way of asking, no MimeContent */
	snprintf(body, sizeof body, "<m:GetItem><m:ItemShape><t:BaseShape>AllProperties</t:BaseShape></m:ItemShape>"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", item);
	r = post(body);
	CU_ASSERT(r && xml_count(r, "MimeContent") == 0);
	free(r), free(item);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "CreateItem answers each stored attachment's id, in order", create_item_answers_each_attachment_s_id },
		{ "MimeContent asked as a field is answered", mime_content_asked_as_a_field_is_answered },
		{ NULL, NULL }
	};
	if (ewsd_start(&srv, NULL, NULL)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd and the Managed API's shapes", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
