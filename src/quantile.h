/* quantile.h - order statistics of delays, as the two-capture commands
 * report them. Definitions (stated in the README):
 * - the median of n values is the middle one, the mean of the two middle
 *   ones when n is even;
 * - p95, p99 are nearest-rank: the smallest value with at least that
 *   share of the values at or below it;
 * - byte-weighted quantiles (head-of-line blocking, where each byte counts)
 *   are nearest-rank over the bytes: the smallest value v such that the
 *   bytes whose value is <= v are at least p of all bytes. */
#ifndef QUANTILE_H
#define QUANTILE_H
#include <glib.h>

typedef struct {
  guint64 n;
  gint64 min, max;
  double median, p95, p99;      /* nanoseconds */
} DelayStats;

/* Sort signed values ascending (radix, in place). */
void sort_i64(gint64 *v, guint n);
/* Statistics of n delays in nanoseconds (sorted in place); zeros if n 0. */
void delay_stats(gint64 *v, guint n, DelayStats *out);

typedef struct { gint64 value; guint64 weight; } Weighted;

typedef struct {
  guint64 weight;               /* the total */
  gint64 median, p95, max;
} WeightedStats;

/* Nearest-rank statistics of weighted values (sorted in place). */
void weighted_stats(Weighted *v, guint n, WeightedStats *out);

#endif
