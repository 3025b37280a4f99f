/* peer_view.c - the two-capture part of mptcp-summary (see peer_view.h). */
#include "peer_view.h"
#include "table.h"
#include "units.h"

gboolean peer_view_open(Session *s, const CmdArgs *a, PeerView *v)
{
  if (!cmd_open_peer(s, a, FALSE, cmd_opt(a, "--peer"), &v->cb, &v->p))
    return FALSE;
  /* one end at a time, keeping only the figures: memory stays that of
   * one analysis */
  peer_figures_begin(&v->p, v->f);
  MptcpAnalysis *an_b = mptcp_analyse_with(v->p.mb, ANALYSE_CARRIERS);
  peer_figures_add(&v->p, an_b, TRUE, v->f);
  mptcp_analysis_free(an_b);
  v->an_a = mptcp_analyse_with(v->p.ma, ANALYSE_CARRIERS);
  peer_figures_add(&v->p, v->an_a, FALSE, v->f);
  mptcp_analysis_drop_carriers(v->an_a);
  return TRUE;
}

void peer_view_clear(PeerView *v)
{
  peer_figures_clear(v->f);
  mptcp_analysis_free(v->an_a);
  peer_clear(&v->p);
  capture_free(v->cb);
}

static void json_seconds(JsonBuilder *b, const char *name, double ns,
                         gboolean have)
{
  if (have) json_double(b, name, ns / 1e9);
  else json_null(b, name);
}

void json_peer_head(JsonBuilder *b, const PeerView *v)
{
  json_str(b, "peer_capture", v->p.cb->path);
  json_int(b, "peer_mptcp_stream", v->p.mb->id);
  json_str(b, "client_side_capture", (v->p.a_is_client ? v->p.ca : v->p.cb)->path);
  json_str(b, "timestamps", v->p.offset_given ? "corrected by --clock-offset"
                                              : "as captured");
  json_double(b, "clock_offset_s", (double)v->p.offset_ns / 1e9);
  json_int(b, "negative_delays", (gint64)v->p.negative);
}

static void json_figures(JsonBuilder *b, const PeerSubFigures *x)
{
  json_int(b, "lost_packets", (gint64)x->lost_packets);
  json_int(b, "lost_bytes", (gint64)x->lost_bytes);
  json_int(b, "missed_by_capture", (gint64)x->missed_packets);
  json_int(b, "application_bytes_sent", (gint64)x->sent_app);
  json_int(b, "application_bytes_delivered", (gint64)x->delivered_app);
  json_seconds(b, "owd_median_s", x->owd.median, x->owd.n > 0);
  json_seconds(b, "hol_median_s", (double)x->hol.median, x->hol.weight > 0);
  json_seconds(b, "hol_p95_s", (double)x->hol.p95, x->hol.weight > 0);
  json_seconds(b, "hol_max_s", (double)x->hol.max, x->hol.weight > 0);
}

void json_peer_direction(JsonBuilder *b, const PeerView *v, int d)
{
  const PeerFigures *f = &v->f[d];
  json_str(b, "sender_capture", f->sender->path);
  json_str(b, "receiver_capture", f->receiver->path);
  json_figures(b, &f->total);
  json_int(b, "hol_unreadable_bytes", (gint64)f->hol_unreadable);
}

void json_peer_subflow(JsonBuilder *b, const PeerView *v, int d, guint k)
{
  const PeerSubflow *s = &g_array_index(v->p.subflows, PeerSubflow, k);
  if (s->b) json_int(b, "peer_tcp_stream", s->b->stream);
  else json_null(b, "peer_tcp_stream");
  json_figures(b, &v->f[d].sub[k]);
}

void print_peer_head(const PeerView *v)
{
  printf("the other end: %s mptcp.stream %u; the client's end: %s; "
         "timestamps %s\n", v->p.cb->path, v->p.mb->id,
         (v->p.a_is_client ? v->p.ca : v->p.cb)->path,
         v->p.offset_given ? "corrected by --clock-offset" : "as captured");
}

static char *ms(double ns, gboolean have)
{
  return have ? g_strdup_printf("%.3f", ns / 1e6) : g_strdup("-");
}

static void peer_row(Table *tb, const char *name, const PeerSubFigures *x)
{
  char *c[9] = { fmt_count(x->lost_packets), fmt_count(x->lost_bytes),
                 fmt_count(x->sent_app), fmt_count(x->delivered_app),
                 ms(x->owd.median, x->owd.n > 0),
                 ms((double)x->hol.median, x->hol.weight > 0),
                 ms((double)x->hol.p95, x->hol.weight > 0),
                 ms((double)x->hol.max, x->hol.weight > 0), NULL };
  table_add(tb, "%s", name);
  for (int i = 0; c[i]; i++) {
    table_add(tb, "%s", c[i]);
    g_free(c[i]);
  }
}

void print_peer_direction(const PeerView *v, int d)
{
  const PeerFigures *f = &v->f[d];
  printf("  from both ends (sent: %s, received: %s):\n", f->sender->path,
         f->receiver->path);
  Table *tb = table_new("rrrrrrrrr", "tcp.stream", "lost (packets)",
                        "lost (bytes)", "application sent (bytes)",
                        "delivered (bytes)", "owd median (ms)",
                        "HOL median (ms)", "HOL p95 (ms)", "HOL max (ms)", NULL);
  for (guint k = 0; k < v->p.ma->subflows->len; k++) {
    char name[16];
    g_snprintf(name, sizeof name, "%u",
               ((const TcpConn *)g_ptr_array_index(v->p.ma->subflows, k))->stream);
    peer_row(tb, name, &f->sub[k]);
  }
  peer_row(tb, "all", &f->total);
  table_print(tb, stdout, "  ");
  table_free(tb);
  if (f->hol_unreadable) {
    char *n = fmt_count(f->hol_unreadable);
    printf("  (%s bytes come after data nothing shows arriving: the "
           "application could not read them)\n", n);
    g_free(n);
  }
}
