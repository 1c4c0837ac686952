/* recurrence.c — recurring calendar items as MS-OXWSCAL describes them: a recurring master carries a pattern
 * (Daily, Weekly, AbsoluteMonthly, RelativeMonthly, AbsoluteYearly, RelativeYearly) and a range (NoEnd, EndDate,
 * Numbered); its occurrences are computed, not stored. Occurrences keep the master's wall-clock time in the
 * master's start time zone (so the UTC time moves across a daylight-saving change); an occurrence changed by
 * UpdateItem becomes an exception (ModifiedOccurrences), one deleted by DeleteItem is listed in
 * DeletedOccurrences. InstanceIndex counts every occurrence of the pattern from 1, deleted ones included.
 *
 * Storage: item_props rows of the master (copied with it, never returned as properties):
 *   r:rule   "P interval days firstdow dom week month R count startdate enddate" (P: D W M m Y y = daily, weekly,
 *            absolute/relative monthly, absolute/relative yearly; R: N E C = no end, end date, numbered; the dates
 *            as the client sent them, "-" for none)
 *   r:tz     the start time zone's Windows id (absent: UTC)
 *   r:del    the deleted occurrences' original starts, UTC seconds, space-separated
 *   r:x:<original start, 12 digits>  an exception: "start end" (UTC seconds), then \x1f and "B" + the base64
 *            EWSX blob (op_export.c) of the whole exception row (Body, Importance, Categories, attendees ... as
 *            changed), as Exchange keeps an exception as a full item linked to its master and original start;
 *            the older form (ewsd seed's) has \x1f-separated subject and location, each "1value" or "0".
 *   r:xp:<original start, 12 digits>:<name>  a kept property of the exception (item_props.c names: Sensitivity,
 *            ReminderMinutesBeforeStart, IsAllDayEvent, LegacyFreeBusyStatus, extended ones ...), over the
 *            master's.
 * The master row's Start/End are its first occurrence's, as Exchange's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ewsd.h"

#define MAX_INTERVAL 999
#define MAX_NUMBERED 999        /* Outlook's and Exchange's limit of a numbered range */
#define LAST_YEAR 4500          /* Exchange refuses end dates after 4500-08-31 (ErrorRecurrenceEndDateTooBig) */

struct rule {
	char pattern;               /* D W M m Y y */
	int interval;
	unsigned days;              /* weekly: bit d for weekday d (0 Sunday); relative: DayOfWeekType 0..9 */
	int first_dow;              /* weekly FirstDayOfWeek 0..6, -1 when not given (Sunday) */
	int dom, week, month;       /* DayOfMonth 1..31; DayOfWeekIndex 1..4, 5 = Last; Month 1..12 */
	char range;                 /* N E C */
	int count;
	char start_raw[40], end_raw[40];
	int64_t start_day, end_day; /* days since 1970-01-01 */
};

struct exception {
	int64_t original, start, end;
	const char *subject, *location;     /* NULL: the master's */
	const struct ewsd_item *row;        /* the whole exception row (its columns), or NULL (older form) */
};

struct series {
	struct rule r;
	char tz[128];
	int tod;                    /* the wall-clock minute of the day of every occurrence */
	int64_t duration;           /* seconds */
	int ndel, nexc;
	int64_t *del;
	struct exception *exc;
};

/* ---- dates ---- */

static int64_t civil_days(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && leap(y) ? 29 : dim[m - 1];
}

static int weekday(int64_t day)         /* 0 Sunday; 1970-01-01 was a Thursday */
{
	return (int)(((day % 7) + 7 + 4) % 7);
}

static int day_matches(int dow, unsigned spec)  /* DayOfWeekType: 0..6 a weekday, 7 Day, 8 Weekday, 9 WeekendDay */
{
	if (spec <= 6)
		return dow == (int)spec;
	if (spec == 7)
		return 1;
	if (spec == 8)
		return dow >= 1 && dow <= 5;
	return dow == 0 || dow == 6;
}

/* The day of month of the week-th (5: last) day matching spec, 0 when there is none. */
static int nth_day(int y, int m, unsigned spec, int week)
{
	int n = 0, last = 0, dim = days_in_month(y, m);
	int64_t first = civil_days(y, m, 1);
	for (int d = 1; d <= dim; d++)
		if (day_matches(weekday(first + d - 1), spec)) {
			last = d;
			if (++n == week && week < 5)
				return d;
		}
	return week == 5 ? last : 0;
}

/* "YYYY-MM-DD" at the start of s (an xs:date may carry an offset after it): its day number, -1 when malformed. */
static int64_t parse_date(const char *s)
{
	int y, m, d, n = 0;
	if (!s || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 || m < 1 || m > 12 || d < 1 ||
	    d > days_in_month(y, m) || y < 1601)
		return -1;
	return civil_days(y, m, d);
}

static int64_t parse_utc(const char *s)         /* our stored "YYYY-MM-DDThh:mm:ssZ" */
{
	int y, mo, d, h, mi, se;
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &se) != 6)
		return 0;
	return civil_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
}

static char *fmt_utc(struct soap *soap, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char *out = soap_malloc(soap, 32);
	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return out;
}

/* ---- the rule: from a request, to and from its stored text, to a response ---- */

static const char *rule_from_request(const struct ewstype__RecurrenceType *rt, struct rule *r)
{
	memset(r, 0, sizeof *r);
	r->first_dow = -1;
	r->interval = 1;
	const union _ewstype__union_RecurrenceType *p = &rt->union_RecurrenceType;
	switch (rt->__union_RecurrenceType) {
	case SOAP_UNION__ewstype__union_RecurrenceType_DailyRecurrence:
		r->pattern = 'D';
		r->interval = p->DailyRecurrence->Interval;
		break;
	case SOAP_UNION__ewstype__union_RecurrenceType_WeeklyRecurrence:
		r->pattern = 'W';
		r->interval = p->WeeklyRecurrence->Interval;
		r->days = (unsigned)p->WeeklyRecurrence->DaysOfWeek;
		if (r->days & ~0x7fu)   /* Day, Weekday, WeekendDay */
			return "ErrorCalendarInvalidDayForWeeklyRecurrence";
		if (!r->days)
			return "ErrorCalendarInvalidRecurrence";
#ifdef EWS_HAS_ewstype__WeeklyRecurrencePatternType_FirstDayOfWeek     /* Exchange 2010 SP1 */
		if (p->WeeklyRecurrence->FirstDayOfWeek) {
			if ((int)*p->WeeklyRecurrence->FirstDayOfWeek > 6)
				return "ErrorCalendarInvalidRecurrence";
			r->first_dow = (int)*p->WeeklyRecurrence->FirstDayOfWeek;
		}
#endif
		break;
	case SOAP_UNION__ewstype__union_RecurrenceType_AbsoluteMonthlyRecurrence:
		r->pattern = 'M';
		r->interval = p->AbsoluteMonthlyRecurrence->Interval;
		r->dom = p->AbsoluteMonthlyRecurrence->DayOfMonth;
		break;
	case SOAP_UNION__ewstype__union_RecurrenceType_RelativeMonthlyRecurrence:
		r->pattern = 'm';
		r->interval = p->RelativeMonthlyRecurrence->Interval;
		r->days = (unsigned)p->RelativeMonthlyRecurrence->DaysOfWeek;
		r->week = (int)p->RelativeMonthlyRecurrence->DayOfWeekIndex + 1;
		break;
	case SOAP_UNION__ewstype__union_RecurrenceType_AbsoluteYearlyRecurrence:
		r->pattern = 'Y';
		r->dom = p->AbsoluteYearlyRecurrence->DayOfMonth;
		r->month = (int)p->AbsoluteYearlyRecurrence->Month + 1;
		break;
	case SOAP_UNION__ewstype__union_RecurrenceType_RelativeYearlyRecurrence:
		r->pattern = 'y';
		r->days = (unsigned)p->RelativeYearlyRecurrence->DaysOfWeek;
		r->week = (int)p->RelativeYearlyRecurrence->DayOfWeekIndex + 1;
		r->month = (int)p->RelativeYearlyRecurrence->Month + 1;
		break;
	default:
		return "ErrorCalendarInvalidRecurrence";
	}
	if (!p->DailyRecurrence)        /* every member is a pointer */
		return "ErrorCalendarInvalidRecurrence";
	if (r->interval < 1 || r->interval > MAX_INTERVAL)
		return "ErrorCalendarInvalidRecurrence";
	if ((r->pattern == 'M' || r->pattern == 'Y') && (r->dom < 1 || r->dom > 31))
		return "ErrorCalendarInvalidRecurrence";
	if (r->pattern == 'Y' && r->dom > days_in_month(2000, r->month))   /* February 30 never comes */
		return "ErrorCalendarInvalidRecurrence";
	if ((r->pattern == 'm' || r->pattern == 'y') && (r->days > 9 || r->week < 1 || r->week > 5))
		return "ErrorCalendarInvalidRecurrence";
	if (r->month && (r->month < 1 || r->month > 12))
		return "ErrorCalendarInvalidRecurrence";

	const union _ewstype__union_RecurrenceType_ *g = &rt->union_RecurrenceType_;
	const char *start = NULL, *end = NULL;
	switch (rt->__union_RecurrenceType_) {
	case SOAP_UNION__ewstype__union_RecurrenceType__NoEndRecurrence:
		r->range = 'N';
		start = g->NoEndRecurrence ? g->NoEndRecurrence->StartDate : NULL;
		break;
	case SOAP_UNION__ewstype__union_RecurrenceType__EndDateRecurrence:
		r->range = 'E';
		start = g->EndDateRecurrence ? g->EndDateRecurrence->StartDate : NULL;
		end = g->EndDateRecurrence ? g->EndDateRecurrence->EndDate : NULL;
		break;
	case SOAP_UNION__ewstype__union_RecurrenceType__NumberedRecurrence:
		r->range = 'C';
		start = g->NumberedRecurrence ? g->NumberedRecurrence->StartDate : NULL;
		r->count = g->NumberedRecurrence ? g->NumberedRecurrence->NumberOfOccurrences : 0;
		if (r->count < 1 || r->count > MAX_NUMBERED)
			return "ErrorCalendarInvalidRecurrence";
		break;
	default:
		return "ErrorCalendarInvalidRecurrence";
	}
	if ((r->start_day = parse_date(start)) < 0 || strlen(start) >= sizeof r->start_raw || strchr(start, ' '))
		return "ErrorCalendarInvalidRecurrence";
	snprintf(r->start_raw, sizeof r->start_raw, "%s", start);
	snprintf(r->end_raw, sizeof r->end_raw, "-");
	if (r->range == 'E') {
		if ((r->end_day = parse_date(end)) < 0 || strlen(end) >= sizeof r->end_raw || strchr(end, ' '))
			return "ErrorCalendarInvalidRecurrence";
		if (r->end_day > civil_days(LAST_YEAR, 8, 31))
			return "ErrorRecurrenceEndDateTooBig";
		if (r->end_day < r->start_day)
			return "ErrorRecurrenceHasNoOccurrence";
		snprintf(r->end_raw, sizeof r->end_raw, "%s", end);
	}
	return NULL;
}

static char *rule_text(struct soap *soap, const struct rule *r)
{
	char buf[200];
	snprintf(buf, sizeof buf, "%c %d %u %d %d %d %d %c %d %s %s", r->pattern, r->interval, r->days, r->first_dow,
		 r->dom, r->week, r->month, r->range, r->count, r->start_raw, r->end_raw);
	return soap_strdup(soap, buf);
}

static int rule_parse(const char *s, struct rule *r)
{
	memset(r, 0, sizeof *r);
	if (!s || sscanf(s, "%c %d %u %d %d %d %d %c %d %39s %39s", &r->pattern, &r->interval, &r->days, &r->first_dow,
			 &r->dom, &r->week, &r->month, &r->range, &r->count, r->start_raw, r->end_raw) != 11 ||
	    !strchr("DWMmYy", r->pattern) || !strchr("NEC", r->range) || r->interval < 1)
		return -1;
	r->start_day = parse_date(r->start_raw);
	r->end_day = r->range == 'E' ? parse_date(r->end_raw) : 0;
	return r->start_day < 0 || r->end_day < 0 ? -1 : 0;
}

static struct ewstype__RecurrenceType *rule_out(struct soap *soap, const struct rule *r)
{
	struct ewstype__RecurrenceType *rt = EWSD_NEW(soap, struct ewstype__RecurrenceType);
	union _ewstype__union_RecurrenceType *p = &rt->union_RecurrenceType;
	switch (r->pattern) {
	case 'D':
		rt->__union_RecurrenceType = SOAP_UNION__ewstype__union_RecurrenceType_DailyRecurrence;
		p->DailyRecurrence = EWSD_NEW(soap, struct ewstype__DailyRecurrencePatternType);
		p->DailyRecurrence->Interval = r->interval;
		break;
	case 'W':
		rt->__union_RecurrenceType = SOAP_UNION__ewstype__union_RecurrenceType_WeeklyRecurrence;
		p->WeeklyRecurrence = EWSD_NEW(soap, struct ewstype__WeeklyRecurrencePatternType);
		p->WeeklyRecurrence->Interval = r->interval;
		p->WeeklyRecurrence->DaysOfWeek = (enum ewstype__DaysOfWeekType)r->days;
#ifdef EWS_HAS_ewstype__WeeklyRecurrencePatternType_FirstDayOfWeek
		if (r->first_dow >= 0) {
			p->WeeklyRecurrence->FirstDayOfWeek = soap_malloc(soap, sizeof *p->WeeklyRecurrence->FirstDayOfWeek);
			*p->WeeklyRecurrence->FirstDayOfWeek = (enum ewstype__DayOfWeekType)r->first_dow;
		}
#endif
		break;
	case 'M':
		rt->__union_RecurrenceType = SOAP_UNION__ewstype__union_RecurrenceType_AbsoluteMonthlyRecurrence;
		p->AbsoluteMonthlyRecurrence = EWSD_NEW(soap, struct ewstype__AbsoluteMonthlyRecurrencePatternType);
		p->AbsoluteMonthlyRecurrence->Interval = r->interval;
		p->AbsoluteMonthlyRecurrence->DayOfMonth = r->dom;
		break;
	case 'm':
		rt->__union_RecurrenceType = SOAP_UNION__ewstype__union_RecurrenceType_RelativeMonthlyRecurrence;
		p->RelativeMonthlyRecurrence = EWSD_NEW(soap, struct ewstype__RelativeMonthlyRecurrencePatternType);
		p->RelativeMonthlyRecurrence->Interval = r->interval;
		p->RelativeMonthlyRecurrence->DaysOfWeek = (enum ewstype__DayOfWeekType)r->days;
		p->RelativeMonthlyRecurrence->DayOfWeekIndex = (enum ewstype__DayOfWeekIndexType)(r->week - 1);
		break;
	case 'Y':
		rt->__union_RecurrenceType = SOAP_UNION__ewstype__union_RecurrenceType_AbsoluteYearlyRecurrence;
		p->AbsoluteYearlyRecurrence = EWSD_NEW(soap, struct ewstype__AbsoluteYearlyRecurrencePatternType);
		p->AbsoluteYearlyRecurrence->DayOfMonth = r->dom;
		p->AbsoluteYearlyRecurrence->Month = (enum ewstype__MonthNamesType)(r->month - 1);
		break;
	default:
		rt->__union_RecurrenceType = SOAP_UNION__ewstype__union_RecurrenceType_RelativeYearlyRecurrence;
		p->RelativeYearlyRecurrence = EWSD_NEW(soap, struct ewstype__RelativeYearlyRecurrencePatternType);
		p->RelativeYearlyRecurrence->DaysOfWeek = (enum ewstype__DayOfWeekType)r->days;
		p->RelativeYearlyRecurrence->DayOfWeekIndex = (enum ewstype__DayOfWeekIndexType)(r->week - 1);
		p->RelativeYearlyRecurrence->Month = (enum ewstype__MonthNamesType)(r->month - 1);
		break;
	}
	union _ewstype__union_RecurrenceType_ *g = &rt->union_RecurrenceType_;
	if (r->range == 'N') {
		rt->__union_RecurrenceType_ = SOAP_UNION__ewstype__union_RecurrenceType__NoEndRecurrence;
		g->NoEndRecurrence = EWSD_NEW(soap, struct ewstype__NoEndRecurrenceRangeType);
		g->NoEndRecurrence->StartDate = soap_strdup(soap, r->start_raw);
	} else if (r->range == 'E') {
		rt->__union_RecurrenceType_ = SOAP_UNION__ewstype__union_RecurrenceType__EndDateRecurrence;
		g->EndDateRecurrence = EWSD_NEW(soap, struct ewstype__EndDateRecurrenceRangeType);
		g->EndDateRecurrence->StartDate = soap_strdup(soap, r->start_raw);
		g->EndDateRecurrence->EndDate = soap_strdup(soap, r->end_raw);
	} else {
		rt->__union_RecurrenceType_ = SOAP_UNION__ewstype__union_RecurrenceType__NumberedRecurrence;
		g->NumberedRecurrence = EWSD_NEW(soap, struct ewstype__NumberedRecurrenceRangeType);
		g->NumberedRecurrence->StartDate = soap_strdup(soap, r->start_raw);
		g->NumberedRecurrence->NumberOfOccurrences = r->count;
	}
	return rt;
}

/* ---- expansion ---- */

/* Called for each occurrence in order: index from 1, original start and end (UTC). Nonzero stops. */
typedef int (*occ_fn)(void *ctx, int index, int64_t start, int64_t end);

/* Walk the pattern's occurrences that start no later than `until` (UTC). Returns how many were walked. */
static int expand(const struct series *s, int64_t until, occ_fn fn, void *ctx)
{
	const struct rule *r = &s->r;
	int64_t last_day = civil_days(LAST_YEAR, 8, 31);
	int n = 0;
	int fdow = r->first_dow >= 0 ? r->first_dow : 0;
	int64_t week0 = r->start_day - (weekday(r->start_day) - fdow + 7) % 7;
	int y0, m0;
	{       /* the range's start month */
		int64_t z = r->start_day + 719468, era = (z >= 0 ? z : z - 146096) / 146097, doe = z - era * 146097;
		int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
		int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
		m0 = (int)(mp < 10 ? mp + 3 : mp - 9);
		y0 = (int)(yoe + era * 400 + (m0 <= 2));
	}
	for (int64_t k = 0;; k++) {
		int64_t cand[7];
		int nc = 0;
		switch (r->pattern) {
		case 'D':
			cand[nc++] = r->start_day + k * r->interval;
			break;
		case 'W':
			for (int off = 0; off < 7; off++) {
				int64_t d = week0 + k * 7 * r->interval + off;
				if (d >= r->start_day && (r->days >> weekday(d) & 1))
					cand[nc++] = d;
			}
			break;
		default: {
			int yearly = r->pattern == 'Y' || r->pattern == 'y';
			int64_t mi = yearly ? ((int64_t)y0 + k) * 12 + r->month - 1 : (int64_t)y0 * 12 + m0 - 1 + k * r->interval;
			int y = (int)(mi / 12), m = (int)(mi % 12) + 1, dom;
			if (r->pattern == 'M' || r->pattern == 'Y')
				dom = r->dom <= days_in_month(y, m) ? r->dom : days_in_month(y, m);
			else
				dom = nth_day(y, m, r->days, r->week);
			if (dom && civil_days(y, m, dom) >= r->start_day)
				cand[nc++] = civil_days(y, m, dom);
			if (y > LAST_YEAR)
				return n;
			break;
		}
		}
		for (int i = 0; i < nc; i++) {
			if ((r->range == 'E' && cand[i] > r->end_day) || cand[i] > last_day)
				return n;
			int64_t start = ewsd_tz_to_utc(s->tz, cand[i] * 86400 + (int64_t)s->tod * 60);
			if (start > until)
				return n;
			n++;
			if (fn(ctx, n, start, start + s->duration) || (r->range == 'C' && n >= r->count))
				return n;
		}
		if (r->pattern == 'D' && r->start_day + k * r->interval > last_day)
			return n;
		if (r->pattern == 'W' && week0 + k * 7 * r->interval > last_day)
			return n;
	}
}

/* ---- loading a master's series ---- */

static const char *prop(struct soap *soap, sqlite3 *db, int64_t item, const char *name)
{
	sqlite3_stmt *st;
	const char *v = NULL;
	if (sqlite3_prepare_v2(db, "SELECT value FROM item_props WHERE item_id=? AND name=?", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_int64(st, 1, item);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = soap_strdup(soap, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

static void timing(struct series *s, const char *start, const char *end)
{
	int64_t st = parse_utc(start), en = parse_utc(end);
	int64_t local = ewsd_tz_to_local(s->tz, st);
	/* whole minutes, as Exchange keeps a series' times */
	s->tod = (int)((local % 86400 + 86400) % 86400 / 60);
	s->duration = en > st ? (en / 60 - st / 60) * 60 : 0;
}

static const char *take_part(struct soap *soap, const char *p, const char **next)
{
	const char *e = strchr(p, '\x1f');
	size_t n = e ? (size_t)(e - p) : strlen(p);
	*next = e ? e + 1 : p + n;
	if (n < 1 || p[0] != '1')
		return NULL;
	char *v = soap_malloc(soap, n);
	memcpy(v, p + 1, n - 1);
	v[n - 1] = '\0';
	return v;
}

/* 1 when the row is no recurring master, 0 loaded, -1 error. */
static int series_load(struct soap *soap, sqlite3 *db, const struct ewsd_item *master, struct series *s)
{
	memset(s, 0, sizeof *s);
	if (master->kind != EWSD_CALENDAR)
		return 1;
	const char *rule = prop(soap, db, master->id, "r:rule");
	if (!rule)
		return 1;
	if (rule_parse(rule, &s->r))
		return -1;
	const char *tz = prop(soap, db, master->id, "r:tz");
	snprintf(s->tz, sizeof s->tz, "%s", tz ? tz : "UTC");
	timing(s, master->start, master->end);
	const char *del = prop(soap, db, master->id, "r:del");
	if (del) {
		int cap = 1;
		for (const char *c = del; *c; c++)
			cap += *c == ' ';
		s->del = soap_malloc(soap, sizeof *s->del * (size_t)cap);
		for (const char *c = del; *c && s->ndel < cap;) {
			char *e;
			long long v = strtoll(c, &e, 10);
			if (e == c)
				break;
			s->del[s->ndel++] = v;
			c = e;
		}
	}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT name,value FROM item_props WHERE item_id=? AND name>='r:x:' AND name<'r:x;' "
				   "ORDER BY name", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, master->id);
	int cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0), *v = (const char *)sqlite3_column_text(st, 1);
		struct exception x = { 0 };
		long long a, b;
		if (!name || !v || sscanf(v, "%lld %lld", &a, &b) != 2)
			continue;
		x.original = strtoll(name + 4, NULL, 10);
		x.start = a;
		x.end = b;
		const char *p = strchr(v, '\x1f'), *next;
		if (p && p[1] == 'B') {
			size_t n;
			unsigned char *blob = ewsd_unb64(soap, p + 2, &n);
			struct ewsd_item *row = EWSD_NEW(soap, struct ewsd_item);
			if (blob && row && !ewsd_import_blob(soap, blob, n, row))
				x.row = row;
		} else if (p) {
			x.subject = take_part(soap, p + 1, &next);
			x.location = *next ? take_part(soap, next, &next) : NULL;
		}
		if (s->nexc == cap) {
			cap = cap ? 2 * cap : 8;
			struct exception *g = soap_malloc(soap, sizeof *g * (size_t)cap);
			if (s->nexc)
				memcpy(g, s->exc, sizeof *g * (size_t)s->nexc);
			s->exc = g;
		}
		s->exc[s->nexc++] = x;
	}
	sqlite3_finalize(st);
	return 0;
}

static int is_deleted(const struct series *s, int64_t original)
{
	for (int i = 0; i < s->ndel; i++)
		if (s->del[i] == original)
			return 1;
	return 0;
}

static const struct exception *exception_of(const struct series *s, int64_t original)
{
	for (int i = 0; i < s->nexc; i++)
		if (s->exc[i].original == original)
			return &s->exc[i];
	return NULL;
}

struct find_ctx {
	int want_index;             /* > 0: find by index */
	int64_t want_original;      /* else: by original start */
	int index;
	int64_t start, end;
	int found;
};

static int find_cb(void *p, int index, int64_t start, int64_t end)
{
	struct find_ctx *c = p;
	if ((c->want_index > 0 && index == c->want_index) || (c->want_index <= 0 && start == c->want_original)) {
		c->index = index, c->start = start, c->end = end, c->found = 1;
		return 1;
	}
	return c->want_index <= 0 && start > c->want_original;
}

/* ---- ids ---- */

static struct ewsd_id master_id(struct soap *soap, const struct ewsd_item *m)
{
	struct ewsd_id v = { EWSD_ID_ITEM, "", m->folder_id, m->id };
	ewsd_object_guid(soap, m->mailbox_id, m->folder_id, v.mailbox_guid);   /* the archive's, in the archive */
	return v;
}

static struct ewstype__ItemIdType *occurrence_id(struct soap *soap, const struct ewsd_item *m, int64_t original)
{
	struct ewstype__ItemIdType *id = EWSD_NEW(soap, struct ewstype__ItemIdType);
	struct ewsd_id v = master_id(soap, m);
	id->Id = ewsd_id_make_occurrence(soap, &v, original);
	id->ChangeKey = ewsd_changekey(soap, EWSD_CALENDAR, m->change_num);
	return id;
}

const char *ewsd_recur_resolve(struct soap *soap, enum ewsd_ref_kind kind, const char *id, const char *ck,
			       int instance, struct ewsd_item_ref *out, const char **guid)
{
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewsd_id v;
	int64_t original = 0;
	struct series s;
	memset(out, 0, sizeof *out);
	if (id && !ewsd_id_parse_occurrence(id, &v, &original)) {
		/* an occurrence's own id: its master, then the occurrence by its original start */
		const char *err = ewsd_resolve_item(soap, ewsd_id_make(soap, &v), NULL, 0, &out->item, guid);
		if (err)
			return err;
		if (kind == EWSD_REF_OCCURRENCE)
			return "ErrorCalendarCannotUseIdForOccurrenceId";
		if (kind == EWSD_REF_MASTER)
			return NULL;
		int rc = series_load(soap, rq->db, &out->item, &s);
		if (rc < 0)
			return "ErrorInternalServerError";
		struct find_ctx c = { 0, original, 0, 0, 0, 0 };
		if (rc == 0)
			expand(&s, original, find_cb, &c);
		if (!c.found || is_deleted(&s, original))
			return "ErrorItemNotFound";
		out->is_occurrence = 1;
		out->index = c.index;
		out->original = original;
		return NULL;
	}
	const char *err = ewsd_resolve_item(soap, id, kind == EWSD_REF_ITEM_ID ? ck : NULL, 0, &out->item, guid);
	if (err || kind == EWSD_REF_ITEM_ID)
		return err;
	int rc = series_load(soap, rq->db, &out->item, &s);
	if (rc < 0)
		return "ErrorInternalServerError";
	if (kind == EWSD_REF_MASTER)    /* the master's own id names the master too */
		return rc ? "ErrorCalendarCannotUseIdForRecurringMasterId" : NULL;
	if (rc)
		return "ErrorCalendarCannotUseIdForOccurrenceId";
	struct find_ctx c = { instance, 0, 0, 0, 0, 0 };
	if (instance >= 1)
		expand(&s, INT64_MAX, find_cb, &c);
	if (!c.found)
		return "ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange";
	if (is_deleted(&s, c.start))
		return "ErrorCalendarOccurrenceIsDeletedFromRecurrence";
	out->is_occurrence = 1;
	out->index = c.index;
	out->original = c.start;
	return NULL;
}

/* ---- occurrences as rows and response items ---- */

static void row_of(struct soap *soap, const struct ewsd_item *master, const struct series *s, int64_t original,
		   struct ewsd_item *row)
{
	const struct exception *x = exception_of(s, original);
	*row = *master;
	if (x && x->row) {          /* the exception's own columns; identity and versions stay the master's */
		*row = *x->row;
		row->id = master->id, row->mailbox_id = master->mailbox_id, row->folder_id = master->folder_id;
		row->kind = master->kind, row->change_num = master->change_num, row->created_seq = master->created_seq;
		row->att_data = NULL, row->att_len = 0;
	}
	row->start = fmt_utc(soap, x ? x->start : original);
	row->end = fmt_utc(soap, x ? x->end : original + s->duration);
	if (x && x->subject)
		row->subject = x->subject;
	if (x && x->location)
		row->location = x->location;
}

void ewsd_recur_occurrence_row(struct soap *soap, const struct ewsd_item_ref *ref, struct ewsd_item *row)
{
	struct series s;
	if (series_load(soap, ewsd_req(soap)->db, &ref->item, &s)) {
		*row = ref->item;
		return;
	}
	row_of(soap, &ref->item, &s, ref->original, row);
}

static int shape_asks(struct ewstype__ItemResponseShapeType *shape, const char *uri, struct soap *soap)
{
	struct ewstype__NonEmptyArrayOfPathsToElementType *a = shape ? shape->AdditionalProperties : NULL;
	if (shape && shape->BaseShape == ewstype__DefaultShapeNamesType__AllProperties)
		return 1;
	for (int i = 0; a && i < a->__size_NonEmptyArrayOfPathsToElementType; i++) {
		struct __ewstype__union_NonEmptyArrayOfPathsToElementType *u = &a->__union_NonEmptyArrayOfPathsToElementType[i];
		if (u->__union_NonEmptyArrayOfPathsToElementType ==
			    SOAP_UNION__ewstype__union_NonEmptyArrayOfPathsToElementType_FieldURI &&
		    u->union_NonEmptyArrayOfPathsToElementType.FieldURI) {
			const char *f = soap_ewstype__UnindexedFieldURIType2s(
				soap, u->union_NonEmptyArrayOfPathsToElementType.FieldURI->FieldURI);
			if (f && !strcmp(f, uri))
				return 1;
		}
	}
	return 0;
}

/* "r:xp:<original start>:", the names of an exception's kept properties begin with. */
static char *exception_prop_prefix(struct soap *soap, int64_t original)
{
	char buf[40];
	snprintf(buf, sizeof buf, "r:xp:%012lld:", (long long)original);
	return soap_strdup(soap, buf);
}

/* Queue the deletion of every row of item whose name starts with prefix. */
static void drop_rows(struct soap *soap, int64_t item, const char *prefix, struct ewsd_prop_changes *pc)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(ewsd_req(soap)->db, "SELECT name FROM item_props WHERE item_id=? AND substr(name,1,?)=?",
			       -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(st, 1, item);
	sqlite3_bind_int(st, 2, (int)strlen(prefix));
	sqlite3_bind_text(st, 3, prefix, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		ewsd_prop_changes_add(pc, soap_strdup(soap, (const char *)sqlite3_column_text(st, 0)), NULL);
	sqlite3_finalize(st);
}

static enum xsd__boolean *yes(struct soap *soap, int v)
{
	enum xsd__boolean *b = soap_malloc(soap, sizeof *b);
	*b = v ? xsd__boolean__true_ : xsd__boolean__false_;
	return b;
}

static void put_occurrence(struct soap *soap, const struct ewsd_item *master, const struct series *s, int64_t original,
			   unsigned props, struct ewstype__ItemResponseShapeType *shape, int *selector, void **slot,
			   const int sels[6])
{
	struct ewsd_item row;
	row_of(soap, master, s, original, &row);
	ewsd_put_item(soap, &row, props, selector, slot, sels);
	struct ewstype__CalendarItemType *cal = *slot;
	if (shape && (shape->AdditionalProperties || shape->BaseShape == ewstype__DefaultShapeNamesType__AllProperties)) {
		ewsd_props_attach(soap, ewsd_req(soap)->db, master->id, EWSD_CALENDAR, cal, shape);
		if (exception_of(s, original))  /* the exception's kept properties over the master's */
			ewsd_props_attach_overlay(soap, ewsd_req(soap)->db, master->id, exception_prop_prefix(soap, original),
						  EWSD_CALENDAR, cal, shape);
	}
	if (props & EWSD_P_ID)
		cal->ItemId = occurrence_id(soap, master, original);
	/* the series' own properties belong to the master */
	cal->Recurrence = NULL;
	cal->FirstOccurrence = cal->LastOccurrence = NULL;
	cal->ModifiedOccurrences = NULL;
	cal->DeletedOccurrences = NULL;
	if (cal->CalendarItemType)
		*cal->CalendarItemType = exception_of(s, original) ? ewstype__CalendarItemTypeType__Exception
								   : ewstype__CalendarItemTypeType__Occurrence;
	if (shape_asks(shape, "calendar:OriginalStart", soap))
		cal->OriginalStart = fmt_utc(soap, original);
	if (shape_asks(shape, "calendar:IsRecurring", soap))
		cal->IsRecurring = yes(soap, 1);
}

void ewsd_recur_put_occurrence(struct soap *soap, const struct ewsd_item_ref *ref, unsigned props,
			       struct ewstype__ItemResponseShapeType *shape, int *selector, void **slot, const int sels[6])
{
	struct series s;
	if (series_load(soap, ewsd_req(soap)->db, &ref->item, &s)) {
		ewsd_put_item(soap, &ref->item, props, selector, slot, sels);
		return;
	}
	put_occurrence(soap, &ref->item, &s, ref->original, props, shape, selector, slot, sels);
}

/* ---- the master's properties ---- */

struct info_ctx {
	struct soap *soap;
	const struct ewsd_item *master;
	const struct series *s;
	struct ewstype__OccurrenceInfoType *first, *last;
};

static struct ewstype__OccurrenceInfoType *info(struct soap *soap, const struct ewsd_item *m, const struct series *s,
						int64_t original)
{
	struct ewstype__OccurrenceInfoType *o = EWSD_NEW(soap, struct ewstype__OccurrenceInfoType);
	const struct exception *x = exception_of(s, original);
	o->ItemId = occurrence_id(soap, m, original);
	o->Start = fmt_utc(soap, x ? x->start : original);
	o->End = fmt_utc(soap, x ? x->end : original + s->duration);
	o->OriginalStart = fmt_utc(soap, original);
	return o;
}

static int info_cb(void *p, int index, int64_t start, int64_t end)
{
	struct info_ctx *c = p;
	(void)index, (void)end;
	if (is_deleted(c->s, start))
		return 0;
	if (!c->first)
		c->first = info(c->soap, c->master, c->s, start);
	if (c->s->r.range != 'N')
		c->last = info(c->soap, c->master, c->s, start);
	return c->s->r.range == 'N';    /* a series without end has no last occurrence */
}

void ewsd_recur_attach(struct soap *soap, sqlite3 *db, int64_t item_id, struct ewstype__CalendarItemType *cal,
		       int (*names)(struct soap *, struct ewstype__ItemResponseShapeType *, const char *),
		       struct ewstype__ItemResponseShapeType *shape)
{
	struct ewsd_item m;
	struct series s;
	int rc = 1;
	if (!cal)
		return;
	if (ewsd_item_get(soap, db, item_id, &m) == 0)
		rc = series_load(soap, db, &m, &s);
	if (names(soap, shape, "calendar:CalendarItemType")) {
		cal->CalendarItemType = soap_malloc(soap, sizeof *cal->CalendarItemType);
		*cal->CalendarItemType = rc ? ewstype__CalendarItemTypeType__Single : ewstype__CalendarItemTypeType__RecurringMaster;
	}
	if (names(soap, shape, "calendar:IsRecurring"))
		cal->IsRecurring = yes(soap, rc == 0);
	if (rc)
		return;
	if (names(soap, shape, "calendar:Recurrence"))
		cal->Recurrence = rule_out(soap, &s.r);
	if (names(soap, shape, "calendar:FirstOccurrence") || names(soap, shape, "calendar:LastOccurrence")) {
		struct info_ctx c = { soap, &m, &s, NULL, NULL };
		expand(&s, INT64_MAX, info_cb, &c);
		if (names(soap, shape, "calendar:FirstOccurrence"))
			cal->FirstOccurrence = c.first;
		if (names(soap, shape, "calendar:LastOccurrence"))
			cal->LastOccurrence = c.last;
	}
	if (s.nexc && names(soap, shape, "calendar:ModifiedOccurrences")) {
		cal->ModifiedOccurrences = EWSD_NEW(soap, struct ewstype__NonEmptyArrayOfOccurrenceInfoType);
		cal->ModifiedOccurrences->Occurrence = ewsd_zalloc(soap, sizeof *cal->ModifiedOccurrences->Occurrence * (size_t)s.nexc);
		for (int i = 0; i < s.nexc; i++)
			cal->ModifiedOccurrences->Occurrence[cal->ModifiedOccurrences->__sizeOccurrence++] =
				*info(soap, &m, &s, s.exc[i].original);
	}
	if (s.ndel && names(soap, shape, "calendar:DeletedOccurrences")) {
		cal->DeletedOccurrences = EWSD_NEW(soap, struct ewstype__NonEmptyArrayOfDeletedOccurrencesType);
		cal->DeletedOccurrences->DeletedOccurrence =
			ewsd_zalloc(soap, sizeof *cal->DeletedOccurrences->DeletedOccurrence * (size_t)s.ndel);
		for (int i = 0; i < s.ndel; i++)
			cal->DeletedOccurrences->DeletedOccurrence[cal->DeletedOccurrences->__sizeDeletedOccurrence++].Start =
				fmt_utc(soap, s.del[i]);
	}
}

/* ---- CreateItem / UpdateItem ---- */

/* The item's start time zone: StartTimeZone, StartTimeZoneId, MeetingTimeZone, the request's TimeZoneContext,
 * else UTC. Zones ewsd does not know count as UTC. */
static const char *zone_of(struct soap *soap, const struct ewstype__CalendarItemType *cal)
{
	const char *tz = NULL;
#ifdef EWS_HAS_ewstype__CalendarItemType_StartTimeZone     /* Exchange 2010 */
	if (cal && cal->StartTimeZone && cal->StartTimeZone->Id)
		tz = cal->StartTimeZone->Id;
#endif
#ifdef SOAP_TYPE_ewsmsg__MarkAsJunkType
	/* StartTimeZoneId came with Exchange 2013; no set has a preprocessor mark of its own for a member, but every
	 * set with MarkAsJunk (2013 SP1 and later, and ours) has it, and Exchange2010_SP2 has neither */
	if (!tz && cal && cal->StartTimeZoneId)
		tz = cal->StartTimeZoneId;
#endif
	if (!tz && cal && cal->MeetingTimeZone && cal->MeetingTimeZone->TimeZoneName)
		tz = cal->MeetingTimeZone->TimeZoneName;
	if (!tz && ewsd_req(soap)->tz_context[0])
		tz = ewsd_req(soap)->tz_context;
	return tz && ewsd_tz_known(tz) ? tz : "UTC";
}

static int first_cb(void *p, int index, int64_t start, int64_t end)
{
	int64_t *o = p;
	(void)index, (void)end;
	*o = start;
	return 1;
}

/* Validate rule r for the item's times in zone tz; move it->start/end to the first occurrence; add the props. */
static const char *store_rule(struct soap *soap, const struct rule *r, const char *tz, struct ewsd_item *it,
			      struct ewsd_prop_changes *pc)
{
	struct series s;
	int64_t first = INT64_MIN;
	if (!it->start || !it->end)
		return "ErrorCalendarInvalidRecurrence";
	memset(&s, 0, sizeof s);
	s.r = *r;
	snprintf(s.tz, sizeof s.tz, "%s", tz);
	timing(&s, it->start, it->end);
	expand(&s, INT64_MAX, first_cb, &first);
	if (first == INT64_MIN)
		return "ErrorRecurrenceHasNoOccurrence";
	it->start = fmt_utc(soap, first);
	it->end = fmt_utc(soap, first + s.duration);
	ewsd_prop_changes_add(pc, "r:rule", rule_text(soap, r));
	ewsd_prop_changes_add(pc, "r:tz", strcmp(tz, "UTC") ? soap_strdup(soap, tz) : NULL);
	return NULL;
}

const char *ewsd_recur_take(struct soap *soap, const struct ewstype__CalendarItemType *cal, struct ewsd_item *it,
			    struct ewsd_prop_changes *pc)
{
	struct rule r;
	const char *err;
	if (!cal || !cal->Recurrence)
		return NULL;
	if ((err = rule_from_request(cal->Recurrence, &r)))
		return err;
	return store_rule(soap, &r, zone_of(soap, cal), it, pc);
}

int ewsd_recur_field(const char *uri)
{
	return uri && (!strcmp(uri, "calendar:Recurrence") || !strcmp(uri, "calendar:StartTimeZone") ||
		       !strcmp(uri, "calendar:MeetingTimeZone"));
}

/* Every r:x:, r:xp: and r:del row of the item, to be deleted (a new pattern drops the old exceptions, as
 * Exchange). */
static void drop_exceptions(struct soap *soap, int64_t item, struct ewsd_prop_changes *pc)
{
	ewsd_prop_changes_add(pc, "r:del", NULL);
	drop_rows(soap, item, "r:x", pc);
}

const char *ewsd_recur_set_field(struct soap *soap, const char *uri, const struct ewstype__CalendarItemType *cal,
				 struct ewsd_item *it, struct ewsd_prop_changes *pc)
{
	if (it->kind != EWSD_CALENDAR)
		return "ErrorInvalidPropertySet";
	if (!cal)
		return "ErrorIncorrectUpdatePropertyCount";
	if (strcmp(uri, "calendar:Recurrence")) {       /* a time zone: kept for the series */
		const char *tz = zone_of(soap, cal);
		for (int i = 0; i < pc->n; i++)         /* a Recurrence set earlier in this change follows the zone */
			if (!strcmp(pc->v[i].name, "r:tz"))
				pc->v[i].value = strcmp(tz, "UTC") ? tz : NULL;
		ewsd_prop_changes_add(pc, "r:tz", strcmp(tz, "UTC") ? soap_strdup(soap, tz) : NULL);
		return NULL;
	}
	if (!cal->Recurrence)
		return "ErrorIncorrectUpdatePropertyCount";
	struct rule r;
	const char *err = rule_from_request(cal->Recurrence, &r);
	if (err)
		return err;
	const char *tz = prop(soap, ewsd_req(soap)->db, it->id, "r:tz");
	if (!tz)
		tz = zone_of(soap, NULL);
	drop_exceptions(soap, it->id, pc);
	return store_rule(soap, &r, tz, it, pc);
}

const char *ewsd_recur_delete_field(struct soap *soap, const char *uri, struct ewsd_item *it,
				    struct ewsd_prop_changes *pc)
{
	if (strcmp(uri, "calendar:Recurrence")) {
		ewsd_prop_changes_add(pc, "r:tz", NULL);
		return NULL;
	}
	ewsd_prop_changes_add(pc, "r:rule", NULL);
	drop_exceptions(soap, it->id, pc);
	return NULL;
}

/* Rewrite the master row (new ChangeKey, a logged Update) with the prop changes, in one transaction. */
static const char *touch_master(struct soap *soap, const struct ewsd_item *master, const struct ewsd_prop_changes *pc)
{
	sqlite3 *db = ewsd_req(soap)->db;
	struct ewsd_item m = *master;
	if (ewsd_begin(db) || ewsd_item_update(db, &m, 0) || ewsd_prop_changes_apply(db, m.id, pc) || ewsd_commit(db)) {
		ewsd_rollback(db);
		return "ErrorInternalServerError";
	}
	return NULL;
}

static char *exception_name(struct soap *soap, int64_t original)
{
	char buf[32];
	snprintf(buf, sizeof buf, "r:x:%012lld", (long long)original);
	return soap_strdup(soap, buf);
}

const char *ewsd_recur_save_exception(struct soap *soap, const struct ewsd_item_ref *ref, const struct ewsd_item *row,
				      const struct ewsd_prop_changes *props)
{
	int64_t start = parse_utc(row->start), end = parse_utc(row->end);
	const struct ewsd_item *m = &ref->item;
	if (end < start)
		return "ErrorCalendarEndDateIsEarlierThanStartDate";
	struct ewsd_item copy = *row;
	size_t n;
	copy.id = 0;                /* the blob without the master's attachments */
	unsigned char *blob = ewsd_export_blob(soap, &copy, &n);
	char *b64 = blob ? ewsd_b64(soap, blob, n) : NULL;
	if (!b64)
		return "ErrorInternalServerError";
	size_t len = strlen(b64) + 64;
	char *v = soap_malloc(soap, len);
	snprintf(v, len, "%lld %lld\x1f" "B%s", (long long)start, (long long)end, b64);
	struct ewsd_prop_changes *pc = EWSD_NEW(soap, struct ewsd_prop_changes);
	ewsd_prop_changes_add(pc, exception_name(soap, ref->original), v);
	const char *prefix = exception_prop_prefix(soap, ref->original);
	for (int i = 0; props && i < props->n; i++) {
		size_t k = strlen(prefix) + strlen(props->v[i].name) + 1;
		char *name = soap_malloc(soap, k);
		snprintf(name, k, "%s%s", prefix, props->v[i].name);
		ewsd_prop_changes_add(pc, name, props->v[i].value);
	}
	if (pc->n >= (int)(sizeof pc->v / sizeof pc->v[0]))
		return "ErrorInternalServerError";      /* more changes than one UpdateItem change can carry */
	return touch_master(soap, m, pc);
}

const char *ewsd_recur_delete_occurrence(struct soap *soap, const struct ewsd_item_ref *ref)
{
	const char *old = prop(soap, ewsd_req(soap)->db, ref->item.id, "r:del");
	size_t n = (old ? strlen(old) : 0) + 32;
	char *v = soap_malloc(soap, n);
	snprintf(v, n, "%s%s%lld", old ? old : "", old ? " " : "", (long long)ref->original);
	struct ewsd_prop_changes pc = { 0 };
	ewsd_prop_changes_add(&pc, "r:del", v);
	ewsd_prop_changes_add(&pc, exception_name(soap, ref->original), NULL);
	drop_rows(soap, ref->item.id, exception_prop_prefix(soap, ref->original), &pc);   /* a modified one's */
	return touch_master(soap, &ref->item, &pc);
}

/* ---- CalendarView ---- */

struct entry {
	const char *start;
	int64_t id, original;       /* original 0: a single item */
	struct ewsd_item row;
	const struct series *s;     /* for occurrences */
};

struct view_ctx {
	struct soap *soap;
	const struct ewsd_item *master;
	const struct series *s;
	int64_t from, to;
	struct entry *e;
	int n, cap, overflow;
};

static void add_entry(struct view_ctx *c, const struct entry *e)
{
	if (c->n == c->cap) {
		int cap = c->cap ? 2 * c->cap : 64;
		if (cap > 200000) {     /* a view this big is refused below */
			c->overflow = 1;
			return;
		}
		struct entry *g = soap_malloc(c->soap, sizeof *g * (size_t)cap);
		if (!g) {
			c->overflow = 1;
			return;
		}
		if (c->n)
			memcpy(g, c->e, sizeof *g * (size_t)c->n);
		c->e = g;
		c->cap = cap;
	}
	c->e[c->n++] = *e;
}

static int view_cb(void *p, int index, int64_t start, int64_t end)
{
	struct view_ctx *c = p;
	const struct exception *x = exception_of(c->s, start);
	int64_t s = x ? x->start : start, e = x ? x->end : end;
	(void)index;
	if (is_deleted(c->s, start) || s >= c->to || e < c->from)
		return c->overflow;
	struct entry en = { fmt_utc(c->soap, s), c->master->id, start, *c->master, c->s };
	add_entry(c, &en);
	return c->overflow;
}

static int by_start(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int k = strcmp(x->start, y->start);
	if (k)
		return k;
	return x->id != y->id ? (x->id < y->id ? -1 : 1) : (x->original < y->original ? -1 : x->original > y->original);
}

#define VIEW_COLS "id,mailbox_id,folder_id,kind,item_class,subject,NULL,body_html,received,sent,created," \
	"size,importance,is_read,from_name,from_addr,to_list,cc_list,start,end_,location,given_name,surname,email," \
	"company,due,status,categories,is_associated,change_num,created_seq"

const char *ewsd_recur_calendar_view(struct soap *soap, struct ewsmsg__FindItemType *req, const struct ewsd_folder *f,
				     struct ewsd_sql *where, struct ewsmsg__FindItemResponseMessageType *m)
{
	sqlite3 *db = ewsd_req(soap)->db;
	struct ewstype__CalendarViewType *cal = req->union_FindItemType.CalendarView;
	struct view_ctx c = { .soap = soap };
	c.from = parse_utc(ewsd_norm_date(soap, cal->StartDate));
	c.to = parse_utc(ewsd_norm_date(soap, cal->EndDate));
	sqlite3_stmt *st;
	char *sql = soap_malloc(soap, strlen(where->buf) + sizeof VIEW_COLS + 16);
	sprintf(sql, "SELECT " VIEW_COLS "%s", where->buf);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return "ErrorInternalServerError";
	for (int i = 0; i < where->nbinds; i++)
		sqlite3_bind_text(st, i + 1, where->binds[i], -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW && !c.overflow) {
		struct entry e = { 0 };
		ewsd_item_from_row(soap, st, 0, &e.row);
		e.start = e.row.start;
		e.id = e.row.id;
		add_entry(&c, &e);
	}
	sqlite3_finalize(st);

	/* every recurring master of the folder: its occurrences in the window (exceptions where they are now;
	 * a year more is walked for exceptions moved before their original day) */
	if (sqlite3_prepare_v2(db, "SELECT " VIEW_COLS " FROM items WHERE folder_id=? AND is_associated=0 AND kind=1 "
				   "AND EXISTS (SELECT 1 FROM item_props p WHERE p.item_id=items.id AND p.name='r:rule')", -1, &st, NULL) != SQLITE_OK)
		return "ErrorInternalServerError";
	sqlite3_bind_int64(st, 1, f->id);
	while (sqlite3_step(st) == SQLITE_ROW && !c.overflow) {
		struct ewsd_item *master = EWSD_NEW(soap, struct ewsd_item);
		struct series *s = EWSD_NEW(soap, struct series);
		ewsd_item_from_row(soap, st, 0, master);
		if (series_load(soap, db, master, s))
			continue;
		c.master = master;
		c.s = s;
		expand(s, c.to + 366LL * 86400, view_cb, &c);
	}
	sqlite3_finalize(st);
	if (c.overflow)
		return "ErrorCalendarViewRangeTooBig";
	if (c.n > 1)
		qsort(c.e, (size_t)c.n, sizeof *c.e, by_start);

	int max = cal->MaxEntriesReturned ? *cal->MaxEntriesReturned : ewsd_cfg.max_page;
	if (max > ewsd_cfg.max_page)
		max = ewsd_cfg.max_page;
	int count = c.n < max ? c.n : max;
	unsigned props = ewsd_item_props(soap, req->ItemShape, 0);
	static const int sels[6] = { SOAP_UNION__ewstype__union_ArrayOfRealItemsType_Message,
				     SOAP_UNION__ewstype__union_ArrayOfRealItemsType_CalendarItem,
				     SOAP_UNION__ewstype__union_ArrayOfRealItemsType_MeetingRequest,
				     SOAP_UNION__ewstype__union_ArrayOfRealItemsType_Contact,
				     SOAP_UNION__ewstype__union_ArrayOfRealItemsType_Task,
				     SOAP_UNION__ewstype__union_ArrayOfRealItemsType_DistributionList };
	struct ewstype__ArrayOfRealItemsType *items = EWSD_NEW(soap, struct ewstype__ArrayOfRealItemsType);
	items->__union_ArrayOfRealItemsType = ewsd_zalloc(soap, sizeof *items->__union_ArrayOfRealItemsType * (size_t)(count ? count : 1));
	int attach = req->ItemShape && (req->ItemShape->AdditionalProperties ||
					req->ItemShape->BaseShape == ewstype__DefaultShapeNamesType__AllProperties);
	for (int i = 0; i < count; i++) {
		struct __ewstype__union_ArrayOfRealItemsType *u = &items->__union_ArrayOfRealItemsType[i];
		struct entry *e = &c.e[i];
		if (e->s) {
			put_occurrence(soap, &e->row, e->s, e->original, props, req->ItemShape,
				       &u->__union_ArrayOfRealItemsType, (void **)&u->union_ArrayOfRealItemsType.Message, sels);
			continue;
		}
		ewsd_put_item(soap, &e->row, props, &u->__union_ArrayOfRealItemsType,
			      (void **)&u->union_ArrayOfRealItemsType.Message, sels);
		if (attach)
			ewsd_props_attach(soap, db, e->row.id, e->row.kind, u->union_ArrayOfRealItemsType.Message, req->ItemShape);
	}
	items->__size_ArrayOfRealItemsType = count;
	m->RootFolder = EWSD_NEW(soap, struct ewstype__FindItemParentType);
	m->RootFolder->__union_FindItemParentType = SOAP_UNION__ewstype__union_FindItemParentType_Items;
	m->RootFolder->union_FindItemParentType.Items = items;
	m->RootFolder->TotalItemsInView = soap_malloc(soap, sizeof(int));
	*m->RootFolder->TotalItemsInView = c.n;
	m->RootFolder->IncludesLastItemInRange = yes(soap, count == c.n);
	return NULL;
}

/* ---- ewsd seed ---- */

struct seed_ctx {
	int64_t starts[3];
	int n;
};

static int seed_cb(void *p, int index, int64_t start, int64_t end)
{
	struct seed_ctx *c = p;
	(void)end;
	c->starts[index - 1] = start;
	c->n = index;
	return index >= 3;
}

int ewsd_recur_seed(sqlite3 *db, int64_t item_id, long k, const char *start, const char *end, const char *subject)
{
	static const char tz[] = "W. Europe Standard Time";
	struct series s;
	memset(&s, 0, sizeof s);
	snprintf(s.tz, sizeof s.tz, "%s", tz);
	timing(&s, start, end);
	int64_t day = ewsd_tz_to_local(tz, parse_utc(start));
	day = (day - ((day % 86400) + 86400) % 86400) / 86400;
	struct rule *r = &s.r;
	int y, m, d;
	{
		char b[16];
		time_t t = (time_t)(day * 86400);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(b, sizeof b, "%Y-%m-%d", &tm);
		snprintf(r->start_raw, sizeof r->start_raw, "%s", b);
		y = tm.tm_year + 1900, m = tm.tm_mon + 1, d = tm.tm_mday;
	}
	r->start_day = day;
	r->interval = 1;
	r->first_dow = -1;
	snprintf(r->end_raw, sizeof r->end_raw, "-");
	/* the patterns people use: the weekly team meeting, a daily stand-up, a monthly review on the same day or
	 * the same weekday of the month; with and without an end */
	switch (k % 4) {
	case 0:
		r->pattern = 'W', r->days = 1u << weekday(day), r->range = 'N';
		break;
	case 1:
		r->pattern = 'D', r->range = 'C', r->count = 10;
		break;
	case 2:
		r->pattern = 'M', r->dom = d, r->range = 'C', r->count = 12;
		break;
	default:
		r->pattern = 'm', r->days = (unsigned)weekday(day), r->week = (d - 1) / 7 + 1 > 4 ? 5 : (d - 1) / 7 + 1;
		r->range = 'E';
		r->end_day = civil_days(y + 1, m, 1);
		snprintf(r->end_raw, sizeof r->end_raw, "%04d-%02d-01", y + 1, m);
		break;
	}
	char rule[200], del[32], xname[32], xval[600];
	snprintf(rule, sizeof rule, "%c %d %u %d %d %d %d %c %d %s %s", r->pattern, r->interval, r->days, r->first_dow,
		 r->dom, r->week, r->month, r->range, r->count, r->start_raw, r->end_raw);
	struct ewsd_prop_changes pc = { 0 };
	ewsd_prop_changes_add(&pc, "r:rule", rule);
	ewsd_prop_changes_add(&pc, "r:tz", tz);
	/* every other series: the second occurrence an hour later and renamed, the third cancelled */
	struct seed_ctx c = { { 0 }, 0 };
	expand(&s, INT64_MAX, seed_cb, &c);
	if (k % 2 == 0 && c.n == 3) {
		snprintf(xname, sizeof xname, "r:x:%012lld", (long long)c.starts[1]);
		snprintf(xval, sizeof xval, "%lld %lld\x1f" "1%.500s (moved)\x1f" "0", (long long)(c.starts[1] + 3600),
			 (long long)(c.starts[1] + 3600 + s.duration), subject);
		snprintf(del, sizeof del, "%lld", (long long)c.starts[2]);
		ewsd_prop_changes_add(&pc, xname, xval);
		ewsd_prop_changes_add(&pc, "r:del", del);
	}
	return ewsd_prop_changes_apply(db, item_id, &pc);
}
