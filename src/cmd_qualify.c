/* cmd_qualify.c - qualify-reinjections: for every reinjection seen at the
 * sender, whether it helped at the receiver (reinj_qualify.h says how it
 * is judged), each one and totals per subflow and for the connection. */
#include "cmd_peer.h"
#include "json_out.h"
#include "reinj_qualify.h"
#include "table.h"
#include "units.h"
#include <string.h>

typedef struct {
  guint32 tcp_stream;            /* in the sender's capture */
  const Capture *sender;
  guint count[N_VERDICTS];
  gint64 gained_ns, lost_ns;     /* sums of positive and negative gains */
} Totals;

static void add(Totals *t, const Qualified *q)
{
  t->count[q->verdict]++;
  if (q->have_gain && q->gain_ns > 0)
    t->gained_ns += q->gain_ns;
  else if (q->have_gain)
    t->lost_ns -= q->gain_ns;
}

/* per sending subflow (by capture and stream), then the connection's */
static GArray *totals(const GArray *qs, Totals *all)
{
  GArray *per = g_array_new(FALSE, TRUE, sizeof(Totals));
  memset(all, 0, sizeof *all);
  for (guint i = 0; i < qs->len; i++) {
    const Qualified *q = &g_array_index(qs, Qualified, i);
    Totals *t = NULL;
    for (guint k = 0; k < per->len && !t; k++) {
      Totals *x = &g_array_index(per, Totals, k);
      if (x->tcp_stream == q->r->tcp_stream && x->sender == q->sender)
        t = x;
    }
    if (!t) {
      Totals fresh = { q->r->tcp_stream, q->sender, { 0 }, 0, 0 };
      g_array_append_val(per, fresh);
      t = &g_array_index(per, Totals, per->len - 1);
    }
    add(t, q);
    add(all, q);
  }
  return per;
}

static void json_totals(JsonBuilder *b, const Totals *t, gboolean stream)
{
  json_builder_begin_object(b);
  if (stream) {
    json_str(b, "sender_capture", t->sender->path);
    json_int(b, "tcp_stream", t->tcp_stream);
  }
  for (int v = 0; v < N_VERDICTS; v++)
    json_int(b, verdict_name(v), t->count[v]);
  json_double(b, "time_gained_s", ns_to_s(t->gained_ns));
  json_double(b, "time_lost_s", ns_to_s(t->lost_ns));
  json_builder_end_object(b);
}

static void json_one(JsonBuilder *b, const Qualified *q)
{
  const Reinjection *r = q->r;
  json_builder_begin_object(b);
  json_int(b, "frame", r->frame);
  json_str(b, "sender_capture", q->sender->path);
  json_int(b, "tcp_stream", r->tcp_stream);
  json_str(b, "towards", q->dir == TO_SERVER ? "server" : "client");
  json_int(b, "dsn_start", (gint64)r->dsn_start);
  json_int(b, "length", (gint64)r->length);
  json_builder_set_member_name(b, "original_frames");
  json_builder_begin_array(b);
  for (guint i = 0; i < r->orig_frames->len; i++)
    json_builder_add_int_value(b, g_array_index(r->orig_frames, guint32, i));
  json_builder_end_array(b);
  if (q->received_frame) json_int(b, "peer_frame", q->received_frame);
  else json_null(b, "peer_frame");
  json_str(b, "verdict", verdict_name(q->verdict));
  if (q->have_gain) json_double(b, "gain_s", ns_to_s(q->gain_ns));
  else json_null(b, "gain_s");
  json_builder_end_object(b);
}

static void json_qualified(const Peer *p, const GArray *qs)
{
  Totals all;
  GArray *per = totals(qs, &all);
  JsonBuilder *b = json_builder_new();
  json_builder_begin_object(b);
  json_str(b, "capture", p->ca->path);
  json_int(b, "mptcp_stream", p->ma->id);
  json_str(b, "peer_capture", p->cb->path);
  json_int(b, "peer_mptcp_stream", p->mb->id);
  json_str(b, "client_side_capture", (p->a_is_client ? p->ca : p->cb)->path);
  json_builder_set_member_name(b, "reinjections");
  json_builder_begin_array(b);
  for (guint i = 0; i < qs->len; i++)
    json_one(b, &g_array_index(qs, Qualified, i));
  json_builder_end_array(b);
  json_builder_set_member_name(b, "totals");
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "connection");
  json_totals(b, &all, FALSE);
  json_builder_set_member_name(b, "subflows");
  json_builder_begin_array(b);
  for (guint i = 0; i < per->len; i++)
    json_totals(b, &g_array_index(per, Totals, i), TRUE);
  json_builder_end_array(b);
  json_builder_end_object(b);
  json_builder_end_object(b);
  json_print(b);
  g_array_free(per, TRUE);
}

static void print_qualified(const Peer *p, const GArray *qs)
{
  Totals all;
  GArray *per = totals(qs, &all);
  printf("%s mptcp.stream %u, at the receiver (%s mptcp.stream %u): %u "
         "reinjections\n", p->ca->path, p->ma->id, p->cb->path, p->mb->id,
         qs->len);
  Table *tb = table_new("lrrlrrlrl", "sender", "frame", "tcp.stream", "towards",
                        "dsn", "length", "verdict", "gain (ms)", "received as",
                        NULL);
  for (guint i = 0; i < qs->len; i++) {
    const Qualified *q = &g_array_index(qs, Qualified, i);
    table_add(tb, "%s", q->sender == p->ca ? "capture" : "peer");
    table_add(tb, "%u", q->r->frame);
    table_add(tb, "%u", q->r->tcp_stream);
    table_add(tb, "%s", q->dir == TO_SERVER ? "server" : "client");
    table_add(tb, "%" G_GUINT64_FORMAT, q->r->dsn_start);
    char *len = fmt_count(q->r->length);
    table_add(tb, "%s", len);
    g_free(len);
    table_add(tb, "%s", verdict_name(q->verdict));
    if (q->have_gain) table_add(tb, "%.3f", q->gain_ns / 1e6);
    else table_add(tb, "-");
    if (q->received_frame) table_add(tb, "frame %u", q->received_frame);
    else table_add(tb, "never");
  }
  if (qs->len)
    table_print(tb, stdout, "  ");
  table_free(tb);
  printf("totals: %u useful, %u redundant, %u delivered, %u lost; time gained "
         "%.3f ms, lost %.3f ms\n", all.count[V_USEFUL], all.count[V_REDUNDANT],
         all.count[V_DELIVERED], all.count[V_LOST], all.gained_ns / 1e6,
         all.lost_ns / 1e6);
  for (guint i = 0; i < per->len; i++) {
    const Totals *t = &g_array_index(per, Totals, i);
    printf("  tcp.stream %u (%s): %u useful, %u redundant, %u delivered, %u "
           "lost\n", t->tcp_stream, t->sender->path, t->count[V_USEFUL],
           t->count[V_REDUNDANT], t->count[V_DELIVERED], t->count[V_LOST]);
  }
  g_array_free(per, TRUE);
}

int cmd_qualify_reinjections(Session *s, const CmdArgs *a)
{
  Capture *cb;
  Peer p;
  if (!cmd_open_peer(s, a, FALSE, a->argv[1], &cb, &p))
    return 1;
  MptcpAnalysis *an_a = mptcp_analyse_with(p.ma, ANALYSE_NOTES);
  MptcpAnalysis *an_b = mptcp_analyse_with(p.mb, ANALYSE_NOTES);
  GArray *qs = reinj_qualify(&p, an_a, an_b);
  if (a->json)
    json_qualified(&p, qs);
  else
    print_qualified(&p, qs);
  g_array_free(qs, TRUE);
  mptcp_analysis_free(an_a);
  mptcp_analysis_free(an_b);
  peer_clear(&p);
  capture_free(cb);
  return 0;
}
