/* SOS cases: the vocabularies with their Korean labels, the status machine
 * and the action table (as data), and who may do what. */
#include "case_internal.h"

#include <stdio.h>
#include <string.h>

/* ---- vocabularies ------------------------------------------------------- */

struct vocab_entry {
	const char *vocab;
	const char *code;
	const char *label;
};

static const struct vocab_entry vocab[] = {
    {"status", "received", "접수"},
    {"status", "reviewing", "검토"},
    {"status", "in_progress", "처리중"},
    {"status", "done", "완료"},
    {"status", "transferred", "이송"},
    {"status", "withdrawn", "취하"},
    {"channel", "visit", "현장방문"},
    {"channel", "meeting", "간담회"},
    {"channel", "onestop", "원스톱회의"},
    {"channel", "mobile", "기동반"},
    {"channel", "phone", "전화"},
    {"channel", "walkin", "내방"},
    {"channel", "online", "온라인"},
    {"channel", "letter", "공문"},
    {"channel", "other", "기타"},
    {"triage", "single", "단일애로"},
    {"triage", "complex", "복합애로"},
    {"flag", "red", "긴급"},
    {"flag", "yellow", "중요"},
    {"disposition", "immediate", "즉시처리"},
    {"disposition", "long_term", "장기추진"},
    {"disposition", "system", "제도개선건의"},
    {"outcome", "accepted", "수용"},
    {"outcome", "partial", "일부수용"},
    {"outcome", "rejected", "불수용"},
    {"notified_method", "letter", "서면"},
    {"notified_method", "email", "이메일"},
    {"notified_method", "sms", "문자"},
    {"notified_method", "phone", "전화"},
    {"referral_role", "lead", "주관"},
    {"referral_role", "coop", "협조"},
    {"referral_status", "open", "답변 대기"},
    {"referral_status", "answered", "답변 완료"},
    {"referral_status", "returned", "반송"},
};

const char *case_label(const char *voc, const char *code)
{
	if (voc == NULL || code == NULL)
		return NULL;
	for (size_t i = 0; i < BZ_ARRAY_LEN(vocab); i++)
		if (strcmp(vocab[i].vocab, voc) == 0 && strcmp(vocab[i].code, code) == 0)
			return vocab[i].label;
	return NULL;
}

json_t *case_vocab_json(const char *voc)
{
	json_t *a = json_array();
	for (size_t i = 0; i < BZ_ARRAY_LEN(vocab); i++)
		if (strcmp(vocab[i].vocab, voc) == 0)
			json_array_append_new(a, json_pack("{s:s, s:s}", "value", vocab[i].code,
			                                   "label", vocab[i].label));
	return a;
}

/* ---- the status machine ------------------------------------------------- */

const char *const case_statuses[] = {"received",    "reviewing", "in_progress", "done",
                                     "transferred", "withdrawn", NULL};

#define STAFF_LEADER (ROLE_STAFF | ROLE_LEADER)

/* Every allowed move. Anything not here is refused (422); a move here by a
 * role not named is refused (403). Department users only answer referrals,
 * executives and admins only read: no row names them. A CASE_BY_REFERRAL row
 * is made by referring the case to a department (접수/검토 → 처리중: the work
 * has left the team's desk), never from the status form. */
const struct case_transition case_transitions[] = {
    {"received", "in_progress", STAFF_LEADER, CASE_BY_REFERRAL},
    {"reviewing", "in_progress", STAFF_LEADER, CASE_BY_REFERRAL},
    {"received", "reviewing", STAFF_LEADER, CASE_NEED_NONE},
    {"reviewing", "in_progress", STAFF_LEADER, CASE_NEED_NONE},
    {"received", "done", ROLE_LEADER, CASE_NEED_COMPLETION},
    {"reviewing", "done", ROLE_LEADER, CASE_NEED_COMPLETION},
    {"in_progress", "done", ROLE_LEADER, CASE_NEED_COMPLETION},
    {"received", "transferred", ROLE_LEADER, CASE_NEED_TRANSFER},
    {"reviewing", "transferred", ROLE_LEADER, CASE_NEED_TRANSFER},
    {"in_progress", "transferred", ROLE_LEADER, CASE_NEED_TRANSFER},
    {"received", "withdrawn", STAFF_LEADER, CASE_NEED_REASON},
    {"reviewing", "withdrawn", STAFF_LEADER, CASE_NEED_REASON},
    {"in_progress", "withdrawn", STAFF_LEADER, CASE_NEED_REASON},
    {"done", "in_progress", ROLE_LEADER, CASE_NEED_REASON}, /* reopen */
};
const size_t case_transition_count = BZ_ARRAY_LEN(case_transitions);

bool case_status_open(const char *status)
{
	return status && (strcmp(status, "received") == 0 || strcmp(status, "reviewing") == 0 ||
	                  strcmp(status, "in_progress") == 0);
}

const char *case_status_on_referral(const char *from)
{
	for (size_t i = 0; from && i < case_transition_count; i++)
		if ((case_transitions[i].needs & CASE_BY_REFERRAL) &&
		    strcmp(case_transitions[i].from, from) == 0)
			return case_transitions[i].to;
	return NULL;
}

bz_rc case_transition_check(const char *from, const char *to, int role,
                            const struct case_transition **t)
{
	if (from == NULL || to == NULL)
		return BZ_ERR_INVALID;
	for (size_t i = 0; i < case_transition_count; i++) {
		const struct case_transition *r = &case_transitions[i];
		if (r->needs & CASE_BY_REFERRAL)
			continue;
		if (strcmp(r->from, from) == 0 && strcmp(r->to, to) == 0) {
			if (t)
				*t = r;
			return (r->roles & role) ? BZ_OK : BZ_ERR_FORBIDDEN;
		}
	}
	return BZ_ERR_INVALID;
}

static const int action_roles[CASE_ACT_COUNT] = {
    [CASE_ACT_CREATE] = STAFF_LEADER,
    [CASE_ACT_TRIAGE] = STAFF_LEADER,
    [CASE_ACT_ASSIGN] = STAFF_LEADER,
    [CASE_ACT_REFER] = STAFF_LEADER,
    [CASE_ACT_ANSWER] = ROLE_DEPARTMENT | ROLE_LEADER,
    [CASE_ACT_EXTEND] = STAFF_LEADER,
    [CASE_ACT_NOTIFY] = STAFF_LEADER,
    [CASE_ACT_NOTE] = STAFF_LEADER | ROLE_DEPARTMENT,
    [CASE_ACT_ATTACH] = STAFF_LEADER | ROLE_DEPARTMENT,
    [CASE_ACT_MERGE] = ROLE_LEADER,
    [CASE_ACT_CATEGORIES] = ROLE_ADMIN,
    [CASE_ACT_EDIT] = STAFF_LEADER,
    [CASE_ACT_TRANSFER_ANSWER] = STAFF_LEADER,
    [CASE_ACT_REFERRAL_OWNER] = ROLE_LEADER,
};

int case_action_roles(enum case_action a)
{
	return a < CASE_ACT_COUNT ? action_roles[a] : 0;
}

bool case_may(const struct user *u, enum case_action a)
{
	return u && (case_action_roles(a) & u->role) != 0;
}

/* ---- what a user may do with one case ----------------------------------- */

static bool is_true(const json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key));
}

void case_can(const struct user *u, json_t *m)
{
	json_t *c = json_object_get(m, "case");
	const char *status = json_string_value(json_object_get(c, "status"));
	bool merged = is_true(c, "merged");
	bool open = is_true(c, "open");
	json_t *simple = json_array();
	bool complete = false, transfer = false, withdraw = false, reopen = false;
	for (size_t i = 0; !merged && status && i < case_transition_count; i++) {
		const struct case_transition *t = &case_transitions[i];
		if (strcmp(t->from, status) != 0 || !(t->roles & u->role) ||
		    (t->needs & CASE_BY_REFERRAL))
			continue;
		if (t->needs & CASE_NEED_COMPLETION)
			complete = true;
		else if (t->needs & CASE_NEED_TRANSFER)
			transfer = true;
		else if (strcmp(t->to, "withdrawn") == 0)
			withdraw = true;
		else if (t->needs & CASE_NEED_REASON)
			reopen = true;
		else
			json_array_append_new(simple, json_pack("{s:s, s:s}", "to", t->to, "label",
			                                        case_label("status", t->to)));
	}
	bool any_answer = false;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(m, "referrals"), i, x)
	{
		bool may = !merged && case_may(u, CASE_ACT_ANSWER) &&
		           (u->role != ROLE_DEPARTMENT || is_true(x, "mine")) &&
		           !is_true(x, "is_returned");
		json_object_set_new(x, "can_answer", json_boolean(may));
		json_object_set_new(x, "can_return", json_boolean(may && is_true(x, "is_open")));
		json_object_set_new(x, "can_resend",
		                    json_boolean(!merged && open && case_may(u, CASE_ACT_REFER) &&
		                                 is_true(x, "is_returned")));
		json_object_set_new(x, "can_change_owner",
		                    json_boolean(!merged && case_may(u, CASE_ACT_REFERRAL_OWNER) &&
		                                 is_true(x, "is_open")));
		any_answer |= may;
	}
	bool extended = is_true(c, "extended");
	json_t *can = json_pack(
	    "{s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b}",
	    "status", json_array_size(simple) > 0, "complete", complete, "transfer", transfer,
	    "withdraw", withdraw, "reopen", reopen, "triage",
	    !merged && case_may(u, CASE_ACT_TRIAGE), "assign_any",
	    !merged && u->role == ROLE_LEADER, "take",
	    !merged && u->role == ROLE_STAFF &&
	        json_integer_value(json_object_get(c, "assignee_id")) != u->id,
	    "refer", !merged && open && case_may(u, CASE_ACT_REFER), "extend",
	    !merged && open && !extended && case_may(u, CASE_ACT_EXTEND), "notify",
	    !merged && case_may(u, CASE_ACT_NOTIFY), "note", !merged && case_may(u, CASE_ACT_NOTE),
	    "attach", !merged && case_may(u, CASE_ACT_ATTACH), "merge",
	    !merged && case_may(u, CASE_ACT_MERGE), "answer", any_answer, "write",
	    !merged && (u->role & (ROLE_STAFF | ROLE_LEADER)));
	json_object_set_new(can, "view_company", json_boolean(u->role != ROLE_DEPARTMENT));
	json_object_set_new(can, "edit", json_boolean(!merged && case_may(u, CASE_ACT_EDIT)));
	json_object_set_new(can, "transfer_answer",
	                    json_boolean(!merged && status && strcmp(status, "transferred") == 0 &&
	                                 case_may(u, CASE_ACT_TRANSFER_ANSWER)));
	json_object_set_new(m, "can", can);
	json_object_set_new(m, "transitions", simple);
	/* the one next step the open case needs, by what the user may do:
	 * assign -> refer -> wait (for the answer) -> complete */
	if (open && !merged) {
		bool waiting = false, referred = false;
		json_array_foreach(json_object_get(m, "referrals"), i, x)
		{
			const char *rs = json_string_value(json_object_get(x, "status"));
			referred = true;
			waiting |= rs && strcmp(rs, "open") == 0;
		}
		const char *key = NULL;
		if (json_is_null(json_object_get(c, "assignee_id")) && is_true(can, "assign_any"))
			key = "assign";
		else if (!referred && is_true(can, "refer"))
			key = "refer";
		else if (waiting)
			key = "wait";
		else if (complete)
			key = "complete";
		if (key)
			json_object_set_new(m, "next",
			                    json_pack("{s:s, s:b}", "key", key, key, true));
	}
	json_object_set_new(
	    m, "read_only",
	    json_boolean(merged || !(u->role & (ROLE_STAFF | ROLE_LEADER | ROLE_DEPARTMENT))));
}
