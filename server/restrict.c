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
enum ftype { F_TEXT, F_INT, F_BOOL, F_DATE, F_IMPORTANCE, F_MULTI };

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

static const struct field *field_of(struct ewsd_sql *q, struct ewstype__PathToUnindexedFieldType *p)
{
	const char *uri;
	if (!p)
		return NULL;
	uri = soap_ewstype__UnindexedFieldURIType2s(q->soap, p->FieldURI);
	for (size_t i = 0; uri && i < sizeof fields / sizeof fields[0]; i++)
		if (!strcmp(fields[i].uri, uri) && fields[i].folders == q->folders)
			return &fields[i];
	return NULL;
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
	if (!e || e->__union_IsEqualToType != SOAP_UNION__ewstype__union_IsEqualToType_FieldURI ||
	    !(f = field_of(q, e->union_IsEqualToType.FieldURI)) || !e->FieldURIOrConstant)
		return -1;
	struct ewstype__FieldURIOrConstantType *c = e->FieldURIOrConstant;
	char buf[512];
	const char *cast = f->type == F_INT || f->type == F_BOOL || f->type == F_IMPORTANCE ? "CAST(? AS INTEGER)" : "?";
	if (c->__union_FieldURIOrConstantType == SOAP_UNION__ewstype__union_FieldURIOrConstantType_Constant &&
	    c->union_FieldURIOrConstantType.Constant) {
		const char *v = norm_value(q, f, c->union_FieldURIOrConstantType.Constant->Value);
		if (!v || add_bind(q, v))
			return -1;
		if (f->type == F_MULTI && (!strcmp(op, "=") || !strcmp(op, "IS NOT")))
			snprintf(buf, sizeof buf, "(%sinstr(';' || lower(coalesce(%s, '')) || ';', ';' || lower(?) || ';') > 0)",
				 !strcmp(op, "=") ? "" : "NOT ", f->col);
		else
			snprintf(buf, sizeof buf, "(%s %s %s)", f->col, op, cast);
	} else if (c->__union_FieldURIOrConstantType == SOAP_UNION__ewstype__union_FieldURIOrConstantType_FieldURI &&
		   (g = field_of(q, c->union_FieldURIOrConstantType.FieldURI))) {
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
	char buf[512];
	if (!e || e->__union_ContainsExpressionType != SOAP_UNION__ewstype__union_ContainsExpressionType_FieldURI ||
	    !(f = field_of(q, e->union_ContainsExpressionType.FieldURI)) || !e->Constant || !e->Constant->Value)
		return -1;
	int icase = !e->ContainmentComparison || *e->ContainmentComparison != ewstype__ContainmentComparisonType__Exact;
	enum ewstype__ContainmentModeType mode = e->ContainmentMode ? *e->ContainmentMode
								    : ewstype__ContainmentModeType__Substring;
	const char *col = f->col;
	char lc[300];
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
	char buf[400];
	if (!e || e->__union_ExistsType != SOAP_UNION__ewstype__union_ExistsType_FieldURI ||
	    !(f = field_of(q, e->union_ExistsType.FieldURI)))
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
		if (fo->__union_FieldOrderType != SOAP_UNION__ewstype__union_FieldOrderType_FieldURI ||
		    !(f = field_of(q, fo->union_FieldOrderType.FieldURI)))
			return -1;
		ewsd_sql_add(q, f->col);
		ewsd_sql_add(q, fo->Order == ewstype__SortDirectionType__Descending ? " DESC, " : " ASC, ");
	}
	/* Exchange's default view order (newest first), and a stable tie-break */
	ewsd_sql_add(q, q->folders ? "id ASC" : (o && o->__sizeFieldOrder ? "id ASC" : "received DESC, id DESC"));
	return 0;
}
