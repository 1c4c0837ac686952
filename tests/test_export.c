/* test_export.c — ews/export.h against ewsd: N items exported to files in batches, uploaded into another folder,
 * re-exported byte for byte; per-item errors (stale change key, missing item, another mailbox, unreadable and
 * corrupt files) reported without stopping the batch; Update and UpdateOrCreate; progress and cancellation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ews_schema.h"
#include "ews_test.h"
#include "ews_test_wf.h"

static struct ewsd_proc srv;
static ews_client *c;

#define N 12

/* ExportItems and UploadItems came with Exchange 2010 SP1: against bindings from an older set (Exchange2007_SP1)
 * the round trips are skipped, saying so, and the helpers must answer EWS_ERR_UNSUPPORTED instead. */
#if defined(EWS_HAVE_OP_EXPORT_ITEMS) && defined(EWS_HAVE_OP_UPLOAD_ITEMS)
static int same_file(const char *a, const char *b)
{
	size_t la, lb;
	char *x = ews_test_read_file(a, &la), *y = ews_test_read_file(b, &lb);
	int same = x && y && la == lb && !memcmp(x, y, la);
	free(x);
	free(y);
	return same;
}

struct counter {
	int calls;
	long done[16], total[16];
	int cancel_at;
};

static int on_progress(void *arg, long done, long total)
{
	struct counter *k = arg;
	if (k->calls < 16) {
		k->done[k->calls] = done;
		k->total[k->calls] = total;
	}
	k->calls++;
	return k->cancel_at && k->calls >= k->cancel_at;
}

static void export_upload_and_reexport_byte_identical(void)
{
	char *src = NULL, *dst = NULL, **ids = NULL;
	char paths[N][256], again[N][256];
	const char *pp[N], *pa[N];
	ews_item_ref refs[N];
	ews_upload_item up[N];
	ews_transfer_result *r = NULL, *u = NULL, *r2 = NULL;
	struct counter k = { 0 };
	const char *dir = wf_tmpdir(0);

	CU_ASSERT_EQUAL_FATAL(wf_create_folder(c, "inbox", "ExportSrc", &src).code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(wf_create_folder(c, "inbox", "ExportDst", &dst).code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(wf_create_messages(c, src, "X", 1, N, 900, &ids).code, EWS_OK);
	for (int i = 0; i < N; i++) {
		snprintf(paths[i], sizeof paths[i], "%s/item%02d.ewsx", dir, i);
		snprintf(again[i], sizeof again[i], "%s/again%02d.ewsx", dir, i);
		pp[i] = paths[i];
		pa[i] = again[i];
		refs[i] = (ews_item_ref){ ids[i], NULL };
	}
	ews_status st = ews_export_items_to_files(c, refs, pp, N,
		&(ews_transfer_options){ .batch_size = 5, .durable = 1, .progress = on_progress, .progress_arg = &k }, &r);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	/* 12 items by 5: three requests, progress after each. */
	CU_ASSERT_EQUAL(k.calls, 3);
	CU_ASSERT_EQUAL(k.done[0], 5);
	CU_ASSERT_EQUAL(k.done[2], N);
	CU_ASSERT_EQUAL(k.total[0], N);
	for (int i = 0; i < N; i++) {
		size_t len = 0;
		char *data = ews_test_read_file(paths[i], &len);
		CU_ASSERT_EQUAL(r[i].status.code, EWS_OK);
		CU_ASSERT_STRING_EQUAL(r[i].id ? r[i].id : "", ids[i]);
		CU_ASSERT_PTR_NOT_NULL(r[i].change_key);
		CU_ASSERT_PTR_NOT_NULL(data);
		CU_ASSERT_EQUAL((long long)len, r[i].bytes);
		CU_ASSERT(len > 8 && !memcmp(data, "EWSX", 4));   /* ewsd's opaque export format */
		free(data);
		up[i] = (ews_upload_item){ .path = paths[i], .parent_folder_id = dst };
	}
	/* No temporary files next to them. */
	char cmd[512];
	snprintf(cmd, sizeof cmd, "test $(ls '%s' | wc -l) -eq %d", dir, N);
	CU_ASSERT_EQUAL(system(cmd), 0);

	/* Upload into the other folder (batches of 4), as new items. */
	memset(&k, 0, sizeof k);
	st = ews_upload_items_from_files(c, up, N,
		&(ews_transfer_options){ .batch_size = 4, .progress = on_progress, .progress_arg = &k }, &u);
	CU_ASSERT_EQUAL(st.code, EWS_OK);
	CU_ASSERT_EQUAL(k.calls, 3);
	ews_item_ref copies[N];
	for (int i = 0; i < N; i++) {
		CU_ASSERT_EQUAL(u[i].status.code, EWS_OK);
		CU_ASSERT_PTR_NOT_NULL_FATAL(u[i].id);
		CU_ASSERT_STRING_NOT_EQUAL(u[i].id, ids[i]);
		CU_ASSERT_EQUAL(u[i].bytes, r[i].bytes);
		copies[i] = (ews_item_ref){ u[i].id, u[i].change_key };
	}
	/* The destination holds them all. */
	ews_pager *p;
	ews_item_view it;
	int n = 0;
	CU_ASSERT_EQUAL_FATAL(ews_pager_new_items(c, &(ews_pager_options){ .folder = dst }, &p).code, EWS_OK);
	while (ews_ok(st = ews_pager_next(p, &it)) && it.id) {
		CU_ASSERT_STRING_EQUAL(it.parent_folder_id ? it.parent_folder_id : dst, dst);
		n++;
	}
	ews_pager_free(p);
	CU_ASSERT_EQUAL(n, N);

	/* Re-export of the copies: byte-identical to the originals' export. */
	CU_ASSERT_EQUAL(ews_export_items_to_files(c, copies, pa, N, NULL, &r2).code, EWS_OK);
	for (int i = 0; i < N; i++)
		CU_ASSERT(same_file(paths[i], again[i]));
	ews_transfer_results_free(r, N);
	ews_transfer_results_free(u, N);
	ews_transfer_results_free(r2, N);
	wf_free_ids(ids, N);
	free(src);
	free(dst);
	wf_rmdir(dir);
}

static void export_errors_are_per_item_and_the_batch_goes_on(void)
{
	char *folder = NULL, **ids = NULL, *ck = NULL;
	const char *dir = wf_tmpdir(1);
	char paths[5][256];
	const char *pp[5];
	ews_transfer_result *r = NULL;

	CU_ASSERT_EQUAL_FATAL(wf_create_folder(c, "inbox", "ExportErrors", &folder).code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(wf_create_messages(c, folder, "E", 1, 4, 900, &ids).code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(wf_change_key(c, ids[1], &ck).code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(wf_set_subject(c, ids[1], "changed since").code, EWS_OK);   /* ck is now stale */
	CU_ASSERT_EQUAL_FATAL(wf_delete_item(c, ids[2]).code, EWS_OK);

	/* An item of another mailbox: its id names another mailbox GUID. */
	ews_client *other = wf_client(&srv, "someone-else@example.com");
	char *ofolder = NULL, **oids = NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(other);
	CU_ASSERT_EQUAL_FATAL(wf_create_folder(other, "inbox", "Theirs", &ofolder).code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(wf_create_messages(other, ofolder, "O", 1, 1, 900, &oids).code, EWS_OK);

	ews_item_ref refs[5] = { { ids[0], NULL }, { ids[1], ck }, { ids[2], NULL }, { oids[0], NULL }, { ids[3], NULL } };
	for (int i = 0; i < 5; i++) {
		snprintf(paths[i], sizeof paths[i], "%s/e%d.ewsx", dir, i);
		pp[i] = paths[i];
	}
	ews_status st = ews_export_items_to_files(c, refs, pp, 5, NULL, &r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_RESPONSE);
	CU_ASSERT_STRING_EQUAL(st.response_code, "ErrorInvalidChangeKey");
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "item 2"));
	CU_ASSERT_EQUAL(r[0].status.code, EWS_OK);
	CU_ASSERT_EQUAL(r[1].status.code, EWS_ERR_RESPONSE);
	CU_ASSERT_STRING_EQUAL(r[1].status.response_code, "ErrorInvalidChangeKey");
	CU_ASSERT_EQUAL(r[2].status.code, EWS_ERR_RESPONSE);
	CU_ASSERT_STRING_EQUAL(r[2].status.response_code, "ErrorItemNotFound");
	CU_ASSERT_EQUAL(r[3].status.code, EWS_ERR_RESPONSE);
	CU_ASSERT_STRING_EQUAL(r[3].status.response_code, "ErrorNonExistentMailbox");
	CU_ASSERT_EQUAL(r[4].status.code, EWS_OK);
	CU_ASSERT_PTR_NULL(r[1].id);
	CU_ASSERT_EQUAL(r[1].bytes, 0);
	/* Files only for the exported ones. */
	CU_ASSERT_EQUAL(access(paths[0], F_OK), 0);
	CU_ASSERT_NOT_EQUAL(access(paths[1], F_OK), 0);
	CU_ASSERT_NOT_EQUAL(access(paths[2], F_OK), 0);
	CU_ASSERT(r[4].bytes > 0);
	ews_transfer_results_free(r, 5);

	/* An unwritable path fails that item only. */
	const char *pbad[2] = { "/nonexistent-dir/x.ewsx", paths[4] };
	ews_item_ref two[2] = { { ids[0], NULL }, { ids[3], NULL } };
	st = ews_export_items_to_files(c, two, pbad, 2, NULL, &r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_FILE);
	CU_ASSERT_EQUAL(r[0].status.code, EWS_ERR_FILE);
	CU_ASSERT_EQUAL(r[1].status.code, EWS_OK);
	ews_transfer_results_free(r, 2);

	/* Arguments. */
	CU_ASSERT_EQUAL(ews_export_items_to_files(c, refs, pp, 0, NULL, &r).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_PTR_NULL(r);
	ews_transfer_results_free(NULL, 3);

	wf_free_ids(ids, 4);
	wf_free_ids(oids, 1);
	free(ck);
	free(folder);
	free(ofolder);
	ews_client_free(other);
	wf_rmdir(dir);
}

/* What ews_export_items_each hands out: each call's item, its Data (copied: borrowed for the call) or failure. */
struct into_memory {
	int calls;
	size_t order[8];
	ews_code code[8];
	char rc[8][64];
	unsigned char *data[8];
	size_t len[8];
	int with_id[8];
	int fail_at;                        /* 1-based call whose callback fails (0: none) */
};

static ews_status keep_data(void *arg, size_t i, ews_status st, const unsigned char *data, size_t len, const char *id,
                            const char *change_key)
{
	struct into_memory *m = arg;
	int k = m->calls++;
	if (k >= 8)
		return ews_status_ok();
	m->order[k] = i;
	m->code[k] = st.code;
	snprintf(m->rc[k], sizeof m->rc[k], "%s", st.response_code);
	m->with_id[k] = id && change_key && *id && *change_key;
	if (data && (m->data[k] = malloc(len)))
		memcpy(m->data[k], data, len), m->len[k] = len;
	return m->fail_at == k + 1 ? ews_status_make(EWS_ERR_FILE, "the caller's storage is full") : ews_status_ok();
}

static void items_exported_into_memory_arrive_in_order_with_the_bytes_a_file_gets(void)
{
	char *folder = NULL, **ids = NULL;
	const char *dir = wf_tmpdir(0);   /* (the first test's slot: it is done) */
	char path[256];
	const char *pp[1] = { path };
	ews_transfer_result *r = NULL;
	struct into_memory m = { 0 };

	CU_ASSERT_EQUAL_FATAL(wf_create_folder(c, "inbox", "ExportMemory", &folder).code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(wf_create_messages(c, folder, "M", 1, 4, 700, &ids).code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(wf_delete_item(c, ids[2]).code, EWS_OK);
	ews_item_ref refs[4] = { { ids[0], NULL }, { ids[1], NULL }, { ids[2], NULL }, { ids[3], NULL } };

	/* batches of 3 (two requests): every item once, in order, the deleted one as its failure */
	CU_ASSERT_EQUAL(ews_export_items_each(c, refs, 4, 3, keep_data, &m).code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(m.calls, 4);
	for (int k = 0; k < 4; k++) {
		CU_ASSERT_EQUAL(m.order[k], (size_t)k);
		CU_ASSERT_EQUAL(m.code[k], k == 2 ? EWS_ERR_RESPONSE : EWS_OK);
		CU_ASSERT_EQUAL(m.data[k] != NULL, k != 2);
		CU_ASSERT_EQUAL(m.with_id[k], k != 2);
	}
	CU_ASSERT_STRING_EQUAL(m.rc[2], "ErrorItemNotFound");
	/* the same bytes ews_export_items_to_files writes */
	snprintf(path, sizeof path, "%s/m3.ewsx", dir);
	CU_ASSERT_EQUAL(ews_export_items_to_files(c, &refs[3], pp, 1, NULL, &r).code, EWS_OK);
	size_t flen = 0;
	char *file = ews_test_read_file(path, &flen);
	CU_ASSERT_PTR_NOT_NULL(file);
	CU_ASSERT(file && flen == m.len[3] && !memcmp(file, m.data[3], flen));
	free(file);
	ews_transfer_results_free(r, 1);
	for (int k = 0; k < 8; k++)
		free(m.data[k]);

	/* the callback's failure ends the export after its batch and is returned */
	struct into_memory f = { .fail_at = 1 };
	ews_status st = ews_export_items_each(c, refs, 4, 2, keep_data, &f);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_FILE);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "storage is full"));
	CU_ASSERT_EQUAL(f.calls, 2);
	for (int k = 0; k < 8; k++)
		free(f.data[k]);

	/* arguments */
	ews_item_ref noid = { NULL, NULL };
	CU_ASSERT_EQUAL(ews_export_items_each(c, &noid, 1, 0, keep_data, &m).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_export_items_each(c, refs, 4, 0, NULL, &m).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_export_items_each(NULL, refs, 4, 0, keep_data, &m).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_export_items_each(c, NULL, 0, 0, keep_data, &m).code, EWS_OK);

	wf_free_ids(ids, 4);
	free(folder);
	wf_rmdir(dir);
}

static void upload_errors_are_per_item_and_update_modes_work(void)
{
	char *folder = NULL, **ids = NULL, *ck = NULL;
	const char *dir = wf_tmpdir(2);
	char paths[3][256], corrupt[256], missing[256], check[256];
	const char *pp[3];
	ews_transfer_result *r = NULL, *u = NULL, *r2 = NULL;

	CU_ASSERT_EQUAL_FATAL(wf_create_folder(c, "inbox", "UploadModes", &folder).code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(wf_create_messages(c, folder, "U", 1, 3, 900, &ids).code, EWS_OK);
	ews_item_ref refs[3] = { { ids[0], NULL }, { ids[1], NULL }, { ids[2], NULL } };
	for (int i = 0; i < 3; i++) {
		snprintf(paths[i], sizeof paths[i], "%s/u%d.ewsx", dir, i);
		pp[i] = paths[i];
	}
	CU_ASSERT_EQUAL_FATAL(ews_export_items_to_files(c, refs, pp, 3, NULL, &r).code, EWS_OK);
	snprintf(corrupt, sizeof corrupt, "%s/corrupt.ewsx", dir);
	snprintf(missing, sizeof missing, "%s/missing.ewsx", dir);
	FILE *f = fopen(corrupt, "w");
	fputs("this is not exported data", f);
	fclose(f);
	CU_ASSERT_EQUAL_FATAL(wf_change_key(c, ids[1], &ck).code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(wf_set_subject(c, ids[1], "moved on").code, EWS_OK);   /* ck stale */
	CU_ASSERT_EQUAL_FATAL(wf_delete_item(c, ids[2]).code, EWS_OK);

	ews_upload_item up[9] = {
		/* 0: Update item 0 with item 1's exported data */
		{ .path = paths[1], .item_id = ids[0], .parent_folder_id = folder, .action = EWS_UPLOAD_UPDATE },
		/* 1: Update with a stale change key */
		{ .path = paths[0], .item_id = ids[1], .change_key = ck, .parent_folder_id = folder, .action = EWS_UPLOAD_UPDATE },
		/* 2: Update of a deleted item */
		{ .path = paths[2], .item_id = ids[2], .parent_folder_id = folder, .action = EWS_UPLOAD_UPDATE },
		/* 3: UpdateOrCreate of the deleted item: created again in the folder (a distinguished name works too) */
		{ .path = paths[2], .item_id = ids[2], .parent_folder_id = "drafts", .action = EWS_UPLOAD_UPDATE_OR_CREATE },
		/* 4: a file that is not there */
		{ .path = missing, .parent_folder_id = folder },
		/* 5: data the server cannot read */
		{ .path = corrupt, .parent_folder_id = folder },
		/* 6: CreateNew without a folder */
		{ .path = paths[0] },
		/* 7: a plain CreateNew */
		{ .path = paths[0], .parent_folder_id = folder },
		/* 8: Update without the folder: the schema requires ParentFolderId (ewsd decodes strictly) */
		{ .path = paths[0], .item_id = ids[0], .action = EWS_UPLOAD_UPDATE },
	};
	ews_status st = ews_upload_items_from_files(c, up, 9, &(ews_transfer_options){ .batch_size = 3 }, &u);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_RESPONSE);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "item 2"));
	CU_ASSERT_EQUAL(u[0].status.code, EWS_OK);
	CU_ASSERT_STRING_EQUAL(u[0].id ? u[0].id : "", ids[0]);
	CU_ASSERT_STRING_EQUAL(u[1].status.response_code, "ErrorInvalidChangeKey");
	CU_ASSERT_STRING_EQUAL(u[2].status.response_code, "ErrorItemNotFound");
	CU_ASSERT_EQUAL(u[3].status.code, EWS_OK);
	CU_ASSERT_PTR_NOT_NULL(u[3].id);
	CU_ASSERT_EQUAL(u[4].status.code, EWS_ERR_NOT_FOUND);
	CU_ASSERT_STRING_EQUAL(u[5].status.response_code, "ErrorCorruptData");
	CU_ASSERT_EQUAL(u[6].status.code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(u[7].status.code, EWS_OK);
	CU_ASSERT_PTR_NOT_NULL(u[7].id);
	CU_ASSERT_EQUAL(u[8].status.code, EWS_ERR_ARGUMENT);

	/* Item 0 now carries item 1's content: its export equals item 1's file. The re-created one equals item 2's. */
	snprintf(check, sizeof check, "%s/check0.ewsx", dir);
	char check3[256];
	snprintf(check3, sizeof check3, "%s/check3.ewsx", dir);
	ews_item_ref again[2] = { { ids[0], NULL }, { u[3].id, NULL } };
	const char *pc[2] = { check, check3 };
	CU_ASSERT_EQUAL(ews_export_items_to_files(c, again, pc, 2, NULL, &r2).code, EWS_OK);
	CU_ASSERT(same_file(check, paths[1]));
	CU_ASSERT(same_file(check3, paths[2]));
	ews_transfer_results_free(r2, 2);

	/* A file above max_item_bytes is refused locally. */
	ews_transfer_result *big = NULL;
	st = ews_upload_items_from_files(c, &(ews_upload_item){ .path = paths[0], .parent_folder_id = folder }, 1,
	                                 &(ews_transfer_options){ .max_item_bytes = 4 }, &big);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_TOO_LARGE);
	CU_ASSERT_EQUAL(big[0].status.code, EWS_ERR_TOO_LARGE);
	ews_transfer_results_free(big, 1);

	ews_transfer_results_free(r, 3);
	ews_transfer_results_free(u, 9);
	wf_free_ids(ids, 3);
	free(ck);
	free(folder);
	wf_rmdir(dir);
}

static void a_progress_callback_can_cancel(void)
{
	char *folder = NULL, **ids = NULL;
	const char *dir = wf_tmpdir(3);
	char paths[6][256];
	const char *pp[6];
	ews_item_ref refs[6];
	ews_transfer_result *r = NULL;
	struct counter k = { .cancel_at = 1 };
	CU_ASSERT_EQUAL_FATAL(wf_create_folder(c, "inbox", "Cancel", &folder).code, EWS_OK);
	CU_ASSERT_EQUAL_FATAL(wf_create_messages(c, folder, "C", 1, 6, 900, &ids).code, EWS_OK);
	for (int i = 0; i < 6; i++) {
		snprintf(paths[i], sizeof paths[i], "%s/c%d.ewsx", dir, i);
		pp[i] = paths[i];
		refs[i] = (ews_item_ref){ ids[i], NULL };
	}
	ews_status st = ews_export_items_to_files(c, refs, pp, 6,
		&(ews_transfer_options){ .batch_size = 2, .progress = on_progress, .progress_arg = &k }, &r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_CANCELLED);
	CU_ASSERT_EQUAL(r[0].status.code, EWS_OK);
	CU_ASSERT_EQUAL(r[1].status.code, EWS_OK);
	for (int i = 2; i < 6; i++)
		CU_ASSERT_EQUAL(r[i].status.code, EWS_ERR_CANCELLED);
	ews_transfer_results_free(r, 6);
	wf_free_ids(ids, 6);
	free(folder);
	wf_rmdir(dir);
}

#else
static void without_the_operations_export_and_upload_answer_unsupported_naming_them(void)
{
	ews_item_ref item = { "AAMkAGx", NULL };
	ews_upload_item up = { .path = "item.ewsx", .parent_folder_id = "inbox" };
	const char *path = "item.ewsx";
	ews_transfer_result *r = (ews_transfer_result *)&item;   /* must come back NULL */
	ews_status st = ews_export_items_to_files(c, &item, &path, 1, NULL, &r);

	CU_ASSERT_EQUAL(st.code, EWS_ERR_UNSUPPORTED);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "ExportItems"));
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, EWS_SCHEMA_NAME));
	CU_ASSERT_PTR_NULL(r);
	r = (ews_transfer_result *)&item;
	st = ews_upload_items_from_files(c, &up, 1, NULL, &r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_UNSUPPORTED);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "UploadItems"));
	CU_ASSERT_PTR_NULL(r);
	CU_ASSERT_EQUAL(access(path, F_OK), -1);   /* nothing written */
	CU_ASSERT_EQUAL(ews_export_items_each(c, &item, 1, 0, NULL, NULL).code, EWS_ERR_ARGUMENT);
}
#endif

int main(void)
{
	if (wf_start(&srv, NULL, 0)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	c = wf_client(&srv, "export@example.com");
	if (!c) {
		ewsd_stop(&srv, 0);
		return 1;
	}
	static const struct ews_test_case cases[] = {
#if defined(EWS_HAVE_OP_EXPORT_ITEMS) && defined(EWS_HAVE_OP_UPLOAD_ITEMS)
		{ "exports N items, uploads them elsewhere, re-exports byte-identical", export_upload_and_reexport_byte_identical },
		{ "export errors are per item and the batch goes on", export_errors_are_per_item_and_the_batch_goes_on },
		{ "upload errors are per item; Update and UpdateOrCreate work", upload_errors_are_per_item_and_update_modes_work },
		{ "a progress callback can cancel", a_progress_callback_can_cancel },
		{ "items exported into memory arrive in order, with the bytes a file gets",
		  items_exported_into_memory_arrive_in_order_with_the_bytes_a_file_gets },
#else
		{ "without the operations, export and upload answer EWS_ERR_UNSUPPORTED naming them",
		  without_the_operations_export_and_upload_answer_unsupported_naming_them },
		EWS_TEST_NEEDS_MISSING("exports N items, uploads them elsewhere, re-exports byte-identical",
				       "operation ExportItems or UploadItems"),
		EWS_TEST_NEEDS_MISSING("export errors are per item and the batch goes on", "operation ExportItems"),
		EWS_TEST_NEEDS_MISSING("upload errors are per item; Update and UpdateOrCreate work", "operation UploadItems"),
		EWS_TEST_NEEDS_MISSING("a progress callback can cancel", "operation ExportItems"),
		EWS_TEST_NEEDS_MISSING("items exported into memory arrive in order, with the bytes a file gets",
				       "operation ExportItems"),
#endif
		{ NULL, NULL }
	};
	int rc = ews_test_run("export", cases);
	ews_client_free(c);
	ewsd_stop(&srv, 0);
	return rc;
}
