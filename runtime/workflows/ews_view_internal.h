/* ews_view_internal.h — views (ews/view.h) of one entry of a decoded item or folder list, whatever it holds;
 * internal to the runtime's workflow modules (sync, pager).
 *
 * A list entry holds one of three things:
 *  - an element the views have a kind for (t:Message ...): the usual typed view;
 *  - an element the bindings know but the views do not (t:Person with V2018 bindings): EWS_ITEM_OTHER, its XML
 *    written by the bindings and read back as DOM;
 *  - an element the bindings do not know (t:SharingMessage with the default schema), kept as DOM by the
 *    generator's xs:any fix-up (generator/fixups.sh): EWS_ITEM_OTHER from that DOM.
 * Nothing is dropped: an entry that holds nothing at all (an empty choice, which the generated decoder leaves for
 * an element it could not read) is an error, so a caller can refuse to go past it (a sync keeps its state).
 */
#ifndef EWS_VIEW_INTERNAL_H
#define EWS_VIEW_INTERNAL_H

#include "soapH.h"
#include "ews/status.h"
#include "ews/view.h"

/* Fill *v from one entry. `soap` must be the context that owns the entry: the XML and DOM made for an OTHER entry
 * are allocated there and live as long as the entry. EWS_ERR_XML for an empty entry, EWS_ERR_NOMEM. *v is always
 * filled (an empty view on error). */
ews_status ews_view_real_item(struct soap *soap, const struct __ewstype__union_ArrayOfRealItemsType *e,
                              ews_item_view *v);
ews_status ews_view_sync_item(struct soap *soap, const struct ewstype__SyncFolderItemsCreateOrUpdateType *cu,
                              ews_item_view *v);
ews_status ews_view_folder(struct soap *soap, const struct __ewstype__union_ArrayOfFoldersType *e,
                           ews_folder_view *v);
ews_status ews_view_sync_folder(struct soap *soap, const struct ewstype__SyncFolderHierarchyCreateOrUpdateType *cu,
                                ews_folder_view *v);

/* ---- for the view modules (ews_view.c, ews_view_other.c) ---- */

/* Serializes something into soap's output; returns a gSOAP error code. */
typedef int (*ews_view_writer)(struct soap *soap, const void *arg);

/* Fill *v as EWS_ITEM_OTHER / EWS_FOLDER_OTHER. Either `dom` is the element as the bindings kept it (typed NULL),
 * or `typed` is the bindings' struct and `write(soap, arg)` serializes the element. */
ews_status ews_view_other_item(struct soap *soap, ews_item_view *v, const struct soap_dom_element *dom,
                               const void *typed, ews_view_writer write, const void *arg);
ews_status ews_view_other_folder(struct soap *soap, ews_folder_view *v, const struct soap_dom_element *dom,
                                 const void *typed, ews_view_writer write, const void *arg);

#endif
