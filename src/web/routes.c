/* The router table: the one place where the permissions of every page are
 * declared. A route without roles does not compile (see ROUTE in http.h), and
 * tests/http/test_routes.c walks every route for every role. */
#include <string.h>
#include "bizsos/web.h"
#include "web_companies.h"
#include "web_cases.h"
#include "web_documents.h"
#include "web_field.h"
#include "web_import.h"
#include "web_notify.h"
#include "bizsos/web_openapi.h"
#include "web_privacy.h"
#include "web_program.h"
#include "web_public.h"

/* who reads the card: everyone but department users */
#define CARD_READ (ROLE_STAFF | ROLE_LEADER | ROLE_EXECUTIVE | ROLE_ADMIN)

#define ADMIN ROLE_ADMIN
#define ANY   ROLE_ANY_USER

/* One route a line reads best as a table. */
/* clang-format off */
const struct route web_routes[] = {
	/* public: the plain check answers anyone; ?deep=1 gives details to admins */
	ROUTE(HTTP_GET, "/healthz", web_healthz, ROLE_PUBLIC),
	ROUTE(HTTP_GET, "/static/*", web_static, ROLE_BARE),
	/* home: browsers ask for /favicon.ico even with an icon link; no 404 for it */
	ROUTE(HTTP_GET, "/favicon.ico", web_favicon, ROLE_BARE),

	/* the API's description, generated from this table */
	ROUTE(HTTP_GET, "/openapi.json", web_openapi, ROLE_PUBLIC),

	ROUTE(HTTP_GET, "/login", web_login_form, ROLE_PUBLIC),
	ROUTE(HTTP_POST, "/login", web_login, ROLE_PUBLIC),
	ROUTE(HTTP_GET, "/login/totp", web_login_totp_form, ROLE_PUBLIC),
	ROUTE(HTTP_POST, "/login/totp", web_login_totp, ROLE_PUBLIC),
	ROUTE(HTTP_POST, "/logout", web_logout, ANY),
	ROUTE(HTTP_GET, "/", web_home, ANY),
	ROUTE(HTTP_GET, "/account/password", web_password_form, ANY),
	ROUTE(HTTP_POST, "/account/password", web_password, ANY),
	ROUTE(HTTP_GET, "/account/sessions", web_account_sessions, ANY),
	ROUTE(HTTP_GET, "/account/totp", web_account_totp, ROLE_ADMIN | ROLE_LEADER),
	ROUTE(HTTP_POST, "/account/totp/begin", web_account_totp_begin, ROLE_ADMIN | ROLE_LEADER),
	ROUTE(HTTP_POST, "/account/totp/enable", web_account_totp_enable, ROLE_ADMIN | ROLE_LEADER),
	ROUTE(HTTP_POST, "/account/totp/disable", web_account_totp_disable, ROLE_ADMIN | ROLE_LEADER),
	ROUTE(HTTP_POST, "/account/sessions/{sid}/revoke", web_account_session_revoke, ANY),
	ROUTE(HTTP_GET, "/account/tokens", web_account_tokens, ANY),
	ROUTE(HTTP_POST, "/account/tokens", web_account_token_create, ANY),
	ROUTE(HTTP_POST, "/account/tokens/{id}/revoke", web_account_token_revoke, ANY),
	ROUTE(HTTP_GET, "/admin/tokens", web_admin_tokens, ADMIN),
	ROUTE(HTTP_POST, "/admin/tokens/{id}/revoke", web_admin_token_revoke, ADMIN),

	ROUTE(HTTP_GET, "/admin/users", web_admin_users, ADMIN),
	ROUTE(HTTP_GET, "/admin/users.csv", web_admin_users, ADMIN),
	ROUTE(HTTP_GET, "/admin/users.xlsx", web_admin_users, ADMIN),
	ROUTE(HTTP_POST, "/admin/users", web_admin_user_add, ADMIN),
	ROUTE(HTTP_POST, "/admin/users/{id}/disable", web_admin_user_disable, ADMIN),
	ROUTE(HTTP_POST, "/admin/users/{id}/enable", web_admin_user_enable, ADMIN),
	ROUTE(HTTP_POST, "/admin/users/{id}/role", web_admin_user_role, ADMIN),
	ROUTE(HTTP_GET, "/admin/users/{id}/sessions", web_admin_user_sessions, ADMIN),
	ROUTE(HTTP_POST, "/admin/users/{id}/sessions/{sid}/revoke", web_admin_user_session_revoke,
	      ADMIN),
	ROUTE(HTTP_GET, "/admin/audit", web_admin_audit, ADMIN),
	ROUTE(HTTP_GET, "/admin/audit.csv", web_admin_audit, ADMIN),
	ROUTE(HTTP_GET, "/admin/audit.xlsx", web_admin_audit, ADMIN),
	/* 개인정보 접속기록, its monthly review, rights changes; backups and health */
	ROUTE(HTTP_GET, "/admin/privacy", web_admin_privacy, ADMIN),
	ROUTE(HTTP_GET, "/admin/privacy.csv", web_admin_privacy, ADMIN),
	ROUTE(HTTP_GET, "/admin/privacy.xlsx", web_admin_privacy, ADMIN),
	ROUTE(HTTP_GET, "/admin/privacy/review", web_admin_privacy_review, ADMIN),
	ROUTE(HTTP_POST, "/admin/privacy/review", web_admin_privacy_review_mark, ADMIN),
	ROUTE(HTTP_GET, "/admin/rights", web_admin_rights, ADMIN),
	ROUTE(HTTP_GET, "/admin/operations", web_admin_operations, ADMIN),
	ROUTE(HTTP_POST, "/admin/operations/backup", web_admin_backup_now, ADMIN),

	/* Notices (everyone their own) and the outbox (admins). */
	ROUTE(HTTP_GET, "/notifications", web_notifications, ANY),
	ROUTE(HTTP_POST, "/notifications/read-all", web_notifications_read_all, ANY),
	ROUTE(HTTP_GET, "/notifications/settings", web_notify_settings, ANY),
	ROUTE(HTTP_POST, "/notifications/settings", web_notify_settings_save, ANY),
	ROUTE(HTTP_GET, "/notifications/{id}", web_notification_open, ANY),
	ROUTE(HTTP_GET, "/admin/outbox", web_admin_outbox, ADMIN),
	ROUTE(HTTP_GET, "/admin/outbox.csv", web_admin_outbox, ADMIN),
	ROUTE(HTTP_GET, "/admin/outbox.xlsx", web_admin_outbox, ADMIN),
	ROUTE(HTTP_POST, "/admin/outbox/{id}/retry", web_admin_outbox_retry, ADMIN),
	ROUTE(HTTP_GET, "/admin/templates", web_admin_templates, ADMIN),
	ROUTE(HTTP_POST, "/admin/templates/{name}", web_admin_template_save, ADMIN),
	/* end of notices */

	/* Companies (기업): staff, leaders and admins create and edit; executives
	 * read. Department users get 403: they answer the cases referred to them,
	 * whose pages name the company, and need neither the company register nor
	 * its contacts' personal data. Fixed paths come before /companies/{id}. */
#define COMPANY_EDIT (ROLE_STAFF | ROLE_LEADER | ROLE_ADMIN)
#define COMPANY_READ (COMPANY_EDIT | ROLE_EXECUTIVE)
	ROUTE(HTTP_GET, "/companies", web_companies_list, COMPANY_READ),
	ROUTE(HTTP_GET, "/companies.csv", web_companies_list, COMPANY_READ),
	ROUTE(HTTP_GET, "/companies.xlsx", web_companies_list, COMPANY_READ),
	ROUTE(HTTP_POST, "/companies", web_company_create, COMPANY_EDIT),
	ROUTE(HTTP_GET, "/companies/new", web_company_new, COMPANY_EDIT),
	ROUTE(HTTP_GET, "/companies/lookup", web_company_lookup, COMPANY_READ),
	ROUTE(HTTP_GET, "/companies/import", web_import_form, COMPANY_EDIT),
	ROUTE(HTTP_POST, "/companies/import", web_import_upload, COMPANY_EDIT),
	ROUTE(HTTP_GET, "/companies/import/template.csv", web_import_template, COMPANY_EDIT),
	ROUTE(HTTP_GET, "/companies/import/template.xlsx", web_import_template, COMPANY_EDIT),
	ROUTE(HTTP_GET, "/companies/{id}", web_company_show, COMPANY_READ),
	ROUTE(HTTP_POST, "/companies/{id}", web_company_update, COMPANY_EDIT),
	ROUTE(HTTP_GET, "/companies/{id}/edit", web_company_edit, COMPANY_EDIT),
	ROUTE(HTTP_POST, "/companies/{id}/contacts", web_company_contact_add, COMPANY_EDIT),
	ROUTE(HTTP_GET, "/companies/{id}/documents/new", web_document_new, ROLE_STAFF | ROLE_LEADER),
	ROUTE(HTTP_POST, "/companies/{id}/documents", web_document_issue, ROLE_STAFF | ROLE_LEADER),
	ROUTE(HTTP_POST, "/companies/{id}/contacts/{cid}/retire", web_company_contact_retire,
	      COMPANY_EDIT),
	ROUTE(HTTP_POST, "/companies/{id}/contacts/{cid}/consent", web_company_contact_consent,
	      COMPANY_EDIT),
	/* Reference data (admins): departments and outside agencies, holidays. */
	ROUTE(HTTP_GET, "/admin/departments", web_admin_departments, ADMIN),
	ROUTE(HTTP_POST, "/admin/departments", web_admin_department_add, ADMIN),
	ROUTE(HTTP_POST, "/admin/departments/{id}/retire", web_admin_department_retire, ADMIN),
	ROUTE(HTTP_POST, "/admin/departments/{id}/restore", web_admin_department_restore, ADMIN),
	ROUTE(HTTP_GET, "/admin/holidays", web_admin_holidays, ADMIN),
	ROUTE(HTTP_POST, "/admin/holidays", web_admin_holiday_add, ADMIN),
	ROUTE(HTTP_POST, "/admin/holidays/{day}/retire", web_admin_holiday_retire, ADMIN),
	/* end of companies and reference data */

	/* SOS cases (기업애로): staff and leaders work on them, executives and admins
	 * read, department users see only what is referred to them (the domain
	 * enforces that too); admins keep the category table. */
#define CASE_READ  (ROLE_STAFF | ROLE_LEADER | ROLE_EXECUTIVE | ROLE_DEPARTMENT | ROLE_ADMIN)
#define CASE_WRITE (ROLE_STAFF | ROLE_LEADER)
	ROUTE(HTTP_GET, "/cases", web_cases_list, CASE_READ),
	ROUTE(HTTP_POST, "/cases", web_case_create, CASE_WRITE),
	ROUTE(HTTP_GET, "/cases/new", web_case_new, CASE_WRITE),
	ROUTE(HTTP_GET, "/cases.csv", web_cases_list, CASE_READ),
	ROUTE(HTTP_GET, "/cases.xlsx", web_cases_list, CASE_READ),
	ROUTE(HTTP_GET, "/cases/import", web_import_form, CASE_WRITE),
	ROUTE(HTTP_POST, "/cases/import", web_import_upload, CASE_WRITE),
	ROUTE(HTTP_GET, "/cases/import/template.csv", web_import_template, CASE_WRITE),
	ROUTE(HTTP_GET, "/cases/import/template.xlsx", web_import_template, CASE_WRITE),
	ROUTE(HTTP_GET, "/cases/overdue", web_cases_overdue, CASE_READ),
	ROUTE(HTTP_GET, "/cases/overdue.csv", web_cases_overdue, CASE_READ),
	ROUTE(HTTP_GET, "/cases/overdue.xlsx", web_cases_overdue, CASE_READ),
	ROUTE(HTTP_GET, "/cases/{id}", web_case_show, CASE_READ),
	ROUTE(HTTP_POST, "/cases/{id}", web_case_update, CASE_WRITE),
	ROUTE(HTTP_GET, "/cases/{id}/edit", web_case_edit, CASE_WRITE),
	ROUTE(HTTP_POST, "/cases/{id}/status", web_case_status, CASE_WRITE),
	ROUTE(HTTP_POST, "/cases/{id}/triage", web_case_triage, CASE_WRITE),
	ROUTE(HTTP_POST, "/cases/{id}/assign", web_case_assign, CASE_WRITE),
	ROUTE(HTTP_POST, "/cases/{id}/referrals", web_case_refer, CASE_WRITE),
	ROUTE(HTTP_POST, "/cases/{id}/referrals/{rid}/answer", web_case_referral_answer,
	      ROLE_DEPARTMENT | ROLE_LEADER),
	ROUTE(HTTP_POST, "/cases/{id}/referrals/{rid}/resend", web_case_referral_resend, CASE_WRITE),
	ROUTE(HTTP_POST, "/cases/{id}/referrals/{rid}/owner", web_case_referral_owner, ROLE_LEADER),
	ROUTE(HTTP_POST, "/cases/{id}/transfer-answer", web_case_transfer_answer, CASE_WRITE),
	ROUTE(HTTP_POST, "/cases/{id}/extend", web_case_extend, CASE_WRITE),
	ROUTE(HTTP_POST, "/cases/{id}/notify", web_case_notify, CASE_WRITE),
	ROUTE(HTTP_POST, "/cases/{id}/notes", web_case_note, CASE_WRITE | ROLE_DEPARTMENT),
	ROUTE(HTTP_POST, "/cases/{id}/attachments", web_case_attach, CASE_WRITE | ROLE_DEPARTMENT),
	ROUTE(HTTP_GET, "/cases/{id}/attachments/{aid}", web_case_attachment, CASE_READ),
	ROUTE(HTTP_POST, "/cases/{id}/merge", web_case_merge, ROLE_LEADER),
	/* official documents (공문서): drafted and issued from a case or a company */
	ROUTE(HTTP_GET, "/cases/{id}/documents/new", web_document_new, CASE_WRITE),
	ROUTE(HTTP_POST, "/cases/{id}/documents", web_document_issue, CASE_WRITE),
	ROUTE(HTTP_GET, "/documents/{id}", web_document_show, CASE_READ),
	ROUTE(HTTP_GET, "/documents/{id}/docx", web_document_docx, CASE_READ),
	ROUTE(HTTP_GET, "/admin/documents", web_admin_documents, ADMIN),
	ROUTE(HTTP_POST, "/admin/documents/letterhead", web_admin_letterhead_save, ADMIN),
	ROUTE(HTTP_POST, "/admin/documents/{kind}", web_admin_document_template_save, ADMIN),
	ROUTE(HTTP_GET, "/admin/categories", web_case_categories, ADMIN),
	ROUTE(HTTP_POST, "/admin/categories", web_case_category_save, ADMIN),
	/* end of SOS cases */

	/* Field work (활동·방문·개선사업·시민소통): staff and leaders write; executives
	 * and admins read; department users answer referrals only (403 here).
	 * Activity types are the admin's. */
#define FIELD_READ (ROLE_STAFF | ROLE_LEADER | ROLE_EXECUTIVE | ROLE_ADMIN)
#define FIELD_WRITE (ROLE_STAFF | ROLE_LEADER)
	ROUTE(HTTP_GET, "/activities", web_activities, FIELD_READ),
	ROUTE(HTTP_GET, "/activities.csv", web_activities, FIELD_READ),
	ROUTE(HTTP_GET, "/activities.xlsx", web_activities, FIELD_READ),
	ROUTE(HTTP_GET, "/activities/calendar", web_activities_calendar, FIELD_READ),
	ROUTE(HTTP_GET, "/activities/stats", web_activities_stats, FIELD_READ),
	ROUTE(HTTP_GET, "/activities/anniversaries", web_activities_anniversaries, FIELD_READ),
	ROUTE(HTTP_POST, "/activities/anniversaries/letter", web_activities_letter, FIELD_WRITE),
	ROUTE(HTTP_GET, "/activities/new", web_activity_new, FIELD_WRITE),
	ROUTE(HTTP_POST, "/activities", web_activity_create, FIELD_WRITE),
	ROUTE(HTTP_GET, "/activities/{id}", web_activity_show, FIELD_READ),
	ROUTE(HTTP_POST, "/activities/{id}/photos", web_activity_photo_add, FIELD_WRITE),
	ROUTE(HTTP_POST, "/activities/{id}/edit", web_activity_edit, FIELD_WRITE),
	ROUTE(HTTP_POST, "/activities/{id}/retire", web_activity_retire, FIELD_WRITE),
	ROUTE(HTTP_POST, "/activities/{id}/followups/{fid}/done", web_activity_followup_done,
	      FIELD_WRITE),
	ROUTE(HTTP_GET, "/activities/{id}/photos/{pid}", web_activity_photo, FIELD_READ),
	ROUTE(HTTP_POST, "/activities/{id}/agenda/{case_id}", web_activity_decide, FIELD_WRITE),
	ROUTE(HTTP_GET, "/admin/activity-types", web_activity_types, ADMIN),
	ROUTE(HTTP_POST, "/admin/activity-types", web_activity_type_save, ADMIN),
	ROUTE(HTTP_GET, "/visits/new", web_visit_form, FIELD_WRITE),
	ROUTE(HTTP_POST, "/visits/new", web_visit_submit, FIELD_WRITE),
	ROUTE(HTTP_GET, "/visits/{id}/grievances", web_visit_more_form, FIELD_WRITE),
	ROUTE(HTTP_POST, "/visits/{id}/grievances", web_visit_more_submit, FIELD_WRITE),
	ROUTE(HTTP_GET, "/grants", web_grants, FIELD_READ),
	ROUTE(HTTP_GET, "/grants.csv", web_grants, FIELD_READ),
	ROUTE(HTTP_GET, "/grants.xlsx", web_grants, FIELD_READ),
	ROUTE(HTTP_GET, "/grants/new", web_grant_new, FIELD_WRITE),
	ROUTE(HTTP_POST, "/grants", web_grant_create, FIELD_WRITE),
	ROUTE(HTTP_GET, "/grants/{id}", web_grant_show, FIELD_READ),
	ROUTE(HTTP_POST, "/grants/{id}/status", web_grant_status, FIELD_WRITE),
	ROUTE(HTTP_GET, "/comm", web_comm, FIELD_READ),
	ROUTE(HTTP_GET, "/comm.csv", web_comm, FIELD_READ),
	ROUTE(HTTP_GET, "/comm.xlsx", web_comm, FIELD_READ),
	ROUTE(HTTP_GET, "/comm/new", web_comm_new, FIELD_WRITE),
	ROUTE(HTTP_POST, "/comm", web_comm_create, FIELD_WRITE),
	/* end of field work */

	/* program performance: the pledge card, dashboards, program editing (issue 5) */
	ROUTE(HTTP_GET, "/card", web_card, CARD_READ),
	ROUTE(HTTP_GET, "/card.xlsx", web_card_xlsx, CARD_READ),
	ROUTE(HTTP_GET, "/card/snapshots", web_card_snapshots, CARD_READ),
	ROUTE(HTTP_GET, "/card/photos", web_card_photos, ROLE_LEADER),
	ROUTE(HTTP_POST, "/card/photos", web_card_photos_save, ROLE_LEADER),
	ROUTE(HTTP_POST, "/card/snapshots", web_card_publish, ROLE_LEADER),
	ROUTE(HTTP_GET, "/card/snapshots/{id}", web_card_snapshot, CARD_READ),
	ROUTE(HTTP_GET, "/dashboard", web_dashboard, ROLE_EXECUTIVE | ROLE_LEADER),
	ROUTE(HTTP_GET, "/progress", web_progress, ROLE_LEADER | ROLE_EXECUTIVE),
	ROUTE(HTTP_GET, "/week", web_week, ROLE_LEADER | ROLE_EXECUTIVE | ROLE_ADMIN),
	ROUTE(HTTP_GET, "/progress.xlsx", web_progress_xlsx, ROLE_LEADER | ROLE_EXECUTIVE),
	ROUTE(HTTP_POST, "/progress/signoff", web_progress_signoff, ROLE_LEADER),
	ROUTE(HTTP_POST, "/progress/signoff/withdraw", web_progress_signoff_withdraw, ROLE_LEADER),
	ROUTE(HTTP_GET, "/program", web_program, ROLE_LEADER),
	ROUTE(HTTP_POST, "/programs", web_program_create, ROLE_LEADER),
	ROUTE(HTTP_POST, "/program/header", web_program_header, ROLE_LEADER),
	ROUTE(HTTP_POST, "/program/contacts", web_program_contact, ROLE_LEADER),
	ROUTE(HTTP_POST, "/program/targets", web_program_target, ROLE_LEADER),
	ROUTE(HTTP_POST, "/program/budget", web_program_budget, ROLE_LEADER),
	ROUTE(HTTP_GET, "/program/budget.csv", web_program_budget_export, ROLE_LEADER | ROLE_EXECUTIVE),
	ROUTE(HTTP_GET, "/program/budget.xlsx", web_program_budget_export, ROLE_LEADER | ROLE_EXECUTIVE),
	ROUTE(HTTP_GET, "/program/executions.csv", web_program_executions_export,
	      ROLE_LEADER | ROLE_EXECUTIVE),
	ROUTE(HTTP_GET, "/program/executions.xlsx", web_program_executions_export,
	      ROLE_LEADER | ROLE_EXECUTIVE),
	ROUTE(HTTP_GET, "/program/executions", web_program_executions, ROLE_LEADER | ROLE_EXECUTIVE),
	ROUTE(HTTP_POST, "/program/executions", web_program_execution, ROLE_LEADER),
	ROUTE(HTTP_POST, "/program/executions/{id}/correct", web_program_execution_correct,
	      ROLE_LEADER),
	ROUTE(HTTP_POST, "/program/executions/{id}/retire", web_program_execution_retire,
	      ROLE_LEADER),
	ROUTE(HTTP_POST, "/program/roadmap", web_program_roadmap, ROLE_LEADER),
	ROUTE(HTTP_POST, "/program/assessment", web_program_assessment, ROLE_LEADER),
	ROUTE(HTTP_POST, "/program/plans", web_program_plan, ROLE_LEADER),
	/* end of program performance */

	/* The companies' own door (issue 10): open to anyone, no sign-in; and
	 * its staff side (survey links, rounds, confirming a company filed online). */
	ROUTE(HTTP_GET, "/request", web_request_form, ROLE_PUBLIC),
	ROUTE(HTTP_POST, "/request", web_request_submit, ROLE_PUBLIC),
	ROUTE(HTTP_GET, "/request/status", web_request_status_form, ROLE_PUBLIC),
	ROUTE(HTTP_POST, "/request/status", web_request_status, ROLE_PUBLIC),
	ROUTE(HTTP_GET, "/survey/{token}", web_survey_form, ROLE_PUBLIC),
	ROUTE(HTTP_POST, "/survey/{token}", web_survey_submit, ROLE_PUBLIC),
	ROUTE(HTTP_POST, "/cases/{id}/survey", web_case_survey, CASE_WRITE),
	ROUTE(HTTP_GET, "/surveys", web_surveys, ROLE_STAFF | ROLE_LEADER | ROLE_EXECUTIVE),
	ROUTE(HTTP_GET, "/surveys.csv", web_surveys, ROLE_STAFF | ROLE_LEADER | ROLE_EXECUTIVE),
	ROUTE(HTTP_GET, "/surveys.xlsx", web_surveys, ROLE_STAFF | ROLE_LEADER | ROLE_EXECUTIVE),
	ROUTE(HTTP_POST, "/surveys/rounds", web_survey_round, ROLE_LEADER),
	ROUTE(HTTP_POST, "/companies/{id}/confirm", web_company_confirm, COMPANY_EDIT),
	/* end of the companies' door */
};
/* clang-format on */

const size_t web_route_count = BZ_ARRAY_LEN(web_routes);

/* Requests that hash a password (argon2id, ~100 ms and 64 MiB each): the
 * daemon runs them on its few sign-in threads, never on a request thread. */
bool web_route_is_slow(enum http_method method, const char *path)
{
	return method == HTTP_POST &&
	       (strcmp(path, "/login") == 0 || strcmp(path, "/account/password") == 0 ||
	        strcmp(path, "/admin/users") == 0);
}

bool web_route_allows(int role, enum http_method method, const char *href)
{
	char path[256];
	size_t n = strcspn(href, "?#");
	if (n >= sizeof(path))
		return false;
	memcpy(path, href, n);
	path[n] = '\0';
	int status;
	const struct route *r = router_match(method, path, NULL, &status);
	return r && ((r->roles & ROLE_PUBLIC) || (r->roles & role));
}
