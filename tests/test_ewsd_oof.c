/* test_ewsd_oof.c — Get/SetUserOofSettings against a running ewsd: a new mailbox reads Disabled / All with a
 * duration and empty replies, settings set are read back (state, audience, duration, both replies), a Scheduled
 * state without a valid duration is refused and changes nothing, another user's settings are not served. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;

static char *post_as(const char *user, const char *body) { return ews_post_body(&srv, user, "Exchange2013", body); }

static char *get_oof(const char *user, const char *of)
{
	char body[512];
	snprintf(body, sizeof body, "<m:GetUserOofSettingsRequest><t:Mailbox><t:Address>%s</t:Address></t:Mailbox>"
		 "</m:GetUserOofSettingsRequest>", of);
	return post_as(user, body);
}

static char *set_oof(const char *user, const char *settings)
{
	char body[2048];
	snprintf(body, sizeof body, "<m:SetUserOofSettingsRequest><t:Mailbox><t:Address>%s</t:Address></t:Mailbox>"
		 "<t:UserOofSettings>%s</t:UserOofSettings></m:SetUserOofSettingsRequest>", user, settings);
	return post_as(user, body);
}


static void a_new_mailbox_reads_exchanges_defaults(void)
{
	char *r = get_oof("fresh@example.com", "fresh@example.com");
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	ewsd_text_is(r, "OofState", 0, "Disabled");
	ewsd_text_is(r, "ExternalAudience", 0, "All");
	ewsd_text_is(r, "AllowExternalOof", 0, "All");
	CU_ASSERT(r && xml_count(r, "StartTime") == 1 && xml_count(r, "EndTime") == 1 && xml_count(r, "InternalReply") == 1);
	free(r);
}

static void settings_set_are_read_back(void)
{
	const char *u = "away@example.com";
	char *r = set_oof(u, "<t:OofState>Scheduled</t:OofState><t:ExternalAudience>Known</t:ExternalAudience>"
			     "<t:Duration><t:StartTime>2030-07-01T08:00:00Z</t:StartTime><t:EndTime>2030-07-15T17:00:00Z"
			     "</t:EndTime></t:Duration><t:InternalReply><t:Message>inside</t:Message></t:InternalReply>"
			     "<t:ExternalReply><t:Message>outside</t:Message></t:ExternalReply>");
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	free(r);
	r = get_oof(u, "AWAY@example.com");
	ewsd_text_is(r, "OofState", 0, "Scheduled");
	ewsd_text_is(r, "ExternalAudience", 0, "Known");
	ewsd_text_is(r, "StartTime", 0, "2030-07-01T08:00:00Z");
	ewsd_text_is(r, "EndTime", 0, "2030-07-15T17:00:00Z");
	ewsd_text_is(r, "Message", 0, "inside");
	ewsd_text_is(r, "Message", 1, "outside");
	free(r);
	/* Enabled without a duration keeps the stored one and the replies not sent */
	r = set_oof(u, "<t:OofState>Enabled</t:OofState><t:ExternalAudience>None</t:ExternalAudience>");
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	free(r);
	r = get_oof(u, u);
	ewsd_text_is(r, "OofState", 0, "Enabled");
	ewsd_text_is(r, "ExternalAudience", 0, "None");
	ewsd_text_is(r, "Message", 0, "inside");
	free(r);
}

static void a_bad_schedule_is_refused_and_changes_nothing(void)
{
	const char *u = "sched@example.com";
	char *r = set_oof(u, "<t:OofState>Scheduled</t:OofState><t:ExternalAudience>All</t:ExternalAudience>");
	ewsd_text_is(r, "ResponseCode", 0, "ErrorInvalidScheduledOofDuration");
	free(r);
	r = set_oof(u, "<t:OofState>Scheduled</t:OofState><t:ExternalAudience>All</t:ExternalAudience><t:Duration>"
		       "<t:StartTime>2030-07-15T00:00:00Z</t:StartTime><t:EndTime>2030-07-01T00:00:00Z</t:EndTime>"
		       "</t:Duration>");
	ewsd_text_is(r, "ResponseCode", 0, "ErrorInvalidScheduledOofDuration");
	free(r);
	r = get_oof(u, u);
	ewsd_text_is(r, "OofState", 0, "Disabled");
	free(r);
}

static void another_users_settings_are_not_served(void)
{
	free(get_oof("owner@example.com", "owner@example.com"));      /* makes the mailbox */
	char *r = get_oof("other@example.com", "owner@example.com");
	ewsd_text_is(r, "ResponseCode", 0, "ErrorAccessDenied");
	CU_ASSERT(r && xml_count(r, "OofSettings") == 0);
	free(r);
	r = get_oof("other@example.com", "nobody@nowhere.example");
	ewsd_text_is(r, "ResponseCode", 0, "ErrorMailRecipientNotFound");
	free(r);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "a new mailbox reads Exchange's defaults", a_new_mailbox_reads_exchanges_defaults },
		{ "settings set are read back", settings_set_are_read_back },
		{ "a bad schedule is refused and changes nothing", a_bad_schedule_is_refused_and_changes_nothing },
		{ "another user's settings are not served", another_users_settings_are_not_served },
		{ NULL, NULL }
	};
	if (ewsd_start(&srv, NULL, NULL)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd out-of-office settings", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
