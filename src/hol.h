/* hol.h - head-of-line blocking at a receiver: for every data-level byte
 * of a direction, the time from its first arrival (at the capture point)
 * until every earlier byte had arrived too, when the application could
 * read it.
 *
 * A byte's first arrival is its first carrier in the receiver's analysis
 * (ANALYSE_CARRIERS): the first captured packet that carried it, in
 * capture order (a segment the network lost arrives with its resend, on
 * whichever subflow came first); a byte no captured packet carried
 * arrives when the evidence that placed it was seen (frame 0). Then, in
 * data sequence order, a byte's blocking is the latest arrival before it
 * less its own, or 0. Bytes after a part of the data space that nothing
 * shows arriving cannot be read at all and are counted apart
 * (`unreadable`). Statistics are byte-weighted (quantile.h), per subflow
 * of first arrival and in total. */
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

/* samples: when not NULL, gets one GArray of Weighted (blocking in
 * nanoseconds, bytes) per subflow, sorted, for the caller to free. */
void hol_compute(const MptcpAnalysis *receiver, int d, Hol *out,
                 GArray ***samples);
void hol_clear(Hol *h);

#endif
