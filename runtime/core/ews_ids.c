/* ews_ids.c — parsing, writing and converting the six EWS id formats (see ews/ids.h for the layouts). */
#include <stdlib.h>
#include <string.h>

#include "ews/ids.h"
#include "ews_ids_internal.h"

static const char *const format_names[] = {
	[EWS_ID_EWS_LEGACY_ID] = "EwsLegacyId", [EWS_ID_EWS_ID] = "EwsId", [EWS_ID_ENTRY_ID] = "EntryId",
	[EWS_ID_HEX_ENTRY_ID] = "HexEntryId", [EWS_ID_STORE_ID] = "StoreId", [EWS_ID_OWA_ID] = "OwaId",
};
#define FORMAT_COUNT (sizeof format_names / sizeof format_names[0])

const char *ews_id_format_name(ews_id_format format)
{
	return (unsigned)format < FORMAT_COUNT ? format_names[format] : NULL;
}

ews_status ews_id_format_from_name(const char *name, ews_id_format *out)
{
	if (!name || !out)
		return ews_status_make(EWS_ERR_ARGUMENT, "id format: NULL argument");
	for (unsigned i = 0; i < FORMAT_COUNT; i++)
		if (strcmp(name, format_names[i]) == 0) {
			*out = (ews_id_format)i;
			return ews_status_ok();
		}
	return ews_status_make(EWS_ERR_ARGUMENT, "unknown id format \"%.40s\" (expected EwsLegacyId, EwsId, EntryId, "
	                       "HexEntryId, StoreId or OwaId)", name);
}

void ews_id_free(ews_id *id)
{
	if (!id)
		return;
	free(id->entry_id);
	free(id->moniker);
	free(id->internet_message_id);
	free(id->folder_entry_id);
	free(id);
}

/* Fills kind/is_* from the ENTRYID: only a flags-zero 46-byte folder or 70-byte message id is classified. */
static void classify_entry(ews_id *id)
{
	const unsigned char *e = id->entry_id;
	unsigned type;

	id->kind = EWS_ENTRY_OTHER;
	id->is_folder = id->is_message = id->is_public = 0;
	if (id->entry_id_len != EWS_FOLDER_ENTRY_ID_LEN && id->entry_id_len != EWS_MESSAGE_ENTRY_ID_LEN)
		return;
	if (e[0] || e[1] || e[2] || e[3])
		return;
	type = (unsigned)e[20] | (unsigned)e[21] << 8;
	if (id->entry_id_len == EWS_FOLDER_ENTRY_ID_LEN && (type == EWS_ENTRY_PRIVATE_FOLDER ||
	    type == EWS_ENTRY_PUBLIC_FOLDER || type == EWS_ENTRY_WACKY_FOLDER)) {
		id->is_folder = 1;
	} else if (id->entry_id_len == EWS_MESSAGE_ENTRY_ID_LEN && (type == EWS_ENTRY_PRIVATE_MESSAGE ||
	           type == EWS_ENTRY_PUBLIC_MESSAGE || type == EWS_ENTRY_WACKY_MESSAGE)) {
		id->is_message = 1;
	} else {
		return;
	}
	id->kind = (ews_entry_kind)type;
	id->is_public = type == EWS_ENTRY_PUBLIC_FOLDER || type == EWS_ENTRY_PUBLIC_MESSAGE;
}

static ews_id *new_id(ews_id_format from)
{
	ews_id *id = calloc(1, sizeof *id);
	if (!id)
		return NULL;
	id->source_format = from;
	id->storage = EWS_ID_STORAGE_NONE;
	id->instruction = EWS_ID_INSTR_NONE;
	id->object_type = -1;
	return id;
}

/* A bounds-checked cursor over the EwsId payload. */
struct reader {
	const unsigned char *p;
	size_t len, pos;
};

static ews_status read_u8(struct reader *r, const char *what, unsigned *v)
{
	if (r->pos >= r->len)
		return ews_status_make(EWS_ERR_FORMAT, "EwsId truncated: %s missing at offset %zu", what, r->pos);
	*v = r->p[r->pos++];
	return ews_status_ok();
}

/* u16 little-endian length + that many bytes, copied into a new NUL-terminated buffer. */
static ews_status read_counted(struct reader *r, const char *what, unsigned char **out, size_t *out_len)
{
	size_t n;

	if (r->len - r->pos < 2)
		return ews_status_make(EWS_ERR_FORMAT, "EwsId truncated: length of the %s missing at offset %zu", what,
		                       r->pos);
	n = (size_t)r->p[r->pos] | (size_t)r->p[r->pos + 1] << 8;
	r->pos += 2;
	if (n > r->len - r->pos)
		return ews_status_make(EWS_ERR_FORMAT, "EwsId truncated: %s of %zu bytes but only %zu bytes remain", what,
		                       n, r->len - r->pos);
	if (n == 0)
		return ews_status_make(EWS_ERR_FORMAT, "EwsId: empty %s at offset %zu", what, r->pos - 2);
	*out = malloc(n + 1);
	if (!*out)
		return ews_status_make(EWS_ERR_NOMEM, "EwsId: out of memory");
	memcpy(*out, r->p + r->pos, n);
	(*out)[n] = '\0';
	r->pos += n;
	*out_len = n;
	return ews_status_ok();
}

/* A counted text (moniker, Internet message id): no NUL bytes, since it is handed out as a C string. */
static ews_status read_text(struct reader *r, const char *what, char **out)
{
	unsigned char *b;
	size_t n;
	ews_status st = read_counted(r, what, &b, &n);

	if (!ews_ok(st))
		return st;
	if (memchr(b, 0, n)) {
		free(b);
		return ews_status_make(EWS_ERR_FORMAT, "EwsId: NUL byte inside the %s", what);
	}
	*out = (char *)b;
	return ews_status_ok();
}

static ews_status read_instruction(struct reader *r, ews_id *id)
{
	unsigned v = 0;
	ews_status st = read_u8(r, "processing instruction", &v);

	if (!ews_ok(st))
		return st;
	if (v > EWS_ID_INSTR_MULTIPLE)
		return ews_status_make(EWS_ERR_FORMAT, "EwsId: unknown processing instruction %u", v);
	id->instruction = (ews_id_instruction)v;
	return st;
}

static ews_status parse_container(const unsigned char *raw, size_t raw_len, ews_id *id)
{
	unsigned char *plain = NULL;
	struct reader r;
	unsigned storage = 0;
	ews_status st;

	if (raw[0] > 1)
		return ews_status_make(EWS_ERR_FORMAT, "EwsId: unknown compression type %u (expected 0 or 1)", raw[0]);
	if (raw[0] == 1) {
		size_t plain_len;
		st = ews_id_rle_decompress(raw + 1, raw_len - 1, EWS_ID_MAX_BYTES, &plain, &plain_len);
		if (!ews_ok(st))
			return ews_status_make(st.code == EWS_ERR_TOO_LARGE ? EWS_ERR_FORMAT : st.code, "EwsId: %s",
			                       st.message);
		id->compressed = 1;
		r.p = plain;
		r.len = plain_len;
	} else {
		r.p = raw + 1;
		r.len = raw_len - 1;
	}
	r.pos = 0;

	st = read_u8(&r, "storage type", &storage);
	if (!ews_ok(st))
		goto out;
	switch (storage) {
	case EWS_ID_STORAGE_SMTP_MAILBOX:
	case EWS_ID_STORAGE_GUID_MAILBOX:
	case EWS_ID_STORAGE_CONVERSATION:
	case EWS_ID_STORAGE_GUID_MAILBOX_FALLBACK:
		st = read_text(&r, storage == EWS_ID_STORAGE_SMTP_MAILBOX ? "SMTP moniker" : "mailbox GUID moniker",
		               &id->moniker);
		if (ews_ok(st))
			st = read_instruction(&r, id);
		if (ews_ok(st))
			st = read_counted(&r, "store id", &id->entry_id, &id->entry_id_len);
		/* The Internet message id of the "with fallback" type is optional here: its presence is only known
		 * from reverse engineering. */
		if (ews_ok(st) && storage == EWS_ID_STORAGE_GUID_MAILBOX_FALLBACK && r.pos < r.len)
			st = read_text(&r, "Internet message id", &id->internet_message_id);
		break;
	case EWS_ID_STORAGE_PUBLIC_FOLDER:
	case EWS_ID_STORAGE_AD_OBJECT:
		st = read_counted(&r, "store id", &id->entry_id, &id->entry_id_len);
		break;
	case EWS_ID_STORAGE_PUBLIC_FOLDER_ITEM:
		st = read_instruction(&r, id);
		if (ews_ok(st))
			st = read_counted(&r, "item store id", &id->entry_id, &id->entry_id_len);
		if (ews_ok(st))
			st = read_counted(&r, "folder store id", &id->folder_entry_id, &id->folder_entry_id_len);
		break;
	default:
		st = ews_status_make(EWS_ERR_FORMAT, "EwsId: unknown storage type %u", storage);
		break;
	}
	if (ews_ok(st) && r.pos != r.len)
		st = ews_status_make(EWS_ERR_FORMAT, "EwsId: %zu unexpected bytes after the id", r.len - r.pos);
	if (ews_ok(st))
		id->storage = (ews_id_storage)storage;
out:
	free(plain);
	return st;
}

ews_status ews_id_parse(const char *text, ews_id_format from, ews_id **out)
{
	unsigned char *raw = NULL;
	size_t raw_len = 0;
	ews_id *id;
	ews_status st;

	if (out)
		*out = NULL;
	if (!text || !out)
		return ews_status_make(EWS_ERR_ARGUMENT, "id parse: NULL argument");
	if (!ews_id_format_name(from))
		return ews_status_make(EWS_ERR_ARGUMENT, "id parse: unknown format %d", (int)from);
	st = ews_ids_decode_text(text, from, &raw, &raw_len);
	if (!ews_ok(st))
		return st;
	id = new_id(from);
	if (!id) {
		free(raw);
		return ews_status_make(EWS_ERR_NOMEM, "id parse: out of memory");
	}

	switch (from) {
	case EWS_ID_EWS_ID:
	case EWS_ID_EWS_LEGACY_ID:
		st = parse_container(raw, raw_len, id);
		break;
	case EWS_ID_ENTRY_ID:
	case EWS_ID_HEX_ENTRY_ID:
		id->entry_id = raw; /* the id is the ENTRYID */
		id->entry_id_len = raw_len;
		raw = NULL;
		break;
	case EWS_ID_STORE_ID:
	case EWS_ID_OWA_ID: {
		const unsigned char *e;
		size_t n;
		st = ews_ids_unwrap_store_id(raw, raw_len, &e, &n, &id->object_type);
		if (!ews_ok(st)) {
			if (from == EWS_ID_OWA_ID)
				st = ews_status_make(st.code, "OwaId: %s", st.message);
			break;
		}
		id->entry_id = malloc(n);
		if (!id->entry_id) {
			st = ews_status_make(EWS_ERR_NOMEM, "id parse: out of memory");
			break;
		}
		memcpy(id->entry_id, e, n);
		id->entry_id_len = n;
		break;
	}
	}
	free(raw);
	if (!ews_ok(st)) {
		ews_id_free(id);
		return st;
	}
	classify_entry(id);
	*out = id;
	return st;
}

/* ---- writing ---- */

/* A plausible SMTP address: one '@' with text on both sides, printable ASCII without spaces, <= 1000 chars. */
static int looks_like_smtp(const char *s)
{
	const char *at = strchr(s, '@');
	size_t n = strnlen(s, 1001);

	if (!at || at == s || !at[1] || strchr(at + 1, '@') || n > 1000)
		return 0;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7F)
			return 0;
	return 1;
}

/* Growable byte buffer for assembling EwsId payloads; `failed` latches allocation failure. */
struct buf {
	unsigned char *p;
	size_t len, cap;
	int failed;
};

static void put(struct buf *b, const void *data, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n > b->cap) {
		size_t cap = (b->len + n) * 2;
		unsigned char *np = realloc(b->p, cap);
		if (!np) {
			b->failed = 1;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

static void put_u8(struct buf *b, unsigned v)
{
	unsigned char c = (unsigned char)v;
	put(b, &c, 1);
}

static void put_counted(struct buf *b, const void *data, size_t n)
{
	put_u8(b, n & 0xFF);
	put_u8(b, n >> 8 & 0xFF);
	put(b, data, n);
}

/* The public folder a public message lives in: its ENTRYID carries the folder's database GUID and counter. */
static void parent_folder_of_public_message(const unsigned char *msg, unsigned char folder[EWS_FOLDER_ENTRY_ID_LEN])
{
	memcpy(folder, msg, 22);
	folder[20] = EWS_ENTRY_PUBLIC_FOLDER;
	folder[21] = 0;
	memcpy(folder + 22, msg + 22, 24);
	folder[44] = folder[45] = 0;
}

static ews_status write_container(const ews_id *id, ews_id_format to, const char *guid, const char *smtp,
                                  char **out)
{
	unsigned instr = id->instruction == EWS_ID_INSTR_NONE ? EWS_ID_INSTR_NORMAL : (unsigned)id->instruction;
	unsigned char folder[EWS_FOLDER_ENTRY_ID_LEN];
	struct buf b = { 0 };
	ews_status st;
	int storage;

	if (id->entry_id_len > 0xFFFF)
		return ews_status_make(EWS_ERR_UNSUPPORTED, "%s: a store id of %zu bytes does not fit the u16 length",
		                       ews_id_format_name(to), id->entry_id_len);
	if (id->storage == EWS_ID_STORAGE_PUBLIC_FOLDER || id->storage == EWS_ID_STORAGE_PUBLIC_FOLDER_ITEM ||
	    id->storage == EWS_ID_STORAGE_AD_OBJECT)
		storage = id->storage;          /* mailbox-independent: re-emit as it was */
	else if (id->storage == EWS_ID_STORAGE_NONE && id->kind == EWS_ENTRY_PUBLIC_FOLDER)
		storage = EWS_ID_STORAGE_PUBLIC_FOLDER;
	else if (id->storage == EWS_ID_STORAGE_NONE && id->kind == EWS_ENTRY_PUBLIC_MESSAGE)
		storage = EWS_ID_STORAGE_PUBLIC_FOLDER_ITEM;
	else if (to == EWS_ID_EWS_LEGACY_ID) {
		if (id->storage == EWS_ID_STORAGE_CONVERSATION)
			return ews_status_make(EWS_ERR_UNSUPPORTED, "EwsLegacyId: a conversation id has no EwsLegacyId form");
		if (!smtp)
			return ews_status_make(EWS_ERR_UNSUPPORTED, "EwsLegacyId needs the mailbox's SMTP address (pass it "
			                       "as mailbox); this id does not contain one");
		storage = EWS_ID_STORAGE_SMTP_MAILBOX;
	} else {
		if (!guid)
			return ews_status_make(EWS_ERR_UNSUPPORTED, "EwsId needs the mailbox GUID (pass it as mailbox; an "
			                       "SMTP address cannot be mapped to it locally, use the server's ConvertId)");
		storage = id->storage == EWS_ID_STORAGE_CONVERSATION || id->storage == EWS_ID_STORAGE_GUID_MAILBOX_FALLBACK
		          ? (int)id->storage : EWS_ID_STORAGE_GUID_MAILBOX;
	}

	put_u8(&b, 0); /* CompressionType none: what Exchange writes for EwsIds */
	put_u8(&b, (unsigned)storage);
	switch (storage) {
	case EWS_ID_STORAGE_PUBLIC_FOLDER:
	case EWS_ID_STORAGE_AD_OBJECT:
		put_counted(&b, id->entry_id, id->entry_id_len);
		break;
	case EWS_ID_STORAGE_PUBLIC_FOLDER_ITEM:
		put_u8(&b, instr);
		put_counted(&b, id->entry_id, id->entry_id_len);
		if (id->folder_entry_id) {
			put_counted(&b, id->folder_entry_id, id->folder_entry_id_len);
		} else {
			parent_folder_of_public_message(id->entry_id, folder);
			put_counted(&b, folder, sizeof folder);
		}
		break;
	case EWS_ID_STORAGE_SMTP_MAILBOX:
		put_counted(&b, smtp, strlen(smtp));
		put_u8(&b, instr);
		put_counted(&b, id->entry_id, id->entry_id_len);
		break;
	default: { /* GUID-based 3, 4, 6 */
		char lower[37];
		for (int i = 0; i < 37; i++)
			lower[i] = (char)(guid[i] >= 'A' && guid[i] <= 'F' ? guid[i] - 'A' + 'a' : guid[i]);
		put_counted(&b, lower, 36);
		put_u8(&b, instr);
		put_counted(&b, id->entry_id, id->entry_id_len);
		if (storage == EWS_ID_STORAGE_GUID_MAILBOX_FALLBACK && id->internet_message_id)
			put_counted(&b, id->internet_message_id, strlen(id->internet_message_id));
		break;
	}
	}
	if (b.failed) {
		free(b.p);
		return ews_status_make(EWS_ERR_NOMEM, "%s: out of memory", ews_id_format_name(to));
	}
	st = ews_ids_encode_text(b.p, b.len, to, out);
	free(b.p);
	return st;
}

/* Which kind of store id an EwsId carries decides whether it is a plain ENTRYID usable by the MAPI formats. */
static ews_status require_plain_entry_id(const ews_id *id, ews_id_format to)
{
	const char *name = ews_id_format_name(to);

	if (id->storage == EWS_ID_STORAGE_CONVERSATION)
		return ews_status_make(EWS_ERR_UNSUPPORTED, "%s: a conversation id (storage type 4) has no ENTRYID", name);
	if (id->storage == EWS_ID_STORAGE_AD_OBJECT)
		return ews_status_make(EWS_ERR_UNSUPPORTED, "%s: an Active Directory object id (storage type 5) has no "
		                       "ENTRYID", name);
	if (id->instruction == EWS_ID_INSTR_RECURRENCE || id->instruction == EWS_ID_INSTR_MULTIPLE)
		return ews_status_make(EWS_ERR_UNSUPPORTED, "%s: the id's processing instruction is %s; its store id is "
		                       "not a plain ENTRYID (the layout is not publicly specified)", name,
		                       id->instruction == EWS_ID_INSTR_RECURRENCE ? "Recurrence (an occurrence)" :
		                       "Multiple");
	return ews_status_ok();
}

ews_status ews_id_write(const ews_id *id, ews_id_format to, const char *mailbox, char **out)
{
	const char *guid = NULL, *smtp = NULL;
	ews_status st;

	if (out)
		*out = NULL;
	if (!id || !out || !id->entry_id || !id->entry_id_len)
		return ews_status_make(EWS_ERR_ARGUMENT, "id write: NULL argument or empty id");
	if (!ews_id_format_name(to))
		return ews_status_make(EWS_ERR_ARGUMENT, "id write: unknown format %d", (int)to);
	if (mailbox && *mailbox) {
		if (ews_id_is_guid(mailbox))
			guid = mailbox;
		else if (looks_like_smtp(mailbox))
			smtp = mailbox;
		else
			return ews_status_make(EWS_ERR_ARGUMENT, "mailbox must be a mailbox GUID or an SMTP address");
	}
	/* Fall back on the id's own moniker when it is of the kind the target needs. */
	if (!guid && id->moniker && ews_id_is_guid(id->moniker) &&
	    (id->storage == EWS_ID_STORAGE_GUID_MAILBOX || id->storage == EWS_ID_STORAGE_CONVERSATION ||
	     id->storage == EWS_ID_STORAGE_GUID_MAILBOX_FALLBACK))
		guid = id->moniker;
	if (!smtp && id->moniker && id->storage == EWS_ID_STORAGE_SMTP_MAILBOX && looks_like_smtp(id->moniker))
		smtp = id->moniker;

	switch (to) {
	case EWS_ID_EWS_ID:
	case EWS_ID_EWS_LEGACY_ID:
		return write_container(id, to, guid, smtp, out);
	case EWS_ID_ENTRY_ID:
	case EWS_ID_HEX_ENTRY_ID:
		st = require_plain_entry_id(id, to);
		if (!ews_ok(st))
			return st;
		return ews_ids_encode_text(id->entry_id, id->entry_id_len, to, out);
	case EWS_ID_STORE_ID:
	case EWS_ID_OWA_ID: {
		unsigned char wrapped[1 + 255 + 1];
		int type = id->object_type >= 0 ? id->object_type
		           : id->is_message ? EWS_STORE_OBJECT_MESSAGE : EWS_STORE_OBJECT_FOLDER;
		st = require_plain_entry_id(id, to);
		if (!ews_ok(st))
			return st;
		if (!id->is_folder && !id->is_message && id->object_type < 0)
			return ews_status_make(EWS_ERR_UNSUPPORTED, "%s needs an object type byte, and this %zu-byte ENTRYID "
			                       "is neither a folder nor a message", ews_id_format_name(to), id->entry_id_len);
		if (id->entry_id_len > 255)
			return ews_status_make(EWS_ERR_UNSUPPORTED, "%s: an ENTRYID of %zu bytes does not fit its one-byte "
			                       "length", ews_id_format_name(to), id->entry_id_len);
		wrapped[0] = (unsigned char)id->entry_id_len;
		memcpy(wrapped + 1, id->entry_id, id->entry_id_len);
		wrapped[1 + id->entry_id_len] = (unsigned char)type;
		return ews_ids_encode_text(wrapped, id->entry_id_len + 2, to, out);
	}
	}
	return ews_status_make(EWS_ERR_ARGUMENT, "id write: unknown format %d", (int)to);
}

ews_status ews_id_convert(const char *id, ews_id_format from, ews_id_format to, const char *mailbox, char **out)
{
	ews_id *parsed;
	ews_status st;

	if (out)
		*out = NULL;
	if (!out)
		return ews_status_make(EWS_ERR_ARGUMENT, "id convert: NULL output");
	st = ews_id_parse(id, from, &parsed);
	if (!ews_ok(st))
		return st;
	st = ews_id_write(parsed, to, mailbox, out);
	ews_id_free(parsed);
	return st;
}
