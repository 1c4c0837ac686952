/* ews_autodiscover_srv.c — step 4 of autodiscover: the _autodiscover._tcp SRV record from the system's
 * resolver (the lowest priority, then the highest weight). */
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <resolv.h>
#include <string.h>

#include "ews_autodiscover_internal.h"

int ews_ad_srv_default(void *arg, const char *name, char *target, size_t cap, int *port)
{
	unsigned char answer[4096];
	ns_msg msg;
	int n, best_prio = 1 << 30, best_weight = -1, found = 0;

	(void)arg;
	n = res_query(name, ns_c_in, ns_t_srv, answer, sizeof answer);
	if (n <= 0 || ns_initparse(answer, n, &msg) < 0)
		return -1;
	for (int i = 0; i < ns_msg_count(msg, ns_s_an); i++) {
		ns_rr rr;
		const unsigned char *d;
		char host[NS_MAXDNAME];
		int prio, weight;
		if (ns_parserr(&msg, ns_s_an, i, &rr) || ns_rr_type(rr) != ns_t_srv || ns_rr_rdlen(rr) < 7)
			continue;
		d = ns_rr_rdata(rr);
		prio = ns_get16(d);
		weight = ns_get16(d + 2);
		if (dn_expand(ns_msg_base(msg), ns_msg_end(msg), d + 6, host, sizeof host) < 0 || strlen(host) >= cap)
			continue;
		if (prio < best_prio || (prio == best_prio && weight > best_weight)) {
			best_prio = prio;
			best_weight = weight;
			memcpy(target, host, strlen(host) + 1);
			*port = ns_get16(d + 4);
			found = 1;
		}
	}
	return found ? 0 : -1;
}
