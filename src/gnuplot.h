/* gnuplot.h - find gnuplot, ask its version, and run one script.
 *
 * gnuplot is the second external program, started like tshark: with an
 * argument vector (never a shell). The script, with its data as inline
 * data blocks, goes to gnuplot's standard input through a pipe, so no
 * temporary file is needed for it; the picture comes back on gnuplot's
 * standard output, into a file descriptor the caller chose or into
 * memory. Its standard error is kept to report its own message in one
 * line if it fails, and a run that takes too long is killed. */
#ifndef GNUPLOT_H
#define GNUPLOT_H

#include <glib.h>

#define GNUPLOT_PACKAGE "gnuplot-nox"   /* the Debian package to install */
#define GNUPLOT_MIN_MAJOR 5             /* data blocks need gnuplot 5 */
#define GNUPLOT_TIMEOUT_S 120           /* a run is killed after this */

typedef struct {
  char *path;           /* absolute path of the gnuplot program */
  char *version;        /* "5.4.4" */
  int major, minor;
} Gnuplot;

/* Find gnuplot ($MPTCPANALYZER_GNUPLOT, else PATH) and check that it is
 * gnuplot 5 or later; the error names the Debian package to install. */
gboolean gnuplot_find(Gnuplot *gp, GError **err);
void gnuplot_clear(Gnuplot *gp);

/* Run script. Its standard output goes to out_fd when out_fd >= 0, else
 * into *out (a new string the caller frees). FALSE with gnuplot's own
 * message, on one line, when it fails or times out. */
gboolean gnuplot_run(const Gnuplot *gp, const GString *script, int out_fd,
                     char **out, GError **err);

#endif
