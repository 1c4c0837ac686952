/* op_people.c — ResolveNames (MS-OXWSRSLNM) and ExpandDL (MS-OXWSDLIST).
 *
 * The directory ("Active Directory") is the store's mailboxes together with the users file's user and token
 * entries; an entry's display name is its address's local part (what the ResolveNames page's example shows:
 * Name "User2" for User2@example.com). Contacts are the Contact and DistributionList items of one contacts
 * folder: ParentFolderIds' (exactly one, of class IPF.Contact*) or the mailbox's Contacts.
 *
 * A name matches, case-insensitively, when it begins the display name or one of its words, the given name, the
 * surname or the address (Exchange's ambiguous name resolution over those fields); "SMTP:addr" matches that address
 * only. One match: Success; several: Warning ErrorNameResolutionMultipleResults with every candidate (at most 100,
 * IncludesLastItemInRange false beyond that), none: Error ErrorNameResolutionNoResults — as Exchange answers. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ewsd.h"
#include "auth.h"

#define MAX_RESOLUTIONS 100     /* ArrayOfResolutionType holds at most 100 */

struct candidate {
	const char *name, *addr;
	int from_store;             /* 0 directory; else a stored item */
	struct ewsd_item item;
};

struct found {
	struct candidate *v;
	int n, cap;
};

static void add(struct soap *soap, struct found *f, const struct candidate *c)
{
	if (f->n == f->cap) {
		int cap = f->cap ? f->cap * 2 : 16;
		struct candidate *v = ewsd_zalloc(soap, sizeof *v * (size_t)cap);
		if (!v)
			return;
		if (f->n)
			memcpy(v, f->v, sizeof *v * (size_t)f->n);
		f->v = v;
		f->cap = cap;
	}
	f->v[f->n++] = *c;
}

/* s begins with the name (case-insensitive). */
static int begins(const char *s, const char *name)
{
	return s && *name && !strncasecmp(s, name, strlen(name));
}

/* The name begins s or one of its words. */
static int begins_word(const char *s, const char *name)
{
	for (const char *p = s; p && *p; p++)
		if ((p == s || p[-1] == ' ' || p[-1] == '-' || p[-1] == '.') && begins(p, name))
			return 1;
	return 0;
}

static int matches(const char *name, int smtp_only, const char *display, const char *given, const char *surname,
		   const char *addr)
{
	if (smtp_only)
		return addr && !strcasecmp(addr, name);
	return begins_word(display, name) || begins(given, name) || begins(surname, name) || begins(addr, name);
}

static int by_name(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;
	int c = strcasecmp(x->name ? x->name : "", y->name ? y->name : "");
	return c ? c : strcasecmp(x->addr ? x->addr : "", y->addr ? y->addr : "");
}

static const char *local_part(struct soap *soap, const char *addr)
{
	char *s = soap_strdup(soap, addr);
	char *at = s ? strchr(s, '@') : NULL;
	if (at)
		*at = '\0';
	return s;
}

static void search_directory(struct soap *soap, const char *name, int smtp_only, struct found *out)
{
	struct ewsd_request *rq = ewsd_req(soap);
	struct found dir = { 0 };
	sqlite3_stmt *st;
	/* the users file first: its spelling of an address is the directory's (the store keeps them lower case) */
	for (int i = 0; ewsd_users_smtp(i); i++) {
		const char *a = ewsd_users_smtp(i);
		int seen = !*a;
		for (int k = 0; !seen && k < dir.n; k++)
			seen = !strcasecmp(dir.v[k].addr, a);
		if (!seen) {
			struct candidate c = { 0 };
			c.addr = soap_strdup(soap, a);
			add(soap, &dir, &c);
		}
	}
	if (sqlite3_prepare_v2(rq->db, "SELECT smtp FROM mailboxes", -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *a = (const char *)sqlite3_column_text(st, 0);
			int seen = !a;
			for (int k = 0; !seen && k < dir.n; k++)
				seen = !strcasecmp(dir.v[k].addr, a);
			if (!seen) {
				struct candidate c = { 0 };
				c.addr = soap_strdup(soap, a);
				add(soap, &dir, &c);
			}
		}
		sqlite3_finalize(st);
	}
	for (int k = 0; k < dir.n; k++) {
		dir.v[k].name = local_part(soap, dir.v[k].addr);
		if (!name || matches(name, smtp_only, dir.v[k].name, NULL, NULL, dir.v[k].addr))
			add(soap, out, &dir.v[k]);
	}
}

int ewsd_directory_lookup(struct soap *soap, const char *query, const char ***names, const char ***addrs)
{
	struct found hits = { 0 };
	search_directory(soap, query, 0, &hits);
	*names = ewsd_zalloc(soap, sizeof **names * (size_t)(hits.n + 1));
	*addrs = ewsd_zalloc(soap, sizeof **addrs * (size_t)(hits.n + 1));
	if (!*names || !*addrs)
		return 0;
	for (int i = 0; i < hits.n; i++) {
		(*names)[i] = hits.v[i].name;
		(*addrs)[i] = hits.v[i].addr;
	}
	return hits.n;
}

int ewsd_name_matches(const char *query, const char *display, const char *given, const char *surname,
		      const char *addr)
{
	return matches(query, 0, display, given, surname, addr);
}

static void search_contacts(struct soap *soap, const struct ewsd_folder *folder, const char *name, int smtp_only,
			    struct found *out)
{
	struct ewsd_request *rq = ewsd_req(soap);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(rq->db, "SELECT " EWSD_ITEM_COLS " FROM items WHERE folder_id=? AND kind IN (3,5)",
			       -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(st, 1, folder->id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct candidate c = { 0 };
		ewsd_item_from_row(soap, st, 0, &c.item);
		c.from_store = 1;
		c.name = c.item.subject ? c.item.subject : "";
		c.addr = c.item.kind == EWSD_CONTACT ? c.item.email : NULL;
		if (matches(name, smtp_only, c.name, c.item.given_name, c.item.surname, c.addr))
			add(soap, out, &c);
	}
	sqlite3_finalize(st);
}

static enum ewstype__MailboxTypeType *mailbox_type(struct soap *soap, enum ewstype__MailboxTypeType t)
{
	enum ewstype__MailboxTypeType *p = soap_malloc(soap, sizeof *p);
	*p = t;
	return p;
}

static struct ewstype__EmailAddressDictionaryType *smtp_entry(struct soap *soap, const char *addr)
{
	struct ewstype__EmailAddressDictionaryType *d = EWSD_NEW(soap, struct ewstype__EmailAddressDictionaryType);
	d->__sizeEntry = 1;
	d->Entry = EWSD_NEW(soap, struct ewstype__EmailAddressDictionaryEntryType);
	d->Entry->Key = ewstype__EmailAddressKeyType__EmailAddress1;
	d->Entry->__item = soap_strdup(soap, addr);
	return d;
}

/* ContactDataShape came with Exchange 2010 SP2: an older set's request cannot ask, and gets the Default shape */
#ifdef EWS_HAS_ewsmsg__ResolveNamesType_ContactDataShape
#define CONTACT_DATA_SHAPE(req) ((req)->ContactDataShape)
#else
#define CONTACT_DATA_SHAPE(req) ((const enum ewstype__DefaultShapeNamesType *)NULL)
#endif

/* One Resolution: the Mailbox always, the Contact when full data is asked for (directory entries: DisplayName,
 * EmailAddresses "SMTP:addr", ContactSource ActiveDirectory, as the page's example; stored contacts: the contact
 * in ContactDataShape, Default when absent, ContactSource Store). */
static void put_resolution(struct soap *soap, const struct candidate *c, int full, struct ewstype__ResolutionType *r,
			   const enum ewstype__DefaultShapeNamesType *shape)
{
	struct ewstype__EmailAddressType *m = EWSD_NEW(soap, struct ewstype__EmailAddressType);
	r->Mailbox = m;
	m->Name = soap_strdup(soap, c->name);
	if (!c->from_store) {
		m->EmailAddress = soap_strdup(soap, c->addr);
		m->RoutingType = "SMTP";
		m->MailboxType = mailbox_type(soap, ewstype__MailboxTypeType__Mailbox);
		if (full) {
			struct ewstype__ContactItemType *ct = EWSD_NEW(soap, struct ewstype__ContactItemType);
			ct->DisplayName = soap_strdup(soap, c->name);
			char *v = soap_malloc(soap, strlen(c->addr) + 6);
			strcpy(v, "SMTP:");
			strcat(v, c->addr);
			ct->EmailAddresses = smtp_entry(soap, v);
			ct->ContactSource = soap_malloc(soap, sizeof *ct->ContactSource);
			*ct->ContactSource = ewstype__ContactSourceType__ActiveDirectory;
			r->Contact = ct;
		}
		return;
	}
	struct ewstype__ItemIdType *id = ewsd_item_id(soap, &c->item);
	m->ItemId = id;
	if (c->item.kind == EWSD_DISTLIST) {   /* a private list: no address of its own */
		m->RoutingType = "MAPIPDL";
		m->MailboxType = mailbox_type(soap, ewstype__MailboxTypeType__PrivateDL);
		return;
	}
	m->EmailAddress = c->addr ? soap_strdup(soap, c->addr) : NULL;
	m->RoutingType = "SMTP";
	m->MailboxType = mailbox_type(soap, ewstype__MailboxTypeType__Contact);
	if (!full)
		return;
	struct ewstype__ItemResponseShapeType sh = { 0 };
	sh.BaseShape = shape ? *shape : ewstype__DefaultShapeNamesType__Default;
	int sel;
	void *slot = NULL;
	static const int sels[6] = { 1, 2, 3, 4, 5, 6 };   /* only the Contact kind comes here */
	ewsd_put_item(soap, &c->item, ewsd_item_props(soap, &sh, 1) & ~(unsigned)EWSD_P_BODY, &sel, &slot, sels);
	struct ewstype__ContactItemType *ct = slot;
	if (sh.BaseShape == ewstype__DefaultShapeNamesType__AllProperties)
		ewsd_contact_props_attach(soap, ewsd_req(soap)->db, c->item.id, ct, &sh);
	if (sh.BaseShape != ewstype__DefaultShapeNamesType__IdOnly) {
		ct->ContactSource = soap_malloc(soap, sizeof *ct->ContactSource);
		*ct->ContactSource = ewstype__ContactSourceType__Store;
	}
	r->Contact = ct;
}

/* The contacts folder searched: ParentFolderIds' only folder, else Contacts. NULL or the ResponseCode. */
static const char *contacts_folder(struct soap *soap, struct ewsmsg__ResolveNamesType *req, struct ewsd_folder *f)
{
	struct ewstype__NonEmptyArrayOfBaseFolderIdsType *ids = req->ParentFolderIds;
	if (!ids || ids->__size_NonEmptyArrayOfBaseFolderIdsType < 1)
		return ewsd_folder_distinguished(soap, ewsd_req(soap)->db, ewsd_req(soap)->mailbox_id, "contacts", f)
			       ? "ErrorFolderNotFound" : NULL;
	if (ids->__size_NonEmptyArrayOfBaseFolderIdsType > 1)
		return "ErrorResolveNamesOnlyOneContactsFolderAllowed";
	struct __ewstype__union_NonEmptyArrayOfBaseFolderIdsType *u = &ids->__union_NonEmptyArrayOfBaseFolderIdsType[0];
	int is_fid = u->__union_NonEmptyArrayOfBaseFolderIdsType == SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseFolderIdsType_FolderId;
	const char *err = ewsd_resolve_folder(soap, is_fid ? u->union_NonEmptyArrayOfBaseFolderIdsType.FolderId : NULL,
					      is_fid ? NULL : u->union_NonEmptyArrayOfBaseFolderIdsType.DistinguishedFolderId, f);
	if (err)
		return err;
	if (!f->folder_class || strncmp(f->folder_class, "IPF.Contact", 11))
		return "ErrorResolveNamesInvalidFolderType";
	return NULL;
}

int __ewsmsg__ResolveNames(struct soap *soap, struct ewsmsg__ResolveNamesType *req,
			   struct __ewsmsg__ResolveNamesResponse *resp)
{
	int rc = ewsd_begin_op(soap, "ResolveNames", req);
	if (rc)
		return rc;
	resp->ewsmsg__ResolveNamesResponse = EWSD_NEW(soap, struct ewsmsg__ResolveNamesResponseType);
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, 1);
	resp->ewsmsg__ResolveNamesResponse->ResponseMessages = msgs;
	struct ewsmsg__ResolveNamesResponseMessageType *m = EWSD_NEW(soap, struct ewsmsg__ResolveNamesResponseMessageType);
	msgs->__union_ArrayOfResponseMessagesType[0].__union_ArrayOfResponseMessagesType =
		SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_ResolveNamesResponseMessage;
	msgs->__union_ArrayOfResponseMessagesType[0].union_ArrayOfResponseMessagesType.ResolveNamesResponseMessage = m;

	const char *name = req->UnresolvedEntry ? req->UnresolvedEntry : "";
	int smtp_only = !strncasecmp(name, "SMTP:", 5);
	if (smtp_only)
		name += 5;
	while (*name == ' ')
		name++;
	enum ewstype__ResolveNamesSearchScopeType scope = req->SearchScope;
	int dir = scope != ewstype__ResolveNamesSearchScopeType__Contacts;
	int con = scope != ewstype__ResolveNamesSearchScopeType__ActiveDirectory;
	struct ewsd_folder folder;
	const char *err = con ? contacts_folder(soap, req, &folder) : NULL;
	struct found hits = { 0 }, first = { 0 }, second = { 0 };
	if (!err && ewsd_req(soap)->fault_busy_msg)
		err = "ErrorServerBusy";
	if (!err && *name) {
		/* the scope's order: each source's matches sorted by name, the first source's before the second's */
		int contacts_first = scope == ewstype__ResolveNamesSearchScopeType__Contacts ||
				     scope == ewstype__ResolveNamesSearchScopeType__ContactsActiveDirectory;
		if (dir)
			search_directory(soap, name, smtp_only, contacts_first ? &second : &first);
		if (con)
			search_contacts(soap, &folder, name, smtp_only, contacts_first ? &first : &second);
		if (first.n)
			qsort(first.v, (size_t)first.n, sizeof *first.v, by_name);
		if (second.n)
			qsort(second.v, (size_t)second.n, sizeof *second.v, by_name);
		for (int i = 0; i < first.n; i++)
			add(soap, &hits, &first.v[i]);
		for (int i = 0; i < second.n; i++)
			add(soap, &hits, &second.v[i]);
	}
	if (!err && !hits.n)
		err = "ErrorNameResolutionNoResults";
	if (!err && hits.n > 1)
		err = "ErrorNameResolutionMultipleResults";
	EWSD_SET_RESULT(soap, m, ResolveNamesResponseMessageType, err ? err : "NoError");
	if (err && !strcmp(err, "ErrorServerBusy")) {
		char ms[32];
		snprintf(ms, sizeof ms, "%d", ewsd_fault_get(&ewsd_faults.backoff_ms));
		EWSD_SET_VALUE(soap, m, ResolveNamesResponseMessageType, "BackOffMilliseconds", ms);
	}
	if (!hits.n)
		return SOAP_OK;
	if (hits.n > 1)   /* the candidates come with a warning, not an error (Exchange) */
		m->ResponseClass = ewstype__ResponseClassType__Warning;
	int shown = hits.n < MAX_RESOLUTIONS ? hits.n : MAX_RESOLUTIONS;
	struct ewstype__ArrayOfResolutionType *set = EWSD_NEW(soap, struct ewstype__ArrayOfResolutionType);
	set->__sizeResolution = shown;
	set->Resolution = ewsd_zalloc(soap, sizeof *set->Resolution * (size_t)shown);
	for (int i = 0; i < shown; i++)
		put_resolution(soap, &hits.v[i], req->ReturnFullContactData == xsd__boolean__true_, &set->Resolution[i],
			       CONTACT_DATA_SHAPE(req));
	set->TotalItemsInView = soap_malloc(soap, sizeof(int));
	*set->TotalItemsInView = hits.n;
	set->IncludesLastItemInRange = soap_malloc(soap, sizeof *set->IncludesLastItemInRange);
	*set->IncludesLastItemInRange = shown == hits.n ? xsd__boolean__true_ : xsd__boolean__false_;
	m->ResolutionSet = set;
	return SOAP_OK;
}

/* ---- ExpandDL ---- */

/* The private list a request names: by ItemId, or by an EmailAddress equal to a list's display name in Contacts
 * (ewsd has no directory groups; see the conformance table). NULL or the ResponseCode. */
static const char *find_list(struct soap *soap, const struct ewstype__EmailAddressType *a, struct ewsd_item *dl)
{
	struct ewsd_request *rq = ewsd_req(soap);
	if (a->ItemId && a->ItemId->Id) {
		const char *guid = NULL;
		const char *err = ewsd_resolve_item(soap, a->ItemId->Id, NULL, 0, dl, &guid);
		if (err)
			return err;
		return dl->kind == EWSD_DISTLIST ? NULL : "ErrorInvalidItemForOperationExpandDL";
	}
	const char *name = a->EmailAddress;
	struct ewsd_folder contacts;
	sqlite3_stmt *st;
	int found = 0;
	if (!name || !*name ||
	    ewsd_folder_distinguished(soap, rq->db, rq->mailbox_id, "contacts", &contacts))
		return "ErrorNameResolutionNoResults";
	if (sqlite3_prepare_v2(rq->db, "SELECT " EWSD_ITEM_COLS " FROM items WHERE folder_id=? AND kind=5 AND "
			       "subject=? COLLATE NOCASE ORDER BY id LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return "ErrorInternalServerError";
	sqlite3_bind_int64(st, 1, contacts.id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		ewsd_item_from_row(soap, st, 0, dl);
		found = 1;
	}
	sqlite3_finalize(st);
	return found ? NULL : "ErrorNameResolutionNoResults";
}

int __ewsmsg__ExpandDL(struct soap *soap, struct ewsmsg__ExpandDLType *req, struct __ewsmsg__ExpandDLResponse *resp)
{
	int rc = ewsd_begin_op(soap, "ExpandDL", req);
	if (rc)
		return rc;
	if (!req->Mailbox)
		return ewsd_schema_fault(soap, "The element 'ExpandDL' has incomplete content. List of possible elements "
					       "expected: 'Mailbox'.");
	resp->ewsmsg__ExpandDLResponse = EWSD_NEW(soap, struct ewsmsg__ExpandDLResponseType);
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, 1);
	resp->ewsmsg__ExpandDLResponse->ResponseMessages = msgs;
	struct ewsmsg__ExpandDLResponseMessageType *m = EWSD_NEW(soap, struct ewsmsg__ExpandDLResponseMessageType);
	msgs->__union_ArrayOfResponseMessagesType[0].__union_ArrayOfResponseMessagesType =
		SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_ExpandDLResponseMessage;
	msgs->__union_ArrayOfResponseMessagesType[0].union_ArrayOfResponseMessagesType.ExpandDLResponseMessage = m;
	struct ewsd_item dl;
	const char *err = ewsd_req(soap)->fault_busy_msg ? "ErrorServerBusy" : find_list(soap, req->Mailbox, &dl);
	EWSD_SET_RESULT(soap, m, ExpandDLResponseMessageType, err ? err : "NoError");
	if (err) {
		if (!strcmp(err, "ErrorNameResolutionNoResults"))   /* the ExpandDL page's words, not ResolveNames' */
			m->__ExpandDLResponseMessageType_sequence->MessageText = "No results are found.";
		if (!strcmp(err, "ErrorServerBusy")) {
			char ms[32];
			snprintf(ms, sizeof ms, "%d", ewsd_fault_get(&ewsd_faults.backoff_ms));
			EWSD_SET_VALUE(soap, m, ExpandDLResponseMessageType, "BackOffMilliseconds", ms);
		}
		return SOAP_OK;
	}
	/* members as stored, in order; nested lists and contacts are listed, not expanded (Exchange) */
	struct ewsd_dl_member *v;
	int n = ewsd_dl_members_load(soap, ewsd_req(soap)->db, dl.id, &v);
	struct ewstype__ArrayOfDLExpansionType *x = EWSD_NEW(soap, struct ewstype__ArrayOfDLExpansionType);
	x->__sizeMailbox = n;
	x->Mailbox = ewsd_zalloc(soap, sizeof *x->Mailbox * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++)
		x->Mailbox[i] = *ewsd_dl_member_mailbox(soap, &v[i]);
	x->TotalItemsInView = soap_malloc(soap, sizeof(int));
	*x->TotalItemsInView = n;
	x->IncludesLastItemInRange = soap_malloc(soap, sizeof *x->IncludesLastItemInRange);
	*x->IncludesLastItemInRange = xsd__boolean__true_;
	m->DLExpansion = x;
	return SOAP_OK;
}
