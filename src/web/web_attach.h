/* Storing uploaded files for cases (staff attachments and the files of an
 * online request): hashed, sniffed by their bytes, kept content-addressed
 * under <data_dir>/attachments/ (outside static/). */
#ifndef BIZSOS_WEB_ATTACH_H
#define BIZSOS_WEB_ATTACH_H

#include "bizsos/common.h"
#include <stddef.h>

/* Hashes the file at path (hex SHA-256 into hex, 65 bytes) and reads its
 * first bytes into head (*headlen of them). False if it cannot be read. */
bool web_attach_hash(const char *path, char hex[65], unsigned char *head, size_t headcap,
                     size_t *headlen);

/* Copies the file at tmp_path to <data_dir>/attachments/<sha[0..2]>/<sha>
 * (kept if it is already there) and writes that path, relative to data_dir,
 * into stored_path. False (logged) if it cannot be stored. */
bool web_attach_store(const char *data_dir, const char *tmp_path, const char *sha256,
                      char *stored_path, size_t stored_len);

/* The refusal for a file whose bytes are not an accepted type. */
#define WEB_ATTACH_TYPE_MSG                                                                                           \
	"이 형식의 파일은 첨부할 수 없습니다. PDF, 한글(HWP·HWPX), 오피스 문서, "              \
	"그림(PNG·JPG·GIF·WebP), 텍스트 파일만 받습니다. 실행 파일은 이름을 바꿔도 받지 " \
	"않습니다."

#endif
