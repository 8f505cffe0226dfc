/* The migration runner: forward-only migrations, each in its own transaction,
 * recorded in PRAGMA user_version (see store.h). */
#include "db_internal.h"
#include "bizsos/store_raw.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* A migration whose first line is this marker rebuilds tables (create new, copy,
 * drop, rename): it runs with foreign_keys off, as SQLite's table-rebuild
 * procedure asks (the pragma is a no-op inside a transaction, so it is set
 * before BEGIN), and commits only if PRAGMA foreign_key_check finds nothing. */
static const char MIGRATION_FK_OFF[] = "-- bizsos: foreign_keys off\n";

/* Any row from PRAGMA foreign_key_check: a broken reference. */
static int fk_violation_cb(void *found, int n, char **vals, char **cols)
{
	(void)n;
	(void)vals;
	(void)cols;
	*(bool *)found = true;
	return 1; /* one is enough */
}

/* Applies one migration inside its own transaction; re-checks user_version under
 * the write lock so that two processes migrating at once apply it only once. */
static bz_rc apply_one(struct db *db, const struct migration *m, char *err, size_t errlen)
{
	char *msg = NULL;
	char pragma[64];
	bz_rc rc = BZ_ERR_DB;
	bool fk_off = strncmp(m->sql, MIGRATION_FK_OFF, sizeof(MIGRATION_FK_OFF) - 1) == 0;

	if (fk_off &&
	    sqlite3_exec(db->h, "PRAGMA foreign_keys = OFF", NULL, NULL, &msg) != SQLITE_OK) {
		db_set_err(err, errlen, "migration %s: cannot turn foreign keys off: %s", m->name,
		           msg ? msg : sqlite3_errmsg(db->h));
		goto out;
	}
	if (sqlite3_exec(db->h, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK) {
		db_set_err(err, errlen, "migration %s: cannot begin: %s", m->name,
		           msg ? msg : sqlite3_errmsg(db->h));
		goto err;
	}
	int version = db_read_user_version(db->h);
	if (version < 0) {
		db_set_err(err, errlen, "migration %s: cannot read user_version: %s", m->name,
		           sqlite3_errmsg(db->h));
		goto err;
	}
	if (version >= m->version) {
		rc = BZ_OK;
		goto err; /* applied by someone else meanwhile: nothing to commit */
	}
	if (sqlite3_exec(db->h, m->sql, NULL, NULL, &msg) != SQLITE_OK) {
		db_set_err(err, errlen, "migration %s failed: %s", m->name,
		           msg ? msg : sqlite3_errmsg(db->h));
		goto err;
	}
	if (fk_off) {
		bool broken = false;
		int frc =
		    sqlite3_exec(db->h, "PRAGMA foreign_key_check", fk_violation_cb, &broken, &msg);
		if (broken || (frc != SQLITE_OK && frc != SQLITE_ABORT)) {
			db_set_err(err, errlen, "migration %s: foreign_key_check: %s", m->name,
			           broken ? "a row points at nothing" : sqlite3_errmsg(db->h));
			goto err;
		}
	}
	/* PRAGMA takes no parameters; the version is a compiled-in integer. */
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", m->version);
	if (sqlite3_exec(db->h, pragma, NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(db->h, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
		db_set_err(err, errlen, "migration %s: cannot commit: %s", m->name,
		           msg ? msg : sqlite3_errmsg(db->h));
		goto err;
	}
	LOG_INFO("applied migration %s", m->name);
	rc = BZ_OK;
	goto out;
err:
	db_rollback(db);
out:
	sqlite3_free(msg);
	if (fk_off &&
	    sqlite3_exec(db->h, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK) {
		db_set_err(err, errlen, "migration %s: cannot turn foreign keys back on: %s",
		           m->name, sqlite3_errmsg(db->h));
		rc = BZ_ERR_DB;
	}
	return rc;
}

bz_rc db_apply_migrations(struct db *db, const struct migration *list, size_t count, char *err,
                          size_t errlen)
{
	int latest = count ? list[count - 1].version : 0;
	int version = db_read_user_version(db->h);
	if (version < 0) {
		db_set_err(err, errlen, "cannot read user_version: %s", sqlite3_errmsg(db->h));
		return BZ_ERR_DB;
	}
	if (version > latest) {
		db_set_err(
		    err, errlen,
		    "database schema version %d is newer than this bizsos (%d); upgrade bizsos",
		    version, latest);
		return BZ_ERR_SCHEMA;
	}
	for (size_t i = 0; i < count; i++) {
		if (list[i].version <= 0 || (i > 0 && list[i].version <= list[i - 1].version)) {
			db_set_err(err, errlen, "migration %s: versions must increase",
			           list[i].name);
			return BZ_ERR_SCHEMA;
		}
	}
	for (size_t i = 0; i < count; i++) {
		if (list[i].version <= version)
			continue;
		bz_rc rc = apply_one(db, &list[i], err, errlen);
		if (rc != BZ_OK)
			return rc;
	}
	return BZ_OK;
}

bz_rc db_migrate(struct db *db, char *err, size_t errlen)
{
	return db_apply_migrations(db, db_migrations, db_migration_count, err, errlen);
}
