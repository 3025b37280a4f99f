/* load.c - check a capture file, run tshark on it, stream its rows into the
 * model: in one pass, or in frame ranges (load_parallel.c) when the capture
 * is large and -j allows. Errors name the file and the problem in one
 * line. */
#include "load.h"
#include "load_parallel.h"
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
  if (!S_ISREG(st.st_mode))
    return FILE_ERROR(err, G_FILE_ERROR_INVAL, "%s: not a regular file (%s)",
                      path, S_ISFIFO(st.st_mode) ? "a FIFO"
                      : S_ISSOCK(st.st_mode) ? "a socket" : "a device");
  /* O_NONBLOCK: a FIFO put there since the check must not block us */
  int fd = g_open(path, O_RDONLY | O_NONBLOCK, 0);
  if (fd < 0)
    return FILE_ERROR(err, g_file_error_from_errno(errno), "%s: %s", path,
                      g_strerror(errno));
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return FILE_ERROR(err, G_FILE_ERROR_INVAL, "%s: not a regular file", path);
  }
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
  TsharkJob job;
} LoadState;

static void on_data(const char *data, gsize len, void *user)
{
  row_reader_feed(&((LoadState *)user)->rows, data, len);
}

static void on_tick(void *user)
{
  LoadState *st = user;
  progress_tick(&st->progress, st->job.pid);
}

static void on_row(const Row *row, void *user)
{
  capture_add_row(user, row);
}

static gboolean check_content(const Capture *c, GError **err)
{
  if (c->rows == 0)
    return FILE_ERROR(err, G_FILE_ERROR_INVAL, "%s: no packets", c->path);
  if (c->tcp_packets == 0)
    return FILE_ERROR(err, G_FILE_ERROR_INVAL, "%s: no TCP packets in %"
                      G_GUINT64_FORMAT " packets", c->path, c->rows);
  return TRUE;
}

/* One tshark over the whole file. */
static Capture *load_single(const char *path, const Tshark *ts,
                            const LoadOptions *opt, GError **err)
{
  LoadState *st = g_new0(LoadState, 1);
  RowReader *rr = &st->rows;
  Capture *c = capture_new(path);
  gboolean truncated = FALSE, ok;
  TsharkLimits lim;
  tshark_limits(&lim, FALSE);
  row_reader_init(rr, on_row, c);
  progress_init(&st->progress, path, opt->quiet, &rr->rows);
  tshark_export_job(&st->job, ts, path, on_data, st);
  ok = tshark_run_jobs(&st->job, 1, 1, &lim, on_tick, st, NULL, err) &&
       tshark_job_outcome(&st->job, path, &truncated, err);
  progress_done(&st->progress);
  row_reader_finish(rr);
  tshark_job_clear(&st->job);
  if (ok) {
    c->truncated = truncated;
    c->rows = rr->rows;
    c->bad_rows += rr->bad_rows;
  } else {
    capture_free(c);
    c = NULL;
  }
  g_free(st);
  return c;
}

/* Where the hidden MPTCPANALYZER_SPLIT puts the cuts ("frames:A,B,...",
 * ascending), or NULL; "min-packets:N" changes *min_packets. */
static guint64 *split_plan(int *n_at, guint64 *min_packets)
{
  const char *v = g_getenv("MPTCPANALYZER_SPLIT");
  *n_at = 0;
  if (v && g_str_has_prefix(v, "min-packets:"))
    *min_packets = g_ascii_strtoull(v + 12, NULL, 10);
  if (!v || !g_str_has_prefix(v, "frames:"))
    return NULL;
  char **parts = g_strsplit(v + 7, ",", -1);
  guint64 *at = g_new0(guint64, g_strv_length(parts) + 1);
  for (char **p = parts; *p; p++) {
    guint64 f = g_ascii_strtoull(*p, NULL, 10);
    if (f > 1 && (*n_at == 0 || f > at[*n_at - 1]))
      at[(*n_at)++] = f;
  }
  g_strfreev(parts);
  return at;
}

/* How many tsharks the memory allows: each takes about 157 MB to start
 * and 0.65 KB per packet of its range; count 256 MiB each against the
 * memory available (/proc/meminfo), so that -j never swaps. */
static int memory_cap(void)
{
  char *text = NULL;
  int cap = G_MAXINT;
  if (g_file_get_contents("/proc/meminfo", &text, NULL, NULL)) {
    const char *m = strstr(text, "MemAvailable:");
    if (m)
      cap = (int)MIN(g_ascii_strtoull(m + 13, NULL, 10) / (256 * 1024),
                     (guint64)G_MAXINT);
  }
  g_free(text);
  return cap;
}

Capture *capture_load(const char *path, const Tshark *ts,
                      const LoadOptions *given, char **note, GError **err)
{
  LoadOptions o = *given, *opt = &o;
  o.jobs = MIN(o.jobs, memory_cap());
  GStatBuf stb;
  guint64 min_packets = SPLIT_MIN_PACKETS;
  int n_at, ranges = 1;
  guint64 *at = split_plan(&n_at, &min_packets);
  char *why = NULL;
  Capture *c = NULL;
  if (opt->jobs < 2)
    why = g_strdup(given->jobs < 2 ? "-j 1" : "memory");
  else if (!at && g_stat(path, &stb) == 0 &&
           (guint64)stb.st_size < min_packets * 32)
    why = g_strdup("small capture");
  else if (load_parallel(path, ts, opt, at, n_at, at ? 0 : min_packets, &c,
                         &ranges, &why, err) == PAR_FAILED) {
    g_free(at);
    g_prefix_error(err, "%s: ", path);
    *note = g_strdup("ranges=0");
    return NULL;
  }
  g_free(at);
  if (!c)
    c = load_single(path, ts, opt, err);
  *note = why ? g_strdup_printf("ranges=1 single=\"%s\"", why)
              : g_strdup_printf("ranges=%d", ranges);
  g_free(why);
  if (!c)
    g_prefix_error(err, "%s: ", path);
  if (c && !check_content(c, err)) {
    capture_free(c);
    c = NULL;
  }
  return c;
}
