/* test_attachments_save.c — ews_save_item_attachments against ewsd: every attachment of an item lands in its own
 * file byte for byte (binary content, repeated names, unsafe names, an item attachment as XML), inline ones can be
 * left out, an existing file is never replaced, and failures are clear statuses that leave no file behind (an
 * unknown item, a missing directory). */
#define _GNU_SOURCE   /* memmem */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ews/attachments.h"
#include "ews/base64.h"
#include "ews/client.h"
#include "ews_schema_members.h"
#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;
static ews_client *client;
#define ME "saver@example.com"

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

static char *create_with(const char *attachments_xml)
{
	char *body = malloc(strlen(attachments_xml) + 512);
	sprintf(body, "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:Items><t:Message><t:Subject>to save</t:Subject>"
		      "%s%s%s</t:Message></m:Items></m:CreateItem>", *attachments_xml ? "<t:Attachments>" : "",
		attachments_xml, *attachments_xml ? "</t:Attachments>" : "");
	char *r = post(body), *id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(body), free(r);
	return id;
}

static char *new_dir(void)
{
	char *d = strdup("/tmp/ews-att-save.XXXXXX");
	return mkdtemp(d) ? d : NULL;
}

/* Files in dir (temporary ones included) */
static int count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

static void remove_dir(char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[4096];
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.' || (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))) {
			snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
			unlink(p);
		}
	if (d)
		closedir(d);
	rmdir(dir);
	free(dir);
}

static unsigned char *read_all(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b = NULL;
	*n = 0;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	b = malloc(len > 0 ? (size_t)len : 1);
	*n = fread(b, 1, (size_t)len, f);
	fclose(f);
	return b;
}

static void every_attachment_is_saved_byte_for_byte(void)
{
	/* 300 000 bytes of every byte value: the large one */
	size_t big_n = 300000;
	unsigned char *big = malloc(big_n);
	for (size_t i = 0; i < big_n; i++)
		big[i] = (unsigned char)(i * 7 + i / 256);
	char *b64 = NULL;
	CU_ASSERT_FATAL(ews_ok(ews_base64_encode(big, big_n, &b64)));
	char *xml = malloc(strlen(b64) + 2048);
	sprintf(xml, "<t:FileAttachment><t:Name>data.bin</t:Name><t:Content>%s</t:Content></t:FileAttachment>"
		     "<t:FileAttachment><t:Name>data.bin</t:Name><t:Content>AQID</t:Content></t:FileAttachment>"
		     "<t:FileAttachment><t:Name>../etc/passwd</t:Name><t:Content>eA==</t:Content></t:FileAttachment>"
		     "<t:FileAttachment><t:Name>logo.png</t:Name><t:ContentId>logo@x</t:ContentId><t:IsInline>true"
		     "</t:IsInline><t:Content>iVBORw==</t:Content></t:FileAttachment>"
		     "<t:ItemAttachment><t:Name>forwarded</t:Name><t:Message><t:Subject>inner one</t:Subject></t:Message>"
		     "</t:ItemAttachment>", b64);
	char *id = create_with(xml);
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char *dir = new_dir();
	ews_saved_attachment *a = NULL;
	size_t n = 0;
	ews_status st = ews_save_item_attachments(client, id, dir, NULL, &a, &n);
	if (!ews_ok(st))
		fprintf(stderr, "\n  %s\n", st.message);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(n, 5);
	size_t len;
	unsigned char *got = read_all(a[0].path ? a[0].path : "", &len);
	CU_ASSERT_EQUAL(len, big_n);
	CU_ASSERT(got && !memcmp(got, big, big_n));
	CU_ASSERT_EQUAL(a[0].size, (long long)big_n);
	free(got);
	char want[4200];
	snprintf(want, sizeof want, "%s/data (2).bin", dir);
	CU_ASSERT_STRING_EQUAL(a[1].path ? a[1].path : "", want);  /* a repeated name gets a number */
	got = read_all(want, &len);
	CU_ASSERT(len == 3 && got && !memcmp(got, "\1\2\3", 3));
	free(got);
	snprintf(want, sizeof want, "%s/_._etc_passwd", dir);
	CU_ASSERT_STRING_EQUAL(a[2].path ? a[2].path : "", want);  /* never outside the directory */
	CU_ASSERT_STRING_EQUAL(a[3].content_id ? a[3].content_id : "", "logo@x");
	/* IsInline came with Exchange 2010: bindings from an older set (Exchange2007_SP1) cannot tell inline ones */
	int inline_known = ews_test_needs(EWS_TEST_DEFINED(EWS_HAS_ewstype__AttachmentType_IsInline),
					  "member IsInline of AttachmentType", "inline attachments are told and left out on request");
	if (inline_known)
		CU_ASSERT_EQUAL(a[3].is_inline, 1);
	CU_ASSERT_EQUAL(a[4].is_item, 1);
	snprintf(want, sizeof want, "%s/forwarded.xml", dir);
	CU_ASSERT_STRING_EQUAL(a[4].path ? a[4].path : "", want);
	got = read_all(want, &len);
	CU_ASSERT(got && len > 0 && memmem(got, len, "inner one", 9));
	free(got);
	CU_ASSERT_EQUAL(count_files(dir), 5);                    /* no temporary files left */
	ews_saved_attachments_free(a, n);

	/* inline attachments left out on request */
	char *dir2 = new_dir();
	if (!inline_known) {
		remove_dir(dir2);
		remove_dir(dir);
		free(id), free(xml), free(b64), free(big);
		return;
	}
	st = ews_save_item_attachments(client, id, dir2, &(ews_attachment_save_options){ .skip_inline = 1 }, &a, &n);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL(n, 5);
	CU_ASSERT(n == 5 && a[3].path == NULL);
	CU_ASSERT_EQUAL(count_files(dir2), 4);
	ews_saved_attachments_free(a, n);
	remove_dir(dir2);
	remove_dir(dir);
	free(id), free(xml), free(b64), free(big);
}

static void an_item_without_attachments_saves_nothing(void)
{
	char *id = create_with("");
	char *dir = new_dir();
	ews_saved_attachment *a = NULL;
	size_t n = 99;
	ews_status st = ews_save_item_attachments(client, id, dir, NULL, &a, &n);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL(count_files(dir), 0);
	ews_saved_attachments_free(a, n);
	remove_dir(dir);
	free(id);
}

static void failures_are_clear_and_leave_no_files(void)
{
	char *id = create_with("<t:FileAttachment><t:Name>a.txt</t:Name><t:Content>YQ==</t:Content></t:FileAttachment>");
	char *dir = new_dir();
	ews_saved_attachment *a = NULL;
	size_t n = 0;
	/* an item that is gone */
	char body[1024];
	char *other = create_with("<t:FileAttachment><t:Name>b.txt</t:Name><t:Content>Yg==</t:Content></t:FileAttachment>");
	snprintf(body, sizeof body, "<m:DeleteItem DeleteType=\"HardDelete\"><m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds>"
		 "</m:DeleteItem>", other);
	free(post(body));
	ews_status st = ews_save_item_attachments(client, other, dir, NULL, &a, &n);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_RESPONSE);
	CU_ASSERT_STRING_EQUAL(st.response_code, "ErrorItemNotFound");
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL(count_files(dir), 0);
	ews_saved_attachments_free(a, n);
	/* a directory that does not exist */
	st = ews_save_item_attachments(client, id, "/nonexistent/ews-att", NULL, &a, &n);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_FILE);
	CU_ASSERT(strstr(st.message, "/nonexistent/ews-att") != NULL);
	ews_saved_attachments_free(a, n);
	/* arguments */
	st = ews_save_item_attachments(client, NULL, dir, NULL, &a, &n);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_ARGUMENT);
	/* an existing file of the name is not replaced: the attachment gets the next free name */
	char path[4200];
	snprintf(path, sizeof path, "%s/a.txt", dir);
	FILE *f = fopen(path, "w");
	fputs("mine", f);
	fclose(f);
	st = ews_save_item_attachments(client, id, dir, NULL, &a, &n);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	size_t len;
	unsigned char *got = read_all(path, &len);
	CU_ASSERT(len == 4 && got && !memcmp(got, "mine", 4));
	free(got);
	snprintf(path, sizeof path, "%s/a (2).txt", dir);
	CU_ASSERT_STRING_EQUAL(n == 1 && a[0].path ? a[0].path : "", path);
	ews_saved_attachments_free(a, n);
	remove_dir(dir);
	free(id), free(other);
}

static void file_names_are_made_safe(void)
{
	char out[32];
	ews_attachment_file_name("report.pdf", 0, out, sizeof out);
	CU_ASSERT_STRING_EQUAL(out, "report.pdf");
	ews_attachment_file_name("a/b\\c\n", 0, out, sizeof out);
	CU_ASSERT_STRING_EQUAL(out, "a_b_c_");
	ews_attachment_file_name("..", 0, out, sizeof out);
	CU_ASSERT_STRING_EQUAL(out, "_.");
	ews_attachment_file_name("", 0, out, sizeof out);
	CU_ASSERT_STRING_EQUAL(out, "attachment");
	ews_attachment_file_name("mail", 1, out, sizeof out);
	CU_ASSERT_STRING_EQUAL(out, "mail.xml");
	/* cut at a character boundary: 14 x "é" (2 bytes each) into 16 bytes */
	char small[16];
	ews_attachment_file_name("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 0, small, sizeof small);
	CU_ASSERT_EQUAL(strlen(small), 14);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "every attachment is saved byte for byte", every_attachment_is_saved_byte_for_byte },
		{ "an item without attachments saves nothing", an_item_without_attachments_saves_nothing },
		{ "failures are clear and leave no files", failures_are_clear_and_leave_no_files },
		{ "file names are made safe", file_names_are_made_safe },
		{ NULL, NULL }
	};
	ews_options opt;
	ews_options_init(&opt);
	if (ewsd_start(&srv, NULL, NULL) || !ews_ok(ews_client_new(srv.url, &opt, &client)) ||
	    !ews_ok(ews_client_set_basic_auth(client, ME, "x"))) {
		fprintf(stderr, "cannot start ewsd or the client\n");
		return 1;
	}
	int rc = ews_test_run("saving attachments", cases);
	ews_client_free(client);
	ewsd_stop(&srv, 0);
	return rc;
}
