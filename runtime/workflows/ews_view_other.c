/* ews_view_other.c — views of item and folder elements without a kind in ews/view.h (EWS_ITEM_OTHER,
 * EWS_FOLDER_OTHER): the element's XML, its DOM tree, and the common members read from that tree.
 *
 * Both sources end up as the same DOM: an element the bindings do not know is already DOM (xs:any); one they know
 * as a struct the views cannot name (the views compile against any schema set) is serialized by the bindings'
 * own writer and parsed back. So one reader fills the view either way. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ews_dom.h"
#include "ews_view_internal.h"
#include "ews_workflow.h"
#include "ews_xml_dedup.h"

/* The element `write` serializes, as a NUL-terminated string allocated in soap (NULL on failure). Tree mode:
 * one self-contained element, no id/href multi-references, no XML declaration. */
static const char *element_xml(struct soap *soap, ews_view_writer write, const void *arg)
{
	const char *xml = NULL, **os = soap->os, *prolog = soap->prolog;
	soap_mode omode = soap->omode;

	soap->os = &xml;
	soap->omode = (omode | SOAP_XML_TREE) & ~SOAP_XML_INDENT;
	soap->prolog = NULL;
	if (soap_begin_send(soap) || write(soap, arg) || soap_end_send(soap))
		xml = NULL;
	soap->os = os;
	soap->omode = omode;
	soap->prolog = prolog;
	if (xml)        /* a DOM element parsed from <E xmlns="..."> would declare it twice: ews_xml_dedup.h */
		ews_xml_drop_duplicate_attributes((char *)xml, strlen(xml));
	return xml;
}

/* xml parsed into a DOM tree allocated in soap, or NULL. */
static const struct soap_dom_element *element_dom(struct soap *soap, const char *xml)
{
	struct soap_dom_element *dom = soap_new_xsd__anyType(soap, -1);
	const char *is = soap->is;

	if (!dom)
		return NULL;
	soap->is = xml;
	if (soap_begin_recv(soap) || !soap_in_xsd__anyType(soap, NULL, dom, NULL) || soap_end_recv(soap))
		dom = NULL;
	soap->is = is;
	soap->error = SOAP_OK;
	return dom;
}

static int write_dom(struct soap *soap, const void *dom)
{
	return soap_out_xsd__anyType(soap, NULL, 0, dom, NULL);
}

/* The element's XML and DOM, whichever way it came. */
static ews_status xml_and_dom(struct soap *soap, const struct soap_dom_element **dom, ews_view_writer write,
                              const void *arg, const char **xml)
{
	*xml = *dom ? element_xml(soap, write_dom, *dom) : write ? element_xml(soap, write, arg) : NULL;
	if (*xml && !*dom)
		*dom = element_dom(soap, *xml);
	if (!*xml || !*dom)
		return ews_status_make(soap->error == SOAP_EOM ? EWS_ERR_NOMEM : EWS_ERR_XML,
		                       "cannot represent an element the views have no kind for (gSOAP error %d)",
		                       soap->error);
	return ews_status_ok();
}

static int dom_bool(const char *text)
{
	if (!text)
		return -1;
	return !strcmp(text, "true") || !strcmp(text, "1");
}

static long long dom_number(const char *text)
{
	char *end;
	long long n;

	if (!text || !*text)
		return -1;
	errno = 0;
	n = strtoll(text, &end, 10);
	return errno || *end || n < 0 ? -1 : n;
}

static int dom_int(const char *text)
{
	long long n = dom_number(text);
	return n > INT_MAX ? -1 : (int)n;
}

ews_status ews_view_other_item(struct soap *soap, ews_item_view *v, const struct soap_dom_element *dom,
                               const void *typed, ews_view_writer write, const void *arg)
{
	const struct soap_dom_element *id, *mailbox;
	const char *xml;
	ews_status st;

	ews_wf_item_view(v, EWS_ITEM_NONE, NULL);
	if (!ews_ok(st = xml_and_dom(soap, &dom, write, arg, &xml)))
		return st;
	v->kind = EWS_ITEM_OTHER;
	v->typed.any = typed ? typed : (const void *)dom;
	v->dom = dom;
	v->xml = xml;
	v->element = ews_dom_local_name(dom->name);
	/* The members every item type has (ItemType's), where this one has them. */
	id = ews_dom_child(dom, "ItemId");
	v->id = ews_dom_attr(id, "Id");
	v->change_key = ews_dom_attr(id, "ChangeKey");
	v->parent_folder_id = ews_dom_attr(ews_dom_child(dom, "ParentFolderId"), "Id");
	v->item_class = ews_dom_child_text(dom, "ItemClass");
	v->subject = ews_dom_child_text(dom, "Subject");
	v->received = ews_dom_child_text(dom, "DateTimeReceived");
	v->sent = ews_dom_child_text(dom, "DateTimeSent");
	v->created = ews_dom_child_text(dom, "DateTimeCreated");
	v->modified = ews_dom_child_text(dom, "LastModifiedTime");
	v->size = dom_number(ews_dom_child_text(dom, "Size"));
	v->has_attachments = dom_bool(ews_dom_child_text(dom, "HasAttachments"));
	v->is_read = dom_bool(ews_dom_child_text(dom, "IsRead"));
	mailbox = ews_dom_child(ews_dom_child(dom, "From"), "Mailbox");
	v->from_name = ews_dom_child_text(mailbox, "Name");
	v->from_address = ews_dom_child_text(mailbox, "EmailAddress");
	v->internet_message_id = ews_dom_child_text(dom, "InternetMessageId");
	v->start = ews_dom_child_text(dom, "Start");
	v->end = ews_dom_child_text(dom, "End");
	v->location = ews_dom_child_text(dom, "Location");
	return ews_status_ok();
}

ews_status ews_view_other_folder(struct soap *soap, ews_folder_view *v, const struct soap_dom_element *dom,
                                 const void *typed, ews_view_writer write, const void *arg)
{
	const struct soap_dom_element *id;
	const char *xml;
	ews_status st;

	ews_wf_folder_view(v, EWS_FOLDER_NONE, NULL);
	if (!ews_ok(st = xml_and_dom(soap, &dom, write, arg, &xml)))
		return st;
	v->kind = EWS_FOLDER_OTHER;
	v->typed.any = typed ? typed : (const void *)dom;
	v->dom = dom;
	v->xml = xml;
	v->element = ews_dom_local_name(dom->name);
	id = ews_dom_child(dom, "FolderId");
	v->id = ews_dom_attr(id, "Id");
	v->change_key = ews_dom_attr(id, "ChangeKey");
	v->parent_folder_id = ews_dom_attr(ews_dom_child(dom, "ParentFolderId"), "Id");
	v->display_name = ews_dom_child_text(dom, "DisplayName");
	v->folder_class = ews_dom_child_text(dom, "FolderClass");
	v->total_count = dom_int(ews_dom_child_text(dom, "TotalCount"));
	v->child_folder_count = dom_int(ews_dom_child_text(dom, "ChildFolderCount"));
	v->unread_count = dom_int(ews_dom_child_text(dom, "UnreadCount"));
	return ews_status_ok();
}
