/* Inline SVG charts. See include/bizsos/svg.h. */
#include "bizsos/svg.h"

#include <math.h>
#include <string.h>

/* Colours with at least 3:1 contrast on white (WCAG 1.4.11), KRDS-like. */
static const char *const palette[SVG_SERIES_MAX] = {"#8a949e", "#256ef4", "#0b7a4b", "#b15a00"};

static void esc(struct buf *b, const char *s)
{
	buf_html_escape(b, s ? s : "", s ? strlen(s) : 0);
}

static void open_svg(struct buf *b, const char *id, const char *title, const char *desc, int w,
                     int h, const char *cls)
{
	buf_printf(b,
	           "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"app-chart %s\" viewBox=\"0 0 "
	           "%d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-labelledby=\"",
	           cls, w, h, w, h);
	esc(b, id);
	buf_puts(b, "-title ");
	esc(b, id);
	buf_puts(b, "-desc\"><title id=\"");
	esc(b, id);
	buf_puts(b, "-title\">");
	esc(b, title);
	buf_puts(b, "</title><desc id=\"");
	esc(b, id);
	buf_puts(b, "-desc\">");
	esc(b, desc);
	buf_puts(b, "</desc>");
}

void svg_gauge(struct buf *b, const char *id, const char *title, const char *desc, struct rate r)
{
	const double cx = 110, cy = 110, rad = 86;
	open_svg(b, id, title, desc, 220, 140, "app-chart-gauge");
	/* the track: a half circle from the left to the right */
	buf_printf(b,
	           "<path d=\"M %.1f %.1f A %.1f %.1f 0 0 1 %.1f %.1f\" fill=\"none\" "
	           "stroke=\"#e6e8ea\" stroke-width=\"22\"/>",
	           cx - rad, cy, rad, rad, cx + rad, cy);
	if (r.ok && r.tenths > 0) {
		int64_t t = r.tenths > 1000 ? 1000 : r.tenths;
		double a = M_PI * (1.0 - (double)t / 1000.0); /* 180° .. 0° */
		double x = cx + rad * cos(a), y = cy - rad * sin(a);
		buf_printf(b,
		           "<path d=\"M %.1f %.1f A %.1f %.1f 0 0 1 %.1f %.1f\" fill=\"none\" "
		           "stroke=\"%s\" stroke-width=\"22\"/>",
		           cx - rad, cy, rad, rad, x, y, r.tenths > 1000 ? "#b15a00" : "#256ef4");
	}
	char txt[RATE_TEXT_SIZE];
	rate_format(r, txt, sizeof(txt));
	buf_printf(b,
	           "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\" font-size=\"30\" "
	           "font-weight=\"700\" fill=\"#1e2124\">%s%s</text>",
	           cx, cy - 8, txt, r.ok ? "%" : "");
	buf_printf(b,
	           "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\" font-size=\"13\" "
	           "fill=\"#464c53\">0%%</text><text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\" "
	           "font-size=\"13\" fill=\"#464c53\">100%%</text>",
	           cx - rad, cy + 24, cx + rad, cy + 24);
	buf_puts(b, "</svg>");
}

void svg_bars(struct buf *b, const char *id, const char *title, const char *desc,
              const char *const *series, int nseries, const struct svg_bar_group *groups,
              int ngroups)
{
	if (nseries < 1)
		nseries = 1;
	if (nseries > SVG_SERIES_MAX)
		nseries = SVG_SERIES_MAX;
	const int bar = 22, gap = 4, left = 12, top = 44, plot = 170;
	int gw = nseries * bar + (nseries - 1) * gap;
	int ggap = gw + 28 < 84 ? 84 - gw : 28; /* room for a label such as 공장설립·입지 */
	int w = left * 2 + ngroups * gw + (ngroups > 0 ? (ngroups - 1) * ggap : 0);
	if (w < 320)
		w = 320;
	int h = top + plot + 34;
	int64_t max = 0;
	for (int g = 0; g < ngroups; g++)
		for (int s = 0; s < nseries; s++)
			if (groups[g].value[s] > max)
				max = groups[g].value[s];
	open_svg(b, id, title, desc, w, h, "app-chart-bars");
	/* legend */
	int lx = left;
	for (int s = 0; s < nseries; s++) {
		buf_printf(b,
		           "<rect x=\"%d\" y=\"8\" width=\"14\" height=\"14\" fill=\"%s\"/><text "
		           "x=\"%d\" y=\"20\" font-size=\"13\" fill=\"#1e2124\">",
		           lx, palette[s], lx + 19);
		esc(b, series[s]);
		buf_puts(b, "</text>");
		lx += 19 + 13 * (int)(strlen(series[s]) / 3 + 1) + 18;
	}
	/* baseline */
	buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#58616a\"/>", left,
	           top + plot, w - left, top + plot);
	for (int g = 0; g < ngroups; g++) {
		int gx = left + g * (gw + ggap);
		for (int s = 0; s < nseries; s++) {
			int64_t v = groups[g].value[s] < 0 ? 0 : groups[g].value[s];
			int bh = max > 0 ? (int)((v * (plot - 18)) / max) : 0;
			int x = gx + s * (bar + gap);
			buf_printf(
			    b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>",
			    x, top + plot - bh, bar, bh, palette[s]);
			buf_printf(
			    b,
			    "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\" "
			    "fill=\"#1e2124\">",
			    x + bar / 2, top + plot - bh - 4);
			esc(b, groups[g].text[s]);
			buf_puts(b, "</text>");
		}
		buf_printf(b,
		           "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"13\" "
		           "fill=\"#1e2124\">",
		           gx + gw / 2, top + plot + 20);
		esc(b, groups[g].label);
		buf_puts(b, "</text>");
	}
	buf_puts(b, "</svg>");
}

/* The drawn width of s at font-size 13: wide (Hangul, CJK) characters about
 * 13 px, the rest about 7.5. */
static int text_px(const char *s)
{
	int px2 = 0; /* in half pixels */
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p < 0x80)
			px2 += 15;
		else if ((*p & 0xC0) != 0x80) /* a lead byte: one character */
			px2 += *p >= 0xE0 ? 26 : 16;
	}
	return (px2 + 1) / 2;
}

void svg_hbars(struct buf *b, const char *id, const char *title, const char *desc,
               const struct svg_hbar *rows, int nrows)
{
	const int pad = 8, row = 28, bar = 18, plot = 240, value_w = 44;
	int label_w = 40;
	int64_t max = 0;
	for (int i = 0; i < nrows; i++) {
		int px = text_px(rows[i].label);
		if (px > label_w)
			label_w = px;
		if (rows[i].value > max)
			max = rows[i].value;
	}
	if (label_w > 260)
		label_w = 260;
	int x0 = pad + label_w + 10;
	int w = x0 + plot + value_w + pad;
	int h = pad * 2 + (nrows > 0 ? nrows : 1) * row;
	open_svg(b, id, title, desc, w, h, "app-chart-hbars");
	buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#58616a\"/>", x0, pad,
	           x0, h - pad);
	for (int i = 0; i < nrows; i++) {
		int y = pad + i * row;
		int64_t v = rows[i].value < 0 ? 0 : rows[i].value;
		int bw = max > 0 ? (int)((v * plot) / max) : 0;
		if (v > 0 && bw < 2)
			bw = 2;
		buf_printf(b,
		           "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"13\" "
		           "fill=\"#1e2124\">",
		           x0 - 8, y + row / 2 + 5);
		esc(b, rows[i].label);
		buf_puts(b, "</text>");
		buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>",
		           x0 + 1, y + (row - bar) / 2, bw, bar, palette[1]);
		buf_printf(b,
		           "<text x=\"%d\" y=\"%d\" font-size=\"13\" font-weight=\"700\" "
		           "fill=\"#1e2124\">",
		           x0 + 1 + bw + 6, y + row / 2 + 5);
		esc(b, rows[i].text);
		buf_puts(b, "</text>");
	}
	buf_puts(b, "</svg>");
}
