/* capture_split.c - walk a pcap or pcapng file record by record and cut it
 * into frame ranges (see capture_split.h). pcap: a 24-byte header, then
 * 16-byte record headers. pcapng: blocks of type, length, body, length;
 * byte order per section (its header's byte-order magic); packets are
 * enhanced (6), simple (3) and obsolete (2) packet blocks. */
#include "capture_split.h"
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#define FRAG_WINDOW 32           /* packets kept clear of IP fragments */
#define MAX_RECORD 262144        /* tshark's limit for most link types */

typedef struct { gsize off, len; guint32 linktype, snaplen; } Idb;

typedef struct {
  gsize off;                     /* where the range's data starts */
  guint64 frame;                 /* its first frame */
  guint8 *head;
  gsize head_len;
  guint64 seen_after;            /* packets walked since (fragment check) */
  int target;                    /* the target it met (to undo it) */
} Cut;

typedef struct {
  const guint8 *base;
  gsize size, off;
  gboolean pcapng, big;          /* big: byte order of the file / section */
  guint32 linktype;              /* pcap */
  gsize shb_off, shb_len;        /* pcapng: current section */
  GArray *idbs;                  /* Idb of the current section */
  guint64 packets, since_frag;
  char *why;                     /* set when the file cannot be split */
  gboolean cut_short;
  /* where to cut */
  int n;
  const guint64 *at;
  int n_at, next_target;
  GArray *cuts;                  /* Cut */
  gsize released;                /* pages walked and given back */
} Walk;

/* Give back the pages walked (every 4 MiB, and at the end): the walk
 * must not keep the file resident in our memory. */
static void walk_release(Walk *w, gboolean all)
{
  gsize page = (gsize)sysconf(_SC_PAGESIZE);
  gsize upto = all ? w->size : w->off / page * page;
  if (!all && upto - w->released < (4u << 20))
    return;
  if (upto > w->released)
    madvise((void *)(w->base + w->released), upto - w->released,
            MADV_DONTNEED);
  w->released = upto;
}

static guint32 rd32(const Walk *w, const guint8 *p)
{
  return w->big ? (guint32)p[0] << 24 | (guint32)p[1] << 16 | p[2] << 8 | p[3]
                : (guint32)p[3] << 24 | (guint32)p[2] << 16 | p[1] << 8 | p[0];
}

static guint16 rd16(const Walk *w, const guint8 *p)
{
  return w->big ? (guint16)(p[0] << 8 | p[1]) : (guint16)(p[1] << 8 | p[0]);
}

static gboolean fail(Walk *w, char *why)
{
  if (!w->why)
    w->why = why;
  else
    g_free(why);
  return FALSE;
}

/* ---- IP fragments ---- */

static int ip_fragment(const guint8 *ip, gsize len, int version)
{
  if (version == 4)
    return len >= 8 && ((ip[6] << 8 | ip[7]) & 0x3fff) != 0;
  guint8 next = len >= 40 ? ip[6] : 0;
  gsize at = 40;
  for (int hops = 0; hops < 4 && (next == 0 || next == 43 || next == 60); hops++) {
    if (at + 8 > len)
      return 0;
    next = ip[at];
    at += 8 + (gsize)ip[at + 1] * 8;
  }
  return next == 44;
}

static int ether_fragment(const guint8 *d, gsize len)
{
  gsize at = 12;
  for (int tags = 0; tags < 3; tags++) {
    if (at + 2 > len)
      return 0;
    guint16 type = (guint16)(d[at] << 8 | d[at + 1]);
    if (type == 0x8100 || type == 0x88a8 || type == 0x9100) {
      at += 4;
      continue;
    }
    if (type == 0x0800 || type == 0x86dd)
      return ip_fragment(d + at + 2, len - at - 2, type == 0x0800 ? 4 : 6);
    return 0;
  }
  return 0;
}

/* 1 when the packet is an IP fragment, 0 when not, -1 when its link type
 * is one we cannot read. */
static int is_fragment(guint32 linktype, const guint8 *d, gsize len)
{
  switch (linktype & 0xffff) {
  case 1:                                       /* Ethernet */
    return ether_fragment(d, len);
  case 101: case 12: case 14: case 228: case 229:   /* raw IP */
    return len < 1 ? 0 : ip_fragment(d, len, d[0] >> 4 == 6 ? 6 : 4);
  case 113:                                     /* Linux cooked */
    if (len < 16)
      return 0;
    return (d[14] << 8 | d[15]) == 0x0800 ? ip_fragment(d + 16, len - 16, 4)
         : (d[14] << 8 | d[15]) == 0x86dd ? ip_fragment(d + 16, len - 16, 6) : 0;
  case 276:                                     /* Linux cooked v2 */
    if (len < 20)
      return 0;
    return (d[0] << 8 | d[1]) == 0x0800 ? ip_fragment(d + 20, len - 20, 4)
         : (d[0] << 8 | d[1]) == 0x86dd ? ip_fragment(d + 20, len - 20, 6) : 0;
  case 0: case 108:                             /* BSD loopback */
    return len < 5 ? 0 : ip_fragment(d + 4, len - 4, d[4] >> 4 == 6 ? 6 : 4);
  default:
    return -1;
  }
}

/* ---- cutting ---- */

static guint8 *pcapng_head(const Walk *w, gsize *len)
{
  gsize n = w->shb_len;
  for (guint i = 0; i < w->idbs->len; i++)
    n += g_array_index(w->idbs, Idb, i).len;
  guint8 *h = g_malloc(n), *p = h;
  memcpy(p, w->base + w->shb_off, w->shb_len);
  memset(p + 16, 0xff, 8);              /* section length: unknown */
  p += w->shb_len;
  for (guint i = 0; i < w->idbs->len; i++) {
    const Idb *b = &g_array_index(w->idbs, Idb, i);
    memcpy(p, w->base + b->off, b->len);
    p += b->len;
  }
  *len = n;
  return h;
}

static gboolean target_reached(const Walk *w, gsize off)
{
  if (w->at)
    return w->next_target < w->n_at && w->packets + 1 >= w->at[w->next_target];
  return w->next_target < w->n - 1 &&
         off >= w->size / (gsize)w->n * (gsize)(w->next_target + 1);
}

/* Called for each packet record before it is counted. */
static void maybe_cut(Walk *w, gsize off)
{
  if (w->packets == 0 || !target_reached(w, off) ||
      w->since_frag < FRAG_WINDOW)
    return;
  Cut c = { off, w->packets + 1, NULL, 0, 0, w->next_target };
  if (w->pcapng) {
    c.head = pcapng_head(w, &c.head_len);
  } else {
    c.head = g_memdup2(w->base, 24);
    c.head_len = 24;
  }
  g_array_append_val(w->cuts, c);
  w->next_target++;
  while (w->at && w->next_target < w->n_at &&
         w->at[w->next_target] <= w->packets + 1)
    w->next_target++;                   /* targets this cut passed */
}

/* After a packet record: a fragment close after cuts undoes them (their
 * targets are met again further on, after the fragments). */
static void after_packet(Walk *w, int frag)
{
  w->packets++;
  w->since_frag = frag ? 0 : w->since_frag + 1;
  for (guint i = w->cuts->len; i-- > 0; ) {
    Cut *c = &g_array_index(w->cuts, Cut, i);
    if (c->seen_after++ > FRAG_WINDOW)
      break;                     /* older cuts are further back still */
  }
  while (frag && w->cuts->len) {
    Cut *last = &g_array_index(w->cuts, Cut, w->cuts->len - 1);
    if (last->seen_after > FRAG_WINDOW)
      break;
    w->next_target = last->target;
    g_free(last->head);
    g_array_set_size(w->cuts, w->cuts->len - 1);
  }
}

static gboolean packet(Walk *w, gsize rec_off, guint32 linktype,
                       const guint8 *data, gsize caplen)
{
  int frag = is_fragment(linktype, data, caplen);
  if (frag < 0)
    return fail(w, g_strdup_printf("link type %u", linktype & 0xffff));
  maybe_cut(w, rec_off);
  after_packet(w, frag);
  return TRUE;
}

/* ---- pcap ---- */

static gboolean walk_pcap(Walk *w)
{
  w->linktype = rd32(w, w->base + 20);
  w->off = 24;
  while (w->off < w->size) {
    if (w->size - w->off < 16) {
      w->cut_short = TRUE;
      return TRUE;
    }
    const guint8 *r = w->base + w->off;
    guint32 caplen = rd32(w, r + 8);
    if (caplen > MAX_RECORD)
      return fail(w, g_strdup_printf("a %u-byte record", caplen));
    if (w->size - w->off - 16 < caplen) {
      w->cut_short = TRUE;
      return TRUE;
    }
    if (!packet(w, w->off, w->linktype, r + 16, caplen))
      return FALSE;
    w->off += 16 + (gsize)caplen;
    walk_release(w, FALSE);
  }
  return TRUE;
}

/* ---- pcapng ---- */

static gboolean section_header(Walk *w, const guint8 *b, gsize left)
{
  if (left < 28)
    return FALSE;
  if (memcmp(b + 8, "\x1a\x2b\x3c\x4d", 4) == 0)
    w->big = TRUE;
  else if (memcmp(b + 8, "\x4d\x3c\x2b\x1a", 4) == 0)
    w->big = FALSE;
  else
    return fail(w, g_strdup("a section header with no byte-order magic"));
  w->shb_off = w->off;
  w->shb_len = rd32(w, b + 4);
  g_array_set_size(w->idbs, 0);
  return TRUE;
}

/* The packet inside a packet block, checked against its interface. */
static gboolean packet_block(Walk *w, guint32 type, const guint8 *b,
                             gsize blen)
{
  guint32 iface = 0, caplen;
  gsize data_at;
  if (type == 3) {                             /* simple packet block */
    if (blen < 16)
      return fail(w, g_strdup("a short packet block"));
    data_at = 12;
    caplen = (guint32)(blen - 16);
  } else {
    if (blen < 32)
      return fail(w, g_strdup("a short packet block"));
    iface = type == 6 ? rd32(w, b + 8) : rd16(w, b + 8);
    caplen = rd32(w, b + 20);
    data_at = 28;
    if (caplen > blen - 32)
      return fail(w, g_strdup("a packet longer than its block"));
  }
  if (caplen > MAX_RECORD)
    return fail(w, g_strdup_printf("a %u-byte record", caplen));
  if (iface >= w->idbs->len)
    return fail(w, g_strdup("a packet of an undeclared interface"));
  guint32 lt = g_array_index(w->idbs, Idb, iface).linktype;
  return packet(w, w->off, lt, b + data_at, caplen);
}

static gboolean block(Walk *w, guint32 type, const guint8 *b, gsize blen)
{
  switch (type) {
  case 1: {                                    /* interface description */
    Idb i = { w->off, blen, rd16(w, b + 8), rd32(w, b + 12) };
    if (blen < 20)
      return fail(w, g_strdup("a short interface block"));
    g_array_append_val(w->idbs, i);
    return TRUE;
  }
  case 2: case 3: case 6:
    return packet_block(w, type, b, blen);
  case 4: case 5: case 0x0a: case 0x0bad: case 0x40000bad:
    return TRUE;                 /* names, statistics, secrets, custom */
  default:
    return fail(w, g_strdup_printf("a pcapng block of type 0x%x", type));
  }
}

static gboolean walk_pcapng(Walk *w)
{
  w->off = 0;
  while (w->off < w->size) {
    const guint8 *b = w->base + w->off;
    gsize left = w->size - w->off;
    if (left < 12) {
      w->cut_short = TRUE;
      return TRUE;
    }
    if (memcmp(b, "\x0a\x0d\x0d\x0a", 4) == 0 && !section_header(w, b, left)) {
      w->cut_short = w->why == NULL;
      return w->why == NULL;
    }
    if (w->off == 0 && memcmp(b, "\x0a\x0d\x0d\x0a", 4) != 0)
      return fail(w, g_strdup("no section header"));
    guint32 type = rd32(w, b), blen = rd32(w, b + 4);
    if (blen < 12 || blen % 4)
      return fail(w, g_strdup_printf("a block of length %u", blen));
    if (blen > left) {
      w->cut_short = TRUE;
      return TRUE;
    }
    if (rd32(w, b + blen - 4) != blen)
      return fail(w, g_strdup("a block whose two lengths differ"));
    if (type != 0x0a0d0d0a && !block(w, type, b, blen))
      return FALSE;
    w->off += blen;
    walk_release(w, FALSE);
  }
  return TRUE;
}

/* ---- the ranges ---- */

static void make_ranges(CaptureSplit *cs, Walk *w)
{
  guint n = w->cuts->len + 1;
  cs->ranges = g_new0(CaptureRange, n);
  cs->n = (int)n;
  for (guint k = 0; k < n; k++) {
    CaptureRange *r = &cs->ranges[k];
    const Cut *c = k ? &g_array_index(w->cuts, Cut, k - 1) : NULL;
    const Cut *d = k + 1 < n ? &g_array_index(w->cuts, Cut, k) : NULL;
    gsize from = c ? c->off : 0, to = d ? d->off : w->size;
    r->first_frame = c ? c->frame : 1;
    r->packets = (d ? d->frame : w->packets + 1) - r->first_frame;
    r->data = w->base + from;
    r->len = to - from;
    r->head = c ? c->head : NULL;
    r->head_len = c ? c->head_len : 0;
  }
}

/* A file cut shorter while it is mapped makes reading the lost pages
 * raise SIGBUS: the walk then gives up (the capture is read in one pass,
 * by tshark, which reports what it finds). The handler can only jump back,
 * so this jump buffer is the one static it needs; the walk runs on one
 * thread. */
static sigjmp_buf walk_jump;

static void on_sigbus(int sig)
{
  (void)sig;
  siglongjmp(walk_jump, 1);
}

/* Which format, then its walk. */
static gboolean walk(Walk *w)
{
  static const guint8 le[4] = { 0xd4, 0xc3, 0xb2, 0xa1 },
                      le_ns[4] = { 0x4d, 0x3c, 0xb2, 0xa1 };
  if (w->size >= 4 && memcmp(w->base, "\x0a\x0d\x0d\x0a", 4) == 0) {
    w->pcapng = TRUE;
    return walk_pcapng(w);
  }
  if (w->size >= 24 && (memcmp(w->base, le, 4) == 0 ||
      memcmp(w->base, le_ns, 4) == 0 ||
      memcmp(w->base, "\xa1\xb2\xc3\xd4", 4) == 0 ||
      memcmp(w->base, "\xa1\xb2\x3c\x4d", 4) == 0)) {
    w->big = w->base[0] == 0xa1;
    return walk_pcap(w);
  }
  return fail(w, g_strdup("neither a plain pcap nor a pcapng file"));
}

static gboolean guarded_walk(Walk *w)
{
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigbus;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGBUS, &sa, &old);
  gboolean ok;
  if (sigsetjmp(walk_jump, 1) == 0)
    ok = walk(w);
  else
    ok = fail(w, g_strdup("the file shrank while it was read"));
  sigaction(SIGBUS, &old, NULL);
  return ok;
}

gboolean capture_split(CaptureSplit *cs, const char *path, int n,
                       const guint64 *at_frames, int n_at, char **why)
{
  GError *err = NULL;
  memset(cs, 0, sizeof *cs);
  cs->map = g_mapped_file_new(path, FALSE, &err);
  if (!cs->map) {
    *why = g_strdup(err->message);
    g_error_free(err);
    return FALSE;
  }
  Walk w = { .base = (const guint8 *)g_mapped_file_get_contents(cs->map),
             .size = g_mapped_file_get_length(cs->map),
             .idbs = g_array_new(FALSE, FALSE, sizeof(Idb)),
             .since_frag = FRAG_WINDOW, .n = MAX(n, 1), .at = at_frames,
             .n_at = at_frames ? n_at : 0,
             .cuts = g_array_new(FALSE, FALSE, sizeof(Cut)) };
  gboolean ok = guarded_walk(&w);
  walk_release(&w, TRUE);
  if (ok) {
    make_ranges(cs, &w);
    cs->packets = w.packets;
    cs->cut = w.cut_short;
  } else {
    for (guint i = 0; i < w.cuts->len; i++)
      g_free(g_array_index(w.cuts, Cut, i).head);
    *why = w.why;
    w.why = NULL;
  }
  g_array_free(w.cuts, TRUE);
  g_array_free(w.idbs, TRUE);
  g_free(w.why);
  if (!ok)
    capture_split_clear(cs);
  return ok;
}

void capture_split_clear(CaptureSplit *cs)
{
  for (int k = 0; k < cs->n; k++)
    g_free(cs->ranges[k].head);
  g_free(cs->ranges);
  if (cs->map)
    g_mapped_file_unref(cs->map);
  memset(cs, 0, sizeof *cs);
}
