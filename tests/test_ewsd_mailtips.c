/* test_ewsd_mailtips.c — GetMailTips against a running ewsd, as the GetMailTips page's example answers: the
 * response's own NoError, one MailTipsResponseMessageType per recipient with RecipientAddress, an empty
 * PendingMailTips, OutOfOffice (an empty ReplyBody Message, or the recipient's internal reply while its automatic
 * replies are on, with the Duration of a scheduled one), MailboxFull false, TotalMemberCount 1, ExternalMemberCount
 * 0, MaxMessageSize, DeliveryRestricted/IsModerated false, InvalidRecipient; only the tips asked for. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews_operations.h"
#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;

static char *post_as(const char *user, const char *body) { return ews_post_body(&srv, user, "Exchange2010", body); }

static char *tips(const char *recipients_xml, const char *requested)
{
	char body[4096];
	snprintf(body, sizeof body, "<m:GetMailTips><m:SendingAs><t:EmailAddress>sender@example.com</t:EmailAddress>"
		 "<t:RoutingType>SMTP</t:RoutingType></m:SendingAs><m:Recipients>%s</m:Recipients><m:MailTipsRequested>%s"
		 "</m:MailTipsRequested></m:GetMailTips>", recipients_xml, requested);
	return post_as("sender@example.com", body);
}


#define MBX(a) "<t:Mailbox><t:EmailAddress>" a "</t:EmailAddress></t:Mailbox>"

static void every_tip_is_answered_for_each_recipient(void)
{
	char *r = tips(MBX("colleague@example.com") MBX("not an address"), "All");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT(strstr(r, "<m:GetMailTipsResponse ResponseClass=\"Success\"") != NULL);
	CU_ASSERT_EQUAL(xml_count(r, "MailTipsResponseMessageType"), 2);
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	ewsd_text_is(r, "ResponseCode", 1, "NoError");
	ewsd_text_is(r, "EmailAddress", 0, "colleague@example.com");
	CU_ASSERT(strstr(r, "<t:OutOfOffice><t:ReplyBody><t:Message></t:Message></t:ReplyBody></t:OutOfOffice>") ||
		  strstr(r, "<t:OutOfOffice><t:ReplyBody><t:Message/></t:ReplyBody></t:OutOfOffice>"));
	ewsd_text_is(r, "MailboxFull", 0, "false");
	ewsd_text_is(r, "TotalMemberCount", 0, "1");
	ewsd_text_is(r, "ExternalMemberCount", 0, "0");
	ewsd_text_is(r, "MaxMessageSize", 0, "10485760");
	ewsd_text_is(r, "DeliveryRestricted", 0, "false");
	ewsd_text_is(r, "IsModerated", 0, "false");
	ewsd_text_is(r, "InvalidRecipient", 0, "false");
	ewsd_text_is(r, "InvalidRecipient", 1, "true");
	CU_ASSERT(strstr(r, "<m:MailTips>") != NULL);      /* MailTips is in the messages namespace */
	free(r);
	/* only what is asked */
	r = tips(MBX("colleague@example.com"), "MaxMessageSize InvalidRecipient");
	CU_ASSERT(r && xml_count(r, "MaxMessageSize") == 1 && xml_count(r, "InvalidRecipient") == 1 &&
		  xml_count(r, "OutOfOffice") == 0 && xml_count(r, "MailboxFull") == 0);
	free(r);
}

static void a_recipient_away_shows_its_internal_reply(void)
{
	char *r = post_as("away@example.com",
			  "<m:SetUserOofSettingsRequest><t:Mailbox><t:Address>away@example.com</t:Address></t:Mailbox>"
			  "<t:UserOofSettings><t:OofState>Enabled</t:OofState><t:ExternalAudience>All</t:ExternalAudience>"
			  "<t:InternalReply><t:Message>Back on Monday</t:Message></t:InternalReply>"
			  "<t:ExternalReply><t:Message>Away</t:Message></t:ExternalReply></t:UserOofSettings>"
			  "</m:SetUserOofSettingsRequest>");
	CU_ASSERT(r && strstr(r, "NoError"));
	free(r);
	r = tips(MBX("away@example.com"), "OutOfOfficeMessage");
	ewsd_text_is(r, "Message", 0, "Back on Monday");
	CU_ASSERT(r && xml_count(r, "Duration") == 0);
	free(r);
	/* scheduled in the past: no reply any more */
	r = post_as("away@example.com",
		    "<m:SetUserOofSettingsRequest><t:Mailbox><t:Address>away@example.com</t:Address></t:Mailbox>"
		    "<t:UserOofSettings><t:OofState>Scheduled</t:OofState><t:ExternalAudience>All</t:ExternalAudience>"
		    "<t:Duration><t:StartTime>2020-01-01T00:00:00Z</t:StartTime><t:EndTime>2020-01-02T00:00:00Z</t:EndTime>"
		    "</t:Duration></t:UserOofSettings></m:SetUserOofSettingsRequest>");
	free(r);
	r = tips(MBX("away@example.com"), "OutOfOfficeMessage");
	char *m = r ? xml_text(r, "Message", 0) : NULL;
	CU_ASSERT(m && !*m);
	free(m), free(r);
	/* scheduled around now: the reply and its Duration */
	r = post_as("away@example.com",
		    "<m:SetUserOofSettingsRequest><t:Mailbox><t:Address>away@example.com</t:Address></t:Mailbox>"
		    "<t:UserOofSettings><t:OofState>Scheduled</t:OofState><t:ExternalAudience>All</t:ExternalAudience>"
		    "<t:Duration><t:StartTime>2020-01-01T00:00:00Z</t:StartTime><t:EndTime>2099-01-01T00:00:00Z</t:EndTime>"
		    "</t:Duration></t:UserOofSettings></m:SetUserOofSettingsRequest>");
	free(r);
	r = tips(MBX("away@example.com"), "OutOfOfficeMessage");
	ewsd_text_is(r, "Message", 0, "Back on Monday");
	ewsd_text_is(r, "StartTime", 0, "2020-01-01T00:00:00Z");
	ewsd_text_is(r, "EndTime", 0, "2099-01-01T00:00:00Z");
	free(r);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "every tip is answered for each recipient", every_tip_is_answered_for_each_recipient },
		{ "a recipient away shows its internal reply", a_recipient_away_shows_its_internal_reply },
		{ NULL, NULL }
	};
	if (!ews_operation_find("GetMailTips")) {
		printf("ewsd GetMailTips: skipped: the bindings' schema has no GetMailTips\n");
		return 0;
	}
	if (ewsd_start(&srv, NULL, NULL)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd GetMailTips", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
