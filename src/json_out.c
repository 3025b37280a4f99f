/* json_out.c - JSON output helpers. */
#include "json_out.h"
#include <stdio.h>

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

void json_print(JsonBuilder *b)
{
  JsonNode *root = json_builder_get_root(b);
  JsonGenerator *g = json_generator_new();
  json_generator_set_pretty(g, TRUE);
  json_generator_set_root(g, root);
  char *text = json_generator_to_data(g, NULL);
  puts(text);             /* flushed and checked after the command */
  g_free(text);
  g_object_unref(g);
  json_node_unref(root);
  g_object_unref(b);
}
