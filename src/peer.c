/* peer.c - one connection seen from both ends (see peer.h). */
#include "peer.h"
#include "conn_map.h"
#include "quantile.h"
#include "tcp_stats.h"
#include <stdlib.h>
#include <string.h>

#define PEER_ERROR(err, ...) \
  (g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL, __VA_ARGS__), FALSE)

/* The endpoint of t that sends direction d (an MPTCP direction for a
 * subflow, whichever way it was opened). */
static int sender_of(const TcpConn *t, int d)
{
  gboolean towards_server = t->mptcp ? t->towards_server : TRUE;
  return (d == TO_SERVER) == towards_server ? t->client : conn_server(t);
}

static void add_subflow(Peer *p, const TcpConn *a, const TcpConn *b)
{
  PeerSubflow s = { a, b, { { { 0, NULL, NULL, NULL }, { 0, NULL, NULL, NULL } } } };
  if (a && b)
    pkt_match(a, b, &s.m);
  g_array_append_val(p->subflows, s);
}

/* t_B - t_A of the pairs of direction d, all subflows */
static GArray *differences(const Peer *p, int d)
{
  GArray *v = g_array_new(FALSE, FALSE, sizeof(gint64));
  for (guint i = 0; i < p->subflows->len; i++) {
    const PeerSubflow *s = &g_array_index(p->subflows, PeerSubflow, i);
    if (!s->a || !s->b)
      continue;
    const GArray *pairs = s->m.dir[sender_of(s->a, d)].pairs;
    for (guint k = 0; k < pairs->len; k++) {
      const PktPair *x = &g_array_index(pairs, PktPair, k);
      gint64 diff = g_array_index(s->b->packets, Packet, x->b).time_ns -
                    g_array_index(s->a->packets, Packet, x->a).time_ns;
      g_array_append_val(v, diff);
    }
  }
  sort_i64((gint64 *)v->data, v->len);
  return v;
}

static gint64 median(const GArray *v)
{
  return g_array_index(v, gint64, v->len / 2);
}

/* Which capture is at the client's end, and what the clocks suggest. */
static gboolean decide_ends(Peer *p, GError **err)
{
  GArray *m[2] = { differences(p, TO_SERVER), differences(p, TO_CLIENT) };
  gboolean ok = TRUE;
  if (m[0]->len && m[1]->len) {
    p->a_is_client = median(m[0]) > median(m[1]);
    p->estimate_ns = (median(m[0]) + median(m[1])) / 2;
  } else if (m[0]->len || m[1]->len) {
    int d = m[0]->len ? TO_SERVER : TO_CLIENT;
    gint64 shifted = median(m[d]) - p->offset_ns;   /* delay if A sent */
    p->a_is_client = (shifted > 0) == (d == TO_SERVER);
  } else {
    ok = PEER_ERROR(err, "%s and %s: no packet of the connection is in both "
                    "captures", p->ca->path, p->cb->path);
  }
  g_array_free(m[0], TRUE);
  g_array_free(m[1], TRUE);
  return ok;
}

/* Count the delays (and those below 0); TRUE when every packet is in both
 * captures at the same time: one capture given twice. */
static gboolean count_delays(Peer *p)
{
  gboolean identical = TRUE;
  for (guint i = 0; i < p->subflows->len; i++) {
    const PeerSubflow *s = &g_array_index(p->subflows, PeerSubflow, i);
    if (!s->a || !s->b) {
      identical = FALSE;
      continue;
    }
    for (int d = 0; d < 2; d++) {
      PeerDir dir;
      peer_dir(p, s, d, &dir);
      identical &= dir.lost->len == 0 && dir.missed->len == 0;
      for (guint k = 0; k < dir.pairs->len; k++) {
        const PktPair *x = &g_array_index(dir.pairs, PktPair, k);
        gint64 delay = peer_delay(p, &dir, x);
        p->matched++;
        p->negative += delay < 0;
        identical &= peer_sent(&dir, x)->time_ns ==
                     peer_received(&dir, x)->time_ns;
      }
      peer_dir_clear(&dir);
    }
  }
  return identical && p->matched > 0;
}

static gboolean finish(Peer *p, const double *offset_s, GError **err)
{
  p->offset_given = offset_s != NULL;
  p->offset_ns = !offset_s ? 0 : (gint64)(*offset_s * 1e9 +
                                           (*offset_s < 0 ? -0.5 : 0.5));
  if (!decide_ends(p, err))
    return FALSE;
  double est = (double)p->estimate_ns / 1e9;
  if (!p->offset_given && (est > PEER_FAR_CLOCKS_S || -est > PEER_FAR_CLOCKS_S))
    return PEER_ERROR(err, "%s and %s: their clocks differ by about %.3f s "
                      "(the second's minus the first's, from the packets in "
                      "both); give --clock-offset %.3f if that is so",
                      p->ca->path, p->cb->path, est, est);
  if (count_delays(p))
    return PEER_ERROR(err, "%s and %s hold the same packets at the same "
                      "times: one capture twice, not the two ends of a "
                      "connection", p->ca->path, p->cb->path);
  return TRUE;
}

static void init(Peer *p, const Capture *ca, const Capture *cb)
{
  memset(p, 0, sizeof *p);
  p->ca = ca;
  p->cb = cb;
  p->subflows = g_array_new(FALSE, TRUE, sizeof(PeerSubflow));
}

gboolean peer_tcp(Peer *p, const Capture *ca, const TcpConn *a,
                  const Capture *cb, const double *offset_s, GError **err)
{
  init(p, ca, cb);
  GArray *c = conn_map_tcp(a, cb);
  const TcpCandidate *best = c->len ? &g_array_index(c, TcpCandidate, 0) : NULL;
  gboolean found = best && best->match;
  if (found)
    add_subflow(p, a, best->b);
  g_array_free(c, TRUE);
  if (!found)
    return g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                       "%s: no TCP connection there is tcp.stream %u of "
                      "%s (no shared ISN or packet; see map-tcp)", cb->path,
                       a->stream, ca->path), FALSE;
  return finish(p, offset_s, err);
}

gboolean peer_mptcp(Peer *p, const Capture *ca, const MptcpConn *a,
                    const Capture *cb, const double *offset_s, GError **err)
{
  init(p, ca, cb);
  GArray *c = conn_map_mptcp(a, cb);
  const MptcpCandidate *best = c->len ? &g_array_index(c, MptcpCandidate, 0)
                                      : NULL;
  if (!best || !best->match) {
    conn_map_mptcp_free(c);
    return g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                       "%s: no MPTCP connection there is mptcp.stream %u of "
                       "%s (no shared key, ISN or packet; see map-mptcp)",
                       cb->path, a->id, ca->path), FALSE;
  }
  p->ma = a;
  p->mb = best->b;
  gboolean *used = g_new0(gboolean, best->b->subflows->len + 1);
  for (guint i = 0; i < best->subflows->len; i++) {
    const SubflowPair *x = &g_array_index(best->subflows, SubflowPair, i);
    add_subflow(p, x->a, x->b);
    for (guint j = 0; x->b && j < best->b->subflows->len; j++)
      used[j] |= g_ptr_array_index(best->b->subflows, j) == x->b;
  }
  for (guint j = 0; j < best->b->subflows->len; j++)
    if (!used[j])
      add_subflow(p, NULL, g_ptr_array_index(best->b->subflows, j));
  g_free(used);
  conn_map_mptcp_free(c);
  return finish(p, offset_s, err);
}

void peer_clear(Peer *p)
{
  if (!p->subflows)
    return;
  for (guint i = 0; i < p->subflows->len; i++)
    pkt_match_clear(&g_array_index(p->subflows, PeerSubflow, i).m);
  g_array_free(p->subflows, TRUE);
  p->subflows = NULL;
}

const Capture *peer_sender_capture(const Peer *p, int d)
{
  return (d == TO_SERVER) == p->a_is_client ? p->ca : p->cb;
}

/* the packets of t endpoint e sent, as indices */
static GArray *all_from(const TcpConn *t, int e)
{
  GArray *v = g_array_new(FALSE, FALSE, sizeof(guint32));
  for (guint32 i = 0; i < t->packets->len; i++)
    if (g_array_index(t->packets, Packet, i).src == e)
      g_array_append_val(v, i);
  return v;
}

void peer_dir(const Peer *p, const PeerSubflow *s, int d, PeerDir *out)
{
  memset(out, 0, sizeof *out);
  out->sender_is_a = (d == TO_SERVER) == p->a_is_client;
  if (s->a && s->b) {
    int ea = sender_of(s->a, d);
    const PktDir *pd = &s->m.dir[ea];
    const TcpConn *c[2] = { s->a, s->b };
    int e[2] = { ea, pd->b_endpoint };
    int snd = out->sender_is_a ? 0 : 1;
    out->sender_conn = c[snd];
    out->sender_end = e[snd];
    out->receiver_conn = c[1 - snd];
    out->receiver_end = e[1 - snd];
    out->pairs = pd->pairs;
    out->lost = out->sender_is_a ? pd->only_a : pd->only_b;
    out->missed = out->sender_is_a ? pd->only_b : pd->only_a;
    return;
  }
  const TcpConn *t = s->a ? s->a : s->b;
  gboolean t_is_sender = (s->a != NULL) == out->sender_is_a;
  int e = sender_of(t, d);
  out->own[0] = all_from(t, e);
  out->own[1] = g_array_new(FALSE, FALSE, sizeof(guint32));
  out->own[2] = g_array_new(FALSE, FALSE, sizeof(PktPair));
  out->pairs = out->own[2];
  if (t_is_sender) {
    out->sender_conn = t;
    out->sender_end = e;
    out->lost = out->own[0];
    out->missed = out->own[1];
  } else {
    out->receiver_conn = t;
    out->receiver_end = e;
    out->missed = out->own[0];
    out->lost = out->own[1];
  }
}

void peer_dir_clear(PeerDir *out)
{
  for (int i = 0; i < 3; i++)
    if (out->own[i])
      g_array_free(out->own[i], TRUE);
  memset(out, 0, sizeof *out);
}

const Packet *peer_sent(const PeerDir *dir, const PktPair *x)
{
  return &g_array_index(dir->sender_conn->packets, Packet,
                        dir->sender_is_a ? x->a : x->b);
}

const Packet *peer_received(const PeerDir *dir, const PktPair *x)
{
  return &g_array_index(dir->receiver_conn->packets, Packet,
                        dir->sender_is_a ? x->b : x->a);
}

gint64 peer_delay(const Peer *p, const PeerDir *dir, const PktPair *x)
{
  gint64 sent = peer_sent(dir, x)->time_ns;
  gint64 recv = peer_received(dir, x)->time_ns;
  /* B's times are read on A's clock by taking the offset off */
  if (dir->sender_is_a)
    recv -= p->offset_ns;
  else
    sent -= p->offset_ns;
  return recv - sent;
}
