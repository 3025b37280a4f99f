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
/* The builder's document as pretty text (g_free it); frees the builder. */
char *json_text(JsonBuilder *b);
/* Print a document whose last member, named array, is an array of n
 * objects, one object at a time: head builds every other member (the
 * array member is added empty), item builds object i. Byte for byte what
 * json_print() prints for the whole document, in memory for one object. */
void json_print_streamed(void (*head)(JsonBuilder *b, const void *user),
                         const char *array, guint n,
                         void (*item)(JsonBuilder *b, guint i, const void *user),
                         const void *user);

#endif
