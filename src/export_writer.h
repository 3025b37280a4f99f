/* export_writer.h - writes `export` rows, one packet each, as CSV (through
 * libcsv's writer, a header line first) or JSON Lines (through json-glib,
 * one object per line). Rows go straight to the stream: nothing of the
 * output is held in memory beyond one line. */
#ifndef EXPORT_WRITER_H
#define EXPORT_WRITER_H
#include <stdio.h>
#include <json-glib/json-glib.h>
#include "export_columns.h"

typedef enum { EXPORT_CSV, EXPORT_JSONL } ExportFormat;

typedef struct {
  ExportFormat format;
  FILE *out;
  GString *line;             /* CSV: the line being built */
  JsonGenerator *gen;        /* JSON Lines */
  guint64 rows;              /* rows written, header not counted */
  gboolean peer;             /* the --peer columns too */
} ExportWriter;

void export_writer_init(ExportWriter *w, ExportFormat format, FILE *out);
/* The CSV header line (column names); nothing for JSON Lines. */
void export_writer_header(ExportWriter *w);
void export_writer_row(ExportWriter *w, const PacketView *v);
void export_writer_clear(ExportWriter *w);

/* "-12.000345000": nanoseconds as exact decimal seconds, 9 decimals,
 * never through a double; buf holds at least 32 bytes. */
void seconds_decimal(char *buf, gsize size, gint64 ns);

#endif
