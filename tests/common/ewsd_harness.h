/* ewsd_harness.h — test helpers for suites that drive a real build/bin/ewsd: spawn it on port 0 with a temporary
 * data directory, talk raw HTTP/SOAP to it, pick values out of the XML answers, stop it. */
#ifndef EWSD_HARNESS_H
#define EWSD_HARNESS_H

#include <stddef.h>
#include <sys/types.h>

struct ewsd_proc {
	pid_t pid;
	int port;
	char url[256];              /* http://127.0.0.1:PORT/EWS/Exchange.asmx, as printed by ewsd */
	char dir[256];              /* temporary data directory (removed by ewsd_stop) */
	int stdin_fd;               /* write end of ewsd's stdin: ewsd exits when it closes */
};

/* Start ewsd with a fresh temp data dir (or `dir` when non-NULL: reuse, e.g. after a restart) and optional extra
 * arguments (NULL-terminated). Returns 0 when the URL line was read. */
int ewsd_start(struct ewsd_proc *p, const char *dir, const char *const *extra);
/* SIGTERM and wait; returns the exit status (-1 if it had to be killed). keep_dir: leave the data for a restart. */
int ewsd_stop(struct ewsd_proc *p, int keep_dir);
/* Kill -9 (a crash) and wait. */
void ewsd_kill(struct ewsd_proc *p);
/* Run `ewsd seed` into dir; returns its exit status. */
int ewsd_seed(const char *dir, const char *mailbox, int items, int seed);

struct http_resp {
	int status;
	char *headers;              /* raw header block */
	char *body;                 /* NUL-terminated */
	size_t len;
};

/* A TCP connection to 127.0.0.1:port with a 20 s receive timeout, or -1. */
int ewsd_connect_local(int port);
/* Send all n bytes (no SIGPIPE); 0, or -1 when the connection broke. */
int ewsd_send_all(int s, const char *p, size_t n);

/* One HTTP/1.1 request on a new connection (Connection: close). extra_headers: "Name: v\r\n..." or NULL.
 * Returns 0 when a status line was read (status 0 and -1 when the connection was dropped). */
int http_request(const struct ewsd_proc *p, const char *method, const char *path, const char *extra_headers,
		 const char *body, size_t len, struct http_resp *out);
void http_resp_free(struct http_resp *r);

/* POST a SOAP envelope built from body_xml (prefixes m: messages, t: types) with RequestServerVersion `version`
 * (NULL: no header) and optional extra header XML; Basic auth as `user` when non-NULL. */
int ews_post(const struct ewsd_proc *p, const char *user, const char *version, const char *header_xml,
	     const char *body_xml, struct http_resp *out);

/* ews_post, keeping only the answer's body (any HTTP status; caller frees), or NULL when no answer came. */
char *ews_post_body(const struct ewsd_proc *p, const char *user, const char *version, const char *body_xml);

/* CreateItem (SaveOnly) of a Message with `subject` in the distinguished folder; its ItemId (caller frees), or NULL. */
char *ewsd_save_message(const struct ewsd_proc *p, const char *user, const char *version, const char *folder,
			const char *subject);

/* Start ewsd on a fresh temporary data dir with a users file of these lines ("user SMTP PASSWORD", "discovery
 * SMTP" ...; NULL-terminated). Returns 0 when started. */
int ewsd_start_with_users(struct ewsd_proc *p, const char *const *lines);
/* POST a file of ../shared (a corpus envelope) as it is, with Basic auth user:secret (user NULL: none); the
 * answer's body (caller frees) or NULL. */
char *ewsd_post_shared_file(const struct ewsd_proc *p, const char *rel_path, const char *user);

/* ews_post with extra HTTP headers ("Name: v\r\n...", or NULL), e.g. X-PublicFolderMailbox. */
int ews_post_http(const struct ewsd_proc *p, const char *user, const char *version, const char *header_xml,
		  const char *http_headers, const char *body_xml, struct http_resp *out);
/* XML picking by local element name (prefix ignored). nth counts from 0. Results are malloc'd (caller frees)
 * or NULL when absent. */
char *xml_attr(const char *xml, const char *elem, const char *attr, int nth);
char *xml_text(const char *xml, const char *elem, int nth);
int xml_count(const char *xml, const char *elem);
/* The nth element (with its content) as a malloc'd string, for scoped picking. */
char *xml_element(const char *xml, const char *elem, int nth);

/* ewsd_asserts.c: CUnit assertions that the nth element's text, attribute or ResponseCode of xml is want (an absent
 * one never is); a mismatch prints the element and both values. */
void ewsd_text_is(const char *xml, const char *elem, int nth, const char *want);
void ewsd_attr_is(const char *xml, const char *elem, const char *attr, int nth, const char *want);
void ewsd_code_is(const char *xml, int nth, const char *want);

#endif
