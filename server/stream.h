/* stream.h — what main.c (the HTTP front end) offers an operation that answers with a long-lived chunked
 * response of its own (GetStreamingEvents, op_stream.c) instead of gSOAP's one-shot reply. */
#ifndef EWSD_STREAM_H
#define EWSD_STREAM_H

#include <stddef.h>

struct soap;

/* Writes bytes to the connection as they are (no gzip, no output filters); marks the request answered with
 * HTTP 200 for the log. SOAP_OK or a gSOAP error (the peer is gone). */
int ewsd_stream_send(struct soap *soap, const char *s, size_t n);

/* A slot for one streaming response: at most half the connection limit (at least one) stream at once, so
 * streams never take every connection thread. 0: granted (release with ewsd_stream_leave), -1: none free. */
int ewsd_stream_enter(void);
void ewsd_stream_leave(void);

/* 1 once the server is shutting down (a stream ends with ConnectionStatus Closed). */
int ewsd_stream_stopping(void);

#endif
