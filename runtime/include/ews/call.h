/* ews/call.h — how every typed operation call runs: one generic driver, typed wrappers generated per operation.
 *
 * The generator writes generated/ews_operations.h with one wrapper per operation of the schema, e.g.
 *
 *   ews_status ews_find_item(ews_client *c, struct ewsmsg__FindItemType *request,
 *                            struct __ewsmsg__FindItemResponse *response);
 *
 * Each wrapper calls ews_call_op() with the operation's gSOAP send/receive halves. The driver sets the SOAP
 * headers, authenticates, sends, receives the whole body (inflated), sanitizes it, decodes it into *response,
 * captures ServerVersionInfo, retries on ErrorServerBusy within the client's budget, and summarizes the
 * ResponseMessages into the returned status. The decoded response lives in the client's gSOAP context: it is
 * valid until the next call on the same client or ews_client_release(). Copy out what you keep.
 */
#ifndef EWS_CALL_H
#define EWS_CALL_H

#include "ews/status.h"

#ifdef __cplusplus
extern "C" {
#endif

struct soap;
struct ewsmsg__ArrayOfResponseMessagesType;
typedef struct ews_client ews_client;

/* gSOAP's generated halves, with the request/response types erased (the wrappers restore them). */
typedef int (*ews_send_fn)(struct soap *soap, const char *endpoint, const char *action, const void *request);
typedef int (*ews_recv_fn)(struct soap *soap, void *response);
/* The ResponseMessages of a decoded response, or NULL when the operation has none (or the body was empty). */
typedef const struct ewsmsg__ArrayOfResponseMessagesType *(*ews_messages_fn)(const void *response);

/* Flags describing an operation, used for retry decisions. */
enum ews_op_flags {
	EWS_OP_IDEMPOTENT = 1       /* safe to resend after a transport failure (reads: Get*, Find*, Sync*, Export*, ConvertId) */
};

/* Run one operation. `operation` is the EWS name ("FindItem"); `flags` from ews_op_flags.
 * Returns EWS_OK when every ResponseMessage succeeded (or warned); EWS_ERR_RESPONSE when any is an error, with
 * response_code and message of the first error (walk them all with ews_response_messages_*); EWS_ERR_SYNC_STATE
 * for ErrorInvalidSyncStateData; EWS_ERR_FAULT, EWS_ERR_AUTH, EWS_ERR_XML, ... for failures before that.
 * *response is filled whenever a body was decoded, also on EWS_ERR_RESPONSE. */
ews_status ews_call_op(ews_client *c, const char *operation, int flags, ews_send_fn send, ews_recv_fn recv,
                       ews_messages_fn messages, const void *request, void *response);

#ifdef __cplusplus
}
#endif
#endif
