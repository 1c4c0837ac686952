/* <DESC> ews-get-item: GetItem for one or more item ids; per-item errors do not stop the others </DESC>
 *
 *   ews-get-item [--no-body | --mime] [--json] ID...
 *
 * Build alone: cc get-item.c $(pkg-config --cflags --libs libews)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews/ews.h"
#include "ews/base64.h"
#include "ews/cli.h"

static void usage(FILE *f)
{
	fputs("usage: ews-get-item [--no-body | --mime] [--json] ID...\n"
	      "Show items: class, subject, dates, recipients, body (GetItem, body as text).\n"
	      "Recipients are the server's DisplayTo/DisplayCc, or else the ToRecipients/CcRecipients lists.\n\n"
	      "  --no-body   leave the body out\n"
	      "  --mime      write the item's MIME content (RFC 5322, as the server gives it) to stdout instead,\n"
	      "              e.g. ews-get-item --mime ID > item.eml\n\n"
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

static void flag(const ews_cli *cli, const char *name, int value)
{
	if (cli->json)
		printf(",\"%s\":%s", name, value ? "true" : "false");
	else
		printf("  %-10s %s\n", name, value ? "yes" : "no");
}

/* "Name <address>; ..." of a recipient list (the form DisplayTo has, with the addresses); malloc'd or NULL. */
static char *recipient_list(const struct ewstype__ArrayOfRecipientsType *r)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	if (!r || r->__size_ArrayOfRecipientsType <= 0 || !(f = open_memstream(&text, &len)))
		return NULL;
	for (int k = 0, n = 0; k < r->__size_ArrayOfRecipientsType; k++) {
		const struct ewstype__EmailAddressType *m = r->__union_ArrayOfRecipientsType[k].union_ArrayOfRecipientsType.Mailbox;
		if (!m || (!m->Name && !m->EmailAddress))
			continue;
		fputs(n++ ? "; " : "", f);
		if (m->Name && m->EmailAddress && strcmp(m->Name, m->EmailAddress))
			fprintf(f, "%s <%s>", m->Name, m->EmailAddress);
		else
			fputs(m->EmailAddress ? m->EmailAddress : m->Name, f);
	}
	fclose(f);
	if (text && !*text) {
		free(text);
		text = NULL;
	}
	return text;
}

/* DisplayTo/DisplayCc when the server sends them, else built from the recipient list (ewsd and some
 * servers send only the list; a shape without Display* properties too). */
static void recipients(const ews_cli *cli, const char *name, const char *display,
		       const struct ewstype__ArrayOfRecipientsType *list)
{
	char *built = display && *display ? NULL : recipient_list(list);
	field(cli, name, built ? built : display && *display ? display : NULL);
	free(built);
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
	if (kind == SOAP_UNION__ewstype__union_ArrayOfRealItemsType_Message) {
		const struct ewstype__MessageType *msg = u->Message;
		recipients(cli, "to", it->DisplayTo, msg->ToRecipients);
		recipients(cli, "cc", it->DisplayCc, msg->CcRecipients);
		if (msg->From && msg->From->union_SingleRecipientType.Mailbox)
			field(cli, "from", msg->From->union_SingleRecipientType.Mailbox->EmailAddress);
		if (msg->IsRead)
			flag(cli, "read", *msg->IsRead == xsd__boolean__true_);
	} else {
		recipients(cli, "to", it->DisplayTo, NULL);
		recipients(cli, "cc", it->DisplayCc, NULL);
	}
	if (kind == SOAP_UNION__ewstype__union_ArrayOfRealItemsType_CalendarItem) {
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

/* --mime: the item's MimeContent, base64-decoded, to stdout. 1 when the server gave none. */
static int write_mime(const ews_cli *cli, const struct ewstype__ArrayOfRealItemsType *items, const char *id)
{
	const struct ewstype__ItemType *it = items && items->__size_ArrayOfRealItemsType > 0
		? (const void *)items->__union_ArrayOfRealItemsType[0].union_ArrayOfRealItemsType.Message : NULL;
	unsigned char *raw = NULL;
	size_t n = 0;
	ews_status st = it && it->MimeContent && it->MimeContent->__item
		? ews_base64_decode(it->MimeContent->__item, strlen(it->MimeContent->__item), &raw, &n)
		: ews_status_make(EWS_ERR_UNSUPPORTED, "%s: the server sent no MimeContent", id);
	if (!ews_ok(st)) {
		ews_cli_error(cli, NULL, st);
		return 1;
	}
	fwrite(raw, 1, n, stdout);
	free(raw);
	return 0;
}

int main(int argc, char **argv)
{
	int body = 1, nids = 0, rc, failed = 0, mime = 0;
	ews_cli cli;
	ews_client *c;
	ews_status st = ews_cli_init(&cli, "ews-get-item");

	if (!ews_ok(st))
		return ews_cli_error(&cli, "environment", st);
	const ews_cli_opt opts[] = { { "--no-body", .on = &body, .set = 0 }, { "--mime", .on = &mime, .set = 1 },
				     { NULL } };
	if ((rc = ews_cli_parse(&cli, argc, argv, opts, usage, &nids)) >= 0)    /* ids collected in place */
		return rc;
	if (!nids)
		return ews_cli_usage_error(&cli, "give the ids of the items to show");
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
	if (mime) {
		if (!(req->ItemShape->IncludeMimeContent = soap_malloc(a, sizeof *req->ItemShape->IncludeMimeContent))) {
			ews_client_free(c);
			return ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
		}
		*req->ItemShape->IncludeMimeContent = xsd__boolean__true_;
	}

	struct __ewsmsg__GetItemResponse resp = { 0 };
	st = ews_get_item(c, req, &resp);
	if (!ews_ok(st) && st.code != EWS_ERR_RESPONSE) {   /* resp holds nothing to read then */
		rc = ews_cli_error(&cli, NULL, st);
		ews_client_free(c);
		return rc;
	}
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs = ews_response_messages_of("GetItem", &resp);
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
		if (mime) {
			failed += write_mime(&cli, items, k < nids ? argv[k] : "?");
			continue;
		}
		for (int j = 0; items && j < items->__size_ArrayOfRealItemsType; j++)
			show(&cli, &items->__union_ArrayOfRealItemsType[j].union_ArrayOfRealItemsType,
			     items->__union_ArrayOfRealItemsType[j].__union_ArrayOfRealItemsType, body);
	}
	ews_client_free(c);
	return failed ? EWS_EXIT_PARTIAL : EWS_EXIT_OK;
}
