/* tshark_run.c - the poll loop that runs tshark jobs (see tshark_run.h).
 *
 * tshark writes 4 KiB at a time; with 1 MiB pipes and a short sleep after
 * rounds of small reads we wake up a few hundred times a second instead of
 * once per write (measured: half our CPU time), while tshark, writing at
 * most a few MB/s, never finds its pipe full. */
#define _GNU_SOURCE               /* F_SETPIPE_SZ */
#include "tshark_run.h"
#include "interrupt.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define BUF (1 << 20)
#define STDERR_KEEP 16384
#define WRITE_MAX (256 * 1024)

G_DEFINE_QUARK(tshark-run-error-quark, tshark_run_error)

static double env_seconds(const char *name, double fallback)
{
  const char *v = g_getenv(name);
  char *end;
  double d = v ? g_ascii_strtod(v, &end) : 0;
  return v && *v && *end == '\0' && d > 0 ? d : fallback;
}

void tshark_limits(TsharkLimits *l, gboolean quick)
{
  l->idle_s = quick ? 0 : env_seconds("MPTCPANALYZER_TSHARK_IDLE", 120);
  l->deadline_s = quick ? env_seconds("MPTCPANALYZER_TSHARK_TIMEOUT", 60) : 0;
  l->linger_s = 1.0;
}

void tshark_job_init(TsharkJob *j, char **argv, TsharkSink sink, void *user)
{
  memset(j, 0, sizeof *j);
  j->argv = argv;
  j->sink = sink;
  j->user = user;
  j->in_fd = j->out_fd = j->err_fd = -1;
  j->errs = g_string_new(NULL);
}

void tshark_job_clear(TsharkJob *j)
{
  g_strfreev(j->argv);
  j->argv = NULL;
  if (j->errs)
    g_string_free(j->errs, TRUE);
  j->errs = NULL;
}

static void close_fd(int *fd)
{
  if (*fd >= 0)
    close(*fd);
  *fd = -1;
}

/* In the child, before exec: a process group of its own (so that we can
 * end tshark and anything it started, and a Ctrl-C on the terminal reaches
 * us, not it), and SIGPIPE back to its default. */
static void child_setup(gpointer unused)
{
  struct sigaction sa;
  (void)unused;
  setpgid(0, 0);
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = SIG_DFL;
  sigaction(SIGPIPE, &sa, NULL);
}

static gboolean start(TsharkJob *j, GError **err)
{
  int *in = j->n_feed ? &j->in_fd : NULL;
  GSpawnFlags flags = G_SPAWN_DO_NOT_REAP_CHILD |
                      (j->n_feed ? 0 : G_SPAWN_STDIN_FROM_DEV_NULL);
  GError *local = NULL;
  if (!g_spawn_async_with_pipes(NULL, j->argv, NULL, flags, child_setup, NULL,
                                &j->pid, in, &j->out_fd, &j->err_fd, &local)) {
    g_set_error(err, TSHARK_RUN_ERROR, TSHARK_RUN_SPAWN, "cannot start %s: %s",
                j->argv[0], local->message);
    g_error_free(local);
    return FALSE;
  }
  setpgid(j->pid, j->pid);       /* also here: no race with child_setup */
  j->started = TRUE;
  j->last_io_us = g_get_monotonic_time();
  j->exit_us = j->last_io_us;    /* start time, until it exits */
  fcntl(j->out_fd, F_SETPIPE_SZ, BUF);
  if (j->in_fd >= 0) {
    fcntl(j->in_fd, F_SETPIPE_SZ, BUF);
    fcntl(j->in_fd, F_SETFL, fcntl(j->in_fd, F_GETFL) | O_NONBLOCK);
  }
  return TRUE;
}

/* Kill the job's process group (tshark itself is not reaped yet, so its
 * group id cannot have been reused) and reap tshark. */
static void finish(TsharkJob *j)
{
  close_fd(&j->in_fd);
  close_fd(&j->out_fd);
  close_fd(&j->err_fd);
  kill(-j->pid, SIGKILL);
  int status = 0;
  pid_t got;
  while ((got = waitpid(j->pid, &status, 0)) < 0 && errno == EINTR)
    ;
  if (got == j->pid)
    j->status = status;
  j->exited = TRUE;
  g_spawn_close_pid(j->pid);
  j->done = TRUE;
}

/* Did tshark exit? Leaves it unreaped (WNOWAIT) until finish(). */
static void check_exit(TsharkJob *j, gint64 now)
{
  siginfo_t info;
  memset(&info, 0, sizeof info);
  if (j->exited || waitid(P_PID, (id_t)j->pid, &info,
                          WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid == 0)
    return;
  j->exited = TRUE;
  j->exit_us = now;
  j->status = info.si_code == CLD_EXITED ? W_EXITCODE(info.si_status, 0)
                                         : info.si_status;  /* signal number */
}

/* Release the whole pages of a mapped feed written since the last time,
 * once a MiB or more is written, and at its end. */
static void release(TsharkJob *j, const TsharkFeed *f)
{
  gsize page = (gsize)sysconf(_SC_PAGESIZE);
  if (!f->mapped || (j->feed_off - j->released < (1u << 20) &&
                     j->feed_off < f->len))
    return;
  guintptr a = ((guintptr)(f->data + j->released) + page - 1) / page * page;
  guintptr b = j->feed_off == f->len
               ? ((guintptr)(f->data + f->len) + page - 1) / page * page
               : (guintptr)(f->data + j->feed_off) / page * page;
  if (b > a)
    madvise((void *)a, b - a, MADV_DONTNEED);
  j->released = j->feed_off;
}

static void feed(TsharkJob *j)
{
  while (j->in_fd >= 0 && j->feed_i < j->n_feed) {
    const TsharkFeed *f = &j->feed[j->feed_i];
    gsize left = f->len - j->feed_off;
    if (left == 0) {
      j->feed_i++;
      j->feed_off = j->released = 0;
      continue;
    }
    ssize_t w = write(j->in_fd, f->data + j->feed_off, MIN(left, WRITE_MAX));
    if (w < 0 && errno == EINTR)
      continue;
    if (w < 0 && errno == EAGAIN)
      return;
    if (w <= 0) {               /* tshark closed its input: it will say why */
      close_fd(&j->in_fd);
      return;
    }
    j->feed_off += (gsize)w;
    release(j, f);
    j->last_io_us = g_get_monotonic_time();
  }
  if (j->feed_i >= j->n_feed)
    close_fd(&j->in_fd);        /* end of its input */
}

/* Read what is ready on *fd; returns the byte count (0 at end of file,
 * which closes it). */
static gssize drain(TsharkJob *j, int *fd, char *buf, gboolean is_out)
{
  ssize_t n = read(*fd, buf, BUF);
  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return -1;
  if (n <= 0) {
    close_fd(fd);
    return 0;
  }
  j->last_io_us = g_get_monotonic_time();
  if (is_out) {
    if (j->sink)
      j->sink(buf, (gsize)n, j->user);
  } else if (j->errs->len < STDERR_KEEP) {
    g_string_append_len(j->errs, buf, n);
  }
  return n;
}

/* What a polled descriptor is: job and 0 stdin, 1 stdout, 2 stderr. */
typedef struct { TsharkJob *job; int which; } Slot;

static int gather(TsharkJob *jobs, int n, Slot *slots, struct pollfd *pfd)
{
  int k = 0;
  for (int i = 0; i < n; i++) {
    TsharkJob *j = &jobs[i];
    if (!j->started || j->done)
      continue;
    int *fds[3] = { &j->in_fd, &j->out_fd, &j->err_fd };
    for (int w = 0; w < 3; w++)
      if (*fds[w] >= 0) {
        pfd[k].fd = *fds[w];
        pfd[k].events = w == 0 ? POLLOUT : POLLIN;
        pfd[k].revents = 0;
        slots[k].job = j;
        slots[k].which = w;
        k++;
      }
  }
  return k;
}

/* Serve the ready descriptors; TRUE when a read was large (no nap). */
static gboolean serve(const Slot *slots, const struct pollfd *pfd, int k,
                      char *buf, gboolean *any_read)
{
  gboolean big = FALSE;
  for (int s = 0; s < k; s++) {
    TsharkJob *j = slots[s].job;
    if (!pfd[s].revents)
      continue;
    if (slots[s].which == 0) {
      if (pfd[s].revents & (POLLERR | POLLHUP))
        close_fd(&j->in_fd);
      else
        feed(j);
      continue;
    }
    int *fd = slots[s].which == 1 ? &j->out_fd : &j->err_fd;
    if (*fd < 0)
      continue;
    gssize got = drain(j, fd, buf, slots[s].which == 1);
    if (got > 0)
      *any_read = TRUE;
    if (got >= BUF / 8)
      big = TRUE;
  }
  return big;
}

/* Update a running job; returns a timeout message or NULL. */
static char *watch(TsharkJob *j, const TsharkLimits *lim, gint64 now,
                   gint64 started_us)
{
  check_exit(j, now);
  if (j->exited) {
    gint64 quiet = now - MAX(j->exit_us, j->last_io_us);
    if ((j->out_fd < 0 && j->err_fd < 0) || quiet > lim->linger_s * 1e6)
      finish(j);
    return NULL;
  }
  if (lim->idle_s > 0 && now - j->last_io_us > lim->idle_s * 1e6)
    return g_strdup_printf("tshark (%s) produced no output for %g s; "
                           "stopped it", j->argv[0], lim->idle_s);
  if (lim->deadline_s > 0 && now - started_us > lim->deadline_s * 1e6)
    return g_strdup_printf("tshark (%s %s) did not finish within %g s; "
                           "stopped it", j->argv[0], j->argv[1] ? j->argv[1]
                           : "", lim->deadline_s);
  return NULL;
}

static void stop_all(TsharkJob *jobs, int n)
{
  for (int i = 0; i < n; i++)
    if (jobs[i].started && !jobs[i].done)
      finish(&jobs[i]);
}

typedef struct {
  TsharkJob *jobs;
  int n, max_running, next;
  const TsharkLimits *lim;
  Slot *slots;
  struct pollfd *pfd;
  char *buf;
  gint64 *start_us;            /* per job */
} Loop;

static int running(const Loop *L)
{
  int r = 0;
  for (int i = 0; i < L->next; i++)
    r += !L->jobs[i].done;
  return r;
}

/* Is a job done with its pipes but not yet seen to exit? Then we look
 * again within milliseconds, not at the next quarter second. */
static gboolean closing(const Loop *L)
{
  for (int i = 0; i < L->next; i++) {
    const TsharkJob *j = &L->jobs[i];
    if (!j->done && !j->exited && j->out_fd < 0 && j->err_fd < 0)
      return TRUE;
  }
  return FALSE;
}

/* One round: start what may start, poll, serve, watch. Returns FALSE with
 * err on a failure; *all_done when nothing is left. */
static gboolean round_once(Loop *L, gboolean *all_done, GError **err)
{
  while (L->next < L->n && running(L) < L->max_running) {
    L->start_us[L->next] = g_get_monotonic_time();
    if (!start(&L->jobs[L->next], err))
      return FALSE;
    L->next++;
  }
  if (L->next == L->n && running(L) == 0) {
    *all_done = TRUE;
    return TRUE;
  }
  int k = gather(L->jobs, L->n, L->slots, L->pfd);
  int r = poll(L->pfd, (nfds_t)k, closing(L) ? 2 : 250);
  gboolean any_read = FALSE, big = FALSE;
  if (r > 0)
    big = serve(L->slots, L->pfd, k, L->buf, &any_read);
  gint64 now = g_get_monotonic_time();
  for (int i = 0; i < L->next; i++) {
    if (L->jobs[i].done)
      continue;
    char *msg = watch(&L->jobs[i], L->lim, now, L->start_us[i]);
    if (msg) {
      g_set_error_literal(err, TSHARK_RUN_ERROR, TSHARK_RUN_TIMEOUT, msg);
      g_free(msg);
      return FALSE;
    }
  }
  if (any_read && !big)
    g_usleep(5000);
  return TRUE;
}

gboolean tshark_run_jobs(TsharkJob *jobs, int n, int max_running,
                         const TsharkLimits *lim, TsharkTick tick,
                         void *tick_user, const gboolean *abort,
                         GError **err)
{
  struct sigaction ign, old_pipe;
  memset(&ign, 0, sizeof ign);
  ign.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ign, &old_pipe);  /* a dead tshark's stdin: EPIPE */
  interrupt_catch();
  Loop L = { jobs, n, MAX(1, max_running), 0, lim,
             g_new0(Slot, 3 * (gsize)n + 1),
             g_new0(struct pollfd, 3 * (gsize)n + 1), g_malloc(BUF),
             g_new0(gint64, (gsize)n + 1) };
  gint64 next_tick = g_get_monotonic_time() + 250000;
  gboolean ok = TRUE, all_done = FALSE;
  while (ok && !all_done) {
    if (interrupt_pending()) {
      interrupt_clear();                 /* this Ctrl-C is answered */
      g_set_error_literal(err, TSHARK_RUN_ERROR, TSHARK_RUN_INTERRUPTED,
                          "interrupted");
      ok = FALSE;
    } else if (abort && *abort) {
      g_set_error_literal(err, TSHARK_RUN_ERROR, TSHARK_RUN_ABORTED,
                          "stopped");
      ok = FALSE;
    } else {
      ok = round_once(&L, &all_done, err);
    }
    if (ok && tick && g_get_monotonic_time() >= next_tick) {
      tick(tick_user);
      next_tick = g_get_monotonic_time() + 250000;
    }
  }
  if (!ok)
    stop_all(jobs, n);
  g_free(L.slots);
  g_free(L.pfd);
  g_free(L.buf);
  g_free(L.start_us);
  interrupt_release();
  sigaction(SIGPIPE, &old_pipe, NULL);
  return ok;
}
