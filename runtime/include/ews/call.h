/* ews/call.h — how every typed operation call runs: one generic driver, typed wrappers generated per operation.
 *
 * The generator writes generated/ews_operations.h with one wrapper per operation of the schema, e.g.
 *
 *   ews_status ews_find_item(ews_client *c, struct ewsmsg__FindItemType *request,
 *                            struct __ewsmsg__FindItemResponse *response);
 *
 * Each wrapper calls ews_call_operation() with the operation's descriptor (ews_operation, one per operation, also
 * generated: ews_op_FindItem ...), which names its gSOAP send/receive halves, its ResponseMessages accessors,
 * its flags, and the schema's binding (SOAP headers and faults). The driver sets the SOAP
 * headers, authenticates, sends, receives the whole body (inflated), sanitizes it, decodes it into *response,
 * captures ServerVersionInfo, retries on ErrorServerBusy within the client's budget, and summarizes the
 * ResponseMessages into the returned status. The decoded response lives in the client's gSOAP context: it is
 * valid until the next call on the same client or ews_client_release(). Copy out what you keep.
 *
 * Layers: the driver (runtime/core) knows no generated type or function; everything schema-specific reaches it
 * through the descriptor it is handed. `make check-layers` enforces it.
 */
#ifndef EWS_CALL_H
#define EWS_CALL_H

#include "ews/status.h"

#ifdef __cplusplus
extern "C" {
#endif

struct soap;
struct soap_dom_element;
struct ews_response_message;
struct ews_server_version;
typedef struct ews_client ews_client;

/* gSOAP's generated halves, with the request/response types erased (the descriptors restore them). */
typedef int (*ews_send_fn)(struct soap *soap, const char *endpoint, const char *action, const void *request);
typedef int (*ews_recv_fn)(struct soap *soap, void *response);

/* Flags describing an operation, used for retry decisions. */
enum ews_op_flags {
	EWS_OP_IDEMPOTENT = 1       /* safe to resend after a transport failure (reads: Get*, Find*, Sync*, Export*, ConvertId) */
};

/* The values of a request's SOAP headers, as the driver hands them to the binding. Borrowed for the call. */
typedef struct ews_soap_headers {
	const char *version;            /* RequestServerVersion/@Version */
	const char *impersonate;        /* ExchangeImpersonation's ConnectingSID value; NULL: none */
	int impersonate_kind;           /* ews_impersonation_kind (ews/client.h) */
	const char *culture;            /* MailboxCulture; NULL: none */
	const char *timezone;           /* TimeZoneContext/TimeZoneDefinition/@Id; NULL: none */
} ews_soap_headers;

/* A SOAP fault as plain parts (SOAP 1.1 and 1.2 fields; NULL when absent). Borrowed from the gSOAP context. */
typedef struct ews_soap_fault_parts {
	const char *faultcode, *faultstring, *faultactor;   /* SOAP 1.1 */
	const char *code, *subcode, *reason;                 /* SOAP 1.2: Code/Value, Code/Subcode/Value, Reason/Text */
	const struct soap_dom_element *detail;               /* children of detail (1.1) / Detail (1.2), an array */
	int detail_count;
	int has_detail;                                      /* put_fault: a detail element was there (maybe empty) */
	int detail_soap12;                                   /* the detail was SOAP 1.2's Detail */
} ews_soap_fault_parts;

/* What the driver needs of one schema's generated SOAP header and fault types. Generated layer. */
typedef struct ews_binding {
	/* soap->header for a request, allocated in soap. 0, or a gSOAP error (SOAP_EOM). */
	int (*put_headers)(struct soap *soap, const ews_soap_headers *headers);
	/* ServerVersionInfo of the decoded response's header into *out; 1 when there was one, else 0. */
	int (*get_server_version)(struct soap *soap, struct ews_server_version *out);
	/* soap->fault as parts; 1 when there is one, else 0 (*out cleared). */
	int (*get_fault)(struct soap *soap, ews_soap_fault_parts *out);
	/* soap->fault made from parts (a fault read as DOM that the typed decode could not hold). 0 or SOAP_EOM. */
	int (*put_fault)(struct soap *soap, const ews_soap_fault_parts *parts);
	/* RequestServerVersion when the options name none: "Exchange2013_SP1", or the schema's newest version when
	 * the schema is older (a server serving Exchange 2010 SP2's schema refuses a later version). Static. */
	const char *default_server_version;
} ews_binding;

/* Decoding in place: the driver's contract with the generated layer's base64 reader (runtime/binding/
 * ews_base64_in.c). While the driver decodes a response from the client's body buffer, the client's context holds
 * the gSOAP plugin EWS_INPLACE_PLUGIN (soap_lookup_plugin returns its ews_inplace) with begin/end set to that
 * buffer. A base64Binary value read from inside it is then decoded into the bytes of its own text, which gSOAP
 * has read already (3 bytes out for every 4 in, so the writing never overtakes the reading), instead of into a
 * copy of its own: an ExportItems batch's item data then takes no memory beyond the body. The value points into
 * the body, which lives exactly as long as the decoded response (until the client's next call or
 * ews_client_release). `written` tells the driver that the body no longer reads as it arrived. */
#define EWS_INPLACE_PLUGIN "ews-inplace-decode"
typedef struct ews_inplace {
	char *begin, *end;              /* the writable body buffer while a response is decoded from it, else NULL */
	int written;                    /* a value was decoded into it */
} ews_inplace;

/* One operation of the schema, generated (generated/ews_operations.c: ews_op_<Name>, and the table
 * ews_operations[]). Static data: never freed. */
typedef struct ews_operation {
	const char *name;               /* the EWS name: "FindItem" */
	const char *request_type;       /* the C request type: "struct ewsmsg__FindItemType" */
	const char *response_type;      /* the C response type: "struct __ewsmsg__FindItemResponse" */
	int flags;                      /* ews_op_flags */
	ews_send_fn send;
	ews_recv_fn recv;
	/* The ResponseMessages of a decoded response: how many (0 when none or the body was empty), and message i
	 * (0, or -1 when out of range or of an unknown kind). NULL when the operation has no ResponseMessages. */
	int (*message_count)(const void *response);
	int (*message_get)(const void *response, int i, struct ews_response_message *out);
	const ews_binding *binding;     /* the schema's SOAP headers and faults */
	/* The response's tables for the fast reader (ews/reader.h), or NULL: gSOAP alone decodes it. */
	const struct ews_rd_document *reader;
} ews_operation;

/* ews_client_new() of the generated layer (runtime/binding) creates every client with its schema's binding, so
 * the client knows the schema's SOAP headers and faults before its first call; this is the core's half. */
struct ews_options;
ews_status ews_client_new_with_binding(const char *url, const struct ews_options *opt, const ews_binding *binding,
                                       ews_client **out);

/* Run one operation. Returns EWS_OK when every ResponseMessage succeeded (or warned); EWS_ERR_RESPONSE when any is
 * an error, with response_code and message of the first error (walk them all with ews_response_messages_*);
 * EWS_ERR_SYNC_STATE for ErrorInvalidSyncStateData; EWS_ERR_FAULT, EWS_ERR_AUTH, EWS_ERR_XML, ... for failures
 * before that. *response is filled whenever a body was decoded, also on EWS_ERR_RESPONSE. */
ews_status ews_call_operation(ews_client *c, const ews_operation *op, const void *request, void *response);

#ifdef __cplusplus
}
#endif
#endif
