/* ewsd_asserts.c — CUnit assertions on ewsd's XML answers, shared by the ewsd suites: the value of the nth element,
 * attribute or ResponseCode equals what the reference page shows; on a mismatch the element and both values are
 * printed, since CUnit's own message only names this file's line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "ewsd_harness.h"

static void value_is(char *got, const char *what, int nth, const char *want)
{
	if (!got || strcmp(got, want))
		fprintf(stderr, "\n  %s[%d]: %s, expected %s\n", what, nth, got ? got : "(none)", want);
	CU_ASSERT_STRING_EQUAL(got ? got : "(none)", want);
	free(got);
}

void ewsd_text_is(const char *xml, const char *elem, int nth, const char *want)
{
	value_is(xml ? xml_text(xml, elem, nth) : NULL, elem, nth, want);
}

void ewsd_attr_is(const char *xml, const char *elem, const char *attr, int nth, const char *want)
{
	char what[160];
	snprintf(what, sizeof what, "%s/@%s", elem, attr);
	value_is(xml ? xml_attr(xml, elem, attr, nth) : NULL, what, nth, want);
}

void ewsd_code_is(const char *xml, int nth, const char *want)
{
	ewsd_text_is(xml, "ResponseCode", nth, want);
}
