/* reinj_qualify.h - did a reinjection help? For every reinjection the
 * sender's capture shows (mptcp_analysis.h), what the receiver's capture
 * shows of its copy and of the other copies of the same data-level bytes:
 *
 * - useful: the reinjected copy arrived before the bytes were complete
 *   from the other copies (the original, or its resend): gain > 0 is the
 *   time it saved;
 * - redundant: the other copies had brought every byte first: gain <= 0
 *   is how much later it came;
 * - delivered: the original was lost in the network, and the reinjected
 *   copy arrived before any resend of it (gain: the time to that resend,
 *   unknown when none came);
 * - lost: the reinjected copy itself never arrived.
 *
 * Times at the receiver are of one capture, so no clock offset enters. */
#ifndef REINJ_QUALIFY_H
#define REINJ_QUALIFY_H
#include "mptcp_analysis.h"
#include "peer.h"

typedef enum { V_USEFUL, V_REDUNDANT, V_DELIVERED, V_LOST, N_VERDICTS } Verdict;

typedef struct {
  const Reinjection *r;          /* in the sender's analysis */
  int dir;                       /* TO_SERVER, TO_CLIENT */
  const Capture *sender;
  guint32 received_frame;        /* its copy at the receiver, 0 if none */
  Verdict verdict;
  gboolean have_gain;
  gint64 gain_ns;
} Qualified;

/* an_a, an_b: analyses of p->ma and p->mb with ANALYSE_NOTES. */
GArray *reinj_qualify(const Peer *p, const MptcpAnalysis *an_a,
                      const MptcpAnalysis *an_b);
const char *verdict_name(Verdict v);

#endif
