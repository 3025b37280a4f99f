/* outfile.h - an output file that appears whole or not at all: written to
 * a temporary file beside it and renamed when complete, removed on any
 * error. "-" or NULL is standard output, and an existing file that is not
 * a regular file (a pipe, /dev/stdout, a device) is written as it goes. */
#ifndef OUTFILE_H
#define OUTFILE_H
#include <stdio.h>
#include <glib.h>

typedef struct {
  FILE *f;            /* write here */
  char *path;         /* the file asked for; NULL for standard output */
  char *tmp;          /* the temporary file beside it; NULL when written
                         directly */
} OutFile;

/* FALSE with err (naming the file) when it cannot be created. */
gboolean outfile_open(OutFile *o, const char *path, GError **err);
/* Finish: with ok, flush and check every write, then rename into place;
 * without ok (or on a write error) remove the temporary file. FALSE with
 * err when something failed. */
gboolean outfile_close(OutFile *o, gboolean ok, GError **err);

#endif
