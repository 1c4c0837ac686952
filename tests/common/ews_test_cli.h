/* ews_test_cli.h — run the ews-* commands from a suite as a user would (a shell line, the build's bin/ first in
 * PATH) and pick values out of their --json lines. */
#ifndef EWS_TEST_CLI_H
#define EWS_TEST_CLI_H

struct ews_test_cli_run {
	int status;                 /* exit status, -1 when killed by a signal */
	char *out, *err;            /* everything it wrote (NUL-terminated, never NULL after a run) */
};

/* Run a shell command line (formatted) with stdout/stderr caught through files under `tmpdir`. Frees the
 * previous run's output held in r. Returns r->status. */
int ews_test_cli_run(struct ews_test_cli_run *r, const char *tmpdir, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ews_test_cli_run_free(struct ews_test_cli_run *r);

/* The value of "key" in the nth (from 0) JSON line of `text` whose "type" is `type` and that has `key`:
 * a string's characters (unescaped only of \" and \\) or a literal (number, true, null) as written. Malloc'd;
 * NULL when there is no such line. */
char *ews_test_json_field(const char *text, const char *type, int nth, const char *key);

/* How many lines of `text` have "type":"<type>" (and, when ok >= 0, "ok":true / "ok":false). */
int ews_test_json_lines(const char *text, const char *type, int ok);

#endif
