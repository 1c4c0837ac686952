/* ews_export.c — ExportItems to files and UploadItems from files, batched, with one result per item. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "ews/export.h"
#include "ews/response.h"
#include "ews_manifest_internal.h"
#include "ews_operations.h"
#include "ews_workflow.h"

#define DEFAULT_BATCH EWS_EXPORT_BATCH
#define MAX_BATCH 1000
#define DEFAULT_BATCH_BYTES ((size_t)32 << 20)
#define DEFAULT_MAX_ITEM_BYTES ((size_t)256 << 20)
#define MAX_PARENTS 16

/* Our schema makes ExportItems' Data optional (a pointer); the official one has it required (embedded). Both
 * compile: the branch not selected is only type-checked. */
#define EXPORT_DATA(m) _Generic((m)->Data, struct xsd__base64Binary *: (m)->Data, default: &(m)->Data)

void ews_transfer_results_free(ews_transfer_result *results, size_t n)
{
	if (!results)
		return;
	for (size_t i = 0; i < n; i++) {
		free(results[i].id);
		free(results[i].change_key);
	}
	free(results);
}

/* A failure whose own copy could not be made: shared, never freed. */
static ews_status outcome_nomem = { .code = EWS_ERR_NOMEM, .message = "out of memory" };

void ews_outcome_set(ews_export_outcome *o, ews_status st)
{
	if (o->fail != &outcome_nomem)
		free(o->fail);
	o->fail = NULL;
	if (ews_ok(st))
		return;
	o->fail = malloc(sizeof *o->fail);
	if (o->fail)
		*o->fail = st;
	else
		o->fail = &outcome_nomem;
}

ews_status ews_outcome_status(const ews_export_outcome *o)
{
	return o->fail ? *o->fail : ews_status_ok();
}

void ews_outcome_clear(ews_export_outcome *o)
{
	ews_outcome_set(o, ews_status_ok());
	free(o->id);
	free(o->change_key);
	memset(o, 0, sizeof *o);
}

static void fill_options(const ews_transfer_options *opt, ews_transfer_options *o)
{
	memset(o, 0, sizeof *o);
	if (opt)
		*o = *opt;
	if (o->batch_size <= 0)
		o->batch_size = DEFAULT_BATCH;
	if (o->batch_size > MAX_BATCH)
		o->batch_size = MAX_BATCH;
	if (!o->batch_bytes)
		o->batch_bytes = DEFAULT_BATCH_BYTES;
	if (!o->max_item_bytes || o->max_item_bytes > INT_MAX)
		o->max_item_bytes = o->max_item_bytes > INT_MAX ? (size_t)INT_MAX : DEFAULT_MAX_ITEM_BYTES;
}

/* The item's status with its position in front, for the call's overall status. */
static ews_status item_status(size_t i, ews_status st)
{
	ews_status out = st;
	/* %.340s: the position prefix must fit (the message is cut, never the prefix). */
	snprintf(out.message, sizeof out.message, "item %zu: %.340s", i + 1, st.message);
	return out;
}

static void mark_rest(ews_transfer_result *r, size_t from, size_t n, ews_status st)
{
	for (size_t i = from; i < n; i++)
		if (r[i].status.code == EWS_OK && !r[i].id)
			r[i].status = st;
}

/* An item's id and change key copied into *idp and *ckp (an export's outcome, an upload's result). */
static ews_status set_ids(char **idp, char **ckp, const struct ewstype__ItemIdType *id)
{
	if (!id || !id->Id)
		return ews_status_ok();
	if (!(*idp = strdup(id->Id)) || (id->ChangeKey && !(*ckp = strdup(id->ChangeKey))))
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	return ews_status_ok();
}

/* ews_export_items_each's arguments, checked the same with or without the operation. */
static ews_status each_args(ews_client *c, const ews_item_ref *items, size_t n, ews_export_data_fn fn)
{
	if (!c || !fn || (n && !items))
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_export_items_each: NULL client, items or callback");
	for (size_t i = 0; i < n; i++)
		if (!items[i].id || !*items[i].id)
			return ews_status_make(EWS_ERR_ARGUMENT, "ews_export_items_each: item %zu has no id", i + 1);
	return ews_status_ok();
}

/* ExportItems and UploadItems came with Exchange 2010 SP1: bindings from an older schema have neither, and
 * these helpers then answer EWS_ERR_UNSUPPORTED (EWS_HAVE_OP_* come from the generated ews_schema.h). */
#ifndef EWS_HAVE_OP_EXPORT_ITEMS
ews_status ews_export_items_to_files(ews_client *c, const ews_item_ref *items, const char *const *paths, size_t n,
                                     const ews_transfer_options *opt, ews_transfer_result **results)
{
	(void)item_status, (void)mark_rest, (void)set_ids, (void)fill_options;
	if (results)
		*results = NULL;
	return ews_status_make(EWS_ERR_UNSUPPORTED, "ExportItems is not an operation of the schema %s", EWS_SCHEMA_NAME);
}

ews_status ews_export_items_each(ews_client *c, const ews_item_ref *items, size_t n, int batch_size,
                                 ews_export_data_fn fn, void *arg)
{
	ews_status st = each_args(c, items, n, fn);
	if (!ews_ok(st))
		return st;
	return ews_status_make(EWS_ERR_UNSUPPORTED, "ExportItems is not an operation of the schema %s", EWS_SCHEMA_NAME);
}

ews_status ews_export_batch_fetch(ews_client *c, const ews_item_ref *items, size_t k, ews_export_fetched *f)
{
	f->st = ews_status_make(EWS_ERR_UNSUPPORTED, "ExportItems is not an operation of the schema %s", EWS_SCHEMA_NAME);
	f->msgs = NULL;
	return f->st;
}

ews_status ews_export_files_deliver(ews_client *c, struct soap *a, const ews_export_fetched *f, ews_wf_dir *dir,
                                    const char *const *paths, size_t k, ews_export_outcome *r)
{
	return f->st;
}

ews_status ews_export_pack_deliver(ews_client *c, struct soap *a, const ews_export_fetched *f, ews_manifest *m,
                                   size_t k, ews_export_outcome *r, long long *offsets)
{
	return f->st;
}

void ews_export_batch_discard(ews_client *c, struct soap *a)
{
}

ews_status ews_export_split_deliver(ews_client *c, const ews_item_ref *items, size_t k, ews_manifest *m,
                                    ews_wf_dir *dir, const char *const *paths, ews_export_outcome *r,
                                    long long *offsets)
{
	return ews_status_make(EWS_ERR_UNSUPPORTED, "ExportItems is not an operation of the schema %s", EWS_SCHEMA_NAME);
}
#else
/* The request half of a batch: one ExportItems request for items[0..k), its answer left in c's memory (f->msgs)
 * until ews_export_batch_discard or the delivery (or until the caller moves it into an arena of its own,
 * ews_wf_keep_response). f->st: a whole-request failure (then nothing is left to discard), else OK or
 * EWS_ERR_RESPONSE (per-item errors, delivered as such).
 * The request is built in memory of its own, its ids the caller's (borrowed for the call), and freed when the
 * call returns: a gSOAP context only to hold a request costs ~200 KiB resident (its hash tables and buffers),
 * nearly half of an ExportItems batch of 50. */
ews_status ews_export_batch_fetch(ews_client *c, const ews_item_ref *items, size_t k, ews_export_fetched *f)
{
	struct soap *cs = ews_client_soap(c);
	struct ewsmsg__ExportItemsType req;
	struct ewstype__NonEmptyArrayOfItemIdsType ids;
	struct __ewsmsg__ExportItemsResponse resp = { 0 };
	struct ewstype__ItemIdType *id = malloc((k ? k : 1) * sizeof *id);
	ews_status st = ews_status_ok();
	f->msgs = NULL;
	if (!id) {
		st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
	} else {
		soap_default_ewsmsg__ExportItemsType(cs, &req);
		soap_default_ewstype__NonEmptyArrayOfItemIdsType(cs, &ids);
		for (size_t i = 0; i < k; i++) {
			soap_default_ewstype__ItemIdType(cs, &id[i]);
			id[i].Id = (char *)items[i].id;
			id[i].ChangeKey = (char *)items[i].change_key;
		}
		ids.ItemId = id;
		ids.__sizeItemId = (int)k;
		req.ItemIds = &ids;
		st = ews_export_items(c, &req, &resp);
	}
	free(id);
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs =
		resp.ewsmsg__ExportItemsResponse ? resp.ewsmsg__ExportItemsResponse->ResponseMessages : NULL;
	if ((ews_ok(st) || st.code == EWS_ERR_RESPONSE) && ews_response_messages_count(msgs) != (int)k)
		st = ews_status_make(EWS_ERR_XML, "ExportItems: %d response messages for %zu items",
		                     ews_response_messages_count(msgs), k);
	if (!ews_ok(st) && st.code != EWS_ERR_RESPONSE)
		ews_export_batch_discard(c, NULL);
	else
		f->msgs = msgs;
	return f->st = st;
}

void ews_export_batch_discard(ews_client *c, struct soap *a)
{
	ews_client_release(c);
	if (a)
		ews_wf_soap_end(a);
}

/* The delivery half: fn gets each item of a fetched batch's Data (or its error), then `done` (optional) while
 * the Data is still there, then the batch's memory is freed. Returns the fetch's whole-request failure, else what
 * fn returned first that was not OK (then the batch still goes on), else OK. */
static ews_status deliver_batch(ews_client *c, struct soap *a, const ews_export_fetched *f, size_t k,
                                ews_export_data_fn fn, void (*done)(void *arg), void *arg, size_t base)
{
	if (!ews_ok(f->st) && f->st.code != EWS_ERR_RESPONSE)
		return f->st;
	ews_status first = ews_status_ok();
	for (size_t i = 0; i < k; i++) {
		ews_response_message m;
		const struct xsd__base64Binary *data = NULL;
		const struct ewstype__ItemIdType *iid = NULL;
		ews_status is = ews_wf_message_status(f->msgs, (int)i);
		if (ews_ok(is) && (ews_response_messages_get(f->msgs, (int)i, &m) || !m.message))
			is = ews_status_make(EWS_ERR_XML, "ExportItems: unreadable response message");
		if (ews_ok(is)) {
			const struct ewsmsg__ExportItemsResponseMessageType *em = m.message;
			data = EXPORT_DATA(em);
			iid = em->ItemId;
			if (!data || !data->__ptr || data->__size <= 0)
				is = ews_status_make(EWS_ERR_XML, "ExportItems: no Data for the item");
		}
		ews_status fs = fn(arg, base + i, is, ews_ok(is) ? data->__ptr : NULL, ews_ok(is) ? (size_t)data->__size : 0,
		                   iid ? iid->Id : NULL, iid ? iid->ChangeKey : NULL);
		if (!ews_ok(fs) && ews_ok(first))
			first = fs;
	}
	if (done)
		done(arg);
	/* Free this batch's response and request before the next one is fetched. */
	ews_export_batch_discard(c, a);
	return first;
}

/* An item whose export alone is over the client's response cap: its own failure, the others go on. */
static ews_status too_large_alone(ews_status st)
{
	ews_status out = st;
	snprintf(out.message, sizeof out.message, "%.260s (this item alone; the cap is raised with "
	         "EWS_MAX_RESPONSE_BYTES or ews_client_set_limits)", st.message);
	return out;
}

/* What to do with items[from..from+k) once fetched (fetch_split): deliver the answer, or fail the one item that
 * is too large alone. */
struct split_ops {
	ews_status (*deliver)(void *arg, ews_client *c, const ews_export_fetched *f, size_t from, size_t k);
	ews_status (*alone)(void *arg, size_t at, ews_status st);
	void *arg;
};

/* One ExportItems request for items[from..from+k) on c, delivered. An answer over the client's response cap
 * (EWS_ERR_TOO_LARGE, 64 MiB by default: two items with 30 MB attachments make a batch of 50 too large, and the
 * same batch on every rerun) is asked for again in halves, down to the one item that is too large alone, which
 * fails on its own. Returns the first half's failure, else the second's, else OK. */
static ews_status fetch_split(ews_client *c, const ews_item_ref *items, size_t from, size_t k,
                              const struct split_ops *ops)
{
	ews_export_fetched f;
	ews_export_batch_fetch(c, items + from, k, &f);
	if (f.st.code != EWS_ERR_TOO_LARGE)
		return ops->deliver(ops->arg, c, &f, from, k);
	if (k == 1)
		return ops->alone(ops->arg, from, too_large_alone(f.st));
	ews_status a = fetch_split(c, items, from, k / 2, ops);
	ews_status b = fetch_split(c, items, from + k / 2, k - k / 2, ops);
	return ews_ok(a) ? b : a;
}

/* export_batch's deliveries: fn for each item, at its index from the batch's base */
struct each_batch {
	ews_export_data_fn fn;
	void *arg;
	size_t base;
};

static ews_status each_deliver(void *arg, ews_client *c, const ews_export_fetched *f, size_t from, size_t k)
{
	const struct each_batch *e = arg;
	return deliver_batch(c, NULL, f, k, e->fn, NULL, e->arg, e->base + from);
}

static ews_status each_alone(void *arg, size_t at, ews_status st)
{
	const struct each_batch *e = arg;
	return e->fn(e->arg, e->base + at, st, NULL, 0, NULL, NULL);
}

/* One ExportItems request for items[0..k) (in halves when too large: fetch_split): fn gets each item's Data (or
 * its error). Returns a whole-request failure, else what fn returned first that was not OK (then the batch still
 * goes on), else OK. */
static ews_status export_batch(ews_client *c, const ews_item_ref *items, size_t k, ews_export_data_fn fn,
                               void *arg, size_t base)
{
	struct each_batch e = { fn, arg, base };
	return fetch_split(c, items, 0, k, &(struct split_ops){ each_deliver, each_alone, &e });
}

ews_status ews_export_items_each(ews_client *c, const ews_item_ref *items, size_t n, int batch_size,
                                 ews_export_data_fn fn, void *arg)
{
	ews_status st = each_args(c, items, n, fn);
	if (!ews_ok(st))
		return st;
	if (batch_size <= 0)
		batch_size = DEFAULT_BATCH;
	if (batch_size > MAX_BATCH)
		batch_size = MAX_BATCH;
	for (size_t start = 0; ews_ok(st) && start < n; start += (size_t)batch_size) {
		size_t k = n - start < (size_t)batch_size ? n - start : (size_t)batch_size;
		st = export_batch(c, items + start, k, fn, arg, start);
	}
	return st;
}

/* ews_export_items_to_files: each item's Data into its file, its result filled; with opt->manifest the batch's
 * successes are recorded in the directory's manifest. */
struct to_files {
	const char *const *paths;
	ews_export_outcome *r;
	int durable;
	ews_manifest_entry *batch;          /* this batch's successes (manifest) */
	size_t nbatch;
	ews_wf_dir *dir;                    /* the files' directory, kept open across them */
	int halt_on_file_error;             /* one directory (ews_export_files_deliver): a file that cannot be
	                                       written (full disk, quota, read-only) stops the batch there      */
	int halted;
};

static ews_status write_one(void *arg, size_t i, ews_status st, const unsigned char *data, size_t len, const char *id,
                            const char *ck)
{
	struct to_files *t = arg;
	ews_export_outcome *ri = &t->r[i];
	if (t->halted) {
		ews_outcome_set(ri, ews_status_make(EWS_ERR_CANCELLED, "not attempted: an earlier file of the batch "
		                                    "could not be written"));
		return ews_status_ok();
	}
	if (ews_ok(st))
		st = ews_wf_write_file_in(t->dir, t->paths[i], data, len, t->durable);
	t->halted = t->halt_on_file_error && st.code == EWS_ERR_FILE;
	if (ews_ok(st)) {
		struct ewstype__ItemIdType iid = { .Id = (char *)id, .ChangeKey = (char *)ck };
		ri->bytes = (long long)len;
		st = set_ids(&ri->id, &ri->change_key, &iid);
	}
	ews_outcome_set(ri, st);
	if (ews_ok(st) && t->batch) {
		const char *slash = strrchr(t->paths[i], '/');
		t->batch[t->nbatch++] = (ews_manifest_entry){ slash ? slash + 1 : t->paths[i], ri->id ? ri->id : "",
		                                              ri->change_key, ri->bytes, 0, -1, NULL };
	}
	return ews_status_ok();
}

/* Both deliveries' end: a whole-request failure marks every outcome not written; else the first item's failure,
 * or OK. */
static ews_status delivered(ews_status st, ews_export_outcome *r, size_t k)
{
	if (!ews_ok(st)) {
		for (size_t i = 0; i < k; i++)
			if (!r[i].fail && !r[i].id)
				ews_outcome_set(&r[i], st);
		return st;
	}
	for (size_t i = 0; i < k; i++)
		if (r[i].fail)
			return item_status(i, *r[i].fail);
	return ews_status_ok();
}

/* The batch's items collected as they are read, then written into the pack in one go (pack_all). */
struct to_pack {
	ews_manifest *m;
	ews_export_outcome *r;
	long long *offsets;
	struct iovec iov[MAX_BATCH];
	long long off[MAX_BATCH];
	size_t which[MAX_BATCH];            /* iov[j] is item which[j]'s */
	int n;
};

static ews_status pack_one(void *arg, size_t i, ews_status st, const unsigned char *data, size_t len, const char *id,
                           const char *ck)
{
	struct to_pack *t = arg;
	ews_export_outcome *ri = &t->r[i];
	if (ews_ok(st)) {
		struct ewstype__ItemIdType iid = { .Id = (char *)id, .ChangeKey = (char *)ck };
		ri->bytes = (long long)len;
		st = set_ids(&ri->id, &ri->change_key, &iid);
	}
	ews_outcome_set(ri, st);
	if (ews_ok(st)) {
		t->iov[t->n] = (struct iovec){ (void *)data, len };
		t->which[t->n++] = i;
	}
	return ews_status_ok();
}

static void pack_all(void *arg)
{
	struct to_pack *t = arg;
	ews_status st = ews_manifest_pack_write(t->m, t->iov, t->n, t->off);
	for (int j = 0; j < t->n; j++) {
		t->offsets[t->which[j]] = t->off[j];
		if (!ews_ok(st))
			ews_outcome_set(&t->r[t->which[j]], st);
	}
}

ews_status ews_export_pack_deliver(ews_client *c, struct soap *a, const ews_export_fetched *f, ews_manifest *m,
                                   size_t k, ews_export_outcome *r, long long *offsets)
{
	if (k > MAX_BATCH)
		return ews_status_make(EWS_ERR_ARGUMENT, "more than %d items in a batch", MAX_BATCH);
	struct to_pack *t = malloc(sizeof *t);
	if (!t)
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	t->m = m, t->r = r, t->offsets = offsets, t->n = 0;
	for (size_t i = 0; i < k; i++)
		offsets[i] = -1;
	ews_status st = delivered(deliver_batch(c, a, f, k, pack_one, pack_all, t, 0), r, k);
	free(t);
	return st;
}

ews_status ews_export_files_deliver(ews_client *c, struct soap *a, const ews_export_fetched *f, ews_wf_dir *dir,
                                    const char *const *paths, size_t k, ews_export_outcome *r)
{
	struct to_files t = { paths, r, 0, NULL, 0, dir, 1, 0 };
	return delivered(deliver_batch(c, a, f, k, write_one, NULL, &t, 0), r, k);
}

/* ews_export_split_deliver's deliveries: into the pack or the files, at the items' places in the batch */
struct dir_batch {
	ews_manifest *m;
	ews_wf_dir *dir;
	const char *const *paths;
	ews_export_outcome *r;
	long long *offsets;
};

static ews_status dir_deliver(void *arg, ews_client *c, const ews_export_fetched *f, size_t from, size_t k)
{
	const struct dir_batch *d = arg;
	return d->m ? ews_export_pack_deliver(c, NULL, f, d->m, k, d->r + from, d->offsets + from)
	            : ews_export_files_deliver(c, NULL, f, d->dir, d->paths + from, k, d->r + from);
}

static ews_status dir_alone(void *arg, size_t at, ews_status st)
{
	const struct dir_batch *d = arg;
	if (d->offsets)
		d->offsets[at] = -1;
	ews_outcome_set(&d->r[at], st);
	return st;
}

ews_status ews_export_split_deliver(ews_client *c, const ews_item_ref *items, size_t k, ews_manifest *m,
                                    ews_wf_dir *dir, const char *const *paths, ews_export_outcome *r,
                                    long long *offsets)
{
	struct dir_batch d = { m, dir, paths, r, offsets };
	return fetch_split(c, items, 0, k, &(struct split_ops){ dir_deliver, dir_alone, &d });
}

/* The directory of path (malloc'd), "." when it has none. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
}

ews_status ews_export_items_to_files(ews_client *c, const ews_item_ref *items, const char *const *paths, size_t n,
                                     const ews_transfer_options *opt, ews_transfer_result **results)
{
	ews_transfer_options o;
	ews_status overall = ews_status_ok();
	ews_manifest *man = NULL;

	if (results)
		*results = NULL;
	if (!c || !items || !paths || !results || n == 0)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_export_items_to_files: NULL argument or no items");
	for (size_t i = 0; i < n; i++)
		if (!items[i].id || !*items[i].id || !paths[i] || !*paths[i])
			return ews_status_make(EWS_ERR_ARGUMENT, "ews_export_items_to_files: item %zu has no id or path", i + 1);
	fill_options(opt, &o);
	if (o.manifest) {
		/* every file in one directory: the manifest names them relative to it */
		char *d0 = dir_of(paths[0]);
		ews_status st = d0 ? ews_status_ok() : ews_status_make(EWS_ERR_NOMEM, "out of memory");
		for (size_t i = 1; ews_ok(st) && i < n; i++) {
			char *di = dir_of(paths[i]);
			if (!di || strcmp(di, d0))
				st = ews_status_make(EWS_ERR_ARGUMENT, "ews_export_items_to_files: with .manifest every path "
				                     "must be in one directory (item %zu is not)", i + 1);
			free(di);
		}
		if (ews_ok(st))
			st = ews_manifest_open(d0, NULL, NULL, &man);
		if (ews_ok(st) && !ews_ok(st = ews_manifest_lock(man))) /* a writer: no other run in d0 meanwhile */
			ews_manifest_close(man);
		free(d0);
		if (!ews_ok(st))
			return st;
		o.durable = 0; /* one syncfs per batch instead */
	}
	ews_transfer_result *r = calloc(n, sizeof *r);
	ews_export_outcome *ob = calloc((size_t)o.batch_size, sizeof *ob);   /* a batch's, moved into r */
	ews_manifest_entry *batch = o.manifest ? calloc((size_t)o.batch_size, sizeof *batch) : NULL;
	if (!r || !ob || (o.manifest && !batch)) {
		free(r);
		free(ob);
		free(batch);
		ews_manifest_close(man);
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	}
	*results = r;
	ews_wf_dir wd = EWS_WF_DIR_INIT;
	struct to_files t = { paths, ob, o.durable, batch, 0, &wd };
	ews_status st = ews_status_ok();
	for (size_t start = 0; start < n; start += (size_t)o.batch_size) {
		size_t k = n - start < (size_t)o.batch_size ? n - start : (size_t)o.batch_size;
		t.paths = paths + start;
		t.nbatch = 0;
		st = export_batch(c, items + start, k, write_one, &t, 0);
		for (size_t i = 0; i < k; i++) {   /* (the strings move: the batch's manifest entries point at them) */
			r[start + i].id = ob[i].id;
			r[start + i].change_key = ob[i].change_key;
			r[start + i].bytes = ob[i].bytes;
			r[start + i].status = ews_outcome_status(&ob[i]);
			ob[i].id = ob[i].change_key = NULL;
			ews_outcome_clear(&ob[i]);
		}
		if (!ews_ok(st)) {
			/* The request failed as a whole: these items carry its status, the later ones were not tried. */
			mark_rest(r, start, start + k, st);
			mark_rest(r, start + k, n, ews_status_make(EWS_ERR_CANCELLED, "not attempted: an earlier batch failed"));
			break;
		}
		if (man && t.nbatch && !ews_ok(st = ews_manifest_record(man, batch, t.nbatch))) {
			for (size_t i = start; i < start + k; i++)
				if (ews_ok(r[i].status))
					r[i].status = st;
			mark_rest(r, start + k, n, ews_status_make(EWS_ERR_CANCELLED, "not attempted: an earlier batch failed"));
			break;
		}
		for (size_t i = start; i < start + k; i++)
			if (!ews_ok(r[i].status) && ews_ok(overall))
				overall = item_status(i, r[i].status);
		if (o.progress && o.progress(o.progress_arg, (long)(start + k), (long)n)) {
			mark_rest(r, start + k, n, ews_status_make(EWS_ERR_CANCELLED, "not attempted: cancelled"));
			st = ews_status_make(EWS_ERR_CANCELLED, "export cancelled by the progress callback");
			break;
		}
	}
	free(batch);
	free(ob);
	ews_wf_dir_close(&wd);
	ews_status cs = ews_manifest_close(man);
	if (!ews_ok(st))
		return st;
	return ews_ok(overall) ? cs : overall;
}

#endif

/* Folder ids for the directory helpers. A schema without ExportItems and UploadItems has no use for them (and
 * this file is then linked alone, tests/schema/generator.sh): a stub answers EWS_ERR_UNSUPPORTED. */
#if !defined(EWS_HAVE_OP_EXPORT_ITEMS) && !defined(EWS_HAVE_OP_UPLOAD_ITEMS)
ews_status ews_export_folder_id(ews_client *c, const char *folder, char **out)
{
	*out = NULL;
	return ews_status_make(EWS_ERR_UNSUPPORTED, "ExportItems/UploadItems are not operations of the schema %s",
	                       EWS_SCHEMA_NAME);
}
#else
/* A distinguished name -> FolderId with GetFolder (IdOnly); NULL *out and OK when folder is not one. */
static ews_status get_folder_id(ews_client *c, const char *folder, char **out)
{
	enum ewstype__DistinguishedFolderIdNameType name;
	*out = NULL;
	struct soap *tmp = ews_wf_soap_new();
	if (!tmp)
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	if (!ews_wf_distinguished_name(tmp, folder, &name)) {
		ews_wf_soap_free(tmp);
		return ews_status_ok();
	}
	struct ewsmsg__GetFolderType *req = soap_new_ewsmsg__GetFolderType(tmp, -1);
	struct __ewsmsg__GetFolderResponse resp;
	ews_status st = req ? ews_wf_folder_shape(tmp, "IdOnly", NULL, &req->FolderShape)
	                    : ews_status_make(EWS_ERR_NOMEM, "out of memory");
	if (ews_ok(st))
		st = ews_wf_folder_ids(tmp, folder, NULL, &req->FolderIds);
	if (ews_ok(st)) {
		memset(&resp, 0, sizeof resp);
		st = ews_get_folder(c, req, &resp);
	}
	ews_response_message m;
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs =
		ews_ok(st) && resp.ewsmsg__GetFolderResponse ? resp.ewsmsg__GetFolderResponse->ResponseMessages : NULL;
	if (ews_ok(st)) {
		const struct ewsmsg__FolderInfoResponseMessageType *fm = NULL;
		ews_folder_view v;
		if (!ews_response_messages_get(msgs, 0, &m))
			fm = m.message;
		if (fm && fm->Folders && fm->Folders->__size_ArrayOfFoldersType > 0) {
			const void *typed;
			ews_folder_kind kind = ews_wf_folder_kind(fm->Folders->__union_ArrayOfFoldersType[0].__union_ArrayOfFoldersType,
			                                          &fm->Folders->__union_ArrayOfFoldersType[0].union_ArrayOfFoldersType,
			                                          &typed);
			ews_wf_folder_view(&v, kind, typed);
		} else {
			ews_wf_folder_view(&v, EWS_FOLDER_NONE, NULL);
		}
		if (!v.id)
			st = ews_status_make(EWS_ERR_XML, "GetFolder %.40s: no folder id", folder);
		else if (!(*out = strdup(v.id)))
			st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
	}
	ews_client_release(c);
	ews_wf_soap_free(tmp);
	return st;
}

ews_status ews_export_folder_id(ews_client *c, const char *folder, char **out)
{
	*out = NULL;
	if (!c || !folder || !*folder)
		return ews_status_make(EWS_ERR_ARGUMENT, "no folder given");
	ews_status st = get_folder_id(c, folder, out);
	if (ews_ok(st) && !*out && !(*out = strdup(folder)))
		st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
	return st;
}
#endif

/* ---- upload ---- */
#ifndef EWS_HAVE_OP_UPLOAD_ITEMS
ews_status ews_upload_items_from_files(ews_client *c, const ews_upload_item *items, size_t n,
                                       const ews_transfer_options *opt, ews_transfer_result **results)
{
	if (results)
		*results = NULL;
	return ews_status_make(EWS_ERR_UNSUPPORTED, "UploadItems is not an operation of the schema %s", EWS_SCHEMA_NAME);
}
#else

struct parents {
	int n;
	char *name[MAX_PARENTS];
	char *id[MAX_PARENTS];
};

/* A distinguished folder name -> its FolderId (GetFolder IdOnly, cached); other strings are ids already. */
static ews_status resolve_parent(ews_client *c, struct soap *a, struct parents *cache, const char *folder,
                                 const char **out)
{
	enum ewstype__DistinguishedFolderIdNameType name;
	*out = folder;
	if (!ews_wf_distinguished_name(a, folder, &name))
		return ews_status_ok();
	for (int i = 0; i < cache->n; i++)
		if (!strcmp(cache->name[i], folder)) {
			*out = cache->id[i];
			return ews_status_ok();
		}
	if (cache->n >= MAX_PARENTS)
		return ews_status_make(EWS_ERR_ARGUMENT, "more than %d distinguished parent folders", MAX_PARENTS);
	char *id = NULL;
	ews_status st = get_folder_id(c, folder, &id);
	if (ews_ok(st) && !(cache->name[cache->n] = strdup(folder))) {
		free(id);
		st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
	} else if (ews_ok(st)) {
		cache->id[cache->n] = id;
		*out = cache->id[cache->n++];
	}
	return st;
}

struct pending {
	size_t index;                       /* into items/results */
	unsigned char *data;                /* read from the file (ours), or the caller's item data (borrowed) */
	int borrowed;
	size_t len;
	const char *parent;                 /* resolved folder id or NULL */
};

static ews_status check_item(const ews_upload_item *it)
{
	if (!it->path || !*it->path)
		return ews_status_make(EWS_ERR_ARGUMENT, "no file path");
	switch (it->action) {
	case EWS_UPLOAD_CREATE_NEW:
		if (!it->parent_folder_id || !*it->parent_folder_id)
			return ews_status_make(EWS_ERR_ARGUMENT, "CreateNew needs parent_folder_id");
		return ews_status_ok();
	case EWS_UPLOAD_UPDATE:
		/* ParentFolderId is required by the schema on every UploadItem, Update included */
		if (!it->item_id || !*it->item_id || !it->parent_folder_id || !*it->parent_folder_id)
			return ews_status_make(EWS_ERR_ARGUMENT, "Update needs item_id and parent_folder_id");
		return ews_status_ok();
	case EWS_UPLOAD_UPDATE_OR_CREATE:
		if (!it->item_id || !*it->item_id || !it->parent_folder_id || !*it->parent_folder_id)
			return ews_status_make(EWS_ERR_ARGUMENT, "UpdateOrCreate needs item_id and parent_folder_id");
		return ews_status_ok();
	}
	return ews_status_make(EWS_ERR_ARGUMENT, "unknown upload action %d", (int)it->action);
}

/* Send one UploadItems for the pending items; fills their results. Returns a whole-request failure, else OK. */
static ews_status send_batch(ews_client *c, struct soap *a, const ews_upload_item *items, struct pending *p, int k,
                             ews_transfer_result *r)
{
	struct ewsmsg__UploadItemsType *req = soap_new_ewsmsg__UploadItemsType(a, -1);
	struct __ewsmsg__UploadItemsResponse resp = { 0 };
	ews_status st = ews_status_ok();
	if (!req || !(req->Items = soap_new_ewstype__NonEmptyArrayOfUploadItemsType(a, -1)) ||
	    !(req->Items->Item = soap_new_ewstype__UploadItemType(a, k)))
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	req->Items->__sizeItem = k;
	for (int i = 0; ews_ok(st) && i < k; i++) {
		const ews_upload_item *it = &items[p[i].index];
		struct ewstype__UploadItemType *up = &req->Items->Item[i];
		up->CreateAction = it->action == EWS_UPLOAD_UPDATE ? ewstype__CreateActionType__Update
		                 : it->action == EWS_UPLOAD_UPDATE_OR_CREATE ? ewstype__CreateActionType__UpdateOrCreate
		                                                             : ewstype__CreateActionType__CreateNew;
		/* The file bytes are sent from our buffer; gSOAP base64-encodes them while writing. */
		up->Data.__ptr = p[i].data;
		up->Data.__size = (int)p[i].len;
		if (p[i].parent) {
			if (!(up->ParentFolderId = soap_new_ewstype__FolderIdType(a, -1)) ||
			    !(up->ParentFolderId->Id = soap_strdup(a, p[i].parent)))
				st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
		}
		if (ews_ok(st) && it->item_id && it->action != EWS_UPLOAD_CREATE_NEW) {
			if (!(up->ItemId = soap_new_ewstype__ItemIdType(a, -1)) || !(up->ItemId->Id = soap_strdup(a, it->item_id)) ||
			    (it->change_key && !(up->ItemId->ChangeKey = soap_strdup(a, it->change_key))))
				st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
		}
		if (ews_ok(st) && it->is_associated) {
			if (!(up->IsAssociated = soap_malloc(a, sizeof *up->IsAssociated)))
				st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
			else
				*up->IsAssociated = xsd__boolean__true_;
		}
	}
	if (ews_ok(st)) {
		memset(&resp, 0, sizeof resp);
		st = ews_upload_items(c, req, &resp);
	}
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs =
		resp.ewsmsg__UploadItemsResponse ? resp.ewsmsg__UploadItemsResponse->ResponseMessages : NULL;
	if ((ews_ok(st) || st.code == EWS_ERR_RESPONSE) && ews_response_messages_count(msgs) != k)
		st = ews_status_make(EWS_ERR_XML, "UploadItems: %d response messages for %d items",
		                     ews_response_messages_count(msgs), k);
	if (!ews_ok(st) && st.code != EWS_ERR_RESPONSE) {
		for (int i = 0; i < k; i++)
			r[p[i].index].status = st;
		return st;
	}
	for (int i = 0; i < k; i++) {
		ews_transfer_result *ri = &r[p[i].index];
		ews_response_message m;
		ri->status = ews_wf_message_status(msgs, i);
		if (ews_ok(ri->status) && !ews_response_messages_get(msgs, i, &m) && m.message) {
			const struct ewsmsg__UploadItemsResponseMessageType *um = m.message;
			ri->bytes = (long long)p[i].len;
			ri->status = set_ids(&ri->id, &ri->change_key, um->ItemId);
		}
	}
	return ews_status_ok();
}

static void drop_pending(struct pending *p, int *k, size_t *bytes)
{
	for (int i = 0; i < *k; i++) {
		if (!p[i].borrowed)
			free(p[i].data);
		p[i].data = NULL;
	}
	*k = 0;
	*bytes = 0;
}

ews_status ews_upload_items_from_files(ews_client *c, const ews_upload_item *items, size_t n,
                                       const ews_transfer_options *opt, ews_transfer_result **results)
{
	ews_transfer_options o;
	struct parents cache = { 0 };
	ews_status overall = ews_status_ok(), st = ews_status_ok();

	if (results)
		*results = NULL;
	if (!c || !items || !results || n == 0)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_upload_items_from_files: NULL argument or no items");
	fill_options(opt, &o);
	ews_transfer_result *r = calloc(n, sizeof *r);
	struct pending *p = calloc((size_t)o.batch_size, sizeof *p);
	struct soap *a = ews_wf_soap_new();
	if (!r || !p || !a) {
		free(r);
		free(p);
		ews_wf_soap_free(a);
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	}
	*results = r;
	int k = 0;
	size_t bytes = 0, i = 0;
	for (; i <= n; i++) {
		unsigned char *data = NULL;
		int borrowed = 0;                   /* data is the caller's it->data, not ours to free */
		size_t len = 0;
		const char *parent = NULL;
		if (i < n) {
			const ews_upload_item *it = &items[i];
			r[i].status = check_item(it);
			if (ews_ok(r[i].status))
				r[i].status = resolve_parent(c, a, &cache, it->parent_folder_id, &parent);
			if (ews_ok(r[i].status) && it->data && it->len > o.max_item_bytes)
				r[i].status = ews_status_make(EWS_ERR_TOO_LARGE, "%.200s has %zu bytes, more than the limit of %zu",
				                              it->path, it->len, o.max_item_bytes);
			else if (ews_ok(r[i].status) && it->data)
				data = (unsigned char *)it->data, len = it->len, borrowed = 1; /* sent from the caller's memory */
			else if (ews_ok(r[i].status))
				r[i].status = ews_wf_read_file(it->path, o.max_item_bytes, &data, &len);
			if (ews_ok(r[i].status) && len == 0)
				r[i].status = ews_status_make(EWS_ERR_FORMAT, "%.200s is empty", it->path);
			if (!ews_ok(r[i].status)) {
				if (!borrowed)
					free(data);
				if (r[i].status.code != EWS_ERR_ARGUMENT && r[i].status.code != EWS_ERR_NOT_FOUND &&
				    r[i].status.code != EWS_ERR_FILE && r[i].status.code != EWS_ERR_TOO_LARGE &&
				    r[i].status.code != EWS_ERR_FORMAT && r[i].status.code != EWS_ERR_RESPONSE) {
					/* Resolving the parent failed at the transport level: stop like a failed batch. */
					st = r[i].status;
					break;
				}
				continue;
			}
		}
		/* Flush before this item when the batch is full (count or bytes), and at the end. */
		if (k > 0 && (i == n || k == o.batch_size || bytes + len > o.batch_bytes)) {
			st = send_batch(c, a, items, p, k, r);
			drop_pending(p, &k, &bytes);
			ews_client_release(c);
			soap_end(a);
			if (!ews_ok(st)) {
				if (!borrowed)
					free(data);
				break;
			}
			if (o.progress && o.progress(o.progress_arg, (long)i, (long)n)) {
				if (!borrowed)
					free(data);
				st = ews_status_make(EWS_ERR_CANCELLED, "upload cancelled by the progress callback");
				break;
			}
		}
		if (i < n) {
			p[k].index = i;
			p[k].data = data;
			p[k].borrowed = borrowed;
			p[k].len = len;
			p[k].parent = parent;
			k++;
			bytes += len;
		}
	}
	drop_pending(p, &k, &bytes);
	if (!ews_ok(st))
		mark_rest(r, 0, n, st.code == EWS_ERR_CANCELLED ? st
		                   : ews_status_make(EWS_ERR_CANCELLED, "not attempted: an earlier batch failed"));
	for (size_t j = 0; j < n && ews_ok(overall); j++)
		if (!ews_ok(r[j].status))
			overall = item_status(j, r[j].status);
	if (!ews_ok(st))
		overall = st;
	for (int j = 0; j < cache.n; j++) {
		free(cache.name[j]);
		free(cache.id[j]);
	}
	free(p);
	ews_wf_soap_free(a);
	return overall;
}
#endif
