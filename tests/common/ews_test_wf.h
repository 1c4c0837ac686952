/* ews_test_wf.h — fixtures for the workflow suites (pager, sync, export, convert): a libews client on a spawned
 * ewsd, and folders/items created, changed and deleted through the typed runtime calls. */
#ifndef EWS_TEST_WF_H
#define EWS_TEST_WF_H

#include "ews/ews.h"
#include "ewsd_harness.h"

/* Start ewsd (fresh data dir, or `seed_items` > 0: a dir seeded with that many items for `seed_mailbox`).
 * Returns 0 on success; the process is in *srv. */
int wf_start(struct ewsd_proc *srv, const char *seed_mailbox, int seed_items);

/* A client on srv for `mailbox` (ewsd runs open: the Basic user name is the mailbox). NULL on failure. */
ews_client *wf_client(const struct ewsd_proc *srv, const char *mailbox);

/* CreateFolder `name` under a distinguished folder; *id: malloc'd FolderId. */
ews_status wf_create_folder(ews_client *c, const char *parent, const char *name, char **id);

/* CreateItem n messages "<prefix> <first+i>" into folder_id, received 2024-01-01 at minute (newest_minute - i)
 * (minute may run past 59: hours follow). ids (may be NULL): array of n malloc'd ids, freed with wf_free_ids. */
ews_status wf_create_messages(ews_client *c, const char *folder_id, const char *prefix, int first, int n,
                              int newest_minute, char ***ids);
void wf_free_ids(char **ids, int n);

/* UpdateItem: set the Subject / IsRead of one item (AutoResolve). */
ews_status wf_set_subject(ews_client *c, const char *id, const char *subject);
ews_status wf_set_read(ews_client *c, const char *id, int is_read);
/* DeleteItem (HardDelete). */
ews_status wf_delete_item(ews_client *c, const char *id);
/* DeleteFolder (HardDelete). */
ews_status wf_delete_folder(ews_client *c, const char *id);
/* The current change key of an item (GetItem IdOnly); malloc'd. */
ews_status wf_change_key(ews_client *c, const char *id, char **ck);

/* A fresh temporary directory (mkdtemp); static buffer per call slot (0..3). */
const char *wf_tmpdir(int slot);
/* rm -rf of a wf_tmpdir. */
void wf_rmdir(const char *dir);

#endif
