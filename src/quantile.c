/* quantile.c - medians and nearest-rank quantiles (see quantile.h). */
#include "quantile.h"
#include "radix.h"
#include <stdlib.h>
#include <string.h>

void sort_i64(gint64 *v, guint n)
{
  guint64 *k = (guint64 *)v;
  for (guint i = 0; i < n; i++)
    k[i] ^= (guint64)1 << 63;
  radix_sort(k, NULL, n);
  for (guint i = 0; i < n; i++)
    k[i] ^= (guint64)1 << 63;
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
  sort_i64(v, n);
  out->min = v[0];
  out->max = v[n - 1];
  out->median = n % 2 ? (double)v[n / 2]
                      : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2;
  out->p95 = (double)nearest_rank(v, n, 0.95);
  out->p99 = (double)nearest_rank(v, n, 0.99);
}

/* weighted values sorted by value (radix, through their indices) */
static void sort_weighted(Weighted *v, guint n)
{
  guint64 *key = g_new(guint64, n + 1);
  guint32 *idx = g_new(guint32, n + 1);
  Weighted *copy = g_memdup2(v, (gsize)n * sizeof *v);
  for (guint i = 0; i < n; i++) {
    key[i] = (guint64)v[i].value ^ ((guint64)1 << 63);
    idx[i] = i;
  }
  radix_sort(key, idx, n);
  for (guint i = 0; i < n; i++)
    v[i] = copy[idx[i]];
  g_free(copy);
  g_free(key);
  g_free(idx);
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
  sort_weighted(v, n);
  for (guint i = 0; i < n; i++)
    out->weight += v[i].weight;
  out->median = weighted_rank(v, n, out->weight, 0.5);
  out->p95 = weighted_rank(v, n, out->weight, 0.95);
  out->max = v[n - 1].value;
}
