/* test_ewsd_attachment_shape.c — GetAttachment's AttachmentShape on an item attachment, as ItemShape on GetItem:
 * BodyType Text turns an HTML body into its text, HTML a text body into an escaped HTML document, Best keeps it;
 * IncludeMimeContent adds the embedded item's MIME (base64 RFC 5322, CharacterSet UTF-8); without a shape nothing
 * changes. */
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
static char *html_att, *text_att;

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

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "BodyType Text gives an HTML body's text", body_type_text_gives_an_html_body_s_text },
		{ "BodyType HTML gives a text body as HTML", body_type_html_gives_a_text_body_as_html },
		{ "Best or no shape keeps the stored body", best_or_no_shape_keeps_the_stored_body },
		{ "IncludeMimeContent adds the embedded item's MIME", include_mime_content_adds_the_embedded_item_s_mime },
		{ NULL, NULL }
	};
	if (ewsd_start(&srv, NULL, NULL)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	html_att = item_attachment("HTML", "&lt;html&gt;&lt;head&gt;&lt;style&gt;p{}&lt;/style&gt;&lt;/head&gt;&lt;body&gt;"
				   "&lt;p&gt;Fish &amp;amp; chips&lt;/p&gt;at noon&lt;/body&gt;&lt;/html&gt;");
	text_att = item_attachment("Text", "a &lt; b\nc");
	int rc = html_att && text_att ? ews_test_run("ewsd GetAttachment AttachmentShape", cases) : 1;
	free(html_att), free(text_att);
	ewsd_stop(&srv, 0);
	return rc;
}
