/* plot_reinjections.c - the reinjections kind: the distribution (CDF) of
 * reinjection delays, per subflow that reinjected and direction. A delay
 * is the time from the first captured transmission of the bytes to the
 * reinjection, exactly as list-reinjections gives it; reinjections whose
 * original was not captured have none and are counted in a note. */
#include "plot_kinds.h"
#include "mptcp_analysis.h"
#include <stdlib.h>

static const PlotCol cols[] = {
  { "delay_s", 't' }, { "frame", 'i' }, { "cdf", 'f' },
};

typedef struct { double delay; guint32 frame; } Delay;

/* on the text terminal: a letter per subflow, upper case towards the
 * client */
static const char *const term_points[] = {
  "points pt 'a'", "points pt 'b'", "points pt 'c'", "points pt 'd'",
  "points pt 'e'", "points pt 'f'", "points pt 'g'", "points pt 'h'",
  "points pt 'A'", "points pt 'B'", "points pt 'C'", "points pt 'D'",
  "points pt 'E'", "points pt 'F'", "points pt 'G'", "points pt 'H'",
};

static gint by_delay(gconstpointer a, gconstpointer b)
{
  const Delay *x = a, *y = b;
  if (x->delay != y->delay)
    return x->delay < y->delay ? -1 : 1;
  return x->frame < y->frame ? -1 : x->frame > y->frame;
}

/* Delays of the reinjections subflow k sent in direction d; counts those
 * without a captured original in *uncaptured. */
static GArray *delays(const MptcpAnalysis *an, int d, guint32 stream,
                      guint *uncaptured)
{
  GArray *out = g_array_new(FALSE, FALSE, sizeof(Delay));
  const GPtrArray *rs = an->dir[d].reinjections;
  for (guint i = 0; i < rs->len; i++) {
    const Reinjection *r = g_ptr_array_index(rs, i);
    if (r->tcp_stream != stream)
      continue;
    if (r->orig_time_ns < 0) {
      (*uncaptured)++;
      continue;
    }
    Delay x = { (double)(r->time_ns - r->orig_time_ns) / 1e9, r->frame };
    g_array_append_val(out, x);
  }
  g_array_sort(out, by_delay);
  return out;
}

static void cdf_series(Plot *p, const TcpConn *t, int k, int d,
                       const GArray *ds, gboolean both_dirs)
{
  guint s = plot_series(p, d, t->stream, NULL, TRUE);
  for (guint i = 0; i < ds->len; i++) {
    const Delay *x = &g_array_index(ds, Delay, i);
    double v[3] = { x->delay, x->frame, (double)(i + 1) / ds->len };
    plot_row(p, s, v);
  }
  char *legend = subflow_legend(t);
  char *title = g_strdup_printf("%s%s%s (%u)", legend, both_dirs ? ", " : "",
                                both_dirs ? towards_text(d) : "", ds->len);
  plot_layer(p, s, 0, "1:3", "steps lw 2", k, NULL);
  plot_layer(p, s, 0, "1:3", d == TO_SERVER ? "points pt 7 ps 0.9"
             : "points pt 4 ps 1", k, title);
  plot_term(p, term_points[(k + (d == TO_SERVER ? 0 : 8)) % 16], NULL);
  g_free(legend);
  g_free(title);
}

/* The directions that have reinjections with a delay: a bit per TO_*. */
static int busy_dirs(const MptcpAnalysis *an, double *max_delay)
{
  int dirs = 0;
  for (int d = 0; d < 2; d++)
    for (guint i = 0; i < an->dir[d].reinjections->len; i++) {
      const Reinjection *r = g_ptr_array_index(an->dir[d].reinjections, i);
      if (r->orig_time_ns >= 0) {
        dirs |= 1 << d;
        *max_delay = MAX(*max_delay, (double)(r->time_ns - r->orig_time_ns) / 1e9);
      }
    }
  return dirs;
}

Plot *plot_reinjections(const PlotInput *in, GError **err)
{
  const MptcpConn *m = in->mptcp;
  MptcpAnalysis *an = mptcp_analyse(m);
  Plot *p = plot_new(cols, 3, 2);
  guint uncaptured = 0, shown = 0;
  double max_delay = 0;
  int dirs = busy_dirs(an, &max_delay), towards = in->towards;
  if (towards == PLOT_ALL_DIRS && dirs != 3 && dirs)
    towards = dirs == 1 ? TO_SERVER : TO_CLIENT;  /* only one has any */
  gboolean both = towards == PLOT_ALL_DIRS;
  p->x_col = 0;
  p->lo_col = p->hi_col = 2;
  for (int d = 0; d < 2; d++)
    for (guint k = 0; k < m->subflows->len && (both || d == towards); k++) {
      const TcpConn *t = g_ptr_array_index(m->subflows, k);
      GArray *ds = delays(an, d, t->stream, &uncaptured);
      if (ds->len)
        cdf_series(p, t, (int)k, d, ds, both);
      shown += ds->len;
      g_array_free(ds, TRUE);
    }
  mptcp_analysis_free(an);
  if (!shown) {
    plot_free(p);
    return nothing_to_plot(err, "mptcp.stream %u has no reinjection with a "
                           "captured original%s%s", m->id, both ? "" : " ",
                           both ? "" : towards_text(towards));
  }
  char *cap = capture_name(in->cap);
  p->title = g_strdup_printf("%s: mptcp.stream %u%s%s: reinjection delays", cap,
                             m->id, both ? "" : " ",
                             both ? "" : towards_text(towards));
  p->xlabel = "delay from the first transmission to the reinjection (s)";
  p->ylabel = "fraction of the subflow's reinjections (CDF)";
  p->ymin_zero = TRUE;
  p->ymax = 1.05;
  p->xmax = max_delay * 1.05;
  if (uncaptured)
    plot_note(p, "%u reinjection%s whose original transmission was not "
              "captured (no delay) not shown", uncaptured,
              uncaptured == 1 ? "" : "s");
  plot_note(p, "legend: subflow that sent the reinjections (how many)%s",
            both ? "; towards the server: dots (a, b... on a terminal), "
                   "towards the client: squares (A, B...)" : "");
  g_free(cap);
  return p;
}
