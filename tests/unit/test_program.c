/* The program module on a fresh database: the header, its contacts, roadmap
 * tasks, self-assessment items and next plans (added, edited, retired, each
 * with its history row), targets, and what bad input gets. */
#include "harness.h"

#include "bizsos/program.h"
#include "bizsos/store.h"

#include <string.h>

static struct db *db;
static const struct user leader = {.id = 0, .role = ROLE_LEADER};

/* The newest history row of an object kind. */
static json_t *last_event(const char *object)
{
	json_t *ev = NULL;
	if (program_events(db, PROGRAM_SOS_ID, object, 0, 1, &ev) != BZ_OK)
		return NULL;
	json_t *e = json_incref(json_array_get(ev, 0));
	json_decref(ev);
	return e;
}

static void contacts(void)
{
	json_t *f = json_object(), *p = NULL, *e;
	CHECK_INT(program_contact_save(db, &leader, PROGRAM_SOS_ID, 0, "팀장", "김담당", "031-123",
	                               false, f),
	          BZ_OK);
	CHECK_INT(program_get(db, PROGRAM_SOS_ID, &p), BZ_OK);
	json_t *cs = json_object_get(p, "contacts");
	json_t *c = json_array_get(cs, json_array_size(cs) - 1);
	CHECK_STR(t_str(c, "name"), "김담당");
	int64_t id = json_integer_value(json_object_get(c, "id"));
	int64_t v1 = json_integer_value(json_object_get(p, "version"));
	json_decref(p);
	e = last_event("contact");
	CHECK_STR(t_str(e, "kind"), "create");
	CHECK_STR(t_str(e, "new"), "팀장 김담당 ☎031-123");
	json_decref(e);

	CHECK_INT(program_contact_save(db, &leader, PROGRAM_SOS_ID, id, "과장", "김담당", "031-123",
	                               false, f),
	          BZ_OK);
	e = last_event("contact");
	CHECK_STR(t_str(e, "kind"), "update");
	CHECK_STR(t_str(e, "old"), "팀장 김담당 ☎031-123");
	CHECK_STR(t_str(e, "new"), "과장 김담당 ☎031-123");
	json_decref(e);
	CHECK_INT(program_get(db, PROGRAM_SOS_ID, &p), BZ_OK);
	CHECK(json_integer_value(json_object_get(p, "version")) > v1,
	      "a contact change bumps the program's version");
	json_decref(p);

	/* bad input: every field named, nothing written */
	CHECK_INT(
	    program_contact_save(db, &leader, PROGRAM_SOS_ID, 0, " ", "", "010-abc", false, f),
	    BZ_ERR_INVALID);
	CHECK(json_object_get(f, "title") && json_object_get(f, "name") &&
	          json_object_get(f, "phone"),
	      "title, name and phone explained");
	json_object_clear(f);
	CHECK_INT(program_contact_save(db, &leader, 9999, 0, "팀장", "이", "1", false, f),
	          BZ_ERR_NOTFOUND);
	CHECK_INT(program_contact_save(db, &leader, PROGRAM_SOS_ID, 0, NULL, NULL, NULL, true, f),
	          BZ_ERR_NOTFOUND);

	CHECK_INT(program_contact_save(db, &leader, PROGRAM_SOS_ID, id, NULL, NULL, NULL, true, f),
	          BZ_OK);
	e = last_event("contact");
	CHECK_STR(t_str(e, "kind"), "retire");
	CHECK_STR(t_str(e, "new"), "");
	json_decref(e);
	CHECK_INT(program_get(db, PROGRAM_SOS_ID, &p), BZ_OK);
	cs = json_object_get(p, "contacts");
	size_t i;
	json_array_foreach(cs, i, c)
	    CHECK(json_integer_value(json_object_get(c, "id")) != id, "a retired contact is gone");
	json_decref(p);
	CHECK_INT(program_contact_save(db, &leader, PROGRAM_SOS_ID, id, NULL, NULL, NULL, true, f),
	          BZ_ERR_NOTFOUND);
	json_decref(f);
}

static int64_t last_id(json_t *a)
{
	return json_integer_value(json_object_get(json_array_get(a, json_array_size(a) - 1), "id"));
}

static void roadmap(void)
{
	json_t *f = json_object(), *a = NULL, *e;
	json_t *before = last_event("roadmap_task");
	CHECK_INT(roadmap_task_save(db, &leader, PROGRAM_SOS_ID, 0, "현장 방문 체계", "2024-Q1",
	                            "2024-Q4", false, "ongoing", false, f),
	          BZ_OK);
	CHECK_INT(roadmap_tasks(db, PROGRAM_SOS_ID, &a), BZ_OK);
	int64_t id = last_id(a);
	CHECK_STR(t_str(json_array_get(a, json_array_size(a) - 1), "status_label"), "추진중");
	json_decref(a);
	e = last_event("roadmap_task");
	CHECK_STR(t_str(e, "new"), "현장 방문 체계 (2024-Q1 ~ 2024-Q4, 추진중)");
	int64_t eid = json_integer_value(json_object_get(e, "object_id"));
	CHECK_INT(eid, id);
	json_decref(e);
	json_decref(before);

	/* an edit that changes nothing writes no history */
	CHECK_INT(roadmap_task_save(db, &leader, PROGRAM_SOS_ID, id, "현장 방문 체계", "2024-Q1",
	                            "2024-Q4", false, "ongoing", false, f),
	          BZ_OK);
	json_t *all = NULL;
	CHECK_INT(program_events(db, PROGRAM_SOS_ID, "roadmap_task", id, 10, &all), BZ_OK);
	CHECK_INT(json_array_size(all), 1);
	json_decref(all);

	CHECK_INT(roadmap_task_save(db, &leader, PROGRAM_SOS_ID, id, "현장 방문 체계", "2024-Q1",
	                            "2025-Q2", true, "done", false, f),
	          BZ_OK);
	e = last_event("roadmap_task");
	CHECK_STR(t_str(e, "kind"), "update");
	CHECK_STR(t_str(e, "new"), "현장 방문 체계 (2024-Q1 ~ 2025-Q2, 임기후, 완료)");
	json_decref(e);

	CHECK_INT(roadmap_task_save(db, &leader, PROGRAM_SOS_ID, 0, "", "2024-Q9", "2023-Q1", false,
	                            "maybe", false, f),
	          BZ_ERR_INVALID);
	CHECK(json_object_get(f, "title") && json_object_get(f, "first_quarter") &&
	          json_object_get(f, "status"),
	      "title, quarter and status explained");
	json_object_clear(f);
	CHECK_INT(roadmap_task_save(db, &leader, PROGRAM_SOS_ID, 0, "x", "2024-Q3", "2024-Q1",
	                            false, "planned", false, f),
	          BZ_ERR_INVALID);
	CHECK_STR(t_str(f, "last_quarter"), "종료 분기가 시작 분기보다 앞설 수 없습니다.");
	json_object_clear(f);

	CHECK_INT(roadmap_task_save(db, &leader, PROGRAM_SOS_ID, id, NULL, NULL, NULL, false, NULL,
	                            true, f),
	          BZ_OK);
	CHECK_INT(roadmap_tasks(db, PROGRAM_SOS_ID, &a), BZ_OK);
	CHECK(last_id(a) != id, "the retired task is gone");
	json_decref(a);
	json_decref(f);
}

static void assessment(void)
{
	json_t *f = json_object(), *o = NULL, *e;
	CHECK_INT(self_assessment_save(db, &leader, PROGRAM_SOS_ID, 0, 2025, "went_well", 0,
	                               "처리기간 단축", false, f),
	          BZ_OK);
	CHECK_INT(self_assessment(db, PROGRAM_SOS_ID, 2025, &o), BZ_OK);
	json_t *top = json_array_get(json_object_get(o, "went_well"), 0);
	int64_t top_id = json_integer_value(json_object_get(top, "id"));
	CHECK_STR(t_str(top, "body"), "처리기간 단축");
	json_decref(o);
	e = last_event("self_assessment");
	CHECK_STR(t_str(e, "field"), "went_well");
	CHECK_STR(t_str(e, "new"), "처리기간 단축");
	json_decref(e);

	CHECK_INT(self_assessment_save(db, &leader, PROGRAM_SOS_ID, 0, 2025, "went_well", top_id,
	                               "평균 12일 → 8일", false, f),
	          BZ_OK);
	CHECK_INT(self_assessment(db, PROGRAM_SOS_ID, 2025, &o), BZ_OK);
	top = json_array_get(json_object_get(o, "went_well"), 0);
	CHECK_INT(json_array_size(json_object_get(top, "subs")), 1);
	json_decref(o);

	/* a parent of another kind is refused, nothing written */
	CHECK_INT(self_assessment_save(db, &leader, PROGRAM_SOS_ID, 0, 2025, "improvement", top_id,
	                               "x", false, f),
	          BZ_ERR_INVALID);
	CHECK_STR(t_str(f, "parent_id"), "상위 항목이 올바르지 않습니다.");
	json_object_clear(f);
	CHECK_INT(
	    self_assessment_save(db, &leader, PROGRAM_SOS_ID, 0, 1999, "bad", 0, "", false, f),
	    BZ_ERR_INVALID);
	CHECK(json_object_get(f, "year") && json_object_get(f, "kind") &&
	          json_object_get(f, "body"),
	      "year, kind and body explained");
	json_object_clear(f);

	CHECK_INT(self_assessment_save(db, &leader, PROGRAM_SOS_ID, top_id, 0, NULL, 0,
	                               "처리기간 단축(평균)", false, f),
	          BZ_OK);
	e = last_event("self_assessment");
	CHECK_STR(t_str(e, "old"), "처리기간 단축");
	CHECK_STR(t_str(e, "new"), "처리기간 단축(평균)");
	json_decref(e);

	/* retiring a top item retires its sub-items with it */
	CHECK_INT(self_assessment_save(db, &leader, PROGRAM_SOS_ID, top_id, 0, "went_well", 0, NULL,
	                               true, f),
	          BZ_OK);
	CHECK_INT(self_assessment(db, PROGRAM_SOS_ID, 2025, &o), BZ_OK);
	CHECK_INT(json_array_size(json_object_get(o, "went_well")), 0);
	json_decref(o);
	json_decref(f);
}

static void plans(void)
{
	json_t *f = json_object(), *a = NULL, *e;
	CHECK_INT(next_plans(db, PROGRAM_SOS_ID, &a), BZ_OK);
	size_t seeded = json_array_size(a);
	json_decref(a);
	CHECK_INT(next_plan_save(db, &leader, PROGRAM_SOS_ID, 0, "2026년 상반기", "2026-01-01",
	                         "2026-06-30", "찾아가는 간담회 4회", false, f),
	          BZ_OK);
	CHECK_INT(next_plans(db, PROGRAM_SOS_ID, &a), BZ_OK);
	int64_t id = last_id(a);
	json_decref(a);
	e = last_event("next_plan");
	CHECK_STR(t_str(e, "new"), "2026년 상반기 : 찾아가는 간담회 4회");
	json_decref(e);
	CHECK_INT(next_plan_save(db, &leader, PROGRAM_SOS_ID, id, "2026년 상반기", "2026-01-01",
	                         "2026-06-30", "찾아가는 간담회 6회", false, f),
	          BZ_OK);
	e = last_event("next_plan");
	CHECK_STR(t_str(e, "old"), "2026년 상반기 : 찾아가는 간담회 4회");
	CHECK_STR(t_str(e, "kind"), "update");
	json_decref(e);
	CHECK_INT(next_plan_save(db, &leader, PROGRAM_SOS_ID, 0, "", "2026-02-30", "2025-01-01", "",
	                         false, f),
	          BZ_ERR_INVALID);
	CHECK(json_object_get(f, "period_label") && json_object_get(f, "starts_on") &&
	          json_object_get(f, "plan"),
	      "label, start and plan explained");
	json_object_clear(f);
	CHECK_INT(next_plan_save(db, &leader, PROGRAM_SOS_ID, 0, "하반기", "2026-07-01",
	                         "2026-06-01", "x", false, f),
	          BZ_ERR_INVALID);
	CHECK_STR(t_str(f, "ends_on"), "종료일이 시작일보다 앞설 수 없습니다.");
	json_object_clear(f);
	CHECK_INT(next_plan_save(db, &leader, PROGRAM_SOS_ID, id, NULL, NULL, NULL, NULL, true, f),
	          BZ_OK);
	CHECK_INT(next_plans(db, PROGRAM_SOS_ID, &a), BZ_OK);
	CHECK_INT(json_array_size(a), seeded);
	json_decref(a);
	json_decref(f);
}

int main(void)
{
	db = t_fresh_db("program.db");
	if (db == NULL)
		return t_done();
	contacts();
	roadmap();
	assessment();
	plans();
	db_close(db);
	t_cleanup();
	return t_done();
}
