/* Rendering a compiled Mustache tree (mustache.c compiles it) over Jansson
 * values.
 *
 * Rendering tracks whether the output is at the start of a line written by
 * template text. Only there is indentation added: a standalone partial or
 * parent indents each line of its template; an overriding block first loses
 * its own indentation, then takes that of the block it replaces. Interpolated
 * newlines never start an indented line. */
#include "mustache_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- rendering ------------------------------------------------------------ */

/* The context stack, innermost first. */
struct frame {
	json_t *v;
	const struct frame *up;
};

/* One indentation rule, innermost first: a line's leading whitespace loses its
 * longest common prefix with strip, then gains add in front. */
struct xform {
	const char *strip;
	size_t strip_len;
	const char *add;
	size_t add_len;
	const struct xform *up;
};

/* The blocks passed by the parents being rendered, innermost first. */
struct args {
	const struct node *blocks;
	size_t n;
	const struct args *up;
};

struct render {
	tpl_partial_fn partials;
	void *pctx;
	struct buf *out;
	struct buf scratch[2];
	bool at_bol; /* the output is at the start of a line of template text */
	/* an override began mid-line: its first line loses this indentation */
	const char *lead_strip;
	size_t lead_strip_len;
	unsigned depth, levels;
	uint64_t steps, max_steps;
	bz_rc rc;
};

static json_t *lookup(const struct frame *ctx, const struct path *path)
{
	if (path->n == 0)
		return ctx ? ctx->v : NULL;
	json_t *v = NULL;
	for (; ctx; ctx = ctx->up)
		if (json_is_object(ctx->v) && (v = json_object_get(ctx->v, path->parts[0])) != NULL)
			break;
	for (size_t i = 1; v && i < path->n; i++)
		v = json_is_object(v) ? json_object_get(v, path->parts[i]) : NULL;
	return v;
}

static bool falsey(const json_t *v)
{
	return v == NULL || json_is_null(v) || json_is_false(v) ||
	       (json_is_array(v) && json_array_size(v) == 0);
}

/* The shortest decimal that reads back as the same double, written as
 * JavaScript does: plain digits from 1e-6 up to 1e21 ("100", "0.1", "1.21"),
 * exponent form outside ("1e+21", "2.5e-07"). out holds at least 64 bytes. */
static void format_real(double d, char *out, size_t outlen)
{
	char e[40];
	int prec = 0;
	if (d == 0 || !isfinite(d)) {
		snprintf(out, outlen, "%g", d == 0 ? 0.0 : d);
		return;
	}
	for (; prec < 16; prec++) {
		snprintf(e, sizeof(e), "%.*e", prec, d);
		if (strtod(e, NULL) == d)
			break;
	}
	snprintf(e, sizeof(e), "%.*e", prec, d);
	const char *mark = strchr(e, 'e');
	int exp = mark ? atoi(mark + 1) : 0;
	if (mark == NULL || exp < -6 || exp >= 21) {
		snprintf(out, outlen, "%.*g", prec + 1, d);
		return;
	}
	char digits[24];
	size_t nd = 0, k = 0;
	for (const char *c = e; c < mark && nd < sizeof(digits); c++)
		if (*c >= '0' && *c <= '9')
			digits[nd++] = *c;
	char tmp[64];
	if (d < 0)
		tmp[k++] = '-';
	if (exp < 0) {
		tmp[k++] = '0';
		tmp[k++] = '.';
		for (int z = -1; z > exp; z--)
			tmp[k++] = '0';
		for (size_t i = 0; i < nd; i++)
			tmp[k++] = digits[i];
	} else {
		for (size_t i = 0; i < nd || i <= (size_t)exp; i++) {
			if (i == (size_t)exp + 1)
				tmp[k++] = '.';
			tmp[k++] = i < nd ? digits[i] : '0';
		}
	}
	tmp[k] = '\0';
	snprintf(out, outlen, "%s", tmp);
}

/* The text of a scalar: numbers in C, true/false as words, everything else
 * (null, objects, arrays) as nothing. */
static void scalar_text(json_t *v, char *num, size_t numlen, const char **s, size_t *len)
{
	*s = "";
	*len = 0;
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING:
		*s = json_string_value(v);
		*len = json_string_length(v);
		return;
	case JSON_INTEGER:
		snprintf(num, numlen, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		format_real(json_real_value(v), num, numlen);
		break;
	case JSON_TRUE:
		*s = "true";
		*len = 4;
		return;
	case JSON_FALSE:
		*s = "false";
		*len = 5;
		return;
	default:
		return;
	}
	*s = num;
	*len = strlen(num);
}

/* Writes the indentation of a line whose own leading whitespace is w. */
static void emit_indent(struct render *r, const struct xform *xf, const char *w, size_t wlen)
{
	const char *cur = w;
	size_t len = wlen;
	int i = 0;
	for (; xf; xf = xf->up, i ^= 1) {
		size_t keep = 0;
		while (keep < len && keep < xf->strip_len && cur[keep] == xf->strip[keep])
			keep++;
		struct buf *b = &r->scratch[i];
		buf_reset(b);
		buf_append(b, xf->add, xf->add_len);
		buf_append(b, cur + keep, len - keep);
		if (b->failed) {
			r->rc = BZ_ERR_NOMEM;
			return;
		}
		cur = b->len ? b->s : "";
		len = b->len;
	}
	buf_append(r->out, cur, len);
}

static void emit_text(struct render *r, const struct xform *xf, const char *s, size_t n)
{
	if (r->lead_strip) {
		if (!r->at_bol) {
			size_t k = 0;
			while (k < n && k < r->lead_strip_len && s[k] == r->lead_strip[k])
				k++;
			s += k;
			n -= k;
		}
		r->lead_strip = NULL;
	}
	if (xf == NULL) {
		buf_append(r->out, s, n);
		if (n)
			r->at_bol = s[n - 1] == '\n';
		return;
	}
	while (n) {
		const char *nl = memchr(s, '\n', n);
		size_t line = nl ? (size_t)(nl - s) + 1 : n;
		bool blank = (line == 1 && s[0] == '\n') || (line == 2 && s[0] == '\r' && nl);
		if (r->at_bol && !blank) {
			size_t w = ws_prefix(s, line);
			emit_indent(r, xf, s, w);
			s += w;
			n -= w;
			line -= w;
		}
		buf_append(r->out, s, line);
		r->at_bol = nl != NULL;
		s += line;
		n -= line;
	}
}

static void emit_var(struct render *r, const struct xform *xf, const struct node *nd,
                     const struct frame *ctx)
{
	char num[64];
	const char *s;
	size_t len;
	scalar_text(lookup(ctx, &nd->path), num, sizeof(num), &s, &len);
	if (len == 0)
		return;
	if (r->at_bol && xf)
		emit_indent(r, xf, "", 0);
	r->at_bol = false;
	r->lead_strip = NULL;
	if (nd->raw)
		buf_append(r->out, s, len);
	else
		buf_html_escape(r->out, s, len);
}

static const struct node *find_override(const struct args *a, const struct node *slot)
{
	const struct node *found = NULL; /* the outermost parent's block wins */
	for (; a; a = a->up) {
		for (size_t i = 0; i < a->n; i++) {
			if (a->blocks[i].len == slot->len &&
			    memcmp(a->blocks[i].s, slot->s, slot->len) == 0) {
				found = &a->blocks[i];
				break;
			}
		}
	}
	return found;
}

static bz_rc render_nodes(struct render *r, const struct node *nodes, size_t n,
                          const struct frame *ctx, const struct xform *xf, const struct args *args);

/* Renders another template (a partial or a parent) in place of nd. */
static bz_rc render_other(struct render *r, const struct node *nd, const struct frame *ctx,
                          const struct xform *xf, const struct args *args)
{
	const struct tpl *t = r->partials ? r->partials(r->pctx, nd->s) : NULL;
	if (t == NULL)
		return BZ_OK;
	struct xform x = {.add = nd->indent, .add_len = nd->indent_len, .up = xf};
	struct args a = {.blocks = nd->kids, .n = nd->nkids, .up = args};
	if (r->depth >= TPL_MAX_DEPTH)
		return BZ_ERR_TOOLARGE;
	r->depth++;
	bz_rc rc = render_nodes(r, t->nodes, t->n, ctx, nd->indent_len ? &x : xf,
	                        nd->kind == N_PARENT ? &a : args);
	r->depth--;
	return rc;
}

static bz_rc render_block(struct render *r, const struct node *nd, const struct frame *ctx,
                          const struct xform *xf, const struct args *args)
{
	const struct node *ov = find_override(args, nd);
	if (ov == NULL)
		return render_nodes(r, nd->kids, nd->nkids, ctx, xf, args);
	struct xform x = {.strip = ov->indent,
	                  .strip_len = ov->indent_len,
	                  .add = nd->indent,
	                  .add_len = nd->indent_len,
	                  .up = xf};
	if (r->depth >= TPL_MAX_DEPTH)
		return BZ_ERR_TOOLARGE;
	if (!r->at_bol && ov->standalone) {
		r->lead_strip = ov->indent;
		r->lead_strip_len = ov->indent_len;
	}
	r->depth++;
	bz_rc rc = render_nodes(r, ov->kids, ov->nkids, ctx, &x, args);
	r->depth--;
	return rc;
}

static bz_rc render_nodes(struct render *r, const struct node *nodes, size_t n,
                          const struct frame *ctx, const struct xform *xf, const struct args *args)
{
	bz_rc rc = BZ_OK;
	if (r->levels >= TPL_MAX_LEVELS || ++r->steps > r->max_steps)
		return BZ_ERR_TOOLARGE;
	r->levels++;
	for (size_t i = 0; i < n && rc == BZ_OK; i++) {
		const struct node *nd = &nodes[i];
		if (++r->steps > r->max_steps) {
			rc = BZ_ERR_TOOLARGE;
			break;
		}
		if (r->out->failed || r->rc != BZ_OK) {
			rc = r->rc != BZ_OK ? r->rc : BZ_ERR_NOMEM;
			break;
		}
		json_t *v;
		struct frame f = {.up = ctx};
		switch (nd->kind) {
		case N_TEXT:
			emit_text(r, xf, nd->s, nd->len);
			break;
		case N_VAR:
			emit_var(r, xf, nd, ctx);
			break;
		case N_SECTION:
			v = lookup(ctx, &nd->path);
			if (falsey(v))
				break;
			if (!json_is_array(v)) {
				f.v = v;
				rc = render_nodes(r, nd->kids, nd->nkids, &f, xf, args);
				break;
			}
			for (size_t k = 0; k < json_array_size(v) && rc == BZ_OK; k++) {
				f.v = json_array_get(v, k);
				rc = render_nodes(r, nd->kids, nd->nkids, &f, xf, args);
			}
			break;
		case N_INVERTED:
			if (falsey(lookup(ctx, &nd->path)))
				rc = render_nodes(r, nd->kids, nd->nkids, ctx, xf, args);
			break;
		case N_PARTIAL:
		case N_PARENT:
			rc = render_other(r, nd, ctx, xf, args);
			break;
		case N_BLOCK:
			rc = render_block(r, nd, ctx, xf, args);
			break;
		}
	}
	r->levels--;
	return rc;
}

bz_rc tpl_render(const struct tpl *t, json_t *data, tpl_partial_fn partials, void *pctx,
                 struct buf *out)
{
	struct render r = {.partials = partials, .pctx = pctx, .out = out, .at_bol = true};
	struct frame root = {.v = data};
	if (t == NULL)
		return BZ_ERR_INVALID;
	/* a render that stops writing must not run on for ever */
	r.max_steps = out->max / 4;
	if (r.max_steps < TPL_MIN_STEPS)
		r.max_steps = TPL_MIN_STEPS;
	if (r.max_steps > TPL_MAX_STEPS)
		r.max_steps = TPL_MAX_STEPS;
	buf_init(&r.scratch[0], out->max);
	buf_init(&r.scratch[1], out->max);
	bz_rc rc = render_nodes(&r, t->nodes, t->n, &root, NULL, NULL);
	if (rc == BZ_OK && r.rc != BZ_OK)
		rc = r.rc;
	if (rc == BZ_OK && out->failed)
		rc = BZ_ERR_NOMEM;
	buf_free(&r.scratch[0]);
	buf_free(&r.scratch[1]);
	return rc;
}
