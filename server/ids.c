/* ids.c — ewsd's only id module: Exchange-format EwsIds around MAPI EntryIDs, ChangeKeys, ConvertId formats.
 *
 * The formats themselves are the library's (ews/ids.h: builders, parse, write); this file holds what is ewsd's
 * own: which EntryIDs it mints and accepts, and the ChangeKeys.
 * Layouts (notes/ews-ids.md, MS-OXCDATA 2.2.4): a folder EntryID is 46 bytes (flags, ProviderUID, type 0x0001,
 * database GUID, 6-byte global counter, pad); a message EntryID is 70 bytes (type 0x0007, folder GUID+GC,
 * message GUID+GC). The EwsId is base64(00 03 len16 "mailbox-guid" 00 len16 EntryID). Our ProviderUID is the
 * mailbox GUID, so an EntryId can be turned back into an EwsId without a directory lookup; the database GUID
 * is a per-store constant. Global counters are our SQLite row ids.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/sha.h>

#include "ewsd.h"
#include "ews/ids.h"

/* A fixed replica GUID: ids must stay valid across restarts and stores, and nothing reads it back. */
static const unsigned char db_guid[16] = { 0x4e, 0x21, 0x6a, 0x9c, 0x1d, 0x53, 0x4b, 0x7e,
					   0x9a, 0x30, 0x5c, 0x11, 0xe8, 0x62, 0x0f, 0xd4 };

static const char *const format_names[] = { "EwsLegacyId", "EwsId", "EntryId", "HexEntryId", "StoreId", "OwaId" };

enum ewsd_id_format ewsd_id_format_parse(const char *name)
{
	for (int i = 0; i < 6; i++)
		if (name && !strcmp(name, format_names[i]))
			return (enum ewsd_id_format)i;
	return EWSD_FMT_INVALID;
}

const char *ewsd_id_format_name(enum ewsd_id_format f)
{
	return f >= 0 && f < EWSD_FMT_INVALID ? format_names[f] : "EwsId";
}

static int guid_to_bytes(const char *g, unsigned char out[16])
{
	/* "D" format, stored little-endian for the first three groups as Windows does */
	unsigned char raw[16];
	int k = 0;
	if (!g || strlen(g) != 36)
		return -1;
	for (int i = 0; i < 36;) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (g[i] != '-')
				return -1;
			i++;
			continue;
		}
		if (!isxdigit((unsigned char)g[i]) || !isxdigit((unsigned char)g[i + 1]))
			return -1;
		char hx[3] = { g[i], g[i + 1], 0 };
		raw[k++] = (unsigned char)strtoul(hx, NULL, 16);
		i += 2;
	}
	out[0] = raw[3], out[1] = raw[2], out[2] = raw[1], out[3] = raw[0];
	out[4] = raw[5], out[5] = raw[4], out[6] = raw[7], out[7] = raw[6];
	memcpy(out + 8, raw + 8, 8);
	return 0;
}

static void bytes_to_guid(const unsigned char b[16], char out[37])
{
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[3], b[2], b[1],
		 b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* The archive mailbox has a GUID of its own, as Exchange's (its ids, EntryIDs' ProviderUID and autodiscover's
 * AlternateMailboxes name it, not the owner's). ewsd keeps the archive's folders in the owner's mailbox row, so
 * the GUID is derived from the owner's: stable across restarts and stores, told apart without a lookup. Bytes:
 * SHA-256 of a fixed label and the owner's GUID text, with RFC 4122's variant and version 8 (custom) bits. */
void ewsd_archive_guid(const char *owner_guid, char out[37])
{
	static const char label[] = "ewsd archive mailbox ";
	unsigned char md[SHA256_DIGEST_LENGTH], in[sizeof label + 37];
	size_t n = strlen(owner_guid);
	if (n > 36)
		n = 36;
	memcpy(in, label, sizeof label - 1);
	for (size_t i = 0; i < n; i++)
		in[sizeof label - 1 + i] = (unsigned char)tolower((unsigned char)owner_guid[i]);
	SHA256(in, sizeof label - 1 + n, md);
	md[7] = (unsigned char)((md[7] & 0x0f) | 0x80);     /* version 8, in the byte order bytes_to_guid writes */
	md[8] = (unsigned char)((md[8] & 0x3f) | 0x80);     /* variant 10 */
	bytes_to_guid(md, out);
}

int ewsd_guid_is_archive_of(const char *guid, const char *owner_guid)
{
	char a[37];
	if (!guid || !owner_guid || !*owner_guid)
		return 0;
	ewsd_archive_guid(owner_guid, a);
	return !strcasecmp(a, guid);
}

static void put_gc(unsigned char *p, int64_t v)
{
	for (int i = 5; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)(v & 0xff);
}

static int64_t get_gc(const unsigned char *p)
{
	int64_t v = 0;
	for (int i = 0; i < 6; i++)
		v = v << 8 | p[i];
	return v;
}

/* The MAPI EntryID of an id (library builders); returns its length (46 or 70) or -1. */
static int make_entryid(const struct ewsd_id *id, unsigned char out[70])
{
	unsigned char provider[16], fgc[6], mgc[6];
	if (guid_to_bytes(id->mailbox_guid, provider) || !ews_ok(ews_global_counter_from_u64((uint64_t)id->folder, fgc)))
		return -1;
	if (id->kind == EWSD_ID_FOLDER)
		return ews_ok(ews_entry_id_make_folder(provider, db_guid, fgc, 0, out)) ? EWS_FOLDER_ENTRY_ID_LEN : -1;
	if (!ews_ok(ews_global_counter_from_u64((uint64_t)id->item, mgc)))
		return -1;
	return ews_ok(ews_entry_id_make_message(provider, db_guid, fgc, db_guid, mgc, 0, out)) ? EWS_MESSAGE_ENTRY_ID_LEN
											: -1;
}

static int parse_entryid(const unsigned char *p, size_t n, struct ewsd_id *out)
{
	memset(out, 0, sizeof *out);
	if ((n != 46 && n != 70) || p[0] || p[1] || p[2] || p[3] || memcmp(p + 22, db_guid, 16) || p[21])
		return -1;
	if (n == 46 && p[20] != 0x01)
		return -1;
	if (n == 70 && (p[20] != 0x07 || memcmp(p + 46, db_guid, 16)))
		return -1;
	bytes_to_guid(p + 4, out->mailbox_guid);
	out->kind = n == 46 ? EWSD_ID_FOLDER : EWSD_ID_ITEM;
	out->folder = get_gc(p + 38);
	out->item = n == 70 ? get_gc(p + 62) : 0;
	return 0;
}

/* A library-allocated string copied into the soap context (so it lives as long as the request). */
static char *keep(struct soap *soap, char *lib)
{
	char *s = lib ? soap_strdup(soap, lib) : NULL;
	free(lib);
	return s;
}

char *ewsd_id_make(struct soap *soap, const struct ewsd_id *id)
{
	unsigned char eid[70];
	int el = make_entryid(id, eid);
	char *out = NULL;
	if (el < 0 || !ews_ok(ews_id_make_ews_id(eid, (size_t)el, id->mailbox_guid, &out)))
		return NULL;
	return keep(soap, out);
}

/* One of our ids, parsed by the library: an EwsId (GUID moniker) or EwsLegacyId (SMTP moniker) around one of
 * our EntryIDs; for GUID monikers the moniker must be the EntryID's mailbox (ProviderUID). */
static ews_id *parse_ours(const char *text, enum ewsd_id_format from, struct ewsd_id *out)
{
	ews_id *id = NULL;
	if (from < 0 || from >= EWSD_FMT_INVALID || !text ||
	    !ews_ok(ews_id_parse(text, (ews_id_format)from, &id)))
		return NULL;
	if (parse_entryid(id->entry_id, id->entry_id_len, out) ||
	    (id->storage != EWS_ID_STORAGE_NONE && id->storage != EWS_ID_STORAGE_SMTP_MAILBOX &&
	     id->storage != EWS_ID_STORAGE_GUID_MAILBOX && id->storage != EWS_ID_STORAGE_GUID_MAILBOX_FALLBACK) ||
	    (id->instruction != EWS_ID_INSTR_NONE && id->instruction != EWS_ID_INSTR_NORMAL)) {
		ews_id_free(id);
		return NULL;
	}
	if (id->moniker && id->storage != EWS_ID_STORAGE_SMTP_MAILBOX) {
		char g[37];
		snprintf(g, sizeof g, "%s", id->moniker);
		for (char *c = g; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		if (strcmp(g, out->mailbox_guid)) {
			ews_id_free(id);
			return NULL;
		}
	}
	return id;
}

int ewsd_id_parse(struct soap *soap, const char *text, struct ewsd_id *out)
{
	(void)soap;
	ews_id *id = parse_ours(text, EWSD_FMT_EWS, out);
	if (!id)
		return -1;
	/* an EwsLegacyId is not accepted where an EwsId is expected: Exchange 2010+ rejects them too */
	int ok = id->storage == EWS_ID_STORAGE_GUID_MAILBOX || id->storage == EWS_ID_STORAGE_GUID_MAILBOX_FALLBACK;
	ews_id_free(id);
	return ok ? 0 : -1;
}

int ewsd_changekey_wellformed(struct soap *soap, const char *ck)
{
	/* base64 of a u32 object type, a u32 length and that many bytes of predecessor change list: anything else is
	 * not a ChangeKey at all (Exchange: ErrorInvalidChangeKey), a stale one is (the caller decides what it means) */
	size_t n = 0;
	unsigned char *b = *ck ? ewsd_unb64(soap, ck, &n) : NULL;
	if (!b || n < 8 + 1)
		return 0;
	uint32_t len = (uint32_t)b[4] | (uint32_t)b[5] << 8 | (uint32_t)b[6] << 16 | (uint32_t)b[7] << 24;
	return len == n - 8;
}

char *ewsd_changekey(struct soap *soap, int kind, int64_t change_num)
{
	/* Exchange ChangeKeys: u32 object type, u32 length 22, then a PCL entry (replica GUID + 6-byte counter). */
	static const unsigned types[] = { 0x09, 0x0f, 0x0b, 0x0d, 0x13, 0x12 /* distribution list */ };
	unsigned char b[30] = { 0 };
	b[0] = (unsigned char)(kind < 0 || kind >= (int)(sizeof types / sizeof types[0]) ? 0x01 : types[kind]);
	b[4] = 22;
	memcpy(b + 8, db_guid, 16);
	put_gc(b + 24, change_num);
	return ewsd_b64(soap, b, sizeof b);
}

char *ewsd_id_convert(struct soap *soap, const char *src, enum ewsd_id_format from, enum ewsd_id_format to,
		      const char *smtp)
{
	struct ewsd_id ours;
	ews_id *id = parse_ours(src, from, &ours);
	char *out = NULL;
	if (!id || to < 0 || to >= EWSD_FMT_INVALID)
		goto done;
	/* EwsId needs the mailbox GUID (our ProviderUID); EwsLegacyId the SMTP address: the one given with the
	 * request, else the id's own */
	const char *mailbox = to == EWSD_FMT_EWS ? ours.mailbox_guid : to == EWSD_FMT_EWSLEGACY ? smtp : NULL;
	if (!ews_ok(ews_id_write(id, (ews_id_format)to, mailbox, &out)))
		out = NULL;
done:
	ews_id_free(id);
	return keep(soap, out);
}

/* ---- occurrence ids (recurrence.c) ----
 * An occurrence of a recurring master has an EwsId of its own: processing instruction Recurrence, and as its
 * store id the master's message EntryID followed by the occurrence's original start (8 bytes, little-endian
 * seconds since 1970, UTC). The layout behind that instruction is Exchange's private business (ews/ids.h says
 * "layout unspecified"), so ours only has to be stable and to name the master and the occurrence. */
#define OCC_ID_LEN (EWS_MESSAGE_ENTRY_ID_LEN + 8)

char *ewsd_id_make_occurrence(struct soap *soap, const struct ewsd_id *master, int64_t original_start)
{
	unsigned char bytes[OCC_ID_LEN];
	char guid[37], *out = NULL;
	if (make_entryid(master, bytes) != EWS_MESSAGE_ENTRY_ID_LEN)
		return NULL;
	for (int i = 0; i < 8; i++)
		bytes[EWS_MESSAGE_ENTRY_ID_LEN + i] = (unsigned char)((uint64_t)original_start >> (8 * i));
	snprintf(guid, sizeof guid, "%s", master->mailbox_guid);
	ews_id id = { .source_format = EWS_ID_EWS_ID, .entry_id = bytes, .entry_id_len = sizeof bytes,
		      .storage = EWS_ID_STORAGE_GUID_MAILBOX, .instruction = EWS_ID_INSTR_RECURRENCE, .moniker = guid,
		      .object_type = -1 };
	if (!ews_ok(ews_id_write(&id, EWS_ID_EWS_ID, guid, &out)))
		return NULL;
	return keep(soap, out);
}

int ewsd_id_parse_occurrence(const char *text, struct ewsd_id *master, int64_t *original_start)
{
	ews_id *id = NULL;
	int rc = -1;
	if (!text || !ews_ok(ews_id_parse(text, EWS_ID_EWS_ID, &id)))
		return -1;
	if (id->instruction == EWS_ID_INSTR_RECURRENCE && id->entry_id_len == OCC_ID_LEN &&
	    id->storage == EWS_ID_STORAGE_GUID_MAILBOX &&
	    !parse_entryid(id->entry_id, EWS_MESSAGE_ENTRY_ID_LEN, master)) {
		uint64_t v = 0;
		for (int i = 7; i >= 0; i--)
			v = v << 8 | id->entry_id[EWS_MESSAGE_ENTRY_ID_LEN + i];
		*original_start = (int64_t)v;
		rc = 0;
	}
	ews_id_free(id);
	return rc;
}
