/* session.h - what lives across commands: the loaded capture, the tshark
 * found, the options given on the command line. One per process, passed
 * explicitly to every command. */
#ifndef SESSION_H
#define SESSION_H

#include "capture.h"
#include "load.h"
#include "tshark.h"

typedef struct {
  Capture *cap;          /* the loaded capture, or NULL */
  Tshark tshark;         /* path valid when have_tshark */
  gboolean have_tshark;
  gboolean tshark_checked;  /* its version was checked */
  LoadOptions load;
  char *load_note;       /* how the last tshark load ran, for --stats */
  gboolean json;         /* --json given before the command */
  gboolean quit;         /* a command asked to stop */
} Session;

void session_init(Session *s);
void session_clear(Session *s);
/* Find tshark and know its version, once per session: from the version
 * memo in the cache folder when it holds one for this very binary (no
 * process started), else by asking tshark (and remembering the answer).
 * fresh: always ask tshark (checkhealth). */
gboolean session_tshark(Session *s, gboolean fresh, GError **err);
/* Load path, from the cache or with tshark, and finish the model; the
 * caller owns the result (capture_free). For a second capture. */
Capture *session_open(Session *s, const char *path, GError **err);
/* session_open(), then make it the loaded capture (the previous one is
 * kept if loading fails). */
gboolean session_load(Session *s, const char *path, GError **err);
/* Print "mptcpanalyzer: MESSAGE" on stderr; returns 1 (an exit status). */
int report_error(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

#endif
