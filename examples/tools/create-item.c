/* <DESC> ews-create-item: CreateItem for test data: a message, calendar item, contact or task </DESC>
 *
 *   ews-create-item [--type message|calendar|contact|task] --subject TEXT [--body TEXT] [--to SMTP]...
 *                   [--start T --end T --location L] [--given NAME --surname NAME --contact-email SMTP] [--due T]
 *                   [--folder FOLDER] [--archive] [--json]
 *   ews-create-item --mime item.eml [--folder FOLDER] [--archive] [--json]
 *
 * Prints the new item's id. Messages are saved (MessageDisposition SaveOnly), never sent. With --mime the item is
 * made from an RFC 5322 message (ews_create_item_from_mime_file, ews/mime.h): the server takes Subject, From,
 * To ... from it and keeps its bytes (ews-get-item --mime gives them back).
 * Build alone: cc create-item.c $(pkg-config --cflags --libs libews)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
	      "  --given NAME --surname NAME --contact-email SMTP   contact fields\n"
	      "  --due T            task: due date\n"
	      "  --mime FILE        the item from an .eml (RFC 5322) file instead of the flags above\n"
	      "                     (ews-get-item --mime ID > item.eml writes one)\n"
	      "  --folder FOLDER    where to save: distinguished name, display-name path or id\n"
	      "                     (default: the type's folder: drafts, calendar, contacts, tasks)\n"
	      EWS_CLI_ARCHIVE_HELP "\n"
	      "example: ews-create-item --type calendar --subject 'Design review' --start 2024-06-03T09:00:00Z \\\n"
	      "         --end 2024-06-03T10:00:00Z --location 'Room 2'\n\n", f);
	fputs(EWS_CLI_COMMON_HELP, f);
}

/* --mime FILE: CreateItem with the file's MIME content. */
static int from_mime(ews_cli *cli, const char *path, const char *folder)
{
	ews_client *c;
	char *id = NULL, *ck = NULL;
	int rc;
	struct stat sb;
	/* the file's problems first, as a file's (exit 1), before anything is sent */
	if (stat(path, &sb))
		return ews_cli_file_error(cli, path, ews_status_make(errno == ENOENT ? EWS_ERR_NOT_FOUND : EWS_ERR_IO,
								      "%s", strerror(errno)));
	if (!S_ISREG(sb.st_mode) || sb.st_size == 0)
		return ews_cli_file_error(cli, path, ews_status_make(S_ISREG(sb.st_mode) ? EWS_ERR_FORMAT : EWS_ERR_IO, "%s",
								      S_ISREG(sb.st_mode) ? "empty: no message" : "not a regular file"));
	if ((rc = ews_cli_connect(cli, &c)))
		return rc;
	if (folder && (rc = ews_cli_resolve_folder(cli, c, folder, &folder))) {
		ews_client_free(c);
		return rc;
	}
	if (!folder && cli->archive && (rc = ews_cli_resolve_folder(cli, c, "inbox", &folder))) {
		ews_client_free(c);     /* the archive has no drafts: its inbox */
		return rc;
	}
	ews_status st = ews_create_item_from_mime_file(c, path, &(ews_mime_create_options){ .folder = folder }, &id, &ck);
	if (!ews_ok(st)) {
		rc = st.code == EWS_ERR_TOO_LARGE ? ews_cli_file_error(cli, path, st) : ews_cli_error(cli, NULL, st);
	} else if (cli->json) {
		printf("{\"type\":\"created\",\"ok\":true,\"kind\":\"mime\",\"id\":");
		ews_cli_json_string(stdout, id);
		printf(",\"change_key\":");
		ews_cli_json_string(stdout, ck);
		printf(",\"file\":");
		ews_cli_json_string(stdout, path);
		printf("}\n");
	} else {
		printf("%s\n", id);
	}
	free(id), free(ck);
	ews_client_free(c);
	return rc;
}

int main(int argc, char **argv)
{
	const char *type = "message", *subject = NULL, *body = NULL, *start = NULL, *end = NULL, *location = NULL;
	const char *given = NULL, *surname = NULL, *email = NULL, *due = NULL, *folder = NULL, *mime = NULL;
	int item_flags = 0;         /* flags that describe the item: none of them goes with --mime */
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
		     : !strcmp(a, "--given") ? &given : !strcmp(a, "--surname") ? &surname : !strcmp(a, "--contact-email") ? &email
		     : !strcmp(a, "--due") ? &due : !strcmp(a, "--folder") ? &folder : !strcmp(a, "--mime") ? &mime : NULL;
		if (ews_cli_archive_flag(&cli, a)) {
			continue;
		} else if (slot) {
			item_flags += slot != &folder && slot != &mime;
			if (!(*slot = ews_cli_value(&cli, argc, argv, &i)))
				return EWS_EXIT_USAGE;
		} else if (!strcmp(a, "--to")) {
			if (nto == 64)
				return ews_cli_usage_error(&cli, "at most 64 --to recipients");
			if (!(to[nto++] = (char *)ews_cli_value(&cli, argc, argv, &i)))
				return EWS_EXIT_USAGE;
			item_flags++;
		} else {
			return ews_cli_usage_error(&cli, "%s %s", a[0] == '-' ? "unknown option" : "unexpected operand", a);
		}
	}
	if (mime)
		return item_flags ? ews_cli_usage_error(&cli, "--mime takes the item from the file: no --type, --subject, "
							"--to ... with it") : from_mime(&cli, mime, folder);
	enum { MESSAGE = 1, CALENDAR, CONTACT, TASK };
	int kind = !strcmp(type, "message") ? MESSAGE : !strcmp(type, "calendar") ? CALENDAR
		 : !strcmp(type, "contact") ? CONTACT : !strcmp(type, "task") ? TASK : 0;
	if (!kind || !subject)
		return ews_cli_usage_error(&cli, "%s", kind ? "--subject is required" : "--type must be message, "
					   "calendar, contact or task");
	if ((rc = ews_cli_connect(&cli, &c)))
		return rc;
	if (folder && (rc = ews_cli_resolve_folder(&cli, c, folder, &folder))) {
		ews_client_free(c);
		return rc;
	}

	/* the request, with the typed builders (ews_builders.h); everything lives in the client's arena */
	struct soap *a = ews_client_arena(c);
	struct ewsmsg__CreateItemType *req = EWS_NEW(c, ewsmsg__CreateItemType);
	char **subject_of = NULL;                     /* the new item's Subject and Body, whatever its type */
	struct ewstype__BodyType **body_of = NULL;
	int ok = req != NULL;
	if (ok && kind == MESSAGE) {
		struct ewstype__MessageType *m = ews_NonEmptyArrayOfAllItemsType_add_Message(c, &req->Items);
		ok = m != NULL;
		for (int k = 0; ok && k < nto; k++) {
			struct ewstype__EmailAddressType *mb = ews_ArrayOfRecipientsType_add_Mailbox(c, &m->ToRecipients);
			ok = mb && (mb->EmailAddress = soap_strdup(a, to[k]));
		}
		if (ok && (ok = (req->MessageDisposition = EWS_BOX(c, ewstype__MessageDispositionType,
								   ewstype__MessageDispositionType__SaveOnly)) != NULL))
			subject_of = &m->Subject, body_of = &m->Body;
		folder = folder ? folder : "drafts";
	} else if (ok && kind == CALENDAR) {
		struct ewstype__CalendarItemType *ci = ews_NonEmptyArrayOfAllItemsType_add_CalendarItem(c, &req->Items);
		if ((ok = ci != NULL)) {
			ci->Start = (char *)start;
			ci->End = (char *)end;
			ci->Location = (char *)location;
			subject_of = &ci->Subject, body_of = &ci->Body;
		}
		folder = folder ? folder : "calendar";
	} else if (ok && kind == CONTACT) {
		struct ewstype__ContactItemType *ct = ews_NonEmptyArrayOfAllItemsType_add_Contact(c, &req->Items);
		if ((ok = ct != NULL)) {
			ct->GivenName = (char *)given;
			ct->Surname = (char *)surname;
			ct->DisplayName = (char *)subject;
			subject_of = &ct->Subject, body_of = &ct->Body;
		}
		if (ok && email) {
			struct ewstype__EmailAddressDictionaryEntryType *e =
				ews_EmailAddressDictionaryType_add_Entry(c, &ct->EmailAddresses);
			if ((ok = e != NULL)) {
				e->__item = (char *)email;
				e->Key = ewstype__EmailAddressKeyType__EmailAddress1;
			}
		}
		folder = folder ? folder : "contacts";
	} else if (ok) {
		struct ewstype__TaskType *t = ews_NonEmptyArrayOfAllItemsType_add_Task(c, &req->Items);
		if ((ok = t != NULL)) {
			t->DueDate = (char *)due;
			subject_of = &t->Subject, body_of = &t->Body;
		}
		folder = folder ? folder : "tasks";
	}
	if (ok && body && (ok = (*body_of = EWS_NEW(c, ewstype__BodyType)) != NULL)) {
		(*body_of)->__item = (char *)body;
		(*body_of)->BodyType = ewstype__BodyTypeType__Text;
	}
	if (ok) {
		*subject_of = (char *)subject;
		ok = (req->SavedItemFolderId = ews_cli_target_folder(a, folder)) != NULL;
	}
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
