/* test_tempfiles.c — temporary files of the atomic write (exports, sync states) that a killed run left behind are
 * removed by the next run; nothing else is, and no file a live writer still holds. A new file needs no
 * temporary name at all (written unnamed, then linked). */
#define _GNU_SOURCE /* O_TMPFILE */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ews/ews.h"
#include "ews_test.h"
#include "ews_workflow.h"

static char dir[64];

static void make_dir(void)
{
	strcpy(dir, "/tmp/ews-test-tmp.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
}

static void touch(const char *name)
{
	char p[256];
	FILE *f;
	snprintf(p, sizeof p, "%s/%s", dir, name);
	f = fopen(p, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("partial", f);
	fclose(f);
}

static int exists(const char *name)
{
	char p[256];
	struct stat sb;
	snprintf(p, sizeof p, "%s/%s", dir, name);
	return stat(p, &sb) == 0;
}

static void remove_dir(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

static const char *const look_alikes[] = {
	"AAA.ews.tmpAbC12",      /* 5 characters */
	"AAA.ews.tmpAbC1234",    /* 7 characters */
	"AAA.ews.tmp_bC123",     /* not a mkstemp character */
	"AAA.ews.tmpAbC123.bak", /* something after */
	"notes.txt.tmpAbC123",   /* another kind of file */
	"AAA.ewsx.tmpAbC123",    /* another extension */
	"ews.tmpAbC123",         /* no stem before the extension */
	"AAA.ews",               /* a finished export */
};

static void a_rerun_removes_the_temp_files_a_killed_export_left(void)
{
	char path[256];

	make_dir();
	touch("AAA.ews.tmpAbC123");
	touch("BBB.ews.tmpzzZZ99");
	touch("inbox.state.tmpQwErTy"); /* a sync state's: not this write's kind */
	for (size_t i = 0; i < sizeof look_alikes / sizeof *look_alikes; i++)
		touch(look_alikes[i]);
	snprintf(path, sizeof path, "%s/DDD.ews", dir);
	CU_ASSERT_EQUAL(ews_wf_write_file_atomic(path, "x", 1, 1).code, EWS_OK);
	CU_ASSERT(exists("DDD.ews"));
	CU_ASSERT(!exists("AAA.ews.tmpAbC123"));
	CU_ASSERT(!exists("BBB.ews.tmpzzZZ99"));
	CU_ASSERT(exists("inbox.state.tmpQwErTy"));
	for (size_t i = 0; i < sizeof look_alikes / sizeof *look_alikes; i++) {
		CU_ASSERT(exists(look_alikes[i]));
		if (!exists(look_alikes[i]))
			fprintf(stderr, "removed: %s\n", look_alikes[i]);
	}
	/* the state's temp files go when a state is saved there */
	touch("calendar.state.tmp0a1B2c");
	snprintf(path, sizeof path, "%s/inbox.state", dir);
	CU_ASSERT_EQUAL(ews_sync_state_save(path, "H4sIAAAAAAAEAO29B2AcSZYlJi9tynt/SvVK1+B0oQiAYBMk2JBAEOzBiM3mkuwd").code, EWS_OK);
	CU_ASSERT(!exists("inbox.state.tmpQwErTy"));
	CU_ASSERT(!exists("calendar.state.tmp0a1B2c"));
	CU_ASSERT(exists("inbox.state"));
	for (size_t i = 0; i < sizeof look_alikes / sizeof *look_alikes; i++)
		CU_ASSERT(exists(look_alikes[i]));
	remove_dir();
}

/* A target without an extension: only its own temp files count. */
static void a_name_without_extension_only_cleans_its_own_temp_files(void)
{
	CU_ASSERT(ews_wf_is_own_temp_name("state.tmpABCdef", "state"));
	CU_ASSERT(!ews_wf_is_own_temp_name("other.tmpABCdef", "state"));
	CU_ASSERT(!ews_wf_is_own_temp_name("state", "state"));
	CU_ASSERT(!ews_wf_is_own_temp_name("state.tmpABCdef", "state.tmpABCdef"));
	CU_ASSERT(ews_wf_is_own_temp_name("x.ews.tmpABCdef", "y.ews"));
	CU_ASSERT(!ews_wf_is_own_temp_name("x.ews.tmpABCdef", "y.eml"));
	CU_ASSERT(!ews_wf_is_own_temp_name(".tmpABCdef", "state"));
}

/* A run killed -9 between mkstemp and rename (its lock dies with it) versus one still writing (locked). */
static void a_temp_file_of_a_live_writer_is_kept_and_a_killed_ones_removed(void)
{
	char killed[256], live[256], path[256];
	int status, fd;
	pid_t pid;

	make_dir();
	snprintf(killed, sizeof killed, "%s/inbox.state.tmpXXXXXX", dir);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		int cfd = mkstemp(killed);
		if (cfd < 0 || flock(cfd, LOCK_EX) || write(cfd, "half", 4) != 4)
			_exit(1);
		raise(SIGKILL);
		_exit(2);
	}
	CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
	CU_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	snprintf(live, sizeof live, "%s/other.state.tmpXXXXXX", dir);
	fd = mkstemp(live);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(flock(fd, LOCK_EX), 0);
	snprintf(path, sizeof path, "%s/inbox.state", dir);
	CU_ASSERT_EQUAL(ews_sync_state_save(path, "state").code, EWS_OK);
	CU_ASSERT_EQUAL(ews_wf_remove_stale_temps(dir, "inbox.state"), 0); /* nothing left to remove */
	{
		char cmd[256];
		snprintf(cmd, sizeof cmd, "ls '%s' | grep -c 'inbox.state.tmp' >/dev/null", dir);
		CU_ASSERT_NOT_EQUAL(system(cmd), 0); /* the killed run's file is gone */
	}
	CU_ASSERT_EQUAL(access(live, F_OK), 0); /* the live writer's is not */
	close(fd);
	CU_ASSERT_EQUAL(ews_wf_remove_stale_temps(dir, "inbox.state"), 1); /* once it is no longer held */
	remove_dir();
}

/* The names that appeared in dir while `path` was written (inotify: created or moved in), space-separated;
 * through the kept directory d when not NULL (ews_wf_write_file_in). */
static void names_created_by_write_in(ews_wf_dir *d, const char *path, const char *data, char *out, size_t cap)
{
	char buf[8192] __attribute__((aligned(8)));
	int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	CU_ASSERT_FATAL(in >= 0);
	CU_ASSERT_FATAL(inotify_add_watch(in, dir, IN_CREATE | IN_MOVED_TO) >= 0);
	CU_ASSERT_EQUAL((d ? ews_wf_write_file_in(d, path, data, strlen(data), 1)
	                   : ews_wf_write_file_atomic(path, data, strlen(data), 1)).code, EWS_OK);
	*out = '\0';
	ssize_t n = read(in, buf, sizeof buf);
	for (char *p = buf; n > 0 && p < buf + n;) {
		const struct inotify_event *ev = (const struct inotify_event *)p;
		if (ev->len)
			snprintf(out + strlen(out), cap - strlen(out), "%s%s", *out ? " " : "", ev->name);
		p += sizeof *ev + ev->len;
	}
	close(in);
}

static void names_created_by_write(const char *path, const char *data, char *out, size_t cap)
{
	names_created_by_write_in(NULL, path, data, out, cap);
}

static void a_new_file_gets_its_name_once_and_a_replaced_one_atomically(void)
{
	char path[256], names[1024];
	struct stat sb;
	make_dir();
	int probe = open(dir, O_TMPFILE | O_WRONLY, 0600);
	if (probe < 0) {
		fprintf(stderr, "  (this file system has no O_TMPFILE: the rename path is used, nothing to check)\n");
		remove_dir();
		return;
	}
	close(probe);
	snprintf(path, sizeof path, "%s/EEE.ews", dir);
	/* new: the one entry appears, no temporary name before it (that cost a create, a lock and a rename) */
	names_created_by_write(path, "first", names, sizeof names);
	CU_ASSERT_STRING_EQUAL(names, "EEE.ews");
	char *got = ews_test_read_file(path, NULL);
	CU_ASSERT_STRING_EQUAL(got ? got : "", "first");
	free(got);
	CU_ASSERT(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600);
	/* replaced: through a temporary name renamed over it (linkat never replaces), still private */
	names_created_by_write(path, "second", names, sizeof names);
	CU_ASSERT(strncmp(names, "EEE.ews.tmp", 11) == 0 && strstr(names, " EEE.ews") != NULL);
	got = ews_test_read_file(path, NULL);
	CU_ASSERT_STRING_EQUAL(got ? got : "", "second");
	free(got);
	CU_ASSERT(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600);
	/* only the file is left */
	char cmd[256];
	snprintf(cmd, sizeof cmd, "test \"$(ls -A '%s')\" = EEE.ews", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
	remove_dir();
}

/* ews_wf_write_file_in (the export's writer: its directory kept open across the files): the same names and
 * contents as the atomic write, a replaced file through a renamed temporary, the stale temporaries of a killed
 * run removed at the first write there, a path in another directory followed, a missing directory an EWS_ERR_FILE
 * that leaves the handle usable. */
static void the_kept_directory_writes_as_the_atomic_write_does(void)
{
	char path[256], names[1024], other[256], opath[300];
	ews_wf_dir d = EWS_WF_DIR_INIT;
	make_dir();
	int probe = open(dir, O_TMPFILE | O_WRONLY, 0600);
	int tmpfile = probe >= 0;
	if (probe >= 0)
		close(probe);
	touch("AAA.ews.tmpAbC123"); /* a killed run's */
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/F%d.ews", dir, i);
		names_created_by_write_in(&d, path, i == 1 ? "one" : "data", names, sizeof names);
		if (tmpfile)
			CU_ASSERT_STRING_EQUAL(names, path + strlen(dir) + 1);
	}
	CU_ASSERT(!exists("AAA.ews.tmpAbC123"));
	snprintf(path, sizeof path, "%s/F1.ews", dir);
	char *got = ews_test_read_file(path, NULL);
	CU_ASSERT_STRING_EQUAL(got ? got : "", "one");
	free(got);
	struct stat sb;
	CU_ASSERT(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600);
	/* replaced */
	names_created_by_write_in(&d, path, "again", names, sizeof names);
	if (tmpfile)
		CU_ASSERT(strncmp(names, "F1.ews.tmp", 10) == 0 && strstr(names, " F1.ews") != NULL);
	got = ews_test_read_file(path, NULL);
	CU_ASSERT_STRING_EQUAL(got ? got : "", "again");
	free(got);
	/* another directory, then a missing one, then back */
	snprintf(other, sizeof other, "%s/sub", dir);
	CU_ASSERT_EQUAL_FATAL(mkdir(other, 0700), 0);
	snprintf(opath, sizeof opath, "%s/G.ews", other);
	CU_ASSERT_EQUAL(ews_wf_write_file_in(&d, opath, "g", 1, 0).code, EWS_OK);
	got = ews_test_read_file(opath, NULL);
	CU_ASSERT_STRING_EQUAL(got ? got : "", "g");
	free(got);
	snprintf(opath, sizeof opath, "%s/missing/H.ews", dir);
	ews_status st = ews_wf_write_file_in(&d, opath, "h", 1, 0);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_FILE);
	CU_ASSERT(strstr(st.message, "missing/H.ews") != NULL);
	snprintf(path, sizeof path, "%s/F9.ews", dir);
	CU_ASSERT_EQUAL(ews_wf_write_file_in(&d, path, "nine", 4, 0).code, EWS_OK);
	got = ews_test_read_file(path, NULL);
	CU_ASSERT_STRING_EQUAL(got ? got : "", "nine");
	free(got);
	ews_wf_dir_close(&d);
	ews_wf_dir_close(&d); /* twice is harmless */
	CU_ASSERT_EQUAL(d.fd, -1);
	/* nothing but the files */
	char cmd[512];
	snprintf(cmd, sizeof cmd, "test \"$(cd '%s' && ls -A | tr '\\n' ' ')\" = 'F0.ews F1.ews F2.ews F9.ews sub '", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
	remove_dir();
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "a rerun removes the temp files a killed export left", a_rerun_removes_the_temp_files_a_killed_export_left },
		{ "a name without extension only cleans its own temp files",
		  a_name_without_extension_only_cleans_its_own_temp_files },
		{ "a temp file of a live writer is kept and a killed one's removed",
		  a_temp_file_of_a_live_writer_is_kept_and_a_killed_ones_removed },
		{ "a new file gets its name once and a replaced one atomically",
		  a_new_file_gets_its_name_once_and_a_replaced_one_atomically },
		{ "the kept directory writes as the atomic write does", the_kept_directory_writes_as_the_atomic_write_does },
		{ NULL, NULL }
	};
	return ews_test_run("tempfiles", cases);
}
