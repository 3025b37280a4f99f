/* commands.h - the command table: one function per command, one table
 * dispatching them (git's style). Command functions live in cmd_*.c. */
#ifndef COMMANDS_H
#define COMMANDS_H

#include <stdio.h>
#include "session.h"

/* Command flags */
#define CMD_CAPTURE  0x01  /* works on a capture: [CAPTURE] first */
#define CMD_JSON     0x02  /* accepts --json */
#define CMD_FULL     0x04  /* accepts --full */
#define CMD_VARIADIC 0x08  /* takes any number of positional arguments
                              beyond n_args (args ends with "...") */

#define CMD_MAX_OPTS 16

typedef struct {
  gboolean json, full;
  int argc;                /* positional arguments, capture removed */
  char **argv;
  int n_opts;              /* the command's own options that were given */
  const char *opt_name[CMD_MAX_OPTS];   /* "--window" (as in the spec) */
  const char *opt_value[CMD_MAX_OPTS];  /* its value, "" for a flag */
} CmdArgs;

typedef struct {
  const char *name;
  const char *aliases;     /* space-separated other names */
  const char *args;        /* positional arguments, for usage lines */
  int n_args;              /* how many positional arguments it needs */
  int flags;
  /* its own options, space-separated: "--term" is a flag, "--window=S"
   * takes a value (given as --window S or --window=S); "" for none */
  const char *options;
  const char *summary;
  const char *example;     /* one example command line, for help */
  int (*run)(Session *s, const CmdArgs *a);
} Command;

/* The table, ended by an entry whose name is NULL. */
extern const Command command_table[];

const Command *command_find(const char *name);
/* Run argv[0] with the rest as its arguments; returns an exit status. */
int command_run_argv(Session *s, int argc, char **argv);
/* Split a command line like a shell would (quotes, no expansion) and run it;
 * blank lines and # comments do nothing. */
int command_run_line(Session *s, const char *line);
void command_usage(const Command *c, FILE *out);
/* The value of option name ("--window"), "" for a flag given, NULL when
 * the option was not given. The last occurrence wins. */
const char *cmd_opt(const CmdArgs *a, const char *name);
static inline gboolean cmd_flag(const CmdArgs *a, const char *name)
{ return cmd_opt(a, name) != NULL; }
/* Option name's value as a finite number; FALSE (error reported) when it
 * is malformed. *out is unchanged when the option was not given. */
gboolean cmd_opt_double(const CmdArgs *a, const char *name, double *out);
/* Load the capture given as the first positional argument when the
 * command got one more than it needs (n_needed), shifting it off;
 * else use the loaded one. 0, or an exit status (error reported). */
int cmd_take_capture(Session *s, const char *cmd, CmdArgs *a, int n_needed);
/* A stream number argument; FALSE (error reported) when it is not one. */
gboolean stream_id_arg(const Capture *c, const char *arg, const char *what,
                       guint32 *id);
/* Load the capture of a connection's other end (the loaded capture's
 * peer); NULL (error reported) when it cannot be, or is the same file. */
Capture *cmd_peer_capture(Session *s, const char *path);
/* The MPTCP connection an argument names; NULL (error reported) if none. */
MptcpConn *mptcp_arg(const Capture *c, const char *arg);
/* The TCP connection an argument names; NULL (error reported) if none. */
TcpConn *tcp_arg(const Capture *c, const char *arg);

int cmd_load_pcap(Session *s, const CmdArgs *a);
int cmd_list_tcp(Session *s, const CmdArgs *a);
int cmd_list_mptcp(Session *s, const CmdArgs *a);
int cmd_list_subflows(Session *s, const CmdArgs *a);
int cmd_tcp_summary(Session *s, const CmdArgs *a);
int cmd_mptcp_summary(Session *s, const CmdArgs *a);
int cmd_list_reinjections(Session *s, const CmdArgs *a);
int cmd_export(Session *s, const CmdArgs *a);
int cmd_summarize(Session *s, const CmdArgs *a);
int cmd_checkhealth(Session *s, const CmdArgs *a);
int cmd_plot(Session *s, const CmdArgs *a);
int cmd_map_tcp(Session *s, const CmdArgs *a);
int cmd_map_mptcp(Session *s, const CmdArgs *a);
int cmd_owd(Session *s, const CmdArgs *a);
int cmd_qualify_reinjections(Session *s, const CmdArgs *a);

/* the kinds of plot, for help plot (cmd_plot.c) */
void plot_kinds_help(FILE *out);
int cmd_clean_cache(Session *s, const CmdArgs *a);
int cmd_help(Session *s, const CmdArgs *a);
int cmd_quit(Session *s, const CmdArgs *a);

#endif
