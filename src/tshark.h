/* tshark.h - find tshark, check its version, and run one field export.
 *
 * tshark is always started with an argument vector (never a shell), its
 * standard output is handed to a sink as it arrives, and its standard error
 * is kept to report its own message if it fails. */
#ifndef TSHARK_H
#define TSHARK_H

#include <glib.h>
#include <sys/types.h>

#define TSHARK_MIN_MAJOR 3
#define TSHARK_MIN_MINOR 6

typedef struct {
  char *path;           /* absolute path of the tshark program */
  char *version;        /* "4.0.17" */
  int major, minor;
} Tshark;

/* Called with each chunk of tshark's standard output. */
typedef void (*TsharkSink)(const char *data, gsize len, void *user);
/* Called about four times a second while tshark runs. */
typedef void (*TsharkTick)(GPid pid, void *user);

/* Find tshark ($MPTCPANALYZER_TSHARK, else PATH), without starting it. */
gboolean tshark_locate(Tshark *ts, GError **err);
/* Ask a located tshark its version; FALSE if it is too old or mute. */
gboolean tshark_check_version(Tshark *ts, GError **err);
void tshark_clear(Tshark *ts);

/* The argument vector of our export (NULL-terminated, g_strfreev it). */
char **tshark_export_argv(const Tshark *ts, const char *capture);

/* Run the export; TRUE on success. *truncated is set when tshark read a
 * capture that is cut short (a success: the complete packets are there). */
gboolean tshark_export(const Tshark *ts, const char *capture, TsharkSink sink,
                       TsharkTick tick, void *user, gboolean *truncated,
                       GError **err);

#endif
