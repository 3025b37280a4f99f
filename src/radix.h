/* radix.h - sorting many 64-bit keys fast: a stable least-significant-
 * digit radix sort (16-bit digits, at most 4 passes, a pass skipped when
 * every key shares that digit), O(n). For the hundreds of thousands of
 * packet signatures two captures are matched on, where a comparison sort
 * costs several times more. */
#ifndef RADIX_H
#define RADIX_H
#include <glib.h>

/* Sort keys[0..n) ascending, carrying vals[i] along (vals may be NULL);
 * equal keys keep their order. */
void radix_sort(guint64 *keys, guint32 *vals, gsize n);

#endif
