/* <DESC> ews-watch: print mailbox events live (pull or streaming notifications), resuming from a saved watermark </DESC>
 *
 *   ews-watch [--folder FOLDER]... [--events LIST] [--state FILE] [--interval MS] [--count N] [--json]
 *             [--streaming [--connection-timeout MIN]]
 *
 * --streaming: events arrive on a GetStreamingEvents response as they happen (no polling); a dropped stream is
 * reopened with back-off and GetEvents on the pull subscription kept beside it hands out whatever the drop lost
 * (ews/notify.h). Transient failures are reported on stderr and retried until Ctrl-C.
 *
 * Subscribes (every folder, or the --folder ones), then polls GetEvents every --interval milliseconds and prints
 * each event as it comes: created, deleted, modified, moved, copied, new-mail. ews/notify.h does the calls; with
 * --state the watermark is saved (atomically, like a SyncState) once the events of an answer are printed, so a
 * later run resumes exactly there, missing nothing. Ctrl-C stops cleanly: the watermark is saved, the
 * subscription ended.
 * Build alone: cc watch.c $(pkg-config --cflags --libs libews)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ews/ews.h"
#include "ews/cli.h"
#include "ews/notify.h"

#define MAX_FOLDERS 64

static const char *const kind_names[] = { "status", "copied", "created", "deleted", "modified", "moved", "new-mail",
					  "free-busy-changed" };

static void usage(FILE *f)
{
	fputs("usage: ews-watch [options]\n"
	      "Print mailbox events as they happen (a pull subscription: Subscribe, then GetEvents; or a stream).\n\n"
	      "  --folder FOLDER    watch this folder (distinguished name, display-name path or id; repeatable);\n"
	      "                     default: every folder of the mailbox\n"
	      "  --events LIST      comma-separated: created,deleted,modified,moved,copied,new-mail,free-busy-changed\n"
	      "                     (default all but free-busy-changed)\n"
	      "  --state FILE       keep the watermark here: a later run resumes where this one stopped\n"
	      "  --reset            ignore the saved watermark: watch from now\n"
	      "  --interval MS      milliseconds between polls when nothing is new (default 2000)\n"
	      "  --timeout MIN      subscription timeout in minutes, 1..1440 (default 10)\n"
	      "  --count N          stop after N events (default: until Ctrl-C)\n"
	      "  --streaming        streaming notifications: each event printed as the server sends it (one long\n"
	      "                     GetStreamingEvents response; reconnects with back-off, loses nothing on a drop)\n"
	      "  --connection-timeout MIN  streaming: minutes each stream stays open, 1..30 (default 30)\n"
	      "  --idle-timeout S   streaming: seconds without even a keep-alive before the stream counts as dropped\n"
	      "                     (default 120); Ctrl-C takes effect at the next event or keep-alive\n\n"
	      "example: ews-watch --folder inbox --state ~/.cache/inbox.watermark --json\n\n", f);
	fputs(EWS_CLI_COMMON_HELP, f);
}

static int parse_events(const char *list, unsigned *mask)
{
	char buf[256], *save = NULL;
	snprintf(buf, sizeof buf, "%s", list);
	*mask = 0;
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		int k;
		for (k = 1; k <= 7 && strcmp(t, kind_names[k]); k++)
			;
		if (k > 7)
			return -1;
		*mask |= EWS_EVENT_BIT(k);
	}
	return *mask ? 0 : -1;
}

static int streaming;

static void print_event(const ews_cli *cli, const ews_event *ev)
{
	if (cli->json) {
		printf("{\"type\":\"event\",\"event\":\"%s\",\"object\":\"%s\",\"id\":", kind_names[ev->kind],
		       ev->is_folder ? "folder" : "item");
		ews_cli_json_string(stdout, ev->id);
		printf(",\"parent_folder_id\":");
		ews_cli_json_string(stdout, ev->parent_folder_id);
		if (ev->old_id) {
			printf(",\"old_id\":");
			ews_cli_json_string(stdout, ev->old_id);
			printf(",\"old_parent_folder_id\":");
			ews_cli_json_string(stdout, ev->old_parent_folder_id);
		}
		if (ev->unread_count >= 0)
			printf(",\"unread_count\":%d", ev->unread_count);
		if (streaming)
			printf(",\"source\":\"%s\",\"reconnected\":%s", ev->from_stream ? "stream" : "pull",
			       ev->reconnected ? "true" : "false");
		printf(",\"timestamp\":");
		ews_cli_json_string(stdout, ev->timestamp);
		printf(",\"watermark\":");
		ews_cli_json_string(stdout, ev->watermark);
		printf("}\n");
	} else {
		printf("%-20s %-8s %-6s %s%s%s\n", ev->timestamp ? ev->timestamp : "", kind_names[ev->kind],
		       ev->is_folder ? "folder" : "item", ev->id ? ev->id : "?", ev->old_id ? "  from " : "",
		       ev->old_id ? ev->old_id : "");
	}
	(void)ews_cli_stdout_done();   /* flushed as it comes (a failure is noted: the loop checks) */
}

/* Sleep up to ms, waking early when a signal set *stop. */
static void pause_ms(long ms, volatile int *stop)
{
	for (long t = 0; t < ms && !*stop; t += 50) {
		struct timespec ts = { 0, 50 * 1000000L };
		nanosleep(&ts, NULL);
	}
}

int main(int argc, char **argv)
{
	const char *folders[MAX_FOLDERS + 1] = { 0 }, *state_file = NULL;
	int nfolders = 0, reset = 0, rc = EWS_EXIT_OK, nargs;
	long interval = 2000, count = 0, timeout = 0, conn_minutes = 0, idle_s = 0;
	unsigned mask = 0;
	ews_cli cli;
	ews_client *c = NULL;
	ews_status st = ews_cli_init(&cli, "ews-watch");

	if (!ews_ok(st))
		return ews_cli_error(&cli, "environment", st);
	const char *events = NULL;
	const ews_cli_opt opts[] = { { "--folder", .list = folders, .count = &nfolders, .max = MAX_FOLDERS },
				     { "--events", .value = &events }, { "--state", .value = &state_file },
				     { "--reset", .on = &reset, .set = 1 },
				     { "--interval", .number = &interval, .lo = 10, .hi = 3600000 },
				     { "--timeout", .number = &timeout, .lo = 1, .hi = 1440 },
				     { "--streaming", .on = &streaming, .set = 1 },
				     { "--connection-timeout", .number = &conn_minutes, .lo = 1, .hi = 30 },
				     { "--idle-timeout", .number = &idle_s, .lo = 1, .hi = 3600 },
				     { "--count", .number = &count, .lo = 1, .hi = 1000000000L }, { NULL } };
	if ((rc = ews_cli_parse(&cli, argc, argv, opts, usage, &nargs)) >= 0 ||
	    (rc = ews_cli_no_operands(&cli, nargs, argv)) >= 0)
		return rc;
	if (events && parse_events(events, &mask))
		return ews_cli_usage_error(&cli, "--events %s: expected a comma-separated list of created, deleted, "
					   "modified, moved, copied, new-mail, free-busy-changed", events);
	/* bindings from a set before Exchange 2010 SP1 have no streaming: said before connecting */
	if ((streaming && (rc = ews_cli_require_ops(&cli, (const char *const[]){ "GetStreamingEvents", NULL }))) ||
	    (rc = ews_cli_connect(&cli, &c)))
		return rc;
	for (int i = 0; i < nfolders; i++)
		if ((rc = ews_cli_resolve_folder(&cli, c, folders[i], &folders[i]))) {
			ews_client_free(c);
			return rc;
		}
	if (reset && state_file)
		remove(state_file);   /* watch from now; a missing file is fine */
	volatile int *stop = ews_cli_catch_interrupts();
	ews_watch *w = NULL;
	ews_event ev;
	long seen = 0;
	int unprinted = 0;                   /* stdout failed: what was handed out is not consumed */
	st = ews_watch_new(c, &(ews_watch_options){ .folders = nfolders ? folders : NULL, .events = mask,
						     .timeout_minutes = (int)timeout, .state_path = state_file,
						     .streaming = streaming, .connection_timeout_minutes = (int)conn_minutes,
						     .idle_timeout_s = (int)idle_s }, &w);
	if (ews_ok(st)) {
		if (cli.json)
			printf("{\"type\":\"subscribed\",\"subscription\":\"%s\",\"watermark\":\"%s\"}\n",
			       ews_watch_subscription(w), ews_watch_watermark(w));
		else
			fprintf(stderr, "ews-watch: watching %s%s (Ctrl-C stops)\n", nfolders ? "the given folders" : "every folder",
				streaming ? " (streaming)" : "");
		fflush(stdout);
	}
	while (ews_ok(st) && !*stop && (!count || seen < count)) {
		if (!ews_ok(st = ews_watch_next(w, &ev))) {
			/* streaming: a server or network that fails now may work later; the iterator backs off */
			if (streaming && (st.code == EWS_ERR_CONNECT || st.code == EWS_ERR_IO || st.code == EWS_ERR_TIMEOUT ||
					  st.code == EWS_ERR_HTTP || st.code == EWS_ERR_THROTTLED || st.code == EWS_ERR_TLS ||
					  (st.code == EWS_ERR_RESPONSE && strcmp(st.response_code, "ErrorInvalidWatermark")))) {
				if (cli.json) {
					printf("{\"type\":\"retry\",\"error\":");
					ews_cli_json_string(stdout, st.message);
					printf("}\n");
				} else
					fprintf(stderr, "ews-watch: %s; retrying\n", st.message);
				fflush(stdout);
				st = ews_status_ok();
				continue;
			}
			break;
		}
		if (ev.kind == EWS_EVENT_NONE) {
			if (!streaming)     /* streaming: the next call waits for the server by itself */
				pause_ms(interval, stop);
			continue;
		}
		if (ev.reconnected && !cli.json)
			fprintf(stderr, "ews-watch: the stream was reopened (events in between come from GetEvents)\n");
		if (ev.resubscribed && !cli.json && 1)
			fprintf(stderr, "ews-watch: the subscription had expired: resubscribed from the saved watermark\n");
		print_event(&cli, &ev);
		/* an event that did not reach stdout is not consumed: the next ews_watch_next would save past it */
		if (!ews_ok(st = ews_cli_stdout_done())) {
			unprinted = 1;
			break;
		}
		seen++;
	}
	if (!ews_ok(st)) {
		if (st.code == EWS_ERR_RESPONSE && !strcmp(st.response_code, "ErrorInvalidWatermark"))
			fprintf(stderr, "ews-watch: the saved watermark%s%s can no longer be used (events may have been "
					"lost): run again with --reset to watch from now\n", state_file ? " in " : "",
				state_file ? state_file : "");
		rc = !unprinted && (st.code == EWS_ERR_FILE || st.code == EWS_ERR_FORMAT)
		     ? ews_cli_file_error(&cli, state_file, st) : ews_cli_error(&cli, NULL, st);
	} else {
		/* every event handed out is printed: save past the last one (Ctrl-C, --count) */
		ews_status s2 = ews_watch_save(w);
		if (!ews_ok(s2))
			rc = ews_cli_file_error(&cli, state_file, s2);
	}
	if (cli.json)
		printf("{\"type\":\"summary\",\"ok\":%s,\"events\":%ld,\"polls\":%ld,\"subscriptions\":%d,"
		       "\"streams\":%ld,\"stream_events\":%ld}\n", rc ? "false" : "true", seen, ews_watch_polls(w),
		       ews_watch_subscriptions(w), ews_watch_streams(w), ews_watch_stream_events(w));
	else
		fprintf(stderr, "ews-watch: %ld event%s, %ld poll%s%s\n", seen, seen == 1 ? "" : "s", ews_watch_polls(w),
			ews_watch_polls(w) == 1 ? "" : "s", *stop ? " (interrupted; watermark saved)" : "");
	ews_watch_free(w);
	ews_client_free(c);
	return rc;
}
