/* iset.c - merged interval set over a GTree keyed by interval start. */
#include "iset.h"

typedef struct { guint64 start, end; } ISetRange;

gint u64_cmp(gconstpointer a, gconstpointer b, gpointer unused)
{
  guint64 x = *(const guint64 *)a, y = *(const guint64 *)b;
  (void)unused;
  return x < y ? -1 : x > y;
}

void iset_init(ISet *s)
{
  s->tree = g_tree_new_full(u64_cmp, NULL, NULL, g_free);
  s->covered = 0;
}

void iset_clear(ISet *s)
{
  if (s->tree)
    g_tree_destroy(s->tree);
  s->tree = NULL;
}

GTreeNode *u64_tree_floor(GTree *t, guint64 key)
{
  GTreeNode *n = g_tree_upper_bound(t, &key);
  return n ? g_tree_node_previous(n) : g_tree_node_last(t);
}

/* The common case, in-order data: [start, end) begins inside or right at
 * the end of the highest range; that range just grows. */
static gboolean extend_last(ISet *s, guint64 start, guint64 end, guint64 *fresh)
{
  GTreeNode *n = g_tree_node_last(s->tree);
  ISetRange *r = n ? g_tree_node_value(n) : NULL;
  if (!r || start < r->start || start > r->end)
    return FALSE;
  *fresh = end > r->end ? end - r->end : 0;
  r->end = MAX(r->end, end);
  s->covered += *fresh;
  return TRUE;
}

guint64 iset_add(ISet *s, guint64 start, guint64 end)
{
  guint64 fresh;
  if (end <= start)
    return 0;
  if (extend_last(s, start, end, &fresh))
    return fresh;
  guint64 lo = start, hi = end, overlap = 0;
  GTreeNode *n = u64_tree_floor(s->tree, start);
  if (!n || ((ISetRange *)g_tree_node_value(n))->end < start)
    n = n ? g_tree_node_next(n) : g_tree_node_first(s->tree);
  GPtrArray *gone = g_ptr_array_new();
  for (; n; n = g_tree_node_next(n)) {
    ISetRange *r = g_tree_node_value(n);
    if (r->start > end)
      break;
    guint64 a = MAX(r->start, start), b = MIN(r->end, end);
    if (b > a)
      overlap += b - a;
    lo = MIN(lo, r->start);
    hi = MAX(hi, r->end);
    g_ptr_array_add(gone, r);
  }
  for (guint i = 0; i < gone->len; i++) {
    ISetRange *r = g_ptr_array_index(gone, i);
    s->covered -= r->end - r->start;
    g_tree_remove(s->tree, &r->start);
  }
  g_ptr_array_free(gone, TRUE);
  ISetRange *r = g_new(ISetRange, 1);
  r->start = lo;
  r->end = hi;
  g_tree_insert(s->tree, &r->start, r);
  s->covered += hi - lo;
  return (end - start) - overlap;
}
