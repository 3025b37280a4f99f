/* export_peer.c - per-packet copies in the other end's capture, for
 * export --peer (see export_peer.h). */
#include "export_peer.h"
#include <string.h>

/* The peer of t's connection: its MPTCP connection, else t alone. */
static gboolean open_for(Peer *p, const Capture *ca, const TcpConn *t,
                         const Capture *cb, const double *offset_s,
                         GError **err)
{
  return t->mptcp ? peer_mptcp(p, ca, t->mptcp, cb, offset_s, err)
                  : peer_tcp(p, ca, t, cb, offset_s, err);
}

static void fill(ExportPeer *e, const Peer *p, const PeerSubflow *s)
{
  e->compared = TRUE;
  e->b = s->b;
  e->offset_ns = p->offset_ns;
  e->copy = g_new0(guint32, s->a->packets->len + 1);
  for (int end = 0; s->b && end < 2; end++) {
    const PktDir *d = &s->m.dir[end];
    for (guint k = 0; k < d->pairs->len; k++) {
      const PktPair *x = &g_array_index(d->pairs, PktPair, k);
      e->copy[x->a] = x->b + 1;
    }
  }
  for (int d = 0; d < 2; d++) {
    PeerDir dir;
    peer_dir(p, s, d, &dir);
    int end = dir.sender_is_a ? dir.sender_end : dir.receiver_end;
    e->sent_here[end] = dir.sender_is_a;
    peer_dir_clear(&dir);
  }
}

ExportPeer *export_peer_make(const GPtrArray *conns, const Capture *ca,
                             const Capture *cb, const double *offset_s,
                             GError **err)
{
  ExportPeer *ep = g_new0(ExportPeer, conns->len + 1);
  for (guint i = 0; i < conns->len; i++) {
    const TcpConn *t = g_ptr_array_index(conns, i);
    GError *local = NULL;
    Peer p;
    if (ep[i].copy)                     /* done with another subflow */
      continue;
    if (!open_for(&p, ca, t, cb, offset_s, &local)) {
      peer_clear(&p);
      if (g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
        g_error_free(local);             /* not there: empty columns */
        continue;
      }
      g_propagate_error(err, local);
      export_peer_free(ep, conns->len);
      return NULL;
    }
    for (guint k = 0; k < p.subflows->len; k++) {
      const PeerSubflow *s = &g_array_index(p.subflows, PeerSubflow, k);
      for (guint j = 0; s->a && j < conns->len; j++)
        if (g_ptr_array_index(conns, j) == s->a && !ep[j].copy)
          fill(&ep[j], &p, s);
    }
    peer_clear(&p);
  }
  return ep;
}

void export_peer_free(ExportPeer *ep, guint n)
{
  for (guint i = 0; ep && i < n; i++)
    g_free(ep[i].copy);
  g_free(ep);
}
