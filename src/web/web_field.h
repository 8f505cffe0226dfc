/* Handlers for field work: activities (list, calendar, stats, anniversaries,
 * the form, the page, photos, one-stop decisions, admin types), the phone
 * form for a communication-day visit, improvement grants and citizen
 * communication. */
#ifndef BIZSOS_WEB_FIELD_H
#define BIZSOS_WEB_FIELD_H

#include "bizsos/web.h"

/* Every value of a form field that may repeat (checkboxes), in order; at most
 * max. Returns the count; out[i] point into the request. */
size_t web_form_values(const struct request *rq, const char *key, const char **out, size_t max);

/* web_page / web_invalid for this area's pages: empty strings in the model
 * become null first, so that a Mustache section on an empty value is false
 * (the renderer treats "" as true) and the JSON face says null for "nothing". */
void field_page(struct response *rs, const char *tpl, const char *title, json_t *model);
void field_invalid(struct response *rs, const char *tpl, const char *title, json_t *model,
                   json_t *fields);

/* How a form of this area that creates a record is answered (field_created). */
struct field_create_answer {
	const char *path;      /* the new record's page without its id ("/grants/") */
	const char *flash;     /* the success message's key */
	const char *tpl;       /* the form, shown again with the errors */
	const char *title;     /* its title */
	const char *forbidden; /* the 403 message */
	const char *failed;    /* the 500 message */
};
/* The answer of a create that returned rc: BZ_OK a flash and 303 to the new
 * record's page (model {id}); BZ_ERR_INVALID the form m again with fields
 * (422); BZ_ERR_FORBIDDEN 403; anything else 500. Takes m and fields. */
void field_created(struct request *rq, struct response *rs, bz_rc rc, int64_t id, json_t *m,
                   json_t *fields, const struct field_create_answer *a);

/* A small integer from the query: def when absent, -1 when not a number in
 * [min, max]. */
long field_query_int(const struct request *rq, const char *key, long def, long min, long max);
/* 500 with "<what> 읽지 못했습니다. 잠시 후 다시 시도해 주세요." */
void field_db_fail(struct response *rs, const char *what);
/* Marks the option of opts whose key (string or integer) equals sel. */
void field_mark_selected(json_t *opts, const char *key, const char *sel);

/* src/web/activities.c (activity_types.c: the admin types) */
void web_activities(struct request *rq, struct response *rs);
void web_activities_calendar(struct request *rq, struct response *rs);
void web_activities_stats(struct request *rq, struct response *rs);
void web_activities_anniversaries(struct request *rq, struct response *rs);
void web_activities_letter(struct request *rq, struct response *rs);
void web_activity_new(struct request *rq, struct response *rs);
void web_activity_create(struct request *rq, struct response *rs);
void web_activity_show(struct request *rq, struct response *rs);
void web_activity_photo_add(struct request *rq, struct response *rs);
/* POST /activities/{id}/edit (held_on, place, title, summary, version),
 * /activities/{id}/retire (reason) and /activities/{id}/followups/{fid}/done:
 * 303 back (the list after a retire), 422 with the form open and values kept. */
void web_activity_edit(struct request *rq, struct response *rs);
void web_activity_retire(struct request *rq, struct response *rs);
void web_activity_followup_done(struct request *rq, struct response *rs);
void web_activity_photo(struct request *rq, struct response *rs);
void web_activity_decide(struct request *rq, struct response *rs);
void web_activity_types(struct request *rq, struct response *rs);
void web_activity_type_save(struct request *rq, struct response *rs);

/* src/web/visit_form.c */
void web_visit_form(struct request *rq, struct response *rs);
void web_visit_submit(struct request *rq, struct response *rs);
/* GET/POST /visits/{id}/grievances: more grievances of the visited company,
 * linked to the visit; 303 to the visit (?new_from=<row> marks the new ones). */
void web_visit_more_form(struct request *rq, struct response *rs);
void web_visit_more_submit(struct request *rq, struct response *rs);

/* src/web/grants.c */
void web_grants(struct request *rq, struct response *rs);
void web_grant_new(struct request *rq, struct response *rs);
void web_grant_create(struct request *rq, struct response *rs);
void web_grant_show(struct request *rq, struct response *rs);
void web_grant_status(struct request *rq, struct response *rs);

/* src/web/comm.c */
void web_comm(struct request *rq, struct response *rs);
void web_comm_new(struct request *rq, struct response *rs);
void web_comm_create(struct request *rq, struct response *rs);

#endif
