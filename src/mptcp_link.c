/* mptcp_link.c - from TCP connections to MPTCP connections.
 *
 * Keys come from MP_CAPABLE options: a sender key belongs to the packet's
 * sender, a receiver key to its receiver (true of v0 and v1 alike). Tokens
 * and IDSNs are derived here; joins are linked through our own token
 * tables (one for server tokens, one for client tokens), so a join opened
 * by the server towards the client is recognised as such. Wireshark's
 * mptcp.stream is used only to number connections as Wireshark does. */
#include "mptcp_link.h"
#include "mptcp_crypto.h"

typedef struct {
  gboolean seen[2], has[2];
  guint64 key[2];
  int version, synack_version;
} CapableScan;

static void scan_capable(const TcpConn *t, CapableScan *s)
{
  s->version = s->synack_version = -1;
  for (guint i = 0; i < t->events->len; i++) {
    const MptcpEvent *e = &g_array_index(t->events, MptcpEvent, i);
    const Packet *p = &g_array_index(t->packets, Packet, e->pkt);
    int src = p->src;
    if (e->opt.subtype != MPTCP_CAPABLE)
      continue;
    s->seen[src] = TRUE;
    if (e->opt.has_send_key && !s->has[src]) {
      s->has[src] = TRUE;
      s->key[src] = e->opt.send_key;
    }
    if (e->opt.has_recv_key && !s->has[1 - src]) {
      s->has[1 - src] = TRUE;
      s->key[1 - src] = e->opt.recv_key;
    }
    if (s->version < 0)
      s->version = e->opt.version;
    if ((p->tcp_flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK))
      s->synack_version = e->opt.version;
  }
}

static MptcpConn *initial_subflow(TcpConn *t)
{
  CapableScan s = { { FALSE, FALSE }, { FALSE, FALSE }, { 0, 0 }, -1, -1 };
  scan_capable(t, &s);
  if (!(s.seen[0] && s.seen[1]) && !(s.has[0] && s.has[1]))
    return NULL;
  MptcpConn *m = g_new0(MptcpConn, 1);
  m->version = s.synack_version >= 0 ? s.synack_version : s.version;
  for (int role = 0; role < 2; role++) {       /* 0 client, 1 server */
    int e = role == 0 ? t->client : conn_server(t);
    m->has_key[role] = s.has[e];
    m->key[role] = s.key[e];
    if (s.has[e])
      mptcp_key_derive(m->version, s.key[e], &m->token[role], &m->idsn[role]);
  }
  m->subflows = g_ptr_array_new();
  g_ptr_array_add(m->subflows, t);
  t->kind = SUBFLOW_INITIAL;
  t->mptcp = m;
  t->towards_server = TRUE;
  t->addr_id[t->client] = t->addr_id[conn_server(t)] = 0;
  return m;
}

/* The MP_JOIN SYN of a subflow, or NULL. Also records address ids. */
static const MptcpOpt *join_syn(TcpConn *t)
{
  const MptcpOpt *syn = NULL;
  for (guint i = 0; i < t->events->len; i++) {
    const MptcpEvent *e = &g_array_index(t->events, MptcpEvent, i);
    const Packet *p = &g_array_index(t->packets, Packet, e->pkt);
    if (e->opt.subtype != MPTCP_JOIN || !(p->tcp_flags & TCP_SYN))
      continue;
    if (t->addr_id[p->src] < 0)
      t->addr_id[p->src] = e->opt.addr_id;
    if (!syn && e->opt.has_token && !(p->tcp_flags & TCP_ACK))
      syn = &e->opt;
  }
  return syn;
}

static gboolean has_mptcp_option(const TcpConn *t)
{
  if (t->events->len)
    return TRUE;
  for (guint i = 0; i < t->packets->len; i++)
    if (g_array_index(t->packets, Packet, i).mptcp_subtypes)
      return TRUE;
  return FALSE;
}

static void link_join(Capture *c, TcpConn *t, GHashTable *tokens[2])
{
  const MptcpOpt *syn = join_syn(t);
  MptcpConn *m = NULL;
  if (syn) {
    t->has_join_syn = TRUE;
    t->join_token = syn->token;
    m = g_hash_table_lookup(tokens[1], GUINT_TO_POINTER(syn->token));
    t->towards_server = m != NULL;
    if (!m)
      m = g_hash_table_lookup(tokens[0], GUINT_TO_POINTER(syn->token));
  }
  if (m) {
    t->kind = SUBFLOW_JOIN;
    t->mptcp = m;
    g_ptr_array_add(m->subflows, t);
  } else if (has_mptcp_option(t)) {
    t->kind = SUBFLOW_ORPHAN;
    t->towards_server = TRUE;
    g_ptr_array_add(c->orphans, t);
    MptcpConn *alone = g_new0(MptcpConn, 1);
    alone->id = (guint32)MAX(t->ws_mptcp_stream, 0);
    alone->version = -1;
    alone->subflows = g_ptr_array_new();
    g_ptr_array_add(alone->subflows, t);
    g_ptr_array_add(c->orphan_conns, alone);
  }
}

static gint by_id(gconstpointer a, gconstpointer b)
{
  const MptcpConn *x = *(MptcpConn *const *)a, *y = *(MptcpConn *const *)b;
  return x->id < y->id ? -1 : x->id > y->id;
}

static void number_connections(Capture *c)
{
  guint32 next = 0;
  for (guint i = 0; i < c->tcp->len; i++) {
    const TcpConn *t = g_ptr_array_index(c->tcp, i);
    if (t->ws_mptcp_stream >= next)
      next = (guint32)t->ws_mptcp_stream + 1;
  }
  for (guint i = 0; i < c->mptcp->len; i++) {
    MptcpConn *m = g_ptr_array_index(c->mptcp, i);
    const TcpConn *first = g_ptr_array_index(m->subflows, 0);
    m->id = first->ws_mptcp_stream >= 0 ? (guint32)first->ws_mptcp_stream
                                        : next++;
  }
  g_ptr_array_sort(c->mptcp, by_id);
}

void mptcp_link(Capture *c)
{
  GHashTable *tokens[2];   /* [0] client tokens, [1] server tokens */
  for (int r = 0; r < 2; r++)
    tokens[r] = g_hash_table_new(g_direct_hash, g_direct_equal);
  for (guint i = 0; i < c->tcp->len; i++) {
    MptcpConn *m = initial_subflow(g_ptr_array_index(c->tcp, i));
    if (!m)
      continue;
    g_ptr_array_add(c->mptcp, m);
    for (int r = 0; r < 2; r++)
      if (m->has_key[r] &&
          !g_hash_table_contains(tokens[r], GUINT_TO_POINTER(m->token[r])))
        g_hash_table_insert(tokens[r], GUINT_TO_POINTER(m->token[r]), m);
  }
  for (guint i = 0; i < c->tcp->len; i++) {
    TcpConn *t = g_ptr_array_index(c->tcp, i);
    if (t->kind == SUBFLOW_NONE)
      link_join(c, t, tokens);
  }
  number_connections(c);
  for (int r = 0; r < 2; r++)
    g_hash_table_destroy(tokens[r]);
}
