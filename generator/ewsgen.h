/* ewsgen.h — the libews generator: shared types of its parts.
 *
 * ewsgen reads an EWS schema set (services.wsdl, messages.xsd, types.xsd) with libxml2, builds a model of its
 * operations from the WSDL/XSD (never from gSOAP's C output), drives wsdl2h/soapcpp2, and writes the tables the
 * runtime needs. One concern per file:
 *   schema_load.c       find, read (BOM dropped), hash and parse the three files; index named types/elements
 *   qname.c             QName resolution and the C names gSOAP gives schema names (typemap.dat prefixes)
 *   op_model.c          the operation list and response-message variants from the WSDL/XSD
 *   gsoap_run.c         scratch copy, fixups.sh, wsdl2h, soapcpp2
 *   enum_patch.c        the one verified edit of gSOAP output (unknown enumeration values)
 *   emit_operations.c   ews_operations.[ch]: typed wrappers
 *   emit_responses.c    ews_responses.c: where responses keep ResponseMessages, the uniform message view
 *   emit_codecs.c       ews_codecs.c: read/write functions per operation
 *   emit_server.c       ews_server_defaults.c: a weak handler per operation
 *   emit_identity.c     ews_schema.h (schema name, hash, EWS_HAVE_OP_*) and STAMP
 *   emit_members.c      ews_schema_members.h: EWS_HAS_<type>_<member or enumeration value>, for code that
 *                       compiles against every set
 *   emit_builders.c     ews_builders.[ch]: typed builders for the schema's choices and repeated elements
 *   emit_readers.c      ews_readers.c: the fast response reader's tables (ews/reader.h)
 *   xsd_walk.c          what the two share of the XSD's content models
 *   schema_diff.c       `ewsgen schema-diff OLD NEW`
 *   util.c              files, strings, errors
 *   ewsgen.c            command line
 */
#ifndef EWSGEN_H
#define EWSGEN_H

#include <stdio.h>
#include <stddef.h>
#include <libxml/tree.h>
#include <libxml/hash.h>

/* How a generated header includes gSOAP's soapH.h: guarded from outside, so that a translation unit that already
 * has it (from the build's precompiled soapH.h, `-include soapH.h`, see the Makefile's build speed section) does
 * not open the 8 MB file again only to skip it (the include-guard shortcut does not apply to a precompiled
 * header's file: the skip alone cost V2018 1 s of CPU per translation unit). */
#define SOAPH_INCLUDE "#ifndef soapH_H\n#include \"soapH.h\"\n#endif\n"

#define NS_XSD "http://www.w3.org/2001/XMLSchema"
#define NS_WSDL "http://schemas.xmlsoap.org/wsdl/"
#define NS_SOAP11 "http://schemas.xmlsoap.org/wsdl/soap/"

/* ---- util.c ---- */
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void *xmalloc(size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Read a whole file; *len set; NUL-terminated. Dies on error. */
unsigned char *read_file(const char *path, size_t *len);
void write_file(const char *path, const void *data, size_t len);
/* SHA-256 of data as 64 hex digits into out[65]. */
void sha256_hex(const void *data, size_t len, char out[65]);
/* Output file that dies on any write error at close. */
typedef struct outfile {
	FILE *f;
	char *path;
} outfile;
void out_open(outfile *o, const char *dir, const char *name);
void out_close(outfile *o);
/* Attribute value (libxml2 string copied to malloc'd C string) or NULL. */
char *attr(xmlNodePtr n, const char *name);
/* Element children helpers: is n an element named `local` in namespace ns? */
int is_elem(xmlNodePtr n, const char *ns, const char *local);
xmlNodePtr first_child(xmlNodePtr parent, const char *ns, const char *local);
xmlNodePtr next_sibling(xmlNodePtr n, const char *ns, const char *local);

/* ---- schema_load.c ---- */
typedef struct schema_file {
	char *path;             /* the original, as found (any case) */
	char *name;             /* canonical name: services.wsdl, messages.xsd, types.xsd */
	unsigned char *data;    /* content without a UTF-8 byte-order mark */
	size_t len;
	char sha256[65];        /* of the original bytes */
	xmlDocPtr doc;
} schema_file;

typedef struct schema_set {
	char *dir;
	schema_file wsdl, messages, types;
	xmlHashTablePtr types_by_qname;    /* (local name, namespace) -> xs:complexType / xs:simpleType */
	xmlHashTablePtr elements_by_qname; /* (local name, namespace) -> top-level xs:element */
	char hash[65];                     /* identity: SHA-256 over the three files' names and SHA-256s */
} schema_set;

/* Find the three files in dir (names matched case-insensitively), read and hash them. Dies with a clear message
 * when one is missing. Does not parse. */
void schema_find(schema_set *s, const char *dir);
/* Parse the three (already read) files and build the indexes. Dies on XML that is not well-formed. */
void schema_parse(schema_set *s);
void schema_free(schema_set *s);
xmlNodePtr schema_type(const schema_set *s, const xmlChar *ns, const xmlChar *local);
xmlNodePtr schema_element(const schema_set *s, const xmlChar *ns, const xmlChar *local);
/* Drop a UTF-8 BOM in place; returns the new length. */
size_t strip_bom(unsigned char *data, size_t len);

/* ---- qname.c ---- */
typedef struct qname {
	char *ns;
	char *local;
} qname;
/* Resolve "p:Name" found on node n (its in-scope namespaces). Dies when the prefix is undeclared. */
qname qname_resolve(xmlNodePtr n, const char *value);
void qname_free(qname *q);
/* Namespace -> gSOAP prefix, read from typemap.dat lines `prefix = "namespace"`. */
void prefixes_load(const char *typemap_path);
const char *prefix_of(const char *ns);
/* The C identifier gSOAP gives a schema name in namespace ns: "ewsmsg__FindItemType". Caller frees. */
char *c_name(const char *ns, const char *local);
/* FindItem -> find_item, ExpandDL -> expand_dl, GetUserOofSettings -> get_user_oof_settings. Caller frees. */
char *snake_case(const char *name);
/* find_item -> FIND_ITEM (for EWS_HAVE_OP_FIND_ITEM). Caller frees. */
char *upper_case(const char *name);

/* ---- xsd_walk.c: what the emitters following wsdl2h's C layout share ---- */
int xsd_is_ident(const char *s);
int xsd_max_occurs_many(xmlNodePtr particle);
int xsd_min_occurs_zero(xmlNodePtr particle);
/* The element a particle names: itself, or the top-level element of its ref. *member_name (caller frees; NULL
 * when not an identifier) is the C member name gSOAP gives it in an owner of namespace owner_ns (qualified by
 * prefix when the element is of another namespace). */
xmlNodePtr xsd_element_decl(const schema_set *s, const char *owner_ns, xmlNodePtr particle, char **member_name);
/* The members of the substitution group whose head is `head` (top-level elements, document order); *out is
 * malloc'd (caller frees). */
int xsd_substitution_members(const schema_set *s, xmlNodePtr head, xmlNodePtr **out);
xmlNodePtr xsd_find_group(const schema_set *s, xmlNodePtr ref_node, const char *ref);
/* The top-level definition of kind ("group", "attributeGroup") that ref (a QName on ref_node) names, or NULL. */
xmlNodePtr xsd_find_named(const schema_set *s, xmlNodePtr ref_node, const char *ref, const char *kind);
/* A choice's alternatives as wsdl2h lists them in its union: an alternative that refers to a substitution group
 * head stands for the group's members. *out is malloc'd (caller frees); returns how many. */
int xsd_choice_alternatives(const schema_set *s, const char *owner_ns, xmlNodePtr *alts, int nalts, xmlNodePtr **out);
/* The element alternatives of an xs:choice into alts (at most max): how many, or -1 - how many when the choice
 * also holds other particles (nested sequences, choices, groups: a layout the emitters do not map). */
int xsd_plain_choice(xmlNodePtr choice, xmlNodePtr *alts, int max);
/* Add the named type `type_qname` (resolved on node n) and every type its content names to reach ((local,
 * namespace) -> definition); then xsd_reach_derived adds the types derived from any reached one. */
void xsd_reach_type(const schema_set *s, xmlHashTablePtr reach, xmlNodePtr n, const char *type_qname);
void xsd_reach_derived(const schema_set *s, xmlHashTablePtr reach);
/* The C type names typemap.dat maps to char * (lines `ewstype__X = typedef char *ewstype__X; ...`) into out. */
void typemap_string_types(const char *typemap_path, xmlHashTablePtr out);

/* ---- op_model.c ---- */
typedef struct operation {
	char *name;             /* FindItem */
	char *snake;            /* find_item */
	char *upper;            /* FIND_ITEM */
	int idempotent;
	char *wsdl_prefix;      /* gSOAP prefix of the WSDL target namespace: ewsmsg */
	char *request_ctype;    /* struct ewsmsg__FindItemType */
	char *request_element;  /* FindItem */
	char *response_element; /* FindItemResponse */
	char *response_member;  /* member of the response wrapper: ewsmsg__FindItemResponse */
	int has_messages;       /* the response type has ResponseMessages (ArrayOfResponseMessagesType) */
} operation;

/* One choice of ArrayOfResponseMessagesType: an element and its type. */
typedef struct message_variant {
	char *element;          /* CreateItemResponseMessage */
	char *ctype;            /* ewsmsg__ItemInfoResponseMessageType */
	char *type_local;       /* ItemInfoResponseMessageType */
	int is_response_message;/* derives from ResponseMessageType */
} message_variant;

/* What ResponseMessageType holds, as wsdl2h maps it. */
typedef struct response_message_shape {
	int sequence_optional;  /* <xs:sequence minOccurs="0">: members live in struct __<T>_sequence */
	int has_message_text, has_response_code, has_descriptive_link_key, has_message_xml;
	int has_response_class; /* attribute, required */
	char *response_class_enum; /* C enum of its type: ewstype__ResponseClassType */
} response_message_shape;

typedef struct op_model {
	operation *ops;
	int nops;
	message_variant *variants;
	int nvariants;
	response_message_shape shape;
	char *messages_ns;      /* namespace of messages.xsd */
} op_model;

void op_model_build(const schema_set *s, op_model *m);
void op_model_free(op_model *m);

/* ---- gsoap_run.c ---- */
/* Copy the set into a scratch dir (canonical names, no BOM), run fixups.sh, wsdl2h and soapcpp2 into out_dir.
 * Returns the scratch directory (caller removes it with scratch_remove). */
char *gsoap_generate(const schema_set *s, const char *generator_dir, const char *out_dir, int split);
void scratch_remove(const char *dir);
const char *gsoap_version(void);

/* ---- enum_patch.c ---- */
/* Apply and verify the unknown-enumeration-value edit on every soapC_*.c of dir. Returns the count patched. */
int enum_patch(const char *dir);

/* ---- emitters ---- */
void emit_operations(const op_model *m, const char *dir);
void emit_responses(const op_model *m, const char *dir);
void emit_codecs(const op_model *m, const char *dir);
void emit_server_defaults(const op_model *m, const char *dir);
typedef struct identity {
	const char *name;       /* schema set name: the directory's base name */
	int is_default;         /* the same files as the project's own wsdl/ */
	const char *typemap_sha256;
	const char *fixups_sha256;
	int split;
} identity;
void emit_identity(const schema_set *s, const op_model *m, const identity *id, const char *dir);
/* ews_builders.[ch]: typemap_path is typemap.dat (its `typedef char *` types are strings). */
/* ews_schema_members.h: which members and enumeration values the set's types have (EWS_HAS_*). */
void emit_members(const schema_set *s, const char *dir);
void emit_builders(const schema_set *s, const op_model *m, const char *typemap_path, const char *dir);
/* ews_readers.c: the tables of every type a response can hold, and a document per operation (ews_rd_doc_<Op>). */
void emit_readers(const schema_set *s, const op_model *m, const char *typemap_path, const char *dir);

/* ---- schema_diff.c ---- */
int schema_diff(const char *old_dir, const char *new_dir);

#endif
