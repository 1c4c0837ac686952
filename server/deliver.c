/* deliver.c — local delivery of a sent message: a copy, unread, in the Inbox of every To and Cc recipient whose
 * mailbox this server keeps, once per recipient (an address both in To and Cc gets one copy). With a users file, a
 * user who never logged in still gets mail: Exchange delivers to every mailbox of its directory, so the mailbox is
 * made first (ewsd_deliver_prepare, outside the sending transaction: making a mailbox is a transaction of its own). */
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "ewsd.h"

/* The addresses of a "Name <addr>;addr2;..." list not yet among out[0..n), appended (soap-allocated copies); the
 * new count. */
static int add_list(struct soap *soap, const char *list, const char **out, int n, int max)
{
	if (!list)
		return n;
	char *copy = soap_strdup(soap, list), *save = NULL;
	for (char *tok = strtok_r(copy, ";", &save); tok && n < max; tok = strtok_r(NULL, ";", &save)) {
		char *addr = ewsd_list_entry_addr(tok);
		int seen = !*addr;
		for (int k = 0; k < n && !seen; k++)
			seen = !strcasecmp(out[k], addr);
		if (!seen)
			out[n++] = addr;
	}
	return n;
}

/* The addresses of an item's To and Cc lists, each once, into out[]. */
static int recipients(struct soap *soap, const struct ewsd_item *it, const char **out, int max)
{
	return add_list(soap, it->cc_list, out, add_list(soap, it->to_list, out, 0, max), max);
}

#define MAX_LOCAL_RECIPIENTS 500    /* Exchange's default recipient limit per message */

void ewsd_deliver_prepare(struct soap *soap, const struct ewsd_item *sent)
{
	struct ewsd_request *rq = ewsd_req(soap);
	const char *to[MAX_LOCAL_RECIPIENTS];
	int n = ewsd_cfg.users_file ? recipients(soap, sent, to, MAX_LOCAL_RECIPIENTS) : 0;
	for (int i = 0; i < n; i++) {
		struct ewsd_mailbox m;
		if (ewsd_user_known(to[i]) && ewsd_mailbox_by_smtp(rq->db, to[i], &m) != 0)
			ewsd_mailbox_ensure(rq->db, to[i], &m);    /* a failure leaves it undelivered, as before */
	}
}

void ewsd_deliver_local(struct soap *soap, const struct ewsd_item *sent)
{
	struct ewsd_request *rq = ewsd_req(soap);
	const char *to[MAX_LOCAL_RECIPIENTS];
	int n = recipients(soap, sent, to, MAX_LOCAL_RECIPIENTS);
	for (int i = 0; i < n; i++) {
		struct ewsd_mailbox m;
		struct ewsd_folder inbox;
		if (ewsd_mailbox_by_smtp(rq->db, to[i], &m) ||
		    ewsd_folder_distinguished(soap, rq->db, m.id, "inbox", &inbox))
			continue;
		struct ewsd_item copy = *sent;
		copy.mailbox_id = m.id;
		copy.folder_id = inbox.id;
		copy.is_read = 0;
		if (ewsd_item_insert(rq->db, &copy) == 0)   /* delivery: Exchange raises NewMail after Created */
			ewsd_event_log(rq->db, m.id, EWSD_EV_NEWMAIL, 0, copy.id, inbox.id, 0, 0);
	}
}

void ewsd_deliver_meeting(struct soap *soap, const struct ewsd_item *meeting, int save_copy)
{
	struct ewsd_request *rq = ewsd_req(soap);
	const char *to[MAX_LOCAL_RECIPIENTS];
	/* the invitation goes to the Resources too (kept beside the item: attendees.c), as they are recipients of
	 * Exchange's meeting request */
	const char *resources = meeting->id ? ewsd_resources_stored(soap, rq->db, meeting->id) : NULL;
	int n = add_list(soap, resources, to, recipients(soap, meeting, to, MAX_LOCAL_RECIPIENTS), MAX_LOCAL_RECIPIENTS);
	struct ewsd_prop_changes with_resources = { 0 };       /* the attendees' copies list them too */
	if (resources)
		ewsd_prop_changes_add(&with_resources, "Resources", resources);
	/* and carry the organizer's UID, by which the attendees' responses find its meeting (attendees.c) */
	const char *uid = meeting->id ? ewsd_item_uid(soap, rq->db, meeting->id) : NULL;
	if (uid)
		ewsd_prop_changes_add(&with_resources, "UID", uid);
	struct ewsd_item request = *meeting;
	request.kind = EWSD_MEETING_REQUEST;
	request.item_class = "IPM.Schedule.Meeting.Request";
	for (int i = 0; i < n; i++) {
		struct ewsd_mailbox m;
		struct ewsd_folder inbox, cal;
		if (!strcasecmp(to[i], rq->mailbox_smtp) || ewsd_mailbox_by_smtp(rq->db, to[i], &m) ||
		    ewsd_folder_distinguished(soap, rq->db, m.id, "inbox", &inbox) ||
		    ewsd_folder_distinguished(soap, rq->db, m.id, "calendar", &cal))
			continue;
		/* the request in the Inbox, and (Exchange's calendar attendant) the tentative meeting in the Calendar,
		 * which AcceptItem/DeclineItem then answer */
		struct ewsd_item copy = request;
		copy.mailbox_id = m.id;
		copy.folder_id = inbox.id;
		copy.is_read = 0;
		if (ewsd_item_insert(rq->db, &copy) == 0) {
			ewsd_prop_changes_apply(rq->db, copy.id, &with_resources);
			ewsd_event_log(rq->db, m.id, EWSD_EV_NEWMAIL, 0, copy.id, inbox.id, 0, 0);
		}
		struct ewsd_item tentative = *meeting;
		tentative.mailbox_id = m.id;
		tentative.folder_id = cal.id;
		tentative.is_read = 1;
		if (ewsd_item_insert(rq->db, &tentative) == 0) {
			/* not answered yet: the attendee's MyResponseType until AcceptItem/DeclineItem (op_respond.c) */
			struct ewsd_prop_changes pc = with_resources;
			ewsd_prop_changes_add(&pc, "MyResponseType", "NoResponseReceived");
			ewsd_prop_changes_apply(rq->db, tentative.id, &pc);
		}
	}
	if (save_copy) {
		struct ewsd_folder sent;
		if (ewsd_folder_distinguished(soap, rq->db, rq->mailbox_id, "sentitems", &sent) == 0) {
			struct ewsd_item copy = request;
			copy.mailbox_id = rq->mailbox_id;
			copy.folder_id = sent.id;
			copy.is_read = 1;
			if (ewsd_item_insert(rq->db, &copy) == 0)
				ewsd_prop_changes_apply(rq->db, copy.id, &with_resources);
		}
	}
}
