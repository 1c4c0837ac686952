/* test_ewsd_attachments.c — attachments against a running ewsd, value for value as the CreateAttachment,
 * GetAttachment and DeleteAttachment pages answer (shared/ews-corpus): file and item attachments stored with their
 * item (name, content type, content id, inline flag, size, bytes), HasAttachments, Exchange-format attachment ids
 * (the item's id followed by an attachment level), the root item's new ChangeKey on every change, the error codes
 * Exchange uses, and ExportItems data that carries the attachments byte-exactly through UploadItems. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/base64.h"
#include "ews_schema.h"
#include "ews_schema_members.h"
#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;
#define ME "att@example.com"
/* ewsd runs with --max-attachment 4000 */
#define LIMIT 4000

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


/* A draft with the given Attachments XML (may be ""); its id (malloc'd) or NULL. */
static char *create_with(const char *attachments_xml)
{
	char *body = malloc(strlen(attachments_xml) + 512);
	sprintf(body, "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:Items><t:Message><t:Subject>with attachments"
		      "</t:Subject>%s%s%s</t:Message></m:Items></m:CreateItem>",
		*attachments_xml ? "<t:Attachments>" : "", attachments_xml, *attachments_xml ? "</t:Attachments>" : "");
	char *r = post(body), *id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(body);
	free(r);
	return id;
}

static char *get_item(const char *id, const char *shape)
{
	char body[1024];
	snprintf(body, sizeof body, "<m:GetItem><m:ItemShape><t:BaseShape>%s</t:BaseShape></m:ItemShape><m:ItemIds>"
		 "<t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", shape, id);
	return post(body);
}

static char *get_attachment(const char *aid)
{
	char body[1024];
	snprintf(body, sizeof body, "<m:GetAttachment><m:AttachmentIds><t:AttachmentId Id=\"%s\"/></m:AttachmentIds>"
		 "</m:GetAttachment>", aid);
	return post(body);
}

static unsigned char *unb64(const char *s, size_t *n)
{
	unsigned char *out = NULL;
	*n = 0;
	if (!s || !ews_ok(ews_base64_decode(s, strlen(s), &out, n)))
		return NULL;
	return out;
}

static void a_file_attachment_keeps_its_name_type_content_id_size_and_bytes(void)
{
	char *id = create_with("<t:FileAttachment><t:Name>report.txt</t:Name><t:ContentId>part1@example.com</t:ContentId>"
			       "<t:IsInline>true</t:IsInline><t:Content>AQIDBAU=</t:Content></t:FileAttachment>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char *r = get_item(id, "Default");
	ewsd_code_is(r, 0, "NoError");
	char *has = xml_text(r, "HasAttachments", 0), *name = xml_text(r, "Name", 0), *type = xml_text(r, "ContentType", 0),
	     *cid = xml_text(r, "ContentId", 0), *inl = xml_text(r, "IsInline", 0), *aid = xml_attr(r, "AttachmentId", "Id", 0);
	char *att = xml_element(r, "FileAttachment", 0), *size = att ? xml_text(att, "Size", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(has ? has : "", "true");
	CU_ASSERT_STRING_EQUAL(name ? name : "", "report.txt");
	CU_ASSERT_STRING_EQUAL(type ? type : "", "text/plain");   /* from the extension, as Exchange */
	CU_ASSERT_STRING_EQUAL(cid ? cid : "", "part1@example.com");
	/* IsInline and Size came with Exchange 2010: ewsd built from an older set has neither to answer */
	if (ews_test_needs(EWS_TEST_DEFINED(EWS_HAS_ewstype__AttachmentType_IsInline), "member IsInline of AttachmentType",
			   "a file attachment keeps IsInline"))
		CU_ASSERT_STRING_EQUAL(inl ? inl : "", "true");
	if (ews_test_needs(EWS_TEST_DEFINED(EWS_HAS_ewstype__AttachmentType_Size), "member Size of AttachmentType",
			   "a file attachment has its Size"))
		CU_ASSERT_STRING_EQUAL(size ? size : "", "5");
	CU_ASSERT(att && !strstr(att, "Content>"));                /* GetItem lists attachments without content */
	char *g = aid ? get_attachment(aid) : NULL;
	ewsd_code_is(g, 0, "NoError");
	char *content = g ? xml_text(g, "Content", 0) : NULL;
	size_t n;
	unsigned char *bytes = unb64(content, &n);
	CU_ASSERT_EQUAL(n, 5);
	CU_ASSERT(bytes && !memcmp(bytes, "\1\2\3\4\5", 5));
	free(bytes), free(content), free(g), free(att), free(size);
	free(has), free(name), free(type), free(cid), free(inl), free(aid), free(r), free(id);
}

static void an_attachment_id_is_its_item_id_followed_by_an_attachment_level(void)
{
	char *id = create_with("<t:FileAttachment><t:Name>a.bin</t:Name><t:Content>AA==</t:Content></t:FileAttachment>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char *r = get_item(id, "Default"), *aid = r ? xml_attr(r, "AttachmentId", "Id", 0) : NULL;
	size_t ni, na;
	unsigned char *ib = unb64(id, &ni), *ab = unb64(aid, &na);
	CU_ASSERT_EQUAL_FATAL(na, ni + 21);
	CU_ASSERT(!memcmp(ib, ab, ni));                          /* the root item's EwsId payload */
	CU_ASSERT_EQUAL(ab[ni], 1);                              /* one attachment level */
	CU_ASSERT(ab[ni + 1] == 18 && ab[ni + 2] == 0 && ab[ni + 3] == 16 && ab[ni + 4] == 0);
	free(ib), free(ab), free(aid), free(r), free(id);
}

static void create_attachment_answers_the_root_item_and_its_new_change_key(void)
{
	char *id = create_with("");
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char *before = get_item(id, "IdOnly"), *ck0 = before ? xml_attr(before, "ItemId", "ChangeKey", 0) : NULL;
	char *has0 = NULL;
	char body[2048];
	snprintf(body, sizeof body, "<m:CreateAttachment><m:ParentItemId Id=\"%s\" ChangeKey=\"%s\"/><m:Attachments>"
		 "<t:FileAttachment><t:Name>SomeFile</t:Name><t:Content>AQIDBAU=</t:Content></t:FileAttachment>"
		 "<t:FileAttachment><t:Name>Second</t:Name><t:Content>Bg==</t:Content></t:FileAttachment>"
		 "</m:Attachments></m:CreateAttachment>", id, ck0 ? ck0 : "");
	char *r = post(body);
	CU_ASSERT_EQUAL(r ? xml_count(r, "CreateAttachmentResponseMessage") : 0, 2);   /* one per attachment */
	ewsd_code_is(r, 0, "NoError");
	ewsd_code_is(r, 1, "NoError");
	char *root = r ? xml_attr(r, "AttachmentId", "RootItemId", 1) : NULL,
	     *ck = r ? xml_attr(r, "AttachmentId", "RootItemChangeKey", 1) : NULL,
	     *aid = r ? xml_attr(r, "AttachmentId", "Id", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(root ? root : "", id);
	CU_ASSERT(ck && ck0 && strcmp(ck, ck0));                 /* a save of the item: a new ChangeKey */
	char *after = get_item(id, "Default"), *ck2 = after ? xml_attr(after, "ItemId", "ChangeKey", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(ck2 ? ck2 : "", ck ? ck : "");    /* the last answer names the current version */
	has0 = after ? xml_text(after, "HasAttachments", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(has0 ? has0 : "", "true");
	CU_ASSERT_EQUAL(after ? xml_count(after, "FileAttachment") : 0, 2);
	/* the GetAttachment page's answer: the attachment's Name and Content */
	char *g = aid ? get_attachment(aid) : NULL, *gname = g ? xml_text(g, "Name", 0) : NULL,
	     *gcontent = g ? xml_text(g, "Content", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(gname ? gname : "", "SomeFile");
	CU_ASSERT_STRING_EQUAL(gcontent ? gcontent : "", "AQIDBAU=");
	free(g), free(gname), free(gcontent), free(after), free(ck2), free(has0);
	free(root), free(ck), free(aid), free(r), free(ck0), free(before), free(id);
}

static void an_item_attachment_keeps_its_embedded_message(void)
{
	char *id = create_with("");
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char body[2048];
	snprintf(body, sizeof body, "<m:CreateAttachment><m:ParentItemId Id=\"%s\"/><m:Attachments><t:ItemAttachment>"
		 "<t:Name>Attached Message Item</t:Name><t:Message><t:ItemClass>IPM.Note</t:ItemClass>"
		 "<t:Subject>Message Item Subject</t:Subject><t:Body BodyType=\"HTML\">Message Item Body</t:Body>"
		 "</t:Message></t:ItemAttachment></m:Attachments></m:CreateAttachment>", id);
	char *r = post(body);
	ewsd_code_is(r, 0, "NoError");
	CU_ASSERT(r && xml_count(r, "ItemAttachment") == 1);
	char *aid = r ? xml_attr(r, "AttachmentId", "Id", 0) : NULL;
	char *g = aid ? get_attachment(aid) : NULL;
	ewsd_code_is(g, 0, "NoError");
	char *msg = g ? xml_element(g, "Message", 0) : NULL, *name = g ? xml_text(g, "Name", 0) : NULL,
	     *subject = msg ? xml_text(msg, "Subject", 0) : NULL, *bodyt = msg ? xml_text(msg, "Body", 0) : NULL,
	     *btype = msg ? xml_attr(msg, "Body", "BodyType", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(name ? name : "", "Attached Message Item");
	CU_ASSERT_STRING_EQUAL(subject ? subject : "", "Message Item Subject");
	CU_ASSERT_STRING_EQUAL(bodyt ? bodyt : "", "Message Item Body");
	CU_ASSERT_STRING_EQUAL(btype ? btype : "", "HTML");
	CU_ASSERT(msg && !strstr(msg, "ItemId"));                 /* an embedded item has no id of its own */
	free(msg), free(name), free(subject), free(bodyt), free(btype), free(g), free(aid), free(r), free(id);
}

static void delete_attachment_answers_the_new_change_key_and_the_attachment_is_gone(void)
{
	char *id = create_with("<t:FileAttachment><t:Name>x.txt</t:Name><t:Content>eA==</t:Content></t:FileAttachment>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char *r = get_item(id, "Default"), *aid = r ? xml_attr(r, "AttachmentId", "Id", 0) : NULL,
	     *ck0 = r ? xml_attr(r, "ItemId", "ChangeKey", 0) : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(aid);
	char body[2048];
	snprintf(body, sizeof body, "<m:DeleteAttachment><m:AttachmentIds><t:AttachmentId Id=\"%s\"/>"
		 "<t:AttachmentId Id=\"%s\"/></m:AttachmentIds></m:DeleteAttachment>", aid, aid);
	char *d = post(body);
	ewsd_code_is(d, 0, "NoError");
	ewsd_code_is(d, 1, "ErrorInvalidAttachmentId");               /* the same attachment a second time: gone */
	char *root = d ? xml_attr(d, "RootItemId", "RootItemId", 0) : NULL,
	     *ck = d ? xml_attr(d, "RootItemId", "RootItemChangeKey", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(root ? root : "", id);
	CU_ASSERT(ck && ck0 && strcmp(ck, ck0));
	char *after = get_item(id, "Default"), *has = after ? xml_text(after, "HasAttachments", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(has ? has : "", "false");
	CU_ASSERT(after && !strstr(after, "<t:Attachments>"));
	char *g = get_attachment(aid);
	ewsd_code_is(g, 0, "ErrorInvalidAttachmentId");
	free(g), free(has), free(after), free(root), free(ck), free(d), free(ck0), free(aid), free(r), free(id);
}

static void refused_attachments_get_exchanges_error_codes(void)
{
	char *id = create_with("");
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char *big = malloc(LIMIT * 2 + 64);
	memset(big, 'A', (LIMIT / 3 + 2) * 4);                   /* base64 of more than LIMIT bytes */
	big[(LIMIT / 3 + 2) * 4] = '\0';
	char *body = malloc(strlen(big) + 2048);
	sprintf(body, "<m:CreateAttachment><m:ParentItemId Id=\"%s\"/><m:Attachments>"
		      "<t:FileAttachment><t:Content>AQIDBAU=</t:Content></t:FileAttachment>"
		      "<t:FileAttachment><t:Name>big.bin</t:Name><t:Content>%s</t:Content></t:FileAttachment>"
		      "<t:ItemAttachment><t:Name>no item</t:Name></t:ItemAttachment>"
		      "<t:FileAttachment><t:Name>ok.txt</t:Name><t:Content>b2s=</t:Content></t:FileAttachment>"
		      "</m:Attachments></m:CreateAttachment>", id, big);
	char *r = post(body);
	/* the CreateAttachment page's error example: ErrorRequiredPropertyMissing, MessageXml naming attachment:Name,
	 * an empty Attachments element */
	ewsd_code_is(r, 0, "ErrorRequiredPropertyMissing");
	char *m0 = r ? xml_element(r, "CreateAttachmentResponseMessage", 0) : NULL;
	char *field = m0 ? xml_attr(m0, "ExceptionFieldURI", "FieldURI", 0) : NULL, *text = m0 ? xml_text(m0, "MessageText", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(field ? field : "", "attachment:Name");
	CU_ASSERT_STRING_EQUAL(text ? text : "", "Required property is missing.");
	CU_ASSERT(m0 && strstr(m0, "<m:Attachments/>"));
	ewsd_code_is(r, 1, "ErrorAttachmentSizeLimitExceeded");
	ewsd_code_is(r, 2, "ErrorMissingItemForCreateItemAttachment");
	ewsd_code_is(r, 3, "NoError");                                 /* the others of the call still succeed */
	char *after = get_item(id, "Default");
	CU_ASSERT_EQUAL(after ? xml_count(after, "FileAttachment") : -1, 1);
	free(after), free(m0), free(field), free(text), free(r), free(body), free(big);

	/* ids: malformed, an item id that names no attachment, a parent that is gone */
	char *g = get_attachment("AAAA");
	ewsd_code_is(g, 0, "ErrorInvalidIdMalformed");
	free(g);
	g = get_attachment(id);
	ewsd_code_is(g, 0, "ErrorInvalidIdMalformed");
	free(g);
	char del[1024];
	snprintf(del, sizeof del, "<m:DeleteItem DeleteType=\"HardDelete\"><m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds>"
		 "</m:DeleteItem>", id);
	free(post(del));
	char ca[1024];
	snprintf(ca, sizeof ca, "<m:CreateAttachment><m:ParentItemId Id=\"%s\"/><m:Attachments><t:FileAttachment>"
		 "<t:Name>n</t:Name><t:Content>AA==</t:Content></t:FileAttachment></m:Attachments></m:CreateAttachment>", id);
	r = post(ca);
	ewsd_code_is(r, 0, "ErrorItemNotFound");
	free(r), free(id);
}

static char *export_data(const char *id)
{
	char body[1024];
	snprintf(body, sizeof body, "<m:ExportItems><m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:ExportItems>", id);
	char *r = post(body), *data = r ? xml_text(r, "Data", 0) : NULL;
	free(r);
	return data;
}

static void export_data_carries_attachments_byte_exactly_through_upload(void)
{
	if (!ews_test_have_op("ExportItems", "export data carries attachments through upload"))
		return;
	char *id = create_with("<t:FileAttachment><t:Name>one.bin</t:Name><t:ContentId>c1@x</t:ContentId>"
			       "<t:IsInline>true</t:IsInline><t:Content>AAECAwQFBgcICQ==</t:Content></t:FileAttachment>"
			       "<t:ItemAttachment><t:Name>inner</t:Name><t:Message><t:Subject>inner subject</t:Subject>"
			       "</t:Message></t:ItemAttachment>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char *data = export_data(id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	char *body = malloc(strlen(data) + 1024);
	sprintf(body, "<m:UploadItems><m:Items><t:Item CreateAction=\"CreateNew\"><t:ParentFolderId Id=\"%s\"/>"
		      "<t:Data>%s</t:Data></t:Item></m:Items></m:UploadItems>", "", data);
	/* the parent folder: the drafts folder's id, from GetFolder */
	char *f = post("<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape><m:FolderIds>"
		       "<t:DistinguishedFolderId Id=\"drafts\"/></m:FolderIds></m:GetFolder>");
	char *fid = f ? xml_attr(f, "FolderId", "Id", 0) : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(fid);
	sprintf(body, "<m:UploadItems><m:Items><t:Item CreateAction=\"CreateNew\"><t:ParentFolderId Id=\"%s\"/>"
		      "<t:Data>%s</t:Data></t:Item></m:Items></m:UploadItems>", fid, data);
	char *u = post(body), *nid = u ? xml_attr(u, "ItemId", "Id", 0) : NULL;
	ewsd_code_is(u, 0, "NoError");
	CU_ASSERT_PTR_NOT_NULL_FATAL(nid);
	CU_ASSERT(strcmp(nid, id));
	char *data2 = export_data(nid);
	CU_ASSERT_STRING_EQUAL(data2 ? data2 : "", data);        /* byte-exact: same base64, same bytes */
	char *g = get_item(nid, "Default");
	CU_ASSERT(g && xml_count(g, "FileAttachment") == 1 && xml_count(g, "ItemAttachment") == 1);
	char *cid = g ? xml_text(g, "ContentId", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(cid ? cid : "", "c1@x");
	/* a corrupted attachments part is refused whole */
	size_t n;
	unsigned char *raw = unb64(data, &n);
	CU_ASSERT_FATAL(raw && n > 40);
	raw[n - 12] ^= 0x55;                                      /* inside the attachments part, before the digest */
	char *bad = NULL;
	CU_ASSERT(ews_ok(ews_base64_encode(raw, n, &bad)));
	sprintf(body, "<m:UploadItems><m:Items><t:Item CreateAction=\"CreateNew\"><t:ParentFolderId Id=\"%s\"/>"
		      "<t:Data>%s</t:Data></t:Item></m:Items></m:UploadItems>", fid, bad ? bad : "");
	char *u2 = post(body);
	ewsd_code_is(u2, 0, "ErrorCorruptData");
	free(u2), free(bad), free(raw), free(cid), free(g), free(data2), free(u), free(nid), free(f), free(fid);
	free(body), free(data), free(id);
}

static void copies_keep_attachments_and_deleting_the_item_removes_them(void)
{
	char *id = create_with("<t:FileAttachment><t:Name>keep.txt</t:Name><t:Content>a2VlcA==</t:Content></t:FileAttachment>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char body[1024];
	snprintf(body, sizeof body, "<m:CopyItem><m:ToFolderId><t:DistinguishedFolderId Id=\"inbox\"/></m:ToFolderId>"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:CopyItem>", id);
	char *c = post(body), *cid = c ? xml_attr(c, "ItemId", "Id", 0) : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(cid);
	char *g = get_item(cid, "Default"), *aid = g ? xml_attr(g, "AttachmentId", "Id", 0) : NULL;
	char *a = aid ? get_attachment(aid) : NULL, *content = a ? xml_text(a, "Content", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(content ? content : "", "a2VlcA==");
	snprintf(body, sizeof body, "<m:DeleteItem DeleteType=\"HardDelete\"><m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds>"
		 "</m:DeleteItem>", cid);
	free(post(body));
	char *a2 = aid ? get_attachment(aid) : NULL;
	ewsd_code_is(a2, 0, "ErrorItemNotFound");
	free(a2), free(content), free(a), free(aid), free(g), free(cid), free(c), free(id);
}

static void find_item_reports_has_attachments_and_never_lists_them(void)
{
	char *id = create_with("<t:FileAttachment><t:Name>f.txt</t:Name><t:Content>Zg==</t:Content></t:FileAttachment>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char *r = post("<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>Default</t:BaseShape>"
		       "<t:AdditionalProperties><t:FieldURI FieldURI=\"item:Attachments\"/></t:AdditionalProperties>"
		       "</m:ItemShape><m:ParentFolderIds><t:DistinguishedFolderId Id=\"drafts\"/></m:ParentFolderIds></m:FindItem>");
	ewsd_code_is(r, 0, "NoError");
	CU_ASSERT(r && strstr(r, "<t:HasAttachments>true</t:HasAttachments>"));
	CU_ASSERT(r && !strstr(r, "FileAttachment"));
	free(r), free(id);
}

static void seeded_messages_have_attachments(void)
{
	char dir[] = "/tmp/ewsd-att-seed.XXXXXX";
	struct ewsd_proc s2;
	CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
	CU_ASSERT_EQUAL_FATAL(ewsd_seed(dir, "seeded@example.com", 60, 7), 0);
	CU_ASSERT_EQUAL_FATAL(ewsd_start(&s2, dir, NULL), 0);
	struct http_resp h;
	ews_post(&s2, "seeded@example.com", "Exchange2016", NULL,
		 "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties>"
		 "<t:FieldURI FieldURI=\"item:HasAttachments\"/></t:AdditionalProperties></m:ItemShape><m:ParentFolderIds>"
		 "<t:DistinguishedFolderId Id=\"inbox\"/></m:ParentFolderIds></m:FindItem>", &h);
	int with = 0;
	for (const char *p = h.body; p && (p = strstr(p, "<t:HasAttachments>true")); p++)
		with++;
	CU_ASSERT(with > 0);
	CU_ASSERT(h.body && strstr(h.body, "<t:HasAttachments>false"));
	http_resp_free(&h);
	ewsd_stop(&s2, 0);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "a file attachment keeps its name, type, content id, size and bytes",
		  a_file_attachment_keeps_its_name_type_content_id_size_and_bytes },
		{ "an attachment id is its item id followed by an attachment level",
		  an_attachment_id_is_its_item_id_followed_by_an_attachment_level },
		{ "CreateAttachment answers the root item and its new ChangeKey",
		  create_attachment_answers_the_root_item_and_its_new_change_key },
		{ "an item attachment keeps its embedded message", an_item_attachment_keeps_its_embedded_message },
		{ "DeleteAttachment answers the new ChangeKey and the attachment is gone",
		  delete_attachment_answers_the_new_change_key_and_the_attachment_is_gone },
		{ "refused attachments get Exchange's error codes", refused_attachments_get_exchanges_error_codes },
		{ "export data carries attachments byte-exactly through upload",
		  export_data_carries_attachments_byte_exactly_through_upload },
		{ "copies keep attachments and deleting the item removes them",
		  copies_keep_attachments_and_deleting_the_item_removes_them },
		{ "FindItem reports HasAttachments and never lists them", find_item_reports_has_attachments_and_never_lists_them },
		{ "seeded messages have attachments", seeded_messages_have_attachments },
		{ NULL, NULL }
	};
	const char *args[] = { "--max-attachment", "4000", NULL };
	if (ewsd_start(&srv, NULL, args)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd attachments", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
