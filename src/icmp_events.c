/* icmp_events.c - showing the ICMP errors that quote a connection's
 * packets (see icmp_events.h). */
#include "icmp_events.h"

typedef struct { const TcpConn *t; const IcmpEvent *e; } IcmpRef;

const char *icmp_error_name(int family, int type, int code)
{
  static const char *const unreach4[] = {
    "network unreachable", "host unreachable", "protocol unreachable",
    "port unreachable", "fragmentation needed", "source route failed",
    "destination network unknown", "destination host unknown",
    "source host isolated", "network administratively prohibited",
    "host administratively prohibited", "network unreachable for TOS",
    "host unreachable for TOS", "communication administratively prohibited",
    "host precedence violation", "precedence cutoff in effect" };
  static const char *const unreach6[] = {
    "no route to destination", "communication administratively prohibited",
    "beyond scope of source address", "address unreachable",
    "port unreachable", "source address failed policy",
    "reject route to destination" };
  if (family == 4 && type == 3)
    return code < (int)G_N_ELEMENTS(unreach4) ? unreach4[code]
                                              : "destination unreachable";
  if (family == 6 && type == 1)
    return code < (int)G_N_ELEMENTS(unreach6) ? unreach6[code]
                                              : "destination unreachable";
  if ((family == 4 && type == 11) || (family == 6 && type == 3))
    return code == 0 ? "time exceeded in transit" : "fragment reassembly time exceeded";
  if (family == 4 && type == 12)
    return "parameter problem";
  if (family == 6 && type == 4)
    return "parameter problem";
  if (family == 6 && type == 2)
    return "packet too big";
  if (family == 4 && type == 4)
    return "source quench";
  if (family == 4 && type == 5)
    return "redirect";
  return "ICMP error";
}

const char *icmp_towards(const TcpConn *t, const IcmpEvent *e)
{
  int srv = conn_server(t);
  gboolean to_server = e->dport == t->port[srv] &&
                       (e->sport == t->port[t->client] ||
                        t->port[srv] != t->port[t->client]);
  return to_server ? "server" : "client";
}

static gint by_frame(gconstpointer a, gconstpointer b)
{
  guint32 x = ((const IcmpRef *)a)->e->frame, y = ((const IcmpRef *)b)->e->frame;
  return x < y ? -1 : x > y;
}

static void add_refs(GArray *refs, const TcpConn *t)
{
  for (guint i = 0; i < t->icmp->len; i++) {
    IcmpRef r = { t, &g_array_index(t->icmp, IcmpEvent, i) };
    g_array_append_val(refs, r);
  }
}

static GArray *collect(const MptcpConn *m, const TcpConn *t)
{
  GArray *refs = g_array_new(FALSE, FALSE, sizeof(IcmpRef));
  if (t)
    add_refs(refs, t);
  for (guint k = 0; m && k < m->subflows->len; k++)
    add_refs(refs, g_ptr_array_index(m->subflows, k));
  g_array_sort(refs, by_frame);
  return refs;
}

static void json_refs(JsonBuilder *b, GArray *refs)
{
  json_builder_set_member_name(b, "icmp_errors");
  json_builder_begin_array(b);
  for (guint i = 0; i < refs->len; i++) {
    const IcmpRef *r = &g_array_index(refs, IcmpRef, i);
    json_builder_begin_object(b);
    json_int(b, "frame", r->e->frame);
    json_time(b, "time", r->e->time_ns);
    json_int(b, "tcp_stream", r->t->stream);
    json_str(b, "towards", icmp_towards(r->t, r->e));
    json_str(b, "family", r->e->family == 6 ? "ICMPv6" : "ICMP");
    json_int(b, "type", r->e->type);
    json_int(b, "code", r->e->code);
    json_str(b, "router", r->e->router);
    json_str(b, "error", icmp_error_name(r->e->family, r->e->type, r->e->code));
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
  g_array_free(refs, TRUE);
}

void json_icmp_tcp(JsonBuilder *b, const TcpConn *t)
{
  json_refs(b, collect(NULL, t));
}

void json_icmp_mptcp(JsonBuilder *b, const MptcpConn *m)
{
  json_refs(b, collect(m, NULL));
}

static void print_refs(GArray *refs, const char *indent, FILE *out)
{
  for (guint i = 0; i < refs->len; i++) {
    const IcmpRef *r = &g_array_index(refs, IcmpRef, i);
    fprintf(out, "%sframe %-8u tcp.stream %-4u %s %u/%u %s from %s "
            "(a packet towards the %s)\n", indent, r->e->frame, r->t->stream,
            r->e->family == 6 ? "ICMPv6" : "ICMP", r->e->type, r->e->code,
            icmp_error_name(r->e->family, r->e->type, r->e->code),
            r->e->router, icmp_towards(r->t, r->e));
  }
  g_array_free(refs, TRUE);
}

void print_icmp_tcp(const TcpConn *t, const char *indent, FILE *out)
{
  print_refs(collect(NULL, t), indent, out);
}

void print_icmp_mptcp(const MptcpConn *m, const char *indent, FILE *out)
{
  print_refs(collect(m, NULL), indent, out);
}

guint icmp_count_mptcp(const MptcpConn *m)
{
  guint n = 0;
  for (guint k = 0; k < m->subflows->len; k++)
    n += ((const TcpConn *)g_ptr_array_index(m->subflows, k))->icmp->len;
  return n;
}
