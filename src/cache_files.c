/* cache_files.c - telling our cache files from anything else, and
 * removing stale temporary files and entries (see cache_files.h). */
#include "cache.h"
#include "cache_files.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

gboolean cache_is_entry_name(const char *name)
{
  for (int i = 0; i < 64; i++)
    if (!g_ascii_isxdigit(name[i]) || g_ascii_isupper(name[i]))
      return FALSE;
  return strcmp(name + 64, ".cache") == 0;
}

gboolean cache_is_temp_name(const char *name)
{
  gsize n = strlen(CACHE_TEMP_PREFIX);
  if (strncmp(name, CACHE_TEMP_PREFIX, n) != 0 || strlen(name) != n + 6)
    return FALSE;
  for (const char *p = name + n; *p; p++)
    if (!g_ascii_isalnum(*p))
      return FALSE;
  return TRUE;
}

/* Open path if it is a regular file that starts with our magic; -1 if
 * not (or it cannot be opened). st gets its status. */
static int open_ours(const char *path, struct stat *st)
{
  char magic[8];
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return -1;
  if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode) ||
      pread(fd, magic, sizeof magic, 0) != (ssize_t)sizeof magic ||
      memcmp(magic, CACHE_MAGIC, sizeof magic) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

gboolean cache_file_is_ours(const char *path)
{
  struct stat st;
  int fd = open_ours(path, &st);
  if (fd >= 0)
    close(fd);
  return fd >= 0;
}

/* A temporary file of ours whose writer is gone. */
static gboolean temp_is_stale(const char *path)
{
  struct stat st;
  int fd = open_ours(path, &st);
  if (fd < 0)
    return FALSE;
  gint64 age = (gint64)time(NULL) - (gint64)st.st_mtime;
  gboolean stale;
  if (flock(fd, LOCK_EX | LOCK_NB) == 0)
    stale = age >= CACHE_TEMP_STALE_S;
  else
    stale = errno != EWOULDBLOCK && age >= CACHE_TEMP_STALE_NOLOCK_S;
  close(fd);                        /* releases the lock */
  return stale;
}

int cache_sweep_temps(const char *dir)
{
  GDir *d = g_dir_open(dir, 0, NULL);
  int n = 0;
  if (!d)
    return 0;
  for (const char *name; (name = g_dir_read_name(d)); ) {
    if (!cache_is_temp_name(name))
      continue;
    char *p = g_build_filename(dir, name, NULL);
    if (temp_is_stale(p) && g_unlink(p) == 0)
      n++;
    g_free(p);
  }
  g_dir_close(d);
  return n;
}

int cache_clean(const char *dir, GError **err)
{
  GError *local = NULL;
  GDir *d = g_dir_open(dir, 0, &local);
  int n = 0;
  if (!d) {
    if (g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
      g_error_free(local);
      return 0;
    }
    g_propagate_error(err, local);
    return -1;
  }
  for (const char *name; (name = g_dir_read_name(d)); ) {
    if (!cache_is_entry_name(name))
      continue;
    char *p = g_build_filename(dir, name, NULL);
    if (cache_file_is_ours(p) && g_unlink(p) == 0)
      n++;
    g_free(p);
  }
  g_dir_close(d);
  return n + cache_sweep_temps(dir);
}
