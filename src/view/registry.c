/* The template registry: every templates/<path>.mustache compiled once at start
 * (or, in dev mode, from disk on every render so edits show at once). */
#include "bizsos/view.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TEMPLATE_MAX_BYTES (4 * 1024 * 1024)
#define TEMPLATE_MAX_COUNT 1024

struct entry {
	char *name; /* "admin/users" */
	struct tpl *tpl;
};

struct view {
	char dir[PATH_MAX];
	bool dev;
	struct entry *items;
	size_t n;
};

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static void entries_free(struct view *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->items[i].name);
		tpl_free(v->items[i].tpl);
	}
	free(v->items);
	v->items = NULL;
	v->n = 0;
}

static bz_rc load_file(struct view *v, const char *path, const char *name, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return BZ_ERR_IO;
	}
	struct buf b;
	buf_init(&b, TEMPLATE_MAX_BYTES);
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	if (b.failed) {
		buf_free(&b);
		snprintf(err, errlen, "%s: larger than 4 MiB", path);
		return BZ_ERR_TOOLARGE;
	}
	struct tpl *t = NULL;
	char msg[256] = "";
	bz_rc rc = tpl_compile(b.s ? b.s : "", b.len, &t, msg, sizeof(msg));
	buf_free(&b);
	if (rc != BZ_OK) {
		snprintf(err, errlen, "%s: %s", path, msg);
		return rc;
	}
	if (v->n >= TEMPLATE_MAX_COUNT) {
		tpl_free(t);
		snprintf(err, errlen, "more than %d templates", TEMPLATE_MAX_COUNT);
		return BZ_ERR_TOOLARGE;
	}
	struct entry *items = realloc(v->items, (v->n + 1) * sizeof(*items));
	if (items == NULL) {
		tpl_free(t);
		return BZ_ERR_NOMEM;
	}
	v->items = items;
	v->items[v->n].name = strdup(name);
	v->items[v->n].tpl = t;
	if (v->items[v->n].name == NULL) {
		tpl_free(t);
		return BZ_ERR_NOMEM;
	}
	v->n++;
	return BZ_OK;
}

/* Walks dir/prefix recursively, loading *.mustache files. */
static bz_rc load_dir(struct view *v, const char *prefix, int depth, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int pn = snprintf(path, sizeof(path), "%s%s%s", v->dir, prefix[0] ? "/" : "", prefix);
	if (pn < 0 || (size_t)pn >= sizeof(path)) {
		snprintf(err, errlen, "template path too long under %s", v->dir);
		return BZ_ERR_INVALID;
	}
	DIR *d = opendir(path);
	if (d == NULL) {
		snprintf(err, errlen, "cannot open template folder %s: %s", path, strerror(errno));
		return BZ_ERR_IO;
	}
	bz_rc rc = BZ_OK;
	struct dirent *de;
	while (rc == BZ_OK && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char rel[PATH_MAX], full[PATH_MAX];
		int n1 =
		    snprintf(rel, sizeof(rel), "%s%s%s", prefix, prefix[0] ? "/" : "", de->d_name);
		int n2 = snprintf(full, sizeof(full), "%s/%s", v->dir, rel);
		if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof(rel) || (size_t)n2 >= sizeof(full))
			continue;
		struct stat st;
		if (stat(full, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode) && depth < 8) {
			rc = load_dir(v, rel, depth + 1, err, errlen);
		} else if (S_ISREG(st.st_mode)) {
			size_t len = strlen(rel);
			static const char ext[] = ".mustache";
			if (len > sizeof(ext) - 1 &&
			    strcmp(rel + len - (sizeof(ext) - 1), ext) == 0) {
				rel[len - (sizeof(ext) - 1)] = '\0';
				rc = load_file(v, full, rel, err, errlen);
			}
		}
	}
	closedir(d);
	return rc;
}

static bz_rc view_load(struct view *v, char *err, size_t errlen)
{
	bz_rc rc = load_dir(v, "", 0, err, errlen);
	if (rc != BZ_OK) {
		entries_free(v);
		return rc;
	}
	qsort(v->items, v->n, sizeof(*v->items), entry_cmp);
	return BZ_OK;
}

bz_rc view_open(const char *dir, bool dev, struct view **out, char *err, size_t errlen)
{
	struct view *v = calloc(1, sizeof(*v));
	if (v == NULL)
		return BZ_ERR_NOMEM;
	if (!bz_strlcpy(v->dir, dir, sizeof(v->dir))) {
		free(v);
		return BZ_ERR_INVALID;
	}
	v->dev = dev;
	/* Compile everything now even in dev mode: a broken template fails the start. */
	bz_rc rc = view_load(v, err, errlen);
	if (rc != BZ_OK) {
		free(v);
		return rc;
	}
	*out = v;
	return BZ_OK;
}

void view_close(struct view *v)
{
	if (v == NULL)
		return;
	entries_free(v);
	free(v);
}

static const struct tpl *lookup(void *ctx, const char *name)
{
	const struct view *v = ctx;
	struct entry key = {.name = (char *)name};
	const struct entry *e = bsearch(&key, v->items, v->n, sizeof(*v->items), entry_cmp);
	return e ? e->tpl : NULL;
}

bz_rc view_render(struct view *v, const char *name, json_t *data, struct buf *out)
{
	struct view fresh = {0};
	struct view *use = v;
	if (v->dev) {
		char err[512];
		memcpy(fresh.dir, v->dir, sizeof(fresh.dir));
		if (view_load(&fresh, err, sizeof(err)) != BZ_OK) {
			bz_log("error", "template reload: %s", err);
			return BZ_ERR_INVALID;
		}
		use = &fresh;
	}
	const struct tpl *t = lookup(use, name);
	bz_rc rc = t ? tpl_render(t, data, lookup, use, out) : BZ_ERR_NOTFOUND;
	if (v->dev)
		entries_free(&fresh);
	return rc;
}
