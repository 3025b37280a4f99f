/* plot_reduce.c - thinning series that have more points than the picture
 * has pixel columns: per series and column, the first, last, lowest and
 * highest point stay, so every extreme and every step remains visible.
 * Series marked keep_all (retransmissions, reinjections) are never
 * thinned. Slices are the same for every series of a plot. */
#include "plot.h"
#include "units.h"
#include <string.h>

typedef struct {
  const Plot *p;
  double x0, scale;          /* column = (x - x0) * scale */
  guint columns;
} Slices;

static double cell(const Plot *p, const GArray *rows, guint r, int col)
{
  return g_array_index(rows, double, (gsize)r * p->ncols + col);
}

static long column_of(const Slices *s, double x)
{
  double f = (x - s->x0) * s->scale;           /* x >= x0 */
  long c = f < (double)s->columns ? (long)f : (long)s->columns - 1;
  return CLAMP(c, 0, (long)s->columns - 1);
}

/* Copy the kept rows of one column (indices idx, up to 4) to out. */
static guint flush(const Plot *p, GArray *rows, guint out, guint idx[4])
{
  guint keep[4], n = 0;
  for (int i = 0; i < 4; i++) {           /* distinct, ascending */
    gboolean dup = FALSE;
    for (guint k = 0; k < n; k++)
      dup |= keep[k] == idx[i];
    if (!dup)
      keep[n++] = idx[i];
  }
  for (guint a = 1; a < n; a++)
    for (guint b = a; b > 0 && keep[b - 1] > keep[b]; b--) {
      guint t = keep[b]; keep[b] = keep[b - 1]; keep[b - 1] = t;
    }
  double *d = (double *)rows->data;
  for (guint k = 0; k < n; k++, out++)
    if (out != keep[k])
      memmove(d + (gsize)out * p->ncols, d + (gsize)keep[k] * p->ncols,
              sizeof(double) * p->ncols);
  return out;
}

/* Thin one series in place (rows keep their order). */
static void thin(const Slices *s, PlotSeries *ps)
{
  const Plot *p = s->p;
  guint n = ps->rows->len / p->ncols, out = 0, idx[4] = { 0 };
  long cur = -1;
  for (guint r = 0; r < n; r++) {
    long c = column_of(s, cell(p, ps->rows, r, p->x_col));
    if (c != cur) {
      if (cur >= 0)
        out = flush(p, ps->rows, out, idx);
      cur = c;
      idx[0] = idx[1] = idx[2] = idx[3] = r;   /* first, last, min, max */
      continue;
    }
    idx[1] = r;
    if (cell(p, ps->rows, r, p->lo_col) < cell(p, ps->rows, idx[2], p->lo_col))
      idx[2] = r;
    if (cell(p, ps->rows, r, p->hi_col) > cell(p, ps->rows, idx[3], p->hi_col))
      idx[3] = r;
  }
  if (cur >= 0)
    out = flush(p, ps->rows, out, idx);
  g_array_set_size(ps->rows, (gsize)out * p->ncols);
}

/* The x range of all series. */
static gboolean x_range(const Plot *p, double *lo, double *hi)
{
  gboolean any = FALSE;
  for (guint i = 0; i < p->series->len; i++) {
    const PlotSeries *ps = plot_get(p, i);
    for (guint r = 0; r < ps->rows->len / p->ncols; r++) {
      double x = cell(p, ps->rows, r, p->x_col);
      if (!any || x < *lo) *lo = x;
      if (!any || x > *hi) *hi = x;
      any = TRUE;
    }
  }
  return any;
}

void plot_reduce(Plot *p, guint columns)
{
  double lo = 0, hi = 0;
  for (guint i = 0; i < p->series->len; i++)
    plot_get(p, i)->points_before = plot_get(p, i)->rows->len / p->ncols;
  p->columns = columns;
  if (!columns || !x_range(p, &lo, &hi))
    return;
  Slices s = { p, lo, hi > lo ? columns / (hi - lo) : 0, columns };
  for (guint i = 0; i < p->series->len; i++) {
    PlotSeries *ps = plot_get(p, i);
    if (ps->keep_all || ps->points_before <= 4 * columns)
      continue;
    thin(&s, ps);
    p->reduced_from += ps->points_before;
    p->reduced_to += ps->rows->len / p->ncols;
  }
  if (p->reduced_from) {
    char *from = fmt_count(p->reduced_from), *to = fmt_count(p->reduced_to);
    plot_note(p, "thinned for drawing: %s points kept as %s (per series and "
              "each of %u pixel columns: first, last, lowest, highest; every "
              "retransmission and reinjection kept)", from, to, columns);
    g_free(from);
    g_free(to);
  }
}
