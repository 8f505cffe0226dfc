/* Shared between the files of the case pages (cases.c, case_list.c,
 * case_actions.c, case_attach.c, case_categories.c); private to src/web. */
#ifndef BIZSOS_WEB_CASES_INTERNAL_H
#define BIZSOS_WEB_CASES_INTERNAL_H

#include "bizsos/buf.h"
#include "bizsos/web.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* A select's options from a [{value, label}] list, marking the selected one
 * (new reference; steals list). */
json_t *cases_mark(json_t *list, const char *selected);
/* [{id, name}] rows as [{value, label, selected}] (steals rows). */
json_t *cases_id_options(json_t *rows, const char *label_key, const char *selected);
/* The submitted form as an object of strings (to show it back). */
json_t *cases_form_values(const struct request *rq);
/* The case page model, or NULL with rs filled (404/500). */
json_t *cases_show_model(struct request *rq, struct response *rs, int64_t id);
/* Answers a write on case id: redirect on success, the page with field errors
 * (422), the current values (409), or an error. Takes fields. */
void cases_write_outcome(struct request *rq, struct response *rs, int64_t id, const char *form,
                         bz_rc rc, json_t *fields, const char *msg, const char *flash);
/* The common start of a write: the case id and the version; false (rs filled
 * with 404 or 422) if either is missing. */
bool cases_write_start(struct request *rq, struct response *rs, const char *form, int64_t *id,
                       int64_t *version, json_t **fields);

#endif
