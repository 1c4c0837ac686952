/* ews_convert.c — ConvertId for a batch of ids with one result per id, plus the public-folder fix-up. */
#include <stdlib.h>
#include <string.h>

#include "ews/convert.h"
#include "ews/response.h"
#include "ews_operations.h"
#include "ews_schema.h"
#include "ews_schema_members.h"
#include "ews_workflow.h"

#define MAX_IDS 1000

void ews_convert_results_free(ews_convert_result *results, size_t n)
{
	if (!results)
		return;
	for (size_t i = 0; i < n; i++) {
		free(results[i].id);
		free(results[i].mailbox);
	}
	free(results);
}

/* ConvertId came with Exchange 2007 SP1: bindings from a set without it answer EWS_ERR_UNSUPPORTED here
 * (EWS_HAVE_OP_* come from the generated ews_schema.h), like the export helpers without ExportItems. */
#ifndef EWS_HAVE_OP_CONVERT_ID
ews_status ews_convert_ids(ews_client *c, const ews_alternate_id *src, size_t n, ews_id_format to,
                           ews_convert_result **results)
{
	if (results)
		*results = NULL;
	return ews_status_make(EWS_ERR_UNSUPPORTED, "ConvertId is not an operation of the schema %s", EWS_SCHEMA_NAME);
}
#else

/* ews_id_format follows the EWS Managed API numbering; map by name so a schema that orders IdFormatType
 * differently cannot mix formats up. */
static int to_wire(struct soap *a, ews_id_format f, enum ewstype__IdFormatType *out)
{
	const char *name = ews_id_format_name(f);
	return EWS_WF_ENUM_FROM_NAME(a, ewstype__IdFormatType, name, out);
}

static int from_wire(struct soap *a, enum ewstype__IdFormatType w, ews_id_format *out)
{
	const char *name = soap_ewstype__IdFormatType2s(a, w);
	return name && ews_ok(ews_id_format_from_name(name, out));
}

/* The ConvertId page's workaround, for results that carry an ENTRYID. */
static void fix_public(ews_convert_result *r)
{
	char *fixed = NULL;
	int changed = 0;
	if (r->format != EWS_ID_ENTRY_ID && r->format != EWS_ID_HEX_ENTRY_ID && r->format != EWS_ID_STORE_ID)
		return;
	ews_status st = ews_id_fix_public_folder_entry_id(r->id, r->format, &fixed, &changed);
	if (!ews_ok(st)) {
		r->status = st;
		free(r->id);
		r->id = NULL;
		return;
	}
	free(r->id);
	r->id = fixed;
	r->fixed = changed;
}

ews_status ews_convert_ids(ews_client *c, const ews_alternate_id *src, size_t n, ews_id_format to,
                           ews_convert_result **results)
{
	enum ewstype__IdFormatType wire_to;
	ews_status overall = ews_status_ok();

	if (results)
		*results = NULL;
	if (!c || !src || !results || n == 0 || n > MAX_IDS)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_convert_ids: NULL argument or %zu ids (1..%d)", n, MAX_IDS);
	struct soap *a = ews_wf_soap_new();
	if (!a)
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	if (!to_wire(a, to, &wire_to)) {
		ews_wf_soap_free(a);
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_convert_ids: unknown target format %d", (int)to);
	}
	for (size_t i = 0; i < n; i++) {
		enum ewstype__IdFormatType w;
		if (!src[i].id || !to_wire(a, src[i].format, &w)) {
			ews_wf_soap_free(a);
			return ews_status_make(EWS_ERR_ARGUMENT, "ews_convert_ids: id %zu has no id or an unknown format", i + 1);
		}
	}
	ews_convert_result *r = calloc(n, sizeof *r);
	struct ewsmsg__ConvertIdType *req = soap_new_ewsmsg__ConvertIdType(a, -1);
	struct __ewstype__union_NonEmptyArrayOfAlternateIdsType *u =
		soap_new___ewstype__union_NonEmptyArrayOfAlternateIdsType(a, (int)n);
	ews_status st = r && req && u && (req->SourceIds = soap_new_ewstype__NonEmptyArrayOfAlternateIdsType(a, -1))
		? ews_status_ok() : ews_status_make(EWS_ERR_NOMEM, "out of memory");
	for (size_t i = 0; ews_ok(st) && i < n; i++) {
		struct ewstype__AlternateIdType *alt = soap_new_ewstype__AlternateIdType(a, -1);
		if (!alt || !(alt->Id = soap_strdup(a, src[i].id)) ||
		    (src[i].mailbox && !(alt->Mailbox = soap_strdup(a, src[i].mailbox)))) {
			st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
			break;
		}
		to_wire(a, src[i].format, &alt->Format);
		if (src[i].is_archive) {
#ifndef EWS_HAS_ewstype__AlternateIdType_IsArchive   /* Exchange 2010 SP1 */
			st = ews_status_make(EWS_ERR_UNSUPPORTED, "ConvertId: these bindings (%s) cannot mark an id as an "
					     "archive mailbox's (IsArchive came with Exchange 2010 SP1)", EWS_SCHEMA_NAME);
			break;
#else
			if (!(alt->IsArchive = soap_malloc(a, sizeof *alt->IsArchive))) {
				st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
				break;
			}
			*alt->IsArchive = xsd__boolean__true_;
#endif
		}
		u[i].__union_NonEmptyArrayOfAlternateIdsType = SOAP_UNION__ewstype__union_NonEmptyArrayOfAlternateIdsType_AlternateId;
		u[i].union_NonEmptyArrayOfAlternateIdsType.AlternateId = alt;
	}
	if (!ews_ok(st)) {
		free(r);
		ews_wf_soap_free(a);
		return st;
	}
	*results = r;
	req->SourceIds->__size_NonEmptyArrayOfAlternateIdsType = (int)n;
	req->SourceIds->__union_NonEmptyArrayOfAlternateIdsType = u;
	req->DestinationFormat = wire_to;

	struct __ewsmsg__ConvertIdResponse resp = { 0 };
	st = ews_convert_id(c, req, &resp);
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs =
		resp.ewsmsg__ConvertIdResponse ? resp.ewsmsg__ConvertIdResponse->ResponseMessages : NULL;
	if ((ews_ok(st) || st.code == EWS_ERR_RESPONSE) && ews_response_messages_count(msgs) != (int)n)
		st = ews_status_make(EWS_ERR_XML, "ConvertId: %d response messages for %zu ids",
		                     ews_response_messages_count(msgs), n);
	if (!ews_ok(st) && st.code != EWS_ERR_RESPONSE) {
		for (size_t i = 0; i < n; i++)
			r[i].status = st;
		ews_client_release(c);
		ews_wf_soap_free(a);
		return st;
	}
	for (size_t i = 0; i < n; i++) {
		ews_response_message m;
		r[i].status = ews_wf_message_status(msgs, (int)i);
		if (!ews_ok(r[i].status))
			goto next;
		if (ews_response_messages_get(msgs, (int)i, &m) || !m.message) {
			r[i].status = ews_status_make(EWS_ERR_XML, "ConvertId: unreadable response message");
			goto next;
		}
		const struct ewsmsg__ConvertIdResponseMessageType *cm = m.message;
		/* The AlternateId element is declared with the abstract base type; the concrete xsi:type lands in the
		 * -F slot for it. Public-folder results (AlternatePublicFolder[Item]Id) carry folder/item ids. */
		const struct ewstype__AlternateIdBaseType *base = cm->AlternateId;
		const char *id = NULL, *mailbox = NULL;
		ews_id_format fmt = to;
		if (base && base->ewstype__AlternateIdType) {
			id = base->ewstype__AlternateIdType->Id;
			mailbox = base->ewstype__AlternateIdType->Mailbox;
			from_wire(a, base->ewstype__AlternateIdType->Format, &fmt);
		} else if (base && base->ewstype__AlternatePublicFolderIdType) {
			const struct ewstype__AlternatePublicFolderIdType *pf = base->ewstype__AlternatePublicFolderIdType;
			id = pf->ewstype__AlternatePublicFolderItemIdType && pf->ewstype__AlternatePublicFolderItemIdType->ItemId
				? pf->ewstype__AlternatePublicFolderItemIdType->ItemId : pf->FolderId;
			from_wire(a, pf->Format, &fmt);
		}
		if (!id) {
			r[i].status = ews_status_make(EWS_ERR_XML, "ConvertId: a success without an id");
			goto next;
		}
		r[i].format = fmt;
		if (!(r[i].id = strdup(id)) || (mailbox && !(r[i].mailbox = strdup(mailbox)))) {
			r[i].status = ews_status_make(EWS_ERR_NOMEM, "out of memory");
			goto next;
		}
		if (src[i].public_folder)
			fix_public(&r[i]);
next:
		if (!ews_ok(r[i].status) && ews_ok(overall)) {
			overall = r[i].status;
			snprintf(overall.message, sizeof overall.message, "id %zu: %.340s", i + 1, r[i].status.message);
		}
	}
	ews_client_release(c);
	ews_wf_soap_free(a);
	return overall;
}
#endif

ews_status ews_convert_one_id(ews_client *c, const char *id, ews_id_format from, const char *mailbox, ews_id_format to,
                              char **out)
{
	ews_convert_result *r = NULL;
	if (out)
		*out = NULL;
	if (!out)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_convert_one_id: NULL out");
	ews_alternate_id src = { .id = id, .format = from, .mailbox = mailbox };
	ews_status st = ews_convert_ids(c, &src, 1, to, &r);
	if (ews_ok(st) && r) {
		*out = r[0].id;
		r[0].id = NULL;
	} else if (r && !ews_ok(r[0].status)) {
		st = r[0].status;
	}
	ews_convert_results_free(r, 1);
	return st;
}
