/* ews_recurrence.c — ews_recurrence_occurrences: a recurring master's occurrences in a window, asked of the
 * server by InstanceIndex (ews/recurrence.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/datetime.h"
#include "ews/recurrence.h"
#include "ews/response.h"
#include "ews_operations.h"
#include "ews_workflow.h"

void ews_occurrences_free(ews_occurrence *a, size_t n)
{
	if (!a)
		return;
	for (size_t i = 0; i < n; i++) {
		free(a[i].item_id);
		free(a[i].change_key);
		free(a[i].start);
		free(a[i].end);
		free(a[i].original_start);
		free(a[i].subject);
	}
	free(a);
}

static ews_status nomem(void) { return ews_status_make(EWS_ERR_NOMEM, "out of memory"); }

/* An xs:dateTime as UTC seconds; -1 with *ok 0 when it is not one. */
static int64_t instant(const char *s, int *ok)
{
	ews_datetime dt;
	int64_t t = 0;
	*ok = s && ews_ok(ews_datetime_parse(s, &dt)) && ews_ok(ews_datetime_to_unix(&dt, &t));
	return t;
}

#ifndef SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseItemIdsType_OccurrenceItemId
ews_status ews_recurrence_occurrences(ews_client *c, const char *master_id, const char *window_start,
                                      const char *window_end, const ews_recurrence_options *opt,
                                      ews_occurrence **out, size_t *n)
{
	(void)c, (void)master_id, (void)window_start, (void)window_end, (void)opt;
	if (out)
		*out = NULL;
	if (n)
		*n = 0;
	return ews_status_make(EWS_ERR_UNSUPPORTED, "OccurrenceItemId is not in the schema %s", EWS_SCHEMA_NAME);
}
#else

struct walk {
	ews_occurrence *a;
	size_t n, cap;
	int64_t from, to;
	int done;
};

static ews_status keep(struct walk *w, int index, const struct ewstype__CalendarItemType *cal)
{
	int ok1, ok2, ok3 = 0;
	int64_t s = instant(cal->Start, &ok1), e = instant(cal->End, &ok2);
	int64_t orig = cal->OriginalStart ? instant(cal->OriginalStart, &ok3) : s;
	if (!ok1 || !ok2)
		return ews_status_make(EWS_ERR_XML, "GetItem: occurrence %d has no valid Start/End", index);
	/* the series is walked in original order: past the window's end, nothing later comes back into it but
	 * exceptions moved backwards, which this walk (like Exchange's own index order) does not chase */
	if ((cal->OriginalStart && ok3 ? orig : s) >= w->to)
		w->done = 1;
	if (!(s < w->to && (e > w->from || s >= w->from)))
		return ews_status_ok();
	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 16;
		ews_occurrence *g = realloc(w->a, cap * sizeof *g);
		if (!g)
			return nomem();
		w->a = g;
		w->cap = cap;
	}
	ews_occurrence *o = &w->a[w->n];
	memset(o, 0, sizeof *o);
	w->n++;
	o->index = index;
	o->is_exception = cal->CalendarItemType && *cal->CalendarItemType == ewstype__CalendarItemTypeType__Exception;
	if ((cal->ItemId && cal->ItemId->Id && !(o->item_id = ews_wf_strdup(cal->ItemId->Id))) ||
	    (cal->ItemId && cal->ItemId->ChangeKey && !(o->change_key = ews_wf_strdup(cal->ItemId->ChangeKey))) ||
	    !(o->start = ews_wf_strdup(cal->Start)) || !(o->end = ews_wf_strdup(cal->End)) ||
	    (cal->OriginalStart && !(o->original_start = ews_wf_strdup(cal->OriginalStart))) ||
	    (cal->Subject && !(o->subject = ews_wf_strdup(cal->Subject))))
		return nomem();
	return ews_status_ok();
}

/* GetItem of occurrences first .. first+count-1. */
static ews_status batch(ews_client *c, struct soap *a, const char *master_id, int first, int count, struct walk *w)
{
	static const char *const props[] = { "item:Subject", "calendar:Start", "calendar:End", "calendar:OriginalStart",
		                             "calendar:CalendarItemType", NULL };
	struct ewsmsg__GetItemType *req = soap_new_ewsmsg__GetItemType(a, -1);
	struct __ewsmsg__GetItemResponse resp;
	ews_status st = req ? ews_wf_item_shape(a, "IdOnly", props, NULL, &req->ItemShape) : nomem();
	if (!ews_ok(st))
		return st;
	if (!(req->ItemIds = soap_new_ewstype__NonEmptyArrayOfBaseItemIdsType(a, -1)) ||
	    !(req->ItemIds->__union_NonEmptyArrayOfBaseItemIdsType =
	              soap_new___ewstype__union_NonEmptyArrayOfBaseItemIdsType(a, count)))
		return nomem();
	req->ItemIds->__size_NonEmptyArrayOfBaseItemIdsType = count;
	for (int i = 0; i < count; i++) {
		struct ewstype__OccurrenceItemIdType *o = soap_new_ewstype__OccurrenceItemIdType(a, -1);
		if (!o || !(o->RecurringMasterId = soap_strdup(a, master_id)))
			return nomem();
		o->InstanceIndex = first + i;
		req->ItemIds->__union_NonEmptyArrayOfBaseItemIdsType[i].__union_NonEmptyArrayOfBaseItemIdsType =
			SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseItemIdsType_OccurrenceItemId;
		req->ItemIds->__union_NonEmptyArrayOfBaseItemIdsType[i].union_NonEmptyArrayOfBaseItemIdsType.OccurrenceItemId = o;
	}
	memset(&resp, 0, sizeof resp);
	/* EWS_ERR_RESPONSE when any occurrence failed (a deleted one, the end of the series): the response is
	 * decoded all the same and each message is looked at below */
	st = ews_get_item(c, req, &resp);
	if (!ews_ok(st) && (st.code != EWS_ERR_RESPONSE || !resp.ewsmsg__GetItemResponse))
		return st;
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs =
		resp.ewsmsg__GetItemResponse ? resp.ewsmsg__GetItemResponse->ResponseMessages : NULL;
	if (ews_response_messages_count(msgs) != count)
		return ews_status_make(EWS_ERR_XML, "GetItem: %d response messages for %d occurrences",
		                       ews_response_messages_count(msgs), count);
	for (int i = 0; i < count && !w->done; i++) {
		ews_response_message m;
		st = ews_wf_message_status(msgs, i);
		if (!ews_ok(st)) {
			if (!strcmp(st.response_code, "ErrorCalendarOccurrenceIsDeletedFromRecurrence"))
				continue;
			if (!strcmp(st.response_code, "ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange")) {
				w->done = 1;   /* the series ended */
				return ews_status_ok();
			}
			return st;
		}
		const void *typed = NULL;
		if (ews_response_messages_get(msgs, i, &m) || !m.message)
			return ews_status_make(EWS_ERR_XML, "GetItem: no response message for occurrence %d", first + i);
		const struct ewsmsg__ItemInfoResponseMessageType *im = m.message;
		if (!im->Items || im->Items->__size_ArrayOfRealItemsType < 1 ||
		    ews_wf_real_item_kind(im->Items->__union_ArrayOfRealItemsType[0].__union_ArrayOfRealItemsType,
		                          &im->Items->__union_ArrayOfRealItemsType[0].union_ArrayOfRealItemsType,
		                          &typed) != EWS_ITEM_CALENDAR || !typed)
			return ews_status_make(EWS_ERR_XML, "GetItem: occurrence %d is not a calendar item", first + i);
		if (!ews_ok(st = keep(w, first + i, typed)))
			return st;
	}
	return ews_status_ok();
}

ews_status ews_recurrence_occurrences(ews_client *c, const char *master_id, const char *window_start,
                                      const char *window_end, const ews_recurrence_options *opt,
                                      ews_occurrence **out, size_t *n)
{
	struct walk w = { 0 };
	int ok1 = 0, ok2 = 0;
	if (out)
		*out = NULL;
	if (n)
		*n = 0;
	if (!c || !master_id || !*master_id || !out || !n)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_recurrence_occurrences: client, master id and results are "
		                                         "required");
	w.from = instant(window_start, &ok1);
	w.to = instant(window_end, &ok2);
	if (!ok1 || !ok2 || w.from >= w.to)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_recurrence_occurrences: the window must be two xs:dateTimes, "
		                                         "start before end");
	int size = opt && opt->batch > 0 ? (opt->batch > 256 ? 256 : opt->batch) : 32;
	int max = opt && opt->max_occurrences > 0 ? opt->max_occurrences : 10000;
	struct soap *a = ews_wf_soap_new();
	if (!a)
		return nomem();
	ews_status st = ews_status_ok();
	int next = 1;
	while (ews_ok(st) && !w.done) {
		if (next > max) {
			st = ews_status_make(EWS_ERR_TOO_LARGE, "%d occurrences walked without reaching the window's end", max);
			break;
		}
		int count = next + size - 1 > max ? max - next + 1 : size;
		st = batch(c, a, master_id, next, count, &w);
		next += count;
		/* each batch's response is released before the next is asked for */
		ews_client_release(c);
		soap_end(a);
	}
	ews_wf_soap_free(a);
	*out = w.a;
	*n = w.n;
	return st;
}
#endif
