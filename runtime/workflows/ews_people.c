/* ews_people.c — ResolveNames and ExpandDL as plain C views (ews/people.h): the answer is copied out of the
 * client's arena into malloc'd structs the caller owns, so nothing borrowed outlives the call. */
#include <stdlib.h>
#include <string.h>

#include "ews/people.h"
#include "ews/response.h"
#include "ews_operations.h"
#include "ews_schema.h"
#include "ews_schema_members.h"
#include "ews_workflow.h"

static void mailbox_free(ews_mailbox_view *m)
{
	free(m->name);
	free(m->email);
	free(m->routing_type);
	free(m->mailbox_type);
	free(m->item_id);
	free(m->change_key);
}

void ews_resolutions_free(ews_resolutions *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		ews_resolution *v = &r->v[i];
		mailbox_free(&v->mailbox);
		free(v->display_name);
		free(v->given_name);
		free(v->surname);
		free(v->company_name);
		free(v->contact_source);
		for (size_t k = 0; k < v->n_emails; k++) {
			free(v->emails[k]);
			free(v->email_keys[k]);
		}
		free(v->emails);
		free(v->email_keys);
	}
	free(r->v);
	free(r);
}

void ews_dl_expansion_free(ews_dl_expansion *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->n; i++)
		mailbox_free(&x->members[i]);
	free(x->members);
	free(x);
}

#if !defined(EWS_HAVE_OP_RESOLVE_NAMES) || !defined(EWS_HAVE_OP_EXPAND_DL)
ews_status ews_names_resolve(ews_client *c, const char *name, const ews_resolve_options *opt, ews_resolutions **out)
{
	(void)c, (void)name, (void)opt;
	if (out)
		*out = NULL;
	return ews_status_make(EWS_ERR_UNSUPPORTED, "ResolveNames is not an operation of the schema %s", EWS_SCHEMA_NAME);
}

ews_status ews_dl_expand(ews_client *c, const char *address, const char *item_id, ews_dl_expansion **out)
{
	(void)c, (void)address, (void)item_id;
	if (out)
		*out = NULL;
	return ews_status_make(EWS_ERR_UNSUPPORTED, "ExpandDL is not an operation of the schema %s", EWS_SCHEMA_NAME);
}
#else

/* strdup that accepts NULL; *ok cleared when an allocation fails. */
static char *copy_str(const char *s, int *ok)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		*ok = 0;
	return d;
}

static void mailbox_view(struct soap *a, const struct ewstype__EmailAddressType *m, ews_mailbox_view *v, int *ok)
{
	if (!m)
		return;
	v->name = copy_str(m->Name, ok);
	v->email = copy_str(m->EmailAddress, ok);
	v->routing_type = copy_str(m->RoutingType, ok);
	if (m->MailboxType)
		v->mailbox_type = copy_str(soap_ewstype__MailboxTypeType2s(a, *m->MailboxType), ok);
	if (m->ItemId) {
		v->item_id = copy_str(m->ItemId->Id, ok);
		v->change_key = copy_str(m->ItemId->ChangeKey, ok);
	}
}

static void contact_view(struct soap *a, const struct ewstype__ContactItemType *ct, ews_resolution *v, int *ok)
{
	if (!ct)
		return;
	v->has_contact = 1;
	v->display_name = copy_str(ct->DisplayName, ok);
	v->given_name = copy_str(ct->GivenName, ok);
	v->surname = copy_str(ct->Surname, ok);
	v->company_name = copy_str(ct->CompanyName, ok);
	if (ct->ContactSource)
		v->contact_source = copy_str(soap_ewstype__ContactSourceType2s(a, *ct->ContactSource), ok);
	int n = ct->EmailAddresses ? ct->EmailAddresses->__sizeEntry : 0;
	if (n <= 0)
		return;
	v->emails = calloc((size_t)n, sizeof *v->emails);
	v->email_keys = calloc((size_t)n, sizeof *v->email_keys);
	if (!v->emails || !v->email_keys) {
		*ok = 0;
		return;
	}
	v->n_emails = (size_t)n;
	for (int k = 0; k < n; k++) {
		const struct ewstype__EmailAddressDictionaryEntryType *e = &ct->EmailAddresses->Entry[k];
		v->emails[k] = copy_str(e->__item ? e->__item : "", ok);
		v->email_keys[k] = copy_str(soap_ewstype__EmailAddressKeyType2s(a, e->Key), ok);
	}
}

/* The first response message of a one-message answer, with the status it carries. */
static ews_status first_message(ews_status st, const struct ewsmsg__ArrayOfResponseMessagesType *msgs,
				ews_response_message *m, const char *op)
{
	if (!ews_ok(st) && st.code != EWS_ERR_RESPONSE)
		return st;
	if (ews_response_messages_count(msgs) != 1 || ews_response_messages_get(msgs, 0, m) || !m->message)
		return ews_status_make(EWS_ERR_XML, "%s: %d response messages, expected 1", op,
				       ews_response_messages_count(msgs));
	return ews_wf_message_status(msgs, 0);
}

static const char *const scope_names[] = { "ActiveDirectoryContacts", "ActiveDirectory", "Contacts",
					    "ContactsActiveDirectory" };

ews_status ews_names_resolve(ews_client *c, const char *name, const ews_resolve_options *opt, ews_resolutions **out)
{
	static const ews_resolve_options defaults;
	if (out)
		*out = NULL;
	if (!opt)
		opt = &defaults;
	if (!c || !name || !*name || !out || (unsigned)opt->scope > EWS_RESOLVE_CONTACTS_DIRECTORY)
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_names_resolve: NULL or empty argument, or an unknown scope");
	struct soap *a = ews_wf_soap_new();
	if (!a)
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	ews_status st = ews_status_ok();
	struct ewsmsg__ResolveNamesType *req = soap_new_ewsmsg__ResolveNamesType(a, -1);
	if (!req || !(req->UnresolvedEntry = soap_strdup(a, name)))
		st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
	if (ews_ok(st)) {
		req->ReturnFullContactData = opt->no_full_contact_data ? xsd__boolean__false_ : xsd__boolean__true_;
		if (!EWS_WF_ENUM_FROM_NAME(a, ewstype__ResolveNamesSearchScopeType, scope_names[opt->scope],
					   &req->SearchScope))
			st = ews_status_make(EWS_ERR_INTERNAL, "ResolveNamesSearchScopeType lacks %s", scope_names[opt->scope]);
	}
	if (ews_ok(st) && opt->contact_shape) {
#ifndef EWS_HAS_ewsmsg__ResolveNamesType_ContactDataShape   /* Exchange 2010 SP2 */
		st = ews_status_make(EWS_ERR_UNSUPPORTED, "ews_names_resolve: these bindings (%s) have no ContactDataShape "
				     "(it came with Exchange 2010 SP2)", EWS_SCHEMA_NAME);
#else
		req->ContactDataShape = soap_malloc(a, sizeof *req->ContactDataShape);
		if (!req->ContactDataShape ||
		    !EWS_WF_ENUM_FROM_NAME(a, ewstype__DefaultShapeNamesType, opt->contact_shape, req->ContactDataShape))
			st = ews_status_make(EWS_ERR_ARGUMENT, "ews_names_resolve: unknown contact shape \"%s\"",
					     opt->contact_shape);
#endif
	}
	if (ews_ok(st) && opt->contacts_folder)
		st = ews_wf_folder_ids(a, opt->contacts_folder, NULL, &req->ParentFolderIds);
	if (!ews_ok(st)) {
		ews_wf_soap_free(a);
		return st;
	}
	struct __ewsmsg__ResolveNamesResponse resp = { 0 };
	st = ews_resolve_names(c, req, &resp);
	ews_response_message m;
	st = first_message(st, resp.ewsmsg__ResolveNamesResponse ? resp.ewsmsg__ResolveNamesResponse->ResponseMessages
								 : NULL, &m, "ResolveNames");
	if (ews_ok(st)) {
		const struct ewsmsg__ResolveNamesResponseMessageType *rm = m.message;
		const struct ewstype__ArrayOfResolutionType *set = rm->ResolutionSet;
		ews_resolutions *r = calloc(1, sizeof *r);
		int ok = r != NULL, n = set ? set->__sizeResolution : 0;
		if (ok && n > 0) {
			r->v = calloc((size_t)n, sizeof *r->v);
			ok = r->v != NULL;
		}
		if (ok) {
			r->n = (size_t)(n > 0 ? n : 0);
			r->ambiguous = m.response_code && !strcmp(m.response_code, "ErrorNameResolutionMultipleResults");
			r->total = set && set->TotalItemsInView ? *set->TotalItemsInView : -1;
			r->includes_last = !set || !set->IncludesLastItemInRange ||
					   *set->IncludesLastItemInRange == xsd__boolean__true_;
			for (int i = 0; i < n; i++) {
				mailbox_view(a, set->Resolution[i].Mailbox, &r->v[i].mailbox, &ok);
				contact_view(a, set->Resolution[i].Contact, &r->v[i], &ok);
			}
		}
		if (ok)
			*out = r;
		else {
			ews_resolutions_free(r);
			st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
		}
	}
	ews_client_release(c);
	ews_wf_soap_free(a);
	return st;
}

ews_status ews_dl_expand(ews_client *c, const char *address, const char *item_id, ews_dl_expansion **out)
{
	if (out)
		*out = NULL;
	if (!c || !out || (!(address && *address) && !(item_id && *item_id)))
		return ews_status_make(EWS_ERR_ARGUMENT, "ews_dl_expand: NULL argument, or neither an address nor an item id");
	struct soap *a = ews_wf_soap_new();
	if (!a)
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	struct ewsmsg__ExpandDLType *req = soap_new_ewsmsg__ExpandDLType(a, -1);
	int built = req && (req->Mailbox = soap_new_ewstype__EmailAddressType(a, -1));
	if (built && item_id && *item_id)
		built = (req->Mailbox->ItemId = soap_new_ewstype__ItemIdType(a, -1)) &&
			(req->Mailbox->ItemId->Id = soap_strdup(a, item_id));
	else if (built)
		built = (req->Mailbox->EmailAddress = soap_strdup(a, address)) != NULL;
	if (!built) {
		ews_wf_soap_free(a);
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	}
	struct __ewsmsg__ExpandDLResponse resp = { 0 };
	ews_status st = ews_expand_dl(c, req, &resp);
	ews_response_message m;
	st = first_message(st, resp.ewsmsg__ExpandDLResponse ? resp.ewsmsg__ExpandDLResponse->ResponseMessages : NULL,
			   &m, "ExpandDL");
	if (ews_ok(st)) {
		const struct ewstype__ArrayOfDLExpansionType *set =
			((const struct ewsmsg__ExpandDLResponseMessageType *)m.message)->DLExpansion;
		ews_dl_expansion *x = calloc(1, sizeof *x);
		int ok = x != NULL, n = set ? set->__sizeMailbox : 0;
		if (ok && n > 0) {
			x->members = calloc((size_t)n, sizeof *x->members);
			ok = x->members != NULL;
		}
		if (ok) {
			x->n = (size_t)(n > 0 ? n : 0);
			x->total = set && set->TotalItemsInView ? *set->TotalItemsInView : -1;
			x->includes_last = !set || !set->IncludesLastItemInRange ||
					   *set->IncludesLastItemInRange == xsd__boolean__true_;
			for (int i = 0; i < n; i++)
				mailbox_view(a, &set->Mailbox[i], &x->members[i], &ok);
		}
		if (ok)
			*out = x;
		else {
			ews_dl_expansion_free(x);
			st = ews_status_make(EWS_ERR_NOMEM, "out of memory");
		}
	}
	ews_client_release(c);
	ews_wf_soap_free(a);
	return st;
}
#endif
