/* ews/people.h — people and distribution lists: ResolveNames (a name or address to the mailboxes and contacts it
 * may mean) and ExpandDL (the members of a distribution list), as plain C views.
 *
 *   ews_resolutions *r;
 *   st = ews_names_resolve(c, "sadie", NULL, &r);        // defaults: directory then Contacts, full contact data
 *   for (size_t i = 0; ews_ok(st) && i < r->n; i++)
 *       printf("%s <%s>\n", r->v[i].mailbox.name, r->v[i].mailbox.email);
 *   if (ews_ok(st) && r->ambiguous) ...                   // several candidates (Exchange's warning)
 *   ews_resolutions_free(r);
 *
 *   ews_dl_expansion *x;
 *   st = ews_dl_expand(c, "team@example.com", NULL, &x); // or (c, NULL, item_id_of_a_private_list, &x)
 *   ews_dl_expansion_free(x);
 *
 * The names differ from the generated typed stubs ews_resolve_names / ews_expand_dl (ews_operations.h), which
 * these helpers call.
 */
#ifndef EWS_PEOPLE_H
#define EWS_PEOPLE_H

#include <stddef.h>

#include "ews/client.h"
#include "ews/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where ResolveNames looks, in order (ResolveNamesSearchScopeType). */
typedef enum ews_resolve_scope {
	EWS_RESOLVE_DIRECTORY_CONTACTS = 0,  /* the directory, then the contacts folder (Exchange's default) */
	EWS_RESOLVE_DIRECTORY = 1,           /* the directory only                                           */
	EWS_RESOLVE_CONTACTS = 2,            /* the contacts folder only                                     */
	EWS_RESOLVE_CONTACTS_DIRECTORY = 3   /* the contacts folder, then the directory                      */
} ews_resolve_scope;

/* Options; NULL means all defaults (the zero value). Strings borrowed for the call. */
typedef struct ews_resolve_options {
	ews_resolve_scope scope;
	int no_full_contact_data;            /* 1: ReturnFullContactData="false" (no Contact part)             */
	const char *contacts_folder;         /* folder id or distinguished name; NULL: the server's default     */
	const char *contact_shape;           /* ContactDataShape "IdOnly", "Default", "AllProperties"; NULL: none */
} ews_resolve_options;

/* An address as EWS gives it (t:Mailbox of EmailAddressType). Every string may be NULL. */
typedef struct ews_mailbox_view {
	char *name;
	char *email;
	char *routing_type;                  /* "SMTP", "MAPIPDL" (a private list) ...                          */
	char *mailbox_type;                  /* "Mailbox", "PublicDL", "PrivateDL", "Contact", "OneOff" ...     */
	char *item_id, *change_key;          /* a stored contact's or private list's ItemId                    */
} ews_mailbox_view;

/* One candidate. */
typedef struct ews_resolution {
	ews_mailbox_view mailbox;
	int has_contact;                     /* 1 when the server sent the Contact part                         */
	char *display_name, *given_name, *surname, *company_name;
	char *contact_source;                /* "ActiveDirectory" or "Store"; NULL when absent                  */
	size_t n_emails;
	char **emails;                       /* the contact's EmailAddresses entries as sent ("SMTP:a@b.c")    */
	char **email_keys;                   /* their keys ("EmailAddress1" ...), parallel to emails            */
} ews_resolution;

/* The answer of one ResolveNames. Owned by the caller: ews_resolutions_free. */
typedef struct ews_resolutions {
	int ambiguous;                       /* 1: several candidates (ErrorNameResolutionMultipleResults)      */
	int total;                           /* TotalItemsInView (-1 when absent)                              */
	int includes_last;                   /* IncludesLastItemInRange (1 when absent)                        */
	size_t n;
	ews_resolution *v;
} ews_resolutions;

/* ResolveNames for `name` (a name, an address, or "SMTP:address" for that address only). EWS_OK with *out holding
 * one candidate, or several with out->ambiguous set (Exchange answers those with a warning, not an error). No
 * match: EWS_ERR_RESPONSE, response_code "ErrorNameResolutionNoResults", *out NULL. Other server refusals
 * (ErrorResolveNamesInvalidFolderType ...) likewise; EWS_ERR_ARGUMENT for NULL or empty arguments;
 * EWS_ERR_UNSUPPORTED when the bindings' schema lacks ResolveNames. *out: free with ews_resolutions_free. */
ews_status ews_names_resolve(ews_client *c, const char *name, const ews_resolve_options *opt, ews_resolutions **out);
void ews_resolutions_free(ews_resolutions *r);   /* accepts NULL */

/* The members of one distribution list. Owned by the caller: ews_dl_expansion_free. */
typedef struct ews_dl_expansion {
	int total;                           /* TotalItemsInView (-1 when absent)                              */
	int includes_last;                   /* IncludesLastItemInRange (1 when absent)                        */
	size_t n;
	ews_mailbox_view *members;           /* nested lists are members too (mailbox_type "PublicDL"/"PrivateDL") */
} ews_dl_expansion;

/* ExpandDL of the list at `address` (a directory group, or what the server resolves the text to), or of the
 * private list with ItemId `item_id` (then address is ignored; one of them is required). An unknown list:
 * EWS_ERR_RESPONSE "ErrorNameResolutionNoResults"; an item that is no list "ErrorInvalidItemForOperationExpandDL";
 * *out NULL on error. *out: free with ews_dl_expansion_free. */
ews_status ews_dl_expand(ews_client *c, const char *address, const char *item_id, ews_dl_expansion **out);
void ews_dl_expansion_free(ews_dl_expansion *x);   /* accepts NULL */

#ifdef __cplusplus
}
#endif
#endif
