/* ews_attachments.c — ews_save_item_attachments: an item's attachments into files (ews/attachments.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ews/attachments.h"
#include "ews/response.h"
#include "ews_operations.h"
#include "ews_schema_members.h"
#include "ews_workflow.h"

void ews_saved_attachments_free(ews_saved_attachment *a, size_t n)
{
	if (!a)
		return;
	for (size_t i = 0; i < n; i++) {
		free(a[i].id);
		free(a[i].name);
		free(a[i].content_type);
		free(a[i].content_id);
		free(a[i].path);
	}
	free(a);
}

void ews_attachment_file_name(const char *name, int is_item, char *out, size_t outsz)
{
	const char *suffix = is_item ? ".xml" : "";
	size_t room, k, len;
	if (!out || outsz == 0)
		return;
	name = name ? name : "";
	len = strlen(name);
	room = outsz - 1 > strlen(suffix) ? outsz - 1 - strlen(suffix) : 0;
	for (k = 0; k < len && k < room; k++) {
		unsigned char ch = (unsigned char)name[k];
		if (ch < 0x20 || ch == 0x7f || ch == '/' || ch == '\\')
			ch = '_';
		if (k == 0 && ch == '.')     /* no hidden files, no "." or ".." */
			ch = '_';
		out[k] = (char)ch;
	}
	if (k < len)    /* cut: not in the middle of a UTF-8 sequence */
		while (k > 0 && ((unsigned char)name[k] & 0xc0) == 0x80)
			k--;
	if (k == 0)
		for (const char *d = "attachment"; *d && k < room; d++)
			out[k++] = *d;
	for (const char *s = suffix; *s && k < outsz - 1; s++)
		out[k++] = *s;
	out[k] = '\0';
}

#ifndef EWS_HAVE_OP_GET_ATTACHMENT
ews_status ews_save_item_attachments(ews_client *c, const char *item_id, const char *dir,
                                     const ews_attachment_save_options *opt, ews_saved_attachment **out, size_t *n)
{
	if (out)
		*out = NULL;
	if (n)
		*n = 0;
	return ews_status_make(EWS_ERR_UNSUPPORTED, "GetAttachment is not an operation of the schema %s",
	                       EWS_SCHEMA_NAME);
}
#else

static ews_status nomem(void) { return ews_status_make(EWS_ERR_NOMEM, "out of memory"); }

/* Step 1: GetItem IdOnly + item:Attachments, the attachments' ids and names into *out. */
static ews_status list_attachments(ews_client *c, struct soap *a, const char *item_id, ews_saved_attachment **out,
                                   size_t *n)
{
	static const char *const props[] = { "item:Attachments", NULL };
	struct ewsmsg__GetItemType *req = soap_new_ewsmsg__GetItemType(a, -1);
	struct __ewsmsg__GetItemResponse resp;
	ews_status st = req ? ews_wf_item_shape(a, "IdOnly", props, NULL, &req->ItemShape) : nomem();
	if (ews_ok(st) && (!(req->ItemIds = soap_new_ewstype__NonEmptyArrayOfBaseItemIdsType(a, -1)) ||
	                   !(req->ItemIds->__union_NonEmptyArrayOfBaseItemIdsType =
	                             soap_new___ewstype__union_NonEmptyArrayOfBaseItemIdsType(a, 1))))
		st = nomem();
	if (ews_ok(st)) {
		struct ewstype__ItemIdType *iid = soap_new_ewstype__ItemIdType(a, -1);
		if (!iid || !(iid->Id = soap_strdup(a, item_id)))
			return nomem();
		req->ItemIds->__size_NonEmptyArrayOfBaseItemIdsType = 1;
		req->ItemIds->__union_NonEmptyArrayOfBaseItemIdsType[0].__union_NonEmptyArrayOfBaseItemIdsType =
			SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseItemIdsType_ItemId;
		req->ItemIds->__union_NonEmptyArrayOfBaseItemIdsType[0].union_NonEmptyArrayOfBaseItemIdsType.ItemId = iid;
		memset(&resp, 0, sizeof resp);
		st = ews_get_item(c, req, &resp);
	}
	if (!ews_ok(st))
		return st;
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs =
		resp.ewsmsg__GetItemResponse ? resp.ewsmsg__GetItemResponse->ResponseMessages : NULL;
	ews_response_message m;
	if (ews_response_messages_count(msgs) != 1 || ews_response_messages_get(msgs, 0, &m) || !m.message)
		return ews_status_make(EWS_ERR_XML, "GetItem: no response message for the item");
	if (!ews_ok(st = ews_wf_message_status(msgs, 0)))
		return st;
	const struct ewsmsg__ItemInfoResponseMessageType *im = m.message;
	const void *typed = NULL;
	if (!im->Items || im->Items->__size_ArrayOfRealItemsType < 1 ||
	    ews_wf_real_item_kind(im->Items->__union_ArrayOfRealItemsType[0].__union_ArrayOfRealItemsType,
	                          &im->Items->__union_ArrayOfRealItemsType[0].union_ArrayOfRealItemsType,
	                          &typed) == EWS_ITEM_NONE || !typed)
		return ews_status_make(EWS_ERR_XML, "GetItem: the response has no item");
	/* every item type begins with ItemType's members (gSOAP C structs copy the base's members first) */
	const struct ewstype__NonEmptyArrayOfAttachmentsType *arr = ((const struct ewstype__ItemType *)typed)->Attachments;
	int k = arr ? arr->__size_NonEmptyArrayOfAttachmentsType : 0;
	if (k <= 0)
		return ews_status_ok();
	if (!(*out = calloc((size_t)k, sizeof **out)))
		return nomem();
	*n = (size_t)k;
	for (int i = 0; i < k; i++) {
		const struct __ewstype__union_NonEmptyArrayOfAttachmentsType *u = &arr->__union_NonEmptyArrayOfAttachmentsType[i];
		ews_saved_attachment *r = &(*out)[i];
		const struct ewstype__AttachmentIdType *aid = NULL;
		const char *name = NULL, *ctype = NULL, *cid = NULL;
		const enum xsd__boolean *inl = NULL;
		r->status = ews_status_make(EWS_ERR_CANCELLED, "not fetched");
		if (u->__union_NonEmptyArrayOfAttachmentsType == SOAP_UNION__ewstype__union_NonEmptyArrayOfAttachmentsType_FileAttachment &&
		    u->union_NonEmptyArrayOfAttachmentsType.FileAttachment) {
			const struct ewstype__FileAttachmentType *f = u->union_NonEmptyArrayOfAttachmentsType.FileAttachment;
			aid = f->AttachmentId, name = f->Name, ctype = f->ContentType, cid = f->ContentId;
#ifdef EWS_HAS_ewstype__FileAttachmentType_IsInline   /* Exchange 2010 */
			inl = f->IsInline;
#endif
		} else if (u->__union_NonEmptyArrayOfAttachmentsType ==
		                   SOAP_UNION__ewstype__union_NonEmptyArrayOfAttachmentsType_ItemAttachment &&
		           u->union_NonEmptyArrayOfAttachmentsType.ItemAttachment) {
			const struct ewstype__ItemAttachmentType *t = u->union_NonEmptyArrayOfAttachmentsType.ItemAttachment;
			aid = t->AttachmentId, name = t->Name, ctype = t->ContentType, cid = t->ContentId;
#ifdef EWS_HAS_ewstype__ItemAttachmentType_IsInline
			inl = t->IsInline;
#endif
			r->is_item = 1;
		} else {
			r->status = ews_status_make(EWS_ERR_UNSUPPORTED, "a reference attachment has no content to save");
		}
		r->is_inline = inl && *inl == xsd__boolean__true_;
		if (!(r->name = ews_wf_strdup(name ? name : "")) || (aid && aid->Id && !(r->id = ews_wf_strdup(aid->Id))) ||
		    (ctype && !(r->content_type = ews_wf_strdup(ctype))) || (cid && !(r->content_id = ews_wf_strdup(cid))))
			return nomem();
		if (!r->id && r->status.code == EWS_ERR_CANCELLED)
			r->status = ews_status_make(EWS_ERR_XML, "GetItem: an attachment without AttachmentId");
	}
	return ews_status_ok();
}

/* A free path DIR/NAME, DIR/NAME (2).EXT ... that no earlier result of this call has and no file has. */
static ews_status pick_path(const char *dir, const char *fname, const ews_saved_attachment *done, size_t ndone,
                            char **path)
{
	const char *dot = strrchr(fname, '.');
	size_t stem = dot && dot != fname ? (size_t)(dot - fname) : strlen(fname);
	for (int copy = 1; copy < 10000; copy++) {
		char buf[4096];
		struct stat sb;
		int taken = 0;
		if (copy == 1)
			snprintf(buf, sizeof buf, "%s/%s", dir, fname);
		else
			snprintf(buf, sizeof buf, "%s/%.*s (%d)%s", dir, (int)stem, fname, copy, fname + stem);
		for (size_t i = 0; i < ndone && !taken; i++)
			taken = done[i].path && !strcmp(done[i].path, buf);
		if (!taken && lstat(buf, &sb) != 0 && errno == ENOENT) {
			*path = ews_wf_strdup(buf);
			return *path ? ews_status_ok() : nomem();
		}
	}
	return ews_status_make(EWS_ERR_FILE, "no free file name for attachment '%s' in %s", fname, dir);
}

/* Step 2, for one attachment: GetAttachment, then its file. Returns a whole-request failure (the caller stops);
 * the attachment's own outcome is in r->status. */
static ews_status fetch_one(ews_client *c, struct soap *a, const char *dir, ews_saved_attachment *all, size_t i,
                            int durable)
{
	ews_saved_attachment *r = &all[i];
	struct ewsmsg__GetAttachmentType *req = soap_new_ewsmsg__GetAttachmentType(a, -1);
	struct __ewsmsg__GetAttachmentResponse resp;
	struct ewstype__RequestAttachmentIdType *rid = soap_new_ewstype__RequestAttachmentIdType(a, -1);
	if (!req || !rid || !(rid->Id = soap_strdup(a, r->id)) ||
	    !(req->AttachmentIds = soap_new_ewstype__NonEmptyArrayOfRequestAttachmentIdsType(a, -1)) ||
	    !(req->AttachmentIds->__union_NonEmptyArrayOfRequestAttachmentIdsType =
	              soap_new___ewstype__union_NonEmptyArrayOfRequestAttachmentIdsType(a, 1)))
		return nomem();
	req->AttachmentIds->__size_NonEmptyArrayOfRequestAttachmentIdsType = 1;
	req->AttachmentIds->__union_NonEmptyArrayOfRequestAttachmentIdsType[0].__union_NonEmptyArrayOfRequestAttachmentIdsType =
		SOAP_UNION__ewstype__union_NonEmptyArrayOfRequestAttachmentIdsType_AttachmentId;
	req->AttachmentIds->__union_NonEmptyArrayOfRequestAttachmentIdsType[0]
		.union_NonEmptyArrayOfRequestAttachmentIdsType.AttachmentId = rid;
	memset(&resp, 0, sizeof resp);
	ews_status st = ews_get_attachment(c, req, &resp);
	if (!ews_ok(st) && st.code != EWS_ERR_RESPONSE)
		return r->status = st;
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs =
		resp.ewsmsg__GetAttachmentResponse ? resp.ewsmsg__GetAttachmentResponse->ResponseMessages : NULL;
	ews_response_message m;
	if (ews_response_messages_count(msgs) != 1 || ews_response_messages_get(msgs, 0, &m) || !m.message) {
		r->status = ews_status_make(EWS_ERR_XML, "GetAttachment: no response message");
		return ews_status_ok();
	}
	if (!ews_ok(r->status = ews_wf_message_status(msgs, 0)))
		return ews_status_ok();
	const struct ewsmsg__AttachmentInfoResponseMessageType *am = m.message;
	const struct ewstype__ArrayOfAttachmentsType *arr = am->Attachments;
	const struct __ewstype__union_ArrayOfAttachmentsType *u =
		arr && arr->__size_ArrayOfAttachmentsType > 0 ? &arr->__union_ArrayOfAttachmentsType[0] : NULL;
	char fname[256];
	ews_attachment_file_name(r->name, r->is_item, fname, sizeof fname);
	if (!ews_ok(r->status = pick_path(dir, fname, all, i, &r->path)))
		return ews_status_ok();
	if (u && u->__union_ArrayOfAttachmentsType == SOAP_UNION__ewstype__union_ArrayOfAttachmentsType_FileAttachment &&
	    u->union_ArrayOfAttachmentsType.FileAttachment) {
		const struct xsd__base64Binary *content = u->union_ArrayOfAttachmentsType.FileAttachment->Content;
		size_t len = content && content->__ptr && content->__size > 0 ? (size_t)content->__size : 0;
		/* straight from the decoded response: the bytes are held once */
		r->status = ews_wf_write_file_atomic(r->path, len ? content->__ptr : (const unsigned char *)"", len, durable);
		r->size = (long long)len;
	} else if (u && u->__union_ArrayOfAttachmentsType == SOAP_UNION__ewstype__union_ArrayOfAttachmentsType_ItemAttachment &&
	           u->union_ArrayOfAttachmentsType.ItemAttachment) {
		/* the ItemAttachment element as XML, serialised into a string by a context of our own */
		struct soap *w = ews_wf_soap_new();
		const char *xml = NULL;
		if (!w) {
			r->status = nomem();
		} else {
			w->os = &xml;
			if (soap_write_ewstype__ItemAttachmentType(w, u->union_ArrayOfAttachmentsType.ItemAttachment) || !xml)
				r->status = ews_status_make(EWS_ERR_XML, "cannot serialise the item attachment (gSOAP error %d)",
				                            w->error);
			else {
				r->status = ews_wf_write_file_atomic(r->path, xml, strlen(xml), durable);
				r->size = (long long)strlen(xml);
			}
			ews_wf_soap_free(w);
		}
	} else {
		r->status = ews_status_make(EWS_ERR_XML, "GetAttachment: the response has no attachment");
	}
	if (!ews_ok(r->status)) {
		free(r->path);
		r->path = NULL;
		r->size = 0;
	}
	return ews_status_ok();
}

ews_status ews_save_item_attachments(ews_client *c, const char *item_id, const char *dir,
                                     const ews_attachment_save_options *opt, ews_saved_attachment **out, size_t *n)
{
	struct stat sb;
	if (out)
		*out = NULL;
	if (n)
		*n = 0;
	if (!c || !item_id || !*item_id || !dir || !*dir || !out || !n)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_save_item_attachments: client, item id, directory and "
		                                         "results are required");
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return ews_status_make(EWS_ERR_FILE, "%s: %s", dir, stat(dir, &sb) != 0 ? strerror(errno) : "not a directory");
	if (access(dir, W_OK | X_OK) != 0)
		return ews_status_make(EWS_ERR_FILE, "%s: %s", dir, strerror(errno));
	struct soap *a = ews_wf_soap_new();
	if (!a)
		return nomem();
	ews_status st = list_attachments(c, a, item_id, out, n);
	ews_client_release(c);
	soap_end(a);
	ews_status first = ews_status_ok();
	for (size_t i = 0; ews_ok(st) && i < *n; i++) {
		ews_saved_attachment *r = &(*out)[i];
		if (r->status.code != EWS_ERR_CANCELLED || !r->id)
			;   /* already decided (reference attachment, no id) */
		else if (opt && opt->skip_inline && r->is_inline)
			r->status = ews_status_ok();   /* left out on purpose: ok, no path */
		else
			st = fetch_one(c, a, dir, *out, i, opt ? opt->durable : 0);
		/* release this attachment's response before the next one is fetched */
		ews_client_release(c);
		soap_end(a);
		if (ews_ok(first) && !ews_ok(r->status)) {
			first = r->status;
			snprintf(first.message, sizeof first.message, "attachment %zu: %.340s", i + 1, r->status.message);
		}
	}
	ews_wf_soap_free(a);
	if (!ews_ok(st) && *n == 0)
		return st;
	if (!ews_ok(st))   /* a whole request failed: later attachments stay EWS_ERR_CANCELLED */
		return st;
	return first;
}
#endif
