/* describe.c - text and JSON views of connections and subflows. */
#include "describe.h"
#include "events.h"
#include "icmp_events.h"
#include "table.h"
#include "tcp_stats.h"
#include <string.h>

char *endpoint_text(const TcpConn *t, int e)
{
  if (strchr(t->ip[e], ':'))
    return g_strdup_printf("[%s]:%u", t->ip[e], t->port[e]);
  return g_strdup_printf("%s:%u", t->ip[e], t->port[e]);
}

const char *role_source_name(RoleSource r)
{
  static const char *const names[] = { "syn", "synack", "mptcp", "ports" };
  return names[r];
}

const char *subflow_kind_name(SubflowKind k)
{
  static const char *const names[] = { "none", "initial", "join", "orphan" };
  return names[k];
}

gint64 tcp_mptcp_stream(const TcpConn *t)
{
  if (t->mptcp)
    return t->mptcp->id;
  return t->kind == SUBFLOW_ORPHAN ? (gint64)t->orphan_id : -1;
}

static void json_roles(JsonBuilder *b, const TcpConn *t)
{
  int srv = conn_server(t);
  json_int(b, "tcp_stream", t->stream);
  json_str(b, "client_ip", t->ip[t->client]);
  json_int(b, "client_port", t->port[t->client]);
  json_str(b, "server_ip", t->ip[srv]);
  json_int(b, "server_port", t->port[srv]);
}

void json_tcp_conn(JsonBuilder *b, const TcpConn *t, gint64 t0_ns)
{
  TcpStats st;
  tcp_stats(t, &st);
  json_builder_begin_object(b);
  json_roles(b, t);
  json_str(b, "roles_from", role_source_name(t->role_source));
  json_time(b, "first_time", st.first_ns);
  json_time(b, "last_time", st.last_ns);
  json_double(b, "first_time_relative_s", (double)(st.first_ns - t0_ns) / 1e9);
  json_double(b, "duration_s", (double)(st.last_ns - st.first_ns) / 1e9);
  json_int(b, "packets", (gint64)(st.packets[0] + st.packets[1]));
  json_int(b, "packets_to_server", (gint64)st.packets[TO_SERVER]);
  json_int(b, "packets_to_client", (gint64)st.packets[TO_CLIENT]);
  json_int(b, "bytes_to_server", (gint64)st.bytes[TO_SERVER]);
  json_int(b, "bytes_to_client", (gint64)st.bytes[TO_CLIENT]);
  json_bool(b, "syn", st.syn);
  json_bool(b, "synack", st.synack);
  json_bool(b, "fin", st.fin[0] || st.fin[1]);
  json_bool(b, "rst", st.rst[0] || st.rst[1]);
  gint64 ms = tcp_mptcp_stream(t);
  if (ms >= 0) json_int(b, "mptcp_stream", ms);
  else json_null(b, "mptcp_stream");
  json_str(b, "subflow", subflow_kind_name(t->kind));
  json_int(b, "options_cut_packets", (gint64)st.options_cut);
  json_int(b, "icmp_errors", t->icmp->len);
  json_builder_end_object(b);
}

const char *linked_by(const TcpConn *t)
{
  switch (t->kind) {
  case SUBFLOW_INITIAL: return "mp_capable";
  case SUBFLOW_JOIN: return t->linked_inferred ? "inferred" : "token";
  default: return "none";
  }
}

void json_subflow(JsonBuilder *b, const TcpConn *t)
{
  json_builder_begin_object(b);
  json_roles(b, t);
  if (t->kind == SUBFLOW_ORPHAN) {
    json_null(b, "towards");
    json_bool(b, "initial", FALSE);
  } else {
    json_str(b, "towards", t->towards_server ? "server" : "client");
    json_bool(b, "initial", t->kind == SUBFLOW_INITIAL);
  }
  json_str(b, "linked_by", linked_by(t));
  if (t->has_join_syn)
    json_int(b, "join_token", t->join_token);
  else
    json_null(b, "join_token");
  for (int r = 0; r < 2; r++) {
    int e = r == 0 ? t->client : conn_server(t);
    if (t->addr_id[e] >= 0)
      json_int(b, r == 0 ? "client_addr_id" : "server_addr_id", t->addr_id[e]);
    else
      json_null(b, r == 0 ? "client_addr_id" : "server_addr_id");
  }
  if (t->kind == SUBFLOW_ORPHAN) {
    json_int(b, "mptcp_stream", t->orphan_id);
    if (t->ws_mptcp_stream >= 0)
      json_int(b, "wireshark_mptcp_stream", t->ws_mptcp_stream);
    else
      json_null(b, "wireshark_mptcp_stream");
  }
  json_builder_end_object(b);
}

static void json_key(JsonBuilder *b, const MptcpConn *m, int role)
{
  static const char *const key[] = { "client_key", "server_key" };
  static const char *const tok[] = { "client_token", "server_token" };
  static const char *const idsn[] = { "client_idsn", "server_idsn" };
  if (!m->has_key[role]) {
    json_null(b, key[role]);
    json_null(b, tok[role]);
    json_null(b, idsn[role]);
    return;
  }
  json_uint64_str(b, key[role], m->key[role]);
  json_int(b, tok[role], m->token[role]);
  json_uint64_str(b, idsn[role], m->idsn[role]);
}

void json_mptcp_conn(JsonBuilder *b, const MptcpConn *m, const char *capture)
{
  json_builder_begin_object(b);
  if (capture)
    json_str(b, "capture", capture);
  json_int(b, "mptcp_stream", m->id);
  if (m->version >= 0) json_int(b, "version", m->version);
  else json_null(b, "version");
  json_bool(b, "orphan", m->version < 0);
  json_key(b, m, 0);
  json_key(b, m, 1);
  json_builder_set_member_name(b, "subflows");
  json_builder_begin_array(b);
  for (guint i = 0; i < m->subflows->len; i++)
    json_subflow(b, g_ptr_array_index(m->subflows, i));
  json_builder_end_array(b);
  json_events(b, m, FALSE);
  json_icmp_mptcp(b, m);
  json_builder_end_object(b);
}

void json_orphans(JsonBuilder *b, const Capture *c)
{
  json_builder_set_member_name(b, "orphan_subflows");
  json_builder_begin_array(b);
  for (guint i = 0; i < c->orphans->len; i++)
    json_subflow(b, g_ptr_array_index(c->orphans, i));
  json_builder_end_array(b);
}

static void subflow_rows(Table *tb, const TcpConn *t)
{
  char *cl = endpoint_text(t, t->client), *sv = endpoint_text(t, conn_server(t));
  table_add(tb, "%u", t->stream);
  table_add(tb, "%s", cl);
  table_add(tb, "->");
  table_add(tb, "%s", sv);
  if (t->kind == SUBFLOW_ORPHAN) {
    table_add(tb, "-");
    if (t->has_join_syn)
      table_add(tb, "unknown token %u", t->join_token);
    else
      table_add(tb, "no handshake");
  } else {
    table_add(tb, "%s", t->towards_server ? "server" : "client");
    table_add(tb, "%s", t->kind == SUBFLOW_INITIAL ? "initial"
                        : t->linked_inferred ? "join (inferred)" : "join");
  }
  char ids[2][8];
  for (int r = 0; r < 2; r++) {
    int id = t->addr_id[r == 0 ? t->client : conn_server(t)];
    g_snprintf(ids[r], sizeof ids[r], id >= 0 ? "%d" : "-", id);
  }
  table_add(tb, "%s/%s", ids[0], ids[1]);
  g_free(cl);
  g_free(sv);
}

static void print_subflow_table(const GPtrArray *subflows, const char *kind,
                                FILE *out)
{
  Table *tb = table_new("rllllll", "tcp.stream", "client", "", "server",
                        "towards", kind, "addr ids", NULL);
  for (guint i = 0; i < subflows->len; i++)
    subflow_rows(tb, g_ptr_array_index(subflows, i));
  table_print(tb, out, "  ");
  table_free(tb);
}

void print_mptcp_conn(const MptcpConn *m, FILE *out)
{
  if (m->version < 0)
    fprintf(out, "mptcp.stream %u: an orphan subflow (no handshake in the "
            "capture: version and keys unknown)\n", m->id);
  else
    fprintf(out, "mptcp.stream %u: MPTCP v%d, %u subflow%s\n", m->id,
            m->version, m->subflows->len, m->subflows->len == 1 ? "" : "s");
  for (int r = 0; r < 2; r++) {
    if (m->has_key[r])
      fprintf(out, "  %s key %20" G_GUINT64_FORMAT "  token %10u  idsn %"
              G_GUINT64_FORMAT "\n", r == 0 ? "client" : "server",
              m->key[r], m->token[r], m->idsn[r]);
    else
      fprintf(out, "  %s key unknown (not in the capture)\n",
              r == 0 ? "client" : "server");
  }
  print_subflow_table(m->subflows, "subflow", out);
  print_signal_counts(m, out);
  for (guint k = 0; k < m->subflows->len; k++)
    if (((const TcpConn *)g_ptr_array_index(m->subflows, k))->linked_inferred) {
      fprintf(out, "  (inferred: a subflow whose TCP options the capture cut, "
              "linked by its server address and time, not by a token)\n");
      break;
    }
  if (icmp_count_mptcp(m)) {
    fprintf(out, "  path errors (ICMP): %u\n", icmp_count_mptcp(m));
    print_icmp_mptcp(m, "    ", out);
  }
}

void print_orphans(const Capture *c, FILE *out)
{
  if (!c->orphans->len)
    return;
  fprintf(out, "orphan subflows (MPTCP options, but no handshake or an "
          "unknown token): %u\n", c->orphans->len);
  print_subflow_table(c->orphans, "join", out);
}
