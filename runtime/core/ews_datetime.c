/* ews_datetime.c — parsing and formatting xs:dateTime text, and conversion to and from Unix time. */
#include <stdio.h>
#include <string.h>

#include "ews/datetime.h"

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int d[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : d[m - 1];
}

/* Exactly n digits at *p. */
static int digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

static int expect(const char **p, char c)
{
	if (**p != c)
		return -1;
	(*p)++;
	return 0;
}

static int fields_valid(const ews_datetime *d)
{
	return d->year >= 1 && d->year <= 9999 && d->month >= 1 && d->month <= 12 && d->day >= 1 &&
	       d->day <= days_in_month(d->year, d->month) && d->hour >= 0 && d->hour <= 23 && d->minute >= 0 &&
	       d->minute <= 59 && d->second >= 0 && d->second <= 59 && d->nanosecond >= 0 &&
	       d->nanosecond <= 999999999L && d->offset_minutes >= -14 * 60 && d->offset_minutes <= 14 * 60;
}

ews_status ews_datetime_parse(const char *text, ews_datetime *out)
{
	const char *p = text;
	ews_datetime d;

	if (!text || !out)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_datetime_parse: NULL argument");
	memset(&d, 0, sizeof d);
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (digits(&p, 4, &d.year) || expect(&p, '-') || digits(&p, 2, &d.month) || expect(&p, '-') ||
	    digits(&p, 2, &d.day) || expect(&p, 'T') || digits(&p, 2, &d.hour) || expect(&p, ':') ||
	    digits(&p, 2, &d.minute) || expect(&p, ':') || digits(&p, 2, &d.second))
		goto bad;
	if (*p == '.') {
		long scale = 100000000L;
		int n = 0;
		p++;
		for (; *p >= '0' && *p <= '9'; p++, n++) {
			if (scale) {
				d.nanosecond += (*p - '0') * scale;
				scale /= 10;
			}
		}
		if (!n)
			goto bad;
	}
	if (*p == 'Z') {
		d.has_offset = 1;
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p == '-' ? -1 : 1, oh, om;
		p++;
		if (digits(&p, 2, &oh) || expect(&p, ':') || digits(&p, 2, &om) || om > 59 || oh > 14 ||
		    (oh == 14 && om))
			goto bad;
		d.has_offset = 1;
		d.offset_minutes = sign * (oh * 60 + om);
	}
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (*p || !fields_valid(&d))
		goto bad;
	*out = d;
	return ews_status_ok();
bad:
	return ews_status_make(EWS_ERR_FORMAT, "'%.40s' is not an xs:dateTime", text);
}

ews_status ews_datetime_format(const ews_datetime *d, char *buf, size_t cap)
{
	char frac[16] = "", zone[16] = "";
	int n;

	if (!d || !buf || !fields_valid(d))
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_datetime_format: invalid date-time");
	if (d->nanosecond) {
		int len;
		snprintf(frac, sizeof frac, ".%09ld", d->nanosecond);
		for (len = (int)strlen(frac); frac[len - 1] == '0'; len--)
			frac[len - 1] = '\0';
	}
	if (d->has_offset) {
		int off = d->offset_minutes < 0 ? -d->offset_minutes : d->offset_minutes;
		if (!off)
			snprintf(zone, sizeof zone, "Z");
		else
			snprintf(zone, sizeof zone, "%c%02d:%02d", d->offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
	}
	n = snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d%s%s", d->year, d->month, d->day, d->hour, d->minute,
	             d->second, frac, zone);
	if (n < 0 || (size_t)n >= cap)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_datetime_format: buffer too small");
	return ews_status_ok();
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

ews_status ews_datetime_to_unix(const ews_datetime *d, int64_t *out)
{
	if (!d || !out || !fields_valid(d))
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_datetime_to_unix: invalid date-time");
	*out = days_from_civil(d->year, d->month, d->day) * 86400 + d->hour * 3600 + d->minute * 60 + d->second -
	       (int64_t)d->offset_minutes * 60;
	return ews_status_ok();
}

ews_status ews_datetime_from_unix(int64_t t, ews_datetime *out)
{
	int64_t z, era, doe, yoe, y, doy, mp, days, secs;

	/* 0001-01-01 .. 9999-12-31 */
	if (!out || t < -62135596800LL || t > 253402300799LL)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_datetime_from_unix: out of range");
	days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	secs = t - days * 86400;
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	memset(out, 0, sizeof *out);
	out->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	out->month = (int)(mp < 10 ? mp + 3 : mp - 9);
	out->year = (int)(y + (out->month <= 2));
	out->hour = (int)(secs / 3600);
	out->minute = (int)(secs / 60 % 60);
	out->second = (int)(secs % 60);
	out->has_offset = 1;
	return ews_status_ok();
}
