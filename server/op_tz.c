/* op_tz.c — GetServerTimeZones: the time zone definitions the server knows, as MS-OXWSGTZ describes them: each
 * with its Windows Id and display Name, and with ReturnFullTimeZoneData (the default) its Periods (Bias = UTC minus
 * local time, as xs:duration), TransitionsGroups (one per rule era: the recurring transitions of a year) and
 * Transitions (which group applies from when). Ids restricts the answer to the zones named, in the order named;
 * an Id the server does not know is left out.
 *
 * The rules are today's public ones (the IANA tz database's for the zones' main cities): the US and Canada with
 * their 1987–2006 and 2007– rules as two groups switched on 2007-01-01, as Exchange describes them; the EU's
 * last-Sunday rules at 01:00 UTC; Australia and New Zealand's southern-hemisphere rules; zones without daylight
 * time one Standard period. Periods are named "trule:Microsoft/Registry/<Id>/<year>-Standard|Daylight", the form
 * Exchange's ids take. */
#include <stdio.h>
#include <string.h>

#include "ewsd.h"

/* A yearly rule: the month, the week-of-month (1..4, -1 = last) Sunday, and the local time in minutes. */
struct rule_tr {
	int month, occurrence, minutes;
};
struct rule {
	int year;                   /* first year it applies (the Period ids carry it) */
	struct rule_tr to_daylight, to_standard;
};
struct zone {
	const char *id, *name;
	int bias;                   /* minutes, UTC = local + bias */
	int nrules;                 /* 0: no daylight saving time */
	const struct rule *rules;
};

static const struct rule us[] = {
	{ 2006, { 4, 1, 120 }, { 10, -1, 120 } },      /* 1987-2006: first Sunday of April to last Sunday of October */
	{ 2007, { 3, 2, 120 }, { 11, 1, 120 } },       /* 2007-: second Sunday of March to first Sunday of November */
};
/* EU: last Sunday of March to last Sunday of October at 01:00 UTC, in local standard/daylight time */
static const struct rule eu_gmt[] = { { 1996, { 3, -1, 60 }, { 10, -1, 120 } } };
static const struct rule eu_cet[] = { { 1996, { 3, -1, 120 }, { 10, -1, 180 } } };
static const struct rule eu_eet[] = { { 1996, { 3, -1, 180 }, { 10, -1, 240 } } };
/* New South Wales/Victoria since 2008: first Sunday of October to first Sunday of April */
static const struct rule au_east[] = { { 2008, { 10, 1, 120 }, { 4, 1, 180 } } };
/* New Zealand since 2007: last Sunday of September to first Sunday of April */
static const struct rule nz[] = { { 2007, { 9, -1, 120 }, { 4, 1, 180 } } };

static const struct zone zones[] = {
	{ "Dateline Standard Time", "(UTC-12:00) International Date Line West", 720, 0, NULL },
	{ "Hawaiian Standard Time", "(UTC-10:00) Hawaii", 600, 0, NULL },
	{ "Alaskan Standard Time", "(UTC-09:00) Alaska", 540, 2, us },
	{ "Pacific Standard Time", "(UTC-08:00) Pacific Time (US & Canada)", 480, 2, us },
	{ "US Mountain Standard Time", "(UTC-07:00) Arizona", 420, 0, NULL },
	{ "Mountain Standard Time", "(UTC-07:00) Mountain Time (US & Canada)", 420, 2, us },
	{ "Central Standard Time", "(UTC-06:00) Central Time (US & Canada)", 360, 2, us },
	{ "Eastern Standard Time", "(UTC-05:00) Eastern Time (US & Canada)", 300, 2, us },
	{ "Atlantic Standard Time", "(UTC-04:00) Atlantic Time (Canada)", 240, 2, us },
	{ "E. South America Standard Time", "(UTC-03:00) Brasilia", 180, 0, NULL },
	{ "UTC", "(UTC) Coordinated Universal Time", 0, 0, NULL },
	{ "GMT Standard Time", "(UTC+00:00) Dublin, Edinburgh, Lisbon, London", 0, 1, eu_gmt },
	{ "W. Europe Standard Time", "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", -60, 1, eu_cet },
	{ "Central Europe Standard Time", "(UTC+01:00) Belgrade, Bratislava, Budapest, Ljubljana, Prague", -60, 1, eu_cet },
	{ "Romance Standard Time", "(UTC+01:00) Brussels, Copenhagen, Madrid, Paris", -60, 1, eu_cet },
	{ "South Africa Standard Time", "(UTC+02:00) Harare, Pretoria", -120, 0, NULL },
	{ "GTB Standard Time", "(UTC+02:00) Athens, Bucharest", -120, 1, eu_eet },
	{ "FLE Standard Time", "(UTC+02:00) Helsinki, Kyiv, Riga, Sofia, Tallinn, Vilnius", -120, 1, eu_eet },
	{ "Russian Standard Time", "(UTC+03:00) Moscow, St. Petersburg", -180, 0, NULL },
	{ "Arabian Standard Time", "(UTC+04:00) Abu Dhabi, Muscat", -240, 0, NULL },
	{ "India Standard Time", "(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi", -330, 0, NULL },
	{ "China Standard Time", "(UTC+08:00) Beijing, Chongqing, Hong Kong, Urumqi", -480, 0, NULL },
	{ "Singapore Standard Time", "(UTC+08:00) Kuala Lumpur, Singapore", -480, 0, NULL },
	{ "Tokyo Standard Time", "(UTC+09:00) Osaka, Sapporo, Tokyo", -540, 0, NULL },
	{ "AUS Eastern Standard Time", "(UTC+10:00) Canberra, Melbourne, Sydney", -600, 1, au_east },
	{ "New Zealand Standard Time", "(UTC+12:00) Auckland, Wellington", -720, 1, nz },
};
#define NZONES (sizeof zones / sizeof zones[0])

static const struct zone *zone_by_id(const char *id)
{
	for (size_t i = 0; id && i < NZONES; i++)
		if (!strcmp(zones[i].id, id))
			return &zones[i];
	return NULL;
}

/* GetServerTimeZones came with Exchange 2010: an Exchange2007_SP1 set has neither the operation nor the
 * TimeZoneDefinitionType it answers with (the wall-clock conversions below serve recurrence.c in any set) */
#ifdef SOAP_TYPE_ewsmsg__GetServerTimeZonesType

/* Minutes as xs:duration the way Exchange writes biases: PT5H, -PT5H30M, PT0M. */
static char *duration(struct soap *soap, int minutes)
{
	char buf[32];
	int m = minutes < 0 ? -minutes : minutes, n;
	n = snprintf(buf, sizeof buf, "%sPT", minutes < 0 ? "-" : "");
	if (m / 60)
		n += snprintf(buf + n, sizeof buf - (size_t)n, "%dH", m / 60);
	if (m % 60 || !m)
		snprintf(buf + n, sizeof buf - (size_t)n, "%dM", m % 60);
	return soap_strdup(soap, buf);
}

static char *period_id(struct soap *soap, const struct zone *z, int year, const char *kind)
{
	char buf[160], compact[96];
	size_t j = 0;
	for (const char *c = z->id; *c && j < sizeof compact - 1; c++)   /* "Eastern Standard Time" -> "EasternStandardTime" */
		if (*c != ' ')
			compact[j++] = *c;
	compact[j] = '\0';
	snprintf(buf, sizeof buf, "trule:Microsoft/Registry/%s/%d-%s", compact, year, kind);
	return soap_strdup(soap, buf);
}

static struct ewstype__TransitionTargetType *target(struct soap *soap, enum ewstype__TransitionTargetKindType kind,
						    const char *to)
{
	struct ewstype__TransitionTargetType *t = EWSD_NEW(soap, struct ewstype__TransitionTargetType);
	t->Kind = kind;
	t->__item = soap_strdup(soap, to);
	return t;
}

static void recurring(struct soap *soap, struct __ewstype__union_ArrayOfTransitionsType *slot, const struct rule_tr *r,
		      const char *to)
{
	struct ewstype__RecurringDayTransitionType *d = EWSD_NEW(soap, struct ewstype__RecurringDayTransitionType);
	d->To = target(soap, ewstype__TransitionTargetKindType__Period, to);
	d->TimeOffset = duration(soap, r->minutes);
	d->Month = r->month;
	d->DayOfWeek = ewstype__DayOfWeekType__Sunday;
	d->Occurrence = r->occurrence;
	slot->__union_ArrayOfTransitionsType = SOAP_UNION__ewstype__union_ArrayOfTransitionsType_RecurringDayTransition;
	slot->union_ArrayOfTransitionsType.RecurringDayTransition = d;
}

static void full_definition(struct soap *soap, const struct zone *z, struct ewstype__TimeZoneDefinitionType *d)
{
	int ngroups = z->nrules ? z->nrules : 1;
	struct __ewstype__TimeZoneDefinitionType_sequence *s = EWSD_NEW(soap, struct __ewstype__TimeZoneDefinitionType_sequence);
	d->__TimeZoneDefinitionType_sequence = s;

	s->Periods = EWSD_NEW(soap, struct ewstype__NonEmptyArrayOfPeriodsType);
	s->Periods->__sizePeriod = z->nrules ? 2 * z->nrules : 1;
	s->Periods->Period = ewsd_zalloc(soap, sizeof *s->Periods->Period * (size_t)s->Periods->__sizePeriod);
	s->TransitionsGroups = EWSD_NEW(soap, struct ewstype__ArrayOfTransitionsGroupsType);
	s->TransitionsGroups->__sizeTransitionsGroup = ngroups;
	s->TransitionsGroups->TransitionsGroup = ewsd_zalloc(soap, sizeof *s->TransitionsGroups->TransitionsGroup * (size_t)ngroups);
	for (int g = 0; g < ngroups; g++) {
		struct ewstype__ArrayOfTransitionsType *grp = &s->TransitionsGroups->TransitionsGroup[g];
		char gid[16];
		snprintf(gid, sizeof gid, "%d", g);
		grp->Id = soap_strdup(soap, gid);
		if (!z->nrules) {   /* one period, one transition into it */
			struct ewstype__PeriodType *p = &s->Periods->Period[0];
			p->Bias = duration(soap, z->bias);
			p->Name = "Standard";
			p->Id = period_id(soap, z, 1, "Standard");
			struct ewstype__TransitionType *t = EWSD_NEW(soap, struct ewstype__TransitionType);
			t->To = target(soap, ewstype__TransitionTargetKindType__Period, p->Id);
			grp->__size_ArrayOfTransitionsType = 1;
			grp->__union_ArrayOfTransitionsType = EWSD_NEW(soap, struct __ewstype__union_ArrayOfTransitionsType);
			grp->__union_ArrayOfTransitionsType[0].__union_ArrayOfTransitionsType =
				SOAP_UNION__ewstype__union_ArrayOfTransitionsType_Transition_;
			grp->__union_ArrayOfTransitionsType[0].union_ArrayOfTransitionsType.Transition_ = t;
			continue;
		}
		const struct rule *r = &z->rules[g];
		struct ewstype__PeriodType *std = &s->Periods->Period[2 * g], *dst = &s->Periods->Period[2 * g + 1];
		std->Bias = duration(soap, z->bias);
		std->Name = "Standard";
		std->Id = period_id(soap, z, r->year, "Standard");
		dst->Bias = duration(soap, z->bias - 60);
		dst->Name = "Daylight";
		dst->Id = period_id(soap, z, r->year, "Daylight");
		grp->__size_ArrayOfTransitionsType = 2;
		grp->__union_ArrayOfTransitionsType = ewsd_zalloc(soap, 2 * sizeof *grp->__union_ArrayOfTransitionsType);
		recurring(soap, &grp->__union_ArrayOfTransitionsType[0], &r->to_daylight, dst->Id);
		recurring(soap, &grp->__union_ArrayOfTransitionsType[1], &r->to_standard, std->Id);
	}
	/* group 0 from the beginning of time, each later group from January 1 of its first year */
	s->Transitions = EWSD_NEW(soap, struct ewstype__ArrayOfTransitionsType);
	s->Transitions->__size_ArrayOfTransitionsType = ngroups;
	s->Transitions->__union_ArrayOfTransitionsType =
		ewsd_zalloc(soap, sizeof *s->Transitions->__union_ArrayOfTransitionsType * (size_t)ngroups);
	for (int g = 0; g < ngroups; g++) {
		struct __ewstype__union_ArrayOfTransitionsType *slot = &s->Transitions->__union_ArrayOfTransitionsType[g];
		char gid[16];
		snprintf(gid, sizeof gid, "%d", g);
		if (!g) {
			struct ewstype__TransitionType *t = EWSD_NEW(soap, struct ewstype__TransitionType);
			t->To = target(soap, ewstype__TransitionTargetKindType__Group, gid);
			slot->__union_ArrayOfTransitionsType = SOAP_UNION__ewstype__union_ArrayOfTransitionsType_Transition_;
			slot->union_ArrayOfTransitionsType.Transition_ = t;
		} else {
			struct ewstype__AbsoluteDateTransitionType *a = EWSD_NEW(soap, struct ewstype__AbsoluteDateTransitionType);
			char when[32];
			snprintf(when, sizeof when, "%d-01-01T00:00:00", z->rules[g].year);
			a->To = target(soap, ewstype__TransitionTargetKindType__Group, gid);
			a->DateTime = soap_strdup(soap, when);
			slot->__union_ArrayOfTransitionsType = SOAP_UNION__ewstype__union_ArrayOfTransitionsType_AbsoluteDateTransition;
			slot->union_ArrayOfTransitionsType.AbsoluteDateTransition = a;
		}
	}
}

int __ewsmsg__GetServerTimeZones(struct soap *soap, struct ewsmsg__GetServerTimeZonesType *req,
				 struct __ewsmsg__GetServerTimeZonesResponse *resp)
{
	int rc = ewsd_begin_op(soap, "GetServerTimeZones", req);
	if (rc)
		return rc;
	int full = !req->ReturnFullTimeZoneData || *req->ReturnFullTimeZoneData == xsd__boolean__true_;
	const struct zone **picked = ewsd_zalloc(soap, sizeof *picked * (NZONES + (req->Ids ? (size_t)req->Ids->__sizeId : 0)));
	int n = 0;
	if (req->Ids) {
		for (int i = 0; i < req->Ids->__sizeId; i++) {
			const struct zone *z = zone_by_id(req->Ids->Id[i]);
			if (z)
				picked[n++] = z;
		}
	} else {
		for (size_t i = 0; i < NZONES; i++)
			picked[n++] = &zones[i];
	}
	resp->ewsmsg__GetServerTimeZonesResponse = EWSD_NEW(soap, struct ewsmsg__GetServerTimeZonesResponseType);
	struct ewsmsg__ArrayOfResponseMessagesType *msgs = ewsd_messages(soap, 1);
	resp->ewsmsg__GetServerTimeZonesResponse->ResponseMessages = msgs;
	struct ewsmsg__GetServerTimeZonesResponseMessageType *m = EWSD_NEW(soap, struct ewsmsg__GetServerTimeZonesResponseMessageType);
	msgs->__union_ArrayOfResponseMessagesType[0].__union_ArrayOfResponseMessagesType =
		SOAP_UNION__ewsmsg__union_ArrayOfResponseMessagesType_GetServerTimeZonesResponseMessage;
	msgs->__union_ArrayOfResponseMessagesType[0].union_ArrayOfResponseMessagesType.GetServerTimeZonesResponseMessage = m;
	EWSD_SET_RESULT(soap, m, GetServerTimeZonesResponseMessageType, "NoError");
	m->TimeZoneDefinitions = EWSD_NEW(soap, struct ewstype__ArrayOfTimeZoneDefinitionType);
	m->TimeZoneDefinitions->__size_ArrayOfTimeZoneDefinitionType_sequence = n;
	m->TimeZoneDefinitions->__ArrayOfTimeZoneDefinitionType_sequence =
		ewsd_zalloc(soap, sizeof *m->TimeZoneDefinitions->__ArrayOfTimeZoneDefinitionType_sequence * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++) {
		struct ewstype__TimeZoneDefinitionType *d = EWSD_NEW(soap, struct ewstype__TimeZoneDefinitionType);
		d->Id = (char *)picked[i]->id;
		d->Name = (char *)picked[i]->name;
		if (full)
			full_definition(soap, picked[i], d);
		m->TimeZoneDefinitions->__ArrayOfTimeZoneDefinitionType_sequence[i].TimeZoneDefinition = d;
	}
	return SOAP_OK;
}

#endif /* SOAP_TYPE_ewsmsg__GetServerTimeZonesType */

/* ---- wall-clock conversions for recurrence expansion (recurrence.c) ----
 * Times are seconds since 1970-01-01 00:00; a "local" value is the wall-clock reading counted the same way. A
 * rule's transitions are given in local time: into daylight time at standard time, back at daylight time. */

static int64_t civil_days(int y, int m, int d)        /* days since 1970-01-01 (proleptic Gregorian) */
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int year_of(int64_t secs)
{
	int64_t z = (secs >= 0 ? secs : secs - 86399) / 86400 + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	return (int)(yoe + era * 400 + (mp >= 10));
}

/* The local instant of a yearly transition: the n-th (-1 last) Sunday of the month at r->minutes. */
static int64_t transition_local(int year, const struct rule_tr *r)
{
	int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if ((year % 4 == 0 && year % 100) || year % 400 == 0)
		dim[1] = 29;
	int64_t first = civil_days(year, r->month, 1);
	int dow = (int)(((first % 7) + 7 + 4) % 7);       /* 1970-01-01 was a Thursday */
	int day = 1 + (7 - dow) % 7;                        /* the first Sunday */
	if (r->occurrence > 0)
		day += 7 * (r->occurrence - 1);
	else
		while (day + 7 <= dim[r->month - 1])
			day += 7;
	return (civil_days(year, r->month, day)) * 86400 + (int64_t)r->minutes * 60;
}

static const struct rule *rule_for(const struct zone *z, int year)
{
	const struct rule *r = &z->rules[0];
	for (int i = 1; i < z->nrules; i++)
		if (z->rules[i].year <= year)
			r = &z->rules[i];
	return r;
}

/* 1 when daylight time is in force at the UTC instant. */
static int in_daylight(const struct zone *z, int64_t utc)
{
	if (!z->nrules)
		return 0;
	int year = year_of(utc - (int64_t)z->bias * 60);
	const struct rule *r = rule_for(z, year);
	int64_t on = transition_local(year, &r->to_daylight) + (int64_t)z->bias * 60;
	int64_t off = transition_local(year, &r->to_standard) + (int64_t)(z->bias - 60) * 60;
	return on < off ? utc >= on && utc < off : utc >= on || utc < off;
}

int ewsd_tz_known(const char *id)
{
	return zone_by_id(id) != NULL;
}

int64_t ewsd_tz_to_local(const char *id, int64_t utc)
{
	const struct zone *z = zone_by_id(id);
	if (!z)
		return utc;
	return utc - (int64_t)(z->bias - (in_daylight(z, utc) ? 60 : 0)) * 60;
}

int64_t ewsd_tz_to_utc(const char *id, int64_t local)
{
	const struct zone *z = zone_by_id(id);
	if (!z)
		return local;
	int64_t std = local + (int64_t)z->bias * 60, dst = std - 3600;
	/* a reading that exists twice (clocks back) is the first, daylight one; one that does not exist (clocks
	 * forward) is read as standard time, i.e. an hour later on the clock */
	return z->nrules && in_daylight(z, dst) ? dst : std;
}
