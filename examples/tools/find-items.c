/* <DESC> ews-find-items: paged FindItem over a folder, with an anchor item that detects a result set changing
 * while paging </DESC>
 *
 *   ews-find-items [--folder NAME|ID] [--page-size N] [--from-end] [--sort FIELD[:asc|desc]]
 *                  [--subject-contains TEXT] [--max N] [--ids] [--occurrences FROM TO] [--json]
 *
 * The paging reference page's sample, in C, on ews/pager.h: each FindItem asks for one item more than the page
 * size; that extra item (the anchor) must come back first on the next page, otherwise items were added or deleted
 * meanwhile and the listing may have missed or repeated some (reported, exit status 1). --occurrences lists, after
 * the items, the occurrences of each recurring calendar item between two dates (ews/recurrence.h).
 * Build alone: cc find-items.c $(pkg-config --cflags --libs libews)
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews/ews.h"
#include "ews/cli.h"
#include "ews/pager.h"
#include "ews/recurrence.h"

static void usage(FILE *f)
{
	fputs("usage: ews-find-items [options]\n"
	      "List the items of a folder page by page (FindItem with IndexedPageItemView).\n\n"
	      "  --folder FOLDER         distinguished name (inbox, calendar ...), display-name path (\"Inbox/Projects\")\n"
	      "                          or folder id; default inbox\n"
	      "  --page-size N           items per FindItem call, 1..1000 (default 10)\n"
	      "  --from-end              page from the end of the view (BasePoint End)\n"
	      "  --sort FIELD[:DIR]      e.g. item:Subject:asc (default item:DateTimeReceived:desc)\n"
	      "  --subject-contains TEXT only items whose subject contains TEXT (ignoring case)\n"
	      "  --max N                 stop after N items, 0 or more (default: all)\n"
	      "  --ids                   print each item's id too\n"
	      "  --occurrences FROM TO   then, for each recurring calendar item listed, its occurrences from FROM to TO\n"
	      "                          (xs:dateTime, e.g. 2024-06-01T00:00:00Z 2024-07-01T00:00:00Z)\n\n"
	      "example: EWS_URL=http://127.0.0.1:8080/EWS/Exchange.asmx EWS_USER=me@example.com EWS_PASSWORD=secret \\\n"
	      "         ews-find-items --folder inbox --page-size 5 --subject-contains budget\n\n", f);
	fputs(EWS_CLI_ARCHIVE_HELP, f);
	fputs(EWS_CLI_COMMON_HELP, f);
}

/* Restriction: Contains(item:Subject, text), substring, ignoring case; typed builders (ews_builders.h), in the
 * client's arena. NULL when out of memory. */
static struct ewstype__RestrictionType *subject_contains(ews_client *c, const char *text)
{
	struct ewstype__RestrictionType *r = NULL;
	struct ewstype__ContainsExpressionType *has = ews_RestrictionType_set_Contains(c, &r);
	struct ewstype__PathToUnindexedFieldType *f = has ? ews_ContainsExpressionType_set_FieldURI(c, &has) : NULL;
	if (!f || !(has->Constant = EWS_NEW(c, ewstype__ConstantValueType)) ||
	    !(has->Constant->Value = soap_strdup(ews_client_arena(c), text)) ||
	    !(has->ContainmentMode = EWS_BOX(c, ewstype__ContainmentModeType, ewstype__ContainmentModeType__Substring)) ||
	    !(has->ContainmentComparison = EWS_BOX(c, ewstype__ContainmentComparisonType,
						   ewstype__ContainmentComparisonType__IgnoreCase)))
		return NULL;
	f->FieldURI = ewstype__UnindexedFieldURIType__item_x003aSubject;
	return r;
}

/* The calendar items listed, to walk once the listing is done (the pager's pages are released by each call). */
struct listed {
	char *id, *subject;
};

/* Each recurring master's occurrences in [from, to); a calendar item that is no master is skipped. 0 or the exit
 * status of the first error. */
static int print_occurrences(const ews_cli *cli, ews_client *c, const struct listed *l, int n, const char *from,
			     const char *to)
{
	for (int i = 0; i < n; i++) {
		ews_occurrence *o = NULL;
		size_t k = 0;
		ews_status st = ews_recurrence_occurrences(c, l[i].id, from, to, NULL, &o, &k);
		if (st.code == EWS_ERR_RESPONSE && !strcmp(st.response_code, "ErrorCalendarCannotUseIdForOccurrenceId")) {
			ews_occurrences_free(o, k);
			continue;       /* a single appointment */
		}
		if (!ews_ok(st)) {
			ews_occurrences_free(o, k);
			return ews_cli_error(cli, NULL, st);
		}
		if (!cli->json)
			printf("occurrences of %s (%zu):\n", l[i].subject ? l[i].subject : "(no subject)", k);
		for (size_t j = 0; j < k; j++) {
			if (cli->json) {
				printf("{\"type\":\"occurrence\",\"ok\":true,\"master\":");
				ews_cli_json_string(stdout, l[i].id);
				printf(",\"index\":%d,\"exception\":%s,\"id\":", o[j].index, o[j].is_exception ? "true" : "false");
				ews_cli_json_string(stdout, o[j].item_id);
				printf(",\"start\":");
				ews_cli_json_string(stdout, o[j].start);
				printf(",\"end\":");
				ews_cli_json_string(stdout, o[j].end);
				printf(",\"subject\":");
				ews_cli_json_string(stdout, o[j].subject);
				printf("}\n");
			} else {
				printf("  #%-4d %s .. %s  %s%s\n", o[j].index, o[j].start, o[j].end,
				       o[j].subject ? o[j].subject : "(no subject)", o[j].is_exception ? "  (changed)" : "");
			}
		}
		ews_occurrences_free(o, k);
	}
	return 0;
}

static void print_item(const ews_cli *cli, const ews_item_view *it, int ids)
{
	if (cli->json) {
		printf("{\"type\":\"item\",\"ok\":true,\"id\":");
		ews_cli_json_string(stdout, it->id);
		printf(",\"change_key\":");
		ews_cli_json_string(stdout, it->change_key);
		printf(",\"class\":");
		ews_cli_json_string(stdout, it->item_class);
		printf(",\"received\":");
		ews_cli_json_string(stdout, it->received);
		printf(",\"subject\":");
		ews_cli_json_string(stdout, it->subject);
		printf("}\n");
	} else {
		printf("%-20.20s  %s%s%s\n", it->received ? it->received : "-", it->subject ? it->subject : "(no subject)",
		       ids ? "  " : "", ids ? it->id : "");
	}
}

int main(int argc, char **argv)
{
	const char *folder = "inbox", *sort = "item:DateTimeReceived:desc", *contains = NULL;
	const char *occ_from = NULL, *occ_to = NULL;
	struct listed *listed = NULL;
	int nlisted = 0;
	int from_end = 0, ids = 0, rc, changed = 0, nargs;
	long page_size = 10, max = -1, shown = 0;
	ews_cli cli;
	ews_client *c;
	ews_status st = ews_cli_init(&cli, "ews-find-items");

	if (!ews_ok(st))
		return ews_cli_error(&cli, "environment", st);
	/* --page-size up to Exchange's cap of 1000: the pager fits its anchor item in, that is not the user's concern */
	const ews_cli_opt opts[] = { EWS_CLI_ARCHIVE_OPT(cli), { "--folder", .value = &folder },
				     { "--page-size", .number = &page_size, .lo = 1, .hi = 1000 },
				     { "--sort", .value = &sort }, { "--subject-contains", .value = &contains },
				     { "--max", .number = &max, .lo = 0, .hi = LONG_MAX },
				     { "--from-end", .on = &from_end, .set = 1 },
				     { "--occurrences", .value = &occ_from, .second = &occ_to },
				     { "--ids", .on = &ids, .set = 1 }, { NULL } };
	if ((rc = ews_cli_parse(&cli, argc, argv, opts, usage, &nargs)) >= 0 ||
	    (rc = ews_cli_no_operands(&cli, nargs, argv)) >= 0)
		return rc;
	/* "item:Subject:asc" -> field and direction */
	char field[128];
	const char *colon = strrchr(sort, ':');
	int descending = 1;
	if (colon && (!strcmp(colon, ":asc") || !strcmp(colon, ":desc"))) {
		descending = !strcmp(colon, ":desc");
		snprintf(field, sizeof field, "%.*s", (int)(colon - sort), sort);
	} else {
		snprintf(field, sizeof field, "%s", sort);
	}
	if ((rc = ews_cli_connect(&cli, &c)))
		return rc;
	if ((rc = ews_cli_resolve_folder(&cli, c, folder, &folder))) {
		ews_client_free(c);
		return rc;
	}

	/* the restriction lives in the client's arena, as long as the pager's requests */
	struct ewstype__RestrictionType *where = contains ? subject_contains(c, contains) : NULL;
	ews_pager *p = NULL;
	ews_item_view it;
	if (contains && !where) {
		ews_client_free(c);
		return ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
	}
	st = ews_pager_new_items(c, &(ews_pager_options){ .folder = folder, .page_size = (int)page_size, .sort = field,
							   .descending = descending, .restriction = where,
							   .base_point = from_end ? EWS_FROM_END : EWS_FROM_BEGINNING,
							   .on_change = EWS_CHANGED_IGNORE }, &p);
	if (st.code == EWS_ERR_ARGUMENT) {   /* e.g. an unknown --sort field */
		fprintf(stderr, "ews-find-items: %s (e.g. --sort item:Subject:asc)\n", st.message);
		ews_client_free(c);
		return EWS_EXIT_USAGE;
	}
	/* EWS_CHANGED_IGNORE: the pager goes on when the anchor check fails and counts it (ews_pager_changes). */
	while (ews_ok(st) && (max < 0 || shown < max) && ews_ok(st = ews_pager_next(p, &it)) && it.id) {
		if (ews_pager_changes(p) > changed) {
			changed = ews_pager_changes(p);
			fprintf(stderr, "ews-find-items: the folder changed while paging (page %d): some results may be "
					"missed or repeated\n", ews_pager_pages(p));
		}
		print_item(&cli, &it, ids);
		shown++;
		if (occ_from && it.kind == EWS_ITEM_CALENDAR && it.id && nlisted < 1000) {
			struct listed *g = realloc(listed, sizeof *g * (size_t)(nlisted + 1));
			if (g) {
				listed = g;
				listed[nlisted].id = strdup(it.id);
				listed[nlisted].subject = it.subject ? strdup(it.subject) : NULL;
				if (listed[nlisted].id)
					nlisted++;
			}
		}
	}
	if (!ews_ok(st))
		rc = ews_cli_error(&cli, NULL, st);
	if (!rc && occ_from)
		rc = print_occurrences(&cli, c, listed, nlisted, occ_from, occ_to);
	for (int i = 0; i < nlisted; i++)
		free(listed[i].id), free(listed[i].subject);
	free(listed);
	if (!rc) {
		int pages = ews_pager_pages(p), total = ews_pager_total(p);
		if (cli.json)
			printf("{\"type\":\"summary\",\"ok\":%s,\"items\":%ld,\"pages\":%d,\"total_in_view\":%d,\"changed\":%s}\n",
			       changed ? "false" : "true", shown, pages, total, changed ? "true" : "false");
		else
			printf("%ld item%s in %d page%s (%d in the folder view)%s\n", shown, shown == 1 ? "" : "s", pages,
			       pages == 1 ? "" : "s", total, changed ? ", result set CHANGED while paging" : "");
		rc = changed ? EWS_EXIT_PARTIAL : EWS_EXIT_OK;
	}
	ews_pager_free(p);
	ews_client_free(c);
	return rc;
}
