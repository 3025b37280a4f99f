/* radix.c - stable LSD radix sort of 64-bit keys (see radix.h). */
#include "radix.h"
#include <string.h>

#define DIGIT_BITS 16
#define BUCKETS (1u << DIGIT_BITS)

void radix_sort(guint64 *keys, guint32 *vals, gsize n)
{
  if (n < 2)
    return;
  guint64 *k2 = g_new(guint64, n);
  guint32 *v2 = vals ? g_new(guint32, n) : NULL;
  gsize *count = g_new(gsize, BUCKETS);
  guint64 *src = keys, *dst = k2;
  guint32 *vsrc = vals, *vdst = v2;
  for (int shift = 0; shift < 64; shift += DIGIT_BITS) {
    memset(count, 0, BUCKETS * sizeof *count);
    for (gsize i = 0; i < n; i++)
      count[(src[i] >> shift) & (BUCKETS - 1)]++;
    if (count[(src[0] >> shift) & (BUCKETS - 1)] == n)
      continue;                        /* every key shares this digit */
    gsize sum = 0;
    for (guint b = 0; b < BUCKETS; b++) {
      gsize c = count[b];
      count[b] = sum;
      sum += c;
    }
    for (gsize i = 0; i < n; i++) {
      gsize at = count[(src[i] >> shift) & (BUCKETS - 1)]++;
      dst[at] = src[i];
      if (vals)
        vdst[at] = vsrc[i];
    }
    guint64 *t = src; src = dst; dst = t;
    guint32 *u = vsrc; vsrc = vdst; vdst = u;
  }
  if (src != keys) {
    memcpy(keys, src, n * sizeof *keys);
    if (vals)
      memcpy(vals, vsrc, n * sizeof *vals);
  }
  g_free(count);
  g_free(k2);
  g_free(v2);
}
