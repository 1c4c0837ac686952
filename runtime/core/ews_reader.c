/* ews_reader.c — the fast response reader (ews/reader.h): a response's canonical shape read straight into gSOAP's
 * structs, or EWS_READER_FALLBACK and the pre-pass and gSOAP read it as before.
 *
 * One pass over the body as it came (before the pre-pass), no copy of it, tags compared by length and bytes
 * against the tables. It gives up (the caller then pre-passes and decodes with gSOAP, which starts over from the
 * untouched body) on anything whose meaning it would have to mirror from gSOAP's lenient parser rather than read,
 * or that the pre-pass would change or refuse: an element its type does not map or that comes out of schema
 * order (gSOAP skips or reorders), a second occurrence of a single element, an attribute it does not know
 * (xsi:type, xsi:nil, mustUnderstand), an attribute or a namespace given twice, comments, processing
 * instructions after the XML declaration, CDATA, character references (the pre-pass rewrites some), carriage
 * returns and control bytes in values (a NUL ends gSOAP's reading), a name with a byte other than ASCII letters,
 * digits, '_', '-', '.', ':', "/>" inside a quoted value, empty values (some types refuse them), whitespace gSOAP
 * would collapse (in values of types other than xs:string), invalid or overlong UTF-8, values longer than
 * soap->maxlength, arrays over soap->maxoccurs, base64 the strict reader refuses, the https:// envelope URI
 * anywhere (the pre-pass makes it http://, in a value too), an element at the client's
 * nesting cap, a SOAP fault, a mismatched end tag, a cut document. So a body it takes is one the pre-pass leaves
 * byte for byte and finds nothing wrong with (tests/fuzz/fuzz_reader.c checks that on every input it takes).
 * What it makes lives in the response's scratch (ews_body_scratch), dropped at once when it gives up. */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stdsoap2.h"

#include "ews/reader.h"
#include "ews_internal.h"

#define SOAP11_ENV "http://schemas.xmlsoap.org/soap/envelope/"
#define MAX_ATTRS 16
#define MAX_NS 64
#define NS_SOAP 255     /* the envelope's namespace, whatever index the tables use */
#define NS_UNKNOWN 254  /* a namespace the tables do not name */

enum { OK = 0, GIVE_UP = 1 };

typedef struct span {
	const char *s;
	size_t n;
} span;

typedef struct tag {
	span qname;             /* as written, for the end tag */
	span local;
	int ns;                 /* index, NS_SOAP, NS_UNKNOWN, or 0 (no namespace) */
	int empty;              /* <x/> */
	int nattrs;
	span attr_local[MAX_ATTRS];
	span attr_value[MAX_ATTRS];
	int attr_prefixed[MAX_ATTRS];
	int ns_mark;            /* the namespace stack's height before this tag's declarations */
} tag;

typedef struct reader {
	struct soap *soap;
	const ews_rd_document *doc;
	const char *p, *end;
	int max_depth;          /* the client's nesting cap: deeper is the pre-pass's to refuse */
	char *arena;            /* scratch the structs and values are cut from (arena_alloc) */
	size_t arena_left;
	size_t next_chunk;      /* the next scratch chunk's size (doubling) */
	int in_place;           /* base64 values decoded over their text once the body is read (ews_internal.h) */
	struct pending *pending, **pending_end; /* those values, in document order */
	struct {
		span prefix;
		int ns;
	} ns[MAX_NS];
	int nns;
} reader;

/* XML's whitespace between markup (a carriage return in a value is another matter: plain_utf8) */
static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A byte of an element or attribute name as the reader takes it: ASCII letters, digits, '_', '-', '.', ':'. The
 * tables' names are such; any other byte ends the name, and the tag is then left to gSOAP unless a blank, '=',
 * '/' or '>' follows (an '&' in a name, say, is the pre-pass's to refuse). */
static int is_name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
	       c == '.' || c == ':';
}

static void skip_space(reader *r)
{
	while (r->p < r->end && is_space(*r->p))
		r->p++;
}

static int span_is(span a, const char *s)
{
	return a.n == strlen(s) && !memcmp(a.s, s, a.n);
}

static int namespace_index(const reader *r, span uri)
{
	if (span_is(uri, SOAP11_ENV))
		return NS_SOAP;
	for (int i = 1; i < r->doc->nnamespaces; i++)
		if (span_is(uri, r->doc->namespaces[i]))
			return i;
	return NS_UNKNOWN;
}

/* The one text the pre-pass rewrites that is no character reference (ews/sanitize.h): an https:// envelope URI
 * becomes http://, wherever it stands, a value's text included. A body holding it is the pre-pass's. */
static int has_https_envelope(const char *s, size_t n)
{
	static const char uri[] = "https://schemas.xmlsoap.org/soap/envelope/";

	return n >= sizeof uri - 1 && memmem(s, n, uri, sizeof uri - 1) != NULL;
}

/* The namespace of a prefix (empty: the default namespace), from the innermost declaration. */
static int resolve(const reader *r, span prefix)
{
	for (int i = r->nns - 1; i >= 0; i--)
		if (r->ns[i].prefix.n == prefix.n && !memcmp(r->ns[i].prefix.s, prefix.s, prefix.n))
			return r->ns[i].ns;
	return prefix.n ? -1 : 0;
}

/* A start tag at r->p ('<' already seen to follow). Namespace declarations are pushed (popped by end_tag). */
static int start_tag(reader *r, tag *t)
{
	const char *p = r->p + 1, *e = r->end, *colon = NULL;
	span prefix = { p, 0 };

	t->nattrs = 0;
	t->empty = 0;
	t->ns_mark = r->nns;
	t->qname.s = p;
	while (p < e && is_name_char((unsigned char)*p)) {
		if (*p == ':' && !colon)
			colon = p;
		p++;
	}
	t->qname.n = (size_t)(p - t->qname.s);
	if (!t->qname.n)
		return GIVE_UP;       /* ("<!", "<?", "</": no name byte) */
	if (colon) {
		prefix.n = (size_t)(colon - t->qname.s);
		t->local = (span){ colon + 1, (size_t)(p - colon - 1) };
	} else {
		t->local = t->qname;
	}
	for (;;) {
		span name, value;
		const char *ac = NULL;
		char q;

		while (p < e && is_space(*p))
			p++;
		if (p >= e)
			return GIVE_UP;
		if (*p == '>') {
			p++;
			break;
		}
		if (*p == '/') {
			if (p + 1 >= e || p[1] != '>')
				return GIVE_UP;
			t->empty = 1;
			p += 2;
			break;
		}
		name.s = p;
		while (p < e && is_name_char((unsigned char)*p)) {
			if (*p == ':' && !ac)
				ac = p;
			p++;
		}
		name.n = (size_t)(p - name.s);
		if (!name.n || p + 2 > e || *p != '=' || (p[1] != '"' && p[1] != '\''))
			return GIVE_UP;       /* whitespace around '=' and the like: gSOAP's business */
		q = p[1];
		value.s = p += 2;
		while (p < e && *p != q && *p != '<' && (unsigned char)*p >= ' ')
			p++;   /* (a control byte: a NUL ends gSOAP's reading; a tab or line feed XML makes a space) */
		if (p >= e || *p != q)
			return GIVE_UP;
		value.n = (size_t)(p - value.s);
		for (const char *slash = value.s; (slash = memchr(slash, '/', (size_t)(p - slash))) != NULL; slash++)
			if (slash + 1 < p && slash[1] == '>')
				return GIVE_UP;   /* XML allows it; the pre-pass refuses it (gSOAP's skipping misreads it) */
		p++;
		if (name.n >= 5 && !memcmp(name.s, "xmlns", 5) && (name.n == 5 || name.s[5] == ':')) {
			/* (an attribute's value is read by value_copy, which gives up on these too) */
			if (r->nns >= MAX_NS || memchr(value.s, '&', value.n) || has_https_envelope(value.s, value.n))
				return GIVE_UP;
			r->ns[r->nns].prefix = name.n == 5 ? (span){ name.s, 0 } : (span){ name.s + 6, name.n - 6 };
			for (int k = t->ns_mark; k < r->nns; k++)
				if (r->ns[k].prefix.n == r->ns[r->nns].prefix.n &&
				    !memcmp(r->ns[k].prefix.s, r->ns[r->nns].prefix.s, r->ns[k].prefix.n))
					return GIVE_UP;   /* declared twice in one tag: not XML */
			r->ns[r->nns].ns = namespace_index(r, value);
			r->nns++;
			continue;
		}
		if (t->nattrs >= MAX_ATTRS)
			return GIVE_UP;
		for (int k = 0; k < t->nattrs; k++)
			if (t->attr_local[k].n == name.n && !memcmp(t->attr_local[k].s, name.s, name.n))
				return GIVE_UP;   /* given twice: not XML */
		t->attr_prefixed[t->nattrs] = ac != NULL;
		t->attr_local[t->nattrs] = name;
		t->attr_value[t->nattrs] = value;
		t->nattrs++;
	}
	t->ns = resolve(r, prefix);
	if (t->ns < 0)
		return GIVE_UP;       /* an undeclared prefix */
	r->p = p;
	return OK;
}

/* The end tag of t at r->p, with the same name as written; pops t's namespace declarations. */
static int end_tag(reader *r, const tag *t)
{
	const char *p = r->p;

	if (t->empty) {
		r->nns = t->ns_mark;
		return OK;
	}
	if ((size_t)(r->end - p) < t->qname.n + 3 || p[0] != '<' || p[1] != '/' ||
	    memcmp(p + 2, t->qname.s, t->qname.n))
		return GIVE_UP;
	p += 2 + t->qname.n;
	while (p < r->end && is_space(*p))
		p++;
	if (p >= r->end || *p != '>')
		return GIVE_UP;
	r->p = p + 1;
	r->nns = t->ns_mark;
	return OK;
}

/* A value's raw text (up to the next '<', which must open t's end tag). */
static int text_of(reader *r, const tag *t, span *out)
{
	const char *p = r->p;

	if (t->empty)
		return GIVE_UP;       /* empty: some types refuse it, gSOAP says which */
	out->s = p;
	p = memchr(p, '<', (size_t)(r->end - p));
	if (!p || p + 1 >= r->end || p[1] != '/')
		return GIVE_UP;       /* a child element, CDATA, a comment: mixed or escaped content */
	out->n = (size_t)(p - out->s);
	r->p = p;
	return out->n ? end_tag(r, t) : GIVE_UP;
}

/* n bytes of memory that lives as long as the response (8-byte aligned; NULL when out of memory), cut from chunks
 * of the response's scratch (ews_body_scratch: linked into soap's cleanup list like the body, so it moves and is
 * freed with the response, then kept for the next). Why not soap_malloc for each: a page of a thousand items took
 * tens of thousands of allocations; and why not soap_malloc'd chunks: freeing 64 KiB or more at once makes glibc
 * hand the heap's top back to the kernel, and the next response then faulted in every page again (~12 us each on
 * this VM, bench/README.md): a third of the CPU. A value is never freed alone: libews frees a response whole. */
#define FIRST_CHUNK ((size_t)256 << 10)
static void *arena_alloc(reader *r, size_t n)
{
	void *p;

	n = (n + 7) & ~(size_t)7;
	if (n > r->arena_left) {
		size_t want = r->next_chunk > n ? r->next_chunk : n, got = 0;
		if (!(r->arena = ews_body_scratch(r->soap, want, &got)))
			return NULL;
		r->arena_left = got;
		r->next_chunk = want * 2;
	}
	p = r->arena;
	r->arena += n;
	r->arena_left -= n;
	return p;
}

/* Valid UTF-8, no overlong forms, surrogates or code points past U+10FFFF; none of the bytes the text may not hold
 * as they are (a carriage return, a control character). n bytes from s. */
static int plain_utf8(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned c = s[i];
		if (c < 0x80) {
			if (c < ' ' && c != '\t' && c != '\n')
				return 0;
			i++;
			continue;
		}
		int len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? (c <= 0xEF ? 3 : 0) : c >= 0xC2 ? 2 : 0;
		if (!len || i + (size_t)len > n)
			return 0;
		unsigned cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
		for (int k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
			return 0;
		i += (size_t)len;
	}
	return 1;
}

/* Whitespace no string type's collapsing would change: none at the ends, single spaces inside. */
static int collapsed(span v)
{
	if (!v.n || v.s[0] == ' ' || v.s[v.n - 1] == ' ')
		return 0;
	for (size_t i = 0; i < v.n; i++)
		if (v.s[i] == '\t' || v.s[i] == '\n' || (v.s[i] == ' ' && i + 1 < v.n && v.s[i + 1] == ' '))
			return 0;
	return 1;
}

/* The value of raw text v, entities &lt; &gt; &amp; &quot; &apos; replaced, into soap memory. NULL: give up. */
static char *value_copy(reader *r, span v, int kind)
{
	struct soap *soap = r->soap;
	char *out, *o;

	if (!v.n || !plain_utf8((const unsigned char *)v.s, v.n) || (kind != EWS_RD_STRING && !collapsed(v)) ||
	    has_https_envelope(v.s, v.n))
		return NULL;
	if (!(out = arena_alloc(r, v.n + 1)))
		return NULL;
	o = out;
	for (size_t i = 0; i < v.n;) {
		const char *amp = memchr(v.s + i, '&', v.n - i);
		size_t run = amp ? (size_t)(amp - (v.s + i)) : v.n - i;
		static const struct {
			const char *name;
			char c;
		} ents[] = { { "lt;", '<' }, { "gt;", '>' }, { "amp;", '&' }, { "quot;", '"' }, { "apos;", '\'' } };
		int known = 0;

		memcpy(o, v.s + i, run);
		o += run;
		i += run;
		if (i >= v.n)
			break;
		for (size_t k = 0; k < sizeof ents / sizeof *ents && !known; k++) {
			size_t len = strlen(ents[k].name);
			if (v.n - i - 1 >= len && !memcmp(v.s + i + 1, ents[k].name, len)) {
				*o++ = ents[k].c;
				i += 1 + len;
				known = 1;
			}
		}
		if (!known)
			return NULL;  /* a character reference or an undefined entity */
	}
	*o = '\0';
	/* gSOAP counts characters against maxlength; bytes are at least as many */
	if (soap->maxlength > 0 && (size_t)(o - out) > (size_t)soap->maxlength)
		return NULL;
	return out;
}

/* A value of kind m->kind from raw text v into *where (the member, or a union slot). */
static int store_value(reader *r, const ews_rd_member *m, span v, char *where)
{
	char *s = value_copy(r, v, m->kind == EWS_RD_STRING || m->kind == EWS_RD_TEXT ? EWS_RD_STRING : EWS_RD_TOKEN);
	void *box;

	if (!s)
		return GIVE_UP;
	switch (m->kind) {
	case EWS_RD_STRING:
	case EWS_RD_TOKEN:
	case EWS_RD_TEXT:
		*(char **)where = s;
		return OK;
	case EWS_RD_VALUE:
		return m->conv(r->soap, s, where) ? GIVE_UP : OK;
	case EWS_RD_VALUE_PTR:
		if (!(box = arena_alloc(r, m->value_size)))
			return GIVE_UP;
		memset(box, 0, m->value_size);
		if (m->conv(r->soap, s, box))
			return GIVE_UP;
		*(void **)where = box;
		return OK;
	default:
		return GIVE_UP;
	}
}

/* ---- base64Binary: the rules of runtime/binding/ews_base64_in.c (the strict reader gSOAP's path uses), which
 * refuses what these give up on: the decode then fails there, naming the element ---- */

/* 1 + the value of a base64 alphabet byte, B64_SPACE for XML white space, 0 for any other byte */
#define B64_SPACE 65
static const unsigned char b64_class[256] = {
	['A'] = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
	['a'] = 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52,
	['0'] = 53, 54, 55, 56, 57, 58, 59, 60, 61, 62,
	['+'] = 63, ['/'] = 64,
	[' '] = B64_SPACE, ['\t'] = B64_SPACE, ['\r'] = B64_SPACE, ['\n'] = B64_SPACE,
};

/* Text v as base64: the bytes it decodes to, written to out when out is not NULL (room for them; out may be v's own
 * bytes, as the writing never overtakes the reading), or -1 when it is not base64 as the strict reader has it
 * (alphabet, groups of four, '=' only to pad the last group, no nonzero bits after the last byte, white space
 * anywhere). Whole groups between white space go four characters at a time. */
static long b64_run(span v, unsigned char *out)
{
	const unsigned char *s = (const unsigned char *)v.s, *e = s + v.n;
	unsigned long m = 0;
	long n = 0;
	int j = 0, pad = 0;

	while (s < e) {
		if (!j && !pad) {
			while (e - s >= 4) {
				unsigned a = b64_class[s[0]] - 1u, b = b64_class[s[1]] - 1u, c = b64_class[s[2]] - 1u,
				         d = b64_class[s[3]] - 1u;
				if ((a | b | c | d) >= 64)   /* white space (64), '=' or another byte (~0): one at a time */
					break;
				if (out) {
					out[n] = (unsigned char)(a << 2 | b >> 4);
					out[n + 1] = (unsigned char)(b << 4 | c >> 2);
					out[n + 2] = (unsigned char)(c << 6 | d);
				}
				n += 3;
				s += 4;
			}
			if (s >= e)
				break;
		}
		unsigned char ch = *s++;
		unsigned t = b64_class[ch];
		if (t == B64_SPACE)
			continue;
		if (pad == 2 || (pad == 1 && ch != '='))
			return -1;
		if (ch == '=') {
			if (pad == 1) {
				pad = 2;
				continue;
			}
			if (j < 2 || (j == 2 && (m & 0xF)) || (j == 3 && (m & 0x3)))
				return -1;
			if (out) {
				out[n] = (unsigned char)(j == 2 ? m >> 4 : m >> 10);
				if (j == 3)
					out[n + 1] = (unsigned char)(m >> 2);
			}
			n += j - 1;
			pad = j == 2 ? 1 : 2;
			j = 0;
			m = 0;
			continue;
		}
		if (!t)
			return -1;
		m = m << 6 | (t - 1);
		if (++j == 4) {
			if (out) {
				out[n] = (unsigned char)(m >> 16);
				out[n + 1] = (unsigned char)(m >> 8);
				out[n + 2] = (unsigned char)m;
			}
			n += 3;
			j = 0;
			m = 0;
		}
	}
	return j || pad == 1 ? -1 : n;
}

/* A value decoded over its text once the whole body has been read (in_place): dst is the value's struct
 * xsd__base64Binary (a generated type: reached through the member's offsets). */
struct pending {
	struct pending *next;
	const ews_rd_member *m;
	char *dst;
	span text;
};

static void set_base64(const ews_rd_member *m, char *dst, unsigned char *p, long n)
{
	memcpy(dst + m->ptr_offset, &p, sizeof p);
	*(int *)(dst + m->size_offset) = (int)n;
}

/* A base64Binary value of member m from raw text v into dst (its struct, zeroed). */
static int store_base64(reader *r, const ews_rd_member *m, span v, char *dst)
{
	long n = b64_run(v, NULL);
	unsigned char *out;

	if (!v.n || n < 0 || n > 0x7FFFFFFF || (r->soap->maxlength > 0 && n > r->soap->maxlength))
		return GIVE_UP;       /* empty, not base64, too long: the strict reader's to say */
	if (r->in_place) {
		struct pending *p = arena_alloc(r, sizeof *p);
		if (!p)
			return GIVE_UP;
		*p = (struct pending){ NULL, m, dst, v };
		*r->pending_end = p;
		r->pending_end = &p->next;
		return OK;
	}
	if (!(out = arena_alloc(r, (size_t)n + 1)))
		return GIVE_UP;
	set_base64(m, dst, out, b64_run(v, out));
	return OK;
}

/* The pending values decoded over their own text (the body is read whole: nothing will read it again); 1 when
 * one was. */
static int decode_pending(reader *r)
{
	for (struct pending *p = r->pending; p; p = p->next) {
		unsigned char *at = (unsigned char *)(uintptr_t)p->text.s; /* the caller's writable body */
		set_base64(p->m, p->dst, at, b64_run(p->text, at));
	}
	return r->pending != NULL;
}

static int read_struct(reader *r, const ews_rd_type *t, void *obj, const tag *start, int depth);

/* A new struct of type t from the element whose start tag is st, into *out. */
static int new_struct(reader *r, const ews_rd_type *t, const tag *st, void **out, int depth)
{
	void *obj = arena_alloc(r, t->size);

	if (!obj)
		return GIVE_UP;
	t->init(r->soap, obj);
	*out = obj;
	return read_struct(r, t, obj, st, depth);
}

/* One element (start tag st read) as value of member or alternative m, into where. */
static int read_element(reader *r, const ews_rd_member *m, const tag *st, char *where, int depth)
{
	span v;

	switch (m->kind) {
	case EWS_RD_STRUCT_PTR:
		return new_struct(r, m->type, st, (void **)where, depth);
	case EWS_RD_BASE64_PTR:
	case EWS_RD_BASE64: {
		char *b = m->kind == EWS_RD_BASE64 ? where : arena_alloc(r, m->value_size);
		if (!b || st->nattrs || text_of(r, st, &v))
			return GIVE_UP;
		memset(b, 0, m->value_size);   /* soap_default_xsd__base64Binary: all NULL and 0 */
		if (m->kind == EWS_RD_BASE64_PTR)
			memcpy(where, &b, sizeof b);
		return store_base64(r, m, v, b);
	}
	case EWS_RD_STRING:
	case EWS_RD_TOKEN:
	case EWS_RD_VALUE:
	case EWS_RD_VALUE_PTR:
		if (st->nattrs || text_of(r, st, &v))
			return GIVE_UP;
		return store_value(r, m, v, where);
	default:
		return GIVE_UP;
	}
}

static int name_matches(const ews_rd_member *m, const tag *t)
{
	return m->name && m->ns == t->ns && t->local.n == strlen(m->name) && !memcmp(t->local.s, m->name, t->local.n);
}

/* Which alternative of a choice the element t is, or NULL. */
static const ews_rd_member *alternative(const ews_rd_member *choice, const tag *t)
{
	for (int i = 0; i < choice->nalts; i++)
		if (choice->alts[i].kind != EWS_RD_NONE && name_matches(&choice->alts[i], t))
			return &choice->alts[i];
	return NULL;
}

static int matches(const ews_rd_member *m, const tag *t)
{
	if (m->attribute)
		return 0;
	if (m->kind == EWS_RD_CHOICE || m->kind == EWS_RD_CHOICE_ARRAY)
		return alternative(m, t) != NULL;
	return name_matches(m, t);
}

/* An array being filled: its member and its elements so far (malloc'd; soap memory once complete). */
typedef struct open_array {
	const ews_rd_member *m;
	char *owner;
	char *items;
	size_t n, cap;
} open_array;

static char *array_slot(reader *r, open_array *a)
{
	if (a->n >= (size_t)r->soap->maxoccurs)
		return NULL;          /* gSOAP refuses more */
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 16;
		char *items = realloc(a->items, cap * a->m->elem_size);
		if (!items)
			return NULL;
		a->items = items;
		a->cap = cap;
	}
	memset(a->items + a->n * a->m->elem_size, 0, a->m->elem_size);
	return a->items + a->n++ * a->m->elem_size;
}

static int array_close(reader *r, open_array *a)
{
	char *copy;

	if (!a->m)
		return OK;
	copy = arena_alloc(r, a->n * a->m->elem_size);
	if (!copy)
		return GIVE_UP;
	memcpy(copy, a->items, a->n * a->m->elem_size);
	*(char **)(a->owner + a->m->offset) = copy;
	*(int *)(a->owner + a->m->count_offset) = (int)a->n;
	a->m = NULL;
	a->n = 0;
	return OK;
}

/* One element of an array member. */
static int array_element(reader *r, open_array *a, const tag *st, int depth)
{
	const ews_rd_member *m = a->m, *alt;
	char *slot = array_slot(r, a);

	if (!slot)
		return GIVE_UP;
	switch (m->kind) {
	case EWS_RD_STRUCT_ARRAY:
		m->type->init(r->soap, slot);
		return read_struct(r, m->type, slot, st, depth);
	case EWS_RD_STRING_ARRAY: {
		span v;
		if (st->nattrs || text_of(r, st, &v))
			return GIVE_UP;
		return (*(char **)slot = value_copy(r, v, EWS_RD_STRING)) ? OK : GIVE_UP;
	}
	case EWS_RD_CHOICE_ARRAY:
		alt = alternative(m, st);
		*(int *)(slot + m->sel_offset) = alt->selector;
		return read_element(r, alt, st, slot + m->union_offset, depth);
	default:
		return GIVE_UP;
	}
}

/* Attributes of start tag st into obj, by the members of t. */
static int read_attributes(reader *r, const ews_rd_type *t, char *obj, const tag *st)
{
	for (int i = 0; i < st->nattrs; i++) {
		const ews_rd_member *m = NULL;
		if (st->attr_prefixed[i])
			return GIVE_UP;       /* xsi:type, xsi:nil, SOAP-ENV:mustUnderstand, xml:lang ... */
		for (int k = 0; k < t->nmembers && !m; k++)
			if (t->members[k].attribute && span_is(st->attr_local[i], t->members[k].name))
				m = &t->members[k];
		if (!m || m->kind == EWS_RD_NONE || store_value(r, m, st->attr_value[i], obj + m->offset))
			return GIVE_UP;       /* unknown, unmapped, or a value to leave to gSOAP */
	}
	return OK;
}

/* The children (and attributes, and text) of the element st into obj, a struct of type t. Elements must come in
 * the order of t's members (gSOAP's lenient any-order matching and skipping stay gSOAP's). */
static int read_struct(reader *r, const ews_rd_type *t, void *obj_, const tag *st, int depth)
{
	char *obj = obj_;
	int pos = 0;                  /* members before pos are behind us */
	int seq_pos = 0;              /* the same within an optional sequence's struct */
	open_array a = { 0 };
	int rc = GIVE_UP;

	if (depth >= r->max_depth || read_attributes(r, t, obj, st))
		return GIVE_UP;
	for (int k = 0; k < t->nmembers; k++)
		if (t->members[k].kind == EWS_RD_TEXT) {
			span v;
			if (text_of(r, st, &v))
				return GIVE_UP;
			return store_value(r, &t->members[k], v, obj + t->members[k].offset);
		}
	if (st->empty)
		return end_tag(r, st);
	for (;;) {
		tag ct;
		const ews_rd_member *m = NULL;
		int j;

		skip_space(r);
		if (r->p >= r->end || *r->p != '<')
			goto out;     /* text among elements (or the end of the body) */
		if (r->p + 1 < r->end && r->p[1] == '/')
			break;
		if (start_tag(r, &ct))
			goto out;
		if (a.m && matches(a.m, &ct)) {
			if (array_element(r, &a, &ct, depth + 1))
				goto out;
			continue;
		}
		if (array_close(r, &a))
			goto out;
		for (j = pos; j < t->nmembers && !m; j++)
			if (t->members[j].kind == EWS_RD_SEQUENCE) {
				const ews_rd_type *s = t->members[j].type;
				for (int k = j == pos ? seq_pos : 0; k < s->nmembers && !m; k++)
					if (matches(&s->members[k], &ct)) {
						m = &s->members[k];
						seq_pos = k + 1;
					}
				if (m)
					break;
			} else if (matches(&t->members[j], &ct)) {
				m = &t->members[j];
				break;
			}
		if (!m || m->kind == EWS_RD_NONE)
			goto out;     /* unknown here, out of order, repeated, or not mapped */
		if (t->members[j].kind == EWS_RD_SEQUENCE) {
			void **seq = (void **)(obj + t->members[j].offset);
			if (j != pos)
				seq_pos = (int)(m - t->members[j].type->members) + 1;
			if (!*seq) {
				if (!(*seq = arena_alloc(r, t->members[j].type->size)))
					goto out;
				t->members[j].type->init(r->soap, *seq);
			}
			pos = j;      /* further members of the sequence, or members after it */
			if (read_element(r, m, &ct, (char *)*seq + m->offset, depth + 1))
				goto out;
			continue;
		}
		pos = j + 1;
		switch (m->kind) {
		case EWS_RD_STRUCT_ARRAY:
		case EWS_RD_STRING_ARRAY:
		case EWS_RD_CHOICE_ARRAY:
			a.m = m;
			a.owner = obj;
			if (array_element(r, &a, &ct, depth + 1))
				goto out;
			break;
		case EWS_RD_CHOICE: {
			const ews_rd_member *alt = alternative(m, &ct);
			*(int *)(obj + m->sel_offset) = alt->selector;
			if (read_element(r, alt, &ct, obj + m->union_offset, depth + 1))
				goto out;
			break;
		}
		default:
			if (read_element(r, m, &ct, obj + m->offset, depth + 1))
				goto out;
		}
	}
	if (array_close(r, &a))
		goto out;
	/* an optional sequence none of whose elements came: gSOAP's NULL or empty struct is gSOAP's to say */
	for (int k = 0; k < t->nmembers; k++)
		if (t->members[k].kind == EWS_RD_SEQUENCE && !*(void **)(obj + t->members[k].offset))
			goto out;
	rc = end_tag(r, st);
out:
	free(a.items);
	return rc;
}

/* The next element, of the SOAP envelope's namespace, without attributes but namespace declarations. */
static int envelope_element(reader *r, tag *t)
{
	skip_space(r);
	if (r->p >= r->end || *r->p != '<' || start_tag(r, t))
		return GIVE_UP;
	return t->ns == NS_SOAP && !t->nattrs ? OK : GIVE_UP;
}

static ews_reader_check_fn check_fn;

void ews_reader_set_check(ews_reader_check_fn fn)
{
	check_fn = fn;
}

ews_reader_check_fn ews_reader_check(void)
{
	return check_fn;
}

static int decode(reader *r, void *response);

int ews_reader_decode(struct soap *soap, const ews_rd_document *doc, char *body, size_t len, int max_depth,
                      int *wrote_in_place, void *response)
{
	reader r = { .soap = soap, .doc = doc, .p = body, .end = body + len, .max_depth = max_depth,
	             .next_chunk = FIRST_CHUNK, .in_place = wrote_in_place != NULL };
	int rc;

	r.pending_end = &r.pending;
	rc = decode(&r, response);
	if (rc == EWS_READER_FALLBACK) {
		ews_body_scratch_drop(soap);   /* gSOAP decodes it into memory of its own */
		if (wrote_in_place)
			*wrote_in_place = 0;
	} else if (wrote_in_place) {
		*wrote_in_place = decode_pending(&r); /* only now: until the end, the reader could still give up */
	}
	return rc;
}

static int decode(reader *r, void *response)
{
	size_t len = (size_t)(r->end - r->p);
	struct soap *soap = r->soap;
	const ews_rd_document *doc = r->doc;
	tag env, t;

	if (!doc || !doc->body || (soap->imode & (SOAP_C_UTFSTRING | SOAP_XML_STRICT)) != SOAP_C_UTFSTRING)
		return EWS_READER_FALLBACK;
	doc->body->init(soap, response);
	soap->header = NULL;
	if (len > 5 && !memcmp(r->p, "<?xml", 5)) {
		const char *q = memchr(r->p, '>', len);
		if (!q || q[-1] != '?' || memchr(r->p + 1, '<', (size_t)(q - r->p - 1)) ||
		    has_https_envelope(r->p, (size_t)(q - r->p)))
			return EWS_READER_FALLBACK;   /* the pre-pass's to judge */
		for (const char *c = r->p; c < q; c++)
			if ((unsigned char)*c < ' ' && !is_space(*c))
				return EWS_READER_FALLBACK;   /* a NUL ends gSOAP's reading */
		r->p = q + 1;
	}
	if (envelope_element(r, &env) || !span_is(env.local, "Envelope") || env.empty || envelope_element(r, &t))
		return EWS_READER_FALLBACK;
	if (span_is(t.local, "Header")) {
		/* gSOAP makes the header struct whenever the element is there, empty or not */
		struct SOAP_ENV__Header *h;
		if (!doc->header || !(h = soap_malloc(soap, doc->header->size)))
			return EWS_READER_FALLBACK;
		doc->header->init(soap, h);
		if (read_struct(r, doc->header, h, &t, 2))
			return EWS_READER_FALLBACK;
		soap->header = h;
		if (envelope_element(r, &t))
			return EWS_READER_FALLBACK;
	}
	if (!span_is(t.local, "Body") || t.empty || read_struct(r, doc->body, response, &t, 2))
		return EWS_READER_FALLBACK;
	skip_space(r);
	if (end_tag(r, &env))
		return EWS_READER_FALLBACK;
	skip_space(r);
	return r->p == r->end ? SOAP_OK : EWS_READER_FALLBACK;
}
