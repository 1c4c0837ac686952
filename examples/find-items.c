/* <DESC> ews-find-items: paged FindItem over a folder, with an anchor item that detects a result set changing
 * while paging </DESC>
 *
 *   ews-find-items [--folder NAME|ID] [--page-size N] [--from-end] [--sort FIELD[:asc|desc]]
 *                  [--subject-contains TEXT] [--max N] [--ids] [--json]
 *
 * The paging reference page's sample, in C: each FindItem asks for one item more than the page size; that extra
 * item (the anchor) must come back first on the next page, otherwise items were added or deleted meanwhile and
 * the listing may have missed or repeated some (reported, exit status 1).
 * Build alone: cc find-items.c $(pkg-config --cflags --libs libews)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews/ews.h"
#include "ews/cli.h"

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

/* SortOrder from "item:DateTimeReceived:desc"; NULL for an unknown field. */
static struct ewstype__NonEmptyArrayOfFieldOrdersType *sort_order(struct soap *a, const char *spec)
{
	struct ewstype__NonEmptyArrayOfFieldOrdersType *s = soap_new_ewstype__NonEmptyArrayOfFieldOrdersType(a, 1);
	struct ewstype__PathToUnindexedFieldType *f = soap_new_ewstype__PathToUnindexedFieldType(a, 1);
	char *field = soap_strdup(a, spec), *dir = field ? strrchr(field, ':') : NULL;
	if (!s || !f || !field || !(s->FieldOrder = soap_new_ewstype__FieldOrderType(a, 1)))
		return NULL;
	if (dir && (!strcmp(dir, ":asc") || !strcmp(dir, ":desc")))
		*dir++ = '\0';
	else
		dir = "desc";
	if (soap_s2ewstype__UnindexedFieldURIType(a, field, &f->FieldURI) != SOAP_OK) {
		a->error = SOAP_OK;
		return NULL;
	}
	s->__sizeFieldOrder = 1;
	s->FieldOrder->__union_FieldOrderType = SOAP_UNION__ewstype__union_FieldOrderType_FieldURI;
	s->FieldOrder->union_FieldOrderType.FieldURI = f;
	s->FieldOrder->Order = strcmp(dir, "asc") ? ewstype__SortDirectionType__Descending
						  : ewstype__SortDirectionType__Ascending;
	return s;
}

static void print_item(const ews_cli *cli, const struct ewstype__ItemType *it, int ids)
{
	const char *id = it->ItemId ? it->ItemId->Id : NULL;
	if (cli->json) {
		printf("{\"type\":\"item\",\"id\":");
		ews_cli_json_string(stdout, id);
		printf(",\"change_key\":");
		ews_cli_json_string(stdout, it->ItemId ? it->ItemId->ChangeKey : NULL);
		printf(",\"class\":");
		ews_cli_json_string(stdout, it->ItemClass);
		printf(",\"received\":");
		ews_cli_json_string(stdout, it->DateTimeReceived);
		printf(",\"subject\":");
		ews_cli_json_string(stdout, it->Subject);
		printf("}\n");
	} else {
		printf("%-20.20s  %s%s%s\n", it->DateTimeReceived ? it->DateTimeReceived : "-",
		       it->Subject ? it->Subject : "(no subject)", ids ? "  " : "", ids && id ? id : "");
	}
}

int main(int argc, char **argv)
{
	const char *folder = "inbox", *sort = "item:DateTimeReceived:desc", *contains = NULL;
	int page_size = 10, from_end = 0, ids = 0, rc, pages = 0, changed = 0, total = -1;
	long max = -1, shown = 0;
	char *anchor = NULL;
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
	if ((rc = ews_cli_connect(&cli, &c)))
		return rc;

	/* The request lives in the client's arena, so only the offset changes from page to page. */
	struct soap *a = ews_client_arena(c);
	struct ewsmsg__FindItemType *req = soap_new_ewsmsg__FindItemType(a, 1);
	struct ewstype__IndexedPageViewType *view = soap_new_ewstype__IndexedPageViewType(a, 1);
	if (!req || !view || !(req->ItemShape = soap_new_ewstype__ItemResponseShapeType(a, 1)) ||
	    !(view->MaxEntriesReturned = soap_new_int(a, 1)) || !(req->ParentFolderIds = ews_cli_folder_ids(a, folder)) ||
	    (contains && !(req->Restriction = subject_contains(a, contains)))) {
		ews_client_free(c);
		return ews_cli_error(&cli, NULL, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
	}
	if (!(req->SortOrder = sort_order(a, sort))) {
		fprintf(stderr, "ews-find-items: --sort: unknown field %s (e.g. item:Subject:asc)\n", sort);
		ews_client_free(c);
		return EWS_EXIT_USAGE;
	}
	req->ItemShape->BaseShape = ewstype__DefaultShapeNamesType__Default;
	req->Traversal = ewstype__ItemQueryTraversalType__Shallow;
	req->__union_FindItemType = SOAP_UNION__ewsmsg__union_FindItemType_IndexedPageItemView;
	req->union_FindItemType.IndexedPageItemView = view;
	*view->MaxEntriesReturned = page_size + 1;          /* one more: the anchor */
	view->BasePoint = from_end ? ewstype__IndexBasePointType__End : ewstype__IndexBasePointType__Beginning;

	for (int more = 1; more && (max < 0 || shown < max);) {
		struct __ewsmsg__FindItemResponse resp;
		ews_response_message m;

		st = ews_find_item(c, req, &resp);
		if (!ews_ok(st) || ews_response_messages_get(ews_response_messages_of("FindItem", &resp), 0, &m)) {
			rc = ews_cli_error(&cli, NULL, ews_ok(st) ? ews_status_make(EWS_ERR_XML, "no response") : st);
			break;
		}
		const struct ewstype__FindItemParentType *root =
			((const struct ewsmsg__FindItemResponseMessageType *)m.message)->RootFolder;
		const struct ewstype__ArrayOfRealItemsType *items =
			root && root->__union_FindItemParentType == SOAP_UNION__ewstype__union_FindItemParentType_Items
				? root->union_FindItemParentType.Items : NULL;
		int n = items ? items->__size_ArrayOfRealItemsType : 0;
		/* Every item variant starts with ItemType's members, so any union member reads them. */
#define ITEM(k) ((const struct ewstype__ItemType *)items->__union_ArrayOfRealItemsType[k].union_ArrayOfRealItemsType.Item)
		pages++;
		total = root && root->TotalItemsInView ? *root->TotalItemsInView : total;
		if (anchor && n > 0 && (!ITEM(0)->ItemId || strcmp(anchor, ITEM(0)->ItemId->Id))) {
			changed = 1;
			fprintf(stderr, "ews-find-items: the folder changed while paging (page %d): "
					"some results may be missed or repeated\n", pages);
		}
		for (int k = 0; k < n && k < page_size && (max < 0 || shown < max); k++, shown++)
			print_item(&cli, ITEM(k), ids);
		free(anchor);
		anchor = n > page_size && ITEM(page_size)->ItemId ? strdup(ITEM(page_size)->ItemId->Id) : NULL;
		more = n > page_size;                       /* the anchor came back: there is more after this page */
		view->Offset += page_size;
#undef ITEM
	}
	free(anchor);
	if (!rc) {
		if (cli.json)
			printf("{\"type\":\"summary\",\"items\":%ld,\"pages\":%d,\"total_in_view\":%d,\"changed\":%s}\n",
			       shown, pages, total, changed ? "true" : "false");
		else
			printf("%ld item%s in %d page%s (%d in the folder view)%s\n", shown, shown == 1 ? "" : "s", pages,
			       pages == 1 ? "" : "s", total, changed ? ", result set CHANGED while paging" : "");
		rc = changed ? EWS_EXIT_PARTIAL : EWS_EXIT_OK;
	}
	ews_client_free(c);
	return rc;
}
