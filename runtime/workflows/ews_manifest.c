/* ews_manifest.c — the export directory's manifest (format in ews/export.h): read and check, look up by id,
 * append per batch durably, compact at the end. */
#define _GNU_SOURCE /* syncfs */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ews/export.h"
#include "ews_manifest_internal.h"
#include "ews_workflow.h"

#define HEADER_V2 "# ews-manifest 2 "
#define HEADER_V1 "# ews-export-items manifest v1"

/* The entries' strings live in blocks freed at close (a superseded entry's stay until then): an entry costs its
 * bytes, not three malloc'd strings with their headers and rounding (the manifest of a 20 000 item folder is
 * kept for the whole export or backup of it). */
struct chunk {
	struct chunk *next;
	size_t used, cap;
	char data[];
};
#define CHUNK_BYTES ((size_t)64 << 10)

struct ews_manifest {
	char *dir, *path;
	char *mailbox, *folder;             /* of the header ("" for none / version 1)       */
	int version;                        /* 0: no manifest on disk yet                     */
	ews_manifest_entry *e;              /* one per id; strings in `read` or `strings`     */
	unsigned char *seen;                /* ews_manifest_mark_seen                         */
	size_t n, cap;
	uint32_t *slot;                     /* open addressing over e: index + 1, 0 = empty   */
	size_t nslot;
	char *read;                         /* the file as read: the parsed entries' strings  */
	struct chunk *strings;              /* the recorded entries' strings, in blocks       */
	size_t lines;                       /* item lines in the file (superseded ones too)   */
	int fd;                             /* append descriptor, -1 until the first record   */
};

void ews_manifest_file_name(const char *id, char out[32])
{
	unsigned long long h = 1469598103934665603ULL;
	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 1099511628211ULL;
	snprintf(out, 32, "%016llx.ews", h);
}

static size_t hash(const char *s)
{
	size_t h = 5381;
	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static ews_status nomem(void) { return ews_status_make(EWS_ERR_NOMEM, "out of memory"); }

/* n bytes in the string blocks; NULL when out of memory. */
static char *string_space(ews_manifest *m, size_t n)
{
	struct chunk *c = m->strings;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > CHUNK_BYTES / 4 ? n : CHUNK_BYTES - sizeof *c; /* a long one gets its own block */
		if (!(c = malloc(sizeof *c + cap)))
			return NULL;
		c->used = 0;
		c->cap = cap;
		if (n > CHUNK_BYTES / 4 && m->strings) { /* behind the current block, which keeps its free room */
			c->next = m->strings->next;
			m->strings->next = c;
		} else {
			c->next = m->strings;
			m->strings = c;
		}
	}
	char *p = c->data + c->used;
	c->used += n;
	return p;
}

static int rehash(ews_manifest *m)
{
	size_t ns = m->nslot ? m->nslot * 2 : 1024;
	uint32_t *s = calloc(ns, sizeof *s);
	if (!s)
		return -1;
	for (size_t i = 0; i < m->n; i++) {
		size_t h = hash(m->e[i].id) & (ns - 1);
		while (s[h])
			h = (h + 1) & (ns - 1);
		s[h] = (uint32_t)(i + 1);
	}
	free(m->slot);
	m->slot = s;
	m->nslot = ns;
	return 0;
}

static uint32_t *lookup(const ews_manifest *m, const char *id)
{
	if (!m->nslot)
		return NULL;
	size_t h = hash(id) & (m->nslot - 1);
	while (m->slot[h] && strcmp(m->e[m->slot[h] - 1].id, id))
		h = (h + 1) & (m->nslot - 1);
	return &m->slot[h];
}

/* Add or replace (a later line for the same id wins). copy: the strings are copied into the blocks, else they
 * are the manifest's already (parsed from `read`). */
static ews_status put(ews_manifest *m, const ews_manifest_entry *in, int copy)
{
	ews_manifest_entry e = { in->file, in->id, in->change_key ? in->change_key : "", in->bytes, in->deleted };
	if (copy) {
		size_t lf = strlen(e.file) + 1, li = strlen(e.id) + 1, lc = strlen(e.change_key) + 1;
		char *p = string_space(m, lf + li + lc);
		if (!p)
			return nomem();
		e.file = memcpy(p, e.file, lf);
		e.id = memcpy(p + lf, e.id, li);
		e.change_key = memcpy(p + lf + li, e.change_key, lc);
	}
	uint32_t *s = lookup(m, e.id);
	if (s && *s) {
		m->e[*s - 1] = e;
		return ews_status_ok();
	}
	if (m->n >= UINT32_MAX - 1)
		return nomem();
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 256;
		ews_manifest_entry *ne = realloc(m->e, cap * sizeof *ne);
		unsigned char *seen = ne ? realloc(m->seen, cap) : NULL;
		if (ne)
			m->e = ne;
		if (!seen)
			return nomem();
		m->seen = seen;
		m->cap = cap;
	}
	m->seen[m->n] = 0;
	m->e[m->n++] = e;
	if (m->n * 2 > m->nslot) {
		if (rehash(m)) {
			m->n--;
			return nomem();
		}
	} else {
		*lookup(m, e.id) = (uint32_t)m->n;
	}
	return ews_status_ok();
}

/* "key=value" of a header field, malloc'd; NULL when missing. */
static char *header_field(const char *line, const char *key)
{
	size_t kl = strlen(key);
	for (const char *p = strchr(line, ' '); p; p = strchr(p + 1, ' '))
		if (!strncmp(p + 1, key, kl) && p[1 + kl] == '=') {
			const char *v = p + 2 + kl;
			return strndup(v, strcspn(v, " \t\n"));
		}
	return NULL;
}

/* One item line: FILE ID CK BYTES [STATE]; 0 when it has that shape. Modifies line. */
static int parse_line(char *line, int version, ews_manifest_entry *e)
{
	char *f[5] = { 0 };
	int nf = 0;
	for (char *p = line; nf < 5; nf++) {
		f[nf] = p;
		char *t = strchr(p, '\t');
		if (!t) {
			nf++;
			break;
		}
		*t = '\0';
		p = t + 1;
	}
	if (nf != (version == 1 ? 4 : 5) || !*f[0] || !*f[1] || strchr(f[0], '/'))
		return -1;
	char *end;
	e->file = f[0];
	e->id = f[1];
	e->change_key = f[2];
	e->bytes = strtoll(f[3], &end, 10);
	if (*end || end == f[3])
		return -1;
	e->deleted = 0;
	if (version == 2) {
		if (!strcmp(f[4], "deleted"))
			e->deleted = 1;
		else if (strcmp(f[4], "exported"))
			return -1;
	}
	return 0;
}

/* Parse the whole file; `valid` gets the length up to the last complete line (a torn tail is cut there). */
static ews_status parse(ews_manifest *m, char *data, size_t len, size_t *valid)
{
	char *nl = memchr(data, '\n', len);
	if (!nl)
		return len ? ews_status_make(EWS_ERR_FORMAT, "%.200s is not an ews export manifest (no header line)",
		                             m->path)
		           : ews_status_ok(); /* empty: created, killed before its header was durable */
	*nl = '\0';
	if (!strncmp(data, HEADER_V2, strlen(HEADER_V2))) {
		m->version = 2;
		free(m->mailbox);
		free(m->folder);
		m->mailbox = header_field(data, "mailbox");
		m->folder = header_field(data, "folder");
		if (!m->mailbox || !m->folder)
			return ews_status_make(EWS_ERR_FORMAT, "%.200s: header without mailbox= and folder=", m->path);
	} else if (!strncmp(data, HEADER_V1, strlen(HEADER_V1))) {
		m->version = 1;
	} else {
		return ews_status_make(EWS_ERR_FORMAT, "%.200s is not an ews export manifest (first line \"%.60s\"); "
		                       "export into another directory", m->path, data);
	}
	char *p = nl + 1, *end = data + len;
	size_t lineno = 1;
	*valid = (size_t)(p - data);
	while (p < end) {
		char *e = memchr(p, '\n', (size_t)(end - p));
		if (!e)
			break; /* torn last line */
		*e = '\0';
		lineno++;
		if (*p && *p != '#') {
			ews_manifest_entry ent;
			if (parse_line(p, m->version, &ent))
				return ews_status_make(EWS_ERR_FORMAT, "%.200s line %zu: not a manifest line", m->path, lineno);
			ews_status st = put(m, &ent, 0);
			if (!ews_ok(st))
				return st;
			m->lines++;
		}
		p = e + 1;
		*valid = (size_t)(p - data);
	}
	return ews_status_ok();
}

static int bad_field(const char *s)
{
	return s && strpbrk(s, "\t\n\r");
}

/* The header's names are separated by spaces (no tabs: `cut -f2 manifest.tsv` gives item ids only). */
static int bad_name(const char *s)
{
	return s && strpbrk(s, " \t\n\r");
}

ews_status ews_manifest_open(const char *dir, const char *mailbox, const char *folder, ews_manifest **out)
{
	*out = NULL;
	if (!dir || !*dir || bad_name(mailbox) || bad_name(folder))
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_manifest_open: no directory, or a space/tab/newline in the "
		                       "mailbox or folder");
	ews_manifest *m = calloc(1, sizeof *m);
	if (!m)
		return nomem();
	m->fd = -1;
	m->dir = strdup(dir);
	m->path = malloc(strlen(dir) + 16);
	m->mailbox = strdup(mailbox ? mailbox : "");
	m->folder = strdup(folder ? folder : "");
	if (!m->dir || !m->path || !m->mailbox || !m->folder) {
		ews_manifest_close(m);
		return nomem();
	}
	sprintf(m->path, "%s/manifest.tsv", dir);
	unsigned char *data = NULL;
	size_t len = 0, valid = 0;
	ews_status st = ews_wf_read_file(m->path, (size_t)1 << 31, &data, &len);
	if (st.code == EWS_ERR_NOT_FOUND) {
		*out = m;
		return ews_status_ok();
	}
	if (ews_ok(st))
		st = parse(m, (char *)data, len, &valid);
	m->read = (char *)data; /* the parsed entries point into it */
	if (ews_ok(st) && m->version && (mailbox || folder) && m->version != 2)
		st = ews_status_make(EWS_ERR_FORMAT, "%.200s is a version 1 manifest (no mailbox or folder recorded): "
		                     "export into a new directory", m->path);
	if (ews_ok(st) && m->version == 2 && mailbox && strcmp(m->mailbox, mailbox))
		st = ews_status_make(EWS_ERR_FORMAT, "%.200s holds an export of mailbox \"%.80s\", not \"%.80s\": "
		                     "use another directory", m->path, m->mailbox, mailbox);
	if (ews_ok(st) && m->version == 2 && folder && strcmp(m->folder, folder))
		st = ews_status_make(EWS_ERR_FORMAT, "%.200s holds an export of %s%.100s, not of %s%.100s: use another "
		                     "directory", m->path, *m->folder ? "folder " : "given ids", m->folder,
		                     *folder ? "folder " : "given ids", folder);
	if (ews_ok(st) && valid < len && truncate(m->path, (off_t)valid))
		st = ews_status_make(EWS_ERR_IO, "cannot cut the torn last line of %.200s: %s", m->path, strerror(errno));
	if (!ews_ok(st)) {
		ews_manifest_close(m);
		return st;
	}
	*out = m;
	return ews_status_ok();
}

size_t ews_manifest_count(const ews_manifest *m) { return m ? m->n : 0; }
const ews_manifest_entry *ews_manifest_entry_at(const ews_manifest *m, size_t i) { return m && i < m->n ? &m->e[i] : NULL; }
const char *ews_manifest_mailbox(const ews_manifest *m) { return m->version == 2 ? m->mailbox : ""; }
const char *ews_manifest_folder(const ews_manifest *m) { return m->version == 2 ? m->folder : ""; }
int ews_manifest_version(const ews_manifest *m) { return m->version; }
const char *ews_manifest_dir(const ews_manifest *m) { return m->dir; }
int ews_manifest_is_for(const ews_manifest *m, const char *dir, const char *mailbox, const char *folder)
{
	return !strcmp(m->dir, dir) && !strcmp(m->mailbox, mailbox ? mailbox : "") &&
	       !strcmp(m->folder, folder ? folder : "");
}

const ews_manifest_entry *ews_manifest_find(const ews_manifest *m, const char *id)
{
	uint32_t *s = m && id ? lookup(m, id) : NULL;
	return s && *s ? &m->e[*s - 1] : NULL;
}

void ews_manifest_mark_seen(ews_manifest *m, const char *id)
{
	uint32_t *s = lookup(m, id);
	if (s && *s)
		m->seen[*s - 1] = 1;
}

int ews_manifest_seen(const ews_manifest *m, size_t i) { return m->seen[i]; }

void ews_manifest_set_all_seen(ews_manifest *m, int seen)
{
	if (m->n)
		memset(m->seen, seen ? 1 : 0, m->n);
}

void ews_manifest_unmark_seen(ews_manifest *m, const char *id)
{
	uint32_t *s = lookup(m, id);
	if (s && *s)
		m->seen[*s - 1] = 0;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static ews_status io(const char *what, const char *path)
{
	return ews_status_make(EWS_ERR_IO, "%s %.200s: %s", what, path, strerror(errno));
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = fd < 0 || fsync(fd);
	if (fd >= 0)
		close(fd);
	return rc;
}

/* The directory, the manifest and its header, each durable, on the first record. */
static ews_status open_for_append(ews_manifest *m)
{
	if (m->fd >= 0)
		return ews_status_ok();
	if (mkdir(m->dir, 0700) && errno != EEXIST)
		return io("cannot create", m->dir);
	m->fd = open(m->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (m->fd < 0)
		return io("cannot open", m->path);
	struct stat sb;
	if (fstat(m->fd, &sb))
		return io("cannot stat", m->path);
	if (sb.st_size == 0) {
		m->version = 2;
		char *h = malloc(strlen(m->mailbox) + strlen(m->folder) + 128);
		if (!h)
			return nomem();
		int len = sprintf(h, HEADER_V2 "mailbox=%s folder=%s\n", m->mailbox, m->folder);
		int rc = write_all(m->fd, h, (size_t)len) || fdatasync(m->fd) || fsync_dir(m->dir);
		free(h);
		if (rc)
			return io("cannot write", m->path);
	}
	return ews_status_ok();
}

ews_status ews_manifest_record(ews_manifest *m, const ews_manifest_entry *entries, size_t n)
{
	if (!m || (!entries && n))
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_manifest_record: NULL argument");
	ews_status st = open_for_append(m);
	if (!ews_ok(st) || n == 0)
		return st;
	size_t cap = 1;
	for (size_t i = 0; i < n; i++) {
		if (!entries[i].file || !entries[i].id || bad_field(entries[i].file) || bad_field(entries[i].id) ||
		    bad_field(entries[i].change_key) || strchr(entries[i].file, '/'))
			return ews_status_make(EWS_ERR_ARGUMENT, "ews_manifest_record: entry %zu: bad file or id", i + 1);
		cap += strlen(entries[i].file) + strlen(entries[i].id) +
		       (entries[i].change_key ? strlen(entries[i].change_key) : 0) + 48;
	}
	char *buf = malloc(cap), *p = buf;
	if (!buf)
		return nomem();
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s\t%s\t%s\t%lld\t%s\n", entries[i].file, entries[i].id,
		             entries[i].change_key ? entries[i].change_key : "", entries[i].bytes,
		             entries[i].deleted ? "deleted" : "exported");
	/* the files first (their data and names), then the lines that say they are there */
	struct stat sb;
	if (fstat(m->fd, &sb))
		st = io("cannot stat", m->path);
	else if (syncfs(m->fd))
		st = io("cannot sync the file system of", m->dir);
	else if (write_all(m->fd, buf, (size_t)(p - buf)) || fdatasync(m->fd)) {
		st = io("cannot append to", m->path);
		/* none of this batch's lines stays (a full disk may have taken some): they are all reported failed */
		if (ftruncate(m->fd, sb.st_size) == 0)
			fdatasync(m->fd);
	}
	free(buf);
	for (size_t i = 0; ews_ok(st) && i < n; i++)
		if (ews_ok(st = put(m, &entries[i], 1)))
			m->lines++;
	return st;
}

/* The manifest without superseded lines, written beside and renamed over it. */
static ews_status compact(ews_manifest *m)
{
	size_t cap = strlen(m->mailbox) + strlen(m->folder) + 256;
	for (size_t i = 0; i < m->n; i++)
		cap += strlen(m->e[i].file) + strlen(m->e[i].id) + strlen(m->e[i].change_key) + 48;
	char *buf = malloc(cap), *p = buf;
	if (!buf)
		return nomem();
	p += sprintf(p, HEADER_V2 "mailbox=%s folder=%s\n", m->mailbox, m->folder);
	for (size_t i = 0; i < m->n; i++)
		p += sprintf(p, "%s\t%s\t%s\t%lld\t%s\n", m->e[i].file, m->e[i].id, m->e[i].change_key, m->e[i].bytes,
		             m->e[i].deleted ? "deleted" : "exported");
	ews_status st = ews_wf_write_file_atomic(m->path, buf, (size_t)(p - buf), 1);
	free(buf);
	return st;
}

ews_status ews_manifest_close(ews_manifest *m)
{
	ews_status st = ews_status_ok();
	if (!m)
		return st;
	if (m->fd >= 0)
		close(m->fd);
	if (m->version == 2 && m->lines > m->n)
		st = compact(m);
	while (m->strings) {
		struct chunk *next = m->strings->next;
		free(m->strings);
		m->strings = next;
	}
	free(m->read);
	free(m->e);
	free(m->seen);
	free(m->slot);
	free(m->dir);
	free(m->path);
	free(m->mailbox);
	free(m->folder);
	free(m);
	return st;
}
