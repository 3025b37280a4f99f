/* frame_merge.h - the packets of several TCP connections in frame order,
 * without copying them: a binary heap holds each connection's next packet,
 * so k connections cost O(log k) per packet and O(k) memory. */
#ifndef FRAME_MERGE_H
#define FRAME_MERGE_H
#include "capture.h"

typedef struct {
  guint32 conn;       /* index in the connection list */
  guint32 idx;        /* index of its next packet */
  guint32 frame;      /* that packet's frame number */
} MergeHead;

typedef struct {
  const GPtrArray *conns;   /* TcpConn*, not owned */
  GArray *heap;             /* MergeHead, smallest frame first */
} FrameMerge;

void frame_merge_init(FrameMerge *m, const GPtrArray *conns);
/* The next packet in frame order: its connection's index and the packet's
 * index in it; FALSE when every packet was given. */
gboolean frame_merge_next(FrameMerge *m, guint *conn, guint *idx);
void frame_merge_clear(FrameMerge *m);

#endif
