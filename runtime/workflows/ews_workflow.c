/* ews_workflow.c — request-building, file and status helpers shared by the pager, sync, export and convert. */
#define _GNU_SOURCE /* O_TMPFILE */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ews/export.h"
#include "ews/response.h"
#include "ews_fd.h"
#include "ews_internal.h"
#include "ews_workflow.h"

/* These two pass the core's context helpers through: the workflow modules make and free their private contexts
 * with them (ews_workflow.h), and what a context costs and how it is freed stays the core's (ews_transport.c). */
struct soap *ews_wf_soap_new(void)
{
	return ews_soap_new(SOAP_C_UTFSTRING);
}

void ews_wf_soap_free(struct soap *soap)
{
	ews_soap_free(soap);
}

void ews_wf_soap_end(struct soap *soap)
{
	soap_destroy(soap);   /* a response moved in brought its body along (runtime/core/ews_body.c) */
	soap_end(soap);
}

void ews_wf_keep_response(ews_client *c, struct soap *keep)
{
	struct soap *cs = ews_client_soap(c);
	cs->header = NULL;
	soap_delegate_deletion(cs, keep);
}

char *ews_wf_strdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

int ews_wf_distinguished_name(struct soap *soap, const char *name, enum ewstype__DistinguishedFolderIdNameType *out)
{
	return EWS_WF_ENUM_FROM_NAME(soap, ewstype__DistinguishedFolderIdNameType, name, out);
}

/* Either a DistinguishedFolderId (with an optional Mailbox) or a FolderId; `*dist`/`*plain` get the one made. */
static ews_status folder_id(struct soap *soap, const char *folder, const char *mailbox,
                            struct ewstype__DistinguishedFolderIdType **dist, struct ewstype__FolderIdType **plain)
{
	enum ewstype__DistinguishedFolderIdNameType name;
	*dist = NULL;
	*plain = NULL;
	if (!folder || !*folder)
		return ews_status_make(EWS_ERR_ARGUMENT, "no folder given");
	if (ews_wf_distinguished_name(soap, folder, &name)) {
		*dist = soap_new_ewstype__DistinguishedFolderIdType(soap, -1);
		if (!*dist)
			return ews_status_make(EWS_ERR_NOMEM, "out of memory");
		(*dist)->Id = name;
		if (mailbox) {
			(*dist)->Mailbox = soap_new_ewstype__EmailAddressType(soap, -1);
			if (!(*dist)->Mailbox || !((*dist)->Mailbox->EmailAddress = soap_strdup(soap, mailbox)))
				return ews_status_make(EWS_ERR_NOMEM, "out of memory");
		}
		return ews_status_ok();
	}
	*plain = soap_new_ewstype__FolderIdType(soap, -1);
	if (!*plain || !((*plain)->Id = soap_strdup(soap, folder)))
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	return ews_status_ok();
}

ews_status ews_wf_folder_ids(struct soap *soap, const char *folder, const char *mailbox,
                             struct ewstype__NonEmptyArrayOfBaseFolderIdsType **out)
{
	struct ewstype__DistinguishedFolderIdType *dist;
	struct ewstype__FolderIdType *plain;
	ews_status st = folder_id(soap, folder, mailbox, &dist, &plain);
	if (!ews_ok(st))
		return st;
	struct ewstype__NonEmptyArrayOfBaseFolderIdsType *a = soap_new_ewstype__NonEmptyArrayOfBaseFolderIdsType(soap, -1);
	struct __ewstype__union_NonEmptyArrayOfBaseFolderIdsType *u =
		soap_new___ewstype__union_NonEmptyArrayOfBaseFolderIdsType(soap, 1);
	if (!a || !u)
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	if (dist) {
		u->__union_NonEmptyArrayOfBaseFolderIdsType =
			SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseFolderIdsType_DistinguishedFolderId;
		u->union_NonEmptyArrayOfBaseFolderIdsType.DistinguishedFolderId = dist;
	} else {
		u->__union_NonEmptyArrayOfBaseFolderIdsType = SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseFolderIdsType_FolderId;
		u->union_NonEmptyArrayOfBaseFolderIdsType.FolderId = plain;
	}
	a->__size_NonEmptyArrayOfBaseFolderIdsType = 1;
	a->__union_NonEmptyArrayOfBaseFolderIdsType = u;
	*out = a;
	return ews_status_ok();
}

ews_status ews_wf_target_folder(struct soap *soap, const char *folder, const char *mailbox,
                                struct ewstype__TargetFolderIdType **out)
{
	struct ewstype__DistinguishedFolderIdType *dist;
	struct ewstype__FolderIdType *plain;
	ews_status st = folder_id(soap, folder, mailbox, &dist, &plain);
	if (!ews_ok(st))
		return st;
	struct ewstype__TargetFolderIdType *t = soap_new_ewstype__TargetFolderIdType(soap, -1);
	if (!t)
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	if (dist) {
		t->__union_TargetFolderIdType = SOAP_UNION__ewstype__union_TargetFolderIdType_DistinguishedFolderId;
		t->union_TargetFolderIdType.DistinguishedFolderId = dist;
	} else {
		t->__union_TargetFolderIdType = SOAP_UNION__ewstype__union_TargetFolderIdType_FolderId;
		t->union_TargetFolderIdType.FolderId = plain;
	}
	*out = t;
	return ews_status_ok();
}

static ews_status base_shape(struct soap *soap, const char *shape, enum ewstype__DefaultShapeNamesType *out)
{
	*out = ewstype__DefaultShapeNamesType__Default;
	if (!shape)
		return ews_status_ok();
	if (!strcmp(shape, "IdOnly"))
		*out = ewstype__DefaultShapeNamesType__IdOnly;
	else if (!strcmp(shape, "Default"))
		*out = ewstype__DefaultShapeNamesType__Default;
	else if (!strcmp(shape, "AllProperties"))
		*out = ewstype__DefaultShapeNamesType__AllProperties;
	else
		return ews_status_make(EWS_ERR_ARGUMENT, "unknown BaseShape \"%.64s\" (IdOnly, Default, AllProperties)",
		                       shape);
	return ews_status_ok();
}

/* AdditionalProperties from FieldURI names; NULL when there are none. */
static ews_status paths(struct soap *soap, const char *const *props, const char *extra,
                        struct ewstype__NonEmptyArrayOfPathsToElementType **out)
{
	int n = 0;
	*out = NULL;
	for (; props && props[n]; n++)
		if (n >= 256)
			return ews_status_make(EWS_ERR_ARGUMENT, "more than 256 additional properties");
	int total = n + (extra ? 1 : 0);
	if (!total)
		return ews_status_ok();
	struct ewstype__NonEmptyArrayOfPathsToElementType *a = soap_new_ewstype__NonEmptyArrayOfPathsToElementType(soap, -1);
	struct __ewstype__union_NonEmptyArrayOfPathsToElementType *u =
		soap_new___ewstype__union_NonEmptyArrayOfPathsToElementType(soap, total);
	if (!a || !u)
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	for (int i = 0; i < total; i++) {
		const char *name = i < n ? props[i] : extra;
		struct ewstype__PathToUnindexedFieldType *f = soap_new_ewstype__PathToUnindexedFieldType(soap, -1);
		if (!f)
			return ews_status_make(EWS_ERR_NOMEM, "out of memory");
		if (!EWS_WF_ENUM_FROM_NAME(soap, ewstype__UnindexedFieldURIType, name, &f->FieldURI))
			return ews_status_make(EWS_ERR_ARGUMENT, "unknown FieldURI \"%.64s\"", name ? name : "(null)");
		u[i].__union_NonEmptyArrayOfPathsToElementType = SOAP_UNION__ewstype__union_NonEmptyArrayOfPathsToElementType_FieldURI;
		u[i].union_NonEmptyArrayOfPathsToElementType.FieldURI = f;
	}
	a->__size_NonEmptyArrayOfPathsToElementType = total;
	a->__union_NonEmptyArrayOfPathsToElementType = u;
	*out = a;
	return ews_status_ok();
}

ews_status ews_wf_item_shape(struct soap *soap, const char *shape, const char *const *props, const char *extra,
                             struct ewstype__ItemResponseShapeType **out)
{
	struct ewstype__ItemResponseShapeType *s = soap_new_ewstype__ItemResponseShapeType(soap, -1);
	if (!s)
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	ews_status st = base_shape(soap, shape, &s->BaseShape);
	if (ews_ok(st))
		st = paths(soap, props, extra, &s->AdditionalProperties);
	*out = ews_ok(st) ? s : NULL;
	return st;
}

ews_status ews_wf_folder_shape(struct soap *soap, const char *shape, const char *const *props,
                               struct ewstype__FolderResponseShapeType **out)
{
	struct ewstype__FolderResponseShapeType *s = soap_new_ewstype__FolderResponseShapeType(soap, -1);
	if (!s)
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	ews_status st = base_shape(soap, shape, &s->BaseShape);
	if (ews_ok(st))
		st = paths(soap, props, NULL, &s->AdditionalProperties);
	*out = ews_ok(st) ? s : NULL;
	return st;
}

/* Reading: a missing file is EWS_ERR_NOT_FOUND (callers treat it as "nothing saved yet"). */
static ews_status io_error(const char *what, const char *path)
{
	return ews_status_make(errno == ENOENT ? EWS_ERR_NOT_FOUND : EWS_ERR_FILE, "%s %.200s: %s", what, path,
	                       strerror(errno));
}

/* Writing: every failure is EWS_ERR_FILE. */
static ews_status write_error(const char *what, const char *path)
{
	return ews_status_make(EWS_ERR_FILE, "%s %.200s: %s", what, path, strerror(errno));
}

/* The characters mkstemp() puts in place of XXXXXX (glibc: letters and digits). */
static int mkstemp_tail(const char *s)
{
	for (int i = 0; i < 6; i++, s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
			return 0;
	return *s == '\0';
}

int ews_wf_is_own_temp_name(const char *name, const char *target)
{
	const char *tmp = strstr(name, ".tmp"), *dot;
	size_t stem;

	/* the last ".tmp" followed by exactly 6 mkstemp characters */
	while (tmp && strstr(tmp + 1, ".tmp"))
		tmp = strstr(tmp + 1, ".tmp");
	if (!tmp || !mkstemp_tail(tmp + 4) || !strcmp(name, target))
		return 0;
	stem = (size_t)(tmp - name);
	if (stem == strlen(target) && !strncmp(name, target, stem))
		return 1; /* this very target's */
	/* a sibling written the same way: the same extension (".ews" of an export, ".state" of a sync) */
	dot = strrchr(target, '.');
	if (!dot || dot == target || !dot[1])
		return 0;
	return stem > strlen(dot) && !strncmp(tmp - strlen(dot), dot, strlen(dot));
}

int ews_wf_remove_stale_temps(const char *dir, const char *target)
{
	DIR *d = opendir(dir && *dir ? dir : ".");
	struct dirent *e;
	int removed = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		struct stat sb;
		int fd;
		if (!ews_wf_is_own_temp_name(e->d_name, target))
			continue;
		fd = openat(dirfd(d), e->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			continue;
		/* a writer that is alive holds its lock on the file (see below); a killed one's lock is gone */
		if (!fstat(fd, &sb) && S_ISREG(sb.st_mode) && !flock(fd, LOCK_EX | LOCK_NB) &&
		    !unlinkat(dirfd(d), e->d_name, 0))
			removed++;
		close(fd);
	}
	closedir(d);
	return removed;
}

/* Directories (and target extensions) this process already cleaned: one scan each, not one per file written
 * (an export writes thousands of files into one directory). */
static pthread_mutex_t cleaned_lock = PTHREAD_MUTEX_INITIALIZER;
static char *cleaned[64];
static int ncleaned;

static void clean_once(const char *path)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path, *dot = strrchr(base, '.');
	char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
	char *key = NULL;
	int seen = 0;

	/* the key: the directory and the target's extension (or its whole name when it has none) */
	if (!dir || !(key = malloc(strlen(dir) + strlen(base) + 2))) {
		free(dir);
		return;
	}
	sprintf(key, "%s\n%s", dir, dot && dot != base ? dot : base);
	pthread_mutex_lock(&cleaned_lock);
	for (int i = 0; i < ncleaned && !seen; i++)
		seen = !strcmp(cleaned[i], key);
	if (!seen && ncleaned < (int)(sizeof cleaned / sizeof *cleaned)) {
		cleaned[ncleaned++] = key; /* kept for the life of the process */
		key = NULL;
	} else if (!seen) {
		seen = -1; /* table full: clean every time rather than never */
	}
	pthread_mutex_unlock(&cleaned_lock);
	if (seen != 1)
		ews_wf_remove_stale_temps(dir, base);
	free(key);
	free(dir);
}

/* The rename (or link) is only durable once the directory entry is. */
static ews_status fsync_parent(const char *path)
{
	ews_status st = ews_status_ok();
	char *dir = strdup(path);
	if (!dir)
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	char *slash = strrchr(dir, '/');
	const char *d = slash ? (slash == dir ? "/" : (*slash = 0, dir)) : ".";
	int dfd = open(d, O_RDONLY | O_DIRECTORY);
	if (dfd < 0 || fsync(dfd))
		st = write_error("cannot fsync directory", d);
	if (dfd >= 0)
		close(dfd);
	free(dir);
	return st;
}

/* Give the unnamed file fd the name `name` relative to dfd (AT_FDCWD: name is a path). linkat(AT_EMPTY_PATH)
 * needs no /proc path walk (allowed for one's own descriptors since Linux 6.10; before, only with
 * CAP_DAC_READ_SEARCH); where it is refused, /proc/self/fd/N is linked instead, and this process remembers to
 * go there directly. -1 with errno on failure (EEXIST: the name exists, linkat never replaces). */
static int link_unnamed(int fd, int dfd, const char *name)
{
	static volatile int no_empty_path; /* a benign race: at worst one more refused attempt */
	char proc[64];
	if (!no_empty_path) {
		if (!linkat(fd, "", dfd, name, AT_EMPTY_PATH))
			return 0;
		if (errno != ENOENT && errno != EPERM && errno != EINVAL && errno != EOPNOTSUPP)
			return -1;
	}
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	if (linkat(AT_FDCWD, proc, dfd, name, AT_SYMLINK_FOLLOW))
		return -1;
	no_empty_path = 1; /* the /proc way works where the empty path did not */
	return 0;
}

/* A file that does not exist yet (every file of a first export): written unnamed (O_TMPFILE) and given its name
 * by linkat(), so no temporary name is created, locked, renamed and later cleaned up, and the directory changes
 * once instead of three times (bench/transfer.sh: ~40 -> ~33 us of CPU per file on ext4 here). The unnamed file
 * is made in `dir` (a path) or, when dir is NULL, in the directory dfd; `name` is linked relative to dfd (a path
 * when dfd is AT_FDCWD); `path` names the file in messages. Returns 1 when it handled the file (*st: how it
 * went), 0 when the caller takes the rename path: the target exists (linkat never replaces), or the file system
 * or a missing /proc cannot do it. A crash leaves no trace: the unnamed file dies with its descriptor. */
static int write_unnamed(int dfd, const char *dir, const char *name, const char *path, const void *data,
                         size_t len, int durable, ews_status *st)
{
#ifdef O_TMPFILE
	static volatile int unsupported; /* this process learnt that it cannot (a benign race: it only retries) */
	if (unsupported)
		return 0;
	int fd = dir ? open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600)
	             : openat(dfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)
			unsupported = 1;
		return 0; /* the rename path reports a missing directory as it always did */
	}
	*st = ews_status_ok();
	if (ews_fd_write_all(fd, data, len))
		*st = write_error("cannot write", path);
	else if (durable && fsync(fd))
		*st = write_error("cannot fsync", path);
	if (!ews_ok(*st)) {
		close(fd);
		return 1;
	}
	if (link_unnamed(fd, dfd, name)) {
		int e = errno;
		close(fd);
		if (e == EEXIST)
			return 0;
		if (e == ENOENT && access("/proc/self/fd", X_OK))
			unsupported = 1;
		if (e == ENOENT || e == EPERM || e == EOPNOTSUPP || e == EXDEV)
			return 0;
		errno = e;
		*st = write_error("cannot link", path);
		return 1;
	}
	if (close(fd))
		*st = write_error("cannot close", path); /* named already: the data may be incomplete */
	return 1;
#else
	(void)dfd, (void)dir, (void)name, (void)path, (void)data, (void)len, (void)durable, (void)st;
	return 0;
#endif
}

/* The way for a file that exists already (or where the unnamed way cannot be taken). The temporary file sits
 * next to the target so that rename() stays within one file system (atomic); fill writes the content into it. */
static ews_status write_renamed_with(const char *path, int durable, ews_wf_fill_fn fill, void *arg)
{
	ews_status st;
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 16);
	if (!tmp)
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	snprintf(tmp, plen + 16, "%s.tmpXXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		st = write_error("cannot create a temporary file for", path);
		free(tmp);
		return st;
	}
	/* Locked until it is renamed: tells a live writer's file from a dead one's, for the clean-up above. */
	flock(fd, LOCK_EX);
	st = fill(arg, fd, tmp);
	if (ews_ok(st) && durable && fsync(fd))
		st = write_error("cannot fsync", tmp);
	/* mkstemp makes 0600; a saved state or an exported item is the user's data: keep it private. */
	if (ews_ok(st) && rename(tmp, path))
		st = write_error("cannot rename onto", path);
	if (close(fd) && ews_ok(st))
		st = write_error("cannot close", path); /* renamed already: the data may be incomplete */
	if (!ews_ok(st)) {
		unlink(tmp);
		free(tmp);
		return st;
	}
	free(tmp);
	return durable ? fsync_parent(path) : st;
}

struct bytes {
	const void *data;
	size_t len;
};

static ews_status fill_bytes(void *arg, int fd, const char *tmp)
{
	const struct bytes *b = arg;
	return ews_fd_write_all(fd, b->data, b->len) ? write_error("cannot write", tmp) : ews_status_ok();
}

static ews_status write_renamed(const char *path, const void *data, size_t len, int durable)
{
	return write_renamed_with(path, durable, fill_bytes, &(struct bytes){ data, len });
}

ews_status ews_wf_write_file_atomic_with(const char *path, int durable, ews_wf_fill_fn fill, void *arg)
{
	if (!path || !*path || strlen(path) > 4000 || !fill)
		return ews_status_make(EWS_ERR_ARGUMENT, "no path or fill function");
	clean_once(path); /* (as ews_wf_write_file_atomic) */
	return write_renamed_with(path, durable, fill, arg);
}

static ews_status check_write_args(const char *path, const void *data, size_t len)
{
	if (!path || !*path || (!data && len))
		return ews_status_make(EWS_ERR_ARGUMENT, "no path or data");
	if (strlen(path) > 4000)
		return ews_status_make(EWS_ERR_ARGUMENT, "path too long");
	return ews_status_ok();
}

ews_status ews_run_lock(const char *path, int is_dir, const char *what, int *fd)
{
	if (fd)
		*fd = -1;
	if (!path || !*path || !what || !fd)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_run_lock: no path, what or fd");
	*fd = is_dir ? open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (*fd < 0)
		return errno == ENOENT ? ews_status_make(EWS_ERR_NOT_FOUND, "%.200s does not exist", path)
		                       : ews_status_make(EWS_ERR_FILE, "cannot open %.200s: %s", path, strerror(errno));
	/* a run killed a moment ago holds its lock until the kernel has closed its files: a rerun started at once
	 * (kill -9, then the same command) waits for that, 20 times 50 ms, before calling the path busy */
	int locked = 0;
	for (int tries = 0; !(locked = !flock(*fd, LOCK_EX | LOCK_NB)) && errno == EWOULDBLOCK && tries < 20; tries++)
		nanosleep(&(struct timespec){ 0, 50 * 1000000L }, NULL);
	if (locked)
		return ews_status_ok();
	int e = errno;
	close(*fd);
	*fd = -1;
	if (e == EWOULDBLOCK)
		return ews_status_make(EWS_ERR_BUSY, "%.200s is in use by another %.100s: try again when it has ended", path,
		                       what);
	errno = e;
	return ews_status_make(EWS_ERR_FILE, "cannot lock %.200s: %s", path, strerror(errno));
}


ews_status ews_wf_write_file_atomic(const char *path, const void *data, size_t len, int durable)
{
	ews_status st = check_write_args(path, data, len);
	if (!ews_ok(st))
		return st;
	/* A run killed between mkstemp and rename (below) leaves its temporary file: the first write into a
	 * directory removes what earlier runs left there (only these names, see ews_wf_is_own_temp_name). */
	clean_once(path);
	char dir[4100];
	const char *slash = strrchr(path, '/');
	if (slash)
		snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
	else
		strcpy(dir, ".");
	if (write_unnamed(AT_FDCWD, dir, path, path, data, len, durable, &st))
		return ews_ok(st) && durable ? fsync_parent(path) : st;
	return write_renamed(path, data, len, durable);
}

void ews_wf_dir_close(ews_wf_dir *d)
{
	if (!d)
		return;
	if (d->fd >= 0)
		close(d->fd);
	free(d->path);
	d->fd = -1;
	d->path = NULL;
	d->len = 0;
	d->cleaned[0] = '\0';
}

ews_status ews_wf_write_file_in(ews_wf_dir *d, const char *path, const void *data, size_t len, int durable)
{
	ews_status st = check_write_args(path, data, len);
	if (!d || !ews_ok(st))
		return ews_ok(st) ? ews_wf_write_file_atomic(path, data, len, durable) : st;
	const char *slash = strrchr(path, '/'), *name = slash ? slash + 1 : path;
	size_t dl = slash ? (slash == path ? 1 : (size_t)(slash - path)) : 0;
	if (!*name)
		return ews_wf_write_file_atomic(path, data, len, durable); /* reports it as it always did */
	if (d->fd < 0 || d->len != dl || (dl && memcmp(d->path, path, dl))) {
		ews_wf_dir_close(d);
		char *dp = slash ? strndup(path, dl) : strdup(".");
		int fd = dp ? open(dp, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
		if (fd < 0) {
			free(dp);
			return ews_wf_write_file_atomic(path, data, len, durable); /* (and its error) */
		}
		d->fd = fd;
		d->path = dp;
		d->len = dl;
	}
	/* the stale temporaries of this directory and extension: once (clean_once's key, kept here to skip it) */
	const char *dot = strrchr(name, '.'), *key = dot && dot != name ? dot : name;
	if (strcmp(d->cleaned, key)) {
		clean_once(path);
		snprintf(d->cleaned, sizeof d->cleaned, "%s", strlen(key) < sizeof d->cleaned ? key : "");
	}
	if (write_unnamed(d->fd, NULL, name, path, data, len, durable, &st)) {
		if (ews_ok(st) && durable && fsync(d->fd))
			st = write_error("cannot fsync directory", d->path);
		return st;
	}
	return write_renamed(path, data, len, durable);
}

ews_status ews_wf_read_file(const char *path, size_t max, unsigned char **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	if (!path || !*path)
		return ews_status_make(EWS_ERR_ARGUMENT, "no path");
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return io_error("cannot open", path);
	struct stat sb;
	if (fstat(fd, &sb)) {
		ews_status st = io_error("cannot stat", path);
		close(fd);
		return st;
	}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		return ews_status_make(EWS_ERR_FILE, "%.200s is not a regular file", path);
	}
	if ((unsigned long long)sb.st_size > max) {
		close(fd);
		return ews_status_make(EWS_ERR_TOO_LARGE, "%.200s has %lld bytes, more than the limit of %zu", path,
		                       (long long)sb.st_size, max);
	}
	size_t cap = (size_t)sb.st_size;
	unsigned char *buf = malloc(cap + 1);
	if (!buf) {
		close(fd);
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	}
	size_t got = 0;
	/* Read what the size promised; a file that grows meanwhile is cut at that size, one that shrinks ends early. */
	while (got < cap) {
		ssize_t r = read(fd, buf + got, cap - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ews_status st = io_error("cannot read", path);
			free(buf);
			close(fd);
			return st;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	buf[got] = 0;
	*data = buf;
	*len = got;
	return ews_status_ok();
}

ews_status ews_wf_message_status(const struct ewsmsg__ArrayOfResponseMessagesType *msgs, int i)
{
	ews_response_message m;
	if (ews_response_messages_get(msgs, i, &m))
		return ews_status_make(EWS_ERR_XML, "response message %d is missing or of an unknown type", i + 1);
	if (m.response_class != EWS_RESPONSE_ERROR)
		return ews_status_ok();
	const char *code = m.response_code ? m.response_code : "Error";
	ews_status st = ews_status_make(!strcmp(code, "ErrorInvalidSyncStateData") ? EWS_ERR_SYNC_STATE : EWS_ERR_RESPONSE,
	                                "%s: %s", code, m.message_text ? m.message_text : "(no message text)");
	snprintf(st.response_code, sizeof st.response_code, "%s", code);
	return st;
}
