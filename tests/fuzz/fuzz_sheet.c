/* libFuzzer target for the import reader (src/export/sheet_read.c): the
 * input is written to a temporary file and read as CSV and, when it is a zip,
 * as XLSX. Beyond "no crash, no sanitizer report": every row handed over has
 * 1..SHEET_MAX_COLS cells of valid UTF-8 within the size limit, and a refused
 * file comes with a Korean message.
 *
 *   cmake -DBIZSOS_FUZZ=ON -DCMAKE_C_COMPILER=clang ... && ./fuzz_sheet \
 *       tests/fuzz/corpus/sheet */
#include "bizsos/sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REQUIRE(cond)                                                                              \
	do {                                                                                       \
		if (!(cond))                                                                       \
			__builtin_trap();                                                          \
	} while (0)

static bz_rc row(void *ctx, int64_t row_no, const char *const *cells, size_t n)
{
	(void)ctx;
	REQUIRE(row_no >= 1 && n >= 1 && n <= SHEET_MAX_COLS);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(cells[i]);
		REQUIRE(len <= SHEET_MAX_CELL_BYTES && bz_utf8_valid(cells[i], len));
	}
	return BZ_OK;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char path[] = "/tmp/fuzz-sheet-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return 0;
	FILE *f = fdopen(fd, "wb");
	if (f == NULL) {
		close(fd);
		unlink(path);
		return 0;
	}
	fwrite(data, 1, size, f);
	fclose(f);
	for (int fmt = SHEET_CSV; fmt <= SHEET_XLSX; fmt++) {
		const char *msg = NULL;
		bz_rc rc = sheet_read(path, (enum sheet_format)fmt, row, NULL, &msg);
		REQUIRE(rc != BZ_ERR_INVALID || (msg != NULL && *msg));
	}
	unlink(path);
	return 0;
}
