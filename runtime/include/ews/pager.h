/* ews/pager.h — paged FindItem / FindFolder as an iterator: IndexedPageItemView / IndexedPageFolderView from the
 * beginning or the end, SortOrder, and the paging reference page's anchor item (one extra item per page whose id
 * must come back first on the next page; when it does not, the result set changed under the pager).
 *
 *   ews_pager *p; ews_item_view it; ews_status st;
 *   st = ews_pager_new_items(c, &(ews_pager_options){ .folder = "inbox", .page_size = 100,
 *                                                     .sort = "item:DateTimeReceived", .descending = 1 }, &p);
 *   while (ews_ok(st) && ews_ok(st = ews_pager_next(p, &it)) && it.id)
 *           printf("%s %s\n", it.id, it.subject ? it.subject : "");
 *   ews_pager_free(p);
 *
 * Requests: page k asks for page_size + 1 entries at offset start + k * page_size (Beginning) or that many from
 * the end (End); with page_size 5 over 8 items that is MaxEntriesReturned=6 Offset=0, then Offset=5 — exactly
 * the reference page's two requests. The extra entry is never returned twice: it is the next page's first item.
 * A page that includes the last item delivers its extra entry too (no request just for it).
 */
#ifndef EWS_PAGER_H
#define EWS_PAGER_H

#include "ews/client.h"
#include "ews/status.h"
#include "ews/view.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ewstype__RestrictionType;
typedef struct ews_pager ews_pager;

/* IndexBasePointType. From the end, items come last first: the end of the sorted list, walking backwards. */
typedef enum ews_base_point { EWS_FROM_BEGINNING = 0, EWS_FROM_END = 1 } ews_base_point;

/* What to do when the anchor check fails (an item was inserted or deleted in the part already paged). */
typedef enum ews_change_policy {
	EWS_CHANGED_IGNORE = 0,             /* go on (items may be missed or repeated); counted in ews_pager_changes */
	EWS_CHANGED_RESTART = 1,            /* start again from the first page (items are returned again; the
	                                       caller sees it via ews_pager_restarts); EWS_ERR_CHANGED after
	                                       max_restarts restarts                                            */
	EWS_CHANGED_STOP = 2                /* ews_pager_next returns EWS_ERR_CHANGED; the pager is finished       */
} ews_change_policy;

/* All members optional (zero = default). Strings are borrowed for the duration of ews_pager_new_* only. */
typedef struct ews_pager_options {
	const char *folder;                 /* distinguished folder name ("inbox", "msgfolderroot" ...) or a folder
	                                       id. Default: "inbox" for items, "msgfolderroot" for folders.        */
	const char *mailbox;                /* SMTP of another mailbox for a distinguished folder (delegate)     */
	int page_size;                      /* items a page delivers, default 100; clamped to max_page (minus one
	                                       for the anchor item)                                              */
	int max_page;                       /* the server's cap on MaxEntriesReturned, default 1000 (Exchange's) */
	ews_base_point base_point;
	int offset;                         /* first offset from the base point, default 0                       */
	const char *sort;                   /* items: FieldURI to sort on ("item:DateTimeReceived"); NULL: server
	                                       order. Ignored for folders (FindFolder has no SortOrder).          */
	int descending;                     /* 1: SortOrder Descending                                           */
	const char *shape;                  /* BaseShape "IdOnly", "Default" (default), "AllProperties"          */
	const char *const *properties;      /* more FieldURIs ("item:Size" ...), NULL-terminated; may be NULL     */
	int deep;                           /* folders: Traversal Deep (the whole subtree); ignored for items    */
	int associated;                     /* items: Traversal Associated (folder-associated items)             */
	int no_anchor;                      /* 1: plain paging without the extra item (no change detection)      */
	ews_change_policy on_change;
	int max_restarts;                   /* EWS_CHANGED_RESTART: give up after this many, default 3            */
	struct ewstype__RestrictionType *restriction; /* optional FindItem/FindFolder Restriction, borrowed: must
	                                       stay valid until ews_pager_free (build it in ews_client_arena)    */
	ews_progress_fn progress;           /* after each page: done = items delivered so far, total =
	                                       TotalItemsInView; non-zero return -> EWS_ERR_CANCELLED            */
	void *progress_arg;
} ews_pager_options;

/* A pager over the items (FindItem) or subfolders (FindFolder) of opt->folder (opt may be NULL: defaults).
 * No request is sent yet. On success the caller frees *out with ews_pager_free(). EWS_ERR_ARGUMENT for an
 * unknown shape or sort field, a negative offset or page size. The pager uses `c` for every request: keep the
 * client alive until ews_pager_free and do not share it with another thread meanwhile. */
ews_status ews_pager_new_items(ews_client *c, const ews_pager_options *opt, ews_pager **out);
ews_status ews_pager_new_folders(ews_client *c, const ews_pager_options *opt, ews_pager **out);

/* The next item (item pagers). Fetches a page when the current one is used up. At the end: EWS_OK with
 * out->id == NULL (and kind EWS_ITEM_NONE); later calls keep returning that. *out is borrowed: valid until the
 * next ews_pager_next on this pager or ews_pager_free (other calls on the client in between are fine). Errors (transport, EWS_ERR_RESPONSE,
 * EWS_ERR_CHANGED, EWS_ERR_CANCELLED) finish the pager: later calls return the same status. EWS_ERR_ARGUMENT
 * when called on a folder pager. */
ews_status ews_pager_next(ews_pager *p, ews_item_view *out);

/* The same for folder pagers (out->id NULL at the end). */
ews_status ews_pager_next_folder(ews_pager *p, ews_folder_view *out);

/* TotalItemsInView of the last page (-1 before the first). */
int ews_pager_total(const ews_pager *p);
/* Pages requested so far (all restarts included). */
int ews_pager_pages(const ews_pager *p);
/* How often the anchor check found the result set changed. */
int ews_pager_changes(const ews_pager *p);
/* How often the pager restarted from the first page (EWS_CHANGED_RESTART). */
int ews_pager_restarts(const ews_pager *p);
/* Offset and MaxEntriesReturned of the last request (for logging and tests); -1 before the first. */
int ews_pager_last_offset(const ews_pager *p);
int ews_pager_last_max_entries(const ews_pager *p);

/* Free the pager (not the client). Accepts NULL. */
void ews_pager_free(ews_pager *p);

#ifdef __cplusplus
}
#endif
#endif
