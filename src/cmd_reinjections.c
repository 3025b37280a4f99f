/* cmd_reinjections.c - list-reinjections: every packet that resends
 * data-level bytes first sent on another subflow of the connection. */
#include "commands.h"
#include "mptcp_analysis.h"
#include "json_out.h"
#include "table.h"
#include "units.h"

static void json_ids(JsonBuilder *b, const char *name, const GArray *ids)
{
  json_builder_set_member_name(b, name);
  json_builder_begin_array(b);
  for (guint i = 0; i < ids->len; i++)
    json_builder_add_int_value(b, g_array_index(ids, guint32, i));
  json_builder_end_array(b);
}

/* "454,471"; with frames, 0 is an original the capture missed */
static char *ids_text(const GArray *ids, gboolean frames)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < ids->len; i++)
    if (!frames || g_array_index(ids, guint32, i))
      g_string_append_printf(s, i ? ",%u" : "%u", g_array_index(ids, guint32, i));
    else
      g_string_append(s, i ? ",uncaptured" : "uncaptured");
  return g_string_free(s, FALSE);
}

static void json_reinjections(const Capture *c, const MptcpAnalysis *an)
{
  JsonBuilder *b = json_builder_new();
  json_builder_begin_object(b);
  json_str(b, "capture", c->path);
  json_int(b, "mptcp_stream", an->conn->id);
  json_builder_set_member_name(b, "reinjections");
  json_builder_begin_array(b);
  for (int d = 0; d < 2; d++)
    for (guint i = 0; i < an->dir[d].reinjections->len; i++) {
      const Reinjection *r = g_ptr_array_index(an->dir[d].reinjections, i);
      json_builder_begin_object(b);
      json_int(b, "frame", r->frame);
      json_int(b, "tcp_stream", r->tcp_stream);
      json_str(b, "towards", d == TO_SERVER ? "server" : "client");
      json_int(b, "dsn_start", (gint64)r->dsn_start);
      json_int(b, "length", (gint64)r->length);
      json_ids(b, "original_frames", r->orig_frames);
      json_ids(b, "original_tcp_streams", r->orig_streams);
      if (r->orig_time_ns >= 0 && r->time_ns >= r->orig_time_ns)
        json_double(b, "delay_s", ns_to_s(r->time_ns - r->orig_time_ns));
      else
        json_null(b, "delay_s");
      json_builder_end_object(b);
    }
  json_builder_end_array(b);
  json_builder_end_object(b);
  json_print(b);
}

static void print_reinjections(const MptcpAnalysis *an)
{
  guint n = an->dir[0].reinjections->len + an->dir[1].reinjections->len;
  printf("mptcp.stream %u: %u reinjected packets\n", an->conn->id, n);
  if (!n)
    return;
  Table *tb = table_new("rrlrrllr", "frame", "tcp.stream", "towards",
                        "dsn (relative)", "length", "original frames",
                        "on tcp.stream", "delay (s)", NULL);
  for (int d = 0; d < 2; d++)
    for (guint i = 0; i < an->dir[d].reinjections->len; i++) {
      const Reinjection *r = g_ptr_array_index(an->dir[d].reinjections, i);
      char *f = ids_text(r->orig_frames, TRUE);
      char *s = ids_text(r->orig_streams, FALSE);
      table_add(tb, "%u", r->frame);
      table_add(tb, "%u", r->tcp_stream);
      table_add(tb, "%s", d == TO_SERVER ? "server" : "client");
      table_add(tb, "%" G_GUINT64_FORMAT, r->dsn_start);
      char *len = fmt_count(r->length);
      table_add(tb, "%s", len);
      g_free(len);
      table_add(tb, "%s", f);
      table_add(tb, "%s", s);
      if (r->orig_time_ns >= 0 && r->time_ns >= r->orig_time_ns)
        table_add(tb, "%.6f", ns_to_s(r->time_ns - r->orig_time_ns));
      else
        table_add(tb, "-");
      g_free(f);
      g_free(s);
    }
  table_print(tb, stdout, "  ");
  table_free(tb);
}

int cmd_list_reinjections(Session *s, const CmdArgs *a)
{
  const MptcpConn *m = mptcp_arg(s->cap, a->argv[0]);
  if (!m)
    return 1;
  MptcpAnalysis *an = mptcp_analyse(m);
  if (a->json)
    json_reinjections(s->cap, an);
  else
    print_reinjections(an);
  mptcp_analysis_free(an);
  return 0;
}
