/* main.c - mptcpanalyzer's entry point: global options, then one of four
 * ways to run commands: one command with its arguments
 * (mptcpanalyzer list-mptcp X.pcap), one command line per argument
 * (mptcpanalyzer "load-pcap X.pcap" "list-mptcp"), a script (-f FILE, or
 * standard input when it is not a terminal), or the interactive shell. */
#include "commands.h"
#include "complete.h"
#include "shell.h"
#include "output.h"
#include "script.h"
#include "stats.h"
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <malloc.h>
#include <unistd.h>

#define VERSION "0.1.0"

static void usage(FILE *out)
{
  fprintf(out,
    "usage: mptcpanalyzer [OPTIONS] COMMAND [CAPTURE] [ARGS]\n"
    "       mptcpanalyzer [OPTIONS] \"COMMAND LINE\" [\"COMMAND LINE\"...]\n"
    "       mptcpanalyzer [OPTIONS] -f SCRIPT\n"
    "       mptcpanalyzer [OPTIONS]        (shell, or a script on stdin)\n"
    "options:\n"
    "  --json        JSON output on stdout\n"
    "  -q, --quiet   no warnings or progress on stderr\n"
    "  -f FILE       run the command lines of FILE ('-' for stdin)\n"
    "  --no-cache    neither read nor write the cache\n"
    "  --cache-dir DIR  keep the cache in DIR (default: XDG cache folder)\n"
    "  --stats       print time, CPU and memory used on stderr at exit\n"
    "  -j N          dissect a large capture with N tsharks at once, one per\n"
    "                frame range (default: the number of CPUs; 1: one pass)\n"
    "  --version     print the version\n"
    "  -h, --help    this text; 'mptcpanalyzer help' lists commands\n");
}

/* -j N: a whole number from 1 to 64; FALSE if it is not one. */
static gboolean parse_jobs(const char *v, int *jobs)
{
  char *end;
  guint64 n = v ? g_ascii_strtoull(v, &end, 10) : 0;
  if (!v || !*v || *end || n < 1 || n > 64)
    return FALSE;
  *jobs = (int)n;
  return TRUE;
}

static int online_cpus(void)
{
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

/* Run the command lines of a stream, stopping at the first failure. */
static int run_script(Session *s, FILE *in, const char *name)
{
  ScriptReader r;
  ScriptStatus st;
  int rc = 0;
  script_reader_init(&r, in);
  while (!s->quit && (st = script_next_line(&r)) != SCRIPT_END) {
    if (st == SCRIPT_NUL) {
      rc = report_error("%s:%d: a NUL byte in the line (not a text script)",
                        name, r.lineno);
      break;
    }
    rc = command_run_line(s, r.line->str);
    if (rc) {
      if (!output_failed())
        report_error("%s:%d: stopped at this failed command", name,
                     r.lineno);
      break;
    }
  }
  if (!rc && ferror(in))
    rc = report_error("%s: %s", name, g_strerror(errno));
  script_reader_clear(&r);
  return rc;
}

static int run_script_file(Session *s, const char *path)
{
  if (strcmp(path, "-") == 0)
    return run_script(s, stdin, "stdin");
  FILE *f = fopen(path, "r");
  if (!f)
    return report_error("%s: %s", path, g_strerror(errno));
  int rc = run_script(s, f, path);
  fclose(f);
  return rc;
}

static int run_lines(Session *s, int argc, char **argv)
{
  int rc = 0;
  for (int i = 0; i < argc && !s->quit && rc == 0; i++)
    rc = command_run_line(s, argv[i]);
  return rc;
}

int main(int argc, char **argv)
{
  Session s;
  RunStats stats;
  const char *script = NULL;
  gboolean show_stats = FALSE;
  int i = 1, rc;
  if (argc >= 2 && strcmp(argv[1], "--complete") == 0)
    return complete_run(argc - 2, argv + 2);      /* hidden: bash completion */
  run_stats_start(&stats);
  /* A fixed threshold keeps the large per-connection packet arrays in
   * mmap'ed blocks that realloc grows with mremap, without copying them
   * (measured: a sixth of our load time went to copying). */
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  session_init(&s);
  s.load.jobs = online_cpus();
  for (; i < argc && argv[i][0] == '-'; i++) {
    const char *o = argv[i];
    if (strcmp(o, "--json") == 0) s.json = TRUE;
    else if (strcmp(o, "-j") == 0 || g_str_has_prefix(o, "-j")) {
      const char *v = o[2] ? o + 2 : (i + 1 < argc ? argv[++i] : NULL);
      if (!parse_jobs(v, &s.load.jobs)) {
        report_error("-j needs a number of tsharks from 1 to 64, not '%s'",
                     v ? v : "");
        session_clear(&s);
        return 2;
      }
    }
    else if (strcmp(o, "-q") == 0 || strcmp(o, "--quiet") == 0)
      s.load.quiet = TRUE;
    else if (strcmp(o, "-f") == 0 && i + 1 < argc) script = argv[++i];
    else if (strcmp(o, "--no-cache") == 0) s.load.no_cache = TRUE;
    else if (strcmp(o, "--stats") == 0) show_stats = TRUE;
    else if (strcmp(o, "--cache-dir") == 0 && i + 1 < argc) {
      g_free(s.load.cache_dir);
      s.load.cache_dir = g_strdup(argv[++i]);
    }
    else if (strcmp(o, "--version") == 0) {
      puts("mptcpanalyzer " VERSION);
      return output_close();
    }
    else if (strcmp(o, "-h") == 0 || strcmp(o, "--help") == 0) {
      usage(stdout);
      return output_close();
    }
    else if (strcmp(o, "--") == 0) { i++; break; }
    else { report_error("unknown option %s", o); usage(stderr); return 2; }
  }
  if (script)
    rc = run_script_file(&s, script);
  else if (i < argc && command_find(argv[i]))
    rc = command_run_argv(&s, argc - i, argv + i);
  else if (i < argc)
    rc = run_lines(&s, argc - i, argv + i);
  else if (isatty(STDIN_FILENO))
    rc = shell_run(&s);
  else
    rc = run_script(&s, stdin, "stdin");
  if (show_stats)
    run_stats_print(&stats, s.cap ? s.cap->rows : 0, s.load_note);
  session_clear(&s);
  if (output_close() != 0)
    rc = 1;
  return rc;
}
