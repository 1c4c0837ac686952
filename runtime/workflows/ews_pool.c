/* ews_pool.c — a bounded, thread-safe pool of clients sharing one set of options (see ews/pool.h). */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ews/pool.h"
#include "ews_internal.h"

struct slot {
	ews_client *client;     /* NULL until first needed */
	char *mailbox;          /* whom it impersonated last (NULL: nobody) */
	int in_use;
};

struct ews_pool {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	char *url;
	ews_options opt;        /* strings below are owned copies */
	char **strings;
	int nstrings;
	ews_log_fn log_fn;
	void *log_arg;
	int max;
	struct slot *slots;
};

/* Owned copies of every string field of the options, so the caller's may go away. */
static int copy_options(ews_pool *p, const ews_options *o)
{
	const char **fields[] = {
		&p->opt.url, &p->opt.user, &p->opt.password, &p->opt.domain, &p->opt.token, &p->opt.oauth2_token_url,
		&p->opt.oauth2_client_id, &p->opt.oauth2_client_secret, &p->opt.oauth2_scope, &p->opt.server_version,
		&p->opt.impersonate, &p->opt.culture, &p->opt.timezone, &p->opt.ca_file, &p->opt.ca_dir, &p->opt.proxy,
		&p->opt.proxy_user, &p->opt.proxy_password,
	};
	size_t n = sizeof fields / sizeof fields[0];

	if (o)
		p->opt = *o;
	else
		ews_options_init(&p->opt);
	if (!(p->strings = calloc(n, sizeof *p->strings)))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!*fields[i])
			continue;
		if (!(p->strings[p->nstrings] = strdup(*fields[i])))
			return -1;
		*fields[i] = p->strings[p->nstrings++];
	}
	return 0;
}

void ews_pool_free(ews_pool *p)
{
	if (!p)
		return;
	for (int i = 0; p->slots && i < p->max; i++) {
		ews_client_free(p->slots[i].client);
		free(p->slots[i].mailbox);
	}
	free(p->slots);
	for (int i = 0; i < p->nstrings; i++)
		ews_free_secret(p->strings[i]); /* passwords and secrets among them */
	free(p->strings);
	free(p->url);
	pthread_cond_destroy(&p->freed);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

ews_status ews_pool_new(const char *url, const ews_options *opt, int max_clients, ews_pool **out)
{
	ews_pool *p;
	ews_client *probe = NULL;
	ews_status st;

	if (!out || max_clients < 1 || max_clients > 4096)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_pool_new: 1 to 4096 clients");
	*out = NULL;
	if (!(p = calloc(1, sizeof *p)))
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->freed, NULL);
	p->max = max_clients;
	if (copy_options(p, opt) || !(p->slots = calloc((size_t)max_clients, sizeof *p->slots)) ||
	    ((url || p->opt.url) && !(p->url = strdup(url ? url : p->opt.url)))) {
		ews_pool_free(p);
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	}
	/* the first client checks the options now rather than at the first ews_pool_get */
	st = ews_client_new(p->url, &p->opt, &probe);
	if (!ews_ok(st)) {
		ews_pool_free(p);
		return st;
	}
	p->slots[0].client = probe;
	*out = p;
	return st;
}

static int same_mailbox(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcasecmp(a, b));
}

/* A free slot: one that served `mailbox`, else any created one, else an empty one; -1 when all are in use. */
static int pick_slot(ews_pool *p, const char *mailbox)
{
	int any = -1, empty = -1;
	for (int i = 0; i < p->max; i++) {
		struct slot *s = &p->slots[i];
		if (s->in_use)
			continue;
		if (s->client && same_mailbox(s->mailbox, mailbox))
			return i;
		if (s->client && any < 0)
			any = i;
		if (!s->client && empty < 0)
			empty = i;
	}
	return any >= 0 ? any : empty;
}

ews_status ews_pool_get(ews_pool *p, const char *mailbox, long wait_ms, ews_client **out)
{
	struct timespec until;
	struct slot *s;
	ews_status st = ews_status_ok();
	ews_log_fn log_fn;
	void *log_arg;
	int i;

	if (!p || !out)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_pool_get: NULL argument");
	*out = NULL;
	clock_gettime(CLOCK_REALTIME, &until);
	if (wait_ms > 0) {
		until.tv_sec += wait_ms / 1000;
		until.tv_nsec += (wait_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
	}
	pthread_mutex_lock(&p->lock);
	while ((i = pick_slot(p, mailbox)) < 0) {
		int rc = wait_ms < 0 ? pthread_cond_wait(&p->freed, &p->lock)
		                     : pthread_cond_timedwait(&p->freed, &p->lock, &until);
		if (rc == ETIMEDOUT) {
			pthread_mutex_unlock(&p->lock);
			return ews_status_make(EWS_ERR_TIMEOUT, "all %d clients of the pool are in use", p->max);
		}
	}
	s = &p->slots[i];
	s->in_use = 1;
	log_fn = p->log_fn;
	log_arg = p->log_arg;
	pthread_mutex_unlock(&p->lock);

	/* the slot is ours alone now: set it up outside the lock */
	if (!s->client)
		st = ews_client_new(p->url, &p->opt, &s->client);
	if (ews_ok(st))
		ews_client_set_log(s->client, log_fn, log_arg);
	if (ews_ok(st) && !same_mailbox(s->mailbox, mailbox)) {
		st = ews_client_set_impersonation(s->client, EWS_IMPERSONATE_SMTP, mailbox ? mailbox : p->opt.impersonate);
		if (ews_ok(st) && ews_strdup_into(&s->mailbox, mailbox))
			st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
	}
	if (!ews_ok(st)) {
		pthread_mutex_lock(&p->lock);
		s->in_use = 0;
		pthread_cond_signal(&p->freed);
		pthread_mutex_unlock(&p->lock);
		return st;
	}
	*out = s->client;
	return st;
}

void ews_pool_put(ews_pool *p, ews_client *c)
{
	if (!p || !c)
		return;
	ews_client_release(c);
	pthread_mutex_lock(&p->lock);
	for (int i = 0; i < p->max; i++)
		if (p->slots[i].client == c) {
			p->slots[i].in_use = 0;
			break;
		}
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->lock);
}

void ews_pool_set_log(ews_pool *p, ews_log_fn fn, void *arg)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->log_fn = fn; /* applied to each client as it is handed out */
	p->log_arg = arg;
	pthread_mutex_unlock(&p->lock);
}
