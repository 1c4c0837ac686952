/* test_sync.c — ews/sync.h against ewsd: a full sync of more than 512 changes in several batches, the SyncState
 * handed over only after a batch is consumed, states saved atomically and resumed (create/update/delete/read
 * flag), a replayed batch after a "crash", Ignore, hierarchy sync, corrupt state files and rejected states. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ews_internal.h"
#include "ews_test.h"
#include "ews_test_wf.h"

static struct ewsd_proc srv;
static ews_client *c;

static char *make_folder(const char *name, int n, char ***ids)
{
	char *id = NULL;
	CU_ASSERT_EQUAL_FATAL(wf_create_folder(c, "inbox", name, &id).code, EWS_OK);
	for (int done = 0; done < n; done += 200) {
		int k = n - done < 200 ? n - done : 200;
		char **part = NULL;
		CU_ASSERT_EQUAL_FATAL(wf_create_messages(c, id, "S", done + 1, k, 5000 - done, ids ? &part : NULL).code,
		                      EWS_OK);
		if (ids) {
			*ids = realloc(done ? *ids : NULL, (size_t)(done + k) * sizeof **ids);
			memcpy(*ids + done, part, (size_t)k * sizeof *part);
			free(part);
		}
	}
	return id;
}

static int count_entries(const char *dir)
{
	int n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	if (d)
		closedir(d);
	return n;
}

static void a_full_sync_of_1100_items_takes_three_batches(void)
{
	char *folder = make_folder("Big", 1100, NULL);
	ews_sync *s;
	ews_sync_change ch;
	ews_status st;
	int per_batch[8] = { 0 }, n = 0, creates = 0;
	char *state_in[8] = { 0 };
	/* max_changes above the cap is clamped to 512 */
	CU_ASSERT_EQUAL_FATAL(ews_sync_new_items(c, folder, NULL, &(ews_sync_options){ .max_changes = 5000 }, &s).code,
	                      EWS_OK);
	CU_ASSERT_STRING_EQUAL(ews_sync_state(s), "");
	while (ews_ok(st = ews_sync_next(s, &ch)) && ch.kind != EWS_SYNC_DONE) {
		CU_ASSERT_FATAL(ch.batch >= 1 && ch.batch < 8);
		if (!per_batch[ch.batch])
			state_in[ch.batch] = strdup(ews_sync_state(s));   /* the state while this batch is consumed */
		per_batch[ch.batch]++;
		creates += ch.kind == EWS_SYNC_CREATE;
		CU_ASSERT_EQUAL(ch.is_folder, 0);
		CU_ASSERT_PTR_NOT_NULL(ch.item.id);
		CU_ASSERT_EQUAL(ch.item.kind, EWS_ITEM_MESSAGE);
		CU_ASSERT(ch.item.subject && !strncmp(ch.item.subject, "S ", 2));
		n++;
	}
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL(n, 1100);
	CU_ASSERT_EQUAL(creates, 1100);
	CU_ASSERT_EQUAL(ews_sync_batches(s), 3);
	CU_ASSERT_EQUAL(per_batch[1], 512);
	CU_ASSERT_EQUAL(per_batch[2], 512);
	CU_ASSERT_EQUAL(per_batch[3], 76);
	CU_ASSERT_EQUAL(ews_sync_changes(s), 1100);
	/* Hand-over: batch 1 is consumed under the initial (empty) state, batch 2 under batch 1's state ... */
	CU_ASSERT_STRING_EQUAL(state_in[1] ? state_in[1] : "?", "");
	CU_ASSERT(state_in[2] && *state_in[2]);
	CU_ASSERT(state_in[2] && state_in[3] && strcmp(state_in[2], state_in[3]));
	CU_ASSERT(state_in[3] && strcmp(state_in[3], ews_sync_state(s)));
	CU_ASSERT(*ews_sync_state(s));
	/* DONE is sticky and sends nothing. */
	CU_ASSERT_EQUAL(ews_sync_next(s, &ch).code, EWS_OK);
	CU_ASSERT_EQUAL(ch.kind, EWS_SYNC_DONE);
	CU_ASSERT_EQUAL(ews_sync_batches(s), 3);
	for (int i = 0; i < 8; i++)
		free(state_in[i]);
	ews_sync_free(s);
	free(folder);
}

/* Sync to the end; returns the number of changes by kind in k[5]. */
static ews_status drain(ews_sync *s, int k[5], char *ids_by_kind[5])
{
	ews_sync_change ch;
	ews_status st;
	memset(k, 0, 5 * sizeof *k);
	while (ews_ok(st = ews_sync_next(s, &ch)) && ch.kind != EWS_SYNC_DONE) {
		k[ch.kind]++;
		if (ids_by_kind && ch.item.id && !ids_by_kind[ch.kind])
			ids_by_kind[ch.kind] = strdup(ch.item.id);
		if (ch.kind == EWS_SYNC_READ_FLAG)
			CU_ASSERT_EQUAL(ch.is_read, 1);
	}
	return st;
}

static void a_saved_state_resumes_with_only_the_later_changes(void)
{
	char **ids, *folder = make_folder("Resume", 20, &ids);
	const char *dir = wf_tmpdir(0);
	char path[256], *state = NULL;
	int k[5];
	ews_sync *s;
	snprintf(path, sizeof path, "%s/inbox.state", dir);

	/* No file yet: NOT_FOUND and a full sync. */
	CU_ASSERT_EQUAL(ews_sync_state_read(path, &state).code, EWS_ERR_NOT_FOUND);
	CU_ASSERT_PTR_NULL(state);
	CU_ASSERT_PTR_NULL(ews_sync_state_load(path));
	CU_ASSERT_EQUAL_FATAL(ews_sync_new_items(c, folder, NULL, NULL, &s).code, EWS_OK);
	CU_ASSERT_EQUAL(drain(s, k, NULL).code, EWS_OK);
	CU_ASSERT_EQUAL(k[EWS_SYNC_CREATE], 20);
	CU_ASSERT_EQUAL(ews_sync_state_save(path, ews_sync_state(s)).code, EWS_OK);
	/* Atomic save: the file holds the state and a newline, and no temporary file is left behind. */
	size_t len = 0;
	char *raw = ews_test_read_file(path, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(raw);
	CU_ASSERT_EQUAL(len, strlen(ews_sync_state(s)) + 1);
	CU_ASSERT_EQUAL(strncmp(raw, ews_sync_state(s), len - 1), 0);
	CU_ASSERT_EQUAL(raw[len - 1], '\n');
	CU_ASSERT_EQUAL(count_entries(dir), 1);
	free(raw);
	ews_sync_free(s);

	/* Later changes: two new, one renamed, one deleted, one read. */
	char **fresh = NULL;
	CU_ASSERT_EQUAL_FATAL(wf_create_messages(c, folder, "Later", 1, 2, 6000, &fresh).code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(wf_set_subject(c, ids[3], "renamed").code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(wf_delete_item(c, ids[4]).code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(wf_set_read(c, ids[5], 1).code, EWS_OK);

	CU_ASSERT_EQUAL_FATAL(ews_sync_state_read(path, &state).code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(ews_sync_new_items(c, folder, state, &(ews_sync_options){ .max_changes = 2 }, &s).code,
	                      EWS_OK);
	CU_ASSERT_STRING_EQUAL(ews_sync_state(s), state);
	char *seen[5] = { 0 };
	CU_ASSERT_EQUAL(drain(s, k, seen).code, EWS_OK);
	CU_ASSERT_EQUAL(k[EWS_SYNC_CREATE], 2);
	CU_ASSERT_EQUAL(k[EWS_SYNC_UPDATE], 1);
	CU_ASSERT_EQUAL(k[EWS_SYNC_DELETE], 1);
	CU_ASSERT_EQUAL(k[EWS_SYNC_READ_FLAG], 1);
	CU_ASSERT_EQUAL(ews_sync_batches(s), 3);            /* 5 changes by 2 */
	CU_ASSERT_STRING_EQUAL(seen[EWS_SYNC_UPDATE] ? seen[EWS_SYNC_UPDATE] : "", ids[3]);
	CU_ASSERT_STRING_EQUAL(seen[EWS_SYNC_DELETE] ? seen[EWS_SYNC_DELETE] : "", ids[4]);
	CU_ASSERT_STRING_EQUAL(seen[EWS_SYNC_READ_FLAG] ? seen[EWS_SYNC_READ_FLAG] : "", ids[5]);
	CU_ASSERT(seen[EWS_SYNC_CREATE] && (!strcmp(seen[EWS_SYNC_CREATE], fresh[0]) ||
	                                    !strcmp(seen[EWS_SYNC_CREATE], fresh[1])));
	for (int i = 0; i < 5; i++)
		free(seen[i]);
	CU_ASSERT_EQUAL(ews_sync_state_save(path, ews_sync_state(s)).code, EWS_OK);
	CU_ASSERT_EQUAL(count_entries(dir), 1);
	ews_sync_free(s);
	free(state);

	/* And from there: nothing. */
	state = ews_sync_state_load(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(state);
	CU_ASSERT_EQUAL_FATAL(ews_sync_new_items(c, folder, state, NULL, &s).code, EWS_OK);
	CU_ASSERT_EQUAL(drain(s, k, NULL).code, EWS_OK);
	CU_ASSERT_EQUAL(k[1] + k[2] + k[3] + k[4], 0);
	CU_ASSERT_EQUAL(ews_sync_batches(s), 1);
	ews_sync_free(s);
	free(state);

	/* Saving an empty state removes the file; saving into a missing directory fails cleanly. */
	CU_ASSERT_EQUAL(ews_sync_state_save(path, "").code, EWS_OK);
	CU_ASSERT_EQUAL(count_entries(dir), 0);
	CU_ASSERT_EQUAL(ews_sync_state_save("/nonexistent-dir/x.state", "QUJD").code, EWS_ERR_FILE);
	wf_free_ids(fresh, 2);
	wf_free_ids(ids, 20);
	wf_rmdir(dir);
	free(folder);
}

static void a_batch_consumed_halfway_is_replayed_from_the_saved_state(void)
{
	char *folder = make_folder("Crash", 30, NULL);
	ews_sync *s;
	ews_sync_change ch;
	int k[5];
	/* Batches of 10: consume batch 1 and half of batch 2, then "crash" keeping the state as it is. */
	CU_ASSERT_EQUAL_FATAL(ews_sync_new_items(c, folder, NULL, &(ews_sync_options){ .max_changes = 10 }, &s).code,
	                      EWS_OK);
	for (int i = 0; i < 15; i++)
		CU_ASSERT_EQUAL(ews_sync_next(s, &ch).code, EWS_OK);
	CU_ASSERT_EQUAL(ch.batch, 2);
	char *saved = strdup(ews_sync_state(s));
	CU_ASSERT(*saved);
	ews_sync_free(s);
	/* Resumed: batches 2 and 3 again, in full (20 changes), nothing of batch 1. */
	CU_ASSERT_EQUAL_FATAL(ews_sync_new_items(c, folder, saved, &(ews_sync_options){ .max_changes = 10 }, &s).code,
	                      EWS_OK);
	CU_ASSERT_EQUAL(drain(s, k, NULL).code, EWS_OK);
	CU_ASSERT_EQUAL(k[EWS_SYNC_CREATE], 20);
	ews_sync_free(s);
	free(saved);
	free(folder);
}

/* ews_sync_end_batch ends a batch at its last change without asking for the next one: nothing before that, the
 * state moves as the next ews_sync_next would move it (a sync resumed from it starts after the batch), the batch
 * count stays until the next batch is asked for, and the last batch says so (2) and is followed by DONE. An
 * iterator that has ended its last batch holds no response any more, whichever way it got there. */
static void a_batch_ends_at_its_last_change_without_asking_for_the_next(void)
{
	char *folder = make_folder("End batch", 7, NULL);
	ews_sync *s;
	ews_sync_change ch;
	int ends[3] = { 0 }, n = 0;
	ews_client_release(c);         /* (the folder's making left its last answer in c) */
	long live = ews_body_live();   /* response bodies mapped now */
	CU_ASSERT_EQUAL(ews_sync_end_batch(NULL), 0);
	CU_ASSERT_EQUAL_FATAL(ews_sync_new_items(c, folder, NULL, &(ews_sync_options){ .max_changes = 3 }, &s).code,
	                      EWS_OK);
	CU_ASSERT_EQUAL(ews_sync_end_batch(s), 0);   /* no batch yet */
	char *after_first = NULL;
	while (ews_ok(ews_sync_next(s, &ch)) && ch.kind != EWS_SYNC_DONE) {
		n++;
		int batches = ews_sync_batches(s), end = ews_sync_end_batch(s);
		ends[end]++;
		CU_ASSERT_EQUAL(end, n % 3 ? (n == 7 ? 2 : 0) : 1);
		CU_ASSERT_EQUAL(ews_sync_batches(s), batches);   /* the next one not asked for */
		CU_ASSERT_EQUAL(ews_sync_end_batch(s), 0);       /* (ended: nothing more to do) */
		if (n == 3)
			after_first = strdup(ews_sync_state(s));
	}
	CU_ASSERT_EQUAL(n, 7);
	CU_ASSERT(ends[1] == 2 && ends[2] == 1);
	CU_ASSERT_EQUAL(ews_sync_batches(s), 3);
	CU_ASSERT_EQUAL(ews_body_live(), live);   /* ended: no response held, though the iterator lives on */
	ews_sync_free(s);
	/* the same through ews_sync_next alone: once DONE, the last batch is freed too */
	CU_ASSERT_EQUAL_FATAL(ews_sync_new_items(c, folder, NULL, &(ews_sync_options){ .max_changes = 3 }, &s).code,
	                      EWS_OK);
	while (ews_ok(ews_sync_next(s, &ch)) && ch.kind != EWS_SYNC_DONE)
		;
	CU_ASSERT_EQUAL(ews_body_live(), live);
	ews_sync_free(s);
	/* resumed from the state after the first batch: the 4 changes after it */
	int k[5];
	CU_ASSERT_PTR_NOT_NULL_FATAL(after_first);
	CU_ASSERT_EQUAL_FATAL(ews_sync_new_items(c, folder, after_first, &(ews_sync_options){ .max_changes = 3 }, &s).code,
	                      EWS_OK);
	CU_ASSERT_EQUAL(drain(s, k, NULL).code, EWS_OK);
	CU_ASSERT_EQUAL(k[EWS_SYNC_CREATE], 4);
	ews_sync_free(s);
	free(after_first);
	free(folder);
}

static void other_calls_on_the_client_during_a_batch_are_fine(void)
{
	char **ids, *folder = make_folder("Interleave", 7, &ids);
	ews_sync *s;
	ews_sync_change ch;
	ews_status st;
	int n = 0;
	CU_ASSERT_EQUAL_FATAL(ews_sync_new_items(c, folder, NULL, &(ews_sync_options){ .max_changes = 3 }, &s).code,
	                      EWS_OK);
	while (ews_ok(st = ews_sync_next(s, &ch)) && ch.kind != EWS_SYNC_DONE) {
		char *ck = NULL, *id = strdup(ch.item.id);
		/* GetItem for the changed item on the same client: the batch being walked must survive it. */
		CU_ASSERT_EQUAL(wf_change_key(c, ch.item.id, &ck).code, EWS_OK);
		CU_ASSERT_STRING_EQUAL(ch.item.id, id);
		CU_ASSERT_STRING_EQUAL(ch.item.change_key ? ch.item.change_key : "", ck ? ck : "?");
		free(ck);
		free(id);
		n++;
	}
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL(n, 7);
	CU_ASSERT_EQUAL(ews_sync_batches(s), 3);
	ews_sync_free(s);
	wf_free_ids(ids, 7);
	free(folder);
}

/* Items created and then changed before a sync began are each reported once, as a Create carrying their current
 * properties, however small the batches; a change made during the pass is reported (once) afterwards. */
static void small_batches_report_each_item_once(void)
{
	char **ids, *folder = make_folder("Small batches", 4, &ids);
	ews_sync *s;
	ews_sync_change ch;
	ews_status st;
	int k[5] = { 0 }, calls = 0;

	CU_ASSERT_EQUAL_FATAL(wf_set_subject(c, ids[0], "zero renamed").code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(wf_set_read(c, ids[1], 1).code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(wf_set_subject(c, ids[2], "two renamed").code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(ews_sync_new_items(c, folder, NULL, &(ews_sync_options){ .max_changes = 1 }, &s).code,
			      EWS_OK);
	while (ews_ok(st = ews_sync_next(s, &ch)) && ch.kind != EWS_SYNC_DONE) {
		k[ch.kind]++;
		if (ch.kind == EWS_SYNC_CREATE && !strcmp(ch.item.id, ids[0]))
			CU_ASSERT_STRING_EQUAL(ch.item.subject, "zero renamed");
		if (++calls == 1)   /* during the pass: this change comes once, later in the pass */
			CU_ASSERT_EQUAL(wf_set_subject(c, ids[3], "three renamed").code, EWS_OK);
	}
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL(k[EWS_SYNC_CREATE], 4);
	CU_ASSERT_TRUE(k[EWS_SYNC_UPDATE] <= 1);
	CU_ASSERT_EQUAL(k[EWS_SYNC_READ_FLAG], 0);
	CU_ASSERT_EQUAL(k[EWS_SYNC_DELETE], 0);
	ews_sync_free(s);
	wf_free_ids(ids, 4);
	free(folder);
}

static void ignored_items_are_not_reported(void)
{
	char **ids, *folder = make_folder("Ignore", 5, &ids);
	ews_sync *s;
	CU_ASSERT_EQUAL_FATAL(ews_sync_new_items(c, folder, NULL,
		&(ews_sync_options){ .ignore = (const char *[]){ ids[0], ids[2], NULL } }, &s).code, EWS_OK);
	ews_sync_change ch;
	ews_status st;
	int n = 0;
	while (ews_ok(st = ews_sync_next(s, &ch)) && ch.kind != EWS_SYNC_DONE) {
		CU_ASSERT(strcmp(ch.item.id, ids[0]) && strcmp(ch.item.id, ids[2]));
		n++;
	}
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL(n, 3);
	ews_sync_free(s);
	wf_free_ids(ids, 5);
	free(folder);
}

static void a_corrupt_state_file_gives_ews_err_sync_state(void)
{
	const char *dir = wf_tmpdir(1);
	char path[256], *state = (char *)"x";
	snprintf(path, sizeof path, "%s/bad.state", dir);
	FILE *f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("<html>not a state</html>\n", f);
	fclose(f);
	ews_status st = ews_sync_state_read(path, &state);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_SYNC_STATE);
	CU_ASSERT_PTR_NULL(state);
	CU_ASSERT_PTR_NULL(ews_sync_state_load(path));
	/* Truncated mid-quantum. */
	f = fopen(path, "w");
	fputs("QUJDRE", f);
	fclose(f);
	CU_ASSERT_EQUAL(ews_sync_state_read(path, &state).code, EWS_ERR_SYNC_STATE);
	/* Empty. */
	f = fopen(path, "w");
	fclose(f);
	CU_ASSERT_EQUAL(ews_sync_state_read(path, &state).code, EWS_ERR_SYNC_STATE);

	/* Well-formed base64 the server rejects (a real state with one character changed): ErrorInvalidSyncStateData
	 * surfaces as EWS_ERR_SYNC_STATE; reset() then does a full sync. */
	char *folder = make_folder("Corrupt", 3, NULL);
	ews_sync *s;
	ews_sync_change ch;
	int k[5];
	CU_ASSERT_EQUAL_FATAL(ews_sync_new_items(c, folder, NULL, NULL, &s).code, EWS_OK);
	CU_ASSERT_EQUAL(drain(s, k, NULL).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_sync_state_save(path, ews_sync_state(s)).code, EWS_OK);
	ews_sync_free(s);
	CU_ASSERT_EQUAL_FATAL(ews_sync_state_read(path, &state).code, EWS_OK);
	size_t n = strlen(state);
	CU_ASSERT_FATAL(n > 8);
	state[n / 2] = state[n / 2] == 'A' ? 'B' : 'A';
	CU_ASSERT_EQUAL(ews_sync_state_save(path, state).code, EWS_OK);
	free(state);
	CU_ASSERT_EQUAL_FATAL(ews_sync_state_read(path, &state).code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(ews_sync_new_items(c, folder, state, NULL, &s).code, EWS_OK);
	st = ews_sync_next(s, &ch);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_SYNC_STATE);
	CU_ASSERT_STRING_EQUAL(st.response_code, "ErrorInvalidSyncStateData");
	CU_ASSERT_STRING_EQUAL(ews_sync_state(s), state);   /* unchanged: nothing was consumed */
	ews_sync_reset(s);
	CU_ASSERT_STRING_EQUAL(ews_sync_state(s), "");
	CU_ASSERT_EQUAL(drain(s, k, NULL).code, EWS_OK);
	CU_ASSERT_EQUAL(k[EWS_SYNC_CREATE], 3);
	ews_sync_free(s);
	free(state);
	free(folder);
	wf_rmdir(dir);
}

static void the_hierarchy_syncs_creates_and_deletes(void)
{
	char *root = NULL, *a = NULL, *b = NULL;
	CU_ASSERT_EQUAL_FATAL(wf_create_folder(c, "inbox", "Tree", &root).code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(wf_create_folder(c, root, "Leaf A", &a).code, EWS_OK);
	ews_sync *s;
	ews_sync_change ch;
	ews_status st;
	int found = 0, n = 0;
	CU_ASSERT_EQUAL_FATAL(ews_sync_new_folders(c, NULL, NULL, NULL, &s).code, EWS_OK);
	while (ews_ok(st = ews_sync_next(s, &ch)) && ch.kind != EWS_SYNC_DONE) {
		CU_ASSERT_EQUAL(ch.is_folder, 1);
		CU_ASSERT_EQUAL(ch.kind, EWS_SYNC_CREATE);
		if (ch.folder.display_name && !strcmp(ch.folder.display_name, "Leaf A")) {
			found++;
			CU_ASSERT_STRING_EQUAL(ch.folder.id, a);
			CU_ASSERT_STRING_EQUAL(ch.folder.parent_folder_id ? ch.folder.parent_folder_id : "", root);
		}
		n++;
	}
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL(found, 1);
	CU_ASSERT(n >= 3);
	char *state = strdup(ews_sync_state(s));
	ews_sync_free(s);

	CU_ASSERT_EQUAL_FATAL(wf_create_folder(c, root, "Leaf B", &b).code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(wf_delete_folder(c, a).code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(ews_sync_new_folders(c, NULL, state, NULL, &s).code, EWS_OK);
	int creates = 0, deletes = 0, others = 0;
	while (ews_ok(st = ews_sync_next(s, &ch)) && ch.kind != EWS_SYNC_DONE) {
		if (ch.kind == EWS_SYNC_CREATE) {
			creates++;
			CU_ASSERT_STRING_EQUAL(ch.folder.id, b);
			CU_ASSERT_STRING_EQUAL(ch.folder.display_name ? ch.folder.display_name : "", "Leaf B");
		} else if (ch.kind == EWS_SYNC_DELETE) {
			deletes++;
			CU_ASSERT_STRING_EQUAL(ch.folder.id ? ch.folder.id : "", a);
			CU_ASSERT_EQUAL(ch.folder.kind, EWS_FOLDER_NONE);
		} else {
			others++;   /* the parent's counts may show up as an Update */
		}
	}
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL(creates, 1);
	CU_ASSERT_EQUAL(deletes, 1);
	ews_sync_free(s);
	free(state);
	free(root), free(a), free(b);
}

static int cancel_first(void *arg, long done, long total)
{
	(void)total;
	*(long *)arg = done;
	return 1;
}

static void a_progress_callback_can_cancel_without_moving_the_state(void)
{
	char *folder = make_folder("CancelSync", 4, NULL);
	ews_sync *s;
	ews_sync_change ch;
	long seen = -1;
	CU_ASSERT_EQUAL_FATAL(ews_sync_new_items(c, folder, NULL,
		&(ews_sync_options){ .progress = cancel_first, .progress_arg = &seen }, &s).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_sync_next(s, &ch).code, EWS_ERR_CANCELLED);
	CU_ASSERT_EQUAL(seen, 4);
	CU_ASSERT_STRING_EQUAL(ews_sync_state(s), "");
	CU_ASSERT_EQUAL(ews_sync_changes(s), 0);
	ews_sync_free(s);
	free(folder);
}

static void bad_arguments_are_statuses(void)
{
	ews_sync *s = (ews_sync *)1;
	ews_sync_change ch;
	CU_ASSERT_EQUAL(ews_sync_new_items(c, NULL, NULL, NULL, &s).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT_EQUAL(ews_sync_new_items(c, "inbox", NULL, &(ews_sync_options){ .shape = "Most" }, &s).code,
	                EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_sync_next(NULL, &ch).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_sync_state_read(NULL, &(char *){ NULL }).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_sync_state_save(NULL, "QUJD").code, EWS_ERR_ARGUMENT);
	CU_ASSERT_STRING_EQUAL(ews_sync_state(NULL), "");
	ews_sync_free(NULL);
	ews_sync_reset(NULL);
}

int main(void)
{
	if (wf_start(&srv, NULL, 0)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	c = wf_client(&srv, "sync@example.com");
	if (!c) {
		ewsd_stop(&srv, 0);
		return 1;
	}
	static const struct ews_test_case cases[] = {
		{ "small batches report each item once", small_batches_report_each_item_once },
		{ "a full sync of 1100 items takes three batches (512, 512, 76)", a_full_sync_of_1100_items_takes_three_batches },
		{ "a saved state resumes with only the later changes", a_saved_state_resumes_with_only_the_later_changes },
		{ "a batch consumed halfway is replayed from the saved state", a_batch_consumed_halfway_is_replayed_from_the_saved_state },
		{ "other calls on the client during a batch are fine", other_calls_on_the_client_during_a_batch_are_fine },
		{ "a batch ends at its last change without asking for the next", a_batch_ends_at_its_last_change_without_asking_for_the_next },
		{ "ignored items are not reported", ignored_items_are_not_reported },
		{ "a corrupt state file gives EWS_ERR_SYNC_STATE", a_corrupt_state_file_gives_ews_err_sync_state },
		{ "the hierarchy syncs creates and deletes", the_hierarchy_syncs_creates_and_deletes },
		{ "a progress callback can cancel without moving the state", a_progress_callback_can_cancel_without_moving_the_state },
		{ "bad arguments are statuses", bad_arguments_are_statuses },
		{ NULL, NULL }
	};
	int rc = ews_test_run("sync", cases);
	ews_client_free(c);
	ewsd_stop(&srv, 0);
	return rc;
}
