/* seqtrack.h - relative 64-bit subflow sequence numbers for one direction
 * of a TCP connection: raw 32-bit numbers minus the initial sequence number,
 * unwrapped past 4 GiB. The ISN comes from the SYN; without one (a capture
 * that starts mid-way) from the first DSS mapping (seq - subflow seq), else
 * the first byte seen is taken as relative 1. */
#ifndef SEQTRACK_H
#define SEQTRACK_H
#include "capture.h"
#include "iset.h"

typedef struct {
  guint32 isn;
  gboolean from_syn;
  guint64 last;        /* last relative value returned, for unwrapping */
} SeqTrack;

void seqtrack_init(SeqTrack *s, const TcpConn *t, int endpoint);
static inline guint64 seqtrack_rel(SeqTrack *s, guint32 raw)
{
  s->last = unwrap32(s->last, raw - s->isn);
  return s->last;
}
/* TRUE when raw lies at or before the ISN while no value past 2^31 has
 * been seen: a number from before the capture's first (relative numbers
 * cannot go below 0, so seqtrack_rel() would return it near 2^32). */
static inline gboolean seqtrack_before(const SeqTrack *s, guint32 raw)
{
  return s->last < ((guint64)1 << 31) && (gint32)(raw - s->isn) <= 0;
}

#endif
