/* ews_upload_dir.c — ews_upload_dir: an export directory into a folder exactly once across reruns, with a
 * durable journal and a lookup of items whose outcome is unknown (format and guarantees in ews/export.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ews/export.h"
#include "ews/pager.h"
#include "ews_fd.h"
#include "ews_internal.h"
#include "ews_manifest_internal.h"
#include "ews_workflow.h"

#define JOURNAL_HEADER "# ews-upload-journal 1\t"

enum { J_NONE = 0, J_PENDING, J_DONE, J_FAILED };

/* file -> state and new id; new ids are also looked up (the items this journal made). A new id is kept as its
 * 64-bit hash only (the lookup's question is "did this journal make the item with this id?"; the 150-byte ids
 * themselves were most of the journal's memory, which a restore keeps for every item). */
struct jent {
	char *file;
	uint64_t id_hash;                   /* FNV-1a 64 of the new id (0: none yet)          */
	int state;
	long long sent_ms;                  /* P: when its batch was sent (0: not recorded) */
};

struct journal {
	char *path;
	int fd;
	int lockfd;                         /* path + ".lock", locked for the run: one upload per journal */
	struct jent *e;
	size_t n, cap;
	size_t *slot, nslot;                /* by file   */
	size_t *islot, nislot;              /* by new id */
};

static size_t hash(const char *s)
{
	size_t h = 5381;
	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static ews_status nomem(void) { return ews_status_make(EWS_ERR_NOMEM, "out of memory"); }

static uint64_t id_hash(const char *id)
{
	uint64_t h = ews_manifest_id_hash(id);
	return h ? h : 1; /* 0 means none */
}

static size_t *find_slot(size_t *slot, size_t nslot, const struct jent *e, const char *file)
{
	if (!nslot)
		return NULL;
	size_t h = hash(file) & (nslot - 1);
	while (slot[h] && strcmp(e[slot[h] - 1].file, file))
		h = (h + 1) & (nslot - 1);
	return &slot[h];
}

static size_t *find_id_slot(size_t *slot, size_t nslot, const struct jent *e, uint64_t idh)
{
	if (!nslot)
		return NULL;
	size_t h = (size_t)idh & (nslot - 1);
	while (slot[h] && e[slot[h] - 1].id_hash != idh)
		h = (h + 1) & (nslot - 1);
	return &slot[h];
}

static int rebuild(struct journal *j)
{
	size_t ns = j->nslot ? j->nslot * 2 : 1024;
	size_t *s = calloc(ns, sizeof *s), *is = calloc(ns, sizeof *is);
	if (!s || !is) {
		free(s);
		free(is);
		return -1;
	}
	free(j->slot);
	free(j->islot);
	j->slot = s;
	j->islot = is;
	j->nslot = j->nislot = ns;
	for (size_t i = 0; i < j->n; i++) {
		*find_slot(s, ns, j->e, j->e[i].file) = i + 1;
		if (j->e[i].id_hash)
			*find_id_slot(is, ns, j->e, j->e[i].id_hash) = i + 1;
	}
	return 0;
}

static struct jent *jfind(const struct journal *j, const char *file)
{
	size_t *s = find_slot(j->slot, j->nslot, j->e, file);
	return s && *s ? &j->e[*s - 1] : NULL;
}

static int ours(const struct journal *j, const char *new_id)
{
	size_t *s = find_id_slot(j->islot, j->nislot, j->e, id_hash(new_id));
	return s && *s;
}

/* Set a file's state in memory (new_id with J_DONE). */
static ews_status jset(struct journal *j, const char *file, int state, const char *new_id)
{
	struct jent *e = jfind(j, file);
	if (!e) {
		if (j->n == j->cap) {
			size_t cap = j->cap ? j->cap * 2 : 256;
			struct jent *ne = realloc(j->e, cap * sizeof *ne);
			if (!ne)
				return nomem();
			j->e = ne;
			j->cap = cap;
		}
		e = &j->e[j->n];
		*e = (struct jent){ strdup(file), 0, J_NONE, 0 };
		if (!e->file)
			return nomem();
		j->n++;
		if (j->n * 2 > j->nslot ? rebuild(j) : (*find_slot(j->slot, j->nslot, j->e, file) = j->n, 0))
			return nomem();
		e = jfind(j, file);
	}
	e->state = state;
	if (new_id && !e->id_hash) {
		e->id_hash = id_hash(new_id);
		*find_id_slot(j->islot, j->nislot, j->e, e->id_hash) = (size_t)(e - j->e) + 1;
	}
	return ews_status_ok();
}

static void journal_free(struct journal *j)
{
	if (j->fd >= 0)
		close(j->fd);
	if (j->lockfd >= 0)
		close(j->lockfd);
	for (size_t i = 0; i < j->n; i++) {
		free(j->e[i].file);
	}
	free(j->e);
	free(j->slot);
	free(j->islot);
	free(j->path);
}

/* Append text (whole lines) and make it durable before anything else happens. */
static ews_status jappend(struct journal *j, const char *text, size_t len)
{
	if (ews_fd_write_all(j->fd, text, len) || fdatasync(j->fd))
		return ews_status_make(EWS_ERR_FILE, "cannot append to %.200s: %s", j->path, strerror(errno));
	return ews_status_ok();
}

/* Two runs of the same upload (same directory, mailbox, folder and action) at once would both send what the
 * journal does not have yet: the second is refused (EWS_ERR_BUSY). The lock is a file beside the journal, not the
 * journal itself, which a new run creates by renaming (a lock on the replaced file would hold nothing); uploads
 * into other folders or mailboxes from the same directory run side by side. */
static ews_status lock_journal(struct journal *j)
{
	char *p = malloc(strlen(j->path) + 8);
	if (!p)
		return nomem();
	sprintf(p, "%s.lock", j->path);
	ews_status st = ews_run_lock(p, 0, "run (the same upload)", &j->lockfd);
	free(p);
	return st;
}

/* One journal line (NUL-terminated, no '\n') applied to the in-memory state. */
static ews_status replay_line(struct journal *j, char *p)
{
	char *f[4] = { p, NULL, NULL, NULL };
	for (int k = 1; k < 4 && f[k - 1]; k++)
		if ((f[k] = strchr(f[k - 1], '\t')))
			*f[k]++ = '\0';
	if (!f[1] || !*f[1] || f[0][1] || (f[0][0] == 'U' && (!f[2] || !*f[2])))
		return ews_status_make(EWS_ERR_FORMAT, "%.200s: a line that is not a journal line", j->path);
	ews_status st;
	if (f[0][0] == 'P') {
		if (ews_ok(st = jset(j, f[1], J_PENDING, NULL)))
			jfind(j, f[1])->sent_ms = f[2] ? strtoll(f[2], NULL, 10) : 0;
		return st;
	}
	if (f[0][0] == 'U')
		return jset(j, f[1], J_DONE, f[2]);
	if (f[0][0] == 'E')
		return jset(j, f[1], J_FAILED, NULL);
	return ews_status_make(EWS_ERR_FORMAT, "%.200s: unknown journal record '%c'", j->path, f[0][0]);
}

/* Open (creating with its header) and replay the journal; a torn last line is cut off. Read a line at a time:
 * the journal of a large restore is two lines per item, and only its state is kept. */
static ews_status journal_open(struct journal *j, const char *header, int again)
{
	j->fd = -1;
	FILE *f = again ? NULL : fopen(j->path, "r");
	ews_status st = ews_status_ok();
	if (!f && !again && errno != ENOENT)
		st = ews_status_make(EWS_ERR_FILE, "cannot read %.200s: %s", j->path, strerror(errno));
	else if (!f) /* a new journal: header written whole and durable, then renamed into place */
		st = ews_wf_write_file_atomic(j->path, header, strlen(header), 1);
	if (f) {
		char *line = NULL;
		size_t cap = 0, hl = strlen(header);
		long long valid = 0, at = 0;
		ssize_t n;
		for (int first = 1; ews_ok(st) && (n = getline(&line, &cap, f)) > 0; first = 0) {
			at += n;
			if (line[n - 1] != '\n')
				break; /* torn */
			if (first && ((size_t)n != hl || memcmp(line, header, hl))) {
				line[n - 1] = '\0';
				st = ews_status_make(EWS_ERR_FORMAT, "%.200s is not the upload journal of this mailbox, folder "
				                     "and action (first line \"%.60s\")", j->path, line);
				break;
			}
			line[n - 1] = '\0';
			if (!first)
				st = replay_line(j, line);
			valid = at;
		}
		if (ews_ok(st) && ferror(f))
			st = ews_status_make(EWS_ERR_FILE, "cannot read %.200s: %s", j->path, strerror(errno));
		if (ews_ok(st) && !valid) /* empty, or its header torn: not a journal this code wrote whole */
			st = ews_status_make(EWS_ERR_FORMAT, "%.200s is not the upload journal of this mailbox, folder and "
			                     "action (no header line)", j->path);
		free(line);
		fclose(f);
		if (ews_ok(st) && valid < at && truncate(j->path, (off_t)valid))
			st = ews_status_make(EWS_ERR_FILE, "cannot cut the torn line of %.200s: %s", j->path, strerror(errno));
	}
	if (ews_ok(st) && (j->fd = open(j->path, O_WRONLY | O_APPEND | O_CLOEXEC)) < 0)
		st = ews_status_make(EWS_ERR_FILE, "cannot open %.200s: %s", j->path, strerror(errno));
	return st;
}

/* ---- the lookup of pending items (CreateNew) ---- */
struct pend {
	const char *file;
	unsigned char *data;
	size_t len;
	long long sent_ms;
	char fp[EWS_FINGERPRINT_LEN + 1];   /* the manifest's, "" unknown */
	uint64_t id_hash;                   /* UpdateOrCreate: its source id's (id_hash), the id it was sent with */
	int matched;                        /* 1: found, created (journaled U); 2: UpdateOrCreate of an item the
	                                       folder has: an update, sent again (idempotent); 0: neither yet */
};

struct lookup {
	struct journal *j;
	int update_or_create;               /* the pending files were sent with their ids (UpdateOrCreate) */
	struct pend *p;
	size_t np;
	const ews_upload_dir_options *o;
	ews_transfer_summary *s;
	/* items of the folder already exported and compared, none of the pending files (the folder's own items):
	 * their ids' hashes, sorted; a second look exports only the items new since */
	uint64_t *seen;
	size_t nseen, capseen;
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int was_seen(const struct lookup *l, const char *id)
{
	uint64_t h = id_hash(id);
	return l->nseen && bsearch(&h, l->seen, l->nseen, sizeof h, cmp_u64);
}

/* Pending file p was found on the server as item `id`: journaled done (U), counted recovered and reported. */
static ews_status found(struct lookup *l, struct pend *p, const char *id)
{
	p->matched = 1;
	char *line = malloc(strlen(p->file) + strlen(id) + 8);
	if (!line)
		return nomem();
	int n = sprintf(line, "U\t%s\t%s\n", p->file, id);
	ews_status ws = jappend(l->j, line, (size_t)n);
	free(line);
	if (ews_ok(ws))
		ws = jset(l->j, p->file, J_DONE, id);
	if (!ews_ok(ws))
		return ws;
	l->s->recovered++;
	if (l->o->on_item)
		l->o->on_item(l->o->arg, &(ews_item_event){ .kind = EWS_ITEM_RECOVERED, .file = p->file, .id = id,
		                                             .bytes = (long long)p->len });
	return ws;
}

static ews_status match_one(void *arg, size_t i, ews_status st, const unsigned char *data, size_t len, const char *id,
                            const char *ck)
{
	struct lookup *l = arg;
	(void)i;
	(void)ck;
	if (!ews_ok(st) || !id)
		return ews_status_ok(); /* gone meanwhile, or not exportable: not one of ours */
	for (size_t k = 0; k < l->np; k++) {
		struct pend *p = &l->p[k];
		if (!p->matched && p->len == len && !memcmp(p->data, data, len))
			return found(l, p, id);
	}
	return ews_status_ok();
}

/* The one unmatched pending file with fingerprint fp, or NULL: none, or several (which one the item is a copy of
 * cannot be told; its data decides, else they are sent again: a duplicate rather than a loss). */
static struct pend *by_fingerprint(struct lookup *l, const char *fp)
{
	struct pend *one = NULL;
	for (size_t k = 0; *fp && k < l->np; k++) {
		struct pend *p = &l->p[k];
		if (p->matched || strcmp(p->fp, fp))
			continue;
		if (one)
			return NULL;
		one = p;
	}
	return one;
}

static size_t unmatched(const struct lookup *l)
{
	size_t n = 0;
	for (size_t k = 0; k < l->np; k++)
		n += !l->p[k].matched;
	return n;
}

/* UpdateOrCreate: the folder holds item `id`, which pending files were sent to update (their source id): those
 * went, or go, in as updates of it, never as a new item; they are sent again (an update is idempotent). 1 when
 * id is such an item. */
static int updated_in_place(struct lookup *l, const char *id)
{
	uint64_t h = id_hash(id);
	int any = 0;
	for (size_t k = 0; k < l->np; k++)
		if (l->p[k].id_hash == h) {
			l->p[k].matched = l->p[k].matched ? l->p[k].matched : 2;
			any = 1;
		}
	return any;
}

/* 1 when an item with fingerprint fp cannot be a copy of a pending file not found yet: each of those has a
 * fingerprint, and none is fp. Its data is not compared then: a rerun into a folder of many other items lists
 * them, it does not export them all. */
static int ruled_out(const struct lookup *l, const char *fp)
{
	if (!*fp)
		return 0;
	for (size_t k = 0; k < l->np; k++)
		if (!l->p[k].matched && (!l->p[k].fp[0] || !strcmp(l->p[k].fp, fp)))
			return 0;
	return 1;
}

/* 1 when a pending file not found yet has a fingerprint: the listing asks for the fields then. */
static int fingerprints_wanted(const struct lookup *l)
{
	for (size_t k = 0; k < l->np; k++)
		if (!l->p[k].matched && l->p[k].fp[0])
			return 1;
	return 0;
}

/* Room in l->seen for `more` hashes past the `tail` ones a look appended (unsorted, beyond nseen: was_seen does
 * not see them before the look ends). -1 when out of memory. */
static int seen_room(struct lookup *l, size_t tail, size_t more)
{
	size_t need = l->nseen + tail + more;
	if (need <= l->capseen)
		return 0;
	uint64_t *ns = realloc(l->seen, need * 2 * sizeof *ns);
	if (!ns)
		return -1;
	l->seen = ns;
	l->capseen = need * 2;
	return 0;
}

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* One look in the target folder: its items not made through this journal, matched with the pending files still
 * unmatched by fingerprint where that names one file, else (unless their fingerprint rules them out) exported
 * and compared byte for byte. */
static ews_status look_up(ews_client *c, struct lookup *l, const char *folder)
{
	ews_item_ref *cand = NULL;          /* the ids are this function's (strdup'd) */
	size_t ncand = 0, capc = 0;
	size_t tail = 0;                    /* hashes appended to l->seen by this look (the items ruled out) */
	ews_pager *pg = NULL;
	ews_item_view it;
	char fp[EWS_FINGERPRINT_LEN + 1] = "";
	const int fps = fingerprints_wanted(l);
	ews_status st = ews_pager_new_items(c, &(ews_pager_options){ .folder = folder, .page_size = 500,
	                                                            .shape = "IdOnly", .no_anchor = 1,
	                                                            .properties = fps ? ews_fingerprint_fields : NULL },
	                                    &pg);
	while (ews_ok(st) && ews_ok(st = ews_pager_next(pg, &it)) && it.id) {
		if (ours(l->j, it.id) || was_seen(l, it.id))
			continue;
		if (l->update_or_create && updated_in_place(l, it.id))
			continue; /* the item a pending file was sent to update: not a copy of anything */
		struct pend *p = fps && ews_item_fingerprint(&it, fp) ? by_fingerprint(l, fp) : NULL;
		if (p) {
			st = found(l, p, it.id); /* (now the journal's: never a candidate again) */
			continue;
		}
		if (ruled_out(l, fp)) {
			if (seen_room(l, tail, 1)) {
				st = nomem();
				break;
			}
			l->seen[l->nseen + tail++] = id_hash(it.id);
			continue;
		}
		if (ncand == capc) {
			size_t cap = capc ? capc * 2 : 64;
			ews_item_ref *nc = realloc(cand, cap * sizeof *nc);
			if (!nc) {
				st = nomem();
				break;
			}
			cand = nc;
			capc = cap;
		}
		if (!(cand[ncand].id = strdup(it.id)))
			st = nomem();
		else
			cand[ncand++].change_key = NULL;
	}
	ews_pager_free(pg);
	if (ews_ok(st) && ncand && unmatched(l))
		st = ews_export_items_each(c, cand, ncand, 50, match_one, l);
	/* the candidates not matched now never will be (an item's data is what it was created with), nor the items
	 * ruled out */
	if (ews_ok(st) && seen_room(l, tail, ncand))
		st = nomem();
	for (size_t k = 0; ews_ok(st) && k < ncand; k++)
		if (!ours(l->j, cand[k].id))
			l->seen[l->nseen + tail++] = id_hash(cand[k].id);
	l->nseen += tail;
	if (tail)
		qsort(l->seen, l->nseen, sizeof *l->seen, cmp_u64);
	for (size_t k = 0; k < ncand; k++)
		free((char *)cand[k].id);
	free(cand);
	return st;
}

/* The journal line of a failed item into out (room for the file name + 8 + the message): "E", the file, the
 * message without tabs or line breaks. Its length. */
static int failed_line(char *out, const char *file, const char *message)
{
	int n = sprintf(out, "E\t%s\t", file);
	for (const char *q = message; *q; q++)
		out[n++] = *q == '\t' || *q == '\n' || *q == '\r' ? ' ' : *q;
	out[n++] = '\n';
	out[n] = '\0';
	return n;
}

/* An item that cannot be read: journaled failed (E), counted and reported. */
static ews_status unreadable(struct journal *j, const ews_upload_dir_options *o, ews_transfer_summary *s,
                             const char *file, ews_status why, ews_status *first)
{
	char *line = malloc(strlen(file) + strlen(why.message) + 8);
	if (!line)
		return nomem();
	int n = failed_line(line, file, why.message);
	ews_status st = jappend(j, line, (size_t)n);
	if (ews_ok(st))
		st = jset(j, file, J_FAILED, NULL);
	free(line);
	if (!ews_ok(st))
		return st;
	s->attempted++;
	s->failed++;
	if (ews_ok(*first))
		*first = why;
	if (o->on_item)
		o->on_item(o->arg, &(ews_item_event){ .kind = EWS_ITEM_FAILED, .file = file, .status = why });
	return st;
}

/* Items the journal left pending: find them in the target folder (items not made through this journal, whose
 * exported data equals a pending file's), record them; the others are sent again.
 * A killed client does not stop the server: a batch sent just before the kill may still be going in while the
 * rerun looks. So when a pending file is not found and its batch left less than settle_ms ago, the rerun keeps
 * looking until then (after 0.5, 1, 2, 4 s, then every 4 s: each look lists the folder and exports only its items
 * new since the last), and stops waiting once every pending file is found; what is still missing is sent again. */
static ews_status recover(ews_client *c, struct journal *j, ews_manifest *m, const char *folder,
                          const ews_upload_dir_options *o, ews_transfer_summary *s)
{
	struct lookup l = { .j = j, .update_or_create = o->action == EWS_UPLOAD_UPDATE_OR_CREATE, .o = o, .s = s };
	ews_status st = ews_status_ok();
	for (size_t i = 0; i < j->n; i++)
		if (j->e[i].state == J_PENDING)
			l.np++;
	if (!l.np)
		return st;
	if (!(l.p = calloc(l.np, sizeof *l.p)))
		return nomem();
	/* the pending items' data, through the manifest (a file each, or the pack): its entries in order */
	size_t want = l.np;
	l.np = 0;
	long long newest = 0;
	for (size_t i = 0, n = ews_manifest_count(m); ews_ok(st) && l.np < want && i < n; i++) {
		const ews_manifest_entry *e = ews_manifest_entry_at(m, i);
		if (!e) {
			st = ews_manifest_error(m);
			break;
		}
		const struct jent *je = jfind(j, e->file);
		if (!je || je->state != J_PENDING)
			continue;
		struct pend *p = &l.p[l.np];
		p->file = je->file;
		p->sent_ms = je->sent_ms;
		snprintf(p->fp, sizeof p->fp, "%s", e->fingerprint ? e->fingerprint : "");
		p->id_hash = id_hash(e->id);
		if (ews_ok(ews_manifest_read_item(m, e, (size_t)256 << 20, &p->data, &p->len)))
			l.np++; /* an unreadable file was not sent either */
	}
	if (ews_ok(st))
		st = look_up(c, &l, folder);
	long settle = o->settle_ms > 0 ? o->settle_ms : o->settle_ms < 0 ? 0 : EWS_UPLOAD_SETTLE_MS;
	for (size_t k = 0; k < l.np; k++)
		if (!l.p[k].matched && l.p[k].sent_ms > newest)
			newest = l.p[k].sent_ms;
	long long wait = newest ? newest + settle - now_ms() : 0;
	if (ews_ok(st) && wait > 0) {
		if (wait > settle)
			wait = settle; /* the clock went back: wait no longer than asked */
		ews_log(c, EWS_LOG_WARNING, "%zu item(s) of a batch sent just before the last run was interrupted are not "
		        "in the folder yet: the server may still be creating them; looking again for up to %lld s before "
		        "sending them again", unmatched(&l), (wait + 999) / 1000);
		long long until = now_ms() + wait, step = 500;
		while (ews_ok(st) && unmatched(&l) && !(o->stop && *o->stop)) {
			long long next = now_ms() + step, left = until - now_ms();
			if (next > until)
				next = until;
			while (now_ms() < next && !(o->stop && *o->stop))
				nanosleep(&(struct timespec){ 0, 50 * 1000000L }, NULL);
			if (o->stop && *o->stop)
				break; /* stopped: the run ends before sending anything */
			st = look_up(c, &l, folder);
			if (left <= step)
				break; /* that was the look at the end of the wait */
			step = step < 4000 ? step * 2 : 4000;
		}
	}
	free(l.seen);
	/* what was not found goes again (and UpdateOrCreate's updates) */
	for (size_t k = 0; ews_ok(st) && k < l.np; k++)
		if (l.p[k].matched != 1)
			st = jset(j, l.p[k].file, J_NONE, NULL);
	for (size_t k = 0; k < l.np; k++)
		free(l.p[k].data);
	free(l.p);
	return st;
}

static const char *action_name(ews_upload_action a)
{
	return a == EWS_UPLOAD_UPDATE ? "update" : a == EWS_UPLOAD_UPDATE_OR_CREATE ? "update-or-create" : "create-new";
}

/* Per-item failures that leave the item not created (its own file, or the server said no). */
static int item_failure(ews_status st)
{
	return st.code == EWS_ERR_RESPONSE || st.code == EWS_ERR_ARGUMENT || st.code == EWS_ERR_NOT_FOUND ||
	       st.code == EWS_ERR_FILE || st.code == EWS_ERR_TOO_LARGE || st.code == EWS_ERR_FORMAT;
}

ews_status ews_upload_dir(ews_client *c, const char *dir, const ews_upload_dir_options *opt,
                          ews_transfer_summary *s)
{
	ews_upload_dir_options o = { 0 };
	ews_transfer_summary dummy;
	struct journal j = { 0 };
	ews_manifest *m = NULL;
	char *folder = NULL, *header = NULL;
	if (!s)
		s = &dummy;
	memset(s, 0, sizeof *s);
	j.lockfd = -1;
	j.fd = -1;
	if (opt)
		o = *opt;
	if (!c || !dir || !*dir || !o.folder || !*o.folder)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_upload_dir: no client, directory or folder");
	if (o.batch_size <= 0 || o.batch_size > 500)
		o.batch_size = 20;
	ews_status st = ews_manifest_open(dir, NULL, NULL, &m);
	if (ews_ok(st) && !ews_manifest_version(m))
		st = ews_status_make(EWS_ERR_NOT_FOUND, "%.200s/manifest.tsv: no manifest (is this an export directory?)",
		                     dir);
	if (ews_ok(st))
		st = ews_export_folder_id(c, o.folder, &folder);
	const char *mailbox = o.mailbox ? o.mailbox : "";
	if (ews_ok(st) && (strpbrk(mailbox, "\t\n") || strpbrk(folder, "\t\n")))
		st = ews_status_make(EWS_ERR_ARGUMENT, "ews_upload_dir: a tab or newline in the mailbox or folder");
	if (ews_ok(st)) {
		header = malloc(strlen(mailbox) + strlen(folder) + 128);
		char name[32], *key = header ? malloc(strlen(mailbox) + strlen(folder) + 32) : NULL;
		if (key) {
			sprintf(header, JOURNAL_HEADER "mailbox=%s\tfolder=%s\taction=%s\n", mailbox, folder,
			        action_name(o.action));
			sprintf(key, "%s\n%s\n%s", mailbox, folder, action_name(o.action));
			ews_manifest_file_name(key, name);
			name[16] = '\0';
			j.path = o.journal ? strdup(o.journal) : malloc(strlen(dir) + 48);
			if (j.path && !o.journal)
				sprintf(j.path, "%s/upload-%s.journal", dir, name);
		}
		st = key && j.path ? lock_journal(&j) : nomem();
		if (ews_ok(st))
			st = journal_open(&j, header, o.again);
		free(key);
	}
	if (ews_ok(st) && o.action != EWS_UPLOAD_UPDATE)
		st = recover(c, &j, m, folder, &o, s);
	for (size_t i = 0; ews_ok(st) && i < j.n; i++)
		if (j.e[i].state == J_PENDING)
			j.e[i].state = J_NONE; /* Update: idempotent, sent again */

	size_t n = ews_manifest_count(m), next = 0;
	for (size_t i = 0; i < n; i++)
		s->total += o.include_deleted || !ews_manifest_deleted_at(m, i);
	/* a batch's entries: the manifest reads one back at a time, so their file names and ids are kept here
	 * (src[i]: the file name inside paths[i]) */
	ews_upload_item *items = calloc((size_t)o.batch_size, sizeof *items);
	const char **src = calloc((size_t)o.batch_size, sizeof *src);
	char **paths = calloc((size_t)o.batch_size, sizeof *paths), **ids = calloc((size_t)o.batch_size, sizeof *ids);
	unsigned char **datas = calloc((size_t)o.batch_size, sizeof *datas); /* packed: the items' data, read here */
	if (ews_ok(st) && (!items || !src || !paths || !ids || !datas))
		st = nomem();
	long todo = ews_ok(st) ? 0 : -1; /* -1: stopped before the journal said what is left (a folder not found ...) */
	for (size_t i = 0; ews_ok(st) && i < n; i++) {
		if (!o.include_deleted && ews_manifest_deleted_at(m, i))
			continue;
		const ews_manifest_entry *me = ews_manifest_entry_at(m, i);
		const struct jent *e = me ? jfind(&j, me->file) : NULL;
		if (!me)
			st = ews_manifest_error(m);
		else if (e && e->state == J_DONE)
			s->skipped++;
		else
			todo++;
	}
	s->skipped -= s->recovered; /* found just now: counted as recovered, not as done before */
	ews_status first = ews_status_ok();
	long handled = 0;
	while (ews_ok(st) && next < n) {
		if (o.stop && *o.stop) {
			s->interrupted = 1;
			break;
		}
		/* the next batch: entries not done yet */
		size_t k = 0, plen = 0;
		for (; next < n && k < (size_t)o.batch_size; next++) {
			if (ews_manifest_deleted_at(m, next) && !o.include_deleted)
				continue;
			const ews_manifest_entry *e = ews_manifest_entry_at(m, next);
			if (!e) {
				st = ews_manifest_error(m);
				break;
			}
			const struct jent *je = jfind(&j, e->file);
			if (je && je->state == J_DONE)
				continue;
			if (!(paths[k] = malloc(strlen(dir) + strlen(e->file) + 2)) || !(ids[k] = strdup(e->id))) {
				free(paths[k]);
				st = nomem();
				break;
			}
			sprintf(paths[k], "%s/%s", dir, e->file);
			src[k] = paths[k] + strlen(dir) + 1;
			items[k] = (ews_upload_item){ .path = paths[k], .parent_folder_id = folder, .item_id = ids[k],
			                              .action = o.action };
			size_t dlen = 0;
			ews_status rs = ews_manifest_version(m) == 3
			              ? ews_manifest_read_item(m, e, (size_t)256 << 20, &datas[k], &dlen) : ews_status_ok();
			if (!ews_ok(rs)) {
				/* a packed item whose data cannot be read (a damaged pack): failed here, nothing sent; a
				 * rerun tries it again */
				st = unreadable(&j, &o, s, e->file, rs, &first);
				handled++;
				free(paths[k]);
				free(ids[k]);
				continue;
			}
			items[k].data = datas[k], items[k].len = dlen; /* (NULL: read from the file by the upload) */
			plen += strlen(e->file) + 4;
			k++;
		}
		if (!k || !ews_ok(st)) {
			for (size_t i = 0; i < k; i++) {
				free(paths[i]);
				free(ids[i]);
				free(datas[i]);
				datas[i] = NULL;
			}
			break;
		}
		/* before sending: these items' outcome is unknown from now on, durably */
		long long sent = now_ms();
		char *buf = malloc(plen + (size_t)k * 24 + 1), *p = buf;
		for (size_t i = 0; buf && i < k; i++)
			p += sprintf(p, "P\t%s\t%lld\n", src[i], sent);
		st = buf ? jappend(&j, buf, (size_t)(p - buf)) : nomem();
		free(buf);
		ews_transfer_result *r = NULL;
		ews_status bs = ews_ok(st) ? ews_upload_items_from_files(c, items, k, &(ews_transfer_options){
		                                                          .batch_size = (int)k }, &r)
		                           : st;
		size_t rlen = 1;
		for (size_t i = 0; r && i < k; i++)
			rlen += strlen(src[i]) + (r[i].id ? strlen(r[i].id) : 0) + (r[i].change_key ? strlen(r[i].change_key) : 0) +
			        strlen(r[i].status.message) + 8;
		char *lines = r ? malloc(rlen) : NULL;
		/* the request as a whole failed (connection lost, answer cut or garbled): its items' outcome is unknown;
		 * they stay pending and the run stops (the rerun looks them up) */
		int whole = !r || (!ews_ok(bs) && !item_failure(bs));
		int oks = 0;
		p = lines;
		for (size_t i = 0; lines && i < k; i++) {
			if (ews_ok(r[i].status) && r[i].id) {
				p += sprintf(p, "U\t%s\t%s\t%s\n", src[i], r[i].id, r[i].change_key ? r[i].change_key : "");
				oks++;
			} else if (!whole && item_failure(r[i].status)) {
				p += failed_line(p, src[i], r[i].status.message);
			}
		}
		if (r && !lines)
			st = nomem();
		else if (lines && p > lines)
			st = jappend(&j, lines, (size_t)(p - lines));
		free(lines);
		/* reported only once durable */
		long done_before = s->done + s->failed;
		for (size_t i = 0; r && ews_ok(st) && i < k; i++) {
			int ok = ews_ok(r[i].status) && r[i].id;
			if (ok) {
				st = jset(&j, src[i], J_DONE, r[i].id);
				s->attempted++;
				s->done++;
			} else if (!whole && item_failure(r[i].status)) {
				st = jset(&j, src[i], J_FAILED, NULL);
				s->attempted++;
				s->failed++;
				if (ews_ok(first))
					first = r[i].status;
			} else {
				continue; /* not sent, or outcome unknown: the rerun looks it up */
			}
			if (o.on_item)
				o.on_item(o.arg, &(ews_item_event){ .kind = ok ? EWS_ITEM_UPLOADED : EWS_ITEM_FAILED,
				                                      .file = src[i], .id = ok ? r[i].id : NULL,
				                                      .bytes = r[i].bytes, .status = r[i].status });
		}
		if (whole && ews_ok(st) && bs.code == EWS_ERR_OUTCOME_UNKNOWN) {
			/* sent, the answer lost: attempted (not "not attempted"), outcome unknown until the rerun looks */
			long known = s->done + s->failed - done_before;
			s->attempted += (long)k - known;
			s->unknown += (long)k - known;
		}
		if (whole && ews_ok(st))
			st = bs;
		/* a wrong folder or server: every item of the first batch refused, none in */
		if (ews_ok(st) && !s->done && !oks && k > 1 && handled == 0 && s->failed == (long)k)
			st = first;
		ews_transfer_results_free(r, k);
		for (size_t i = 0; i < k; i++) {
			free(paths[i]);
			free(ids[i]);
			free(datas[i]);
			datas[i] = NULL;
		}
		handled += (long)k;
		if (ews_ok(st) && o.progress && o.progress(o.arg, handled, todo)) {
			s->interrupted = 1;
			break;
		}
	}
	s->not_attempted = (todo >= 0 ? todo : s->total) - s->attempted;
	if (s->not_attempted <= 0) {
		s->not_attempted = 0;
		s->interrupted = 0;
	}
	free(items);
	free(src);
	free(paths);
	free(ids);
	free(datas);
	free(header);
	free(folder);
	journal_free(&j);
	ews_manifest_close(m);
	if (!ews_ok(st))
		return st;
	return first;
}
