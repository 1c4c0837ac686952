/* test_ewsd_timezones.c — GetServerTimeZones against a running ewsd: every definition by default, with Periods,
 * TransitionsGroups and Transitions as the GetServerTimeZones page's full example shows them (Eastern Standard
 * Time: PT5H/PT4H, the 2006 and 2007 US rules, group 1 from 2007-01-01); ReturnFullTimeZoneData="false" with Ids
 * gives Id and Name only, in the order asked, as the page's first example; biases east of UTC are negative. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews_operations.h"
#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;

static char *post(const char *body)
{
	struct http_resp r;
	if (ews_post(&srv, "tz@example.com", "Exchange2010", NULL, body, &r)) {
		http_resp_free(&r);
		return NULL;
	}
	free(r.headers);
	return r.body;
}

/* The TimeZoneDefinition element with this Id (up to its end tag or its self-closing end), malloc'd. */
static char *definition(const char *r, const char *id)
{
	char needle[128];
	snprintf(needle, sizeof needle, "TimeZoneDefinition Id=\"%s\"", id);
	const char *p = r ? strstr(r, needle) : NULL;
	if (!p)
		return NULL;
	const char *gt = strchr(p, '>');
	if (gt && gt[-1] == '/')
		return strndup(p, (size_t)(gt - p + 1));
	const char *end = strstr(p, "</t:TimeZoneDefinition>");
	return end ? strndup(p, (size_t)(end - p)) : NULL;
}

/* The Bias of the Period with this Id inside a definition (attribute order is free in XML), malloc'd. */
static char *period_bias(const char *def, const char *id)
{
	char needle[200];
	snprintf(needle, sizeof needle, "Id=\"%s\"", id);
	const char *hit = def ? strstr(def, needle) : NULL;
	if (!hit)
		return NULL;
	const char *start = hit;
	while (start > def && strncmp(start, "<t:Period ", 10))
		start--;
	const char *end = strchr(hit, '>'), *b = strstr(start, "Bias=\"");
	if (!end || !b || b > end)
		return NULL;
	return strndup(b + 6, strcspn(b + 6, "\""));
}

static void bias_is(const char *def, const char *id, const char *want)
{
	char *b = period_bias(def, id);
	if (!b || strcmp(b, want))
		fprintf(stderr, "\n  %s: Bias %s, expected %s\n", id, b ? b : "(none)", want);
	CU_ASSERT_STRING_EQUAL(b ? b : "", want);
	free(b);
}

static void every_zone_comes_with_its_periods_and_transitions_by_default(void)
{
	char *r = post("<m:GetServerTimeZones/>");
	char *code = r ? xml_text(r, "ResponseCode", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(code ? code : "", "NoError");
	CU_ASSERT(r && xml_count(r, "TimeZoneDefinition") >= 20);
	CU_ASSERT(r && xml_count(r, "GetServerTimeZonesResponseMessage") == 1);
	char *est = definition(r, "Eastern Standard Time");
	CU_ASSERT_PTR_NOT_NULL_FATAL(est);
	CU_ASSERT(strstr(est, "Name=\"(UTC-05:00) Eastern Time (US &amp; Canada)\"") != NULL);
	CU_ASSERT_EQUAL(xml_count(est, "Period"), 4);
	bias_is(est, "trule:Microsoft/Registry/EasternStandardTime/2007-Standard", "PT5H");
	bias_is(est, "trule:Microsoft/Registry/EasternStandardTime/2007-Daylight", "PT4H");
	bias_is(est, "trule:Microsoft/Registry/EasternStandardTime/2006-Daylight", "PT4H");
	CU_ASSERT_EQUAL(xml_count(est, "TransitionsGroup"), 2);
	/* 2007-: second Sunday of March at 02:00 to daylight time, first Sunday of November back */
	CU_ASSERT(strstr(est, "<t:TransitionsGroup Id=\"1\"><t:RecurringDayTransition><t:To Kind=\"Period\">"
			      "trule:Microsoft/Registry/EasternStandardTime/2007-Daylight</t:To><t:TimeOffset>PT2H"
			      "</t:TimeOffset><t:Month>3</t:Month><t:DayOfWeek>Sunday</t:DayOfWeek><t:Occurrence>2"
			      "</t:Occurrence></t:RecurringDayTransition>") != NULL);
	CU_ASSERT(strstr(est, "<t:Month>11</t:Month><t:DayOfWeek>Sunday</t:DayOfWeek><t:Occurrence>1</t:Occurrence>") != NULL);
	CU_ASSERT(strstr(est, "<t:Transitions><t:Transition><t:To Kind=\"Group\">0</t:To></t:Transition>"
			      "<t:AbsoluteDateTransition><t:To Kind=\"Group\">1</t:To><t:DateTime>2007-01-01T00:00:00"
			      "</t:DateTime></t:AbsoluteDateTransition></t:Transitions>") != NULL);
	free(est);
	/* east of UTC: negative biases; Europe's last Sunday of March (-1) */
	char *cet = definition(r, "W. Europe Standard Time");
	CU_ASSERT_PTR_NOT_NULL_FATAL(cet);
	bias_is(cet, "trule:Microsoft/Registry/W.EuropeStandardTime/1996-Standard", "-PT1H");
	bias_is(cet, "trule:Microsoft/Registry/W.EuropeStandardTime/1996-Daylight", "-PT2H");
	CU_ASSERT(strstr(cet, "<t:TimeOffset>PT2H</t:TimeOffset><t:Month>3</t:Month><t:DayOfWeek>Sunday</t:DayOfWeek>"
			      "<t:Occurrence>-1</t:Occurrence>") != NULL);
	free(cet);
	char *india = definition(r, "India Standard Time");
	CU_ASSERT(india && strstr(india, "Bias=\"-PT5H30M\"") && xml_count(india, "Period") == 1 &&
		  !strstr(india, "RecurringDayTransition"));
	free(india);
	char *utc = definition(r, "UTC");
	CU_ASSERT(utc && strstr(utc, "Bias=\"PT0M\""));
	free(utc), free(code), free(r);
}

static void ids_without_full_data_give_id_and_name_in_the_order_asked(void)
{
	char *r = post("<m:GetServerTimeZones ReturnFullTimeZoneData=\"false\"><m:Ids><t:Id>Pacific Standard Time</t:Id>"
		       "<t:Id>No Such Zone</t:Id><t:Id>Eastern Standard Time</t:Id></m:Ids></m:GetServerTimeZones>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(xml_count(r, "TimeZoneDefinition"), 2);      /* an unknown Id is left out */
	char *first = xml_attr(r, "TimeZoneDefinition", "Id", 0), *second = xml_attr(r, "TimeZoneDefinition", "Id", 1);
	CU_ASSERT_STRING_EQUAL(first ? first : "", "Pacific Standard Time");
	CU_ASSERT_STRING_EQUAL(second ? second : "", "Eastern Standard Time");
	char *name = xml_attr(r, "TimeZoneDefinition", "Name", 0);
	CU_ASSERT_STRING_EQUAL(name ? name : "", "(UTC-08:00) Pacific Time (US &amp; Canada)");
	CU_ASSERT_EQUAL(xml_count(r, "Periods"), 0);
	free(first), free(second), free(name), free(r);
	/* one Id with full data: that zone only, with its definition */
	r = post("<m:GetServerTimeZones ReturnFullTimeZoneData=\"true\"><m:Ids><t:Id>AUS Eastern Standard Time</t:Id>"
		 "</m:Ids></m:GetServerTimeZones>");
	CU_ASSERT(r && xml_count(r, "TimeZoneDefinition") == 1 && xml_count(r, "Periods") == 1);
	/* southern hemisphere: daylight time from October's first Sunday */
	CU_ASSERT(r && strstr(r, "<t:Month>10</t:Month><t:DayOfWeek>Sunday</t:DayOfWeek><t:Occurrence>1</t:Occurrence>"));
	free(r);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "every zone comes with its periods and transitions by default",
		  every_zone_comes_with_its_periods_and_transitions_by_default },
		{ "Ids without full data give Id and Name in the order asked",
		  ids_without_full_data_give_id_and_name_in_the_order_asked },
		{ NULL, NULL }
	};
	if (!ews_operation_find("GetServerTimeZones")) {
		printf("ewsd GetServerTimeZones: skipped: the bindings' schema has no GetServerTimeZones\n");
		return 0;
	}
	if (ewsd_start(&srv, NULL, NULL)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd GetServerTimeZones", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
