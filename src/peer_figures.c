/* peer_figures.c - figures from both ends of a connection (see
 * peer_figures.h). */
#include "peer_figures.h"
#include <string.h>

/* index of t among m's subflows, or -1 */
static gint subflow_index(const MptcpConn *m, const TcpConn *t)
{
  for (guint k = 0; t && k < m->subflows->len; k++)
    if (g_ptr_array_index(m->subflows, k) == t)
      return (gint)k;
  return -1;
}

/* A's subflow index of the subflow pair that holds t (of B when in_b) */
static gint a_index(const Peer *p, const TcpConn *t, gboolean in_b)
{
  for (guint i = 0; i < p->subflows->len; i++) {
    const PeerSubflow *s = &g_array_index(p->subflows, PeerSubflow, i);
    if ((in_b ? s->b : s->a) == t)
      return subflow_index(p->ma, s->a);
  }
  return -1;
}

static guint64 payload(const TcpConn *t, const GArray *idx)
{
  guint64 n = 0;
  for (guint k = 0; k < idx->len; k++)
    n += g_array_index(t->packets, Packet, g_array_index(idx, guint32, k)).len;
  return n;
}

/* losses and delays of direction d, per subflow pair */
static void packets(const Peer *p, int d, PeerFigures *f)
{
  GArray *all = g_array_new(FALSE, FALSE, sizeof(gint64));
  for (guint i = 0; i < p->subflows->len; i++) {
    const PeerSubflow *s = &g_array_index(p->subflows, PeerSubflow, i);
    gint k = subflow_index(p->ma, s->a);
    PeerSubFigures *x = k >= 0 ? &f->sub[k] : NULL;
    PeerDir dir;
    peer_dir(p, s, d, &dir);
    gint64 *v = g_new(gint64, dir.pairs->len + 1);
    for (guint j = 0; j < dir.pairs->len; j++) {
      v[j] = peer_delay(p, &dir, &g_array_index(dir.pairs, PktPair, j));
      g_array_append_val(all, v[j]);
    }
    guint64 lost_bytes = dir.sender_conn ? payload(dir.sender_conn, dir.lost) : 0;
    f->total.lost_packets += dir.lost->len;
    f->total.lost_bytes += lost_bytes;
    f->total.missed_packets += dir.missed->len;
    if (x) {
      x->present = s->a && s->b;
      x->lost_packets = dir.lost->len;
      x->lost_bytes = lost_bytes;
      x->missed_packets = dir.missed->len;
      delay_stats(v, dir.pairs->len, &x->owd);
    }
    g_free(v);
    peer_dir_clear(&dir);
  }
  delay_stats((gint64 *)all->data, all->len, &f->total.owd);
  g_array_free(all, TRUE);
}

/* application bytes of an analysis' subflows, on A's subflow indices */
static void app_bytes(const Peer *p, const MptcpAnalysis *an, gboolean is_b,
                      int d, PeerFigures *f, gboolean delivered)
{
  for (guint j = 0; j < an->conn->subflows->len; j++) {
    guint64 n = an->dir[d].sub[j].application_bytes;
    gint k = is_b ? a_index(p, g_ptr_array_index(an->conn->subflows, j), TRUE)
                  : (gint)j;
    guint64 *total = delivered ? &f->total.delivered_app : &f->total.sent_app;
    *total += n;
    if (k >= 0)
      *(delivered ? &f->sub[k].delivered_app : &f->sub[k].sent_app) += n;
  }
}

static void blocking(const Peer *p, const MptcpAnalysis *an, gboolean is_b,
                     int d, PeerFigures *f)
{
  Hol h;
  hol_compute(an, d, &h, NULL);
  f->total.hol = h.total;
  f->hol_unreadable = h.unreadable;
  for (guint j = 0; j < h.nsub; j++) {
    gint k = is_b ? a_index(p, g_ptr_array_index(an->conn->subflows, j), TRUE)
                  : (gint)j;
    if (k >= 0)
      f->sub[k].hol = h.sub[j];
  }
  hol_clear(&h);
}

void peer_figures_begin(const Peer *p, PeerFigures out[2])
{
  for (int d = 0; d < 2; d++) {
    PeerFigures *f = &out[d];
    gboolean a_sends = (d == TO_SERVER) == p->a_is_client;
    memset(f, 0, sizeof *f);
    f->sub = g_new0(PeerSubFigures, p->ma->subflows->len + 1);
    f->sender = a_sends ? p->ca : p->cb;
    f->receiver = a_sends ? p->cb : p->ca;
    packets(p, d, f);
  }
}

void peer_figures_add(const Peer *p, const MptcpAnalysis *an, gboolean is_b,
                      PeerFigures out[2])
{
  for (int d = 0; d < 2; d++) {
    gboolean sends = ((d == TO_SERVER) == p->a_is_client) != is_b;
    app_bytes(p, an, is_b, d, &out[d], !sends);
    if (!sends)
      blocking(p, an, is_b, d, &out[d]);
  }
}

void peer_figures_clear(PeerFigures f[2])
{
  for (int d = 0; d < 2; d++) {
    g_free(f[d].sub);
    f[d].sub = NULL;
  }
}
