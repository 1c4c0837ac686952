/* seed.c — `ewsd seed`: fill a mailbox with N realistic, deterministic items (one transaction, prepared
 * statements): mail across folders, meeting requests, calendar items, contacts and tasks. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ewsd.h"

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64*: deterministic for a given --seed on every platform */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static int pick(int n) { return (int)(rnd() % (uint64_t)n); }

static const char *const first_names[] = { "Alex", "Maria", "Chen", "Fatima", "John", "Priya", "Lars", "Aiko", "Omar",
					   "Sofia", "David", "Elena", "Kwame", "Ines", "Tom", "Yuki", "Nadia", "Pablo",
					   "Grace", "Ivan" };
static const char *const last_names[] = { "Park", "Garcia", "Wang", "Khan", "Smith", "Patel", "Berg", "Tanaka",
					  "Haddad", "Rossi", "Cohen", "Popescu", "Mensah", "Silva", "Brown", "Sato",
					  "Novak", "Lopez", "Kim", "Petrov" };
static const char *const domains[] = { "example.com", "contoso.com", "fabrikam.com", "example.org" };
static const char *const subj_a[] = { "Budget", "Planning", "Weekly sync", "Project Phoenix", "Quarterly review",
				      "Release", "Hiring", "Travel", "Invoice", "Customer feedback", "Design review",
				      "Offsite", "Security audit", "Roadmap", "Status report", "Contract" };
static const char *const subj_b[] = { "Q1", "Q2", "Q3", "Q4", "update", "draft", "follow-up", "notes", "questions",
				      "timeline", "next steps", "approval needed", "final version", "agenda" };
static const char *const prefixes[] = { "", "", "", "RE: ", "FW: ", "RE: RE: " };
static const char *const words[] = { "the", "team", "please", "review", "attached", "schedule", "meeting", "we",
				     "should", "discuss", "budget", "customer", "deadline", "next", "week", "thanks",
				     "for", "your", "update", "plan", "and", "with", "a", "project", "report",
				     "numbers", "looks", "good", "let", "me", "know", "if", "questions", "on",
				     "Friday", "Monday", "proposal", "draft", "final", "agree" };
static const char *const locations[] = { "Conference Room 2", "Building 4, Room 101", "Teams meeting", "Cafeteria",
					 "Board room", "Online" };
static const char *const companies[] = { "Contoso", "Fabrikam", "Northwind Traders", "Adventure Works", "Litware" };

static char *body_text(size_t target)
{
	char *b = malloc(target + 64);
	size_t n = 0;
	if (!b)
		return NULL;
	while (n < target) {
		const char *w = words[pick((int)(sizeof words / sizeof words[0]))];
		size_t l = strlen(w);
		if (n + l + 2 > target + 60)
			break;
		memcpy(b + n, w, l);
		n += l;
		b[n++] = pick(12) ? ' ' : '\n';
	}
	b[n] = '\0';
	return b;
}

static void iso(time_t t, char out[32])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int seed_usage(const char *why, const char *arg)
{
	if (why)
		fprintf(stderr, "ewsd seed: %s%s%s\n", why, arg ? ": " : "", arg ? arg : "");
	fprintf(stderr, "usage: ewsd seed --data DIR --mailbox SMTP --items N [--seed S] [--archive-items A]\n"
			"  (N: 0-10000000; A items go into the archive mailbox; the domain's public folders are made once)\n");
	return 2;
}

/* Every 10th message gets a text file attachment; every 30th also a binary one and an inline image with a content
 * id. Chosen by position, without the random generator, so the items themselves stay what they were. */
static int seed_attachments(sqlite3 *db, int64_t item_id, long k, const char *when)
{
	if (k % 10 != 3)
		return 0;
	char name[64], text[256];
	unsigned char bin[4096];
	snprintf(name, sizeof name, "notes-%ld.txt", k);
	snprintf(text, sizeof text, "Notes for item %ld.\r\nSeeded by ewsd so that clients have attachments to save.\r\n", k);
	struct ewsd_attachment a = { .item_id = item_id, .name = name, .content_type = "text/plain",
				     .last_modified = when, .content = (const unsigned char *)text,
				     .content_len = strlen(text), .size = (int64_t)strlen(text) };
	if (ewsd_attach_insert(db, &a))
		return -1;
	if (k % 30 != 3)
		return 0;
	for (size_t i = 0; i < sizeof bin; i++)
		bin[i] = (unsigned char)((i * 131 + (size_t)k) & 0xff);
	snprintf(name, sizeof name, "report-%ld.pdf", k);
	a = (struct ewsd_attachment){ .item_id = item_id, .name = name, .content_type = "application/pdf",
				      .last_modified = when, .content = bin, .content_len = sizeof bin,
				      .size = (int64_t)sizeof bin };
	if (ewsd_attach_insert(db, &a))
		return -1;
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0 };
	char cid[64];
	snprintf(cid, sizeof cid, "image%ld@example.com", k);
	a = (struct ewsd_attachment){ .item_id = item_id, .name = "logo.png", .content_type = "image/png",
				      .content_id = cid, .is_inline = 1, .last_modified = when, .content = png,
				      .content_len = sizeof png, .size = (int64_t)sizeof png };
	return ewsd_attach_insert(db, &a);
}

/* One item of the extras below (deterministic: no random numbers, so --items runs stay as they were). */
static int extra_item(sqlite3 *db, int64_t mailbox_id, int64_t folder_id, int kind, const char *subject,
		      const char *from, const char *when, const char *body)
{
	static const char *const classes[] = { "IPM.Note", "IPM.Appointment", "IPM.Schedule.Meeting.Request",
					       "IPM.Contact", "IPM.Task" };
	char end[32];
	struct ewsd_item it = { .mailbox_id = mailbox_id, .folder_id = folder_id, .kind = kind,
				.item_class = classes[kind], .subject = subject, .body = body, .received = when,
				.sent = when, .created = when, .importance = 1, .is_read = 1 };
	it.size = (int64_t)(600 + strlen(subject) + strlen(body));
	if (kind == EWSD_MESSAGE) {
		it.from_name = from;
		it.from_addr = from;
	} else if (kind == EWSD_CALENDAR) {
		snprintf(end, sizeof end, "%.11s%02d%s", when, (when[11] - '0') * 10 + (when[12] - '0') + 1, when + 13);
		it.start = when;
		it.end = end;
		it.location = "Board room";
	} else if (kind == EWSD_CONTACT) {
		it.given_name = subject;
		it.email = from;
	}
	return ewsd_item_insert(db, &it);
}

/* The archive (--archive-items N: old mail in archiveinbox and archivemsgfolderroot/2023, a subfolder) and the
 * domain's public folders (made once per domain: announcements with a subfolder, shared contacts, a team
 * calendar). Returns 0, or -1 with the transaction rolled back. */
static int seed_extras(sqlite3 *db, const struct ewsd_mailbox *mbx, long archive_items, int *pf_folders,
		       int *pf_items)
{
	struct ewsd_folder ainbox, aroot, proot;
	struct ewsd_mailbox pf;
	char subject[128], when[32];
	int rc = 0;
	/* the folder rows' strings live in this context (the fuzz harnesses seed in-process: nothing may leak) */
	struct soap *strings = soap_new();
	*pf_folders = *pf_items = 0;
	if (!strings)
		return -1;
	if (archive_items > 0 && (ewsd_folder_distinguished(strings, db, mbx->id, "archiveinbox", &ainbox) ||
				  ewsd_folder_distinguished(strings, db, mbx->id, "archivemsgfolderroot", &aroot))) {
		fprintf(stderr, "ewsd seed: the mailbox has no archive (made with ewsd --no-archive?)\n");
		rc = -1;
	} else if (ewsd_public_mailbox(db, mbx->smtp, 1, &pf) ||
		   ewsd_folder_distinguished(strings, db, pf.id, "publicfoldersroot", &proot) || ewsd_begin(db)) {
		rc = -1;
	}
	if (rc) {
		soap_end(strings);
		soap_free(strings);
		return -1;
	}
	if (archive_items > 0) {
		int64_t y2023 = ewsd_folder_create(db, mbx->id, aroot.id, "2023", "IPF.Note", NULL);
		rc = y2023 < 0 ? -1 : 0;
		for (long k = 0; rc == 0 && k < archive_items; k++) {
			snprintf(subject, sizeof subject, "Archived report %ld", k + 1);
			snprintf(when, sizeof when, "2023-%02ld-%02ldT09:00:00Z", 1 + k % 12, 1 + k % 28);
			rc = extra_item(db, mbx->id, k % 2 ? y2023 : ainbox.id, EWSD_MESSAGE, subject, "records@example.com",
					when, "Kept in the archive mailbox.");
		}
	}
	if (rc == 0 && !ewsd_folder_counts(db, &proot) && proot.child_count == 0) {
		int64_t ann = ewsd_folder_create(db, pf.id, proot.id, "Company Announcements", "IPF.Note", NULL);
		int64_t old = ann < 0 ? -1 : ewsd_folder_create(db, pf.id, ann, "2024", "IPF.Note", NULL);
		int64_t con = ewsd_folder_create(db, pf.id, proot.id, "Shared Contacts", "IPF.Contact", NULL);
		int64_t cal = ewsd_folder_create(db, pf.id, proot.id, "Team Calendar", "IPF.Appointment", NULL);
		rc = ann < 0 || old < 0 || con < 0 || cal < 0 ? -1 : 0;
		static const char *const news[] = { "Welcome to the new intranet", "Office closed on Friday",
						    "Quarterly results" };
		for (int k = 0; rc == 0 && k < 3; k++) {
			snprintf(when, sizeof when, "2024-06-%02dT08:30:00Z", 3 + k);
			rc = extra_item(db, pf.id, ann, EWSD_MESSAGE, news[k], "communications@example.com", when,
					"Posted to the public folder.");
		}
		rc = rc ? rc : extra_item(db, pf.id, old, EWSD_MESSAGE, "Holiday schedule 2024",
					  "communications@example.com", "2024-01-08T08:30:00Z", "Last year's post.");
		rc = rc ? rc : extra_item(db, pf.id, con, EWSD_CONTACT, "Reception", "reception@example.com",
					  "2024-05-01T10:00:00Z", "");
		rc = rc ? rc : extra_item(db, pf.id, con, EWSD_CONTACT, "Help Desk", "helpdesk@example.com",
					  "2024-05-01T10:00:00Z", "");
		rc = rc ? rc : extra_item(db, pf.id, cal, EWSD_CALENDAR, "All hands", "", "2024-06-14T15:00:00Z",
					  "Quarterly all-hands meeting.");
		*pf_folders = 4;
		*pf_items = 7;
	}
	soap_end(strings);
	soap_free(strings);
	if (rc || ewsd_commit(db)) {
		ewsd_rollback(db);
		return -1;
	}
	return 0;
}

int ewsd_seed_main(int argc, char **argv)
{
	const char *dir = NULL, *mailbox = NULL, *problem;
	long n = -1, archive_items = 0;
	uint64_t seed = 1;
	for (int i = 1; i < argc; i += 2) {
		char *end;
		if (i + 1 >= argc)
			return seed_usage("a value is missing after", argv[i]);
		if (!strcmp(argv[i], "--data"))
			dir = argv[i + 1];
		else if (!strcmp(argv[i], "--mailbox"))
			mailbox = argv[i + 1];
		else if (!strcmp(argv[i], "--items")) {
			n = strtol(argv[i + 1], &end, 10);
			if (!argv[i + 1][0] || *end || n < 0 || n > 10000000)
				return seed_usage("--items wants a number from 0 to 10000000, not", argv[i + 1]);
		} else if (!strcmp(argv[i], "--archive-items")) {
			archive_items = strtol(argv[i + 1], &end, 10);
			if (!argv[i + 1][0] || *end || archive_items < 0 || archive_items > 100000)
				return seed_usage("--archive-items wants a number from 0 to 100000, not", argv[i + 1]);
		} else if (!strcmp(argv[i], "--seed")) {
			seed = strtoull(argv[i + 1], &end, 10);
			if (!argv[i + 1][0] || *end)
				return seed_usage("--seed wants a number, not", argv[i + 1]);
		} else {
			return seed_usage("unknown option", argv[i]);
		}
	}
	if (!dir)
		return seed_usage("--data DIR is required", NULL);
	if (!mailbox)
		return seed_usage("--mailbox SMTP is required", NULL);
	if (n < 0)
		return seed_usage("--items N is required", NULL);
	if ((problem = ewsd_smtp_problem(mailbox))) {
		fprintf(stderr, "ewsd seed: --mailbox %s is refused: %s\n", mailbox, problem);
		return 2;
	}
	rng_state = seed * 0x9E3779B97F4A7C15ULL + 0x1234567ULL;
	if (!rng_state)
		rng_state = 1;

	sqlite3 *db = ewsd_store_open(dir);
	struct ewsd_mailbox mbx;
	if (!db || ewsd_mailbox_ensure(db, mailbox, &mbx)) {
		fprintf(stderr, "ewsd seed: cannot open the store or the mailbox\n");
		ewsd_store_close(db);
		return 1;
	}
	static const char *const folder_names[] = { "inbox", "sentitems", "drafts", "deleteditems", "archive",
						    "calendar", "contacts", "tasks" };
	int64_t fid[8];
	for (int i = 0; i < 8; i++) {
		sqlite3_stmt *st;
		fid[i] = -1;
		if (sqlite3_prepare_v2(db, "SELECT id FROM folders WHERE mailbox_id=? AND distinguished=?", -1, &st,
				       NULL) == SQLITE_OK) {
			sqlite3_bind_int64(st, 1, mbx.id);
			sqlite3_bind_text(st, 2, folder_names[i], -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW)
				fid[i] = sqlite3_column_int64(st, 0);
			sqlite3_finalize(st);
		}
	}
	sqlite3_stmt *ins, *chg, *upd;
	if (sqlite3_prepare_v2(db,
			       "INSERT INTO items(mailbox_id,folder_id,kind,item_class,subject,body,body_html,received,"
			       "sent,created,size,importance,is_read,from_name,from_addr,to_list,cc_list,start,end_,"
			       "location,given_name,surname,email,company,due,status,categories,is_associated) VALUES("
			       "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0)", -1, &ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO changes(mailbox_id,folder_id,obj_id,is_folder,op,created_seq) "
				   "VALUES(?,?,?,0,1,0)", -1, &chg, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "UPDATE items SET change_num=?1, created_seq=?1 WHERE id=?2", -1, &upd, NULL) !=
		    SQLITE_OK) {
		fprintf(stderr, "ewsd seed: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	const long items = n;       /* n itself becomes the done marker below */
	time_t base = 1717243200; /* 2024-06-01T12:00:00Z: fixed, so runs are identical */
	time_t t = base;
	char owner_name[64];
	snprintf(owner_name, sizeof owner_name, "%s", mailbox);
	char *at = strchr(owner_name, '@');
	if (at)
		*at = '\0';
	long calendar_items = 0;
	for (long k = 0; k < n; k++) {
		int r = pick(100), kind, folder;
		char subject[160], from_name[64], from_addr[128], to[256], cc[256], received[32], start[32], end[32],
			due[32], email[128];
		const char *fn = first_names[pick(20)], *ln = last_names[pick(20)], *dom = domains[pick(4)];
		const char *gn = NULL, *sn = NULL, *company = NULL, *loc = NULL, *cls;
		char *body;
		size_t blen;

		t -= 60 + pick(7200);        /* items go back in time, 1 min .. 2 h apart */
		iso(t, received);
		snprintf(from_name, sizeof from_name, "%s %s", fn, ln);
		snprintf(from_addr, sizeof from_addr, "%c%s@%s", fn[0] | 0x20, ln, dom);
		for (char *c = from_addr; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c |= 0x20;
		snprintf(subject, sizeof subject, "%s%s %s", prefixes[pick(6)], subj_a[pick(16)], subj_b[pick(14)]);
		snprintf(to, sizeof to, "%s <%s>", owner_name, mailbox);
		cc[0] = '\0';
		if (!pick(4))
			snprintf(cc, sizeof cc, "%s %s <%c%s@%s>", first_names[pick(20)], last_names[pick(20)], 'a' + pick(26),
				 last_names[pick(20)], domains[pick(4)]);
		start[0] = end[0] = due[0] = email[0] = '\0';
		if (r < 60) {
			kind = EWSD_MESSAGE, folder = 0;
		} else if (r < 68) {
			kind = EWSD_MESSAGE, folder = 1;  /* sent: from the owner */
			snprintf(from_name, sizeof from_name, "%s", owner_name);
			snprintf(from_addr, sizeof from_addr, "%s", mailbox);
			snprintf(to, sizeof to, "%s %s <%c%s@%s>", fn, ln, fn[0] | 0x20, ln, dom);
		} else if (r < 70) {
			kind = EWSD_MESSAGE, folder = 2;
		} else if (r < 73) {
			kind = EWSD_MESSAGE, folder = 3;
		} else if (r < 78) {
			kind = EWSD_MESSAGE, folder = 4;
		} else if (r < 81) {
			kind = EWSD_MEETING_REQUEST, folder = 0;
		} else if (r < 91) {
			kind = EWSD_CALENDAR, folder = 5;
		} else if (r < 97) {
			kind = EWSD_CONTACT, folder = 6;
		} else {
			kind = EWSD_TASK, folder = 7;
		}
		if (kind == EWSD_CALENDAR || kind == EWSD_MEETING_REQUEST) {
			time_t s0 = base - (time_t)pick(365) * 86400 + (time_t)(8 + pick(9)) * 3600;
			s0 -= s0 % 1800;
			iso(s0, start);
			iso(s0 + (time_t)(1 + pick(4)) * 1800, end);
			loc = locations[pick(6)];
		}
		if (kind == EWSD_CONTACT) {
			gn = fn, sn = ln, company = companies[pick(5)];
			snprintf(email, sizeof email, "%s", from_addr);
			snprintf(subject, sizeof subject, "%s %s", fn, ln);
		}
		if (kind == EWSD_TASK)
			iso(base + (time_t)pick(60) * 86400, due);
		cls = kind == EWSD_MESSAGE ? "IPM.Note" : kind == EWSD_CALENDAR ? "IPM.Appointment"
			: kind == EWSD_MEETING_REQUEST ? "IPM.Schedule.Meeting.Request" : kind == EWSD_CONTACT ? "IPM.Contact"
			: "IPM.Task";
		/* bodies: mostly short, some long, a few large */
		int bs = pick(100);
		blen = bs < 60 ? 80 + (size_t)pick(800) : bs < 98 ? 1000 + (size_t)pick(8000) : 20000 + (size_t)pick(40000);
		if (kind == EWSD_CONTACT)
			blen = (size_t)pick(60);
		body = body_text(blen);
		if (!body)
			break;
		int64_t folder_id = fid[folder];
		int i = 1;
		sqlite3_bind_int64(ins, i++, mbx.id);
		sqlite3_bind_int64(ins, i++, folder_id);
		sqlite3_bind_int(ins, i++, kind);
		sqlite3_bind_text(ins, i++, cls, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, i++, subject, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, i++, body, -1, SQLITE_STATIC);
		sqlite3_bind_int(ins, i++, pick(3) == 0);
		sqlite3_bind_text(ins, i++, received, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, i++, received, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, i++, received, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, i++, (int64_t)(strlen(body) + strlen(subject) + 600 + (size_t)pick(400)));
		sqlite3_bind_int(ins, i++, pick(10) == 0 ? 2 : pick(20) == 0 ? 0 : 1);
		sqlite3_bind_int(ins, i++, folder == 0 ? pick(3) != 0 : 1);
		sqlite3_bind_text(ins, i++, kind == EWSD_CONTACT || kind == EWSD_TASK ? NULL : from_name, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, i++, kind == EWSD_CONTACT || kind == EWSD_TASK ? NULL : from_addr, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, i++, kind == EWSD_MESSAGE || kind == EWSD_MEETING_REQUEST ? to : NULL, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, i++, cc[0] && kind == EWSD_MESSAGE ? cc : NULL, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, i++, start[0] ? start : NULL, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, i++, end[0] ? end : NULL, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, i++, loc, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, i++, gn, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, i++, sn, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, i++, email[0] ? email : NULL, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, i++, company, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, i++, due[0] ? due : NULL, -1, SQLITE_STATIC);
		sqlite3_bind_int(ins, i++, kind == EWSD_TASK ? pick(5) : 0);
		sqlite3_bind_text(ins, i++, pick(8) == 0 ? "Red category" : NULL, -1, SQLITE_STATIC);
		int ok = sqlite3_step(ins) == SQLITE_DONE;
		sqlite3_reset(ins);
		free(body);
		if (!ok)
			break;
		int64_t id = sqlite3_last_insert_rowid(db);
		sqlite3_bind_int64(chg, 1, mbx.id);
		sqlite3_bind_int64(chg, 2, folder_id);
		sqlite3_bind_int64(chg, 3, id);
		ok = sqlite3_step(chg) == SQLITE_DONE;
		sqlite3_reset(chg);
		int64_t seq = sqlite3_last_insert_rowid(db);
		sqlite3_bind_int64(upd, 1, seq);
		sqlite3_bind_int64(upd, 2, id);
		ok = ok && sqlite3_step(upd) == SQLITE_DONE;
		sqlite3_reset(upd);
		if (ok && kind == EWSD_MESSAGE)
			ok = seed_attachments(db, id, k, received) == 0;
		if (ok && kind == EWSD_CALENDAR && ++calendar_items % 4 == 0)  /* a quarter recur (recurrence.c) */
			ok = ewsd_recur_seed(db, id, calendar_items / 4, start, end, subject) == 0;
		if (!ok)
			break;
		if (k + 1 == n) {
			n = -2; /* done marker */
			break;
		}
	}
	int done = n == -2 || n == 0;
	sqlite3_finalize(ins);
	sqlite3_finalize(chg);
	sqlite3_finalize(upd);
	if (!done || sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "ewsd seed: failed: %s\n", sqlite3_errmsg(db));
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		ewsd_store_close(db);
		return 1;
	}
	/* the directory a real organisation has beside the mailbox: a room list with its rooms (op_rooms.c) */
	if (ewsd_rooms_seed(db, strchr(mailbox, '@') ? strchr(mailbox, '@') + 1 : mailbox)) {
		fprintf(stderr, "ewsd seed: cannot add the room list: %s\n", sqlite3_errmsg(db));
		ewsd_store_close(db);
		return 1;
	}
	int pf_folders, pf_items;
	if (seed_extras(db, &mbx, archive_items, &pf_folders, &pf_items)) {
		fprintf(stderr, "ewsd seed: the archive or public folders failed: %s\n", sqlite3_errmsg(db));
		ewsd_store_close(db);
		return 1;
	}
	ewsd_store_close(db);
	printf("seeded %ld item%s into %s (mailbox %s)\n", items, items == 1 ? "" : "s", mailbox, mbx.guid);
	if (archive_items)
		printf("seeded %ld item%s into its archive mailbox\n", archive_items, archive_items == 1 ? "" : "s");
	if (pf_folders)
		printf("seeded %d public folders with %d items\n", pf_folders, pf_items);
	return 0;
}
