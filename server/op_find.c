/* op_find.c — FindItem and FindFolder: traversal, indexed paging (Beginning/End, Offset, MaxEntriesReturned),
 * restrictions, sort order and shapes, answering TotalItemsInView / IndexedPagingOffset /
 * IncludesLastItemInRange as Exchange does (see the paged-search reference page). */
#include <stdlib.h>
#include <string.h>

#include "ewsd.h"

/* Item columns without the body: FindItem never returns it, and bodies dominate the row size. */
#define ITEM_COLS_NOBODY "id,mailbox_id,folder_id,kind,item_class,subject,NULL,body_html,received,sent,created," \
	"size,importance,is_read,from_name,from_addr,to_list,cc_list,start,end_,location,given_name,surname,email," \
	"company,due,status,categories,is_associated,change_num,created_seq"

struct page {
	int start, count, total, next_offset, last;
};

/* The window of an indexed page view over `total` rows (Exchange semantics, paged-search page):
 * Beginning: rows [Offset, Offset+Max); IndexedPagingOffset = Offset + returned; includes-last when it reaches
 * the end. End: the window ends Offset rows before the end; the next offset grows from the end likewise. */
static struct page window(struct ewstype__IndexedPageViewType *v, int total, int max_page)
{
	struct page p = { 0, 0, total, 0, 1 };
	int max = v && v->MaxEntriesReturned ? *v->MaxEntriesReturned : max_page;
	int off = v ? v->Offset : 0;
	if (max > max_page)
		max = max_page;
	if (off < 0)
		off = 0;
	if (v && v->BasePoint == ewstype__IndexBasePointType__End) {
		int end = total - off;
		if (end < 0)
			end = 0;
		p.start = end - max > 0 ? end - max : 0;
		p.count = end - p.start;
		p.next_offset = off + p.count;
		p.last = p.start == 0;
	} else {
		p.start = off < total ? off : total;
		p.count = total - p.start < max ? total - p.start : max;
		p.next_offset = p.start + p.count;
		p.last = p.start + p.count >= total;
	}
	return p;
}

static sqlite3_stmt *prepare(struct soap *soap, struct ewsd_sql *q)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(ewsd_req(soap)->db, q->buf, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	for (int i = 0; i < q->nbinds; i++)
		sqlite3_bind_text(st, i + 1, q->binds[i], -1, SQLITE_STATIC);
	return st;
}

static enum xsd__boolean *boolp(struct soap *soap, int v)
{
	enum xsd__boolean *b = soap_malloc(soap, sizeof *b);
	*b = v ? xsd__boolean__true_ : xsd__boolean__false_;
	return b;
}

static int *intp(struct soap *soap, int v)
{
	int *p = soap_malloc(soap, sizeof *p);
	*p = v;
	return p;
}

static const char *find_items_in(struct soap *soap, struct ewsmsg__FindItemType *req, const struct ewsd_folder *f,
				 struct ewsmsg__FindItemResponseMessageType *m)
{
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewsd_sql where = { .soap = soap };
	struct ewstype__IndexedPageViewType *view = NULL;
	char head[160];
#ifdef EWS_HAS_ewstype__ItemQueryTraversalType_Associated     /* Exchange 2010 */
	int assoc = req->Traversal == ewstype__ItemQueryTraversalType__Associated;
#else
	int assoc = 0;
#endif

	struct ewstype__FractionalPageViewType *frac = NULL;
	struct ewstype__CalendarViewType *cal = NULL;
	struct ewstype__ContactsViewType *con = NULL;
	int *max_entries = NULL;
	switch (req->__union_FindItemType) {
	case 0:
		break;
	case SOAP_UNION__ewsmsg__union_FindItemType_IndexedPageItemView:
		view = req->union_FindItemType.IndexedPageItemView;
		max_entries = view ? view->MaxEntriesReturned : NULL;
		break;
	case SOAP_UNION__ewsmsg__union_FindItemType_FractionalPageItemView:
		frac = req->union_FindItemType.FractionalPageItemView;
		if (!frac || frac->Denominator <= 0 || frac->Numerator < 0 || frac->Numerator > frac->Denominator)
			return "ErrorInvalidRequest";
		max_entries = frac->MaxEntriesReturned;
		break;
	case SOAP_UNION__ewsmsg__union_FindItemType_CalendarView:
		cal = req->union_FindItemType.CalendarView;
		if (!cal || !ewsd_norm_date(soap, cal->StartDate) || !ewsd_norm_date(soap, cal->EndDate))
			return "ErrorInvalidRequest";
		max_entries = cal->MaxEntriesReturned;
		break;
	case SOAP_UNION__ewsmsg__union_FindItemType_ContactsView:
		con = req->union_FindItemType.ContactsView;
		max_entries = con ? con->MaxEntriesReturned : NULL;
		break;
	default:
		return "ErrorInvalidRequest";
	}
	if (max_entries && *max_entries < 1)
		return "ErrorInvalidPagingMaxRows";
	snprintf(head, sizeof head, " FROM items WHERE folder_id=%lld AND is_associated=%d%s", (long long)f->id, assoc,
		 req->Traversal == ewstype__ItemQueryTraversalType__SoftDeleted ? " AND 0" : "");
	ewsd_sql_add(&where, head);
	if (cal) {
		/* as the CalendarView reference page puts it: items ending before StartDate and items starting on or
		 * after EndDate are left out, so one ending exactly at StartDate is in the view; recurring
		 * masters are not in it, their occurrences are */
		ewsd_sql_add(&where, " AND kind IN (1,2) AND start < ? AND end_ >= ?" EWSD_NOT_MASTER);
		where.binds[where.nbinds++] = ewsd_norm_date(soap, cal->EndDate);
		where.binds[where.nbinds++] = ewsd_norm_date(soap, cal->StartDate);
	}
	if (con) {
		ewsd_sql_add(&where, " AND kind = 3");
		if (con->InitialName) {
			ewsd_sql_add(&where, " AND subject >= ?");
			where.binds[where.nbinds++] = con->InitialName;
		}
		if (con->FinalName) {
			ewsd_sql_add(&where, " AND subject <= ?");
			where.binds[where.nbinds++] = con->FinalName;
		}
	}
	if (ewsd_sql_restriction(&where, req->Restriction))
		return "ErrorUnsupportedPathForQuery";
	if (cal)        /* single items and the occurrences of recurring masters (recurrence.c) */
		return ewsd_recur_calendar_view(soap, req, f, &where, m);

	/* total */
	struct ewsd_sql cq = { .soap = soap };
	ewsd_sql_add(&cq, "SELECT count(*)");
	ewsd_sql_add(&cq, where.buf);
	memcpy(cq.binds, where.binds, sizeof where.binds);
	cq.nbinds = where.nbinds;
	sqlite3_stmt *st = prepare(soap, &cq);
	int total = 0;
	if (!st)
		return "ErrorInternalServerError";
	if (sqlite3_step(st) == SQLITE_ROW)
		total = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);

	struct page p = window(view, total, ewsd_cfg.max_page);
	if (!view && max_entries) {     /* the other views: MaxEntriesReturned from their start */
		struct ewstype__IndexedPageViewType v0 = { max_entries, 0, ewstype__IndexBasePointType__Beginning };
		if (frac)
			v0.Offset = (int)((long long)total * frac->Numerator / frac->Denominator);
		p = window(&v0, total, ewsd_cfg.max_page);
	}
	struct ewsd_sql sq = { .soap = soap };
	char lim[64];
	/* the body only when TextBody is asked for: FindItem answers that one (text_body.c) */
	ewsd_sql_add(&sq, ewsd_text_body_asked(soap, req->ItemShape) ? "SELECT " EWSD_ITEM_COLS : "SELECT " ITEM_COLS_NOBODY);
	ewsd_sql_add(&sq, where.buf);
	memcpy(sq.binds, where.binds, sizeof where.binds);
	sq.nbinds = where.nbinds;
	if (cal)   /* a calendar view is in start order */
		ewsd_sql_add(&sq, " ORDER BY start ASC, id ASC");
	else if (con)
		ewsd_sql_add(&sq, " ORDER BY subject ASC, id ASC");
	else if (ewsd_sql_order(&sq, req->SortOrder))
		return "ErrorUnsupportedPathForQuery";
	snprintf(lim, sizeof lim, " LIMIT %d OFFSET %d", p.count, p.start);
	ewsd_sql_add(&sq, lim);
	if (!(st = prepare(soap, &sq)))
		return "ErrorInternalServerError";

	unsigned props = ewsd_item_props(soap, req->ItemShape, 0);
	static const int sels[6] = { SOAP_UNION__ewstype__union_ArrayOfRealItemsType_Message,
				     SOAP_UNION__ewstype__union_ArrayOfRealItemsType_CalendarItem,
				     SOAP_UNION__ewstype__union_ArrayOfRealItemsType_MeetingRequest,
				     SOAP_UNION__ewstype__union_ArrayOfRealItemsType_Contact,
				     SOAP_UNION__ewstype__union_ArrayOfRealItemsType_Task,
				     SOAP_UNION__ewstype__union_ArrayOfRealItemsType_DistributionList };
	struct ewstype__ArrayOfRealItemsType *items = EWSD_NEW(soap, struct ewstype__ArrayOfRealItemsType);
	items->__union_ArrayOfRealItemsType =
		ewsd_zalloc(soap, sizeof *items->__union_ArrayOfRealItemsType * (size_t)(p.count ? p.count : 1));
	int n = 0;
	while (n < p.count && sqlite3_step(st) == SQLITE_ROW) {
		struct ewsd_item it;
		struct __ewstype__union_ArrayOfRealItemsType *u = &items->__union_ArrayOfRealItemsType[n++];
		ewsd_item_from_row(soap, st, 0, &it);
		ewsd_put_item(soap, &it, props, &u->__union_ArrayOfRealItemsType,
			      (void **)&u->union_ArrayOfRealItemsType.Message, sels);
		/* the properties kept beside the columns cost a lookup per row: only when the shape can ask for them */
		if (req->ItemShape && (req->ItemShape->AdditionalProperties ||
				       req->ItemShape->BaseShape == ewstype__DefaultShapeNamesType__AllProperties))
			ewsd_props_attach(soap, rq->db, it.id, it.kind, u->union_ArrayOfRealItemsType.Message, req->ItemShape);
		ewsd_text_body_attach(soap, &it, u->union_ArrayOfRealItemsType.Message, req->ItemShape);
	}
	sqlite3_finalize(st);
	items->__size_ArrayOfRealItemsType = n;
	(void)rq;

	m->RootFolder = EWSD_NEW(soap, struct ewstype__FindItemParentType);
	m->RootFolder->__union_FindItemParentType = SOAP_UNION__ewstype__union_FindItemParentType_Items;
	m->RootFolder->union_FindItemParentType.Items = items;
	m->RootFolder->TotalItemsInView = intp(soap, p.total);
	m->RootFolder->IncludesLastItemInRange = boolp(soap, p.last);
	if (view)
		m->RootFolder->IndexedPagingOffset = intp(soap, p.next_offset);
	if (frac) {
		m->RootFolder->NumeratorOffset = intp(soap, p.next_offset);
		m->RootFolder->AbsoluteDenominator = intp(soap, p.total);
	}
	return NULL;
}

static const char *folder_ref(struct soap *soap, struct __ewstype__union_NonEmptyArrayOfBaseFolderIdsType *u,
			      struct ewsd_folder *f)
{
	if (u->__union_NonEmptyArrayOfBaseFolderIdsType == SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseFolderIdsType_FolderId)
		return ewsd_resolve_folder(soap, u->union_NonEmptyArrayOfBaseFolderIdsType.FolderId, NULL, f);
	if (u->__union_NonEmptyArrayOfBaseFolderIdsType ==
	    SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseFolderIdsType_DistinguishedFolderId)
		return ewsd_resolve_folder(soap, NULL, u->union_NonEmptyArrayOfBaseFolderIdsType.DistinguishedFolderId, f);
	return "ErrorInvalidRequest";
}

static void busy_message(struct soap *soap, struct ewsmsg__FindItemResponseMessageType *m)
{
	char ms[32];
	snprintf(ms, sizeof ms, "%d", ewsd_fault_get(&ewsd_faults.backoff_ms));
	EWSD_SET_RESULT(soap, m, FindItemResponseMessageType, "ErrorServerBusy");
	EWSD_SET_VALUE(soap, m, FindItemResponseMessageType, "BackOffMilliseconds", ms);
}

int __ewsmsg__FindItem(struct soap *soap, struct ewsmsg__FindItemType *req, struct __ewsmsg__FindItemResponse *resp)
{
	int rc = ewsd_begin_op(soap, "FindItem", req);
	if (rc)
		return rc;
	int n = req->ParentFolderIds ? req->ParentFolderIds->__size_NonEmptyArrayOfBaseFolderIdsType : 0;
	resp->ewsmsg__FindItemResponse = EWSD_NEW(soap, struct ewsmsg__FindItemResponseType);
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, n);
	resp->ewsmsg__FindItemResponse->ResponseMessages = msgs;
	for (int i = 0; i < n; i++) {
		struct ewsmsg__FindItemResponseMessageType *m = EWSD_NEW(soap, struct ewsmsg__FindItemResponseMessageType);
		struct ewsd_folder f;
		const char *err;
		msgs->__union_ArrayOfResponseMessagesType[i].__union_ArrayOfResponseMessagesType =
			SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_FindItemResponseMessage;
		msgs->__union_ArrayOfResponseMessagesType[i].union_ArrayOfResponseMessagesType.FindItemResponseMessage = m;
		if (ewsd_req(soap)->fault_busy_msg) {
			busy_message(soap, m);
			continue;
		}
		err = folder_ref(soap, &req->ParentFolderIds->__union_NonEmptyArrayOfBaseFolderIdsType[i], &f);
		if (!err)
			err = find_items_in(soap, req, &f, m);
		EWSD_SET_RESULT(soap, m, FindItemResponseMessageType, err ? err : "NoError");
	}
	return SOAP_OK;
}

static const char *find_folders_in(struct soap *soap, struct ewsmsg__FindFolderType *req, const struct ewsd_folder *f,
				   struct ewsmsg__FindFolderResponseMessageType *m)
{
	struct ewsd_sql where = { .soap = soap, .folders = 1 };
	struct ewstype__IndexedPageViewType *view = NULL;
	int64_t *ids = NULL;
	int deep = req->Traversal == ewstype__FolderQueryTraversalType__Deep;
	int nids;
	char num[32];

	if (req->__union_FindFolderType == SOAP_UNION__ewsmsg__union_FindFolderType_IndexedPageFolderView)
		view = req->union_FindFolderType.IndexedPageFolderView;
	else if (req->__union_FindFolderType)
		return "ErrorInvalidRequest";
	if (view && view->MaxEntriesReturned && *view->MaxEntriesReturned < 1)
		return "ErrorInvalidPagingMaxRows";
	if (req->Traversal == ewstype__FolderQueryTraversalType__SoftDeleted)
		nids = 0;
	else if ((nids = ewsd_folder_children(ewsd_req(soap)->db, f->id, deep, &ids)) < 0)
		return "ErrorInternalServerError";
	ewsd_sql_add(&where, " FROM folders WHERE id IN (0");
	for (int i = 0; i < nids; i++) {
		snprintf(num, sizeof num, ",%lld", (long long)ids[i]);
		ewsd_sql_add(&where, num);
	}
	free(ids);
	ewsd_sql_add(&where, ")");
	if (ewsd_sql_restriction(&where, req->Restriction))
		return "ErrorUnsupportedPathForQuery";

	struct ewsd_sql cq = { .soap = soap, .folders = 1 };
	ewsd_sql_add(&cq, "SELECT count(*)");
	ewsd_sql_add(&cq, where.buf);
	memcpy(cq.binds, where.binds, sizeof where.binds);
	cq.nbinds = where.nbinds;
	sqlite3_stmt *st = prepare(soap, &cq);
	int total = 0;
	if (!st)
		return "ErrorInternalServerError";
	if (sqlite3_step(st) == SQLITE_ROW)
		total = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);

	struct page p = window(view, total, ewsd_cfg.max_page);
	struct ewsd_sql sq = { .soap = soap, .folders = 1 };
	char lim[64];
	ewsd_sql_add(&sq, "SELECT id");
	ewsd_sql_add(&sq, where.buf);
	memcpy(sq.binds, where.binds, sizeof where.binds);
	sq.nbinds = where.nbinds;
	ewsd_sql_order(&sq, NULL);
	snprintf(lim, sizeof lim, " LIMIT %d OFFSET %d", p.count, p.start);
	ewsd_sql_add(&sq, lim);
	if (!(st = prepare(soap, &sq)))
		return "ErrorInternalServerError";
	unsigned props = ewsd_folder_props(soap, req->FolderShape);
	struct ewstype__ArrayOfFoldersType *folders = EWSD_NEW(soap, struct ewstype__ArrayOfFoldersType);
	folders->__union_ArrayOfFoldersType =
		ewsd_zalloc(soap, sizeof *folders->__union_ArrayOfFoldersType * (size_t)(p.count ? p.count : 1));
	int n = 0;
	int64_t *page_ids = soap_malloc(soap, sizeof *page_ids * (size_t)(p.count ? p.count : 1));
	while (n < p.count && sqlite3_step(st) == SQLITE_ROW)
		page_ids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	for (int i = 0; i < n; i++) {
		struct ewsd_folder sub;
		if (ewsd_folder_get(soap, ewsd_req(soap)->db, page_ids[i], &sub))
			continue;
		struct __ewstype__union_ArrayOfFoldersType *u = &folders->__union_ArrayOfFoldersType[folders->__size_ArrayOfFoldersType++];
		u->__union_ArrayOfFoldersType = SOAP_UNION__ewstype__union_ArrayOfFoldersType_Folder;
		u->union_ArrayOfFoldersType.Folder = ewsd_make_folder(soap, &sub, props);
	}
	m->RootFolder = EWSD_NEW(soap, struct ewstype__FindFolderParentType);
	m->RootFolder->Folders = folders;
	m->RootFolder->TotalItemsInView = intp(soap, p.total);
	m->RootFolder->IncludesLastItemInRange = boolp(soap, p.last);
	if (view)
		m->RootFolder->IndexedPagingOffset = intp(soap, p.next_offset);
	return NULL;
}

int __ewsmsg__FindFolder(struct soap *soap, struct ewsmsg__FindFolderType *req,
			 struct __ewsmsg__FindFolderResponse *resp)
{
	int rc = ewsd_begin_op(soap, "FindFolder", req);
	if (rc)
		return rc;
	int n = req->ParentFolderIds ? req->ParentFolderIds->__size_NonEmptyArrayOfBaseFolderIdsType : 0;
	resp->ewsmsg__FindFolderResponse = EWSD_NEW(soap, struct ewsmsg__FindFolderResponseType);
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, n);
	resp->ewsmsg__FindFolderResponse->ResponseMessages = msgs;
	for (int i = 0; i < n; i++) {
		struct ewsmsg__FindFolderResponseMessageType *m =
			EWSD_NEW(soap, struct ewsmsg__FindFolderResponseMessageType);
		struct ewsd_folder f;
		const char *err;
		msgs->__union_ArrayOfResponseMessagesType[i].__union_ArrayOfResponseMessagesType =
			SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_FindFolderResponseMessage;
		msgs->__union_ArrayOfResponseMessagesType[i].union_ArrayOfResponseMessagesType.FindFolderResponseMessage = m;
		err = folder_ref(soap, &req->ParentFolderIds->__union_NonEmptyArrayOfBaseFolderIdsType[i], &f);
		if (!err)
			err = find_folders_in(soap, req, &f, m);
		EWSD_SET_RESULT(soap, m, FindFolderResponseMessageType, err ? err : "NoError");
	}
	return SOAP_OK;
}
