/* <DESC> ews-backup: incremental, crash-safe backup of a whole mailbox into a directory; restore into the same or
 * another mailbox (exactly once, resumable); verify a backup against a live mailbox </DESC>
 *
 *   ews-backup --dir DIR [--json]              back up (every folder under msgfolderroot and, when the mailbox
 *                                              has an archive, under archivemsgfolderroot; run again: only changes)
 *   ews-backup restore --dir DIR [--json]      rebuild the folder tree in the mailbox acted as, upload the items
 *   ews-backup verify --dir DIR [--json] [--by-fingerprint]
 *                                              compare the backup with the live mailbox, print every difference
 *
 * DIR/backup.tsv lists the folders ("# ews-backup 2 mailbox=M", then FOLDER ID, PARENT ID, DIR, live|deleted,
 * CLASS, NAME, WELL-KNOWN: the distinguished name of a well-known folder such as "inbox", else empty; version 1
 * had no WELL-KNOWN column and is read too); DIR/hierarchy.state is the SyncFolderHierarchy state; each folder has a directory named by its
 * id (renames are followed, the directory stays) holding an export directory (ews/export.h: manifest + one file
 * per item) and items.state, its SyncFolderItems state. A run syncs the hierarchy, then each folder: created and
 * changed items are exported (ews_export_to_dir), deleted ones (and moved-away ones) marked deleted in the
 * manifest; each state is saved only after what it covers is durable, so a run killed anywhere is repeated from
 * there by the next. An item the manifest holds with the change key the sync reports is not exported again (a
 * repeated batch; a sync started over). A state that is unusable (its file damaged, or refused by the server as
 * ErrorInvalidSyncStateData) is said on stderr and that sync started over at once; a folder then answering
 * ErrorFolderNotFound (deleted while the folder list's state was lost) is recorded deleted. Restore maps each
 * folder onto the mailbox's own: a well-known one onto that mailbox's folder of the same distinguished id
 * (whatever its name there), any other by name (case-insensitively, as Exchange compares them) under its restored
 * parent, creating only the missing ones, so a fresh mailbox's Inbox or a second restore is never duplicated;
 * then it uploads with
 * ews_upload_dir (a journal per target folder: exactly once across reruns). Verify exports the live items and
 * compares counts, ids and change keys (same mailbox), fingerprints item by item (another mailbox: ews/export.h)
 * and the exported bytes (not with --by-fingerprint: Exchange's restored copies do not export as the backup).
 * The archive mailbox, when the mailbox has one (SyncFolderHierarchy of archivemsgfolderroot answers; a mailbox
 * without one answers ErrorFolderNotFound), is backed up beside it: its hierarchy state in
 * DIR/archive-hierarchy.state, its top a folder of the list (WELL-KNOWN archivemsgfolderroot), its folders hanging
 * from it, so that restore maps them back into the target's archive (and says so when the target has none).
 * Build alone: cc backup.c $(pkg-config --cflags --libs libews)
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "soapH.h"
#include "ews/ews.h"
#include "ews/cli.h"
#include "ews/export.h"
#include "ews/pager.h"
#include "ews/sync.h"

static void usage(FILE *f)
{
	fputs("usage: ews-backup [restore | verify] --dir DIR [options]\n"
	      "Back up every folder of a mailbox into DIR, incrementally (a second run moves only the changes);\n"
	      "restore a backup into the mailbox acted as (the same or another: a migration), exactly once and\n"
	      "resumable; verify a backup against the live mailbox. One run at a time: a backup of DIR, or a\n"
	      "restore from it into the same mailbox, started while another runs is refused (\"in use\").\n\n"
	      "  --dir DIR          the backup directory\n"
	      "  --batch N          items per ExportItems call at most / per UploadItems call, 1..500 (default\n"
	      "                     256 / 20); backup asks SyncFolderItems for four batches' changes a call\n"
	      "                     (100..512)\n"
	      "  --batch-kib N      backup: an ExportItems batch ends before its items' sizes (as the server says\n"
	      "                     them) pass N KiB, so that a batch of large items takes no more memory than one\n"
	      "                     of small ones (default 2048; 0: --batch items a batch, whatever their size)\n"
	      "  --settle SECONDS   restore after a kill: how long the server may still be creating the batch that\n"
	      "                     was in flight; items not found are looked for until found or that long\n"
	      "                     (default 30)\n"
	      "  --journals DIR     restore: keep the record of what went in (a journal per folder) and the lock in\n"
	      "                     DIR instead of beside the backup: for a backup on read-only media; a rerun\n"
	      "                     must give the same DIR\n"
	      "  --one-connection   backup: one request at a time on one connection (default: three connections;\n"
	      "                     the next ExportItems batches and the next SyncFolderItems answer are asked for\n"
	      "                     while one batch is written, and read when their turn comes: faster against a\n"
	      "                     distant server, one batch decoded in memory either way, ~0.3 MiB more)\n"
	      "  --files            backup: a folder new to the backup gets a file per item (FOLDER/HASH.ews) instead\n"
	      "                     of one pack file per folder (the default; ~20 us less kernel CPU per item); a\n"
	      "                     folder keeps the layout it was made with\n"
	      "  --by-fingerprint   verify: compare the items by their fingerprints (ItemClass, Subject, sent and\n"
	      "                     received times, InternetMessageId), not their exported data: for a restore into\n"
	      "                     another mailbox on Exchange, whose copies do not export as the backed-up data\n"
	      "                     (verify of another mailbox compares the fingerprints item by item anyway)\n\n"
	      "example: ews-backup --dir bk && EWS_USER=b@example.com ews-backup restore --dir bk\n\n", f);
	fputs(EWS_CLI_COMMON_HELP, f);
}

/* ---- the folder table (backup.tsv) ---- */
struct folder {
	char *id, *parent, *dir, *cls, *name;
	char *wk;                           /* distinguished name of a well-known folder, "" for any other */
	int deleted;
	char *target;                       /* restore/verify: the folder in the live mailbox */
};

struct table {
	char *mailbox;
	struct folder *f;
	int n, cap;
};

static struct folder *find_folder(struct table *t, const char *id)
{
	for (int i = 0; i < t->n; i++)
		if (!strcmp(t->f[i].id, id))
			return &t->f[i];
	return NULL;
}

static char *clean(const char *s)
{
	char *d = strdup(s ? s : "");
	for (char *p = d; p && *p; p++)
		if (*p == '\t' || *p == '\n' || *p == '\r')
			*p = ' ';
	return d;
}

static void set(char **slot, const char *v)
{
	free(*slot);
	*slot = clean(v);
}

static struct folder *upsert(struct table *t, const char *id)
{
	struct folder *f = find_folder(t, id);
	if (f)
		return f;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->f = realloc(t->f, (size_t)t->cap * sizeof *t->f);
	}
	f = &t->f[t->n++];
	memset(f, 0, sizeof *f);
	f->id = strdup(id);
	char name[32];
	ews_manifest_file_name(id, name);
	name[16] = '\0';
	f->dir = malloc(20);
	snprintf(f->dir, 20, "f%.16s", name);
	f->parent = strdup("");
	f->cls = strdup("");
	f->name = strdup("");
	f->wk = strdup("");
	return f;
}

static void table_free(struct table *t)
{
	for (int i = 0; i < t->n; i++) {
		free(t->f[i].id);
		free(t->f[i].parent);
		free(t->f[i].dir);
		free(t->f[i].cls);
		free(t->f[i].name);
		free(t->f[i].wk);
		free(t->f[i].target);
	}
	free(t->f);
	free(t->mailbox);
}

#define TABLE_HEADER "# ews-backup 2 mailbox="
#define TABLE_HEADER_V1 "# ews-backup 1 mailbox="

/* A folder's directory as upsert names it ("f" and hex digits): one name inside the backup, never a path out of
 * it. A damaged table's other names are refused, not followed (a backup would write there, a restore read). */
static int our_dir_name(const char *d)
{
	size_t n = strlen(d);
	return n >= 2 && n <= 32 && d[0] == 'f' && strspn(d + 1, "0123456789abcdef") == n - 1;
}

static const struct table *sort_table;   /* (qsort and bsearch take no argument for their comparison) */
static int by_id(const void *a, const void *b)
{
	return strcmp(sort_table->f[*(const int *)a].id, sort_table->f[*(const int *)b].id);
}

static int id_is(const void *id, const void *b)
{
	return strcmp(id, sort_table->f[*(const int *)b].id);
}

/* For restore and verify, which place each folder under its parent: the parents must lead to the top. In a cycle
 * (a damaged table) no folder of it can be placed before the other, and they would be passed over without a word.
 * (Not checked for a backup: a hierarchy sync that moved two folders may leave one cycle between two of its
 * batches, which its next batch undoes.) The first such folder named in the error. */
static ews_status table_check_parents(const struct table *t)
{
	int n = t->n, *order = malloc((size_t)(n ? n : 1) * sizeof *order), *up = malloc((size_t)(n ? n : 1) * sizeof *up);
	char *state = calloc((size_t)(n ? n : 1), 1);   /* 0 not seen, 1 on the walk now, 2 leads to the top */
	ews_status st = ews_status_ok();
	if (!order || !up || !state) {
		st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (int i = 0; i < n; i++)
		order[i] = i;
	sort_table = t;
	qsort(order, (size_t)n, sizeof *order, by_id);
	for (int i = 0; i < n; i++) {   /* each folder's parent by index (-1: not in the table, the top) */
		const int *p = bsearch(t->f[i].parent, order, (size_t)n, sizeof *order, id_is);
		up[i] = p ? *p : -1;
	}
	for (int i = 0; i < n && ews_ok(st); i++) {
		int j = i;
		while (j >= 0 && !state[j]) {
			state[j] = 1;
			j = up[j];
		}
		if (j >= 0 && state[j] == 1)
			st = ews_status_make(EWS_ERR_FORMAT, "the backup's folder list (backup.tsv) is damaged: the parents of "
			                     "folder \"%.100s\" lead back to it", t->f[j].name);
		for (j = i; j >= 0 && state[j] == 1; j = up[j])
			state[j] = 2;
	}
out:
	free(order);
	free(up);
	free(state);
	return st;
}

static ews_status table_load(const char *dir, struct table *t)
{
	char path[4200], *data = NULL;
	size_t len;
	snprintf(path, sizeof path, "%s/backup.tsv", dir);
	ews_status st = ews_cli_read_file(path, 0, &data, &len);
	if (!ews_ok(st))
		return st;
	int columns = !strncmp(data, TABLE_HEADER, strlen(TABLE_HEADER)) ? 7
	            : !strncmp(data, TABLE_HEADER_V1, strlen(TABLE_HEADER_V1)) ? 6 : 0;
	if (!columns) {
		free(data);
		return ews_status_make(EWS_ERR_FORMAT, "%.200s is not an ews-backup folder list", path);
	}
	char *save = NULL, *line = strtok_r(data, "\n", &save);
	t->mailbox = strdup(line + strlen(TABLE_HEADER));
	while ((line = strtok_r(NULL, "\n", &save))) {
		char *f[7] = { line, NULL, NULL, NULL, NULL, NULL, "" };
		int k = 1;
		for (char *p = line; k < columns && (p = strchr(p, '\t')); k++) {
			*p++ = '\0';
			f[k] = p;
		}
		if (k != columns) {
			free(data);
			return ews_status_make(EWS_ERR_FORMAT, "%.200s: a line that is not a folder line", path);
		}
		if (!our_dir_name(f[2])) {
			ews_status st2 = ews_status_make(EWS_ERR_FORMAT, "%.200s: damaged: a folder's directory \"%.40s\" is "
			                                 "not one this tool names", path, f[2]);
			free(data);   /* (after the message: f[2] is in it) */
			return st2;
		}
		struct folder *fo = upsert(t, f[0]);
		set(&fo->parent, f[1]);
		set(&fo->dir, f[2]);
		fo->deleted = !strcmp(f[3], "deleted");
		set(&fo->cls, f[4]);
		set(&fo->name, f[5]);
		set(&fo->wk, f[6]);
	}
	free(data);
	return ews_status_ok();
}

static ews_status table_save(const char *dir, const struct table *t)
{
	size_t cap = 64 + strlen(t->mailbox);
	for (int i = 0; i < t->n; i++)
		cap += strlen(t->f[i].id) + strlen(t->f[i].parent) + strlen(t->f[i].dir) + strlen(t->f[i].cls) +
		       strlen(t->f[i].name) + strlen(t->f[i].wk) + 16;
	char *buf = malloc(cap), *p = buf, path[4200];
	if (!buf)
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	p += sprintf(p, TABLE_HEADER "%s\n", t->mailbox);
	for (int i = 0; i < t->n; i++)
		p += sprintf(p, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t->f[i].id, t->f[i].parent, t->f[i].dir,
		             t->f[i].deleted ? "deleted" : "live", t->f[i].cls, t->f[i].name, t->f[i].wk);
	snprintf(path, sizeof path, "%s/backup.tsv", dir);
	ews_status st = ews_cli_write_file(path, buf, (size_t)(p - buf));
	free(buf);
	return st;
}

/* ---- well-known folders: their distinguished ids ---- */
static const char *const well_known[] = {
	"inbox", "outbox", "sentitems", "deleteditems", "drafts", "junkemail", "calendar", "contacts", "tasks",
	"notes", "journal", "conversationhistory", "archive", "scheduled", "syncissues", "conflicts",
	"localfailures", "serverfailures", "recoverableitemsroot", "quickcontacts",
	/* the archive mailbox's: its top is a folder of the table, so that its folders restore into the target's
	 * archive (a target without one gets none of them: reported) */
	"archivemsgfolderroot", "archiveinbox", "archivedeleteditems"
};
#define N_WELL_KNOWN (sizeof well_known / sizeof *well_known)

/* ids[k] = the mailbox's folder id of well_known[k] (malloc'd), NULL when the server has no such folder or the
 * schema no such name. One GetFolder (IdOnly) for them all. */
static ews_status resolve_well_known(ews_client *c, char *ids[N_WELL_KNOWN])
{
	struct soap *a = ews_client_arena(c);
	const char *names[N_WELL_KNOWN];
	int idx[N_WELL_KNOWN], n = 0;
	memset(ids, 0, N_WELL_KNOWN * sizeof *ids);
	for (size_t k = 0; k < N_WELL_KNOWN; k++)
		if (ews_cli_distinguished_name(a, well_known[k])) {    /* names the bindings' schema knows */
			idx[n] = (int)k;
			names[n++] = well_known[k];
		}
	struct ewsmsg__GetFolderType *req = soap_new_ewsmsg__GetFolderType(a, 1);
	if (!req || !(req->FolderShape = soap_new_ewstype__FolderResponseShapeType(a, 1)) ||
	    !(req->FolderIds = ews_cli_folder_ids_n(a, names, n))) {
		ews_client_arena_reset(c);
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	}
	req->FolderShape->BaseShape = ewstype__DefaultShapeNamesType__IdOnly;
	struct __ewsmsg__GetFolderResponse resp = { 0 };
	ews_status st = ews_get_folder(c, req, &resp);
	if (st.code == EWS_ERR_RESPONSE)
		st = ews_status_ok();   /* some of them missing on this server: those stay NULL */
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs = ews_ok(st) ? ews_response_messages_of("GetFolder", &resp)
	                                                                   : NULL;
	for (int k = 0; ews_ok(st) && k < n && k < ews_response_messages_count(msgs); k++) {
		ews_response_message m;
		if (ews_response_messages_get(msgs, k, &m) || m.response_class == EWS_RESPONSE_ERROR || !m.message)
			continue;
		const struct ewstype__ArrayOfFoldersType *fs = ((const struct ewsmsg__FolderInfoResponseMessageType *)m.message)->Folders;
		/* every folder type starts with FolderType's members (wsdl2h -F flattens the base) */
		const struct ewstype__FolderType *f = fs && fs->__size_ArrayOfFoldersType > 0
			? fs->__union_ArrayOfFoldersType[0].union_ArrayOfFoldersType.Folder : NULL;
		if (f && f->FolderId && f->FolderId->Id)
			ids[idx[k]] = strdup(f->FolderId->Id);
	}
	ews_client_release(c);
	ews_client_arena_reset(c);
	return st;
}

static void free_well_known(char *ids[N_WELL_KNOWN])
{
	for (size_t k = 0; k < N_WELL_KNOWN; k++)
		free(ids[k]);
}

/* ---- one run at a time ----
 * A second backup of one directory (cron starting it while the first still runs) would race the first on every
 * state and manifest; a second restore into the same mailbox, on creating its folders. So a backup locks the
 * backup directory, a restore a lock file in it named after the target mailbox (restores into other mailboxes
 * run side by side). The lock is the process's: released when it ends, also when killed. */
static int run_lock = -1;

static ews_status lock_run(const char *path, int is_dir)
{
	if (run_lock >= 0)
		return ews_status_ok();
	ews_status st = ews_run_lock(path, is_dir, is_dir ? "ews-backup run" : "ews-backup restore into this mailbox",
	                             &run_lock);
	return is_dir && st.code == EWS_ERR_NOT_FOUND ? ews_status_ok() : st; /* a new backup: locked once it is made */
}

/* ---- backup ---- */
struct totals {
	long folders, exported, deleted, failed, calls, uploaded, recovered, skipped, differences;
	long not_attempted;                 /* items a stopped run did not get to (the next run does)             */
	long unreached;                     /* folders after the one a run stopped at (error or Ctrl-C)           */
};

/* The folders of t from i on, which a run that stopped before folder i did not get to: every folder not deleted
 * (backup); a restore's, those with a target and items backed up (restore_dir: the backup's directory). */
static long folders_from(const struct table *t, int i, const char *restore_dir)
{
	long n = 0;
	for (; i < t->n; i++) {
		char m[4300];
		struct stat sb;
		if (restore_dir)
			snprintf(m, sizeof m, "%s/%s/manifest.tsv", restore_dir, t->f[i].dir);
		n += !t->f[i].deleted && (!restore_dir || (t->f[i].target && !stat(m, &sb)));
	}
	return n;
}

/* The plural's "s" of a count's noun. */
#define S(n) ((n) == 1 ? "" : "s")

/* ", N folders not reached" when the run stopped before them, else "" (in buf). */
static const char *unreached_text(char *buf, size_t size, long n)
{
	if (!n)
		return "";
	snprintf(buf, size, ", %ld folder%s not reached", n, S(n));
	return buf;
}

/* Ids, each with the change key the sync reported (NULL where there is none to compare: deletions, read flags). */
struct idlist {
	char **v, **ck;
	long long *size;                    /* the item's size as the sync said it (item:Size), -1 unknown       */
	char (*fp)[EWS_FINGERPRINT_LEN + 1]; /* its fingerprint (ews_item_fingerprint), "" unknown              */
	const char **fpp;                   /* fp's entries, as ews_export_dir_options.fingerprints takes them     */
	size_t n, cap;
};

static int idl_add(struct idlist *l, const char *id, const char *ck, long long size, const ews_item_view *it)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		char **v = realloc(l->v, cap * sizeof *v), **k = v ? realloc(l->ck, cap * sizeof *k) : NULL;
		long long *z = k ? realloc(l->size, cap * sizeof *z) : NULL;
		char (*f)[EWS_FINGERPRINT_LEN + 1] = z ? realloc(l->fp, cap * sizeof *f) : NULL;
		const char **fpp = f ? realloc(l->fpp, cap * sizeof *fpp) : NULL;
		if (v)
			l->v = v;
		if (k)
			l->ck = k;
		if (z)
			l->size = z;
		if (f)
			l->fp = f;
		if (!fpp)
			return -1;
		l->fpp = fpp;
		l->cap = cap;
	}
	l->size[l->n] = size;
	ews_item_fingerprint(it, l->fp[l->n]);
	l->v[l->n] = strdup(id);
	l->ck[l->n] = ck && *ck ? strdup(ck) : NULL;
	if (!l->v[l->n] || (ck && *ck && !l->ck[l->n])) {
		free(l->v[l->n]);
		free(l->ck[l->n]);
		return -1;
	}
	l->n++;
	return 0;
}

static void idl_clear(struct idlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i]);
		free(l->ck[i]);
	}
	l->n = 0;
}

/* --files: new folders get a file per item instead of a pack (ews_export_dir_options.pack) */
static int file_per_item;

/* The interrupt flag (ews_cli_catch_interrupts: Ctrl-C, SIGTERM) while folders are backed up: a folder's export
 * stops before its next ExportItems batch, not at the folder's end (one of a million items took as long as the
 * rest of the mailbox to notice it). NULL before the folders. */
static volatile int *stopping;

/* ExportItems batches: at most BACKUP_BATCH items (--batch), and fewer when their sizes (item:Size, which the sync
 * asks for) would pass batch_bytes (--batch-kib): what a batch holds in memory is then about the same for any
 * mailbox, ~2.8 MiB of XML at most for 2 MiB of items, where a count alone made 50 mails of 75 KB ~5 MB and 50
 * meeting responses 0.2 MB. Small items go 256 to a call: fewer round trips, and the client's fixed costs (its
 * code, the manifest's index, the sync's answer) spread over more data. */
#define BACKUP_BATCH 256
#define BACKUP_BATCH_KIB 2048
static size_t batch_bytes = (size_t)BACKUP_BATCH_KIB * 1024;

/* What the sync asks for beside the ids: each item's size (the batches by size) and its fingerprint's fields (the
 * manifest records it: a restore killed against Exchange finds the copies it made by it). */
static void sync_props(const char *props[8])
{
	size_t n = 0;
	props[n++] = "item:Size";
	for (size_t i = 0; ews_fingerprint_fields[i] && n < 7; i++)
		props[n++] = ews_fingerprint_fields[i];
	props[n] = NULL;
}

/* The changes applied together (one ews_export_to_dir call, one fsync of the folder's data and manifest, one state
 * saved): at least 512, and four export batches' worth, for the export's pipeline to run: within a call the batches
 * after the first are asked for while one is written, and the first one of each call is not (two batches of 256
 * a call left half of them waited for: 10-15% more wall time against ewsd than four). */
static size_t apply_changes(int batch)
{
	return batch > EWS_SYNC_MAX_CHANGES / 4 ? 4 * (size_t)batch : EWS_SYNC_MAX_CHANGES;
}

/* The changes asked for in a SyncFolderItems call: four export batches' worth, at least 100 and at most
 * SYNC_PAGE_MAX (Exchange allows 512). Why not always the most: an answer of 512 changes decodes into ~0.5 MiB of
 * structs (a MessageType alone is 504 bytes in the bindings), more than a whole ExportItems answer of 50 small
 * items, so at --batch 50 the sync, not the export, would set the backup's peak (bench/README.md, twenty-first
 * session); and with the fingerprints' fields (sync_props) 512 changes a call made the peak at the default batch
 * 2.3x a batch over start where 384 make it 2.0x (twenty-fourth session), with the same wall time. The changes of
 * smaller answers are still applied, made durable and their state saved together (collect_batch). */
#define SYNC_PAGE_MAX 384
static int sync_page(int batch)
{
	int n = batch > SYNC_PAGE_MAX / 4 ? SYNC_PAGE_MAX : 4 * batch;
	return n < 100 ? 100 : n;
}

/* The changes of one sync batch into the folder's export directory (durable before the state moves on). The
 * folder's manifest is opened at its first batch with changes and kept open for the next ones (*man), instead
 * of ews_export_to_dir reading the whole, growing manifest again for each sync batch. */
/* The items of a folder's sync that failed and are not gone (ErrorItemNotFound: deleted since the sync, whose
 * next batch says so): each said, and counted, so that the folder's sync state is not moved past them. */
struct retries {
	ews_cli *cli;
	const char *folder;
	long n;
};

static void count_retry(void *arg, const ews_item_event *ev)
{
	struct retries *r = arg;
	if (ev->kind != EWS_ITEM_FAILED || !strcmp(ev->status.response_code, "ErrorItemNotFound"))
		return;
	r->n++;
	char what[300];
	snprintf(what, sizeof what, "%.100s: %.180s", r->folder, ev->id ? ev->id : "");
	ews_cli_item_error(r->cli, what, ev->status);
}

static ews_status apply_batch(ews_client *c, ews_client *ahead, const char *fdir, const char *mailbox,
                              const char *folder_id, struct idlist *changed, struct idlist *gone, int batch,
                              struct totals *tot, ews_manifest **man, struct retries *retry)
{
	if (!changed->n && !gone->n)
		return ews_status_ok();
	ews_transfer_summary s = { 0 };
	ews_status st = *man ? ews_status_ok() : ews_manifest_open(fdir, mailbox, folder_id, man);
	for (size_t i = 0; i < changed->n; i++)
		changed->fpp[i] = changed->fp[i];
	if (ews_ok(st))
		st = ews_export_to_dir(c, fdir, &(ews_export_dir_options){
			.mailbox = mailbox, .folder = folder_id, .ids = (const char *const *)changed->v,
			.n_ids = changed->n, .force = 1, .change_keys = (const char *const *)changed->ck,
			.deleted_ids = (const char *const *)gone->v, .n_deleted = gone->n, .batch_size = batch,
			.batch_bytes = batch_bytes, .sizes = changed->size, .fingerprints = changed->fpp,
			.manifest = *man, .fetch_client = ahead, .pack = !file_per_item, .stop = stopping,
			.on_item = count_retry, .arg = retry }, &s);
	ews_cli_item_errors_end(retry->cli);
	tot->exported += s.done;
	tot->deleted += s.deleted;
	tot->failed += s.failed;
	tot->not_attempted += s.not_attempted;
	idl_clear(changed);
	idl_clear(gone);
	/* stopped by the user: part of the batch is in, so its state is not saved (the next run syncs it again, and
	 * exports only what it lacks) */
	if (s.interrupted && (ews_ok(st) || st.code == EWS_ERR_RESPONSE))
		return ews_status_make(EWS_ERR_CANCELLED, "interrupted");
	/* an item gone between the sync and the export is not an error of the backup: the next sync deletes it */
	if (st.code == EWS_ERR_RESPONSE && !s.not_attempted)
		st = ews_status_ok();
	return st;
}

/* One SyncFolderItems batch's changes and the state after it (the sync's state once its last change was seen). */
struct sync_batch {
	struct idlist changed, gone;
	char *state;
	int done;                           /* the folder is in sync after this batch                            */
	ews_status st;                      /* the sync failed here (changed/gone then hold nothing to apply)     */
};

/* Reads a folder's sync batch by batch. With a client of its own (sync_client) it runs one batch ahead on a thread:
 * the next SyncFolderItems call goes out while the batch before is exported, and its answer is read when the
 * consumer wants the batch (sync_gate): it waits in the connection's buffers meanwhile, not decoded beside the
 * export's batch. A batch's state is still saved only after its changes are (the consumer saves it). */
struct syncer {
	ews_sync *s;
	struct sync_batch next;             /* the batch being collected: its changes so far                      */
	int threaded, stop, full;
	int wanted;                         /* the consumer waits for a batch: the sync's answers may be read        */
	size_t apply;                       /* changes applied together (apply_changes)                           */
	struct sync_batch out;              /* handed over, not yet taken (full)                                  */
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static void batch_free(struct sync_batch *b)
{
	idl_clear(&b->changed);
	idl_clear(&b->gone);
	free(b->changed.v);
	free(b->changed.ck);
	free(b->changed.size);
	free(b->changed.fp);
	free(b->changed.fpp);
	free(b->gone.v);
	free(b->gone.ck);
	free(b->gone.size);
	free(b->gone.fp);
	free(b->gone.fpp);
	free(b->state);
	memset(b, 0, sizeof *b);
}

/* Where a change goes: gone (deleted), or to be exported unless the manifest has its very change key (create,
 * update: a sync started over after its state was lost, or repeating a batch a killed run had exported, reports
 * items the backup holds already); a read flag change is exported again (its change key is not compared). */
static int add_change(struct sync_batch *b, const ews_sync_change *ch)
{
	if (!ch->item.id)
		return 0;
	if (ch->kind == EWS_SYNC_DELETE)
		return idl_add(&b->gone, ch->item.id, NULL, -1, NULL);
	if (ch->kind == EWS_SYNC_READ_FLAG)
		return idl_add(&b->changed, ch->item.id, NULL, -1, NULL);
	return idl_add(&b->changed, ch->item.id, ch->item.change_key, ch->item.size, &ch->item);
}

/* The batch collected so far handed out as *out, with the state after it; `done`: the folder is in sync. */
static void hand_out(struct syncer *y, struct sync_batch *out, int done)
{
	*out = y->next;
	memset(&y->next, 0, sizeof y->next);
	out->state = strdup(ews_sync_state(y->s));
	out->done = done;
	if (!out->state)
		out->st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
}

/* The next whole batch into *out (its state, or its failure): the changes of sync answers until there are at least
 * y->apply (apply_changes), or the folder is in sync. A sync answer ends at its last change (ews_sync_end_batch): its
 * response is freed then, and the next one asked for only when the next batch is collected, so that exporting a
 * batch's items does not hold the next response as well. Why several answers to a batch: each batch costs an fsync
 * of the folder's data and manifest and a state saved, and answers of four export batches (sync_page) took a tenth
 * more CPU in the bench when each was its own batch. */
static void collect_batch(struct syncer *y, struct sync_batch *out)
{
	ews_sync_change ch;
	ews_status st;
	while (ews_ok(st = ews_sync_next(y->s, &ch))) {
		if (ch.kind == EWS_SYNC_DONE) {   /* (the last batch held no change: ews_sync_next consumed it) */
			hand_out(y, out, 1);
			return;
		}
		if (add_change(&y->next, &ch)) {   /* create, update, read flag: the item's data changed; delete: gone */
			st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
			break;
		}
		int end = ews_sync_end_batch(y->s);
		if (end == 2 || (end && y->next.changed.n + y->next.gone.n >= y->apply)) {
			hand_out(y, out, end == 2);
			return;
		}
	}
	batch_free(&y->next);
	memset(out, 0, sizeof *out);
	out->st = st;
	out->done = 1;
}

/* The sync client's read gate (ews_client_set_read_gate): an answer asked for ahead waits in the connection's buffers,
 * not decoded in memory beside the export's batch, until the consumer wants its batch, or SYNC_GATE_MAX_S at the
 * latest (exporting a batch's items may take long; a server may drop a connection that reads nothing for long). */
#define SYNC_GATE_MAX_S 5
static void sync_gate(void *arg)
{
	struct syncer *y = arg;
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += SYNC_GATE_MAX_S;
	pthread_mutex_lock(&y->mu);
	while (!y->wanted && !y->stop && pthread_cond_timedwait(&y->cv, &y->mu, &until) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&y->mu);
}

static void *sync_ahead(void *arg)
{
	struct syncer *y = arg;
	for (int done = 0; !done;) {
		struct sync_batch b;
		pthread_mutex_lock(&y->mu);   /* one batch ahead, not two: the one handed out is taken first */
		while (y->full && !y->stop)
			pthread_cond_wait(&y->cv, &y->mu);
		int stop = y->stop;
		pthread_mutex_unlock(&y->mu);
		if (stop)
			break;
		collect_batch(y, &b);
		done = b.done;
		pthread_mutex_lock(&y->mu);
		if (y->stop) {
			pthread_mutex_unlock(&y->mu);
			batch_free(&b);
			break;
		}
		y->out = b;
		y->full = 1;
		pthread_cond_broadcast(&y->cv);
		pthread_mutex_unlock(&y->mu);
	}
	return NULL;
}

static void take_batch(struct syncer *y, struct sync_batch *b)
{
	if (!y->threaded) {
		collect_batch(y, b);
		return;
	}
	pthread_mutex_lock(&y->mu);
	y->wanted = 1;
	pthread_cond_broadcast(&y->cv);
	while (!y->full)
		pthread_cond_wait(&y->cv, &y->mu);
	y->wanted = 0;
	*b = y->out;
	y->full = 0;
	pthread_cond_broadcast(&y->cv);
	pthread_mutex_unlock(&y->mu);
}

/* The consumer is done (the folder is, or a failure stops it): the thread, if any, ends after its current call. */
static void syncer_end(struct syncer *y)
{
	if (!y->threaded)
		return;
	pthread_mutex_lock(&y->mu);
	y->stop = 1;
	pthread_cond_broadcast(&y->cv);
	pthread_mutex_unlock(&y->mu);
	pthread_join(y->th, NULL);
	if (y->full)
		batch_free(&y->out);
	pthread_mutex_destroy(&y->mu);
	pthread_cond_destroy(&y->cv);
}

/* One folder's sync from `state` (NULL: from the start) to its end, each batch applied and then its state saved. */
static ews_status sync_folder(ews_cli *cli, ews_client *c, ews_client *ahead, ews_client *sync_client,
                              const char *fdir, const char *state_path, const char *state, const char *mailbox,
                              struct folder *f, int batch, struct totals *tot)
{
	struct syncer y = { .apply = apply_changes(batch) };
	ews_manifest *man = NULL;
	struct retries retry = { cli, f->name, 0 };   /* items that failed: tried again by the next run */
	const char *props[8];
	sync_props(props);
	ews_status st = ews_sync_new_items(sync_client ? sync_client : c, f->id, state,
	                                   &(ews_sync_options){ .shape = "IdOnly", .properties = props,
	                                                        .max_changes = sync_page(batch) },
	                                   &y.s);
	if (ews_ok(st) && sync_client) {
		pthread_mutex_init(&y.mu, NULL);
		pthread_cond_init(&y.cv, NULL);
		ews_client_set_read_gate(sync_client, sync_gate, &y);
		y.threaded = !pthread_create(&y.th, NULL, sync_ahead, &y);
		if (!y.threaded) {
			ews_client_set_read_gate(sync_client, NULL, NULL);
			pthread_mutex_destroy(&y.mu);
			pthread_cond_destroy(&y.cv);
		}
	}
	while (ews_ok(st)) {
		if (stopping && *stopping) {
			st = ews_status_make(EWS_ERR_CANCELLED, "interrupted");
			break;
		}
		struct sync_batch b;
		take_batch(&y, &b);
		st = b.st;
		if (ews_ok(st))
			st = apply_batch(c, ahead, fdir, mailbox, f->id, &b.changed, &b.gone, batch, tot, &man, &retry);
		/* the directory exists once something was recorded; a folder without items needs none. Once an item
		 * failed (not gone), no later state is saved: the next run syncs from before it and tries it again
		 * (the items recorded meanwhile are not exported twice: their change keys are in the manifest) */
		struct stat sb;
		if (ews_ok(st) && !retry.n && !stat(fdir, &sb))
			st = ews_sync_state_save(state_path, b.state);
		int done = b.done;
		batch_free(&b);
		if (done)
			break;
	}
	syncer_end(&y);
	if (sync_client)
		ews_client_set_read_gate(sync_client, NULL, NULL);
	if (retry.n)
		fprintf(stderr, "%s: %s: %ld item%s not exported: the next run tries again\n", cli->prog, f->name,
		        retry.n, S(retry.n));
	tot->calls += y.s ? ews_sync_batches(y.s) : 0;
	batch_free(&y.next);
	ews_sync_free(y.s);
	ews_status cs = ews_manifest_close(man);   /* compacts superseded lines, as each call's close did */
	if (ews_ok(st))
		st = cs;
	return st;
}

/* A saved sync state into *state (NULL: none saved yet). EWS_ERR_SYNC_STATE for a damaged file (the caller says so
 * and starts over); a file that cannot be read is an error, not taken for "no state" (a silent start over). */
static ews_status state_load(const char *path, char **state)
{
	ews_status st = ews_sync_state_read(path, state);
	return st.code == EWS_ERR_NOT_FOUND ? ews_status_ok() : st;
}

/* A folder's backup: its sync from its saved state. A state that is unusable (the file damaged, or refused by the
 * server as ErrorInvalidSyncStateData: Exchange drops states, e.g. after a mailbox move) is said and the folder
 * synced again from the start right away: the sync then reports every item, and only those the backup lacks or
 * holds in another version (change key) are exported. */
static ews_status backup_folder(ews_cli *cli, ews_client *c, ews_client *ahead, ews_client *sync_client,
                                const char *dir, const char *mailbox, struct folder *f, int batch, struct totals *tot)
{
	char fdir[4200], state_path[4300], *state = NULL;
	snprintf(fdir, sizeof fdir, "%s/%s", dir, f->dir);
	snprintf(state_path, sizeof state_path, "%s/items.state", fdir);
	ews_status st = state_load(state_path, &state);
	char mpath[4300];
	struct stat sb;
	snprintf(mpath, sizeof mpath, "%s/manifest.tsv", fdir);
	if (ews_ok(st) && state && stat(mpath, &sb) && errno == ENOENT) {
		/* a state is saved only after its items are recorded: without the manifest, the state would skip items
		 * the backup no longer holds */
		fprintf(stderr, "%s: %s: its manifest is missing: syncing it again from the start\n", cli->prog, f->name);
		free(state);
		state = NULL;
	}
	for (int again = 0;; again = 1) {
		if (ews_ok(st))
			st = sync_folder(cli, c, ahead, sync_client, fdir, state_path, state, mailbox, f, batch, tot);
		if (st.code != EWS_ERR_SYNC_STATE || again)
			break;
		fprintf(stderr, "%s: %s: its sync state is unusable (%s): syncing it again from the start (unchanged items "
		        "are not exported again)\n", cli->prog, f->name, st.message);
		free(state);
		state = NULL;
		st = ews_status_ok();
	}
	free(state);
	return st;
}

/* A hierarchy sync's changes into the table (*changed set when there was one). */
static ews_status sync_hierarchy(ews_sync *s, struct table *t, int *changed)
{
	ews_sync_change ch;
	ews_status st;
	while (ews_ok(st = ews_sync_next(s, &ch)) && ch.kind != EWS_SYNC_DONE) {
		if (!ch.folder.id)
			continue;
		*changed = 1;
		struct folder *f = upsert(t, ch.folder.id);
		if (ch.kind == EWS_SYNC_DELETE) {
			f->deleted = 1;       /* its backup stays */
			continue;
		}
		f->deleted = 0;
		if (ch.folder.parent_folder_id)
			set(&f->parent, ch.folder.parent_folder_id);
		if (ch.folder.display_name)
			set(&f->name, ch.folder.display_name);   /* a rename: the directory stays, the name follows */
		if (ch.folder.folder_class)
			set(&f->cls, ch.folder.folder_class);
	}
	return st;
}

/* One folder tree's hierarchy (root msgfolderroot or archivemsgfolderroot) synced from its saved state at path into
 * the table; *s is kept for its new state, which the caller saves after the table. An unusable state (the file
 * damaged, or refused as ErrorInvalidSyncStateData) is said and the tree synced again from the start: every
 * folder is reported again and upserted, which changes only what changed. */
static ews_status sync_tree(ews_cli *cli, ews_client *c, const char *root, const char *path, struct table *t,
                            int no_table, int *changed, ews_sync **s)
{
	char *state = NULL;
	ews_status st = state_load(path, &state);
	if (ews_ok(st) && state && no_table) {
		/* the state is saved after the folder list: a state without a list (backup.tsv removed) would report
		 * no folder, and the backup would hold none */
		fprintf(stderr, "%s: the folder list (%s): backup.tsv is missing: listing the folders again from the "
		        "start\n", cli->prog, root);
		free(state);
		state = NULL;
	}
	for (int again = 0;; again = 1) {
		if (ews_ok(st) && ews_ok(st = ews_sync_new_folders(c, root, state, NULL, s)))
			st = sync_hierarchy(*s, t, changed);
		if (st.code != EWS_ERR_SYNC_STATE || again)
			break;
		fprintf(stderr, "%s: the folder list (%s): its sync state is unusable (%s): syncing it again from the "
		        "start\n", cli->prog, root, st.message);
		free(state);
		state = NULL;
		ews_sync_free(*s);
		*s = NULL;
		st = ews_status_ok();
	}
	free(state);
	return st;
}

/* The answer of a mailbox without an archive (or a server that has none): Exchange says ErrorFolderNotFound,
 * some versions ErrorArchiveMailboxNotEnabled. */
static int archive_absent(ews_status st)
{
	return st.code == EWS_ERR_RESPONSE && (!strcmp(st.response_code, "ErrorFolderNotFound") ||
	                                       !strcmp(st.response_code, "ErrorArchiveMailboxNotEnabled"));
}

/* The archive's top as a folder of the table (well-known archivemsgfolderroot, from the resolved ids): the
 * archive's folders hang from it, and restore maps it onto the target's archive. */
static void add_archive_top(struct table *t, char *wk[N_WELL_KNOWN])
{
	for (size_t k = 0; k < N_WELL_KNOWN; k++)
		if (wk[k] && !strcmp(well_known[k], "archivemsgfolderroot") && !find_folder(t, wk[k])) {
			struct folder *f = upsert(t, wk[k]);
			set(&f->name, "Top of Information Store");
		}
}

static int do_backup(ews_cli *cli, ews_client *c, ews_client *ahead, ews_client *sync_client, const char *dir,
                     const char *mailbox, int batch)
{
	struct table t = { 0 };
	struct totals tot = { 0 };
	char path[4200];
	int rc = 0;
	ews_status st = lock_run(dir, 1);
	if (!ews_ok(st))
		return ews_cli_file_error(cli, dir, st);
	st = table_load(dir, &t);
	int no_table = st.code == EWS_ERR_NOT_FOUND;
	if (no_table) {
		t.mailbox = strdup(mailbox);
	} else if (!ews_ok(st)) {
		table_free(&t);
		return ews_cli_file_error(cli, dir, st);
	} else if (strcmp(t.mailbox, mailbox)) {
		rc = ews_cli_file_error(cli, dir, ews_status_make(EWS_ERR_FORMAT, "holds a backup of %.100s, not of %.100s: "
		                                                  "use another directory", t.mailbox, mailbox));
		table_free(&t);
		return rc;
	}
	/* the hierarchy: every change applied to the table, the table saved, then the state */
	snprintf(path, sizeof path, "%s/hierarchy.state", dir);
	ews_sync *s = NULL, *as = NULL;
	int hierarchy_changed = 0;
	st = sync_tree(cli, c, "msgfolderroot", path, &t, no_table, &hierarchy_changed, &s);
	/* the archive mailbox when there is one (its own tree, its own state); absent: nothing recorded */
	char apath[4200];
	snprintf(apath, sizeof apath, "%s/archive-hierarchy.state", dir);
	int have_archive = 0;
	if (ews_ok(st) && ews_cli_distinguished_name(ews_client_arena(c), "archivemsgfolderroot")) {
		st = sync_tree(cli, c, "archivemsgfolderroot", apath, &t, no_table, &hierarchy_changed, &as);
		have_archive = ews_ok(st);
		if (archive_absent(st)) {
			st = ews_status_ok();
			tot.calls += ews_sync_batches(as);
			ews_sync_free(as);
			as = NULL;
		}
	}
	/* which folders are the well-known ones (restore maps them by that, not by name): asked again only when
	 * the hierarchy changed, so that a run with nothing new sends sync calls only */
	if (ews_ok(st) && hierarchy_changed) {
		char *wk[N_WELL_KNOWN];
		if (ews_ok(st = resolve_well_known(c, wk)) && have_archive)
			add_archive_top(&t, wk);
		if (ews_ok(st))
			for (int i = 0; i < t.n; i++) {
				const char *name = "";
				for (size_t k = 0; k < N_WELL_KNOWN && !*name; k++)
					if (wk[k] && !strcmp(wk[k], t.f[i].id))
						name = well_known[k];
				set(&t.f[i].wk, name);
			}
		free_well_known(wk);
	}
	if (ews_ok(st) && mkdir(dir, 0700) && errno != EEXIST)
		st = ews_status_make(EWS_ERR_FILE, "cannot create %.200s: %s", dir, strerror(errno));
	if (ews_ok(st))
		st = lock_run(dir, 1);
	if (ews_ok(st) && ews_ok(st = table_save(dir, &t)))
		st = ews_sync_state_save(path, ews_sync_state(s));
	if (ews_ok(st) && as)
		st = ews_sync_state_save(apath, ews_sync_state(as));
	tot.calls += (s ? ews_sync_batches(s) : 0) + (as ? ews_sync_batches(as) : 0);
	ews_sync_free(s);
	ews_sync_free(as);
	if (!ews_ok(st)) {
		rc = ews_cli_error(cli, "folder hierarchy", st);
		table_free(&t);
		return rc;
	}
	volatile int *stop = stopping = ews_cli_catch_interrupts();
	int next = 0;   /* the first folder the run has not begun */
	for (int i = 0; i < t.n && !*stop; i++) {
		if (t.f[i].deleted)
			continue;
		tot.folders++;
		ews_cli_progress(cli, i + 1, t.n, "backing up");
		st = backup_folder(cli, c, ahead, sync_client, dir, mailbox, &t.f[i], batch, &tot);
		next = i + 1;
		if (st.code == EWS_ERR_CANCELLED && *stop)
			break;   /* the summary says interrupted; the next run goes on from the last saved state */
		if (st.code == EWS_ERR_RESPONSE && !strcmp(st.response_code, "ErrorFolderNotFound")) {
			/* gone without the hierarchy sync saying so (its state was started over, or the folder went
			 * between the two syncs): recorded as deleted, as a reported deletion is; its backup stays */
			fprintf(stderr, "%s: %s: the folder is gone from the mailbox: recorded as deleted (its backup "
			        "stays)\n", cli->prog, t.f[i].name);
			t.f[i].deleted = 1;
			tot.folders--;
			if (!ews_ok(st = table_save(dir, &t))) {
				rc = ews_cli_file_error(cli, dir, st);
				break;
			}
			continue;
		}
		if (!ews_ok(st)) {
			rc = ews_cli_error(cli, t.f[i].name, st);
			if (rc != EWS_EXIT_PARTIAL || st.code == EWS_ERR_FILE)
				break;   /* the server or the disk: stop, the next run resumes */
		}
	}
	tot.unreached = folders_from(&t, next, NULL);
	ews_cli_progress(cli, -1, 0, NULL);
	int complete = !tot.failed && !tot.not_attempted && !tot.unreached && !*stop;
	char more[64];
	if (cli->json)
		ews_cli_json_summary(stdout, !rc && complete, (const ews_cli_field[]){
			EWS_CLI_COUNT("folders", tot.folders), EWS_CLI_COUNT("exported", tot.exported),
			EWS_CLI_COUNT("deleted", tot.deleted), EWS_CLI_COUNT("failed", tot.failed),
			EWS_CLI_COUNT("not_attempted", tot.not_attempted), EWS_CLI_COUNT("folders_not_reached", tot.unreached),
			EWS_CLI_COUNT("sync_calls", tot.calls), EWS_CLI_FLAG("archive", have_archive),
			EWS_CLI_FLAG("interrupted", *stop), { 0 } });
	else
		printf("%ld folder%s%s: %ld item%s exported, %ld marked deleted, %ld failed, %ld not attempted%s (%ld sync "
		       "call%s)%s -> %s\n", tot.folders, S(tot.folders), have_archive ? " (with the archive mailbox's)" : "",
		       tot.exported, S(tot.exported), tot.deleted, tot.failed, tot.not_attempted,
		       unreached_text(more, sizeof more, tot.unreached), tot.calls, S(tot.calls), *stop ? ", interrupted" : "",
		       dir);
	table_free(&t);
	return rc ? rc : !complete ? EWS_EXIT_PARTIAL : EWS_EXIT_OK;
}

/* ---- restore and verify: the live folder for each backed-up one, by name under its parent ---- */
static ews_status child_by_name(ews_client *c, const char *parent, const char *name, char **out)
{
	ews_pager *p;
	ews_folder_view v;
	*out = NULL;
	ews_status st = ews_pager_new_folders(c, &(ews_pager_options){ .folder = parent, .no_anchor = 1 }, &p);
	while (ews_ok(st) && ews_ok(st = ews_pager_next_folder(p, &v)) && v.id)
		if (v.display_name && !strcasecmp(v.display_name, name) && !*out)
			*out = strdup(v.id);
	ews_pager_free(p);
	return st;
}

static ews_status create_folder(ews_client *c, const char *parent, const char *name, const char *cls, char **out)
{
	struct soap *a = ews_client_arena(c);
	struct ewsmsg__CreateFolderType *req = soap_new_ewsmsg__CreateFolderType(a, 1);
	struct ewstype__FolderType *folder = soap_new_ewstype__FolderType(a, 1);
	struct __ewstype__union_NonEmptyArrayOfFoldersType *u = soap_new___ewstype__union_NonEmptyArrayOfFoldersType(a, 1);
	struct __ewsmsg__CreateFolderResponse resp;
	*out = NULL;
	if (!req || !folder || !u || !(req->Folders = soap_new_ewstype__NonEmptyArrayOfFoldersType(a, 1)) ||
	    !(req->ParentFolderId = ews_cli_target_folder(a, parent)) || !(folder->DisplayName = soap_strdup(a, name)))
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	if (*cls)
		folder->FolderClass = soap_strdup(a, cls);
	u->__union_NonEmptyArrayOfFoldersType = SOAP_UNION__ewstype__union_NonEmptyArrayOfFoldersType_Folder;
	u->union_NonEmptyArrayOfFoldersType.Folder = folder;
	req->Folders->__size_NonEmptyArrayOfFoldersType = 1;
	req->Folders->__union_NonEmptyArrayOfFoldersType = u;
	memset(&resp, 0, sizeof resp);
	ews_status st = ews_create_folder(c, req, &resp);
	ews_response_message m;
	if (ews_ok(st) && (ews_response_messages_get(resp.ewsmsg__CreateFolderResponse ?
	                                             resp.ewsmsg__CreateFolderResponse->ResponseMessages : NULL, 0, &m) ||
	                   !m.message))
		st = ews_status_make(EWS_ERR_XML, "CreateFolder: no response message");
	if (ews_ok(st)) {
		const struct ewstype__ArrayOfFoldersType *fs = ((const struct ewsmsg__FolderInfoResponseMessageType *)m.message)->Folders;
		const struct ewstype__FolderType *f = fs && fs->__size_ArrayOfFoldersType > 0
			? fs->__union_ArrayOfFoldersType[0].union_ArrayOfFoldersType.Folder : NULL;
		if (!f || !f->FolderId || !f->FolderId->Id || !(*out = strdup(f->FolderId->Id)))
			st = ews_status_make(EWS_ERR_XML, "CreateFolder: no folder id");
	}
	ews_client_arena_reset(c);
	return st;
}

/* Map every live folder to the live mailbox, parents first: a well-known folder onto the mailbox's folder of
 * that distinguished id, any other by name under its mapped parent; create = 1 makes the missing ones
 * (restore). */
static ews_status map_folders(ews_client *c, struct table *t, int create)
{
	char *wk[N_WELL_KNOWN];
	ews_status st = table_check_parents(t);
	if (!ews_ok(st))
		return st;
	st = resolve_well_known(c, wk);
	for (int i = 0; ews_ok(st) && i < t->n; i++)
		for (size_t k = 0; k < N_WELL_KNOWN && !t->f[i].deleted && *t->f[i].wk; k++)
			if (wk[k] && !strcmp(t->f[i].wk, well_known[k]) && !(t->f[i].target = strdup(wk[k])))
				st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
	free_well_known(wk);
	for (int pass = 0, progress = 1; progress && ews_ok(st); pass++) {
		progress = 0;
		for (int i = 0; i < t->n && ews_ok(st); i++) {
			struct folder *f = &t->f[i];
			if (f->deleted || f->target)
				continue;
			if (!strncmp(f->wk, "archive", 7) && strcmp(f->wk, "archive"))
				continue;           /* an archive folder and the mailbox has no archive: never made up */
			struct folder *p = find_folder(t, f->parent);
			if (p && p->deleted)
				continue;           /* under a deleted folder: not restored */
			if (p && !p->target)
				continue;           /* its parent first (a later pass) */
			const char *parent = p ? p->target : "msgfolderroot";
			st = child_by_name(c, parent, f->name, &f->target);
			if (ews_ok(st) && !f->target && create)
				st = create_folder(c, parent, f->name, f->cls, &f->target);
			progress |= f->target != NULL;   /* (verify says which are missing, and their subfolders) */
		}
	}
	return st;
}

static void on_upload(void *arg, const ews_item_event *ev)
{
	ews_cli *cli = arg;
	if (ev->kind == EWS_ITEM_FAILED)
		ews_cli_item_error(cli, ev->file, ev->status);
}

/* restore: where its lock and upload journals go (--journals DIR); NULL: into the backup, beside each folder's
 * items (the library's default journal) */
static const char *journals;

static int do_restore(ews_cli *cli, ews_client *c, const char *dir, const char *mailbox, int batch,
                      long settle_ms)
{
	struct table t = { 0 };
	struct totals tot = { 0 };
	int rc = 0;
	ews_status st = table_load(dir, &t);
	char lock[4300], name[32];
	ews_manifest_file_name(mailbox ? mailbox : "", name);
	snprintf(lock, sizeof lock, "%s/restore-%.16s.lock", journals ? journals : dir, name);
	if (!ews_ok(st)) {
		table_free(&t);
		return ews_cli_file_error(cli, dir, st);
	}
	if (!ews_ok(st = lock_run(lock, 0))) {
		table_free(&t);
		rc = ews_cli_file_error(cli, journals ? journals : dir, st);
		if (!journals && st.code == EWS_ERR_FILE)
			fprintf(stderr, "%s: a restore records what went in beside the backup; for a backup that cannot be "
			        "written (read-only media), give --journals DIR\n", cli->prog);
		return rc;
	}
	if (!ews_ok(st = map_folders(c, &t, 1))) {
		table_free(&t);
		return ews_cli_error(cli, "folders", st);
	}
	for (int i = 0; i < t.n; i++)       /* an archive backed up, none to restore it into: say so */
		if (!t.f[i].deleted && !t.f[i].target && !strcmp(t.f[i].wk, "archivemsgfolderroot"))
			fprintf(stderr, "%s: the backup holds an archive mailbox and %s has none: its folders are not "
			        "restored\n", cli->prog, mailbox ? mailbox : "this mailbox");
	volatile int *stop = ews_cli_catch_interrupts();
	int next = 0;   /* the first folder the run has not begun */
	for (int i = 0; i < t.n && !*stop; i++) {
		char fdir[4200];
		struct stat sb;
		snprintf(fdir, sizeof fdir, "%s/%s/manifest.tsv", dir, t.f[i].dir);
		if (!t.f[i].target || stat(fdir, &sb))
			continue;   /* not restored (under a deleted folder) or no items backed up */
		snprintf(fdir, sizeof fdir, "%s/%s", dir, t.f[i].dir);
		ews_transfer_summary s;
		tot.folders++;
		ews_cli_progress(cli, i + 1, t.n, "restoring");
		char jpath[4300];   /* --journals: one journal per backed-up folder and target mailbox */
		if (journals)
			snprintf(jpath, sizeof jpath, "%s/%s-%.16s.journal", journals, t.f[i].dir, name);
		st = ews_upload_dir(c, fdir, &(ews_upload_dir_options){ .folder = t.f[i].target, .mailbox = mailbox,
		                                                         .journal = journals ? jpath : NULL,
		                                                         .batch_size = batch, .settle_ms = settle_ms,
		                                                         .stop = stop,
		                                                         .on_item = on_upload, .arg = cli }, &s);
		ews_cli_item_errors_end(cli);
		tot.uploaded += s.done;
		tot.recovered += s.recovered;
		tot.skipped += s.skipped;
		tot.failed += s.failed + s.unknown;
		tot.not_attempted += s.not_attempted;
		next = i + 1;
		if (!ews_ok(st) && st.code != EWS_ERR_RESPONSE) {
			rc = ews_cli_error(cli, t.f[i].name, st);
			if (st.code == EWS_ERR_OUTCOME_UNKNOWN) /* (the library's "check the mailbox" is done here) */
				fprintf(stderr, "ews-backup: the same command run again looks for that batch's items on "
				        "the server first and sends only those it does not find\n");
			if (st.code == EWS_ERR_FORMAT)
				continue;   /* this folder's backed-up data is damaged (its items counted failed): not the others' */
			break;
		}
	}
	tot.unreached = folders_from(&t, next, dir);
	ews_cli_progress(cli, -1, 0, NULL);
	int complete = !tot.failed && !tot.not_attempted && !tot.unreached && !*stop;
	char more[64];
	if (cli->json)
		ews_cli_json_summary(stdout, !rc && complete, (const ews_cli_field[]){
			EWS_CLI_COUNT("folders", tot.folders), EWS_CLI_COUNT("uploaded", tot.uploaded),
			EWS_CLI_COUNT("recovered", tot.recovered), EWS_CLI_COUNT("skipped", tot.skipped),
			EWS_CLI_COUNT("failed", tot.failed), EWS_CLI_COUNT("not_attempted", tot.not_attempted),
			EWS_CLI_COUNT("folders_not_reached", tot.unreached), EWS_CLI_FLAG("interrupted", *stop), { 0 } });
	else
		printf("%ld folder%s: %ld item%s uploaded, %ld found already uploaded, %ld done before, %ld failed, %ld not "
		       "attempted%s%s\n", tot.folders, S(tot.folders), tot.uploaded, S(tot.uploaded), tot.recovered,
		       tot.skipped, tot.failed, tot.not_attempted, unreached_text(more, sizeof more, tot.unreached),
		       *stop ? ", interrupted" : "");
	table_free(&t);
	return rc ? rc : !complete ? EWS_EXIT_PARTIAL : EWS_EXIT_OK;
}

/* ---- verify ---- */
static unsigned long long fnv(const unsigned char *p, size_t n)
{
	unsigned long long h = 1469598103934665603ULL;
	while (n--)
		h = (h ^ *p++) * 1099511628211ULL;
	return h;
}

static int cmp_u64(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;
	return x < y ? -1 : x > y;
}

/* 64-bit hashes, grown as needed (the live items' ids and data: 8 bytes an item, whatever the ids' length). */
struct hashes {
	unsigned long long *v;
	size_t n, cap;
	int nomem;
};

static void hashes_add(struct hashes *h, unsigned long long x)
{
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 1024;
		unsigned long long *v = realloc(h->v, cap * sizeof *v);
		if (!v) {
			h->nomem = 1;
			return;
		}
		h->v = v;
		h->cap = cap;
	}
	h->v[h->n++] = x;
}

/* The live items' Data, hashed as ExportItems delivers them (an item deleted meanwhile is left out: the count
 * says it already). */
static ews_status hash_data(void *arg, size_t i, ews_status st, const unsigned char *data, size_t len, const char *id,
                            const char *change_key)
{
	(void)i, (void)id, (void)change_key;
	if (ews_ok(st))
		hashes_add(arg, fnv(data, len));
	return ews_status_ok();
}

static void difference(ews_cli *cli, const char *folder, const char *what, const char *id, struct totals *tot)
{
	tot->differences++;
	if (cli->json) {
		printf("{\"type\":\"difference\",\"ok\":false,\"folder\":");
		ews_cli_json_string(stdout, folder);
		printf(",\"what\":\"%s\",\"id\":", what);
		ews_cli_json_string(stdout, id);
		printf("}\n");
	} else {
		printf("%s: %s%s%s\n", folder, what, id ? " " : "", id ? id : "");
	}
}

/* --by-fingerprint: verify compares the items of another mailbox by their fingerprints alone, not their data. */
static int by_fingerprint;

/* A fingerprint's 64 bits (its 16 hex digits), 0 for none. */
static unsigned long long fp_bits(const char *fp)
{
	return fp && strlen(fp) == EWS_FINGERPRINT_LEN ? strtoull(fp, NULL, 16) : 0;
}

static int has(const struct hashes *h, unsigned long long x)
{
	return h->n && bsearch(&x, h->v, h->n, sizeof *h->v, cmp_u64);
}

/* Another mailbox's folder against its backup item by item: the live items' fingerprints (lfp) and the backup's
 * (bfp) as multisets; each backed-up item without a live copy of its fingerprint is said with its id, each live
 * item beyond the backup's with its fingerprint. Sorts both. */
static ews_status fingerprint_differences(ews_cli *cli, ews_manifest *m, const char *folder, struct hashes *lfp,
                                          struct hashes *bfp, struct totals *tot)
{
	struct hashes missing = { 0 };  /* fingerprints the backup has more often than the mailbox */
	if (lfp->n)
		qsort(lfp->v, lfp->n, sizeof *lfp->v, cmp_u64);
	if (bfp->n)
		qsort(bfp->v, bfp->n, sizeof *bfp->v, cmp_u64);
	size_t i = 0, j = 0;
	while (i < lfp->n || j < bfp->n) {
		if (j == bfp->n || (i < lfp->n && lfp->v[i] < bfp->v[j])) {
			char what[40];
			snprintf(what, sizeof what, "fingerprint %016llx", lfp->v[i++]);
			difference(cli, folder, "not in the backup", what, tot);
		} else if (i == lfp->n || bfp->v[j] < lfp->v[i]) {
			hashes_add(&missing, bfp->v[j++]);
		} else {
			i++, j++;
		}
	}
	/* the backed-up items of those fingerprints, by id (one per surplus: a fingerprint the backup holds twice and
	 * the mailbox once names the first of the two); missing stays sorted, each of its entries said once */
	unsigned char *said = missing.n ? calloc(missing.n, 1) : NULL;
	ews_status st = missing.nomem || (missing.n && !said) ? ews_status_make(EWS_ERR_NOMEM, "out of memory")
	                                                       : ews_status_ok();
	size_t left = missing.n;
	for (size_t k = 0; ews_ok(st) && left && k < ews_manifest_count(m); k++) {
		const ews_manifest_entry *e = ews_manifest_entry_at(m, k);
		if (!e) {
			st = ews_manifest_error(m);
			break;
		}
		unsigned long long x = fp_bits(e->fingerprint);
		unsigned long long *at = e->deleted ? NULL : bsearch(&x, missing.v, missing.n, sizeof *missing.v, cmp_u64);
		if (!at)
			continue;
		size_t a = (size_t)(at - missing.v);
		while (a > 0 && missing.v[a - 1] == x)
			a--;                    /* the first of its equals, then the first not said yet */
		while (a < missing.n && missing.v[a] == x && said[a])
			a++;
		if (a == missing.n || missing.v[a] != x)
			continue;
		said[a] = 1;
		left--;
		difference(cli, folder, "missing in the mailbox", e->id, tot);
	}
	free(said);
	free(missing.v);
	return st;
}

/* A page of live ids exported (into memory) and their data hashed; the ids freed. */
#define VERIFY_PAGE 500
static ews_status export_page(ews_client *c, ews_item_ref *refs, size_t *n, struct hashes *data)
{
	ews_status st = *n ? ews_export_items_each(c, refs, *n, 0, hash_data, data) : ews_status_ok();
	for (size_t k = 0; k < *n; k++)
		free((char *)refs[k].id);
	*n = 0;
	return st;
}

/* The live folder against its backup: ids and change keys (same mailbox: another mailbox's items have other ids),
 * fingerprints item by item (another mailbox, when the backup recorded them), counts, and the data of every item
 * as a multiset (not with --by-fingerprint). Streamed a page at a time: what is kept per item is a few 64-bit
 * hashes (its id, its data, its fingerprint) and the manifest's index, so a folder of any size verifies in little
 * memory. */
static ews_status verify_folder(ews_cli *cli, ews_client *c, const char *dir, struct folder *f, int same_mailbox,
                                struct totals *tot)
{
	char fdir[4200];
	ews_manifest *m = NULL;
	struct hashes live = { 0 }, a = { 0 }, b = { 0 }, lfp = { 0 }, bfp = { 0 };
	int unknown_fp = 0;                 /* backed-up items without a fingerprint (lines older than them) */
	long unreadable = 0;                /* backed-up items whose data cannot be read (a damaged pack or file) */
	ews_item_ref page[VERIFY_PAGE];
	size_t np = 0;
	snprintf(fdir, sizeof fdir, "%s/%s", dir, f->dir);
	ews_status st = ews_manifest_open(fdir, NULL, NULL, &m);
	ews_pager *p = NULL;
	ews_item_view it;
	if (ews_ok(st))
		st = ews_pager_new_items(c, &(ews_pager_options){ .folder = f->target, .shape = "IdOnly", .no_anchor = 1,
		                                                  .page_size = VERIFY_PAGE,
		                                                  .properties = same_mailbox ? NULL : ews_fingerprint_fields },
		                         &p);
	while (ews_ok(st) && ews_ok(st = ews_pager_next(p, &it)) && it.id) {
		hashes_add(&live, fnv((const unsigned char *)it.id, strlen(it.id)));
		if (!same_mailbox) {
			char fp[EWS_FINGERPRINT_LEN + 1];
			ews_item_fingerprint(&it, fp);
			hashes_add(&lfp, fp_bits(fp));
		}
		if (same_mailbox) {
			const ews_manifest_entry *e = ews_manifest_find(m, it.id);
			if (!e || e->deleted)
				difference(cli, f->name, "not in the backup", it.id, tot);
			else if (it.change_key && strcmp(e->change_key, it.change_key))
				difference(cli, f->name, "changed since the backup (change key)", it.id, tot);
		}
		if (by_fingerprint)
			continue;
		page[np] = (ews_item_ref){ strdup(it.id), NULL };
		if (!page[np++].id)
			st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
		else if (np == VERIFY_PAGE)
			st = export_page(c, page, &np, &a);
	}
	ews_pager_free(p);
	ews_status es = export_page(c, page, &np, &a);
	if (ews_ok(st))
		st = es;
	if (live.nomem || a.nomem || lfp.nomem)
		st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
	/* the live ids' hashes sorted, looked up by bisection for each backed-up item */
	if (live.n)
		qsort(live.v, live.n, sizeof *live.v, cmp_u64);
	size_t nbak = 0;
	for (size_t i = 0; ews_ok(st) && i < ews_manifest_count(m); i++) {
		const ews_manifest_entry *e = ews_manifest_entry_at(m, i);  /* valid until the next call on m */
		if (!e) {
			st = ews_manifest_error(m);
			break;
		}
		if (e->deleted)
			continue;
		nbak++;
		unsigned long long h = fnv((const unsigned char *)e->id, strlen(e->id));
		if (same_mailbox && !has(&live, h))
			difference(cli, f->name, "missing in the mailbox", e->id, tot);
		if (!same_mailbox) {
			hashes_add(&bfp, fp_bits(e->fingerprint));
			unknown_fp += !*e->fingerprint;
		}
		if (by_fingerprint)
			continue;
		/* the bytes: the backup's data (its file, or its place in the folder's pack), hashed like the live data */
		unsigned char *d;
		size_t len;
		char file[64];
		snprintf(file, sizeof file, "%s", e->file); /* (e is gone after the read) */
		if (ews_ok(ews_manifest_read_item(m, e, (size_t)256 << 20, &d, &len))) {
			hashes_add(&b, fnv(d, len));
			free(d);
		} else {
			difference(cli, f->name, "backup data unreadable", file, tot);
			unreadable++;
		}
	}
	if (ews_ok(st) && (b.nomem || bfp.nomem))
		st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
	if (ews_ok(st) && !same_mailbox && !unknown_fp)
		st = fingerprint_differences(cli, m, f->name, &lfp, &bfp, tot);
	else if (ews_ok(st) && !same_mailbox && by_fingerprint)
		difference(cli, f->name, "backup without fingerprints (made before them): compare the data, without "
		           "--by-fingerprint", NULL, tot);
	if (ews_ok(st) && live.n != nbak) {
		char msg[96];
		snprintf(msg, sizeof msg, "%zu items in the mailbox, %zu in the backup", live.n, nbak);
		difference(cli, f->name, "count", msg, tot);
	}
	if (a.n)
		qsort(a.v, a.n, sizeof *a.v, cmp_u64);
	if (b.n)
		qsort(b.v, b.n, sizeof *b.v, cmp_u64);
	if (ews_ok(st) && !by_fingerprint && (a.n != b.n || (a.n && memcmp(a.v, b.v, a.n * sizeof *a.v))))
		difference(cli, f->name, "exported data differs from the backup", NULL, tot);
	/* a backup run never reads what it backed up before (a run without changes sends sync calls only), so it
	 * would not mend this by itself: say how (the folder then backs up again from the start) */
	if (unreadable && same_mailbox)
		fprintf(stderr, "%s: %s: %ld backed-up item%s cannot be read: to back the folder up again, remove "
		        "%s/manifest.tsv and %s/items.state, then run ews-backup --dir %s\n", cli->prog, f->name,
		        unreadable, S(unreadable), fdir, fdir, dir);
	free(live.v);
	free(a.v);
	free(b.v);
	free(lfp.v);
	free(bfp.v);
	ews_manifest_close(m);
	return st;
}

static int do_verify(ews_cli *cli, ews_client *c, const char *dir, const char *mailbox)
{
	struct table t = { 0 };
	struct totals tot = { 0 };
	int rc = 0;
	ews_status st = table_load(dir, &t);
	if (!ews_ok(st)) {
		table_free(&t);
		return ews_cli_file_error(cli, dir, st);
	}
	int same = !strcmp(t.mailbox, mailbox);
	if (same)
		for (int i = 0; i < t.n; i++)
			t.f[i].target = t.f[i].deleted ? NULL : strdup(t.f[i].id);
	else
		st = map_folders(c, &t, 0);
	for (int i = 0; ews_ok(st) && i < t.n; i++) {
		if (t.f[i].deleted)
			continue;
		if (!t.f[i].target) {
			difference(cli, t.f[i].name, "folder missing in the mailbox", NULL, &tot);
			continue;
		}
		tot.folders++;
		st = verify_folder(cli, c, dir, &t.f[i], same, &tot);
		if (st.code == EWS_ERR_NOT_FOUND || st.code == EWS_ERR_RESPONSE) {
			difference(cli, t.f[i].name, "folder unreadable", st.message, &tot);
			st = ews_status_ok();
		}
	}
	if (!ews_ok(st))
		rc = ews_cli_error(cli, "verify", st);
	if (cli->json)
		ews_cli_json_summary(stdout, !rc && !tot.differences, (const ews_cli_field[]){
			EWS_CLI_COUNT("folders", tot.folders), EWS_CLI_COUNT("differences", tot.differences), { 0 } });
	else
		printf("%ld folder%s compared, %ld difference%s\n", tot.folders, S(tot.folders), tot.differences,
		       S(tot.differences));
	table_free(&t);
	return rc ? rc : tot.differences ? EWS_EXIT_PARTIAL : EWS_EXIT_OK;
}

int main(int argc, char **argv)
{
	const char *dir = NULL, *mode = "backup";
	int rc, nargs;
	long batch = 0, settle = -1;            /* --settle SECONDS; -1 not given */
	long batch_kib = -1;                    /* --batch-kib; -1 not given */
	ews_cli cli;
	ews_client *c;
	ews_status st = ews_cli_init(&cli, "ews-backup");

	if (!ews_ok(st))
		return ews_cli_error(&cli, "environment", st);
	char *first = argc > 1 ? argv[1] : NULL;    /* the mode, when given, comes first */
	int one = 0;
	const ews_cli_opt opts[] = { { "--dir", .value = &dir }, { "--batch", .number = &batch, .lo = 1, .hi = 500 },
				     { "--batch-kib", .number = &batch_kib, .lo = 0, .hi = 1024 * 1024 },
				     { "--settle", .number = &settle, .lo = 0, .hi = 3600 },
				     { "--one-connection", .on = &one, .set = 1 }, { "--journals", .value = &journals },
				     { "--files", .on = &file_per_item, .set = 1 },
				     { "--by-fingerprint", .on = &by_fingerprint, .set = 1 }, { NULL } };
	if ((rc = ews_cli_parse(&cli, argc, argv, opts, usage, &nargs)) >= 0)
		return rc;
	int skip = nargs && argv[0] == first &&
		   (!strcmp(first, "restore") || !strcmp(first, "verify") || !strcmp(first, "backup"));
	if (skip)
		mode = first;
	if ((rc = ews_cli_no_operands(&cli, nargs - skip, argv + skip)) >= 0)
		return rc;
	/* the library's settle_ms: 0 its default, -1 none */
	long settle_ms = settle < 0 ? 0 : settle ? settle * 1000 : -1;
	if (!dir || strlen(dir) > 4000)
		return ews_cli_usage_error(&cli, "--dir DIR is required");
	if (settle >= 0 && strcmp(mode, "restore"))
		return ews_cli_usage_error(&cli, "--settle is for restore");
	if (journals && strcmp(mode, "restore"))
		return ews_cli_usage_error(&cli, "--journals is for restore");
	if (batch_kib >= 0 && strcmp(mode, "backup"))
		return ews_cli_usage_error(&cli, "--batch-kib is for backup");
	if (by_fingerprint && strcmp(mode, "verify"))
		return ews_cli_usage_error(&cli, "--by-fingerprint is for verify");
	if (batch_kib >= 0)
		batch_bytes = (size_t)batch_kib * 1024;
	struct stat jsb;
	if (journals && (strlen(journals) > 4000 || stat(journals, &jsb) || !S_ISDIR(jsb.st_mode)))
		return ews_cli_usage_error(&cli, "--journals %s: not a directory", journals);
	/* backup and verify export, restore uploads */
	if ((rc = ews_cli_require_ops(&cli, (const char *const[]){ strcmp(mode, "restore") ? "ExportItems" : "UploadItems",
								   NULL })) ||
	    (rc = ews_cli_connect(&cli, &c)))
		return rc;
	/* the mailbox acted as: what the backup names, and where restore/verify go */
	const char *mailbox = cli.opt.impersonate ? cli.opt.impersonate : cli.opt.user ? cli.opt.user : "";
	if (!strcmp(mode, "restore"))
		rc = do_restore(&cli, c, dir, mailbox, (int)batch, settle_ms);
	else if (!strcmp(mode, "verify"))
		rc = do_verify(&cli, c, dir, mailbox);
	else {
		/* the next ExportItems batches asked for on c and a second connection while one is written, and the next
		 * SyncFolderItems answer on a third, each read when its turn comes */
		ews_client *ahead = NULL, *sync_client = NULL;
		if (one || (!(rc = ews_cli_connect_another(&cli, &ahead)) && !(rc = ews_cli_connect_another(&cli, &sync_client))))
			rc = do_backup(&cli, c, ahead, sync_client, dir, mailbox, batch ? (int)batch : BACKUP_BATCH);
		ews_client_free(sync_client);
		ews_client_free(ahead);
	}
	ews_client_free(c);
	ews_cli_release_memory();
	return rc;
}
