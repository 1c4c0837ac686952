/* ews_sync.c — SyncFolderItems / SyncFolderHierarchy as an iterator whose SyncState advances only past consumed
 * batches; saved states read and written atomically. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ews/sync.h"
#include "ews_operations.h"
#include "ews_schema_members.h"
#include "ews_view_internal.h"
#include "ews_workflow.h"

struct ews_sync {
	ews_client *c;
	struct soap *soap;                  /* owns the request */
	struct soap *batch_soap;            /* owns the current batch (moved out of the client's response) */
	int folders;                        /* 1: SyncFolderHierarchy */
	struct ewsmsg__SyncFolderItemsType *ireq;
	struct ewsmsg__SyncFolderHierarchyType *freq;
	ews_progress_fn progress;
	void *progress_arg;

	char *committed;                    /* covers every consumed batch; "" = none */
	char *pending;                      /* the current batch's new state, until the batch is consumed */
	int pending_last;                   /* the current batch included the last change */

	/* the current batch, in batch_soap */
	struct __ewsmsg__SyncFolderItemsResponse iresp;
	struct __ewsmsg__SyncFolderHierarchyResponse fresp;
	const struct __ewstype__union_SyncFolderItemsChangesType *ichanges;
	const struct __ewstype__union_SyncFolderHierarchyChangesType *fchanges;
	int n, pos, have_batch, done;

	long changes;
	int batches;
	int empty_run;                      /* answers in a row with no change and more to come (EMPTY_RUN_MAX)    */
};

/* A server that keeps answering "more to come" with no change and a new state each time would hold
 * ews_sync_next in its loop for ever (the same state each time is caught at once): after this many such answers
 * in a row the sync fails as making no progress. Exchange sends an empty answer only as the last one. */
#define EMPTY_RUN_MAX 32

static ews_status sync_new(ews_client *c, const char *folder, const char *state, const ews_sync_options *opt,
                           int folders, ews_sync **out)
{
	ews_sync_options dflt;
	ews_status st = ews_status_ok();

	if (out)
		*out = NULL;
	if (!c || !out || (!folders && !folder))
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_sync_new: NULL client, folder or out");
	if (state && strlen(state) > EWS_SYNC_STATE_MAX)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_sync_new: SyncState longer than %u bytes", EWS_SYNC_STATE_MAX);
	if (!opt) {
		memset(&dflt, 0, sizeof dflt);
		opt = &dflt;
	}
	ews_sync *s = calloc(1, sizeof *s);
	if (!s || !(s->soap = ews_wf_soap_new()) || !(s->batch_soap = ews_wf_soap_new()) ||
	    !(s->committed = strdup(state ? state : ""))) {
		if (s) {
			ews_wf_soap_free(s->soap);
			ews_wf_soap_free(s->batch_soap);
		}
		free(s);
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	}
	s->c = c;
	s->folders = folders;
	s->progress = opt->progress;
	s->progress_arg = opt->progress_arg;
	struct soap *a = s->soap;
	if (!folders) {
		struct ewsmsg__SyncFolderItemsType *r = s->ireq = soap_new_ewsmsg__SyncFolderItemsType(a, -1);
		if (!r) {
			ews_sync_free(s);
			return ews_status_make(EWS_ERR_NOMEM, "out of memory");
		}
		/* Exchange rejects anything outside 1..512 with a schema fault; clamp instead of failing. */
		int max = opt->max_changes;
		r->MaxChangesReturned = max <= 0 || max > EWS_SYNC_MAX_CHANGES ? EWS_SYNC_MAX_CHANGES : max;
		if (opt->associated) {
#ifndef EWS_HAS_ewsmsg__SyncFolderItemsType_SyncScope   /* Exchange 2010 */
			st = ews_status_make(EWS_ERR_UNSUPPORTED, "SyncFolderItems: these bindings (%s) cannot sync "
					     "folder-associated items (SyncScope came with Exchange 2010)", EWS_SCHEMA_NAME);
#else
			r->SyncScope = soap_malloc(a, sizeof *r->SyncScope);
			if (!r->SyncScope)
				st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
			else
				*r->SyncScope = ewstype__SyncFolderItemsScopeType__NormalAndAssociatedItems;
#endif
		}
		if (ews_ok(st))
			st = ews_wf_item_shape(a, opt->shape, opt->properties, NULL, &r->ItemShape);
		if (ews_ok(st))
			st = ews_wf_target_folder(a, folder, opt->mailbox, &r->SyncFolderId);
		int n = 0;
		while (ews_ok(st) && opt->ignore && opt->ignore[n])
			if (++n > 4096)
				st = ews_status_make(EWS_ERR_ARGUMENT, "ews_sync_new: more than 4096 ids to ignore");
		if (ews_ok(st) && n) {
			r->Ignore = soap_new_ewstype__ArrayOfBaseItemIdsType(a, -1);
			struct __ewstype__union_ArrayOfBaseItemIdsType *u = soap_new___ewstype__union_ArrayOfBaseItemIdsType(a, n);
			if (!r->Ignore || !u)
				st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
			for (int i = 0; ews_ok(st) && i < n; i++) {
				struct ewstype__ItemIdType *id = soap_new_ewstype__ItemIdType(a, -1);
				if (!id || !(id->Id = soap_strdup(a, opt->ignore[i]))) {
					st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
					break;
				}
				u[i].__union_ArrayOfBaseItemIdsType = SOAP_UNION__ewstype__union_ArrayOfBaseItemIdsType_ItemId;
				u[i].union_ArrayOfBaseItemIdsType.ItemId = id;
			}
			if (ews_ok(st)) {
				r->Ignore->__size_ArrayOfBaseItemIdsType = n;
				r->Ignore->__union_ArrayOfBaseItemIdsType = u;
			}
		}
	} else {
		struct ewsmsg__SyncFolderHierarchyType *r = s->freq = soap_new_ewsmsg__SyncFolderHierarchyType(a, -1);
		if (!r) {
			ews_sync_free(s);
			return ews_status_make(EWS_ERR_NOMEM, "out of memory");
		}
		st = ews_wf_folder_shape(a, opt->shape, opt->properties, &r->FolderShape);
		if (ews_ok(st) && folder)
			st = ews_wf_target_folder(a, folder, opt->mailbox, &r->SyncFolderId);
	}
	if (!ews_ok(st)) {
		ews_sync_free(s);
		return st;
	}
	*out = s;
	return ews_status_ok();
}

ews_status ews_sync_new_items(ews_client *c, const char *folder, const char *state, const ews_sync_options *opt,
                              ews_sync **out)
{
	return sync_new(c, folder, state, opt, 0, out);
}

ews_status ews_sync_new_folders(ews_client *c, const char *folder, const char *state, const ews_sync_options *opt,
                                ews_sync **out)
{
	return sync_new(c, folder, state, opt, 1, out);
}

static void drop_batch(ews_sync *s)
{
	free(s->pending);
	s->pending = NULL;
	s->have_batch = 0;
	s->n = s->pos = 0;
	s->ichanges = NULL;
	s->fchanges = NULL;
	ews_wf_soap_end(s->batch_soap);
}

/* Change i of the batch is one this iterator can hand out: a known kind, and for Create/Update an element with
 * something in it (unknown item types arrive as EWS_ITEM_OTHER; only an empty choice is undeliverable). */
static ews_status check_change(const ews_sync *s, int i)
{
	const char *op = s->folders ? "SyncFolderHierarchy" : "SyncFolderItems";
	int sel, empty = 0;

	if (!s->folders) {
		const struct __ewstype__union_SyncFolderItemsChangesType *e = &s->ichanges[i];
		const union _ewstype__union_SyncFolderItemsChangesType *u = &e->union_SyncFolderItemsChangesType;
		sel = e->__union_SyncFolderItemsChangesType;
		if (sel == SOAP_UNION__ewstype__union_SyncFolderItemsChangesType_Create ||
		    sel == SOAP_UNION__ewstype__union_SyncFolderItemsChangesType_Update)
			empty = !u->Create || !u->Create->__union_SyncFolderItemsCreateOrUpdateType ||
			        !u->Create->union_SyncFolderItemsCreateOrUpdateType.Item;
		else if (sel == SOAP_UNION__ewstype__union_SyncFolderItemsChangesType_Delete)
			empty = !u->Delete || !u->Delete->ItemId;
		else if (sel == SOAP_UNION__ewstype__union_SyncFolderItemsChangesType_ReadFlagChange)
			empty = !u->ReadFlagChange || !u->ReadFlagChange->ItemId;
		else
			empty = 1;
	} else {
		const struct __ewstype__union_SyncFolderHierarchyChangesType *e = &s->fchanges[i];
		const union _ewstype__union_SyncFolderHierarchyChangesType *u = &e->union_SyncFolderHierarchyChangesType;
		sel = e->__union_SyncFolderHierarchyChangesType;
		if (sel == SOAP_UNION__ewstype__union_SyncFolderHierarchyChangesType_Create ||
		    sel == SOAP_UNION__ewstype__union_SyncFolderHierarchyChangesType_Update)
			empty = !u->Create || !u->Create->__union_SyncFolderHierarchyCreateOrUpdateType ||
			        !u->Create->union_SyncFolderHierarchyCreateOrUpdateType.Folder;
		else if (sel == SOAP_UNION__ewstype__union_SyncFolderHierarchyChangesType_Delete)
			empty = !u->Delete || !u->Delete->FolderId;
		else
			empty = 1;
	}
	if (empty)
		return ews_status_make(EWS_ERR_XML, "%s: change %d of the batch holds nothing these bindings can decode "
		                                    "(an element of an unknown type?); the SyncState is not advanced",
		                       op, i + 1);
	return ews_status_ok();
}

/* One SyncFolder* call from the committed state. */
static ews_status fetch(ews_sync *s)
{
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs;
	ews_response_message m;
	const char *state;
	const enum xsd__boolean *last;
	ews_status st;
	/* The request points at our copy of the committed state: it stays valid for the whole call. */
	char *from = *s->committed ? s->committed : NULL;

	drop_batch(s);
	if (!s->folders) {
		s->ireq->SyncState = from;
		memset(&s->iresp, 0, sizeof s->iresp);
		st = ews_sync_folder_items(s->c, s->ireq, &s->iresp);
		msgs = s->iresp.ewsmsg__SyncFolderItemsResponse ? s->iresp.ewsmsg__SyncFolderItemsResponse->ResponseMessages
		                                                : NULL;
	} else {
		s->freq->SyncState = from;
		memset(&s->fresp, 0, sizeof s->fresp);
		st = ews_sync_folder_hierarchy(s->c, s->freq, &s->fresp);
		msgs = s->fresp.ewsmsg__SyncFolderHierarchyResponse
			? s->fresp.ewsmsg__SyncFolderHierarchyResponse->ResponseMessages : NULL;
	}
	if (!ews_ok(st))
		return st;
	ews_wf_keep_response(s->c, s->batch_soap);
	if (ews_response_messages_count(msgs) != 1 || ews_response_messages_get(msgs, 0, &m) || !m.message)
		return ews_status_make(EWS_ERR_XML, "%s: expected one response message",
		                       s->folders ? "SyncFolderHierarchy" : "SyncFolderItems");
	if (!s->folders) {
		const struct ewsmsg__SyncFolderItemsResponseMessageType *sm = m.message;
		state = sm->SyncState;
		last = sm->IncludesLastItemInRange;
		if (sm->Changes && sm->Changes->__size_SyncFolderItemsChangesType > 0) {
			s->ichanges = sm->Changes->__union_SyncFolderItemsChangesType;
			s->n = sm->Changes->__size_SyncFolderItemsChangesType;
		}
	} else {
		const struct ewsmsg__SyncFolderHierarchyResponseMessageType *sm = m.message;
		state = sm->SyncState;
		last = sm->IncludesLastFolderInRange;
		if (sm->Changes && sm->Changes->__size_SyncFolderHierarchyChangesType > 0) {
			s->fchanges = sm->Changes->__union_SyncFolderHierarchyChangesType;
			s->n = sm->Changes->__size_SyncFolderHierarchyChangesType;
		}
	}
	if (s->n > 0 && !s->ichanges && !s->fchanges) {
		s->n = 0;
		return ews_status_make(EWS_ERR_XML, "malformed Changes");
	}
	/* Every change must be deliverable before any is handed out: a batch with a change nobody can see must not
	 * move the state past it (the change would be lost for good). */
	for (int i = 0; i < s->n; i++) {
		ews_status bad = check_change(s, i);
		if (!ews_ok(bad)) {
			s->n = 0;
			s->ichanges = NULL;
			s->fchanges = NULL;
			return bad;
		}
	}
	if (!state || !*state || strlen(state) > EWS_SYNC_STATE_MAX) {
		s->n = 0;
		s->ichanges = NULL;
		s->fchanges = NULL;
		return ews_status_make(EWS_ERR_XML, "the server sent no usable SyncState");
	}
	/* Without IncludesLast*InRange, assume the end rather than loop on a server that never says so. */
	s->pending_last = last ? *last == xsd__boolean__true_ : 1;
	if (s->n == 0 && !s->pending_last && !strcmp(state, s->committed)) {
		s->n = 0;
		return ews_status_make(EWS_ERR_RESPONSE, "the server reports more changes but returned none and the same "
		                                         "SyncState (no progress)");
	}
	s->empty_run = s->n == 0 && !s->pending_last ? s->empty_run + 1 : 0;
	if (s->empty_run > EMPTY_RUN_MAX)
		return ews_status_make(EWS_ERR_RESPONSE, "the server reported more changes but returned none, %d times in a "
		                       "row (no progress)", s->empty_run);
	if (!(s->pending = strdup(state))) {
		s->n = 0;
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	}
	s->have_batch = 1;
	s->pos = 0;
	s->batches++;
	if (s->progress && s->progress(s->progress_arg, s->changes + s->n, -1)) {
		drop_batch(s);
		return ews_status_make(EWS_ERR_CANCELLED, "sync cancelled by the progress callback");
	}
	return ews_status_ok();
}

static ews_status fill_item_change(ews_sync *s, ews_sync_change *out)
{
	const struct __ewstype__union_SyncFolderItemsChangesType *e = &s->ichanges[s->pos];
	const union _ewstype__union_SyncFolderItemsChangesType *u = &e->union_SyncFolderItemsChangesType;
	const struct ewstype__ItemIdType *id = NULL;

	switch (e->__union_SyncFolderItemsChangesType) {
	case SOAP_UNION__ewstype__union_SyncFolderItemsChangesType_Create:
		out->kind = EWS_SYNC_CREATE;
		return ews_view_sync_item(s->batch_soap, u->Create, &out->item);
	case SOAP_UNION__ewstype__union_SyncFolderItemsChangesType_Update:
		out->kind = EWS_SYNC_UPDATE;
		return ews_view_sync_item(s->batch_soap, u->Update, &out->item);
	case SOAP_UNION__ewstype__union_SyncFolderItemsChangesType_Delete:
		out->kind = EWS_SYNC_DELETE;
		id = u->Delete->ItemId;
		break;
	default:                        /* ReadFlagChange: check_change() let nothing else through */
		out->kind = EWS_SYNC_READ_FLAG;
		id = u->ReadFlagChange->ItemId;
		out->is_read = u->ReadFlagChange->IsRead == xsd__boolean__true_;
		break;
	}
	out->item.id = id->Id;
	out->item.change_key = id->ChangeKey;
	return ews_status_ok();
}

static ews_status fill_folder_change(ews_sync *s, ews_sync_change *out)
{
	const struct __ewstype__union_SyncFolderHierarchyChangesType *e = &s->fchanges[s->pos];
	const union _ewstype__union_SyncFolderHierarchyChangesType *u = &e->union_SyncFolderHierarchyChangesType;

	out->is_folder = 1;
	switch (e->__union_SyncFolderHierarchyChangesType) {
	case SOAP_UNION__ewstype__union_SyncFolderHierarchyChangesType_Create:
		out->kind = EWS_SYNC_CREATE;
		return ews_view_sync_folder(s->batch_soap, u->Create, &out->folder);
	case SOAP_UNION__ewstype__union_SyncFolderHierarchyChangesType_Update:
		out->kind = EWS_SYNC_UPDATE;
		return ews_view_sync_folder(s->batch_soap, u->Update, &out->folder);
	default:                        /* Delete: check_change() let nothing else through */
		out->kind = EWS_SYNC_DELETE;
		out->folder.id = u->Delete->FolderId->Id;
		out->folder.change_key = u->Delete->FolderId->ChangeKey;
		return ews_status_ok();
	}
}

ews_status ews_sync_next(ews_sync *s, ews_sync_change *out)
{
	if (out) {
		memset(out, 0, sizeof *out);
		ews_wf_item_view(&out->item, EWS_ITEM_NONE, NULL);
		ews_wf_folder_view(&out->folder, EWS_FOLDER_NONE, NULL);
		out->is_read = -1;
		out->kind = EWS_SYNC_DONE;
	}
	if (!s || !out)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_sync_next: NULL sync or out");
	for (;;) {
		if (s->done) {
			out->batch = s->batches;
			out->is_folder = s->folders;
			return ews_status_ok();
		}
		if (s->have_batch && s->pos < s->n) {
			out->batch = s->batches;
			ews_status st = s->folders ? fill_folder_change(s, out) : fill_item_change(s, out);
			if (!ews_ok(st)) {      /* out of memory: this change again on the next call */
				out->kind = EWS_SYNC_DONE;
				return st;
			}
			s->pos++;
			s->changes++;
			return ews_status_ok();
		}
		if (s->have_batch) {
			/* Asked for more after the batch's last change: the caller has consumed it, the state may move, and
			 * the batch's memory goes now (its changes were valid until this call), not at the next fetch or
			 * at ews_sync_free: a finished iterator kept for its state holds no response. */
			ews_sync_end_batch(s);
			continue;
		}
		ews_status st = fetch(s);
		if (!ews_ok(st))
			return st;
	}
}

int ews_sync_end_batch(ews_sync *s)
{
	if (!s || s->done || !s->have_batch || s->pos < s->n)
		return 0;
	/* consumed: the state moves to the batch's SyncState, and the batch's memory goes */
	free(s->committed);
	s->committed = s->pending;
	s->pending = NULL;
	if (s->pending_last)
		s->done = 1;
	drop_batch(s);
	return s->done ? 2 : 1;
}

const char *ews_sync_state(const ews_sync *s)
{
	return s ? s->committed : "";
}

void ews_sync_reset(ews_sync *s)
{
	if (!s)
		return;
	drop_batch(s);
	s->committed[0] = 0;
	s->done = 0;
}

long ews_sync_changes(const ews_sync *s) { return s ? s->changes : 0; }
int ews_sync_batches(const ews_sync *s) { return s ? s->batches : 0; }

void ews_sync_free(ews_sync *s)
{
	if (!s)
		return;
	free(s->committed);
	free(s->pending);
	ews_wf_soap_free(s->batch_soap);
	ews_wf_soap_free(s->soap);
	free(s);
}

/* ---- saved states ---- */

/* A SyncState is base64: characters of the alphabet, length a multiple of 4, '=' padding only at the end. */
static int is_base64_text(const unsigned char *p, size_t n)
{
	size_t pad = 0;
	if (n == 0 || n % 4)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = p[i];
		if (ch == '=') {
			pad++;
			continue;
		}
		if (pad)
			return 0;
		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '+' ||
		      ch == '/'))
			return 0;
	}
	return pad <= 2;
}

ews_status ews_sync_state_read(const char *path, char **out)
{
	unsigned char *data;
	size_t len;
	if (!out)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_sync_state_read: NULL out");
	*out = NULL;
	ews_status st = ews_wf_read_file(path, EWS_SYNC_STATE_MAX + 2, &data, &len);
	if (st.code == EWS_ERR_TOO_LARGE)
		return ews_status_make(EWS_ERR_SYNC_STATE, "%s", st.message);
	if (!ews_ok(st))
		return st;
	/* ews_sync_state_save ends the file with one newline; tolerate CR/LF from editors. */
	while (len && (data[len - 1] == '\n' || data[len - 1] == '\r'))
		data[--len] = 0;
	if (!is_base64_text(data, len)) {
		free(data);
		return ews_status_make(EWS_ERR_SYNC_STATE, "%.200s does not hold a SyncState (%s)", path,
		                       len ? "not base64 text" : "empty");
	}
	*out = (char *)data;
	return ews_status_ok();
}

char *ews_sync_state_load(const char *path)
{
	char *state = NULL;
	ews_sync_state_read(path, &state);
	return state;
}

ews_status ews_sync_state_save(const char *path, const char *state)
{
	if (!path || !*path)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_sync_state_save: no path");
	if (!state || !*state) {
		if (unlink(path) && errno != ENOENT)
			return ews_status_make(EWS_ERR_FILE, "cannot remove %.200s: %s", path, strerror(errno));
		return ews_status_ok();
	}
	size_t n = strlen(state);
	if (n > EWS_SYNC_STATE_MAX)
		return ews_status_make(EWS_ERR_ARGUMENT, "SyncState longer than %u bytes", EWS_SYNC_STATE_MAX);
	char *buf = malloc(n + 2);
	if (!buf)
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	memcpy(buf, state, n);
	buf[n] = '\n';
	ews_status st = ews_wf_write_file_atomic(path, buf, n + 1, 1);
	free(buf);
	return st;
}
