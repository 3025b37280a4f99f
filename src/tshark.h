/* tshark.h - find tshark, learn its version, and run one field export.
 *
 * tshark is always started with an argument vector (never a shell), in a
 * process group of its own, with every wait bounded (tshark_run.h); its
 * standard output is handed to a sink as it arrives, and its standard
 * error is kept to report its own message if it fails. */
#ifndef TSHARK_H
#define TSHARK_H

#include <glib.h>
#include <sys/types.h>
#include "tshark_run.h"

#define TSHARK_MIN_MAJOR 3
#define TSHARK_MIN_MINOR 6

typedef struct {
  char *path;           /* absolute path of the tshark program */
  char *version;        /* "4.0.17" */
  int major, minor;
} Tshark;

/* Find tshark ($MPTCPANALYZER_TSHARK, else PATH), without starting it. */
gboolean tshark_locate(Tshark *ts, GError **err);
/* Ask a located tshark its version (tshark --version, bounded by the quick
 * run's deadline); FALSE if it is too old or mute. */
gboolean tshark_check_version(Tshark *ts, GError **err);
/* Take a version text ("4.0.17") as tshark's own answer, e.g. from the
 * version memo; FALSE (err set, naming tshark) if it is malformed or too
 * old, exactly as tshark_check_version() would say. */
gboolean tshark_accept_version(Tshark *ts, const char *version, GError **err);
void tshark_clear(Tshark *ts);

/* Run tshark with one or two arguments (--version, -G fields) and return
 * its standard output (g_free it); NULL with err when it cannot start,
 * fails or runs past its deadline ($MPTCPANALYZER_TSHARK_TIMEOUT). */
char *tshark_output(const Tshark *ts, const char *arg1, const char *arg2,
                    GError **err);

/* The argument vector of our export of capture ("-": standard input);
 * NULL-terminated, g_strfreev it. */
char **tshark_export_argv(const Tshark *ts, const char *capture);

/* What a finished export job says: TRUE when tshark succeeded, or read a
 * capture that is cut short (*truncated set: the complete packets are
 * there); else FALSE with tshark's own message in err. */
gboolean tshark_job_outcome(const TsharkJob *job, const char *capture,
                            gboolean *truncated, GError **err);

/* Prepare (tshark_job_init) the job of an export of capture ("-": its
 * standard input, to be fed); run it with tshark_run_jobs() and the
 * export limits (tshark_limits(..., FALSE)). */
void tshark_export_job(TsharkJob *job, const Tshark *ts, const char *capture,
                       TsharkSink sink, void *user);

#endif
