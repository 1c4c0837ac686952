/* fuzz_ewsd_request.c — ewsd's request handling without sockets or a database file per input: the bytes are a
 * request body (or an HTTP request, which gSOAP parses first), read by the server's generated skeleton
 * (soap_serve_request) and dispatched to the operation handlers of server/op_*.c, which answer into a sink.
 * They run as the seeded mailbox's user on one in-memory store (ewsd_env.c), put back after any input that
 * wrote to it. A request that crashes here crashes the server for every client. */
#define _GNU_SOURCE     /* memmem */
#include "fuzz.h"
#include "ewsd.h"
#include "ewsd_env.h"

extern struct Namespace namespaces[];
static struct Namespace server_namespaces[16];
static struct soap *soap;
static struct ewsd_request rq;
static const uint8_t *input;
static size_t input_left;

static size_t recv_input(struct soap *s, char *buf, size_t n)
{
	(void)s;
	if (n > input_left)
		n = input_left;
	memcpy(buf, input, n);
	input += n;
	input_left -= n;
	return n;
}

static int send_nowhere(struct soap *s, const char *p, size_t n)
{
	(void)s;
	(void)p;
	(void)n;
	return SOAP_OK;
}

/* As server/main.c parse_http: a Content-Length over the receive limit is refused before gSOAP reads the body. */
static int (*gsoap_fparse)(struct soap *);
static int parse_http_checked(struct soap *s)
{
	int err = gsoap_fparse(s);
	if (ewsd_http_length_refused(s)) {
		s->length = 0;
		return s->error = SOAP_STOP;
	}
	return err;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int n = 0;
	(void)argc;
	(void)argv;
	while (namespaces[n].id && n < 14) {
		server_namespaces[n] = namespaces[n];
		n++;
	}
	server_namespaces[n].id = "a";
	server_namespaces[n].ns = "http://schemas.microsoft.com/exchange/services/2006/types";
	ewsd_cfg.log = fopen("/dev/null", "w");
	rq.db = fuzz_ewsd_store();
	soap = soap_new1(SOAP_C_UTFSTRING);
	soap_set_namespaces(soap, server_namespaces);
	ewsd_decoding_init(soap);   /* the server's own decoding policy (server/decoding.c) */
	soap->frecv = recv_input;
	gsoap_fparse = soap->fparse;
	soap->fparse = parse_http_checked;
	soap->fsend = send_nowhere;
	soap->recv_maxlength = 64 * 1024 * 1024;
	soap->user = &rq;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sqlite3 *db = rq.db;

	memset(&rq, 0, sizeof rq);
	rq.db = db;
	snprintf(rq.user, sizeof rq.user, "%s", FUZZ_MAILBOX);
	input = data;
	input_left = size;
	soap->keep_alive = 0;
	/* as server/main.c begin_serve(): headers and body opened, then the generated dispatcher */
	soap_begin(soap);
	if (soap_begin_recv(soap) || soap_envelope_begin_in(soap) || soap_recv_header(soap) ||
	    soap_body_begin_in(soap) || (ewsd_decoding_for_operation(soap), soap_serve_request(soap))) {
		if (soap->error && soap->error < SOAP_STOP)
			soap_send_fault(soap);
	}
	soap_destroy(soap);
	soap_end(soap);
	fuzz_ewsd_store_reset(db);
	return 0;
}
