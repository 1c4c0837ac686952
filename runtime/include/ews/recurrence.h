/* ews/recurrence.h — walk the occurrences of a recurring calendar item (its recurring master) within a window.
 *
 *   ews_occurrence *o; size_t n;
 *   st = ews_recurrence_occurrences(c, master_id, "2026-06-01T00:00:00Z", "2026-07-01T00:00:00Z", NULL, &o, &n);
 *   for (size_t i = 0; i < n; i++) printf("%d %s %s\n", o[i].index, o[i].start, o[i].subject);
 *   ews_occurrences_free(o, n);
 *
 * The server expands the series (time zones and daylight-saving changes are its business): GetItem asks for
 * OccurrenceItemIds (RecurringMasterId = master_id, InstanceIndex 1, 2, ...) in batches, as the "access a
 * recurring series" reference page does, until the series ends (ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange)
 * or an occurrence's original start is at or after the window's end. Deleted occurrences
 * (ErrorCalendarOccurrenceIsDeletedFromRecurrence) are skipped. An occurrence is in the window when it starts
 * before window_end and ends after window_start (or starts at it), the CalendarView rule; exceptions are where
 * they are now. Results are in index order (an exception moved past a later occurrence keeps its index).
 * Works with any server; ewsd answers it (see server/recurrence.c).
 */
#ifndef EWS_RECURRENCE_H
#define EWS_RECURRENCE_H

#include <stddef.h>

#include "ews/client.h"
#include "ews/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One occurrence. Strings owned by the array (ews_occurrences_free). */
typedef struct ews_occurrence {
	int index;                          /* its InstanceIndex, from 1                                          */
	int is_exception;                   /* 1: CalendarItemType Exception (changed on its own)                 */
	char *item_id, *change_key;         /* the occurrence's own ItemId (GetItem/UpdateItem/DeleteItem take it) */
	char *start, *end;                  /* xs:dateTime as the server sent them                                */
	char *original_start;               /* NULL when the server sent none                                     */
	char *subject;                      /* NULL when none                                                     */
} ews_occurrence;

typedef struct ews_recurrence_options {
	int batch;                          /* OccurrenceItemIds per GetItem (default 32, at most 256)            */
	int max_occurrences;                /* indexes walked at most (default 10000): EWS_ERR_TOO_LARGE beyond    */
} ews_recurrence_options;

/* The occurrences of master_id (borrowed; the master's ItemId) overlapping [window_start, window_end) (xs:dateTime,
 * any offset; window_start before window_end). opt may be NULL. On return *out is an array of *n occurrences
 * the caller frees with ews_occurrences_free(*out, *n), also on error (what was walked before it; unless NULL).
 * Errors: EWS_ERR_ARGUMENT for NULL arguments or a window that is not two xs:dateTimes in order;
 * EWS_ERR_RESPONSE with response_code "ErrorCalendarCannotUseIdForOccurrenceId" when master_id is not a
 * recurring master, "ErrorItemNotFound" ... as the server answers; transport and auth errors as any call;
 * EWS_ERR_TOO_LARGE when max_occurrences indexes were walked without reaching the window's end. */
ews_status ews_recurrence_occurrences(ews_client *c, const char *master_id, const char *window_start,
                                      const char *window_end, const ews_recurrence_options *opt,
                                      ews_occurrence **out, size_t *n);

/* Free an occurrences array and the strings it owns. Accepts NULL. */
void ews_occurrences_free(ews_occurrence *a, size_t n);

#ifdef __cplusplus
}
#endif
#endif
