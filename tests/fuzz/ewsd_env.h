/* ewsd_env.h — an ewsd store for the server harnesses without a database file per input: a mailbox seeded once
 * in a temporary directory (removed again), copied into memory; every input runs on the in-memory copy, which
 * is put back to the seeded state only after an input that wrote to it. */
#ifndef EWS_FUZZ_EWSD_ENV_H
#define EWS_FUZZ_EWSD_ENV_H

#include <sqlite3.h>

#define FUZZ_MAILBOX "fuzz@example.com"

/* The in-memory store, seeded with FUZZ_MAILBOX and a few items of each kind. Aborts when it cannot be made. */
sqlite3 *fuzz_ewsd_store(void);
/* Put the store back to the seeded state if anything was written since the last call. */
void fuzz_ewsd_store_reset(sqlite3 *db);

#endif
