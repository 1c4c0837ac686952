/* ews_mime.c — ews_create_item_from_mime(_file): CreateItem with MimeContent from an .eml (ews/mime.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ews/mime.h"
#include "ews/response.h"
#include "ews_operations.h"
#include "ews_workflow.h"

#define DEFAULT_MAX ((size_t)64 << 20)
#define CHUNK ((size_t)3 * 16384)      /* a multiple of 3: each chunk encodes without padding but the last */

static ews_status nomem(void) { return ews_status_make(EWS_ERR_NOMEM, "out of memory"); }

/* Base64 of n bytes into out (room for 4 * ceil(n / 3) characters); returns the characters written. */
static size_t encode(const unsigned char *in, size_t n, char *out)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0, i = 0;
	for (; i + 2 < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
		out[o++] = abc[v >> 18], out[o++] = abc[v >> 12 & 63], out[o++] = abc[v >> 6 & 63], out[o++] = abc[v & 63];
	}
	if (i < n) {
		unsigned v = (unsigned)in[i] << 16 | (i + 1 < n ? (unsigned)in[i + 1] << 8 : 0);
		out[o++] = abc[v >> 18], out[o++] = abc[v >> 12 & 63];
		out[o++] = i + 1 < n ? abc[v >> 6 & 63] : '=';
		out[o++] = '=';
	}
	return o;
}

static size_t encoded_size(size_t n) { return (n + 2) / 3 * 4; }

/* The request around base64 text b64 (borrowed: it must outlive the call), sent; *item_id / *change_key
 * copied out. */
static ews_status create(ews_client *c, char *b64, const ews_mime_create_options *opt, char **item_id,
                         char **change_key)
{
	struct soap *a = ews_wf_soap_new();
	struct ewsmsg__CreateItemType *req = a ? soap_new_ewsmsg__CreateItemType(a, -1) : NULL;
	struct ewstype__MessageType *m = a ? soap_new_ewstype__MessageType(a, -1) : NULL;
	struct ewstype__MimeContentType *mc = a ? soap_new_ewstype__MimeContentType(a, -1) : NULL;
	enum ewstype__MessageDispositionType *disp = a ? soap_malloc(a, sizeof *disp) : NULL;
	ews_status st = ews_status_ok();
	if (!req || !m || !mc || !disp ||
	    !(req->Items = soap_new_ewstype__NonEmptyArrayOfAllItemsType(a, -1)) ||
	    !(req->Items->__union_NonEmptyArrayOfAllItemsType = soap_new___ewstype__union_NonEmptyArrayOfAllItemsType(a, 1))) {
		ews_wf_soap_free(a);
		return nomem();
	}
	mc->__item = b64;
	m->MimeContent = mc;
	req->Items->__size_NonEmptyArrayOfAllItemsType = 1;
	req->Items->__union_NonEmptyArrayOfAllItemsType[0].__union_NonEmptyArrayOfAllItemsType =
		SOAP_UNION__ewstype__union_NonEmptyArrayOfAllItemsType_Message;
	req->Items->__union_NonEmptyArrayOfAllItemsType[0].union_NonEmptyArrayOfAllItemsType.Message = m;
	*disp = ewstype__MessageDispositionType__SaveOnly;      /* stored, never sent */
	req->MessageDisposition = disp;
	st = ews_wf_target_folder(a, opt && opt->folder ? opt->folder : "drafts", opt ? opt->mailbox : NULL,
	                          &req->SavedItemFolderId);
	struct __ewsmsg__CreateItemResponse resp;
	memset(&resp, 0, sizeof resp);
	if (ews_ok(st))
		st = ews_create_item(c, req, &resp);
	const struct ewsmsg__ArrayOfResponseMessagesType *msgs =
		ews_ok(st) && resp.ewsmsg__CreateItemResponse ? resp.ewsmsg__CreateItemResponse->ResponseMessages : NULL;
	ews_response_message rm;
	if (ews_ok(st) && (ews_response_messages_count(msgs) != 1 || ews_response_messages_get(msgs, 0, &rm) ||
	                   !rm.message))
		st = ews_status_make(EWS_ERR_XML, "CreateItem: no response message for the item");
	if (ews_ok(st))
		st = ews_wf_message_status(msgs, 0);
	if (ews_ok(st)) {
		const struct ewstype__ArrayOfRealItemsType *made =
			((const struct ewsmsg__ItemInfoResponseMessageType *)rm.message)->Items;
		const void *typed = NULL;
		if (!made || made->__size_ArrayOfRealItemsType < 1 ||
		    ews_wf_real_item_kind(made->__union_ArrayOfRealItemsType[0].__union_ArrayOfRealItemsType,
		                          &made->__union_ArrayOfRealItemsType[0].union_ArrayOfRealItemsType,
		                          &typed) == EWS_ITEM_NONE || !typed ||
		    !((const struct ewstype__ItemType *)typed)->ItemId ||
		    !((const struct ewstype__ItemType *)typed)->ItemId->Id) {
			st = ews_status_make(EWS_ERR_XML, "CreateItem: the response names no item");
		} else {
			/* every item type begins with ItemType's members (gSOAP C structs copy the base's first) */
			const struct ewstype__ItemIdType *id = ((const struct ewstype__ItemType *)typed)->ItemId;
			char *i = ews_wf_strdup(id->Id), *k = id->ChangeKey ? ews_wf_strdup(id->ChangeKey) : NULL;
			if (!i || (id->ChangeKey && !k)) {
				free(i), free(k);
				st = nomem();
			} else {
				if (item_id)
					*item_id = i;
				else
					free(i);
				if (change_key)
					*change_key = k;
				else
					free(k);
			}
		}
	}
	ews_client_release(c);
	ews_wf_soap_free(a);
	return st;
}

static ews_status check_args(ews_client *c, const void *src, const ews_mime_create_options *opt, char **item_id,
                             char **change_key)
{
	if (item_id)
		*item_id = NULL;
	if (change_key)
		*change_key = NULL;
	if (!c || !src)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_create_item_from_mime: NULL %s", c ? "MIME" : "client");
	if (opt && opt->folder && !*opt->folder)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_create_item_from_mime: an empty folder name");
	return ews_status_ok();
}

ews_status ews_create_item_from_mime(ews_client *c, const void *mime, size_t len, const ews_mime_create_options *opt,
                                     char **item_id, char **change_key)
{
	size_t max = opt && opt->max_bytes ? opt->max_bytes : DEFAULT_MAX;
	ews_status st = check_args(c, mime, opt, item_id, change_key);
	if (!ews_ok(st))
		return st;
	if (len == 0)
		return ews_status_make(EWS_ERR_FORMAT, "the MIME content is empty: no message");
	if (len > max)
		return ews_status_make(EWS_ERR_TOO_LARGE, "the MIME content is %zu bytes, more than %zu", len, max);
	char *b64 = malloc(encoded_size(len) + 1);
	if (!b64)
		return nomem();
	b64[encode(mime, len, b64)] = '\0';
	st = create(c, b64, opt, item_id, change_key);
	free(b64);
	return st;
}

ews_status ews_create_item_from_mime_file(ews_client *c, const char *path, const ews_mime_create_options *opt,
                                          char **item_id, char **change_key)
{
	size_t max = opt && opt->max_bytes ? opt->max_bytes : DEFAULT_MAX;
	ews_status st = check_args(c, path, opt, item_id, change_key);
	struct stat sb;
	if (!ews_ok(st))
		return st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ews_status_make(errno == ENOENT ? EWS_ERR_NOT_FOUND : EWS_ERR_FILE, "%.200s: %s", path, strerror(errno));
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		close(fd);
		return ews_status_make(EWS_ERR_FILE, "%.200s: not a regular file", path);
	}
	if (sb.st_size == 0) {
		close(fd);
		return ews_status_make(EWS_ERR_FORMAT, "%.200s is empty: no message", path);
	}
	if ((unsigned long long)sb.st_size > max) {
		close(fd);
		return ews_status_make(EWS_ERR_TOO_LARGE, "%.200s is %lld bytes, more than %zu", path,
		                       (long long)sb.st_size, max);
	}
	size_t size = (size_t)sb.st_size, done = 0, o = 0;
	unsigned char *chunk = malloc(CHUNK);
	char *b64 = malloc(encoded_size(size) + 1);
	if (!chunk || !b64) {
		free(chunk), free(b64), close(fd);
		return nomem();
	}
	/* whole chunks (multiples of 3) go straight into the text; the file must not grow or shrink meanwhile */
	while (ews_ok(st) && done < size) {
		size_t want = size - done < CHUNK ? size - done : CHUNK, got = 0;
		while (got < want) {
			ssize_t r = read(fd, chunk + got, want - got);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				st = ews_status_make(EWS_ERR_FILE, "%.200s: %s", path,
				                     r < 0 ? strerror(errno) : "the file became shorter while read");
				break;
			}
			got += (size_t)r;
		}
		if (ews_ok(st)) {
			o += encode(chunk, want, b64 + o);
			done += want;
		}
	}
	free(chunk);
	close(fd);
	if (ews_ok(st)) {
		b64[o] = '\0';
		st = create(c, b64, opt, item_id, change_key);
	}
	free(b64);
	return st;
}
