/* Runs tests of the Mustache spec against src/view/mustache.c.
 *
 *   mustache_spec FILE             every test of FILE
 *   mustache_spec FILE NAME [N]    the test called NAME (the N-th of that name,
 *                                  counting from 1, when a file repeats a name)
 *
 * FILE is one of the spec's JSON files: {"tests": [{"name", "data",
 * "template", "partials"?, "expected"}]}. A failure prints the template, the
 * expected and the actual output as escaped C strings and where they first
 * differ. Exit status: 0 all passed, 1 a test failed, 2 bad arguments or file,
 * 77 FILE does not exist (the spec is third-party data kept outside the
 * repository; ctest reports the case as skipped, never as passed). */
#include "bizsos/mustache.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct partials {
	const char **names;
	struct tpl **tpls;
	size_t n;
};

static const struct tpl *resolve(void *ctx, const char *name)
{
	const struct partials *p = ctx;
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->names[i], name) == 0)
			return p->tpls[i];
	return NULL;
}

static void show(const char *label, const char *s, size_t n)
{
	fprintf(stderr, "  %-9s \"", label);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '\n':
			fputs("\\n", stderr);
			break;
		case '\r':
			fputs("\\r", stderr);
			break;
		case '\t':
			fputs("\\t", stderr);
			break;
		case '"':
			fputs("\\\"", stderr);
			break;
		case '\\':
			fputs("\\\\", stderr);
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				fprintf(stderr, "\\x%02x", c);
			else
				fputc(c, stderr);
		}
	}
	fputs("\"\n", stderr);
}

/* Runs one test; returns true if it passed. */
static bool run_test(const char *file, json_t *test)
{
	const char *name = json_string_value(json_object_get(test, "name"));
	json_t *tmpl = json_object_get(test, "template");
	json_t *expected = json_object_get(test, "expected");
	json_t *data = json_object_get(test, "data");
	json_t *parts = json_object_get(test, "partials");
	struct partials p = {0};
	struct tpl *t = NULL;
	struct buf out;
	char err[256];
	bool ok = false;

	buf_init(&out, 0);
	if (!name || !json_is_string(tmpl) || !json_is_string(expected)) {
		fprintf(stderr, "FAIL %s: malformed test %s\n", file, name ? name : "(no name)");
		goto out;
	}
	size_t np = json_is_object(parts) ? json_object_size(parts) : 0;
	if (np) {
		p.names = calloc(np, sizeof(*p.names));
		p.tpls = calloc(np, sizeof(*p.tpls));
		if (!p.names || !p.tpls) {
			fprintf(stderr, "FAIL %s: %s: out of memory\n", file, name);
			goto out;
		}
		const char *key;
		json_t *src;
		json_object_foreach(parts, key, src)
		{
			p.names[p.n] = key;
			if (tpl_compile(json_string_value(src), json_string_length(src),
			                &p.tpls[p.n], err, sizeof(err)) != BZ_OK) {
				fprintf(stderr,
				        "FAIL %s: %s: partial \"%s\" does not compile: %s\n", file,
				        name, key, err);
				goto out;
			}
			p.n++;
		}
	}
	if (tpl_compile(json_string_value(tmpl), json_string_length(tmpl), &t, err, sizeof(err)) !=
	    BZ_OK) {
		fprintf(stderr, "FAIL %s: %s: template does not compile: %s\n", file, name, err);
		show("template:", json_string_value(tmpl), json_string_length(tmpl));
		goto out;
	}
	bz_rc rc = tpl_render(t, data, resolve, &p, &out);
	const char *got = out.s ? out.s : "";
	const char *want = json_string_value(expected);
	size_t want_len = json_string_length(expected);
	if (rc == BZ_OK && out.len == want_len && memcmp(got, want, want_len) == 0) {
		ok = true;
		goto out;
	}
	fprintf(stderr, "FAIL %s: %s\n", file, name);
	if (rc != BZ_OK)
		fprintf(stderr, "  render failed: %s\n", bz_strerror(rc));
	show("template:", json_string_value(tmpl), json_string_length(tmpl));
	if (np) {
		const char *key;
		json_t *src;
		json_object_foreach(parts, key, src)
		{
			char label[64];
			snprintf(label, sizeof(label), "%s:", key);
			show(label, json_string_value(src), json_string_length(src));
		}
	}
	show("expected:", want, want_len);
	show("actual:", got, out.len);
	size_t d = 0;
	while (d < want_len && d < out.len && want[d] == got[d])
		d++;
	fprintf(stderr, "  first difference at byte %zu\n", d);
out:
	for (size_t i = 0; i < p.n; i++)
		tpl_free(p.tpls[i]);
	free(p.names);
	free(p.tpls);
	tpl_free(t);
	buf_free(&out);
	return ok;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: %s FILE [NAME [N]]\n", argv[0]);
		return 2;
	}
	const char *file = argv[1], *only = argc > 2 ? argv[2] : NULL;
	long nth = argc > 3 ? strtol(argv[3], NULL, 10) : 1;
	json_error_t jerr;
	if (access(file, F_OK) != 0) {
		fprintf(stderr,
		        "SKIP %s: no Mustache spec here; configure with "
		        "-DBIZSOS_MUSTACHE_SPEC_DIR=/path/to/mustache-spec to run it\n",
		        file);
		return 77;
	}
	json_t *spec = json_load_file(file, 0, &jerr);
	json_t *tests = json_object_get(spec, "tests");
	if (!json_is_array(tests)) {
		fprintf(stderr, "%s: not a spec file: %s (line %d)\n", file, jerr.text, jerr.line);
		json_decref(spec);
		return 2;
	}
	size_t i, ran = 0, failed = 0;
	long seen = 0;
	json_t *test;
	json_array_foreach(tests, i, test)
	{
		const char *name = json_string_value(json_object_get(test, "name"));
		if (only && (!name || strcmp(name, only) != 0 || ++seen != nth))
			continue;
		ran++;
		if (!run_test(file, test))
			failed++;
	}
	json_decref(spec);
	if (ran == 0) {
		fprintf(stderr, "%s: no test named \"%s\" (occurrence %ld)\n", file,
		        only ? only : "", nth);
		return 2;
	}
	printf("%s: %zu passed, %zu failed\n", file, ran - failed, failed);
	return failed ? 1 : 0;
}
