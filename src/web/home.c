/* The home page: what each role comes for (include/bizsos/home.h builds the
 * lists), the quick links of the role, and a greeting. The JSON face
 * (GET /api/v1/) carries the same lists. */
#include "web_public.h"
#include "bizsos/home.h"
#include "bizsos/kst.h"
#include "bizsos/web.h"
#include "bizsos/workday.h"

#include <stdio.h>

/* Quick links ("바로 가기"), each shown to whoever the route table lets open
 * its href; roles (0: no more) narrows a link to the users it is for. */
struct link {
	int roles;
	const char *title;
	const char *body;
	const char *href;
};

static const struct link links[] = {
    {0, "기업애로 접수", "전화·내방·공문으로 받은 애로를 바로 접수합니다.", "/cases/new"},
    {ROLE_STAFF, "내 사건 전체", "내가 담당하거나 접수한 처리 중 사건을 모두 봅니다.",
     "/cases?status=open&mine=1&sort=due"},
    {ROLE_STAFF | ROLE_LEADER, "활동 기록", "현장방문·간담회·회의 기록과 달력을 봅니다.",
     "/activities"},
    {ROLE_LEADER, "기한 지난 사건", "처리 기한이 지났는데 아직 종결되지 않은 사건입니다.",
     "/cases/overdue"},
    {ROLE_LEADER | ROLE_EXECUTIVE, "주간 점검",
     "이번 주 접수·종결·기한 도래, 지연 사유, 담당자·부서별 업무량을 봅니다(A4 인쇄).", "/week"},
    {0, "분기 추진 현황", "목표 대비 처리 실적과 지연 사건을 분기별로 점검합니다.", "/progress"},
    {ROLE_LEADER | ROLE_EXECUTIVE | ROLE_STAFF, "공약 이행 카드",
     "활동·사건·예산 기록에서 실시간으로 집계한 카드를 보고 인쇄합니다.", "/card"},
    {0, "집행률 현황", "재원별 예산 계획·확보·집행과 목표 대비 실적을 봅니다.", "/dashboard"},
    {0, "사업 관리", "목표·예산·로드맵·자체평가를 고칩니다.", "/program"},
    {ROLE_DEPARTMENT, "우리 부서 사건 전체",
     "우리 부서로 이관·협조 요청된 기업애로를 모두 봅니다. 내 담당이 먼저 나옵니다.",
     "/cases?sort=due"},
    {0, "사용자 관리", "사용자를 추가하고 역할을 바꾸거나 사용을 중지합니다.", "/admin/users"},
    {0, "부서·기관", "사건을 이관할 부서와 외부 기관을 관리합니다.", "/admin/departments"},
    {0, "공휴일", "처리 기한 계산에서 빼는 공휴일을 관리합니다.", "/admin/holidays"},
    {0, "애로 분야", "애로 분야와 분야별 처리 기간을 관리합니다.", "/admin/categories"},
    {0, "활동 종류", "활동 종류와 카드의 추진실적 행을 관리합니다.", "/admin/activity-types"},
    {0, "감사 기록", "사용자 추가, 권한 변경, 계정 잠금 기록을 봅니다.", "/admin/audit"},
    {0, "비밀번호 변경", "내 비밀번호를 바꿉니다.", "/account/password"},
};

/* The case lists of a role, in page order, with their headings: the
 * template draws them all with one block (the browser face only). */
static const struct {
	int roles;
	const char *key;
	const char *heading;
	const char *note;
	const char *empty_text;
} case_lists[] = {
    {ROLE_STAFF, "my_recent", "최근 접수한 내 사건",
     "방문 기록이나 접수로 새로 만들어진 사건을 최근 것부터 보여 줍니다.",
     "최근 접수한 사건이 없습니다."},
    {ROLE_STAFF, "my_cases", "처리 중인 내 사건",
     "내가 담당하거나 접수한 사건을 처리 기한이 가까운 순서(기한 지난 건 먼저)로 보여 줍니다.",
     "처리 중인 내 사건이 없습니다. 현장에서 애로를 들으면 ‘현장 방문 기록’으로 남기면 "
     "사건이 함께 만들어집니다."},
    {ROLE_LEADER, "red", "긴급 표시된 처리 중 사건", NULL, "긴급 표시된 처리 중 사건이 없습니다."},
    {ROLE_LEADER, "unassigned", "담당자를 기다리는 사건", NULL,
     "처리 중인 사건은 모두 담당자가 정해져 있습니다."},
    {ROLE_LEADER, "bounced", "3회 이상 재배정·반송된 사건",
     "담당자가 세 번 이상 바뀌었거나 부서에서 세 번 이상 반송된 사건입니다.",
     "여러 번 재배정되거나 반송된 처리 중 사건이 없습니다."},
};

static json_t *case_lists_view(const struct request *rq, json_t *m)
{
	json_t *a = json_array();
	for (size_t i = 0; i < BZ_ARRAY_LEN(case_lists); i++) {
		json_t *sec = json_object_get(m, case_lists[i].key);
		if (!(case_lists[i].roles & rq->user.role) || !json_is_object(sec))
			continue;
		json_t *o = json_deep_copy(sec);
		json_object_set_new(o, "key", json_string(case_lists[i].key));
		json_object_set_new(o, "heading", json_string(case_lists[i].heading));
		json_object_set_new(
		    o, "note", case_lists[i].note ? json_string(case_lists[i].note) : json_null());
		json_object_set_new(o, "empty_text", json_string(case_lists[i].empty_text));
		json_array_append_new(a, o);
	}
	return a;
}

void web_home(struct request *rq, struct response *rs)
{
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	json_t *m = NULL;
	if (home_model(rq->db, &rq->user, today, &m) != BZ_OK) {
		web_error(rs, 500, "internal",
		          "홈 화면을 만들지 못했습니다. 잠시 후 다시 시도해 주세요.");
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < BZ_ARRAY_LEN(links); i++) {
		if ((links[i].roles && !(links[i].roles & rq->user.role)) ||
		    !web_route_allows(rq->user.role, HTTP_GET, links[i].href))
			continue;
		json_array_append_new(list,
		                      json_pack("{s:s, s:s, s:s}", "title", links[i].title, "body",
		                                links[i].body, "href", links[i].href));
	}
	char greeting[USER_NAME_MAX + 64];
	snprintf(greeting, sizeof(greeting), "%s %s님, 안녕하세요.", rq->user.name,
	         role_label_ko(rq->user.role));
	const char *role = role_name(rq->user.role);
	json_object_set_new(m, "greeting", json_string(greeting));
	json_object_set_new(m, "role", json_string(role));
	json_object_set_new(m, "today", json_string(today));
	json_object_set_new(m, "cards", list);
	/* one flag per role, for the template's sections */
	char flag[32];
	snprintf(flag, sizeof(flag), "is_%s", role);
	json_object_set_new(m, flag, json_true());
	if (!rq->api)
		json_object_set_new(m, "case_lists", case_lists_view(rq, m));
	if (web_public_home_hook(rq, m) != BZ_OK) { /* online requests waiting for someone */
		json_decref(m);
		web_error(rs, 500, "internal", "홈 화면을 만들지 못했습니다.");
		return;
	}
	web_page(rs, "home", "홈", m);
}

void web_favicon(struct request *rq, struct response *rs)
{
	(void)rq;
	web_redirect(rs, "/static/img/favicon.svg");
}
