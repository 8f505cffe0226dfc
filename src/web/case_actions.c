/* The writes on a case page: status, triage, assignment, referrals and their
 * answers, extension, result notice, notes and merging. Each answers through
 * cases_write_outcome (cases.c). */
#include "bizsos/app.h"
#include "bizsos/result_notice.h"
#include "bizsos/sos_case.h"
#include "web_cases.h"
#include "cases_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void web_case_status(struct request *rq, struct response *rs)
{
	int64_t id, version;
	json_t *fields;
	const char *to = rq_form(rq, "to");
	const char *form = to && strcmp(to, "done") == 0          ? "complete"
	                   : to && strcmp(to, "transferred") == 0 ? "transfer"
	                   : to && strcmp(to, "withdrawn") == 0   ? "withdraw"
	                                                          : "status";
	if (!cases_write_start(rq, rs, form, &id, &version, &fields))
		return;
	struct case_status_input in = {
	    .to = to,
	    .reason = rq_form(rq, "reason"),
	    .disposition = rq_form(rq, "disposition"),
	    .outcome = rq_form(rq, "outcome"),
	    .outcome_reason = rq_form(rq, "outcome_reason"),
	    .notified_method = rq_form(rq, "notified_method"),
	    .notified_on = rq_form(rq, "notified_on"),
	    .transfer_to = rq_form(rq, "transfer_to"),
	    .transfer_on = rq_form(rq, "transfer_on"),
	    .transfer_answer = rq_form(rq, "transfer_answer"),
	};
	char msg[512] = "";
	/* 결과 통지: completing with the result sent to a consenting contact */
	const char *how = rq_form(rq, "result_contact");
	bz_rc rc =
	    strcmp(form, "complete") == 0 && how && *how
	        ? result_notice_complete(rq->db, &rq->user, id, version, &in, how, fields, msg,
	                                 sizeof(msg))
	        : case_set_status(rq->db, &rq->user, id, version, &in, fields, msg, sizeof(msg));
	cases_write_outcome(rq, rs, id, form, rc, fields, msg, "case_status");
}

void web_case_triage(struct request *rq, struct response *rs)
{
	int64_t id, version;
	json_t *fields;
	if (!cases_write_start(rq, rs, "triage", &id, &version, &fields))
		return;
	char msg[512] = "";
	bz_rc rc = case_set_triage(rq->db, &rq->user, id, version, rq_form(rq, "triage"),
	                           rq_form(rq, "flag"), fields, msg, sizeof(msg));
	cases_write_outcome(rq, rs, id, "triage", rc, fields, msg, "case_saved");
}

void web_case_assign(struct request *rq, struct response *rs)
{
	int64_t id, version;
	json_t *fields;
	if (!cases_write_start(rq, rs, "assign", &id, &version, &fields))
		return;
	char msg[512] = "";
	const char *a = rq_form(rq, "assignee");
	char self[32];
	if (a && strcmp(a, "me") == 0) {
		snprintf(self, sizeof(self), "%lld", (long long)rq->user.id);
		a = self;
	}
	bz_rc rc = case_assign(rq->db, &rq->user, id, version, a, fields, msg, sizeof(msg));
	cases_write_outcome(rq, rs, id, "assign", rc, fields, msg, "case_assigned");
}

#define COOP_MAX 21

void web_case_refer(struct request *rq, struct response *rs)
{
	int64_t id, version;
	json_t *fields;
	if (!cases_write_start(rq, rs, "refer", &id, &version, &fields))
		return;
	/* coop may repeat (checkboxes) or be one comma-separated value (API) */
	const char *coops[COOP_MAX];
	size_t n = 0;
	char *copies[COOP_MAX];
	size_t ncopies = 0;
	for (size_t i = 0; i < rq->form.n && n < COOP_MAX; i++) {
		if (strcmp(rq->form.items[i].key, "coop") != 0)
			continue;
		const char *v = rq->form.items[i].value;
		if (strchr(v, ',') == NULL) {
			coops[n++] = v;
			continue;
		}
		char *dup = strdup(v);
		if (dup == NULL || ncopies >= COOP_MAX) {
			free(dup);
			continue;
		}
		copies[ncopies++] = dup;
		char *save = NULL;
		for (char *t = strtok_r(dup, ",", &save); t && n < COOP_MAX;
		     t = strtok_r(NULL, ",", &save))
			coops[n++] = t;
	}
	/* an owner chosen in advance: lead_owner for the lead; owner_<department
	 * id> for any referred department (the API) */
	const char *owners[COOP_MAX];
	char key[48];
	for (size_t i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "owner_%s", coops[i]);
		owners[i] = rq_form(rq, key);
	}
	const char *lead = rq_form(rq, "lead");
	const char *lead_owner = rq_form(rq, "lead_owner");
	if ((lead_owner == NULL || *lead_owner == '\0') && lead && *lead) {
		snprintf(key, sizeof(key), "owner_%s", lead);
		lead_owner = rq_form(rq, key);
	}
	struct case_refer_input in = {
	    .lead = lead,
	    .lead_owner = lead_owner,
	    .coops = coops,
	    .coop_owners = owners,
	    .ncoops = n,
	    .due_on = rq_form(rq, "referral_due_on"),
	};
	char msg[512] = "";
	bz_rc rc = case_refer_to(rq->db, &rq->user, id, version, &in, fields, msg, sizeof(msg));
	for (size_t i = 0; i < ncopies; i++)
		free(copies[i]);
	cases_write_outcome(rq, rs, id, "refer", rc, fields, msg, "case_referred");
}

void web_case_referral_answer(struct request *rq, struct response *rs)
{
	int64_t id, version;
	json_t *fields;
	if (!cases_write_start(rq, rs, "answer", &id, &version, &fields))
		return;
	int64_t rid = rq_param_id(rq, "rid");
	char msg[512] = "";
	const char *action = rq_form(rq, "action");
	bz_rc rc = rid > 0 ? case_referral_answer(rq->db, &rq->user, id, rid, version, action,
	                                          rq_form(rq, "answer"), fields, msg, sizeof(msg))
	                   : BZ_ERR_NOTFOUND;
	cases_write_outcome(rq, rs, id, "answer", rc, fields, msg,
	                    action && strcmp(action, "return") == 0 ? "referral_returned"
	                                                            : "referral_answered");
}

void web_case_referral_resend(struct request *rq, struct response *rs)
{
	int64_t id, version;
	json_t *fields;
	if (!cases_write_start(rq, rs, "resend", &id, &version, &fields))
		return;
	int64_t rid = rq_param_id(rq, "rid");
	char msg[512] = "";
	bz_rc rc = rid > 0 ? case_referral_resend(
	                         rq->db, &rq->user, id, rid, version, rq_form(rq, "department"),
	                         rq_form(rq, "referral_due_on"), fields, msg, sizeof(msg))
	                   : BZ_ERR_NOTFOUND;
	cases_write_outcome(rq, rs, id, "resend", rc, fields, msg, "case_referred");
}

void web_case_referral_owner(struct request *rq, struct response *rs)
{
	int64_t id, version;
	json_t *fields;
	if (!cases_write_start(rq, rs, "owner", &id, &version, &fields))
		return;
	int64_t rid = rq_param_id(rq, "rid");
	char msg[512] = "";
	bz_rc rc = rid > 0 ? case_referral_owner(rq->db, &rq->user, id, rid, version,
	                                         rq_form(rq, "owner"), fields, msg, sizeof(msg))
	                   : BZ_ERR_NOTFOUND;
	cases_write_outcome(rq, rs, id, "owner", rc, fields, msg, "referral_owner");
}

void web_case_transfer_answer(struct request *rq, struct response *rs)
{
	int64_t id, version;
	json_t *fields;
	if (!cases_write_start(rq, rs, "transfer_answer", &id, &version, &fields))
		return;
	char msg[512] = "";
	bz_rc rc =
	    case_transfer_answer(rq->db, &rq->user, id, version, rq_form(rq, "transfer_answer_on"),
	                         rq_form(rq, "transfer_answer"), fields, msg, sizeof(msg));
	cases_write_outcome(rq, rs, id, "transfer_answer", rc, fields, msg, "transfer_answered");
}

void web_case_extend(struct request *rq, struct response *rs)
{
	int64_t id, version;
	json_t *fields;
	if (!cases_write_start(rq, rs, "extend", &id, &version, &fields))
		return;
	char msg[512] = "";
	bz_rc rc = case_extend(rq->db, &rq->user, id, version, rq_form(rq, "new_due_on"),
	                       rq_form(rq, "extension_reason"), fields, msg, sizeof(msg));
	cases_write_outcome(rq, rs, id, "extend", rc, fields, msg, "case_extended");
}

void web_case_notify(struct request *rq, struct response *rs)
{
	int64_t id, version;
	json_t *fields;
	if (!cases_write_start(rq, rs, "notify", &id, &version, &fields))
		return;
	char msg[512] = "";
	bz_rc rc = case_notify(rq->db, &rq->user, id, version, rq_form(rq, "notified_method"),
	                       rq_form(rq, "notified_on"), fields, msg, sizeof(msg));
	cases_write_outcome(rq, rs, id, "notify", rc, fields, msg, "case_notified");
}

void web_case_note(struct request *rq, struct response *rs)
{
	int64_t id, version;
	json_t *fields;
	if (!cases_write_start(rq, rs, "note", &id, &version, &fields))
		return;
	char msg[512] = "";
	const char *shared = rq_form(rq, "shared");
	bz_rc rc = case_note_add(rq->db, &rq->user, id, version, rq_form(rq, "body"),
	                         shared && (strcmp(shared, "1") == 0 || strcmp(shared, "on") == 0 ||
	                                    strcmp(shared, "true") == 0),
	                         fields, msg, sizeof(msg));
	cases_write_outcome(rq, rs, id, "note", rc, fields, msg, "case_note");
}

void web_case_merge(struct request *rq, struct response *rs)
{
	int64_t id, version;
	json_t *fields;
	if (!cases_write_start(rq, rs, "merge", &id, &version, &fields))
		return;
	char msg[512] = "";
	bz_rc rc = case_merge(rq->db, &rq->user, id, version, rq_form(rq, "into"), fields, msg,
	                      sizeof(msg));
	cases_write_outcome(rq, rs, id, "merge", rc, fields, msg, "case_merged");
}
