/* Private to src/store: the connection's layout and the small pieces db.c
 * shares with the other store files (migrate.c, backup.c). Nothing outside
 * src/store includes this; the rest of the program sees struct db only as an
 * opaque pointer (bizsos/store.h). */
#ifndef BIZSOS_STORE_DB_INTERNAL_H
#define BIZSOS_STORE_DB_INTERNAL_H

#include "bizsos/store.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct stmt_slot {
	const char *sql; /* key: the caller's static string; NULL when free */
	sqlite3_stmt *st;
};

/* Statements whose text is built at run time (list filters, searches): kept by
 * their text, the least recently used dropped beyond SHAPES_MAX. */
#define SHAPES_MAX 48
struct shape {
	char *sql; /* owned; NULL when free */
	uint64_t hash;
	uint64_t used;
	sqlite3_stmt *st;
};

struct db {
	sqlite3 *h;
	struct shape shapes[SHAPES_MAX];
	uint64_t shape_tick;
	int depth; /* open db_begin levels: 1 is the transaction, more are savepoints */
	struct stmt_slot *slots; /* open addressing, linear probing; cap is a power of 2 */
	size_t cap;
	size_t count;
	int64_t data_version; /* PRAGMA data_version when db_generation last looked */
	bool group_commit;    /* WAL with synchronous=NORMAL: commits wait for group_sync */
	bool quiet;           /* its commits do not move the data generation (the watcher) */
};

/* Writes the formatted message into err (if there is room at all). */
void db_set_err(char *err, size_t errlen, const char *fmt, ...) BZ_PRINTF(3, 4);

/* db_execf with the arguments in ap (stmt.c). */
bz_rc db_vexecf(struct db *db, const char *sql, const char *fmt, va_list ap);

/* Reads PRAGMA user_version; -1 on error. Reads only the header: no write. */
int db_read_user_version(sqlite3 *h);

#endif
