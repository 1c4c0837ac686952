/* ews_fingerprint.c — an item's fingerprint: what identifies an uploaded copy with its source when their
 * ExportItems data differ (ews/export.h says which properties and why). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ews/build.h"
#include "ews/datetime.h"
#include "ews/export.h"
#include "ews/response.h"
#include "ews_internal.h"
#include "ews_manifest_internal.h"
#include "ews_operations.h"
#include "ews_workflow.h"

const char *const ews_fingerprint_fields[] = { "item:ItemClass", "item:Subject", "item:DateTimeSent",
	                                       "item:DateTimeReceived", "message:InternetMessageId", NULL };

/* FNV-1a 64 over s and its terminating '\0' (NULL: the '\0' alone), so that ("ab", "") and ("a", "b") differ. */
static uint64_t mix(uint64_t h, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); ; p++) {
		h = (h ^ *p) * 1099511628211ULL;
		if (!*p)
			return h;
	}
}

/* A time as seconds since 1970 (one instant, however a server writes it: "Z" or "+00:00", with or without
 * fractions), or its text when it does not parse. */
static uint64_t mix_time(uint64_t h, const char *s)
{
	ews_datetime dt;
	int64_t t;
	char n[32];
	if (!s || !ews_ok(ews_datetime_parse(s, &dt)) || !ews_ok(ews_datetime_to_unix(&dt, &t)))
		return mix(h, s);
	snprintf(n, sizeof n, "@%lld", (long long)t);
	return mix(h, n);
}

int ews_item_fingerprint(const ews_item_view *it, char out[EWS_FINGERPRINT_LEN + 1])
{
	out[0] = '\0';
	if (!it || !it->id)
		return 0; /* no item (a pager's end, a sync's deletion): "" stays "unknown" */
	uint64_t h = 1469598103934665603ULL;
	h = mix(h, it->item_class);
	h = mix(h, it->subject);
	h = mix_time(h, it->sent);
	h = mix_time(h, it->received);
	h = mix(h, it->internet_message_id);
	snprintf(out, EWS_FINGERPRINT_LEN + 1, "%016llx", (unsigned long long)h);
	return 1;
}

/* ---- asked of the server, for items given by id ---- */

#define ASK_BATCH 250   /* ids a GetItem */

/* The fingerprints of n items given by id (GetItem IdOnly + the fields, ASK_BATCH ids a call) into fp[i] where the
 * server answers for item i; the others are left as they are. One call's answer is freed before the next call. */
ews_status ews_fingerprints_ask(ews_client *c, const char *const *ids, size_t n, char (*fp)[EWS_FINGERPRINT_LEN + 1])
{
	struct soap *a = ews_wf_soap_new();
	ews_status st = a ? ews_status_ok() : ews_status_make(EWS_ERR_NOMEM, "out of memory");
	for (size_t i = 0; ews_ok(st) && i < n; i += ASK_BATCH) {
		int k = n - i < ASK_BATCH ? (int)(n - i) : ASK_BATCH;
		struct ewsmsg__GetItemType *req = soap_new_ewsmsg__GetItemType(a, -1);
		struct __ewsmsg__GetItemResponse resp;
		memset(&resp, 0, sizeof resp);
		st = req ? ews_wf_item_shape(a, "IdOnly", ews_fingerprint_fields, NULL, &req->ItemShape)
		         : ews_status_make(EWS_ERR_NOMEM, "out of memory");
		if (ews_ok(st) && !(req->ItemIds = ews_item_ids_new(a, ids + i, k)))
			st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
		if (ews_ok(st) && (st = ews_get_item(c, req, &resp)).code == EWS_ERR_RESPONSE)
			st = ews_status_ok(); /* some of the items could not be given: the others' messages are there */
		const struct ewsmsg__ArrayOfResponseMessagesType *msgs =
			ews_ok(st) && resp.ewsmsg__GetItemResponse ? resp.ewsmsg__GetItemResponse->ResponseMessages : NULL;
		/* one message an id, in the request's order; an item the server cannot give (gone, not an item) has none */
		for (int j = 0; msgs && j < k && j < ews_response_messages_count(msgs); j++) {
			ews_response_message m;
			const void *typed = NULL;
			if (ews_response_messages_get(msgs, j, &m) || !m.message || !ews_ok(ews_wf_message_status(msgs, j)))
				continue;
			const struct ewsmsg__ItemInfoResponseMessageType *im = m.message;
			if (!im->Items || im->Items->__size_ArrayOfRealItemsType < 1)
				continue;
			const struct __ewstype__union_ArrayOfRealItemsType *e = &im->Items->__union_ArrayOfRealItemsType[0];
			ews_item_kind kind = ews_wf_real_item_kind(e->__union_ArrayOfRealItemsType, &e->union_ArrayOfRealItemsType,
			                                          &typed);
			if (kind == EWS_ITEM_NONE || kind == EWS_ITEM_OTHER || !typed)
				continue;
			ews_item_view v;
			ews_wf_item_view(&v, kind, typed);
			ews_item_fingerprint(&v, fp[i + (size_t)j]);
		}
		ews_client_release(c);
		soap_end(a);
	}
	ews_wf_soap_free(a);
	return st;
}
