/* The leader's week (/week): this week's new, closed and due cases, the
 * overdue backlog with why each is late, load per staff member and per
 * department, and the flagged lists; printable on A4 (print CSS). The model
 * comes from src/domain/week.c; the JSON face is the same model. */
#include "bizsos/kst.h"
#include "bizsos/web.h"
#include "bizsos/week.h"
#include "bizsos/workday.h"

void web_week(struct request *rq, struct response *rs)
{
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	json_t *m = NULL;
	if (week_model(rq->db, &rq->user, today, &m) != BZ_OK) {
		web_error(rs, 500, "internal",
		          "주간 점검 화면을 만들지 못했습니다. 잠시 후 다시 시도해 주세요.");
		return;
	}
	web_page(rs, "week/show", "주간 점검", m);
}
