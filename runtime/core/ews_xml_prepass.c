/* ews_xml_prepass.c — everything libews checks or fixes in a response's XML before gSOAP parses it, in one pass
 * (issue 13: these were three whole-body passes, ~10% of a pager's CPU):
 *
 *  - sanitizing (the public ews_xml_sanitize(), see ews/sanitize.h for the why): invalid character references
 *    -> U+FFFD, valid ones >= U+0080 -> UTF-8, long ASCII ones shortened, an https:// envelope URI -> http://;
 *  - the element nesting depth: gSOAP enforces soap->maxlevel only for elements it decodes; unknown elements
 *    (which EWS clients must skip) are skipped without that check, so a hostile response could nest them
 *    arbitrarily deep. The depth of everything is bounded here;
 *  - mixed content: text before a start tag inside the same parent. No EWS type has it (an item's Body is text,
 *    HTML in it is escaped). Outside SOAP_XML_STRICT, gSOAP meets such text where it expects a child element,
 *    ends the element's content there and skips everything up to the end tag without a word:
 *    `<t:ExtendedProperty>x<t:ExtendedFieldURI .../><t:Value>v</t:Value></t:ExtendedProperty>` decoded as an
 *    ExtendedProperty without its Value (found by tests/fuzz's decode target). Known elements silently lost is
 *    what must never happen (issue 10 point 1), so the caller refuses such a message, naming the place. Text after
 *    the last child (before the end tag) loses nothing gSOAP could have kept and passes. A fault's detail and a
 *    MessageXml hold a sequence of any elements, each of which gSOAP keeps whole as a DOM tree, mixed content
 *    included: what is inside those elements is not looked at (their own level is, like any other);
 *  - a '/' in a start tag, outside a quoted value, that is not followed at once by '>' (`<a b="x"/c>`, an unquoted
 *    value `b=x/y`, `<a / >`): not XML. gSOAP ends the tag at any such '/' and swallows the next non-blank byte
 *    as if it were the '>', so the rest of the tag becomes text of the parent: inside an element kept as DOM (an
 *    unknown item type) it was kept as mixed content the re-decode refuses, elsewhere it is silently skipped,
 *    and the tag's end is lost either way (tests/fuzz's decode target: slash-invalid-utf8,
 *    unquoted-value-in-unknown-item). The caller refuses such a message, naming the place. XML allows '/' in a
 *    start tag only right before its '>' (or inside a quoted value), so no well-formed message is refused.
 *  - a '<' inside a quoted attribute value (`<html dir="ltr />`, then markup up to the next quote): XML forbids
 *    it. gSOAP takes a quote for a value's only in the tags it parses as elements; in text it reads as text (a
 *    string's content, an unknown element it skips) it counts tags by '<', '</' and '/>' alone, quotes included
 *    as text. So where this scan saw one long value hiding everything up to the next quote, gSOAP saw the text
 *    end at the next end tag and read what followed as elements: mixed content there went unseen, and an
 *    unknown item kept as DOM carried it into an encoding the next decode refused (tests/fuzz's decode target:
 *    lt-inside-a-quoted-value-hides-mixed-content). Which reading is gSOAP's depends on the schema type of the
 *    element around it, which this pass does not know, so the caller refuses the message, naming the place; a
 *    well-formed message never has one.
 *  - a quote in an element's name (`<t:Message="https://...">`): not XML. A name ends at a blank, '/' or '>' for
 *    gSOAP (after any blanks that follow the '<'), so the quote and what follows are part of the name, up to a '/'
 *    the quote hid from this scan: an unknown item kept as DOM carried the name `t:Message="http:` into an
 *    encoding the next decode refused (tests/fuzz's decode target: quote-in-an-element-name,
 *    quote-in-a-name-after-blanks). The scan goes on as before (the quote after '=' read as a value's, so the
 *    other verdicts stay those of the passes this one replaced); the message is refused for the first.
 *  - an end tag whose name is not its start tag's (`<m:A><m:B>x</m:C></m:A>`, or one with no start tag): not XML.
 *    Outside SOAP_XML_STRICT gSOAP does not compare the names: it takes any end tag for the end of the element it
 *    is in, so the elements after it were read at the wrong level, and a known one there was silently skipped
 *    (tests/fuzz's decode target: GetStreamingEvents lost its ConnectionTimeout behind a stray
 *    `</t:SubscriptionId></m:SubscriptionIds>`, end-tag-names-another-element). Names are compared as gSOAP
 *    reads them (a start tag's after any blanks behind the '<', up to a blank, '/' or '>'; an end tag's right
 *    after the "</", up to a blank or '>'), byte for byte, for the first NAME_LEVELS levels (deeper ones are
 *    refused by the depth cap long before, 200 by default).
 *  - markup gSOAP reads otherwise than XML (and this scan) does: a comment with "--" inside it or not closed (gSOAP
 *    ends a comment at its first "--", then skips to a '>' counting nested '<'), a '<!' that is neither a comment
 *    nor a CDATA section (a DTD, which SOAP forbids; gSOAP reads `<![X[` as CDATA and a declaration to its
 *    matching '>'), a processing instruction whose first '>' does not follow a '?' (gSOAP reads on to "?>") or
 *    that holds a '<' (after the PI's first '?' gSOAP counts each '<' as an opening to be matched by a '>', so
 *    `<?m?<?>` went on past its "?>" and hid a CDATA opener from it, behind which this scan saw only text and
 *    gSOAP an element named "<": tests/fuzz's decode target, lt-inside-a-processing-instruction), and
 *    a blank or '%' right after a '<' (gSOAP skips the blanks, so `< !--` is a comment to it, and reads '<%' to its
 *    matching '>'). What such markup hid from this scan, gSOAP read as elements: a comment "<!--" not closed by
 *    "-->" covered the rest of a FindItem response here, while gSOAP had ended it at a "--" and decoded an unknown
 *    item with mixed content (tests/fuzz's decode target: comment-ended-early-by-gsoap). XML allows none of these.
 *    Nor does gSOAP read a quote as a quote where it skips an element it does not know (it counts '<', "</" and
 *    "/>"), so "/>" inside a quoted value, which XML allows and no EWS value holds, is refused as well, and so is
 *    a '<' inside a start tag outside a quoted value (`<m:Resp<?xml ...?>`, a comment or CDATA opener in a tag):
 *    part of the tag's name or attributes where gSOAP parses the element, markup where it reads the element as
 *    text (tests/fuzz's decode target: mixed-content-behind-markup-inside-a-start-tag).
 *  - an attribute value not in quotes (`Key=#B">`): gSOAP reads it to a blank, '/' or '>', gives that '>' back as
 *    its own token rather than the byte, and then reads the text after the tag as another attribute's name
 *    (tests/fuzz's decode target: unquoted-value-ending-in-a-quote). XML allows none; blanks around '=' it does.
 *  - an '&' that does not begin a reference: gSOAP reads the bytes after it, up to a ';' and at most 7, as the
 *    reference's name, whatever they are: `&amp<![CDATA[` lost its '<' there while this scan saw a CDATA section
 *    covering the rest of the message, and `Id="A&B" x="y"` would lose a closing quote (tests/fuzz's decode
 *    target: amp-swallows-a-cdata-opener). Refused unless those bytes are letters, digits or '#' (then nothing but
 *    the reference is taken: known names, unknown ones, numeric ones long or short all pass).
 *
 * The depth and mixed-content verdicts are those of the SANITIZED text (that is what gSOAP reads). They are
 * tracked while sanitizing, on the bytes as they are written: sanitizing never adds, removes or moves '<', '>',
 * quotes, '/' before '>', blanks, or the names "detail"/"MessageXml", so the markup seen in the input at a point is
 * the markup of the output there. Ordinary bytes are skipped in runs through a per-state table instead of being
 * looked at one by one. Two rare shapes make the sanitizer and the markup scan disagree on what a comment or CDATA
 * section covers (such an opener inside a tag, where sanitizing copies it verbatim but markup does not see one;
 * "<!-->" and "<!--->", which sanitizing ends at their own "-->"): from there the rest is sanitized plainly and the
 * markup of the whole output measured again (scan_markup), exactly as the separate passes did. */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <string.h>

#include "ews/sanitize.h"
#include "ews_internal.h"

/* ---- character references ---- */

static int xml_forbids(unsigned long c)
{
	return (c < 0x20 && c != 0x9 && c != 0xA && c != 0xD) || (c >= 0xD800 && c <= 0xDFFF) ||
	       c == 0xFFFE || c == 0xFFFF || c > 0x10FFFF;
}

static size_t put_utf8(char *p, unsigned long v)
{
	if (v < 0x800) {
		p[0] = (char)(0xC0 | v >> 6);
		p[1] = (char)(0x80 | (v & 0x3F));
		return 2;
	}
	if (v < 0x10000) {
		p[0] = (char)(0xE0 | v >> 12);
		p[1] = (char)(0x80 | (v >> 6 & 0x3F));
		p[2] = (char)(0x80 | (v & 0x3F));
		return 3;
	}
	p[0] = (char)(0xF0 | v >> 18);
	p[1] = (char)(0x80 | (v >> 12 & 0x3F));
	p[2] = (char)(0x80 | (v >> 6 & 0x3F));
	p[3] = (char)(0x80 | (v & 0x3F));
	return 4;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = (char)(ch | 0x20);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* A reference "&#...;" starting at s[0]. Returns its length (0 if it is not a complete numeric reference) and
 * the code point (saturated, so absurdly long references count as out of range). */
static size_t parse_charref(const char *s, size_t avail, unsigned long *cp)
{
	size_t i = 2, digits = 0;
	int hex = 0;
	unsigned long v = 0;

	if (avail < 4 || s[0] != '&' || s[1] != '#')
		return 0;
	if (s[2] == 'x' || s[2] == 'X') {
		hex = 1;
		i = 3;
	}
	for (; i < avail && i < 64; i++, digits++) {
		int d = hex ? hexval(s[i]) : (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);
		if (d < 0)
			break;
		if (v <= 0x10FFFF)
			v = v * (hex ? 16 : 10) + (unsigned long)d;
	}
	if (!digits || i >= avail || s[i] != ';')
		return 0;
	*cp = v;
	return i + 1;
}

/* A character reference at buf[i], rewritten into buf[o...] when it needs it. Returns the input bytes consumed
 * (0: left as it is) and *wrote, the output bytes. The output never ends in '/' and holds no markup byte. */
static size_t rewrite_ref(char *buf, size_t i, size_t len, size_t o, size_t *wrote)
{
	unsigned long cp = 0;
	size_t n = parse_charref(buf + i, len - i, &cp);

	if (n && xml_forbids(cp)) {
		memcpy(buf + o, "\xEF\xBF\xBD", 3);
		*wrote = 3;
		return n;
	}
	if (n && cp >= 0x80) {
		*wrote = put_utf8(buf + o, cp);
		return n;
	}
	if (n > 6) {
		/* an ASCII character written long ("&#x0003C;"): the same gSOAP bug keeps a stray ';' after it, so
		 * write the short form "&#60;" (at most 6 bytes, never longer) */
		char dec[3];
		int nd = 0;
		size_t w = o;
		do
			dec[nd++] = (char)('0' + cp % 10);
		while ((cp /= 10) != 0);
		buf[w++] = '&';
		buf[w++] = '#';
		while (nd)
			buf[w++] = dec[--nd];
		buf[w++] = ';';
		*wrote = w - o;
		return n;
	}
	return 0;
}

static const char https_env[] = "https://schemas.xmlsoap.org/soap/envelope/";
static const char http_env[] = "http://schemas.xmlsoap.org/soap/envelope/";

static int is_https_env(const char *s, size_t avail)
{
	return avail >= sizeof https_env - 1 && !memcmp(s, https_env, sizeof https_env - 1);
}

/* Length of the comment or CDATA section starting at s[0] as sanitizing copies it verbatim (to its end marker
 * included, else to the end), 0 if none starts there. */
static size_t verbatim_len(const char *s, size_t avail)
{
	const char *end;

	if (avail >= 9 && !memcmp(s, "<![CDATA[", 9))
		end = memmem(s, avail, "]]>", 3);
	else if (avail >= 4 && !memcmp(s, "<!--", 4))
		end = memmem(s, avail, "-->", 3);
	else
		return 0;
	return end ? (size_t)(end - s) + 3 : avail;
}

/* Sanitize buf[i..len) into buf[o...], byte by byte; returns the new end of the output. */
static size_t sanitize_from(char *buf, size_t i, size_t o, size_t len)
{
	while (i < len) {
		char ch = buf[i];
		size_t n, wrote;
		if (ch == '<' && (n = verbatim_len(buf + i, len - i)) != 0) {
			memmove(buf + o, buf + i, n);
			i += n, o += n;
			continue;
		}
		if (ch == '&' && (n = rewrite_ref(buf, i, len, o, &wrote)) != 0) {
			i += n, o += wrote;
			continue;
		}
		if (ch == 'h' && is_https_env(buf + i, len - i)) {
			memcpy(buf + o, http_env, sizeof http_env - 1);
			o += sizeof http_env - 1, i += sizeof https_env - 1;
			continue;
		}
		buf[o++] = buf[i++];
	}
	return o;
}

size_t ews_xml_sanitize(char *buf, size_t len)
{
	return sanitize_from(buf, 0, 0, len);
}

/* ---- markup: depth and mixed content ---- */

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The element whose name starts at s[i] (after '<') is a fault's detail or a MessageXml: its children are DOM. */
static int any_content(const char *s, size_t i, size_t len)
{
	static const char *const names[] = { "detail", "MessageXml" };
	size_t start = i, end;
	for (end = i; end < len && s[end] != ' ' && s[end] != '>' && s[end] != '/' && s[end] != '\t' &&
	              s[end] != '\r' && s[end] != '\n'; end++)
		if (s[end] == ':')
			start = end + 1;
	for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
		if (end - start == strlen(names[k]) && !memcmp(s + start, names[k], end - start))
			return 1;
	return 0;
}

/* Levels whose start tag's name is kept, to be compared with their end tag's. */
#define NAME_LEVELS 256

/* What the markup scan carries from tag to tag. */
struct markup {
	int max_depth;
	int depth;
	int any_parent;     /* depth of a detail/MessageXml being read (0: none): below it is DOM */
	long text_at;       /* offset of non-blank text seen since the last tag at the current depth, or -1 */
	ews_xml_prepass_result *r;
	size_t closing_at, closing_len; /* the name the end tag being read must have (closing_len 0: not checked) */
	int closing_any;    /* 1: any name (a level deeper than NAME_LEVELS); 0 with closing_len 0: no start tag */
	size_t name_at[NAME_LEVELS], name_len[NAME_LEVELS]; /* level d's start tag name: [d - 1] */
	int unterminated;   /* a tag, comment, CDATA section, PI or declaration runs to the text's end */
	int elements;       /* a start tag was read: the document has begun its root */
};

/* Mixed content is still looked for here: not found yet, inside an element, not below a detail/MessageXml. */
static int watching_text(const struct markup *m)
{
	return m->r->mixed_at < 0 && m->text_at < 0 && m->depth > 0 && !(m->any_parent && m->depth > m->any_parent);
}

/* A start tag begins (its '<' at offset at): text before it in the same parent is mixed content. */
static void start_tag_opens(struct markup *m)
{
	if (m->text_at >= 0 && m->r->mixed_at < 0)
		m->r->mixed_at = m->text_at;
}

/* A start tag whose name starts at s[name] ended (prev: the byte before its '>'). */
static void start_tag_closes(struct markup *m, const char *s, size_t name, size_t len, char prev, size_t at)
{
	m->elements = 1;
	if (prev == '/')
		return;
	if (++m->depth > m->max_depth && !m->r->too_deep) {
		m->r->too_deep = 1;
		m->r->deep_at = (long)at;
	}
	if (m->depth >= 1 && m->depth <= NAME_LEVELS) { /* (stray end tags can take the count below 0) */
		size_t k = name, e;
		while (k < len && blank(s[k]))
			k++;
		for (e = k; e < len && (unsigned char)s[e] > ' ' && s[e] != '>' && s[e] != '/'; e++)
			;
		m->name_at[m->depth - 1] = k;
		m->name_len[m->depth - 1] = e - k;
	}
	if (!m->any_parent && m->r->mixed_at < 0 && any_content(s, name, len))
		m->any_parent = m->depth;
}

static const char slash_what[] = "a '/' inside a start tag not followed by '>'";
static const char slash_loss[] = "the rest of the tag would be lost";
static const char name_what[] = "a quote in an element's name";
static const char name_loss[] = "gSOAP reads the name on to the next blank, '/' or '>'";
static const char lt_what[] = "a '<' inside a quoted attribute value";
static const char lt_loss[] = "the markup after it would go unchecked: where an element holds text, gSOAP reads "
			      "that quote as text";

/* Both passes start from "nothing found". */
static void no_verdicts(ews_xml_prepass_result *r)
{
	r->too_deep = 0;
	r->deep_at = -1;
	r->mixed_at = -1;
	r->malformed_at = -1;
	r->malformed_what = r->malformed_loss = NULL;
	r->unfinished = 0;
}

/* The first malformed start tag is the one reported. */
static void malformed(ews_xml_prepass_result *r, size_t at, const char *what, const char *loss)
{
	if (r->malformed_at < 0) {
		r->malformed_at = (long)at;
		r->malformed_what = what;
		r->malformed_loss = loss;
	}
}

/* Whether the start tag whose name starts at s[name] is still in its name at s[at]: no blank since its first
 * non-blank byte (gSOAP skips blanks right after the '<', then reads the name: `<  a="x"` is named `a="x"`). */
static int in_name(const char *s, size_t name, size_t at)
{
	size_t k = name;
	while (k < at && blank(s[k]))
		k++;
	for (; k < at; k++)
		if (blank(s[k]))
			return 0;
	return 1;
}

/* A '/' outside a quoted value at s[i] of a start tag: malformed unless a '>' follows at once (a '/' at the very
 * end is an unterminated tag, which gSOAP refuses by itself). */
static void slash_in_tag(struct markup *m, const char *s, size_t i, size_t len)
{
	if (i + 1 < len && s[i + 1] != '>')
		malformed(m->r, i, slash_what, slash_loss);
}

static const char comment_what[] = "a comment with '--' inside it or not closed by '-->'";
static const char comment_loss[] = "gSOAP ends a comment at its first '--' and reads what follows as markup";
static const char decl_what[] = "a '<!' that is neither a comment nor a CDATA section (a DTD, which SOAP forbids)";
static const char decl_loss[] = "gSOAP reads it to its matching '>', this scan to its first";
static const char pi_what[] = "a processing instruction whose first '>' does not follow a '?'";
static const char pi_loss[] = "gSOAP reads it on to its '?>'";
static const char pi_lt_what[] = "a '<' inside a processing instruction";
static const char pi_lt_loss[] = "gSOAP counts it as an opening and reads on past the '?>' to a matching '>'";
static const char lt_tag_what[] = "a '<' inside a start tag, outside a quoted value";
static const char lt_tag_loss[] = "gSOAP reads it as part of the tag where it parses the element, and as the start "
				  "of markup where it reads the element as text";
static const char empty_what[] = "'/>' inside a quoted attribute value";
static const char empty_loss[] = "gSOAP, skipping an element it does not know, takes it for the end of an empty "
				 "element";
static const char unquoted_what[] = "an attribute value not in quotes";
static const char unquoted_loss[] = "gSOAP reads it to a blank, '/' or '>', then misreads the rest of the tag";
static const char amp_what[] = "an '&' that does not begin a reference";
static const char amp_loss[] = "gSOAP reads the next 7 bytes or up to a ';' as the reference's name, markup included";
static const char lt_blank_what[] = "a blank or '%' right after a '<'";
static const char lt_blank_loss[] = "gSOAP skips the blanks (or reads '<%' to its matching '>'): it reads other markup "
				    "there than XML does";

/* A comment starts at s[at] ("<!--"): XML ends it at its first "--", which must be followed by '>' (so does gSOAP,
 * which then skips to a '>'). */
static void comment_closes(struct markup *m, const char *s, size_t at, size_t len)
{
	const char *dd = len - at > 4 ? memmem(s + at + 4, len - at - 4, "--", 2) : NULL;

	if (!dd || (size_t)(dd - s) + 2 >= len || dd[2] != '>')
		malformed(m->r, at, comment_what, comment_loss);
}

/* An '&' at s[0] (avail bytes from there), not a numeric reference sanitizing rewrote: gSOAP takes the next bytes
 * up to a ';', at most 7 of them, for the reference's name (`&amp<![CDATA[` swallowed the '<' there, while this scan
 * saw a CDATA section hiding the rest of the message). Harmless while those bytes are letters, digits or '#'. */
static int bad_reference(const char *s, size_t avail)
{
	for (size_t k = 1; k <= 7 && k < avail; k++) {
		unsigned char c = (unsigned char)s[k];
		if (c == ';')
			return 0;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '#'))
			return 1;
	}
	return 0;
}

/* '<' at s[at] followed by a blank or '%' (the byte after it is s[at + 1]). */
static void lt_followed_by(struct markup *m, const char *s, size_t at, size_t len)
{
	if (at + 1 < len && (blank(s[at + 1]) || s[at + 1] == '%'))
		malformed(m->r, at, lt_blank_what, lt_blank_loss);
}

static const char end_what[] = "an end tag that does not match its start tag";
static const char end_loss[] = "gSOAP would end the element it is in there and skip elements after it";

/* An end tag begins: the element it ends is the innermost open one, whose name it must have (end_tag_name). */
static void end_tag(struct markup *m)
{
	m->closing_any = m->depth > NAME_LEVELS;
	m->closing_len = 0;
	if (m->depth > 0 && m->depth <= NAME_LEVELS) {
		m->closing_at = m->name_at[m->depth - 1];
		m->closing_len = m->name_len[m->depth - 1];
	}
	if (m->depth-- == m->any_parent)
		m->any_parent = 0;
	m->text_at = -1; /* text just before an end tag: nothing after it is lost */
}

/* The end tag begun at s[at] ("</") has its name at s[name...] (the text up to len may end before its '>'). */
static void end_tag_name(struct markup *m, const char *s, size_t name, size_t len, size_t at)
{
	size_t e = name;

	while (e < len && (unsigned char)s[e] > ' ' && s[e] != '>')
		e++;
	if (m->closing_any)
		return;
	if (!m->closing_len || e - name != m->closing_len || memcmp(s + name, s + m->closing_at, m->closing_len))
		malformed(m->r, at, end_what, end_loss);
}

/* Index just past the first occurrence of `end` at or after i, or len (then m->unterminated is set). */
static size_t skip_past(struct markup *m, const char *s, size_t i, size_t len, const char *end, size_t n)
{
	const char *p = i < len ? memmem(s + i, len - i, end, n) : NULL;
	if (!p)
		m->unterminated = 1;
	return p ? (size_t)(p - s) + n : len;
}

/* The markup of an already sanitized text, tag by tag (the fallback of ews_xml_prepass()). */
static void scan_markup(const char *s, size_t len, struct markup *m)
{
	size_t i = 0;

	while (i < len) {
		if (s[i] != '<') {
			if (s[i] == '&' && bad_reference(s + i, len - i))
				malformed(m->r, i, amp_what, amp_loss);
			if (!blank(s[i]) && watching_text(m))
				m->text_at = (long)i;
			i++;
			continue;
		}
		if (len - i >= 4 && !memcmp(s + i, "<!--", 4)) {
			comment_closes(m, s, i, len);
			i = skip_past(m, s, i + 4, len, "-->", 3);
		} else if (len - i >= 9 && !memcmp(s + i, "<![CDATA[", 9)) {
			size_t end = skip_past(m, s, i + 9, len, "]]>", 3);
			if (watching_text(m) && end - i > 12) /* an empty CDATA section is no text */
				m->text_at = (long)i;
			i = end;
		} else if (len - i >= 2 && (s[i + 1] == '?' || s[i + 1] == '!')) {
			size_t at = i;
			if (s[i + 1] == '!')
				malformed(m->r, at, decl_what, decl_loss);
			i = skip_past(m, s, i + 2, len, ">", 1);
			/* (in the one pass's order: a '<' is met before the PI's end is judged) */
			const char *lt = s[at + 1] == '?' ? memchr(s + at + 2, '<', i - at - 2) : NULL;
			if (lt)
				malformed(m->r, (size_t)(lt - s), pi_lt_what, pi_lt_loss);
			if (s[at + 1] == '?' && s[i - 1] == '>' && (i < at + 4 || s[i - 2] != '?'))
				malformed(m->r, at, pi_what, pi_loss);
		} else if (len - i >= 2 && s[i + 1] == '/') {
			size_t at = i;
			end_tag(m);
			i = skip_past(m, s, i + 2, len, ">", 1);
			if (s[i - 1] == '>' && i > at + 2) /* its name is known once the tag ends, as in the one pass */
				end_tag_name(m, s, at + 2, i - 1, at);
		} else {
			char quote = 0, prev = 0;
			int after_eq = 0, named;
			size_t at = i, name = i + 1;
			start_tag_opens(m);
			lt_followed_by(m, s, i, len);
			/* a quote opens a value only right after '=' (as gSOAP reads attributes): a stray quote in a
			 * malformed tag must not make this scan and the parser see different tags */
			for (i++; i < len; i++) {
				char ch = s[i];
				if (ch == '&' && bad_reference(s + i, len - i))
					malformed(m->r, i, amp_what, amp_loss);
				if (quote) {
					if (ch == quote)
						quote = 0;
					else if (ch == '<')
						malformed(m->r, i, lt_what, lt_loss);
					else if (ch == '>' && prev == '/')
						malformed(m->r, i - 1, empty_what, empty_loss);
				} else if (after_eq && !blank(ch) && ch != '"' && ch != '\'') {
					malformed(m->r, i, unquoted_what, unquoted_loss);
					if (ch == '>')
						break;
				} else if ((ch == '"' || ch == '\'') && ((named = in_name(s, name, i)) || after_eq)) {
					if (named)
						malformed(m->r, i, name_what, name_loss);
					quote = after_eq ? ch : 0;
				} else if (ch == '>') {
					break;
				} else if (ch == '/') {
					slash_in_tag(m, s, i, len);
				} else if (ch == '<') {
					malformed(m->r, i, lt_tag_what, lt_tag_loss);
				}
				if (!blank(ch))
					after_eq = !quote && ch == '=';
				prev = ch;
			}
			if (i >= len) /* no '>': the text ends inside the tag */
				m->unterminated = 1;
			i++;
			start_tag_closes(m, s, name, len, prev, at);
		}
	}
}

void ews_xml_markup(const char *s, size_t len, int max_depth, ews_xml_prepass_result *r)
{
	struct markup m = { .max_depth = max_depth, .text_at = -1, .r = r };

	no_verdicts(r);
	scan_markup(s, len, &m);
	r->unfinished = !m.elements || m.depth > 0 || m.unterminated;
}

/* ---- the one pass ---- */

enum mode { TEXT = 0, START_TAG = 1, SKIP_TO_GT = 2 };

/* Bytes that need a look in each mode; runs of the others are copied as they are. */
static const unsigned char special[3][256] = {
	[TEXT] = { ['&'] = 1, ['h'] = 1, ['<'] = 1 },
	[START_TAG] = { ['&'] = 1, ['h'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1, ['/'] = 1 },
	[SKIP_TO_GT] = { ['&'] = 1, ['h'] = 1, ['<'] = 1, ['>'] = 1 },
};

/* Where the byte loop below should take over a run of text that begins at i: eight bytes at a time while none of
 * them is '&' or '<' (the "has a zero byte" test on the word xor'ed with each: exact for "any"), and no "https:"
 * ends in them (found by its ':', which base64 never has: the 'h' of "https:" is the only 'h' the loop acts on,
 * for the envelope namespace rewrite; any other it copies as text, as the run does, and the text's first offset
 * is the run's first non-blank byte either way). Text is most of an export's body (base64 item data, an 'h'
 * every 64 bytes): a byte at a time it was a tenth of the client's CPU. */
static size_t text_run_end(const char *buf, size_t i, size_t len)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	size_t j = i;
	while (len - j >= 8) {
		uint64_t x, a, l, c;
		memcpy(&x, buf + j, 8);
		a = x ^ (ones * '&'), l = x ^ (ones * '<'), c = x ^ (ones * ':');
		if ((((a - ones) & ~a) | ((l - ones) & ~l)) & highs)
			return j;
		if (((c - ones) & ~c) & highs)
			for (size_t k = j; k < j + 8; k++)
				if (buf[k] == ':' && k >= i + 5 && !memcmp(buf + k - 5, "https:", 6))
					return k - 5;
		j += 8;
	}
	return j;
}

size_t ews_xml_prepass(char *buf, size_t len, int max_depth, ews_xml_prepass_result *r)
{
	struct markup m = { .max_depth = max_depth, .text_at = -1, .r = r };
	size_t i = 0, o = 0, name = 0, tag_at = 0, end_name = 0;
	int in_end_tag = 0; /* SKIP_TO_GT is reading an end tag (else a PI or a declaration) */
	int in_pi = 0;      /* SKIP_TO_GT is reading a processing instruction begun at tag_at */
	enum mode mode = TEXT;
	char quote = 0, prev = 0;
	int named, after_eq = 0; /* in a start tag: the last non-blank byte outside a value was '=' */

	no_verdicts(r);
	while (i < len) {
		const unsigned char *tab = special[mode];
		size_t j = i, n, wrote;
		char ch;

		if (mode == TEXT)
			j = text_run_end(buf, j, len);
		while (j < len && !tab[(unsigned char)buf[j]])
			j++;
		if (j > i) {
			if (mode == TEXT && watching_text(&m)) {
				for (size_t k = i; k < j; k++)
					if (!blank(buf[k])) {
						m.text_at = (long)(o + (k - i));
						break;
					}
			}
			if (o != i)
				memmove(buf + o, buf + i, j - i);
			size_t run = j - i;
			o += run;
			i = j;
			if (mode == START_TAG) {
				prev = buf[o - 1];
				if (!quote) /* outside values: names, '=' and blanks, never a quote (that ends a run) */
					for (size_t k = o - run; k < o; k++)
						if (!blank(buf[k])) {
							if (after_eq) /* a value's first byte, not a quote */
								malformed(r, k, unquoted_what, unquoted_loss);
							after_eq = buf[k] == '=';
						}
			}
			if (i >= len)
				break;
		}
		ch = buf[i];
		if (ch == '<' && (n = verbatim_len(buf + i, len - i)) != 0) {
			int cdata = buf[i + 2] == '[';
			if (mode != TEXT || (!cdata && n < 7))
				goto disagree;
			if (!cdata) /* copied as it is: the input's bytes are the output's */
				comment_closes(&m, buf + i - o, o, len - (i - o));
			if (cdata && watching_text(&m) && n > 12) /* an empty CDATA section is no text */
				m.text_at = (long)o;
			if (n < (cdata ? 12u : 7u) || memcmp(buf + i + n - 3, cdata ? "]]>" : "-->", 3))
				m.unterminated = 1; /* it runs to the text's end */
			memmove(buf + o, buf + i, n);
			i += n, o += n;
			continue;
		}
		if (mode == START_TAG && !quote && after_eq && ch != '"' && ch != '\'')
			malformed(r, o, unquoted_what, unquoted_loss); /* '&', 'h', '/', '<' or '>' opening a value */
		if (ch == '&' && (n = rewrite_ref(buf, i, len, o, &wrote)) != 0) {
			if (mode == TEXT && watching_text(&m))
				m.text_at = (long)o;
			i += n, o += wrote;
			prev = ';'; /* what matters: not '/' */
			after_eq = 0;
			continue;
		}
		/* (an unchanged reference: the input's next bytes are the output's, or turn non-alphanumeric there too) */
		if (ch == '&' && mode != SKIP_TO_GT && bad_reference(buf + i, len - i))
			malformed(r, o, amp_what, amp_loss);
		if (ch == 'h' && is_https_env(buf + i, len - i)) {
			if (mode == TEXT && watching_text(&m))
				m.text_at = (long)o;
			if (mode == START_TAG && !quote) /* unquoted: "http:" then a '/' not before '>' */
				malformed(r, o + 5, slash_what, slash_loss);
			memcpy(buf + o, http_env, sizeof http_env - 1);
			o += sizeof http_env - 1, i += sizeof https_env - 1;
			prev = '/';
			after_eq = 0;
			continue;
		}
		if (mode == TEXT) {
			if (ch != '<') { /* '&' or 'h' left as they are: text */
				if (watching_text(&m))
					m.text_at = (long)o;
			} else if (len - i >= 2 && (buf[i + 1] == '?' || buf[i + 1] == '!' || buf[i + 1] == '/')) {
				/* a PI, a declaration or an end tag: to its '>' (sanitizing rewrites nothing in
				 * "<?", "<!", "</", so the next byte is the output's) */
				in_end_tag = buf[i + 1] == '/';
				in_pi = buf[i + 1] == '?';
				tag_at = o;
				if (in_end_tag) {
					end_tag(&m);
					end_name = o + 2;
				} else if (!in_pi) { /* "<!": comments and CDATA sections were taken above */
					malformed(r, o, decl_what, decl_loss);
				}
				buf[o++] = buf[i++];
				buf[o++] = buf[i++];
				mode = SKIP_TO_GT;
				continue;
			} else {
				start_tag_opens(&m);
				lt_followed_by(&m, buf + i - o, o, len - (i - o)); /* (blanks and '%' are never rewritten) */
				tag_at = o;
				name = o + 1;
				mode = START_TAG;
				quote = 0;
				prev = 0;
				after_eq = 0;
				buf[o++] = buf[i++];
				continue;
			}
		} else if (ch == '>' && mode == SKIP_TO_GT) {
			if (in_end_tag) /* its name is written: buf[end_name..o) up to a blank */
				end_tag_name(&m, buf, end_name, o, tag_at);
			else if (in_pi && (o < tag_at + 3 || buf[o - 1] != '?'))
				malformed(r, tag_at, pi_what, pi_loss);
			mode = TEXT;
		} else if (ch == '<' && mode == SKIP_TO_GT && in_pi) {
			malformed(r, o, pi_lt_what, pi_lt_loss);
		} else if (mode == START_TAG) {
			if (ch == '>' && !quote) {
				start_tag_closes(&m, buf, name, o, prev, tag_at);
				mode = TEXT;
			} else {
				if (quote) {
					if (ch == quote)
						quote = 0;
					else if (ch == '<') /* not a comment or CDATA opener: those went to `disagree` */
						malformed(r, o, lt_what, lt_loss);
					else if (ch == '>' && prev == '/')
						malformed(r, o - 1, empty_what, empty_loss);
				} else if ((ch == '"' || ch == '\'') && ((named = in_name(buf, name, o)) || after_eq)) {
					if (named)
						malformed(r, o, name_what, name_loss);
					quote = after_eq ? ch : 0;
				} else if (ch == '<') { /* (a comment or CDATA opener went to `disagree`) */
					malformed(r, o, lt_tag_what, lt_tag_loss);
				} else if (ch == '/') {
					/* the next input byte is '>' exactly when the output's is: sanitizing never writes
					 * a '>' for something else, nor anything else for a '>' */
					if (i + 1 < len && buf[i + 1] != '>')
						malformed(r, o, slash_what, slash_loss);
				}
				if (!blank(ch))
					after_eq = !quote && ch == '=';
				prev = ch;
			}
		}
		buf[o++] = buf[i++];
	}
	if (mode == START_TAG) /* an unterminated start tag counts, as a tag does */
		start_tag_closes(&m, buf, name, o, prev, tag_at);
	r->unfinished = !m.elements || m.depth > 0 || mode != TEXT || m.unterminated;
	return o;

disagree:
	o = sanitize_from(buf, i, o, len);
	ews_xml_markup(buf, o, max_depth, r);
	return o;
}
