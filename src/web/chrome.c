/* The page chrome every HTML page gets around its view model. */
#include "bizsos/app.h"
#include "bizsos/notify.h"
#include "bizsos/web.h"

#include <string.h>

struct nav_item {
	const char *href;
	const char *label;
};

/* The side navigation; an item shows only to roles its route allows. */
static const struct nav_item nav_items[] = {
    {"/", "홈"},
    {"/companies", "기업"},
    {"/cases", "기업애로"},
    {"/cases/overdue", "기한 지난 애로"},
    {"/visits/new", "기업소통 Day 방문 기록"},
    {"/activities", "활동 기록"},
    {"/grants", "환경개선사업"},
    {"/comm", "시민소통"},
    {"/surveys", "만족도 조사"},
    {"/card", "공약 이행 카드"},
    {"/dashboard", "집행률 현황"},
    {"/progress", "분기 추진 현황"},
    {"/week", "주간 점검"},
    {"/program", "사업 관리"},
    {"/admin/users", "사용자 관리"},
    {"/admin/audit", "감사 기록"},
    {"/admin/tokens", "API 토큰 관리"},
    {"/admin/privacy", "개인정보 접속기록"},
    {"/admin/rights", "권한 변경 이력"},
    {"/admin/operations", "백업·운영 상태"},
    {"/admin/departments", "부서·기관 관리"},
    {"/admin/holidays", "휴일 관리"},
    {"/admin/documents", "공문 서식"},
    {"/admin/categories", "애로 분야 관리"},
    {"/admin/activity-types", "활동 유형 관리"},
    {"/admin/outbox", "발송함"},
    {"/admin/templates", "통지 문안"},
    {"/notifications", "알림"},
    {"/account/password", "비밀번호 변경"},
    {"/account/sessions", "내 접속 세션"},
    {"/account/totp", "2단계 인증"},
    {"/account/tokens", "내 API 토큰"},
};

struct flash_msg {
	const char *key;
	const char *message;
};

static const struct flash_msg flash_msgs[] = {
    {"signed_out", "로그아웃했습니다."},
    {"token_revoked", "API 토큰을 폐기했습니다. 이 토큰으로는 더 이상 접속할 수 없습니다."},
    {"signed_in", "로그인했습니다."},
    {"expired", "오래 사용하지 않아 로그아웃되었습니다. 다시 로그인해 주세요."},
    {"password_changed", "비밀번호를 바꿨습니다. 다른 기기의 로그인은 끝났고, 발급된 API "
                         "토큰은 모두 폐기되었습니다."},
    {"user_added", "사용자를 추가했습니다."},
    {"user_disabled", "사용자의 사용을 중지했습니다."},
    {"user_enabled", "사용자의 사용을 재개했습니다."},
    {"role_changed", "사용자의 역할을 바꿨습니다."},
    {"session_revoked", "접속 세션을 끊었습니다."},
    {"totp_disabled", "2단계 인증을 껐습니다."},
    {"mfa_expired", "로그인 시간이 지났습니다. 아이디와 비밀번호부터 다시 입력해 주세요."},
    {"privacy_reviewed", "월간 점검을 마쳤다고 기록했습니다."},
    {"backup_done", "백업을 만들고 무결성 검사를 마쳤습니다."},
    {"backup_failed", "백업에 실패했습니다. 서버 기록(journalctl -u bizsos)을 확인해 주세요."},
    {"activity_saved", "활동을 기록했습니다."},
    {"visit_saved", "방문 기록과 애로사항을 저장했습니다."},
    {"visit_replayed", "이미 저장된 방문 기록입니다. 같은 내용을 두 번 만들지 않았습니다."},
    {"visit_more_saved", "애로사항을 이 방문 기록에 추가로 접수했습니다."},
    {"photo_added", "사진을 올렸습니다."},
    {"letter_logged", "창립기념일 축하서한문 전달을 기록했습니다."},
    {"agenda_decided", "안건 결정을 기록하고 애로 사건에 반영했습니다."},
    {"activity_type_saved", "활동 유형을 저장했습니다."},
    {"grant_saved", "개선사업 신청을 등록했습니다."},
    {"grant_status", "개선사업 상태를 바꿨습니다."},
    {"comm_saved", "시민소통 기록을 저장했습니다."},
    {"company_created", "기업을 등록했습니다."},
    {"company_updated", "기업 정보를 저장했습니다."},
    {"contact_added", "담당자를 추가했습니다."},
    {"contact_retired", "담당자를 목록에서 뺐습니다."},
    {"department_added", "부서·기관을 추가했습니다."},
    {"department_retired", "부서·기관의 사용을 멈췄습니다."},
    {"department_restored", "부서·기관을 다시 사용합니다."},
    {"holiday_added", "휴일을 추가했습니다."},
    {"holiday_retired", "휴일을 지웠습니다."},
    {"case_created", "기업애로를 접수했습니다."},
    {"case_status", "사건 상태를 바꿨습니다."},
    {"case_saved", "저장했습니다."},
    {"case_assigned", "담당자를 지정했습니다."},
    {"case_referred", "부서에 이관했습니다."},
    {"referral_answered", "답변을 등록했습니다."},
    {"referral_returned", "이관 건을 반송했습니다."},
    {"case_extended", "처리 기한을 연장했습니다."},
    {"case_notified", "기업 통보를 기록했습니다."},
    {"case_note", "메모를 남겼습니다."},
    {"case_attached", "파일을 첨부했습니다."},
    {"case_merged", "사건을 병합했습니다."},
    {"case_edited", "사건 내용을 고쳤습니다. 바뀐 항목은 처리 이력에 남았습니다."},
    {"case_unchanged", "바뀐 내용이 없어 저장하지 않았습니다."},
    {"transfer_answered", "이송 기관의 회신을 기록했습니다."},
    {"referral_owner", "이관 담당자를 바꿨습니다."},
    {"category_saved", "애로 분야를 저장했습니다."},
    {"card_published", "카드를 게시했습니다. 게시된 카드는 바뀌지 않습니다."},
    {"card_photos_saved", "카드에 실을 사진을 저장했습니다."},
    {"quarter_signed", "분기 추진 현황을 확인했습니다."},
    {"signoff_withdrawn", "분기 확인을 철회했습니다. 사유와 함께 기록되었습니다."},
    {"program_saved", "저장했습니다. 변경 이력에 남았습니다."},
    {"execution_saved", "집행을 기록했습니다."},
    {"activity_updated", "활동 기록을 고쳤습니다. 변경 이력에 남았습니다."},
    {"activity_retired", "활동 기록을 취소했습니다. 사유와 함께 이력에 남았습니다."},
    {"followup_done", "후속 조치를 완료로 표시했습니다."},
    {"execution_cancelled", "집행 기록을 취소했습니다. 취소 사유와 함께 이력에 남았습니다."},
    {"execution_corrected",
     "집행 기록을 정정했습니다. 잘못된 기록은 취소로 남고 새 기록과 연결됩니다."},
    {"company_confirmed", "기업 정보를 확인했습니다. 미확인 표시를 없앴습니다."},
    {"notices_read", "알림을 모두 읽음으로 표시했습니다."},
    {"notify_saved", "알림 설정을 저장했습니다."},
    {"outbox_retry", "메시지를 다시 보내도록 대기열에 넣었습니다."},
    {"consent_saved", "담당자의 통지 동의를 기록했습니다."},
    {"template_saved", "통지 문안을 저장했습니다."},
};

static bool nav_visible(const struct request *rq, const char *href)
{
	int status;
	const struct route *r = router_match(HTTP_GET, href, NULL, &status);
	return r && ((r->roles & ROLE_PUBLIC) || (r->roles & rq->user.role));
}

static bool nav_active(const char *path, const char *href)
{
	size_t n = strlen(href);
	if (strcmp(href, "/") == 0)
		return strcmp(path, "/") == 0;
	return strncmp(path, href, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static json_t *flash_from_cookie(struct request *rq, struct response *rs)
{
	const char *v = kv_get(&rq->cookies, "bz_flash");
	if (v == NULL)
		return NULL;
	web_set_cookie(rs, rq, "bz_flash", "", 0);
	const char *dot = strchr(v, '.');
	if (dot == NULL)
		return NULL;
	char kind[16];
	size_t klen = (size_t)(dot - v);
	if (klen >= sizeof(kind))
		return NULL;
	memcpy(kind, v, klen);
	kind[klen] = '\0';
	if (strcmp(kind, "success") && strcmp(kind, "error") && strcmp(kind, "info"))
		return NULL;
	for (size_t i = 0; i < BZ_ARRAY_LEN(flash_msgs); i++)
		if (strcmp(flash_msgs[i].key, dot + 1) == 0)
			return json_pack("{s:s, s:s}", "kind", kind, "message",
			                 flash_msgs[i].message);
	return NULL;
}

json_t *web_chrome(struct request *rq, struct response *rs, json_t *model, const char *title)
{
	json_t *d = model ? json_copy(model) : json_object();
	if (d == NULL)
		return NULL;
	const char *t = title && *title ? title : "기업SOS";
	json_object_set_new(d, "app",
	                    json_pack("{s:s, s:s, s:s}", "name", "기업SOS", "org",
	                              "기업경제과 · 기업SOS팀", "version", BIZSOS_VERSION));
	json_object_set_new(d, "asset_version", json_string(BIZSOS_VERSION));
	json_object_set_new(d, "page", json_pack("{s:s}", "title", t));
	json_object_set_new(d, "csrf", json_string(rq->csrf));
	if (rq->signed_in) {
		json_object_set_new(
		    d, "me",
		    json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)rq->user.id,
		              "login", rq->user.login, "name", rq->user.name, "role",
		              role_name(rq->user.role), "role_label", role_label_ko(rq->user.role),
		              "department", rq->user.department));
		json_t *nav = json_array();
		for (size_t i = 0; i < BZ_ARRAY_LEN(nav_items); i++) {
			if (!nav_visible(rq, nav_items[i].href))
				continue;
			json_array_append_new(
			    nav, json_pack("{s:s, s:s, s:b}", "href", nav_items[i].href, "label",
			                   nav_items[i].label, "active",
			                   nav_active(rq->path, nav_items[i].href)));
		}
		json_object_set_new(d, "nav", nav);
		int64_t unread = 0;
		if (rq->db && notify_unread_count(rq->db, rq->user.id, &unread) == BZ_OK) {
			json_t *me = json_object_get(d, "me");
			json_object_set_new(me, "unread", json_integer(unread));
			json_object_set_new(me, "has_unread", json_boolean(unread > 0));
		}
	}
	if (json_object_get(d, "breadcrumb") == NULL) {
		json_t *bc = json_array();
		json_array_append_new(bc, json_pack("{s:s, s:s}", "href", "/", "label", "홈"));
		if (strcmp(rq->path, "/") != 0)
			json_array_append_new(bc, json_pack("{s:s}", "label", t));
		json_object_set_new(d, "breadcrumb", bc);
	}
	json_t *flash = flash_from_cookie(rq, rs);
	if (flash)
		json_object_set_new(d, "flash", flash);
	return d;
}
