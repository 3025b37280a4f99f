/* mptcp_place.c - pass 3 of the data-level analysis (see mptcp_walk.h):
 * where each direction's data space ends, and who carried the bytes no
 * captured packet shows.
 *
 * Budgets: a subflow direction cannot have carried more data than its span
 * [lo, hi) holds, so it is credited without a captured packet at most its
 * span less the data it was seen to carry first. The direction's capacity
 * is the sum of these budgets.
 *
 * The end of the data space is the highest of: the captured payload's
 * data ranges; the mappings, each as far as its subflow's span reaches;
 * the DATA_FIN; and the highest data ACK. A DATA_FIN or a data ACK is
 * believed only when the bytes it claims beyond the captured ones fit in
 * the capacity; a data ACK that claims exactly one more shows a DATA_FIN
 * the capture missed (it takes a data sequence number, not a byte);
 * anything beyond is an outlier, reported and left out.
 *
 * Then the missed bytes are placed: holes where the subflow's sequence
 * numbers put them, and what is left to the subflows with budget left,
 * preferring the one that carried the bytes just before; what nobody can
 * have carried stays unattributed. */
#include "mptcp_walk.h"
#include <string.h>

/* ---- how many captured data bytes lie below a DSN ---- */

typedef struct {
  GArray *end;               /* guint64: range ends, increasing */
  GArray *below;             /* guint64: captured bytes below each end */
  GArray *start;             /* guint64: range starts */
} Captured;

static gboolean add_captured(const CarrierRange *r, void *user)
{
  Captured *c = user;
  guint64 total = c->below->len
      ? g_array_index(c->below, guint64, c->below->len - 1) : 0;
  if (!r->frame)
    return FALSE;
  total += r->end - r->start;
  g_array_append_val(c->start, r->start);
  g_array_append_val(c->end, r->end);
  g_array_append_val(c->below, total);
  return FALSE;
}

static void captured_init(Captured *c, const Carriers *cr)
{
  guint n = carriers_count(cr);
  c->end = g_array_sized_new(FALSE, FALSE, sizeof(guint64), n);
  c->below = g_array_sized_new(FALSE, FALSE, sizeof(guint64), n);
  c->start = g_array_sized_new(FALSE, FALSE, sizeof(guint64), n);
  carriers_foreach(cr, add_captured, c);
}

static void captured_clear(Captured *c)
{
  g_array_free(c->end, TRUE);
  g_array_free(c->below, TRUE);
  g_array_free(c->start, TRUE);
}

/* captured bytes in [1, x) */
static guint64 captured_below(const Captured *c, guint64 x)
{
  guint lo = 0, hi = c->end->len;            /* first range ending after x */
  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;
    if (g_array_index(c->end, guint64, mid) <= x) lo = mid + 1;
    else hi = mid;
  }
  guint64 n = lo ? g_array_index(c->below, guint64, lo - 1) : 0;
  if (lo < c->end->len && g_array_index(c->start, guint64, lo) < x)
    n += x - g_array_index(c->start, guint64, lo);
  return n;
}

/* bytes of [1, x) no captured packet shows */
static guint64 missing_below(const Captured *c, guint64 x)
{
  return x > 1 ? (x - 1) - MIN(x - 1, captured_below(c, x)) : 0;
}

/* ---- budgets ---- */

/* Take back up to n bytes inferred for subflow k, the highest first. */
static void uncredit(Walk *w, int d, guint32 k, guint64 n)
{
  MptcpDir *D = &w->a->dir[d];
  guint64 cut = carriers_take_back(&w->ds[d].carriers, k, n);
  D->sub[k].application_bytes -= cut;
  D->sub[k].inferred_bytes -= cut;
  D->inferred_bytes -= cut;
}

/* Each subflow's budget; bytes the walk inferred past it (sequence
 * numbers that contradict each other) are taken back. */
static guint64 set_budgets(Walk *w, int d)
{
  guint64 total = 0;
  for (guint k = 0; k < w->a->conn->subflows->len; k++) {
    SubDir *s = walk_subdir_of(w, k, d);
    SubflowFigures *f = &w->a->dir[d].sub[k];
    guint64 span = s->hi - s->lo;
    guint64 captured = f->application_bytes - f->inferred_bytes;
    s->budget = span - MIN(span, captured);
    if (f->inferred_bytes > s->budget)
      uncredit(w, d, k, f->inferred_bytes - s->budget);
    f->span_bytes = span;
    total += s->budget;
  }
  return total;
}

/* ---- the end of the data space ---- */

typedef struct {
  guint64 end;               /* the highest corroborated mapping end */
  const SubDir *s;
  MptcpDir *report;          /* when set: report mappings reaching past end */
} MapEnd;

/* A mapping counts as far as its subflow's span reaches. */
static void corroborated_end(const Mapping *m, void *user)
{
  MapEnd *e = user;
  guint64 reach = e->s->hi > m->ssn ? e->s->hi - m->ssn : 0;
  if (!e->report)
    e->end = MAX(e->end, m->dsn + MIN(m->len, reach));
  else if (m->len > reach && m->len < MAP_INFINITE && m->dsn + m->len > e->end)
    mptcp_outlier(e->report, m->frame, "data_level_length", m->len);
}

/* The highest corroborated mapping end of direction d; with report set,
 * instead report the mappings whose length reaches past end. */
static guint64 mappings_end(Walk *w, int d, MptcpDir *report, guint64 end)
{
  MapEnd e = { end, NULL, report };
  if (!report)
    e.end = 0;
  for (guint k = 0; k < w->a->conn->subflows->len; k++) {
    e.s = walk_subdir_of(w, k, d);
    mapping_set_foreach(&e.s->maps, corroborated_end, &e);
  }
  return e.end;
}

/* A DATA_FIN at F: believed when the bytes below it fit the capacity. */
static guint64 check_data_fin(MptcpDir *D, const Captured *c, guint64 end,
                              guint64 capacity)
{
  if (!D->data_fin)
    return end;
  guint64 f = D->data_fin_dsn;
  if (f >= end && missing_below(c, f) <= capacity)
    return f;
  mptcp_outlier(D, 0, "data_fin", f);
  D->data_fin = FALSE;
  return end;
}

/* The highest data ACK the evidence supports; may reveal a DATA_FIN. */
static guint64 check_data_ack(MptcpDir *D, const DsnState *ds,
                              const Captured *c, guint64 end,
                              guint64 capacity)
{
  for (guint i = ds->acks->len; i-- > 0; ) {
    const Raise *r = &g_array_index(ds->acks, Raise, i);
    guint64 a = r->value, miss = missing_below(c, a);
    if (D->data_fin && a <= D->data_fin_dsn + 1) {
      D->data_acked = a;
      return end;
    }
    if (!D->data_fin && (a <= end || miss <= capacity)) {
      D->data_acked = a;
      return MAX(end, a);
    }
    if (!D->data_fin && miss == capacity + 1) {
      D->data_acked = a;
      D->data_fin = D->data_fin_inferred = TRUE;
      D->data_fin_dsn = a - 1;
      return MAX(end, a - 1);
    }
    mptcp_outlier(D, r->frame, "data_ack", r->value + ds->base);
  }
  return end;
}

/* ---- placing what the capture missed ---- */

/* Segments at the end of a subflow that the capture missed but its span
 * shows (the peer acknowledged them) are holes too, placed after the
 * subflow's last mapping. */
static void tail_holes(Walk *w)
{
  for (guint i = 0; i < w->a->conn->subflows->len * 2; i++) {
    SubDir *s = &w->sd[i];
    if (!s->hi_known || s->hi <= s->hi_seq)
      continue;
    Hole h = { s->dir, i / 2, s->hi - s->hi_seq, s->hi_dsn, 0, FALSE,
               s->acked_ns, FALSE };
    g_array_append_val(w->holes, h);
  }
}

/* Credit a hole at start, clipped to the direction's data space. */
static guint64 place(Walk *w, const Hole *h, guint64 start, guint64 end_all)
{
  guint64 end = MIN(start + h->len, end_all);
  start = MAX(start, 1);
  return end > start ? mptcp_credit(w, h->dir, h->sub, start, end,
                                    h->time_ns) : 0;
}

/* The exact holes first, then the others. */
static void place_holes(Walk *w, const guint64 end[2])
{
  for (int exact = 1; exact >= 0; exact--)
    for (guint i = 0; i < w->holes->len; i++) {
      const Hole *h = &g_array_index(w->holes, Hole, i);
      if (h->exact != exact)
        continue;
      if (place(w, h, h->dsn_a, end[h->dir]) == 0 && h->has_b)
        place(w, h, h->dsn_b, end[h->dir]);
    }
}

/* Give [start, end) to the subflows that can have carried it: the one
 * before, the one after, then whoever has the most budget left. */
static void place_gap(Walk *w, int d, guint64 start, guint64 end,
                      gint64 before, gint64 after, gint64 time_ns)
{
  MptcpDir *D = &w->a->dir[d];
  guint n = w->a->conn->subflows->len;
  gint64 order[2] = { before, after };
  for (int i = 0; i < 2 && start < end; i++)
    if (order[i] >= 0)
      start += mptcp_credit(w, d, (guint32)order[i], start, end, time_ns);
  while (start < end) {
    gint64 best = -1;
    guint64 room = 0;
    for (guint k = 0; k < n; k++) {
      const SubDir *s = walk_subdir_of(w, k, d);
      guint64 left = s->budget - MIN(s->budget, D->sub[k].inferred_bytes);
      if (left > room) {
        room = left;
        best = k;
      }
    }
    if (best < 0)
      break;
    start += mptcp_credit(w, d, (guint32)best, start, end, time_ns);
  }
}

typedef struct {
  guint64 start, end;
  gint64 before, after;      /* the subflows carrying the bytes around it */
  gint64 time_ns;
} Gap;

typedef struct {
  GArray *gaps;              /* Gap */
  guint64 cur, end;          /* the first byte not covered yet; the end */
  gint64 prev, prev_ns;      /* the carrier before cur, and its time */
} GapWalk;

static gboolean find_gap(const CarrierRange *r, void *user)
{
  GapWalk *g = user;
  if (g->cur >= g->end)
    return TRUE;
  if (r->start > g->cur) {
    Gap x = { g->cur, MIN(r->start, g->end), g->prev, r->subflow,
              g->prev >= 0 ? g->prev_ns : r->time_ns };
    g_array_append_val(g->gaps, x);
  }
  g->cur = MAX(g->cur, r->end);
  g->prev = r->subflow;
  g->prev_ns = r->time_ns;
  return FALSE;
}

/* What is still uncovered in [1, end) after the holes: data no captured
 * packet shows, placed by place_gap() once all gaps are known (placing
 * adds to the set being walked). */
static void fill_gaps(Walk *w, int d, guint64 end)
{
  GapWalk gw = { g_array_new(FALSE, FALSE, sizeof(Gap)), 1, end, -1, 0 };
  GArray *gaps = gw.gaps;
  carriers_foreach(&w->ds[d].carriers, find_gap, &gw);
  if (gw.cur < end) {
    Gap g = { gw.cur, end, gw.prev, -1, gw.prev_ns };
    g_array_append_val(gaps, g);
  }
  for (guint i = 0; i < gaps->len; i++) {
    const Gap *g = &g_array_index(gaps, Gap, i);
    place_gap(w, d, g->start, g->end, g->before, g->after, g->time_ns);
  }
  g_array_free(gaps, TRUE);
}

/* Application bytes: the data sequence space from 1 to its end; what no
 * subflow can have carried is unattributed. */
static void finish_direction(MptcpDir *D, guint nsub, guint64 end)
{
  guint64 carried = 0;
  for (guint k = 0; k < nsub; k++)
    carried += D->sub[k].application_bytes;
  D->application_bytes = end > 1 ? end - 1 : 0;
  if (carried > D->application_bytes)
    D->application_bytes = carried;
  D->unattributed_bytes = D->application_bytes - carried;
}

void mptcp_place(Walk *w)
{
  guint64 end[2];
  for (int d = 0; d < 2; d++) {
    MptcpDir *D = &w->a->dir[d];
    Captured c;
    guint64 capacity = set_budgets(w, d);
    captured_init(&c, &w->ds[d].carriers);
    D->dsn_max = mappings_end(w, d, NULL, 0);
    end[d] = MAX(D->dsn_max, w->ds[d].carriers.end);
    end[d] = check_data_fin(D, &c, end[d], capacity);
    end[d] = check_data_ack(D, &w->ds[d], &c, end[d], capacity);
    mappings_end(w, d, D, end[d] + (D->data_fin ? 1 : 0));
    captured_clear(&c);
  }
  tail_holes(w);
  place_holes(w, end);
  for (int d = 0; d < 2; d++) {
    fill_gaps(w, d, end[d]);
    finish_direction(&w->a->dir[d], w->a->conn->subflows->len, end[d]);
  }
}
