/* Handlers for companies (src/web/companies.c) and for the administrators'
 * reference data, departments and holidays (src/web/admin_ref.c). */
#ifndef BIZSOS_WEB_COMPANIES_H
#define BIZSOS_WEB_COMPANIES_H

#include "bizsos/web.h"

void web_companies_list(struct request *rq, struct response *rs);
void web_company_new(struct request *rq, struct response *rs);
void web_company_create(struct request *rq, struct response *rs);
void web_company_lookup(struct request *rq, struct response *rs);
void web_company_show(struct request *rq, struct response *rs);
void web_company_edit(struct request *rq, struct response *rs);
void web_company_update(struct request *rq, struct response *rs);
void web_company_contact_add(struct request *rq, struct response *rs);
void web_company_contact_retire(struct request *rq, struct response *rs);

void web_admin_departments(struct request *rq, struct response *rs);
void web_admin_department_add(struct request *rq, struct response *rs);
void web_admin_department_retire(struct request *rq, struct response *rs);
void web_admin_department_restore(struct request *rq, struct response *rs);
void web_admin_holidays(struct request *rq, struct response *rs);
void web_admin_holiday_add(struct request *rq, struct response *rs);
void web_admin_holiday_retire(struct request *rq, struct response *rs);

#endif
