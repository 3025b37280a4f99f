/* hol.c - head-of-line blocking from the first carriers (see hol.h). */
#include "hol.h"

typedef struct {
  guint64 *first;              /* bytes first arrived, per subflow */
  GArray *all;                 /* Weighted */
  GArray **sub;                /* Weighted, per subflow */
  guint nsub;
  guint64 next;                /* the first byte not yet seen */
  gint64 latest;               /* the latest arrival before next */
  gboolean stuck;              /* a hole nothing fills: no more reading */
  guint64 unreadable;
} Walk;

static gboolean visit(gpointer key, gpointer value, gpointer user)
{
  const CarrierRange *r = value;
  Walk *w = user;
  (void)key;
  if (r->subflow < w->nsub)
    w->first[r->subflow] += r->end - r->start;
  if (w->next && r->start > w->next)
    w->stuck = TRUE;
  if (w->stuck) {
    w->unreadable += r->end - r->start;
    return FALSE;
  }
  gint64 blocked = w->latest > r->time_ns ? w->latest - r->time_ns : 0;
  Weighted x = { blocked, r->end - r->start };
  g_array_append_val(w->all, x);
  if (r->subflow < w->nsub)
    g_array_append_val(w->sub[r->subflow], x);
  if (r->time_ns > w->latest)
    w->latest = r->time_ns;
  w->next = r->end;
  return FALSE;
}

typedef struct { guint64 start, end; gint64 time_ns; guint32 frame, sub; } Arrival;

static gint by_time(gconstpointer a, gconstpointer b)
{
  const Arrival *x = a, *y = b;
  if (x->time_ns != y->time_ns) return x->time_ns < y->time_ns ? -1 : 1;
  return x->frame < y->frame ? -1 : x->frame > y->frame;
}

static gboolean add_inferred(gpointer key, gpointer value, gpointer user)
{
  const CarrierRange *r = value;
  (void)key;
  if (!r->frame)
    carrier_add(user, r->start, r->end, r->subflow, 0, r->time_ns, NULL, NULL);
  return FALSE;
}

/* The first arrival of every byte of direction d. */
static void first_arrivals(const MptcpAnalysis *an, int d, Carriers *out)
{
  GArray *v = g_array_new(FALSE, FALSE, sizeof(Arrival));
  for (guint k = 0; an->notes && k < an->conn->subflows->len; k++) {
    const TcpConn *t = g_ptr_array_index(an->conn->subflows, k);
    for (guint i = 0; i < t->packets->len; i++) {
      const Packet *p = &g_array_index(t->packets, Packet, i);
      const PacketNote *n = &an->notes[k][i];
      if (!(n->flags & NOTE_MAPPED) || mptcp_dir(t, p) != d)
        continue;
      Arrival a = { n->dsn, n->dsn + n->mapped, p->time_ns, p->frame, k };
      g_array_append_val(v, a);
    }
  }
  g_array_sort(v, by_time);
  carriers_init(out);
  for (guint i = 0; i < v->len; i++) {
    const Arrival *a = &g_array_index(v, Arrival, i);
    carrier_add(out, a->start, a->end, a->sub, a->frame, a->time_ns, NULL, NULL);
  }
  if (an->dir[d].carriers.tree)
    g_tree_foreach(an->dir[d].carriers.tree, add_inferred, out);
  g_array_free(v, TRUE);
}

void hol_compute(const MptcpAnalysis *an, int d, Hol *out)
{
  Walk w = { NULL, g_array_new(FALSE, FALSE, sizeof(Weighted)), NULL,
             an->conn->subflows->len, 0, G_MININT64, FALSE, 0 };
  w.first = g_new0(guint64, w.nsub + 1);
  Carriers arrivals;
  w.sub = g_new(GArray *, w.nsub + 1);
  for (guint k = 0; k < w.nsub; k++)
    w.sub[k] = g_array_new(FALSE, FALSE, sizeof(Weighted));
  first_arrivals(an, d, &arrivals);
  g_tree_foreach(arrivals.tree, visit, &w);
  carriers_clear(&arrivals);
  out->nsub = w.nsub;
  out->first = w.first;
  out->sub = g_new0(WeightedStats, w.nsub + 1);
  out->unreadable = w.unreadable;
  weighted_stats((Weighted *)w.all->data, w.all->len, &out->total);
  for (guint k = 0; k < w.nsub; k++) {
    weighted_stats((Weighted *)w.sub[k]->data, w.sub[k]->len, &out->sub[k]);
    g_array_free(w.sub[k], TRUE);
  }
  g_free(w.sub);
  g_array_free(w.all, TRUE);
}

void hol_clear(Hol *h)
{
  g_free(h->sub);
  g_free(h->first);
  h->sub = NULL;
  h->first = NULL;
}
