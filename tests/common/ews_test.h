/* ews_test.h — small helpers shared by the CUnit suites: files, the shared/ material, a suite runner. */
#ifndef EWS_TEST_H
#define EWS_TEST_H

#include <stddef.h>
#include <CUnit/CUnit.h>

struct ews_test_case {
	const char *name;           /* reads as a sentence: "decodes the three exported items" */
	void (*fn)(void);
};

/* Run the cases as one CUnit suite (basic mode, verbose) and return the process exit code. */
int ews_test_run(const char *suite, const struct ews_test_case *cases);

/* Whole file into a NUL-terminated malloc'd buffer (caller frees); NULL if unreadable. *len may be NULL. */
char *ews_test_read_file(const char *path, size_t *len);

/* Directory of the read-only shared material: $EWS_SHARED, else ../shared. */
const char *ews_test_shared_dir(void);

/* Path under the shared directory, in a static buffer overwritten by the next call. */
const char *ews_test_shared_path(const char *rel);

/* The ```XML fenced blocks of a seed page, in order. Returns the count; *blocks is a malloc'd array of
 * malloc'd strings, freed with ews_test_free_blocks(). */
int ews_test_xml_blocks(const char *page_text, char ***blocks);
void ews_test_free_blocks(char **blocks, int n);

/* The build directory ($EWS_BUILD, else build): where bin/ewsd and bin/ews-* live. */
const char *ews_test_build_dir(void);

#endif
