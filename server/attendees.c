/* attendees.c — the attendees of a meeting with the response each one sent, as the organizer's calendar item shows
 * them (MS-OXWSMTGS; the Attendee, ResponseType and LastResponseTime reference pages): every Attendee of
 * RequiredAttendees / OptionalAttendees has a ResponseType — Unknown until the attendee answers, then Accept,
 * Tentative or Decline — and, once answered, the LastResponseTime of the latest response.
 *
 * Storage: the attendees themselves stay the item's to_list (required) and cc_list (optional); the responses are
 * item_props rows of the calendar item named "a:" + the attendee's address in lower case, valued
 * "<ResponseType> <LastResponseTime>" (e.g. "Accept 2026-12-05T23:15:00Z"). Being kept properties they are copied
 * with the item and travel in ExportItems data; a store made before them simply has no rows (every attendee
 * Unknown), so nothing needs upgrading. A row is keyed by address, not by list, so an attendee moved from the
 * required to the optional attendees keeps its response; one removed from both loses it (UpdateItem prunes it),
 * and one added later starts Unknown, as Exchange's recipient rows do. The meeting's Resources, which have no column,
 * are kept as a stored list in the item_props row "Resources" and answer the same way. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ewsd.h"

#define ROW_PREFIX "a:"
#define RESOURCES_ROW "Resources"

/* 1 when addr (any case) is one of the entries of a stored list. */
static int list_has(const char *list, const char *addr)
{
	if (!list || !addr || !*addr)
		return 0;
	char *copy = strdup(list), *save = NULL;
	int found = 0;
	for (char *tok = copy ? strtok_r(copy, ";", &save) : NULL; tok && !found; tok = strtok_r(NULL, ";", &save))
		found = !strcasecmp(ewsd_list_entry_addr(tok), addr);
	free(copy);
	return found;
}

/* The row name of an attendee's response (soap-managed), NULL for an address too long to be one. */
static char *row_name(struct soap *soap, const char *addr)
{
	char name[330];
	size_t n = strlen(addr);
	if (n + sizeof ROW_PREFIX > sizeof name)
		return NULL;
	memcpy(name, ROW_PREFIX, sizeof ROW_PREFIX - 1);
	for (size_t i = 0; i <= n; i++)
		name[sizeof ROW_PREFIX - 1 + i] = (char)tolower((unsigned char)addr[i]);
	return soap_strdup(soap, name);
}

int ewsd_attendee_response_put(struct soap *soap, sqlite3 *db, int64_t item_id, const char *addr, const char *type,
			       const char *when)
{
	char *name = addr ? row_name(soap, addr) : NULL;
	if (!name || !type || !when)
		return -1;
	size_t n = strlen(type) + strlen(when) + 2;
	char *value = soap_malloc(soap, n);
	if (!value)
		return -1;
	snprintf(value, n, "%s %s", type, when);
	struct ewsd_prop_changes pc = { 0 };
	ewsd_prop_changes_add(&pc, name, value);
	return ewsd_prop_changes_apply(db, item_id, &pc);
}

/* The recorded response of addr on the item: 1 and *type / *when (soap-managed) when there is one, else 0. */
static int response_of(struct soap *soap, sqlite3 *db, int64_t item_id, const char *addr, const char **type,
		       const char **when)
{
	char *name = row_name(soap, addr);
	sqlite3_stmt *st = name ? ewsd_stmt(db, "SELECT value FROM item_props WHERE item_id=? AND name=?") : NULL;
	int found = 0;
	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, item_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
		char *v = soap_strdup(soap, (const char *)sqlite3_column_text(st, 0)), *sp = v ? strchr(v, ' ') : NULL;
		if (sp) {
			*sp = '\0';
			*type = v;
			*when = sp + 1;
			found = 1;
		}
	}
	ewsd_stmt_done(db, st);
	return found;
}

struct ewstype__NonEmptyArrayOfAttendeesType *ewsd_attendees_out(struct soap *soap, sqlite3 *db, int64_t item_id,
								  const char *list, const char *organizer)
{
	if (!list || !*list)
		return NULL;
	int cap = 1;
	for (const char *c = list; *c; c++)
		cap += *c == ';';
	struct ewstype__NonEmptyArrayOfAttendeesType *a = EWSD_NEW(soap, struct ewstype__NonEmptyArrayOfAttendeesType);
	a->Attendee = ewsd_zalloc(soap, sizeof *a->Attendee * (size_t)cap);
	char *copy = soap_strdup(soap, list), *save = NULL;
	for (char *tok = strtok_r(copy, ";", &save); tok && a->__sizeAttendee < cap; tok = strtok_r(NULL, ";", &save)) {
		char *lt = strchr(tok, '<'), *name = NULL, *addr;
		if (lt) {       /* "Name <addr>": the name without its spaces */
			*lt = '\0';
			name = tok + strspn(tok, " ");
			for (char *e = lt; e > name && e[-1] == ' '; e--)
				e[-1] = '\0';
			addr = ewsd_list_entry_addr(lt + 1);
		} else {
			addr = ewsd_list_entry_addr(tok);
		}
		if (!*addr)
			continue;
		struct ewstype__AttendeeType *at = &a->Attendee[a->__sizeAttendee++];
		at->Mailbox = EWSD_NEW(soap, struct ewstype__EmailAddressType);
		at->Mailbox->Name = soap_strdup(soap, name && *name ? name : addr);
		at->Mailbox->EmailAddress = soap_strdup(soap, addr);
		at->Mailbox->RoutingType = soap_strdup(soap, "SMTP");
		/* the organizer listed among its own meeting's attendees answers as the organizer */
		const char *type = organizer && !strcasecmp(addr, organizer) ? "Organizer" : "Unknown", *when = NULL;
		enum ewstype__ResponseTypeType r;
		response_of(soap, db, item_id, addr, &type, &when);
		at->ResponseType = soap_malloc(soap, sizeof *at->ResponseType);
		if (soap_s2ewstype__ResponseTypeType(soap, type, &r)) {
			soap->error = SOAP_OK;  /* a row ewsd did not write: read as no response */
			r = ewstype__ResponseTypeType__Unknown;
			when = NULL;
		}
		*at->ResponseType = r;
		at->LastResponseTime = when ? soap_strdup(soap, when) : NULL;
	}
	return a->__sizeAttendee ? a : NULL;
}

const char *ewsd_resources_stored(struct soap *soap, sqlite3 *db, int64_t item_id)
{
	sqlite3_stmt *st = ewsd_stmt(db, "SELECT value FROM item_props WHERE item_id=? AND name='" RESOURCES_ROW "'");
	const char *list = NULL;
	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, item_id);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		list = soap_strdup(soap, (const char *)sqlite3_column_text(st, 0));
	ewsd_stmt_done(db, st);
	return list;
}

/* An Attendee array of a request as a stored list ("Name <addr>;..."), NULL when it names nobody. */
static const char *list_of(struct soap *soap, const struct ewstype__NonEmptyArrayOfAttendeesType *a)
{
	size_t cap = 1, len = 0;
	for (int i = 0; a && i < a->__sizeAttendee; i++) {
		const struct ewstype__EmailAddressType *m = a->Attendee[i].Mailbox;
		if (m && m->EmailAddress)
			cap += (m->Name ? strlen(m->Name) : 0) + strlen(m->EmailAddress) + 5;
	}
	char *s = cap > 1 ? soap_malloc(soap, cap) : NULL;
	if (!s)
		return NULL;
	s[0] = '\0';
	for (int i = 0; i < a->__sizeAttendee; i++) {
		const struct ewstype__EmailAddressType *m = a->Attendee[i].Mailbox;
		if (m && m->EmailAddress && !strchr(m->EmailAddress, ';'))
			len += (size_t)snprintf(s + len, cap - len, "%s%s%s<%s>", len ? ";" : "", m->Name ? m->Name : "",
						m->Name ? " " : "", m->EmailAddress);
	}
	return len ? s : NULL;
}

void ewsd_resources_from_item(struct soap *soap, const struct ewstype__CalendarItemType *cal,
			      struct ewsd_prop_changes *pc)
{
	const char *list = cal ? list_of(soap, cal->Resources) : NULL;
	if (list)
		ewsd_prop_changes_add(pc, RESOURCES_ROW, list);
}

const char *ewsd_resources_set(struct soap *soap, const struct ewstype__CalendarItemType *cal,
			       struct ewsd_prop_changes *pc)
{
	const char *list = cal ? list_of(soap, cal->Resources) : NULL;
	if (!list)
		return "ErrorIncorrectUpdatePropertyCount";    /* the item given does not carry the property */
	ewsd_prop_changes_add(pc, RESOURCES_ROW, list);
	return NULL;
}

void ewsd_resources_delete(struct ewsd_prop_changes *pc)
{
	ewsd_prop_changes_add(pc, RESOURCES_ROW, NULL);
}

int ewsd_attendees_prune(struct soap *soap, sqlite3 *db, int64_t item_id, const char *to_list, const char *cc_list)
{
	sqlite3_stmt *st;
	/* the rows to drop are listed first and deleted after: no change to the table while its rows are read */
	const char **gone = NULL, *resources = ewsd_resources_stored(soap, db, item_id);
	int n = 0, cap = 0, rc;
	if (sqlite3_prepare_v2(db, "SELECT name FROM item_props WHERE item_id=? AND name>='a:' AND name<'a;'", -1, &st,
			       NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, item_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const char *addr = name ? name + strlen(ROW_PREFIX) : NULL;
		if (!addr || list_has(to_list, addr) || list_has(cc_list, addr) || list_has(resources, addr))
			continue;
		if (n == cap) {
			const char **grown = soap_malloc(soap, sizeof *grown * (size_t)(cap = cap ? 2 * cap : 8));
			if (!grown)
				break;
			if (n)
				memcpy(grown, gone, sizeof *grown * (size_t)n);
			gone = grown;
		}
		gone[n++] = soap_strdup(soap, name);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return -1;
	for (int i = 0; i < n; i++) {
		struct ewsd_prop_changes pc = { 0 };
		ewsd_prop_changes_add(&pc, gone[i], NULL);
		if (!gone[i] || ewsd_prop_changes_apply(db, item_id, &pc))
			return -1;
	}
	return 0;
}

int ewsd_attendee_response_deliver(struct soap *soap, const struct ewsd_item *meeting, const char *type)
{
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewsd_mailbox org;
	struct ewsd_folder deleted;
	const char *attendee = rq->mailbox_smtp;
	char now[32];
	if (!meeting->from_addr || !*meeting->from_addr || ewsd_mailbox_by_smtp(rq->db, meeting->from_addr, &org))
		return 0;       /* the organizer's mailbox is not in this store: only the response message goes */
	int64_t skip = ewsd_folder_distinguished(soap, rq->db, org.id, "deleteditems", &deleted) ? 0 : deleted.id;
	/* The organizer's meeting: a calendar item of the organizer's (made by it, or with no organizer recorded) that
	 * lists the attendee and is the same meeting — the one with the UID of the attendee's copy (Exchange's link,
	 * which survives the organizer's changes of subject and start), or for a copy without one (from a store made
	 * before ewsd kept UIDs) one without a UID that has the copy's subject and start. */
	const char *uid = meeting->id ? ewsd_item_uid(soap, rq->db, meeting->id) : NULL;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(rq->db, uid ?
			       "SELECT id,to_list,cc_list FROM items WHERE mailbox_id=? AND kind=? AND folder_id<>?"
			       " AND (from_addr IS NULL OR from_addr='' OR from_addr=? COLLATE NOCASE) AND EXISTS"
			       " (SELECT 1 FROM item_props p WHERE p.item_id=items.id AND p.name='UID' AND p.value=?) ORDER BY id" :
			       "SELECT id,to_list,cc_list FROM items WHERE mailbox_id=? AND kind=? AND folder_id<>?"
			       " AND (from_addr IS NULL OR from_addr='' OR from_addr=? COLLATE NOCASE) AND subject IS ?"
			       " AND start IS ? AND NOT EXISTS (SELECT 1 FROM item_props p WHERE p.item_id=items.id AND p.name='UID')"
			       " ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, org.id);
	sqlite3_bind_int(st, 2, EWSD_CALENDAR);
	sqlite3_bind_int64(st, 3, skip);
	sqlite3_bind_text(st, 4, org.smtp, -1, SQLITE_STATIC);
	if (uid)
		sqlite3_bind_text(st, 5, uid, -1, SQLITE_STATIC);
	else {
		sqlite3_bind_text(st, 5, meeting->subject, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, meeting->start, -1, SQLITE_STATIC);
	}
	int64_t found = 0;
	while (!found && sqlite3_step(st) == SQLITE_ROW)
		if (list_has((const char *)sqlite3_column_text(st, 1), attendee) ||
		    list_has((const char *)sqlite3_column_text(st, 2), attendee) ||
		    list_has(ewsd_resources_stored(soap, rq->db, sqlite3_column_int64(st, 0)), attendee))
			found = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (!found)
		return 0;       /* not (or no longer) an attendee of the organizer's meeting */
	ewsd_now(now);
	struct ewsd_item it;
	/* the item changes as Exchange's does (new ChangeKey, a Modified event for the organizer's subscriptions) */
	if (ewsd_attendee_response_put(soap, rq->db, found, attendee, type, now) ||
	    ewsd_item_get(soap, rq->db, found, &it) || ewsd_item_update(rq->db, &it, 0))
		return -1;
	return 0;
}
