/* frame_merge.c - k-way merge of connections' packet arrays by frame. */
#include "frame_merge.h"

static guint32 frame_at(const FrameMerge *m, guint32 conn, guint32 idx)
{
  const TcpConn *t = g_ptr_array_index(m->conns, conn);
  return g_array_index(t->packets, Packet, idx).frame;
}

static gboolean before(const MergeHead *a, const MergeHead *b)
{
  return a->frame < b->frame || (a->frame == b->frame && a->conn < b->conn);
}

static void sift_down(GArray *heap, guint i)
{
  MergeHead *h = (MergeHead *)heap->data;
  for (;;) {
    guint l = 2 * i + 1, r = l + 1, min = i;
    if (l < heap->len && before(&h[l], &h[min])) min = l;
    if (r < heap->len && before(&h[r], &h[min])) min = r;
    if (min == i)
      return;
    MergeHead tmp = h[i];
    h[i] = h[min];
    h[min] = tmp;
    i = min;
  }
}

void frame_merge_init(FrameMerge *m, const GPtrArray *conns)
{
  m->conns = conns;
  m->heap = g_array_sized_new(FALSE, FALSE, sizeof(MergeHead), conns->len);
  for (guint k = 0; k < conns->len; k++) {
    const TcpConn *t = g_ptr_array_index(conns, k);
    if (t->packets->len) {
      MergeHead h = { k, 0, frame_at(m, k, 0) };
      g_array_append_val(m->heap, h);
    }
  }
  for (guint i = m->heap->len / 2; i-- > 0; )
    sift_down(m->heap, i);
}

gboolean frame_merge_next(FrameMerge *m, guint *conn, guint *idx)
{
  if (!m->heap->len)
    return FALSE;
  MergeHead *top = &g_array_index(m->heap, MergeHead, 0);
  const TcpConn *t = g_ptr_array_index(m->conns, top->conn);
  *conn = top->conn;
  *idx = top->idx;
  if (top->idx + 1 < t->packets->len) {
    top->idx++;
    top->frame = frame_at(m, top->conn, top->idx);
  } else {
    *top = g_array_index(m->heap, MergeHead, m->heap->len - 1);
    g_array_set_size(m->heap, m->heap->len - 1);
  }
  sift_down(m->heap, 0);
  return TRUE;
}

void frame_merge_clear(FrameMerge *m)
{
  g_array_free(m->heap, TRUE);
  m->heap = NULL;
}
