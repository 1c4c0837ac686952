/* ews_fingerprint.c — an item's fingerprint: what identifies an uploaded copy with its source when their
 * ExportItems data differ (ews/export.h says which properties and why). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ews/datetime.h"
#include "ews/export.h"

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
