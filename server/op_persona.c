/* op_persona.c — FindPeople (MS-OXWSFINDPPL) and GetPersona (MS-OXWSPSNTIR): people as personas.
 *
 * A persona is one person as the mailbox knows them from all its sources: the contacts (and private lists) of the
 * mailbox's contacts folders, and the directory (op_people.c's lookup: the users file and the store's mailboxes;
 * plus the room lists and rooms of op_rooms.c). Sources with the same SMTP address are one persona, compared
 * without case; a contact without an address and a private list are personas of their own. Every source is an
 * Attribution (contacts first, by id: "Outlook", writable, with its ItemId and folder; then the directory: "GAL",
 * read-only, with an Active Directory object id), and each attributed value lists the attributions it comes from.
 *
 * PersonaId: Exchange's format, base64(00 04 len16 "mailbox-guid" 00 len16 key) — storage type 4, as the reference
 * pages' ids decode — where our 16-byte key is SHA-256("smtp:" + lower-case address) or ("item:" + row id) cut to
 * 16 bytes: stable across requests, restarts and renames, and looked up by rebuilding the mailbox's personas.
 *
 * FindPeople lists the personas of one contacts folder (ParentFolderId, Contacts when absent), or with the
 * "directory" distinguished id those of the directory — only with a QueryString, as Exchange does not browse the
 * GAL. QueryString is ResolveNames' prefix match on the names and address of any source. Order: SortOrder over the
 * persona fields below, else by DisplayName; paging by IndexedPageItemView. A Restriction, AggregationRestriction or
 * TopicQueryString is refused (ErrorUnsupportedQueryFilter), as are a suggestion-index search and flattened results
 * (ErrorInvalidArgument): never ignored. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>

#include <openssl/sha.h>

#include "ewsd.h"
#include "ews/ids.h"

/* FindPeople and GetPersona came with Exchange 2013: older sets (Exchange2010_SP2) have no such operations */
#ifdef SOAP_TYPE_ewsmsg__FindPeopleType

enum src_kind { SRC_CONTACT, SRC_DIRECTORY, SRC_ROOM, SRC_ROOM_LIST };

struct source {
	int kind;
	struct ewsd_item item;      /* SRC_CONTACT: the contact or private list */
	const char *name, *addr;    /* the others: the directory's display name and address */
};

struct persona {
	unsigned char key[16];
	struct source *src;
	int nsrc, cap;
	int in_scope;               /* has a source in the folder (or the directory) FindPeople lists */
	int matches;                /* one of its sources matches the QueryString (or there is none) */
};

struct people {
	struct persona *v;
	int n, cap;
};

/* the properties of a persona a shape selects */
enum {
	PP_TYPE = 1 << 0, PP_CREATED = 1 << 1, PP_DISPLAY = 1 << 2, PP_FIRSTLAST = 1 << 3, PP_LASTFIRST = 1 << 4,
	PP_FILEAS = 1 << 5, PP_FILEASID = 1 << 6, PP_GIVEN = 1 << 7, PP_SURNAME = 1 << 8, PP_COMPANY = 1 << 9,
	PP_EMAIL = 1 << 10, PP_EMAILS = 1 << 11, PP_RELEVANCE = 1 << 12, PP_ATTRIBUTIONS = 1 << 13,
	PP_DISPLAYNAMES = 1 << 14, PP_FILEASES = 1 << 15, PP_FILEASIDS = 1 << 16, PP_GIVENNAMES = 1 << 17,
	PP_SURNAMES = 1 << 18, PP_EMAILS1 = 1 << 19, PP_COMPANYNAMES = 1 << 20,
};
/* Default: what the FindPeople page's persona shows, with PersonaType and CompanyName */
#define PP_DEFAULT (PP_TYPE | PP_CREATED | PP_DISPLAY | PP_FIRSTLAST | PP_LASTFIRST | PP_FILEAS | PP_GIVEN | \
		    PP_SURNAME | PP_COMPANY | PP_EMAIL | PP_EMAILS | PP_RELEVANCE)
#define PP_ALL 0x1fffff

static const struct {
	const char *uri;
	unsigned bit;
} fields[] = {
	{ "persona:PersonaId", 0 }, { "persona:PersonaType", PP_TYPE }, { "persona:CreationTime", PP_CREATED },
	{ "persona:DisplayName", PP_DISPLAY }, { "persona:FileAs", PP_FILEAS }, { "persona:FileAsId", PP_FILEASID },
	{ "persona:GivenName", PP_GIVEN }, { "persona:Surname", PP_SURNAME }, { "persona:CompanyName", PP_COMPANY },
	{ "persona:EmailAddress", PP_EMAIL }, { "persona:EmailAddresses", PP_EMAILS },
	{ "persona:RelevanceScore", PP_RELEVANCE }, { "persona:Attributions", PP_ATTRIBUTIONS },
	{ "persona:DisplayNames", PP_DISPLAYNAMES }, { "persona:FileAses", PP_FILEASES },
	{ "persona:FileAsIds", PP_FILEASIDS }, { "persona:GivenNames", PP_GIVENNAMES },
	{ "persona:Surnames", PP_SURNAMES }, { "persona:Emails1", PP_EMAILS1 },
	{ "persona:CompanyNames", PP_COMPANYNAMES },
};

/* ---- sources ---- */

static const char *src_display(const struct source *s)
{
	return s->kind == SRC_CONTACT ? s->item.subject : s->name;
}

static const char *src_addr(const struct source *s)
{
	const char *a = s->kind == SRC_CONTACT ? (s->item.kind == EWSD_CONTACT ? s->item.email : NULL) : s->addr;
	return a && *a ? a : NULL;
}

static const char *nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

static const char *src_given(const struct source *s)
{
	return s->kind == SRC_CONTACT ? nonempty(s->item.given_name) : NULL;
}

static const char *src_surname(const struct source *s)
{
	return s->kind == SRC_CONTACT ? nonempty(s->item.surname) : NULL;
}

static const char *src_company(const struct source *s)
{
	return s->kind == SRC_CONTACT ? nonempty(s->item.company) : NULL;
}

/* "Surname, GivenName" when the source has both (Outlook's default FileAs), else its display name */
static const char *src_file_as(struct soap *soap, const struct source *s)
{
	const char *g = src_given(s), *n = src_surname(s);
	if (!g || !n)
		return nonempty(src_display(s));
	char *v = soap_malloc(soap, strlen(g) + strlen(n) + 3);
	if (v)
		sprintf(v, "%s, %s", n, g);
	return v;
}

static const char *src_file_as_id(const struct source *s)
{
	return s->kind == SRC_CONTACT && s->item.kind == EWSD_CONTACT ? "None" : NULL;
}

static void key_of(const char *what, const char *value, unsigned char key[16])
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	size_t n = strlen(what) + strlen(value);
	char *s = malloc(n + 1);
	if (!s) {   /* no key to find it by: a key nobody has */
		memset(key, 0, 16);
		return;
	}
	strcpy(s, what);
	strcat(s, value);
	for (char *p = s + strlen(what); *p; p++)
		*p = (char)tolower((unsigned char)*p);
	SHA256((const unsigned char *)s, n, md);
	free(s);
	memcpy(key, md, 16);
}

static void add_source(struct soap *soap, struct people *pp, const struct source *s, int in_scope, const char *query)
{
	unsigned char key[16];
	const char *addr = src_addr(s);
	if (addr) {
		key_of("smtp:", addr, key);
	} else {
		char id[32];
		snprintf(id, sizeof id, "%lld", (long long)s->item.id);
		key_of("item:", id, key);
	}
	struct persona *p = NULL;
	for (int i = 0; i < pp->n && !p; i++)
		if (!memcmp(pp->v[i].key, key, 16))
			p = &pp->v[i];
	if (!p) {
		if (pp->n == pp->cap) {
			int cap = pp->cap ? pp->cap * 2 : 16;
			struct persona *v = ewsd_zalloc(soap, sizeof *v * (size_t)cap);
			if (!v)
				return;
			if (pp->n)
				memcpy(v, pp->v, sizeof *v * (size_t)pp->n);
			pp->v = v;
			pp->cap = cap;
		}
		p = &pp->v[pp->n++];
		memcpy(p->key, key, 16);
	}
	if (p->nsrc == p->cap) {
		int cap = p->cap ? p->cap * 2 : 2;
		struct source *v = ewsd_zalloc(soap, sizeof *v * (size_t)cap);
		if (!v)
			return;
		if (p->nsrc)
			memcpy(v, p->src, sizeof *v * (size_t)p->nsrc);
		p->src = v;
		p->cap = cap;
	}
	p->src[p->nsrc++] = *s;
	p->in_scope |= in_scope;
	p->matches |= !query || ewsd_name_matches(query, src_display(s), src_given(s), src_surname(s), src_addr(s));
}

/* Every persona of the mailbox. folder: the contacts folder listed (its personas are in scope), NULL with directory
 * set for the directory's. A persona matches query (NULL: all) when one of its sources does: "adams" finds the
 * directory's terry@ when the user's contact of that address is Terry Adams. */
static const char *load_people(struct soap *soap, const struct ewsd_folder *folder, int directory, const char *query,
			       struct people *out)
{
	struct ewsd_request *rq = ewsd_req(soap);
	sqlite3_stmt *st;
	memset(out, 0, sizeof *out);
	/* contacts first: a persona's first source gives its single values, and Exchange prefers the user's own */
	if (sqlite3_prepare_v2(rq->db, "SELECT " EWSD_ITEM_COLS " FROM items WHERE mailbox_id=? AND kind IN (3,5) AND "
			       "is_associated=0 AND folder_id IN (SELECT id FROM folders WHERE mailbox_id=? AND "
			       "folder_class LIKE 'IPF.Contact%') ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return "ErrorInternalServerError";
	sqlite3_bind_int64(st, 1, rq->mailbox_id);
	sqlite3_bind_int64(st, 2, rq->mailbox_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct source s = { .kind = SRC_CONTACT };
		ewsd_item_from_row(soap, st, 0, &s.item);
		add_source(soap, out, &s, folder && s.item.folder_id == folder->id, query);
	}
	sqlite3_finalize(st);
	const char **names, **addrs;
	int n = ewsd_directory_lookup(soap, NULL, &names, &addrs);
	for (int i = 0; i < n; i++) {
		struct source s = { .kind = SRC_DIRECTORY, .name = names[i], .addr = addrs[i] };
		add_source(soap, out, &s, directory, query);
	}
	if (sqlite3_prepare_v2(rq->db, "SELECT 3, name, smtp FROM room_lists UNION ALL SELECT 2, name, smtp FROM rooms "
			       "ORDER BY 1 DESC, 3", -1, &st, NULL) != SQLITE_OK)
		return "ErrorInternalServerError";
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct source s = { .kind = sqlite3_column_int(st, 0) };
		s.name = soap_strdup(soap, (const char *)sqlite3_column_text(st, 1));
		s.addr = soap_strdup(soap, (const char *)sqlite3_column_text(st, 2));
		if (s.addr)
			add_source(soap, out, &s, directory, query);
	}
	sqlite3_finalize(st);
	return NULL;
}

/* ---- persona values ---- */

typedef const char *(*getter)(const struct source *);

static const char *first(const struct persona *p, getter g)
{
	for (int i = 0; i < p->nsrc; i++)
		if (g(&p->src[i]))
			return g(&p->src[i]);
	return NULL;
}

static const char *display(const struct persona *p)
{
	const char *d = first(p, src_display);
	return d ? d : "";
}

static const char *type_name(const struct persona *p)
{
	for (int i = 0; i < p->nsrc; i++) {
		if (p->src[i].kind == SRC_ROOM)
			return "Room";
		if (p->src[i].kind == SRC_ROOM_LIST || (p->src[i].kind == SRC_CONTACT && p->src[i].item.kind == EWSD_DISTLIST))
			return "DistributionList";
	}
	return "Person";
}

/* "GivenName Surname" (or reversed) when the persona has both, else its display name */
static const char *full_name(struct soap *soap, const struct persona *p, int last_first)
{
	const char *g = first(p, src_given), *n = first(p, src_surname);
	if (!g || !n)
		return display(p);
	char *v = soap_malloc(soap, strlen(g) + strlen(n) + 2);
	if (v)
		sprintf(v, "%s %s", last_first ? n : g, last_first ? g : n);
	return v;
}

static char *persona_id_text(struct soap *soap, const unsigned char key[16])
{
	char guid[37], *out = NULL;
	unsigned char k[16];
	memcpy(k, key, 16);
	snprintf(guid, sizeof guid, "%s", ewsd_req(soap)->mailbox_guid);
	ews_id id = { .source_format = EWS_ID_EWS_ID, .entry_id = k, .entry_id_len = 16,
		      .storage = EWS_ID_STORAGE_CONVERSATION, .instruction = EWS_ID_INSTR_NORMAL, .moniker = guid,
		      .object_type = -1 };
	if (!ews_ok(ews_id_write(&id, EWS_ID_EWS_ID, guid, &out)))
		return NULL;
	char *s = soap_strdup(soap, out);
	free(out);
	return s;
}

/* The directory's object id for an address: storage type 5 around the address's key */
static char *ad_object_id(struct soap *soap, const char *addr)
{
	unsigned char k[16];
	char *out = NULL;
	key_of("ad:", addr, k);
	ews_id id = { .source_format = EWS_ID_EWS_ID, .entry_id = k, .entry_id_len = 16,
		      .storage = EWS_ID_STORAGE_AD_OBJECT, .instruction = EWS_ID_INSTR_NONE, .object_type = -1 };
	if (!ews_ok(ews_id_write(&id, EWS_ID_EWS_ID, NULL, &out)))
		return NULL;
	char *s = soap_strdup(soap, out);
	free(out);
	return s;
}

static enum xsd__boolean *boolean(struct soap *soap, int v)
{
	enum xsd__boolean *b = soap_malloc(soap, sizeof *b);
	if (b)
		*b = v ? xsd__boolean__true_ : xsd__boolean__false_;
	return b;
}

static struct ewstype__ArrayOfPersonaAttributionsType *attributions(struct soap *soap, const struct persona *p)
{
	struct ewstype__ArrayOfPersonaAttributionsType *a = EWSD_NEW(soap, struct ewstype__ArrayOfPersonaAttributionsType);
	a->Attribution = ewsd_zalloc(soap, sizeof *a->Attribution * (size_t)p->nsrc);
	a->__sizeAttribution = p->nsrc;
	for (int i = 0; i < p->nsrc; i++) {
		struct ewstype__PersonaAttributionType *t = &a->Attribution[i];
		const struct source *s = &p->src[i];
		char n[16];
		snprintf(n, sizeof n, "%d", i);
		t->Id = soap_strdup(soap, n);
		t->IsQuickContact = boolean(soap, 0);
		t->IsHidden = boolean(soap, 0);
		if (s->kind == SRC_CONTACT) {
			struct ewsd_folder f;
			t->SourceId = ewsd_item_id(soap, &s->item);
			t->DisplayName = "Outlook";
			t->IsWritable = boolean(soap, 1);
			if (!ewsd_folder_get(soap, ewsd_req(soap)->db, s->item.folder_id, &f))
				t->FolderId = ewsd_folder_id(soap, &f);
		} else {
			t->SourceId = EWSD_NEW(soap, struct ewstype__ItemIdType);
			t->SourceId->Id = ad_object_id(soap, s->addr);
			t->DisplayName = "GAL";
			t->IsWritable = boolean(soap, 0);
		}
	}
	return a;
}

/* The distinct values a getter finds in the sources, each with the attributions it comes from. */
struct attributed {
	const char *value[64];
	struct ewstype__ArrayOfValueAttributionsType *from[64];
	int n;
};

static void collect(struct soap *soap, const struct persona *p, const char *(*get)(struct soap *, const struct source *),
		    struct attributed *out)
{
	out->n = 0;
	for (int i = 0; i < p->nsrc; i++) {
		const char *v = get(soap, &p->src[i]);
		int k = 0;
		if (!v)
			continue;
		while (k < out->n && strcmp(out->value[k], v))
			k++;
		if (k == out->n) {
			if (out->n == 64)
				continue;
			out->value[k] = v;
			out->from[k] = EWSD_NEW(soap, struct ewstype__ArrayOfValueAttributionsType);
			out->from[k]->Attribution = ewsd_zalloc(soap, sizeof(char *) * (size_t)p->nsrc);
			out->n++;
		}
		char n[16];
		snprintf(n, sizeof n, "%d", i);
		out->from[k]->Attribution[out->from[k]->__sizeAttribution++] = soap_strdup(soap, n);
	}
}

static struct ewstype__ArrayOfStringAttributedValuesType *strings(struct soap *soap, const struct persona *p,
								  const char *(*get)(struct soap *, const struct source *))
{
	struct attributed a;
	collect(soap, p, get, &a);
	if (!a.n)
		return NULL;
	struct ewstype__ArrayOfStringAttributedValuesType *v = EWSD_NEW(soap, struct ewstype__ArrayOfStringAttributedValuesType);
	v->StringAttributedValue = ewsd_zalloc(soap, sizeof *v->StringAttributedValue * (size_t)a.n);
	v->__sizeStringAttributedValue = a.n;
	for (int i = 0; i < a.n; i++) {
		v->StringAttributedValue[i].Value = soap_strdup(soap, a.value[i]);
		v->StringAttributedValue[i].Attributions = a.from[i];
	}
	return v;
}

/* getters with the soap context collect() passes */
static const char *g_display(struct soap *soap, const struct source *s) { (void)soap; return nonempty(src_display(s)); }
static const char *g_given(struct soap *soap, const struct source *s) { (void)soap; return src_given(s); }
static const char *g_surname(struct soap *soap, const struct source *s) { (void)soap; return src_surname(s); }
static const char *g_company(struct soap *soap, const struct source *s) { (void)soap; return src_company(s); }
static const char *g_file_as_id(struct soap *soap, const struct source *s) { (void)soap; return src_file_as_id(s); }
static const char *g_addr(struct soap *soap, const struct source *s) { (void)soap; return src_addr(s); }

/* The address as the reference pages show it: Name is the address itself */
static struct ewstype__EmailAddressType *smtp_address(struct soap *soap, const char *addr)
{
	struct ewstype__EmailAddressType *e = EWSD_NEW(soap, struct ewstype__EmailAddressType);
	e->Name = soap_strdup(soap, addr);
	e->EmailAddress = soap_strdup(soap, addr);
	e->RoutingType = "SMTP";
	return e;
}

static struct ewstype__PersonaType *make_persona(struct soap *soap, const struct persona *p, unsigned props)
{
	struct ewstype__PersonaType *t = EWSD_NEW(soap, struct ewstype__PersonaType);
	t->PersonaId = EWSD_NEW(soap, struct ewstype__ItemIdType);
	t->PersonaId->Id = persona_id_text(soap, p->key);
	if (props & PP_TYPE)
		t->PersonaType = (char *)type_name(p);
	if (props & PP_CREATED)
		for (int i = 0; i < p->nsrc && !t->CreationTime; i++)
			if (p->src[i].kind == SRC_CONTACT && nonempty(p->src[i].item.created))
				t->CreationTime = soap_strdup(soap, p->src[i].item.created);
	if (props & PP_DISPLAY)
		t->DisplayName = soap_strdup(soap, display(p));
	if (props & PP_FIRSTLAST)
		t->DisplayNameFirstLast = (char *)full_name(soap, p, 0);
	if (props & PP_LASTFIRST)
		t->DisplayNameLastFirst = (char *)full_name(soap, p, 1);
	if (props & PP_FILEAS)
		for (int i = 0; i < p->nsrc && !t->FileAs; i++)
			t->FileAs = (char *)src_file_as(soap, &p->src[i]);
	if (props & PP_FILEASID)
		t->FileAsId = (char *)first(p, src_file_as_id);
	if (props & PP_GIVEN)
		t->GivenName = soap_strdup(soap, first(p, src_given));
	if (props & PP_SURNAME)
		t->Surname = soap_strdup(soap, first(p, src_surname));
	if (props & PP_COMPANY)
		t->CompanyName = soap_strdup(soap, first(p, src_company));
	const char *addr = first(p, src_addr);
	if ((props & PP_EMAIL) && addr)
		t->EmailAddress = smtp_address(soap, addr);
	struct attributed a;
	collect(soap, p, g_addr, &a);
	if ((props & PP_EMAILS) && a.n) {
		t->EmailAddresses = EWSD_NEW(soap, struct ewstype__ArrayOfEmailAddressesType);
		t->EmailAddresses->Address = ewsd_zalloc(soap, sizeof *t->EmailAddresses->Address * (size_t)a.n);
		t->EmailAddresses->__sizeAddress = a.n;
		for (int i = 0; i < a.n; i++)
			t->EmailAddresses->Address[i] = *smtp_address(soap, a.value[i]);
	}
	if (props & PP_RELEVANCE) {   /* what the FindPeople page shows; ewsd does not rank */
		t->RelevanceScore = soap_malloc(soap, sizeof(int));
		*t->RelevanceScore = INT_MAX;
	}
	if (props & PP_ATTRIBUTIONS)
		t->Attributions = attributions(soap, p);
	if (props & PP_DISPLAYNAMES)
		t->DisplayNames = strings(soap, p, g_display);
	if (props & PP_FILEASES)
		t->FileAses = strings(soap, p, src_file_as);
	if (props & PP_FILEASIDS)
		t->FileAsIds = strings(soap, p, g_file_as_id);
	if (props & PP_GIVENNAMES)
		t->GivenNames = strings(soap, p, g_given);
	if (props & PP_SURNAMES)
		t->Surnames = strings(soap, p, g_surname);
	if ((props & PP_EMAILS1) && a.n) {
		t->Emails1 = EWSD_NEW(soap, struct ewstype__ArrayOfEmailAddressAttributedValuesType);
		t->Emails1->EmailAddressAttributedValue =
			ewsd_zalloc(soap, sizeof *t->Emails1->EmailAddressAttributedValue * (size_t)a.n);
		t->Emails1->__sizeEmailAddressAttributedValue = a.n;
		for (int i = 0; i < a.n; i++) {
			t->Emails1->EmailAddressAttributedValue[i].Value = smtp_address(soap, a.value[i]);
			t->Emails1->EmailAddressAttributedValue[i].Attributions = a.from[i];
		}
	}
	if (props & PP_COMPANYNAMES)
		t->CompanyNames = strings(soap, p, g_company);
	return t;
}

/* ---- request parts ---- */

/* The properties a PersonaShape selects (Default without one). NULL or the ResponseCode. */
static const char *shape_props(struct soap *soap, const struct ewstype__PersonaResponseShapeType *shape, unsigned *out)
{
	*out = !shape ? PP_DEFAULT : shape->BaseShape == ewstype__DefaultShapeNamesType__IdOnly ? 0
		: shape->BaseShape == ewstype__DefaultShapeNamesType__Default ? PP_DEFAULT : PP_ALL;
	const struct ewstype__NonEmptyArrayOfPathsToElementType *ap = shape ? shape->AdditionalProperties : NULL;
	for (int i = 0; ap && i < ap->__size_NonEmptyArrayOfPathsToElementType; i++) {
		const struct __ewstype__union_NonEmptyArrayOfPathsToElementType *u = &ap->__union_NonEmptyArrayOfPathsToElementType[i];
		if (u->__union_NonEmptyArrayOfPathsToElementType != SOAP_UNION__ewstype__union_NonEmptyArrayOfPathsToElementType_FieldURI ||
		    !u->union_NonEmptyArrayOfPathsToElementType.FieldURI)
			return "ErrorInvalidPropertyRequest";
		const char *uri = soap_ewstype__UnindexedFieldURIType2s(soap, u->union_NonEmptyArrayOfPathsToElementType.FieldURI->FieldURI);
		if (!uri || strncmp(uri, "persona:", 8))
			return "ErrorInvalidPropertyRequest";
		for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
			if (!strcmp(fields[k].uri, uri))
				*out |= fields[k].bit;
		/* a persona property ewsd does not keep (Title, phones ...) is absent, as on a persona without it */
	}
	return NULL;
}

/* SortOrder: the persona's string fields, compared without case, then by display name. */
struct sort_key {
	const char *(*get)(struct soap *, const struct persona *);
	int descending;
};
static _Thread_local const struct sort_key *sort_keys;
static _Thread_local int nsort_keys;
static _Thread_local struct soap *sort_soap;

static const char *k_display(struct soap *soap, const struct persona *p) { (void)soap; return display(p); }
static const char *k_given(struct soap *soap, const struct persona *p) { (void)soap; return first(p, src_given); }
static const char *k_surname(struct soap *soap, const struct persona *p) { (void)soap; return first(p, src_surname); }
static const char *k_company(struct soap *soap, const struct persona *p) { (void)soap; return first(p, src_company); }
static const char *k_addr(struct soap *soap, const struct persona *p) { (void)soap; return first(p, src_addr); }
static const char *k_file_as(struct soap *soap, const struct persona *p)
{
	for (int i = 0; i < p->nsrc; i++)
		if (src_file_as(soap, &p->src[i]))
			return src_file_as(soap, &p->src[i]);
	return NULL;
}

static const struct {
	const char *uri;
	const char *(*get)(struct soap *, const struct persona *);
} sortable[] = {
	{ "persona:DisplayName", k_display }, { "persona:GivenName", k_given }, { "persona:Surname", k_surname },
	{ "persona:CompanyName", k_company }, { "persona:EmailAddress", k_addr }, { "persona:FileAs", k_file_as },
};

static int by_keys(const void *a, const void *b)
{
	const struct persona *x = *(const struct persona *const *)a, *y = *(const struct persona *const *)b;
	for (int i = 0; i < nsort_keys; i++) {
		const char *s = sort_keys[i].get(sort_soap, x), *t = sort_keys[i].get(sort_soap, y);
		int c = strcasecmp(s ? s : "", t ? t : "");
		if (c)
			return sort_keys[i].descending ? -c : c;
	}
	int c = strcasecmp(display(x), display(y));
	return c ? c : memcmp(x->key, y->key, 16);
}

static const char *sort_order(struct soap *soap, const struct ewstype__NonEmptyArrayOfFieldOrdersType *o,
			      struct sort_key *keys, int *n)
{
	*n = 0;
	for (int i = 0; o && i < o->__sizeFieldOrder && *n < 8; i++) {
		const struct ewstype__FieldOrderType *f = &o->FieldOrder[i];
		const char *uri = f->__union_FieldOrderType == SOAP_UNION__ewstype__union_FieldOrderType_FieldURI &&
					  f->union_FieldOrderType.FieldURI
				  ? soap_ewstype__UnindexedFieldURIType2s(soap, f->union_FieldOrderType.FieldURI->FieldURI)
				  : NULL;
		size_t k = 0;
		while (uri && k < sizeof sortable / sizeof sortable[0] && strcmp(sortable[k].uri, uri))
			k++;
		if (!uri || k == sizeof sortable / sizeof sortable[0])
			return "ErrorUnsupportedPathForSortGroup";
		keys[*n].get = sortable[k].get;
		keys[*n].descending = f->Order == ewstype__SortDirectionType__Descending;
		(*n)++;
	}
	return NULL;
}

/* The folder listed: NULL with *directory set for the directory. NULL or the ResponseCode. */
static const char *parent_folder(struct soap *soap, struct ewstype__TargetFolderIdType *t, struct ewsd_folder *f,
				 int *directory)
{
	struct ewsd_request *rq = ewsd_req(soap);
	*directory = 0;
	if (!t)
		return ewsd_folder_distinguished(soap, rq->db, rq->mailbox_id, "contacts", f) ? "ErrorFolderNotFound" : NULL;
	if (t->__union_TargetFolderIdType == SOAP_UNION__ewstype__union_TargetFolderIdType_DistinguishedFolderId &&
	    t->union_TargetFolderIdType.DistinguishedFolderId &&
	    t->union_TargetFolderIdType.DistinguishedFolderId->Id == ewstype__DistinguishedFolderIdNameType__directory) {
		*directory = 1;
		return NULL;
	}
	const char *err = ewsd_resolve_target(soap, t, f);
	if (err)
		return err;
	if (!f->folder_class || strncmp(f->folder_class, "IPF.Contact", 11))
		return "ErrorInvalidFolderTypeForOperation";
	return NULL;
}

/* A request without RequestServerVersion is Exchange2007's (ewsd_begin_op) */
static int version_2013(struct soap *soap)
{
	return ewsd_req(soap)->version >= ewsd_version_index("Exchange2013");
}

/* ---- FindPeople ---- */

static const char *find_people(struct soap *soap, struct ewsmsg__FindPeopleType *req,
			       struct ewsmsg__FindPeopleResponseMessageType *r, const char **text)
{
	struct ewstype__IndexedPageViewType *view = req->IndexedPageItemView;
	struct sort_key keys[8];
	struct ewsd_folder folder;
	struct people pp;
	int nkeys, directory;
	unsigned props;
	const char *err;
	const char *query = req->QueryString;
	while (query && *query == ' ')
		query++;
	if (query && !*query)
		query = NULL;

	if (ewsd_req(soap)->fault_busy_msg)
		return "ErrorServerBusy";
	if (view && (view->Offset < 0 || (view->MaxEntriesReturned && *view->MaxEntriesReturned < 1)))
		return "ErrorInvalidIndexedPagingParameters";
	if ((err = shape_props(soap, req->PersonaShape, &props)) || (err = sort_order(soap, req->SortOrder, keys, &nkeys)))
		return err;
	/* what ewsd does not do is refused, never ignored (false is the default behaviour of the two flags) */
	const char *filter = req->Restriction ? "a Restriction" : req->AggregationRestriction ? "an AggregationRestriction"
			     : req->TopicQueryString ? "a TopicQueryString" : NULL;
	if (filter) {
		char *t = soap_malloc(soap, 96);
		if (t)
			snprintf(t, 96, "ewsd does not evaluate %s on personas; use QueryString.", filter);
		*text = t;
		return "ErrorUnsupportedQueryFilter";
	}
	if (req->SearchPeopleSuggestionIndex && *req->SearchPeopleSuggestionIndex == xsd__boolean__true_) {
		*text = "ewsd keeps no people suggestion index.";
		return "ErrorInvalidArgument";
	}
#ifdef EWS_HAS_ewsmsg__FindPeopleType_ReturnFlattenedResults    /* newer than the Exchange2016 set */
	if (req->ReturnFlattenedResults && *req->ReturnFlattenedResults == xsd__boolean__true_) {
		*text = "ewsd always returns personas joined by address, not flattened results.";
		return "ErrorInvalidArgument";
	}
#endif
	if ((err = parent_folder(soap, req->ParentFolderId, &folder, &directory)))
		return err;
	if (directory && !query) {   /* the FindPeople page: the GAL is searched, never browsed */
		*text = "A QueryString is required to search the directory.";
		return "ErrorInvalidArgument";
	}
	if ((err = load_people(soap, directory ? NULL : &folder, directory, query, &pp)))
		return err;

	struct persona **list = ewsd_zalloc(soap, sizeof *list * (size_t)(pp.n + 1));
	int total = 0;
	for (int i = 0; i < pp.n; i++)
		if (pp.v[i].in_scope && pp.v[i].matches)
			list[total++] = &pp.v[i];
	sort_keys = keys;
	nsort_keys = nkeys;
	sort_soap = soap;
	if (total > 1)
		qsort(list, (size_t)total, sizeof *list, by_keys);

	/* the window, as FindItem's indexed view: from the start, or ending Offset rows before the end */
	int max = view && view->MaxEntriesReturned ? *view->MaxEntriesReturned : ewsd_cfg.max_page;
	int off = view ? view->Offset : 0, start, count;
	if (max > ewsd_cfg.max_page)
		max = ewsd_cfg.max_page;
	if (view && view->BasePoint == ewstype__IndexBasePointType__End) {
		int end = total - off > 0 ? total - off : 0;
		start = end - max > 0 ? end - max : 0;
		count = end - start;
	} else {
		start = off < total ? off : total;
		count = total - start < max ? total - start : max;
	}
	struct ewstype__ArrayOfPeopleType *people = EWSD_NEW(soap, struct ewstype__ArrayOfPeopleType);
	people->__union_ArrayOfPeopleType = ewsd_zalloc(soap, sizeof *people->__union_ArrayOfPeopleType * (size_t)(count + 1));
	people->__size_ArrayOfPeopleType = count;
	for (int i = 0; i < count; i++) {
		people->__union_ArrayOfPeopleType[i].__union_ArrayOfPeopleType = SOAP_UNION__ewstype__union_ArrayOfPeopleType_Persona;
		people->__union_ArrayOfPeopleType[i].union_ArrayOfPeopleType.Persona = make_persona(soap, list[start + i], props);
	}
	r->People = people;
	r->TotalNumberOfPeopleInView = soap_malloc(soap, sizeof(int));
	*r->TotalNumberOfPeopleInView = total;
	if (!query) {   /* browsing a folder: where the page starts (a search answers its total only, as the page) */
		r->FirstMatchingRowIndex = soap_malloc(soap, sizeof(int));
		*r->FirstMatchingRowIndex = start;
		r->FirstLoadedRowIndex = soap_malloc(soap, sizeof(int));
		*r->FirstLoadedRowIndex = start;
	}
	return NULL;
}

int __ewsmsg__FindPeople(struct soap *soap, struct ewsmsg__FindPeopleType *req,
			 struct __ewsmsg__FindPeopleResponse *resp)
{
	int rc = ewsd_begin_op(soap, "FindPeople", req);
	if (rc)
		return rc;
	if (!version_2013(soap))
		return ewsd_version_fault(soap);
	struct ewsmsg__FindPeopleResponseMessageType *r = EWSD_NEW(soap, struct ewsmsg__FindPeopleResponseMessageType);
	resp->ewsmsg__FindPeopleResponse = r;
	const char *text = NULL;
	const char *err = find_people(soap, req, r, &text);
	EWSD_SET_RESULT(soap, r, FindPeopleResponseMessageType, err ? err : "NoError");
	if (err) {
		r->People = NULL;
		r->TotalNumberOfPeopleInView = r->FirstMatchingRowIndex = r->FirstLoadedRowIndex = NULL;
		if (text)
			r->__FindPeopleResponseMessageType_sequence->MessageText = (char *)text;
		if (!strcmp(err, "ErrorServerBusy")) {
			char ms[32];
			snprintf(ms, sizeof ms, "%d", ewsd_fault_get(&ewsd_faults.backoff_ms));
			EWSD_SET_VALUE(soap, r, FindPeopleResponseMessageType, "BackOffMilliseconds", ms);
		}
	}
	return SOAP_OK;
}

/* ---- GetPersona ---- */

/* The key of a PersonaId: 0, -1 malformed, 1 another mailbox's. */
static int persona_key(struct soap *soap, const char *text, unsigned char key[16])
{
	ews_id *id = NULL;
	int rc = -1;
	if (!text || !*text || !ews_ok(ews_id_parse(text, EWS_ID_EWS_ID, &id)))
		return -1;
	if (id->storage == EWS_ID_STORAGE_CONVERSATION && id->entry_id_len == 16 && id->moniker) {
		memcpy(key, id->entry_id, 16);
		rc = strcasecmp(id->moniker, ewsd_req(soap)->mailbox_guid) ? 1 : 0;
	}
	ews_id_free(id);
	return rc;
}

static const char *get_persona(struct soap *soap, struct ewsmsg__GetPersonaType *req, struct ewstype__PersonaType **out)
{
	unsigned char key[16];
	struct people pp;
	const char *err;
	if (ewsd_req(soap)->fault_busy_msg)
		return "ErrorServerBusy";
	if (req->PersonaId) {
		int k = persona_key(soap, req->PersonaId->Id, key);
		if (k < 0)
			return "ErrorInvalidIdMalformed";
		if (k > 0)
			return "ErrorItemNotFound";
	} else if (req->EmailAddress && nonempty(req->EmailAddress->EmailAddress)) {
		key_of("smtp:", req->EmailAddress->EmailAddress, key);
	} else {
		return "ErrorInvalidRequest";
	}
	if ((err = load_people(soap, NULL, 0, NULL, &pp)))
		return err;
	for (int i = 0; i < pp.n; i++)
		if (!memcmp(pp.v[i].key, key, 16)) {
			*out = make_persona(soap, &pp.v[i], PP_ALL);
			return NULL;
		}
	return "ErrorItemNotFound";
}

int __ewsmsg__GetPersona(struct soap *soap, struct ewsmsg__GetPersonaType *req,
			 struct __ewsmsg__GetPersonaResponse *resp)
{
	int rc = ewsd_begin_op(soap, "GetPersona", req);
	if (rc)
		return rc;
	if (!version_2013(soap))
		return ewsd_version_fault(soap);
	struct ewsmsg__GetPersonaResponseMessageType *r = EWSD_NEW(soap, struct ewsmsg__GetPersonaResponseMessageType);
	resp->ewsmsg__GetPersonaResponseMessage = r;
	struct ewstype__PersonaType *p = NULL;
	const char *err = get_persona(soap, req, &p);
	EWSD_SET_RESULT(soap, r, GetPersonaResponseMessageType, err ? err : "NoError");
	r->Persona = p;
	if (err && !strcmp(err, "ErrorServerBusy")) {
		char ms[32];
		snprintf(ms, sizeof ms, "%d", ewsd_fault_get(&ewsd_faults.backoff_ms));
		EWSD_SET_VALUE(soap, r, GetPersonaResponseMessageType, "BackOffMilliseconds", ms);
	}
	return SOAP_OK;
}

#endif /* SOAP_TYPE_ewsmsg__FindPeopleType */
