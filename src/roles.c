/* roles.c - who is the client of a TCP connection.
 *
 * The reference tool took the sender of the first captured packet as the
 * client; a capture that starts mid-connection then shows the roles
 * reversed. We look, in order, for a SYN (its sender is the client), a
 * SYN/ACK (its receiver is), an MPTCP option only a client sends (the
 * MP_CAPABLE carrying both keys, the 24-byte MP_JOIN ACK), and last the
 * ports: a port that serves another connection of the capture, else the
 * lower port, is the server's. */
#include "roles.h"

static gboolean from_handshake(TcpConn *t)
{
  for (guint i = 0; i < t->packets->len; i++) {
    const Packet *p = &g_array_index(t->packets, Packet, i);
    if (!(p->tcp_flags & TCP_SYN))
      continue;
    gboolean synack = (p->tcp_flags & TCP_ACK) != 0;
    t->client = synack ? 1 - p->src : p->src;
    t->role_source = synack ? ROLE_FROM_SYNACK : ROLE_FROM_SYN;
    if (!synack)
      return TRUE;
    /* a SYN/ACK decides only if no SYN follows it */
    for (guint j = i + 1; j < t->packets->len; j++) {
      const Packet *q = &g_array_index(t->packets, Packet, j);
      if ((q->tcp_flags & (TCP_SYN | TCP_ACK)) == TCP_SYN) {
        t->client = q->src;
        t->role_source = ROLE_FROM_SYN;
        break;
      }
    }
    return TRUE;
  }
  return FALSE;
}

static gboolean from_mptcp(TcpConn *t)
{
  for (guint i = 0; i < t->events->len; i++) {
    const MptcpEvent *e = &g_array_index(t->events, MptcpEvent, i);
    const Packet *p = &g_array_index(t->packets, Packet, e->pkt);
    gboolean client_only =
      (e->opt.subtype == MPTCP_CAPABLE && e->opt.has_recv_key) ||
      (e->opt.subtype == MPTCP_JOIN && e->opt.len == 24);
    if (client_only && !(p->tcp_flags & TCP_SYN)) {
      t->client = p->src;
      t->role_source = ROLE_FROM_MPTCP;
      return TRUE;
    }
  }
  return FALSE;
}

static void from_ports(TcpConn *t, GHashTable *server_ports)
{
  gboolean s0 = g_hash_table_contains(server_ports, GUINT_TO_POINTER(t->port[0]));
  gboolean s1 = g_hash_table_contains(server_ports, GUINT_TO_POINTER(t->port[1]));
  int server;
  if (s0 != s1)
    server = s0 ? 0 : 1;
  else
    server = t->port[0] < t->port[1] ? 0 : 1;
  t->client = 1 - server;
  t->role_source = ROLE_FROM_PORTS;
}

void roles_decide(Capture *c)
{
  GHashTable *server_ports = g_hash_table_new(g_direct_hash, g_direct_equal);
  GPtrArray *undecided = g_ptr_array_new();
  for (guint i = 0; i < c->tcp->len; i++) {
    TcpConn *t = g_ptr_array_index(c->tcp, i);
    if (from_handshake(t) || from_mptcp(t))
      g_hash_table_add(server_ports, GUINT_TO_POINTER(t->port[conn_server(t)]));
    else
      g_ptr_array_add(undecided, t);
  }
  for (guint i = 0; i < undecided->len; i++)
    from_ports(g_ptr_array_index(undecided, i), server_ports);
  g_ptr_array_free(undecided, TRUE);
  g_hash_table_destroy(server_ports);
}
