/* ewsd_env.c — see ewsd_env.h. Also stands in for what server/main.c (not linked: it has main()) defines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ewsd.h"
#include "ewsd_env.h"

struct ewsd_config ewsd_cfg = { .max_page = 1000 };

static sqlite3 *pristine;        /* the seeded store, never written after the copy */
static int last_changes;

/* Copy every page of src into dst (SQLite's online backup: consistent, WAL content included). */
static void copy_store(sqlite3 *dst, sqlite3 *src)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b || sqlite3_backup_step(b, -1) != SQLITE_DONE || sqlite3_backup_finish(b) != SQLITE_OK) {
		fprintf(stderr, "fuzz: cannot copy the store: %s\n", sqlite3_errmsg(dst));
		abort();
	}
	last_changes = sqlite3_total_changes(dst);
}

sqlite3 *fuzz_ewsd_store(void)
{
	static sqlite3 *mem;
	char dir[] = "/tmp/ews-fuzz-store.XXXXXX", path[64];
	char *argv[] = { "seed", "--data", dir, "--mailbox", FUZZ_MAILBOX, "--items", "12", "--seed", "7", NULL };
	sqlite3 *file;
	unsigned char key[32];
	FILE *quiet;

	if (mem)
		return mem;
	if (!mkdtemp(dir))
		abort();
	/* the seeder reports on stdout; a fuzzer's output is its statistics */
	fflush(stdout);
	quiet = freopen("/dev/null", "w", stdout);
	if (ewsd_seed_main(9, argv) != 0) {
		fprintf(stderr, "fuzz: seeding the store failed\n");
		abort();
	}
	(void)quiet;
	snprintf(path, sizeof path, "%s/ewsd.sqlite", dir);
	if (sqlite3_open(path, &file) != SQLITE_OK || sqlite3_open(":memory:", &pristine) != SQLITE_OK ||
	    sqlite3_open(":memory:", &mem) != SQLITE_OK)
		abort();
	/* the SyncState secret is made on first use: make it now, or every input would write (and reset) it */
	if (ewsd_store_secret(file, key) != 0)
		abort();
	copy_store(pristine, file);
	sqlite3_close(file);
	for (const char *suffix = ""; suffix; suffix = !*suffix ? "-wal" : !strcmp(suffix, "-wal") ? "-shm" : NULL) {
		snprintf(path, sizeof path, "%s/ewsd.sqlite%s", dir, suffix);
		unlink(path);
	}
	rmdir(dir);
	copy_store(mem, pristine);
	return mem;
}

void fuzz_ewsd_store_reset(sqlite3 *db)
{
	if (sqlite3_get_autocommit(db) == 0)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	if (sqlite3_total_changes(db) != last_changes)
		copy_store(db, pristine);
}
