/* XLSX downloads of the card and the progress page (libxlsxwriter 1.1.x
 * writes to a file: a temporary one in the app's tmp dir, read back and
 * removed). Numbers are written as numbers (백만원 as on the card). */
#include "bizsos/xlsx.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

struct sheet {
	lxw_worksheet *ws;
	lxw_format *head, *cell, *num, *title, *section;
	int row;
};

static const char *s_(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static const json_t *path(const json_t *o, const char *a, const char *b)
{
	const json_t *x = json_object_get(o, a);
	return b ? json_object_get(x, b) : x;
}

static void title(struct sheet *s, const char *text)
{
	worksheet_write_string(s->ws, (lxw_row_t)s->row, 0, text, s->title);
	s->row += 2;
}

static void section(struct sheet *s, const char *text)
{
	worksheet_write_string(s->ws, (lxw_row_t)s->row++, 0, text, s->section);
}

static void put(struct sheet *s, int col, const char *text, lxw_format *f)
{
	worksheet_write_string(s->ws, (lxw_row_t)s->row, (lxw_col_t)col, text ? text : "", f);
}

/* A number if the text is all digits (with separators), else text. */
static void put_num(struct sheet *s, int col, const char *text)
{
	if (text == NULL || *text == '\0') {
		worksheet_write_blank(s->ws, (lxw_row_t)s->row, (lxw_col_t)col, s->cell);
		return;
	}
	char digits[40];
	size_t n = 0;
	bool ok = true;
	for (const char *p = text; *p && ok; p++) {
		if (*p == ',')
			continue;
		if ((*p >= '0' && *p <= '9') || (*p == '-' && p == text) || *p == '.') {
			if (n + 1 < sizeof(digits))
				digits[n++] = *p;
		} else
			ok = false;
	}
	digits[n] = '\0';
	if (ok && n)
		worksheet_write_number(s->ws, (lxw_row_t)s->row, (lxw_col_t)col,
		                       strtod(digits, NULL), s->num);
	else
		put(s, col, text, s->cell);
}

/* The cells of one row taken from an array, from column col0 on: each item's
 * key (or key.sub), as text in format f, or through put_num when f is NULL.
 * Returns the column after the last. */
static int put_items(struct sheet *s, int col0, const json_t *items, const char *key,
                     const char *sub, lxw_format *f)
{
	size_t i;
	const json_t *c;
	json_array_foreach(items, i, c)
	{
		const char *text = sub ? s_(json_object_get(c, key), sub) : s_(c, key);
		if (f)
			put(s, col0 + (int)i, text, f);
		else
			put_num(s, col0 + (int)i, text);
	}
	return col0 + (int)json_array_size(items);
}

static bz_rc open_book(const char *tmp_dir, char *file, size_t filelen, lxw_workbook **wb,
                       struct sheet *s, const char *name)
{
	snprintf(file, filelen, "%s/xlsx-XXXXXX", tmp_dir);
	int fd = mkstemp(file);
	if (fd < 0)
		return BZ_ERR_IO;
	close(fd);
	*wb = workbook_new(file);
	if (*wb == NULL) {
		unlink(file);
		return BZ_ERR_IO;
	}
	memset(s, 0, sizeof(*s));
	s->ws = workbook_add_worksheet(*wb, name);
	s->head = workbook_add_format(*wb);
	format_set_bold(s->head);
	format_set_border(s->head, LXW_BORDER_THIN);
	format_set_bg_color(s->head, 0xEEF2F7);
	format_set_align(s->head, LXW_ALIGN_CENTER);
	format_set_text_wrap(s->head);
	s->cell = workbook_add_format(*wb);
	format_set_border(s->cell, LXW_BORDER_THIN);
	format_set_text_wrap(s->cell);
	s->num = workbook_add_format(*wb);
	format_set_border(s->num, LXW_BORDER_THIN);
	format_set_num_format(s->num, "#,##0.##");
	s->title = workbook_add_format(*wb);
	format_set_bold(s->title);
	format_set_font_size(s->title, 14);
	s->section = workbook_add_format(*wb);
	format_set_bold(s->section);
	worksheet_set_column(s->ws, 0, 0, 28, NULL);
	worksheet_set_column(s->ws, 1, 30, 10, NULL);
	return BZ_OK;
}

static bz_rc close_book(lxw_workbook *wb, const char *file, char **out, size_t *len)
{
	bz_rc rc = workbook_close(wb) == LXW_NO_ERROR ? BZ_OK : BZ_ERR_IO;
	if (rc == BZ_OK) {
		FILE *f = fopen(file, "rb");
		struct stat st;
		if (f == NULL || fstat(fileno(f), &st) != 0 || st.st_size <= 0 ||
		    st.st_size > 64 * 1024 * 1024) {
			rc = BZ_ERR_IO;
		} else {
			char *data = malloc((size_t)st.st_size);
			if (data == NULL)
				rc = BZ_ERR_NOMEM;
			else if (fread(data, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
				free(data);
				rc = BZ_ERR_IO;
			} else {
				*out = data;
				*len = (size_t)st.st_size;
			}
		}
		if (f)
			fclose(f);
	}
	unlink(file);
	return rc;
}

bz_rc xlsx_card(const json_t *card, const char *tmp_dir, char **out, size_t *len)
{
	char file[4200];
	lxw_workbook *wb;
	struct sheet s;
	bz_rc rc = open_book(tmp_dir, file, sizeof(file), &wb, &s, "공약이행카드");
	if (rc != BZ_OK)
		return rc;
	/* A4 portrait, one page wide, the card's title and date in the header */
	worksheet_set_paper(s.ws, 9);
	worksheet_set_portrait(s.ws);
	worksheet_fit_to_pages(s.ws, 1, 0);
	worksheet_set_margins(s.ws, 0.4, 0.4, 0.6, 0.5);
	worksheet_set_header(s.ws, "&L&\"-,Bold\"공약 이행 카드&R&D");
	worksheet_set_footer(s.ws, "&C&P / &N");
	const json_t *p = json_object_get(card, "program");
	char t[256];
	snprintf(t, sizeof(t), "공약 이행 카드 — %s (%s 기준)", s_(p, "name"),
	         s_(json_object_get(card, "as_of"), "label"));
	title(&s, t);

	/* the card's header, three rows as on the card: 사업구분 | 이행구분
	 * (완료 · 추진중 · 미착수 over their two columns each) | 이행률 | 완료시기 */
	lxw_row_t r0 = (lxw_row_t)s.row;
	const json_t *st = path(p, "status_table", NULL);
	const json_t *cells = json_object_get(st, "cells");
	int ncells = (int)json_array_size(cells);
	if (ncells < 1)
		ncells = 1;
	int last = 3 + ncells - 1;
	worksheet_merge_range(s.ws, r0, 0, r0, 2, "사업구분", s.head);
	if (ncells > 1)
		worksheet_merge_range(s.ws, r0, 3, r0, (lxw_col_t)last, "이행구분", s.head);
	else
		worksheet_write_string(s.ws, r0, 3, "이행구분", s.head);
	worksheet_merge_range(s.ws, r0, (lxw_col_t)(last + 1), r0 + 2, (lxw_col_t)(last + 1),
	                      "이행률", s.head);
	worksheet_merge_range(s.ws, r0, (lxw_col_t)(last + 2), r0 + 2, (lxw_col_t)(last + 2),
	                      "완료시기", s.head);
	static const char *const h1[] = {"성격", "기간", "재원"};
	for (int k = 0; k < 3; k++)
		worksheet_merge_range(s.ws, r0 + 1, (lxw_col_t)k, r0 + 2, (lxw_col_t)k, h1[k],
		                      s.head);
	/* the groups split the cells evenly (two each on the card) */
	size_t ngroups = json_array_size(json_object_get(st, "groups"));
	size_t i;
	json_t *c;
	int per = ngroups ? ncells / (int)ngroups : ncells;
	json_array_foreach(json_object_get(st, "groups"), i, c)
	{
		lxw_col_t a = (lxw_col_t)(3 + (int)i * per), z = (lxw_col_t)(a + per - 1);
		if (z > a)
			worksheet_merge_range(s.ws, r0 + 1, a, r0 + 1, z, s_(c, "label"), s.head);
		else
			worksheet_write_string(s.ws, r0 + 1, a, s_(c, "label"), s.head);
	}
	s.row = (int)r0 + 2;
	put_items(&s, 3, cells, "label", NULL, s.head);
	s.row++;
	put(&s, 0, s_(p, "nature_label"), s.cell);
	put(&s, 1, s_(p, "term_label"), s.cell);
	put(&s, 2, s_(p, "funding_label"), s.cell);
	put_items(&s, 3, cells, "mark", NULL, s.cell);
	put(&s, last + 1, s_(json_object_get(p, "impl"), "text"), s.cell);
	put(&s, last + 2, s_(p, "completed_text"), s.cell);
	s.row += 2;
	put(&s, 0, "중앙정부 도움 필요성", s.head);
	put(&s, 1, "사업주체", s.head);
	put(&s, 2, "추진부서", s.head);
	put(&s, 3, "성명", s.head);
	put(&s, 4, "전화", s.head);
	s.row++;
	json_array_foreach(json_object_get(p, "contacts"), i, c)
	{
		put(&s, 0, i == 0 ? s_(p, "central_help") : "", s.cell);
		put(&s, 1, i == 0 ? s_(p, "owner") : "", s.cell);
		put(&s, 2, s_(c, "title"), s.cell);
		put(&s, 3, s_(c, "name"), s.cell);
		put(&s, 4, s_(c, "phone"), s.cell);
		s.row++;
	}
	s.row++;
	section(&s, "□ 최종목표");
	put(&s, 0, s_(p, "final_goal"), NULL);
	s.row += 2;

	section(&s, "□ 연차별 목표");
	const json_t *tg = json_object_get(card, "targets");
	const json_t *periods = json_object_get(tg, "periods");
	put(&s, 0, "구분", s.head);
	put_items(&s, 1, periods, "period_label", NULL, s.head);
	s.row++;
	put(&s, 0, s_(tg, "indicator"), s.cell);
	put_items(&s, 1, periods, "value_text", NULL, NULL);
	s.row++;
	put(&s, 0, "처리 실적", s.cell);
	put_items(&s, 1, periods, "actual_text", NULL, NULL);
	s.row++;
	put(&s, 0, "달성률(%)", s.cell);
	put_items(&s, 1, periods, "achievement", "text", NULL);
	s.row += 2;
	section(&s, "□ 확인지표");
	put(&s, 0, s_(p, "evidence"), NULL);
	s.row += 2;
	section(&s, "□ 사업개요");
	json_array_foreach(json_object_get(p, "overview_items"), i, c)
	{
		put(&s, 0, s_(c, "text"), NULL);
		s.row++;
		size_t j;
		json_t *sub;
		json_array_foreach(json_object_get(c, "subs"), j, sub)
		{
			char l[600];
			snprintf(l, sizeof(l), "  ▶ %s", json_string_value(sub));
			put(&s, 0, l, NULL);
			s.row++;
		}
	}
	s.row++;

	section(&s, "□ 연차별 · 분기별 로드맵");
	const json_t *rm = json_object_get(card, "roadmap");
	/* years over their quarters (merged), then the quarters as on the card: 3/4, 4/4, 1/4 … */
	lxw_row_t y0 = (lxw_row_t)s.row;
	const json_t *quarters = json_object_get(rm, "quarters");
	lxw_col_t after = (lxw_col_t)(1 + json_array_size(quarters));
	worksheet_merge_range(s.ws, y0, 0, y0 + 1, 0, "세부 추진계획", s.head);
	worksheet_merge_range(s.ws, y0, after, y0 + 1, after, "임기후", s.head);
	lxw_col_t col = 1;
	json_array_foreach(json_object_get(rm, "years"), i, c)
	{
		json_int_t span = json_integer_value(json_object_get(c, "span"));
		if (span > 1)
			worksheet_merge_range(s.ws, y0, col, y0, (lxw_col_t)(col + span - 1),
			                      s_(c, "label"), s.head);
		else if (span == 1)
			worksheet_write_string(s.ws, y0, col, s_(c, "label"), s.head);
		col = (lxw_col_t)(col + (span > 0 ? span : 0));
	}
	json_array_foreach(quarters, i, c)
	{
		char q[16];
		snprintf(q, sizeof(q), "%s/4", s_(c, "label"));
		worksheet_write_string(s.ws, y0 + 1, (lxw_col_t)(1 + i), q, s.head);
	}
	s.row = (int)y0 + 2;
	json_array_foreach(json_object_get(rm, "rows"), i, c)
	{
		put(&s, 0, s_(c, "title"), s.cell);
		size_t j;
		json_t *cell;
		json_array_foreach(json_object_get(c, "cells"), j, cell) put(
		    &s, 1 + (int)j, json_is_true(json_object_get(cell, "on")) ? "■" : "", s.cell);
		put(&s, 1 + (int)j, json_is_true(json_object_get(c, "beyond")) ? "■" : "", s.cell);
		s.row++;
	}
	s.row++;

	section(&s, "□ 추진실적");
	const json_t *res = json_object_get(card, "results");
	put(&s, 0, "구분", s.head);
	put_items(&s, 1, json_object_get(res, "columns"), "label", NULL, s.head);
	s.row++;
	json_array_foreach(json_object_get(res, "rows"), i, c)
	{
		put(&s, 0, s_(c, "label"), s.cell);
		put_items(&s, 1, json_object_get(c, "cells"), "text", NULL, NULL);
		s.row++;
	}
	s.row++;

	section(&s, "□ 자체 점검결과");
	static const char *const sak[][2] = {{"went_well", "【잘된 점】"},
	                                     {"improvement", "【개선계획】"}};
	for (int k = 0; k < 2; k++) {
		put(&s, 0, sak[k][1], NULL);
		s.row++;
		json_array_foreach(path(card, "self_assessment", sak[k][0]), i, c)
		{
			char l[700];
			snprintf(l, sizeof(l), "- %s", s_(c, "body"));
			put(&s, 0, l, NULL);
			s.row++;
			size_t j;
			json_t *sub;
			json_array_foreach(json_object_get(c, "subs"), j, sub)
			{
				snprintf(l, sizeof(l), "  ▶ %s", s_(sub, "body"));
				put(&s, 0, l, NULL);
				s.row++;
			}
		}
	}
	s.row++;

	section(&s, "□ 연차별 투자계획 및 집행 — 투자계획 및 확보실적 (단위: 백만원)");
	const json_t *b = json_object_get(card, "budget");
	put(&s, 0, "구분", s.head);
	put(&s, 1, "계 계획", s.head);
	put(&s, 2, "계 확보", s.head);
	json_array_foreach(json_object_get(b, "years"), i, c)
	{
		char l[48];
		snprintf(l, sizeof(l), "%lld 계획",
		         (long long)json_integer_value(json_object_get(c, "year")));
		put(&s, 3 + 2 * (int)i, l, s.head);
		snprintf(l, sizeof(l), "%lld 확보",
		         (long long)json_integer_value(json_object_get(c, "year")));
		put(&s, 4 + 2 * (int)i, l, s.head);
	}
	int bcol = 3 + 2 * (int)json_array_size(json_object_get(b, "years"));
	put(&s, bcol, "임기후 계획", s.head);
	put(&s, bcol + 1, "임기후 확보", s.head);
	s.row++;
	json_array_foreach(json_object_get(b, "plan_rows"), i, c)
	{
		put(&s, 0, s_(c, "label"), s.cell);
		put_num(&s, 1, s_(json_object_get(c, "plan"), "text"));
		put_num(&s, 2, s_(json_object_get(c, "secured"), "text"));
		size_t j;
		json_t *cell;
		json_array_foreach(json_object_get(c, "cells"), j, cell)
		{
			put_num(&s, 3 + 2 * (int)j, s_(json_object_get(cell, "plan"), "text"));
			put_num(&s, 4 + 2 * (int)j, s_(json_object_get(cell, "secured"), "text"));
		}
		put_num(&s, bcol, s_(json_object_get(c, "beyond_plan"), "text"));
		put_num(&s, bcol + 1, s_(json_object_get(c, "beyond_secured"), "text"));
		s.row++;
	}
	s.row++;
	section(&s, "집행실적 (단위: 백만원)");
	put(&s, 0, "구분", s.head);
	put(&s, 1, "계", s.head);
	put_items(&s, 2, json_object_get(b, "years"), "label", NULL, s.head);
	s.row++;
	json_array_foreach(json_object_get(b, "exec_rows"), i, c)
	{
		put(&s, 0, s_(c, "label"), s.cell);
		put_num(&s, 1, s_(json_object_get(c, "total"), "text"));
		put_items(&s, 2, json_object_get(c, "cells"), "text", NULL, NULL);
		s.row++;
	}
	put(&s, 0, s_(json_object_get(b, "totals"), "exec_formula"), NULL);
	s.row++;
	put(&s, 0, s_(json_object_get(b, "totals"), "secure_formula"), NULL);
	s.row += 2;

	section(&s, "□ 시민소통 실적 (단위: 회)");
	put_items(&s, 0, path(card, "communication", "cells"), "label", NULL, s.head);
	s.row++;
	put_items(&s, 0, path(card, "communication", "cells"), "text", NULL, NULL);
	s.row += 2;
	section(&s, "□ 향후 추진계획");
	json_array_foreach(json_object_get(card, "next_plans"), i, c)
	{
		char l[1200];
		snprintf(l, sizeof(l), "- %s : %s", s_(c, "period_label"), s_(c, "plan"));
		put(&s, 0, l, NULL);
		s.row++;
	}
	return close_book(wb, file, out, len);
}

bz_rc xlsx_progress(const json_t *m, const char *tmp_dir, char **out, size_t *len)
{
	char file[4200];
	lxw_workbook *wb;
	struct sheet s;
	bz_rc rc = open_book(tmp_dir, file, sizeof(file), &wb, &s, "분기추진현황");
	if (rc != BZ_OK)
		return rc;
	char t[200];
	snprintf(t, sizeof(t), "분기 추진 현황 — %s (%s ~ %s)", s_(m, "label"), s_(m, "first"),
	         s_(m, "last"));
	title(&s, t);
	const json_t *c = json_object_get(m, "cases");
	section(&s, "기업애로 처리");
	put(&s, 0, "구분", s.head);
	put(&s, 1, "분기", s.head);
	put(&s, 2, "연간 누계", s.head);
	s.row++;
	static const char *const rows[][2] = {
	    {"received", "접수"}, {"done", "완료"}, {"overdue", "기한 넘김"}};
	for (int i = 0; i < 3; i++) {
		put(&s, 0, rows[i][1], s.cell);
		const json_t *r = json_object_get(c, rows[i][0]);
		worksheet_write_number(s.ws, (lxw_row_t)s.row, 1,
		                       (double)json_integer_value(json_object_get(r, "quarter")),
		                       s.num);
		worksheet_write_number(s.ws, (lxw_row_t)s.row, 2,
		                       (double)json_integer_value(json_object_get(r, "ytd")),
		                       s.num);
		s.row++;
	}
	const json_t *pace = json_object_get(c, "pace");
	if (json_is_object(pace)) {
		put(&s, 0, "연간 목표", s.cell);
		worksheet_write_number(s.ws, (lxw_row_t)s.row++, 1,
		                       (double)json_integer_value(json_object_get(pace, "target")),
		                       s.num);
		put(&s, 0, "목표 진도", s.cell);
		worksheet_write_number(s.ws, (lxw_row_t)s.row++, 1,
		                       (double)json_integer_value(json_object_get(pace, "due")),
		                       s.num);
		put(&s, 0, "진도 대비(%)", s.cell);
		put_num(&s, 1, s_(json_object_get(pace, "achievement"), "text"));
		s.row++;
		put(&s, 0, s_(pace, "formula"), NULL);
		s.row++;
	}
	const json_t *cd = json_object_get(m, "close_days");
	put(&s, 0, "처리 기간(근무일) 평균", s.cell);
	put_num(&s, 1, s_(cd, "average"));
	s.row++;
	put(&s, 0, "처리 기간(근무일) 중앙값", s.cell);
	put_num(&s, 1, s_(cd, "median"));
	s.row += 2;

	section(&s, "활동 실적 (전년 같은 분기 대비)");
	put(&s, 0, "활동", s.head);
	put(&s, 1, s_(m, "label"), s.head);
	put(&s, 2, s_(json_object_get(m, "activities"), "last_label"), s.head);
	put(&s, 3, "증감", s.head);
	s.row++;
	size_t i;
	json_t *r;
	json_array_foreach(path(m, "activities", "rows"), i, r)
	{
		put(&s, 0, s_(r, "label"), s.cell);
		worksheet_write_number(s.ws, (lxw_row_t)s.row, 1,
		                       (double)json_integer_value(json_object_get(r, "this")),
		                       s.num);
		worksheet_write_number(s.ws, (lxw_row_t)s.row, 2,
		                       (double)json_integer_value(json_object_get(r, "last")),
		                       s.num);
		put(&s, 3, s_(r, "diff"), s.cell);
		s.row++;
	}
	s.row++;
	section(&s, "소규모 기업환경 개선사업");
	put(&s, 0, "상태", s.head);
	put(&s, 1, "건수", s.head);
	put(&s, 2, "총사업비(백만원)", s.head);
	s.row++;
	json_array_foreach(path(m, "grants", "rows"), i, r)
	{
		put(&s, 0, s_(r, "label"), s.cell);
		worksheet_write_number(s.ws, (lxw_row_t)s.row, 1,
		                       (double)json_integer_value(json_object_get(r, "count")),
		                       s.num);
		put_num(&s, 2, s_(r, "total_text"));
		s.row++;
	}
	s.row++;
	section(&s, "이 분기 예산 집행 (원)");
	put(&s, 0, "재원", s.head);
	put(&s, 1, "집행액(원)", s.head);
	s.row++;
	json_array_foreach(path(m, "budget", "rows"), i, r)
	{
		put(&s, 0, s_(r, "label"), s.cell);
		put_num(&s, 1, s_(r, "executed_won"));
		s.row++;
	}
	put(&s, 0, "계", s.cell);
	put_num(&s, 1, s_(json_object_get(m, "budget"), "executed_won"));
	s.row += 2;
	section(&s, "긴급(적색) 처리중 사건");
	put(&s, 0, "사건번호", s.head);
	put(&s, 1, "기업", s.head);
	put(&s, 2, "제목", s.head);
	put(&s, 3, "담당", s.head);
	put(&s, 4, "기한", s.head);
	s.row++;
	json_array_foreach(json_object_get(m, "red_cases"), i, r)
	{
		put(&s, 0, s_(r, "case_no"), s.cell);
		put(&s, 1, s_(r, "company"), s.cell);
		put(&s, 2, s_(r, "title"), s.cell);
		put(&s, 3, s_(r, "assignee"), s.cell);
		put(&s, 4, s_(r, "due"), s.cell);
		s.row++;
	}
	return close_book(wb, file, out, len);
}
