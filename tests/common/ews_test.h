/* ews_test.h — small helpers shared by the CUnit suites: files, the shared/ material, a suite runner. */
#ifndef EWS_TEST_H
#define EWS_TEST_H

#include <stddef.h>
#include <CUnit/CUnit.h>

struct ews_test_case {
	const char *name;           /* reads as a sentence: "decodes the three exported items" */
	void (*fn)(void);
};

/* A case the bindings' schema set cannot express (an older official set: make check-official), in place of
 * { name, fn }, under #ifndef EWS_HAVE_OP_... or SOAP_TYPE_...: ews_test_run says it is skipped and why. Both
 * are string literals; what ("operation ExportItems") follows the name after its NUL, fn is NULL (two members
 * only: the suites' { name, fn } tables stay complete initializers under -Wextra). */
#define EWS_TEST_NEEDS_MISSING(name, what) { name "\0" what, NULL }

/* Run the cases as one CUnit suite (basic mode, verbose) and return the process exit code. A case marked
 * EWS_TEST_NEEDS_MISSING is not run: a line "  skipped: NAME: the schema set SET has no WHAT" says so; when
 * every case is, the suite prints "SUITE: skipped: ..." and runs nothing (tests/run-suites.sh counts it skipped). */
int ews_test_run(const char *suite, const struct ews_test_case *cases);
/* reader_check.c: compare every response the fast reader decodes with gSOAP's decode (installed by ews_test_run);
 * how many were compared so far in this process. */
void ews_test_reader_check_install(void);
long ews_test_reader_checked(void);
long ews_test_reader_left(void);  /* responses the reader left to gSOAP */

/* For a check inside a case that needs operation `op` ("ExportItems"): 1 when the bindings have it; else 0 after
 * the standard skip line for `check` (the case then returns: CUnit counts it passed, run-suites.sh the check
 * skipped). For cases whose code compiles against every set (requests written as XML text). */
int ews_test_have_op(const char *op, const char *check);

/* 1 when macro m is defined as 1 (the generated EWS_HAVE_OP_* and EWS_HAS_*: include ews_schema.h and
 * ews_schema_members.h), else 0, as an expression: a check written as XML text compiles against every set and
 * asks at run time, ews_test_needs(EWS_TEST_DEFINED(EWS_HAS_...), ...). Linux's IS_ENABLED() way: "1" pastes to
 * a placeholder that supplies an extra argument, anything else does not. */
#define EWS_TEST_PLACEHOLDER_1 0,
#define EWS_TEST_DEFINED(m) EWS_TEST_DEFINED_(m)
#define EWS_TEST_DEFINED_(value) EWS_TEST_DEFINED__(EWS_TEST_PLACEHOLDER_##value)
#define EWS_TEST_DEFINED__(arg_or_junk) EWS_TEST_SECOND_(arg_or_junk 1, 0, 0)
#define EWS_TEST_SECOND_(a, b, ...) b

/* For a check that needs what not every schema set has: returns have; when 0, first the standard skip line for
 * `check`, naming what ("member IsInline of AttachmentType (Exchange 2010)"). */
int ews_test_needs(int have, const char *what, const char *check);

/* Print the standard line for a check skipped because the bindings' schema set lacks `what` ("the operation
 * ExportItems"): "  skipped: CHECK: the schema set SET has no WHAT" (tests/run-suites.sh counts these). */
void ews_test_skip_missing(const char *check, const char *what);

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
