/* row_reader.h - split tshark's tab-separated output into rows with libcsv,
 * chunk by chunk as it comes off the pipe, and hand each decoded TCP row
 * to a callback. */
#ifndef ROW_READER_H
#define ROW_READER_H

#include <csv.h>
#include "row.h"

#define ROW_TEXT_MAX 4096
/* A line of tshark's output longer than this is no row of ours (ours are
 * under 1 KiB): it is cut there, before libcsv (which would buffer all of
 * it, a 1 GiB line in 1 GiB of memory), and counted as unreadable. */
#define ROW_LINE_MAX 65536

typedef void (*RowCallback)(const Row *row, void *user);
/* Called with the text fields of every row, before it is decoded
 * (fields NULL and nfields -1 for a row too long to keep). */
typedef void (*RowFieldsCallback)(const char *const *fields, int nfields,
                                  void *user);

typedef struct {
  struct csv_parser csv;
  char text[ROW_TEXT_MAX];     /* the current row's fields, NUL-separated */
  int used, nfields, offsets[N_FIELDS];
  gboolean overflow, finished;
  gsize line_len;              /* bytes of the current line fed so far */
  gboolean skipping;           /* dropping the rest of an overlong line */
  guint64 rows, bad_rows;
  RowCallback cb;
  RowFieldsCallback fields_cb;   /* optional */
  guint32 frame_offset;          /* added to each row's frame number */
  void *user;
  Row row;
} RowReader;

void row_reader_init(RowReader *rr, RowCallback cb, void *user);
void row_reader_feed(RowReader *rr, const char *data, gsize len);
/* Flushes a last unterminated row and frees the parser; again: nothing. */
void row_reader_finish(RowReader *rr);

#endif
