/* test_datetime.c — xs:dateTime text as EWS sends it: parsing, formatting, Unix time. */
#include <string.h>

#include "ews/datetime.h"
#include "ews_test.h"

static void a_utc_value_with_seven_fraction_digits_parses(void)
{
	ews_datetime d;
	int64_t t;

	CU_ASSERT_EQUAL_FATAL(ews_datetime_parse("2014-05-14T17:59:30.1234567Z", &d).code, EWS_OK);
	CU_ASSERT_EQUAL(d.year, 2014);
	CU_ASSERT_EQUAL(d.month, 5);
	CU_ASSERT_EQUAL(d.day, 14);
	CU_ASSERT_EQUAL(d.hour, 17);
	CU_ASSERT_EQUAL(d.minute, 59);
	CU_ASSERT_EQUAL(d.second, 30);
	CU_ASSERT_EQUAL(d.nanosecond, 123456700L);
	CU_ASSERT_EQUAL(d.has_offset, 1);
	CU_ASSERT_EQUAL(d.offset_minutes, 0);
	CU_ASSERT_EQUAL(ews_datetime_to_unix(&d, &t).code, EWS_OK);
	CU_ASSERT_EQUAL(t, 1400090370);
}

static void an_offset_is_kept_and_applied_to_unix_time(void)
{
	ews_datetime d;
	int64_t t;

	CU_ASSERT_EQUAL_FATAL(ews_datetime_parse("2014-05-14T09:59:30-08:00", &d).code, EWS_OK);
	CU_ASSERT_EQUAL(d.offset_minutes, -480);
	CU_ASSERT_EQUAL(ews_datetime_to_unix(&d, &t).code, EWS_OK);
	CU_ASSERT_EQUAL(t, 1400090370);
	CU_ASSERT_EQUAL_FATAL(ews_datetime_parse("2014-05-15T03:29:30+05:30", &d).code, EWS_OK);
	CU_ASSERT_EQUAL(ews_datetime_to_unix(&d, &t).code, EWS_OK);
	CU_ASSERT_EQUAL(t, 1400104770);
}

static void a_zone_less_value_is_marked_as_such(void)
{
	ews_datetime d;

	CU_ASSERT_EQUAL_FATAL(ews_datetime_parse("2014-05-14T17:59:30", &d).code, EWS_OK);
	CU_ASSERT_EQUAL(d.has_offset, 0);
	CU_ASSERT_EQUAL(d.hour, 17);
}

static void formatting_round_trips(void)
{
	static const char *texts[] = {
		"2014-05-14T17:59:30Z", "2014-05-14T17:59:30.1234567Z", "2024-02-29T00:00:00+14:00",
		"0104-01-01T23:59:59.5-08:00", "2014-05-14T17:59:30",
	};
	char buf[40];
	ews_datetime d;

	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		CU_ASSERT_EQUAL_FATAL(ews_datetime_parse(texts[i], &d).code, EWS_OK);
		CU_ASSERT_EQUAL(ews_datetime_format(&d, buf, sizeof buf).code, EWS_OK);
		CU_ASSERT_STRING_EQUAL(buf, texts[i]);
	}
	CU_ASSERT_EQUAL(ews_datetime_format(&d, buf, 10).code, EWS_ERR_ARGUMENT);
}

static void unix_time_converts_both_ways(void)
{
	static const int64_t times[] = { 0, 951782400 /* 2000-02-29 */, 1400090370, -86400, 253402300799LL,
	                                 -62135596800LL };
	ews_datetime d;
	int64_t back;
	char buf[40];

	for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
		CU_ASSERT_EQUAL_FATAL(ews_datetime_from_unix(times[i], &d).code, EWS_OK);
		CU_ASSERT_EQUAL(ews_datetime_to_unix(&d, &back).code, EWS_OK);
		CU_ASSERT_EQUAL(back, times[i]);
	}
	ews_datetime_from_unix(951782400, &d);
	ews_datetime_format(&d, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "2000-02-29T00:00:00Z");
	ews_datetime_from_unix(-1, &d);
	ews_datetime_format(&d, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "1969-12-31T23:59:59Z");
	CU_ASSERT_EQUAL(ews_datetime_from_unix(253402300800LL, &d).code, EWS_ERR_ARGUMENT);
}

static void invalid_values_are_refused(void)
{
	static const char *bad[] = {
		"", "2014-05-14", "2014-05-14T17:59", "2014-13-01T00:00:00Z", "2014-02-29T00:00:00Z", "2014-05-14T24:00:00Z",
		"2014-05-14T17:60:00Z", "2014-05-14T17:59:60Z", "2014-05-14T17:59:30.Z", "2014-05-14T17:59:30+15:00",
		"2014-05-14T17:59:30+05", "2014-05-14 17:59:30Z", "0000-01-01T00:00:00Z", "2014-05-14T17:59:30Zjunk",
		"-2014-05-14T17:59:30Z", "2014-5-14T17:59:30Z",
	};
	ews_datetime d;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CU_ASSERT_EQUAL(ews_datetime_parse(bad[i], &d).code, EWS_ERR_FORMAT);
	CU_ASSERT_EQUAL(ews_datetime_parse(NULL, &d).code, EWS_ERR_ARGUMENT);
	CU_ASSERT_EQUAL(ews_datetime_parse(" 2014-05-14T17:59:30Z\n", &d).code, EWS_OK); /* xs:dateTime collapses blanks */
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "a UTC value with seven fraction digits parses", a_utc_value_with_seven_fraction_digits_parses },
		{ "an offset is kept and applied to Unix time", an_offset_is_kept_and_applied_to_unix_time },
		{ "a zone-less value is marked as such", a_zone_less_value_is_marked_as_such },
		{ "formatting round-trips", formatting_round_trips },
		{ "Unix time converts both ways", unix_time_converts_both_ways },
		{ "invalid values are refused", invalid_values_are_refused },
		{ NULL, NULL }
	};
	return ews_test_run("datetime", cases);
}
