/* Schema check helper: decode one EWS message with the generated bindings.
 *
 *   decode OP resp FILE          decode a response envelope (soap_recv___ewsmsg__OP)
 *   decode OP req  FILE [OUT]    decode a request envelope server-side; with OUT,
 *                                write the request body element back out to OUT
 *
 * Unknown elements are reported through soap->fignore ("UNKNOWN <tag>").
 * Exit status: 0 decoded, 3 decoded but unknown elements seen, 1 error, 2 usage. */
#include "soapH.h"
#include "ExchangeServiceBinding.nsmap"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unknown;

static int log_unknown(struct soap *soap, const char *tag)
{
	(void)soap;
	printf("  UNKNOWN <%s>\n", tag);
	unknown++;
	return SOAP_OK;
}

#define OPS X(ExportItems) X(UploadItems) X(SyncFolderItems) X(SyncFolderHierarchy) \
	X(FindItem) X(FindFolder) X(GetItem) X(GetFolder) X(CreateItem) X(UpdateItem) \
	X(DeleteItem) X(MoveItem) X(CopyItem) X(CreateFolder) X(DeleteFolder) X(ConvertId)

int main(int argc, char **argv)
{
	static char buf[1 << 22];
	const char *op, *kind;
	struct soap *soap;
	FILE *f, *out = NULL;
	size_t n;
	int rc = -1, done = 0, nmsg = -1;

	if (argc < 4)
		return 2;
	op = argv[1];
	kind = argv[2];
	if (!(f = fopen(argv[3], "rb")))
		return 2;
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = 0;
	fclose(f);
	if (argc > 4 && !(out = fopen(argv[4], "w")))
		return 2;

	soap = soap_new1(SOAP_C_UTFSTRING);
	soap->fignore = log_unknown;
	soap->is = buf;
#define X(O) \
	if (!strcmp(op, #O)) { \
		done = 1; \
		if (!strcmp(kind, "resp")) { \
			struct __ewsmsg__##O##Response r; \
			rc = soap_recv___ewsmsg__##O(soap, &r); \
			if (rc == SOAP_OK && r.ewsmsg__##O##Response && r.ewsmsg__##O##Response->ResponseMessages) \
				nmsg = r.ewsmsg__##O##Response->ResponseMessages->__size_ArrayOfResponseMessagesType; \
		} else { \
			struct __ewsmsg__##O q; \
			soap_default___ewsmsg__##O(soap, &q); \
			if (soap_begin_recv(soap) || soap_envelope_begin_in(soap) || soap_recv_header(soap) \
			    || soap_body_begin_in(soap) || !soap_get___ewsmsg__##O(soap, &q, "-ewsmsg:" #O, NULL) \
			    || soap_body_end_in(soap) || soap_envelope_end_in(soap) || soap_end_recv(soap)) \
				rc = soap->error; \
			else { \
				rc = SOAP_OK; \
				if (out) { \
					soap->is = NULL; \
					soap->sendfd = fileno(out); \
					if (soap_begin_send(soap) || soap_put___ewsmsg__##O(soap, &q, "-ewsmsg:" #O, "") \
					    || soap_end_send(soap)) \
						rc = soap->error; \
				} \
			} \
		} \
	}
	OPS
#undef X
	if (!done) {
		fprintf(stderr, "unknown operation %s\n", op);
		return 2;
	}
	printf("%s %s %s: rc=%d%s msgs=%d hdr=%s unknown=%d\n", argv[3], op, kind, rc,
	       rc == SOAP_FAULT ? "(fault)" : "", nmsg,
	       soap->header && soap->header->ewstype__ServerVersionInfo ? "ServerVersionInfo"
	       : soap->header && soap->header->ewstype__RequestServerVersion ? "RequestServerVersion" : "-",
	       unknown);
	if (rc != SOAP_OK && rc != SOAP_FAULT)
		soap_print_fault(soap, stdout);
	if (out)
		fclose(out);
	soap->header = NULL;
	soap_destroy(soap);
	soap_end(soap);
	soap_free(soap);
	if (rc != SOAP_OK && rc != SOAP_FAULT)
		return 1;
	return unknown ? 3 : 0;
}
