/* Link facts and their URLs (src/domain/link.c, src/web/links.c):
 *   - a page model's facts become local paths, at any depth;
 *   - a stored message's facts become absolute URLs under the base at
 *     delivery: the text form in a mail body (a case, a page, a stored path),
 *     the JSON object form in a webhook body; a body without facts is left as
 *     it is (NULL), and text that merely looks like a fact is not one. */
#include "bizsos/link.h"
#include "bizsos/web.h"
#include "harness.h"

#include <stdlib.h>

static void page_models(void)
{
	json_t *m = json_pack("{s:o, s:[o]}", "a", link_fact("case", json_pack("{s:i}", "id", 7)),
	                      "b", link_fact("notify_settings", NULL));
	web_links_resolve(m);
	CHECK_STR(json_string_value(json_object_get(m, "a")), "/cases/7");
	CHECK_STR(json_string_value(json_array_get(json_object_get(m, "b"), 0)),
	          "/notifications/settings");
	json_decref(m);
}

static void messages(void)
{
	char go[LINK_TEXT_SIZE], all[LINK_TEXT_SIZE], old[LINK_TEXT_SIZE];
	link_text(go, "case", 12);
	link_text(all, "notifications", 0);
	link_text(old, "/cases/3", 0);
	char body[256];
	snprintf(body, sizeof(body), "바로 가기: %s\n모든 알림: %s\n예전: %s\n", go, all, old);
	char *out = NULL;
	CHECK_INT(web_links_message(body, false, "https://sos.example.kr", &out), BZ_OK);
	CHECK_STR(out, "바로 가기: https://sos.example.kr/cases/12\n"
	               "모든 알림: https://sos.example.kr/notifications\n"
	               "예전: https://sos.example.kr/cases/3\n");
	free(out);
	/* no fact: unchanged; braces are only text */
	out = (char *)"x";
	CHECK_INT(web_links_message("{{link:case:1}} 그대로", false, "https://x", &out), BZ_OK);
	CHECK(out == NULL, "a body without facts stays as it is");
	/* a webhook body */
	json_t *o = json_pack("{s:s, s:{s:i, s:o}}", "event", "case.assigned", "case", "id", 12,
	                      "link", link_fact("case", json_pack("{s:i}", "id", 12)));
	char *text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	CHECK_INT(web_links_message(text, true, "https://sos.example.kr", &out), BZ_OK);
	CHECK_STR(out, "{\"case\":{\"id\":12,\"link\":\"https://sos.example.kr/cases/12\"},"
	               "\"event\":\"case.assigned\"}");
	free(out);
	free(text);
	CHECK_INT(web_links_message("{\"a\":1}", true, "https://x", &out), BZ_OK);
	CHECK(out == NULL, "a webhook body without facts stays as it is");
}

int main(void)
{
	page_models();
	messages();
	return t_done();
}
