/* ews/datetime.h — xs:dateTime values as EWS sends them (the bindings keep them as literal strings). */
#ifndef EWS_DATETIME_H
#define EWS_DATETIME_H

#include <stddef.h>
#include <stdint.h>

#include "ews/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A parsed xs:dateTime. Exchange sends "2024-05-14T17:59:30Z", "...30.1234567Z", "...30-08:00" and, in a few
 * places (calendar items in a TimeZoneContext), zone-less "2024-05-14T17:59:30". */
typedef struct ews_datetime {
	int year, month, day, hour, minute, second;
	long nanosecond;            /* the fraction; digits beyond the ninth are dropped */
	int has_offset;             /* 0: zone-less (local time of the zone the request named) */
	int offset_minutes;         /* east of UTC: 0 for Z, -480 for -08:00 */
} ews_datetime;

/* Parse; EWS_ERR_FORMAT for anything that is not a valid xs:dateTime (dates checked, years 0001-9999). */
ews_status ews_datetime_parse(const char *text, ews_datetime *out);

/* Write the xs:dateTime text ("2024-05-14T17:59:30.5Z"; offset "+02:00"; nothing when zone-less) into buf.
 * EWS_ERR_ARGUMENT when a field is out of range or buf (cap bytes) is too small (36 bytes always suffice). */
ews_status ews_datetime_format(const ews_datetime *dt, char *buf, size_t cap);

/* Seconds since 1970-01-01T00:00:00Z. A zone-less value is taken as UTC (has_offset tells you it was). */
ews_status ews_datetime_to_unix(const ews_datetime *dt, int64_t *out);

/* The UTC instant `t` as an ews_datetime with offset Z (nanosecond 0). */
ews_status ews_datetime_from_unix(int64_t t, ews_datetime *out);

#ifdef __cplusplus
}
#endif
#endif
