/* script.c - split a script into command lines (see script.h). */
#include "script.h"

void script_reader_init(ScriptReader *r, FILE *in)
{
  r->in = in;
  r->line = g_string_new(NULL);
  r->lineno = 0;
  r->skip_lf = FALSE;
  r->started = FALSE;
}

void script_reader_clear(ScriptReader *r)
{
  g_string_free(r->line, TRUE);
  r->line = NULL;
}

/* Drop a UTF-8 byte order mark at the very start of the input. */
static void skip_bom(ScriptReader *r)
{
  static const unsigned char bom[3] = { 0xef, 0xbb, 0xbf };
  int c, n = 0;
  r->started = TRUE;
  while (n < 3 && (c = getc(r->in)) != EOF) {
    if ((unsigned char)c != bom[n]) {
      ungetc(c, r->in);
      break;
    }
    n++;
  }
  /* a partial mark is text: put back what was taken (at most 2 bytes, of
   * which only the last can be pushed back, so keep them in the line) */
  for (int i = 0; i < n && n < 3; i++)
    g_string_append_c(r->line, (char)bom[i]);
}

ScriptStatus script_next_line(ScriptReader *r)
{
  gboolean nul = FALSE, any = FALSE;
  int c;
  g_string_truncate(r->line, 0);
  if (!r->started)
    skip_bom(r);
  any = r->line->len > 0;
  while ((c = getc(r->in)) != EOF) {
    if (r->skip_lf) {
      r->skip_lf = FALSE;
      if (c == '\n')
        continue;
    }
    any = TRUE;
    if (c == '\n' || c == '\r') {
      r->skip_lf = c == '\r';
      break;
    }
    if (c == '\0')
      nul = TRUE;
    else
      g_string_append_c(r->line, (char)c);
  }
  if (!any)
    return SCRIPT_END;
  r->lineno++;
  return nul ? SCRIPT_NUL : SCRIPT_LINE;
}
