/* Pages of the program's performance (src/web/card.c, dashboard.c,
 * progress.c, program.c): the pledge card and its published copies, the
 * executive dashboard, the leader's quarterly progress page, and the
 * leader's editing pages for the program (header, targets, budget,
 * roadmap, self-assessment, next plans). */
#ifndef BIZSOS_WEB_PROGRAM_H
#define BIZSOS_WEB_PROGRAM_H

#include "bizsos/http.h"

void web_card(struct request *rq, struct response *rs);
void web_card_xlsx(struct request *rq, struct response *rs);
void web_card_publish(struct request *rq, struct response *rs);
void web_card_snapshots(struct request *rq, struct response *rs);
void web_card_snapshot(struct request *rq, struct response *rs);
/* GET /card/photos?program=&as_of=2024-Q3 (leader): the form choosing the
 * card's photos of the quarter; POST saves the choice (pick_<id>, sort_<id>,
 * caption_<id>; none picked: back to the latest four), audited, and goes back
 * to the card; 422 with the form and its errors. */
void web_card_photos(struct request *rq, struct response *rs);
void web_card_photos_save(struct request *rq, struct response *rs);
void web_dashboard(struct request *rq, struct response *rs);
void web_progress(struct request *rq, struct response *rs);
void web_progress_xlsx(struct request *rq, struct response *rs);
void web_progress_signoff(struct request *rq, struct response *rs);
void web_progress_signoff_withdraw(struct request *rq, struct response *rs);
void web_program(struct request *rq, struct response *rs);
void web_program_create(struct request *rq, struct response *rs);
void web_program_header(struct request *rq, struct response *rs);
void web_program_contact(struct request *rq, struct response *rs);
void web_program_target(struct request *rq, struct response *rs);
void web_program_budget(struct request *rq, struct response *rs);
void web_program_execution(struct request *rq, struct response *rs);
void web_program_execution_retire(struct request *rq, struct response *rs);
/* GET /program/executions (?program, year, source, line, grant, retired=1,
 * page): every execution entry, filtered, 50 a page, with the filtered total;
 * the leader cancels and corrects there. Bad filter values are ignored with
 * a notice. */
void web_program_executions(struct request *rq, struct response *rs);
/* POST /program/executions/{id}/correct: retire the entry and record the
 * corrected one, linked; 422 with the row's form open and values kept. */
void web_program_execution_correct(struct request *rq, struct response *rs);
void web_program_roadmap(struct request *rq, struct response *rs);
void web_program_assessment(struct request *rq, struct response *rs);
void web_program_plan(struct request *rq, struct response *rs);

/* Shared by those handlers: the program named by ?program= (or the form's
 * program field), PROGRAM_SOS_ID when absent; 0 (rs filled with 400) when
 * malformed. */
int64_t web_program_id(struct request *rq, struct response *rs);
/* Year and quarter from ?year=&quarter= (or ?as_of=2024-Q3); when absent,
 * *year stays 0. false (rs filled with 400) when malformed. */
bool web_program_quarter(struct request *rq, struct response *rs, int *year, int *quarter);
/* The quarters of the program's term (program: its model, with first_quarter
 * and last_quarter), newest first: [{value "2024-Q3", label, selected}]. */
json_t *web_quarter_options(json_t *program, int year, int quarter);
/* Answers with the XLSX of m (xlsx_card when card, else xlsx_progress) as an
 * attachment called name, "Cache-Control: private, no-store" when no_store;
 * takes m. 500 when the file cannot be made. */
void web_program_send_xlsx(struct request *rq, struct response *rs, json_t *m, bool card,
                           const char *name, bool no_store);

/* GET /program/budget.csv|.xlsx and /program/executions.csv|.xlsx
 * (?program=, executions also ?year=): the budget lines and every execution
 * entry of a program as files. */
void web_program_budget_export(struct request *rq, struct response *rs);
void web_program_executions_export(struct request *rq, struct response *rs);
/* m.downloads = {budget_csv, budget_xlsx, executions_csv, executions_xlsx}. */
void web_program_budget_links(struct request *rq, json_t *m, int64_t id);

#endif
