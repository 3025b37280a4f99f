/* cmd_general.c - load-pcap, checkhealth, help and quit. */
#include "commands.h"
#include "cache.h"
#include "gnuplot.h"
#include "json_out.h"
#include "row.h"
#include "tshark_memo.h"
#include <string.h>

int cmd_load_pcap(Session *s, const CmdArgs *a)
{
  GError *err = NULL;
  if (!session_load(s, a->argv[0], &err)) {
    int rc = report_error("%s", err->message);
    g_error_free(err);
    return rc;
  }
  if (a->json) {
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_str(b, "capture", s->cap->path);
    json_int(b, "packets", (gint64)s->cap->rows);
    json_int(b, "tcp_packets", (gint64)s->cap->tcp_packets);
    json_int(b, "tcp_connections", s->cap->tcp->len);
    json_int(b, "mptcp_connections", s->cap->mptcp->len);
    json_int(b, "orphan_subflows", s->cap->orphans->len);
    json_bool(b, "truncated", s->cap->truncated);
    json_int(b, "options_cut_packets", (gint64)s->cap->options_cut);
    json_int(b, "icmp_errors", (gint64)s->cap->icmp_errors);
    json_int(b, "time_clamped_packets", (gint64)s->cap->time_clamped);
    json_builder_end_object(b);
    json_print(b);
  } else if (!s->load.quiet) {
    g_printerr("loaded %s: %" G_GUINT64_FORMAT " packets, %u TCP connections, "
               "%u MPTCP connections\n", s->cap->path, s->cap->rows,
               s->cap->tcp->len, s->cap->mptcp->len);
  }
  return 0;
}

/* Fields of our list that this tshark does not know, as a new array. */
static GPtrArray *missing_fields(const Tshark *ts, GError **err)
{
  char *out = tshark_output(ts, "-G", "fields", err);
  if (!out)
    return NULL;
  GPtrArray *missing = g_ptr_array_new();
  for (int i = 0; i < N_FIELDS; i++) {
    char *needle = g_strdup_printf("\t%s\t", row_field_names[i]);
    if (!strstr(out, needle))
      g_ptr_array_add(missing, (gpointer)row_field_names[i]);
    g_free(needle);
  }
  g_free(out);
  return missing;
}

static void json_gnuplot(JsonBuilder *b, const Gnuplot *gp, gboolean found)
{
  if (found) {
    json_str(b, "gnuplot", gp->path);
    json_str(b, "gnuplot_version", gp->version);
  } else {
    json_null(b, "gnuplot");
    json_null(b, "gnuplot_version");
  }
}

/* gnuplot is checked too: plot needs it; its absence fails checkhealth
 * with the reason (not found, too old) and the package to install. */
int cmd_checkhealth(Session *s, const CmdArgs *a)
{
  GError *err = NULL, *gerr = NULL;
  GPtrArray *missing = NULL;
  Gnuplot gp;
  if (!session_tshark(s, TRUE, &err) ||
      !(missing = missing_fields(&s->tshark, &err))) {
    int rc = report_error("checkhealth: %s", err->message);
    g_error_free(err);
    return rc;
  }
  gboolean have_gnuplot = gnuplot_find(&gp, &gerr);
  if (a->json) {
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_str(b, "tshark", s->tshark.path);
    json_str(b, "tshark_version", s->tshark.version);
    json_builder_set_member_name(b, "fields");
    json_builder_begin_array(b);
    for (int i = 0; i < N_FIELDS; i++)
      json_builder_add_string_value(b, row_field_names[i]);
    json_builder_end_array(b);
    char **argv = tshark_export_argv(&s->tshark, "CAPTURE");
    json_builder_set_member_name(b, "export_argv");
    json_builder_begin_array(b);
    for (char **p = argv; *p; p++)
      json_builder_add_string_value(b, *p);
    json_builder_end_array(b);
    g_strfreev(argv);
    json_builder_set_member_name(b, "missing_fields");
    json_builder_begin_array(b);
    for (guint i = 0; i < missing->len; i++)
      json_builder_add_string_value(b, g_ptr_array_index(missing, i));
    json_builder_end_array(b);
    json_gnuplot(b, &gp, have_gnuplot);
    json_bool(b, "ok", missing->len == 0 && have_gnuplot);
    json_builder_end_object(b);
    json_print(b);
  } else {
    printf("tshark: %s\nversion: %s (%d.%d or later needed)\nfields: %d, "
           "%u missing\n", s->tshark.path, s->tshark.version,
           TSHARK_MIN_MAJOR, TSHARK_MIN_MINOR, N_FIELDS, missing->len);
    for (guint i = 0; i < missing->len; i++)
      printf("  missing: %s\n", (char *)g_ptr_array_index(missing, i));
    if (have_gnuplot)
      printf("gnuplot: %s\ngnuplot version: %s (%d or later needed, for "
             "plot)\n", gp.path, gp.version, GNUPLOT_MIN_MAJOR);
  }
  int rc = missing->len ? report_error("checkhealth: tshark lacks %u fields",
                                       missing->len) : 0;
  if (!have_gnuplot) {
    rc = report_error("checkhealth: %s", gerr->message);
    g_error_free(gerr);
  }
  gnuplot_clear(&gp);
  g_ptr_array_free(missing, TRUE);
  return rc;
}

int cmd_clean_cache(Session *s, const CmdArgs *a)
{
  GError *err = NULL;
  char *dir = s->load.cache_dir ? g_strdup(s->load.cache_dir)
                                : cache_default_dir();
  int n = cache_clean(dir, &err);
  tshark_memo_clean(dir);
  if (n < 0) {
    int rc = report_error("clean-cache: %s", err->message);
    g_error_free(err);
    g_free(dir);
    return rc;
  }
  if (a->json) {
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_str(b, "cache_dir", dir);
    json_int(b, "removed", n);
    json_builder_end_object(b);
    json_print(b);
  } else {
    printf("removed %d cache entr%s from %s\n", n, n == 1 ? "y" : "ies", dir);
  }
  g_free(dir);
  return 0;
}

int cmd_help(Session *s, const CmdArgs *a)
{
  (void)s;
  if (a->argc == 1) {
    const Command *c = command_find(a->argv[0]);
    if (!c)
      return report_error("help: unknown command '%s'", a->argv[0]);
    command_usage(c, stdout);
    printf("  %s\n", c->summary);
    if (*c->aliases)
      printf("  also: %s\n", c->aliases);
    printf("  example: mptcpanalyzer %s\n", c->example);
    if (c->run == cmd_plot)
      plot_kinds_help(stdout);
    return 0;
  }
  printf("commands (help COMMAND for one):\n");
  for (const Command *c = command_table; c->name; c++)
    printf("  %-18s %s\n", c->name, c->summary);
  return 0;
}

int cmd_quit(Session *s, const CmdArgs *a)
{
  (void)a;
  s->quit = TRUE;
  return 0;
}
