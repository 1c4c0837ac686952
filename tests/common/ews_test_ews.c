/* ews_test_ews.c — canned EWS messages and a GetFolder call for the runtime suites. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"

#include "ews/call.h"
#include "ews_operations.h"
#include "ews_test.h"
#include "ews_test_ews.h"

#define NS_M "http://schemas.microsoft.com/exchange/services/2006/messages"
#define NS_T "http://schemas.microsoft.com/exchange/services/2006/types"
#define NS_E "http://schemas.microsoft.com/exchange/services/2006/errors"

const char ews_test_server_version_header[] =
	"<h:ServerVersionInfo MajorVersion=\"15\" MinorVersion=\"1\" MajorBuildNumber=\"2507\" MinorBuildNumber=\"6\" "
	"Version=\"V2017_07_11\" xmlns:h=\"" NS_T "\" xmlns=\"" NS_T "\"/>";

static long slept_total;
static int slept_count;
static char log_text[16384];

char *ews_test_getfolder_response(const char *response_class, const char *code, const char *text,
                                  const char *message_xml)
{
	char body[8192];
	snprintf(body, sizeof body,
	         "<m:GetFolderResponse xmlns:m=\"" NS_M "\" xmlns:t=\"" NS_T "\"><m:ResponseMessages>"
	         "<m:GetFolderResponseMessage ResponseClass=\"%s\">%s%s%s<m:ResponseCode>%s</m:ResponseCode>"
	         "%s%s%s%s</m:GetFolderResponseMessage></m:ResponseMessages></m:GetFolderResponse>",
	         response_class, text ? "<m:MessageText>" : "", text ? text : "", text ? "</m:MessageText>" : "", code,
	         message_xml ? "<m:MessageXml>" : "", message_xml ? message_xml : "", message_xml ? "</m:MessageXml>" : "",
	         strcmp(response_class, "Error") ? "<m:Folders><t:Folder><t:FolderId Id=\"AQMkAD\" ChangeKey=\"AQAAAA\"/>"
	                                          "<t:DisplayName>Inbox</t:DisplayName></t:Folder></m:Folders>" : "");
	return ews_test_soap_envelope(ews_test_server_version_header, body);
}

char *ews_test_fault(const char *code, const char *message, const char *message_xml)
{
	char body[8192];
	snprintf(body, sizeof body,
	         "<s:Fault><faultcode xmlns:a=\"" NS_T "\">a:%s</faultcode>"
	         "<faultstring xml:lang=\"en-US\">%s</faultstring><detail>"
	         "<e:ResponseCode xmlns:e=\"" NS_E "\">%s</e:ResponseCode>"
	         "<e:Message xmlns:e=\"" NS_E "\">%s</e:Message>%s%s%s</detail></s:Fault>",
	         code, message, code, message, message_xml ? "<t:MessageXml xmlns:t=\"" NS_T "\">" : "",
	         message_xml ? message_xml : "", message_xml ? "</t:MessageXml>" : "");
	return ews_test_soap_envelope(NULL, body);
}

void ews_test_queue_body(ews_test_http *s, int status, const char *body)
{
	ews_test_http_queue_simple(s, status, NULL, body);
}

static void record_sleep(void *arg, long ms)
{
	(void)arg;
	slept_total += ms;
	slept_count++;
}

static void record_log(void *arg, ews_log_level level, const char *message)
{
	size_t used = strlen(log_text);
	(void)arg;
	(void)level;
	snprintf(log_text + used, sizeof log_text - used, "%s\n", message);
}

ews_client *ews_test_client(ews_test_http *s)
{
	ews_options o;
	ews_client *c = NULL;

	ews_options_init(&o);
	o.auth = EWS_AUTH_BASIC;
	o.user = "alice";
	o.password = "secret";
	o.io_timeout_s = 5;
	o.connect_timeout_s = 5;
	o.deadline_s = 10;
	if (!ews_ok(ews_client_new(ews_test_http_url(s), &o, &c)))
		return NULL;
	slept_total = 0;
	slept_count = 0;
	log_text[0] = '\0';
	ews_client_set_sleep(c, record_sleep, NULL);
	ews_client_set_log(c, record_log, NULL);
	return c;
}

long ews_test_slept_ms(void)
{
	return slept_total;
}

int ews_test_sleep_count(void)
{
	return slept_count;
}

const char *ews_test_log_text(void)
{
	return log_text;
}

ews_status ews_test_get_folder_flags(ews_client *c, int flags, struct __ewsmsg__GetFolderResponse *resp)
{
	struct soap *arena = ews_client_arena(c);
	struct ewsmsg__GetFolderType *req = soap_new_ewsmsg__GetFolderType(arena, -1);

	if (!req || !(req->FolderShape = soap_new_ewstype__FolderResponseShapeType(arena, -1)) ||
	    !(req->FolderIds = soap_new_ewstype__NonEmptyArrayOfBaseFolderIdsType(arena, -1)))
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	req->FolderShape->BaseShape = ewstype__DefaultShapeNamesType__Default;
	if (flags == EWS_OP_IDEMPOTENT)
		return ews_get_folder(c, req, resp); /* the generated wrapper */
	/* the generated descriptor with other flags */
	ews_operation op = ews_op_GetFolder;
	op.flags = flags;
	return ews_call_operation(c, &op, req, resp);
}

ews_status ews_test_get_folder(ews_client *c, struct __ewsmsg__GetFolderResponse *resp)
{
	return ews_test_get_folder_flags(c, EWS_OP_IDEMPOTENT, resp);
}

int ews_test_get_folder_answers(const char *first, const char *second, ews_status *a, ews_status *b)
{
	ews_test_http *srv = ews_test_http_start(0);
	ews_client *cli = srv ? ews_test_client(srv) : NULL;
	struct __ewsmsg__GetFolderResponse r;

	if (!cli) {
		if (srv)
			ews_test_http_stop(srv);
		return -1;
	}
	ews_test_queue_body(srv, 200, first);
	*a = ews_test_get_folder(cli, &r);
	ews_test_queue_body(srv, 200, second);
	*b = ews_test_get_folder(cli, &r);
	ews_client_free(cli);
	ews_test_http_stop(srv);
	return 0;
}

void ews_test_call_refuses_only_the_first(const char *bad, const char *good, const char *words)
{
	ews_status a, b;

	CU_ASSERT_EQUAL_FATAL(ews_test_get_folder_answers(bad, good, &a, &b), 0);
	CU_ASSERT_EQUAL(a.code, EWS_ERR_XML);
	CU_ASSERT_PTR_NOT_NULL(strstr(a.message, words));
	CU_ASSERT_EQUAL(b.code, EWS_OK);
}
