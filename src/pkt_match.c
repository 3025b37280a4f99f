/* pkt_match.c - pairing packets of one connection across two captures
 * (see pkt_match.h): signatures sorted and merged, one direction at a
 * time, first with the full signature, then the TCP header alone. */
#include "pkt_match.h"
#include <stdlib.h>
#include <string.h>

/* a product of pairs beyond which identical copies simply pair in order */
#define DP_MAX 4096

typedef struct {
  guint64 sig;
  gint64 time_ns;
  guint32 idx;
} SigRef;

static guint64 mix(guint64 h, guint64 v)
{
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h ^= h >> 31;
  h *= 0xbf58476d1ce4e5b9ULL;
  return h ^ (h >> 29);
}

/* TCP header fields a path leaves unchanged */
static guint64 sig_header(const Packet *p)
{
  guint64 h = mix(0x5151, p->seq);
  h = mix(h, (p->tcp_flags & TCP_ACK) ? p->ack : 0);
  h = mix(h, p->len);
  return mix(h, p->tcp_flags);
}

/* ... and the options: timestamp, MPTCP */
static guint64 sig_full(const Packet *p)
{
  guint64 h = mix(sig_header(p), p->tsval);
  h = mix(h, p->mptcp_subtypes & ~PKT_OPTIONS_CUT);
  if (p->dss_flags) {
    h = mix(h, p->dss_flags);
    h = mix(h, p->dsn);
    h = mix(h, p->data_ack);
    h = mix(h, ((guint64)p->ssn << 16) | p->data_len);
  }
  return h;
}

static gboolean cut(const Packet *p)
{
  return (p->mptcp_subtypes & PKT_OPTIONS_CUT) != 0;
}

static gint by_sig(gconstpointer a, gconstpointer b)
{
  const SigRef *x = a, *y = b;
  if (x->sig != y->sig) return x->sig < y->sig ? -1 : 1;
  if (x->time_ns != y->time_ns) return x->time_ns < y->time_ns ? -1 : 1;
  return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The unpaired packets of t sent by endpoint e, with their signatures;
 * full: the full signature, skipping packets whose options were cut. */
static GArray *refs(const TcpConn *t, int e, const guint8 *paired,
                    gboolean full)
{
  GArray *r = g_array_new(FALSE, FALSE, sizeof(SigRef));
  for (guint i = 0; i < t->packets->len; i++) {
    const Packet *p = &g_array_index(t->packets, Packet, i);
    if (p->src != e || paired[i] || (full && cut(p)))
      continue;
    SigRef s = { full ? sig_full(p) : sig_header(p), p->time_ns, i };
    g_array_append_val(r, s);
  }
  g_array_sort(r, by_sig);
  return r;
}

/* ---- groups of equal signatures ---- */

typedef struct {
  const SigRef *a, *b;
  guint na, nb;
} Group;

typedef gboolean (*GroupFn)(const Group *g, void *user);

/* Walk the groups of equal signature present on both sides. */
static void each_group(const GArray *ra, const GArray *rb, GroupFn fn,
                       void *user)
{
  guint i = 0, j = 0;
  while (i < ra->len && j < rb->len) {
    guint64 sa = g_array_index(ra, SigRef, i).sig;
    guint64 sb = g_array_index(rb, SigRef, j).sig;
    if (sa != sb) {
      if (sa < sb) i++; else j++;
      continue;
    }
    Group g = { &g_array_index(ra, SigRef, i), &g_array_index(rb, SigRef, j),
                0, 0 };
    while (i + g.na < ra->len && g_array_index(ra, SigRef, i + g.na).sig == sa)
      g.na++;
    while (j + g.nb < rb->len && g_array_index(rb, SigRef, j + g.nb).sig == sa)
      g.nb++;
    if (!fn(&g, user))
      return;
    i += g.na;
    j += g.nb;
  }
}

static gboolean collect_unique(const Group *g, void *user)
{
  if (g->na == 1 && g->nb == 1) {
    gint64 d = g->b[0].time_ns - g->a[0].time_ns;
    g_array_append_val((GArray *)user, d);
  }
  return TRUE;
}

static gint cmp_i64(gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
  return x < y ? -1 : x > y;
}

/* ---- pairing one group ---- */

typedef struct {
  GArray *pairs;
  guint8 *paired_a, *paired_b;
  gint64 usual;              /* the direction's usual time difference */
} Pairing;

static void pair(Pairing *p, guint32 a, guint32 b)
{
  PktPair x = { a, b };
  g_array_append_val(p->pairs, x);
  p->paired_a[a] = p->paired_b[b] = 1;
}

static guint64 cost(const Pairing *p, const SigRef *a, const SigRef *b)
{
  gint64 d = (b->time_ns - a->time_ns) - p->usual;
  return (guint64)(d < 0 ? -d : d);
}

/* Choose n = min(na, nb) pairs in order, minimising the distance of their
 * time differences to the usual one (dynamic programming over prefixes). */
static void pair_best(Pairing *p, const Group *g)
{
  guint na = g->na, nb = g->nb, n = MIN(na, nb);
  /* best[i][k]: least cost pairing k of the first i of the larger side
   * with the first k of the smaller side */
  gboolean a_big = na >= nb;
  guint big = a_big ? na : nb;
  guint64 *best = g_new(guint64, (big + 1) * (n + 1));
  guint8 *took = g_new0(guint8, (big + 1) * (n + 1));
  const guint64 inf = G_MAXUINT64 / 2;
  for (guint i = 0; i <= big; i++)
    for (guint k = 0; k <= n; k++)
      best[i * (n + 1) + k] = k == 0 ? 0 : inf;
  for (guint i = 1; i <= big; i++)
    for (guint k = 1; k <= MIN(i, n); k++) {
      const SigRef *x = a_big ? &g->a[i - 1] : &g->a[k - 1];
      const SigRef *y = a_big ? &g->b[k - 1] : &g->b[i - 1];
      guint64 skip = best[(i - 1) * (n + 1) + k];
      guint64 use = best[(i - 1) * (n + 1) + k - 1] + cost(p, x, y);
      best[i * (n + 1) + k] = MIN(skip, use);
      took[i * (n + 1) + k] = use < skip;
    }
  for (guint i = big, k = n; k > 0; i--)
    if (took[i * (n + 1) + k]) {
      guint ia = a_big ? i - 1 : k - 1, ib = a_big ? k - 1 : i - 1;
      pair(p, g->a[ia].idx, g->b[ib].idx);
      k--;
    }
  g_free(best);
  g_free(took);
}

static gboolean pair_group(const Group *g, void *user)
{
  Pairing *p = user;
  if (g->na == g->nb || (guint64)g->na * g->nb > DP_MAX) {
    for (guint k = 0; k < MIN(g->na, g->nb); k++)
      pair(p, g->a[k].idx, g->b[k].idx);
    return TRUE;
  }
  pair_best(p, g);
  return TRUE;
}

/* Pair ta's packets sent by ea with tb's sent by eb, in one round. */
static void pair_round(const TcpConn *ta, int ea, const TcpConn *tb, int eb,
                       Pairing *p, gboolean full)
{
  GArray *ra = refs(ta, ea, p->paired_a, full);
  GArray *rb = refs(tb, eb, p->paired_b, full);
  GArray *diffs = g_array_new(FALSE, FALSE, sizeof(gint64));
  each_group(ra, rb, collect_unique, diffs);
  if (diffs->len) {
    g_array_sort(diffs, cmp_i64);
    p->usual = g_array_index(diffs, gint64, diffs->len / 2);
  }
  each_group(ra, rb, pair_group, p);
  g_array_free(diffs, TRUE);
  g_array_free(ra, TRUE);
  g_array_free(rb, TRUE);
}

static gint by_a(gconstpointer x, gconstpointer y)
{
  guint32 a = ((const PktPair *)x)->a, b = ((const PktPair *)y)->a;
  return a < b ? -1 : a > b;
}

static void leftovers(const TcpConn *t, int e, const guint8 *paired, GArray *out)
{
  for (guint32 i = 0; i < t->packets->len; i++)
    if (g_array_index(t->packets, Packet, i).src == e && !paired[i])
      g_array_append_val(out, i);
}

/* One direction: ta's endpoint ea against tb's endpoint eb. */
static void match_dir(const TcpConn *ta, int ea, const TcpConn *tb, int eb,
                      guint8 *paired_a, guint8 *paired_b, PktDir *d)
{
  Pairing p = { g_array_new(FALSE, FALSE, sizeof(PktPair)), paired_a,
                paired_b, 0 };
  pair_round(ta, ea, tb, eb, &p, TRUE);
  pair_round(ta, ea, tb, eb, &p, FALSE);
  g_array_sort(p.pairs, by_a);
  d->b_endpoint = eb;
  d->pairs = p.pairs;
  d->only_a = g_array_new(FALSE, FALSE, sizeof(guint32));
  d->only_b = g_array_new(FALSE, FALSE, sizeof(guint32));
  leftovers(ta, ea, paired_a, d->only_a);
  leftovers(tb, eb, paired_b, d->only_b);
}

static guint match_with(const TcpConn *ta, const TcpConn *tb, gboolean swap,
                        PktMatch *out)
{
  guint8 *pa = g_new0(guint8, ta->packets->len + 1);
  guint8 *pb = g_new0(guint8, tb->packets->len + 1);
  guint n = 0;
  for (int e = 0; e < 2; e++) {
    gboolean a_client = e == ta->client;
    int eb = (a_client != swap) ? tb->client : conn_server(tb);
    match_dir(ta, e, tb, eb, pa, pb, &out->dir[e]);
    n += out->dir[e].pairs->len;
  }
  g_free(pa);
  g_free(pb);
  return n;
}

void pkt_match(const TcpConn *ta, const TcpConn *tb, PktMatch *out)
{
  memset(out, 0, sizeof *out);
  if (match_with(ta, tb, FALSE, out) > 0)
    return;
  PktMatch other;                    /* roles decided differently? */
  memset(&other, 0, sizeof other);
  if (match_with(ta, tb, TRUE, &other) > 0) {
    pkt_match_clear(out);
    *out = other;
  } else {
    pkt_match_clear(&other);
  }
}

void pkt_match_clear(PktMatch *m)
{
  for (int e = 0; e < 2; e++) {
    if (m->dir[e].pairs) g_array_free(m->dir[e].pairs, TRUE);
    if (m->dir[e].only_a) g_array_free(m->dir[e].only_a, TRUE);
    if (m->dir[e].only_b) g_array_free(m->dir[e].only_b, TRUE);
  }
  memset(m, 0, sizeof *m);
}

static int cmp_u64(const void *a, const void *b)
{
  guint64 x = *(const guint64 *)a, y = *(const guint64 *)b;
  return x < y ? -1 : x > y;
}

/* a RST answering an unexpected segment may carry seq 0, ack 0: such a
 * packet says nothing about which connection it belongs to */
static gboolean telling(const Packet *p)
{
  return p->seq != 0 || p->ack != 0;
}

guint pkt_shared(const TcpConn *ta, const TcpConn *tb)
{
  guint n = 0, shared = 0;
  guint64 *sigs = g_new(guint64, ta->packets->len + 1);
  for (guint i = 0; i < ta->packets->len; i++) {
    const Packet *p = &g_array_index(ta->packets, Packet, i);
    if (telling(p))
      sigs[n++] = sig_header(p);
  }
  qsort(sigs, n, sizeof *sigs, cmp_u64);
  for (guint i = 0; i < tb->packets->len; i++) {
    const Packet *p = &g_array_index(tb->packets, Packet, i);
    guint64 s = sig_header(p);
    if (n && telling(p) && bsearch(&s, sigs, n, sizeof *sigs, cmp_u64))
      shared++;
  }
  g_free(sigs);
  return shared;
}
