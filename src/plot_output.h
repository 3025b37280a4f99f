/* plot_output.h - where a plot goes: the format from the file name, the
 * terminal's size for --term, and files written whole or not at all
 * (a temporary file in the target folder, renamed when complete, removed
 * on failure). */
#ifndef PLOT_OUTPUT_H
#define PLOT_OUTPUT_H
#include "plot.h"

/* The format a file name asks for: .png (also no extension), .svg, .pdf;
 * FALSE (error set) for another extension. */
gboolean output_format(const char *path, PlotFormat *format, GError **err);
/* Size and colours for gnuplot's text terminal: the terminal on standard
 * output, else $COLUMNS x $LINES, else 100 x 30. */
void output_term_size(PlotTarget *t);

typedef struct {
  char *path;          /* the file asked for */
  char *tmp;           /* the temporary file beside it, NULL when done */
  int fd;
} OutFile;

/* Create the temporary file beside path; FALSE (error names path, o
 * needs no clearing) when its folder cannot be written. */
gboolean output_open(OutFile *o, const char *path, GError **err);
/* Flush and rename the temporary file to its path. */
gboolean output_commit(OutFile *o, GError **err);
/* Remove the temporary file (if still there) and free o. */
void output_clear(OutFile *o);
/* output_open + write + output_commit. */
gboolean output_write_file(const char *path, const char *data, gsize len,
                           GError **err);

void plot_format_value(GString *s, char fmt, double v);

#endif
