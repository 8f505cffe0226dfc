/* The access log as CSV (UTF-8 with BOM, for Excel), for an admin's download. */
#ifndef BIZSOS_ACCESS_CSV_H
#define BIZSOS_ACCESS_CSV_H

#include "bizsos/buf.h"
#include <jansson.h>

/* Appends a header row and one line per row of privacy_search's result:
 * 번호, 일시, 아이디, 이름, 처리, 정보주체, 내용, 사유, 접속지. Cells are
 * quoted when needed; a cell that a spreadsheet would take for a formula
 * (= + - @ at the start) gets a leading apostrophe. */
void access_csv(const json_t *rows, struct buf *out);

#endif
