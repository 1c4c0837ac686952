/* op_tips.c — GetMailTips, as the GetMailTips reference page and MS-OXWSMTIP describe it: one response (its own
 * ResponseClass/ResponseCode) holding one MailTipsResponseMessageType per recipient, each with the MailTips asked
 * for (All: every tip ewsd knows). The tips come from the store: OutOfOffice is the recipient mailbox's automatic
 * reply while it is on (Enabled, or Scheduled and now inside its Duration, which is then sent too), an empty
 * ReplyBody otherwise, as Exchange answers; a recipient is one mailbox (TotalMemberCount 1, ExternalMemberCount 0),
 * never full, moderated or restricted; MaxMessageSize is Exchange's default 10 MB; InvalidRecipient is true for an
 * address that is not an SMTP address. PendingMailTips is empty: every tip is answered at once. */
#include <string.h>
#include <strings.h>

#include "ewsd.h"

/* GetMailTips came with Exchange 2010: an Exchange2007_SP1 set has no such operation to serve */
#ifdef SOAP_TYPE_ewsmsg__GetMailTipsType

#define EWSD_MAX_MESSAGE_SIZE 10485760     /* Exchange's default organization send/receive limit */

static enum xsd__boolean *boolean(struct soap *soap, int v)
{
	enum xsd__boolean *b = soap_malloc(soap, sizeof *b);
	*b = v ? xsd__boolean__true_ : xsd__boolean__false_;
	return b;
}

static int *integer(struct soap *soap, int v)
{
	int *p = soap_malloc(soap, sizeof *p);
	*p = v;
	return p;
}

static struct ewstype__MailTips *tips_for(struct soap *soap, const struct ewstype__EmailAddressType *who,
					  enum ewstype__MailTipTypes asked)
{
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewstype__MailTips *t = EWSD_NEW(soap, struct ewstype__MailTips);
	int all = (asked & ewstype__MailTipTypes__All) != 0;
	const char *addr = who->EmailAddress ? who->EmailAddress : "";
	t->RecipientAddress = EWSD_NEW(soap, struct ewstype__EmailAddressType);
	t->RecipientAddress->Name = who->Name ? who->Name : "";
	t->RecipientAddress->EmailAddress = soap_strdup(soap, addr);
	t->RecipientAddress->RoutingType = "SMTP";
	t->PendingMailTips = (enum ewstype__MailTipTypes)0;
	int valid = ewsd_valid_smtp(addr);
	if (all || (asked & ewstype__MailTipTypes__OutOfOfficeMessage)) {
		struct ewsd_mailbox m;
		const char *reply = NULL, *start = NULL, *end = NULL;
		t->OutOfOffice = EWSD_NEW(soap, struct ewstype__OutOfOfficeMailTip);
		t->OutOfOffice->ReplyBody = EWSD_NEW(soap, struct ewstype__ReplyBody);
		if (valid && !ewsd_mailbox_by_smtp(rq->db, addr, &m) &&
		    ewsd_oof_active_reply(soap, rq->db, m.id, &reply, &start, &end)) {
			t->OutOfOffice->ReplyBody->Message = (char *)reply;
			if (start && end) {
				t->OutOfOffice->Duration = EWSD_NEW(soap, struct ewstype__Duration);
				t->OutOfOffice->Duration->StartTime = (char *)start;
				t->OutOfOffice->Duration->EndTime = (char *)end;
			}
		} else {
			t->OutOfOffice->ReplyBody->Message = "";
		}
	}
	if (all || (asked & ewstype__MailTipTypes__MailboxFullStatus))
		t->MailboxFull = boolean(soap, 0);
	if (all || (asked & ewstype__MailTipTypes__TotalMemberCount))
		t->TotalMemberCount = integer(soap, 1);
	if (all || (asked & ewstype__MailTipTypes__ExternalMemberCount))
		t->ExternalMemberCount = integer(soap, 0);
	if (all || (asked & ewstype__MailTipTypes__MaxMessageSize))
		t->MaxMessageSize = integer(soap, EWSD_MAX_MESSAGE_SIZE);
	if (all || (asked & ewstype__MailTipTypes__DeliveryRestriction))
		t->DeliveryRestricted = boolean(soap, 0);
	if (all || (asked & ewstype__MailTipTypes__ModerationStatus))
		t->IsModerated = boolean(soap, 0);
	if (all || (asked & ewstype__MailTipTypes__InvalidRecipient))
		t->InvalidRecipient = boolean(soap, !valid);
	return t;
}

int __ewsmsg__GetMailTips(struct soap *soap, struct ewsmsg__GetMailTipsType *req,
			  struct __ewsmsg__GetMailTipsResponse *resp)
{
	int rc = ewsd_begin_op(soap, "GetMailTips", req);
	if (rc)
		return rc;
	struct ewsmsg__GetMailTipsResponseMessageType *r = EWSD_NEW(soap, struct ewsmsg__GetMailTipsResponseMessageType);
	resp->ewsmsg__GetMailTipsResponse = r;
	EWSD_SET_RESULT(soap, r, GetMailTipsResponseMessageType, "NoError");
	int n = req->Recipients ? req->Recipients->__size_ArrayOfRecipientsType : 0;
	if (n <= 0)
		return SOAP_OK;
	r->ResponseMessages = EWSD_NEW(soap, struct ewsmsg__ArrayOfMailTipsResponseMessageType);
	r->ResponseMessages->__sizeMailTipsResponseMessageType = n;
	r->ResponseMessages->MailTipsResponseMessageType =
		ewsd_zalloc(soap, sizeof *r->ResponseMessages->MailTipsResponseMessageType * (size_t)n);
	for (int i = 0; i < n; i++) {
		struct ewsmsg__MailTipsResponseMessageType *m = &r->ResponseMessages->MailTipsResponseMessageType[i];
		struct ewstype__EmailAddressType *who =
			req->Recipients->__union_ArrayOfRecipientsType[i].union_ArrayOfRecipientsType.Mailbox;
		if (!who) {
			EWSD_SET_RESULT(soap, m, MailTipsResponseMessageType, "ErrorInvalidRecipients");
			continue;
		}
		EWSD_SET_RESULT(soap, m, MailTipsResponseMessageType, "NoError");
		m->MailTips = tips_for(soap, who, req->MailTipsRequested);
	}
	return SOAP_OK;
}

#endif /* SOAP_TYPE_ewsmsg__GetMailTipsType */
