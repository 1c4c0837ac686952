/* users.c — the users of the directory as EWS names them in a UserId (delegates, folder permissions): the
 * store's mailboxes and, with --users, the users of the file (whose mailbox is made on first use). A UserId is
 * found by PrimarySmtpAddress (without case), by SID or by DisplayName. ewsd's SIDs are one domain's,
 * S-1-5-21-<ewsd's domain>-<1000 + mailbox row>; a user's display name is its address's local part (ewsd keeps
 * no other). A user nobody knows is ErrorDelegateNoUser, a UserId naming nothing (or a DistinguishedUser)
 * ErrorInvalidUserInfo. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ewsd.h"
#include "auth.h"

#define SID_DOMAIN "S-1-5-21-2545373118-1479131346-3812097517-"
#define SID_RID_BASE 1000

static const char *user_by_sid(sqlite3 *db, const char *sid, struct ewsd_mailbox *m)
{
	char *end;
	if (strncasecmp(sid, SID_DOMAIN, strlen(SID_DOMAIN)))
		return "ErrorDelegateNoUser";
	long long rid = strtoll(sid + strlen(SID_DOMAIN), &end, 10);
	if (*end || rid <= SID_RID_BASE || ewsd_mailbox_by_id(db, rid - SID_RID_BASE, m))
		return "ErrorDelegateNoUser";
	return NULL;
}

static const char *user_by_name(sqlite3 *db, const char *name, struct ewsd_mailbox *m)
{
	sqlite3_stmt *st;
	int n = 0;
	if (sqlite3_prepare_v2(db, "SELECT smtp FROM mailboxes WHERE smtp LIKE ? ESCAPE '\\' ORDER BY id LIMIT 2", -1,
			       &st, NULL) != SQLITE_OK)
		return "ErrorInternalServerError";
	/* the local part, its LIKE wildcards escaped */
	size_t len = strlen(name);
	char *pat = malloc(2 * len + 3), *w = pat;
	if (!pat) {
		sqlite3_finalize(st);
		return "ErrorInternalServerError";
	}
	for (const char *c = name; *c; c++) {
		if (*c == '%' || *c == '_' || *c == '\\')
			*w++ = '\\';
		*w++ = *c;
	}
	strcpy(w, "@%");
	sqlite3_bind_text(st, 1, pat, -1, SQLITE_TRANSIENT);
	free(pat);
	char smtp[256] = "";
	while (sqlite3_step(st) == SQLITE_ROW)
		if (n++ == 0)
			snprintf(smtp, sizeof smtp, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	/* a name two users share names neither */
	return n == 1 && !ewsd_mailbox_by_smtp(db, smtp, m) ? NULL : "ErrorDelegateNoUser";
}

/* The store's mailbox a UserId names: NULL or the ResponseCode. */
const char *ewsd_user_resolve(struct soap *soap, const struct ewstype__UserIdType *u, struct ewsd_mailbox *m)
{
	struct ewsd_request *rq = ewsd_req(soap);
	if (!u || u->DistinguishedUser)
		return "ErrorInvalidUserInfo";
	if (u->PrimarySmtpAddress && *u->PrimarySmtpAddress) {
		if (!ewsd_mailbox_by_smtp(rq->db, u->PrimarySmtpAddress, m))
			return NULL;
		if (ewsd_cfg.users_file && ewsd_user_known(u->PrimarySmtpAddress))
			return ewsd_mailbox_ensure(rq->db, u->PrimarySmtpAddress, m) ? "ErrorInternalServerError" : NULL;
		return "ErrorDelegateNoUser";
	}
	if (u->SID && *u->SID)
		return user_by_sid(rq->db, u->SID, m);
	if (u->DisplayName && *u->DisplayName)
		return user_by_name(rq->db, u->DisplayName, m);
	return "ErrorInvalidUserInfo";
}

struct ewstype__UserIdType *ewsd_user_id(struct soap *soap, const struct ewsd_mailbox *m)
{
	struct ewstype__UserIdType *u = EWSD_NEW(soap, struct ewstype__UserIdType);
	char sid[96];
	snprintf(sid, sizeof sid, "%s%lld", SID_DOMAIN, (long long)(m->id + SID_RID_BASE));
	u->SID = soap_strdup(soap, sid);
	u->PrimarySmtpAddress = soap_strdup(soap, m->smtp);
	u->DisplayName = soap_strdup(soap, m->smtp);
	char *at = strchr(u->DisplayName, '@');
	if (at)
		*at = '\0';
	return u;
}
