/* commands.c - the table of commands and the code that parses a command's
 * arguments and dispatches to it. Options: --json, --full where the
 * command takes them, -- ends options (for file names that start with -).
 * A command working on a capture takes it as its first argument when given
 * one more argument than it needs; else it uses the loaded capture.
 * "-1" is an argument (a bad stream id), not an option. */
#include "commands.h"
#include "output.h"
#include <math.h>
#include <glib/gstdio.h>
#include <string.h>

const Command command_table[] = {
  { "load-pcap", "load_pcap load", "CAPTURE", 1, CMD_JSON, "",
    "load a capture (runs tshark once)",
    "load-pcap fixtures/v1-lossy-client.pcapng", cmd_load_pcap },
  { "list-tcp", "list_tcp_connections lt", "", 0, CMD_CAPTURE | CMD_JSON, "",
    "list TCP connections with roles, times and counts",
    "list-tcp fixtures/v1-lossy-client.pcapng", cmd_list_tcp },
  { "list-mptcp", "list_mptcp_connections lm", "", 0, CMD_CAPTURE | CMD_JSON,
    "", "list MPTCP connections, keys, tokens and subflows",
    "list-mptcp fixtures/v1-lossy-client.pcapng", cmd_list_mptcp },
  { "list-subflows", "list_subflows ls", "MPTCP_STREAM", 1,
    CMD_CAPTURE | CMD_JSON, "", "show one MPTCP connection and its subflows",
    "list-subflows fixtures/v1-lossy-client.pcapng 0", cmd_list_subflows },
  { "tcp-summary", "tcp_summary", "TCP_STREAM", 1,
    CMD_CAPTURE | CMD_JSON | CMD_FULL, "",
    "bytes, retransmissions and rates of one TCP connection",
    "tcp-summary fixtures/v1-lossy-client.pcapng 0 --full", cmd_tcp_summary },
  { "mptcp-summary", "mptcp_summary", "MPTCP_STREAM", 1,
    CMD_CAPTURE | CMD_JSON | CMD_FULL, "--peer=CAPTURE2 --clock-offset=SECONDS",
    "goodput, throughput and subflow shares of one MPTCP connection",
    "mptcp-summary fixtures/v1-lossy-client.pcapng 0", cmd_mptcp_summary },
  { "list-reinjections", "list_reinjections lr", "MPTCP_STREAM", 1,
    CMD_CAPTURE | CMD_JSON, "", "packets resending data first sent on "
    "another subflow", "list-reinjections fixtures/v1-lossy-client.pcapng 0",
    cmd_list_reinjections },
  { "map-tcp", "map_tcp_connection", "TCP_STREAM CAPTURE2", 2,
    CMD_CAPTURE | CMD_JSON, "",
    "which connection of the other end's capture is this one, and why",
    "map-tcp fixtures/crafted-pair-tcp-nat-client.pcap 0 "
    "fixtures/crafted-pair-tcp-nat-server.pcap", cmd_map_tcp },
  { "map-mptcp", "map_mptcp_connection", "MPTCP_STREAM CAPTURE2", 2,
    CMD_CAPTURE | CMD_JSON, "",
    "the same for an MPTCP connection, its subflows paired one to one",
    "map-mptcp fixtures/v1-nat-client.pcapng 0 fixtures/v1-nat-server.pcapng",
    cmd_map_mptcp },
  { "owd", "", "STREAM CAPTURE2", 2, CMD_CAPTURE | CMD_JSON,
    "--tcp --clock-offset=SECONDS --packets",
    "one-way delays, losses and misses per subflow and direction, from the "
    "captures of both ends", "owd fixtures/v1-paired-client.pcapng 0 "
    "fixtures/v1-paired-server.pcapng", cmd_owd },
  { "qualify-reinjections", "qualify_reinjections", "MPTCP_STREAM CAPTURE2",
    2, CMD_CAPTURE | CMD_JSON, "--clock-offset=SECONDS",
    "whether each reinjection arrived first (useful), after (redundant) or "
    "alone (delivered), from both ends' captures",
    "qualify-reinjections fixtures/crafted-pair-mptcp-client.pcap 0 "
    "fixtures/crafted-pair-mptcp-server.pcap", cmd_qualify_reinjections },
  { "plot", "", "KIND [CAPTURE] STREAM [CAPTURE2]", 2,
    CMD_JSON | CMD_VARIADIC,
    "-o=FILE --term --data=FILE --towards=server|client --window=SECONDS "
    "--clock-offset=SECONDS",
    "draw a connection over time with gnuplot (PNG, SVG, PDF, terminal)",
    "plot mptcp-dsn fixtures/v1-lossy-client.pcapng 0 -o dsn.png",
    cmd_plot },
  { "export", "tocsv", "", 0, CMD_CAPTURE | CMD_JSON,
    "--tcp-stream=N --mptcp-stream=N --format=csv|jsonl -o=FILE --peer=CAPTURE2 "
    "--clock-offset=SECONDS",
    "one record per packet, as CSV or JSON Lines (see README)",
    "export fixtures/v1-basic-client.pcapng --mptcp-stream 0 --format jsonl",
    cmd_export },
  { "summarize", "", "CAPTURE...", 1, CMD_VARIADIC | CMD_JSON | CMD_FULL, "",
    "one JSON line per connection of each capture (campaigns)",
    "summarize fixtures/v1-basic-client.pcapng fixtures/v1-multi-client.pcapng",
    cmd_summarize },
  { "checkhealth", "check_health", "", 0, CMD_JSON, "",
    "check tshark: path, version, fields", "checkhealth", cmd_checkhealth },
  { "clean-cache", "clean_cache", "", 0, CMD_JSON, "",
    "delete every cache entry", "clean-cache", cmd_clean_cache },
  { "help", "h ?", "[COMMAND]", 0, 0, "", "list commands, or explain one",
    "help mptcp-summary", cmd_help },
  { "quit", "exit q EOF", "", 0, 0, "", "leave the shell", "quit", cmd_quit },
  { NULL, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL },
};

static gboolean alias_match(const char *aliases, const char *name)
{
  gsize n = strlen(name);
  for (const char *p = aliases; p && *p; ) {
    const char *end = strchr(p, ' ');
    gsize len = end ? (gsize)(end - p) : strlen(p);
    if (len == n && strncmp(p, name, n) == 0)
      return TRUE;
    p = end ? end + 1 : NULL;
  }
  return FALSE;
}

const Command *command_find(const char *name)
{
  for (const Command *c = command_table; c->name; c++)
    if (strcmp(c->name, name) == 0 || alias_match(c->aliases, name))
      return c;
  return NULL;
}

void command_usage(const Command *c, FILE *out)
{
  fprintf(out, "usage: %s%s%s%s", c->name,
          (c->flags & CMD_CAPTURE) ? " [CAPTURE]" : "",
          *c->args ? " " : "", c->args);
  char **opts = g_strsplit(c->options, " ", -1);
  for (char **o = opts; *o; o++) {
    char *eq = strchr(*o, '=');
    if (!**o)
      continue;
    if (eq)
      fprintf(out, " [%.*s %s]", (int)(eq - *o), *o, eq + 1);
    else
      fprintf(out, " [%s]", *o);
  }
  g_strfreev(opts);
  fprintf(out, "%s%s\n", (c->flags & CMD_FULL) ? " [--full]" : "",
          (c->flags & CMD_JSON) ? " [--json]" : "");
}

const char *cmd_opt(const CmdArgs *a, const char *name)
{
  for (int i = a->n_opts - 1; i >= 0; i--)
    if (strcmp(a->opt_name[i], name) == 0)
      return a->opt_value[i];
  return NULL;
}

gboolean cmd_opt_double(const CmdArgs *a, const char *name, double *out)
{
  const char *v = cmd_opt(a, name);
  char *end;
  if (!v)
    return TRUE;
  double d = g_ascii_strtod(v, &end);
  if (!*v || *end || !isfinite(d)) {
    report_error("%s: '%s' is not a number", name, v);
    return FALSE;
  }
  *out = d;
  return TRUE;
}

/* The spec entry of option w ("--window" or "--window=5") among the
 * command's options: its name's length in *nlen, whether it takes a value
 * in *valued; NULL when the command has no such option. */
static const char *find_option(const Command *c, const char *w, gsize *nlen,
                               gboolean *valued)
{
  gsize wlen = strcspn(w, "=");
  for (const char *p = c->options; *p; ) {
    gsize len = strcspn(p, " "), name = strcspn(p, "= ");
    if (name == wlen && strncmp(p, w, wlen) == 0) {
      *nlen = name;
      *valued = name < len;
      return p;
    }
    p += len;
    while (*p == ' ')
      p++;
  }
  return NULL;
}

/* Record option argv[*i] (and its value): 1 when done, 0 when the command
 * has no such option, -1 when it is misused (reported). */
static int take_option(const Command *c, int argc, char **argv, int *i,
                       CmdArgs *a)
{
  const char *w = argv[*i], *eq = strchr(w, '=');
  gsize nlen;
  gboolean valued;
  const char *spec = find_option(c, w, &nlen, &valued);
  if (!spec)
    return 0;
  if (a->n_opts >= CMD_MAX_OPTS) {
    report_error("%s: too many options", c->name);
    return -1;
  }
  const char *value = "";
  if (valued && eq)
    value = eq + 1;
  else if (valued && *i + 1 < argc)
    value = argv[++*i];
  else if (valued || eq) {
    report_error("%s: option %.*s %s", c->name, (int)nlen, spec,
                 valued ? "needs a value" : "takes no value");
    return -1;
  }
  char *name = g_strndup(spec, nlen);
  a->opt_name[a->n_opts] = g_intern_string(name);
  a->opt_value[a->n_opts++] = value;
  g_free(name);
  return 1;
}

/* Split options from positional arguments; FALSE on a bad option. */
static gboolean parse_options(const Command *c, int argc, char **argv,
                              CmdArgs *a, GPtrArray *pos)
{
  gboolean opts_done = FALSE;
  int got;
  for (int i = 1; i < argc; i++) {
    const char *w = argv[i];
    if (opts_done || w[0] != '-' || w[1] == '\0' || g_ascii_isdigit(w[1]))
      g_ptr_array_add(pos, argv[i]);
    else if (strcmp(w, "--") == 0)
      opts_done = TRUE;
    else if (strcmp(w, "--json") == 0 && (c->flags & CMD_JSON))
      a->json = TRUE;
    else if (strcmp(w, "--full") == 0 && (c->flags & CMD_FULL))
      a->full = TRUE;
    else if ((got = take_option(c, argc, argv, &i, a)) <= 0) {
      if (got == 0)
        report_error("%s: unknown option %s", c->name, w);
      command_usage(c, stderr);
      return FALSE;
    }
  }
  return TRUE;
}

int cmd_take_capture(Session *s, const char *cmd, CmdArgs *a, int n_needed)
{
  if (a->argc == n_needed + 1) {
    GError *err = NULL;
    if (!session_load(s, a->argv[0], &err)) {
      report_error("%s", err->message);
      g_error_free(err);
      return 1;
    }
    a->argv++;
    a->argc--;
  }
  if (!s->cap)
    return report_error("%s: no capture loaded (give one, or use load-pcap)",
                        cmd);
  return 0;
}

/* The same file, by device and inode. */
static gboolean same_file(const char *x, const char *y)
{
  GStatBuf a, b;
  return g_stat(x, &a) == 0 && g_stat(y, &b) == 0 && a.st_dev == b.st_dev &&
         a.st_ino == b.st_ino;
}

Capture *cmd_peer_capture(Session *s, const char *path)
{
  GError *err = NULL;
  if (same_file(s->cap->path, path)) {
    report_error("%s and %s are the same capture: give the capture of the "
                 "connection's other end", s->cap->path, path);
    return NULL;
  }
  Capture *c = session_open(s, path, &err);
  if (!c) {
    report_error("%s", err->message);
    g_error_free(err);
  }
  return c;
}

int command_run_argv(Session *s, int argc, char **argv)
{
  const Command *c = command_find(argv[0]);
  if (!c)
    return report_error("unknown command '%s' (try help)", argv[0]);
  CmdArgs a = { .json = s->json };
  GPtrArray *pos = g_ptr_array_new();
  int rc = 1;
  if (!parse_options(c, argc, argv, &a, pos))
    goto out;
  a.argc = (int)pos->len;
  a.argv = (char **)pos->pdata;
  gboolean optional = strchr(c->args, '[') != NULL;
  int max = c->n_args + ((c->flags & CMD_CAPTURE) ? 1 : 0) + optional;
  if (c->flags & CMD_VARIADIC)
    max = G_MAXINT;
  if (a.argc > max || (a.argc < c->n_args && !optional)) {
    report_error("%s: expected %s", c->name, a.argc > max
                 ? "fewer arguments" : "more arguments");
    command_usage(c, stderr);
    goto out;
  }
  if (!(c->flags & CMD_CAPTURE) ||
      cmd_take_capture(s, c->name, &a, c->n_args) == 0)
    rc = c->run(s, &a);
  if (output_check() != 0)
    rc = 1;
out:
  g_ptr_array_free(pos, TRUE);
  return rc;
}

int command_run_line(Session *s, const char *line)
{
  int argc;
  char **argv;
  GError *err = NULL;
  const char *p = line;
  while (g_ascii_isspace(*p))
    p++;
  if (*p == '\0' || *p == '#')
    return 0;
  if (!g_shell_parse_argv(p, &argc, &argv, &err)) {
    int rc = report_error("cannot read command line '%s': %s", p,
                          err->message);
    g_error_free(err);
    return rc;
  }
  int rc = command_run_argv(s, argc, argv);
  g_strfreev(argv);
  return rc;
}
