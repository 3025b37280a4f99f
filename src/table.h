/* table.h - aligned text tables for human output. Cells are copied; a
 * column aligned 'r' is right-aligned (numbers), 'l' left-aligned. */
#ifndef TABLE_H
#define TABLE_H
#include <glib.h>
#include <stdio.h>

typedef struct {
  int ncols;
  char *align;
  GPtrArray *cells;   /* char*, row-major, headers first */
} Table;

Table *table_new(const char *align, ...) G_GNUC_NULL_TERMINATED;
/* Add the next cell (rows fill left to right), printf-style. */
void table_add(Table *t, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void table_print(const Table *t, FILE *out, const char *indent);
void table_free(Table *t);

#endif
