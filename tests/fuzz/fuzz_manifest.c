/* fuzz_manifest.c — an export directory's manifest as any file on disk may hold it (a torn write, another tool's
 * file, a hand edit): ews_manifest_open either refuses it with a status or gives entries that read back whole,
 * each findable by its id with the same line; recording into it and reopening finds what was recorded (the
 * superseded lines compacted away by the writer's close); an entry's data reads back with its length or a status
 * (a version 3 manifest's pack: a 4 KiB items-1.pack beside it, whatever the lines claim).
 * Input: byte 0 — bit 0: also record (a new id with a fingerprint, and the first entry's id again without one);
 * the rest is manifest.tsv. */
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "ews/export.h"

static char dir[64], path[96];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	/* tmpfs where there is one: the record path syncs the file system once per input */
	snprintf(dir, sizeof dir, "/dev/shm/ews-fuzz-manifest-XXXXXX");
	if (!mkdtemp(dir)) {
		snprintf(dir, sizeof dir, "/tmp/ews-fuzz-manifest-XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
	char pack[96];
	snprintf(pack, sizeof pack, "%s/items-1.pack", dir);
	FILE *f = fopen(pack, "w");
	for (int i = 0; f && i < 4096; i++)
		fputc(i & 0xff, f);
	if (!f || fclose(f))
		abort();
	snprintf(path, sizeof path, "%s/manifest.tsv", dir);
	return 0;
}

/* Every entry readable and found again by its id, with the same line. */
static size_t check_entries(ews_manifest *m)
{
	size_t n = ews_manifest_count(m);
	for (size_t i = 0; i < n; i++) {
		const ews_manifest_entry *e = ews_manifest_entry_at(m, i);
		FUZZ_CHECK(e != NULL, "entry %zu of %zu unreadable: %s", i, n, ews_manifest_error(m).message);
		FUZZ_CHECK(*e->file && !strchr(e->file, '/') && *e->id && e->change_key, "entry %zu malformed", i);
		FUZZ_CHECK(e->fingerprint && (!*e->fingerprint || (strlen(e->fingerprint) == EWS_FINGERPRINT_LEN &&
		                                                   strspn(e->fingerprint, "0123456789abcdef") ==
		                                                   EWS_FINGERPRINT_LEN)), "entry %zu's fingerprint", i);
		char *id = strdup(e->id), *file = strdup(e->file), *ck = strdup(e->change_key), *fp = strdup(e->fingerprint);
		long long bytes = e->bytes, offset = e->offset;
		int deleted = e->deleted;
		unsigned char *d = NULL;
		size_t len = 0;
		ews_status rs = ews_manifest_read_item(m, e, 1 << 16, &d, &len);
		FUZZ_CHECK(ews_ok(rs) ? d && (long long)len == bytes : !d && !len && *rs.message,
		           "entry %zu's data: status %d, %zu bytes for %lld", i, (int)rs.code, len, bytes);
		free(d);
		const ews_manifest_entry *f = ews_manifest_find(m, id);
		FUZZ_CHECK(f && !strcmp(f->id, id) && !strcmp(f->file, file) && !strcmp(f->change_key, ck) &&
		           f->bytes == bytes && f->deleted == deleted && f->offset == offset && !strcmp(f->fingerprint, fp),
		           "entry %zu not found again by its id", i);
		free(id);
		free(file);
		free(ck);
		free(fp);
	}
	FUZZ_CHECK(ews_manifest_error(m).code == EWS_OK, "an error without a NULL entry");
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int record = data[0] & 1;
	FILE *f = fopen(path, "w");
	if (!f)
		abort();
	fwrite(data + 1, 1, size - 1, f);
	fclose(f);

	ews_manifest *m = NULL;
	ews_status st = ews_manifest_open(dir, NULL, NULL, &m);
	if (!ews_ok(st)) {
		FUZZ_CHECK(m == NULL && st.code != EWS_OK && *st.message, "a refused manifest without a message");
		unlink(path);
		return 0;
	}
	size_t n = check_entries(m);
	char first[4096] = "";
	if (n) {
		const ews_manifest_entry *e = ews_manifest_entry_at(m, 0);
		if (strlen(e->id) < sizeof first && !strchr(e->id, '\r'))
			strcpy(first, e->id);
	}
	int had_new = ews_manifest_find(m, "fuzz-new-id") != NULL;
	if (record) {
		char name[32], name2[32];
		ews_manifest_file_name("fuzz-new-id", name);
		ews_manifest_file_name(first, name2);
		ews_manifest_entry add[2] = { { name, "fuzz-new-id", "ck-new", 42, 0, 0, "0123456789abcdef" },
		                              { name2, first, "ck-again", 7, 1, -1, NULL } };
		int v = ews_manifest_version(m);
		st = ews_manifest_record(m, add, *first ? 2 : 1);
		if (v == 1) {
			FUZZ_CHECK(st.code == EWS_ERR_FORMAT, "recording into a version 1 manifest was not refused");
			record = 0;
		} else {
			FUZZ_CHECK(ews_ok(st), "record failed: %s", st.message);
			check_entries(m);
		}
	}
	st = ews_manifest_close(m);
	FUZZ_CHECK(ews_ok(st), "close failed: %s", st.message);
	if (record) {
		/* read back: the manifest as written (compacted by the writer's close) */
		FUZZ_CHECK(ews_ok(st = ews_manifest_open(dir, NULL, NULL, &m)), "the recorded manifest does not open: %s",
		           st.message);
		check_entries(m);
		const ews_manifest_entry *e = ews_manifest_find(m, "fuzz-new-id");
		FUZZ_CHECK(e && !strcmp(e->change_key, "ck-new") && e->bytes == 42 && !e->deleted &&
		           !strcmp(e->fingerprint, "0123456789abcdef"), "the new entry is lost");
		if (*first) {
			e = ews_manifest_find(m, first);
			FUZZ_CHECK(e && !strcmp(e->change_key, "ck-again") && e->bytes == 7 && e->deleted,
			           "the re-recorded entry is not the later line");
		}
		FUZZ_CHECK(ews_manifest_count(m) == n + !had_new, "count %zu after recording into %zu",
		           ews_manifest_count(m), n);
		ews_manifest_close(m);
	}
	unlink(path);
	return 0;
}
