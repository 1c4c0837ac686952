/* ews_test_ews.h — canned EWS messages and a GetFolder call for the runtime suites. */
#ifndef EWS_TEST_EWS_H
#define EWS_TEST_EWS_H

#include "ews/client.h"
#include "ews_test_http.h"

struct __ewsmsg__GetFolderResponse;

/* The ServerVersionInfo header these canned responses carry (15.1.2507.6, "V2017_07_11"). */
extern const char ews_test_server_version_header[];

/* A GetFolder response envelope with one message: class "Success"/"Error", code, text; malloc'd. */
char *ews_test_getfolder_response(const char *response_class, const char *code, const char *text,
                                  const char *message_xml);

/* A SOAP fault envelope as Exchange sends it (faultcode a:<code>, detail e:ResponseCode, e:Message and, when
 * message_xml is not NULL, t:MessageXml around it); malloc'd. */
char *ews_test_fault(const char *code, const char *message, const char *message_xml);

/* Queue a 200 (or 500 for a fault) reply with this body on the listener. */
void ews_test_queue_body(ews_test_http *s, int status, const char *body);

/* A client for the listener's URL with Basic auth (user "alice", password "secret"); retries never sleep for
 * real (the waits are recorded, see ews_test_slept). NULL on failure. */
ews_client *ews_test_client(ews_test_http *s);

/* Total and count of waits the test client asked for since it was created. */
long ews_test_slept_ms(void);
int ews_test_sleep_count(void);

/* GetFolder of the inbox through ews_call_operation, as the generated wrapper does (flags: EWS_OP_IDEMPOTENT). */
ews_status ews_test_get_folder(ews_client *c, struct __ewsmsg__GetFolderResponse *resp);
/* The same, flagged as not idempotent (as a CreateItem would be). */
ews_status ews_test_get_folder_flags(ews_client *c, int flags, struct __ewsmsg__GetFolderResponse *resp);

/* GetFolder twice with one client against a listener answering `first`, then `second` (both HTTP 200): the two
 * statuses. 0, or -1 when the listener or the client could not be started. */
int ews_test_get_folder_answers(const char *first, const char *second, ews_status *a, ews_status *b);

/* The same with CUnit assertions: `bad` refused as malformed XML (EWS_ERR_XML, `words` in the message), `good`
 * accepted, by one client in a row (a refused response must not spoil the connection's next call). */
void ews_test_call_refuses_only_the_first(const char *bad, const char *good, const char *words);

/* Log lines the test client received, joined by '\n' (static buffer). */
const char *ews_test_log_text(void);

#endif
