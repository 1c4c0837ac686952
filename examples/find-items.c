/* <DESC> ews-find-items: paged FindItem over a folder, with an anchor item that detects a result set changing
 * while paging </DESC>
 *
 *   ews-find-items [--folder NAME|ID] [--page-size N] [--from-end] [--sort FIELD[:asc|desc]]
 *                  [--subject-contains TEXT] [--max N] [--ids] [--json]
 *
 * The paging reference page's sample, in C, on ews/pager.h: each FindItem asks for one item more than the page
 * size; that extra item (the anchor) must come back first on the next page, otherwise items were added or deleted
 * meanwhile and the listing may have missed or repeated some (reported, exit status 1).
 * Build alone: cc find-items.c $(pkg-config --cflags --libs libews)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews/ews.h"
#include "ews/cli.h"
#include "ews/pager.h"

static void usage(FILE *f)
{
	fputs("usage: ews-find-items [options]\n"
	      "List the items of a folder page by page (FindItem with IndexedPageItemView).\n\n"
	      "  --folder NAME|ID        distinguished name (inbox, calendar ...) or folder id; default inbox\n"
	      "  --page-size N           items per FindItem call (default 10)\n"
	      "  --from-end              page from the end of the view (BasePoint End)\n"
	      "  --sort FIELD[:DIR]      e.g. item:Subject:asc (default item:DateTimeReceived:desc)\n"
	      "  --subject-contains TEXT only items whose subject contains TEXT (ignoring case)\n"
	      "  --max N                 stop after N items\n"
	      "  --ids                   print each item's id too\n\n"
	      "example: EWS_URL=http://127.0.0.1:8080/EWS/Exchange.asmx EWS_USER=me@example.com EWS_PASSWORD=secret \\\n"
	      "         ews-find-items --folder inbox --page-size 5 --subject-contains budget\n\n", f);
	fputs(EWS_CLI_COMMON_HELP, f);
}

/* Restriction: Contains(item:Subject, text), substring, ignoring case. */
static struct ewstype__RestrictionType *subject_contains(struct soap *a, const char *text)
{
	struct ewstype__RestrictionType *r = soap_new_ewstype__RestrictionType(a, 1);
	struct ewstype__ContainsExpressionType *c = soap_new_ewstype__ContainsExpressionType(a, 1);
	struct ewstype__PathToUnindexedFieldType *f = soap_new_ewstype__PathToUnindexedFieldType(a, 1);
	if (!r || !c || !f || !(c->Constant = soap_new_ewstype__ConstantValueType(a, 1)) ||
	    !(c->ContainmentMode = soap_new_ewstype__ContainmentModeType(a, 1)) ||
	    !(c->ContainmentComparison = soap_new_ewstype__ContainmentComparisonType(a, 1)))
		return NULL;
	f->FieldURI = ewstype__UnindexedFieldURIType__item_x003aSubject;
	c->__union_ContainsExpressionType = SOAP_UNION__ewstype__union_ContainsExpressionType_FieldURI;
	c->union_ContainsExpressionType.FieldURI = f;
	c->Constant->Value = soap_strdup(a, text);
	*c->ContainmentMode = ewstype__ContainmentModeType__Substring;
	*c->ContainmentComparison = ewstype__ContainmentComparisonType__IgnoreCase;
	r->__union_RestrictionType = SOAP_UNION__ewstype__union_RestrictionType_Contains;
	r->union_RestrictionType.Contains = c;
	return r;
}

static void print_item(const ews_cli *cli, const ews_item_view *it, int ids)
{
	if (cli->json) {
		printf("{\"type\":\"item\",\"id\":");
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
	int page_size = 10, from_end = 0, ids = 0, rc, changed = 0;
	long max = -1, shown = 0;
	ews_cli cli;
	ews_client *c;
	ews_status st = ews_cli_init(&cli, "ews-find-items");

	if (!ews_ok(st))
		return ews_cli_error(&cli, "environment", st);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int r = ews_cli_flag(&cli, argc, argv, &i);
		if (r < 0)
			return EWS_EXIT_USAGE;
		if (r > 0)
			continue;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return EWS_EXIT_OK;
		} else if (!strcmp(a, "--folder") && v) {
			folder = argv[++i];
		} else if (!strcmp(a, "--page-size") && v && (page_size = atoi(argv[++i])) > 0 && page_size < 1000) {
		} else if (!strcmp(a, "--sort") && v) {
			sort = argv[++i];
		} else if (!strcmp(a, "--subject-contains") && v) {
			contains = argv[++i];
		} else if (!strcmp(a, "--max") && v && (max = atol(argv[++i])) >= 0) {
		} else if (!strcmp(a, "--from-end")) {
			from_end = 1;
		} else if (!strcmp(a, "--ids")) {
			ids = 1;
		} else {
			fprintf(stderr, "ews-find-items: bad option or value: %s\n", a);
			usage(stderr);
			return EWS_EXIT_USAGE;
		}
	}
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
	/* an exact FieldURI name (the bindings' parser alone also takes unknown names, as -1) */
	enum ewstype__UnindexedFieldURIType uri;
	struct soap *a = ews_client_arena(c);
	if (soap_s2ewstype__UnindexedFieldURIType(a, field, &uri) || (int)uri < 0 ||
	    strcmp(soap_ewstype__UnindexedFieldURIType2s(a, uri), field)) {
		fprintf(stderr, "ews-find-items: --sort: unknown field %s (e.g. item:Subject:asc)\n", field);
		ews_client_free(c);
		return EWS_EXIT_USAGE;
	}
	a->error = SOAP_OK;

	struct ewstype__RestrictionType *where = contains ? subject_contains(a, contains) : NULL;
	ews_pager *p = NULL;
	ews_item_view it;
	if (contains && !where) {
		ews_client_free(c);
		return ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
	}
	st = ews_pager_new_items(c, &(ews_pager_options){ .folder = folder, .page_size = page_size, .sort = field,
							   .descending = descending, .restriction = where,
							   .base_point = from_end ? EWS_FROM_END : EWS_FROM_BEGINNING,
							   .on_change = EWS_CHANGED_IGNORE }, &p);
	if (st.code == EWS_ERR_ARGUMENT) {
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
	}
	if (!ews_ok(st))
		rc = ews_cli_error(&cli, NULL, st);
	if (!rc) {
		int pages = ews_pager_pages(p), total = ews_pager_total(p);
		if (cli.json)
			printf("{\"type\":\"summary\",\"items\":%ld,\"pages\":%d,\"total_in_view\":%d,\"changed\":%s}\n",
			       shown, pages, total, changed ? "true" : "false");
		else
			printf("%ld item%s in %d page%s (%d in the folder view)%s\n", shown, shown == 1 ? "" : "s", pages,
			       pages == 1 ? "" : "s", total, changed ? ", result set CHANGED while paging" : "");
		rc = changed ? EWS_EXIT_PARTIAL : EWS_EXIT_OK;
	}
	ews_pager_free(p);
	ews_client_free(c);
	return rc;
}
