/* capture.c - the capture model: creating it, adding decoded rows, looking
 * connections up, freeing it. Roles and MPTCP links are decided afterwards,
 * in roles.c and mptcp_link.c, called from capture_finish(). */
#include "capture.h"
#include "roles.h"
#include "mptcp_link.h"
#include <string.h>

static void tcp_conn_free(gpointer p)
{
  TcpConn *t = p;
  g_array_free(t->packets, TRUE);
  g_array_free(t->events, TRUE);
  g_array_free(t->icmp, TRUE);
  g_free(t);
}

static void mptcp_conn_free(gpointer p)
{
  MptcpConn *m = p;
  g_ptr_array_free(m->subflows, TRUE);
  g_free(m);
}

Capture *capture_new(const char *path)
{
  Capture *c = g_new0(Capture, 1);
  c->path = g_strdup(path);
  c->by_stream = g_hash_table_new(g_direct_hash, g_direct_equal);
  c->tcp = g_ptr_array_new_with_free_func(tcp_conn_free);
  c->mptcp = g_ptr_array_new_with_free_func(mptcp_conn_free);
  c->orphans = g_ptr_array_new();
  c->orphan_conns = g_ptr_array_new_with_free_func(mptcp_conn_free);
  c->pending_icmp = g_array_new(FALSE, FALSE, sizeof(IcmpEvent));
  return c;
}

void capture_free(Capture *c)
{
  if (!c)
    return;
  g_ptr_array_free(c->tcp, TRUE);
  g_ptr_array_free(c->mptcp, TRUE);
  g_ptr_array_free(c->orphans, TRUE);
  g_ptr_array_free(c->orphan_conns, TRUE);
  g_hash_table_destroy(c->by_stream);
  g_array_free(c->pending_icmp, TRUE);
  g_free(c->path);
  g_free(c);
}

TcpConn *capture_conn_new(Capture *c, guint32 stream, const char *ip0,
                          guint16 port0, const char *ip1, guint16 port1)
{
  TcpConn *t = g_new0(TcpConn, 1);
  t->stream = stream;
  g_strlcpy(t->ip[0], ip0, ADDR_MAX);
  g_strlcpy(t->ip[1], ip1, ADDR_MAX);
  t->port[0] = port0;
  t->port[1] = port1;
  t->client = 0;
  t->packets = g_array_new(FALSE, FALSE, sizeof(Packet));
  t->events = g_array_new(FALSE, FALSE, sizeof(MptcpEvent));
  t->icmp = g_array_new(FALSE, FALSE, sizeof(IcmpEvent));
  t->ws_mptcp_stream = -1;
  t->addr_id[0] = t->addr_id[1] = -1;
  g_hash_table_insert(c->by_stream, GUINT_TO_POINTER(stream), t);
  g_ptr_array_add(c->tcp, t);
  return t;
}

static TcpConn *conn_for_row(Capture *c, const Row *r)
{
  TcpConn *t = g_hash_table_lookup(c->by_stream, GUINT_TO_POINTER(r->stream));
  return t ? t : capture_conn_new(c, r->stream, r->src, r->sport, r->dst,
                                  r->dport);
}

/* Which endpoint sent the row: 0, 1, or -1 when it fits neither. */
static int row_sender(const TcpConn *t, const Row *r)
{
  for (int e = 0; e < 2; e++)
    if (r->sport == t->port[e] && r->dport == t->port[1 - e] &&
        strcmp(r->src, t->ip[e]) == 0 && strcmp(r->dst, t->ip[1 - e]) == 0)
      return e;
  return -1;
}

static void take_options(TcpConn *t, Packet *p, const Row *r)
{
  gboolean have_map = FALSE;
  for (int i = 0; i < r->n_opts; i++) {
    const MptcpOpt *o = &r->opts[i];
    p->mptcp_subtypes |= (guint16)(1u << o->subtype);
    if (o->subtype == MPTCP_DSS && !(p->dss_flags & (DSS_MAP | DSS_ACK))) {
      p->dss_flags = o->flags & 0x1f;
      p->dsn = o->dsn;
      p->data_ack = o->data_ack;
      p->ssn = o->ssn;
      p->data_len = o->data_len;
      have_map = (o->flags & DSS_MAP) != 0;
      continue;
    }
    if (o->subtype == MPTCP_CAPABLE && o->has_data_len && !have_map) {
      p->dss_flags |= DSS_IMPLICIT | DSS_MAP;
      p->ssn = 1;
      p->data_len = o->data_len;
    }
    MptcpEvent ev = { .pkt = t->packets->len, .opt = *o };
    g_array_append_val(t->events, ev);
  }
}

/* An ICMP error goes to the connection of the packet it quotes; one that
 * comes before any packet of that tcp.stream waits for capture_finish. */
static void add_icmp(Capture *c, const Row *r)
{
  IcmpEvent ev = {
    .time_ns = r->time_ns, .frame = r->frame, .stream = r->stream,
    .sport = r->sport, .dport = r->dport, .type = r->icmp_type,
    .code = r->icmp_code, .family = r->icmp_family,
  };
  g_strlcpy(ev.router, r->icmp_from, ADDR_MAX);
  TcpConn *t = capture_tcp(c, r->stream);
  g_array_append_val(t ? t->icmp : c->pending_icmp, ev);
  c->icmp_errors++;
  if (r->time_clamped)
    c->time_clamped++;
}

void capture_add_row(Capture *c, const Row *r)
{
  if (r->is_icmp) {
    add_icmp(c, r);
    return;
  }
  TcpConn *t = conn_for_row(c, r);
  int src = row_sender(t, r);
  if (src < 0) {
    c->bad_rows++;
    return;
  }
  Packet p = {
    .time_ns = r->time_ns, .frame = r->frame, .seq = r->seq, .ack = r->ack,
    .len = r->len, .tcp_flags = r->flags, .src = (guint8)src,
    .tsval = r->tsval,
  };
  take_options(t, &p, r);
  if (r->options_cut) {
    p.mptcp_subtypes |= PKT_OPTIONS_CUT;
    c->options_cut++;
  }
  if (r->time_clamped)
    c->time_clamped++;
  if (t->ws_mptcp_stream < 0 && r->mptcp_stream >= 0)
    t->ws_mptcp_stream = r->mptcp_stream;
  g_array_append_val(t->packets, p);
  c->tcp_packets++;
}

static gint by_stream(gconstpointer a, gconstpointer b)
{
  const TcpConn *x = *(TcpConn *const *)a, *y = *(TcpConn *const *)b;
  return x->stream < y->stream ? -1 : x->stream > y->stream;
}

static gint icmp_by_frame(gconstpointer a, gconstpointer b)
{
  const IcmpEvent *x = a, *y = b;
  return x->frame < y->frame ? -1 : x->frame > y->frame;
}

/* ICMP errors that came before their connection's first packet (or, after
 * a parallel load, in another range than its packets) join it, and each
 * connection's errors end up in frame order. */
static void settle_icmp(Capture *c)
{
  c->icmp_unmatched = 0;
  for (guint i = 0; i < c->pending_icmp->len; i++) {
    const IcmpEvent *ev = &g_array_index(c->pending_icmp, IcmpEvent, i);
    TcpConn *t = capture_tcp(c, ev->stream);
    if (t)
      g_array_append_val(t->icmp, *ev);
    else
      c->icmp_unmatched++;
  }
  g_array_set_size(c->pending_icmp, 0);
  for (guint i = 0; i < c->tcp->len; i++) {
    TcpConn *t = g_ptr_array_index(c->tcp, i);
    if (t->icmp->len > 1)
      g_array_sort(t->icmp, icmp_by_frame);
  }
}

void capture_finish(Capture *c)
{
  settle_icmp(c);
  g_ptr_array_sort(c->tcp, by_stream);
  roles_decide(c);
  mptcp_link(c);
}

gint64 tcp_conn_first_ns(const TcpConn *t)
{
  gint64 t0 = G_MAXINT64;
  for (guint i = 0; i < t->packets->len; i++)
    t0 = MIN(t0, g_array_index(t->packets, Packet, i).time_ns);
  return t0;
}

gint64 mptcp_conn_first_ns(const MptcpConn *m)
{
  gint64 t0 = G_MAXINT64;
  for (guint k = 0; k < m->subflows->len; k++)
    t0 = MIN(t0, tcp_conn_first_ns(g_ptr_array_index(m->subflows, k)));
  return t0;
}

GPtrArray *capture_take_conns(Capture *c)
{
  GPtrArray *all = c->tcp;
  c->tcp = g_ptr_array_new_with_free_func(tcp_conn_free);
  g_hash_table_remove_all(c->by_stream);
  g_ptr_array_set_free_func(all, NULL);
  return all;
}

void capture_adopt_conn(Capture *c, TcpConn *t)
{
  g_hash_table_insert(c->by_stream, GUINT_TO_POINTER(t->stream), t);
  g_ptr_array_add(c->tcp, t);
}

void capture_conn_append(TcpConn *into, TcpConn *from)
{
  gboolean turn = strcmp(into->ip[0], from->ip[0]) != 0 ||
                  into->port[0] != from->port[0];
  guint base = into->packets->len;
  if (turn)
    for (guint i = 0; i < from->packets->len; i++) {
      Packet *p = &g_array_index(from->packets, Packet, i);
      p->src = (guint8)(1 - p->src);
    }
  for (guint i = 0; i < from->events->len; i++)
    g_array_index(from->events, MptcpEvent, i).pkt += base;
  if (base < from->packets->len) {     /* grow the larger array, not a copy */
    g_array_prepend_vals(from->packets, into->packets->data, base);
    GArray *t = into->packets;
    into->packets = from->packets;
    from->packets = t;
  } else {
    g_array_append_vals(into->packets, from->packets->data,
                        from->packets->len);
  }
  g_array_append_vals(into->events, from->events->data, from->events->len);
  for (guint i = 0; i < from->icmp->len; i++)
    g_array_index(from->icmp, IcmpEvent, i).stream = into->stream;
  g_array_append_vals(into->icmp, from->icmp->data, from->icmp->len);
  g_array_set_size(from->packets, 0);
  g_array_set_size(from->events, 0);
  g_array_set_size(from->icmp, 0);
  if (into->ws_mptcp_stream < 0)
    into->ws_mptcp_stream = from->ws_mptcp_stream;
}

void capture_conn_free(TcpConn *t)
{
  tcp_conn_free(t);
}

TcpConn *capture_tcp(const Capture *c, guint32 stream)
{
  return g_hash_table_lookup(c->by_stream, GUINT_TO_POINTER(stream));
}

MptcpConn *capture_mptcp(const Capture *c, guint32 id)
{
  for (guint i = 0; i < c->mptcp->len; i++) {
    MptcpConn *m = g_ptr_array_index(c->mptcp, i);
    if (m->id == id)
      return m;
  }
  for (guint i = 0; i < c->orphan_conns->len; i++) {
    MptcpConn *m = g_ptr_array_index(c->orphan_conns, i);
    if (m->id == id)
      return m;
  }
  return NULL;
}
