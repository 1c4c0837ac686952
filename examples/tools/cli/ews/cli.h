/* ews/cli.h — what every ews-* command shares: connection flags over the EWS_* environment, --json, exit codes,
 * folder arguments, JSON strings and a terminal progress bar. For small tools; the library itself never prints.
 *
 *   ews_cli cli;
 *   ews_status st = ews_cli_init(&cli, "ews-get-item");          // the environment first ...
 *   if (!ews_ok(st)) return ews_cli_error(&cli, NULL, st);
 *   for (int i = 1; i < argc; i++) {
 *       int r = ews_cli_flag(&cli, argc, argv, &i);                 // ... then --url, --user, --json ... consumed here
 *       if (r != EWS_CLI_NOT_MINE) { if (r == EWS_CLI_TAKEN) continue; return r == EWS_CLI_DONE ? 0 : 2; }
 *       ... the command's own flags (ews_cli_int for numbers, ews_cli_usage_error for mistakes) and operands ...
 *   }
 *   ews_client *c;
 *   int rc = ews_cli_connect(&cli, &c);                             // prints the error, gives the exit code
 *   rc = ews_cli_resolve_folder(&cli, c, folder, &folder);         // "Inbox", "inbox/Projects", an id ...
 */
#ifndef EWS_CLI_H
#define EWS_CLI_H

#include <stdio.h>

#include "ews/client.h"
#include "ews/status.h"

#ifdef __cplusplus
extern "C" {
#endif

struct soap;
struct ewstype__NonEmptyArrayOfBaseFolderIdsType;
struct ewstype__TargetFolderIdType;

/* Exit codes of every ews-* command. */
enum ews_exit {
	EWS_EXIT_OK = 0,
	EWS_EXIT_PARTIAL = 1,   /* some or all of the work failed (per-item errors, server errors)  */
	EWS_EXIT_USAGE = 2,     /* bad flags or operands                                             */
	EWS_EXIT_AUTH = 3,      /* the server refused the credentials                               */
	EWS_EXIT_CONNECT = 4,   /* could not reach the server, or the exchange broke (refused, DNS, TLS, timeout,
	                           closed or cut off mid-answer, a garbled answer; HTTP 502/503/504 from a gateway) */
	EWS_EXIT_NOT_EWS = 5    /* the server answered with an HTTP status EWS does not use (404, 405, 400 without a
	                           SOAP message ...): the URL is probably wrong                                  */
};

/* What ews_cli_flag did with an argument. */
enum ews_cli_flag_result {
	EWS_CLI_BAD = -1,       /* a common flag with a missing or invalid value: the message is printed (exit 2)  */
	EWS_CLI_NOT_MINE = 0,   /* not a common flag: the command's own                                          */
	EWS_CLI_TAKEN = 1,      /* a common flag, taken (with its value)                                          */
	EWS_CLI_DONE = 2        /* --version: printed; the command exits 0                                        */
};

/* The library version these tools are built with (the Makefile's VERSION; a test keeps them equal). */
#define EWS_CLI_LIBRARY_VERSION "0.1.0"

/* The common settings of a command. Strings are borrowed from argv and the environment. */
typedef struct ews_cli {
	const char *prog;       /* "ews-find-items", used in messages          */
	ews_options opt;        /* what ews_client_new gets                    */
	int json;               /* --json: one JSON object per line on stdout  */
	int auth_flag;          /* --auth chose the method                     */
	int auth_env;           /* EWS_AUTH chose it (a credential flag of another kind overrides it) */
	int cred_flags;         /* which credential flags were given (EWS_CLI_CRED_*)                 */
	int verbose;            /* -v/--verbose: every library log line on stderr                     */
	char url[2048];         /* --url/EWS_URL with its scheme in lower case (HTTP:// is http://)   */
	const char *email;      /* --email/EWS_EMAIL: find the URL by autodiscover (ews_cli_autodiscover) */
	int email_flag;         /* --email was given (it then beats EWS_URL from the environment)     */
	const char *trust_hosts; /* --trust-host/EWS_TRUST_HOST: comma-separated hosts an unauthenticated
	                          * autodiscover redirect or SRV record may point to outside the domain */
	char version[32];       /* the RequestServerVersion autodiscover suggested                     */
	int archive;            /* --archive (folder tools): folder arguments are the archive mailbox's */
	int device;             /* --auth device: delegated OAuth2, device-code sign-in (ews_cli_device.c)      */
	const char *token_cache;    /* --token-cache FILE (default $XDG_CACHE_HOME/libews/tokens, ~/.cache/...) */
	const char *device_url;     /* --oauth2-device-url/EWS_OAUTH2_DEVICE_URL (default: the token URL's
	                             * ".../token" as ".../devicecode")                                         */
	ews_status fold;            /* ews_cli_item_error: the local file error items are failing with now      */
	long folded;                /* how many items after the first have failed with it                      */
} ews_cli;

enum { EWS_CLI_CRED_PASSWORD = 1, EWS_CLI_CRED_TOKEN = 2 };

/* Help text for the common flags, to append to a command's usage. */
#define EWS_CLI_COMMON_HELP                                                                                       \
	"connection (flags override the environment variable in brackets):\n"                                   \
	"  --url URL            endpoint, e.g. https://mail.example.com/EWS/Exchange.asmx  [EWS_URL]\n"         \
	"  --user USER          user name or SMTP address                             [EWS_USER]\n"             \
	"  --password PASSWORD  (prefer the environment: flags show up in ps)         [EWS_PASSWORD]\n"         \
	"  --token TOKEN        OAuth2 bearer token                                    [EWS_TOKEN]\n"           \
	"  --auth METHOD        basic, ntlm, negotiate, bearer, oauth2, device or none (default: guessed)  [EWS_AUTH]\n" \
	"                       negotiate: Kerberos ticket from kinit (KRB5CCNAME); --user/--password: NTLM fallback\n" \
	"                       device: sign in as a user with a code shown on stderr (OAuth2 device flow); needs\n" \
	"                       --client-id and --oauth2-token-url; later runs reuse and refresh the stored tokens\n" \
	"  --client-id ID       OAuth2 application (client) id                       [EWS_OAUTH2_CLIENT_ID]\n"  \
	"  --oauth2-token-url URL  OAuth2 token endpoint                              [EWS_OAUTH2_TOKEN_URL]\n"  \
	"  --oauth2-device-url URL device authorization endpoint (default: the token URL's /devicecode)\n"      \
	"  --token-cache FILE   where --auth device keeps tokens (0600; default ~/.cache/libews/tokens)\n"     \
	"  --server-version V   RequestServerVersion, e.g. Exchange2013_SP1            [EWS_VERSION]\n"         \
	"  --impersonate SMTP   act as this mailbox (ExchangeImpersonation)            [EWS_IMPERSONATE]\n"     \
	"  --email ADDRESS      find the URL by autodiscover instead of --url          [EWS_EMAIL]\n"          \
	"  --trust-host HOSTS   hosts (a,b) autodiscover may follow a redirect or SRV to [EWS_TRUST_HOST]\n"     \
	"  --ca-file PEM        extra trusted CA certificates                          [EWS_CA_FILE]\n"         \
	"  --insecure           do not verify the server certificate                   [EWS_INSECURE=1]\n"      \
	"  --attempts N         tries per call on busy servers and network errors, 1..100 (default 5)\n"       \
	"  --json               machine-readable output: one JSON object per line\n"                            \
	"  -v, --verbose        every library log line on stderr (retries are always shown)\n"                 \
	"  --version            print the tool, library and schema versions\n"                                  \
	"environment only: EWS_TIMEOUT (seconds a send or receive may wait), EWS_LOW_SPEED_LIMIT and\n"        \
	"EWS_LOW_SPEED_TIME (bytes/s over seconds, below which an answer is cut off), EWS_MAX_RESPONSE_BYTES\n"  \
	"(the largest answer taken, default 64 MiB: exports of items with large attachments may need more).\n"  \
	"a credential flag (--user/--password or --token) overrides credentials of the other kind in the\n"     \
	"environment. Folders (--folder): a distinguished name (inbox, junkemail ..., any case), a folder id,\n"\
	"or a path of display names from the top of the mailbox as ews-find-folders prints them (\"Inbox\",\n" \
	"\"Inbox/Projects/2025\").\n"                                                                            \
	"exit status: 0 ok, 1 partial failure, 2 usage (bad flags, operands or folder), 3 authentication,\n"   \
	"  4 connection (refused, DNS, TLS, timeout, dropped or cut-off answer), 5 not an EWS endpoint\n"         \
	"  (HTTP 404 and other statuses EWS does not answer with: check --url)\n"

/* Start from defaults plus the EWS_* environment (ews_options_from_env). EWS_ERR_ARGUMENT for a bad variable. */
ews_status ews_cli_init(ews_cli *cli, const char *prog);

/* Before a tool that moved much data returns from main: what libews and malloc keep freed for later given back
 * (ews_release_cached_memory, malloc_trim), so that the process does not hold it while libraries' exit handlers
 * run (OpenSSL's touch ~0.8 MiB of its code then: with the caches still resident, ews-backup's peak came at its
 * exit). */
void ews_cli_release_memory(void);

/* If argv[*i] is a common flag, take it (and its value, advancing *i) and return EWS_CLI_TAKEN; EWS_CLI_NOT_MINE
 * when it is not one; EWS_CLI_BAD when its value is missing or invalid (one line on stderr); EWS_CLI_DONE after
 * printing --version on stdout. */
int ews_cli_flag(ews_cli *cli, int argc, char **argv, int *i);

/* "prog: MESSAGE (see --help)" on stderr, one line; returns EWS_EXIT_USAGE. */
int ews_cli_usage_error(const ews_cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The value after flag argv[*i] (advancing *i), or NULL after "prog: FLAG needs a value (see --help)". */
const char *ews_cli_value(const ews_cli *cli, int argc, char **argv, int *i);

/* One option of a command's own, for ews_cli_parse; a table ends with { NULL }. Each entry is one kind, written
 * with designated initializers:
 *   { "--dir", .value = &dir }                     takes a value: argv's pointer stored in *value; with .second
 *                                                  too it takes two ("--occurrences FROM TO")
 *   { "--deep", .on = &deep, .set = 1 }            a switch: *on = set (several switches may share one int and
 *                                                  choose a setting each: --hard, --soft, --trash)
 *   { "--batch", .number = &n, .lo = 1, .hi = 500 } a whole number in lo..hi (ews_cli_int's message otherwise)
 *   { "--to", .list = to, .count = &nto, .max = 64 } repeatable: each value appended, at most max of them
 * (--archive: EWS_CLI_ARCHIVE_OPT below). */
typedef struct ews_cli_opt {
	const char *name;
	const char **value, **second;
	int *on, set;
	long *number, lo, hi;
	const char **list;
	int *count, max;
} ews_cli_opt;

/* The whole argument loop: common flags (ews_cli_flag), --help/-h (usage(stdout)), the options of opts, and the
 * operands, moved to argv[0..*n-1] in order. Returns -1 to go on, or the exit code main returns now (after --help,
 * --version, or a usage error whose message it printed). A command that takes no operands refuses them with
 * ews_cli_no_operands. */
int ews_cli_parse(ews_cli *cli, int argc, char **argv, const ews_cli_opt *opts, void (*usage)(FILE *), int *n);

/* EWS_EXIT_USAGE after "prog: unexpected operand X (see --help)" when n > 0 (operands left by ews_cli_parse in
 * argv[0..n-1]), else -1. */
int ews_cli_no_operands(const ews_cli *cli, int n, char **argv);

/* The value of a numeric flag: a whole number in lo..hi. 0 with *out set, or -1 after
 * "prog: FLAG must be a whole number from LO to HI (see --help)" on stderr. value may be NULL (missing). */
int ews_cli_int(const ews_cli *cli, const char *flag, const char *value, long lo, long hi, long *out);

/* What --version prints: "ews-x (libews 0.1.0)" and the schema the bindings were generated from (generated/STAMP,
 * ews_schema.h: the set's name and identity hash), and the gSOAP version. */
void ews_cli_print_version(const ews_cli *cli, FILE *f);

/* A tool that cannot work without some operations (ews-export-items: ExportItems) calls this before connecting:
 * EWS_EXIT_OK when the bindings have every one of ops (NULL-terminated), else prints that the bindings' schema set
 * lacks the first missing one (EWS_ERR_UNSUPPORTED, exit 1; older official sets: Exchange2007_SP1 has no
 * ExportItems) and returns the exit code. The tools are built against every set and keep all their features
 * with the default one. */
int ews_cli_require_ops(const ews_cli *cli, const char *const *ops);

/* Create the client (NULL url: cli->opt.url). Returns EWS_EXIT_OK with *out set (caller frees with
 * ews_client_free), or prints why not and returns the exit code (EWS_EXIT_USAGE when no URL is configured). */
int ews_cli_connect(ews_cli *cli, ews_client **out);
/* A second client like the first one ews_cli_connect made (its server is known by then: no second autodiscover;
 * --auth device uses the tokens the first cached), for an export that fetches ahead on a connection of its own.
 * The same contract as ews_cli_connect. */
int ews_cli_connect_another(ews_cli *cli, ews_client **out);
/* --auth device on a new client (ews_cli_connect calls it): EWS_EXIT_OK, or prints why not and returns the exit
 * code. */
int ews_cli_device_auth(ews_cli *cli, ews_client *c);

/* Find cli->opt.url (and, unless --server-version was given, the version) for cli->email by autodiscover
 * (ews/autodiscover.h) with the command's credentials and TLS settings; with --verbose the URL found and every
 * step are printed. The answer is cached in $EWS_AUTODISCOVER_CACHE, else $XDG_CACHE_HOME/ews-autodiscover or
 * ~/.cache/ews-autodiscover when that directory exists ("" turns the cache off). For tests:
 * EWS_AUTODISCOVER_RESOLVE="HOST:PORT:ADDRESS[:PORT2],..." (curl's --resolve/--connect-to) and
 * EWS_AUTODISCOVER_SRV="none" or "TARGET:PORT" (the SRV answer, instead of the system's resolver). Returns
 * EWS_EXIT_OK, or prints why not and returns 3 (credentials), 2 (bad address or option) or 4 (nothing found). */
int ews_cli_autodiscover(ews_cli *cli);

/* Print a failure as ews_cli_error does, with the exit code rc; returns rc. */
int ews_cli_report(const ews_cli *cli, const char *what, ews_status st, int rc);

/* The exit code for a failed status: AUTH 3; CONNECT, TLS, TIMEOUT, IO (a connection that broke), XML (an answer
 * cut off or garbled) and HTTP 502/503/504 4; other HTTP statuses 5; ARGUMENT 2; anything else 1. A failed local file is reported with ews_cli_file_error (1), not as a broken connection. */
int ews_cli_exit_code(ews_status st);

/* Print "prog: what: message [ResponseCode]" on stderr, or with --json {"type":"error","ok":false,...} on stdout; returns
 * ews_cli_exit_code(st). `what` may be NULL. */
int ews_cli_error(const ews_cli *cli, const char *what, ews_status st);

/* One item's failure (export, upload, backup), said as ews_cli_error says it. Without --json, items that fail one
 * after another with the same local file error are said once, then "... and N more items: the same error" (a
 * full disk fails a whole batch of 256 written into one pack, or every item whose manifest line it cannot take:
 * one cause, not 256 lines); with --json every item has its line. ews_cli_item_errors_end says the count before
 * anything else is printed (another message, the summary). */
void ews_cli_item_error(ews_cli *cli, const char *what, ews_status st);
void ews_cli_item_errors_end(ews_cli *cli);

/* ews_cli_error for a local file (read, write, directory): exit 1 whatever the code. */
int ews_cli_file_error(const ews_cli *cli, const char *path, ews_status st);

/* Write s as a JSON string literal (quotes included; NULL gives null). */
void ews_cli_json_string(FILE *f, const char *s);

/* The last line a tool prints with --json (ews_cli_summary.c): {"type":"summary","ok":OK,...} and a newline, the
 * fields in order, counts as numbers and flags as true/false, one shape for export, upload, sync and backup:
 *   ews_cli_json_summary(stdout, ok, (const ews_cli_field[]){ EWS_CLI_COUNT("exported", s.done),
 *                                                     EWS_CLI_FLAG("interrupted", s.interrupted), { 0 } });
 * `fields` ends with an entry whose key is NULL; keys are JSON-safe literals. */
typedef struct ews_cli_field {
	const char *key;
	long value;
	int is_flag;                        /* 1: printed as true/false */
} ews_cli_field;
#define EWS_CLI_COUNT(key, n) ((ews_cli_field){ (key), (long)(n), 0 })
#define EWS_CLI_FLAG(key, b)  ((ews_cli_field){ (key), (b) ? 1 : 0, 1 })
void ews_cli_json_summary(FILE *f, int ok, const ews_cli_field *fields);

/* Resolve a --folder argument once, before it is used: a distinguished name in any case ("Inbox", "JunkEmail")
 * gives the schema's spelling ("inbox"); something shaped like an EWS id is taken as a folder id; anything else
 * is a path of display names ("Junk Email", "inbox/Projects/2025": a first part that is a distinguished name
 * starts there, else at msgfolderroot), looked up level by level with FindFolder (Shallow), ignoring case. On
 * success *out is the distinguished name or the folder id (in the client's arena) and EWS_EXIT_OK is returned;
 * otherwise the error is printed, naming the part that is missing or ambiguous, the folders that are there and
 * the distinguished names, and the exit code returned (2 for a folder that does not exist). */
int ews_cli_resolve_folder(ews_cli *cli, ews_client *c, const char *folder, const char **out);

/* --archive, for the commands that name folders: an entry of their ews_cli_parse table setting cli->archive.
 * With it, ews_cli_resolve_folder maps the mailbox's distinguished names to the archive mailbox's (inbox ->
 * archiveinbox, deleteditems -> archivedeleteditems, msgfolderroot -> archivemsgfolderroot, root ->
 * archiveroot, recoverableitems* -> archiverecoverableitems*; archive* names stay), starts display-name paths
 * at archivemsgfolderroot, and refuses a name the archive has no counterpart of or the bindings' schema lacks
 * (Exchange2010_SP2 has no archiveinbox). Folder ids name their mailbox themselves and are kept. */
#define EWS_CLI_ARCHIVE_OPT(cli) { "--archive", .on = &(cli).archive, .set = 1 }
#define EWS_CLI_ARCHIVE_HELP                                                                                      \
	"  --archive          the archive mailbox: inbox, deleteditems, msgfolderroot ... name its archive*\n"      \
	"                     folders, paths start at archivemsgfolderroot\n"

/* A folder argument: a distinguished folder name ("inbox", "calendar", "msgfolderroot" ..., any case) or a
 * FolderId. Built in `soap` (use ews_client_arena); NULL when out of memory or folder is NULL. */
struct ewstype__NonEmptyArrayOfBaseFolderIdsType *ews_cli_folder_ids(struct soap *soap, const char *folder);
struct ewstype__TargetFolderIdType *ews_cli_target_folder(struct soap *soap, const char *folder);

/* The schema's spelling ("inbox") of a distinguished folder name given in any case ("Inbox"), or NULL when
 * `name` is not one. Quiet: for commands that must tell a name from a path part (ews-create-folder). */
const char *ews_cli_distinguished_name(struct soap *soap, const char *name);

/* The FolderIds of a GetFolder/DeleteFolder request for n resolved folder arguments (distinguished names or
 * ids, as ews_cli_resolve_folder gives them), in order. Built in `soap`; NULL when out of memory or n < 1. */
struct ewstype__NonEmptyArrayOfBaseFolderIdsType *ews_cli_folder_ids_n(struct soap *soap, const char *const *folders,
								       int n);

/* Item ids for a batch command from `in` (stdin): one per line, or JSON lines as ews-find-items --json prints
 * them, taking each object's "id" (lines without one, e.g. the summary, are skipped); blank lines and
 * surrounding spaces are ignored. *ids is a malloc'd array of malloc'd strings, appended to (*n counts them; start
 * with NULL/0), freed with ews_cli_free_ids. EWS_ERR_TOO_LARGE past max ids (0: one million), EWS_ERR_FORMAT for a
 * JSON line whose "id" is not a string (its line number in the message), EWS_ERR_NOMEM. */
ews_status ews_cli_read_ids(FILE *in, long max, char ***ids, int *n);
void ews_cli_free_ids(char **ids, int n);

/* Standard output flushed, and every write to it gone through: checked before a tool records as done what it has
 * printed (a sync state, a watermark), so that output lost to a full disk or a closed pipe is not taken as
 * delivered. EWS_ERR_FILE ("standard output: No space left on device") when a write failed. */
ews_status ews_cli_stdout_done(void);

/* Read a whole file (at most max bytes; 0: 256 MiB). *data is malloc'd and NUL-terminated (caller frees with free()),
 * *len without the NUL. EWS_ERR_NOT_FOUND when it does not exist, EWS_ERR_TOO_LARGE, EWS_ERR_FILE. */
ews_status ews_cli_read_file(const char *path, size_t max, char **data, size_t *len);

/* Replace `path` atomically: write PATH.tmp, fsync, rename. A crash leaves the old or the new file, never half. */
ews_status ews_cli_write_file(const char *path, const void *data, size_t len);

/* Install a SIGINT/SIGTERM handler that only sets a flag, so a batch can finish the current step, save its
 * state and stop. Returns the flag (non-zero once a signal came). */
volatile int *ews_cli_catch_interrupts(void);

/* "done/total label" as a bar on stderr, only when stderr is a terminal and --json is off. done < 0 ends the
 * bar (clears the line). */
void ews_cli_progress(const ews_cli *cli, long done, long total, const char *label);

#ifdef __cplusplus
}
#endif
#endif
