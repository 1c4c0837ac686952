/* <DESC> ews-create-item: CreateItem for test data: a message, calendar item, contact, task or distribution list
 * </DESC>
 *
 *   ews-create-item [--type message|calendar|contact|task|distlist] --subject TEXT [--body TEXT] [--to SMTP]...
 *                   [--start T --end T --location L --tz ZONE [--recur SPEC [--until DATE | --count N]]]
 *                   [--given NAME --surname NAME --contact-email SMTP] [--due T] [--folder FOLDER] [--archive] [--json]
 *   ews-create-item --dl NAME [--member SMTP]...      (a private distribution list: --type distlist --subject NAME)
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
#include "ews_schema.h"
#include "ews_schema_members.h"
#include "ews/ews.h"
#include "ews/cli.h"

/* A day code: 0..6 Sunday..Saturday, 7 DAY (any day), 8 WD (weekday), 9 WKE (weekend day); -1 when unknown. */
static int day_code(const char *s, size_t n)
{
	static const char *const names[] = { "SU", "MO", "TU", "WE", "TH", "FR", "SA", "DAY", "WD", "WKE" };
	for (int i = 0; i < 10; i++)
		if (strlen(names[i]) == n && !strncmp(s, names[i], n))
			return i;
	return -1;
}

/* "2TU" / "lastFR" / "4TH": week index (1..4, 5 last) and day code; 0 when it is not one. */
static int ordinal_day(const char *s, size_t n, int *week, int *day)
{
	size_t k = !strncmp(s, "last", 4) ? 4 : 1;
	if (n <= k || (k == 1 && (s[0] < '1' || s[0] > '4')))
		return 0;
	*week = k == 4 ? 5 : s[0] - '0';
	return (*day = day_code(s + k, n - k)) >= 0;
}

/* --recur SPEC (+ --until / --count) as a Recurrence from the date of `start`; NULL when SPEC is not one. Everything
 * lives in the client's arena. */
static struct ewstype__RecurrenceType *recurrence(ews_client *c, const char *spec, const char *start, const char *until,
						  long count)
{
	struct soap *a = ews_client_arena(c);
	struct ewstype__RecurrenceType *r = EWS_NEW(c, ewstype__RecurrenceType);
	const char *colon = strchr(spec, ':'), *slash = strchr(spec, '/');
	size_t kind_len = colon ? (size_t)(colon - spec) : slash ? (size_t)(slash - spec) : strlen(spec);
	const char *arg = colon ? colon + 1 : "";
	size_t arg_len = slash && slash > arg ? (size_t)(slash - arg) : strlen(arg);
	int interval = 1, week, day, mm, dd;
	char *end = NULL;
	if (slash && ((interval = (int)strtol(slash + 1, &end, 10)) < 1 || *end))
		return NULL;
	if (!r || !start || strlen(start) < 10)
		return NULL;
	if (!strncmp(spec, "daily", kind_len) && kind_len == 5 && !colon) {
		struct ewstype__DailyRecurrencePatternType *p = EWS_NEW(c, ewstype__DailyRecurrencePatternType);
		if (!p)
			return NULL;
		p->Interval = interval;
		r->__union_RecurrenceType = SOAP_UNION__ewstype__union_RecurrenceType_DailyRecurrence;
		r->union_RecurrenceType.DailyRecurrence = p;
	} else if (!strncmp(spec, "weekly", kind_len) && kind_len == 6 && arg_len) {
		struct ewstype__WeeklyRecurrencePatternType *p = EWS_NEW(c, ewstype__WeeklyRecurrencePatternType);
		unsigned mask = 0;
		for (const char *d = arg; p && d < arg + arg_len;) {
			const char *comma = memchr(d, ',', (size_t)(arg + arg_len - d));
			size_t n = comma ? (size_t)(comma - d) : (size_t)(arg + arg_len - d);
			int code = day_code(d, n);
			if (code < 0 || code > 6)
				return NULL;
			mask |= 1u << code;
			d += n + (comma != NULL);
		}
		if (!p || !mask)
			return NULL;
		p->Interval = interval;
		p->DaysOfWeek = (enum ewstype__DaysOfWeekType)mask;
		r->__union_RecurrenceType = SOAP_UNION__ewstype__union_RecurrenceType_WeeklyRecurrence;
		r->union_RecurrenceType.WeeklyRecurrence = p;
	} else if (!strncmp(spec, "monthly", kind_len) && kind_len == 7 && arg_len) {
		if (ordinal_day(arg, arg_len, &week, &day)) {
			struct ewstype__RelativeMonthlyRecurrencePatternType *p =
				EWS_NEW(c, ewstype__RelativeMonthlyRecurrencePatternType);
			if (!p)
				return NULL;
			p->Interval = interval;
			p->DaysOfWeek = (enum ewstype__DayOfWeekType)day;
			p->DayOfWeekIndex = (enum ewstype__DayOfWeekIndexType)(week - 1);
			r->__union_RecurrenceType = SOAP_UNION__ewstype__union_RecurrenceType_RelativeMonthlyRecurrence;
			r->union_RecurrenceType.RelativeMonthlyRecurrence = p;
		} else {
			struct ewstype__AbsoluteMonthlyRecurrencePatternType *p =
				EWS_NEW(c, ewstype__AbsoluteMonthlyRecurrencePatternType);
			if (!p || (dd = (int)strtol(arg, &end, 10)) < 1 || dd > 31 || end != arg + arg_len)
				return NULL;
			p->Interval = interval;
			p->DayOfMonth = dd;
			r->__union_RecurrenceType = SOAP_UNION__ewstype__union_RecurrenceType_AbsoluteMonthlyRecurrence;
			r->union_RecurrenceType.AbsoluteMonthlyRecurrence = p;
		}
	} else if (!strncmp(spec, "yearly", kind_len) && kind_len == 6 && arg_len && !slash) {
		const char *dash = memchr(arg, '-', arg_len);
		if (!dash)
			return NULL;
		if (ordinal_day(arg, (size_t)(dash - arg), &week, &day)) {     /* 4TH-11 */
			struct ewstype__RelativeYearlyRecurrencePatternType *p =
				EWS_NEW(c, ewstype__RelativeYearlyRecurrencePatternType);
			if (!p || (mm = (int)strtol(dash + 1, &end, 10)) < 1 || mm > 12 || end != arg + arg_len)
				return NULL;
			p->DaysOfWeek = (enum ewstype__DayOfWeekType)day;
			p->DayOfWeekIndex = (enum ewstype__DayOfWeekIndexType)(week - 1);
			p->Month = (enum ewstype__MonthNamesType)(mm - 1);
			r->__union_RecurrenceType = SOAP_UNION__ewstype__union_RecurrenceType_RelativeYearlyRecurrence;
			r->union_RecurrenceType.RelativeYearlyRecurrence = p;
		} else {                                                        /* 03-15 */
			struct ewstype__AbsoluteYearlyRecurrencePatternType *p =
				EWS_NEW(c, ewstype__AbsoluteYearlyRecurrencePatternType);
			if (!p || (mm = (int)strtol(arg, &end, 10)) < 1 || mm > 12 || end != dash ||
			    (dd = (int)strtol(dash + 1, &end, 10)) < 1 || dd > 31 || end != arg + arg_len)
				return NULL;
			p->DayOfMonth = dd;
			p->Month = (enum ewstype__MonthNamesType)(mm - 1);
			r->__union_RecurrenceType = SOAP_UNION__ewstype__union_RecurrenceType_AbsoluteYearlyRecurrence;
			r->union_RecurrenceType.AbsoluteYearlyRecurrence = p;
		}
	} else {
		return NULL;
	}
	/* the range starts on the date of --start, as written (its own wall-clock date) */
	char *first = soap_strdup(a, start);
	if (first)
		first[10] = '\0';
	if (until) {
		struct ewstype__EndDateRecurrenceRangeType *g = EWS_NEW(c, ewstype__EndDateRecurrenceRangeType);
		if (!g || !first)
			return NULL;
		g->StartDate = first;
		g->EndDate = (char *)until;
		r->__union_RecurrenceType_ = SOAP_UNION__ewstype__union_RecurrenceType__EndDateRecurrence;
		r->union_RecurrenceType_.EndDateRecurrence = g;
	} else if (count > 0) {
		struct ewstype__NumberedRecurrenceRangeType *g = EWS_NEW(c, ewstype__NumberedRecurrenceRangeType);
		if (!g || !first)
			return NULL;
		g->StartDate = first;
		g->NumberOfOccurrences = (int)count;
		r->__union_RecurrenceType_ = SOAP_UNION__ewstype__union_RecurrenceType__NumberedRecurrence;
		r->union_RecurrenceType_.NumberedRecurrence = g;
	} else {
		struct ewstype__NoEndRecurrenceRangeType *g = EWS_NEW(c, ewstype__NoEndRecurrenceRangeType);
		if (!g || !first)
			return NULL;
		g->StartDate = first;
		r->__union_RecurrenceType_ = SOAP_UNION__ewstype__union_RecurrenceType__NoEndRecurrence;
		r->union_RecurrenceType_.NoEndRecurrence = g;
	}
	return r;
}

static void usage(FILE *f)
{
	fputs("usage: ews-create-item [options]\n"
	      "Create one item (CreateItem, saved, never sent) and print its id.\n\n"
	      "  --type KIND        message (default), calendar, contact, task or distlist\n"
	      "  --subject TEXT     subject (contacts: the display name)\n"
	      "  --body TEXT        plain-text body\n"
	      "  --to SMTP          message: a recipient (repeatable, up to 64)\n"
	      "  --start T --end T  calendar: times as xs:dateTime, e.g. 2024-06-01T09:00:00Z\n"
	      "  --location TEXT    calendar: where\n"
	      "  --recur SPEC       calendar: a recurring series from --start's date; SPEC is\n"
	      "                       daily | weekly:MO,WE | monthly:15 | monthly:2TU | monthly:lastFR |\n"
	      "                       yearly:03-15 | yearly:4TH-11   (days SU MO TU WE TH FR SA; an ordinal 1..4 or\n"
	      "                       last, then a day, DAY (any), WD (weekday) or WE* (weekend day: WKE));\n"
	      "                       /N after the pattern repeats every N days, weeks or months (weekly:MO/2)\n"
	      "  --until DATE       the series ends on DATE (YYYY-MM-DD)\n"
	      "  --tz ZONE          calendar: the start time zone, a Windows id (\"W. Europe Standard Time\"): a\n"
	      "                     series keeps its wall-clock time in it across daylight-saving changes\n"
	      "  --count N          the series has N occurrences (default: no end)\n"
	      "  --given NAME --surname NAME --contact-email SMTP   contact fields\n"
	      "  --due T            task: due date\n"
	      "  --dl NAME          a private distribution list NAME (--type distlist --subject NAME)\n"
	      "  --member SMTP      distribution list: a member (repeatable, up to 64)\n"
	      "  --mime FILE        the item from an .eml (RFC 5322) file instead of the flags above\n"
	      "                     (ews-get-item --mime ID > item.eml writes one)\n"
	      "  --folder FOLDER    where to save: distinguished name, display-name path or id\n"
	      "                     (default: the type's folder: drafts, calendar, contacts, tasks)\n"
	      EWS_CLI_ARCHIVE_HELP "\n"
	      "example: ews-create-item --type calendar --subject 'Design review' --start 2024-06-03T09:00:00Z \\\n"
	      "         --end 2024-06-03T10:00:00Z --location 'Room 2'\n"
	      "         ews-create-item --type calendar --subject Standup --start 2024-06-03T09:00:00+02:00 \\\n"
	      "         --end 2024-06-03T09:15:00+02:00 --recur weekly:MO,WE --count 10\n\n", f);
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
		return ews_cli_file_error(cli, path, ews_status_make(errno == ENOENT ? EWS_ERR_NOT_FOUND : EWS_ERR_FILE,
								      "%s", strerror(errno)));
	if (!S_ISREG(sb.st_mode) || sb.st_size == 0)
		return ews_cli_file_error(cli, path, ews_status_make(S_ISREG(sb.st_mode) ? EWS_ERR_FORMAT : EWS_ERR_FILE, "%s",
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
	const char *type = NULL, *subject = NULL, *body = NULL, *start = NULL, *end = NULL, *location = NULL;
	const char *given = NULL, *surname = NULL, *email = NULL, *due = NULL, *folder = NULL, *mime = NULL;
	const char *recur = NULL, *until = NULL, *tz = NULL, *dl_name = NULL;
	long count = 0;
	const char *to[64], *members[64];
	int nto = 0, nmembers = 0, rc, nargs;
	ews_cli cli;
	ews_client *c;
	ews_status st = ews_cli_init(&cli, "ews-create-item");

	if (!ews_ok(st))
		return ews_cli_error(&cli, "environment", st);
	const ews_cli_opt opts[] = {
		EWS_CLI_ARCHIVE_OPT(cli), { "--type", .value = &type },
		{ "--subject", .value = &subject }, { "--body", .value = &body }, { "--start", .value = &start },
		{ "--end", .value = &end }, { "--location", .value = &location }, { "--given", .value = &given },
		{ "--surname", .value = &surname }, { "--contact-email", .value = &email }, { "--due", .value = &due },
		{ "--folder", .value = &folder }, { "--recur", .value = &recur }, { "--until", .value = &until },
		{ "--tz", .value = &tz }, { "--mime", .value = &mime }, { "--dl", .value = &dl_name },
		{ "--member", .list = members, .count = &nmembers, .max = 64 },
		{ "--count", .number = &count, .lo = 1, .hi = 999 }, { "--to", .list = to, .count = &nto, .max = 64 },
		{ NULL } };
	if ((rc = ews_cli_parse(&cli, argc, argv, opts, usage, &nargs)) >= 0 ||
	    (rc = ews_cli_no_operands(&cli, nargs, argv)) >= 0)
		return rc;
	/* flags that describe the item: none of them goes with --mime */
	int item_flags = type || subject || body || start || end || location || given || surname || email || due ||
			 recur || until || tz || dl_name || nmembers || count || nto;
	if (dl_name)    /* --dl NAME: a distribution list of that name */
		type = "distlist", subject = dl_name;
	type = type ? type : "message";
	if (mime)
		return item_flags ? ews_cli_usage_error(&cli, "--mime takes the item from the file: no --type, --subject, "
							"--to ... with it") : from_mime(&cli, mime, folder);
	enum { MESSAGE = 1, CALENDAR, CONTACT, TASK, DISTLIST };
	int kind = !strcmp(type, "message") ? MESSAGE : !strcmp(type, "calendar") ? CALENDAR
		 : !strcmp(type, "contact") ? CONTACT : !strcmp(type, "task") ? TASK
		 : !strcmp(type, "distlist") ? DISTLIST : 0;
	if (!kind || !subject)
		return ews_cli_usage_error(&cli, "%s", kind ? "--subject is required" : "--type must be message, "
					   "calendar, contact, task or distlist");
	if (nmembers && kind != DISTLIST)
		return ews_cli_usage_error(&cli, "--member is for a distribution list (--dl NAME)");
	/* what bindings from an older schema set cannot express: said before anything is sent */
#ifndef EWS_HAS_ewstype__CalendarItemType_StartTimeZone
	if (tz)
		return ews_cli_error(&cli, "--tz", ews_status_make(EWS_ERR_UNSUPPORTED, "the bindings' schema set %s has no "
								   "CalendarItem StartTimeZone (Exchange 2010 and later)",
								   EWS_SCHEMA_NAME));
#endif
#ifndef EWS_HAS_ewstype__DistributionListType_Members
	if (nmembers)
		return ews_cli_error(&cli, "--member", ews_status_make(EWS_ERR_UNSUPPORTED, "the bindings' schema set %s has "
								       "no DistributionList Members (Exchange 2010 and later)",
								       EWS_SCHEMA_NAME));
#endif
	if ((recur || until || count) && (kind != CALENDAR || !start || !end))
		return ews_cli_usage_error(&cli, "--recur, --until and --count make a calendar series: --type calendar "
					   "with --start and --end");
	if ((until || count) && !recur)
		return ews_cli_usage_error(&cli, "--until and --count need --recur");
	if (until && count)
		return ews_cli_usage_error(&cli, "--until and --count exclude each other");
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
#ifdef EWS_HAS_ewstype__CalendarItemType_StartTimeZone
			if (tz && (ci->StartTimeZone = EWS_NEW(c, ewstype__TimeZoneDefinitionType)))
				ci->StartTimeZone->Id = (char *)tz;
#endif
			if (recur && !(ci->Recurrence = recurrence(c, recur, start, until, count))) {
				ews_client_free(c);
				return ews_cli_usage_error(&cli, "--recur %s: not a pattern", recur);
			}
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
	} else if (ok && kind == DISTLIST) {
		/* one-off members by address; the server tells mailboxes of its own apart (MailboxType) */
		struct ewstype__DistributionListType *dl = ews_NonEmptyArrayOfAllItemsType_add_DistributionList(c, &req->Items);
		if ((ok = dl != NULL)) {
			dl->DisplayName = (char *)subject;
			subject_of = &dl->Subject, body_of = &dl->Body;
#ifdef EWS_HAS_ewstype__DistributionListType_Members
			dl->Members = EWS_NEW(c, ewstype__MembersListType);
			ok = dl->Members != NULL;
#endif
		}
#ifdef EWS_HAS_ewstype__DistributionListType_Members
		for (int k = 0; ok && k < nmembers; k++) {
			struct ewstype__MemberType *mb = ews_MembersListType_add_Member(c, &dl->Members);
			ok = mb && (mb->Mailbox = EWS_NEW(c, ewstype__EmailAddressType)) &&
			     (mb->Mailbox->EmailAddress = soap_strdup(a, members[k])) && (mb->Mailbox->RoutingType = "SMTP");
		}
#endif
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
