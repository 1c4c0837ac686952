/* text_body.c — item:TextBody (Exchange 2013+): the body as plain text, read-only. GetItem and FindItem answer it
 * when AdditionalProperties names it (Exchange's AllProperties leaves the computed bodies — TextBody, UniqueBody,
 * NormalizedBody — out), always with BodyType="Text": an HTML body converted as BodyType Text converts it
 * (body_type.c: markup dropped, block ends as line breaks, character references decoded). Setting it is refused
 * as Exchange refuses a read-only property: ErrorInvalidPropertySet (UpdateItem's SetItemField already answers so
 * for a field ewsd does not set; CreateItem asks ewsd_text_body_refused). */
#include <string.h>

#include "ewsd.h"

/* TextBody came with Exchange 2013, as ArchiveItem did: a set without the operation (Exchange2010_SP2) has no
 * TextBody member in its ItemType either */
#ifdef SOAP_TYPE_ewsmsg__ArchiveItemType

int ewsd_text_body_asked(struct soap *soap, const struct ewstype__ItemResponseShapeType *shape)
{
	struct ewstype__NonEmptyArrayOfPathsToElementType *a = shape ? shape->AdditionalProperties : NULL;
	for (int i = 0; a && i < a->__size_NonEmptyArrayOfPathsToElementType; i++) {
		struct __ewstype__union_NonEmptyArrayOfPathsToElementType *u = &a->__union_NonEmptyArrayOfPathsToElementType[i];
		const char *uri;
		if (u->__union_NonEmptyArrayOfPathsToElementType == SOAP_UNION__ewstype__union_NonEmptyArrayOfPathsToElementType_FieldURI &&
		    u->union_NonEmptyArrayOfPathsToElementType.FieldURI &&
		    (uri = soap_ewstype__UnindexedFieldURIType2s(soap, u->union_NonEmptyArrayOfPathsToElementType.FieldURI->FieldURI)) &&
		    !strcmp(uri, "item:TextBody"))
			return 1;
	}
	return 0;
}

void ewsd_text_body_attach(struct soap *soap, const struct ewsd_item *it, void *item,
			   const struct ewstype__ItemResponseShapeType *shape)
{
	struct ewstype__ItemType *out = item;     /* every item type begins with ItemType's members */
	if (!out || !ewsd_text_body_asked(soap, shape))
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
	return in && in->TextBody;
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
