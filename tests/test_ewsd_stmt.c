/* test_ewsd_stmt.c — ewsd's kept prepared statements (server/stmt.c): one statement per connection and SQL,
 * reused across calls and handed back reset; more SQL texts than slots still work (finalized after use, not
 * leaked); ewsd_stmt_forget finalizes a connection's so that it closes (sqlite3_close refuses a connection with
 * statements left, and the connection would leak). */
#include <sqlite3.h>
#include <stdio.h>

#include "ews_test.h"
#include "ewsd.h"

static int statements(sqlite3 *db)
{
	int n = 0;
	for (sqlite3_stmt *s = sqlite3_next_stmt(db, NULL); s; s = sqlite3_next_stmt(db, s))
		n++;
	return n;
}

static void a_statement_is_kept_reused_and_handed_back_reset(void)
{
	static const char sql[] = "SELECT v FROM t WHERE k=?";
	sqlite3 *db;
	CU_ASSERT_EQUAL_FATAL(sqlite3_open(":memory:", &db), SQLITE_OK);
	CU_ASSERT_EQUAL_FATAL(sqlite3_exec(db, "CREATE TABLE t(k INT, v TEXT); INSERT INTO t VALUES(1,'one'),(2,'two');",
	                                   NULL, NULL, NULL), SQLITE_OK);
	sqlite3_stmt *a = ewsd_stmt(db, sql);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	sqlite3_bind_int(a, 1, 1);
	CU_ASSERT_EQUAL(sqlite3_step(a), SQLITE_ROW);
	CU_ASSERT_STRING_EQUAL((const char *)sqlite3_column_text(a, 0), "one");
	ewsd_stmt_done(db, a);
	CU_ASSERT_FALSE(sqlite3_stmt_busy(a));   /* reset: holds no read of the database */
	sqlite3_stmt *b = ewsd_stmt(db, sql);
	CU_ASSERT_PTR_EQUAL(a, b);                /* the same statement, not prepared again */
	/* bindings cleared: an unbound parameter is NULL, which matches nothing */
	CU_ASSERT_EQUAL(sqlite3_step(b), SQLITE_DONE);
	ewsd_stmt_done(db, b);
	sqlite3_bind_int(b = ewsd_stmt(db, sql), 1, 2);
	CU_ASSERT_EQUAL(sqlite3_step(b), SQLITE_ROW);
	CU_ASSERT_STRING_EQUAL((const char *)sqlite3_column_text(b, 0), "two");
	ewsd_stmt_done(db, b);
	CU_ASSERT_EQUAL(statements(db), 1);
	ewsd_stmt_forget(db);
	CU_ASSERT_EQUAL(statements(db), 0);
	CU_ASSERT_EQUAL(sqlite3_close(db), SQLITE_OK);
}

static void more_texts_than_slots_work_and_leave_nothing_behind(void)
{
	enum { N = EWSD_STMT_SLOTS + 8 };
	static char sqls[N][24];   /* kept by address, as string literals are */
	for (int i = 0; i < N; i++)
		snprintf(sqls[i], sizeof sqls[i], "SELECT %d", i + 1);
	sqlite3 *db, *other;
	CU_ASSERT_EQUAL_FATAL(sqlite3_open(":memory:", &db), SQLITE_OK);
	CU_ASSERT_EQUAL_FATAL(sqlite3_open(":memory:", &other), SQLITE_OK);
	sqlite3_stmt *o = ewsd_stmt(other, sqls[0]);   /* another connection's, kept apart */
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	ewsd_stmt_done(other, o);
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < N; i++) {
			sqlite3_stmt *s = ewsd_stmt(db, sqls[i]);
			CU_ASSERT_PTR_NOT_NULL_FATAL(s);
			CU_ASSERT_EQUAL(sqlite3_step(s), SQLITE_ROW);
			CU_ASSERT_EQUAL(sqlite3_column_int(s, 0), i + 1);
			ewsd_stmt_done(db, s);
		}
	CU_ASSERT(statements(db) <= EWSD_STMT_SLOTS);   /* the slots only: the others were finalized after use */
	CU_ASSERT_PTR_NULL(ewsd_stmt(db, "SELECT nonsense FROM"));   /* does not prepare: NULL, nothing kept */
	ewsd_stmt_forget(db);
	CU_ASSERT_EQUAL(statements(db), 0);
	CU_ASSERT_EQUAL(sqlite3_close(db), SQLITE_OK);
	CU_ASSERT_EQUAL(statements(other), 1);
	CU_ASSERT_PTR_EQUAL(ewsd_stmt(other, sqls[0]), o);
	ewsd_stmt_done(other, o);
	ewsd_stmt_forget(other);
	CU_ASSERT_EQUAL(sqlite3_close(other), SQLITE_OK);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "a statement is kept, reused and handed back reset", a_statement_is_kept_reused_and_handed_back_reset },
		{ "more SQL texts than slots work and leave nothing behind", more_texts_than_slots_work_and_leave_nothing_behind },
		{ NULL, NULL }
	};
	return ews_test_run("ewsd_stmt", cases);
}
