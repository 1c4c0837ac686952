/* stmt.c — prepared statements kept per SQLite connection for the queries ewsd runs once per item (the item
 * row, its attachments): preparing "SELECT ... FROM items WHERE id=?" again for every item of an ExportItems
 * batch was 30% of ewsd's CPU (perf, bench/transfer.sh). Each connection belongs to one thread (main.c: one
 * per client connection, each with its own connection), so the cache is per thread, keyed by the connection
 * and the SQL text's address (callers pass string literals). ewsd_store_close forgets a connection's. */
#include <string.h>

#include "ewsd.h"

#define SLOTS EWSD_STMT_SLOTS

static __thread struct {
	sqlite3 *db;
	const char *sql;
	sqlite3_stmt *st;
} cache[SLOTS];

sqlite3_stmt *ewsd_stmt(sqlite3 *db, const char *sql)
{
	int free_slot = -1;
	for (int i = 0; i < SLOTS; i++) {
		if (cache[i].db == db && cache[i].sql == sql)
			return cache[i].st;
		if (!cache[i].db && free_slot < 0)
			free_slot = i;
	}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
		return NULL;
	if (free_slot >= 0) {
		cache[free_slot].db = db;
		cache[free_slot].sql = sql;
		cache[free_slot].st = st;
	}
	/* no slot left: the statement is this call's only, finalized by ewsd_stmt_done */
	return st;
}

void ewsd_stmt_done(sqlite3 *db, sqlite3_stmt *st)
{
	if (!st)
		return;
	for (int i = 0; i < SLOTS; i++)
		if (cache[i].db == db && cache[i].st == st) {
			/* ready for the next use; ends the statement's read of the database */
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return;
		}
	sqlite3_finalize(st);
}

void ewsd_stmt_forget(sqlite3 *db)
{
	for (int i = 0; i < SLOTS; i++)
		if (cache[i].db == db) {
			sqlite3_finalize(cache[i].st);
			memset(&cache[i], 0, sizeof cache[i]);
		}
}
