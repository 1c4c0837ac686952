/* text_body.c — the computed bodies of Exchange 2013+, read-only, answered by GetItem and FindItem when
 * AdditionalProperties names them (Exchange's AllProperties leaves them out):
 *  - item:TextBody, always BodyType="Text": an HTML body converted as BodyType Text converts it (body_type.c:
 *    markup dropped, block ends as line breaks, character references decoded);
 *  - item:UniqueBody, the part of the body no earlier message of its conversation has. ewsd keeps no
 *    conversations, so every item is the first of its own and its unique part is the whole body; in HTML unless
 *    the shape's UniqueBodyType asks for Text;
 *  - item:NormalizedBody, the body normalized to HTML (NormalizedBodyType Text: as text).
 * Setting any of them is refused as Exchange refuses a read-only property: ErrorInvalidPropertySet (UpdateItem's
 * SetItemField already answers so for a field ewsd does not set; CreateItem asks ewsd_text_body_refused). */
#include <string.h>

#include "ewsd.h"

/* TextBody came with Exchange 2013, as ArchiveItem did: a set without the operation (Exchange2010_SP2) has no
 * TextBody member in its ItemType either */
#ifdef SOAP_TYPE_ewsmsg__ArchiveItemType

static int shape_names(struct soap *soap, const struct ewstype__ItemResponseShapeType *shape, const char *name)
{
	struct ewstype__NonEmptyArrayOfPathsToElementType *a = shape ? shape->AdditionalProperties : NULL;
	for (int i = 0; a && i < a->__size_NonEmptyArrayOfPathsToElementType; i++) {
		struct __ewstype__union_NonEmptyArrayOfPathsToElementType *u = &a->__union_NonEmptyArrayOfPathsToElementType[i];
		const char *uri;
		if (u->__union_NonEmptyArrayOfPathsToElementType == SOAP_UNION__ewstype__union_NonEmptyArrayOfPathsToElementType_FieldURI &&
		    u->union_NonEmptyArrayOfPathsToElementType.FieldURI &&
		    (uri = soap_ewstype__UnindexedFieldURIType2s(soap, u->union_NonEmptyArrayOfPathsToElementType.FieldURI->FieldURI)) &&
		    !strcmp(uri, name))
			return 1;
	}
	return 0;
}

int ewsd_text_body_asked(struct soap *soap, const struct ewstype__ItemResponseShapeType *shape)
{
	return shape_names(soap, shape, "item:TextBody") || shape_names(soap, shape, "item:UniqueBody") ||
	       shape_names(soap, shape, "item:NormalizedBody");
}

/* The body as HTML, or as text when the shape's per-body type (UniqueBodyType, NormalizedBodyType) says Text. */
static struct ewstype__BodyType *body_in(struct soap *soap, const struct ewsd_item *it, const enum ewstype__BodyTypeResponseType *want)
{
	int html = !want || *want != ewstype__BodyTypeResponseType__Text;
	const char *text = ewsd_body_as(soap, it->body, it->body_html, html);
	struct ewstype__BodyType *b = EWSD_NEW(soap, struct ewstype__BodyType);
	if (!b)
		return NULL;
	b->BodyType = html ? ewstype__BodyTypeType__HTML : ewstype__BodyTypeType__Text;
	b->__item = soap_strdup(soap, text ? text : "");
	return b;
}

void ewsd_text_body_attach(struct soap *soap, const struct ewsd_item *it, void *item,
			   const struct ewstype__ItemResponseShapeType *shape)
{
	struct ewstype__ItemType *out = item;     /* every item type begins with ItemType's members */
	if (!out || !shape)
		return;
	if (shape_names(soap, shape, "item:UniqueBody"))
		out->UniqueBody = body_in(soap, it, shape->UniqueBodyType);
	if (shape_names(soap, shape, "item:NormalizedBody"))
		out->NormalizedBody = body_in(soap, it, shape->NormalizedBodyType);
	if (!shape_names(soap, shape, "item:TextBody"))
		return;
	const char *text = ewsd_body_as(soap, it->body, it->body_html, 0);
	out->TextBody = EWSD_NEW(soap, struct ewstype__BodyType);
	if (!out->TextBody)
		return;
	out->TextBody->BodyType = ewstype__BodyTypeType__Text;
	out->TextBody->__item = soap_strdup(soap, text ? text : "");
}

int ewsd_text_body_refused(const void *item)
{
	const struct ewstype__ItemType *in = item;
	return in && (in->TextBody || in->UniqueBody || in->NormalizedBody);
}

#else

int ewsd_text_body_asked(struct soap *soap, const struct ewstype__ItemResponseShapeType *shape)
{
	(void)soap, (void)shape;
	return 0;
}

void ewsd_text_body_attach(struct soap *soap, const struct ewsd_item *it, void *item,
			   const struct ewstype__ItemResponseShapeType *shape)
{
	(void)soap, (void)it, (void)item, (void)shape;
}

int ewsd_text_body_refused(const void *item)
{
	(void)item;
	return 0;
}
#endif
