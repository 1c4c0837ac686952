/* test_ewsd_unread_index.c — every folder lookup of ewsd counts the folder's unread items (server/store.c,
 * folder_query()); without an index on (folder_id, is_associated, is_read) that count reads every row of the
 * folder, and ewsd's CPU per item grew 5-9x from a 10 000 to a 200 000 item mailbox (bench/README.md). The
 * index is in the schema, and a store made before it gets it when ewsd next opens it (CREATE INDEX IF NOT EXISTS).
 * Black box: `ewsd seed` makes and reopens a store; the test reads the query plan with SQLite. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ews_test.h"

/* the count as folder_query() runs it, for one folder */
static const char unread_sql[] =
	"SELECT count(*) FROM items i WHERE i.folder_id=1 AND i.is_read=0 AND i.is_associated=0";

static char dir[] = "/tmp/ews-unread-index-XXXXXX";

static int seed(const char *mailbox)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "'%s/bin/ewsd' seed --data '%s' --mailbox %s --items 40 --seed 5 >/dev/null",
	         ews_test_build_dir(), dir, mailbox);
	return system(cmd);
}

/* 1 when SQLite answers the unread count from the items_unread index alone (no row of items read) */
static int count_uses_the_index(sqlite3 *db)
{
	char sql[512];
	sqlite3_stmt *st;
	int covered = 0;
	snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", unread_sql);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *detail = (const char *)sqlite3_column_text(st, 3);
		if (detail && strstr(detail, "COVERING INDEX items_unread"))
			covered = 1;
	}
	sqlite3_finalize(st);
	return covered;
}

static sqlite3 *open_store(void)
{
	char path[256];
	sqlite3 *db = NULL;
	snprintf(path, sizeof path, "%s/ewsd.sqlite", dir);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

static void the_unread_count_of_a_folder_reads_only_the_index(void)
{
	CU_ASSERT_EQUAL_FATAL(seed("first@example.com"), 0);
	sqlite3 *db = open_store();
	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	CU_ASSERT_TRUE(count_uses_the_index(db));
	sqlite3_close(db);
}

static void a_store_made_before_the_index_gets_it_when_ewsd_opens_it(void)
{
	sqlite3 *db = open_store();
	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	/* the store as an ewsd without the index left it: the count then scans the folder */
	CU_ASSERT_EQUAL_FATAL(sqlite3_exec(db, "DROP INDEX items_unread;", NULL, NULL, NULL), SQLITE_OK);
	CU_ASSERT_FALSE(count_uses_the_index(db));
	sqlite3_close(db);
	CU_ASSERT_EQUAL_FATAL(seed("second@example.com"), 0);   /* ewsd opens the store again */
	CU_ASSERT_PTR_NOT_NULL_FATAL(db = open_store());
	CU_ASSERT_TRUE(count_uses_the_index(db));
	sqlite3_close(db);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "the unread count of a folder reads only the items_unread index",
		  the_unread_count_of_a_folder_reads_only_the_index },
		{ "a store made before the index gets it when ewsd opens it",
		  a_store_made_before_the_index_gets_it_when_ewsd_opens_it },
		{ NULL, NULL }
	};
	char cmd[128];
	int rc;

	if (!mkdtemp(dir))
		return 1;
	rc = ews_test_run("ewsd unread index", cases);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd)) {
	}
	return rc;
}
