/* What handlers use to answer: a page (template + view model), a redirect,
 * or an error. The same view model is the JSON face of the page. */
#ifndef BIZSOS_WEB_H
#define BIZSOS_WEB_H

#include "bizsos/http.h"

/* 200 page: takes ownership of model (NULL: empty object). */
/* Replaces every link fact in model (include/bizsos/link.h), at any depth,
 * with its URL text. web_page and web_invalid do it for every page model. */
void web_links_resolve(json_t *model);
/* The same with absolute URLs under base (links a user copies elsewhere). */
void web_links_resolve_under(json_t *model, const char *base);
/* A stored message resolved for delivery: every link fact in body (the JSON
 * object form when json, else the text form, include/bizsos/link.h) becomes
 * its absolute URL under base. *out: the new body (caller frees), or NULL when
 * body holds no link fact (send it as it is). */
bz_rc web_links_message(const char *body, bool json, const char *base, char **out);
void web_page(struct response *rs, const char *tpl, const char *title, json_t *model);
/* Same with another status (e.g. 422 with errors in the model). */
void web_page_status(struct response *rs, int status, const char *tpl, const char *title,
                     json_t *model);
/* 303 See Other to a local path (must start with '/'; anything else goes to "/"). */
void web_redirect(struct response *rs, const char *location);
/* An error page / JSON error with a Korean message. */
void web_error(struct response *rs, int status, const char *code, const char *message);
/* 422 with field errors (fields owned) shown on the page tpl with model. */
void web_invalid(struct response *rs, const char *tpl, const char *title, json_t *model,
                 json_t *fields);
/* Adds a Set-Cookie header. */
void web_set_cookie(struct response *rs, const struct request *rq, const char *name,
                    const char *value, int max_age);
/* A one-shot message shown on the next page (kept in a cookie). */
void web_flash(struct response *rs, const struct request *rq, const char *kind,
               const char *message_key);
/* Is path a safe local redirect target ("/x", not "//x" nor "/\\x")? */
bool web_local_path(const char *path);
/* Adds a Retry-After header of seconds (at least 1), for a 429 or a 503. */
void web_retry_after(struct response *rs, int seconds);

/* The page chrome (app, me, nav, csrf, breadcrumb, flash) around a view model:
 * returns a new object holding model's keys plus the chrome; caller owns it. */
json_t *web_chrome(struct request *rq, struct response *rs, json_t *model, const char *title);

/* ?limit= of a collection page: 1..max, def when absent. false with rs
 * answered (422, Korean message, fields.limit) for a bad one. */
bool web_limit(struct request *rq, struct response *rs, int def, int max, int *limit);
/* A keyset page (src/web/cursor.c): ?limit= as web_limit, and ?cursor= (an
 * earlier next_cursor) decoded into *after, the sort key of the last row the
 * previous page showed, checked against shape ("s" string, "i" integer, "n"
 * any scalar per key column) and against this path and filters. *after is
 * NULL on the first page (caller owns it otherwise). false with rs answered
 * (400 bad_cursor, Korean message) for a bad or altered cursor. */
bool web_keyset(struct request *rq, struct response *rs, const char *shape, int def, int max,
                json_t **after, int *limit);
/* Turns the domain's m.next_key (the key of a page's last row, present when
 * more rows follow) into m.next_cursor and m.next_url (this path, its filters,
 * limit and cursor; relative to the API base /api/v1 or the site root). */
void web_keyset_next(struct request *rq, json_t *m, int limit);
/* For a page read with one row more than limit: when rows holds more than
 * limit, drops the extra ones and sets m.next_key to the fields (n of them,
 * in key order) of the last row kept, for web_keyset_next. */
void web_keyset_trim(json_t *m, json_t *rows, int limit, const char *const *fields, size_t n);
/* ?page= of a browser's pager: 1..1000000, 1 when absent or not a number. */
int web_page_no(struct request *rq);
/* The query parameter key, or "" when absent (for echoing filters into forms). */
const char *web_query_or_empty(struct request *rq, const char *key);
/* The non-empty query parameters named in keys as "k=v&…&" for pager links,
 * values URL-escaped; stops short rather than overflow out (outlen bytes). */
void web_filter_query(struct request *rq, const char *const *keys, size_t nkeys, char *out,
                      size_t outlen);

/* The Content-Type for a file name, by extension. */
const char *web_mime_type(const char *path);

/* Handlers (src/web/). */
void web_healthz(struct request *rq, struct response *rs);
void web_static(struct request *rq, struct response *rs);
void web_login_form(struct request *rq, struct response *rs);
void web_login(struct request *rq, struct response *rs);
void web_logout(struct request *rq, struct response *rs);
void web_home(struct request *rq, struct response *rs);
/* GET /week: the leader's week (src/web/week.c). */
void web_week(struct request *rq, struct response *rs);
/* GET /favicon.ico (browsers ask for it whatever the page says): 303 to the SVG icon. */
void web_favicon(struct request *rq, struct response *rs);
void web_password_form(struct request *rq, struct response *rs);
void web_password(struct request *rq, struct response *rs);
/* API tokens (src/web/tokens.c). */
void web_admin_tokens(struct request *rq, struct response *rs);
void web_admin_token_revoke(struct request *rq, struct response *rs);
void web_account_tokens(struct request *rq, struct response *rs);
void web_account_token_create(struct request *rq, struct response *rs);
void web_account_token_revoke(struct request *rq, struct response *rs);
void web_admin_users(struct request *rq, struct response *rs);
void web_admin_user_add(struct request *rq, struct response *rs);
void web_admin_user_disable(struct request *rq, struct response *rs);
void web_admin_user_enable(struct request *rq, struct response *rs);
void web_admin_user_role(struct request *rq, struct response *rs);
void web_admin_audit(struct request *rq, struct response *rs);

#endif
