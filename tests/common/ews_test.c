/* ews_test.c — helpers shared by the CUnit suites. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <CUnit/Basic.h>

#include "ews_operations.h"
#include "ews_schema.h"
#include "ews_test.h"

void ews_test_skip_missing(const char *check, const char *what)
{
	printf("  skipped: %s: the schema set %s has no %s\n", check, EWS_SCHEMA_NAME, what);
}

int ews_test_needs(int have, const char *what, const char *check)
{
	if (have)
		return 1;
	printf("\n");   /* after CUnit's "Test: ... " */
	ews_test_skip_missing(check, what);
	return 0;
}

int ews_test_have_op(const char *op, const char *check)
{
	char what[128];

	snprintf(what, sizeof what, "operation %s", op);
	return ews_test_needs(ews_operation_find(op) != NULL, what, check);
}

int ews_test_run(const char *suite, const struct ews_test_case *cases)
{
	CU_pSuite s;
	unsigned failed;
	int runnable = 0, skipped = 0;

	for (const struct ews_test_case *c = cases; c->name; c++)
		c->fn ? runnable++ : skipped++;
	for (const struct ews_test_case *c = cases; skipped && c->name; c++)
		if (!c->fn)
			ews_test_skip_missing(c->name, c->name + strlen(c->name) + 1);   /* EWS_TEST_NEEDS_MISSING */
	if (!runnable && skipped) {
		printf("%s: skipped: every case needs what the schema set %s lacks (listed above)\n", suite,
		       EWS_SCHEMA_NAME);
		return 0;
	}
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	ews_test_reader_check_install();   /* the fast reader against gSOAP, in every suite (reader_check.c) */
	s = CU_add_suite(suite, NULL, NULL);
	for (; s && cases->name; cases++)
		if (cases->fn)
			CU_add_test(s, cases->name, cases->fn);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_tests_failed();
	if (ews_test_reader_checked() || ews_test_reader_left())
		printf("reader check: %ld responses the fast reader decoded were decoded alike by gSOAP; %ld left to "
		       "gSOAP\n", ews_test_reader_checked(), ews_test_reader_left());
	CU_cleanup_registry();
	return failed ? 1 : 0;
}

char *ews_test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) != NULL) {
		if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
			if (len)
				*len = (size_t)n;
		}
	}
	fclose(f);
	return buf;
}

const char *ews_test_shared_dir(void)
{
	const char *d = getenv("EWS_SHARED");
	return d && *d ? d : "../shared";
}

const char *ews_test_shared_path(const char *rel)
{
	static char path[4096];
	snprintf(path, sizeof path, "%s/%s", ews_test_shared_dir(), rel);
	return path;
}

const char *ews_test_build_dir(void)
{
	const char *d = getenv("EWS_BUILD");
	return d && *d ? d : "build";
}

int ews_test_xml_blocks(const char *text, char ***blocks)
{
	const char *p = text;
	int n = 0;
	char **out = NULL;

	*blocks = NULL;
	while ((p = strstr(p, "```XML")) != NULL || (p = NULL, 0)) {
		const char *start = strchr(p, '\n'), *end;
		char **grown;
		if (!start)
			break;
		start++;
		end = strstr(start, "```");
		if (!end)
			break;
		grown = realloc(out, sizeof *out * (size_t)(n + 1));
		if (!grown)
			break;
		out = grown;
		out[n] = strndup(start, (size_t)(end - start));
		if (!out[n])
			break;
		n++;
		p = end + 3;
	}
	*blocks = out;
	return n;
}

void ews_test_free_blocks(char **blocks, int n)
{
	for (int i = 0; i < n; i++)
		free(blocks[i]);
	free(blocks);
}
