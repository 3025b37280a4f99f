/* tshark_run.h - start tshark processes and move their data, with every
 * wait bounded.
 *
 * A job is one tshark: started with an argument vector (never a shell) in a
 * process group of its own, fed on standard input from memory (or reading
 * /dev/null), its standard output handed to a sink as it arrives, its
 * standard error kept for its message. One poll loop serves all jobs at
 * once. A job ends when tshark exited and its pipes closed, or stayed quiet
 * for a moment after it exited (a grandchild holding a pipe does not keep
 * us waiting). A tshark that stays silent too long, a run past its deadline,
 * a Ctrl-C (interrupt.h) or the caller's abort flag end every job started:
 * their process groups are killed before they are reaped. */
#ifndef TSHARK_RUN_H
#define TSHARK_RUN_H

#include <glib.h>

/* Called with each chunk of a job's standard output. */
typedef void (*TsharkSink)(const char *data, gsize len, void *user);
/* Called about four times a second while jobs run. */
typedef void (*TsharkTick)(void *user);

/* Bytes for a job's standard input. mapped: they lie in a read-only file
 * mapping, whose pages are released (madvise) once written, so that
 * feeding a large file does not keep it resident in our memory. */
typedef struct { const guint8 *data; gsize len; gboolean mapped; } TsharkFeed;

typedef struct {
  /* set by the caller */
  char **argv;                 /* NULL-terminated; the job frees it */
  TsharkFeed feed[2];          /* standard input, in order; n_feed 0: none */
  int n_feed;
  TsharkSink sink;
  void *user;
  /* state, read by the caller after the run */
  GPid pid;                    /* 0 until started */
  gboolean started, exited, done;
  int status;                  /* wait status, valid when exited */
  GString *errs;               /* the start of its standard error */
  /* private */
  int in_fd, out_fd, err_fd, feed_i;
  gsize feed_off, released;
  gint64 last_io_us, exit_us;
} TsharkJob;

typedef struct {
  double idle_s;      /* a running tshark silent this long is stopped; 0: no limit */
  double deadline_s;  /* a job running this long is stopped; 0: no limit */
  double linger_s;    /* after tshark exited, read while output flows this long */
} TsharkLimits;

/* The limits of a field export (idle limit from $MPTCPANALYZER_TSHARK_IDLE,
 * default 120 s) or of a quick run such as --version (deadline from
 * $MPTCPANALYZER_TSHARK_TIMEOUT, default 60 s). */
void tshark_limits(TsharkLimits *l, gboolean quick);

#define TSHARK_RUN_ERROR (tshark_run_error_quark())
GQuark tshark_run_error_quark(void);
typedef enum {
  TSHARK_RUN_SPAWN,        /* could not start tshark */
  TSHARK_RUN_TIMEOUT,      /* silent or past its deadline: stopped */
  TSHARK_RUN_INTERRUPTED,  /* Ctrl-C */
  TSHARK_RUN_ABORTED       /* the caller's abort flag */
} TsharkRunError;

void tshark_job_init(TsharkJob *j, char **argv, TsharkSink sink, void *user);
void tshark_job_clear(TsharkJob *j);

/* Run the jobs, starting them in array order with at most max_running at
 * once, until each is done. *abort (may be NULL) set by a sink or tick
 * stops them all. FALSE with err (TSHARK_RUN_ERROR) when a job could not
 * start, timed out, or the run was interrupted or aborted; every tshark
 * started has then been killed and reaped. TRUE says nothing about
 * tshark's own exit status: see the jobs. */
gboolean tshark_run_jobs(TsharkJob *jobs, int n, int max_running,
                         const TsharkLimits *lim, TsharkTick tick,
                         void *tick_user, const gboolean *abort,
                         GError **err);

#endif
