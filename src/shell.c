/* shell.c - the interactive shell. readline has one global completion
 * hook, so what it completes from is kept in the statics below. Ctrl-C
 * stops a running load (interrupt.h) and at the prompt discards the line
 * for a new prompt; it does not end the shell. */
#include "shell.h"
#include "commands.h"
#include "interrupt.h"
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

/* What the word being completed is: set by complete() for the generator. */
static enum { IDS_TCP, IDS_MPTCP } completing_ids;

/* tcp.stream or mptcp.stream numbers of the loaded capture */
static char *stream_generator(const char *text, int state)
{
  static guint i;
  const Capture *c = completing ? completing->cap : NULL;
  GPtrArray *list = !c ? NULL : completing_ids == IDS_TCP ? c->tcp : c->mptcp;
  if (!state) i = 0;
  while (list && i < list->len) {
    gpointer item = g_ptr_array_index(list, i++);
    guint32 id = completing_ids == IDS_TCP ? ((TcpConn *)item)->stream
                                           : ((MptcpConn *)item)->id;
    char buf[16];
    g_snprintf(buf, sizeof buf, "%u", id);
    if (strncmp(buf, text, strlen(text)) == 0)
      return strdup(buf);
  }
  return NULL;
}

/* Commands complete at the start of a line; after a command taking a
 * stream id, the ids of the loaded capture; elsewhere file names. */
static char **complete(const char *text, int start, int end)
{
  (void)end;
  int i = 0;
  while (i < start && rl_line_buffer[i] == ' ')
    i++;
  if (i == start)
    return rl_completion_matches(text, command_generator);
  char *word = g_strndup(rl_line_buffer + i, strcspn(rl_line_buffer + i, " "));
  const Command *cmd = command_find(word);
  g_free(word);
  if (!cmd || !strstr(cmd->args, "STREAM") || !completing->cap)
    return NULL;                       /* readline completes file names */
  completing_ids = strstr(cmd->args, "MPTCP") ? IDS_MPTCP : IDS_TCP;
  rl_attempted_completion_over = 1;
  return rl_completion_matches(text, stream_generator);
}

/* readline calls this when a signal interrupted its wait for a key: a
 * Ctrl-C discards the line being typed and shows a new prompt. */
static int on_signal(void)
{
  if (!interrupt_pending())
    return 0;
  interrupt_clear();
  rl_replace_line("", 0);
  rl_crlf();
  rl_on_new_line();
  rl_redisplay();
  return 0;
}

static char *history_path(void)
{
  return g_build_filename(g_get_user_state_dir(), "mptcpanalyzer",
                          "history", NULL);
}

/* The loaded capture's file name, as the reference tool shows it
 * ("client_2.pcap> "), or the program's name before a capture is loaded. */
static char *shell_prompt(const Session *s)
{
  if (!s->cap)
    return g_strdup("mptcpanalyzer> ");
  char *base = g_path_get_basename(s->cap->path);
  char *prompt = g_strdup_printf("%s> ", base);
  g_free(base);
  return prompt;
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
  rl_signal_event_hook = on_signal;
  interrupt_catch();
  using_history();
  if (read_history(hist) != 0)
    write_history(hist);               /* append_history needs the file */
  while (!s->quit) {
    char *prompt = shell_prompt(s);
    char *line = readline(prompt);
    g_free(prompt);
    if (!line)
      break;
    if (*line) {
      add_history(line);
      append_history(1, hist);
      interrupt_clear();
      rc = command_run_line(s, line);
    }
    free(line);
  }
  history_truncate_file(hist, 1000);
  interrupt_release();
  completing = NULL;
  g_free(dir);
  g_free(hist);
  return rc;
}
