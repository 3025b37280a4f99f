/* outfile.c - atomic output files (mkstemp beside the target, rename). */
#include "outfile.h"
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A pipe or a device: no temporary file, no rename. */
static gboolean open_direct(OutFile *o, GError **err)
{
  if (g_file_test(o->path, G_FILE_TEST_IS_DIR))
    errno = EISDIR;
  else if ((o->f = fopen(o->path, "w")))
    return TRUE;
  int e = errno;
  g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(e),
              "%s: cannot create: %s", o->path, g_strerror(e));
  g_clear_pointer(&o->path, g_free);
  return FALSE;
}

gboolean outfile_open(OutFile *o, const char *path, GError **err)
{
  memset(o, 0, sizeof *o);
  if (!path || strcmp(path, "-") == 0) {
    o->f = stdout;
    return TRUE;
  }
  o->path = g_strdup(path);
  if (g_file_test(path, G_FILE_TEST_EXISTS) &&
      !g_file_test(path, G_FILE_TEST_IS_REGULAR))
    return open_direct(o, err);
  o->tmp = g_strdup_printf("%s.XXXXXX", path);
  int fd = g_mkstemp(o->tmp);
  if (fd < 0) {
    int e = errno;
    g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(e),
                "%s: cannot create: %s", path, g_strerror(e));
    g_clear_pointer(&o->tmp, g_free);
    g_clear_pointer(&o->path, g_free);
    return FALSE;
  }
  mode_t mask = umask(0);                /* mkstemp made it 0600 */
  umask(mask);
  if (fchmod(fd, 0666 & ~mask) != 0 || !(o->f = fdopen(fd, "w"))) {
    int e = errno;
    g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(e),
                "%s: cannot create: %s", path, g_strerror(e));
    close(fd);
    unlink(o->tmp);
    g_clear_pointer(&o->tmp, g_free);
    g_clear_pointer(&o->path, g_free);
    return FALSE;
  }
  return TRUE;
}

gboolean outfile_close(OutFile *o, gboolean ok, GError **err)
{
  const char *name = o->path ? o->path : "standard output";
  int e = 0;
  errno = 0;
  if (fflush(o->f) != 0 || ferror(o->f))
    e = errno ? errno : EIO;
  if (o->path && fclose(o->f) != 0 && !e)
    e = errno;
  if (ok && !e && o->tmp && rename(o->tmp, o->path) != 0)
    e = errno;
  if (ok && e)
    g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(e),
                "%s: cannot write: %s", name, g_strerror(e));
  if (o->tmp && (!ok || e))
    unlink(o->tmp);
  g_free(o->path);
  g_free(o->tmp);
  memset(o, 0, sizeof *o);
  return ok && !e;
}
