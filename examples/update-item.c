/* <DESC> ews-update-item: UpdateItem: set the subject, mark read or unread </DESC>
 *
 *   ews-update-item [--type message|calendar|contact|task] [--subject TEXT] [--read | --unread] [--json] ID...
 *
 * One ItemChange per id with SetItemField updates (AutoResolve). Read flags exist on messages only.
 * Build alone: cc update-item.c $(pkg-config --cflags --libs libews)
 */
#include <stdio.h>
#include <string.h>

#include "soapH.h"
#include "ews/ews.h"
#include "ews/cli.h"

static void usage(FILE *f)
{
	fputs("usage: ews-update-item [--type KIND] [--subject TEXT] [--read | --unread] ID...\n"
	      "Change items in place (UpdateItem, SetItemField).\n\n"
	      "  --type KIND      what the ids are: message (default), calendar, contact, task\n"
	      "  --subject TEXT   new subject\n"
	      "  --read/--unread  set message:IsRead\n\n"
	      "example: ews-update-item --read --subject 'Budget (done)' AAMkAGI3...\n\n", f);
	fputs(EWS_CLI_COMMON_HELP, f);
}

/* One SetItemField: the field's URI and an item of the right type carrying the new value. */
static int set_field(struct soap *a, struct __ewstype__union_NonEmptyArrayOfItemChangeDescriptionsType *d,
		     enum ewstype__UnindexedFieldURIType uri, int kind, const char *subject, int read)
{
	struct ewstype__SetItemFieldType *s = soap_new_ewstype__SetItemFieldType(a, 1);
	struct ewstype__PathToUnindexedFieldType *p = soap_new_ewstype__PathToUnindexedFieldType(a, 1);
	void *item = kind == SOAP_UNION__ewstype__union_SetItemFieldType__CalendarItem ? (void *)soap_new_ewstype__CalendarItemType(a, 1)
		   : kind == SOAP_UNION__ewstype__union_SetItemFieldType__Contact ? (void *)soap_new_ewstype__ContactItemType(a, 1)
		   : kind == SOAP_UNION__ewstype__union_SetItemFieldType__Task ? (void *)soap_new_ewstype__TaskType(a, 1)
		   : (void *)soap_new_ewstype__MessageType(a, 1);
	struct ewstype__MessageType *msg = item;     /* only used when kind is Message (the caller checks) */
	if (!s || !p || !item || (read >= 0 && !(msg->IsRead = soap_new_xsd__boolean(a, 1))))
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

int main(int argc, char **argv)
{
	const char *subject = NULL, *type = "message";
	int read = -1, nids = 0, rc, failed = 0;
	ews_cli cli;
	ews_client *c;
	ews_status st = ews_cli_init(&cli, "ews-update-item");

	if (!ews_ok(st))
		return ews_cli_error(&cli, "environment", st);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int r = ews_cli_flag(&cli, argc, argv, &i);
		if (r < 0)
			return EWS_EXIT_USAGE;
		if (r > 0)
			continue;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return EWS_EXIT_OK;
		} else if (!strcmp(a, "--subject") && i + 1 < argc) {
			subject = argv[++i];
		} else if (!strcmp(a, "--type") && i + 1 < argc) {
			type = argv[++i];
		} else if (!strcmp(a, "--read") || !strcmp(a, "--unread")) {
			read = !strcmp(a, "--read");
		} else if (a[0] == '-') {
			fprintf(stderr, "ews-update-item: bad option or missing value: %s\n", a);
			usage(stderr);
			return EWS_EXIT_USAGE;
		} else {
			argv[nids++] = argv[i];
		}
	}
	int kind = !strcmp(type, "message") ? SOAP_UNION__ewstype__union_SetItemFieldType__Message
		 : !strcmp(type, "calendar") ? SOAP_UNION__ewstype__union_SetItemFieldType__CalendarItem
		 : !strcmp(type, "contact") ? SOAP_UNION__ewstype__union_SetItemFieldType__Contact
		 : !strcmp(type, "task") ? SOAP_UNION__ewstype__union_SetItemFieldType__Task : 0;
	if (!nids || !kind || (!subject && read < 0) ||
	    (read >= 0 && kind != SOAP_UNION__ewstype__union_SetItemFieldType__Message)) {
		fprintf(stderr, "ews-update-item: give ids and --subject and/or --read/--unread (messages only)\n");
		return EWS_EXIT_USAGE;
	}
	if ((rc = ews_cli_connect(&cli, &c)))
		return rc;

	struct soap *a = ews_client_arena(c);
	int nupd = (subject != NULL) + (read >= 0), ok = 1;
	struct ewsmsg__UpdateItemType *req = soap_new_ewsmsg__UpdateItemType(a, 1);
	struct ewstype__NonEmptyArrayOfItemChangesType *changes = soap_new_ewstype__NonEmptyArrayOfItemChangesType(a, 1);
	struct ewstype__ItemChangeType *ch = soap_new_ewstype__ItemChangeType(a, nids);
	ok = req && changes && ch;
	for (int k = 0; ok && k < nids; k++) {
		struct ewstype__NonEmptyArrayOfItemChangeDescriptionsType *upd =
			soap_new_ewstype__NonEmptyArrayOfItemChangeDescriptionsType(a, 1);
		struct __ewstype__union_NonEmptyArrayOfItemChangeDescriptionsType *d =
			soap_new___ewstype__union_NonEmptyArrayOfItemChangeDescriptionsType(a, nupd);
		ok = upd && d && (ch[k].union_ItemChangeType.ItemId = soap_new_ewstype__ItemIdType(a, 1)) &&
		     (!subject || !set_field(a, &d[0], ewstype__UnindexedFieldURIType__item_x003aSubject, kind, subject, -1)) &&
		     (read < 0 || !set_field(a, &d[nupd - 1], ewstype__UnindexedFieldURIType__message_x003aIsRead, kind,
					     NULL, read));
		if (!ok)
			break;
		ch[k].__union_ItemChangeType = SOAP_UNION__ewstype__union_ItemChangeType_ItemId;
		ch[k].union_ItemChangeType.ItemId->Id = argv[k];
		upd->__size_NonEmptyArrayOfItemChangeDescriptionsType = nupd;
		upd->__union_NonEmptyArrayOfItemChangeDescriptionsType = d;
		ch[k].Updates = upd;
	}
	if (!ok) {
		ews_client_free(c);
		return ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
	}
	changes->__sizeItemChange = nids;
	changes->ItemChange = ch;
	req->ItemChanges = changes;
	req->ConflictResolution = ewstype__ConflictResolutionType__AutoResolve;

	struct __ewsmsg__UpdateItemResponse resp;
	st = ews_update_item(c, req, &resp);
	if (!ews_ok(st) && st.code != EWS_ERR_RESPONSE) {
		rc = ews_cli_error(&cli, NULL, st);
		ews_client_free(c);
		return rc;
	}
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs = ews_response_messages_of("UpdateItem", &resp);
	for (int k = 0; k < ews_response_messages_count(msgs) && k < nids; k++) {
		ews_response_message m;
		if (ews_response_messages_get(msgs, k, &m))
			continue;
		if (m.response_class == EWS_RESPONSE_ERROR)
			failed++;
		if (cli.json) {
			printf("{\"type\":\"updated\",\"ok\":%s,\"id\":", m.response_class == EWS_RESPONSE_ERROR ? "false" : "true");
			ews_cli_json_string(stdout, argv[k]);
			printf(",\"response_code\":");
			ews_cli_json_string(stdout, m.response_code);
			printf("}\n");
		} else if (m.response_class == EWS_RESPONSE_ERROR) {
			fprintf(stderr, "ews-update-item: %s: %s [%s]\n", argv[k], m.message_text ? m.message_text : "error",
				m.response_code);
		} else {
			printf("updated %s\n", argv[k]);
		}
	}
	ews_client_free(c);
	return failed ? EWS_EXIT_PARTIAL : EWS_EXIT_OK;
}
