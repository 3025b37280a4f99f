/* export_writer.c - CSV and JSON Lines rows from the column table. In CSV,
 * numbers are written bare (they never need quoting) and every text field
 * goes through libcsv's csv_write(), which quotes it (the quoting style of
 * Python's csv.QUOTE_NONNUMERIC); an unknown value is an empty field. */
#include "export_writer.h"
#include <csv.h>
#include <string.h>

void seconds_decimal(char *buf, gsize size, gint64 ns)
{
  guint64 a = ns < 0 ? (guint64)0 - (guint64)ns : (guint64)ns;
  g_snprintf(buf, size, "%s%" G_GUINT64_FORMAT ".%09u", ns < 0 ? "-" : "",
             a / 1000000000u, (unsigned)(a % 1000000000u));
}

void export_writer_init(ExportWriter *w, ExportFormat format, FILE *out)
{
  memset(w, 0, sizeof *w);
  w->format = format;
  w->out = out;
  w->line = g_string_sized_new(256);
  if (format == EXPORT_JSONL)
    w->gen = json_generator_new();
}

void export_writer_clear(ExportWriter *w)
{
  g_string_free(w->line, TRUE);
  if (w->gen)
    g_object_unref(w->gen);
}

/* A text field, quoted by libcsv. */
static void csv_text(GString *line, const char *text)
{
  gsize len = strlen(text), room = 2 * len + 2, at = line->len;
  g_string_set_size(line, at + room);
  gsize n = csv_write(line->str + at, room, text, len);
  g_string_set_size(line, at + n);
}

static void csv_value(GString *line, const Value *v)
{
  char buf[32];
  switch (v->kind) {
  case VAL_EMPTY:
    break;
  case VAL_UINT:
  case VAL_BOOL:
    g_string_append_printf(line, "%" G_GUINT64_FORMAT, v->u);
    break;
  case VAL_TEXT:
    csv_text(line, v->text);
    break;
  case VAL_EPOCH:
  case VAL_SECONDS:
    seconds_decimal(buf, sizeof buf, v->ns);
    g_string_append(line, buf);
    break;
  case VAL_FRAMES: {
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < v->frames->len; i++)
      g_string_append_printf(s, i ? " %u" : "%u",
                             g_array_index(v->frames, guint32, i));
    csv_text(line, s->str);
    g_string_free(s, TRUE);
    break;
  }
  }
}

void export_writer_header(ExportWriter *w)
{
  if (w->format != EXPORT_CSV)
    return;
  g_string_truncate(w->line, 0);
  for (const ExportColumn *c = export_columns; c->name; c++) {
    if (c->peer && !w->peer)
      continue;
    if (c != export_columns)
      g_string_append_c(w->line, ',');
    csv_text(w->line, c->name);
  }
  g_string_append_c(w->line, '\n');
  fwrite(w->line->str, 1, w->line->len, w->out);
}

static void json_value(JsonObject *o, const char *name, const Value *v)
{
  char buf[32];
  switch (v->kind) {
  case VAL_EMPTY:
    json_object_set_null_member(o, name);
    break;
  case VAL_UINT:
    json_object_set_int_member(o, name, (gint64)v->u);
    break;
  case VAL_BOOL:
    json_object_set_boolean_member(o, name, v->u != 0);
    break;
  case VAL_TEXT:
    json_object_set_string_member(o, name, v->text);
    break;
  case VAL_EPOCH:
    seconds_decimal(buf, sizeof buf, v->ns);
    json_object_set_string_member(o, name, buf);
    break;
  case VAL_SECONDS:
    json_object_set_double_member(o, name, (double)v->ns / 1e9);
    break;
  case VAL_FRAMES: {
    JsonArray *a = json_array_sized_new(v->frames->len);
    for (guint i = 0; i < v->frames->len; i++)
      json_array_add_int_element(a, g_array_index(v->frames, guint32, i));
    json_object_set_array_member(o, name, a);
    break;
  }
  }
}

static void row_csv(ExportWriter *w, const PacketView *pv)
{
  g_string_truncate(w->line, 0);
  for (const ExportColumn *c = export_columns; c->name; c++) {
    Value v = { .kind = VAL_EMPTY };
    if (c->peer && !w->peer)
      continue;
    c->get(pv, &v);
    if (c != export_columns)
      g_string_append_c(w->line, ',');
    csv_value(w->line, &v);
  }
  g_string_append_c(w->line, '\n');
  fwrite(w->line->str, 1, w->line->len, w->out);
}

static void row_json(ExportWriter *w, const PacketView *pv)
{
  JsonObject *o = json_object_new();
  for (const ExportColumn *c = export_columns; c->name; c++) {
    Value v = { .kind = VAL_EMPTY };
    if (c->peer && !w->peer)
      continue;
    c->get(pv, &v);
    json_value(o, c->name, &v);
  }
  JsonNode *root = json_node_init_object(json_node_alloc(), o);
  json_object_unref(o);
  json_generator_set_root(w->gen, root);
  gsize len;
  char *text = json_generator_to_data(w->gen, &len);
  fwrite(text, 1, len, w->out);
  fputc('\n', w->out);
  g_free(text);
  json_node_unref(root);
}

void export_writer_row(ExportWriter *w, const PacketView *v)
{
  if (w->format == EXPORT_CSV)
    row_csv(w, v);
  else
    row_json(w, v);
  w->rows++;
}
