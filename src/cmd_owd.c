/* cmd_owd.c - owd: one-way delays of a connection seen in two captures,
 * per subflow and direction: packets sent, matched, lost in the network,
 * missed by the sender's capture, and the delay statistics; with
 * --packets, every packet. peer.h says how packets are paired and how the
 * clocks are treated. */
#include "cmd_peer.h"
#include "json_out.h"
#include "peer.h"
#include "quantile.h"
#include "table.h"
#include "units.h"

static double ns_s(double ns) { return ns / 1e9; }

/* the delays of one direction, in nanoseconds */
static gint64 *delays(const Peer *p, const PeerDir *d)
{
  gint64 *v = g_new(gint64, d->pairs->len + 1);
  for (guint k = 0; k < d->pairs->len; k++)
    v[k] = peer_delay(p, d, &g_array_index(d->pairs, PktPair, k));
  return v;
}

static void json_stats(JsonBuilder *b, const DelayStats *st)
{
  static const char *const names[] = { "min_s", "median_s", "p95_s", "p99_s",
                                       "max_s" };
  double v[5] = { (double)st->min, st->median, st->p95, st->p99,
                  (double)st->max };
  for (int i = 0; i < 5; i++)
    if (st->n)
      json_double(b, names[i], ns_s(v[i]));
    else
      json_null(b, names[i]);
}

static void json_frame(JsonBuilder *b, const char *name, const TcpConn *t,
                       guint32 idx, gboolean have)
{
  if (have)
    json_int(b, name, g_array_index(t->packets, Packet, idx).frame);
  else
    json_null(b, name);
}

/* every packet: matched ones with their delay, lost and missed ones with
 * the frame of the capture that holds them ("frame": capture A's) */
static void json_packets(JsonBuilder *b, const Peer *p, const PeerDir *d)
{
  const TcpConn *snd = d->sender_conn, *rcv = d->receiver_conn;
  const TcpConn *ta = d->sender_is_a ? snd : rcv, *tb = d->sender_is_a ? rcv : snd;
  const char *sname = d->sender_is_a ? "frame" : "peer_frame";
  const char *rname = d->sender_is_a ? "peer_frame" : "frame";
  json_builder_set_member_name(b, "packets");
  json_builder_begin_array(b);
  for (guint k = 0; k < d->pairs->len; k++) {
    const PktPair *x = &g_array_index(d->pairs, PktPair, k);
    json_builder_begin_object(b);
    json_frame(b, "frame", ta, x->a, TRUE);
    json_frame(b, "peer_frame", tb, x->b, TRUE);
    json_double(b, "owd_s", ns_s((double)peer_delay(p, d, x)));
    json_builder_end_object(b);
  }
  for (int list = 0; list < 2; list++) {
    const GArray *v = list == 0 ? d->lost : d->missed;
    const TcpConn *t = list == 0 ? snd : rcv;
    for (guint k = 0; k < v->len; k++) {
      guint32 idx = g_array_index(v, guint32, k);
      json_builder_begin_object(b);
      json_frame(b, list == 0 ? sname : rname, t, idx, TRUE);
      json_null(b, list == 0 ? rname : sname);
      json_null(b, "owd_s");
      json_str(b, "fate", list == 0 ? "lost" : "missed_by_capture");
      json_builder_end_object(b);
    }
  }
  json_builder_end_array(b);
}

static void json_direction(JsonBuilder *b, const Peer *p, const PeerDir *d,
                           int dir, gboolean packets)
{
  gint64 *v = delays(p, d);
  DelayStats st;
  delay_stats(v, d->pairs->len, &st);
  g_free(v);
  json_builder_begin_object(b);
  json_str(b, "towards", dir == TO_SERVER ? "server" : "client");
  json_str(b, "sender_capture", peer_sender_capture(p, dir)->path);
  json_int(b, "sent", d->pairs->len + d->lost->len + d->missed->len);
  json_int(b, "matched", d->pairs->len);
  json_int(b, "lost", d->lost->len);
  json_int(b, "missed_by_capture", d->missed->len);
  json_stats(b, &st);
  if (packets)
    json_packets(b, p, d);
  json_builder_end_object(b);
}

static void json_stream(JsonBuilder *b, const char *name, const TcpConn *t)
{
  if (t) json_int(b, name, t->stream);
  else json_null(b, name);
}

static void json_owd(const Peer *p, gboolean packets)
{
  JsonBuilder *b = json_builder_new();
  json_builder_begin_object(b);
  json_str(b, "capture", p->ca->path);
  json_str(b, "peer_capture", p->cb->path);
  if (p->ma) {
    json_int(b, "mptcp_stream", p->ma->id);
    json_int(b, "peer_mptcp_stream", p->mb->id);
  } else {
    const PeerSubflow *s = &g_array_index(p->subflows, PeerSubflow, 0);
    json_int(b, "tcp_stream", s->a->stream);
    json_int(b, "peer_tcp_stream", s->b->stream);
  }
  json_str(b, "client_side_capture", (p->a_is_client ? p->ca : p->cb)->path);
  json_str(b, "timestamps", p->offset_given ? "corrected by --clock-offset"
                                            : "as captured");
  json_double(b, "clock_offset_s", ns_s((double)p->offset_ns));
  json_double(b, "clock_offset_estimate_s", ns_s((double)p->estimate_ns));
  json_int(b, "negative_delays", (gint64)p->negative);
  json_builder_set_member_name(b, "subflows");
  json_builder_begin_array(b);
  for (guint i = 0; i < p->subflows->len; i++) {
    const PeerSubflow *s = &g_array_index(p->subflows, PeerSubflow, i);
    json_builder_begin_object(b);
    json_stream(b, "tcp_stream", s->a);
    json_stream(b, "peer_tcp_stream", s->b);
    json_builder_set_member_name(b, "directions");
    json_builder_begin_array(b);
    for (int d = 0; d < 2; d++) {
      PeerDir dir;
      peer_dir(p, s, d, &dir);
      json_direction(b, p, &dir, d, packets);
      peer_dir_clear(&dir);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
  json_builder_end_object(b);
  json_print(b);
}

static char *ms(double ns, guint64 n)
{
  return n ? g_strdup_printf("%.3f", ns / 1e6) : g_strdup("-");
}

static void print_owd(const Peer *p)
{
  printf("%s %s %u and %s %s %u: one-way delays (ms), timestamps %s\n",
         p->ca->path, p->ma ? "mptcp.stream" : "tcp.stream",
         p->ma ? p->ma->id : g_array_index(p->subflows, PeerSubflow, 0).a->stream,
         p->cb->path, p->ma ? "mptcp.stream" : "tcp.stream",
         p->ma ? p->mb->id : g_array_index(p->subflows, PeerSubflow, 0).b->stream,
         p->offset_given ? "corrected by --clock-offset" : "as captured");
  printf("the client's end: %s\n", (p->a_is_client ? p->ca : p->cb)->path);
  Table *tb = table_new("rrlrrrrrrrrrr", "tcp.stream", "peer", "towards", "sent",
                        "matched", "lost", "missed", "min", "median", "p95",
                        "p99", "max", "", NULL);
  for (guint i = 0; i < p->subflows->len; i++) {
    const PeerSubflow *s = &g_array_index(p->subflows, PeerSubflow, i);
    for (int d = 0; d < 2; d++) {
      PeerDir dir;
      DelayStats st;
      peer_dir(p, s, d, &dir);
      gint64 *v = delays(p, &dir);
      delay_stats(v, dir.pairs->len, &st);
      char *c[5] = { ms((double)st.min, st.n), ms(st.median, st.n),
                     ms(st.p95, st.n), ms(st.p99, st.n), ms((double)st.max, st.n) };
      char ids[2][16];
      for (int k = 0; k < 2; k++) {
        const TcpConn *t = k ? s->b : s->a;
        g_snprintf(ids[k], sizeof ids[k], t ? "%u" : "-", t ? t->stream : 0);
      }
      table_add(tb, "%s", ids[0]);
      table_add(tb, "%s", ids[1]);
      table_add(tb, "%s", d == TO_SERVER ? "server" : "client");
      table_add(tb, "%u", dir.pairs->len + dir.lost->len + dir.missed->len);
      table_add(tb, "%u", dir.pairs->len);
      table_add(tb, "%u", dir.lost->len);
      table_add(tb, "%u", dir.missed->len);
      for (int k = 0; k < 5; k++) {
        table_add(tb, "%s", c[k]);
        g_free(c[k]);
      }
      table_add(tb, "%s", st.n && st.min < 0 ? "negative!" : "");
      g_free(v);
      peer_dir_clear(&dir);
    }
  }
  table_print(tb, stdout, "  ");
  table_free(tb);
  if (p->negative)
    printf("%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " delays are "
           "negative: the two clocks are not in step (the packets suggest "
           "the second capture's clock is %.6f s ahead; try --clock-offset)\n",
           p->negative, p->matched, ns_s((double)p->estimate_ns));
}

int cmd_owd(Session *s, const CmdArgs *a)
{
  Capture *cb;
  Peer p;
  if (!cmd_open_peer(s, a, cmd_flag(a, "--tcp"), a->argv[1], &cb, &p))
    return 1;
  if (a->json)
    json_owd(&p, cmd_flag(a, "--packets"));
  else
    print_owd(&p);
  peer_clear(&p);
  capture_free(cb);
  return 0;
}
