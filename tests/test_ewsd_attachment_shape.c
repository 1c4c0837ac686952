/* test_ewsd_attachment_shape.c — GetAttachment's AttachmentShape on an item attachment, as ItemShape on GetItem:
 * BodyType Text turns an HTML body into its text, HTML a text body into an escaped HTML document, Best keeps it;
 * IncludeMimeContent adds the embedded item's MIME (base64 RFC 5322, CharacterSet UTF-8); without a shape nothing
 * changes. AdditionalProperties are answered from the properties the embedded item keeps (Sensitivity, extended
 * ones; copied with the item), and a path it cannot answer is refused with ErrorInvalidPropertyRequest naming it. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/base64.h"
#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;
#define ME "shape@example.com"
/* note: the first element named Body is the SOAP Body; the item's is the second */
static char *html_att, *text_att, *kept_att;
#define COLOR_PATH "<t:ExtendedFieldURI DistinguishedPropertySetId=\"PublicStrings\" PropertyName=\"Color\" " \
	"PropertyType=\"String\"/>"

static char *post(const char *body)
{
	struct http_resp r;
	if (ews_post(&srv, ME, "Exchange2016", NULL, body, &r)) {
		http_resp_free(&r);
		return NULL;
	}
	free(r.headers);
	return r.body;
}

/* An item with one item attachment (a message with this body); the attachment's id. */
static char *item_attachment(const char *body_type, const char *body)
{
	char *r = post("<m:CreateItem MessageDisposition=\"SaveOnly\"><m:Items><t:Message><t:Subject>carrier</t:Subject>"
		       "</t:Message></m:Items></m:CreateItem>");
	char *id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL, req[2048];
	free(r);
	if (!id)
		return NULL;
	snprintf(req, sizeof req, "<m:CreateAttachment><m:ParentItemId Id=\"%s\"/><m:Attachments><t:ItemAttachment>"
		 "<t:Name>inner</t:Name><t:Message><t:Subject>Inner note</t:Subject><t:Body BodyType=\"%s\">%s</t:Body>"
		 "</t:Message></t:ItemAttachment></m:Attachments></m:CreateAttachment>", id, body_type, body);
	free(id);
	r = post(req);
	char *aid = r ? xml_attr(r, "AttachmentId", "Id", 0) : NULL;
	free(r);
	return aid;
}

/* An item attachment whose message keeps Sensitivity Private and the extended property Color = teal. */
static char *kept_props_attachment(void)
{
	char *r = post("<m:CreateItem MessageDisposition=\"SaveOnly\"><m:Items><t:Message><t:Subject>carrier 2</t:Subject>"
		       "</t:Message></m:Items></m:CreateItem>");
	char *id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL, req[2048];
	free(r);
	if (!id)
		return NULL;
	snprintf(req, sizeof req, "<m:CreateAttachment><m:ParentItemId Id=\"%s\"/><m:Attachments><t:ItemAttachment>"
		 "<t:Name>kept</t:Name><t:Message><t:Subject>Private note</t:Subject>"
		 "<t:Sensitivity>Private</t:Sensitivity><t:ExtendedProperty>" COLOR_PATH "<t:Value>teal</t:Value>"
		 "</t:ExtendedProperty></t:Message></t:ItemAttachment></m:Attachments></m:CreateAttachment>", id);
	free(id);
	r = post(req);
	char *aid = r ? xml_attr(r, "AttachmentId", "Id", 0) : NULL;
	free(r);
	return aid;
}

static char *get_attachment(const char *aid, const char *shape)
{
	char req[2048];
	snprintf(req, sizeof req, "<m:GetAttachment>%s<m:AttachmentIds><t:AttachmentId Id=\"%s\"/></m:AttachmentIds>"
		 "</m:GetAttachment>", shape, aid);
	return post(req);
}

static void body_type_text_gives_an_html_body_s_text(void)
{
	char *r = get_attachment(html_att, "<m:AttachmentShape><t:BodyType>Text</t:BodyType></m:AttachmentShape>");

	/* the markup and the style element gone, the paragraph's end a line break, &amp; decoded (and re-escaped) */
	CU_ASSERT(r && strstr(r, "<t:Body BodyType=\"Text\">Fish &amp; chips\nat noon</t:Body>") != NULL);
	free(r);
}

static void body_type_html_gives_a_text_body_as_html(void)
{
	char *r = get_attachment(text_att, "<m:AttachmentShape><t:BodyType>HTML</t:BodyType></m:AttachmentShape>");
	char *bt = r ? xml_attr(r, "Body", "BodyType", 1) : NULL;
	CU_ASSERT_STRING_EQUAL(bt ? bt : "", "HTML");
	CU_ASSERT(r && strstr(r, "&lt;body&gt;a &amp;lt; b&lt;br&gt;c&lt;/body&gt;") != NULL);   /* escaped, <br> per line */
	free(r), free(bt);
}

static void best_or_no_shape_keeps_the_stored_body(void)
{
	char *best = get_attachment(html_att, "<m:AttachmentShape><t:BodyType>Best</t:BodyType></m:AttachmentShape>");
	char *none = get_attachment(html_att, "");
	char *b1 = best ? xml_attr(best, "Body", "BodyType", 1) : NULL, *b2 = none ? xml_attr(none, "Body", "BodyType", 1) : NULL;
	CU_ASSERT_STRING_EQUAL(b1 ? b1 : "", "HTML");
	CU_ASSERT_STRING_EQUAL(b2 ? b2 : "", "HTML");
	CU_ASSERT(none && xml_count(none, "MimeContent") == 0);
	free(best), free(none), free(b1), free(b2);
}

static void include_mime_content_adds_the_embedded_item_s_mime(void)
{
	char *r = get_attachment(text_att, "<m:AttachmentShape><t:IncludeMimeContent>true</t:IncludeMimeContent>"
					   "</m:AttachmentShape>");
	char *b64 = r ? xml_text(r, "MimeContent", 0) : NULL, *cs = r ? xml_attr(r, "MimeContent", "CharacterSet", 0) : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(b64);
	CU_ASSERT_STRING_EQUAL(cs ? cs : "", "UTF-8");
	unsigned char *raw = NULL;
	size_t n = 0;
	CU_ASSERT_FATAL(ews_ok(ews_base64_decode(b64, strlen(b64), &raw, &n)));
	CU_ASSERT(memmem(raw, n, "Subject: Inner note\r\n", 21) != NULL);
	CU_ASSERT(memmem(raw, n, "MIME-Version: 1.0\r\n", 19) != NULL);
	free(r), free(b64), free(cs), free(raw);
}

static void additional_properties_answer_the_embedded_item_s_kept_properties(void)
{
	char *r = get_attachment(kept_att, "<m:AttachmentShape><t:AdditionalProperties>"
					   "<t:FieldURI FieldURI=\"item:Sensitivity\"/>" COLOR_PATH
					   "</t:AdditionalProperties></m:AttachmentShape>");
	char *sens = r ? xml_text(r, "Sensitivity", 0) : NULL, *val = r ? xml_text(r, "Value", 0) : NULL;
	CU_ASSERT(r && strstr(r, "ResponseClass=\"Success\"") != NULL);
	CU_ASSERT_STRING_EQUAL(sens ? sens : "", "Private");
	CU_ASSERT_STRING_EQUAL(val ? val : "", "teal");
	CU_ASSERT(r && strstr(r, "PropertyName=\"Color\"") != NULL);
	free(r), free(sens), free(val);
}

static void without_additional_properties_the_kept_ones_stay_out(void)
{
	char *r = get_attachment(kept_att, "<m:AttachmentShape><t:BodyType>Best</t:BodyType></m:AttachmentShape>");
	CU_ASSERT(r && strstr(r, "<t:Subject>Private note</t:Subject>") != NULL);
	CU_ASSERT(r && xml_count(r, "Sensitivity") == 0);
	CU_ASSERT(r && xml_count(r, "ExtendedProperty") == 0);
	free(r);
}

static void a_copied_item_s_attachment_keeps_the_embedded_properties(void)
{
	char *f = post("<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>"
		       "<m:Restriction><t:IsEqualTo><t:FieldURI FieldURI=\"item:Subject\"/><t:FieldURIOrConstant>"
		       "<t:Constant Value=\"carrier 2\"/></t:FieldURIOrConstant></t:IsEqualTo></m:Restriction>"
		       "<m:ParentFolderIds><t:DistinguishedFolderId Id=\"drafts\"/></m:ParentFolderIds></m:FindItem>");
	char *root = f ? xml_attr(f, "ItemId", "Id", 0) : NULL, req[2048];
	free(f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	snprintf(req, sizeof req, "<m:CopyItem><m:ToFolderId><t:DistinguishedFolderId Id=\"inbox\"/></m:ToFolderId>"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:CopyItem>", root);
	char *c = post(req), *copy = c ? xml_attr(c, "ItemId", "Id", 0) : NULL;
	free(c), free(root);
	CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
	snprintf(req, sizeof req, "<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties>"
		 "<t:FieldURI FieldURI=\"item:Attachments\"/></t:AdditionalProperties></m:ItemShape>"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", copy);
	char *gi = post(req), *aid = gi ? xml_attr(gi, "AttachmentId", "Id", 0) : NULL;
	free(gi), free(copy);
	CU_ASSERT_PTR_NOT_NULL_FATAL(aid);
	CU_ASSERT(strcmp(aid, kept_att) != 0);
	char *r = get_attachment(aid, "<m:AttachmentShape><t:AdditionalProperties><t:FieldURI FieldURI=\"item:Sensitivity\"/>"
				      "</t:AdditionalProperties></m:AttachmentShape>");
	char *sens = r ? xml_text(r, "Sensitivity", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(sens ? sens : "", "Private");
	free(r), free(sens), free(aid);
}

static void a_path_the_embedded_item_cannot_answer_is_refused_naming_it(void)
{
	static const struct { const char *path, *named; } cases[] = {
		{ "<t:FieldURI FieldURI=\"message:InternetMessageId\"/>", "message:InternetMessageId" },
		{ "<t:FieldURI FieldURI=\"folder:DisplayName\"/>", "folder:DisplayName" },
		{ "<t:IndexedFieldURI FieldURI=\"contacts:EmailAddress\" FieldIndex=\"EmailAddress2\"/>",
		  "contacts:EmailAddress" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char shape[512];
		snprintf(shape, sizeof shape, "<m:AttachmentShape><t:AdditionalProperties><t:FieldURI FieldURI=\"item:Subject\"/>"
			 "%s</t:AdditionalProperties></m:AttachmentShape>", cases[i].path);
		char *r = get_attachment(kept_att, shape);
		char *code = r ? xml_text(r, "ResponseCode", 0) : NULL, *named = r ? xml_attr(r, "ExceptionFieldURI", "FieldURI", 0) : NULL;
		CU_ASSERT_STRING_EQUAL(code ? code : "", "ErrorInvalidPropertyRequest");
		CU_ASSERT_STRING_EQUAL(named ? named : "", cases[i].named);
		CU_ASSERT(r && xml_count(r, "Message") == 0);   /* the message response's item is not sent */
		free(r), free(code), free(named);
	}
}

static void item_mime_content_in_additional_properties_adds_the_mime(void)
{
	char *r = get_attachment(text_att, "<m:AttachmentShape><t:AdditionalProperties>"
					   "<t:FieldURI FieldURI=\"item:MimeContent\"/></t:AdditionalProperties></m:AttachmentShape>");
	char *b64 = r ? xml_text(r, "MimeContent", 0) : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(b64);
	unsigned char *raw = NULL;
	size_t n = 0;
	CU_ASSERT_FATAL(ews_ok(ews_base64_decode(b64, strlen(b64), &raw, &n)));
	CU_ASSERT(memmem(raw, n, "Subject: Inner note\r\n", 21) != NULL);
	free(r), free(b64), free(raw);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "BodyType Text gives an HTML body's text", body_type_text_gives_an_html_body_s_text },
		{ "BodyType HTML gives a text body as HTML", body_type_html_gives_a_text_body_as_html },
		{ "Best or no shape keeps the stored body", best_or_no_shape_keeps_the_stored_body },
		{ "IncludeMimeContent adds the embedded item's MIME", include_mime_content_adds_the_embedded_item_s_mime },
		{ "AdditionalProperties answer the embedded item's kept properties",
		  additional_properties_answer_the_embedded_item_s_kept_properties },
		{ "Without AdditionalProperties the kept ones stay out", without_additional_properties_the_kept_ones_stay_out },
		{ "A copied item's attachment keeps the embedded properties",
		  a_copied_item_s_attachment_keeps_the_embedded_properties },
		{ "A path the embedded item cannot answer is refused naming it",
		  a_path_the_embedded_item_cannot_answer_is_refused_naming_it },
		{ "item:MimeContent in AdditionalProperties adds the MIME", item_mime_content_in_additional_properties_adds_the_mime },
		{ NULL, NULL }
	};
	if (ewsd_start(&srv, NULL, NULL)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	html_att = item_attachment("HTML", "&lt;html&gt;&lt;head&gt;&lt;style&gt;p{}&lt;/style&gt;&lt;/head&gt;&lt;body&gt;"
				   "&lt;p&gt;Fish &amp;amp; chips&lt;/p&gt;at noon&lt;/body&gt;&lt;/html&gt;");
	text_att = item_attachment("Text", "a &lt; b\nc");
	kept_att = kept_props_attachment();
	int rc = html_att && text_att && kept_att ? ews_test_run("ewsd GetAttachment AttachmentShape", cases) : 1;
	free(html_att), free(text_att), free(kept_att);
	ewsd_stop(&srv, 0);
	return rc;
}
