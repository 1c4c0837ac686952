/* test_ewsd_text_body.c — item:TextBody (Exchange 2013+, read-only) against ewsd: GetItem and FindItem answer it
 * when AdditionalProperties names it (the request form of the "Email properties and elements in EWS" page), always
 * as BodyType="Text": an HTML body with its markup dropped, head and style left out, block ends as line breaks and
 * character references (named and numeric) decoded; a text body as it is; not with AllProperties alone. Setting
 * it is ErrorInvalidPropertySet, in CreateItem as in UpdateItem. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews_operations.h"
#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;
static const char *const me = "textbody@example.com";

/* xml_count counts elements by local name: the envelope's s:Body is one "Body" */
#define ENVELOPE_BODY 1

/* The HTML body (as stored: the request escapes it once more) and the text Exchange makes of it. */
#define HTML_BODY "&lt;html&gt;&lt;head&gt;&lt;style&gt;P { MARGIN-TOP: 0px }&lt;/style&gt;&lt;/head&gt;&lt;body&gt;" \
	"&lt;p&gt;Hello &amp;amp; welcome&lt;/p&gt;&lt;div&gt;Line &lt;b&gt;two&lt;/b&gt;&amp;nbsp;here&lt;/div&gt;" \
	"caf&amp;#233; costs 5&amp;#x20AC;&lt;br&gt;end&lt;/body&gt;&lt;/html&gt;"
/* as it is on the wire (xml_text does not decode): "&" escaped */
#define HTML_AS_TEXT "Hello &amp; welcome\nLine two here\ncaf\xc3\xa9 costs 5\xe2\x82\xac\nend"

static char *post(const char *body)
{
	struct http_resp r;
	if (ews_post(&srv, me, "Exchange2013", NULL, body, &r)) {
		http_resp_free(&r);
		return NULL;
	}
	free(r.headers);
	return r.body;
}


static char *create(const char *subject, const char *body_type, const char *body)
{
	char req[4096];
	snprintf(req, sizeof req, "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:SavedItemFolderId>"
		 "<t:DistinguishedFolderId Id=\"drafts\"/></m:SavedItemFolderId><m:Items><t:Message><t:Subject>%s</t:Subject>"
		 "<t:Body BodyType=\"%s\">%s</t:Body></t:Message></m:Items></m:CreateItem>", subject, body_type, body);
	char *r = post(req), *id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(r);
	return id;
}

static char *get_item(const char *id, const char *base, const char *additional)
{
	char req[2048];
	snprintf(req, sizeof req, "<m:GetItem><m:ItemShape><t:BaseShape>%s</t:BaseShape>%s</m:ItemShape><m:ItemIds>"
		 "<t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", base, additional, id);
	return post(req);
}

#define ASK_TEXT_BODY "<t:AdditionalProperties><t:FieldURI FieldURI=\"item:TextBody\"/></t:AdditionalProperties>"

static void getitem_answers_the_html_body_as_text(void)
{
	char *id = create("Html mail", "HTML", HTML_BODY);
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char *r = get_item(id, "IdOnly", ASK_TEXT_BODY);
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	CU_ASSERT(r && xml_count(r, "TextBody") == 1 && xml_count(r, "Body") == ENVELOPE_BODY);
	char *type = r ? xml_attr(r, "TextBody", "BodyType", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(type ? type : "(none)", "Text");
	ewsd_text_is(r, "TextBody", 0, HTML_AS_TEXT);
	free(type), free(r);
	/* the Body itself stays HTML */
	r = get_item(id, "Default", ASK_TEXT_BODY);
	char *bt = r ? xml_attr(r, "Body", "BodyType", ENVELOPE_BODY) : NULL;
	CU_ASSERT_STRING_EQUAL(bt ? bt : "(none)", "HTML");
	ewsd_text_is(r, "TextBody", 0, HTML_AS_TEXT);
	free(bt), free(r), free(id);
}

static void a_text_body_is_answered_as_it_is(void)
{
	char *id = create("Plain mail", "Text", "First line\nsecond &lt;line&gt; &amp; more");
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char *r = get_item(id, "IdOnly", ASK_TEXT_BODY);
	ewsd_text_is(r, "TextBody", 0, "First line\nsecond &lt;line&gt; &amp; more");
	free(r), free(id);
}

static void only_a_shape_naming_it_gets_it(void)
{
	char *id = create("Not asked", "Text", "quiet");
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char *r = get_item(id, "AllProperties", "");
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	CU_ASSERT(r && xml_count(r, "TextBody") == 0 && xml_count(r, "Body") == ENVELOPE_BODY + 1);
	free(r), free(id);
}

static void finditem_answers_it_too(void)
{
	char *id = create("Listed html", "HTML", HTML_BODY);
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char *r = post("<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
		       "<t:AdditionalProperties><t:FieldURI FieldURI=\"item:Subject\"/><t:FieldURI FieldURI=\"item:TextBody\"/>"
		       "</t:AdditionalProperties></m:ItemShape><m:Restriction><t:IsEqualTo><t:FieldURI FieldURI=\"item:Subject\"/>"
		       "<t:FieldURIOrConstant><t:Constant Value=\"Listed html\"/></t:FieldURIOrConstant></t:IsEqualTo>"
		       "</m:Restriction><m:ParentFolderIds><t:DistinguishedFolderId Id=\"drafts\"/></m:ParentFolderIds>"
		       "</m:FindItem>");
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	CU_ASSERT(r && xml_count(r, "Message") == 1 && xml_count(r, "Body") == ENVELOPE_BODY);
	ewsd_text_is(r, "TextBody", 0, HTML_AS_TEXT);
	free(r);
	/* without asking, FindItem reads no body */
	r = post("<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>AllProperties</t:BaseShape></m:ItemShape>"
		 "<m:ParentFolderIds><t:DistinguishedFolderId Id=\"drafts\"/></m:ParentFolderIds></m:FindItem>");
	CU_ASSERT(r && xml_count(r, "Message") >= 1 && xml_count(r, "TextBody") == 0);
	free(r), free(id);
}

static void setting_it_is_refused(void)
{
	char *r = post("<m:CreateItem MessageDisposition=\"SaveOnly\"><m:Items><t:Message><t:Subject>Set it</t:Subject>"
		       "<t:TextBody BodyType=\"Text\">mine</t:TextBody></t:Message></m:Items></m:CreateItem>");
	ewsd_text_is(r, "ResponseCode", 0, "ErrorInvalidPropertySet");
	free(r);
	char *id = create("Update it", "Text", "before"), req[2048];
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	r = post("<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>"
		 "<m:Restriction><t:IsEqualTo><t:FieldURI FieldURI=\"item:Subject\"/><t:FieldURIOrConstant>"
		 "<t:Constant Value=\"Update it\"/></t:FieldURIOrConstant></t:IsEqualTo></m:Restriction>"
		 "<m:ParentFolderIds><t:DistinguishedFolderId Id=\"drafts\"/></m:ParentFolderIds></m:FindItem>");
	char *ck = r ? xml_attr(r, "ItemId", "ChangeKey", 0) : NULL;
	free(r);
	snprintf(req, sizeof req, "<m:UpdateItem ConflictResolution=\"AlwaysOverwrite\" MessageDisposition=\"SaveOnly\">"
		 "<m:ItemChanges><t:ItemChange><t:ItemId Id=\"%s\" ChangeKey=\"%s\"/><t:Updates><t:SetItemField>"
		 "<t:FieldURI FieldURI=\"item:TextBody\"/><t:Message><t:TextBody BodyType=\"Text\">after</t:TextBody>"
		 "</t:Message></t:SetItemField></t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>", id, ck ? ck : "");
	r = post(req);
	ewsd_text_is(r, "ResponseCode", 0, "ErrorInvalidPropertySet");
	free(r);
	r = get_item(id, "IdOnly", ASK_TEXT_BODY);
	ewsd_text_is(r, "TextBody", 0, "before");
	free(r), free(ck), free(id);
}

/* UniqueBody and NormalizedBody: ewsd keeps no conversations, so the unique part is the whole body */
static void unique_and_normalized_bodies_are_the_body_in_html(void)
{
	char *id = create("Plain twice", "Text", "one\ntwo");
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char *r = get_item(id, "IdOnly", "<t:AdditionalProperties><t:FieldURI FieldURI=\"item:UniqueBody\"/>"
				   "<t:FieldURI FieldURI=\"item:NormalizedBody\"/></t:AdditionalProperties>");
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	char *ut = r ? xml_attr(r, "UniqueBody", "BodyType", 0) : NULL, *nt = r ? xml_attr(r, "NormalizedBody", "BodyType", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(ut ? ut : "(none)", "HTML");
	CU_ASSERT_STRING_EQUAL(nt ? nt : "(none)", "HTML");
	char *u = r ? xml_text(r, "UniqueBody", 0) : NULL, *n = r ? xml_text(r, "NormalizedBody", 0) : NULL;
	CU_ASSERT(u && strstr(u, "one&lt;br&gt;two") && strstr(u, "&lt;html&gt;"));
	CU_ASSERT(u && n && !strcmp(u, n));
	CU_ASSERT(r && xml_count(r, "TextBody") == 0);
	free(ut), free(nt), free(u), free(n), free(r);
	/* the shape's UniqueBodyType / NormalizedBodyType Text: as text */
	char req[2048];
	snprintf(req, sizeof req, "<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:UniqueBodyType>Text"
		 "</t:UniqueBodyType><t:NormalizedBodyType>Text</t:NormalizedBodyType><t:AdditionalProperties>"
		 "<t:FieldURI FieldURI=\"item:UniqueBody\"/><t:FieldURI FieldURI=\"item:NormalizedBody\"/>"
		 "</t:AdditionalProperties></m:ItemShape><m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", id);
	r = post(req);
	ut = r ? xml_attr(r, "UniqueBody", "BodyType", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(ut ? ut : "(none)", "Text");
	ewsd_text_is(r, "UniqueBody", 0, "one\ntwo");
	ewsd_text_is(r, "NormalizedBody", 0, "one\ntwo");
	free(ut), free(r), free(id);
	/* read-only as TextBody */
	r = post("<m:CreateItem MessageDisposition=\"SaveOnly\"><m:Items><t:Message><t:Subject>Set it</t:Subject>"
		 "<t:UniqueBody BodyType=\"Text\">mine</t:UniqueBody></t:Message></m:Items></m:CreateItem>");
	ewsd_text_is(r, "ResponseCode", 0, "ErrorInvalidPropertySet");
	free(r);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "GetItem answers the HTML body as text", getitem_answers_the_html_body_as_text },
		{ "a text body is answered as it is", a_text_body_is_answered_as_it_is },
		{ "only a shape naming it gets it", only_a_shape_naming_it_gets_it },
		{ "FindItem answers it too", finditem_answers_it_too },
		{ "setting it is refused", setting_it_is_refused },
		{ "unique and normalized bodies are the body in HTML", unique_and_normalized_bodies_are_the_body_in_html },
		{ NULL, NULL }
	};
	/* TextBody came with Exchange 2013, as ArchiveItem did (text_body.c) */
	if (!ews_operation_find("ArchiveItem")) {
		printf("ewsd text body: skipped: the bindings' schema has no TextBody\n");
		return 0;
	}
	if (ewsd_start(&srv, NULL, NULL)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd text body", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
