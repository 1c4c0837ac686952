/* store.c — ewsd's SQLite store: mailboxes, folders, items and the change log that feeds sync.
 *
 * One database file (WAL, synchronous=NORMAL... FULL on commit is what makes "a killed server loses no committed
 * change" hold, so we keep FULL). Every change appends a row to `changes`; its seq (AUTOINCREMENT) is the
 * store-wide change number: items.change_num is the seq of the item's last change (ChangeKeys derive from it)
 * and items.created_seq the seq of its creation in its folder (sync decides Create vs Update from it).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/rand.h>

#include "ewsd.h"

static const char schema_sql[] =
	"PRAGMA journal_mode=WAL;"
	"CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v BLOB);"
	"CREATE TABLE IF NOT EXISTS mailboxes(id INTEGER PRIMARY KEY, smtp TEXT UNIQUE COLLATE NOCASE, guid TEXT UNIQUE);"
	"CREATE TABLE IF NOT EXISTS folders(id INTEGER PRIMARY KEY, mailbox_id INT, parent_id INT, distinguished TEXT,"
	" display_name TEXT, folder_class TEXT, change_num INT, created_seq INT);"
	"CREATE INDEX IF NOT EXISTS folders_parent ON folders(parent_id);"
	/* body last: rows are read column by column, and a large body would otherwise be walked (overflow pages)
	 * to reach the columns after it, on every row FindItem skips or lists */
	"CREATE TABLE IF NOT EXISTS items(id INTEGER PRIMARY KEY, mailbox_id INT, folder_id INT, kind INT, item_class TEXT,"
	" subject TEXT, body_html INT, received TEXT, sent TEXT, created TEXT, size INT, importance INT,"
	" is_read INT, from_name TEXT, from_addr TEXT, to_list TEXT, cc_list TEXT, start TEXT, end_ TEXT, location TEXT,"
	" given_name TEXT, surname TEXT, email TEXT, company TEXT, due TEXT, status INT, categories TEXT,"
	" is_associated INT, change_num INT, created_seq INT, body TEXT);"
	"CREATE INDEX IF NOT EXISTS items_view ON items(folder_id, is_associated, received);"
	/* the unread count of every folder lookup reads only the index, not each row: ewsd's cost per item stays flat
	 * from a 10k to a 200k mailbox (bench/README.md) */
	"CREATE INDEX IF NOT EXISTS items_unread ON items(folder_id, is_associated, is_read);"
	"CREATE TABLE IF NOT EXISTS changes(seq INTEGER PRIMARY KEY AUTOINCREMENT, mailbox_id INT, folder_id INT,"
	" obj_id INT, is_folder INT, op INT, created_seq INT);"
	"CREATE INDEX IF NOT EXISTS changes_folder ON changes(folder_id, is_folder, seq);"
	"CREATE INDEX IF NOT EXISTS changes_mailbox ON changes(mailbox_id, is_folder, seq);"
	"CREATE INDEX IF NOT EXISTS changes_object ON changes(folder_id, obj_id, seq);"
	/* the properties kept beside the item columns (item_props.c): Sensitivity, Culture, extended properties ... */
	"CREATE TABLE IF NOT EXISTS item_props(item_id INT, name TEXT, value TEXT, PRIMARY KEY(item_id, name))"
	" WITHOUT ROWID;"
	/* notifications (op_notify.c): every change as the event Exchange raises for it (type: ewsd_event_type),
	 * and the pull subscriptions (kept in the store so that every connection's thread sees them) */
	"CREATE TABLE IF NOT EXISTS events(seq INTEGER PRIMARY KEY AUTOINCREMENT, mailbox_id INT, type INT,"
	" is_folder INT, obj_id INT, parent_id INT, old_obj_id INT, old_parent_id INT, ts TEXT);"
	"CREATE INDEX IF NOT EXISTS events_mailbox ON events(mailbox_id, seq);"
	"CREATE INDEX IF NOT EXISTS events_object ON events(obj_id, is_folder);"
	"CREATE TABLE IF NOT EXISTS subscriptions(id TEXT PRIMARY KEY, mailbox_id INT, owner TEXT, all_folders INT,"
	" folders TEXT, mask INT, timeout_min INT, last_poll REAL);"
	/* attachments (attach.c); content last for the same reason as the item body */
	"CREATE TABLE IF NOT EXISTS attachments(id INTEGER PRIMARY KEY, item_id INT, is_item INT, name TEXT,"
	" content_type TEXT, content_id TEXT, is_inline INT, is_contact_photo INT, last_modified TEXT, size INT,"
	" content BLOB);"
	"CREATE INDEX IF NOT EXISTS attachments_item ON attachments(item_id, id);"
	/* the directory's room lists and their rooms (op_rooms.c: GetRoomLists, GetRooms) */
	"CREATE TABLE IF NOT EXISTS room_lists(smtp TEXT PRIMARY KEY COLLATE NOCASE, name TEXT);"
	"CREATE TABLE IF NOT EXISTS rooms(list_smtp TEXT COLLATE NOCASE, smtp TEXT COLLATE NOCASE, name TEXT,"
	" PRIMARY KEY(list_smtp, smtp));"
	/* streaming subscriptions (op_stream.c): a subscriptions row plus where its event stream stands */
	"CREATE TABLE IF NOT EXISTS streaming_subscriptions(id TEXT PRIMARY KEY, cursor INT);"
	/* folder permissions, one row per folder and user (permissions.c), and the delegates of a mailbox with their
	 * options (op_delegate.c): a delegate's folder rights are rows of folder_permissions */
	"CREATE TABLE IF NOT EXISTS folder_permissions(folder_id INT, smtp TEXT COLLATE NOCASE, level TEXT,"
	" PRIMARY KEY(folder_id, smtp));"
	"CREATE TABLE IF NOT EXISTS delegates(mailbox_id INT, smtp TEXT COLLATE NOCASE, receive_copies INT,"
	" view_private INT, seq INTEGER, PRIMARY KEY(mailbox_id, smtp));"
	"CREATE TABLE IF NOT EXISTS delegate_options(mailbox_id INTEGER PRIMARY KEY, deliver TEXT);";

/* The folders every mailbox gets: distinguished name (NULL for the well-known folders that have none), parent (by
 * distinguished name), display name and folder class as a new Exchange 2016/2019 mailbox has them. Folders without
 * a class (the roots, the dumpster) have no PR_CONTAINER_CLASS in Exchange either: GetFolder omits FolderClass. */
static const struct {
	const char *name, *parent, *display, *cls;
} dist_folders[] = {
	{ "root", NULL, "Root", NULL },
	{ "msgfolderroot", "root", "Top of Information Store", NULL },
	{ "inbox", "msgfolderroot", "Inbox", "IPF.Note" },
	{ "outbox", "msgfolderroot", "Outbox", "IPF.Note" },
	{ "sentitems", "msgfolderroot", "Sent Items", "IPF.Note" },
	{ "deleteditems", "msgfolderroot", "Deleted Items", "IPF.Note" },
	{ "drafts", "msgfolderroot", "Drafts", "IPF.Note" },
	{ "junkemail", "msgfolderroot", "Junk Email", "IPF.Note" },
	{ "archive", "msgfolderroot", "Archive", "IPF.Note" },
	{ "scheduled", "msgfolderroot", "Scheduled", "IPF.Note" },
	{ "calendar", "msgfolderroot", "Calendar", "IPF.Appointment" },
	{ "contacts", "msgfolderroot", "Contacts", "IPF.Contact" },
	{ "recipientcache", "contacts", "Recipient Cache", "IPF.Contact.RecipientCache" },
	{ "quickcontacts", "contacts", "Quick Contacts", "IPF.Contact.MOC.QuickContacts" },
	{ NULL, "msgfolderroot", "Suggested Contacts", "IPF.Contact" },
	{ "tasks", "msgfolderroot", "Tasks", "IPF.Task" },
	{ "notes", "msgfolderroot", "Notes", "IPF.StickyNote" },
	{ "journal", "msgfolderroot", "Journal", "IPF.Journal" },
	{ "conversationhistory", "msgfolderroot", "Conversation History", "IPF.Conversation" },
	{ NULL, "msgfolderroot", "Conversation Action Settings", "IPF.Configuration" },
	{ NULL, "msgfolderroot", "Quick Step Settings", "IPF.Configuration" },
	{ NULL, "msgfolderroot", "RSS Feeds", "IPF.Note.OutlookHomepage" },
	{ "syncissues", "msgfolderroot", "Sync Issues", "IPF.Note" },
	{ "conflicts", "syncissues", "Conflicts", "IPF.Note" },
	{ "localfailures", "syncissues", "Local Failures", "IPF.Note" },
	{ "serverfailures", "syncissues", "Server Failures", "IPF.Note" },
	{ "searchfolders", "root", "Finder", NULL },
	{ "todosearch", "searchfolders", "To-Do Search", "IPF.Task" },
	{ "voicemail", "searchfolders", "Voice Mail", "IPF.Note.Microsoft.Voicemail" },
	{ "favorites", "root", "Favorites", "IPF.Note" },
	{ "mycontacts", "root", "MyContacts", "IPF.Note" },
	{ "personmetadata", "root", "PersonMetadata", "IPF.Contact" },
	{ "adminauditlogs", "root", "AdminAuditLogs", "IPF.Note" },
	{ "imcontactlist", "root", "IM Contact List", "IPF.Contact.MOC.ImContactList" },
	{ "peopleconnect", "root", "PeopleConnect", "IPF.Note" },
	{ NULL, "root", "Common Views", NULL },
	{ NULL, "root", "Deferred Action", NULL },
	{ NULL, "root", "Schedule", NULL },
	{ NULL, "root", "Shortcuts", NULL },
	{ NULL, "root", "Spooler Queue", NULL },
	{ NULL, "root", "Views", NULL },
	{ "recoverableitemsroot", "root", "Recoverable Items", NULL },
	{ "recoverableitemsdeletions", "recoverableitemsroot", "Deletions", NULL },
	{ "recoverableitemsversions", "recoverableitemsroot", "Versions", NULL },
	{ "recoverableitemspurges", "recoverableitemsroot", "Purges", NULL },
	{ "recoverableitemsdiscoveryholds", "recoverableitemsroot", "DiscoveryHolds", NULL },
	/* The archive mailbox (In-Place/Online Archive), a tree of its own beside "root": hierarchy sync, FindFolder
	 * and ExportItems of the primary never reach it; SyncFolderHierarchy with SyncFolderId archiveroot or
	 * archivemsgfolderroot walks it. Exchange keeps it in a mailbox of its own; ewsd keeps it in the owner's
	 * (ids name the owner's mailbox: clients treat them as opaque). archiveinbox and the discovery holds folder
	 * exist since Exchange 2013 (Exchange2010_SP2's schema has no name for them). */
	{ "archiveroot", NULL, "Root", NULL },
	{ "archivemsgfolderroot", "archiveroot", "Top of Information Store", NULL },
	{ "archiveinbox", "archivemsgfolderroot", "Inbox", "IPF.Note" },
	{ "archivedeleteditems", "archivemsgfolderroot", "Deleted Items", "IPF.Note" },
	{ "archiverecoverableitemsroot", "archiveroot", "Recoverable Items", NULL },
	{ "archiverecoverableitemsdeletions", "archiverecoverableitemsroot", "Deletions", NULL },
	{ "archiverecoverableitemsversions", "archiverecoverableitemsroot", "Versions", NULL },
	{ "archiverecoverableitemspurges", "archiverecoverableitemsroot", "Purges", NULL },
	{ "archiverecoverableitemsdiscoveryholds", "archiverecoverableitemsroot", "DiscoveryHolds", NULL },
};

/* The schema statements run once per process; later connections (one per client connection) skip them. */
static volatile int schema_ready;

sqlite3 *ewsd_store_open(const char *dir)
{
	char path[4096];
	sqlite3 *db = NULL;
	char *err = NULL;

	mkdir(dir, 0700);
	snprintf(path, sizeof path, "%s/ewsd.sqlite", dir);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		fprintf(stderr, "ewsd: cannot open %s: %s\n", path, db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 10000);
	if ((!schema_ready && sqlite3_exec(db, schema_sql, NULL, NULL, &err) != SQLITE_OK) ||
	    sqlite3_exec(db, "PRAGMA synchronous=FULL;", NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "ewsd: cannot initialise %s: %s\n", path, err ? err : "?");
		sqlite3_free(err);
		sqlite3_close(db);
		return NULL;
	}
	schema_ready = 1;
	return db;
}

static void archive_memo_forget(sqlite3 *db);

void ewsd_store_close(sqlite3 *db)
{
	ewsd_stmt_forget(db);
	archive_memo_forget(db);   /* a later connection may get the same address */
	sqlite3_close(db);
}

int ewsd_begin(sqlite3 *db) { return sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1; }
int ewsd_commit(sqlite3 *db) { return sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1; }
void ewsd_rollback(sqlite3 *db) { sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL); }
int ewsd_savepoint(sqlite3 *db) { return sqlite3_exec(db, "SAVEPOINT one", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1; }
int ewsd_release(sqlite3 *db) { return sqlite3_exec(db, "RELEASE one", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1; }
void ewsd_rollback_to(sqlite3 *db) { sqlite3_exec(db, "ROLLBACK TO one; RELEASE one", NULL, NULL, NULL); }

/* A random value created once per store (e.g. the SyncState secret). */
static int meta_blob(sqlite3 *db, const char *key, unsigned char *out, int n)
{
	sqlite3_stmt *st;
	int rc = -1;

	if (sqlite3_prepare_v2(db, "SELECT v FROM meta WHERE k=?", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == n) {
		memcpy(out, sqlite3_column_blob(st, 0), (size_t)n);
		rc = 0;
	}
	sqlite3_finalize(st);
	if (rc == 0)
		return 0;
	if (RAND_bytes(out, n) != 1)
		return -1;
	if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO meta(k,v) VALUES(?,?)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, out, n, SQLITE_STATIC);
	sqlite3_step(st);
	sqlite3_finalize(st);
	/* another thread may have won the race: read back what is stored */
	if (sqlite3_prepare_v2(db, "SELECT v FROM meta WHERE k=?", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == n)
		memcpy(out, sqlite3_column_blob(st, 0), (size_t)n);
	sqlite3_finalize(st);
	return 0;
}

int ewsd_store_secret(sqlite3 *db, unsigned char out[32]) { return meta_blob(db, "syncstate-secret", out, 32); }

int64_t ewsd_event_log(sqlite3 *db, int64_t mailbox_id, int type, int is_folder, int64_t obj_id, int64_t parent_id,
		       int64_t old_obj_id, int64_t old_parent_id)
{
	char ts[32];
	int64_t seq = -1;
	ewsd_now(ts);
	/* kept prepared (ewsd_stmt), as the other statements run once per created or changed item */
	sqlite3_stmt *st = ewsd_stmt(db, "INSERT INTO events(mailbox_id,type,is_folder,obj_id,parent_id,old_obj_id,"
				     "old_parent_id,ts) VALUES(?,?,?,?,?,?,?,?)");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, mailbox_id);
	sqlite3_bind_int(st, 2, type);
	sqlite3_bind_int(st, 3, is_folder);
	sqlite3_bind_int64(st, 4, obj_id);
	sqlite3_bind_int64(st, 5, parent_id);
	sqlite3_bind_int64(st, 6, old_obj_id);
	sqlite3_bind_int64(st, 7, old_parent_id);
	sqlite3_bind_text(st, 8, ts, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_DONE)
		seq = sqlite3_last_insert_rowid(db);
	ewsd_stmt_done(db, st);
	return seq;
}

static int exec_i64(sqlite3 *db, const char *sql, int64_t a, int64_t b, int64_t c);

/* A calendar item created, changed or deleted in the mailbox's Calendar changes the owner's free/busy: Exchange
 * raises a FreeBusyChangedEvent (after the item's own event) naming the item and the Calendar. Other folders'
 * calendar items (a calendar subfolder, a copy in Deleted Items) publish no free/busy. 0, or -1 on error.
 * The "last event of an object" lookups (moves, copies) skip these: `type<>6` is EWSD_EV_FREEBUSY. */
static int log_freebusy(sqlite3 *db, int64_t mailbox_id, int64_t folder_id, int64_t item_id, int kind)
{
	int cal = 0;
	if (kind != EWSD_CALENDAR)
		return 0;
	sqlite3_stmt *st = ewsd_stmt(db, "SELECT distinguished='calendar' FROM folders WHERE id=?");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, folder_id);
	cal = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
	ewsd_stmt_done(db, st);
	return cal && ewsd_event_log(db, mailbox_id, EWSD_EV_FREEBUSY, 0, item_id, folder_id, 0, 0) < 0 ? -1 : 0;
}

/* The last event logged for an object becomes a Moved/Copied one (a move is a copy plus a delete in the store;
 * Exchange raises one MovedEvent naming the new and the old id and parent). */
static int event_retype(sqlite3 *db, int64_t obj_id, int is_folder, int type, int64_t old_obj, int64_t old_parent)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(db, "UPDATE events SET type=?, old_obj_id=?, old_parent_id=? WHERE seq=(SELECT MAX(seq) "
				   "FROM events WHERE obj_id=? AND is_folder=? AND type<>6)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int(st, 1, type);
	sqlite3_bind_int64(st, 2, old_obj);
	sqlite3_bind_int64(st, 3, old_parent);
	sqlite3_bind_int64(st, 4, obj_id);
	sqlite3_bind_int(st, 5, is_folder);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int64_t log_change(sqlite3 *db, int64_t mailbox_id, int64_t folder_id, int64_t obj_id, int is_folder, int op,
			  int64_t created_seq)
{
	static const int event_of_op[] = { 0, EWSD_EV_CREATED, EWSD_EV_MODIFIED, EWSD_EV_DELETED, EWSD_EV_MODIFIED };
	if (ewsd_event_log(db, mailbox_id, event_of_op[op], is_folder, obj_id, folder_id, 0, 0) < 0)
		return -1;
	int64_t seq = -1;
	sqlite3_stmt *st = ewsd_stmt(db, "INSERT INTO changes(mailbox_id,folder_id,obj_id,is_folder,op,created_seq) "
				     "VALUES(?,?,?,?,?,?)");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, mailbox_id);
	sqlite3_bind_int64(st, 2, folder_id);
	sqlite3_bind_int64(st, 3, obj_id);
	sqlite3_bind_int(st, 4, is_folder);
	sqlite3_bind_int(st, 5, op);
	sqlite3_bind_int64(st, 6, created_seq);
	if (sqlite3_step(st) == SQLITE_DONE)
		seq = sqlite3_last_insert_rowid(db);
	ewsd_stmt_done(db, st);
	return seq;
}

/* sql: a string literal (the statement is kept prepared per its address, stmt.c). */
static int exec_i64(sqlite3 *db, const char *sql, int64_t a, int64_t b, int64_t c)
{
	sqlite3_stmt *st = ewsd_stmt(db, sql);
	int rc;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, a);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_int64(st, 2, b);
	if (sqlite3_bind_parameter_count(st) >= 3)
		sqlite3_bind_int64(st, 3, c);
	rc = sqlite3_step(st);
	ewsd_stmt_done(db, st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

/* ---- mailboxes ---- */

static int mailbox_query(sqlite3 *db, const char *sql, const char *text, int64_t num, struct ewsd_mailbox *out)
{
	sqlite3_stmt *st;
	int rc = 1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (text)
		sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 1, num);
	if (sqlite3_step(st) == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		snprintf(out->smtp, sizeof out->smtp, "%s", (const char *)sqlite3_column_text(st, 1));
		snprintf(out->guid, sizeof out->guid, "%s", (const char *)sqlite3_column_text(st, 2));
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

int ewsd_mailbox_by_smtp(sqlite3 *db, const char *smtp, struct ewsd_mailbox *out)
{
	return mailbox_query(db, "SELECT id,smtp,guid FROM mailboxes WHERE smtp=?", smtp, 0, out);
}

int ewsd_mailbox_by_guid(sqlite3 *db, const char *guid, struct ewsd_mailbox *out)
{
	return mailbox_query(db, "SELECT id,smtp,guid FROM mailboxes WHERE guid=?", guid, 0, out);
}

int ewsd_mailbox_by_id(sqlite3 *db, int64_t id, struct ewsd_mailbox *out)
{
	return mailbox_query(db, "SELECT id,smtp,guid FROM mailboxes WHERE id=?", NULL, id, out);
}

int ewsd_mailbox_insert(sqlite3 *db, const char *smtp, struct ewsd_mailbox *out)
{
	unsigned char g[16];
	char guid[37];
	sqlite3_stmt *st;
	int rc;
	if (RAND_bytes(g, 16) != 1)
		return -1;
	g[6] = (g[6] & 0x0f) | 0x40;
	g[8] = (g[8] & 0x3f) | 0x80;
	snprintf(guid, sizeof guid, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", g[0], g[1],
		 g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
	if (sqlite3_prepare_v2(db, "INSERT INTO mailboxes(smtp,guid) VALUES(?,?)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, smtp, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, guid, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return -1;
	return ewsd_mailbox_by_id(db, sqlite3_last_insert_rowid(db), out);
}

int ewsd_mailbox_ensure(sqlite3 *db, const char *smtp, struct ewsd_mailbox *out)
{
	int64_t ids[sizeof dist_folders / sizeof dist_folders[0]];
	int rc;

	if ((rc = ewsd_mailbox_by_smtp(db, smtp, out)) <= 0)
		return rc;
	if (ewsd_begin(db))
		return -1;
	if (ewsd_mailbox_by_smtp(db, smtp, out) == 0) { /* created meanwhile by another thread */
		ewsd_rollback(db);
		return 0;
	}
	if (ewsd_mailbox_insert(db, smtp, out))
		goto fail;
	int64_t mbx = out->id;
	for (size_t i = 0; i < sizeof dist_folders / sizeof dist_folders[0]; i++) {
		int64_t parent = 0;
		/* --no-archive: a mailbox without an archive (the archive tree is the part after "root"'s) */
		if (ewsd_cfg.no_archive && dist_folders[i].name && !strncmp(dist_folders[i].name, "archive", 7) &&
		    strcmp(dist_folders[i].name, "archive")) {
			ids[i] = -1;
			continue;
		}
		for (size_t j = 0; j < i; j++)
			if (dist_folders[i].parent && dist_folders[j].name &&
			    !strcmp(dist_folders[j].name, dist_folders[i].parent))
				parent = ids[j];
		ids[i] = ewsd_folder_create(db, mbx, parent, dist_folders[i].display, dist_folders[i].cls,
					    dist_folders[i].name);
		if (ids[i] < 0)
			goto fail;
	}
	if (ewsd_commit(db))
		goto fail;
	return ewsd_mailbox_by_id(db, mbx, out);
fail:
	ewsd_rollback(db);
	return -1;
}

/* ---- folders ---- */

static const char *col_text(struct soap *soap, sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? soap_strdup(soap, (const char *)t) : NULL;
}

static int folder_query(struct soap *soap, sqlite3 *db, const char *where, int64_t a, const char *b,
			struct ewsd_folder *out)
{
	char sql[512];
	sqlite3_stmt *st;
	int rc = 1;
	snprintf(sql, sizeof sql,
		 "SELECT f.id,f.mailbox_id,f.parent_id,f.distinguished,f.display_name,f.folder_class,f.change_num,"
		 "f.created_seq FROM folders f WHERE %s", where);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, a);
	if (b)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		out->mailbox_id = sqlite3_column_int64(st, 1);
		out->parent_id = sqlite3_column_int64(st, 2);
		out->distinguished = col_text(soap, st, 3);
		out->display_name = col_text(soap, st, 4);
		out->folder_class = col_text(soap, st, 5);
		out->change_num = sqlite3_column_int64(st, 6);
		out->created_seq = sqlite3_column_int64(st, 7);
		out->total = out->unread = out->child_count = -1;   /* ewsd_folder_counts, when asked for */
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

int ewsd_folder_counts(sqlite3 *db, struct ewsd_folder *f)
{
	static const char sql[] =
		"SELECT (SELECT count(*) FROM items WHERE folder_id=?1 AND is_associated=0),"
		"(SELECT count(*) FROM items WHERE folder_id=?1 AND is_read=0 AND is_associated=0),"
		"(SELECT count(*) FROM folders WHERE parent_id=?1)";
	if (f->total >= 0)
		return 0;
	sqlite3_stmt *st = ewsd_stmt(db, sql);
	int rc = -1;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, f->id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		f->total = sqlite3_column_int(st, 0);
		f->unread = sqlite3_column_int(st, 1);
		f->child_count = sqlite3_column_int(st, 2);
		rc = 0;
	}
	ewsd_stmt_done(db, st);
	return rc;
}

int ewsd_folder_get(struct soap *soap, sqlite3 *db, int64_t id, struct ewsd_folder *out)
{
	return folder_query(soap, db, "f.id=?", id, NULL, out);
}

int ewsd_folder_distinguished(struct soap *soap, sqlite3 *db, int64_t mailbox_id, const char *name,
			      struct ewsd_folder *out)
{
	return folder_query(soap, db, "f.mailbox_id=? AND f.distinguished=?", mailbox_id, name, out);
}

int64_t ewsd_folder_create(sqlite3 *db, int64_t mailbox_id, int64_t parent_id, const char *name,
			   const char *folder_class, const char *distinguished)
{
	sqlite3_stmt *st;
	int64_t id;
	if (sqlite3_prepare_v2(db, "INSERT INTO folders(mailbox_id,parent_id,distinguished,display_name,folder_class)"
				   " VALUES(?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, mailbox_id);
	sqlite3_bind_int64(st, 2, parent_id);
	sqlite3_bind_text(st, 3, distinguished, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, folder_class, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	id = sqlite3_last_insert_rowid(db);
	int64_t seq = log_change(db, mailbox_id, parent_id, id, 1, EWSD_OP_CREATE, 0);
	if (seq < 0 || exec_i64(db, "UPDATE folders SET change_num=?, created_seq=? WHERE id=?", seq, seq, id))
		return -1;
	return id;
}

/* Asked for every item id ewsd writes (its mailbox GUID is the archive's in an archive folder): kept prepared
 * (ewsd_stmt), as preparing it again for each item was 27% of ewsd's CPU in an ExportItems run (perf), and the
 * last answer remembered per thread while nothing changed the database (this connection's change count, and
 * the data version that any other connection's commit moves): the items of a page share a folder, and walking
 * its parents again for each was 16% of ewsd's CPU serving FindItem pages. */
static __thread struct {
	sqlite3 *db;
	int64_t id, changes;
	unsigned version;
	int yes;
} archive_memo;

static void archive_memo_forget(sqlite3 *db)
{
	if (archive_memo.db == db)
		memset(&archive_memo, 0, sizeof archive_memo);
}

static int db_version(sqlite3 *db, unsigned *v)
{
	return sqlite3_file_control(db, "main", SQLITE_FCNTL_DATA_VERSION, v) == SQLITE_OK;
}

static int folder_in_archive_query(sqlite3 *db, int64_t id);

int ewsd_folder_in_archive(sqlite3 *db, int64_t id)
{
	unsigned v = 0;
	int64_t changes = sqlite3_total_changes64(db);
	int have_v = db_version(db, &v);

	if (have_v && archive_memo.db == db && archive_memo.id == id && archive_memo.changes == changes &&
	    archive_memo.version == v)
		return archive_memo.yes;
	int yes = folder_in_archive_query(db, id);
	if (have_v) {
		archive_memo.db = db;
		archive_memo.id = id;
		archive_memo.changes = changes;
		archive_memo.version = v;
		archive_memo.yes = yes;
	}
	return yes;
}

static int folder_in_archive_query(sqlite3 *db, int64_t id)
{
	sqlite3_stmt *st = ewsd_stmt(db, "WITH RECURSIVE up(id, parent_id, distinguished, depth) AS (SELECT id, "
				     "parent_id, distinguished, 0 FROM folders WHERE id=?1 UNION ALL SELECT f.id, "
				     "f.parent_id, f.distinguished, up.depth + 1 FROM folders f JOIN up ON "
				     "f.id=up.parent_id WHERE up.depth < 256) SELECT distinguished FROM up WHERE parent_id=0");
	int yes = 0;
	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *d = sqlite3_column_text(st, 0);
		yes = d && !strcmp((const char *)d, "archiveroot");
	}
	ewsd_stmt_done(db, st);
	return yes;
}

int ewsd_folder_children(sqlite3 *db, int64_t id, int deep, int64_t **ids)
{
	sqlite3_stmt *st;
	int n = 0, cap = 16;
	int64_t *v = malloc(sizeof *v * (size_t)cap);
	const char *sql = deep ? "WITH RECURSIVE sub(id) AS (SELECT id FROM folders WHERE parent_id=?1 "
				 "UNION ALL SELECT f.id FROM folders f JOIN sub ON f.parent_id=sub.id) "
				 "SELECT id FROM sub ORDER BY id"
			       : "SELECT id FROM folders WHERE parent_id=? ORDER BY id";
	if (!v || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		free(v);
		return -1;
	}
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == cap) {
			int64_t *g = realloc(v, sizeof *v * (size_t)(cap *= 2));
			if (!g)
				break;
			v = g;
		}
		v[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	*ids = v;
	return n;
}

int ewsd_folder_move(sqlite3 *db, int64_t id, int64_t new_parent_id)
{
	struct ewsd_folder f;
	if (ewsd_folder_get(NULL, db, id, &f) != 0)
		return -1;
	free((void *)f.distinguished), free((void *)f.display_name), free((void *)f.folder_class);
	int64_t seq = log_change(db, f.mailbox_id, new_parent_id, id, 1, EWSD_OP_UPDATE, f.created_seq);
	return seq < 0 || event_retype(db, id, 1, EWSD_EV_MOVED, id, f.parent_id) || exec_i64(db, "UPDATE folders SET parent_id=?, change_num=? WHERE id=?", new_parent_id, seq, id)
		       ? -1 : 0;
}

int ewsd_folder_update(sqlite3 *db, int64_t id, const char *name, const char *folder_class)
{
	struct ewsd_folder f;
	sqlite3_stmt *st;
	int rc;
	if (ewsd_folder_get(NULL, db, id, &f) != 0)
		return -1;
	free((void *)f.distinguished), free((void *)f.display_name), free((void *)f.folder_class);
	int64_t seq = log_change(db, f.mailbox_id, f.parent_id, id, 1, EWSD_OP_UPDATE, f.created_seq);
	if (seq < 0 || sqlite3_prepare_v2(db, "UPDATE folders SET display_name=?, folder_class=?, change_num=? WHERE id=?",
					  -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, folder_class, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, seq);
	sqlite3_bind_int64(st, 4, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int ewsd_folder_delete(sqlite3 *db, int64_t id)
{
	/* the folder, its subfolders and their items, each logged as a Delete */
	int64_t *sub = NULL;
	int n = ewsd_folder_children(db, id, 1, &sub);
	if (n < 0)
		return -1;
	for (int i = n; i >= 0; i--) {
		int64_t fid = i == n ? id : sub[i];
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db, "SELECT id FROM items WHERE folder_id=?", -1, &st, NULL) != SQLITE_OK)
			goto fail;
		sqlite3_bind_int64(st, 1, fid);
		int64_t *items = NULL;
		int ni = 0, cap = 0;
		while (sqlite3_step(st) == SQLITE_ROW) {
			if (ni == cap) {
				int64_t *g = realloc(items, sizeof *g * (size_t)(cap = cap ? cap * 2 : 64));
				if (!g)
					break;
				items = g;
			}
			items[ni++] = sqlite3_column_int64(st, 0);
		}
		sqlite3_finalize(st);
		for (int k = 0; k < ni; k++)
			if (ewsd_item_delete(db, items[k])) {
				free(items);
				goto fail;
			}
		free(items);
		struct ewsd_folder f;
		if (ewsd_folder_get(NULL, db, fid, &f) == 0) {
			free((void *)f.distinguished), free((void *)f.display_name), free((void *)f.folder_class);
			if (log_change(db, f.mailbox_id, f.parent_id, fid, 1, EWSD_OP_DELETE, f.created_seq) < 0 ||
			    exec_i64(db, "DELETE FROM folders WHERE id=?", fid, 0, 0))
				goto fail;
		}
	}
	free(sub);
	return 0;
fail:
	free(sub);
	return -1;
}

/* ---- items ---- */

void ewsd_item_from_row(struct soap *soap, sqlite3_stmt *st, int c, struct ewsd_item *it)
{
	it->id = sqlite3_column_int64(st, c + 0);
	it->mailbox_id = sqlite3_column_int64(st, c + 1);
	it->folder_id = sqlite3_column_int64(st, c + 2);
	it->kind = sqlite3_column_int(st, c + 3);
	it->item_class = col_text(soap, st, c + 4);
	it->subject = col_text(soap, st, c + 5);
	it->body = col_text(soap, st, c + 6);
	it->body_html = sqlite3_column_int(st, c + 7);
	it->received = col_text(soap, st, c + 8);
	it->sent = col_text(soap, st, c + 9);
	it->created = col_text(soap, st, c + 10);
	it->size = sqlite3_column_int64(st, c + 11);
	it->importance = sqlite3_column_int(st, c + 12);
	it->is_read = sqlite3_column_int(st, c + 13);
	it->from_name = col_text(soap, st, c + 14);
	it->from_addr = col_text(soap, st, c + 15);
	it->to_list = col_text(soap, st, c + 16);
	it->cc_list = col_text(soap, st, c + 17);
	it->start = col_text(soap, st, c + 18);
	it->end = col_text(soap, st, c + 19);
	it->location = col_text(soap, st, c + 20);
	it->given_name = col_text(soap, st, c + 21);
	it->surname = col_text(soap, st, c + 22);
	it->email = col_text(soap, st, c + 23);
	it->company = col_text(soap, st, c + 24);
	it->due = col_text(soap, st, c + 25);
	it->status = sqlite3_column_int(st, c + 26);
	it->categories = col_text(soap, st, c + 27);
	it->is_associated = sqlite3_column_int(st, c + 28);
	it->change_num = sqlite3_column_int64(st, c + 29);
	it->created_seq = sqlite3_column_int64(st, c + 30);
}

int ewsd_item_get(struct soap *soap, sqlite3 *db, int64_t id, struct ewsd_item *out)
{
	static const char sql[] = "SELECT " EWSD_ITEM_COLS " FROM items WHERE id=?";
	sqlite3_stmt *st = ewsd_stmt(db, sql);   /* kept: every item of a batch runs it */
	int rc = 1;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		ewsd_item_from_row(soap, st, 0, out);
		rc = 0;
	}
	ewsd_stmt_done(db, st);
	return rc;
}

/* Bind the 28 data columns (mailbox_id .. is_associated) starting at parameter 1. */
static void bind_item(sqlite3_stmt *st, const struct ewsd_item *it)
{
	int i = 1;
	sqlite3_bind_int64(st, i++, it->mailbox_id);
	sqlite3_bind_int64(st, i++, it->folder_id);
	sqlite3_bind_int(st, i++, it->kind);
	sqlite3_bind_text(st, i++, it->item_class, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, it->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, it->body, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, i++, it->body_html);
	sqlite3_bind_text(st, i++, it->received, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, it->sent, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, it->created, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, i++, it->size);
	sqlite3_bind_int(st, i++, it->importance);
	sqlite3_bind_int(st, i++, it->is_read);
	sqlite3_bind_text(st, i++, it->from_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, it->from_addr, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, it->to_list, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, it->cc_list, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, it->start, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, it->end, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, it->location, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, it->given_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, it->surname, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, it->email, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, it->company, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, it->due, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, i++, it->status);
	sqlite3_bind_text(st, i++, it->categories, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, i++, it->is_associated);
}

int ewsd_item_insert(sqlite3 *db, struct ewsd_item *it)
{
	static const char sql[] =
		"INSERT INTO items(mailbox_id,folder_id,kind,item_class,subject,body,body_html,received,sent,created,"
		"size,importance,is_read,from_name,from_addr,to_list,cc_list,start,end_,location,given_name,surname,"
		"email,company,due,status,categories,is_associated) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
		"?,?,?,?,?,?)";
	sqlite3_stmt *st = ewsd_stmt(db, sql);
	int rc;
	if (!st)
		return -1;
	bind_item(st, it);
	rc = sqlite3_step(st);
	ewsd_stmt_done(db, st);   /* (clears the bindings: bind_item's strings are the caller's) */
	if (rc != SQLITE_DONE)
		return -1;
	it->id = sqlite3_last_insert_rowid(db);
	int64_t seq = log_change(db, it->mailbox_id, it->folder_id, it->id, 0, EWSD_OP_CREATE, 0);
	if (seq < 0 || log_freebusy(db, it->mailbox_id, it->folder_id, it->id, it->kind))
		return -1;
	it->change_num = it->created_seq = seq;
	return exec_i64(db, "UPDATE items SET change_num=?, created_seq=? WHERE id=?", seq, seq, it->id);
}

int ewsd_item_update(sqlite3 *db, struct ewsd_item *it, int readflag_only)
{
	static const char sql[] =
		"UPDATE items SET mailbox_id=?,folder_id=?,kind=?,item_class=?,subject=?,body=?,body_html=?,received=?,"
		"sent=?,created=?,size=?,importance=?,is_read=?,from_name=?,from_addr=?,to_list=?,cc_list=?,start=?,"
		"end_=?,location=?,given_name=?,surname=?,email=?,company=?,due=?,status=?,categories=?,"
		"is_associated=?,change_num=? WHERE id=?";
	sqlite3_stmt *st;
	int rc;
	int64_t seq = log_change(db, it->mailbox_id, it->folder_id, it->id, 0,
				 readflag_only ? EWSD_OP_READFLAG : EWSD_OP_UPDATE, it->created_seq);
	if (seq < 0 || (!readflag_only && log_freebusy(db, it->mailbox_id, it->folder_id, it->id, it->kind)) ||
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	bind_item(st, it);
	sqlite3_bind_int64(st, 29, seq);
	sqlite3_bind_int64(st, 30, it->id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	it->change_num = seq;
	return rc == SQLITE_DONE ? 0 : -1;
}

int ewsd_item_delete(sqlite3 *db, int64_t id)
{
	sqlite3_stmt *st;
	int64_t mbx, folder, created;
	int kind;
	if (sqlite3_prepare_v2(db, "SELECT mailbox_id,folder_id,created_seq,kind FROM items WHERE id=?", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return 1;
	}
	mbx = sqlite3_column_int64(st, 0);
	folder = sqlite3_column_int64(st, 1);
	created = sqlite3_column_int64(st, 2);
	kind = sqlite3_column_int(st, 3);
	sqlite3_finalize(st);
	if (log_change(db, mbx, folder, id, 0, EWSD_OP_DELETE, created) < 0 || log_freebusy(db, mbx, folder, id, kind))
		return -1;
	return exec_i64(db, "DELETE FROM item_props WHERE item_id=?", id, 0, 0) || ewsd_attach_delete_item(db, id) ||
	       exec_i64(db, "DELETE FROM items WHERE id=?", id, 0, 0) ? -1 : 0;
}

int ewsd_item_copy(sqlite3 *db, int64_t id, int64_t folder_id, int64_t *new_id)
{
	struct ewsd_item it;
	struct soap *tmp = soap_new();
	int rc;
	if (!tmp)
		return -1;
	rc = ewsd_item_get(tmp, db, id, &it);
	int64_t src_folder = rc == 0 ? it.folder_id : 0;
	if (rc == 0) {
		struct ewsd_folder f;
		if (ewsd_folder_get(tmp, db, folder_id, &f) == 0)
			it.mailbox_id = f.mailbox_id;
		it.folder_id = folder_id;
		rc = ewsd_item_insert(db, &it);
		*new_id = it.id;
		if (rc == 0)
			rc = event_retype(db, it.id, 0, EWSD_EV_COPIED, id, src_folder);
		if (rc == 0)    /* the copy has the original's other properties too */
			rc = exec_i64(db, "INSERT INTO item_props(item_id,name,value) SELECT ?,name,value FROM item_props "
				      "WHERE item_id=?", it.id, id, 0) || ewsd_attach_copy(db, id, it.id) ? -1 : 0;
	}
	soap_destroy(tmp);
	soap_end(tmp);
	soap_free(tmp);
	return rc;
}

int ewsd_item_move(sqlite3 *db, int64_t id, int64_t folder_id, int64_t *new_id)
{
	int rc = ewsd_item_copy(db, id, folder_id, new_id);
	if (rc || (rc = ewsd_item_delete(db, id)))
		return rc;
	/* one MovedEvent instead of Copied + Deleted */
	return exec_i64(db, "DELETE FROM events WHERE seq=(SELECT MAX(seq) FROM events WHERE obj_id=? AND is_folder=0 AND type<>6)",
			id, 0, 0) ||
	       exec_i64(db, "UPDATE events SET type=? WHERE seq=(SELECT MAX(seq) FROM events WHERE obj_id=? AND "
			    "is_folder=0 AND type<>6)", EWSD_EV_MOVED, *new_id, 0) ? -1 : 0;
}
