/* op_convert.c — ConvertId between EwsLegacyId, EwsId, EntryId, HexEntryId, StoreId and OwaId.
 * As the reference page says, the Mailbox SMTP address is checked for format only, not for existence. */
#include <string.h>

#include "ewsd.h"

int __ewsmsg__ConvertId(struct soap *soap, struct ewsmsg__ConvertIdType *req, struct __ewsmsg__ConvertIdResponse *resp)
{
	int rc = ewsd_begin_op(soap, "ConvertId", req);
	if (rc)
		return rc;
	int n = req->SourceIds ? req->SourceIds->__size_NonEmptyArrayOfAlternateIdsType : 0;
	enum ewsd_id_format to = ewsd_id_format_parse(soap_ewstype__IdFormatType2s(soap, req->DestinationFormat));
	resp->ewsmsg__ConvertIdResponse = EWSD_NEW(soap, struct ewsmsg__ConvertIdResponseType);
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, n);
	resp->ewsmsg__ConvertIdResponse->ResponseMessages = msgs;
	for (int i = 0; i < n; i++) {
		struct __ewstype__union_NonEmptyArrayOfAlternateIdsType *u =
			&req->SourceIds->__union_NonEmptyArrayOfAlternateIdsType[i];
		struct ewsmsg__ConvertIdResponseMessageType *m = EWSD_NEW(soap, struct ewsmsg__ConvertIdResponseMessageType);
		const char *err = NULL;
		char *out = NULL;
		msgs->__union_ArrayOfResponseMessagesType[i].__union_ArrayOfResponseMessagesType =
			SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_ConvertIdResponseMessage;
		msgs->__union_ArrayOfResponseMessagesType[i].union_ArrayOfResponseMessagesType.ConvertIdResponseMessage = m;
		struct ewstype__AlternateIdType *a =
			u->__union_NonEmptyArrayOfAlternateIdsType == SOAP_UNION__ewstype__union_NonEmptyArrayOfAlternateIdsType_AlternateId
				? u->union_NonEmptyArrayOfAlternateIdsType.AlternateId : NULL;
		if (!a) {
			/* public folder ids: this store has no public folders */
			err = "ErrorInvalidIdMalformed";
		} else if (!a->Mailbox || !ewsd_valid_smtp(a->Mailbox)) {
			err = "ErrorInvalidSmtpAddress";
		} else {
			enum ewsd_id_format from = ewsd_id_format_parse(soap_ewstype__IdFormatType2s(soap, a->Format));
			out = from == EWSD_FMT_INVALID || to == EWSD_FMT_INVALID
				      ? NULL : ewsd_id_convert(soap, a->Id, from, to, a->Mailbox);
			if (!out)
				err = "ErrorInvalidIdMalformed";
		}
		EWSD_SET_RESULT(soap, m, ConvertIdResponseMessageType, err ? err : "NoError");
		if (err)
			continue;
		/* AlternateId is declared with the abstract base type; the concrete AlternateIdType goes in its -F slot
		 * and is written with xsi:type="t:AlternateIdType", as Exchange does */
		m->AlternateId = EWSD_NEW(soap, struct ewstype__AlternateIdBaseType);
		m->AlternateId->Format = req->DestinationFormat;
		m->AlternateId->ewstype__AlternateIdType = EWSD_NEW(soap, struct ewstype__AlternateIdType);
		m->AlternateId->ewstype__AlternateIdType->Format = req->DestinationFormat;
		m->AlternateId->ewstype__AlternateIdType->Id = out;
		m->AlternateId->ewstype__AlternateIdType->Mailbox = soap_strdup(soap, a->Mailbox);
	}
	return SOAP_OK;
}
