/* events.c - listing MPTCP options other than DSS, merged across the
 * subflows of a connection by frame number. */
#include "events.h"
#include <arpa/inet.h>

typedef struct { const TcpConn *t; const MptcpEvent *e; guint32 frame; } EvRef;

const char *mptcp_subtype_name(int subtype)
{
  static const char *const names[] = {
    "MP_CAPABLE", "MP_JOIN", "DSS", "ADD_ADDR", "REMOVE_ADDR", "MP_PRIO",
    "MP_FAIL", "MP_FASTCLOSE", "MP_TCPRST" };
  return subtype >= 0 && subtype < MPTCP_SUBTYPES ? names[subtype] : "unknown";
}

char *mptcp_event_detail(const MptcpOpt *o)
{
  char addr[INET6_ADDRSTRLEN] = "";
  GString *s = g_string_new(NULL);
  switch (o->subtype) {
  case MPTCP_ADD_ADDR:
    inet_ntop(o->family == 6 ? AF_INET6 : AF_INET, o->addr, addr, sizeof addr);
    g_string_append_printf(s, "id %u %s", o->addr_id, addr);
    if (o->has_port) g_string_append_printf(s, " port %u", o->port);
    if (o->version == 1 && (o->flags & 1)) g_string_append(s, " (echo)");
    break;
  case MPTCP_REMOVE_ADDR:
    g_string_append(s, "ids");
    for (int i = 0; i < o->n_removed; i++)
      g_string_append_printf(s, " %u", o->removed[i]);
    break;
  case MPTCP_PRIO:
    g_string_append(s, (o->flags & 1) ? "backup" : "regular");
    break;
  case MPTCP_FAIL:
    g_string_append_printf(s, "dsn %" G_GUINT64_FORMAT, o->dsn);
    break;
  case MPTCP_TCPRST:
    g_string_append_printf(s, "reason %u flags 0x%x", o->reason, o->flags);
    break;
  case MPTCP_JOIN:
    if (o->len == 24) {                 /* third ACK: only an HMAC */
      g_string_append(s, "ACK");
      break;
    }
    g_string_append_printf(s, "%s addr id %u%s", o->len == 12 ? "SYN" : "SYN/ACK",
                           o->addr_id, (o->flags & 1) ? " backup" : "");
    if (o->has_token) g_string_append_printf(s, " token %u", o->token);
    break;
  case MPTCP_CAPABLE:
    g_string_append_printf(s, "v%u%s%s", o->version,
                           o->has_send_key ? " sender key" : "",
                           o->has_recv_key ? " receiver key" : "");
    break;
  default:
    break;
  }
  return g_string_free(s, FALSE);
}

static gint by_frame(gconstpointer a, gconstpointer b)
{
  guint32 x = ((const EvRef *)a)->frame, y = ((const EvRef *)b)->frame;
  return x < y ? -1 : x > y;
}

static GArray *collect(const MptcpConn *m)
{
  GArray *evs = g_array_new(FALSE, FALSE, sizeof(EvRef));
  for (guint k = 0; k < m->subflows->len; k++) {
    const TcpConn *t = g_ptr_array_index(m->subflows, k);
    for (guint i = 0; i < t->events->len; i++) {
      const MptcpEvent *e = &g_array_index(t->events, MptcpEvent, i);
      EvRef r = { t, e, g_array_index(t->packets, Packet, e->pkt).frame };
      g_array_append_val(evs, r);
    }
  }
  g_array_sort(evs, by_frame);
  return evs;
}

static const char *sender(const EvRef *r)
{
  const Packet *p = &g_array_index(r->t->packets, Packet, r->e->pkt);
  return p->src == r->t->client ? "client" : "server";
}

static gboolean is_handshake(const EvRef *r)
{
  return r->e->opt.subtype == MPTCP_CAPABLE || r->e->opt.subtype == MPTCP_JOIN;
}

void json_events(JsonBuilder *b, const MptcpConn *m, gboolean handshakes)
{
  GArray *evs = collect(m);
  json_builder_set_member_name(b, handshakes ? "events" : "signals");
  json_builder_begin_array(b);
  for (guint i = 0; i < evs->len; i++) {
    const EvRef *r = &g_array_index(evs, EvRef, i);
    if (!handshakes && is_handshake(r))
      continue;
    const Packet *p = &g_array_index(r->t->packets, Packet, r->e->pkt);
    char *detail = mptcp_event_detail(&r->e->opt);
    json_builder_begin_object(b);
    json_int(b, "frame", r->frame);
    json_time(b, "time", p->time_ns);
    json_int(b, "tcp_stream", r->t->stream);
    json_str(b, "from", sender(r));
    json_str(b, "option", mptcp_subtype_name(r->e->opt.subtype));
    json_str(b, "detail", detail);
    json_builder_end_object(b);
    g_free(detail);
  }
  json_builder_end_array(b);
  g_array_free(evs, TRUE);
}

void print_signal_counts(const MptcpConn *m, FILE *out)
{
  GArray *evs = collect(m);
  guint count[MPTCP_SUBTYPES] = { 0 };
  gboolean any = FALSE;
  for (guint i = 0; i < evs->len; i++) {
    const EvRef *r = &g_array_index(evs, EvRef, i);
    if (!is_handshake(r)) {
      count[r->e->opt.subtype]++;
      any = TRUE;
    }
  }
  if (any) {
    fprintf(out, "  signals:");
    for (int k = 0; k < MPTCP_SUBTYPES; k++)
      if (count[k])
        fprintf(out, " %s x%u", mptcp_subtype_name(k), count[k]);
    fprintf(out, "\n");
  }
  g_array_free(evs, TRUE);
}

void print_events(const MptcpConn *m, FILE *out)
{
  GArray *evs = collect(m);
  fprintf(out, "MPTCP signalling (%u options):\n", evs->len);
  for (guint i = 0; i < evs->len; i++) {
    const EvRef *r = &g_array_index(evs, EvRef, i);
    char *detail = mptcp_event_detail(&r->e->opt);
    fprintf(out, "  frame %-8u tcp.stream %-4u from %s  %-12s %s\n", r->frame,
            r->t->stream, sender(r), mptcp_subtype_name(r->e->opt.subtype),
            detail);
    g_free(detail);
  }
  g_array_free(evs, TRUE);
}
