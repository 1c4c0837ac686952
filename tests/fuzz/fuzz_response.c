/* fuzz_response.c — what a server (or anything between) sends back to a call: the whole HTTP answer, head and
 * body, as the client's transport receives it (runtime/core/ews_transport.c, ews_body.c, ews_call.c): status line
 * and headers, Content-Length, chunks, gzip (inflated whole, or by gSOAP's zlib stream without libdeflate),
 * answers cut anywhere, the pre-pass and the decode of a GetFolder response. The input is what the server sends
 * on the connection, which then closes (a socketpair in place of the TCP connection).
 *
 * Invariants: the call returns a status (no crash, no leak: ASan/UBSan) and no body outlives the response it
 * came with. */
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz.h"
#include "soapH.h"
#include "ews/client.h"
#include "ews/ews.h"
#include "ews_internal.h"
#include "ews_operations.h"

static ews_client *client;
static const uint8_t *answer;
static size_t answer_len;
static int peer = -1;           /* the server's end, open until the call is over */

/* The connection: a socketpair whose far end already holds the answer and is shut for writing; the request goes
 * into the far end's buffer unread (it is small: a GetFolder). */
static SOAP_SOCKET fake_open(struct soap *soap, const char *endpoint, const char *host, int port)
{
	int sv[2];
	(void)endpoint, (void)host, (void)port;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return soap->error = SOAP_TCP_ERROR, SOAP_INVALID_SOCKET;
	int big = 1 << 20;
	setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
	setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
	for (size_t off = 0; off < answer_len;) {
		ssize_t w = write(sv[1], answer + off, answer_len - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	shutdown(sv[1], SHUT_WR); /* the answer ends there: the connection closes after it */
	if (peer >= 0)
		close(peer);      /* (a retry's new connection: the last one's end goes) */
	peer = sv[1];
	soap->socket = sv[0];
	return sv[0];
}

static void no_sleep(void *arg, long ms)
{
	(void)arg, (void)ms;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	ews_options o;
	(void)argc, (void)argv;
	ews_options_init(&o);
	o.auth = EWS_AUTH_NONE;
	o.io_timeout_s = 2;
	o.connect_timeout_s = 2;
	o.deadline_s = 4;
	if (!ews_ok(ews_client_new("http://127.0.0.1:9/EWS/Exchange.asmx", &o, &client)))
		abort();
	ews_client_set_sleep(client, no_sleep, NULL);
	ews_client_set_retry(client, 2, 0, 0);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct soap *arena = ews_client_arena(client);
	struct __ewsmsg__GetFolderResponse r;
	struct ewsmsg__GetFolderType *req = soap_new_ewsmsg__GetFolderType(arena, -1);

	if (size > (1 << 19) || !req || !(req->FolderShape = soap_new_ewstype__FolderResponseShapeType(arena, -1)) ||
	    !(req->FolderIds = soap_new_ewstype__NonEmptyArrayOfBaseFolderIdsType(arena, -1)))
		return 0;
	req->FolderShape->BaseShape = ewstype__DefaultShapeNamesType__Default;
	answer = data;
	answer_len = size;
	client->soap->fopen = fake_open;
	client->soap->keep_alive = 0;
	ews_status st = ews_get_folder(client, req, &r);
	FUZZ_CHECK(st.code >= EWS_OK && memchr(st.message, '\0', sizeof st.message), "status malformed");
	client->soap->keep_alive = 0;
	soap_closesock(client->soap);
	if (peer >= 0)
		close(peer);
	peer = -1;
	ews_client_release(client);
	FUZZ_CHECK(ews_body_live() == 0, "a body outlived its response");
	return 0;
}
