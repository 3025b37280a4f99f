/* plot_peer.c - the two-capture kinds, drawn from what owd --packets and
 * mptcp-summary --peer report (peer.h, hol.h):
 * - owd: every matched packet's one-way delay at the time it was sent (on
 *   the first capture's clock), per subflow, a panel per direction;
 * - hol: the byte-weighted distribution (CDF) of head-of-line blocking at
 *   the receiver, per subflow of first arrival and direction. */
#include "plot_kinds.h"
#include "hol.h"
#include "peer.h"

static const PlotCol owd_cols[] = {
  { "time_s", 't' }, { "frame", 'i' }, { "peer_frame", 'i' }, { "owd_s", 't' },
};

static const PlotCol hol_cols[] = {
  { "hol_s", 't' }, { "bytes", 'i' }, { "cdf", 'f' },
};

static gboolean open_peer(const PlotInput *in, Peer *p, GError **err)
{
  double off = in->clock_offset_s;
  return peer_mptcp(p, in->cap, in->mptcp, in->peer,
                    in->clock_offset_given ? &off : NULL, err);
}

/* the subflow a legend and a colour are given for: A's, else B's */
static const TcpConn *shown(const PeerSubflow *s)
{
  return s->a ? s->a : s->b;
}

static guint owd_series(Plot *p, const Peer *peer, const PeerSubflow *s, int d,
                        gint64 t0, int panel)
{
  PeerDir dir;
  peer_dir(peer, s, d, &dir);
  guint n = plot_series(p, d, shown(s)->stream, NULL, FALSE);
  for (guint k = 0; k < dir.pairs->len; k++) {
    const PktPair *x = &g_array_index(dir.pairs, PktPair, k);
    const Packet *snd = peer_sent(&dir, x), *rcv = peer_received(&dir, x);
    gint64 sent = snd->time_ns - (dir.sender_is_a ? 0 : peer->offset_ns);
    const Packet *pa = dir.sender_is_a ? snd : rcv, *pb = dir.sender_is_a ? rcv : snd;
    double v[4] = { (double)(sent - t0) / 1e9, pa->frame, pb->frame,
                    (double)peer_delay(peer, &dir, x) / 1e9 };
    plot_row(p, n, v);
  }
  guint rows = dir.pairs->len;
  peer_dir_clear(&dir);
  if (rows) {
    const TcpConn *t = shown(s);
    char *legend = subflow_legend(t);
    plot_layer(p, n, panel, "1:4", "points pt 7 ps 0.5", subflow_colour(t),
               panel == 0 || s->a == NULL ? legend : NULL);
    g_free(legend);
  }
  return rows;
}

Plot *plot_owd(const PlotInput *in, GError **err)
{
  Peer peer;
  if (!open_peer(in, &peer, err))
    return NULL;
  Plot *p = plot_new(owd_cols, 4, 1);
  gboolean both = in->towards == PLOT_ALL_DIRS;
  gint64 t0 = mptcp_conn_first_ns(in->mptcp);
  guint rows = 0;
  p->x_col = 0;
  p->lo_col = p->hi_col = 3;
  p->npanels = both ? 2 : 1;
  for (int d = 0; d < 2; d++) {
    if (!both && d != in->towards)
      continue;
    int panel = both ? d : 0;
    p->panel_title[panel] = g_strdup(towards_text(d));
    for (guint i = 0; i < peer.subflows->len; i++)
      rows += owd_series(p, &peer, &g_array_index(peer.subflows, PeerSubflow, i),
                         d, t0, panel);
  }
  char *cap = capture_name(in->cap), *other = capture_name(in->peer);
  p->title = g_strdup_printf("%s and %s: mptcp.stream %u: one-way delays "
                             "(timestamps %s)", cap, other, in->mptcp->id,
                             peer.offset_given ? "corrected by --clock-offset"
                                               : "as captured");
  p->xlabel = TIME_AXIS;
  p->ylabel = "one-way delay (s)";
  if (peer.negative)
    plot_note(p, "%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " delays are "
              "negative: the clocks are not in step (the packets suggest "
              "--clock-offset %.6f)", peer.negative, peer.matched,
              (double)peer.estimate_ns / 1e9);
  plot_note(p, "the client's end: %s; time: when the packet was sent, on "
            "the clock of %s", (peer.a_is_client ? in->cap : in->peer)->path,
            in->cap->path);
  g_free(cap);
  g_free(other);
  peer_clear(&peer);
  if (!rows) {
    plot_free(p);
    return nothing_to_plot(err, "no packet of mptcp.stream %u is in both "
                           "captures%s%s", in->mptcp->id, both ? "" : " ",
                           both ? "" : towards_text(in->towards));
  }
  return p;
}

/* ---- head-of-line blocking ---- */

/* The subflow of A's connection (for its legend and colour) that is
 * receiver subflow j of the receiving end's connection. */
static const TcpConn *a_side(const Peer *peer, const MptcpConn *rcv, guint j)
{
  const TcpConn *t = g_ptr_array_index(rcv->subflows, j);
  for (guint i = 0; rcv == peer->mb && i < peer->subflows->len; i++) {
    const PeerSubflow *s = &g_array_index(peer->subflows, PeerSubflow, i);
    if (s->b == t && s->a)
      return s->a;
  }
  return t;
}

static guint hol_series(Plot *p, const GArray *v, const TcpConn *t, int d,
                        int panel, gboolean titled)
{
  guint64 total = 0, seen = 0;
  for (guint i = 0; i < v->len; i++)
    total += g_array_index(v, Weighted, i).weight;
  if (!total)
    return 0;
  guint n = plot_series(p, d, t->stream, NULL, FALSE);
  for (guint i = 0; i < v->len; i++) {
    const Weighted *x = &g_array_index(v, Weighted, i);
    seen += x->weight;
    double row[3] = { (double)x->value / 1e9, x->weight,
                      (double)seen / (double)total };
    plot_row(p, n, row);
  }
  char *legend = subflow_legend(t);
  plot_layer(p, n, panel, "1:3", "steps lw 2", subflow_colour(t),
             titled ? legend : NULL);
  g_free(legend);
  return v->len;
}

static guint hol_direction(Plot *p, const Peer *peer, int d, int panel)
{
  gboolean a_receives = (d == TO_SERVER) != peer->a_is_client;
  const MptcpConn *rcv = a_receives ? peer->ma : peer->mb;
  MptcpAnalysis *an = mptcp_analyse_with(rcv, ANALYSE_CARRIERS);
  Hol h;
  GArray **samples;
  guint rows = 0;
  hol_compute(an, d, &h, &samples);
  for (guint j = 0; j < h.nsub; j++) {
    rows += hol_series(p, samples[j], a_side(peer, rcv, j), d, panel,
                       panel == 0 || !a_receives);
    g_array_free(samples[j], TRUE);
  }
  if (h.unreadable)
    plot_note(p, "%s: %" G_GUINT64_FORMAT " bytes come after data nothing "
              "shows arriving and are not counted", towards_text(d),
              h.unreadable);
  g_free(samples);
  hol_clear(&h);
  mptcp_analysis_free(an);
  return rows;
}

Plot *plot_hol(const PlotInput *in, GError **err)
{
  Peer peer;
  if (!open_peer(in, &peer, err))
    return NULL;
  Plot *p = plot_new(hol_cols, 3, 2);
  gboolean both = in->towards == PLOT_ALL_DIRS;
  guint rows = 0;
  p->x_col = 0;
  p->lo_col = p->hi_col = 2;
  p->npanels = both ? 2 : 1;
  for (int d = 0; d < 2; d++) {
    if (!both && d != in->towards)
      continue;
    int panel = both ? d : 0;
    p->panel_title[panel] = g_strdup_printf("%s, at %s", towards_text(d),
        ((d == TO_SERVER) != peer.a_is_client ? in->cap : in->peer)->path);
    rows += hol_direction(p, &peer, d, panel);
  }
  char *cap = capture_name(in->cap);
  p->title = g_strdup_printf("%s: mptcp.stream %u: head-of-line blocking at "
                             "the receiver", cap, in->mptcp->id);
  p->xlabel = "time from a byte's arrival until every earlier byte had "
              "arrived (s)";
  p->ylabel = "fraction of the bytes (CDF)";
  p->ymin_zero = TRUE;
  p->ymax = 1.05;
  plot_note(p, "per subflow the byte arrived on first; weighted by bytes");
  g_free(cap);
  peer_clear(&peer);
  if (!rows) {
    plot_free(p);
    return nothing_to_plot(err, "mptcp.stream %u carried no data%s%s",
                           in->mptcp->id, both ? "" : " ",
                           both ? "" : towards_text(in->towards));
  }
  return p;
}
