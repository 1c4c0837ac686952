/* item_props.c — the item properties ewsd keeps beside the columns of its items table, one row each in
 * item_props(item_id, name, value): Sensitivity, Culture, InReplyTo, ReminderIsSet, ReminderMinutesBeforeStart,
 * the calendar item's IsAllDayEvent, LegacyFreeBusyStatus and UID (a meeting request's too), and extended
 * properties (by tag, by property set + name or id; any MAPI type, arrays too). They are stored from CreateItem,
 * changed by UpdateItem's Set/Delete ItemField, copied with the item, and returned by GetItem/FindItem in
 * AllProperties (the first-class ones) or when AdditionalProperties names them (extended ones only then, as
 * Exchange).
 *
 * Every item type of the bindings starts with ItemType's members (wsdl2h flattens derived types, base first), and
 * CalendarItemType continues alike, so the common properties are read and written through those two structs. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/time.h>

#include "ewsd.h"

/* The first-class properties kept here: FieldURI, stored name, 1 when only a calendar item has it. */
static const struct {
	const char *uri, *name;
	int calendar;
} props[] = {
	{ "item:Sensitivity", "Sensitivity", 0 },
	{ "item:Culture", "Culture", 0 },
	{ "item:InReplyTo", "InReplyTo", 0 },
	{ "item:ReminderIsSet", "ReminderIsSet", 0 },
	{ "item:ReminderMinutesBeforeStart", "ReminderMinutesBeforeStart", 0 },
	{ "calendar:IsAllDayEvent", "IsAllDayEvent", 1 },
	{ "calendar:LegacyFreeBusyStatus", "LegacyFreeBusyStatus", 1 },
	/* read-only in EWS: set by AcceptItem, TentativelyAcceptItem, DeclineItem (op_respond.c) */
	{ "calendar:MyResponseType", "MyResponseType", 1 },
	/* the meeting's identity shared by the organizer's item and the attendees' copies (ewsd_uid_new) */
	{ "calendar:UID", "UID", 1 },
};
#define NPROPS (sizeof props / sizeof props[0])

int ewsd_prop_known(const char *uri)
{
	for (size_t i = 0; uri && i < NPROPS; i++)
		if (!strcmp(props[i].uri, uri))
			return 1;
	return 0;
}

/* The value of property i in an item of the request, as text; NULL when the item does not carry it. */
static const char *read_prop(struct soap *soap, size_t i, const struct ewstype__ItemType *it,
			     const struct ewstype__CalendarItemType *cal)
{
	const char *n = props[i].name;
	if (!strcmp(n, "Sensitivity"))
		return it->Sensitivity ? soap_ewstype__SensitivityChoicesType2s(soap, *it->Sensitivity) : NULL;
	if (!strcmp(n, "Culture"))
		return it->Culture;
	if (!strcmp(n, "InReplyTo"))
		return it->InReplyTo;
	if (!strcmp(n, "ReminderIsSet"))
		return it->ReminderIsSet ? (*it->ReminderIsSet == xsd__boolean__true_ ? "true" : "false") : NULL;
	if (!strcmp(n, "ReminderMinutesBeforeStart"))
		return it->ReminderMinutesBeforeStart;
	if (!cal)
		return NULL;
	if (!strcmp(n, "IsAllDayEvent"))
		return cal->IsAllDayEvent ? (*cal->IsAllDayEvent == xsd__boolean__true_ ? "true" : "false") : NULL;
	if (!strcmp(n, "LegacyFreeBusyStatus"))
		return cal->LegacyFreeBusyStatus ? soap_ewstype__LegacyFreeBusyType2s(soap, *cal->LegacyFreeBusyStatus) : NULL;
	if (!strcmp(n, "UID"))
		return cal->UID && *cal->UID ? cal->UID : NULL;
	return NULL;
}

static enum xsd__boolean *boolean(struct soap *soap, const char *v)
{
	enum xsd__boolean *b = soap_malloc(soap, sizeof *b);
	*b = !strcmp(v, "true") || !strcmp(v, "1") ? xsd__boolean__true_ : xsd__boolean__false_;
	return b;
}

/* Put a stored value into a response item; uid is where its UID goes (a calendar item's or a meeting request's),
 * NULL for an item type without one. */
static void write_prop(struct soap *soap, const char *n, const char *v, struct ewstype__ItemType *it,
		       struct ewstype__CalendarItemType *cal, char **uid)
{
	if (!strcmp(n, "UID")) {
		if (uid)
			*uid = soap_strdup(soap, v);
	} else if (!strcmp(n, "Sensitivity")) {
		enum ewstype__SensitivityChoicesType s;
		if (!soap_s2ewstype__SensitivityChoicesType(soap, v, &s)) {
			it->Sensitivity = soap_malloc(soap, sizeof s);
			*it->Sensitivity = s;
		}
		soap->error = SOAP_OK;
	} else if (!strcmp(n, "Culture")) {
		it->Culture = soap_strdup(soap, v);
	} else if (!strcmp(n, "InReplyTo")) {
		it->InReplyTo = soap_strdup(soap, v);
	} else if (!strcmp(n, "ReminderIsSet")) {
		it->ReminderIsSet = boolean(soap, v);
	} else if (!strcmp(n, "ReminderMinutesBeforeStart")) {
		it->ReminderMinutesBeforeStart = soap_strdup(soap, v);
	} else if (cal && !strcmp(n, "IsAllDayEvent")) {
		cal->IsAllDayEvent = boolean(soap, v);
	} else if (cal && !strcmp(n, "MyResponseType")) {
		enum ewstype__ResponseTypeType r;
		if (!soap_s2ewstype__ResponseTypeType(soap, v, &r)) {
			cal->MyResponseType = soap_malloc(soap, sizeof r);
			*cal->MyResponseType = r;
		}
		soap->error = SOAP_OK;
	} else if (cal && !strcmp(n, "LegacyFreeBusyStatus")) {
		enum ewstype__LegacyFreeBusyType s;
		if (!soap_s2ewstype__LegacyFreeBusyType(soap, v, &s)) {
			cal->LegacyFreeBusyStatus = soap_malloc(soap, sizeof s);
			*cal->LegacyFreeBusyStatus = s;
		}
		soap->error = SOAP_OK;
	}
}

char *ewsd_uid_new(struct soap *soap)
{
	/* MS-OXCICAL's EncodedGlobalId, as Exchange makes it: the ByteArrayID, no instance date, the creation time
	 * (a FILETIME, little-endian), 8 zero bytes of padding, the data size (16, little-endian) and 16 random bytes */
	static const char head[] = "040000008200E00074C5B7101A82E008" "00000000";
	unsigned char rnd[16];
	struct timeval tv;
	char *s = soap_malloc(soap, sizeof head - 1 + 16 + 16 + 8 + 32 + 1), *p;
	if (!s)
		return NULL;
	gettimeofday(&tv, NULL);
	uint64_t ft = ((uint64_t)tv.tv_sec + 11644473600u) * 10000000u + (uint64_t)tv.tv_usec * 10u;
	if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)      /* no entropy: still unique enough by time */
		for (size_t i = 0; i < sizeof rnd; i++)
			rnd[i] = (unsigned char)(rand() ^ (int)(ft >> (i % 8 * 8)));
	p = s + snprintf(s, sizeof head, "%s", head);
	for (int i = 0; i < 8; i++)
		p += sprintf(p, "%02X", (unsigned)(ft >> (8 * i)) & 0xffu);
	p += sprintf(p, "%s", "0000000000000000" "10000000");
	for (size_t i = 0; i < sizeof rnd; i++)
		p += sprintf(p, "%02X", rnd[i]);
	return s;
}

const char *ewsd_item_uid(struct soap *soap, sqlite3 *db, int64_t item_id)
{
	sqlite3_stmt *st = ewsd_stmt(db, "SELECT value FROM item_props WHERE item_id=? AND name='UID'");
	const char *uid = NULL;
	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, item_id);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) && *sqlite3_column_text(st, 0))
		uid = soap_strdup(soap, (const char *)sqlite3_column_text(st, 0));
	ewsd_stmt_done(db, st);
	return uid;
}

/* ---- extended properties ---- */

/* The stored name of an extended property: "x:" + its identity (tag, or property set + name/id) + type. Tags and
 * GUIDs are normalised (0x1A = 26 = 0x001a; GUIDs in any case) so the same property is found however it is
 * named. NULL when the path names no property. */
char *ewsd_prop_ext_key(struct soap *soap, const struct ewstype__PathToExtendedFieldType *p)
{
	char key[512];
	const char *type = p ? soap_ewstype__MapiPropertyTypeType2s(soap, p->PropertyType) : NULL;
	if (!p || !type)
		return NULL;
	if (p->PropertyTag) {
		char *end;
		long tag = strtol(p->PropertyTag, &end, 0);
		if (*end || tag < 0 || tag > 0xffff)
			return NULL;
		snprintf(key, sizeof key, "x:tag:0x%04lx:%s", tag, type);
	} else {
		char set[80];
		if (p->DistinguishedPropertySetId)
			snprintf(set, sizeof set, "%s", soap_ewstype__DistinguishedPropertySetType2s(soap, *p->DistinguishedPropertySetId));
		else if (p->PropertySetId) {
			snprintf(set, sizeof set, "%.64s", p->PropertySetId);
			for (char *c = set; *c; c++)
				*c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
		} else
			return NULL;
		if (p->PropertyName)
			snprintf(key, sizeof key, "x:set:%s:name:%.300s:%s", set, p->PropertyName, type);
		else if (p->PropertyId)
			snprintf(key, sizeof key, "x:set:%s:id:%d:%s", set, *p->PropertyId, type);
		else
			return NULL;
	}
	return soap_strdup(soap, key);
}

/* Value or Values of an ExtendedProperty as stored text: "1" + the value, or "*" + values separated by 0x1E. */
static char *ext_value(struct soap *soap, const struct ewstype__ExtendedPropertyType *e)
{
	if (e->__union_ExtendedPropertyType == SOAP_UNION__ewstype__union_ExtendedPropertyType_Value) {
		const char *v = e->union_ExtendedPropertyType.Value ? e->union_ExtendedPropertyType.Value : "";
		char *s = soap_malloc(soap, strlen(v) + 2);
		s[0] = '1';
		strcpy(s + 1, v);
		return s;
	}
	if (e->__union_ExtendedPropertyType == SOAP_UNION__ewstype__union_ExtendedPropertyType_Values &&
	    e->union_ExtendedPropertyType.Values) {
		const struct ewstype__NonEmptyArrayOfPropertyValuesType *a = e->union_ExtendedPropertyType.Values;
		size_t n = 2;
		for (int i = 0; i < a->__sizeValue; i++)
			n += strlen(a->Value[i] ? a->Value[i] : "") + 1;
		char *s = soap_malloc(soap, n);
		strcpy(s, "*");
		for (int i = 0; i < a->__sizeValue; i++) {
			if (i)
				strcat(s, "\x1e");
			strcat(s, a->Value[i] ? a->Value[i] : "");
		}
		return s;
	}
	return NULL;
}

static void ext_to_response(struct soap *soap, const char *stored, struct ewstype__ExtendedPropertyType *e)
{
	if (stored[0] == '*') {
		struct ewstype__NonEmptyArrayOfPropertyValuesType *a = EWSD_NEW(soap, struct ewstype__NonEmptyArrayOfPropertyValuesType);
		int n = 1;
		for (const char *c = stored + 1; *c; c++)
			n += *c == '\x1e';
		a->Value = soap_malloc(soap, sizeof *a->Value * (size_t)n);
		char *copy = soap_strdup(soap, stored + 1), *p = copy;
		for (int i = 0; i < n; i++) {
			char *sep = strchr(p, '\x1e');
			if (sep)
				*sep = '\0';
			a->Value[i] = p;
			p = sep ? sep + 1 : p + strlen(p);
		}
		a->__sizeValue = n;
		e->__union_ExtendedPropertyType = SOAP_UNION__ewstype__union_ExtendedPropertyType_Values;
		e->union_ExtendedPropertyType.Values = a;
	} else {
		e->__union_ExtendedPropertyType = SOAP_UNION__ewstype__union_ExtendedPropertyType_Value;
		e->union_ExtendedPropertyType.Value = soap_strdup(soap, stored + 1);
	}
}

/* ---- the store ---- */

static int put_row(sqlite3 *db, int64_t item, const char *name, const char *value)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(db, value ? "INSERT OR REPLACE INTO item_props(item_id,name,value) VALUES(?,?,?)"
					 : "DELETE FROM item_props WHERE item_id=? AND name=?", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, item);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	if (value)
		sqlite3_bind_text(st, 3, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

void ewsd_prop_changes_add(struct ewsd_prop_changes *pc, const char *name, const char *value)
{
	if (pc->n < (int)(sizeof pc->v / sizeof pc->v[0])) {
		pc->v[pc->n].name = name;
		pc->v[pc->n].value = value;
		pc->n++;
	}
}

int ewsd_prop_changes_apply(sqlite3 *db, int64_t item, const struct ewsd_prop_changes *pc)
{
	for (int i = 0; i < pc->n; i++)
		if (put_row(db, item, pc->v[i].name, pc->v[i].value))
			return -1;
	return 0;
}

void ewsd_props_from_item(struct soap *soap, const void *item, int calendar, struct ewsd_prop_changes *pc)
{
	const struct ewstype__ItemType *it = item;
	const struct ewstype__CalendarItemType *cal = calendar ? item : NULL;
	if (!it)
		return;
	for (size_t i = 0; i < NPROPS; i++) {
		const char *v = read_prop(soap, i, it, cal);
		if (v)
			ewsd_prop_changes_add(pc, props[i].name, v);
	}
	if (cal)        /* the meeting's Resources, which have no column (attendees.c) */
		ewsd_resources_from_item(soap, cal, pc);
	if (cal && !(cal->UID && *cal->UID))      /* a UID given is kept (above), else one is made */
		ewsd_prop_changes_add(pc, "UID", ewsd_uid_new(soap));
	for (int i = 0; i < it->__sizeExtendedProperty; i++) {
		char *key = ewsd_prop_ext_key(soap, it->ExtendedProperty[i].ExtendedFieldURI), *v;
		if (key && (v = ext_value(soap, &it->ExtendedProperty[i])))
			ewsd_prop_changes_add(pc, key, v);
	}
}

const char *ewsd_prop_set_field(struct soap *soap, const char *uri, const struct ewstype__PathToExtendedFieldType *ext,
				const void *item, int calendar, struct ewsd_prop_changes *pc)
{
	const struct ewstype__ItemType *it = item;
	if (!it)
		return "ErrorIncorrectUpdatePropertyCount";
	if (ext) {
		char *key = ewsd_prop_ext_key(soap, ext), *v = NULL;
		if (!key)
			return "ErrorInvalidExtendedPropertyValue";
		for (int i = 0; i < it->__sizeExtendedProperty && !v; i++) {
			char *k = ewsd_prop_ext_key(soap, it->ExtendedProperty[i].ExtendedFieldURI);
			if (k && !strcmp(k, key))
				v = ext_value(soap, &it->ExtendedProperty[i]);
		}
		if (!v)
			return "ErrorIncorrectUpdatePropertyCount";
		ewsd_prop_changes_add(pc, key, v);
		return NULL;
	}
	for (size_t i = 0; i < NPROPS; i++) {
		if (strcmp(props[i].uri, uri))
			continue;
		if ((props[i].calendar && !calendar) || !strcmp(props[i].name, "MyResponseType"))
			return "ErrorInvalidPropertySet";
		const char *v = read_prop(soap, i, it, calendar ? item : NULL);
		if (!v)
			return "ErrorIncorrectUpdatePropertyCount";
		ewsd_prop_changes_add(pc, props[i].name, v);
		return NULL;
	}
	return "ErrorInvalidPropertySet";
}

const char *ewsd_prop_delete_field(struct soap *soap, const char *uri, const struct ewstype__PathToExtendedFieldType *ext,
				   struct ewsd_prop_changes *pc)
{
	if (ext) {
		char *key = ewsd_prop_ext_key(soap, ext);
		if (!key)
			return "ErrorInvalidExtendedPropertyValue";
		ewsd_prop_changes_add(pc, key, NULL);
		return NULL;
	}
	for (size_t i = 0; i < NPROPS; i++)
		if (!strcmp(props[i].uri, uri)) {
			ewsd_prop_changes_add(pc, props[i].name, NULL);
			return NULL;
		}
	return "ErrorInvalidPropertyDelete";
}

static int shape_names(struct soap *soap, struct ewstype__ItemResponseShapeType *shape, const char *uri);

/* Is the stored name `name` asked for by the shape? first-class ones by AllProperties or their FieldURI,
 * extended ones only by an ExtendedFieldURI (which is returned as the client named it). */
static const struct ewstype__PathToExtendedFieldType *wanted(struct soap *soap, const char *name,
							     struct ewstype__ItemResponseShapeType *shape, int *yes)
{
	static const struct ewstype__PathToExtendedFieldType none;
	struct ewstype__NonEmptyArrayOfPathsToElementType *a = shape ? shape->AdditionalProperties : NULL;
	int ext = !strncmp(name, "x:", 2);
	*yes = !ext && shape && shape->BaseShape == ewstype__DefaultShapeNamesType__AllProperties;
	for (int i = 0; a && i < a->__size_NonEmptyArrayOfPathsToElementType; i++) {
		struct __ewstype__union_NonEmptyArrayOfPathsToElementType *u = &a->__union_NonEmptyArrayOfPathsToElementType[i];
		if (ext && u->__union_NonEmptyArrayOfPathsToElementType ==
				   SOAP_UNION__ewstype__union_NonEmptyArrayOfPathsToElementType_ExtendedFieldURI) {
			char *k = ewsd_prop_ext_key(soap, u->union_NonEmptyArrayOfPathsToElementType.ExtendedFieldURI);
			if (k && !strcmp(k, name)) {
				*yes = 1;
				return u->union_NonEmptyArrayOfPathsToElementType.ExtendedFieldURI;
			}
		} else if (!ext && u->__union_NonEmptyArrayOfPathsToElementType ==
					   SOAP_UNION__ewstype__union_NonEmptyArrayOfPathsToElementType_FieldURI &&
			   u->union_NonEmptyArrayOfPathsToElementType.FieldURI) {
			const char *uri = soap_ewstype__UnindexedFieldURIType2s(
				soap, u->union_NonEmptyArrayOfPathsToElementType.FieldURI->FieldURI);
			for (size_t k = 0; uri && k < NPROPS; k++)
				if (!strcmp(props[k].name, name) && !strcmp(props[k].uri, uri))
					*yes = 1;
		}
	}
	return &none;
}

static int shape_names(struct soap *soap, struct ewstype__ItemResponseShapeType *shape, const char *uri)
{
	struct ewstype__NonEmptyArrayOfPathsToElementType *a = shape ? shape->AdditionalProperties : NULL;
	if (shape && shape->BaseShape == ewstype__DefaultShapeNamesType__AllProperties)
		return 1;
	for (int i = 0; a && i < a->__size_NonEmptyArrayOfPathsToElementType; i++) {
		struct __ewstype__union_NonEmptyArrayOfPathsToElementType *u = &a->__union_NonEmptyArrayOfPathsToElementType[i];
		if (u->__union_NonEmptyArrayOfPathsToElementType == SOAP_UNION__ewstype__union_NonEmptyArrayOfPathsToElementType_FieldURI &&
		    u->union_NonEmptyArrayOfPathsToElementType.FieldURI) {
			const char *f = soap_ewstype__UnindexedFieldURIType2s(soap, u->union_NonEmptyArrayOfPathsToElementType.FieldURI->FieldURI);
			if (f && !strcmp(f, uri))
				return 1;
		}
	}
	return 0;
}

/* The stored rows of item_id named prefix + a property's name ("" for the item's own) the shape asks for, into
 * the response item. */
const char ewsd_item_props_sql[] = "SELECT name, value FROM item_props WHERE item_id=? ORDER BY name";

static void attach_rows(struct soap *soap, sqlite3 *db, int64_t item_id, const char *prefix, struct ewstype__ItemType *it,
			struct ewstype__CalendarItemType *cal, char **uid, struct ewstype__ItemResponseShapeType *shape)
{
	/* once per item of every FindItem page, GetItem and sync batch: kept prepared (stmt.c) */
	sqlite3_stmt *st = ewsd_stmt(db, ewsd_item_props_sql);
	size_t plen = strlen(prefix);
	if (!st)
		return;
	sqlite3_bind_int64(st, 1, item_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0), *value = (const char *)sqlite3_column_text(st, 1);
		int yes = 0;
		if (!name || !value || strncmp(name, prefix, plen))
			continue;
		name += plen;
		if (!strncmp(name, "d:", 2))
			continue;
		const struct ewstype__PathToExtendedFieldType *path = wanted(soap, name, shape, &yes);
		if (!yes)
			continue;
		if (strncmp(name, "x:", 2)) {
			write_prop(soap, name, value, it, cal, uid);
			continue;
		}
		int j = 0;          /* an overlay's value replaces the one the same path gave */
		while (j < it->__sizeExtendedProperty && it->ExtendedProperty[j].ExtendedFieldURI != path)
			j++;
		if (j < it->__sizeExtendedProperty) {
			memset(&it->ExtendedProperty[j], 0, sizeof it->ExtendedProperty[j]);
			it->ExtendedProperty[j].ExtendedFieldURI = (struct ewstype__PathToExtendedFieldType *)path;
			ext_to_response(soap, value, &it->ExtendedProperty[j]);
			continue;
		}
		struct ewstype__ExtendedPropertyType *grown =
			soap_malloc(soap, sizeof *grown * (size_t)(it->__sizeExtendedProperty + 1));
		if (!grown)
			break;
		if (it->__sizeExtendedProperty)
			memcpy(grown, it->ExtendedProperty, sizeof *grown * (size_t)it->__sizeExtendedProperty);
		struct ewstype__ExtendedPropertyType *e = &grown[it->__sizeExtendedProperty];
		memset(e, 0, sizeof *e);
		e->ExtendedFieldURI = (struct ewstype__PathToExtendedFieldType *)path;
		ext_to_response(soap, value, e);
		it->ExtendedProperty = grown;
		it->__sizeExtendedProperty++;
	}
	ewsd_stmt_done(db, st);
}

/* Where a response item of this kind carries calendar:UID: a calendar item and a meeting request have one. */
static char **uid_slot(int kind, void *item)
{
	if (kind == EWSD_CALENDAR)
		return &((struct ewstype__CalendarItemType *)item)->UID;
	if (kind == EWSD_MEETING_REQUEST)
		return &((struct ewstype__MeetingRequestMessageType *)item)->UID;
	return NULL;
}

void ewsd_props_attach(struct soap *soap, sqlite3 *db, int64_t item_id, int kind, void *item,
		       struct ewstype__ItemResponseShapeType *shape)
{
	struct ewstype__ItemType *it = item;
	struct ewstype__CalendarItemType *cal = kind == EWSD_CALENDAR ? item : NULL;
	if (!it || !shape)
		return;
	/* what Exchange always has: a sensitivity, and for a calendar item its kind and all-day flag */
	if (shape_names(soap, shape, "item:Sensitivity")) {
		it->Sensitivity = soap_malloc(soap, sizeof *it->Sensitivity);
		*it->Sensitivity = ewstype__SensitivityChoicesType__Normal;
	}
	if (cal)        /* CalendarItemType, and a recurring master's series (recurrence.c) */
		ewsd_recur_attach(soap, db, item_id, cal, shape_names, shape);
	if (cal && shape_names(soap, shape, "calendar:MyResponseType")) {   /* answered meetings store theirs */
		cal->MyResponseType = soap_malloc(soap, sizeof *cal->MyResponseType);
		*cal->MyResponseType = ewstype__ResponseTypeType__Organizer;
	}
	if (cal && shape_names(soap, shape, "calendar:IsAllDayEvent"))
		cal->IsAllDayEvent = boolean(soap, "false");
	if (kind == EWSD_CONTACT)
		ewsd_contact_props_attach(soap, db, item_id, item, shape);
	attach_rows(soap, db, item_id, "", it, cal, uid_slot(kind, item), shape);
}

void ewsd_props_attach_overlay(struct soap *soap, sqlite3 *db, int64_t item_id, const char *prefix, int kind,
			       void *item, struct ewstype__ItemResponseShapeType *shape)
{
	if (item && shape && prefix && *prefix)
		attach_rows(soap, db, item_id, prefix, item, kind == EWSD_CALENDAR ? item : NULL, uid_slot(kind, item), shape);
}

/* ---- contact dictionaries ---- */
/* A contact's EmailAddresses (EmailAddress1 is the email column; 2 and 3 here), PhysicalAddresses and PhoneNumbers
 * are kept one row per entry field, named "d:<DictionaryURI>|<FieldIndex>" — the names FindItem's indexed paths
 * search (restrict.c) — e.g. "d:contacts:PhysicalAddress:City|Business", "d:contacts:PhoneNumber|MobilePhone". */
static const char *const address_parts[] = { "Street", "City", "State", "CountryOrRegion", "PostalCode" };

static char *dict_name(struct soap *soap, const char *uri, const char *index)
{
	size_t n = strlen(uri) + strlen(index) + 4;
	char *s = soap_malloc(soap, n);
	snprintf(s, n, "d:%s|%s", uri, index);
	return s;
}

static const char *address_part(const struct ewstype__PhysicalAddressDictionaryEntryType *e, int i)
{
	return i == 0 ? e->Street : i == 1 ? e->City : i == 2 ? e->State : i == 3 ? e->CountryOrRegion : e->PostalCode;
}

void ewsd_contact_props_from_item(struct soap *soap, const struct ewstype__ContactItemType *c, struct ewsd_prop_changes *pc)
{
	if (!c)
		return;
	for (int i = 0; c->EmailAddresses && i < c->EmailAddresses->__sizeEntry; i++) {
		const struct ewstype__EmailAddressDictionaryEntryType *e = &c->EmailAddresses->Entry[i];
		if (e->Key != ewstype__EmailAddressKeyType__EmailAddress1 && e->__item)
			ewsd_prop_changes_add(pc, dict_name(soap, "contacts:EmailAddress",
							   soap_ewstype__EmailAddressKeyType2s(soap, e->Key)), e->__item);
	}
	for (int i = 0; c->PhysicalAddresses && i < c->PhysicalAddresses->__sizeEntry; i++) {
		const struct ewstype__PhysicalAddressDictionaryEntryType *e = &c->PhysicalAddresses->Entry[i];
		const char *key = soap_ewstype__PhysicalAddressKeyType2s(soap, e->Key);
		for (int k = 0; k < 5; k++) {
			char uri[64];
			snprintf(uri, sizeof uri, "contacts:PhysicalAddress:%s", address_parts[k]);
			if (address_part(e, k))
				ewsd_prop_changes_add(pc, dict_name(soap, uri, key), address_part(e, k));
		}
	}
	for (int i = 0; c->PhoneNumbers && i < c->PhoneNumbers->__sizeEntry; i++) {
		const struct ewstype__PhoneNumberDictionaryEntryType *e = &c->PhoneNumbers->Entry[i];
		if (e->__item)
			ewsd_prop_changes_add(pc, dict_name(soap, "contacts:PhoneNumber",
							   soap_ewstype__PhoneNumberKeyType2s(soap, e->Key)), e->__item);
	}
}

/* Grow a dictionary's Entry array (*entries of *size entries of entry_size bytes, soap-managed) by one zeroed
 * entry at the end and return it; the three dictionaries differ only in their entry type. */
static void *append_entry(struct soap *soap, void **entries, int *size, size_t entry_size)
{
	char *grown = soap_malloc(soap, entry_size * (size_t)(*size + 1));
	if (!grown)
		return NULL;
	if (*size)
		memcpy(grown, *entries, entry_size * (size_t)*size);
	memset(grown + entry_size * (size_t)*size, 0, entry_size);
	*entries = grown;
	return grown + entry_size * (size_t)(*size)++;
}

/* Put one stored dictionary row back into a response contact. */
static void contact_dict_out(struct soap *soap, struct ewstype__ContactItemType *c, const char *name, const char *value)
{
	const char *bar = strchr(name, '|');
	if (!bar)
		return;
	size_t ulen = (size_t)(bar - (name + 2));
	const char *uri = name + 2, *index = bar + 1;
	if (ulen == strlen("contacts:EmailAddress") && !strncmp(uri, "contacts:EmailAddress", ulen)) {
		enum ewstype__EmailAddressKeyType k;
		if (soap_s2ewstype__EmailAddressKeyType(soap, index, &k)) {
			soap->error = SOAP_OK;
			return;
		}
		if (!c->EmailAddresses)
			c->EmailAddresses = EWSD_NEW(soap, struct ewstype__EmailAddressDictionaryType);
		struct ewstype__EmailAddressDictionaryType *d = c->EmailAddresses;
		struct ewstype__EmailAddressDictionaryEntryType *e =
			append_entry(soap, (void **)&d->Entry, &d->__sizeEntry, sizeof *d->Entry);
		if (e) {
			e->Key = k;
			e->__item = soap_strdup(soap, value);
		}
	} else if (ulen == strlen("contacts:PhoneNumber") && !strncmp(uri, "contacts:PhoneNumber", ulen)) {
		enum ewstype__PhoneNumberKeyType k;
		if (soap_s2ewstype__PhoneNumberKeyType(soap, index, &k)) {
			soap->error = SOAP_OK;
			return;
		}
		if (!c->PhoneNumbers)
			c->PhoneNumbers = EWSD_NEW(soap, struct ewstype__PhoneNumberDictionaryType);
		struct ewstype__PhoneNumberDictionaryType *d = c->PhoneNumbers;
		struct ewstype__PhoneNumberDictionaryEntryType *e =
			append_entry(soap, (void **)&d->Entry, &d->__sizeEntry, sizeof *d->Entry);
		if (e) {
			e->Key = k;
			e->__item = soap_strdup(soap, value);
		}
	} else if (ulen > strlen("contacts:PhysicalAddress:") && !strncmp(uri, "contacts:PhysicalAddress:", 25)) {
		enum ewstype__PhysicalAddressKeyType k;
		int part = -1;
		for (int i = 0; i < 5; i++)
			if (ulen - 25 == strlen(address_parts[i]) && !strncmp(uri + 25, address_parts[i], ulen - 25))
				part = i;
		if (part < 0 || soap_s2ewstype__PhysicalAddressKeyType(soap, index, &k)) {
			soap->error = SOAP_OK;
			return;
		}
		if (!c->PhysicalAddresses)
			c->PhysicalAddresses = EWSD_NEW(soap, struct ewstype__PhysicalAddressDictionaryType);
		struct ewstype__PhysicalAddressDictionaryType *d = c->PhysicalAddresses;
		struct ewstype__PhysicalAddressDictionaryEntryType *e = NULL;
		for (int i = 0; i < d->__sizeEntry; i++)
			if (d->Entry[i].Key == k)
				e = &d->Entry[i];
		if (!e) {
			if (!(e = append_entry(soap, (void **)&d->Entry, &d->__sizeEntry, sizeof *d->Entry)))
				return;
			e->Key = k;
		}
		char *v = soap_strdup(soap, value);
		if (part == 0)
			e->Street = v;
		else if (part == 1)
			e->City = v;
		else if (part == 2)
			e->State = v;
		else if (part == 3)
			e->CountryOrRegion = v;
		else
			e->PostalCode = v;
	}
}

void ewsd_contact_props_attach(struct soap *soap, sqlite3 *db, int64_t item_id, struct ewstype__ContactItemType *c,
			       struct ewstype__ItemResponseShapeType *shape)
{
	sqlite3_stmt *st;
	if (!c || !shape)
		return;
	int all = shape->BaseShape == ewstype__DefaultShapeNamesType__AllProperties;
	int emails = all || shape_names(soap, shape, "contacts:EmailAddresses");
	int phys = all || shape_names(soap, shape, "contacts:PhysicalAddresses");
	int phones = all || shape_names(soap, shape, "contacts:PhoneNumbers");
	if (!(emails || phys || phones) ||
	    sqlite3_prepare_v2(db, "SELECT name,value FROM item_props WHERE item_id=? AND name LIKE 'd:%' ORDER BY name", -1,
			       &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(st, 1, item_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0), *value = (const char *)sqlite3_column_text(st, 1);
		if (!name || !value)
			continue;
		if ((emails && !strncmp(name, "d:contacts:EmailAddress|", 24)) ||
		    (phones && !strncmp(name, "d:contacts:PhoneNumber|", 23)) ||
		    (phys && !strncmp(name, "d:contacts:PhysicalAddress:", 27)))
			contact_dict_out(soap, c, name, value);
	}
	sqlite3_finalize(st);
}
