/* ews/cli.h — what every ews-* command shares: connection flags over the EWS_* environment, --json, exit codes,
 * folder arguments, JSON strings and a terminal progress bar. For small tools; the library itself never prints.
 *
 *   ews_cli cli;
 *   ews_status st = ews_cli_init(&cli, "ews-get-item");          // the environment first ...
 *   if (!ews_ok(st)) return ews_cli_error(&cli, NULL, st);
 *   for (int i = 1; i < argc; i++) {
 *       int r = ews_cli_flag(&cli, argc, argv, &i);                 // ... then --url, --user, --json ... consumed here
 *       if (r < 0) return EWS_EXIT_USAGE;
 *       if (r == 0) ... the command's own flags and operands ...
 *   }
 *   ews_client *c;
 *   int rc = ews_cli_connect(&cli, &c);                             // prints the error, gives the exit code
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
	EWS_EXIT_CONNECT = 4    /* could not reach the server (refused, DNS, TLS, timeout)          */
};

/* The common settings of a command. Strings are borrowed from argv and the environment. */
typedef struct ews_cli {
	const char *prog;       /* "ews-find-items", used in messages          */
	ews_options opt;        /* what ews_client_new gets                    */
	int json;               /* --json: one JSON object per line on stdout  */
	int auth_set;           /* --auth or EWS_AUTH chose the method         */
} ews_cli;

/* Help text for the common flags, to append to a command's usage. */
#define EWS_CLI_COMMON_HELP                                                                                       \
	"connection (flags override the environment variable in brackets):\n"                                   \
	"  --url URL            endpoint, e.g. https://mail.example.com/EWS/Exchange.asmx  [EWS_URL]\n"         \
	"  --user USER          user name or SMTP address                             [EWS_USER]\n"             \
	"  --password PASSWORD  (prefer the environment: flags show up in ps)         [EWS_PASSWORD]\n"         \
	"  --token TOKEN        OAuth2 bearer token                                    [EWS_TOKEN]\n"           \
	"  --auth METHOD        basic, ntlm, bearer, oauth2 or none (default: guessed) [EWS_AUTH]\n"            \
	"  --version NAME       RequestServerVersion, e.g. Exchange2013_SP1            [EWS_VERSION]\n"         \
	"  --impersonate SMTP   act as this mailbox (ExchangeImpersonation)            [EWS_IMPERSONATE]\n"     \
	"  --ca-file PEM        extra trusted CA certificates                          [EWS_CA_FILE]\n"         \
	"  --insecure           do not verify the server certificate                   [EWS_INSECURE=1]\n"      \
	"  --attempts N         tries per call on busy servers and network errors (default 5)\n"               \
	"  --json               machine-readable output: one JSON object per line\n"                            \
	"exit status: 0 ok, 1 partial failure, 2 usage, 3 authentication, 4 connection\n"

/* Start from defaults plus the EWS_* environment (ews_options_from_env). EWS_ERR_ARGUMENT for a bad variable. */
ews_status ews_cli_init(ews_cli *cli, const char *prog);

/* If argv[*i] is a common flag, take it (and its value, advancing *i) and return 1; 0 when it is not one;
 * -1 when its value is missing or invalid (the message is printed on stderr). */
int ews_cli_flag(ews_cli *cli, int argc, char **argv, int *i);

/* Create the client (NULL url: cli->opt.url). Returns EWS_EXIT_OK with *out set (caller frees with
 * ews_client_free), or prints why not and returns the exit code (EWS_EXIT_USAGE when no URL is configured). */
int ews_cli_connect(ews_cli *cli, ews_client **out);

/* The exit code for a failed status: AUTH 3; CONNECT, TLS, TIMEOUT 4; ARGUMENT 2; anything else 1. */
int ews_cli_exit_code(ews_status st);

/* Print "prog: what: message [ResponseCode]" on stderr, or with --json {"type":"error","ok":false,...} on stdout; returns
 * ews_cli_exit_code(st). `what` may be NULL. */
int ews_cli_error(const ews_cli *cli, const char *what, ews_status st);

/* Write s as a JSON string literal (quotes included; NULL gives null). */
void ews_cli_json_string(FILE *f, const char *s);

/* A folder argument: a distinguished folder name ("inbox", "calendar", "msgfolderroot" ...) or a FolderId.
 * Built in `soap` (use ews_client_arena); NULL when out of memory or folder is NULL. */
struct ewstype__NonEmptyArrayOfBaseFolderIdsType *ews_cli_folder_ids(struct soap *soap, const char *folder);
struct ewstype__TargetFolderIdType *ews_cli_target_folder(struct soap *soap, const char *folder);

/* Read a whole file (at most max bytes; 0: 256 MiB). *data is malloc'd and NUL-terminated (caller frees with free()),
 * *len without the NUL. EWS_ERR_NOT_FOUND when it does not exist, EWS_ERR_TOO_LARGE, EWS_ERR_IO. */
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
