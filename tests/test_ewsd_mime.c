/* test_ewsd_mime.c — MimeContent against a running ewsd: GetItem with IncludeMimeContent answers an RFC 5322
 * message (base64, CharacterSet UTF-8) built from the item's properties and attachments; an item created from
 * MimeContent answers the very bytes it was created from; MIME that is not base64 is ErrorMimeContentInvalid. */
#define _GNU_SOURCE   /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/base64.h"
#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;
#define ME "mime@example.com"

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


/* GetItem IdOnly + IncludeMimeContent: the decoded MIME (malloc'd, NUL-terminated) or NULL; *charset too. */
static char *mime_of(const char *id, char **charset, size_t *n)
{
	char body[1024];
	snprintf(body, sizeof body, "<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:IncludeMimeContent>true"
		 "</t:IncludeMimeContent></m:ItemShape><m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", id);
	char *r = post(body), *b64 = r ? xml_text(r, "MimeContent", 0) : NULL;
	if (charset)
		*charset = r ? xml_attr(r, "MimeContent", "CharacterSet", 0) : NULL;
	unsigned char *raw = NULL;
	*n = 0;
	if (b64 && ews_ok(ews_base64_decode(b64, strlen(b64), &raw, n))) {
		unsigned char *z = realloc(raw, *n + 1);
		if (z)
			z[*n] = '\0';
		raw = z;
	}
	free(b64), free(r);
	return (char *)raw;
}

static void a_message_s_mime_is_built_from_its_properties_and_attachments(void)
{
	char *r = post("<m:CreateItem MessageDisposition=\"SaveOnly\"><m:Items><t:Message><t:Subject>Caf\xc3\xa9 plans"
		       "</t:Subject><t:Body BodyType=\"Text\">See you at noon.</t:Body><t:Attachments><t:FileAttachment>"
		       "<t:Name>menu.txt</t:Name><t:ContentId>menu@x</t:ContentId><t:Content>AQIDBAU=</t:Content>"
		       "</t:FileAttachment></t:Attachments><t:ToRecipients><t:Mailbox><t:Name>Bob</t:Name>"
		       "<t:EmailAddress>bob@example.com</t:EmailAddress></t:Mailbox></t:ToRecipients></t:Message></m:Items>"
		       "</m:CreateItem>");
	char *id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char *cs = NULL;
	size_t n;
	char *m = mime_of(id, &cs, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_STRING_EQUAL(cs ? cs : "", "UTF-8");
	CU_ASSERT(strstr(m, "Subject: =?utf-8?B?Q2Fmw6kgcGxhbnM=?=\r\n") != NULL);   /* RFC 2047, UTF-8 */
	CU_ASSERT(strstr(m, "To: \"Bob\" <bob@example.com>\r\n") != NULL);
	CU_ASSERT(strstr(m, "MIME-Version: 1.0\r\n") != NULL);
	CU_ASSERT(strstr(m, "Content-Type: multipart/mixed;") != NULL);
	CU_ASSERT(strstr(m, "Content-Type: text/plain; charset=\"utf-8\"") != NULL);
	CU_ASSERT(strstr(m, "U2VlIHlvdSBhdCBub29uLg==\r\n") != NULL);              /* the body, base64 */
	CU_ASSERT(strstr(m, "Content-Disposition: attachment; filename=\"menu.txt\"; size=5\r\n") != NULL);
	CU_ASSERT(strstr(m, "Content-ID: <menu@x>\r\n") != NULL);
	CU_ASSERT(strstr(m, "\r\n\r\nAQIDBAU=\r\n") != NULL);                     /* the attachment's bytes */
	free(m), free(cs), free(id), free(r);
}

static void an_item_created_from_mime_keeps_its_bytes(void)
{
	/* deliberately unusual: LF-only lines, a folded header, a header Exchange does not know */
	const char *eml = "From: \"Ann Lee\" <ann@example.com>\nTo: bob@example.com\nSubject: from\n a folded line\n"
			  "X-Custom: kept\nMIME-Version: 1.0\nContent-Type: text/plain\n\nbody line 1\nbody line 2\n";
	char *b64 = NULL;
	CU_ASSERT_FATAL(ews_ok(ews_base64_encode((const unsigned char *)eml, strlen(eml), &b64)));
	char body[4096];
	snprintf(body, sizeof body, "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:Items><t:Message><t:MimeContent>%s"
		 "</t:MimeContent></t:Message></m:Items></m:CreateItem>", b64);
	char *r = post(body), *id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	ewsd_code_is(r, 0, "NoError");
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	size_t n;
	char *m = mime_of(id, NULL, &n);
	CU_ASSERT_EQUAL(n, strlen(eml));
	CU_ASSERT(m && !memcmp(m, eml, strlen(eml)));              /* byte-exact */
	/* and the properties were read from it */
	char g[1024];
	snprintf(g, sizeof g, "<m:GetItem><m:ItemShape><t:BaseShape>Default</t:BaseShape></m:ItemShape><m:ItemIds>"
		 "<t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", id);
	char *gi = post(g), *subject = gi ? xml_text(gi, "Subject", 0) : NULL, *from = gi ? xml_text(gi, "EmailAddress", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(subject ? subject : "", "from a folded line");
	CU_ASSERT_STRING_EQUAL(from ? from : "", "ann@example.com");
	free(gi), free(subject), free(from), free(m), free(id), free(r), free(b64);
}

static void mime_that_is_not_base64_is_refused(void)
{
	char *r = post("<m:CreateItem MessageDisposition=\"SaveOnly\"><m:Items><t:Message><t:MimeContent>not base64!"
		       "</t:MimeContent></t:Message></m:Items></m:CreateItem>");
	ewsd_code_is(r, 0, "ErrorMimeContentInvalid");
	free(r);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "a message's MIME is built from its properties and attachments",
		  a_message_s_mime_is_built_from_its_properties_and_attachments },
		{ "an item created from MIME keeps its bytes", an_item_created_from_mime_keeps_its_bytes },
		{ "MIME that is not base64 is refused", mime_that_is_not_base64_is_refused },
		{ NULL, NULL }
	};
	if (ewsd_start(&srv, NULL, NULL)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd MimeContent", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
