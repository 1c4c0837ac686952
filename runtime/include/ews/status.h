/* ews/status.h — errors as values: the ews_status every libews call returns. */
#ifndef EWS_STATUS_H
#define EWS_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

/* What went wrong, coarsely. Numbers are part of the ABI: append only, never renumber or reuse. */
typedef enum ews_code {
	EWS_OK = 0,
	EWS_ERR_ARGUMENT = 1,       /* a caller passed something invalid (NULL, out of range, bad format)    */
	EWS_ERR_NOMEM = 2,          /* an allocation failed                                                 */
	EWS_ERR_IO = 3,             /* the connection failed while sending or receiving (local files: FILE) */
	EWS_ERR_CONNECT = 4,        /* could not reach the server (DNS, refused, unreachable)               */
	EWS_ERR_TLS = 5,            /* TLS handshake or certificate verification failed                     */
	EWS_ERR_AUTH = 6,           /* the server refused the credentials (HTTP 401/403)                     */
	EWS_ERR_HTTP = 7,           /* an HTTP status EWS does not answer with (404, 502 ...)                */
	EWS_ERR_TIMEOUT = 8,        /* connect, send, receive or whole-message deadline passed               */
	EWS_ERR_XML = 9,            /* the message is not well-formed XML or not a valid EWS message         */
	EWS_ERR_FAULT = 10,         /* the server answered with a SOAP fault                                 */
	EWS_ERR_RESPONSE = 11,      /* a ResponseMessage has ResponseClass="Error" (see response_code)       */
	EWS_ERR_THROTTLED = 12,     /* ErrorServerBusy and the retry budget is spent                         */
	EWS_ERR_SYNC_STATE = 13,    /* ErrorInvalidSyncStateData: the saved SyncState is unusable; resync    */
	EWS_ERR_TOO_LARGE = 14,     /* a response exceeded the size or nesting cap                           */
	EWS_ERR_UNSUPPORTED = 15,   /* not possible with this server, schema or id format                    */
	EWS_ERR_FORMAT = 16,        /* malformed id, sync state file, export file ...                        */
	EWS_ERR_NOT_FOUND = 17,     /* a file, folder or item that was asked for does not exist              */
	EWS_ERR_CHANGED = 18,       /* the result set changed while paging (anchor check)                    */
	EWS_ERR_CANCELLED = 19,     /* the caller stopped the operation (callback returned non-zero)         */
	EWS_ERR_INTERNAL = 20,      /* a bug in libews: please report it                                     */
	EWS_ERR_OUTCOME_UNKNOWN = 21, /* a non-idempotent request (create, send, move ...) was sent whole, then
	                             * the connection closed before a whole answer: the server may or may not have
	                             * carried it out. Not resent (that could do it twice); look it up first. */
	EWS_ERR_SCHEMA_MISMATCH = 22, /* the program was compiled against the headers of another schema's build
	                             * than the libews it runs with (struct layouts differ): rebuild it */
	EWS_ERR_BUSY = 23,          /* a directory is in use by another run (two exports, backups or uploads of one
	                             * export directory at once would lose or duplicate data): try again later */
	EWS_ERR_FILE = 24,          /* a local file or directory could not be read or written (a full disk,
	                             * permissions, a missing directory ...; errno's text in the message). Earlier
	                             * 0.1 builds said EWS_ERR_IO, which now means the connection only: a program can
	                             * tell "try again" (the network) from "free some space" (the disk). */
	EWS_CODE_LAST               /* never returned; keeps the list open-ended */
} ews_code;

/* The outcome of a call. Returned by value; no memory to free. `message` is always NUL-terminated and never
 * contains credentials or tokens. `response_code` is the EWS ResponseCode name when one was involved
 * ("ErrorItemNotFound", "ErrorServerBusy"), else "". */
typedef struct ews_status {
	ews_code code;
	int http_status;            /* last HTTP status seen, 0 when no HTTP was involved */
	char response_code[64];
	char message[384];
} ews_status;

/* A short fixed English description of a code. Never NULL; static storage. */
const char *ews_strerror(ews_code code);

/* 1 when st.code == EWS_OK. */
static inline int ews_ok(ews_status st) { return st.code == EWS_OK; }

/* An EWS_OK status. */
ews_status ews_status_ok(void);

/* A status with `code` and a printf-style message (truncated to fit). */
ews_status ews_status_make(ews_code code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#ifdef __cplusplus
}
#endif
#endif
