/* ews_dom.h — DOM look-ups shared by the fault, response-message and item/folder views; internal. */
#ifndef EWS_DOM_H
#define EWS_DOM_H

struct soap;
struct soap_dom_element;

/* gSOAP's own DOM (de)serializers (its library's dom.c; the generated soapH.h declares them too). */
void soap_default_xsd__anyType(struct soap *soap, struct soap_dom_element *node);
struct soap_dom_element *soap_in_xsd__anyType(struct soap *soap, const char *tag, struct soap_dom_element *node,
                                              const char *type);

/* "t:Value" -> "Value". */
const char *ews_dom_local_name(const char *name);

/* The text of e when it is <Value Name="name"> or an element whose local name is `name`; else NULL. */
const char *ews_dom_value_of(const struct soap_dom_element *e, const char *name);

/* ews_dom_value_of over the children of parent; the first match. */
const char *ews_dom_find_child_value(const struct soap_dom_element *parent, const char *name);

/* The first child element of e with local name `name`, or NULL. */
const struct soap_dom_element *ews_dom_child(const struct soap_dom_element *e, const char *name);

/* The text of that child (NULL when there is none). */
const char *ews_dom_child_text(const struct soap_dom_element *e, const char *name);

/* The value of e's attribute with local name `name` (xmlns declarations excluded), or NULL. */
const char *ews_dom_attr(const struct soap_dom_element *e, const char *name);

#endif
