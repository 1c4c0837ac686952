/* ews_status.c — building and describing ews_status values. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ews/status.h"

const char *ews_strerror(ews_code code)
{
	/* A switch without default: -Wswitch flags a new code that is not described here. */
	switch (code) {
	case EWS_OK: return "success";
	case EWS_ERR_ARGUMENT: return "invalid argument";
	case EWS_ERR_NOMEM: return "out of memory";
	case EWS_ERR_IO: return "the connection failed while sending or receiving";
	case EWS_ERR_CONNECT: return "could not connect to the server";
	case EWS_ERR_TLS: return "TLS error";
	case EWS_ERR_AUTH: return "authentication failed";
	case EWS_ERR_HTTP: return "unexpected HTTP status";
	case EWS_ERR_TIMEOUT: return "timed out";
	case EWS_ERR_XML: return "malformed XML or invalid EWS message";
	case EWS_ERR_FAULT: return "SOAP fault";
	case EWS_ERR_RESPONSE: return "the server reported an error";
	case EWS_ERR_THROTTLED: return "the server is busy (throttled) and the retry budget is spent";
	case EWS_ERR_SYNC_STATE: return "the sync state is invalid; a full resync is needed";
	case EWS_ERR_TOO_LARGE: return "response too large or too deeply nested";
	case EWS_ERR_UNSUPPORTED: return "not supported";
	case EWS_ERR_FORMAT: return "malformed data";
	case EWS_ERR_NOT_FOUND: return "not found";
	case EWS_ERR_CHANGED: return "the result set changed while paging";
	case EWS_ERR_CANCELLED: return "cancelled";
	case EWS_ERR_INTERNAL: return "internal error";
	case EWS_ERR_OUTCOME_UNKNOWN: return "the request was sent but the connection closed before a whole answer; it may or may not have been carried out";
	case EWS_ERR_SCHEMA_MISMATCH: return "the program was built against another schema's libews headers";
	case EWS_ERR_BUSY: return "in use by another run";
	case EWS_ERR_FILE: return "a local file or directory could not be read or written";
	case EWS_CODE_LAST: break;
	}
	return "unknown error";
}

ews_status ews_status_ok(void)
{
	ews_status st;
	/* empty strings, not 450 zero bytes: an iterator returns this for every item (a pager's or a sync's next:
	 * the memset was 3% of a page's CPU once the parse got fast) */
	st.code = EWS_OK;
	st.http_status = 0;
	st.response_code[0] = '\0';
	st.message[0] = '\0';
	return st;
}

ews_status ews_status_make(ews_code code, const char *fmt, ...)
{
	ews_status st = ews_status_ok();
	va_list ap;

	st.code = code;
	va_start(ap, fmt);
	vsnprintf(st.message, sizeof st.message, fmt, ap);
	va_end(ap);
	return st;
}
