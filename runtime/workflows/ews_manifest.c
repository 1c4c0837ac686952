/* ews_manifest.c — the export directory's manifest (format in ews/export.h): read and check, look up by id,
 * append per batch durably, compact at the end.
 *
 * The lines stay on disk: memory holds, per item id, where its current line is in the file, two flags and a
 * part of the id's hash, in 8 bytes (plus ~5 for the hash table), and an entry asked for is read back from the
 * file (one pread of a page-cached line). Holding the entries' strings took ~290 bytes per item: 290 MB for a
 * folder of a million items, kept for the whole export or backup of it; then 32 MB (the whole hash, the line's
 * length, a looser table); now ~13 MB. An export's memory is meant to be its batch's, not its directory's. */
#define _GNU_SOURCE /* syncfs, mremap */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <limits.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "ews/export.h"
#include "ews_fd.h"
#include "ews_manifest_internal.h"
#include "ews_workflow.h"

#define HEADER_V2 "# ews-manifest 2 "
#define HEADER_V3 "# ews-manifest 3 "
#define HEADER_V1 "# ews-export-items manifest v1"
#define MAX_HEADER 8192                     /* a longer first line is not our header                          */
#define MAX_LINE ((size_t)1 << 20)          /* an item line longer than this is not ours                       */
#define REPACK_MIN ((uint64_t)1 << 20)      /* dead data in a pack below this is left (and below half the pack) */
static uint64_t repack_min = REPACK_MIN;

void ews_manifest_set_repack_min(uint64_t bytes) { repack_min = bytes ? bytes : REPACK_MIN; }

/* One item id: its line in the file (the last one written for it), in one 64-bit word:
 *   bits 0-39   the line's first byte in the file (a manifest up to 1 TiB)
 *   bit 40      the line says "deleted"
 *   bit 41      seen (ews_manifest_find_seen ...)
 *   bits 42-63  the top 22 bits of the id's hash (FNV-1a 64, also the number in its file name): a lookup reads
 *               back only the lines whose tag is the id's, in practice only the entry itself
 * The line's length is not kept: reading it back finds its end. */
typedef uint64_t rec;
#define OFF_MAX (((uint64_t)1 << 40) - 1)
#define F_DELETED ((uint64_t)1 << 40)
#define F_SEEN ((uint64_t)1 << 41)
#define TAG_SHIFT 42
#define TAG_SLOTS ((size_t)1 << (64 - TAG_SHIFT))  /* a table up to this size places entries by their tag alone */
#define REC_OFF(r) ((r) & OFF_MAX)
#define REC_TAG(r) ((r) >> TAG_SHIFT)
static size_t tag_slots = TAG_SLOTS;

void ews_manifest_set_tag_slots(size_t n) { tag_slots = n && n <= TAG_SLOTS ? n : TAG_SLOTS; }

struct ews_manifest {
	char *dir, *path;
	char *mailbox, *folder;             /* of the header ("" for none / version 1)       */
	int version;                        /* 0: no manifest on disk yet                     */
	rec *r;                             /* one per id, in first-recorded order            */
	size_t n, cap;
	uint32_t *slot;                     /* open addressing over r: index + 1, 0 = empty;
	                                       at most 3/4 full                               */
	size_t nslot;
	size_t lines;                       /* item lines in the file (superseded ones too)   */
	int rfd;                            /* the file as opened (reading), -1 when none     */
	int fd;                             /* append descriptor (also read), -1 until the first record */
	int lockfd;                         /* the directory, locked against other writers (-1: not yet) */
	uint64_t size, valid;               /* the file's length as read, and up to its last complete line */
	char *line;                         /* the entry read last: its line, split in place  */
	size_t line_cap;
	size_t line_guess;                  /* bytes read at first for a line                 */
	ews_manifest_entry cur;
	ews_status broken;                  /* a line could not be read back: no more records */
	/* version 3 (packed) */
	int want_pack;                      /* a manifest made by this run is version 3       */
	char *pack;                         /* the pack's name in dir (the header's pack=)    */
	int pack_fd;                        /* -1 until opened (a reader: at open; a writer: first write) */
	uint64_t pack_end;                  /* where the next item's data goes                */
	int pack_made;                      /* this run created the pack file                 */
	int pack_wrote;                     /* this run wrote data into it                    */
	uint64_t data_sum;                  /* the bytes all lines in the file refer to, superseded ones too:
	                                       the live data when no line is superseded (no read-back needed) */
};

uint64_t ews_manifest_id_hash(const char *id)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 1099511628211ULL;
	return h;
}

void ews_manifest_file_name(const char *id, char out[32])
{
	snprintf(out, 32, "%016llx.ews", (unsigned long long)ews_manifest_id_hash(id));
}

/* Where to start showing two ids that differ so that the difference is in sight: folder ids of one mailbox share
 * their first ~100 characters and differ near the end, and a message that cut both at the same length showed two
 * equal strings. 0 when they differ early; else a few characters before the first difference. */
static size_t differ_from(const char *a, const char *b)
{
	size_t i = 0;
	while (a[i] && a[i] == b[i])
		i++;
	return i > 16 ? i - 12 : 0;
}

static ews_status nomem(void) { return ews_status_make(EWS_ERR_NOMEM, "out of memory"); }

static ews_status io(const char *what, const char *path)
{
	return ews_status_make(EWS_ERR_FILE, "%s %.200s: %s", what, path, strerror(errno));
}

int ews_manifest_is_fingerprint(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");
	return n == EWS_FINGERPRINT_LEN && !s[n];
}

/* One item line: FILE ID CK BYTES [STATE [OFFSET]] [FINGERPRINT] (by version); 0 when it has that shape.
 * Modifies line. */
static int parse_line(char *line, int version, ews_manifest_entry *e)
{
	char *f[8] = { 0 };
	int nf = 0;
	for (char *p = line; nf < 8; nf++) {
		f[nf] = p;
		char *t = strchr(p, '\t');
		if (!t) {
			nf++;
			break;
		}
		*t = '\0';
		p = t + 1;
	}
	const int base = version == 1 ? 4 : version == 2 ? 5 : 6;
	if (!(nf == base || (version >= 2 && nf == base + 1 && ews_manifest_is_fingerprint(f[base]))) || !*f[0] ||
	    !*f[1] || strchr(f[0], '/'))
		return -1;
	e->fingerprint = nf > base ? f[base] : "";
	char *end;
	e->file = f[0];
	e->id = f[1];
	e->change_key = f[2];
	e->bytes = strtoll(f[3], &end, 10);
	if (*end || end == f[3])
		return -1;
	e->deleted = 0;
	e->offset = -1;
	if (version >= 2) {
		if (!strcmp(f[4], "deleted"))
			e->deleted = 1;
		else if (strcmp(f[4], "exported"))
			return -1;
	}
	if (version == 3 && strcmp(f[5], "-")) {
		e->offset = strtoll(f[5], &end, 10);
		if (*end || end == f[5] || e->offset < 0 || e->bytes < 0)
			return -1;
	} else if (version == 3 && !e->deleted) {
		return -1; /* only a deleted item's data is ever pruned */
	}
	return 0;
}

/* The line at `off` read into m->line ('\0' instead of its '\n'); its length, or -1 (m->broken says why). The
 * length is not kept: a first read of line_guess bytes (twice the last line's length, at least 512) finds the
 * end, else larger ones. */
static long read_line(ews_manifest *m, uint64_t off)
{
	int fd = m->fd >= 0 ? m->fd : m->rfd;
	size_t want = m->line_guess ? m->line_guess : 512;
	for (;;) {
		if (m->line_cap < want + 1) {
			char *p = realloc(m->line, want + 1);
			if (!p) {
				m->broken = nomem();
				return -1;
			}
			m->line = p;
			m->line_cap = want + 1;
		}
		ssize_t got = fd < 0 ? -1 : pread(fd, m->line, want, (off_t)off);
		char *nl = got > 0 ? memchr(m->line, '\n', (size_t)got) : NULL;
		if (nl) {
			*nl = '\0';
			long len = (long)(nl - m->line);
			m->line_guess = len < 256 ? 512 : 2 * (size_t)len + 2; /* (back down after one long line) */
			return len;
		}
		if (got == (ssize_t)want && want <= MAX_LINE) {
			want *= 2;
			continue;
		}
		if (got >= 0)
			errno = EIO;
		m->broken = io("cannot read back a line of", m->path);
		return -1;
	}
}

/* Entry i read back from the file into m->cur (the manifest's one entry buffer: a cache, hence the cast at the
 * const callers). NULL when the line cannot be read or no longer parses (m->broken says why). */
static const ews_manifest_entry *load(ews_manifest *m, size_t i)
{
	rec r = m->r[i];
	if (read_line(m, REC_OFF(r)) < 0)
		return NULL;
	if (parse_line(m->line, m->version, &m->cur) || REC_TAG(ews_manifest_id_hash(m->cur.id)) != REC_TAG(r)) {
		m->broken = ews_status_make(EWS_ERR_FORMAT, "%.200s changed under this run (a line read back differs)",
		                            m->path);
		return NULL;
	}
	return &m->cur;
}

/* Where an id of hash h starts its probe in a table of ns slots: by its tag while the tag has the bits, else by
 * the whole hash (a table that large is built by reading the ids back: rehash). */
static size_t home(uint64_t h, size_t ns)
{
	return (size_t)(ns <= tag_slots ? REC_TAG(h) : h) & (ns - 1);
}

/* The slot for `id` (hash h): the one holding its entry, or the empty one where it would go. Only entries whose
 * tag is h's are read back to compare the ids. */
static uint32_t *lookup(ews_manifest *m, uint64_t h, const char *id)
{
	if (!m->nslot)
		return NULL;
	size_t k = home(h, m->nslot);
	for (; m->slot[k]; k = (k + 1) & (m->nslot - 1)) {
		size_t i = m->slot[k] - 1;
		const ews_manifest_entry *e;
		if (REC_TAG(m->r[i]) == REC_TAG(h) && (e = load(m, i)) && !strcmp(e->id, id))
			break;
	}
	return &m->slot[k];
}

/* The index's two arrays are mappings of their own, the entries' grown by mremap (pages moved, none copied) and
 * the table's made anew and the old one unmapped: from malloc they grew by copying (both copies resident for a
 * moment) and left their old blocks as holes in the recording thread's arena (~150 KiB for 20 000 items).
 * map_grow: `p` (old bytes) to `size` bytes, or a fresh zeroed mapping when p is NULL; NULL when it fails. */
static void *map_grow(void *p, size_t old, size_t size)
{
	void *q = p ? mremap(p, old, size, MREMAP_MAYMOVE)
	            : mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return q == MAP_FAILED ? NULL : q;
}

static void map_free(void *p, size_t size)
{
	if (p)
		munmap(p, size);
}

static int rehash(ews_manifest *m)
{
	size_t ns = m->nslot ? m->nslot * 2 : 1024;
	uint32_t *s = map_grow(NULL, 0, ns * sizeof *s);
	if (!s)
		return -1;
	for (size_t i = 0; i < m->n; i++) {
		uint64_t h = m->r[i]; /* (the tag, in place) */
		if (ns > tag_slots) {
			const ews_manifest_entry *e = load(m, i);
			if (!e) {
				map_free(s, ns * sizeof *s);
				return -1;
			}
			h = ews_manifest_id_hash(e->id);
		}
		size_t k = home(h, ns);
		while (s[k])
			k = (k + 1) & (ns - 1);
		s[k] = (uint32_t)(i + 1);
	}
	map_free(m->slot, m->nslot * sizeof *s);
	m->slot = s;
	m->nslot = ns;
	return 0;
}

/* The line at off is now id's (a later line for the same id replaces the earlier one). A new entry is `seen`
 * (recorded by this run: the item was there) or not (read from the file). */
static ews_status put(ews_manifest *m, const char *id, uint64_t off, int deleted, int seen)
{
	if (off > OFF_MAX)
		return ews_status_make(EWS_ERR_FORMAT, "%.200s: larger than a manifest can be (1 TiB)", m->path);
	uint64_t h = ews_manifest_id_hash(id);
	uint32_t *s = lookup(m, h, id);
	if (!ews_ok(m->broken))
		return m->broken;
	if (s && *s) {
		rec *r = &m->r[*s - 1];
		*r = (*r & ~(OFF_MAX | F_DELETED)) | off | (deleted ? F_DELETED : 0);
		return ews_status_ok();
	}
	if (m->n >= UINT32_MAX - 1)
		return nomem();
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 512;
		rec *nr = map_grow(m->r, m->cap * sizeof *nr, cap * sizeof *nr);
		if (!nr)
			return nomem();
		m->r = nr;
		m->cap = cap;
	}
	m->r[m->n++] = (h & ~(OFF_MAX | F_DELETED | F_SEEN)) | off | (deleted ? F_DELETED : 0) |
	               (seen && !deleted ? F_SEEN : 0);
	if (m->n * 4 > m->nslot * 3) {
		if (rehash(m)) {
			m->n--;
			return ews_ok(m->broken) ? nomem() : m->broken;
		}
	} else {
		*s = (uint32_t)m->n;
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

static ews_status header(ews_manifest *m, const char *line)
{
	int v3 = !strncmp(line, HEADER_V3, strlen(HEADER_V3));
	if (v3 || !strncmp(line, HEADER_V2, strlen(HEADER_V2))) {
		m->version = v3 ? 3 : 2;
		free(m->mailbox);
		free(m->folder);
		m->mailbox = header_field(line, "mailbox");
		m->folder = header_field(line, "folder");
		if (!m->mailbox || !m->folder)
			return ews_status_make(EWS_ERR_FORMAT, "%.200s: header without mailbox= and folder=", m->path);
		if (v3) {
			free(m->pack);
			m->pack = header_field(line, "pack");
			if (!m->pack || !*m->pack || strchr(m->pack, '/') || !strcmp(m->pack, ".") || !strcmp(m->pack, ".."))
				return ews_status_make(EWS_ERR_FORMAT, "%.200s: version 3 header without a pack= file name",
				                       m->path);
		}
	} else if (!strncmp(line, HEADER_V1, strlen(HEADER_V1))) {
		m->version = 1;
	} else {
		return ews_status_make(EWS_ERR_FORMAT, "%.200s is not an ews export manifest (first line \"%.60s\"); "
		                       "export into another directory", m->path, line);
	}
	return ews_status_ok();
}

/* Read the file through once, line by line, keeping only where each id's line is; `valid` gets the length up to
 * the last complete line (a torn tail is cut there). */
static ews_status scan(ews_manifest *m, int fd, uint64_t *valid)
{
	size_t cap = (size_t)64 << 10, have = 0, start = 0, lineno = 0;
	uint64_t base = 0; /* the file offset of buf[0] */
	char *buf = malloc(cap);
	int eof = 0;
	ews_status st = buf ? ews_status_ok() : nomem();
	*valid = 0;
	while (ews_ok(st)) {
		char *nl = memchr(buf + start, '\n', have - start);
		if (!nl) {
			if (eof)
				break; /* a torn last line, or no header line */
			if (have - start > (lineno ? MAX_LINE : MAX_HEADER)) {
				st = lineno ? ews_status_make(EWS_ERR_FORMAT, "%.200s line %zu: not a manifest line (too long)",
				                              m->path, lineno + 1)
				            : ews_status_make(EWS_ERR_FORMAT, "%.200s is not an ews export manifest (no header "
				                              "line)", m->path);
				break;
			}
			memmove(buf, buf + start, have - start);
			base += start;
			have -= start;
			start = 0;
			if (have == cap) {
				char *nb = realloc(buf, cap * 2);
				if (!nb) {
					st = nomem();
					break;
				}
				buf = nb;
				cap *= 2;
			}
			ssize_t got = read(fd, buf + have, cap - have);
			if (got < 0 && errno == EINTR)
				continue;
			if (got < 0)
				st = io("cannot read", m->path);
			eof = got == 0;
			have += got > 0 ? (size_t)got : 0;
			continue;
		}
		char *line = buf + start;
		size_t len = (size_t)(nl - line);
		*nl = '\0';
		lineno++;
		if (lineno == 1) {
			st = header(m, line);
		} else if (*line && *line != '#') {
			ews_manifest_entry e;
			if (parse_line(line, m->version, &e))
				st = ews_status_make(EWS_ERR_FORMAT, "%.200s line %zu: not a manifest line", m->path, lineno);
			else if (ews_ok(st = put(m, e.id, base + start, e.deleted, 0))) {
				m->lines++;
				m->data_sum += e.offset >= 0 ? (uint64_t)e.bytes : 0;
			}
		}
		start += len + 1;
		*valid = base + start;
	}
	if (ews_ok(st) && !lineno && have)
		st = ews_status_make(EWS_ERR_FORMAT, "%.200s is not an ews export manifest (no header line)", m->path);
	free(buf);
	return st; /* (an empty file: created, killed before its header was durable) */
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

/* ---- the pack (version 3) ---- */

static char *in_dir(const ews_manifest *m, const char *name)
{
	char *p = malloc(strlen(m->dir) + strlen(name) + 2);
	if (p)
		sprintf(p, "%s/%s", m->dir, name);
	return p;
}

static int fsync_dir(const char *dir);

/* The pack's descriptor: read-only for a reader; a writer's (it holds the lock) read-write, created when
 * `create` and missing (its name made durable in the directory at once). A reader's missing pack is an error
 * only when an item is read. */
static ews_status pack_open(ews_manifest *m, int create)
{
	if (m->pack_fd >= 0)
		return ews_status_ok();
	char *path = m->pack ? in_dir(m, m->pack) : NULL;
	if (!path)
		return nomem();
	int writer = m->lockfd >= 0;
	m->pack_fd = open(path, (writer ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (m->pack_fd < 0 && errno == ENOENT && writer && create) {
		m->pack_fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (m->pack_fd >= 0) {
			m->pack_made = 1;
			if (fsync_dir(m->dir)) {
				ews_status st = io("cannot sync the directory of", path);
				free(path);
				return st;
			}
		}
	}
	ews_status st = ews_status_ok();
	struct stat sb;
	if (m->pack_fd < 0)
		st = errno == ENOENT && !writer ? ews_status_ok() : io("cannot open", path);
	else if (fstat(m->pack_fd, &sb))
		st = io("cannot stat", path);
	else
		m->pack_end = (uint64_t)sb.st_size; /* (after a crash: past data no line refers to, dropped by a repack) */
	free(path);
	return st;
}

/* Whether name is one of our pack files ("items-N.pack"). */
static int is_pack_name(const char *name)
{
	size_t l = strlen(name);
	return l > 11 && !strncmp(name, "items-", 6) && !strcmp(name + l - 5, ".pack") &&
	       strspn(name + 6, "0123456789") == l - 11;
}

static void remove_stale_packs(ews_manifest *m)
{
	DIR *d = opendir(m->dir);
	struct dirent *de;
	while (d && (de = readdir(d)))
		if (is_pack_name(de->d_name) && strcmp(de->d_name, m->pack))
			unlinkat(dirfd(d), de->d_name, 0);
	if (d)
		closedir(d);
}

void ews_manifest_want_pack(ews_manifest *m)
{
	if (m->version == 0 && !m->pack) {
		m->pack = strdup("items-1.pack");
		m->want_pack = m->pack != NULL;
	}
}

int ews_manifest_packed(const ews_manifest *m) { return m->version == 3 || (m->version == 0 && m->want_pack); }

ews_status ews_manifest_pack_write(ews_manifest *m, const struct iovec *iov, int n, long long *offsets)
{
	for (int i = 0; i < n; i++)
		offsets[i] = -1;
	if (!m->pack)
		return ews_status_make(EWS_ERR_ARGUMENT, "%.200s is not a packed export directory", m->dir);
	ews_status st = pack_open(m, 1);
	if (!ews_ok(st) || n <= 0)
		return st;
	size_t total = 0;
	for (int i = 0; i < n; i++)
		total += iov[i].iov_len;
	/* one pwritev for them all (a short one goes on from where it stopped) */
	struct iovec rest[IOV_MAX < 1024 ? IOV_MAX : 1024];
	if (n > (int)(sizeof rest / sizeof *rest))
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_manifest_pack_write: more than %zu items at once",
		                       sizeof rest / sizeof *rest);
	memcpy(rest, iov, (size_t)n * sizeof *iov);
	struct iovec *v = rest;
	int left = n;
	for (size_t done = 0; done < total;) {
		ssize_t w = pwritev(m->pack_fd, v, left, (off_t)(m->pack_end + done));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = ENOSPC;
			return io("cannot write to the pack of", m->dir); /* (what went in is overwritten by the next) */
		}
		done += (size_t)w;
		while (left && (size_t)w >= v->iov_len) {
			w -= (ssize_t)v->iov_len;
			v++, left--;
		}
		if (left) {
			v->iov_base = (char *)v->iov_base + w;
			v->iov_len -= (size_t)w;
		}
	}
	for (int i = 0; i < n; i++) {
		offsets[i] = (long long)m->pack_end;
		m->pack_end += iov[i].iov_len;
	}
	m->pack_wrote = 1;
	return ews_status_ok();
}

static ews_status ends_before(const ews_manifest *m, const ews_manifest_entry *e)
{
	return ews_status_make(EWS_ERR_FORMAT, "%.200s: its pack %.80s ends before %.40s's data (%lld bytes at %lld)",
	                       m->dir, m->pack, e->file, e->bytes, e->offset);
}

/* len bytes of the pack at off into buf, all of them (part of entry e's data: e names it in messages). */
static ews_status pack_read(ews_manifest *m, const ews_manifest_entry *e, unsigned char *buf, size_t len, long long off)
{
	for (size_t got = 0; got < len;) {
		ssize_t r = pread(m->pack_fd, buf + got, len - got, (off_t)(off + (long long)got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return io("cannot read the pack of", m->dir);
		if (r == 0)
			return ends_before(m, e);
		got += (size_t)r;
	}
	return ews_status_ok();
}

ews_status ews_manifest_read_item(ews_manifest *m, const ews_manifest_entry *e, size_t max, unsigned char **data,
                                  size_t *len)
{
	*data = NULL;
	*len = 0;
	if (!m || !e || !e->file)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_manifest_read_item: NULL argument");
	if (m->version < 3) {
		char *path = in_dir(m, e->file);
		if (!path)
			return nomem();
		ews_status st = ews_wf_read_file(path, max, data, len);
		free(path);
		return st;
	}
	if (e->offset < 0)
		return ews_status_make(EWS_ERR_NOT_FOUND, "%.200s: the data of %.40s was pruned (deleted on the server)",
		                       m->dir, e->file);
	if ((unsigned long long)e->bytes > max)
		return ews_status_make(EWS_ERR_TOO_LARGE, "%.200s: %.40s has %lld bytes, more than the limit of %zu",
		                       m->dir, e->file, e->bytes, max);
	if (e->offset > LLONG_MAX - e->bytes)
		return ews_status_make(EWS_ERR_FORMAT, "%.200s: %.40s's data lies past any file's end", m->dir, e->file);
	ews_status st = pack_open(m, 0);
	if (ews_ok(st) && m->pack_fd < 0)
		st = ews_status_make(EWS_ERR_NOT_FOUND, "%.200s: its pack %.80s is missing", m->dir, m->pack);
	/* (a line claiming more than the pack holds is refused before its buffer is allocated) */
	if (ews_ok(st) && (uint64_t)(e->offset + e->bytes) > m->pack_end)
		st = ends_before(m, e);
	unsigned char *buf = ews_ok(st) ? malloc((size_t)e->bytes + 1) : NULL;
	if (ews_ok(st) && !buf)
		st = nomem();
	if (ews_ok(st))
		st = pack_read(m, e, buf, (size_t)e->bytes, e->offset);
	if (!ews_ok(st)) {
		free(buf);
		return st;
	}
	*data = buf;
	*len = (size_t)e->bytes;
	return st;
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
	m->fd = m->rfd = m->lockfd = m->pack_fd = -1;
	m->broken = ews_status_ok();
	m->dir = strdup(dir);
	m->path = malloc(strlen(dir) + 16);
	m->mailbox = strdup(mailbox ? mailbox : "");
	m->folder = strdup(folder ? folder : "");
	if (!m->dir || !m->path || !m->mailbox || !m->folder) {
		ews_manifest_close(m);
		return nomem();
	}
	sprintf(m->path, "%s/manifest.tsv", dir);
	m->rfd = open(m->path, O_RDONLY | O_CLOEXEC);
	if (m->rfd < 0 && (errno == ENOENT || errno == ENOTDIR)) {
		ews_status st = mailbox || folder ? ews_manifest_lock(m) : ews_status_ok(); /* (when dir exists) */
		if (!ews_ok(st)) {
			ews_manifest_close(m);
			return st;
		}
		*out = m;
		return ews_status_ok();
	}
	struct stat sb;
	uint64_t valid = 0;
	ews_status st = m->rfd < 0 || fstat(m->rfd, &sb) ? io("cannot read", m->path)
	              : !S_ISREG(sb.st_mode) ? ews_status_make(EWS_ERR_FORMAT, "%.200s is not a file", m->path)
	                                     : scan(m, m->rfd, &valid);
	if (ews_ok(st) && m->version && (mailbox || folder) && m->version == 1)
		st = ews_status_make(EWS_ERR_FORMAT, "%.200s is a version 1 manifest (no mailbox or folder recorded): "
		                     "export into a new directory", m->path);
	if (ews_ok(st) && m->version >= 2 && mailbox && strcmp(m->mailbox, mailbox))
		st = ews_status_make(EWS_ERR_FORMAT, "%.200s holds an export of mailbox \"%.80s\", not \"%.80s\": "
		                     "use another directory", m->path, m->mailbox, mailbox);
	if (ews_ok(st) && m->version >= 2 && folder && strcmp(m->folder, folder)) {
		size_t from = differ_from(m->folder, folder);
		st = ews_status_make(EWS_ERR_FORMAT, "%.160s holds an export of %s%s%.90s, not of %s%s%.90s: use another "
		                     "directory", m->path, *m->folder ? "folder " : "given ids", from ? "..." : "",
		                     m->folder + from, *folder ? "folder " : "given ids", from ? "..." : "", folder + from);
	}
	if (ews_ok(st) && (mailbox || folder))
		st = ews_manifest_lock(m); /* a writer: before the torn line is cut, or anything written */
	m->size = ews_ok(st) ? (uint64_t)sb.st_size : 0;
	m->valid = valid;
	/* a torn last line is cut by a writer only (it holds the lock, so no other writer is appending it now);
	 * a writer that locks later (ews_manifest_lock) cuts it at its first record */
	if (ews_ok(st) && m->lockfd >= 0 && valid < m->size) {
		if (truncate(m->path, (off_t)valid))
			st = ews_status_make(EWS_ERR_FILE, "cannot cut the torn last line of %.200s: %s", m->path,
			                     strerror(errno));
		m->size = valid;
	}
	/* packed: a writer removes the pack a compaction killed midway left (the one the header does not name); a
	 * reader holds the pack open from here, so a writer's compaction that replaces it meanwhile does not pull it
	 * away from under the reader */
	if (ews_ok(st) && m->version == 3 && m->lockfd >= 0)
		remove_stale_packs(m);
	if (ews_ok(st) && m->version == 3 && m->lockfd < 0)
		st = pack_open(m, 0);
	if (!ews_ok(st)) {
		ews_manifest_close(m);
		return st;
	}
	*out = m;
	return ews_status_ok();
}

size_t ews_manifest_count(const ews_manifest *m) { return m ? m->n : 0; }
const ews_manifest_entry *ews_manifest_entry_at(const ews_manifest *m, size_t i)
{
	return m && i < m->n ? load((ews_manifest *)m, i) : NULL;
}
const char *ews_manifest_mailbox(const ews_manifest *m) { return m->version >= 2 ? m->mailbox : ""; }
const char *ews_manifest_folder(const ews_manifest *m) { return m->version >= 2 ? m->folder : ""; }
int ews_manifest_version(const ews_manifest *m) { return m->version; }
const char *ews_manifest_dir(const ews_manifest *m) { return m->dir; }
int ews_manifest_is_for(const ews_manifest *m, const char *dir, const char *mailbox, const char *folder)
{
	return !strcmp(m->dir, dir) && !strcmp(m->mailbox, mailbox ? mailbox : "") &&
	       !strcmp(m->folder, folder ? folder : "");
}

/* The index of id's entry, or -1. */
static long find(const ews_manifest *m, const char *id)
{
	uint32_t *s = m && id ? lookup((ews_manifest *)m, ews_manifest_id_hash(id), id) : NULL;
	return s && *s ? (long)*s - 1 : -1;
}

const ews_manifest_entry *ews_manifest_find(const ews_manifest *m, const char *id)
{
	/* the lookup's last read was the entry it found */
	return find(m, id) < 0 ? NULL : &((ews_manifest *)m)->cur;
}

int ews_manifest_deleted_at(const ews_manifest *m, size_t i) { return (m->r[i] & F_DELETED) != 0; }
ews_status ews_manifest_error(const ews_manifest *m) { return m->broken; }

const ews_manifest_entry *ews_manifest_find_seen(ews_manifest *m, const char *id)
{
	long i = find(m, id);
	if (i < 0)
		return NULL;
	m->r[i] |= F_SEEN;
	return &m->cur; /* (as ews_manifest_find) */
}

int ews_manifest_seen(const ews_manifest *m, size_t i) { return (m->r[i] & F_SEEN) != 0; }

void ews_manifest_set_all_seen(ews_manifest *m, int seen)
{
	for (size_t i = 0; i < m->n; i++)
		m->r[i] = seen ? m->r[i] | F_SEEN : m->r[i] & ~F_SEEN;
}

void ews_manifest_unmark_seen(ews_manifest *m, const char *id)
{
	long i = find(m, id);
	if (i >= 0)
		m->r[i] &= ~F_SEEN;
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = fd < 0 || fsync(fd);
	if (fd >= 0)
		close(fd);
	return rc;
}

ews_status ews_manifest_lock(ews_manifest *m)
{
	if (m->lockfd >= 0)
		return ews_status_ok();
	ews_status st = ews_run_lock(m->dir, 1, "run (an export or backup into that directory)", &m->lockfd);
	return st.code == EWS_ERR_NOT_FOUND ? ews_status_ok() : st; /* locked when it is made */
}

/* The header line of version v (3: naming the pack), with its newline; its length, or >= cap when cut. */
static int header_line(const ews_manifest *m, int v, const char *pack, char *out, size_t cap)
{
	return v == 3 ? snprintf(out, cap, HEADER_V3 "mailbox=%s folder=%s pack=%s\n", m->mailbox, m->folder, pack)
	              : snprintf(out, cap, HEADER_V2 "mailbox=%s folder=%s\n", m->mailbox, m->folder);
}

/* What a line takes beside its file, id and change key: the numbers, the state, the fingerprint, the tabs. */
#define LINE_ROOM 96

/* An entry's line (with its newline) into out (room enough: the fields' lengths + LINE_ROOM); its length. */
static int format_line(char *out, int version, const ews_manifest_entry *e, long long offset)
{
	int w = sprintf(out, "%s\t%s\t%s\t%lld\t%s", e->file, e->id, e->change_key ? e->change_key : "", e->bytes,
	                e->deleted ? "deleted" : "exported");
	if (version == 3)
		w += offset >= 0 ? sprintf(out + w, "\t%lld", offset) : sprintf(out + w, "\t-");
	if (e->fingerprint && *e->fingerprint)
		w += sprintf(out + w, "\t%s", e->fingerprint);
	out[w++] = '\n';
	out[w] = '\0';
	return w;
}

/* The directory (locked), the manifest and its header, each durable, on the first record. */
static ews_status open_for_append(ews_manifest *m)
{
	if (m->fd >= 0)
		return ews_status_ok();
	if (mkdir(m->dir, 0700) && errno != EEXIST)
		return io("cannot create", m->dir);
	ews_status st = ews_manifest_lock(m);
	if (!ews_ok(st))
		return st;
	m->fd = open(m->path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (m->fd < 0)
		return io("cannot open", m->path);
	struct stat sb;
	if (fstat(m->fd, &sb))
		return io("cannot stat", m->path);
	/* what this manifest knows of the file is what it read at open: another run that wrote meanwhile (before
	 * this one held the lock) would have its lines cut or unindexed */
	if ((uint64_t)sb.st_size != m->size) {
		close(m->fd);
		m->fd = -1;
		return ews_status_make(EWS_ERR_BUSY, "%.200s changed since it was read (another run): open it again",
		                       m->path);
	}
	if (m->valid < m->size) {
		if (ftruncate(m->fd, (off_t)m->valid))
			return io("cannot cut the torn last line of", m->path);
		m->size = m->valid;
	}
	if (m->size == 0) {
		char *h = malloc(strlen(m->mailbox) + strlen(m->folder) + 128);
		if (!h)
			return nomem();
		int len = header_line(m, m->want_pack ? 3 : 2, m->pack, h, strlen(m->mailbox) + strlen(m->folder) + 128);
		m->version = m->want_pack ? 3 : 2;
		int rc = ews_fd_write_all(m->fd, h, (size_t)len) || fdatasync(m->fd) || fsync_dir(m->dir);
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
	if (!ews_ok(m->broken))
		return m->broken;
	if (m->version == 1)
		return ews_status_make(EWS_ERR_FORMAT, "%.200s is a version 1 manifest (read for upload only): export into a "
		                       "new directory", m->path);
	ews_status st = open_for_append(m);
	if (!ews_ok(st) || n == 0)
		return st;
	size_t cap = 1;
	for (size_t i = 0; i < n; i++) {
		if (!entries[i].file || !entries[i].id || bad_field(entries[i].file) || bad_field(entries[i].id) ||
		    bad_field(entries[i].change_key) || strchr(entries[i].file, '/') || !*entries[i].file ||
		    !*entries[i].id)
			return ews_status_make(EWS_ERR_ARGUMENT, "ews_manifest_record: entry %zu: bad file or id", i + 1);
		const char *fp = entries[i].fingerprint;
		if (fp && *fp && !ews_manifest_is_fingerprint(fp))
			return ews_status_make(EWS_ERR_ARGUMENT, "ews_manifest_record: entry %zu: bad fingerprint", i + 1);
		if (m->version == 3 && entries[i].offset < 0 && !entries[i].deleted)
			return ews_status_make(EWS_ERR_ARGUMENT, "ews_manifest_record: entry %zu: no data in the pack", i + 1);
		cap += strlen(entries[i].file) + strlen(entries[i].id) +
		       (entries[i].change_key ? strlen(entries[i].change_key) : 0) + LINE_ROOM;
	}
	char *buf = malloc(cap), *p = buf;
	uint32_t *len = malloc(n * sizeof *len);
	if (!buf || !len) {
		free(buf);
		free(len);
		return nomem();
	}
	for (size_t i = 0; i < n; i++) {
		int w = format_line(p, m->version, &entries[i], entries[i].offset);
		len[i] = (uint32_t)w - 1;
		p += w;
	}
	/* the data first (the files and their names, or the pack), then the lines that say it is there */
	struct stat sb;
	if (fstat(m->fd, &sb))
		st = io("cannot stat", m->path);
	else if (m->version == 3 ? m->pack_fd >= 0 && fdatasync(m->pack_fd) : syncfs(m->fd))
		st = io(m->version == 3 ? "cannot sync the pack of" : "cannot sync the file system of", m->dir);
	else if (ews_fd_write_all(m->fd, buf, (size_t)(p - buf)) || fdatasync(m->fd)) {
		st = io("cannot append to", m->path);
		/* none of this batch's lines stays (a full disk may have taken some): they are all reported failed */
		if (ftruncate(m->fd, sb.st_size) == 0)
			fdatasync(m->fd);
	}
	free(buf);
	uint64_t off = (uint64_t)sb.st_size;
	for (size_t i = 0; ews_ok(st) && i < n; i++) {
		if (ews_ok(st = put(m, entries[i].id, off, entries[i].deleted, 1))) {
			m->lines++;
			m->data_sum += m->version == 3 && entries[i].offset >= 0 ? (uint64_t)entries[i].bytes : 0;
		}
		off += len[i] + 1;
	}
	free(len);
	return st;
}

/* The manifest without superseded lines: the current lines, in order, read back from the file and written in
 * pieces into the temporary file of an atomic write (ews_wf_write_file_atomic_with), which is renamed over it.
 * After a repack (newoff set) each line is written again with its data's offset in the new pack. */
struct rewrite {
	ews_manifest *m;
	const char *pack;                   /* the pack the header names (version 3)                            */
	const long long *newoff;            /* NULL: the lines as they are                                       */
};

static ews_status fill_compacted(void *arg, int fd, const char *tmp)
{
	const struct rewrite *rw = arg;
	ews_manifest *m = rw->m;
	size_t cap = (size_t)64 << 10, used = 0;
	char *buf = malloc(cap);
	ews_status st = buf ? ews_status_ok() : nomem();
	if (ews_ok(st))
		used = (size_t)header_line(m, m->version, rw->pack, buf, cap);
	if (ews_ok(st) && used >= cap)
		st = ews_status_make(EWS_ERR_ARGUMENT, "%.200s: header too long", m->path);
	for (size_t i = 0; ews_ok(st) && i < m->n; i++) {
		/* a line as it is, or (repacked) its entry, to be written again with its new offset */
		const ews_manifest_entry *e = NULL;
		long len = !rw->newoff ? read_line(m, REC_OFF(m->r[i]))
		         : (e = load(m, i)) ? (long)(strlen(e->file) + strlen(e->id) + strlen(e->change_key) + LINE_ROOM)
		                            : -1;
		if (len < 0) {
			st = m->broken;
			break;
		}
		size_t need = (size_t)len + 1;
		if (cap - used < need) {
			if (ews_fd_write_all(fd, buf, used))
				st = io("cannot write", tmp);
			used = 0;
		}
		if (ews_ok(st) && need > cap) {
			char *nb = realloc(buf, need);
			if (!nb)
				st = nomem();
			else
				buf = nb, cap = need;
		}
		if (ews_ok(st) && e) {
			used += (size_t)format_line(buf + used, 3, e, rw->newoff[i]);
		} else if (ews_ok(st)) {
			memcpy(buf + used, m->line, (size_t)len);
			used += (size_t)len + 1;
			buf[used - 1] = '\n';
		}
	}
	if (ews_ok(st) && ews_fd_write_all(fd, buf, used))
		st = io("cannot write", tmp);
	free(buf);
	return st; /* (failed: the old manifest stays, superseded lines and all) */
}

static ews_status compact(ews_manifest *m)
{
	return ews_wf_write_file_atomic_with(m->path, 1, fill_compacted, &(struct rewrite){ m, m->pack, NULL });
}

/* Copy the live data (what current lines refer to) of the pack into `path`, in line order; newoff[i] gets entry
 * i's offset there. Durable before it returns OK. */
static ews_status copy_live(ews_manifest *m, const char *path, long long *newoff)
{
	int out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t cap = (size_t)256 << 10;
	unsigned char *buf = out >= 0 ? malloc(cap) : NULL;
	ews_status st = out < 0 ? io("cannot create", path) : buf ? ews_status_ok() : nomem();
	long long pos = 0;
	for (size_t i = 0; ews_ok(st) && i < m->n; i++) {
		const ews_manifest_entry *e = load(m, i);
		if (!e) {
			st = m->broken;
			break;
		}
		newoff[i] = e->offset < 0 ? -1 : pos;
		for (long long done = 0; e->offset >= 0 && ews_ok(st) && done < e->bytes;) {
			size_t want = (size_t)(e->bytes - done) < cap ? (size_t)(e->bytes - done) : cap;
			st = pack_read(m, e, buf, want, e->offset + done);
			if (ews_ok(st) && ews_fd_write_all(out, buf, want))
				st = io("cannot write", path);
			done += (long long)want;
		}
		if (e->offset >= 0)
			pos += e->bytes;
	}
	if (ews_ok(st) && (fdatasync(out) || fsync_dir(m->dir)))
		st = io("cannot sync", path);
	free(buf);
	if (out >= 0)
		close(out);
	return st;
}

/* A writer's pack whose dead data (no current line refers to it) is more than half of it and over REPACK_MIN:
 * the live data copied into the next generation's pack, the manifest rewritten to name it, the old one removed.
 * 1 when it did (the manifest is compact then), 0 when the pack is left as it is; failures leave the old pack
 * and manifest as they were (and their status in *st). */
static int repack(ews_manifest *m, ews_status *st)
{
	/* no superseded line: every line's data is live (the common case, a first export: no read-back) */
	uint64_t live = m->lines == m->n ? m->data_sum : 0;
	for (size_t i = 0; m->lines != m->n && i < m->n; i++) {
		const ews_manifest_entry *e = load(m, i);
		if (!e) {
			*st = m->broken;
			return 0;
		}
		live += e->offset >= 0 ? (uint64_t)e->bytes : 0;
	}
	uint64_t dead = m->pack_end > live ? m->pack_end - live : 0;
	if (dead <= live || dead < repack_min)
		return 0;
	unsigned g = 1;
	sscanf(m->pack, "items-%u.pack", &g);
	char name[32];
	snprintf(name, sizeof name, "items-%u.pack", g + 1 > g ? g + 1 : 1);
	char *path = in_dir(m, name), *old = in_dir(m, m->pack);
	long long *newoff = malloc((m->n ? m->n : 1) * sizeof *newoff);
	*st = path && old && newoff ? copy_live(m, path, newoff) : nomem();
	if (ews_ok(*st))
		*st = ews_wf_write_file_atomic_with(m->path, 1, fill_compacted, &(struct rewrite){ m, name, newoff });
	if (ews_ok(*st)) {
		unlink(old); /* (a crash before this: the next writer removes it, its header names the new one) */
		char *keep = strdup(name);
		if (keep) {
			free(m->pack);
			m->pack = keep;
		}
	} else if (path) {
		unlink(path);
	}
	free(newoff);
	free(path);
	free(old);
	return ews_ok(*st);
}

ews_status ews_manifest_close(ews_manifest *m)
{
	ews_status st = ews_status_ok();
	if (!m)
		return st;
	/* only a writer (it holds the directory's lock): a reader rewriting the file would lose what a writer appends
	 * to the one it replaced */
	int writer = m->lockfd >= 0 && ews_ok(m->broken);
	/* a pack this run wrote to: its dead data dropped when it is most of it (a repack compacts the lines too) */
	int repacked = writer && m->version == 3 && m->fd >= 0 && m->pack_wrote && repack(m, &st);
	if (writer && !repacked && ews_ok(st) && m->version >= 2 && m->lines > m->n)
		st = compact(m);
	/* a pack this run made for a manifest it never wrote: only unrecorded data */
	if (m->pack_made && m->version == 0) {
		char *path = in_dir(m, m->pack);
		if (path)
			unlink(path);
		free(path);
	}
	if (m->pack_fd >= 0)
		close(m->pack_fd);
	free(m->pack);
	if (m->fd >= 0)
		close(m->fd);
	if (m->rfd >= 0)
		close(m->rfd);
	if (m->lockfd >= 0)
		close(m->lockfd);   /* after the compaction's rename */
	map_free(m->r, m->cap * sizeof *m->r);
	map_free(m->slot, m->nslot * sizeof *m->slot);
	free(m->line);
	free(m->dir);
	free(m->path);
	free(m->mailbox);
	free(m->folder);
	free(m);
	return st;
}
