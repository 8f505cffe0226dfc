/* Shared between the two halves of the Mustache engine: mustache.c compiles
 * a template into this tree, mustache_render.c renders it. Private to
 * src/view. */
#ifndef BIZSOS_MUSTACHE_INTERNAL_H
#define BIZSOS_MUSTACHE_INTERNAL_H

#include "bizsos/mustache.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TPL_MAX_SRC    ((size_t)4 * 1024 * 1024) /* bytes of template source */
#define TPL_MAX_NEST   100                       /* sections open at once in one template */
#define TPL_MAX_DEPTH  64                        /* partials, parents and overrides in flight */
#define TPL_MAX_LEVELS 512                       /* nested render calls of all kinds */
#define TPL_MIN_STEPS  ((uint64_t)1 << 16)       /* nodes and node lists one render may visit: */
#define TPL_MAX_STEPS  ((uint64_t)1 << 24)       /* a quarter of the output cap, within these */
#define ARENA_CHUNK    ((size_t)16 * 1024)

/* ---- the compiled tree ---------------------------------------------------- */

enum node_kind {
	N_TEXT,
	N_VAR,      /* {{name}}, {{{name}}}, {{&name}} */
	N_SECTION,  /* {{#name}}kids{{/name}} */
	N_INVERTED, /* {{^name}}kids{{/name}} */
	N_PARTIAL,  /* {{>name}} */
	N_PARENT,   /* {{<name}}blocks{{/name}}: kids are the overriding blocks */
	N_BLOCK,    /* {{$name}}kids{{/name}}: a default inside a template, an
	               override inside a parent */
};

/* A dotted name; n == 0 is the implicit iterator ".". */
struct path {
	const char *const *parts;
	size_t n;
};

struct node {
	enum node_kind kind;
	bool raw;        /* N_VAR: no HTML escaping */
	bool standalone; /* N_PARTIAL, N_PARENT, N_BLOCK: the (opening) tag stood alone */
	const char *s;   /* N_TEXT: the text; N_PARTIAL, N_PARENT, N_BLOCK: the name */
	size_t len;
	struct path path; /* N_VAR, N_SECTION, N_INVERTED */
	const struct node *kids;
	size_t nkids;
	/* N_PARTIAL, N_PARENT: the indentation of a standalone tag. N_BLOCK: the
	 * block's own indentation, removed from an override's lines and added to
	 * the lines that replace a default. */
	const char *indent;
	size_t indent_len;
};

struct tpl {
	struct chunk *arena;
	const struct node *nodes;
	size_t n;
};

static inline bool is_ws(char c)
{
	return c == ' ' || c == '\t';
}

/* The length of the run of spaces and tabs s starts with. */
static inline size_t ws_prefix(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && is_ws(s[i]))
		i++;
	return i;
}

#endif
