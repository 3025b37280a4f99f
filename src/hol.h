/* hol.h - head-of-line blocking at a receiver: for every data-level byte
 * of a direction, the time from its first arrival (at the capture point)
 * until every earlier byte had arrived too, when the application could
 * read it.
 *
 * A byte's first arrival is the earliest captured packet that carried it
 * (from the receiver's packet notes, in time order: a segment the network
 * lost arrives with its retransmission, however the receiver's own
 * analysis placed it); a byte no captured packet carried arrives when the
 * analysis's evidence placed it (ANALYSE_CARRIERS, frame 0). Then, in data
 * sequence order, a byte's blocking is the latest arrival before it less
 * its own, or 0. Bytes after a part of the data space that nothing shows
 * arriving cannot be read at all and are counted apart (`unreadable`).
 * Statistics are byte-weighted (quantile.h), per subflow of first arrival
 * and in total. The analysis needs ANALYSE_NOTES | ANALYSE_CARRIERS. */
#ifndef HOL_H
#define HOL_H
#include "mptcp_analysis.h"
#include "quantile.h"

typedef struct {
  guint nsub;
  guint64 *first;              /* bytes that arrived first on each subflow */
  WeightedStats *sub;          /* by receiver subflow index */
  WeightedStats total;
  guint64 unreadable;          /* bytes after a hole nothing fills */
} Hol;

void hol_compute(const MptcpAnalysis *receiver, int d, Hol *out);
void hol_clear(Hol *h);

#endif
