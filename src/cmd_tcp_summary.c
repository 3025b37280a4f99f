/* cmd_tcp_summary.c - tcp-summary: per direction packets, payload, unique
 * and retransmitted bytes, throughput and goodput of one TCP connection. */
#include "commands.h"
#include "describe.h"
#include "icmp_events.h"
#include "summary_json.h"
#include "tcp_analysis.h"
#include "units.h"

TcpConn *tcp_arg(const Capture *c, const char *arg)
{
  guint32 id;
  if (!stream_id_arg(c, arg, "tcp.stream", &id))
    return NULL;
  TcpConn *t = capture_tcp(c, id);
  if (!t)
    report_error("%s: no TCP connection with tcp.stream %s (%u connections; "
                 "see list-tcp)", c->path, arg, c->tcp->len);
  return t;
}

static gint64 conn_duration(const TcpDirSummary d[2])
{
  gint64 first = d[0].packets ? d[0].first_ns : d[1].first_ns;
  gint64 last = d[0].packets ? d[0].last_ns : d[1].last_ns;
  if (d[1].packets) {
    first = MIN(first, d[1].first_ns);
    last = MAX(last, d[1].last_ns);
  }
  return last - first;
}

static void json_opt_time(JsonBuilder *b, const char *name, gint64 ns)
{
  if (ns >= 0) json_time(b, name, ns);
  else json_null(b, name);
}

/* null when either end is unknown, or when the capture's clock went
 * backwards between them (a negative interval is no measurement) */
static void json_interval(JsonBuilder *b, const char *name, gint64 a, gint64 z)
{
  if (a >= 0 && z >= a) json_double(b, name, ns_to_s(z - a));
  else json_null(b, name);
}

/* "handshake": times of SYN, SYN/ACK, ACK and the two intervals between
 * them (at the capture point); "teardown": first FIN, first RST. */
static void json_handshake(JsonBuilder *b, const TcpConn *t)
{
  TcpHandshake h;
  tcp_handshake(t, &h);
  json_builder_set_member_name(b, "handshake");
  json_builder_begin_object(b);
  json_opt_time(b, "syn_time", h.syn_ns);
  json_opt_time(b, "synack_time", h.synack_ns);
  json_opt_time(b, "ack_time", h.ack_ns);
  json_interval(b, "syn_to_synack_s", h.syn_ns, h.synack_ns);
  json_interval(b, "synack_to_ack_s", h.synack_ns, h.ack_ns);
  json_builder_end_object(b);
  json_builder_set_member_name(b, "teardown");
  json_builder_begin_object(b);
  json_opt_time(b, "first_fin_time", h.first_fin_ns);
  json_opt_time(b, "rst_time", h.rst_ns);
  json_builder_end_object(b);
}

static void print_handshake(const TcpConn *t)
{
  TcpHandshake h;
  tcp_handshake(t, &h);
  if (h.syn_ns >= 0 && h.synack_ns >= h.syn_ns)
    printf("handshake: SYN -> SYN/ACK %.6f s", ns_to_s(h.synack_ns - h.syn_ns));
  else if (h.syn_ns >= 0 && h.synack_ns >= 0)
    printf("handshake: SYN -> SYN/ACK unknown (the capture's clock goes back)");
  else
    printf("handshake: not captured in full");
  if (h.synack_ns >= 0 && h.ack_ns >= h.synack_ns)
    printf(", SYN/ACK -> ACK %.6f s", ns_to_s(h.ack_ns - h.synack_ns));
  printf("\nteardown: %s%s\n", h.first_fin_ns >= 0 ? "FIN seen" : "no FIN",
         h.rst_ns >= 0 ? ", RST seen" : "");
  if (t->icmp->len) {
    printf("path errors (ICMP): %u\n", t->icmp->len);
    print_icmp_tcp(t, "  ", stdout);
  }
}

static void json_dir(JsonBuilder *b, const TcpDirSummary *d, int dir,
                     gint64 dur, gboolean full)
{
  json_builder_begin_object(b);
  json_str(b, "towards", dir == TO_SERVER ? "server" : "client");
  json_int(b, "packets", (gint64)d->packets);
  json_int(b, "payload_bytes", (gint64)d->payload_bytes);
  json_int(b, "unique_bytes", (gint64)d->unique_bytes);
  json_int(b, "retransmitted_bytes", (gint64)d->retransmitted_bytes);
  json_double(b, "duration_s", ns_to_s(dur));
  json_double(b, "throughput_bytes_per_s", per_second(d->payload_bytes, dur));
  json_double(b, "goodput_bytes_per_s", per_second(d->unique_bytes, dur));
  if (full) {
    json_int(b, "data_packets", (gint64)d->data_packets);
    json_bool(b, "syn", d->syn);
    json_bool(b, "fin", d->fin);
    json_bool(b, "rst", d->rst);
    json_bool(b, "isn_from_syn", d->isn_from_syn);
    json_opt_time(b, "syn_time", d->syn_ns);
    json_opt_time(b, "fin_time", d->fin_ns);
    if (d->packets) {
      json_time(b, "first_time", d->first_ns);
      json_time(b, "last_time", d->last_ns);
    }
  }
  json_builder_end_object(b);
}

static void print_dir(const TcpDirSummary *d, int dir, gint64 dur, gboolean full)
{
  char *pay = fmt_bytes(d->payload_bytes), *uni = fmt_bytes(d->unique_bytes);
  char *ret = fmt_bytes(d->retransmitted_bytes);
  char *tput = fmt_rate(per_second(d->payload_bytes, dur));
  char *gput = fmt_rate(per_second(d->unique_bytes, dur));
  printf("towards the %s:\n", dir == TO_SERVER ? "server" : "client");
  printf("  packets        %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT
         " with payload)\n", d->packets, d->data_packets);
  printf("  payload        %s\n  unique         %s\n  retransmitted  %s\n",
         pay, uni, ret);
  printf("  throughput     %s\n  goodput        %s\n", tput, gput);
  if (full)
    printf("  flags          %s%s%s\n  sequence base  %s\n",
           d->syn ? "SYN " : "", d->fin ? "FIN " : "", d->rst ? "RST" : "",
           d->isn_from_syn ? "the SYN" : "first byte seen (no SYN captured)");
  g_free(pay); g_free(uni); g_free(ret); g_free(tput); g_free(gput);
}

void json_tcp_summary(JsonBuilder *b, const char *capture, const TcpConn *t,
                      gboolean full)
{
  TcpDirSummary d[2];
  tcp_summarise(t, d);
  gint64 dur = conn_duration(d);
  json_str(b, "capture", capture);
  json_int(b, "tcp_stream", t->stream);
  if (full) {
    json_builder_set_member_name(b, "connection");
    json_tcp_conn(b, t, 0);
    json_handshake(b, t);
    json_icmp_tcp(b, t);
  }
  json_builder_set_member_name(b, "directions");
  json_builder_begin_array(b);
  for (int i = 0; i < 2; i++)
    json_dir(b, &d[i], i, dur, full);
  json_builder_end_array(b);
}

int cmd_tcp_summary(Session *s, const CmdArgs *a)
{
  TcpConn *t = tcp_arg(s->cap, a->argv[0]);
  TcpDirSummary d[2];
  if (!t)
    return 1;
  if (a->json) {
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_tcp_summary(b, s->cap->path, t, a->full);
    json_builder_end_object(b);
    json_print(b);
    return 0;
  }
  tcp_summarise(t, d);
  gint64 dur = conn_duration(d);
  char *cl = endpoint_text(t, t->client), *sv = endpoint_text(t, conn_server(t));
  printf("tcp.stream %u: %s -> %s (roles from %s), duration %.6f s\n",
         t->stream, cl, sv, role_source_name(t->role_source), ns_to_s(dur));
  if (a->full)
    print_handshake(t);
  for (int i = 0; i < 2; i++)
    print_dir(&d[i], i, dur, a->full);
  g_free(cl);
  g_free(sv);
  return 0;
}
