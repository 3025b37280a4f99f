/* pkt_match.c - pairing packets of one connection across two captures
 * (see pkt_match.h): signatures sorted and merged, one direction at a
 * time, first with the full signature, then the TCP header alone. */
#include "pkt_match.h"
#include "radix.h"
#include <stdlib.h>
#include <string.h>

/* a product of pairs beyond which identical copies simply pair in order */
#define DP_MAX 4096

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

/* The signatures of the unpaired packets of t sent by endpoint e, sorted,
 * with the packets' indices (equal signatures in capture order); full:
 * the full signature, skipping packets whose options were cut. */
typedef struct { guint64 *sig; guint32 *idx; guint n; } Refs;

static void refs(const TcpConn *t, int e, const guint8 *paired,
                 gboolean full, Refs *r)
{
  r->sig = g_new(guint64, t->packets->len + 1);
  r->idx = g_new(guint32, t->packets->len + 1);
  r->n = 0;
  for (guint i = 0; i < t->packets->len; i++) {
    const Packet *p = &g_array_index(t->packets, Packet, i);
    if (p->src != e || paired[i] || (full && cut(p)))
      continue;
    r->sig[r->n] = full ? sig_full(p) : sig_header(p);
    r->idx[r->n++] = i;
  }
  radix_sort(r->sig, r->idx, r->n);
}

static void refs_clear(Refs *r)
{
  g_free(r->sig);
  g_free(r->idx);
}

/* ---- groups of equal signatures ---- */

typedef struct {
  const guint32 *a, *b;          /* packet indices in ta and tb */
  guint na, nb;
} Group;

typedef void (*GroupFn)(const Group *g, void *user);

/* Walk the groups of equal signature present on both sides. */
static void each_group(const Refs *ra, const Refs *rb, GroupFn fn, void *user)
{
  guint i = 0, j = 0;
  while (i < ra->n && j < rb->n) {
    guint64 s = ra->sig[i];
    if (s != rb->sig[j]) {
      if (s < rb->sig[j]) i++; else j++;
      continue;
    }
    Group g = { ra->idx + i, rb->idx + j, 0, 0 };
    while (i + g.na < ra->n && ra->sig[i + g.na] == s)
      g.na++;
    while (j + g.nb < rb->n && rb->sig[j + g.nb] == s)
      g.nb++;
    fn(&g, user);
    i += g.na;
    j += g.nb;
  }
}

/* ---- pairing one group ---- */

typedef struct {
  const TcpConn *ta, *tb;
  GArray *pairs;
  guint8 *paired_a, *paired_b;
  gint64 usual;              /* the direction's usual time difference */
  GArray *diffs;             /* gint64: those of the unambiguous pairs */
} Pairing;

static gint64 time_of(const TcpConn *t, guint32 i)
{
  return g_array_index(t->packets, Packet, i).time_ns;
}

static void collect_unique(const Group *g, void *user)
{
  Pairing *p = user;
  if (g->na == 1 && g->nb == 1) {
    gint64 d = time_of(p->tb, g->b[0]) - time_of(p->ta, g->a[0]);
    g_array_append_val(p->diffs, d);
  }
}

static gint cmp_i64(gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
  return x < y ? -1 : x > y;
}

static void pair(Pairing *p, guint32 a, guint32 b)
{
  PktPair x = { a, b };
  g_array_append_val(p->pairs, x);
  p->paired_a[a] = p->paired_b[b] = 1;
}

static guint64 cost(const Pairing *p, guint32 a, guint32 b)
{
  gint64 d = (time_of(p->tb, b) - time_of(p->ta, a)) - p->usual;
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
      guint32 x = a_big ? g->a[i - 1] : g->a[k - 1];
      guint32 y = a_big ? g->b[k - 1] : g->b[i - 1];
      guint64 skip = best[(i - 1) * (n + 1) + k];
      guint64 use = best[(i - 1) * (n + 1) + k - 1] + cost(p, x, y);
      best[i * (n + 1) + k] = MIN(skip, use);
      took[i * (n + 1) + k] = use < skip;
    }
  for (guint i = big, k = n; k > 0; i--)
    if (took[i * (n + 1) + k]) {
      guint ia = a_big ? i - 1 : k - 1, ib = a_big ? k - 1 : i - 1;
      pair(p, g->a[ia], g->b[ib]);
      k--;
    }
  g_free(best);
  g_free(took);
}

static void pair_group(const Group *g, void *user)
{
  Pairing *p = user;
  if (g->na == g->nb || (guint64)g->na * g->nb > DP_MAX) {
    for (guint k = 0; k < MIN(g->na, g->nb); k++)
      pair(p, g->a[k], g->b[k]);
    return;
  }
  pair_best(p, g);
}

/* Pair ta's packets sent by ea with tb's sent by eb, in one round. */
static void pair_round(int ea, int eb, Pairing *p, gboolean full)
{
  Refs ra, rb;
  refs(p->ta, ea, p->paired_a, full, &ra);
  refs(p->tb, eb, p->paired_b, full, &rb);
  g_array_set_size(p->diffs, 0);
  each_group(&ra, &rb, collect_unique, p);
  if (p->diffs->len) {
    g_array_sort(p->diffs, cmp_i64);
    p->usual = g_array_index(p->diffs, gint64, p->diffs->len / 2);
  }
  each_group(&ra, &rb, pair_group, p);
  refs_clear(&ra);
  refs_clear(&rb);
}

/* pairs in the order of ta's packets */
static void sort_pairs(GArray *pairs)
{
  guint n = pairs->len;
  guint64 *a = g_new(guint64, n + 1);
  guint32 *b = g_new(guint32, n + 1);
  for (guint i = 0; i < n; i++) {
    a[i] = g_array_index(pairs, PktPair, i).a;
    b[i] = g_array_index(pairs, PktPair, i).b;
  }
  radix_sort(a, b, n);
  for (guint i = 0; i < n; i++)
    g_array_index(pairs, PktPair, i) = (PktPair){ (guint32)a[i], b[i] };
  g_free(a);
  g_free(b);
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
  Pairing p = { ta, tb, g_array_new(FALSE, FALSE, sizeof(PktPair)), paired_a,
                paired_b, 0, g_array_new(FALSE, FALSE, sizeof(gint64)) };
  pair_round(ea, eb, &p, TRUE);
  pair_round(ea, eb, &p, FALSE);
  g_array_free(p.diffs, TRUE);
  sort_pairs(p.pairs);
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

/* a RST answering an unexpected segment may carry seq 0, ack 0: such a
 * packet says nothing about which connection it belongs to */
static gboolean telling(const Packet *p)
{
  return p->seq != 0 || p->ack != 0;
}

void pkt_sigs(const TcpConn *t, PktSigs *out)
{
  out->sig = g_new(guint64, t->packets->len + 1);
  out->n = 0;
  for (guint i = 0; i < t->packets->len; i++) {
    const Packet *p = &g_array_index(t->packets, Packet, i);
    if (telling(p))
      out->sig[out->n++] = sig_header(p);
  }
  radix_sort(out->sig, NULL, out->n);
}

void pkt_sigs_clear(PktSigs *s)
{
  g_free(s->sig);
  s->sig = NULL;
  s->n = 0;
}

guint pkt_shared(const PktSigs *sa, const PktSigs *sb)
{
  const guint64 *a = sa->sig, *b = sb->sig;
  guint shared = 0;
  for (guint i = 0, j = 0; i < sa->n && j < sb->n; ) {
    if (a[i] < b[j]) i++;
    else if (a[i] > b[j]) j++;
    else { shared++; i++; j++; }
  }
  return shared;
}
