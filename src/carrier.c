/* carrier.c - first carriers of data-level bytes: a sorted array for the
 * ranges that come in order, a GTree for the gaps filled later (see
 * carrier.h). */
#include "carrier.h"
#include "iset.h"

#define NEAR 32               /* overlaps found without allocating */

void carriers_init(Carriers *c)
{
  c->main = g_array_new(FALSE, FALSE, sizeof(CarrierRange));
  c->late = g_tree_new_full(u64_cmp, NULL, NULL, g_free);
  c->end = 0;
}

void carriers_clear(Carriers *c)
{
  if (c->main)
    g_array_free(c->main, TRUE);
  if (c->late)
    g_tree_destroy(c->late);
  c->main = NULL;
  c->late = NULL;
  c->end = 0;
}

guint carriers_count(const Carriers *c)
{
  return c->main ? c->main->len + (guint)g_tree_nnodes(c->late) : 0;
}

static void insert(Carriers *c, guint64 s, guint64 e, guint32 subflow,
                   guint32 frame, gint64 time_ns)
{
  CarrierRange r = { s, e, frame, subflow, time_ns };
  if (s >= c->end) {                     /* in order: the array */
    g_array_append_val(c->main, r);
  } else {
    CarrierRange *x = g_new(CarrierRange, 1);
    *x = r;
    g_tree_insert(c->late, &x->start, x);
  }
  c->end = MAX(c->end, e);
}

/* index of the first range of the array that ends after start */
static guint first_after(const GArray *a, guint64 start)
{
  guint lo = 0, hi = a->len;
  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;
    if (g_array_index(a, CarrierRange, mid).end <= start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

typedef struct {
  const CarrierRange *near[NEAR];
  GPtrArray *far;               /* when more than NEAR overlap */
  guint n;
} Overlaps;

static void push(Overlaps *o, const CarrierRange *r)
{
  if (o->n < NEAR) {
    o->near[o->n++] = r;
    return;
  }
  if (!o->far)
    o->far = g_ptr_array_new();
  g_ptr_array_add(o->far, (gpointer)r);
  o->n++;
}

static const CarrierRange *at(const Overlaps *o, guint i)
{
  return i < NEAR ? o->near[i] : g_ptr_array_index(o->far, i - NEAR);
}

/* The ranges overlapping [start, end), in order of start. */
static void overlaps(const Carriers *c, guint64 start, guint64 end,
                     Overlaps *o)
{
  guint i = first_after(c->main, start);
  GTreeNode *n = u64_tree_floor(c->late, start);
  if (n && ((CarrierRange *)g_tree_node_value(n))->end <= start)
    n = g_tree_node_next(n);
  else if (!n)
    n = g_tree_node_first(c->late);
  for (;;) {
    const CarrierRange *a = i < c->main->len
        ? &g_array_index(c->main, CarrierRange, i) : NULL;
    const CarrierRange *b = n ? g_tree_node_value(n) : NULL;
    if (a && a->start >= end) a = NULL;
    if (b && b->start >= end) b = NULL;
    if (!a && !b)
      break;
    if (a && (!b || a->start < b->start)) {
      i++;
      if (a->end > a->start)
        push(o, a);
    } else {
      n = g_tree_node_next(n);
      push(o, b);
    }
  }
}

guint64 carrier_add(Carriers *c, guint64 start, guint64 end, guint32 subflow,
                    guint32 frame, gint64 time_ns, CarrierSeen seen,
                    void *user)
{
  if (end <= start)
    return 0;
  if (start >= c->end) {                 /* new data, in order */
    insert(c, start, end, subflow, frame, time_ns);
    return end - start;
  }
  Overlaps o = { { NULL }, NULL, 0 };
  overlaps(c, start, end, &o);
  guint64 gaps[2 * NEAR + 2], *g = gaps, ng = 0, cur = start, fresh = 0;
  if (o.n >= NEAR)
    g = g_new(guint64, 2 * o.n + 2);
  for (guint i = 0; i < o.n; i++) {
    const CarrierRange *r = at(&o, i);
    if (r->start > cur) {
      g[ng++] = cur;
      g[ng++] = r->start;
    }
    if (seen)
      seen(r, MIN(r->end, end) - MAX(r->start, start), user);
    cur = MAX(cur, r->end);
  }
  if (cur < end) {
    g[ng++] = cur;
    g[ng++] = end;
  }
  for (guint i = 0; i < ng; i += 2) {    /* after the walk: it reads ranges */
    insert(c, g[i], g[i + 1], subflow, frame, time_ns);
    fresh += g[i + 1] - g[i];
  }
  if (g != gaps)
    g_free(g);
  if (o.far)
    g_ptr_array_free(o.far, TRUE);
  return fresh;
}

void carriers_foreach(const Carriers *c, CarrierVisit fn, void *user)
{
  guint i = 0;
  GTreeNode *n = c->late ? g_tree_node_first(c->late) : NULL;
  while (c->main && (i < c->main->len || n)) {
    const CarrierRange *a = i < c->main->len
        ? &g_array_index(c->main, CarrierRange, i) : NULL;
    const CarrierRange *b = n ? g_tree_node_value(n) : NULL;
    const CarrierRange *r;
    if (a && (!b || a->start < b->start)) {
      r = a;
      i++;
    } else {
      r = b;
      n = g_tree_node_next(n);
    }
    if (r->end > r->start && fn(r, user))
      return;
  }
}

/* the highest end of any range left */
static guint64 highest_end(const Carriers *c)
{
  guint64 e = 0;
  for (guint i = c->main->len; i-- > 0; ) {
    const CarrierRange *r = &g_array_index(c->main, CarrierRange, i);
    if (r->end > r->start) {
      e = r->end;
      break;
    }
  }
  GTreeNode *n = g_tree_node_last(c->late);
  return n ? MAX(e, ((CarrierRange *)g_tree_node_value(n))->end) : e;
}

guint64 carriers_take_back(Carriers *c, guint32 subflow, guint64 n)
{
  guint64 taken = 0;
  guint i = c->main->len;
  GTreeNode *t = g_tree_node_last(c->late);
  while (taken < n && (i > 0 || t)) {    /* from the highest start down */
    CarrierRange *a = i > 0 ? &g_array_index(c->main, CarrierRange, i - 1) : NULL;
    CarrierRange *b = t ? g_tree_node_value(t) : NULL;
    gboolean from_array = a && (!b || a->start > b->start);
    CarrierRange *r = from_array ? a : b;
    GTreeNode *prev = t ? g_tree_node_previous(t) : NULL;
    if (from_array)
      i--;
    else
      t = prev;
    if (r->subflow != subflow || r->frame != 0 || r->end <= r->start)
      continue;
    guint64 cut = MIN(n - taken, r->end - r->start);
    r->end -= cut;
    taken += cut;
    if (r->end == r->start && !from_array)
      g_tree_remove(c->late, &r->start);
  }
  c->end = highest_end(c);
  return taken;
}
