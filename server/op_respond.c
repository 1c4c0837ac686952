/* op_respond.c — response objects in CreateItem: ReplyToItem, ReplyAllToItem, ForwardItem (a new message built
 * from the item ReferenceItemId names), AcceptItem, TentativelyAcceptItem, DeclineItem (a meeting response to the
 * organizer; the attendee's calendar updated) and CancelCalendarItem (a cancellation to the attendees; the
 * organizer's calendar item removed), as the CreateItem pages for replies, forwards and meeting responses and
 * MS-OXWSMTGS describe. The message then goes the way of any CreateItem message: MessageDisposition SaveOnly
 * (Drafts or SavedItemFolderId), SendOnly, SendAndSaveCopy (Sent Items), delivered to local recipients.
 *
 * Subjects: Exchange puts "RE: " / "FW: " before the original's normalized subject (the subject without its prefix:
 * MS-OXCMSG PidTagSubjectPrefix, one to three non-digit characters, a colon and a space), so a reply to
 * "RE: x" is "RE: x", not "RE: RE: x"; meeting responses are "Accepted: ", "Tentative: ", "Declined: ",
 * a cancellation "Canceled: ". A Subject the client gives is kept as given. */
#define _GNU_SOURCE     /* strcasestr */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "ewsd.h"

int ewsd_is_response_object(int sel)
{
	return sel == SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_ReplyToItem ||
	       sel == SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_ReplyAllToItem ||
	       sel == SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_ForwardItem ||
	       sel == SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_CancelCalendarItem ||
	       sel == SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_AcceptItem ||
	       sel == SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_TentativelyAcceptItem ||
	       sel == SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_DeclineItem;
}

/* The request's parts every response object has, whatever its type. */
struct parts {
	const char *subject;
	struct ewstype__BodyType *body, *new_body;
	struct ewstype__ArrayOfRecipientsType *to, *cc;
	struct ewstype__ItemIdType *ref;
};

#define SMART_PARTS(p, out) \
	do { \
		(out)->subject = (p)->Subject, (out)->body = (p)->Body, (out)->new_body = (p)->NewBodyContent; \
		(out)->to = (p)->ToRecipients, (out)->cc = (p)->CcRecipients, (out)->ref = (p)->ReferenceItemId; \
	} while (0)
#define MEETING_PARTS(p, out) \
	do { \
		(out)->body = (p)->Body, (out)->to = (p)->ToRecipients, (out)->cc = (p)->CcRecipients; \
		(out)->ref = (p)->ReferenceItemId; \
	} while (0)

/* The subject without a MAPI subject prefix ("RE: ", "FW: ", "AW: " ...). */
static const char *normalized_subject(const char *s)
{
	if (!s)
		return "";
	for (int n = 1; n <= 3 && s[n - 1]; n++) {
		if (isdigit((unsigned char)s[n - 1]) || s[n - 1] == ' ' || s[n - 1] == ':')
			break;
		if (s[n] == ':' && s[n + 1] == ' ')
			return s + n + 2;
	}
	return s;
}

/* Append one "Name <addr>" entry to a ';'-separated list unless its address is excluded or already there. */
static const char *list_add(struct soap *soap, const char *list, const char *entry, const char *exclude)
{
	const char *lt = strchr(entry, '<');
	char addr[320];
	snprintf(addr, sizeof addr, "%s", lt ? lt + 1 : entry);
	char *gt = strchr(addr, '>');
	if (gt)
		*gt = '\0';
	if (!*addr || (exclude && !strcasecmp(addr, exclude)))
		return list;
	if (list) {
		char needle[330];
		snprintf(needle, sizeof needle, "<%s>", addr);
		if (strcasestr(list, needle))
			return list;
	}
	size_t n = (list ? strlen(list) + 1 : 0) + strlen(entry) + 1;
	char *s = soap_malloc(soap, n);
	snprintf(s, n, "%s%s%s", list ? list : "", list && *list ? ";" : "", entry);
	return s;
}

static const char *list_merge(struct soap *soap, const char *list, const char *more, const char *exclude)
{
	if (!more)
		return list;
	char *copy = soap_strdup(soap, more), *save = NULL;
	for (char *tok = strtok_r(copy, ";", &save); tok; tok = strtok_r(NULL, ";", &save))
		list = list_add(soap, list, tok, exclude);
	return list;
}

static const char *entry_of(struct soap *soap, const char *name, const char *addr)
{
	size_t n = (name ? strlen(name) : 0) + (addr ? strlen(addr) : 0) + 4;
	char *s = soap_malloc(soap, n);
	snprintf(s, n, "%s%s<%s>", name && strcmp(name, addr) ? name : "", name && strcmp(name, addr) ? " " : "", addr);
	return s;
}

/* The new text, then the original under a header, as Exchange writes replies and forwards (HTML when either part
 * is HTML). */
static void quote_original(struct soap *soap, const struct ewstype__BodyType *nb, const struct ewsd_item *orig,
			   struct ewsd_item *it)
{
	const char *text = nb && nb->__item ? nb->__item : "";
	int html = (nb && nb->BodyType == ewstype__BodyTypeType__HTML) || orig->body_html;
	const char *from = orig->from_addr ? entry_of(soap, orig->from_name, orig->from_addr) : "";
	const char *sent = orig->sent ? orig->sent : orig->received ? orig->received : "";
	const char *to = orig->to_list ? orig->to_list : "", *subj = orig->subject ? orig->subject : "";
	const char *ob = orig->body ? orig->body : "";
	size_t n = strlen(text) + strlen(from) + strlen(sent) + strlen(to) + strlen(subj) + strlen(ob) + 512;
	char *b = soap_malloc(soap, n);
	if (html)
		snprintf(b, n, "<html><body>%s<hr><div id=\"divRplyFwdMsg\"><b>From:</b> %s<br><b>Sent:</b> %s<br>"
			 "<b>To:</b> %s<br><b>Subject:</b> %s</div><div>%s</div></body></html>", text, from, sent, to,
			 subj, ob);
	else
		snprintf(b, n, "%s\r\n\r\n________________________________________\r\nFrom: %s\r\nSent: %s\r\nTo: %s\r\n"
			 "Subject: %s\r\n\r\n%s", text, from, sent, to, subj, ob);
	it->body = b;
	it->body_html = html;
}

static const char *prefixed(struct soap *soap, const char *prefix, const char *subject)
{
	size_t n = strlen(prefix) + strlen(subject) + 1;
	char *s = soap_malloc(soap, n);
	snprintf(s, n, "%s%s", prefix, subject);
	return s;
}

/* Is the mailbox the organizer of this calendar item? Items it made itself have no organizer or itself. */
static int is_organizer(struct soap *soap, const struct ewsd_item *ref)
{
	return !ref->from_addr || !*ref->from_addr || !strcasecmp(ref->from_addr, ewsd_req(soap)->mailbox_smtp);
}

const char *ewsd_response_object(struct soap *soap, int sel, void *obj, int send, struct ewsd_item *it,
				 struct ewsd_response_effect *fx)
{
	struct ewsd_request *rq = ewsd_req(soap);
	struct parts p = { 0 };
	const char *guid = NULL, *prefix = "", *err;
	int kind = 0;   /* 'R' reply, 'L' reply all, 'F' forward, 'C' cancel, 'A'/'T'/'D' meeting responses */
	memset(fx, 0, sizeof *fx);
	if (!obj)
		return "ErrorInvalidRequest";
	switch (sel) {
	case SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_ReplyToItem:
		SMART_PARTS((struct ewstype__ReplyToItemType *)obj, &p);
		kind = 'R', prefix = "RE: ";
		break;
	case SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_ReplyAllToItem:
		SMART_PARTS((struct ewstype__ReplyAllToItemType *)obj, &p);
		kind = 'L', prefix = "RE: ";
		break;
	case SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_ForwardItem:
		SMART_PARTS((struct ewstype__ForwardItemType *)obj, &p);
		kind = 'F', prefix = "FW: ";
		break;
	case SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_CancelCalendarItem:
		SMART_PARTS((struct ewstype__CancelCalendarItemType *)obj, &p);
		kind = 'C', prefix = "Canceled: ";
		break;
	case SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_AcceptItem:
		MEETING_PARTS((struct ewstype__AcceptItemType *)obj, &p);
		kind = 'A', prefix = "Accepted: ";
		break;
	case SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_TentativelyAcceptItem:
		MEETING_PARTS((struct ewstype__TentativelyAcceptItemType *)obj, &p);
		kind = 'T', prefix = "Tentative: ";
		break;
	case SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_DeclineItem:
		MEETING_PARTS((struct ewstype__DeclineItemType *)obj, &p);
		kind = 'D', prefix = "Declined: ";
		break;
	default:
		return "ErrorInvalidRequest";
	}
	if (!p.ref || !p.ref->Id)
		return "ErrorMissingInformationReferenceItemId";
	if ((err = ewsd_resolve_item(soap, p.ref->Id, p.ref->ChangeKey, 0, &fx->ref, &guid)))
		return err;
	const struct ewsd_item *ref = &fx->ref;
	int meeting = ref->kind == EWSD_CALENDAR || ref->kind == EWSD_MEETING_REQUEST;
	if (kind == 'C' && ref->kind != EWSD_CALENDAR)
		return "ErrorInvalidReferenceItem";
	if (kind == 'C' && !is_organizer(soap, ref))
		return "ErrorCalendarIsNotOrganizer";
	if ((kind == 'A' || kind == 'T' || kind == 'D') && !meeting)
		return "ErrorInvalidReferenceItem";
	if ((kind == 'A' || kind == 'T' || kind == 'D') && ref->kind == EWSD_CALENDAR && is_organizer(soap, ref))
		return kind == 'A' ? "ErrorCalendarIsOrganizerForAccept"
		       : kind == 'T' ? "ErrorCalendarIsOrganizerForTentative" : "ErrorCalendarIsOrganizerForDecline";

	it->kind = EWSD_MESSAGE;
	it->subject = p.subject ? p.subject : prefixed(soap, prefix, kind == 'R' || kind == 'L' || kind == 'F'
								? normalized_subject(ref->subject) : ref->subject ? ref->subject : "");
	const char *own = rq->mailbox_smtp, *to = NULL, *cc = NULL;
	switch (kind) {
	case 'R':
	case 'A':
	case 'T':
	case 'D':       /* to the sender; meeting responses to the organizer */
		if (ref->from_addr && *ref->from_addr)
			to = list_add(soap, NULL, entry_of(soap, ref->from_name, ref->from_addr), NULL);
		break;
	case 'L':
		if (ref->from_addr && *ref->from_addr)
			to = list_add(soap, NULL, entry_of(soap, ref->from_name, ref->from_addr), NULL);
		to = list_merge(soap, to, ref->to_list, own);
		cc = list_merge(soap, NULL, ref->cc_list, own);
		break;
	case 'C':       /* to the attendees the organizer's item lists */
		to = list_merge(soap, NULL, ref->to_list, own);
		cc = list_merge(soap, NULL, ref->cc_list, own);
		break;
	}
	const char *more = NULL;
	ewsd_recipients_in(soap, p.to, &more);
	to = list_merge(soap, to, more, NULL);
	more = NULL;
	ewsd_recipients_in(soap, p.cc, &more);
	cc = list_merge(soap, cc, more, NULL);
	it->to_list = to;
	it->cc_list = cc;
	if (send && (!to || !*to) && (!cc || !*cc))
		return "ErrorInvalidRecipients";

	if (kind == 'R' || kind == 'L' || kind == 'F' || kind == 'C')
		quote_original(soap, p.new_body ? p.new_body : p.body, ref, it);
	else if (p.body) {
		it->body = p.body->__item ? p.body->__item : "";
		it->body_html = p.body->BodyType == ewstype__BodyTypeType__HTML;
	}
	it->item_class = kind == 'A'   ? "IPM.Schedule.Meeting.Resp.Pos"
			 : kind == 'T' ? "IPM.Schedule.Meeting.Resp.Tent"
			 : kind == 'D' ? "IPM.Schedule.Meeting.Resp.Neg"
			 : kind == 'C' ? "IPM.Schedule.Meeting.Canceled"
				       : "IPM.Note";
	it->size = (int64_t)(200 + strlen(it->subject) + (it->body ? strlen(it->body) : 0));
	if (kind == 'A' || kind == 'T' || kind == 'D' || kind == 'C') {
		fx->kind = kind;
		fx->sent = send;
	}
	return NULL;
}

static int set_response_type(sqlite3 *db, int64_t item, const char *type)
{
	struct ewsd_prop_changes pc = { 0 };
	ewsd_prop_changes_add(&pc, "MyResponseType", type);
	return ewsd_prop_changes_apply(db, item, &pc);
}

/* The attendee's calendar item for a meeting request: same subject and start in the Calendar, or 0. */
static int64_t calendar_item_for(struct soap *soap, const struct ewsd_item *req)
{
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewsd_folder cal;
	sqlite3_stmt *st;
	int64_t id = 0;
	if (ewsd_folder_distinguished(soap, rq->db, rq->mailbox_id, "calendar", &cal))
		return 0;
	if (sqlite3_prepare_v2(rq->db, "SELECT id FROM items WHERE folder_id=? AND kind=? AND subject IS ? AND start IS ?"
				       " ORDER BY id LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int64(st, 1, cal.id);
	sqlite3_bind_int(st, 2, EWSD_CALENDAR);
	sqlite3_bind_text(st, 3, req->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, req->start, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

static int to_deleted_items(struct soap *soap, int64_t id)
{
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewsd_folder del;
	int64_t new_id;
	if (ewsd_folder_distinguished(soap, rq->db, rq->mailbox_id, "deleteditems", &del))
		return -1;
	return ewsd_item_move(rq->db, id, del.id, &new_id);
}

int ewsd_response_effect_apply(struct soap *soap, const struct ewsd_response_effect *fx)
{
	struct ewsd_request *rq = ewsd_req(soap);
	const struct ewsd_item *ref = &fx->ref;
	const char *type = fx->kind == 'A' ? "Accept" : fx->kind == 'T' ? "Tentative" : "Decline";
	switch (fx->kind) {
	case 0:
		return 0;
	case 'C':       /* the organizer's meeting goes to Deleted Items */
		return to_deleted_items(soap, ref->id);
	case 'A':
	case 'T':
	case 'D':
		break;
	default:
		return -1;
	}
	/* a sent response reaches the organizer: its calendar item records it for this attendee (attendees.c) */
	if (fx->sent && ewsd_attendee_response_deliver(soap, ref, type))
		return -1;
	if (ref->kind == EWSD_CALENDAR)     /* answering from the calendar: the item itself */
		return fx->kind == 'D' ? to_deleted_items(soap, ref->id) : set_response_type(rq->db, ref->id, type);
	/* answering a meeting request: the calendar item is made (or found) and answered, the request itself goes to
	 * Deleted Items, as Exchange does once a request is answered */
	int64_t cal_id = calendar_item_for(soap, ref);
	if (fx->kind == 'D') {
		if (cal_id && to_deleted_items(soap, cal_id))
			return -1;
	} else {
		if (!cal_id) {
			struct ewsd_folder cal;
			struct ewsd_item c = *ref;
			if (ewsd_folder_distinguished(soap, rq->db, rq->mailbox_id, "calendar", &cal))
				return -1;
			c.kind = EWSD_CALENDAR;
			c.item_class = "IPM.Appointment";
			c.folder_id = cal.id;
			c.is_read = 1;
			if (ewsd_item_insert(rq->db, &c))
				return -1;
			cal_id = c.id;
			const char *uid = ewsd_item_uid(soap, rq->db, ref->id);    /* the meeting's, as the request's */
			struct ewsd_prop_changes pc = { 0 };
			if (uid)
				ewsd_prop_changes_add(&pc, "UID", uid);
			if (ewsd_prop_changes_apply(rq->db, cal_id, &pc))
				return -1;
		}
		if (set_response_type(rq->db, cal_id, type))
			return -1;
	}
	return to_deleted_items(soap, ref->id);
}
