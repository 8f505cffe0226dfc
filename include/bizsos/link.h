/* Links as facts. The domain never writes a URL: where a model points at
 * another page it puts a link fact, {"$link": page, ...parameters}, and the web
 * layer (web_links_resolve in src/web/links.c, run on every page model) turns
 * each one into the URL text in its place. Pages and their parameters:
 *   case {id}                  cases_done {from, to}      cases_status {status}
 *   cases_overdue_filter {}    home_list {list}           staff_activities {staff}
 *   progress {year, quarter}   activity_photo {activity, photo}
 *   comm_day_activities {year: 0 for every year}
 *   activity {id}              grant {id}                 document {id}
 *   notifications {}           notify_settings {}         card_as_of {year, quarter}
 *   survey {token}             program_executions {}
 *   cases {status, overdue, flag, assignee, department, closed_from, closed_to,
 *          sort: each optional, the case list's filters}
 *
 * Message text kept until it is delivered (mail bodies in the outbox) holds
 * the same facts as text: LINK_MARK page [":" param] LINK_MARK (a decimal param
 * is the page's id, any other its token), or LINK_MARK
 * local-path LINK_MARK for a path stored earlier. The delivery worker turns
 * each into the absolute URL under the configured base_url when it sends the
 * message (web_links_message in src/web/links.c); webhook bodies carry the
 * JSON link fact itself. LINK_MARK is a control character that no checked
 * user text can hold, so a title cannot forge a link. */
#ifndef BIZSOS_LINK_H
#define BIZSOS_LINK_H

#include <jansson.h>
#include <stdint.h>

/* A new link fact to page with the parameters of params (stolen; NULL: none). */
json_t *link_fact(const char *page, json_t *params);

#define LINK_MARK      '\x1f'
#define LINK_TEXT_SIZE 64
/* The text form of the link fact page {id} (id 0: no parameter), or of a
 * stored local path when page starts with '/' (id unused), into out
 * (LINK_TEXT_SIZE bytes; a longer path is cut). */
void link_text(char out[LINK_TEXT_SIZE], const char *page, int64_t id);
/* The same with a text parameter (survey {token}). */
void link_text_token(char out[LINK_TEXT_SIZE], const char *page, const char *token);

#endif
