/* The raw SQLite connection behind a struct db: only for the store itself
 * (backups) and for tests that look underneath. The rest of the program goes
 * through store.h. */
#ifndef BIZSOS_STORE_RAW_H
#define BIZSOS_STORE_RAW_H

#include "bizsos/store.h"

sqlite3 *db_handle(struct db *db);

#endif
