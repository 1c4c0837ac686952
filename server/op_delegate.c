/* op_delegate.c — GetDelegate, AddDelegate, UpdateDelegate, RemoveDelegate (MS-OXWSDLGM). A delegate is a row of
 * table delegates (its ReceiveCopiesOfMeetingMessages and ViewPrivateItems) plus folder permissions
 * (permissions.c) on the owner's Calendar, Tasks, Inbox, Contacts, Notes and Journal; those permissions are what
 * lets the delegate into the owner's folders (resp.c). DeliverMeetingRequests is kept per mailbox
 * (delegate_options).
 *
 * As on the reference pages: the answer carries its own ResponseClass/ResponseCode (NoError when the request
 * as a whole was understood) and one DelegateUserResponseMessageType per user, in request order: the delegate
 * (UserId with SID, PrimarySmtpAddress, DisplayName; DelegatePermissions only for GetDelegate with
 * IncludePermissions="true", and only the folders where the delegate has a level other than None) or the
 * user's error. RemoveDelegate's messages carry no DelegateUser. GetDelegate ends with DeliverMeetingRequests.
 *
 * Users are the store's mailboxes (and, with --users, the users of the file, whose mailbox is made on first
 * use): a UserId is found by PrimarySmtpAddress (without case), by SID (ewsd's SIDs are one domain's,
 * S-1-5-21-<ewsd's domain>-<1000 + mailbox row>) or by DisplayName (the address's local part, as ewsd names
 * users). A user nobody knows is ErrorDelegateNoUser, a UserId naming nothing ErrorInvalidUserInfo, the owner
 * ErrorDelegateCannotAddOwner; adding a delegate twice ErrorDelegateAlreadyExists; updating, removing or
 * asking for a user who is not one ErrorNotDelegate; ReceiveCopiesOfMeetingMessages without Editor on the
 * calendar ErrorDelegateValidationFailed (Exchange forwards meeting messages only to a delegate who can answer
 * them); the level Custom cannot be set (ErrorInvalidDelegatePermission). Only the mailbox acted on (the
 * user's, or the impersonated one) may be managed: another mailbox of the store is ErrorAccessDenied, an
 * unknown one ErrorNonExistentMailbox, for the whole request. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ewsd.h"
#include "auth.h"

#define DEFAULT_DELIVER "DelegatesAndSendInformationToMe"   /* Outlook's and Exchange's default */

/* The six delegate folders, in the order of DelegatePermissionsType's elements. */
static const char *const folders[6] = { "calendar", "tasks", "inbox", "contacts", "notes", "journal" };

static enum ewstype__DelegateFolderPermissionLevelType **perm_slot(struct ewstype__DelegatePermissionsType *p, int i)
{
	switch (i) {
	case 0: return &p->CalendarFolderPermissionLevel;
	case 1: return &p->TasksFolderPermissionLevel;
	case 2: return &p->InboxFolderPermissionLevel;
	case 3: return &p->ContactsFolderPermissionLevel;
	case 4: return &p->NotesFolderPermissionLevel;
	default: return &p->JournalFolderPermissionLevel;
	}
}

/* ---- the owner's delegates ---- */

struct delegate {
	int found;
	int receive_copies, view_private;
};

static int delegate_get(sqlite3 *db, int64_t owner, const char *smtp, struct delegate *d)
{
	sqlite3_stmt *st = ewsd_stmt(db, "SELECT receive_copies, view_private FROM delegates WHERE mailbox_id=? AND smtp=?");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, owner);
	sqlite3_bind_text(st, 2, smtp, -1, SQLITE_TRANSIENT);
	memset(d, 0, sizeof *d);
	if (sqlite3_step(st) == SQLITE_ROW) {
		d->found = 1;
		d->receive_copies = sqlite3_column_int(st, 0);
		d->view_private = sqlite3_column_int(st, 1);
	}
	ewsd_stmt_done(db, st);
	return 0;
}

static int64_t owner_folder(struct soap *soap, sqlite3 *db, int64_t owner, int i)
{
	struct ewsd_folder f;
	return ewsd_folder_distinguished(soap, db, owner, folders[i], &f) ? -1 : f.id;
}

static enum xsd__boolean *boolean(struct soap *soap, int v)
{
	enum xsd__boolean *b = EWSD_NEW(soap, enum xsd__boolean);
	*b = v ? xsd__boolean__true_ : xsd__boolean__false_;
	return b;
}

/* The DelegateUser of an answer: UserId, the permissions when asked for, the two options. */
static struct ewstype__DelegateUserType *delegate_user(struct soap *soap, int64_t owner, const struct ewsd_mailbox *m,
						       const struct delegate *d, int with_permissions)
{
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewstype__DelegateUserType *u = EWSD_NEW(soap, struct ewstype__DelegateUserType);
	u->UserId = ewsd_user_id(soap, m);
	if (with_permissions) {
		u->DelegatePermissions = EWSD_NEW(soap, struct ewstype__DelegatePermissionsType);
		for (int i = 0; i < 6; i++) {
			char level[64];
			int64_t f = owner_folder(soap, rq->db, owner, i);
			if (f < 0 || ewsd_perm_get(rq->db, f, m->smtp, level, sizeof level))
				continue;
			enum ewstype__DelegateFolderPermissionLevelType *e = EWSD_NEW(soap, enum ewstype__DelegateFolderPermissionLevelType);
			/* a level outside the four a delegate can be given (set through UpdateFolder) reads as Custom */
			if (soap_s2ewstype__DelegateFolderPermissionLevelType(soap, level, e))
				*e = ewstype__DelegateFolderPermissionLevelType__Custom;
			soap->error = SOAP_OK;
			*perm_slot(u->DelegatePermissions, i) = e;
		}
	}
	u->ReceiveCopiesOfMeetingMessages = boolean(soap, d->receive_copies);
	u->ViewPrivateItems = boolean(soap, d->view_private);
	return u;
}

/* The level a request gives folder i, or NULL when it leaves it alone. */
static const char *requested_level(struct soap *soap, const struct ewstype__DelegateUserType *u, int i)
{
	enum ewstype__DelegateFolderPermissionLevelType *e;
	if (!u->DelegatePermissions || !(e = *perm_slot(u->DelegatePermissions, i)))
		return NULL;
	return soap_ewstype__DelegateFolderPermissionLevelType2s(soap, *e);
}

/* Check what an Add or Update would leave (the request's values over the delegate's current ones d). */
static const char *validate(struct soap *soap, int64_t owner, const struct ewsd_mailbox *m,
			    const struct ewstype__DelegateUserType *u, const struct delegate *d)
{
	struct ewsd_request *rq = ewsd_req(soap);
	char calendar[64] = "None";
	for (int i = 0; i < 6; i++) {
		const char *l = requested_level(soap, u, i);
		if (l && !strcmp(l, "Custom"))
			return "ErrorInvalidDelegatePermission";
	}
	const char *cal = requested_level(soap, u, 0);
	if (cal)
		snprintf(calendar, sizeof calendar, "%s", cal);
	else if (d->found) {
		int64_t f = owner_folder(soap, rq->db, owner, 0);
		if (f >= 0)
			ewsd_perm_get(rq->db, f, m->smtp, calendar, sizeof calendar);
	}
	int receive = u->ReceiveCopiesOfMeetingMessages ? *u->ReceiveCopiesOfMeetingMessages == xsd__boolean__true_
							: d->receive_copies;
	if (receive && strcmp(calendar, "Editor"))
		return "ErrorDelegateValidationFailed";
	return NULL;
}

/* Write a delegate: its row (added or updated) and the levels the request gives. 0 or -1. */
static int delegate_write(struct soap *soap, int64_t owner, const struct ewsd_mailbox *m,
			  const struct ewstype__DelegateUserType *u, struct delegate *d)
{
	struct ewsd_request *rq = ewsd_req(soap);
	sqlite3_stmt *st;
	if (u->ReceiveCopiesOfMeetingMessages)
		d->receive_copies = *u->ReceiveCopiesOfMeetingMessages == xsd__boolean__true_;
	if (u->ViewPrivateItems)
		d->view_private = *u->ViewPrivateItems == xsd__boolean__true_;
	st = d->found ? ewsd_stmt(rq->db, "UPDATE delegates SET receive_copies=?, view_private=? WHERE mailbox_id=? AND smtp=?")
		      : ewsd_stmt(rq->db, "INSERT INTO delegates(receive_copies,view_private,mailbox_id,smtp,seq)"
					  " VALUES(?,?,?,?,(SELECT IFNULL(MAX(seq),0)+1 FROM delegates))");
	if (!st)
		return -1;
	sqlite3_bind_int(st, 1, d->receive_copies);
	sqlite3_bind_int(st, 2, d->view_private);
	sqlite3_bind_int64(st, 3, owner);
	sqlite3_bind_text(st, 4, m->smtp, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	ewsd_stmt_done(rq->db, st);
	if (rc != SQLITE_DONE)
		return -1;
	d->found = 1;
	for (int i = 0; i < 6; i++) {
		const char *l = requested_level(soap, u, i);
		int64_t f;
		if (l && ((f = owner_folder(soap, rq->db, owner, i)) < 0 || ewsd_perm_set(rq->db, f, m->smtp, l)))
			return -1;
	}
	return 0;
}

static int delegate_remove(struct soap *soap, int64_t owner, const struct ewsd_mailbox *m)
{
	struct ewsd_request *rq = ewsd_req(soap);
	sqlite3_stmt *st = ewsd_stmt(rq->db, "DELETE FROM delegates WHERE mailbox_id=? AND smtp=?");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, owner);
	sqlite3_bind_text(st, 2, m->smtp, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	ewsd_stmt_done(rq->db, st);
	for (int i = 0; rc == SQLITE_DONE && i < 6; i++) {
		int64_t f = owner_folder(soap, rq->db, owner, i);
		if (f >= 0 && ewsd_perm_set(rq->db, f, m->smtp, NULL))
			return -1;
	}
	return rc == SQLITE_DONE ? 0 : -1;
}

static int set_deliver(sqlite3 *db, int64_t owner, const char *deliver)
{
	sqlite3_stmt *st = ewsd_stmt(db, "INSERT OR REPLACE INTO delegate_options(mailbox_id, deliver) VALUES(?,?)");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, owner);
	sqlite3_bind_text(st, 2, deliver, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	ewsd_stmt_done(db, st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* ---- the operations ---- */

/* The mailbox the request manages: NULL when it is the one acted on, else the code for the whole request. */
static const char *check_owner(struct soap *soap, const struct ewstype__EmailAddressType *mbx)
{
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewsd_mailbox other;
	if (!mbx || !mbx->EmailAddress || !*mbx->EmailAddress)
		return "ErrorInvalidUserInfo";
	if (!strcasecmp(mbx->EmailAddress, rq->mailbox_smtp))
		return NULL;
	return ewsd_mailbox_by_smtp(rq->db, mbx->EmailAddress, &other) ? "ErrorNonExistentMailbox" : "ErrorAccessDenied";
}

static struct ewsmsg__ArrayOfDelegateUserResponseMessageType *messages(struct soap *soap, int n)
{
	struct ewsmsg__ArrayOfDelegateUserResponseMessageType *a =
		EWSD_NEW(soap, struct ewsmsg__ArrayOfDelegateUserResponseMessageType);
	a->DelegateUserResponseMessageType = ewsd_zalloc(soap, sizeof *a->DelegateUserResponseMessageType * (size_t)(n ? n : 1));
	return a;
}

static void add_message(struct soap *soap, struct ewsmsg__ArrayOfDelegateUserResponseMessageType *a, const char *code,
			struct ewstype__DelegateUserType *u)
{
	struct ewsmsg__DelegateUserResponseMessageType *m = &a->DelegateUserResponseMessageType[a->__sizeDelegateUserResponseMessageType++];
	EWSD_SET_RESULT(soap, m, DelegateUserResponseMessageType, code);
	m->DelegateUser = u;
}

int __ewsmsg__GetDelegate(struct soap *soap, struct ewsmsg__GetDelegateType *req, struct __ewsmsg__GetDelegateResponse *resp)
{
	int rc = ewsd_begin_op(soap, "GetDelegate", req);
	if (rc)
		return rc;
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewsmsg__GetDelegateResponseMessageType *r = EWSD_NEW(soap, struct ewsmsg__GetDelegateResponseMessageType);
	const char *code = check_owner(soap, req->Mailbox);
	int with = req->IncludePermissions == xsd__boolean__true_;
	resp->ewsmsg__GetDelegateResponse = r;
	if (code) {
		EWSD_SET_RESULT(soap, r, GetDelegateResponseMessageType, code);
		return SOAP_OK;
	}
	EWSD_SET_RESULT(soap, r, GetDelegateResponseMessageType, "NoError");
	if (req->UserIds && req->UserIds->__sizeUserId > 0) {
		r->ResponseMessages = messages(soap, req->UserIds->__sizeUserId);
		for (int i = 0; i < req->UserIds->__sizeUserId; i++) {
			struct ewsd_mailbox m;
			struct delegate d;
			const char *err = ewsd_user_resolve(soap, &req->UserIds->UserId[i], &m);
			if (!err && delegate_get(rq->db, rq->mailbox_id, m.smtp, &d))
				err = "ErrorInternalServerError";
			if (!err && !d.found)
				err = "ErrorNotDelegate";
			add_message(soap, r->ResponseMessages, err ? err : "NoError",
				    err ? NULL : delegate_user(soap, rq->mailbox_id, &m, &d, with));
		}
	} else {
		/* every delegate, in the order they were added; none: no ResponseMessages */
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(rq->db, "SELECT smtp, receive_copies, view_private FROM delegates WHERE mailbox_id=?"
					       " ORDER BY seq", -1, &st, NULL) != SQLITE_OK) {
			EWSD_SET_RESULT(soap, r, GetDelegateResponseMessageType, "ErrorInternalServerError");
			return SOAP_OK;
		}
		sqlite3_bind_int64(st, 1, rq->mailbox_id);
		int n = 0, cap = 0;
		struct ewsmsg__ArrayOfDelegateUserResponseMessageType *a = NULL;
		while (sqlite3_step(st) == SQLITE_ROW) {
			struct ewsd_mailbox m;
			struct delegate d = { 1, sqlite3_column_int(st, 1), sqlite3_column_int(st, 2) };
			if (ewsd_mailbox_by_smtp(rq->db, (const char *)sqlite3_column_text(st, 0), &m))
				continue;
			if (n == cap) {
				struct ewsmsg__ArrayOfDelegateUserResponseMessageType *g = messages(soap, cap = cap ? 2 * cap : 8);
				if (a)
					memcpy(g->DelegateUserResponseMessageType, a->DelegateUserResponseMessageType,
					       sizeof *a->DelegateUserResponseMessageType * (size_t)n);
				g->__sizeDelegateUserResponseMessageType = n;
				a = g;
			}
			add_message(soap, a, "NoError", delegate_user(soap, rq->mailbox_id, &m, &d, with));
			n++;
		}
		sqlite3_finalize(st);
		r->ResponseMessages = a;
	}
	/* the mailbox's choice, or the default a mailbox has before anybody made one */
	sqlite3_stmt *st = ewsd_stmt(rq->db, "SELECT deliver FROM delegate_options WHERE mailbox_id=?");
	const char *deliver = DEFAULT_DELIVER;
	if (st) {
		sqlite3_bind_int64(st, 1, rq->mailbox_id);
		if (sqlite3_step(st) == SQLITE_ROW)
			deliver = soap_strdup(soap, (const char *)sqlite3_column_text(st, 0));
		ewsd_stmt_done(rq->db, st);
	}
	r->DeliverMeetingRequests = EWSD_NEW(soap, enum ewstype__DeliverMeetingRequestsType);
	if (soap_s2ewstype__DeliverMeetingRequestsType(soap, deliver, r->DeliverMeetingRequests))
		*r->DeliverMeetingRequests = ewstype__DeliverMeetingRequestsType__DelegatesAndSendInformationToMe;
	soap->error = SOAP_OK;
	return SOAP_OK;
}

/* AddDelegate (add 1) and UpdateDelegate (add 0): the same walk over DelegateUsers, in one transaction. */
static const char *add_or_update(struct soap *soap, struct ewstype__ArrayOfDelegateUserType *users,
				 enum ewstype__DeliverMeetingRequestsType *deliver, int add,
				 struct ewsmsg__ArrayOfDelegateUserResponseMessageType **out)
{
	struct ewsd_request *rq = ewsd_req(soap);
	int n = users ? users->__sizeDelegateUser : 0;
	/* the users first: a user of the --users file gets a mailbox here, outside the transaction below */
	struct ewsd_mailbox *m = ewsd_zalloc(soap, sizeof *m * (size_t)(n ? n : 1));
	const char **err = ewsd_zalloc(soap, sizeof *err * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++)
		err[i] = ewsd_user_resolve(soap, users->DelegateUser[i].UserId, &m[i]);
	if (ewsd_begin(rq->db))
		return "ErrorInternalServerError";
	*out = n ? messages(soap, n) : NULL;
	for (int i = 0; i < n; i++) {
		struct ewstype__DelegateUserType *u = &users->DelegateUser[i];
		struct delegate d;
		const char *e = err[i];
		if (!e && m[i].id == rq->mailbox_id)
			e = add ? "ErrorDelegateCannotAddOwner" : "ErrorNotDelegate";
		if (!e && delegate_get(rq->db, rq->mailbox_id, m[i].smtp, &d))
			e = "ErrorInternalServerError";
		if (!e && add && d.found)
			e = "ErrorDelegateAlreadyExists";
		if (!e && !add && !d.found)
			e = "ErrorNotDelegate";
		if (!e)
			e = validate(soap, rq->mailbox_id, &m[i], u, &d);
		if (!e && delegate_write(soap, rq->mailbox_id, &m[i], u, &d))
			e = "ErrorInternalServerError";
		add_message(soap, *out, e ? e : "NoError", e ? NULL : delegate_user(soap, rq->mailbox_id, &m[i], &d, 0));
	}
	if (deliver && set_deliver(rq->db, rq->mailbox_id, soap_ewstype__DeliverMeetingRequestsType2s(soap, *deliver))) {
		ewsd_rollback(rq->db);
		return "ErrorInternalServerError";
	}
	if (ewsd_commit(rq->db)) {
		ewsd_rollback(rq->db);
		return "ErrorInternalServerError";
	}
	return NULL;
}

int __ewsmsg__AddDelegate(struct soap *soap, struct ewsmsg__AddDelegateType *req, struct __ewsmsg__AddDelegateResponse *resp)
{
	int rc = ewsd_begin_op(soap, "AddDelegate", req);
	if (rc)
		return rc;
	struct ewsmsg__AddDelegateResponseMessageType *r = EWSD_NEW(soap, struct ewsmsg__AddDelegateResponseMessageType);
	struct ewsmsg__ArrayOfDelegateUserResponseMessageType *msgs = NULL;
	const char *code = check_owner(soap, req->Mailbox);
	resp->ewsmsg__AddDelegateResponse = r;
	if (!code)
		code = add_or_update(soap, req->DelegateUsers, req->DeliverMeetingRequests, 1, &msgs);
	EWSD_SET_RESULT(soap, r, AddDelegateResponseMessageType, code ? code : "NoError");
	r->ResponseMessages = code ? NULL : msgs;
	return SOAP_OK;
}

int __ewsmsg__UpdateDelegate(struct soap *soap, struct ewsmsg__UpdateDelegateType *req,
			     struct __ewsmsg__UpdateDelegateResponse *resp)
{
	int rc = ewsd_begin_op(soap, "UpdateDelegate", req);
	if (rc)
		return rc;
	struct ewsmsg__UpdateDelegateResponseMessageType *r = EWSD_NEW(soap, struct ewsmsg__UpdateDelegateResponseMessageType);
	struct ewsmsg__ArrayOfDelegateUserResponseMessageType *msgs = NULL;
	const char *code = check_owner(soap, req->Mailbox);
	resp->ewsmsg__UpdateDelegateResponse = r;
	if (!code)
		code = add_or_update(soap, req->DelegateUsers, req->DeliverMeetingRequests, 0, &msgs);
	EWSD_SET_RESULT(soap, r, UpdateDelegateResponseMessageType, code ? code : "NoError");
	r->ResponseMessages = code ? NULL : msgs;
	return SOAP_OK;
}

int __ewsmsg__RemoveDelegate(struct soap *soap, struct ewsmsg__RemoveDelegateType *req,
			     struct __ewsmsg__RemoveDelegateResponse *resp)
{
	int rc = ewsd_begin_op(soap, "RemoveDelegate", req);
	if (rc)
		return rc;
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewsmsg__RemoveDelegateResponseMessageType *r = EWSD_NEW(soap, struct ewsmsg__RemoveDelegateResponseMessageType);
	const char *code = check_owner(soap, req->Mailbox);
	int n = req->UserIds ? req->UserIds->__sizeUserId : 0;
	struct ewsd_mailbox *m = ewsd_zalloc(soap, sizeof *m * (size_t)(n ? n : 1));
	const char **err = ewsd_zalloc(soap, sizeof *err * (size_t)(n ? n : 1));
	resp->ewsmsg__RemoveDelegateResponse = r;
	for (int i = 0; !code && i < n; i++)       /* outside the transaction, as add_or_update */
		err[i] = ewsd_user_resolve(soap, &req->UserIds->UserId[i], &m[i]);
	if (!code && ewsd_begin(rq->db))
		code = "ErrorInternalServerError";
	if (code) {
		EWSD_SET_RESULT(soap, r, RemoveDelegateResponseMessageType, code);
		return SOAP_OK;
	}
	r->ResponseMessages = messages(soap, n);
	for (int i = 0; i < n; i++) {
		struct delegate d;
		const char *e = err[i];
		if (!e && delegate_get(rq->db, rq->mailbox_id, m[i].smtp, &d))
			e = "ErrorInternalServerError";
		if (!e && !d.found)
			e = "ErrorNotDelegate";
		if (!e && delegate_remove(soap, rq->mailbox_id, &m[i]))
			e = "ErrorInternalServerError";
		add_message(soap, r->ResponseMessages, e ? e : "NoError", NULL);
	}
	if (ewsd_commit(rq->db)) {
		ewsd_rollback(rq->db);
		r->ResponseMessages = NULL;
		EWSD_SET_RESULT(soap, r, RemoveDelegateResponseMessageType, "ErrorInternalServerError");
		return SOAP_OK;
	}
	EWSD_SET_RESULT(soap, r, RemoveDelegateResponseMessageType, "NoError");
	return SOAP_OK;
}
