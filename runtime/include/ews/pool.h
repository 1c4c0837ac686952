/* ews/pool.h — clients for many mailboxes and threads: a bounded pool of ews_client created from one set of
 * options, each handed out to one thread at a time. */
#ifndef EWS_POOL_H
#define EWS_POOL_H

#include "ews/client.h"
#include "ews/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ews_pool ews_pool;

/* A pool of at most max_clients clients for `url` (NULL: opt->url) and `opt` (copied; NULL: defaults),
 * created on demand. *out: caller frees with ews_pool_free(). Thread-safe from here on. */
ews_status ews_pool_new(const char *url, const ews_options *opt, int max_clients, ews_pool **out);

/* Borrow a client that impersonates `mailbox` (SMTP address; NULL: the account itself), preferring one that
 * served the same mailbox last (its connection and server affinity are warm). Waits while all are in use, up to
 * wait_ms (< 0: without limit); EWS_ERR_TIMEOUT when none became free. The client is yours alone until
 * ews_pool_put(); do not free it. */
ews_status ews_pool_get(ews_pool *pool, const char *mailbox, long wait_ms, ews_client **out);

/* Give a borrowed client back (its last response is released). Accepts NULL. */
void ews_pool_put(ews_pool *pool, ews_client *c);

/* Log callback for the clients handed out from now on; it is called from several threads. */
void ews_pool_set_log(ews_pool *pool, ews_log_fn fn, void *arg);

/* Free the pool and its clients; every client must have been put back. Accepts NULL. */
void ews_pool_free(ews_pool *pool);

#ifdef __cplusplus
}
#endif
#endif
