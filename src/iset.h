/* iset.h - a set of 64-bit integer intervals [start, end), kept merged in a
 * balanced tree (GTree), answering "how many of these bytes are new?".
 * Used for unique (not retransmitted) bytes of a TCP direction. Adding is
 * O(log n + k) for k merged neighbours. */
#ifndef ISET_H
#define ISET_H
#include <glib.h>

typedef struct {
  GTree *tree;        /* start -> ISetRange, disjoint and not adjacent */
  guint64 covered;    /* total bytes in the set */
} ISet;

/* GCompareDataFunc over pointers to guint64, for trees keyed by them */
gint u64_cmp(gconstpointer a, gconstpointer b, gpointer unused);
/* In such a tree, the node with the greatest key <= key, or NULL. */
GTreeNode *u64_tree_floor(GTree *t, guint64 key);

void iset_init(ISet *s);
void iset_clear(ISet *s);
/* Add [start, end); returns how many of its bytes were not in the set. */
guint64 iset_add(ISet *s, guint64 start, guint64 end);

/* Sequence number helpers */
/* The 64-bit value with low 32 bits v that is closest to near. */
static inline guint64 unwrap32(guint64 near, guint32 v)
{
  guint64 c = (near & ~(guint64)0xffffffff) | v;
  if (c > near && c - near > 0x80000000u && c >= ((guint64)1 << 32))
    c -= (guint64)1 << 32;
  else if (c < near && near - c > 0x80000000u)
    c += (guint64)1 << 32;
  return c;
}

#endif
