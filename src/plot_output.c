/* plot_output.c - output files written through a temporary file in the
 * target folder, and the size of the terminal. */
#include "plot_output.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

gboolean output_format(const char *path, PlotFormat *format, GError **err)
{
  char *base = g_path_get_basename(path);
  const char *dot = strrchr(base, '.');
  gboolean ok = TRUE;
  if (!dot || dot == base || g_ascii_strcasecmp(dot, ".png") == 0)
    *format = OUT_PNG;
  else if (g_ascii_strcasecmp(dot, ".svg") == 0)
    *format = OUT_SVG;
  else if (g_ascii_strcasecmp(dot, ".pdf") == 0)
    *format = OUT_PDF;
  else {
    g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                "%s: unknown image format '%s' (use .png, .svg or .pdf)",
                path, dot);
    ok = FALSE;
  }
  g_free(base);
  return ok;
}

static int env_int(const char *name)
{
  const char *v = g_getenv(name);
  return v ? atoi(v) : 0;
}

void output_term_size(PlotTarget *t)
{
  struct winsize ws;
  t->format = OUT_TERM;
  t->width = 100;
  t->height = 30;
  t->colour = isatty(STDOUT_FILENO);
  if (t->colour && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
      ws.ws_col && ws.ws_row) {
    t->width = ws.ws_col;
    t->height = ws.ws_row;
  } else if (env_int("COLUMNS") > 0 && env_int("LINES") > 0) {
    t->width = env_int("COLUMNS");
    t->height = env_int("LINES");
  }
  t->width = CLAMP(t->width, 40, 400);
  t->height = CLAMP(t->height, 15, 200);
}

gboolean output_open(OutFile *o, const char *path, GError **err)
{
  char *dir = g_path_get_dirname(path), *base = g_path_get_basename(path);
  memset(o, 0, sizeof *o);
  o->path = g_strdup(path);
  o->tmp = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
  o->fd = g_mkstemp_full(o->tmp, O_RDWR | O_CLOEXEC, 0666);
  if (o->fd < 0) {
    int e = errno;
    g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(e),
                "%s: cannot write in %s: %s", path, dir, g_strerror(e));
    g_clear_pointer(&o->tmp, g_free);
    g_clear_pointer(&o->path, g_free);
  }
  g_free(dir);
  g_free(base);
  return o->fd >= 0;
}

gboolean output_commit(OutFile *o, GError **err)
{
  int e = 0;
  if (fsync(o->fd) != 0 && errno != EINVAL)
    e = errno;
  if (close(o->fd) != 0 && !e)
    e = errno;
  o->fd = -1;
  if (!e && g_rename(o->tmp, o->path) != 0)
    e = errno;
  if (e) {
    g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(e),
                "%s: cannot write: %s", o->path, g_strerror(e));
    return FALSE;
  }
  g_clear_pointer(&o->tmp, g_free);
  return TRUE;
}

void output_clear(OutFile *o)
{
  if (o->fd >= 0)
    close(o->fd);
  if (o->tmp)
    g_unlink(o->tmp);
  g_free(o->tmp);
  g_free(o->path);
  memset(o, 0, sizeof *o);
  o->fd = -1;
}

gboolean output_write_file(const char *path, const char *data, gsize len,
                           GError **err)
{
  OutFile o;
  if (!output_open(&o, path, err))
    return FALSE;
  gsize done = 0;
  while (done < len) {
    ssize_t n = write(o.fd, data + done, len - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      int e = errno;
      g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(e),
                  "%s: cannot write: %s", path, g_strerror(e));
      output_clear(&o);
      return FALSE;
    }
    done += (gsize)n;
  }
  gboolean ok = output_commit(&o, err);
  output_clear(&o);
  return ok;
}
