/* test_cli.c — ews/cli.h, the shared conventions of the ews-* commands: flags over the environment, exit codes,
 * JSON strings, folder arguments, atomic file replacement. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "soapH.h"
#include "ews_test.h"
#include "ews/cli.h"

static void flags_override_the_environment(void)
{
	char *argv[] = { "x", "--url", "http://flag/EWS", "--user", "flaguser", "--json", "--other", NULL };
	int argc = 7, i, taken = 0, other = 0;
	ews_cli cli;

	setenv("EWS_URL", "http://env/EWS", 1);
	setenv("EWS_USER", "envuser", 1);
	setenv("EWS_PASSWORD", "envpass", 1);
	unsetenv("EWS_AUTH");
	CU_ASSERT_TRUE(ews_ok(ews_cli_init(&cli, "x")));
	CU_ASSERT_STRING_EQUAL(cli.opt.url, "http://env/EWS");
	for (i = 1; i < argc; i++) {
		int r = ews_cli_flag(&cli, argc, argv, &i);
		CU_ASSERT(r >= 0);
		taken += r > 0;
		other += r == 0;
	}
	CU_ASSERT_EQUAL(taken, 3);
	CU_ASSERT_EQUAL(other, 1);             /* --other is the command's own */
	CU_ASSERT_STRING_EQUAL(cli.opt.url, "http://flag/EWS");
	CU_ASSERT_STRING_EQUAL(cli.opt.user, "flaguser");
	CU_ASSERT_STRING_EQUAL(cli.opt.password, "envpass");
	CU_ASSERT_EQUAL(cli.json, 1);
	unsetenv("EWS_URL");
	unsetenv("EWS_USER");
	unsetenv("EWS_PASSWORD");
}

/* --user/--password on the command line beat a stale EWS_TOKEN (and the reverse), as curl's flags beat its
 * environment; an explicit --auth still decides. ews_cli_connect makes the client without a request. */
static void a_credential_flag_overrides_environment_credentials_of_the_other_kind(void)
{
	char *argv1[] = { "x", "--url", "http://127.0.0.1:1/EWS/Exchange.asmx", "--user", "u", "--password", "p", NULL };
	char *argv2[] = { "x", "--url", "http://127.0.0.1:1/EWS/Exchange.asmx", "--token", "fresh", NULL };
	char *argv3[] = { "x", "--url", "http://127.0.0.1:1/EWS/Exchange.asmx", "--user", "u", "--auth", "ntlm", NULL };
	ews_client *c = NULL;
	ews_cli cli;
	int i;

	setenv("EWS_TOKEN", "stale", 1);
	setenv("EWS_AUTH", "bearer", 1);
	CU_ASSERT_TRUE_FATAL(ews_ok(ews_cli_init(&cli, "x")));
	for (i = 1; i < 7; i++)
		CU_ASSERT_EQUAL(ews_cli_flag(&cli, 7, argv1, &i), EWS_CLI_TAKEN);
	CU_ASSERT_EQUAL_FATAL(ews_cli_connect(&cli, &c), EWS_EXIT_OK);
	CU_ASSERT_PTR_NULL(cli.opt.token);
	CU_ASSERT_EQUAL(cli.opt.auth, EWS_AUTH_BASIC);
	ews_client_free(c);
	unsetenv("EWS_TOKEN");
	unsetenv("EWS_AUTH");

	setenv("EWS_USER", "envuser", 1);
	setenv("EWS_PASSWORD", "envpass", 1);
	CU_ASSERT_TRUE_FATAL(ews_ok(ews_cli_init(&cli, "x")));
	CU_ASSERT_EQUAL(cli.opt.auth, EWS_AUTH_BASIC);
	for (i = 1; i < 5; i++)
		CU_ASSERT_EQUAL(ews_cli_flag(&cli, 5, argv2, &i), EWS_CLI_TAKEN);
	CU_ASSERT_EQUAL_FATAL(ews_cli_connect(&cli, &c), EWS_EXIT_OK);
	CU_ASSERT_EQUAL(cli.opt.auth, EWS_AUTH_BEARER);
	CU_ASSERT_PTR_NULL(cli.opt.user);
	CU_ASSERT_PTR_NULL(cli.opt.password);
	ews_client_free(c);

	/* same kind: the flag's user with the environment's password; --auth is never second-guessed */
	setenv("EWS_TOKEN", "stale", 1);
	CU_ASSERT_TRUE_FATAL(ews_ok(ews_cli_init(&cli, "x")));
	for (i = 1; i < 7; i++)
		CU_ASSERT_EQUAL(ews_cli_flag(&cli, 7, argv3, &i), EWS_CLI_TAKEN);
	CU_ASSERT_EQUAL_FATAL(ews_cli_connect(&cli, &c), EWS_EXIT_OK);
	CU_ASSERT_EQUAL(cli.opt.auth, EWS_AUTH_NTLM);
	CU_ASSERT_STRING_EQUAL(cli.opt.user, "u");
	CU_ASSERT_STRING_EQUAL(cli.opt.password, "envpass");
	CU_ASSERT_PTR_NULL(cli.opt.token);
	ews_client_free(c);
	unsetenv("EWS_TOKEN");
	unsetenv("EWS_USER");
	unsetenv("EWS_PASSWORD");
}

static void url_schemes_are_case_insensitive(void)
{
	char *argv1[] = { "x", "--url", "HTTP://127.0.0.1:1/EWS/Exchange.asmx", NULL };
	char *argv2[] = { "x", "--url", "ftp://127.0.0.1:1/EWS/Exchange.asmx", NULL };
	ews_client *c = NULL;
	ews_cli cli;
	int i = 1;

	CU_ASSERT_TRUE_FATAL(ews_ok(ews_cli_init(&cli, "x")));
	CU_ASSERT_EQUAL(ews_cli_flag(&cli, 3, argv1, &i), EWS_CLI_TAKEN);
	CU_ASSERT_EQUAL_FATAL(ews_cli_connect(&cli, &c), EWS_EXIT_OK);
	CU_ASSERT_STRING_EQUAL(ews_client_url(c), "http://127.0.0.1:1/EWS/Exchange.asmx");
	ews_client_free(c);
	i = 1;
	CU_ASSERT_TRUE_FATAL(ews_ok(ews_cli_init(&cli, "x")));
	CU_ASSERT_EQUAL(ews_cli_flag(&cli, 3, argv2, &i), EWS_CLI_TAKEN);
	CU_ASSERT_EQUAL(ews_cli_connect(&cli, &c), EWS_EXIT_USAGE);   /* still refused: not http(s) */
	CU_ASSERT_PTR_NULL(c);
}

static void numbers_are_whole_and_in_range(void)
{
	ews_cli cli;
	long v = -7;
	ews_cli_init(&cli, "x");
	CU_ASSERT_EQUAL(ews_cli_int(&cli, "--page-size", "1000", 1, 1000, &v), 0);
	CU_ASSERT_EQUAL(v, 1000);
	CU_ASSERT_EQUAL(ews_cli_int(&cli, "--page-size", "1001", 1, 1000, &v), -1);
	CU_ASSERT_EQUAL(ews_cli_int(&cli, "--page-size", "0", 1, 1000, &v), -1);
	CU_ASSERT_EQUAL(ews_cli_int(&cli, "--page-size", "10x", 1, 1000, &v), -1);
	CU_ASSERT_EQUAL(ews_cli_int(&cli, "--page-size", "", 1, 1000, &v), -1);
	CU_ASSERT_EQUAL(ews_cli_int(&cli, "--page-size", "99999999999999999999", 1, 1000, &v), -1);
	CU_ASSERT_EQUAL(ews_cli_int(&cli, "--page-size", NULL, 1, 1000, &v), -1);
	CU_ASSERT_EQUAL(v, 1000);              /* untouched by the failures */
}

static void a_flag_without_its_value_or_a_bad_value_is_a_usage_error(void)
{
	char *argv1[] = { "x", "--url", NULL };
	char *argv2[] = { "x", "--auth", "kerberos", NULL };
	char *argv3[] = { "x", "--attempts", "0", NULL };
	ews_cli cli;
	int i = 1;
	ews_cli_init(&cli, "x");
	CU_ASSERT_EQUAL(ews_cli_flag(&cli, 2, argv1, &i), -1);
	i = 1;
	CU_ASSERT_EQUAL(ews_cli_flag(&cli, 3, argv2, &i), -1);
	i = 1;
	CU_ASSERT_EQUAL(ews_cli_flag(&cli, 3, argv3, &i), -1);
	char *argv4[] = { "x", "--server-version", "Exchange2010_SP2", "--version", NULL };
	i = 1;
	CU_ASSERT_EQUAL(ews_cli_flag(&cli, 4, argv4, &i), EWS_CLI_TAKEN);
	CU_ASSERT_STRING_EQUAL(cli.opt.server_version, "Exchange2010_SP2");
	i = 3;
	CU_ASSERT_EQUAL(ews_cli_flag(&cli, 4, argv4, &i), EWS_CLI_DONE);   /* --version takes no value now */
	CU_ASSERT_EQUAL(i, 3);
}

static int usage_calls;
static void count_usage(FILE *f) { (void)f; usage_calls++; }

static void the_argument_loop_takes_common_flags_own_options_and_operands(void)
{
	ews_cli cli;
	const char *dir = NULL;
	int quiet = 0, n = -1;
	const ews_cli_opt opts[] = { { "--dir", .value = &dir }, { "--quiet", .on = &quiet, .set = 1 }, { NULL } };
	char *argv1[] = { "x", "A", "--json", "--dir", "d", "-", "--quiet", "B", NULL };
	CU_ASSERT_FATAL(ews_ok(ews_cli_init(&cli, "x")));
	CU_ASSERT_EQUAL(ews_cli_parse(&cli, 8, argv1, opts, count_usage, &n), -1);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_STRING_EQUAL(argv1[0], "A");
	CU_ASSERT_STRING_EQUAL(argv1[1], "-");
	CU_ASSERT_STRING_EQUAL(argv1[2], "B");
	CU_ASSERT_STRING_EQUAL(dir ? dir : "", "d");
	CU_ASSERT_EQUAL(quiet, 1);
	CU_ASSERT_EQUAL(cli.json, 1);

	char *argv2[] = { "x", "--dir", NULL };
	char *argv3[] = { "x", "--nope", NULL };
	char *argv4[] = { "x", "A", "-h", NULL };
	CU_ASSERT_FATAL(ews_ok(ews_cli_init(&cli, "x")));
	CU_ASSERT_EQUAL(ews_cli_parse(&cli, 2, argv2, opts, count_usage, &n), EWS_EXIT_USAGE);
	CU_ASSERT_EQUAL(ews_cli_parse(&cli, 2, argv3, opts, count_usage, &n), EWS_EXIT_USAGE);
	CU_ASSERT_EQUAL(usage_calls, 0);
	CU_ASSERT_EQUAL(ews_cli_parse(&cli, 3, argv4, opts, count_usage, &n), EWS_EXIT_OK);
	CU_ASSERT_EQUAL(usage_calls, 1);
}

static void the_option_table_takes_numbers_lists_value_pairs_and_shared_switches(void)
{
	ews_cli cli;
	const char *to[2], *from = NULL, *until = NULL;
	int nto = 0, how = 7, n = -1;
	long batch = 20;
	const ews_cli_opt opts[] = { { "--batch", .number = &batch, .lo = 1, .hi = 500 },
				     { "--to", .list = to, .count = &nto, .max = 2 },
				     { "--span", .value = &from, .second = &until },
				     { "--hard", .on = &how, .set = 0 }, { "--soft", .on = &how, .set = 1 },
				     EWS_CLI_ARCHIVE_OPT(cli), { NULL } };
	char *argv1[] = { "x", "--to", "a", "--batch", "500", "--hard", "--span", "F", "T", "--to", "b",
			  "--archive", "--soft", "--hard", NULL };
	CU_ASSERT_FATAL(ews_ok(ews_cli_init(&cli, "x")));
	CU_ASSERT_EQUAL(ews_cli_parse(&cli, 14, argv1, opts, count_usage, &n), -1);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL(batch, 500);
	CU_ASSERT_EQUAL(nto, 2);
	CU_ASSERT_STRING_EQUAL(nto == 2 ? to[1] : "", "b");
	CU_ASSERT_STRING_EQUAL(from ? from : "", "F");
	CU_ASSERT_STRING_EQUAL(until ? until : "", "T");
	CU_ASSERT_EQUAL(how, 0);        /* the last of the switches sharing it, even when it sets 0 */
	CU_ASSERT_EQUAL(cli.archive, 1);
	CU_ASSERT_EQUAL(ews_cli_no_operands(&cli, n, argv1), -1);

	/* each kind's usage error: out of range, one too many, the second value missing, an operand refused */
	char *argv2[] = { "x", "--batch", "501", NULL };
	char *argv3[] = { "x", "--to", "a", "--to", "b", "--to", "c", NULL };
	char *argv4[] = { "x", "--span", "F", NULL };
	char *argv5[] = { "x", "stray", NULL };
	nto = 0;
	CU_ASSERT_EQUAL(ews_cli_parse(&cli, 3, argv2, opts, count_usage, &n), EWS_EXIT_USAGE);
	CU_ASSERT_EQUAL(ews_cli_parse(&cli, 7, argv3, opts, count_usage, &n), EWS_EXIT_USAGE);
	CU_ASSERT_EQUAL(nto, 2);
	CU_ASSERT_EQUAL(ews_cli_parse(&cli, 3, argv4, opts, count_usage, &n), EWS_EXIT_USAGE);
	CU_ASSERT_EQUAL(ews_cli_parse(&cli, 2, argv5, opts, count_usage, &n), -1);
	CU_ASSERT_EQUAL(ews_cli_no_operands(&cli, n, argv5), EWS_EXIT_USAGE);
}

static void exit_codes_follow_the_status(void)
{
	CU_ASSERT_EQUAL(ews_cli_exit_code(ews_status_ok()), 0);
	CU_ASSERT_EQUAL(ews_cli_exit_code(ews_status_make(EWS_ERR_AUTH, "x")), EWS_EXIT_AUTH);
	CU_ASSERT_EQUAL(ews_cli_exit_code(ews_status_make(EWS_ERR_CONNECT, "x")), EWS_EXIT_CONNECT);
	CU_ASSERT_EQUAL(ews_cli_exit_code(ews_status_make(EWS_ERR_TLS, "x")), EWS_EXIT_CONNECT);
	CU_ASSERT_EQUAL(ews_cli_exit_code(ews_status_make(EWS_ERR_TIMEOUT, "x")), EWS_EXIT_CONNECT);
	CU_ASSERT_EQUAL(ews_cli_exit_code(ews_status_make(EWS_ERR_ARGUMENT, "x")), EWS_EXIT_USAGE);
	CU_ASSERT_EQUAL(ews_cli_exit_code(ews_status_make(EWS_ERR_RESPONSE, "x")), EWS_EXIT_PARTIAL);
	CU_ASSERT_EQUAL(ews_cli_exit_code(ews_status_make(EWS_ERR_FORMAT, "x")), EWS_EXIT_PARTIAL);
	/* a connection closed mid-answer is the connection's fault, not a partial result */
	CU_ASSERT_EQUAL(ews_cli_exit_code(ews_status_make(EWS_ERR_IO, "x")), EWS_EXIT_CONNECT);
	CU_ASSERT_EQUAL(ews_cli_exit_code(ews_status_make(EWS_ERR_FILE, "disk full")), EWS_EXIT_PARTIAL);
	/* an answer that is not EWS: the URL is wrong, unless a gateway is down */
	ews_status http = ews_status_make(EWS_ERR_HTTP, "HTTP 404");
	http.http_status = 404;
	CU_ASSERT_EQUAL(ews_cli_exit_code(http), EWS_EXIT_NOT_EWS);
	http.http_status = 503;
	CU_ASSERT_EQUAL(ews_cli_exit_code(http), EWS_EXIT_CONNECT);
	CU_ASSERT_EQUAL(ews_cli_exit_code(ews_status_make(EWS_ERR_XML, "cut off")), EWS_EXIT_CONNECT);
	/* a local file that cannot be written is not a network problem */
	CU_ASSERT_EQUAL(ews_cli_file_error(NULL, "f", ews_status_make(EWS_ERR_FILE, "disk full")), EWS_EXIT_PARTIAL);
}

static void json_strings_are_escaped(void)
{
	char buf[256] = "";
	FILE *f = fmemopen(buf, sizeof buf, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	ews_cli_json_string(f, "a\"b\\c\n\x01");
	fputc(' ', f);
	ews_cli_json_string(f, NULL);
	fclose(f);
	CU_ASSERT_STRING_EQUAL(buf, "\"a\\\"b\\\\c\\u000a\\u0001\" null");
}

static void a_summary_line_has_its_fields_in_order(void)
{
	char buf[256] = "";
	FILE *f = fmemopen(buf, sizeof buf, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	ews_cli_json_summary(f, 0, (const ews_cli_field[]){ EWS_CLI_COUNT("exported", 35), EWS_CLI_COUNT("failed", -1),
	                                                    EWS_CLI_FLAG("interrupted", 7), { 0 } });
	ews_cli_json_summary(f, 1, (const ews_cli_field[]){ { 0 } });
	fclose(f);
	CU_ASSERT_STRING_EQUAL(buf, "{\"type\":\"summary\",\"ok\":false,\"exported\":35,\"failed\":-1,\"interrupted\":true}\n"
	                            "{\"type\":\"summary\",\"ok\":true}\n");
}

/* Items failing one after another with the same local file error (a full disk under a batch) are said once and
 * counted; another error, or the end, says the count; with --json each item keeps its line. */
static void repeated_item_file_errors_are_said_once_with_their_count(void)
{
	char path[] = "/tmp/ews-cli-fold-XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	CU_ASSERT_FATAL(fd >= 0 && saved >= 0);
	fflush(stderr);
	dup2(fd, 2);
	ews_cli cli = { .prog = "t" };
	ews_status full = ews_status_make(EWS_ERR_FILE, "cannot write to the pack of D: No space left on device");
	ews_status other = ews_status_make(EWS_ERR_FILE, "cannot write D/b.ews: Read-only file system");
	ews_status server = ews_status_make(EWS_ERR_RESPONSE, "The specified object was not found in the store.");
	for (int i = 0; i < 4; i++)
		ews_cli_item_error(&cli, "id1", full);
	ews_cli_item_error(&cli, "id5", other);
	ews_cli_item_error(&cli, "id6", server);
	ews_cli_item_error(&cli, "id7", server);   /* a server's per-item errors name their items: never folded */
	ews_cli_item_error(&cli, "id8", full);
	ews_cli_item_error(&cli, "id9", full);
	ews_cli_item_errors_end(&cli);
	ews_cli_item_errors_end(&cli);             /* (nothing more to say) */
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	char buf[2048] = "";
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	close(fd);
	unlink(path);
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_STRING_EQUAL(buf, "t: id1: cannot write to the pack of D: No space left on device\n"
	                            "t: ... and 3 more items: the same error\n"
	                            "t: id5: cannot write D/b.ews: Read-only file system\n"
	                            "t: id6: The specified object was not found in the store.\n"
	                            "t: id7: The specified object was not found in the store.\n"
	                            "t: id8: cannot write to the pack of D: No space left on device\n"
	                            "t: ... and 1 more item: the same error\n");
}

static void distinguished_names_and_folder_ids_are_told_apart(void)
{
	struct soap *soap = soap_new();
	struct ewstype__NonEmptyArrayOfBaseFolderIdsType *a = ews_cli_folder_ids(soap, "inbox");
	struct ewstype__NonEmptyArrayOfBaseFolderIdsType *b = ews_cli_folder_ids(soap, "AAMkAGI3");
	struct ewstype__TargetFolderIdType *t = ews_cli_target_folder(soap, "calendar");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(a->__union_NonEmptyArrayOfBaseFolderIdsType->__union_NonEmptyArrayOfBaseFolderIdsType,
			SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseFolderIdsType_DistinguishedFolderId);
	CU_ASSERT_EQUAL(a->__union_NonEmptyArrayOfBaseFolderIdsType->union_NonEmptyArrayOfBaseFolderIdsType
				.DistinguishedFolderId->Id, ewstype__DistinguishedFolderIdNameType__inbox);
	CU_ASSERT_EQUAL(b->__union_NonEmptyArrayOfBaseFolderIdsType->__union_NonEmptyArrayOfBaseFolderIdsType,
			SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseFolderIdsType_FolderId);
	CU_ASSERT_STRING_EQUAL(b->__union_NonEmptyArrayOfBaseFolderIdsType->union_NonEmptyArrayOfBaseFolderIdsType
				       .FolderId->Id, "AAMkAGI3");
	CU_ASSERT_EQUAL(t->__union_TargetFolderIdType, SOAP_UNION__ewstype__union_TargetFolderIdType_DistinguishedFolderId);
	/* names in any case, as ews-find-folders prints them ("Inbox") */
	struct ewstype__NonEmptyArrayOfBaseFolderIdsType *d = ews_cli_folder_ids(soap, "JunkEmail");
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(d->__union_NonEmptyArrayOfBaseFolderIdsType->union_NonEmptyArrayOfBaseFolderIdsType
				.DistinguishedFolderId->Id, ewstype__DistinguishedFolderIdNameType__junkemail);
	struct ewstype__TargetFolderIdType *u = ews_cli_target_folder(soap, "INBOX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	CU_ASSERT_EQUAL(u->union_TargetFolderIdType.DistinguishedFolderId->Id, ewstype__DistinguishedFolderIdNameType__inbox);
	CU_ASSERT_EQUAL(soap->error, SOAP_OK);
	CU_ASSERT_PTR_NULL(ews_cli_folder_ids(soap, NULL));
	soap_destroy(soap);
	soap_end(soap);
	soap_free(soap);
}

static void files_are_replaced_whole_and_read_back(void)
{
	char dir[] = "/tmp/ews-cli-test.XXXXXX", path[64], *data = NULL;
	size_t len = 0;
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/state", dir);
	CU_ASSERT_EQUAL(ews_cli_read_file(path, 0, &data, &len).code, EWS_ERR_NOT_FOUND);
	CU_ASSERT_TRUE(ews_ok(ews_cli_write_file(path, "first", 5)));
	CU_ASSERT_TRUE(ews_ok(ews_cli_write_file(path, "second", 6)));
	CU_ASSERT_TRUE(ews_ok(ews_cli_read_file(path, 0, &data, &len)));
	CU_ASSERT_EQUAL(len, 6);
	CU_ASSERT_STRING_EQUAL(data, "second");
	free(data);
	CU_ASSERT_EQUAL(ews_cli_read_file(path, 3, &data, &len).code, EWS_ERR_TOO_LARGE);
	CU_ASSERT_PTR_NULL(data);
	snprintf(path, sizeof path, "%s/state.tmp", dir);
	CU_ASSERT_NOT_EQUAL(access(path, F_OK), 0);          /* no temporary left behind */
	snprintf(path, sizeof path, "%s/state", dir);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "flags override the environment; other arguments are left to the command", flags_override_the_environment },
		{ "a credential flag overrides environment credentials of the other kind",
		  a_credential_flag_overrides_environment_credentials_of_the_other_kind },
		{ "URL schemes are case-insensitive", url_schemes_are_case_insensitive },
		{ "numbers are whole and in range", numbers_are_whole_and_in_range },
		{ "a flag without its value, or a bad value, is a usage error; --version takes no value",
		  a_flag_without_its_value_or_a_bad_value_is_a_usage_error },
		{ "the argument loop takes common flags, own options and operands; --help, unknown and valueless options stop it",
		  the_argument_loop_takes_common_flags_own_options_and_operands },
		{ "the option table takes numbers in range, repeated values up to a cap, value pairs and switches that share a setting",
		  the_option_table_takes_numbers_lists_value_pairs_and_shared_switches },
		{ "exit codes follow the status: auth 3, connection 4, not EWS 5, usage 2, other 1", exit_codes_follow_the_status },
		{ "JSON strings are escaped; NULL is null", json_strings_are_escaped },
		{ "a summary line has its fields in order", a_summary_line_has_its_fields_in_order },
		{ "repeated item file errors are said once with their count",
		  repeated_item_file_errors_are_said_once_with_their_count },
		{ "distinguished names and folder ids are told apart", distinguished_names_and_folder_ids_are_told_apart },
		{ "state files are replaced whole and read back, with a size cap", files_are_replaced_whole_and_read_back },
		{ NULL, NULL }
	};
	return ews_test_run("cli", cases);
}
