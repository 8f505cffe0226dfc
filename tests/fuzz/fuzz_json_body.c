/* libFuzzer target for JSON request bodies (http_json_to_form): any bytes give
 * either a list of NUL-free form fields or a 400/413 with a Korean message —
 * never a crash, a leak or a field whose length lies. */
#include "bizsos/http.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536)
		return 0;
	struct kvlist form = {0};
	const char *msg = NULL;
	int st = http_json_to_form((const char *)data, size, &form, &msg);
	if (st != 0 && st != 400 && st != 413)
		abort();
	if (st != 0 && (msg == NULL || *msg == '\0'))
		abort();
	for (size_t i = 0; i < form.n; i++) {
		if (form.items[i].key == NULL || form.items[i].value == NULL)
			abort();
		if (strlen(form.items[i].value) != form.items[i].len)
			abort();
		(void)bz_utf8_valid(form.items[i].value, form.items[i].len);
	}
	kv_free(&form);
	return 0;
}
