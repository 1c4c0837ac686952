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

/* The item element SetItemField carries must be of the item's own type (else ErrorObjectTypeChanged).
 * GetItem's variant (ArrayOfRealItems) -> the matching SetItemField variant and a new, empty item of that type. */
static void *new_item(struct soap *a, int real_kind, int *set_kind, int *has_read_flag)
{
	*has_read_flag = 0;
	switch (real_kind) {
	case SOAP_UNION__ewstype__union_ArrayOfRealItemsType_Message:
		*set_kind = SOAP_UNION__ewstype__union_SetItemFieldType__Message;
		*has_read_flag = 1;
		return soap_new_ewstype__MessageType(a, 1);
	case SOAP_UNION__ewstype__union_ArrayOfRealItemsType_MeetingRequest:
		*set_kind = SOAP_UNION__ewstype__union_SetItemFieldType__MeetingRequest;
		*has_read_flag = 1;   /* meeting messages derive from MessageType: IsRead sits where it does there */
		return soap_new_ewstype__MeetingRequestMessageType(a, 1);
	case SOAP_UNION__ewstype__union_ArrayOfRealItemsType_CalendarItem:
		*set_kind = SOAP_UNION__ewstype__union_SetItemFieldType__CalendarItem;
		return soap_new_ewstype__CalendarItemType(a, 1);
	case SOAP_UNION__ewstype__union_ArrayOfRealItemsType_Contact:
		*set_kind = SOAP_UNION__ewstype__union_SetItemFieldType__Contact;
		return soap_new_ewstype__ContactItemType(a, 1);
	case SOAP_UNION__ewstype__union_ArrayOfRealItemsType_Task:
		*set_kind = SOAP_UNION__ewstype__union_SetItemFieldType__Task;
		return soap_new_ewstype__TaskType(a, 1);
	default:
		*set_kind = SOAP_UNION__ewstype__union_SetItemFieldType__Item;
		return soap_new_ewstype__ItemType(a, 1);
	}
}

/* One SetItemField: the field's URI and an item of the right type carrying the new value. */
static int set_field(struct soap *a, struct __ewstype__union_NonEmptyArrayOfItemChangeDescriptionsType *d,
		     enum ewstype__UnindexedFieldURIType uri, int real_kind, const char *subject, int read)
{
	struct ewstype__SetItemFieldType *s = soap_new_ewstype__SetItemFieldType(a, 1);
	struct ewstype__PathToUnindexedFieldType *p = soap_new_ewstype__PathToUnindexedFieldType(a, 1);
	int kind, has_read_flag;
	void *item = new_item(a, real_kind, &kind, &has_read_flag);
	struct ewstype__MessageType *msg = item;
	if (!s || !p || !item || (read >= 0 && (!has_read_flag || !(msg->IsRead = soap_new_xsd__boolean(a, 1)))))
		return -1;
	if (subject)   /* an ItemType member: at the same place in every item type */
		((struct ewstype__ItemType *)item)->Subject = (char *)subject;
	else
		*msg->IsRead = read ? xsd__boolean__true_ : xsd__boolean__false_;
	p->FieldURI = uri;
	s->__union_SetItemFieldType = SOAP_UNION__ewstype__union_SetItemFieldType_FieldURI;
	s->union_SetItemFieldType.FieldURI = p;
	s->__union_SetItemFieldType_ = kind;
	s->union_SetItemFieldType_.Message = item;
	d->__union_NonEmptyArrayOfItemChangeDescriptionsType =
		SOAP_UNION__ewstype__union_NonEmptyArrayOfItemChangeDescriptionsType_SetItemField;
	d->union_NonEmptyArrayOfItemChangeDescriptionsType.SetItemField = s;
	return 0;
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
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int r = ews_cli_flag(&cli, argc, argv, &i);
		if (r != EWS_CLI_NOT_MINE) {
			if (r == EWS_CLI_TAKEN)
				continue;
			return r == EWS_CLI_DONE ? EWS_EXIT_OK : EWS_EXIT_USAGE;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return EWS_EXIT_OK;
		} else if (!strcmp(a, "--subject")) {
			if (!(subject = ews_cli_value(&cli, argc, argv, &i)))
				return EWS_EXIT_USAGE;
		} else if (!strcmp(a, "--read") || !strcmp(a, "--unread")) {
			read = !strcmp(a, "--read");
		} else if (a[0] == '-') {
			return ews_cli_usage_error(&cli, "unknown option %s", a);
		} else {
			argv[nids++] = argv[i];
		}
	}
	if (!nids || (!subject && read < 0))
		return ews_cli_usage_error(&cli, "give ids and --subject and/or --read/--unread");
	if ((rc = ews_cli_connect(&cli, &c)))
		return rc;
	int kinds[nids], changed = 0;
	if (!ews_ok(st = item_kinds(&cli, c, argv, nids, kinds, &failed))) {
		ews_client_free(c);
		return ews_cli_error(&cli, NULL, st);
	}

	struct soap *a = ews_client_arena(c);
	int nupd = (subject != NULL) + (read >= 0), ok = 1;
	struct ewsmsg__UpdateItemType *req = soap_new_ewsmsg__UpdateItemType(a, 1);
	struct ewstype__NonEmptyArrayOfItemChangesType *changes = soap_new_ewstype__NonEmptyArrayOfItemChangesType(a, 1);
	struct ewstype__ItemChangeType *ch = soap_new_ewstype__ItemChangeType(a, nids);
	char *changed_ids[nids];
	ok = req && changes && ch;
	for (int k = 0; ok && k < nids; k++) {
		if (!kinds[k])
			continue;
		struct ewstype__NonEmptyArrayOfItemChangeDescriptionsType *upd =
			soap_new_ewstype__NonEmptyArrayOfItemChangeDescriptionsType(a, 1);
		struct __ewstype__union_NonEmptyArrayOfItemChangeDescriptionsType *d =
			soap_new___ewstype__union_NonEmptyArrayOfItemChangeDescriptionsType(a, nupd);
		struct ewstype__ItemChangeType *one = &ch[changed];
		ok = upd && d && (one->union_ItemChangeType.ItemId = soap_new_ewstype__ItemIdType(a, 1)) &&
		     (!subject || !set_field(a, &d[0], ewstype__UnindexedFieldURIType__item_x003aSubject, kinds[k], subject, -1));
		if (ok && read >= 0 && set_field(a, &d[nupd - 1], ewstype__UnindexedFieldURIType__message_x003aIsRead,
						 kinds[k], NULL, read)) {
			fprintf(stderr, "ews-update-item: %s: only messages have a read flag\n", argv[k]);
			failed++;
			continue;
		}
		if (!ok)
			break;
		one->__union_ItemChangeType = SOAP_UNION__ewstype__union_ItemChangeType_ItemId;
		one->union_ItemChangeType.ItemId->Id = argv[k];
		upd->__size_NonEmptyArrayOfItemChangeDescriptionsType = nupd;
		upd->__union_NonEmptyArrayOfItemChangeDescriptionsType = d;
		one->Updates = upd;
		changed_ids[changed++] = argv[k];
	}
	if (ok && !changed) {
		ews_client_free(c);
		return EWS_EXIT_PARTIAL;
	}
	if (!ok) {
		ews_client_free(c);
		return ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
	}
	changes->__sizeItemChange = changed;
	changes->ItemChange = ch;
	req->ItemChanges = changes;
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
