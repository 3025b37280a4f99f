/* cmd_list.c - list-tcp, list-mptcp and list-subflows. */
#include "commands.h"
#include "describe.h"
#include "table.h"
#include "tcp_stats.h"
#include "units.h"
#include <stdlib.h>

/* the earliest packet time (capture times need not increase) */
static gint64 capture_start(const Capture *c)
{
  gint64 t0 = G_MAXINT64;
  for (guint i = 0; i < c->tcp->len; i++)
    t0 = MIN(t0, tcp_conn_first_ns(g_ptr_array_index(c->tcp, i)));
  return t0;
}

static void tcp_row(Table *tb, const TcpConn *t, gint64 t0)
{
  TcpStats st;
  char *cl = endpoint_text(t, t->client), *sv = endpoint_text(t, conn_server(t));
  gint64 ms = tcp_mptcp_stream(t);
  tcp_stats(t, &st);
  table_add(tb, "%u", t->stream);
  table_add(tb, "%s", cl);
  table_add(tb, "->");
  table_add(tb, "%s", sv);
  table_add(tb, "%s", role_source_name(t->role_source));
  table_add(tb, "%.6f", (double)(st.first_ns - t0) / 1e9);
  table_add(tb, "%.6f", (double)(st.last_ns - st.first_ns) / 1e9);
  table_add(tb, "%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT,
            st.packets[TO_SERVER], st.packets[TO_CLIENT]);
  char *up = fmt_count(st.bytes[TO_SERVER]), *down = fmt_count(st.bytes[TO_CLIENT]);
  table_add(tb, "%s/%s", up, down);
  g_free(up);
  g_free(down);
  table_add(tb, "%s%s%s", st.syn ? "S" : "-", (st.fin[0] || st.fin[1]) ? "F" : "-",
            (st.rst[0] || st.rst[1]) ? "R" : "-");
  if (ms >= 0)
    table_add(tb, "%" G_GINT64_FORMAT " (%s)", ms, subflow_kind_name(t->kind));
  else
    table_add(tb, "-");
  g_free(cl);
  g_free(sv);
}

typedef struct { const Capture *c; gint64 t0; } TcpList;

static void tcp_list_head(JsonBuilder *b, const void *user)
{
  json_str(b, "capture", ((const TcpList *)user)->c->path);
}

static void tcp_list_item(JsonBuilder *b, guint i, const void *user)
{
  const TcpList *l = user;
  json_tcp_conn(b, g_ptr_array_index(l->c->tcp, i), l->t0);
}

int cmd_list_tcp(Session *s, const CmdArgs *a)
{
  const Capture *c = s->cap;
  gint64 t0 = capture_start(c);
  if (a->json) {        /* streamed: its size grows with the capture */
    TcpList l = { c, t0 };
    json_print_streamed(tcp_list_head, "tcp_connections", c->tcp->len,
                        tcp_list_item, &l);
    return 0;
  }
  printf("%s: %u TCP connections\n", c->path, c->tcp->len);
  Table *tb = table_new("rlllllrrrll", "tcp.stream", "client", "", "server",
                        "roles", "start (s)", "duration (s)",
                        "packets c>s/s>c", "bytes c>s/s>c", "SFR",
                        "mptcp.stream", NULL);
  for (guint i = 0; i < c->tcp->len; i++)
    tcp_row(tb, g_ptr_array_index(c->tcp, i), t0);
  table_print(tb, stdout, "");
  table_free(tb);
  return 0;
}

int cmd_list_mptcp(Session *s, const CmdArgs *a)
{
  const Capture *c = s->cap;
  if (c->mptcp->len == 0 && c->orphans->len == 0)
    return report_error("%s: no MPTCP connections (%u TCP connections)",
                        c->path, c->tcp->len);
  if (a->json) {
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_str(b, "capture", c->path);
    json_builder_set_member_name(b, "mptcp_connections");
    json_builder_begin_array(b);
    for (guint i = 0; i < c->mptcp->len; i++)
      json_mptcp_conn(b, g_ptr_array_index(c->mptcp, i), NULL);
    json_builder_end_array(b);
    json_orphans(b, c);
    json_builder_end_object(b);
    json_print(b);
    return 0;
  }
  printf("%s: %u MPTCP connection%s, %u orphan subflow%s\n", c->path,
         c->mptcp->len, c->mptcp->len == 1 ? "" : "s", c->orphans->len,
         c->orphans->len == 1 ? "" : "s");
  for (guint i = 0; i < c->mptcp->len; i++) {
    printf("\n");
    print_mptcp_conn(g_ptr_array_index(c->mptcp, i), stdout);
  }
  if (c->orphans->len)
    printf("\n");
  print_orphans(c, stdout);
  return 0;
}

/* A stream number argument; FALSE (error reported) when it is not one. */
gboolean stream_id_arg(const Capture *c, const char *arg, const char *what,
                       guint32 *id)
{
  char *end;
  guint64 v = g_ascii_strtoull(arg, &end, 10);
  if (!g_ascii_isdigit(*arg) || *end || v > G_MAXUINT32) {
    report_error("%s: '%s' is not a %s number", c->path, arg, what);
    return FALSE;
  }
  *id = (guint32)v;
  return TRUE;
}

MptcpConn *mptcp_arg(const Capture *c, const char *arg)
{
  guint32 id;
  if (!stream_id_arg(c, arg, "mptcp.stream", &id))
    return NULL;
  MptcpConn *m = capture_mptcp(c, id);
  if (!m)
    report_error("%s: no MPTCP connection with mptcp.stream %s "
                 "(%u connections; see list-mptcp)", c->path, arg,
                 c->mptcp->len);
  return m;
}

int cmd_list_subflows(Session *s, const CmdArgs *a)
{
  MptcpConn *m = mptcp_arg(s->cap, a->argv[0]);
  if (!m)
    return 1;
  if (a->json) {
    JsonBuilder *b = json_builder_new();
    json_mptcp_conn(b, m, s->cap->path);
    json_print(b);
    return 0;
  }
  print_mptcp_conn(m, stdout);
  return 0;
}
