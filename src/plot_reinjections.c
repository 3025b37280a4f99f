/* plot_reinjections.c - the reinjections kind: the distribution (CDF) of
 * reinjection delays, per subflow that reinjected and direction. A delay
 * is the time from the first captured transmission of the bytes to the
 * reinjection, exactly as list-reinjections gives it; reinjections whose
 * original was not captured have none and are counted in a note. With the
 * other end's capture, each reinjection this capture sent is also a point
 * coloured by its verdict (qualify-reinjections): useful green, redundant
 * red, delivered black, lost grey; the data file then holds the CDF rows
 * ("series" all) and the same rows again per verdict. */
#include "plot_kinds.h"
#include "mptcp_analysis.h"
#include "reinj_qualify.h"
#include <stdlib.h>

static const PlotCol cols[] = {
  { "delay_s", 't' }, { "frame", 'i' }, { "cdf", 'f' },
};

typedef struct { double delay; guint32 frame; int verdict; } Delay;

static const int verdict_colour[N_VERDICTS] = {
  COLOUR_GOOD, COLOUR_BAD, COLOUR_BLACK, COLOUR_GREY,
};

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
                      guint *uncaptured, GHashTable *verdicts)
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
    gpointer v = verdicts ? g_hash_table_lookup(verdicts, r) : NULL;
    Delay x = { (double)(r->time_ns - r->orig_time_ns) / 1e9, r->frame,
                v ? GPOINTER_TO_INT(v) - 1 : -1 };
    g_array_append_val(out, x);
  }
  g_array_sort(out, by_delay);
  return out;
}

/* one point per reinjection of a verdict, at its place on the CDF; the
 * legend names each verdict once */
static void verdict_series(Plot *p, const TcpConn *t, int d, const GArray *ds,
                           gboolean *titled)
{
  for (int verdict = 0; verdict < N_VERDICTS; verdict++) {
    guint s = 0, n = 0;
    for (guint i = 0; i < ds->len; i++) {
      const Delay *x = &g_array_index(ds, Delay, i);
      if (x->verdict != verdict)
        continue;
      if (n++ == 0)
        s = plot_series(p, d, t->stream, verdict_name(verdict), TRUE);
      double v[3] = { x->delay, x->frame, (double)(i + 1) / ds->len };
      plot_row(p, s, v);
    }
    if (n)
      plot_layer(p, s, 0, "1:3", "points pt 7 ps 1.3", verdict_colour[verdict],
                 titled[verdict] ? NULL : verdict_name(verdict));
    titled[verdict] |= n > 0;
  }
}

static void cdf_series(Plot *p, const TcpConn *t, int k, int d,
                       const GArray *ds, gboolean both_dirs, gboolean *judged)
{
  guint s = plot_series(p, d, t->stream, judged ? "all" : NULL, TRUE);
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
  if (judged)
    verdict_series(p, t, d, ds, judged);
}

/* reinjection (of an's) -> verdict + 1, for those this capture sent */
static GHashTable *judge(const PlotInput *in, const MptcpAnalysis *an,
                         GError **err)
{
  Peer peer;
  double off = in->clock_offset_s;
  if (!peer_mptcp(&peer, in->cap, in->mptcp, in->peer,
                  in->clock_offset_given ? &off : NULL, err))
    return NULL;
  MptcpAnalysis *other = mptcp_analyse_with(peer.mb, ANALYSE_NOTES);
  MptcpAnalysis *mine = mptcp_analyse_with(peer.ma, ANALYSE_NOTES);
  GArray *qs = reinj_qualify(&peer, mine, other);
  GHashTable *out = g_hash_table_new(g_direct_hash, g_direct_equal);
  for (guint i = 0; i < qs->len; i++) {
    const Qualified *q = &g_array_index(qs, Qualified, i);
    if (q->sender != in->cap)
      continue;
    /* the same reinjection in an (analysed alike): by direction and index */
    const GPtrArray *rs = mine->dir[q->dir].reinjections;
    for (guint k = 0; k < rs->len; k++)
      if (g_ptr_array_index(rs, k) == q->r)
        g_hash_table_insert(out, g_ptr_array_index(an->dir[q->dir].reinjections, k),
                            GINT_TO_POINTER(q->verdict + 1));
  }
  g_array_free(qs, TRUE);
  mptcp_analysis_free(mine);
  mptcp_analysis_free(other);
  peer_clear(&peer);
  return out;
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
  GHashTable *verdicts = NULL;
  if (in->peer && !(verdicts = judge(in, an, err))) {
    mptcp_analysis_free(an);
    return NULL;
  }
  Plot *p = plot_new(cols, 3, 2);
  gboolean titled[N_VERDICTS] = { FALSE };
  p->has_what = verdicts != NULL;
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
      GArray *ds = delays(an, d, t->stream, &uncaptured, verdicts);
      if (ds->len)
        cdf_series(p, t, (int)k, d, ds, both, verdicts ? titled : NULL);
      shown += ds->len;
      g_array_free(ds, TRUE);
    }
  mptcp_analysis_free(an);
  if (verdicts)
    g_hash_table_destroy(verdicts);
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
  if (in->peer)
    plot_note(p, "verdicts at the receiver (%s), for the reinjections this "
              "capture sent", in->peer->path);
  g_free(cap);
  return p;
}
