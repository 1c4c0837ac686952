/* ews/reader.h — the tables of libews's fast response reader: how the generated layer describes gSOAP's C structs
 * to the core's reader (runtime/core/ews_reader.c), which fills them from a response without gSOAP's parser.
 *
 * Why: gSOAP reads a response a character at a time through its lexer and compares every tag with strcmp of
 * prefixed names; that is most of a client's CPU when it pages or syncs (bench/README.md). The reader takes the
 * common, canonical shape of a response (elements in schema order, each known to its type, plain values) and
 * fills the very structs gSOAP's deserializers would, with gSOAP's own allocator and value converters. Anything
 * else it meets (an element or attribute the tables do not map, a comment, CDATA, a character reference, a value
 * with whitespace a type would collapse, a fault) makes it give up before the caller looks at anything, and gSOAP
 * decodes the same body from the start: the result is the same either way (tests/test_reader.c compares the two
 * decodes of every response the suites and the corpus hold).
 *
 * Nothing here is for applications: the tables are generated (generator/emit_readers.c -> generated/
 * ews_readers.c) and reached through ews_operation.reader (ews/call.h). All tables are static data. */
#ifndef EWS_READER_H
#define EWS_READER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct soap;

/* How a member holds its value. EWS_RD_NONE: a member the generator could not map (its C layout is not one of
 * these): meeting its element or attribute makes the reader give up. */
enum ews_rd_kind {
	EWS_RD_NONE = 0,
	EWS_RD_STRING,          /* char *: text of an element, or an attribute, of type xs:string (kept as it is) */
	EWS_RD_TOKEN,           /* char *: of another string type (gSOAP may collapse whitespace: none may occur) */
	EWS_RD_VALUE_PTR,       /* T *: a value converted by conv (an enumeration, boolean, int), allocated */
	EWS_RD_VALUE,           /* T: the same, held in the struct itself */
	EWS_RD_STRUCT_PTR,      /* struct T *: an element of complex type */
	EWS_RD_STRUCT_ARRAY,    /* int __sizeX; struct T *X: repeated elements of complex type */
	EWS_RD_STRING_ARRAY,    /* int __sizeX; char **X: repeated xs:string elements */
	EWS_RD_CHOICE,          /* int __union_B; union ... union_B: one element of the alternatives */
	EWS_RD_CHOICE_ARRAY,    /* int __size_B; struct __p__union_B *__union_B: repeated, each one alternative */
	EWS_RD_SEQUENCE,        /* struct __p__T_sequence *: an optional sequence; its members are type's */
	EWS_RD_TEXT,            /* char *__item: the element's own text (simple content with attributes) */
	EWS_RD_BASE64_PTR,      /* struct xsd__base64Binary *: an xs:base64Binary element, allocated */
	EWS_RD_BASE64           /* struct xsd__base64Binary: the same, held in the struct itself */
};

typedef int (*ews_rd_conv)(struct soap *soap, const char *text, void *value);

struct ews_rd_type;

/* One member of a struct: an element (attribute = 0) or an attribute of the type. For EWS_RD_CHOICE and
 * EWS_RD_CHOICE_ARRAY, alts lists the alternatives, each an ews_rd_member whose offset is 0 (the union's start)
 * and whose selector is gSOAP's SOAP_UNION_... value. */
typedef struct ews_rd_member {
	const char *name;               /* local name (NULL for a choice, whose alternatives have names) */
	unsigned char ns;               /* index into the document's namespaces; attributes: 0 (unqualified) */
	unsigned char kind;             /* enum ews_rd_kind */
	unsigned char attribute;
	int selector;                   /* an alternative's union selector */
	size_t offset;                  /* of the member (arrays: of the array pointer) */
	size_t count_offset;            /* arrays: of the int count */
	size_t elem_size;               /* arrays: one element (a struct, a char *, the union wrapper) */
	size_t sel_offset, union_offset;/* choices: in the owner (CHOICE) or in the wrapper (CHOICE_ARRAY) */
	size_t value_size;              /* VALUE_PTR: what to allocate; BASE64*: the size of struct xsd__base64Binary */
	size_t ptr_offset, size_offset; /* BASE64*: of its unsigned char *__ptr and int __size */
	ews_rd_conv conv;               /* VALUE, VALUE_PTR: gSOAP's converter of the type */
	const struct ews_rd_type *type; /* STRUCT_PTR, STRUCT_ARRAY, SEQUENCE: the struct's table */
	const struct ews_rd_member *alts;
	int nalts;
} ews_rd_member;

typedef struct ews_rd_type {
	const char *name;               /* the C type, for messages: "ewstype__ItemIdType" */
	size_t size;
	void (*init)(struct soap *soap, void *value); /* gSOAP's soap_default_<type> */
	const ews_rd_member *members;   /* attributes and elements; elements in content order */
	int nmembers;
} ews_rd_type;

/* One operation's response document: the namespaces its tables name (index 1..), the SOAP header and the
 * body's wrapper struct (gSOAP's __<prefix>__<Operation>Response, whose member is the body's element). */
typedef struct ews_rd_document {
	const char *const *namespaces;  /* [0] unused (no namespace), then the URIs the members' ns index */
	int nnamespaces;
	const ews_rd_type *header;      /* struct SOAP_ENV__Header, or NULL: a header makes the reader give up */
	const ews_rd_type *body;        /* the response wrapper */
} ews_rd_document;

#ifdef __cplusplus
}
#endif

#endif
