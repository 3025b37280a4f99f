/* commands.c - the table of commands and the code that parses a command's
 * arguments and dispatches to it. Options: --json, --full where the
 * command takes them, -- ends options (for file names that start with -).
 * A command working on a capture takes it as its first argument when given
 * one more argument than it needs; else it uses the loaded capture.
 * "-1" is an argument (a bad stream id), not an option. */
#include "commands.h"
#include <string.h>

const Command command_table[] = {
  { "load-pcap", "load_pcap load", "CAPTURE", 1, CMD_JSON,
    "load a capture (runs tshark once)", cmd_load_pcap },
  { "list-tcp", "list_tcp_connections lt", "", 0, CMD_CAPTURE | CMD_JSON,
    "list TCP connections with roles, times and counts", cmd_list_tcp },
  { "list-mptcp", "list_mptcp_connections lm", "", 0, CMD_CAPTURE | CMD_JSON,
    "list MPTCP connections, keys, tokens and subflows", cmd_list_mptcp },
  { "list-subflows", "list_subflows ls", "MPTCP_STREAM", 1,
    CMD_CAPTURE | CMD_JSON, "show one MPTCP connection and its subflows",
    cmd_list_subflows },
  { "tcp-summary", "tcp_summary", "TCP_STREAM", 1,
    CMD_CAPTURE | CMD_JSON | CMD_FULL,
    "bytes, retransmissions and rates of one TCP connection",
    cmd_tcp_summary },
  { "mptcp-summary", "mptcp_summary", "MPTCP_STREAM", 1,
    CMD_CAPTURE | CMD_JSON | CMD_FULL,
    "goodput, throughput and subflow shares of one MPTCP connection",
    cmd_mptcp_summary },
  { "list-reinjections", "list_reinjections lr", "MPTCP_STREAM", 1,
    CMD_CAPTURE | CMD_JSON, "packets resending data first sent on another "
    "subflow", cmd_list_reinjections },
  { "checkhealth", "check_health", "", 0, CMD_JSON,
    "check tshark: path, version, fields", cmd_checkhealth },
  { "clean-cache", "clean_cache", "", 0, CMD_JSON,
    "delete every cache entry", cmd_clean_cache },
  { "help", "h ?", "[COMMAND]", 0, 0, "list commands, or explain one",
    cmd_help },
  { "quit", "exit q EOF", "", 0, 0, "leave the shell", cmd_quit },
  { NULL, NULL, NULL, 0, 0, NULL, NULL },
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
  fprintf(out, "usage: %s%s%s%s%s%s\n", c->name,
          (c->flags & CMD_CAPTURE) ? " [CAPTURE]" : "",
          *c->args ? " " : "", c->args,
          (c->flags & CMD_FULL) ? " [--full]" : "",
          (c->flags & CMD_JSON) ? " [--json]" : "");
}

/* Split options from positional arguments; FALSE on a bad option. */
static gboolean parse_options(const Command *c, int argc, char **argv,
                              CmdArgs *a, GPtrArray *pos)
{
  gboolean opts_done = FALSE;
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
    else {
      report_error("%s: unknown option %s", c->name, w);
      command_usage(c, stderr);
      return FALSE;
    }
  }
  return TRUE;
}

/* Load the capture named first when one argument too many is given. */
static int take_capture(Session *s, const Command *c, CmdArgs *a)
{
  if (!(c->flags & CMD_CAPTURE))
    return 0;
  if (a->argc == c->n_args + 1) {
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
                        c->name);
  return 0;
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
  if (a.argc > max || (a.argc < c->n_args && !optional)) {
    report_error("%s: expected %s", c->name, a.argc > max
                 ? "fewer arguments" : "more arguments");
    command_usage(c, stderr);
    goto out;
  }
  if (take_capture(s, c, &a) == 0)
    rc = c->run(s, &a);
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
