/* carrier.c - first carrier of each data-level byte, in a GTree. */
#include "carrier.h"
#include "iset.h"

void carriers_init(Carriers *c)
{
  c->tree = g_tree_new_full(u64_cmp, NULL, NULL, g_free);
}

void carriers_clear(Carriers *c)
{
  if (c->tree)
    g_tree_destroy(c->tree);
  c->tree = NULL;
}

static void insert(Carriers *c, guint64 s, guint64 e, guint32 subflow,
                   guint32 frame, gint64 time_ns)
{
  CarrierRange *r = g_new(CarrierRange, 1);
  *r = (CarrierRange){ s, e, frame, subflow, time_ns };
  g_tree_insert(c->tree, &r->start, r);
}

guint64 carrier_add(Carriers *c, guint64 start, guint64 end, guint32 subflow,
                    guint32 frame, gint64 time_ns, CarrierSeen seen,
                    void *user)
{
  if (end <= start)
    return 0;
  GTreeNode *last = g_tree_node_last(c->tree);
  if (!last || ((CarrierRange *)g_tree_node_value(last))->end <= start) {
    insert(c, start, end, subflow, frame, time_ns);   /* new data, in order */
    return end - start;
  }
  GTreeNode *n = g_tree_upper_bound(c->tree, &start);
  GTreeNode *prev = n ? g_tree_node_previous(n) : g_tree_node_last(c->tree);
  if (prev && ((CarrierRange *)g_tree_node_value(prev))->end > start)
    n = prev;
  GArray *gaps = g_array_new(FALSE, FALSE, sizeof(guint64));
  guint64 cur = start, fresh = 0;
  for (; n; n = g_tree_node_next(n)) {
    const CarrierRange *r = g_tree_node_value(n);
    if (r->start >= end)
      break;
    if (r->start > cur) {
      guint64 gap[2] = { cur, r->start };
      g_array_append_vals(gaps, gap, 2);
    }
    if (seen)
      seen(r, MIN(r->end, end) - MAX(r->start, start), user);
    cur = MAX(cur, r->end);
  }
  if (cur < end) {
    guint64 gap[2] = { cur, end };
    g_array_append_vals(gaps, gap, 2);
  }
  for (guint i = 0; i < gaps->len; i += 2) {
    guint64 s = g_array_index(gaps, guint64, i);
    guint64 e = g_array_index(gaps, guint64, i + 1);
    insert(c, s, e, subflow, frame, time_ns);
    fresh += e - s;
  }
  g_array_free(gaps, TRUE);
  return fresh;
}
