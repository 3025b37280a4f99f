/* json_out.c - JSON output helpers. */
#include "json_out.h"
#include <stdio.h>
#include <string.h>

void json_int(JsonBuilder *b, const char *name, gint64 v)
{
  json_builder_set_member_name(b, name);
  json_builder_add_int_value(b, v);
}

void json_uint64_str(JsonBuilder *b, const char *name, guint64 v)
{
  char buf[24];
  g_snprintf(buf, sizeof buf, "%" G_GUINT64_FORMAT, v);
  json_str(b, name, buf);
}

/* JSON text must be UTF-8: a file name need not be. Bytes that are not
 * UTF-8 become U+FFFD (the replacement character). */
void json_str(JsonBuilder *b, const char *name, const char *v)
{
  json_builder_set_member_name(b, name);
  if (g_utf8_validate(v, -1, NULL)) {
    json_builder_add_string_value(b, v);
    return;
  }
  char *valid = g_utf8_make_valid(v, -1);
  json_builder_add_string_value(b, valid);
  g_free(valid);
}

void json_double(JsonBuilder *b, const char *name, double v)
{
  json_builder_set_member_name(b, name);
  json_builder_add_double_value(b, v);
}

void json_bool(JsonBuilder *b, const char *name, gboolean v)
{
  json_builder_set_member_name(b, name);
  json_builder_add_boolean_value(b, v);
}

void json_null(JsonBuilder *b, const char *name)
{
  json_builder_set_member_name(b, name);
  json_builder_add_null_value(b);
}

void json_time(JsonBuilder *b, const char *name, gint64 ns)
{
  json_double(b, name, (double)(ns / 1000000000) +
                       (double)(ns % 1000000000) / 1e9);
}

char *json_text(JsonBuilder *b)
{
  JsonNode *root = json_builder_get_root(b);
  JsonGenerator *g = json_generator_new();
  json_generator_set_pretty(g, TRUE);
  json_generator_set_root(g, root);
  char *text = json_generator_to_data(g, NULL);
  g_object_unref(g);
  json_node_unref(root);
  g_object_unref(b);
  return text;
}

void json_print(JsonBuilder *b)
{
  char *text = json_text(b);
  puts(text);             /* flushed and checked after the command */
  g_free(text);
}

/* text with every line but the first indented by n spaces (json-glib
 * indents nested values by 2 per level) */
static void put_indented(const char *text, int n)
{
  for (const char *p = text; *p; ) {
    const char *nl = strchr(p, '\n');
    gsize len = nl ? (gsize)(nl - p + 1) : strlen(p);
    if (p != text)
      printf("%*s", n, "");
    fwrite(p, 1, len, stdout);
    p += len;
  }
}

void json_print_streamed(void (*head)(JsonBuilder *b, const void *user),
                         const char *array, guint n,
                         void (*item)(JsonBuilder *b, guint i, const void *user),
                         const void *user)
{
  JsonBuilder *b = json_builder_new();
  json_builder_begin_object(b);
  head(b, user);
  json_builder_set_member_name(b, array);
  json_builder_begin_array(b);
  json_builder_end_array(b);
  json_builder_end_object(b);
  char *doc = json_text(b);
  const char *empty = g_strrstr(doc, "[]");   /* the last member's value */
  fwrite(doc, 1, (gsize)(empty - doc) + 1, stdout);
  for (guint i = 0; i < n; i++) {
    JsonBuilder *ib = json_builder_new();
    item(ib, i, user);
    char *text = json_text(ib);
    fputs(i ? ",\n    " : "\n    ", stdout);
    put_indented(text, 4);
    g_free(text);
  }
  fputs(n ? "\n  " : "", stdout);
  puts(empty + 1);
  g_free(doc);
}
