/* The import reader (src/export/sheet_read.c): CSV with a BOM, quotes,
 * doubled quotes, commas and line breaks inside quotes, CRLF and LF, blank
 * lines, the export's neutralising apostrophe taken off; refusals (an
 * unclosed quote, invalid UTF-8, more than 64 columns) with Korean messages;
 * XLSX as Excel writes it — shared strings, numbers, a date as a serial,
 * gaps between cells — made here with libxlsxwriter in its default mode;
 * Excel date serials. */
#include "harness.h"

#include "bizsos/sheet.h"
#include <stdlib.h>
#include <xlsxwriter.h>

struct got {
	int rows;
	char cells[8][8][128];
	size_t n[8];
	int64_t row_no[8];
};

static bz_rc collect(void *ctx, int64_t row_no, const char *const *cells, size_t n)
{
	struct got *g = ctx;
	if (g->rows < 8) {
		g->row_no[g->rows] = row_no;
		g->n[g->rows] = n;
		for (size_t i = 0; i < n && i < 8; i++)
			snprintf(g->cells[g->rows][i], sizeof(g->cells[0][0]), "%s", cells[i]);
	}
	g->rows++;
	return BZ_OK;
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	fwrite(data, 1, len, f);
	fclose(f);
}

static void csv(void)
{
	char path[512];
	t_path(path, sizeof(path), "a.csv");
	const char data[] = "\xEF\xBB\xBF"
	                    "이름,값\r\n"
	                    "\"가온, 정밀\",\"He said \"\"hi\"\"\nthen\"\r\n"
	                    "\r\n"
	                    "'=SUM(A1),'plain\n"
	                    "last,row";
	write_file(path, data, sizeof(data) - 1);
	struct got g = {0};
	const char *msg = NULL;
	CHECK_INT(sheet_read(path, SHEET_CSV, collect, &g, &msg), BZ_OK);
	CHECK_INT(g.rows, 4);
	CHECK_STR(g.cells[0][0], "이름");
	CHECK_STR(g.cells[1][0], "가온, 정밀");
	CHECK_STR(g.cells[1][1], "He said \"hi\"\nthen");
	CHECK_INT(g.row_no[2], 4); /* the blank row is skipped, its number kept */
	CHECK_STR(g.cells[2][0], "=SUM(A1)");
	CHECK_STR(g.cells[2][1], "'plain");
	CHECK_STR(g.cells[3][1], "row");
	CHECK_INT(sheet_sniff(path), SHEET_CSV);

	const char open[] = "a,\"b\r\nc,d\r\n";
	write_file(path, open, sizeof(open) - 1);
	memset(&g, 0, sizeof(g));
	CHECK_INT(sheet_read(path, SHEET_CSV, collect, &g, &msg), BZ_ERR_INVALID);
	CHECK_CONTAINS(msg, "따옴표");
	const char euckr[] = "\xB1\xE2\xBE\xF7,x\r\n";
	write_file(path, euckr, sizeof(euckr) - 1);
	CHECK_INT(sheet_read(path, SHEET_CSV, collect, &g, &msg), BZ_ERR_INVALID);
	CHECK_CONTAINS(msg, "UTF-8");
	char wide[400] = "";
	for (int i = 0; i < 70; i++)
		strcat(wide, "x,");
	write_file(path, wide, strlen(wide));
	CHECK_INT(sheet_read(path, SHEET_CSV, collect, &g, &msg), BZ_ERR_INVALID);
	CHECK_CONTAINS(msg, "64");
}

static void xlsx(void)
{
	char path[512];
	t_path(path, sizeof(path), "b.xlsx");
	lxw_workbook *wb = workbook_new(path); /* default mode: shared strings */
	lxw_worksheet *ws = workbook_add_worksheet(wb, "자료");
	lxw_format *date = workbook_add_format(wb);
	format_set_num_format(date, "yyyy-mm-dd");
	worksheet_write_string(ws, 0, 0, "기업명", NULL);
	worksheet_write_string(ws, 0, 1, "종업원 수", NULL);
	worksheet_write_string(ws, 0, 3, "창립일", NULL);
	worksheet_write_string(ws, 2, 0, "한빛정밀", NULL);
	worksheet_write_number(ws, 2, 1, 1200, NULL);
	lxw_datetime dt = {2001, 3, 4, 0, 0, 0};
	worksheet_write_datetime(ws, 2, 3, &dt, date);
	worksheet_write_string(ws, 3, 0, "한빛정밀", NULL); /* the same shared string */
	worksheet_write_boolean(ws, 3, 1, 1, NULL);
	CHECK_INT(workbook_close(wb), LXW_NO_ERROR);
	CHECK_INT(sheet_sniff(path), SHEET_XLSX);
	struct got g = {0};
	const char *msg = NULL;
	CHECK_INT(sheet_read(path, SHEET_XLSX, collect, &g, &msg), BZ_OK);
	CHECK_INT(g.rows, 3);
	CHECK_STR(g.cells[0][0], "기업명");
	CHECK_STR(g.cells[0][2], ""); /* the gap C1 */
	CHECK_STR(g.cells[0][3], "창립일");
	CHECK_INT(g.row_no[1], 3); /* row 2 is empty: not there */
	CHECK_STR(g.cells[1][0], "한빛정밀");
	CHECK_STR(g.cells[1][1], "1200");
	char d[16];
	CHECK(sheet_serial_date(g.cells[1][3], d, sizeof(d)), "serial %s", g.cells[1][3]);
	CHECK_STR(d, "2001-03-04");
	CHECK_STR(g.cells[2][0], "한빛정밀");
	CHECK_STR(g.cells[2][1], "TRUE");

	/* not a zip, a truncated zip */
	char bad[512];
	t_path(bad, sizeof(bad), "c.xlsx");
	write_file(bad, "PK\3\4garbage", 11);
	CHECK_INT(sheet_read(bad, SHEET_XLSX, collect, &g, &msg), BZ_ERR_INVALID);
	CHECK(msg && *msg, "message");
}

static void serials(void)
{
	char d[16];
	CHECK(sheet_serial_date("45414", d, sizeof(d)), "45414");
	CHECK_STR(d, "2024-05-02");
	CHECK(sheet_serial_date("1", d, sizeof(d)), "1");
	CHECK_STR(d, "1900-01-01");
	CHECK(sheet_serial_date("61", d, sizeof(d)), "61");
	CHECK_STR(d, "1900-03-01");
	CHECK(sheet_serial_date("45414.75", d, sizeof(d)), "fraction");
	CHECK_STR(d, "2024-05-02");
	CHECK(!sheet_serial_date("2024-05-02", d, sizeof(d)), "text date is no serial");
	CHECK(!sheet_serial_date("0", d, sizeof(d)), "0");
	CHECK(!sheet_serial_date("-3", d, sizeof(d)), "negative");
	CHECK(!sheet_serial_date("", d, sizeof(d)), "empty");
}

int main(void)
{
	csv();
	xlsx();
	serials();
	t_cleanup();
	return t_done();
}
