/* Read models for administration: the user list and the audit log. */
#ifndef BIZSOS_DIRECTORY_H
#define BIZSOS_DIRECTORY_H

#include "bizsos/store.h"
#include <jansson.h>

/* All users, ordered by login: [{id, login, name, role, role_label, department,
 * disabled, locked}]. *out is owned by the caller. */
bz_rc directory_users(struct db *db, json_t **out);
/* Audit entries, newest first, `limit` from `offset`: [{at, actor, action,
 * object, detail}]; *total gets the count of all entries. */
bz_rc directory_audit(struct db *db, int limit, int offset, json_t **out, int64_t *total);

#endif
