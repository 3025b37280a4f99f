/* output.h - making sure results reached standard output. stdout is
 * buffered, so a full disk or a closed file shows up only when the buffer
 * is flushed: after every command and at exit we flush and look at the
 * stream's error flag, and a failure becomes one line on stderr
 * ("mptcpanalyzer: write error on standard output: No space left on
 * device") and exit status 1. */
#ifndef OUTPUT_H
#define OUTPUT_H
#include <glib.h>

/* Flush stdout; 0 when everything written so far reached it, else 1 after
 * reporting the error (once per run). */
int output_check(void);
/* TRUE once a write error on stdout was reported. */
gboolean output_failed(void);
/* At exit: flush and close stdout; 0, or 1 (reported unless it already
 * was). */
int output_close(void);

#endif
