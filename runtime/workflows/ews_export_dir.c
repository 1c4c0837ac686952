/* ews_export_dir.c — ews_export_to_dir: a folder (or ids) into a directory with its manifest; resumes, exports
 * changed items again, records deleted ones, counts everything (ews/export.h). */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ews/export.h"
#include "ews/pager.h"
#include "ews_internal.h"
#include "ews_manifest_internal.h"
#include "ews_workflow.h"

struct todo {
	ews_item_ref *ref;                  /* id (malloc'd, or the caller's when borrowed), no change key       */
	unsigned char *changed;
	long long *size;                    /* the item's size as the server said it (item:Size), -1 unknown   */
	char (*fp)[EWS_FINGERPRINT_LEN + 1]; /* its fingerprint (ews_item_fingerprint), "" unknown              */
	size_t *start;                      /* where each batch starts (plan_batches), nb + 1 of them           */
	size_t nb;
	size_t n, cap;
	int borrowed;                       /* ids are the caller's (o.ids, alive for the call): not copied      */
	long base;                          /* items are taken and exported a chunk at a time: the items to
	                                       export of the chunks before this one                           */
	long unlisted;                      /* the items not looked up yet (a folder's TotalItemsInView minus the
	                                       items listed; the caller's ids not reached): counted in the
	                                       progress total, and not attempted when the run stops first       */
};

/* The change key is never sent with the export (the current version is what we want): only the id is kept. */
static int todo_add(struct todo *t, const char *id, int changed, long long size, const char *fp)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		ews_item_ref *r = realloc(t->ref, cap * sizeof *r);
		unsigned char *c = r ? realloc(t->changed, cap) : NULL;
		long long *z = c ? realloc(t->size, cap * sizeof *z) : NULL;
		char (*f)[EWS_FINGERPRINT_LEN + 1] = z ? realloc(t->fp, cap * sizeof *f) : NULL;
		if (r)
			t->ref = r;
		if (c)
			t->changed = c;
		if (z)
			t->size = z;
		if (!f)
			return -1;
		t->fp = f;
		t->cap = cap;
	}
	t->ref[t->n].id = t->borrowed ? id : strdup(id);
	t->ref[t->n].change_key = NULL;
	if (!t->ref[t->n].id)
		return -1;
	t->size[t->n] = size;
	/* (a caller's value that is not a fingerprint is taken for none, not refused later by the record) */
	snprintf(t->fp[t->n], sizeof t->fp[t->n], "%s", fp && ews_manifest_is_fingerprint(fp) ? fp : "");
	t->changed[t->n++] = (unsigned char)changed;
	return 0;
}

/* t's batches (t->start, t->nb): batch_size items each, or with batch_bytes fewer, ending before the items' sizes
 * would pass it (at least one item a batch). An item of unknown size counts as an even share of the budget
 * (batch_bytes / batch_size): a chunk of them is cut as by count. -1 when out of memory. */
static int plan_batches(struct todo *t, const ews_export_dir_options *o)
{
	const size_t bs = (size_t)o->batch_size;
	const long long budget = o->batch_bytes > LLONG_MAX ? LLONG_MAX : (long long)o->batch_bytes;
	const long long share = budget / o->batch_size;
	size_t *start = realloc(t->start, (t->n + 1) * sizeof *start);
	if (!start)
		return -1;
	t->start = start;
	t->nb = 0;
	for (size_t i = 0; i < t->n;) {
		size_t k = 0;
		long long sum = 0;
		start[t->nb++] = i;
		for (; i < t->n && k < bs; i++, k++) {
			long long z = t->size[i] >= 0 ? t->size[i] : share;
			if (budget > 0 && k && sum + z > budget)
				break;
			sum += z;
		}
	}
	start[t->nb] = t->n;
	return 0;
}

/* The next chunk: the ids freed, the arrays kept. */
static void todo_clear(struct todo *t)
{
	for (size_t i = 0; !t->borrowed && i < t->n; i++)
		free((char *)t->ref[i].id);
	t->base += (long)t->n;
	t->n = 0;
}

static void todo_free(struct todo *t)
{
	todo_clear(t);
	free(t->ref);
	free(t->changed);
	free(t->size);
	free(t->fp);
	free(t->start);
}

/* Decide for one listed item: skip (same change key), export (new, changed, or flagged deleted before). */
static int consider(ews_manifest *m, struct todo *t, ews_transfer_summary *s, const char *id, const char *ck,
                    long long size, const char *fp, int compare, int force)
{
	const ews_manifest_entry *e = ews_manifest_find_seen(m, id);
	s->total++;
	if (e && !e->deleted && !force && (!compare || !ck || !strcmp(e->change_key, ck))) {
		s->skipped++;
		return 0;
	}
	/* an item exported again without a fingerprint (a read flag's change) keeps the one its entry has */
	return todo_add(t, id, e && !e->deleted, size, fp && *fp ? fp : e ? e->fingerprint : NULL);
}

/* A folder is listed and exported a chunk at a time (at most CHUNK items to export, each listed one looked up in
 * the manifest first), so that memory holds a chunk's ids, not the folder's; the caller's ids are looked up a
 * chunk at a time as well (their refs and flags: 17 bytes an id, not the whole list's). */
#define CHUNK 1000
/* Items a listing's FindItem asks for. The last page of a chunk is held while the chunk is exported (the pager
 * frees a page when it asks for the next): 500 items with their sizes and fingerprints' fields made ews-export-items'
 * peak 2.25x a batch over start (code mapped in, 256 items a batch), 250 1.9x, with the same CPU. */
#define LIST_PAGE 250
static size_t chunk = CHUNK;

void ews_export_dir_set_chunk(size_t n) { chunk = n ? n : CHUNK; }

struct listing {
	ews_pager *p;
	int fingerprints;                   /* the listing asks for the fingerprints' fields (listing_props)      */
	long in_view;                       /* the folder's TotalItemsInView, as the last page said             */
	int done;                           /* every item listed                                                */
};

static int listing_progress(void *arg, long done, long total)
{
	((struct listing *)arg)->in_view = total;
	return 0;
}

/* What a listing asks for beside the ids: each item's size when batches go by size, its fingerprint's fields
 * unless told not to (props: room for both and the NULL). */
static void listing_props(const ews_export_dir_options *o, const char *props[8])
{
	size_t n = 0;
	if (o->batch_bytes)
		props[n++] = "item:Size";
	for (size_t i = 0; !o->no_fingerprints && ews_fingerprint_fields[i] && n < 7; i++)
		props[n++] = ews_fingerprint_fields[i];
	props[n] = NULL;
}

/* The folder's next chunk into t (empty: the listing is done). */
static ews_status list_chunk(struct listing *l, ews_manifest *m, struct todo *t, ews_transfer_summary *s)
{
	ews_item_view it;
	ews_status st = ews_status_ok();
	char fp[EWS_FINGERPRINT_LEN + 1];
	while (t->n < chunk && ews_ok(st = ews_pager_next(l->p, &it))) {
		if (!it.id) {
			l->done = 1;
			break;
		}
		if (!l->fingerprints || !ews_item_fingerprint(&it, fp))
			fp[0] = '\0';
		if (consider(m, t, s, it.id, it.change_key, it.size, fp, 1, 0))
			st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
	}
	t->unlisted = l->done || l->in_view < s->total ? 0 : l->in_view - s->total;
	return st;
}

/* The caller's ids, the same way: the next chunk of them into t (its ids borrowed), *considered counting how
 * many have been looked up. */
static ews_status ids_chunk(const ews_export_dir_options *o, ews_manifest *m, struct todo *t,
                            ews_transfer_summary *s, size_t *considered)
{
	for (; t->n < chunk && *considered < o->n_ids; ++*considered) {
		size_t i = *considered;
		const char *ck = o->change_keys ? o->change_keys[i] : NULL;   /* compared when given, else force rules */
		if (consider(m, t, s, o->ids[i], ck, o->sizes ? o->sizes[i] : -1,
		             o->fingerprints ? o->fingerprints[i] : NULL, ck != NULL, o->force && !ck))
			return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	}
	t->unlisted = (long)(o->n_ids - *considered);
	return ews_status_ok();
}

/* With ids and no fingerprints given (ews-export-items ID...): the chunk's items' fingerprints, asked of the server,
 * so that a directory exported by ids records them as a folder's export does. Without them an upload of it
 * interrupted against Exchange could not find its copies; a failure to get them is said through the client's log
 * and the export goes on (it fails there too, or goes without them). */
static ews_status ask_fingerprints(ews_client *c, const ews_export_dir_options *o, struct todo *t)
{
	if (!o->n_ids || o->fingerprints || o->no_fingerprints || !t->n)
		return ews_status_ok();
	const char **ids = malloc(t->n * sizeof *ids);
	if (!ids)
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < t->n; i++)
		ids[i] = t->ref[i].id;
	ews_status st = ews_fingerprints_ask(c, ids, t->n, t->fp);
	free(ids);
	if (!ews_ok(st) && st.code != EWS_ERR_NOMEM) {
		ews_log(c, EWS_LOG_WARNING, "the items' fingerprints could not be asked for (%s): the manifest records none "
		        "for some", st.message);
		st = ews_status_ok();
	}
	return st;
}

/* Entries whose items the folder no longer has: recorded "deleted" (one durable append per 512), the file kept or
 * removed. Only after a complete listing. */
#define GONE_BATCH 512
static ews_status record_gone(ews_manifest *m, const ews_export_dir_options *o, ews_transfer_summary *s,
                              ews_manifest_entry *gone, size_t k)
{
	if (o->deleted == EWS_EXPORT_DELETED_PRUNE && !ews_manifest_packed(m)) {
		/* files go first: a crash before the lines leaves entries whose files are missing, redone as deleted */
		for (size_t i = 0; i < k; i++) {
			char *path = malloc(strlen(ews_manifest_dir(m)) + strlen(gone[i].file) + 2);
			if (path) {
				sprintf(path, "%s/%s", ews_manifest_dir(m), gone[i].file);
				unlink(path);
				free(path);
			}
		}
	}
	ews_status st = ews_manifest_record(m, gone, k);
	for (size_t i = 0; ews_ok(st) && i < k; i++) {
		s->deleted++;
		if (o->on_item)
			o->on_item(o->arg, &(ews_item_event){ .kind = EWS_ITEM_DELETED, .file = gone[i].file, .id = gone[i].id,
			                                      .bytes = gone[i].bytes });
	}
	return st;
}

static void gone_free(ews_manifest_entry *gone, size_t k)
{
	for (size_t i = 0; i < k; i++) {
		free((char *)gone[i].file);
		free((char *)gone[i].id);
		free((char *)gone[i].change_key);
		free((char *)gone[i].fingerprint);
	}
}

static ews_status record_deleted(ews_manifest *m, const ews_export_dir_options *o, ews_transfer_summary *s)
{
	size_t n = ews_manifest_count(m), k = 0;
	ews_manifest_entry gone[GONE_BATCH];
	ews_status st = ews_status_ok();
	for (size_t i = 0; ews_ok(st) && i < n; i++) {
		if (ews_manifest_deleted_at(m, i) || ews_manifest_seen(m, i))
			continue;
		/* the entry is read back into the manifest's buffer: copied before the next call on m */
		const ews_manifest_entry *e = ews_manifest_entry_at(m, i);
		if (!e) {
			st = ews_manifest_error(m);
			break;
		}
		/* (packed and pruned: the data is no longer referred to, and goes with the next repack) */
		gone[k++] = (ews_manifest_entry){ strdup(e->file), strdup(e->id), strdup(e->change_key), e->bytes, 1,
		                                  o->deleted == EWS_EXPORT_DELETED_PRUNE ? -1 : e->offset,
		                                  strdup(e->fingerprint) };
		if (!gone[k - 1].file || !gone[k - 1].id || !gone[k - 1].change_key || !gone[k - 1].fingerprint)
			st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
		else if (k == GONE_BATCH) {
			st = record_gone(m, o, s, gone, k);
			gone_free(gone, k);
			k = 0;
		}
	}
	if (ews_ok(st) && k)
		st = record_gone(m, o, s, gone, k);
	gone_free(gone, k);
	return st;
}

/* Fetching ahead (fetch_client): batch j is asked for on connection j % 2 (c, fetch_client), from slot j % 3, as
 * soon as that connection is free: batch j + 1 while j is written, batch j + 2 once j is. So the server always has
 * the next batch to prepare while the client writes one. An answer asked for ahead is read only when its turn comes
 * (slot_wait, the batch before it written): until then it waits in the socket's buffers, so the client holds one
 * decoded batch at a time (a batch decoded is ~1.3 of its XML: the gzip body, the inflated XML, the reader's
 * structs), in the memory of the connection it came on. Without a fetch_client, every batch is fetched on c into
 * slot 0 and written from c's memory, one after the other. */
#define SLOTS 3
enum { SLOT_EMPTY, SLOT_IN_FLIGHT, SLOT_READY };
struct slot {
	ews_client *c;                      /* the connection it was fetched on, holding the answer             */
	int state;
	const ews_item_ref *items;
	size_t k;
	ews_export_fetched f;
	pthread_t th;
	pthread_mutex_t mu;                 /* turn: the answer may be read now (slot_gate)                     */
	pthread_cond_t cv;
	int turn;
};

/* The fetching thread's gate (ews_client_set_read_gate): the request is out, its answer is read once the writer
 * wants it, or after GATE_MAX_WAIT_S at the latest (a slow disk then costs a batch of memory, not the answer: a
 * server may drop a connection that reads nothing for long). */
#define GATE_MAX_WAIT_S 5
static void slot_gate(void *arg)
{
	struct slot *sl = arg;
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += GATE_MAX_WAIT_S;
	pthread_mutex_lock(&sl->mu);
	while (!sl->turn && pthread_cond_timedwait(&sl->cv, &sl->mu, &until) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&sl->mu);
}

static void *fetch_thread(void *arg)
{
	struct slot *sl = arg;
	ews_read_gate_fn had = sl->c->read_gate;   /* (the caller's own, put back after) */
	void *had_arg = sl->c->read_gate_arg;
	ews_client_set_read_gate(sl->c, slot_gate, sl);
	ews_export_batch_fetch(sl->c, sl->items, sl->k, &sl->f);
	ews_client_set_read_gate(sl->c, had, had_arg);
	return NULL;
}

/* Batch j of t, fetched on c into sl: on a thread of its own when `threaded` (its answer read at slot_wait), else
 * here. */
static void slot_start(struct slot *sl, ews_client *c, const struct todo *t, size_t j, int threaded)
{
	sl->c = c;
	sl->items = t->ref + t->start[j];
	sl->k = t->start[j + 1] - t->start[j];
	sl->state = SLOT_IN_FLIGHT;
	sl->turn = 0;
	if (!threaded || pthread_create(&sl->th, NULL, fetch_thread, sl)) { /* no thread: fetched in turn */
		ews_export_batch_fetch(sl->c, sl->items, sl->k, &sl->f);
		sl->state = SLOT_READY;
	}
}

/* The slot's answer, read now (its turn) and decoded. */
static void slot_wait(struct slot *sl)
{
	if (sl->state == SLOT_IN_FLIGHT) {
		pthread_mutex_lock(&sl->mu);
		sl->turn = 1;
		pthread_cond_signal(&sl->cv);
		pthread_mutex_unlock(&sl->mu);
		pthread_join(sl->th, NULL);
		sl->state = SLOT_READY;
	}
}

/* A batch fetched but not written (the run stopped): dropped unwritten. */
static void slot_drop(struct slot *sl)
{
	slot_wait(sl);
	if (sl->state == SLOT_READY && (ews_ok(sl->f.st) || sl->f.st.code == EWS_ERR_RESPONSE))
		ews_export_batch_discard(sl->c, NULL);
	sl->state = SLOT_EMPTY;
}

/* A written batch on its way into the manifest. Making its files durable and appending its lines (one syncfs,
 * one fdatasync: ews_manifest_record) waits for the disk, ~3 ms a batch here, as long as writing the next batch
 * takes: so the record runs on a thread of its own while the next batch is written, and the batch is counted and
 * reported (on_item, progress) once its record is done. Nothing else touches the manifest meanwhile; one record
 * is in flight at a time, in batch order, so a line is still never durable before its file. */
struct batch {
	char **paths;                       /* the items' files (packed: only their names are used)             */
	long long *offs;                    /* packed: where each item's data went in the pack                 */
	ews_export_outcome *r;
	ews_manifest_entry *ents;
	size_t k, next, ne;
	ews_status bst;                     /* writing it (ews_export_files_deliver)                            */
	ews_status rs;                      /* recording it                                                      */
	ews_manifest *m;
	int recording;                      /* rs is being made on the recorder's thread (under its mutex)      */
};

/* The one thread that records the batches, started at the first record and kept for the run (a thread per
 * batch cost a clone, a stack and its release each time). */
struct recorder {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch *job;                  /* the batch to record, NULL when idle                              */
	int started, failed, quit;
	pthread_t th;
};

static void *record_thread(void *arg)
{
	struct recorder *rc = arg;
	pthread_mutex_lock(&rc->mu);
	for (;;) {
		while (!rc->job && !rc->quit)
			pthread_cond_wait(&rc->cv, &rc->mu);
		struct batch *b = rc->job;
		if (!b)
			break;
		pthread_mutex_unlock(&rc->mu);
		ews_status rs = ews_manifest_record(b->m, b->ents, b->ne);
		pthread_mutex_lock(&rc->mu);
		b->rs = rs;
		b->recording = 0;
		rc->job = NULL;
		pthread_cond_broadcast(&rc->cv);
	}
	pthread_mutex_unlock(&rc->mu);
	return NULL;
}

static void recorder_stop(struct recorder *rc)
{
	if (!rc->started)
		return;
	pthread_mutex_lock(&rc->mu);
	rc->quit = 1;
	pthread_cond_broadcast(&rc->cv);
	pthread_mutex_unlock(&rc->mu);
	pthread_join(rc->th, NULL);
	rc->started = 0;
}

/* The batch's written items into the manifest: on the recorder's thread when it runs, else here. */
static void record_start(struct recorder *rc, struct batch *b, ews_manifest *m, const struct todo *t, int packed)
{
	b->ne = 0;
	for (size_t i = 0; i < b->k; i++)
		if (!b->r[i].fail)
			b->ents[b->ne++] = (ews_manifest_entry){ strrchr(b->paths[i], '/') + 1, t->ref[b->next + i].id,
			                                         b->r[i].change_key, b->r[i].bytes, 0,
			                                         packed ? b->offs[i] : -1, t->fp[b->next + i] };
	b->m = m;
	b->rs = ews_status_ok();
	if (!b->ne)
		return;
	if (!rc->started && !rc->failed) {
		rc->failed = pthread_create(&rc->th, NULL, record_thread, rc) != 0;
		rc->started = !rc->failed;
	}
	if (!rc->started) {
		b->rs = ews_manifest_record(m, b->ents, b->ne);
		return;
	}
	pthread_mutex_lock(&rc->mu);
	b->recording = 1;
	rc->job = b; /* (idle: the batch before was waited for first) */
	pthread_cond_broadcast(&rc->cv);
	pthread_mutex_unlock(&rc->mu);
}

static void record_wait(struct recorder *rc, struct batch *b)
{
	if (!rc->started)
		return;
	pthread_mutex_lock(&rc->mu);
	while (b->recording)
		pthread_cond_wait(&rc->cv, &rc->mu);
	pthread_mutex_unlock(&rc->mu);
}

/* What an item's failure says of the run: the request as a whole failed (not sent, the connection, the server
 * as such), or a local write did (full disk, file size limit ...: the next items would fail too). */
static void failure_kind(ews_status st, int *whole, int *disk)
{
	if (st.code == EWS_ERR_CANCELLED) {
		*whole = 1;
	} else if (!ews_ok(st)) {
		*disk |= st.code == EWS_ERR_FILE;
		/* (an item over the response cap fails alone: ews_export_split_deliver) */
		*whole |= st.code != EWS_ERR_RESPONSE && st.code != EWS_ERR_FILE && st.code != EWS_ERR_XML &&
		          st.code != EWS_ERR_TOO_LARGE;
	}
}

/* Whether what writing the batch met stops the run (a whole-request failure, a local disk error) before its
 * record is known (account() says the same, and what the record met on top). */
static int batch_stops(const struct batch *b)
{
	int whole = 0, disk = 0;
	for (size_t i = 0; i < b->k; i++)
		failure_kind(ews_outcome_status(&b->r[i]), &whole, &disk);
	return (whole && !ews_ok(b->bst)) || disk;
}

/* A recorded batch counted into *s and reported; returns what stops the run (OK: go on). */
static ews_status account(struct batch *b, ews_manifest *m, const struct todo *t, const ews_export_dir_options *o,
                          int packed, ews_transfer_summary *s, ews_status *first)
{
	ews_status st = ews_status_ok(), rs = b->rs;
	int whole = 0, disk = !ews_ok(rs);
	for (size_t i = 0; i < b->k; i++) {
		const ews_export_outcome *ri = &b->r[i];
		const char *id = t->ref[b->next + i].id;
		if (ri->fail && ri->fail->code == EWS_ERR_CANCELLED) {
			whole = 1;
			continue;
		}
		s->attempted++;
		const char *file = strrchr(b->paths[i], '/') + 1;
		ews_status is = ews_outcome_status(ri);
		if (ews_ok(is) && !ews_ok(rs)) {
			is = rs; /* written, but not recorded: exported again by the rerun */
			if (!packed && !ews_manifest_find(m, id))
				unlink(b->paths[i]); /* new, and nothing records it: not left taking a full disk's room */
		}
		if (ews_ok(is)) {
			s->done++;
			s->changed += t->changed[b->next + i];
			if (o->on_item)
				o->on_item(o->arg, &(ews_item_event){ .kind = EWS_ITEM_EXPORTED, .file = file, .id = id,
				                                       .bytes = ri->bytes, .changed = t->changed[b->next + i] });
		} else {
			s->failed++;
			failure_kind(is, &whole, &disk);
			if (ews_ok(*first))
				*first = is;
			if (o->on_item)
				o->on_item(o->arg, &(ews_item_event){ .kind = EWS_ITEM_FAILED, .file = file, .id = id,
				                                       .status = is });
		}
	}
	if (whole && !ews_ok(b->bst))
		st = b->bst;
	else if (disk)
		st = ews_ok(rs) ? *first : rs;
	if (o->progress && o->progress(o->arg, t->base + (long)(b->next + b->k), t->base + (long)t->n + t->unlisted))
		s->interrupted = 1;
	return st;
}

/* What one call keeps across the chunks it exports. */
struct run {
	ews_client *c;
	const char *dir;
	const ews_export_dir_options *o;
	ews_manifest *m;
	int packed;
	ews_transfer_summary *s;
	ews_status first;                   /* the first item's failure                                         */
	struct todo t;
	/* the directory kept for every batch; two batches' paths, results and entries (one being recorded while
	 * the next is written), kept too */
	ews_wf_dir wd;
	struct batch bt[2];
	struct slot sl[SLOTS];
	int ahead;                          /* fetching ahead on o->fetch_client (until it fails)               */
	struct recorder rc;
	int created, ready;                 /* dir made by this call; made and locked                          */
};

static ews_status run_init(struct run *r)
{
	const ews_export_dir_options *o = r->o;
	r->first = ews_status_ok();
	r->ahead = o->fetch_client != NULL;
	for (int h = 0; h < 2; h++) {
		struct batch *b = &r->bt[h];
		b->paths = calloc((size_t)o->batch_size, sizeof *b->paths);
		b->ents = calloc((size_t)o->batch_size, sizeof *b->ents);
		b->r = calloc((size_t)o->batch_size, sizeof *b->r);
		b->offs = calloc((size_t)o->batch_size, sizeof *b->offs);
		for (int k = 0; b->paths && k < o->batch_size; k++)
			if (!(b->paths[k] = malloc(strlen(r->dir) + 32)))
				break;
		if (!b->paths || !b->ents || !b->r || !b->offs || !b->paths[o->batch_size - 1])
			return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	}
	return ews_status_ok();
}

static void run_free(struct run *r)
{
	recorder_stop(&r->rc);
	for (int i = 0; i < SLOTS; i++) {
		pthread_mutex_destroy(&r->sl[i].mu);
		pthread_cond_destroy(&r->sl[i].cv);
	}
	for (int h = 0; h < 2; h++) {
		struct batch *b = &r->bt[h];
		for (int k = 0; b->paths && k < r->o->batch_size; k++)
			free(b->paths[k]);
		free(b->paths);
		free(b->ents);
		free(b->offs);
		for (int k = 0; b->r && k < r->o->batch_size; k++)
			ews_outcome_clear(&b->r[k]);
		free(b->r);
	}
	ews_wf_dir_close(&r->wd);
	todo_free(&r->t);
}

/* Fetching ahead: batch j + d asked for (its answer read at its turn), if it is not yet. d = 1 while batch j is
 * written (on the other connection), d = 2 once it is (on the connection batch j came on, free again). */
static void fetch_ahead(struct run *r, size_t j, size_t d)
{
	const ews_export_dir_options *o = r->o;
	if (r->ahead && j + d < r->t.nb && !(o->stop && *o->stop) && r->sl[(j + d) % SLOTS].state == SLOT_EMPTY)
		slot_start(&r->sl[(j + d) % SLOTS], (j + d) % 2 ? o->fetch_client : r->c, &r->t, j + d, 1);
}

/* The items of r->t, in batches: each written while the next is fetched (fetching ahead) and the one before is
 * recorded; every batch written is recorded and counted before this returns. Returns what stops the run. */
static ews_status export_todo(struct run *r)
{
	const ews_export_dir_options *o = r->o;
	struct todo *t = &r->t;
	ews_client *c = r->c;
	struct slot *sl = r->sl;
	ews_status st = ews_status_ok();
	if (!t->n)
		return st;
	if (!r->ready) {
		if (!mkdir(r->dir, 0700))
			r->created = 1;
		else if (errno != EEXIST)
			return ews_status_make(EWS_ERR_FILE, "cannot create %.200s: %s", r->dir, strerror(errno));
		st = ews_manifest_lock(r->m); /* made just now: locked before a file goes in */
		if (!ews_ok(st))
			return st;
		r->ready = 1;
	}
	if (plan_batches(t, o))
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	const size_t nb = t->nb;
	struct batch *pending = NULL;   /* written, its record in flight */
	for (size_t j = 0; ews_ok(st) && j < nb; j++) {
		const size_t next = t->start[j];   /* the batch's first item */
		if (o->stop && *o->stop) {
			r->s->interrupted = 1;
			break;
		}
		/* (after a fallback to c alone, the slots still take turns) */
		struct slot *cur = &sl[o->fetch_client ? j % SLOTS : 0];
		if (cur->state == SLOT_EMPTY)
			slot_start(cur, r->ahead && j % 2 ? o->fetch_client : c, t, j, 0);
		slot_wait(cur);
		if (r->ahead && cur->c == o->fetch_client && !ews_ok(cur->f.st) && cur->f.st.code != EWS_ERR_RESPONSE) {
			/* the second connection failed (refused, cut, timed out ...): the batch after it (asked for on c) is
			 * dropped, this one is fetched again on c, and the run goes on with c alone */
			ews_log(c, EWS_LOG_WARNING, "ExportItems on the second connection failed (%s): going on with "
			        "one connection", cur->f.st.message);
			r->ahead = 0;
			if (j + 1 < nb)
				slot_drop(&sl[(j + 1) % SLOTS]);
			slot_start(cur, c, t, j, 0);
		}
		/* an answer over the client's response cap: fetched again in halves on the connection it came on */
		int split = cur->f.st.code == EWS_ERR_TOO_LARGE;
		fetch_ahead(r, j, 1);
		struct batch *b = &r->bt[j % 2];   /* (the other one may be being recorded) */
		size_t k = cur->k;
		char name[32];
		for (size_t i = 0; i < k; i++) {
			ews_manifest_file_name(t->ref[next + i].id, name);
			sprintf(b->paths[i], "%s/%s", r->dir, name);
		}
		/* the batch's data (files not synced one by one, or the pack), then one sync and one manifest append */
		for (size_t i = 0; i < k; i++)
			ews_outcome_clear(&b->r[i]);
		b->k = k;
		b->next = next;
		if (split)
			b->bst = ews_export_split_deliver(cur->c, t->ref + next, k, r->packed ? r->m : NULL, &r->wd,
			                                  (const char *const *)b->paths, b->r, b->offs);
		else
			b->bst = r->packed ? ews_export_pack_deliver(cur->c, NULL, &cur->f, r->m, k, b->r, b->offs)
			                   : ews_export_files_deliver(cur->c, NULL, &cur->f, &r->wd, (const char *const *)b->paths,
			                                              k, b->r);
		cur->state = SLOT_EMPTY;
		fetch_ahead(r, j, 2);
		if (pending) {   /* the batch before, recorded meanwhile */
			record_wait(&r->rc, pending);
			st = account(pending, r->m, t, o, r->packed, r->s, &r->first);
		}
		record_start(&r->rc, b, r->m, t, r->packed);
		pending = b;
		if (!ews_ok(st) || r->s->interrupted || batch_stops(b))
			break;   /* (this batch is written: recorded and counted below all the same) */
	}
	if (pending) {
		record_wait(&r->rc, pending);
		ews_status ps = account(pending, r->m, t, o, r->packed, r->s, &r->first);
		if (ews_ok(st))
			st = ps;
	}
	for (int i = 0; i < SLOTS; i++) /* fetched when the run stopped */
		slot_drop(&sl[i]);
	return st;
}

ews_status ews_export_to_dir(ews_client *c, const char *dir, const ews_export_dir_options *opt,
                             ews_transfer_summary *s)
{
	ews_export_dir_options o = { 0 };
	ews_transfer_summary dummy;
	char *folder = NULL;
	ews_manifest *m = NULL;
	if (!s)
		s = &dummy;
	memset(s, 0, sizeof *s);
	if (opt)
		o = *opt;
	if (!c || !dir || !*dir || (o.n_ids && !o.ids))
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_export_to_dir: no client, directory or ids");
	if (o.batch_size <= 0 || o.batch_size > 1000)
		o.batch_size = EWS_EXPORT_BATCH;
	/* the header's folder: a stable id (a distinguished name is resolved: the server answers here first) */
	int by_ids = o.n_ids || o.n_deleted;
	if (o.n_deleted && !o.deleted_ids)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_export_to_dir: n_deleted without deleted_ids");
	ews_status st = !by_ids ? ews_export_folder_id(c, o.folder ? o.folder : "inbox", &folder)
	              : !o.folder || (folder = strdup(o.folder)) ? ews_status_ok()
	                                                         : ews_status_make(EWS_ERR_NOMEM, "out of memory");
	if (ews_ok(st) && o.manifest) {
		/* the caller's, opened for this directory: the header must name what this call would */
		m = o.manifest;
		if (!ews_manifest_is_for(m, dir, o.mailbox, folder))
			st = ews_status_make(EWS_ERR_ARGUMENT, "ews_export_to_dir: .manifest is not %.200s's for this "
			                     "mailbox and folder", dir);
	} else if (ews_ok(st)) {
		st = ews_manifest_open(dir, o.mailbox ? o.mailbox : "", folder ? folder : "", &m);
	}
	if (ews_ok(st) && o.pack)
		ews_manifest_want_pack(m); /* (a directory that exists keeps its layout) */
	struct run r = { .rc = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER }, .c = c, .dir = dir,
	                 .o = &o, .m = m, .s = s, .packed = ews_ok(st) && ews_manifest_packed(m), .wd = EWS_WF_DIR_INIT };
	for (int i = 0; i < SLOTS; i++) {   /* (destroyed by run_free) */
		pthread_mutex_init(&r.sl[i].mu, NULL);
		pthread_cond_init(&r.sl[i].cv, NULL);
	}
	r.t.borrowed = by_ids; /* o.ids outlive the call; a folder listing's ids are the pager's, copied */
	struct listing l = { .fingerprints = !o.no_fingerprints };
	const char *props[8];
	listing_props(&o, props);
	if (ews_ok(st) && !by_ids)
		st = ews_pager_new_items(c, &(ews_pager_options){ .folder = folder, .page_size = LIST_PAGE, .shape = "IdOnly",
		                                                   .properties = props[0] ? props : NULL,
		                                                   .no_anchor = 1, .progress = listing_progress,
		                                                   .progress_arg = &l }, &l.p);
	/* the first chunk (or the ids) before anything is made on disk: the server has answered */
	if (ews_ok(st) && !by_ids)
		st = list_chunk(&l, m, &r.t, s);
	for (size_t i = 0; ews_ok(st) && i < o.n_ids; i++)
		if (!o.ids[i] || !*o.ids[i])
			st = ews_status_make(EWS_ERR_ARGUMENT, "ews_export_to_dir: id %zu is empty", i + 1);
	size_t considered = 0;   /* the ids looked up so far (they are taken a chunk at a time too) */
	if (ews_ok(st) && by_ids)
		st = ids_chunk(&o, m, &r.t, s, &considered);
	if (ews_ok(st) && by_ids)
		st = ask_fingerprints(c, &o, &r.t);
	if (ews_ok(st) && o.n_deleted) {
		/* the ids a sync said are gone: the only entries "not seen" */
		ews_manifest_set_all_seen(m, 1);
		for (size_t i = 0; i < o.n_deleted; i++)
			if (o.deleted_ids[i])
				ews_manifest_unmark_seen(m, o.deleted_ids[i]);
		st = record_deleted(m, &o, s);
	}
	if (ews_ok(st))
		st = run_init(&r);
	/* a folder: chunk after chunk, each exported before the next is listed (the manifest is the listing's and
	 * the record's in turn), until the listing ends or the run stops */
	while (ews_ok(st) && ews_ok(st = export_todo(&r)) && !s->interrupted && (by_ids ? considered < o.n_ids : !l.done)) {
		todo_clear(&r.t);
		st = by_ids ? ids_chunk(&o, m, &r.t, s, &considered) : list_chunk(&l, m, &r.t, s);
		if (ews_ok(st) && by_ids)
			st = ask_fingerprints(c, &o, &r.t);
	}
	/* the items the folder no longer has: only after a complete listing (the ones exported meanwhile were seen) */
	if (ews_ok(st) && !by_ids && l.done && !s->interrupted)
		st = record_deleted(m, &o, s);
	ews_pager_free(l.p);
	long unlisted = by_ids ? (long)(o.n_ids - considered) : l.done ? 0 : r.t.unlisted;
	s->total += unlisted;
	s->not_attempted = r.t.base + (long)r.t.n + unlisted - s->attempted;
	if (s->not_attempted == 0)
		s->interrupted = 0;
	run_free(&r);
	/* a directory this run made for nothing (the server failed every item or the connection) goes again (after
	 * the manifest's close: it removes a pack holding only unrecorded data) */
	int unused = r.created && !ews_manifest_version(m);
	ews_status cs = m && m != o.manifest ? ews_manifest_close(m) : ews_status_ok();
	if (unused)
		rmdir(dir);
	free(folder);
	if (!ews_ok(st))
		return st;
	return ews_ok(r.first) ? cs : r.first;
}
