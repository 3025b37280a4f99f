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

static gboolean visit(const CarrierRange *r, void *user)
{
  Walk *w = user;
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

void hol_compute(const MptcpAnalysis *an, int d, Hol *out, GArray ***samples)
{
  Walk w = { NULL, g_array_new(FALSE, FALSE, sizeof(Weighted)), NULL,
             an->conn->subflows->len, 0, G_MININT64, FALSE, 0 };
  w.first = g_new0(guint64, w.nsub + 1);
  w.sub = g_new(GArray *, w.nsub + 1);
  for (guint k = 0; k < w.nsub; k++)
    w.sub[k] = g_array_new(FALSE, FALSE, sizeof(Weighted));
  carriers_foreach(&an->dir[d].carriers, visit, &w);
  out->nsub = w.nsub;
  out->first = w.first;
  out->sub = g_new0(WeightedStats, w.nsub + 1);
  out->unreadable = w.unreadable;
  weighted_stats((Weighted *)w.all->data, w.all->len, &out->total);
  for (guint k = 0; k < w.nsub; k++) {
    weighted_stats((Weighted *)w.sub[k]->data, w.sub[k]->len, &out->sub[k]);
    if (!samples)
      g_array_free(w.sub[k], TRUE);
  }
  if (samples)
    *samples = w.sub;
  else
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
