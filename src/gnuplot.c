/* gnuplot.c - the one place that starts gnuplot. */
#include "gnuplot.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#define STDERR_KEEP 16384

void gnuplot_clear(Gnuplot *gp)
{
  g_clear_pointer(&gp->path, g_free);
  g_clear_pointer(&gp->version, g_free);
}

/* "gnuplot 5.4 patchlevel 4" */
static gboolean parse_version(Gnuplot *gp, const char *out)
{
  int patch = 0;
  const char *v = out ? strstr(out, "gnuplot ") : NULL;
  if (!v || sscanf(v, "gnuplot %d.%d patchlevel %d", &gp->major, &gp->minor,
                   &patch) < 2)
    return FALSE;
  gp->version = g_strdup_printf("%d.%d.%d", gp->major, gp->minor, patch);
  return TRUE;
}

/* gnuplot's complaint on one line: the text after "line N:" of its last
 * error, else its last non-empty line of standard error. */
static char *gnuplot_message(const char *errs)
{
  char **lines = g_strsplit(errs, "\n", -1);
  const char *last = NULL, *error = NULL;
  for (char **l = lines; *l; l++) {
    const char *s = g_strstrip(*l);
    const char *colon = strchr(s, ':');
    if (!*s || *s == '^')
      continue;
    last = s;
    if (g_str_has_prefix(s, "line ") && colon)
      error = colon + 1;
  }
  char *msg = g_strdup(error ? g_strstrip((char *)error) : last ? last : "");
  g_strfreev(lines);
  if (strlen(msg) > 300)
    strcpy(msg + 297, "...");
  return msg;
}

typedef struct {          /* one running gnuplot */
  struct pollfd *fds;     /* [3]: its stdin (we write), stdout, stderr */
  const GString *script;
  gsize written;
  GString *out, *errs;
} Pipes;

static void close_slot(Pipes *p, int i)
{
  close(p->fds[i].fd);
  p->fds[i].fd = -1;
}

/* Feed the script and drain the outputs until all three pipes close or
 * the deadline passes; FALSE on time-out. */
static gboolean pump(Pipes *p, gint64 deadline_us)
{
  char buf[65536];
  while (p->fds[0].fd >= 0 || p->fds[1].fd >= 0 || p->fds[2].fd >= 0) {
    gint64 left_ms = (deadline_us - g_get_monotonic_time()) / 1000;
    if (left_ms <= 0)
      return FALSE;
    int r = poll(p->fds, 3, (int)MIN(left_ms, 1000));
    if (r < 0 && errno != EINTR)
      return FALSE;
    if (r <= 0)
      continue;
    if (p->fds[0].fd >= 0 && p->fds[0].revents) {
      ssize_t n = write(p->fds[0].fd, p->script->str + p->written,
                        MIN(p->script->len - p->written, sizeof buf));
      if (n > 0)
        p->written += (gsize)n;
      if ((n < 0 && errno != EAGAIN && errno != EINTR) ||
          p->written == p->script->len)
        close_slot(p, 0);
    }
    for (int i = 1; i < 3; i++) {
      if (p->fds[i].fd < 0 || !p->fds[i].revents)
        continue;
      ssize_t n = read(p->fds[i].fd, buf, sizeof buf);
      GString *keep = i == 1 ? p->out : p->errs;
      if (n > 0 && (i == 1 || keep->len < STDERR_KEEP))
        g_string_append_len(keep, buf, n);
      else if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
        close_slot(p, i);
    }
  }
  return TRUE;
}

static gboolean wait_child(GPid pid, gboolean finished, GError **err,
                           int *status)
{
  if (!finished)
    kill(pid, SIGKILL);
  while (waitpid(pid, status, 0) < 0 && errno == EINTR)
    ;
  g_spawn_close_pid(pid);
  if (!finished)
    g_set_error(err, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                "gnuplot did not finish within %d s and was stopped",
                GNUPLOT_TIMEOUT_S);
  return finished;
}

/* Run gnuplot with one argument, script on its standard input, within
 * GNUPLOT_TIMEOUT_S; its standard output to out_fd (>= 0) or *out. */
static gboolean run(const char *path, const char *arg, const GString *script,
                    int out_fd, char **out, GError **err)
{
  char *argv[] = { (char *)path, (char *)arg, NULL };
  GPid pid;
  int in, pout = -1, perr, status = 0;
  if (!g_spawn_async_with_pipes_and_fds(NULL, (const char *const *)argv,
        NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, -1, out_fd, -1, NULL,
        NULL, 0, &pid, &in, out_fd >= 0 ? NULL : &pout, &perr, err))
    return FALSE;
  struct pollfd fds[3] = { { in, POLLOUT, 0 }, { pout, POLLIN, 0 },
                           { perr, POLLIN, 0 } };
  Pipes p = { fds, script, 0, g_string_new(NULL), g_string_new(NULL) };
  fcntl(in, F_SETFL, O_NONBLOCK);
  /* gnuplot may exit before reading all of its script (an error) */
  void (*old)(int) = signal(SIGPIPE, SIG_IGN);
  gboolean finished = pump(&p, g_get_monotonic_time() +
                              (gint64)GNUPLOT_TIMEOUT_S * G_USEC_PER_SEC);
  signal(SIGPIPE, old);
  for (int i = 0; i < 3; i++)
    if (p.fds[i].fd >= 0)
      close(p.fds[i].fd);
  gboolean ok = wait_child(pid, finished, err, &status);
  if (ok && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
    char *msg = gnuplot_message(p.errs->str);
    g_set_error(err, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "gnuplot failed: %s",
                *msg ? msg : "it exited with an error and said nothing");
    g_free(msg);
    ok = FALSE;
  }
  g_string_free(p.errs, TRUE);
  if (ok && out)
    *out = g_string_free(p.out, FALSE);
  else
    g_string_free(p.out, TRUE);
  return ok;
}

gboolean gnuplot_run(const Gnuplot *gp, const GString *script, int out_fd,
                     char **out, GError **err)
{
  /* -d: no private or system start-up file changes our settings */
  return run(gp->path, "-d", script, out_fd, out, err);
}

static gboolean ask_version(Gnuplot *gp, GError **err)
{
  char *out = NULL;
  GString *none = g_string_new(NULL);
  gboolean ok = run(gp->path, "--version", none, -1, &out, err);
  g_string_free(none, TRUE);
  if (!ok)
    return FALSE;
  ok = parse_version(gp, out);
  if (!ok)
    g_set_error(err, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                "%s does not say which gnuplot version it is (install the "
                "Debian package %s)", gp->path, GNUPLOT_PACKAGE);
  else if (gp->major < GNUPLOT_MIN_MAJOR) {
    g_set_error(err, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                "gnuplot %s at %s is too old: version %d or later needed "
                "(Debian package %s)", gp->version, gp->path,
                GNUPLOT_MIN_MAJOR, GNUPLOT_PACKAGE);
    ok = FALSE;
  }
  g_free(out);
  return ok;
}

gboolean gnuplot_find(Gnuplot *gp, GError **err)
{
  const char *env = g_getenv("MPTCPANALYZER_GNUPLOT");
  gboolean given = env && *env;
  memset(gp, 0, sizeof *gp);
  gp->path = g_find_program_in_path(given ? env : "gnuplot");
  if (!gp->path) {
    g_set_error(err, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT,
                "gnuplot not found%s%s: plots need it (install the Debian "
                "package %s)", given ? " at " : " in PATH", given ? env : "",
                GNUPLOT_PACKAGE);
    return FALSE;
  }
  if (!ask_version(gp, err)) {
    gnuplot_clear(gp);
    return FALSE;
  }
  return TRUE;
}
