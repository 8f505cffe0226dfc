/* libFuzzer target for the request-side parsers: percent-decoding, UTF-8
 * validation, route matching with {id} parameters, and config lines. */
#include "bizsos/config.h"
#include "bizsos/http.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	(void)bz_utf8_valid(s, size);
	char *copy = strdup(s);
	if (copy) {
		size_t n = http_unescape(copy, true);
		if (n > strlen(s))
			abort(); /* decoding never grows */
		(void)bz_utf8_valid(copy, n);
		free(copy);
	}

	struct kvlist params = {0};
	int status = 0;
	static const enum http_method methods[] = {HTTP_GET, HTTP_POST, HTTP_HEAD, HTTP_DELETE};
	const struct route *r = router_match(methods[size % 4], s, &params, &status);
	if (r == NULL && status != 404 && status != 405)
		abort();
	kv_free(&params);

	struct config cfg;
	config_defaults(&cfg);
	char *eq = strchr(s, '=');
	if (eq) {
		*eq = '\0';
		char err[256];
		(void)config_set(&cfg, s, eq + 1, err, sizeof(err));
	}
	free(s);
	return 0;
}
