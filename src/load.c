/* load.c - check a capture file, run tshark on it, stream its rows into the
 * model. Errors name the file and the problem in one line. */
#include "load.h"
#include "row_reader.h"
#include "progress.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

static gboolean is_capture_magic(const guint8 *m, gssize n)
{
  static const guint8 magics[][4] = {
    { 0xd4, 0xc3, 0xb2, 0xa1 }, { 0xa1, 0xb2, 0xc3, 0xd4 },  /* pcap */
    { 0x4d, 0x3c, 0xb2, 0xa1 }, { 0xa1, 0xb2, 0x3c, 0x4d },  /* pcap, ns */
    { 0x0a, 0x0d, 0x0d, 0x0a },                              /* pcapng */
  };
  if (n >= 2 && m[0] == 0x1f && m[1] == 0x8b)                /* gzip */
    return TRUE;
  if (n < 4)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS(magics); i++)
    if (memcmp(m, magics[i], 4) == 0)
      return TRUE;
  return FALSE;
}

#define FILE_ERROR(err, code, ...) \
  (g_set_error(err, G_FILE_ERROR, code, __VA_ARGS__), FALSE)

gboolean capture_file_check(const char *path, GError **err)
{
  GStatBuf st;
  guint8 magic[4];
  if (g_stat(path, &st) != 0)
    return FILE_ERROR(err, g_file_error_from_errno(errno), "%s: %s", path,
                      g_strerror(errno));
  if (S_ISDIR(st.st_mode))
    return FILE_ERROR(err, G_FILE_ERROR_ISDIR, "%s: is a directory", path);
  int fd = g_open(path, O_RDONLY, 0);
  if (fd < 0)
    return FILE_ERROR(err, g_file_error_from_errno(errno), "%s: %s", path,
                      g_strerror(errno));
  gssize n = read(fd, magic, sizeof magic);
  int saved = errno;
  close(fd);
  if (n < 0)
    return FILE_ERROR(err, g_file_error_from_errno(saved), "%s: %s", path,
                      g_strerror(saved));
  if (n == 0)
    return FILE_ERROR(err, G_FILE_ERROR_INVAL, "%s: empty file", path);
  if (!is_capture_magic(magic, n))
    return FILE_ERROR(err, G_FILE_ERROR_INVAL,
                      "%s: not a capture file (neither pcap nor pcapng)", path);
  return TRUE;
}

typedef struct {
  RowReader rows;
  Progress progress;
} LoadState;

static void on_data(const char *data, gsize len, void *user)
{
  row_reader_feed(&((LoadState *)user)->rows, data, len);
}

static void on_tick(GPid pid, void *user)
{
  progress_tick(&((LoadState *)user)->progress, pid);
}

static void on_row(const Row *row, void *user)
{
  capture_add_row(user, row);
}

static gboolean check_content(const Capture *c, const RowReader *rr,
                              GError **err)
{
  if (rr->rows == 0)
    return FILE_ERROR(err, G_FILE_ERROR_INVAL, "%s: no packets", c->path);
  if (c->tcp_packets == 0)
    return FILE_ERROR(err, G_FILE_ERROR_INVAL, "%s: no TCP packets in %"
                      G_GUINT64_FORMAT " packets", c->path, rr->rows);
  return TRUE;
}

Capture *capture_load(const char *path, const Tshark *ts,
                      const LoadOptions *opt, GError **err)
{
  LoadState *st = g_new0(LoadState, 1);
  RowReader *rr = &st->rows;
  Capture *c = capture_new(path);
  gboolean truncated = FALSE, ok;
  row_reader_init(rr, on_row, c);
  progress_init(&st->progress, path, opt->quiet, &rr->rows);
  ok = tshark_export(ts, path, on_data, on_tick, st, &truncated, err);
  progress_done(&st->progress);
  row_reader_finish(rr);
  if (!ok)
    g_prefix_error(err, "%s: ", path);
  else if ((ok = check_content(c, rr, err))) {
    c->truncated = truncated;
    c->rows = rr->rows;
    c->bad_rows += rr->bad_rows;
  }
  g_free(st);
  if (!ok) {
    capture_free(c);
    return NULL;
  }
  return c;
}
