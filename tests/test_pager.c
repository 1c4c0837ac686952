/* test_pager.c — ews/pager.h against ewsd: the paged-search page's worked examples (15 items by pages of 10;
 * 8 items by pages of 6 then offset 5), BasePoint End, the anchor item catching inserts and deletes between pages
 * under each policy, folder paging, the page cap, a seeded mailbox, bad arguments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews_test.h"
#include "ews_test_wf.h"

static struct ewsd_proc srv;
static ews_client *c;

/* Requests seen by the progress callback: (offset, MaxEntriesReturned) per page. */
struct trace {
	ews_pager *p;
	int n;
	int offset[64], max[64];
	long done[64], total[64];
	int cancel_after;                   /* pages; 0 = never */
};

static int on_page(void *arg, long done, long total)
{
	struct trace *t = arg;
	if (t->n < 64) {
		t->offset[t->n] = ews_pager_last_offset(t->p);
		t->max[t->n] = ews_pager_last_max_entries(t->p);
		t->done[t->n] = done;
		t->total[t->n] = total;
	}
	t->n++;
	return t->cancel_after && t->n >= t->cancel_after;
}

/* A folder with n messages "<prefix> 1".."<prefix> n"; "1" received last (newest). */
static char *make_folder(const char *name, const char *prefix, int n, char ***ids)
{
	char *id = NULL;
	CU_ASSERT_EQUAL_FATAL(wf_create_folder(c, "inbox", name, &id).code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(wf_create_messages(c, id, prefix, 1, n, 600, ids).code, EWS_OK);
	return id;
}

/* Page through, collecting subjects joined by ','. Returns the final status. */
static ews_status collect(ews_pager *p, char *out, size_t cap, int *count)
{
	ews_item_view it;
	ews_status st;
	size_t k = 0;
	*count = 0;
	out[0] = 0;
	while (ews_ok(st = ews_pager_next(p, &it)) && it.id) {
		k += (size_t)snprintf(out + k, k < cap ? cap - k : 0, "%s%s", *count ? "," : "", it.subject ? it.subject : "?");
		(*count)++;
		if (k >= cap)
			k = cap - 1;
	}
	return st;
}

static void fifteen_items_by_pages_of_ten(void)
{
	char *folder = make_folder("Fifteen", "M", 15, NULL);
	struct trace t = { 0 };
	ews_pager *p;
	char got[2048];
	int n;
	/* Oldest first: "M 15" (received first) ... "M 1". */
	CU_ASSERT_EQUAL_FATAL(ews_pager_new_items(c, &(ews_pager_options){ .folder = folder, .page_size = 10,
		.sort = "item:DateTimeReceived", .progress = on_page, .progress_arg = &t }, &p).code, EWS_OK);
	t.p = p;
	ews_status st = collect(p, got, sizeof got, &n);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL(n, 15);
	CU_ASSERT_STRING_EQUAL(got, "M 15,M 14,M 13,M 12,M 11,M 10,M 9,M 8,M 7,M 6,M 5,M 4,M 3,M 2,M 1");
	/* Page 1: 11 entries at offset 0 (10 + the anchor); page 2 at offset 10 holds the last 5, anchor first. */
	CU_ASSERT_EQUAL(ews_pager_pages(p), 2);
	CU_ASSERT_EQUAL(t.n, 2);
	CU_ASSERT_EQUAL(t.offset[0], 0);
	CU_ASSERT_EQUAL(t.max[0], 11);
	CU_ASSERT_EQUAL(t.offset[1], 10);
	CU_ASSERT_EQUAL(t.done[0], 10);
	CU_ASSERT_EQUAL(t.done[1], 15);
	CU_ASSERT_EQUAL(t.total[0], 15);
	CU_ASSERT_EQUAL(ews_pager_total(p), 15);
	CU_ASSERT_EQUAL(ews_pager_changes(p), 0);
	/* The end is sticky. */
	ews_item_view it;
	CU_ASSERT_EQUAL(ews_pager_next(p, &it).code, EWS_OK);
	CU_ASSERT_PTR_NULL(it.id);
	CU_ASSERT_EQUAL(it.kind, EWS_ITEM_NONE);
	CU_ASSERT_EQUAL(ews_pager_pages(p), 2);
	ews_pager_free(p);

	/* Without the anchor: exactly the page's requests, 10 at 0 then 10 at 10. */
	memset(&t, 0, sizeof t);
	CU_ASSERT_EQUAL_FATAL(ews_pager_new_items(c, &(ews_pager_options){ .folder = folder, .page_size = 10,
		.sort = "item:DateTimeReceived", .no_anchor = 1, .progress = on_page, .progress_arg = &t }, &p).code,
		EWS_OK);
	t.p = p;
	CU_ASSERT_EQUAL(collect(p, got, sizeof got, &n).code, EWS_OK);
	CU_ASSERT_EQUAL(n, 15);
	CU_ASSERT_EQUAL(t.n, 2);
	CU_ASSERT_EQUAL(t.max[0], 10);
	CU_ASSERT_EQUAL(t.offset[1], 10);
	CU_ASSERT_EQUAL(t.max[1], 10);
	ews_pager_free(p);
	free(folder);
}

static void eight_items_pages_of_six_then_offset_five(void)
{
	char *folder = make_folder("Eight", "E", 8, NULL);
	struct trace t = { 0 };
	ews_pager *p;
	char got[1024];
	int n;
	/* The reference page's C# sample: pageSize 5 + 1 anchor, newest first. */
	CU_ASSERT_EQUAL_FATAL(ews_pager_new_items(c, &(ews_pager_options){ .folder = folder, .page_size = 5,
		.sort = "item:DateTimeReceived", .descending = 1, .shape = "IdOnly",
		.properties = (const char *[]){ "item:Subject", NULL }, .progress = on_page, .progress_arg = &t },
		&p).code, EWS_OK);
	t.p = p;
	CU_ASSERT_EQUAL(collect(p, got, sizeof got, &n).code, EWS_OK);
	CU_ASSERT_EQUAL(n, 8);
	CU_ASSERT_STRING_EQUAL(got, "E 1,E 2,E 3,E 4,E 5,E 6,E 7,E 8");
	CU_ASSERT_EQUAL(t.n, 2);
	CU_ASSERT_EQUAL(t.offset[0], 0);
	CU_ASSERT_EQUAL(t.max[0], 6);
	CU_ASSERT_EQUAL(t.offset[1], 5);
	CU_ASSERT_EQUAL(t.max[1], 6);
	CU_ASSERT_EQUAL(ews_pager_total(p), 8);
	CU_ASSERT_EQUAL(ews_pager_changes(p), 0);
	ews_pager_free(p);
	free(folder);
}

static void base_point_end_walks_from_the_last_item_backwards(void)
{
	char *folder = make_folder("FromEnd", "B", 11, NULL);
	struct trace t = { 0 };
	ews_pager *p;
	char got[1024];
	int n;
	/* Ascending by date: "B 11" first ... "B 1" last; from the end: B 1, B 2, ... */
	CU_ASSERT_EQUAL_FATAL(ews_pager_new_items(c, &(ews_pager_options){ .folder = folder, .page_size = 4,
		.base_point = EWS_FROM_END, .sort = "item:DateTimeReceived", .progress = on_page, .progress_arg = &t },
		&p).code, EWS_OK);
	t.p = p;
	CU_ASSERT_EQUAL(collect(p, got, sizeof got, &n).code, EWS_OK);
	CU_ASSERT_EQUAL(n, 11);
	CU_ASSERT_STRING_EQUAL(got, "B 1,B 2,B 3,B 4,B 5,B 6,B 7,B 8,B 9,B 10,B 11");
	CU_ASSERT_EQUAL(t.n, 3);
	CU_ASSERT_EQUAL(t.offset[0], 0);
	CU_ASSERT_EQUAL(t.offset[1], 4);
	CU_ASSERT_EQUAL(t.offset[2], 8);
	CU_ASSERT_EQUAL(ews_pager_changes(p), 0);
	ews_pager_free(p);

	/* A start offset from the end skips the newest ones. */
	CU_ASSERT_EQUAL_FATAL(ews_pager_new_items(c, &(ews_pager_options){ .folder = folder, .page_size = 4,
		.base_point = EWS_FROM_END, .offset = 9, .sort = "item:DateTimeReceived" }, &p).code, EWS_OK);
	CU_ASSERT_EQUAL(collect(p, got, sizeof got, &n).code, EWS_OK);
	CU_ASSERT_STRING_EQUAL(got, "B 10,B 11");
	ews_pager_free(p);
	free(folder);
}

/* Newest first, pages of 5 over 15; after the first page, `change` runs; returns the pager, 5 items consumed. */
static ews_pager *first_page_then(const char *name, ews_change_policy policy, char ***ids, char **folder)
{
	ews_pager *p;
	ews_item_view it;
	*folder = make_folder(name, "A", 15, ids);
	CU_ASSERT_EQUAL_FATAL(ews_pager_new_items(c, &(ews_pager_options){ .folder = *folder, .page_size = 5,
		.sort = "item:DateTimeReceived", .descending = 1, .on_change = policy, .max_restarts = 1 }, &p).code,
		EWS_OK);
	for (int i = 1; i <= 5; i++) {
		char want[16];
		snprintf(want, sizeof want, "A %d", i);
		CU_ASSERT_EQUAL_FATAL(ews_pager_next(p, &it).code, EWS_OK);
		CU_ASSERT_PTR_NOT_NULL_FATAL(it.id);
		CU_ASSERT_STRING_EQUAL(it.subject, want);
	}
	return p;
}

static void anchor_detects_an_insert_and_ignore_goes_on(void)
{
	char **ids, *folder, got[2048];
	int n;
	ews_pager *p = first_page_then("InsertIgnore", EWS_CHANGED_IGNORE, &ids, &folder);
	/* A new newest message shifts everything by one: page 2 starts with A 5 instead of the anchor A 6. */
	CU_ASSERT_EQUAL_FATAL(wf_create_messages(c, folder, "New", 1, 1, 700, NULL).code, EWS_OK);
	CU_ASSERT_EQUAL(collect(p, got, sizeof got, &n).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_pager_changes(p), 1);
	CU_ASSERT_EQUAL(ews_pager_restarts(p), 0);
	/* Ignored: A 5 comes twice (5 + 11 = 16 items handed out), the new one is never seen. */
	CU_ASSERT_EQUAL(n, 11);
	CU_ASSERT_STRING_EQUAL(got, "A 5,A 6,A 7,A 8,A 9,A 10,A 11,A 12,A 13,A 14,A 15");
	ews_pager_free(p);
	wf_free_ids(ids, 15);
	free(folder);
}

static void anchor_detects_an_insert_and_restart_starts_over(void)
{
	char **ids, *folder, got[2048];
	int n;
	ews_pager *p = first_page_then("InsertRestart", EWS_CHANGED_RESTART, &ids, &folder);
	CU_ASSERT_EQUAL_FATAL(wf_create_messages(c, folder, "New", 1, 1, 700, NULL).code, EWS_OK);
	CU_ASSERT_EQUAL(collect(p, got, sizeof got, &n).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_pager_changes(p), 1);
	CU_ASSERT_EQUAL(ews_pager_restarts(p), 1);
	/* After the restart: the whole, current list, the new message first. */
	CU_ASSERT_EQUAL(n, 16);
	CU_ASSERT_STRING_EQUAL(got, "New 1,A 1,A 2,A 3,A 4,A 5,A 6,A 7,A 8,A 9,A 10,A 11,A 12,A 13,A 14,A 15");
	ews_pager_free(p);
	wf_free_ids(ids, 15);
	free(folder);
}

static void anchor_detects_an_insert_and_stop_reports_changed(void)
{
	char **ids, *folder;
	ews_item_view it;
	ews_pager *p = first_page_then("InsertStop", EWS_CHANGED_STOP, &ids, &folder);
	CU_ASSERT_EQUAL_FATAL(wf_create_messages(c, folder, "New", 1, 1, 700, NULL).code, EWS_OK);
	ews_status st = ews_pager_next(p, &it);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_CHANGED);
	CU_ASSERT_PTR_NULL(it.id);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "offset 5"));
	/* Finished: the same status again, no new request. */
	int pages = ews_pager_pages(p);
	CU_ASSERT_EQUAL(ews_pager_next(p, &it).code, EWS_ERR_CHANGED);
	CU_ASSERT_EQUAL(ews_pager_pages(p), pages);
	ews_pager_free(p);
	wf_free_ids(ids, 15);
	free(folder);
}

static void anchor_detects_a_delete_in_the_paged_part(void)
{
	char **ids, *folder, got[2048];
	int n;
	ews_item_view it;
	/* STOP: deleting A 2 (already seen) pulls A 7 to the front of page 2. */
	ews_pager *p = first_page_then("DeleteStop", EWS_CHANGED_STOP, &ids, &folder);
	CU_ASSERT_EQUAL_FATAL(wf_delete_item(c, ids[1]).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_pager_next(p, &it).code, EWS_ERR_CHANGED);
	CU_ASSERT_EQUAL(ews_pager_changes(p), 1);
	ews_pager_free(p);
	wf_free_ids(ids, 15);
	free(folder);

	/* IGNORE: A 6 is skipped (it moved into the part already paged). */
	p = first_page_then("DeleteIgnore", EWS_CHANGED_IGNORE, &ids, &folder);
	CU_ASSERT_EQUAL_FATAL(wf_delete_item(c, ids[1]).code, EWS_OK);
	CU_ASSERT_EQUAL(collect(p, got, sizeof got, &n).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_pager_changes(p), 1);
	CU_ASSERT_STRING_EQUAL(got, "A 7,A 8,A 9,A 10,A 11,A 12,A 13,A 14,A 15");
	ews_pager_free(p);
	wf_free_ids(ids, 15);
	free(folder);

	/* A change past the anchor (A 12 deleted) is not a change of the paged part: nothing reported. */
	p = first_page_then("DeleteLater", EWS_CHANGED_STOP, &ids, &folder);
	CU_ASSERT_EQUAL_FATAL(wf_delete_item(c, ids[11]).code, EWS_OK);
	CU_ASSERT_EQUAL(collect(p, got, sizeof got, &n).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_pager_changes(p), 0);
	CU_ASSERT_EQUAL(n, 9);
	ews_pager_free(p);
	wf_free_ids(ids, 15);
	free(folder);
}

static void restart_gives_up_after_max_restarts(void)
{
	char **ids, *folder;
	ews_item_view it;
	ews_status st;
	ews_pager *p = first_page_then("Restarts", EWS_CHANGED_RESTART, &ids, &folder);
	/* max_restarts is 1: change once (restart), consume the new first page, change again -> gives up. */
	CU_ASSERT_EQUAL_FATAL(wf_create_messages(c, folder, "New", 1, 1, 700, NULL).code, EWS_OK);
	for (int i = 0; i < 5; i++)
		CU_ASSERT_EQUAL(ews_pager_next(p, &it).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_pager_restarts(p), 1);
	CU_ASSERT_EQUAL_FATAL(wf_create_messages(c, folder, "New", 2, 1, 800, NULL).code, EWS_OK);
	st = ews_pager_next(p, &it);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_CHANGED);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "restart limit"));
	ews_pager_free(p);
	wf_free_ids(ids, 15);
	free(folder);
}

static void other_calls_on_the_client_between_items_are_fine(void)
{
	char **ids, *folder = make_folder("Interleaved", "I", 9, &ids);
	ews_pager *p;
	ews_item_view it;
	ews_status st;
	int n = 0;
	CU_ASSERT_EQUAL_FATAL(ews_pager_new_items(c, &(ews_pager_options){ .folder = folder, .page_size = 4,
		.sort = "item:DateTimeReceived", .descending = 1 }, &p).code, EWS_OK);
	while (ews_ok(st = ews_pager_next(p, &it)) && it.id) {
		char want[16], *ck = NULL;
		snprintf(want, sizeof want, "I %d", n + 1);
		/* A GetItem per item on the same client: the pager's page (and this view) must survive it. */
		CU_ASSERT_EQUAL(wf_change_key(c, it.id, &ck).code, EWS_OK);
		CU_ASSERT_STRING_EQUAL(it.subject ? it.subject : "", want);
		CU_ASSERT_STRING_EQUAL(it.change_key ? it.change_key : "", ck ? ck : "?");
		free(ck);
		n++;
	}
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL(n, 9);
	CU_ASSERT_EQUAL(ews_pager_changes(p), 0);
	ews_pager_free(p);
	wf_free_ids(ids, 9);
	free(folder);
}

static void folders_page_too(void)
{
	char *parent = NULL, *sub = NULL;
	CU_ASSERT_EQUAL_FATAL(wf_create_folder(c, "inbox", "Parent", &parent).code, EWS_OK);
	for (int i = 0; i < 7; i++) {
		char name[16];
		snprintf(name, sizeof name, "Sub %d", i);
		CU_ASSERT_EQUAL_FATAL(wf_create_folder(c, parent, name, &sub).code, EWS_OK);
		free(sub);
	}
	ews_pager *p;
	ews_folder_view f;
	ews_item_view it;
	ews_status st;
	int n = 0, seen = 0;
	CU_ASSERT_EQUAL_FATAL(ews_pager_new_folders(c, &(ews_pager_options){ .folder = parent, .page_size = 3 }, &p).code,
	                      EWS_OK);
	while (ews_ok(st = ews_pager_next_folder(p, &f)) && f.id) {
		CU_ASSERT_PTR_NOT_NULL(f.display_name);
		if (f.display_name && !strncmp(f.display_name, "Sub ", 4))
			seen |= 1 << (f.display_name[4] - '0');
		CU_ASSERT_EQUAL(f.kind, EWS_FOLDER_GENERIC);
		n++;
	}
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL(n, 7);
	CU_ASSERT_EQUAL(seen, 0x7f);
	/* 4 at 0 (3 + anchor), then 4 at 3 that include the last: the extra entry is delivered, no third page. */
	CU_ASSERT_EQUAL(ews_pager_pages(p), 2);
	/* The wrong iterator function is refused. */
	CU_ASSERT_EQUAL(ews_pager_next(p, &it).code, EWS_ERR_ARGUMENT);
	ews_pager_free(p);
	free(parent);
}

static void page_size_is_capped_below_the_server_limit(void)
{
	ews_pager *p;
	ews_item_view it;
	CU_ASSERT_EQUAL_FATAL(ews_pager_new_items(c, &(ews_pager_options){ .folder = "inbox", .page_size = 5000 }, &p).code,
	                      EWS_OK);
	CU_ASSERT_EQUAL(ews_pager_next(p, &it).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_pager_last_max_entries(p), 1000);   /* 999 + the anchor */
	ews_pager_free(p);
	CU_ASSERT_EQUAL_FATAL(ews_pager_new_items(c, &(ews_pager_options){ .folder = "inbox", .page_size = 50,
		.max_page = 20, .no_anchor = 1 }, &p).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_pager_next(p, &it).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_pager_last_max_entries(p), 20);
	ews_pager_free(p);
}

static void a_seeded_inbox_pages_completely_and_uniquely(void)
{
	struct ewsd_proc big;
	CU_ASSERT_EQUAL_FATAL(wf_start(&big, "big@example.com", 1500), 0);
	ews_client *bc = wf_client(&big, "big@example.com");
	CU_ASSERT_PTR_NOT_NULL_FATAL(bc);
	ews_pager *p;
	ews_item_view it;
	ews_status st;
	struct trace t = { 0 };
	int n = 0, dup = 0, cap = 4096;
	char **seen = calloc((size_t)cap, sizeof *seen);
	CU_ASSERT_EQUAL_FATAL(ews_pager_new_items(bc, &(ews_pager_options){ .folder = "inbox", .page_size = 250,
		.sort = "item:DateTimeReceived", .descending = 1, .progress = on_page, .progress_arg = &t }, &p).code,
		EWS_OK);
	t.p = p;
	char prev[64] = "9999";
	int ordered = 1;
	while (ews_ok(st = ews_pager_next(p, &it)) && it.id) {
		for (int i = 0; i < n && i < cap; i++)
			if (!strcmp(seen[i], it.id)) {
				dup++;
				break;
			}
		if (n < cap)
			seen[n] = strdup(it.id);
		CU_ASSERT_PTR_NOT_NULL(it.received);
		if (it.received && strcmp(it.received, prev) > 0)
			ordered = 0;
		snprintf(prev, sizeof prev, "%s", it.received ? it.received : "");
		CU_ASSERT_EQUAL(it.kind != EWS_ITEM_NONE, 1);
		n++;
	}
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT(n > 250);
	CU_ASSERT_EQUAL(n, ews_pager_total(p));
	CU_ASSERT_EQUAL(dup, 0);
	CU_ASSERT(ordered);
	CU_ASSERT_EQUAL(t.n, ews_pager_pages(p));
	CU_ASSERT_EQUAL(t.n, (n - 1) / 250 + 1);
	for (int i = 0; i < n && i < cap; i++)
		free(seen[i]);
	free(seen);
	ews_pager_free(p);

	/* Cancelled by the progress callback after the first page. */
	memset(&t, 0, sizeof t);
	t.cancel_after = 1;
	CU_ASSERT_EQUAL_FATAL(ews_pager_new_items(bc, &(ews_pager_options){ .folder = "inbox", .page_size = 100,
		.progress = on_page, .progress_arg = &t }, &p).code, EWS_OK);
	t.p = p;
	CU_ASSERT_EQUAL(ews_pager_next(p, &it).code, EWS_ERR_CANCELLED);
	ews_pager_free(p);
	ews_client_free(bc);
	ewsd_stop(&big, 0);
}

static void bad_arguments_and_server_errors_are_statuses(void)
{
	ews_pager *p = (ews_pager *)1;
	ews_item_view it;
	CU_ASSERT_EQUAL(ews_pager_new_items(NULL, NULL, &p).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_PTR_NULL(p);
	CU_ASSERT_EQUAL(ews_pager_new_items(c, &(ews_pager_options){ .sort = "item:NoSuchField" }, &p).code,
	                EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_pager_new_items(c, &(ews_pager_options){ .shape = "Everything" }, &p).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_pager_new_items(c, &(ews_pager_options){ .page_size = -1 }, &p).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_pager_new_items(c, &(ews_pager_options){ .on_change = 7 }, &p).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_pager_next(NULL, &it).code, EWS_ERR_ARGUMENT);
	ews_pager_free(NULL);

	/* A folder id the server does not know: the ResponseMessage error, sticky. */
	CU_ASSERT_EQUAL_FATAL(ews_pager_new_items(c, &(ews_pager_options){ .folder = "AAMkAGNoSuchFolder" }, &p).code,
	                      EWS_OK);
	ews_status st = ews_pager_next(p, &it);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_RESPONSE);
	CU_ASSERT(st.response_code[0] != 0);
	CU_ASSERT_PTR_NULL(it.id);
	CU_ASSERT_EQUAL(ews_pager_next(p, &it).code, EWS_ERR_RESPONSE);
	CU_ASSERT_EQUAL(ews_pager_pages(p), 1);
	ews_pager_free(p);
}

int main(void)
{
	if (wf_start(&srv, NULL, 0)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	c = wf_client(&srv, "pager@example.com");
	if (!c) {
		ewsd_stop(&srv, 0);
		return 1;
	}
	static const struct ews_test_case cases[] = {
		{ "pages 15 items by 10 with the anchor (11 at 0, then 10)", fifteen_items_by_pages_of_ten },
		{ "pages 8 items as the page's requests: 6 at offset 0, 6 at offset 5", eight_items_pages_of_six_then_offset_five },
		{ "BasePoint End walks from the last item backwards", base_point_end_walks_from_the_last_item_backwards },
		{ "anchor detects an insert; ignore goes on", anchor_detects_an_insert_and_ignore_goes_on },
		{ "anchor detects an insert; restart starts over", anchor_detects_an_insert_and_restart_starts_over },
		{ "anchor detects an insert; stop reports EWS_ERR_CHANGED", anchor_detects_an_insert_and_stop_reports_changed },
		{ "anchor detects a delete in the paged part only", anchor_detects_a_delete_in_the_paged_part },
		{ "restart gives up after max_restarts", restart_gives_up_after_max_restarts },
		{ "other calls on the client between items are fine", other_calls_on_the_client_between_items_are_fine },
		{ "folders page too", folders_page_too },
		{ "page size is capped below the server limit", page_size_is_capped_below_the_server_limit },
		{ "a seeded inbox pages completely, uniquely, in order", a_seeded_inbox_pages_completely_and_uniquely },
		{ "bad arguments and server errors are statuses", bad_arguments_and_server_errors_are_statuses },
		{ NULL, NULL }
	};
	int rc = ews_test_run("pager", cases);
	ews_client_free(c);
	ewsd_stop(&srv, 0);
	return rc;
}
