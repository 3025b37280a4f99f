/* cmd_mptcp_summary.c - mptcp-summary: per direction, bytes on the wire,
 * application bytes, rates, and each subflow's part in them. */
#include "commands.h"
#include "describe.h"
#include "events.h"
#include "mptcp_analysis.h"
#include "summary_json.h"
#include "peer_view.h"
#include "table.h"
#include "units.h"

/* From the earliest to the latest packet of any subflow (capture times
 * need not increase); *start gets the earliest. */
static gint64 duration(const MptcpConn *m, gint64 *start)
{
  gint64 first = G_MAXINT64, last = G_MININT64;
  for (guint k = 0; k < m->subflows->len; k++) {
    TcpStats st;
    tcp_stats(g_ptr_array_index(m->subflows, k), &st);
    first = MIN(first, st.first_ns);
    last = MAX(last, st.last_ns);
  }
  *start = first;
  return last - first;
}

static void json_subflows(JsonBuilder *b, const MptcpAnalysis *a, int d,
                          const PeerView *pv)
{
  const MptcpDir *D = &a->dir[d];
  json_builder_set_member_name(b, "subflows");
  json_builder_begin_array(b);
  for (guint k = 0; k < a->conn->subflows->len; k++) {
    const TcpConn *t = g_ptr_array_index(a->conn->subflows, k);
    const SubflowFigures *f = &D->sub[k];
    json_builder_begin_object(b);
    json_int(b, "tcp_stream", t->stream);
    json_int(b, "packets", (gint64)f->packets);
    json_int(b, "throughput_bytes", (gint64)f->throughput_bytes);
    json_int(b, "application_bytes", (gint64)f->application_bytes);
    json_double(b, "throughput_share", share(f->throughput_bytes, D->throughput_bytes));
    json_double(b, "goodput_share", share(f->application_bytes, D->application_bytes));
    json_int(b, "retransmitted_bytes", (gint64)f->retransmitted_bytes);
    json_int(b, "reinjected_bytes", (gint64)f->reinjected_bytes);
    json_int(b, "reinjections", (gint64)f->reinjections);
    json_int(b, "unmapped_bytes", (gint64)f->unmapped_bytes);
    json_int(b, "inferred_bytes", (gint64)f->inferred_bytes);
    json_int(b, "span_bytes", (gint64)f->span_bytes);
    if (pv)
      json_peer_subflow(b, pv, d, k);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
}

/* values no other evidence supports, left out of the figures */
static void json_outliers(JsonBuilder *b, const MptcpDir *D)
{
  json_builder_set_member_name(b, "outliers");
  json_builder_begin_array(b);
  for (guint i = 0; i < D->outliers->len; i++) {
    const Outlier *o = &g_array_index(D->outliers, Outlier, i);
    json_builder_begin_object(b);
    if (o->frame)
      json_int(b, "frame", o->frame);
    else
      json_null(b, "frame");
    json_str(b, "field", o->field);
    json_uint64_str(b, "value", o->value);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
}

static void print_outliers(const MptcpDir *D)
{
  for (guint i = 0; i < D->outliers->len; i++) {
    const Outlier *o = &g_array_index(D->outliers, Outlier, i);
    printf("  (left out: %s 0x%" G_GINT64_MODIFIER "x", o->field, o->value);
    if (o->frame)
      printf(" in frame %u", o->frame);
    printf(", which nothing else in the capture supports)\n");
  }
}

/* the notes under a direction: what is inferred, and why */
static void print_notes(const MptcpDir *D)
{
  char *n;
  if (!D->dsn_from_key)
    printf("  (no key in the capture: data sequence numbers are relative to "
           "the lowest one seen)\n");
  if (D->fallback)
    printf("  (no DSS mapping after the MPTCP handshake: the connection fell "
           "back to TCP; data-level bytes are the subflow's bytes in order)\n");
  if (D->infinite_mapping_frame)
    printf("  (an infinite mapping in frame %u: the bytes after it follow "
           "the subflow's bytes in order)\n", D->infinite_mapping_frame);
  if (D->inferred_bytes) {
    printf("  (%s application bytes were attributed without a captured "
           "mapping: see README)\n", n = fmt_count(D->inferred_bytes));
    g_free(n);
  }
  if (D->unmapped_bytes) {
    printf("  (%s payload bytes came without their DSS mapping)\n",
           n = fmt_count(D->unmapped_bytes));
    g_free(n);
  }
  if (D->unattributed_bytes) {
    printf("  (%s application bytes were carried by no captured packet, and "
           "no subflow's sequence numbers leave room for them)\n",
           n = fmt_count(D->unattributed_bytes));
    g_free(n);
  }
  if (D->data_fin_inferred)
    printf("  (the DATA_FIN was not captured: a data ACK covers it)\n");
  print_outliers(D);
}

static void json_direction(JsonBuilder *b, const MptcpAnalysis *a, int d,
                           gint64 dur, gboolean full, const PeerView *pv)
{
  const MptcpDir *D = &a->dir[d];
  json_builder_begin_object(b);
  json_str(b, "towards", d == TO_SERVER ? "server" : "client");
  json_double(b, "duration_s", ns_to_s(dur));
  json_int(b, "packets", (gint64)D->packets);
  json_int(b, "throughput_bytes", (gint64)D->throughput_bytes);
  json_int(b, "application_bytes", (gint64)D->application_bytes);
  json_double(b, "throughput_bytes_per_s", per_second(D->throughput_bytes, dur));
  json_double(b, "goodput_bytes_per_s", per_second(D->application_bytes, dur));
  json_int(b, "inferred_bytes", (gint64)D->inferred_bytes);
  json_int(b, "unmapped_bytes", (gint64)D->unmapped_bytes);
  json_int(b, "unattributed_bytes", (gint64)D->unattributed_bytes);
  json_str(b, "dsn_relative_to", D->dsn_from_key ? "idsn" : "lowest_dsn_seen");
  json_bool(b, "fallback", D->fallback);
  if (D->infinite_mapping_frame)
    json_int(b, "infinite_mapping_frame", D->infinite_mapping_frame);
  else
    json_null(b, "infinite_mapping_frame");
  json_outliers(b, D);
  if (full) {
    json_int(b, "dsn_max", (gint64)D->dsn_max);
    json_int(b, "data_acked", (gint64)D->data_acked);
    json_bool(b, "data_fin", D->data_fin);
    json_bool(b, "data_fin_inferred", D->data_fin_inferred);
    if (D->data_fin && !D->data_fin_inferred) {
      json_int(b, "data_fin_dsn", (gint64)D->data_fin_dsn);
      json_time(b, "data_fin_time", D->data_fin_ns);
    }
  }
  if (pv)
    json_peer_direction(b, pv, d);
  json_subflows(b, a, d, pv);
  json_builder_end_object(b);
}

static void print_subflows(const MptcpAnalysis *a, int d)
{
  const MptcpDir *D = &a->dir[d];
  Table *tb = table_new("rrrrrrrr", "tcp.stream", "on the wire (bytes)", "share",
                        "application (bytes)", "share", "retransmitted (bytes)",
                        "reinjected (bytes)", "reinjections", NULL);
  for (guint k = 0; k < a->conn->subflows->len; k++) {
    const TcpConn *t = g_ptr_array_index(a->conn->subflows, k);
    const SubflowFigures *f = &D->sub[k];
    char *v[6] = { fmt_count(f->throughput_bytes),
                   fmt_percent(f->throughput_bytes, D->throughput_bytes),
                   fmt_count(f->application_bytes),
                   fmt_percent(f->application_bytes, D->application_bytes),
                   fmt_count(f->retransmitted_bytes),
                   fmt_count(f->reinjected_bytes) };
    table_add(tb, "%u", t->stream);
    for (int i = 0; i < 6; i++) {
      table_add(tb, "%s", v[i]);
      g_free(v[i]);
    }
    table_add(tb, "%" G_GUINT64_FORMAT, f->reinjections);
  }
  table_print(tb, stdout, "  ");
  table_free(tb);
}

static void print_direction(const MptcpAnalysis *a, int d, gint64 dur,
                            gint64 start, gboolean full)
{
  const MptcpDir *D = &a->dir[d];
  char *wire = fmt_bytes(D->throughput_bytes), *app = fmt_bytes(D->application_bytes);
  char *tput = fmt_rate(per_second(D->throughput_bytes, dur));
  char *gput = fmt_rate(per_second(D->application_bytes, dur));
  printf("\ntowards the %s:\n", d == TO_SERVER ? "server" : "client");
  printf("  on the wire   %s, throughput %s\n", wire, tput);
  printf("  application   %s, goodput %s\n", app, gput);
  print_notes(D);
  if (full && D->data_fin && D->data_fin_inferred)
    printf("  DATA_FIN at relative DSN %" G_GUINT64_FORMAT " (inferred); "
           "highest data ACK %" G_GUINT64_FORMAT "\n", D->data_fin_dsn,
           D->data_acked);
  else if (full && D->data_fin)
    printf("  DATA_FIN at relative DSN %" G_GUINT64_FORMAT ", %.6f s after "
           "the first packet; highest data ACK %" G_GUINT64_FORMAT "\n",
           D->data_fin_dsn, ns_to_s(MAX(D->data_fin_ns, start) - start),
           D->data_acked);
  else if (full)
    printf("  no DATA_FIN; highest data ACK %" G_GUINT64_FORMAT "\n",
           D->data_acked);
  print_subflows(a, d);
  g_free(wire); g_free(app); g_free(tput); g_free(gput);
}

static void json_summary(JsonBuilder *b, const char *capture,
                         const MptcpAnalysis *an, gboolean full,
                         const PeerView *pv)
{
  const MptcpConn *m = an->conn;
  gint64 start, dur = duration(m, &start);
  json_str(b, "capture", capture);
  json_int(b, "mptcp_stream", m->id);
  if (m->version >= 0) json_int(b, "version", m->version);
  else json_null(b, "version");
  if (full) {
    json_builder_set_member_name(b, "connection");
    json_mptcp_conn(b, m, NULL);
    json_events(b, m, TRUE);
  }
  if (pv)
    json_peer_head(b, pv);
  json_builder_set_member_name(b, "directions");
  json_builder_begin_array(b);
  for (int d = 0; d < 2; d++)
    json_direction(b, an, d, dur, full, pv);
  json_builder_end_array(b);
}

void json_mptcp_summary(JsonBuilder *b, const char *capture,
                        const MptcpAnalysis *an, gboolean full)
{
  json_summary(b, capture, an, full, NULL);
}

int cmd_mptcp_summary(Session *s, const CmdArgs *a)
{
  const MptcpConn *m = mptcp_arg(s->cap, a->argv[0]);
  PeerView pv;
  if (!m)
    return 1;
  if (cmd_opt(a, "--peer") && !peer_view_open(s, a, &pv))
    return 1;
  const PeerView *peer = cmd_opt(a, "--peer") ? &pv : NULL;
  MptcpAnalysis *an = peer ? pv.an_a : mptcp_analyse(m);
  gint64 start, dur = duration(m, &start);
  if (a->json) {
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_summary(b, s->cap->path, an, a->full, peer);
    json_builder_end_object(b);
    json_print(b);
  } else {
    if (m->version < 0)
      printf("mptcp.stream %u (orphan subflow, no handshake captured), "
             "duration %.6f s\n", m->id, ns_to_s(dur));
    else
      printf("mptcp.stream %u (MPTCP v%d, %u subflows), duration %.6f s\n",
             m->id, m->version, m->subflows->len, ns_to_s(dur));
    if (a->full)
      print_mptcp_conn(m, stdout);
    if (peer)
      print_peer_head(peer);
    for (int d = 0; d < 2; d++) {
      print_direction(an, d, dur, start, a->full);
      if (peer)
        print_peer_direction(peer, d);
    }
    if (a->full)
      print_events(m, stdout);
  }
  if (peer)
    peer_view_clear(&pv);
  else
    mptcp_analysis_free(an);
  return 0;
}
