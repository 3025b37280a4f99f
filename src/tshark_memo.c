/* tshark_memo.c - the version memo (see tshark_memo.h). A memo file is
 * "tshark-version-HASH" (HASH: of the real path) holding three lines:
 * a title, the identity, "version X.Y.Z". */
#include "tshark_memo.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#define PREFIX "tshark-version-"
#define TITLE "mptcpanalyzer tshark version memo 1"

/* "REALPATH size S mtime M ctime C inode D:I", or NULL. */
static char *identity(const char *tshark_path)
{
  GStatBuf st;
  char *real = realpath(tshark_path, NULL);
  char *id = NULL;
  if (real && g_stat(real, &st) == 0)
    id = g_strdup_printf("%s size %lld mtime %lld.%09ld ctime %lld.%09ld "
                         "inode %llu:%llu", real, (long long)st.st_size,
                         (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                         (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec,
                         (unsigned long long)st.st_dev,
                         (unsigned long long)st.st_ino);
  free(real);
  return id;
}

static char *memo_path(const char *dir, const char *id)
{
  const char *end = strstr(id, " size ");
  char *hash = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
                                           (const guchar *)id,
                                           (gsize)(end - id));
  hash[16] = '\0';
  char *name = g_strconcat(PREFIX, hash, NULL);
  char *path = g_build_filename(dir, name, NULL);
  g_free(name);
  g_free(hash);
  return path;
}

/* A small regular file's text, or NULL (never blocks on a FIFO). */
static char *read_small(const char *path)
{
  struct stat st;
  char *text = NULL;
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return NULL;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size < 4096) {
    text = g_malloc0((gsize)st.st_size + 1);
    if (read(fd, text, (gsize)st.st_size) != st.st_size)
      g_clear_pointer(&text, g_free);
  }
  close(fd);
  return text;
}

char *tshark_memo_read(const char *dir, const char *tshark_path)
{
  char *id = identity(tshark_path), *text = NULL, *version = NULL;
  if (!id)
    return NULL;
  char *path = memo_path(dir, id);
  if ((text = read_small(path)) != NULL) {
    char **lines = g_strsplit(text, "\n", 4);
    if (g_strv_length(lines) >= 3 && strcmp(lines[0], TITLE) == 0 &&
        strcmp(lines[1], id) == 0 && g_str_has_prefix(lines[2], "version ") &&
        strlen(lines[2]) < 40)
      version = g_strdup(lines[2] + 8);
    g_strfreev(lines);
  }
  g_free(text);
  g_free(path);
  g_free(id);
  return version;
}

void tshark_memo_write(const char *dir, const char *tshark_path,
                       const char *version)
{
  char *id = identity(tshark_path);
  if (!id || g_mkdir_with_parents(dir, 0700) != 0) {
    g_free(id);
    return;
  }
  char *path = memo_path(dir, id);
  char *text = g_strdup_printf("%s\n%s\nversion %s\n", TITLE, id, version);
  g_file_set_contents_full(path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                           0600, NULL);
  g_free(text);
  g_free(path);
  g_free(id);
}

int tshark_memo_clean(const char *dir)
{
  GDir *d = g_dir_open(dir, 0, NULL);
  int n = 0;
  for (const char *name; d && (name = g_dir_read_name(d)); ) {
    if (!g_str_has_prefix(name, PREFIX))
      continue;
    char *p = g_build_filename(dir, name, NULL);
    n += g_unlink(p) == 0;
    g_free(p);
  }
  if (d)
    g_dir_close(d);
  return n;
}
