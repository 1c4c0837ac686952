/* mime.c — an item's MimeContent: the RFC 5322 message GetItem returns with IncludeMimeContent.
 *
 * An item created from MIME (CreateItem with MimeContent) keeps those bytes (item_props "MimeContent", base64)
 * and answers them unchanged, so MIME round-trips byte-exactly. Any other item's MIME is built from its stored
 * properties and attachments, as Exchange converts a MAPI message: From/To/Cc/Subject/Date/Message-ID/
 * MIME-Version headers (RFC 2047 for non-ASCII subjects), the body as text/plain or text/html in UTF-8, base64;
 * with attachments a multipart/mixed whose parts are the body, each file attachment (base64, Content-Disposition
 * attachment or inline with its file name, Content-ID) and each item attachment (message/rfc822, built the same
 * way). Lines end in CRLF.
 */
#define _GNU_SOURCE     /* strptime */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ewsd.h"

#define MIME_PROP "MimeContent"

struct out {
	struct soap *soap;
	char *p;
	size_t n, cap;
};

static void add(struct out *o, const char *s, size_t n)
{
	if (o->n + n + 1 > o->cap) {
		size_t cap = (o->n + n + 1) * 2 + 256;
		char *q = soap_malloc(o->soap, cap);
		if (o->p)
			memcpy(q, o->p, o->n);
		o->p = q;
		o->cap = cap;
	}
	memcpy(o->p + o->n, s, n);
	o->n += n;
	o->p[o->n] = '\0';
}

static void adds(struct out *o, const char *s) { add(o, s, strlen(s)); }

static void addf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void addf(struct out *o, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	add(o, buf, n < 0 ? 0 : (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

/* base64 in 76-character lines */
static void add_base64(struct out *o, const unsigned char *p, size_t n)
{
	char *b = ewsd_b64(o->soap, p, n);
	size_t len = b ? strlen(b) : 0;
	for (size_t i = 0; i < len; i += 76) {
		add(o, b + i, len - i < 76 ? len - i : 76);
		adds(o, "\r\n");
	}
}

static int ascii(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s >= 0x80 || *s == '\r' || *s == '\n')
			return 0;
	return 1;
}

/* A header value: as is when ASCII, else one RFC 2047 encoded word (UTF-8, base64). */
static void add_text(struct out *o, const char *s)
{
	if (ascii(s)) {
		adds(o, s ? s : "");
		return;
	}
	char *b = ewsd_b64(o->soap, (const unsigned char *)s, strlen(s));
	addf(o, "=?utf-8?B?%s?=", b ? b : "");
}

/* "Name <addr>;Name2 <addr2>" (the stored lists) as an address header value. */
static void add_addresses(struct out *o, const char *list)
{
	char *copy = soap_strdup(o->soap, list), *save = NULL;
	int first = 1;
	for (char *tok = strtok_r(copy, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		while (*tok == ' ')
			tok++;
		if (!*tok)
			continue;
		adds(o, first ? "" : ", ");
		first = 0;
		char *lt = strchr(tok, '<');
		if (lt && lt > tok) {
			char *name = soap_strdup(o->soap, tok);
			size_t nl = (size_t)(lt - tok);
			while (nl && name[nl - 1] == ' ')
				nl--;
			name[nl] = '\0';
			if (ascii(name))
				addf(o, "\"%s\" ", name);
			else {
				add_text(o, name);
				adds(o, " ");
			}
			adds(o, lt);
		} else {
			adds(o, tok);
		}
	}
}

/* xs:dateTime "YYYY-MM-DDThh:mm:ssZ" as an RFC 5322 date. */
static void add_date(struct out *o, const char *when)
{
	struct tm tm;
	char buf[64];
	memset(&tm, 0, sizeof tm);
	if (!when || !strptime(when, "%Y-%m-%dT%H:%M:%S", &tm))
		return;
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t t = timegm(&tm);
	gmtime_r(&t, &tm);
	snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
		 months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	adds(o, "Date: ");
	adds(o, buf);
	adds(o, "\r\n");
}

static void add_message(struct out *o, sqlite3 *db, const struct ewsd_item *it, int depth);

static void add_body_part(struct out *o, const struct ewsd_item *it)
{
	addf(o, "Content-Type: %s; charset=\"utf-8\"\r\nContent-Transfer-Encoding: base64\r\n\r\n",
	     it->body_html ? "text/html" : "text/plain");
	add_base64(o, (const unsigned char *)(it->body ? it->body : ""), it->body ? strlen(it->body) : 0);
}

static void add_attachment_part(struct out *o, sqlite3 *db, const struct ewsd_attachment *a, int depth)
{
	struct ewsd_item emb;
	if (a->is_item && !ewsd_import_blob(o->soap, a->content, a->content_len, &emb)) {
		adds(o, "Content-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n");
		emb.id = 0;
		add_message(o, db, &emb, depth + 1);
		return;
	}
	const char *name = a->name ? a->name : "attachment";
	adds(o, "Content-Type: ");
	adds(o, a->content_type ? a->content_type : "application/octet-stream");
	adds(o, "; name=\"");
	add_text(o, name);
	adds(o, "\"\r\nContent-Description: ");
	add_text(o, name);
	addf(o, "\r\nContent-Disposition: %s; filename=\"", a->is_inline ? "inline" : "attachment");
	add_text(o, name);
	addf(o, "\"; size=%lld\r\n", (long long)a->size);
	if (a->content_id)
		addf(o, "Content-ID: <%s>\r\n", a->content_id);
	adds(o, "Content-Transfer-Encoding: base64\r\n\r\n");
	add_base64(o, a->content, a->content_len);
}

static void add_message(struct out *o, sqlite3 *db, const struct ewsd_item *it, int depth)
{
	struct ewsd_attachment *atts = NULL;
	int n = it->id ? ewsd_attach_list(o->soap, db, it->id, 1, &atts) : 0;
	if (it->from_addr) {
		adds(o, "From: ");
		if (it->from_name && strcmp(it->from_name, it->from_addr)) {
			if (ascii(it->from_name))
				addf(o, "\"%s\" ", it->from_name);
			else {
				add_text(o, it->from_name);
				adds(o, " ");
			}
		}
		addf(o, "<%s>\r\n", it->from_addr);
	}
	if (it->to_list && *it->to_list) {
		adds(o, "To: ");
		add_addresses(o, it->to_list);
		adds(o, "\r\n");
	}
	if (it->cc_list && *it->cc_list) {
		adds(o, "Cc: ");
		add_addresses(o, it->cc_list);
		adds(o, "\r\n");
	}
	adds(o, "Subject: ");
	add_text(o, it->subject);
	adds(o, "\r\n");
	add_date(o, it->sent ? it->sent : it->received ? it->received : it->created);
	if (it->id)
		addf(o, "Message-ID: <ewsd.%lld@%s>\r\n", (long long)it->id, "ewsd.local");
	if (it->importance != 1)
		addf(o, "Importance: %s\r\n", it->importance == 2 ? "high" : "low");
	adds(o, "MIME-Version: 1.0\r\n");
	if (n <= 0) {
		add_body_part(o, it);
		return;
	}
	char boundary[64];
	snprintf(boundary, sizeof boundary, "_ewsd_%d_%lld_", depth, (long long)it->id);
	addf(o, "Content-Type: multipart/mixed;\r\n\tboundary=\"%s\"\r\n\r\n", boundary);
	addf(o, "--%s\r\n", boundary);
	add_body_part(o, it);
	for (int i = 0; i < n; i++) {
		addf(o, "\r\n--%s\r\n", boundary);
		add_attachment_part(o, db, &atts[i], depth);
	}
	addf(o, "\r\n--%s--\r\n", boundary);
}

/* The stored MIME of an item created from MIME (base64 text, soap-managed), or NULL. */
static char *stored_mime(struct soap *soap, sqlite3 *db, int64_t item_id)
{
	sqlite3_stmt *st;
	char *v = NULL;
	if (!item_id || sqlite3_prepare_v2(db, "SELECT value FROM item_props WHERE item_id=? AND name='" MIME_PROP "'",
					   -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_int64(st, 1, item_id);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = soap_strdup(soap, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

char *ewsd_mime_content(struct soap *soap, const struct ewsd_item *it)
{
	sqlite3 *db = ewsd_req(soap)->db;
	char *kept = stored_mime(soap, db, it->id);
	if (kept)
		return kept;
	struct out o = { soap, NULL, 0, 0 };
	add_message(&o, db, it, 0);
	return ewsd_b64(soap, (const unsigned char *)o.p, o.n);
}

/* ---- CreateItem from MIME ---- */

/* The value of header `name` in the header block of msg (unfolded, not decoded), soap-managed, or NULL. */
static char *header(struct soap *soap, const char *msg, size_t n, const char *name)
{
	size_t nl = strlen(name);
	const char *end = msg + n;
	for (const char *line = msg; line < end;) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));
		size_t len = eol ? (size_t)(eol - line) : (size_t)(end - line);
		if (len == 0 || (len == 1 && line[0] == '\r'))
			break;      /* end of the header block */
		if (len > nl && !strncasecmp(line, name, nl) && line[nl] == ':') {
			struct out o = { soap, NULL, 0, 0 };
			const char *v = line + nl + 1;
			for (;;) {
				while (v < line + len && (*v == ' ' || *v == '\t'))
					v++;
				size_t vl = (size_t)(line + len - v);
				if (vl && v[vl - 1] == '\r')
					vl--;
				add(&o, v, vl);
				if (!eol || eol + 1 >= end || (eol[1] != ' ' && eol[1] != '\t'))
					break;
				line = eol + 1;         /* a folded continuation */
				eol = memchr(line, '\n', (size_t)(end - line));
				len = eol ? (size_t)(eol - line) : (size_t)(end - line);
				v = line;
				adds(&o, " ");
			}
			return o.p ? o.p : soap_strdup(soap, "");
		}
		line = eol ? eol + 1 : end;
	}
	return NULL;
}

/* "a@x, "B" <b@y>" -> "a@x;B <b@y>" (the stored list form). */
static char *address_list(struct soap *soap, const char *v)
{
	if (!v)
		return NULL;
	char *s = soap_strdup(soap, v);
	for (char *p = s; *p; p++)
		if (*p == ',')
			*p = ';';
		else if (*p == '"')
			*p = ' ';
	return s;
}

const char *ewsd_mime_take(struct soap *soap, const struct ewstype__MimeContentType *mc, struct ewsd_item *it,
			   struct ewsd_prop_changes *pc)
{
	size_t n;
	unsigned char *raw = mc && mc->__item ? ewsd_unb64(soap, mc->__item, &n) : NULL;
	if (!raw || n == 0)
		return "ErrorMimeContentInvalid";
	char *msg = soap_malloc(soap, n + 1);   /* NUL-terminated for the searches below */
	memcpy(msg, raw, n);
	msg[n] = '\0';
	char *v;
	if (!it->subject && (v = header(soap, msg, n, "Subject")))
		it->subject = ewsd_mime_decode_words(soap, v);
	const char *date = ewsd_mime_date(soap, header(soap, msg, n, "Date"));
	if (date)       /* an imported message keeps its dates (Exchange: DateTimeSent and Received from Date) */
		it->sent = it->received = date;
	it->importance = ewsd_mime_importance(header(soap, msg, n, "Importance"), header(soap, msg, n, "X-Priority"));
	if (!it->from_addr && (v = header(soap, msg, n, "From"))) {
		char *lt = strchr(v, '<'), *gt = lt ? strchr(lt, '>') : NULL;
		if (lt && gt) {
			*gt = '\0';
			it->from_addr = lt + 1;
			*lt = '\0';
			for (char *q = v; *q; q++)
				if (*q == '"')
					*q = ' ';
			while (*v == ' ' || *v == '\t')          /* the display name without its quotes and blanks */
				v++;
			for (char *e = v + strlen(v); e > v && (e[-1] == ' ' || e[-1] == '\t');)
				*--e = '\0';
			it->from_name = ewsd_mime_decode_words(soap, v);
		} else {
			it->from_addr = v;
		}
	}
	if (!it->to_list)
		it->to_list = address_list(soap, header(soap, msg, n, "To"));
	if (!it->cc_list)
		it->cc_list = address_list(soap, header(soap, msg, n, "Cc"));
	/* a single-part text body is readable as the item's Body */
	v = header(soap, msg, n, "Content-Type");
	const char *cte = header(soap, msg, n, "Content-Transfer-Encoding");
	const char *sep = strstr(msg, "\r\n\r\n");
	size_t skip = 4;
	if (!sep)
		sep = strstr(msg, "\n\n"), skip = 2;
	if (!it->body && sep && (!v || !strncasecmp(v, "text/", 5)) &&
	    (!cte || !strcasecmp(cte, "7bit") || !strcasecmp(cte, "8bit"))) {
		it->body = soap_strdup(soap, sep + skip);
		it->body_html = v && !strncasecmp(v, "text/html", 9);
	}
	it->size = (int64_t)n;
	/* kept as sent (canonical base64 of the same bytes): GetItem answers these bytes */
	ewsd_prop_changes_add(pc, MIME_PROP, ewsd_b64(soap, raw, n));
	return NULL;
}
