/* cache.c - writing and reading cache entries (see cache.h for the
 * contract, cache_key.c for the key, cache_files.c for which files are
 * ours). Layout: a fixed header (magic, format, key and body sizes,
 * checksum), the key text, then the body: capture counts, and per TCP
 * connection a record followed by its packets and MPTCP events as they are
 * in memory. Every block is a multiple of 8 bytes, so the checksum (FNV-1a
 * over 64-bit words) is the same whether taken block by block or over the
 * whole file. */
#include "cache.h"
#include "cache_files.h"
#include "row.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>


typedef struct {
  char magic[8];
  guint32 format, reserved;
  guint64 key_len, body_len, checksum;
} Header;

typedef struct {
  guint64 rows, bad_rows, tcp_packets;
  guint64 options_cut, time_clamped, icmp_errors;
  guint32 truncated, n_conns, n_pending_icmp, reserved;
} BodyHead;

typedef struct {
  gint64 ws_mptcp_stream;
  guint32 stream, n_packets, n_events, n_icmp;
  guint16 port[2];
  guint32 reserved;
  char ip[2][ADDR_MAX];
} ConnRecord;

/* every block a multiple of 8 bytes: see the checksum above */
G_STATIC_ASSERT(sizeof(Header) % 8 == 0 && sizeof(BodyHead) % 8 == 0);
G_STATIC_ASSERT(sizeof(ConnRecord) % 8 == 0 && sizeof(Packet) % 8 == 0);
G_STATIC_ASSERT(sizeof(MptcpEvent) % 8 == 0 && sizeof(IcmpEvent) % 8 == 0);

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
  BodyHead bh = { c->rows, c->bad_rows, c->tcp_packets, c->options_cut,
                  c->time_clamped, c->icmp_errors, (guint32)c->truncated,
                  c->tcp->len, c->pending_icmp->len, 0 };
  put(w, &bh, sizeof bh);
  put(w, c->pending_icmp->data,
      (gsize)c->pending_icmp->len * sizeof(IcmpEvent));
  for (guint i = 0; i < c->tcp->len; i++) {
    const TcpConn *t = g_ptr_array_index(c->tcp, i);
    ConnRecord r;
    memset(&r, 0, sizeof r);
    r.ws_mptcp_stream = t->ws_mptcp_stream;
    r.stream = t->stream;
    r.n_packets = t->packets->len;
    r.n_events = t->events->len;
    r.n_icmp = t->icmp->len;
    memcpy(r.port, t->port, sizeof r.port);
    memcpy(r.ip, t->ip, sizeof r.ip);
    put(w, &r, sizeof r);
    put(w, t->packets->data, (gsize)t->packets->len * sizeof(Packet));
    put(w, t->events->data, (gsize)t->events->len * sizeof(MptcpEvent));
    put(w, t->icmp->data, (gsize)t->icmp->len * sizeof(IcmpEvent));
  }
}

static void header_init(Header *h)
{
  memset(h, 0, sizeof *h);
  memcpy(h->magic, CACHE_MAGIC, 8);
  h->format = CACHE_FORMAT;
}

/* A file at the entry's path that we did not write stays where it is. */
static gboolean path_free_for_us(const char *path)
{
  GStatBuf st;
  return g_lstat(path, &st) != 0 || cache_file_is_ours(path);
}

gboolean cache_write(const CacheEntry *e, const Capture *c, GError **err)
{
  Header h;
  char *tmp = g_build_filename(e->dir, CACHE_TEMP_PREFIX "XXXXXX", NULL);
  int fd = -1;
  Writer w = { NULL, 0, 0, TRUE };
  if (g_mkdir_with_parents(e->dir, 0700) != 0)
    goto fail;
  cache_sweep_temps(e->dir);
  if (!path_free_for_us(e->path)) {
    g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_EXIST, "cannot write the "
                "cache entry %s: a file this program did not write is in the "
                "way (left as it is)", e->path);
    g_free(tmp);
    return FALSE;
  }
  /* locked before our magic is in it: a cleaner never sees our header on
   * a file whose writer is alive and not holding the lock */
  if ((fd = g_mkstemp(tmp)) < 0 || flock(fd, LOCK_EX) != 0 ||
      !(w.f = fdopen(fd, "wb")))
    goto fail;
  header_init(&h);
  put(&w, &h, sizeof h);           /* magic now; sizes and checksum below */
  w.h = 0xcbf29ce484222325ULL;
  w.n = 0;
  put(&w, e->key, strlen(e->key));
  put_capture(&w, c);
  h.key_len = strlen(e->key);
  h.body_len = w.n - h.key_len;
  h.checksum = w.h;
  if (!w.ok || fflush(w.f) != 0 || fseek(w.f, 0, SEEK_SET) != 0 ||
      fwrite(&h, sizeof h, 1, w.f) != 1 || fflush(w.f) != 0)
    w.ok = FALSE;
  if (!w.ok || g_rename(tmp, e->path) != 0)
    goto fail;
  fclose(w.f);                     /* releases the lock */
  g_free(tmp);
  return TRUE;
fail:
  g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno),
              "cannot write the cache entry in %s: %s", e->dir,
              g_strerror(errno));
  if (fd >= 0)
    g_unlink(tmp);
  if (w.f)
    fclose(w.f);
  else if (fd >= 0)
    close(fd);
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

/* An address as the row decoder stores it: NUL-terminated IPv4 or IPv6
 * text (what is read back ends up in JSON and on terminals). */
static gboolean addr_valid(const char *ip)
{
  const char *end = memchr(ip, 0, ADDR_MAX);
  if (!end || end == ip)
    return FALSE;
  for (const char *p = ip; p < end; p++)
    if (!g_ascii_isxdigit(*p) && *p != '.' && *p != ':')
      return FALSE;
  return TRUE;
}

static gboolean record_valid(const ConnRecord *rec)
{
  return rec->n_packets > 0 && rec->ws_mptcp_stream >= -1 &&
         rec->ws_mptcp_stream <= G_MAXUINT32 && addr_valid(rec->ip[0]) &&
         addr_valid(rec->ip[1]);
}

static gboolean icmp_valid(const IcmpEvent *ev, guint n, gint64 stream)
{
  for (guint i = 0; i < n; i++)
    if ((ev[i].family != 4 && ev[i].family != 6) ||
        !addr_valid(ev[i].router) ||
        (stream >= 0 && ev[i].stream != (guint64)stream))
      return FALSE;
  return TRUE;
}

static gboolean packets_valid(const TcpConn *t)
{
  for (guint i = 0; i < t->packets->len; i++)
    if (g_array_index(t->packets, Packet, i).src > 1)
      return FALSE;
  for (guint i = 0; i < t->events->len; i++) {
    const MptcpEvent *e = &g_array_index(t->events, MptcpEvent, i);
    if (e->pkt >= t->packets->len || !mptcp_opt_valid(&e->opt))
      return FALSE;
  }
  return TRUE;
}

static gboolean take_conn(Reader *r, Capture *c, guint64 *packets)
{
  const ConnRecord *rec = take(r, sizeof *rec);
  if (!rec || !record_valid(rec) ||
      g_hash_table_contains(c->by_stream, GUINT_TO_POINTER(rec->stream)))
    return FALSE;
  const void *pk = take(r, (gsize)rec->n_packets * sizeof(Packet));
  const void *ev = take(r, (gsize)rec->n_events * sizeof(MptcpEvent));
  const IcmpEvent *ic = take(r, (gsize)rec->n_icmp * sizeof(IcmpEvent));
  if (!pk || !ev || !ic || !icmp_valid(ic, rec->n_icmp, rec->stream))
    return FALSE;
  TcpConn *t = capture_conn_new(c, rec->stream, rec->ip[0], rec->port[0],
                                rec->ip[1], rec->port[1]);
  t->ws_mptcp_stream = rec->ws_mptcp_stream;
  g_array_append_vals(t->packets, pk, rec->n_packets);
  g_array_append_vals(t->events, ev, rec->n_events);
  g_array_append_vals(t->icmp, ic, rec->n_icmp);
  *packets += rec->n_packets;
  return packets_valid(t);
}

static gboolean body_head_valid(const BodyHead *bh)
{
  return bh->truncated <= 1 && bh->tcp_packets <= bh->rows &&
         bh->bad_rows <= bh->rows && bh->options_cut <= bh->tcp_packets &&
         bh->time_clamped <= bh->rows && bh->icmp_errors <= bh->rows &&
         bh->n_pending_icmp <= bh->icmp_errors;
}

static Capture *parse_entry(const CacheEntry *e, const char *data, gsize len,
                            const char *capture)
{
  const Header *h = (const Header *)data;
  gsize klen = strlen(e->key);
  guint64 packets = 0;
  if (len < sizeof *h || memcmp(h->magic, CACHE_MAGIC, 8) != 0 ||
      h->format != CACHE_FORMAT || h->key_len != klen ||
      h->body_len != len - sizeof *h - klen)
    return NULL;
  Reader r = { data + sizeof *h, data + len, 0xcbf29ce484222325ULL };
  const char *key = take(&r, klen);
  const BodyHead *bh = take(&r, sizeof *bh);
  if (!key || memcmp(key, e->key, klen) != 0 || !bh || !body_head_valid(bh))
    return NULL;
  const IcmpEvent *pending = take(&r, (gsize)bh->n_pending_icmp *
                                      sizeof(IcmpEvent));
  if (!pending || !icmp_valid(pending, bh->n_pending_icmp, -1))
    return NULL;
  Capture *c = capture_new(capture);
  c->rows = bh->rows;
  c->bad_rows = bh->bad_rows;
  c->tcp_packets = bh->tcp_packets;
  c->truncated = bh->truncated != 0;
  c->options_cut = bh->options_cut;
  c->time_clamped = bh->time_clamped;
  c->icmp_errors = bh->icmp_errors;
  g_array_append_vals(c->pending_icmp, pending, bh->n_pending_icmp);
  for (guint32 i = 0; i < bh->n_conns; i++)
    if (!take_conn(&r, c, &packets))
      goto bad;
  if (r.p != r.end || r.h != h->checksum || packets != c->tcp_packets)
    goto bad;
  return c;
bad:
  capture_free(c);
  return NULL;
}

/* Map the entry read-only, if it is a regular file of ours. */
static GMappedFile *map_entry(const char *path, gboolean *ours)
{
  struct stat st;
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
  GMappedFile *mf = NULL;
  *ours = FALSE;
  if (fd < 0)
    return NULL;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    mf = g_mapped_file_new_from_fd(fd, FALSE, NULL);
    *ours = mf && g_mapped_file_get_length(mf) >= 8 &&
            memcmp(g_mapped_file_get_contents(mf), CACHE_MAGIC, 8) == 0;
  }
  close(fd);
  if (mf && !*ours)
    g_clear_pointer(&mf, g_mapped_file_unref);
  return mf;
}

Capture *cache_read(const CacheEntry *e, const char *capture, gboolean *corrupt)
{
  gboolean ours;
  GMappedFile *mf = map_entry(e->path, &ours);
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
