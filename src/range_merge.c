/* range_merge.c - replay the later ranges' logged rows on the global
 * numbering state and move their connections into the first range's
 * model (see range_merge.h). */
#include "range_merge.h"
#include <string.h>

/* Every connection of a range's model has its replayed conversation, and
 * the mptcp.stream it kept (from its first readable row showing one) is
 * the one its replay showed first: else a row we could not read decided
 * it, and the merge could not reproduce that. */
static gboolean check_models(const Capture *c, const RangeCheck *rc, int k,
                             char **why)
{
  for (guint i = 0; i < c->tcp->len; i++) {
    const TcpConn *t = g_ptr_array_index(c->tcp, i);
    WsConv *w = range_check_conv(rc, t->stream);
    if (!w || wsconv_first_shown(w) != t->ws_mptcp_stream) {
      *why = g_strdup_printf("range %d: tcp.stream %u: mptcp.stream %"
                             G_GINT64_FORMAT " not the replay's", k + 1,
                             t->stream, t->ws_mptcp_stream);
      return FALSE;
    }
  }
  return TRUE;
}

/* The global conversation of each local stream of range k (indexed by
 * local tcp.stream; NULL for a stream without rows). */
static GPtrArray *replay(WsNum *global, const RangeCheck *rc, int k,
                         char **why)
{
  GPtrArray *map = g_ptr_array_new();
  g_ptr_array_set_size(map, (gint)rc->streams->len);
  for (guint i = 0; i < rc->log->len; i++) {
    const LogRow *r = &g_array_index(rc->log, LogRow, i);
    WsConv *local = range_check_conv(rc, r->stream);
    NumInput in = { wsconv_key(local), r->flow, r->flags, r->seq, r->ack,
                    r->has_seglen, r->n_opts, r->opts, NULL };
    gint64 shown;
    WsConv *g = wsnum_packet(global, &in, &shown);
    WsConv **slot = (WsConv **)&g_ptr_array_index(map, r->stream);
    if (!*slot) {
      *slot = g;
    } else if (*slot != g) {
      *why = g_strdup_printf("range %d: tcp.stream %u falls into two "
                             "connections", k + 1, r->stream);
      g_ptr_array_free(map, TRUE);
      return NULL;
    }
  }
  return map;
}

static gint by_stream(gconstpointer a, gconstpointer b)
{
  const TcpConn *x = *(TcpConn *const *)a, *y = *(TcpConn *const *)b;
  return x->stream < y->stream ? -1 : x->stream > y->stream;
}

/* ICMP errors range k could not attach yet wait in the first model,
 * under their global tcp.stream, for capture_finish. */
static gboolean move_pending_icmp(Capture *into, Capture *from,
                                  GPtrArray *map, int k, char **why)
{
  for (guint i = 0; i < from->pending_icmp->len; i++) {
    IcmpEvent ev = g_array_index(from->pending_icmp, IcmpEvent, i);
    WsConv *g = ev.stream < map->len ? g_ptr_array_index(map, ev.stream)
                                     : NULL;
    if (!g) {
      *why = g_strdup_printf("range %d: the ICMP error in frame %u quotes "
                             "tcp.stream %u, which was not replayed", k + 1, ev.frame, ev.stream);
      return FALSE;
    }
    ev.stream = wsconv_stream(g);
    g_array_append_val(into->pending_icmp, ev);
  }
  g_array_set_size(from->pending_icmp, 0);
  return TRUE;
}

/* Move range k's connections into the first model. */
static gboolean move_conns(Capture *into, Capture *from, GPtrArray *map,
                           int k, char **why)
{
  GPtrArray *conns = capture_take_conns(from);
  gboolean ok = TRUE;
  g_ptr_array_sort(conns, by_stream);
  for (guint i = 0; i < conns->len; i++) {
    TcpConn *t = g_ptr_array_index(conns, i);
    WsConv *g = ok && t->stream < map->len ? g_ptr_array_index(map, t->stream)
                                           : NULL;
    if (!g) {
      if (ok)
        *why = g_strdup_printf("range %d: tcp.stream %u was not replayed",
                               k + 1, t->stream);
      ok = FALSE;
      capture_conn_free(t);
      continue;
    }
    TcpConn **owner = (TcpConn **)wsconv_user(g);
    if (*owner) {
      capture_conn_append(*owner, t);
      capture_conn_free(t);
    } else {
      t->stream = wsconv_stream(g);
      for (guint j = 0; j < t->icmp->len; j++)
        g_array_index(t->icmp, IcmpEvent, j).stream = t->stream;
      capture_adopt_conn(into, t);
      *owner = t;
    }
  }
  g_ptr_array_free(conns, TRUE);
  return ok && move_pending_icmp(into, from, map, k, why);
}

gboolean range_merge(Capture **caps, RangeCheck *checks, int n, char **why)
{
  WsNum *global = checks[0].num;
  for (int k = 0; k < n; k++)
    if (!check_models(caps[k], &checks[k], k, why))
      return FALSE;
  for (guint i = 0; i < caps[0]->tcp->len; i++) {
    TcpConn *t = g_ptr_array_index(caps[0]->tcp, i);
    *wsconv_user(range_check_conv(&checks[0], t->stream)) = t;
  }
  for (int k = 1; k < n; k++) {
    GPtrArray *map = replay(global, &checks[k], k, why);
    gboolean ok = map && move_conns(caps[0], caps[k], map, k, why);
    if (map)
      g_ptr_array_free(map, TRUE);
    if (!ok)
      return FALSE;
  }
  for (guint i = 0; i < wsnum_conv_count(global); i++) {
    WsConv *g = wsnum_conv(global, i);
    TcpConn *t = *wsconv_user(g);
    if (t)
      t->ws_mptcp_stream = wsconv_first_shown(g);
  }
  return TRUE;
}
