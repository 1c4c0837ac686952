/* restrict.c — EWS Restriction and SortOrder translated to SQL over the items/folders tables.
 *
 * Every constant becomes a bound parameter, never SQL text. Field URIs map to columns; values are normalised
 * by the field's type (booleans, importance names, dates to UTC "YYYY-MM-DDThh:mm:ssZ", which sorts as text).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ewsd.h"

/* F_MULTI: a multi-valued string stored ";"-separated (Categories): equality means one of the values equals the
 * constant, case-insensitively, as Exchange compares strings in restrictions */
/* F_EXTMULTI: an extended property of an array type (values separated by 0x1E): equality means one of them equals
 * the constant. F_REAL: floating-point extended properties. */
enum ftype { F_TEXT, F_INT, F_BOOL, F_DATE, F_IMPORTANCE, F_MULTI, F_EXTMULTI, F_REAL };

static const struct field {
	const char *uri, *col;
	enum ftype type;
	int folders;
} fields[] = {
	{ "item:Subject", "subject", F_TEXT, 0 },
	{ "item:DateTimeReceived", "received", F_DATE, 0 },
	{ "item:DateTimeSent", "sent", F_DATE, 0 },
	{ "item:DateTimeCreated", "created", F_DATE, 0 },
	{ "item:Size", "size", F_INT, 0 },
	{ "item:Importance", "importance", F_IMPORTANCE, 0 },
	{ "item:ItemClass", "item_class", F_TEXT, 0 },
	{ "item:Body", "body", F_TEXT, 0 },
	{ "item:Categories", "categories", F_MULTI, 0 },
	{ "item:IsAssociated", "is_associated", F_BOOL, 0 },
	{ "item:HasAttachments", "0", F_BOOL, 0 },
	{ "message:IsRead", "(CASE WHEN kind IN (0,2) THEN is_read END)", F_BOOL, 0 },
	{ "message:From", "from_addr", F_TEXT, 0 },
	{ "message:Sender", "from_addr", F_TEXT, 0 },
	{ "message:ToRecipients", "to_list", F_TEXT, 0 },
	{ "message:CcRecipients", "cc_list", F_TEXT, 0 },
	{ "calendar:Start", "start", F_DATE, 0 },
	{ "calendar:End", "end_", F_DATE, 0 },
	{ "calendar:Location", "location", F_TEXT, 0 },
	{ "contacts:GivenName", "given_name", F_TEXT, 0 },
	{ "contacts:Surname", "surname", F_TEXT, 0 },
	{ "contacts:CompanyName", "company", F_TEXT, 0 },
	{ "contacts:DisplayName", "(CASE WHEN kind=3 THEN subject END)", F_TEXT, 0 },
	/* the dictionary as a whole compares as its first entry (EmailAddress1, the email column) */
	{ "contacts:EmailAddresses", "(CASE WHEN kind=3 THEN email END)", F_TEXT, 0 },
	{ "task:DueDate", "due", F_DATE, 0 },
	{ "folder:DisplayName", "display_name", F_TEXT, 1 },
	{ "folder:FolderClass", "folder_class", F_TEXT, 1 },
	{ "folder:ChildFolderCount", "(SELECT count(*) FROM folders c WHERE c.parent_id=folders.id)", F_INT, 1 },
	{ "folder:TotalCount", "(SELECT count(*) FROM items i WHERE i.folder_id=folders.id AND i.is_associated=0)",
	  F_INT, 1 },
};

void ewsd_sql_add(struct ewsd_sql *q, const char *s)
{
	size_t n = strlen(s);
	if (q->len + n + 1 > q->cap) {
		size_t cap = (q->len + n + 1) * 2;
		char *b = soap_malloc(q->soap, cap);
		if (!b)
			return;
		if (q->buf)
			memcpy(b, q->buf, q->len);
		q->buf = b;
		q->cap = cap;
	}
	memcpy(q->buf + q->len, s, n + 1);
	q->len += n;
}

/* Item fields Exchange refuses in a restriction or sort (ErrorUnsupportedPathForQuery): streamed or computed
 * properties with no single stored value. Any other item field ewsd does not keep is a property no item has, so
 * it matches nothing, as Exchange answers a search on a property it does not find. */
static const char *const unsearchable[] = {
	"item:MimeContent", "item:Attachments", "item:ResponseObjects", "item:EffectiveRights", "item:UniqueBody",
	"item:TextBody", "item:NormalizedBody", "calendar:Recurrence", "calendar:ModifiedOccurrences",
	"calendar:DeletedOccurrences", "calendar:FirstOccurrence", "calendar:LastOccurrence",
};

/* SQL text of a stored name, quoted for a literal (names come from the request: quotes doubled). */
static char *quoted(struct soap *soap, const char *name)
{
	size_t n = 3;
	for (const char *c = name; *c; c++)
		n += *c == '\'' ? 2 : 1;
	char *out = soap_malloc(soap, n), *o = out;
	*o++ = '\'';
	for (const char *c = name; *c; c++) {
		if (*c == '\'')
			*o++ = '\'';
		*o++ = *c;
	}
	*o++ = '\'', *o = '\0';
	return out;
}

/* A field read from item_props (item_props.c): expr wraps the stored value v, e.g. "CAST(v AS INTEGER)". */
static const struct field *prop_field(struct ewsd_sql *q, const char *name, const char *value_expr, const char *dflt,
				      enum ftype type)
{
	struct field *f = soap_malloc(q->soap, sizeof *f);
	char sub[700], col[900];
	snprintf(sub, sizeof sub, "(SELECT %s FROM item_props WHERE item_id=items.id AND name=%s)", value_expr,
		 quoted(q->soap, name));
	if (dflt)
		snprintf(col, sizeof col, "COALESCE(%s, %s)", sub, dflt);
	else
		snprintf(col, sizeof col, "%s", sub);
	f->uri = name;
	f->col = soap_strdup(q->soap, col);
	f->type = type;
	f->folders = 0;
	return f;
}

static const struct field no_value = { "", "NULL", F_TEXT, 0 };

static const struct field *unindexed(struct ewsd_sql *q, struct ewstype__PathToUnindexedFieldType *p)
{
	const char *uri;
	if (!p)
		return NULL;
	uri = soap_ewstype__UnindexedFieldURIType2s(q->soap, p->FieldURI);
	for (size_t i = 0; uri && i < sizeof fields / sizeof fields[0]; i++)
		if (!strcmp(fields[i].uri, uri) && fields[i].folders == q->folders)
			return &fields[i];
	if (!uri || q->folders)
		return NULL;
	for (size_t i = 0; i < sizeof unsearchable / sizeof unsearchable[0]; i++)
		if (!strcmp(unsearchable[i], uri))
			return NULL;
	/* the first-class properties item_props keeps, under their stored names */
	if (!strcmp(uri, "item:Sensitivity"))
		return prop_field(q, "Sensitivity", "value", "'Normal'", F_TEXT);
	if (!strcmp(uri, "item:ReminderIsSet"))
		return prop_field(q, "ReminderIsSet", "(value IN ('true','1'))", "0", F_BOOL);
	if (!strcmp(uri, "calendar:IsAllDayEvent"))
		return prop_field(q, "IsAllDayEvent", "(value IN ('true','1'))", "(CASE WHEN kind=1 THEN 0 END)", F_BOOL);
	if (!strcmp(uri, "item:ReminderMinutesBeforeStart"))
		return prop_field(q, "ReminderMinutesBeforeStart", "CAST(value AS INTEGER)", NULL, F_INT);
	if (!strcmp(uri, "calendar:MyResponseType"))
		return prop_field(q, "MyResponseType", "value", "(CASE WHEN kind=1 THEN 'Organizer' END)", F_TEXT);
	if (!strcmp(uri, "item:Culture") || !strcmp(uri, "item:InReplyTo") || !strcmp(uri, "calendar:LegacyFreeBusyStatus"))
		return prop_field(q, strchr(uri, ':') + 1, "value", NULL, F_TEXT);
	return &no_value;
}

/* Indexed fields (contacts' dictionaries): EmailAddress1 is the email column, the other entries item_props rows
 * named "d:<FieldURI>|<FieldIndex>" (item_props.c). */
static const struct field *indexed(struct ewsd_sql *q, struct ewstype__PathToIndexedFieldType *p)
{
	if (!p || !p->FieldIndex || q->folders)
		return NULL;
	const char *uri = soap_ewstype__DictionaryURIType2s(q->soap, p->FieldURI);
	char name[200];
	if (!uri)
		return NULL;
	static const struct field email1 = { "contacts:EmailAddress", "(CASE WHEN kind=3 THEN email END)", F_TEXT, 0 };
	if (!strcmp(uri, "contacts:EmailAddress") && !strcmp(p->FieldIndex, "EmailAddress1"))
		return &email1;
	snprintf(name, sizeof name, "d:%s|%.64s", uri, p->FieldIndex);
	return prop_field(q, soap_strdup(q->soap, name), "value", NULL, F_TEXT);
}

/* Extended properties: the stored text is "1" + value or "*" + values separated by 0x1E (item_props.c). */
static const struct field *extended(struct ewsd_sql *q, struct ewstype__PathToExtendedFieldType *p)
{
	char *key = q->folders ? NULL : ewsd_prop_ext_key(q->soap, p);
	if (!key)
		return NULL;
	const char *type = soap_ewstype__MapiPropertyTypeType2s(q->soap, p->PropertyType);
	if (strstr(type, "Array"))
		return prop_field(q, key, "substr(value,2)", NULL, F_EXTMULTI);
	if (!strcmp(type, "Integer") || !strcmp(type, "Long") || !strcmp(type, "Short") || !strcmp(type, "Currency"))
		return prop_field(q, key, "CAST(substr(value,2) AS INTEGER)", NULL, F_INT);
	if (!strcmp(type, "Double") || !strcmp(type, "Float") || !strcmp(type, "ApplicationTime"))
		return prop_field(q, key, "CAST(substr(value,2) AS REAL)", NULL, F_REAL);
	if (!strcmp(type, "Boolean"))
		return prop_field(q, key, "(lower(substr(value,2)) IN ('true','1'))", NULL, F_BOOL);
	if (!strcmp(type, "SystemTime"))
		return prop_field(q, key, "substr(value,2)", NULL, F_DATE);
	return prop_field(q, key, "substr(value,2)", NULL, F_TEXT);
}

/* The field a path names. The path unions of the search expressions and of FieldOrder share their layout and
 * selector values (FieldURI 1, IndexedFieldURI 2, ExtendedFieldURI 3; checked in ewsd_sql_restriction). */
static const struct field *path_field(struct ewsd_sql *q, int sel, void *ptr)
{
	if (!ptr)
		return NULL;
	switch (sel) {
	case SOAP_UNION__ewstype__union_IsEqualToType_FieldURI: return unindexed(q, ptr);
	case SOAP_UNION__ewstype__union_IsEqualToType_IndexedFieldURI: return indexed(q, ptr);
	case SOAP_UNION__ewstype__union_IsEqualToType_ExtendedFieldURI: return extended(q, ptr);
	default: return NULL;
	}
}

/* xs:dateTime in any offset -> UTC "Z" text; NULL when not a date (or absent). */
char *ewsd_norm_date(struct soap *soap, const char *s)
{
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
	memset(&tm, 0, sizeof tm);
	if (!s || sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3)
		return NULL;
	const char *p = s + n;
	if (*p == 'T') {
		int m2 = 0;
		if (sscanf(p, "T%2d:%2d:%2d%n", &h, &mi, &sec, &m2) < 3)
			return NULL;
		p += m2;
		if (*p == '.')
			for (p++; isdigit((unsigned char)*p); p++)
				;
	}
	tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = d, tm.tm_hour = h, tm.tm_min = mi, tm.tm_sec = sec;
	time_t t = timegm(&tm);
	if ((*p == '+' || *p == '-') && isdigit((unsigned char)p[1])) {
		int oh = 0, om = 0;
		sscanf(p + 1, "%2d:%2d", &oh, &om);
		t -= (*p == '+' ? 1 : -1) * (oh * 3600 + om * 60);
	}
	char *out = soap_malloc(soap, 32);
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return out;
}

static const char *norm_value(struct ewsd_sql *q, const struct field *f, const char *v)
{
	if (!v)
		return NULL;
	switch (f->type) {
	case F_BOOL:
		return !strcmp(v, "true") || !strcmp(v, "1") ? "1" : "0";
	case F_IMPORTANCE:
		return !strcmp(v, "Low") ? "0" : !strcmp(v, "High") ? "2" : "1";
	case F_DATE:
		return ewsd_norm_date(q->soap, v);
	default:
		return v;
	}
}

static int add_bind(struct ewsd_sql *q, const char *v)
{
	if (q->nbinds >= (int)(sizeof q->binds / sizeof q->binds[0]))
		return -1;
	q->binds[q->nbinds++] = v;
	return 0;
}

/* "<col> OP ?" for the comparison types, which all share IsEqualToType's layout. */
static int two_operand(struct ewsd_sql *q, struct ewstype__IsEqualToType *e, const char *op)
{
	const struct field *f, *g;
	if (!e || !(f = path_field(q, e->__union_IsEqualToType, e->union_IsEqualToType.FieldURI)) || !e->FieldURIOrConstant)
		return -1;
	struct ewstype__FieldURIOrConstantType *c = e->FieldURIOrConstant;
	char buf[2048];
	const char *cast = f->type == F_INT || f->type == F_BOOL || f->type == F_IMPORTANCE ? "CAST(? AS INTEGER)"
			   : f->type == F_REAL ? "CAST(? AS REAL)" : "?";
	if (c->__union_FieldURIOrConstantType == SOAP_UNION__ewstype__union_FieldURIOrConstantType_Constant &&
	    c->union_FieldURIOrConstantType.Constant) {
		const char *v = norm_value(q, f, c->union_FieldURIOrConstantType.Constant->Value);
		if (!v || add_bind(q, v))
			return -1;
		if (f->type == F_MULTI && (!strcmp(op, "=") || !strcmp(op, "IS NOT")))
			snprintf(buf, sizeof buf, "(%sinstr(';' || lower(coalesce(%s, '')) || ';', ';' || lower(?) || ';') > 0)",
				 !strcmp(op, "=") ? "" : "NOT ", f->col);
		else if (f->type == F_EXTMULTI && (!strcmp(op, "=") || !strcmp(op, "IS NOT")))
			snprintf(buf, sizeof buf, "(%sinstr(char(30) || coalesce(%s, '') || char(30), char(30) || ? || char(30)) > 0)",
				 !strcmp(op, "=") ? "" : "NOT ", f->col);
		else
			snprintf(buf, sizeof buf, "(%s %s %s)", f->col, op, cast);
	} else if (c->__union_FieldURIOrConstantType != SOAP_UNION__ewstype__union_FieldURIOrConstantType_Constant &&
		   (g = path_field(q, c->__union_FieldURIOrConstantType == SOAP_UNION__ewstype__union_FieldURIOrConstantType_FieldURI
					      ? SOAP_UNION__ewstype__union_IsEqualToType_FieldURI
				      : c->__union_FieldURIOrConstantType == SOAP_UNION__ewstype__union_FieldURIOrConstantType_IndexedFieldURI
					      ? SOAP_UNION__ewstype__union_IsEqualToType_IndexedFieldURI
				      : c->__union_FieldURIOrConstantType == SOAP_UNION__ewstype__union_FieldURIOrConstantType_ExtendedFieldURI
					      ? SOAP_UNION__ewstype__union_IsEqualToType_ExtendedFieldURI : 0,
				   c->union_FieldURIOrConstantType.FieldURI))) {
		snprintf(buf, sizeof buf, "(%s %s %s)", f->col, op, g->col);
	} else {
		return -1;
	}
	ewsd_sql_add(q, buf);
	return 0;
}

static int contains(struct ewsd_sql *q, struct ewstype__ContainsExpressionType *e)
{
	const struct field *f;
	char buf[2048];
	if (!e || !(f = path_field(q, e->__union_ContainsExpressionType, e->union_ContainsExpressionType.FieldURI)) ||
	    !e->Constant || !e->Constant->Value)
		return -1;
	int icase = !e->ContainmentComparison || *e->ContainmentComparison != ewstype__ContainmentComparisonType__Exact;
	enum ewstype__ContainmentModeType mode = e->ContainmentMode ? *e->ContainmentMode
								    : ewstype__ContainmentModeType__Substring;
	const char *col = f->col;
	char lc[1024];
	if (icase) {
		snprintf(lc, sizeof lc, "lower(%s)", f->col);
		col = lc;
	}
	const char *arg = icase ? "lower(?)" : "?";
	if (mode == ewstype__ContainmentModeType__FullString)
		snprintf(buf, sizeof buf, "(%s = %s)", col, arg);
	else if (mode == ewstype__ContainmentModeType__Prefixed)
		snprintf(buf, sizeof buf, "(instr(%s, %s) = 1)", col, arg);
	else if (mode == ewstype__ContainmentModeType__PrefixOnWords)
		snprintf(buf, sizeof buf, "(instr(' ' || %s, ' ' || %s) > 0)", col, arg);
	else
		snprintf(buf, sizeof buf, "(instr(%s, %s) > 0)", col, arg);
	if (add_bind(q, e->Constant->Value))
		return -1;
	ewsd_sql_add(q, buf);
	return 0;
}

static int exists(struct ewsd_sql *q, struct ewstype__ExistsType *e)
{
	const struct field *f;
	char buf[1024];
	if (!e || !(f = path_field(q, e->__union_ExistsType, e->union_ExistsType.FieldURI)))
		return -1;
	snprintf(buf, sizeof buf, "(%s IS NOT NULL)", f->col);
	ewsd_sql_add(q, buf);
	return 0;
}

/* The search-expression choice appears in several unions (Restriction, Not, And, Or) with the same members;
 * each caller maps its selector to one of these. */
enum expr { X_EXISTS, X_EQ, X_NE, X_GT, X_GE, X_LT, X_LE, X_CONTAINS, X_NOT, X_AND, X_OR, X_OTHER };

static int expression(struct ewsd_sql *q, enum expr kind, void *p, int depth);

static int multi(struct ewsd_sql *q, int n, struct __ewstype__union_AndType *items, const char *joiner, int depth)
{
	ewsd_sql_add(q, "(");
	for (int i = 0; i < n; i++) {
		int s = items[i].__union_AndType;
		enum expr k = s == SOAP_UNION__ewstype__union_AndType_Exists ? X_EXISTS
			: s == SOAP_UNION__ewstype__union_AndType_IsEqualTo ? X_EQ
			: s == SOAP_UNION__ewstype__union_AndType_IsNotEqualTo ? X_NE
			: s == SOAP_UNION__ewstype__union_AndType_IsGreaterThan ? X_GT
			: s == SOAP_UNION__ewstype__union_AndType_IsGreaterThanOrEqualTo ? X_GE
			: s == SOAP_UNION__ewstype__union_AndType_IsLessThan ? X_LT
			: s == SOAP_UNION__ewstype__union_AndType_IsLessThanOrEqualTo ? X_LE
			: s == SOAP_UNION__ewstype__union_AndType_Contains ? X_CONTAINS
			: s == SOAP_UNION__ewstype__union_AndType_Not ? X_NOT
			: s == SOAP_UNION__ewstype__union_AndType_And ? X_AND
			: s == SOAP_UNION__ewstype__union_AndType_Or ? X_OR : X_OTHER;
		if (i)
			ewsd_sql_add(q, joiner);
		/* all union members are pointers: read the first one */
		if (expression(q, k, items[i].union_AndType.Exists, depth + 1))
			return -1;
	}
	if (n == 0)
		ewsd_sql_add(q, !strcmp(joiner, " AND ") ? "1" : "0");
	ewsd_sql_add(q, ")");
	return 0;
}

static int expression(struct ewsd_sql *q, enum expr kind, void *p, int depth)
{
	if (!p || depth > 32)
		return -1;
	switch (kind) {
	case X_EXISTS: return exists(q, p);
	case X_EQ: return two_operand(q, p, "=");
	case X_NE: return two_operand(q, p, "IS NOT");
	case X_GT: return two_operand(q, p, ">");
	case X_GE: return two_operand(q, p, ">=");
	case X_LT: return two_operand(q, p, "<");
	case X_LE: return two_operand(q, p, "<=");
	case X_CONTAINS: return contains(q, p);
	case X_NOT: {
		struct ewstype__NotType *n = p;
		int s = n->__union_NotType;
		enum expr k = s == SOAP_UNION__ewstype__union_NotType_Exists ? X_EXISTS
			: s == SOAP_UNION__ewstype__union_NotType_IsEqualTo ? X_EQ
			: s == SOAP_UNION__ewstype__union_NotType_IsNotEqualTo ? X_NE
			: s == SOAP_UNION__ewstype__union_NotType_IsGreaterThan ? X_GT
			: s == SOAP_UNION__ewstype__union_NotType_IsGreaterThanOrEqualTo ? X_GE
			: s == SOAP_UNION__ewstype__union_NotType_IsLessThan ? X_LT
			: s == SOAP_UNION__ewstype__union_NotType_IsLessThanOrEqualTo ? X_LE
			: s == SOAP_UNION__ewstype__union_NotType_Contains ? X_CONTAINS
			: s == SOAP_UNION__ewstype__union_NotType_Not ? X_NOT
			: s == SOAP_UNION__ewstype__union_NotType_And ? X_AND
			: s == SOAP_UNION__ewstype__union_NotType_Or ? X_OR : X_OTHER;
		ewsd_sql_add(q, "(NOT COALESCE(");
		if (expression(q, k, n->union_NotType.Exists, depth + 1))
			return -1;
		ewsd_sql_add(q, ", 0))");
		return 0;
	}
	case X_AND: {
		struct ewstype__AndType *a = p;
		return multi(q, a->__size_AndType, a->__union_AndType, " AND ", depth);
	}
	case X_OR: {
		struct ewstype__OrType *o = p;
		/* OrType's element union has the same members and selector values as AndType's */
		return multi(q, o->__size_OrType, (struct __ewstype__union_AndType *)o->__union_OrType, " OR ", depth);
	}
	default:
		return -1;
	}
}

_Static_assert(SOAP_UNION__ewstype__union_IsEqualToType_FieldURI == SOAP_UNION__ewstype__union_ExistsType_FieldURI &&
	       SOAP_UNION__ewstype__union_IsEqualToType_IndexedFieldURI == SOAP_UNION__ewstype__union_ExistsType_IndexedFieldURI &&
	       SOAP_UNION__ewstype__union_IsEqualToType_ExtendedFieldURI == SOAP_UNION__ewstype__union_ExistsType_ExtendedFieldURI &&
	       SOAP_UNION__ewstype__union_IsEqualToType_FieldURI == SOAP_UNION__ewstype__union_ContainsExpressionType_FieldURI &&
	       SOAP_UNION__ewstype__union_IsEqualToType_IndexedFieldURI == SOAP_UNION__ewstype__union_ContainsExpressionType_IndexedFieldURI &&
	       SOAP_UNION__ewstype__union_IsEqualToType_ExtendedFieldURI == SOAP_UNION__ewstype__union_ContainsExpressionType_ExtendedFieldURI &&
	       SOAP_UNION__ewstype__union_IsEqualToType_FieldURI == SOAP_UNION__ewstype__union_FieldOrderType_FieldURI &&
	       SOAP_UNION__ewstype__union_IsEqualToType_IndexedFieldURI == SOAP_UNION__ewstype__union_FieldOrderType_IndexedFieldURI &&
	       SOAP_UNION__ewstype__union_IsEqualToType_ExtendedFieldURI == SOAP_UNION__ewstype__union_FieldOrderType_ExtendedFieldURI,
	       "the path unions share their selector values");

int ewsd_sql_restriction(struct ewsd_sql *q, struct ewstype__RestrictionType *r)
{
	int s;
	if (!r)
		return 0;
	s = r->__union_RestrictionType;
	enum expr k = s == SOAP_UNION__ewstype__union_RestrictionType_Exists ? X_EXISTS
		: s == SOAP_UNION__ewstype__union_RestrictionType_IsEqualTo ? X_EQ
		: s == SOAP_UNION__ewstype__union_RestrictionType_IsNotEqualTo ? X_NE
		: s == SOAP_UNION__ewstype__union_RestrictionType_IsGreaterThan ? X_GT
		: s == SOAP_UNION__ewstype__union_RestrictionType_IsGreaterThanOrEqualTo ? X_GE
		: s == SOAP_UNION__ewstype__union_RestrictionType_IsLessThan ? X_LT
		: s == SOAP_UNION__ewstype__union_RestrictionType_IsLessThanOrEqualTo ? X_LE
		: s == SOAP_UNION__ewstype__union_RestrictionType_Contains ? X_CONTAINS
		: s == SOAP_UNION__ewstype__union_RestrictionType_Not ? X_NOT
		: s == SOAP_UNION__ewstype__union_RestrictionType_And ? X_AND
		: s == SOAP_UNION__ewstype__union_RestrictionType_Or ? X_OR : X_OTHER;
	ewsd_sql_add(q, " AND COALESCE(");
	if (expression(q, k, r->union_RestrictionType.Exists, 0))
		return -1;
	ewsd_sql_add(q, ", 0)");
	return 0;
}

int ewsd_sql_order(struct ewsd_sql *q, struct ewstype__NonEmptyArrayOfFieldOrdersType *o)
{
	ewsd_sql_add(q, " ORDER BY ");
	for (int i = 0; o && i < o->__sizeFieldOrder; i++) {
		struct ewstype__FieldOrderType *fo = &o->FieldOrder[i];
		const struct field *f;
		if (!(f = path_field(q, fo->__union_FieldOrderType, fo->union_FieldOrderType.FieldURI)))
			return -1;
		ewsd_sql_add(q, f->col);
		ewsd_sql_add(q, fo->Order == ewstype__SortDirectionType__Descending ? " DESC, " : " ASC, ");
	}
	/* Exchange's default view order (newest first), and a stable tie-break */
	ewsd_sql_add(q, q->folders ? "id ASC" : (o && o->__sizeFieldOrder ? "id ASC" : "received DESC, id DESC"));
	return 0;
}
