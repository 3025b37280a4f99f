/* session.c - the state shared by the commands of one run, and loading a
 * capture: from the cache when it holds an entry for it (no tshark
 * started), else with tshark, storing the result in the cache. */
#include "session.h"
#include "cache.h"
#include "tshark_memo.h"
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
  tshark_clear(&s->tshark);
  s->have_tshark = s->tshark_checked = FALSE;
  g_clear_pointer(&s->load.cache_dir, g_free);
  g_clear_pointer(&s->load_note, g_free);
}

static char *cache_dir(const Session *s)
{
  return s->load.cache_dir ? g_strdup(s->load.cache_dir) : cache_default_dir();
}

/* The version from the memo; FALSE (and no error) when it holds none. */
static gboolean version_from_memo(Session *s, const char *dir, GError **err)
{
  char *v = tshark_memo_read(dir, s->tshark.path);
  if (!v)
    return FALSE;
  s->tshark_checked = tshark_accept_version(&s->tshark, v, err);
  g_free(v);
  return TRUE;
}

gboolean session_tshark(Session *s, gboolean fresh, GError **err)
{
  if (!s->have_tshark)
    s->have_tshark = tshark_locate(&s->tshark, err);
  if (!s->have_tshark || (s->tshark_checked && !fresh))
    return s->have_tshark && s->tshark_checked;
  char *dir = s->load.no_cache ? NULL : cache_dir(s);
  if (fresh || !dir || !version_from_memo(s, dir, err)) {
    s->tshark_checked = tshark_check_version(&s->tshark, err);
    if (dir && s->tshark.version)      /* also a too-old one: refused next time too */
      tshark_memo_write(dir, s->tshark.path, s->tshark.version);
  }
  g_free(dir);
  return s->tshark_checked;
}

static void warn(const Session *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void warn(const Session *s, const char *fmt, ...)
{
  va_list ap;
  if (s->load.quiet)
    return;
  va_start(ap, fmt);
  char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_printerr("mptcpanalyzer: warning: %s\n", msg);
  g_free(msg);
}

/* Store c unless the capture changed while tshark read it. */
static void store(Session *s, const CacheEntry *before, const Capture *c,
                  const char *path)
{
  CacheEntry after;
  GError *err = NULL;
  char *dir = cache_dir(s);
  if (!cache_entry_init(&after, dir, path, &s->tshark, NULL) ||
      strcmp(after.key, before->key) != 0)
    warn(s, "%s changed or vanished while it was read; not cached", path);
  else if (!cache_write(before, c, &err)) {
    warn(s, "%s", err->message);
    g_error_free(err);
  }
  cache_entry_clear(&after);
  g_free(dir);
}

static Capture *load(Session *s, const char *path, GError **err)
{
  CacheEntry entry;
  Capture *c = NULL;
  gboolean corrupt = FALSE, cached = FALSE;
  char *dir = cache_dir(s);
  if (!s->load.no_cache)
    cached = cache_entry_init(&entry, dir, path, &s->tshark, NULL);
  g_free(dir);
  if (cached) {
    c = cache_read(&entry, path, &corrupt);
    if (corrupt)
      warn(s, "discarded a corrupt cache entry for %s (%s)", path, entry.path);
  }
  if (!c && session_tshark(s, FALSE, err)) {
    g_clear_pointer(&s->load_note, g_free);
    c = capture_load(path, &s->tshark, &s->load, &s->load_note, err);
    if (c && cached)
      store(s, &entry, c, path);
  }
  if (cached)
    cache_entry_clear(&entry);
  return c;
}

Capture *session_open(Session *s, const char *path, GError **err)
{
  if (!capture_file_check(path, err))
    return NULL;
  if (!s->have_tshark && !(s->have_tshark = tshark_locate(&s->tshark, err)))
    return NULL;
  Capture *c = load(s, path, err);
  if (!c)
    return NULL;
  if (c->truncated)
    warn(s, "%s: the capture is cut short; analysing its %" G_GUINT64_FORMAT
         " complete packets", path, c->rows);
  if (c->bad_rows)
    warn(s, "%s: %" G_GUINT64_FORMAT " packets could not be read and were "
         "skipped", path, c->bad_rows);
  if (c->options_cut)
    warn(s, "%s: the snap length cut the TCP options of %" G_GUINT64_FORMAT
         " packets: their MPTCP options are unknown", path, c->options_cut);
  if (c->time_clamped)
    warn(s, "%s: %" G_GUINT64_FORMAT " packets are stamped after April 2262, "
         "beyond what is kept: shown at that date", path, c->time_clamped);
  capture_finish(c);
  if (c->icmp_unmatched)
    warn(s, "%s: %" G_GUINT64_FORMAT " ICMP errors quote a TCP connection "
         "with no packet in the capture", path, c->icmp_unmatched);
  return c;
}

gboolean session_load(Session *s, const char *path, GError **err)
{
  Capture *c = session_open(s, path, err);
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
