/* ews_codec.c — decode or re-encode any EWS message, the operation found from the body element's name. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "soapH.h"
#include "ews/codec.h"
#include "ews/sanitize.h"
#include "ews_internal.h"
#include "ews_wire.h"
#include "ews_xml_dedup.h"

/* Nesting and size limits for messages decoded here: EWS documents are shallow (restrictions nest a few levels
 * per And/Or/Not), so a deep document is hostile, not real. */
#define EWS_CODEC_MAXLEVEL 256
#define EWS_CODEC_MAXLENGTH (512L * 1024 * 1024)

const ews_operation_codec *ews_operation_codec_find(const char *name)
{
	const ews_operation_codec *c;

	for (c = ews_operation_codecs; name && c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

struct soap *ews_codec_context_new(void)
{
	struct soap *soap = ews_soap_new(SOAP_C_UTFSTRING | SOAP_XML_TREE);

	if (!soap)
		return NULL;
	soap_set_namespaces(soap, namespaces);   /* ours: also accepts the https:// EWS namespaces */
	soap->maxlevel = EWS_CODEC_MAXLEVEL;
	soap->recv_maxlength = EWS_CODEC_MAXLENGTH;
	return soap;
}

void ews_codec_context_free(struct soap *soap)
{
	if (!soap)
		return;
	soap->header = NULL;
	ews_soap_free(soap);
}

/* The next start tag at or after p: returns the start of its name (after '<'), or NULL. Prolog, comments,
 * processing instructions and declarations are skipped; an end tag stops the search when stop_at_end is set. */
static const char *next_element(const char *p, int stop_at_end)
{
	while ((p = strchr(p, '<')) != NULL) {
		if (p[1] == '?')
			p = strstr(p, "?>");
		else if (!strncmp(p, "<!--", 4))
			p = strstr(p, "-->");
		else if (p[1] == '!')
			p = strchr(p, '>');
		else if (p[1] == '/' && stop_at_end)
			return NULL;
		else if (p[1] != '/')
			return p + 1;
		else
			p++;
		if (!p)
			return NULL;
	}
	return NULL;
}

/* Copy the local name (prefix stripped) of the element whose name starts at p. */
static void local_name(const char *p, char *out, size_t cap)
{
	const char *end = p, *colon = NULL;
	size_t n;

	while (*end && !strchr(" \t\r\n/>", *end)) {
		if (*end == ':')
			colon = end;
		end++;
	}
	if (colon)
		p = colon + 1;
	n = (size_t)(end - p);
	if (n >= cap)
		n = cap - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

/* The local name of the body element: the root element, or the Body's first child when there is an envelope.
 * This only picks the decoder; gSOAP then parses (and validates) the whole message. */
static int sniff_body_element(const char *xml, char *name, size_t cap, int *has_envelope)
{
	char n[128];
	const char *p = next_element(xml, 1);

	*has_envelope = 0;
	if (!p)
		return -1;
	local_name(p, n, sizeof n);
	if (strcmp(n, "Envelope")) {
		snprintf(name, cap, "%s", n);
		return 0;
	}
	*has_envelope = 1;
	do {
		if (!(p = next_element(p, 0)))
			return -1;
		local_name(p, n, sizeof n);
	} while (strcmp(n, "Body"));
	if (!(p = next_element(p, 1)))
		return -1;
	local_name(p, name, cap);
	return 0;
}

/* Where parsing stopped: gSOAP reads from soap->is in buffered chunks, so back off what is still buffered. */
static int line_of_error(const struct soap *soap, const char *start, size_t len)
{
	size_t consumed = soap->is ? (size_t)(soap->is - start) : len;
	size_t pending = soap->buflen > soap->bufidx ? soap->buflen - soap->bufidx : 0;
	size_t pos = consumed > pending ? consumed - pending : 0;
	int line = 1;

	if (pos > len)
		pos = len;
	for (size_t i = 0; i < pos; i++)
		if (start[i] == '\n')
			line++;
	return line;
}

/* Reference pages (and so the seeds) contain xsi:type="t:AlternateIdType" where t is declared only on a sibling
 * element: out of scope, so gSOAP rejects the message. Real servers do not do this; to decode such documents
 * anyway, a second attempt declares the prefix on the element itself, taking its URI from the declaration found
 * elsewhere in the document. Returns a new malloc'd NUL-terminated buffer, or NULL when nothing changed. */
static char *declare_xsi_type_prefixes(const char *buf, size_t n)
{
	const char *p = buf, *copied = buf;
	size_t extra = 0, o = 0;
	char *out;

	for (p = buf; (p = strstr(p, "xsi:type=\"")) != NULL; p++)
		extra += 300;
	if (!extra || !(out = malloc(n + extra + 1)))
		return NULL;
	for (p = buf; (p = strstr(p, "xsi:type=\"")) != NULL; p += 10) {
		const char *val = p + 10, *colon = strchr(val, ':'), *q = strchr(val, '"'), *tag, *tag_end, *decl;
		char pfx[64], needle[80];
		size_t plen, namelen;

		if (!colon || !q || colon > q || (plen = (size_t)(colon - val)) == 0 || plen >= sizeof pfx)
			continue;
		memcpy(pfx, val, plen);
		pfx[plen] = '\0';
		snprintf(needle, sizeof needle, "xmlns:%s=\"", pfx);
		for (tag = p; tag > buf && *tag != '<'; tag--)
			;
		tag_end = strchr(p, '>');
		decl = strstr(tag, needle);
		if (decl && tag_end && decl < tag_end)
			continue;                               /* declared on the element itself: fine */
		if (!(decl = strstr(buf, needle)) || !(q = strchr(decl + strlen(needle), '"')))
			continue;                               /* declared nowhere: let gSOAP report it */
		for (namelen = 1; tag[namelen] && !strchr(" \t\r\n/>", tag[namelen]); namelen++)
			;
		if ((size_t)(q + 1 - decl) > 290)
			continue;
		memcpy(out + o, copied, (size_t)(tag + namelen - copied));
		o += (size_t)(tag + namelen - copied);
		out[o++] = ' ';
		memcpy(out + o, decl, (size_t)(q + 1 - decl));
		o += (size_t)(q + 1 - decl);
		copied = tag + namelen;
	}
	if (copied == buf) {
		free(out);
		return NULL;
	}
	memcpy(out + o, copied, n - (size_t)(copied - buf));
	o += n - (size_t)(copied - buf);
	out[o] = '\0';
	return out;
}

/* Only white space (or more dots) in [p, end)? */
static int blank(const char *p, const char *end)
{
	while (p < end && strchr(" .\t\r\n", *p))
		p++;
	return p == end;
}

/* Microsoft's reference pages shorten examples with a line holding only "..." or "…" between elements, which
 * no parser accepts. Drop such lines (second attempt only). Returns a malloc'd copy, or NULL if none. */
static char *drop_ellipsis_lines(const char *buf, size_t n)
{
	char *out = malloc(n + 1);
	const char *line = buf;
	size_t o = 0;
	int dropped = 0;

	if (!out)
		return NULL;
	while (line < buf + n) {
		const char *end = memchr(line, '\n', (size_t)(buf + n - line)), *p = line;
		size_t len = end ? (size_t)(end - line) + 1 : (size_t)(buf + n - line);
		while (p < line + len && strchr(" \t\r\n", *p))
			p++;
		if ((!strncmp(p, "...", 3) || !strncmp(p, "\xE2\x80\xA6", 3)) && blank(p + 3, line + len)) {
			dropped = 1;
		} else {
			memcpy(out + o, line, len);
			o += len;
		}
		line += len;
	}
	out[o] = '\0';
	if (!dropped) {
		free(out);
		return NULL;
	}
	return out;
}

/* SOAP 1.1 fault children (faultcode, faultstring, faultactor, detail) are unqualified; one reference page
 * qualifies them (soap:faultcode). Unqualify them (second attempt only). Returns a malloc'd copy or NULL. */
static char *unqualify_fault_children(const char *buf, size_t n)
{
	static const char *const names[] = { "faultcode>", "faultstring>", "faultactor>", "detail>" };
	char *out = malloc(n + 1);
	size_t i = 0, o = 0;
	int changed = 0;

	if (!out)
		return NULL;
	while (i < n) {
		if (buf[i] == '<') {
			size_t j = i + 1 + (buf[i + 1] == '/'), k = j;
			while (k < n && k - j < 16 && (isalnum((unsigned char)buf[k]) || buf[k] == '-' || buf[k] == '_'))
				k++;
			if (k < n && buf[k] == ':' && k > j) {
				for (size_t t = 0; t < sizeof names / sizeof *names; t++)
					if (!strncmp(buf + k + 1, names[t], strlen(names[t]))) {
						memcpy(out + o, buf + i, j - i);   /* "<" or "</" */
						o += j - i;
						i = k + 1;                          /* skip "prefix:" */
						changed = 1;
						break;
					}
			}
		}
		out[o++] = buf[i++];
	}
	out[o] = '\0';
	if (!changed) {
		free(out);
		return NULL;
	}
	return out;
}

static ews_status decode_failure(struct soap *soap, const char *buf, size_t len, const char *what)
{
	const char **text, **detail;
	int line = line_of_error(soap, buf, len);
	ews_code code;

	soap_set_fault(soap);   /* fills faultstring/detail from soap->error */
	text = soap_faultstring(soap);
	detail = soap_faultdetail(soap);
	code = soap->error == SOAP_LEVEL || soap->error == SOAP_LENGTH || soap->error == SOAP_OCCURS ?
		EWS_ERR_TOO_LARGE : EWS_ERR_XML;

	return ews_status_make(code, "line %d: cannot decode %s: %s%s%s", line, what,
			       text && *text ? *text : "malformed XML",
			       detail && *detail ? ": " : "", detail && *detail ? *detail : "");
}

static int line_at(const char *buf, long at)
{
	int line = 1;
	for (long i = 0; i < at; i++)
		line += buf[i] == '\n';
	return line;
}

/* Parse buf (NUL-terminated, sanitized) as the message sniffed into out->kind/op/has_envelope; pre is what the
 * pre-pass found in it. */
/* A captured HTTP message with "Content-Encoding: gzip" makes gSOAP set up zlib's inflater in soap_begin_recv; only
 * soap_end_recv (a decode that succeeded) ends it. A failed decode left it set up, and the next decode with the
 * context set up a new one over it: zlib's state leaked (7 KiB a time; tests/fuzz's decode target, LeakSanitizer).
 * Ended before every decode and when ews_message_decode returns. */
static void end_inflate(struct soap *soap)
{
	if (soap->zlib_state == SOAP_ZLIB_INFLATE)
		inflateEnd(soap->d_stream);
	soap->zlib_state = SOAP_ZLIB_NONE;
}

static ews_status decode_body(struct soap *soap, const char *buf, size_t n, const ews_xml_prepass_result *pre,
			      const char *what, ews_decoded_message *out)
{
	int ok;

	if (pre->malformed_at >= 0)
		return ews_status_make(EWS_ERR_XML, "line %d: cannot decode %s: %s (offset %ld: malformed XML, %s)",
				       line_at(buf, pre->malformed_at), what, pre->malformed_what, pre->malformed_at,
				       pre->malformed_loss);
	if (pre->mixed_at >= 0)
		return ews_status_make(EWS_ERR_XML, "line %d: cannot decode %s: text before an element inside an element "
				       "that holds only elements (mixed content, which no EWS type has: what follows it "
				       "would be lost)", line_at(buf, pre->mixed_at), what);
	end_inflate(soap);
	soap->is = buf;
	soap->header = NULL;
	out->body = NULL;
	ok = !soap_begin_recv(soap);
	if (ok && out->has_envelope)
		ok = !soap_envelope_begin_in(soap) && !soap_recv_header(soap) && !soap_body_begin_in(soap);
	/* <CreateItem xsi:nil="true"/> would decode as a wrapper holding NULL, and encode as an empty Body: an
	 * operation element is never nil (the peek is kept for the get below, which peeks the same way). A peek that
	 * fails (an attribute without a name: `<ResolveNames = ReturnFullContactData="true">`) ends the decode: the
	 * get below peeked again from wherever the failed one stopped and decoded an operation element with its
	 * defaults, its attributes and children lost, with success (tests/fuzz's decode target:
	 * attribute-without-a-name) */
	if (ok && soap_peek_element(soap))
		ok = 0;
	else if (ok && soap->null) {
		soap->is = NULL;
		return ews_status_make(EWS_ERR_XML, "line %d: cannot decode %s: the operation element is xsi:nil",
				       line_of_error(soap, buf, n), what);
	}
	if (ok) {
		if (out->kind == EWS_MESSAGE_FAULT)
			ok = soap_getfault(soap) == SOAP_OK;
		else if (out->kind == EWS_MESSAGE_RESPONSE)
			ok = (out->body = out->op->get_response(soap)) != NULL;
		else
			ok = (out->body = out->op->get_request(soap)) != NULL;
	}
	/* A SOAP 1.1 faultcode is one QName; gSOAP reads it as a list and rewrites unprefixed names with an invented
	 * prefix ("x y" -> "x:x _0:y", longer at each round trip): a list is not a faultcode anyone can match */
	if (ok && out->kind == EWS_MESSAGE_FAULT && soap->fault && soap->fault->faultcode &&
	    strpbrk(soap->fault->faultcode, " \t\r\n")) {
		soap->is = NULL;
		return ews_status_make(EWS_ERR_XML, "line %d: cannot decode %s: the faultcode is not one QName",
				       line_of_error(soap, buf, n), what);
	}
	if (ok && out->has_envelope)
		ok = !soap_body_end_in(soap) && !soap_envelope_end_in(soap);
	if (ok)
		ok = !soap_end_recv(soap);
	if (!ok) {
		ews_status st;
		if (!soap->error)
			soap->error = SOAP_SYNTAX_ERROR;
		st = decode_failure(soap, buf, n, what);
		soap->is = NULL;
		return st;
	}
	soap->is = NULL;
	out->header = soap->header;
	out->fault = out->kind == EWS_MESSAGE_FAULT ? soap->fault : NULL;
	return ews_status_ok();
}

ews_status ews_message_decode(struct soap *soap, const char *xml, size_t len, ews_decoded_message *out)
{
	char name[128], *buf, *fixed;
	size_t n;
	ews_xml_prepass_result pre;
	ews_status st;

	if (!soap || !xml || !out)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_message_decode: NULL argument");
	memset(out, 0, sizeof *out);
	/* gSOAP copies what it keeps, so the working copy is ours to free once parsed. */
	if (!(buf = malloc(len + 1)))
		return ews_status_make(EWS_ERR_NOMEM, "out of memory for a %zu-byte message", len);
	memcpy(buf, xml, len);
	n = ews_xml_prepass(buf, len, INT_MAX, &pre); /* sanitized; mixed content found (no depth cap here) */
	buf[n] = '\0';
	if (strlen(buf) != n) { /* a raw NUL byte: XML cannot contain one, and gSOAP would stop reading there */
		int line = 1;
		for (const char *p = buf; *p; p++)
			line += *p == '\n';
		free(buf);
		return ews_status_make(EWS_ERR_XML, "line %d: NUL byte in the message", line);
	}
	if (sniff_body_element(buf, name, sizeof name, &out->has_envelope)) {
		free(buf);
		return ews_status_make(EWS_ERR_XML, "line 1: not an EWS message (no root element, or an empty SOAP Body)");
	}
	if (!strcmp(name, "Fault")) {
		out->kind = EWS_MESSAGE_FAULT;
	} else {
		size_t nl = strlen(name);
		char opname[128];
		/* Most responses are <OpResponse>; a few operations answer with <OpResponseMessage> (GetPersona). */
		static const char *const suffixes[] = { "Response", "ResponseMessage" };
		for (size_t k = 0; k < 2 && !out->op; k++) {
			size_t sl = strlen(suffixes[k]);
			if (nl > sl && !strcmp(name + nl - sl, suffixes[k])) {
				snprintf(opname, sizeof opname, "%.*s", (int)(nl - sl), name);
				if ((out->op = ews_operation_codec_find(opname)) != NULL)
					out->kind = EWS_MESSAGE_RESPONSE;
			}
		}
		if (!out->op && (out->op = ews_operation_codec_find(name)) != NULL)
			out->kind = EWS_MESSAGE_REQUEST;
		/* a few requests are <OpRequest> (GetUserOofSettings, SetUserOofSettings, GetUserAvailability) */
		if (!out->op && nl > 7 && !strcmp(name + nl - 7, "Request")) {
			snprintf(opname, sizeof opname, "%.*s", (int)(nl - 7), name);
			if ((out->op = ews_operation_codec_find(opname)) != NULL)
				out->kind = EWS_MESSAGE_REQUEST;
		}
		if (!out->op) {
			free(buf);
			return ews_status_make(EWS_ERR_UNSUPPORTED,
					       "line 1: '%s' is not a message of an operation these bindings support", name);
		}
	}
	st = decode_body(soap, buf, n, &pre, name, out);
	/* Reference-page defects real servers do not have: each repair is tried alone, only after a failure,
	 * and the first error is reported if none helps. */
	for (int r = 0; !ews_ok(st) && r < 3; r++) {
		fixed = r == 0 ? declare_xsi_type_prefixes(buf, n) : r == 1 ? drop_ellipsis_lines(buf, n) :
			unqualify_fault_children(buf, n);
		if (fixed) {
			size_t fn = strlen(fixed);
			ews_status again;
			ews_xml_markup(fixed, fn, INT_MAX, &pre); /* the repair changed the text: measure it again */
			again = decode_body(soap, fixed, fn, &pre, name, out);
			if (ews_ok(again))
				st = again;
			free(fixed);
		}
	}
	end_inflate(soap);
	free(buf);
	return st;
}

ews_status ews_message_encode(struct soap *soap, const ews_decoded_message *msg, const char **xml_out)
{
	int err;

	if (!soap || !msg || !xml_out || (msg->kind != EWS_MESSAGE_FAULT && (!msg->op || !msg->body)) ||
	    (msg->kind == EWS_MESSAGE_FAULT && !msg->fault))
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_message_encode: incomplete message");
	*xml_out = NULL;
	/* gSOAP remembers the URI each prefix matched on input (https:// from reference pages) and would emit it;
	 * a fresh copy of our table makes the output use the canonical http:// URIs again. */
	soap_set_namespaces(soap, namespaces);
	soap->header = msg->header;
	soap->fault = msg->kind == EWS_MESSAGE_FAULT ? msg->fault : soap->fault;
	soap_set_version(soap, 1);
	soap->encodingStyle = NULL;
	ews_wire_forget_attributes(soap);    /* before the serializers set this message's attributes */
	if (msg->has_envelope)
		soap_serializeheader(soap);
	if (msg->kind == EWS_MESSAGE_FAULT)
		soap_serializefault(soap);
	else if (msg->kind == EWS_MESSAGE_RESPONSE)
		msg->op->serialize_response(soap, msg->body);
	else
		msg->op->serialize_request(soap, msg->body);

	soap->os = xml_out;
	err = ews_wire_attach(soap, msg->kind == EWS_MESSAGE_REQUEST ? EWS_WIRE_REQUEST : EWS_WIRE_RESPONSE) ||
	      soap_begin_send(soap);     /* written as Exchange and the clients write it: s:, m:, t: */
	if (!err && msg->has_envelope)
		err = soap_envelope_begin_out(soap) || soap_putheader(soap) || soap_body_begin_out(soap);
	if (!err) {
		if (msg->kind == EWS_MESSAGE_FAULT)
			err = soap_putfault(soap);
		else if (msg->kind == EWS_MESSAGE_RESPONSE)
			err = msg->op->put_response(soap, msg->body);
		else
			err = msg->op->put_request(soap, msg->body);
	}
	if (!err && msg->has_envelope)
		err = soap_body_end_out(soap) || soap_envelope_end_out(soap);
	if (!err)
		err = soap_end_send(soap);
	soap->os = NULL;
	if (err || !*xml_out)
		return ews_status_make(EWS_ERR_INTERNAL, "cannot encode %s: gSOAP error %d",
				       msg->op ? msg->op->name : "Fault", soap->error);
	/* DOM content (fault detail, MessageXml, unknown item types) can carry its xmlns twice: see ews_xml_dedup.h.
	 * The string is the context's own copy. */
	ews_xml_drop_duplicate_attributes((char *)*xml_out, strlen(*xml_out));
	return ews_status_ok();
}
