/* op_oof.c — GetUserOofSettings and SetUserOofSettings: a mailbox's out-of-office settings, as the two reference
 * pages describe them (one ResponseMessage, OofSettings, AllowExternalOof).
 *
 * The settings live in the store's meta table under "oof:<mailbox id>", fields separated by 0x1F: state, external
 * audience, start, end, internal reply, external reply. A mailbox that never set them reads Disabled, audience
 * All, a one-day duration from the current hour and empty replies, as a new Exchange mailbox does. Only the
 * mailbox acted on (the user's own, or the impersonated one) can be read or changed. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ewsd.h"

struct oof {
	enum ewstype__OofState state;
	enum ewstype__ExternalAudience audience;
	char start[32], end[32];
	char *internal, *external;      /* soap-managed */
};

static void defaults(struct oof *o)
{
	time_t now = time(NULL), t = now - now % 3600;
	struct tm tm;
	memset(o, 0, sizeof *o);
	o->state = ewstype__OofState__Disabled;
	o->audience = ewstype__ExternalAudience__All;
	gmtime_r(&t, &tm);
	strftime(o->start, sizeof o->start, "%Y-%m-%dT%H:%M:%SZ", &tm);
	t += 86400;
	gmtime_r(&t, &tm);
	strftime(o->end, sizeof o->end, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void key_of(int64_t mailbox, char key[40]) { snprintf(key, 40, "oof:%lld", (long long)mailbox); }

static void load(struct soap *soap, sqlite3 *db, int64_t mailbox, struct oof *o)
{
	sqlite3_stmt *st;
	char key[40];
	defaults(o);
	key_of(mailbox, key);
	if (sqlite3_prepare_v2(db, "SELECT v FROM meta WHERE k=?", -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
		char *f[6] = { 0 }, *p = soap_strdup(soap, (const char *)sqlite3_column_text(st, 0));
		for (int i = 0; i < 6 && p; i++) {
			f[i] = p;
			p = strchr(p, '\x1f');
			if (p)
				*p++ = '\0';
		}
		if (f[5]) {
			o->state = (enum ewstype__OofState)atoi(f[0]);
			o->audience = (enum ewstype__ExternalAudience)atoi(f[1]);
			snprintf(o->start, sizeof o->start, "%s", f[2]);
			snprintf(o->end, sizeof o->end, "%s", f[3]);
			o->internal = f[4];
			o->external = f[5];
		}
	}
	sqlite3_finalize(st);
}

static int save(struct soap *soap, sqlite3 *db, int64_t mailbox, const struct oof *o)
{
	sqlite3_stmt *st;
	char key[40], head[96];
	key_of(mailbox, key);
	snprintf(head, sizeof head, "%d\x1f%d\x1f%s\x1f%s\x1f", (int)o->state, (int)o->audience, o->start, o->end);
	size_t n = strlen(head) + (o->internal ? strlen(o->internal) : 0) + (o->external ? strlen(o->external) : 0) + 2;
	char *v = soap_malloc(soap, n);
	if (!v)
		return -1;
	snprintf(v, n, "%s%s\x1f%s", head, o->internal ? o->internal : "", o->external ? o->external : "");
	if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta(k,v) VALUES(?,?)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, v, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The mailbox a request names: NULL when it is the one acted on, else the ResponseCode. */
static const char *check_mailbox(struct soap *soap, const struct ewstype__EmailAddress *m)
{
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewsd_mailbox other;
	if (!m || !m->Address || !*m->Address)
		return "ErrorInvalidParameter";
	if (!strcasecmp(m->Address, rq->mailbox_smtp))
		return NULL;
	return ewsd_mailbox_by_smtp(rq->db, m->Address, &other) ? "ErrorMailRecipientNotFound" : "ErrorAccessDenied";
}

static struct ewsmsg__ResponseMessageType *message(struct soap *soap, const char *code)
{
	struct ewsmsg__ResponseMessageType *m = EWSD_NEW(soap, struct ewsmsg__ResponseMessageType);
	EWSD_SET_RESULT(soap, m, ResponseMessageType, code);
	return m;
}

static struct ewstype__ReplyBody *reply(struct soap *soap, const char *text)
{
	struct ewstype__ReplyBody *r = EWSD_NEW(soap, struct ewstype__ReplyBody);
	r->Message = soap_strdup(soap, text ? text : "");
	return r;
}

int __ewsmsg__GetUserOofSettings(struct soap *soap, struct ewsmsg__GetUserOofSettingsRequest *req,
				 struct __ewsmsg__GetUserOofSettingsResponse *resp)
{
	int rc = ewsd_begin_op(soap, "GetUserOofSettings", req);
	if (rc)
		return rc;
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewsmsg__GetUserOofSettingsResponse *r = EWSD_NEW(soap, struct ewsmsg__GetUserOofSettingsResponse);
	resp->ewsmsg__GetUserOofSettingsResponse = r;
	const char *err = check_mailbox(soap, req->ewstype__Mailbox);
	r->ResponseMessage = message(soap, err ? err : "NoError");
	if (err)
		return SOAP_OK;
	struct oof o;
	load(soap, rq->db, rq->mailbox_id, &o);
	struct ewstype__UserOofSettings *s = EWSD_NEW(soap, struct ewstype__UserOofSettings);
	s->OofState = o.state;
	s->ExternalAudience = o.audience;
	s->Duration = EWSD_NEW(soap, struct ewstype__Duration);
	s->Duration->StartTime = soap_strdup(soap, o.start);
	s->Duration->EndTime = soap_strdup(soap, o.end);
	s->InternalReply = reply(soap, o.internal);
	s->ExternalReply = reply(soap, o.external);
	r->ewstype__OofSettings = s;
	r->AllowExternalOof = soap_malloc(soap, sizeof *r->AllowExternalOof);
	*r->AllowExternalOof = ewstype__ExternalAudience__All;
	return SOAP_OK;
}

int __ewsmsg__SetUserOofSettings(struct soap *soap, struct ewsmsg__SetUserOofSettingsRequest *req,
				 struct __ewsmsg__SetUserOofSettingsResponse *resp)
{
	int rc = ewsd_begin_op(soap, "SetUserOofSettings", req);
	if (rc)
		return rc;
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewsmsg__SetUserOofSettingsResponse *r = EWSD_NEW(soap, struct ewsmsg__SetUserOofSettingsResponse);
	resp->ewsmsg__SetUserOofSettingsResponse = r;
	const char *err = check_mailbox(soap, req->ewstype__Mailbox);
	struct ewstype__UserOofSettings *in = req->ewstype__UserOofSettings;
	struct oof o;
	if (!err && !in)
		err = "ErrorInvalidParameter";
	if (!err) {
		load(soap, rq->db, rq->mailbox_id, &o);
		o.state = in->OofState;
		o.audience = in->ExternalAudience;
		if (in->Duration) {
			const char *s = ewsd_norm_date(soap, in->Duration->StartTime), *e = ewsd_norm_date(soap, in->Duration->EndTime);
			if (!s || !e || strcmp(s, e) >= 0)
				err = "ErrorInvalidScheduledOofDuration";
			else {
				snprintf(o.start, sizeof o.start, "%s", s);
				snprintf(o.end, sizeof o.end, "%s", e);
			}
		} else if (in->OofState == ewstype__OofState__Scheduled) {
			err = "ErrorInvalidScheduledOofDuration";     /* a schedule needs its duration */
		}
		/* a reply element that is absent keeps the stored text; one that is present replaces it */
		if (in->InternalReply)
			o.internal = in->InternalReply->Message ? in->InternalReply->Message : "";
		if (in->ExternalReply)
			o.external = in->ExternalReply->Message ? in->ExternalReply->Message : "";
	}
	if (!err && save(soap, rq->db, rq->mailbox_id, &o))
		err = "ErrorInternalServerError";
	r->ResponseMessage = message(soap, err ? err : "NoError");
	return SOAP_OK;
}

/* For GetMailTips (op_tips.c): 1 when the mailbox's automatic reply is on now (Enabled, or Scheduled with now in
 * its Duration), with the internal reply; *start and *end set for a scheduled one (soap-managed). */
int ewsd_oof_active_reply(struct soap *soap, sqlite3 *db, int64_t mailbox, const char **reply, const char **start,
			  const char **end)
{
	struct oof o;
	char now[32];
	load(soap, db, mailbox, &o);
	ewsd_now(now);
	*start = *end = NULL;
	if (o.state == ewstype__OofState__Scheduled) {
		const char *s = ewsd_norm_date(soap, o.start), *e = ewsd_norm_date(soap, o.end);
		if (!s || !e || strcmp(now, s) < 0 || strcmp(now, e) >= 0)
			return 0;
		*start = s, *end = e;
	} else if (o.state != ewstype__OofState__Enabled) {
		return 0;
	}
	*reply = o.internal ? o.internal : "";
	return 1;
}
