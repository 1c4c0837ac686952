/* <DESC> ews-create-item: CreateItem for test data: a message, calendar item, contact or task </DESC>
 *
 *   ews-create-item [--type message|calendar|contact|task] --subject TEXT [--body TEXT] [--to SMTP]...
 *                   [--start T --end T --location L] [--given NAME --surname NAME --email SMTP] [--due T]
 *                   [--folder FOLDER] [--json]
 *
 * Prints the new item's id. Messages are saved (MessageDisposition SaveOnly), never sent.
 * Build alone: cc create-item.c $(pkg-config --cflags --libs libews)
 */
#include <stdio.h>
#include <string.h>

#include "soapH.h"
#include "ews/ews.h"
#include "ews/cli.h"

static void usage(FILE *f)
{
	fputs("usage: ews-create-item [options]\n"
	      "Create one item (CreateItem, saved, never sent) and print its id.\n\n"
	      "  --type KIND        message (default), calendar, contact or task\n"
	      "  --subject TEXT     subject (contacts: the display name)\n"
	      "  --body TEXT        plain-text body\n"
	      "  --to SMTP          message: a recipient (repeatable, up to 64)\n"
	      "  --start T --end T  calendar: times as xs:dateTime, e.g. 2024-06-01T09:00:00Z\n"
	      "  --location TEXT    calendar: where\n"
	      "  --given NAME --surname NAME --email SMTP   contact fields\n"
	      "  --due T            task: due date\n"
	      "  --folder FOLDER    where to save: distinguished name, display-name path or id\n"
	      "                     (default: the type's folder: drafts, calendar, contacts, tasks)\n\n"
	      "example: ews-create-item --type calendar --subject 'Design review' --start 2024-06-03T09:00:00Z \\\n"
	      "         --end 2024-06-03T10:00:00Z --location 'Room 2'\n\n", f);
	fputs(EWS_CLI_COMMON_HELP, f);
}

static struct ewstype__ArrayOfRecipientsType *recipients(struct soap *a, char **to, int n)
{
	struct ewstype__ArrayOfRecipientsType *r = n ? soap_new_ewstype__ArrayOfRecipientsType(a, 1) : NULL;
	if (!r || !(r->__union_ArrayOfRecipientsType = soap_new___ewstype__union_ArrayOfRecipientsType(a, n)))
		return NULL;
	r->__size_ArrayOfRecipientsType = n;
	for (int k = 0; k < n; k++) {
		struct ewstype__EmailAddressType *m = soap_new_ewstype__EmailAddressType(a, 1);
		if (!m)
			return NULL;
		m->EmailAddress = to[k];
		r->__union_ArrayOfRecipientsType[k].__union_ArrayOfRecipientsType =
			SOAP_UNION__ewstype__union_ArrayOfRecipientsType_Mailbox;
		r->__union_ArrayOfRecipientsType[k].union_ArrayOfRecipientsType.Mailbox = m;
	}
	return r;
}

int main(int argc, char **argv)
{
	const char *type = "message", *subject = NULL, *body = NULL, *start = NULL, *end = NULL, *location = NULL;
	const char *given = NULL, *surname = NULL, *email = NULL, *due = NULL, *folder = NULL;
	char *to[64];
	int nto = 0, rc;
	ews_cli cli;
	ews_client *c;
	ews_status st = ews_cli_init(&cli, "ews-create-item");

	if (!ews_ok(st))
		return ews_cli_error(&cli, "environment", st);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		int r = ews_cli_flag(&cli, argc, argv, &i);
		if (r != EWS_CLI_NOT_MINE) {
			if (r == EWS_CLI_TAKEN)
				continue;
			return r == EWS_CLI_DONE ? EWS_EXIT_OK : EWS_EXIT_USAGE;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return EWS_EXIT_OK;
		}
		slot = !strcmp(a, "--type") ? &type : !strcmp(a, "--subject") ? &subject : !strcmp(a, "--body") ? &body
		     : !strcmp(a, "--start") ? &start : !strcmp(a, "--end") ? &end : !strcmp(a, "--location") ? &location
		     : !strcmp(a, "--given") ? &given : !strcmp(a, "--surname") ? &surname : !strcmp(a, "--email") ? &email
		     : !strcmp(a, "--due") ? &due : !strcmp(a, "--folder") ? &folder : NULL;
		if (slot) {
			if (!(*slot = ews_cli_value(&cli, argc, argv, &i)))
				return EWS_EXIT_USAGE;
		} else if (!strcmp(a, "--to")) {
			if (nto == 64)
				return ews_cli_usage_error(&cli, "at most 64 --to recipients");
			if (!(to[nto++] = (char *)ews_cli_value(&cli, argc, argv, &i)))
				return EWS_EXIT_USAGE;
		} else {
			return ews_cli_usage_error(&cli, "%s %s", a[0] == '-' ? "unknown option" : "unexpected operand", a);
		}
	}
	int kind = !strcmp(type, "message") ? SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_Message
		 : !strcmp(type, "calendar") ? SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_CalendarItem
		 : !strcmp(type, "contact") ? SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_Contact
		 : !strcmp(type, "task") ? SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_Task : 0;
	if (!kind || !subject)
		return ews_cli_usage_error(&cli, "%s", kind ? "--subject is required" : "--type must be message, "
					   "calendar, contact or task");
	if ((rc = ews_cli_connect(&cli, &c)))
		return rc;
	if (folder && (rc = ews_cli_resolve_folder(&cli, c, folder, &folder))) {
		ews_client_free(c);
		return rc;
	}

	struct soap *a = ews_client_arena(c);
	struct ewsmsg__CreateItemType *req = soap_new_ewsmsg__CreateItemType(a, 1);
	struct ewstype__NonEmptyArrayOfAllItemsType *items = soap_new_ewstype__NonEmptyArrayOfAllItemsType(a, 1);
	struct __ewstype__union_NonEmptyArrayOfAllItemsType *u = soap_new___ewstype__union_NonEmptyArrayOfAllItemsType(a, 1);
	union _ewstype__union_NonEmptyArrayOfAllItemsType *v = u ? &u->union_NonEmptyArrayOfAllItemsType : NULL;
	int ok = req && items && u;
	if (ok && kind == SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_Message) {
		ok = (v->Message = soap_new_ewstype__MessageType(a, 1)) != NULL;
		if (ok && nto)
			ok = (v->Message->ToRecipients = recipients(a, to, nto)) != NULL;
		folder = folder ? folder : "drafts";
	} else if (ok && kind == SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_CalendarItem) {
		ok = (v->CalendarItem = soap_new_ewstype__CalendarItemType(a, 1)) != NULL;
		if (ok) {
			v->CalendarItem->Start = (char *)start;
			v->CalendarItem->End = (char *)end;
			v->CalendarItem->Location = (char *)location;
		}
		folder = folder ? folder : "calendar";
	} else if (ok && kind == SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_Contact) {
		ok = (v->Contact = soap_new_ewstype__ContactItemType(a, 1)) != NULL;
		if (ok) {
			v->Contact->GivenName = (char *)given;
			v->Contact->Surname = (char *)surname;
			v->Contact->DisplayName = (char *)subject;
		}
		if (ok && email && (ok = (v->Contact->EmailAddresses = soap_new_ewstype__EmailAddressDictionaryType(a, 1)) &&
					 (v->Contact->EmailAddresses->Entry =
						  soap_new_ewstype__EmailAddressDictionaryEntryType(a, 1)))) {
			v->Contact->EmailAddresses->__sizeEntry = 1;
			v->Contact->EmailAddresses->Entry->__item = (char *)email;
			v->Contact->EmailAddresses->Entry->Key = ewstype__EmailAddressKeyType__EmailAddress1;
		}
		folder = folder ? folder : "contacts";
	} else if (ok) {
		ok = (v->Task = soap_new_ewstype__TaskType(a, 1)) != NULL;
		if (ok)
			v->Task->DueDate = (char *)due;
		folder = folder ? folder : "tasks";
	}
	/* Subject and Body are ItemType members, first in every item type. */
	struct ewstype__ItemType *it = ok ? (struct ewstype__ItemType *)v->Item : NULL;
	if (ok && body && (ok = (it->Body = soap_new_ewstype__BodyType(a, 1)) != NULL)) {
		it->Body->__item = (char *)body;
		it->Body->BodyType = ewstype__BodyTypeType__Text;
	}
	if (ok) {
		it->Subject = (char *)subject;
		u->__union_NonEmptyArrayOfAllItemsType = kind;
		items->__size_NonEmptyArrayOfAllItemsType = 1;
		items->__union_NonEmptyArrayOfAllItemsType = u;
		req->Items = items;
		ok = (req->SavedItemFolderId = ews_cli_target_folder(a, folder)) != NULL;
	}
	if (ok && kind == SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_Message &&
	    (ok = (req->MessageDisposition = soap_new_ewstype__MessageDispositionType(a, 1)) != NULL))
		*req->MessageDisposition = ewstype__MessageDispositionType__SaveOnly;
	if (!ok) {
		ews_client_free(c);
		return ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
	}

	struct __ewsmsg__CreateItemResponse resp = { 0 };
	ews_response_message m;
	st = ews_create_item(c, req, &resp);
	if (ews_ok(st) && !ews_response_messages_get(ews_response_messages_of("CreateItem", &resp), 0, &m)) {
		const struct ewstype__ArrayOfRealItemsType *made =
			((const struct ewsmsg__ItemInfoResponseMessageType *)m.message)->Items;
		const struct ewstype__ItemType *mi = made && made->__size_ArrayOfRealItemsType > 0
			? (const struct ewstype__ItemType *)made->__union_ArrayOfRealItemsType[0].union_ArrayOfRealItemsType.Item
			: NULL;
		const char *id = mi && mi->ItemId ? mi->ItemId->Id : NULL;
		if (cli.json) {
			printf("{\"type\":\"created\",\"ok\":true,\"kind\":\"%s\",\"id\":", type);
			ews_cli_json_string(stdout, id);
			printf(",\"change_key\":");
			ews_cli_json_string(stdout, mi && mi->ItemId ? mi->ItemId->ChangeKey : NULL);
			printf(",\"subject\":");
			ews_cli_json_string(stdout, subject);
			printf("}\n");
		} else {
			printf("%s\n", id ? id : "(created; the server returned no id)");
		}
	} else {
		rc = ews_cli_error(&cli, NULL, ews_ok(st) ? ews_status_make(EWS_ERR_XML, "no response") : st);
	}
	ews_client_free(c);
	return rc;
}
