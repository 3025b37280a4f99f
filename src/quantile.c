/* quantile.c - medians and nearest-rank quantiles (see quantile.h). */
#include "quantile.h"
#include <stdlib.h>
#include <string.h>

static int cmp_i64(const void *a, const void *b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
  return x < y ? -1 : x > y;
}

/* nearest rank: the value at position ceil(p * n), counted from 1 */
static gint64 nearest_rank(const gint64 *v, guint n, double p)
{
  guint64 rank = (guint64)(p * n);
  if ((double)rank < p * n)
    rank++;
  return v[MAX(rank, 1) - 1];
}

void delay_stats(gint64 *v, guint n, DelayStats *out)
{
  memset(out, 0, sizeof *out);
  out->n = n;
  if (!n)
    return;
  qsort(v, n, sizeof *v, cmp_i64);
  out->min = v[0];
  out->max = v[n - 1];
  out->median = n % 2 ? (double)v[n / 2]
                      : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2;
  out->p95 = (double)nearest_rank(v, n, 0.95);
  out->p99 = (double)nearest_rank(v, n, 0.99);
}

static int cmp_weighted(const void *a, const void *b)
{
  gint64 x = ((const Weighted *)a)->value, y = ((const Weighted *)b)->value;
  return x < y ? -1 : x > y;
}

/* the smallest value with at least p of the weight at or below it */
static gint64 weighted_rank(const Weighted *v, guint n, guint64 total, double p)
{
  double want = p * (double)total;
  guint64 seen = 0;
  for (guint i = 0; i < n; i++) {
    seen += v[i].weight;
    if ((double)seen >= want)
      return v[i].value;
  }
  return v[n - 1].value;
}

void weighted_stats(Weighted *v, guint n, WeightedStats *out)
{
  memset(out, 0, sizeof *out);
  if (!n)
    return;
  qsort(v, n, sizeof *v, cmp_weighted);
  for (guint i = 0; i < n; i++)
    out->weight += v[i].weight;
  out->median = weighted_rank(v, n, out->weight, 0.5);
  out->p95 = weighted_rank(v, n, out->weight, 0.95);
  out->max = v[n - 1].value;
}
