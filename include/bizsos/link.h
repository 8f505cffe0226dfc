/* Links as facts. The domain never writes a URL: where a model points at
 * another page it puts a link fact, {"$link": page, ...parameters}, and the web
 * layer (web_links_resolve in src/web/links.c, run on every page model) turns
 * each one into the URL text in its place. Pages and their parameters:
 *   case {id}                  cases_done {from, to}      cases_status {status}
 *   cases_overdue_filter {}    home_list {list}           staff_activities {staff}
 *   progress {year, quarter}   activity_photo {activity, photo}
 *   comm_day_activities {year: 0 for every year}
 *   activity {id}              grant {id}                 document {id} */
#ifndef BIZSOS_LINK_H
#define BIZSOS_LINK_H

#include <jansson.h>

/* A new link fact to page with the parameters of params (stolen; NULL: none). */
json_t *link_fact(const char *page, json_t *params);

#endif
