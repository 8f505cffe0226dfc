/* Server-drawn inline SVG charts: no JavaScript, crisp in print. Every chart
 * is <svg role="img" aria-labelledby="ID-title ID-desc"> with a <title> and a
 * <desc>; the page puts the same numbers in a table beside it. Numbers are
 * formatted by the caller (money.h) and passed as text; geometry alone uses
 * the raw values. Output is appended to a buf (check b->failed once). */
#ifndef BIZSOS_SVG_H
#define BIZSOS_SVG_H

#include "bizsos/buf.h"
#include "bizsos/money.h"

/* A half-circle gauge for a rate (tenths of a percent; the arc is full at
 * 100%, an over-100 rate shows a full arc). id: a unique element id prefix
 * (ASCII letters, digits, '-'). */
void svg_gauge(struct buf *b, const char *id, const char *title, const char *desc, struct rate r);

#define SVG_SERIES_MAX 4

struct svg_bar_group {
	const char *label;                /* category, e.g. "2024년" */
	int64_t value[SVG_SERIES_MAX];    /* raw values, for the geometry (>= 0) */
	const char *text[SVG_SERIES_MAX]; /* the values as shown, e.g. "266" */
};

/* Grouped vertical bars: ngroups categories of nseries series each, with a
 * legend (series[i]) and the value written above each bar. */
void svg_bars(struct buf *b, const char *id, const char *title, const char *desc,
              const char *const *series, int nseries, const struct svg_bar_group *groups,
              int ngroups);

struct svg_hbar {
	const char *label; /* e.g. "공장설립·입지" */
	int64_t value;     /* raw value, for the geometry (>= 0) */
	const char *text;  /* the value as shown, e.g. "12" */
};

/* Horizontal bars, one a row: the label on the left in a column as wide as
 * the longest label (so no label is cut or squeezed), the bar and its value
 * to the right. The drawing is as wide as it needs and scales down with the
 * page (viewBox), so it reads at 390 px too. */
void svg_hbars(struct buf *b, const char *id, const char *title, const char *desc,
               const struct svg_hbar *rows, int nrows);

#endif
