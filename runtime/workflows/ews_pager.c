/* ews_pager.c — paged FindItem/FindFolder with the anchor-item check of the paged-search reference page. */
#include <stdlib.h>
#include <string.h>

#include "ews/pager.h"
#include "ews_operations.h"
#include "ews_schema_members.h"
#include "ews_view_internal.h"
#include "ews_workflow.h"

#define DEFAULT_PAGE 100
#define DEFAULT_MAX_PAGE 1000
#define DEFAULT_MAX_RESTARTS 3

struct ews_pager {
	ews_client *c;
	struct soap *soap;                  /* owns the request */
	struct soap *page_soap;             /* owns the current page (moved out of the client's response) */
	int folders;                        /* 1: FindFolder */
	struct ewsmsg__FindItemType *ireq;
	struct ewsmsg__FindFolderType *freq;
	struct ewstype__IndexedPageViewType *view;
	ews_base_point base_point;
	int page_size, start_offset, offset, anchored;
	ews_change_policy policy;
	int max_restarts;
	ews_progress_fn progress;
	void *progress_arg;

	char *anchor;                       /* id the next page must start with (traversal order), or NULL */
	/* the current page, in page_soap */
	struct __ewsmsg__FindItemResponse iresp;
	struct __ewsmsg__FindFolderResponse fresp;
	const struct __ewstype__union_ArrayOfRealItemsType *items;
	const struct __ewstype__union_ArrayOfFoldersType *folder_entries;
	int n, deliver, pos, have_page, last;
	int finished;
	ews_status final;                   /* sticky outcome once finished (EWS_OK at the end) */

	int total, pages, changes, restarts, last_offset, last_max;
	long delivered;
};

static ews_status pager_new(ews_client *c, const ews_pager_options *opt, int folders, ews_pager **out)
{
	ews_pager_options dflt;
	ews_status st;

	if (out)
		*out = NULL;
	if (!c || !out)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_pager_new: NULL client or out");
	if (!opt) {
		memset(&dflt, 0, sizeof dflt);
		opt = &dflt;
	}
	if (opt->page_size < 0 || opt->offset < 0 || opt->max_page < 0 || opt->max_restarts < 0)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_pager_new: negative page size, offset or limit");
	if (opt->on_change < EWS_CHANGED_IGNORE || opt->on_change > EWS_CHANGED_STOP)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_pager_new: unknown change policy %d", (int)opt->on_change);
	if (opt->base_point != EWS_FROM_BEGINNING && opt->base_point != EWS_FROM_END)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_pager_new: unknown base point %d", (int)opt->base_point);

	ews_pager *p = calloc(1, sizeof *p);
	if (!p || !(p->soap = ews_wf_soap_new()) || !(p->page_soap = ews_wf_soap_new())) {
		if (p)
			ews_wf_soap_free(p->soap);
		free(p);
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	}
	p->c = c;
	p->folders = folders;
	p->base_point = opt->base_point;
	p->anchored = !opt->no_anchor;
	int max_page = opt->max_page ? opt->max_page : DEFAULT_MAX_PAGE;
	p->page_size = opt->page_size ? opt->page_size : DEFAULT_PAGE;
	/* The anchor item rides on top of the page: page + 1 must fit under the server's cap, or the cap would
	 * silently eat the anchor and every page would look "changed". */
	if (p->page_size > max_page - p->anchored)
		p->page_size = max_page - p->anchored;
	if (p->page_size < 1)
		p->page_size = 1;
	p->start_offset = p->offset = opt->offset;
	p->policy = opt->on_change;
	p->max_restarts = opt->max_restarts ? opt->max_restarts : DEFAULT_MAX_RESTARTS;
	p->progress = opt->progress;
	p->progress_arg = opt->progress_arg;
	p->total = p->last_offset = p->last_max = -1;

	struct soap *s = p->soap;
	p->view = soap_new_ewstype__IndexedPageViewType(s, -1);
	if (!p->view || !(p->view->MaxEntriesReturned = soap_malloc(s, sizeof(int)))) {
		ews_pager_free(p);
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	}
	p->view->BasePoint = opt->base_point == EWS_FROM_END ? ewstype__IndexBasePointType__End
	                                                     : ewstype__IndexBasePointType__Beginning;
	if (!folders) {
		struct ewsmsg__FindItemType *r = p->ireq = soap_new_ewsmsg__FindItemType(s, -1);
		if (!r) {
			ews_pager_free(p);
			return ews_status_make(EWS_ERR_NOMEM, "out of memory");
		}
#ifdef EWS_HAS_ewstype__ItemQueryTraversalType_Associated   /* Exchange 2010 */
		r->Traversal = opt->associated ? ewstype__ItemQueryTraversalType__Associated
		                               : ewstype__ItemQueryTraversalType__Shallow;
#else
		if (opt->associated) {
			ews_pager_free(p);
			return ews_status_make(EWS_ERR_UNSUPPORTED, "FindItem: these bindings (%s) have no Associated "
					       "traversal (it came with Exchange 2010)", EWS_SCHEMA_NAME);
		}
		r->Traversal = ewstype__ItemQueryTraversalType__Shallow;
#endif
		r->__union_FindItemType = SOAP_UNION__ewsmsg__union_FindItemType_IndexedPageItemView;
		r->union_FindItemType.IndexedPageItemView = p->view;
		r->Restriction = opt->restriction;
		st = ews_wf_item_shape(s, opt->shape, opt->properties, opt->sort, &r->ItemShape);
		if (ews_ok(st))
			st = ews_wf_folder_ids(s, opt->folder ? opt->folder : "inbox", opt->mailbox, &r->ParentFolderIds);
		if (ews_ok(st) && opt->sort) {
			struct ewstype__NonEmptyArrayOfFieldOrdersType *so = soap_new_ewstype__NonEmptyArrayOfFieldOrdersType(s, -1);
			struct ewstype__FieldOrderType *fo = soap_new_ewstype__FieldOrderType(s, 1);
			struct ewstype__PathToUnindexedFieldType *f = soap_new_ewstype__PathToUnindexedFieldType(s, -1);
			if (!so || !fo || !f) {
				st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
			} else {
				/* The shape already validated the name (it is asked for as an additional property too). */
				EWS_WF_ENUM_FROM_NAME(s, ewstype__UnindexedFieldURIType, opt->sort, &f->FieldURI);
				fo->__union_FieldOrderType = SOAP_UNION__ewstype__union_FieldOrderType_FieldURI;
				fo->union_FieldOrderType.FieldURI = f;
				fo->Order = opt->descending ? ewstype__SortDirectionType__Descending
				                            : ewstype__SortDirectionType__Ascending;
				so->__sizeFieldOrder = 1;
				so->FieldOrder = fo;
				r->SortOrder = so;
			}
		}
	} else {
		struct ewsmsg__FindFolderType *r = p->freq = soap_new_ewsmsg__FindFolderType(s, -1);
		if (!r) {
			ews_pager_free(p);
			return ews_status_make(EWS_ERR_NOMEM, "out of memory");
		}
		r->Traversal = opt->deep ? ewstype__FolderQueryTraversalType__Deep : ewstype__FolderQueryTraversalType__Shallow;
		r->__union_FindFolderType = SOAP_UNION__ewsmsg__union_FindFolderType_IndexedPageFolderView;
		r->union_FindFolderType.IndexedPageFolderView = p->view;
		r->Restriction = opt->restriction;
		st = ews_wf_folder_shape(s, opt->shape, opt->properties, &r->FolderShape);
		if (ews_ok(st))
			st = ews_wf_folder_ids(s, opt->folder ? opt->folder : "msgfolderroot", opt->mailbox,
			                       &r->ParentFolderIds);
	}
	if (!ews_ok(st)) {
		ews_pager_free(p);
		return st;
	}
	*out = p;
	return ews_status_ok();
}

ews_status ews_pager_new_items(ews_client *c, const ews_pager_options *opt, ews_pager **out)
{
	return pager_new(c, opt, 0, out);
}

ews_status ews_pager_new_folders(ews_client *c, const ews_pager_options *opt, ews_pager **out)
{
	return pager_new(c, opt, 1, out);
}

/* Entry k of the page in traversal order: from the end, the server's ascending window is walked backwards. */
static int entry_index(const ews_pager *p, int k)
{
	return p->base_point == EWS_FROM_END ? p->n - 1 - k : k;
}

/* The view of traversal entry k, any type (unknown ones as EWS_ITEM_OTHER / EWS_FOLDER_OTHER). */
static ews_status entry_item(const ews_pager *p, int k, ews_item_view *v)
{
	return ews_view_real_item(p->page_soap, &p->items[entry_index(p, k)], v);
}

static ews_status entry_folder(const ews_pager *p, int k, ews_folder_view *v)
{
	return ews_view_folder(p->page_soap, &p->folder_entries[entry_index(p, k)], v);
}

static const char *entry_id(const ews_pager *p, int k)
{
	if (!p->folders) {
		ews_item_view v;
		return ews_ok(entry_item(p, k, &v)) ? v.id : NULL;
	}
	ews_folder_view v;
	return ews_ok(entry_folder(p, k, &v)) ? v.id : NULL;
}

static ews_status finish(ews_pager *p, ews_status st)
{
	p->finished = 1;
	p->have_page = 0;
	p->final = st;
	return st;
}

/* One FindItem/FindFolder at the current offset; fills the page fields. */
static ews_status request_page(ews_pager *p, int *includes_last)
{
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs;
	ews_response_message m;
	const int *total_in_view;
	const enum xsd__boolean *last;
	ews_status st;

	p->view->Offset = p->offset;
	*p->view->MaxEntriesReturned = p->page_size + p->anchored;
	p->last_offset = p->offset;
	p->last_max = *p->view->MaxEntriesReturned;
	p->pages++;
	p->items = NULL;
	p->folder_entries = NULL;
	p->n = 0;
	ews_wf_soap_end(p->page_soap);      /* the previous page: its views are no longer valid */
	if (!p->folders) {
		memset(&p->iresp, 0, sizeof p->iresp);
		st = ews_find_item(p->c, p->ireq, &p->iresp);
		msgs = p->iresp.ewsmsg__FindItemResponse ? p->iresp.ewsmsg__FindItemResponse->ResponseMessages : NULL;
	} else {
		memset(&p->fresp, 0, sizeof p->fresp);
		st = ews_find_folder(p->c, p->freq, &p->fresp);
		msgs = p->fresp.ewsmsg__FindFolderResponse ? p->fresp.ewsmsg__FindFolderResponse->ResponseMessages : NULL;
	}
	if (!ews_ok(st))
		return st;
	ews_wf_keep_response(p->c, p->page_soap);
	if (ews_response_messages_count(msgs) != 1 || ews_response_messages_get(msgs, 0, &m) || !m.message)
		return ews_status_make(EWS_ERR_XML, "%s: expected one response message",
		                       p->folders ? "FindFolder" : "FindItem");
	if (!p->folders) {
		const struct ewsmsg__FindItemResponseMessageType *fm = m.message;
		const struct ewstype__FindItemParentType *root = fm->RootFolder;
		if (!root)
			return ews_status_make(EWS_ERR_XML, "FindItem: response without RootFolder");
		if (root->__union_FindItemParentType == SOAP_UNION__ewstype__union_FindItemParentType_Items &&
		    root->union_FindItemParentType.Items) {
			p->items = root->union_FindItemParentType.Items->__union_ArrayOfRealItemsType;
			p->n = root->union_FindItemParentType.Items->__size_ArrayOfRealItemsType;
		} else if (root->__union_FindItemParentType == SOAP_UNION__ewstype__union_FindItemParentType_Groups) {
			return ews_status_make(EWS_ERR_XML, "FindItem: grouped results in a pager");
		}
		total_in_view = root->TotalItemsInView;
		last = root->IncludesLastItemInRange;
	} else {
		const struct ewsmsg__FindFolderResponseMessageType *fm = m.message;
		const struct ewstype__FindFolderParentType *root = fm->RootFolder;
		if (!root)
			return ews_status_make(EWS_ERR_XML, "FindFolder: response without RootFolder");
		if (root->Folders) {
			p->folder_entries = root->Folders->__union_ArrayOfFoldersType;
			p->n = root->Folders->__size_ArrayOfFoldersType;
		}
		total_in_view = root->TotalItemsInView;
		last = root->IncludesLastItemInRange;
	}
	if (p->n < 0 || (p->n > 0 && !p->items && !p->folder_entries))
		return ews_status_make(EWS_ERR_XML, "malformed page");
	if (p->n > *p->view->MaxEntriesReturned)
		return ews_status_make(EWS_ERR_XML, "the server returned %d entries for MaxEntriesReturned=%d", p->n,
		                       *p->view->MaxEntriesReturned);
	p->total = total_in_view ? *total_in_view : -1;
	/* Without the attribute, a short page is the last one. */
	*includes_last = last ? *last == xsd__boolean__true_ : p->n < *p->view->MaxEntriesReturned;
	return ews_status_ok();
}

/* Fetch pages until one has something to deliver, or the end. */
static ews_status fetch(ews_pager *p)
{
	for (;;) {
		int includes_last = 0;
		ews_status st = request_page(p, &includes_last);
		if (!ews_ok(st))
			return finish(p, st);

		if (p->anchored && p->anchor) {
			const char *first = p->n > 0 ? entry_id(p, 0) : NULL;
			if (!first || strcmp(first, p->anchor)) {
				p->changes++;
				if (p->policy == EWS_CHANGED_STOP ||
				    (p->policy == EWS_CHANGED_RESTART && p->restarts >= p->max_restarts)) {
					st = ews_status_make(EWS_ERR_CHANGED,
					                     "the result set changed while paging: the anchor item is not first "
					                     "at offset %d%s", p->offset,
					                     p->policy == EWS_CHANGED_RESTART ? " (restart limit reached)" : "");
					return finish(p, st);
				}
				if (p->policy == EWS_CHANGED_RESTART) {
					p->restarts++;
					p->offset = p->start_offset;
					free(p->anchor);
					p->anchor = NULL;
					continue;
				}
				/* EWS_CHANGED_IGNORE: deliver this page as it is. */
			}
		}
		free(p->anchor);
		p->anchor = NULL;

		int next_offset;
		if (includes_last || p->n == 0) {
			/* The last page: its extra entry has no next page to anchor, so it is delivered too. An empty
			 * page that claims more is treated as the end as well (nothing to advance on). */
			p->deliver = p->n;
			p->last = 1;
			next_offset = p->offset + p->n;
		} else if (p->anchored && p->n >= 2) {
			/* n - 1 is page_size unless the server capped the page lower: adapt to what it sent. */
			p->deliver = p->n - 1;
			p->last = 0;
			if (!(p->anchor = ews_wf_strdup(entry_id(p, p->deliver))) && entry_id(p, p->deliver))
				return finish(p, ews_status_make(EWS_ERR_NOMEM, "out of memory"));
			next_offset = p->offset + p->deliver;
		} else {
			p->deliver = p->n;
			p->last = 0;
			next_offset = p->offset + p->n;
		}
		p->offset = next_offset;
		p->pos = 0;
		p->have_page = 1;
		if (p->progress && p->progress(p->progress_arg, p->delivered + p->deliver, p->total))
			return finish(p, ews_status_make(EWS_ERR_CANCELLED, "paging cancelled by the progress callback"));
		return ews_status_ok();
	}
}

/* Advance to the next entry (traversal index into *k), fetching as needed; *k = -1 at the end. */
static ews_status advance(ews_pager *p, int *k)
{
	*k = -1;
	if (p->finished)
		return p->final;
	while (!p->have_page || p->pos >= p->deliver) {
		if (p->have_page && p->last)
			return finish(p, ews_status_ok());
		ews_status st = fetch(p);
		if (!ews_ok(st))
			return st;
	}
	*k = p->pos++;
	p->delivered++;
	return ews_status_ok();
}

/* Undo advance() for an entry that could not be shown (out of memory): the next call tries it again. */
static void retreat(ews_pager *p)
{
	p->pos--;
	p->delivered--;
}

ews_status ews_pager_next(ews_pager *p, ews_item_view *out)
{
	int k;
	if (out)
		ews_wf_item_view(out, EWS_ITEM_NONE, NULL);
	if (!p || !out)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_pager_next: NULL pager or out");
	if (p->folders)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_pager_next on a folder pager (use ews_pager_next_folder)");
	ews_status st = advance(p, &k);
	if (ews_ok(st) && k >= 0 && !ews_ok(st = entry_item(p, k, out)))
		retreat(p);
	return st;
}

ews_status ews_pager_next_folder(ews_pager *p, ews_folder_view *out)
{
	int k;
	if (out)
		ews_wf_folder_view(out, EWS_FOLDER_NONE, NULL);
	if (!p || !out)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_pager_next_folder: NULL pager or out");
	if (!p->folders)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_pager_next_folder on an item pager (use ews_pager_next)");
	ews_status st = advance(p, &k);
	if (ews_ok(st) && k >= 0 && !ews_ok(st = entry_folder(p, k, out)))
		retreat(p);
	return st;
}

int ews_pager_total(const ews_pager *p) { return p ? p->total : -1; }
int ews_pager_pages(const ews_pager *p) { return p ? p->pages : 0; }
int ews_pager_changes(const ews_pager *p) { return p ? p->changes : 0; }
int ews_pager_restarts(const ews_pager *p) { return p ? p->restarts : 0; }
int ews_pager_last_offset(const ews_pager *p) { return p ? p->last_offset : -1; }
int ews_pager_last_max_entries(const ews_pager *p) { return p ? p->last_max : -1; }

void ews_pager_free(ews_pager *p)
{
	if (!p)
		return;
	free(p->anchor);
	ews_wf_soap_free(p->page_soap);
	ews_wf_soap_free(p->soap);
	free(p);
}
