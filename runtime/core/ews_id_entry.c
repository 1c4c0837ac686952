/* ews_id_entry.c — building MAPI long-term EntryIDs and mailbox EwsIds, and the ConvertId public-folder fix. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ews/ids.h"
#include "ews_ids_internal.h"

/* MS-OXCDATA: the ProviderUID of public-folder EntryIDs; also the GUID the ConvertId page says to write. */
static const unsigned char public_store_uid[16] = {
	0x1A, 0x44, 0x73, 0x90, 0xAA, 0x66, 0x11, 0xCD, 0x9B, 0xC8, 0x00, 0xAA, 0x00, 0x2F, 0xC4, 0x5A
};

ews_status ews_global_counter_from_u64(uint64_t value, unsigned char out[6])
{
	if (!out)
		return ews_status_make(EWS_ERR_ARGUMENT, "global counter: NULL output");
	for (int i = 5; i >= 0; i--) {
		out[i] = (unsigned char)(value & 0xFF);
		value >>= 8;
	}
	return ews_status_ok();
}

ews_status ews_entry_id_make_folder(const unsigned char provider_uid[16], const unsigned char database_guid[16],
                                    const unsigned char global_counter[6], int is_public,
                                    unsigned char out[EWS_FOLDER_ENTRY_ID_LEN])
{
	if (!provider_uid || !database_guid || !global_counter || !out)
		return ews_status_make(EWS_ERR_ARGUMENT, "folder EntryID: NULL argument");
	memset(out, 0, EWS_FOLDER_ENTRY_ID_LEN);
	memcpy(out + 4, provider_uid, 16);
	out[20] = is_public ? EWS_ENTRY_PUBLIC_FOLDER : EWS_ENTRY_PRIVATE_FOLDER;
	memcpy(out + 22, database_guid, 16);
	memcpy(out + 38, global_counter, 6);
	return ews_status_ok();
}

ews_status ews_entry_id_make_message(const unsigned char provider_uid[16],
                                     const unsigned char folder_database_guid[16],
                                     const unsigned char folder_global_counter[6],
                                     const unsigned char message_database_guid[16],
                                     const unsigned char message_global_counter[6], int is_public,
                                     unsigned char out[EWS_MESSAGE_ENTRY_ID_LEN])
{
	if (!provider_uid || !folder_database_guid || !folder_global_counter || !message_database_guid ||
	    !message_global_counter || !out)
		return ews_status_make(EWS_ERR_ARGUMENT, "message EntryID: NULL argument");
	memset(out, 0, EWS_MESSAGE_ENTRY_ID_LEN);
	memcpy(out + 4, provider_uid, 16);
	out[20] = is_public ? EWS_ENTRY_PUBLIC_MESSAGE : EWS_ENTRY_PRIVATE_MESSAGE;
	memcpy(out + 22, folder_database_guid, 16);
	memcpy(out + 38, folder_global_counter, 6);
	memcpy(out + 46, message_database_guid, 16);
	memcpy(out + 62, message_global_counter, 6);
	return ews_status_ok();
}

int ews_id_is_guid(const char *text)
{
	if (!text)
		return 0;
	for (int i = 0; i < 36; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? text[i] != '-' : !isxdigit((unsigned char)text[i]))
			return 0;
	}
	return text[36] == '\0';
}

ews_status ews_id_make_ews_id(const unsigned char *entry_id, size_t entry_len, const char *mailbox_guid,
                              char **out)
{
	unsigned char *buf;
	size_t o = 0;
	ews_status st;

	if (out)
		*out = NULL;
	if (!out || !entry_id || entry_len == 0 || entry_len > 0xFFFF)
		return ews_status_make(EWS_ERR_ARGUMENT, "EwsId: NULL output, or ENTRYID of %zu bytes", entry_len);
	if (!ews_id_is_guid(mailbox_guid))
		return ews_status_make(EWS_ERR_ARGUMENT, "EwsId: the mailbox moniker must be a GUID (8-4-4-4-12 hex)");
	buf = malloc(1 + 1 + 2 + 36 + 1 + 2 + entry_len);
	if (!buf)
		return ews_status_make(EWS_ERR_NOMEM, "EwsId: out of memory");
	buf[o++] = 0;                              /* CompressionType: none, as Exchange writes them */
	buf[o++] = EWS_ID_STORAGE_GUID_MAILBOX;
	buf[o++] = 36;
	buf[o++] = 0;
	for (int i = 0; i < 36; i++)              /* Exchange writes the GUID moniker in lower case */
		buf[o++] = (unsigned char)tolower((unsigned char)mailbox_guid[i]);
	buf[o++] = EWS_ID_INSTR_NORMAL;
	buf[o++] = (unsigned char)(entry_len & 0xFF);
	buf[o++] = (unsigned char)(entry_len >> 8);
	memcpy(buf + o, entry_id, entry_len);
	o += entry_len;
	st = ews_ids_encode_text(buf, o, EWS_ID_EWS_ID, out);
	free(buf);
	return st;
}

static const char *entry_type_name(unsigned type)
{
	switch (type) {
	case EWS_ENTRY_PRIVATE_FOLDER: return " (private folder)";
	case EWS_ENTRY_PUBLIC_FOLDER: return " (public folder)";
	case EWS_ENTRY_WACKY_FOLDER: return " (wacky folder)";
	case EWS_ENTRY_PRIVATE_MESSAGE: return " (private message)";
	case EWS_ENTRY_PUBLIC_MESSAGE: return " (already public message)";
	case EWS_ENTRY_WACKY_MESSAGE: return " (wacky message)";
	default: return "";
	}
}

ews_status ews_id_fix_public_folder_entry_id(const char *id, ews_id_format format, char **out, int *changed)
{
	unsigned char *bytes, *entry;
	size_t len, entry_len;
	unsigned type;
	ews_status st;

	if (out)
		*out = NULL;
	if (changed)
		*changed = 0;
	if (!id || !out)
		return ews_status_make(EWS_ERR_ARGUMENT, "public-folder fix: NULL argument");
	if (format != EWS_ID_ENTRY_ID && format != EWS_ID_HEX_ENTRY_ID && format != EWS_ID_STORE_ID)
		return ews_status_make(EWS_ERR_ARGUMENT, "public-folder fix: applies to EntryId, HexEntryId and StoreId, "
		                       "not %s", ews_id_format_name(format) ? ews_id_format_name(format) : "?");
	st = ews_ids_decode_text(id, format, &bytes, &len);
	if (!ews_ok(st))
		return st;
	entry = bytes;
	entry_len = len;
	if (format == EWS_ID_STORE_ID) {
		/* The ENTRYID starts after the StoreId's length byte: every offset shifts by one. */
		const unsigned char *e;
		int object_type;
		st = ews_ids_unwrap_store_id(bytes, len, &e, &entry_len, &object_type);
		if (!ews_ok(st)) {
			free(bytes);
			return st;
		}
		entry = bytes + 1;
	}
	if (entry_len < 22) {
		free(bytes);
		return ews_status_make(EWS_ERR_FORMAT, "public-folder fix: ENTRYID of %zu bytes has no type byte at "
		                       "offset 20", entry_len);
	}
	if (entry[0] || entry[1] || entry[2] || entry[3]) {
		free(bytes);
		return ews_status_make(EWS_ERR_FORMAT, "public-folder fix: the first 4 bytes (flags) are not zero; not "
		                       "a long-term ENTRYID");
	}
	type = (unsigned)entry[20] | (unsigned)entry[21] << 8;
	if (type != EWS_ENTRY_PRIVATE_MESSAGE) {
		char *copy = strdup(id);
		free(bytes);
		if (!copy)
			return ews_status_make(EWS_ERR_NOMEM, "public-folder fix: out of memory");
		*out = copy;
		return ews_status_make(EWS_OK, "type byte is %u%s, not 7: left unchanged", type, entry_type_name(type));
	}
	memcpy(entry + 4, public_store_uid, 16);
	entry[20] = EWS_ENTRY_PUBLIC_MESSAGE;
	st = ews_ids_encode_text(bytes, len, format, out);
	free(bytes);
	if (ews_ok(st) && changed)
		*changed = 1;
	return st;
}
