/* plot_seq.c - the time-sequence kinds: tcp-seq (Stevens graph of one
 * direction of a TCP connection: each segment as a vertical bar over its
 * relative sequence range at its time, retransmissions marked, the ACK
 * line of the other side) and mptcp-dsn (the same at the data level: 64-bit
 * relative data sequence numbers per subflow, reinjections and
 * retransmissions marked, bytes placed without a captured packet dotted,
 * the data ACK line). Numbers come from tcp_notes() and the MPTCP
 * analysis' per-packet notes, never recomputed here. */
#include "plot_kinds.h"
#include "mptcp_analysis.h"
#include "tcp_notes.h"

enum { C_TIME, C_FRAME, C_START, C_END };

static const PlotCol tcp_cols[] = {
  { "time_s", 't' }, { "frame", 'i' }, { "seq_start", 'i' }, { "seq_end", 'i' },
};
static const PlotCol dsn_cols[] = {
  { "time_s", 't' }, { "frame", 'i' }, { "dsn_start", 'i' }, { "dsn_end", 'i' },
};

#define BAR "1:3:(0):($4-$3)"
#define BAR_STYLE "vectors nohead lw 3"
#define RETRANS_STYLE "points pt 2 ps 1.2 lw 1.5"
#define REINJ_STYLE "points pt 6 ps 1.4 lw 1.5"
/* on the text terminal: one letter per subflow, R and J for the marks */
static const char *const term_bar[] = {
  "points pt 'a'", "points pt 'b'", "points pt 'c'", "points pt 'd'",
  "points pt 'e'", "points pt 'f'", "points pt 'g'", "points pt 'h'",
};
#define TERM_BAR(k) term_bar[(k) % G_N_ELEMENTS(term_bar)]

static Plot *seq_plot_new(const PlotCol *cols, const char *ylabel)
{
  Plot *p = plot_new(cols, 4, 2);
  p->has_what = TRUE;
  p->x_col = C_TIME;
  p->lo_col = C_START;
  p->hi_col = C_END;
  p->xlabel = TIME_AXIS;
  p->ylabel = ylabel;
  p->yformat = "%.1s%c";
  p->ymin_zero = TRUE;
  return p;
}

static void row(Plot *p, guint s, gint64 t_ns, guint32 frame, guint64 a,
                guint64 b)
{
  double v[4] = { (double)t_ns / 1e9, frame, (double)a, (double)b };
  plot_row(p, s, v);
}

/* Marker layer titled once per plot */
static void marker(Plot *p, guint s, const char *style,
                   const char *term_style, const char *title,
                   gboolean *titled)
{
  plot_layer(p, s, 0, "1:3", style, COLOUR_BLACK, *titled ? NULL : title);
  plot_term(p, term_style, NULL);
  *titled = TRUE;
}

/* A subflow's bars: thin vertical lines in files, letters on the
 * terminal. */
static void bars(Plot *p, guint s, int k, const char *title)
{
  plot_layer(p, s, 0, BAR, BAR_STYLE, k, title);
  plot_term(p, TERM_BAR(k), NULL);
}

/* --- tcp-seq ------------------------------------------------------------ */

typedef struct {
  guint seg, retrans, ack;     /* series */
} TcpSeries;

static int busier_tcp_dir(const TcpConn *t)
{
  guint64 bytes[2] = { 0, 0 };
  for (guint i = 0; i < t->packets->len; i++) {
    const Packet *p = &g_array_index(t->packets, Packet, i);
    bytes[pkt_dir(t, p)] += p->len;
  }
  return bytes[TO_CLIENT] > bytes[TO_SERVER] ? TO_CLIENT : TO_SERVER;
}

/* Rows of direction d; FALSE when it carried no payload. */
static gboolean tcp_rows(Plot *p, const TcpConn *t, int d, TcpSeries *s)
{
  TcpNote *notes = tcp_notes(t);
  gint64 t0 = tcp_conn_first_ns(t);
  gboolean any = FALSE;
  guint64 acked = 0;                /* the ACK line: highest so far */
  for (guint i = 0; i < t->packets->len; i++) {
    const Packet *pk = &g_array_index(t->packets, Packet, i);
    const TcpNote *n = &notes[i];
    if (pkt_dir(t, pk) != d) {
      if (n->flags & TNOTE_ACK) {
        acked = MAX(acked, n->ack);
        row(p, s->ack, pk->time_ns - t0, pk->frame, acked, acked);
      }
    } else if (pk->len) {
      row(p, (n->flags & TNOTE_RETRANS) ? s->retrans : s->seg,
          pk->time_ns - t0, pk->frame, n->seq, n->seq + pk->len);
      any = TRUE;
    }
  }
  g_free(notes);
  return any;
}

Plot *plot_tcp_seq(const PlotInput *in, GError **err)
{
  const TcpConn *t = in->tcp;
  int d = in->towards == PLOT_ALL_DIRS ? busier_tcp_dir(t) : in->towards;
  Plot *p = seq_plot_new(tcp_cols, "relative sequence number (bytes)");
  TcpSeries s = { plot_series(p, d, t->stream, "segment", FALSE),
                  plot_series(p, d, t->stream, "retransmission", TRUE),
                  plot_series(p, 1 - d, t->stream, "ack", FALSE) };
  if (!tcp_rows(p, t, d, &s)) {
    plot_free(p);
    return nothing_to_plot(err, "tcp.stream %u carried no data %s",
                           t->stream, towards_text(d));
  }
  char *cap = capture_name(in->cap), *legend = subflow_legend(t);
  int colour = subflow_colour(t);
  gboolean titled = FALSE;
  p->title = g_strdup_printf("%s: tcp.stream %u %s: time-sequence graph",
                             cap, t->stream, towards_text(d));
  plot_layer(p, s.ack, 0, "1:3", "steps lw 1", COLOUR_GREY,
             "ACK (highest so far)");
  bars(p, s.seg, colour, legend);
  bars(p, s.retrans, colour, NULL);
  if (plot_get(p, s.retrans)->rows->len)
    marker(p, s.retrans, RETRANS_STYLE, "points pt 'R'", "retransmission",
           &titled);
  if (in->towards == PLOT_ALL_DIRS)
    plot_note(p, "no --towards given: the direction that carried more data");
  g_free(cap);
  g_free(legend);
  return p;
}

/* --- mptcp-dsn ---------------------------------------------------------- */

typedef struct {
  guint seg, retrans, reinj, inferred;
} SubSeries;

typedef struct { guint32 frame; gint64 t; guint64 ack; } AckPoint;

static gint by_frame(gconstpointer a, gconstpointer b)
{
  guint32 x = ((const AckPoint *)a)->frame, y = ((const AckPoint *)b)->frame;
  return x < y ? -1 : x > y;
}

/* Packets of subflow k: data of direction d into its series, data ACKs
 * for d (sent the other way) into acks. */
static void dsn_rows(Plot *p, const MptcpAnalysis *an, guint k, int d,
                     gint64 t0, const SubSeries *s, GArray *acks)
{
  const TcpConn *t = g_ptr_array_index(an->conn->subflows, k);
  for (guint i = 0; i < t->packets->len; i++) {
    const Packet *pk = &g_array_index(t->packets, Packet, i);
    const PacketNote *n = &an->notes[k][i];
    if (mptcp_dir(t, pk) != d) {
      /* the data ACKs the evidence supports (not an outlier's) */
      if ((n->flags & NOTE_DATA_ACK) && n->data_ack <= an->dir[d].data_acked) {
        AckPoint a = { pk->frame, pk->time_ns - t0, n->data_ack };
        g_array_append_val(acks, a);
      }
      continue;
    }
    if (!(n->flags & NOTE_MAPPED))
      continue;
    guint series = (n->flags & NOTE_REINJECTED) ? s->reinj
                   : (n->flags & NOTE_RETRANS) ? s->retrans : s->seg;
    row(p, series, pk->time_ns - t0, pk->frame, n->dsn, n->dsn + n->mapped);
  }
}

typedef struct { Plot *p; const SubSeries *s; gint64 t0; } InferredRows;

static gboolean inferred_row(const CarrierRange *r, void *user)
{
  InferredRows *ir = user;
  if (r->frame == 0)
    row(ir->p, ir->s[r->subflow].inferred, r->time_ns - ir->t0, 0, r->start,
        r->end);
  return FALSE;
}

static void dsn_layers(Plot *p, const MptcpConn *m, const SubSeries *s,
                       guint ack_series)
{
  gboolean retrans_titled = FALSE, reinj_titled = FALSE;
  plot_layer(p, ack_series, 0, "1:3", "steps lw 1", COLOUR_GREY,
             "data ACK (highest so far)");
  for (guint k = 0; k < m->subflows->len; k++) {
    char *legend = subflow_legend(g_ptr_array_index(m->subflows, k));
    bars(p, s[k].seg, (int)k, legend);
    bars(p, s[k].retrans, (int)k, NULL);
    bars(p, s[k].reinj, (int)k, NULL);
    plot_layer(p, s[k].inferred, 0, BAR, "vectors nohead lw 1 dt 3", (int)k,
               NULL);
    plot_term(p, "points pt '.'", NULL);
    g_free(legend);
  }
  for (guint k = 0; k < m->subflows->len; k++) {
    if (plot_get(p, s[k].retrans)->rows->len)
      marker(p, s[k].retrans, RETRANS_STYLE, "points pt 'R'",
             "retransmission (same subflow)", &retrans_titled);
    if (plot_get(p, s[k].reinj)->rows->len)
      marker(p, s[k].reinj, REINJ_STYLE, "points pt 'J'",
             "reinjection (first sent on another subflow)", &reinj_titled);
  }
}

static int busier_mptcp_dir(const MptcpAnalysis *an)
{
  return an->dir[TO_CLIENT].application_bytes >
         an->dir[TO_SERVER].application_bytes ? TO_CLIENT : TO_SERVER;
}

static gint64 mptcp_first_ns(const MptcpAnalysis *an)
{
  const MptcpDir *s = &an->dir[TO_SERVER], *c = &an->dir[TO_CLIENT];
  if (!s->packets || !c->packets)
    return s->packets ? s->first_ns : c->first_ns;
  return MIN(s->first_ns, c->first_ns);
}

static void dsn_notes(Plot *p, const MptcpDir *D, gboolean dir_given)
{
  if (D->inferred_bytes)
    g_ptr_array_add(p->legend_extra, g_strdup("lines lw 1 dt 3\tinferred: "
                                              "placed without a captured packet"));
  if (D->inferred_bytes)
    plot_note(p, "dotted ('.' on a terminal): %" G_GUINT64_FORMAT " bytes "
              "placed without a captured packet (inferred), at the time of "
              "the evidence",
              D->inferred_bytes);
  if (!D->dsn_from_key)
    plot_note(p, "no key in the capture: data sequence numbers count from "
              "the first one seen");
  if (!dir_given)
    plot_note(p, "no --towards given: the direction that carried more data");
}

Plot *plot_mptcp_dsn(const PlotInput *in, GError **err)
{
  const MptcpConn *m = in->mptcp;
  MptcpAnalysis *an = mptcp_analyse_with(m, ANALYSE_NOTES | ANALYSE_CARRIERS);
  int d = in->towards == PLOT_ALL_DIRS ? busier_mptcp_dir(an) : in->towards;
  gint64 t0 = mptcp_first_ns(an);
  guint n = m->subflows->len;
  Plot *p = seq_plot_new(dsn_cols, "relative data sequence number (bytes)");
  SubSeries *s = g_new0(SubSeries, n);
  GArray *acks = g_array_new(FALSE, FALSE, sizeof(AckPoint));
  guint ack_series = plot_series(p, 1 - d, PLOT_NO_STREAM, "data_ack", FALSE);
  for (guint k = 0; k < n; k++) {
    guint32 id = ((const TcpConn *)g_ptr_array_index(m->subflows, k))->stream;
    s[k] = (SubSeries){ plot_series(p, d, id, "segment", FALSE),
                        plot_series(p, d, id, "retransmission", TRUE),
                        plot_series(p, d, id, "reinjection", TRUE),
                        plot_series(p, d, id, "inferred", FALSE) };
    dsn_rows(p, an, k, d, t0, &s[k], acks);
  }
  g_array_sort(acks, by_frame);
  guint64 acked = 0;                /* the line: highest so far */
  for (guint i = 0; i < acks->len; i++) {
    const AckPoint *a = &g_array_index(acks, AckPoint, i);
    acked = MAX(acked, a->ack);
    row(p, ack_series, a->t, a->frame, acked, acked);
  }
  InferredRows ir = { p, s, t0 };
  carriers_foreach(&an->dir[d].carriers, inferred_row, &ir);
  if (an->dir[d].dsn_max == 0) {
    plot_free(p);
    p = nothing_to_plot(err, "mptcp.stream %u carried no mapped data %s",
                        m->id, towards_text(d));
  } else {
    char *cap = capture_name(in->cap);
    p->title = g_strdup_printf("%s: mptcp.stream %u %s: data sequence numbers",
                               cap, m->id, towards_text(d));
    dsn_layers(p, m, s, ack_series);
    dsn_notes(p, &an->dir[d], in->towards != PLOT_ALL_DIRS);
    g_free(cap);
  }
  g_array_free(acks, TRUE);
  g_free(s);
  mptcp_analysis_free(an);
  return p;
}
