/* <DESC> ews-get-item: GetItem for one or more item ids; per-item errors do not stop the others </DESC>
 *
 *   ews-get-item [--no-body] [--json] ID...
 *
 * Build alone: cc get-item.c $(pkg-config --cflags --libs libews)
 */
#include <stdio.h>
#include <string.h>

#include "soapH.h"
#include "ews/ews.h"
#include "ews/cli.h"

static void usage(FILE *f)
{
	fputs("usage: ews-get-item [--no-body] [--json] ID...\n"
	      "Show items: class, subject, dates, recipients, body (GetItem, body as text).\n\n"
	      "  --no-body   leave the body out\n\n"
	      "example: ews-get-item --json \"$(ews-find-items --json --max 1 | sed -n 's/.*\"id\":\"\\([^\"]*\\)\".*/\\1/p')\"\n\n",
	      f);
	fputs(EWS_CLI_COMMON_HELP, f);
}

static void field(const ews_cli *cli, const char *name, const char *value)
{
	if (!value)
		return;
	if (cli->json) {
		printf(",\"%s\":", name);
		ews_cli_json_string(stdout, value);
	} else {
		printf("  %-10s %s\n", name, value);
	}
}

/* Print one item; `kind` is the union variant (Message, CalendarItem, Contact, Task ...). */
static void show(const ews_cli *cli, const union _ewstype__union_ArrayOfRealItemsType *u, int kind, int body)
{
	const struct ewstype__ItemType *it = (const struct ewstype__ItemType *)u->Item;  /* the common members */

	if (cli->json) {
		printf("{\"type\":\"item\",\"ok\":true,\"id\":");
		ews_cli_json_string(stdout, it->ItemId ? it->ItemId->Id : NULL);
	} else {
		printf("%s\n", it->ItemId ? it->ItemId->Id : "(no id)");
	}
	field(cli, "class", it->ItemClass);
	field(cli, "subject", it->Subject);
	field(cli, "received", it->DateTimeReceived);
	field(cli, "to", it->DisplayTo);
	if (kind == SOAP_UNION__ewstype__union_ArrayOfRealItemsType_Message) {
		const struct ewstype__MessageType *msg = u->Message;
		if (msg->From && msg->From->union_SingleRecipientType.Mailbox)
			field(cli, "from", msg->From->union_SingleRecipientType.Mailbox->EmailAddress);
		if (msg->IsRead)
			field(cli, "read", *msg->IsRead == xsd__boolean__true_ ? "true" : "false");
	} else if (kind == SOAP_UNION__ewstype__union_ArrayOfRealItemsType_CalendarItem) {
		field(cli, "start", u->CalendarItem->Start);
		field(cli, "end", u->CalendarItem->End);
		field(cli, "location", u->CalendarItem->Location);
	} else if (kind == SOAP_UNION__ewstype__union_ArrayOfRealItemsType_Contact) {
		field(cli, "given", u->Contact->GivenName);
		field(cli, "surname", u->Contact->Surname);
		if (u->Contact->EmailAddresses && u->Contact->EmailAddresses->__sizeEntry > 0)
			field(cli, "email", u->Contact->EmailAddresses->Entry[0].__item);
	} else if (kind == SOAP_UNION__ewstype__union_ArrayOfRealItemsType_Task) {
		field(cli, "due", u->Task->DueDate);
	}
	if (body && it->Body)
		field(cli, "body", it->Body->__item);
	if (cli->json)
		printf("}\n");
}

int main(int argc, char **argv)
{
	int body = 1, nids = 0, rc, failed = 0;
	ews_cli cli;
	ews_client *c;
	ews_status st = ews_cli_init(&cli, "ews-get-item");

	if (!ews_ok(st))
		return ews_cli_error(&cli, "environment", st);
	for (int i = 1; i < argc; i++) {
		int r = ews_cli_flag(&cli, argc, argv, &i);
		if (r < 0)
			return EWS_EXIT_USAGE;
		if (r > 0)
			continue;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return EWS_EXIT_OK;
		} else if (!strcmp(argv[i], "--no-body")) {
			body = 0;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "ews-get-item: unknown option %s\n", argv[i]);
			usage(stderr);
			return EWS_EXIT_USAGE;
		} else {
			argv[nids++] = argv[i];         /* operands collected in place */
		}
	}
	if (!nids) {
		usage(stderr);
		return EWS_EXIT_USAGE;
	}
	if ((rc = ews_cli_connect(&cli, &c)))
		return rc;

	struct soap *a = ews_client_arena(c);
	struct ewsmsg__GetItemType *req = soap_new_ewsmsg__GetItemType(a, 1);
	if (!req || !(req->ItemIds = ews_item_ids_new(a, (const char *const *)argv, nids)) ||
	    !(req->ItemShape = soap_new_ewstype__ItemResponseShapeType(a, 1)) ||
	    !(req->ItemShape->BodyType = soap_new_ewstype__BodyTypeResponseType(a, 1))) {
		ews_client_free(c);
		return ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
	}
	req->ItemShape->BaseShape = ewstype__DefaultShapeNamesType__AllProperties;
	*req->ItemShape->BodyType = ewstype__BodyTypeResponseType__Text;

	struct __ewsmsg__GetItemResponse resp;
	st = ews_get_item(c, req, &resp);
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs = ews_response_messages_of("GetItem", &resp);
	if (!ews_ok(st) && st.code != EWS_ERR_RESPONSE) {
		rc = ews_cli_error(&cli, NULL, st);
		ews_client_free(c);
		return rc;
	}
	/* One ResponseMessage per id, in order: errors are reported per id. */
	for (int k = 0; k < ews_response_messages_count(msgs); k++) {
		ews_response_message m;
		const struct ewstype__ArrayOfRealItemsType *items;
		if (ews_response_messages_get(msgs, k, &m))
			continue;
		if (m.response_class == EWS_RESPONSE_ERROR) {
			ews_status e = ews_status_make(EWS_ERR_RESPONSE, "%s: %s", k < nids ? argv[k] : "?",
						       m.message_text ? m.message_text : m.response_code);
			snprintf(e.response_code, sizeof e.response_code, "%s", m.response_code);
			ews_cli_error(&cli, NULL, e);
			failed++;
			continue;
		}
		items = ((const struct ewsmsg__ItemInfoResponseMessageType *)m.message)->Items;
		for (int j = 0; items && j < items->__size_ArrayOfRealItemsType; j++)
			show(&cli, &items->__union_ArrayOfRealItemsType[j].union_ArrayOfRealItemsType,
			     items->__union_ArrayOfRealItemsType[j].__union_ArrayOfRealItemsType, body);
	}
	ews_client_free(c);
	return failed ? EWS_EXIT_PARTIAL : EWS_EXIT_OK;
}
