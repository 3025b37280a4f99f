/* tshark.c - the one place that starts tshark. */
#define _GNU_SOURCE               /* F_SETPIPE_SZ */
#include "tshark.h"
#include "row.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#define STDERR_KEEP 16384

void tshark_clear(Tshark *ts)
{
  g_clear_pointer(&ts->path, g_free);
  g_clear_pointer(&ts->version, g_free);
}

static gboolean parse_version(Tshark *ts, const char *out)
{
  const char *v = strstr(out, "TShark (Wireshark) ");
  if (!v)
    return FALSE;
  v += strlen("TShark (Wireshark) ");
  int micro = 0;
  if (sscanf(v, "%d.%d.%d", &ts->major, &ts->minor, &micro) < 2)
    return FALSE;
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

gboolean tshark_check_version(Tshark *ts, GError **err)
{
  char *out = NULL;
  char *argv[] = { ts->path, "--version", NULL };
  gboolean ok = FALSE;
  if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL |
                    G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL, &out, NULL,
                    NULL, err))
    return FALSE;
  if (!parse_version(ts, out))
    g_set_error(err, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                "%s does not say which tshark version it is", ts->path);
  else if (ts->major < TSHARK_MIN_MAJOR ||
           (ts->major == TSHARK_MIN_MAJOR && ts->minor < TSHARK_MIN_MINOR))
    g_set_error(err, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                "tshark %s at %s is too old: version %d.%d or later needed",
                ts->version, ts->path, TSHARK_MIN_MAJOR, TSHARK_MIN_MINOR);
  else
    ok = TRUE;
  g_free(out);
  return ok;
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

/* Read what is ready on fd; FALSE at end of file. *got is the count. */
static gboolean drain(int fd, char *buf, gsize size, TsharkSink sink,
                      void *user, GString *keep, gssize *got)
{
  ssize_t n = read(fd, buf, size);
  *got = n;
  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return TRUE;
  if (n <= 0)
    return FALSE;
  if (sink)
    sink(buf, (gsize)n, user);
  else if (keep->len < STDERR_KEEP)
    g_string_append_len(keep, buf, n);
  return TRUE;
}

/* Move tshark's output to the sink and its stderr to errs until both
 * close. tshark writes 4 KiB at a time; with a 1 MiB pipe and a short
 * sleep after a small read we wake up a few hundred times a second
 * instead of once per write, which halves our CPU time, while tshark,
 * writing at most a few MB/s, never finds the pipe full. */
static void pump(GPid pid, int out_fd, int err_fd, TsharkSink sink,
                 TsharkTick tick, void *user, GString *errs)
{
  enum { BUF = 1 << 20 };
  char *buf = g_malloc(BUF);
  struct pollfd fds[2] = { { out_fd, POLLIN, 0 }, { err_fd, POLLIN, 0 } };
  gint64 next_tick = g_get_monotonic_time() + 250000;
  fcntl(out_fd, F_SETPIPE_SZ, BUF);
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    gssize got = 0;
    int r = poll(fds, 2, 250);
    if (r < 0 && errno != EINTR)
      break;
    for (int i = 0; i < 2 && r > 0; i++)
      if (fds[i].fd >= 0 && fds[i].revents &&
          !drain(fds[i].fd, buf, BUF, i == 0 ? sink : NULL, user, errs,
                 &got)) {
        close(fds[i].fd);
        fds[i].fd = -1;
      }
    if (tick && g_get_monotonic_time() >= next_tick) {
      tick(pid, user);
      next_tick = g_get_monotonic_time() + 250000;
    }
    if (got > 0 && got < BUF / 8)
      g_usleep(5000);
  }
  g_free(buf);
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

gboolean tshark_export(const Tshark *ts, const char *capture, TsharkSink sink,
                       TsharkTick tick, void *user, gboolean *truncated,
                       GError **err)
{
  char **argv = tshark_export_argv(ts, capture);
  GPid pid;
  int out_fd, err_fd, status = 0;
  gboolean ok = g_spawn_async_with_pipes(NULL, argv, NULL,
      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL,
      &pid, NULL, &out_fd, &err_fd, err);
  g_strfreev(argv);
  if (!ok)
    return FALSE;
  GString *errs = g_string_new(NULL);
  pump(pid, out_fd, err_fd, sink, tick, user, errs);
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  g_spawn_close_pid(pid);
  char *msg = tshark_message(errs, capture);
  g_string_free(errs, TRUE);
  *truncated = strstr(msg, "cut short in the middle of a packet") != NULL;
  ok = (WIFEXITED(status) && WEXITSTATUS(status) == 0) || *truncated;
  if (!ok)
    g_set_error(err, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "tshark failed: %s",
                *msg ? msg : "it exited with an error and said nothing");
  g_free(msg);
  return ok;
}
