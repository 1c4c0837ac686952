/* <DESC> ews-decode: decode EWS SOAP messages (requests, responses, faults) through the typed bindings </DESC>
 *
 *   ews-decode [--xml | --json] [--quiet] FILE...     ("-" reads standard input)
 *
 * Each message is decoded into the generated C structs, then shown as an outline of what the structs hold (or
 * re-serialized from them with --xml), so what you see is exactly what a libews program gets. A captured HTTP
 * exchange (request line or status line and headers, e.g. with "Expect: 100-continue") is accepted: the headers
 * are skipped. Standard output carries only decoded output (with --json, one object per file, also for a file
 * that fails); reasons go to standard error, and so do notes on elements the bindings do not know (skipped; item,
 * folder and attachment types of unknown kinds are kept as XML and shown). Exit status: 0 when every file decodes, 1 when any does not (one line
 * each: FILE:LINE: reason), 2 for usage errors.
 */
#define _GNU_SOURCE             /* memmem */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "soapH.h"
#include "ews/cli.h"
#include "ews/codec.h"
#include "ews/response.h"

enum output { OUTLINE, XML, JSON };

static void usage(FILE *f)
{
	fputs("usage: ews-decode [--xml | --json] [--quiet] FILE...   ews-decode --version\n"
	      "Decode EWS SOAP messages (request, response or fault) through the libews bindings.\n\n"
	      "  --xml     print the message re-serialized from the decoded structs\n"
	      "  --json    one JSON object per file: operation, kind, response messages; {\"ok\":false,\"error\":...}\n"
	      "            for a file that does not decode\n"
	      "  --quiet   print only failures\n"
	      "  --version the tool's and the library's version, and the schema the bindings came from\n"
	      "  FILE      a file with one message, or - for standard input; a captured HTTP request or response\n"
	      "            (headers, then the XML body) is accepted\n\n"
	      "example: ews-decode captured/finditem-response.xml\n"
	      "exit status: 0 all decoded, 1 some did not, 2 usage\n", f);
}

/* The whole file (NUL-terminated) or NULL with *err set to what went wrong. */
static char *read_all(const char *path, size_t *len, const char **err)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	size_t cap = 1 << 16, n = 0;
	char *buf;

	*len = 0;
	if (!f) {
		*err = strerror(errno);
		return NULL;
	}
	buf = malloc(cap + 1);
	while (buf) {
		size_t r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (n < cap) {
			if (ferror(f)) {
				*err = strerror(errno ? errno : EIO);
				free(buf);
				buf = NULL;
			}
			break;
		}
		char *grown = realloc(buf, (cap *= 2) + 1);
		if (!grown)
			free(buf);
		buf = grown;
	}
	if (!buf && !*err)
		*err = strerror(ENOMEM);
	if (f != stdin)
		fclose(f);
	if (buf)
		buf[n] = '\0';
	*len = n;
	return buf;
}

/* ---- captured HTTP exchanges ---- */

/* Length of the line at p (without its end), and where the next one starts. */
static size_t line_at(const char *p, const char *end, const char **next)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
	*next = nl ? nl + 1 : end;
	if (n && p[n - 1] == '\r')
		n--;
	return n;
}

/* "POST /EWS/Exchange.asmx HTTP/1.1" or "HTTP/1.1 200 OK". */
static int is_start_line(const char *p, size_t n)
{
	const char *sp;
	if (n >= 9 && !strncmp(p, "HTTP/1.", 7))
		return 1;
	sp = memchr(p, ' ', n);
	if (!sp || sp == p)
		return 0;
	for (const char *q = p; q < sp; q++)
		if (*q < 'A' || *q > 'Z')
			return 0;
	return n > 9 && !strncmp(p + n - 9, " HTTP/1.", 8);
}

/* When the input is a captured HTTP message (or several: "HTTP/1.1 100 Continue", blank line, "HTTP/1.1 200 OK"),
 * skip the start lines and headers. Returns the offset of the body and counts the lines skipped; *err is set for
 * bodies this tool cannot read as XML (chunked or compressed). Captures often lack the blank line before the
 * body: a line starting with '<' ends the headers too. */
static size_t skip_http_headers(const char *buf, size_t len, int *lines, const char **err)
{
	const char *p = buf, *end = buf + len, *next;
	int chunked = 0, compressed = 0;

	*lines = 0;
	while (p < end) {
		size_t n = line_at(p, end, &next);
		if (!is_start_line(p, n))
			break;
		p = next;
		++*lines;
		while (p < end) {       /* header lines */
			n = line_at(p, end, &next);
			if (n == 0) {
				p = next;
				++*lines;
				break;
			}
			if (*p == '<')
				break;
			if (n > 18 && !strncasecmp(p, "Transfer-Encoding:", 18) && memmem(p, n, "chunked", 7))
				chunked = 1;
			if (n > 17 && !strncasecmp(p, "Content-Encoding:", 17) && !memmem(p, n, "identity", 8))
				compressed = 1;
			p = next;
			++*lines;
		}
		while (p < end && (*p == '\r' || *p == '\n')) {
			*lines += *p == '\n';
			p++;
		}
	}
	if (chunked)
		*err = "the captured body is chunked (Transfer-Encoding: chunked): save the de-chunked body";
	else if (compressed)
		*err = "the captured body is compressed (Content-Encoding): save the decompressed body";
	return (size_t)(p - buf);
}

/* ---- saying what is wrong with input that is not a whole XML document ---- */

enum shape { WHOLE, NOT_XML, TRUNCATED };

/* A light well-formedness walk: is this XML at all, and does it end before its root element does? *line is the
 * line where the walk stopped. Only what tells those apart: tags, comments, CDATA, PIs. Anything else wrong
 * (mismatched tags ...) is WHOLE here and left to the parser, whose message says what and where. */
#define MAX_SHAPE_DEPTH 512

static enum shape xml_shape(const char *p, const char *end, int *line)
{
	int depth = 0, tags = 0;
	const char *open[MAX_SHAPE_DEPTH];        /* names of the open elements, for matching end tags */
	size_t open_len[MAX_SHAPE_DEPTH];

	*line = 1;
	if (end - p >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	while (p < end && strchr(" \t\r\n", *p))
		*line += *p++ == '\n';
	if (p == end || *p != '<')
		return NOT_XML;
	while (p < end) {
		const char *close;
		if (*p != '<') {
			*line += *p++ == '\n';
			continue;
		}
		if (end - p >= 4 && !memcmp(p, "<!--", 4))
			close = memmem(p, (size_t)(end - p), "-->", 3);
		else if (end - p >= 9 && !memcmp(p, "<![CDATA[", 9))
			close = memmem(p, (size_t)(end - p), "]]>", 3);
		else if (end - p >= 2 && (p[1] == '?' || p[1] == '!'))
			close = memchr(p, '>', (size_t)(end - p));
		else {
			/* a start or end tag: names start with a letter, '_' or ':' (or any non-ASCII byte) */
			const char *q = p + 1 + (end - p > 1 && p[1] == '/');
			char quote = 0;
			if (q >= end)
				return tags ? TRUNCATED : NOT_XML;
			if (!((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') || *q == '_' || *q == ':' || (*q & 0x80)))
				return NOT_XML;
			for (close = NULL; q < end && !close; q++) {
				if (quote) {
					if (*q == quote)
						quote = 0;
				} else if (*q == '"' || *q == '\'') {
					quote = *q;
				} else if (*q == '>') {
					close = q;
				} else if (*q == '<') {
					return NOT_XML;
				}
			}
			if (!close)
				return tags ? TRUNCATED : NOT_XML;
			const char *name = p + 1 + (p[1] == '/');
			size_t name_len = strcspn(name, " \t\r\n/>");
			if (p[1] == '/') {
				/* a mismatched end tag is malformed, not truncated: the parser's own message says where */
				if (depth <= 0 || (depth <= MAX_SHAPE_DEPTH && (open_len[depth - 1] != name_len ||
				                                                memcmp(open[depth - 1], name, name_len))))
					return WHOLE;
				depth--;
			} else if (close[-1] != '/') {
				if (depth < MAX_SHAPE_DEPTH) {
					open[depth] = name;
					open_len[depth] = name_len;
				}
				depth++;
			}
			tags++;
			for (; p < close; p++)
				*line += *p == '\n';
			p = close + 1;
			continue;
		}
		if (!close)
			return tags ? TRUNCATED : NOT_XML;
		for (; p < close; p++)
			*line += *p == '\n';
		p = close + 1;
	}
	if (!tags)
		return NOT_XML;
	return depth > 0 ? TRUNCATED : WHOLE;
}

/* ---- output ---- */

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
	if (!s) {
		fputs("null", stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
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

/* A file that did not decode: FILE[:LINE]: reason on stderr, and with --json an error object on stdout. */
static void fail(enum output mode, const char *path, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void fail(enum output mode, const char *path, int line, const char *fmt, ...)
{
	char reason[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	if (line > 0)
		fprintf(stderr, "%s:%d: %s\n", path, line, reason);
	else
		fprintf(stderr, "%s: %s\n", path, reason);
	if (mode == JSON) {
		printf("{\"file\":");
		json_string(path);
		printf(",\"ok\":false,");
		if (line > 0)
			printf("\"line\":%d,", line);
		printf("\"error\":");
		json_string(reason);
		printf("}\n");
	}
}

static int show(struct soap *soap, const char *path, const ews_decoded_message *m, enum output mode)
{
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs =
		m->kind == EWS_MESSAGE_RESPONSE ? ews_response_messages_of(m->op->name, m->body) : NULL;
	const char *xml = NULL;
	ews_status st = ews_message_encode(soap, m, &xml);
	int i, n = ews_response_messages_count(msgs);

	if (!ews_ok(st)) {
		fail(mode, path, 0, "%s", st.message);
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
	/* The outline comes from the re-serialized structs: it shows what the bindings kept (elements of types the
	 * bindings do not know included: they are kept as XML, and appear here with their content). */
	{
		struct soap_dom_element *dom = soap_new_xsd__anyType(soap, 1);
		soap->is = xml;
		if (dom && !soap_begin_recv(soap) && soap_get_xsd__anyType(soap, dom, NULL, NULL) && !soap_end_recv(soap))
			outline(dom, 1);
		soap->is = NULL;
	}
	return 0;
}

/* gSOAP answers an HTTP request it parses ("HTTP/1.1 100 Continue" for Expect: 100-continue) on its output,
 * which is our standard output: nothing of the sort may reach it. */
static int discard_send(struct soap *soap, const char *s, size_t n)
{
	(void)soap;
	(void)s;
	(void)n;
	return SOAP_OK;
}

/* Elements the bindings do not know are skipped by the decoder (item, folder and attachment types excepted: those
 * are kept as XML). Say so on standard error, once per element name and file, so nothing goes missing unnoticed. */
static struct {
	const char *path;
	char seen[32][64];
	int n;
} skipped;

static int note_skipped(struct soap *soap, const char *tag)
{
	(void)soap;
	for (int i = 0; i < skipped.n; i++)
		if (!strncmp(skipped.seen[i], tag, sizeof skipped.seen[i] - 1))
			return SOAP_OK;
	if (skipped.n < 32)
		snprintf(skipped.seen[skipped.n++], sizeof skipped.seen[0], "%s", tag);
	fprintf(stderr, "%s: note: <%s> is not expected there by these bindings: skipped\n", skipped.path, tag);
	return SOAP_OK;
}

/* Decode one file; 0 when it decoded and was shown. */
static int decode_file(struct soap *soap, const char *path, enum output mode, int quiet)
{
	const char *err = NULL, *body;
	ews_decoded_message m;
	ews_status st;
	size_t len, off;
	int head_lines, line, rc;
	char *xml = read_all(path, &len, &err);

	if (!xml) {
		fail(mode, path, 0, "cannot read: %s", err);
		return 1;
	}
	off = skip_http_headers(xml, len, &head_lines, &err);
	body = xml + off;
	if (err) {
		fail(mode, path, head_lines + 1, "%s", err);
		free(xml);
		return 1;
	}
	switch (xml_shape(body, xml + len, &line)) {
	case NOT_XML:
		if (strspn(body, " \t\r\n") == len - off)
			fail(mode, path, 0, "%s", off ? "no XML body after the HTTP headers" : "empty file");
		else
			fail(mode, path, head_lines + line, "not XML");
		free(xml);
		return 1;
	case TRUNCATED:
		fail(mode, path, 0, "truncated at line %d (the document ends before its root element does)",
		     head_lines + line);
		free(xml);
		return 1;
	case WHOLE:
		break;
	}
	skipped.path = path;
	skipped.n = 0;
	soap->fignore = note_skipped;
	st = ews_message_decode(soap, body, len - off, &m);
	soap->fignore = NULL;
	if (!ews_ok(st)) {
		/* "line N: reason": report the line in the file, after any HTTP headers */
		int at = 0, used = 0;
		if (sscanf(st.message, "line %d: %n", &at, &used) == 1 && used > 0)
			fail(mode, path, at + head_lines, "%s", st.message + used);
		else
			fail(mode, path, 0, "%s", st.message);
		rc = 1;
	} else {
		rc = quiet ? 0 : show(soap, path, &m, mode);
	}
	free(xml);
	soap->header = NULL;
	soap_destroy(soap);
	soap_end(soap);
	return rc;
}

int main(int argc, char **argv)
{
	enum output mode = OUTLINE;
	int quiet = 0, failed = 0, files = 0, only_files = 0;
	struct soap *soap;

	for (int i = 1; i < argc; i++) {
		if (only_files || !strcmp(argv[i], "-") || argv[i][0] != '-') {
			files++;
		} else if (!strcmp(argv[i], "--")) {
			only_files = 1;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--version")) {
			ews_cli_print_version(&(ews_cli){ .prog = "ews-decode" }, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--xml")) {
			mode = XML;
		} else if (!strcmp(argv[i], "--json")) {
			mode = JSON;
		} else if (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q")) {
			quiet = 1;
		} else {
			fprintf(stderr, "ews-decode: unknown option %s (see ews-decode --help)\n", argv[i]);
			return 2;
		}
	}
	if (!files) {
		fputs("ews-decode: no FILE to decode (see ews-decode --help)\n", stderr);
		return 2;
	}
	if (!(soap = ews_codec_context_new())) {
		fprintf(stderr, "ews-decode: out of memory\n");
		return 1;
	}
	soap->fsend = discard_send;
	only_files = 0;
	for (int i = 1; i < argc; i++) {
		if (!only_files && strcmp(argv[i], "-") && argv[i][0] == '-') {
			only_files = !strcmp(argv[i], "--");
			continue;
		}
		failed += decode_file(soap, argv[i], mode, quiet);
		fflush(stdout);
	}
	ews_codec_context_free(soap);
	return failed ? 1 : 0;
}
