/* ids.c — ewsd's only id module: Exchange-format EwsIds around MAPI EntryIDs, ChangeKeys, ConvertId formats.
 *
 * Kept behind the small interface in ewsd.h so that moving to the library's ews_ids is a one-file change.
 * Layouts (notes/ews-ids.md, MS-OXCDATA 2.2.4): a folder EntryID is 46 bytes (flags, ProviderUID, type 0x0001,
 * database GUID, 6-byte global counter, pad); a message EntryID is 70 bytes (type 0x0007, folder GUID+GC,
 * message GUID+GC). The EwsId is base64(00 03 len16 "mailbox-guid" 00 len16 EntryID). Our ProviderUID is the
 * mailbox GUID, so an EntryId can be turned back into an EwsId without a directory lookup; the database GUID
 * is a per-store constant. Global counters are our SQLite row ids.
 */
#include <ctype.h>
#include <string.h>

#include "ewsd.h"

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

/* The MAPI EntryID of an id; returns its length (46 or 70) or -1. */
static int make_entryid(const struct ewsd_id *id, unsigned char out[70])
{
	memset(out, 0, 70);
	if (guid_to_bytes(id->mailbox_guid, out + 4))
		return -1;
	out[20] = id->kind == EWSD_ID_FOLDER ? 0x01 : 0x07;
	memcpy(out + 22, db_guid, 16);
	put_gc(out + 38, id->folder);
	if (id->kind == EWSD_ID_FOLDER)
		return 46;
	memcpy(out + 46, db_guid, 16);
	put_gc(out + 62, id->item);
	return 70;
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

/* EwsId (storage type 3, GUID moniker) or EwsLegacyId (storage type 0, SMTP moniker). */
static char *make_ews(struct soap *soap, const struct ewsd_id *id, const char *smtp)
{
	unsigned char buf[1 + 1 + 2 + 320 + 1 + 2 + 70];
	unsigned char eid[70];
	const char *moniker = smtp ? smtp : id->mailbox_guid;
	size_t ml = strlen(moniker), k = 0;
	int el = make_entryid(id, eid);

	if (el < 0 || ml > 320)
		return NULL;
	buf[k++] = 0x00;                    /* no compression */
	buf[k++] = smtp ? 0x00 : 0x03;      /* MailboxItemSmtpAddressBased / MailboxItemMailboxGuidBased */
	buf[k++] = (unsigned char)(ml & 0xff);
	buf[k++] = (unsigned char)(ml >> 8);
	memcpy(buf + k, moniker, ml);
	k += ml;
	buf[k++] = 0x00;                    /* IdProcessingInstruction Normal */
	buf[k++] = (unsigned char)el;
	buf[k++] = 0;
	memcpy(buf + k, eid, (size_t)el);
	k += (size_t)el;
	return ewsd_b64(soap, buf, k);
}

char *ewsd_id_make(struct soap *soap, const struct ewsd_id *id)
{
	return make_ews(soap, id, NULL);
}

/* RLE (MS-OXCEXT 3.1.4.5): a repeated pair b b is followed by the count of further repeats. */
static unsigned char *rle_decode(struct soap *soap, const unsigned char *p, size_t n, size_t *outn)
{
	unsigned char *out = soap_malloc(soap, 2048);
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		if (i + 1 < n && p[i] == p[i + 1]) {
			size_t run;
			if (i + 2 >= n)
				return NULL;
			run = (size_t)p[i + 2] + 2;
			if (k + run > 2048)
				return NULL;
			memset(out + k, p[i], run);
			k += run;
			i += 3;
		} else {
			if (k >= 2048)
				return NULL;
			out[k++] = p[i++];
		}
	}
	*outn = k;
	return out;
}

/* Parse EwsId or EwsLegacyId; *smtp_out gets the SMTP moniker of a legacy id (soap-managed). */
static int parse_ews(struct soap *soap, const char *s, struct ewsd_id *out, char **smtp_out)
{
	size_t n, k = 0, ml, el;
	unsigned char *p;
	int type;

	if (!s || strlen(s) > 1400 || !(p = ewsd_unb64(soap, s, &n)) || n < 2)
		return -1;
	if (p[0] == 1) {
		p = rle_decode(soap, p + 1, n - 1, &n);
		if (!p)
			return -1;
	} else if (p[0] == 0) {
		p++, n--;
	} else {
		return -1;
	}
	type = p[k++];
	if (type != 0 && type != 3 && type != 6)
		return -1;
	if (k + 2 > n)
		return -1;
	ml = (size_t)p[k] | (size_t)p[k + 1] << 8;
	k += 2;
	if (k + ml + 3 > n || ml > 1000)
		return -1;
	if (type == 0 && smtp_out) {
		*smtp_out = soap_malloc(soap, ml + 1);
		memcpy(*smtp_out, p + k, ml);
		(*smtp_out)[ml] = '\0';
	}
	if (type != 0 && ml != 36)
		return -1;
	char guid[37] = "";
	if (type != 0)
		memcpy(guid, p + k, 36), guid[36] = '\0';
	k += ml;
	if (p[k++] != 0)            /* only Normal instructions: no occurrences here */
		return -1;
	el = (size_t)p[k] | (size_t)p[k + 1] << 8;
	k += 2;
	if (k + el > n || (type != 6 && k + el != n))
		return -1;
	if (parse_entryid(p + k, el, out))
		return -1;
	/* the GUID moniker and the ProviderUID must agree in our ids */
	if (type != 0) {
		for (char *c = guid; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		if (strcmp(guid, out->mailbox_guid))
			return -1;
	}
	return 0;
}

int ewsd_id_parse(struct soap *soap, const char *ews_id, struct ewsd_id *out)
{
	return parse_ews(soap, ews_id, out, NULL) ? -1 : 0;
}

char *ewsd_changekey(struct soap *soap, int kind, int64_t change_num)
{
	/* Exchange ChangeKeys: u32 object type, u32 length 22, then a PCL entry (replica GUID + 6-byte counter). */
	static const unsigned types[] = { 0x09, 0x0f, 0x0b, 0x0d, 0x13 };
	unsigned char b[30] = { 0 };
	b[0] = (unsigned char)(kind < 0 ? 0x01 : types[kind]);
	b[4] = 22;
	memcpy(b + 8, db_guid, 16);
	put_gc(b + 24, change_num);
	return ewsd_b64(soap, b, sizeof b);
}

static const char hexd[] = "0123456789ABCDEF";

char *ewsd_id_convert(struct soap *soap, const char *src, enum ewsd_id_format from, enum ewsd_id_format to,
		      const char *smtp)
{
	struct ewsd_id id;
	unsigned char eid[70], *raw;
	size_t n;
	char *legacy_smtp = NULL;

	if (!src)
		return NULL;
	switch (from) {
	case EWSD_FMT_EWS:
	case EWSD_FMT_EWSLEGACY:
		if (parse_ews(soap, src, &id, &legacy_smtp))
			return NULL;
		break;
	case EWSD_FMT_ENTRY:
		if (!(raw = ewsd_unb64(soap, src, &n)) || parse_entryid(raw, n, &id))
			return NULL;
		break;
	case EWSD_FMT_HEXENTRY: {
		size_t len = strlen(src);
		if (len != 92 && len != 140)
			return NULL;
		n = len / 2;
		for (size_t i = 0; i < n; i++) {
			const char *a = strchr(hexd, toupper((unsigned char)src[2 * i]));
			const char *b = strchr(hexd, toupper((unsigned char)src[2 * i + 1]));
			if (!a || !b || !*a || !*b)
				return NULL;
			eid[i] = (unsigned char)((a - hexd) << 4 | (b - hexd));
		}
		if (parse_entryid(eid, n, &id))
			return NULL;
		break;
	}
	case EWSD_FMT_STORE:
	case EWSD_FMT_OWA: {
		char *dec = soap_strdup(soap, src);
		if (from == EWSD_FMT_OWA) { /* URL-decoded base64 */
			char *w = dec;
			for (const char *r = src; *r; r++) {
				if (*r == '%' && isxdigit((unsigned char)r[1]) && isxdigit((unsigned char)r[2])) {
					char hx[3] = { r[1], r[2], 0 };
					*w++ = (char)strtoul(hx, NULL, 16);
					r += 2;
				} else {
					*w++ = *r;
				}
			}
			*w = '\0';
		}
		if (!(raw = ewsd_unb64(soap, dec, &n)) || n < 3 || raw[0] != n - 2 || parse_entryid(raw + 1, n - 2, &id))
			return NULL;
		break;
	}
	default:
		return NULL;
	}
	int el = make_entryid(&id, eid);
	if (el < 0)
		return NULL;
	switch (to) {
	case EWSD_FMT_EWS:
		return make_ews(soap, &id, NULL);
	case EWSD_FMT_EWSLEGACY:
		if (!smtp && legacy_smtp)
			smtp = legacy_smtp;
		if (!smtp)
			return NULL;
		return make_ews(soap, &id, smtp);
	case EWSD_FMT_ENTRY:
		return ewsd_b64(soap, eid, (size_t)el);
	case EWSD_FMT_HEXENTRY: {
		char *h = soap_malloc(soap, (size_t)el * 2 + 1);
		for (int i = 0; i < el; i++)
			h[2 * i] = hexd[eid[i] >> 4], h[2 * i + 1] = hexd[eid[i] & 15];
		h[el * 2] = '\0';
		return h;
	}
	case EWSD_FMT_STORE:
	case EWSD_FMT_OWA: {
		unsigned char s[72];
		s[0] = (unsigned char)el;
		memcpy(s + 1, eid, (size_t)el);
		s[el + 1] = id.kind == EWSD_ID_FOLDER ? 0x01 : 0x09;
		char *b = ewsd_b64(soap, s, (size_t)el + 2);
		if (to == EWSD_FMT_STORE || !b)
			return b;
		/* OWA ids are URL-encoded */
		char *u = soap_malloc(soap, strlen(b) * 3 + 1), *w = u;
		for (const char *r = b; *r; r++) {
			if (*r == '+' || *r == '/' || *r == '=')
				w += sprintf(w, "%%%02X", (unsigned char)*r);
			else
				*w++ = *r;
		}
		*w = '\0';
		return u;
	}
	default:
		return NULL;
	}
}
