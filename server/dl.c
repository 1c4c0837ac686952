/* dl.c — the members of private distribution lists (DistributionList items, IPM.DistList, MS-OXWSDLIST), kept in
 * one item_props row "DLMembers" beside the list's columns (so copies and moves take them along, deleting the list
 * removes them): members separated by 0x1E, each member's fields by 0x1F — Key, Status (MemberStatusType order),
 * Name, EmailAddress, RoutingType, MailboxType (MailboxTypeType order), the ItemId of a contact or list member.
 *
 * A member is a one-off address (MailboxType OneOff), a mailbox of this store (Mailbox), or a contact or another
 * private list of the mailbox named by ItemId (Contact / PrivateDL; its name and address are read from it). Each
 * gets a Key when the request gives none: base64 of the first 16 bytes of SHA-256 over what identifies it, so the
 * same member keeps the same key across updates (Exchange's keys are opaque; clients only echo them). */
#include <stdlib.h>
#include <string.h>
#include <openssl/sha.h>

#include "ewsd.h"

#define DL_PROP "DLMembers"
#define FS "\x1f"
#define RS "\x1e"

/* A list's Members (MembersListType, MemberType, MemberStatusType and MailboxType OneOff) came with Exchange 2010:
 * with an Exchange2007_SP1 set a list has no members to take, store or answer (its DLMembers are never written) */
#ifdef EWS_HAS_ewstype__DistributionListType_Members

static const char *nz(const char *s) { return s ? s : ""; }

static char *member_key(struct soap *soap, const struct ewsd_dl_member *m)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	char *src = soap_strdup(soap, m->item_id && *m->item_id ? m->item_id : nz(m->addr));
	for (char *p = src; p && *p; p++)      /* addresses are case-insensitive: one key per address */
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	SHA256((const unsigned char *)nz(src), strlen(nz(src)), md);
	return ewsd_b64(soap, md, 16);
}

/* Fill *m from one request Member: NULL or the ResponseCode refusing it. */
static const char *member_in(struct soap *soap, const struct ewstype__MemberType *req, struct ewsd_dl_member *m)
{
	struct ewsd_request *rq = ewsd_req(soap);
	const struct ewstype__EmailAddressType *a = req->Mailbox;
	memset(m, 0, sizeof *m);
	m->status = req->Status ? (int)*req->Status : (int)ewstype__MemberStatusType__Normal;
	if (!a)
		return "ErrorInvalidRequest";      /* a member with nothing to address */
	m->name = a->Name;
	m->addr = a->EmailAddress;
	m->routing = a->RoutingType;
	if (a->ItemId && a->ItemId->Id) {
		struct ewsd_item ref;
		const char *guid = NULL;
		const char *err = ewsd_resolve_item(soap, a->ItemId->Id, NULL, 0, &ref, &guid);
		if (err)
			return err;
		if (ref.kind != EWSD_CONTACT && ref.kind != EWSD_DISTLIST)
			return "ErrorInvalidRequest";  /* only contacts and lists are members by reference */
		m->item_id = soap_strdup(soap, a->ItemId->Id);
		if (!m->name)
			m->name = ref.subject;
		if (ref.kind == EWSD_CONTACT) {
			m->mailbox_type = ewstype__MailboxTypeType__Contact;
			if (!m->addr)
				m->addr = ref.email;
		} else {
			m->mailbox_type = ewstype__MailboxTypeType__PrivateDL;
			m->routing = "MAPIPDL";
			m->addr = NULL;
		}
	} else {
		struct ewsd_mailbox mb;
		if (!m->addr || !*m->addr)
			return "ErrorInvalidRequest";
		m->mailbox_type = ewsd_mailbox_by_smtp(rq->db, m->addr, &mb) == 0 ? ewstype__MailboxTypeType__Mailbox
										    : ewstype__MailboxTypeType__OneOff;
		if (a->MailboxType && *a->MailboxType != ewstype__MailboxTypeType__Unknown)
			m->mailbox_type = (int)*a->MailboxType;
		if (!m->name)
			m->name = m->addr;
	}
	if (!m->routing)
		m->routing = "SMTP";
	m->key = req->Key && *req->Key ? req->Key : member_key(soap, m);
	return NULL;
}

/* A field as stored: the separators cannot occur in XML 1.0 text, but a character reference could smuggle one in
 * (gSOAP decodes &#x1F;), so they become spaces rather than split a member. */
static const char *field(struct soap *soap, const char *s)
{
	if (!s || !strpbrk(s, FS RS))
		return nz(s);
	char *c = soap_strdup(soap, s);
	for (char *p = c; p && *p; p++)
		if (*p == FS[0] || *p == RS[0])
			*p = ' ';
	return c ? c : "";
}

static char *encode(struct soap *soap, const char *prefix, const struct ewsd_dl_member *v, int n)
{
	size_t cap = strlen(nz(prefix)) + 1;
	for (int i = 0; i < n; i++)
		cap += strlen(nz(v[i].key)) + strlen(nz(v[i].name)) + strlen(nz(v[i].addr)) + strlen(nz(v[i].routing)) +
		       strlen(nz(v[i].item_id)) + 32;
	char *out = soap_malloc(soap, cap), *p = out;
	if (!out)
		return NULL;
	p += snprintf(p, cap, "%s", nz(prefix));
	for (int i = 0; i < n; i++)
		p += snprintf(p, cap - (size_t)(p - out), "%s%s" FS "%d" FS "%s" FS "%s" FS "%s" FS "%d" FS "%s",
			      p == out ? "" : RS, field(soap, v[i].key), v[i].status, field(soap, v[i].name),
			      field(soap, v[i].addr), field(soap, v[i].routing), v[i].mailbox_type, field(soap, v[i].item_id));
	return out;
}

const char *ewsd_dl_members_in(struct soap *soap, const struct ewstype__MembersListType *ml, const char *existing,
			       const char **out)
{
	int n = ml ? ml->__sizeMember : 0;
	struct ewsd_dl_member *v = ewsd_zalloc(soap, sizeof *v * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++) {
		const char *err = member_in(soap, &ml->Member[i], &v[i]);
		if (err)
			return err;
	}
	*out = encode(soap, existing, v, n);
	return *out ? NULL : "ErrorInternalServerError";
}

#endif /* EWS_HAS_ewstype__DistributionListType_Members */

const char *ewsd_dl_stored(struct soap *soap, sqlite3 *db, int64_t item_id)
{
	sqlite3_stmt *st;
	const char *v = NULL;
	if (sqlite3_prepare_v2(db, "SELECT value FROM item_props WHERE item_id=? AND name='" DL_PROP "'", -1, &st,
			       NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_int64(st, 1, item_id);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = soap_strdup(soap, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v && *v ? v : NULL;
}

void ewsd_dl_members_change(struct ewsd_prop_changes *pc, const char *encoded)
{
	ewsd_prop_changes_add(pc, DL_PROP, encoded && *encoded ? encoded : NULL);
}

struct ewstype__EmailAddressType *ewsd_dl_member_mailbox(struct soap *soap, const struct ewsd_dl_member *m)
{
	struct ewstype__EmailAddressType *a = EWSD_NEW(soap, struct ewstype__EmailAddressType);
	a->Name = m->name ? soap_strdup(soap, m->name) : NULL;
	a->EmailAddress = m->addr ? soap_strdup(soap, m->addr) : NULL;
	a->RoutingType = m->routing ? soap_strdup(soap, m->routing) : NULL;
	a->MailboxType = soap_malloc(soap, sizeof *a->MailboxType);
	*a->MailboxType = (enum ewstype__MailboxTypeType)m->mailbox_type;
	if (m->item_id) {
		a->ItemId = EWSD_NEW(soap, struct ewstype__ItemIdType);
		a->ItemId->Id = soap_strdup(soap, m->item_id);
	}
	return a;
}

#ifdef EWS_HAS_ewstype__DistributionListType_Members

/* Split s at every sep (s is modified); fields[] get up to max pieces, the count is returned. */
static int split(char *s, char sep, char **fields, int max)
{
	int n = 0;
	while (s && n < max) {
		fields[n++] = s;
		char *e = strchr(s, sep);
		if (!e)
			break;
		*e = '\0';
		s = e + 1;
	}
	return n;
}

int ewsd_dl_members_load(struct soap *soap, sqlite3 *db, int64_t item_id, struct ewsd_dl_member **out)
{
	const char *stored = ewsd_dl_stored(soap, db, item_id);
	*out = NULL;
	if (!stored)
		return 0;
	char *s = soap_strdup(soap, stored);
	int n = 1;
	for (const char *p = s; *p; p++)
		n += *p == RS[0];
	char **recs = ewsd_zalloc(soap, sizeof *recs * (size_t)n);
	struct ewsd_dl_member *v = ewsd_zalloc(soap, sizeof *v * (size_t)n);
	n = split(s, RS[0], recs, n);
	for (int i = 0; i < n; i++) {
		char *f[7] = { 0 };
		split(recs[i], FS[0], f, 7);
		v[i].key = f[0];
		v[i].status = f[1] ? atoi(f[1]) : 1;
		v[i].name = f[2] && *f[2] ? f[2] : NULL;
		v[i].addr = f[3] && *f[3] ? f[3] : NULL;
		v[i].routing = f[4] && *f[4] ? f[4] : NULL;
		v[i].mailbox_type = f[5] ? atoi(f[5]) : ewstype__MailboxTypeType__OneOff;
		v[i].item_id = f[6] && *f[6] ? f[6] : NULL;
	}
	*out = v;
	return n;
}

void ewsd_dl_attach(struct soap *soap, sqlite3 *db, int64_t item_id, struct ewstype__DistributionListType *dl)
{
	struct ewsd_dl_member *v;
	int n = ewsd_dl_members_load(soap, db, item_id, &v);
	dl->Members = EWSD_NEW(soap, struct ewstype__MembersListType);
	dl->Members->__sizeMember = n;
	dl->Members->Member = ewsd_zalloc(soap, sizeof *dl->Members->Member * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++) {
		struct ewstype__MemberType *m = &dl->Members->Member[i];
		m->Key = (char *)v[i].key;
		m->Mailbox = ewsd_dl_member_mailbox(soap, &v[i]);
		m->Status = soap_malloc(soap, sizeof *m->Status);
		*m->Status = (enum ewstype__MemberStatusType)v[i].status;
	}
}

#else

int ewsd_dl_members_load(struct soap *soap, sqlite3 *db, int64_t item_id, struct ewsd_dl_member **out)
{
	*out = NULL;        /* nothing was stored: ExpandDL finds a private list empty */
	return 0;
}

#endif /* EWS_HAS_ewstype__DistributionListType_Members */
