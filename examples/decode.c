/* <DESC> ews-decode: decode EWS SOAP messages (requests, responses, faults) through the typed bindings </DESC>
 *
 *   ews-decode [--xml | --json] [--quiet] FILE...     ("-" reads standard input)
 *
 * Each message is decoded into the generated C structs, then shown as an outline of what the structs hold (or
 * re-serialized from them with --xml), so what you see is exactly what a libews program gets. Exit status: 0 when
 * every file decodes, 1 when any does not (one line each: FILE:LINE: reason), 2 for usage errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews/codec.h"
#include "ews/response.h"

enum output { OUTLINE, XML, JSON };

static void usage(FILE *f)
{
	fputs("usage: ews-decode [--xml | --json] [--quiet] FILE...\n"
	      "Decode EWS SOAP messages (request, response or fault) through the libews bindings.\n\n"
	      "  --xml     print the message re-serialized from the decoded structs\n"
	      "  --json    one JSON object per file: operation, kind, response messages\n"
	      "  --quiet   print only failures\n"
	      "  FILE      a file with one message, or - for standard input\n\n"
	      "example: ews-decode captured/finditem-response.xml\n"
	      "exit status: 0 all decoded, 1 some did not, 2 usage\n", f);
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	size_t cap = 1 << 16, n = 0;
	char *buf = f ? malloc(cap) : NULL;

	while (buf) {
		size_t r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (n < cap) {
			if (ferror(f)) {
				free(buf);
				buf = NULL;
			}
			break;
		}
		char *grown = realloc(buf, cap *= 2);
		if (!grown)
			free(buf);
		buf = grown;
	}
	if (f && f != stdin)
		fclose(f);
	*len = n;
	return buf;
}

/* Long values (base64 Data, MIME content) are summarized, not dumped. */
static void print_text(const char *t)
{
	size_t n = strlen(t);
	if (n > 120)
		printf("%.60s... (%zu characters)", t, n);
	else
		printf("%s", t);
}

static void outline(const struct soap_dom_element *e, int depth)
{
	for (; e; e = e->next) {
		const char *name = e->name ? strchr(e->name, ':') : NULL;
		const struct soap_dom_attribute *a;
		name = name ? name + 1 : e->name;
		printf("%*s%s", depth * 2, "", name ? name : "?");
		for (a = e->atts; a; a = a->next) {
			const char *an = a->name && strchr(a->name, ':') ? strchr(a->name, ':') + 1 : a->name;
			if (a->name && strncmp(a->name, "xmlns", 5)) {
				printf(" %s=", an);
				print_text(a->text ? a->text : "");
			}
		}
		if (e->text && *e->text) {
			printf(": ");
			print_text(e->text);
		}
		putchar('\n');
		outline(e->elts, depth + 1);
	}
}

static void json_string(const char *s)
{
	putchar('"');
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static const char *kind_name(ews_message_kind k)
{
	return k == EWS_MESSAGE_REQUEST ? "request" : k == EWS_MESSAGE_RESPONSE ? "response" : "fault";
}

static const char *class_name(ews_response_class c)
{
	return c == EWS_RESPONSE_ERROR ? "Error" : c == EWS_RESPONSE_WARNING ? "Warning" : "Success";
}

static int show(struct soap *soap, const char *path, const ews_decoded_message *m, enum output mode)
{
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs =
		m->kind == EWS_MESSAGE_RESPONSE ? ews_response_messages_of(m->op->name, m->body) : NULL;
	const char *xml = NULL;
	ews_status st = ews_message_encode(soap, m, &xml);
	int i, n = ews_response_messages_count(msgs);

	if (!ews_ok(st)) {
		fprintf(stderr, "%s: %s\n", path, st.message);
		return 1;
	}
	if (mode == XML) {
		printf("%s\n", xml);
		return 0;
	}
	if (mode == JSON) {
		printf("{\"file\":");
		json_string(path);
		printf(",\"ok\":true,\"kind\":\"%s\",\"operation\":", kind_name(m->kind));
		json_string(m->op ? m->op->name : NULL);
		if (m->fault) {
			printf(",\"faultcode\":");
			json_string(m->fault->faultcode);
			printf(",\"faultstring\":");
			json_string(m->fault->faultstring);
		}
		printf(",\"messages\":[");
		for (i = 0; i < n; i++) {
			ews_response_message rm;
			if (ews_response_messages_get(msgs, i, &rm))
				continue;
			printf("%s{\"class\":\"%s\",\"code\":", i ? "," : "", class_name(rm.response_class));
			json_string(rm.response_code);
			printf(",\"text\":");
			json_string(rm.message_text);
			printf("}");
		}
		printf("]}\n");
		return 0;
	}
	printf("%s: %s %s%s", path, m->op ? m->op->name : "SOAP", kind_name(m->kind),
	       m->has_envelope ? "" : " (no envelope)");
	if (m->kind == EWS_MESSAGE_RESPONSE)
		printf(", %d response message%s", n, n == 1 ? "" : "s");
	putchar('\n');
	for (i = 0; i < n; i++) {
		ews_response_message rm;
		if (!ews_response_messages_get(msgs, i, &rm))
			printf("  [%d] %s %s %s%s%s\n", i, rm.element, class_name(rm.response_class), rm.response_code,
			       rm.message_text ? ": " : "", rm.message_text ? rm.message_text : "");
	}
	/* The outline comes from the re-serialized structs: it shows what the bindings kept. */
	{
		struct soap_dom_element *dom = soap_new_xsd__anyType(soap, 1);
		soap->is = xml;
		if (dom && !soap_begin_recv(soap) && soap_get_xsd__anyType(soap, dom, NULL, NULL) && !soap_end_recv(soap))
			outline(dom, 1);
		soap->is = NULL;
	}
	return 0;
}

int main(int argc, char **argv)
{
	enum output mode = OUTLINE;
	int quiet = 0, failed = 0, files = 0;
	struct soap *soap;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--xml")) {
			mode = XML;
		} else if (!strcmp(argv[i], "--json")) {
			mode = JSON;
		} else if (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q")) {
			quiet = 1;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "ews-decode: unknown option %s\n", argv[i]);
			usage(stderr);
			return 2;
		} else {
			files++;
		}
	}
	if (!files) {
		usage(stderr);
		return 2;
	}
	if (!(soap = ews_codec_context_new())) {
		fprintf(stderr, "ews-decode: out of memory\n");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		ews_decoded_message m;
		ews_status st;
		size_t len;
		char *xml;

		if (argv[i][0] == '-' && argv[i][1])
			continue;
		if (!(xml = read_all(argv[i], &len))) {
			fprintf(stderr, "%s: cannot read the file\n", argv[i]);
			failed++;
			continue;
		}
		st = ews_message_decode(soap, xml, len, &m);
		if (!ews_ok(st)) {
			fprintf(stderr, "%s:%s\n", argv[i], st.message + (strncmp(st.message, "line ", 5) ? 0 : 5));
			failed++;
		} else if (!quiet && show(soap, argv[i], &m, mode)) {
			failed++;
		}
		free(xml);
		soap->header = NULL;
		soap_destroy(soap);
		soap_end(soap);
	}
	ews_codec_context_free(soap);
	return failed ? 1 : 0;
}
