/* API tokens: an administrator's list of everyone's tokens with revoke, and a
 * user's own tokens page (create, with an optional read-only scope; revoke).
 * A new token is shown once, on the page that created it. */
#include "bizsos/view.h"
#include "bizsos/web.h"

#include <string.h>

/* Adds created/last-used/revoked times in KST to each row. */
static void decorate(json_t *list)
{
	static const char *const keys[] = {"created_at", "last_used_at", "revoked_at"};
	size_t i;
	json_t *t;
	json_array_foreach(list, i, t)
	{
		for (size_t k = 0; k < BZ_ARRAY_LEN(keys); k++) {
			const char *v = json_string_value(json_object_get(t, keys[k]));
			char kst[40] = "";
			if (v)
				fmt_instant_kst(v, kst, sizeof(kst));
			char key[40];
			snprintf(key, sizeof(key), "%s_text", keys[k]);
			json_object_set_new(t, key, json_string(kst));
		}
	}
}

static json_t *tokens_model(struct request *rq, struct response *rs, int64_t user_id)
{
	json_t *list = NULL;
	if (token_list(rq->db, user_id, &list) != BZ_OK) {
		web_error(rs, 500, "internal", "API 토큰 목록을 읽지 못했습니다.");
		return NULL;
	}
	decorate(list);
	return json_pack("{s:o, s:b, s:{}, s:{}}", "tokens", list, "empty",
	                 json_array_size(list) == 0, "errors", "values");
}

void web_admin_tokens(struct request *rq, struct response *rs)
{
	json_t *m = tokens_model(rq, rs, 0);
	if (m)
		web_page(rs, "admin/tokens", "API 토큰 관리", m);
}

void web_admin_token_revoke(struct request *rq, struct response *rs)
{
	int64_t id = rq_param_id(rq, "id");
	bz_rc rc = id > 0 ? token_revoke_of(rq->db, rq->user.id, 0, id) : BZ_ERR_NOTFOUND;
	if (rc != BZ_OK) {
		web_error(rs, rc == BZ_ERR_NOTFOUND ? 404 : 500, "not_found",
		          rc == BZ_ERR_NOTFOUND ? "그런 토큰이 없거나 이미 폐기되었습니다."
		                                : "토큰을 폐기하지 못했습니다.");
		return;
	}
	web_flash(rs, rq, "success", "token_revoked");
	web_redirect(rs, "/admin/tokens");
}

void web_account_tokens(struct request *rq, struct response *rs)
{
	json_t *m = tokens_model(rq, rs, rq->user.id);
	if (m)
		web_page(rs, "account/tokens", "내 API 토큰", m);
}

void web_account_token_create(struct request *rq, struct response *rs)
{
	const char *label = rq_form(rq, "label");
	const char *scope = rq_form(rq, "scope");
	bool read_only = scope && strcmp(scope, "read") == 0;
	json_t *fields = json_object();
	if (label == NULL || *label == '\0' || !user_text_valid(label, 100))
		json_object_set_new(fields, "label",
		                    json_string("토큰의 용도를 제어 문자 없이 1~100자로 적어 "
		                                "주세요."));
	if (scope && *scope && strcmp(scope, "read") && strcmp(scope, "write"))
		json_object_set_new(fields, "scope", json_string("권한을 골라 주세요."));
	char token[API_TOKEN_LEN + 1] = "";
	if (json_object_size(fields) == 0) {
		bz_rc rc = token_create_scoped(rq->db, rq->user.id, rq->user.login, label,
		                               read_only, token);
		if (rc != BZ_OK) {
			json_decref(fields);
			web_error(rs, 500, "internal", "토큰을 만들지 못했습니다.");
			return;
		}
	}
	json_t *m = tokens_model(rq, rs, rq->user.id);
	if (m == NULL) {
		json_decref(fields);
		return;
	}
	if (json_object_size(fields) > 0) {
		json_object_set_new(m, "values", json_pack("{s:s}", "label", label ? label : ""));
		web_invalid(rs, "account/tokens", "내 API 토큰", m, fields);
		return;
	}
	json_decref(fields);
	/* Shown once: only its hash is stored. */
	json_object_set_new(m, "new_token", json_string(token));
	json_object_set_new(m, "new_read_only", json_boolean(read_only));
	web_page(rs, "account/tokens", "내 API 토큰", m);
}

void web_account_token_revoke(struct request *rq, struct response *rs)
{
	int64_t id = rq_param_id(rq, "id");
	bz_rc rc = id > 0 ? token_revoke_of(rq->db, rq->user.id, rq->user.id, id) : BZ_ERR_NOTFOUND;
	if (rc != BZ_OK) {
		web_error(rs, rc == BZ_ERR_NOTFOUND ? 404 : 500, "not_found",
		          rc == BZ_ERR_NOTFOUND ? "그런 토큰이 없거나 이미 폐기되었습니다."
		                                : "토큰을 폐기하지 못했습니다.");
		return;
	}
	web_flash(rs, rq, "success", "token_revoked");
	web_redirect(rs, "/account/tokens");
}
