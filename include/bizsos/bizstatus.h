/* A company's business status as the tax office's service (국세청 사업자등록
 * 상태조회) last said it: stored per company with the time it was checked.
 * Triggers (sql/030) ask for a check on every new or changed company; the
 * worker (src/jobs/nts.c) asks the service and stores the answer here. A
 * lookup never blocks or fails a save: until an answer arrives the status is
 * "확인 불가". */
#ifndef BIZSOS_BIZSTATUS_H
#define BIZSOS_BIZSTATUS_H

#include "bizsos/store.h"
#include <jansson.h>

#define BIZSTATUS_BATCH 100 /* the service takes at most 100 numbers a call */

/* The Korean label of a status code: "01" 계속사업자, "02" 휴업자, "03"
 * 폐업자, "" 미등록(국세청에 없는 번호), NULL 확인 불가. */
const char *bizstatus_label(const char *code);
/* 휴업 or 폐업: flagged in lists and forms. */
bool bizstatus_flagged(const char *code);

struct bizstatus_item {
	int64_t company_id;
	char brn[11];
	int tries;
};
/* Up to max companies waiting for a check, due at now_ms. */
bz_rc bizstatus_due(struct db *db, int64_t now_ms, struct bizstatus_item *out, size_t max,
                    size_t *n);
/* Stores an answer: code ("01".."03", "" for unregistered), the service's
 * label, tax type and closing date (may be NULL); the check is done. */
bz_rc bizstatus_store(struct db *db, int64_t company_id, const char *code, const char *status,
                      const char *tax_type, const char *end_dt);
/* A failed try: remembered with err; retried at next_ms until max_tries, then
 * left for the nightly batch (status unchanged: 확인 불가 if never answered). */
bz_rc bizstatus_fail(struct db *db, int64_t company_id, const char *err, int max_tries,
                     int64_t next_ms);
/* The nightly batch of KST day `today`: asks for a check of every company not
 * retired, once a day (job_run "nts"). *ran says whether it did. */
bz_rc bizstatus_mark_all(struct db *db, const char *today, bool *ran);
/* {code, label, flagged, unknown, checked_at, checked_kst, error} of one
 * company (unknown: never answered, shown as 확인 불가). */
bz_rc bizstatus_get(struct db *db, int64_t company_id, json_t **out);
/* Sets row.biz_status = bizstatus_get(company_id). */
bz_rc bizstatus_decorate(struct db *db, json_t *row, int64_t company_id);
/* bizstatus_decorate on every object of the array that has an integer "id". */
bz_rc bizstatus_decorate_rows(struct db *db, json_t *rows);

#endif
