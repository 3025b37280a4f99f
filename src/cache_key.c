/* cache_key.c - the key of a capture's cache entry: what identifies the
 * capture, the tshark that read it and the record layout (see cache.h). */
#include "cache.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#define CONTENT_SPAN 65536     /* bytes hashed at each end of the capture */

char *cache_default_dir(void)
{
  return g_build_filename(g_get_user_cache_dir(), "mptcpanalyzer", NULL);
}

static gboolean fail_errno(GError **err, const char *path, int e)
{
  g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(e), "%s: %s", path,
              g_strerror(e));
  return FALSE;
}

static void append_stat(GString *key, const struct stat *st)
{
  g_string_append_printf(key, "size %lld mtime %lld.%09ld ctime %lld.%09ld "
                         "inode %llu:%llu\n", (long long)st->st_size,
                         (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec,
                         (long long)st->st_ctim.tv_sec, st->st_ctim.tv_nsec,
                         (unsigned long long)st->st_dev,
                         (unsigned long long)st->st_ino);
}

/* SHA-256 of the first and the last CONTENT_SPAN bytes of fd. */
static gboolean append_content(GString *key, int fd, const struct stat *st)
{
  GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
  guint8 *buf = g_malloc(CONTENT_SPAN);
  off_t at[2] = { 0, MAX(0, st->st_size - CONTENT_SPAN) };
  gboolean ok = TRUE;
  for (int i = 0; i < 2 && ok; i++) {
    ssize_t n = pread(fd, buf, CONTENT_SPAN, at[i]);
    ok = n >= 0;
    if (ok)
      g_checksum_update(sum, buf, n);
  }
  if (ok)
    g_string_append_printf(key, "content %s\n", g_checksum_get_string(sum));
  g_checksum_free(sum);
  g_free(buf);
  return ok;
}

/* The capture: its real path, status and content at both ends. Only a
 * regular file can be cached (a FIFO or device has no stable identity). */
static gboolean identify_capture(GString *key, const char *path, GError **err)
{
  struct stat st;
  char *real = realpath(path, NULL);
  int fd = real ? open(real, O_RDONLY | O_NONBLOCK | O_CLOEXEC) : -1;
  gboolean ok = FALSE;
  if (fd < 0 || fstat(fd, &st) != 0) {
    fail_errno(err, path, errno);
  } else if (!S_ISREG(st.st_mode)) {
    g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                "%s: not a regular file, not cached", path);
  } else {
    g_string_append_printf(key, "capture %s\n", real);
    append_stat(key, &st);
    ok = append_content(key, fd, &st);
    if (!ok)
      fail_errno(err, path, errno);
  }
  if (fd >= 0)
    close(fd);
  free(real);
  return ok;
}

static gboolean identify_tshark(GString *key, const char *path, GError **err)
{
  GStatBuf st;
  char *real = realpath(path, NULL);
  if (!real || g_stat(real, &st) != 0) {
    int e = errno;
    free(real);
    return fail_errno(err, path, e);
  }
  g_string_append_printf(key, "tshark %s\n", real);
  append_stat(key, &st);
  free(real);
  return TRUE;
}

gboolean cache_entry_init(CacheEntry *e, const char *dir, const char *capture,
                          const Tshark *ts, GError **err)
{
  GString *key = g_string_new("mptcpanalyzer cache\n");
  memset(e, 0, sizeof *e);
  if (!identify_capture(key, capture, err) ||
      !identify_tshark(key, ts->path, err)) {
    g_string_free(key, TRUE);
    return FALSE;
  }
  g_string_append_printf(key, "format %d packet %zu event %zu\nexport",
                         CACHE_FORMAT, sizeof(Packet), sizeof(MptcpEvent));
  char **argv = tshark_export_argv(ts, "CAPTURE");
  for (char **a = argv + 1; *a; a++)       /* options and field list */
    g_string_append_printf(key, " %s", *a);
  g_strfreev(argv);
  do                                 /* keep the body 8-byte aligned */
    g_string_append_c(key, '\n');
  while (key->len % 8);
  char *hash = g_compute_checksum_for_string(G_CHECKSUM_SHA256, key->str, -1);
  char *name = g_strconcat(hash, ".cache", NULL);
  e->dir = g_strdup(dir);
  e->key = g_string_free(key, FALSE);
  e->path = g_build_filename(dir, name, NULL);
  g_free(hash);
  g_free(name);
  return TRUE;
}

void cache_entry_clear(CacheEntry *e)
{
  g_free(e->dir);
  g_free(e->key);
  g_free(e->path);
  memset(e, 0, sizeof *e);
}
