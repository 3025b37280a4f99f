/* plot_throughput.c - the throughput kinds: bytes per second over time,
 * per direction, in windows from the connection's first packet.
 * Throughput is payload bytes by packet time, so each series times its
 * windows adds up to the summaries' throughput (payload) bytes. Goodput
 * is data carried for the first time: for TCP the bytes no earlier packet
 * of the direction carried (tcp-summary's unique bytes), for MPTCP the
 * first-carrier ranges of the analysis by their time, inferred ones
 * included, so it adds up to application_bytes per subflow. */
#include "plot_kinds.h"
#include "mptcp_analysis.h"
#include "tcp_notes.h"

typedef struct {          /* byte counts per window of one series */
  guint64 *wire, *app;
} Counts;

static void counts_init(Counts *c, guint n)
{
  c->wire = g_new0(guint64, n);
  c->app = g_new0(guint64, n);
}

static void counts_clear(Counts *c)
{
  g_free(c->wire);
  g_free(c->app);
}

/* One panel per direction shown (one when --towards is given). */
static void panels(Plot *p, int towards, const char *what, const char *cap,
                   const char *conn)
{
  if (towards != PLOT_ALL_DIRS) {
    p->title = g_strdup_printf("%s: %s %s: %s", cap, conn,
                               towards_text(towards), what);
    return;
  }
  p->npanels = 2;
  p->title = g_strdup_printf("%s: %s: %s", cap, conn, what);
  p->panel_title[0] = g_strdup(towards_text(TO_SERVER));
  p->panel_title[1] = g_strdup(towards_text(TO_CLIENT));
}

/* Without --towards, a direction that carried nothing gets no panel. */
static int shown_dirs(Plot *p, int towards, const guint64 bytes[2])
{
  if (towards != PLOT_ALL_DIRS || (bytes[0] && bytes[1]))
    return towards;
  plot_note(p, "no data %s", towards_text(bytes[0] ? TO_CLIENT
                                                              : TO_SERVER));
  return bytes[0] ? TO_SERVER : TO_CLIENT;
}

static int panel_of(int towards, int d)
{
  return towards == PLOT_ALL_DIRS ? d : 0;
}

/* The throughput (solid) and goodput (dashed) layers of one series; on
 * the terminal, without dashes, each has its own legend entry. */
static void series_layers(Plot *p, guint s, int panel, int colour,
                          double lw, const char *title, const char *name)
{
  char *solid = g_strdup_printf("steps lw %g dt 1", lw);
  char *dashed = g_strdup_printf("steps lw %g dt 2", lw);
  char *tput = g_strdup_printf("%s throughput", name);
  char *gput = g_strdup_printf("%s goodput", name);
  plot_layer(p, s, panel, "1:3", g_intern_string(solid), colour, title);
  plot_term(p, "steps", tput);
  plot_layer(p, s, panel, "1:4", g_intern_string(dashed), colour, NULL);
  plot_term(p, "steps", gput);
  g_free(solid);
  g_free(dashed);
  g_free(tput);
  g_free(gput);
}

static gboolean tcp_times(const TcpConn *t, gint64 *t0, gint64 *t1,
                          guint64 *payload)
{
  *payload = 0;
  for (guint i = 0; i < t->packets->len; i++) {
    const Packet *p = &g_array_index(t->packets, Packet, i);
    if (i == 0 || p->time_ns < *t0) *t0 = p->time_ns;
    if (i == 0 || p->time_ns > *t1) *t1 = p->time_ns;
    *payload += p->len;
  }
  return t->packets->len > 0;
}

Plot *plot_tcp_throughput(const PlotInput *in, GError **err)
{
  const TcpConn *t = in->tcp;
  gint64 t0 = 0, t1 = 0;
  guint64 payload;
  Windows w;
  if (!tcp_times(t, &t0, &t1, &payload) || payload == 0)
    return nothing_to_plot(err, "tcp.stream %u carried no data", t->stream);
  if (!windows_init(&w, t0, t1, in->window_s, err))
    return NULL;
  TcpNote *notes = tcp_notes(t);
  Counts c[2];
  for (int d = 0; d < 2; d++)
    counts_init(&c[d], w.n);
  for (guint i = 0; i < t->packets->len; i++) {
    const Packet *pk = &g_array_index(t->packets, Packet, i);
    guint k = window_of(&w, pk->time_ns);
    c[pkt_dir(t, pk)].wire[k] += pk->len;
    c[pkt_dir(t, pk)].app[k] += notes[i].fresh;
  }
  g_free(notes);
  Plot *p = throughput_plot_new(&w);
  char *cap = capture_name(in->cap), *conn = g_strdup_printf("tcp.stream %u",
                                                             t->stream);
  char *legend = subflow_legend(t);
  guint64 bytes[2] = { 0, 0 };
  for (guint k = 0; k < w.n; k++)
    for (int d = 0; d < 2; d++)
      bytes[d] += c[d].wire[k];
  int towards = shown_dirs(p, in->towards, bytes);
  panels(p, towards, "throughput and goodput", cap, conn);
  for (int d = 0; d < 2; d++) {
    if (towards == PLOT_ALL_DIRS || towards == d) {
      guint s = plot_series(p, d, t->stream, NULL, TRUE);
      windows_rows(p, s, &w, c[d].wire, c[d].app);
      series_layers(p, s, panel_of(towards, d), subflow_colour(t), 1.5,
                    legend, conn);
    }
    counts_clear(&c[d]);
  }
  g_free(cap); g_free(conn); g_free(legend);
  return p;
}

typedef struct { Counts *c; const Windows *w; } CarrierSum;

static gboolean add_carrier(const CarrierRange *r, void *user)
{
  CarrierSum *cs = user;
  cs->c[r->subflow].app[window_of(cs->w, r->time_ns)] += r->end - r->start;
  return FALSE;
}

/* Per direction, counts per subflow [0, n) and for the connection [n]. */
static void mptcp_counts(const MptcpAnalysis *an, const Windows *w,
                         Counts *c[2])
{
  const MptcpConn *m = an->conn;
  guint n = m->subflows->len;
  for (guint k = 0; k < n; k++) {
    const TcpConn *t = g_ptr_array_index(m->subflows, k);
    for (guint i = 0; i < t->packets->len; i++) {
      const Packet *pk = &g_array_index(t->packets, Packet, i);
      c[mptcp_dir(t, pk)][k].wire[window_of(w, pk->time_ns)] += pk->len;
    }
  }
  for (int d = 0; d < 2; d++) {
    CarrierSum cs = { c[d], w };
    carriers_foreach(&an->dir[d].carriers, add_carrier, &cs);
    for (guint k = 0; k < n; k++)
      for (guint i = 0; i < w->n; i++) {
        c[d][n].wire[i] += c[d][k].wire[i];
        c[d][n].app[i] += c[d][k].app[i];
      }
  }
}

static gboolean mptcp_times(const MptcpAnalysis *an, gint64 *t0, gint64 *t1)
{
  const MptcpDir *s = &an->dir[TO_SERVER], *c = &an->dir[TO_CLIENT];
  if (!s->packets && !c->packets)
    return FALSE;
  *t0 = !s->packets ? c->first_ns : !c->packets ? s->first_ns
        : MIN(s->first_ns, c->first_ns);
  *t1 = !s->packets ? c->last_ns : !c->packets ? s->last_ns
        : MAX(s->last_ns, c->last_ns);
  return TRUE;
}

static void mptcp_series(Plot *p, const PlotInput *in, int towards,
                         const Windows *w, Counts *c[2])
{
  const MptcpConn *m = in->mptcp;
  guint n = m->subflows->len;
  for (int d = 0; d < 2; d++) {
    if (towards != PLOT_ALL_DIRS && towards != d)
      continue;
    for (guint k = 0; k <= n; k++) {
      const TcpConn *t = k < n ? g_ptr_array_index(m->subflows, k) : NULL;
      guint s = plot_series(p, d, t ? (gint64)t->stream : PLOT_NO_STREAM,
                            NULL, TRUE);
      char *legend = t ? subflow_legend(t)
                       : g_strdup("connection (all subflows)");
      char *name = t ? g_strdup_printf("tcp.stream %u", t->stream)
                     : g_strdup("connection");
      windows_rows(p, s, w, c[d][k].wire, c[d][k].app);
      series_layers(p, s, panel_of(towards, d),
                    t ? (int)k : COLOUR_BLACK, t ? 1.5 : 2.5, legend, name);
      g_free(legend);
      g_free(name);
    }
  }
}

Plot *plot_mptcp_throughput(const PlotInput *in, GError **err)
{
  const MptcpConn *m = in->mptcp;
  MptcpAnalysis *an = mptcp_analyse_with(m, ANALYSE_CARRIERS);
  guint n = m->subflows->len;
  gint64 t0, t1;
  Windows w;
  Plot *p = NULL;
  if (!mptcp_times(an, &t0, &t1) ||
      an->dir[0].throughput_bytes + an->dir[1].throughput_bytes == 0)
    nothing_to_plot(err, "mptcp.stream %u carried no data", m->id);
  else if (windows_init(&w, t0, t1, in->window_s, err)) {
    Counts *c[2];
    for (int d = 0; d < 2; d++) {
      c[d] = g_new0(Counts, n + 1);
      for (guint k = 0; k <= n; k++)
        counts_init(&c[d][k], w.n);
    }
    mptcp_counts(an, &w, c);
    p = throughput_plot_new(&w);
    char *cap = capture_name(in->cap);
    char *conn = g_strdup_printf("mptcp.stream %u", m->id);
    guint64 bytes[2] = {
      an->dir[0].throughput_bytes + an->dir[0].application_bytes,
      an->dir[1].throughput_bytes + an->dir[1].application_bytes };
    int towards = shown_dirs(p, in->towards, bytes);
    panels(p, towards, "throughput and goodput per subflow", cap, conn);
    mptcp_series(p, in, towards, &w, c);
    for (int d = 0; d < 2; d++) {
      if (an->dir[d].inferred_bytes &&
          (towards == PLOT_ALL_DIRS || towards == d))
        plot_note(p, "%s: %" G_GUINT64_FORMAT " goodput bytes inferred "
                  "(not captured), counted at the time of the evidence",
                  towards_text(d), an->dir[d].inferred_bytes);
      for (guint k = 0; k <= n; k++)
        counts_clear(&c[d][k]);
      g_free(c[d]);
    }
    g_free(cap);
    g_free(conn);
  }
  mptcp_analysis_free(an);
  return p;
}
