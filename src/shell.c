/* shell.c - the interactive shell. readline has one global completion
 * hook, so the session it completes from is kept in the one static below. */
#include "shell.h"
#include "commands.h"
#include <stdio.h>
#include <string.h>
#include <readline/readline.h>
#include <readline/history.h>

static Session *completing;   /* the session readline completes from */

static char *command_generator(const char *text, int state)
{
  static int i;
  if (!state) i = 0;
  for (; command_table[i].name; ) {
    const char *name = command_table[i++].name;
    if (strncmp(name, text, strlen(text)) == 0)
      return strdup(name);
  }
  return NULL;
}

/* tcp.stream and mptcp.stream numbers of the loaded capture */
static char *stream_generator(const char *text, int state)
{
  static guint i;
  const Capture *c = completing ? completing->cap : NULL;
  if (!state) i = 0;
  while (c && i < c->tcp->len + c->mptcp->len) {
    guint k = i++;
    guint32 id = k < c->tcp->len
      ? ((TcpConn *)g_ptr_array_index(c->tcp, k))->stream
      : ((MptcpConn *)g_ptr_array_index(c->mptcp, k - c->tcp->len))->id;
    char buf[16];
    g_snprintf(buf, sizeof buf, "%u", id);
    if (k >= c->tcp->len && id < c->tcp->len)
      continue;                        /* listed already as a tcp.stream */
    if (strncmp(buf, text, strlen(text)) == 0)
      return strdup(buf);
  }
  return NULL;
}

static char **complete(const char *text, int start, int end)
{
  (void)end;
  int i = 0;
  while (i < start && rl_line_buffer[i] == ' ')
    i++;
  if (i == start)
    return rl_completion_matches(text, command_generator);
  if (g_ascii_isdigit(text[0]) || (text[0] == '\0' && completing->cap &&
      !g_str_has_prefix(rl_line_buffer + i, "load")))
    return rl_completion_matches(text, stream_generator);
  return NULL;                         /* readline completes file names */
}

static char *history_path(void)
{
  return g_build_filename(g_get_user_state_dir(), "mptcpanalyzer",
                          "history", NULL);
}

int shell_run(Session *s)
{
  char *hist = history_path();
  char *dir = g_path_get_dirname(hist);
  int rc = 0;
  g_mkdir_with_parents(dir, 0700);
  completing = s;
  rl_readline_name = "mptcpanalyzer";
  rl_attempted_completion_function = complete;
  using_history();
  read_history(hist);
  while (!s->quit) {
    char *line = readline(s->cap ? "mptcp> " : "mptcp (no capture)> ");
    if (!line)
      break;
    if (*line) {
      add_history(line);
      append_history(1, hist);
      rc = command_run_line(s, line);
    }
    free(line);
  }
  history_truncate_file(hist, 1000);
  completing = NULL;
  g_free(dir);
  g_free(hist);
  return rc;
}
