/* test_ewsd_corpus.c — robustness: every request of the shared EWS example corpus (Microsoft's documentation
 * examples, many shortened or not schema-valid) posted to ewsd. Each must get an answer Exchange could give
 * (HTTP 200 with response messages, or HTTP 500 with an a:Error... SOAP fault; with the bindings of an official
 * schema, the generated "not supported" fault for operations ewsd does not implement), and the server must live
 * on. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/sanitize.h"
#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;
static int posted, answered_200, answered_fault, bad;

static int post_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)ftw;
	if (flag != FTW_F || !strstr(path, "request") || !strstr(path, ".xml"))
		return 0;
	size_t n;
	char *xml = ews_test_read_file(path, &n);
	if (!xml)
		return 0;
	n = ews_xml_sanitize(xml, n);    /* the documentation's https:// envelopes, as a client would fix them */
	struct http_resp r;
	posted++;
	if (http_request(&srv, "POST", "/EWS/Exchange.asmx", NULL, xml, n, &r) == 0 && r.body &&
	    strstr(r.body, "Envelope")) {
		char *fc = xml_text(r.body, "faultcode", 0);
		/* Get/SetUserOofSettings answer with one ResponseMessage, not a ResponseMessages array; GetRoomLists,
		 * GetRooms, GetSearchableMailboxes, GetMailTips, FindPeople and GetPersona are a response message themselves;
		 * the delegate operations too, with ResponseMessages only when the request's mailbox is the caller's (the
		 * pages' users are not ewsd's) */
		if (r.status == 200 && !fc && (xml_count(r.body, "ResponseMessages") == 1 ||
					       (strstr(r.body, "OofSettingsResponse") && xml_count(r.body, "ResponseMessage") == 1) ||
					       ((strstr(r.body, "GetRoomListsResponse") || strstr(r.body, "GetRoomsResponse") ||
						 strstr(r.body, "GetSearchableMailboxesResponse") ||
						 strstr(r.body, "GetMailTipsResponse") || strstr(r.body, "FindPeopleResponse") ||
						 strstr(r.body, "GetPersonaResponseMessage") || strstr(r.body, "DelegateResponse")) &&
						xml_count(r.body, "ResponseCode") >= 1)))
			answered_200++;
		else if (r.status == 500 && fc && !strncmp(fc, "a:Error", 7))
			answered_fault++;
		else if (r.status == 500 && fc && strstr(r.body, "is not supported by this server"))
			answered_fault++;   /* bindings of a larger schema: an operation ewsd does not implement */
		else {
			bad++;
			fprintf(stderr, "unexpected answer %d to %s\n", r.status, path);
		}
		free(fc);
	} else {
		bad++;
		fprintf(stderr, "no answer to %s\n", path);
	}
	http_resp_free(&r);
	free(xml);
	return 0;
}

static void every_corpus_request_gets_an_exchange_answer(void)
{
	CU_ASSERT_EQUAL_FATAL(nftw(ews_test_shared_path("ews-corpus/docs"), post_one, 16, FTW_PHYS), 0);
	printf("\n    %d requests: %d answered with response messages, %d with a fault\n", posted, answered_200,
	       answered_fault);
	CU_ASSERT(posted > 100);
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT(answered_200 > 50);       /* the operations ewsd offers */
	CU_ASSERT(answered_fault > 0);
	struct http_resp r;                 /* still serving */
	ews_post(&srv, NULL, "Exchange2013", NULL, "<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape>"
		 "</m:FolderShape><m:FolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:FolderIds></m:GetFolder>", &r);
	CU_ASSERT_EQUAL(r.status, 200);
	http_resp_free(&r);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "every corpus request gets an Exchange answer", every_corpus_request_gets_an_exchange_answer },
		{ NULL, NULL }
	};
	if (ewsd_start(&srv, NULL, NULL)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd corpus robustness", cases);
	if (ewsd_stop(&srv, 0) != 0) {
		fprintf(stderr, "ewsd did not exit cleanly\n");
		rc = 1;
	}
	return rc;
}
