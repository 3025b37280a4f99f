/* table.c - aligned text tables. */
#include "table.h"
#include <stdarg.h>
#include <string.h>

Table *table_new(const char *align, ...)
{
  va_list ap;
  Table *t = g_new0(Table, 1);
  t->align = g_strdup(align);
  t->ncols = (int)strlen(align);
  t->cells = g_ptr_array_new_with_free_func(g_free);
  va_start(ap, align);
  for (int i = 0; i < t->ncols; i++)
    g_ptr_array_add(t->cells, g_strdup(va_arg(ap, const char *)));
  va_end(ap);
  return t;
}

void table_add(Table *t, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_ptr_array_add(t->cells, g_strdup_vprintf(fmt, ap));
  va_end(ap);
}

void table_print(const Table *t, FILE *out, const char *indent)
{
  int *w = g_new0(int, t->ncols);
  guint rows = t->cells->len / (guint)t->ncols;
  for (guint i = 0; i < t->cells->len; i++) {
    int len = (int)g_utf8_strlen(g_ptr_array_index(t->cells, i), -1);
    if (len > w[i % t->ncols]) w[i % t->ncols] = len;
  }
  for (guint r = 0; r < rows; r++) {
    fputs(indent ? indent : "", out);
    for (int c = 0; c < t->ncols; c++) {
      const char *s = g_ptr_array_index(t->cells, r * t->ncols + c);
      gboolean last = c == t->ncols - 1;
      int pad = w[c] - (int)g_utf8_strlen(s, -1);
      if (t->align[c] == 'r') fprintf(out, "%*s%s", pad, "", s);
      else fprintf(out, "%s%*s", s, last ? 0 : pad, "");
      fputs(last ? "\n" : "  ", out);
    }
  }
  g_free(w);
}

void table_free(Table *t)
{
  g_ptr_array_free(t->cells, TRUE);
  g_free(t->align);
  g_free(t);
}
