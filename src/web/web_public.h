/* Handlers of the companies' own door (src/web/public.c: no sign-in) and of
 * its staff side (src/web/door.c). */
#ifndef BIZSOS_WEB_PUBLIC_H
#define BIZSOS_WEB_PUBLIC_H

#include "bizsos/http.h"

/* GET /request: the online request form. */
void web_request_form(struct request *rq, struct response *rs);
/* POST /request: files the request; the receipt page, 422 with the form, 400
 * (honeypot) or 429 (too many from this address). */
void web_request_submit(struct request *rq, struct response *rs);
/* GET /request/status: the lookup form. */
void web_request_status_form(struct request *rq, struct response *rs);
/* POST /request/status: receipt number + BRN; the status page, or 404 with
 * one message whatever did not match; 429 when rate-limited. */
void web_request_status(struct request *rq, struct response *rs);
/* GET/POST /survey/{token}: the satisfaction survey (one answer per link). */
void web_survey_form(struct request *rq, struct response *rs);
void web_survey_submit(struct request *rq, struct response *rs);

/* Staff side. POST /cases/{id}/survey: a survey link for a completed case. */
void web_case_survey(struct request *rq, struct response *rs);
/* GET /surveys: rounds, averages and response rates; POST /surveys/rounds:
 * the leader opens a round for a period. */
void web_surveys(struct request *rq, struct response *rs);
void web_survey_round(struct request *rq, struct response *rs);
/* POST /companies/{id}/confirm: a 미확인 company checked against the register. */
void web_company_confirm(struct request *rq, struct response *rs);

/* Hooks for pages of other areas: the online request and surveys of a case
 * (added to the case page's model as "online" and "surveys"), and the online
 * requests waiting for the leader (home, "online_waiting"). A store error is
 * returned (the page then answers 500), never a page with the part left out. */
bz_rc web_public_case_hook(struct request *rq, int64_t case_id, json_t *model);
bz_rc web_public_home_hook(struct request *rq, json_t *model);
/* Adds has_<key> (true when not empty) beside every array in o, at every
 * depth, so templates can wrap a list once ({{#has_answers}}<ol>...). */
void web_has_flags(json_t *o);
/* Survey averages for [first, last] as "satisfaction" in model; a store error
 * is returned. */
bz_rc web_public_stats_hook(struct request *rq, const char *first, const char *last, json_t *model);

#endif
