/* conn_map.c - candidates for "the same connection" in another capture
 * (see conn_map.h for the evidence and the scores). */
#include "conn_map.h"
#include "pkt_match.h"
#include <string.h>

/* The ISN endpoint e sent in its SYN (or SYN/ACK); FALSE if not seen. */
static gboolean isn_of(const TcpConn *t, int e, guint32 *isn)
{
  for (guint i = 0; i < t->packets->len; i++) {
    const Packet *p = &g_array_index(t->packets, Packet, i);
    if (p->src == e && (p->tcp_flags & TCP_SYN)) {
      *isn = p->seq;
      return TRUE;
    }
  }
  return FALSE;
}

static void lifetime(const TcpConn *t, gint64 *first, gint64 *last)
{
  *first = G_MAXINT64;
  *last = G_MININT64;
  for (guint i = 0; i < t->packets->len; i++) {
    gint64 ns = g_array_index(t->packets, Packet, i).time_ns;
    *first = MIN(*first, ns);
    *last = MAX(*last, ns);
  }
}

static double overlap(const TcpConn *a, const TcpConn *b)
{
  gint64 fa, la, fb, lb;
  lifetime(a, &fa, &la);
  lifetime(b, &fb, &lb);
  gint64 common = MIN(la, lb) - MAX(fa, fb);
  gint64 shorter = MIN(la - fa, lb - fb);
  if (common < 0)
    return 0;
  return shorter > 0 ? (double)common / (double)shorter : 1.0;
}

void conn_evidence(const TcpConn *a, const PktSigs *sa, const TcpConn *b,
                   const PktSigs *sb, TcpCandidate *c)
{
  memset(c, 0, sizeof *c);
  c->b = b;
  for (int r = 0; r < 2; r++) {                  /* 0 client, 1 server */
    int ea = r == 0 ? a->client : conn_server(a);
    int eb = r == 0 ? b->client : conn_server(b);
    guint32 x, y;
    c->isn[r] = isn_of(a, ea, &x) && isn_of(b, eb, &y)
                ? (x == y ? EV_EQUAL : EV_DIFFERENT) : EV_UNKNOWN;
    c->tuple[r * 2] = g_strcmp0(a->ip[ea], b->ip[eb]) == 0;
    c->tuple[r * 2 + 1] = a->port[ea] == b->port[eb];
  }
  c->shared = pkt_shared(sa, sb);
  c->overlap = overlap(a, b);
  c->packets[0] = a->packets->len;
  c->packets[1] = b->packets->len;
  guint small = MIN(c->packets[0], c->packets[1]);
  guint big = MAX(c->packets[0], c->packets[1]);
  gboolean ruled_out = c->isn[0] == EV_DIFFERENT || c->isn[1] == EV_DIFFERENT;
  c->match = !ruled_out && (c->isn[0] == EV_EQUAL || c->isn[1] == EV_EQUAL ||
                            c->shared >= 2);
  for (int r = 0; r < 2; r++)
    c->score += c->isn[r] == EV_EQUAL ? 40 : 0;
  c->score += small ? 40.0 * MIN(c->shared, small) / small : 0;
  for (int i = 0; i < 4; i++)
    c->score += c->tuple[i] ? 5 : 0;
  if (c->match || c->shared) {        /* only with evidence of their own */
    c->score += 5 * c->overlap;
    c->score += big ? 5.0 * small / big : 0;
  }
  if (ruled_out)
    c->score = MIN(c->score, 20);     /* a look-alike at best */
}

static gint tcp_best_first(gconstpointer x, gconstpointer y)
{
  const TcpCandidate *a = x, *b = y;
  if (a->match != b->match) return a->match ? -1 : 1;
  if (a->score != b->score) return a->score > b->score ? -1 : 1;
  return a->b->stream < b->b->stream ? -1 : a->b->stream > b->b->stream;
}

GArray *conn_map_tcp(const TcpConn *a, const Capture *cb)
{
  GArray *out = g_array_new(FALSE, FALSE, sizeof(TcpCandidate));
  PktSigs sa, sb;
  pkt_sigs(a, &sa);
  for (guint i = 0; i < cb->tcp->len; i++) {
    TcpCandidate c;
    const TcpConn *b = g_ptr_array_index(cb->tcp, i);
    pkt_sigs(b, &sb);
    conn_evidence(a, &sa, b, &sb, &c);
    pkt_sigs_clear(&sb);
    if (c.score > 0)
      g_array_append_val(out, c);
  }
  pkt_sigs_clear(&sa);
  g_array_sort(out, tcp_best_first);
  return out;
}

/* ---- MPTCP ---- */

typedef struct { guint i, j; double score; } Cell;

static gint cell_best_first(gconstpointer x, gconstpointer y)
{
  const Cell *a = x, *b = y;
  if (a->score != b->score) return a->score > b->score ? -1 : 1;
  if (a->i != b->i) return a->i < b->i ? -1 : 1;
  return a->j < b->j ? -1 : a->j > b->j;
}

/* Pair the subflows one to one, the best-supported pairs first; a subflow
 * no matching subflow of b fits stays alone. */
static GArray *pair_subflows(const MptcpConn *a, const MptcpConn *b)
{
  guint na = a->subflows->len, nb = b->subflows->len;
  GArray *cells = g_array_new(FALSE, FALSE, sizeof(Cell));
  PktSigs *sa = g_new(PktSigs, na + 1), *sb = g_new(PktSigs, nb + 1);
  for (guint i = 0; i < na; i++)
    pkt_sigs(g_ptr_array_index(a->subflows, i), &sa[i]);
  for (guint j = 0; j < nb; j++)
    pkt_sigs(g_ptr_array_index(b->subflows, j), &sb[j]);
  for (guint i = 0; i < na; i++)
    for (guint j = 0; j < nb; j++) {
      TcpCandidate c;
      conn_evidence(g_ptr_array_index(a->subflows, i), &sa[i],
                    g_ptr_array_index(b->subflows, j), &sb[j], &c);
      if (c.match) {
        Cell x = { i, j, c.score };
        g_array_append_val(cells, x);
      }
    }
  for (guint i = 0; i < na; i++)
    pkt_sigs_clear(&sa[i]);
  for (guint j = 0; j < nb; j++)
    pkt_sigs_clear(&sb[j]);
  g_free(sa);
  g_free(sb);
  g_array_sort(cells, cell_best_first);
  GArray *pairs = g_array_sized_new(FALSE, TRUE, sizeof(SubflowPair), na);
  gboolean *used = g_new0(gboolean, nb + 1);
  for (guint i = 0; i < na; i++) {
    SubflowPair p = { g_ptr_array_index(a->subflows, i), NULL, 0 };
    g_array_append_val(pairs, p);
  }
  for (guint k = 0; k < cells->len; k++) {
    const Cell *x = &g_array_index(cells, Cell, k);
    SubflowPair *p = &g_array_index(pairs, SubflowPair, x->i);
    if (p->b || used[x->j])
      continue;
    p->b = g_ptr_array_index(b->subflows, x->j);
    p->score = x->score;
    used[x->j] = TRUE;
  }
  g_free(used);
  g_array_free(cells, TRUE);
  return pairs;
}

static void mptcp_evidence(const MptcpConn *a, const MptcpConn *b,
                           MptcpCandidate *c)
{
  memset(c, 0, sizeof *c);
  c->b = b;
  for (int r = 0; r < 2; r++) {
    c->key[r] = a->has_key[r] && b->has_key[r]
                ? (a->key[r] == b->key[r] ? EV_EQUAL : EV_DIFFERENT)
                : EV_UNKNOWN;
    c->score += c->key[r] == EV_EQUAL ? 50 : 0;
  }
  gboolean ruled_out = c->key[0] == EV_DIFFERENT || c->key[1] == EV_DIFFERENT;
  c->subflows = pair_subflows(a, b);
  guint paired = 0;
  for (guint i = 0; i < c->subflows->len; i++) {
    const SubflowPair *p = &g_array_index(c->subflows, SubflowPair, i);
    c->score += p->score;
    paired += p->b != NULL;
  }
  c->match = !ruled_out && (c->key[0] == EV_EQUAL || c->key[1] == EV_EQUAL ||
                            paired > 0);
  if (ruled_out) {
    for (guint i = 0; i < c->subflows->len; i++)
      g_array_index(c->subflows, SubflowPair, i).b = NULL;
    c->score = MIN(c->score, 20);
  }
}

static gint mptcp_best_first(gconstpointer x, gconstpointer y)
{
  const MptcpCandidate *a = x, *b = y;
  if (a->match != b->match) return a->match ? -1 : 1;
  if (a->score != b->score) return a->score > b->score ? -1 : 1;
  return a->b->id < b->b->id ? -1 : a->b->id > b->b->id;
}

GArray *conn_map_mptcp(const MptcpConn *a, const Capture *cb)
{
  GArray *out = g_array_new(FALSE, FALSE, sizeof(MptcpCandidate));
  for (guint i = 0; i < cb->mptcp->len; i++) {
    MptcpCandidate c;
    mptcp_evidence(a, g_ptr_array_index(cb->mptcp, i), &c);
    if (c.score > 0)
      g_array_append_val(out, c);
    else
      g_array_free(c.subflows, TRUE);
  }
  g_array_sort(out, mptcp_best_first);
  return out;
}

void conn_map_mptcp_free(GArray *candidates)
{
  for (guint i = 0; i < candidates->len; i++)
    g_array_free(g_array_index(candidates, MptcpCandidate, i).subflows, TRUE);
  g_array_free(candidates, TRUE);
}
