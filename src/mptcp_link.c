/* mptcp_link.c - from TCP connections to MPTCP connections.
 *
 * Keys come from MP_CAPABLE options: a sender key belongs to the packet's
 * sender, a receiver key to its receiver (true of v0 and v1 alike). Tokens
 * and IDSNs are derived here; joins are linked through our own token
 * tables (one for server tokens, one for client tokens), so a join opened
 * by the server towards the client is recognised as such. Wireshark's
 * mptcp.stream is used only to number connections as Wireshark does.
 *
 * Two connections with the same keys (Wireshark numbers both 0) are both
 * kept: the first keeps Wireshark's number, the second gets the next
 * number above every one Wireshark gave, and a join goes to the last of
 * them that started before its SYN. A subflow whose every packet lost its
 * TCP options to the snap length carries no token; it is linked "by
 * inference" when exactly one connection fits: its server address and
 * port are those of the connection's subflows or one the server announced
 * (ADD_ADDR), and it starts within the connection's lifetime. */
#include "mptcp_link.h"
#include "mptcp_crypto.h"
#include "tcp_stats.h"
#include <string.h>
#include <arpa/inet.h>

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
    if (pkt_mptcp_options(&g_array_index(t->packets, Packet, i)))
      return TRUE;
  return FALSE;
}

/* The start of a connection: the first packet time of its initial
 * subflow. */
static gint64 conn_start(const MptcpConn *m)
{
  TcpStats st;
  tcp_stats(g_ptr_array_index(m->subflows, 0), &st);
  return st.first_ns;
}

/* The first time of an MP_JOIN SYN */
static gint64 syn_time(const TcpConn *t)
{
  for (guint i = 0; i < t->packets->len; i++) {
    const Packet *p = &g_array_index(t->packets, Packet, i);
    if (p->tcp_flags & TCP_SYN)
      return p->time_ns;
  }
  return g_array_index(t->packets, Packet, 0).time_ns;
}

/* Several connections can have the same keys (a client reusing them, or
 * captures merged): a join goes to the last one started before it. */
static MptcpConn *by_time(GPtrArray *same_token, gint64 when)
{
  MptcpConn *best = NULL;
  if (!same_token)
    return NULL;
  if (same_token->len == 1)
    return g_ptr_array_index(same_token, 0);
  for (guint i = 0; i < same_token->len; i++) {
    MptcpConn *m = g_ptr_array_index(same_token, i);
    if (!best || conn_start(m) <= when)
      best = m;
  }
  return best;
}

static void link_join(Capture *c, TcpConn *t, GHashTable *tokens[2])
{
  const MptcpOpt *syn = join_syn(t);
  MptcpConn *m = NULL;
  if (syn) {
    gint64 when = syn_time(t);
    t->has_join_syn = TRUE;
    t->join_token = syn->token;
    m = by_time(g_hash_table_lookup(tokens[1], GUINT_TO_POINTER(syn->token)),
                when);
    t->towards_server = m != NULL;
    if (!m)
      m = by_time(g_hash_table_lookup(tokens[0],
                                      GUINT_TO_POINTER(syn->token)), when);
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

/* Wireshark's number when it is free, else the next above all of its. */
static guint32 take_id(GHashTable *used, gint64 wanted, guint32 *next)
{
  guint32 id = wanted >= 0 &&
               !g_hash_table_contains(used, GUINT_TO_POINTER((guint32)wanted))
               ? (guint32)wanted : (*next)++;
  g_hash_table_add(used, GUINT_TO_POINTER(id));
  return id;
}

/* Every connection and orphan gets an id of its own (see the top). */
static void number_connections(Capture *c)
{
  GHashTable *used = g_hash_table_new(g_direct_hash, g_direct_equal);
  guint32 next = 0;
  for (guint i = 0; i < c->tcp->len; i++) {
    const TcpConn *t = g_ptr_array_index(c->tcp, i);
    if (t->ws_mptcp_stream >= next)
      next = (guint32)t->ws_mptcp_stream + 1;
  }
  for (guint i = 0; i < c->mptcp->len; i++) {
    MptcpConn *m = g_ptr_array_index(c->mptcp, i);
    const TcpConn *first = g_ptr_array_index(m->subflows, 0);
    m->id = take_id(used, first->ws_mptcp_stream, &next);
  }
  for (guint i = 0; i < c->orphan_conns->len; i++) {
    MptcpConn *m = g_ptr_array_index(c->orphan_conns, i);
    TcpConn *t = g_ptr_array_index(m->subflows, 0);
    t->orphan_id = m->id = take_id(used, t->ws_mptcp_stream, &next);
  }
  g_ptr_array_sort(c->mptcp, by_id);
  g_hash_table_destroy(used);
}

/* ---- subflows whose options the snap length cut ---- */

/* A subflow on a path the snap length cut: its SYNs (or, without a
 * handshake, some packet) lost their options, and no packet shows an
 * MPTCP option. A packet whose header has no options is not cut, so FINs
 * and bare ACKs say nothing either way. */
static gboolean options_cut_path(const TcpConn *t)
{
  gboolean any_cut = FALSE, syn_seen = FALSE, syn_cut = TRUE;
  for (guint i = 0; i < t->packets->len; i++) {
    const Packet *p = &g_array_index(t->packets, Packet, i);
    gboolean cut = (p->mptcp_subtypes & PKT_OPTIONS_CUT) != 0;
    if (pkt_mptcp_options(p))
      return FALSE;
    any_cut |= cut;
    if (p->tcp_flags & TCP_SYN) {
      syn_seen = TRUE;
      syn_cut &= cut;
    }
  }
  return syn_seen ? syn_cut : any_cut;
}

static gboolean same_endpoint(const TcpConn *a, int ea, const TcpConn *b,
                              int eb)
{
  return a->port[ea] == b->port[eb] && strcmp(a->ip[ea], b->ip[eb]) == 0;
}

/* Is t's server an address of m's server host: the server end of one of
 * its subflows opened towards the server, or an address it announced? */
static gboolean serves(const MptcpConn *m, const TcpConn *t)
{
  const TcpConn *init = g_ptr_array_index(m->subflows, 0);
  int ts = conn_server(t);
  for (guint k = 0; k < m->subflows->len; k++) {
    const TcpConn *u = g_ptr_array_index(m->subflows, k);
    if (u->towards_server && same_endpoint(u, conn_server(u), t, ts))
      return TRUE;
    for (guint i = 0; i < u->events->len; i++) {
      const MptcpEvent *e = &g_array_index(u->events, MptcpEvent, i);
      const Packet *p = &g_array_index(u->packets, Packet, e->pkt);
      char addr[INET6_ADDRSTRLEN];
      if (e->opt.subtype != MPTCP_ADD_ADDR || (p->src == u->client) !=
          !u->towards_server || e->opt.family == 0)
        continue;
      inet_ntop(e->opt.family == 6 ? AF_INET6 : AF_INET, e->opt.addr, addr,
                sizeof addr);
      guint16 port = e->opt.has_port ? e->opt.port : init->port[conn_server(init)];
      if (port == t->port[ts] && strcmp(addr, t->ip[ts]) == 0)
        return TRUE;
    }
  }
  return FALSE;
}

static void lifetime(const MptcpConn *m, gint64 *first, gint64 *last)
{
  *first = G_MAXINT64;
  *last = G_MININT64;
  for (guint k = 0; k < m->subflows->len; k++) {
    TcpStats st;
    tcp_stats(g_ptr_array_index(m->subflows, k), &st);
    *first = MIN(*first, st.first_ns);
    *last = MAX(*last, st.last_ns);
  }
}

/* Link t to the one connection the evidence names; none if several. */
static void infer_link(Capture *c, TcpConn *t)
{
  TcpStats st;
  MptcpConn *found = NULL;
  int n = 0;
  tcp_stats(t, &st);
  for (guint i = 0; i < c->mptcp->len; i++) {
    MptcpConn *m = g_ptr_array_index(c->mptcp, i);
    gint64 first, last;
    lifetime(m, &first, &last);
    if (st.first_ns >= first && st.first_ns <= last && serves(m, t)) {
      found = m;
      n++;
    }
  }
  if (n != 1)
    return;
  t->kind = SUBFLOW_JOIN;
  t->mptcp = found;
  t->towards_server = TRUE;
  t->linked_inferred = TRUE;
  g_ptr_array_add(found->subflows, t);
}

void mptcp_link(Capture *c)
{
  GHashTable *tokens[2];   /* token -> GPtrArray of MptcpConn, by start */
  GPtrArray *cut = g_ptr_array_new();
  for (int r = 0; r < 2; r++)
    tokens[r] = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                      (GDestroyNotify)g_ptr_array_unref);
  for (guint i = 0; i < c->tcp->len; i++) {
    MptcpConn *m = initial_subflow(g_ptr_array_index(c->tcp, i));
    if (!m)
      continue;
    g_ptr_array_add(c->mptcp, m);
    for (int r = 0; r < 2; r++) {
      if (!m->has_key[r])
        continue;
      gpointer tok = GUINT_TO_POINTER(m->token[r]);
      GPtrArray *list = g_hash_table_lookup(tokens[r], tok);
      if (!list)
        g_hash_table_insert(tokens[r], tok, list = g_ptr_array_new());
      g_ptr_array_add(list, m);
    }
  }
  for (guint i = 0; i < c->tcp->len; i++) {
    TcpConn *t = g_ptr_array_index(c->tcp, i);
    if (t->kind == SUBFLOW_NONE)
      link_join(c, t, tokens);
    if (t->kind == SUBFLOW_NONE && options_cut_path(t))
      g_ptr_array_add(cut, t);
  }
  for (guint i = 0; i < cut->len; i++)
    infer_link(c, g_ptr_array_index(cut, i));
  number_connections(c);
  g_ptr_array_free(cut, TRUE);
  for (int r = 0; r < 2; r++)
    g_hash_table_destroy(tokens[r]);
}
