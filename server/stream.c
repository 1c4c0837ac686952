/* stream.c — the streaming-response support main.c configures (stream.h): the slot count and the stop flag.
 * Kept out of main.c so that every module that streams links without the HTTP front end (fuzz harnesses). */
#include <pthread.h>

#include "ewsd.h"
#include "stream.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int streams_open, streams_max = 1;
static volatile sig_atomic_t *stop_flag;

void ewsd_stream_configure(int max_connections, volatile sig_atomic_t *stopping)
{
	streams_max = max_connections / 2 > 1 ? max_connections / 2 : 1;
	stop_flag = stopping;
}

int ewsd_stream_send(struct soap *soap, const char *s, size_t n)
{
	/* the connection's own send (main.c's filter, then gSOAP's socket or TLS write): no gzip, no chunking */
	return soap->fsend(soap, s, n);
}

int ewsd_stream_enter(void)
{
	pthread_mutex_lock(&lock);
	int ok = streams_open < streams_max;
	streams_open += ok;
	pthread_mutex_unlock(&lock);
	return ok ? 0 : -1;
}

void ewsd_stream_leave(void)
{
	pthread_mutex_lock(&lock);
	streams_open--;
	pthread_mutex_unlock(&lock);
}

int ewsd_stream_stopping(void) { return stop_flag && __atomic_load_n(stop_flag, __ATOMIC_RELAXED); }
