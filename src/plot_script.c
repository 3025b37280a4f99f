/* plot_script.c - the gnuplot script for a Plot: terminal, data blocks
 * ($S0 << EOD ...), labels, legend, and one plot command per panel.
 * Every string from outside (capture names) is quoted for gnuplot. On the
 * text terminal two panels are drawn one after the other, full size. */
#include "plot.h"
#include "plot_output.h"
#include <string.h>

/* one colour per subflow position; black and grey mark other things */
static const char *const palette[] = {
  "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
  "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f",
};

static const char *colour_rgb(int c)
{
  if (c == COLOUR_BLACK)
    return "#000000";
  if (c == COLOUR_GREY)
    return "#909090";
  if (c == COLOUR_GOOD)
    return "#1a9641";
  if (c == COLOUR_BAD)
    return "#d7191c";
  if (c == COLOUR_ALONE)
    return "#2b83ba";
  return palette[c % G_N_ELEMENTS(palette)];
}

/* a gnuplot single-quoted string: '' stands for ', control characters
 * become '?' */
static void quoted(GString *s, const char *text)
{
  g_string_append_c(s, '\'');
  for (const char *p = text; *p; p++) {
    if (*p == '\'')
      g_string_append(s, "''");
    else
      g_string_append_c(s, (unsigned char)*p < 0x20 ? '?' : *p);
  }
  g_string_append_c(s, '\'');
}

static void terminal(GString *s, const PlotTarget *t)
{
  switch (t->format) {
  case OUT_PNG:
    g_string_append_printf(s, "set terminal pngcairo noenhanced rounded size %d,%d "
                           "font 'DejaVu Sans,11'\n", t->width, t->height);
    break;
  case OUT_SVG:
    g_string_append_printf(s, "set terminal svg noenhanced rounded size %d,%d "
                           "font 'DejaVu Sans,11' background '#ffffff'\n",
                           t->width, t->height);
    break;
  case OUT_PDF:
    g_string_append_printf(s, "set terminal pdfcairo noenhanced rounded size "
                           "%.2fin,%.2fin font 'DejaVu Sans,8'\n",
                           t->width / 128.0, t->height / 128.0);
    break;
  case OUT_TERM:
    g_string_append_printf(s, "set terminal dumb noenhanced size %d,%d %s\n",
                           t->width, t->height,
                           t->colour ? "ansi256" : "mono");
    break;
  }
}

static void data_blocks(GString *s, const Plot *p)
{
  for (guint i = 0; i < p->series->len; i++) {
    const PlotSeries *ps = plot_get(p, i);
    const double *d = (const double *)ps->rows->data;
    guint n = ps->rows->len / p->ncols;
    g_string_append_printf(s, "$S%u << EOD\n", i);
    for (guint r = 0; r < n; r++)
      for (int c = 0; c < p->ncols; c++) {
        plot_format_value(s, p->cols[c].fmt, d[(gsize)r * p->ncols + c]);
        g_string_append_c(s, c + 1 < p->ncols ? ' ' : '\n');
      }
    if (n && p->step_width_col >= 0) {      /* the end of the last step */
      const double *last = d + (gsize)(n - 1) * p->ncols;
      for (int c = 0; c < p->ncols; c++) {
        double v = last[c] + (c == p->x_col ? last[p->step_width_col] : 0);
        plot_format_value(s, p->cols[c].fmt, v);
        g_string_append_c(s, c + 1 < p->ncols ? ' ' : '\n');
      }
    }
    g_string_append(s, "EOD\n");
  }
}

/* Right margin, in characters, that fits the widest legend entry. */
static int key_width(const Plot *p)
{
  int w = 0;
  for (guint i = 0; i < p->layers->len; i++) {
    const PlotLayer *l = &g_array_index(p->layers, PlotLayer, i);
    int empty = plot_get(p, l->series)->rows->len ? 0 : 10;   /* (no data) */
    if (l->title)
      w = MAX(w, (int)g_utf8_strlen(l->title, -1) + empty);
  }
  for (guint i = 0; i < p->legend_extra->len; i++) {
    const char *e = strchr(g_ptr_array_index(p->legend_extra, i), '\t');
    w = MAX(w, e ? (int)g_utf8_strlen(e + 1, -1) : 0);
  }
  return w + w / 10 + 7;   /* proportional text runs wider than the unit */
}

static void axes(GString *s, const Plot *p, const PlotTarget *t)
{
  g_string_append(s, "set xlabel ");
  quoted(s, p->xlabel);
  g_string_append(s, "\nset ylabel ");
  quoted(s, p->ylabel);
  g_string_append_c(s, '\n');
  if (p->yformat) {
    g_string_append(s, "set format y ");
    quoted(s, p->yformat);
    g_string_append_c(s, '\n');
  }
  if (p->xmax > 0)
    g_string_append_printf(s, "set xrange [0:%.9f]\n", p->xmax);
  else
    g_string_append(s, "set xrange [0:*]\nset autoscale xfixmax\n");
  g_string_append_printf(s, "set yrange [%s:", p->ymin_zero ? "0" : "*");
  if (p->ymax > 0)
    g_string_append_printf(s, "%g]\n", p->ymax);
  else
    g_string_append(s, "*]\n");
  if (t->format != OUT_TERM)
    g_string_append_printf(s, "set grid lc rgb '#dddddd'\n"
                           "set key outside right top vertical Left reverse "
                           "samplen 2 spacing 1.1\n"
                           "set lmargin 11\nset rmargin %d\n", key_width(p));
  else
    g_string_append(s, "set key outside bottom left horizontal Left "
                    "reverse samplen 1\n");
}

/* Notes under the picture, as small labels (files only); the bottom
 * margin of the lowest panel makes room for them. */
static void notes(GString *s, const Plot *p)
{
  guint n = p->notes->len;
  for (guint i = 0; i < n; i++) {
    g_string_append_printf(s, "set label %u ", 100 + i);
    quoted(s, g_ptr_array_index(p->notes, i));
    g_string_append_printf(s, " at character 1, character %u left "
                           "font ',9' textcolor rgb '#505050'\n", n - i);
  }
}

static void layer(GString *s, const PlotLayer *l, gboolean first,
                  gboolean term)
{
  const char *style = term && l->term_style ? l->term_style : l->style;
  const char *title = term && l->term_title ? l->term_title : l->title;
  g_string_append_printf(s, "%s$S%u using %s with %s lc rgb '%s' ",
                         first ? "plot " : ", \\\n     ", l->series,
                         l->using, style, colour_rgb(l->colour));
  if (title) {
    g_string_append(s, "title ");
    quoted(s, title);
  } else {
    g_string_append(s, "notitle");
  }
}

/* A legend entry for a series with nothing to draw. */
static void empty_layer(GString *s, const PlotLayer *l, gboolean first,
                        gboolean term)
{
  char *t = g_strdup_printf("%s (no data)", term && l->term_title
                            ? l->term_title : l->title);
  g_string_append_printf(s, "%sNaN with lines lc rgb '%s' title ",
                         first ? "plot " : ", \\\n     ",
                         colour_rgb(l->colour));
  quoted(s, t);
  g_free(t);
}

/* The plot command of one panel; the legend's style entries with the
 * first panel only. */
static void plot_command(GString *s, const Plot *p, int panel,
                         gboolean with_extra, gboolean term)
{
  gboolean first = TRUE;
  for (guint i = 0; i < p->layers->len; i++) {
    const PlotLayer *l = &g_array_index(p->layers, PlotLayer, i);
    if (l->panel != panel)
      continue;
    if (plot_get(p, l->series)->rows->len)
      layer(s, l, first, term);
    else if (l->title)                     /* keep it in the legend */
      empty_layer(s, l, first, term);
    else
      continue;
    first = FALSE;
  }
  for (guint i = 0; with_extra && !term && i < p->legend_extra->len; i++) {
    char **f = g_strsplit(g_ptr_array_index(p->legend_extra, i), "\t", 2);
    g_string_append_printf(s, "%sNaN with %s lc rgb '#000000' title ",
                           first ? "plot " : ", \\\n     ", f[0]);
    quoted(s, f[1] ? f[1] : "");
    g_strfreev(f);
    first = FALSE;
  }
  if (first)
    g_string_append(s, "plot NaN notitle");
  g_string_append_c(s, '\n');
}

static void title(GString *s, const Plot *p, int panel, gboolean joined)
{
  g_string_append(s, "set title ");
  if (p->npanels == 1 || !joined) {
    quoted(s, p->npanels == 1 ? p->title : p->panel_title[panel]);
  } else {
    char *t = g_strdup_printf("%s, %s", p->title, p->panel_title[panel]);
    quoted(s, t);
    g_free(t);
  }
  g_string_append_c(s, '\n');
}

/* Panel settings: the upper of two panels has no x label (the lower
 * one's serves both) and keeps the legend; the lowest makes room for the
 * notes under it. */
static void panel_setup(GString *s, const Plot *p, int panel, gboolean term)
{
  gboolean lowest = panel == p->npanels - 1;
  if (term)
    return;
  if (p->npanels > 1 && panel == 0)
    g_string_append(s, "unset xlabel\nset bmargin 2\n");
  if (panel == 1) {
    g_string_append(s, "unset key\nset xlabel ");
    quoted(s, p->xlabel);
    g_string_append_c(s, '\n');
  }
  if (lowest)
    g_string_append_printf(s, "set bmargin %u\n", 4 + p->notes->len);
}

GString *plot_script(const Plot *p, const PlotTarget *t)
{
  GString *s = g_string_new(NULL);
  gboolean term = t->format == OUT_TERM;
  terminal(s, t);
  g_string_append(s, "set encoding utf8\nset samples 2\n");
  data_blocks(s, p);
  axes(s, p, t);
  if (!term)
    notes(s, p);
  if (p->npanels > 1 && !term) {
    g_string_append(s, "set multiplot layout 2,1 title ");
    quoted(s, p->title);
    g_string_append(s, " font ',13'\n");
  }
  for (int panel = 0; panel < p->npanels; panel++) {
    panel_setup(s, p, panel, term);
    title(s, p, panel, term);
    plot_command(s, p, panel, panel == 0 || term, term);
  }
  if (p->npanels > 1 && !term)
    g_string_append(s, "unset multiplot\n");
  return s;
}
