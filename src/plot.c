/* plot.c - building a Plot: series, rows, layers and notes. */
#include "plot.h"
#include <stdarg.h>

static void series_free(gpointer x)
{
  PlotSeries *s = x;
  g_array_free(s->rows, TRUE);
  g_free(s);
}

Plot *plot_new(const PlotCol *cols, int ncols, int nlead)
{
  Plot *p = g_new0(Plot, 1);
  g_assert(ncols <= PLOT_MAX_COLS);
  p->cols = cols;
  p->ncols = ncols;
  p->nlead = nlead;
  p->npanels = 1;
  p->step_width_col = -1;
  p->series = g_ptr_array_new_with_free_func(series_free);
  p->layers = g_array_new(FALSE, TRUE, sizeof(PlotLayer));
  p->legend_extra = g_ptr_array_new_with_free_func(g_free);
  p->notes = g_ptr_array_new_with_free_func(g_free);
  return p;
}

void plot_free(Plot *p)
{
  if (!p)
    return;
  for (guint i = 0; i < p->layers->len; i++) {
    PlotLayer *l = &g_array_index(p->layers, PlotLayer, i);
    g_free(l->using);
    g_free(l->title);
    g_free(l->term_title);
  }
  g_array_free(p->layers, TRUE);
  g_ptr_array_free(p->series, TRUE);
  g_ptr_array_free(p->legend_extra, TRUE);
  g_ptr_array_free(p->notes, TRUE);
  g_free(p->title);
  g_free(p->panel_title[0]);
  g_free(p->panel_title[1]);
  g_free(p);
}

guint plot_series(Plot *p, int towards, gint64 tcp_stream, const char *what,
                  gboolean keep_all)
{
  PlotSeries *s = g_new0(PlotSeries, 1);
  s->towards = towards;
  s->tcp_stream = tcp_stream;
  s->what = what;
  s->keep_all = keep_all;
  s->rows = g_array_new(FALSE, FALSE, sizeof(double));
  g_ptr_array_add(p->series, s);
  return p->series->len - 1;
}

void plot_row(Plot *p, guint s, const double *values)
{
  g_array_append_vals(plot_get(p, s)->rows, values, p->ncols);
}

void plot_layer(Plot *p, guint series, int panel, const char *using,
                const char *style, int colour, const char *title)
{
  PlotLayer l = { series, panel, g_strdup(using), style, colour,
                  g_strdup(title), NULL, NULL };
  g_array_append_val(p->layers, l);
}

void plot_term(Plot *p, const char *style, const char *title)
{
  PlotLayer *l = &g_array_index(p->layers, PlotLayer, p->layers->len - 1);
  if (style)
    l->term_style = style;
  if (title) {
    g_free(l->term_title);
    l->term_title = g_strdup(title);
  }
}

void plot_note(Plot *p, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_ptr_array_add(p->notes, g_strdup_vprintf(fmt, ap));
  va_end(ap);
}

guint plot_points(const Plot *p)
{
  guint n = 0;
  for (guint i = 0; i < p->series->len; i++)
    n += plot_get(p, i)->rows->len / p->ncols;
  return n;
}
