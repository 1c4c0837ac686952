/* learn-decode-file FILE — read a saved EWS SOAP message (a request or a response, from a log or a capture) with
 * the codec (ews/codec.h): it finds the operation by itself, decodes the message into the typed structs, and
 * here says what it is and, for a response, each ResponseMessage's class and code. No server involved.
 *
 *   learn-decode-file finditem-response.xml
 */
#include <stdio.h>
#include <stdlib.h>
#include "ews/ews.h"
#include "ews/codec.h"

int main(int argc, char **argv)
{
	size_t len = 0;
	char *xml = NULL;
	FILE *f = argc == 2 ? fopen(argv[1], "rb") : NULL;

	if (!f)
		return fprintf(stderr, "usage: learn-decode-file FILE (a readable SOAP message)\n"), 2;
	for (size_t n = 0; ; len += n) {      /* the whole file, whatever its size */
		char *bigger = realloc(xml, len + 65536);
		if (!bigger || (xml = bigger, n = fread(xml + len, 1, 65536, f)) == 0)
			break;
	}
	fclose(f);
	struct soap *soap = ews_codec_context_new();   /* the decoded message lives in this context */
	ews_decoded_message msg;
	ews_status st = xml && soap ? ews_message_decode(soap, xml, len, &msg) : ews_status_make(EWS_ERR_NOMEM, "out of memory");
	if (ews_ok(st) && msg.kind == EWS_MESSAGE_FAULT) {
		printf("a SOAP fault\n");
	} else if (ews_ok(st)) {
		const struct ewsmsg__ArrayOfResponseMessagesType *rm = msg.kind == EWS_MESSAGE_RESPONSE
			? ews_response_messages_of(msg.op->name, msg.body) : NULL;
		ews_response_message m;
		printf("%s %s\n", msg.op->name, msg.kind == EWS_MESSAGE_REQUEST ? "request" : "response");
		for (int i = 0; i < ews_response_messages_count(rm) && !ews_response_messages_get(rm, i, &m); i++)
			printf("  %s %s %s\n", m.element, ews_response_class_name(m.response_class), m.response_code);
	} else {
		fprintf(stderr, "learn-decode-file: %s\n", st.message);   /* where (line) and what was wrong */
	}
	ews_codec_context_free(soap);
	free(xml);
	return ews_ok(st) ? 0 : 1;
}
