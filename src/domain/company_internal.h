/* Private to the company*.c files of src/domain: what they share. */
#ifndef BIZSOS_COMPANY_INTERNAL_H
#define BIZSOS_COMPANY_INTERNAL_H

#include "bizsos/brn.h"
#include "bizsos/company.h"
#include "bizsos/money.h"
#include "bizsos/search.h"
#include "bizsos/user.h"
#include "bizsos/validate.h"
#include "bizsos/workday.h"

/* ---- read models --------------------------------------------------------- */
void company_employees_text(sqlite3_stmt *st, int i, char *out, size_t outlen);
/* The Korean label of a company field name ("brn" → "사업자등록번호"). */
const char *company_field_label(const char *field);

#endif
