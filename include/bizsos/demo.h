/* The demo data set (`bizsos demo`): a realistic, deterministic database of
 * individual records — companies with valid BRNs and founding dates,
 * activities (visits, meetings, letters, education), improvement grants,
 * communication entries, SOS cases from 2023 to mid-2026 around the yearly
 * targets, budget lines and execution entries — whose counted totals
 * reproduce every figure of shared/seed/card-figures.json on the card as of
 * 2024 Q3 (with scale 1). No total is stored as a number. */
#ifndef BIZSOS_DEMO_H
#define BIZSOS_DEMO_H

#include "bizsos/store.h"

#define DEMO_SEED      UINT64_C(0x5EED2024C0FFEE)
#define DEMO_SCALE_MAX 1000

struct demo_stats {
	int64_t companies, activities, letters, cases, grants, comm_entries, budget_lines,
	    executions;
};

/* Fills the database (already migrated, with the demo users staff, leader and
 * executive present) in one transaction with prepared statements. scale
 * (1..DEMO_SCALE_MAX) multiplies every volume with the same shape. Field
 * visits fall on working days (the holiday table). BZ_ERR_NOTFOUND if a demo
 * user is missing; on any failure nothing is written. */
bz_rc demo_generate(struct db *db, int scale, struct demo_stats *stats);

/* A few small photos drawn in C (PNG, no library), stored under data_dir like
 * uploads and attached to field activities (three by 2024-09-30, three up to
 * today, YYYY-MM-DD), so the card's photo strip is not empty; *stored says
 * how many. Run after demo_generate (the leader account must exist). */
bz_rc demo_photos(struct db *db, const char *data_dir, const char *today, int64_t *stored);

#endif
