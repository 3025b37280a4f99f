/* cmd_map.c - map-tcp and map-mptcp: which connection of a second capture
 * (the other end of the same run) is this one, with every candidate, its
 * score and the evidence behind it (conn_map.h says how it is weighed). */
#include "commands.h"
#include "conn_map.h"
#include "describe.h"
#include "json_out.h"
#include "table.h"

static const char *evidence_name(Evidence e)
{
  return e == EV_EQUAL ? "equal" : e == EV_DIFFERENT ? "different" : "unknown";
}

static void json_tcp_evidence(JsonBuilder *b, const TcpCandidate *c)
{
  static const char *const tuple[4] = { "client_ip", "client_port",
                                        "server_ip", "server_port" };
  json_builder_set_member_name(b, "evidence");
  json_builder_begin_object(b);
  json_str(b, "client_isn", evidence_name(c->isn[0]));
  json_str(b, "server_isn", evidence_name(c->isn[1]));
  json_int(b, "shared_packets", c->shared);
  for (int i = 0; i < 4; i++)
    json_str(b, tuple[i], c->tuple[i] ? "equal" : "different");
  json_double(b, "time_overlap", c->overlap);
  json_int(b, "packets", c->packets[0]);
  json_int(b, "peer_packets", c->packets[1]);
  json_builder_end_object(b);
}

static void json_tcp_candidate(JsonBuilder *b, const TcpCandidate *c)
{
  char *cl = endpoint_text(c->b, c->b->client);
  char *sv = endpoint_text(c->b, conn_server(c->b));
  json_builder_begin_object(b);
  json_int(b, "tcp_stream", c->b->stream);
  json_double(b, "score", c->score);
  json_bool(b, "match", c->match);
  json_str(b, "client", cl);
  json_str(b, "server", sv);
  json_tcp_evidence(b, c);
  json_builder_end_object(b);
  g_free(cl);
  g_free(sv);
}

/* "ISNs equal/equal, 12 packets shared, 4-tuple 4/4, overlap 1.00" */
static char *tcp_evidence_text(const TcpCandidate *c)
{
  int same = 0;
  for (int i = 0; i < 4; i++)
    same += c->tuple[i];
  return g_strdup_printf("ISNs %s/%s, %u packets shared, 4-tuple %d/4 equal, "
                         "lifetimes overlap %.2f, packets %u/%u",
                         evidence_name(c->isn[0]), evidence_name(c->isn[1]),
                         c->shared, same, c->overlap, c->packets[0],
                         c->packets[1]);
}

static void print_tcp(const Capture *ca, const TcpConn *t, const Capture *cb,
                      const GArray *c)
{
  printf("%s tcp.stream %u in %s: %u candidate%s\n", ca->path, t->stream,
         cb->path, c->len, c->len == 1 ? "" : "s");
  Table *tb = table_new("rrlllll", "tcp.stream", "score", "match", "client", "",
                        "server", "evidence", NULL);
  for (guint i = 0; i < c->len; i++) {
    const TcpCandidate *x = &g_array_index(c, TcpCandidate, i);
    char *cl = endpoint_text(x->b, x->b->client);
    char *sv = endpoint_text(x->b, conn_server(x->b));
    char *ev = tcp_evidence_text(x);
    table_add(tb, "%u", x->b->stream);
    table_add(tb, "%.1f", x->score);
    table_add(tb, "%s", x->match ? "yes" : "no");
    table_add(tb, "%s", cl);
    table_add(tb, "->");
    table_add(tb, "%s", sv);
    table_add(tb, "%s", ev);
    g_free(cl); g_free(sv); g_free(ev);
  }
  table_print(tb, stdout, "  ");
  table_free(tb);
}

int cmd_map_tcp(Session *s, const CmdArgs *a)
{
  const TcpConn *t = tcp_arg(s->cap, a->argv[0]);
  if (!t)
    return 1;
  Capture *cb = cmd_peer_capture(s, a->argv[1]);
  if (!cb)
    return 1;
  GArray *c = conn_map_tcp(t, cb);
  int rc = 0;
  if (!c->len || !g_array_index(c, TcpCandidate, 0).match)
    rc = report_error("%s: no TCP connection shares evidence with tcp.stream "
                      "%u of %s (no equal ISN, no packet in common)", cb->path,
                      t->stream, s->cap->path);
  else if (a->json) {
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_str(b, "capture", s->cap->path);
    json_int(b, "tcp_stream", t->stream);
    json_str(b, "peer_capture", cb->path);
    json_builder_set_member_name(b, "candidates");
    json_builder_begin_array(b);
    for (guint i = 0; i < c->len; i++)
      json_tcp_candidate(b, &g_array_index(c, TcpCandidate, i));
    json_builder_end_array(b);
    json_builder_end_object(b);
    json_print(b);
  } else {
    print_tcp(s->cap, t, cb, c);
  }
  g_array_free(c, TRUE);
  capture_free(cb);
  return rc;
}

/* ---- MPTCP ---- */

static void json_subflow_pairs(JsonBuilder *b, const MptcpCandidate *c)
{
  json_builder_set_member_name(b, "subflows");
  json_builder_begin_array(b);
  for (guint i = 0; i < c->subflows->len; i++) {
    const SubflowPair *p = &g_array_index(c->subflows, SubflowPair, i);
    json_builder_begin_object(b);
    json_int(b, "tcp_stream", p->a->stream);
    if (p->b) {
      json_int(b, "peer_tcp_stream", p->b->stream);
      json_double(b, "score", p->score);
    } else {
      json_null(b, "peer_tcp_stream");
      json_null(b, "score");
    }
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
  json_builder_set_member_name(b, "peer_only_tcp_streams");
  json_builder_begin_array(b);
  for (guint j = 0; j < c->b->subflows->len; j++) {
    const TcpConn *t = g_ptr_array_index(c->b->subflows, j);
    gboolean paired = FALSE;
    for (guint i = 0; i < c->subflows->len; i++)
      paired |= g_array_index(c->subflows, SubflowPair, i).b == t;
    if (!paired)
      json_builder_add_int_value(b, t->stream);
  }
  json_builder_end_array(b);
}

static void json_mptcp_candidate(JsonBuilder *b, const MptcpCandidate *c)
{
  json_builder_begin_object(b);
  json_int(b, "mptcp_stream", c->b->id);
  json_double(b, "score", c->score);
  json_bool(b, "match", c->match);
  json_builder_set_member_name(b, "evidence");
  json_builder_begin_object(b);
  json_str(b, "client_key", evidence_name(c->key[0]));
  json_str(b, "server_key", evidence_name(c->key[1]));
  json_builder_end_object(b);
  json_subflow_pairs(b, c);
  json_builder_end_object(b);
}

static void print_mptcp(const Capture *ca, const MptcpConn *m,
                        const Capture *cb, const GArray *c)
{
  printf("%s mptcp.stream %u in %s: %u candidate%s\n", ca->path, m->id,
         cb->path, c->len, c->len == 1 ? "" : "s");
  for (guint i = 0; i < c->len; i++) {
    const MptcpCandidate *x = &g_array_index(c, MptcpCandidate, i);
    printf("\n  mptcp.stream %u: score %.1f, %s (keys: client %s, server %s)\n",
           x->b->id, x->score, x->match ? "match" : "no match",
           evidence_name(x->key[0]), evidence_name(x->key[1]));
    for (guint k = 0; k < x->subflows->len; k++) {
      const SubflowPair *p = &g_array_index(x->subflows, SubflowPair, k);
      if (p->b)
        printf("    tcp.stream %u = tcp.stream %u (score %.1f)\n",
               p->a->stream, p->b->stream, p->score);
      else
        printf("    tcp.stream %u: not in %s\n", p->a->stream, cb->path);
    }
  }
}

int cmd_map_mptcp(Session *s, const CmdArgs *a)
{
  const MptcpConn *m = mptcp_arg(s->cap, a->argv[0]);
  if (!m)
    return 1;
  Capture *cb = cmd_peer_capture(s, a->argv[1]);
  if (!cb)
    return 1;
  GArray *c = conn_map_mptcp(m, cb);
  int rc = 0;
  if (!c->len || !g_array_index(c, MptcpCandidate, 0).match)
    rc = report_error("%s: no MPTCP connection shares evidence with "
                      "mptcp.stream %u of %s (no equal key, ISN or packet)",
                      cb->path, m->id, s->cap->path);
  else if (a->json) {
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_str(b, "capture", s->cap->path);
    json_int(b, "mptcp_stream", m->id);
    json_str(b, "peer_capture", cb->path);
    json_builder_set_member_name(b, "candidates");
    json_builder_begin_array(b);
    for (guint i = 0; i < c->len; i++)
      json_mptcp_candidate(b, &g_array_index(c, MptcpCandidate, i));
    json_builder_end_array(b);
    json_builder_end_object(b);
    json_print(b);
  } else {
    print_mptcp(s->cap, m, cb, c);
  }
  conn_map_mptcp_free(c);
  capture_free(cb);
  return rc;
}
