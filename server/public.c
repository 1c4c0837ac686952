/* public.c — public folders: one public-folder mailbox per domain (an organisation), holding the tree under
 * publicfoldersroot ("IPM_SUBTREE", as Exchange names it) that every user of the domain reaches.
 *
 * Exchange 2013+ keeps public folders in public-folder mailboxes and wants requests routed to them (MS-OXWSPF,
 * "How to: Route public folder hierarchy/content requests"): GetUserSettings PublicFolderInformation names the
 * hierarchy mailbox; hierarchy requests carry X-AnchorMailbox and X-PublicFolderMailbox set to it, content
 * requests the content mailbox (its GUID at the domain, from the folder's PR_REPLICA_LIST). ewsd has one mailbox
 * for both: PublicFolders@DOMAIN, also reachable as GUID@DOMAIN. A request without X-PublicFolderMailbox is
 * served (on-premises Exchange proxies it itself); one whose X-PublicFolderMailbox names another mailbox is
 * answered ErrorPublicFolderMailboxDiscoveryFailed, as a misrouted request fails in Exchange Online. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ewsd.h"

static const char *domain_of(const char *smtp)
{
	const char *at = smtp ? strrchr(smtp, '@') : NULL;
	return at && at[1] ? at + 1 : "example.com";
}

void ewsd_public_mailbox_smtp(const char *user, char *out, size_t n)
{
	snprintf(out, n, "PublicFolders@%s", domain_of(user));
}

int ewsd_public_mailbox(sqlite3 *db, const char *user, int create, struct ewsd_mailbox *out)
{
	char smtp[300];
	int rc;
	ewsd_public_mailbox_smtp(user, smtp, sizeof smtp);
	if ((rc = ewsd_mailbox_by_smtp(db, smtp, out)) <= 0 || !create)
		return rc;
	if (ewsd_begin(db))
		return -1;
	if (ewsd_mailbox_by_smtp(db, smtp, out) == 0) {        /* made meanwhile by another connection */
		ewsd_rollback(db);
		return 0;
	}
	if (ewsd_mailbox_insert(db, smtp, out) || ewsd_folder_create(db, out->id, 0, "IPM_SUBTREE", NULL,
								      "publicfoldersroot") < 0 ||
	    ewsd_commit(db)) {
		ewsd_rollback(db);
		return -1;
	}
	return 0;
}

/* NULL when the request may reach the public-folder mailbox pf: no X-PublicFolderMailbox, or one naming pf
 * (its address or GUID@domain, any case). */
static const char *route_error(struct ewsd_request *rq, const struct ewsd_mailbox *pf)
{
	const char *h = rq->public_folder_mailbox;
	size_t g = strlen(pf->guid);
	if (!*h || !strcasecmp(h, pf->smtp) || (!strncasecmp(h, pf->guid, g) && h[g] == '@'))
		return NULL;
	return "ErrorPublicFolderMailboxDiscoveryFailed";
}

const char *ewsd_public_root(struct soap *soap, struct ewsd_folder *out)
{
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewsd_mailbox pf;
	const char *err;
	if (ewsd_public_mailbox(rq->db, rq->mailbox_smtp, 1, &pf))
		return "ErrorFolderNotFound";
	if ((err = route_error(rq, &pf)))
		return err;
	return ewsd_folder_distinguished(soap, rq->db, pf.id, "publicfoldersroot", out) ? "ErrorFolderNotFound" : NULL;
}

int ewsd_public_reach(struct soap *soap, const char *guid, int64_t *mailbox_id, const char **err)
{
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewsd_mailbox pf;
	if (ewsd_public_mailbox(rq->db, rq->mailbox_smtp, 0, &pf) || strcmp(pf.guid, guid))
		return 0;
	*mailbox_id = pf.id;
	*err = route_error(rq, &pf);
	return 1;
}
