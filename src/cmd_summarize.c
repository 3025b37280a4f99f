/* cmd_summarize.c - summarize CAPTURE...: for a measurement campaign, one
 * compact JSON object per line per connection of every capture: MPTCP
 * connections as mptcp-summary's JSON, plain TCP connections (not
 * subflows) as tcp-summary's, with "kind". One capture at a time is in
 * memory; a capture that fails to load is reported and skipped, and the
 * exit status then says that some failed. */
#include "commands.h"
#include "summary_json.h"
#include <stdio.h>

/* One object as a line of its own on stdout; frees the builder. */
static void print_line(JsonBuilder *b)
{
  JsonNode *root = json_builder_get_root(b);
  JsonGenerator *g = json_generator_new();
  json_generator_set_root(g, root);
  char *text = json_generator_to_data(g, NULL);
  puts(text);
  g_free(text);
  g_object_unref(g);
  json_node_unref(root);
  g_object_unref(b);
}

static void mptcp_line(const Capture *c, const MptcpConn *m, gboolean full)
{
  MptcpAnalysis *an = mptcp_analyse(m);
  JsonBuilder *b = json_builder_new();
  json_builder_begin_object(b);
  json_str(b, "kind", "mptcp");
  json_mptcp_summary(b, c->path, an, full);
  json_builder_end_object(b);
  print_line(b);
  mptcp_analysis_free(an);
}

static void tcp_line(const Capture *c, const TcpConn *t, gboolean full)
{
  JsonBuilder *b = json_builder_new();
  json_builder_begin_object(b);
  json_str(b, "kind", "tcp");
  json_tcp_summary(b, c->path, t, full);
  json_builder_end_object(b);
  print_line(b);
}

/* MPTCP connections by mptcp.stream, orphan subflows (each summarised
 * alone, "version": null), then plain TCP connections by tcp.stream. */
static void summarize_capture(const Capture *c, gboolean full)
{
  for (guint i = 0; i < c->mptcp->len; i++)
    mptcp_line(c, g_ptr_array_index(c->mptcp, i), full);
  for (guint i = 0; i < c->orphan_conns->len; i++)
    mptcp_line(c, g_ptr_array_index(c->orphan_conns, i), full);
  for (guint i = 0; i < c->tcp->len; i++) {
    const TcpConn *t = g_ptr_array_index(c->tcp, i);
    if (!t->mptcp && t->kind != SUBFLOW_ORPHAN)
      tcp_line(c, t, full);
  }
  fflush(stdout);
}

int cmd_summarize(Session *s, const CmdArgs *a)
{
  int failed = 0;
  for (int i = 0; i < a->argc; i++) {
    GError *err = NULL;
    Capture *c = session_open(s, a->argv[i], &err);
    if (!c) {
      report_error("%s", err->message);
      g_error_free(err);
      failed++;
      continue;
    }
    summarize_capture(c, a->full);
    capture_free(c);
  }
  return failed ? 1 : 0;
}
