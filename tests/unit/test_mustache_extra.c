/* The template renderer beyond the Mustache spec: escaping of ', number
 * formatting, limits (recursion, size, output), compile error messages, and
 * rendering one template from several threads. */
#include "bizsos/mustache.h"
#include "harness.h"

#include <pthread.h>
#include <stdlib.h>

struct named {
	const char *name;
	const char *src;
	struct tpl *tpl;
};

struct registry {
	struct named *items;
	size_t n;
};

static const struct tpl *resolve(void *ctx, const char *name)
{
	const struct registry *r = ctx;
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->items[i].name, name) == 0)
			return r->items[i].tpl;
	return NULL;
}

static bool compile_all(struct registry *r)
{
	for (size_t i = 0; i < r->n; i++) {
		char err[256];
		const char *s = r->items[i].src;
		if (tpl_compile(s, strlen(s), &r->items[i].tpl, err, sizeof(err)) != BZ_OK) {
			fprintf(stderr, "partial %s: %s\n", r->items[i].name, err);
			return false;
		}
	}
	return true;
}

static void free_all(struct registry *r)
{
	for (size_t i = 0; i < r->n; i++)
		tpl_free(r->items[i].tpl);
}

/* Renders src against the JSON text data; returns the output (static) or NULL,
 * setting *rc. */
static const char *render_ex(const char *src, const char *data, struct registry *reg, size_t max,
                             bz_rc *rc)
{
	static char result[4096];
	char err[256];
	struct tpl *t = NULL;
	json_t *d = data ? json_loads(data, JSON_DECODE_ANY, NULL) : NULL;
	struct buf out;
	buf_init(&out, max);
	*rc = tpl_compile(src, strlen(src), &t, err, sizeof(err));
	if (*rc == BZ_OK)
		*rc = tpl_render(t, d, reg ? resolve : NULL, reg, &out);
	const char *ret = NULL;
	if (*rc == BZ_OK) {
		snprintf(result, sizeof(result), "%s", out.s ? out.s : "");
		ret = result;
	}
	buf_free(&out);
	tpl_free(t);
	json_decref(d);
	return ret;
}

static const char *render(const char *src, const char *data)
{
	bz_rc rc;
	return render_ex(src, data, NULL, 0, &rc);
}

static void test_escaping(void)
{
	CHECK_STR(render("{{a}}", "{\"a\": \"<a href='x'>&\\\"\"}"),
	          "&lt;a href=&#39;x&#39;&gt;&amp;&quot;");
	CHECK_STR(render("{{{a}}}|{{&a}}", "{\"a\": \"<'>\"}"), "<'>|<'>");
	/* custom delimiters keep the triple form */
	CHECK_STR(render("{{=<% %>=}}<%{a}%><%a%>", "{\"a\": \"'\"}"), "'&#39;");
	/* names are never HTML: only values are escaped */
	CHECK_STR(render("<p>{{a}}</p>", "{\"a\": \"x\"}"), "<p>x</p>");
}

static void test_numbers(void)
{
	static const struct {
		const char *json, *want;
	} cases[] = {
	    {"1.1", "1.1"},
	    {"1.21", "1.21"},
	    {"0.30000000000000004", "0.30000000000000004"},
	    {"100.0", "100"},
	    {"-0.5", "-0.5"},
	    {"1e21", "1e+21"},
	    {"2.5e-8", "2.5e-08"},
	    {"0.3333333333333333", "0.3333333333333333"},
	    {"42", "42"},
	    {"-9007199254740993", "-9007199254740993"},
	    {"0", "0"},
	    {"0.0", "0"},
	    {"-0.0", "0"},
	    {"-1234.5", "-1234.5"},
	    {"1.2345678901234568e20", "123456789012345680000"},
	    {"1e-6", "0.000001"},
	    {"1.5e-7", "1.5e-07"},
	    {"5e-324", "5e-324"},
	    {"1.7976931348623157e308", "1.7976931348623157e+308"},
	};
	for (size_t i = 0; i < BZ_ARRAY_LEN(cases); i++) {
		char data[128];
		snprintf(data, sizeof(data), "{\"n\": %s}", cases[i].json);
		CHECK_STR(render("{{n}}", data), cases[i].want);
	}
	CHECK_STR(render("{{#list}}({{.}}){{/list}}", "{\"list\": [1.5, 2, 0.1]}"),
	          "(1.5)(2)(0.1)");
}

static void test_scalars(void)
{
	CHECK_STR(render("[{{t}}][{{f}}][{{z}}][{{missing}}]",
	                 "{\"t\": true, \"f\": false, \"z\": null}"),
	          "[true][false][][]");
	/* objects and arrays have no text of their own */
	CHECK_STR(render("[{{o}}][{{a}}]", "{\"o\": {\"x\": 1}, \"a\": [1]}"), "[][]");
	/* falsey: false, null, missing, the empty list; "" and 0 are not */
	CHECK_STR(render("{{#f}}f{{/f}}{{#z}}z{{/z}}{{#e}}e{{/e}}{{#s}}s{{/s}}{{#n}}n{{/n}}",
	                 "{\"f\": false, \"z\": null, \"e\": [], \"s\": \"\", \"n\": 0}"),
	          "sn");
	/* no data at all */
	CHECK_STR(render("a{{x}}{{.}}{{#x}}b{{/x}}{{^x}}c{{/x}}", NULL), "ac");
	CHECK_STR(render("{{#.}}{{.}},{{/.}}", "[\"a\", 2]"), "a,2,");
}

static void test_partials(void)
{
	struct named items[] = {
	    {"lines", "a\n\nb\n", NULL},
	    {"self", "x{{>self}}", NULL},
	    {"loop", "{{<loop}}{{/loop}}", NULL},
	    {"layout", "<main>\n  {{$body}}\n  default\n  {{/body}}\n</main>\n", NULL},
	    {"inline", "<p>{{$body}}{{/body}}</p>\n", NULL},
	    {"twice", "{{$b}}{{/b}}", NULL},
	};
	struct registry reg = {items, BZ_ARRAY_LEN(items)};
	bz_rc rc;
	if (!compile_all(&reg)) {
		CHECK(false, "partials compile");
		free_all(&reg);
		return;
	}
	/* a standalone partial indents its lines, but not the empty ones */
	CHECK_STR(render_ex("  {{>lines}}\nc\n", "{}", &reg, 0, &rc), "  a\n\n  b\nc\n");
	/* no resolver, or no such partial: nothing */
	CHECK_STR(render("[{{>lines}}]", "{}"), "[]");
	CHECK_STR(render_ex("[{{>nope}}{{<nope}}{{/nope}}]", "{}", &reg, 0, &rc), "[]");
	/* endless recursion stops with an error */
	CHECK(render_ex("{{>self}}", "{}", &reg, 0, &rc) == NULL, "self partial rendered");
	CHECK_INT(rc, BZ_ERR_TOOLARGE);
	CHECK(render_ex("{{<loop}}{{/loop}}", "{}", &reg, 0, &rc) == NULL, "self parent rendered");
	CHECK_INT(rc, BZ_ERR_TOOLARGE);
	/* a block that overrides itself with itself */
	CHECK(render_ex("{{<twice}}{{$b}}{{$b}}{{/b}}{{$b}}{{/b}}{{/b}}{{/twice}}", "{}", &reg, 0,
	                &rc) == NULL,
	      "self block rendered");
	CHECK_INT(rc, BZ_ERR_TOOLARGE);
	/* a layout: the override loses its own indentation, takes the block's */
	CHECK_STR(render_ex("{{<layout}}\n{{$body}}\n    <h1>{{t}}</h1>\n    <p>x</p>\n"
	                    "{{/body}}\n{{/layout}}\n",
	                    "{\"t\": \"T\"}", &reg, 0, &rc),
	          "<main>\n  <h1>T</h1>\n  <p>x</p>\n</main>\n");
	CHECK_STR(render_ex("{{<layout}}{{/layout}}", "{}", &reg, 0, &rc),
	          "<main>\n  default\n</main>\n");
	/* an override placed mid-line loses its indentation on the first line too */
	CHECK_STR(render_ex("{{<inline}}\n  {{$body}}\n    <b>x</b>\n    <i>y</i>\n  {{/body}}\n"
	                    "{{/inline}}\n",
	                    "{}", &reg, 0, &rc),
	          "<p><b>x</b>\n<i>y</i>\n</p>\n");
	free_all(&reg);
}

static void test_limits(void)
{
	bz_rc rc;
	/* output over the builder's cap */
	CHECK(render_ex("{{#l}}0123456789{{/l}}", "{\"l\": [1, 2, 3]}", NULL, 16, &rc) == NULL,
	      "rendered past the cap");
	CHECK_INT(rc, BZ_ERR_NOMEM);
	/* too much work: lists nested in lists */
	struct buf b;
	buf_init(&b, 0);
	for (int i = 0; i < 12; i++)
		buf_puts(&b, "{{#l}}");
	for (int i = 0; i < 12; i++)
		buf_puts(&b, "{{/l}}");
	CHECK(render_ex(buf_cstr(&b), "{\"l\": [1, 2, 3, 4, 5, 6, 7, 8]}", NULL, 0, &rc) == NULL,
	      "8^12 iterations rendered");
	CHECK_INT(rc, BZ_ERR_TOOLARGE);
	buf_free(&b);

	/* source size */
	size_t big = (size_t)4 * 1024 * 1024;
	char *s = malloc(big + 1);
	struct tpl *t = NULL;
	char err[128];
	if (s) {
		memset(s, 'x', big + 1);
		CHECK_INT(tpl_compile(s, big, &t, err, sizeof(err)), BZ_OK);
		tpl_free(t);
		t = NULL;
		CHECK_INT(tpl_compile(s, big + 1, &t, err, sizeof(err)), BZ_ERR_TOOLARGE);
		CHECK(t == NULL, "template set on failure");
		CHECK_CONTAINS(err, "larger than");
		free(s);
	}

	/* nesting: 100 sections deep compile, 101 do not */
	struct buf deep;
	buf_init(&deep, 0);
	for (int i = 0; i < 101; i++)
		buf_puts(&deep, "{{#a}}");
	for (int i = 0; i < 101; i++)
		buf_puts(&deep, "{{/a}}");
	CHECK_INT(tpl_compile(deep.s + 6, deep.len - 12, &t, err, sizeof(err)), BZ_OK);
	tpl_free(t);
	CHECK_INT(tpl_compile(deep.s, deep.len, &t, err, sizeof(err)), BZ_ERR_INVALID);
	CHECK_CONTAINS(err, "nested");
	buf_free(&deep);
}

static void test_compile_errors(void)
{
	static const struct {
		const char *src, *msg;
	} cases[] = {
	    {"a\n{{#x}}\nb", "line 2: {{#x}} is never closed"},
	    {"{{#x}}\n{{^y}}\n{{/x}}", "line 3: {{/x}} does not close {{^y}} opened on line 2"},
	    {"\n\n{{/x}}", "line 3: {{/x}} closes nothing"},
	    {"x\n\n{{oops", "line 3: unclosed tag"},
	    {"{{}}", "line 1: empty tag"},
	    {"{{a b}}", "line 1: bad name"},
	    {"{{a..b}}", "line 1: bad name"},
	    {"{{#.x}}{{/.x}}", "line 1: bad name"},
	    {"{{=<% %>}}", "line 1: bad set-delimiter"},
	    {"{{= a =}}", "line 1: bad set-delimiter"},
	    {"{{= a= b =}}", "line 1: bad set-delimiter"},
	    {"{{!\n\n}}\n{{=<% %>=}}\n<%#a%>\n", "line 5: {{#a}} is never closed"},
	    {"{{{a}}", "line 1: unclosed tag"},
	    {"{{<p}}{{$b}}{{/p}}{{/b}}", "line 1: {{/p}} does not close {{$b}}"},
	};
	for (size_t i = 0; i < BZ_ARRAY_LEN(cases); i++) {
		struct tpl *t = (struct tpl *)1;
		char err[256];
		bz_rc rc = tpl_compile(cases[i].src, strlen(cases[i].src), &t, err, sizeof(err));
		CHECK_INT(rc, BZ_ERR_INVALID);
		CHECK(t == NULL, "template set on failure");
		CHECK_CONTAINS(err, cases[i].msg);
	}
	/* a tiny error buffer is truncated, still terminated; none at all is fine */
	struct tpl *t = NULL;
	char small[8];
	CHECK_INT(tpl_compile("{{#x}}", 6, &t, small, sizeof(small)), BZ_ERR_INVALID);
	CHECK_STR(small, "line 1:");
	CHECK_INT(tpl_compile("{{#x}}", 6, &t, NULL, 0), BZ_ERR_INVALID);
	/* an empty template */
	CHECK_INT(tpl_compile(NULL, 0, &t, small, sizeof(small)), BZ_OK);
	struct buf out;
	buf_init(&out, 0);
	CHECK_INT(tpl_render(t, NULL, NULL, NULL, &out), BZ_OK);
	CHECK_INT(out.len, 0);
	buf_free(&out);
	tpl_free(t);
}

struct job {
	const struct tpl *t;
	struct registry *reg;
	json_t *data;
	const char *want;
	int failures;
};

static void *render_many(void *arg)
{
	struct job *j = arg;
	struct buf out;
	buf_init(&out, 0);
	for (int i = 0; i < 300; i++) {
		buf_reset(&out);
		if (tpl_render(j->t, j->data, resolve, j->reg, &out) != BZ_OK ||
		    strcmp(buf_cstr(&out), j->want) != 0)
			j->failures++;
	}
	buf_free(&out);
	return NULL;
}

static void test_threads(void)
{
	struct named items[] = {
	    {"row", "  <li>{{name}}: {{n}}</li>\n", NULL},
	    {"page", "<ul>\n  {{$rows}}\n  {{/rows}}\n</ul>\n", NULL},
	};
	struct registry reg = {items, BZ_ARRAY_LEN(items)};
	const char *src = "{{<page}}{{$rows}}\n{{#list}}\n{{>row}}\n{{/list}}\n{{/rows}}{{/page}}";
	const char *want = "<ul>\n    <li>a &amp; b: 1.5</li>\n    <li>c: 2</li>\n</ul>\n";
	struct tpl *t = NULL;
	char err[256];
	json_t *data = json_loads("{\"list\": [{\"name\": \"a & b\", \"n\": 1.5},"
	                          " {\"name\": \"c\", \"n\": 2}]}",
	                          0, NULL);
	if (!compile_all(&reg) || tpl_compile(src, strlen(src), &t, err, sizeof(err)) != BZ_OK) {
		CHECK(false, "compile");
		goto out;
	}
	struct job jobs[4];
	pthread_t th[4];
	for (int i = 0; i < 4; i++) {
		jobs[i] = (struct job){t, &reg, data, want, 0};
		CHECK_INT(pthread_create(&th[i], NULL, render_many, &jobs[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		CHECK_INT(jobs[i].failures, 0);
	}
	bz_rc rc;
	CHECK_STR(render_ex(src,
	                    "{\"list\": [{\"name\": \"a & b\", \"n\": 1.5},"
	                    " {\"name\": \"c\", \"n\": 2}]}",
	                    &reg, 0, &rc),
	          want);
out:
	tpl_free(t);
	free_all(&reg);
	json_decref(data);
}

int main(void)
{
	test_escaping();
	test_numbers();
	test_scalars();
	test_partials();
	test_limits();
	test_compile_errors();
	test_threads();
	return t_done();
}
