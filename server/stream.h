/* stream.h — what the HTTP front end (main.c, via stream.c) offers an operation that answers with a long-lived chunked
 * response of its own (GetStreamingEvents, op_stream.c) instead of gSOAP's one-shot reply. */
#ifndef EWSD_STREAM_H
#define EWSD_STREAM_H

#include <signal.h>
#include <stddef.h>

struct soap;

/* main.c, once before serving: the connection limit (streams get half of it, at least one) and the flag set
 * when the server is stopping. Until then one stream at a time and never stopping (fuzz harnesses). */
void ewsd_stream_configure(int max_connections, volatile sig_atomic_t *stopping);

/* Writes bytes to the connection as they are (no gzip; the connection's send hooks, then the socket or TLS).
 * SOAP_OK or a gSOAP error (the peer is gone). */
int ewsd_stream_send(struct soap *soap, const char *s, size_t n);

/* A slot for one streaming response: at most half the connection limit (at least one) stream at once, so
 * streams never take every connection thread. 0: granted (release with ewsd_stream_leave), -1: none free. */
int ewsd_stream_enter(void);
void ewsd_stream_leave(void);

/* 1 once the server is shutting down (a stream ends with ConnectionStatus Closed). */
int ewsd_stream_stopping(void);

#endif
