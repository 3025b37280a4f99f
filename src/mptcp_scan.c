/* mptcp_scan.c - pass 1 of the data-level analysis (see mptcp_walk.h):
 * what the TCP level proves about each subflow direction, where the data
 * sequence space starts, and which mappings are outliers.
 *
 * - A subflow direction's span [lo, hi): lo is 1 after a SYN, else the
 *   lowest sequence number it showed; hi the highest of its sequence ends
 *   (payload, pure ACKs, FIN; not RST) and of its peer's ACKs. A peer's ACK above
 *   everything the sender showed is only believed when the sender showed
 *   nothing after it (the capture may have missed its last segments); a
 *   FIN (seen, or a one-byte tail when the subflow ended) is not data.
 * - The data space of a direction cannot be larger than the bytes its
 *   subflows' spans hold: of the DSS mappings, those outside the largest
 *   group that fits in that size are outliers, left out and reported.
 * - Without a key, data sequence numbers are counted from the lowest DSN of
 *   the accepted mappings, so a lower mapping seen late never wraps.
 * - A connection of one subflow whose handshake was MPTCP but whose data
 *   carries no DSS mapping in a direction fell back to TCP there. */
#include "mptcp_walk.h"
#include "radix.h"
#include <string.h>

guint64 dsn_rel(DsnState *ds, guint64 raw, gboolean is8, gboolean ack)
{
  guint64 *last = ack ? &ds->ack_last : &ds->last;
  guint64 v = is8 ? raw : unwrap32(*last, (guint32)raw);
  guint64 jump = v > *last ? v - *last : *last - v;
  if (jump < ((guint64)1 << 30))
    *last = v;
  return v - ds->base;
}

void mptcp_outlier(MptcpDir *D, guint32 frame, const char *field,
                   guint64 value)
{
  Outlier o = { frame, field, value };
  g_array_append_val(D->outliers, o);
}

/* ---- TCP-level spans ---- */

typedef struct {             /* per subflow direction, while scanning */
  gboolean seen, fin;
  guint64 shown;             /* highest sequence end the sender showed */
  guint64 fin_end;           /* where its data ends, from its FIN */
  gint64 last_ns;            /* its last packet */
  guint64 ack_ok;            /* highest peer ACK not above what it showed */
  GArray *ack_late;          /* LateAck: ACKs above what it had shown */
  SeqTrack ack;
} SpanScan;

typedef struct { guint64 value; gint64 time_ns; } LateAck;

static void scan_sender(SubDir *s, SpanScan *x, const Packet *p)
{
  if (seqtrack_before(&s->seq, p->seq))
    return;
  guint64 rel = seqtrack_rel(&s->seq, p->seq);
  guint64 end = rel + p->len;
  if (!x->seen || rel < s->lo)
    s->lo = rel;
  x->seen = TRUE;
  x->shown = MAX(x->shown, end);
  x->last_ns = p->time_ns;
  if ((p->tcp_flags & TCP_FIN) && !x->fin) {
    x->fin = TRUE;
    x->fin_end = end;
  }
  if (p->mptcp_subtypes & PKT_OPTIONS_CUT)
    s->options_cut = TRUE;
}

static void scan_ack(SpanScan *x, const Packet *p)
{
  if (seqtrack_before(&x->ack, p->ack))
    return;
  guint64 a = seqtrack_rel(&x->ack, p->ack);
  if (a >= ((guint64)1 << 62))
    return;
  if (a <= x->shown) {
    x->ack_ok = MAX(x->ack_ok, a);
    return;
  }
  LateAck l = { a, p->time_ns };
  g_array_append_val(x->ack_late, l);
}

/* The highest peer ACK the sender's own packets do not contradict. */
static guint64 valid_ack(const SpanScan *x, gint64 *when)
{
  guint64 best = x->ack_ok;
  for (guint i = 0; i < x->ack_late->len; i++) {
    const LateAck *l = &g_array_index(x->ack_late, LateAck, i);
    if ((l->value <= x->shown || l->time_ns >= x->last_ns) &&
        l->value > best) {
      best = l->value;
      *when = l->time_ns;
    }
  }
  return best;
}

static void finish_span(SubDir *s, SpanScan *x, gboolean ended)
{
  gint64 when = 0;
  guint64 acked = valid_ack(x, &when);
  s->hi = x->shown;
  if (x->fin) {
    s->hi = x->fin_end;
    acked = MIN(acked, x->fin_end);
  } else if (acked == x->shown + 1 && ended) {
    acked = x->shown;                /* the uncaptured FIN */
  }
  s->hi = MAX(s->hi, acked);
  if (!x->seen)
    s->lo = s->hi = acked;
  s->acked = acked;
  s->acked_ns = when;
  s->budget = s->hi - s->lo;         /* until the walk knows more */
}

static gboolean subflow_ended(const TcpConn *t)
{
  for (guint i = 0; i < t->packets->len; i++)
    if (g_array_index(t->packets, Packet, i).tcp_flags & (TCP_FIN | TCP_RST))
      return TRUE;
  return FALSE;
}

static void scan_spans(Walk *w)
{
  const MptcpConn *m = w->a->conn;
  guint n = m->subflows->len * 2;
  SpanScan *x = g_new0(SpanScan, n);
  for (guint i = 0; i < n; i++) {
    x[i].ack_late = g_array_new(FALSE, FALSE, sizeof(LateAck));
    x[i].ack = w->sd[i].seq;
    w->sd[i].lo = w->sd[i].seq.from_syn ? 1 : 0;
  }
  for (guint r = 0; r < w->refs->len; r++) {
    const Ref *ref = &g_array_index(w->refs, Ref, r);
    const Packet *p = ref->p;
    guint i = ref->sub * 2 + p->src, peer = ref->sub * 2 + (1 - p->src);
    /* a SYN's number precedes the data; a RST's may be anything */
    if (!(p->tcp_flags & TCP_RST) &&
        (!(p->tcp_flags & TCP_SYN) || !w->sd[i].seq.from_syn))
      scan_sender(&w->sd[i], &x[i], p);
    if (p->tcp_flags & TCP_ACK)
      scan_ack(&x[peer], p);
  }
  for (guint i = 0; i < n; i++) {
    if (w->sd[i].seq.from_syn)
      w->sd[i].lo = 1;
    finish_span(&w->sd[i], &x[i],
                subflow_ended(g_ptr_array_index(m->subflows, i / 2)));
    w->sd[i].seq.last = 1;           /* the walk unwraps from the start */
    g_array_free(x[i].ack_late, TRUE);
  }
  g_free(x);
}

/* ---- mappings: outliers, base, fallback ---- */

typedef struct { guint64 start; const Packet *p; } MapEntry;

/* the entries by start (radix, through their indices) */
static void sort_entries(GArray *e)
{
  guint n = e->len;
  guint64 *key = g_new(guint64, n + 1);
  guint32 *idx = g_new(guint32, n + 1);
  MapEntry *copy = g_memdup2(e->data, (gsize)n * sizeof(MapEntry));
  for (guint i = 0; i < n; i++) {
    key[i] = copy[i].start;
    idx[i] = i;
  }
  radix_sort(key, idx, n);
  for (guint i = 0; i < n; i++)
    g_array_index(e, MapEntry, i) = copy[idx[i]];
  g_free(copy);
  g_free(key);
  g_free(idx);
}

/* The sum of the spans of the subflow directions of MPTCP direction d. */
static guint64 direction_span(const Walk *w, int d)
{
  guint64 total = 0;
  for (guint i = 0; i < w->a->conn->subflows->len * 2; i++)
    if (w->sd[i].dir == d)
      total += w->sd[i].hi - w->sd[i].lo;
  return total;
}

/* Keep the largest group of mappings whose starts lie within `size` of
 * each other; the others are outliers. Returns the lowest kept start. */
static guint64 keep_largest_group(Walk *w, int d, GArray *e, guint64 size)
{
  guint best_i = 0, best_n = 0;
  sort_entries(e);
  for (guint i = 0, j = 0; i < e->len; i++) {
    guint64 s = g_array_index(e, MapEntry, i).start;
    if (j < i)
      j = i;
    while (j < e->len && g_array_index(e, MapEntry, j).start - s <= size)
      j++;
    if (j - i > best_n) {
      best_n = j - i;
      best_i = i;
    }
  }
  for (guint i = 0; i < e->len; i++) {
    const MapEntry *x = &g_array_index(e, MapEntry, i);
    if (i < best_i || i >= best_i + best_n) {
      g_hash_table_add(w->rejected, (gpointer)x->p);
      mptcp_outlier(&w->a->dir[d], x->p->frame, "dsn", x->p->dsn);
    }
  }
  return e->len ? g_array_index(e, MapEntry, best_i).start : 0;
}

/* Direction d's mappings with their DSNs unwrapped (relative to the IDSN
 * with a key, else absolute), in frame order; counts them in *explicit.
 * With a key, those at or below the IDSN, or further above it than all
 * the subflows' spans hold (size), are outliers at once. */
static GArray *collect_mappings(Walk *w, int d, DsnState *ds, guint *explicit,
                                guint64 size)
{
  GArray *e = g_array_new(FALSE, FALSE, sizeof(MapEntry));
  *explicit = 0;
  for (guint r = 0; r < w->refs->len; r++) {
    const Ref *ref = &g_array_index(w->refs, Ref, r);
    const Packet *p = ref->p;
    const TcpConn *t = g_ptr_array_index(w->a->conn->subflows, ref->sub);
    if (mptcp_dir(t, p) != d || !(p->dss_flags & DSS_MAP) ||
        (p->dss_flags & DSS_IMPLICIT))
      continue;
    (*explicit)++;
    guint64 v = dsn_rel(ds, p->dsn, (p->dss_flags & DSS_DSN8) != 0, FALSE);
    if (ds->init && (v == 0 || v > size)) {
      g_hash_table_add(w->rejected, (gpointer)p);
      mptcp_outlier(&w->a->dir[d], p->frame, "dsn", p->dsn);
      continue;
    }
    MapEntry x = { v, p };           /* relative; absolute without a key */
    g_array_append_val(e, x);
  }
  return e;
}

/* Where the walk's DSN state starts: from the key (ds->init already), or
 * from the first DSN seen, shifted up one 32-bit wrap so 4-byte values
 * below it unwrap too. */
static void scan_start(Walk *w, int d, DsnState *ds)
{
  ds->last = ds->ack_last = ds->base;
  if (ds->init)
    return;
  for (guint r = 0; r < w->refs->len; r++) {
    const Ref *ref = &g_array_index(w->refs, Ref, r);
    const TcpConn *t = g_ptr_array_index(w->a->conn->subflows, ref->sub);
    const Packet *p = ref->p;
    if (mptcp_dir(t, p) == d && (p->dss_flags & DSS_MAP) &&
        !(p->dss_flags & DSS_IMPLICIT)) {
      ds->last = (p->dss_flags & DSS_DSN8) ? p->dsn
                                           : p->dsn + ((guint64)1 << 32);
      ds->ack_last = ds->last;
      return;
    }
  }
}

static gboolean carries_payload(const Walk *w, int d)
{
  for (guint r = 0; r < w->refs->len; r++) {
    const Ref *ref = &g_array_index(w->refs, Ref, r);
    const TcpConn *t = g_ptr_array_index(w->a->conn->subflows, ref->sub);
    if (ref->p->len && mptcp_dir(t, ref->p) == d)
      return TRUE;
  }
  return FALSE;
}

static void scan_direction(Walk *w, int d)
{
  DsnState *ds = &w->ds[d];
  DsnState probe;
  guint explicit;
  scan_start(w, d, ds);
  probe = *ds;                       /* the walk unwraps from the same start */
  guint64 size = direction_span(w, d) + 65536;
  GArray *e = collect_mappings(w, d, &probe, &explicit, size);
  guint64 low = keep_largest_group(w, d, e, size);
  if (!ds->init && e->len) {
    ds->base = low - 1;
    ds->init = TRUE;
  }
  const MptcpConn *m = w->a->conn;
  if (explicit == 0 && m->version >= 0 && m->subflows->len == 1 &&
      carries_payload(w, d)) {
    ds->fallback = !walk_subdir_of(w, 0, d)->options_cut;
  }
  g_array_free(e, TRUE);
}

void mptcp_scan(Walk *w)
{
  scan_spans(w);
  for (int d = 0; d < 2; d++)
    scan_direction(w, d);
}
