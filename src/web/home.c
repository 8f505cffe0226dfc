/* The home page: what each role comes to do, one click away. */
#include "bizsos/web.h"

struct card {
	int roles;
	const char *title;
	const char *body;
	const char *href;
	const char *action;
};

static const struct card cards[] = {
    {ROLE_STAFF, "현장 방문 기록",
     "기업 현장을 방문한 뒤 방문 내용과 애로사항을 한 번에 기록합니다.", "/visits/new",
     "방문 기록하기"},
    {ROLE_STAFF | ROLE_LEADER, "내 기업애로", "처리 기한이 가까운 순서로 내 사건을 봅니다.",
     "/cases", "기업애로 보기"},
    {ROLE_LEADER, "분기 추진 현황", "목표 대비 처리 실적과 지연 사건을 분기별로 점검합니다.",
     "/progress", "분기 추진 현황 보기"},
    {ROLE_LEADER | ROLE_EXECUTIVE, "공약 이행 카드",
     "활동·사건·예산 기록에서 실시간으로 집계한 공약 이행 카드를 보고 인쇄합니다.", "/card",
     "카드 보기"},
    {ROLE_EXECUTIVE, "집행률 현황", "재원별 예산 계획·확보·집행과 목표 대비 실적을 봅니다.",
     "/dashboard", "집행률 현황 보기"},
    {ROLE_DEPARTMENT, "협조 요청 사건", "우리 부서로 이송·협조 요청된 기업애로에 답변합니다.", "/",
     "준비 중"},
    {ROLE_ADMIN, "사용자 관리", "사용자를 추가하고 역할을 바꾸거나 사용을 중지합니다.",
     "/admin/users", "사용자 관리"},
    {ROLE_ADMIN, "감사 기록", "사용자 추가, 권한 변경, 계정 잠금 기록을 봅니다.", "/admin/audit",
     "감사 기록 보기"},
    {ROLE_ANY_USER, "비밀번호 변경", "내 비밀번호를 바꿉니다.", "/account/password",
     "비밀번호 변경"},
};

void web_home(struct request *rq, struct response *rs)
{
	json_t *list = json_array();
	for (size_t i = 0; i < BZ_ARRAY_LEN(cards); i++) {
		if (!(cards[i].roles & rq->user.role))
			continue;
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}", "title",
		                                      cards[i].title, "body", cards[i].body, "href",
		                                      cards[i].href, "action", cards[i].action));
	}
	char greeting[USER_NAME_MAX + 64];
	snprintf(greeting, sizeof(greeting), "%s %s님, 안녕하세요.", rq->user.name,
	         role_label_ko(rq->user.role));
	web_page(rs, "home", "홈",
	         json_pack("{s:s, s:s, s:o, s:[]}", "greeting", greeting, "role",
	                   role_name(rq->user.role), "cards", list, "stats"));
}
