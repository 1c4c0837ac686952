/* fuzz_decode.c — the message decoder (ews/codec.h) on any bytes: decode, look at the result the way
 * applications do (ResponseMessages, the summary ews_call uses, the item and folder views of the pager and
 * sync helpers), encode, decode the encoding and encode again, twice. Whatever decodes must round-trip: each
 * re-decode succeeds as the same kind and operation, and after one normalization the encoding is a fixed point. */
#include "fuzz.h"
#include "soapH.h"
#include "ews/codec.h"
#include "ews/response.h"
#include "ews_internal.h"
#include "ews_operations.h"
#include "ews_workflow.h"
#include <libxml/parser.h>
#include <libxml/tree.h>

static struct soap *ctx[3];     /* the input's decode, and each re-decode, in a context of its own */
static int count_skipped(struct soap *soap, const char *tag);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	for (int i = 0; i < 3; i++)
		ctx[i] = ews_codec_context_new();
	ctx[0]->fignore = count_skipped;
	xmlInitParser();
	return 0;
}

static void items(const struct ewstype__ArrayOfRealItemsType *a)
{
	for (int i = 0; a && i < a->__size_ArrayOfRealItemsType && a->__union_ArrayOfRealItemsType; i++) {
		const void *typed;
		ews_item_view v;
		ews_wf_item_view(&v, ews_wf_real_item_kind(a->__union_ArrayOfRealItemsType[i].__union_ArrayOfRealItemsType,
		                                           &a->__union_ArrayOfRealItemsType[i].union_ArrayOfRealItemsType,
		                                           &typed), typed);
	}
}

static void folders(const struct ewstype__ArrayOfFoldersType *a)
{
	for (int i = 0; a && i < a->__size_ArrayOfFoldersType && a->__union_ArrayOfFoldersType; i++) {
		const void *typed;
		ews_folder_view v;
		ews_wf_folder_view(&v, ews_wf_folder_kind(a->__union_ArrayOfFoldersType[i].__union_ArrayOfFoldersType,
		                                          &a->__union_ArrayOfFoldersType[i].union_ArrayOfFoldersType,
		                                          &typed), typed);
	}
}

static void sync_items(const struct ewstype__SyncFolderItemsChangesType *c)
{
	for (int i = 0; c && i < c->__size_SyncFolderItemsChangesType && c->__union_SyncFolderItemsChangesType; i++) {
		const struct __ewstype__union_SyncFolderItemsChangesType *e = &c->__union_SyncFolderItemsChangesType[i];
		const struct ewstype__SyncFolderItemsCreateOrUpdateType *cu =
			e->__union_SyncFolderItemsChangesType == SOAP_UNION__ewstype__union_SyncFolderItemsChangesType_Create
				? e->union_SyncFolderItemsChangesType.Create
			: e->__union_SyncFolderItemsChangesType == SOAP_UNION__ewstype__union_SyncFolderItemsChangesType_Update
				? e->union_SyncFolderItemsChangesType.Update : NULL;
		const void *typed;
		ews_item_view v;
		if (cu)
			ews_wf_item_view(&v, ews_wf_sync_item_kind(cu->__union_SyncFolderItemsCreateOrUpdateType,
			                                           &cu->union_SyncFolderItemsCreateOrUpdateType, &typed), typed);
	}
}

static void sync_folders(const struct ewstype__SyncFolderHierarchyChangesType *c)
{
	for (int i = 0; c && i < c->__size_SyncFolderHierarchyChangesType && c->__union_SyncFolderHierarchyChangesType;
	     i++) {
		const struct __ewstype__union_SyncFolderHierarchyChangesType *e = &c->__union_SyncFolderHierarchyChangesType[i];
		const struct ewstype__SyncFolderHierarchyCreateOrUpdateType *cu =
			e->__union_SyncFolderHierarchyChangesType == SOAP_UNION__ewstype__union_SyncFolderHierarchyChangesType_Create
				? e->union_SyncFolderHierarchyChangesType.Create
			: e->__union_SyncFolderHierarchyChangesType == SOAP_UNION__ewstype__union_SyncFolderHierarchyChangesType_Update
				? e->union_SyncFolderHierarchyChangesType.Update : NULL;
		const void *typed;
		ews_folder_view v;
		if (cu)
			ews_wf_folder_view(&v, ews_wf_sync_folder_kind(cu->__union_SyncFolderHierarchyCreateOrUpdateType,
			                                               &cu->union_SyncFolderHierarchyCreateOrUpdateType, &typed),
			                   typed);
	}
}

/* What an application reads of a response: every message, the call's summary, and the views of its items. */
static void views(const ews_decoded_message *m)
{
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs = ews_response_messages_of(m->op->name, m->body);
	int busy, all_busy, n = ews_response_messages_count(msgs);
	long backoff;

	const ews_operation *op = ews_operation_find(m->op->name);

	if (op && op->message_count)
		(void)ews_response_summarize(op, m->body, &busy, &all_busy, &backoff);
	for (int i = 0; i < n; i++) {
		ews_response_message r;
		if (ews_response_messages_get(msgs, i, &r) || !r.message)
			continue;
		(void)ews_message_xml_value(&r, "BackOffMilliseconds");
		if (!strcmp(r.element, "GetItemResponseMessage") || !strcmp(r.element, "CreateItemResponseMessage"))
			items(((const struct ewsmsg__ItemInfoResponseMessageType *)r.message)->Items);
		else if (!strcmp(r.element, "GetFolderResponseMessage"))
			folders(((const struct ewsmsg__FolderInfoResponseMessageType *)r.message)->Folders);
		else if (!strcmp(r.element, "FindFolderResponseMessage")) {
			const struct ewstype__FindFolderParentType *root =
				((const struct ewsmsg__FindFolderResponseMessageType *)r.message)->RootFolder;
			folders(root ? root->Folders : NULL);
		} else if (!strcmp(r.element, "FindItemResponseMessage")) {
			const struct ewstype__FindItemParentType *root =
				((const struct ewsmsg__FindItemResponseMessageType *)r.message)->RootFolder;
			if (root && root->__union_FindItemParentType == SOAP_UNION__ewstype__union_FindItemParentType_Items)
				items(root->union_FindItemParentType.Items);
		} else if (!strcmp(r.element, "SyncFolderItemsResponseMessage"))
			sync_items(((const struct ewsmsg__SyncFolderItemsResponseMessageType *)r.message)->Changes);
		else if (!strcmp(r.element, "SyncFolderHierarchyResponseMessage"))
			sync_folders(((const struct ewsmsg__SyncFolderHierarchyResponseMessageType *)r.message)->Changes);
	}
}

/* Open findings already reported can be stepped over, so fuzzing goes on behind them until they are fixed
 * (EWS_FUZZ_KNOWN, a comma-separated list of names; by default they are findings like any other). None is open
 * now: see tests/fuzz/README.md for the fixed ones, whose reproducers are in regressions/decode/. */
static int known(const char *name)
{
	const char *k = getenv("EWS_FUZZ_KNOWN");
	return k && strstr(k, name);
}

/* Elements of the input the decoder skipped as unknown (its fignore hook): only they may be missing from the
 * first encoding. A mustUnderstand header is still refused, as without the hook. */
static long skipped;
static int count_skipped(struct soap *soap, const char *tag)
{
	(void)tag;
	skipped++;
	return soap->mustUnderstand ? SOAP_MUSTUNDERSTAND : SOAP_OK;
}

/* A start tag carrying the default namespace declaration twice. */
static int duplicate_xmlns(const char *xml)
{
	for (const char *tag = strchr(xml, '<'); tag; tag = strchr(tag + 1, '<')) {
		const char *end = strchr(tag, '>'), *first = strstr(tag, " xmlns=\"");
		if (end && first && first < end && (first = strstr(first + 1, " xmlns=\"")) && first < end)
			return 1;
	}
	return 0;
}

/* Start tags in an XML text (comments, CDATA sections, declarations and processing instructions are skipped). */
static long elements(const char *xml)
{
	long n = 0;
	for (const char *p = strchr(xml, '<'); p; p = strchr(p + 1, '<')) {
		const char *end = !strncmp(p, "<!--", 4) ? strstr(p + 4, "-->") :
				  !strncmp(p, "<![CDATA[", 9) ? strstr(p + 9, "]]>") : NULL;
		if (end)
			p = end;
		else
			n += p[1] != '/' && p[1] != '?' && p[1] != '!';
	}
	return n;
}

/* Elements of the input when it is one well-formed, namespace-well-formed XML document (libxml2, no network,
 * no entity expansion), else 0: of malformed text (an unquoted attribute, a second message pasted after the
 * first) no reader can say which elements it holds, so there is nothing to compare with. */
static long count_tree(const xmlNode *n)
{
	long k = 0;
	for (; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			k += 1 + count_tree(n->children);
	return k;
}

static long wellformed_elements(const char *xml, size_t size)
{
	xmlParserCtxtPtr p = xmlNewParserCtxt();
	xmlDocPtr d;
	long n = 0;
	if (!p)
		return 0;
	d = xmlCtxtReadMemory(p, xml, (int)size, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (d && p->wellFormed && p->nsWellFormed)
		n = count_tree(xmlDocGetRootElement(d));
	xmlFreeDoc(d);
	xmlFreeParserCtxt(p);
	return n;
}

/* b's empty element written as <e></e> where a has <e/>: skip both spellings. */
static int empty_spellings(const char **a, const char **b)
{
	const char *end;
	if (strncmp(*a, "/>", 2) || strncmp(*b, "></", 3) || !(end = strchr(*b + 3, '>')))
		return 0;
	*a += 2;
	*b = end + 1;
	return 1;
}

/* Equal up to the spelling of empty elements, which gSOAP varies with what the struct holds (an absent
 * optional part vs. an empty one): not a difference a reader of the XML can see. */
static int same_encoding(const char *a, const char *b)
{
	while (*a && *b)
		if (*a == *b)
			a++, b++;
		else if (!empty_spellings(&a, &b) && !empty_spellings(&b, &a))
			return 0;
	return *a == *b;
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A copy of an encoding with the attributes of every start tag in sorted order (malloc'd; NULL when out of memory
 * or a tag has more than 64). Attribute order means nothing in XML, and gSOAP writes a DOM element's attributes
 * (content captured as xs:any) in reverse of the order it read them: an element kept as DOM swaps them at every
 * round trip. gSOAP quotes every value with '"' and escapes '"' and '>' inside it. */
static char *sorted_attributes(const char *xml)
{
	size_t n = strlen(xml);
	char *out = malloc(n + 1), *o = out;
	if (!out)
		return NULL;
	while (*xml) {
		const char *end, *p;
		char *attr[64];
		int k = 0;
		if (*xml != '<' || xml[1] == '/' || xml[1] == '?' || xml[1] == '!' || !(end = strchr(xml, '>'))) {
			*o++ = *xml++;
			continue;
		}
		for (p = xml + 1; p < end && *p != ' ' && *p != '/'; p++)
			;
		memcpy(o, xml, (size_t)(p - xml));
		o += p - xml;
		while (p < end && *p == ' ') {
			const char *q = strchr(p + 1, '"'), *r = q ? strchr(q + 1, '"') : NULL;
			if (!r || r > end || k == 64) {
				free(out);
				for (int i = 0; i < k; i++)
					free(attr[i]);
				return NULL;
			}
			attr[k++] = strndup(p, (size_t)(r + 1 - p));
			p = r + 1;
		}
		qsort(attr, (size_t)k, sizeof attr[0], by_text);
		for (int i = 0; i < k; i++) {
			size_t l = attr[i] ? strlen(attr[i]) : 0;
			memcpy(o, attr[i], l);
			o += l;
			free(attr[i]);
		}
		memcpy(o, p, (size_t)(end + 1 - p));
		o += end + 1 - p;
		xml = end + 1;
	}
	*o = '\0';
	return out;
}

/* same_encoding, attribute order aside */
static int same_document(const char *a, const char *b)
{
	char *sa = sorted_attributes(a), *sb = sorted_attributes(b);
	int same = sa && sb ? same_encoding(sa, sb) : same_encoding(a, b);
	free(sa);
	free(sb);
	return same;
}

static void reset(struct soap *soap)
{
	soap->header = NULL;
	soap_destroy(soap);
	soap_end(soap);
}

/* The decoder reads what servers send, leniently: a required element the input lacks is filled in with its
 * type's default (an int 0), which the type's own facets may refuse (SyncFolderItems without MaxChangesReturned:
 * 0, outside 1..512). Its encoding then fails to decode on that element, by design: the first round trip cannot
 * be identical. Precisely this is allowed: a facet violation of an element whose name the input does not contain,
 * or of one written with an attribute "" the input never names (a required attribute filled in, as below).
 * (Requests are checked strictly where it matters: ewsd, server/decoding.c.) */
/* An attribute written empty (name="") in a start tag of element name (local) in xml whose name the input never
 * spells as an attribute (name=): a required attribute the input lacked, filled in as "". */
/* Whether the '<' at p opens a tag as gSOAP reads input: a '<' inside a start tag (malformed input, `<a <b x="1">`)
 * is a character of an attribute name there, not a new tag; a quote opens a value only after '=' (as below). */
static int opens_tag(const char *input, const char *p)
{
	int in_tag = 0, after_eq = 0;
	for (const char *c = input; *c && c < p; c++) {
		if (!in_tag) {
			in_tag = *c == '<';
			after_eq = 0;
		} else if (*c == '>') {
			in_tag = 0;
		} else if ((*c == '"' || *c == '\'') && after_eq) {
			const char *q = strchr(c + 1, *c);
			if (!q || q >= p)
				return 0;                               /* p is inside a quoted value */
			c = q;
			after_eq = 0;
		} else if (*c == '=') {
			after_eq = 1;
		} else if (*c != ' ' && *c != '\t' && *c != '\n' && *c != '\r') {
			after_eq = 0;
		}
	}
	return !in_tag && *p == '<';
}

/* Whether a start tag of input carries an attribute named attr (as written, prefix included): read as a tag, its
 * quoted values skipped, so a name inside another attribute's value (malformed input: Id="x Mailbox=") is not one.
 * As gSOAP reads a tag, a quote opens a value only after '=' (blanks between): in `A="x A="y" z"` the value of A is
 * `x A=`, and `y"` is a name, so the quote after it opens nothing (a finding of the harness: counting it paired
 * every later quote wrongly, and a filled-in required attribute looked present in the input). */
static int has_attribute_on(const char *input, const char *elem, const char *attr);

static int has_attribute(const char *input, const char *attr)
{
	return has_attribute_on(input, NULL, attr);
}

/* Whether the tag's name at p (after its '<'), prefix aside, is elem (NULL: any name). */
static int tag_named(const char *p, const char *elem)
{
	const char *e = p, *local = p;
	if (!elem)
		return 1;
	while (*e && *e != ' ' && *e != '\t' && *e != '\n' && *e != '\r' && *e != '>' && *e != '/')
		if (*e++ == ':')
			local = e;
	return (size_t)(e - local) == strlen(elem) && !strncmp(local, elem, (size_t)(e - local));
}

/* has_attribute, only on start tags named elem (prefix aside; NULL: any): a required attribute filled in on one
 * element is not "named by the input" because another element of the input has an attribute of that name (a
 * finding of the harness: an `Id` on ServerVersionInfo made the PersonaId's filled-in Id="" look lost). */
static int has_attribute_on(const char *input, const char *elem, const char *attr)
{
	size_t n = strlen(attr);
	for (const char *p = strchr(input, '<'); p; p = strchr(p, '<')) {
		int after_eq = 0;
		p++;                            /* a tag opener: the loop below walks each tag to its end */
		if (*p == '/' || *p == '!' || *p == '?' || !tag_named(p, elem))
			continue;
		while (*p && *p != '>') {      /* a '<' here is a name character of this tag, as gSOAP reads it */
			if ((*p == '"' || *p == '\'') && after_eq) {     /* a value: skip to its closing quote */
				const char *q = strchr(p + 1, *p);
				if (!q)
					return 0;
				p = q + 1;
				after_eq = 0;
				continue;
			}
			if (*p == '=')
				after_eq = 1;
			else if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
				after_eq = 0;
			if ((p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n' || p[-1] == '\r') && !strncmp(p, attr, n) &&
			    (p[n] == '=' || p[n] == ' ' || p[n] == '\t' || p[n] == '\n' || p[n] == '\r'))
				return 1;
			p++;
		}
	}
	return 0;
}

/* The '>' ending the tag t is in, quoted values skipped (a value may hold a '>'); NULL if none. */
static const char *tag_end(const char *t)
{
	for (; *t && *t != '>'; t++)
		if ((*t == '"' || *t == '\'') && !(t = strchr(t + 1, *t)))
			return NULL;
	return *t ? t : NULL;
}

static int empty_attribute_filled_in(const char *xml, const char *name, const char *input)
{
	char tag[140];
	snprintf(tag, sizeof tag, ":%s ", name);
	for (const char *t = strstr(xml, tag); t; t = strstr(t + 1, tag)) {
		const char *end = tag_end(t);
		for (const char *a = strstr(t, "=\"\""); a && end && a < end; a = strstr(a + 1, "=\"\"")) {
			const char *n = a;
			char attr[130];
			while (n > t && n[-1] != ' ')
				n--;
			if (a - n <= 0 || a - n >= 120)
				continue;
			snprintf(attr, sizeof attr, "%.*s", (int)(a - n), n);
			if (!has_attribute(input, attr))
				return 1;
		}
	}
	return 0;
}

/* Whether input holds a start tag (or an empty-element tag) named name, with any prefix: <name or <p:name followed
 * by a blank, '>' or '/'. An end tag alone (</p:name>, in malformed input) is not one. */
static int has_start_tag(const char *input, const char *name)
{
	size_t n = strlen(name);
	for (const char *t = strstr(input, name); t; t = strstr(t + 1, name)) {
		const char *b = t;
		char after = t[n];
		if (after != ' ' && after != '>' && after != '/' && after != '\t' && after != '\n' && after != '\r')
			continue;
		if (b > input && b[-1] == ':') { /* a prefix: back over its name characters */
			b--;
			while (b > input && b[-1] != '<' && b[-1] != '/' && b[-1] != ' ' && b[-1] != '>' && b[-1] != ':')
				b--;
		}
		if (b > input && b[-1] == '<' && opens_tag(input, b - 1))
			return 1;
	}
	return 0;
}

static int filled_in(const char *message, const char *input, const char *xml)
{
	const char *e = strstr(message, "value range or content length violation in element '"), *q, *colon;
	char name[128], open[132];
	if (!e)
		return 0;
	e += strlen("value range or content length violation in element '");
	if (!(q = strchr(e, '\'')) || q - e >= (long)sizeof name)
		return 0;
	colon = memchr(e, ':', (size_t)(q - e));
	e = colon ? colon + 1 : e;
	snprintf(name, sizeof name, "%.*s", (int)(q - e), e);
	if (empty_attribute_filled_in(xml, name, input))
		return 1;
	(void)open;
	/* the input names it, but the decoder skipped elements of it as unknown (e.g. t: bound to another
	 * namespace): the element may be one of those, so it was filled in too */
	return !has_start_tag(input, name) || skipped > 0;
}

/* Whether b is a with nothing but attributes written empty (` name=""`) added, none of which the input names
 * (or the decoder skipped some of its elements as unknown):
 * required attributes the lenient decoder filled in (a round of filling in that adds no element). */
static int filled_in_only(const char *a, const char *b, const char *input)
{
	const char *b0 = b;

	while (*a || *b) {
		if (*a == *b) {
			a++, b++;
			continue;
		}
		const char *eq = b[0] == ' ' ? strstr(b, "=\"\"") : NULL;
		char attr[130];
		if (!eq || eq - b - 1 <= 0 || eq - b - 1 >= (long)sizeof attr || memchr(b + 1, ' ', (size_t)(eq - b - 1)))
			return 0;
		snprintf(attr, sizeof attr, "%.*s", (int)(eq - b - 1), b + 1);
		/* the element it was added to: the encoding's last '<' before it (gSOAP escapes '<' in values) */
		char elem[130] = "";
		const char *lt = b;
		while (lt > b0 && *lt != '<')
			lt--;
		if (*lt == '<') {
			size_t k = 0;
			const char *e = lt + 1;
			for (const char *c = e; *c && *c != ' ' && *c != '>' && *c != '/'; c++)
				if (*c == ':')
					e = c + 1;
			while (e[k] && e[k] != ' ' && e[k] != '>' && e[k] != '/' && k + 1 < sizeof elem)
				k++;
			snprintf(elem, sizeof elem, "%.*s", (int)k, e);
		}
		/* the input names it on that element, but the decoder skipped elements of it as unknown: the attribute
		 * may be one of theirs, so it was filled in too (as filled_in reasons) */
		if (!input || (has_attribute_on(input, elem[0] ? elem : NULL, attr) && !skipped))
			return 0;
		b = eq + 3;
	}
	return 1;
}

/* Decode the encoding xml (made from a message of kind/op) in soap and encode it again into *out. Returns 0, or 1
 * when the decode failed as allowed: an element the input (when given) lacked was filled in by the lenient decoder
 * (filled_in), or on an open finding named in EWS_FUZZ_KNOWN. */
static int again(struct soap *soap, const char *xml, const ews_decoded_message *m, const char **out,
		 const char *input)
{
	ews_decoded_message d;
	ews_status st = ews_message_decode(soap, xml, strlen(xml), &d);

	if (!ews_ok(st) && input && filled_in(st.message, input, xml))
		return 1;
	if (!ews_ok(st) && known("dup-xmlns") && duplicate_xmlns(xml))
		return 1;
	FUZZ_CHECK(ews_ok(st), "the encoding of a decoded message does not decode: %s\n%s", st.message, xml);
	FUZZ_CHECK(d.kind == m->kind && d.op == m->op, "the encoding decodes as another message\n%s", xml);
	st = ews_message_encode(soap, &d, out);
	FUZZ_CHECK(ews_ok(st), "a re-decoded message does not encode: %s", st.message);
	return 0;
}

/* The length of input's first document: through the end tag of its first root element (comments, CDATA sections,
 * PIs and declarations skipped; in a tag a quote opens a value only after '=', as gSOAP reads it), or all of it.
 * The decoder reads one message and stops at its end: what follows (a soup of pasted messages) is never read, so
 * an attribute it names is not one "the input names" (a finding of the harness, tenth session: a GetPersona error
 * page filled in to `PersonaId Id=""`, while a PersonaId with an Id stood in text after the message's end). */
static size_t first_document(const char *input)
{
	int depth = 0;
	const char *p = input;

	while ((p = strchr(p, '<')) != NULL) {
		const char *end = !strncmp(p, "<!--", 4) ? strstr(p + 4, "-->") :
				  !strncmp(p, "<![CDATA[", 9) ? strstr(p + 9, "]]>") : NULL;
		int after_eq = 0;
		if (end) {
			p = end + 3;
			continue;
		}
		if (p[1] == '?' || p[1] == '!') {
			if (!(end = strchr(p, '>')))
				break;
			p = end + 1;
			continue;
		}
		for (end = p + 1; *end && *end != '>'; end++) {
			if ((*end == '"' || *end == '\'') && after_eq) {
				const char *q = strchr(end + 1, *end);
				if (!q)
					return strlen(input);
				end = q;
				after_eq = 0;
			} else if (*end == '=') {
				after_eq = 1;
			} else if (*end != ' ' && *end != '\t' && *end != '\n' && *end != '\r') {
				after_eq = 0;
			}
		}
		if (!*end)
			break;
		if (p[1] == '/')
			depth--;
		else if (end[-1] != '/')
			depth++;
		p = end + 1;
		if (depth <= 0)
			return (size_t)(p - input);
	}
	return strlen(input);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ews_decoded_message m;
	const char *x1 = NULL, *x2 = NULL, *x3 = NULL;
	ews_status st;

	skipped = 0;
	if (ews_ok(ews_message_decode(ctx[0], (const char *)data, size, &m))) {
		char *input = fuzz_strndup(data, size);
		/* what the decoder read of it: the attributes it names are looked for there (filled_in...) */
		char *read_part = input ? fuzz_strndup((const uint8_t *)input, first_document(input)) : NULL;
		if (m.kind == EWS_MESSAGE_RESPONSE)
			views(&m);
		st = ews_message_encode(ctx[0], &m, &x1);
		FUZZ_CHECK(ews_ok(st), "a decoded message does not encode: %s", st.message);
		/* No known element of the input is lost: unless the decoder skipped some as unknown, the encoding has
		 * at least the input's elements (it may add: a required element filled in, an empty Header). Inputs
		 * that are not one well-formed document (wellformed_elements) or hold xsi:nil elements (written as
		 * absent) are not compared. */
		if (input && strlen(input) == size && !skipped && !strstr(input, "nil"))
			FUZZ_CHECK(elements(x1) >= wellformed_elements(input, size) || known("lost-elements"),
			           "known elements lost by decoding:\n%s\n%s", input, x1);
		/* x1 may differ from x2 once: parts the input lacked are written as the decoder filled them in (an
		 * absent required attribute comes back as "", a required element as its default: filled_in; an absent
		 * required element is written empty, <ItemShape/>, whose own required children the next decode fills
		 * in), so elements may come, none may go. From then on the encoding must be a fixed point. */
		if (!again(ctx[1], x1, &m, &x2, read_part))
			FUZZ_CHECK(elements(x2) >= elements(x1) || known("lost-elements"),
			           "elements lost or added by a round trip:\n%s\n%s", x1, x2);
		/* an element the input lacked may be filled in over several rounds, one level a round (a required
		 * element written empty, <Persona/>; then its required child, <PersonaId/>; then that child's required
		 * attribute, Id=""): its facet violation is excused here too, for the same reason (filled_in). Each
		 * round may add and never lose; within FILL_ROUNDS the encoding must reach a fixed point. */
		enum { FILL_ROUNDS = 4 };
		for (int round = 0; x2 && round < FILL_ROUNDS; round++) {
			if (again(ctx[2], x2, &m, &x3, read_part))
				break;
			FUZZ_CHECK(elements(x3) >= elements(x2) || known("lost-elements"),
			           "elements lost by a round trip:\n%s\n%s", x2, x3);
			if (same_document(x2, x3))
				break;
			FUZZ_CHECK(round + 1 < FILL_ROUNDS && (elements(x3) > elements(x2) || filled_in_only(x2, x3, read_part)),
			           "encode(decode(x)) is not stable:\n%s\n%s", x2, x3);
			x2 = x3;
		}
		free(read_part);
		free(input);
	}
	for (int i = 0; i < 3; i++)
		reset(ctx[i]);
	return 0;
}
