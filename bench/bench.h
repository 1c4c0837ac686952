/* bench.h — what the bench programs share: client-side measurement (CPU of this process, peak RSS) and the one
 * way every scenario creates its client. Nothing here is part of libews. */
#ifndef EWS_BENCH_H
#define EWS_BENCH_H

#include "ews/client.h"

/* CPU seconds (user + system) this process has used so far (getrusage RUSAGE_SELF: the client alone, the server
 * runs in another process). */
double bench_cpu_seconds(void);

/* Wall-clock seconds from an arbitrary origin (CLOCK_MONOTONIC). */
double bench_wall_seconds(void);

/* Peak resident set of this process in KiB (VmHWM from /proc/self/status), -1 when unknown. */
long bench_peak_rss_kib(void);

/* Resident set of this process now in KiB (VmRSS), -1 when unknown: the baseline a peak is compared with. */
long bench_rss_kib(void);

/* One machine-readable result line on stdout, read by bench/run.sh:
 *   RESULT items=N requests=R cpu=S wall=S hwm_kib=K data_bytes=B */
void bench_report(long items, long requests, double cpu, double wall, long long data_bytes);

/* A digest of what was decoded (h: the digest so far; s may be NULL, as ""): runs with different decoding settings
 * must print the same one. FNV-1a's step over 8 bytes at a time: byte at a time, the check itself took a tenth of
 * a paging client's CPU once the parse got fast (eighteenth session). */
unsigned long long bench_digest(unsigned long long h, const char *s);

/* A client for `url`, logged in as `mailbox` (ewsd runs open: the Basic user is the mailbox), with the benchmark's settings. xml_tree: also set gSOAP's SOAP_XML_TREE on the response
 * context (the id/href bookkeeping lead of issue 13, measured without changing the library). Exits on error. */
ews_client *bench_client_new(const char *url, const char *mailbox, int xml_tree);

#endif
