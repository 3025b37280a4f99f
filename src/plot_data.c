/* plot_data.c - the data file behind a plot, for the user's own tools:
 * comment lines starting with '#', then one header line, then one
 * tab-separated row per plotted point. Numeric columns may be split by
 * the key columns (towards, tcp_stream, series) so that time comes first.
 * Written to a temporary file beside the target and renamed. */
#include "plot.h"
#include "plot_output.h"
#include "tcp_stats.h"
#include <stdio.h>

void plot_format_value(GString *s, char fmt, double v)
{
  if (fmt == 't')
    g_string_append_printf(s, "%.9f", v);
  else if (fmt == 'i')
    g_string_append_printf(s, "%.0f", v);
  else
    g_string_append_printf(s, "%.17g", v);
}

static void header(const Plot *p, GString *s)
{
  for (int c = 0; c < p->ncols; c++) {
    if (c == p->nlead)
      g_string_append_printf(s, "towards\ttcp_stream\t%s",
                             p->has_what ? "series\t" : "");
    g_string_append_printf(s, "%s%s", p->cols[c].name,
                           c + 1 < p->ncols ? "\t" : "\n");
  }
}

static void keys(const PlotSeries *ps, gboolean has_what, GString *s)
{
  g_string_append(s, ps->towards == TO_SERVER ? "server\t" : "client\t");
  if (ps->tcp_stream == PLOT_NO_STREAM)
    g_string_append(s, "all\t");
  else
    g_string_append_printf(s, "%" G_GINT64_FORMAT "\t", ps->tcp_stream);
  if (has_what)
    g_string_append_printf(s, "%s\t", ps->what);
}

static void rows(const Plot *p, const PlotSeries *ps, GString *s)
{
  const double *d = (const double *)ps->rows->data;
  guint n = ps->rows->len / p->ncols;
  for (guint r = 0; r < n; r++)
    for (int c = 0; c < p->ncols; c++) {
      if (c == p->nlead)
        keys(ps, p->has_what, s);
      plot_format_value(s, p->cols[c].fmt, d[(gsize)r * p->ncols + c]);
      g_string_append_c(s, c + 1 < p->ncols ? '\t' : '\n');
    }
}

gboolean plot_write_data(const Plot *p, const char *path, GError **err)
{
  GString *s = g_string_new(NULL);
  g_string_append_printf(s, "# %s\n", p->title);
  for (guint i = 0; i < p->notes->len; i++)
    g_string_append_printf(s, "# %s\n", (char *)g_ptr_array_index(p->notes, i));
  header(p, s);
  for (guint i = 0; i < p->series->len; i++)
    rows(p, plot_get(p, i), s);
  gboolean ok = output_write_file(path, s->str, s->len, err);
  g_string_free(s, TRUE);
  return ok;
}
