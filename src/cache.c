/* cache.c - writing and reading cache entries (see cache.h for the
 * contract). Layout: a fixed header (magic, format, key and body sizes,
 * checksum), the key text, then the body: capture counts, and per TCP
 * connection a record followed by its packets and MPTCP events as they are
 * in memory. The checksum is FNV-1a over 64-bit words of each block. */
#include "cache.h"
#include "row.h"
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#define CACHE_MAGIC "MPTCPAC\001"
#define CACHE_FORMAT 2

typedef struct {
  char magic[8];
  guint32 format, reserved;
  guint64 key_len, body_len, checksum;
} Header;

typedef struct {
  guint64 rows, bad_rows, tcp_packets;
  guint32 truncated, n_conns;
} BodyHead;

typedef struct {
  gint64 ws_mptcp_stream;
  guint32 stream, n_packets, n_events;
  guint16 port[2];
  char ip[2][ADDR_MAX];
} ConnRecord;

static guint64 fnv(guint64 h, const void *data, gsize n)
{
  const guint8 *p = data;
  for (; n >= 8; n -= 8, p += 8) {
    guint64 w;
    memcpy(&w, p, 8);
    h = (h ^ w) * 0x100000001b3ULL;
  }
  for (; n; n--, p++)
    h = (h ^ *p) * 0x100000001b3ULL;
  return h;
}

char *cache_default_dir(void)
{
  return g_build_filename(g_get_user_cache_dir(), "mptcpanalyzer", NULL);
}

static gboolean identify(GString *key, const char *label, const char *path,
                         GError **err)
{
  GStatBuf st;
  char *real = realpath(path, NULL);
  if (!real || g_stat(real, &st) != 0) {
    int e = errno;
    free(real);
    g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(e), "%s: %s",
                path, g_strerror(e));
    return FALSE;
  }
  g_string_append_printf(key, "%s %s\nsize %lld mtime %lld.%09ld inode %llu:%llu\n",
                         label, real, (long long)st.st_size,
                         (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                         (unsigned long long)st.st_dev,
                         (unsigned long long)st.st_ino);
  free(real);
  return TRUE;
}

gboolean cache_entry_init(CacheEntry *e, const char *dir, const char *capture,
                          const Tshark *ts, GError **err)
{
  GString *key = g_string_new("mptcpanalyzer cache\n");
  memset(e, 0, sizeof *e);
  if (!identify(key, "capture", capture, err) ||
      !identify(key, "tshark", ts->path, err)) {
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

/* ---- writing ---- */

typedef struct { FILE *f; guint64 h, n; gboolean ok; } Writer;

static void put(Writer *w, const void *data, gsize n)
{
  if (!n)
    return;
  w->h = fnv(w->h, data, n);
  w->n += n;
  if (w->ok && fwrite(data, 1, n, w->f) != n)
    w->ok = FALSE;
}

static void put_capture(Writer *w, const Capture *c)
{
  BodyHead bh = { c->rows, c->bad_rows, c->tcp_packets, (guint32)c->truncated,
                  c->tcp->len };
  put(w, &bh, sizeof bh);
  for (guint i = 0; i < c->tcp->len; i++) {
    const TcpConn *t = g_ptr_array_index(c->tcp, i);
    ConnRecord r;
    memset(&r, 0, sizeof r);
    r.ws_mptcp_stream = t->ws_mptcp_stream;
    r.stream = t->stream;
    r.n_packets = t->packets->len;
    r.n_events = t->events->len;
    memcpy(r.port, t->port, sizeof r.port);
    memcpy(r.ip, t->ip, sizeof r.ip);
    put(w, &r, sizeof r);
    put(w, t->packets->data, (gsize)t->packets->len * sizeof(Packet));
    put(w, t->events->data, (gsize)t->events->len * sizeof(MptcpEvent));
  }
}

gboolean cache_write(const CacheEntry *e, const Capture *c, GError **err)
{
  Header h;
  char *tmp = g_build_filename(e->dir, ".entry-XXXXXX", NULL);
  int fd = -1;
  if (g_mkdir_with_parents(e->dir, 0700) != 0 || (fd = g_mkstemp(tmp)) < 0)
    goto fail;
  Writer w = { fdopen(fd, "wb"), 0xcbf29ce484222325ULL, 0, TRUE };
  if (!w.f)
    goto fail;
  fd = -1;
  memset(&h, 0, sizeof h);
  put(&w, &h, sizeof h);                   /* placeholder, rewritten below */
  w.h = 0xcbf29ce484222325ULL;
  w.n = 0;
  put(&w, e->key, strlen(e->key));
  put_capture(&w, c);
  memcpy(h.magic, CACHE_MAGIC, 8);
  h.format = CACHE_FORMAT;
  h.key_len = strlen(e->key);
  h.body_len = w.n - h.key_len;
  h.checksum = w.h;
  if (!w.ok || fseek(w.f, 0, SEEK_SET) != 0 || fwrite(&h, sizeof h, 1, w.f) != 1)
    w.ok = FALSE;
  if (fclose(w.f) != 0 || !w.ok || g_rename(tmp, e->path) != 0)
    goto fail;
  g_free(tmp);
  return TRUE;
fail:
  g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno),
              "cannot write the cache entry in %s: %s", e->dir,
              g_strerror(errno));
  if (fd >= 0)
    close(fd);
  g_unlink(tmp);
  g_free(tmp);
  return FALSE;
}

/* ---- reading ---- */

typedef struct { const char *p, *end; guint64 h; } Reader;

static const void *take(Reader *r, gsize n)
{
  if ((gsize)(r->end - r->p) < n)
    return NULL;
  const char *at = r->p;
  r->h = fnv(r->h, at, n);
  r->p += n;
  return at;
}

static gboolean take_conn(Reader *r, Capture *c)
{
  const ConnRecord *rec = take(r, sizeof *rec);
  if (!rec || rec->n_packets == 0 ||
      g_hash_table_contains(c->by_stream, GUINT_TO_POINTER(rec->stream)))
    return FALSE;
  const void *pk = take(r, (gsize)rec->n_packets * sizeof(Packet));
  const void *ev = take(r, (gsize)rec->n_events * sizeof(MptcpEvent));
  if (!pk || !ev || memchr(rec->ip[0], 0, ADDR_MAX) == NULL ||
      memchr(rec->ip[1], 0, ADDR_MAX) == NULL)
    return FALSE;
  TcpConn *t = capture_conn_new(c, rec->stream, rec->ip[0], rec->port[0],
                                rec->ip[1], rec->port[1]);
  t->ws_mptcp_stream = rec->ws_mptcp_stream;
  g_array_append_vals(t->packets, pk, rec->n_packets);
  g_array_append_vals(t->events, ev, rec->n_events);
  for (guint i = 0; i < t->packets->len; i++)
    if (g_array_index(t->packets, Packet, i).src > 1)
      return FALSE;
  for (guint i = 0; i < t->events->len; i++)
    if (g_array_index(t->events, MptcpEvent, i).pkt >= t->packets->len ||
        g_array_index(t->events, MptcpEvent, i).opt.subtype >= MPTCP_SUBTYPES)
      return FALSE;
  return TRUE;
}

static Capture *parse_entry(const CacheEntry *e, const char *data, gsize len,
                            const char *capture)
{
  const Header *h = (const Header *)data;
  gsize klen = strlen(e->key);
  if (len < sizeof *h || memcmp(h->magic, CACHE_MAGIC, 8) != 0 ||
      h->format != CACHE_FORMAT || h->key_len != klen ||
      h->body_len != len - sizeof *h - klen)
    return NULL;
  Reader r = { data + sizeof *h, data + len, 0xcbf29ce484222325ULL };
  const char *key = take(&r, klen);
  const BodyHead *bh = take(&r, sizeof *bh);
  if (!key || memcmp(key, e->key, klen) != 0 || !bh)
    return NULL;
  Capture *c = capture_new(capture);
  c->rows = bh->rows;
  c->bad_rows = bh->bad_rows;
  c->tcp_packets = bh->tcp_packets;
  c->truncated = bh->truncated != 0;
  for (guint32 i = 0; i < bh->n_conns; i++)
    if (!take_conn(&r, c))
      goto bad;
  if (r.p != r.end || r.h != h->checksum)
    goto bad;
  return c;
bad:
  capture_free(c);
  return NULL;
}

Capture *cache_read(const CacheEntry *e, const char *capture, gboolean *corrupt)
{
  GMappedFile *mf = g_mapped_file_new(e->path, FALSE, NULL);
  *corrupt = FALSE;
  if (!mf)
    return NULL;
  Capture *c = parse_entry(e, g_mapped_file_get_contents(mf),
                           g_mapped_file_get_length(mf), capture);
  g_mapped_file_unref(mf);
  if (!c) {
    *corrupt = TRUE;
    g_unlink(e->path);
  }
  return c;
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
    if (!g_str_has_suffix(name, ".cache") && !g_str_has_prefix(name, ".entry-"))
      continue;
    char *p = g_build_filename(dir, name, NULL);
    if (g_unlink(p) == 0)
      n++;
    g_free(p);
  }
  g_dir_close(d);
  return n;
}
