/* script.h - reading the command lines of a script (-f FILE, or standard
 * input): lines may end with LF, CR LF or a lone CR (old Mac editors), a
 * UTF-8 byte order mark before the first line is dropped, and a line
 * holding a NUL byte is an error, never silently cut short. Lines are
 * returned as soon as their end arrives, so a program feeding commands
 * through a pipe gets each answer before it sends the next line. */
#ifndef SCRIPT_H
#define SCRIPT_H
#include <glib.h>
#include <stdio.h>

typedef struct {
  FILE *in;
  GString *line;
  int lineno;            /* of the line last returned, from 1 */
  gboolean skip_lf;      /* the last line ended with CR: a LF next is its */
  gboolean started;      /* past the (optional) byte order mark */
} ScriptReader;

typedef enum { SCRIPT_LINE, SCRIPT_END, SCRIPT_NUL } ScriptStatus;

void script_reader_init(ScriptReader *r, FILE *in);
void script_reader_clear(ScriptReader *r);
/* The next line, without its end, in r->line->str; SCRIPT_NUL when it holds
 * a NUL byte (r->lineno names it); SCRIPT_END at the end of the input. */
ScriptStatus script_next_line(ScriptReader *r);

#endif
