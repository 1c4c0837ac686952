/* <DESC> ews-update-item: UpdateItem: set the subject, mark read or unread </DESC>
 *
 *   ews-update-item [--subject TEXT] [--read | --unread] [--json] ID...
 *
 * One ItemChange per id with SetItemField updates (AutoResolve). SetItemField must carry an item of the item's
 * own type, so a GetItem (IdOnly) asks for the types first. Read flags exist on messages only.
 * Build alone: cc update-item.c $(pkg-config --cflags --libs libews)
 */
#include <stdio.h>
#include <string.h>

#include "soapH.h"
#include "ews/ews.h"
#include "ews/cli.h"

static void usage(FILE *f)
{
	fputs("usage: ews-update-item [--subject TEXT] [--read | --unread] ID...\n"
	      "Change items in place (UpdateItem, SetItemField).\n\n"
	      "  --subject TEXT   new subject\n"
	      "  --read/--unread  set message:IsRead\n\n"
	      "example: ews-update-item --read --subject 'Budget (done)' AAMkAGI3...\n\n", f);
	fputs(EWS_CLI_COMMON_HELP, f);
}

/* Messages (and meeting requests, which derive from MessageType) have a read flag; other items do not. */
static int has_read_flag(int real_kind)
{
	return real_kind == SOAP_UNION__ewstype__union_ArrayOfRealItemsType_Message ||
	       real_kind == SOAP_UNION__ewstype__union_ArrayOfRealItemsType_MeetingRequest;
}

/* One SetItemField appended to *updates (typed builders, ews_builders.h): the field's URI and an item carrying the
 * new value. The item must be of the item's own type (else ErrorObjectTypeChanged): GetItem's variant
 * (ArrayOfRealItems) picks the SetItemField variant. Returns -1 when out of memory. */
static int set_field(ews_client *c, struct ewstype__NonEmptyArrayOfItemChangeDescriptionsType **updates,
		     enum ewstype__UnindexedFieldURIType uri, int real_kind, const char *subject, int read)
{
	struct ewstype__SetItemFieldType *s = ews_NonEmptyArrayOfItemChangeDescriptionsType_add_SetItemField(c, updates);
	struct ewstype__PathToUnindexedFieldType *p = s ? ews_SetItemFieldType_set_FieldURI(c, &s) : NULL;
	char *subj = subject ? soap_strdup(ews_client_arena(c), subject) : NULL;
	enum xsd__boolean *is_read = read < 0 ? NULL
		: EWS_BOX(c, xsd__boolean, read ? xsd__boolean__true_ : xsd__boolean__false_);
	if (!p || (subject && !subj) || (read >= 0 && !is_read))
		return -1;
	p->FieldURI = uri;
	switch (real_kind) {
	case SOAP_UNION__ewstype__union_ArrayOfRealItemsType_Message: {
		struct ewstype__MessageType *m = ews_SetItemFieldType_set_Message(c, &s);
		return m ? (m->Subject = subj, m->IsRead = is_read, 0) : -1;
	}
	case SOAP_UNION__ewstype__union_ArrayOfRealItemsType_MeetingRequest: {
		struct ewstype__MeetingRequestMessageType *m = ews_SetItemFieldType_set_MeetingRequest(c, &s);
		return m ? (m->Subject = subj, m->IsRead = is_read, 0) : -1;
	}
	case SOAP_UNION__ewstype__union_ArrayOfRealItemsType_CalendarItem: {
		struct ewstype__CalendarItemType *i = ews_SetItemFieldType_set_CalendarItem(c, &s);
		return i ? (i->Subject = subj, 0) : -1;
	}
	case SOAP_UNION__ewstype__union_ArrayOfRealItemsType_Contact: {
		struct ewstype__ContactItemType *i = ews_SetItemFieldType_set_Contact(c, &s);
		return i ? (i->Subject = subj, 0) : -1;
	}
	case SOAP_UNION__ewstype__union_ArrayOfRealItemsType_Task: {
		struct ewstype__TaskType *i = ews_SetItemFieldType_set_Task(c, &s);
		return i ? (i->Subject = subj, 0) : -1;
	}
	default: {
		struct ewstype__ItemType *i = ews_SetItemFieldType_set_Item(c, &s);
		return i ? (i->Subject = subj, 0) : -1;
	}
	}
}

/* Each id's item type, from one GetItem (IdOnly). kinds[k] = 0 when the id failed (reported). */
static ews_status item_kinds(ews_cli *cli, ews_client *c, char **ids, int n, int *kinds, int *failed)
{
	struct soap *a = ews_client_arena(c);
	struct ewsmsg__GetItemType *req = soap_new_ewsmsg__GetItemType(a, 1);
	struct __ewsmsg__GetItemResponse resp = { 0 };
	ews_status st;
	if (!req || !(req->ItemIds = ews_item_ids_new(a, (const char *const *)ids, n)) ||
	    !(req->ItemShape = soap_new_ewstype__ItemResponseShapeType(a, 1)))
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	req->ItemShape->BaseShape = ewstype__DefaultShapeNamesType__IdOnly;
	st = ews_get_item(c, req, &resp);
	if (!ews_ok(st) && st.code != EWS_ERR_RESPONSE)
		return st;
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs = ews_response_messages_of("GetItem", &resp);
	for (int k = 0; k < n; k++) {
		ews_response_message m;
		const struct ewstype__ArrayOfRealItemsType *items;
		kinds[k] = 0;
		if (ews_response_messages_get(msgs, k, &m))
			continue;
		items = ((const struct ewsmsg__ItemInfoResponseMessageType *)m.message)->Items;
		if (m.response_class != EWS_RESPONSE_ERROR && items && items->__size_ArrayOfRealItemsType > 0) {
			kinds[k] = items->__union_ArrayOfRealItemsType[0].__union_ArrayOfRealItemsType;
			continue;
		}
		ews_status e = ews_status_make(EWS_ERR_RESPONSE, "%s", m.message_text ? m.message_text : "not found");
		snprintf(e.response_code, sizeof e.response_code, "%s", m.response_code);
		ews_cli_error(cli, ids[k], e);
		++*failed;
	}
	return ews_status_ok();
}

int main(int argc, char **argv)
{
	const char *subject = NULL;
	int read = -1, nids = 0, rc, failed = 0;
	ews_cli cli;
	ews_client *c;
	ews_status st = ews_cli_init(&cli, "ews-update-item");

	if (!ews_ok(st))
		return ews_cli_error(&cli, "environment", st);
	const ews_cli_opt opts[] = { { "--subject", .value = &subject }, { "--read", .on = &read, .set = 1 },
				     { "--unread", .on = &read, .set = 0 }, { NULL } };
	if ((rc = ews_cli_parse(&cli, argc, argv, opts, usage, &nids)) >= 0)    /* ids collected in place */
		return rc;
	if (!nids || (!subject && read < 0))
		return ews_cli_usage_error(&cli, "give ids and --subject and/or --read/--unread");
	if ((rc = ews_cli_connect(&cli, &c)))
		return rc;
	int kinds[nids], changed = 0;
	if (!ews_ok(st = item_kinds(&cli, c, argv, nids, kinds, &failed))) {
		ews_client_free(c);
		return ews_cli_error(&cli, NULL, st);
	}

	/* one ItemChange per id, built with the typed builders (ews_builders.h) */
	struct ewsmsg__UpdateItemType *req = EWS_NEW(c, ewsmsg__UpdateItemType);
	char *changed_ids[nids];
	int ok = req != NULL;
	for (int k = 0; ok && k < nids; k++) {
		if (!kinds[k])
			continue;
		if (read >= 0 && !has_read_flag(kinds[k])) {
			fprintf(stderr, "ews-update-item: %s: only messages have a read flag\n", argv[k]);
			failed++;
			continue;
		}
		struct ewstype__ItemChangeType *one = ews_NonEmptyArrayOfItemChangesType_add_ItemChange(c, &req->ItemChanges);
		struct ewstype__ItemIdType *id = one ? ews_ItemChangeType_set_ItemId(c, &one) : NULL;
		ok = id && (!subject || !set_field(c, &one->Updates, ewstype__UnindexedFieldURIType__item_x003aSubject,
						   kinds[k], subject, -1)) &&
		     (read < 0 || !set_field(c, &one->Updates, ewstype__UnindexedFieldURIType__message_x003aIsRead,
					     kinds[k], NULL, read));
		if (ok) {
			id->Id = argv[k];
			changed_ids[changed++] = argv[k];
		}
	}
	if (ok && !changed) {
		ews_client_free(c);
		return EWS_EXIT_PARTIAL;
	}
	if (!ok) {
		ews_client_free(c);
		return ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
	}
	req->ConflictResolution = ewstype__ConflictResolutionType__AutoResolve;

	struct __ewsmsg__UpdateItemResponse resp = { 0 };
	st = ews_update_item(c, req, &resp);
	if (!ews_ok(st) && st.code != EWS_ERR_RESPONSE) {
		rc = ews_cli_error(&cli, NULL, st);
		ews_client_free(c);
		return rc;
	}
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs = ews_response_messages_of("UpdateItem", &resp);
	for (int k = 0; k < ews_response_messages_count(msgs) && k < changed; k++) {
		ews_response_message m;
		if (ews_response_messages_get(msgs, k, &m))
			continue;
		if (m.response_class == EWS_RESPONSE_ERROR)
			failed++;
		if (cli.json) {
			printf("{\"type\":\"updated\",\"ok\":%s,\"id\":", m.response_class == EWS_RESPONSE_ERROR ? "false" : "true");
			ews_cli_json_string(stdout, changed_ids[k]);
			printf(",\"response_code\":");
			ews_cli_json_string(stdout, m.response_code);
			printf("}\n");
		} else if (m.response_class == EWS_RESPONSE_ERROR) {
			fprintf(stderr, "ews-update-item: %s: %s [%s]\n", changed_ids[k], m.message_text ? m.message_text : "error",
				m.response_code);
		} else {
			printf("updated %s\n", changed_ids[k]);
		}
	}
	ews_client_free(c);
	return failed ? EWS_EXIT_PARTIAL : EWS_EXIT_OK;
}
