/* Mustache templates over Jansson values: spec v1.4.2 core modules plus
 * ~inheritance (parents and blocks), without lambdas.
 *
 * tpl_compile works in three passes over the source:
 *   1. tokenize: text runs and tags, following set-delimiter tags, checking that
 *      sections nest and close;
 *   2. standalone lines: a line holding only whitespace and one non-interpolating
 *      tag (or only parent tags and the blocks they pass) loses its whitespace
 *      and its line ending;
 *   3. build the tree of nodes, every byte of it in one arena owned by the tpl.
 * A compiled tpl is never written again, so any number of threads may render it.
 *
 * Rendering (mustache_render.c) tracks whether the output is at the start of a line written by
 * template text. Only there is indentation added: a standalone partial or
 * parent indents each line of its template; an overriding block first loses
 * its own indentation, then takes that of the block it replaces. Interpolated
 * newlines never start an indented line. */
#include "mustache_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- arena ---------------------------------------------------------------- */

struct chunk {
	struct chunk *next;
	size_t used, cap; /* bytes of mem */
	max_align_t mem[];
};

static void *arena_alloc(struct chunk **arena, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / 2 / size)
		return NULL;
	size_t bytes = n * size;
	size_t align = sizeof(max_align_t);
	bytes = (bytes + align - 1) / align * align;
	struct chunk *c = *arena;
	if (c == NULL || c->cap - c->used < bytes) {
		size_t cap = bytes > ARENA_CHUNK ? bytes : ARENA_CHUNK;
		c = malloc(sizeof(*c) + cap);
		if (c == NULL)
			return NULL;
		c->used = 0;
		c->cap = cap;
		c->next = *arena;
		*arena = c;
	}
	void *p = (unsigned char *)c->mem + c->used;
	c->used += bytes;
	return p;
}

static char *arena_strndup(struct chunk **arena, const char *s, size_t n)
{
	char *d = arena_alloc(arena, n + 1, 1);
	if (d == NULL)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static void arena_free(struct chunk *c)
{
	while (c) {
		struct chunk *next = c->next;
		free(c);
		c = next;
	}
}

/* ---- pass 1: tokens ------------------------------------------------------- */

enum tok_kind {
	T_TEXT,
	T_VAR,
	T_SECTION,
	T_INVERTED,
	T_CLOSE,
	T_PARTIAL,
	T_PARENT,
	T_BLOCK,
	T_COMMENT,
	T_DELIM,
};

struct tok {
	enum tok_kind kind;
	bool raw;
	bool standalone;
	bool shares_line;    /* a parent tag or a block it passes: may share a standalone line */
	uint32_t start, end; /* T_TEXT: the text; other tags: the name */
	uint32_t line;
	uint32_t match;        /* opening tag: its close; T_CLOSE: its opening tag */
	uint32_t pre, pre_len; /* the whitespace that starts the tag's line */
};

struct parser {
	const char *src;
	size_t len;
	struct tok *toks;
	size_t ntok, cap;
	uint32_t open[TPL_MAX_NEST];
	size_t nopen;
	char *err;
	size_t errlen;
	struct chunk *arena;
};

static bz_rc BZ_PRINTF(3, 4) fail(struct parser *p, uint32_t line, const char *fmt, ...)
{
	if (p->err == NULL || p->errlen == 0)
		return BZ_ERR_INVALID;
	int n = snprintf(p->err, p->errlen, "line %u: ", (unsigned)line);
	if (n >= 0 && (size_t)n < p->errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return BZ_ERR_INVALID;
}

static bool is_space(char c)
{
	return is_ws(c) || c == '\n' || c == '\r';
}

static size_t find(const char *s, size_t len, size_t from, const char *pat, size_t plen)
{
	while (from < len && len - from >= plen) {
		const char *hit = memchr(s + from, pat[0], len - from - plen + 1);
		if (hit == NULL)
			break;
		size_t at = (size_t)(hit - s);
		if (memcmp(hit, pat, plen) == 0)
			return at;
		from = at + 1;
	}
	return SIZE_MAX;
}

static uint32_t count_lines(const char *s, size_t n)
{
	uint32_t k = 0;
	for (const char *e = s + n; (s = memchr(s, '\n', (size_t)(e - s))) != NULL; s++)
		k++;
	return k;
}

static bool push_tok(struct parser *p, const struct tok *t)
{
	if (p->ntok == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct tok *toks = realloc(p->toks, cap * sizeof(*toks));
		if (toks == NULL)
			return false;
		p->toks = toks;
		p->cap = cap;
	}
	p->toks[p->ntok++] = *t;
	return true;
}

/* A name is one run of characters without whitespace. Variables and sections
 * take dotted names: "." or parts separated by single dots. */
static bool valid_name(const char *s, size_t n, bool dotted)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (is_space(s[i]) || s[i] == '\0')
			return false;
	if (!dotted || (n == 1 && s[0] == '.'))
		return true;
	if (s[0] == '.' || s[n - 1] == '.')
		return false;
	for (size_t i = 1; i < n; i++)
		if (s[i] == '.' && s[i - 1] == '.')
			return false;
	return true;
}

static const char *tag_sigil(const struct tok *t)
{
	switch (t->kind) {
	case T_SECTION:
		return "#";
	case T_INVERTED:
		return "^";
	case T_PARENT:
		return "<";
	case T_BLOCK:
		return "$";
	default:
		return "";
	}
}

/* Reads "{{=<% %>=}}"'s inner "<% %>" into the new delimiters. */
static bool parse_delims(const char *s, size_t n, const char **o, size_t *olen, const char **c,
                         size_t *clen)
{
	if (n < 2 || s[n - 1] != '=')
		return false;
	size_t i = 1, end = n - 1;
	while (i < end && is_ws(s[i]))
		i++;
	while (end > i && is_ws(s[end - 1]))
		end--;
	size_t a = i;
	while (i < end && !is_ws(s[i]))
		i++;
	size_t alen = i - a;
	while (i < end && is_ws(s[i]))
		i++;
	size_t b = i;
	while (i < end && !is_ws(s[i]))
		i++;
	size_t blen = i - b;
	if (alen == 0 || blen == 0 || i != end)
		return false;
	if (memchr(s + a, '=', alen) || memchr(s + b, '=', blen) || memchr(s + a, '\n', alen) ||
	    memchr(s + b, '\n', blen) || memchr(s + a, '\r', alen) || memchr(s + b, '\r', blen))
		return false;
	*o = s + a;
	*olen = alen;
	*c = s + b;
	*clen = blen;
	return true;
}

/* Classifies the tag whose trimmed content is src[cs..ce) and pushes it. */
static bz_rc add_tag(struct parser *p, size_t cs, size_t ce, bool triple, uint32_t line,
                     const char **otag, size_t *olen, const char **ctag, size_t *clen)
{
	const char *s = p->src;
	struct tok t = {.line = line};
	if (cs == ce)
		return fail(p, line, "empty tag");
	char sigil = triple ? '{' : s[cs];
	switch (sigil) {
	case '{':
		t.kind = T_VAR;
		t.raw = true;
		break;
	case '&':
		t.kind = T_VAR;
		t.raw = true;
		cs++;
		break;
	case '!':
		t.kind = T_COMMENT;
		return push_tok(p, &t) ? BZ_OK : BZ_ERR_NOMEM;
	case '=':
		t.kind = T_DELIM;
		if (!parse_delims(s + cs, ce - cs, otag, olen, ctag, clen))
			return fail(p, line, "bad set-delimiter tag (want {{=<open> <close>=}})");
		return push_tok(p, &t) ? BZ_OK : BZ_ERR_NOMEM;
	case '#':
		t.kind = T_SECTION;
		cs++;
		break;
	case '^':
		t.kind = T_INVERTED;
		cs++;
		break;
	case '/':
		t.kind = T_CLOSE;
		cs++;
		break;
	case '>':
		t.kind = T_PARTIAL;
		cs++;
		break;
	case '<':
		t.kind = T_PARENT;
		cs++;
		break;
	case '$':
		t.kind = T_BLOCK;
		cs++;
		break;
	default:
		t.kind = T_VAR;
		break;
	}
	while (cs < ce && is_space(s[cs]))
		cs++;
	bool dotted = t.kind == T_VAR || t.kind == T_SECTION || t.kind == T_INVERTED;
	if (!valid_name(s + cs, ce - cs, dotted))
		return fail(p, line, "bad name \"%.*s\" in tag", (int)(ce - cs > 60 ? 60 : ce - cs),
		            s + cs);
	t.start = (uint32_t)cs;
	t.end = (uint32_t)ce;

	uint32_t idx = (uint32_t)p->ntok;
	if (t.kind == T_SECTION || t.kind == T_INVERTED || t.kind == T_PARENT ||
	    t.kind == T_BLOCK) {
		if (p->nopen == TPL_MAX_NEST)
			return fail(p, line, "sections nested more than %d deep", TPL_MAX_NEST);
		const struct tok *up = p->nopen ? &p->toks[p->open[p->nopen - 1]] : NULL;
		t.shares_line =
		    t.kind == T_PARENT || (t.kind == T_BLOCK && up != NULL && up->kind == T_PARENT);
		p->open[p->nopen++] = idx;
	} else if (t.kind == T_CLOSE) {
		if (p->nopen == 0)
			return fail(p, line, "{{/%.*s}} closes nothing", (int)(ce - cs), s + cs);
		struct tok *o = &p->toks[p->open[p->nopen - 1]];
		if (o->end - o->start != ce - cs || memcmp(s + o->start, s + cs, ce - cs) != 0)
			return fail(p, line,
			            "{{/%.*s}} does not close {{%s%.*s}} opened on line %u",
			            (int)(ce - cs), s + cs, tag_sigil(o), (int)(o->end - o->start),
			            s + o->start, (unsigned)o->line);
		o->match = idx;
		t.match = p->open[--p->nopen];
		t.shares_line = o->shares_line;
	}
	return push_tok(p, &t) ? BZ_OK : BZ_ERR_NOMEM;
}

static bz_rc tokenize(struct parser *p)
{
	const char *s = p->src;
	size_t len = p->len, pos = 0;
	const char *otag = "{{", *ctag = "}}";
	size_t olen = 2, clen = 2;
	uint32_t line = 1;
	bz_rc rc;

	while (pos < len) {
		size_t o = find(s, len, pos, otag, olen);
		if (o == SIZE_MAX)
			o = len;
		if (o > pos) {
			struct tok t = {.kind = T_TEXT,
			                .start = (uint32_t)pos,
			                .end = (uint32_t)o,
			                .line = line};
			if (!push_tok(p, &t))
				return BZ_ERR_NOMEM;
			line += count_lines(s + pos, o - pos);
		}
		if (o == len)
			break;
		size_t cs = o + olen, ce, end;
		bool triple = cs < len && s[cs] == '{';
		if (triple) {
			/* "{" name "}" close-delimiter */
			cs++;
			size_t from = cs;
			for (;;) {
				ce = find(s, len, from, ctag, clen);
				if (ce == SIZE_MAX || (ce > cs && s[ce - 1] == '}'))
					break;
				from = ce + 1;
			}
			if (ce == SIZE_MAX)
				return fail(p, line, "unclosed tag");
			end = ce + clen;
			ce--;
		} else {
			ce = find(s, len, cs, ctag, clen);
			if (ce == SIZE_MAX)
				return fail(p, line, "unclosed tag");
			end = ce + clen;
		}
		while (cs < ce && is_space(s[cs]))
			cs++;
		while (ce > cs && is_space(s[ce - 1]))
			ce--;
		if ((rc = add_tag(p, cs, ce, triple, line, &otag, &olen, &ctag, &clen)) != BZ_OK)
			return rc;
		line += count_lines(s + o, end - o);
		pos = end;
	}
	if (p->nopen > 0) {
		const struct tok *o = &p->toks[p->open[p->nopen - 1]];
		return fail(p, o->line, "{{%s%.*s}} is never closed", tag_sigil(o),
		            (int)(o->end - o->start), s + o->start);
	}
	return BZ_OK;
}

/* ---- pass 2: standalone lines --------------------------------------------- */

static bool all_ws(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_ws(s[i]))
			return false;
	return true;
}

/* Looks at one line's tags toks[first..last] (with the text between them) and
 * strips the line if it is standalone. */
static void standalone_line(struct parser *p, size_t first, size_t last)
{
	const char *s = p->src;
	struct tok *prev = first > 0 ? &p->toks[first - 1] : NULL;
	struct tok *next = last + 1 < p->ntok ? &p->toks[last + 1] : NULL;

	/* the line so far: the text after the last newline before the tag */
	uint32_t pre = prev ? prev->start : 0, pre_end = prev ? prev->end : 0;
	if (prev) {
		for (uint32_t i = prev->end; i > prev->start; i--) {
			if (s[i - 1] == '\n') {
				pre = i;
				break;
			}
		}
	}
	uint32_t pre_ws = (uint32_t)ws_prefix(s + pre, pre_end - pre);

	bool ok = pre_ws == pre_end - pre, shares = true;
	size_t ntags = 0;
	for (size_t i = first; i <= last; i++) {
		struct tok *t = &p->toks[i];
		if (t->kind == T_TEXT) {
			ok = ok && all_ws(s + t->start, t->end - t->start);
			continue;
		}
		t->pre = pre;
		t->pre_len = pre_ws;
		ntags++;
		if (t->kind == T_VAR)
			ok = false;
		if (!t->shares_line)
			shares = false;
	}
	/* the rest of the line: whitespace, then a line ending or the end */
	uint32_t suffix_end = 0;
	if (next) {
		const char *nl = memchr(s + next->start, '\n', next->end - next->start);
		uint32_t stop = nl ? (uint32_t)(nl - s) : next->end;
		uint32_t ws_end =
		    next->start + (uint32_t)ws_prefix(s + next->start, stop - next->start);
		if (nl && ws_end + 1 == stop && s[ws_end] == '\r')
			ws_end++;
		ok = ok && ws_end == stop;
		suffix_end = nl ? stop + 1 : stop;
	}
	if (!ok || (ntags > 1 && !shares))
		return;
	if (prev)
		prev->end = pre;
	for (size_t i = first; i <= last; i++) {
		struct tok *t = &p->toks[i];
		if (t->kind == T_TEXT)
			t->end = t->start;
		else
			t->standalone = true;
	}
	if (next)
		next->start = suffix_end;
}

static void strip_standalone(struct parser *p)
{
	const char *s = p->src;
	size_t k = 0;
	while (k < p->ntok) {
		if (p->toks[k].kind == T_TEXT) {
			k++;
			continue;
		}
		/* the line's tags run on through text without a newline */
		size_t last = k, j = k + 1;
		while (j < p->ntok) {
			const struct tok *t = &p->toks[j];
			if (t->kind != T_TEXT) {
				last = j++;
				continue;
			}
			if (j + 1 < p->ntok && !memchr(s + t->start, '\n', t->end - t->start)) {
				j++;
				continue;
			}
			break;
		}
		standalone_line(p, k, last);
		k = last + 1;
	}
}

/* ---- pass 3: the tree ----------------------------------------------------- */

static bool build_path(struct parser *p, const struct tok *t, struct path *out)
{
	const char *s = p->src + t->start;
	size_t n = t->end - t->start;
	out->parts = NULL;
	out->n = 0;
	if (n == 1 && s[0] == '.')
		return true;
	size_t nparts = 1;
	for (size_t i = 0; i < n; i++)
		nparts += s[i] == '.';
	const char **parts = arena_alloc(&p->arena, nparts, sizeof(*parts));
	if (parts == NULL)
		return false;
	size_t a = 0, k = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != '.')
			continue;
		if ((parts[k++] = arena_strndup(&p->arena, s + a, i - a)) == NULL)
			return false;
		a = i + 1;
	}
	out->parts = parts;
	out->n = nparts;
	return true;
}

/* A block's own indentation. Its opening tag standing alone, that is the
 * indentation of its first non-blank line (or of the tag when it is empty);
 * otherwise that of the line the tag is on. */
static void block_indent(const struct parser *p, size_t k, const char **ind, size_t *len)
{
	const struct tok *open = &p->toks[k];
	const char *s = p->src;
	*ind = s + open->pre;
	*len = open->pre_len;
	if (!open->standalone)
		return;
	for (size_t i = k + 1; i < open->match; i++) {
		const struct tok *t = &p->toks[i];
		if (t->kind == T_COMMENT || t->kind == T_DELIM)
			continue;
		if (t->kind != T_TEXT) {
			*ind = s + t->pre;
			*len = t->pre_len;
			return;
		}
		uint32_t a = t->start;
		while (a < t->end) {
			uint32_t w = a + (uint32_t)ws_prefix(s + a, t->end - a);
			if (w < t->end && s[w] == '\r' && w + 1 < t->end && s[w + 1] == '\n')
				w++;
			if (w == t->end || s[w] != '\n') {
				*ind = s + a;
				*len = ws_prefix(s + a, t->end - a);
				return;
			}
			a = w + 1; /* a blank line */
		}
	}
}

static bool opens(const struct tok *t)
{
	return t->kind == T_SECTION || t->kind == T_INVERTED || t->kind == T_PARENT ||
	       t->kind == T_BLOCK;
}

/* Whether toks[i] becomes a node; a parent keeps only the blocks it passes. */
static bool becomes_node(const struct tok *t, bool args_only)
{
	if (args_only)
		return t->kind == T_BLOCK;
	if (t->kind == T_TEXT)
		return t->end > t->start;
	return t->kind != T_COMMENT && t->kind != T_DELIM && t->kind != T_CLOSE;
}

static bz_rc build_node(struct parser *p, size_t i, struct node *nd);

/* The nodes made of toks[from..to), into arena arrays. */
static bz_rc build(struct parser *p, size_t from, size_t to, bool args_only,
                   const struct node **out, size_t *nout)
{
	size_t n = 0;
	for (size_t i = from; i < to; i = (opens(&p->toks[i]) ? p->toks[i].match : i) + 1)
		n += becomes_node(&p->toks[i], args_only);
	*out = NULL;
	*nout = 0;
	if (n == 0)
		return BZ_OK;
	struct node *nodes = arena_alloc(&p->arena, n, sizeof(*nodes));
	if (nodes == NULL)
		return BZ_ERR_NOMEM;
	size_t k = 0;
	bz_rc rc;
	for (size_t i = from; i < to; i = (opens(&p->toks[i]) ? p->toks[i].match : i) + 1) {
		if (!becomes_node(&p->toks[i], args_only))
			continue;
		if ((rc = build_node(p, i, &nodes[k++])) != BZ_OK)
			return rc;
	}
	*out = nodes;
	*nout = n;
	return BZ_OK;
}

static bz_rc build_node(struct parser *p, size_t i, struct node *nd)
{
	const struct tok *t = &p->toks[i];
	memset(nd, 0, sizeof(*nd));
	nd->standalone = t->standalone;
	nd->raw = t->raw;
	switch (t->kind) {
	case T_TEXT:
		nd->kind = N_TEXT;
		nd->s = p->src + t->start;
		nd->len = t->end - t->start;
		return BZ_OK;
	case T_VAR:
	case T_SECTION:
	case T_INVERTED:
		nd->kind = t->kind == T_VAR ? N_VAR : t->kind == T_SECTION ? N_SECTION : N_INVERTED;
		if (!build_path(p, t, &nd->path))
			return BZ_ERR_NOMEM;
		break;
	default:
		nd->kind = t->kind == T_PARTIAL  ? N_PARTIAL
		           : t->kind == T_PARENT ? N_PARENT
		                                 : N_BLOCK;
		nd->len = t->end - t->start;
		if ((nd->s = arena_strndup(&p->arena, p->src + t->start, nd->len)) == NULL)
			return BZ_ERR_NOMEM;
		if (t->kind == T_BLOCK) {
			block_indent(p, i, &nd->indent, &nd->indent_len);
		} else if (t->standalone) {
			nd->indent = p->src + t->pre;
			nd->indent_len = t->pre_len;
		}
		break;
	}
	if (!opens(t))
		return BZ_OK;
	return build(p, i + 1, t->match, t->kind == T_PARENT, &nd->kids, &nd->nkids);
}

bz_rc tpl_compile(const char *src, size_t len, struct tpl **out, char *err, size_t errlen)
{
	struct parser p = {.err = err, .errlen = errlen};
	struct tpl *t = NULL;
	bz_rc rc;

	*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	if (len > TPL_MAX_SRC) {
		if (err && errlen)
			snprintf(err, errlen, "template is larger than %zu MiB", TPL_MAX_SRC >> 20);
		return BZ_ERR_TOOLARGE;
	}
	if (src == NULL && len > 0)
		return fail(&p, 0, "no template");
	/* text nodes point into this copy */
	char *copy = arena_strndup(&p.arena, len ? src : "", len);
	if (copy == NULL) {
		rc = BZ_ERR_NOMEM;
		goto err;
	}
	p.src = copy;
	p.len = len;
	if ((rc = tokenize(&p)) != BZ_OK)
		goto err;
	strip_standalone(&p);
	t = arena_alloc(&p.arena, 1, sizeof(*t));
	if (t == NULL) {
		rc = BZ_ERR_NOMEM;
		goto err;
	}
	if ((rc = build(&p, 0, p.ntok, false, &t->nodes, &t->n)) != BZ_OK)
		goto err;
	free(p.toks);
	/* the tpl lives in its own arena: move the arena into it */
	t->arena = p.arena;
	*out = t;
	return BZ_OK;
err:
	if (rc == BZ_ERR_NOMEM && err && errlen)
		snprintf(err, errlen, "out of memory");
	free(p.toks);
	arena_free(p.arena);
	return rc;
}

void tpl_free(struct tpl *t)
{
	if (t)
		arena_free(t->arena);
}
