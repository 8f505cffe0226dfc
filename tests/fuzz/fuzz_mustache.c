/* libFuzzer target for the template compiler and renderer: the input is
 * compiled as a template and rendered against a small fixed context. Partials
 * resolve to a few fixed templates, or to the input itself for "self", so
 * recursion limits are exercised as well.
 *
 *   CC=clang cmake -B build-fuzz -DBIZSOS_FUZZ=ON -DBIZSOS_SANITIZE=ON
 *   cmake --build build-fuzz --target fuzz_mustache
 *   mkdir -p /tmp/corpus && build-fuzz/tests/fuzz_mustache -max_total_time=120 \
 *       /tmp/corpus tests/fuzz/corpus/mustache
 * (libFuzzer writes new inputs into the first directory: keep the seeds second.) */
#include "bizsos/mustache.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char context_json[] =
    "{\"a\": \"<b>&'\\\"\", \"n\": 1.1, \"i\": -42, \"t\": true, \"f\": false, \"z\": null,"
    " \"s\": \"line one\\nline two\", \"e\": [], \"o\": {\"a\": {\"b\": \"deep\"}, \"c\": 3},"
    " \"list\": [1, \"two\", {\"a\": \"x\"}, [3, 4], 2.5, null, false]}";

static const struct {
	const char *name;
	const char *src;
} fixed_src[] = {
    {"p", "<{{a}}>\n{{#list}}  {{.}}\n{{/list}}"},
    {"parent", "A {{$x}}dx{{/x}}\n  {{$y}}\n    dy\n  {{/y}}\nB{{>p}}\n"},
    {"grand", "{{<parent}}{{$y}}\n  g\n{{/y}}{{/parent}}"},
};

static json_t *context;
static struct tpl *fixed[sizeof(fixed_src) / sizeof(fixed_src[0])];

static const struct tpl *resolve(void *ctx, const char *name)
{
	if (strcmp(name, "self") == 0)
		return ctx;
	for (size_t i = 0; i < BZ_ARRAY_LEN(fixed_src); i++)
		if (strcmp(name, fixed_src[i].name) == 0)
			return fixed[i];
	return NULL;
}

static void setup(void)
{
	context = json_loads(context_json, 0, NULL);
	if (context == NULL)
		abort();
	for (size_t i = 0; i < BZ_ARRAY_LEN(fixed_src); i++)
		if (tpl_compile(fixed_src[i].src, strlen(fixed_src[i].src), &fixed[i], NULL, 0) !=
		    BZ_OK)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (context == NULL)
		setup();
	struct tpl *t = NULL;
	char err[256];
	bz_rc rc = tpl_compile((const char *)data, size, &t, err, sizeof(err));
	if (rc != BZ_OK) {
		/* a failed compile always says why */
		if (t != NULL || err[0] == '\0' || memchr(err, '\0', sizeof(err)) == NULL)
			abort();
		return 0;
	}
	struct buf a, b;
	buf_init(&a, (size_t)256 * 1024);
	buf_init(&b, (size_t)256 * 1024);
	bz_rc ra = tpl_render(t, context, resolve, t, &a);
	bz_rc rb = tpl_render(t, context, resolve, t, &b);
	/* rendering does not change the template */
	if (ra != rb ||
	    (ra == BZ_OK && (a.len != b.len || (a.len > 0 && memcmp(a.s, b.s, a.len) != 0))))
		abort();
	buf_free(&a);
	buf_free(&b);
	tpl_free(t);
	return 0;
}
