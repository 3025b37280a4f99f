/* json_out.h - small helpers over json-glib's JsonBuilder for the --json
 * output of every command: one member per call, and printing the result. */
#ifndef JSON_OUT_H
#define JSON_OUT_H
#include <json-glib/json-glib.h>

void json_int(JsonBuilder *b, const char *name, gint64 v);
void json_uint64_str(JsonBuilder *b, const char *name, guint64 v);
void json_str(JsonBuilder *b, const char *name, const char *v);
void json_double(JsonBuilder *b, const char *name, double v);
void json_bool(JsonBuilder *b, const char *name, gboolean v);
void json_null(JsonBuilder *b, const char *name);
/* seconds since the epoch, from nanoseconds */
void json_time(JsonBuilder *b, const char *name, gint64 ns);
/* Print the builder's document on stdout and free the builder. */
void json_print(JsonBuilder *b);

#endif
