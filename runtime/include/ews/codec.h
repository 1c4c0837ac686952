/* ews/codec.h — decode or re-encode any EWS SOAP message of the generated schema, operation found at run time.
 *
 * The typed calls (ews_find_item() ...) are what applications use. This is for tools that see messages they did
 * not send: the ews-decode command, capture analysis, the round-trip tests. */
#ifndef EWS_CODEC_H
#define EWS_CODEC_H

#include <stddef.h>
#include "ews/status.h"

#ifdef __cplusplus
extern "C" {
#endif

struct soap;
struct SOAP_ENV__Header;
struct SOAP_ENV__Fault;

/* Per operation: read/write the gSOAP wrapper struct of its request (struct __ewsmsg__<Op>) and response
 * (struct __ewsmsg__<Op>Response) body. Generated: generated/ews_codecs.c. */
typedef struct ews_operation_codec {
	const char *name;                                       /* "FindItem" */
	void *(*get_request)(struct soap *soap);                /* NULL on error (soap->error) */
	void (*serialize_request)(struct soap *soap, const void *wrapper);
	int (*put_request)(struct soap *soap, const void *wrapper);
	void *(*get_response)(struct soap *soap);
	void (*serialize_response)(struct soap *soap, const void *wrapper);
	int (*put_response)(struct soap *soap, const void *wrapper);
} ews_operation_codec;

/* Terminated by an entry with name NULL. */
extern const ews_operation_codec ews_operation_codecs[];

/* The codec of an operation by EWS name, or NULL. */
const ews_operation_codec *ews_operation_codec_find(const char *name);

typedef enum ews_message_kind {
	EWS_MESSAGE_REQUEST = 1,
	EWS_MESSAGE_RESPONSE = 2,
	EWS_MESSAGE_FAULT = 3
} ews_message_kind;

/* A decoded message. Every pointer is owned by the gSOAP context that decoded it (freed by soap_end()). */
typedef struct ews_decoded_message {
	ews_message_kind kind;
	const ews_operation_codec *op;      /* NULL for a fault */
	void *body;                         /* struct __ewsmsg__<Op> or __ewsmsg__<Op>Response; NULL for a fault */
	struct SOAP_ENV__Header *header;    /* NULL when the message has none */
	struct SOAP_ENV__Fault *fault;      /* for EWS_MESSAGE_FAULT */
	int has_envelope;                   /* 0 when the input was a bare body element */
} ews_decoded_message;

/* Decode one message held in xml[0..len) (need not be NUL-terminated; it is copied and sanitized first: see
 * ews_xml_sanitize()). On failure the status says where (line) and what was wrong. `soap` should be a fresh or
 * ews_codec_context() context; the result lives in it until soap_end(soap). */
ews_status ews_message_decode(struct soap *soap, const char *xml, size_t len, ews_decoded_message *out);

/* Serialize a decoded (or hand-built) message back to XML. *xml_out is owned by `soap` (freed by soap_end()). */
ews_status ews_message_encode(struct soap *soap, const ews_decoded_message *msg, const char **xml_out);

/* A gSOAP context set up the way libews decodes (UTF-8 strings, limits). Caller frees with ews_codec_context_free(). */
struct soap *ews_codec_context_new(void);
void ews_codec_context_free(struct soap *soap);

#ifdef __cplusplus
}
#endif
#endif
