/* ews_dom.c — finding EWS elements and values in DOM content (MessageXml of faults and response messages; item
 * and folder elements the bindings keep as DOM). */
#include <string.h>

#include <stdsoap2.h>

#include "ews_dom.h"

const char *ews_dom_local_name(const char *name)
{
	const char *colon = name ? strrchr(name, ':') : NULL;
	return colon ? colon + 1 : name;
}

const char *ews_dom_value_of(const struct soap_dom_element *e, const char *name)
{
	const char *local;

	if (!e || !name || !e->name)
		return NULL;
	local = ews_dom_local_name(e->name);
	if (!strcmp(local, "Value")) {
		/* <t:Value Name="BackOffMilliseconds">1200</t:Value> */
		for (const struct soap_dom_attribute *a = e->atts; a; a = a->next)
			if (a->name && !strcmp(ews_dom_local_name(a->name), "Name") && a->text && !strcmp(a->text, name))
				return e->text ? e->text : "";
		return NULL;
	}
	if (!strcmp(local, name))
		return e->text ? e->text : ""; /* <t:LineNumber>2</t:LineNumber> */
	return NULL;
}

const char *ews_dom_find_child_value(const struct soap_dom_element *parent, const char *name)
{
	for (const struct soap_dom_element *e = parent ? parent->elts : NULL; e; e = e->next) {
		const char *v = ews_dom_value_of(e, name);
		if (v)
			return v;
	}
	return NULL;
}

const struct soap_dom_element *ews_dom_child(const struct soap_dom_element *e, const char *name)
{
	for (e = e && name ? e->elts : NULL; e; e = e->next)
		if (e->name && !strcmp(ews_dom_local_name(e->name), name))
			return e;
	return NULL;
}

const char *ews_dom_child_text(const struct soap_dom_element *e, const char *name)
{
	e = ews_dom_child(e, name);
	return e ? e->text : NULL;
}

const char *ews_dom_attr(const struct soap_dom_element *e, const char *name)
{
	for (const struct soap_dom_attribute *a = e && name ? e->atts : NULL; a; a = a->next)
		if (a->name && strncmp(a->name, "xmlns", 5) && !strcmp(ews_dom_local_name(a->name), name))
			return a->text;
	return NULL;
}
