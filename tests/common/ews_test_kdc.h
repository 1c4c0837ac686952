/* ews_test_kdc.h — a throw-away MIT Kerberos realm for the suites: a KDC (krb5kdc from Debian's krb5-kdc) on a
 * free loopback port, its database, principals and a service keytab, all in a temporary directory.
 *
 * Nothing touches the machine's own Kerberos setup: ews_test_kdc_start points KRB5_CONFIG, KRB5_KDC_PROFILE,
 * KRB5CCNAME, KRB5_KTNAME, KRB5RCACHEDIR and KRB5_CLIENT_KTNAME of this process (and so of every program it
 * starts: ewsd, kinit, curl) into that directory. Every wait is bounded; the KDC dies with the test process
 * (PR_SET_PDEATHSIG) even when a test crashes. */
#ifndef EWS_TEST_KDC_H
#define EWS_TEST_KDC_H

#include <sys/types.h>

#define EWS_TEST_REALM "EWS.TEST"

struct ews_test_kdc {
	char dir[256];          /* the realm's directory (removed by ews_test_kdc_stop) */
	char keytab[320];       /* the service principal's keytab: dir/http.keytab */
	char ccache[320];       /* the user's credential cache: FILE:dir/ccache */
	int port;               /* the KDC's TCP and UDP port on 127.0.0.1 */
	pid_t pid;
};

/* Create the realm EWS.TEST with the service principal HTTP/<service_host> (its key in k->keytab) and start
 * the KDC. 0 when it answers, -1 otherwise (the reason on stderr). */
int ews_test_kdc_start(struct ews_test_kdc *k, const char *service_host);
/* Add one more service principal HTTP/<host> (its key in k->keytab too). 0 ok. */
int ews_test_kdc_add_service(struct ews_test_kdc *k, const char *host);
/* Add a user principal NAME@EWS.TEST with this password (kadmin.local). 0 ok. */
int ews_test_kdc_add_user(struct ews_test_kdc *k, const char *name, const char *password);
/* kinit NAME with the password on standard input (never on a command line), ticket lifetime `lifetime` ("10h",
 * "2s"; NULL: the default) into k->ccache. Returns kinit's exit status (0: a ticket), -1 when it could not run. */
int ews_test_kdc_kinit(struct ews_test_kdc *k, const char *name, const char *password, const char *lifetime);
/* Empty the credential cache (kdestroy). */
void ews_test_kdc_kdestroy(struct ews_test_kdc *k);
/* Run a program (argv[0] looked up in PATH) with a bounded wait, stdin from `input` (NULL: empty), stdout and
 * stderr appended to dir/commands.log. Its exit status, or -1 (could not start, or killed after timeout_ms). */
int ews_test_kdc_run(struct ews_test_kdc *k, const char *const *argv, const char *input, int timeout_ms);
/* Stop the KDC (SIGTERM, bounded wait, then SIGKILL), remove the directory, unset the variables. */
void ews_test_kdc_stop(struct ews_test_kdc *k);

#endif
