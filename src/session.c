/* session.c - the state shared by the commands of one run. */
#include "session.h"
#include <stdarg.h>
#include <string.h>

void session_init(Session *s)
{
  memset(s, 0, sizeof *s);
}

void session_clear(Session *s)
{
  capture_free(s->cap);
  s->cap = NULL;
  if (s->have_tshark)
    tshark_clear(&s->tshark);
  s->have_tshark = FALSE;
}

gboolean session_tshark(Session *s, GError **err)
{
  if (!s->have_tshark)
    s->have_tshark = tshark_find(&s->tshark, err);
  return s->have_tshark;
}

gboolean session_load(Session *s, const char *path, GError **err)
{
  if (!capture_file_check(path, err) || !session_tshark(s, err))
    return FALSE;
  Capture *c = capture_load(path, &s->tshark, &s->load, err);
  if (!c)
    return FALSE;
  capture_free(s->cap);
  s->cap = c;
  return TRUE;
}

int report_error(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_printerr("mptcpanalyzer: %s\n", msg);
  g_free(msg);
  return 1;
}
