/* mapping_set.c - DSS mappings of a subflow direction: a sorted array for
 * those that come in order, a GTree for the others (see mapping_set.h). */
#include "mapping_set.h"
#include "iset.h"

/* how many mappings below a position are looked at for one covering it:
 * mappings overlap only when a sender re-maps data, a handful at most */
#define LOOK_BACK 16

void mapping_set_init(MappingSet *s)
{
  s->sorted = g_array_new(FALSE, FALSE, sizeof(Mapping));
  s->late = g_tree_new_full(u64_cmp, NULL, NULL, g_free);
}

void mapping_set_clear(MappingSet *s)
{
  if (s->sorted)
    g_array_free(s->sorted, TRUE);
  if (s->late)
    g_tree_destroy(s->late);
  s->sorted = NULL;
  s->late = NULL;
}

/* index of the first mapping in the array with ssn > key */
static guint array_upper(const GArray *a, guint64 key)
{
  guint lo = 0, hi = a->len;
  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;
    if (g_array_index(a, Mapping, mid).ssn <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* an equal mapping already there: grow it instead of adding another */
static gboolean merge_same(Mapping *have, const Mapping *m)
{
  if (!have || have->ssn != m->ssn || have->dsn != m->dsn)
    return FALSE;
  have->len = MAX(have->len, m->len);
  return TRUE;
}

void mapping_set_add(MappingSet *s, const Mapping *m)
{
  GArray *a = s->sorted;
  Mapping *last = a->len ? &g_array_index(a, Mapping, a->len - 1) : NULL;
  if (merge_same(last, m))
    return;
  if (!last || m->ssn > last->ssn) {
    g_array_append_val(a, *m);
    return;
  }
  guint i = array_upper(a, m->ssn);
  if (i > 0 && merge_same(&g_array_index(a, Mapping, i - 1), m))
    return;
  GTreeNode *n = u64_tree_floor(s->late, m->ssn);
  if (n && merge_same(g_tree_node_value(n), m))
    return;
  if (n && ((Mapping *)g_tree_node_value(n))->ssn == m->ssn) {
    *(Mapping *)g_tree_node_value(n) = *m;  /* same start, new DSN: latest */
    return;
  }
  Mapping *copy = g_new(Mapping, 1);
  *copy = *m;
  g_tree_insert(s->late, &copy->ssn, copy);
}

/* the one starting higher; b (from the tree, the later) on a tie */
static const Mapping *better(const Mapping *a, const Mapping *b)
{
  if (!a) return b;
  if (!b) return a;
  return b->ssn >= a->ssn ? b : a;
}

const Mapping *mapping_set_floor(const MappingSet *s, guint64 ssn)
{
  guint i = array_upper(s->sorted, ssn);
  const Mapping *a = i ? &g_array_index(s->sorted, Mapping, i - 1) : NULL;
  GTreeNode *n = u64_tree_floor(s->late, ssn);
  return better(a, n ? g_tree_node_value(n) : NULL);
}

const Mapping *mapping_set_find(const MappingSet *s, guint64 pos)
{
  const Mapping *found = NULL;
  guint i = array_upper(s->sorted, pos);
  for (guint k = 0; k < LOOK_BACK && i > 0 && !found; k++, i--) {
    const Mapping *m = &g_array_index(s->sorted, Mapping, i - 1);
    if (pos - m->ssn < m->len)
      found = m;
  }
  GTreeNode *n = u64_tree_floor(s->late, pos);
  for (guint k = 0; k < LOOK_BACK && n; k++, n = g_tree_node_previous(n)) {
    const Mapping *m = g_tree_node_value(n);
    if (pos - m->ssn < m->len) {
      found = better(found, m);
      break;
    }
  }
  return found;
}

static gboolean visit(gpointer key, gpointer value, gpointer data)
{
  void **cb = data;
  (void)key;
  ((void (*)(const Mapping *, void *))cb[0])(value, cb[1]);
  return FALSE;
}

void mapping_set_foreach(const MappingSet *s,
                         void (*fn)(const Mapping *m, void *user), void *user)
{
  for (guint i = 0; i < s->sorted->len; i++)
    fn(&g_array_index(s->sorted, Mapping, i), user);
  void *cb[2] = { (void *)fn, user };
  g_tree_foreach(s->late, visit, cb);
}
